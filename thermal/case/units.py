"""Units at the edge: text quantities from case files to SI floats, with one pint registry.

A quantity in a case file is a number followed by its unit, and nothing else: ``550 km``,
``1.5e-3 m``, ``-40 degC``, ``100 W/m^2/K``, ``1e14 1/cm^2``, ``120 W/(m^2*K)``. The number is
read by Python (scientific notation is fine; it must be finite), the unit by pint's unit parser
(letters, ``*``, ``/``, ``^`` or ``**`` with a small integer power, parentheses). Refused, each
with the key: a unit alone (``mm`` is not 1 mm), numbers split by spaces (``5 50 km`` is not
250 km), arithmetic (``2*3 m``, ``10**400 mm``: a case file never evaluates anything), and values
that overflow (``1e400 mm``) or are not numbers (``nan K``, ``inf mm``).

Pint never leaves this module: the rest of the program sees plain floats in the unit that its
name says (``altitude_m``, ``power_W``, ``capacity_Wh``).
"""

import functools
import json
import math
import re
from typing import TYPE_CHECKING

from thermal.core.cache import library_file, write_whole
from thermal.core.errors import CaseError

if TYPE_CHECKING:
    import pint


@functools.cache
def registry() -> "pint.UnitRegistry":
    """pint's registry of units, built on first use: importing pint and building its registry
    takes about 0.35 s of a command's start-up, so the facts a case needs about its units are
    read from :class:`_Known` first and pint is asked only about a unit text not seen before.

    The parsed definitions are kept in pint's own disk cache (the user's cache folder, ``pint``):
    reading the definitions file takes about 0.3 s, the cached copy 0.03 s. Where the cache cannot
    be read or written, the definitions are read from pint's file as usual."""
    import pint
    try:
        ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=":auto:")
    except Exception:  # noqa: BLE001 - an unusable cache (read-only home, a torn file): the plain registry
        ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("usd = [currency] = USD")
    return ureg


class _Known:
    """What pint said about unit texts in earlier runs, kept on disk beside the view factors
    (:func:`thermal.core.cache.cache_dir`): a unit's name once parsed, the factor of a conversion (or
    that it is affine), whether a unit is dimensionless. Each fact is exactly what pint computed
    (JSON keeps a float's every bit), so a run reads the same numbers with or without the file.

    The file's name holds a digest of :data:`_SCHEMA` (bumped whenever :func:`registry`'s set-up
    changes) and of pint's location, definitions file size and time: another pint, another file.
    Only successes are kept (an unknown unit or a wrong dimension asks pint each time, for its
    message). Written whole through a temporary file, so a reader never sees half of it; two
    processes writing at once may lose a fact, which is then asked again."""

    _SCHEMA = 1

    def __init__(self) -> None:
        self.path = self._path()
        self.facts: dict[str, object] = {}
        if self.path is not None:
            try:
                loaded = json.loads(self.path.read_text())
                if isinstance(loaded, dict):
                    self.facts = loaded
            except (OSError, ValueError):
                pass

    def _path(self):
        return library_file("units", "pint", "default_en.txt", self._SCHEMA, ".json")

    def get(self, key: str, compute):
        """The fact ``key``, from the file or else from ``compute()`` (then written)."""
        if key in self.facts:
            return self.facts[key]
        value = compute()
        self.facts[key] = value
        if self.path is not None:
            write_whole(self.path, lambda temporary: temporary.write_text(json.dumps(self.facts)))
        return value


@functools.cache
def _known() -> _Known:
    return _Known()


_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_QUANTITY = re.compile(rf"\s*(?P<number>{_NUMBER})\s*(?P<unit>.*?)\s*")
# a unit: names (letters, then letters or digits), joined by *, / or spaces, with parentheses and
# integer powers of at most two digits; a leading "1/" for reciprocal units
_NAME = r"[A-Za-z_°µΩ%][A-Za-z_°µΩ%0-9]*"
_POWER = r"(?:\^|\*\*)[+-]?\d{1,2}"
_UNIT_ATOM = rf"(?:{_NAME}|\((?:{_NAME}|{_POWER}|[\s*/])+\))(?:{_POWER})?"
_UNIT = re.compile(rf"(?:1\s*/\s*)?{_UNIT_ATOM}(?:\s*(?:[*/·]|\s)\s*{_UNIT_ATOM})*")


def _refuse(key: str, example: str, value: object, hint: str) -> CaseError:
    return CaseError(key, f"a number followed by its unit, e.g. '{example}'", value, hint)


@functools.lru_cache(maxsize=1024)
def _parsed_unit(text: str) -> "pint.Unit":
    """pint's reading of a unit's text, once per text (a case reads the same few units many times;
    a sweep or a property test, thousands of times)."""
    return registry().parse_units(text)


@functools.lru_cache(maxsize=1024)
def _unit_name(text: str) -> str:
    """pint's name of a unit's text (``'km'`` -> ``'kilometer'``); raises for a unit pint does not
    know."""
    return str(_known().get(f"name {text}", lambda: str(_parsed_unit(text))))


@functools.lru_cache(maxsize=1024)
def _factor(unit_text: str, unit: str) -> float | None:
    """The factor pint multiplies a magnitude in ``unit_text`` by to have it in ``unit`` (the
    conversion of 1), or None where the conversion is not a product (an offset unit such as
    ``degC``: pint converts those itself). Raises pint.DimensionalityError (not cached)."""
    def ask_pint() -> float | None:
        ureg, source = registry(), _parsed_unit(unit_text)
        if ureg.Quantity(0.0, source).to(unit).magnitude != 0.0:
            return None
        return float(ureg.Quantity(1.0, source).to(unit).magnitude)
    factor = _known().get(f"factor {unit_text} -> {unit}", ask_pint)
    return None if factor is None else float(factor)


@functools.lru_cache(maxsize=256)
def _dimensionless(unit: str) -> bool:
    return bool(_known().get(f"dimensionless {unit}", lambda: bool(registry().Quantity(1, unit).dimensionless)))


def _number_and_unit(value: object, key: str, example: str) -> tuple[float, str]:
    """``value`` (a string from a case file) as a finite number and the text of a unit pint reads."""
    if type(value) is str and len(value) <= 100 and (known := _valid_text(value)) is not None:
        return known
    return _checked(value, key, example)


@functools.lru_cache(maxsize=4096)
def _valid_text(text: str) -> tuple[float, str] | None:
    """A quantity's text as its number and unit, once per text; None if it is not one (the
    caller then reads it again to say why, with its key)."""
    try:
        return _checked(text, "", "")
    except CaseError:
        return None


def _checked(value: object, key: str, example: str) -> tuple[float, str]:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise CaseError(key, f"a quantity with a unit, e.g. '{example}'", value)
    if isinstance(value, (int, float)):
        raise _refuse(key, example, value, "a bare number needs a unit")
    if not isinstance(value, str):
        raise _refuse(key, example, value, "not text")
    match = _QUANTITY.fullmatch(value)
    if match is None:
        if re.match(r"\s*[+-]?(inf|nan)", value, re.IGNORECASE):
            hint = "not a finite value"
        elif _UNIT.fullmatch(value.strip()):
            hint = "a unit alone is not a quantity: write the number too"
        else:
            hint = "not a number and a unit"
        raise _refuse(key, example, value, hint)
    number, unit_text = float(match["number"]), match["unit"]
    if not math.isfinite(number):
        raise _refuse(key, example, value, "the number overflows: not a finite value")
    if not unit_text:
        raise _refuse(key, example, value, "a bare number needs a unit")
    if not _UNIT.fullmatch(unit_text):
        raise _refuse(key, example, value, f"'{unit_text}' is not a unit (no arithmetic or second number)")
    try:
        _unit_name(unit_text)
    except Exception:
        raise _refuse(key, example, value, f"unknown unit '{unit_text}'") from None
    return number, unit_text


def number_and_unit(value: object, key: str, example: str) -> tuple[float, str]:
    """``value`` (a string from a case file) as its finite number and its unit's text as written
    (``'250 usd/kg'`` -> ``(250.0, 'usd/kg')``); a CaseError naming ``key`` otherwise."""
    return _number_and_unit(value, key, example)


def parse_quantity(value: object, key: str, example: str) -> "pint.Quantity":
    """``value`` (a string from a case file) as a pint quantity with a finite magnitude and a unit."""
    number, unit_text = _number_and_unit(value, key, example)
    return registry().Quantity(number, _parsed_unit(unit_text))


#: The units an angle may be given in (pint's names once parsed).
ANGLE_UNITS = ("radian", "milliradian", "degree", "arcminute", "arcsecond", "turn")


@functools.lru_cache(maxsize=256)
def _is_angle(unit_text: str) -> bool:
    return _unit_name(unit_text) in ANGLE_UNITS


def to_unit(value: object, unit: str, key: str, example: str) -> float:
    """Convert a case value such as ``"550 km"`` to a finite float in ``unit``.

    Raises CaseError naming ``key`` for a bare number ("needs a unit"), text that is not a number
    followed by a unit, a non-finite value, or a quantity of the wrong dimension. A bare 0 is
    accepted for a dimensionless quantity.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0 and _dimensionless(unit):
        return 0.0
    number, unit_text = _number_and_unit(value, key, example)
    if unit == "rad" and not _is_angle(unit_text):
        # pint holds angles dimensionless: '30 %' would read as 0.3 rad
        raise CaseError(key, f"an angle, e.g. '{example}' (deg, rad, arcmin, arcsec, turn)", value,
                        "wrong unit dimension")
    try:
        factor = _factor(unit_text, unit)
        if factor is not None:      # what pint computes, without building two quantities
            si = float(number * factor)
        else:
            si = float(registry().Quantity(number, _parsed_unit(unit_text)).to(unit).magnitude)
    except Exception as err:
        import pint
        if not isinstance(err, pint.DimensionalityError):
            raise
        raise CaseError(key, f"a quantity in units of {registry().Unit(unit).dimensionality} (e.g. '{example}')",
                        value, "wrong unit dimension") from None
    if not math.isfinite(si):
        raise _refuse(key, example, value, f"not a finite value in {unit}")
    return si
