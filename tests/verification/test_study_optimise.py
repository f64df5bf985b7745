"""Optimisation of a study's free variables lands on the optimum where it is known: the cost per
GPU-hour rises with every price, so its minimum over a box of prices is the box's low corner; a
warmer radiator is smaller, so the lightest design takes the warmest radiator allowed (a sizing per
trial: tests/system/test_study_optimise_sizing.py)."""

import pytest

from thermal.study.optimise import optimise

from builders import optimise_study

PRICES = {"economics.launch_price": {"from": "100 usd/kg", "to": "300 usd/kg"},
          "economics.spacecraft_cost": {"from": "500 usd/kg", "to": "1500 usd/kg"}}
CORNER = {"economics.launch_price": "100 usd/kg", "economics.spacecraft_cost": "500 usd/kg"}


@pytest.mark.parametrize("method, budget", [("differential_evolution", 600), ("nelder_mead", 120)])
def test_one_objective_finds_the_low_corner_of_a_box_of_prices(method, budget):
    evaluator, opt = optimise_study({"variables": PRICES, "method": method, "max_evaluations": budget, "seed": 1})
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
    evaluator, opt = optimise_study({"objective": ["sizing.orbital_usd_per_gpu_hour",
                                                   "sizing.terrestrial_usd_per_gpu_hour"],
                                     "variables": variables, "max_evaluations": 2000, "seed": 2})
    out = optimise(evaluator, opt)
    ideal = evaluator.evaluate({"economics.launch_price": "100 usd/kg", "economics.terrestrial.pue": 1.1})
    assert out["method"] == "nsga2" and out["front"]
    for member in out["front"]:
        for path, value in member["objectives"].items():
            assert value == pytest.approx(ideal.results["sizing"][path.split(".")[1]], rel=5e-3)
