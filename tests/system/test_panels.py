"""The panel array through the solve command: the paper-shaped 16 MW case with both models, and a
vapor chamber over its transport limit failing the verdict with the limit named (exit 3)."""

import json
from pathlib import Path

import numpy as np
import pytest

from builders import one_line, small_panel_case, solve

CASES = Path(__file__).resolve().parents[2] / "cases"

VAPOR_CHAMBER_OVER_ITS_LIMIT = """
name: vc_limit
orbit: none
spacecraft:
  kind: panel_array
  panel:
    size: [1.4 m, 1.4 m]
    cells: {cell: XTJ-Prime, packing_factor: 0.85}
    substrate: {kind: vapor_chamber, conductivity: 5000 W/m/K, thickness: 3 mm, areal_mass: 2 kg/m^2,
                max_transport: 40 W m}
    # one 300 W chip on the whole panel: Q L_eff = 300 W x (1.4 m / 4) = 105 W m, over 40 W m
    chips: {grid: [1, 1], footprint: 5 cm, power: 300 W, junction_to_panel: 0.05 K/W, junction_limit: 150 degC,
            mass: 1 kg}
"""


def test_vapor_chamber_over_its_limit_fails_the_verdict_naming_it(tmp_path):
    case = tmp_path / "vc.yaml"
    case.write_text(VAPOR_CHAMBER_OVER_ITS_LIMIT)
    code, err = solve(case, tmp_path / "out")
    assert code == 3
    line = one_line(err)
    assert line.startswith("fail: vapor_chamber_transport missed by substrate") and "105 W m" in line
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["verdict"]["status"] == "fail" and len(summary["verdict"]["violations"]) == 1
    assert summary["panel_array"]["vapor_chamber_utilisation"] == pytest.approx(105 / 40)


def test_bad_panel_key_exits_2_with_one_line(tmp_path):
    case = tmp_path / "bad.yaml"
    case.write_text(VAPOR_CHAMBER_OVER_ITS_LIMIT.replace("max_transport: 40 W m", "max_transport: 40 kg"))
    code, err = solve(case, tmp_path / "out")
    assert code == 2
    assert one_line(err).startswith("error: spacecraft.panel.substrate.max_transport")


def test_paper_shaped_16MW_case_runs_both_models_and_names_what_binds(tmp_path):
    code, err = solve(CASES / "panels_16MW.yaml", tmp_path / "out")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    pa = summary["panel_array"]
    # 16,000 panels of 2.76 m^2 (44,090 m^2, the paper's 20 m x 2,200 m) in one satellite under 150 t
    assert pa["panel_count"] == 16000 and pa["satellite_count"] == 1
    assert pa["array_area_m2"] == pytest.approx(44_090, rel=1e-3) and pa["mass_kg"] < 150e3
    # mass from parts: 8.01 kg a panel x 1.10 bus x 1.05 margin
    assert pa["kW_per_tonne"] == pytest.approx(16e3 / (16000 * sum(pa["panel_mass_kg"].values()) * 1.1 * 1.05e-3),
                                               rel=1e-9)
    assert pa["kW_per_tonne"] > 100.0
    # the verdict says which limit binds: the hot cells cannot make 1 kW a panel at end of life
    assert code == 3 and summary["verdict"]["binding"].startswith("panel_energy_margin")
    assert "panel_junction_max" in {v["limit"] for v in summary["verdict"]["violations"]}
    # the finite-element unit cell, marched over each load case's orbit to its periodic state,
    # agrees with the network's junction maximum and swing
    assert set(pa["fe"]) == {"case", "worst_hot", "worst_cold"}
    for name, fe in pa["fe"].items():
        assert abs(fe["junction_max_K"] - fe["network_junction_max_K"]) < 2.0, name
        swing = fe["network_junction_swing_K"]
        assert abs(fe["junction_swing_K"] - swing) < 0.02 * swing + 0.5, name
        assert fe["energy_balance_error"] < 1e-4 and fe["orbit_to_orbit_change_K"] < 0.05
    assert summary["thermal"]["energy_balance_error"] < 1e-4
    # the paper's 40 degC junction is not reachable for a sun-facing panel at these emissivities
    wmt = pa["what_must_be_true"]
    assert wmt["junction_claim_reachable"] is False and 330 < wmt["panel_mean_sun_K"] < 340
    # the contract's keys (CASE_FORMAT.md), the panel as the one part
    assert set(summary["geometry"]["parts"]) == {"panel"} and set(summary["thermal"]["parts"]) == {"panel"}
    assert summary["thermal"]["gpu_junction_max_K"] == pytest.approx(pa["junction_max_K"])
    assert summary["sizing"]["array_area_m2"] == pa["array_area_m2"] and summary["sizing"]["mass_kg"] == pa["mass_kg"]
    assert set(summary["load_cases"]) == {"case", "worst_hot", "worst_cold"}
    assert summary["load_cases"]["worst_hot"]["verdict"]["status"] == "fail"
    assert {"version", "case_sha256", "dofs", "steps", "wall_time_s"} <= set(summary["run"])
    header = (tmp_path / "out" / "timeseries.csv").read_text().splitlines()[0]
    assert header.startswith("time_s,panel_T_min_K,panel_T_max_K,panel_T_mean_K,gpu_junction_K")
    # the typed summary (thermal.outputs.summary.Summary): a bus's keys, with the panel section
    assert list(summary)[0] == "verdict" and summary["spacecraft_kind"] == "panel_array"
    assert {"tool", "case", "attitude", "geometry", "orbit", "thermal", "power", "sizing", "load_cases",
            "run"} <= set(summary)
    # the FE unit cell's field over the case's orbit: PVD with its time steps, each VTU in meshio
    import meshio
    import pyvista
    fields = tmp_path / "out" / "fields"
    reader = pyvista.get_reader(str(fields / "temperature.pvd"))
    assert len(reader.time_values) > 10 and reader.time_values[0] == 0.0
    hottest = 0.0
    for t in reader.time_values:
        reader.set_active_time_value(t)
        grid = reader.read()[0]
        hottest = max(hottest, float(grid.point_data["temperature_K"].max()))
    assert set(grid.cell_data) >= {"part_id", "group:panel", "group:chip footprint"}
    cell_m2 = pa["panel_area_m2"] / pa["chips_per_panel"]
    assert grid.area == pytest.approx(cell_m2, rel=1e-6)     # float32 points
    assert hottest == pytest.approx(pa["fe"]["case"]["hot_spot_max_K"], abs=0.05)   # float32, every 10th step
    mesh = meshio.read(fields / "temperature_0000.vtu")
    assert mesh.point_data["temperature_K"].size == pa["fe"]["case"]["dofs"]
    # the viewer opens the run (the unit cell's mesh as spacecraft.vtu, its field over the orbit) and
    # the report shows its snapshot and the panel section
    from thermal.outputs.viewer import load_results, temperatures_at_K
    results = load_results(tmp_path / "out")
    assert results.field is not None and results.labels[:2] == ["panel", "chip footprint"]
    assert float(np.max(temperatures_at_K(results, 0.0))) > 300.0
    html = (tmp_path / "out" / "report.html").read_text()
    assert 'id="panel"' in html and "The spacecraft at t =" in html


PANEL_MPI = small_panel_case("panel_mpi", "model: fe, time_step: 60 s, orbits: 2, mesh_size: 2 cm")


@pytest.mark.mpi
def test_panel_fe_under_mpi_gives_the_serial_answers(tmp_path):
    """`mpiexec -n 2 python -m thermal.solve` on a panel array with the FE unit cell: the same
    exit code, the FE junction max/min, hot spot and energy balance within 1e-6 K of the serial run
    (the cell's mesh is shared between the ranks), and one set of results."""
    from builders import run_mpi
    case = tmp_path / "panel.yaml"
    case.write_text(PANEL_MPI)
    code, err = solve(case, tmp_path / "serial")
    assert code == 0, err
    done = run_mpi(["-m", "thermal.solve", case, "--out", tmp_path / "mpi", "--quiet"], timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    serial, mpi = (json.loads((tmp_path / d / "summary.json").read_text())["panel_array"]["fe"]["case"]
                   for d in ("serial", "mpi"))
    assert mpi["dofs"] == serial["dofs"] and mpi["orbits"] == serial["orbits"]
    for key in ("junction_max_K", "junction_min_K", "hot_spot_max_K", "coldest_K"):
        assert mpi[key] == pytest.approx(serial[key], abs=1e-6), key
    assert mpi["energy_balance_error"] < 1e-4
    assert (tmp_path / "mpi" / "fields" / "temperature.pvd").is_file()


def test_the_python_api_runs_a_panel_array_as_the_command_does(tmp_path):
    """thermal.simulate on a panel array: the typed summary's panel section, the panel's columns as a
    DataFrame, and Result.save writing the command's files (same summary, same verdict)."""
    import thermal
    from thermal.sizing.panels import PanelArrayRun

    result = thermal.simulate(thermal.load_case(VAPOR_CHAMBER_OVER_ITS_LIMIT))
    assert isinstance(result.run, PanelArrayRun) and not result.passed
    assert result.summary.panel_array.vapor_chamber_utilisation == pytest.approx(105 / 40)
    frame = result.timeseries
    assert list(frame.columns) == ["time_s", "panel_T_min_K", "panel_T_max_K", "panel_T_mean_K", "gpu_junction_K",
                                   "array_power_W", "load_W"]
    # the junction sits above the panel under the chip by the chip's power through its resistance
    assert (frame.gpu_junction_K - frame.panel_T_max_K).min() >= 0.0
    folder = result.save(tmp_path / "api")
    code, _ = solve(_written(tmp_path), tmp_path / "cli")
    assert code == 3
    saved = json.loads((folder / "summary.json").read_text())
    cli = json.loads((tmp_path / "cli" / "summary.json").read_text())
    assert saved["verdict"] == cli["verdict"]
    assert saved["panel_array"]["junction_swing_max_K"] == pytest.approx(cli["panel_array"]["junction_swing_max_K"],
                                                                   rel=1e-12)
    assert np.loadtxt(folder / "timeseries.csv", delimiter=",", skiprows=1).shape[0] == len(frame)


def _written(tmp_path: Path) -> Path:
    case = tmp_path / "vc.yaml"
    case.write_text(VAPOR_CHAMBER_OVER_ITS_LIMIT)
    return case
