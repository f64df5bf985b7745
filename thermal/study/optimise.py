"""Optimising free design variables of a sized case (``study.optimise``).

The variables are case keys with continuous bounds (``sizing.radiator_temperature``,
``sizing.max_module_mass``, ``power.battery.max_depth_of_discharge``, ``orbit.altitude``, any
economics input); every trial point is a study point, evaluated by
:class:`thermal.study.evaluate.Evaluator` (read by the case reader, sized, priced), so a discrete
choice such as ``compute.schedule`` belongs in ``study.vary`` (a grid) rather than here.

- One objective: SciPy's ``differential_evolution`` (global, population based; ``polish`` off so
  that the evaluation budget holds) or ``minimize(method='Nelder-Mead')`` from the middle of the
  bounds, with at most ``max_evaluations`` evaluations.
- Several objectives: pymoo's NSGA-II (K. Deb et al., IEEE Trans. Evol. Comput. 6 (2002) 182-197)
  for ``max_evaluations`` evaluations; the answer is its non-dominated set.

A point that is infeasible, refused, or misses a study constraint scores :data:`PENALTY` in every
objective (the optimisers need finite values). Each sizing takes what
:func:`thermal.sizing.run.run_sizing` takes: with ``sizing.refine: network`` tens of seconds, so
an optimisation over design variables wants ``sizing.refine: none`` or a small budget.
"""

from __future__ import annotations

import numpy as np

from thermal.case.study import Optimisation
from thermal.study.evaluate import Evaluator, Point, result

#: The score of a point without a valid result.
PENALTY = 1e30


def _values(opt: Optimisation, x) -> dict:
    return {path: (float(xi) if not unit else f"{float(xi):.12g} {unit}")
            for (path, _, _, unit), xi in zip(opt.bounds, x, strict=True)}


def _scores(point: Point, objectives: tuple[str, ...]) -> list[float]:
    if point.status != "pass":
        return [PENALTY] * len(objectives)
    out = []
    for path in objectives:
        value = result(point.results, path)
        out.append(float(value) if isinstance(value, (int, float)) and np.isfinite(value) else PENALTY)
    return out


def optimise(evaluator: Evaluator, opt: Optimisation, progress=None) -> dict:
    """Run the optimisation; returns ``method``, ``evaluations``, and ``best`` (one objective:
    ``{values, objectives, status}``) or ``front`` (several: a list of them)."""
    progress = progress or (lambda text: None)
    lo = np.array([b[1] for b in opt.bounds])
    hi = np.array([b[2] for b in opt.bounds])
    trials: list[Point] = []

    def evaluate(x) -> list[float]:
        point = evaluator.evaluate(_values(opt, x))
        trials.append(point)
        progress(f"study: optimisation, evaluation {len(trials)}")
        return _scores(point, opt.objectives)

    if opt.method == "nsga2":
        front = _nsga2(evaluate, opt, lo, hi)
        return {"method": opt.method, "evaluations": len(trials), "objectives": list(opt.objectives),
                "front": [{"values": _values(opt, x), "objectives": dict(zip(opt.objectives, f, strict=True))}
                          for x, f in front]}
    x = _scipy(lambda x: evaluate(x)[0], opt, lo, hi)
    best = evaluator.evaluate(_values(opt, x))
    return {"method": opt.method, "evaluations": len(trials), "objectives": list(opt.objectives),
            "best": {"values": _values(opt, x), "status": best.status, "reason": best.reason,
                     "objectives": dict(zip(opt.objectives, _scores(best, opt.objectives), strict=True))}}


def _scipy(f, opt: Optimisation, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    from scipy.optimize import differential_evolution, minimize
    bounds = list(zip(lo, hi, strict=True))
    if opt.method == "nelder_mead":
        r = minimize(f, 0.5 * (lo + hi), method="Nelder-Mead", bounds=bounds,
                     options={"maxfev": opt.max_evaluations, "xatol": 1e-6 * float(np.max(hi - lo)), "fatol": 1e-9})
        return np.asarray(r.x)
    popsize = 5
    per_generation = popsize * len(bounds)
    maxiter = max(opt.max_evaluations // per_generation - 1, 1)
    r = differential_evolution(f, bounds, popsize=popsize, maxiter=maxiter, polish=False, rng=opt.seed, tol=1e-8)
    return np.asarray(r.x)


def _nsga2(evaluate, opt: Optimisation, lo: np.ndarray, hi: np.ndarray) -> list[tuple[np.ndarray, list[float]]]:
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.problem import ElementwiseProblem
    from pymoo.optimize import minimize

    class Problem(ElementwiseProblem):
        def __init__(self):
            super().__init__(n_var=len(lo), n_obj=len(opt.objectives), xl=lo, xu=hi)

        def _evaluate(self, x, out, *args, **kwargs):
            out["F"] = evaluate(x)

    pop = max(min(opt.max_evaluations // 5, 40), 4)
    res = minimize(Problem(), NSGA2(pop_size=pop), ("n_eval", opt.max_evaluations), seed=opt.seed, verbose=False)
    xs = np.atleast_2d(res.X)
    fs = np.atleast_2d(res.F)
    return [(x, [float(v) for v in f]) for x, f in zip(xs, fs, strict=True) if np.all(f < PENALTY)]
