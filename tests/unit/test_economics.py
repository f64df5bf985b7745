"""Tests of thermal.sizing.economics: launch count and cost, life-cycle costs, break-even launch price,
the summary block (the break-even example: tests/system/test_examples.py)."""

import dataclasses
import json
import math

import numpy as np
import pytest

from thermal.case.sizing import (
    FALCON_9,
    STARSHIP_NEAR_TERM,
    CostInputs,
    LaunchOptions,
    SizingConfig,
    SpecificMasses,
    TerrestrialComparison,
)
from thermal.core.constants import HOURS_PER_YEAR
from thermal.core.errors import InfeasibleError
from thermal.orbit import resolve_orbit
from thermal.sizing.design import launch_count, size_design
from thermal.sizing.economics import (
    breakeven,
    breakeven_launch_price_usd_kg,
    compare_costs,
    launch_cost_usd,
    orbital_cost,
    summary_dict,
    terrestrial_cost,
)


@pytest.fixture(scope="module")
def design():
    sizing = SizingConfig(target={"compute_power_W": 1e6}, samples_per_orbit=90)
    return size_design(resolve_orbit(550e3, beta_rad=math.radians(20)), sizing)[0]


def test_defaults_carry_the_reference_figures():
    m = SpecificMasses()
    assert m.battery_Wh_kg() == pytest.approx(120.0)  # VES180 160 Wh/kg x pack factor 0.75
    assert m.compute_kg_per_node == pytest.approx(130.45)
    assert FALCON_9.price_usd_kg == 3600.0 and FALCON_9.payload_kg == 17_500.0
    t = TerrestrialComparison()
    assert (t.construction_usd_per_W, t.electricity_usd_kWh) == (11.7, 0.08)
    with pytest.raises(ValueError, match="TerrestrialComparison.pue"):
        TerrestrialComparison(pue=0.9)
    with pytest.raises(ValueError, match="SpecificMasses.radiator_kg_m2"):
        SpecificMasses(radiator_kg_m2=0.0)
    with pytest.raises(ValueError, match="LaunchOptions.charge"):
        LaunchOptions("x", 100.0, 1000.0, charge="per_seat")


def test_launch_count_and_cost():
    assert launch_count(10, 40_000.0, STARSHIP_NEAR_TERM) == 5  # two modules per launch
    assert launch_count(10, 60_000.0, STARSHIP_NEAR_TERM) == 10
    assert launch_count(0, 60_000.0, STARSHIP_NEAR_TERM) == 0
    with pytest.raises(InfeasibleError, match="does not fit"):
        launch_count(1, 20_000.0, FALCON_9)
    assert launch_cost_usd(12_345.0, 1, FALCON_9) == pytest.approx(12_345.0 * 3600.0)
    whole = dataclasses.replace(FALCON_9, charge="per_launch")
    assert launch_cost_usd(12_345.0, 3, whole) == pytest.approx(3 * 3600.0 * 17_500.0)


def test_costs_match_hand(design):
    inputs = CostInputs(mission_years=5.0, gpu_price_usd=27_500.0, spacecraft_usd_per_kg=1000.0)
    ground = TerrestrialComparison(construction_usd_per_W=11.7, pue=1.3, electricity_usd_kWh=0.08)
    hours = 5.0 * 365.25 * 24.0
    power = design.compute_power_W
    g = terrestrial_cost(design, ground, inputs)
    assert g.items_usd["electricity"] == pytest.approx(power / 1000 * hours * 1.3 * 0.08, rel=1e-12)
    assert g.items_usd["construction"] == pytest.approx(power * 11.7, rel=1e-12)
    # the ground replaces its failed GPUs: 9 % a year for 5 years
    assert g.items_usd["replacements"] == pytest.approx(design.gpu_count * 0.09 * 5.0 * 27_500.0, rel=1e-12)
    assert g.usd_per_gpu_hour == pytest.approx(g.total_usd / (design.gpu_count * hours), rel=1e-12)
    o = orbital_cost(design, STARSHIP_NEAR_TERM, inputs)
    b = design.mass_breakdown_kg
    rest = sum(b[k] for k in ("heat_transport", "shielding", "structure", "bus", "margin", "tanks"))
    assert o.items_usd["other_hardware"] == pytest.approx(rest * 1000.0, rel=1e-12)
    assert o.items_usd["launch"] == pytest.approx(design.mass_kg * 250.0, rel=1e-12)
    assert o.usd_per_kWh == pytest.approx(o.total_usd / (power / 1000 * hours), rel=1e-12)
    assert HOURS_PER_YEAR == 8766.0


@pytest.mark.parametrize("charge", ["per_kg", "per_launch"])
@pytest.mark.parametrize("hardware_usd_kg", [0.0, 1000.0])
def test_breakeven_launch_price_equalises_cost_per_gpu_hour(design, charge, hardware_usd_kg):
    launch = dataclasses.replace(STARSHIP_NEAR_TERM, charge=charge)
    inputs = CostInputs(spacecraft_usd_per_kg=hardware_usd_kg, array_usd_per_W=1.0)
    ground = TerrestrialComparison(pue=1.58, electricity_usd_kWh=0.12)
    p = breakeven_launch_price_usd_kg(design, launch, ground, inputs)
    orbit_at_p = orbital_cost(design, launch, inputs, price_usd_kg=p).usd_per_gpu_hour
    ground_h = terrestrial_cost(design, ground, inputs).usd_per_gpu_hour
    assert orbit_at_p == pytest.approx(ground_h, rel=1e-9)
    # hand: the gap is linear in the price
    o0 = orbital_cost(design, launch, inputs, price_usd_kg=0.0)
    g = terrestrial_cost(design, ground, inputs)
    paid_mass = design.mass_kg if charge == "per_kg" else design.launch_count(launch) * launch.payload_kg
    target = g.total_usd * o0.gpu_hours / g.gpu_hours
    assert p == pytest.approx((target - o0.total_usd) / paid_mass, rel=1e-9)


def test_breakevens_close_the_gap_or_say_why(design):
    sizing = SizingConfig(target={"compute_power_W": 1e6}, samples_per_orbit=90)
    ground = TerrestrialComparison(electricity_usd_kWh=0.30, pue=1.58, construction_usd_per_W=15.0)
    cheap = CostInputs(array_usd_per_W=5.0, gpu_failure_rate_per_year=0.0, bus_usd_per_module=0.0,
                       spacecraft_usd_per_kg=100.0)
    even = breakeven(design, STARSHIP_NEAR_TERM, sizing, ground, cheap)
    g = terrestrial_cost(design, ground, cheap).usd_per_gpu_hour
    # launch price: the orbit at that price costs what the ground does per GPU-hour
    p = even["launch_price_usd_per_kg"]["value"]
    assert p > 0
    assert orbital_cost(design, STARSHIP_NEAR_TERM, cheap, sizing=sizing,
                        price_usd_kg=p).usd_per_gpu_hour == pytest.approx(g, rel=1e-9)
    # hardware: every hardware price scaled by value / current
    hw = even["hardware_usd_per_kg"]
    k = hw["value"] / hw["current"]
    scaled = dataclasses.replace(cheap, **{f: getattr(cheap, f) * k for f in (
        "spacecraft_usd_per_kg", "array_usd_per_W", "battery_usd_per_kWh", "radiator_usd_per_m2",
        "bus_usd_per_module")})
    o_scaled = orbital_cost(design, STARSHIP_NEAR_TERM, scaled, sizing=sizing)
    assert o_scaled.usd_per_gpu_hour == pytest.approx(g, rel=1e-9)
    # mass per kW: the launched mass but the GPUs scaled by j, with its hardware and launch
    mk = even["mass_per_kW_kg"]
    kW = design.compute_power_W / 1000
    compute_kg = design.mass_breakdown_kg["compute"]
    j = (mk["value"] * kW - compute_kg) / (design.mass_kg - compute_kg)
    o = orbital_cost(design, STARSHIP_NEAR_TERM, cheap, sizing=sizing)
    hardware = o.total_usd - o.items_usd["compute"] - o.items_usd["launch"]
    at_j = o.items_usd["compute"] + 250.0 * (compute_kg + j * (design.mass_kg - compute_kg)) + j * hardware
    assert at_j / o.gpu_hours == pytest.approx(g, rel=1e-9)
    assert mk["current"] == pytest.approx(design.mass_kg / kW)
    # an orbit that costs more even with free launch: no launch price closes it, and it says so
    dear = breakeven(design, STARSHIP_NEAR_TERM, sizing, TerrestrialComparison(), CostInputs(array_usd_per_W=400.0))
    assert dear["launch_price_usd_per_kg"]["value"] is None
    assert "no launch price closes the gap" in dear["launch_price_usd_per_kg"]["reason"]
    for v in dear.values():
        assert v["assumes"] or v is dear["mass_per_kW_kg"]


def test_summary_dict_has_contract_keys_and_is_json(design):
    costs = compare_costs(design)
    s = summary_dict(design, costs)
    for key in ("radiator_area_m2", "array_area_m2", "battery_capacity_Wh", "mass_kg",
                "mass_breakdown_kg", "launch_cost_usd"):
        assert key in s
    assert sum(s["mass_breakdown_kg"].values()) == pytest.approx(s["mass_kg"], rel=1e-12)
    assert s["launch_cost_usd"] == pytest.approx(s["mass_kg"] * 250.0)
    assert s["module_count"] * s["module"]["mass_kg"] == pytest.approx(s["mass_kg"])
    # the break-even launch price, or None when no launch price closes the gap (never negative)
    p = costs.breakeven_launch_price_usd_kg
    assert s["breakeven_launch_price_usd_per_kg"] == (p if p >= 0 else None)
    e = s["costs"]
    assert e["gpu_hours"]["delivered_h"] == pytest.approx(
        e["gpu_hours"]["nameplate_h"] - e["gpu_hours"]["lost_to_schedule_h"] - e["gpu_hours"]["lost_to_failures_h"])
    assert sum(e["hardware_usd"].values()) + s["orbital_cost_breakdown_usd"]["compute"] + s["launch_cost_usd"] == \
        pytest.approx(s["orbital_cost_usd"])
    json.dumps(s)


# ------------------------------------------------------------------------------------------
# Example: break-even launch price
# ------------------------------------------------------------------------------------------


def test_cost_samples_are_the_scalar_costs_at_each_sample():
    """The array pricing of a design equals design_point's at every sample of the price inputs."""
    from thermal.case.sizing import EconomicsConfig
    from thermal.sizing.economics import cost_samples, design_point
    from thermal.sizing.orbit_cases import SizingEnvironment

    senv = SizingEnvironment.of(resolve_orbit(550e3, beta_rad=math.radians(20)))
    sizing = SizingConfig(target={"compute_power_W": 1e6}, samples_per_orbit=90)
    design, costs, _ = design_point(senv, sizing)
    rng = np.random.default_rng(13)
    samples = {"economics.launch_price": rng.uniform(100, 400, 5), "economics.hardware.array": rng.uniform(10, 300, 5),
               "economics.gpu_failure_rate": rng.uniform(0.0, 0.15, 5), "economics.spares": rng.uniform(0, 0.3, 5),
               "economics.terrestrial.pue": rng.uniform(1.1, 1.6, 5)}
    out = cost_samples(design, costs, sizing, samples)
    for i in range(5):
        launch = dataclasses.replace(STARSHIP_NEAR_TERM, price_usd_kg=samples["economics.launch_price"][i])
        cost = CostInputs(array_usd_per_W=samples["economics.hardware.array"][i],
                          gpu_failure_rate_per_year=samples["economics.gpu_failure_rate"][i],
                          spares_fraction=samples["economics.spares"][i])
        econ = EconomicsConfig(launch=launch, cost=cost, terrestrial=TerrestrialComparison(
            pue=samples["economics.terrestrial.pue"][i]))
        _, c, _ = design_point(senv, sizing, econ)
        assert out["orbital_usd_per_gpu_hour"][i] == pytest.approx(c.orbital.usd_per_gpu_hour, rel=1e-12)
        assert out["terrestrial_usd_per_gpu_hour"][i] == pytest.approx(c.ground.usd_per_gpu_hour, rel=1e-12)
    with pytest.raises(ValueError, match="changes the design"):
        cost_samples(design, costs, sizing, {"economics.mission_years": [3.0]})
