"""The sizing's array sized for the share of the wings the other parts shade
(thermal.sizing.array_shading), against closed forms and the models' own shadow tables.

- a fixed wing tilted 45 degrees below the side of a flat body, the sun along body +z (deep
  space): the body's shadow covers the wing's root up to where the wing leaves the body's
  footprint, ``(b / cos(theta) - r0) / L`` of its length over its whole width; the factor is the
  lit share, within three Monte Carlo standard errors of the 512 sample points;
- the same wing facing the sun in the body's mid-plane: nothing shades it, the factor is exactly 1;
  with ``solver.radiation_exchange: false`` nothing shades it either (None, a factor of 1);
- on the h100 bus in its orbit, the factor is the models' (the exposure's lit share of the cells,
  96 smoothed steps, weighted by the direct sun on the cells) within the sampling of the sunlit arc;
- the array area of every orbit case rises by exactly 1 / f (1e-9), and nothing else moves.
"""

import math
from pathlib import Path

import numpy as np
import pytest

from geometry.layout import bus_layout
from geometry.parts import SUN_POINTINGS
from thermal.case import load_case
from thermal.exchange import SHADOW_POINTS
from thermal.sizing.array_shading import array_lit_output_fractions

ROOT = Path(__file__).resolve().parents[2]
BODY_M = (1.0, 4.0, 0.2)         # x, y, z: the wing's boom leaves through the +y wall
WING_M = (8.0, 1.0)              # length along the boom, width: the body's x width


def _shade_case(tilt_deg: float, exchange: bool = True):
    """A flat body with one fixed wing on its orbit-normal (+y) yoke, the cells tilted ``tilt_deg``
    from body +z toward +y (the boom then runs down and out), in deep space (sun along +z)."""
    t = math.radians(tilt_deg)
    return load_case({
        "name": "shade", "orbit": "none", "solver": {"model": "network", "radiation_exchange": exchange},
        "spacecraft": {"kind": "bus",
                       "body": {"size": [f"{s} m" for s in BODY_M], "wall": "3 mm", "material": "Al6061",
                                "coating": "white_paint"},
                       "solar_arrays": [{"name": "wing", "size": [f"{s} m" for s in WING_M], "pointing": "fixed",
                                         "facing": [0.0, math.sin(t), math.cos(t)]}]}})


def test_a_wing_tilted_under_the_body_delivers_its_lit_share():
    """Sun along +z; the wing's points at boom distance rho (along u = (0, cos t, -sin t)) lie under
    the body while rho cos t <= b (the body's half length in y) and |x| <= a (the wing is the body's
    width): the shaded share is (b / cos t - r0) / L, r0 the wing's inner edge."""
    case = _shade_case(45.0)
    panel = bus_layout(case.spacecraft).panels["wing"]
    u = np.asarray(panel.edge_u) / np.linalg.norm(panel.edge_u)
    r0 = float(np.asarray(panel.origin) @ u)
    assert abs(panel.edge_v[0]) == pytest.approx(BODY_M[0])          # the shadow spans the wing's width
    shaded = (0.5 * BODY_M[1] / u[1] - r0) / WING_M[0]
    assert 0.05 < shaded < 0.5                                       # a real, partial shade
    (f,) = array_lit_output_fractions(case, [None], case.environment, case.attitude)
    sigma = math.sqrt(shaded * (1.0 - shaded) / SHADOW_POINTS)
    assert f == pytest.approx(1.0 - shaded, abs=3.0 * sigma)


def test_nothing_shades_a_wing_beside_the_body_facing_the_sun():
    """The wing in the body's mid-plane facing the sun: no ray toward the sun meets the body."""
    case = _shade_case(0.0)
    (f,) = array_lit_output_fractions(case, [None], case.environment, case.attitude)
    assert f == 1.0


def test_without_the_exchange_nothing_shades_the_wings():
    """solver.radiation_exchange: false, the models do not shade the wings: no factor (1)."""
    case = _shade_case(45.0, exchange=False)
    assert array_lit_output_fractions(case, [None], case.environment, case.attitude) is None


@pytest.fixture(scope="module")
def bus():
    return load_case(ROOT / "cases" / "h100_bus.yaml")


def test_the_factor_is_the_models_lit_share_weighted_by_the_sun_on_the_cells(bus):
    """The power model's output over the orbit is proportional to the cells' lit share at every
    time (thermal.coupling, on the exposure's 96 smoothed shadow steps); the sizing's factor is the
    ratio of that output's energy to the unshaded one, on its own 48 steps of the sunlit arc."""
    from geometry.layout import part_list
    from thermal.exposure import compute_exposure
    from thermal.orbit import case_orbit
    geom = case_orbit(bus.orbit)
    (f,) = array_lit_output_fractions(bus, [geom], bus.environment, bus.attitude)
    exposure = compute_exposure(part_list(bus.spacecraft), bus.spacecraft, geom, bus.environment, bus.attitude,
                                True, view_factors=bus.solver.view_factors)
    (wing,) = [w for w in bus.spacecraft.solar_arrays if w.pointing in SUN_POINTINGS]
    sun = exposure.sun_irradiance_W_m2 * exposure.wing_cos_incidence[wing.name]
    lit = exposure.wing_lit_share[wing.name]
    t = exposure.time_s
    models = np.trapezoid(sun * lit, t) / np.trapezoid(sun, t)
    assert models < 0.999                                            # the body shades this wing
    assert f == pytest.approx(models, abs=1e-3)               # 1e-4 measured


def test_the_array_area_rises_by_the_shaded_share_and_nothing_else_moves():
    """Every orbit case's array area is P_bus,sun / (per_m2 f): with the traced factors it is the
    unshaded one over f (1e-9); the radiator, the heat and the battery are untouched."""
    import dataclasses

    from thermal.sizing.check import check_case
    from thermal.sizing.design import size_design, size_module
    from thermal.sizing.orbit_cases import sizing_environment
    case = load_case(ROOT / "cases" / "h100_1MW.yaml")
    sizing = dataclasses.replace(case.sizing, refine="none")
    senv = sizing_environment(case, sizing)
    design, _ = size_design(senv, sizing)
    f = array_lit_output_fractions(check_case(case, design, sizing), senv.orbits, senv.env, sizing.attitude)
    assert f is not None and f.shape == (len(senv),) and np.all((f > 0.9) & (f < 1.0))
    plain = size_module(senv, 10, sizing)
    shaded = size_module(senv.with_surroundings(None, f), 10, sizing)
    a0 = np.array([c.array_area_m2 for c in plain.cases])
    a1 = np.array([c.array_area_m2 for c in shaded.cases])
    np.testing.assert_allclose(a1 / a0, 1.0 / f, rtol=1e-9)
    assert shaded.array_area_m2 == pytest.approx(float(np.max(a0 / f)), rel=1e-12)
    for name in ("radiator_area_m2", "heat_W", "battery_capacity_Wh"):
        assert [getattr(c, name) for c in shaded.cases] == [getattr(c, name) for c in plain.cases]


def test_a_factor_per_orbit_case_is_required():
    """The environment refuses a factor that is not one per orbit case."""
    from thermal.case.model import EnvironmentConstants
    from thermal.sizing.orbit_cases import SizingEnvironment
    senv = SizingEnvironment.of([None], EnvironmentConstants())
    with pytest.raises(ValueError, match="array_lit_output_fraction: expected one factor per orbit case"):
        senv.with_surroundings(None, np.ones(2))


def test_one_scene_for_every_direction_traces_what_a_scene_per_direction_does(bus, tmp_path, monkeypatch):
    """lit_share traces the parts that do not move once for every direction and crosses the rays
    with the turned wings' rectangles; shadowing builds the whole turned scene per direction: the
    same sample points and rays, so the same lit shares, over an orbit of the h100 bus (whose body
    shades its wing) and at directions where the wing is edge-on. Traced once: a second process
    reads them from the cache folder."""
    from geometry.layout import part_list
    from geometry.rays import radiating_surfaces, ray_mesh
    from thermal import exchange
    from thermal.core import cache
    from thermal.exchange import _wings, lit_share, shadowing
    from thermal.orbit import case_orbit, sun_vector_body
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(tmp_path))
    cache._KEPT.clear()
    geom = case_orbit(bus.orbit)
    sun = sun_vector_body(geom, np.linspace(0.0, geom.period_s, 97), bus.attitude)
    sun = np.concatenate([sun, [[0.0, 1.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.6, 0.8]]])
    parts, spec, patch = part_list(bus.spacecraft), bus.spacecraft, bus.solver.view_factors.patch_size_m
    sides = ["wing.front", "wing.back", "wall_+y.outside", "radiator.front"]
    fast = lit_share(parts, spec, patch, sun, sides)
    arrays = ray_mesh(spec, patch)
    surfaces = radiating_surfaces(arrays, parts)
    k = [surfaces.names.index(s) for s in sides]
    slow = shadowing(surfaces, _wings(spec, arrays.groups, arrays.triangles), sun, None, only=k)[0][k]
    assert fast[0].min() < 0.99 and slow[1:].min() < 1.0    # the wing's cells and other sides are shaded
    np.testing.assert_array_equal(fast, slow)
    cache._KEPT.clear()
    monkeypatch.setattr(exchange, "_lit_share", lambda *a: pytest.fail("traced again"))
    np.testing.assert_array_equal(lit_share(parts, spec, patch, sun, sides), fast)
