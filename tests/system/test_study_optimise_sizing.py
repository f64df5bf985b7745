"""An optimiser over a sizing variable lands on the optimum where it is known: a warmer radiator is
smaller, so the lightest design takes the warmest radiator allowed. Each trial sizes the 1 MW case
with its layout's ray tracing, so this is in the system part; the optimisers over prices (one
sizing for every trial) are in tests/verification/test_study_optimise.py."""

from thermal.study.optimise import optimise

from builders import optimise_study


def test_the_lightest_design_takes_the_warmest_radiator_allowed():
    radiator = {"sizing.radiator_temperature": {"from": "10 degC", "to": "40 degC"}}
    evaluator, opt = optimise_study({"objective": "study.kg_per_kW", "method": "nelder_mead", "max_evaluations": 16,
                                     "variables": radiator})
    out = optimise(evaluator, opt)
    (t,) = out["best"]["values"].values()
    assert float(t.split()[0]) > 38.0
    cold = evaluator.evaluate({"sizing.radiator_temperature": "10 degC"}).results["study"]["kg_per_kW"]
    assert out["best"]["objectives"]["study.kg_per_kW"] < cold
