"""The pumped loop and the other transports in finite-element runs of the whole h100 bus (meshed at
20 cm, 100-200 s of fixed loads): the loop rejects to the panel exactly what the cold plates pick
up, the panel is warmest at the loop inlet, and conduction and heat pipes carry the module's heat
as their closed forms say. The loop's own march and its agreement with the transport module:
tests/verification/test_fe_loop.py; the same under MPI: tests/system/test_mpi.py."""

import dolfinx_solver  # noqa: F401

import numpy as np
import pytest

from thermal.case.model import ConductionSpec, HeatPipeSpec

from builders import GPU_W, OVERHEAD_W, bus_history


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
