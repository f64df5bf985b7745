"""Wall time of the lumped network model on the example cases and of the 1 MW sizing (prints
figures; no assertions).

Each case runs with ``solver.model: network`` whatever its file says (the shipped main case
defaults to finite elements): the first run (with this process's one-time start-up: imports on
first use, CoolProp's fluid tables) and the best of three after it. The 1 MW case is sized with
the network refinement and checked with the network model alone, as ``sizing.check: network`` does
(the case file asks for the finite elements too; the model column and the last line say which ran).

    .venv/bin/python benchmarks/network_benchmark.py
"""

import dataclasses
import time
from pathlib import Path

import numpy as np

from thermal.case import load_case
from thermal.case.model import EnvironmentConstants
from thermal.environment import incident_flux
from thermal.orbit import resolve_orbit
from thermal.simulation import simulate
from thermal.sizing.run import sized_run

ROOT = Path(__file__).resolve().parents[1]


def environment_speed() -> None:
    geom = resolve_orbit(550e3, ltan_hours=10.5)
    t = np.linspace(0, 3 * geom.period_s, 1000)
    normals = np.random.default_rng(7).normal(size=(20, 3))
    start = time.perf_counter()
    for normal in normals:
        incident_flux(geom, EnvironmentConstants(), "nadir", normal, t)
    print(f"environment: 20 surfaces x 1000 samples over 3 orbits in {time.perf_counter() - start:.3f} s")


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def sizing_speed() -> None:
    case = load_case(ROOT / "cases" / "h100_1MW.yaml")
    case = dataclasses.replace(case, sizing=dataclasses.replace(case.sizing, check_models=("network",)))
    (run, sizing), wall = timed(lambda: sized_run(case))
    runs = sizing["refinement"].get("network_runs", "?")
    models = sorted({m for lc in sizing["check"]["load_cases"].values() for m, r in lc["models"].items()
                     if "skipped" not in r})
    print(f"h100_1MW sized (refine: network, {runs} network runs) and checked with the {', '.join(models)} model "
          f"in {len(sizing['check']['load_cases'])} load cases: {wall:.1f} s")


def main() -> None:
    environment_speed()
    print(f"{'case':<26}{'model':>8}{'nodes':>6}{'orbits':>7}{'out steps':>10}{'rhs evals':>10}{'first s':>9}"
          f"{'best s':>8}")
    for name in ("plate_sun", "radiator_zenith_400km", "plate_cooling_dark", "h100_bus"):
        case = load_case(ROOT / "cases" / f"{name}.yaml")
        case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
        run, first = timed(lambda case=case: simulate(case))
        best = min(timed(lambda case=case: simulate(case))[1] for _ in range(3))
        h = run.thermal
        evaluations = h.solver_stats.get("rhs_evaluations", 0)
        print(f"{name:<26}{run.case.solver.model:>8}{h.dofs:>6}{h.orbits:>7}{h.steps:>10}{evaluations:>10}"
              f"{first:>9.2f}{best:>8.2f}")
    sizing_speed()


if __name__ == "__main__":
    main()
