"""Analytic part list and panel layout (numpy only: no gmsh, no DOLFINx)."""

import dataclasses
import itertools

import numpy as np
import pytest

from geometry.layout import bus_layout, footprint_grid, gpu_footprints, part_list, plate_panel
from geometry.parts import (
    EDGE_JOINT_W_PER_MK,
    HINGE_GAP_M,
    RADIATOR_HINGE_W_K,
    UNIT_FILL,
    UNIT_STANDOFF_M,
    WING_YOKE_W_K,
    YOKE_CLEARANCE_M,
    opposite_facing,
    side_normal,
)
from geometry.spec import BodySpec, BusSpec, DeckSpec, PlateSpec, RadiatorSpec, SolarArraySpec, UnitSpec
from thermal.core.errors import CaseError
from thermal.core.library import COATINGS, MATERIALS

AL = MATERIALS["Al6061"]
CFRP = MATERIALS["CFRP"]


def h100_bus(radiators=None, wings=None, gpu_count=8) -> BusSpec:
    """The bus of cases/h100_bus.yaml: 1.2 x 1.0 x 0.8 m, one 24 m^2 two-sided radiator (6 x 4 m),
    one 36 m^2 sun-tracking wing (9 x 4 m), 8 GPUs on 12 cm cold plates."""
    body = BodySpec((1.2, 1.0, 0.8), 0.003, AL, COATINGS["white_paint"])
    deck = DeckSpec(0.004, AL, gpu_count, (0.12, 0.12))
    rad = RadiatorSpec("radiator", (6.0, 4.0), 0.0015, AL, COATINGS["osr"], COATINGS["osr"],
                       "zenith", True)
    wing = SolarArraySpec("wing", (9.0, 4.0), 0.002, CFRP, COATINGS["solar_cell"],
                          COATINGS["black_paint"], "sun_tracking", "zenith", (0.0, 1.0, 0.0))
    return BusSpec(body, deck, tuple([rad] if radiators is None else radiators),
                   tuple([wing] if wings is None else wings))


def test_side_normal_and_opposites():
    assert np.allclose(side_normal("zenith"), [0, 0, 1])
    assert np.allclose(side_normal("anti_orbit_normal"), [0, -1, 0])
    assert np.allclose(side_normal((0.0, 3.0, 4.0)), [0, 0.6, 0.8])
    assert side_normal("sun") == "sun" and side_normal("anti_sun") == "anti_sun"
    assert opposite_facing("zenith") == "nadir"
    assert opposite_facing("velocity") == "anti_velocity"
    assert opposite_facing("sun") == "anti_sun"
    assert opposite_facing((0.0, 0.6, 0.8)) == (0.0, -0.6, -0.8)
    with pytest.raises(ValueError):
        side_normal("up")
    with pytest.raises(ValueError):
        side_normal((0.0, 0.0, 0.0))


def test_plate_part_list_by_hand():
    spec = PlateSpec("plate", (1.0, 0.5), 0.001, AL, "nadir", COATINGS["black_paint"],
                     COATINGS["white_paint"])
    plist = part_list(spec)
    (p,) = plist.parts
    assert p.role == "plate" and plist.joints == ()
    assert p.area_m2 == pytest.approx(0.5, rel=1e-12)
    assert p.mass_kg == pytest.approx(0.5 * 0.001 * 2700.0, rel=1e-12)   # 1.35 kg
    front, back = p.sides
    assert (front.name, front.facing, front.coating.name) == ("plate.front", "nadir", "black_paint")
    assert (back.name, back.facing, back.coating.name) == ("plate.back", "zenith", "white_paint")
    panel = plate_panel(spec)
    assert np.allclose(panel.normal, [0, 0, -1]) and panel.area_m2 == pytest.approx(0.5)
    assert np.allclose(panel.corners.mean(axis=0), 0.0)


def test_bus_part_list_areas_masses_by_hand():
    plist = part_list(h100_bus())
    rho, t_wall = 2700.0, 0.003
    by_hand = {  # one-side area [m^2], mass [kg]
        "wall_+x": (1.0 * 0.8, 1.0 * 0.8 * t_wall * rho),       # 6.48 kg
        "wall_-x": (0.8, 6.48),
        "wall_+y": (1.2 * 0.8, 1.2 * 0.8 * t_wall * rho),       # 7.776 kg
        "wall_-y": (0.96, 7.776),
        "wall_+z": (1.2 * 1.0, 1.2 * t_wall * rho),             # 9.72 kg
        "wall_-z": (1.2, 9.72),
        "deck": (1.2, 1.2 * 0.004 * rho),                        # 12.96 kg
        "radiator": (24.0, 24.0 * 0.0015 * rho),                 # 97.2 kg
        "wing": (36.0, 36.0 * 0.002 * 1600.0),                   # 115.2 kg
    }
    assert set(plist.names) == set(by_hand)
    for name, (area, mass) in by_hand.items():
        assert plist[name].area_m2 == pytest.approx(area, rel=1e-12), name
        assert plist[name].mass_kg == pytest.approx(mass, rel=1e-12), name
    assert sum(p.mass_kg for p in plist.parts) == pytest.approx(
        2 * (6.48 + 7.776 + 9.72) + 12.96 + 97.2 + 115.2, rel=1e-12)


def test_bus_sides_and_roles():
    plist = part_list(h100_bus())
    for name in ("wall_+x", "wall_-x", "wall_+y", "wall_-y", "wall_+z", "wall_-z"):
        part = plist[name]
        (side,) = part.sides
        axis = "xyz".index(name[-1])
        expected = np.zeros(3)
        expected[axis] = 1.0 if name[-2] == "+" else -1.0
        assert part.role == "wall" and side.name == f"{name}.outside"
        assert np.allclose(side.facing, expected) and side.coating.name == "white_paint"
    assert plist["deck"].role == "deck" and plist["deck"].sides == ()
    rad = plist["radiator"]
    assert rad.role == "radiator"
    assert [(s.name, s.facing, s.coating.name) for s in rad.sides] == [
        ("radiator.front", "zenith", "osr"), ("radiator.back", "nadir", "osr")]
    wing = plist["wing"]
    assert wing.role == "solar_array"
    assert [(s.name, s.facing, s.coating.name) for s in wing.sides] == [
        ("wing.front", "sun", "solar_cell"), ("wing.back", "anti_sun", "black_paint")]


def test_one_sided_radiator_and_fixed_wing_sides():
    rad = RadiatorSpec("rad1", (3.0, 2.0), 0.002, AL, COATINGS["osr"], COATINGS["mli"],
                       "anti_orbit_normal", False)
    wing = SolarArraySpec("fixed", (4.0, 2.0), 0.002, CFRP, COATINGS["solar_cell"],
                          COATINGS["black_paint"], "fixed", "zenith", (0.0, 1.0, 0.0))
    plist = part_list(h100_bus(radiators=[rad], wings=[wing]))
    assert [(s.facing, s.coating.name) for s in plist["rad1"].sides] == [
        ("anti_orbit_normal", "osr"), ("orbit_normal", "mli")]
    assert [s.facing for s in plist["fixed"].sides] == ["zenith", "nadir"]
    layout = bus_layout(h100_bus(radiators=[rad], wings=[wing]))
    assert np.allclose(layout.panels["rad1"].normal, [0, -1, 0])
    assert np.allclose(layout.panels["fixed"].normal, [0, 0, 1])


def test_bus_joints():
    spec = h100_bus()
    plist = part_list(spec)
    lx, ly, lz = spec.body.size_m
    joints = {frozenset((j.part_a, j.part_b)): j for j in plist.joints}
    assert all(j.source for j in plist.joints)
    # deck flange to the four side walls, per metre of edge
    for wall, length in (("wall_+x", ly), ("wall_-x", ly), ("wall_+y", lx), ("wall_-y", lx)):
        j = joints[frozenset(("deck", wall))]
        assert j.conductance_W_K == pytest.approx(EDGE_JOINT_W_PER_MK * length)
        assert j.length_m == pytest.approx(length) and j.shared_nodes
    assert frozenset(("deck", "wall_+z")) not in joints
    # the 12 box edges
    wall_joints = [j for j in plist.joints if j.part_a.startswith("wall_")
                   and j.part_b.startswith("wall_")]
    assert len(wall_joints) == 12
    assert sum(j.length_m for j in wall_joints) == pytest.approx(4 * (lx + ly + lz))
    assert joints[frozenset(("wall_+x", "wall_+y"))].length_m == pytest.approx(lz)
    assert joints[frozenset(("wall_+x", "wall_+z"))].length_m == pytest.approx(ly)
    # hinge and yoke: disjoint in the mesh, low conductance
    hinge = joints[frozenset(("radiator", "wall_+x"))]
    assert hinge.conductance_W_K == RADIATOR_HINGE_W_K and not hinge.shared_nodes
    assert hinge.length_m == pytest.approx(4.0)
    yoke = joints[frozenset(("wing", "wall_+y"))]
    assert yoke.conductance_W_K == WING_YOKE_W_K and not yoke.shared_nodes
    assert len(plist.joints) == 4 + 12 + 2


def test_footprint_grid_and_layout():
    assert footprint_grid(8, (1.2, 1.0), (0.12, 0.12)) == (4, 2)
    assert footprint_grid(1, (1.2, 1.0), (0.12, 0.12)) == (1, 1)
    assert footprint_grid(16, (1.2, 1.0), (0.12, 0.12)) == (4, 4)
    spec = h100_bus()
    fps = gpu_footprints(spec.body, spec.deck)
    assert list(fps) == [f"gpu{i}" for i in range(8)]
    boxes = []
    for p in fps.values():
        c = p.corners
        assert np.allclose(c[:, 2], 0.0) and np.allclose(p.normal, [0, 0, 1])
        assert p.area_m2 == pytest.approx(0.0144)
        assert c[:, 0].min() > -0.6 and c[:, 0].max() < 0.6
        assert c[:, 1].min() > -0.5 and c[:, 1].max() < 0.5
        boxes.append((c.min(axis=0), c.max(axis=0)))
    for (lo_a, hi_a), (lo_b, hi_b) in itertools.combinations(boxes, 2):
        assert np.any(lo_a[:2] > hi_b[:2]) or np.any(lo_b[:2] > hi_a[:2])   # no overlap
    with pytest.raises(CaseError, match="spacecraft.deck"):
        gpu_footprints(spec.body, DeckSpec(0.004, AL, 200, (0.12, 0.12)))


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    """Separation of the axis-aligned boxes around two corner sets (0 if they overlap)."""
    lo = np.maximum(a.min(axis=0), b.min(axis=0))
    hi = np.minimum(a.max(axis=0), b.max(axis=0))
    return float(np.linalg.norm(np.maximum(lo - hi, 0.0)))


def test_layout_places_deployables_clear_of_body_and_each_other():
    rads = [RadiatorSpec(f"rad{i}", (5.0, 3.0), 0.0015, AL, COATINGS["osr"], COATINGS["osr"],
                         "zenith", True) for i in range(2)]
    wings = [SolarArraySpec(f"wing{i}", (8.0, 3.0), 0.002, CFRP, COATINGS["solar_cell"],
                            COATINGS["black_paint"], "sun_tracking", "zenith", (0.0, 1.0, 0.0))
             for i in range(2)]
    spec = h100_bus(radiators=rads, wings=wings)
    layout = bus_layout(spec)
    assert layout.attached_to == {"rad0": "wall_+x", "rad1": "wall_-x",
                                  "wing0": "wall_+y", "wing1": "wall_-y"}
    body = np.array(list(itertools.product((-0.6, 0.6), (-0.5, 0.5), (-0.4, 0.4))))
    deployables = ["rad0", "rad1", "wing0", "wing1"]
    for name in deployables:
        assert _gap(layout.panels[name].corners, body) >= HINGE_GAP_M - 1e-12, name
    # zenith radiators hinge flush with the top wall
    assert np.allclose(layout.panels["rad0"].corners[:, 2], 0.4)
    assert layout.panels["rad0"].corners[:, 0].min() == pytest.approx(0.6 + HINGE_GAP_M)
    for a, b in itertools.combinations(deployables, 2):
        assert _gap(layout.panels[a].corners, layout.panels[b].corners) > 0.0, (a, b)
    # the wings clear the radiators' span along the tracking axis, so they can turn freely
    assert layout.panels["wing0"].corners[:, 1].min() == pytest.approx(1.5 + YOKE_CLEARANCE_M)
    assert layout.panels["wing1"].corners[:, 1].max() == pytest.approx(-1.5 - YOKE_CLEARANCE_M)
    for name in deployables:
        assert layout.panels[name].area_m2 == pytest.approx(15.0 if "rad" in name else 24.0)


def test_layout_limits_are_case_errors():
    rads = [RadiatorSpec(f"rad{i}", (2.0, 1.0), 0.0015, AL, COATINGS["osr"], COATINGS["osr"],
                         "zenith", True) for i in range(3)]
    # one wing: the third zenith radiator takes the free -y wall
    assert bus_layout(h100_bus(radiators=rads)).attached_to["rad2"] == "wall_-y"
    wing = h100_bus().solar_arrays[0]
    wing1 = SolarArraySpec("wing1", (9.0, 4.0), 0.002, CFRP, COATINGS["solar_cell"],
                           COATINGS["black_paint"], "sun_tracking", "zenith", (0.0, 1.0, 0.0))
    with pytest.raises(CaseError, match=r"spacecraft.radiators\[2\]"):
        bus_layout(h100_bus(radiators=rads, wings=[wing, wing1]))
    with pytest.raises(CaseError, match="spacecraft.solar_arrays"):
        bus_layout(h100_bus(wings=[wing] * 3))


def test_two_axis_wing_hangs_on_the_orbit_normal_yoke():
    wing = SolarArraySpec("wing", (9.0, 4.0), 0.002, CFRP, COATINGS["solar_cell"],
                          COATINGS["black_paint"], "sun_tracking", "zenith", None)
    layout = bus_layout(h100_bus(wings=[wing]))
    assert layout.attached_to["wing"] == "wall_+y"
    assert np.allclose(layout.panels["wing"].normal, [0, 0, 1])   # reference orientation
    assert [s.facing for s in part_list(h100_bus(wings=[wing]))["wing"].sides] == [
        "sun", "anti_sun"]


def test_a_boom_stands_the_wing_off_along_its_yoke():
    """``boom_m`` moves the wing's inner edge that far out along its boom, nothing else."""
    base = bus_layout(h100_bus())
    wing = dataclasses.replace(h100_bus().solar_arrays[0], boom_m=20.0)
    far = bus_layout(h100_bus(wings=[wing]))
    p0, p1 = base.panels["wing"], far.panels["wing"]
    boom = np.asarray(p0.edge_u) / np.linalg.norm(p0.edge_u)
    assert np.allclose(np.asarray(p1.origin) - np.asarray(p0.origin), 20.0 * boom)
    assert np.allclose(p1.edge_u, p0.edge_u) and np.allclose(p1.edge_v, p0.edge_v)
    assert far.attached_to == base.attached_to
    assert {k: v for k, v in far.panels.items() if k != "wing"} == {k: v for k, v in base.panels.items() if k != "wing"}


# --- the boxes inside the body (battery, avionics) -------------------------------------------

def _with_units(units):
    return dataclasses.replace(h100_bus(), units=tuple(units))


BATTERY = UnitSpec("battery", "deck", None, 133.3, 1000.0, "test")
AVIONICS = UnitSpec("avionics", "deck", 30.0, 30.0, 900.0, "test")


def test_units_are_parts_with_their_heat_capacity_and_a_joint_to_their_mount():
    plist = part_list(_with_units([BATTERY, AVIONICS]))
    battery, avionics = plist["battery"], plist["avionics"]
    assert battery.role == "battery" and avionics.role == "avionics"
    assert battery.sides == () and avionics.sides == ()           # blanketed: no radiating side
    # the plate's mass is the unit's: its density is set from the plate's area and thickness
    assert battery.mass_kg == pytest.approx(133.3, rel=1e-12)
    assert battery.mass_kg * battery.material.specific_heat_J_kgK == pytest.approx(133.3e3, rel=1e-12)
    assert avionics.mass_kg * avionics.material.specific_heat_J_kgK == pytest.approx(27.0e3, rel=1e-12)
    joints = {(j.part_a, j.part_b): j for j in plist.joints if "deck" in (j.part_a, j.part_b)
              and {j.part_a, j.part_b} & {"battery", "avionics"}}
    # the battery's default: 0.1 W/K per kg of battery; the avionics' given conductance
    assert joints["battery", "deck"].conductance_W_K == pytest.approx(13.33)
    assert joints["avionics", "deck"].conductance_W_K == 30.0
    assert not any(j.shared_nodes for j in joints.values())       # disjoint meshes: a lumped link


def test_unit_plates_sit_inside_the_body_parallel_to_their_mount_side_by_side():
    on_deck = bus_layout(_with_units([BATTERY, AVIONICS])).panels
    b, a = on_deck["battery"].corners, on_deck["avionics"].corners
    # under the deck (z = 0), UNIT_STANDOFF_M below it, inside the 1.2 x 1.0 m cross-section
    assert np.allclose(b[:, 2], -UNIT_STANDOFF_M) and np.allclose(a[:, 2], -UNIT_STANDOFF_M)
    for c in (b, a):
        assert np.all(np.abs(c[:, 0]) < 0.6) and np.all(np.abs(c[:, 1]) < 0.5)
    # side by side along the deck's longer edge (x), each the middle UNIT_FILL of its half
    assert b[:, 0].max() <= a[:, 0].min() + 1e-12
    assert on_deck["battery"].area_m2 == pytest.approx(UNIT_FILL ** 2 * 0.6 * 1.0)
    on_wall = bus_layout(_with_units([dataclasses.replace(BATTERY, mount="wall_-z")])).panels["battery"]
    assert np.allclose(on_wall.corners[:, 2], -0.4 + UNIT_STANDOFF_M)
    assert on_wall.area_m2 == pytest.approx(UNIT_FILL ** 2 * 1.2 * 1.0)
    side = bus_layout(_with_units([dataclasses.replace(BATTERY, mount="wall_+y")])).panels["battery"]
    assert np.allclose(side.corners[:, 1], 0.5 - UNIT_STANDOFF_M)


def test_a_unit_mounted_on_a_radiator_is_refused():
    with pytest.raises(CaseError, match="body wall or the deck"):
        part_list(_with_units([dataclasses.replace(BATTERY, mount="radiator")]))
