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

gmsh is used inside functions only, on rank 0; the mesh is distributed with
:func:`dolfinx.io.gmsh.model_to_mesh`.
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
from geometry.shells import DegenerateMeshError, _gmsh_max_cells_per_edge, _layout, build_gmsh_model, gmsh_session
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

def _partitioner(comm: MPI.Comm, ghost_mode: GhostMode, links: int):
    return create_cell_partitioner(ghost_mode, links) if comm.size > 1 else None


def build_mesh(spec: SpacecraftSpec, mesh_size_m: float, comm: MPI.Comm = MPI.COMM_WORLD, *,
               ghost_mode: GhostMode = GhostMode.none) -> SpacecraftMesh:
    """Mesh a parametric spacecraft with gmsh on rank 0 and distribute it over `comm`.

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
    err, links, md = None, None, None
    if comm.rank == 0:
        with gmsh_session(f"spacecraft_{id(spec)}") as gmsh:
            try:
                build_gmsh_model(spec, mesh_size_m)
                links = _gmsh_max_cells_per_edge()
            except Exception as e:  # noqa: BLE001 - re-raised on every rank below
                err = e
            raise_on_all_ranks(comm, err)
            comm.bcast(links, root=0)
            md = dolfinx.io.gmsh.model_to_mesh(
                gmsh.model, comm, 0, gdim=3, partitioner=_partitioner(comm, ghost_mode, links),
                max_facet_to_cell_links=links)
    else:
        raise_on_all_ranks(comm, None)
        links = comm.bcast(None, root=0)
        md = dolfinx.io.gmsh.model_to_mesh(
            None, comm, 0, gdim=3, partitioner=_partitioner(comm, ghost_mode, links),
            max_facet_to_cell_links=links)

    panels, footprints, parent, _, _ = _layout(spec)
    part_ids = {n: int(md.physical_groups[n].tag) for n in part_list(spec).names}
    footprint_ids = {n: int(md.physical_groups[n].tag) for n in footprints}
    md.cell_tags.name = "parts"
    sm = SpacecraftMesh(mesh=md.mesh, cell_tags=md.cell_tags, part_ids=part_ids,
                        footprint_ids=footprint_ids, parts=part_list(spec), n_cells=0,
                        min_quality=0.0, max_aspect_ratio=0.0,
                        front_normals={n: panels[n].normal for n in part_ids},
                        footprint_parent=parent)
    check_mesh(sm, _size_hint(spec, mesh_size_m))
    sm.mesh_time_s = comm.allreduce(time.perf_counter() - t0, op=MPI.MAX)
    return sm


# ---------------------------------------------------------------------------------------------
# Distributed mesh
# ---------------------------------------------------------------------------------------------

def read_external_mesh(spec: ExternalMeshSpec, comm: MPI.Comm = MPI.COMM_WORLD, *,
                       ghost_mode: GhostMode = GhostMode.none) -> SpacecraftMesh:
    """Read an external mesh on rank 0 and distribute it; tags, part list and checks as for
    :func:`geometry.mesh.build_mesh`.

    Raises
    ------
    MeshGroupError : a part names a group the mesh lacks (the message lists the mesh's groups).
    CaseError : unreadable file, cells in two parts or in none.
    DegenerateMeshError : cells of no area or aspect ratio above the limit.
    """
    t0 = time.perf_counter()
    err = payload = None
    if comm.rank == 0:
        try:
            arrays = read_mesh_arrays(spec.path)
            asg = assign(spec, arrays)
            plist, normals = parts_and_normals(spec, arrays, asg)
            links = max_cells_per_edge(arrays.triangles)
            payload = (plist, normals, asg.part_ids, asg.footprint_ids, asg.footprint_parent,
                       links, asg.tags)
        except Exception as e:  # noqa: BLE001 - re-raised on every rank below
            err = e
    raise_on_all_ranks(comm, err)
    plist, normals, part_ids, footprint_ids, parent, links, tags = comm.bcast(payload, root=0)

    element = dolfinx.io.gmsh.ufl_mesh(2, 3, dolfinx.default_real_type)
    if comm.rank == 0:
        cells, x = arrays.triangles, arrays.points
    else:
        cells, x = np.empty((0, 3), dtype=np.int64), np.empty((0, 3))
    partitioner = create_cell_partitioner(ghost_mode, links) if comm.size > 1 else None
    mesh = dolfinx.mesh.create_mesh(comm, cells, element, x, partitioner,
                                    max_facet_to_cell_links=links)
    tdim = mesh.topology.dim
    imap = mesh.topology.index_map(tdim)
    n_local = imap.size_local + imap.num_ghosts
    values = tags[mesh.topology.original_cell_index[:n_local]].astype(np.int32)
    cell_tags = dolfinx.mesh.meshtags(mesh, tdim, np.arange(n_local, dtype=np.int32), values)
    cell_tags.name = "parts"
    sm = SpacecraftMesh(mesh=mesh, cell_tags=cell_tags, part_ids=part_ids,
                        footprint_ids=footprint_ids, parts=plist, n_cells=0, min_quality=0.0,
                        max_aspect_ratio=0.0, front_normals=normals, footprint_parent=parent)
    check_mesh(sm, f"remesh the external mesh {spec.path} (the parametric solver.mesh_size does "
                   "not apply to it)")
    sm.mesh_time_s = comm.allreduce(time.perf_counter() - t0, op=MPI.MAX)
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


