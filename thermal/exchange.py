"""Parts that see each other: view factors, gray diffuse exchange and shadowing over an orbit.

What this adds to the environment of :mod:`thermal.exposure`, for every radiating side of every
part (the surfaces of :func:`geometry.rays.radiating_surfaces`, front and back of a shell apart):

- **View factors** between coarse patches of the sides (:func:`geometry.rays.patch_grids`: blocks
  of about ``solver.view_factors.patch_size``) and to space by Monte Carlo ray tracing on the
  spacecraft's surface (:func:`geometry.rays.ray_mesh`, :func:`geometry.rays.cached_view_factors`:
  Embree, reciprocity and closure enforced), cached on disk by geometry; the sides' factors are
  the patches' summed (:meth:`geometry.rays.Patches.side_view`). The network model (one node per
  part) uses the sides'; the finite-element model the patches' (:func:`patch_exchange`).
  Sun-tracking wings turn relative to the body (about their single axis, or, two-axis, by a roll
  about the boom and a tilt of the boom toward the sun, so a wing stays on its own side of the
  spacecraft: :func:`_wing_rotation`): the factors are traced at ``WING_POSITIONS``
  positions of the wings evenly spaced in time over the orbit. Both models' orbit march uses the
  factors at the wing's angle at each time (:class:`WingSchedule`: Gebhart's conductances and the
  emission to space of each position, interpolated linearly in time between the two positions
  either side, periodic in the orbit), so the correlation between the wing's angle and the
  temperatures is kept (on the h100 bus: the radiator and the GPU junction move by 1.4-2 K at
  times against the averaged factors, their orbit means by a few hundredths). The summary's view
  factors, the sink temperatures and the steady (orbit-averaged) solves use the time-weighted
  average of the factors. Cost: ``WING_POSITIONS`` ray tracings (cached) and one Gebhart solve
  each; per step, a weighted sum of two positions' small matrices (the network: as many
  right-hand-side evaluations as with the average, 9,725 against 9,937 over an orbit on the bus;
  the finite-element model: the exchange block re-formed every step, O(rank^2), and its basis over
  every position: 8 % over the averaged factors on the bus at 116k DOFs on 2 ranks,
  benchmarks/README.md).
- **Gray diffuse exchange** (:func:`gebhart`): Gebhart's absorption factors B_ij (the share of what
  side i emits that side j absorbs, after any number of diffuse reflections; Gebhart, *Heat
  Transfer*, 2nd ed. 1971, ch. 5) with each side's IR emissivity (gray, opaque: reflectance
  1 - eps). The net loss of side i is then sigma eps_i A_i B_i,space T_i^4 + sum_j sigma R_ij
  (T_i^4 - T_j^4) with R_ij = eps_i A_i B_ij = R_ji: emission to space through B_space, and
  pairwise radiative conductances -- the form of the network's radiation terms.
- **Reflected environment, first order** (:func:`reflected_W_m2`): the solar and albedo light a
  side reflects (1 - alpha of what it receives), and the Earth IR (1 - eps), diffusely, reach the
  other sides through the view factors and are absorbed there (alpha, eps). One bounce only (a stated
  assumption): the second bounce is a share (1 - alpha) F of the first, under 3 % of it off a
  solar array (alpha 0.9, F < 0.3) but up to about 25 % between two white or OSR sides facing
  each other, where the first bounce is itself a small share of the direct flux. Specular
  reflection (an OSR, a glass cover) is taken as diffuse.
- **Shadowing** (:func:`shadowing`): over the orbit, the share of each side's
  area that sees the sun unblocked by any part (the wings turned to their tracking angle at that
  time: one ray scene per time, a few thousand rays), and the share of its view of the Earth's
  disc (134 deg across at 550 km) that no part blocks: one ray per sample point to a point of the
  disc, weighted by the cosine to the side's normal (the diffuse Earth's IR and albedo; the
  albedo taken as uniform over the disc for this share, a stated approximation): albedo and
  Earth IR are scaled by that share.
  The scene (the wings turned) is traced at ``SHADOW_STEPS_PER_ORBIT`` times per orbit, the shares
  smoothed to ``SHADOW_HARMONICS`` harmonics of the orbit and interpolated onto the exposure table.

Assumptions: surfaces diffuse and gray in the IR; isothermal sides in the network model (one node
per part), isothermal patches in the exchange of the finite-element model (each patch's area-mean
T^4: the exchanged power converges as the patches are refined, tests/verification/
test_patch_exchange.py); between two traced wing positions the exchange is interpolated linearly.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from geometry.layout import bus_layout
from geometry.parts import SUN_POINTINGS, PartList
from geometry.rays import (
    RAY_OFFSET,
    Patches,
    PatchGrid,
    Samples,
    Surfaces,
    ViewFactors,
    cached_view_factors,
    first_hits,
    intersector,
    lit_fractions,
    patch_grids,
    radiating_patches,
    radiating_surfaces,
    ray_mesh,
    sample,
)
from geometry.spec import BusSpec
from thermal.core.cache import kept_arrays
from thermal.core.constants import EARTH_RADIUS_M
from thermal.orbit import OrbitGeometry, nadir_vector_body, sun_vector_body

#: Wing positions over the orbit at which the view factors are traced and averaged.
WING_POSITIONS = 8
#: Sample points per side for the shadow of each time step (standard error of a half-lit side's
#: fraction: 0.5 / sqrt(n) = 2 %; the same points every step, so the shadow moves smoothly).
SHADOW_POINTS = 512
#: Bumped when what :func:`lit_share` computes changes (its cache key).
LIT_SHARE_VERSION = 1
SEED = 20271
#: Time steps per orbit at which the shadows of a spacecraft with tracking wings are traced (one
#: ray scene each; interpolated onto the exposure table).
SHADOW_STEPS_PER_ORBIT = 96
#: Harmonics of the orbit kept in the shadow tables (:func:`_smoothed`): a shadow edge crossing a
#: side is resolved to about a 48th of the orbit (2 minutes in LEO).
SHADOW_HARMONICS = 24
#: The wings' positions for the view factors are rounded to this step [deg] (:func:`_quantized`).
POSITION_STEP_DEG = 3.0


def tracking_normal(sun_body: np.ndarray, axis) -> np.ndarray:
    """Normal of a wing that tracks the sun about `axis` (None: two-axis, the normal is the sun)."""
    if axis is None:
        return sun_body
    a = np.asarray(axis, float) / np.linalg.norm(axis)
    projected = sun_body - np.outer(sun_body @ a, a)
    norm = np.linalg.norm(projected, axis=1, keepdims=True)
    fallback = np.cross(a, [1.0, 0.0, 0.0] if abs(a[0]) < 0.9 else [0.0, 1.0, 0.0])
    return np.where(norm > 1e-9, projected / np.maximum(norm, 1e-12), fallback / np.linalg.norm(fallback))


@dataclass(frozen=True)
class _Wing:
    cells_points: np.ndarray   # indices of the points of its cells
    normal: np.ndarray         # meshed front normal (reference orientation)
    root: np.ndarray           # the point it turns about: the middle of its inner edge, on the yoke
    boom: np.ndarray           # unit vector along its boom
    axis: tuple | None         # tracking axis (None: two-axis)


def _rotations(a: np.ndarray, b: np.ndarray, fallback_axis: np.ndarray) -> np.ndarray:
    """(M, 3, 3) the smallest rotations taking unit vector a to each unit vector of b (M, 3)
    (Rodrigues); half a turn about ``fallback_axis`` where b is opposite a."""
    v = np.cross(a, b)
    c = b @ a
    K = np.zeros((len(b), 3, 3))
    K[:, 0, 1], K[:, 0, 2], K[:, 1, 2] = -v[:, 2], v[:, 1], -v[:, 0]
    K[:, 1, 0], K[:, 2, 0], K[:, 2, 1] = v[:, 2], -v[:, 1], v[:, 0]
    parallel = np.linalg.norm(v, axis=1) < 1e-12
    with np.errstate(divide="ignore", invalid="ignore"):
        R = np.eye(3) + K + K @ K / (1.0 + np.where(parallel, 1.0, c))[:, None, None]
    k = np.asarray(fallback_axis, float) / np.linalg.norm(fallback_axis)
    R[parallel & (c > 0)] = np.eye(3)
    R[parallel & (c <= 0)] = 2.0 * np.outer(k, k) - np.eye(3)
    return R


def _wing_rotation(w: _Wing, n: np.ndarray) -> np.ndarray:
    """The rotation that turns wing ``w`` about its root so that its front faces ``n`` (unit).

    Single-axis tracking (``w.axis``): about that axis (``n`` is perpendicular to it,
    :func:`tracking_normal`): the smallest rotation from the reference normal, a half turn about
    the axis when ``n`` is opposite. Two-axis tracking: the gimbal of a wing on its boom, a roll
    about the boom (the solar array drive) and a tilt of the boom toward the sun in the plane of
    the boom and the sun, so the boom stays as near its reference direction as the sun allows:
    b' = (b - (b.n) n) / |b - (b.n) n|, and the frame (b, n0, b x n0) goes onto (b', n, b' x n).
    The boom never turns more than 90 deg from its reference: the wing stays on its own side of
    the spacecraft (the smallest rotation from n0 to n swung it over the body, through its root
    hinge, whenever the sun was more than 90 deg from the meshed normal), and a sun circling the
    boom at a fixed angle (the body frame of a nadir-pointing spacecraft over an orbit) turns the
    wing rigidly about the boom at a fixed tilt."""
    return _wing_rotations(w, np.asarray(n, float)[None, :])[0]


def _wing_rotations(w: _Wing, normals: np.ndarray) -> np.ndarray:
    """(M, 3, 3) :func:`_wing_rotation` for each unit vector of ``normals`` (M, 3) at once."""
    n = np.atleast_2d(np.asarray(normals, float))
    if w.axis is not None:
        return _rotations(w.normal, n, np.asarray(w.axis, float))
    b, n0 = w.boom, w.normal / np.linalg.norm(w.normal)
    boom = b[None, :] - (n @ b)[:, None] * n
    along = np.linalg.norm(boom, axis=1) < 1e-6     # the sun along the boom: any roll; keep the wing's width axis
    if np.any(along):
        width = np.cross(n0, b)
        boom[along] = width - (n[along] @ width)[:, None] * n[along]
    boom /= np.linalg.norm(boom, axis=1, keepdims=True)
    before = np.column_stack([b, n0, np.cross(b, n0)])
    after = np.stack([boom, n, np.cross(boom, n)], axis=2)
    return after @ before.T


@dataclass(frozen=True)
class Exchange:
    """View factors, shadowing and the per-side terms of the exchange of one case.

    side_names (n,): the radiating sides, in the order of the part list; area_m2 (n,);
    view: orbit-averaged view factors between the sides (:class:`geometry.rays.ViewFactors`, the
    patches' summed), sigma the largest Monte Carlo error over the wing positions;
    patches: the sides cut into patches (:class:`geometry.rays.Patches`) and patch_view their
    orbit-averaged view factors (traced at patch level: ``view`` is their sum);
    wing_positions: how many were traced; rays_per_side: the case's ``solver.view_factors.rays``;
    lit_sun, lit_earth (n, M): unblocked share toward the sun and the nadir on the exposure grid;
    position_views: the patches' view factors at each wing position, traced at the times
    position_times_s of an orbit of period_s (one position, at t = 0, for a rigid spacecraft or
    without an orbit: period_s None)."""
    side_names: tuple[str, ...]
    area_m2: np.ndarray
    view: ViewFactors
    patches: Patches
    patch_view: ViewFactors
    wing_positions: int
    rays_per_side: int
    lit_sun: np.ndarray
    lit_earth: np.ndarray
    position_views: tuple[ViewFactors, ...] = ()
    position_times_s: np.ndarray = field(default_factory=lambda: np.zeros(1))
    period_s: float | None = None

    def index(self, side_names) -> np.ndarray:
        pos = {s: k for k, s in enumerate(self.side_names)}
        return np.array([pos[s] for s in side_names], dtype=int)


def gebhart(F: np.ndarray, F_space: np.ndarray, emissivity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gebhart absorption factors (B (n, n), B_space (n,)) of gray diffuse opaque surfaces:
    B_ij = F_ij eps_j + sum_k F_ik (1 - eps_k) B_kj, and B_i,space = F_i,space + sum_k F_ik (1 - eps_k)
    B_k,space (space absorbs everything). Each row sums to 1 when F's rows close. ``emissivity`` is
    the receiving sides' IR absorptivity (the share they absorb, 1 - it they reflect): the
    emissivity of a gray side, a coating's ``ir_absorptivity`` where it differs."""
    eps = np.asarray(emissivity, float)
    M = np.eye(len(eps)) - F * (1.0 - eps)[None, :]
    B = np.linalg.solve(M, F * eps[None, :])
    B_space = np.linalg.solve(M, F_space)
    return B, B_space


def exchange_conductances(F: np.ndarray, F_space: np.ndarray, area_m2: np.ndarray, emissivity: np.ndarray,
                          ir_absorptivity: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(R (n, n), E (n,)) [m^2]: radiative conductances R_ij = eps_i A_i B_ij between sides
    (symmetric: reciprocity of Gebhart's factors) and eps_i A_i B_i,space to space, so that side i
    loses sigma E_i T_i^4 + sum_j sigma R_ij (T_i^4 - T_j^4).

    With an IR absorptivity a that differs from the emissivity (a screening override, not
    Kirchhoff's law), B is taken with the absorptivities (what a side absorbs and reflects of the
    IR it receives) and G_ij = eps_i A_i B_ij, what j absorbs of i's emission, is no longer
    symmetric. ASSUMED: R is its symmetric part, (G_ij + G_ji) / 2, so that the models keep their
    pairwise form and conserve energy; the antisymmetric part (G_ij - G_ji) / 2, a net flow between
    two sides at the same temperature that only a non-Kirchhoff pair has, is left out. Emission to
    space, E, is exact."""
    eps = np.asarray(emissivity, float)
    B, B_space = gebhart(F, F_space, eps if ir_absorptivity is None else np.asarray(ir_absorptivity, float))
    R = (eps * area_m2)[:, None] * B
    R = 0.5 * (R + R.T)                     # symmetric (gray: to rounding, reciprocity is exact in F)
    np.fill_diagonal(R, 0.0)                # a side's exchange with itself moves no heat
    return R, eps * area_m2 * B_space


def reflected_W_m2(F: np.ndarray, absorptivity: np.ndarray, emissivity: np.ndarray, visible_W_m2: np.ndarray,
                   ir_W_m2: np.ndarray) -> np.ndarray:
    """(n, M) absorbed flux [W/m^2] on each side from the light the other sides reflect diffusely, first
    order: alpha_i sum_j F_ij (1 - alpha_j) E_j + eps_i sum_j F_ij (1 - eps_j) H_j, where E_j is the
    solar and albedo light and H_j the Earth IR incident on side j (per m^2; reciprocity
    A_j F_ji = A_i F_ij turns what j sends to i per m^2 of j into what i receives per m^2 of i)."""
    a, e = np.asarray(absorptivity, float), np.asarray(emissivity, float)
    return a[:, None] * (F @ ((1.0 - a)[:, None] * visible_W_m2)) + e[:, None] * (F @ ((1.0 - e)[:, None] * ir_W_m2))


def position_weights(times_s: np.ndarray, period_s: float | None, t: float) -> np.ndarray:
    """(K,) weights of the K wing positions traced at ``times_s`` (evenly spaced over the orbit of
    ``period_s``) at time t: linear interpolation between the two positions either side of t,
    periodic in the orbit (one position, or no period: all weight on the first). Their time average
    over the orbit is 1/K each, so the orbit average of an interpolated quantity is the mean over
    the positions."""
    out = np.zeros(len(times_s))
    i, j, a = _bracket(len(times_s), period_s, t)
    out[i] += 1.0 - a
    out[j] += a
    return out


def _bracket(k: int, period_s: float | None, t: float) -> tuple[int, int, float]:
    """(i, j, a): time t lies between positions i and j = i + 1 (mod k), a of the way to j."""
    if k == 1 or period_s is None:
        return 0, 0, 0.0
    x = (float(t) % period_s) / period_s * k
    i = math.floor(x)
    return i % k, (i + 1) % k, x - i


@dataclass(frozen=True)
class WingSchedule:
    """Terms that follow the wings' angle over the orbit: the orbit-mean value plus
    sum_k w_k(t) delta[k] (:func:`position_weights` over ``times_s``, ``period_s``)."""
    times_s: np.ndarray
    period_s: float

    def weights(self, t: float) -> np.ndarray:
        return position_weights(self.times_s, self.period_s, t)

    def interpolated(self, values: np.ndarray, t: float) -> np.ndarray:
        """sum_k w_k(t) values[k] over the first axis (two terms)."""
        i, j, a = _bracket(len(self.times_s), self.period_s, t)
        return (1.0 - a) * values[i] + a * values[j]


def _wings(spacecraft, arrays_groups: dict, triangles: np.ndarray) -> list[_Wing]:
    if not isinstance(spacecraft, BusSpec):
        return []
    panels = bus_layout(spacecraft).panels
    out = []
    for wing in spacecraft.solar_arrays:
        if wing.pointing not in SUN_POINTINGS:
            continue
        p = panels[wing.name]
        u = np.asarray(p.edge_u, float)
        out.append(_Wing(np.unique(triangles[arrays_groups[wing.name]]), p.normal,
                         np.asarray(p.origin, float) + 0.5 * np.asarray(p.edge_v, float), u / np.linalg.norm(u),
                         wing.axis))
    return out


def _quantized(n: np.ndarray) -> np.ndarray:
    """A unit vector rounded to the nearest POSITION_STEP_DEG in its polar angles: the wings'
    positions for the view factors, so that load cases whose sun directions differ by less share
    one cache entry (a wing off by half a step changes a view factor by a fraction of a percent)."""
    step = np.radians(POSITION_STEP_DEG)
    polar = np.round(np.arccos(np.clip(n[2], -1.0, 1.0)) / step) * step
    azimuth = np.round(np.arctan2(n[1], n[0]) / step) * step
    return np.array([np.sin(polar) * np.cos(azimuth), np.sin(polar) * np.sin(azimuth), np.cos(polar)])


def _placed(surfaces: Surfaces, wings: list[_Wing], sun: np.ndarray, quantize: bool = False) -> Surfaces:
    """The surfaces with every tracking wing turned about its root to face the sun direction ``sun``
    (with ``quantize``, to the nearest position of :func:`_quantized`)."""
    if not wings:
        return surfaces
    return surfaces.moved(_turned_points(surfaces.points, wings, sun, quantize))


def _turned_points(points: np.ndarray, wings: list[_Wing], sun: np.ndarray, quantize: bool = False) -> np.ndarray:
    """A copy of ``points`` with every tracking wing's points turned about its root to face the sun
    direction ``sun`` (:func:`_wing_rotation`; with ``quantize``, to the nearest position of
    :func:`_quantized`)."""
    out = np.array(points, float)
    for w in wings:
        n = tracking_normal(np.asarray(sun, float)[None, :], w.axis)[0]
        if quantize:
            n = _quantized(n)
        R = _wing_rotation(w, n)
        out[w.cells_points] = (out[w.cells_points] - w.root) @ R.T + w.root
    return out


def turned_wings(spacecraft, points: np.ndarray, triangles: np.ndarray, wing_cells: dict[str, np.ndarray],
                 sun: np.ndarray) -> np.ndarray:
    """The points of a triangle mesh of the spacecraft (a drawing of it) with every sun-tracking wing
    (its triangles ``wing_cells[name]``) turned about its root to face the sun direction ``sun``
    (body axes), as :func:`shadowing` turns them: for drawing the shadows where they were traced."""
    return _turned_points(points, _wings(spacecraft, wing_cells, triangles), sun)


def compute_exchange(parts: PartList, spacecraft, geom: OrbitGeometry | None, attitude: str, times: np.ndarray,
                     rays: int, patch_m: float, shadows: bool = True) -> Exchange:
    """View factors between the patches of the sides (orbit-averaged over the wings' positions),
    the sides' (their sums) and the shadow tables of a case on the exposure's time grid ``times``
    (with ``shadows`` False, the view factors alone: the tables all lit)."""
    arrays = ray_mesh(spacecraft, patch_m)
    surfaces = radiating_surfaces(arrays, parts)
    patches = radiating_patches(arrays, parts, patch_grids(spacecraft, arrays, patch_m))
    wings = _wings(spacecraft, arrays.groups, arrays.triangles)
    if geom is not None:
        sun = sun_vector_body(geom, times, attitude)
        nadir = nadir_vector_body(geom, times, attitude)
    else:
        sun, nadir = np.tile([0.0, 0.0, 1.0], (times.size, 1)), None
    # view factors at the wings' positions over the orbit
    if wings and geom is not None:
        t_pos = np.linspace(0.0, geom.period_s, WING_POSITIONS, endpoint=False)
        positions = sun_vector_body(geom, t_pos, attitude)
    else:
        positions, t_pos = sun[:1], np.zeros(1)
    per_patch = patches.rays(rays)
    views = [cached_view_factors(_placed(patches.surfaces, wings, s, quantize=True), per_patch, SEED)
             for s in positions]
    F = np.mean([v.F for v in views], axis=0)
    F_space = np.mean([v.F_space for v in views], axis=0)
    sigma = np.max([v.sigma for v in views], axis=0)
    patch_view = ViewFactors(patches.surfaces.names, views[0].area_m2, F, F_space, sigma, per_patch, True)
    view = patches.side_view(patch_view)
    earth = float(np.arcsin(EARTH_RADIUS_M / geom.radius_m)) if geom is not None else 0.0
    if not shadows:
        lit_sun = lit_earth = np.ones((len(surfaces.names), times.size))
    elif geom is not None:
        # traced on a uniform grid over the orbit, smoothed, interpolated onto the table
        coarse = np.linspace(0.0, geom.period_s, SHADOW_STEPS_PER_ORBIT + 1)
        lit = shadowing(surfaces, wings, sun_vector_body(geom, coarse, attitude),
                        nadir_vector_body(geom, coarse, attitude), earth)
        lit_sun, lit_earth = (np.array([np.interp(times, coarse, row) for row in _smoothed(table)])
                              for table in lit)
    else:
        lit_sun, lit_earth = shadowing(surfaces, wings, sun, nadir, earth)
    return Exchange(surfaces.names, view.area_m2, view, patches, patch_view, len(views), rays, lit_sun, lit_earth,
                    tuple(views), t_pos, geom.period_s if len(views) > 1 and geom is not None else None)


def _smoothed(table: np.ndarray) -> np.ndarray:
    """A periodic table on a uniform grid (end point repeated) without its harmonics above
    SHADOW_HARMONICS, within [0, 1]: the sampled lit shares move in steps of one sample point
    (1 / SHADOW_POINTS), and those steps, interpolated, make the forcing of the network's adaptive
    integrator jagged (six times the right-hand-side evaluations on the h100 bus)."""
    spectrum = np.fft.rfft(table[:, :-1], axis=1)
    spectrum[:, SHADOW_HARMONICS + 1:] = 0.0
    smooth = np.clip(np.fft.irfft(spectrum, n=table.shape[1] - 1, axis=1), 0.0, 1.0)
    return np.concatenate([smooth, smooth[:, :1]], axis=1)


def shadowing(surfaces: Surfaces, wings: list[_Wing], sun: np.ndarray, nadir: np.ndarray | None,
              earth_half_angle_rad: float = 0.0, only: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(lit toward the sun, lit toward the Earth's disc about the nadir), each (n_sides, M), at the M
    directions of ``sun`` (:func:`geometry.rays.lit_fractions`; the Earth a disc of
    ``earth_half_angle_rad``). With ``only`` (side indices) only those sides are traced, on the same
    sample points as in a full tracing (the others reported lit)."""
    m = len(sun)
    points = sample(surfaces, SHADOW_POINTS, np.random.default_rng(SEED))
    if only is not None:
        keep = set(only)
        points = Samples(tuple(p if k in keep else tuple(a[:0] for a in p) for k, p in enumerate(points.per_surface)))
    if not wings:                              # a rigid spacecraft: one scene, every direction at once
        engine = intersector(surfaces)
        lit_sun = lit_fractions(surfaces, sun, points, SEED, engine)
        lit_earth = (lit_fractions(surfaces, nadir, points, SEED, engine, earth_half_angle_rad)
                     if nadir is not None else np.ones_like(lit_sun))
        return lit_sun, lit_earth
    lit_sun = np.ones((len(surfaces.names), m))
    lit_earth = np.ones((len(surfaces.names), m))
    for k in range(m):
        placed = _placed(surfaces, wings, sun[k])
        engine = intersector(placed)
        lit_sun[:, k] = lit_fractions(placed, sun[k], points, SEED, engine)[:, 0]
        if nadir is not None:
            lit_earth[:, k] = lit_fractions(placed, nadir[k], points, SEED, engine, earth_half_angle_rad)[:, 0]
    return lit_sun, lit_earth


def lit_share(parts: PartList, spacecraft, patch_m: float, sun: np.ndarray, sides) -> np.ndarray:
    """(len(sides), M) share of each named side that no other part shades from the sun, at the M
    body directions ``sun`` with every tracking wing turned to each: the tracing of
    :func:`shadowing` (the same ray mesh, sample points and rays, no smoothing), for those sides
    only; kept in the cache (:func:`thermal.core.cache.kept_arrays`) keyed by the geometry, the
    directions and the sides (a sizing traces the same layout for each of its design points).

    One ray scene serves every direction: the parts that do not move (the body, the radiators, a
    fixed wing) are traced once with the rays of all the directions (each from its sample point
    turned with its wing), and a ray is blocked by a tracking wing when it crosses that wing's
    rectangle turned to the direction (a wing is a flat panel, :func:`geometry.layout.bus_layout`),
    instead of a scene per direction as :func:`shadowing` builds (the same answer: the two differ
    only for a ray that grazes an edge within the ray offset)."""
    arrays = ray_mesh(spacecraft, patch_m)
    surfaces = radiating_surfaces(arrays, parts)
    wings = _wings(spacecraft, arrays.groups, arrays.triangles)
    sun = np.atleast_2d(np.asarray(sun, float))
    names = [w.name for w in spacecraft.solar_arrays if w.pointing in SUN_POINTINGS]
    panels = bus_layout(spacecraft).panels
    key = hashlib.sha256(repr((LIT_SHARE_VERSION, surfaces.digest(), np.round(sun, 12).tobytes(), tuple(sides),
                               SHADOW_POINTS, SEED, RAY_OFFSET,
                               [(n, w.normal.tolist(), w.root.tolist(), w.boom.tolist(), w.axis, panels[n])
                                for n, w in zip(names, wings, strict=True)])).encode()).hexdigest()
    return kept_arrays(f"lit-{key}", lambda: {"lit": _lit_share(surfaces, wings, names, panels, sun, sides)})["lit"]


def _lit_share(surfaces: Surfaces, wings: list[_Wing], names: list[str], panels, sun: np.ndarray, sides) -> np.ndarray:
    """:func:`lit_share`, traced."""
    index = [surfaces.names.index(s) for s in sides]
    if not wings:
        return shadowing(surfaces, wings, sun, None, only=index)[0][index]
    m = len(sun)
    turns = [_wing_rotations(w, tracking_normal(sun, w.axis)) for w in wings]
    on_wing = np.full(len(surfaces.points), -1)
    for j, w in enumerate(wings):
        on_wing[w.cells_points] = j
    cell_wing = np.where((on_wing[surfaces.triangles] >= 0).all(axis=1), on_wing[surfaces.triangles[:, 0]], -1)
    keep = cell_wing < 0
    engine = intersector(Surfaces(surfaces.points, surfaces.triangles[keep], surfaces.front[keep],
                                  surfaces.back[keep], surfaces.names))
    offset = RAY_OFFSET * (float(np.ptp(surfaces.points, axis=0).max()) or 1.0)
    samples = sample(surfaces, SHADOW_POINTS, np.random.default_rng(SEED))
    pairs = samples.points_normals(surfaces)
    out = np.ones((len(index), m))
    for row, s in enumerate(index):
        p0, n0 = pairs[s]
        owner = cell_wing[samples.per_surface[s][0]]
        P = np.broadcast_to(p0, (m, *p0.shape)).copy()          # (m, k, 3) each point at each direction
        N = np.broadcast_to(n0, (m, *n0.shape)).copy()
        for j, w in enumerate(wings):
            mine = owner == j
            P[:, mine] = (p0[mine] - w.root) @ turns[j].transpose(0, 2, 1) + w.root
            N[:, mine] = n0[mine] @ turns[j].transpose(0, 2, 1)
        d = np.broadcast_to(sun[:, None, :], P.shape)
        facing = np.einsum("mkd,mkd->mk", N, d) > 0.0
        step, point = np.nonzero(facing)
        origin = P[step, point] + offset * N[step, point]
        ray = np.ascontiguousarray(d[step, point])
        blocked = first_hits(engine, origin, ray) >= 0
        for j, (w, name) in enumerate(zip(wings, names, strict=True)):
            other = owner[point] != j
            blocked[other] |= _crosses(origin[other], ray[other], panels[name], w.root, turns[j], step[other])
        total = np.bincount(step, minlength=m)
        shaded = np.bincount(step, weights=blocked, minlength=m)
        out[row] = np.where(total > 0, 1.0 - shaded / np.maximum(total, 1), 1.0)
    return out


def _crosses(origin: np.ndarray, ray: np.ndarray, panel, root: np.ndarray, turns: np.ndarray,
             step: np.ndarray) -> np.ndarray:
    """(r,) whether each ray (``origin`` + t ``ray``, t > 0) crosses the rectangle ``panel`` turned
    about ``root`` by the rotation of its direction, ``turns[step]`` (turns (m, 3, 3): the
    rectangle is turned once per direction, then each ray takes its direction's)."""
    edge_u, edge_v = np.asarray(panel.edge_u, float), np.asarray(panel.edge_v, float)
    corner = (turns @ (np.asarray(panel.origin, float) - root) + root)[step]
    eu, ev = (turns @ edge_u)[step], (turns @ edge_v)[step]
    normal = (turns @ np.cross(edge_u, edge_v))[step]      # a rotation keeps the cross product
    denom = np.einsum("ri,ri->r", ray, normal)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.einsum("ri,ri->r", corner - origin, normal) / denom
        q = origin + t[:, None] * ray - corner
        a = np.einsum("ri,ri->r", q, eu) / np.einsum("ri,ri->r", eu, eu)
        b = np.einsum("ri,ri->r", q, ev) / np.einsum("ri,ri->r", ev, ev)
    return (np.abs(denom) > 0.0) & (t > 0.0) & (a >= 0.0) & (a <= 1.0) & (b >= 0.0) & (b <= 1.0)


@dataclass(frozen=True)
class SideExchange:
    """The exchange terms of the radiating sides in a model's order (``side_names``): R (n, n) [m^2]
    between sides and the share of each side's emission that reaches space, B_space (n,)."""
    side_names: tuple[str, ...]
    R_m2: np.ndarray
    space_share: np.ndarray


def wing_schedule(exchange: Exchange) -> WingSchedule | None:
    """The schedule of the wings' positions (None: a rigid spacecraft, one position)."""
    if exchange.period_s is None or len(exchange.position_views) < 2:
        return None
    return WingSchedule(exchange.position_times_s, exchange.period_s)


def side_exchange(exchange: Exchange, parts: PartList, side_names, position: int | None = None) -> SideExchange:
    """The Gebhart conductances (:func:`exchange_conductances`) of the sides ``side_names``: with the
    orbit-averaged view factors, or those of wing position ``position``."""
    coat = {s.name: s.coating for p in parts.parts for s in p.sides}
    k = exchange.index(side_names)
    view = exchange.view if position is None else exchange.patches.side_view(exchange.position_views[position])
    e = np.array([coat[s].emissivity for s in side_names])
    a = np.array([coat[s].ir_absorptivity for s in side_names])
    R, E = exchange_conductances(view.F[np.ix_(k, k)], view.F_space[k], view.area_m2[k], e, a)
    return SideExchange(tuple(side_names), R, E / (e * view.area_m2[k]))


@dataclass(frozen=True)
class PatchExchange:
    """The exchange terms between patches for a model that resolves temperature over a part (the
    finite-element model), per column: a block of a part's patch grid, which carries the patches of
    all that part's sides there (the front and back of a shell share its nodes).

    part (m,), block (m,): the column's part and block of ``grids[part]``; R_m2 (m, m): Gebhart's
    conductances between columns (:func:`exchange_conductances` between patches, summed; zero
    within a column: its patches share a temperature); space_emissivity (m,): the emission to
    space per m^2 of the block, sum over its patches of eps B_space (the patch areas equal the
    block's); area_m2 (m,): each block's area on the ray-traced surface."""
    part: tuple[str, ...]
    block: np.ndarray
    grids: dict[str, PatchGrid]
    R_m2: np.ndarray
    space_emissivity: np.ndarray
    area_m2: np.ndarray


def patch_exchange(exchange: Exchange, parts: PartList, position: int | None = None) -> PatchExchange:
    """Gebhart's conductances between the patches (:func:`exchange_conductances` on the patch view
    factors, orbit-averaged or of wing position ``position``, each patch with its side's
    emissivity and IR absorptivity), gathered into the columns of :class:`PatchExchange`."""
    coat = {s.name: s.coating for p in parts.parts for s in p.sides}
    patches = exchange.patches
    view = exchange.patch_view if position is None else exchange.position_views[position]
    e = np.array([coat[patches.side_names[k]].emissivity for k in patches.side])
    a = np.array([coat[patches.side_names[k]].ir_absorptivity for k in patches.side])
    R_p, E_p = exchange_conductances(view.F, view.F_space, view.area_m2, e, a)
    keys = list(dict.fromkeys(zip(patches.part, patches.block.tolist(), strict=True)))
    column = {key: c for c, key in enumerate(keys)}
    M = np.zeros((len(patches.side), len(keys)))
    M[np.arange(len(patches.side)), [column[k] for k in zip(patches.part, patches.block.tolist(), strict=True)]] = 1.0
    R = M.T @ R_p @ M
    np.fill_diagonal(R, 0.0)
    area = (M.T @ view.area_m2) / M.sum(axis=0)
    return PatchExchange(tuple(k[0] for k in keys), np.array([k[1] for k in keys], dtype=np.int64),
                         patches.grids, 0.5 * (R + R.T), (M.T @ E_p) / area, area)


def by_part(exchange: Exchange, parts: PartList) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """(part names, E (P,) [m^2] to space, R (P, P) [m^2] between parts): the sides' Gebhart
    conductances (:func:`exchange_conductances`) summed over each part's sides."""
    coat = {s.name: s.coating for p in parts.parts for s in p.sides}
    owner = {s.name: p.name for p in parts.parts for s in p.sides}
    names = tuple(dict.fromkeys(owner[s] for s in exchange.side_names))
    which = np.array([names.index(owner[s]) for s in exchange.side_names])
    view = exchange.view
    emissivity = np.array([coat[s].emissivity for s in exchange.side_names])
    absorptivity = np.array([coat[s].ir_absorptivity for s in exchange.side_names])
    R_s, E_s = exchange_conductances(view.F, view.F_space, view.area_m2, emissivity, absorptivity)
    E = np.zeros(len(names))
    R = np.zeros((len(names), len(names)))
    np.add.at(E, which, E_s)
    np.add.at(R, (which[:, None], which[None, :]), R_s)
    np.fill_diagonal(R, 0.0)
    return names, E, R


def part_view_factors(exchange: Exchange, parts: PartList) -> dict:
    """The view factors part to part and to space (area-weighted over each part's sides), with the
    Monte Carlo standard error of each (the sides' raw errors, independent, combined by area), and
    the residuals of reciprocity and closure after the correction: ``thermal.view_factors``."""
    owner = {s.name: p.name for p in parts.parts for s in p.sides}
    names = list(dict.fromkeys(owner[s] for s in exchange.side_names))
    view = exchange.view
    A = view.area_m2
    out = {}
    for P in names:
        rows = [i for i, s in enumerate(exchange.side_names) if owner[s] == P]
        area = A[rows].sum()
        to, sigma = {}, {}
        for Q in names:
            cols = [j for j, s in enumerate(exchange.side_names) if owner[s] == Q]
            f = float(A[rows] @ view.F[np.ix_(rows, cols)].sum(axis=1) / area)
            if f > 0.0:
                to[Q] = f
                sigma[Q] = float(np.sqrt(np.sum((A[rows, None] * view.sigma[np.ix_(rows, cols)]) ** 2)) / area)
        out[P] = {"to": to, "sigma": sigma, "space": float(A[rows] @ view.F_space[rows] / area),
                  "space_sigma": float(np.sqrt(np.sum((A[rows] * view.sigma[rows, -1]) ** 2)) / area)}
    return {"rays_per_side": exchange.rays_per_side, "patches": len(exchange.patches.side),
            "wing_positions": exchange.wing_positions,
            "reciprocity_residual": view.reciprocity_residual(), "closure_residual": view.closure_residual(),
            "parts": out}
