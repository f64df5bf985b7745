"""The parametric spacecraft as gmsh shells: one physical group per part and per GPU footprint.

gmsh only (no DOLFINx, no MPI): :func:`build_gmsh_model` fills the current gmsh model, which
:mod:`geometry.mesh` distributes with DOLFINx for the finite-element model; :func:`surface_arrays`
returns the same triangles as numpy arrays on one process (the drawing of the parts that every run
writes, and ``python -m geometry``).

Connections: the six walls and the deck are fragmented together (gmsh OCC ``fragment``), so the
walls share nodes along the box edges and the deck's edges conform to the side walls, where three
triangles meet at each edge (a T-junction); the footprints are embedded, conforming surfaces of
the deck. Radiators and wings are disjoint from the body (a hinge gap / a yoke), and so are the
plates of the units inside it (battery, avionics: a standoff from their mount), all connected only
through the explicit joints of the part list.

Orientation: every cell's vertex order gives the front side's outward normal of its part; walls
point away from the body centre. Sun-tracking or sun-facing panels are meshed facing
:data:`geometry.parts.SUN_REFERENCE_NORMAL`; thermal solvers take the flux direction from the
part's side facing ('sun'), not from the mesh.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from geometry.layout import BusLayout, Panel, bus_layout, part_list, plate_panel
from geometry.spec import BusSpec, ExternalMeshSpec, PlateSpec, SpacecraftSpec
from geometry.surface import MeshArrays, assign, read_mesh_arrays
from thermal.core.errors import CaseError, InfeasibleError


class DegenerateMeshError(InfeasibleError):
    """A mesh with degenerate cells or an empty group; the message says what to change."""

    def __init__(self, message: str):
        super().__init__(message)


# Footprints are refined so that each holds about this many triangles (at least half of it).
FOOTPRINT_TARGET_CELLS = 64


def _layout(spec: SpacecraftSpec) -> tuple[dict[str, Panel], dict[str, Panel], dict[str, str],
                                           list[str], list[str]]:
    """(part panels, footprint panels, footprint parent, body panel names, deployable names)."""
    if isinstance(spec, PlateSpec):
        return {spec.name: plate_panel(spec)}, {}, {}, [spec.name], []
    if isinstance(spec, BusSpec):
        lay: BusLayout = bus_layout(spec)
        body = [n for n in lay.panels if n.startswith("wall_")] + ["deck"]
        deploy = [r.name for r in spec.radiators] + [w.name for w in spec.solar_arrays] + [u.name for u in spec.units]
        return lay.panels, lay.footprints, {f: "deck" for f in lay.footprints}, body, deploy
    if isinstance(spec, ExternalMeshSpec):
        raise TypeError("external meshes are read (geometry.mesh.read_external_mesh), "
                        "not built")
    raise TypeError(f"unknown spacecraft spec {type(spec).__name__}")


def group_ids(spec: SpacecraftSpec) -> tuple[dict[str, int], dict[str, int]]:
    """(part ids, footprint ids): parts 1..N in part-list order, then footprints N+1..."""
    names = part_list(spec).names
    part_ids = {n: i + 1 for i, n in enumerate(names)}
    _, footprints, _, _, _ = _layout(spec)
    footprint_ids = {f: len(names) + 1 + i for i, f in enumerate(footprints)}
    return part_ids, footprint_ids


def _add_rectangle(occ, panel: Panel) -> int:
    pts = [occ.addPoint(*c) for c in panel.corners]
    lines = [occ.addLine(pts[i], pts[(i + 1) % 4]) for i in range(4)]
    return occ.addPlaneSurface([occ.addCurveLoop(lines)])


def _fragment_body(occ, panels: dict[str, Panel], body: list[str],
                   footprints: dict[str, Panel]) -> dict[str, list[int]]:
    """Add the body panels and footprints, fragmented together: the gmsh surfaces of each by name,
    a footprint's surfaces taken out of the body panel's that holds them."""
    body_tags = {name: _add_rectangle(occ, panels[name]) for name in body}
    fp_tags = {name: _add_rectangle(occ, p) for name, p in footprints.items()}
    if not (len(body_tags) > 1 or fp_tags):
        return {name: [t] for name, t in body_tags.items()}
    surfaces: dict[str, list[int]] = {}
    objects = [(2, t) for t in body_tags.values()]
    tools = [(2, t) for t in fp_tags.values()]
    _, out_map = occ.fragment(objects, tools)
    for k, name in enumerate(list(body_tags) + list(fp_tags)):
        surfaces[name] = [t for _, t in out_map[k]]
    fp_surfaces = {t for name in fp_tags for t in surfaces[name]}
    for name in body_tags:
        surfaces[name] = [t for t in surfaces[name] if t not in fp_surfaces]
    return surfaces


def _add_physical_groups(surfaces: dict[str, list[int]], part_ids: dict[str, int],
                         footprint_ids: dict[str, int]) -> None:
    """One physical group of dimension 2 per part and footprint, named, with its tag."""
    import gmsh
    for name, pid in list(part_ids.items()) + list(footprint_ids.items()):
        if not surfaces.get(name):
            raise DegenerateMeshError(f"part '{name}' has no surface after fragmenting the body: "
                                      "check the body and footprint sizes")
        gmsh.model.addPhysicalGroup(2, surfaces[name], pid, name=name)


def _refine_near_footprints(footprints: dict[str, Panel], surfaces: dict[str, list[int]],
                            mesh_size_m: float) -> None:
    """Background size field: elements small enough for about FOOTPRINT_TARGET_CELLS triangles on
    the smallest footprint within half a footprint's width of the footprint edges, growing to
    ``mesh_size_m`` over two elements beyond."""
    import gmsh
    fx = min(min(np.linalg.norm(p.edge_u), np.linalg.norm(p.edge_v))
             for p in footprints.values())
    area = min(p.area_m2 for p in footprints.values())
    h_fp = min(mesh_size_m, float(np.sqrt(area / (0.433 * FOOTPRINT_TARGET_CELLS))))
    curves = sorted({abs(c) for name in footprints for s in surfaces[name]
                     for c in gmsh.model.getAdjacencies(2, s)[1]})
    f_dist = gmsh.model.mesh.field.add("Distance")
    gmsh.model.mesh.field.setNumbers(f_dist, "CurvesList", curves)
    gmsh.model.mesh.field.setNumber(f_dist, "Sampling", 50)
    f_thr = gmsh.model.mesh.field.add("Threshold")
    gmsh.model.mesh.field.setNumber(f_thr, "InField", f_dist)
    gmsh.model.mesh.field.setNumber(f_thr, "SizeMin", h_fp)
    gmsh.model.mesh.field.setNumber(f_thr, "SizeMax", mesh_size_m)
    gmsh.model.mesh.field.setNumber(f_thr, "DistMin", 0.5 * fx)
    gmsh.model.mesh.field.setNumber(f_thr, "DistMax", 0.5 * fx + 2.0 * mesh_size_m)
    gmsh.model.mesh.field.setAsBackgroundMesh(f_thr)


def _orient_cells(surfaces: dict[str, list[int]], all_panels: dict[str, Panel]) -> None:
    """Reverse the surfaces whose cells face away from their panel's normal."""
    import gmsh
    node_tags, coords, _ = gmsh.model.mesh.getNodes()
    xyz = np.empty((int(node_tags.max()) + 1, 3))
    xyz[node_tags] = coords.reshape(-1, 3)
    for name, tags in surfaces.items():
        for s in tags:
            etypes, _, enodes = gmsh.model.mesh.getElements(2, s)
            if list(etypes) != [2]:
                raise DegenerateMeshError(f"part '{name}': expected 3-node triangles from gmsh, "
                                          f"got element types {list(etypes)}")
            tri = xyz[enodes[0].reshape(-1, 3)]
            n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
            if np.sum(n @ all_panels[name].normal) < 0.0:
                gmsh.model.mesh.reverse([(2, s)])


def build_gmsh_model(spec: SpacecraftSpec, mesh_size_m: float) -> None:
    """Build and mesh (2D) the spacecraft in the current gmsh model.

    Physical groups of dimension 2 are named after the parts and footprints, with the tags of
    :func:`group_ids`; every triangle is in exactly one group. Cell orientation follows each
    part's front normal. The caller owns gmsh (initialize / model / finalize).
    """
    import gmsh

    if not (mesh_size_m > 0.0 and np.isfinite(mesh_size_m)):
        raise CaseError("solver.mesh_size", "a positive length, e.g. '10 cm'", given=mesh_size_m)
    panels, footprints, _, body, deploy = _layout(spec)
    part_ids, footprint_ids = group_ids(spec)
    occ = gmsh.model.occ

    surfaces = _fragment_body(occ, panels, body, footprints)
    for name in deploy:
        surfaces[name] = [_add_rectangle(occ, panels[name])]
    occ.synchronize()
    _add_physical_groups(surfaces, part_ids, footprint_ids)

    gmsh.option.setNumber("Mesh.MeshSizeMax", mesh_size_m)
    gmsh.option.setNumber("Mesh.MeshSizeMin", 0.0)
    gmsh.option.setNumber("Mesh.MeshSizeFromCurvature", 0)
    gmsh.option.setNumber("Mesh.MeshSizeFromPoints", 0)
    gmsh.option.setNumber("Mesh.Algorithm", 6)  # Frontal-Delaunay: well-shaped triangles
    if footprints:
        _refine_near_footprints(footprints, surfaces, mesh_size_m)
    gmsh.model.mesh.generate(2)

    # orient every surface's cells along its panel's normal
    _orient_cells(surfaces, {**panels, **footprints})


@contextmanager
def gmsh_session(name: str):
    """A fresh gmsh model, removed afterwards; gmsh initialised here if nobody else has."""
    import gmsh
    owner = not gmsh.isInitialized()
    if owner:
        gmsh.initialize(interruptible=False)
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.model.add(name)
    try:
        yield gmsh
    finally:
        gmsh.model.remove()
        if owner:
            gmsh.finalize()


def surface_arrays(spec: SpacecraftSpec, mesh_size_m: float) -> tuple[MeshArrays, np.ndarray, dict[str, int]]:
    """The spacecraft's shells as numpy arrays on this process, with no DOLFINx and no MPI.

    Returns
    -------
    (MeshArrays, numpy.ndarray, dict)
        The triangles with a group per part (footprint cells included in their part) and per GPU
        footprint; the tag of every cell (part id, or footprint id under a GPU); tag value by name.
        An external mesh is read from its file (``mesh_size_m`` then does not apply).
    """
    if isinstance(spec, ExternalMeshSpec):
        arrays = read_mesh_arrays(spec.path)
        asg = assign(spec, arrays)
        return _grouped(arrays.points, arrays.triangles, asg.tags, {**asg.part_ids, **asg.footprint_ids},
                        asg.footprint_parent)
    part_ids, footprint_ids = group_ids(spec)
    ids = {**part_ids, **footprint_ids}
    parent = _layout(spec)[2]
    with gmsh_session(f"surface_{id(spec)}") as gmsh:
        build_gmsh_model(spec, mesh_size_m)
        node_tags, coords, _ = gmsh.model.mesh.getNodes()
        index = np.full(int(node_tags.max()) + 1, -1, dtype=np.int64)
        index[node_tags] = np.arange(len(node_tags))
        triangles, tags = [], []
        for tag in ids.values():
            for entity in gmsh.model.getEntitiesForPhysicalGroup(2, tag):
                _, _, enodes = gmsh.model.mesh.getElements(2, int(entity))
                tri = index[np.asarray(enodes[0], dtype=np.int64).reshape(-1, 3)]
                triangles.append(tri)
                tags.append(np.full(len(tri), tag, dtype=np.int32))
        tri = np.concatenate(triangles)
        cell_tags = np.concatenate(tags)
        used, inverse = np.unique(tri, return_inverse=True)
        points = coords.reshape(-1, 3)[used]
    return _grouped(points, inverse.reshape(-1, 3), cell_tags, ids, parent)


def _grouped(points, triangles, tags, ids: dict[str, int], footprint_parent: dict[str, str]):
    """(MeshArrays, tags, ids) with a group per part (its footprints' cells included) and per footprint."""
    groups = {name: np.flatnonzero(tags == i) for name, i in ids.items()}
    pieces: dict[str, list[np.ndarray]] = {}
    for footprint, part in footprint_parent.items():   # one union per part: hundreds of footprints on a deck
        pieces.setdefault(part, [groups[part]]).append(groups[footprint])
    for part, cells in pieces.items():
        groups[part] = np.unique(np.concatenate(cells))
    return MeshArrays(points, triangles, groups), tags, ids
