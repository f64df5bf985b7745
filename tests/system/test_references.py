"""Every shipped case against its stored reference summary (regression, not verification).

The references in ``tests/references/`` were written by this test with ``--regenerate-references``
from the code as it was; a run now must give the same answers within the solver tolerance (how they
are compared: ``tests/summaries.py``).
"""

import dataclasses

import pytest

from thermal.case import load_case
from thermal.outputs.summary import summarize
from thermal.solve import solve

from builders import CASES as CASE_DIR
from summaries import changed_answers, write_reference

# (case file, thermal model): every shipped case with the network model, and with finite elements
# where that runs in seconds; the sizing cases check their design with the same model.
CASES = [
    ("plate_sun", "network"), ("plate_sun", "fe"),
    ("external_plate", "network"), ("external_plate", "fe"),
    ("plate_cooling_dark", "network"), ("plate_cooling_dark", "fe"),
    ("radiator_zenith_400km", "network"), ("radiator_zenith_400km", "fe"),
    ("h100_bus", "network"), ("h100_bus", "fe"),
    ("h100_1MW", "network"), ("h100_1GW", "network"),
]
SLOW = {"h100_1GW"}


def summary(name: str, model: str) -> dict:
    case = load_case(CASE_DIR / f"{name}.yaml")
    case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model=model))
    if case.sizing is not None:
        case = dataclasses.replace(case, sizing=dataclasses.replace(case.sizing, check_models=(model,)))
    return summarize(solve(case)).to_dict()


@pytest.mark.parametrize("name,model", [pytest.param(n, m, marks=[pytest.mark.slow] if n in SLOW else [],
                                                      id=f"{n}-{m}") for n, m in CASES])
def test_case_matches_reference(name, model, request):
    if (name, model) == ("h100_1MW", "network"):
        # the sizing tests' run of the same case through the command
        got = request.getfixturevalue("mw_network")[0]
    else:
        got = summary(name, model)
    if request.config.getoption("--regenerate-references"):
        write_reference(got, name, model)
        pytest.skip(f"regenerated {name}.{model}.json")
    changed = changed_answers(got, name, model)
    assert not changed, f"{len(changed)} answers changed:\n" + "\n".join(changed[:20])
