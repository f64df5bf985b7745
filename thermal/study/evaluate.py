"""The one evaluator of a study's design points: a point's values in, its results and verdict out.

A point is the case's document with the point's values set at their key paths
(:func:`thermal.case.study.apply_values`), read by the case reader as a case file would be, sized
with the solve command's own entry (:func:`thermal.sizing.run.run_sizing`: size, refine, price),
and judged against the study's constraints. Its results are the ``sizing`` block of
``summary.json`` as the solve command writes it, read by dotted paths
(``sizing.orbital_usd_per_gpu_hour``): a figure the sizing or the economics adds to that block
appears in ``study.csv`` without a change here.

Sharing one sizing between points. The economics section does not change a design, except for
the two figures the sizing reads from it (:func:`sizing_inputs`: the mission life, which ages the
array and the battery, and the payload per launch, the largest module). A point is therefore
split in two steps:

1. :func:`size_point` (a task of its own, run by :mod:`thermal.study.engine`): the whole case
   read and sized, once per distinct *sizing key* (the document without its economics section,
   plus :func:`sizing_inputs`);
2. :meth:`Evaluator.price`: the point's economics section read by the case reader's own section
   reader (:func:`thermal.case.sizing.read_economics`, the same checks), then priced by the
   economics function :func:`thermal.sizing.economics.price_design` (the solve command's own
   pricing path: the launcher to the design orbit) on the shared design, its keys replacing the
   sizing's. A Monte Carlo over economics inputs thus costs one sizing and a fraction of a
   millisecond per sample.

Statuses: ``pass`` (sized, every constraint met), ``fail`` (sized, a constraint missed: the
reason names it), ``infeasible`` (the sizing cannot meet the target, its one line), ``invalid``
(the case reader refuses a value, e.g. a drawn negative price: its one line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from thermal.case.load import load_case
from thermal.case.model import Case
from thermal.case.reader import Section, collecting_warnings
from thermal.case.sizing import EconomicsConfig, SizingConfig, read_economics
from thermal.case.study import StudyConfig, apply_values
from thermal.core.errors import CaseError, InfeasibleError
from thermal.orbit import case_orbit
from thermal.sizing.economics import price_design
from thermal.sizing.run import run_sizing

#: Result paths of the cost comparison.
ORBIT_COST = "sizing.orbital_usd_per_gpu_hour"
GROUND_COST = "sizing.terrestrial_usd_per_gpu_hour"
RATIO = "study.orbit_to_ground_cost"
ECONOMICS = "economics"


@dataclass(frozen=True)
class Sized:
    """A sizing shared by points: the design and the ``sizing`` block, or why there is none."""

    design: object = None
    summary: dict | None = None
    status: str = "pass"       # or 'infeasible', 'invalid'
    reason: str = ""
    sizing: SizingConfig | None = None     # what the design was sized with
    altitude_m: float = float("nan")       # the design orbit, where the launcher must take it
    inclination_rad: float | None = None


@dataclass(frozen=True)
class Point:
    """One evaluated point: its values (as the case writes them), status, reason and results
    (``{'sizing': {...}, 'study': {...}}``)."""

    values: dict
    status: str
    reason: str = ""
    results: dict = field(default_factory=dict)


def sizing_inputs(economics: EconomicsConfig) -> tuple:
    """What of the economics section changes the design (:func:`thermal.sizing.run.run_sizing`):
    the mission life (it ages the array and the battery) and the launcher's payload (the largest
    module, the launch count's divisor)."""
    return economics.mission_years, economics.launch.payload_kg, economics.launch.charge


def size_point(document: dict, base_dir: str) -> Sized:
    """Read a point's whole case and size it (:func:`thermal.sizing.run.run_sizing`); a task of
    its own for the study's engine (module level, so that it pickles)."""
    try:
        with collecting_warnings():
            case = load_case(document, base_dir=base_dir)
        if not isinstance(case.sizing, SizingConfig):
            raise CaseError("sizing", "a sizing block for a compute target", hint="the study sizes every point")
        design, summary = run_sizing(case, case.sizing, case.economics)
        return sized_design(case, design, summary)
    except CaseError as err:
        return Sized(status="invalid", reason=str(err))
    except InfeasibleError as err:
        return Sized(status="infeasible", reason=str(err))


def sized_design(case: Case, design, summary: dict) -> Sized:
    """A sized case's design and ``sizing`` block (:func:`thermal.sizing.run.run_sizing`) as a shared
    sizing, with the design orbit the launcher must reach."""
    if not isinstance(case.sizing, SizingConfig):
        raise TypeError(f"sized_design: a case with a sizing for a compute target, not {type(case.sizing).__name__}")
    orbit = case_orbit(case.orbit)
    if orbit is None:
        return Sized(design, summary, sizing=case.sizing)
    return Sized(design, summary, sizing=case.sizing, altitude_m=orbit.altitude_m,
                 inclination_rad=orbit.inclination_rad)


def merged(base: dict, new: dict) -> dict:
    """``base`` with ``new``'s keys replacing its own, mappings merged key by key (the sizing's
    keys that pricing does not write, e.g. ``module.radiator_area_analytic_m2``, are kept)."""
    out = dict(base)
    for key, value in new.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def result(results: dict, path: str):
    """The value at a dotted ``path`` of a point's results, or None."""
    node = results
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _reason(path: str, value: float, lo: float | None, hi: float | None) -> str:
    if hi is not None and value > hi:
        return f"{path} {value:.6g} above its max {hi:.6g}"
    if lo is not None and value < lo:
        return f"{path} {value:.6g} below its min {lo:.6g}"
    return ""


class Evaluator:
    """Evaluates the points of one study; sizings shared by their key (see the module's text).

    Parameters
    ----------
    study : thermal.case.study.StudyConfig
    """

    def __init__(self, study: StudyConfig):
        self.study = study
        self.sized: dict[str, Sized] = {}
        self._economics: dict = study.document.get(ECONOMICS) or {}

    def split(self, values: dict) -> tuple[str, EconomicsConfig | None, str]:
        """A point's sizing key, its economics (None if refused) and why.

        The key is the point's values outside the economics section (the rest of the document is
        the case's own) and :func:`sizing_inputs`; only the economics section is copied."""
        econ = {k: v for k, v in values.items() if k.startswith(ECONOMICS + ".")}
        rest = {k: v for k, v in values.items() if k not in econ}
        section = apply_values({ECONOMICS: self._economics}, econ)[ECONOMICS] if econ else self._economics
        try:
            with collecting_warnings():
                economics = read_economics(Section(section, ECONOMICS))
        except CaseError as err:
            return "", None, str(err)
        key = json.dumps([sorted(rest.items()), sizing_inputs(economics)], default=str)
        return key, economics, ""

    def price(self, values: dict, sized: Sized, economics: EconomicsConfig) -> Point:
        """Price a point on its shared sizing and judge its constraints."""
        if sized.status != "pass":
            return Point(values, sized.status, sized.reason)
        base = sized.summary or {}
        assert sized.sizing is not None
        _, priced = price_design(sized.design, sized.sizing, economics, sized.altitude_m, sized.inclination_rad)
        summary = merged(base, priced)
        orbit, ground = summary["orbital_usd_per_gpu_hour"], summary["terrestrial_usd_per_gpu_hour"]
        results = {"sizing": summary,
                   "study": {"kg_per_kW": summary["mass_kg"] / (summary["compute_power_W"] / 1000.0),
                             "orbit_to_ground_cost": orbit / ground,
                             "orbit_cheaper": bool(orbit < ground)}}
        for path, lo, hi in self.study.constraints:
            value = result(results, path)
            if not isinstance(value, (int, float)):
                raise CaseError(f"study.constraints.{path}", "a numeric result path of the sizing's summary, e.g. "
                                "sizing.mass_kg", path, "no such result")
            reason = _reason(path, float(value), lo, hi)
            if reason:
                return Point(values, "fail", reason, results)
        return Point(values, "pass", "", results)

    def share(self, values: dict, sized: Sized) -> None:
        """Take ``sized`` as the sizing of the points that share ``values``' sizing key (the solve
        command's own sizing of the case, for the base point)."""
        self.sized[self.split(values)[0]] = sized

    def evaluate(self, values: dict) -> Point:
        """One point in this process (sizing it if its key is new)."""
        key, economics, why = self.split(values)
        if economics is None:
            return Point(values, "invalid", why)
        if key not in self.sized:
            self.sized[key] = size_point(apply_values(self.study.document, values), self.study.base_dir)
        return self.price(values, self.sized[key], economics)
