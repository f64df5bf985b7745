"""The part list vocabulary: parts, their radiating sides, joints, and which way a side faces.

Every part is a thin shell (a panel with a thickness) or a solid; every side of a part that sees
space is a `RadiatingSide` with its own area, facing and coating. Parts are connected only through
explicit `Joint`s (or by sharing mesh nodes in the finite-element mesh, which the joint list
mirrors), so nothing is connected by accident. Where the panels sit and the part list of each kind
of spacecraft: :mod:`geometry.layout`.
"""

from dataclasses import dataclass

import numpy as np

from geometry.spec import NAMED_DIRECTIONS, Facing
from thermal.core.library import Coating, Material


@dataclass(frozen=True)
class RadiatingSide:
    name: str            # "<part>.front", "<part>.back", "<part>.+x", ...
    area_m2: float
    facing: Facing       # outward normal: named direction, unit vector (body axes) or "sun"
    coating: Coating


@dataclass(frozen=True)
class Part:
    name: str
    role: str            # plate | wall | deck | radiator | solar_array | mesh_part | battery | avionics
    material: Material
    thickness_m: float
    area_m2: float       # one side, for shells
    mass_kg: float
    sides: tuple[RadiatingSide, ...]


@dataclass(frozen=True)
class Joint:
    """A conductive connection between two parts (edge joint, hinge, bolted flange).

    shared_nodes: True when the finite-element mesh realises the joint by shared nodes along the
    common edge (continuous shell conduction there: the FE model must not add conductance_W_K
    again); False for disjoint parts (hinges, yokes) that the FE model couples explicitly.
    length_m: length of the joint line (0 for a point-like joint such as a yoke).
    """
    part_a: str
    part_b: str
    conductance_W_K: float
    source: str
    length_m: float = 0.0
    shared_nodes: bool = False


@dataclass(frozen=True)
class PartList:
    parts: tuple[Part, ...]
    joints: tuple[Joint, ...]

    def __getitem__(self, name: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts)


# ---------------------------------------------------------------------------------------------
# Joint conductances (each with its source). Module-level so a study can override them.
# ---------------------------------------------------------------------------------------------

EDGE_JOINT_W_PER_MK = 10.0
EDGE_JOINT_SOURCE = (
    "bolted flange / corner cleat between aluminium panels, bare Al-Al in vacuum: about 0.5 W/K per "
    "M5 bolt at flight torque, bolts at 50 mm pitch -> 10 W/K per metre of joint. Engineering "
    "estimate within the per-bolt range discussed in Gilmore, Spacecraft Thermal Control Handbook "
    "vol. 1 (2002), ch. 8 'Mountings and Interfaces' and ch. 16 'Thermal Contact Resistance' "
    "(secondary: replace with joint test data)")
RADIATOR_HINGE_W_K = 0.5
RADIATOR_HINGE_SOURCE = (
    "structural path only: two hinge brackets with pin joints, about 0.25 W/K each (pins and bearings "
    "conduct poorly: Gilmore (2002) ch. 8). Engineering estimate. A deployable radiator gets the heat "
    "it rejects through the pumped loop or loop heat pipes (flexible lines across the hinge), which "
    "the thermal transport model adds; this joint does not carry that heat")
WING_YOKE_W_K = 0.1
WING_YOKE_SOURCE = (
    "solar-array yoke and drive mechanism (bearing / slip-ring path), thermally isolating by design: "
    "about 0.1 W/K. Engineering estimate; conduction across bearings: Gilmore (2002) ch. 8")
# The boxes inside a bus's body (geometry.spec.UnitSpec): what the case reader gives them unless
# the case says otherwise (spacecraft.battery, spacecraft.avionics). The battery's mass is the
# power section's (power.sizing.battery_mass_kg: capacity over the pack's specific energy).
BATTERY_SPECIFIC_HEAT_J_KGK = 1000.0
BATTERY_SOURCE = (
    "battery: mass = capacity / pack specific energy (power.sizing.battery_mass_kg); specific heat 1,000 J/kg/K, "
    "an estimate for a Li-ion pack: its cells hold about 1 J/g/K (Maleki et al., J. Electrochem. Soc. 146 (1999) "
    "947, calorimetry of LiCoO2/graphite cells; secondary for other chemistries) and its aluminium structure "
    "0.9 J/g/K")
AVIONICS_MASS_KG = 30.0
AVIONICS_SPECIFIC_HEAT_J_KGK = 900.0
AVIONICS_SOURCE = (
    "avionics (power conditioning and distribution, data handling, communications): 30 kg of aluminium boxes and "
    "circuit boards, 900 J/kg/K (aluminium 896 J/kg/K, Incropera & DeWitt 6th ed. Table A.1); the mass is an "
    "ASSUMED order of magnitude for a few-kW bus: give spacecraft.avionics.mass")
UNIT_MOUNTS = {"battery": "deck", "avionics": "deck"}
# mount conductance per kg of box, unless the case gives it (spacecraft.<unit>.conductance): the
# bolts that hold a box through launch grow in number with its mass, about one M5 bolt per 5 kg
UNIT_MOUNT_W_KGK = {"battery": 0.1, "avionics": 1.0}
UNIT_MOUNT_SOURCE = {
    "battery": "bolted bare to its panel: about 0.5 W/K per M5 bolt at flight torque (as the edge joints, Gilmore "
               "2002 ch. 8), one bolt per 5 kg of box: 0.1 W/K per kg of battery. ASSUMED; a battery wants a "
               "modest conductance, its own losses keeping it warm",
    "avionics": "bolted to its panel over an interface filler, about ten times the bare joint (Gilmore 2002 ch. 16 "
                "for filled joints): 1 W/K per kg of box. ASSUMED; electronics boxes are mounted to reject "
                "their heat",
}
SHARED_MESH_EDGE_SOURCE = (
    "external-mesh groups that share nodes along their common edges; the finite-element model "
    "conducts continuously there, the network model uses the bolted-edge value: " + EDGE_JOINT_SOURCE)

HINGE_GAP_M = 0.1          # radiator hinge line stands off the wall by this gap (disjoint meshes)
YOKE_CLEARANCE_M = 0.5     # wing inner edge clears the body and every radiator by this much

# A box inside the body (geometry.spec.UnitSpec) is a notional plate parallel to its mount: its
# footprint, UNIT_STANDOFF_M inside the body (disjoint meshes, joined by the unit's conductance),
# covering the middle UNIT_FILL of its slot in each direction (the units on one mount share it in
# equal slots along its longer edge). The plate only carries the box's heat capacity (its density
# is set so that the part's mass is the unit's) and conducts in its plane like an aluminium plate
# UNIT_THICKNESS_M thick (167 W/m/K: k t = 17 W/K), which keeps it nearly isothermal, as the
# network's node is. It has no radiating side and takes no part in the radiation inside the body:
# the box is taken as blanketed (MLI), its heat leaves through its mount only.
UNIT_STANDOFF_M = 0.02
UNIT_FILL = 0.8
UNIT_THICKNESS_M = 0.1
UNIT_CONDUCTIVITY_W_MK = 167.0

SUN_POINTINGS = ("sun_tracking", "sun_pointing")
_OPPOSITE_NAMES = {
    "zenith": "nadir", "nadir": "zenith",
    "orbit_normal": "anti_orbit_normal", "anti_orbit_normal": "orbit_normal",
    "velocity": "anti_velocity", "anti_velocity": "velocity",
    "sun": "anti_sun", "anti_sun": "sun",
}
# Reference mesh normal for surfaces that face the sun: body +z (the sun direction in the
# contract's `orbit: none` and `attitude: sun`). Thermal solvers use the side's facing ('sun'),
# never this mesh orientation, for the fluxes.
SUN_REFERENCE_NORMAL = (0.0, 0.0, 1.0)

_AXES = "xyz"


def side_normal(facing: Facing) -> np.ndarray | str:
    """Outward normal of a side: a unit vector in body axes, or 'sun' / 'anti_sun' (tracks the sun).

    Parameters
    ----------
    facing : a key of NAMED_DIRECTIONS, 'sun', 'anti_sun' or a vector (x, y, z) in body axes
        (normalised here; a zero vector is an error).
    """
    if isinstance(facing, str):
        if facing in ("sun", "anti_sun"):
            return facing
        if facing in NAMED_DIRECTIONS:
            return np.array(NAMED_DIRECTIONS[facing], dtype=float)
        raise ValueError(f"unknown facing {facing!r}: expected one of "
                         f"{sorted(NAMED_DIRECTIONS) + ['sun', 'anti_sun']} or a vector [x, y, z]")
    v = np.asarray(facing, dtype=float).reshape(-1)
    norm = float(np.linalg.norm(v)) if v.shape == (3,) else 0.0
    if v.shape != (3,) or not np.isfinite(norm) or norm == 0.0:
        raise ValueError(f"facing {facing!r}: expected a non-zero vector [x, y, z]")
    return v / norm


def opposite_facing(facing: Facing) -> Facing:
    """The facing of the other side of a panel: zenith <-> nadir, sun <-> anti_sun, v -> -v."""
    if isinstance(facing, str):
        if facing not in _OPPOSITE_NAMES:
            raise ValueError(f"unknown facing {facing!r}")
        return _OPPOSITE_NAMES[facing]
    x, y, z = (0.0 - float(c) for c in facing)   # 0.0 - 0.0 is +0.0, not -0.0
    return (x, y, z)


def mesh_normal(facing: Facing) -> np.ndarray:
    """Normal a shell is meshed with for a side of this facing (sun-facing: SUN_REFERENCE_NORMAL)."""
    n = side_normal(facing)
    if isinstance(n, str):
        ref = np.array(SUN_REFERENCE_NORMAL)
        return ref if n == "sun" else -ref
    return n


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def _tangent(n: np.ndarray) -> np.ndarray:
    """A unit vector perpendicular to n: body x projected on the plane, else body y."""
    e = np.array([1.0, 0.0, 0.0]) if abs(n[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    return _unit(e - np.dot(e, n) * n)
