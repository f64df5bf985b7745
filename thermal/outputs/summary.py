"""``summary.json``: one typed schema, filled from a :class:`thermal.simulation.Run` in one place.

:func:`summarize` turns a run into a :class:`Summary` (frozen dataclasses, SI units in the key
names); :meth:`Summary.to_dict` gives the JSON document of the contract (``CASE_FORMAT.md``):

- ``tool``: this tool's name and version (how a results folder is recognised as the tool's own);
- ``case``, ``case_path``, ``attitude``;
- ``geometry.parts``: area (one side) and mass of every part;
- ``orbit``: period, beta, eclipse fraction and duration (or ``deep_space``);
- ``thermal``: per part T_min/T_max/T_mean, GPU junction and cold plate, energy balance error,
  part limits, the heat transport's figures (pump power, heat-pipe utilisation, the loop's
  conductances and coolant figures);
- ``power`` (a power section), ``sizing`` (a sizing block): as the power model and the sizing
  report them, each of the sizing's check runs with its verdict (every limit and its margin);
- ``run``: version, case hash, unknowns, steps, orbits, wall time, and under ``run.solver`` the
  numerics of the model that ran.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from thermal.core.tool import TOOL_NAME, VERSION
from thermal.orbit import eclipse_duration_s
from thermal.simulation import Run
from thermal.verdict import Verdict, check_label, judge_all


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
class Summary:
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

    def to_dict(self) -> dict:
        """The JSON document of ``summary.json``."""
        th = self.thermal
        thermal_block = {
            "model": th.model,
            "parts": {name: dataclasses.asdict(t) for name, t in th.parts.items()},
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
        if th.gpu_junction_limit_K is not None:
            thermal_block["gpu_junction_limit_K"] = th.gpu_junction_limit_K
            thermal_block["gpu_junction_margin_K"] = th.gpu_junction_margin_K
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
        out["run"] = dataclasses.asdict(self.run)
        return out


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
    runs = (("case", run), *run.load_cases)
    verdicts = judge_all(run)     # each run judged once: the load cases, a sized design's other check models
    limits = {name: LimitStatus(min_K=low, max_K=high if math.isfinite(high) else None,
                                met=bool(parts[name].T_min_K >= low and parts[name].T_max_K <= high))
              for name, (low, high) in case.thermal.limits_K.items()}
    junction = float(np.nanmax(h.gpu_junction_K)) if np.any(np.isfinite(h.gpu_junction_K)) else None
    limit = case.compute.gpu.junction_limit_K if case.compute is not None else None
    t = run.transport
    thermal_summary = ThermalSummary(
        model=case.solver.model, parts=parts, gpu_junction_max_K=junction,
        cold_plate_max_K=float(np.nanmax(h.cold_plate_T_K)) if junction is not None else None,
        energy_balance_error=h.energy_balance_error, limits=limits, pump_power_W=t.pump_power_W,
        heat_pipe_utilisation=t.heat_pipe_utilisation, loop_conductance_W_K=dict(t.loop_conductance_W_K),
        coolant_capacity_rate_W_K=t.coolant_capacity_rate_W_K, coolant=dict(h.coolant),
        gpu_junction_limit_K=limit,
        gpu_junction_margin_K=None if limit is None or junction is None else limit - junction)
    return Summary(
        tool={"name": TOOL_NAME, "version": VERSION},
        case=case.name, case_path=str(case.path.resolve()) if case.path else None, attitude=case.attitude,
        geometry={p.name: PartGeometry(p.area_m2, p.mass_kg, p.role) for p in run.parts.parts},
        orbit=_orbit(run), thermal=thermal_summary, power=run.power_summary, sizing=_sizing(run, verdicts),
        run=RunSummary(version=VERSION, case_sha256=case.sha256, dofs=h.dofs, steps=h.steps,
                       orbits=h.orbits, wall_time_s=run.wall_time_s, solver=dict(h.solver_stats)),
        warnings=case.warnings, verdict=sum(verdicts.values(), Verdict(())).as_dict(),
        load_cases={name: _load_case(r, verdicts[name]) for name, r in runs} if run.load_cases else None)


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
                        "gpu_junction_max_K": junction},
            "power": power, "verdict": verdict.as_dict(), "wall_time_s": run.wall_time_s}
