"""Checks of values handed to the model-level types (the case reader has its own, with key paths).

One place for the test every frozen dataclass of the physics makes in ``__post_init__``: a bad
value raises ``ValueError("<Type.field>: expected <what>, got <value>")``. The case reader never
lets such a value through (it raises :class:`thermal.core.errors.CaseError` naming the key first),
so these errors mean a programming mistake in a script or in the tool, not a user's input.
"""

from __future__ import annotations

import math
from numbers import Real


def is_real(value) -> bool:
    """A real number, not a bool (numpy scalars included)."""
    return isinstance(value, Real) and not isinstance(value, bool)


def is_finite(value) -> bool:
    """A finite real number, not a bool."""
    return is_real(value) and math.isfinite(value)


def need(ok: bool, name: str, expected: str, got) -> None:
    """Raise ``ValueError`` naming ``name``, what was expected and what was given, unless ``ok``."""
    if not ok:
        raise ValueError(f"{name}: expected {expected}, got {got!r}")


def given[T](value: T | None, name: str, expected: str) -> T:
    """``value``, known not to be None; a ``ValueError`` naming ``name`` if it is."""
    if value is None:
        raise ValueError(f"{name}: expected {expected}, got None")
    return value


def check_positive(name: str, value) -> None:
    need(is_finite(value) and value > 0, name, "a finite number > 0", value)


def check_non_negative(name: str, value) -> None:
    need(is_finite(value) and value >= 0, name, "a finite number >= 0", value)


def check_fraction(name: str, value, *, open_low: bool = False, open_high: bool = False) -> None:
    """A fraction in [0, 1], (0, 1], [0, 1) or (0, 1)."""
    low_ok = is_finite(value) and (value > 0.0 if open_low else value >= 0.0)
    high_ok = is_finite(value) and (value < 1.0 if open_high else value <= 1.0)
    interval = f"{'(' if open_low else '['}0, 1{')' if open_high else ']'}"
    need(low_ok and high_ok, name, f"a fraction in {interval}", value)


def check_fields(obj, *, positive=(), non_negative=(), fractions=()) -> None:
    """Check named fields of a dataclass instance; names in messages are ``<Type>.<field>``."""
    cls = type(obj).__name__
    for name in positive:
        check_positive(f"{cls}.{name}", getattr(obj, name))
    for name in non_negative:
        check_non_negative(f"{cls}.{name}", getattr(obj, name))
    for name in fractions:
        check_fraction(f"{cls}.{name}", getattr(obj, name))
