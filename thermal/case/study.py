"""The ``study`` section: which case keys to vary, how to sample them, what to minimise.

A study runs the case many times with some of its keys changed (:mod:`thermal.study`). This module
reads and checks the section, and applies a point's values to the case's document
(:func:`apply_values`) so that every point is read by the case reader exactly as a case file
would be: a value the reader refuses is refused with its key path.

``study`` keys (``docs/case_keys.md``):

- ``vary``: case key path (``economics.launch_price``, ``sizing.radiator_temperature``,
  ``orbit.altitude``, ``compute.schedule``) -> one of

  - a list of values, each written as the case file would write it (``[100 usd/kg, 250 usd/kg]``,
    ``[always_on, eclipse_throttle]``);
  - a range ``{from, to, count}``: ``count`` values evenly spaced from ``from`` to ``to``, in the
    unit of ``from``;
  - a distribution ``{distribution: uniform, low, high}``, ``{distribution: normal, mean, sd}``,
    ``{distribution: lognormal, median, sigma}`` (``sigma`` the standard deviation of the
    logarithm, a bare number) or ``{distribution: triangular, low, mode, high}``, each parameter
    with its unit (bare numbers for a dimensionless key).

  or ``default`` for a key of the economics' uncertainty table
  (:data:`thermal.case.sizing.ECONOMICS_UNCERTAINTY`): its default distribution, with its source.

- ``uncertainty``: ``none`` (default) or ``prices``: every price of that table drawn from its
  default distribution (those in ``vary`` as ``vary`` says): the economics inputs that leave a
  design as it is, so the whole Monte Carlo shares one sizing.
- ``samples``: ``{method, count, seed}``. ``method``: ``grid`` (every combination of the lists and
  ranges; the default without a distribution), ``latin_hypercube`` (the default with one),
  ``sobol`` (scrambled Sobol sequence, ``count`` a power of two) or ``random``; both quasi-random
  methods from ``scipy.stats.qmc``. ``count`` default 1000, ``seed`` default 0. In a sampled
  study a list or range is drawn with equal probability per value.
- ``sensitivity``: ``none`` (default) or ``sobol``: first-order and total Sobol indices with
  SALib (Saltelli's sampling, ``sensitivity_samples`` base samples, a power of two, default 1024).
- ``objectives``: result paths to minimise, as in ``summary.json`` (default
  ``[sizing.orbital_usd_per_gpu_hour]``); the Pareto front is over them.
- ``constraints``: result path -> ``{min, max}`` in the unit its name carries (bare numbers),
  e.g. ``sizing.mass_kg: {max: 2.0e6}``; a point that misses one is ``fail``.
- ``check``: ``none`` (default) or ``pareto``: run the sizing's thermal check models
  (``sizing.check``) on every Pareto point, each as a task of its own, and judge every limit of
  the verdict there.
- ``engine``: ``local`` (default: a process pool of ``workers`` processes, default the CPU count)
  or ``dask`` with ``address`` (a ``dask.distributed`` scheduler, e.g. ``tcp://10.0.0.5:8786``).
- ``optimise``: ``{objective, variables: {path: {from, to}}, method}`` minimises one result over
  continuous design variables with SciPy (``method: differential_evolution`` (default) or
  ``nelder_mead``), or several (``objective`` a list) with pymoo's NSGA-II (``method: nsga2``),
  ``max_evaluations`` (default 200), ``seed``.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from thermal.case.document import set_key_path, split_key_path
from thermal.case.reader import Section
from thermal.case.sizing import ECONOMICS_UNCERTAINTY, Uncertain
from thermal.case.units import number_and_unit, parse_quantity
from thermal.core.errors import CaseError

#: The distributions of ``study.vary`` and their parameters (the first sets the unit).
DISTRIBUTIONS = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "triangular": ("low", "mode", "high"),
}
SAMPLING_METHODS = ("grid", "latin_hypercube", "sobol", "random")
ENGINES = ("local", "dask")
SENSITIVITY = ("none", "sobol")
CHECKS = ("none", "pareto")
OPTIMISERS = ("differential_evolution", "nelder_mead", "nsga2")
#: The most points a study may have (a grid's product of levels, or samples): a guard against a
#: typo that would run for days, raised by ``study.max_points``.
DEFAULT_MAX_POINTS = 200_000
DEFAULT_OBJECTIVES = ("sizing.orbital_usd_per_gpu_hour",)
#: ``study.uncertainty``: ``prices`` draws every price of the economics' uncertainty table, the
#: inputs that leave a design as it is (the mission life and the launcher's payload size it anew).
UNCERTAINTY = ("none", "prices")
_DESIGN_INPUTS = ("economics.mission_years",)
#: z of the 95th percentile of a normal: a lognormal's 5th-95th percentiles are median * exp(-+z sigma)
_Z95 = 1.6448536269514722


@dataclass(frozen=True)
class Levels:
    """A key varied over given values (a list, or a range written out), as the case writes them."""

    path: str
    values: tuple


@dataclass(frozen=True)
class Distribution:
    """A key drawn from a distribution; ``params`` in ``unit`` (``''``: a bare number), in the
    order of :data:`DISTRIBUTIONS` (``sigma`` of a lognormal is dimensionless)."""

    path: str
    kind: str
    params: tuple[float, ...]
    unit: str

    def value(self, x: float) -> object:
        """A drawn number as the case file writes it."""
        return float(x) if not self.unit else f"{float(x):.12g} {self.unit}"


Variable = Levels | Distribution


@dataclass(frozen=True)
class Optimisation:
    """The ``study.optimise`` block: minimise ``objectives`` over continuous ``bounds``
    (path -> (low, high, unit))."""

    objectives: tuple[str, ...]
    bounds: tuple[tuple[str, float, float, str], ...]
    method: str
    max_evaluations: int
    seed: int


@dataclass(frozen=True)
class StudyConfig:
    """The ``study`` section, with the case's document (without it) to apply points to.

    ``document`` is the case file's mapping without ``study``; ``base_dir`` where its relative file
    names are found."""

    variables: tuple[Variable, ...]
    method: str
    count: int
    seed: int
    sensitivity: str
    sensitivity_samples: int
    objectives: tuple[str, ...]
    constraints: tuple[tuple[str, float | None, float | None], ...]
    check: str
    engine: str
    address: str | None
    workers: int | None
    optimise: Optimisation | None
    document: dict = field(repr=False, default_factory=dict)
    base_dir: str = "."

    @property
    def sampled(self) -> bool:
        return self.method != "grid"

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(v.path for v in self.variables)


# --------------------------------------------------------------------------------------------
# Applying values to a case document
# --------------------------------------------------------------------------------------------


def apply_values(document: dict, values: dict, key: str = "study.vary") -> dict:
    """A deep copy of a case's ``document`` with each ``path -> value`` set by
    :func:`thermal.case.document.set_key_path` (the one key-path editor, ``Case.with_values``'
    too: names joined by dots, list items as ``[index]``, missing mappings made), for the case
    reader to read and check. ``key`` names the study key in messages."""
    out = copy.deepcopy(document)
    for path, value in values.items():
        try:
            set_key_path(out, path, copy.deepcopy(value))
        except CaseError as err:
            raise CaseError(f"{key}.{path}", err.expected, err.given, err.hint) from None
    return out


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _magnitude(value: object, key: str, unit: str | None) -> tuple[float, str]:
    """A parameter as (number, unit text): a bare number ('' unit) or a quantity, in ``unit`` when
    given (the first parameter's)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit:
            raise CaseError(key, f"a quantity in {unit}, as the first parameter", value, "a bare number needs a unit")
        if not math.isfinite(value):
            raise CaseError(key, "a finite number", value)
        return float(value), ""
    if unit == "":
        raise CaseError(key, "a bare number, as the first parameter", value)
    if unit is None:
        number, text = number_and_unit(value, key, "250 usd/kg")
        return number, text
    q = parse_quantity(value, key, "250 usd/kg")
    try:
        return float(q.to(unit).magnitude), unit
    except Exception:
        raise CaseError(key, f"a quantity convertible to {unit}, as the first parameter", value) from None


def _difference(value: object, key: str, unit: str) -> float:
    """A spread (sd) in ``unit``, converted as a difference (right for offset units such as degC)."""
    if not unit:
        number, _ = _magnitude(value, key, "")
        return number
    _, text = number_and_unit(value, key, "10 usd/kg")
    q, zero = parse_quantity(value, key, "10 usd/kg"), parse_quantity(f"0 {text}", key, "10 usd/kg")
    try:
        return float(q.to(unit).magnitude - zero.to(unit).magnitude)
    except Exception:
        raise CaseError(key, f"a quantity convertible to {unit}", value) from None


def _distribution(path: str, spec: Section) -> Distribution:
    kind = spec.choice("distribution", tuple(DISTRIBUTIONS))
    names = DISTRIBUTIONS[kind]
    first, unit = _magnitude(spec.raw(names[0], expected="a value"), spec.key(names[0]), None)
    params = [first]
    for name in names[1:]:
        raw = spec.raw(name, expected="a value")
        if name == "sigma":
            params.append(_magnitude(raw, spec.key(name), "")[0])
        elif name == "sd":
            params.append(_difference(raw, spec.key(name), unit))
        else:
            params.append(_magnitude(raw, spec.key(name), unit)[0])
    spec.done()
    p = params
    if kind in ("uniform", "triangular") and not p[0] < p[-1]:
        raise CaseError(spec.key("high"), f"a value above low ({p[0]:g} {unit})", p[-1])
    if kind == "triangular" and not p[0] <= p[1] <= p[2]:
        raise CaseError(spec.key("mode"), f"a value from low to high ({p[0]:g} to {p[2]:g} {unit})", p[1])
    if kind in ("normal", "lognormal") and not p[1] > 0:
        raise CaseError(spec.key(names[1]), "a positive spread", p[1])
    if kind == "lognormal" and not p[0] > 0:
        raise CaseError(spec.key("median"), "a positive median", p[0])
    return Distribution(path, kind, tuple(p), unit)


def _range(path: str, spec: Section) -> Levels:
    start, unit = _magnitude(spec.raw("from", expected="a value"), spec.key("from"), None)
    stop, _ = _magnitude(spec.raw("to", expected="a value"), spec.key("to"), unit)
    count = spec.integer("count", lo=2, hi=10_000)
    spec.done()
    numbers = [start + (stop - start) * i / (count - 1) for i in range(count)]
    if not unit and isinstance(spec.data["from"], int) and isinstance(spec.data["to"], int) \
            and all(float(x).is_integer() for x in numbers):
        return Levels(path, tuple(int(x) for x in numbers))    # a count stays a whole number
    return Levels(path, tuple(x if not unit else f"{x:.12g} {unit}" for x in numbers))


def _check_path(path: str, key: str) -> None:
    try:
        split_key_path(path)
    except CaseError as err:
        raise CaseError(key, err.expected, path) from None
    if path.split(".")[0] in ("study", "name", "load_cases"):
        raise CaseError(key, "a key of the case's design or economics", path, "the study cannot vary this")


def _first_parameters(vary: Section) -> dict[str, list[tuple[str, object]]]:
    """The parameter of each range or distribution that sets its unit (``from``, ``low``, ``mean``,
    ``median``), to be tried by the case reader before the others are converted to its unit (so
    that a wrong unit there is named there)."""
    out = {}
    for path, spec in vary.data.items():
        _check_path(str(path), vary.key(str(path)))
        if not isinstance(spec, dict):
            continue
        kind = spec.get("distribution")
        name = "from" if "from" in spec else DISTRIBUTIONS[kind][0] if isinstance(kind, str) and kind in DISTRIBUTIONS \
            else None
        if name in spec and isinstance(spec[name], str):
            out[str(path)] = [(f"{vary.key(str(path))}.{name}", spec[name])]
    return out


def default_distribution(row: Uncertain) -> Distribution:
    """The default distribution of an input of :data:`thermal.case.sizing.ECONOMICS_UNCERTAINTY`:
    uniform on [low, high]; triangular on [low, high] with its mode at the default; lognormal with
    low and high its 5th and 95th percentiles (median sqrt(low high), sigma ln(high/low) / 3.29)."""
    if row.distribution == "uniform":
        return Distribution(row.key, "uniform", (row.low, row.high), row.unit)
    if row.distribution == "triangular":
        return Distribution(row.key, "triangular", (row.low, row.default, row.high), row.unit)
    return Distribution(row.key, "lognormal",
                        (math.sqrt(row.low * row.high), math.log(row.high / row.low) / (2 * _Z95)), row.unit)


def price_uncertainties() -> dict[str, Uncertain]:
    """The rows of the uncertainty table that ``study.uncertainty: prices`` draws, by key path."""
    return {row.key: row for row in ECONOMICS_UNCERTAINTY
            if row.key.startswith("economics.") and row.key not in _DESIGN_INPUTS}


def _variable(path: str, spec: object, key: str) -> Variable:
    if spec == "default":
        rows = {row.key: row for row in ECONOMICS_UNCERTAINTY}
        if path not in rows:
            raise CaseError(key, f"a distribution, or default for a key of the uncertainty table ({', '.join(rows)})",
                            spec)
        return default_distribution(rows[path])
    if isinstance(spec, list):
        if not spec:
            raise CaseError(key, "a list of at least one value", spec)
        return Levels(path, tuple(spec))
    if not isinstance(spec, dict):
        raise CaseError(key, "a list of values, {from, to, count} or {distribution, ...}", spec)
    sec = Section(spec, key)
    if "distribution" in spec:
        return _distribution(path, sec)
    if "from" in spec or "to" in spec:
        return _range(path, sec)
    raise CaseError(key, "a list of values, {from, to, count} or {distribution: "
                    f"{' | '.join(DISTRIBUTIONS)}, ...}}", spec)


def _paths(sec: Section, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = sec.raw(name, list(default), "a result path or a list of them")
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise CaseError(sec.key(name), "at least one result path, e.g. sizing.orbital_usd_per_gpu_hour", raw)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not all(item.split(".")):
            raise CaseError(f"{sec.key(name)}[{i}]", "a result path such as sizing.orbital_usd_per_gpu_hour", item)
    return tuple(items)


def _constraints(sec: Section) -> tuple[tuple[str, float | None, float | None], ...]:
    raw = sec.section("constraints")
    out = []
    for path in raw.data:
        raw.read.add(path)
        one = Section(raw.data[path], raw.key(path))
        lo, hi = one.number("min", None), one.number("max", None)
        one.done()
        if lo is None and hi is None:
            raise CaseError(one.key("max"), "a bound: min, max or both (in the unit the result's name carries)",
                            hint="missing")
        if lo is not None and hi is not None and lo > hi:
            raise CaseError(one.key("min"), f"at most max ({hi:g})", lo)
        out.append((path, lo, hi))
    return tuple(out)


def _power_of_two(sec: Section, name: str, value: int) -> None:
    if value & (value - 1):
        raise CaseError(sec.key(name), "a power of two (a Sobol sequence's balance needs one), e.g. 1024", value)


def _optimise(sec: Section) -> Optimisation | None:
    if "optimise" not in sec:
        sec.read.add("optimise")
        return None
    opt = sec.section("optimise")
    objectives = _paths(opt, "objective", DEFAULT_OBJECTIVES)
    default = "nsga2" if len(objectives) > 1 else "differential_evolution"
    method = opt.choice("method", OPTIMISERS, default)
    if (method == "nsga2") != (len(objectives) > 1):
        raise CaseError(opt.key("method"), "nsga2 for several objectives, a SciPy method for one", method)
    variables = opt.section("variables", required=True)
    bounds = []
    for path in variables.data:
        variables.read.add(path)
        spec = Section(variables.data[path], variables.key(path))
        lo, unit = _magnitude(spec.raw("from", expected="a value"), spec.key("from"), None)
        hi, _ = _magnitude(spec.raw("to", expected="a value"), spec.key("to"), unit)
        spec.done()
        if not lo < hi:
            raise CaseError(spec.key("to"), f"a value above from ({lo:g} {unit})", hi)
        bounds.append((path, lo, hi, unit))
    if not bounds:
        raise CaseError(opt.key("variables"), "at least one design variable {path: {from, to}}", {})
    result = Optimisation(objectives, tuple(bounds), method,
                          opt.integer("max_evaluations", 200, lo=4, hi=100_000), opt.integer("seed", 0, lo=0))
    opt.done()
    return result


def read_study(sec: Section, document: dict, base_dir: str,
               read_point: Callable[[dict], object]) -> StudyConfig:
    """Read and check the ``study`` section of a case whose mapping is ``document``.

    Every varied key is tried at its extremes (a list's values, a range's ends, a distribution's
    1st and 99th percentiles for an unbounded one, its bounds otherwise) by ``read_point`` (the
    case reader, on the document with those values), so that a key the case does not have or a
    value it refuses stops the study before any work, with the key path."""
    uncertainty = sec.choice("uncertainty", UNCERTAINTY, "none")
    vary = sec.section("vary", required=uncertainty == "none")
    if not vary.data and uncertainty == "none":
        raise CaseError("study.vary", "at least one key to vary", {})
    _try(document, _first_parameters(vary), read_point)
    variables = []
    for path in vary.data:
        vary.read.add(path)
        variables.append(_variable(str(path), vary.data[path], vary.key(str(path))))
    if uncertainty == "prices":   # the table's prices, those in vary as vary says
        variables += [default_distribution(row) for key, row in price_uncertainties().items() if key not in vary.data]
    has_distribution = any(isinstance(v, Distribution) for v in variables)
    samples = sec.section("samples")
    method = samples.choice("method", SAMPLING_METHODS, "latin_hypercube" if has_distribution else "grid")
    if method == "grid" and has_distribution:
        raise CaseError(samples.key("method"), "a sampling method (latin_hypercube, sobol, random) for a distribution",
                        method)
    count = samples.integer("count", 1000, lo=1)
    if method == "sobol":
        _power_of_two(samples, "count", count)
    seed = samples.integer("seed", 0, lo=0)
    samples.done()
    max_points = sec.integer("max_points", DEFAULT_MAX_POINTS, lo=1)
    n = math.prod(len(v.values) for v in variables if isinstance(v, Levels)) if method == "grid" else count
    if n > max_points:
        raise CaseError("study.samples" if method != "grid" else "study.vary",
                        f"at most study.max_points = {max_points:,} points", n, "raise study.max_points")
    sensitivity = sec.choice("sensitivity", SENSITIVITY, "none")
    n_sens = sec.integer("sensitivity_samples", 1024, lo=2)
    _power_of_two(sec, "sensitivity_samples", n_sens)
    if sensitivity == "sobol" and n_sens * (len(variables) + 2) > max_points:
        raise CaseError("study.sensitivity_samples", f"at most study.max_points = {max_points:,} points with the "
                        f"{len(variables) + 2} evaluations per sample Saltelli's scheme needs", n_sens)
    engine = sec.choice("engine", ENGINES, "local")
    address = sec.string("address") if engine == "dask" else None
    if engine != "dask" and "address" in sec:
        raise CaseError("study.address", "no address for engine: local (a dask scheduler's, with engine: dask)",
                        sec.raw("address"))
    workers = sec.integer("workers", None, lo=1, hi=1024)
    study = StudyConfig(
        variables=tuple(variables), method=method, count=count, seed=seed, sensitivity=sensitivity,
        sensitivity_samples=n_sens, objectives=_paths(sec, "objectives", DEFAULT_OBJECTIVES),
        constraints=_constraints(sec), check=sec.choice("check", CHECKS, "none"), engine=engine, address=address,
        workers=workers, optimise=_optimise(sec), document=document, base_dir=base_dir)
    sec.done()
    _try(document, {v.path: trials(v, f"study.vary.{v.path}") for v in study.variables}, read_point)
    return study


def trials(variable: Variable, key: str) -> list[tuple[str, object]]:
    """The values a variable is tried at when the study is read, each with the study key a refusal
    names (see :func:`read_study`): a list's values; a range's ends; a bounded distribution's
    bounds (``low``, ``high``), an unbounded one's centre and its 1st and 99th percentiles."""
    if isinstance(variable, Levels):
        return [(key, v) for v in variable.values]
    if variable.kind in ("uniform", "triangular"):
        return [(f"{key}.low", variable.value(variable.params[0])),
                (f"{key}.high", variable.value(variable.params[-1]))]
    centre = "mean" if variable.kind == "normal" else "median"
    return [(f"{key}.{centre}", variable.value(variable.params[0])),
            *((key, variable.value(x)) for x in frozen(variable).ppf([0.01, 0.99]))]


def frozen(variable: Distribution):
    """The variable's distribution as a frozen ``scipy.stats`` distribution in its unit (one object
    per distribution and parameters: SciPy builds the docstring and argument parser of each new
    frozen distribution, some 30 ms, and a case with a study reads its distributions in every read)."""
    return _frozen(variable.kind, tuple(variable.params))


@functools.lru_cache(maxsize=256)
def _frozen(kind: str, p: tuple[float, ...]):
    from scipy import stats
    if kind == "uniform":
        return stats.uniform(loc=p[0], scale=p[1] - p[0])
    if kind == "normal":
        return stats.norm(loc=p[0], scale=p[1])
    if kind == "lognormal":
        return stats.lognorm(s=p[1], scale=p[0])
    width = p[2] - p[0]
    return stats.triang(c=(p[1] - p[0]) / width, loc=p[0], scale=width)


def _try(document: dict, trials_by_path: dict[str, list[tuple[str, object]]],
         read_point: Callable[[dict], object]) -> None:
    """Read the case with each trial value; the i-th trials of all variables together in one read
    (a study of six keys costs a few reads, not dozens), each alone to name the one refused."""
    rounds = max((len(t) for t in trials_by_path.values()), default=0)
    for i in range(rounds):
        batch = {path: t[i] for path, t in trials_by_path.items() if i < len(t)}
        try:
            read_point(apply_values(document, {path: value for path, (_, value) in batch.items()}))
            continue
        except CaseError:
            pass
        for path, (key, value) in batch.items():
            try:
                read_point(apply_values(document, {path: value}))
            except CaseError as err:
                reader = f"{err.key}: expected {err.expected}" + (f" ({err.hint})" if err.hint else "")
                raise CaseError(key, f"values the case accepts at {path}", value,
                                f"the case reader: {reader}") from None
