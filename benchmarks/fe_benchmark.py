"""Benchmark of the finite-element heat solver: its design against the naive NonlinearProblem loop.

    mpiexec -n 2 .venv/bin/python benchmarks/fe_benchmark.py [--mesh-size 0.028] [--naive-steps 20]

The case is ``cases/h100_bus.yaml`` over one orbit (20 s steps on the event-aligned grid), with
its real environment: absorbed fluxes per side from :mod:`thermal.exposure`, the compute
overhead on the deck and 700 W per GPU.

1. The same discrete problem for both solvers: GPU heat on the cold-plate footprints (conduction
   transport), radiation to space from every side, shell conduction, backward Euler; no pumped
   loop, no radiation inside the body, no hinge or yoke joints (the naive form has no way to
   write these nonlocal terms). Radiation is integrated with vertex quadrature in both, so the
   two solve identical equations and their answers agree to the Newton tolerance.
   - naive: ``dolfinx.fem.petsc.NonlinearProblem`` (PETSc SNES Newton, MUMPS LU), the sources in
     DG0 Functions updated every step: every Newton iteration assembles the Jacobian and the
     residual and factorizes. It runs ``--naive-steps`` steps (a whole orbit takes long); its
     time per step is what is compared.
   - design: :func:`thermal.models.fe.model.solve_fe` (constant operators assembled once, lagged Newton
     operator reused, residual from one sparse product, per linear solver).
2. The full physics of the case with the design: pumped loop, interior radiation, joints, BDF2.

Prints DOFs, steps, Newton iterations, wall time, time per DOF-step and the speed ratio.
"""

import argparse
import dataclasses
import functools
import sys
from pathlib import Path

import dolfinx_solver  # noqa: F401

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem.petsc import NonlinearProblem
from mpi4py import MPI

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geometry.mesh import build_mesh  # noqa: E402
from geometry.parts import PartList  # noqa: E402
from thermal.case import load_case  # noqa: E402
from thermal.case.model import ConductionSpec  # noqa: E402
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA  # noqa: E402
from thermal.exposure import compute_exposure  # noqa: E402
from thermal.models.fe.model import FESettings, solve_fe  # noqa: E402
from thermal.models.fe.system import single_threaded_blas, time_grid  # noqa: E402
from thermal.orbit import case_orbit, shadow_breakpoints_s  # noqa: E402

COMM = MPI.COMM_WORLD


def say(text: str) -> None:
    if COMM.rank == 0:
        print(text, flush=True)


def stage(text: str, done: int | None = None, total: int | None = None) -> None:
    """The solver's progress (thermal.core.progress): its stage lines, no step counts."""
    if done is None:
        say(f"  {text}")


def timed(fn):
    COMM.barrier()
    start = MPI.Wtime()
    result = fn()
    COMM.barrier()
    return result, COMM.allreduce(MPI.Wtime() - start, op=MPI.MAX)


def naive_run(sm, times, sides, part_heat, gpu_heat, T0: float):
    """The textbook loop: one NonlinearProblem, sources in DG0 Functions, Newton with MUMPS LU."""
    msh = sm.mesh
    V = fem.functionspace(msh, ("Lagrange", 1))
    Q = fem.functionspace(msh, ("DG", 0))
    parts = sm.parts
    tags = sm.cell_tag_values()
    part_of_tag = {tag: name for name, tag in sm.part_ids.items()}
    part_of_tag.update({tag: sm.footprint_parent.get(fp, "deck") for fp, tag in sm.footprint_ids.items()})
    cell_part = [part_of_tag[t] for t in tags]
    areas = {name: sm.area_m2(name) for name in [*parts.names, *sm.footprint_ids]}

    def cell_values(per_part: dict) -> np.ndarray:
        return np.array([per_part[name] for name in cell_part])

    def dg0(values):
        f = fem.Function(Q)
        f.x.array[:] = values
        return f

    k = dg0(cell_values({p.name: p.material.conductivity_W_mK for p in parts.parts}))
    rc = dg0(cell_values({p.name: p.material.density_kg_m3 * p.material.specific_heat_J_kgK for p in parts.parts}))
    t = dg0(cell_values({p.name: p.thickness_m for p in parts.parts}))
    eps = dg0(cell_values({p.name: sum(s.coating.emissivity * s.area_m2 / p.area_m2 for s in p.sides)
                           for p in parts.parts}))
    q = fem.Function(Q)                 # absorbed + generated per unit area, updated every step
    footprint_cells = {fp: tags == tag for fp, tag in sm.footprint_ids.items()}
    gpus = sorted(sm.footprint_ids, key=lambda n: int(n[3:]))

    def update_sources(time_s: float) -> None:
        flux = sides(time_s)
        heat = part_heat(time_s)
        per_part = {p.name: sum(flux[s.name] * s.area_m2 / p.area_m2 for s in p.sides)
                    + heat.get(p.name, 0.0) / areas[p.name] for p in parts.parts}
        values = cell_values(per_part)
        for gpu, watts in zip(gpus, gpu_heat(time_s), strict=True):
            values[footprint_cells[gpu]] += watts / areas[gpu]
        q.x.array[:] = values

    T, T_n = fem.Function(V), fem.Function(V)
    T.x.array[:] = T_n.x.array[:] = T0
    dt = fem.Constant(msh, 20.0)
    v = ufl.TestFunction(V)
    dx_vertex = ufl.dx(metadata={"quadrature_rule": "vertex", "quadrature_degree": 1})
    F = (rc * t * (T - T_n) / dt * v * ufl.dx + t * k * ufl.inner(ufl.grad(T), ufl.grad(v)) * ufl.dx
         + (eps * SIGMA * T ** 4 - q) * v * dx_vertex)
    problem = NonlinearProblem(F, T, petsc_options_prefix="naive_", petsc_options={
        "snes_type": "newtonls", "snes_linesearch_type": "basic", "snes_rtol": 1e-10, "snes_atol": 1e-8,
        "snes_stol": 0.0, "ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"})
    iterations = 0
    previous = 0.0
    for time_s in times:
        dt.value = time_s - previous
        update_sources(time_s - 1e-9 * (time_s - previous))
        problem.solve()
        reason = problem.solver.getConvergedReason()
        if reason <= 0:
            raise RuntimeError(f"naive Newton failed at t = {time_s} s (SNES reason {reason})")
        iterations += problem.solver.getIterationNumber()
        T_n.x.array[:] = T.x.array
        previous = time_s
    means = {p: sm.mesh.comm.allreduce(float(fem.assemble_scalar(fem.form(T * ufl.dx(
        subdomain_data=sm.cell_tags, subdomain_id=sm.tag_values(p))))), op=MPI.SUM) / areas[p] for p in parts.names}
    return means, iterations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mesh-size", type=float, default=0.028, help="[m]; 0.028 gives about 102,000 DOFs")
    parser.add_argument("--naive-steps", type=int, default=20, help="steps of the naive loop (0: skip it)")
    parser.add_argument("--linear-solvers", default="cg_icc,lu", help="comma-separated, for the design")
    args = parser.parse_args()

    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    say(f"building the mesh at {args.mesh_size * 100:.1f} cm on {COMM.size} rank(s) (gmsh and the partition on "
        "rank 0; benchmarks/scaling_benchmark.py times it against the rank count)")
    sm, mesh_s = timed(lambda: build_mesh(case.spacecraft, args.mesh_size, COMM))
    geom = case_orbit(case.orbit)
    exposure = compute_exposure(sm.parts, case.spacecraft, geom, case.environment, case.attitude,
                                case.thermal.end_of_life)
    P = exposure.period_s
    events = tuple(e for e in shadow_breakpoints_s(geom, case.environment.eclipse) if 0.0 <= e <= P) \
        if case.environment.eclipse != "none" else ()

    def sides(t):
        return dict(zip(exposure.side_names, exposure.absorbed(t), strict=True))

    def part_heat(t):
        return {"deck": case.compute.overhead_W}

    def gpu_heat(t):
        return np.full(case.compute.count, case.compute.gpu_power_W)

    T0 = case.thermal.initial_temperature_K
    same = dataclasses.replace(sm, parts=PartList(sm.parts.parts, tuple(j for j in sm.parts.joints if j.shared_nodes)))
    dofs = None
    rows = []

    def design(settings, transport, mesh, interior):
        return solve_fe(mesh, sides, part_heat, gpu_heat, transport, case.compute.gpu.junction_to_coolant_K_W, T0,
                        settings, stage, interior_radiation=interior)

    phases = ", ".join(f"{k} {v:.1f} s" for k, v in sm.mesh_phase_s.items())
    say(f"h100_bus, one orbit of {P:.0f} s, {COMM.size} MPI rank(s); mesh {args.mesh_size * 100:.1f} cm built in "
        f"{mesh_s:.1f} s ({phases}); {len(events)} eclipse events")
    grid = time_grid(0.0, P, 20.0, events)
    # the case's full physics with the default solver
    settings = FESettings(time_step_s=20.0, orbits=1, period_s=P, event_times_s=events, scheme="bdf2")
    say("design, full physics (cg_icc, BDF2):")
    full, wall = timed(lambda: design(settings, case.thermal.transport, sm, True))
    say(f"  {wall:.1f} s")
    full_row = ("design, cg_icc (full: loop, interior radiation, joints, BDF2)", full.steps,
                full.solver_stats["newton_iterations"], wall)
    for solver in args.linear_solvers.split(","):
        settings = FESettings(time_step_s=20.0, orbits=1, period_s=P, event_times_s=events, scheme="backward_euler",
                              linear_solver=solver)
        say(f"design, {solver}, the problem both can write:")
        history, wall = timed(functools.partial(design, settings, ConductionSpec(), same, False))
        say(f"  {wall:.1f} s")
        dofs = history.dofs
        rows.append((f"design, {solver} (same problem)", history.steps, history.solver_stats["newton_iterations"],
                     wall))
    rows.append(full_row)
    if args.naive_steps > 0:
        n = min(args.naive_steps, len(grid))
        short = FESettings(time_step_s=20.0, duration_s=float(grid[n - 1]), period_s=P, event_times_s=events,
                           scheme="backward_euler")
        say(f"naive NonlinearProblem loop, {n} steps (MUMPS LU at every Newton iteration; about 1 s per step):")
        reference = design(short, ConductionSpec(), same, False)
        with single_threaded_blas():
            (naive_means, naive_its), naive_s = timed(lambda: naive_run(same, reference.time_s[1:], sides, part_heat,
                                                                        gpu_heat, T0))
        dofs = reference.dofs
        rows.insert(0, ("naive NonlinearProblem (same problem)", n, naive_its, naive_s))
        diff = max(abs(naive_means[p] - reference.part_T_mean_K[p][-1]) for p in naive_means)
        say(f"after {n} steps, largest difference of a part's mean temperature, naive vs design: {diff:.2e} K")
    say(f"DOFs: {dofs:,}")
    say(f"{'solver':64s} {'steps':>6s} {'Newton':>7s} {'wall [s]':>9s} {'per DOF-step [us]':>18s}")
    per_step = {}
    for name, steps, its, wall in rows:
        per_step[name] = wall / steps
        say(f"{name:64s} {steps:6d} {its:7d} {wall:9.2f} {wall / steps / dofs * 1e6:18.3f}")
    if args.naive_steps > 0:
        naive = per_step[rows[0][0]]
        for name, value in per_step.items():
            if name != rows[0][0]:
                say(f"speed ratio per step, naive / {name}: {naive / value:.1f}")
    say(f"full physics: energy balance error {full.energy_balance_error:.2e}, GPU junction max "
        f"{np.max(full.gpu_junction_K):.2f} K, coolant supply max {full.coolant['loop_supply_max_K']:.2f} K")


if __name__ == "__main__":
    main()
