"""The panel's unit cell in finite elements: spreading from a chip footprint against the series
solution, its convergence order, and its energy balance (issue 14, step 2).

Reference: the double cosine series of :func:`thermal.models.panel.spreading_rise` (the periodic
unit cell with insulated symmetry edges and a linear film on both faces; itself checked against the
1-D fin's closed form in test_panel_network.py). The cell over an orbit, marched to its periodic state,
is in tests/system/test_panel_fe_orbit.py."""


import numpy as np
import pytest

from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA
from thermal.models.fe.system import time_grid
from thermal.models.panel import panel_spreading, spreading_rise
from thermal.models.panel_fe import PanelCellFE, linear_spreading_fe, radiating_cell_fe

from builders import panel_case

PITCH, CHIP, KT, H, P = 0.7, 0.05, 15.0, 12.0, 100.0   # a 0.7 m cell, 5 cm chip, k t = 15 W/K, h = 12 W/m^2/K


def test_peak_rise_converges_at_second_order_to_the_series():
    series = spreading_rise((PITCH, PITCH), CHIP, KT, H, 800).peak_K_W * P
    runs = [linear_spreading_fe((PITCH, PITCH), CHIP, KT, H, P, (n, n)) for n in (28, 56, 112)]
    errors = np.array([abs(r.peak_rise_K - series) for r in runs])
    order = np.polyfit(np.log([1 / 28, 1 / 56, 1 / 112]), np.log(errors), 1)[0]
    assert 1.8 < order < 2.3, order
    assert abs(runs[1].peak_rise_K / series - 1) < 0.02          # 56 x 56 cells: within 2 % of the series
    assert abs(runs[2].footprint_rise_K / (spreading_rise((PITCH, PITCH), CHIP, KT, H, 800).footprint_K_W * P)
               - 1) < 0.02
    for r in runs:
        assert r.energy_balance_error < 1e-4
        assert r.mean_rise_K == pytest.approx(P / (H * PITCH ** 2), rel=1e-6)


def test_radiating_cell_without_a_chip_is_the_plate_closed_form():
    """Uniform heating of a cell radiating from both faces: (q / ((eps_f + eps_b) sigma))^(1/4)."""
    case = panel_case()
    q = 0.9 * 1361.0
    cell = radiating_cell_fe(case.panel, q, 0.0, 0.05)
    closed = (q / ((0.85 + 0.9) * SIGMA)) ** 0.25
    assert cell.hot_spot_K == pytest.approx(closed, rel=1e-6) and cell.coldest_K == pytest.approx(closed, rel=1e-6)
    assert cell.energy_balance_error < 1e-4


def test_radiating_cell_with_its_chip_agrees_with_the_network():
    """The self-powered panel in the sun: the FE junction against the network's linearised series
    (within 0.5 K), the energy balance below 1e-4."""
    case = panel_case("150 W")
    p = case.panel
    absorbed = 0.9 * 1361.0 * p.area_m2
    chip = 150.0
    cell = radiating_cell_fe(p, (absorbed - 4 * chip) / p.area_m2, chip, 0.0125)
    mean = (0.9 * 1361.0 / ((0.85 + 0.9) * SIGMA)) ** 0.25
    network = mean + chip * (p.chips.junction_to_panel_K_W + panel_spreading(p, mean).footprint_K_W)
    assert abs(cell.junction_K - network) < 0.5
    assert cell.junction_K - mean > 15.0
    assert cell.energy_balance_error < 1e-4


def _cool_down_error(panel, areal, dt_s: float) -> tuple[float, float]:
    """(largest relative error of the cell's mean and hottest point against the closed form over
    40 minutes, the closed form at the end) with steps of ``dt_s``; every step's audit closes."""
    cell = PanelCellFE(panel, 0.05, areal, 0.0)
    integ = cell.integrator(lambda t: np.zeros(4), 330.0)
    eps = panel.front.emissivity + panel.back.emissivity
    worst, exact = 0.0, 330.0
    try:
        for t in time_grid(0.0, 2400.0, dt_s):
            record = integ.advance(t)
            smp = cell.observe(integ.T_owned, record, integ.last_amplitudes)
            exact = (330.0 ** -3 + 3 * eps * SIGMA * t / areal) ** (-1 / 3)
            worst = max(worst, abs(smp.T_mean[0] / exact - 1), abs(smp.T_max[0] / exact - 1))
            assert record.imbalance_W == pytest.approx(0.0, abs=1e-8 * record.emitted_W)
    finally:
        integ.close()
        cell.destroy()
    return worst, exact


def test_thin_panel_cools_in_the_dark_as_the_lumped_closed_form():
    """No sun, no chips: m c dT/dt = -(eps_f + eps_b) sigma A T^4, whose exact solution is
    T = (T0^-3 + 3 (eps_f + eps_b) sigma t / (m c / A))^(-1/3) (with eps_f = eps_b = eps the
    6 eps sigma t of the brief). The FE cell's BDF2 converges to it at second order in the step
    (the first step is backward Euler), within 0.03 % at 5 s steps over 40 minutes."""
    panel = panel_case().panel
    areal = panel.substrate.areal_mass_kg_m2 * panel.substrate.specific_heat_J_kgK     # 1800 J/m^2/K
    runs = [_cool_down_error(panel, areal, dt) for dt in (20.0, 10.0, 5.0)]
    errors = np.array([r[0] for r in runs])
    order = np.polyfit(np.log([20.0, 10.0, 5.0]), np.log(errors), 1)[0]
    assert 1.6 < order < 2.3, (order, errors)
    assert errors[-1] < 3e-4
    assert runs[-1][1] < 140.0        # it really cooled: from 330 K to 133 K in 40 minutes
