"""The check of a sized design: one module as an ordinary case, run by the thermal models.

:func:`check_case` builds ONE module of the design as an ordinary case (the bus with its
radiators and wings scaled to the sized areas, aspect ratios kept; the compute, loop flow,
battery and loads of the module), with the case's load cases, for the thermal models to run;
:func:`check_report` compares a run of it with the junction limit and the sizing's design point;
:func:`binding_load_cases` picks the load cases of the temperature extremes, the ones the
expensive check models (:data:`BINDING_ONLY_MODELS`) run.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from geometry.layout import footprint_grid, part_list
from geometry.spec import NAMED_DIRECTIONS, BusSpec
from power.system import LoadConfig
from thermal.case.model import Case, PumpedLoopSpec
from thermal.case.sizing import SizingConfig
from thermal.core.errors import CaseError, InfeasibleError
from thermal.core.library import COATINGS
from thermal.exposure import facing_normal_body
from thermal.models.network_model import pump_power_W
from thermal.orbit import case_orbit
from thermal.sizing.design import Design, battery_cycles_per_year
from thermal.sizing.radiator import design_coolant_mean_K
from thermal.transport.coolant import coolant_properties

#: The check models that run only the binding load cases (:func:`binding_load_cases`) of the
#: runs of a cheaper one: a finite-element run of a module takes minutes, a network run seconds.
BINDING_ONLY_MODELS = ("fe",)


def _scaled(size_m: tuple, factor: float) -> tuple:
    s = math.sqrt(factor)
    return (size_m[0] * s, size_m[1] * s)


def geometry_facing(facing, geom, attitude: str, n_time: int = 360):
    """A body-fixed facing for the geometry: the named or vector facing itself, or the orbit-mean
    body direction of a moving one (edge_on, sun, anti_sun), with its largest deviation [deg]."""
    if isinstance(facing, str) and facing in NAMED_DIRECTIONS:
        return facing, 0.0
    if not isinstance(facing, str):
        return tuple(float(v) for v in facing), 0.0
    period = geom.period_s if geom is not None else 1.0
    t = np.linspace(0.0, period, n_time, endpoint=False)
    normals = facing_normal_body(facing, geom, attitude, t)
    if isinstance(normals, str):   # facing the sun: the sun vector itself
        normals = -facing_normal_body("anti_sun", geom, attitude, t)
    normals = np.broadcast_to(normals, (t.size, 3))
    mean = normals.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-6:
        raise InfeasibleError(f"radiator facing '{facing}' turns all the way round the body over the orbit; "
                              "the check case needs a body-fixed facing: give sizing.radiator.facing as a named "
                              "direction or a vector")
    mean = mean / norm
    deviation = float(np.degrees(np.max(np.arccos(np.clip(normals @ mean, -1.0, 1.0)))))
    return tuple(float(v) for v in mean), deviation


def _fit_body(body, gpu_count: int, footprint_m):
    """The body, its x-y size grown (ratio kept) until the deck has room for the GPUs."""
    if gpu_count <= 0:
        return body, 1.0
    factor = 1.0
    for _ in range(60):
        size = (body.size_m[0] * factor, body.size_m[1] * factor, body.size_m[2])
        try:
            footprint_grid(gpu_count, size[:2], footprint_m)
            return dataclasses.replace(body, size_m=size), factor
        except CaseError:
            factor *= 1.1
    raise InfeasibleError(f"no deck holds {gpu_count} GPU cold plates")  # pragma: no cover


def check_case(case: Case, design: Design, sizing: SizingConfig) -> Case:
    """One module of the design as an ordinary case, for the thermal models to check.

    The check case is a plain case (no ``sizing`` or ``economics``) that the thermal models run as
    any other. The spacecraft is the case's bus with: the radiators scaled together to the
    module's radiator area (aspect ratios kept), facing, coating and sides of the sizing; the wings scaled to the
    module's array area; the deck carrying the module's GPUs (the body's x-y size grown, ratio
    kept, if they do not fit). The compute is the module's GPUs and node overheads; a pumped loop
    gets the flow for the sizing's coolant rise at the module's heat; the power section gets the
    module's array area, battery capacity, depth of discharge, cycles a year (the sizing's count),
    mission life and bus loads (the sizing's bus-load fraction less the pump, which the coupled
    model adds itself). The module
    has no battery or avionics box inside its body (:class:`geometry.spec.UnitSpec`): the sizing
    designs the heat rejection of the compute, not the battery's thermal control, so the bus heat
    and the battery's losses go on the GPU coolant loop (:func:`thermal.loads.heat_placement`).
    A module's battery loses tens of kilowatts in eclipse, more than its body's structure can
    carry to space: it needs a cooling loop of its own, which this tool does not model.

    The check case carries the case's load cases (``case.load_cases``: the user's, or the
    defaults, :mod:`thermal.case.load_cases`), each made the same module under its own conditions
    (its compute utilisation, environment, epoch, life; the loop flow is the module's, whatever a
    load case says), for :func:`thermal.simulation.simulate_load_cases`.

    Parameters
    ----------
    case : thermal.case.Case
    design : thermal.sizing.design.Design
    sizing : SizingConfig

    Returns
    -------
    thermal.case.Case
    """
    m = design.module
    spec = case.spacecraft
    if not isinstance(spec, BusSpec) or not spec.radiators:
        raise CaseError("spacecraft.radiators", "a bus with at least one radiator", type(spec).__name__)
    geom = case_orbit(case.orbit)
    facing, _ = geometry_facing(sizing.radiator.facing, geom, case.attitude)
    coating = sizing.radiator.coating
    two_sided = sizing.radiator.two_sided
    rad_total = sum(r.size_m[0] * r.size_m[1] for r in spec.radiators)
    f_rad = m.radiator_area_m2 / rad_total
    radiators = tuple(dataclasses.replace(
        r, size_m=_scaled(r.size_m, f_rad), facing=facing, two_sided=two_sided, front=coating,
        back=coating if two_sided else (r.back if not r.two_sided else COATINGS["mli"])) for r in spec.radiators)
    wings = spec.solar_arrays
    if wings and m.array_area_m2 > 0.0:
        wing_total = sum(w.size_m[0] * w.size_m[1] for w in wings)
        wings = tuple(dataclasses.replace(w, size_m=_scaled(w.size_m, m.array_area_m2 / wing_total))
                      for w in wings)
    body, _ = _fit_body(spec.body, m.gpu_count, spec.deck.footprint_m)
    spacecraft = dataclasses.replace(spec, body=body, radiators=radiators, solar_arrays=wings,
                                     deck=dataclasses.replace(spec.deck, gpu_count=m.gpu_count), units=())
    # per node as the case (or load case) gives it: compute is one node in a sizing case
    compute = dataclasses.replace(case.compute, count=m.gpu_count, overhead_W=m.node_count * case.compute.overhead_W)
    transport = case.thermal.transport
    if isinstance(transport, PumpedLoopSpec) and sizing.coolant_rise_K > 0.0:
        cp = coolant_properties(transport.coolant, design_coolant_mean_K(sizing)).specific_heat_J_kgK
        transport = dataclasses.replace(transport, flow_rate_kg_s=m.heat_rejection_W / (cp * sizing.coolant_rise_K))
    thermal = dataclasses.replace(case.thermal, transport=transport)
    out = dataclasses.replace(case, spacecraft=spacecraft, compute=compute, thermal=thermal, power=None,
                              sizing=None, economics=None)
    pump_W = pump_power_W(out, part_list(spacecraft), design_coolant_mean_K(sizing))
    if case.power is not None:
        p = case.power
        arrays = dataclasses.replace(p.arrays, area_m2=sum(w.size_m[0] * w.size_m[1] for w in wings),
                                     mission_years=design.mission_years)
        senv = m.case_arrays.get("environment")
        cycles = battery_cycles_per_year(sizing, senv) if senv is not None else p.battery.cycles_per_year
        battery = dataclasses.replace(p.battery, capacity_Wh=max(m.battery_capacity_Wh, 1e-6),
                                      max_depth_of_discharge=sizing.battery.max_depth_of_discharge,
                                      max_charge_W=None, max_discharge_W=None, cycles_per_year=cycles)
        loads = LoadConfig(compute=compute, bus_load_W=max(m.bus_load_W - pump_W, 0.0))
        out = dataclasses.replace(out, power=dataclasses.replace(p, arrays=arrays, battery=battery, loads=loads))
    return dataclasses.replace(out, load_cases=tuple(
        dataclasses.replace(lc, case=check_case(lc.case, design, sizing)) for lc in case.load_cases))


def _radiator_T_min_K(run) -> float:
    return min(float(np.min(run.thermal.part_T_min_K[p.name])) for p in run.parts.parts if p.role == "radiator")


def binding_load_cases(runs: dict) -> dict[str, str]:
    """The load case of each temperature extreme that the verdict checks, among runs of one model.

    ASSUMED: a finer model (finite elements) changes the temperatures within a part, not which
    load case is the hottest or the coldest; the power limits hardly depend on the thermal model.
    So the load cases that bind the temperature limits in a cheap model's runs are the ones a finer
    model needs to re-run.

    Parameters
    ----------
    runs : dict
        Load case name -> :class:`thermal.simulation.Run` of the check case, one model.

    Returns
    -------
    dict
        ``gpu_junction_max``: the load case of the hottest GPU junction; ``radiator_T_min``: of the
        coldest radiator panel (where a pumped loop's coolant freezes first); for each part in
        ``thermal.limits``, ``<part>_T_min`` and ``<part>_T_max`` where it has that limit.
    """
    out = {}
    with_junction = {n: r for n, r in runs.items() if np.any(np.isfinite(r.thermal.gpu_junction_K))}
    if with_junction:
        out["gpu_junction_max"] = max(with_junction,
                                      key=lambda n: float(np.nanmax(with_junction[n].thermal.gpu_junction_K)))
    if any(p.role == "radiator" for p in next(iter(runs.values())).parts.parts):
        out["radiator_T_min"] = min(runs, key=lambda n: _radiator_T_min_K(runs[n]))
    for part, (low, high) in next(iter(runs.values())).case.thermal.limits_K.items():
        if low > 0.0:
            out[f"{part}_T_min"] = min(runs, key=lambda n: float(np.min(runs[n].thermal.part_T_min_K[part])))
        if math.isfinite(high):
            out[f"{part}_T_max"] = max(runs, key=lambda n: float(np.max(runs[n].thermal.part_T_max_K[part])))
    return out


def check_report(case: Case, design: Design, sizing: SizingConfig, run) -> dict:
    """The check of one thermal run of the check case against the limit and the sizing's design point.

    Parameters
    ----------
    case : thermal.case.Case
        The check case (:func:`check_case`), or the one of a load case (the run's).
    design : thermal.sizing.design.Design
    sizing : SizingConfig
    run : thermal.simulation.Run
        The run of the check case.

    Returns
    -------
    dict
        ``model``, ``gpu_junction_max_K``, ``gpu_junction_limit_K``, ``gpu_junction_design_K``
        (limit less margin: what the sizing held), ``margin_to_limit_K``, ``margin_to_design_K``,
        ``met`` (junction at or below the limit), the radiator temperatures (``radiator_T_min_K``,
        ``radiator_T_max_K`` and mean against the sizing's ``radiator_temperature_K``), the
        radiator area, the power figures, the pump power and the loop flow. The verdict of the
        run (every limit, with its margin) is added by the summary
        (:mod:`thermal.outputs.summary`), which sits above the verdict.
    """
    h = run.thermal
    junction = float(np.nanmax(h.gpu_junction_K)) if np.any(np.isfinite(h.gpu_junction_K)) else None
    limit = case.compute.gpu.junction_limit_K
    design_K = limit - sizing.junction_margin_K
    radiators = [p for p in run.parts.parts if p.role == "radiator"]
    t_max = max(float(np.max(h.part_T_max_K[r.name])) for r in radiators)
    t_mean = float(sum(np.mean(h.part_T_mean_K[r.name]) * r.area_m2 for r in radiators)
                   / sum(r.area_m2 for r in radiators))
    out = {"model": case.solver.model,
           "gpu_junction_max_K": junction,
           "gpu_junction_limit_K": limit,
           "gpu_junction_design_K": design_K,
           "margin_to_limit_K": None if junction is None else limit - junction,
           "margin_to_design_K": None if junction is None else design_K - junction,
           "met": bool(junction is not None and junction <= limit),
           "cold_plate_max_K": float(np.nanmax(h.cold_plate_T_K)) if junction is not None else None,
           "radiator_area_m2": sum(r.area_m2 for r in radiators),
           "radiator_T_min_K": _radiator_T_min_K(run),
           "radiator_T_max_K": t_max,
           "radiator_T_mean_K": t_mean,
           "sizing_radiator_temperature_K": design.module.radiator_temperature_K,
           "energy_balance_error": h.energy_balance_error,
           "wall_time_s": run.wall_time_s}
    if run.power_summary is not None:
        out["energy_margin"] = run.power_summary.get("energy_margin")
        out["battery_soc_min"] = run.power_summary.get("battery_soc_min")
        out["unserved_Wh"] = run.power_summary.get("unserved_Wh")
    for radiator, conductance in run.transport.loop_conductance_W_K.items():
        out[f"{radiator}_loop_conductance_W_K"] = conductance
    transport = case.thermal.transport
    facing = case.spacecraft.radiators[0].facing
    out.update({"pump_power_W": run.transport.pump_power_W,
                "loop_flow_rate_kg_s": getattr(transport, "flow_rate_kg_s", None),
                "radiator_facing": facing if isinstance(facing, str) else list(facing),
                "radiator_facing_deviation_deg": geometry_facing(sizing.radiator.facing, run.geometry,
                                                                  case.attitude)[1],
                "body_size_m": list(case.spacecraft.body.size_m)})
    return out
