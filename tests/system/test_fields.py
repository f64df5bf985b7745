"""The finite-element temperature field of a run: ``fields/temperature.pvd`` and one binary,
compressed VTU per snapshot, over the reported orbit by default, opened by PyVista (the PVD with
its times, and each VTU) and meshio (each VTU), with the part names on the cells; its size per
cell and snapshot; `output.fields: none` writes none."""

import csv
import json
import stat
from pathlib import Path

import numpy as np
import pytest
import yaml

from thermal.solve import main

ROOT = Path(__file__).resolve().parents[2]
#: bytes of one snapshot per triangle (the main case: 9.5, measured; mesh, tags and temperature
#: repeated in every VTU, zlib) and the fixed XML of one file
BYTES_PER_CELL_STEP = 11.0
BYTES_PER_FILE = 4096


def radiator_case(tmp_path: Path, fields: str) -> Path:
    """The radiator panel at 400 km, beta 0 (an eclipse), on the finite elements: two orbits."""
    data = yaml.safe_load((ROOT / "cases" / "radiator_zenith_400km.yaml").read_text())
    data["solver"] = {"model": "fe", "time_step": "30 s", "orbits": 2, "mesh_size": "5 cm"}
    data["output"] = {"fields": fields}
    path = tmp_path / f"radiator_{fields}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def solve(tmp_path: Path, fields: str) -> Path:
    out = tmp_path / f"out_{fields}"
    assert main([str(radiator_case(tmp_path, fields)), "--out", str(out), "--quiet"]) == 0
    return out


def column(out: Path, name: str) -> np.ndarray:
    with open(out / "timeseries.csv") as handle:
        return np.array([float(row[name]) for row in csv.DictReader(handle)])


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    return solve(tmp_path_factory.mktemp("fields"), "reported_orbit")


def test_the_field_covers_the_reported_orbit_on_the_time_series_clock(reported):
    import pyvista as pv
    period = json.loads((reported / "summary.json").read_text())["orbit"]["period_s"]
    times = np.asarray(pv.get_reader(reported / "fields" / "temperature.pvd").time_values)
    t = column(reported, "time_s")
    # timeseries.csv holds 6 significant digits
    assert times[0] == pytest.approx(t[0], abs=1e-6) and times[-1] == pytest.approx(t[-1], rel=1e-6)
    assert times[-1] - times[0] == pytest.approx(period, rel=1e-9)
    assert len(sorted((reported / "fields").glob("temperature_*.vtu"))) == len(times)


def test_pyvista_and_meshio_read_every_snapshot_with_the_part_names(reported):
    import meshio
    import pyvista as pv
    fields = reported / "fields"
    reader = pv.get_reader(fields / "temperature.pvd")
    T_min, T_max = column(reported, "radiator_T_min_K"), column(reported, "radiator_T_max_K")
    t_series = column(reported, "time_s")
    for k, time_s in enumerate(reader.time_values):
        reader.set_active_time_value(time_s)
        grid = reader.read()[0]
        m = meshio.read(fields / f"temperature_{k:04d}.vtu")
        assert np.array_equal(np.asarray(grid["temperature_K"]), m.point_data["temperature_K"])
        assert m.field_data["radiator"][0] == 1 and "radiator" in grid.field_data.keys()
        assert np.all(m.cell_data["group:radiator"][0] == 1) and np.all(m.cell_data["part_id"][0] == 1)
        # the field's extremes are the time series' (the same model at the same time; float32 in the file)
        i = int(np.argmin(np.abs(t_series - time_s)))
        if abs(t_series[i] - time_s) < 1e-5 * max(time_s, 1.0):
            values = m.point_data["temperature_K"]
            assert values.min() == pytest.approx(T_min[i], abs=2e-3)
            assert values.max() == pytest.approx(T_max[i], abs=2e-3)
    assert grid.compute_cell_sizes()["Area"].sum() == pytest.approx(2.0, rel=1e-6)   # the 2 m x 1 m panel


def test_fields_size_per_cell_and_snapshot_and_normal_permissions(reported):
    fields = reported / "fields"
    files = sorted(fields.glob("temperature_*.vtu"))
    import meshio
    cells = len(meshio.read(files[0]).cells[0].data)
    assert cells > 1000
    per_snapshot = np.array([f.stat().st_size for f in files])
    assert np.all(per_snapshot <= BYTES_PER_CELL_STEP * cells + BYTES_PER_FILE), per_snapshot / cells
    mode = stat.S_IMODE(fields.stat().st_mode)
    assert mode & 0o055 == 0o055, oct(mode)          # readable by group and others, like the rest


def test_all_keeps_every_orbit_and_none_writes_no_field(tmp_path, reported):
    import pyvista as pv
    period = json.loads((reported / "summary.json").read_text())["orbit"]["period_s"]
    every = solve(tmp_path, "all")
    times = np.asarray(pv.get_reader(every / "fields" / "temperature.pvd").time_values)
    # every orbit the run went through, not only the reported one
    orbits = (times[-1] - times[0]) / period
    assert orbits == pytest.approx(round(orbits), abs=1e-6) and round(orbits) >= 2
    assert not (solve(tmp_path, "none") / "fields").exists()
