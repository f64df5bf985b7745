"""The year of an orbit: its worst hot and worst cold epochs, found by a sweep.

A sun-synchronous orbit or an inclined one with a RAAN changes over the year: the beta angle
(hence the eclipse) drifts with the season, and the sun's distance changes the solar flux by
+-3.4 %. The sweep evaluates the orbit at :data:`SWEEP_EPOCHS` epochs evenly spread over the year
of the case's epoch (the default epoch's year without one) and rates each by the sunlit-average
solar flux on the orbit, ``S / d^2 * (1 - eclipse fraction)`` (d in AU):

- **worst cold**: the lowest rating, the longest eclipse at the farthest sun;
- **worst hot**: the highest, the shortest eclipse at the nearest sun.

The rating is the driver of both extremes for a spacecraft whose heat comes from the sun and its
own dissipation (it ignores the smaller changes of albedo and Earth-IR view with beta). A
beta-fixed orbit has no seasons: its one epoch is its worst in both senses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from thermal.case.model import EnvironmentConstants, OrbitConfig
from thermal.orbit import DEFAULT_EPOCH, case_orbit, eclipse_duration_s

#: Epochs of the sweep over a year (every 5 days).
SWEEP_EPOCHS = 73


@dataclasses.dataclass(frozen=True)
class EpochRating:
    """One epoch of the sweep and its rating."""

    epoch: dt.datetime
    beta_deg: float
    eclipse_fraction: float
    solar_distance_au: float
    sunlit_solar_W_m2: float       # S / d^2 * (1 - eclipse fraction)


def sweep_year(orbit: OrbitConfig, env: EnvironmentConstants, epochs: int = SWEEP_EPOCHS) -> list[EpochRating]:
    """The orbit rated at ``epochs`` epochs over the year of its epoch."""
    start = orbit.epoch or DEFAULT_EPOCH
    first = dt.datetime(start.year, 1, 1, 12, 0, tzinfo=dt.UTC)
    year_s = (dt.datetime(start.year + 1, 1, 1, 12, 0, tzinfo=dt.UTC) - first).total_seconds()
    out = []
    for k in range(epochs):
        epoch = first + dt.timedelta(seconds=year_s * k / epochs)
        geom = case_orbit(dataclasses.replace(orbit, epoch=epoch))
        assert geom is not None
        fraction = eclipse_duration_s(geom, env.eclipse) / geom.period_s
        flux = env.solar_constant_W_m2 / geom.solar_distance_au ** 2 * (1.0 - fraction)
        out.append(EpochRating(epoch, math.degrees(geom.beta_rad), fraction,
                               geom.solar_distance_au, flux))
    return out


def has_seasons(orbit: OrbitConfig | None) -> bool:
    """Whether the orbit changes over the year (sun-synchronous, or inclination with a RAAN)."""
    return orbit is not None and orbit.has_seasons


def worst_epoch(orbit: OrbitConfig, env: EnvironmentConstants, rule: str) -> dt.datetime | None:
    """The epoch of ``rule`` ('worst_hot' or 'worst_cold'); None for an orbit without seasons (its
    own epoch is the one)."""
    if not has_seasons(orbit):
        return None
    ratings = sweep_year(orbit, env)
    pick = max if rule == "worst_hot" else min
    return pick(ratings, key=lambda r: r.sunlit_solar_W_m2).epoch
