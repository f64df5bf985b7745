"""The panel-array architecture's case types and reader (``spacecraft.kind: panel_array``).

A panel array is a grid of identical panels, each its own power plant, computer and radiator:
solar cells on the sun-facing front, a substrate that spreads heat in plane (a vapor chamber or a
solid spreader), compute chips on the back, each face with its own coating, and a local battery
or none. Satellites carry many panels; the case names one panel, the eclipse strategy, the
satellite and the compute target. Every key, with its default, is in ``docs/case_keys.md``.

Everything here is SI floats in frozen dataclasses; the models (:mod:`thermal.models.panel`,
:mod:`thermal.models.panel_fe`) and the sizing (:mod:`thermal.sizing.panels`) read them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from power.cells import BATTERY_CELLS, SOLAR_CELLS, BatteryCell, SolarCell
from thermal.case.model import EnvironmentConstants, HeatPipeSpec, OrbitConfig, OutputConfig
from thermal.case.reader import Section, check_plausible, lookup
from thermal.case.sizing import EconomicsConfig, read_economics
from thermal.case.units import to_unit
from thermal.core.errors import CaseError

#: Eclipse strategies: chips off (compute_off; a bare `off` is YAML for false), throttled to
#: ``eclipse.throttle`` on the battery, or at full
#: power on the battery.
ECLIPSE_STRATEGIES = ("compute_off", "throttled", "battery")

#: Where the panel's electric output goes: run its own chips (the architecture) or leave the panel
#: (``export``: a plain solar array, the verification case of the closed form with (alpha - eta) S).
OUTPUT_USES = ("chips", "export")


#: The most chips along one side of a panel (a grid of 1,000 x 1,000 dies is far beyond any panel).
MAX_GRID = 1000


@dataclass(frozen=True)
class Face:
    """One face's optical properties [-]: solar absorptivity (beginning and end of life) and IR
    emissivity."""

    absorptivity: float
    emissivity: float
    absorptivity_eol: float

    def solar_absorptivity(self, end_of_life: bool) -> float:
        return self.absorptivity_eol if end_of_life else self.absorptivity


@dataclass(frozen=True)
class Substrate:
    """The panel's in-plane heat spreader, an orthotropic shell.

    ``conductivity_W_mK`` is the effective in-plane conductivity (a vapor chamber's is set by its
    vapour transport: 1,000-20,000 W/m/K effective); the through-thickness conduction is not
    resolved (a thin shell: Biot number k_through/(h t) far above 1). A vapor chamber carries at
    most ``max_transport_W_m`` as Q * L_eff (the capillary/dry-out limit, in the same form as the
    heat pipes' :class:`thermal.case.model.HeatPipeSpec`); None for a solid spreader (no limit).
    """

    kind: str                       # 'vapor_chamber' | 'solid'
    conductivity_W_mK: float
    thickness_m: float
    areal_mass_kg_m2: float
    specific_heat_J_kgK: float
    max_transport_W_m: float | None

    def transport_spec(self) -> HeatPipeSpec | None:
        """The vapor chamber as one heat pipe for :func:`thermal.transport.heat_pipes.check_heat_pipe_limit`."""
        if self.max_transport_W_m is None:
            return None
        # the conductance is not used by the limit check; the in-plane conductivity carries it
        return HeatPipeSpec(conductance_W_K=1.0, max_transport_W_m=self.max_transport_W_m, pipe_count=1)


@dataclass(frozen=True)
class Chips:
    """The compute chips on a panel's back, in a regular ``grid`` (columns, rows) of square
    footprints; each chip's power includes its board (memory, regulators)."""

    grid: tuple[int, int]
    footprint_m: float
    power_W: float
    junction_to_panel_K_W: float
    junction_limit_K: float
    mass_kg: float                  # chip + board + its share of the back-side mounting
    specific_heat_J_kgK: float

    @property
    def count(self) -> int:
        return self.grid[0] * self.grid[1]


@dataclass(frozen=True)
class PanelSpec:
    """One panel: its size, cells, faces, substrate, chips and parts masses per m^2."""

    size_m: tuple[float, float]
    cell: SolarCell
    packing_factor: float
    front: Face
    back: Face
    substrate: Substrate
    chips: Chips
    harness_kg_m2: float
    structure_kg_m2: float          # frame, hinges and deployment, per m^2 of panel
    output: str                     # 'chips' | 'export'

    @property
    def area_m2(self) -> float:
        return self.size_m[0] * self.size_m[1]

    @property
    def cell_pitch_m(self) -> tuple[float, float]:
        """The unit cell around one chip (the periodic-array cell) [m]."""
        return self.size_m[0] / self.chips.grid[0], self.size_m[1] / self.chips.grid[1]


@dataclass(frozen=True)
class Eclipse:
    """What the chips do in eclipse and the local battery that carries them."""

    strategy: str                   # ECLIPSE_STRATEGIES
    throttle: float                 # fraction of full power in eclipse for 'throttled'
    battery_cell: BatteryCell | None
    max_depth_of_discharge: float


@dataclass(frozen=True)
class Satellite:
    """How panels make satellites: panels per satellite, the bus and propulsion as a fraction of
    the panels' mass, and the mass margin."""

    panels_per_satellite: int | None    # None: as many as one launch carries
    bus_fraction: float
    margin: float


@dataclass(frozen=True)
class PanelSolver:
    model: str                      # 'network' | 'fe'
    time_step_s: float
    orbits: int                     # the network's orbits; the FE march's least
    mesh_size_m: float
    epochs: str                     # 'case' | 'year' (the case's epoch, or the worst hot and cold too)
    periodic_tolerance_K: float     # the FE march ends when the orbit-to-orbit change is below it
    max_orbits: int                 # the FE march's most


@dataclass(frozen=True)
class PanelArrayCase:
    """A case whose spacecraft is a panel array (the second architecture)."""

    name: str
    description: str
    orbit: OrbitConfig | None
    environment: EnvironmentConstants
    panel: PanelSpec
    eclipse: Eclipse
    satellite: Satellite
    compute_target_W: float | None
    mission_years: float
    solver: PanelSolver
    economics: EconomicsConfig | None
    output: OutputConfig            # the results folder and the FE field's output, as a bus case's
    path: Path | None = None
    sha256: str = ""
    warnings: tuple = ()

    @property
    def study(self) -> None:
        """A panel array carries no study (a study varies a bus case's sizing block)."""
        return None


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------

def _face(sec: Section, key: str, default: tuple[float, float]) -> Face:
    side = sec.section(key)
    alpha = side.number("absorptivity", default[0], lo=0.0, hi=1.0)
    eps = side.number("emissivity", default[1], lo=0.0, hi=1.0, lo_open=True)
    alpha_eol = side.number("absorptivity_eol", alpha, lo=0.0, hi=1.0)
    side.done()
    return Face(alpha, eps, alpha_eol)


def _substrate(sec: Section) -> Substrate:
    s = sec.section("substrate", required=True)
    kind = s.choice("kind", ("vapor_chamber", "solid"), "vapor_chamber")
    limit = s.quantity("max_transport", "W*m", "40 W m", None, positive=True) if kind == "vapor_chamber" else None
    if kind == "vapor_chamber" and limit is None:
        raise CaseError(s.key("max_transport"), "the vapor chamber's transport limit Q*L_eff, e.g. '40 W m'",
                        hint="missing")
    if kind == "solid" and "max_transport" in s.data:
        raise CaseError(s.key("max_transport"), "no transport limit on a solid spreader", s.data["max_transport"])
    out = Substrate(kind=kind,
                    conductivity_W_mK=s.quantity("conductivity", "W/m/K", "5000 W/m/K", positive=True),
                    thickness_m=s.quantity("thickness", "m", "3 mm", positive=True, plausible="thickness"),
                    areal_mass_kg_m2=s.quantity("areal_mass", "kg/m^2", "2 kg/m^2", positive=True),
                    specific_heat_J_kgK=s.quantity("specific_heat", "J/kg/K", "900 J/kg/K", 900.0, positive=True,
                                                   plausible="specific_heat"),
                    max_transport_W_m=limit)
    s.done()
    return out


def _chips(sec: Section, size_m: tuple[float, float]) -> Chips:
    c = sec.section("chips", required=True)
    grid_raw = c.raw("grid", [1, 1], "a grid [columns, rows] of chips, e.g. [2, 2]")
    if (not isinstance(grid_raw, list) or len(grid_raw) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_GRID for v in grid_raw)):
        raise CaseError(c.key("grid"), f"two whole numbers from 1 to {MAX_GRID} [columns, rows], e.g. [2, 2]",
                        grid_raw)
    footprint = c.quantity("footprint", "m", "5 cm", positive=True, plausible="length")
    pitch = min(size_m[0] / grid_raw[0], size_m[1] / grid_raw[1])
    if footprint >= pitch:
        raise CaseError(c.key("footprint"), f"a footprint smaller than the chip pitch {pitch:.3g} m",
                        c.data["footprint"])
    out = Chips(grid=(grid_raw[0], grid_raw[1]), footprint_m=footprint,
                power_W=c.quantity("power", "W", "700 W", positive=True, plausible="gpu_power"),
                junction_to_panel_K_W=c.quantity("junction_to_panel", "K/W", "0.05 K/W", minimum=0.0,
                                                 plausible="junction_resistance"),
                junction_limit_K=c.quantity("junction_limit", "K", "87 degC", positive=True,
                                            plausible="junction_limit"),
                mass_kg=c.quantity("mass", "kg", "1.5 kg", positive=True, plausible="mass"),
                specific_heat_J_kgK=c.quantity("specific_heat", "J/kg/K", "800 J/kg/K", 800.0, positive=True,
                                               plausible="specific_heat"))
    c.done()
    return out


def _panel(sec: Section) -> PanelSpec:
    p = sec.section("panel", required=True)
    size_raw = p.raw("size", expected="a list of 2 lengths, e.g. [1.4 m, 1.4 m]")
    if not isinstance(size_raw, list) or len(size_raw) != 2:
        raise CaseError(p.key("size"), "a list of 2 lengths, e.g. [1.4 m, 1.4 m]", size_raw)
    lengths = []
    for i, item in enumerate(size_raw):    # as the reader's other sizes: spacecraft.panel.size[i]
        key = f"{p.key('size')}[{i}]"
        length = to_unit(item, "m", key, "1.4 m")
        if not length > 0:
            raise CaseError(key, "a positive length", item)
        check_plausible(key, length, "length", item)
        lengths.append(length)
    size = (lengths[0], lengths[1])
    cells = p.section("cells", required=True)
    cell = lookup(SOLAR_CELLS, cells.raw("cell", expected=f"a cell name ({', '.join(SOLAR_CELLS)})"),
                  cells.key("cell"))
    efficiency = cells.number("efficiency", cell.efficiency_bol, lo=0.0, hi=1.0, lo_open=True)
    cell = dataclasses.replace(cell, efficiency_bol=efficiency)
    packing = cells.number("packing_factor", 0.85, lo=0.0, hi=1.0, lo_open=True)
    cells.done()
    front = _face(p, "front", (cell.absorptivity, cell.emissivity_front))
    back = _face(p, "back", (0.2, 0.88))
    out = PanelSpec(size_m=size, cell=cell, packing_factor=packing, front=front, back=back,
                    substrate=_substrate(p), chips=_chips(p, size),
                    harness_kg_m2=p.quantity("harness", "kg/m^2", "0.2 kg/m^2", 0.2, minimum=0.0),
                    structure_kg_m2=p.quantity("structure", "kg/m^2", "0.5 kg/m^2", 0.5, minimum=0.0),
                    output=p.choice("output", OUTPUT_USES, "chips"))
    if front.absorptivity < packing * cell.efficiency_bol:
        raise CaseError(p.key("front.absorptivity"),
                        f"at least the converted fraction packing x efficiency = {packing * cell.efficiency_bol:.3f}",
                        front.absorptivity)
    p.done()
    return out


def _eclipse(sec: Section, deep_space: bool) -> Eclipse:
    e = sec.section("eclipse")
    strategy = e.choice("strategy", ECLIPSE_STRATEGIES, "compute_off" if deep_space else "battery")
    throttle = e.number("throttle", 0.3 if strategy == "throttled" else 0.0, lo=0.0, hi=1.0)
    if strategy != "throttled" and "throttle" in e.data:
        raise CaseError(e.key("throttle"), "a throttle only with strategy: throttled", e.data["throttle"])
    cell = None
    if strategy != "compute_off":
        cell = lookup(BATTERY_CELLS, e.raw("battery_cell", "VES180", f"a battery cell ({', '.join(BATTERY_CELLS)})"),
                      e.key("battery_cell"))
    elif "battery_cell" in e.data:
        raise CaseError(e.key("battery_cell"), "no battery with strategy: compute_off", e.data["battery_cell"])
    dod = e.number("max_depth_of_discharge", 0.3, lo=0.0, hi=1.0, lo_open=True)
    e.done()
    return Eclipse(strategy=strategy, throttle=throttle, battery_cell=cell, max_depth_of_discharge=dod)


def _satellite(sec: Section) -> Satellite:
    s = sec.section("satellite")
    count = s.integer("panels_per_satellite", None, lo=1)
    out = Satellite(panels_per_satellite=count,
                    bus_fraction=s.number("bus_fraction", 0.10, lo=0.0, hi=10.0),
                    margin=s.number("margin", 0.20, lo=0.0, hi=10.0))
    s.done()
    return out


def _solver(top: Section) -> PanelSolver:
    s = top.section("solver")
    out = PanelSolver(model=s.choice("model", ("network", "fe"), "network"),
                      time_step_s=s.quantity("time_step", "s", "20 s", 20.0, positive=True, plausible="time_step"),
                      orbits=s.integer("orbits", 4, lo=2, hi=50),
                      mesh_size_m=s.quantity("mesh_size", "m", "2 cm", 0.02, positive=True, plausible="mesh_size"),
                      epochs=s.choice("epochs", ("case", "year"), "year"),
                      periodic_tolerance_K=s.quantity("periodic_tolerance", "K", "0.05 K", 0.05, positive=True,
                                                      plausible="temperature_difference"),
                      max_orbits=s.integer("max_orbits", 40, lo=2, hi=200))
    if out.orbits > out.max_orbits:
        raise CaseError(s.key("orbits"), f"at most solver.max_orbits ({out.max_orbits})", s.data["orbits"],
                        "raise solver.max_orbits too")
    s.done()
    return out


def read_panel_case(top: Section, data: dict, path: Path | None, digest: str, *, name: str, description: str,
                    orbit: OrbitConfig | None, environment: EnvironmentConstants,
                    output: OutputConfig) -> PanelArrayCase:
    """The rest of a ``spacecraft.kind: panel_array`` case, after the reader has read its name,
    orbit, environment and output section (:func:`thermal.case.load.load_case` hands it over here)."""
    sc = top.section("spacecraft", required=True)
    sc.choice("kind", ("panel_array",))
    panel = _panel(sc)
    eclipse = _eclipse(sc, orbit is None)
    satellite = _satellite(sc)
    sc.done()
    if orbit is None and eclipse.strategy != "compute_off" and "eclipse" in (data.get("spacecraft") or {}):
        raise CaseError("spacecraft.eclipse", "an orbit for an eclipse strategy (deep space has no eclipse)",
                        hint="remove spacecraft.eclipse or give an orbit")
    target = None
    if "sizing" in data:
        sizing = top.section("sizing")
        tgt = sizing.section("target", required=True)
        target = tgt.quantity("compute_power", "W", "16 MW", positive=True, plausible="power")
        tgt.done()
        sizing.done()
    mission = top.section("mission")
    years = mission.number("years", 5.0, lo=0.0, lo_open=True, plausible="years")
    mission.done()
    economics = read_economics(top.section("economics")) if "economics" in data else None
    if economics is not None and target is None:
        raise CaseError("sizing", "a sizing block (target.compute_power) for the economics section to price",
                        hint="missing")
    solver = _solver(top)
    top.read.update({"spacecraft", "sizing", "mission", "economics", "solver", "output"})
    top.done()
    return PanelArrayCase(name=name, description=description, orbit=orbit, environment=environment, panel=panel,
                          eclipse=eclipse, satellite=satellite, compute_target_W=target, mission_years=years,
                          solver=solver, economics=economics, output=output, path=path, sha256=digest)


__all__ = ["ECLIPSE_STRATEGIES", "OUTPUT_USES", "Face", "Substrate", "Chips", "PanelSpec", "Eclipse", "Satellite",
           "PanelSolver", "PanelArrayCase", "read_panel_case"]
