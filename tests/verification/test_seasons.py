"""The worst epochs of an orbit's year: the sweep against a finer, independent search."""

import dataclasses
import datetime as dt

from thermal.case import load_case
from thermal.orbit import case_orbit, eclipse_intervals_s
from thermal.seasons import has_seasons, sweep_year, worst_epoch

from builders import CASES

BUS = load_case(CASES / "h100_bus.yaml")


def _eclipse_fraction(orbit, epoch):
    g = case_orbit(dataclasses.replace(orbit, epoch=epoch))
    return sum(b - a for a, b in eclipse_intervals_s(g, "conical")) / g.period_s


def test_worst_cold_of_a_dawn_dusk_orbit_has_the_longest_eclipse_of_the_year():
    orbit, env = BUS.orbit, BUS.environment
    cold = worst_epoch(orbit, env, "worst_cold")
    # the eclipse season of a 550 km dawn-dusk orbit is around the December solstice
    assert cold.month in (11, 12, 1)
    # a daily search finds no eclipse longer than the sweep's by more than the change over one
    # sample of the sweep (5 days) near the peak
    days = [dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=d) for d in range(365)]
    daily = [_eclipse_fraction(orbit, d) for d in days]
    best = max(range(365), key=daily.__getitem__)
    step = max(abs(daily[(best + k) % 365] - daily[best]) for k in range(-5, 6))
    assert 0.0 < step < 0.02
    assert _eclipse_fraction(orbit, cold) >= daily[best] - step


def test_worst_hot_of_a_dawn_dusk_orbit_has_no_eclipse_and_a_near_sun():
    ratings = sweep_year(BUS.orbit, BUS.environment)
    hot = max(ratings, key=lambda r: r.sunlit_solar_W_m2)
    assert hot.eclipse_fraction == 0.0 and hot.solar_distance_au < 0.99    # January-February perihelion
    assert worst_epoch(BUS.orbit, BUS.environment, "worst_hot") == hot.epoch


def test_a_beta_fixed_orbit_has_one_epoch():
    case = load_case(CASES / "radiator_zenith_400km.yaml")
    assert not has_seasons(case.orbit)
    assert worst_epoch(case.orbit, case.environment, "worst_cold") is None
