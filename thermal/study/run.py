"""A study end to end (``study`` section): points, sizings, prices, what they say.

:func:`run_study` takes a case with a ``study`` section (:mod:`thermal.case.study`) and

1. lists the points: the study's grid or samples (:mod:`thermal.study.sampling`), the case's own
   point (no value changed: the base of the tornado), each varied key at its low and high value
   (the tornado), and with ``sensitivity: sobol`` Saltelli's points;
2. sizes every distinct sizing key once, as tasks on the study's engine
   (:mod:`thermal.study.engine`, :func:`thermal.study.evaluate.size_point`);
3. prices every point on its shared sizing and judges its constraints
   (:class:`thermal.study.evaluate.Evaluator`);
4. finds the Pareto front over the objectives among the points that pass
   (:func:`thermal.study.analysis.pareto_mask`; among all sized points when none passes), the
   statistics of the objectives and of the orbital and ground cost per GPU-hour, the probability
   that the orbit is cheaper (each sample's orbital against its own ground cost), the tornado
   and the Sobol indices of the orbital cost per GPU-hour;
5. with ``check: pareto``, runs the sizing's thermal check (:func:`thermal.sizing.run.sized_run`)
   on each Pareto point as a task of its own and judges it with the verdict
   (:func:`thermal.verdict.judge_all`): every limit of the verdict in every load case;
6. with ``optimise``, optimises the free design variables (:mod:`thermal.study.optimise`).

No file is written here (the results files are :mod:`thermal.outputs.study`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from thermal.case.model import Case
from thermal.case.study import StudyConfig, apply_values
from thermal.core.errors import CaseError, InfeasibleError
from thermal.study.analysis import pareto_mask, probability, statistics, tornado
from thermal.study.engine import Bar, run_tasks
from thermal.study.evaluate import GROUND_COST, ORBIT_COST, RATIO, Evaluator, Point, Sized, result, size_point
from thermal.study.optimise import optimise
from thermal.study.sampling import percentiles, saltelli_unit, sobol_indices, study_points, values_at


@dataclass
class StudyResult:
    """What a study found.

    Attributes
    ----------
    study : StudyConfig
    points : list of Point
        The study's points (grid or samples), in order.
    base : Point
        The case as written.
    pareto : list of int
        Indices into ``points`` of the Pareto front over the objectives.
    statistics : dict
        Result path -> :func:`thermal.study.analysis.statistics` over the points that were sized.
    orbit_cheaper : dict
        :func:`thermal.study.analysis.probability` of the orbital cost per GPU-hour below the
        ground one.
    tornado : list of dict
        :func:`thermal.study.analysis.tornado` of the orbital cost per GPU-hour.
    sobol : dict or None
        Path -> ``{S1, S1_conf, ST, ST_conf}`` of the orbital cost per GPU-hour, or ``{'skipped':
        why}``.
    sobol_ratio : dict or None
        The same of the orbit-to-ground cost ratio (``study.orbit_to_ground_cost``).
    checks : dict
        Pareto index -> the thermal check's verdict (``check: pareto``).
    optimisation : dict or None
    sizings : int
        Distinct sizings the points used (the base point's the solve command's own, when it made it).
    wall_time_s : float
    """

    study: StudyConfig
    points: list[Point]
    base: Point
    pareto: list[int]
    statistics: dict
    orbit_cheaper: dict
    tornado: list[dict]
    sobol: dict | None = None
    sobol_ratio: dict | None = None
    checks: dict = field(default_factory=dict)
    optimisation: dict | None = None
    sizings: int = 0
    wall_time_s: float = 0.0

    @property
    def leading_inputs(self) -> list[str]:
        """The varied keys that move the orbital cost per GPU-hour most: by total Sobol index when
        computed, else by the tornado's swing."""
        if self.sobol and "skipped" not in self.sobol:
            return sorted(self.sobol, key=lambda p: -self.sobol[p]["ST"])
        return [row["path"] for row in self.tornado if math.isfinite(row["swing"])]


def _size_all(evaluator: Evaluator, all_values: list[dict], study: StudyConfig, engine, progress, quiet) -> None:
    """Size every distinct sizing key among ``all_values`` once, on the engine."""
    first: dict[str, dict] = {}
    for values in all_values:
        key, economics, _ = evaluator.split(values)
        if economics is not None and key not in evaluator.sized and key not in first:
            first[key] = values
    tasks = [(apply_values(study.document, v), study.base_dir) for v in first.values()]
    sized = run_tasks(size_point, tasks, engine=study.engine, address=engine or study.address,
                      workers=study.workers, label="sizings", progress=progress, quiet=quiet)
    evaluator.sized.update(zip(first, sized, strict=True))


def _price_all(evaluator: Evaluator, all_values: list[dict], progress, quiet) -> list[Point]:
    bar = Bar(len(all_values), "points", progress, quiet)
    out = []
    try:
        for i, values in enumerate(all_values):
            out.append(evaluator.evaluate(values))
            if (i + 1) % 500 == 0 or i + 1 == len(all_values):
                bar.step(i + 1 - bar.done)
    finally:
        bar.close()
    return out


def _number(point: Point, path: str) -> float:
    value = result(point.results, path) if point.status in ("pass", "fail") else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan


def _check_objectives(points: list[Point], study: StudyConfig) -> None:
    sized = next((p for p in points if p.results), None)
    if sized is None:
        return
    for i, path in enumerate(study.objectives):
        if not isinstance(result(sized.results, path), (int, float)):
            raise CaseError(f"study.objectives[{i}]", "a numeric result path of the sizing's summary, e.g. "
                            f"{ORBIT_COST}", path, "no such result")


def _pareto(points: list[Point], study: StudyConfig) -> list[int]:
    f = np.array([[_number(p, path) for path in study.objectives] for p in points]).reshape(len(points), -1)
    passing = np.array([p.status == "pass" for p in points])
    pool = passing if passing.any() else np.array([p.status in ("pass", "fail") for p in points])
    f[~pool] = np.nan
    return [int(i) for i in np.flatnonzero(pareto_mask(f))]


def _tornado(evaluator: Evaluator, study: StudyConfig, base: Point) -> list[dict]:
    y0 = _number(base, ORBIT_COST)
    swings = {}
    for v in study.variables:
        lo, hi = percentiles(v)
        y = [_number(evaluator.evaluate({v.path: x}), ORBIT_COST) for x in (lo, hi)]
        swings[v.path] = (lo, hi, *(None if math.isnan(t) else t for t in y))
    return tornado(y0, swings)


def _indices(y: np.ndarray, study: StudyConfig) -> dict:
    if not np.all(np.isfinite(y)):
        bad = int(np.sum(~np.isfinite(y)))
        return {"skipped": f"{bad} of {y.size} Saltelli points have no cost (infeasible or refused): the indices "
                           "need every point"}
    s = sobol_indices(y, len(study.variables), study.seed)
    return {v.path: {k: float(s[k][j]) for k in s} for j, v in enumerate(study.variables)}


def _sobol(evaluator: Evaluator, study: StudyConfig, progress, quiet) -> tuple[dict, dict]:
    """Sobol indices of the orbital cost per GPU-hour and of the orbit-to-ground cost ratio (what
    decides whether the orbit wins), from the same Saltelli points."""
    u = saltelli_unit(len(study.variables), study.sensitivity_samples, study.seed)
    points = _price_all(evaluator, values_at(study.variables, u), progress, quiet)
    return (_indices(np.array([_number(p, ORBIT_COST) for p in points]), study),
            _indices(np.array([_number(p, RATIO) for p in points]), study))


def check_point(document: dict, base_dir: str) -> dict:
    """The thermal check of one point (:func:`thermal.sizing.run.sized_run`) judged by the verdict
    in every run (:func:`thermal.verdict.judge_all`); a task of its own (module level, pickles)."""
    from thermal.case.load import load_case
    from thermal.sizing.run import sized_run
    from thermal.verdict import Verdict, judge_all
    try:
        run, _ = sized_run(load_case(document, base_dir=base_dir))
    except (CaseError, InfeasibleError) as err:
        return {"status": "error", "reason": str(err)}
    verdicts = judge_all(run)
    total = sum(verdicts.values(), start=Verdict(()))
    return {"status": total.status, "limits_checked": len(total.checks), "binding": total.line(),
            "runs": {name: v.status for name, v in verdicts.items()}}


def run_study(case: Case, progress=None, quiet: bool = False, engine=None, sized: Sized | None = None) -> StudyResult:
    """Run the case's study (see the module's text).

    Parameters
    ----------
    case : thermal.case.Case
        With ``case.study``.
    progress : callable, optional
        Progress lines (the solve command's).
    quiet : bool
        No progress bar.
    engine : optional
        A ``dask.distributed`` cluster (or scheduler address) overriding ``study.address``
        (with ``study.engine: dask``), e.g. a ``LocalCluster`` in a script or a test.
    sized : Sized, optional
        The case's own sizing (:func:`thermal.study.evaluate.sized_design`), when the caller has
        made it (the solve command): the base point and every point that shares its sizing key use
        it instead of sizing the case again.
    """
    start = time.perf_counter()
    progress = progress or (lambda text: None)
    study = case.study
    if study is None:
        raise ValueError("run_study: the case has no study section")
    evaluator = Evaluator(study)
    if sized is not None:
        evaluator.share({}, sized)
    values = study_points(study)
    extremes = [{v.path: x} for v in study.variables for x in percentiles(v)]
    progress(f"study: {len(values)} points")
    _size_all(evaluator, [{}, *values, *extremes], study, engine, progress, quiet)
    base = evaluator.evaluate({})
    points = _price_all(evaluator, values, progress, quiet)
    _check_objectives([base, *points], study)
    pareto = _pareto(points, study)
    paths = dict.fromkeys((*study.objectives, ORBIT_COST, GROUND_COST, "study.kg_per_kW"))
    stats = {path: statistics(np.array([_number(p, path) for p in points])) for path in paths}
    sized = [p for p in points if p.results]
    cheaper = probability(np.array([bool(p.results["study"]["orbit_cheaper"]) for p in sized]))
    out = StudyResult(study, points, base, pareto, stats, cheaper, _tornado(evaluator, study, base))
    if study.sensitivity == "sobol":
        progress("study: Sobol indices (Saltelli's points)")
        out.sobol, out.sobol_ratio = _sobol(evaluator, study, progress, quiet)
    if study.check == "pareto" and pareto:
        progress(f"study: thermal check of {len(pareto)} Pareto point(s)")
        tasks = [(apply_values(study.document, points[i].values), study.base_dir) for i in pareto]
        checked = run_tasks(check_point, tasks, engine=study.engine, address=engine or study.address,
                            workers=study.workers, label="checks", progress=progress, quiet=quiet)
        out.checks = dict(zip(pareto, checked, strict=True))
    if study.optimise is not None:
        progress("study: optimisation")
        out.optimisation = optimise(evaluator, study.optimise, progress)
    out.sizings = len(evaluator.sized)
    out.wall_time_s = time.perf_counter() - start
    return out

