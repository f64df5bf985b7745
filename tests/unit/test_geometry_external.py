"""External meshes: the shipped case, group conventions, round trips and error messages."""

import dataclasses
from pathlib import Path

import dolfinx_solver  # noqa: F401

import meshio
import numpy as np
import pytest
import yaml
from mpi4py import MPI

from geometry.layout import part_list
from geometry.mesh import DegenerateMeshError, build_mesh, export_mesh, read_external_mesh
from geometry.parts import EDGE_JOINT_W_PER_MK
from geometry.spec import BodySpec, BusSpec, DeckSpec, ExternalMeshSpec, MeshPartSpec, RadiatorSpec, SolarArraySpec
from geometry.surface import (
    MeshGroupError,
    arrays_from_meshio,
    external_part_list,
    max_cells_per_edge,
    read_mesh_arrays,
)
from thermal.core.errors import CaseError
from thermal.core.library import COATINGS, MATERIALS, Coating

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "cases" / "external_plate.yaml"
AL = MATERIALS["Al6061"]
BLACK = COATINGS["black_paint"]


def small_bus() -> BusSpec:
    body = BodySpec((1.2, 1.0, 0.8), 0.003, AL, COATINGS["white_paint"])
    deck = DeckSpec(0.004, AL, 4, (0.12, 0.12))
    rad = RadiatorSpec("radiator", (3.0, 2.0), 0.0015, AL, COATINGS["osr"], COATINGS["osr"],
                       "zenith", True)
    wing = SolarArraySpec("wing", (4.0, 2.0), 0.002, MATERIALS["CFRP"], COATINGS["solar_cell"],
                          BLACK, "sun_tracking", "zenith", (0.0, 1.0, 0.0))
    return BusSpec(body, deck, (rad,), (wing,))


@pytest.fixture(scope="module")
def bus():
    return build_mesh(small_bus(), 0.15)


def _coating(entry, name) -> Coating:
    if isinstance(entry, str):
        return COATINGS[entry]
    return Coating(name, float(entry["absorptivity"]), float(entry["emissivity"]), "case file")


def case_spec() -> ExternalMeshSpec:
    """The spacecraft section of cases/external_plate.yaml as the loader will build it."""
    sc = yaml.safe_load(CASE.read_text())["spacecraft"]
    parts = []
    for name, p in sc["parts"].items():
        assert p["thickness"] == "1 mm"
        parts.append(MeshPartSpec(name, p["group"], 0.001, MATERIALS[p["material"]],
                                  _coating(p["coating"]["front"], f"{name}.front"),
                                  _coating(p["coating"]["back"], f"{name}.back"),
                                  tuple(float(c) for c in p["facing"])))
    return ExternalMeshSpec(str(CASE.parent / sc["mesh"]), tuple(parts))


def test_case_file_mesh_and_groups_exist():
    case = yaml.safe_load(CASE.read_text())
    mesh_path = CASE.parent / case["spacecraft"]["mesh"]
    assert mesh_path.is_file()
    assert (CASE.parent / "meshes" / "make_external_plate.py").is_file()
    groups = read_mesh_arrays(mesh_path).groups
    for part in case["spacecraft"]["parts"].values():
        assert part["group"] in groups


def test_case_mesh_parts_areas_joint():
    spec = case_spec()
    sm = read_external_mesh(spec, MPI.COMM_WORLD)
    assert sm.part_ids == {"left": 1, "right": 2} and sm.footprint_ids == {}
    for name in ("left", "right"):
        assert sm.area_m2(name) == pytest.approx(0.5, rel=1e-12)
        assert sm.mass_kg(name) == pytest.approx(0.5 * 0.001 * 2700.0, rel=1e-12)
        assert np.allclose(sm.front_normals[name], [0, 0, 1])
        assert np.all(sm.cell_normals()[sm.cells(name)] @ [0, 0, 1] > 1 - 1e-9)
    assert sm.min_quality > 0.5 and sm.max_aspect_ratio < 3
    plist = part_list(spec)
    assert plist == sm.parts
    assert [(p.name, p.role, p.area_m2) for p in plist.parts] == [
        ("left", "mesh_part", pytest.approx(0.5)), ("right", "mesh_part", pytest.approx(0.5))]
    assert [s.facing for s in plist["left"].sides] == [(0.0, 0.0, 1.0), (0.0, 0.0, -1.0)]
    (joint,) = plist.joints
    assert (joint.part_a, joint.part_b) == ("left", "right") and joint.shared_nodes
    assert joint.length_m == pytest.approx(1.0)
    assert joint.conductance_W_K == pytest.approx(EDGE_JOINT_W_PER_MK * 1.0)


def test_facing_from_cells_when_not_given():
    spec = case_spec()
    spec = dataclasses.replace(spec, parts=tuple(dataclasses.replace(p, facing=None)
                                                 for p in spec.parts))
    plist = part_list(spec)
    assert np.allclose(plist["left"].sides[0].facing, (0.0, 0.0, 1.0))
    assert np.allclose(plist["left"].sides[1].facing, (0.0, 0.0, -1.0))


def test_missing_group_lists_the_mesh_groups():
    spec = case_spec()
    bad = ExternalMeshSpec(spec.path, (dataclasses.replace(spec.parts[0], group="top"),
                                       spec.parts[1]))
    expected = ("spacecraft.parts.left.group: expected one of the mesh's groups "
                "['left_half', 'right_half'], got 'top'")
    with pytest.raises(MeshGroupError) as err:
        read_external_mesh(bad, MPI.COMM_WORLD)
    assert str(err.value) == expected
    assert err.value.exit_code == 2
    with pytest.raises(MeshGroupError, match="left_half"):
        part_list(bad)


def test_unassigned_cells_and_shared_groups_are_case_errors():
    spec = case_spec()
    with pytest.raises(CaseError, match="in no part"):
        read_external_mesh(ExternalMeshSpec(spec.path, spec.parts[:1]), MPI.COMM_WORLD)
    twice = (spec.parts[0], dataclasses.replace(spec.parts[1], group="left_half"))
    with pytest.raises(CaseError, match="right.group: expected a group no other part uses"):
        read_external_mesh(ExternalMeshSpec(spec.path, twice), MPI.COMM_WORLD)
    with pytest.raises(CaseError, match="spacecraft.mesh"):
        read_external_mesh(ExternalMeshSpec(str(REPO / "cases/meshes/none.msh"), spec.parts),
                           MPI.COMM_WORLD)


def _spec_from_parts(path, sm) -> ExternalMeshSpec:
    """Read-back spec: one part per exported group (named after the part)."""
    parts = []
    for p in sm.parts.parts:
        front = p.sides[0].coating if p.sides else BLACK
        back = p.sides[1].coating if len(p.sides) > 1 else BLACK
        parts.append(MeshPartSpec(p.name, p.name, p.thickness_m, p.material, front, back,
                                  tuple(float(c) for c in sm.front_normals[p.name])))
    return ExternalMeshSpec(str(path), tuple(parts))


@pytest.mark.parametrize("suffix", [".vtu", ".xdmf"])
def test_round_trip_through_meshio(bus, tmp_path, suffix):
    path = Path(MPI.COMM_WORLD.bcast(str(tmp_path / f"bus{suffix}")))   # rank 0's folder
    export_mesh(bus, path)
    back = read_external_mesh(_spec_from_parts(path, bus), MPI.COMM_WORLD)
    assert back.n_cells == bus.n_cells
    assert set(back.part_ids) == set(bus.part_ids)
    assert back.footprint_ids.keys() == bus.footprint_ids.keys()
    assert back.footprint_parent == bus.footprint_parent
    for name in list(bus.part_ids) + list(bus.footprint_ids):
        assert back.area_m2(name) == pytest.approx(bus.area_m2(name), rel=1e-12), name
    for name in bus.part_ids:
        assert back.parts[name].mass_kg == pytest.approx(bus.mass_kg(name), rel=1e-12), name
        assert np.all(back.cell_normals()[back.cells(name)] @ bus.front_normals[name] > 1 - 1e-9)
    # the deck shares nodes with the four side walls: joints recovered from the mesh
    joints = {frozenset((j.part_a, j.part_b)): j for j in back.parts.joints}
    assert joints[frozenset(("deck", "wall_+x"))].length_m == pytest.approx(1.0)
    assert joints[frozenset(("deck", "wall_+y"))].length_m == pytest.approx(1.2)
    assert frozenset(("radiator", "wall_+x")) not in joints        # disjoint: hinge only


def _square(cells_type="triangle"):
    pts = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [2, 0, 0], [2, 1, 0]], float)
    if cells_type == "quad":
        return pts, [("quad", np.array([[0, 1, 2, 3], [1, 4, 5, 2]]))]
    return pts, [("triangle", np.array([[0, 1, 2], [0, 2, 3], [1, 4, 5], [1, 5, 2]]))]


def test_meshio_group_conventions_and_quads():
    pts, cells = _square()
    # 1. group:<name> arrays (may overlap: a footprint inside its part)
    m = meshio.Mesh(pts, cells, cell_data={"group:a": [np.array([1, 1, 0, 0])],
                                           "group:b": [np.array([0, 0, 1, 1])],
                                           "group:gpu0": [np.array([0, 0, 0, 1])]})
    assert {k: list(v) for k, v in arrays_from_meshio(m).groups.items()} == {
        "a": [0, 1], "b": [2, 3], "gpu0": [3]}
    # 2. cell_sets
    m = meshio.Mesh(pts, cells, cell_sets={"a": [np.array([0, 1])], "b": [np.array([2, 3])]})
    assert {k: list(v) for k, v in arrays_from_meshio(m).groups.items()} == {
        "a": [0, 1], "b": [2, 3]}
    # 3. gmsh:physical with names from field_data, else the tag numbers
    m = meshio.Mesh(pts, cells, cell_data={"gmsh:physical": [np.array([7, 7, 9, 9])]},
                    field_data={"a": np.array([7, 2]), "b": np.array([9, 2])})
    assert sorted(arrays_from_meshio(m).groups) == ["a", "b"]
    m = meshio.Mesh(pts, cells, cell_data={"gmsh:physical": [np.array([7, 7, 9, 9])]})
    assert sorted(arrays_from_meshio(m).groups) == ["7", "9"]
    # quads are split in two triangles; areas kept
    pts, cells = _square("quad")
    m = meshio.Mesh(pts, cells, cell_data={"group:a": [np.array([1, 0])],
                                           "group:b": [np.array([0, 1])]})
    arrays = arrays_from_meshio(m)
    assert len(arrays.triangles) == 4
    assert {k: list(v) for k, v in arrays.groups.items()} == {"a": [0, 1], "b": [2, 3]}
    assert arrays.cell_areas().sum() == pytest.approx(2.0)


def test_footprint_group_and_degenerate_cell(tmp_path):
    pts, cells = _square()
    data = {"group:a": [np.array([1, 1, 0, 0])], "group:b": [np.array([0, 0, 1, 1])],
            "group:gpu0": [np.array([0, 0, 0, 1])]}
    path = Path(MPI.COMM_WORLD.bcast(str(tmp_path / "two.vtu")))
    if MPI.COMM_WORLD.rank == 0:
        meshio.write(path, meshio.Mesh(pts, cells, cell_data=data))
    MPI.COMM_WORLD.barrier()
    parts = tuple(MeshPartSpec(n, n, 0.002, AL, BLACK, BLACK, "zenith") for n in ("a", "b"))
    sm = read_external_mesh(ExternalMeshSpec(str(path), parts), MPI.COMM_WORLD)
    assert sm.footprint_ids == {"gpu0": 3} and sm.footprint_parent == {"gpu0": "b"}
    assert sm.area_m2("b") == pytest.approx(1.0) and sm.area_m2("gpu0") == pytest.approx(0.5)
    assert external_part_list(ExternalMeshSpec(str(path), parts),
                              read_mesh_arrays(path))["b"].area_m2 == pytest.approx(1.0)
    pts[5] = [2.0, 0.0, 0.0]          # collapse a triangle of b onto a line
    if MPI.COMM_WORLD.rank == 0:
        meshio.write(path, meshio.Mesh(pts, cells, cell_data=data))
    MPI.COMM_WORLD.barrier()
    with pytest.raises(DegenerateMeshError, match="'b'"):
        read_external_mesh(ExternalMeshSpec(str(path), parts), MPI.COMM_WORLD)


def test_msh_footprint_in_its_own_physical_group(tmp_path):
    """A gmsh file where the cold plate is a separate physical group embedded in the deck."""
    import gmsh
    path = Path(MPI.COMM_WORLD.bcast(str(tmp_path / "deck.msh")))
    gmsh.initialize(interruptible=False)
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        occ = gmsh.model.occ
        deck = occ.addRectangle(0, 0, 0, 1.0, 0.8)
        plate = occ.addRectangle(0.3, 0.3, 0, 0.2, 0.2)
        _, out_map = occ.fragment([(2, deck)], [(2, plate)])
        occ.synchronize()
        plate_tags = [t for _, t in out_map[1]]
        deck_tags = [t for _, t in out_map[0] if t not in plate_tags]
        gmsh.model.addPhysicalGroup(2, deck_tags, 1, name="deck")
        gmsh.model.addPhysicalGroup(2, plate_tags, 2, name="gpu0")
        gmsh.option.setNumber("Mesh.MeshSizeMax", 0.1)
        gmsh.model.mesh.generate(2)
        if MPI.COMM_WORLD.rank == 0:
            gmsh.write(str(path))
    finally:
        gmsh.finalize()
    MPI.COMM_WORLD.barrier()
    spec = ExternalMeshSpec(str(path), (MeshPartSpec("deck", "deck", 0.004, AL, BLACK, BLACK,
                                                     None),))
    sm = read_external_mesh(spec, MPI.COMM_WORLD)
    assert sm.footprint_parent == {"gpu0": "deck"}
    assert sm.area_m2("deck") == pytest.approx(0.8, rel=1e-12)
    assert sm.area_m2("gpu0") == pytest.approx(0.04, rel=1e-12)
    assert sm.parts["deck"].area_m2 == pytest.approx(0.8, rel=1e-12)


# --- damaged files: one CaseError naming spacecraft.mesh and the file, whatever the reader raised ----

SHIPPED_MSH = REPO / "cases" / "meshes" / "external_plate.msh"


def _damaged_msh(tmp_path, how: str) -> Path:
    data = bytearray(SHIPPED_MSH.read_bytes())
    if how == "truncated":
        data = data[:len(data) // 2]
    elif how == "bit-flipped":   # inside $Entities: gmsh's own parser gives up
        start = data.index(b"$Entities") + len(b"$Entities\n")
        for k in range(start, start + 40, 4):
            data[k] ^= 0x5A
    else:                        # a node tag an element names is gone: gmsh raises on it
        start = data.index(b"$Nodes")
        data[start:] = data[start:].replace(b"\n1 ", b"\n9 ", 1)
    path = tmp_path / f"{how}.msh"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("how", ["truncated", "bit-flipped", "node-renamed"])
def test_a_damaged_msh_is_a_case_error_naming_the_key_and_the_file(tmp_path, capfd, how):
    path = _damaged_msh(tmp_path, how)
    with pytest.raises(CaseError) as caught:
        read_mesh_arrays(path)
    text = str(caught.value)
    assert caught.value.key == "spacecraft.mesh" and "\n" not in text
    assert "gmsh .msh file" in text and str(path) in text and "complete and undamaged" in text
    out, err = capfd.readouterr()
    assert out == "" and err == ""                    # gmsh printed nothing of its own
    # the same through the part list the command builds, and the mesh still reads afterwards
    spec = dataclasses.replace(case_spec(), path=str(path))
    with pytest.raises(CaseError, match="spacecraft.mesh"):
        part_list(spec)
    assert set(read_mesh_arrays(SHIPPED_MSH).groups) == {"left_half", "right_half"}


@pytest.mark.parametrize("content", [b"\x00\x12 garbage, not XML at all\n" * 20, b"<VTKFile type='Unstructured"])
def test_a_garbage_vtu_is_a_case_error_not_meshios_sys_exit(tmp_path, capfd, content):
    """meshio prints why and calls sys.exit(1) for a .vtu it cannot parse."""
    path = tmp_path / "garbage.vtu"
    path.write_bytes(content)
    with pytest.raises(CaseError) as caught:
        read_mesh_arrays(path)
    text = str(caught.value)
    assert text.startswith("spacecraft.mesh: expected a mesh file meshio can read") and "\n" not in text
    assert str(path) in text and "as vtu" in text
    out, err = capfd.readouterr()
    assert out == "" and err == ""                    # what meshio printed is in the message instead


def test_cells_that_name_missing_nodes_are_a_case_error(tmp_path):
    """A file a reader passes through with cells pointing past its nodes is damaged, not a mesh."""
    m = meshio.Mesh(np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0]]), [("triangle", np.array([[0, 1, 7]]))],
                    cell_data={"group:a": [np.array([1])]})
    path = tmp_path / "dangling.vtu"
    meshio.write(path, m)
    with pytest.raises(CaseError, match=r"spacecraft.mesh: expected cells whose nodes are in the file.*1 cell"):
        read_mesh_arrays(path)


def test_cells_per_edge_counts_the_branching_edges():
    """2 on a manifold surface, 3 at a T-junction (a deck edge on a wall), k for k fins on one edge,
    in any node order; DOLFINx is told this many cells per facet (geometry.mesh.distribute_cells)."""
    square = np.array([[0, 1, 2], [2, 1, 3]])
    assert max_cells_per_edge(square[:1]) == 2 and max_cells_per_edge(square) == 2
    fins = np.array([[0, 1, 2], [1, 0, 3], [4, 0, 1], [0, 5, 1]])          # edge 0-1 shared by all four
    assert max_cells_per_edge(fins[:3]) == 3 and max_cells_per_edge(fins) == 4
    assert max_cells_per_edge(np.empty((0, 3), dtype=np.int64)) == 2
