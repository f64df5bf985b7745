"""The design verdict: every limit a run must meet, checked on its results.

A design answer is a verdict, not a table. :func:`judge` checks one run (one load case) against:

- **GPU junction** (max): the hottest junction against the GPU's limit (the case's
  ``compute.junction_limit``, else the library's);
- **part limits** (min and max) from ``thermal.limits``;
- **coolant** of a pumped loop: the coldest radiator panel, where the coolant's tubes are coldest
  and where it freezes first, above the coolant's freezing point plus
  :data:`COOLANT_FREEZE_MARGIN_K`; for a pure fluid (water, ammonia) the hottest coolant (the
  cold-plate outlet) below its boiling point at the loop pressure less
  :data:`COOLANT_BOIL_MARGIN_K`;
- **battery temperature** (min and max): the battery's part (a bus with a power section, see
  :class:`geometry.spec.UnitSpec`) within its cell's operating range
  (``BatteryCell.operating_min_K`` .. ``operating_max_K``, e.g. 0 to 40 degC for VES180);
- **power**: the orbit energy margin (orbit-average generation over consumption, less one) at
  least 0, the battery's lowest state of charge at least its floor (one less the depth of
  discharge), and no load left unserved (Wh per orbit);
- a sized design (:func:`thermal.sizing.run.sized_run`) is judged in every run of its check:
  each check model in each load case it ran (:func:`judge_all`), the other models' runs named
  ``<load case> (<model> check)`` (:func:`check_label`).

A run that misses any of them still writes all its results; ``summary.json`` puts the verdict
first and the command exits 3 with one line that names the binding limit (the one missed by the
largest fraction of its value), the part, the load case, the value and the limit, and what to
change.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from thermal.case.model import PumpedLoopSpec
from thermal.core.library import COOLANTS, Coolant

#: The coolant must stay this far above its freezing point. ASSUMED: a common design margin for
#: freeze protection of pumped loops, covering the spread of the coldest tube wall around the
#: panel temperature the models resolve.
COOLANT_FREEZE_MARGIN_K = 5.0
#: A pure coolant must stay this far below its boiling point at the loop pressure. ASSUMED margin.
COOLANT_BOIL_MARGIN_K = 10.0

_CHANGE = {
    "gpu_junction_max": "enlarge the radiator, choose a coating with a lower absorptivity, or lower the compute "
                        "power",
    "part_max": "enlarge the radiator or lower the heat or the absorbed sunlight on the part",
    "part_min": "add a heater or insulation, or lower the part's exposure to space",
    "coolant_freezing": "add a radiator bypass or heaters, shrink the radiator, or choose a coolant with a lower "
                        "freezing point",
    "coolant_boiling": "raise the loop pressure, enlarge the radiator or lower the heat",
    "battery_temperature_min": "mount the battery on a warmer panel (spacecraft.battery.mount: the one the "
                               "avionics warm), keep more heat in the body (fewer exposed walls, a body coating of "
                               "lower emissivity, more bus load inside it) or add a heater",
    "battery_temperature_max": "raise the battery's mount conductance (spacecraft.battery.conductance) or mount it on "
                               "a colder panel",
    "energy_margin": "enlarge the solar array, lower the load, or throttle the compute in eclipse",
    "battery_soc_min": "enlarge the battery, lower the eclipse load, or choose compute.schedule: soc_floor",
    "panel_junction_max": "lower the chip power or its junction-to-panel resistance, spread it over more chips, or "
                          "lower the panel's absorptivity / raise its emissivity (spacecraft.panel)",
    "vapor_chamber_transport": "split the chip's power over more chips, shorten the spreading length (a finer chip "
                               "grid) or use a vapor chamber of higher capacity (substrate.max_transport)",
    "panel_energy_margin": "raise the cell efficiency or packing factor, lower the chip power, or carry less into "
                           "eclipse (spacecraft.eclipse)",
    "panel_battery_temperature_max": "choose spacecraft.eclipse.strategy: compute_off, a battery cell rated hotter, or "
                                     "a cooler panel",
    "panel_battery_temperature_min": "choose spacecraft.eclipse.strategy: compute_off, or a battery cell rated colder",
    "unserved_energy": "enlarge the battery (power.battery.capacity) or the array, lower the eclipse load, or choose "
                       "compute.schedule: soc_floor",
}


def shown(value: float, unit: str) -> str:
    """A checked value with its unit; fractions as per cent."""
    if unit == "fraction":
        return f"{100 * value:.1f} %"
    return f"{value:.1f} {unit}" if unit == "K" else f"{value:.4g} {unit}".rstrip()


@dataclass(frozen=True)
class Check:
    """One limit checked on one part in one load case: ``kind`` 'max' (value at most the limit)
    or 'min' (value at least the limit)."""

    limit: str
    part: str
    load_case: str
    kind: str
    value: float
    limit_value: float
    unit: str
    atol: float = 0.0       # absolute tolerance beyond round-off (in the unit)
    scale: float | None = None   # what a miss is measured against (default: the limit, at least 1)

    @property
    def met(self) -> bool:
        tolerance = max(1e-9 * max(abs(self.limit_value), 1.0), self.atol)
        if self.kind == "max":
            return self.value <= self.limit_value + tolerance
        return self.value >= self.limit_value - tolerance

    @property
    def excess(self) -> float:
        """How far the limit is missed, as a fraction of the limit (0 when met)."""
        if self.met:
            return 0.0
        scale = self.scale if self.scale else max(abs(self.limit_value), 1.0)
        return abs(self.value - self.limit_value) / scale

    @property
    def margin(self) -> float:
        """How far inside the limit the value lies, in its unit (negative: missed)."""
        return self.limit_value - self.value if self.kind == "max" else self.value - self.limit_value

    @property
    def change(self) -> str:
        return _CHANGE[self.limit]

    def line(self) -> str:
        """The violation on one line: limit, part, load case, value against limit, what to change."""
        word = "above" if self.kind == "max" else "below"
        return (f"{self.limit} missed by {self.part} in load case '{self.load_case}': {shown(self.value, self.unit)} "
                f"{word} the limit {shown(self.limit_value, self.unit)}; {self.change}")

    def as_dict(self) -> dict:
        out = asdict(self)
        del out["kind"], out["atol"], out["scale"]
        out["margin"] = self.margin
        return out


@dataclass(frozen=True)
class Verdict:
    """Every check of a design, and whether it passes."""

    checks: tuple[Check, ...]

    @property
    def violations(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.met)

    @property
    def status(self) -> str:
        return "fail" if self.violations else "pass"

    @property
    def binding(self) -> Check | None:
        """The violation missed by the largest fraction of its limit (None when all pass)."""
        return max(self.violations, key=lambda c: c.excess, default=None)

    def line(self) -> str:
        """One line for the command: the binding violation and how many more there are."""
        binding = self.binding
        if binding is None:
            return f"design passes: {len(self.checks)} limits met"
        more = len(self.violations) - 1
        return binding.line() + (f" (and {more} more limit(s) missed: see summary.json verdict)" if more else "")

    def as_dict(self) -> dict:
        """``summary.json`` → ``verdict``."""
        return {"status": self.status, "violations": [c.as_dict() for c in self.violations],
                "binding": None if self.binding is None else self.binding.line(),
                "limits_checked": len(self.checks)}

    def __add__(self, other: Verdict) -> Verdict:
        return Verdict(self.checks + other.checks)


def judge(run, load_case: str = "case") -> Verdict:
    """The verdict of one run (:class:`thermal.simulation.Run`) as load case ``load_case``."""
    checks: list[Check] = []
    checks += _junction(run, load_case)
    checks += _part_limits(run, load_case)
    checks += _coolant(run, load_case)
    checks += _battery(run, load_case)
    checks += _power(run, load_case)
    return Verdict(tuple(checks))


def check_label(load_case: str, model: str) -> str:
    """The name in the verdict of a sized design's run by a check model other than the case's own."""
    return f"{load_case} ({model} check)"


def judge_all(run) -> dict[str, Verdict]:
    """The verdict of every run a solve made, by name: the case (``case``) and its other load cases
    (``run.load_cases``), and a sized design's runs by its other check models
    (``run.check_runs``, named by :func:`check_label`). Each run is judged once."""
    out = {name: judge(r, name) for name, r in (("case", run), *run.load_cases)}
    for name, model, r in run.check_runs:
        label = check_label(name, model)
        out[label] = judge(r, label)
    return out


def _junction(run, load_case: str) -> list[Check]:
    case, h = run.case, run.thermal
    if case.compute is None or not np.any(np.isfinite(h.gpu_junction_K)):
        return []
    return [Check("gpu_junction_max", "gpu", load_case, "max", float(np.nanmax(h.gpu_junction_K)),
                  case.compute.gpu.junction_limit_K, "K")]


def _part_limits(run, load_case: str) -> list[Check]:
    h, out = run.thermal, []
    for part, (low, high) in run.case.thermal.limits_K.items():
        if low > 0.0:
            out.append(Check("part_min", part, load_case, "min", float(np.min(h.part_T_min_K[part])), low, "K"))
        if math.isfinite(high):
            out.append(Check("part_max", part, load_case, "max", float(np.max(h.part_T_max_K[part])), high, "K"))
    return out


@dataclass(frozen=True)
class CoolantRange:
    """The coldest and hottest coolant of a pumped loop over a run, and where: the coldest is the
    coldest radiator panel (the tubes' outlet end approaches it, and with a bypass the radiator's
    little flow leaves at its temperature), the hottest the coolant leaving the cold plates."""
    coolant: Coolant
    T_min_K: float
    coldest_part: str
    T_max_K: float | None
    boiling_K: float | None       # at the loop pressure; None for the mixtures
    property_K: float | None      # the temperature its properties were taken at

    def as_dict(self) -> dict:
        return {"name": self.coolant.name, "T_min_K": self.T_min_K, "T_min_where": self.coldest_part,
                "T_max_K": self.T_max_K, "freezing_K": self.coolant.freezing_K, "boiling_K": self.boiling_K,
                "property_temperature_K": self.property_K}


def coolant_range(run) -> CoolantRange | None:
    """The coolant's temperature range in a run of a pumped loop with compute and radiators, else None."""
    case, h = run.case, run.thermal
    loop = case.thermal.transport
    radiators = [p.name for p in run.parts.parts if p.role == "radiator"]
    if not isinstance(loop, PumpedLoopSpec) or case.compute is None or not radiators:
        return None
    coldest = min(radiators, key=lambda name: float(np.min(h.part_T_min_K[name])))
    hottest = float(np.nanmax(h.cold_plate_T_K)) if np.any(np.isfinite(h.cold_plate_T_K)) else None
    coolant = COOLANTS[loop.coolant]
    return CoolantRange(coolant, float(np.min(h.part_T_min_K[coldest])), coldest, hottest,
                        _boiling_K(coolant, loop.loop_pressure_Pa), run.transport.coolant_property_K)


def _coolant(run, load_case: str) -> list[Check]:
    c = coolant_range(run)
    if c is None:
        return []
    name = c.coolant.name
    out = [Check("coolant_freezing", f"coolant ({name}) in {c.coldest_part}", load_case, "min", c.T_min_K,
                 c.coolant.freezing_K + COOLANT_FREEZE_MARGIN_K, "K")]
    if c.boiling_K is not None and c.T_max_K is not None:
        out.append(Check("coolant_boiling", f"coolant ({name}) at the cold plates", load_case, "max",
                         c.T_max_K, c.boiling_K - COOLANT_BOIL_MARGIN_K, "K"))
    return out


def _boiling_K(coolant: Coolant, pressure_Pa: float) -> float | None:
    """Saturation temperature of a pure coolant at the loop pressure (CoolProp); None for the
    incompressible mixtures, whose fits end below boiling."""
    if coolant.incompressible:
        return None
    from CoolProp.CoolProp import PropsSI
    return float(PropsSI("T", "P", pressure_Pa, "Q", 0.0, coolant.coolprop_fluid))


def battery_range_K(run) -> dict[str, tuple[float, float]]:
    """The battery's part of a run (a bus with a power section) and its cell's operating range
    (min, max) [K]; empty without one."""
    if run.case.power is None:
        return {}
    cell = run.case.power.battery.cell
    return {p.name: (cell.operating_min_K, cell.operating_max_K) for p in run.parts.parts if p.role == "battery"}


def _battery(run, load_case: str) -> list[Check]:
    """The battery's part within its cell's operating range (coldest and hottest point of it)."""
    h, out = run.thermal, []
    for part, (low, high) in battery_range_K(run).items():
        out.append(Check("battery_temperature_min", part, load_case, "min", float(np.min(h.part_T_min_K[part])),
                         low, "K"))
        out.append(Check("battery_temperature_max", part, load_case, "max", float(np.max(h.part_T_max_K[part])),
                         high, "K"))
    return out


def _power(run, load_case: str) -> list[Check]:
    p = run.power_summary
    if not p or run.case.power is None:
        return []
    floor = Check("battery_soc_min", "battery", load_case, "min", float(p["battery_soc_min"]),
                  run.case.power.battery.min_soc, "fraction")
    unserved = Check("unserved_energy", "power system", load_case, "max", float(p.get("unserved_Wh", 0.0)), 0.0,
                     "Wh", atol=1e-3,     # a milliwatt-hour per orbit: the integrator's noise
                     scale=float(p.get("energy_required_Wh", 0.0)) or None)   # a miss as a fraction of the load
    if run.case.compute is not None and run.case.compute.schedule == "soc_floor":
        return [floor]   # the compute throttles to hold the floor: what it does not run is the user's choice
    return [Check("energy_margin", "power system", load_case, "min", float(p["energy_margin"]), 0.0, "fraction"),
            floor, unserved]
