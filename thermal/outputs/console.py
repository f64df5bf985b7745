"""The summary table a solve prints: parts, GPU junction, power, and the sizing's lines."""

from __future__ import annotations

from thermal.verdict import shown


def print_summary(summary: dict) -> None:
    print(f"case {summary['case']}")
    for line in verdict_lines(summary):
        print(line)
    orbit = summary["orbit"]
    if orbit.get("period_s"):
        print(f"  orbit: period {orbit['period_s'] / 60:.1f} min, beta {orbit['beta_deg']:.1f} deg, "
              f"eclipse {orbit['eclipse_duration_s'] / 60:.1f} min ({100 * orbit['eclipse_fraction']:.1f} %)")
    else:
        print("  orbit: deep space at 1 AU")
    if summary.get("load_cases"):
        print("  parts: T min and T max over every load case, T mean at the case's own epoch")
    print(f"  {'part':<16}{'area m^2':>10}{'mass kg':>10}{'T min K':>10}{'T max K':>10}{'T mean K':>10}")
    geo = summary["geometry"]["parts"]
    for name, t in summary["thermal"]["parts"].items():
        g = geo.get(name, {})
        area = f"{g['area_m2']:10.3f}" if g else f"{'':10}"
        mass = f"{g['mass_kg']:10.2f}" if g else f"{'':10}"
        print(f"  {name:<16}{area}{mass}{t['T_min_K']:10.1f}{t['T_max_K']:10.1f}{t['T_mean_K']:10.1f}")
    th = summary["thermal"]
    for line in thermal_lines(th):
        print(line)
    print(f"  energy balance error {th['energy_balance_error']:.2e}")
    if "power" in summary:
        p = summary["power"]
        margin = p.get("energy_margin")   # null: no load, so no finite margin
        print(f"  power: array {p['array_power_orbit_avg_W'] / 1e3:.2f} kW orbit average, load "
              f"{p['load_orbit_avg_W'] / 1e3:.2f} kW, margin "
              + (f"{100 * margin:+.1f} %" if margin is not None else "unbounded (no load)")
              + f", battery SOC min {p['battery_soc_min']:.3f}")
    if "sizing" in summary:
        for line in summary_lines(summary["sizing"]):
            print(line)
    run = summary["run"]
    print(f"  {run['dofs']} unknowns, {run['steps']} steps, {run['wall_time_s']:.2f} s")


def thermal_lines(th: dict) -> list[str]:
    """The GPU junction and its leakage, the part limits, the pump, the coolant's range (with its
    bypass) and the heaters' power, for the printed table."""
    lines = []
    if th.get("gpu_junction_max_K") is not None:
        lines.append(f"  GPU junction max {th['gpu_junction_max_K']:.1f} K ({th['gpu_junction_max_K'] - 273.15:.1f} "
                     f"degC), limit {th['gpu_junction_limit_K']:.1f} K, margin {th['gpu_junction_margin_K']:.1f} K")
    if th.get("gpu_leakage_orbit_avg_W") is not None:
        law = th["gpu_leakage_law"]
        lines.append(f"  GPU leakage {th['gpu_leakage_orbit_avg_W']:.1f} W orbit average, "
                     f"{th['gpu_leakage_max_W']:.1f} W max ({100 * law['per_kelvin_1_K']:.3g} %/K above "
                     f"{law['reference_K'] - 273.15:.1f} degC)")
    for name, lim in th["limits"].items():
        lines.append(f"  limit {name}: {'met' if lim['met'] else 'MISSED'}")
    if "pump_power_W" in th:
        lines.append(f"  pump power {th['pump_power_W']:.1f} W")
    c = th.get("coolant")
    if c:
        hot = f", hottest {c['T_max_K']:.1f} K at the cold plates" if c.get("T_max_K") is not None else ""
        valve = (f"; bypass: {100 * c['radiator_flow_fraction_min']:.1f}-{100 * c['radiator_flow_fraction_max']:.0f} % "
                 "of the flow through the radiators" if "radiator_flow_fraction_min" in c else "")
        lines.append(f"  coolant {c['name']}: coldest {c['T_min_K']:.1f} K in {c['T_min_where']} (freezes at "
                     f"{c['freezing_K']:.1f} K){hot}{valve}")
    for part, h in th.get("heaters", {}).items():
        lines.append(f"  heater on {part}: {h['power_orbit_avg_W']:.0f} W orbit average, {h['power_max_W']:.0f} W "
                     f"peak of {h['installed_W']:.0f} W installed (duty {100 * h['duty_cycle']:.0f} %)")
    return lines


def _breakeven_text(s: dict) -> str:
    """The break-even values (``sizing.costs.breakeven``), or that none closes the gap."""
    even = s.get("costs", {}).get("breakeven")
    if not even:
        p = s.get("breakeven_launch_price_usd_per_kg")
        return "no launch price closes the gap" if p is None else f"break-even launch price {p:,.0f} USD/kg"
    parts = []
    for key, label, unit in (("launch_price_usd_per_kg", "launch price", "USD/kg"),
                             ("hardware_usd_per_kg", "hardware", "USD/kg"), ("mass_per_kW_kg", "mass", "kg/kW")):
        e = even[key]
        parts.append(f"{label} {e['value']:,.0f} {unit} (now {e['current']:,.0f})" if e["value"] is not None
                     else f"no {label} closes it (now {e['current']:,.0f} {unit})")
    return "break-even: " + "; ".join(parts)


def summary_lines(sizing_summary: dict) -> list[str]:
    """Lines for the printed summary table of a sized case (``print_summary``)."""
    s = sizing_summary
    if s.get("kind") == "radiator_only":
        return _radiator_only_lines(s)
    m = s["module"]
    lines = [
        f"  sizing: {s['module_count']} module(s) x {m['gpu_count']} GPUs ({s['gpu_count']} GPUs, "
        f"{s['compute_power_W'] / 1e6:,.3f} MW of compute); per module radiator {m['radiator_area_m2']:,.0f} m^2 "
        f"at {s['radiator_temperature_K']:.1f} K, array {m['array_area_m2']:,.0f} m^2, battery "
        f"{m['battery_capacity_Wh'] / 1e3:,.0f} kWh, {m['mass_kg'] / 1e3:,.1f} t",
        f"  design: radiator {s['radiator_area_m2']:,.0f} m^2, array {s['array_area_m2']:,.0f} m^2, battery "
        f"{s['battery_capacity_Wh'] / 1e6:,.2f} MWh, {s['mass_kg'] / 1e3:,.0f} t, {s['launch_count']} "
        f"{s['launch_vehicle']} launch(es), launch {s['launch_cost_usd'] / 1e6:,.1f} M USD",
        f"  cost per GPU-hour over {s['mission_years']:g} years: orbit {s['orbital_usd_per_gpu_hour']:.2f} USD, "
        f"ground {s['terrestrial_usd_per_gpu_hour']:.2f} USD; " + _breakeven_text(s),
        f"  binding: radiator by {s['binding']['radiator']}; module size by {s['binding']['module_size']}",
    ]
    shade = s.get("array_shading")
    if shade:
        lines.append(f"  array shading: the wings deliver {100 * shade['lit_output_fraction']:.1f} % of their unshaded "
                     f"output in the orbit case that sizes the array (the other parts' shadow), array "
                     f"{100 * shade['area_rise']:+.1f} % ({100 * shade['lit_output_fraction_min']:.1f}-"
                     f"{100 * shade['lit_output_fraction_max']:.1f} % over the orbit cases)")
    r = s.get("refinement", {})
    if "radiator_area_m2" in r:
        lines.append(
            f"  refinement ({r['method']}): radiator {r['radiator_area_m2']:,.0f} m^2 per module against "
            f"{r['radiator_area_analytic_m2']:,.0f} m^2 analytic ({100 * (r['area_ratio'] - 1):+.1f} %); GPU "
            f"junction {r['gpu_junction_max_K']:.1f} K against the design point {r['gpu_junction_design_K']:.1f} K "
            f"({r['gpu_junction_analytic_K']:.1f} K at the analytic area)"
            + ("" if r["converged"] else ", NOT converged"))
    elif r:
        lines.append(f"  refinement ({r['method']}): analytic radiator kept ({r.get('skipped', '')})")
    lines += check_lines(s.get("check") or {})
    if "warning" in s:
        lines.append(f"  warning: {s['warning']}")
    return lines


def check_lines(check: dict) -> list[str]:
    """One line per load case and check model of a sized design's check (``sizing.check``)."""
    lines = []
    for model, why in check.get("selection", {}).items():
        if why != "every load case":
            lines.append(f"  check ({model}) runs {', '.join(check['ran'][model])} only: {why}")
    for name, entry in check.get("load_cases", {}).items():
        for model, c in entry["models"].items():
            if "skipped" in c:
                continue
            tuned = "" if c.get("independent", True) else ", the tuned case: a consistency check"
            status = c.get("verdict", {}).get("status")
            junction = c["gpu_junction_max_K"]
            lines.append(
                f"  check {name} ({model}, one module{tuned}): "
                + (f"GPU junction max {junction:.1f} K, margin {c['margin_to_limit_K']:+.1f} K to the limit "
                   f"{c['gpu_junction_limit_K']:.1f} K ({c['margin_to_design_K']:+.1f} K to the design point); "
                   if junction is not None else "")
                + f"radiator {c['radiator_T_min_K']:.1f}-{c['radiator_T_max_K']:.1f} K"
                + (f"; {status}" if status else ""))
    return lines


def _radiator_only_lines(s: dict) -> list[str]:
    lines = [f"  sizing (radiator alone): {s['target']['heat_rejection_W'] / 1e3:,.1f} kW at "
             f"{s['radiator_temperature_K']:.1f} K needs {s['radiator_area_m2']:,.1f} m^2 of "
             f"{'two-sided' if s['two_sided'] else 'one-sided'} {s['radiator_coating']} panel "
             f"({s['radiator_absorbed_W_m2']:.1f} W/m^2 absorbed, {s['basis'].replace('_', '-')}), "
             f"{s['mass_kg']:,.0f} kg"]
    for model, c in s.get("check", {}).items():
        lines.append(f"  check ({model}): radiator max {c['radiator_T_max_K']:.1f} K against "
                     f"{c['sizing_radiator_temperature_K']:.1f} K sized ({'met' if c['met'] else 'EXCEEDED'})")
    return lines


def verdict_lines(summary: dict) -> list[str]:
    """The verdict, its violations, and one line per load case (``print_summary``)."""
    lines = []
    v = summary.get("verdict")
    if v:
        lines.append(f"  verdict: {v['status'].upper()} ({v['limits_checked']} limits checked"
                     + (f", {len(v['violations'])} missed)" if v["violations"] else ")"))
        for c in v["violations"]:
            lines.append(f"    {c['limit']}: {c['part']} in '{c['load_case']}' {shown(c['value'], c['unit'])} "
                         f"against {shown(c['limit_value'], c['unit'])}")
    load_cases = summary.get("load_cases") or {}
    width = max((len(name) for name in load_cases), default=0)
    for name, lc in load_cases.items():
        epoch = (lc["epoch"] or "")[:10]
        junction = lc["thermal"]["gpu_junction_max_K"]
        power = lc["power"] or {}
        lines.append(f"  load case {name:<{max(width, 12)}} {epoch:<10} {lc['verdict']['status']:<4}  eclipse "
                     f"{100 * lc['orbit'].get('eclipse_fraction', 0.0):4.1f} %"
                     + (f", GPU junction max {junction:.1f} K" if junction is not None else "")
                     + (f", energy margin {100 * power['energy_margin']:+.1f} %"
                        if power.get("energy_margin") is not None else ""))
    return lines

