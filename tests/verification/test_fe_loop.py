"""The pumped loop of the finite-element model: its march is affine in the panel's temperatures and
delivers exactly the cold plates' heat, and agrees with the transport module. Runs of the whole
bus with each transport: tests/system/test_fe_loop_bus.py; under MPI: tests/system/test_mpi.py."""


import dolfinx_solver  # noqa: F401

import numpy as np
import pytest

from thermal.models.fe.loop import LoopPath
from thermal.transport.loop import fluid_march


def _path(rng, bands=(5, 7)) -> LoopPath:
    branch = np.concatenate([np.full(n, b) for b, n in enumerate(bands)])
    return LoopPath(700.0, rng.uniform(0.5, 2.0, branch.size), branch, np.array([0.4, 0.6]),
                    rng.uniform(50.0, 400.0, branch.size))


def test_loop_is_affine_and_delivers_exactly_the_cold_plate_heat():
    rng = np.random.default_rng(1)
    path = _path(rng)
    W, w_Q = path.affine_map()
    h = path.band_heat_transfer_coefficient_W_m2K()
    for _ in range(5):
        band_T = rng.uniform(250.0, 320.0, path.bands)
        Q = rng.uniform(0.0, 8000.0)
        T_in, supply, back = path.march(band_T, Q)
        np.testing.assert_allclose(T_in, W @ band_T + w_Q * Q, rtol=1e-13)
        # heat into the panel bands, h_j A_j (T_in,j - Tb_j), adds up to Q for any panel state
        into = h * path.band_area_m2 * (T_in - band_T)
        assert into.sum() == pytest.approx(Q, rel=1e-12, abs=1e-9)
        assert supply - back == pytest.approx(Q / path.capacity_rate_W_K, rel=1e-12, abs=1e-12)


def test_loop_march_agrees_with_the_transport_module():
    rng = np.random.default_rng(2)
    path = LoopPath(500.0, rng.uniform(0.5, 2.0, 6), np.zeros(6, int), np.array([1.0]), np.full(6, 150.0))
    band_T = rng.uniform(260.0, 300.0, 6)
    T_in, supply, back = path.march(band_T, 3000.0)
    march = fluid_march(supply, band_T, 150.0 * path.band_area_m2, 500.0)
    np.testing.assert_allclose(march.fluid_temperature_K[:-1], T_in, rtol=1e-13)
    assert march.outlet_temperature_K == pytest.approx(back, rel=1e-13)
