"""The economics rebuilt from parts, against hand calculations: cost per GPU-hour of a small design
with every term written out, the GPU-hours an eclipse schedule switches off, battery cycles
counted from the orbit cases, the payload to the design orbit, the propellant."""

import dataclasses
import math

import numpy as np
import pytest

from power.battery import capacity_remaining_fraction
from thermal.case.sizing import (
    STARSHIP_NEAR_TERM,
    CostInputs,
    EconomicsConfig,
    Propulsion,
    SizingConfig,
    TerrestrialComparison,
)
from thermal.core.compute import DGX_H100_NODE
from thermal.core.constants import HOURS_PER_YEAR
from thermal.orbit import eclipse_duration_s, resolve_orbit
from thermal.sizing.design import size_design
from thermal.sizing.economics import alive_fraction, design_point, gpu_hours, launch_to_orbit
from thermal.sizing.orbit_cases import SizingEnvironment, orbit_cases_sun_synchronous
from thermal.sizing.propulsion import density_kg_m3, deorbit_delta_v_m_s

MU = 3.986004418e14
R = 6_378_137.0
G0 = 9.80665
OMEGA = 7.2921159e-5


# ------------------------------------------------------------------------------------------
# Cost per GPU-hour, every term by hand
# ------------------------------------------------------------------------------------------
def test_cost_per_gpu_hour_of_a_small_design_by_hand():
    """One DGX node in a 53 deg, 550 km orbit at beta 20 deg with an eclipse schedule, failures,
    spares, double redundancy and the payload model; every term written out."""
    node = dataclasses.replace(DGX_H100_NODE, schedule="eclipse_throttle", eclipse_utilisation=0.25, redundancy=0.5)
    sizing = SizingConfig(target={"gpu_count": 8}, node=node, samples_per_orbit=90)
    geom = dataclasses.replace(resolve_orbit(550e3, beta_rad=math.radians(20.0)), inclination_rad=math.radians(53.0))
    senv = SizingEnvironment.of([geom])
    inputs = CostInputs(mission_years=4.0, gpu_price_usd=30_000.0, spacecraft_usd_per_kg=1_500.0, array_usd_per_W=80.0,
                        battery_usd_per_kWh=900.0, radiator_usd_per_m2=2_500.0, bus_usd_per_module=1.0e6,
                        gpu_failure_rate_per_year=0.08, spares_fraction=0.125)
    ground_in = TerrestrialComparison(construction_usd_per_W=12.0, pue=1.25, electricity_usd_kWh=0.07)
    design, costs, summary = design_point(senv, sizing, EconomicsConfig(cost=inputs, terrestrial=ground_in,
                                                                        mission_years=4.0))
    m, b = design.module, design.mass_breakdown_kg
    assert design.module_count == 1 and design.gpu_count == 8

    # launch to 550 km at 53 deg from 26 deg N: azimuth, rotation, Hohmann, rocket equation
    lat = math.radians(25.99)
    r0, r1 = R + 250e3, R + 550e3
    v0 = math.sqrt(MU / r0)
    ve = OMEGA * R * math.cos(lat)
    sin_az = math.cos(math.radians(53.0)) / math.cos(lat)
    dv_inc = math.hypot(v0 * sin_az - ve, v0 * math.sqrt(1 - sin_az**2)) - (v0 - ve)
    at = (r0 + r1) / 2
    dv_alt = (math.sqrt(MU * (2 / r0 - 1 / at)) - v0) + (math.sqrt(MU / r1) - math.sqrt(MU * (2 / r1 - 1 / at)))
    payload = 200_000.0 * math.exp(-(dv_inc + dv_alt) / (380.0 * G0)) - 100_000.0
    price_kg = 250.0 * 100_000.0 / payload

    # GPU-hours: nameplate, the schedule's eclipse share, failures after the spares, redundancy
    hours = 8 * 4.0 * 8766.0
    f_ecl = m.cases[0].eclipse_s / m.cases[0].period_s
    duty = 1 - f_ecl * (1 - 0.25 / 1.0)
    lam, s, T = 0.08, 0.125, 4.0
    t_star = math.log(1 + s) / lam
    alive = (t_star + (1 + s) * (math.exp(-lam * t_star) - math.exp(-lam * T)) / lam) / T
    useful = hours * duty * alive * 0.5

    # orbit: GPUs and spares, array per BOL W, battery per kWh, radiator per m^2, bus, the rest per kg, launch
    bol_W = m.array_area_m2 * 1361.0 * 0.85 * 0.307
    rest_kg = b["heat_transport"] + b["shielding"] + b["structure"] + b["bus"] + b["margin"] + b["tanks"]
    spares_kg = 0.125 * 8 * 130.45 / 8
    orbit = (8 * 1.125 * 30_000.0 + bol_W * 80.0 + m.battery_capacity_Wh / 1000 * 900.0 + m.radiator_area_m2 * 2_500.0
             + 1.0e6 + rest_kg * 1_500.0 + (design.mass_kg + spares_kg) * price_kg)
    ground = (8 * 30_000.0 + design.compute_power_W * 12.0 + design.compute_power_W / 1000 * 4.0 * 8766.0 * 1.25 * 0.07
              + 8 * 0.08 * 4.0 * 30_000.0)
    assert summary["orbital_usd_per_gpu_hour"] == pytest.approx(orbit / useful, rel=1e-3)
    assert summary["terrestrial_usd_per_gpu_hour"] == pytest.approx(ground / hours, rel=1e-3)
    # and the terms one by one, tighter
    assert costs.launch.payload_kg == pytest.approx(payload, rel=1e-9)
    assert costs.orbital.gpu_hours == pytest.approx(useful, rel=1e-9)
    assert costs.orbital.total_usd == pytest.approx(orbit, rel=1e-9)
    assert costs.ground.total_usd == pytest.approx(ground, rel=1e-12)


# ------------------------------------------------------------------------------------------
# GPU-hours
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("eclipse_utilisation", [0.0, 0.4])
def test_eclipse_throttle_deducts_the_hours_it_switches_off_exactly(eclipse_utilisation):
    geom = resolve_orbit(550e3, beta_rad=0.0)   # the longest eclipse
    node = dataclasses.replace(DGX_H100_NODE, schedule="eclipse_throttle", eclipse_utilisation=eclipse_utilisation)
    sizing = SizingConfig(target={"gpu_count": 800}, node=node, samples_per_orbit=90)
    design, _ = size_design(geom, sizing)
    inputs = CostInputs(gpu_failure_rate_per_year=0.0)
    h = gpu_hours(design, sizing, inputs)
    t_ecl = eclipse_duration_s(geom, "conical")
    lost = 800 * 5 * HOURS_PER_YEAR * t_ecl / geom.period_s * (1 - eclipse_utilisation)
    assert h.lost_to_schedule == pytest.approx(lost, rel=1e-12)
    assert h.delivered == pytest.approx(800 * 5 * HOURS_PER_YEAR - lost, rel=1e-12)
    # the continuous schedule loses nothing; nor does a throttle without an eclipse
    cont = dataclasses.replace(sizing, node=DGX_H100_NODE)
    assert gpu_hours(size_design(geom, cont)[0], cont, inputs).lost_to_schedule == 0.0
    sunlit = resolve_orbit(550e3, beta_rad=math.radians(80.0))
    assert gpu_hours(size_design(sunlit, sizing)[0], sizing, inputs).lost_to_schedule == 0.0


def test_failures_without_repair_against_the_survival_integral():
    # no spares: mean of exp(-lambda t) over T
    assert alive_fraction(0.09, 0.0, 5.0) == pytest.approx((1 - math.exp(-0.45)) / 0.45, rel=1e-12)
    # spares that outlast the mission: every GPU-hour delivered
    assert alive_fraction(0.09, math.exp(0.45) - 1 + 1e-9, 5.0) == 1.0
    # numerically: min(1, (1 + s) exp(-lambda t)) averaged by the trapezoid rule
    t = np.linspace(0.0, 5.0, 200_001)
    running = np.minimum(1.0, 1.2 * np.exp(-0.09 * t))
    assert alive_fraction(0.09, 0.2, 5.0) == pytest.approx(np.trapezoid(running, t) / 5.0, rel=1e-9)


# ------------------------------------------------------------------------------------------
# Battery cycles
# ------------------------------------------------------------------------------------------
def test_battery_cycles_of_a_dawn_dusk_orbit_are_its_eclipses_over_the_year():
    geoms = orbit_cases_sun_synchronous(550e3, 6.0, n_epochs=24)
    senv = SizingEnvironment.of(geoms)
    counted = 0.0
    for g in geoms:   # each epoch stands for 1/24 of the year; one cycle per orbit with an eclipse
        if eclipse_duration_s(g, "conical") > 0.0:
            counted += HOURS_PER_YEAR * 3600.0 / 24 / g.period_s
    assert senv.eclipsed_orbits_per_year == pytest.approx(counted, rel=1e-12)
    # a dawn-dusk orbit is in eclipse only around the June solstice... or December: well under 5,500
    assert 0.0 < counted < 1_460.0
    assert 0 < sum(eclipse_duration_s(g, "conical") > 0 for g in geoms) < 24
    # the sizing's battery fades by those cycles, not 5,500 a year
    sizing = SizingConfig(target={"gpu_count": 800}, samples_per_orbit=90,
                          battery=dataclasses.replace(SizingConfig(target={"gpu_count": 1}).battery,
                                                      max_depth_of_discharge=0.3))
    design, _ = size_design(senv, sizing)
    worst = max(design.module.cases, key=lambda c: c.eclipse_s)
    cell = sizing.battery.cell
    remaining = float(capacity_remaining_fraction(5.0, 0.3, cell, counted))
    capacity = design.module.eclipse_load_W * worst.eclipse_s / 3600 / (0.3 * cell.discharge_efficiency * remaining)
    assert design.module.battery_capacity_Wh == pytest.approx(max(capacity, worst.battery_capacity_Wh), rel=1e-12)
    old, _ = size_design(senv, dataclasses.replace(sizing, battery_cycles_per_year=5500.0))
    assert old.battery_capacity_Wh > design.battery_capacity_Wh


# ------------------------------------------------------------------------------------------
# Payload to the design orbit, propellant
# ------------------------------------------------------------------------------------------
def test_payload_to_the_design_orbit():
    lat = STARSHIP_NEAR_TERM.site_latitude_rad
    same, info = launch_to_orbit(STARSHIP_NEAR_TERM, 250e3, lat)
    assert same.payload_kg == pytest.approx(100_000.0, rel=1e-12)
    assert info["delta_v_inclination_m_s"] == pytest.approx(0.0, abs=1e-9)
    lower, _ = launch_to_orbit(STARSHIP_NEAR_TERM, 200e3, lat)
    assert lower.payload_kg == 100_000.0   # not credited
    sso, info = launch_to_orbit(STARSHIP_NEAR_TERM, 550e3, math.radians(97.6))
    # retrograde: the rotation is lost and fought, about 2 v_e |cos i| / cos(lat) + ...
    v0 = math.sqrt(MU / (R + 250e3))
    ve = OMEGA * R * math.cos(lat)
    sin_az = math.cos(math.radians(97.6)) / math.cos(lat)
    rel_v = np.array([v0 * sin_az, v0 * math.sqrt(1 - sin_az**2)]) - np.array([ve, 0.0])
    assert info["delta_v_inclination_m_s"] == pytest.approx(np.linalg.norm(rel_v) - (v0 - ve), rel=1e-12)
    assert 400.0 < info["delta_v_inclination_m_s"] < 600.0
    assert sso.payload_kg < 0.8 * 100_000.0
    assert sso.price_usd_kg * sso.payload_kg == pytest.approx(250.0 * 100_000.0, rel=1e-12)   # a launch's price stays


def test_propellant_for_drag_and_deorbit_by_hand():
    geom = resolve_orbit(550e3, beta_rad=math.radians(90.0))   # dawn-dusk: the sun along the orbit normal
    p = Propulsion(isp_s=1_500.0, drag_coefficient=2.2, density_factor=1.0, disposal_perigee_m=50e3,
                   tankage_fraction=0.1)
    sizing = SizingConfig(target={"gpu_count": 800}, samples_per_orbit=360, propulsion=p)
    design, _ = size_design(geom, sizing)
    b, m = design.mass_breakdown_kg, design.module
    dry = m.mass_kg - b["propellant"] - b["tanks"]
    # the radiator faces edge-on: along the velocity at beta 90; the sun-pointing array is edge-on to the flow
    area = m.radiator_area_m2 * 1.0
    rho = 6.967e-13 * math.exp(-50e3 / 63.822e3)
    assert density_kg_m3(550e3) == pytest.approx(rho, rel=1e-12)
    v2 = MU / (R + 550e3)
    dv_drag = 0.5 * rho * v2 * 2.2 * area / dry * 5 * 8766 * 3600
    r, rp = R + 550e3, R + 50e3
    dv_deorbit = math.sqrt(MU / r) - math.sqrt(MU * (2 / r - 2 / (r + rp)))
    assert deorbit_delta_v_m_s(550e3, 50e3) == pytest.approx(dv_deorbit, rel=1e-12)
    e = math.exp((dv_drag + dv_deorbit) / (1_500.0 * G0)) - 1
    prop = dry * e / (1 - 0.1 * e)
    assert b["propellant"] == pytest.approx(prop, rel=1e-3)
    assert b["tanks"] == pytest.approx(0.1 * b["propellant"], rel=1e-12)
