"""Load cases: the same spacecraft under other conditions of the year and the life.

``load_cases`` in a case file maps a name to overrides of the case, deep-merged into it (any key
of ``orbit``, ``environment``, ``compute``, ``power``, ``thermal``), plus

- ``epoch``: ``worst_hot``, ``worst_cold`` or a date. The worst epochs are found by a sweep over
  the year of the orbit's epoch (:mod:`thermal.seasons`);
- ``life``: ``beginning_of_life`` or ``end_of_life`` (the coatings' absorptivity and the array and
  battery degradation together).

Without the key, an orbit that has seasons (sun-synchronous, or an inclination with a RAAN) is
checked at the case's epoch and at the year's worst hot and worst cold epochs; ``load_cases:
none`` checks the case alone. A design sized at end of life (a ``sizing`` block for a compute
target, its coatings or its power at ``end_of_life``, the default) is checked at beginning of life
too, at the worst cold epoch (or the case's own, without seasons): the fresh coatings absorb least,
so its radiator runs coldest (:data:`BEGINNING_OF_LIFE_LOAD_CASES`); the hot case stays at end of
life, where the coatings absorb most and the array and battery have degraded. The classic pair is
written, e.g.::

    load_cases:
      hot:  {epoch: worst_hot, life: end_of_life}
      cold: {epoch: worst_cold, life: beginning_of_life, compute: {utilisation: 0.1},
             environment: {earth_ir: 218 W/m^2, albedo: 0.25}}

Each load case is read as a whole case (every check of the reader applies to the merged result);
an error in one names its key under ``load_cases.<name>``.
"""

from __future__ import annotations

import copy

from thermal.core.errors import CaseError

#: The sections a load case may override.
OVERRIDABLE = ("orbit", "environment", "compute", "power", "thermal")
#: Epochs found by the sweep over the year (thermal.seasons).
EPOCH_RULES = ("worst_hot", "worst_cold")
LIVES = ("beginning_of_life", "end_of_life")
#: The default load cases of an orbit with seasons.
DEFAULT_LOAD_CASES = {"worst_hot": {"epoch": "worst_hot"}, "worst_cold": {"epoch": "worst_cold"}}
#: Added to the defaults of a design sized at end of life, by whether its orbit has seasons.
BEGINNING_OF_LIFE_LOAD_CASES = {
    True: {"worst_cold_bol": {"epoch": "worst_cold", "life": "beginning_of_life"}},
    False: {"beginning_of_life": {"life": "beginning_of_life"}},
}


def deep_merge(base: dict, overrides: dict) -> dict:
    """``base`` with ``overrides`` merged in: mappings merge key by key, anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def default_load_cases(has_seasons: bool, sized_at_end_of_life: bool = False) -> dict | str:
    """The load cases of a case without the key: the year's worst hot and worst cold epochs for an
    orbit with seasons, and the beginning of life for a design sized at end of life; else
    'none'."""
    spec = dict(DEFAULT_LOAD_CASES) if has_seasons else {}
    if sized_at_end_of_life:
        spec.update(BEGINNING_OF_LIFE_LOAD_CASES[has_seasons])
    return spec or "none"


def load_case_documents(data: dict, has_seasons: bool,
                        sized_at_end_of_life: bool = False) -> dict[str, tuple[dict, str | None]]:
    """The merged case document and epoch rule of every load case, by name.

    ``data`` is the case's document; ``has_seasons`` whether its orbit changes over the year and
    ``sized_at_end_of_life`` whether it sizes a design at end of life (for the default load cases,
    :func:`default_load_cases`)."""
    spec = data.get("load_cases", default_load_cases(has_seasons, sized_at_end_of_life))
    if spec == "none":
        return {}
    if not isinstance(spec, dict) or not spec:
        raise CaseError("load_cases", "a mapping from a load case's name to its overrides, or 'none'", spec)
    base = {k: v for k, v in data.items() if k != "load_cases"}
    return {name: _one(base, name, overrides) for name, overrides in spec.items()}


def _one(base: dict, name, overrides) -> tuple[dict, str | None]:
    key = f"load_cases.{name}"
    if not isinstance(name, str) or not name.replace("_", "").replace("-", "").isalnum() or len(name) > 40:
        raise CaseError(key, "a name of letters, digits, '_' and '-' (at most 40)", name)
    if name == "case":
        raise CaseError(key, "another name ('case' is the case itself)", name)
    if not isinstance(overrides, dict):
        raise CaseError(key, f"a mapping of overrides ({', '.join(OVERRIDABLE)}, epoch, life)", overrides)
    for k in overrides:
        if k not in OVERRIDABLE + ("epoch", "life"):
            raise CaseError(f"{key}.{k}", f"one of {', '.join(OVERRIDABLE)}, epoch, life", k,
                            "a load case changes the conditions, not the spacecraft or the solver")
    merged = deep_merge(base, {k: v for k, v in overrides.items() if k in OVERRIDABLE})
    return _with_life(_with_epoch(merged, key, overrides.get("epoch")), key, overrides.get("life"))


def _with_epoch(merged: dict, key: str, epoch) -> tuple[dict, str | None]:
    if epoch is None:
        return merged, None
    if not isinstance(merged.get("orbit"), dict):
        raise CaseError(f"{key}.epoch", "an orbit to date (deep space has no seasons)", epoch)
    if epoch in EPOCH_RULES:
        return merged, epoch
    merged["orbit"]["epoch"] = epoch      # a date: read and checked as orbit.epoch
    return merged, None


def _with_life(document: tuple[dict, str | None], key: str, life) -> tuple[dict, str | None]:
    merged, rule = document
    if life is None:
        return merged, rule
    if life not in LIVES:
        raise CaseError(f"{key}.life", f"one of {', '.join(LIVES)}", life)
    merged.setdefault("thermal", {})["coatings_life"] = life
    if isinstance(merged.get("power"), dict):
        merged["power"]["life"] = life
    return merged, rule


def with_prefix(err: CaseError, name: str) -> CaseError:
    """A load case's reading error, its key under ``load_cases.<name>``."""
    return CaseError(f"load_cases.{name}.{err.key}", err.expected, err.given, err.hint)
