"""Circular-orbit geometry: period, beta angle, sun-synchronous orbits, eclipses, attitude frames.

Everything here is SI (metres, seconds, radians) and vectorised over time with numpy.

Frames
------
*ECI*: J2000 mean equator and equinox, x toward the vernal equinox, z toward the celestial
north pole (used only to turn an epoch, inclination and RAAN into a beta angle).

*Orbit frame*: z along the orbit normal h = r x v, the sun in the x-z plane,
``s = (cos beta, 0, sin beta)``. The satellite is at ``r_hat = (cos th, sin th, 0)`` with velocity
``v_hat = (-sin th, cos th, 0)`` and orbit phase ``th = 2 pi t / P``. ``t = 0`` is orbit noon (the
satellite closest to the sun direction), so the eclipse is centred on ``t = P / 2``. Beta is
positive when the sun lies on the side of the orbit normal.

*Body frame*, attitude ``'nadir'``: +z zenith (``r_hat``), +x along the velocity (``v_hat``),
+y along the orbit normal; right-handed because ``v_hat x n_hat = r_hat``.
Attitude ``'sun'``: +z toward the sun, +y the component of the orbit normal perpendicular to the
sun (when beta = +-90 deg: ``v_hat`` at t = 0), +x = y x z.

Assumptions
-----------
- Circular Keplerian orbit about a spherical Earth of equatorial radius R (WGS-84); the orbit
  plane is fixed over the few orbits a thermal run covers (J2 only sets the sun-synchronous
  inclination). Beta is held constant within the run.
- Shadow of a spherical Earth without atmosphere: the real shadow edge is raised by refraction
  and absorption in the atmosphere by some tens of kilometres, which lengthens eclipses by a
  few seconds in LEO.
- Low-precision solar ephemeris (about 0.01 deg, 1900-2100); UTC is used in place of UT1 and TT
  (an error of about one minute of time, 0.0007 deg of solar longitude).

References
----------
.. [1] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., Microcosm
   Press, 2013: Alg. 29 (SUN), eq. 3-88 (IAU-1976 precession), eq. 9-41 (J2 nodal rate),
   sec. 5.3 (sun-synchronous orbits, beta angle).
.. [2] O. Montenbruck and E. Gill, *Satellite Orbits: Models, Methods and Applications*,
   Springer, 2000, sec. 3.4.2 (conical shadow model).
.. [3] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. 1, 2nd ed., The
   Aerospace Press, 2002, ch. 2 (beta angle, eclipse fraction).
.. [4] J. R. Wertz and W. J. Larson (eds.), *Space Mission Analysis and Design*, 3rd ed.,
   1999, sec. 6.2 (sun-synchronous inclination).
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

import numpy as np

from thermal.case.model import ATTITUDES, SHADOW_MODELS, OrbitConfig
from thermal.core.constants import (
    ASTRONOMICAL_UNIT_M,
    EARTH_J2,
    EARTH_MU_M3_S2,
    EARTH_RADIUS_M,
    SUN_RADIUS_M,
    TROPICAL_YEAR_S,
)
from thermal.core.errors import CaseError
from thermal.core.kepler import orbital_period_s

__all__ = [
    "ATTITUDES",
    "SHADOW_MODELS",
    "DEFAULT_EPOCH",
    "OrbitGeometry",
    "orbital_period_s",
    "beta_star_rad",
    "sun_synchronous_inclination_rad",
    "eclipse_fraction_cylindrical",
    "sun_position",
    "equation_of_time_rad",
    "beta_angle_rad",
    "raan_for_ltan_rad",
    "resolve_orbit",
    "orbit_phase_rad",
    "body_axes_in_orbit_frame",
    "sun_vector_body",
    "nadir_vector_body",
    "shadow_factor",
    "eclipse_duration_s",
    "eclipse_intervals_s",
    "umbra_intervals_s",
    "shadow_breakpoints_s",
]


#: Epoch used when the geometry needs one and the case gives none: the March 2027 equinox day.
DEFAULT_EPOCH = _dt.datetime(2027, 3, 20, 12, 0, tzinfo=_dt.UTC)

_J2000_UTC = _dt.datetime(2000, 1, 1, 12, 0, tzinfo=_dt.UTC)
_ARCSEC_RAD = math.pi / (180.0 * 3600.0)
_TWO_PI = 2.0 * math.pi


# --------------------------------------------------------------------------------------------
# Orbit scalars
# --------------------------------------------------------------------------------------------
def _check_altitude(altitude_m) -> float:
    altitude_m = float(altitude_m)
    if not math.isfinite(altitude_m) or altitude_m <= 0.0:
        raise ValueError(f"orbit altitude must be a positive finite length in metres, got {altitude_m!r}")
    return altitude_m


def beta_star_rad(altitude_m: float) -> float:
    """Critical beta angle, asin(R / (R + h)); for |beta| above it a circular orbit sees no eclipse.

    Parameters
    ----------
    altitude_m : float
        Altitude [m].

    Returns
    -------
    float
        beta* [rad].

    References
    ----------
    Gilmore (2002), ch. 2, eq. 2.1.
    """
    return math.asin(EARTH_RADIUS_M / (EARTH_RADIUS_M + _check_altitude(altitude_m)))


def sun_synchronous_inclination_rad(altitude_m: float) -> float:
    """Inclination of a circular sun-synchronous orbit.

    The J2 secular nodal rate of a circular orbit, dOmega/dt = -3/2 n J2 (R/a)^2 cos i
    (Vallado 2013, eq. 9-41 with e = 0), is set equal to the mean motion of the sun,
    360 deg per tropical year of 365.2422 days.

    Parameters
    ----------
    altitude_m : float
        Altitude [m].

    Returns
    -------
    float
        Inclination [rad] (retrograde, > 90 deg).

    Raises
    ------
    ValueError
        Above about 5,970 km altitude J2 cannot precess the node fast enough.
    """
    a_m = EARTH_RADIUS_M + _check_altitude(altitude_m)
    mean_motion_rad_s = math.sqrt(EARTH_MU_M3_S2 / a_m**3)
    node_rate_rad_s = _TWO_PI / TROPICAL_YEAR_S
    cos_i = -node_rate_rad_s / (1.5 * mean_motion_rad_s * EARTH_J2 * (EARTH_RADIUS_M / a_m) ** 2)
    if cos_i < -1.0:
        raise ValueError(
            f"no sun-synchronous circular orbit exists at altitude {altitude_m / 1e3:.0f} km "
            "(J2 precession too slow above about 5970 km)"
        )
    return math.acos(cos_i)


def eclipse_fraction_cylindrical(altitude_m, beta_rad):
    """Fraction of a circular orbit spent in the cylindrical Earth shadow.

    f = acos( sqrt(h^2 + 2 R h) / ((R + h) cos beta) ) / pi for |beta| < beta*, else 0.

    Parameters
    ----------
    altitude_m : float or array_like
        Altitude [m].
    beta_rad : float or array_like
        Beta angle [rad].

    Returns
    -------
    float or numpy.ndarray
        Eclipse fraction [-], a float when both inputs are scalars.

    References
    ----------
    Gilmore (2002), ch. 2, eq. 2.2.
    """
    h = np.asarray(altitude_m, dtype=float)
    if np.any(~np.isfinite(h)) or np.any(h <= 0.0):
        raise ValueError(f"orbit altitude must be positive and finite, got {altitude_m!r}")
    beta = np.asarray(beta_rad, dtype=float)
    r = EARTH_RADIUS_M + h
    cos_beta = np.abs(np.cos(beta))
    ratio = np.sqrt(h * h + 2.0 * EARTH_RADIUS_M * h) / np.maximum(r * cos_beta, 1e-300)
    frac = np.where(ratio < 1.0, np.arccos(np.minimum(ratio, 1.0)) / math.pi, 0.0)
    if frac.ndim == 0:
        return float(frac)
    return frac


# --------------------------------------------------------------------------------------------
# Solar ephemeris and orbit orientation
# --------------------------------------------------------------------------------------------
def _as_utc_datetime(when) -> _dt.datetime:
    """A datetime in UTC. Naive datetimes are taken as UTC; a bare date means 12:00 UTC that day."""
    if isinstance(when, _dt.datetime):
        if when.tzinfo is None:
            return when.replace(tzinfo=_dt.UTC)
        return when.astimezone(_dt.UTC)
    if isinstance(when, _dt.date):
        return _dt.datetime(when.year, when.month, when.day, 12, 0, tzinfo=_dt.UTC)
    raise TypeError(f"epoch must be a datetime.date or datetime.datetime, got {type(when).__name__}")


def _julian_centuries_since_j2000(when) -> float:
    delta_s = (_as_utc_datetime(when) - _J2000_UTC).total_seconds()
    return delta_s / (86400.0 * 36525.0)


def _sun_of_date(t_cent: float) -> tuple[np.ndarray, float, float]:
    """Vallado Alg. 29: unit vector (mean equator and equinox of date), distance [AU], mean longitude [rad]."""
    mean_longitude_deg = 280.460 + 36000.771 * t_cent
    mean_anomaly_rad = math.radians(357.5291092 + 35999.05034 * t_cent)
    ecliptic_longitude_rad = math.radians(
        mean_longitude_deg
        + 1.914666471 * math.sin(mean_anomaly_rad)
        + 0.019994643 * math.sin(2.0 * mean_anomaly_rad)
    )
    distance_au = (
        1.000140612
        - 0.016708617 * math.cos(mean_anomaly_rad)
        - 0.000139589 * math.cos(2.0 * mean_anomaly_rad)
    )
    obliquity_rad = math.radians(23.439291 - 0.0130042 * t_cent)
    unit = np.array(
        [
            math.cos(ecliptic_longitude_rad),
            math.cos(obliquity_rad) * math.sin(ecliptic_longitude_rad),
            math.sin(obliquity_rad) * math.sin(ecliptic_longitude_rad),
        ]
    )
    return unit, distance_au, math.radians(mean_longitude_deg)


def _rot_frame(axis: int, angle_rad: float) -> np.ndarray:
    """Frame rotation matrix (Vallado's ROT1/ROT2/ROT3): components in a frame turned by +angle."""
    c, s = math.cos(angle_rad), math.sin(angle_rad)
    if axis == 2:
        return np.array([[c, 0.0, -s], [0.0, 1.0, 0.0], [s, 0.0, c]])
    if axis == 3:
        return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])
    raise ValueError(axis)


def _precession_j2000_to_date(t_cent: float) -> np.ndarray:
    """IAU-1976 precession matrix, r_of_date = P @ r_J2000 (Lieske 1977; Vallado 2013, eq. 3-88)."""
    zeta = (2306.2181 * t_cent + 0.30188 * t_cent**2 + 0.017998 * t_cent**3) * _ARCSEC_RAD
    theta = (2004.3109 * t_cent - 0.42665 * t_cent**2 - 0.041833 * t_cent**3) * _ARCSEC_RAD
    z = (2306.2181 * t_cent + 1.09468 * t_cent**2 + 0.018203 * t_cent**3) * _ARCSEC_RAD
    return _rot_frame(3, -z) @ _rot_frame(2, theta) @ _rot_frame(3, -zeta)


def sun_position(when, frame: str = "J2000") -> tuple[np.ndarray, float]:
    """Direction and distance of the sun from the Earth's centre, low-precision ephemeris.

    The Astronomical Almanac low-precision formulae as given by Vallado (2013), Alg. 29:
    mean longitude, mean anomaly, ecliptic longitude with the two leading equation-of-centre
    terms, and the mean obliquity; accuracy about 0.01 deg between 1950 and 2050. The
    direction is referred to the mean equator and equinox of date and rotated to J2000 with
    the IAU-1976 precession (about 0.36 deg of longitude by 2027).

    Parameters
    ----------
    when : datetime.datetime or datetime.date
        Instant; naive datetimes are UTC, a date means 12:00 UTC that day.
    frame : {'J2000', 'of_date'}
        'J2000' (default): J2000 mean equator and equinox. 'of_date': mean equator and equinox
        of date (the frame in which the equinox is the sun's ascending node on the equator).

    Returns
    -------
    unit_vector : numpy.ndarray
        (3,) unit vector from the Earth to the sun in ECI [-].
    distance_au : float
        Earth-sun distance [AU].

    References
    ----------
    Vallado (2013), Alg. 29 and eq. 3-88; The Astronomical Almanac, sec. C5.
    """
    t_cent = _julian_centuries_since_j2000(when)
    unit_of_date, distance_au, _ = _sun_of_date(t_cent)
    if frame == "of_date":
        unit = unit_of_date
    elif frame == "J2000":
        unit = _precession_j2000_to_date(t_cent).T @ unit_of_date
    else:
        raise ValueError(f"frame must be 'J2000' or 'of_date', got {frame!r}")
    return unit / np.linalg.norm(unit), float(distance_au)


def _wrap_pi(angle_rad: float) -> float:
    return (angle_rad + math.pi) % _TWO_PI - math.pi


def equation_of_time_rad(when) -> float:
    """Equation of time, apparent minus mean solar time, as an angle (1 deg = 4 min).

    Equal to the right ascension of the mean sun minus that of the true sun, both of date.
    The right ascension of the fictitious mean sun is the sun's mean longitude,
    280.460 deg + 36000.771 deg T (the same rate as GMST minus UT).

    Parameters
    ----------
    when : datetime.datetime or datetime.date
        Instant (UTC).

    Returns
    -------
    float
        Equation of time [rad], in (-pi, pi].

    References
    ----------
    Vallado (2013), Alg. 29 and sec. 3.5 (mean and apparent solar time).
    """
    t_cent = _julian_centuries_since_j2000(when)
    unit, _, mean_longitude_rad = _sun_of_date(t_cent)
    true_ra_rad = math.atan2(unit[1], unit[0])
    return _wrap_pi(mean_longitude_rad - true_ra_rad)


def _orbit_normal_eci(inclination_rad: float, raan_rad: float) -> np.ndarray:
    si = math.sin(inclination_rad)
    return np.array([math.sin(raan_rad) * si, -math.cos(raan_rad) * si, math.cos(inclination_rad)])


def beta_angle_rad(inclination_rad: float, raan_rad: float, when) -> float:
    """Beta angle: elevation of the sun above the orbit plane, beta = asin(s . h).

    Parameters
    ----------
    inclination_rad : float
        Inclination [rad].
    raan_rad : float
        Right ascension of the ascending node in J2000 [rad].
    when : datetime.datetime or datetime.date
        Instant (UTC) at which the sun direction is taken.

    Returns
    -------
    float
        Beta [rad], positive when the sun is on the side of the orbit normal h = r x v.

    References
    ----------
    Gilmore (2002), ch. 2; Vallado (2013), sec. 5.3.
    """
    sun_unit, _ = sun_position(when)
    s_dot_h = float(sun_unit @ _orbit_normal_eci(inclination_rad, raan_rad))
    return math.asin(max(-1.0, min(1.0, s_dot_h)))


def raan_for_ltan_rad(ltan_hours: float, when, *, mean_sun: bool = True) -> float:
    """RAAN that puts the ascending node at a given local time.

    The hour angle of the ascending node from the sun is (LTAN - 12 h) x 15 deg/h, so
    RAAN = RA(sun) + (LTAN - 12 h) x 15 deg/h. With ``mean_sun=True`` (default) the LTAN is a
    mean local time, the usual convention for sun-synchronous orbits (it is what J2 precession
    holds fixed), and the right ascension of the mean sun is used; otherwise the true sun
    (apparent solar time). They differ by the equation of time, at most about 4 deg.

    Parameters
    ----------
    ltan_hours : float
        Local time of the ascending node [h], in [0, 24].
    when : datetime.datetime or datetime.date
        Epoch (UTC).
    mean_sun : bool
        Use the mean sun (default) rather than the true sun.

    Returns
    -------
    float
        RAAN in J2000 [rad], in [0, 2 pi).

    References
    ----------
    Vallado (2013), sec. 5.3 and Alg. 29; Wertz & Larson (1999), sec. 6.2.
    """
    ltan_hours = float(ltan_hours)
    if not math.isfinite(ltan_hours) or not 0.0 <= ltan_hours <= 24.0:
        raise ValueError(f"LTAN must be between 0 and 24 hours, got {ltan_hours!r}")
    sun_unit, _ = sun_position(when)
    ra_sun_rad = math.atan2(sun_unit[1], sun_unit[0])
    if mean_sun:
        ra_sun_rad += equation_of_time_rad(when)
    raan = ra_sun_rad + math.radians(15.0 * (ltan_hours - 12.0))
    return raan % _TWO_PI


# --------------------------------------------------------------------------------------------
# Resolved geometry
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrbitGeometry:
    """A circular orbit reduced to what the thermal environment needs.

    Attributes
    ----------
    altitude_m : float
        Altitude above the equatorial radius [m].
    radius_m : float
        Orbit radius R_earth + h [m].
    period_s : float
        Orbital period [s].
    beta_rad : float
        Beta angle, held constant over the run [rad].
    solar_distance_au : float
        Earth-sun distance [AU]; 1.0 unless an epoch fixes it.
    inclination_rad, raan_rad : float or None
        Orientation of the orbit in J2000 [rad] when known.
    """

    altitude_m: float
    radius_m: float
    period_s: float
    beta_rad: float
    solar_distance_au: float
    inclination_rad: float | None = None
    raan_rad: float | None = None


def resolve_orbit(
    altitude_m: float,
    *,
    beta_rad: float | None = None,
    inclination_rad: float | None = None,
    raan_rad: float | None = None,
    ltan_hours: float | None = None,
    epoch=None,
) -> OrbitGeometry:
    """Turn one of the three ways of specifying an orbit into an :class:`OrbitGeometry`.

    Exactly one of:

    - ``beta_rad``: a fixed beta angle. Solar distance from the ephemeris at ``epoch`` when
      one is given, else 1 AU.
    - ``ltan_hours``: sun-synchronous; inclination from J2 (see
      :func:`sun_synchronous_inclination_rad`), RAAN from the LTAN at the epoch (mean sun).
    - ``inclination_rad`` and ``raan_rad`` (J2000): beta from the sun at the epoch.

    For the last two the epoch defaults to :data:`DEFAULT_EPOCH` (2027-03-20 12:00 UTC, equinox
    day) to fix the geometry; the solar distance is taken from the ephemeris only when the
    caller gives an epoch, and is 1 AU otherwise, so that the solar constant is used as given.

    Parameters
    ----------
    altitude_m : float
        Altitude [m].
    beta_rad, inclination_rad, raan_rad : float, optional
        Angles [rad].
    ltan_hours : float, optional
        Local time of the ascending node [h].
    epoch : datetime.date or datetime.datetime, optional
        Epoch (UTC; a date means 12:00 UTC).

    Returns
    -------
    OrbitGeometry

    Raises
    ------
    ValueError
        Inconsistent or out-of-range input.
    """
    altitude_m = _check_altitude(altitude_m)
    modes = [
        name
        for name, present in (
            ("beta", beta_rad is not None),
            ("sun_synchronous ltan", ltan_hours is not None),
            ("inclination + raan", inclination_rad is not None or raan_rad is not None),
        )
        if present
    ]
    if len(modes) != 1:
        given = ", ".join(modes) if modes else "none"
        raise ValueError(
            "orbit: give exactly one of beta, sun_synchronous ltan, or inclination + raan "
            f"(given: {given})"
        )
    if epoch is not None:
        epoch_utc = _as_utc_datetime(epoch)
        solar_distance_au = sun_position(epoch_utc)[1]
    else:
        epoch_utc = DEFAULT_EPOCH
        solar_distance_au = 1.0

    radius_m = EARTH_RADIUS_M + altitude_m
    period_s = orbital_period_s(altitude_m)
    inclination = raan = None
    mode = modes[0]
    if mode == "beta":
        beta = float(beta_rad)
        if not math.isfinite(beta) or abs(beta) > math.pi / 2 + 1e-12:
            raise ValueError(f"orbit beta must be between -90 and 90 deg, got {math.degrees(beta):.6g} deg")
        beta = max(-math.pi / 2, min(math.pi / 2, beta))
    elif mode == "sun_synchronous ltan":
        inclination = sun_synchronous_inclination_rad(altitude_m)
        raan = raan_for_ltan_rad(ltan_hours, epoch_utc)
        beta = beta_angle_rad(inclination, raan, epoch_utc)
    else:
        if inclination_rad is None or raan_rad is None:
            missing = "raan" if raan_rad is None else "inclination"
            raise ValueError(f"orbit: inclination and raan must be given together ({missing} is missing)")
        inclination = float(inclination_rad)
        if not math.isfinite(inclination) or not 0.0 <= inclination <= math.pi:
            raise ValueError(
                f"orbit inclination must be between 0 and 180 deg, got {math.degrees(inclination):.6g} deg"
            )
        raan = float(raan_rad)
        if not math.isfinite(raan):
            raise ValueError(f"orbit raan must be finite, got {raan!r}")
        raan %= _TWO_PI
        beta = beta_angle_rad(inclination, raan, epoch_utc)
    return OrbitGeometry(
        altitude_m=altitude_m,
        radius_m=radius_m,
        period_s=period_s,
        beta_rad=beta,
        solar_distance_au=float(solar_distance_au),
        inclination_rad=inclination,
        raan_rad=raan,
    )


# --------------------------------------------------------------------------------------------
# Time series in the orbit and body frames
# --------------------------------------------------------------------------------------------
def _times(time_s) -> np.ndarray:
    return np.atleast_1d(np.asarray(time_s, dtype=float))


def orbit_phase_rad(geom: OrbitGeometry, time_s) -> np.ndarray:
    """Orbit phase from orbit noon, theta = 2 pi t / P.

    Parameters
    ----------
    geom : OrbitGeometry
    time_s : float or array_like
        Time since orbit noon [s].

    Returns
    -------
    numpy.ndarray
        (N,) phase [rad] (not wrapped).
    """
    return _TWO_PI * _times(time_s) / geom.period_s


def _sun_orbit_frame(geom: OrbitGeometry) -> np.ndarray:
    return np.array([math.cos(geom.beta_rad), 0.0, math.sin(geom.beta_rad)])


def body_axes_in_orbit_frame(geom: OrbitGeometry, time_s, attitude: str) -> np.ndarray:
    """Body axes expressed in the orbit frame.

    Parameters
    ----------
    geom : OrbitGeometry
    time_s : float or array_like
        Time since orbit noon [s].
    attitude : {'nadir', 'sun'}

    Returns
    -------
    numpy.ndarray
        (N, 3, 3); row k is body axis k (x, y, z) in orbit-frame components, so
        ``v_body = axes @ v_orbit``.
    """
    theta = orbit_phase_rad(geom, time_s)
    n = theta.size
    axes = np.zeros((n, 3, 3))
    if attitude == "nadir":
        c, s = np.cos(theta), np.sin(theta)
        axes[:, 0, 0], axes[:, 0, 1] = -s, c  # +x: velocity
        axes[:, 1, 2] = 1.0  # +y: orbit normal
        axes[:, 2, 0], axes[:, 2, 1] = c, s  # +z: zenith
    elif attitude == "sun":
        z_axis = _sun_orbit_frame(geom)
        normal = np.array([0.0, 0.0, 1.0])
        y_axis = normal - (normal @ z_axis) * z_axis
        if np.linalg.norm(y_axis) < 1e-9:  # beta = +-90 deg: v_hat at t = 0 projected
            y_axis = np.array([0.0, 1.0, 0.0]) - z_axis[1] * z_axis
        y_axis /= np.linalg.norm(y_axis)
        x_axis = np.cross(y_axis, z_axis)
        axes[:] = np.stack([x_axis, y_axis, z_axis])
    else:
        raise ValueError(f"attitude must be one of {ATTITUDES}, got {attitude!r}")
    return axes


def sun_vector_body(geom: OrbitGeometry, time_s, attitude: str) -> np.ndarray:
    """Unit vector toward the sun in body axes.

    The sun is at infinity for the direction (parallax of the orbit, < 3e-5 rad, is neglected).

    Parameters
    ----------
    geom : OrbitGeometry
    time_s : float or array_like
        Time since orbit noon [s].
    attitude : {'nadir', 'sun'}

    Returns
    -------
    numpy.ndarray
        (N, 3) unit vectors [-].
    """
    axes = body_axes_in_orbit_frame(geom, time_s, attitude)
    return axes @ _sun_orbit_frame(geom)


def nadir_vector_body(geom: OrbitGeometry, time_s, attitude: str) -> np.ndarray:
    """Unit vector from the satellite toward the Earth's centre, in body axes.

    Parameters
    ----------
    geom : OrbitGeometry
    time_s : float or array_like
        Time since orbit noon [s].
    attitude : {'nadir', 'sun'}

    Returns
    -------
    numpy.ndarray
        (N, 3) unit vectors [-].
    """
    theta = orbit_phase_rad(geom, time_s)
    axes = body_axes_in_orbit_frame(geom, time_s, attitude)
    nadir_orbit = -np.stack([np.cos(theta), np.sin(theta), np.zeros_like(theta)], axis=1)
    return np.einsum("nij,nj->ni", axes, nadir_orbit)


# --------------------------------------------------------------------------------------------
# Shadow
# --------------------------------------------------------------------------------------------
def _check_model(model: str) -> None:
    if model not in SHADOW_MODELS:
        raise ValueError(f"eclipse model must be one of {SHADOW_MODELS}, got {model!r}")


def _conical_angles(geom: OrbitGeometry, theta):
    """Apparent radii of sun and Earth and their separation seen from the satellite [rad].

    Montenbruck & Gill (2000), sec. 3.4.2: a = asin(R_sun / |r_sun - r|), b = asin(R_E / |r|),
    c = angle between -r and r_sun - r.
    """
    theta = np.asarray(theta, dtype=float)
    r = geom.radius_m
    d = geom.solar_distance_au * ASTRONOMICAL_UNIT_M
    s = _sun_orbit_frame(geom)
    # satellite at r (cos th, sin th, 0); sun at d s
    rel_x = d * s[0] - r * np.cos(theta)
    rel_y = -r * np.sin(theta)
    rel_z = d * s[2]
    rel_norm = np.sqrt(rel_x**2 + rel_y**2 + rel_z**2)
    cos_c = (-(np.cos(theta) * rel_x + np.sin(theta) * rel_y)) / rel_norm
    c = np.arccos(np.clip(cos_c, -1.0, 1.0))
    a = np.arcsin(SUN_RADIUS_M / rel_norm)
    b = math.asin(EARTH_RADIUS_M / r)
    return a, b, c


def _conical_factor(a, b, c):
    """Visible fraction of the solar disc for discs of radii a (sun), b (Earth), separation c."""
    a, b, c = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float), np.asarray(c, float))
    nu = np.ones(a.shape)
    full = c <= np.abs(a - b)
    nu[full & (b >= a)] = 0.0  # umbra
    annular = full & (b < a)
    nu[annular] = 1.0 - (b[annular] / a[annular]) ** 2
    part = (c > np.abs(a - b)) & (c < a + b)
    if np.any(part):
        ap, bp, cp = a[part], b[part], c[part]
        x = (cp**2 + ap**2 - bp**2) / (2.0 * cp)
        y = np.sqrt(np.maximum(ap**2 - x**2, 0.0))
        area = (
            ap**2 * np.arccos(np.clip(x / ap, -1.0, 1.0))
            + bp**2 * np.arccos(np.clip((cp - x) / bp, -1.0, 1.0))
            - cp * y
        )
        nu[part] = 1.0 - area / (math.pi * ap**2)
    return np.clip(nu, 0.0, 1.0)


def _cylindrical_margin_m(geom: OrbitGeometry, theta):
    """Distance of the satellite from the shadow-cylinder axis minus R (negative inside)."""
    cb = math.cos(geom.beta_rad)
    proj = cb * np.cos(theta)  # r_hat . s
    return geom.radius_m * np.sqrt(np.maximum(1.0 - proj**2, 0.0)) - EARTH_RADIUS_M


def shadow_factor(geom: OrbitGeometry, time_s, model: str) -> np.ndarray:
    """Fraction of the solar disc visible from the satellite.

    Parameters
    ----------
    geom : OrbitGeometry
    time_s : float or array_like
        Time since orbit noon [s].
    model : {'conical', 'cylindrical', 'none'}
        'conical': umbra and penumbra, the visible fraction of the solar disc from the overlap
        of two flat discs (Montenbruck & Gill 2000, sec. 3.4.2), with the sun at the solar
        distance of ``geom``. 'cylindrical': 0 inside the cylinder of radius R behind the
        Earth, 1 outside. 'none': always 1.

    Returns
    -------
    numpy.ndarray
        (N,) shadow factor, 1 = full sun, 0 = umbra [-].
    """
    _check_model(model)
    theta = orbit_phase_rad(geom, time_s)
    if model == "none":
        return np.ones_like(theta)
    if model == "cylindrical":
        behind = math.cos(geom.beta_rad) * np.cos(theta) < 0.0
        inside = _cylindrical_margin_m(geom, theta) < 0.0
        return np.where(behind & inside, 0.0, 1.0)
    a, b, c = _conical_angles(geom, theta)
    return _conical_factor(a, b, c)


def _symmetric_roots(geom: OrbitGeometry, fun, t_lo: float) -> list[tuple[float, float]]:
    """Roots of fun on [t_lo, P/2] and [P/2, P - t_lo]; fun > 0 outside, < 0 at P/2."""
    period = geom.period_s
    half = 0.5 * period
    if fun(half) >= 0.0:
        return []
    from scipy.optimize import brentq  # only for an orbit with an eclipse: a deep-space run needs no SciPy

    xtol = 1e-9 * period
    t_in = brentq(fun, t_lo, half, xtol=xtol, rtol=4.0 * np.finfo(float).eps)
    t_out = brentq(fun, half, period - t_lo, xtol=xtol, rtol=4.0 * np.finfo(float).eps)
    return [(float(t_in), float(t_out))]


def eclipse_intervals_s(geom: OrbitGeometry, model: str) -> list[tuple[float, float]]:
    """Start and end of the time in shadow (shadow factor < 1) within one orbit.

    Found by root finding (``scipy.optimize.brentq``, to 1e-9 of the period) so that time
    steppers can land on them. The eclipse is centred on P/2, so it never wraps.

    Parameters
    ----------
    geom : OrbitGeometry
    model : {'conical', 'cylindrical', 'none'}
        For 'conical' the interval runs from penumbra entry to penumbra exit.

    Returns
    -------
    list of (float, float)
        [(t_start_s, t_end_s)] with 0 <= start < end < P, or [] when there is no eclipse.
    """
    _check_model(model)
    if model == "none":
        return []
    period = geom.period_s
    if model == "cylindrical":
        # r_hat . s < 0 on (P/4, 3P/4) whenever cos beta > 0; the margin decreases to P/2 there.
        if math.cos(geom.beta_rad) <= 0.0:
            return []

        def margin(t):
            return float(_cylindrical_margin_m(geom, _TWO_PI * t / period))

        return _symmetric_roots(geom, margin, 0.25 * period)

    def outer(t):  # > 0 in full sun; c decreases monotonically from noon to midnight
        a, b, c = _conical_angles(geom, _TWO_PI * t / period)
        return float(c - (a + b))

    return _symmetric_roots(geom, outer, 0.0)


def eclipse_duration_s(geom: OrbitGeometry | None, model: str) -> float:
    """Time in shadow per orbit, penumbra included for 'conical' [s]; 0 in deep space (None) or
    with model 'none'."""
    if geom is None:
        return 0.0
    return float(sum(b - a for a, b in eclipse_intervals_s(geom, model)))


def umbra_intervals_s(geom: OrbitGeometry, model: str = "conical") -> list[tuple[float, float]]:
    """Start and end of the time in umbra (shadow factor = 0) within one orbit.

    Parameters
    ----------
    geom : OrbitGeometry
    model : {'conical', 'cylindrical', 'none'}
        For 'cylindrical' the umbra is the whole eclipse.

    Returns
    -------
    list of (float, float)
        [(t_start_s, t_end_s)], or [] when the orbit never enters the umbra.
    """
    _check_model(model)
    if model != "conical":
        return eclipse_intervals_s(geom, model)
    period = geom.period_s

    def inner(t):
        a, b, c = _conical_angles(geom, _TWO_PI * t / period)
        return float(c - (b - a))

    return _symmetric_roots(geom, inner, 0.0)


def shadow_breakpoints_s(geom: OrbitGeometry, model: str) -> list[float]:
    """All times in [0, P) where the shadow factor changes regime (penumbra/umbra edges), sorted.

    Parameters
    ----------
    geom : OrbitGeometry
    model : {'conical', 'cylindrical', 'none'}

    Returns
    -------
    list of float
        Times [s].
    """
    times = [t for iv in eclipse_intervals_s(geom, model) for t in iv]
    if model == "conical":
        times += [t for iv in umbra_intervals_s(geom, model) for t in iv]
    return sorted(times)


def case_orbit(orbit: OrbitConfig | None) -> OrbitGeometry | None:
    """The orbit geometry of a case's ``orbit`` section; None for deep space.

    Raises
    ------
    CaseError
        The values do not make a consistent circular orbit (exit code 2).
    """
    if orbit is None:
        return None
    try:
        return resolve_orbit(orbit.altitude_m, beta_rad=orbit.beta_rad, inclination_rad=orbit.inclination_rad,
                             raan_rad=orbit.raan_rad, ltan_hours=orbit.ltan_hours, epoch=orbit.epoch)
    except ValueError as err:
        raise CaseError("orbit", "a consistent circular orbit", str(err)) from None
