"""Gray diffuse exchange between parts (thermal.exchange) against closed forms, and in the network model.

- two-surface enclosure (a cube's floor and its other five faces as one surface, F_12 = 1): the
  net exchange sigma (T1^4 - T2^4) / ((1 - e1)/(e1 A1) + 1/(A1 F12) + (1 - e2)/(e2 A2))
  (Incropera & DeWitt, 6th ed., eq. 13.23);
- two directly opposed squares open to space: each plate's net loss from Oppenheim's radiosity
  network (Incropera eq. 13.19-13.21) over Howell's closed-form view factor, solved here;
- an isolated heated plate facing an unheated one in deep space, through the case reader and the
  network model: both equilibrium temperatures within 0.5 % of the radiosity network's, and the
  energy balance.
"""

import math

import numpy as np
import pytest
from scipy.optimize import fsolve
from test_view_factors import parallel_rectangles, rect, surfaces

from geometry.rays import view_factors
from thermal.exchange import exchange_conductances, gebhart, reflected_W_m2

from builders import SIGMA_W_M2K4 as SIGMA

RAYS = 200_000


def test_gebhart_rows_close_and_conductances_are_reciprocal():
    F = np.array([[0.0, 0.3, 0.1], [0.15, 0.0, 0.2], [0.05, 0.2, 0.1]])
    A = np.array([1.0, 2.0, 2.0])
    F[1, 0], F[2, 0], F[2, 1] = A[0] * F[0, 1] / A[1], A[0] * F[0, 2] / A[2], A[1] * F[1, 2] / A[2]
    Fs = 1.0 - F.sum(axis=1)
    eps = np.array([0.9, 0.5, 0.2])
    B, Bs = gebhart(F, Fs, eps)
    assert B.sum(axis=1) + Bs == pytest.approx(np.ones(3), abs=1e-12)
    R, E = exchange_conductances(F, Fs, A, eps)
    assert np.allclose(R, R.T, atol=1e-12)
    # each side's emission eps A goes either to space or to the others: E_i + sum_j R_ij + eps A B_ii
    assert E + R.sum(axis=1) + eps * A * np.diag(B) == pytest.approx(eps * A, rel=1e-12)


def test_two_surface_enclosure_matches_the_closed_form():
    # floor (front up, into the cube) and the five other faces (fronts inward) as one surface
    floor = rect((0, 0, 0), (1, 0, 0), (0, 1, 0))
    faces = [rect((0, 0, 1), (0, 1, 0), (1, 0, 0)),          # lid, facing down
             rect((0, 0, 0), (0, 0, 1), (1, 0, 0)),          # y = 0, facing +y
             rect((0, 1, 0), (1, 0, 0), (0, 0, 1)),          # y = 1, facing -y
             rect((0, 0, 0), (0, 1, 0), (0, 0, 1)),          # x = 0, facing +x
             rect((1, 0, 0), (0, 0, 1), (0, 1, 0))]          # x = 1, facing -x
    s = surfaces(floor, *faces)
    one = s.front.copy()
    one[one > 0] = 1
    from geometry.rays import Surfaces
    s = Surfaces(s.points, s.triangles, one, s.back, ("floor", "rest"))
    vf = view_factors(s, RAYS, seed=5)
    assert vf.F[0, 1] == pytest.approx(1.0, abs=1e-6)              # a closed box: no ray escapes
    A = vf.area_m2
    assert A == pytest.approx([1.0, 5.0])
    e1, e2, T1, T2 = 0.8, 0.3, 400.0, 300.0
    R, E = exchange_conductances(vf.F, vf.F_space, A, np.array([e1, e2]))
    tool = SIGMA * R[0, 1] * (T1 ** 4 - T2 ** 4)
    exact = SIGMA * (T1 ** 4 - T2 ** 4) / ((1 - e1) / (e1 * A[0]) + 1.0 / A[0] + (1 - e2) / (e2 * A[1]))
    assert tool == pytest.approx(exact, rel=0.01)
    assert E == pytest.approx([0.0, 0.0], abs=1e-6)


def oppenheim_losses(F12, A, eps, T):
    """Net radiative loss of each of two plates (one side each) facing each other and space:
    Oppenheim's network, radiosities J solved from the surface and space resistances."""
    Eb = SIGMA * np.asarray(T, float) ** 4
    a = np.asarray(A, float)
    F = np.array([[0.0, F12], [F12 * a[0] / a[1], 0.0]])
    Fs = 1.0 - F.sum(axis=1)
    M = np.zeros((2, 2))
    rhs = np.zeros(2)
    for i in range(2):
        g = eps[i] * a[i] / (1 - eps[i])
        M[i, i] += g + a[i] * (F[i, 1 - i] + Fs[i])
        M[i, 1 - i] -= a[i] * F[i, 1 - i]
        rhs[i] = g * Eb[i]
    J = np.linalg.solve(M, rhs)
    return np.array([eps[i] * a[i] / (1 - eps[i]) * (Eb[i] - J[i]) for i in range(2)])


def test_opposed_squares_open_to_space_match_the_radiosity_network():
    gap = 0.25
    s = surfaces(rect((0, 0, 0), (1, 0, 0), (0, 1, 0)), rect((0, 0, gap), (0, 1, 0), (1, 0, 0)))
    vf = view_factors(s, RAYS, seed=6)
    eps, T = np.array([0.85, 0.6]), np.array([350.0, 250.0])
    R, E = exchange_conductances(vf.F, vf.F_space, vf.area_m2, eps)
    T4 = T ** 4
    tool = SIGMA * (E * T4 + R[0, 1] * (T4 - T4[::-1]))
    exact = oppenheim_losses(parallel_rectangles(1, 1, gap), vf.area_m2, eps, T)
    assert tool == pytest.approx(exact, rel=0.01)


def test_reflected_light_first_order():
    # side 0 receives 1000 W/m^2, reflects 1 - 0.3; side 1 sees it over F_10 = 0.4 and absorbs 0.8
    F = np.array([[0.0, 0.2], [0.4, 0.0]])
    q = reflected_W_m2(F, np.array([0.3, 0.8]), np.array([0.9, 0.9]), np.array([[1000.0], [0.0]]),
                       np.zeros((2, 1)))
    assert q[1, 0] == pytest.approx(0.8 * 0.4 * 0.7 * 1000.0)
    assert q[0, 0] == 0.0


# ---------------------------------------------------------------------------------------------
# A heated plate facing an unheated one in deep space, network model
# ---------------------------------------------------------------------------------------------

SIZE, GAP, EPS, HEAT_W = 1.0, 0.5, 0.8, 500.0


def plate_pair_case(folder, model="network", exchange=True):
    """Two 1 m squares facing each other across 0.5 m along body x (edge-on to the deep-space sun
    along +z), plate `hot` carrying 500 W; both sides of both at eps 0.8, alpha 0."""
    import meshio

    from geometry.layout import Panel
    from geometry.rays import _panel_triangles
    p1, t1 = _panel_triangles(Panel("hot", (0, 0, 0), (0, 1, 0), (0, 0, 1)), 0.125)    # x = 0, facing +x
    p2, t2 = _panel_triangles(Panel("cold", (GAP, 0, 0), (0, 0, 1), (0, 1, 0)), 0.125)  # x = GAP, facing -x
    pts = np.vstack([p1, p2])
    tri = np.vstack([t1, t2 + len(p1)])
    hot = np.r_[np.ones(len(t1)), np.zeros(len(t2))]
    mesh = meshio.Mesh(pts, [("triangle", tri)], cell_data={"group:hot": [hot], "group:cold": [1 - hot]})
    meshio.write(folder / "pair.vtu", mesh)
    coat = "{front: {absorptivity: 0.0, emissivity: 0.8}, back: {absorptivity: 0.0, emissivity: 0.8}}"
    text = f"""
name: plate_pair
orbit: none
spacecraft:
  mesh: pair.vtu
  parts:
    hot: {{group: hot, thickness: 2 mm, material: Al6061, coating: {coat}, facing: [1, 0, 0]}}
    cold: {{group: cold, thickness: 2 mm, material: Al6061, coating: {coat}, facing: [-1, 0, 0]}}
thermal: {{initial_temperature: 300 K, dissipation: {{hot: {HEAT_W} W}}}}
solver: {{model: {model}, steady: true, radiation_exchange: {str(exchange).lower()}, mesh_size: 10 cm,
          view_factors: {{rays: 200000}}}}
"""
    path = folder / "pair.yaml"
    path.write_text(text)
    return path


def plate_pair_exact():
    """(T_hot, T_cold) from the radiosity network: the facing sides exchange over Howell's F, the
    four sides see space over the rest; the hot plate loses HEAT_W, the cold one nothing."""
    F = parallel_rectangles(SIZE, SIZE, GAP)
    A = SIZE * SIZE

    def residual(T):
        facing = oppenheim_losses(F, [A, A], [EPS, EPS], T)          # the two facing sides
        backs = EPS * A * SIGMA * np.asarray(T) ** 4                  # the outer sides, to space only
        return [(facing[0] + backs[0] - HEAT_W) / HEAT_W, (facing[1] + backs[1]) / HEAT_W]

    return fsolve(residual, [330.0, 250.0], xtol=1e-13)


@pytest.mark.parametrize("model", ["network", "fe"])
def test_heated_plate_facing_an_unheated_one(tmp_path, monkeypatch, model):
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(tmp_path / "cache"))
    from thermal.case import load_case
    from thermal.simulation import simulate
    run = simulate(load_case(plate_pair_case(tmp_path, model)))
    T_hot, T_cold = plate_pair_exact()
    h = run.thermal
    assert float(h.part_T_mean_K["hot"][-1]) == pytest.approx(T_hot, rel=0.005)
    assert float(h.part_T_mean_K["cold"][-1]) == pytest.approx(T_cold, rel=0.005)
    assert h.energy_balance_error < (1e-6 if model == "network" else 1e-4)
    # without exchange the cold plate has no source at all: the comparison above is a real one
    F = parallel_rectangles(SIZE, SIZE, GAP)
    assert T_cold > 0.6 * T_hot and F == pytest.approx(0.4153, abs=2e-4)
    isolated = (HEAT_W / (2 * EPS * SIGMA)) ** 0.25
    assert abs(T_hot - isolated) > 0.01 * isolated                  # the exchange moves the hot plate too
    if model == "network":
        summary_keys(run, T_hot, T_cold)


def summary_keys(run, T_hot, T_cold):
    """summary.json: thermal.view_factors and, per part, the shadow fraction and the sink temperature."""
    from thermal.outputs.summary import summarize
    d = summarize(run).to_dict()["thermal"]
    vf = d["view_factors"]
    F = parallel_rectangles(SIZE, SIZE, GAP)
    # a part's factor to the other is area-weighted over its two sides: (F + 0) / 2
    assert vf["parts"]["hot"]["to"]["cold"] == pytest.approx(F / 2, abs=3 * vf["parts"]["hot"]["sigma"]["cold"])
    assert vf["parts"]["hot"]["space"] == pytest.approx(1 - F / 2, abs=3 * vf["parts"]["hot"]["space_sigma"])
    assert vf["reciprocity_residual"] < 1e-3 and vf["closure_residual"] < 1e-3
    assert d["parts"]["hot"]["shadow_fraction_orbit_avg"] is None      # edge-on to the sun: no sun to shade
    # the cold plate's sink is what holds it: the net loss of an unheated part is zero, so its sink
    # temperature is its own temperature; the hot plate's sink is warmer than deep space
    assert d["parts"]["cold"]["sink_temperature_K"] == pytest.approx(T_cold, rel=1e-3)
    assert 0.0 < d["parts"]["hot"]["sink_temperature_K"] < T_cold


def test_radiation_exchange_defaults_on_for_more_than_one_part(tmp_path):
    from thermal.case import load_case
    path = plate_pair_case(tmp_path)
    path.write_text(path.read_text().replace(" radiation_exchange: true,", ""))
    assert load_case(path).solver.radiation_exchange is True
    assert math.isclose(load_case(path).solver.view_factors.patch_size_m, 0.5)


@pytest.mark.parametrize("text, key", [("view_factors: {rays: 10}", "solver.view_factors.rays"),
                                       ("view_factors: {patch_size: 3}", "solver.view_factors.patch_size"),
                                       ("view_factors: {ray: 1000}", "solver.view_factors.ray"),
                                       ("radiation_exchange: 1", "solver.radiation_exchange")])
def test_bad_exchange_keys_name_their_path(tmp_path, text, key):
    from thermal.case import load_case
    from thermal.core.errors import CaseError
    path = plate_pair_case(tmp_path)
    text = path.read_text().replace(" radiation_exchange: true,", "").replace("view_factors: {rays: 200000}", text)
    path.write_text(text)
    with pytest.raises(CaseError) as err:
        load_case(path)
    assert key in str(err.value)


def stacked_plates_case(folder, offset_m):
    """Two 1 m squares in deep space facing the sun (+z): `lower` at z = 0, `upper` 0.5 m above it,
    shifted by ``offset_m`` along x."""
    import meshio
    p1, t1 = rect((0, 0, 0), (1, 0, 0), (0, 1, 0))
    p2, t2 = rect((offset_m, 0, 0.5), (1, 0, 0), (0, 1, 0))
    mesh = meshio.Mesh(np.vstack([p1, p2]), [("triangle", np.vstack([t1, t2 + 4]))],
                       cell_data={"group:lower": [np.array([1, 1, 0, 0])], "group:upper": [np.array([0, 0, 1, 1])]})
    meshio.write(folder / "stack.vtu", mesh)
    coat = "{front: {absorptivity: 0.9, emissivity: 0.8}, back: {absorptivity: 0.9, emissivity: 0.8}}"
    path = folder / "stack.yaml"
    path.write_text(f"""
name: stack
orbit: none
spacecraft:
  mesh: stack.vtu
  parts:
    lower: {{group: lower, thickness: 2 mm, material: Al6061, coating: {coat}, facing: [0, 0, 1]}}
    upper: {{group: upper, thickness: 2 mm, material: Al6061, coating: {coat}, facing: [0, 0, 1]}}
solver: {{model: network, steady: true}}
""")
    return path


@pytest.mark.parametrize("offset, shadow", [(0.0, 1.0), (0.5, 0.5), (1.5, 0.0)])
def test_shadow_fraction_of_a_plate_behind_another(tmp_path, monkeypatch, offset, shadow):
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(tmp_path / "cache"))
    from geometry.layout import part_list
    from thermal.case import load_case
    from thermal.exposure import compute_exposure
    case = load_case(stacked_plates_case(tmp_path, offset))
    parts = part_list(case.spacecraft)
    exposure = compute_exposure(parts, case.spacecraft, None, case.environment, case.attitude, True,
                                case.solver.view_factors)
    # SHADOW_POINTS = 512 sample points: standard error of a half-lit side 2.2 %
    assert exposure.shadow_fraction["lower"] == pytest.approx(shadow, abs=0.066 if 0 < shadow < 1 else 1e-12)
    assert exposure.shadow_fraction["upper"] == 0.0
    plain = compute_exposure(parts, case.spacecraft, None, case.environment, case.attitude, True)
    k = exposure.side_names.index("lower.front")
    # the lower plate's front: the unshaded share of the direct sun, plus the light the upper plate's
    # back reflects onto it (none: the upper back faces away from the sun and the Earth is absent)
    assert exposure.absorbed_W_m2[k, 0] == pytest.approx((1.0 - exposure.shadow_fraction["lower"])
                                                         * plain.absorbed_W_m2[k, 0], rel=1e-12)


def test_sink_temperature_replaces_the_environment(tmp_path):
    """A 1 m^2 plate in full sun with 300 W inside and an effective sink of 250 K: both sides lose
    eps sigma (T^4 - T_sink^4), whatever the sun: T^4 = Q / (2 eps sigma A) + T_sink^4."""
    from thermal.case import load_case
    from thermal.core.errors import CaseError
    from thermal.simulation import simulate
    path = tmp_path / "sink.yaml"
    text = """
name: sink
orbit: none
spacecraft: {kind: plate, name: plate, size: [1 m, 1 m], thickness: 2 mm, material: Al6061,
             coating: {absorptivity: 0.9, emissivity: 0.8}, facing: sun}
thermal: {initial_temperature: 300 K, dissipation: {plate: 300 W}, sink_temperature: {plate: 250 K}}
solver: {model: network, steady: true}
"""
    path.write_text(text)
    run = simulate(load_case(path))
    T = float(run.thermal.part_T_mean_K["plate"][-1])
    assert T == pytest.approx((300.0 / (2 * 0.8 * SIGMA) + 250.0 ** 4) ** 0.25, rel=1e-6)
    from thermal.outputs.summary import summarize
    d = summarize(run).to_dict()["thermal"]
    assert "view_factors" not in d and "sink_temperature_K" not in d["parts"]["plate"]   # one part: no exchange
    path.write_text(text.replace("sink_temperature: {plate: 250 K}", "sink_temperature: {deck: 250 K}"))
    with pytest.raises(CaseError, match="thermal.sink_temperature.deck"):
        load_case(path)
    path.write_text(text.replace("{plate: 250 K}", "{plate: -3 K}"))
    with pytest.raises(CaseError, match="thermal.sink_temperature.plate"):
        load_case(path)
