"""Geometry specifications: what the `spacecraft` section of a case describes, in SI floats.

The case loader (:mod:`thermal.case`) builds these from YAML; :mod:`geometry.parts` turns them into
the part list (areas, masses, radiating sides) and :mod:`geometry.mesh` into a tagged mesh.

One facing vocabulary for every surface of the tool (parts, and the radiator the sizing sizes): a
named direction is a fixed body axis, whatever the attitude (in nadir attitude body +z is the
zenith, +x the velocity, +y the orbit normal; in sun attitude body +z points to the sun); a vector
is a fixed direction in body axes; the tracked facings of :data:`TRACKED_FACINGS` turn with the
sun (``sun``, ``anti_sun``) or stay edge-on to both the sun and the Earth (``edge_on``, sizing only).
"""

import dataclasses
from dataclasses import dataclass

from thermal.core.library import Coating, Material

NAMED_DIRECTIONS = {
    "zenith": (0.0, 0.0, 1.0),
    "nadir": (0.0, 0.0, -1.0),
    "orbit_normal": (0.0, 1.0, 0.0),
    "anti_orbit_normal": (0.0, -1.0, 0.0),
    "velocity": (1.0, 0.0, 0.0),
    "anti_velocity": (-1.0, 0.0, 0.0),
}
#: Facings that are not fixed in body axes: toward the sun, away from it, and perpendicular to both
#: the nadir and the sun (a yaw-steered panel that sees neither; in a dawn-dusk orbit it faces
#: along the velocity).
TRACKED_FACINGS = ("sun", "anti_sun", "edge_on")
# A facing is a key of NAMED_DIRECTIONS, one of TRACKED_FACINGS, or a unit vector (x, y, z).
Facing = str | tuple[float, float, float]


@dataclass(frozen=True)
class PlateSpec:
    """A rectangular panel (kind: plate). Front side faces `facing`, back side the opposite way."""
    name: str
    size_m: tuple[float, float]
    thickness_m: float
    material: Material
    facing: Facing
    front: Coating
    back: Coating


@dataclass(frozen=True)
class BodySpec:
    """Box body of six wall panels, centred on the origin, edges along body axes."""
    size_m: tuple[float, float, float]
    wall_m: float
    material: Material
    coating: Coating              # outside of every wall


@dataclass(frozen=True)
class DeckSpec:
    """Internal compute deck (horizontal plate at mid-height) carrying the GPU cold-plate footprints."""
    thickness_m: float
    material: Material
    gpu_count: int
    footprint_m: tuple[float, float]   # one cold plate per GPU


@dataclass(frozen=True)
class RadiatorSpec:
    """Deployable radiator panel hinged to the body. one-sided: back is insulated (coating `back`)."""
    name: str
    size_m: tuple[float, float]
    thickness_m: float
    material: Material
    front: Coating
    back: Coating
    facing: Facing
    two_sided: bool
    # embedded heat pipes: the panel's total in-plane conductivity along its length (away from the
    # body) or its width; None = the material's isotropic conductivity
    heat_pipe_conductivity_W_mK: float | None = None
    heat_pipes_along: str = "length"


@dataclass(frozen=True)
class SolarArraySpec:
    """Solar-array wing on a yoke; front = cells.

    pointing: ``sun_tracking`` (two-axis, the cells face the sun; or single-axis about `axis` when
    one is given), ``sun_pointing`` (same as two-axis tracking) or ``fixed`` (facing `facing`)."""
    name: str
    size_m: tuple[float, float]
    thickness_m: float
    material: Material
    front: Coating
    back: Coating
    pointing: str
    facing: Facing                    # for fixed wings
    axis: tuple[float, float, float] | None  # single-axis tracking axis in body axes; None = two-axis
    #: stand-off of the wing's inner edge beyond the yoke clearance, along its boom [m]: a longer yoke
    #: puts the wing farther from the body and the radiators, which then see less of it
    boom_m: float = 0.0


@dataclass(frozen=True)
class UnitSpec:
    """A box of equipment inside the body of a bus (the battery, the avionics): a lumped heat
    capacity bolted to one body panel through a stated conductance. Where its plate sits:
    :func:`geometry.layout.bus_layout`; its part and joint: :func:`geometry.layout.bus_part_list`.

    name: its part name and role (``battery`` or ``avionics``); mount: the wall (``wall_-z`` ...)
    or ``deck`` it is bolted to; conductance_W_K: box to mount, through its bolts and interface
    filler (None: in proportion to its mass, :data:`geometry.parts.UNIT_MOUNT_W_KGK`); mass_kg and
    specific_heat_J_kgK: its heat capacity; source: where those come from.
    """
    name: str
    mount: str
    conductance_W_K: float | None
    mass_kg: float
    specific_heat_J_kgK: float
    source: str


@dataclass(frozen=True)
class BusSpec:
    body: BodySpec
    deck: DeckSpec
    radiators: tuple[RadiatorSpec, ...]
    solar_arrays: tuple[SolarArraySpec, ...]
    # the boxes inside the body (battery, avionics): parts of a bus with a power section
    units: tuple[UnitSpec, ...] = ()

    def with_unit_mass(self, name: str, mass_kg: float) -> "BusSpec":
        """The same bus with the mass of unit `name` (if it has one) changed (the battery's follows
        its capacity, which a power section or a sizing sets)."""
        return dataclasses.replace(self, units=tuple(dataclasses.replace(u, mass_kg=float(mass_kg))
                                                     if u.name == name else u for u in self.units))


@dataclass(frozen=True)
class MeshPartSpec:
    """A part of an external mesh: the physical group (cells) that holds it and its properties."""
    name: str
    group: str
    thickness_m: float
    material: Material
    front: Coating
    back: Coating
    facing: Facing | None             # None: normals taken from the mesh cells


@dataclass(frozen=True)
class ExternalMeshSpec:
    path: str
    parts: tuple[MeshPartSpec, ...]


SpacecraftSpec = PlateSpec | BusSpec | ExternalMeshSpec
