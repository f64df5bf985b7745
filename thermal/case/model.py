"""The case as frozen configuration objects: one type per concept, SI floats, used by every model.

What a case file describes, after :func:`thermal.case.load_case` has read and checked it: the
orbit, the environment constants, the compute, the heat transport between the compute and the
radiators, the thermal limits, the power system, the solver and the output. The spacecraft's
geometry is :mod:`geometry.spec`; the power system's types are :mod:`power.system`; the sizing
and economics sections are :mod:`thermal.case.sizing`. Nothing here reads YAML or knows a unit.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geometry.spec import SpacecraftSpec
from power.system import BatteryConfig, LoadConfig, SolarArrayConfig
from thermal.case.document import set_key_path
from thermal.case.sizing import EconomicsConfig, RadiatorOnlySizing, SizingConfig
from thermal.case.study import StudyConfig
from thermal.core.checks import DEFAULT_MAX_STEPS, DEFAULT_MAX_UNKNOWNS, check_positive
from thermal.core.compute import Compute
from thermal.core.constants import EARTH_ALBEDO, EARTH_IR_W_M2, SOLAR_CONSTANT_W_M2
from thermal.core.errors import CaseError
from thermal.core.library import COOLANTS


@dataclass(frozen=True)
class OrbitConfig:
    altitude_m: float
    beta_rad: float | None = None
    inclination_rad: float | None = None
    raan_rad: float | None = None
    ltan_hours: float | None = None
    epoch: object = None  # datetime.datetime or None

    @property
    def has_seasons(self) -> bool:
        """Whether the orbit changes over the year: sun-synchronous, or an inclination with a RAAN
        (a fixed beta does not)."""
        return self.ltan_hours is not None or self.inclination_rad is not None


#: What a heater's thermostat senses (:class:`HeaterSpec`).
HEATER_SENSES = ("mean", "min")


@dataclass(frozen=True)
class HeaterSpec:
    """A thermostatic heater on a part (``thermal.heaters.<part>``); its law is
    :func:`thermal.control.heater_power_W`: full power at or below the setpoint, off at the
    setpoint plus the deadband, proportional in between, sensed on the part's mean temperature
    (``sense: mean``) or on its coldest point (``sense: min``: a thermostat where the part runs
    coldest; the finite-element model's coldest node of the part, the network model's one node).

    Attributes
    ----------
    part : str
        The part it heats (its power spread over the part's area).
    setpoint_K : float
        The temperature it holds the part at or above [K].
    power_W : float
        Its installed (maximum) electric power [W].
    deadband_K : float
        Above the setpoint by this much it is off [K].
    sense : str
        What its thermostat senses: ``mean`` (the part's area-mean temperature) or ``min`` (its
        coldest point).
    """
    part: str
    setpoint_K: float
    power_W: float
    deadband_K: float = 2.0
    sense: str = "mean"

    def __post_init__(self):
        for name in ("setpoint_K", "power_W", "deadband_K"):
            check_positive(f"HeaterSpec.{name}", getattr(self, name))
        if self.sense not in HEATER_SENSES:
            raise ValueError(f"HeaterSpec.sense must be one of {HEATER_SENSES}, got {self.sense!r}")


@dataclass(frozen=True)
class ThermalConfig:
    transport: TransportSpec
    initial_temperature_K: float
    limits_K: dict                 # part name -> (min_K, max_K)
    dissipation_W: dict            # part name -> internal heat spread over the part [W]
    end_of_life: bool              # coatings at end-of-life absorptivity
    heaters: tuple[HeaterSpec, ...] = ()
    # part name -> an effective radiative sink [K] that replaces the computed environment of its sides
    sink_temperature_K: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ViewFactorConfig:
    """``solver.view_factors``: the Monte Carlo rays cast from each radiating side (shared by its
    patches), and the largest patch of a side, the exchange's unit (:func:`geometry.rays.patch_grids`)."""
    rays: int = 20_000
    patch_size_m: float = 0.5


@dataclass(frozen=True)
class SolverConfig:
    model: str                     # network | fe
    steady: bool
    time_step_s: float
    orbits: int                    # run at least this many orbits, then on to periodic steady state
    duration_s: float | None       # fixed duration instead of periodic steady state
    periodic_tolerance_K: float
    max_orbits: int
    mesh_size_m: float
    scheme: str                    # backward_euler | bdf2
    max_unknowns: int = DEFAULT_MAX_UNKNOWNS   # the resource guard (thermal.case.resources)
    max_steps: int = DEFAULT_MAX_STEPS
    radiation_exchange: bool = False   # the parts see each other (thermal.exchange)
    view_factors: ViewFactorConfig = ViewFactorConfig()


@dataclass(frozen=True)
class OutputConfig:
    dir: Path
    fields: str                    # reported_orbit | all | none
    field_every_steps: int
    temperature_unit: str = "K"    # K | degC: the report, its plots and its 3D snapshot


@dataclass(frozen=True)
class LoadCase:
    """One load case (:mod:`thermal.case.load_cases`): its name, the whole case it is, and the
    epoch rule still to resolve against the orbit (None: the case's own epoch)."""

    name: str
    case: Case
    epoch_rule: str | None = None


@dataclass(frozen=True)
class CaseSource:
    """What a case was read from, so that it can be read again with some keys changed
    (:meth:`Case.with_values`).

    Attributes
    ----------
    document : Mapping
        The case's YAML document as parsed (a deep copy; never changed).
    base_dir : Path
        Where the document's relative file names (``spacecraft.mesh``) are found.
    read : callable
        ``read(document, base_dir) -> Case``: the reader that made the case
        (:func:`thermal.case.load_case`).
    """

    document: Mapping
    base_dir: Path
    read: Callable[[Mapping, Path], Case]


@dataclass(frozen=True)
class Case:
    """A case as the models see it: every section read and checked, every quantity an SI float
    (the unit is in each field's name). Made by :func:`thermal.case.load_case`; a changed copy by
    :meth:`with_values` (any key by its path, with units, checked as in a file).

    Attributes
    ----------
    name : str
        The case's name (it names the results folder).
    description : str
    orbit : OrbitConfig or None
        Altitude [m], beta, inclination, RAAN [rad], LTAN [h], epoch; None: deep space at 1 AU, the
        body's +z to the sun.
    environment : EnvironmentConstants
        Solar constant [W/m^2], albedo, Earth IR [W/m^2], the shadow and albedo models.
    attitude : {'nadir', 'sun'}
    spacecraft : geometry.spec.SpacecraftSpec
        The parts: sizes [m], areas [m^2], thicknesses [m], materials, coatings, masses [kg].
    compute : thermal.core.compute.Compute or None
        GPUs (power [W], junction limit [K]), count, utilisation, overhead [W], schedule.
    thermal : ThermalConfig
        Heat transport, limits [K], heaters, initial temperature [K], life state.
    power : PowerConfig or None
        Solar arrays [m^2], battery [Wh], loads [W].
    solver : SolverConfig
        Model (``fe`` or ``network``), time step [s], orbits, mesh size [m], tolerances [K].
    output : OutputConfig
        Results folder and field output.
    path : Path or None
        The case file (None for a case given as a mapping or YAML text, or changed by
        :meth:`with_values`).
    sha256 : str
        Hash of the file's bytes (or of the document), recorded in ``summary.json``.
    sizing, economics : the ``sizing`` and ``economics`` blocks, or None.
    warnings : tuple of str
        Legal but unusual values, one line each.
    load_cases : tuple of LoadCase
        The other load cases (:mod:`thermal.case.load_cases`).
    source : CaseSource or None
        The document the case was read from (None for a case built without the reader).
    """

    name: str
    description: str
    orbit: OrbitConfig | None      # None: deep space at 1 AU, body +z to the sun
    environment: EnvironmentConstants
    attitude: str
    spacecraft: SpacecraftSpec
    compute: Compute | None
    thermal: ThermalConfig
    power: PowerConfig | None
    solver: SolverConfig
    output: OutputConfig
    path: Path | None           # None for a case given as a mapping
    sha256: str
    sizing: SizingConfig | RadiatorOnlySizing | None = None   # the `sizing` block (thermal.sizing.run)
    economics: EconomicsConfig | None = None    # the `economics` block
    warnings: tuple[str, ...] = ()              # legal but unusual values, one line each
    load_cases: tuple[LoadCase, ...] = ()       # the other load cases (thermal.case.load_cases)
    study: StudyConfig | None = None            # the `study` section (thermal.case.study, thermal.study)
    source: CaseSource | None = field(default=None, compare=False, repr=False)

    def with_values(self, changes: Mapping[str, object]) -> Case:
        """A new case: this one's document with the keys ``changes`` names set, read again by the
        same reader, so that every value is checked exactly as in a case file (a bad one is the
        same one-line :class:`thermal.core.errors.CaseError`).

        Keys are paths as ``docs/case_keys.md`` writes them, list items by index:
        ``{"spacecraft.radiators[0].area": "30 m^2", "solver.model": "network",
        "power.battery.capacity": "20 kWh"}``. Values are what the YAML would hold: quantities as
        text with their unit, numbers, names, mappings and lists. Missing mappings on the way are
        made; ``None`` removes a key (its default applies). Changes made to this object in Python
        (``dataclasses.replace``) are not carried over: the new case is read from the document.
        The new case has no ``path`` (it is no longer the file's) and the document's hash."""
        if self.source is None:
            raise CaseError("case", "a case read by thermal.case.load_case (its document is edited and read again)",
                            "a case built without the reader")
        document = copy.deepcopy(dict(self.source.document))
        for key_path, value in changes.items():
            set_key_path(document, key_path, value)
        return self.source.read(document, self.source.base_dir)


@dataclass(frozen=True)
class PowerConfig:
    arrays: SolarArrayConfig       # all wings together (area = sum of the wings)
    battery: BatteryConfig
    loads: LoadConfig
    end_of_life: bool              # the life state that drives the coupled run (both are reported)


def replace(case: Case, **changes) -> Case:
    """A copy of a case with some fields changed (for parametric scripts)."""
    return dataclasses.replace(case, **changes)


@dataclass(frozen=True)
class EnvironmentConstants:
    """Orbital thermal environment.

    Attributes
    ----------
    solar_constant_W_m2 : float
        Total solar irradiance at 1 AU [W/m^2] (Kopp & Lean 2011).
    albedo : float
        Earth's Bond albedo [-] (NASA/TM-2001-211221 design value).
    earth_ir_W_m2 : float
        Outgoing long-wave radiation at the top of the atmosphere, taken as emitted by a sphere
        of radius R_earth [W/m^2].
    eclipse : {'conical', 'cylindrical', 'none'}
        Shadow model, see :func:`thermal.orbit.shadow_factor`.
    albedo_model : {'integrated', 'subsolar'}
        See the module docstring.
    """

    solar_constant_W_m2: float = SOLAR_CONSTANT_W_M2
    albedo: float = EARTH_ALBEDO
    earth_ir_W_m2: float = EARTH_IR_W_M2
    eclipse: str = "conical"
    albedo_model: str = "integrated"

    def __post_init__(self):
        for name in ("solar_constant_W_m2", "earth_ir_W_m2"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0.0:
                raise ValueError(f"environment {name} must be finite and >= 0, got {value!r}")
        if not math.isfinite(self.albedo) or not 0.0 <= self.albedo <= 1.0:
            raise ValueError(f"environment albedo must be between 0 and 1, got {self.albedo!r}")
        if self.eclipse not in SHADOW_MODELS:
            raise ValueError(f"environment eclipse must be one of {SHADOW_MODELS}, got {self.eclipse!r}")
        if self.albedo_model not in ALBEDO_MODELS:
            raise ValueError(
                f"environment albedo_model must be one of {ALBEDO_MODELS}, got {self.albedo_model!r}"
            )


@dataclass(frozen=True)
class ColdPlateGeometry:
    """Microchannel (skived-fin) cold plate under one GPU; used when no conductance is given.

    Defaults are representative of a copper liquid cold plate for a ~700 W SXM module (an
    engineering assumption, not a vendor's data): 75 channels 0.5 mm wide and 3 mm tall between
    0.3 mm fins, 60 mm long, on a 2 mm base.
    """
    channel_width_m: float = 0.5e-3
    channel_height_m: float = 3.0e-3
    fin_thickness_m: float = 0.3e-3
    channel_length_m: float = 0.06
    finned_width_m: float = 0.06
    base_thickness_m: float = 2.0e-3
    conductivity_W_mK: float = 391.0   # OFHC copper, Incropera 6th ed. Table A.1 (401 pure; 391 C10100-C11000)

    def __post_init__(self):
        for name in ("channel_width_m", "channel_height_m", "fin_thickness_m", "channel_length_m",
                     "finned_width_m", "base_thickness_m", "conductivity_W_mK"):
            check_positive(f"ColdPlateGeometry.{name}", getattr(self, name))
        if self.channel_count < 1:
            raise ValueError(f"ColdPlateGeometry.finned_width_m {self.finned_width_m!r} is narrower than one "
                             f"channel pitch {self.channel_width_m + self.fin_thickness_m!r}")

    @property
    def channel_count(self) -> int:
        return int(math.floor(self.finned_width_m / (self.channel_width_m + self.fin_thickness_m) + 1e-9))

    @property
    def hydraulic_diameter_m(self) -> float:
        w, h = self.channel_width_m, self.channel_height_m
        return 2.0 * w * h / (w + h)

    @property
    def aspect_ratio(self) -> float:
        """Short side over long side of the channel cross-section [-]."""
        w, h = self.channel_width_m, self.channel_height_m
        return min(w, h) / max(w, h)


@dataclass(frozen=True)
class BypassSpec:
    """A radiator bypass valve on a pumped loop (``thermal.transport.bypass``); its law is
    :func:`thermal.control.bypass_fraction`: the share of the flow sent through the radiators
    falls from 1 at the setpoint plus the band to ``min_fraction`` at the setpoint, sensed on the
    coolant leaving the cold plates.

    Attributes
    ----------
    setpoint_K : float
        The coolant temperature at the cold-plate outlet the valve holds the loop at or above [K].
    band_K : float
        The valve's proportional band [K].
    min_fraction : float
        The share of the flow that always runs through the radiators (valve leakage, and a
        flow kept so the radiator tubes never stagnate) [-].
    """
    setpoint_K: float
    band_K: float = 3.0
    min_fraction: float = 0.005

    def __post_init__(self):
        check_positive("BypassSpec.setpoint_K", self.setpoint_K)
        check_positive("BypassSpec.band_K", self.band_K)
        if not 0.0 < self.min_fraction <= 1.0:
            raise ValueError(f"BypassSpec.min_fraction must be in (0, 1], got {self.min_fraction!r}")


@dataclass(frozen=True)
class PumpedLoopSpec:
    """A single-phase pumped fluid loop from the GPU cold plates to tubes bonded to the radiators.

    Attributes
    ----------
    coolant : str
        Key of :data:`COOLANTS`.
    flow_rate_kg_s : float
        Total loop mass flow [kg/s]; it divides equally between cold plates in parallel and between
        parallel radiator tube paths.
    tube_inner_diameter_m : float
        Inner diameter of the radiator tubes [m].
    radiator_tube_spacing_m : float
        Tube pitch on the radiator panels [m]; the tubing length is radiator area / pitch.
    pump_efficiency : float
        Wire-to-fluid pump efficiency [-].
    loop_pressure_Pa : float
        Loop (accumulator) pressure [Pa]; must keep pure fluids such as ammonia liquid.
    cold_plate_conductance_W_K : float or None
        Per-GPU cold-plate conductance, plate + film [W/K]. None: computed from
        ``cold_plate_geometry`` with the laminar/turbulent duct correlations.
    radiator_parallel_paths : int or None
        Number of parallel tube paths the radiator tubing is split into by manifolds. None: the
        fewest paths no longer than ``radiator_path_length_m``.
    radiator_path_length_m : float
        Longest tube length of one parallel path [m] when ``radiator_parallel_paths`` is None. The
        default 40 m is a design choice (not a sourced figure): it keeps a path's pressure drop at
        tens of kPa for ~0.05 kg/s of glycol in an 8 mm tube, and keeps flow per path and path
        length fixed when the radiator is scaled up with the load.
    minor_loss_fraction : float
        Allowance for bends, manifolds, fittings, hinge flex lines and quick disconnects, as a
        fraction of the straight-tube friction drop [-]. 0.25 is a preliminary-design assumption.
    cold_plate_geometry : ColdPlateGeometry
        Cold-plate channels, used when ``cold_plate_conductance_W_K`` is None.
    """
    coolant: str
    flow_rate_kg_s: float
    tube_inner_diameter_m: float = 0.008
    radiator_tube_spacing_m: float = 0.15
    pump_efficiency: float = 0.5
    loop_pressure_Pa: float = 1.0e6
    cold_plate_conductance_W_K: float | None = None
    radiator_parallel_paths: int | None = None
    radiator_path_length_m: float = 40.0
    minor_loss_fraction: float = 0.25
    cold_plate_geometry: ColdPlateGeometry = field(default_factory=ColdPlateGeometry)
    bypass: BypassSpec | None = None

    def __post_init__(self):
        owner = "PumpedLoopSpec"
        if self.coolant not in COOLANTS:
            raise ValueError(f"{owner}.coolant: unknown coolant {self.coolant!r}; "
                             f"known coolants: {', '.join(sorted(COOLANTS))}")
        for name in ("flow_rate_kg_s", "tube_inner_diameter_m", "radiator_tube_spacing_m", "loop_pressure_Pa",
                     "radiator_path_length_m"):
            check_positive(f"{owner}.{name}", getattr(self, name))
        if not (0.0 < self.pump_efficiency <= 1.0):
            raise ValueError(f"{owner}.pump_efficiency must be in (0, 1], got {self.pump_efficiency!r}")
        if self.radiator_tube_spacing_m <= self.tube_inner_diameter_m:
            raise ValueError(f"{owner}.radiator_tube_spacing_m {self.radiator_tube_spacing_m!r} must exceed "
                             f"tube_inner_diameter_m {self.tube_inner_diameter_m!r}")
        if self.cold_plate_conductance_W_K is not None:
            check_positive(f"{owner}.cold_plate_conductance_W_K", self.cold_plate_conductance_W_K)
        if self.radiator_parallel_paths is not None and not (
                isinstance(self.radiator_parallel_paths, (int, np.integer))
                and not isinstance(self.radiator_parallel_paths, bool) and self.radiator_parallel_paths >= 1):
            raise ValueError(f"{owner}.radiator_parallel_paths must be an integer >= 1 or None, "
                             f"got {self.radiator_parallel_paths!r}")
        if not (math.isfinite(self.minor_loss_fraction) and self.minor_loss_fraction >= 0.0):
            raise ValueError(f"{owner}.minor_loss_fraction must be >= 0, got {self.minor_loss_fraction!r}")


# Axial heat-transport capability of an aluminium/ammonia axially (covered-)grooved heat pipe at
# 20 degC: 143 W m measured on the NASA covered-groove extrusion (Grumman Aerospace final report,
# "Analysis and tests of NASA covered groove heat pipe", 1976; ADS 1976gac..reptR). Typical
# 12.7 mm spacecraft CCHP extrusions are quoted at 100-250 W m (Gilmore 2002 ch. 14; secondary).
GROOVED_AL_NH3_TRANSPORT_W_M = 143.0


@dataclass(frozen=True)
class HeatPipeSpec:
    """A network of constant-conductance heat pipes from the compute deck to the radiators.

    Attributes
    ----------
    conductance_W_K : float
        End-to-end conductance of the whole network, evaporator film + condenser film (+ saddles)
        [W/K].
    max_transport_W_m : float
        Capillary limit of one pipe as Q * L_eff [W m] at 20 degC, e.g.
        :data:`GROOVED_AL_NH3_TRANSPORT_W_M` for axially grooved aluminium-ammonia pipes.
    pipe_count : int
        Pipes sharing the load in parallel; the network capacity is pipe_count * max_transport_W_m.
    """
    conductance_W_K: float
    max_transport_W_m: float
    pipe_count: int = 1

    def __post_init__(self):
        check_positive("HeatPipeSpec.conductance_W_K", self.conductance_W_K)
        check_positive("HeatPipeSpec.max_transport_W_m", self.max_transport_W_m)
        if not (isinstance(self.pipe_count, int) and self.pipe_count >= 1):
            raise ValueError(f"HeatPipeSpec.pipe_count must be an integer >= 1, got {self.pipe_count!r}")


@dataclass(frozen=True)
class ConductionSpec:
    """No active transport: heat reaches the radiators through structure and joints only.

    The conductances follow from the geometry and materials (network or finite-element model);
    this module adds nothing for them.
    """


TransportSpec = PumpedLoopSpec | HeatPipeSpec | ConductionSpec


ATTITUDES = ("nadir", "sun")


SHADOW_MODELS = ("conical", "cylindrical", "none")


ALBEDO_MODELS = ("integrated", "subsolar")
