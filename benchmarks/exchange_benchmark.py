"""Cost of radiation exchange (thermal.exchange) in the finite-element model, at about 100k unknowns.

    mpiexec -n 2 .venv/bin/python benchmarks/exchange_benchmark.py [--mesh-size 0.028] [--rays 20000]

The case is ``cases/h100_bus.yaml`` over one orbit (20 s steps, BDF2, full physics: pumped loop,
interior radiation, joints), as the full-physics row of ``fe_benchmark.py``, solved twice on the
same mesh: the parts seeing only deep space (today's model), and with the exchange: the other
parts' shadows and reflections in the absorbed fluxes and Gebhart's IR exchange between the
patches of the outer sides as a low-rank term, with the wing's view factors orbit-averaged and at
each time (as ``thermal.solve`` runs it). Prints the time of the exposure (with the ray tracing:
view factors at the wing's 8 positions, shadows at every table time; a second call reads the view
factors from the cache), of each solve, their ratio, the GPU junction and the radiator's mean
temperature at the end of the orbit (one orbit from the case's initial temperature: a transient,
not the periodic state) and the energy balance of each.
"""

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

import dolfinx_solver  # noqa: F401

import numpy as np
from mpi4py import MPI

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geometry.mesh import build_mesh  # noqa: E402
from thermal.case import load_case  # noqa: E402
from thermal.case.model import ViewFactorConfig  # noqa: E402
from thermal.exchange import patch_exchange  # noqa: E402
from thermal.exposure import compute_exposure  # noqa: E402
from thermal.models.fe.model import FESettings, solve_fe  # noqa: E402
from thermal.models.fe.run import _wing_exchange  # noqa: E402
from thermal.orbit import case_orbit, shadow_breakpoints_s  # noqa: E402

COMM = MPI.COMM_WORLD


def say(text: str) -> None:
    if COMM.rank == 0:
        print(text, flush=True)


def timed(fn):
    COMM.barrier()
    start = MPI.Wtime()
    result = fn()
    COMM.barrier()
    return result, COMM.allreduce(MPI.Wtime() - start, op=MPI.MAX)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mesh-size", type=float, default=0.028, help="[m]; 0.028 gives about 102,000 DOFs")
    parser.add_argument("--rays", type=int, default=ViewFactorConfig().rays, help="rays per radiating side")
    parser.add_argument("--patch-size", type=float, default=ViewFactorConfig().patch_size_m,
                        help="[m] solver.view_factors.patch_size; 100 gives one patch per side")
    args = parser.parse_args()
    os.environ.setdefault("ORBITAL_THERMAL_CACHE", tempfile.mkdtemp(prefix="vf-bench-"))

    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    sm, mesh_s = timed(lambda: build_mesh(case.spacecraft, args.mesh_size, COMM))
    geom = case_orbit(case.orbit)
    vf = ViewFactorConfig(rays=args.rays, patch_size_m=args.patch_size)

    def exposure_of(view):
        return compute_exposure(sm.parts, case.spacecraft, geom, case.environment, case.attitude,
                                case.thermal.end_of_life, view)

    plain, plain_s = timed(lambda: exposure_of(None))
    traced, traced_s = timed(lambda: exposure_of(vf))
    _, cached_s = timed(lambda: exposure_of(vf))
    P = plain.period_s
    events = tuple(e for e in shadow_breakpoints_s(geom, case.environment.eclipse) if 0.0 <= e <= P) \
        if case.environment.eclipse != "none" else ()
    settings = FESettings(time_step_s=20.0, orbits=1, period_s=P, event_times_s=events, scheme="bdf2")

    def run(exposure, exchange, settings=settings, wing=None):
        def sides(t):
            return dict(zip(exposure.side_names, exposure.absorbed(t), strict=True))
        return solve_fe(sm, sides, lambda t: {"deck": case.compute.overhead_W},
                        lambda t: np.full(case.compute.count, case.compute.gpu_power_W), case.thermal.transport,
                        case.compute.gpu.junction_to_coolant_K_W, case.thermal.initial_temperature_K, settings,
                        exchange=exchange, wing_exchange=wing)

    # warm-up: one step of each, so that neither timed run pays for compiling the forms
    warm = dataclasses.replace(settings, orbits=None, duration_s=20.0)
    exchange = patch_exchange(traced.exchange, sm.parts)
    wing = _wing_exchange(traced.exchange, sm.parts)
    for exposure, ex, w in ((plain, None, None), (traced, exchange, None), (traced, exchange, wing)):
        run(exposure, ex, warm, w)
    today, today_s = timed(lambda: run(plain, None))
    seen, seen_s = timed(lambda: run(traced, exchange))
    moving, moving_s = timed(lambda: run(traced, exchange, wing=wing))
    say(f"h100_bus, one orbit of {P:.0f} s, {COMM.size} MPI rank(s); mesh {args.mesh_size * 100:.1f} cm "
        f"({today.dofs:,} DOFs) built in {mesh_s:.1f} s; {args.rays:,} rays per side; "
        f"{len(traced.exchange.patches.side)} patches of at most {args.patch_size:g} m, "
        f"{len(exchange.part)} columns of the exchange term")
    say(f"exposure: deep space only {plain_s:.2f} s; with ray tracing {traced_s:.2f} s "
        f"(view factors cached: {cached_s:.2f} s)")
    say(f"{'model':44s} {'steps':>6s} {'Newton':>7s} {'ops':>4s} {'wall [s]':>9s} {'junction end [K]':>17s} "
        f"{'radiator end [K]':>17s} {'energy error':>13s}")
    for name, h, wall in (("today: every side sees deep space", today, today_s),
                          ("with exchange, wing factors orbit-averaged", seen, seen_s),
                          ("with exchange, wing factors at each time", moving, moving_s)):
        say(f"{name:44s} {h.steps:6d} {h.solver_stats['newton_iterations']:7d} "
            f"{h.solver_stats['operator_builds']:4d} {wall:9.2f} "
            f"{h.gpu_junction_K[-1]:17.2f} {h.part_T_mean_K['radiator'][-1]:17.2f} {h.energy_balance_error:13.2e}")
    say(f"solve time ratio, exchange / today: {seen_s / today_s:.2f} (averaged wing factors), "
        f"{moving_s / today_s:.2f} (at each time, as thermal.solve runs it); with the exposure: "
        f"{(moving_s + traced_s) / (today_s + plain_s):.2f} (ray tracing), "
        f"{(moving_s + cached_s) / (today_s + plain_s):.2f} (view factors cached)")


if __name__ == "__main__":
    main()
