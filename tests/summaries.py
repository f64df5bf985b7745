"""Summaries compared with the stored references (tests/references/<case>.<model>.json).

A summary is compared as flattened key paths (``thermal.parts.radiator.T_max_K``); timing, paths and
the version are left out; a key the code has renamed on purpose is listed in ``RENAMED`` (old path ->
new path), a renamed block in ``RENAMED_PREFIXES``, so the stored numbers stay as they were written.
"""

import json
import math

from builders import REFERENCES

# Leaves that describe the run, not the answer.
VOLATILE = {"case_path", "version", "case_sha256", "field_files"}
VOLATILE_SUFFIXES = ("wall_time_s", "time_s_wall", "mesh_time_s")
# Relative tolerance, and absolute floors by unit suffix: the periodic solutions stop at an
# orbit-to-orbit change of 0.05 K (0.2 K for the sizing cases), so a change in rounding that adds
# or removes an orbit moves temperatures by far less than that; the energy-balance residual and the
# view factors' reciprocity and closure residuals after their correction are round-off-level
# numbers (they differ between a factor traced afresh and one read from the cache, and with the
# BLAS's threads) compared only in magnitude.
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
# Whole blocks renamed (old prefix -> new): a sized design's check reports per load case and model
RENAMED_PREFIXES = {"sizing.check.network.": "sizing.check.load_cases.case.models.network."}


def renamed(key: str) -> str:
    """A stored key's path in today's summary."""
    if key in RENAMED:
        return RENAMED[key]
    for old, new in RENAMED_PREFIXES.items():
        if key.startswith(old):
            return new + key[len(old):]
    return key


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


def close(key: str, new, old) -> bool:
    if isinstance(old, bool) or isinstance(new, bool) or not isinstance(old, (int, float)):
        return new == old
    if not isinstance(new, (int, float)):
        return False
    if math.isnan(old):
        return math.isnan(new)
    if key.endswith("energy_balance_error"):
        return abs(new) < max(10 * abs(old), 1e-9)
    if key.endswith(("reciprocity_residual", "closure_residual")):
        return abs(new) < max(10 * abs(old), 1e-12)
    atol = next((a for suffix, a in ATOL.items() if key.endswith(suffix)), 0.0)
    return math.isclose(new, old, rel_tol=RTOL, abs_tol=atol)


def changed_answers(got_summary: dict, name: str, model: str) -> list[str]:
    """What differs between a summary and the stored reference of a case run with a model: keys gone
    from the summary, then answers outside the tolerance ("key: new != reference old")."""
    got = flatten(json.loads(json.dumps(got_summary, default=float)))
    stored = json.loads((REFERENCES / f"{name}.{model}.json").read_text())
    stored = {k: v for k, v in stored.items() if not renamed(k).startswith(NUMERICS)}
    missing = [f"{k}: gone from the summary" for k in stored if renamed(k) not in got]
    if missing:
        return missing
    return [f"{k}: {got[renamed(k)]!r} != reference {v!r}" for k, v in stored.items()
            if not close(k, got[renamed(k)], v)]


def write_reference(got_summary: dict, name: str, model: str) -> None:
    got = flatten(json.loads(json.dumps(got_summary, default=float)))
    (REFERENCES / f"{name}.{model}.json").write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
