"""`python -m geometry CASE`: parts and mesh report, the mesh file in one grid with the part names
(meshio and PyVista read it), headless screenshot without X warnings, the whole --help."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BUS_PARTS = {"wall_+x", "wall_-x", "wall_+y", "wall_-y", "wall_+z", "wall_-z", "deck", "radiator", "wing",
             "battery", "avionics"}


def geometry(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "geometry", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


def test_geometry_command_writes_mesh_and_screenshot(tmp_path):
    mesh, png = tmp_path / "plate.vtu", tmp_path / "plate.png"
    proc = geometry(ROOT / "cases" / "plate_sun.yaml", "--mesh", mesh, "--screenshot", png)
    assert proc.returncode == 0, proc.stderr
    assert "X server" not in proc.stderr and proc.stderr == ""    # off-screen: no VTK display warning
    # the 1 m x 1 m plate: analytic and meshed areas both printed as 1.000 m^2
    line = next(row for row in proc.stdout.splitlines() if row.startswith("  plate "))
    assert line.split()[2:4] == ["1.000", "1.000"]
    import pyvista as pv
    grid = pv.read(mesh)
    assert grid.compute_cell_sizes()["Area"].sum() == pytest.approx(1.0, rel=1e-9)
    from PIL import Image
    image = Image.open(png)
    assert image.size == (1200, 800)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 2  # something other than the background was drawn


@pytest.fixture(scope="module")
def bus_meshes(tmp_path_factory):
    """The h100 bus at a coarse mesh, written as .vtu."""
    folder = tmp_path_factory.mktemp("bus_mesh")
    data = yaml.safe_load((ROOT / "cases" / "h100_bus.yaml").read_text())
    data["solver"]["mesh_size"] = "25 cm"
    case = folder / "bus.yaml"
    case.write_text(yaml.safe_dump(data))
    proc = geometry(case, "--mesh", folder / "bus.vtu")
    assert proc.returncode == 0, proc.stderr
    return folder


def test_an_xdmf_mesh_is_refused_in_one_line_naming_vtu(tmp_path):
    """No XDMF opens in both readers: pyvista.read (0.49) fails on a static one (no time steps),
    meshio refuses one with a time step (a second section); so --mesh refuses the suffix, before
    meshing, and names the one that works."""
    proc = geometry(ROOT / "cases" / "h100_bus.yaml", "--mesh", tmp_path / "bus.xdmf")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and ".vtu" in proc.stderr and "PyVista" in proc.stderr
    assert not list(tmp_path.iterdir())


def areas_by_group(cells_area: np.ndarray, groups: dict[str, np.ndarray]) -> dict[str, float]:
    return {name: float(cells_area[np.asarray(member) != 0].sum()) for name, member in groups.items()}


def test_bus_mesh_is_one_grid_with_part_names_in_meshio_and_pyvista(bus_meshes):
    import meshio
    import pyvista as pv

    from geometry.layout import part_list
    from thermal.case import load_case
    parts = {p.name: p for p in part_list(load_case(bus_meshes / "bus.yaml").spacecraft).parts}
    for suffix in (".vtu",):
        m = meshio.read(bus_meshes / f"bus{suffix}")
        assert [block.type for block in m.cells] == ["triangle"]                 # one grid, one block
        groups = {k.removeprefix("group:"): v[0] for k, v in m.cell_data.items() if k.startswith("group:")}
        assert BUS_PARTS | {f"gpu{k}" for k in range(8)} == set(groups)
        p = m.points[m.cells[0].data]
        area = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
        # each part's cells carry its own area (a part's group holds its GPU footprints' cells too)
        for name, a in areas_by_group(area, groups).items():
            if name in parts:
                assert a == pytest.approx(parts[name].area_m2, rel=1e-4), (suffix, name)
        tags = m.cell_data["part_id"][0]
        assert len(np.unique(tags)) == len(groups)
    m = meshio.read(bus_meshes / "bus.vtu")
    table = {name: int(v[0]) for name, v in m.field_data.items()}     # part_id -> name, in the file
    tags = m.cell_data["part_id"][0]
    assert set(table) == BUS_PARTS | {f"gpu{k}" for k in range(8)}
    assert np.array_equal(tags == table["radiator"], m.cell_data["group:radiator"][0] != 0)
    grid = pv.read(bus_meshes / "bus.vtu")                                   # PyVista: the same names
    assert set(grid.field_data.keys()) == set(table)
    assert int(grid.field_data["wing"][0]) == table["wing"]
    assert {k.removeprefix("group:") for k in grid.cell_data.keys() if k.startswith("group:")} == set(table)
    assert np.array_equal(np.asarray(grid.cell_data["part_id"]), tags)


def test_the_bus_mesh_reads_back_as_an_external_mesh(bus_meshes):
    """What --mesh writes is a mesh a case can name (spacecraft.mesh, the group: convention)."""
    from geometry.surface import read_mesh_arrays
    arrays = read_mesh_arrays(bus_meshes / "bus.vtu")
    assert BUS_PARTS <= set(arrays.groups)


def test_help_is_whole():
    proc = geometry("--help")
    assert proc.returncode == 0
    text = proc.stdout
    assert "draw the parts." in text and "renders off screen." in text   # the description, not cut off
    assert "--mesh" in text and "--screenshot" in text
