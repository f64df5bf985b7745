"""Tests of thermal.sizing: radiator balance, junction chain, array and battery, masses, modules.

Hand values are computed here from first principles (sigma, eps, alpha, S, the Howell view
factor of a plate to a sphere, the cylindrical eclipse formula), independently of the module.
"""

import dataclasses
import math
from itertools import pairwise

import pytest

from thermal.case.model import EnvironmentConstants
from thermal.case.sizing import DEFAULT_ARRAYS, RadiatorSizing, SizingConfig, SpecificMasses
from thermal.core.errors import InfeasibleError
from thermal.core.library import COATINGS, GPUS
from thermal.exposure import environment_absorbed_W_m2
from thermal.orbit import resolve_orbit
from thermal.sizing.design import size_design
from thermal.sizing.orbit_cases import orbit_cases_beta_sweep, orbit_cases_sun_synchronous
from thermal.sizing.radiator import (
    SizingInfeasibleError,
    net_radiator_flux_W_m2,
    radiator_area_m2,
    radiator_area_with_thermal_mass_m2,
    radiator_temperature_for_loop_K,
    radiator_temperature_from_junction,
)

from builders import MU_EARTH_M3_S2 as MU
from builders import OLR_W_M2 as OLR
from builders import R_EARTH_M as R_EARTH
from builders import SIGMA_W_M2K4 as SIGMA
from builders import SOLAR_W_M2 as S
from builders import view_factor_edge_on as _f_edge_on


def designed(orbits, target: dict, env=EnvironmentConstants(), **fields):
    """The design of :func:`size_design` for a target and some SizingConfig fields."""
    return size_design(orbits, SizingConfig(target=target, **fields), env=env)[0]


# ------------------------------------------------------------------------------------------
# Radiator balance against hand Stefan-Boltzmann
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("coating_name, temperature_K, fin", [
    ("osr", 300.0, 1.0), ("white_paint", 280.0, 0.9), ("silver_teflon", 330.0, 0.85),
])
def test_radiator_area_matches_hand_balance_sun_on_one_side(coating_name, temperature_K, fin):
    # beta = 90 deg, nadir attitude, radiator facing the orbit normal: the front sees the sun at
    # normal incidence all orbit (no eclipse), both faces see the Earth edge-on; albedo off.
    altitude = 550e3
    geom = resolve_orbit(altitude, beta_rad=math.pi / 2)
    env = EnvironmentConstants(albedo=0.0)
    c = COATINGS[coating_name]
    alpha, eps = c.solar_absorptivity(True), c.emissivity
    h = (R_EARTH + altitude) / R_EARTH
    q_ir = eps * OLR * _f_edge_on(h)
    q_front = alpha * S + q_ir
    q_back = q_ir
    heat = 1.0e6
    hand = heat / (2 * fin * eps * SIGMA * temperature_K**4 - q_front - q_back)

    absorbed = environment_absorbed_W_m2(geom, env, "nadir", "orbit_normal", c, end_of_life=True)
    assert absorbed.peak_W_m2 == pytest.approx((q_front, q_back), rel=2e-3)
    for basis in ("peak", "orbit_average"):
        area = radiator_area_m2(heat, temperature_K, eps, absorbed, True, fin, basis=basis)
        assert area == pytest.approx(hand, rel=5e-3)
    # per-side floats give the same balance exactly
    assert radiator_area_m2(heat, temperature_K, eps, [q_front, q_back], True, fin) == \
        pytest.approx(hand, rel=1e-12)


def test_radiator_area_zenith_nadir_faces_and_deep_space():
    # beta = 90 deg: a zenith face sees neither sun nor Earth; its back (nadir) sees F = 1/H^2
    altitude = 800e3
    geom = resolve_orbit(altitude, beta_rad=math.pi / 2)
    env = EnvironmentConstants(albedo=0.0)
    c = COATINGS["white_paint"]
    eps = c.emissivity
    h = (R_EARTH + altitude) / R_EARTH
    q_back = eps * OLR / h**2
    absorbed = environment_absorbed_W_m2(geom, env, "nadir", "zenith", c)
    hand = 5e4 / (2 * eps * SIGMA * 290.0**4 - q_back)
    assert radiator_area_m2(5e4, 290.0, eps, absorbed) == pytest.approx(hand, rel=5e-3)
    # one-sided: only the zenith face radiates, and it absorbs nothing here
    one = environment_absorbed_W_m2(geom, env, "nadir", "zenith", c, two_sided=False)
    assert radiator_area_m2(5e4, 290.0, eps, one, two_sided=False) == \
        pytest.approx(5e4 / (eps * SIGMA * 290.0**4), rel=1e-3)
    # deep space, black paint facing the sun: front absorbs alpha S, back nothing
    black = COATINGS["black_paint"]
    deep = environment_absorbed_W_m2(None, EnvironmentConstants(), "sun", "sun", black)
    hand = 1e4 / (2 * 0.9 * black.emissivity * SIGMA * 400.0**4 - black.absorptivity * S)
    assert radiator_area_m2(1e4, 400.0, black.emissivity, deep, True, 0.9) == \
        pytest.approx(hand, rel=1e-9)


def test_peak_basis_is_default_and_bounds_the_orbit_average():
    geom = resolve_orbit(550e3, beta_rad=0.0)
    absorbed = environment_absorbed_W_m2(geom, EnvironmentConstants(), "nadir", "zenith",
                                         COATINGS["white_paint"])
    eps = absorbed.emissivity
    assert absorbed.peak_total_W_m2 > absorbed.orbit_average_total_W_m2 + 50.0
    default = radiator_area_m2(1e6, 300.0, eps, absorbed)
    peak = radiator_area_m2(1e6, 300.0, eps, absorbed, basis="peak")
    avg = radiator_area_m2(1e6, 300.0, eps, absorbed, basis="orbit_average")
    assert default == peak
    assert peak == pytest.approx(1e6 / (2 * eps * SIGMA * 300.0**4 - absorbed.peak_total_W_m2),
                                 rel=1e-12)
    assert peak > avg * 1.1
    # the peak of the sum over both faces, not the sum of each face's own peak
    assert absorbed.peak_total_W_m2 <= sum(absorbed.peak_W_m2) + 1e-9


def test_thermal_mass_variant_lies_between_average_and_peak():
    geom = resolve_orbit(550e3, beta_rad=0.0)
    absorbed = environment_absorbed_W_m2(geom, EnvironmentConstants(), "nadir", "zenith",
                                         COATINGS["white_paint"], n_time=180)
    eps = absorbed.emissivity
    peak = radiator_area_m2(1e6, 300.0, eps, absorbed, basis="peak")
    avg = radiator_area_m2(1e6, 300.0, eps, absorbed, basis="orbit_average")
    areas = [radiator_area_with_thermal_mass_m2(1e6, 300.0, absorbed, c)
             for c in (1.0, 3.6e3, 3e4, 1e8)]
    assert areas[0] == pytest.approx(peak, rel=1e-9)  # negligible capacity: the peak basis
    assert areas[-1] == pytest.approx(avg, rel=2e-3)  # huge capacity: the orbit average
    assert all(a > b for a, b in pairwise(areas))
    assert avg < areas[1] < peak


# ------------------------------------------------------------------------------------------
# Infeasibility
# ------------------------------------------------------------------------------------------
def test_infeasible_radiator_names_constraint_and_shortfall():
    eps, q_side, T = 0.8, 300.0, 250.0
    emitted = 2 * eps * SIGMA * T**4
    with pytest.raises(InfeasibleError) as info:
        radiator_area_m2(1e5, T, eps, q_side, constraint="given radiator temperature 250 K")
    err = info.value
    assert isinstance(err, SizingInfeasibleError) and err.exit_code == 3
    assert err.constraint == "given radiator temperature 250 K"
    assert err.shortfall_W_m2 == pytest.approx(2 * q_side - emitted, rel=1e-9)
    t_env = (2 * q_side / (2 * eps * SIGMA)) ** 0.25
    assert err.shortfall_K == pytest.approx(t_env - T, rel=1e-9)
    text = str(err)
    assert "binding constraint" in text and "given radiator temperature 250 K" in text
    assert f"{2 * q_side - emitted:.1f} W/m^2" in text and f"{t_env - T:.1f} K" in text


def test_size_design_infeasible_from_junction_limit():
    # a black zenith radiator in a beta = 0 orbit, with a junction margin that leaves a cold loop
    geom = resolve_orbit(550e3, beta_rad=0.0)
    with pytest.raises(InfeasibleError, match="GPU junction limit") as info:
        designed(geom, {"gpu_count": 8}, radiator=RadiatorSizing(coating=COATINGS["black_paint"], facing="zenith"),
                 junction_margin_K=60.0, samples_per_orbit=120)
    assert info.value.shortfall_W_m2 > 0 and info.value.shortfall_K > 0


# ------------------------------------------------------------------------------------------
# Junction -> radiator temperature
# ------------------------------------------------------------------------------------------
def test_radiator_temperature_chain_closed_form_and_loop_solve():
    gpu = GPUS["H100-SXM"]
    t = radiator_temperature_from_junction(gpu.junction_limit_K, 10.0, 700.0, 0.03, 10.0, 2.0)
    assert t == pytest.approx(273.15 + 87.0 - 10.0 - 21.0 + 5.0 - 2.0, abs=1e-12)
    # with a finite conductance the surface sits q_net / U below the coolant
    eps, q, U, tm = 0.79, [60.0, 45.0], 80.0, 330.0
    t_rad = radiator_temperature_for_loop_K(tm, U, eps, q, True, 0.9)
    q_net = 2 * 0.9 * eps * SIGMA * t_rad**4 - sum(q)
    assert t_rad == pytest.approx(tm - q_net / U, abs=1e-7)
    assert 300.0 < t_rad < tm
    assert radiator_temperature_for_loop_K(tm, None, eps, q) == tm
    assert radiator_temperature_for_loop_K(tm, 1e9, eps, q) == pytest.approx(tm, abs=1e-4)
    with pytest.raises(InfeasibleError):
        radiator_temperature_for_loop_K(200.0, U, eps, [400.0, 400.0])


# ------------------------------------------------------------------------------------------
# Array and battery against the hand orbit energy balance
# ------------------------------------------------------------------------------------------
def test_array_and_battery_match_hand_energy_balance():
    altitude, years = 550e3, 5.0
    geom = resolve_orbit(altitude, beta_rad=0.0)
    env = EnvironmentConstants(eclipse="cylindrical")
    arrays = dataclasses.replace(DEFAULT_ARRAYS, mission_years=years)
    design = designed(geom, {"gpu_count": 16}, env=env, arrays=arrays, samples_per_orbit=90)
    m = design.module
    # loads: 2 DGX-class nodes, 10.2 kW each, plus 3 % bus
    load = 2 * 10_200.0 * 1.03
    assert m.compute_power_W == pytest.approx(20_400.0)
    # orbit and cylindrical eclipse (REFERENCE_DATA formula)
    a = R_EARTH + altitude
    period = 2 * math.pi * math.sqrt(a**3 / MU)
    t_ecl = period * math.acos(math.sqrt(altitude**2 + 2 * R_EARTH * altitude) / a) / math.pi
    t_sun = period - t_ecl
    # SMAD energy balance with the battery round trip (VES180: 0.97 each way)
    p_sun = load + load * t_ecl / (t_sun * 0.97 * 0.97)
    # XTJ Prime at 80 degC; end of life: radiation (Fetzer knee fit) x UV darkening
    eta = 0.307 * (1 - 0.0022 * (353.15 - 301.15))
    c_rad = (1 - 0.87) / math.log10(1 + 1e15 / 2.34e14)
    degr = (1 - c_rad * math.log10(1 + years * 1e14 / 2.34e14)) * (1 - 0.005) ** years
    per_m2 = S * 0.85 * eta * degr * 0.98 * 0.97
    assert m.array_area_m2 == pytest.approx(p_sun / per_m2, rel=5e-3)
    # battery: eclipse energy at 30 % DoD and the end-of-life capacity (linear fade)
    remaining = 1 - 0.20 * years * 5500 / 27_500 - 0.002 * years
    energy_sized = load * t_ecl / 3600 / (0.30 * 0.97 * remaining)
    charge_limited = (p_sun - load) / 0.5
    assert m.battery_capacity_Wh == pytest.approx(max(energy_sized, charge_limited), rel=5e-3)
    # no eclipse above beta*: no battery, array carries the load only
    high = designed(resolve_orbit(altitude, beta_rad=math.radians(80)), {"gpu_count": 16}, env=env,
                    arrays=arrays, samples_per_orbit=90)
    assert high.module.battery_capacity_Wh == 0.0
    assert high.module.array_area_m2 == pytest.approx(load / per_m2, rel=1e-9)


def test_heat_includes_conversion_and_battery_losses():
    altitude = 550e3
    geom = resolve_orbit(altitude, beta_rad=0.0)
    env = EnvironmentConstants(eclipse="cylindrical")
    m = designed(geom, {"gpu_count": 8}, env=env, radiator=RadiatorSizing(temperature_K=300.0),
                 samples_per_orbit=90).module
    load = 10_200.0 * 1.03
    a = R_EARTH + altitude
    period = 2 * math.pi * math.sqrt(a**3 / MU)
    t_ecl = period * math.acos(math.sqrt(altitude**2 + 2 * R_EARTH * altitude) / a) / math.pi
    p_sun = load + load * t_ecl / ((period - t_ecl) * 0.97 * 0.97)
    # sunlit heat = loads + battery charge loss + harness and regulator loss
    heat = load + 0.03 * (p_sun - load) + p_sun * (1 / (0.98 * 0.97) - 1)
    assert m.heat_rejection_W == pytest.approx(heat, rel=2e-3)
    case = m.cases[0]
    assert m.radiator_area_m2 == pytest.approx(
        heat / (2 * 0.9 * 0.79 * SIGMA * 300.0**4 - case.absorbed_total_W_m2), rel=2e-3)


# ------------------------------------------------------------------------------------------
# Masses and modules
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def split_design():
    geom = resolve_orbit(550e3, beta_rad=math.radians(30))
    return designed(geom, {"compute_power_W": 1e6}, max_module_mass_kg=20_000.0, samples_per_orbit=90)


def test_mass_breakdown_sums_and_uses_specific_masses(split_design):
    m = split_design.module
    b = m.mass_breakdown_kg
    masses = SpecificMasses()
    assert sum(b.values()) == pytest.approx(m.mass_kg, rel=1e-12)
    assert b["compute"] == pytest.approx(m.node_count * 130.45)
    assert b["radiator"] == pytest.approx(m.radiator_area_m2 * masses.radiator_kg_m2)
    assert b["heat_transport"] == pytest.approx(m.heat_rejection_W / 1000 * 10.0)
    bol = m.array_area_m2 * 1361.0 * 0.85 * 0.307
    assert b["solar_array"] == pytest.approx(bol / 150.0)
    assert b["battery"] == pytest.approx(m.battery_capacity_Wh / (160.0 * 0.75))
    assert b["shielding"] == 0.0
    equipment = sum(b[k] for k in ("compute", "radiator", "heat_transport", "solar_array", "battery"))
    assert b["structure"] == pytest.approx(0.20 * equipment)
    assert b["bus"] == masses.bus_kg_per_module
    assert b["margin"] == pytest.approx(0.20 * (1.20 * equipment + masses.bus_kg_per_module))
    # the propellant and its tanks push the dry mass (the items above) through the rocket equation
    dry = 1.2 * (1.20 * equipment + masses.bus_kg_per_module)
    assert b["tanks"] == pytest.approx(0.1 * b["propellant"])
    assert 0.0 < b["propellant"] < 0.1 * dry


def test_modules_times_module_equal_totals(split_design):
    d, m = split_design, split_design.module
    n = d.module_count
    assert n > 1
    assert d.mass_kg == pytest.approx(n * m.mass_kg, rel=1e-12)
    assert sum(d.mass_breakdown_kg.values()) == pytest.approx(d.mass_kg, rel=1e-12)
    for key in ("radiator_area_m2", "array_area_m2", "battery_capacity_Wh", "compute_power_W",
                "heat_rejection_W"):
        assert getattr(d, key) == pytest.approx(n * getattr(m, key), rel=1e-12)
    assert d.gpu_count == n * m.gpu_count
    # the target is met, each module fits, and one module fewer could not carry the nodes
    nodes = math.ceil(1e6 / 10_200.0)
    assert d.node_count >= nodes and d.compute_power_W >= 1e6
    assert m.mass_kg <= 20_000.0
    per_node = m.mass_kg / m.node_count
    assert math.ceil(nodes / (n - 1)) * per_node > 20_000.0
    # the module power limit splits too
    d2 = designed(resolve_orbit(550e3, beta_rad=math.radians(30)), {"compute_power_W": 1e6},
                  max_module_power_W=250e3, samples_per_orbit=90)
    assert d2.module.compute_power_W <= 250e3 and d2.module_count == 5


def test_heat_rejection_target_sizes_radiator_for_the_target():
    geom = resolve_orbit(550e3, beta_rad=math.radians(30))
    d = designed(geom, {"heat_rejection_W": 120e3}, samples_per_orbit=90)
    assert d.heat_rejection_W == pytest.approx(120e3, rel=1e-12)
    own = designed(geom, {"gpu_count": d.gpu_count}, samples_per_orbit=90)
    assert own.heat_rejection_W <= 120e3  # the compute carried fits the target
    assert d.radiator_area_m2 == pytest.approx(own.radiator_area_m2 * 120e3 / own.heat_rejection_W,
                                               rel=1e-9)
    with pytest.raises(InfeasibleError):
        designed(geom, {"heat_rejection_W": 1e3}, samples_per_orbit=90)


def test_worst_case_envelope_over_orbit_cases():
    cases = orbit_cases_beta_sweep(550e3, math.radians(53), n_beta=4)
    betas = sorted(math.degrees(g.beta_rad) for g in cases)
    assert betas[0] == pytest.approx(-76.44) and betas[-1] == pytest.approx(76.44)
    d = designed(cases, {"compute_power_W": 1e6}, samples_per_orbit=90)
    m = d.module
    assert m.array_area_m2 == max(c.array_area_m2 for c in m.cases)
    assert m.battery_capacity_Wh == max(c.battery_capacity_Wh for c in m.cases)
    assert m.radiator_area_m2 == max(c.radiator_area_m2 for c in m.cases)
    longest = max(m.cases, key=lambda c: c.eclipse_s)
    assert longest.beta_rad == 0.0  # the longest eclipse at beta = 0 sizes the battery
    sso = orbit_cases_sun_synchronous(550e3, 6.0, n_epochs=12)
    assert all(abs(math.degrees(g.beta_rad)) > 55 for g in sso)


def test_inputs_are_checked_where_they_enter():
    geom = resolve_orbit(550e3, beta_rad=0.0)
    with pytest.raises(ValueError, match="SizingConfig.target"):
        SizingConfig(target={"compute_power_W": 1e6, "gpu_count": 8})
    with pytest.raises(ValueError, match="RadiatorSizing.basis"):
        RadiatorSizing(basis="mean")
    with pytest.raises(ValueError, match="facing"):
        environment_absorbed_W_m2(geom, facing="up")
    with pytest.raises(ValueError, match="absorbed_W_m2"):
        net_radiator_flux_W_m2(300.0, 0.8, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="solar_array.pointing"):
        dataclasses.replace(DEFAULT_ARRAYS, pointing="gimbal")
    with pytest.raises(ValueError, match="battery.max_depth_of_discharge"):
        dataclasses.replace(SizingConfig(target={"gpu_count": 8}).battery, max_depth_of_discharge=0.0)
    with pytest.raises(InfeasibleError, match="sizing.max_module_mass"):
        designed(geom, {"gpu_count": 8}, max_module_mass_kg=100.0, samples_per_orbit=60)
