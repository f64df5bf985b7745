"""Strong scaling of the finite-element model: the mesh build and one orbit with radiation exchange.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/scaling_benchmark.py --ranks 1,2 [--mesh-size 0.028] [--repeats 2]
    PYTHONPATH=$PWD .venv/bin/python benchmarks/scaling_benchmark.py --ranks 1,2,4,8,16   # a 16-core host
    PYTHONPATH=$PWD .venv/bin/python benchmarks/scaling_benchmark.py --ranks 1,2 --build-only   # the mesh alone

The case is ``cases/h100_bus.yaml`` at about 100k unknowns (``--mesh-size 0.028``: 2.8 cm), as in
``fe_benchmark.py`` and ``exchange_benchmark.py``. For every rank count N of ``--ranks`` this script
starts ``mpiexec -n N`` on itself (``--worker``), ``--repeats`` times, and each run measures:

- the mesh build, :func:`geometry.mesh.build_mesh` (gmsh on rank 0 while the others sleep, the
  partition on rank 0, the distribution by DOLFINx, the quality checks), with its phases;
- the exposure with ray-traced view factors (:func:`thermal.exposure.compute_exposure`; the view
  factors are computed by the first run and read from the disk cache by the others, so this is
  not part of the scaling);
- one orbit (20 s steps, BDF2, full physics: pumped loop, interior radiation, joints) with the
  radiation exchange between the outer sides (:func:`thermal.exchange.side_exchange`), after a
  one-step warm-up that compiles the forms.

It prints each run, then a table of the fastest run of each N: unknowns, build time and its
phases, orbit time, Newton iterations, speed-up S = T(N0) / T(N) against the smallest N given
(N0, usually 1) and efficiency S N0 / N, with the load average before and after (the figures
follow the machine's other jobs; on a shared host compare the CPU time too). The GPU junction
and radiator temperature at the end of the orbit and the energy balance error are printed for
every run: they must agree across N to the linear solver's tolerance.

Every worker runs with one thread per rank (``OMP_NUM_THREADS=1``, ``OPENBLAS_NUM_THREADS=1``).
``--mpiexec`` names the launcher (default: the one beside this Python, else ``mpiexec`` on the
PATH); ``--mpiexec-args`` passes options to it (e.g. ``"-bind-to core"`` for MPICH's Hydra).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "SCALING_RESULT "


# --- one run under mpiexec -------------------------------------------------------------------------

def worker(mesh_size_m: float, build_only: bool) -> None:
    import dataclasses

    import dolfinx_solver  # noqa: F401  (orders MPI ahead of the DOLFINx bindings)

    import numpy as np
    from mpi4py import MPI

    sys.path.insert(0, str(ROOT))
    from geometry.mesh import build_mesh
    from thermal.case import load_case
    from thermal.exchange import side_exchange
    from thermal.exposure import compute_exposure
    from thermal.models.fe.model import FESettings, solve_fe
    from thermal.orbit import case_orbit, shadow_breakpoints_s

    comm = MPI.COMM_WORLD

    def timed(fn):
        comm.barrier()
        start, cpu = MPI.Wtime(), time.process_time()
        result = fn()
        comm.barrier()
        return (result, comm.allreduce(MPI.Wtime() - start, op=MPI.MAX),
                comm.allreduce(time.process_time() - cpu, op=MPI.SUM))

    load_before = os.getloadavg()[0]
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    sm, build_s, build_cpu_s = timed(lambda: build_mesh(case.spacecraft, mesh_size_m, comm))
    owned = comm.gather(sm.mesh.topology.index_map(sm.mesh.topology.dim).size_local, root=0)
    result = {"ranks": comm.size, "cells": sm.n_cells, "cells_per_rank": owned, "build_s": build_s,
              "build_cpu_s": build_cpu_s, "build_phases_s": sm.mesh_phase_s}
    if build_only:
        if comm.rank == 0:
            print(MARK + json.dumps({**result, "load": [load_before, os.getloadavg()[0]]}), flush=True)
        return
    geom = case_orbit(case.orbit)
    exposure, exposure_s, _ = timed(lambda: compute_exposure(
        sm.parts, case.spacecraft, geom, case.environment, case.attitude, case.thermal.end_of_life,
        case.solver.view_factors))
    exchange = side_exchange(exposure.exchange, sm.parts, exposure.side_names)
    period = exposure.period_s
    events = tuple(e for e in shadow_breakpoints_s(geom, case.environment.eclipse) if 0.0 <= e <= period) \
        if case.environment.eclipse != "none" else ()
    settings = FESettings(time_step_s=20.0, orbits=1, period_s=period, event_times_s=events, scheme="bdf2")

    def sides(t):
        return dict(zip(exposure.side_names, exposure.absorbed(t), strict=True))

    def run(settings=settings):
        return solve_fe(sm, sides, lambda t: {"deck": case.compute.overhead_W},
                        lambda t: np.full(case.compute.count, case.compute.gpu_power_W), case.thermal.transport,
                        case.compute.gpu.junction_to_coolant_K_W, case.thermal.initial_temperature_K, settings,
                        exchange=exchange)

    run(dataclasses.replace(settings, orbits=None, duration_s=20.0))     # warm-up: the forms compiled
    history, orbit_s, orbit_cpu_s = timed(run)
    if comm.rank == 0:
        print(MARK + json.dumps({
            **result, "dofs": history.dofs, "exposure_s": exposure_s, "orbit_s": orbit_s,
            "orbit_cpu_s": orbit_cpu_s, "steps": history.steps,
            "newton": history.solver_stats["newton_iterations"],
            "junction_end_K": float(history.gpu_junction_K[-1]),
            "radiator_end_K": float(history.part_T_mean_K["radiator"][-1]),
            "energy_error": float(history.energy_balance_error),
            "load": [load_before, os.getloadavg()[0]]}), flush=True)


# --- the driver ------------------------------------------------------------------------------------

def launcher(name: str | None) -> str:
    if name:
        return name
    beside = Path(sys.executable).with_name("mpiexec")
    found = str(beside) if beside.exists() else shutil.which("mpiexec")
    if found is None:
        sys.exit("no mpiexec found: give --mpiexec")
    return found


def one_run(ranks: int, args, env) -> dict:
    command = [launcher(args.mpiexec), *args.mpiexec_args.split(), "-n", str(ranks), sys.executable,
               str(Path(__file__).resolve()), "--worker", "--mesh-size", str(args.mesh_size)] \
        + (["--build-only"] if args.build_only else [])
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=args.timeout)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith(MARK)]
    if done.returncode != 0 or not lines:
        sys.exit(f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len(MARK):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ranks", default="1,2", help="comma-separated MPI rank counts, e.g. 1,2,4,8,16")
    parser.add_argument("--mesh-size", type=float, default=0.028, help="[m]; 0.028 gives about 100k unknowns")
    parser.add_argument("--repeats", type=int, default=1, help="runs per rank count (the fastest is tabled)")
    parser.add_argument("--mpiexec", default=None, help="the MPI launcher")
    parser.add_argument("--mpiexec-args", default="", help="options for the launcher, one string")
    parser.add_argument("--timeout", type=float, default=1800.0, help="[s] per run")
    parser.add_argument("--build-only", action="store_true", help="time the mesh build alone")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.mesh_size, args.build_only)
        return

    ranks = sorted({int(n) for n in args.ranks.split(",")})
    cores = os.cpu_count() or 1
    if ranks[-1] > cores:
        print(f"note: {ranks[-1]} ranks on {cores} cores: the runs above {cores} ranks are oversubscribed")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    env.setdefault("ORBITAL_THERMAL_CACHE", tempfile.mkdtemp(prefix="vf-scaling-"))
    print(f"h100_bus, mesh {args.mesh_size * 100:.1f} cm, ranks {ranks}, {args.repeats} run(s) each, "
          f"{cores} cores, view-factor cache {env['ORBITAL_THERMAL_CACHE']}")
    runs: dict[int, list[dict]] = {}
    for n in ranks:
        for _ in range(args.repeats):
            r = one_run(n, args, env)
            runs.setdefault(n, []).append(r)
            phases = " + ".join(f"{k} {v:.1f}" for k, v in r["build_phases_s"].items())
            line = f"  {n:2d} rank(s): build {r['build_s']:6.1f} s ({phases}; CPU {r['build_cpu_s']:.1f} s)"
            if not args.build_only:
                line += (f", exposure {r['exposure_s']:5.1f} s, orbit {r['orbit_s']:6.1f} s (CPU "
                         f"{r['orbit_cpu_s']:.1f} s, {r['newton']} Newton), junction {r['junction_end_K']:.4f} K, "
                         f"radiator {r['radiator_end_K']:.4f} K, energy error {r['energy_error']:.1e}")
            print(f"{line}, cells per rank {r['cells_per_rank']}, load {r['load'][0]:.1f}-{r['load'][1]:.1f}",
                  flush=True)
    if args.build_only:
        return

    best = {n: (min(rs, key=lambda r: r["build_s"]), min(rs, key=lambda r: r["orbit_s"])) for n, rs in runs.items()}
    n0 = ranks[0]
    build0, orbit0 = best[n0][0]["build_s"], best[n0][1]["orbit_s"]
    dofs = best[n0][1]["dofs"]
    print(f"\n{dofs:,} unknowns, {best[n0][1]['cells']:,} cells, {best[n0][1]['steps']} steps; fastest of "
          f"{args.repeats} run(s); speed-up against {n0} rank(s), efficiency = speed-up x {n0} / ranks")
    print("| ranks | build [s] | gmsh / distribute / check [s] | build speed-up | orbit [s] | Newton | "
          "us per DOF-step | orbit speed-up | efficiency | load |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for n in ranks:
        b, o = best[n]
        phases = " / ".join(f"{v:.1f}" for v in b["build_phases_s"].values())
        speed = orbit0 / o["orbit_s"]
        loads = [x for r in runs[n] for x in r["load"]]
        print(f"| {n} | {b['build_s']:.1f} | {phases} | {build0 / b['build_s']:.2f} | {o['orbit_s']:.1f} | "
              f"{o['newton']} | {o['orbit_s'] / o['steps'] / o['dofs'] * 1e6:.3f} | {speed:.2f} | "
              f"{speed * n0 / n:.2f} | {min(loads):.1f}-{max(loads):.1f} |")
    junctions = [r["junction_end_K"] for rs in runs.values() for r in rs]
    print(f"GPU junction at the orbit's end over all runs: {min(junctions):.6f}-{max(junctions):.6f} K "
          f"(spread {max(junctions) - min(junctions):.1e} K); median orbit time per N: "
          + ", ".join(f"{n}: {statistics.median(r['orbit_s'] for r in rs):.1f} s" for n, rs in runs.items()))


if __name__ == "__main__":
    main()
