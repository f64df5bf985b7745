"""One run of a case: orbit, environment, heat loads, thermal model, power coupling -> :class:`Run`.

:func:`simulate` is the one orchestrator of a thermal run, with no file I/O: the command line
(:mod:`thermal.solve`) writes what it returns, the sizing (:mod:`thermal.sizing`) calls it to
check and refine its designs, and scripts call it directly.

The run, in order: case -> orbit geometry -> part list -> environment exposure of every side ->
thermal model (lumped network or finite elements), coupled to the power model by iterating over
the orbit's time histories (array temperature -> array efficiency -> battery and delivered compute
-> heat loads -> temperatures) until the array temperature history changes by less than
``COUPLING_TOLERANCE_K`` (:mod:`thermal.coupling`).
"""

import functools
import time
from dataclasses import dataclass

import numpy as np

from geometry.layout import part_list
from geometry.parts import PartList
from thermal import coupling
from thermal import network as nw
from thermal.case.model import Case
from thermal.coupling import uncoupled_loads
from thermal.exposure import Exposure, compute_exposure
from thermal.history import ThermalHistory
from thermal.network_model import COLD_PLATES, build_network, heat_pipe_utilisation, pump_power_W
from thermal.orbit import OrbitGeometry, case_orbit


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


# --- heat loads from compute and power --------------------------------------------------------

def run_thermal(case: Case, parts: PartList, exposure: Exposure, loads, progress,
                fields=None) -> tuple[ThermalHistory, dict]:
    """Run the chosen thermal model with the given heat loads.

    `loads` gives, on the exposure grid, the compute heat, the bus heat (into the deck) and the
    electric power drawn from each wing. The finite-element model hands its temperature field to
    `fields` (a :class:`thermal.fe.FieldSink`) when one is given."""
    if case.solver.model == "fe":
        from thermal import fe_run
        return fe_run.run_fe(case, parts, exposure, loads, progress, fields)
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
        junction = cold + loads.gpu_W(t) * case.compute.gpu.junction_to_coolant_K_W
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

def simulate(case: Case, progress=None, fields=None) -> Run:
    """Run a case's thermal and power models over its orbit: no file is read or written.

    Parameters
    ----------
    case : thermal.case.Case
        A case without a ``sizing`` block (a sizing case is run by
        :func:`thermal.sizing.run.sized_run`, which calls this for its check).
    progress : callable, optional
        Called with a line of text at each stage, by every MPI rank alike.
    fields : thermal.fe.FieldSink, optional
        Where the finite-element model hands its temperature field.

    Returns
    -------
    Run

    Raises
    ------
    thermal.core.errors.CaseError
        A case the models refuse (exit code 2).
    thermal.core.errors.InfeasibleError
        A design the power system cannot carry, a heat pipe past its capillary limit, a solver
        that did not converge (exit code 3).
    """
    progress = progress or (lambda text: None)
    start = time.perf_counter()
    geom = case_orbit(case.orbit)
    parts = part_list(case.spacecraft)
    progress("environment: absorbed fluxes over the orbit")
    exposure = compute_exposure(parts, case.spacecraft, geom, case.environment, case.attitude,
                                case.thermal.end_of_life)
    pump_W = pump_power_W(case, parts)
    pipes = heat_pipe_utilisation(case, parts)   # exit 3 before the run if the pipes cannot carry the heat
    power_ts = power_summary = None
    if case.power is not None and any(p.role == "solar_array" for p in parts.parts):
        history, report, power_ts, power_summary = coupling.run_coupled(
            case, parts, exposure, pump_W, functools.partial(run_thermal, fields=fields), progress)
    else:
        loads = uncoupled_loads(case, exposure, pump_W)
        history, report = run_thermal(case, parts, exposure, loads, progress, fields)
    if pump_W:   # nonzero only for a pumped loop cooling compute
        report["pump_power_W"] = pump_W
    if pipes is not None:
        report["heat_pipe_utilisation"] = pipes
    return Run(case, geom, parts, exposure, history, power_ts, power_summary, report,
               time.perf_counter() - start)


