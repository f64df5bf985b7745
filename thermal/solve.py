"""`python -m thermal.solve CASE.yaml [--out DIR] [--quiet]`: validate, build, run, write results.

The run, in order: case -> orbit geometry -> part list -> environment exposure of every side ->
thermal model (lumped network or finite elements), coupled to the power model by iterating over
the orbit's time histories (array temperature -> array efficiency -> battery and delivered compute
-> heat loads -> temperatures) until the array temperature history changes by less than
``COUPLING_TOLERANCE_K`` -> results directory.

Exit codes: 0 success; 2 invalid case; 3 infeasible design or a solver that did not converge.
"""

import argparse
import contextlib
import dataclasses
import gc
import json
import math
import os
import signal
import sys
import time
from pathlib import Path

import numpy as np

import thermal
from geometry.layout import part_list
from geometry.parts import PartList
from geometry.shells import surface_arrays
from geometry.surface import write_meshio
from thermal.case import Case, load_case
from thermal.core.errors import CaseError, InfeasibleError
from thermal.orbit import case_orbit, eclipse_intervals_s
from thermal.outputs.directory import (
    OutputPathError,
    Staging,
    check_output_dir,
    describe_existing,
    expected_results_bytes,
)
from thermal.outputs.fields import XdmfFieldWriter
from thermal.report import write_report
from thermal.results import plot_power, plot_temperatures, write_summary, write_timeseries
from thermal.simulate import Run, simulate


class Progress:
    """One line that updates in place on a terminal; silent with --quiet. Into a file or pipe it
    prints a line when the stage changes and at most every few seconds within a stage."""

    EVERY_S = 5.0

    def __init__(self, quiet: bool, check=None):
        self.quiet = quiet
        self.check = check or (lambda: None)   # called first on every report (InterruptGuard.check)
        self.tty = sys.stderr.isatty()
        self.start = time.perf_counter()
        self.last_stage, self.last_print = None, -math.inf

    def __call__(self, text: str) -> None:
        self.check()
        if self.quiet:
            return
        now = time.perf_counter()
        stamp = f"[{now - self.start:6.1f} s] {text}"
        if self.tty:
            print("\r" + stamp.ljust(78), end="", file=sys.stderr, flush=True)
            return
        stage = text.split(":")[0]
        if stage != self.last_stage or now - self.last_print >= self.EVERY_S:
            print(stamp, file=sys.stderr, flush=True)
            self.last_stage, self.last_print = stage, now

    def close(self) -> None:
        if self.tty and not self.quiet:
            print(file=sys.stderr)


def solve(case: Case, progress=None, fields=None) -> Run:
    """A case's run: :func:`thermal.simulate.simulate`, or for a case with a ``sizing`` block the
    sizing and the check of one module (:func:`thermal.sizing.run.sized_run`)."""
    if case.sizing is None:
        return simulate(case, progress, fields)
    from thermal.sizing.run import sized_run
    run, sizing = sized_run(case, progress, fields)
    return dataclasses.replace(run, sizing=sizing)


def summary_of(run: Run) -> dict:
    case, h = run.case, run.thermal
    summary = {"tool": {"name": thermal.TOOL_NAME, "version": thermal.__version__},
               "case": case.name, "case_path": str(case.path.resolve()), "attitude": case.attitude,
               "geometry": {"parts": {p.name: {"area_m2": p.area_m2, "mass_kg": p.mass_kg,
                                                "role": p.role} for p in run.parts.parts}}}
    if run.geometry is not None:
        g = run.geometry
        intervals = eclipse_intervals_s(g, case.environment.eclipse) if case.environment.eclipse != "none" else []
        eclipse_s = sum(b - a for a, b in intervals)
        summary["orbit"] = {"period_s": g.period_s, "beta_deg": math.degrees(g.beta_rad),
                            "eclipse_fraction": eclipse_s / g.period_s, "eclipse_duration_s": eclipse_s,
                            "altitude_m": g.altitude_m, "solar_distance_au": g.solar_distance_au}
        if g.inclination_rad is not None:
            summary["orbit"]["inclination_deg"] = math.degrees(g.inclination_rad)
    else:
        summary["orbit"] = {"period_s": None, "beta_deg": None, "eclipse_fraction": 0.0, "eclipse_duration_s": 0.0,
                            "deep_space": True}
    thermal_parts = {name: {"T_min_K": float(np.min(h.part_T_min_K[name])),
                            "T_max_K": float(np.max(h.part_T_max_K[name])),
                            "T_mean_K": float(np.mean(h.part_T_mean_K[name]))} for name in h.part_T_mean_K}
    limits = {}
    for name, (low, high) in case.thermal.limits_K.items():
        t = thermal_parts[name]
        limits[name] = {"min_K": low, "max_K": high if math.isfinite(high) else None,
                        "met": bool(t["T_min_K"] >= low and t["T_max_K"] <= high)}
    junction = float(np.nanmax(h.gpu_junction_K)) if np.any(np.isfinite(h.gpu_junction_K)) else None
    summary["thermal"] = {
        "model": case.solver.model, "parts": thermal_parts, "gpu_junction_max_K": junction,
        "cold_plate_max_K": float(np.nanmax(h.cold_plate_T_K)) if junction is not None else None,
        "energy_balance_error": h.energy_balance_error, "limits": limits, **run.transport}
    if case.compute is not None:
        summary["thermal"]["gpu_junction_limit_K"] = case.compute.gpu.junction_limit_K
        summary["thermal"]["gpu_junction_margin_K"] = case.compute.gpu.junction_limit_K - junction
    if run.power_summary is not None:
        summary["power"] = run.power_summary
    if run.sizing is not None:
        summary["sizing"] = run.sizing
    summary["run"] = {"version": thermal.__version__, "case_sha256": case.sha256, "dofs": h.dofs,
                      "steps": h.steps, "wall_time_s": run.wall_time_s, **h.extra}
    return summary


def timeseries_of(run: Run) -> dict:
    h = run.thermal
    columns = {"time_s": h.time_s}
    for name in h.part_T_mean_K:
        columns[f"{name}_T_min_K"] = h.part_T_min_K[name]
        columns[f"{name}_T_max_K"] = h.part_T_max_K[name]
        columns[f"{name}_T_mean_K"] = h.part_T_mean_K[name]
    if run.case.compute is not None:
        columns["gpu_junction_K"] = h.gpu_junction_K
    columns.update({"absorbed_W": h.absorbed_W, "generated_W": h.generated_W, "emitted_W": h.emitted_W,
                    "electric_W": h.electric_W if h.electric_W is not None else np.zeros_like(h.time_s),
                    "stored_rate_W": h.stored_rate_W})
    if run.power is not None:
        p = run.power
        t = np.mod(h.time_s, run.exposure.period_s) if run.exposure.period_s else h.time_s
        for key in ("array_power_W", "load_W", "battery_soc"):
            columns[key] = np.interp(t, p.time_s, getattr(p, key))
    return columns


DRAWING_MESH_MAX_CELLS = 30_000


def write_drawing_mesh(case: Case, parts: PartList, path: Path) -> None:
    """The spacecraft's parts as a VTU for the viewer and ParaView (cell arrays ``part_id`` and
    ``group:<part>``), meshed with gmsh on this process alone (no DOLFINx, nothing collective), coarse
    enough to stay near ``DRAWING_MESH_MAX_CELLS`` triangles."""
    total_area = sum(p.area_m2 for p in parts.parts)
    size = max(case.solver.mesh_size_m, math.sqrt(2.0 * total_area / DRAWING_MESH_MAX_CELLS))
    arrays, tags, _ = surface_arrays(case.spacecraft, size)
    write_meshio(arrays, tags, path)


def write_results(run: Run, folder: Path, shown_as: Path) -> None:
    """Write every results file into `folder` (the staging folder of ``shown_as``)."""
    h = run.thermal
    shadow = run.exposure.shadowed(h.time_s)
    columns = timeseries_of(run)
    write_timeseries(folder / "timeseries.csv", columns)
    if h.time_s.size > 1:
        plot_temperatures(folder / "temperatures.png", h.time_s, h.part_T_mean_K, h.gpu_junction_K
                          if run.case.compute else None, shadow, run.case.thermal.limits_K,
                          f"{run.case.name}: part temperatures ({run.case.solver.model} model)")
    if run.power is not None:
        plot_power(folder / "power.png", h.time_s, columns["array_power_W"], columns["load_W"],
                   columns["battery_soc"], shadow, f"{run.case.name}: power and battery")
    write_drawing_mesh(run.case, run.parts, folder / "spacecraft.vtu")
    write_summary(folder / "summary.json", summary_of(run))
    write_report(folder, shown_as=shown_as)   # the one-page HTML reads what is written above


def print_summary(summary: dict) -> None:
    print(f"case {summary['case']}")
    orbit = summary["orbit"]
    if orbit.get("period_s"):
        print(f"  orbit: period {orbit['period_s'] / 60:.1f} min, beta {orbit['beta_deg']:.1f} deg, "
              f"eclipse {orbit['eclipse_duration_s'] / 60:.1f} min ({100 * orbit['eclipse_fraction']:.1f} %)")
    else:
        print("  orbit: deep space at 1 AU")
    print(f"  {'part':<16}{'area m^2':>10}{'mass kg':>10}{'T min K':>10}{'T max K':>10}{'T mean K':>10}")
    geo = summary["geometry"]["parts"]
    for name, t in summary["thermal"]["parts"].items():
        g = geo.get(name, {})
        area = f"{g['area_m2']:10.3f}" if g else f"{'':10}"
        mass = f"{g['mass_kg']:10.2f}" if g else f"{'':10}"
        print(f"  {name:<16}{area}{mass}{t['T_min_K']:10.1f}{t['T_max_K']:10.1f}{t['T_mean_K']:10.1f}")
    th = summary["thermal"]
    if th.get("gpu_junction_max_K") is not None:
        print(f"  GPU junction max {th['gpu_junction_max_K']:.1f} K ({th['gpu_junction_max_K'] - 273.15:.1f} degC), "
              f"limit {th['gpu_junction_limit_K']:.1f} K, margin {th['gpu_junction_margin_K']:.1f} K")
    for name, lim in th["limits"].items():
        print(f"  limit {name}: {'met' if lim['met'] else 'MISSED'}")
    if "pump_power_W" in th:
        print(f"  pump power {th['pump_power_W']:.1f} W")
    print(f"  energy balance error {th['energy_balance_error']:.2e}")
    if "power" in summary:
        p = summary["power"]
        print(f"  power: array {p['array_power_orbit_avg_W'] / 1e3:.2f} kW orbit average, load "
              f"{p['load_orbit_avg_W'] / 1e3:.2f} kW, margin {100 * p['energy_margin']:+.1f} %, "
              f"battery SOC min {p['battery_soc_min']:.3f}")
    if "sizing" in summary:
        from thermal.sizing.run import summary_lines
        for line in summary_lines(summary["sizing"]):
            print(line)
    run = summary["run"]
    print(f"  {run['dofs']} unknowns, {run['steps']} steps, {run['wall_time_s']:.2f} s")


def expected_field_values(case: Case) -> int:
    """Nodal values the finite-element field output will hold (for the disk-space check): about
    one vertex per 0.87 h^2 of shell, written every ``output.field_every`` steps over one orbit
    (``output.fields: reported_orbit``), or over the ``solver.orbits`` orbits plus one (``all``),
    or over the duration."""
    if case.solver.model != "fe" or case.output.fields == "none":
        return 0
    area = sum(p.area_m2 for p in part_list(case.spacecraft).parts) if case.sizing is None else 0.0
    vertices = area / (0.87 * case.solver.mesh_size_m ** 2)
    if case.solver.steady:
        writes = 2
    else:
        duration = case.solver.duration_s
        if duration is None:
            geom = case_orbit(case.orbit)
            orbits = max(case.solver.orbits, 2) + 1 if case.output.fields == "all" else 1
            duration = orbits * (geom.period_s if geom is not None else 0.0)
        writes = duration / case.solver.time_step_s / case.output.field_every_steps + 2
    return int(vertices * writes)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: unwind (staging removed), print one line, exit 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class InterruptGuard:
    """SIGINT and SIGTERM, handled so that a run stops cleanly at any stage.

    In one process the signal raises `Interrupted` at once. Under MPI a rank must not leave a
    collective step alone (the others would wait for it forever), so the signal only sets a flag,
    and `check` (called by every rank at the same points: each progress report) raises
    `Interrupted` on every rank together if any of them got one. After the last collective step
    `serial` makes signals interrupt at once again. Later signals are ignored while a run unwinds.
    """

    def __init__(self, comm):
        self.comm = comm
        self.collective = comm.size > 1
        self.pending: int | None = None

    def handler(self, signum, frame) -> None:
        if self.pending is not None:
            return
        self.pending = signum
        if not self.collective:
            raise Interrupted(signum)

    def check(self) -> None:
        if not self.collective:
            return
        from mpi4py import MPI
        signum = self.comm.allreduce(self.pending or 0, op=MPI.MAX)
        if signum:
            self.pending, self.collective = signum, False
            raise Interrupted(signum)

    def serial(self) -> None:
        self.collective = False
        if self.pending is not None:
            raise Interrupted(self.pending)

    @contextlib.contextmanager
    def installed(self):
        previous = {s: signal.signal(s, self.handler) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for s, h in previous.items():
                signal.signal(s, h)


def _prepare_output(case: Case, out_dir: Path, root: bool, comm) -> Staging | None:
    """Check the results folder and open its staging folder on rank 0; every rank learns the
    outcome (an OutputPathError is raised on all of them)."""
    staging, error = None, None
    if root:
        try:
            target = check_output_dir(out_dir, expected_results_bytes(expected_field_values(case)))
            staging = Staging.create(target)
        except OutputPathError as err:
            error = err
    path, message = comm.bcast((staging.path if staging else None, str(error) if error else None), root=0)
    if error is not None:
        raise error
    if message is not None:
        raise OutputPathError(out_dir, message)
    return staging if root else Staging(out_dir, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m thermal.solve", description=__doc__.splitlines()[0])
    parser.add_argument("case", help="case file (YAML)")
    parser.add_argument("--out", help="results directory (default: the case's output.dir, results/<name>); "
                                      "an existing one is replaced only if this tool wrote it")
    parser.add_argument("--quiet", action="store_true", help="no progress or summary table")
    args = parser.parse_args(argv)
    # under mpiexec every rank runs the case (the FE model shares the mesh between them); rank 0
    # alone prints and writes the results. PETSc's start-up is collective: every rank joins it
    # here, so that no later step that only rank 0 takes can start it alone.
    # PETSc's own signal handler would end the process on SIGTERM (exit code 15) without cleaning up
    os.environ["PETSC_OPTIONS"] = (os.environ.get("PETSC_OPTIONS", "") + " -no_signal_handler").strip()
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    if comm.size > 1:
        import dolfinx_solver  # noqa: F401  (orders MPI ahead of the DOLFINx bindings)

        from petsc4py import PETSc  # noqa: F401
    root = comm.rank == 0
    guard = InterruptGuard(comm)
    progress = Progress(args.quiet or not root, guard.check)
    out_dir, staging = None, None
    failure = None
    with guard.installed():
        try:
            case = load_case(args.case)
            out_dir = Path(args.out) if args.out else case.output.dir
            staging = _prepare_output(case, out_dir, root, comm)
            fields = XdmfFieldWriter(staging.path / "fields") if case.output.fields != "none" else None
            run = solve(case, progress, fields)
            guard.serial()   # nothing collective is left: rank 0 writes alone
            if root:
                progress(f"writing results into {out_dir}")
                write_results(run, staging.path, shown_as=out_dir)
                staging.commit()
                staging = None
        except (CaseError, InfeasibleError, OSError, Interrupted) as err:
            failure = err.with_traceback(None)   # frames (and the field writers they hold) can go
        if failure is not None:
            progress.close()
            if staging is not None and root:
                gc.collect()        # field writers left to the collector write on close: before the removal
                staging.discard()
            if root:
                print(_failure_line(failure, out_dir, staging), file=sys.stderr)
            if isinstance(failure, Interrupted):
                return 128 + failure.signum
            return 3 if isinstance(failure, OSError) else failure.exit_code
    progress.close()
    if root and not args.quiet:
        print_summary(json.loads((out_dir / "summary.json").read_text()))
        print(f"  results in {out_dir}/")
    return 0


def _failure_line(err: BaseException, out_dir: Path | None, staging: Staging | None) -> str:
    """The one line a failed run prints: what went wrong, and what the results folder holds."""
    if isinstance(err, Interrupted):
        text = f"interrupted by {signal.Signals(err.signum).name}"
    elif isinstance(err, OutputPathError):
        return f"error: --out {err}"
    elif isinstance(err, OSError):
        where = str(err.filename or out_dir)
        if staging is not None:   # name the results folder, not its hidden staging folder
            where = where.replace(str(staging.path), str(out_dir))
        reason = os.strerror(err.errno) if err.errno else str(err).splitlines()[0]
        text = f"error: could not write the results ({where}: {reason})"
    else:
        text = f"{'error' if isinstance(err, CaseError) else 'infeasible'}: {err}"
    if staging is not None and out_dir is not None:
        text += f"; {describe_existing(Path(out_dir))}"
    return text


if __name__ == "__main__":
    sys.exit(main())
