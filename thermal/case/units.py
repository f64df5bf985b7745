"""Units at the edge: text quantities from case files to SI floats, with one pint registry.

Pint never leaves this module: the rest of the program sees plain floats in the unit that its
name says (``altitude_m``, ``power_W``, ``capacity_Wh``).
"""

import pint

from thermal.core.errors import CaseError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("usd = [currency] = USD")


def to_unit(value: object, unit: str, key: str, example: str) -> float:
    """Convert a case value such as ``"550 km"`` to a float in ``unit``.

    Raises CaseError naming ``key`` for a bare number ("needs a unit"), text pint cannot read, or
    a quantity of the wrong dimension.
    """
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise CaseError(key, f"a quantity with a unit, e.g. '{example}'", value)
    if isinstance(value, (int, float)):
        if value == 0 and ureg.Quantity(1, unit).dimensionless:
            return 0.0
        raise CaseError(key, f"a quantity with a unit, e.g. '{example}'", value, "a bare number needs a unit")
    try:
        quantity = ureg.Quantity(str(value))
    except Exception:
        raise CaseError(key, f"a quantity with a unit, e.g. '{example}'", value) from None
    if not isinstance(quantity, pint.Quantity) or quantity.unitless:  # a number given as text, e.g. "550"
        raise CaseError(key, f"a quantity with a unit, e.g. '{example}'", value, "a bare number needs a unit")
    try:
        return float(quantity.to(unit).magnitude)
    except pint.DimensionalityError:
        raise CaseError(key, f"a quantity in units of {ureg.Unit(unit).dimensionality} (e.g. '{example}')",
                        value, "wrong unit dimension") from None
