"""Loads and schedules, by hand."""

import numpy as np
import pytest

from power.loads import compute_demand_W, compute_load_W, gpu_utilisation, throttleable_compute_W


def test_compute_load_by_hand():
    # 8 x 700 W x 0.5 + 3500 W = 6300 W
    assert compute_load_W(8, 700.0, 0.5, 3500.0) == pytest.approx(6300.0)
    # DGX-H100-like: 8 x 700 + 4600 = 10.2 kW
    assert compute_load_W(8, 700.0, 1.0, 4600.0) == pytest.approx(10200.0)


def test_schedules():
    ecl = np.array([False, False, True, True])
    np.testing.assert_allclose(compute_demand_W(ecl, 8, 700.0, 1.0, 3500.0), 9100.0)
    # eclipse_throttle: 8 x 700 x 0.25 + 3500 = 4900 W in eclipse only
    np.testing.assert_allclose(
        compute_demand_W(ecl, 8, 700.0, 1.0, 3500.0, "eclipse_throttle", 0.25),
        [9100.0, 9100.0, 4900.0, 4900.0])
    # only soc_floor has a throttleable part: GPU power above min utilisation
    np.testing.assert_allclose(throttleable_compute_W(ecl, 8, 700.0, 1.0, "continuous"), 0.0)
    np.testing.assert_allclose(throttleable_compute_W(ecl, 8, 700.0, 1.0, "soc_floor",
                                                      min_utilisation=0.25), 8 * 700 * 0.75)
    with pytest.raises(ValueError, match="eclipse_utilisation"):
        gpu_utilisation(ecl, 1.0, "eclipse_throttle")
    with pytest.raises(ValueError, match="schedule"):
        gpu_utilisation(ecl, 1.0, "sometimes")
