"""A sizing case end to end: size, refine, price, check (``sizing`` and ``economics`` sections).

1. :func:`run_sizing` sizes the design (:func:`thermal.sizing.design.size_design`) for the case's
   orbit (or every orbit it sees over a year), refines the radiator area with the network model of
   one module (:func:`thermal.sizing.refine.refine_radiator`, ``sizing.refine: network``, the
   default), prices it (:func:`thermal.sizing.economics.compare_costs`) and returns the ``sizing``
   block of ``summary.json``.
2. :func:`sized_run` then builds one module as an ordinary case
   (:func:`thermal.sizing.check.check_case`) with the case's load cases, runs the check models on
   it in every load case (the finite elements in the binding ones) and reports per load case the
   GPU junction against the limit and against the sizing's own design point; the verdict
   (:mod:`thermal.verdict`) judges every one of those runs.

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
from thermal.core.errors import CaseError
from thermal.core.progress import prefixed, silent
from thermal.simulation import Run, simulate, simulate_load_cases
from thermal.sizing.array_shading import array_lit_output_fractions, array_shading_summary
from thermal.sizing.check import BINDING_ONLY_MODELS, binding_load_cases, check_case, check_report
from thermal.sizing.design import FIXED_KEYS, Design, size_design
from thermal.sizing.economics import launch_to_orbit, price_design, priced_sizing
from thermal.sizing.orbit_cases import SizingEnvironment, sizing_environment
from thermal.sizing.radiator import design_coolant_mean_K
from thermal.sizing.radiator_only import radiator_only_run
from thermal.sizing.refine import refine_radiator
from thermal.sizing.surroundings import radiator_surroundings, surroundings_summary


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


#: The layout the radiator's surroundings and the wings' shadow are traced on follows the sized
#: module until its radiator and array areas each change by less than this between two passes [-]
#: (:func:`surrounded_environment`).
SURROUNDINGS_AREA_TOLERANCE = 0.01
#: At most this many layouts are traced [-].
SURROUNDINGS_PASSES = 3


def surrounded_environment(case: Case, sizing: SizingConfig, senv: SizingEnvironment, launch) -> SizingEnvironment:
    """The sizing's environment with what the radiator sees of the wings and the body
    (:mod:`thermal.sizing.surroundings`) and the share of the wings' output the other parts shade
    (:mod:`thermal.sizing.array_shading`), ray traced on the layout of the module
    (:func:`thermal.sizing.check.check_case`) and kept for every design point of the sizing.

    The layout is the design's, which both change: a pass without them sizes a first module, its
    layout is traced, the design sized again against it, and so on until the radiator area and the
    array area per module each change by less than :data:`SURROUNDINGS_AREA_TOLERANCE` (at most
    :data:`SURROUNDINGS_PASSES` tracings: the factors to the wings fall as the radiator grows past
    wings that the power sizes, the shadow of the body covers a smaller share of a larger wing, and
    the areas settle, alternating, within a few passes). ``senv`` itself when the parts do not see
    each other (``solver.radiation_exchange: false``) or neither the radiator nor the wings see
    anything but space and the Earth."""
    if not case.solver.radiation_exchange:     # nothing to trace: no check case to build (its coolant
        return senv                            # properties, its layout) for every sizing of a sweep
    design, _ = size_design(senv, sizing, launch=launch)
    out = senv
    for _ in range(SURROUNDINGS_PASSES):
        check = check_case(case, design, sizing)
        surroundings = radiator_surroundings(check)
        lit = array_lit_output_fractions(check, senv.orbits, senv.env, sizing.attitude)
        if surroundings is None and lit is None:
            return senv
        out = senv.with_surroundings(surroundings, lit)
        before = design.module
        design, _ = size_design(out, sizing, launch=launch)
        if all(abs(getattr(design.module, area) / getattr(before, area) - 1.0) < SURROUNDINGS_AREA_TOLERANCE
               for area in ("radiator_area_m2", "array_area_m2")):
            break
    return out


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
    sizing, _ = priced_sizing(sizing, economics)   # the economics' mission life is the array's and battery's too
    senv = sizing_environment(case, sizing)
    launch, _ = launch_to_orbit(economics.launch, senv.altitude_m, senv.inclination_rad)
    max_mass = sizing.max_module_mass_kg if sizing.max_module_mass_kg is not None else launch.payload_kg
    try:
        senv = surrounded_environment(case, sizing, senv, launch)
        design, extra = size_design(senv, sizing, launch=launch)
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
    _, summary = price_design(design, sizing, economics, senv.altitude_m, senv.inclination_rad)
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
        "radiator_surroundings": surroundings_summary(senv, sizing, m.cases.index(rad_case)),
        "array_shading": array_shading_summary(senv, int(max(range(len(m.cases)),
                                                             key=lambda i: m.cases[i].array_area_m2))),
    })
    if sizing.fixed:
        summary["module"]["required"] = extra["required"]
    if radiator.temperature_K is not None and radiator.temperature_K > coolant:
        summary["warning"] = (f"the given radiator temperature {radiator.temperature_K:.1f} K is above the "
                              f"mean coolant temperature the junction limit allows ({coolant:.1f} K): the GPUs "
                              "will exceed the junction design point")
    return design, summary


#: What the check of the load case the refinement tuned the radiator to is, with its model.
TUNED_ROLE = ("consistency check, not an independent one: the refinement tuned the radiator area until this "
              "model's GPU junction met the design point in this load case, and this run repeats it")


def _role(load_case: str, model: str, tuned: bool) -> str:
    """What a check run checks: the network refinement (``tuned``: it converged) ran the case's
    own conditions (:func:`thermal.sizing.refine.refine_radiator`)."""
    if load_case != "case":
        return "independent check: conditions the refinement did not tune to"
    if model != "network":
        return "independent check: another model than the refinement's (network)"
    return TUNED_ROLE if tuned else "independent check: the radiator area was not refined (see refinement)"


def _survey_model(models: tuple[str, ...]) -> str:
    """The check model that runs every load case: the first not in
    :data:`thermal.sizing.check.BINDING_ONLY_MODELS` (the network), else the first."""
    return next((m for m in models if m not in BINDING_ONLY_MODELS), models[0])


def _check_runs(check: Case, models: tuple[str, ...], main: str, progress, fields) -> tuple[dict, dict, dict]:
    """Every check model's runs of the check case and its load cases.

    The survey model (:func:`_survey_model`) runs the case and every load case; the models in
    :data:`thermal.sizing.check.BINDING_ONLY_MODELS` (the finite elements, minutes per run) then
    run only the load cases that bind a temperature limit in its runs
    (:func:`thermal.sizing.check.binding_load_cases`), and the case itself when they are the
    case's own model (``main``). A model alone runs everything.

    Returns ``(runs, binding, ran)``: the runs by (load case, model), the binding load cases by
    extreme, and the load cases each model ran."""
    names = ("case", *(lc.name for lc in check.load_cases))
    survey = _survey_model(models)
    runs: dict[tuple[str, str], Run] = {}
    binding: dict[str, str] = {}
    ran = {}
    for model in (survey, *(m for m in models if m != survey)):
        wanted = names if model == survey or model not in BINDING_ONLY_MODELS else tuple(
            n for n in names if n in binding.values() or (n == "case" and model == main))
        one = dataclasses.replace(check, solver=dataclasses.replace(check.solver, model=model),
                                  load_cases=tuple(lc for lc in check.load_cases if lc.name in wanted))

        say = prefixed(progress, f"check ({model})")
        if "case" in wanted:
            say("one module")
            runs["case", model] = simulate(one, say, fields if model == main else None)
        for name, r in simulate_load_cases(one, say):
            runs[name, model] = r
        if model == survey:
            binding = binding_load_cases({n: runs[n, model] for n in names})
        ran[model] = list(wanted)
    return runs, binding, ran


def sized_run(case: Case, progress=None, fields=None) -> tuple[Run, dict]:
    """Size the case, build one module's check case, run the check models on it in every load case.

    The check case carries the case's load cases (:func:`thermal.sizing.check.check_case`): the
    case's own conditions, which the network refinement tuned the radiator to (so the network's
    run of them is a consistency check, labelled so), and the others (by default the year's worst
    hot and worst cold epochs, and beginning of life for a design sized at end of life), which
    check it independently. The network runs them all; the finite elements only the binding ones
    (:func:`_check_runs`).

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
        its ``load_cases`` that model's runs of the other load cases and its ``check_runs`` the
        other models' runs; and the ``sizing`` summary with ``check``: ``load_cases`` (per load
        case its ``epoch``, ``life``, and under ``models`` one report per model,
        :func:`thermal.sizing.check.check_report`, with its ``role``, or why it was not run),
        ``ran`` (the load cases each model ran), ``binding`` (the load case of each temperature
        extreme, by ``binding_model``) and ``selection`` (why a model ran only some).

    Raises
    ------
    thermal.core.errors.InfeasibleError
        The sizing is infeasible.
    """
    if isinstance(case.sizing, RadiatorOnlySizing):
        return radiator_only_run(case, progress, fields)
    progress = progress or silent
    sizing = case.sizing
    progress("sizing: radiator, array, battery, modules")
    design, summary = run_sizing(case, sizing, case.economics, progress)
    check = check_case(case, design, sizing)
    models = sizing.check_models
    main = case.solver.model if case.solver.model in models else models[0]
    runs, binding, ran = _check_runs(check, models, main, progress, fields)
    tuned = bool(summary["refinement"].get("converged"))   # the refinement's network runs at the case's conditions
    survey = _survey_model(models)
    load_cases = {}
    for name in ("case", *(lc.name for lc in check.load_cases)):
        reports = {}
        for model in models:
            r = runs.get((name, model))
            if r is None:
                reports[model] = {"model": model, "skipped": f"not a binding load case of the {survey} runs"}
                continue
            role = _role(name, model, tuned)
            reports[model] = {**check_report(r.case, design, sizing, r), "role": role,
                              "independent": role != TUNED_ROLE}
        first = runs[name, survey].case
        load_cases[name] = {"epoch": first.orbit.epoch.isoformat() if first.orbit and first.orbit.epoch else None,
                            "life": "end_of_life" if first.thermal.end_of_life else "beginning_of_life",
                            "models": reports}
    selection = {m: (f"the load cases that bind a temperature limit in the {survey} runs (the hottest GPU "
                     f"junction, the coldest radiator panel, each limited part's extremes): a {m} run of a "
                     "module takes minutes; it changes the temperatures within a part, not which load case "
                     "is hottest or coldest") if len(ran[m]) < len(load_cases) else "every load case"
                 for m in models}
    summary["check"] = {"load_cases": load_cases, "ran": ran, "binding": binding, "binding_model": survey,
                        "selection": selection}
    own = {n: r for (n, m), r in runs.items() if m == main}
    run = dataclasses.replace(own["case"], load_cases=tuple((n, r) for n, r in own.items() if n != "case"),
                              check_runs=tuple((n, m, r) for (n, m), r in runs.items() if m != main), design=design)
    return run, summary
