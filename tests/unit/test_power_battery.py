"""Battery: bookkeeping, eclipse draw, floor, charge limit, shunt, fade.

Tolerances: bookkeeping closes to 1e-9 relative (the requirement; observed ~1e-14); closed-form
hand values to 1e-12 relative.
"""

import numpy as np
import pytest

from power.battery import (
    capacity_fade_fraction,
    capacity_remaining_fraction,
    cycles_to_fade,
    discharge_cycle_depths,
    dispatch_battery,
    step_durations_s,
    within_operating_range,
)
from power.cells import BATTERY_CELLS

VES = BATTERY_CELLS["VES180"]


def run(dt, array, fixed, thr=0.0, cap=2000.0, soc0=1.0, min_soc=0.65, thr_soc=None,
        eta_c=0.96, eta_d=0.95, pc=1e12, pd=1e12):
    dt = np.atleast_1d(np.asarray(dt, float))
    n = dt.size
    return dispatch_battery(dt, np.broadcast_to(array, (n,)), np.broadcast_to(fixed, (n,)),
                            np.broadcast_to(thr, (n,)), cap, soc0, min_soc,
                            min_soc if thr_soc is None else thr_soc, eta_c, eta_d, pc, pd)


def test_bookkeeping_closes_over_many_cycles():
    rng = np.random.default_rng(7)
    cycles, per = 1200, 10
    n = cycles * per
    dt = rng.uniform(100.0, 900.0, n)
    # sunlit/eclipse square wave with random levels: every regime occurs (full, limit, floor)
    phase = np.arange(n) % per
    array = np.where(phase < 6, rng.uniform(0.0, 5000.0, n), 0.0)
    fixed = rng.uniform(300.0, 2500.0, n)
    thr = rng.uniform(0.0, 500.0, n)
    d = run(dt, array, fixed, thr, cap=3000.0, soc0=0.8, thr_soc=0.7, pc=1500.0, pd=2500.0)
    e_in = np.sum(d.charge_W * dt)
    e_out = np.sum(d.discharge_W * dt)
    e_loss = np.sum(d.loss_W * dt)
    dE = (d.energy_end_Wh - d.energy_start_Wh[0]) * 3600.0
    assert abs(e_in - e_out - e_loss - dE) / (e_in + e_out) < 1e-9
    # loss is exactly the efficiency split of the flows, step by step
    np.testing.assert_allclose(d.loss_W, 0.04 * d.charge_W + (1 / 0.95 - 1) * d.discharge_W,
                               rtol=1e-12, atol=1e-9)
    # bus balance per step: array = delivered + charge - discharge + shunt
    delivered = fixed + thr - d.throttled_W - d.unserved_W
    np.testing.assert_allclose(array, delivered + d.charge_W - d.discharge_W + d.shunt_W,
                               rtol=0, atol=1e-7)
    # the test exercised every regime and >= 1000 cycles
    assert np.any(d.shunt_W > 1) and np.any(d.unserved_W > 1) and np.any(d.throttled_W > 1)
    assert np.any(np.isclose(d.charge_W, 1500.0)) and np.any(np.isclose(d.discharge_W, 2500.0))
    assert discharge_cycle_depths(np.append(d.soc_start, d.soc_end)).size >= 1000
    assert d.soc_start.min() >= 0.65 - 1e-12 and d.soc_start.max() <= 1.0 + 1e-12


def test_eclipse_draw_is_load_times_duration_over_efficiency():
    # 1000 W for 2100 s from a full 2000 Wh battery, eta_d = 0.95:
    # stored energy drawn = 1000 * 2100 / 0.95 J = 614.035 Wh -> SOC 1 - 0.307018
    d = run(np.full(21, 100.0), 0.0, 1000.0, cap=2000.0, min_soc=0.0, eta_d=0.95)
    drawn_Wh = d.energy_start_Wh[0] - d.energy_end_Wh
    assert drawn_Wh == pytest.approx(1000.0 * 2100.0 / 0.95 / 3600.0, rel=1e-12)
    np.testing.assert_allclose(d.discharge_W, 1000.0, rtol=1e-12)
    np.testing.assert_allclose(d.loss_W, 1000.0 * (1 / 0.95 - 1), rtol=1e-12)
    assert np.all(d.unserved_W == 0) and np.all(d.shunt_W == 0)


def test_soc_floor_held_and_unserved_reported():
    # 2000 Wh, DoD 0.35, 2000 W for 3600 s: floor after 0.35*2000*3600*0.95/2000 = 1197 s
    d = run(np.full(36, 100.0), 0.0, 2000.0, cap=2000.0, min_soc=0.65, eta_d=0.95)
    assert min(d.soc_start.min(), d.soc_end) == pytest.approx(0.65, abs=1e-12)
    assert d.soc_start.min() >= 0.65 - 1e-12
    t_floor = 0.35 * 2000 * 3600 * 0.95 / 2000.0
    unserved_J = np.sum(d.unserved_W * 100.0)
    assert unserved_J == pytest.approx(2000.0 * (3600.0 - t_floor), rel=1e-12)
    delivered_J = np.sum(d.discharge_W * 100.0)
    assert delivered_J == pytest.approx(2000.0 * t_floor, rel=1e-12)


def test_charge_limit_respected():
    d = run(np.full(5, 60.0), 6000.0, 1000.0, cap=2000.0, soc0=0.5, eta_c=0.96, pc=1000.0)
    np.testing.assert_allclose(d.charge_W, 1000.0, rtol=1e-12)
    np.testing.assert_allclose(d.shunt_W, 4000.0, rtol=1e-12)
    assert d.energy_end_Wh - d.energy_start_Wh[0] == pytest.approx(0.96 * 1000 * 300 / 3600, rel=1e-12)


def test_shunt_when_full_and_partial_fill_within_a_step():
    # full battery: all surplus shunted
    d = run([600.0], 3000.0, 1000.0, soc0=1.0)
    assert d.charge_W[0] == 0.0 and d.shunt_W[0] == pytest.approx(2000.0, rel=1e-12)
    # 2000 Wh at SOC 0.9, surplus 2000 W, eta_c 0.96: full after 200 Wh / (0.96 * 2000 W) = 375 s
    d = run([600.0], 3000.0, 1000.0, cap=2000.0, soc0=0.9, eta_c=0.96)
    assert d.soc_end == pytest.approx(1.0, abs=1e-15)
    assert d.charge_W[0] == pytest.approx(2000.0 * 375.0 / 600.0, rel=1e-12)
    assert d.shunt_W[0] == pytest.approx(2000.0 * 225.0 / 600.0, rel=1e-12)


def test_step_refinement_does_not_change_the_answer():
    # piecewise-constant inputs + exact integration: halving the steps changes nothing
    rng = np.random.default_rng(3)
    n = 200
    dt = np.full(n, 60.0)
    array = np.where(np.arange(n) % 20 < 12, rng.uniform(0, 4000, n), 0.0)
    fixed = rng.uniform(500, 2500, n)
    a = run(dt, array, fixed, cap=800.0, pc=1200.0, pd=2000.0)
    b = run(np.repeat(dt / 2, 2), np.repeat(array, 2), np.repeat(fixed, 2), cap=800.0, pc=1200.0,
            pd=2000.0)
    np.testing.assert_allclose(b.soc_start[::2], a.soc_start, rtol=0, atol=1e-12)
    np.testing.assert_allclose(0.5 * (b.unserved_W[::2] + b.unserved_W[1::2]), a.unserved_W,
                               rtol=0, atol=1e-8)


def test_step_durations():
    np.testing.assert_allclose(step_durations_s([0, 10, 30]), [10, 20, 20])
    np.testing.assert_allclose(step_durations_s([0, 10, 30], period_s=60), [10, 20, 30])
    with pytest.raises(ValueError, match="strictly increasing"):
        step_durations_s([0, 10, 10])


def test_fade_law_by_hand():
    # VES180: N(0.30) = 27,500; N(0.15) = 55,000 with exponent 1
    assert cycles_to_fade(0.30, VES) == pytest.approx(27500.0)
    assert cycles_to_fade(0.15, VES) == pytest.approx(55000.0)
    # 5 years at 5,500 cycles/year, 30 % DoD: 20 % cycling + 5 * 0.2 % calendar -> 0.79
    assert capacity_remaining_fraction(5.0, 0.30, VES) == pytest.approx(0.79, rel=1e-12)
    assert capacity_remaining_fraction(5.0, 0.15, VES) == pytest.approx(0.89, rel=1e-12)
    assert capacity_remaining_fraction(0.0, 0.30, VES) == 1.0
    # Miner's rule on a cycle list gives the same as the closed form
    assert capacity_fade_fraction(np.full(27500, 0.30), VES) == pytest.approx(0.20, rel=1e-9)


def test_cycle_depth_counting():
    soc = [1.0, 0.8, 0.7, 0.9, 1.0, 1.0, 0.6, 0.6, 0.8]
    np.testing.assert_allclose(discharge_cycle_depths(soc), [0.3, 0.4], rtol=1e-12)
    assert discharge_cycle_depths([0.5, 0.5]).size == 0


def test_operating_range():
    assert list(within_operating_range([270.0, 290.0, 315.0], VES)) == [False, True, False]
