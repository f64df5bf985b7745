"""Parametric shell meshes (gmsh -> DOLFINx): areas, masses, normals, conformity, quality, MPI."""

import time
from pathlib import Path

import dolfinx_solver  # noqa: F401

import numpy as np
import pytest
from mpi4py import MPI

from geometry.layout import part_list
from geometry.mesh import DegenerateMeshError, build_mesh, triangle_quality
from geometry.shells import FOOTPRINT_TARGET_CELLS
from geometry.spec import BusSpec, PlateSpec, RadiatorSpec, SolarArraySpec
from thermal.core.library import COATINGS, MATERIALS

from builders import H100_MESH_SIZE_M, h100_bus

REPO = Path(__file__).resolve().parents[2]
AL = MATERIALS["Al6061"]
CFRP = MATERIALS["CFRP"]
@pytest.fixture(scope="module")
def bus():
    t0 = time.perf_counter()
    sm = build_mesh(h100_bus(), H100_MESH_SIZE_M, MPI.COMM_WORLD)
    elapsed = time.perf_counter() - t0
    print(f"\nh100 bus at {H100_MESH_SIZE_M * 100:g} cm: {sm.n_cells} triangles in {elapsed:.2f} s "
          f"(min gamma {sm.min_quality:.3f}, max aspect {sm.max_aspect_ratio:.2f})")
    return sm


# hand-computed one-side areas [m^2] of the h100 bus
BUS_AREAS = {"wall_+x": 0.8, "wall_-x": 0.8, "wall_+y": 0.96, "wall_-y": 0.96, "wall_+z": 1.2,
             "wall_-z": 1.2, "deck": 1.2, "radiator": 24.0, "wing": 36.0}


def test_bus_areas_and_masses_match_hand_computation(bus):
    assert set(bus.part_ids) == set(BUS_AREAS)
    for name, area in BUS_AREAS.items():
        assert bus.area_m2(name) == pytest.approx(area, rel=1e-3), name
        part = bus.parts[name]
        mass = area * part.thickness_m * part.material.density_kg_m3
        assert bus.mass_kg(name) == pytest.approx(mass, rel=1e-3), name
        assert part.mass_kg == pytest.approx(mass, rel=1e-12), name
    assert bus.mass_kg("radiator") == pytest.approx(24.0 * 0.0015 * 2700.0, rel=1e-3)  # 97.2 kg


def test_footprints_area_cells_and_place(bus):
    assert list(bus.footprint_ids) == [f"gpu{i}" for i in range(8)]
    assert set(bus.footprint_parent.values()) == {"deck"}
    n_owned = bus.mesh.topology.index_map(2).size_local
    centroids = bus.cell_vertices()[:n_owned].mean(axis=1)
    for name in bus.footprint_ids:
        assert bus.area_m2(name) == pytest.approx(0.12 * 0.12, rel=1e-3), name
        cells = bus.cells(name)
        n = bus.mesh.comm.allreduce(len(cells))
        assert n >= FOOTPRINT_TARGET_CELLS // 2, (name, n)     # "a few dozen" cells at least
        assert np.allclose(centroids[cells, 2], 0.0)             # on the deck plane
    # the deck area includes its footprints; the deck-only cells do not
    deck_only = np.isin(bus.cell_tag_values()[:n_owned], [bus.part_ids["deck"]])
    deck_only_area = bus.mesh.comm.allreduce(float(bus.cell_areas()[:n_owned][deck_only].sum()))
    assert deck_only_area == pytest.approx(1.2 - 8 * 0.0144, rel=1e-3)


def test_every_cell_normal_is_its_parts_front_normal(bus):
    normals = bus.cell_normals()
    n_owned = bus.mesh.topology.index_map(2).size_local
    centroids = bus.cell_vertices()[:n_owned].mean(axis=1)
    for name in bus.part_ids:
        cells = bus.cells(name)
        front = bus.front_normals[name]
        side = bus.parts[name].sides[0].facing if bus.parts[name].sides else None
        if side is not None and not isinstance(side, str):
            assert np.allclose(front, side)                     # mesh normal = side facing
        # parallel, and with the same sign: the vertex order gives the front side
        assert np.all(normals[cells] @ front > 1.0 - 1e-9), name
        if name.startswith("wall_"):
            assert np.all(centroids[cells] @ front > 0.0), name   # outward from the body centre
    assert np.allclose(bus.front_normals["radiator"], [0, 0, 1])   # facing zenith
    assert np.allclose(bus.front_normals["wing"], [0, 0, 1])       # sun: reference orientation
    assert np.allclose(bus.front_normals["deck"], [0, 0, 1])


def test_groups_non_empty_and_quality(bus):
    comm = bus.mesh.comm
    for name in list(bus.part_ids) + list(bus.footprint_ids):
        assert comm.allreduce(len(bus.cells(name))) > 0, name
    assert bus.n_cells == comm.allreduce(bus.mesh.topology.index_map(2).size_local)
    assert bus.min_quality > 0.3
    assert 1.0 <= bus.max_aspect_ratio < 5.0


@pytest.mark.skipif(MPI.COMM_WORLD.size > 1, reason="edge multiplicities counted in serial")
def test_deck_meets_walls_in_conforming_t_junctions(bus):
    """Edges shared by 3 triangles are exactly the deck's perimeter on the side walls; edges with
    one triangle are exactly the radiator's and wing's outlines (the body is closed)."""
    topo = bus.mesh.topology
    topo.create_entities(1)
    topo.create_connectivity(1, 2)
    topo.create_connectivity(1, 0)
    e2c = topo.connectivity(1, 2)
    e2v = topo.connectivity(1, 0)
    cells_per_edge = np.diff(e2c.offsets)
    assert cells_per_edge.max() == 3
    x = bus.mesh.geometry.x
    # vertex -> geometry node (P1: same numbering through the cell maps)
    c2v = topo.connectivity(2, 0).array.reshape(-1, 3)
    v2x = np.empty(topo.index_map(0).size_local + topo.index_map(0).num_ghosts, dtype=np.int64)
    v2x[c2v.reshape(-1)] = bus.mesh.geometry.dofmaps[0].reshape(-1)

    def edge_points(mask):
        ends = e2v.array.reshape(-1, 2)[mask]
        return x[v2x[ends[:, 0]]], x[v2x[ends[:, 1]]]

    a, b = edge_points(cells_per_edge == 3)
    assert np.allclose(a[:, 2], 0.0) and np.allclose(b[:, 2], 0.0)
    on_side_wall = (np.isclose(np.abs(a[:, 0]), 0.6) & np.isclose(np.abs(b[:, 0]), 0.6)) | (
        np.isclose(np.abs(a[:, 1]), 0.5) & np.isclose(np.abs(b[:, 1]), 0.5))
    assert np.all(on_side_wall)
    assert np.linalg.norm(a - b, axis=1).sum() == pytest.approx(2 * (1.2 + 1.0), rel=1e-12)
    a, b = edge_points(cells_per_edge == 1)
    assert np.linalg.norm(a - b, axis=1).sum() == pytest.approx(2 * (6 + 4) + 2 * (9 + 4))


def test_plate_mesh_area_mass_and_orientation():
    spec = PlateSpec("plate", (1.0, 0.5), 0.001, AL, (0.0, 1.0, 1.0), COATINGS["black_paint"],
                     COATINGS["black_paint"])
    sm = build_mesh(spec, 0.05)
    assert sm.area_m2("plate") == pytest.approx(0.5, rel=1e-3)
    assert sm.mass_kg("plate") == pytest.approx(0.5 * 0.001 * 2700.0, rel=1e-3)
    assert sm.parts["plate"].mass_kg == pytest.approx(1.35, rel=1e-12)
    expected = np.array([0.0, 1.0, 1.0]) / np.sqrt(2.0)
    assert np.allclose(sm.front_normals["plate"], expected)
    assert np.all(sm.cell_normals()[sm.cells("plate")] @ expected > 1.0 - 1e-9)
    assert sm.footprint_ids == {}


def test_two_radiators_two_wings_one_sided_bus():
    base = h100_bus()
    rads = (RadiatorSpec("rad_a", (4.0, 2.0), 0.0015, AL, COATINGS["osr"], COATINGS["mli"],
                         "zenith", False),
            RadiatorSpec("rad_b", (3.0, 2.0), 0.0015, AL, COATINGS["osr"], COATINGS["mli"],
                         "nadir", False))
    wings = (base.solar_arrays[0],
             SolarArraySpec("wing_b", (5.0, 2.0), 0.002, CFRP, COATINGS["solar_cell"],
                            COATINGS["black_paint"], "fixed", "orbit_normal", (0.0, 1.0, 0.0)))
    sm = build_mesh(BusSpec(base.body, base.deck, rads, wings), 0.2)
    for name, area in (("rad_a", 8.0), ("rad_b", 6.0), ("wing", 36.0), ("wing_b", 10.0)):
        assert sm.area_m2(name) == pytest.approx(area, rel=1e-3), name
    assert np.allclose(sm.front_normals["rad_b"], [0, 0, -1])
    assert np.allclose(sm.front_normals["wing_b"], [0, 1, 0])
    for name in sm.part_ids:
        assert np.all(sm.cell_normals()[sm.cells(name)] @ sm.front_normals[name] > 1 - 1e-9)


def test_quality_matches_gmsh_gamma():
    import gmsh
    gmsh.initialize(interruptible=False)
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.occ.addRectangle(0, 0, 0, 1.0, 0.3)
        gmsh.model.occ.synchronize()
        gmsh.option.setNumber("Mesh.MeshSizeMax", 0.07)
        gmsh.model.mesh.generate(2)
        _, etags, enodes = gmsh.model.mesh.getElements(2)
        node_tags, coords, _ = gmsh.model.mesh.getNodes()
        xyz = np.empty((int(node_tags.max()) + 1, 3))
        xyz[node_tags] = coords.reshape(-1, 3)
        gamma, aspect = triangle_quality(xyz[enodes[0].reshape(-1, 3)])
        reference = np.asarray(gmsh.model.mesh.getElementQualities(etags[0], "gamma"))
    finally:
        gmsh.finalize()
    assert np.allclose(gamma, reference, rtol=1e-6, atol=1e-9)
    equilateral = np.array([[[0, 0, 0], [1, 0, 0], [0.5, np.sqrt(3) / 2, 0]]], dtype=float)
    assert np.allclose(triangle_quality(equilateral), 1.0)


def test_sliver_plate_is_degenerate():
    spec = PlateSpec("strip", (1.0, 0.001), 0.001, AL, "zenith", COATINGS["black_paint"],
                     COATINGS["black_paint"])
    with pytest.raises(DegenerateMeshError, match="mesh_size") as err:
        build_mesh(spec, 0.5)
    assert "strip" in str(err.value) and "\n" not in str(err.value)
    assert err.value.exit_code == 3


def test_part_list_matches_mesh_parts(bus):
    assert bus.parts == part_list(h100_bus())


def test_to_pyvista_gathers_all_cells(bus):
    from geometry.view import to_pyvista
    poly = to_pyvista(bus)
    if bus.mesh.comm.rank != 0:
        assert poly is None
        return
    assert poly.n_cells == bus.n_cells
    assert poly.compute_cell_sizes()["Area"].sum() == pytest.approx(sum(BUS_AREAS.values()),
                                                                      rel=1e-3)
    wing = poly.cell_data["part_id"] == bus.part_ids["wing"]
    assert np.allclose(poly.cell_data["front_normal"][wing], [0, 0, 1])
