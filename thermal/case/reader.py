"""Checked reading of a case's mapping: every value is checked where it enters, and a bad one
raises a `CaseError` naming its key path, what was expected and what was given.
"""

import contextlib
import contextvars
import datetime
import difflib
import math
from collections.abc import Iterator
from typing import overload

from thermal.case.units import to_unit
from thermal.core.checks import PLAUSIBLE
from thermal.core.errors import CaseError, shown

_WARNINGS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("case_warnings", default=None)


@contextlib.contextmanager
def collecting_warnings() -> Iterator[list[str]]:
    """The warning lines of the case values read inside the block (legal but unusual values)."""
    lines: list[str] = []
    token = _WARNINGS.set(lines)
    try:
        yield lines
    finally:
        _WARNINGS.reset(token)


def warn(line: str) -> None:
    """Note a legal but unusual value (a line the command prints and summary.json keeps)."""
    lines = _WARNINGS.get()
    if lines is not None and line not in lines:
        lines.append(line)


def check_plausible(key: str, si: float, kind: str, given: object) -> None:
    """Refuse a value outside the plausible range of its kind (thermal.core.checks.PLAUSIBLE), with
    the range and its reason; warn about one outside the usual band."""
    p = PLAUSIBLE[kind]
    if not p.lo <= si <= p.hi:
        raise CaseError(key, f"a value from {p.shown(p.lo)} to {p.shown(p.hi)}", given, p.reason)
    if (p.usual_lo is not None and si < p.usual_lo) or (p.usual_hi is not None and si > p.usual_hi):
        warn(f"{key}: {shown(given)} is unusual: {p.usual_reason}")


class _Missing:
    """The type of :data:`MISSING`: no default, the key is required."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


#: The longest list of names a message shows.
LISTED_CHARS = 100


def listed(names) -> str:
    """Names joined by commas, cut to about :data:`LISTED_CHARS` characters ('... and N more')."""
    names = [str(n) for n in names]
    out: list[str] = []
    for i, name in enumerate(names):
        if out and len(", ".join(out + [name])) > LISTED_CHARS:
            return ", ".join(out) + f", ... and {len(names) - i} more"
        out.append(name if len(name) <= LISTED_CHARS else name[:LISTED_CHARS - 3] + "...")
    return ", ".join(out)


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def lookup(library: dict, name: object, key: str):
    """A library entry by name, or a CaseError that lists the names and suggests the nearest."""
    if not isinstance(name, str):
        raise CaseError(key, f"a name from the library ({listed(library)})", name)
    if name not in library:
        raise CaseError(key, f"a name from the library ({listed(library)})", name, suggest(name, library))
    return library[name]


class Section:
    """A mapping from the case with its key path. Read keys with the typed getters, then `done()`
    checks that no key was left unread (an unknown key, with the nearest spelling suggested)."""

    def __init__(self, data: object, path: str):
        if not isinstance(data, dict):
            raise CaseError(path, "a mapping of keys", data)
        self.data = data
        self.path = path
        self.read: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default=MISSING, expected: str = "a value"):
        self.read.add(name)
        if name not in self.data:
            if default is MISSING:
                raise CaseError(self.key(name), expected, hint="missing")
            return default
        if self.data[name] is None:     # `key:` or `key: null` is a slip, not "take the default"
            raise CaseError(self.key(name), expected, hint="it is empty (null); remove the key to take its default"
                            if default is not MISSING else "it is empty (null)")
        return self.data[name]

    def quantity(self, name: str, unit: str, example: str, default=MISSING, *, positive=False,
                 minimum: float | None = None, plausible: str | None = None) -> float:
        """A quantity with its unit, in SI ``unit``; ``plausible`` names its range in
        :data:`thermal.core.checks.PLAUSIBLE`. ``default`` (SI) if absent."""
        value = self.raw(name, MISSING if default is MISSING else None,
                         f"a quantity with a unit, e.g. '{example}'")
        if value is None:
            return default
        si = to_unit(value, unit, self.key(name), example)
        if positive and not si > 0:
            raise CaseError(self.key(name), "a positive value", value)
        if minimum is not None and si < minimum:
            raise CaseError(self.key(name), f"at least {minimum:g} {unit}", value)
        if plausible is not None:
            check_plausible(self.key(name), si, plausible, value)
        return si

    @overload
    def number(self, name: str, default: None, *, lo: float | None = None, hi: float | None = None,
               lo_open: bool = False, plausible: str | None = None) -> float | None: ...

    @overload
    def number(self, name: str, default: float | _Missing = MISSING, *, lo: float | None = None,
               hi: float | None = None, lo_open: bool = False, plausible: str | None = None) -> float: ...

    def number(self, name, default=MISSING, *, lo=None, hi=None, lo_open=False, plausible=None):
        """A plain number (no unit) in ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``); ``default`` if absent."""
        value = self._numeric(name, default, lo, hi, False, lo_open, plausible)
        return value if value is None else float(value)

    @overload
    def integer(self, name: str, default: None, *, lo: int | None = None,
                hi: int | None = None, plausible: str | None = None) -> int | None: ...

    @overload
    def integer(self, name: str, default: int | _Missing = MISSING, *, lo: int | None = None,
                hi: int | None = None, plausible: str | None = None) -> int: ...

    def integer(self, name, default=MISSING, *, lo=None, hi=None, plausible=None):
        """A whole number in ``[lo, hi]``; ``8.0`` or ``8.5`` is refused (a count is written as one)."""
        value = self._numeric(name, default, lo, hi, True, False, plausible)
        return value if value is None else int(value)

    def _numeric(self, name, default, lo, hi, integer, lo_open, plausible):
        kind = "an integer" if integer else "a number"
        bounds = ""
        if lo is not None and hi is not None:
            bounds = f" in {'(' if lo_open else '['}{lo:g}, {hi:g}]"
        elif lo is not None:
            bounds = f" {'>' if lo_open else '>='} {lo:g}"
        value = self.raw(name, MISSING if default is MISSING else None, f"{kind}{bounds}")
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            raise CaseError(self.key(name), f"{kind}{bounds}", value)
        if isinstance(value, int) and abs(value) > 2**63:   # beyond any count; float() would overflow
            raise CaseError(self.key(name), f"{kind}{bounds}", value, "far too large")
        if not math.isfinite(value) or (lo is not None and (value < lo or (lo_open and value == lo))) \
                or (hi is not None and value > hi):
            raise CaseError(self.key(name), f"{kind}{bounds}", value)
        if plausible is not None:
            check_plausible(self.key(name), value, plausible, value)
        return value

    def choice(self, name: str, options: tuple[str, ...], default=MISSING) -> str:
        value = self.raw(name, default, f"one of {', '.join(options)}")
        if value not in options:
            raise CaseError(self.key(name), f"one of {', '.join(options)}", value, suggest(value, options))
        return value

    def string(self, name: str, default=MISSING) -> str:
        value = self.raw(name, default, "text")
        if not isinstance(value, str) or not value.strip():
            raise CaseError(self.key(name), "non-empty text", value)
        return value

    def boolean(self, name: str, default=MISSING) -> bool:
        value = self.raw(name, default, "true or false")
        if not isinstance(value, bool):
            raise CaseError(self.key(name), "true or false", value)
        return value

    def date(self, name: str, default=MISSING) -> datetime.datetime | None:
        value = self.raw(name, default, "an ISO date, e.g. 2027-03-20")
        if value is None or isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            return datetime.datetime(value.year, value.month, value.day, 12, tzinfo=datetime.UTC)
        try:
            return datetime.datetime.fromisoformat(str(value))
        except ValueError:
            raise CaseError(self.key(name), "an ISO date, e.g. 2027-03-20", value) from None

    def section(self, name: str, required: bool = False) -> "Section":
        value = self.raw(name, MISSING if required else {}, "a mapping of keys")
        return Section(value, self.key(name))

    def items(self, name: str) -> list:
        value = self.raw(name, [], "a list")
        if not isinstance(value, list):
            raise CaseError(self.key(name), "a list", value)
        return value

    def done(self) -> None:
        """Refuse keys that no getter asked for; the keys asked for are this section's known keys."""
        for name in self.data:
            if name not in self.read:
                known = sorted(self.read)
                hint = suggest(name, known)
                expected = "a known key" if hint else f"a known key ({listed(known) or 'none here'})"
                raise CaseError(self.key(str(name)), expected, name, hint or "unknown key")
