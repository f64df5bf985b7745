"""Wall time of the lumped network model on the example cases (prints figures; no assertions).

Each case runs with ``solver.model: network`` whatever its file says (the shipped main case
defaults to finite elements).

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

ROOT = Path(__file__).resolve().parents[1]


def environment_speed() -> None:
    geom = resolve_orbit(550e3, ltan_hours=10.5)
    t = np.linspace(0, 3 * geom.period_s, 1000)
    normals = np.random.default_rng(7).normal(size=(20, 3))
    start = time.perf_counter()
    for normal in normals:
        incident_flux(geom, EnvironmentConstants(), "nadir", normal, t)
    print(f"environment: 20 surfaces x 1000 samples over 3 orbits in {time.perf_counter() - start:.3f} s")


def main() -> None:
    environment_speed()
    print(f"{'case':<26}{'nodes':>6}{'orbits':>7}{'out steps':>10}{'rhs evals':>10}{'wall s':>8}")
    for name in ("plate_sun", "radiator_zenith_400km", "plate_cooling_dark", "h100_bus"):
        case = load_case(ROOT / "cases" / f"{name}.yaml")
        case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
        start = time.perf_counter()
        run = simulate(case)
        wall = time.perf_counter() - start
        h = run.thermal
        print(f"{name:<26}{h.dofs:>6}{h.orbits:>7}{h.steps:>10}{h.solver_stats.get('rhs_evaluations', 0):>10}"
              f"{wall:>8.2f}")


if __name__ == "__main__":
    main()
