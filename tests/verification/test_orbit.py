"""Tests of thermal.orbit against textbook formulae, published values and hand estimates."""

import datetime as dt
import math

import numpy as np
import pytest

from thermal.core.constants import ASTRONOMICAL_UNIT_M, EARTH_MU_M3_S2, EARTH_RADIUS_M, SUN_RADIUS_M
from thermal.orbit import (
    DEFAULT_EPOCH,
    OrbitGeometry,
    beta_angle_rad,
    beta_star_rad,
    body_axes_in_orbit_frame,
    eclipse_fraction_cylindrical,
    eclipse_intervals_s,
    equation_of_time_rad,
    nadir_vector_body,
    orbit_phase_rad,
    orbital_period_s,
    raan_for_ltan_rad,
    resolve_orbit,
    shadow_breakpoints_s,
    shadow_factor,
    sun_position,
    sun_synchronous_inclination_rad,
    sun_vector_body,
    umbra_intervals_s,
)

UTC = dt.UTC


# ------------------------------------------------------------------------------------------
# Period, beta*, sun-synchronous inclination
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "altitude_km, period_hand_s",
    # Kepler's third law by hand, P = 2 pi sqrt(a^3/mu) with R = 6378.137 km, mu = 398600.4418 km^3/s^2
    # (Vallado 2013, eq. 1-27): 400 km -> 5553.6 s (the ISS's ~92.6 min); 550 km -> 5739.0 s;
    # geostationary altitude 35786 km -> one sidereal day, 86164.09 s, to the rounding of the altitude.
    [(400.0, 5553.6), (550.0, 5739.0), (35786.0, 86164.0)],
)
def test_orbital_period_matches_kepler(altitude_km, period_hand_s):
    a_m = EARTH_RADIUS_M + altitude_km * 1e3
    assert orbital_period_s(altitude_km * 1e3) == pytest.approx(
        2 * math.pi * math.sqrt(a_m**3 / EARTH_MU_M3_S2), rel=1e-12
    )
    assert orbital_period_s(altitude_km * 1e3) == pytest.approx(period_hand_s, abs=0.1)


def test_beta_star():
    # Gilmore (2002) ch. 2: beta* = asin(R/(R+h)); by hand asin(6378.137/6778.137) = 70.22 deg at
    # 400 km, asin(6378.137/7378.137) = 59.82 deg at 1000 km
    assert math.degrees(beta_star_rad(400e3)) == pytest.approx(70.22, abs=0.01)
    assert math.degrees(beta_star_rad(1000e3)) == pytest.approx(59.82, abs=0.01)
    assert beta_star_rad(550e3) == pytest.approx(math.asin(EARTH_RADIUS_M / (EARTH_RADIUS_M + 550e3)))


@pytest.mark.parametrize(
    "altitude_km, inclination_deg",
    # Commonly tabulated sun-synchronous inclinations (e.g. Wertz & Larson, SMAD 3rd ed., sec. 6.2;
    # the brief: 97.40 deg at 500 km, 98.60 deg at 800 km), to 0.02 deg.
    [(500.0, 97.40), (600.0, 97.79), (700.0, 98.19), (800.0, 98.60), (1000.0, 99.48)],
)
def test_sun_synchronous_inclination_published(altitude_km, inclination_deg):
    assert math.degrees(sun_synchronous_inclination_rad(altitude_km * 1e3)) == pytest.approx(
        inclination_deg, abs=0.02
    )


def test_sun_synchronous_impossible_high_up():
    with pytest.raises(ValueError, match="sun-synchronous"):
        sun_synchronous_inclination_rad(7000e3)


# ------------------------------------------------------------------------------------------
# Eclipse fraction: closed form vs sampled cylindrical shadow
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("altitude_km", [400.0, 800.0, 2000.0])
def test_eclipse_fraction_closed_form_vs_sampled_shadow(altitude_km):
    altitude_m = altitude_km * 1e3
    beta_star = beta_star_rad(altitude_m)
    for beta in [0.0, 0.3, -0.6, 0.9, beta_star - 0.02, beta_star + 0.02, 1.4]:
        geom = resolve_orbit(altitude_m, beta_rad=beta)
        t = np.linspace(0.0, geom.period_s, 200_001)[:-1]
        sampled = np.mean(shadow_factor(geom, t, "cylindrical") < 0.5)
        closed = eclipse_fraction_cylindrical(altitude_m, beta)
        # within 0.1 % of the period (brief; the sampling itself resolves 5e-6 P)
        assert sampled == pytest.approx(closed, abs=1e-3)
        if abs(beta) >= beta_star:
            assert closed == 0.0
            assert sampled == 0.0
            assert eclipse_intervals_s(geom, "cylindrical") == []
        else:
            (start, end), = eclipse_intervals_s(geom, "cylindrical")
            assert (end - start) / geom.period_s == pytest.approx(closed, abs=1e-9)


def test_eclipse_fraction_hand_value():
    # beta = 0, 400 km: acos(sqrt(h^2 + 2Rh)/(R+h))/pi = acos(2294.0/6778.137)/pi = 0.3901 (Gilmore eq. 2.2)
    assert eclipse_fraction_cylindrical(400e3, 0.0) == pytest.approx(0.39010, abs=1e-4)
    np.testing.assert_allclose(eclipse_fraction_cylindrical(400e3, np.array([0.0, 1.3])), [0.39010, 0.0], atol=1e-4)


# ------------------------------------------------------------------------------------------
# Solar ephemeris
# ------------------------------------------------------------------------------------------
def _hourly(year):
    start = dt.datetime(year, 1, 1, tzinfo=UTC)
    return [start + dt.timedelta(hours=h) for h in range(0, 366 * 24, 1)]


def test_sun_distance_perihelion_aphelion():
    # USNO / Astronomical Almanac 2024: perihelion 2024 Jan 3 00:39 UT at 0.98331 AU,
    # aphelion 2024 Jul 5 05:06 UT at 1.01673 AU. The low-precision ephemeris ignores the Moon,
    # which moves the dates of the extrema by up to about 1.5 days.
    times = _hourly(2024)
    dist = np.array([sun_position(t)[1] for t in times])
    i_min, i_max = int(np.argmin(dist)), int(np.argmax(dist))
    assert dist[i_min] == pytest.approx(0.98331, abs=2e-4)
    assert dist[i_max] == pytest.approx(1.01673, abs=2e-4)
    assert abs((times[i_min] - dt.datetime(2024, 1, 3, 0, 39, tzinfo=UTC)).total_seconds()) < 2 * 86400
    assert abs((times[i_max] - dt.datetime(2024, 7, 5, 5, 6, tzinfo=UTC)).total_seconds()) < 2 * 86400


@pytest.mark.parametrize(
    "equinox, frame",
    # March equinoxes (USNO): 2000 Mar 20 07:35 UT (J2000 and of-date frames coincide to 1"),
    # 2024 Mar 20 03:06 UT (the equinox is defined in the frame of date).
    [(dt.datetime(2000, 3, 20, 7, 35, tzinfo=UTC), "J2000"), (dt.datetime(2024, 3, 20, 3, 6, tzinfo=UTC), "of_date")],
)
def test_sun_at_vernal_equinox(equinox, frame):
    unit, _ = sun_position(equinox, frame=frame)
    assert np.linalg.norm(unit) == pytest.approx(1.0, abs=1e-14)
    # ephemeris good to ~0.01 deg; the sun moves 0.041 deg/h
    assert math.degrees(math.acos(unit[0])) < 0.02
    # declination crosses zero within 20 minutes of the published instant
    before, _ = sun_position(equinox - dt.timedelta(minutes=20), frame=frame)
    after, _ = sun_position(equinox + dt.timedelta(minutes=20), frame=frame)
    assert before[2] < 0.0 < after[2]


def test_sun_at_june_solstice_declination():
    # Solstice 2024 Jun 20 20:51 UT (USNO): declination = obliquity 23.44 deg (of date)
    unit, _ = sun_position(dt.datetime(2024, 6, 20, 20, 51, tzinfo=UTC), frame="of_date")
    assert math.degrees(math.asin(unit[2])) == pytest.approx(23.436, abs=0.01)


def test_precession_to_j2000():
    # General precession in longitude 5029.0966"/century (IAU 1976, Lieske 1977): in 2024.2 the
    # sun's direction of date and in J2000 differ by about 0.338 deg.
    when = dt.datetime(2024, 3, 20, 3, 6, tzinfo=UTC)
    j2000, _ = sun_position(when)
    of_date, _ = sun_position(when, frame="of_date")
    centuries = (when - dt.datetime(2000, 1, 1, 12, tzinfo=UTC)).total_seconds() / (86400 * 36525)
    angle_deg = math.degrees(math.acos(np.clip(j2000 @ of_date, -1, 1)))
    assert angle_deg == pytest.approx(5029.0966 * centuries / 3600.0, rel=0.01)
    # the equinox of date lies west of (before) the J2000 equinox: negative right ascension in J2000
    assert math.atan2(j2000[1], j2000[0]) < 0.0


@pytest.mark.parametrize(
    "date, minutes",
    # Equation of time extremes (Astronomical Almanac; Meeus ch. 28): Feb 11 -14.2 min, Nov 3 +16.4 min
    [(dt.date(2024, 2, 11), -14.2), (dt.date(2024, 11, 3), 16.4), (dt.date(2024, 5, 14), 3.7)],
)
def test_equation_of_time(date, minutes):
    assert math.degrees(equation_of_time_rad(date)) * 4.0 == pytest.approx(minutes, abs=0.3)


def test_naive_and_aware_datetimes_agree_and_date_is_noon():
    naive = dt.datetime(2027, 6, 1, 12, 0)
    aware = dt.datetime(2027, 6, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    np.testing.assert_allclose(sun_position(naive)[0], sun_position(aware)[0], atol=1e-15)
    np.testing.assert_allclose(sun_position(dt.date(2027, 6, 1))[0], sun_position(naive)[0], atol=1e-15)


# ------------------------------------------------------------------------------------------
# Beta angle, LTAN, resolve_orbit
# ------------------------------------------------------------------------------------------
def test_beta_angle_hand_cases():
    when = dt.datetime(2024, 6, 20, 20, 51, tzinfo=UTC)
    unit, _ = sun_position(when)
    declination = math.asin(unit[2])
    ra = math.atan2(unit[1], unit[0])
    # equatorial orbit: beta = declination of the sun (Gilmore ch. 2)
    assert beta_angle_rad(0.0, 0.0, when) == pytest.approx(declination, abs=1e-12)
    # polar orbit whose node points at the sun: the sun lies in the orbit plane
    assert beta_angle_rad(math.pi / 2, ra, when) == pytest.approx(0.0, abs=1e-12)
    # polar orbit with the node 90 deg east of the sun: h = (cos ra, sin ra, 0) points at the sun's
    # right ascension, so beta = 90 deg - |dec|, positive (sun on the side of h = r x v)
    beta = beta_angle_rad(math.pi / 2, ra + math.pi / 2, when)
    assert beta == pytest.approx(math.pi / 2 - abs(declination), abs=1e-9)


def test_dawn_dusk_orbit_has_no_eclipse_at_equinox():
    geom = resolve_orbit(550e3, ltan_hours=6.0, epoch=dt.date(2027, 3, 20))
    assert geom.inclination_rad == pytest.approx(sun_synchronous_inclination_rad(550e3))
    # node 90 deg west of the sun; i = 97.6 deg -> |beta| = 90 - 7.6 - (equation of time) ~ 82 deg
    assert abs(math.degrees(geom.beta_rad)) > 75.0
    assert abs(geom.beta_rad) > beta_star_rad(550e3)
    assert eclipse_intervals_s(geom, "conical") == []
    assert eclipse_intervals_s(geom, "cylindrical") == []
    assert np.all(shadow_factor(geom, np.linspace(0, geom.period_s, 1000), "conical") == 1.0)
    dusk = resolve_orbit(550e3, ltan_hours=18.0, epoch=dt.date(2027, 3, 20))
    assert np.sign(dusk.beta_rad) == -np.sign(geom.beta_rad)
    # solar distance from the ephemeris when an epoch is given (about 0.996 AU on Mar 20)
    assert geom.solar_distance_au == pytest.approx(0.9960, abs=5e-4)


def test_noon_midnight_orbit_has_small_beta():
    geom = resolve_orbit(550e3, ltan_hours=12.0)
    # |beta| equals the mean/true sun offset (equation of time, ~1.9 deg) at the equinox
    assert abs(math.degrees(geom.beta_rad)) < 3.0
    assert geom.solar_distance_au == 1.0  # no epoch given: 1 AU
    assert len(eclipse_intervals_s(geom, "conical")) == 1
    # with the true sun the node is under the sun at noon LTAN: s . h = sin(dec) cos(i) exactly
    raan_true = raan_for_ltan_rad(12.0, DEFAULT_EPOCH, mean_sun=False)
    declination = math.asin(sun_position(DEFAULT_EPOCH)[0][2])
    assert beta_angle_rad(geom.inclination_rad, raan_true, DEFAULT_EPOCH) == pytest.approx(
        math.asin(math.sin(declination) * math.cos(geom.inclination_rad)), abs=1e-12
    )


def test_raan_for_ltan_steps_15_deg_per_hour():
    when = dt.date(2027, 9, 1)
    diff = (raan_for_ltan_rad(10.5, when) - raan_for_ltan_rad(9.5, when)) % (2 * math.pi)
    assert math.degrees(diff) == pytest.approx(15.0, abs=1e-9)


def test_resolve_orbit_modes():
    g = resolve_orbit(400e3, beta_rad=0.5)
    assert isinstance(g, OrbitGeometry)
    assert g.radius_m == EARTH_RADIUS_M + 400e3
    assert g.period_s == orbital_period_s(400e3)
    assert g.beta_rad == 0.5 and g.solar_distance_au == 1.0
    assert g.inclination_rad is None and g.raan_rad is None
    g_jan = resolve_orbit(400e3, beta_rad=0.5, epoch=dt.date(2027, 1, 3))
    assert g_jan.solar_distance_au == pytest.approx(0.9833, abs=3e-4)
    g_inc = resolve_orbit(400e3, inclination_rad=math.radians(51.6), raan_rad=1.0, epoch=dt.date(2027, 6, 21))
    assert g_inc.beta_rad == pytest.approx(beta_angle_rad(math.radians(51.6), 1.0, dt.date(2027, 6, 21)))
    hash(g_inc)  # frozen and hashable: usable as a cache key


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(beta_rad=0.1, ltan_hours=6.0), "exactly one"),
        (dict(), "exactly one"),
        (dict(beta_rad=0.1, inclination_rad=1.0, raan_rad=0.0), "exactly one"),
        (dict(inclination_rad=1.0), "raan is missing"),
        (dict(raan_rad=1.0), "inclination is missing"),
        (dict(beta_rad=2.0), "beta"),
        (dict(inclination_rad=4.0, raan_rad=0.0), "inclination"),
        (dict(ltan_hours=25.0), "LTAN"),
    ],
)
def test_resolve_orbit_rejects_inconsistent_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        resolve_orbit(550e3, **kwargs)


def test_resolve_orbit_rejects_bad_altitude_and_epoch():
    with pytest.raises(ValueError, match="altitude"):
        resolve_orbit(-10.0, beta_rad=0.0)
    with pytest.raises(TypeError, match="epoch"):
        resolve_orbit(550e3, ltan_hours=6.0, epoch="2027-03-20")


# ------------------------------------------------------------------------------------------
# Frames and attitude
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("beta_deg", [0.0, 35.0, -70.0, 90.0])
@pytest.mark.parametrize("attitude", ["nadir", "sun"])
def test_body_axes_orthonormal_right_handed(beta_deg, attitude):
    geom = resolve_orbit(550e3, beta_rad=math.radians(beta_deg))
    t = np.linspace(0.0, geom.period_s, 37)
    axes = body_axes_in_orbit_frame(geom, t, attitude)
    np.testing.assert_allclose(axes @ np.transpose(axes, (0, 2, 1)), np.broadcast_to(np.eye(3), axes.shape), atol=1e-12)
    np.testing.assert_allclose(np.linalg.det(axes), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(sun_vector_body(geom, t, attitude), axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(nadir_vector_body(geom, t, attitude), axis=1), 1.0, atol=1e-12)


def test_nadir_attitude_contract():
    beta = math.radians(30.0)
    geom = resolve_orbit(550e3, beta_rad=beta)
    P = geom.period_s
    t = np.array([0.0, P / 4, P / 2])
    np.testing.assert_allclose(orbit_phase_rad(geom, t), [0.0, math.pi / 2, math.pi])
    np.testing.assert_allclose(nadir_vector_body(geom, t, "nadir"), [[0, 0, -1]] * 3, atol=1e-15)
    sun = sun_vector_body(geom, t, "nadir")
    # orbit noon: sun above, tilted toward +y (orbit normal) by beta
    np.testing.assert_allclose(sun[0], [0.0, math.sin(beta), math.cos(beta)], atol=1e-15)
    # a quarter orbit later the velocity (+x) points away from the sun
    np.testing.assert_allclose(sun[1], [-math.cos(beta), math.sin(beta), 0.0], atol=1e-15)
    # orbit midnight: sun below
    np.testing.assert_allclose(sun[2], [0.0, math.sin(beta), -math.cos(beta)], atol=1e-15)


def test_sun_attitude_contract():
    beta = math.radians(30.0)
    geom = resolve_orbit(550e3, beta_rad=beta)
    P = geom.period_s
    t = np.linspace(0, P, 9)
    np.testing.assert_allclose(sun_vector_body(geom, t, "sun"), np.tile([0.0, 0.0, 1.0], (9, 1)), atol=1e-15)
    axes = body_axes_in_orbit_frame(geom, t, "sun")
    # +y is the orbit normal's component perpendicular to the sun: body y . orbit normal = cos beta
    np.testing.assert_allclose(axes[:, 1, 2], math.cos(beta), atol=1e-15)
    # at orbit midnight the Earth is between satellite and sun, at (almost) body +z
    nadir_mid = nadir_vector_body(geom, P / 2, "sun")[0]
    assert nadir_mid[2] == pytest.approx(math.cos(beta), abs=1e-12)
    # beta = 90 deg fallback: +y along v_hat at t = 0
    polar = resolve_orbit(550e3, beta_rad=math.pi / 2)
    np.testing.assert_allclose(body_axes_in_orbit_frame(polar, 0.0, "sun")[0, 1], [0, 1, 0], atol=1e-12)


def test_unknown_attitude_rejected():
    geom = resolve_orbit(550e3, beta_rad=0.0)
    with pytest.raises(ValueError, match="attitude"):
        sun_vector_body(geom, 0.0, "inertial")


# ------------------------------------------------------------------------------------------
# Conical shadow
# ------------------------------------------------------------------------------------------
def _hand_penumbra_s(geom):
    """Hand estimate: the penumbra spans 2 x the sun's apparent radius in the angle c between
    Earth centre and sun seen from the satellite; with cos c = -cos(beta) cos(theta) (sun at
    infinity), dc/dtheta = cos(beta) sin(theta) / sin(c), evaluated at the limb c = asin(R/r)."""
    sun_radius = math.asin(SUN_RADIUS_M / (geom.solar_distance_au * ASTRONOMICAL_UNIT_M))
    c = math.asin(EARTH_RADIUS_M / geom.radius_m)
    cos_theta = -math.cos(c) / math.cos(geom.beta_rad)
    dc_dtheta = math.cos(geom.beta_rad) * math.sqrt(1 - cos_theta**2) / math.sin(c)
    return 2 * sun_radius / dc_dtheta * geom.period_s / (2 * math.pi)


@pytest.mark.parametrize("altitude_km, beta_deg", [(400.0, 0.0), (550.0, 40.0), (800.0, 55.0)])
def test_penumbra_duration_vs_hand_estimate(altitude_km, beta_deg):
    geom = resolve_orbit(altitude_km * 1e3, beta_rad=math.radians(beta_deg))
    (pen_in, pen_out), = eclipse_intervals_s(geom, "conical")
    (umb_in, umb_out), = umbra_intervals_s(geom)
    hand = _hand_penumbra_s(geom)
    assert umb_in - pen_in == pytest.approx(hand, rel=0.02)
    assert pen_out - umb_out == pytest.approx(hand, rel=0.02)
    if beta_deg == 0.0:
        # 400 km, beta 0: 2 x 0.2666 deg / 360 deg x 5553.6 s = 8.2 s
        assert umb_in - pen_in == pytest.approx(8.2, abs=0.1)
    # umbra < cylindrical eclipse < penumbra-to-penumbra, all centred on P/2
    (cyl_in, cyl_out), = eclipse_intervals_s(geom, "cylindrical")
    assert pen_in < cyl_in < umb_in < geom.period_s / 2 < umb_out < cyl_out < pen_out
    for a, b in [(pen_in, pen_out), (umb_in, umb_out), (cyl_in, cyl_out)]:
        assert 0.5 * (a + b) == pytest.approx(geom.period_s / 2, abs=1e-6)
    assert shadow_breakpoints_s(geom, "conical") == sorted([pen_in, umb_in, umb_out, pen_out])


def test_shadow_factor_through_penumbra():
    geom = resolve_orbit(400e3, beta_rad=0.3)
    (pen_in, pen_out), = eclipse_intervals_s(geom, "conical")
    (umb_in, umb_out), = umbra_intervals_s(geom)
    t_in = np.linspace(pen_in - 2.0, umb_in + 2.0, 4001)
    nu_in = shadow_factor(geom, t_in, "conical")
    assert np.all(np.diff(nu_in) <= 1e-12)  # monotonic decreasing into the shadow
    assert nu_in[0] == 1.0 and nu_in[-1] == 0.0
    t_out = np.linspace(umb_out - 2.0, pen_out + 2.0, 4001)
    assert np.all(np.diff(shadow_factor(geom, t_out, "conical")) >= -1e-12)
    # the root-found edges are where the factor leaves 1 and reaches 0
    eps = 1e-6 * geom.period_s
    nu = shadow_factor(geom, [pen_in - eps, pen_in + eps, umb_in - eps, umb_in + eps], "conical")
    assert nu[0] == 1.0 and nu[1] < 1.0 and nu[2] > 0.0 and nu[3] == 0.0
    # half the disc is covered half-way through the penumbra (chord-symmetric overlap, ~0.5)
    assert shadow_factor(geom, 0.5 * (pen_in + umb_in), "conical")[0] == pytest.approx(0.5, abs=0.02)
    # cylindrical edges switch 1 -> 0
    (c_in, c_out), = eclipse_intervals_s(geom, "cylindrical")
    times = [c_in - eps, c_in + eps, c_out - eps, c_out + eps]
    np.testing.assert_array_equal(shadow_factor(geom, times, "cylindrical"), [1, 0, 0, 1])


def test_penumbra_only_just_above_beta_star():
    # just above beta* the orbit grazes the penumbra without entering the umbra
    geom = resolve_orbit(400e3, beta_rad=beta_star_rad(400e3) + 0.002)
    assert eclipse_intervals_s(geom, "cylindrical") == []
    assert umbra_intervals_s(geom) == []
    (pen_in, pen_out), = eclipse_intervals_s(geom, "conical")
    assert 0.0 < shadow_factor(geom, geom.period_s / 2, "conical")[0] < 1.0
    far = resolve_orbit(400e3, beta_rad=beta_star_rad(400e3) + 0.02)
    assert eclipse_intervals_s(far, "conical") == []


def test_shadow_model_none_and_bad_name():
    geom = resolve_orbit(400e3, beta_rad=0.0)
    t = np.linspace(0, geom.period_s, 50)
    np.testing.assert_array_equal(shadow_factor(geom, t, "none"), np.ones(50))
    assert eclipse_intervals_s(geom, "none") == []
    with pytest.raises(ValueError, match="eclipse model"):
        shadow_factor(geom, t, "penumbral")
