"""Where a sun-tracking wing is put at each time (thermal.exchange.turned_wings, the rule the
view factors, the shadows and the viewer share), against the kinematics of a wing on its boom.

A two-axis wing on a boom b (the h100 bus's wing: boom +y from its root on the yoke, cells facing
+z as meshed) is turned by a roll about the boom and a tilt of the boom toward the sun. Closed form:
its front faces the sun s, and its boom goes to b' = (b - (b.s) s) / |b - (b.s) s|, so that
b'.b = sqrt(1 - (b.s)^2) >= 0: the wing stays on its own side of the plane through its root across
the boom, whatever the sun (the smallest rotation from the meshed normal to the sun, used before,
swung the wing over the body, through its root hinge, for every sun below the wing's meshed plane:
half of every orbit of a nadir-pointing bus). A sun circling the boom at a fixed angle, as the sun
does in the body frame of a nadir-pointing spacecraft over an orbit, turns the wing rigidly about
the boom: the placement at a sun turned by phi about the boom is the placement at the first sun
turned by phi about the boom's line through the root. A single-axis wing turns about its axis.
"""

import dataclasses

import numpy as np
import pytest

from builders import ROOT


@pytest.fixture(scope="module")
def bus():
    from geometry.layout import bus_layout
    from geometry.rays import ray_mesh
    from thermal.case import load_case
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    arrays = ray_mesh(case.spacecraft, 0.5)
    panel = bus_layout(case.spacecraft).panels["wing"]
    boom = np.asarray(panel.edge_u, float) / np.linalg.norm(panel.edge_u)
    root = np.asarray(panel.origin, float) + 0.5 * np.asarray(panel.edge_v, float)
    return case, arrays, boom, root


def _placed(spacecraft, arrays, sun):
    from thermal.exchange import turned_wings
    cells = arrays.groups["wing"]
    points = turned_wings(spacecraft, arrays.points, arrays.triangles, {"wing": cells}, np.asarray(sun, float))
    return points, np.unique(arrays.triangles[cells])


def _front_normal(points, arrays):
    a, b, c = points[arrays.triangles[arrays.groups["wing"][0]]]
    n = np.cross(b - a, c - a)
    return n / np.linalg.norm(n)


def _about(axis, angle):
    a = np.asarray(axis, float) / np.linalg.norm(axis)
    K = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * K @ K


# the December sun of the dawn-dusk bus in body axes over an orbit (y: orbit normal, z: zenith), and
# suns from every side
SUNS = [(0.0, -0.857, 0.515), (-0.364, -0.857, -0.364), (0.0, -0.857, -0.515), (0.515, -0.857, 0.0),
        (0.0, 0.0, -1.0), (0.3, 0.9, -0.3), (0.0, -0.14, -0.99)]


@pytest.mark.parametrize("sun", SUNS)
def test_a_two_axis_wing_faces_the_sun_and_stays_on_its_side_of_the_root(bus, sun):
    case, arrays, boom, root = bus
    s = np.asarray(sun) / np.linalg.norm(sun)
    points, wing = _placed(case.spacecraft, arrays, s)
    reference = arrays.points[wing]
    # rigid: distances to the root kept
    assert np.linalg.norm(points[wing] - root, axis=1) == pytest.approx(np.linalg.norm(reference - root, axis=1))
    # its meshed front faces the sun (the sign of the meshed normal: +z at the reference)
    meshed = _front_normal(arrays.points, arrays)
    assert meshed @ [0, 0, 1] > 0
    assert _front_normal(points, arrays) @ s == pytest.approx(1.0, abs=1e-9)
    # the boom tilted toward the sun, the root edge across it: b'.b = sqrt(1 - (b.s)^2)
    # the turn, fitted on the wing's points and its front normal (the points alone are planar)
    R = np.linalg.lstsq(np.vstack([reference - root, meshed]), np.vstack([points[wing] - root, s]), rcond=None)[0].T
    assert R @ R.T == pytest.approx(np.eye(3), abs=1e-9) and np.linalg.det(R) == pytest.approx(1.0)
    turned = R @ boom
    expected = (boom - (boom @ s) * s) / np.linalg.norm(boom - (boom @ s) * s)
    assert turned == pytest.approx(expected, abs=1e-9)
    assert turned @ boom == pytest.approx(np.sqrt(1.0 - (boom @ s) ** 2), abs=1e-9)
    assert np.min((points[wing] - root) @ boom) >= -1e-9
    # the rest of the spacecraft does not move
    others = np.setdiff1d(np.arange(len(arrays.points)), wing)
    assert np.array_equal(points[others], arrays.points[others])


def test_a_sun_circling_the_boom_turns_the_wing_rigidly_about_it(bus):
    case, arrays, boom, root = bus
    first = np.array([0.0, -0.857, 0.515])
    base, wing = _placed(case.spacecraft, arrays, first)
    for phi in np.radians([45.0, 90.0, 135.0, 180.0, 225.0, 300.0]):
        R = _about(boom, phi)
        points, _ = _placed(case.spacecraft, arrays, R @ first)
        assert points[wing] == pytest.approx((base[wing] - root) @ R.T + root, abs=1e-9)


def test_a_single_axis_wing_turns_about_its_axis(bus):
    case, arrays, boom, root = bus
    spec = case.spacecraft
    wing = dataclasses.replace(spec.solar_arrays[0], axis=(0.0, 1.0, 0.0))
    spacecraft = dataclasses.replace(spec, solar_arrays=(wing,))
    for sun in [(0.6, -0.5, 0.62), (0.3, -0.8, -0.52), (0.0, 0.3, -0.95)]:
        points, cells = _placed(spacecraft, arrays, sun)
        s = np.array(sun) - np.array(sun) @ boom * boom
        s /= np.linalg.norm(s)
        assert _front_normal(points, arrays) @ s == pytest.approx(1.0, abs=1e-9)
        assert (points[cells] - root) @ boom == pytest.approx((arrays.points[cells] - root) @ boom, abs=1e-9)
