"""A one-page HTML report of a results directory (written by every solve; ``python -m thermal.report``
writes it again).

``report.html`` is written beside its images so the directory can be zipped and read without the
tool: the case (name, sha256 of the case file, thermal model, orbit), the part table (area, mass,
T min/max/mean), the limits met or missed (GPU junction against its limit, part limits), the
plots of the solve (``temperatures.png``, ``power.png``), two plots made here (``energy.png``:
the energy audit; ``sizing.png``: mass breakdown and areas, for a sized case) and a 3D snapshot
(``snapshot.png``, :mod:`thermal.outputs.viewer` at the hottest time: the GPU junction maximum, or the
hottest drawn temperature without GPUs). Every image the page references exists; a 3D snapshot
that cannot be rendered (no OpenGL) is reported in the page instead of failing the report.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
from pathlib import Path

import numpy as np

from thermal.core.constants import KELVIN_OFFSET
from thermal.outputs.plots import plot_energy, plot_sizing
from thermal.outputs.viewer import ViewError, attitude_of, in_eclipse, read_timeseries

REPORT_FILE = "report.html"
ENERGY_PLOT = "energy.png"
SIZING_PLOT = "sizing.png"
SNAPSHOT = "snapshot.png"
#: The energy margin of a power system with nothing to carry (``power.energy_margin`` null).
NO_LOAD = "unbounded (no load)"
SOLVE_PLOTS = (("temperatures.png", "Part temperatures over the reported orbit (eclipses shaded, limits "
                "drawn)"), ("power.png", "Solar array output, load and battery state of charge"))


# --- the page ------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:1.5em auto;
padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em;border-bottom:2px solid #444;padding-bottom:.2em}
h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #bbb}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f0f0f0}
td.l,th.l{text-align:left}
.met{color:#176b2c;font-weight:600}.missed{color:#b00020;font-weight:700}
figure{margin:.8em 0}figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:.88em;color:#555}
code{background:#f4f4f4;padding:0 .2em}
.small{font-size:.85em;color:#555}
"""


def _e(value) -> str:
    return html.escape(str(value))


def _num(value, fmt: str = "{:.1f}", missing: str = "-") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return missing
    return fmt.format(value)


def _table(headers: list[str], rows: list[list[str]], left: int = 1) -> str:
    head = "".join(f'<th class="l">{_e(h)}</th>' if k < left else f"<th>{_e(h)}</th>" for k, h in enumerate(headers))
    head = f"<tr>{head}</tr>" if any(headers) else ""
    body = "".join("<tr>" + "".join(f'<td class="l">{c}</td>' if k < left else f"<td>{c}</td>"
                                    for k, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>{head}{body}</table>"


def _status(met: bool) -> str:
    return '<span class="met">met</span>' if met else '<span class="missed">MISSED</span>'


def _figure(src: str, caption: str) -> str:
    return f'<figure><img src="{_e(src)}" alt="{_e(caption)}"><figcaption>{_e(caption)}</figcaption></figure>'


def _case_section(summary: dict, directory: Path, shown: Path) -> str:
    run = summary.get("run") or {}
    th = summary.get("thermal") or {}
    o = summary.get("orbit") or {}
    if o.get("period_s"):
        altitude = f"{o['altitude_m'] / 1e3:.0f} km, " if o.get("altitude_m") is not None else ""
        orbit = (f"circular, {altitude}"
                 f"period {o['period_s'] / 60:.1f} min, beta {_num(o.get('beta_deg'))} deg, eclipse "
                 f"{(o.get('eclipse_duration_s') or 0) / 60:.1f} min ({100 * (o.get('eclipse_fraction') or 0):.1f} %)")
        if o.get("inclination_deg") is not None:
            orbit += f", inclination {o['inclination_deg']:.2f} deg"
    else:
        orbit = "deep space at 1 AU (sun only)"
    rows = [["case", _e(summary.get("case", directory.name))],
            ["case file sha256", f"<code>{_e(run.get('case_sha256', '-'))}</code>"],
            ["thermal model", _e(th.get("model", "-"))],
            ["orbit", _e(orbit)]]
    attitude, assumed = attitude_of(directory, summary)
    note = " (assumed: not in summary.json, case file not found)" if assumed else ""
    rows.append(["attitude", _e(attitude + note)])
    rows += [["energy balance error", _e(_num(th.get("energy_balance_error"), "{:.2e}"))],
             ["run", _e(f"version {run.get('version', '?')}, {run.get('dofs', '?')} unknowns, {run.get('steps', '?')} "
                        f"steps, {_num(run.get('wall_time_s'), '{:.1f}')} s")],
             ["results directory", f"<code>{_e(shown)}</code>"]]
    return "<h2 id=\"case\">Case</h2>" + _table(["", ""], rows, left=2)


def _parts_section(summary: dict) -> str:
    geometry = (summary.get("geometry") or {}).get("parts", {})
    thermal = (summary.get("thermal") or {}).get("parts", {})
    rows = []
    for name in list(geometry) + [n for n in thermal if n not in geometry]:
        g, t = geometry.get(name, {}), thermal.get(name, {})
        rows.append([_e(name), _e(g.get("role", "-" if g else "(network node)")), _num(g.get("area_m2"), "{:.3f}"),
                     _num(g.get("mass_kg"), "{:.2f}"), _num(t.get("T_min_K")), _num(t.get("T_max_K")),
                     _num(t.get("T_mean_K")),
                     _num(t.get("T_max_K") - KELVIN_OFFSET if t.get("T_max_K") is not None else None)])
    total_area = sum(g.get("area_m2", 0.0) for g in geometry.values())
    total_mass = sum(g.get("mass_kg", 0.0) for g in geometry.values())
    rows.append(["<b>total</b>", "", f"<b>{total_area:.3f}</b>", f"<b>{total_mass:.2f}</b>", "", "", "", ""])
    return ("<h2 id=\"parts\">Summary: parts and temperatures</h2>"
            + _table(["part", "role", "area [m^2]", "mass [kg]", "T min [K]", "T max [K]", "T mean [K]",
                      "T max [degC]"], rows, left=2)
            + '<p class="small">Area: one side of a shell. T min / T max: extremes over the reported orbit, in '
              "time and, where the model resolves it (finite elements), over the part; T mean: time average of "
              "the part's mean. A network node without geometry (cold plates) has no area or mass here.</p>")


def _limits_section(summary: dict) -> tuple[str, bool]:
    th = summary.get("thermal") or {}
    rows, all_met = [], True
    j, limit = th.get("gpu_junction_max_K"), th.get("gpu_junction_limit_K")
    if j is not None and limit is not None:
        met = j <= limit
        all_met &= met
        rows.append(["GPU junction (max over the orbit)", f"{j:.1f} K ({j - KELVIN_OFFSET:.1f} degC)",
                     f"&le; {limit:.1f} K ({limit - KELVIN_OFFSET:.1f} degC)", f"{limit - j:+.1f} K", _status(met)])
    for name, lim in (th.get("limits") or {}).items():
        t = (th.get("parts") or {}).get(name, {})
        low, high, met = lim.get("min_K"), lim.get("max_K"), bool(lim.get("met"))
        all_met &= met
        bound = " and ".join(b for b in ((f"&ge; {low:.1f} K" if low is not None and math.isfinite(low) and low > 0
                                         else ""), (f"&le; {high:.1f} K" if high is not None else "")) if b) or "-"
        margins = []
        if low is not None and t.get("T_min_K") is not None and low > 0:
            margins.append(f"{t['T_min_K'] - low:+.1f} K")
        if high is not None and t.get("T_max_K") is not None:
            margins.append(f"{high - t['T_max_K']:+.1f} K")
        rows.append([_e(f"{name} (min / max)"), f"{_num(t.get('T_min_K'))} / {_num(t.get('T_max_K'))} K", bound,
                     " / ".join(margins) or "-", _status(met)])
    power = summary.get("power")
    if power is not None and "energy_margin" in power:
        margin = power["energy_margin"]   # null: nothing to carry (no load), the margin is unbounded
        met = margin is None or margin >= 0
        all_met &= met
        shown = f"{100 * margin:+.1f} %" if margin is not None else NO_LOAD
        rows.append(["orbit energy margin (generation / consumption - 1)", shown, "&ge; 0 %", shown, _status(met)])
    if not rows:
        return ("<h2 id=\"limits\">Limits</h2><p>No limits are set for this case (no GPUs, no "
                "<code>thermal.limits</code>).</p>"), True
    verdict = ('<p class="met">All limits met.</p>' if all_met
               else '<p class="missed">Limits missed: see the rows marked MISSED.</p>')
    return ("<h2 id=\"limits\">Limits</h2>" + verdict
            + _table(["quantity", "value", "limit", "margin", "status"], rows)), all_met


def _margin(power: dict) -> str:
    if "energy_margin" not in power:
        return "-"
    margin = power["energy_margin"]
    return NO_LOAD if margin is None else _num(100 * margin, "{:+.1f}") + " %"


def _power_section(summary: dict) -> str:
    p = summary.get("power")
    if not p:
        return ""
    rows = [["array output, orbit average", _num(p.get("array_power_orbit_avg_W", 0) / 1e3, "{:.2f}") + " kW"],
            ["load, orbit average", _num(p.get("load_orbit_avg_W", 0) / 1e3, "{:.2f}") + " kW"],
            ["energy margin", _margin(p)],
            ["battery state of charge, minimum", _num(p.get("battery_soc_min"), "{:.3f}")]]
    if p.get("battery_capacity_Wh") is not None:
        rows.append(["battery capacity", _num(p["battery_capacity_Wh"] / 1e3, "{:.1f}") + " kWh"])
    return "<h2 id=\"power\">Power</h2>" + _table(["", ""], rows)


def _sizing_section(summary: dict, plot: str | None) -> str:
    s = summary.get("sizing")
    if not s:
        return ""
    m = s.get("module") or s
    rows = [["modules", _e(s.get("module_count", 1))],
            ["GPUs (total)", _e(s.get("gpu_count", "-"))],
            ["compute power", _num((s.get("compute_power_W") or 0) / 1e6, "{:.3f}") + " MW"],
            ["heat rejection", _num((s.get("heat_rejection_W") or 0) / 1e6, "{:.3f}") + " MW"],
            ["radiator area (total)", _num(s.get("radiator_area_m2"), "{:,.0f}") + " m^2"],
            ["radiator temperature", _num(s.get("radiator_temperature_K")) + " K"],
            ["solar array area (total)", _num(s.get("array_area_m2"), "{:,.0f}") + " m^2"],
            ["battery capacity (total)", _num((s.get("battery_capacity_Wh") or 0) / 1e3, "{:,.0f}") + " kWh"],
            ["mass (total)", _num((s.get("mass_kg") or 0) / 1e3, "{:,.1f}") + " t"],
            ["mass per module", _num((m.get("mass_kg") or 0) / 1e3, "{:,.1f}") + " t"]]
    if s.get("launch_cost_usd") is not None:
        rows.append(["launch", f"{_e(s.get('launch_count', '?'))} x {_e(s.get('launch_vehicle', '?'))}, "
                               f"{s['launch_cost_usd'] / 1e6:,.1f} M USD"])
    check = s.get("check") or {}
    for name, entry in check.get("load_cases", {}).items():   # a sized design: per load case and model
        for model, c in entry["models"].items():
            if "skipped" in c or c.get("gpu_junction_max_K") is None:
                continue
            role = "" if c.get("independent", True) else ", tuned: consistency check"
            status = c.get("verdict", {}).get("status", "pass" if c.get("met") else "fail")
            rows.append([_e(f"check {name} ({model}{role})"),
                         f"GPU junction max {c['gpu_junction_max_K']:.1f} K, limit {c['gpu_junction_limit_K']:.1f} K, "
                         f"radiator min {c['radiator_T_min_K']:.1f} K: " + _status(status == "pass")])
    for key, why in (s.get("binding") or {}).items():
        rows.append([_e(f"binding: {key}"), _e(why)])
    body = "<h2 id=\"sizing\">Sizing</h2>" + _table(["", ""], rows)
    if plot:
        body += _figure(plot, "Sized module: mass breakdown and areas")
    return body


def write_report(results_dir: str | Path, *, snapshot: bool = True, units: str = "K",
                 shown_as: str | Path | None = None) -> Path:
    """Write ``report.html`` (and ``energy.png``, ``sizing.png``, ``snapshot.png``) into a
    results directory; return the HTML's path.

    shown_as: the directory's name in the page when it differs from `results_dir`, e.g. the
    final results directory while thermal.solve writes into its staging directory."""
    directory = Path(results_dir)
    shown = Path(shown_as) if shown_as is not None else directory
    summary_path = directory / "summary.json"
    if not summary_path.is_file():
        raise ViewError(f"{directory} is not a complete results directory (no summary.json)")
    summary = json.loads(summary_path.read_text())
    columns = read_timeseries(directory / "timeseries.csv")
    name = summary.get("case", directory.name)
    t = columns["time_s"]
    figures = []
    for file, caption in SOLVE_PLOTS:
        if (directory / file).is_file() and (directory / file).stat().st_size > 0:
            figures.append(_figure(file, caption))
    if all(k in columns for k in ("absorbed_W", "generated_W", "emitted_W", "stored_rate_W")):
        plot_energy(directory / ENERGY_PLOT, t, columns["absorbed_W"], columns["generated_W"], columns["emitted_W"],
                    columns["stored_rate_W"], in_eclipse(summary, t), f"{name}: energy audit (whole spacecraft)",
                    columns.get("electric_W"))
        figures.append(_figure(ENERGY_PLOT, "Energy audit: absorbed, generated, emitted and the rate of change "
                                            "of stored heat (eclipses shaded)"))
    sizing_plot = None
    if summary.get("sizing"):
        plot_sizing(directory / SIZING_PLOT, summary["sizing"], f"{name}: sized design")
        sizing_plot = SIZING_PLOT
    snapshot_html = _snapshot_section(directory, snapshot, units, shown)
    limits_html, all_met = _limits_section(summary)
    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{_e(name)}: thermal report</title><style>{_CSS}</style></head><body>",
            f"<h1>{_e(name)}: thermal report</h1>",
            f'<p class="small">Generated {when} by <code>python -m thermal.report</code> from the results in '
            f"<code>{_e(shown)}</code>. Verdict: " + ('<span class="met">all limits met</span>' if all_met
                                                          else '<span class="missed">limits missed</span>') + ".</p>",
            _case_section(summary, directory, shown), _parts_section(summary), limits_html, _power_section(summary),
            _sizing_section(summary, sizing_plot),
            "<h2 id=\"plots\">Plots</h2>" + ("".join(figures) if figures else "<p>No time series to plot (steady "
                                                                             "state).</p>"),
            snapshot_html, "</body></html>"]
    out = directory / REPORT_FILE
    out.write_text("\n".join(p for p in page if p) + "\n")
    return out


def _snapshot_section(directory: Path, snapshot: bool, units: str, shown: Path) -> str:
    head = "<h2 id=\"snapshot\">3D snapshot</h2>"
    if not snapshot:
        return head + ("<p>Not rendered (a network run's results hold no drawing of the parts, or "
                       f"<code>--no-snapshot</code>): <code>python -m thermal.view {_e(shown)} --screenshot "
                       "FILE.png</code> draws it.</p>")
    try:
        from thermal.outputs import viewer as view
        results = view.load_results(directory)
        t = view.hottest_time_s(results)
        info = view.screenshot(results, directory / SNAPSHOT, t, units, window_size=(1100, 700))
    except Exception as err:  # noqa: BLE001 - no OpenGL, no mesh: the report still stands without it
        (directory / SNAPSHOT).unlink(missing_ok=True)
        return head + f"<p>The 3D snapshot could not be rendered: {_e(type(err).__name__)}: {_e(err)}</p>"
    why = "the GPU junction maximum" if "gpu_junction_K" in results.columns and \
        np.any(np.isfinite(results.columns["gpu_junction_K"])) else "the hottest temperature drawn"
    lo, hi = info["scalar_range"]
    caption = (f"The spacecraft at t = {t:.0f} s ({t / 60:.1f} min) into the reported orbit, the time of {why}; "
               f"colour range {lo:.1f} to {hi:.1f} {units}, the extremes over the orbit. Arrows: sun and Earth "
               f"(nadir) in body axes. Same picture: python -m thermal.view {shown} --time {t:.0f} "
               f"--screenshot FILE.png")
    return head + _figure(SNAPSHOT, caption)

