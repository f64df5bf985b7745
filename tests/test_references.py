"""Every shipped case against its stored reference summary (regression, not verification).

The references in ``tests/references/`` were written by this test with ``--regenerate-references``
from the code as it was; a run now must give the same answers within the solver tolerance. Keys
are compared as flattened paths (``thermal.parts.radiator.T_max_K``); timing, paths and the
version are left out. A key the code has renamed on purpose is listed in ``RENAMED`` (old path ->
new path) so the stored numbers stay as they were written.
"""

import dataclasses
import json
import math
from pathlib import Path

import pytest

from thermal.case import load_case
from thermal.outputs.summary import summarize
from thermal.solve import solve

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = Path(__file__).parent / "references"

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
SLOW = {"h100_1MW", "h100_1GW"}

# Leaves that describe the run, not the answer.
VOLATILE = {"case_path", "version", "case_sha256", "field_files"}
VOLATILE_SUFFIXES = ("wall_time_s", "time_s_wall", "mesh_time_s")
# Relative tolerance, and absolute floors by unit suffix: the periodic solutions stop at an
# orbit-to-orbit change of 0.05 K (0.2 K for the sizing cases), so a change in rounding that adds
# or removes an orbit moves temperatures by far less than that; the energy-balance residual is a
# round-off-level number compared only in magnitude.
RTOL = 1e-6
ATOL = {"_K": 1e-4, "_W": 1e-6, "_s": 1e-6}
# How a model got there (iterations, evaluations, time) is not an answer.
NUMERICS = "run.solver."
RENAMED: dict[str, str] = {
    # the models' numerics moved from run to run.solver, the FE loop's figures to thermal.loop,
    # and the coupling passes are the power summary's (they were in both)
    **{f"run.{k}": f"run.solver.{k}" for k in ("rhs_evaluations", "linear_solver", "mesh_cells", "newton_iterations",
                                               "operator_builds", "orbit_to_orbit_change_K", "scheme", "step_cuts")},
    **{f"run.{k}": f"thermal.loop.{k}" for k in ("loop_bands", "loop_capacity_rate_W_K", "loop_film_conductance_W_m2K",
                                                 "loop_heat_max_W", "loop_return_min_K", "loop_supply_max_K")},
    "run.coupling_passes": "power.coupling_passes",
    "run.pump_power_W": "thermal.pump_power_W",   # the FE model's own figure; the run reports one, the same
}


def flatten(value, prefix=""):
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            if k in VOLATILE or str(k).endswith(VOLATILE_SUFFIXES):
                continue
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def summary(name: str, model: str) -> dict:
    case = load_case(ROOT / "cases" / f"{name}.yaml")
    case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model=model))
    if case.sizing is not None:
        case = dataclasses.replace(case, sizing=dataclasses.replace(case.sizing, check_models=(model,)))
    return summarize(solve(case)).to_dict()


def close(key: str, new, old) -> bool:
    if isinstance(old, bool) or isinstance(new, bool) or not isinstance(old, (int, float)):
        return new == old
    if not isinstance(new, (int, float)):
        return False
    if math.isnan(old):
        return math.isnan(new)
    if key.endswith("energy_balance_error"):
        return abs(new) < max(10 * abs(old), 1e-9)
    atol = next((a for suffix, a in ATOL.items() if key.endswith(suffix)), 0.0)
    return math.isclose(new, old, rel_tol=RTOL, abs_tol=atol)


@pytest.mark.parametrize("name,model", [pytest.param(n, m, marks=[pytest.mark.slow] if n in SLOW else [],
                                                      id=f"{n}-{m}") for n, m in CASES])
def test_case_matches_reference(name, model, request):
    path = REFERENCES / f"{name}.{model}.json"
    got = flatten(json.loads(json.dumps(summary(name, model), default=float)))
    if request.config.getoption("--regenerate-references"):
        path.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
        pytest.skip(f"regenerated {path.name}")
    stored = json.loads(path.read_text())
    stored = {k: v for k, v in stored.items() if not RENAMED.get(k, k).startswith(NUMERICS)}
    missing = [k for k in stored if RENAMED.get(k, k) not in got]
    assert not missing, f"keys gone from the summary: {missing[:10]}"
    changed = [f"{k}: {got[RENAMED.get(k, k)]!r} != reference {v!r}" for k, v in stored.items()
               if not close(k, got[RENAMED.get(k, k)], v)]
    assert not changed, f"{len(changed)} answers changed:\n" + "\n".join(changed[:20])
