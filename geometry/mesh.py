"""Tagged shell meshes of the spacecraft, built with the gmsh API and distributed by DOLFINx.

Every part is a thin shell: triangles (topological dimension 2) embedded in 3D, all parts in one
mesh. The value of a cell's tag is its part id; the deck cells under each GPU cold plate carry
their own footprint id (`gpu0`, `gpu1`, ...) and still belong to the deck (``sm.area_m2("deck")``
includes them).

The shells, their connections and orientation are built by :mod:`geometry.shells`. DOLFINx 0.11
accepts edges shared by more
than two cells when ``max_facet_to_cell_links`` (and the partitioner's) is raised to that number:
this module counts it on the gmsh mesh and passes it on; with the default of 2 the branching
edges are missed by the dual graph used for partitioning.

gmsh is used inside functions only, on rank 0, while the other ranks sleep; rank 0 partitions the
mesh alone and DOLFINx distributes it (:func:`distribute_cells`), in seconds where DOLFINx's
distributed dual graph took minutes on this branching mesh (:func:`one_rank_partitioner`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import dolfinx_solver  # noqa: F401  (orders MPI ahead of the DOLFINx bindings)

import dolfinx
import dolfinx.io.gmsh
import numpy as np
from dolfinx.mesh import GhostMode, create_cell_partitioner
from mpi4py import MPI

from geometry.layout import PartList, part_list
from geometry.shells import DegenerateMeshError, _layout, build_gmsh_model, gmsh_session, group_ids
from geometry.spec import ExternalMeshSpec, SpacecraftSpec
from geometry.surface import (
    MeshArrays,
    assign,
    max_cells_per_edge,
    parts_and_normals,
    read_mesh_arrays,
    write_meshio,
)
from thermal.core.errors import CaseError

# A mesh is degenerate when a cell has no area (quality <= 0) or is a sliver beyond this aspect
# ratio (longest edge over 2*sqrt(3)*inradius: 1 for an equilateral triangle).
MAX_ASPECT_RATIO = 50.0

# gmsh's element type of the 3-node triangle
GMSH_TRIANGLE = 2


@dataclass
class SpacecraftMesh:
    """A distributed, tagged shell mesh of all parts and the part list it was built from.

    mesh:           triangles (tdim 2) in 3D (gdim 3), all parts.
    cell_tags:      per cell, the part id, or the footprint id for deck cells under a GPU.
    part_ids:       part name -> tag value.
    footprint_ids:  'gpu0', ... -> tag value (cells of the footprint's parent part, see
                    footprint_parent).
    parts:          the part list (areas from the spec, or from the cells for external meshes).
    n_cells, min_quality, max_aspect_ratio: global count; min gamma = 2*inradius/circumradius
                    (1 equilateral, 0 degenerate, gmsh's 'gamma'); max of longest edge /
                    (2*sqrt(3)*inradius).
    front_normals:  part -> unit normal (body axes) of its front side as meshed: every cell of a
                    generated part has exactly this geometric normal (vertex order); sun-facing
                    panels use SUN_REFERENCE_NORMAL. For external parts without a facing: the
                    area-weighted mean cell normal.
    footprint_parent: 'gpu0' -> 'deck'.
    mesh_time_s:    wall time to build (gmsh + distribution), for the run summary.
    mesh_phase_s:   that time by phase, the slowest rank's: 'gmsh' (or 'read' for an external
                    mesh, on rank 0 while the others sleep), 'distribute' (partition on rank 0,
                    send, build the distributed topology and tags), 'check' (quality and groups).
    """
    mesh: dolfinx.mesh.Mesh
    cell_tags: dolfinx.mesh.MeshTags
    part_ids: dict[str, int]
    footprint_ids: dict[str, int]
    parts: PartList
    n_cells: int
    min_quality: float
    max_aspect_ratio: float
    front_normals: dict[str, np.ndarray] = field(default_factory=dict)
    footprint_parent: dict[str, str] = field(default_factory=dict)
    mesh_time_s: float = 0.0
    mesh_phase_s: dict[str, float] = field(default_factory=dict)

    # -- cell data (local cells: owned first, then ghosts) -------------------------------
    def cell_tag_values(self) -> np.ndarray:
        """Tag value of every local cell (owned and ghost)."""
        tdim = self.mesh.topology.dim
        imap = self.mesh.topology.index_map(tdim)
        values = np.full(imap.size_local + imap.num_ghosts, -1, dtype=np.int32)
        values[self.cell_tags.indices] = self.cell_tags.values
        return values

    def cell_vertices(self) -> np.ndarray:
        """Vertex coordinates of every local cell, shape (n_cells, 3, 3)."""
        return self.mesh.geometry.x[self.mesh.geometry.dofmaps[0]]

    def cell_areas(self) -> np.ndarray:
        p = self.cell_vertices()
        return 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)

    def cell_normals(self) -> np.ndarray:
        """Unit geometric normal of every local cell from its vertex order."""
        p = self.cell_vertices()
        n = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])
        return n / np.linalg.norm(n, axis=1)[:, None]

    # -- groups -------------------------------------------------------------------------
    def tag_values(self, name: str) -> tuple[int, ...]:
        """Tag values that make up a part (its own id and its footprints') or a footprint."""
        if name in self.footprint_ids:
            return (self.footprint_ids[name],)
        if name in self.part_ids:
            return (self.part_ids[name],) + tuple(
                self.footprint_ids[f] for f, parent in self.footprint_parent.items()
                if parent == name)
        raise KeyError(f"{name!r} is neither a part {sorted(self.part_ids)} nor a footprint "
                       f"{sorted(self.footprint_ids)}")

    def cells(self, name: str) -> np.ndarray:
        """Local owned cell indices of a part (footprints included) or of a footprint."""
        n_owned = self.mesh.topology.index_map(self.mesh.topology.dim).size_local
        tags = self.cell_tag_values()[:n_owned]
        return np.flatnonzero(np.isin(tags, self.tag_values(name))).astype(np.int32)

    def area_m2(self, name: str) -> float:
        """One-side area of a part or footprint [m^2], summed over all ranks."""
        local = float(np.sum(self.cell_areas()[self.cells(name)]))
        return self.mesh.comm.allreduce(local, op=MPI.SUM)

    def mass_kg(self, name: str) -> float:
        """area_m2 * thickness * density of the part (of the parent part for a footprint)."""
        part = self.parts[self.footprint_parent.get(name, name)]
        return self.area_m2(name) * part.thickness_m * part.material.density_kg_m3


# ---------------------------------------------------------------------------------------------
# Errors raised on every rank
# ---------------------------------------------------------------------------------------------

def _encode_error(err: Exception | None):
    if err is None:
        return None
    if isinstance(err, CaseError):
        return ("case", type(err).__module__, type(err).__name__,
                (err.key, err.expected, err.given, err.hint), str(err))
    if isinstance(err, DegenerateMeshError):
        return ("degenerate", str(err))
    if isinstance(err, OSError):
        return ("os", err.errno, err.strerror or str(err), err.filename)
    return ("other", f"{type(err).__name__}: {err}")


def raise_on_all_ranks(comm: MPI.Comm, err: Exception | None, root: int = 0) -> None:
    """Broadcast an error caught on `root` and raise it (the same type) on every rank."""
    code = comm.bcast(_encode_error(err) if comm.rank == root else None, root=root)
    if code is None:
        return
    if comm.rank == root and err is not None:
        raise err
    if code[0] == "case":
        import importlib
        cls = getattr(importlib.import_module(code[1]), code[2], CaseError)
        try:
            exc = cls.__new__(cls)
            CaseError.__init__(exc, *code[3])
        except Exception:  # pragma: no cover - a subclass with another signature
            exc = CaseError(*code[3])
        raise exc
    if code[0] == "degenerate":
        raise DegenerateMeshError(code[1])
    if code[0] == "os":
        raise OSError(code[1], code[2], code[3])
    raise RuntimeError(f"failed on rank {root}: {code[1]}")


# ---------------------------------------------------------------------------------------------
# Quality and checks on the distributed mesh
# ---------------------------------------------------------------------------------------------

def triangle_quality(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(gamma, aspect) of triangles with vertex coordinates p, shape (n, 3, 3).

    gamma = 2 r / R (inradius over circumradius, 1 for equilateral, 0 degenerate; gmsh's
    'gamma'); aspect = longest edge / (2 sqrt(3) r) (1 for equilateral, inf degenerate).
    """
    a = np.linalg.norm(p[:, 1] - p[:, 2], axis=1)
    b = np.linalg.norm(p[:, 2] - p[:, 0], axis=1)
    c = np.linalg.norm(p[:, 0] - p[:, 1], axis=1)
    area = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r_in = 2.0 * area / (a + b + c)
        r_out = a * b * c / (4.0 * area)
        gamma = np.where(area > 0.0, 2.0 * r_in / r_out, 0.0)
        aspect = np.where(area > 0.0, np.maximum(np.maximum(a, b), c) / (2.0 * np.sqrt(3.0)
                                                                            * r_in), np.inf)
    return gamma, aspect


def check_mesh(sm: SpacecraftMesh, mesh_size_hint: str) -> None:
    """Fill n_cells / min_quality / max_aspect_ratio and raise DegenerateMeshError if degenerate
    or if a group is empty. `mesh_size_hint` says what to change in the message."""
    comm = sm.mesh.comm
    tdim = sm.mesh.topology.dim
    n_owned = sm.mesh.topology.index_map(tdim).size_local
    p = sm.cell_vertices()[:n_owned]
    gamma, aspect = triangle_quality(p)
    tags = sm.cell_tag_values()[:n_owned]
    sm.n_cells = sm.mesh.topology.index_map(tdim).size_global
    sm.min_quality = comm.allreduce(float(gamma.min()) if n_owned else 1.0, op=MPI.MIN)
    sm.max_aspect_ratio = comm.allreduce(float(aspect.max()) if n_owned else 1.0, op=MPI.MAX)

    all_ids = {**sm.part_ids, **sm.footprint_ids}
    counts = np.zeros(max(all_ids.values(), default=0) + 1, dtype=np.int64)
    valid = tags[(tags >= 0) & (tags < len(counts))]
    np.add.at(counts, valid, 1)
    counts = comm.allreduce(counts, op=MPI.SUM)
    empty = [name for name, i in all_ids.items() if counts[i] == 0]
    if empty:
        raise DegenerateMeshError(f"mesh groups {empty} have no cells: {mesh_size_hint}")

    bad = (gamma <= 0.0) | (aspect > MAX_ASPECT_RATIO)
    worst = None
    if np.any(bad):
        inv = {i: n for n, i in all_ids.items()}
        k = int(np.argmax(np.where(bad, aspect, -1.0)))
        worst = (float(aspect[k]), inv.get(int(tags[k]), str(tags[k])))
    worst_all = comm.allgather(worst)
    worst_all = [w for w in worst_all if w is not None]
    if worst_all:
        ratio, name = max(worst_all)
        raise DegenerateMeshError(
            f"degenerate mesh: cells of part '{name}' have aspect ratio {ratio:.3g} (limit "
            f"{MAX_ASPECT_RATIO:g}, min quality {sm.min_quality:.3g}): {mesh_size_hint}")


def _size_hint(spec: SpacecraftSpec, mesh_size_m: float) -> str:
    panels, footprints, _, _, _ = _layout(spec)
    dims = [float(np.linalg.norm(e)) for p in list(panels.values()) + list(footprints.values())
            for e in (p.edge_u, p.edge_v)]
    smallest = min(dims)
    return (f"solver.mesh_size is {mesh_size_m:g} m; reduce it to at most {smallest / 3:.3g} m "
            f"(a third of the smallest panel dimension, {smallest:.3g} m) or check the part "
            "dimensions")


# ---------------------------------------------------------------------------------------------
# Build / write
# ---------------------------------------------------------------------------------------------

def idle_barrier(comm: MPI.Comm, poll_s: float = 0.005) -> None:
    """A barrier at which the ranks that arrive early sleep instead of spinning.

    While rank 0 meshes with gmsh (seconds to minutes) the others wait; MPICH's blocking calls
    poll a busy core meanwhile, which on a machine with as many cores as ranks takes a core from
    rank 0 or from other jobs. A non-blocking barrier tested every `poll_s` seconds costs them
    nothing; rank 0 arrives last and passes at once.
    """
    if comm.size == 1:
        return
    request = comm.Ibarrier()
    while not request.Test():
        time.sleep(poll_s)


def _record_phases(sm: SpacecraftMesh, comm: MPI.Comm, t0: float, ends: dict[str, float]) -> None:
    """Wall time of each phase (the slowest rank's, from the end of the one before) and in all."""
    start, phases = t0, {}
    for name, end in ends.items():
        phases[name] = comm.allreduce(end - start, op=MPI.MAX)
        start = end
    sm.mesh_phase_s = phases
    sm.mesh_time_s = comm.allreduce(start - t0, op=MPI.MAX)


def one_rank_partitioner(comm: MPI.Comm, ghost_mode: GhostMode, links: int):
    """Cell partitioner for a mesh handed to DOLFINx by one rank (None in serial).

    DOLFINx's own partitioner (:func:`dolfinx.mesh.create_cell_partitioner`) builds the dual
    graph over `comm` before calling SCOTCH. On a shell mesh with branching edges
    (``links`` > 2) every facet may still meet a cell on another rank, so every facet goes
    through the non-local matching, which is slow even when all cells are on one rank: 10.5 s
    of a 15.3 s build for 77k triangles on 2 ranks (DOLFINx 0.11), and a build of 125-360 s for
    230k (10 s serially), against 0.5 s for the whole dual graph built on one rank. Here the
    rank that holds the cells builds the dual graph alone
    (:func:`dolfinx.cpp.mesh.build_dual_graph` on ``MPI.COMM_SELF``, facets shared by up to
    ``links`` cells, the branching edges included) and partitions it with SCOTCH into
    ``comm.size`` parts, also alone: for a mesh read on one rank that is the same graph and the
    same partitioner, without the all-to-all. With ghosting (``GhostMode.shared_facet``) the
    partitioner adds each cell's ghost destinations from the same graph. The other ranks return
    empty destination lists; if more than one rank holds cells (a mesh read in parallel),
    DOLFINx's distributed partitioner is used.
    """
    if comm.size == 1:
        return None
    ghosting = ghost_mode != GhostMode.none
    distributed = create_cell_partitioner(ghost_mode, links)

    def partition(comm_cpp, nparts, cell_types, cells):
        holds = int(sum(len(c) for c in cells) > 0)
        if comm.allreduce(holds, op=MPI.SUM) > 1:
            return distributed(comm_cpp, nparts, cell_types, cells)
        if not holds:
            return dolfinx.cpp.graph.AdjacencyList_int32(np.empty(0, dtype=np.int32),
                                                          np.zeros(1, dtype=np.int32))
        graph = dolfinx.cpp.mesh.build_dual_graph(MPI.COMM_SELF, list(cell_types), list(cells), links)
        return dolfinx.cpp.graph.partitioner_scotch()(MPI.COMM_SELF, nparts, graph, ghosting)

    return partition


def build_mesh(spec: SpacecraftSpec, mesh_size_m: float, comm: MPI.Comm = MPI.COMM_WORLD, *,
               ghost_mode: GhostMode = GhostMode.none) -> SpacecraftMesh:
    """Mesh a parametric spacecraft with gmsh on rank 0 and distribute it over `comm`.

    The nodes and cells are taken from gmsh as :func:`dolfinx.io.gmsh.model_to_mesh` takes them
    (:func:`dolfinx.io.gmsh.extract_geometry`, :func:`~dolfinx.io.gmsh.extract_topology_and_markers`:
    the same arrays, so the same serial mesh), then distributed by :func:`distribute_cells`.

    An ExternalMeshSpec is read instead (mesh_size_m is then ignored): see
    :func:`read_external_mesh`.

    Raises
    ------
    DegenerateMeshError : a cell of no area or aspect ratio > MAX_ASPECT_RATIO, or an empty group.
    CaseError : a layout that does not fit (e.g. too many GPUs for the deck).
    """
    if isinstance(spec, ExternalMeshSpec):
        return read_external_mesh(spec, comm, ghost_mode=ghost_mode)
    t0 = time.perf_counter()
    err, cells, x, tags = None, None, None, None
    if comm.rank == 0:
        with gmsh_session(f"spacecraft_{id(spec)}") as gmsh:
            try:
                build_gmsh_model(spec, mesh_size_m)
                cells, x, tags = _gmsh_cells(gmsh.model)
            except Exception as e:  # noqa: BLE001 - re-raised on every rank below
                err = e
    idle_barrier(comm)
    meshed = time.perf_counter()
    raise_on_all_ranks(comm, err)
    mesh, cell_tags = distribute_cells(comm, cells, x, tags, ghost_mode)
    distributed = time.perf_counter()

    panels, footprints, parent, _, _ = _layout(spec)
    part_ids, footprint_ids = group_ids(spec)
    sm = SpacecraftMesh(mesh=mesh, cell_tags=cell_tags, part_ids=part_ids,
                        footprint_ids=footprint_ids, parts=part_list(spec), n_cells=0,
                        min_quality=0.0, max_aspect_ratio=0.0,
                        front_normals={n: panels[n].normal for n in part_ids},
                        footprint_parent=parent)
    check_mesh(sm, _size_hint(spec, mesh_size_m))
    _record_phases(sm, comm, t0, {"gmsh": meshed, "distribute": distributed, "check": time.perf_counter()})
    return sm


def _gmsh_cells(model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cells, node coordinates, tag of each cell) of the current gmsh model's 3-node triangles, in
    :func:`dolfinx.io.gmsh.model_to_mesh`'s order (nodes by gmsh tag, cells by physical group)."""
    x = dolfinx.io.gmsh.extract_geometry(model)
    topologies, _ = dolfinx.io.gmsh.extract_topology_and_markers(model)
    if set(topologies) != {GMSH_TRIANGLE}:
        raise DegenerateMeshError(f"expected 3-node triangles from gmsh, got element types {sorted(topologies)}")
    triangles = topologies[GMSH_TRIANGLE]
    n_meshed = sum(len(t) for t in model.mesh.getElements(2)[1])
    if len(triangles["topology"]) != n_meshed:
        raise DegenerateMeshError(f"{n_meshed - len(triangles['topology'])} of the {n_meshed} triangles "
                                  "are in no physical group")
    return (np.asarray(triangles["topology"], dtype=np.int64), x,
            np.asarray(triangles["cell_data"], dtype=np.int32))


def distribute_cells(comm: MPI.Comm, cells: np.ndarray | None, x: np.ndarray | None, tags: np.ndarray | None,
                     ghost_mode: GhostMode) -> tuple[dolfinx.mesh.Mesh, dolfinx.mesh.MeshTags]:
    """A distributed mesh of triangles and its cell tags from arrays held by rank 0 (None
    elsewhere): `cells` (n, 3) node indices, `x` (m, 3) coordinates [m], `tags` (n,) per cell.

    Rank 0 partitions the dual graph alone (:func:`one_rank_partitioner`, SCOTCH), DOLFINx sends
    each rank its cells and nodes and builds the distributed topology; the tag of each local cell
    (ghosts included) is looked up by its input index (``original_cell_index``) in the tags, which
    rank 0 broadcasts. Edges shared by more than two cells (T-junctions) are counted on rank 0 and
    passed on as ``max_facet_to_cell_links``.
    """
    payload = (max_cells_per_edge(cells), tags) if comm.rank == 0 else None
    links, tags = comm.bcast(payload, root=0)
    if comm.rank != 0:
        cells, x = np.empty((0, 3), dtype=np.int64), np.empty((0, 3))
    element = dolfinx.io.gmsh.ufl_mesh(GMSH_TRIANGLE, 3, dolfinx.default_real_type)
    mesh = dolfinx.mesh.create_mesh(comm, cells, element, x, one_rank_partitioner(comm, ghost_mode, links),
                                    max_facet_to_cell_links=links)
    tdim = mesh.topology.dim
    imap = mesh.topology.index_map(tdim)
    n_local = imap.size_local + imap.num_ghosts
    values = np.asarray(tags)[mesh.topology.original_cell_index[:n_local]].astype(np.int32)
    cell_tags = dolfinx.mesh.meshtags(mesh, tdim, np.arange(n_local, dtype=np.int32), values)
    cell_tags.name = "parts"
    return mesh, cell_tags


# ---------------------------------------------------------------------------------------------
# Distributed mesh
# ---------------------------------------------------------------------------------------------

def read_external_mesh(spec: ExternalMeshSpec, comm: MPI.Comm = MPI.COMM_WORLD, *,
                       ghost_mode: GhostMode = GhostMode.none) -> SpacecraftMesh:
    """Read an external mesh on rank 0 and distribute it (:func:`distribute_cells`); tags, part
    list and checks as for :func:`geometry.mesh.build_mesh`.

    Raises
    ------
    MeshGroupError : a part names a group the mesh lacks (the message lists the mesh's groups).
    CaseError : unreadable file, cells in two parts or in none.
    DegenerateMeshError : cells of no area or aspect ratio above the limit.
    """
    t0 = time.perf_counter()
    err = payload = None
    cells = x = tags = None
    if comm.rank == 0:
        try:
            arrays = read_mesh_arrays(spec.path)
            asg = assign(spec, arrays)
            plist, normals = parts_and_normals(spec, arrays, asg)
            payload = (plist, normals, asg.part_ids, asg.footprint_ids, asg.footprint_parent)
            cells, x, tags = arrays.triangles, arrays.points, asg.tags
        except Exception as e:  # noqa: BLE001 - re-raised on every rank below
            err = e
    idle_barrier(comm)
    read = time.perf_counter()
    raise_on_all_ranks(comm, err)
    plist, normals, part_ids, footprint_ids, parent = comm.bcast(payload, root=0)
    mesh, cell_tags = distribute_cells(comm, cells, x, tags, ghost_mode)
    distributed = time.perf_counter()
    sm = SpacecraftMesh(mesh=mesh, cell_tags=cell_tags, part_ids=part_ids,
                        footprint_ids=footprint_ids, parts=plist, n_cells=0, min_quality=0.0,
                        max_aspect_ratio=0.0, front_normals=normals, footprint_parent=parent)
    check_mesh(sm, f"remesh the external mesh {spec.path} (the parametric solver.mesh_size does "
                   "not apply to it)")
    _record_phases(sm, comm, t0, {"read": read, "distribute": distributed, "check": time.perf_counter()})
    return sm


# ---------------------------------------------------------------------------------------------
# Export (meshio, the group:<name> convention)
# ---------------------------------------------------------------------------------------------

def gather_arrays(sm: SpacecraftMesh) -> tuple[MeshArrays, np.ndarray] | None:
    """The whole mesh on rank 0 as (MeshArrays with one group per part and footprint, tag per
    cell), cells in their original order; None on other ranks."""
    mesh = sm.mesh
    tdim = mesh.topology.dim
    n_owned = mesh.topology.index_map(tdim).size_local
    dofs = mesh.geometry.dofmaps[0][:n_owned]
    gnodes = np.asarray(mesh.geometry.input_global_indices, dtype=np.int64)[dofs]
    data = (gnodes, mesh.geometry.x[dofs], sm.cell_tag_values()[:n_owned],
            np.asarray(mesh.topology.original_cell_index[:n_owned], dtype=np.int64))
    gathered = mesh.comm.gather(data, root=0)
    if mesh.comm.rank != 0:
        return None
    gnodes = np.concatenate([g[0] for g in gathered])
    coords = np.concatenate([g[1] for g in gathered])
    tags = np.concatenate([g[2] for g in gathered])
    order = np.argsort(np.concatenate([g[3] for g in gathered]), kind="stable")
    gnodes, coords, tags = gnodes[order], coords[order], tags[order]
    uniq, first, inverse = np.unique(gnodes.reshape(-1), return_index=True, return_inverse=True)
    points = coords.reshape(-1, 3)[first]
    triangles = inverse.reshape(-1, 3).astype(np.int64)
    groups = {}
    for name in list(sm.part_ids) + list(sm.footprint_ids):
        groups[name] = np.flatnonzero(np.isin(tags, sm.tag_values(name)))
    return MeshArrays(points=points, triangles=triangles, groups=groups), tags


def export_mesh(sm: SpacecraftMesh, path: str | Path) -> None:
    """Write the mesh as one grid of triangles (format from the suffix: .vtu by
    :mod:`geometry.vtu`, .xdmf, .vtk, ... by meshio) in the ``group:<name>`` convention that
    :func:`read_external_mesh` reads back, plus a ``part_id`` integer array (and, in a .vtu, field
    data naming each ``part_id``). Collective; rank 0 writes."""
    out, err = gather_arrays(sm), None
    if out is not None:
        try:
            write_meshio(out[0], out[1], Path(path), {**sm.part_ids, **sm.footprint_ids})
        except Exception as e:  # noqa: BLE001 - re-raised on every rank
            err = e
    raise_on_all_ranks(sm.mesh.comm, err)   # also: every rank returns once the file is complete


