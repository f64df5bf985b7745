"""``summary.json``: one typed schema, filled from a :class:`thermal.simulation.Run` in one place.

:func:`summarize` turns a run into a :class:`Summary` (frozen dataclasses, SI units in the key
names); :meth:`Summary.to_dict` gives the JSON document of the contract (``CASE_FORMAT.md``):

- ``tool``: this tool's name and version (how a results folder is recognised as the tool's own);
- ``case``, ``case_path``, ``attitude``;
- ``geometry.parts``: area (one side) and mass of every part;
- ``orbit``: period, beta, eclipse fraction and duration (or ``deep_space``);
- ``thermal``: per part T_min/T_max/T_mean (with radiation exchange also the orbit-average shadow
  fraction and the effective sink temperature, and ``thermal.view_factors``: part to part and to
  space with their Monte Carlo errors), GPU junction and cold plate, energy balance error,
  part limits (``thermal.limits`` and the battery's operating range), the heat transport's
  figures (pump power, heat-pipe utilisation, the loop's conductances and coolant figures); with a
  GPU leakage law, the leakage power of all GPUs (orbit average and maximum) and the law;
- ``power`` (a power section), ``sizing`` (a sizing block): as the power model and the sizing
  report them, each of the sizing's check runs with its verdict (every limit and its margin);
- ``run``: version, case hash, unknowns, steps, orbits, wall time, and under ``run.solver`` the
  numerics of the model that ran;
- for a panel array (``spacecraft.kind: panel_array``, filled by
  :func:`thermal.outputs.panels.summarize_panels`): the same keys with the panel as the one part,
  ``spacecraft_kind: panel_array`` and the ``panel_array`` section (:class:`PanelArraySummary`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA
from thermal.core.tool import TOOL_NAME, VERSION
from thermal.exchange import by_part, part_view_factors
from thermal.orbit import eclipse_duration_s
from thermal.simulation import Run
from thermal.verdict import Verdict, battery_range_K, check_label, coolant_range, judge_all


@dataclass(frozen=True)
class PartGeometry:
    area_m2: float                 # one side, for shells
    mass_kg: float
    role: str


@dataclass(frozen=True)
class OrbitSummary:
    period_s: float | None
    beta_deg: float | None
    eclipse_fraction: float
    eclipse_duration_s: float
    altitude_m: float | None = None
    solar_distance_au: float | None = None
    inclination_deg: float | None = None
    deep_space: bool = False


@dataclass(frozen=True)
class PartTemperatures:
    T_min_K: float
    T_max_K: float
    T_mean_K: float
    # with radiation exchange (solver.radiation_exchange): the share of the direct sun the other parts
    # block, orbit average (None: the part sees no sun), and the effective radiative sink it sees
    shadow_fraction_orbit_avg: float | None = None
    sink_temperature_K: float | None = None


@dataclass(frozen=True)
class LimitStatus:
    min_K: float
    max_K: float | None            # None: no upper limit
    met: bool


@dataclass(frozen=True)
class ThermalSummary:
    model: str
    parts: dict[str, PartTemperatures]
    gpu_junction_max_K: float | None
    cold_plate_max_K: float | None
    energy_balance_error: float
    limits: dict[str, LimitStatus]
    pump_power_W: float
    heat_pipe_utilisation: float | None
    loop_conductance_W_K: dict[str, float]
    coolant_capacity_rate_W_K: float | None
    coolant: dict[str, float]      # the coolant's figures a model resolves (the FE loop)
    gpu_junction_limit_K: float | None
    gpu_junction_margin_K: float | None
    heaters: dict[str, dict] = field(default_factory=dict)     # part -> heater figures (heater_figures)
    coolant_range: dict | None = None     # thermal.verdict.CoolantRange.as_dict() over the load cases
    gpu_leakage: dict | None = None    # the leakage power of all GPUs and the law (a GPU with a leakage law)
    view_factors: dict | None = None   # thermal.exchange.part_view_factors (solver.radiation_exchange)


@dataclass(frozen=True)
class RunSummary:
    version: str
    case_sha256: str
    dofs: int
    steps: int
    orbits: int
    wall_time_s: float
    solver: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PanelLoadCaseSummary:
    """``panel_array.load_cases.<name>``: one load case of the panel's network model."""

    epoch: str
    beta_deg: float
    eclipse_s: float
    panel_T_min_K: float
    panel_T_max_K: float
    junction_max_K: float
    junction_min_K: float
    junction_swing_K: float
    hot_spot_max_K: float
    electric_available_max_W: float
    energy_margin: float | None
    energy_balance_error: float


@dataclass(frozen=True)
class PanelFESummary:
    """``panel_array.fe.<load case>``: the FE unit cell over its periodic orbit beside the network's."""

    junction_max_K: float
    junction_min_K: float
    junction_swing_K: float
    network_junction_max_K: float
    network_junction_min_K: float
    network_junction_swing_K: float
    hot_spot_max_K: float           # the cell's hottest point (under the chip)
    network_hot_spot_max_K: float
    coldest_K: float                # the cell's coldest point over the orbit (its corners, in eclipse)
    network_panel_min_K: float
    energy_balance_error: float
    orbits: int
    orbit_to_orbit_change_K: float
    steps: int
    dofs: int


@dataclass(frozen=True)
class PanelArraySummary:
    """``summary.json`` → ``panel_array`` (a panel-array run, ``spacecraft.kind: panel_array``):
    one panel [m^2, W], its load cases (:class:`PanelLoadCaseSummary`), the FE unit cell beside the
    network per load case (:class:`PanelFESummary`), the junction's maximum and swing [K] and the
    cycles a year, the vapor chamber's utilisation, the battery [Wh], the array's panels,
    satellites, area, mass by part [kg], compute [W], kW per tonne, launches, costs [USD] and what
    the paper's claims need (:class:`thermal.sizing.panels.Requirements`)."""

    panel_area_m2: float
    chips_per_panel: int
    chip_power_W: float
    chip_power_density_W_cm2: float
    load_cases: dict[str, PanelLoadCaseSummary]
    junction_max_K: float
    junction_swing_max_K: float
    thermal_cycles_per_year: float
    vapor_chamber_utilisation: float | None
    battery_capacity_per_panel_Wh: float
    eclipse_strategy: str
    panel_count: int
    panels_per_satellite: int
    satellite_count: int
    array_area_m2: float
    panel_mass_kg: dict
    mass_kg: float
    mass_breakdown_kg: dict
    compute_power_W: float
    kW_per_tonne: float
    launches: int
    costs: dict | None
    fe: dict[str, PanelFESummary]
    what_must_be_true: dict


@dataclass(frozen=True)
class Summary:
    """The typed ``summary.json`` of a run (:func:`summarize`; ``to_dict()`` is the file): the
    verdict, the parts' areas [m^2] and masses [kg], the orbit (period [s], beta [deg], eclipse),
    the temperatures [K] with the GPU junction and the limits, the power system [W, Wh], a sizing,
    the load cases and the run's size and wall time [s]. Each key's unit is in its name."""

    tool: dict[str, str]
    case: str
    case_path: str | None
    attitude: str
    geometry: dict[str, PartGeometry]
    orbit: OrbitSummary
    thermal: ThermalSummary
    power: dict | None
    sizing: dict | None
    run: RunSummary
    warnings: tuple[str, ...] = ()      # legal but unusual inputs (thermal.case.reader.warn)
    verdict: dict = field(default_factory=dict)   # thermal.verdict.Verdict.as_dict(): first in summary.json
    load_cases: dict | None = None      # name -> {epoch, life, orbit, thermal, power, verdict}, "case" first
    panel_array: PanelArraySummary | None = None    # a panel-array run (spacecraft.kind: panel_array)

    def to_dict(self) -> dict:
        """The JSON document of ``summary.json``."""
        th = self.thermal
        thermal_block = {
            "model": th.model,
            "parts": {name: {k: v for k, v in dataclasses.asdict(t).items()
                             if v is not None or k not in _EXCHANGE_PART_KEYS or th.view_factors is not None}
                      for name, t in th.parts.items()},
            "gpu_junction_max_K": th.gpu_junction_max_K,
            "cold_plate_max_K": th.cold_plate_max_K,
            "energy_balance_error": th.energy_balance_error,
            "limits": {name: dataclasses.asdict(lim) for name, lim in th.limits.items()},
            "pump_power_W": th.pump_power_W,
            "heat_pipe_utilisation": th.heat_pipe_utilisation,
            **{f"{radiator}_loop_conductance_W_K": g for radiator, g in th.loop_conductance_W_K.items()},
            "coolant_capacity_rate_W_K": th.coolant_capacity_rate_W_K,
        }
        if th.coolant:
            thermal_block["loop"] = dict(th.coolant)
        if th.heaters:
            thermal_block["heaters"] = th.heaters
        if th.coolant_range is not None:
            thermal_block["coolant"] = th.coolant_range
        if th.gpu_junction_limit_K is not None:
            thermal_block["gpu_junction_limit_K"] = th.gpu_junction_limit_K
            thermal_block["gpu_junction_margin_K"] = th.gpu_junction_margin_K
        if th.gpu_leakage is not None:
            thermal_block.update(th.gpu_leakage)
        if th.view_factors is not None:
            thermal_block["view_factors"] = th.view_factors
        orbit = {k: v for k, v in dataclasses.asdict(self.orbit).items()
                 if v is not None and not (k == "deep_space" and not v)}
        if self.orbit.deep_space:
            orbit.update(period_s=None, beta_deg=None)
        out = {"verdict": dict(self.verdict), "tool": dict(self.tool), "case": self.case, "case_path": self.case_path,
               "attitude": self.attitude,
               "warnings": list(self.warnings),
               "geometry": {"parts": {n: dataclasses.asdict(g) for n, g in self.geometry.items()}},
               "orbit": orbit, "thermal": thermal_block}
        if self.load_cases:
            out["load_cases"] = self.load_cases
        if self.power is not None:
            out["power"] = self.power
        if self.sizing is not None:
            out["sizing"] = self.sizing
        if self.panel_array is not None:
            out["spacecraft_kind"] = "panel_array"
            out["panel_array"] = dataclasses.asdict(self.panel_array)
        out["run"] = dataclasses.asdict(self.run)
        return out


_EXCHANGE_PART_KEYS = ("shadow_fraction_orbit_avg", "sink_temperature_K")


def sink_temperatures_K(run: Run) -> dict[str, float]:
    """Per part with radiating sides: the effective sink temperature, the black environment at which
    the part's net radiative loss would be the same, sigma G (T^4 - T_sink^4) with G = E + sum_j R_ij:
    T_sink^4 = (Q_abs / sigma + sum_j R_ij T_j^4) / G at each time of the history, averaged over it
    (as T^4) [K]. Q_abs: what its sides absorb from the environment (shadows and reflections
    included); R_ij, E: :func:`thermal.exchange.by_part`."""
    ex, h = run.exposure.exchange, run.thermal
    if ex is None:
        return {}
    names, E, R = by_part(ex, run.parts)
    t = h.time_s
    side_area = {s.name: s.area_m2 for p in run.parts.parts for s in p.sides}
    owner = {s.name: p.name for p in run.parts.parts for s in p.sides}
    absorbed = run.exposure.absorbed(t)
    absorbed = absorbed if absorbed.ndim == 2 else absorbed[:, None]
    Q = np.zeros((len(names), absorbed.shape[1]))
    for k, side in enumerate(run.exposure.side_names):
        Q[names.index(owner[side])] += side_area[side] * absorbed[k]
    T4 = np.array([np.broadcast_to(h.part_T_mean_K[n], t.shape) for n in names], float) ** 4
    sink4 = (Q / SIGMA + R @ T4) / (E + R.sum(axis=1))[:, None]
    return {n: float(_time_average(t, sink4[i]) ** 0.25) for i, n in enumerate(names)}


def _with_exchange(run: Run, parts: dict[str, PartTemperatures]) -> dict[str, PartTemperatures]:
    """The parts' temperatures with their shadow fraction and sink temperature (radiation exchange)."""
    if run.exposure.exchange is None:
        return parts
    shadow = run.exposure.shadow_fraction or {}
    sink = sink_temperatures_K(run)
    return {n: dataclasses.replace(t, shadow_fraction_orbit_avg=shadow.get(n), sink_temperature_K=sink.get(n))
            for n, t in parts.items()}


def _orbit(run: Run) -> OrbitSummary:
    g = run.geometry
    if g is None:
        return OrbitSummary(period_s=None, beta_deg=None, eclipse_fraction=0.0, eclipse_duration_s=0.0,
                            deep_space=True)
    eclipse_s = eclipse_duration_s(g, run.case.environment.eclipse)
    return OrbitSummary(period_s=g.period_s, beta_deg=math.degrees(g.beta_rad),
                        eclipse_fraction=eclipse_s / g.period_s, eclipse_duration_s=eclipse_s,
                        altitude_m=g.altitude_m, solar_distance_au=g.solar_distance_au,
                        inclination_deg=None if g.inclination_rad is None else math.degrees(g.inclination_rad))


def _gpu_leakage(run: Run) -> dict | None:
    """The leakage power of all GPUs over the orbit the thermal model ran with, and the law; None
    for a GPU without a leakage law."""
    compute = run.case.compute
    if compute is None or compute.gpu.leakage is None or run.loads is None:
        return None
    law = compute.gpu.leakage
    t = run.loads.time_s
    leak = np.broadcast_to(np.asarray(run.loads.gpu_leakage, float), t.shape)
    average = _time_average(t, leak)
    return {"gpu_leakage_orbit_avg_W": average, "gpu_leakage_max_W": float(np.max(leak)),
            "gpu_leakage_law": {"per_kelvin_1_K": law.per_kelvin, "reference_K": law.reference_K,
                                "source": law.source}}


def part_limits_K(run: Run) -> dict[str, tuple[float, float]]:
    """The temperature limits of the parts a run shows (the summary's ``thermal.limits``, the
    printed table, the report and the plot): ``thermal.limits`` and the battery's operating range
    (unless ``thermal.limits`` sets the battery's own)."""
    return {**battery_range_K(run), **run.case.thermal.limits_K}


def summarize(run: Run) -> Summary:
    """The summary of a run (see the module docstring)."""
    case, h = run.case, run.thermal
    parts = {name: PartTemperatures(T_min_K=float(np.min(h.part_T_min_K[name])),
                                    T_max_K=float(np.max(h.part_T_max_K[name])),
                                    T_mean_K=float(np.mean(h.part_T_mean_K[name]))) for name in h.part_T_mean_K}
    for _, other in run.load_cases:   # the envelope over the load cases: lowest minimum, highest maximum
        for name, t in parts.items():
            if name in other.thermal.part_T_mean_K:
                parts[name] = PartTemperatures(
                    T_min_K=min(t.T_min_K, float(np.min(other.thermal.part_T_min_K[name]))),
                    T_max_K=max(t.T_max_K, float(np.max(other.thermal.part_T_max_K[name]))), T_mean_K=t.T_mean_K)
    parts = _with_exchange(run, parts)
    runs = (("case", run), *run.load_cases)
    verdicts = judge_all(run)     # each run judged once: the load cases, a sized design's other check models
    limits = {name: LimitStatus(min_K=low, max_K=high if math.isfinite(high) else None,
                                met=bool(parts[name].T_min_K >= low and parts[name].T_max_K <= high))
              for name, (low, high) in part_limits_K(run).items()}
    junction = float(np.nanmax(h.gpu_junction_K)) if np.any(np.isfinite(h.gpu_junction_K)) else None
    limit = case.compute.gpu.junction_limit_K if case.compute is not None else None
    t = run.transport
    coolant = _coolant_envelope([r for _, r in runs])
    thermal_summary = ThermalSummary(
        model=case.solver.model, parts=parts, gpu_junction_max_K=junction,
        cold_plate_max_K=float(np.nanmax(h.cold_plate_T_K)) if junction is not None else None,
        energy_balance_error=h.energy_balance_error, limits=limits, pump_power_W=t.pump_power_W,
        heat_pipe_utilisation=t.heat_pipe_utilisation, loop_conductance_W_K=dict(t.loop_conductance_W_K),
        coolant_capacity_rate_W_K=t.coolant_capacity_rate_W_K, coolant=dict(h.coolant),
        gpu_junction_limit_K=limit,
        gpu_junction_margin_K=None if limit is None or junction is None else limit - junction,
        heaters=heater_figures(run), coolant_range=coolant, gpu_leakage=_gpu_leakage(run),
        view_factors=part_view_factors(run.exposure.exchange, run.parts) if run.exposure.exchange else None)
    return Summary(
        tool={"name": TOOL_NAME, "version": VERSION},
        case=case.name, case_path=str(case.path.resolve()) if case.path else None, attitude=case.attitude,
        geometry={p.name: PartGeometry(p.area_m2, p.mass_kg, p.role) for p in run.parts.parts},
        orbit=_orbit(run), thermal=thermal_summary, power=run.power_summary, sizing=_sizing(run, verdicts),
        run=RunSummary(version=VERSION, case_sha256=case.sha256, dofs=h.dofs, steps=h.steps,
                       orbits=h.orbits, wall_time_s=run.wall_time_s, solver=dict(h.solver_stats)),
        warnings=case.warnings, verdict=sum(verdicts.values(), Verdict(())).as_dict(),
        load_cases={name: _load_case(r, verdicts[name]) for name, r in runs} if run.load_cases else None)


def _time_average(time_s: np.ndarray, values: np.ndarray) -> float:
    """Mean of a sampled history over its span (trapezoidal; a single sample is its own mean)."""
    if time_s.size < 2:
        return float(values[0])
    return float(np.trapezoid(values, time_s) / (time_s[-1] - time_s[0]))


def heater_figures(run: Run) -> dict[str, dict]:
    """Per heated part: the heater's orbit-average and largest power, and its duty cycle (the
    orbit-average power over the installed power: the share of the time an on/off thermostat
    would be on)."""
    h = run.thermal
    installed = {spec.part: spec.power_W for spec in run.case.thermal.heaters}
    out = {}
    for part, power in h.heater_W.items():
        average = _time_average(h.time_s, power)
        out[part] = {"power_orbit_avg_W": average, "power_max_W": float(np.max(power)),
                     "installed_W": installed[part], "duty_cycle": average / installed[part]}
    return out


def _coolant_envelope(runs: list[Run]) -> dict | None:
    """The coolant's range over the load cases: the coldest and the hottest of any, and where."""
    ranges = [(r, c) for r in runs if (c := coolant_range(r)) is not None]
    if not ranges:
        return None
    coldest = min(ranges, key=lambda rc: rc[1].T_min_K)[1]
    hot = [c.T_max_K for _, c in ranges if c.T_max_K is not None]
    out = {**coldest.as_dict(), "T_max_K": max(hot) if hot else None}
    fractions = [r.thermal.bypass_fraction for r, _ in ranges if r.thermal.bypass_fraction is not None]
    if fractions:
        out["radiator_flow_fraction_min"] = float(min(np.min(f) for f in fractions))
        out["radiator_flow_fraction_max"] = float(max(np.max(f) for f in fractions))
    return out


def _sizing(run: Run, verdicts: dict[str, Verdict]) -> dict | None:
    """The sizing block, each check report with the verdict of its run: ``status`` and every limit
    checked with its value, limit and margin (the sizing sits below the verdict, so it is added
    here)."""
    check = (run.sizing or {}).get("check")
    if not check or "load_cases" not in check:
        return run.sizing
    load_cases = {}
    for name, entry in check["load_cases"].items():
        models = {}
        for model, report in entry["models"].items():
            label = name if model == run.case.solver.model else check_label(name, model)
            if label in verdicts:
                v = verdicts[label]
                report = {**report, "verdict": {"status": v.status,
                                                "limits": [{**{k: x for k, x in c.as_dict().items()
                                                                  if k != "load_case"}, "met": c.met}
                                                           for c in v.checks]}}
            models[model] = report
        load_cases[name] = {**entry, "models": models}
    return {**run.sizing, "check": {**check, "load_cases": load_cases}}


def _load_case(run: Run, verdict: Verdict) -> dict:
    h, case = run.thermal, run.case
    junction = float(np.nanmax(h.gpu_junction_K)) if np.any(np.isfinite(h.gpu_junction_K)) else None
    power = None
    if run.power_summary:
        power = {k: run.power_summary[k] for k in ("array_power_orbit_avg_W", "load_orbit_avg_W", "energy_margin",
                                                    "battery_soc_min")}
    orbit = {k: v for k, v in dataclasses.asdict(_orbit(run)).items() if v is not None}
    return {"epoch": case.orbit.epoch.isoformat() if case.orbit and case.orbit.epoch else None,
            "life": "end_of_life" if case.thermal.end_of_life else "beginning_of_life",
            "orbit": orbit,
            "thermal": {"parts": {n: {"T_min_K": float(np.min(h.part_T_min_K[n])),
                                      "T_max_K": float(np.max(h.part_T_max_K[n]))} for n in h.part_T_mean_K},
                        "gpu_junction_max_K": junction, "heaters": heater_figures(run),
                        "coolant": _coolant_envelope([run])},
            "power": power, "verdict": verdict.as_dict(), "wall_time_s": run.wall_time_s}


def json_ready(value):
    """A result document as JSON can hold it: mappings with text keys, lists, Python scalars, and
    every non-finite number (a NumPy one too) as null (JSON has no NaN or infinity). Every JSON
    file of the results uses it: ``summary.json`` (``write_summary``), the study's and the panel
    array's files."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
