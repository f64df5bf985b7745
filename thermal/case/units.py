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

import math
import re

import pint

from thermal.core.errors import CaseError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("usd = [currency] = USD")

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


def parse_quantity(value: object, key: str, example: str) -> pint.Quantity:
    """``value`` (a string from a case file) as a pint quantity with a finite magnitude and a unit."""
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
        unit = ureg.parse_units(unit_text)
    except Exception:
        raise _refuse(key, example, value, f"unknown unit '{unit_text}'") from None
    return ureg.Quantity(number, unit)


def to_unit(value: object, unit: str, key: str, example: str) -> float:
    """Convert a case value such as ``"550 km"`` to a finite float in ``unit``.

    Raises CaseError naming ``key`` for a bare number ("needs a unit"), text that is not a number
    followed by a unit, a non-finite value, or a quantity of the wrong dimension. A bare 0 is
    accepted for a dimensionless quantity.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0 \
            and ureg.Quantity(1, unit).dimensionless:
        return 0.0
    quantity = parse_quantity(value, key, example)
    try:
        si = float(quantity.to(unit).magnitude)
    except pint.DimensionalityError:
        raise CaseError(key, f"a quantity in units of {ureg.Unit(unit).dimensionality} (e.g. '{example}')",
                        value, "wrong unit dimension") from None
    if not math.isfinite(si):
        raise _refuse(key, example, value, f"not a finite value in {unit}")
    return si
