"""The panel array's network model against closed forms and conservation (issue 14, step 1)."""

import math

import numpy as np
import pytest

from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA
from thermal.models.panel import (
    eclipse_schedule,
    heat_capacity_J_K,
    panel_efficiency,
    panel_fluxes,
    panel_spreading,
    run_panel_orbit,
    spreading_rise,
    vapor_chamber_check,
)
from thermal.orbit import case_orbit, eclipse_duration_s
from thermal.sizing.panels import run_panel_case

from builders import panel_case

S = 1361.0


@pytest.mark.parametrize("chip_power", ["10 W", "150 W", "400 W"])
def test_self_powered_panel_in_deep_space_is_the_plate_closed_form_whatever_the_compute(chip_power):
    """All the electric output dissipated on the panel: T = (alpha S / ((eps_f + eps_b) sigma))^(1/4),
    the march over a day in deep space within 0.1 %, whatever the chips draw."""
    run = run_panel_case(panel_case(chip_power))
    T = run.load_cases[0].orbit.panel_K
    closed = (0.9 * S / ((0.85 + 0.9) * SIGMA)) ** 0.25
    assert abs(T[-1] / closed - 1) < 1e-3
    assert np.ptp(T[T.size // 2:]) < 1e-6 * closed           # steady
    assert run.load_cases[0].orbit.energy_balance_error < 1e-6
    # the chips are really drawing their power: the junction sits above the panel by P (R_jp + R_spreading)
    chip_W = float(chip_power.split()[0])
    rise = chip_W * (0.1 + panel_spreading(run.case.panel, T[-1]).footprint_K_W)
    assert run.load_cases[0].orbit.junction_K[-1] - T[-1] == pytest.approx(rise, rel=1e-3)
    assert rise > 0.1 * chip_W


def test_exported_output_takes_eta_off_the_absorbed_sunlight():
    """The output exported (a plain array), eta constant (no temperature coefficient): the closed form
    with (alpha - eta) S; with the temperature coefficient, the fixed point of the same balance."""
    case = panel_case(output="export", temperature_coefficient=0.0)
    eta = float(panel_efficiency(case.panel, 300.0, case.mission_years))
    closed = ((0.9 - eta) * S / ((0.85 + 0.9) * SIGMA)) ** 0.25
    run = run_panel_case(case)
    assert abs(run.load_cases[0].orbit.panel_K[-1] / closed - 1) < 1e-3
    assert run.load_cases[0].orbit.energy_balance_error < 1e-6
    hot = (0.9 * S / ((0.85 + 0.9) * SIGMA)) ** 0.25
    assert hot - closed > 10.0      # exporting the output cools the panel by more than 10 K: not trivial

    case = panel_case(output="export")
    T = 330.0
    for _ in range(100):
        T = ((0.9 - float(panel_efficiency(case.panel, T, case.mission_years))) * S / ((0.85 + 0.9) * SIGMA)) ** 0.25
    run = run_panel_case(case)
    assert abs(run.load_cases[0].orbit.panel_K[-1] / T - 1) < 1e-3


def test_energy_balance_over_an_eclipsing_orbit():
    """A 550 km dawn-dusk orbit at the December solstice (22 min eclipse), chips on the battery:
    the stored change matches heat in minus heat out step by step, below 1e-6."""
    case = panel_case(orbit={"altitude": "550 km", "sun_synchronous": {"ltan": "06:00"}, "epoch": "2027-12-21"},
                      eclipse={"strategy": "battery"})
    geom = case_orbit(case.orbit)
    eclipse = eclipse_duration_s(geom, "conical")
    assert eclipse > 1000.0
    fluxes = panel_fluxes(case.panel, geom, case.environment)
    sched = eclipse_schedule(case.panel, "battery", 0.0, eclipse, fluxes.period_s, 0.95, 0.95)
    run = run_panel_orbit(case.panel, fluxes, sched, heat_capacity_J_K(case.panel, 4.0), 5.0, orbits=3,
                          time_step_s=30.0)
    assert run.energy_balance_error < 1e-6
    assert run.junction_swing_K > 30.0          # a thin panel cools in eclipse
    # over the periodic orbit the heat in (absorbed less stored, plus the battery's return) equals what it emits
    emitted = (0.85 + 0.9) * SIGMA * case.panel.area_m2 * run.panel_K ** 4
    assert abs(np.mean(run.heat_in_W) / np.mean(emitted) - 1) < 5e-3


def test_vapor_chamber_limit_is_the_heat_pipe_limit():
    """Q L_eff with L_eff = (L_e + L_c)/2 = (half-chip + the rest of the half-pitch)/2 = pitch/4."""
    assert vapor_chamber_check(panel_case("150 W").panel).within_limit      # 26 W m of 40
    case = panel_case("300 W")
    check = vapor_chamber_check(case.panel)
    assert check.transport_W_m == pytest.approx(300.0 * 0.7 / 4)
    assert check.capacity_W_m == 40.0 and check.within_limit is False


def test_spreading_series_against_the_one_dimensional_fin():
    """A source across the whole cell in y is a 1-D fin: theta(centre) = q/h (1 - sinh(m(a-c)/2)/sinh(m a/2))."""
    a, c, kt, h = 0.5, 0.1, 15.0, 12.0
    from thermal.models.panel import _footprint_coefficients
    fx = _footprint_coefficients(a, c, 4000)
    lam2 = (np.arange(4000) * math.pi / a) ** 2
    q = 1.0 / (c * a)                                  # 1 W over c x a
    peak = float(np.sum(q * fx / (kt * lam2 + h) * np.cos(np.arange(4000) * math.pi / 2)))
    m = math.sqrt(h / kt)
    closed = q / h * (1 - math.sinh(m * (a - c) / 2) / math.sinh(m * a / 2))
    assert peak == pytest.approx(closed, rel=1e-5)


def test_spreading_series_truncation_and_limits():
    """The rise converges with the modes, the mean rise is 1/(h a b), and it vanishes as k t grows."""
    r400 = spreading_rise((0.7, 0.7), 0.05, 15.0, 12.0, 400)
    r800 = spreading_rise((0.7, 0.7), 0.05, 15.0, 12.0, 800)
    assert abs(r400.peak_K_W / r800.peak_K_W - 1) < 1e-3
    assert r400.mean_K_W == pytest.approx(1 / (12.0 * 0.49), rel=1e-12)
    assert r400.peak_K_W > r400.footprint_K_W > 0
    assert spreading_rise((0.7, 0.7), 0.05, 1e6, 12.0).peak_K_W < 1e-3 * r400.peak_K_W
