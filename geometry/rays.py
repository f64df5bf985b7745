"""Ray tracing on the spacecraft's own surface mesh: view factors by Monte Carlo and sun/Earth shadowing.

The ray engine is Embree (``embreex``) through ``trimesh.ray.ray_pyembree.RayMeshIntersector``:
no hand-written intersector. Every radiating side of a part is a separate surface
(:class:`Surfaces`): the front of a shell is its cells with their meshed (vertex-order) normal, the
back the same cells facing the other way, so a ray that lands on a cell lands on the surface on the
side it came from.

View factors (:func:`view_factors`): from every surface, ``rays`` rays leave from points uniform
over its area in cosine-weighted (Lambert) directions over its outward hemisphere; F_ij is the
share that first hits surface j, F_i,space the share that hits nothing. This is the Monte Carlo
estimate of the diffuse view factor (Howell, Menguc & Siegel, *Thermal Radiation Heat Transfer*,
6th ed. 2016, sec. 7.6), with the binomial standard error sigma_ij = sqrt(F_ij (1 - F_ij) / N).
The raw estimates satisfy closure row by row but reciprocity (A_i F_ij = A_j F_ji) only to their
statistical error; :func:`correct` then finds the nearest matrix, in the least-squares sense
weighted by each estimate's variance, that satisfies reciprocity and closure exactly (the
smoothing that RadCAD and ESATAN-TMS apply, e.g. Loehrke et al., J. Heat Transfer 117 (1995) 1058;
Taylor & Luck, J. Thermophys. Heat Transfer 9 (1995) 730), keeping every factor >= 0.

A ray that lands on a face that radiates to no surface of the list (the inner face of a closed
body's wall) is counted with space; outside rays cannot reach the inside of a closed body, so on
the tool's buses there are none.

Shadowing (:func:`lit_fractions`): the share of each surface's area from which a ray toward a
direction (the sun, the nadir) leaves the spacecraft without hitting another cell, over sample
points uniform over its area.

Results depend only on the geometry, the ray count and the seed: the same on every MPI rank, and
cached on disk keyed by a hash of all three (:func:`cached_view_factors`,
:func:`thermal.core.cache.kept_arrays`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from geometry.layout import Panel, bus_layout, plate_panel
from geometry.parts import PartList, mesh_normal, side_normal
from geometry.spec import BusSpec, ExternalMeshSpec, PlateSpec, SpacecraftSpec
from geometry.surface import MeshArrays, read_mesh_arrays, triangle_areas_m2, triangle_normals
from thermal.core.cache import kept_arrays

#: Bumped when the estimator changes, so that a stale cache entry is never read.
CACHE_VERSION = 2
#: Origins are moved this far along the surface normal, relative to the mesh's size, so that a
#: ray does not hit the cell it leaves from.
RAY_OFFSET = 1e-7
#: Rays are cast in batches of this many (bounded memory on large meshes).
BATCH = 500_000
#: The most facets (and patches of the exchange, :func:`patch_grids`) along a panel's edge in the
#: ray-traced surface of a plate or a bus (:func:`ray_mesh`), and along each principal axis of an
#: external mesh's part: the rank of the finite-element model's exchange term grows with the
#: patches (one sparse solve per patch per Newton operator).
MAX_FACETS_PER_EDGE = 4
#: The fewest rays cast from one patch (:func:`patch_rays`).
MIN_RAYS_PER_PATCH = 1000


@dataclass(frozen=True)
class Surfaces:
    """Radiating surfaces on a triangle mesh: each cell's front (its vertex-order normal) and back
    belong to a named surface, or to none (-1).

    points (P, 3) [m]; triangles (T, 3); front, back (T,) surface index or -1; names (n,)."""
    points: np.ndarray
    triangles: np.ndarray
    front: np.ndarray
    back: np.ndarray
    names: tuple[str, ...]

    def cell_areas(self) -> np.ndarray:
        return triangle_areas_m2(self.points, self.triangles)

    def cell_normals(self) -> np.ndarray:
        return triangle_normals(self.points, self.triangles)

    def areas_m2(self) -> np.ndarray:
        """(n,) area of each surface [m^2]."""
        a = self.cell_areas()
        out = np.zeros(len(self.names))
        np.add.at(out, self.front[self.front >= 0], a[self.front >= 0])
        np.add.at(out, self.back[self.back >= 0], a[self.back >= 0])
        return out

    def moved(self, points: np.ndarray) -> Surfaces:
        """The same surfaces on moved points (a wing turned to the sun)."""
        return Surfaces(points, self.triangles, self.front, self.back, self.names)

    def digest(self) -> str:
        """A hash of the geometry and the surface assignment (the cache key's geometry part)."""
        h = hashlib.sha256()
        for a in (np.round(self.points, 9), self.triangles.astype(np.int64), self.front.astype(np.int64),
                  self.back.astype(np.int64)):
            h.update(np.ascontiguousarray(a).tobytes())
        h.update("\0".join(self.names).encode())
        return h.hexdigest()


def _panel_triangles(panel: Panel, patch_m: float, max_per_edge: int | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """A panel as a grid of facets no larger than ``patch_m`` a side (at most ``max_per_edge``
    along an edge), two triangles each, with the panel's normal (vertex order)."""
    o, u, v = (np.asarray(a, float) for a in (panel.origin, panel.edge_u, panel.edge_v))
    cap = max_per_edge or np.iinfo(np.int32).max
    nu = min(cap, max(1, int(np.ceil(np.linalg.norm(u) / patch_m))))
    nv = min(cap, max(1, int(np.ceil(np.linalg.norm(v) / patch_m))))
    a, b = np.meshgrid(np.linspace(0.0, 1.0, nu + 1), np.linspace(0.0, 1.0, nv + 1), indexing="ij")
    points = o + a.reshape(-1, 1) * u + b.reshape(-1, 1) * v
    k = np.arange((nu + 1) * (nv + 1)).reshape(nu + 1, nv + 1)
    c00, c10, c11, c01 = k[:-1, :-1].ravel(), k[1:, :-1].ravel(), k[1:, 1:].ravel(), k[:-1, 1:].ravel()
    tri = np.concatenate([np.stack([c00, c10, c11], 1), np.stack([c00, c11, c01], 1)])
    return points, tri


def ray_mesh(spec: SpacecraftSpec, patch_m: float) -> MeshArrays:
    """The spacecraft's surface for the ray tracing, with a group per part.

    A plate or a bus: the panels of :mod:`geometry.layout` (the same rectangles the gmsh shells of
    :mod:`geometry.shells` are meshed from: flat panels, so their facets carry the geometry
    exactly whatever their size) cut into facets of at most ``patch_m`` a side, but no more than
    ``MAX_FACETS_PER_EDGE`` along an edge: each facet (two triangles) is one patch of the exchange
    (:func:`patch_grids`), and the cost of a ray scene and the rank of the finite-element
    exchange grow with them. An external mesh: its own cells (its patches are clusters of them,
    :func:`patch_grids`)."""
    if isinstance(spec, ExternalMeshSpec):
        arrays = read_mesh_arrays(spec.path)
        return MeshArrays(arrays.points, arrays.triangles,
                          {p.name: arrays.groups[p.group] for p in spec.parts if p.group in arrays.groups})
    if isinstance(spec, PlateSpec):
        panels = {spec.name: plate_panel(spec)}
    elif isinstance(spec, BusSpec):
        panels = bus_layout(spec).panels
    else:
        raise TypeError(f"unknown spacecraft spec {type(spec).__name__}")
    points, tris, groups, n_points, n_cells = [], [], {}, 0, 0
    for name, panel in panels.items():
        p, t = _panel_triangles(panel, patch_m, MAX_FACETS_PER_EDGE)
        points.append(p)
        tris.append(t + n_points)
        groups[name] = np.arange(n_cells, n_cells + len(t))
        n_points += len(p)
        n_cells += len(t)
    return MeshArrays(np.vstack(points), np.vstack(tris), groups)


def radiating_surfaces(arrays: MeshArrays, parts: PartList) -> Surfaces:
    """The radiating sides of the parts as surfaces on the mesh ``arrays`` (groups by part name).

    A part's side whose facing agrees with the cells' meshed normal is their front, the other their
    back (a wall's one ``outside`` side is its cells' front: walls are meshed facing outward; a
    sun-facing wing's front is meshed along :data:`geometry.parts.SUN_REFERENCE_NORMAL`)."""
    n_cells = len(arrays.triangles)
    front = np.full(n_cells, -1, dtype=np.int64)
    back = np.full(n_cells, -1, dtype=np.int64)
    names: list[str] = []
    normals = arrays.cell_normals()
    areas = arrays.cell_areas()
    for part in parts.parts:
        if not part.sides or part.name not in arrays.groups:
            continue
        cells = arrays.groups[part.name]
        mean = (areas[cells, None] * normals[cells]).sum(axis=0)
        for k, side in enumerate(part.sides):
            try:
                tracked = side_normal(side.facing)
                # a sun-facing wing is meshed with its cells' side as the cells' front, whatever
                # axis it turns about (geometry.layout), so 'sun' is the front, 'anti_sun' the back
                along = tracked == "sun" if isinstance(tracked, str) else \
                    float(np.dot(mesh_normal(side.facing), mean)) >= 0.0
            except ValueError:         # a tracked facing (edge_on): the first side is the front
                along = k == 0
            (front if along else back)[cells] = len(names)
            names.append(side.name)
    return Surfaces(np.asarray(arrays.points, float), np.asarray(arrays.triangles, np.int64), front, back,
                    tuple(names))


@dataclass(frozen=True)
class PatchGrid:
    """The patches of one part: a grid of ``counts`` (nu, nv) blocks over the parallelogram
    ``origin + a u + b v`` (0 <= a, b <= 1) in the part's reference position (the wings as
    meshed). A point (a cell's centroid) belongs to the block its projection falls in, clipped to
    the grid: the same rule for the ray-traced facets and for the finite-element cells."""
    origin: np.ndarray
    u: np.ndarray
    v: np.ndarray
    counts: tuple[int, int]

    def block(self, points: np.ndarray) -> np.ndarray:
        """(k,) block index (i nv + j) of each point (k, 3)."""
        d = np.atleast_2d(points) - self.origin
        nu, nv = self.counts
        index = []
        for edge, n in ((self.u, nu), (self.v, nv)):
            length2 = float(edge @ edge)
            a = d @ edge / length2 if length2 > 0.0 else np.zeros(len(d))
            index.append(np.clip(np.floor(a * n).astype(np.int64), 0, n - 1))
        return index[0] * nv + index[1]


def _edge_count(length_m: float, patch_m: float) -> int:
    return min(MAX_FACETS_PER_EDGE, max(1, int(np.ceil(length_m / patch_m - 1e-9))))


def patch_grids(spec: SpacecraftSpec, arrays: MeshArrays, patch_m: float) -> dict[str, PatchGrid]:
    """The patch grid of every part of ``arrays`` (:class:`PatchGrid`): blocks of about
    ``patch_m`` a side, at most ``MAX_FACETS_PER_EDGE`` along an edge.

    A plate or a bus: the grid of its panel's facets (:func:`ray_mesh`), so a patch is one facet
    and flat. An external mesh: the bounding rectangle of the part's cells in its principal axes
    (the two largest second moments of its area; for equal ones, as a
    square's, the body axis nearest its plane first), cut the same way; a
    patch is the cells whose centroid falls in a block (a curved part's patch is then not flat,
    and its view factor to itself is what its cells see of each other)."""
    if isinstance(spec, (PlateSpec, BusSpec)):
        panels = {spec.name: plate_panel(spec)} if isinstance(spec, PlateSpec) else bus_layout(spec).panels
        out = {}
        for name, panel in panels.items():
            o, u, v = (np.asarray(a, float) for a in (panel.origin, panel.edge_u, panel.edge_v))
            out[name] = PatchGrid(o, u, v, (_edge_count(float(np.linalg.norm(u)), patch_m),
                                            _edge_count(float(np.linalg.norm(v)), patch_m)))
        return out
    areas = arrays.cell_areas()
    corners = arrays.points[arrays.triangles]                        # (T, 3, 3)
    out = {}
    for name, cells in arrays.groups.items():
        w, v = areas[cells], corners[cells]
        mean = w @ v.mean(axis=1) / w.sum()
        d = v - mean
        # the exact second moment of each triangle's area: A / 12 (sum_k d_k d_k^T + s s^T), s = sum_k d_k
        total = d.sum(axis=1)
        cov = (np.einsum("t,tki,tkj->ij", w, d, d) + np.einsum("t,ti,tj->ij", w, total, total)) / (12.0 * w.sum())
        values, vectors = np.linalg.eigh(cov)
        axes = vectors[:, ::-1][:, :2].T                             # the two largest
        if values[2] - values[1] <= 1e-6 * values[2]:                # a square's: any pair, so the body
            along = np.eye(3) - np.outer(vectors[:, 0], vectors[:, 0])   # axis nearest the plane first
            first = along[np.argmax(np.linalg.norm(along, axis=1))]
            first /= np.linalg.norm(first)
            axes = np.array([first, np.cross(vectors[:, 0], first)])
        along_axes = d.reshape(-1, 3) @ axes.T
        lo, hi = along_axes.min(axis=0), along_axes.max(axis=0)
        span = hi - lo
        out[name] = PatchGrid(mean + lo @ axes, span[0] * axes[0], span[1] * axes[1],
                              (_edge_count(float(span[0]), patch_m), _edge_count(float(span[1]), patch_m)))
    return out


@dataclass(frozen=True)
class Patches:
    """The radiating sides cut into patches: ``surfaces`` holds one surface per patch (named
    ``<side>#<block>``); per patch its side (index into ``side_names``), its part and its block of
    that part's grid (``grids``)."""
    surfaces: Surfaces
    side: np.ndarray
    side_names: tuple[str, ...]
    part: tuple[str, ...]
    block: np.ndarray
    grids: dict[str, PatchGrid]

    def indicator(self) -> np.ndarray:
        """(patches, sides) 1 where the patch belongs to the side."""
        out = np.zeros((len(self.side), len(self.side_names)))
        out[np.arange(len(self.side)), self.side] = 1.0
        return out

    def rays(self, rays_per_side: int) -> np.ndarray:
        """Rays from each patch: its side's ``rays_per_side`` shared by area, at least
        MIN_RAYS_PER_PATCH (the Monte Carlo error of a patch's factors is its own, sigma)."""
        area = self.surfaces.areas_m2()
        side_area = self.indicator().T @ area
        share = area / np.maximum(side_area[self.side], 1e-300)
        return np.maximum(np.ceil(rays_per_side * share), MIN_RAYS_PER_PATCH).astype(np.int64)

    def side_view(self, vf: ViewFactors) -> ViewFactors:
        """The sides' view factors from the patches' (area-weighted sums: exact, and reciprocity
        and closure carry over); sigma combined as independent errors."""
        P = self.indicator()
        A = vf.area_m2
        side_area = P.T @ A
        F = P.T @ (A[:, None] * vf.F) @ P / side_area[:, None]
        F_space = P.T @ (A * vf.F_space) / side_area
        s2 = (A[:, None] * vf.sigma) ** 2
        sigma = np.column_stack([np.sqrt(P.T @ s2[:, :-1] @ P), np.sqrt(P.T @ s2[:, -1])]) / side_area[:, None]
        return ViewFactors(self.side_names, side_area, F, F_space, sigma, P.T @ vf.rays, vf.corrected)


def radiating_patches(arrays: MeshArrays, parts: PartList, grids: dict[str, PatchGrid]) -> Patches:
    """The radiating sides (:func:`radiating_surfaces`) cut into the patches of ``grids``: every
    cell of a part goes to the block its centroid falls in; a side's patches are the blocks its
    cells fill (empty blocks are dropped)."""
    sides = radiating_surfaces(arrays, parts)
    centroids = arrays.points[arrays.triangles].mean(axis=1)
    block = np.full(len(arrays.triangles), -1, dtype=np.int64)
    part_of = np.full(len(arrays.triangles), -1, dtype=np.int64)
    part_names = [p.name for p in parts.parts if p.sides and p.name in arrays.groups]
    for k, name in enumerate(part_names):
        cells = arrays.groups[name]
        block[cells] = grids[name].block(centroids[cells])
        part_of[cells] = k
    key_front = np.where(sides.front >= 0, sides.front * (block.max() + 1) + block, -1)
    key_back = np.where(sides.back >= 0, sides.back * (block.max() + 1) + block, -1)
    keys = np.unique(np.concatenate([key_front[key_front >= 0], key_back[key_back >= 0]]))
    front = np.where(key_front >= 0, np.searchsorted(keys, key_front), -1)
    back = np.where(key_back >= 0, np.searchsorted(keys, key_back), -1)
    side = keys // (block.max() + 1)
    blocks = keys % (block.max() + 1)
    owner = np.full(len(sides.names), -1, dtype=np.int64)
    for index in (sides.front, sides.back):
        owner[index[index >= 0]] = part_of[index >= 0]
    names = tuple(f"{sides.names[s]}#{b}" for s, b in zip(side, blocks, strict=True))
    surfaces = Surfaces(sides.points, sides.triangles, front, back, names)
    return Patches(surfaces, side, sides.names, tuple(part_names[owner[s]] for s in side), blocks,
                   {name: grids[name] for name in part_names})


def intersector(surfaces: Surfaces):
    import trimesh
    from trimesh.ray.ray_pyembree import RayMeshIntersector
    mesh = trimesh.Trimesh(vertices=surfaces.points, faces=surfaces.triangles, process=False, validate=False)
    return RayMeshIntersector(mesh)


def first_hits(engine, origins: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Index of the first cell each ray hits, -1 for none."""
    out = np.empty(len(origins), dtype=np.int64)
    for s in range(0, len(origins), BATCH):
        out[s:s + BATCH] = engine.intersects_first(origins[s:s + BATCH], directions[s:s + BATCH])
    return out


@dataclass(frozen=True)
class Samples:
    """Points uniform over each surface's area, as cells and barycentric weights, so that they move
    with the mesh (a wing turned to the sun keeps its sample points): per surface (cells (k,),
    sign (k,) +1 front / -1 back, weights (k, 3))."""
    per_surface: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]

    def points_normals(self, surfaces: Surfaces) -> list[tuple[np.ndarray, np.ndarray]]:
        cells = np.concatenate([c for c, _, _ in self.per_surface])
        sign = np.concatenate([g for _, g, _ in self.per_surface])
        w = np.concatenate([x for _, _, x in self.per_surface])
        p = surfaces.points[surfaces.triangles[cells]]
        n = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])
        normals = sign[:, None] * n / np.linalg.norm(n, axis=1)[:, None]
        points = np.einsum("kj,kjd->kd", w, p)
        split = np.cumsum([len(c) for c, _, _ in self.per_surface])[:-1]
        return list(zip(np.split(points, split), np.split(normals, split), strict=True))


def sample(surfaces: Surfaces, count: int | np.ndarray, rng: np.random.Generator) -> Samples:
    """``count`` points (one number, or one per surface) uniform over the area of every surface
    (:class:`Samples`)."""
    areas = surfaces.cell_areas()
    counts = np.broadcast_to(np.asarray(count, dtype=np.int64), (len(surfaces.names),))
    out = []
    for index, count in enumerate(counts):
        front, back = np.flatnonzero(surfaces.front == index), np.flatnonzero(surfaces.back == index)
        cells = np.concatenate([front, back])
        signs = np.concatenate([np.ones(len(front)), -np.ones(len(back))])
        pick = rng.choice(len(cells), size=count, p=areas[cells] / areas[cells].sum())
        r1, r2 = rng.random(count), rng.random(count)
        s = np.sqrt(r1)
        out.append((cells[pick], signs[pick], np.stack([1 - s, s * (1 - r2), s * r2], axis=1)))
    return Samples(tuple(out))


def _lambert_directions(normals: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Cosine-weighted directions over the hemisphere of each normal (Malley's method)."""
    count = len(normals)
    r, phi = np.sqrt(rng.random(count)), 2.0 * np.pi * rng.random(count)
    local = np.stack([r * np.cos(phi), r * np.sin(phi), np.sqrt(np.maximum(0.0, 1.0 - r * r))], axis=1)
    helper = np.where(np.abs(normals[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    t1 = np.cross(normals, helper)
    t1 /= np.linalg.norm(t1, axis=1)[:, None]
    t2 = np.cross(normals, t1)
    return local[:, :1] * t1 + local[:, 1:2] * t2 + local[:, 2:] * normals


def _scale(surfaces: Surfaces) -> float:
    return float(np.ptp(surfaces.points, axis=0).max()) or 1.0


def _landed_on(surfaces: Surfaces, hits: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """The surface each ray lands on (-1: space, or a face that radiates to no listed surface)."""
    out = np.full(len(hits), -1, dtype=np.int64)
    hit = hits >= 0
    normals = surfaces.cell_normals()[hits[hit]]
    onto_front = np.einsum("ij,ij->i", directions[hit], normals) < 0.0
    out[hit] = np.where(onto_front, surfaces.front[hits[hit]], surfaces.back[hits[hit]])
    return out


@dataclass(frozen=True)
class ViewFactors:
    """View factors between surfaces and to space.

    names (n,); area_m2 (n,); F (n, n): F[i, j] from surface i to j; F_space (n,); sigma (n, n+1):
    the Monte Carlo standard error of the raw estimates (last column: to space); rays (n,): cast
    from each surface; corrected: whether reciprocity and closure were enforced (:func:`correct`)."""
    names: tuple[str, ...]
    area_m2: np.ndarray
    F: np.ndarray
    F_space: np.ndarray
    sigma: np.ndarray
    rays: np.ndarray
    corrected: bool

    def reciprocity_residual(self) -> float:
        """max |A_i F_ij - A_j F_ji| / max(A_i, A_j) [-]."""
        AF = self.area_m2[:, None] * self.F
        scale = np.maximum(self.area_m2[:, None], self.area_m2[None, :])
        return float(np.max(np.abs(AF - AF.T) / scale)) if self.F.size else 0.0

    def closure_residual(self) -> float:
        """max_i |sum_j F_ij + F_i,space - 1| [-]."""
        return float(np.max(np.abs(self.F.sum(axis=1) + self.F_space - 1.0))) if self.F.size else 0.0


def view_factors(surfaces: Surfaces, rays: int | np.ndarray, seed: int = 0, corrected: bool = True) -> ViewFactors:
    """Monte Carlo view factors between the surfaces and to space, ``rays`` rays from each surface
    (one number, or one per surface; see the module doc); with ``corrected`` (the default),
    reciprocity and closure enforced."""
    n = len(surfaces.names)
    per = np.broadcast_to(np.asarray(rays, dtype=np.int64), (n,)).copy()
    if np.any(per < 1):
        raise ValueError(f"rays must be >= 1, got {rays}")
    rng = np.random.default_rng(seed)
    engine = intersector(surfaces)
    offset = RAY_OFFSET * _scale(surfaces)
    counts = np.zeros((n, n + 1))
    for i, (points, normals) in enumerate(sample(surfaces, per, rng).points_normals(surfaces)):
        directions = _lambert_directions(normals, rng)
        landed = _landed_on(surfaces, first_hits(engine, points + offset * normals, directions), directions)
        counts[i] = np.bincount(np.where(landed < 0, n, landed), minlength=n + 1)
    raw = counts / per[:, None]
    sigma = np.sqrt(raw * (1.0 - raw) / per[:, None])
    vf = ViewFactors(surfaces.names, surfaces.areas_m2(), raw[:, :n], raw[:, n], sigma, per, False)
    return correct(vf) if corrected else vf


def correct(vf: ViewFactors, iterations: int = 10) -> ViewFactors:
    """The nearest view factors to ``vf`` that satisfy reciprocity and closure exactly, >= 0.

    Minimises sum_k (x_k - x0_k)^2 / var_k over the factors x (F_ij and F_i,space) subject to
    A_i F_ij = A_j F_ji and sum_j F_ij + F_i,space = 1. Reciprocity is built in: the unknowns are
    g_ij = A_i F_ij = A_j F_ji, one per pair i <= j (their two estimates' terms, each quadratic in
    g, add to w (g - g0)^2 with w = 1 / (A_i^2 var_ij) + 1 / (A_j^2 var_ji)), and the space
    factors; closure is n linear constraints C y = 1, so the closed form of the equality-
    constrained least squares, y = y0 - W^-1 C^T (C W^-1 C^T)^-1 (C y0 - 1), needs an n x n solve
    (C sparse: a patch-level exchange has hundreds of surfaces). The variance of each estimate is
    its binomial one with a floor of one ray, (F (1 - F) + 1/N) / N, so that a factor no ray found
    is free to move only as far as one ray would. Pairs that both ways no ray found stay zero (the
    surfaces do not see each other); an unknown the correction would make negative is held at zero
    and the rest solved again."""
    import scipy.sparse  # here, not at import: the exposure imports this module for every run (start-up)

    n = len(vf.names)
    if n == 0:
        return vf
    A = vf.area_m2
    N = np.asarray(vf.rays, float)[:, None]
    var = (vf.F * (1.0 - vf.F) + 1.0 / N) / N
    var_space = (vf.F_space * (1.0 - vf.F_space) + 1.0 / N[:, 0]) / N[:, 0]
    i, j = np.triu_indices(n)
    off = i != j
    w = 1.0 / (A[i] ** 2 * var[i, j]) + np.where(off, 1.0 / (A[j] ** 2 * var[j, i]), 0.0)
    g0 = (vf.F[i, j] / (A[i] * var[i, j]) + np.where(off, vf.F[j, i] / (A[j] * var[j, i]), 0.0)) / w
    y0 = np.concatenate([g0, vf.F_space])
    v = np.concatenate([1.0 / w, var_space])
    m = len(i)
    free = np.concatenate([(vf.F[i, j] > 0.0) | (vf.F[j, i] > 0.0), np.ones(n, bool)])
    rows = np.concatenate([i, j[off], np.arange(n)])
    cols = np.concatenate([np.arange(m), np.flatnonzero(off), m + np.arange(n)])
    vals = np.concatenate([1.0 / A[i], 1.0 / A[j[off]], np.ones(n)])
    C = scipy.sparse.csr_array((vals, (rows, cols)), shape=(n, m + n))
    y = y0
    for _ in range(iterations):
        start = np.where(free, y0, 0.0)
        Winv = np.where(free, v, 0.0)
        CW = C @ scipy.sparse.diags_array(Winv)
        S = (CW @ C.T).toarray()
        lam = np.linalg.lstsq(S, C @ start - 1.0, rcond=None)[0]
        y = start - CW.T @ lam
        negative = free & (y < 0.0)
        if not negative.any():
            break
        free &= ~negative
    y = np.maximum(y, 0.0)
    G = np.zeros((n, n))
    G[i, j] = y[:m]
    G[j, i] = y[:m]
    return ViewFactors(vf.names, A, G / A[:, None], y[m:], vf.sigma, vf.rays, True)


def lit_fractions(surfaces: Surfaces, directions: np.ndarray, samples: Samples | int, seed: int = 0,
                  engine=None, cone_half_angle_rad: float = 0.0) -> np.ndarray:
    """(n_surfaces, n_directions) share of each surface's area from which a ray toward each unit
    ``direction`` (body axes) leaves the spacecraft without hitting a cell: 1 unshaded, 0 in full
    shadow. Only the points whose surface faces the direction count (a point facing away gets no
    flux to shade); a surface facing away everywhere is reported lit. ``samples``: the sample
    points (:func:`sample`), or how many to draw per surface with ``seed``.

    With ``cone_half_angle_rad`` the source is a disc of that angular radius about each direction
    (the Earth seen from orbit): each point's ray goes to its own point of the disc (uniform in
    solid angle, the same offsets for every direction, drawn with ``seed``) and counts with the
    weight max(0, n . d) of a diffuse source there, so the share moves smoothly as a surface turns
    edge-on to the disc."""
    directions = np.atleast_2d(np.asarray(directions, float))
    if not isinstance(samples, Samples):
        samples = sample(surfaces, samples, np.random.default_rng(seed))
    engine = engine if engine is not None else intersector(surfaces)
    offset = RAY_OFFSET * _scale(surfaces)
    n, m = len(surfaces.names), len(directions)
    pairs = samples.points_normals(surfaces)
    points = np.concatenate([p for p, _ in pairs])
    normals = np.concatenate([q for _, q in pairs])
    owner = np.repeat(np.arange(n), [len(p) for p, _ in pairs])
    if cone_half_angle_rad > 0.0:
        rays = _cone_directions(directions, len(points), cone_half_angle_rad, np.random.default_rng(seed + 1))
        weight = np.maximum(np.einsum("pd,pkd->pk", normals, rays), 0.0)          # (points, m)
    else:
        rays = np.broadcast_to(directions[None, :, :], (len(points), m, 3))
        weight = (normals @ directions.T > 0.0).astype(float)
    which, k = np.nonzero(weight > 0.0)
    total = np.bincount(owner[which] * m + k, weights=weight[which, k], minlength=n * m).reshape(n, m)
    if not len(which):
        return np.ones((n, m))
    hits = first_hits(engine, points[which] + offset * normals[which], np.ascontiguousarray(rays[which, k]))
    blocked = np.bincount(owner[which] * m + k, weights=weight[which, k] * (hits >= 0), minlength=n * m
                          ).reshape(n, m)
    return np.where(total > 0, 1.0 - blocked / np.where(total > 0, total, 1.0), 1.0)


def _cone_directions(axes: np.ndarray, count: int, half_angle: float, rng: np.random.Generator) -> np.ndarray:
    """(count, m, 3): for each of ``count`` points a direction uniform in solid angle within
    ``half_angle`` of each of the m unit ``axes`` (the same offsets about every axis)."""
    cos_t = 1.0 - rng.random(count) * (1.0 - np.cos(half_angle))
    sin_t = np.sqrt(np.maximum(0.0, 1.0 - cos_t ** 2))
    phi = 2.0 * np.pi * rng.random(count)
    helper = np.where(np.abs(axes[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    t1 = np.cross(axes, helper)
    t1 /= np.linalg.norm(t1, axis=1)[:, None]
    t2 = np.cross(axes, t1)
    return (cos_t[:, None, None] * axes[None] + (sin_t * np.cos(phi))[:, None, None] * t1[None]
            + (sin_t * np.sin(phi))[:, None, None] * t2[None])


def cached_view_factors(surfaces: Surfaces, rays: int | np.ndarray, seed: int = 0) -> ViewFactors:
    """:func:`view_factors` (corrected), kept in the cache (:func:`thermal.core.cache.kept_arrays`)
    keyed by the geometry, the ray count and the seed."""
    per = np.broadcast_to(np.asarray(rays, dtype=np.int64), (len(surfaces.names),)).copy()
    key = hashlib.sha256(f"{CACHE_VERSION}:{surfaces.digest()}:{hashlib.sha256(per.tobytes()).hexdigest()}:"
                         f"{seed}".encode()).hexdigest()

    def compute() -> dict:
        vf = view_factors(surfaces, per, seed)
        return {"area_m2": vf.area_m2, "F": vf.F, "F_space": vf.F_space, "sigma": vf.sigma}

    kept = kept_arrays(key, compute)
    return ViewFactors(surfaces.names, kept["area_m2"], kept["F"], kept["F_space"], kept["sigma"], per, True)
