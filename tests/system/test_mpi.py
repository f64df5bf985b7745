"""`mpiexec -n 2`: the distributed mesh, the finite-element model and every quick shipped case give
the serial answers (the stored references), and the run finishes with its results in place."""

import json

import dolfinx_solver  # noqa: F401

import numpy as np
import pytest
import yaml
from mpi4py import MPI

from geometry.mesh import build_mesh

from builders import CASES, H100_MESH_SIZE_M, bus_history, h100_bus, run_mpi
from summaries import changed_answers

pytestmark = [pytest.mark.mpi,
              pytest.mark.skipif(MPI.COMM_WORLD.size > 1, reason="starts its own mpiexec")]

MESH_SCRIPT = """
import json
import numpy as np
from mpi4py import MPI
from dolfinx import fem
from dolfinx.mesh import GhostMode
from builders import H100_MESH_SIZE_M, h100_bus
from geometry.mesh import build_mesh, read_external_mesh
from geometry.spec import ExternalMeshSpec, MeshPartSpec
from thermal.core.library import COATINGS, MATERIALS
comm = MPI.COMM_WORLD
out = {}
cells = {}
for mode in (GhostMode.none, GhostMode.shared_facet):
    sm = build_mesh(h100_bus(), H100_MESH_SIZE_M, comm, ghost_mode=mode)
    out[mode.name] = {n: sm.area_m2(n) for n in list(sm.part_ids) + list(sm.footprint_ids)}
    out[mode.name + "_cells"] = sm.n_cells
    out[mode.name + "_local"] = comm.allgather(sm.mesh.topology.index_map(2).size_local)
    out[mode.name + "_ghosts"] = comm.allgather(sm.mesh.topology.index_map(2).num_ghosts)
    out[mode.name + "_dofs"] = fem.functionspace(sm.mesh, ("Lagrange", 1)).dofmap.index_map.size_global
    # every local cell (owned, then ghosts) by its index in the serial input: tag and vertices
    imap = sm.mesh.topology.index_map(2)
    n = imap.size_local + imap.num_ghosts
    mine = (np.asarray(sm.mesh.topology.original_cell_index[:n]), sm.cell_tag_values()[:n],
            sm.cell_vertices()[:n], imap.size_local)
    gathered = comm.gather(mine, root=0)
    if comm.rank == 0:
        for r, (index, tags, xyz, owned) in enumerate(gathered):
            cells[f"{mode.name}_{r}_index"], cells[f"{mode.name}_{r}_tags"] = index, tags
            cells[f"{mode.name}_{r}_xyz"], cells[f"{mode.name}_{r}_owned"] = xyz, owned
if comm.rank == 0:
    np.savez(CELLS, **cells)
# cells on both ranks: the partitioner falls back on DOLFINx's distributed one
import dolfinx
from geometry.mesh import gather_arrays, one_rank_partitioner
from geometry.surface import max_cells_per_edge, triangle_areas_m2
whole = comm.bcast(gather_arrays(sm), root=0)[0]
m = len(whole.points)
x = whole.points[comm.rank * m // 2:(comm.rank + 1) * m // 2]
links = max_cells_per_edge(whole.triangles)
split = dolfinx.mesh.create_mesh(comm, whole.triangles[comm.rank::2], dolfinx.io.gmsh.ufl_mesh(2, 3, np.float64), x,
                                 one_rank_partitioner(comm, GhostMode.none, links), max_facet_to_cell_links=links)
own = split.geometry.dofmaps[0][:split.topology.index_map(2).size_local]
out["split"] = [split.topology.index_map(2).size_global, len(whole.triangles),
                comm.allreduce(float(triangle_areas_m2(split.geometry.x, own).sum())),
                float(triangle_areas_m2(whole.points, whole.triangles).sum())]
c = COATINGS["black_paint"]
spec = ExternalMeshSpec(MSH, (
    MeshPartSpec("left", "left_half", 0.001, MATERIALS["Al6061"], c, c, (0.0, 0.0, 1.0)),
    MeshPartSpec("right", "right_half", 0.001, MATERIALS["Al6061"], c, c, None)))
ext = read_external_mesh(spec, comm)
out["external"] = {n: ext.area_m2(n) for n in ext.part_ids}
if comm.rank == 0:
    print("RESULT" + json.dumps(out))
"""


def test_the_distributed_mesh_is_the_serial_mesh(tmp_path):
    """Built on rank 0 and partitioned there (geometry.mesh.one_rank_partitioner): every cell of the
    serial mesh is owned by exactly one of the two ranks, with the serial mesh's part tag and the
    same vertices in the same order (its normal, hence its side, unchanged); the ghosts of
    shared_facet are copies of serial cells too; both ranks hold about half of the cells (SCOTCH,
    2.5 % imbalance); areas of every part and footprint, cell and P1 DOF counts are the serial
    ones; and an external mesh."""
    script = tmp_path / "mesh.py"
    npz = tmp_path / "cells.npz"
    script.write_text(f"MSH = {str(CASES / 'meshes' / 'external_plate.msh')!r}\nCELLS = {str(npz)!r}\n"
                      + MESH_SCRIPT)
    proc = run_mpi([script], timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))[len("RESULT"):])
    serial = build_mesh(h100_bus(), H100_MESH_SIZE_M, MPI.COMM_WORLD)
    n = serial.n_cells
    order = np.argsort(np.asarray(serial.mesh.topology.original_cell_index[:n]))
    serial_tags, serial_xyz = serial.cell_tag_values()[:n][order], serial.cell_vertices()[:n][order]
    serial_dofs = serial.mesh.geometry.x.shape[0]
    cells = np.load(npz)
    for mode in ("none", "shared_facet"):
        assert result[mode + "_cells"] == n
        assert result[mode + "_dofs"] == serial_dofs
        local = result[mode + "_local"]
        assert len(local) == 2 and max(local) <= 1.03 * n / 2, local
        assert sum(local) == n
        owned = np.concatenate([cells[f"{mode}_{r}_index"][:cells[f"{mode}_{r}_owned"]] for r in (0, 1)])
        np.testing.assert_array_equal(np.sort(owned), np.arange(n))
        for r in (0, 1):
            index = cells[f"{mode}_{r}_index"]
            np.testing.assert_array_equal(cells[f"{mode}_{r}_tags"], serial_tags[index])
            np.testing.assert_array_equal(cells[f"{mode}_{r}_xyz"], serial_xyz[index])
        ghosts = result[mode + "_ghosts"]
        assert (min(ghosts) > 0) if mode == "shared_facet" else (ghosts == [0, 0]), (mode, ghosts)
        for name, area in result[mode].items():
            assert area == pytest.approx(serial.area_m2(name), rel=1e-12), (mode, name)
    assert result["external"] == pytest.approx({"left": 0.5, "right": 0.5}, rel=1e-12)
    cells_split, cells_whole, area_split, area_whole = result["split"]
    assert cells_split == cells_whole and area_split == pytest.approx(area_whole, rel=1e-12)


FE_SCRIPT = """
import json
import dolfinx_solver
from mpi4py import MPI
from builders import bus_history
sm, h = bus_history(MPI.COMM_WORLD, duration_s=100.0)
if MPI.COMM_WORLD.rank == 0:
    json.dump({"mean": {k: v.tolist() for k, v in h.part_T_mean_K.items()},
               "max": {k: v.tolist() for k, v in h.part_T_max_K.items()},
               "junction": h.gpu_junction_K.tolist(), "dofs": h.dofs}, open(OUT, "w"))
"""


def test_the_finite_element_model_on_two_ranks_gives_the_serial_answer(tmp_path):
    """The main case's bus with its pumped loop: every part's mean and maximum and the junction at
    every step, to the linear solver's tolerance."""
    out = tmp_path / "mpi.json"
    script = tmp_path / "fe.py"
    script.write_text(f"OUT = {str(out)!r}\n" + FE_SCRIPT)
    proc = run_mpi([script], timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    parallel = json.loads(out.read_text())
    _, serial = bus_history(duration_s=100.0)
    assert parallel["dofs"] == serial.dofs
    for name, values in serial.part_T_mean_K.items():
        np.testing.assert_allclose(parallel["mean"][name], values, rtol=1e-7)
        np.testing.assert_allclose(parallel["max"][name], serial.part_T_max_K[name], rtol=1e-7)
    np.testing.assert_allclose(parallel["junction"], serial.gpu_junction_K, rtol=1e-7)


# every shipped case that runs in seconds, with the model it ships with, and the other model where
# it adds one: the main case with the network model, the radiator with finite elements; the main
# case with finite elements takes minutes (three load cases, the December one about ten orbits to
# its periodic state with the parts seeing each other), so it gets a longer limit
SHIPPED = [("plate_sun", "fe"), ("external_plate", "fe"), ("plate_cooling_dark", "fe"),
           ("radiator_zenith_400km", "network"), ("radiator_zenith_400km", "fe"),
           ("h100_bus", "fe"), ("h100_bus", "network")]


@pytest.mark.parametrize("name, model", SHIPPED, ids=[f"{n}-{m}" for n, m in SHIPPED])
def test_shipped_cases_under_mpiexec_give_the_reference_answers(name, model, tmp_path):
    data = yaml.safe_load((CASES / f"{name}.yaml").read_text())
    data.setdefault("solver", {})["model"] = model
    if "mesh" in data.get("spacecraft", {}):     # an external mesh, named relative to its case
        data["spacecraft"]["mesh"] = str(CASES / data["spacecraft"]["mesh"])
    case = tmp_path / f"{name}.yaml"
    case.write_text(yaml.safe_dump(data))
    out = tmp_path / "res"
    limit_s = 1200 if (name, model) == ("h100_bus", "fe") else 300
    done = run_mpi(["-m", "thermal.solve", case, "--out", out, "--quiet"], timeout=limit_s, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([case.name, "res"])   # no staging left
    changed = changed_answers(json.loads((out / "summary.json").read_text()), name, model)
    assert not changed, f"{len(changed)} answers differ from the serial reference:\n" + "\n".join(changed[:20])
