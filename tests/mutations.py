"""Mutation operators over the shipped cases, shared by the property test of the case reader
(``tests/unit/test_case_mutations.py``) and the corpus benchmark (``benchmarks/case_corpus.py``).

A :class:`Mutant` is one shipped case changed in one way, with a one-line description and what the
case reader must do with it:

- ``REFUSE``: the value is invalid by the contract (``docs/CASE_FORMAT.md``, ``docs/case_keys.md``),
  by issue 17 or by plain physics (a negative length, an absolute temperature of zero): the reader
  must raise ``CaseError``;
- ``EITHER``: loaded or refused, both fine, as long as a refusal is a ``CaseError`` (a scaled value
  may leave a plausible range, a deleted key may have a default);
- ``LOAD``: valid, it must load (a UTF-16 file with its byte-order mark).

``Mutant.key`` is the key path (``spacecraft.radiators[0].area``, the reader's notation) that a
refusal must name, a key above it or a key inside it; None where that cannot be told in advance
(a refusal may then come from any key, e.g. after a deletion).

Two kinds of operators:

- data-level: on the parsed case (a mapping), at one key path (:data:`PATH_OPERATORS`) or for the
  case as a whole (:data:`CASE_OPERATORS`: the absurd values and contradictions issue 17 lists);
- text-level: on the case file's bytes (:data:`TEXT_OPERATORS`: YAML alias bombs, deep nesting,
  keys that are lists, encodings, duplicate keys, truncation).

Every operator takes a :class:`Pick`, the source of its choices: :class:`RandomPick` (a seeded
``random.Random``, for the corpus) or a Hypothesis ``draw`` (the property test), so both explore
the same operators.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from hypothesis import strategies as st

from thermal.case import Case
from thermal.case.panels import PanelArrayCase
from thermal.core.errors import CaseError

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"

REFUSE, EITHER, LOAD = "refuse", "either", "load"

#: Sizes of the "huge" mutations (issue 17: a 10 MB name, a 2-million-item list).
HUGE_STRING = 10_000_000
HUGE_LIST = 2_000_000

T = TypeVar("T")
KeyPath = tuple[str | int, ...]


# --- the shipped cases ----------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Shipped:
    """A shipped case: its file's bytes and the mapping they hold."""

    name: str
    path: Path
    text: bytes
    data: dict

    @functools.cached_property
    def paths(self) -> tuple[KeyPath, ...]:
        """Every key path in the case (mapping keys and list items), parents before children."""
        return tuple(walk(self.data))


@functools.cache
def shipped() -> tuple[Shipped, ...]:
    """The shipped cases (``cases/*.yaml``), by name."""
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        text = path.read_bytes()
        out.append(Shipped(path.stem, path, text, yaml.safe_load(text)))
    return tuple(out)


def walk(node: object, prefix: KeyPath = ()):
    """Key paths below ``node``: mapping keys and list indices, depth first."""
    if isinstance(node, dict):
        items: Sequence[tuple[str | int, object]] = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return
    for key, value in items:
        path = prefix + (key,)
        yield path
        yield from walk(value, path)


def key_path(path: KeyPath) -> str:
    """A key path in the reader's notation: ``spacecraft.radiators[0].area``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def get(data: object, path: KeyPath) -> Any:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def _copied_to(data: dict, path: KeyPath) -> tuple[dict, Any]:
    """A copy of ``data`` in which the containers along ``path`` (its last key excepted) are new,
    mappings created where missing, and every other value is shared with ``data``; and the
    container that holds ``path``'s last key. (A deep copy of a whole case for every mutant was
    half the time of the property test; the reader does not change what it reads, which the
    property test checks.)"""
    out = dict(data)
    node: Any = out
    for part in path[:-1]:
        child = node[part] if isinstance(node, list) or part in node else None
        child = dict(child) if isinstance(child, dict) else list(child) if isinstance(child, list) else {}
        node[part] = child
        node = child
    return out, node


def replaced(data: dict, path: KeyPath, value: object) -> dict:
    """``data`` with the value at ``path`` replaced (mappings on the way created), ``data`` unchanged."""
    out, node = _copied_to(data, path)
    node[path[-1]] = value
    return out


def deleted(data: dict, path: KeyPath) -> dict:
    out, node = _copied_to(data, path)
    del node[path[-1]]
    return out


def renamed(data: dict, path: KeyPath, new: object) -> dict:
    """``data`` with the key at ``path`` renamed to ``new``, in its place (order kept)."""
    out, node = _copied_to(data, path)
    items = [(new if k == path[-1] else k, v) for k, v in node.items()]
    node.clear()
    node.update(items)
    return out


# --- mutants and the source of choices --------------------------------------------------------------

@dataclasses.dataclass(frozen=True, repr=False)
class Mutant:
    """A mutated case: ``data`` (the mapping) or ``text`` (a file's bytes); where both are given,
    ``text`` is the file of ``data`` (written faster than the YAML emitter would)."""

    case: str
    description: str
    expect: str
    key: str | None = None
    data: dict | None = None
    text: bytes | None = None
    operator: str = ""

    def __repr__(self) -> str:      # what a failing test shows: not megabytes of case
        return f"Mutant({self.description!r}, expect={self.expect!r}, key={self.key!r})"

    def _repr_pretty_(self, printer, cycle) -> None:     # Hypothesis's (IPython's) pretty printer
        printer.text(repr(self))

    def as_bytes(self) -> bytes:
        """The mutant as a case file (a mapping is written as YAML, libyaml when there is one)."""
        if self.text is not None:
            return self.text
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return yaml.dump(self.data, Dumper=dumper, allow_unicode=True, sort_keys=False).encode()


class Pick(Protocol):
    """Where an operator's choices come from."""

    def choice(self, options: Sequence[T]) -> T: ...

    def integer(self, lo: int, hi: int) -> int: ...


class RandomPick:
    """Choices from a seeded ``random.Random`` (the corpus)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


# --- what a value is ----------------------------------------------------------------------------------

_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_QUANTITY = re.compile(rf"\s*(?P<number>{_NUMBER})\s+(?P<unit>\S.*?)\s*")

#: The kind of each unit the shipped cases use; a unit not listed is "other".
UNIT_KINDS = {
    "m": "length", "km": "length", "cm": "length", "mm": "length", "um": "length",
    "m^2": "area", "s": "time", "min": "time", "h": "time", "d": "time", "yr": "time",
    "kg": "mass", "t": "mass", "K": "temperature", "degC": "temperature", "deg": "angle", "rad": "angle",
    "W": "power", "kW": "power", "MW": "power", "GW": "power", "Wh": "energy", "kWh": "energy",
    "MWh": "energy", "W/m^2": "flux", "kg/s": "flow", "W/m/K": "conductivity", "W/K": "conductance",
    "W/m^2/K": "conductance", "W*m": "transport", "J/kg/K": "specific_heat", "kg/m^2": "areal_mass",
    "W/kg": "specific_power", "Wh/kg": "specific_energy", "kg/kW": "mass_per_power", "1/cm^2": "fluence",
}
#: Kinds that cannot be negative (a length, a mass, a power drawn, a flux, a flow...).
NON_NEGATIVE = {"length", "area", "time", "mass", "power", "energy", "flux", "flow", "conductivity",
                "conductance", "transport", "specific_heat", "areal_mass", "specific_power",
                "specific_energy", "mass_per_power", "fluence"}
#: Kinds that cannot be zero either (a part of no size, a step of no time).
POSITIVE = {"length", "area", "time", "mass"}
#: Keys that hold an absolute temperature (in K it cannot be negative; the first four not zero).
ABSOLUTE_TEMPERATURES = ("initial_temperature", "junction_limit", "radiator_temperature", "array_temperature",
                         "slowdown", "shutdown", "min", "max")
#: Mappings whose keys are names the user chooses (parts, library entries), not keys of the contract.
FREE_NAMES = {("materials",), ("coatings",), ("gpus",), ("thermal", "limits"), ("thermal", "dissipation"),
              ("spacecraft", "parts"), ("power", "bus_loads")}


def quantity(value: object) -> tuple[str, str] | None:
    """``(number, unit)`` of a value written as a number and a unit, else None."""
    if not isinstance(value, str):
        return None
    match = _QUANTITY.fullmatch(value)
    return (match["number"], match["unit"]) if match else None


def kind_of(value: object) -> str:
    """null, bool, number, quantity, text, date, list or mapping."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "quantity" if quantity(value) else "text"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "date"
    return "list" if isinstance(value, list) else "mapping"


def _last_name(path: KeyPath) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else ""


def _in_free_names(path: KeyPath) -> bool:
    """Whether ``path`` is (or is a list item at) a name the user chose rather than a contract key."""
    return tuple(path[:-1]) in FREE_NAMES


@functools.cache
def known_keys() -> frozenset[str]:
    """Every key name of the contract (backquoted words in ``docs/case_keys.md``) and of the shipped
    cases: a misspelling must not land on one of them."""
    words = set(re.findall(r"`([a-z_][a-z0-9_]*)", (ROOT / "docs" / "case_keys.md").read_text()))
    for case in shipped():
        words.update(p for path in case.paths for p in path if isinstance(p, str))
    return frozenset(words)


# --- operators at a key path -----------------------------------------------------------------------
# Each takes (case, path, pick) and returns a Mutant, or None where it does not apply; APPLIES says
# in advance which paths an operator applies to (so that a sampler never draws a dead pair).

PathOperator = Callable[[Shipped, KeyPath, Pick], Mutant | None]


def _mutant(case: Shipped, path: KeyPath, what: str, expect: str, data: dict, key: str | None = None) -> Mutant:
    return Mutant(case.name, f"{case.name}: {key_path(path)} {what}", expect, key, data=data)


def delete(case: Shipped, path: KeyPath, pick: Pick) -> Mutant:
    """Delete a key or a list item (required or not: the reader may take a default or refuse)."""
    return _mutant(case, path, "deleted", EITHER, deleted(case.data, path))


def _typo(word: str, pick: Pick) -> str:
    """A typing slip: two letters swapped, one dropped or doubled, a capital, a plural, a dash, a space."""
    if len(word) < 3:
        return word + word + "x"
    way = pick.choice(("swap", "drop", "double", "upper", "plural", "dash", "space"))
    i = pick.integer(1, len(word) - 2) if way in ("swap", "drop", "double") else 1
    if way == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if way == "drop":
        return word[:i] + word[i + 1:]
    if way == "upper":
        return word[0].upper() + word[1:]
    if way == "plural":
        return word + "s"
    if way == "dash" and "_" in word:
        return word.replace("_", "-")
    if way == "space":
        return word + " "
    return word[:i] + word[i] + word[i:]


def misspell(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """Misspell a key. An unknown key is refused (the refusal names the misspelt key, or the
    missing one beside it); under a mapping of names (parts, library entries) it is only a new name."""
    word = path[-1]
    if not isinstance(word, str):
        return None
    siblings = get(case.data, path[:-1])
    typo = _typo(word, pick)
    if typo == word or typo in siblings or typo in known_keys():
        return None
    free = _in_free_names(path)
    parent = key_path(path[:-1]) or None
    return _mutant(case, path, f"misspelt as {typo!r}", EITHER if free else REFUSE, renamed(case.data, path, typo),
                   None if free else parent)


UNKNOWN_KEYS = ("colour", "notes", "temperatur", "unit", "x", "Name", "enabled", "1")


def add_unknown(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """Add a key the contract does not have to a mapping (refused: an unknown key)."""
    node = get(case.data, path)
    if not isinstance(node, dict):
        return None
    name = pick.choice(UNKNOWN_KEYS)
    if name in node:
        return None
    value = pick.choice(("blue", 1, True, "1 m", [1, 2], {"a": 1}))
    free = tuple(path) in FREE_NAMES
    return _mutant(case, path, f"gains an unknown key {name}: {value!r}", EITHER if free else REFUSE,
                   replaced(case.data, path + (name,), value), None if free else key_path(path + (name,)))


def add_non_string_key(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """Add a key that is not text (YAML reads ``1:``, ``yes:`` and ``null:`` as such): refused."""
    node = get(case.data, path)
    if not isinstance(node, dict):
        return None
    name: Any = pick.choice((1, 2.5, True, None))
    return _mutant(case, path, f"gains a key {name!r} that is not text", REFUSE,
                   replaced(case.data, path + (name,), "x"))


def null(case: Shipped, path: KeyPath, pick: Pick) -> Mutant:
    """``key: null`` (or ``key:``): a slip, not "take the default" (issue 17): refused."""
    return _mutant(case, path, "set to null", REFUSE, replaced(case.data, path, None), key_path(path))


#: A value of each kind, for type swaps.
SWAPS: dict[str, tuple[object, ...]] = {
    "number": (7, 0.5, 1361, -3),
    "text": ("seven", "yes", "none", "zenith", "0.5"),
    "list": ([], [1, 2], ["a"]),
    "mapping": ({}, {"a": 1}),
    "bool": (True, False),
}


def swap_type(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """Replace a value with one of another type (number, text, list, mapping, bool).

    Refused: a number or a bool turned into anything else; a quantity, a list or a mapping turned
    into anything but text (text may happen to be valid: ``coating: osr`` for a mapping,
    ``facing: zenith`` for a list, ``orbit: none`` for the orbit)."""
    old = kind_of(get(case.data, path))
    same = "text" if old == "quantity" else old
    new_kind = pick.choice(tuple(k for k in SWAPS if k != same))
    value = copy.deepcopy(pick.choice(SWAPS[new_kind]))
    refused = old in ("number", "bool") or (old in ("quantity", "list", "mapping") and new_kind != "text")
    return _mutant(case, path, f"({old}) becomes {new_kind} {short(value)}", REFUSE if refused else EITHER,
                   replaced(case.data, path, value), key_path(path) if refused else None)


# quantities: "550 km"

def short(value: object, most: int = 60) -> str:
    """``repr(value)`` cut to ``most`` characters, for a description on one line."""
    text = repr(value)
    return text if len(text) <= most else f"{text[:most - 20]}... ({len(text):,} chars)"


def _with_number(case: Shipped, path: KeyPath, what: str, expect: str, text: str) -> Mutant:
    return _mutant(case, path, f"{what}: {short(text)}", expect, replaced(case.data, path, text),
                   key_path(path) if expect == REFUSE else None)


def _q(case: Shipped, path: KeyPath) -> tuple[str, str] | None:
    return quantity(get(case.data, path))


def unit_alone(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """The unit without its number (``thickness: mm`` is not 1 mm): refused."""
    if (q := _q(case, path)) is None:
        return None
    return _with_number(case, path, "unit alone", REFUSE, q[1])


def split_digits(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """Digits split by a space (``5 50 km`` is not 250 km): refused."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    digits = number.lstrip("+-")
    if len(digits) >= 2 and digits[:2].isdigit():
        i = pick.integer(1, min(len(digits) - 1, 3))
        text = number[:len(number) - len(digits)] + digits[:i] + " " + digits[i:]
    else:
        text = f"{number} {pick.choice(('50', '000', '1'))}"
    return _with_number(case, path, "digits split", REFUSE, f"{text} {unit}")


NON_FINITE = ("inf", "-inf", "nan", "NaN", "Infinity", "1e400", "-1e400", "9" * 400)


def non_finite(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A number that is not finite, or overflows (``inf mm``, ``nan K``, ``1e400 mm``): refused."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    return _with_number(case, path, "not finite", REFUSE, f"{pick.choice(NON_FINITE)} {unit}")


ARITHMETIC = ("10**400 {u}", "2*3 {u}", "2**2**2**2**2 {u}", "(2+3) {u}", "2^10 {u}", "1/0 {u}",
              "3 {u} * 2", "1e3*1e3 {u}", "{n} {u} + 1 {u}", "{n}*{u}", "{n} {u}**0", "sqrt(4) {u}")


def arithmetic(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """Arithmetic in a quantity (``10**400 mm``, ``2*3 m``, an exponent tower): a case file never
    evaluates anything: refused."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    return _with_number(case, path, "arithmetic", REFUSE, pick.choice(ARITHMETIC).format(n=number, u=unit))


WRONG_UNITS = ("A", "mol", "cd", "A*s", "kg*s")


def wrong_dimension(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A unit of a dimension no case quantity has (amperes, moles, candelas): refused."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    return _with_number(case, path, "wrong dimension", REFUSE, f"{number} {pick.choice(WRONG_UNITS)}")


UNKNOWN_UNITS = ("furlongz", "meterz", "W/", "qqq")


def unknown_unit(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A unit that does not exist: refused."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    return _with_number(case, path, "unknown unit", REFUSE, f"{number} {pick.choice(UNKNOWN_UNITS)}")


def bare_number(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """The number without its unit, as text (``"550"``): refused (a bare number needs a unit)."""
    if (q := _q(case, path)) is None or float(q[0]) == 0:
        return None
    number, unit = q
    return _with_number(case, path, "bare number", REFUSE, number)


def _sign_refused(path: KeyPath, unit: str) -> bool:
    kind = UNIT_KINDS.get(unit, "other")
    return kind in NON_NEGATIVE or (unit == "K" and _last_name(path) in ABSOLUTE_TEMPERATURES)


def negative(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """The value negated: refused for a kind that cannot be negative (a length, a mass, a power, a
    flux, an absolute temperature in K); angles, degC and differences may be negative."""
    if (q := _q(case, path)) is None or float(q[0]) == 0:
        return None
    number, unit = q
    text = number[1:] if number.startswith("-") else "-" + number.lstrip("+")
    expect = REFUSE if _sign_refused(path, unit) and not number.startswith("-") else EITHER
    return _with_number(case, path, "negated", expect, f"{text} {unit}")


def zero(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """The value zero: refused for a length, an area, a time, a mass or an absolute temperature in
    K; zero is a valid power, flux (``solar_constant: 0 W/m^2``: a body in the dark) or energy."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    refused = UNIT_KINDS.get(unit) in POSITIVE or (unit == "K" and _last_name(path) in ABSOLUTE_TEMPERATURES[:4])
    return _with_number(case, path, "zero", REFUSE if refused else EITHER, f"0 {unit}")


def scale(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """The number scaled by 10^k, k in [-12, 12] (it may leave a plausible range: either)."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    k = pick.choice((-12, -9, -6, -4, -3, -2, -1, 1, 2, 3, 4, 6, 9, 12)) if pick.integer(0, 1) else \
        pick.integer(-30, 30)
    return _with_number(case, path, f"scaled by 1e{k}", EITHER, f"{float(number) * 10.0 ** k:.6g} {unit}")


def any_magnitude(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A number of any sign and magnitude with the same unit (either)."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    mantissa = pick.integer(-9999, 9999) / 1000
    return _with_number(case, path, "any magnitude", EITHER, f"{mantissa}e{pick.integer(-40, 40)} {unit}")


def respell(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """The same quantity written another way: no space, padding, upper-case unit (either)."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    text = pick.choice((f"{number}{unit}", f"  {number}   {unit} ", f"{number} {unit.upper()}",
                        f"+{number.lstrip('+')} {unit}", f"{float(number):e} {unit}"))
    return _with_number(case, path, "respelt", EITHER, text)


def long_quantity(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A number of thousands of digits (it overflows a float): refused."""
    if (q := _q(case, path)) is None:
        return None
    number, unit = q
    return _with_number(case, path, "with 5,000 digits", REFUSE, f"{'7' * 5000} {unit}")


# plain numbers: fractions, counts, vectors

def _number_mutant(case: Shipped, path: KeyPath, what: str, expect: str, value: object) -> Mutant:
    return _mutant(case, path, f"{what}: {short(value)}", expect, replaced(case.data, path, value),
                   key_path(path) if expect == REFUSE else None)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_non_finite(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A plain number made nan or infinite (``.nan`` in YAML; the sizing block raised a bare
    ValueError): refused."""
    if not _is_number(get(case.data, path)):
        return None
    return _number_mutant(case, path, "not finite", REFUSE, pick.choice((float("nan"), float("inf"), float("-inf"))))


def number_negative(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A plain number negated: refused (fractions, counts, years, ratios are not negative), except a
    component of a direction vector."""
    value = get(case.data, path)
    if not _is_number(value) or value <= 0:
        return None
    vector = isinstance(path[-1], int)
    return _number_mutant(case, path, "negated", EITHER if vector else REFUSE, -value)


def number_scale(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A plain number scaled by 10^k, or replaced by 0, a fraction of a count, 10**400 (either)."""
    value = get(case.data, path)
    if not _is_number(value):
        return None
    way = pick.choice(("scale", "zero", "half", "huge"))
    if way == "scale":
        k = pick.integer(-12, 12)
        new: float | int = value * 10 ** k if isinstance(value, int) and k >= 0 else value * 10.0 ** k
    else:
        new = {"zero": 0, "half": value + 0.5, "huge": 10 ** 400}[way]
    return _number_mutant(case, path, way, EITHER, new)


def number_as_text(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A plain number written as text (``"0.9"``): refused (a number is expected)."""
    value = get(case.data, path)
    if not _is_number(value):
        return None
    return _number_mutant(case, path, "as text", REFUSE, str(value))


# text, lists, mappings

def text_variant(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A name or choice changed: empty, padded, upper-case, a typo, another script, a path (either)."""
    value = get(case.data, path)
    if kind_of(value) != "text":
        return None
    way = pick.choice(("empty", "padded", "upper", "typo", "accent", "path", "formula", "long"))
    new = {"empty": "", "padded": f" {value} ", "upper": value.upper(), "typo": _typo(value, pick) if value else "x",
           "accent": value.replace("e", "é").replace("a", "ä") + "ø", "path": f"../{value}/..",
           "formula": f"$x^${value}", "long": value * 50}[way]
    return _number_mutant(case, path, f"text {way}", EITHER, new)


def huge_text(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A string of :data:`HUGE_STRING` characters: refused as the case's ``name`` (it becomes a
    folder and a plot title), where a quantity or a name is expected; else either."""
    value = get(case.data, path)
    if kind_of(value) not in ("text", "quantity"):
        return None
    expect = REFUSE if path == ("name",) or kind_of(value) == "quantity" else EITHER
    return _mutant(case, path, f"a string of {HUGE_STRING:,} characters", expect,
                   replaced(case.data, path, "x" * HUGE_STRING), key_path(path) if expect == REFUSE else None)


#: Lists of a fixed length (sizes, direction vectors): any other length is refused.
def _fixed_length(path: KeyPath) -> bool:
    return _last_name(path) in ("size", "facing", "axis", "footprint") and isinstance(path[-1], str)


def huge_list(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A list of :data:`HUGE_LIST` items (its first item repeated; lists of scalars only, as a
    list of two million radiators would be a 274 MB file): refused for a size or a vector, with a
    short message; either for a list of models."""
    value = get(case.data, path)
    if not isinstance(value, list) or not value or isinstance(value[0], (dict, list)):
        return None
    expect = REFUSE if _fixed_length(path) else EITHER
    mutant = _mutant(case, path, f"a list of {HUGE_LIST:,} items", expect,
                     replaced(case.data, path, [value[0]] * HUGE_LIST), key_path(path) if expect == REFUSE else None)
    # its file, written directly (the YAML emitter takes seconds over two million items)
    marker = "HUGE_LIST_GOES_HERE"
    item = yaml.safe_dump([value[0]], default_flow_style=True, width=10 ** 9).strip()[1:-1]
    text = Mutant("", "", EITHER, data=replaced(case.data, path, marker)).as_bytes()
    flow = f"[{', '.join([item] * HUGE_LIST)}]".encode()
    return dataclasses.replace(mutant, text=text.replace(marker.encode(), flow))


def list_variant(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A list emptied, shortened, lengthened or reversed: refused for a size or vector whose length
    changes; else either."""
    value = get(case.data, path)
    if not isinstance(value, list):
        return None
    way = pick.choice(("empty", "drop last", "repeat last", "reversed"))
    new = {"empty": [], "drop last": value[:-1], "repeat last": value + value[-1:], "reversed": value[::-1]}[way]
    expect = REFUSE if _fixed_length(path) and len(new) != len(value) else EITHER
    return _number_mutant(case, path, f"list {way}", expect, new)


def empty_mapping(case: Shipped, path: KeyPath, pick: Pick) -> Mutant | None:
    """A section emptied (``{}``): either (every key of it may have a default)."""
    if not isinstance(get(case.data, path), dict):
        return None
    return _number_mutant(case, path, "emptied", EITHER, {})


PATH_OPERATORS: tuple[PathOperator, ...] = (
    delete, misspell, add_unknown, add_non_string_key, null, swap_type, unit_alone, split_digits, non_finite,
    arithmetic, wrong_dimension, unknown_unit, bare_number, negative, zero, scale, any_magnitude, respell,
    long_quantity, number_non_finite, number_negative, number_scale, number_as_text, text_variant, huge_text,
    huge_list, list_variant, empty_mapping)
#: Operators that build values of megabytes: the corpus runs them, the property test leaves them to
#: its table (each takes a tenth of a second).
HUGE_OPERATORS = (huge_text, huge_list)

_QUANTITY_OPS = (unit_alone, split_digits, non_finite, arithmetic, wrong_dimension, unknown_unit, bare_number,
                 negative, zero, scale, any_magnitude, respell, long_quantity)
_NUMBER_OPS = (number_non_finite, number_negative, number_scale, number_as_text)


def applies(operator: PathOperator, value: Any, path: KeyPath) -> bool:
    """Whether ``operator`` applies to ``value`` at ``path`` (so that samplers seldom draw a pair
    whose operator then declines, returning None)."""
    kind = kind_of(value)
    if operator in _QUANTITY_OPS:
        return kind == "quantity"
    if operator in _NUMBER_OPS:
        return kind == "number" and (operator is not number_negative or value > 0)
    if operator in (add_unknown, add_non_string_key, empty_mapping):
        return kind == "mapping"
    if operator is misspell:
        return isinstance(path[-1], str)
    if operator is text_variant:
        return kind == "text"
    if operator is huge_text:
        return kind in ("text", "quantity")
    if operator is huge_list:
        return kind == "list" and bool(value) and not isinstance(value[0], (dict, list))
    if operator is list_variant:
        return kind == "list" and bool(value)
    return True


# --- operators on the case as a whole: issue 17's absurd values and contradictions ---------------------

CaseOperator = Callable[[Shipped, Pick], Mutant | None]


def _set(case: Shipped, path: KeyPath, value: object, why: str, expect: str = REFUSE,
         key: str | None = None) -> Mutant:
    return Mutant(case.name, f"{case.name}: {key_path(path)}: {short(value)} ({why})", expect,
                  key if key is not None else key_path(path), data=replaced(case.data, path, value))


def _orbital(case: Shipped) -> bool:
    return isinstance(case.data.get("orbit"), dict)


#: (key path, value, why, which cases): every value issue 17 lists as absurd but accepted.
ABSURD: tuple[tuple[KeyPath, object, str, Callable[[Shipped], bool]], ...] = (
    (("orbit", "altitude"), "50 km", "an orbit that decays in hours", _orbital),
    (("orbit", "altitude"), "0.001 m", "an orbit inside the Earth's surface", _orbital),
    (("solver", "mesh_size"), "1 um", "a mesh that never ends", lambda c: True),
    (("solver", "time_step"), "100 d", "a step of a hundred days", lambda c: True),
    (("solver", "orbits"), 1_000_000_000, "a billion orbits", lambda c: True),
    (("solver", "duration"), "1e9 yr", "a billion years", lambda c: True),
    (("thermal", "initial_temperature"), "1e9 K", "a billion kelvin", lambda c: True),
    (("compute", "junction_limit"), "0.001 K", "a junction limit of a millikelvin", lambda c: "compute" in c.data),
    (("compute", "count"), 1_000_000_000_000, "a trillion GPUs on one bus", lambda c: "compute" in c.data),
    (("orbit", "epoch"), datetime.date(1, 1, 1), "the year 1", _orbital),
    (("sizing", "specific_masses", "structure_fraction"), 42, "structure 42 times the equipment",
     lambda c: "sizing" in c.data),
    (("solver", "time_step"), "1 ms", "5.5 million steps an orbit", _orbital),
)


def absurd(case: Shipped, index: int) -> Mutant | None:
    """The ``index``-th value of :data:`ABSURD`, where it applies to ``case``: refused, naming the
    value's section or a key in it (a relational check may name the value's partner: a steady
    state given a duration names ``solver.steady``)."""
    path, value, why, where = ABSURD[index]
    return _set(case, path, value, why, key=key_path(path[:-1])) if where(case) else None


def orbit_falsy(case: Shipped, pick: Pick) -> Mutant:
    """``orbit: 0``, ``false`` or ``"no"`` (deep space is spelt ``none``): refused."""
    return _set(case, ("orbit",), pick.choice((0, False, "no", "off", "")), "not 'none'")


def _first_part(case: Shipped) -> str:
    sc = case.data["spacecraft"]
    if "parts" in sc:
        return next(iter(sc["parts"]))
    return "deck" if sc.get("kind") == "bus" else sc.get("name", "plate")


def limit_inverted(case: Shipped, pick: Pick) -> Mutant:
    """A temperature limit whose ``min`` is above its ``max``: refused."""
    part = _first_part(case)
    lo = pick.integer(301, 400)
    limits = {"min": f"{lo} K", "max": f"{pick.integer(200, lo - 1)} K"}
    return _set(case, ("thermal", "limits", part), limits, "min above max")


def orbits_above_max(case: Shipped, pick: Pick) -> Mutant | None:
    """``solver.orbits`` above ``solver.max_orbits`` (in an orbit): refused."""
    if not _orbital(case):
        return None
    most = pick.integer(1, 40)
    solver = dict(case.data.get("solver", {}), orbits=most + pick.integer(1, 20), max_orbits=most)
    return _set(case, ("solver",), solver, "orbits above max_orbits")


def wall_as_thick_as_body(case: Shipped, pick: Pick) -> Mutant | None:
    """A bus whose wall is as thick as its body's smallest side, or a plate as thick as it is
    long: refused (a wall thicker than half the body leaves no inside)."""
    sc = case.data["spacecraft"]
    if sc.get("kind") == "bus":
        smallest = min(sc["body"]["size"], key=_metres)
        return _set(case, ("spacecraft", "body", "wall"), smallest, "a wall as thick as the body",
                    key="spacecraft.body")
    if sc.get("kind") == "plate":
        return _set(case, ("spacecraft", "thickness"), max(sc["size"], key=_metres), "a plate as thick as it is long",
                    EITHER)
    return None


def _metres(length: str) -> float:
    """A length of the shipped cases (``1.2 m``, ``15 cm``) in metres."""
    number, unit = quantity(length) or ("nan", "m")
    return float(number) * {"m": 1.0, "cm": 1e-2, "mm": 1e-3, "km": 1e3}[unit]


def huge_name(case: Shipped, pick: Pick) -> Mutant:
    """A 10 MB ``name`` (it becomes a folder and a plot title): refused."""
    return _set(case, ("name",), "n" * HUGE_STRING, f"{HUGE_STRING:,} characters")


def dark(case: Shipped, pick: Pick) -> Mutant:
    """``environment.solar_constant: 0 W/m^2``, a body in the dark: valid (either: a sizing needs sun)."""
    return _set(case, ("environment", "solar_constant"), "0 W/m^2", "a body in the dark", EITHER)


def _absurd_operator(index: int) -> CaseOperator:
    def operator(case: Shipped, pick: Pick) -> Mutant | None:
        return absurd(case, index)
    operator.__name__ = f"absurd_{index}"
    return operator


CASE_OPERATORS: tuple[CaseOperator, ...] = (
    *(_absurd_operator(i) for i in range(len(ABSURD))),
    orbit_falsy, limit_inverted, orbits_above_max, wall_as_thick_as_body, huge_name, dark)


# --- operators on the file's text ----------------------------------------------------------------------

TextOperator = Callable[[Shipped, Pick], Mutant]


def _text(case: Shipped, what: str, expect: str, text: bytes) -> Mutant:
    return Mutant(case.name, f"{case.name}: file {what}", expect, text=text)


def _without_description(case: Shipped) -> bytes:
    return b"".join(line for line in case.text.splitlines(keepends=True) if not line.startswith(b"description:"))


def alias_bomb(case: Shipped, pick: Pick) -> Mutant:
    """A "billion laughs" in ``description``: nine levels of nine aliases, 9^9 strings once
    expanded, in a few hundred bytes: refused."""
    lines = ['description:', '  - &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"  - &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return _text(case, "with a YAML alias bomb (9^9 strings)", REFUSE,
                 _without_description(case) + ("\n".join(lines) + "\n").encode())


def deep_nesting(case: Shipped, pick: Pick) -> Mutant:
    """``description`` nested 20,000 lists deep: refused (not a RecursionError)."""
    depth = 20_000
    return _text(case, f"with a value nested {depth:,} deep", REFUSE,
                 _without_description(case) + b"description: " + b"[" * depth + b"]" * depth + b"\n")


def complex_key(case: Shipped, pick: Pick) -> Mutant:
    """A list or a mapping as a key (``? [a, b]``): refused (not ``TypeError: unhashable``)."""
    key = pick.choice(("[a, b]", "{a: 1}"))
    return _text(case, f"with {key} as a key", REFUSE, case.text + f"\n? {key}\n: 1\n".encode())


def utf16(case: Shipped, pick: Pick) -> Mutant:
    """The file in UTF-16 (or UTF-8) with its byte-order mark: valid YAML, loaded."""
    codec = pick.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"))
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(codec, "")
    return _text(case, f"in {codec.upper()} with a byte-order mark", LOAD,
                 (bom + case.text.decode()).encode(codec))


def stray_byte(case: Shipped, pick: Pick) -> Mutant:
    """A byte that is not UTF-8 (Latin-1 ``°``, ``0xff``) in a comment or a value: refused."""
    byte = pick.choice((b"\xff", b"\xb0", b"\xe9", b"\xc3("))
    lines = case.text.splitlines(keepends=True)
    i = pick.integer(0, len(lines) - 1)
    line = lines[i].rstrip(b"\n")
    lines[i] = line + b" # " + byte + b"\n"
    return _text(case, f"with the byte {byte!r} on line {i + 1}", REFUSE, b"".join(lines))


def duplicate_key(case: Shipped, pick: Pick) -> Mutant:
    """A key given twice in a mapping (PyYAML keeps the last silently): refused."""
    lines = case.text.splitlines(keepends=True)
    if pick.integer(0, 1):
        return _text(case, "with 'name' given twice", REFUSE, case.text + b"name: second\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(b"spacecraft:"))
    inner = next(i for i in range(at + 1, len(lines)) if lines[i].startswith(b"  ") and b":" in lines[i])
    lines.insert(inner + 1, lines[inner])
    return _text(case, f"with {lines[inner].strip().decode()!r} twice in spacecraft", REFUSE, b"".join(lines))


def truncated(case: Shipped, pick: Pick) -> Mutant:
    """The file cut short (a partial copy): either (what is left may be a smaller valid case)."""
    at = pick.integer(1, len(case.text) - 1)
    return _text(case, f"truncated at byte {at}", EITHER, case.text[:at])


def bit_flip(case: Shipped, pick: Pick) -> Mutant:
    """One bit of the file flipped: either (the result may be valid)."""
    at = pick.integer(0, len(case.text) - 1)
    bit = pick.integer(0, 7)
    text = bytearray(case.text)
    text[at] ^= 1 << bit
    return _text(case, f"with bit {bit} of byte {at} flipped", EITHER, bytes(text))


def not_a_mapping(case: Shipped, pick: Pick) -> Mutant:
    """A file that is not a mapping of sections (empty, comments only, a list, a scalar, two
    documents): refused."""
    what, text = pick.choice((("empty", b""), ("only comments", b"# nothing\n"), ("a list", b"- a\n- b\n"),
                              ("a scalar", b"just text\n"), ("two documents", case.text + b"\n---\nname: x\n"),
                              ("a NUL byte", case.text.replace(b"\n", b"\n\x00", 1))))
    return _text(case, what, REFUSE, text)


def python_tag(case: Shipped, pick: Pick) -> Mutant:
    """A tag that would build a Python object (``!!python/object/apply:os.system``): refused."""
    return _text(case, "with a !!python tag", REFUSE,
                 _without_description(case) + b"description: !!python/object/apply:os.system ['true']\n")


def huge_name_text(case: Shipped, pick: Pick) -> Mutant:
    """A 10 MB ``name`` in the file: refused (a file size limit, or the name's length)."""
    lines = [line for line in case.text.splitlines(keepends=True) if not line.startswith(b"name:")]
    return _text(case, f"with a name of {HUGE_STRING:,} characters", REFUSE,
                 b"name: " + b"n" * HUGE_STRING + b"\n" + b"".join(lines))


def crlf(case: Shipped, pick: Pick) -> Mutant:
    """Windows line endings: valid YAML, loaded."""
    return _text(case, "with CRLF line endings", LOAD, case.text.replace(b"\n", b"\r\n"))


def orbit_no(case: Shipped, pick: Pick) -> Mutant:
    """``orbit: no`` (YAML 1.1 reads it as false), ``off`` or ``0``: refused (deep space is ``none``)."""
    word = pick.choice((b"no", b"off", b"0", b"false", b"n"))
    lines = [line for line in case.text.splitlines(keepends=True) if not line.startswith(b"orbit:")]
    return _text(case, f"with 'orbit: {word.decode()}'", REFUSE, b"".join(lines) + b"orbit: " + word + b"\n")


def tabs(case: Shipped, pick: Pick) -> Mutant:
    """Indentation by tabs (YAML forbids them): either (a flow mapping may survive)."""
    return _text(case, "indented with tabs", EITHER, case.text.replace(b"\n  ", b"\n\t"))


TEXT_OPERATORS: tuple[TextOperator, ...] = (
    alias_bomb, deep_nesting, complex_key, utf16, stray_byte, duplicate_key, truncated, bit_flip, not_a_mapping,
    python_tag, huge_name_text, crlf, orbit_no, tabs)
#: Text operators with a choice inside (several variants are worth running).
VARIED_TEXT_OPERATORS = (complex_key, utf16, stray_byte, duplicate_key, truncated, bit_flip, not_a_mapping,
                         orbit_no)


# --- sampling ---------------------------------------------------------------------------------------

def candidates(case: Shipped, *, huge: bool = True) -> list[tuple[PathOperator, KeyPath]]:
    """Every (operator, key path) pair that applies to ``case`` (the huge operators left out with
    ``huge=False``)."""
    ops = PATH_OPERATORS if huge else tuple(op for op in PATH_OPERATORS if op not in HUGE_OPERATORS)
    return [(op, path) for path in case.paths for op in ops if applies(op, get(case.data, path), path)]


def named(mutant: Mutant | None, operator: Callable) -> Mutant | None:
    """``mutant`` with the name of the operator that made it."""
    return None if mutant is None else dataclasses.replace(mutant, operator=operator.__name__)


def mutate(case: Shipped, pick: Pick, *, huge: bool = True) -> Mutant | None:
    """One data-level mutant of ``case``: an operator at a key path, or an operator on the whole
    case (the two drawn from one list, so that each draw is one mutant). None when the drawn
    operator does not apply after all."""
    operator, path = pick.choice(_candidates(case.name, huge))
    if path is None:
        return named(operator(case, pick), operator)
    return named(operator(case, path, pick), operator)


@functools.cache
def _candidates(name: str, huge: bool) -> list[tuple[Callable, KeyPath | None]]:
    case = next(c for c in shipped() if c.name == name)
    whole = [(op, None) for op in CASE_OPERATORS if (huge or op is not huge_name) and op(case, _FIRST) is not None]
    return candidates(case, huge=huge) + whole


class _First:
    """The first choice every time (to ask whether a case operator applies at all)."""

    def choice(self, options: Sequence[T]) -> T:
        return options[0]

    def integer(self, lo: int, hi: int) -> int:
        return lo


_FIRST = _First()


# --- the property test's pieces (tests/unit/test_case_mutations.py, tests/system/test_case_mutation_sweep.py)

#: The longest message accepted as "one line": long enough for a list of a section's known keys, far
#: shorter than the megabytes a huge value used to give.
LONGEST_MESSAGE = 500


def related(error_key: str, key: str) -> bool:
    """Whether ``error_key`` is ``key``, a key above it or a key inside it."""
    return any(a == b or a.startswith(b + ".") or a.startswith(b + "[") for a, b in
               ((error_key, key), (key, error_key)))


def examine(mutant: Mutant, load) -> None:
    """Load a mutant and check the answer against what the mutant says the reader must do."""
    try:
        case = load()
    except CaseError as err:
        text = str(err)
        assert "\n" not in text and len(text) <= LONGEST_MESSAGE, f"{mutant.description}: a long message: {text[:600]}"
        assert isinstance(err.key, str) and err.key.strip(), f"{mutant.description}: no key named: {text}"
        assert mutant.expect != LOAD, f"{mutant.description}: refused although valid: {text}"
        if mutant.key is not None:
            assert related(err.key, mutant.key), \
                f"{mutant.description}: refused for another key than {mutant.key}: {text}"
        return
    assert isinstance(case, (Case, PanelArrayCase))
    assert mutant.expect != REFUSE, f"{mutant.description}: accepted although it must be refused"


class DrawPick:
    """The choices of a mutation operator drawn by Hypothesis."""

    def __init__(self, draw):
        self.draw = draw

    def choice(self, options):
        return options[self.draw(st.integers(0, len(options) - 1))]   # an index: no label over the options

    def integer(self, lo, hi):
        return self.draw(st.integers(lo, hi))


@st.composite
def mutants(draw, case):
    """Data-level mutants of a shipped case (None where the drawn operator declined: a typo that
    is itself a key)."""
    return mutate(case, DrawPick(draw), huge=False)


def examine_mutants(name: str, examples: int) -> None:
    """Draw ``examples`` data-level mutants of the shipped case ``name`` with Hypothesis (derandomized)
    and examine each (:func:`examine`); the reader must leave the mapping it was given unchanged,
    and nine in ten mutants must differ."""
    from hypothesis import HealthCheck, given, settings

    from thermal.case import load_case

    case = next(c for c in shipped() if c.name == name)
    examined: list[str] = []

    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(mutants(case).filter(lambda mutant: mutant is not None))
    def mutated(mutant):
        examined.append(mutant.description)
        examine(mutant, lambda: load_case(mutant.data, base_dir=CASES))

    mutated()
    assert case.data == yaml.safe_load(case.text), "the reader changed the mapping it was given"
    assert len(examined) >= examples, f"only {len(examined)} mutants of {name}"
    assert len(set(examined)) >= 0.9 * examples, f"only {len(set(examined))} distinct mutants of {name}"
