"""Where every panel of a spacecraft sits, and the part list built from it.

- :func:`bus_layout`: walls, deck, radiators, wings, the boxes inside the body (battery,
  avionics) and GPU footprints of a bus (body axes, m);
- :func:`plate_panel`: the single plate;
- :func:`part_list`: parts (areas, masses, radiating sides) and joints of any spacecraft kind,
  an external mesh's read serially from the file (:mod:`geometry.surface`).

The mesh (:mod:`geometry.shells`) and the network model use the same panels, so both see the same
geometry.
"""

from dataclasses import dataclass

import numpy as np

from geometry.parts import (
    _AXES,
    EDGE_JOINT_SOURCE,
    EDGE_JOINT_W_PER_MK,
    HINGE_GAP_M,
    RADIATOR_HINGE_SOURCE,
    RADIATOR_HINGE_W_K,
    SUN_POINTINGS,
    UNIT_CONDUCTIVITY_W_MK,
    UNIT_FILL,
    UNIT_MOUNT_W_KGK,
    UNIT_STANDOFF_M,
    UNIT_THICKNESS_M,
    WING_YOKE_SOURCE,
    WING_YOKE_W_K,
    YOKE_CLEARANCE_M,
    Joint,
    Part,
    PartList,
    RadiatingSide,
    _tangent,
    _unit,
    mesh_normal,
    opposite_facing,
)
from geometry.spec import (
    NAMED_DIRECTIONS,
    BodySpec,
    BusSpec,
    DeckSpec,
    ExternalMeshSpec,
    PlateSpec,
    RadiatorSpec,
    SolarArraySpec,
    SpacecraftSpec,
    UnitSpec,
)
from geometry.surface import external_part_list, read_mesh_arrays
from thermal.core.errors import CaseError
from thermal.core.library import Coating, Material

# ---------------------------------------------------------------------------------------------
# Placement: where every flat panel sits (shared by the part list and the mesh)
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Panel:
    """A flat rectangle: corners origin, origin+edge_u, origin+edge_u+edge_v, origin+edge_v [m].

    Its normal edge_u x edge_v (normalised) is the outward normal of the front side in body axes,
    and the orientation the mesh cells get (sun-facing panels: SUN_REFERENCE_NORMAL).
    """
    name: str
    origin: tuple[float, float, float]
    edge_u: tuple[float, float, float]
    edge_v: tuple[float, float, float]

    @property
    def normal(self) -> np.ndarray:
        return _unit(np.cross(self.edge_u, self.edge_v))

    @property
    def area_m2(self) -> float:
        return float(np.linalg.norm(np.cross(self.edge_u, self.edge_v)))

    @property
    def corners(self) -> np.ndarray:
        o, u, v = (np.asarray(a, dtype=float) for a in (self.origin, self.edge_u, self.edge_v))
        return np.array([o, o + u, o + u + v, o + v])


def _panel(name, origin, edge_u, edge_v) -> Panel:
    as_t = lambda a: tuple(float(c) for c in a)  # noqa: E731
    return Panel(name, as_t(origin), as_t(edge_u), as_t(edge_v))


def wall_name(axis: int, sign: int) -> str:
    """'wall_+x', 'wall_-y', ... for body axis index 0..2 and sign +1/-1."""
    return f"wall_{'+' if sign > 0 else '-'}{_AXES[axis]}"


def _wall_normal(axis: int, sign: int) -> np.ndarray:
    n = np.zeros(3)
    n[axis] = float(sign)
    return n


WALLS = tuple((axis, sign) for axis in range(3) for sign in (1, -1))


@dataclass(frozen=True)
class BusLayout:
    """Placement of every panel of a bus and the wall each deployable hangs on."""
    panels: dict[str, Panel]            # walls, deck, radiators, wings, units (by part name)
    footprints: dict[str, Panel]        # 'gpu0', 'gpu1', ... on the deck
    attached_to: dict[str, str]         # radiator / wing name -> wall part name; unit -> its mount
    hinge_length_m: dict[str, float]    # radiator name -> hinge line length


def plate_panel(spec: PlateSpec) -> Panel:
    """The plate, centred on the origin; size_m[0] along the body x axis projected on its plane
    (body y when it faces +-x), size_m[1] along normal x that axis."""
    n = mesh_normal(spec.facing)
    u = _tangent(n)
    v = np.cross(n, u)
    a, b = spec.size_m
    return _panel(spec.name, -0.5 * a * u - 0.5 * b * v, a * u, b * v)


def footprint_grid(n_gpu: int, deck_m: tuple[float, float], footprint_m: tuple[float, float]
                   ) -> tuple[int, int]:
    """(columns along x, rows along y) for `n_gpu` cold plates on a deck.

    Among grids with enough slots, pick the one that minimises
    max(fx/pitch_x, fy/pitch_y) + 0.1 * empty slots, i.e. the most clearance around each cold
    plate with few empty slots (8 GPUs on the 1.2 m x 1.0 m deck: 4 x 2, like an HGX board).
    """
    (lx, ly), (fx, fy) = deck_m, footprint_m
    best = None
    for ncol in range(1, n_gpu + 1):
        nrow = -(-n_gpu // ncol)
        fill = max(fx * ncol / lx, fy * nrow / ly)
        score = fill + 0.1 * (ncol * nrow - n_gpu)
        if fill <= 0.9 and (best is None or score < best[0] - 1e-12):
            best = (score, ncol, nrow)
    if best is None:
        raise CaseError("spacecraft.deck", f"room for {n_gpu} cold plates of "
                        f"{fx:g} m x {fy:g} m on the {lx:g} m x {ly:g} m deck",
                        hint="enlarge the body or use fewer GPUs per bus")
    return best[1], best[2]


def gpu_footprints(body: BodySpec, deck: DeckSpec) -> dict[str, Panel]:
    """Cold-plate footprints 'gpu<i>' on the deck (z = 0), row-major from -x,-y.

    Layout: `footprint_grid` columns x rows of equal slots over the deck's x-y cross-section;
    each footprint is centred in its slot; GPU i sits in column i % ncol, row i // ncol; a
    partly filled last row is centred in x.
    """
    lx, ly, _ = body.size_m
    fx, fy = deck.footprint_m
    if deck.gpu_count <= 0:
        return {}
    ncol, nrow = footprint_grid(deck.gpu_count, (lx, ly), (fx, fy))
    px, py = lx / ncol, ly / nrow
    out = {}
    for i in range(deck.gpu_count):
        row, col = divmod(i, ncol)
        in_row = min(ncol, deck.gpu_count - row * ncol)
        cx = -0.5 * lx + (col + 0.5 + 0.5 * (ncol - in_row)) * px
        cy = -0.5 * ly + (row + 0.5) * py
        out[f"gpu{i}"] = _panel(f"gpu{i}", (cx - 0.5 * fx, cy - 0.5 * fy, 0.0),
                                (fx, 0.0, 0.0), (0.0, fy, 0.0))
    return out


def _body_panels(body: BodySpec) -> dict[str, Panel]:
    """The six walls at the outer surface of the box, each with its outward normal, and the deck."""
    half = 0.5 * np.asarray(body.size_m, dtype=float)
    lx, ly, lz = body.size_m
    panels: dict[str, Panel] = {}
    for axis, sign in WALLS:
        j, k = (axis + 1) % 3, (axis + 2) % 3
        origin = np.zeros(3)
        origin[axis], origin[j], origin[k] = sign * half[axis], -half[j], -half[k]
        ej, ek = np.zeros(3), np.zeros(3)
        ej[j], ek[k] = body.size_m[j], body.size_m[k]
        u, v = (ej, ek) if sign > 0 else (ek, ej)
        panels[wall_name(axis, sign)] = _panel(wall_name(axis, sign), origin, u, v)
    panels["deck"] = _panel("deck", (-half[0], -half[1], 0.0), (lx, 0.0, 0.0), (0.0, ly, 0.0))
    return panels


def _wing_frame(wing: SolarArraySpec, sign: float) -> tuple[np.ndarray, np.ndarray]:
    """(cell normal, boom direction) of a wing on the +axis (sign 1) or -axis (sign -1) side."""
    # the yoke runs along the tracking axis; a two-axis wing (axis None) is on an orbit-normal yoke
    axis = _unit(wing.axis if wing.axis is not None else NAMED_DIRECTIONS["orbit_normal"])
    if wing.pointing in SUN_POINTINGS:
        ref = np.array([0.0, 0.0, 1.0]) if abs(axis[2]) < 0.99 else np.array([1.0, 0.0, 0.0])
        n = _unit(ref - np.dot(ref, axis) * axis)
        u = sign * axis
    else:
        n = mesh_normal(wing.facing)
        along = axis - np.dot(axis, n) * n
        if np.linalg.norm(along) < 0.3:      # axis nearly along the facing: any in-plane boom
            along = _tangent(n)
        u = sign * _unit(along)
    return n, u


def _hang_wings(spec: BusSpec, used: set[str], attached: dict[str, str]
                ) -> list[tuple[SolarArraySpec, np.ndarray, np.ndarray]]:
    """(wing, cell normal, boom direction) of each wing, each on the wall its boom leaves through;
    the walls taken are added to ``used`` and ``attached``."""
    if len(spec.solar_arrays) > 2:
        raise CaseError("spacecraft.solar_arrays", "at most two wings (one each side of the "
                        "tracking axis)", given=len(spec.solar_arrays),
                        hint="merge wings into larger ones: the sizing scales a wing's area")
    wing_frames = []
    for k, wing in enumerate(spec.solar_arrays):
        n, u = _wing_frame(wing, 1.0 if k == 0 else -1.0)
        axis_i, wall_sign = max(WALLS, key=lambda w: float(np.dot(_wall_normal(*w), u)))
        wall = wall_name(axis_i, wall_sign)
        if wall in used:
            raise CaseError(f"spacecraft.solar_arrays[{k}]", "a free body wall for the yoke",
                            given=wing.name, hint=f"{wall} already carries a wing")
        used.add(wall)
        attached[wing.name] = wall
        wing_frames.append((wing, n, u))
    return wing_frames


def _radiator_wall(r: int, rad: RadiatorSpec, used: set[str]) -> tuple[int, int]:
    """(axis, sign) of the first free wall, in the order of preference of radiator ``r``, that is
    not parallel to the radiator."""
    n = mesh_normal(rad.facing)
    prefs = [(0, 1), (0, -1)] if r % 2 == 0 else [(0, -1), (0, 1)]
    prefs += [(2, -1), (2, 1), (1, 1), (1, -1)]
    for axis_i, wsign in prefs:
        w = _wall_normal(axis_i, wsign)
        if wall_name(axis_i, wsign) not in used and abs(np.dot(w, n)) < 0.9:
            return axis_i, wsign
    raise CaseError(f"spacecraft.radiators[{r}]", "a free body wall to hinge on (each "
                    "wall carries at most one radiator or wing; a radiator cannot hinge "
                    "on a wall parallel to it)", given=rad.name,
                    hint="merge radiators into one larger panel")


def _radiator_panel(rad: RadiatorSpec, axis_i: int, wsign: int, half: np.ndarray) -> Panel:
    """The radiator hinged HINGE_GAP_M off the wall (axis_i, wsign), on the wall's edge nearest
    its front, deployed away from the wall."""
    n = mesh_normal(rad.facing)
    w = _wall_normal(axis_i, wsign)
    d = _unit(w - np.dot(w, n) * n)                      # deploy direction, away from the wall
    h = np.cross(n, d)                                   # hinge line direction
    p_hinge = w * (half[axis_i] + HINGE_GAP_M)
    for j in range(3):
        if j != axis_i:
            p_hinge[j] += half[j] * n[j]
    length, width = rad.size_m
    return _panel(rad.name, p_hinge - 0.5 * width * h, length * d, width * h)


def mount_conductance_W_K(unit: UnitSpec) -> float:
    """A unit's conductance to its mount: the case's, else UNIT_MOUNT_W_KGK per kg of the unit."""
    if unit.conductance_W_K is not None:
        return unit.conductance_W_K
    return UNIT_MOUNT_W_KGK[unit.name] * unit.mass_kg


BODY_PANELS = tuple(wall_name(axis, sign) for axis, sign in WALLS) + ("deck",)


def _unit_panels(units: tuple[UnitSpec, ...], panels: dict[str, Panel]) -> dict[str, Panel]:
    """The plate of each unit inside the body (see geometry.parts.UNIT_FILL): parallel to its
    mount, UNIT_STANDOFF_M inside (under the deck, whose normal is +z), in its slot."""
    out: dict[str, Panel] = {}
    for mount in dict.fromkeys(u.mount for u in units):
        if mount not in BODY_PANELS:
            raise CaseError("spacecraft", f"a unit mounted on a body wall or the deck ({', '.join(BODY_PANELS)})",
                            given=mount)
        on = [u for u in units if u.mount == mount]
        p = panels[mount]
        u, v = np.asarray(p.edge_u), np.asarray(p.edge_v)
        if np.linalg.norm(v) > np.linalg.norm(u):
            u, v = v, u                                   # the slots along the longer edge
        inside = np.asarray(p.origin) - UNIT_STANDOFF_M * p.normal
        margin = 0.5 * (1.0 - UNIT_FILL)
        for k, unit in enumerate(on):
            origin = inside + (k + margin) / len(on) * u + margin * v
            out[unit.name] = _panel(unit.name, origin, UNIT_FILL / len(on) * u, UNIT_FILL * v)
    return out


def bus_layout(spec: BusSpec) -> BusLayout:
    """Where the walls, deck, radiators and wings of a bus sit (all in body axes, metres).

    - Body: a box centred on the origin, one shell per face at the outer surface (`wall_+x` ...),
      each meshed with its outward normal.
    - Deck: a horizontal shell at mid-height (z = 0) spanning the whole x-y cross-section; its
      four edges lie on the side walls (+-x, +-y), where the mesh shares nodes (a T-junction).
    - Wings (at most two) hang on yokes from the walls their tracking axis leaves through: wing 0
      on the +axis side (the +y wall for the orbit-normal axis), wing 1 on the -axis side; a
      two-axis wing (axis None) and a fixed wing without an axis use the orbit-normal yoke. A wing
      spans size_m[0] along the axis and size_m[1] across it, and its inner edge clears the body
      and every radiator by YOKE_CLEARANCE_M, so it can turn freely, plus the wing's ``boom_m`` (a
      longer yoke: the radiators see less of a wing that stands farther off). Sun-tracking
      and sun-pointing wings are meshed in a reference orientation with the cells facing body +z
      projected normal to the axis (+z for the y axis; body x projected when the axis is along z).
      Fixed wings face `facing`, the boom along the axis projected on the wing's plane.
    - Radiators hang on hinges from the remaining walls: radiator i tries +x, -x (alternating
      with i), then -z, +z, +y, -y, and takes the first free wall not parallel to the radiator
      (|wall . facing| < 0.9). The hinge line stands HINGE_GAP_M off the wall, on the wall's edge
      nearest the radiator's front (a zenith-facing radiator on +x hinges at the top edge, flush
      with the top wall); the panel extends size_m[0] away from the wall (perpendicular to its
      facing) and size_m[1] along the hinge. Each wall carries at most one deployable.
    - Units (battery, avionics): a plate parallel to the wall or deck it is mounted on, inside the
      body (under the deck), see :data:`geometry.parts.UNIT_FILL`.
    """
    body = spec.body
    half = 0.5 * np.asarray(body.size_m, dtype=float)
    panels = _body_panels(body)
    used: set[str] = set()
    attached: dict[str, str] = {}
    wing_frames = _hang_wings(spec, used, attached)

    hinge: dict[str, float] = {}
    for r, rad in enumerate(spec.radiators):
        axis_i, wsign = _radiator_wall(r, rad, used)
        wall = wall_name(axis_i, wsign)
        used.add(wall)
        attached[rad.name] = wall
        panels[rad.name] = _radiator_panel(rad, axis_i, wsign, half)
        hinge[rad.name] = float(rad.size_m[1])

    # wings last: their inner edge clears the body and the radiators already placed
    body_corners = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]
                            ) * half
    obstacles = [body_corners] + [panels[r.name].corners for r in spec.radiators]
    points = np.vstack(obstacles)
    for wing, n, u in wing_frames:
        r0 = float(np.max(points @ u)) + YOKE_CLEARANCE_M + wing.boom_m
        v = np.cross(n, u)
        length, width = wing.size_m
        panels[wing.name] = _panel(wing.name, r0 * u - 0.5 * width * v, length * u, width * v)

    panels.update(_unit_panels(spec.units, panels))
    attached.update({u.name: u.mount for u in spec.units})
    return BusLayout(panels=panels, footprints=gpu_footprints(body, spec.deck),
                     attached_to=attached, hinge_length_m=hinge)


# ---------------------------------------------------------------------------------------------
# Part lists
# ---------------------------------------------------------------------------------------------

def _shell(name, role, material: Material, thickness_m, area_m2, sides) -> Part:
    return Part(name=name, role=role, material=material, thickness_m=float(thickness_m),
                area_m2=float(area_m2),
                mass_kg=float(area_m2 * thickness_m * material.density_kg_m3), sides=tuple(sides))


def _two_sides(name, area, facing, front: Coating, back: Coating) -> tuple[RadiatingSide, ...]:
    return (RadiatingSide(f"{name}.front", area, facing, front),
            RadiatingSide(f"{name}.back", area, opposite_facing(facing), back))


def plate_part_list(spec: PlateSpec) -> PartList:
    area = spec.size_m[0] * spec.size_m[1]
    part = _shell(spec.name, "plate", spec.material, spec.thickness_m, area,
                  _two_sides(spec.name, area, spec.facing, spec.front, spec.back))
    return PartList(parts=(part,), joints=())


def bus_part_list(spec: BusSpec) -> PartList:
    """Walls, deck, radiators and wings of a bus with their joints (see `bus_layout`).

    Areas are one side of each panel: wall_+-x = Ly*Lz, wall_+-y = Lx*Lz, wall_+-z = Lx*Ly (the
    walls are shells at the outer box surface: the thickness overlap at the corners is ignored,
    which overstates the wall mass by about wall/size, 0.3 % for 3 mm on 1 m); deck = Lx*Ly;
    radiators and wings = size_m[0]*size_m[1]. Mass = area * thickness * density.

    Joints: deck to each side wall along its edge and wall to wall along the 12 box edges are
    bolted flanges, EDGE_JOINT_W_PER_MK times the edge length (shared mesh nodes in the FE
    model); radiator hinges RADIATOR_HINGE_W_K (structural only: the pumped loop carries the
    heat); wing yokes WING_YOKE_W_K; each unit to its mount, the unit's own conductance (a lumped
    link in the FE model, the unit's plate and its mount being disjoint).

    Units (battery, avionics; role = name): a notional plate whose mass is the unit's and whose
    specific heat is the unit's (geometry.parts.UNIT_FILL); no radiating side.
    """
    layout = bus_layout(spec)
    body = spec.body
    parts: list[Part] = []
    for axis, sign in WALLS:
        name = wall_name(axis, sign)
        area = layout.panels[name].area_m2
        facing = tuple(float(c) for c in _wall_normal(axis, sign))
        parts.append(_shell(name, "wall", body.material, body.wall_m, area,
                            (RadiatingSide(f"{name}.outside", area, facing, body.coating),)))
    parts.append(_shell("deck", "deck", spec.deck.material, spec.deck.thickness_m,
                        layout.panels["deck"].area_m2, ()))
    for rad in spec.radiators:
        area = rad.size_m[0] * rad.size_m[1]
        parts.append(_shell(rad.name, "radiator", rad.material, rad.thickness_m, area,
                            _two_sides(rad.name, area, rad.facing, rad.front, rad.back)))
    for wing in spec.solar_arrays:
        area = wing.size_m[0] * wing.size_m[1]
        facing = "sun" if wing.pointing in SUN_POINTINGS else wing.facing
        parts.append(_shell(wing.name, "solar_array", wing.material, wing.thickness_m, area,
                            _two_sides(wing.name, area, facing, wing.front, wing.back)))

    unit_parts, unit_joints = _units(spec, layout)
    parts += unit_parts

    joints: list[Joint] = []
    lx, ly, lz = body.size_m
    size = body.size_m
    for axis, sign in WALLS:
        if axis == 2:
            continue
        length = ly if axis == 0 else lx
        joints.append(Joint("deck", wall_name(axis, sign), EDGE_JOINT_W_PER_MK * length,
                            EDGE_JOINT_SOURCE, length_m=length, shared_nodes=True))
    for i, (ax_a, s_a) in enumerate(WALLS):
        for ax_b, s_b in WALLS[i + 1:]:
            if ax_a == ax_b:
                continue
            length = size[3 - ax_a - ax_b]
            joints.append(Joint(wall_name(ax_a, s_a), wall_name(ax_b, s_b),
                                 EDGE_JOINT_W_PER_MK * length, EDGE_JOINT_SOURCE,
                                 length_m=length, shared_nodes=True))
    for rad in spec.radiators:
        joints.append(Joint(rad.name, layout.attached_to[rad.name], RADIATOR_HINGE_W_K,
                            RADIATOR_HINGE_SOURCE, length_m=layout.hinge_length_m[rad.name]))
    for wing in spec.solar_arrays:
        joints.append(Joint(wing.name, layout.attached_to[wing.name], WING_YOKE_W_K,
                            WING_YOKE_SOURCE))
    joints += unit_joints
    names = [p.name for p in parts]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise CaseError("spacecraft", "unique part names (walls, deck, radiators, wings, battery, avionics)",
                        given=dup)
    return PartList(parts=tuple(parts), joints=tuple(joints))


def _units(spec: BusSpec, layout: BusLayout) -> tuple[list[Part], list[Joint]]:
    """The boxes inside the body: a notional plate each (geometry.parts.UNIT_FILL: its density makes
    the part's mass the unit's; no radiating side; role = name) and its joint to its mount."""
    parts, joints = [], []
    for unit in spec.units:
        area = layout.panels[unit.name].area_m2
        box = Material(f"{unit.name} (lumped box)", unit.mass_kg / (area * UNIT_THICKNESS_M), UNIT_CONDUCTIVITY_W_MK,
                       unit.specific_heat_J_kgK, unit.source)
        parts.append(_shell(unit.name, unit.name, box, UNIT_THICKNESS_M, area, ()))
        joints.append(Joint(unit.name, unit.mount, mount_conductance_W_K(unit), unit.source))
    return parts, joints


def part_list(spec: SpacecraftSpec) -> PartList:
    """The part list of a spacecraft: parts (areas, masses, radiating sides) and joints.

    PlateSpec -> one plate; BusSpec -> see `bus_part_list`; ExternalMeshSpec -> one part per
    named group, areas from the mesh cells (the mesh file is read, serially, with
    :func:`geometry.surface.read_mesh_arrays`). No gmsh model and no DOLFINx are needed for the
    parametric kinds.
    """
    if isinstance(spec, PlateSpec):
        return plate_part_list(spec)
    if isinstance(spec, BusSpec):
        return bus_part_list(spec)
    if isinstance(spec, ExternalMeshSpec):
        return external_part_list(spec, read_mesh_arrays(spec.path))
    raise TypeError(f"unknown spacecraft spec {type(spec).__name__}")
