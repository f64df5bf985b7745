"""One run of a case: orbit, environment, heat loads, thermal model, power coupling -> :class:`Run`.

:func:`simulate` is the one orchestrator of a thermal run, with no file I/O: the command line
(:mod:`thermal.solve`) writes what it returns, the sizing (:mod:`thermal.sizing`) calls it to
check and refine its designs, and scripts call it directly.

The run, in order: case -> orbit geometry -> part list -> environment exposure of every side ->
thermal model (lumped network or finite elements), coupled to the power model by iterating over
the orbit's time histories (array temperature -> array efficiency -> battery and delivered compute
-> heat loads -> temperatures) until the array temperature history changes by less than
``COUPLING_TOLERANCE_K`` (:mod:`thermal.coupling`). A GPU leakage law adds the junction history
to that fixed point (GPU power at the junction of the pass before), with or without a power system.
"""

import dataclasses
import functools
import time
from dataclasses import dataclass, field

from geometry.layout import part_list
from geometry.parts import PartList
from power.system import PowerTimeseries
from thermal import coupling
from thermal.case.model import Case
from thermal.core.progress import prefixed, silent
from thermal.exposure import Exposure, compute_exposure
from thermal.loads import HeatLoads
from thermal.models import run_thermal
from thermal.models.history import ThermalHistory, TransportReport
from thermal.models.network_model import heat_pipe_utilisation, pump_power_W
from thermal.orbit import OrbitGeometry, case_orbit
from thermal.seasons import worst_epoch


@dataclass
class Run:
    """Everything one solve produced, for the writers and for scripts."""
    case: Case
    geometry: OrbitGeometry | None
    parts: PartList
    exposure: Exposure
    thermal: ThermalHistory
    power: PowerTimeseries | None
    power_summary: dict | None    # power.system.power_summary with the coupling's figures
    transport: TransportReport
    wall_time_s: float
    sizing: dict | None = None    # the `sizing` block of summary.json, with its `check` (a sized case)
    load_cases: tuple[tuple[str, "Run"], ...] = ()   # the case's other load cases, by name
    loads: HeatLoads | None = None   # the heat loads the thermal model ran with (the last pass)
    # a sized run's runs by its other check models: (load case, model, run) (thermal.sizing.run.sized_run)
    check_runs: tuple[tuple[str, str, "Run"], ...] = ()
    # a sized run's design (thermal.sizing.design.Design), which the case's study shares
    design: object = field(default=None, repr=False, compare=False)


# --- heat loads from compute and power --------------------------------------------------------


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
    fields : thermal.models.fe.model.FieldSink, optional
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
    progress = progress or silent
    start = time.perf_counter()
    geom = case_orbit(case.orbit)
    parts = part_list(case.spacecraft)
    progress("environment: absorbed fluxes over the orbit")
    if case.solver.radiation_exchange:
        progress("view factors and shadowing: ray tracing the parts")
    exposure = compute_exposure(parts, case.spacecraft, geom, case.environment, case.attitude,
                                case.thermal.end_of_life,
                                case.solver.view_factors if case.solver.radiation_exchange else None,
                                case.thermal.sink_temperature_K)
    pump_of = functools.partial(pump_power_W, case, parts)
    pipes = heat_pipe_utilisation(case, parts)   # exit 3 before the run if the pipes cannot carry the heat
    power_ts = power_summary = None
    model = functools.partial(run_thermal, fields=fields)
    if case.power is not None and any(p.role == "solar_array" for p in parts.parts):
        history, report, power_ts, power_summary, pump_W, coolant_K, loads = coupling.run_coupled(
            case, parts, exposure, pump_of, model, progress)
    else:
        history, report, pump_W, coolant_K, loads = coupling.run_uncoupled(case, parts, exposure, pump_of, model,
                                                                           progress)
    report = dataclasses.replace(report, pump_power_W=pump_W, heat_pipe_utilisation=pipes,
                                 coolant_property_K=coolant_K if pump_W > 0 else None)
    # the model's end state served the coupling's next pass; a run holds no mesh or field of it
    history = dataclasses.replace(history, final_state=None)
    return Run(case, geom, parts, exposure, history, power_ts, power_summary, report,
               time.perf_counter() - start, loads=loads)


def simulate_load_cases(case: Case, progress=None) -> tuple[tuple[str, Run], ...]:
    """Run each of the case's other load cases (:mod:`thermal.case.load_cases`), its epoch rule
    resolved by the sweep over the year (:func:`thermal.seasons.worst_epoch`). No fields are kept.

    Returns ``((name, run), ...)`` in the order of the case file."""
    progress = progress or silent
    out = []
    for lc in case.load_cases:
        # what a load case cannot change is the case's own (also when a script changed the case)
        one = dataclasses.replace(lc.case, name=case.name, spacecraft=case.spacecraft, attitude=case.attitude,
                                  solver=case.solver, output=case.output)
        if lc.epoch_rule is not None and one.orbit is not None:
            epoch = worst_epoch(one.orbit, one.environment, lc.epoch_rule)
            if epoch is not None:
                one = dataclasses.replace(one, orbit=dataclasses.replace(one.orbit, epoch=epoch))
        label = f"load case {lc.name}" + (f" ({one.orbit.epoch.date()})" if one.orbit and one.orbit.epoch else "")
        out.append((lc.name, simulate(one, prefixed(progress, label))))
    return tuple(out)
