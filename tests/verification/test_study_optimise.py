"""Optimisation of a study's free variables lands on the optimum where it is known: the cost per
GPU-hour rises with every price, so its minimum over a box of prices is the box's low corner; a
warmer radiator is smaller, so the lightest design takes the warmest radiator allowed."""

from pathlib import Path

import pytest

from thermal.case import load_case
from thermal.case.document import load_yaml
from thermal.study.evaluate import Evaluator
from thermal.study.optimise import optimise

CASES = Path(__file__).parents[2] / "cases"


def _study(optimise_spec: dict):
    doc = load_yaml(CASES / "h100_1MW.yaml")
    doc["sizing"]["refine"] = "none"
    doc["study"] = {"vary": {"economics.gpu_price": ["27500 usd"]}, "optimise": optimise_spec}
    case = load_case(doc, base_dir=CASES)
    return Evaluator(case.study), case.study.optimise


PRICES = {"economics.launch_price": {"from": "100 usd/kg", "to": "300 usd/kg"},
          "economics.spacecraft_cost": {"from": "500 usd/kg", "to": "1500 usd/kg"}}
CORNER = {"economics.launch_price": "100 usd/kg", "economics.spacecraft_cost": "500 usd/kg"}


@pytest.mark.parametrize("method, budget", [("differential_evolution", 600), ("nelder_mead", 120)])
def test_one_objective_finds_the_low_corner_of_a_box_of_prices(method, budget):
    evaluator, opt = _study({"variables": PRICES, "method": method, "max_evaluations": budget, "seed": 1})
    best = optimise(evaluator, opt)
    corner = evaluator.evaluate(CORNER).results["sizing"]["orbital_usd_per_gpu_hour"]
    assert best["evaluations"] <= budget + 2
    assert best["best"]["status"] == "pass"
    assert best["best"]["objectives"]["sizing.orbital_usd_per_gpu_hour"] == pytest.approx(corner, rel=2e-3)
    assert len(evaluator.sized) == 1          # prices only: one sizing for every trial


def test_two_objectives_nsga2_front_reaches_the_ideal_point():
    """Orbital cost rises with the launch price, ground cost with the PUE: the ideal point (both
    at their low bounds) dominates everything, so the front collapses onto it."""
    variables = {"economics.launch_price": {"from": "100 usd/kg", "to": "300 usd/kg"},
                 "economics.terrestrial.pue": {"from": 1.1, "to": 1.6}}
    evaluator, opt = _study({"objective": ["sizing.orbital_usd_per_gpu_hour", "sizing.terrestrial_usd_per_gpu_hour"],
                             "variables": variables, "max_evaluations": 2000, "seed": 2})
    out = optimise(evaluator, opt)
    ideal = evaluator.evaluate({"economics.launch_price": "100 usd/kg", "economics.terrestrial.pue": 1.1})
    assert out["method"] == "nsga2" and out["front"]
    for member in out["front"]:
        for path, value in member["objectives"].items():
            assert value == pytest.approx(ideal.results["sizing"][path.split(".")[1]], rel=5e-3)


def test_the_lightest_design_takes_the_warmest_radiator_allowed():
    evaluator, opt = _study({"objective": "study.kg_per_kW", "method": "nelder_mead", "max_evaluations": 16,
                             "variables": {"sizing.radiator_temperature": {"from": "10 degC", "to": "40 degC"}}})
    out = optimise(evaluator, opt)
    (t,) = out["best"]["values"].values()
    assert float(t.split()[0]) > 38.0
    cold = evaluator.evaluate({"sizing.radiator_temperature": "10 degC"}).results["study"]["kg_per_kW"]
    assert out["best"]["objectives"]["study.kg_per_kW"] < cold
