"""The pumped loop and the other transports in the finite-element model, and MPI consistency."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dolfinx_solver  # noqa: F401

import numpy as np
import pytest
from mpi4py import MPI

from geometry.mesh import build_mesh
from thermal.case import load_case
from thermal.case.model import ConductionSpec, HeatPipeSpec
from thermal.models.fe.loop import LoopPath
from thermal.models.fe.model import FESettings, solve_fe
from thermal.transport.loop import fluid_march

ROOT = Path(__file__).resolve().parents[1]
GPU_W = 700.0
OVERHEAD_W = 3500.0


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

def _bus_history(comm=MPI.COMM_WORLD, transport=None, duration_s=200.0, mesh_size_m=0.2):
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    sm = build_mesh(case.spacecraft, mesh_size_m, comm)
    sides = {s.name: 150.0 for p in sm.parts.parts for s in p.sides}
    n_gpu = case.compute.count
    def gpu(t):
        return np.full(n_gpu, GPU_W * (1.0 + 0.1 * np.sin(t / 50.0)))

    return sm, solve_fe(
        sm, lambda t: sides, lambda t: {"deck": 400.0}, gpu, case.thermal.transport if transport is None else transport,
        case.compute.gpu.junction_to_coolant_K_W, 290.0, FESettings(time_step_s=20.0, duration_s=duration_s),
        cold_plate_heat_W=lambda t: OVERHEAD_W)


@pytest.fixture(scope="module")
def bus_loop():
    return _bus_history()


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
    sm, history = _bus_history(transport=transport, duration_s=100.0)
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


MPI_SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
import dolfinx_solver
from mpi4py import MPI
from test_fe_loop import _bus_history
sm, h = _bus_history(MPI.COMM_WORLD, duration_s=100.0)
if MPI.COMM_WORLD.rank == 0:
    json.dump({{"mean": {{k: v.tolist() for k, v in h.part_T_mean_K.items()}},
               "max": {{k: v.tolist() for k, v in h.part_T_max_K.items()}},
               "junction": h.gpu_junction_K.tolist(), "dofs": h.dofs}}, open({out!r}, "w"))
"""


def test_two_ranks_give_the_serial_answer(tmp_path):
    mpiexec = shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which("mpiexec")
    if mpiexec is None:
        pytest.skip("no mpiexec")
    out = tmp_path / "mpi.json"
    script = tmp_path / "run.py"
    script.write_text(MPI_SCRIPT.format(tests=str(ROOT / "tests"), out=str(out)))
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run([mpiexec, "-n", "2", sys.executable, str(script)], check=True, cwd=ROOT, env=env,
                   timeout=600)
    parallel = json.loads(out.read_text())
    sm, serial = _bus_history(duration_s=100.0)
    assert parallel["dofs"] == serial.dofs
    for name, values in serial.part_T_mean_K.items():
        np.testing.assert_allclose(parallel["mean"][name], values, rtol=1e-7)
        np.testing.assert_allclose(parallel["max"][name], serial.part_T_max_K[name], rtol=1e-7)
    np.testing.assert_allclose(parallel["junction"], serial.gpu_junction_K, rtol=1e-7)
