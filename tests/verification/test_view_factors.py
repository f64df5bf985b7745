"""View factors by Monte Carlo ray tracing (geometry.rays) against Howell's catalogue, and shadowing.

Closed forms: J. R. Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*, 3rd ed.
(http://www.thermalradiation.net), cases C-11 (directly opposed parallel rectangles), C-14
(perpendicular rectangles with a common edge), C-41 (coaxial parallel disks). Tolerance: 1 % or 3
standard errors of the Monte Carlo estimate, whichever is larger (the issue's criterion).
"""

import math

import numpy as np
import pytest

from geometry.rays import Surfaces, cached_view_factors, correct, lit_fractions, view_factors

RAYS = 200_000


def rect(origin, u, v):
    """Points and two triangles of the rectangle origin, +u, +u+v, +v (normal u x v)."""
    o, u, v = (np.asarray(a, float) for a in (origin, u, v))
    return np.array([o, o + u, o + u + v, o + v]), np.array([[0, 1, 2], [0, 2, 3]])


def disk(centre, radius, normal_up=True, segments=720):
    """A regular polygon of many sides (area within 1.3e-5 of the disk's) facing +z or -z."""
    phi = np.linspace(0.0, 2 * math.pi, segments, endpoint=False)
    # the polygon of equal area to the disk: circumradius r sqrt(2 pi / (n sin(2 pi / n)))
    r = radius * math.sqrt(2 * math.pi / (segments * math.sin(2 * math.pi / segments)))
    pts = np.vstack([centre, np.stack([centre[0] + r * np.cos(phi), centre[1] + r * np.sin(phi),
                                       np.full(segments, centre[2])], axis=1)])
    tri = np.array([[0, 1 + k, 1 + (k + 1) % segments] for k in range(segments)])
    return pts, (tri if normal_up else tri[:, ::-1])


def surfaces(*shapes, names=None):
    """One-sided surfaces (the front of each shape), the backs radiating to no listed surface."""
    points, tris, front = [], [], []
    offset = 0
    for k, (p, t) in enumerate(shapes):
        points.append(p)
        tris.append(t + offset)
        front.append(np.full(len(t), k))
        offset += len(p)
    front = np.concatenate(front)
    return Surfaces(np.vstack(points), np.vstack(tris), front, np.full(len(front), -1),
                    tuple(names or (f"s{k}" for k in range(len(shapes)))))


def parallel_rectangles(a, b, c):
    """Howell C-11: F from one a x b rectangle to a directly opposed one at distance c."""
    X, Y = a / c, b / c
    return 2.0 / (math.pi * X * Y) * (
        math.log(math.sqrt((1 + X * X) * (1 + Y * Y) / (1 + X * X + Y * Y)))
        + X * math.sqrt(1 + Y * Y) * math.atan(X / math.sqrt(1 + Y * Y))
        + Y * math.sqrt(1 + X * X) * math.atan(Y / math.sqrt(1 + X * X))
        - X * math.atan(X) - Y * math.atan(Y))


def perpendicular_rectangles(edge, w, h):
    """Howell C-14: F from the w x edge rectangle to the h x edge one, sharing the edge."""
    W, H = w / edge, h / edge
    WH = W * W + H * H
    a = (1 + W * W) * (1 + H * H) / (1 + WH)
    b = W * W * (1 + WH) / ((1 + W * W) * WH)
    c = H * H * (1 + WH) / ((1 + H * H) * WH)
    return 1.0 / (math.pi * W) * (W * math.atan(1 / W) + H * math.atan(1 / H) - math.sqrt(WH) * math.atan(
        1 / math.sqrt(WH)) + 0.25 * (math.log(a) + W * W * math.log(b) + H * H * math.log(c)))


def coaxial_disks(r1, r2, h):
    """Howell C-41: F from the disk of radius r1 to the coaxial parallel one of radius r2 at h."""
    R1, R2 = r1 / h, r2 / h
    X = 1 + (1 + R2 * R2) / (R1 * R1)
    return 0.5 * (X - math.sqrt(X * X - 4 * (R2 / R1) ** 2))


def assert_close(vf, i, j, exact):
    tol = max(0.01 * exact, 3.0 * vf.sigma[i, j])
    assert abs(vf.F[i, j] - exact) <= tol, (vf.F[i, j], exact, tol)


def test_closed_forms_are_howells_tabulated_values():
    # the catalogue's own numbers for unit geometry
    assert parallel_rectangles(1, 1, 1) == pytest.approx(0.19982, abs=1e-5)
    assert perpendicular_rectangles(1, 1, 1) == pytest.approx(0.20004, abs=1e-5)
    assert coaxial_disks(1, 1, 1) == pytest.approx(0.38197, abs=1e-5)


@pytest.mark.parametrize("a, b, c", [(1.0, 1.0, 1.0), (2.0, 0.5, 0.4)])
def test_directly_opposed_parallel_rectangles(a, b, c):
    s = surfaces(rect((0, 0, 0), (a, 0, 0), (0, b, 0)), rect((0, 0, c), (0, b, 0), (a, 0, 0)))
    vf = view_factors(s, RAYS, seed=1)
    exact = parallel_rectangles(a, b, c)
    assert_close(vf, 0, 1, exact)
    assert_close(vf, 1, 0, exact)
    assert vf.F_space[0] == pytest.approx(1 - exact, abs=max(0.01 * exact, 3 * vf.sigma[0, 1]))


@pytest.mark.parametrize("edge, w, h", [(1.0, 1.0, 1.0), (2.0, 1.0, 0.5)])
def test_perpendicular_rectangles_sharing_an_edge(edge, w, h):
    # surface 0: w x edge in the x-y plane facing +z; surface 1: h x edge in the y-z plane facing +x
    s = surfaces(rect((0, 0, 0), (w, 0, 0), (0, edge, 0)), rect((0, 0, 0), (0, edge, 0), (0, 0, h)))
    vf = view_factors(s, RAYS, seed=2)
    exact = perpendicular_rectangles(edge, w, h)
    assert_close(vf, 0, 1, exact)
    assert_close(vf, 1, 0, exact * w / h)          # reciprocity: A_1 F_10 = A_0 F_01


@pytest.mark.parametrize("r1, r2, h", [(1.0, 1.0, 1.0), (0.5, 1.5, 2.0)])
def test_coaxial_parallel_disks(r1, r2, h):
    s = surfaces(disk((0, 0, 0), r1, normal_up=True), disk((0, 0, h), r2, normal_up=False))
    vf = view_factors(s, RAYS, seed=3)
    exact = coaxial_disks(r1, r2, h)
    assert_close(vf, 0, 1, exact)
    assert_close(vf, 1, 0, exact * r1 ** 2 / r2 ** 2)


def test_correction_enforces_reciprocity_and_closure_on_a_box_of_panels():
    # an open box: a floor, three walls and a lid above a gap, at a low ray count (a noisy estimate)
    shapes = [rect((0, 0, 0), (1, 0, 0), (0, 1, 0)),                 # floor, up
              rect((0, 0, 0), (0, 0, 1), (1, 0, 0)),                 # y = 0 wall, facing +y
              rect((0, 0, 0), (0, 1, 0), (0, 0, 1)),                 # x = 0 wall, facing +x
              rect((1, 0, 0), (0, 0, 1), (0, 1, 0)),                 # x = 1 wall, facing -x
              rect((0, 0, 1.3), (0, 1, 0), (1, 0, 0))]               # lid, facing down
    s = surfaces(*shapes)
    raw = view_factors(s, 2_000, seed=4, corrected=False)
    assert raw.reciprocity_residual() > 1e-3                       # the raw estimate does not hold it
    vf = correct(raw)
    assert vf.reciprocity_residual() < 1e-3
    assert vf.closure_residual() < 1e-3
    assert np.all(vf.F >= 0) and np.all(vf.F_space >= 0)
    # the correction moves each factor by about its statistical error, not more
    assert np.max(np.abs(vf.F - raw.F)) < 5 * np.max(raw.sigma)


def test_cache_reuses_the_factors(tmp_path, monkeypatch):
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(tmp_path))
    s = surfaces(rect((0, 0, 0), (1, 0, 0), (0, 1, 0)), rect((0, 0, 0.7), (0, 1, 0), (1, 0, 0)))
    first = cached_view_factors(s, 5_000, seed=9)
    (kept,) = tmp_path.glob("*.npz")
    from geometry import rays
    from thermal.core import cache
    cache._KEPT.clear()                                  # a new process: read from the file, not traced
    monkeypatch.setattr(rays, "view_factors", lambda *a: pytest.fail("traced again"))
    again = cached_view_factors(s, 5_000, seed=9)
    assert np.array_equal(first.F, again.F) and np.array_equal(first.sigma, again.sigma)
    # a damaged file is traced again, to the same factors
    kept.write_bytes(b"not a zip file")
    cache._KEPT.clear()
    monkeypatch.undo()
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(tmp_path))
    assert np.array_equal(cached_view_factors(s, 5_000, seed=9).F, first.F)


def test_read_only_cache_is_skipped(tmp_path, monkeypatch):
    # a cache folder that cannot be made (under a file: refused to root as well as to users)
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(blocker / "cache"))
    monkeypatch.chdir(tmp_path)
    s = surfaces(rect((0, 0, 0), (1, 0, 0), (0, 1, 0)), rect((0, 0, 0.5), (0, 1, 0), (1, 0, 0)))
    vf = cached_view_factors(s, 3_000, seed=11)
    assert vf.closure_residual() < 1e-3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]     # nothing written in the cwd


# ---------------------------------------------------------------------------------------------
# Shadowing
# ---------------------------------------------------------------------------------------------

POINTS = 40_000   # sigma of a half-lit fraction: 0.25 %


def test_plate_fully_behind_another_receives_no_sun():
    # plate 0 at z = 0, plate 1 (larger) above it at z = 1; sun along +z
    s = surfaces(rect((0, 0, 0), (1, 0, 0), (0, 1, 0)), rect((-0.1, -0.1, 1), (1.2, 0, 0), (0, 1.2, 0)))
    lit = lit_fractions(s, [[0.0, 0.0, 1.0]], POINTS)
    assert 1.0 - lit[0, 0] == pytest.approx(1.0, abs=0.01)      # shadow fraction 1
    assert lit[1, 0] == 1.0


def test_half_covered_plate_is_half_lit():
    s = surfaces(rect((0, 0, 0), (1, 0, 0), (0, 1, 0)), rect((0.5, -0.5, 1), (1.0, 0, 0), (0, 2.0, 0)))
    lit = lit_fractions(s, [[0.0, 0.0, 1.0]], POINTS)
    assert 1.0 - lit[0, 0] == pytest.approx(0.5, abs=0.01)


def test_oblique_sun_moves_the_shadow():
    # a cover over x in [0.5, 1.5] at height 1 above the floor x in [0, 1]: overhead sun, half the
    # floor in its shadow; sun at 45 deg from -x, the rays from the floor reach z = 1 at x - 1 < 0.5
    s = surfaces(rect((0, 0, 0), (1, 0, 0), (0, 1, 0)), rect((0.5, -1, 1), (1.0, 0, 0), (0, 3.0, 0)))
    d = np.array([-1.0, 0.0, 1.0]) / math.sqrt(2)
    lit = lit_fractions(s, [d, [0.0, 0.0, 1.0]], POINTS)
    assert 1.0 - lit[0, 0] == pytest.approx(0.0, abs=0.01)      # the cover's shadow misses the floor
    assert 1.0 - lit[0, 1] == pytest.approx(0.5, abs=0.01)


# ---------------------------------------------------------------------------------------------
# The spacecraft's own surfaces
# ---------------------------------------------------------------------------------------------

def test_the_bus_surfaces_are_its_radiating_sides():
    """Every radiating side of the h100 bus is a surface of its own area; the sides that face each
    other across the radiator's hinge see each other, the sides facing away do not."""
    from geometry.layout import part_list
    from geometry.rays import radiating_surfaces, ray_mesh

    from builders import h100_bus
    spec = h100_bus()
    parts = part_list(spec)
    s = radiating_surfaces(ray_mesh(spec, 0.5), parts)
    sides = {side.name: side.area_m2 for p in parts.parts for side in p.sides}
    assert set(s.names) == set(sides)
    assert dict(zip(s.names, s.areas_m2(), strict=True)) == pytest.approx(sides, rel=1e-12)
    vf = view_factors(s, 20_000, seed=7)
    F = {(a, b): vf.F[i, j] for i, a in enumerate(s.names) for j, b in enumerate(s.names)}
    # the zenith-facing radiator hinges at the top of the +x wall: its back (nadir) sees that wall's
    # outside, its front (zenith) sees no wall; the -z wall sees nothing of the spacecraft
    assert F["wall_+x.outside", "radiator.back"] > 0.2
    assert all(F["radiator.front", w] == 0.0 for w in s.names if w.startswith("wall"))
    assert vf.F_space[s.names.index("wall_-z.outside")] == pytest.approx(1.0)
    assert vf.reciprocity_residual() < 1e-3 and vf.closure_residual() < 1e-3


@pytest.mark.parametrize("axis", [(0.0, 1.0, 0.0), (0.0, 0.0, 1.0)])
def test_a_tracking_wing_has_its_cell_side_in_front_whatever_its_axis(axis):
    """A wing turning about body z is meshed with its cells facing body x (not the sun reference
    normal, z): its two sides are still two surfaces of the wing's area, the cell side the front."""
    import dataclasses

    from geometry.layout import part_list
    from geometry.rays import radiating_surfaces, ray_mesh

    from builders import h100_bus
    spec = h100_bus()
    spec = dataclasses.replace(spec, solar_arrays=(dataclasses.replace(spec.solar_arrays[0], axis=axis),))
    s = radiating_surfaces(ray_mesh(spec, 0.5), part_list(spec))
    areas = dict(zip(s.names, s.areas_m2(), strict=True))
    assert [areas["wing.front"], areas["wing.back"]] == pytest.approx([36.0, 36.0], rel=1e-12)
    wing = s.names.index("wing.front")
    assert np.all(s.front[s.back == wing] < 0) and np.any(s.front == wing)
