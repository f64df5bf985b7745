"""Exchange between patches of the radiating sides (geometry.rays.patch_grids, radiating_patches;
thermal.exchange.patch_exchange) against a closed form where the patches matter.

Two black 1 m squares sharing an edge at right angles (Howell C-14, F = 0.2000); the floor's
temperature falls from 450 K at the shared edge to 150 K at its far edge, the wall is at 0 K. The
power the wall absorbs from the floor is Q = int_floor sigma T(x)^4 F_dA-wall(x) dA, with the
differential element's view factor to the wall in closed form (the contour formula for a
polygon, Howell, Menguc & Siegel 6th ed. sec. 4.3.2: F = 1/(2 pi) sum_k gamma_k n . (a_k x a_k+1)
/ |a_k x a_k+1|) integrated by Gauss-Legendre. One patch per side (each side's area-mean T^4, the
model before patches) misses a third of it: the hot strip by the edge sees the wall most. The
patch model sum_ij R_ij <T^4>_i (R from the traced patch view factors) converges to it as the
patches are refined.
"""

import math

import numpy as np
import pytest
from numpy.polynomial.legendre import leggauss
from test_view_factors import perpendicular_rectangles

from builders import SIGMA_W_M2K4 as SIGMA

WALL = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]])
X, W = (0.5 * (leggauss(40)[0] + 1.0), 0.5 * leggauss(40)[1])   # Gauss-Legendre on [0, 1]
RAYS = 100_000                                                   # per side, shared by its patches


def temperature_K(x):
    return 450.0 - 300.0 * x


def point_to_polygon(p, n, polygon):
    """View factor from a differential element at p (unit normal n) to a planar polygon."""
    a = polygon - p
    total = 0.0
    for k in range(len(a)):
        u, v = a[k], a[(k + 1) % len(a)]
        c = np.cross(u, v)
        gamma = math.acos(np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1.0, 1.0))
        total += gamma * (n @ c) / np.linalg.norm(c)
    return abs(total) / (2.0 * math.pi)


def exact_W(weight):
    """int_floor weight(x) F_dA-wall dA by 40 x 40 Gauss-Legendre."""
    f = np.array([[point_to_polygon(np.array([x, y, 0.0]), np.array([0.0, 0.0, 1.0]), WALL) for y in X] for x in X])
    return float(W @ (weight(X)[:, None] * f) @ W)


def corner_case(folder):
    """The floor (z = 0, facing +z) and the wall (x = 0, facing +x) as an external mesh of 1/16 m
    facets, black on both sides."""
    import meshio

    from geometry.layout import Panel
    from geometry.rays import _panel_triangles
    p1, t1 = _panel_triangles(Panel("floor", (0, 0, 0), (1, 0, 0), (0, 1, 0)), 1 / 16)
    p2, t2 = _panel_triangles(Panel("wall", (0, 0, 0), (0, 0, 1), (0, 1, 0)), 1 / 16)
    floor = np.r_[np.ones(len(t1)), np.zeros(len(t2))]
    meshio.write(folder / "corner.vtu", meshio.Mesh(np.vstack([p1, p2]), [("triangle", np.vstack([t1, t2 + len(p1)]))],
                                                    cell_data={"group:floor": [floor], "group:wall": [1 - floor]}))
    coat = "{front: {absorptivity: 0.5, emissivity: 1.0}, back: {absorptivity: 0.5, emissivity: 1.0}}"
    (folder / "corner.yaml").write_text(f"""
name: corner
orbit: none
spacecraft:
  mesh: corner.vtu
  parts:
    floor: {{group: floor, thickness: 2 mm, material: Al6061, coating: {coat}, facing: [0, 0, 1]}}
    wall: {{group: wall, thickness: 2 mm, material: Al6061, coating: {coat}, facing: [1, 0, 0]}}
thermal: {{initial_temperature: 300 K}}
solver: {{model: fe, steady: true}}
""")
    return folder / "corner.yaml"


def test_the_exact_integral_reproduces_howell():
    assert exact_W(lambda x: np.ones_like(x)) == pytest.approx(perpendicular_rectangles(1, 1, 1), abs=1e-12)


def patch_model_W(case, patch_m):
    """(Q [W] the wall absorbs from the floor by the patch model, its Monte Carlo standard error,
    patches per side)."""
    from geometry.layout import part_list
    from geometry.rays import patch_grids, radiating_patches, ray_mesh, view_factors
    from thermal.exchange import exchange_conductances
    parts = part_list(case.spacecraft)
    arrays = ray_mesh(case.spacecraft, patch_m)
    patches = radiating_patches(arrays, parts, patch_grids(case.spacecraft, arrays, patch_m))
    vf = view_factors(patches.surfaces, patches.rays(RAYS), seed=3)
    assert vf.reciprocity_residual() < 1e-3 and vf.closure_residual() < 1e-3
    R, _ = exchange_conductances(vf.F, vf.F_space, vf.area_m2, np.ones(len(vf.names)))   # black: R = A F
    mean_E = []
    for k in range(len(vf.names)):                      # the exact area mean of sigma T^4 over each patch
        cells = (patches.surfaces.front == k) | (patches.surfaces.back == k)
        x = patches.surfaces.points[patches.surfaces.triangles[cells]][..., 0]
        lo, hi = x.min(), x.max()
        mean_E.append(W @ (SIGMA * temperature_K(lo + (hi - lo) * X) ** 4))
    mean_E = np.array(mean_E)
    floor = np.array([patches.side_names[s] == "floor.front" for s in patches.side])
    wall = np.array([patches.side_names[s] == "wall.front" for s in patches.side])
    Q = float(mean_E[floor] @ R[np.ix_(floor, wall)].sum(axis=1))
    sigma = float(np.sqrt(np.sum((vf.area_m2[floor, None] * vf.sigma[:, :-1][np.ix_(floor, wall)]
                                  * mean_E[floor, None]) ** 2)))
    return Q, sigma, int(floor.sum())


def test_patches_converge_to_the_exchange_of_a_non_uniform_plate(tmp_path):
    from thermal.case import load_case
    case = load_case(corner_case(tmp_path))
    exact = exact_W(lambda x: SIGMA * temperature_K(x) ** 4)
    results = [patch_model_W(case, size) for size in (1.0, 0.5, 0.25)]
    assert [n for _, _, n in results] == [1, 4, 16]
    errors = [abs(Q - exact) / exact for Q, _, _ in results]
    # one patch per side is the area-mean model: sigma <T^4> A F_12 (within its Monte Carlo error)
    uniform = float(W @ (SIGMA * temperature_K(X) ** 4)) * perpendicular_rectangles(1, 1, 1)
    assert results[0][0] == pytest.approx(uniform, abs=3 * results[0][1])
    assert errors[0] > 0.3                              # the patches matter here
    # halving the patches at least halves the error (first order or better: 2.9 and 4.4 seen), and
    # 4 x 4 patches (the most per edge) are within 4 % (2.7 % seen; Monte Carlo sigma 0.8 %)
    assert errors[1] < errors[0] / 2 and errors[2] < errors[1] / 2
    assert errors[2] < 0.04 + 3 * results[2][1] / exact


def test_patch_grids_of_a_bus_are_its_facets():
    """A bus's patches are the facets of its ray-traced panels (one facet, two triangles, each), of
    at most patch_size a side and no more than MAX_FACETS_PER_EDGE along an edge."""
    from geometry.layout import bus_part_list
    from geometry.rays import MAX_FACETS_PER_EDGE, patch_grids, radiating_patches, ray_mesh
    from thermal.case import load_case

    from builders import ROOT
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    arrays = ray_mesh(case.spacecraft, 0.5)
    grids = patch_grids(case.spacecraft, arrays, 0.5)
    patches = radiating_patches(arrays, bus_part_list(case.spacecraft), grids)
    for k in range(len(patches.side)):
        cells = (patches.surfaces.front == k) | (patches.surfaces.back == k)
        assert cells.sum() == 2
    for grid in grids.values():
        for edge, n in zip((grid.u, grid.v), grid.counts, strict=True):
            length = float(np.linalg.norm(edge))
            assert n == min(MAX_FACETS_PER_EDGE, math.ceil(length / 0.5 - 1e-9))
    # the patches tile each side: their areas add up to the part's
    area = {s.name: p.area_m2 for p in bus_part_list(case.spacecraft).parts for s in p.sides}
    assert patches.indicator().T @ patches.surfaces.areas_m2() == pytest.approx(
        [area[s] for s in patches.side_names], rel=1e-9)
