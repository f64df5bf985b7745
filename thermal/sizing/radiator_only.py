"""A radiator sized alone: a heat-rejection target on a plain plate, with no compute section.

The simplest radiator sizing there is, as a thermal engineer does it by hand: the area that
rejects ``Q`` at the given radiator temperature ``T`` against the absorbed environment,

    A = Q / sum_sides(eta eps sigma T^4 - q_abs,side)

(:func:`thermal.sizing.radiator.radiator_area_m2`, peak or orbit-average environment), taken
over every orbit case the sizing sees; the mass is the area times the panel's areal mass. No GPU
node, bus, arrays or battery are sized.

The check: the case's plate, scaled to the sized area (aspect ratio kept), with the target heat
dissipated in it and the sized radiator's coating and facing, is run by the thermal models; the
plate's temperature is reported against the radiator temperature the sizing held.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from geometry.spec import NAMED_DIRECTIONS
from thermal.case.model import Case
from thermal.case.sizing import STARSHIP_NEAR_TERM, RadiatorOnlySizing
from thermal.core.library import COATINGS
from thermal.core.progress import silent
from thermal.exposure import environment_absorbed_W_m2
from thermal.orbit import case_orbit
from thermal.simulation import Run, simulate
from thermal.sizing.check import geometry_facing
from thermal.sizing.orbit_cases import sizing_orbits
from thermal.sizing.radiator import radiator_area_m2


def size_radiator_only(case: Case, sizing: RadiatorOnlySizing) -> dict:
    """The radiator's area and mass for the heat-rejection target: the ``sizing`` block of
    ``summary.json`` (``radiator_area_m2``, ``mass_kg`` with its breakdown, ``launch_cost_usd`` at
    the default launcher's price, ``array_area_m2`` and ``battery_capacity_Wh`` 0)."""
    radiator = sizing.radiator
    t_rad = radiator.temperature_K
    assert t_rad is not None   # RadiatorOnlySizing requires it
    cases = []
    for geom in sizing_orbits(case, sizing):
        absorbed = environment_absorbed_W_m2(geom, case.environment, sizing.attitude, radiator.facing,
                                             radiator.coating, sizing.coatings_end_of_life,
                                             two_sided=radiator.two_sided, n_time=sizing.samples_per_orbit)
        area = radiator_area_m2(sizing.heat_rejection_W, t_rad, radiator.coating.emissivity, absorbed,
                                radiator.two_sided, radiator.fin_efficiency, basis=radiator.basis,
                                constraint=f"given radiator temperature {t_rad:.1f} K")
        cases.append((area, absorbed.sizing_total_W_m2(radiator.basis), geom))
    area, absorbed_W_m2, worst = max(cases, key=lambda c: c[0])
    mass = area * sizing.radiator_kg_m2
    launch = STARSHIP_NEAR_TERM
    return {
        "kind": "radiator_only",
        "target": {"heat_rejection_W": sizing.heat_rejection_W},
        "radiator_area_m2": area,
        "array_area_m2": 0.0,
        "battery_capacity_Wh": 0.0,
        "mass_kg": mass,
        "mass_breakdown_kg": {"radiator": mass},
        "launch_cost_usd": mass * launch.price_usd_kg,
        "launch": launch.name,
        "radiator_temperature_K": t_rad,
        "radiator_absorbed_W_m2": absorbed_W_m2,
        "radiator_coating": radiator.coating.name,
        "radiator_facing": radiator.facing if isinstance(radiator.facing, str) else list(radiator.facing),
        "two_sided": radiator.two_sided,
        "fin_efficiency": radiator.fin_efficiency,
        "basis": radiator.basis,
        "orbit_cases": len(cases),
        "worst_beta_deg": math.degrees(worst.beta_rad) if worst is not None else None,
        "binding": {"radiator": "sizing.radiator_temperature (given) against the "
                                f"{radiator.basis.replace('_', '-')} environment of the worst orbit case"},
    }


def check_plate(case: Case, sizing: RadiatorOnlySizing, area_m2: float) -> Case:
    """The case's plate scaled to ``area_m2`` (aspect ratio kept), dissipating the target heat, with
    the sized radiator's coating on its radiating sides and its facing (a moving facing other than
    the sun: the orbit-mean body direction)."""
    plate = case.spacecraft
    radiator = sizing.radiator
    factor = math.sqrt(area_m2 / (plate.size_m[0] * plate.size_m[1]))
    if isinstance(radiator.facing, str) and (radiator.facing in NAMED_DIRECTIONS or radiator.facing == "sun"):
        facing = radiator.facing
    else:
        facing, _ = geometry_facing(radiator.facing, case_orbit(case.orbit), sizing.attitude)
    back = radiator.coating if radiator.two_sided else COATINGS["mli"]
    spacecraft = dataclasses.replace(plate, size_m=(plate.size_m[0] * factor, plate.size_m[1] * factor),
                                     facing=facing, front=radiator.coating, back=back)
    thermal = dataclasses.replace(case.thermal, dissipation_W={plate.name: sizing.heat_rejection_W})
    return dataclasses.replace(case, spacecraft=spacecraft, thermal=thermal, sizing=None)


def radiator_only_run(case: Case, progress=None, fields=None) -> tuple[Run, dict]:
    """Size the radiator alone and run the check plate with every check model.

    Returns the run of the check plate with the case's own model (else the first check model)
    and the ``sizing`` block with ``check``: per model the plate's highest and mean temperature
    against the radiator temperature the sizing held, and ``met`` (the highest at or below it,
    to 0.5 K: a plate conducts its heat to its edges with a finite conductivity, and the sizing's
    fin efficiency leaves it colder)."""
    progress = progress or silent
    sizing = case.sizing
    assert isinstance(sizing, RadiatorOnlySizing)
    progress("sizing: the radiator alone")
    summary = size_radiator_only(case, sizing)
    check = check_plate(case, sizing, summary["radiator_area_m2"])
    runs, reports = {}, {}
    for model in sizing.check_models:
        one = dataclasses.replace(check, solver=dataclasses.replace(check.solver, model=model))
        progress(f"check: the sized radiator with the {model} model")
        runs[model] = simulate(one, progress, fields if model == case.solver.model else None)
        h = runs[model].thermal
        name = check.spacecraft.name
        t_max = float(np.max(h.part_T_max_K[name]))
        reports[model] = {"model": model, "radiator_area_m2": summary["radiator_area_m2"],
                          "radiator_T_max_K": t_max, "radiator_T_mean_K": float(np.mean(h.part_T_mean_K[name])),
                          "sizing_radiator_temperature_K": sizing.radiator.temperature_K,
                          "met": bool(t_max <= sizing.radiator.temperature_K + 0.5)}
    summary["check"] = reports
    main = case.solver.model if case.solver.model in runs else next(iter(runs))
    return runs[main], summary
