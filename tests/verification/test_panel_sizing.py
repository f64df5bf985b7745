"""Panel-array sizing, battery and the paper's claims against hand values (issue 14, steps 3 and 6)."""

import dataclasses
import math

import pytest

from thermal.case import load_case
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA
from thermal.sizing.panels import CLAIMED_JUNCTION_K, requirements, run_load_cases, size_array

from builders import CASES


def paper_case(**solver):
    case = load_case(CASES / "panels_16MW.yaml")
    return dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network", epochs="case",
                                                                **solver))


def test_battery_carries_the_longest_eclipse_at_its_depth_of_discharge():
    """Capacity = eclipse load / discharge efficiency x eclipse / depth of discharge."""
    case = paper_case(orbits=2, time_step_s=60.0)
    cell_case = load_case({**_doc(), "spacecraft": {**_doc()["spacecraft"],
                                                    "eclipse": {"strategy": "throttled", "throttle": 0.25,
                                                                "max_depth_of_discharge": 0.4}}})
    cases, capacity_Wh, battery_kg = run_load_cases(cell_case)
    eclipse_s = cases[0].eclipse_s
    cell = cell_case.eclipse.battery_cell
    hand = 0.25 * 1000.0 / cell.discharge_efficiency * eclipse_s / 3600.0 / 0.4
    assert capacity_Wh == pytest.approx(hand, rel=1e-12)
    assert battery_kg == pytest.approx(hand / cell.pack_specific_energy_Wh_kg, rel=1e-12)
    assert eclipse_s > 1200.0 and case.eclipse.battery_cell is None


def _doc():
    import yaml
    doc = yaml.safe_load((CASES / "panels_16MW.yaml").read_text())
    doc["spacecraft"].pop("eclipse")
    doc["solver"] = {"model": "network", "epochs": "case", "orbits": 2, "time_step": "60 s"}
    return doc


def test_what_must_be_true_inverts_to_the_claims():
    """Each requirement, put back into the case, gives the claim it was solved for: the 40 degC junction
    at the maximum front absorptivity, 100 kW/t at the required substrate areal mass."""
    case = paper_case()
    design = size_array(case, 0.0)
    req = requirements(case, design)
    eps = case.panel.front.emissivity + case.panel.back.emissivity
    assert req.panel_mean_sun_K == pytest.approx((0.91 * 1361.0 / (eps * SIGMA)) ** 0.25, rel=1e-12)
    assert 330.0 < req.panel_mean_sun_K < 340.0 and not req.junction_claim_reachable
    # the junction at the maximum absorptivity is the claim
    front = dataclasses.replace(case.panel.front, absorptivity_eol=req.max_front_absorptivity_for_claim)
    lower = dataclasses.replace(case, panel=dataclasses.replace(case.panel, front=front))
    assert requirements(lower, design).junction_floor_K == pytest.approx(CLAIMED_JUNCTION_K, abs=1e-6)
    # the substrate for 100 kW/t
    sub = dataclasses.replace(case.panel.substrate, areal_mass_kg_m2=req.substrate_areal_mass_for_claim_kg_m2)
    light = dataclasses.replace(case, panel=dataclasses.replace(case.panel, substrate=sub),
                                satellite=dataclasses.replace(case.satellite, panels_per_satellite=None))
    heavy = size_array(light, 0.0)
    assert heavy.kW_per_tonne == pytest.approx(100.0, rel=1e-9)
    assert heavy.satellite_count == 2 and heavy.launch_count() == 2      # 160 t: two 150 t launches
    assert math.isfinite(req.cell_efficiency_for_claim) and req.cell_efficiency_for_claim < 0.333


def test_thermal_cycles_a_year():
    """beta = 0 (an eclipse every orbit, no seasons): one junction cycle per orbit, 365.25 days over the
    period; a dawn-dusk orbit has eclipses only in its season around the December solstice."""
    from thermal.core.kepler import orbital_period_s
    from thermal.sizing.panels import thermal_cycles_per_year
    doc = _doc()
    doc["orbit"] = {"altitude": "550 km", "beta": "0 deg"}
    every = thermal_cycles_per_year(load_case(doc))
    assert every == pytest.approx(365.25 * 86400.0 / orbital_period_s(550e3), rel=1e-3)
    seasonal = thermal_cycles_per_year(paper_case())
    assert 0.1 * every < seasonal < 0.5 * every


def test_cell_efficiency_for_the_claim_with_chips_sized_to_the_output():
    """With the chips sized to a panel's output of 900 W, the required efficiency scales the output
    to the compute whose panel (its chips' mass in proportion) makes 100 W/kg."""
    case = paper_case()
    design = size_array(case, 0.0)
    req = requirements(case, design, output_W=900.0)
    bd = design.panel_mass_breakdown_kg
    factor = 1.10 * 1.05
    compute_W = 900.0 * req.cell_efficiency_for_claim / case.panel.cell.efficiency_bol
    mass_kg = factor * (sum(bd.values()) - bd["chips"] + bd["chips"] / 1000.0 * compute_W)
    assert compute_W / mass_kg == pytest.approx(100.0, rel=1e-9)
    assert req.supported_kW_per_tonne == pytest.approx(900.0 / (factor * (sum(bd.values()) - 0.1 * bd["chips"])),
                                                       rel=1e-9)
