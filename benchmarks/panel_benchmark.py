"""The panel array's models on the paper-shaped case: wall time of the network model per load case,
of the finite-element unit cell per steady solve and per march to the periodic orbit, with their sizes.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/panel_benchmark.py`` (figures in benchmarks/README.md).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from thermal.case import load_case  # noqa: E402
from thermal.models.panel_fe import panel_fe_orbit, radiating_cell_fe  # noqa: E402
from thermal.sizing.panels import run_load_cases  # noqa: E402

CASE = Path(__file__).resolve().parents[1] / "cases" / "panels_16MW.yaml"


def main() -> None:
    case = load_case(CASE)
    case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
    start = time.perf_counter()
    cases, _, _ = run_load_cases(case)
    network_s = time.perf_counter() - start
    samples = cases[0].orbit.time_s.size
    print(f"network: {len(cases)} load cases x {case.solver.orbits} orbits (largest step "
          f"{case.solver.time_step_s:g} s, {samples} samples an orbit) in {network_s:.2f} s "
          f"({network_s / len(cases):.2f} s per load case)")
    panel = case.panel
    o = cases[0].orbit
    i = int(o.junction_K.argmax())
    uniform = (float(o.heat_in_W[i]) - panel.chips.count * float(o.chip_W[i])) / panel.area_m2
    for mesh_m in (0.04, 0.02, 0.01, 0.005):
        start = time.perf_counter()
        cell = radiating_cell_fe(panel, uniform, float(o.chip_W[i]), mesh_m, float(o.panel_K[i]))
        print(f"FE unit cell, mesh {100 * mesh_m:g} cm: {cell.dofs:,} unknowns, {cell.newton_iterations} Newton "
              f"iterations, {time.perf_counter() - start:.2f} s, junction {cell.junction_K:.3f} K "
              f"(network {o.junction_K[i]:.3f} K)")
    lc = cases[0]
    for mesh_m in (0.02, 0.01):
        solver = dataclasses.replace(case.solver, mesh_size_m=mesh_m)
        start = time.perf_counter()
        fe = panel_fe_orbit(panel, lc.fluxes, lc.schedule, lc.heat_capacity_J_K, case.mission_years, solver,
                            float(o.panel_K[0]))
        print(f"FE unit cell over the orbit, mesh {100 * mesh_m:g} cm: {fe.dofs:,} unknowns, {fe.orbits} orbits of "
              f"{fe.steps} steps, {time.perf_counter() - start:.2f} s, junction swing {fe.junction_swing_K:.2f} K "
              f"(network {o.junction_swing_K:.2f} K), energy balance {fe.energy_balance_error:.1e}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
