"""The orbits a sizing sizes for: the case's own, or every orbit it sees over a year."""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np

from thermal.case.model import Case, EnvironmentConstants
from thermal.case.sizing import SizingConfig
from thermal.core.checks import need
from thermal.orbit import OrbitGeometry, case_orbit, eclipse_duration_s, resolve_orbit


def orbit_cases_beta_sweep(altitude_m: float, inclination_rad: float, n_beta: int = 9,
                           include_negative: bool = True) -> list[OrbitGeometry]:
    """Orbits at every beta angle a circular orbit of an inclination sees over a year.

    ``|beta| <= inclination + 23.44 deg`` (obliquity of the ecliptic), capped at 90 deg; for
    retrograde orbits the inclination is taken as 180 deg - i. Solar distance 1 AU.

    Parameters
    ----------
    altitude_m : float
        [m]
    inclination_rad : float
        [rad]
    n_beta : int, default 9
        Betas from 0 to the largest, evenly spaced [-].
    include_negative : bool, default True
        Add the negative betas (they differ for surfaces facing along the orbit normal).

    Returns
    -------
    list of OrbitGeometry
    """
    need(isinstance(n_beta, int) and n_beta >= 1, "n_beta", "an integer >= 1", n_beta)
    inc = min(abs(inclination_rad), math.pi - abs(inclination_rad))
    beta_max = min(inc + math.radians(23.44), 0.5 * math.pi)
    betas = list(np.linspace(0.0, beta_max, n_beta)) if n_beta > 1 else [0.0]
    if include_negative:
        betas += [-b for b in betas if b > 0.0]
    return [resolve_orbit(altitude_m, beta_rad=float(b)) for b in betas]


def orbit_cases_sun_synchronous(altitude_m: float, ltan_hours: float = 6.0, year: int = 2027,
                                n_epochs: int = 24) -> list[OrbitGeometry]:
    """A sun-synchronous orbit at evenly spaced epochs over a year (beta and solar distance).

    Parameters
    ----------
    altitude_m : float
        [m]
    ltan_hours : float, default 6
        Local time of the ascending node [h]; 6 or 18 for dawn-dusk.
    year : int, default 2027
    n_epochs : int, default 24
        Epochs, the first on 1 January at 12:00 UTC [-].

    Returns
    -------
    list of OrbitGeometry
    """
    need(isinstance(n_epochs, int) and n_epochs >= 1, "n_epochs", "an integer >= 1", n_epochs)
    start = _dt.datetime(year, 1, 1, 12, 0, tzinfo=_dt.UTC)
    step = _dt.timedelta(days=365.2422 / n_epochs)
    return [resolve_orbit(altitude_m, ltan_hours=ltan_hours, epoch=start + i * step)
            for i in range(n_epochs)]


def eclipse_s(geom: OrbitGeometry | None, env: EnvironmentConstants) -> float:
    """Eclipse duration, penumbra included [s] (0 in deep space)."""
    return eclipse_duration_s(geom, env.eclipse)


#: Orbit epochs over a year for ``orbit_cases: year`` with a sun-synchronous orbit [-].
YEAR_EPOCHS = 24


#: Beta angles (0 to the largest, both signs) for ``orbit_cases: year`` with an inclined orbit [-].
YEAR_BETAS = 7


def sizing_orbits(case: Case, sizing: SizingConfig) -> list:
    """The orbit cases to size for: the case's orbit, or every orbit it sees over a year (with the
    case's own orbit among them, so that the check case runs inside the sizing's envelope)."""
    geom = case_orbit(case.orbit)
    o = case.orbit
    if geom is None or sizing.orbit_cases == "case" or o.beta_rad is not None:
        return [geom]
    if o.ltan_hours is not None:
        year = o.epoch.year if o.epoch is not None else 2027
        cases = orbit_cases_sun_synchronous(o.altitude_m, o.ltan_hours, year=year, n_epochs=YEAR_EPOCHS)
    else:
        cases = orbit_cases_beta_sweep(o.altitude_m, o.inclination_rad, n_beta=YEAR_BETAS)
    return cases + [geom]  # the case's own orbit too: the check case runs it
