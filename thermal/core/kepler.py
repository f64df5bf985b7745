"""The period of a circular orbit: the one piece of orbital mechanics the case reader needs (to
check a time step against the orbit) and the orbit model builds on (:mod:`thermal.orbit`)."""

import math

from thermal.core.constants import EARTH_MU_M3_S2, EARTH_RADIUS_M


def orbital_period_s(altitude_m: float) -> float:
    """Period of a circular Keplerian orbit, P = 2 pi sqrt(a^3 / mu).

    Parameters
    ----------
    altitude_m : float
        Altitude above the equatorial radius [m].

    Returns
    -------
    float
        Orbital period [s].

    References
    ----------
    Vallado (2013), eq. 1-27.
    """
    altitude_m = float(altitude_m)
    if not math.isfinite(altitude_m) or altitude_m <= 0.0:
        raise ValueError(f"orbit altitude must be a positive finite length in metres, got {altitude_m!r}")
    a_m = EARTH_RADIUS_M + altitude_m
    return 2.0 * math.pi * math.sqrt(a_m**3 / EARTH_MU_M3_S2)
