"""A sizing case end to end: size, refine, price, check (``sizing`` and ``economics`` sections).

1. :func:`run_sizing` sizes the design (:func:`thermal.sizing.design.size_design`) for the case's
   orbit (or every orbit it sees over a year), refines the radiator area with the network model of
   one module (:func:`thermal.sizing.refine.refine_radiator`, ``sizing.refine: network``, the
   default), prices it (:func:`thermal.sizing.economics.compare_costs`) and returns the ``sizing``
   block of ``summary.json``.
2. :func:`sized_run` then builds one module as an ordinary case
   (:func:`thermal.sizing.check.check_case`), runs every check model on it and reports the GPU
   junction against the limit and against the sizing's own design point.

In a case with a ``sizing`` block, ``compute`` describes one GPU server node (``count`` GPUs per
node, ``overhead`` per node); the sizing replicates nodes. The fixed ``radiator_area``,
``array_area`` and ``battery_capacity`` are per module.
"""

from __future__ import annotations

import dataclasses
import math

from power.sizing import required_battery_capacity_Wh
from thermal.case.model import Case
from thermal.case.sizing import EconomicsConfig, RadiatorOnlySizing, SizingConfig
from thermal.core.errors import CaseError, InfeasibleError
from thermal.simulation import Run, simulate
from thermal.sizing.check import check_case, check_report
from thermal.sizing.design import FIXED_KEYS, Design, size_design
from thermal.sizing.economics import compare_costs, summary_dict
from thermal.sizing.orbit_cases import sizing_orbits
from thermal.sizing.radiator import design_coolant_mean_K
from thermal.sizing.radiator_only import radiator_only_run
from thermal.sizing.refine import refine_radiator


def _module_limit(design: Design, sizing: SizingConfig, max_mass: float) -> str:
    """What sets the module size of a design whose variables are all free."""
    if design.module_count == 1:
        return "none: one module carries the target"
    per_node_mass = design.module.mass_kg / design.module.node_count
    by_mass = math.floor(max_mass / per_node_mass * (1.0 + 1e-12))
    if sizing.max_module_power_W is not None:
        by_power = math.floor(sizing.max_module_power_W / sizing.node.heat_W * (1.0 + 1e-12))
        if by_power < by_mass:
            return "sizing.max_module_power"
    return "sizing.max_module_mass" if sizing.max_module_mass_kg is not None else \
        "sizing.max_module_mass (the launcher's payload)"


def _battery_binding(design: Design, sizing: SizingConfig) -> str:
    m = design.module
    worst = max(m.cases, key=lambda c: c.battery_capacity_Wh)
    if worst.eclipse_s <= 0.0 or m.battery_capacity_Wh <= 0.0:
        return "none: no eclipse"
    if "battery_capacity_Wh" in sizing.fixed:
        return "fixed: sizing.battery_capacity"
    battery = sizing.battery
    remaining = battery.capacity_remaining_fraction(sizing.mission_years) if sizing.power_end_of_life else 1.0
    dod = required_battery_capacity_Wh(m.eclipse_load_W, worst.eclipse_s, battery.max_depth_of_discharge,
                                       battery.cell.discharge_efficiency, remaining)
    if math.isclose(dod, worst.battery_capacity_Wh, rel_tol=1e-9):
        return "sizing.min_state_of_charge (depth of discharge in the longest eclipse)"
    return "cell charge or discharge rate (C-rate)"


def run_sizing(case: Case, sizing: SizingConfig, economics: EconomicsConfig | None = None,
               progress=None) -> tuple[Design, dict]:
    """Size and price a design for the case's target.

    The radiator is sized analytically (:func:`thermal.sizing.design.size_design`); with
    ``sizing.refine: network`` (the default) its area is then refined with the network model
    (:func:`thermal.sizing.refine.refine_radiator`) and the masses, launches and costs are those
    of the refined area.

    Parameters
    ----------
    case : thermal.case.Case
        The case (orbit, environment, attitude).
    sizing : SizingConfig
    economics : EconomicsConfig, optional
        Default: Starship near term and the default cost inputs.
    progress : callable, optional
        Progress messages (the refinement's network runs).

    Returns
    -------
    (Design, dict)
        The design and the ``sizing`` block of ``summary.json`` (the contract keys
        ``radiator_area_m2``, ``array_area_m2``, ``battery_capacity_Wh``, ``mass_kg``,
        ``mass_breakdown_kg``, ``launch_cost_usd`` for the whole design, and module and launch
        counts, the module's figures, costs per GPU-hour in orbit and on the ground, the
        break-even launch price, the binding constraints; ``radiator_area_analytic_m2`` and
        ``refinement``).

    Raises
    ------
    thermal.core.errors.InfeasibleError
        The target cannot be met (exit code 3); the message names the binding constraint and by
        how much it is missed.
    """
    given = economics is not None
    economics = economics if given else EconomicsConfig()
    launch = economics.launch
    if economics.mission_years is not None:   # the economics' mission life is the array's and battery's too
        sizing = dataclasses.replace(sizing, arrays=dataclasses.replace(sizing.arrays,
                                                                        mission_years=economics.mission_years))
    years = sizing.mission_years
    inputs = dataclasses.replace(economics.cost, mission_years=years)
    max_mass = sizing.max_module_mass_kg if sizing.max_module_mass_kg is not None else launch.payload_kg
    if max_mass > launch.payload_kg * (1.0 + 1e-12):
        raise InfeasibleError(
            f"sizing.max_module_mass {max_mass:,.0f} kg exceeds one {launch.name} launch "
            f"({launch.payload_kg:,.0f} kg) by {max_mass - launch.payload_kg:,.0f} kg: lower it or choose "
            "a larger launcher (economics.launch, economics.payload_per_launch)")
    try:
        design, extra = size_design(sizing_orbits(case, sizing), sizing, env=case.environment, launch=launch)
    except ValueError as err:  # an input combination the sizing refuses (its message names it)
        raise CaseError("sizing", "inputs the sizing accepts", str(err)) from None
    if sizing.fixed:
        limits = extra["limits"]
        module_limit = min(limits, key=limits.get) if limits and design.module_count > 1 else \
            "none: one module carries the target"
    else:
        module_limit = _module_limit(design, sizing, max_mass)
    analytic = design
    design, refinement = refine_radiator(case, design, sizing, progress)
    costs = compare_costs(design, launch, economics.terrestrial, inputs)
    summary = summary_dict(design, costs)
    summary["radiator_area_analytic_m2"] = analytic.radiator_area_m2
    summary["module"]["radiator_area_analytic_m2"] = analytic.module.radiator_area_m2
    summary["refinement"] = refinement
    m = design.module
    rad_case = max(m.cases, key=lambda c: c.radiator_area_m2)
    coolant = design_coolant_mean_K(sizing)
    limit = sizing.node.gpu.junction_limit_K
    radiator = sizing.radiator
    summary.update({
        "target": dict(sizing.target),
        "free_variables": {name: name not in sizing.fixed for name in FIXED_KEYS},
        "fixed_per_module": dict(sizing.fixed),
        "orbit_cases": len(m.cases),
        "radiator_facing": radiator.facing if isinstance(radiator.facing, str) else list(radiator.facing),
        "radiator_coating": radiator.coating.name,
        "radiator_absorbed_W_m2": rad_case.absorbed_total_W_m2,
        "max_module_mass_kg": max_mass,
        "junction": {
            "limit_K": limit,
            "margin_K": sizing.junction_margin_K,
            "design_K": sizing.design_junction_K,
            "reference": sizing.junction_reference,
            "junction_to_coolant_K_W": sizing.node.gpu.junction_to_coolant_K_W,
            "gpu_power_W": sizing.node.gpu_power_W,
            "coolant_rise_K": sizing.coolant_rise_K,
            "coolant_mean_K": coolant,
            "radiator_conductance_W_m2K": sizing.radiator_conductance_W_m2K,
            "fin_efficiency": radiator.fin_efficiency,
        },
        "binding": {
            "radiator": ("sizing.radiator_temperature (given)" if radiator.temperature_K is not None
                         else "GPU junction limit less sizing.junction_margin, "
                         + ("the network model of one module at the case's orbit (sizing.refine)"
                            if refinement.get("converged") else "through the transport chain")),
            "module_size": module_limit,
            "array": (f"orbit energy balance at the sizing epoch (+{100 * sizing.energy_margin_eol:.0f} % "
                      "sizing.energy_margin_eol)" if "array_area_m2" not in sizing.fixed
                      else "fixed: sizing.array_area"),
            "battery": _battery_binding(design, sizing),
        },
        "economics": "from the case" if given else "defaults (no economics section)",
    })
    if sizing.fixed:
        summary["module"]["required"] = extra["required"]
    if radiator.temperature_K is not None and radiator.temperature_K > coolant:
        summary["warning"] = (f"the given radiator temperature {radiator.temperature_K:.1f} K is above the "
                              f"mean coolant temperature the junction limit allows ({coolant:.1f} K): the GPUs "
                              "will exceed the junction design point")
    return design, summary


def sized_run(case: Case, progress=None, fields=None) -> tuple[Run, dict]:
    """Size the case, build one module's check case, run the check models on it.

    Parameters
    ----------
    case : thermal.case.Case
        With ``case.sizing`` (and ``case.economics``).
    progress : callable, optional
        Progress messages.
    fields : thermal.models.fe.model.FieldSink, optional
        Where the case's own model hands its finite-element field, if it is ``fe``.

    Returns
    -------
    (thermal.simulation.Run, dict)
        The run of the check case with the case's own solver model (else the first check model),
        and the ``sizing`` summary with ``check``: one report per model
        (:func:`thermal.sizing.check.check_report`).

    Raises
    ------
    thermal.core.errors.InfeasibleError
        The sizing is infeasible.
    """
    if isinstance(case.sizing, RadiatorOnlySizing):
        return radiator_only_run(case, progress, fields)
    progress = progress or (lambda text: None)
    sizing = case.sizing
    progress("sizing: radiator, array, battery, modules")
    design, summary = run_sizing(case, sizing, case.economics, progress)
    check = check_case(case, design, sizing)
    reports, runs = {}, {}
    for model in sizing.check_models:
        one = dataclasses.replace(check, solver=dataclasses.replace(check.solver, model=model))
        progress(f"check: one module with the {model} model")
        runs[model] = simulate(one, progress, fields if model == case.solver.model else None)
        reports[model] = check_report(one, design, sizing, runs[model])
    summary["check"] = reports
    main = case.solver.model if case.solver.model in runs else next(iter(runs))
    return runs[main], summary


