"""What a study's points say: the Pareto front, the statistics of a sample, what moves a result.

- :func:`pareto_mask`: the non-dominated points of a set of objectives to minimise. Point ``a``
  dominates ``b`` when it is no worse in every objective and better in at least one.
- :func:`statistics`: mean, standard deviation, median, the 5th and 95th percentiles of a sample
  (``numpy.percentile``, linear interpolation) and the standard error of the mean
  ``sd / sqrt(n)`` (exact for independent samples, conservative for a Latin hypercube, whose
  variance of the mean is no larger for a monotone function, McKay et al. 1979).
- :func:`probability`: the fraction of a sample meeting a condition, with its binomial standard
  error ``sqrt(p (1 - p) / n)``.
- :func:`tornado`: one input at a time moved to its low and high value (the 5th and 95th
  percentiles of its distribution, a list's ends), the others at the case's own values; inputs
  ranked by the swing of the result.
"""

from __future__ import annotations

import math

import numpy as np


def pareto_mask(objectives: np.ndarray) -> np.ndarray:
    """Boolean mask of the non-dominated rows of ``objectives`` (n points x k objectives, all
    minimised). Rows with a NaN are never on the front; equal rows are all kept."""
    f = np.asarray(objectives, float)
    if f.ndim == 1:
        f = f[:, None]
    finite = np.all(np.isfinite(f), axis=1)
    keep = finite.copy()
    order = np.argsort(f[:, 0], kind="stable")
    for i in order:
        if not keep[i]:
            continue
        # the points i dominates
        dominated = np.all(f[i] <= f, axis=1) & np.any(f[i] < f, axis=1)
        keep &= ~dominated
    return keep & finite


def statistics(values: np.ndarray) -> dict:
    """Mean, sd, median, p5, p95, min, max and the mean's standard error of a sample."""
    y = np.asarray(values, float)
    y = y[np.isfinite(y)]
    if y.size == 0:
        return {"count": 0}
    sd = float(np.std(y, ddof=1)) if y.size > 1 else 0.0
    p5, p50, p95 = (float(v) for v in np.percentile(y, [5.0, 50.0, 95.0]))
    return {"count": int(y.size), "mean": float(np.mean(y)), "sd": sd, "mean_standard_error": sd / math.sqrt(y.size),
            "median": p50, "p5": p5, "p95": p95, "min": float(np.min(y)), "max": float(np.max(y))}


def probability(condition: np.ndarray) -> dict:
    """The fraction of a sample where ``condition`` holds and its binomial standard error."""
    c = np.asarray(condition, bool)
    n = c.size
    p = float(np.mean(c)) if n else float("nan")
    return {"probability": p, "standard_error": math.sqrt(p * (1.0 - p) / n) if n else float("nan"), "count": n}


def tornado(base: float, swings: dict[str, tuple[object, object, float | None, float | None]]) -> list[dict]:
    """Inputs ranked by how far they move a result from its ``base``.

    ``swings``: path -> (low value, high value, result at low, result at high); a result of None
    (that point infeasible or refused) counts as no swing on that side. Returns one dict per input,
    largest swing first: ``path``, ``low``, ``high`` (the values), ``result_low``, ``result_high``,
    ``swing`` (``|result_high - result_low|``, or the one side's distance from the base)."""
    rows = []
    for path, (lo, hi, y_lo, y_hi) in swings.items():
        sides = [y for y in (y_lo, y_hi) if y is not None and math.isfinite(y)]
        if len(sides) == 2:
            swing = abs(sides[1] - sides[0])
        elif sides:
            swing = abs(sides[0] - base)
        else:
            swing = float("nan")
        rows.append({"path": path, "low": lo, "high": hi, "result_low": y_lo, "result_high": y_hi, "swing": swing})
    return sorted(rows, key=lambda r: -r["swing"] if math.isfinite(r["swing"]) else math.inf)
