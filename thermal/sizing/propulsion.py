"""Propellant to hold a module's altitude against drag and to deorbit it at end of life.

Model (each step a closed form):

1. Atmospheric density at the orbit's altitude from the exponential atmosphere of Vallado [1],
   table 8-4 (CIRA-72 at moderate solar activity): ``rho = rho_0 exp(-(h - h_0) / H)`` within
   each altitude band, times ``sizing.propulsion.density_factor`` for solar activity.
2. Drag deceleration ``a = 1/2 rho v^2 C_D A / m`` with ``v`` the circular orbital speed (the
   co-rotating atmosphere, a few per cent slower, is neglected: conservative), ``A`` the area
   the module shows the flow, averaged over each orbit case (:func:`projected_fractions`), and
   ``m`` the dry mass (conservative against the wet mass). The drag make-up is ``a`` times the
   mission's seconds (SMAD [2], sec. 6.2.3: the delta-v to maintain a circular orbit equals the
   drag impulse per unit mass).
3. Deorbit: one burn from the circular orbit into an ellipse whose perigee is at
   ``disposal_perigee`` (Curtis [3], sec. 6.2): ``dv = v_c - sqrt(mu (2/r - 2/(r + r_p)))``.
4. Rocket equation with the tanks carried: ``m_p = m_dry (e - 1) / (1 - f (e - 1))`` with
   ``e = exp(dv / (Isp g0))`` and ``f`` the tankage per kg of propellant, so that the tanks'
   own mass is pushed too.

References
----------
.. [1] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., Microcosm Press,
   2013, sec. 8.6.2 and table 8-4 (exponential atmosphere).
.. [2] J. R. Wertz and W. J. Larson (eds.), *Space Mission Analysis and Design*, 3rd ed., 1999,
   sec. 6.2.3 and table 7-3.
.. [3] H. D. Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., 2014, sec. 6.2.
"""

from __future__ import annotations

import functools
import math

from thermal.case.sizing import Propulsion
from thermal.core.checks import need
from thermal.core.constants import HOURS_PER_YEAR

__all__ = ["ATMOSPHERE_VALLADO", "density_kg_m3", "deorbit_delta_v_m_s", "drag_delta_v_m_s", "propellant_kg",
           "G0_M_S2", "MU_EARTH_M3_S2", "R_EARTH_M"]

#: Standard gravity [m/s^2] (the definition of Isp).
G0_M_S2 = 9.80665
#: Earth's gravitational parameter [m^3/s^2] (REFERENCE_DATA: 398,600.4418 km^3/s^2).
MU_EARTH_M3_S2 = 3.986004418e14
#: Earth's equatorial radius [m] (REFERENCE_DATA).
R_EARTH_M = 6_378_137.0

#: Exponential atmosphere, Vallado 2013, table 8-4: (base altitude [m], density at the base
#: [kg/m^3], scale height [m]), each band valid from its base to the next one's.
ATMOSPHERE_VALLADO = (
    (100e3, 5.297e-7, 5.877e3), (110e3, 9.661e-8, 7.263e3), (120e3, 2.438e-8, 9.473e3),
    (130e3, 8.484e-9, 12.636e3), (140e3, 3.845e-9, 16.149e3), (150e3, 2.070e-9, 22.523e3),
    (180e3, 5.464e-10, 29.740e3), (200e3, 2.789e-10, 37.105e3), (250e3, 7.248e-11, 45.546e3),
    (300e3, 2.418e-11, 53.628e3), (350e3, 9.518e-12, 53.298e3), (400e3, 3.725e-12, 58.515e3),
    (450e3, 1.585e-12, 60.828e3), (500e3, 6.967e-13, 63.822e3), (600e3, 1.454e-13, 71.835e3),
    (700e3, 3.614e-14, 88.667e3), (800e3, 1.170e-14, 124.64e3), (900e3, 5.245e-15, 181.05e3),
    (1000e3, 3.019e-15, 268.00e3),
)


@functools.lru_cache(maxsize=256)
def density_kg_m3(altitude_m: float, factor: float = 1.0) -> float:
    """Atmospheric density at an altitude, Vallado's exponential model times ``factor`` [kg/m^3].

    Above 1,000 km the last band (scale height 268 km) is extended.
    """
    need(math.isfinite(altitude_m) and altitude_m >= ATMOSPHERE_VALLADO[0][0], "altitude_m",
         "an altitude >= 100 km", altitude_m)
    h0, rho0, scale = next(b for b in reversed(ATMOSPHERE_VALLADO) if altitude_m >= b[0])
    return factor * rho0 * math.exp(-(altitude_m - h0) / scale)


def drag_delta_v_m_s(altitude_m: float, area_m2: float, mass_kg: float, years: float,
                     propulsion: Propulsion) -> float:
    """Delta-v that cancels the drag over the mission, ``1/2 rho v^2 C_D (A/m) t`` [m/s]."""
    r = R_EARTH_M + altitude_m
    v2 = MU_EARTH_M3_S2 / r
    rho = density_kg_m3(altitude_m, propulsion.density_factor)
    return 0.5 * rho * v2 * propulsion.drag_coefficient * area_m2 / mass_kg * years * HOURS_PER_YEAR * 3600.0


def deorbit_delta_v_m_s(altitude_m: float, perigee_m: float) -> float:
    """One burn from a circular orbit into an ellipse with its perigee at ``perigee_m`` [m/s]
    (0 when the orbit is at or below that perigee)."""
    r, rp = R_EARTH_M + altitude_m, R_EARTH_M + perigee_m
    if rp >= r:
        return 0.0
    return math.sqrt(MU_EARTH_M3_S2 / r) - math.sqrt(MU_EARTH_M3_S2 * (2.0 / r - 2.0 / (r + rp)))


def propellant_kg(dry_mass_kg: float, delta_v_m_s: float, propulsion: Propulsion) -> tuple[float, float]:
    """(propellant, tanks) for a delta-v, the tanks pushed too [kg, kg].

    Raises ValueError when the tanks would need more propellant than they add (``f (e - 1) >= 1``).
    """
    e = math.exp(delta_v_m_s / (propulsion.isp_s * G0_M_S2)) - 1.0
    f = propulsion.tankage_fraction
    if f * e >= 1.0:
        raise ValueError(f"sizing.propulsion: a delta-v of {delta_v_m_s:,.0f} m/s at {propulsion.isp_s:.0f} s "
                         "needs more propellant than its tanks can carry; raise the specific impulse")
    prop = dry_mass_kg * e / (1.0 - f * e)
    return prop, f * prop
