"""``report.html``: a one-page, self-contained report of a results directory for a design review
(written by every solve; ``python -m thermal.report`` writes it again).

Rendered from the Jinja2 template ``templates/report.html.j2``, in this order: the verdict (pass or
fail over every limit in every load case, the binding limit, each load case's line), the inputs
that matter (case file and its hash, orbit and attitude, the loads, every coating with its solar
absorptivity at beginning and end of life and which the run used, the power system's nameplate
figures), the limits with value, limit and margin, the parts with their temperatures, power,
sizing, the plots and a 3D snapshot, then the run itself. A panel array's report (``spacecraft.kind:
panel_array``) shows the panel, its faces, substrate, chips and eclipse strategy as its inputs, and
its own section: the unit cell's temperatures over each load case's orbit in both models, the
junction swing and the cycles a year, mass and kW per tonne, costs and what the paper's claims need.

Every figure says its basis where two could differ: beginning (BOL) or end of life (EOL), one
module or all of them, the case's own epoch or the envelope over the load cases; e.g. the
battery's usable capacity at end of life beside its nameplate capacity, a sized module's mass
beside the mass of the parts the thermal model resolves. One temperature unit throughout
(``output.temperature_unit``, or ``--units`` of ``python -m thermal.report``; with K, degrees
Celsius in parentheses where they help); temperature differences in K.

The images (``power.png`` from the solve; ``temperatures.png``, ``energy.png``, ``sizing.png`` and
``snapshot.png`` drawn here from ``timeseries.csv`` and ``summary.json``, in the report's unit)
are embedded as base64 ``data:`` URIs, so the file alone shows them; they stay in the directory
too. A 3D snapshot that cannot be rendered (no OpenGL) is reported in the page instead of failing
the report. The inputs come from the case: the one the solve hands over, else the case file named
in ``summary.json`` when its sha256 is the run's; without it the page says so and shows what
``summary.json`` holds.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import math
from pathlib import Path

import numpy as np

from thermal.case.panels import PanelArrayCase
from thermal.core.constants import KELVIN_OFFSET
from thermal.outputs.plots import UNIT_LABEL, plot_energy, plot_sizing, plot_temperatures
from thermal.outputs.viewer import ViewError, attitude_of, in_eclipse, read_timeseries

REPORT_FILE = "report.html"
TEMPLATE = "report.html.j2"
ENERGY_PLOT = "energy.png"
SIZING_PLOT = "sizing.png"
SNAPSHOT = "snapshot.png"
#: The energy margin of a power system with nothing to carry (``power.energy_margin`` null).
NO_LOAD = "unbounded (no load)"
LIFE = {"end_of_life": "end of life (EOL)", "beginning_of_life": "beginning of life (BOL)"}


# --- numbers and temperatures -------------------------------------------------------------------

def _num(value, fmt: str = "{:.1f}", missing: str = "-") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return missing
    return fmt.format(value)


class Temperatures:
    """Temperatures written in one unit ('K' or 'degC'); with K, ``both`` adds degrees Celsius."""

    def __init__(self, unit: str):
        if unit not in UNIT_LABEL:
            raise ViewError(f"temperature unit must be one of {', '.join(UNIT_LABEL)}, got {unit!r}")
        self.unit, self.label = unit, UNIT_LABEL[unit]

    def value(self, T_K) -> str:
        """The number in the report's unit, without the unit."""
        if T_K is None or not math.isfinite(T_K):
            return "-"
        return f"{T_K - (KELVIN_OFFSET if self.unit == 'degC' else 0.0):.1f}"

    def __call__(self, T_K, both: bool = False) -> str:
        if T_K is None or not math.isfinite(T_K):
            return "-"
        text = f"{self.value(T_K)} {self.label}"
        if both and self.unit == "K":
            text += f" ({T_K - KELVIN_OFFSET:.1f} {UNIT_LABEL['degC']})"
        return text


def _life(value) -> str:
    return LIFE.get(value, str(value)) if value else "-"


# --- the case behind the results -----------------------------------------------------------------

def case_of(summary: dict):
    """The case of a results directory: the file named in ``summary.json`` (``case_path``) when it
    still hashes to the run's ``case_sha256``; (case or None, why not)."""
    path = summary.get("case_path")
    if not path or not Path(path).is_file():
        return None, "the case file is not at hand (summary.json names none, or it has moved)"
    if hashlib.sha256(Path(path).read_bytes()).hexdigest() != (summary.get("run") or {}).get("case_sha256"):
        return None, f"the case file {path} has changed since the run"
    from thermal.case import load_case
    try:
        return load_case(path), None
    except Exception as err:  # noqa: BLE001 - the report stands without its inputs
        return None, f"the case file {path} could not be read again: {err}"


# --- sections ------------------------------------------------------------------------------------

def _verdict(summary: dict) -> dict:
    v = summary.get("verdict") or {}
    status = v.get("status", "pass")
    checked = v.get("limits_checked")
    cases = len(summary.get("load_cases") or {}) or 1
    headline = (f"{checked} limit checks over {cases} load case(s)" if checked is not None else
                "no verdict in summary.json")
    headline = ("every limit met: " if status == "pass" else
                f"{len(v.get('violations') or [])} limit(s) missed: ") + headline
    violations = []
    for c in v.get("violations") or []:
        violations.append(f"{c.get('limit')} of {c.get('part')} in load case '{c.get('load_case')}': "
                          f"{_num(c.get('value'), '{:.4g}')} {c.get('unit', '')} against "
                          f"{_num(c.get('limit_value'), '{:.4g}')} {c.get('unit', '')}; {c.get('change', '')}")
    return {"passed": status == "pass", "headline": headline, "binding": v.get("binding"),
            "violations": violations}


def _load_cases(summary: dict, T: Temperatures) -> list[dict]:
    rows = []
    for name, c in (summary.get("load_cases") or {}).items():
        o, th, p = c.get("orbit") or {}, c.get("thermal") or {}, c.get("power") or {}
        status = (c.get("verdict") or {}).get("status", "-")
        margin = p.get("energy_margin")
        rows.append({"name": name, "epoch": (c.get("epoch") or "the case's own")[:10], "life": _life(c.get("life")),
                     "beta": _num(o.get("beta_deg"), "{:.1f} deg"),
                     "eclipse": _num(100 * o["eclipse_fraction"] if o.get("eclipse_fraction") is not None else None,
                                     "{:.1f} %"),
                     "junction": T(th.get("gpu_junction_max_K")),
                     "margin": _num(100 * margin if margin is not None else None, "{:+.1f} %",
                                    "-" if "energy_margin" not in p else NO_LOAD),
                     "status": status, "passed": status == "pass"})
    return rows


def _orbit_text(summary: dict) -> str:
    o = summary.get("orbit") or {}
    if not o.get("period_s"):
        return "deep space at 1 AU (sun only)"
    altitude = f"{o['altitude_m'] / 1e3:.0f} km, " if o.get("altitude_m") is not None else ""
    text = (f"circular, {altitude}period {o['period_s'] / 60:.1f} min, beta {_num(o.get('beta_deg'))} deg, eclipse "
            f"{(o.get('eclipse_duration_s') or 0) / 60:.1f} min ({100 * (o.get('eclipse_fraction') or 0):.1f} %)")
    if o.get("inclination_deg") is not None:
        text += f", inclination {o['inclination_deg']:.2f} deg"
    return text


def _compute_text(compute) -> str:
    gpu = compute.gpu
    per_gpu = gpu.tdp_W * compute.utilisation
    text = (f"{compute.count} x {gpu.name} at {100 * compute.utilisation:.0f} % of its {gpu.tdp_W:.0f} W TDP "
            f"= {compute.count * per_gpu / 1e3:,.2f} kW of GPUs, plus {compute.overhead_W / 1e3:,.2f} kW of other "
            f"electronics; schedule {compute.schedule}")
    if gpu.leakage is not None:
        text += f"; leakage {100 * gpu.leakage.per_kelvin:.2f} %/K above {gpu.leakage.reference_K:.1f} K"
    return text


def _coating_rows(case) -> tuple[list[dict], str]:
    from geometry.layout import part_list
    try:
        parts = part_list(case.spacecraft)
    except Exception:  # noqa: BLE001 - a spacecraft still to be sized has no part list of its own
        return [], ""
    by_coating: dict[str, dict] = {}
    for part in parts.parts:
        for side in part.sides:
            c = side.coating
            row = by_coating.setdefault(c.name, {"name": c.name, "sides": [], "bol": f"{c.absorptivity:.3f}",
                                                 "eol": _num(c.absorptivity_eol, "{:.3f}", "no data (as BOL)"),
                                                 "emissivity": f"{c.emissivity:.3f}"})
            row["sides"].append(side.name)
    for row in by_coating.values():
        row["sides"] = ", ".join(row["sides"])
    used = "end-of-life" if case.thermal.end_of_life else "beginning-of-life"
    return list(by_coating.values()), (f"The case's own run takes the {used} absorptivities "
                                       "(thermal.end_of_life); each load case states its own above.")


def _or(value, fmt: str, missing: str) -> str:
    return missing if value is None or (isinstance(value, float) and not math.isfinite(value)) else format(value, fmt)


def requirement_lines(r: dict) -> list[str]:
    """The tool's answer to the claims, from ``what_must_be_true``."""
    reach = "reachable" if r["junction_claim_reachable"] else "NOT reachable"
    sub = r["substrate_areal_mass_for_claim_kg_m2"]
    return [
        f"40 degC junction {reach}: the panel sits at {r['panel_mean_sun_K']:.1f} K in full normal sun whatever the "
        f"compute, its junction at least {r['junction_floor_K']:.1f} K",
        f"  it needs front absorptivity <= {r['max_front_absorptivity_for_claim']:.3f}, or emissivity front + back >= "
        + _or(r["min_emissivity_sum_for_claim"], ".3f", "(not reachable even at 2)")
        + (f", or chips of at most {r['max_chip_power_for_claim_W']:.1f} W each" if r["max_chip_power_for_claim_W"] > 0
           else "; no chip power helps (the panel alone is hotter than the claim)"),
        f"100 kW/t: this design gives {r['kW_per_tonne']:.1f} kW/t at its chips' power, "
        f"{r['supported_kW_per_tonne']:.1f} kW/t with the chips sized to the panel's own output (hot, end of "
        "life); 100 kW/t with chips so sized needs a cell efficiency of "
        + _or(r["cell_efficiency_for_claim"], ".3f", "(none: the chips' own mass per watt is too high)")
        + " (BOL), or a substrate of "
        + (f"{sub:.2f} kg/m^2" if sub is not None and sub > 0 else "(none: the other parts are too heavy)"),
    ]


# --- a panel array (spacecraft.kind: panel_array) --------------------------------------------------

def _panel_inputs(case, out: dict, T: Temperatures) -> None:
    """The panel array's inputs: the panel, its faces, substrate, chips and eclipse strategy."""
    p = case.panel
    c, s = p.chips, p.substrate
    out["loads"] += [
        ("panel", f"{p.size_m[0]:.3g} m x {p.size_m[1]:.3g} m ({p.area_m2:.3f} m²), output: {p.output}"),
        ("chips", f"{c.grid[0]} x {c.grid[1]} of {c.power_W:,.0f} W on {100 * c.footprint_m:.3g} cm squares, "
                  f"{c.junction_to_panel_K_W:g} K/W junction to panel, {c.mass_kg:g} kg each with its board"),
        ("chip junction limit", T(c.junction_limit_K, both=True)),
        ("substrate", f"{s.kind}, {s.conductivity_W_mK:,.0f} W/m/K in plane over {1e3 * s.thickness_m:g} mm, "
                      f"{s.areal_mass_kg_m2:g} kg/m²" + (f", transport limit {s.max_transport_W_m:g} W m"
                                                         if s.max_transport_W_m is not None else "")),
        ("eclipse strategy", case.eclipse.strategy + (f" at {100 * case.eclipse.throttle:.0f} %"
                                                      if case.eclipse.strategy == "throttled" else "")),
        ("compute target", _num(case.compute_target_W / 1e6 if case.compute_target_W else None, "{:,.3f} MW",
                                "one panel"))]
    out["coatings"] = [{"name": f"{side} face", "sides": "every panel", "bol": f"{f.absorptivity:.3f}",
                        "eol": f"{f.absorptivity_eol:.3f}", "emissivity": f"{f.emissivity:.3f}"}
                       for side, f in (("front (cells, cover glass)", p.front), ("back (chips)", p.back))]
    out["life_note"] = "The panel model takes the end-of-life absorptivities."
    out["power"] = [("cells", f"{p.cell.name}, {100 * p.cell.efficiency_bol:.1f} % at beginning of life, packing "
                              f"{p.packing_factor:.2f}, end of life after {case.mission_years:g} years"),
                    ("battery", "none" if case.eclipse.battery_cell is None else
                     f"{case.eclipse.battery_cell.name} on each panel, depth of discharge at most "
                     f"{100 * case.eclipse.max_depth_of_discharge:.0f} %")]


def _panel(summary: dict, T: Temperatures) -> dict | None:
    """The panel array's own section: the unit cell per load case in both models, junction swing
    and cycles, mass and kW per tonne, costs and what the paper's claims need."""
    pa = summary.get("panel_array")
    if not pa:
        return None
    cases = []
    for name, lc in pa["load_cases"].items():
        fe = (pa.get("fe") or {}).get(name)
        fe_text = "-" if fe is None else (
            f"{T.value(fe['junction_min_K'])} to {T.value(fe['junction_max_K'])}, swing {fe['junction_swing_K']:.1f} "
            f"K, hot spot {T.value(fe['hot_spot_max_K'])}, {fe['orbits']} orbits")
        cases.append({"name": name, "panel": f"{T.value(lc['panel_T_min_K'])} to {T.value(lc['panel_T_max_K'])}",
                      "junction": f"{T.value(lc['junction_min_K'])} to {T.value(lc['junction_max_K'])}",
                      "swing": f"{lc['junction_swing_K']:.1f} K", "fe": fe_text})
    c = pa.get("costs")
    vc = pa.get("vapor_chamber_utilisation")
    rows = [("junction swing per orbit, largest", f"{pa['junction_swing_max_K']:.1f} K"),
            ("thermal cycles a year (orbits with an eclipse)", f"{pa['thermal_cycles_per_year']:,.0f}"),
            ("vapor chamber", "solid spreader" if vc is None else f"{100 * vc:.0f} % of its transport limit"),
            ("array", f"{pa['panel_count']:,} panels ({pa['array_area_m2']:,.0f} m²) in {pa['satellite_count']:,} "
                      f"satellite(s) of {pa['panels_per_satellite']:,}, {pa['launches']} launch(es)"),
            ("mass", f"{pa['mass_kg'] / 1e3:,.1f} t for {pa['compute_power_W'] / 1e6:,.3f} MW of compute: "
                     f"{pa['kW_per_tonne']:.1f} kW/t"),
            ("one panel by part", ", ".join(f"{k} {v:.2f} kg" for k, v in pa["panel_mass_kg"].items()))]
    if c:
        rows.append(("cost", f"{c['usd_per_gpu_hour']:.2f} USD per chip-hour, {c['usd_per_kWh']:.3f} USD/kWh of "
                             f"compute (ground {c['ground_usd_per_gpu_hour']:.2f} USD per chip-hour)"))
    return {"cases": cases, "rows": rows, "claims": requirement_lines(pa["what_must_be_true"])}


def _inputs(case, why_not: str | None, summary: dict, directory: Path, T: Temperatures) -> dict:
    run = summary.get("run") or {}
    attitude, assumed = attitude_of(directory, summary)
    general = [("case", summary.get("case", directory.name)),
               ("case file", f"{summary.get('case_path') or '-'} (sha256 {run.get('case_sha256', '-')})"),
               ("orbit", _orbit_text(summary)),
               ("epoch of the case", ((summary.get("load_cases") or {}).get("case") or {}).get("epoch") or "-"),
               ("attitude", attitude + (" (assumed: not in summary.json, case file not found)" if assumed else "")),
               ("thermal model", (summary.get("thermal") or {}).get("model", "-"))]
    out = {"general": general, "loads": [], "coatings": [], "power": [], "life_note": "",
           "note": None if case is not None else f"Only what summary.json holds is shown: {why_not}."}
    if case is None:
        return out
    if case.orbit is not None and case.orbit.ltan_hours is not None:
        general.insert(3, ("sun-synchronous, local time of the ascending node", f"{case.orbit.ltan_hours:.2f} h"))
    if isinstance(case, PanelArrayCase):
        _panel_inputs(case, out, T)
        return out
    if case.compute is not None:
        out["loads"].append(("compute" + (" (per node: the sizing multiplies it)" if case.sizing else ""),
                             _compute_text(case.compute)))
        out["loads"].append(("GPU junction limit", T(case.compute.gpu.junction_limit_K, both=True)))
    for part, watts in case.thermal.dissipation_W.items():
        out["loads"].append((f"dissipation in {part}", f"{watts:,.1f} W"))
    for heater in case.thermal.heaters:
        out["loads"].append((f"heater on {heater.part}", f"{heater.power_W:,.1f} W below {T(heater.setpoint_K)}"))
    out["coatings"], out["life_note"] = _coating_rows(case)
    if case.power is not None and case.sizing is not None:   # the sizing replaces the case's areas and battery
        arrays, battery = case.power.arrays, case.power.battery
        out["power"] = [("solar array", f"{arrays.cell.name} ({arrays.pointing}); its area sized (see Sizing)"),
                        ("battery", f"{battery.cell.name}; its capacity sized (see Sizing, nameplate per module)")]
    elif case.power is not None:
        arrays, battery = case.power.arrays, case.power.battery
        out["power"] = [
            ("solar array", f"{arrays.area_m2:,.1f} m² of {arrays.cell.name} ({arrays.pointing}), "
                            f"end of life after {arrays.mission_years:g} years"),
            ("battery, nameplate (beginning of life)",
             _num(battery.capacity_Wh / 1e3 if battery.capacity_Wh else None, "{:,.1f} kWh", "sized") +
             f" of {battery.cell.name}, depth of discharge at most {100 * battery.max_depth_of_discharge:.0f} %"),
            ("life state of the power model", _life("end_of_life" if case.power.end_of_life else "beginning_of_life"))]
    return out


def _junction_basis(summary: dict) -> str:
    th = summary.get("thermal") or {}
    cases = summary.get("load_cases") or {}
    own = ((cases.get("case") or {}).get("thermal") or {}).get("gpu_junction_max_K")
    if not cases:
        return "maximum over the reported orbit"
    if own is not None and th.get("gpu_junction_max_K") == own:
        return "maximum over the reported orbit at the case's own epoch; each load case's in the verdict"
    return "maximum over the load cases"


def _limits(summary: dict, T: Temperatures) -> list[dict]:
    th = summary.get("thermal") or {}
    rows = []
    j, limit = th.get("gpu_junction_max_K"), th.get("gpu_junction_limit_K")
    if j is not None and limit is not None:
        rows.append({"quantity": "GPU junction", "basis": _junction_basis(summary), "value": T(j, both=True),
                     "limit": "≤ " + T(limit, both=True), "margin": f"{limit - j:+.1f} K", "met": j <= limit})
    envelope = "min and max over every load case" if summary.get("load_cases") else "min and max over the orbit"
    for name, lim in (th.get("limits") or {}).items():
        t = (th.get("parts") or {}).get(name, {})
        low, high = lim.get("min_K"), lim.get("max_K")
        has_low = low is not None and math.isfinite(low) and low > 0
        bound = " and ".join(b for b in (("≥ " + T(low)) if has_low else "",
                                         ("≤ " + T(high)) if high is not None else "") if b) or "-"
        margins = []
        if has_low and t.get("T_min_K") is not None:
            margins.append(f"{t['T_min_K'] - low:+.1f} K")
        if high is not None and t.get("T_max_K") is not None:
            margins.append(f"{high - t['T_max_K']:+.1f} K")
        rows.append({"quantity": f"{name} (min / max)", "basis": envelope,
                     "value": f"{T.value(t.get('T_min_K'))} / {T(t.get('T_max_K'))}", "limit": bound,
                     "margin": " / ".join(margins) or "-", "met": bool(lim.get("met"))})
    power = summary.get("power")
    if power is not None and "energy_margin" in power:
        margin = power["energy_margin"]   # null: nothing to carry (no load), the margin is unbounded
        shown = f"{100 * margin:+.1f} %" if margin is not None else NO_LOAD
        rows.append({"quantity": "orbit energy margin (generation / consumption - 1)",
                     "basis": f"the case's own epoch, {_life(power.get('life'))}", "value": shown,
                     "limit": "≥ 0 %", "margin": shown, "met": margin is None or margin >= 0})
    return rows


def _parts(summary: dict, T: Temperatures) -> dict:
    geometry = (summary.get("geometry") or {}).get("parts", {})
    thermal = (summary.get("thermal") or {}).get("parts", {})
    rows = []
    for name in list(geometry) + [n for n in thermal if n not in geometry]:
        g, t = geometry.get(name, {}), thermal.get(name, {})
        rows.append({"name": name, "role": g.get("role", "-" if g else "(network node)"),
                     "area": _num(g.get("area_m2"), "{:,.3f}"), "mass": _num(g.get("mass_kg"), "{:,.2f}"),
                     "T_min": T.value(t.get("T_min_K")), "T_max": T.value(t.get("T_max_K")),
                     "T_mean": T.value(t.get("T_mean_K"))})
    cases = list(summary.get("load_cases") or {})
    basis = ("T min and T max: the lowest and highest over every load case (" + ", ".join(cases) + ")"
             if cases else "T min and T max: extremes over the reported orbit")
    basis += (", in time and, where the model resolves it (finite elements), over the part; T mean: the time "
              "average of the part's mean" + (" at the case's own epoch." if cases else ".") +
              " Area: one side of a shell. Mass: the parts the thermal model resolves (panels, walls, boxes)")
    if summary.get("sizing"):
        basis += ", one module; the module's whole mass (compute, battery, heat transport, structure, margin) is " \
                 "in Sizing"
    basis += ". A network node without geometry (cold plates) has no area or mass here."
    area = sum(g.get("area_m2", 0.0) for g in geometry.values())
    mass = sum(g.get("mass_kg", 0.0) for g in geometry.values())
    return {"rows": rows, "area": f"{area:,.3f}", "mass": f"{mass:,.2f}", "basis": basis}


def _margin(power: dict, key: str) -> str:
    if key not in power:
        return "-"
    margin = power[key]
    return NO_LOAD if margin is None else _num(100 * margin, "{:+.1f}") + " %"


def _power(summary: dict, case) -> dict | None:
    p = summary.get("power")
    if not p:
        return None
    life = _life(p.get("life"))
    kw = "{:,.2f} kW"
    rows = [(f"array output, orbit average, {life}", _num(p.get("array_power_orbit_avg_W", 0) / 1e3, kw))]
    if p.get("array_power_orbit_avg_bol_W") is not None and p.get("life") == "end_of_life":
        rows.append(("array output, orbit average, beginning of life (BOL)",
                     _num(p["array_power_orbit_avg_bol_W"] / 1e3, kw)))
    rows += [("load, orbit average", _num(p.get("load_orbit_avg_W", 0) / 1e3, kw)),
             (f"energy margin, {life}", _margin(p, "energy_margin"))]
    if "energy_margin_bol" in p and p.get("life") == "end_of_life":
        rows.append(("energy margin, beginning of life (BOL)", _margin(p, "energy_margin_bol")))
    rows.append((f"battery state of charge, minimum, {life}", _num(p.get("battery_soc_min"), "{:.3f}")))
    nameplate = None
    if summary.get("sizing"):
        nameplate = (summary["sizing"].get("module") or summary["sizing"]).get("battery_capacity_Wh")
    elif case is not None and case.power is not None:
        nameplate = case.power.battery.capacity_Wh
    if p.get("battery_capacity_Wh") is not None:
        faded = p.get("life") == "end_of_life"
        label = ("battery capacity usable at end of life (after capacity fade), the power model's"
                 if faded else "battery capacity, beginning of life")
        rows.append((label, _num(p["battery_capacity_Wh"] / 1e3, "{:,.1f} kWh")))
    if nameplate is not None:
        rows.append(("battery capacity, nameplate (beginning of life)" + (", one module" if summary.get("sizing")
                                                                          else ""),
                     _num(nameplate / 1e3, "{:,.1f} kWh")))
    basis = ("One module of the sized design, its check run at the case's own epoch"
             if summary.get("sizing") else "The case's own epoch") + f", {life}."
    return {"rows": rows, "basis": basis}


def _sizing(summary: dict, T: Temperatures) -> dict | None:
    s = summary.get("sizing")
    if not s:
        return None
    m = s.get("module") or s
    count = s.get("module_count", 1)

    def row(label, key, scale=1.0, fmt="{:,.1f}"):
        return (label, _num(m.get(key) * scale if m.get(key) is not None else None, fmt),
                _num(s.get(key) * scale if s.get(key) is not None else None, fmt))

    rows = [row("GPUs", "gpu_count", 1.0, "{:,.0f}"), row("compute power [MW]", "compute_power_W", 1e-6, "{:,.3f}"),
            row("heat rejection [MW]", "heat_rejection_W", 1e-6, "{:,.3f}"),
            row("radiator area [m²]", "radiator_area_m2", 1.0, "{:,.0f}"),
            row("solar array area [m²]", "array_area_m2", 1.0, "{:,.0f}"),
            row("battery capacity, nameplate (BOL) [kWh]", "battery_capacity_Wh", 1e-3, "{:,.0f}"),
            row("mass, all subsystems and margin [t]", "mass_kg", 1e-3, "{:,.1f}")]
    notes = [("radiator temperature (design)", T(s.get("radiator_temperature_K")))]
    if s.get("launch_cost_usd") is not None:
        notes.append(("launch", f"{s.get('launch_count', '?')} x {s.get('launch_vehicle', '?')}, "
                                f"{s['launch_cost_usd'] / 1e6:,.1f} M USD in all"))
    check = s.get("check") or {}
    for name, entry in check.get("load_cases", {}).items():   # a sized design: per load case and model
        for model, c in entry["models"].items():
            if "skipped" in c or c.get("gpu_junction_max_K") is None:
                continue
            role = "" if c.get("independent", True) else ", tuned: consistency check"
            status = c.get("verdict", {}).get("status", "pass" if c.get("met") else "fail")
            notes.append((f"check {name} ({model}{role}), {_life(entry.get('life'))}",
                          f"GPU junction max {T(c['gpu_junction_max_K'])}, limit {T(c['gpu_junction_limit_K'])}, "
                          f"radiator min {T(c['radiator_T_min_K'])}: {'met' if status == 'pass' else 'MISSED'}"))
    for key, why in (s.get("binding") or {}).items():
        notes.append((f"binding: {key}", why))
    basis = (f"Per module and for all {count} module(s). The battery is sized at its nameplate (beginning-of-life) "
             "capacity; the power section shows what is left of it at end of life.")
    return {"rows": rows, "notes": notes, "count": f"{count:,}", "basis": basis}


def _figure(directory: Path, file: str, caption: str) -> dict:
    """An image of the directory as a ``data:`` URI with its pixel size."""
    from PIL import Image
    data = (directory / file).read_bytes()
    with Image.open(directory / file) as image:
        width, height = image.size
    return {"src": "data:image/png;base64," + base64.b64encode(data).decode("ascii"), "caption": caption,
            "width": width, "height": height}


def _plot_temperatures(directory: Path, summary: dict, columns: dict, unit: str) -> None:
    """``temperatures.png`` from ``timeseries.csv`` and the limits of ``summary.json``, in `unit`."""
    th = summary.get("thermal") or {}
    parts = {k.removesuffix("_T_mean_K"): v for k, v in columns.items() if k.endswith("_T_mean_K")}
    limits = {name: (lim.get("min_K") or 0.0, lim["max_K"] if lim.get("max_K") is not None else math.inf)
              for name, lim in (th.get("limits") or {}).items()}
    t = columns["time_s"]
    plot_temperatures(directory / "temperatures.png", t, parts, columns.get("gpu_junction_K"), in_eclipse(summary, t),
                      limits, f"{summary.get('case', directory.name)}: part temperatures ({th.get('model', '?')} "
                      "model)", unit=unit, junction_limit_K=th.get("gpu_junction_limit_K"))


def _figures(directory: Path, summary: dict, columns: dict, T: Temperatures) -> list[dict]:
    name = summary.get("case", directory.name)
    cases = summary.get("load_cases") or {}
    epoch = "the case's own epoch" + (f" ({cases['case'].get('epoch', '')[:10]})" if "case" in cases else "")
    power = summary.get("power") or {}
    figures = []
    t = columns["time_s"]
    if t.size > 1:
        _plot_temperatures(directory, summary, columns, T.unit)
        figures.append(_figure(directory, "temperatures.png", (
            f"Part temperatures (each part's mean, {T.label}) and the GPU junction over the reported orbit at "
            f"{epoch}; the GPU junction limit (solid red) and the part limits (dotted) drawn; eclipses shaded.")))
    if (directory / "power.png").is_file() and (directory / "power.png").stat().st_size > 0:
        figures.append(_figure(directory, "power.png", (
            f"Solar array output and load at {epoch}, {_life(power.get('life'))}, on an axis from zero; the "
            "battery's state of charge on the right axis.")))
    if all(k in columns for k in ("absorbed_W", "generated_W", "emitted_W", "stored_rate_W")):
        plot_energy(directory / ENERGY_PLOT, t, columns["absorbed_W"], columns["generated_W"], columns["emitted_W"],
                    columns["stored_rate_W"], in_eclipse(summary, t), f"{name}: energy audit (whole spacecraft)",
                    columns.get("electric_W"))
        figures.append(_figure(directory, ENERGY_PLOT, (
            f"Energy audit of the whole spacecraft at {epoch}: absorbed, generated, emitted and the rate of change "
            "of stored heat (eclipses shaded).")))
    for lc in (summary.get("panel_array") or {}).get("load_cases", {}):   # the unit cell in both models
        if (directory / f"temperatures_{lc}.png").is_file():
            figures.append(_figure(directory, f"temperatures_{lc}.png", (
                f"One panel over the orbit of load case {lc} (K): its mean and the point under a chip (network), "
                "the chip junction of the network (dashed) and of the finite-element unit cell where it ran; "
                "the junction limit drawn, eclipses shaded.")))
    if summary.get("sizing"):
        plot_sizing(directory / SIZING_PLOT, summary["sizing"], f"{name}: sized design")
        figures.append(_figure(directory, SIZING_PLOT, "The sized design, one module: mass breakdown (all "
                                                      "subsystems and margin) and areas; nameplate battery."))
    return figures


def _snapshot(directory: Path, snapshot: bool, unit: str, shown: Path) -> dict:
    if not snapshot:
        return {"figure": None, "note": "Not rendered (a network run's results hold no drawing of the parts, or "
                f"--no-snapshot): python -m thermal.view {shown} --screenshot FILE.png draws it."}
    try:
        from thermal.outputs import viewer as view
        results = view.load_results(directory)
        t = view.hottest_time_s(results)
        info = view.screenshot(results, directory / SNAPSHOT, t, unit, window_size=(1100, 700))
    except Exception as err:  # noqa: BLE001 - no OpenGL, no mesh: the report still stands without it
        (directory / SNAPSHOT).unlink(missing_ok=True)
        return {"figure": None, "note": f"The 3D snapshot could not be rendered: {type(err).__name__}: {err}"}
    why = "the GPU junction maximum" if "gpu_junction_K" in results.columns and \
        np.any(np.isfinite(results.columns["gpu_junction_K"])) else "the hottest temperature drawn"
    lo, hi = info["scalar_range"]
    label = UNIT_LABEL[unit]
    caption = (f"The spacecraft at t = {t:.0f} s ({t / 60:.1f} min) into the reported orbit at the case's own "
               f"epoch, the time of {why}; colour range {lo:.1f} to {hi:.1f} {label}, the extremes over the orbit. "
               f"Arrows: sun and Earth (nadir) in body axes. Same picture: python -m thermal.view {shown} "
               f"--time {t:.0f} --screenshot FILE.png")
    return {"figure": _figure(directory, SNAPSHOT, caption), "note": None}


def _run_rows(summary: dict, shown: Path) -> list[tuple[str, str]]:
    run = summary.get("run") or {}
    th = summary.get("thermal") or {}
    return [("version", str(run.get("version", "?"))),
            ("size", f"{run.get('dofs', '?')} unknowns, {run.get('steps', '?')} steps, "
                     f"{_num(run.get('wall_time_s'), '{:.1f}')} s"),
            ("energy balance error", _num(th.get("energy_balance_error"), "{:.2e}")),
            ("results directory", str(shown))]


def _template():
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    return env.get_template(TEMPLATE)


def write_report(results_dir: str | Path, *, snapshot: bool = True, units: str | None = None,
                 shown_as: str | Path | None = None, case=None) -> Path:
    """Write ``report.html`` (and ``energy.png``, ``sizing.png``, ``snapshot.png``) into a
    results directory; return the HTML's path.

    units: 'K' or 'degC'; None takes the case's ``output.temperature_unit`` (K without a case).
    shown_as: the directory's name in the page when it differs from `results_dir`, e.g. the
    final results directory while thermal.solve writes into its staging directory.
    case: the :class:`thermal.case.model.Case` of the run (the solve hands it over); None reads
    the case file ``summary.json`` names, if it is still the one that ran."""
    directory = Path(results_dir)
    shown = Path(shown_as) if shown_as is not None else directory
    summary_path = directory / "summary.json"
    if not summary_path.is_file():
        raise ViewError(f"{directory} is not a complete results directory (no summary.json)")
    summary = json.loads(summary_path.read_text())
    why_not = None
    if case is None:
        case, why_not = case_of(summary)
    unit = units or (case.output.temperature_unit if case is not None else "K")
    T = Temperatures(unit)
    columns = read_timeseries(directory / "timeseries.csv")
    context = {
        "name": summary.get("case", directory.name), "shown": str(shown), "tool": "python -m thermal.report",
        "when": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "unit": unit, "unit_label": T.label,
        "verdict": _verdict(summary), "load_cases": _load_cases(summary, T),
        "inputs": _inputs(case, why_not, summary, directory, T), "limits": _limits(summary, T),
        "parts": _parts(summary, T), "power": _power(summary, case), "sizing": _sizing(summary, T),
        "panel": _panel(summary, T),
        "figures": _figures(directory, summary, columns, T), "snapshot": _snapshot(directory, snapshot, unit, shown),
        "run": _run_rows(summary, shown)}
    out = directory / REPORT_FILE
    out.write_text(_template().render(**context))
    return out
