"""What the sizing's radiator sees of the wings and the body (thermal.sizing.surroundings) against
closed forms, and on the 1 MW case's layout.

- a radiator side facing a gray wall at a known temperature over a view factor F (two directly
  opposed squares, Howell C-11), open to space: the IR it absorbs, with every reflection between
  the two, ``eps_w a_r F sigma T^4 / (1 - F^2 (1 - a_r)(1 - eps_w))`` (a two-surface Gebhart
  series), with an IR absorptivity that differs from the emissivity on either side;
- the sunlight the wall reflects, first order: ``alpha_r F (1 - alpha_w) S``;
- the wing's quasi-steady balance: ``(eps_f + eps_b) sigma T^4 = alpha S - P_el``;
- the layout's ray-traced factors from the radiator close (wings + body + space = 1) and the
  sizing's environment adds the surroundings' flux at every time before the peak is taken.
"""

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from test_view_factors import parallel_rectangles

from thermal.case import load_case
from thermal.case.model import EnvironmentConstants
from thermal.core.library import Coating
from thermal.sizing.surroundings import (
    OtherSide,
    RadiatorSurroundings,
    design_body_temperature_K,
    wing_temperature_K,
)

from builders import SIGMA_W_M2K4 as SIGMA

ROOT = Path(__file__).resolve().parents[2]
F = parallel_rectangles(1.0, 1.0, 0.5)         # 0.415: two unit squares half a metre apart


@pytest.fixture(scope="module")
def sizing():
    return load_case(ROOT / "cases" / "h100_1MW.yaml").sizing


def _with_radiator(sizing, eps, a_ir=None, alpha=0.1):
    c = Coating("test", alpha, eps, "test", alpha, infrared_absorptivity=a_ir)
    return dataclasses.replace(sizing, radiator=dataclasses.replace(sizing.radiator, coating=c))


def _facing_wall(facing, alpha, eps, a_ir=None):
    """A radiator front directly opposed to a wall side (equal areas), both open to space."""
    wall = OtherSide(name="wall_+x.outside", part="wall_+x", role="wall", facing=facing, front=False, area_m2=1.0,
                     absorptivity_bol=alpha, absorptivity_eol=alpha, emissivity=eps,
                     ir_absorptivity=eps if a_ir is None else a_ir, axis=None)
    return RadiatorSurroundings(radiator_sides=("radiator.front",), radiator_front=np.array([True]),
                                radiator_area_m2=np.array([1.0]), others=(wall,),
                                F=np.array([[0.0, F], [F, 0.0]]), F_space=np.array([1.0 - F, 1.0 - F]),
                                sigma_max=0.0)


@pytest.mark.parametrize("eps_r, a_r, eps_w, a_w", [(0.8, None, 0.9, None), (0.6, None, 0.5, None),
                                                    (0.8, 0.4, 0.5, 0.7)])
def test_wall_infrared_with_every_reflection_matches_the_two_surface_series(sizing, eps_r, a_r, eps_w, a_w):
    sz = _with_radiator(sizing, eps_r, a_r)
    # deep space, the sun along body +z: a wall facing -z sees no sun, so only its IR reaches the radiator
    s = _facing_wall((0.0, 0.0, -1.0), 0.3, eps_w, a_w)
    q = s.absorbed_W_m2(None, EnvironmentConstants(), sz, np.zeros(4), two_sided=False)
    T = design_body_temperature_K(sz)
    ar = eps_r if a_r is None else a_r
    aw = eps_w if a_w is None else a_w
    # r absorbs a_r of what arrives; what it reflects (1 - a_r) returns from the wall's (1 - a_w) share
    expected = eps_w * ar * F * SIGMA * T**4 / (1.0 - F * F * (1.0 - ar) * (1.0 - aw))
    assert q.shape == (4, 1)
    assert q[:, 0] == pytest.approx(expected, rel=1e-12)


def test_sunlit_wall_reflects_first_order(sizing):
    sz = _with_radiator(sizing, 0.8, alpha=0.2)
    alpha_w = 0.3
    lit = _facing_wall((0.0, 0.0, 1.0), alpha_w, 0.9)            # faces the deep-space sun
    dark = _facing_wall((0.0, 0.0, -1.0), alpha_w, 0.9)
    env = EnvironmentConstants()
    q_lit = lit.absorbed_W_m2(None, env, sz, np.zeros(3), two_sided=False)
    q_dark = dark.absorbed_W_m2(None, env, sz, np.zeros(3), two_sided=False)
    assert (q_lit - q_dark)[:, 0] == pytest.approx(0.2 * F * (1.0 - alpha_w) * env.solar_constant_W_m2, rel=1e-9)


def test_wing_balance_closes_and_matches_the_closed_form():
    front = OtherSide("wing.front", "wing", "solar_array", "sun", True, 1.0, 0.91, 0.91, 0.85, 0.85, None)
    back = OtherSide("wing.back", "wing", "solar_array", "anti_sun", False, 1.0, 0.9, 0.9, 0.8, 0.8, None)
    E = np.array([[1361.0, 1300.0, 0.0], [0.0, 50.0, 0.0]])
    H = np.array([[0.0, 10.0, 0.0], [0.0, 200.0, 100.0]])
    alpha = np.array([0.91, 0.9])
    heat_in = alpha @ E + np.array([0.85, 0.8]) @ H
    # constant output: T^4 = (Q_in - P) / (sum eps sigma) exactly
    T = wing_temperature_K([front, back], E, H, alpha, lambda T: np.array([300.0, 280.0, 0.0]))
    assert T == pytest.approx(((heat_in - [300.0, 280.0, 0.0]) / (1.65 * SIGMA)) ** 0.25, rel=1e-12)
    assert T[0] == pytest.approx(((0.91 * 1361.0 - 300.0) / (1.65 * SIGMA)) ** 0.25, rel=1e-12)
    # an output falling 0.3 %/K from 0.3 S at 300 K: the balance closes at the temperature found
    def p_el(T):
        return 0.3 * E[0] * (1.0 - 0.003 * (T - 300.0))
    T = wing_temperature_K([front, back], E, H, alpha, p_el)
    assert 1.65 * SIGMA * T**4 == pytest.approx(heat_in - p_el(T), rel=1e-10)


@pytest.fixture(scope="module")
def bus_surroundings(tmp_path_factory):
    import os
    os.environ.setdefault("ORBITAL_THERMAL_CACHE", str(tmp_path_factory.mktemp("vf")))
    from thermal.sizing.surroundings import radiator_surroundings
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    return case, radiator_surroundings(case)


def test_layout_view_factors_from_the_radiator_close(bus_surroundings):
    case, s = bus_surroundings
    assert s is not None
    n = len(s.radiator_sides)
    closure = s.F[:n].sum(axis=1) + s.F_space[:n]
    assert closure == pytest.approx(np.ones(n), abs=1e-3)
    assert s.view_to("solar_array") + s.view_to("wall") + s.view_to(None) == pytest.approx(1.0, abs=1e-3)
    assert s.view_to("solar_array") > 0.0
    off = dataclasses.replace(case, solver=dataclasses.replace(case.solver, radiation_exchange=False))
    from thermal.sizing.surroundings import radiator_surroundings
    assert radiator_surroundings(off) is None


def test_environment_adds_the_surroundings_before_the_peak(bus_surroundings, sizing):
    from thermal.orbit import case_orbit
    from thermal.sizing.orbit_cases import SizingEnvironment
    case, s = bus_surroundings
    plain = SizingEnvironment.of([case_orbit(case.orbit)], case.environment)
    seen = plain.with_surroundings(s)
    added = seen.surroundings_W_m2(sizing)
    assert np.all(added > 0.0)
    assert seen.absorbed_total_W_m2(sizing) == pytest.approx(plain.absorbed_total_W_m2(sizing) + added, rel=1e-12)
    assert np.all(plain.surroundings_W_m2(sizing) == 0.0)
    assert math.isfinite(s.self_share(0.8)) and 0.0 <= s.self_share(0.8) < 0.05
    # the peak (or the average) of the whole flux over the orbit, each term at its own time
    from thermal.exposure import environment_absorbed_W_m2
    geom = case_orbit(case.orbit)
    for basis in ("peak", "orbit_average"):
        sz = dataclasses.replace(sizing, radiator=dataclasses.replace(sizing.radiator, basis=basis))
        r = sz.radiator
        e = environment_absorbed_W_m2(geom, case.environment, sz.attitude, r.facing, r.coating,
                                      sz.coatings_end_of_life, two_sided=r.two_sided, n_time=sz.samples_per_orbit)
        whole = dataclasses.replace(e, absorbed_W_m2=e.absorbed_W_m2 + s.absorbed_W_m2(
            geom, case.environment, sz, e.time_s, r.two_sided))
        assert seen.absorbed_total_W_m2(sz)[0] == pytest.approx(whole.sizing_total_W_m2(basis), rel=1e-12)
        # another body temperature (the junction margin moves the coolant): the kept series serve it
        wider = dataclasses.replace(sz, junction_margin_K=sz.junction_margin_K + 20.0)
        whole = dataclasses.replace(e, absorbed_W_m2=e.absorbed_W_m2 + s.absorbed_W_m2(
            geom, case.environment, wider, e.time_s, r.two_sided))
        assert seen.absorbed_total_W_m2(wider)[0] == pytest.approx(whole.sizing_total_W_m2(basis), rel=1e-12)
    assert seen.absorbed_total_W_m2(wider)[0] < seen.absorbed_total_W_m2(sz)[0]      # a colder body


def test_a_boom_takes_the_wing_out_of_the_radiators_view(bus_surroundings):
    """The h100 bus with its wing 10 m farther out along the yoke: the radiator sees less of it
    (a 9 x 4 m wing beside a 6 x 4 m radiator: the factor falls by more than half) and more space."""
    from thermal.sizing.surroundings import radiator_surroundings
    case, near = bus_surroundings
    sc = case.spacecraft
    far_case = dataclasses.replace(case, spacecraft=dataclasses.replace(
        sc, solar_arrays=tuple(dataclasses.replace(w, boom_m=10.0) for w in sc.solar_arrays)))
    far = radiator_surroundings(far_case)
    assert far.view_to("solar_array") < 0.5 * near.view_to("solar_array")
    assert far.view_to(None) > near.view_to(None)
