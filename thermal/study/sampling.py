"""The points of a study: a grid, quasi-random samples, or Saltelli's scheme for Sobol indices.

Sampled studies draw points in the unit hypercube and map each coordinate through its variable's
inverse distribution function (the percent-point function of ``scipy.stats``), so that every
method (Latin hypercube, scrambled Sobol sequence from ``scipy.stats.qmc``, plain random, SALib's
Saltelli scheme) serves every distribution. A list or range in a sampled study is drawn with equal
probability per value (coordinate ``u`` picks value ``floor(u n)``).

Coordinates are clipped to ``[CLIP, 1 - CLIP]`` before the inverse distribution function, so that
a quasi-random point on the cube's face (a Saltelli matrix can hold exact zeros) stays finite for
an unbounded distribution; ``CLIP = 1e-9`` is the 6-sigma tail of a normal, far beyond anything a
study of 10^6 points resolves.

References
----------
.. [1] M. D. McKay, R. J. Beckman, W. J. Conover, "A comparison of three methods for selecting
   values of input variables in the analysis of output from a computer code", Technometrics 21
   (1979) 239-245 (Latin hypercube sampling).
.. [2] A. Saltelli et al., "Variance based sensitivity analysis of model output. Design and
   estimator for the total sensitivity index", Comput. Phys. Commun. 181 (2010) 259-270.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.stats import qmc

from thermal.case.study import Distribution, Levels, StudyConfig, Variable, frozen

CLIP = 1e-9


def unit_samples(method: str, count: int, dims: int, seed: int) -> np.ndarray:
    """``count`` points in ``[0, 1)^dims`` by ``method`` (latin_hypercube, sobol, random)."""
    if method == "latin_hypercube":
        return qmc.LatinHypercube(d=dims, rng=np.random.default_rng(seed)).random(count)
    if method == "sobol":
        return qmc.Sobol(d=dims, scramble=True, rng=np.random.default_rng(seed)).random_base2(int(np.log2(count)))
    if method == "random":
        return np.random.default_rng(seed).random((count, dims))
    raise ValueError(f"unit_samples: unknown method {method!r}")


def numbers(variable: Distribution, u: np.ndarray) -> np.ndarray:
    """The variable's values (in its unit) at the cube coordinates ``u``."""
    return frozen(variable).ppf(np.clip(u, CLIP, 1.0 - CLIP))


def values_at(variables: tuple[Variable, ...], u: np.ndarray) -> list[dict]:
    """One ``{path: value}`` per row of ``u`` (values as the case file writes them)."""
    columns = []
    for j, v in enumerate(variables):
        if isinstance(v, Levels):
            index = np.minimum((u[:, j] * len(v.values)).astype(int), len(v.values) - 1)
            columns.append([v.values[i] for i in index])
        else:
            columns.append([v.value(x) for x in numbers(v, u[:, j])])
    paths = [v.path for v in variables]
    return [dict(zip(paths, row, strict=True)) for row in zip(*columns, strict=True)]


def grid(variables: tuple[Variable, ...]) -> list[dict]:
    """Every combination of the variables' levels (the first varies slowest)."""
    levels = [v.values for v in variables if isinstance(v, Levels)]
    paths = [v.path for v in variables]
    return [dict(zip(paths, combo, strict=True)) for combo in itertools.product(*levels)]


def study_points(study: StudyConfig) -> list[dict]:
    """The study's points: its grid, or its ``count`` samples."""
    if not study.sampled:
        return grid(study.variables)
    return values_at(study.variables, unit_samples(study.method, study.count, len(study.variables), study.seed))


def salib_problem(dims: int) -> dict:
    """SALib's problem on the unit cube (the distributions are applied by :func:`values_at`)."""
    return {"num_vars": dims, "names": [f"x{i}" for i in range(dims)], "bounds": [[0.0, 1.0]] * dims}


def saltelli_unit(dims: int, base: int, seed: int) -> np.ndarray:
    """Saltelli's sample for first-order and total indices: ``base x (dims + 2)`` points in the
    unit cube (SALib ``sample.sobol``, no second-order terms)."""
    from SALib.sample import sobol as sobol_sample
    return sobol_sample.sample(salib_problem(dims), base, calc_second_order=False, scramble=True, seed=seed)


def sobol_indices(y: np.ndarray, dims: int, seed: int = 0) -> dict:
    """First-order (``S1``) and total (``ST``) Sobol indices, with their 95 % confidence half-widths,
    of the outputs ``y`` of :func:`saltelli_unit`'s points (SALib ``analyze.sobol``)."""
    from SALib.analyze import sobol as sobol_analyze
    s = sobol_analyze.analyze(salib_problem(dims), np.asarray(y, float), calc_second_order=False,
                              print_to_console=False, seed=seed)
    return {k: np.asarray(s[k], float) for k in ("S1", "S1_conf", "ST", "ST_conf")}


def percentiles(variable: Variable, q: tuple[float, float] = (0.05, 0.95)) -> tuple:
    """A variable's values at the probabilities ``q`` (its lowest and highest level for a list)."""
    if isinstance(variable, Levels):
        return variable.values[0], variable.values[-1]
    return tuple(variable.value(x) for x in frozen(variable).ppf(np.asarray(q)))
