"""Liquid coolant properties from CoolProp, range-checked and cached.

Reference: Bell, Wronski, Quoilin & Lemort (2014) CoolProp, *Ind. Eng. Chem. Res.* 53, 2498-2508,
doi:10.1021/ie4033999; incompressible brines after Melinder, *Properties of Secondary Working
Fluids for Indirect Systems*, IIR (2010). CoolProp is imported on first use (it takes seconds).
"""

import math
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=64)
def _liquid_range_K(name: str, pressure_Pa: float) -> tuple[float, float, str]:
    """Lowest and highest liquid temperature [K] of a coolant at a pressure, and what sets the top."""
    c = COOLANTS[name]
    if c.incompressible:
        fit_max_K = props_si("Tmax", "T", 300.0, "P", pressure_Pa, c.coolprop_fluid)
        return c.freezing_K, fit_max_K, "the property fit's maximum"
    low = max(c.freezing_K, props_si("Tmin", c.coolprop_fluid))   # the equation of state's lower limit
    if pressure_Pa >= props_si("pcrit", c.coolprop_fluid):
        return low, props_si("Tcrit", c.coolprop_fluid), "the critical temperature"
    t_sat = props_si("T", "P", pressure_Pa, "Q", 0.0, c.coolprop_fluid)
    return low, t_sat, "the saturation temperature at the loop pressure (raise loop_pressure_Pa)"


@lru_cache(maxsize=16384)
def _coolant_properties_cached(name: str, temperature_K: float, pressure_Pa: float) -> CoolantProperties:
    c = COOLANTS[name]
    low, high, why_high = _liquid_range_K(name, pressure_Pa)
    if temperature_K < low or temperature_K >= high:
        reason = "below its freezing point" if temperature_K < low else f"at or above {why_high}"
        raise ValueError(
            f"coolant {name!r} ({c.coolprop_fluid}) at {temperature_K:.2f} K and {pressure_Pa / 1e6:.3g} MPa is "
            f"outside its liquid range {low:.2f}-{high:.2f} K: {reason}")
    rho, cp, mu, k = (props_si(key, "T", temperature_K, "P", pressure_Pa, c.coolprop_fluid)
                      for key in ("D", "C", "V", "L"))
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
    """CoolProp's ``PropsSI``, imported on first use (CoolProp takes seconds to import)."""
    from CoolProp.CoolProp import PropsSI
    return PropsSI(*args)
