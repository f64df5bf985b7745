"""The pumped loop and the other transports in the finite-element model (the same under MPI:
tests/system/test_mpi.py)."""


import dolfinx_solver  # noqa: F401

import numpy as np
import pytest

from thermal.case.model import ConductionSpec, HeatPipeSpec
from thermal.models.fe.loop import LoopPath
from thermal.transport.loop import fluid_march

from builders import GPU_W, OVERHEAD_W, bus_history


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


# --------------------------------------------------------------------------------------------
# the h100_bus with its transports
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bus_loop():
    return bus_history()


def test_pumped_loop_rejects_to_the_panel_exactly_what_the_cold_plates_pick_up(bus_loop):
    sm, history = bus_loop
    t = history.time_s
    gpu_total = 8 * GPU_W * (1.0 + 0.1 * np.sin(t / 50.0))
    loop_in = history.generated_W - 400.0                     # all generated heat but the deck's
    np.testing.assert_allclose(loop_in, gpu_total + OVERHEAD_W, rtol=1e-9)
    assert history.coolant["loop_heat_max_W"] == pytest.approx(np.max(gpu_total + OVERHEAD_W), rel=1e-9)
    assert history.energy_balance_error < 1e-7
    assert history.coolant["loop_capacity_rate_W_K"] > 0.0
    # equal GPUs: every cold-plate outlet is the supply temperature; junction = coolant + P R_jc
    assert history.cold_plate_T_K[-1] == pytest.approx(history.coolant["loop_supply_max_K"], abs=5.0)
    np.testing.assert_allclose(history.gpu_junction_K - history.cold_plate_T_K, 0.03 * 8 * GPU_W / 8
                               * (1.0 + 0.1 * np.sin(t / 50.0)), rtol=1e-9)


def test_radiator_is_warmest_at_the_loop_inlet(bus_loop):
    sm, history = bus_loop
    # the fluid enters at the hinge end hotter than the panel: the panel's maximum beats its mean
    assert history.part_T_max_K["radiator"][-1] > history.part_T_mean_K["radiator"][-1] + 1.0


@pytest.mark.parametrize("transport", [ConductionSpec(), HeatPipeSpec(200.0, 143.0)])
def test_conduction_and_heat_pipe_transports(transport):
    sm, history = bus_history(transport=transport, duration_s=100.0)
    t = history.time_s
    gpu = GPU_W * (1.0 + 0.1 * np.sin(t / 50.0))
    np.testing.assert_allclose(history.generated_W, 8 * gpu + OVERHEAD_W + 400.0, rtol=1e-9)
    assert history.energy_balance_error < 1e-7
    module = history.gpu_junction_K - 0.03 * gpu
    np.testing.assert_allclose(history.cold_plate_T_K, module, rtol=1e-12)
    if isinstance(transport, HeatPipeSpec):
        # a massless module: all its heat (GPU and a share of the other electronics) through 200/8 W/K
        np.testing.assert_allclose(module, history.part_T_mean_K["radiator"] + (gpu + OVERHEAD_W / 8) / 25.0,
                                   rtol=1e-9)
    else:
        # GPUs on the deck: above the deck's mean temperature, heated most under them
        assert np.all(module[1:] > history.part_T_mean_K["deck"][1:])
