"""A panel-array run's verdict, ``summary.json`` and printed table (``spacecraft.kind: panel_array``).

The summary keeps the contract's outline (``verdict`` first, ``tool``, ``case``, ``orbit``,
``thermal`` with its ``energy_balance_error``, ``run``) and adds ``panel_array`` (one typed
schema, :class:`PanelArraySummary`): the panel, each load case's junction maximum and swing,
the thermal cycles a year, the vapor chamber's utilisation, the battery, the design's mass
breakdown, kW per tonne, launches and costs, and ``what_must_be_true`` for the paper's claims.
Keys are documented in ``docs/case_keys.md`` (panel array section).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import meshio
import numpy as np

from thermal.core.tool import TOOL_NAME, VERSION
from thermal.outputs.drawing import DRAWING_FILE
from thermal.outputs.fields import snapshot_file
from thermal.outputs.files import write_summary
from thermal.outputs.plots import plot_temperatures
from thermal.outputs.report import requirement_lines, write_report
from thermal.outputs.summary import (
    OrbitSummary,
    PanelArraySummary,
    PanelFESummary,
    PanelLoadCaseSummary,
    PartGeometry,
    PartTemperatures,
    RunSummary,
    Summary,
    ThermalSummary,
)
from thermal.sizing.panels import PanelArrayRun
from thermal.verdict import Check, Verdict


def judge_panels(run: PanelArrayRun) -> Verdict:
    """Every limit of a panel array in every load case: the chip junction, the vapor chamber's
    transport, the energy margin in sun, the battery's temperature range on the panel, and the
    finite-element junction where it ran."""
    chips = run.case.panel.chips
    checks: list[Check] = []
    if run.vapor_chamber is not None:
        vc = run.vapor_chamber
        checks.append(Check("vapor_chamber_transport", "substrate", "all", "max", vc.transport_W_m, vc.capacity_W_m,
                            "W m"))
    cell = run.case.eclipse.battery_cell
    for lc in run.load_cases:
        o = lc.orbit
        checks.append(Check("panel_junction_max", "chip", lc.name, "max", float(o.junction_K.max()),
                            chips.junction_limit_K, "K"))
        if math.isfinite(o.energy_margin):
            checks.append(Check("panel_energy_margin", "panel", lc.name, "min", o.energy_margin, 0.0, "fraction",
                                scale=1.0))
        if cell is not None:
            checks.append(Check("panel_battery_temperature_max", "battery", lc.name, "max", float(o.panel_K.max()),
                                cell.operating_max_K, "K"))
            checks.append(Check("panel_battery_temperature_min", "battery", lc.name, "min", float(o.panel_K.min()),
                                cell.operating_min_K, "K"))
        fe = run.fe.get(lc.name)
        if fe is not None:
            checks.append(Check("panel_junction_max", "chip", f"{lc.name} (fe)", "max", float(fe.junction_K.max()),
                                chips.junction_limit_K, "K"))
    return Verdict(tuple(checks))


def _fe_summary(fe, o) -> PanelFESummary:
    return PanelFESummary(
        junction_max_K=float(fe.junction_K.max()), junction_min_K=float(fe.junction_K.min()),
        junction_swing_K=fe.junction_swing_K, network_junction_max_K=float(o.junction_K.max()),
        network_junction_min_K=float(o.junction_K.min()), network_junction_swing_K=o.junction_swing_K,
        hot_spot_max_K=float(fe.hot_spot_K.max()), network_hot_spot_max_K=float(o.hot_spot_K.max()),
        coldest_K=float(fe.coldest_K.min()), network_panel_min_K=float(o.panel_K.min()),
        energy_balance_error=fe.energy_balance_error, orbits=fe.orbits,
        orbit_to_orbit_change_K=fe.orbit_to_orbit_change_K, steps=fe.steps, dofs=fe.dofs)


def _load_case_summary(lc) -> PanelLoadCaseSummary:
    o = lc.orbit
    return PanelLoadCaseSummary(
        epoch=lc.epoch, beta_deg=lc.beta_deg, eclipse_s=lc.eclipse_s, panel_T_min_K=float(o.panel_K.min()),
        panel_T_max_K=float(o.panel_K.max()), junction_max_K=float(o.junction_K.max()),
        junction_min_K=float(o.junction_K.min()), junction_swing_K=o.junction_swing_K,
        hot_spot_max_K=float(o.hot_spot_K.max()), electric_available_max_W=float(o.electric_available_W.max()),
        energy_margin=o.energy_margin if math.isfinite(o.energy_margin) else None,
        energy_balance_error=o.energy_balance_error)


def _costs(run: PanelArrayRun) -> dict | None:
    c = run.costs
    if c is None:
        return None
    return {"orbital_total_usd": c.orbital.total_usd, "orbital_items_usd": dict(c.orbital.items_usd),
            "usd_per_gpu_hour": c.orbital.usd_per_gpu_hour, "usd_per_kWh": c.orbital.usd_per_kWh,
            "ground_usd_per_gpu_hour": c.ground.usd_per_gpu_hour,
            "breakeven_launch_price_usd_kg": c.breakeven_launch_price_usd_kg}


def panel_array_summary(run: PanelArrayRun) -> PanelArraySummary:
    d, p = run.design, run.case.panel
    cases = {lc.name: _load_case_summary(lc) for lc in run.load_cases}
    return PanelArraySummary(
        panel_area_m2=p.area_m2, chips_per_panel=p.chips.count, chip_power_W=p.chips.power_W,
        chip_power_density_W_cm2=run.requirements.chip_power_density_W_cm2,
        load_cases=cases,
        junction_max_K=max(v.junction_max_K for v in cases.values()),
        junction_swing_max_K=max(v.junction_swing_K for v in cases.values()),
        thermal_cycles_per_year=run.cycles_per_year,
        vapor_chamber_utilisation=None if run.vapor_chamber is None else run.vapor_chamber.utilisation,
        battery_capacity_per_panel_Wh=run.battery_Wh, eclipse_strategy=run.case.eclipse.strategy,
        panel_count=d.panel_count, panels_per_satellite=d.panels_per_satellite, satellite_count=d.satellite_count,
        array_area_m2=d.array_area_m2, panel_mass_kg=dict(d.panel_mass_breakdown_kg), mass_kg=d.mass_kg,
        mass_breakdown_kg=d.mass_breakdown_kg, compute_power_W=d.compute_power_W, kW_per_tonne=d.kW_per_tonne,
        launches=d.launch_count(), costs=_costs(run),
        fe={lc.name: _fe_summary(run.fe[lc.name], lc.orbit) for lc in run.load_cases if lc.name in run.fe},
        what_must_be_true=dataclasses.asdict(run.requirements))


def _panel_part(orbits) -> PartTemperatures:
    """The panel as the contract's part: its lowest mean, its hottest point (under a chip) and its
    orbit-mean temperature, over the given load cases' orbits [K]."""
    return PartTemperatures(T_min_K=min(float(o.panel_K.min()) for o in orbits),
                            T_max_K=max(float(o.hot_spot_K.max()) for o in orbits),
                            T_mean_K=float(np.mean(orbits[0].panel_K)))


def _load_case_block(lc, verdict: Verdict) -> dict:
    checks = [c for c in verdict.checks if c.load_case in (lc.name, f"{lc.name} (fe)", "all")]
    mine = Verdict(tuple(checks))
    o = lc.orbit
    return {"epoch": lc.epoch, "life": "end_of_life",
            "orbit": {"beta_deg": lc.beta_deg, "eclipse_duration_s": lc.eclipse_s,
                      "eclipse_fraction": lc.eclipse_s / o.period_s},
            "power": {"energy_margin": o.energy_margin if math.isfinite(o.energy_margin) else None},
            "thermal": {"parts": {"panel": dataclasses.asdict(_panel_part([lc.orbit]))},
                        "gpu_junction_max_K": float(lc.orbit.junction_K.max()),
                        "energy_balance_error": lc.orbit.energy_balance_error},
            "verdict": {"status": mine.status, "violations": [c.as_dict() for c in mine.violations]}}


def summarize_panels(run: PanelArrayRun) -> Summary:
    """The typed summary of a panel-array run (:class:`thermal.outputs.summary.Summary`): the
    contract's keys (``CASE_FORMAT.md``; one part, ``panel``, per panel; ``power`` per panel in the
    case's own load case; ``sizing`` for the array) and the ``panel_array`` section."""
    case = run.case
    verdict = judge_panels(run)
    first = run.load_cases[0]
    orbits = [lc.orbit for lc in run.load_cases]
    orbit = (OrbitSummary(period_s=None, beta_deg=None, eclipse_fraction=0.0, eclipse_duration_s=0.0, deep_space=True)
             if case.orbit is None else
             OrbitSummary(period_s=float(first.orbit.period_s), beta_deg=first.beta_deg,
                          eclipse_fraction=first.eclipse_s / first.orbit.period_s, eclipse_duration_s=first.eclipse_s,
                          altitude_m=case.orbit.altitude_m))
    balance = max([*(o.energy_balance_error for o in orbits), *(v.energy_balance_error for v in run.fe.values())])
    d = run.design
    o = first.orbit
    dod = case.eclipse.max_depth_of_discharge if run.battery_Wh > 0 else 0.0
    junction = max(float(o.junction_K.max()) for o in orbits)
    limit = case.panel.chips.junction_limit_K
    panel = _panel_part(orbits)
    thermal = ThermalSummary(
        model=case.solver.model, parts={"panel": panel}, gpu_junction_max_K=junction, cold_plate_max_K=None,
        energy_balance_error=balance, limits={}, pump_power_W=0.0,
        heat_pipe_utilisation=None if run.vapor_chamber is None else run.vapor_chamber.utilisation,
        loop_conductance_W_K={}, coolant_capacity_rate_W_K=None, coolant={}, gpu_junction_limit_K=limit,
        gpu_junction_margin_K=limit - junction)
    fe = list(run.fe.values())
    return Summary(
        tool={"name": TOOL_NAME, "version": VERSION}, case=case.name,
        case_path=str(case.path.resolve()) if case.path else None, attitude="sun",
        geometry={"panel": PartGeometry(case.panel.area_m2, sum(d.panel_mass_breakdown_kg.values()), "panel")},
        orbit=orbit, thermal=thermal,
        power={"array_power_orbit_avg_W": float(np.mean(o.electric_available_W)),
               "load_orbit_avg_W": float(np.mean(o.electric_drawn_W)), "battery_soc_min": 1.0 - dod,
               "energy_margin": o.energy_margin if math.isfinite(o.energy_margin) else None, "life": "end_of_life"},
        sizing=run.sizing,
        run=RunSummary(version=VERSION, case_sha256=case.sha256, dofs=max([1, *(v.dofs for v in fe)]),
                       steps=max([int(o.time_s.size), *(v.steps for v in fe)]),
                       orbits=max([case.solver.orbits, *(v.orbits for v in fe)]), wall_time_s=run.wall_time_s,
                       solver={"load_cases": len(run.load_cases)}),
        warnings=case.warnings, verdict=verdict.as_dict(),
        load_cases={lc.name: _load_case_block(lc, verdict) for lc in run.load_cases},
        panel_array=panel_array_summary(run))


def panel_timeseries(run: PanelArrayRun) -> dict[str, np.ndarray]:
    """The case's own load case in the contract's columns of ``timeseries.csv``: ``time_s`` [s],
    ``panel_T_min_K`` and ``panel_T_mean_K`` (the panel's mean), ``panel_T_max_K`` (the point under
    a chip), ``gpu_junction_K`` [K], ``array_power_W`` and ``load_W`` [W]."""
    o = run.load_cases[0].orbit
    return {"time_s": o.time_s, "panel_T_min_K": o.panel_K, "panel_T_max_K": o.hot_spot_K,
            "panel_T_mean_K": o.panel_K, "gpu_junction_K": o.junction_K, "array_power_W": o.electric_available_W,
            "load_W": o.electric_drawn_W}


def write_panel_results(run: PanelArrayRun, folder: Path, shown_as: Path | None = None) -> None:
    """``summary.json``, ``timeseries.csv`` (the case's own load case in the contract's columns; the
    panel's mean is its T_min and T_mean, the point under a chip its T_max),
    ``timeseries_load_cases.csv`` (every load case), one plot of the panel's temperatures per
    load case (``temperatures_<load case>.png``), with the FE unit cell's field the cell's mesh as
    ``spacecraft.vtu`` (the viewer's drawing, groups ``panel`` and ``chip footprint``) and
    ``report.html`` into ``folder`` (the staging folder of ``shown_as``)."""
    write_summary(folder / "summary.json", summarize_panels(run).to_dict())
    columns = panel_timeseries(run)
    rows = [",".join(columns)]
    rows += [",".join(f"{v[i]:.3f}" if k == "time_s" else f"{v[i]:.6f}" for k, v in columns.items())
             for i in range(columns["time_s"].size)]
    (folder / "timeseries.csv").write_text("\n".join(rows) + "\n")
    rows = ["load_case,time_s,panel_K,junction_K,hot_spot_K,electric_available_W,electric_drawn_W,heat_in_W"]
    for lc in run.load_cases:
        o = lc.orbit
        for i, t in enumerate(o.time_s):
            rows.append(f"{lc.name},{t:.3f},{o.panel_K[i]:.6f},{o.junction_K[i]:.6f},{o.hot_spot_K[i]:.6f},"
                        f"{o.electric_available_W[i]:.6f},{o.electric_drawn_W[i]:.6f},{o.heat_in_W[i]:.6f}")
    (folder / "timeseries_load_cases.csv").write_text("\n".join(rows) + "\n")
    for lc in run.load_cases:
        o = lc.orbit
        shadow = o.electric_available_W <= 1e-6 * max(float(o.electric_available_W.max()), 1e-300)
        series = {"panel (mean)": o.panel_K, "panel under the chip": o.hot_spot_K}
        fe = run.fe.get(lc.name)
        if fe is not None:     # on the network's clock (the FE steps land on the eclipse's edges)
            series["chip junction (FE)"] = np.interp(o.time_s, fe.time_s, fe.junction_K)
        plot_temperatures(folder / f"temperatures_{lc.name}.png", o.time_s, series, o.junction_K, shadow,
                          {"chip junction": (0.0, run.case.panel.chips.junction_limit_K)},
                          f"{run.case.name}: one panel over the orbit, load case {lc.name}"
                          + (" (network; the FE junction beside it)" if fe is not None else " (network model)"))
    first = folder / "fields" / snapshot_file(0)
    if first.is_file():     # the FE unit cell's mesh for the viewer (thermal.view), as a bus's spacecraft.vtu
        cell = meshio.read(first)
        meshio.write(folder / DRAWING_FILE, meshio.Mesh(cell.points, cell.cells, cell_data=cell.cell_data,
                                                        field_data=cell.field_data), binary=True)
    write_report(folder, shown_as=shown_as, case=run.case, snapshot=first.is_file())   # reads what is written above


def panel_lines(summary: dict) -> list[str]:
    """The printed table of a panel-array run."""
    pa, v = summary["panel_array"], summary["verdict"]
    lines = [f"case {summary['case']} (panel array)",
             f"  verdict: {v['status'].upper()} ({v['limits_checked']} limits checked)"]
    if v["binding"]:
        lines.append(f"  binding: {v['binding']}")
    for name, lc in pa["load_cases"].items():
        margin = lc["energy_margin"]
        lines.append(f"  load case {name:<11} {lc['epoch'] or '-':>10}  eclipse {lc['eclipse_s'] / 60:5.1f} min, "
                     f"panel {lc['panel_T_min_K']:.1f}-{lc['panel_T_max_K']:.1f} K, junction max "
                     f"{lc['junction_max_K']:.1f} K, swing {lc['junction_swing_K']:.1f} K"
                     + (f", energy margin {100 * margin:+.1f} %" if margin is not None else ""))
    for name, fe in pa["fe"].items():
        lines.append(f"  FE {name:<11} junction {fe['junction_min_K']:.1f}-{fe['junction_max_K']:.1f} K, swing "
                     f"{fe['junction_swing_K']:.1f} K (network {fe['network_junction_min_K']:.1f}-"
                     f"{fe['network_junction_max_K']:.1f} K, {fe['network_junction_swing_K']:.1f} K), hot spot "
                     f"{fe['hot_spot_max_K']:.1f} K, coldest {fe['coldest_K']:.1f} K, {fe['orbits']} orbits, "
                     f"{fe['dofs']} unknowns, energy balance {fe['energy_balance_error']:.1e}")
    vc = pa["vapor_chamber_utilisation"]
    lines += [f"  panel {pa['panel_area_m2']:.2f} m^2, {pa['chips_per_panel']} chips x {pa['chip_power_W']:.0f} W "
              f"({pa['chip_power_density_W_cm2']:.1f} W/cm^2), battery {pa['battery_capacity_per_panel_Wh']:.0f} Wh "
              f"({pa['eclipse_strategy']}), vapor chamber "
              + (f"{100 * vc:.0f} % of its limit" if vc is not None else "none (solid spreader)"),
              f"  junction swing up to {pa['junction_swing_max_K']:.1f} K, {pa['thermal_cycles_per_year']:.0f} "
              "cycles a year",
              f"  array: {pa['panel_count']:,} panels ({pa['array_area_m2']:,.0f} m^2) in {pa['satellite_count']:,} "
              f"satellite(s) of {pa['panels_per_satellite']:,}, {pa['mass_kg'] / 1e3:,.1f} t, "
              f"{pa['compute_power_W'] / 1e6:.3f} MW of compute, {pa['kW_per_tonne']:.1f} kW/t, {pa['launches']} "
              "launch(es)"]
    if pa["costs"]:
        c = pa["costs"]
        lines.append(f"  cost {c['usd_per_gpu_hour']:.2f} USD per chip-hour ({c['usd_per_kWh']:.3f} USD/kWh; ground "
                     f"{c['ground_usd_per_gpu_hour']:.2f}), break-even launch {c['breakeven_launch_price_usd_kg']:.0f} "
                     "USD/kg")
    lines.append("  what must be true (Gaalema, Indyk and Staley 2026: > 100 kW/t, junctions near 40 degC):")
    lines += ["    " + line for line in requirement_lines(pa["what_must_be_true"])]
    lines.append(f"  energy balance error {summary['thermal']['energy_balance_error']:.2e}")
    return lines


__all__ = ["judge_panels", "panel_array_summary", "summarize_panels", "write_panel_results", "panel_lines"]
