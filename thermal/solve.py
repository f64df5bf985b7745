"""`python -m thermal.solve CASE.yaml [--out DIR] [--quiet]`: validate, build, run, write results.

The run, in order: case -> orbit geometry -> part list -> environment exposure of every side ->
thermal model (lumped network or finite elements), coupled to the power model by iterating over
the orbit's time histories (array temperature -> array efficiency -> battery and delivered compute
-> heat loads -> temperatures) until the array temperature history changes by less than
``COUPLING_TOLERANCE_K`` -> results directory.

Exit codes: 0 success; 2 invalid case; 3 infeasible design or a solver that did not converge.
"""

import argparse
import json
import math
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import thermal
from geometry.layout import part_list
from geometry.parts import PartList
from geometry.shells import surface_arrays
from geometry.surface import write_meshio
from thermal import network as nw
from thermal import coupling
from thermal.case import Case, load_case
from thermal.coupling import uncoupled_loads
from thermal.errors import CaseError, InfeasibleError
from thermal.exposure import Exposure, compute_exposure
from thermal.history import ThermalHistory
from thermal.network_model import COLD_PLATES, build_network, heat_pipe_utilisation, pump_power_W
from thermal.orbit import OrbitGeometry, eclipse_intervals_s, resolve_orbit
from thermal.report import write_report
from thermal.results import plot_power, plot_temperatures, staged_directory, write_summary, write_timeseries

def orbit_geometry(case: Case) -> OrbitGeometry | None:
    if case.orbit is None:
        return None
    o = case.orbit
    try:
        return resolve_orbit(o.altitude_m, beta_rad=o.beta_rad, inclination_rad=o.inclination_rad,
                             raan_rad=o.raan_rad, ltan_hours=o.ltan_hours, epoch=o.epoch)
    except ValueError as err:
        raise CaseError("orbit", "a consistent circular orbit", str(err)) from None


@dataclass
class Run:
    """Everything one solve produced, for the writers and for scripts."""
    case: Case
    geometry: OrbitGeometry | None
    parts: PartList
    exposure: Exposure
    thermal: ThermalHistory
    power: object | None          # power.system.PowerTimeseries or None
    power_summary: dict | None
    transport: dict
    wall_time_s: float
    sizing: dict | None = None    # the `sizing` block of summary.json, with its `check` (a sized case)


class Progress:
    """One line that updates in place on a terminal; silent with --quiet. Into a file or pipe it
    prints a line when the stage changes and at most every few seconds within a stage."""

    EVERY_S = 5.0

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.start = time.perf_counter()
        self.last_stage, self.last_print = None, -math.inf

    def __call__(self, text: str) -> None:
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


# --- heat loads from compute and power --------------------------------------------------------

def run_thermal(case: Case, parts: PartList, exposure: Exposure, loads, progress) -> tuple[ThermalHistory, dict]:
    """Run the chosen thermal model with the given heat loads.

    `loads` gives, on the exposure grid, the compute heat, the bus heat (into the deck) and the
    electric power drawn from each wing."""
    if case.solver.model == "fe":
        from thermal import fe_run
        return fe_run.run_fe(case, parts, exposure, loads, progress)
    return run_network(case, parts, exposure, loads, progress)


def run_network(case: Case, parts: PartList, exposure: Exposure, loads, progress) -> tuple[ThermalHistory, dict]:
    # the load closures read `lay` and `bus_node`, set below, when the solver first calls them
    def generated(t):
        q = np.zeros(len(lay.names))
        if lay.compute_node is not None:
            q[lay.compute_node] += loads.compute_W(t)
        q[bus_node] += loads.bus_heat_W(t)
        for name, watts in case.thermal.dissipation_W.items():
            q[lay.index[name]] += watts
        return q

    def electric(t):
        q = np.zeros(len(lay.names))
        for wing, node in lay.wing_nodes.items():
            q[node] += loads.wing_electric_W(wing, t)
        return q

    net, lay, report = build_network(case, parts, exposure, generated, electric)
    if coupling.bus_heat_on_loop(case) or lay.deck_node is None:
        bus_node = lay.compute_node if lay.compute_node is not None else 0
    else:
        bus_node = lay.deck_node
    solver = case.solver
    T0 = case.thermal.initial_temperature_K
    if solver.steady:
        sol = nw.steady_solution(net, T0)
    elif solver.duration_s is not None:
        samples = np.arange(0.0, solver.duration_s + 0.5 * solver.time_step_s, solver.time_step_s)
        samples[-1] = solver.duration_s
        sol, _ = nw.integrate(net, np.full(net.size, T0), 0.0, solver.duration_s, samples)
    else:
        sol = nw.periodic_solution(
            net, exposure.period_s, T0, solver.time_step_s, solver.orbits, solver.max_orbits,
            solver.periodic_tolerance_K,
            progress=lambda k, change: progress(f"network: orbit {k}, orbit-to-orbit change {change:.3g} K"))
    parts_T = {name: sol.T_K[lay.index[name]] for name in parts.names}
    t = sol.time_s
    if lay.compute_node is not None:
        cold = sol.T_K[lay.compute_node]
        junction = cold + loads.gpu_W(t) * case.compute.junction_to_coolant_K_W
        if lay.names[lay.compute_node] == COLD_PLATES:
            parts_T[COLD_PLATES] = cold
    else:
        cold = junction = np.full(t.shape, np.nan)
    history = ThermalHistory(
        time_s=t, part_T_min_K=parts_T, part_T_max_K=parts_T, part_T_mean_K=parts_T,
        cold_plate_T_K=cold, gpu_junction_K=junction,
        absorbed_W=sol.absorbed_W, generated_W=sol.generated_W, emitted_W=sol.emitted_W, electric_W=sol.electric_W,
        stored_rate_W=sol.stored_rate_W, energy_balance_error=sol.energy_balance_error,
        dofs=net.size, steps=sol.steps, extra={"orbits": sol.orbits, "rhs_evaluations": sol.rhs_evaluations})
    return history, report


# --- the run -----------------------------------------------------------------------------------

def solve_case(case: Case, progress=None) -> Run:
    """Run a case end to end (no files written). Raises CaseError or InfeasibleError."""
    progress = progress or (lambda text: None)
    if case.sizing is not None:
        from thermal.sizing_case import sized_run
        run, sizing = sized_run(case, progress)
        run.sizing = sizing
        return run
    start = time.perf_counter()
    geom = orbit_geometry(case)
    parts = part_list(case.spacecraft)
    progress("environment: absorbed fluxes over the orbit")
    exposure = compute_exposure(parts, case.spacecraft, geom, case.environment, case.attitude,
                                case.thermal.end_of_life)
    pump_W = pump_power_W(case, parts)
    pipes = heat_pipe_utilisation(case, parts)   # exit 3 before the run if the pipes cannot carry the heat
    power_ts = power_summary = None
    if case.power is not None and any(p.role == "solar_array" for p in parts.parts):
        history, report, power_ts, power_summary = coupling.run_coupled(case, parts, exposure, pump_W, run_thermal,
                                                                       progress)
    else:
        loads = uncoupled_loads(case, exposure, pump_W)
        history, report = run_thermal(case, parts, exposure, loads, progress)
    if pump_W:   # nonzero only for a pumped loop cooling compute
        report["pump_power_W"] = pump_W
    if pipes is not None:
        report["heat_pipe_utilisation"] = pipes
    return Run(case, geom, parts, exposure, history, power_ts, power_summary, report,
               time.perf_counter() - start)


def summary_of(run: Run) -> dict:
    case, h = run.case, run.thermal
    summary = {"case": case.name, "case_path": str(case.path.resolve()), "attitude": case.attitude,
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
        summary["thermal"]["gpu_junction_limit_K"] = case.compute.junction_limit_K
        summary["thermal"]["gpu_junction_margin_K"] = case.compute.junction_limit_K - junction
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


def write_results(run: Run, out_dir: Path) -> None:
    h = run.thermal
    shadow = run.exposure.shadowed(h.time_s)
    with staged_directory(out_dir) as stage:
        columns = timeseries_of(run)
        write_timeseries(stage / "timeseries.csv", columns)
        if h.time_s.size > 1:
            plot_temperatures(stage / "temperatures.png", h.time_s, h.part_T_mean_K, h.gpu_junction_K
                              if run.case.compute else None, shadow, run.case.thermal.limits_K,
                              f"{run.case.name}: part temperatures ({run.case.solver.model} model)")
        if run.power is not None:
            plot_power(stage / "power.png", h.time_s, columns["array_power_W"], columns["load_W"],
                       columns["battery_soc"], shadow, f"{run.case.name}: power and battery")
        write_drawing_mesh(run.case, run.parts, stage / "spacecraft.vtu")
        for name, path in h.extra.pop("field_files", {}).items():
            Path(path).rename(stage / name)
        write_summary(stage / "summary.json", summary_of(run))
        write_report(stage, shown_as=out_dir)   # the one-page HTML reads what is written above


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
        from thermal.sizing_case import summary_lines
        for line in summary_lines(summary["sizing"]):
            print(line)
    run = summary["run"]
    print(f"  {run['dofs']} unknowns, {run['steps']} steps, {run['wall_time_s']:.2f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m thermal.solve", description=__doc__.splitlines()[0])
    parser.add_argument("case", help="case file (YAML)")
    parser.add_argument("--out", help="results directory (default: the case's output.dir, results/<name>)")
    parser.add_argument("--quiet", action="store_true", help="no progress or summary table")
    args = parser.parse_args(argv)
    # under mpiexec every rank runs the case (the FE model shares the mesh between them); rank 0
    # alone prints and writes the results
    from mpi4py import MPI
    root = MPI.COMM_WORLD.rank == 0
    progress = Progress(args.quiet or not root)
    out_dir = None
    try:
        case = load_case(args.case)
        out_dir = Path(args.out) if args.out else case.output.dir
        run = solve_case(case, progress)
        if root:
            write_results(run, out_dir)
    except (CaseError, InfeasibleError) as err:
        progress.close()
        if root:
            label = "error" if isinstance(err, CaseError) else "infeasible"
            print(f"{label}: {err}", file=sys.stderr)
            if out_dir is not None and isinstance(err, InfeasibleError):
                shutil.rmtree(out_dir, ignore_errors=True)  # stale results must not pass for this run's
        return err.exit_code
    progress.close()
    if root and not args.quiet:
        print_summary(json.loads((out_dir / "summary.json").read_text()))
        print(f"  results in {out_dir}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
