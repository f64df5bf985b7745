"""Liquid coolant properties from CoolProp, range-checked and cached.

Reference: Bell, Wronski, Quoilin & Lemort (2014) CoolProp, *Ind. Eng. Chem. Res.* 53, 2498-2508,
doi:10.1021/ie4033999; incompressible brines after Melinder, *Properties of Secondary Working
Fluids for Indirect Systems*, IIR (2010).

CoolProp takes seconds to import (2.7 s of CPU on the development machine: it reads its whole
fluid library), longer than a whole network run. The properties are therefore kept as a table per
coolant and loop pressure, every 0.01 K over the liquid range (the rounding the lookups had
already: :func:`coolant_properties`), computed once with CoolProp (a vectorised call: 0.07 s for a
glycol, about 2 s for water) and kept in the user's cache folder
(:func:`thermal.core.cache.cache_dir`) under a name that changes with CoolProp's version. A row is
what CoolProp returns at that temperature, bit for bit, so a run reads the same numbers with or
without the file, and runs after the first need no CoolProp at all.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from thermal.core.cache import cache_dir, kept_arrays, library_key
from thermal.core.library import COOLANTS, Coolant


@dataclass(frozen=True)
class CoolantProperties:
    """Liquid coolant properties at one temperature and pressure."""
    density_kg_m3: float
    specific_heat_J_kgK: float
    viscosity_Pa_s: float
    conductivity_W_mK: float
    prandtl: float
    freezing_K: float


def _coolant(name: str) -> Coolant:
    try:
        return COOLANTS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown coolant {name!r}; known coolants: {', '.join(sorted(COOLANTS))}") from None


#: Bumped when what a coolant table holds changes.
_TABLE_SCHEMA = 1
#: Table rows per kelvin: a row at every 0.01 K, the rounding of :func:`coolant_properties`.
_ROWS_PER_K = 100
_PROPERTIES = ("D", "C", "V", "L")     # density, specific heat, viscosity, conductivity


@dataclass(frozen=True)
class _Table:
    """A coolant's liquid range at one pressure and its properties at every 0.01 K of it."""
    low_K: float
    high_K: float
    why_high: str
    first: int                  # row 0 is at first / 100 K
    rows: np.ndarray            # (n, 4) density, specific heat, viscosity, conductivity; NaN where CoolProp failed

    def row(self, temperature_K: float) -> np.ndarray | None:
        """The properties at a temperature on the table's 0.01 K grid (None off the grid)."""
        k = round(temperature_K * _ROWS_PER_K)
        if k / _ROWS_PER_K != temperature_K or not 0 <= k - self.first < len(self.rows):
            return None
        return self.rows[k - self.first]


def _liquid_range_from_coolprop(c: Coolant, pressure_Pa: float) -> tuple[float, float, str]:
    """Lowest and highest liquid temperature [K] of a coolant at a pressure, and what sets the top."""
    if c.incompressible:
        fit_max_K = props_si("Tmax", "T", 300.0, "P", pressure_Pa, c.coolprop_fluid)
        return c.freezing_K, fit_max_K, "the property fit's maximum"
    low = max(c.freezing_K, props_si("Tmin", c.coolprop_fluid))   # the equation of state's lower limit
    if pressure_Pa >= props_si("pcrit", c.coolprop_fluid):
        return low, props_si("Tcrit", c.coolprop_fluid), "the critical temperature"
    t_sat = props_si("T", "P", pressure_Pa, "Q", 0.0, c.coolprop_fluid)
    return low, t_sat, "the saturation temperature at the loop pressure (raise loop_pressure_Pa)"


def _table_from_coolprop(c: Coolant, pressure_Pa: float) -> dict:
    """The table computed with CoolProp, as the arrays :func:`_table` keeps (``rows``, ``range`` (low,
    high), ``first``, ``why``): the rows at k / 100 K for every k with low <= k / 100 < high
    (k / 100 is the same float as ``round(T, 2)``: both are the double nearest the decimal). A value
    CoolProp refuses (a vectorised call gives inf there; a call it refuses whole raises) is NaN: the
    lookup then asks CoolProp for that point, which says why."""
    low, high, why = _liquid_range_from_coolprop(c, pressure_Pa)
    first, last = math.ceil(low * _ROWS_PER_K), math.floor(high * _ROWS_PER_K)
    first += first / _ROWS_PER_K < low
    last -= last / _ROWS_PER_K >= high
    temperatures = np.arange(first, last + 1) / _ROWS_PER_K
    rows = np.full((temperatures.size, len(_PROPERTIES)), math.nan)
    for j, key in enumerate(_PROPERTIES):
        try:
            rows[:, j] = props_si(key, "T", temperatures, "P", pressure_Pa, c.coolprop_fluid)
        except ValueError:
            continue
    rows[~np.isfinite(rows)] = math.nan
    return {"rows": rows, "range": np.array([low, high], dtype=float), "first": np.array(first), "why": np.array(why)}


@lru_cache(maxsize=64)
def _table(name: str, pressure_Pa: float) -> _Table | None:
    """The coolant's table at the pressure, kept in the cache folder
    (:func:`thermal.core.cache.kept_arrays`, under a name that changes with CoolProp's version);
    None without a cache folder (a read-only home): each lookup then asks CoolProp for its point,
    which costs a process less than a whole table. One file per coolant and loop pressure (to
    1 kPa), 0.2-0.6 MB each."""
    c = COOLANTS[name]
    key = library_key(f"coolant-{name}-{pressure_Pa:.0f}Pa", "CoolProp", "CoolProp.abi3.so",
                      f"{_TABLE_SCHEMA}:{c.coolprop_fluid}")
    if key is None or cache_dir() is None:
        return None
    kept = kept_arrays(key, lambda: _table_from_coolprop(c, pressure_Pa))
    low, high = (float(x) for x in kept["range"])
    return _Table(low, high, str(kept["why"]), int(kept["first"]), kept["rows"])


@lru_cache(maxsize=64)
def _liquid_range_K(name: str, pressure_Pa: float) -> tuple[float, float, str]:
    """Lowest and highest liquid temperature [K] of a coolant at a pressure, and what sets the top."""
    table = _table(name, pressure_Pa)
    if table is None:
        return _liquid_range_from_coolprop(COOLANTS[name], pressure_Pa)
    return table.low_K, table.high_K, table.why_high


@lru_cache(maxsize=16384)
def _coolant_properties_cached(name: str, temperature_K: float, pressure_Pa: float) -> CoolantProperties:
    c = COOLANTS[name]
    low, high, why_high = _liquid_range_K(name, pressure_Pa)
    if temperature_K < low or temperature_K >= high:
        reason = "below its freezing point" if temperature_K < low else f"at or above {why_high}"
        raise ValueError(
            f"coolant {name!r} ({c.coolprop_fluid}) at {temperature_K:.2f} K and {pressure_Pa / 1e6:.3g} MPa is "
            f"outside its liquid range {low:.2f}-{high:.2f} K: {reason}")
    table = _table(name, pressure_Pa)
    row = table.row(temperature_K) if table is not None else None
    if row is None or not np.all(np.isfinite(row)):   # no table, off its grid, or refused: CoolProp says why
        rho, cp, mu, k = (props_si(key, "T", temperature_K, "P", pressure_Pa, c.coolprop_fluid)
                          for key in _PROPERTIES)
    else:
        rho, cp, mu, k = (float(x) for x in row)
    return CoolantProperties(rho, cp, mu, k, cp * mu / k, c.freezing_K)


def liquid_range_K(coolant: str, pressure_Pa: float = 1.0e6) -> tuple[float, float]:
    """The lowest and highest temperature at which the coolant is a liquid at the pressure (its
    freezing point; its boiling point or the top of its property fit) [K]."""
    _coolant(coolant)
    low, high, _ = _liquid_range_K(coolant, round(float(pressure_Pa), -3))
    return low, high


def coolant_properties(coolant: str, temperature_K: float, pressure_Pa: float = 1.0e6) -> CoolantProperties:
    """Liquid properties of a named coolant.

    Results are cached by temperature rounded to 0.01 K and pressure rounded to 1 kPa (the function
    is called inside time and iteration loops; the rounding changes properties by < 1e-4 relative).

    Parameters
    ----------
    coolant : str
        A key of :data:`COOLANTS` ('water-glycol', 'propylene-glycol', 'water', 'ammonia').
    temperature_K : float
        Bulk fluid temperature [K].
    pressure_Pa : float
        Loop pressure [Pa]. Sets the boiling point of pure fluids; hardly matters for the
        incompressible glycol mixtures.

    Returns
    -------
    CoolantProperties
        density [kg/m^3], specific heat [J/(kg K)], dynamic viscosity [Pa s], thermal conductivity
        [W/(m K)], Prandtl number [-] (cp mu / k) and freezing point [K].

    Raises
    ------
    ValueError
        For an unknown coolant, or a temperature outside the liquid range (below freezing, at or
        above boiling at the loop pressure, or outside the property fit); the message names the
        coolant and the temperature.

    Notes
    -----
    Source: CoolProp (Bell et al. 2014); see each entry's ``source`` in :data:`COOLANTS`. CoolProp's
    MEG-50% viscosity is 2-7 % below ASHRAE Fundamentals (ch. 31) between 0 and 60 degC; the two
    data sets (Melinder vs. Dow) disagree by that much.
    """
    _coolant(coolant)
    t = float(temperature_K)
    p = float(pressure_Pa)
    if not math.isfinite(t):
        raise ValueError(f"coolant {coolant!r}: temperature must be a finite number of kelvin, got {temperature_K!r}")
    if not (math.isfinite(p) and p > 0.0):
        raise ValueError(f"coolant {coolant!r}: pressure must be > 0 Pa, got {pressure_Pa!r}")
    return _coolant_properties_cached(coolant, round(t, 2), round(p, -3))


def props_si(*args):
    """CoolProp's ``PropsSI``, imported on first use (CoolProp takes seconds to import); for an array
    input, an array."""
    from CoolProp.CoolProp import PropsSI
    return PropsSI(*args)
