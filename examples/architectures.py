"""Two architectures side by side: a bus with a pumped loop and radiators, and compute on the back of the array.

Both sized for the same compute target in the same orbit (550 km dawn-dusk sun-synchronous, the
December solstice: the longest eclipse of the year):

- bus: ``cases/h100_1MW.yaml`` (8-GPU H100 nodes, pumped water-glycol loop, two-sided OSR
  radiators, sun-tracking wings, battery) sized as the solve command sizes it
  (:func:`thermal.sizing.run.run_sizing`: over the year's orbits, the radiator against what it sees
  of the wings and the body, priced by the one pricing path), one module then run with the network model
  (:func:`thermal.sizing.check.check_case`, :func:`thermal.simulation.simulate`) for its junction
  maximum and swing over the orbit (the analytic radiator: no network refinement here);
- panels: ``cases/panels_16MW.yaml`` (the paper-shaped panel array) run with its network model
  at the same epoch (:func:`thermal.sizing.panels.run_panel_case`, ``solver.epochs: case``).

Both are priced by the same :func:`thermal.sizing.economics.price_design`. Printed and written:
kW per tonne, junction maximum and swing, radiator and array areas (a panel is both), battery,
launches, cost per GPU-hour (per chip-hour for the panels: a 250 W chip at an H100's price per
watt, as the panel case assumes) and per kWh of compute (the comparable figure), and each
verdict's binding limit (the bus: its module's network run at the analytic radiator).

Run: ``python examples/architectures.py [--out DIR]`` (default ``results/examples/architectures``).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examples._common import out_dir_from_args, pyplot, write_outputs
from thermal.case import load_case
from thermal.outputs.panels import judge_panels
from thermal.simulation import simulate
from thermal.sizing.check import check_case
from thermal.sizing.panels import run_panel_case
from thermal.sizing.run import run_sizing
from thermal.verdict import judge

NAME = "architectures"
CASES = Path(__file__).resolve().parents[1] / "cases"
TARGETS_W = (1.0e6, 16.0e6)


def bus_row(target_W: float) -> dict:
    case = load_case(CASES / "h100_1MW.yaml")
    # the solve command's sizing (the radiator against what it sees of the wings and the body, the
    # one pricing path), its analytic radiator kept (refine: none)
    sizing = dataclasses.replace(case.sizing, target={"compute_power_W": target_W}, refine="none")
    design, summary = run_sizing(case, sizing, case.economics)
    check = check_case(case, design, sizing)
    run = simulate(dataclasses.replace(check, load_cases=()))
    junction = run.thermal.gpu_junction_K
    return {"architecture": "bus", "target_MW": target_W / 1e6, "compute_MW": design.compute_power_W / 1e6,
            "mass_t": design.mass_kg / 1e3, "kW_per_tonne": design.compute_power_W / design.mass_kg,
            "junction_max_K": float(junction.max()), "junction_swing_K": float(junction.max() - junction.min()),
            "radiator_area_m2": design.radiator_area_m2, "array_area_m2": design.array_area_m2,
            "battery_kWh": design.battery_capacity_Wh / 1e3, "launches": summary["launch_count"],
            "usd_per_gpu_hour": summary["orbital_usd_per_gpu_hour"], "usd_per_kWh": summary["orbital_usd_per_kWh"],
            "verdict": _verdict(judge(run))}


def panel_row(target_W: float) -> dict:
    case = load_case(CASES / "panels_16MW.yaml")
    case = dataclasses.replace(case, compute_target_W=target_W,
                               solver=dataclasses.replace(case.solver, model="network", epochs="case"))
    run = run_panel_case(case)
    d, o = run.design, run.load_cases[0].orbit
    return {"architecture": "panels", "target_MW": target_W / 1e6, "compute_MW": d.compute_power_W / 1e6,
            "mass_t": d.mass_kg / 1e3, "kW_per_tonne": d.kW_per_tonne,
            "junction_max_K": float(o.junction_K.max()), "junction_swing_K": o.junction_swing_K,
            "radiator_area_m2": d.array_area_m2, "array_area_m2": d.array_area_m2,
            "battery_kWh": run.battery_Wh * d.panel_count / 1e3, "launches": d.launch_count(),
            "usd_per_gpu_hour": run.costs.orbital.usd_per_gpu_hour, "usd_per_kWh": run.costs.orbital.usd_per_kWh,
            "verdict": _verdict(judge_panels(run))}


def _verdict(verdict) -> str:
    binding = verdict.binding
    return "pass" if binding is None else f"fail: {binding.limit} ({binding.part}, {binding.load_case})"


def main(out_dir=None, *, targets=TARGETS_W) -> dict:
    """Size both architectures for each target; write ``architectures.csv`` and ``.png``.

    Returns
    -------
    dict
        ``rows`` (one per architecture and target, the keys of :func:`bus_row`), ``csv``, ``png``.
    """
    rows = []
    for target in targets:
        rows.append(bus_row(target))
        rows.append(panel_row(target))
    plt = pyplot()
    fig, axes = plt.subplots(1, 4, figsize=(15, 4))
    labels = [f"{r['architecture']}\n{r['target_MW']:g} MW" for r in rows]
    colours = ["tab:blue" if r["architecture"] == "bus" else "tab:orange" for r in rows]
    for ax, key, title in zip(axes, ("kW_per_tonne", "junction_max_K", "junction_swing_K", "usd_per_kWh"),
                              ("compute per launched tonne [kW/t]", "junction maximum [K]",
                               "junction swing per orbit [K]", "cost per kWh of compute [USD]"), strict=True):
        ax.bar(labels, [r[key] for r in rows], color=colours)
        ax.set_title(title, fontsize=9)
    fig.suptitle("bus with radiators vs compute on the back of the array (550 km dawn-dusk SSO, December)")
    paths = write_outputs(NAME, out_dir, rows, fig)
    return {"rows": rows, **paths}


def _print(rows) -> None:
    print(f"{'':18}{'MW':>6}{'t':>9}{'kW/t':>8}{'Tj max K':>10}{'swing K':>9}{'radiator m2':>13}{'array m2':>11}"
          f"{'batt kWh':>10}{'launch':>8}{'USD/GPUh':>10}{'USD/kWh':>9}  verdict")
    for r in rows:
        print(f"{r['architecture']:<10}{r['target_MW']:>6g} MW{r['compute_MW']:6.2f}{r['mass_t']:9.1f}"
              f"{r['kW_per_tonne']:8.1f}{r['junction_max_K']:10.1f}{r['junction_swing_K']:9.1f}"
              f"{r['radiator_area_m2']:13,.0f}{r['array_area_m2']:11,.0f}{r['battery_kWh']:10,.0f}{r['launches']:8d}"
              f"{r['usd_per_gpu_hour']:10.2f}{r['usd_per_kWh']:9.3f}  {r['verdict']}")


if __name__ == "__main__":
    result = main(out_dir_from_args(__doc__))
    _print(result["rows"])
    print(f"wrote {result['csv']} and {result['png']}")
