"""The ``sizing`` and ``economics`` sections of a case: their types and their reading.

A sizing case sizes radiators, solar arrays and batteries for a compute target, then checks one
module with the thermal models (:mod:`thermal.sizing`). Its inputs reuse the case's own types:
the GPU node is the case's :class:`thermal.core.compute.Compute` (``compute`` is one node), the
array is the power section's :class:`power.system.SolarArrayConfig` and the battery its
:class:`power.system.BatteryConfig` (capacity None: to be sized). What only the sizing has is
here: how the radiator is sized (:class:`RadiatorSizing`), the junction-to-radiator chain, the
specific masses, the launcher and the cost inputs, each default with its source.

Whatever the rest of the case already says is the default: the node, the radiator (coating,
facing, one or two sides of the first ``spacecraft.radiators`` entry), the attitude, the
coatings' life state, the solar cell, packing factor, losses, pointing and life of
``power.solar_array`` and the battery cell and depth of discharge of ``power.battery``.

Junction reference (``sizing.transport.junction_reference``)
-------------------------------------------------------------
The library's ``junction_to_coolant`` resistance (0.03 K/W for the H100) includes the cold-plate
film and pairs with a coolant temperature, "conservatively the cold-plate outlet"; so do both
thermal models (the network's ``cold_plates`` node is the coolant leaving the plates). The sizing
chain refers the resistance to the coolant supply, so ``cold_plate_outlet`` (the default) adds the
loop's coolant rise to the cold-plate drop (``R + dT / P_gpu``); ``coolant_supply`` takes the
resistance as referred to the supply, ``dT`` (10 K by default) less conservative.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from geometry.spec import NAMED_DIRECTIONS, TRACKED_FACINGS, BusSpec, Facing, PlateSpec
from power.cells import BATTERY_CELLS, SOLAR_CELLS
from power.system import BatteryConfig, SolarArrayConfig
from thermal.case.reader import Section, check_plausible, lookup, suggest
from thermal.case.units import to_unit
from thermal.core.checks import check_fields, check_fraction, is_finite, need
from thermal.core.compute import DGX_H100_NODE, Compute
from thermal.core.constants import HOURS_PER_YEAR
from thermal.core.errors import CaseError
from thermal.core.library import COATINGS, Coating

#: ``sizing.target`` keys -> (name in :attr:`SizingConfig.target`, unit, example).
TARGETS = {"compute_power": ("compute_power_W", "W", "1 MW"),
           "gpu_count": ("gpu_count", None, "1400"),
           "heat_rejection": ("heat_rejection_W", "W", "120 kW")}
#: ``sizing.orbit_cases``: the case's orbit alone, or every orbit it sees over a year (a
#: sun-synchronous orbit at 24 epochs, an inclined one at every beta its inclination allows).
ORBIT_CASES = ("case", "year")
#: ``sizing.transport.junction_reference``, see the module docstring.
JUNCTION_REFERENCES = ("cold_plate_outlet", "coolant_supply")
#: ``sizing.refine``: refine the analytic radiator area with the network model, or keep it.
REFINE_METHODS = ("network", "none")
#: Thermal models that may check the design (``sizing.check``).
CHECK_MODELS = ("network", "fe")
#: Radiator sizing bases: the hottest instant of the orbit environment, or its orbit average
#: (:mod:`thermal.sizing.radiator`).
SIZING_BASES = ("peak", "orbit_average")
#: Facings a sized radiator may have: a body direction or vector (as every part), or a direction
#: that turns with the sun (:data:`geometry.spec.TRACKED_FACINGS`: ``edge_on`` is perpendicular to
#: both the nadir and the sun, a yaw-steered panel that sees neither).
FACINGS = tuple(NAMED_DIRECTIONS) + TRACKED_FACINGS


#: Mass of one NVIDIA DGX H100 (8 GPUs, 2 CPUs, 2 TB RAM, NICs, fans, 6 PSUs, chassis) [kg],
#: DGX H100 datasheet (287.6 lb). A terrestrial server flown as is: the heavy bound.
DGX_H100_NODE_KG = 130.45


#: Mass of a space-optimised 8-GPU node [kg] (ASSUMED): the DGX's 8U steel chassis, fans,
#: redundant power supplies, drive bays and air heat sinks replaced by cold plates on a light
#: board carrier; GPUs, baseboard, CPUs, memory and NICs kept. No flight unit has been
#: published; override it with your own design.
SPACE_OPTIMISED_NODE_KG = 60.0


@dataclass(frozen=True)
class SpecificMasses:
    """Mass per unit of each subsystem, for the mass breakdown of a design.

    Parameters
    ----------
    radiator_kg_m2 : float, default 3.0
        Radiator panel mass per m^2 of panel (one side; a two-sided panel radiates from both
        faces for the same mass) including its fins, embedded tubes or heat pipes and deployment
        hinges [kg/m^2]. Conventional honeycomb panels are about 7 kg/m^2 and lightweight
        deployable concepts 0.5-3 kg/m^2 (NASA SBIR 91-1-09.08 [9]). Default 3: a megawatt
        radiator has to be deployable, so the conventional figure overstates it, while 0.5 is
        a concept goal; 3 is the top of the deployable range, the least optimistic figure for
        that kind of design.
    array_W_kg : float or None, default 150
        Whole solar-array wing (blanket, booms, drive and deployment mechanisms) specific power
        at beginning of life, AM0 at 28 degC [W/kg] (flexible blanket arrays about 150 W/kg,
        Mikulas et al., NTRS 20150006022 [6]). The array's beginning-of-life power is
        ``area x 1361 W/m^2 x packing x BOL efficiency``. None: blanket only, from the cell's
        areal density (:func:`power.sizing.array_mass_kg`; no booms or mechanisms).
    battery_pack_Wh_kg : float or None, default None
        Battery pack specific energy [Wh/kg]. None: the battery cell's pack value
        (:attr:`power.cells.BatteryCell.pack_specific_energy_Wh_kg`; VES180: 160 Wh/kg at cell
        level x pack factor 0.75 = 120 Wh/kg).
    compute_kg_per_node : float, default :data:`DGX_H100_NODE_KG` (130.45)
        Mass of one GPU node (server) [kg]; DGX H100 datasheet [5]. A space-optimised server is
        lighter: :data:`SPACE_OPTIMISED_NODE_KG` (60 kg, assumed).
    heat_transport_kg_per_kW : float, default 10
        Pumped-loop mass per kW of heat carried: pump package, accumulator, valves, plumbing,
        coolant and cold plates, not the radiator panels [kg/kW]. The ISS external loop pump
        module is 354 kg for 35 kW (10 kg/kW; NASA 2010 [8]). For scale: the ISS radiator
        assemblies alone are 96 kg per kW rejected (6 x 1,123 kg for 70 kW), the heavy bound
        for radiators plus transport together.
    structure_fraction : float, default 0.20
        Structure, mechanisms, harness, power distribution and the small bus boxes (avionics,
        attitude control, communications) as a fraction of the equipment mass above [-].
        ASSUMED: conventional satellites carry structure and mechanisms near 20-25 % of dry
        mass (SMAD 3rd ed., App. A, secondary reading), but a data-centre module is dominated
        by deployable radiator and array wings whose specific masses already include their own
        support.
    margin_fraction : float, default 0.20
        Mass growth allowance on the whole dry mass, structure included [-]: 20 %, a system-level
        allowance for a conceptual design in the sense of AIAA S-120A [10].
    bus_kg_per_module : float, default 1,000
        Fixed mass of each module's bus: avionics, attitude control (control-moment gyros for
        thousands of m^2 of wings), communications (optical links), propulsion dry mass [kg].
        ASSUMED; for scale, a whole Starlink v2 mini satellite is about 730-800 kg. Range
        300-3,000 kg. Not scaled by the structure fraction (its own structure is in it), but by
        the margin.
    shielding_kg_per_node : float, default 0
        Radiation shielding added around each GPU node [kg]. ASSUMED 0: commercial GPUs flown
        behind the spacecraft's own structure and radiator panels; range 0-50 kg (about 5 mm of
        aluminium over a 1 m^2 node, 13.5 kg, and up).
    """

    radiator_kg_m2: float = 3.0
    array_W_kg: float | None = 150.0
    battery_pack_Wh_kg: float | None = None
    compute_kg_per_node: float = DGX_H100_NODE_KG
    heat_transport_kg_per_kW: float = 10.0
    structure_fraction: float = 0.20
    margin_fraction: float = 0.20
    bus_kg_per_module: float = 1_000.0
    shielding_kg_per_node: float = 0.0

    def __post_init__(self):
        check_fields(self, positive=("radiator_kg_m2", "compute_kg_per_node",))
        check_fields(self, non_negative=("heat_transport_kg_per_kW", "structure_fraction", "margin_fraction",
                                         "bus_kg_per_module", "shielding_kg_per_node"))
        for name in ("array_W_kg", "battery_pack_Wh_kg"):
            v = getattr(self, name)
            need(v is None or (is_finite(v) and v > 0), f"SpecificMasses.{name}",
                  "None or a finite number > 0", v)

    def battery_Wh_kg(self, cell=None) -> float:
        """Pack specific energy in use [Wh/kg]: the override, else the cell's pack value."""
        if self.battery_pack_Wh_kg is not None:
            return self.battery_pack_Wh_kg
        cell = cell if cell is not None else BATTERY_CELLS["VES180"]
        return cell.pack_specific_energy_Wh_kg


LAUNCH_CHARGES = ("per_kg", "per_launch")


@dataclass(frozen=True)
class LaunchOptions:
    """A launch vehicle as a price and a capacity.

    Parameters
    ----------
    name : str
        Label.
    price_usd_kg : float
        Price per kg of payload capacity to the target orbit [USD/kg].
    payload_kg : float
        Mass one launch puts in the target orbit [kg]; also the default largest module.
    charge : {'per_kg', 'per_launch'}, default 'per_kg'
        'per_kg': launch cost = price x launched mass (rideshare-like, or a fleet that fills
        every launch). 'per_launch': whole launches are bought, cost = launches x price x
        payload.
    source : str
        Where the figures come from.
    site_latitude_rad : float or None
        Latitude of the launch site [rad]; with the three below, the payload model of
        :func:`thermal.sizing.economics.launch_to_orbit` (None: the headline payload and price
        hold for any orbit).
    reference_altitude_m : float, default 250 km
        Circular orbit, launched due east, that the headline payload is quoted to [m]. ASSUMED.
    stage_isp_s : float, default 380
        Specific impulse of the stage that reaches orbit [s].
    stage_dry_kg : float, default 100,000
        Dry mass of the stage that reaches orbit [kg].
    """

    name: str
    price_usd_kg: float
    payload_kg: float
    charge: str = "per_kg"
    source: str = ""
    site_latitude_rad: float | None = None
    reference_altitude_m: float = 250e3
    stage_isp_s: float = 380.0
    stage_dry_kg: float = 100_000.0

    def __post_init__(self):
        check_fields(self, positive=("payload_kg", "reference_altitude_m", "stage_isp_s"))
        check_fields(self, non_negative=("stage_dry_kg",))
        need(self.site_latitude_rad is None or (is_finite(self.site_latitude_rad)
                                                and abs(self.site_latitude_rad) < 0.5 * math.pi),
             "LaunchOptions.site_latitude_rad", "None or a latitude within +-90 deg", self.site_latitude_rad)
        need(is_finite(self.price_usd_kg), "LaunchOptions.price_usd_kg", "a finite price",
              self.price_usd_kg)
        need(self.charge in LAUNCH_CHARGES, "LaunchOptions.charge", f"one of {LAUNCH_CHARGES}",
              self.charge)

    @property
    def price_per_launch_usd(self) -> float:
        """Price of one full launch, price x payload [USD]."""
        return self.price_usd_kg * self.payload_kg


FALCON_9 = LaunchOptions(
    "Falcon 9", 3600.0, 17_500.0,
    source="3,600 USD/kg (SpaceNews); about 17.5 t to LEO with booster recovery (secondary); from Cape "
           "Canaveral (28.5 deg N); second stage about 4 t dry, Merlin Vacuum 348 s (SpaceX, secondary)",
    site_latitude_rad=math.radians(28.5), stage_isp_s=348.0, stage_dry_kg=4_000.0,
)


STARSHIP_NEAR_TERM = LaunchOptions(
    "Starship (near term)", 250.0, 100_000.0,
    source="middle of the 200-300 USD/kg quoted for Starship V3 (SpaceNews, secondary); 100 t, "
           "the low end of the 100-150 t payload targets; from Starbase (26.0 deg N); ship about 100 t "
           "dry, Raptor Vacuum 380 s (secondary)",
    site_latitude_rad=math.radians(25.99), stage_isp_s=380.0, stage_dry_kg=100_000.0,
)


STARSHIP_ASPIRATIONAL = LaunchOptions(
    "Starship (aspirational)", 100.0, 150_000.0,
    source="'below 100 USD/kg' target taken at its bound of 100 USD/kg; 150 t payload target "
           "(secondary); from Starbase (26.0 deg N); ship about 100 t dry, Raptor Vacuum 380 s (secondary)",
    site_latitude_rad=math.radians(25.99), stage_isp_s=380.0, stage_dry_kg=100_000.0,
)


LAUNCH_OPTIONS = {o.name: o for o in (FALCON_9, STARSHIP_NEAR_TERM, STARSHIP_ASPIRATIONAL)}


@dataclass(frozen=True)
class CostInputs:
    """Inputs common to the orbital and terrestrial cost, and the orbital hardware's prices by part.

    Parameters
    ----------
    mission_years : float, default 5
        Service life over which costs are spread, the same on both sides [year].
    gpu_price_usd : float, default 27,500
        Price of one H100 SXM [USD]: middle of the 25,000-30,000 USD street price quoted in the
        trade press 2023-2025 (secondary). The rest of the server is not included; being the
        same on both sides it changes the cost per GPU-hour but not the break-even launch price.
    spacecraft_usd_per_kg : float, default 1,000
        Manufacturing cost of the orbital hardware priced by mass: heat transport, structure,
        module bus, shielding, propulsion dry mass and the mass margin [USD/kg]. ASSUMED at the
        level of mass-produced Starlink satellites, 770-1,100 USD/kg (Quilty Space estimates,
        secondary [11]); conventional spacecraft cost one to two orders of magnitude more.
        Range 500-5,000 USD/kg.
    array_usd_per_W : float, default 100
        Solar array (wings, drive, harness) per W of beginning-of-life power at AM0 [USD/W].
        ASSUMED for III-V multi-junction cells (the sizing's XTJ Prime) in volume production;
        conventional space arrays are quoted at several hundred USD/W (secondary), a
        silicon-cell array made like Starlink's far less. Range 20-400 USD/W.
    battery_usd_per_kWh : float, default 1,000
        Battery pack per kWh of nameplate capacity [USD/kWh]. ASSUMED: space-qualified Li-ion;
        terrestrial packs averaged 139 USD/kWh in 2023 (BloombergNEF battery price survey).
        Range 150-5,000 USD/kWh.
    radiator_usd_per_m2 : float, default 3,000
        Deployable radiator panel per m^2 (one side) [USD/m^2]. ASSUMED: 1,000 USD/kg times the
        3 kg/m^2 default areal mass. Range 500-20,000 USD/m^2.
    bus_usd_per_module : float, default 2,000,000
        Fixed cost of each module's bus (avionics, attitude control, communications,
        propulsion) beyond its mass-priced hardware [USD]. ASSUMED: a whole Starlink v2 mini
        is about 0.8 M USD (Quilty, secondary). Range 0.5-10 M USD.
    gpu_failure_rate_per_year : float, default 0.09
        Fraction of the GPUs that fail a year, not repaired in orbit, replaced on the ground
        [1/year]. 220 GPU and HBM failures in 54 days on 16,384 H100 (Llama 3 training,
        Dubey et al. 2024, arXiv:2407.21783, table 5): 9.1 % a year. Range 0.03-0.15.
    spares_fraction : float, default 0
        Spare GPUs carried, as a fraction of the working ones, switched in as GPUs fail (their
        price and mass are costed; their mass is launched but not in the module mass limit of
        the sizing) [-]. Range 0-0.3.
    """

    mission_years: float = 5.0
    gpu_price_usd: float = 27_500.0
    spacecraft_usd_per_kg: float = 1_000.0
    array_usd_per_W: float = 100.0
    battery_usd_per_kWh: float = 1_000.0
    radiator_usd_per_m2: float = 3_000.0
    bus_usd_per_module: float = 2.0e6
    gpu_failure_rate_per_year: float = 0.09
    spares_fraction: float = 0.0

    def __post_init__(self):
        check_fields(self, positive=("mission_years",))
        check_fields(self, non_negative=("gpu_price_usd", "spacecraft_usd_per_kg", "array_usd_per_W",
                                         "battery_usd_per_kWh", "radiator_usd_per_m2", "bus_usd_per_module",
                                         "gpu_failure_rate_per_year", "spares_fraction"))

    @property
    def mission_hours(self) -> float:
        """Mission life [h]."""
        return self.mission_years * HOURS_PER_YEAR


@dataclass(frozen=True)
class TerrestrialComparison:
    """A data centre on the ground carrying the same GPUs.

    Parameters
    ----------
    construction_usd_per_W : float, default 11.7
        Construction cost per W of IT capacity, excluding IT equipment [USD/W] (11.7 M USD/MW,
        Cushman & Wakefield 2025 average; range 9.3-15 [2]).
    pue : float, default 1.3
        Power usage effectiveness [-]. 1.3: what new builds reach (Uptime Institute [3]) and the
        fair competitor for a new GPU data centre; the fleet average is 1.55-1.59.
    electricity_usd_kWh : float, default 0.08
        Electricity price [USD/kWh] (US industrial average 2023, EIA [4]).
    """

    construction_usd_per_W: float = 11.7
    pue: float = 1.3
    electricity_usd_kWh: float = 0.08

    def __post_init__(self):
        check_fields(self, non_negative=("construction_usd_per_W", "electricity_usd_kWh",))
        need(is_finite(self.pue) and self.pue >= 1.0, "TerrestrialComparison.pue", "a PUE >= 1",
              self.pue)


@dataclass(frozen=True)
class Propulsion:
    """Station keeping against drag and the deorbit at end of life (``sizing.propulsion``).

    The propellant is a mass item of each module (:func:`thermal.sizing.design.propellant_kg`):
    the rocket equation on the module's dry mass for the drag make-up over the mission and the
    deorbit burn, with the tanks as a fraction of the propellant.

    Parameters
    ----------
    isp_s : float, default 1,500
        Specific impulse of the thrusters [s]. ASSUMED: Hall-effect thrusters as Starlink's
        (krypton or argon, about 1,500-2,500 s, secondary); chemical thrusters about 300 s.
        Range 300-2,500 s.
    drag_coefficient : float, default 2.2
        [-] The customary value for flat surfaces in free-molecular flow (Vallado 2013, sec.
        8.6.2). Range 2.0-2.5.
    density_factor : float, default 1
        Factor on the mean-activity atmospheric density of
        :data:`thermal.sizing.design.ATMOSPHERE_VALLADO` [-]: the density at 500-600 km moves by
        about an order of magnitude between solar minimum and maximum. Range 0.2-5 (ASSUMED).
    disposal_perigee_m : float, default 50 km
        Perigee altitude of the deorbit ellipse [m]: low enough for a prompt reentry of a large
        spacecraft (ASSUMED).
    tankage_fraction : float, default 0.1
        Tanks and feed system per kg of propellant [-] (ASSUMED, typical of pressurised tanks).
    """

    isp_s: float = 1_500.0
    drag_coefficient: float = 2.2
    density_factor: float = 1.0
    disposal_perigee_m: float = 50e3
    tankage_fraction: float = 0.1

    def __post_init__(self):
        check_fields(self, positive=("isp_s", "drag_coefficient", "density_factor"))
        check_fields(self, non_negative=("disposal_perigee_m", "tankage_fraction"))


#: ``economics.payload``: the launcher's payload to the design orbit (:func:`thermal.sizing.economics.launch_to_orbit`)
#: or its headline payload to any orbit.
PAYLOAD_MODELS = ("design_orbit", "headline")


#: ``economics.launch`` presets.
LAUNCHERS = {"falcon9": FALCON_9, "starship": STARSHIP_NEAR_TERM, "starship_aspirational": STARSHIP_ASPIRATIONAL}


@dataclass(frozen=True)
class Uncertain:
    """The default and the uncertainty of one economics input, for studies.

    Attributes
    ----------
    key : str
        Case key path (``economics.hardware.array``).
    attribute : str
        Where the loaded case holds it (``economics.cost.array_usd_per_W``).
    default : float
        The default, in ``unit``: the unit the loaded case holds it in (its name's suffix).
    unit : str
        That unit as a case file writes it (pint syntax; '' for a plain number): ``f"{value} {unit}"``
        is a valid value of ``key``.
    distribution : {'uniform', 'lognormal', 'triangular'}
        'uniform' on [low, high]; 'lognormal' with low and high its 5th and 95th percentiles;
        'triangular' on [low, high] with its mode at the default.
    low, high : float
        In ``unit``.
    source : str
    """

    key: str
    attribute: str
    default: float
    unit: str
    distribution: str
    low: float
    high: float
    source: str


_C, _T, _L, _P = CostInputs(), TerrestrialComparison(), STARSHIP_NEAR_TERM, Propulsion()

#: Every economics input with its default, its range and the range's source: THE table of the
#: default uncertainties (studies read it; docs/case_keys.md shows it).
ECONOMICS_UNCERTAINTY = (
    Uncertain("economics.launch_price", "economics.launch.price_usd_kg", _L.price_usd_kg, "usd/kg", "uniform",
              200.0, 300.0, "200-300 USD/kg quoted for Starship V3 near term (SpaceNews, secondary)"),
    Uncertain("economics.gpu_price", "economics.cost.gpu_price_usd", _C.gpu_price_usd, "usd", "uniform",
              25_000.0, 30_000.0, "H100 SXM street price 25,000-30,000 USD, trade press 2023-2025 (secondary)"),
    Uncertain("economics.mission_years", "economics.mission_years", _C.mission_years, "", "triangular", 3.0, 7.0,
              "ASSUMED: GPU economic life 3-7 years; array and battery end of life follow it"),
    Uncertain("economics.spacecraft_cost", "economics.cost.spacecraft_usd_per_kg", _C.spacecraft_usd_per_kg,
              "usd/kg", "lognormal", 500.0, 5_000.0,
              "Starlink-class 770-1,100 USD/kg (Quilty Space, secondary); conventional spacecraft far more"),
    Uncertain("economics.hardware.array", "economics.cost.array_usd_per_W", _C.array_usd_per_W, "usd/W",
              "lognormal", 20.0, 400.0, "ASSUMED: silicon-cell volume arrays to conventional III-V space arrays"),
    Uncertain("economics.hardware.battery", "economics.cost.battery_usd_per_kWh", _C.battery_usd_per_kWh,
              "usd/kWh", "lognormal", 150.0, 5_000.0,
              "terrestrial packs 139 USD/kWh in 2023 (BloombergNEF) to space-qualified packs (ASSUMED)"),
    Uncertain("economics.hardware.radiator", "economics.cost.radiator_usd_per_m2", _C.radiator_usd_per_m2,
              "usd/m^2", "lognormal", 500.0, 20_000.0, "ASSUMED around 1,000 USD/kg x 3 kg/m^2"),
    Uncertain("economics.hardware.bus", "economics.cost.bus_usd_per_module", _C.bus_usd_per_module, "usd",
              "lognormal", 0.5e6, 10e6, "ASSUMED: a Starlink v2 mini is about 0.8 M USD whole (Quilty, secondary)"),
    Uncertain("economics.gpu_failure_rate", "economics.cost.gpu_failure_rate_per_year",
              _C.gpu_failure_rate_per_year, "", "triangular", 0.03, 0.15,
              "9.1 %/year from the Llama 3 training run (arXiv:2407.21783, table 5); range ASSUMED"),
    Uncertain("economics.terrestrial.construction", "economics.terrestrial.construction_usd_per_W",
              _T.construction_usd_per_W, "usd/W", "triangular", 9.3, 15.0,
              "Cushman & Wakefield 2025: 9.3-15 M USD/MW, average 11.7"),
    Uncertain("economics.terrestrial.pue", "economics.terrestrial.pue", _T.pue, "", "triangular", 1.1, 1.59,
              "Uptime Institute 2020-2023: fleet 1.55-1.59, new builds <= 1.3; 1.1 for the best"),
    Uncertain("economics.terrestrial.electricity", "economics.terrestrial.electricity_usd_kWh",
              _T.electricity_usd_kWh, "usd/kWh", "lognormal", 0.04, 0.15,
              "US industrial average 0.08 USD/kWh (EIA 2023); range ASSUMED"),
    Uncertain("sizing.propulsion.density_factor", "sizing.propulsion.density_factor", _P.density_factor, "",
              "lognormal", 0.2, 5.0, "ASSUMED: about a factor of ten from solar minimum to maximum at 500-600 km"),
    Uncertain("sizing.propulsion.isp", "sizing.propulsion.isp_s", _P.isp_s, "s", "uniform", 300.0, 2_500.0,
              "chemical (about 300 s) to Hall-effect thrusters (1,500-2,500 s)"),
    Uncertain("sizing.specific_masses.bus", "sizing.masses.bus_kg_per_module", SpecificMasses().bus_kg_per_module,
              "kg", "lognormal", 300.0, 3_000.0, "ASSUMED: a Starlink v2 mini weighs about 730-800 kg whole"),
)


@dataclass(frozen=True)
class RadiatorSizing:
    """How the radiator is sized.

    Parameters
    ----------
    coating : Coating, default ``COATINGS['osr']``
        Coating of the radiating faces.
    two_sided : bool, default True
    facing : facing, default 'edge_on'
        Front normal: a body direction (:data:`geometry.spec.NAMED_DIRECTIONS`), a vector in body
        axes, or a tracked direction (:data:`geometry.spec.TRACKED_FACINGS`); the same
        vocabulary as the parts of the case (:mod:`thermal.exposure`).
    fin_efficiency : float, default 0.9
        [-] ASSUMED, typical of a fin-and-tube or heat-pipe panel designed for low mass
        (Gilmore 2002, ch. 6).
    basis : {'peak', 'orbit_average'}, default 'peak'
        Sizing environment (:mod:`thermal.sizing.radiator`).
    temperature_K : float or None, default None
        Given radiator temperature [K]; None: from the GPU junction limit through the chain of
        :class:`SizingConfig`.
    """

    coating: Coating = COATINGS["osr"]
    two_sided: bool = True
    facing: Facing = "edge_on"
    fin_efficiency: float = 0.9
    basis: str = "peak"
    temperature_K: float | None = None

    def __post_init__(self):
        need(isinstance(self.coating, Coating), "RadiatorSizing.coating", "a Coating", self.coating)
        need(self.basis in SIZING_BASES, "RadiatorSizing.basis", f"one of {SIZING_BASES}", self.basis)
        check_fraction("RadiatorSizing.fin_efficiency", self.fin_efficiency, open_low=True)
        need(self.temperature_K is None or (is_finite(self.temperature_K) and self.temperature_K > 0),
             "RadiatorSizing.temperature_K", "None or a temperature > 0 K", self.temperature_K)
        if isinstance(self.facing, str):
            need(self.facing in FACINGS, "RadiatorSizing.facing", f"one of {FACINGS} or a vector", self.facing)
        else:
            v = np.asarray(self.facing, dtype=float)
            need(bool(v.shape == (3,) and np.all(np.isfinite(v)) and np.linalg.norm(v) > 0), "RadiatorSizing.facing",
                 "a non-zero vector [x, y, z]", self.facing)
            object.__setattr__(self, "facing", tuple(float(c) for c in v / np.linalg.norm(v)))


#: The sizing's array when the case has no power section: XTJ Prime cells, two-axis pointing.
DEFAULT_ARRAYS = SolarArrayConfig(cell=SOLAR_CELLS["XTJ-Prime"], area_m2=0.0, pointing="sun_pointing")
#: The sizing's battery when the case has no power section: VES180 cells at 30 % depth of
#: discharge (the cell's LEO life reference: < 20 % loss in 5 years of cycling at 30 %).
DEFAULT_BATTERY = BatteryConfig(cell=BATTERY_CELLS["VES180"], capacity_Wh=None, max_depth_of_discharge=0.30)


@dataclass(frozen=True)
class SizingConfig:
    """The ``sizing`` section: what to size, with which inputs and constraints (SI floats).

    Attributes
    ----------
    target : dict
        One entry: ``{'compute_power_W': W}``, ``{'gpu_count': n}`` or ``{'heat_rejection_W': W}``.
    node : Compute
        One GPU node (the case's ``compute``; default :data:`thermal.core.compute.DGX_H100_NODE`).
    radiator : RadiatorSizing
    arrays : power.system.SolarArrayConfig
        Cell, packing factor, pointing, losses, degradation and mission life (its area is not used).
    battery : power.system.BatteryConfig
        Cell and depth of discharge (``1 - min_state_of_charge``); capacity None.
    masses : SpecificMasses
    attitude : {'nadir', 'sun'}
        The case's attitude law.
    coatings_end_of_life : bool
        Radiator coating at end-of-life absorptivity (the case's ``thermal.coatings_life``).
    power_end_of_life : bool
        Array and battery sized after the mission (the case's ``power.life``).
    bus_load_fraction : float, default 0.03
        Spacecraft bus loads (avionics, pumps, attitude control, communications) as a fraction of
        the compute power [-]. ASSUMED: the pumps of a 10 K-rise water loop at 2 bar need about
        1 % of the heat they carry.
    array_temperature_K : float, default 353.15
        Cell temperature in sunlight [K]: LEO arrays run near 80 degC (REFERENCE_DATA, secondary);
        conservative for a blanket radiating from both faces.
    energy_margin_eol : float, default 0
        The array delivers ``1 + energy_margin_eol`` times the orbit energy balance [-].
    junction_margin_K : float, default 10
        Margin below the GPU junction limit [K]. ASSUMED: the customary uncertainty margin on
        predicted temperatures before test correlation (cf. ECSS-E-ST-31C).
    coolant_rise_K : float, default 10
        Coolant temperature rise over the loop [K]. ASSUMED, typical of direct liquid cooling
        (5-15 K); 0 for a two-phase loop.
    coolant_to_radiator_K : float, default 0
        Fixed drop from the mean coolant temperature to the radiator, e.g. an intermediate heat
        exchanger [K].
    radiator_conductance_W_m2K : float or None, default 100
        Coolant to radiating surface, per m^2 of panel [W/m^2/K]; None: ideal. ASSUMED order of
        magnitude for tubes or heat pipes bonded to a panel.
    junction_reference : {'cold_plate_outlet', 'coolant_supply'}
        See the module docstring.
    radiator_area_m2, array_area_m2, battery_capacity_Wh : float or None
        Fixed per-module values; None: free (sized).
    max_module_mass_kg : float or None
        Largest module [kg]; None: the launcher's payload.
    max_module_power_W : float or None
        Largest compute power per module [W]; None: unlimited.
    orbit_cases : {'case', 'year'}
    samples_per_orbit : int
        Environment samples per orbit [-].
    check_models : tuple of str
        Thermal models that run the check case (:data:`CHECK_MODELS`).
    refine : {'network', 'none'}
        Refine the analytic radiator area with the network model, or keep it.
    propulsion : Propulsion or None, default Propulsion()
        Drag make-up and deorbit propellant carried by each module; None: none (``sizing.propulsion:
        none``).
    battery_cycles_per_year : float or None, default None
        Battery charge-discharge cycles a year for the end-of-life capacity fade [1/year]; None:
        counted from the orbit cases, one per orbit with an eclipse
        (:attr:`thermal.sizing.orbit_cases.SizingEnvironment.eclipsed_orbits_per_year`; a 550 km
        dawn-dusk orbit has about 1,100 a year, a low inclined orbit 5,500).
    """

    target: dict
    node: Compute = DGX_H100_NODE
    radiator: RadiatorSizing = RadiatorSizing()
    arrays: SolarArrayConfig = DEFAULT_ARRAYS
    battery: BatteryConfig = DEFAULT_BATTERY
    masses: SpecificMasses = field(default_factory=lambda: SpecificMasses())
    attitude: str = "nadir"
    coatings_end_of_life: bool = True
    power_end_of_life: bool = True
    bus_load_fraction: float = 0.03
    array_temperature_K: float = 353.15
    energy_margin_eol: float = 0.0
    junction_margin_K: float = 10.0
    coolant_rise_K: float = 10.0
    coolant_to_radiator_K: float = 0.0
    radiator_conductance_W_m2K: float | None = 100.0
    junction_reference: str = "cold_plate_outlet"
    radiator_area_m2: float | None = None
    array_area_m2: float | None = None
    battery_capacity_Wh: float | None = None
    max_module_mass_kg: float | None = None
    max_module_power_W: float | None = None
    orbit_cases: str = "case"
    samples_per_orbit: int = 360
    check_models: tuple = ("network",)
    refine: str = "network"
    propulsion: Propulsion | None = Propulsion()
    battery_cycles_per_year: float | None = None

    def __post_init__(self):
        need(isinstance(self.target, dict) and len(self.target) == 1 and next(iter(self.target), None)
             in {name for name, _, _ in TARGETS.values()}, "SizingConfig.target",
             "one of {'compute_power_W': W}, {'gpu_count': n}, {'heat_rejection_W': W}", self.target)
        value = next(iter(self.target.values()))
        need(is_finite(value) and value > 0, "SizingConfig.target", "a positive target", self.target)
        need(isinstance(self.node, Compute) and self.node.count >= 1, "SizingConfig.node",
             "a Compute with at least one GPU", self.node)
        need(self.attitude in ("nadir", "sun"), "SizingConfig.attitude", "'nadir' or 'sun'", self.attitude)
        check_fields(self, non_negative=("bus_load_fraction", "energy_margin_eol", "junction_margin_K",
                                         "coolant_rise_K", "coolant_to_radiator_K"),
                     positive=("array_temperature_K",))
        for name in ("radiator_conductance_W_m2K", "radiator_area_m2", "array_area_m2", "battery_capacity_Wh",
                     "max_module_mass_kg", "max_module_power_W"):
            v = getattr(self, name)
            need(v is None or (is_finite(v) and v > 0), f"SizingConfig.{name}", "None or a value > 0", v)
        need(self.junction_reference in JUNCTION_REFERENCES, "SizingConfig.junction_reference",
             f"one of {JUNCTION_REFERENCES}", self.junction_reference)
        need(self.orbit_cases in ORBIT_CASES, "SizingConfig.orbit_cases", f"one of {ORBIT_CASES}", self.orbit_cases)
        need(isinstance(self.samples_per_orbit, int) and self.samples_per_orbit >= 8,
             "SizingConfig.samples_per_orbit", "an integer >= 8", self.samples_per_orbit)
        need(len(self.check_models) > 0 and all(m in CHECK_MODELS for m in self.check_models),
             "SizingConfig.check_models", f"models from {CHECK_MODELS}", self.check_models)
        need(self.refine in REFINE_METHODS, "SizingConfig.refine", f"one of {REFINE_METHODS}", self.refine)
        need(self.battery_cycles_per_year is None or (is_finite(self.battery_cycles_per_year)
                                                      and self.battery_cycles_per_year >= 0),
             "SizingConfig.battery_cycles_per_year", "None or a rate >= 0", self.battery_cycles_per_year)

    @property
    def fixed(self) -> dict:
        """The fixed per-module values by name (radiator_area_m2, array_area_m2, battery_capacity_Wh)."""
        return {k: v for k, v in (("radiator_area_m2", self.radiator_area_m2),
                                  ("array_area_m2", self.array_area_m2),
                                  ("battery_capacity_Wh", self.battery_capacity_Wh)) if v is not None}

    @property
    def mission_years(self) -> float:
        """End-of-life epoch of the array and battery [year]."""
        return self.arrays.mission_years

    @property
    def min_state_of_charge(self) -> float:
        """Lowest battery state of charge [-]."""
        return self.battery.min_soc

    @property
    def junction_to_coolant_K_W(self) -> float:
        """GPU junction to coolant supply, one GPU [K/W]: the library's resistance, plus the loop's
        coolant rise over the GPU power when it is referred to the cold-plate outlet."""
        r = self.node.gpu.junction_to_coolant_K_W
        if self.junction_reference == "cold_plate_outlet" and self.node.gpu_power_W > 0:
            r += self.coolant_rise_K / self.node.gpu_power_W
        return r

    @property
    def design_junction_K(self) -> float:
        """The junction temperature the sizing holds: limit less margin [K]."""
        return self.node.gpu.junction_limit_K - self.junction_margin_K


@dataclass(frozen=True)
class RadiatorOnlySizing:
    """A sizing with a heat-rejection target and no compute section: the radiator alone, the
    simplest radiator sizing there is (no GPU node, bus, arrays or battery).

    The area is the Stefan-Boltzmann balance of :func:`thermal.sizing.radiator.radiator_area_m2`
    at the given radiator temperature against the worst orbit case; the mass is the area times
    the radiator's areal mass.

    Attributes
    ----------
    heat_rejection_W : float
        Heat to reject [W].
    radiator : RadiatorSizing
        Coating, sides, facing, fin efficiency, basis; ``temperature_K`` is required.
    radiator_kg_m2 : float
        Areal mass of the panel [kg/m^2].
    attitude, coatings_end_of_life, orbit_cases, samples_per_orbit, check_models :
        As in :class:`SizingConfig`.
    """

    heat_rejection_W: float
    radiator: RadiatorSizing
    radiator_kg_m2: float = 3.0
    attitude: str = "nadir"
    coatings_end_of_life: bool = True
    orbit_cases: str = "case"
    samples_per_orbit: int = 360
    check_models: tuple = ("network",)

    def __post_init__(self):
        need(is_finite(self.heat_rejection_W) and self.heat_rejection_W > 0, "RadiatorOnlySizing.heat_rejection_W",
             "a heat load > 0 W", self.heat_rejection_W)
        need(self.radiator.temperature_K is not None, "RadiatorOnlySizing.radiator.temperature_K",
             "a radiator temperature", None)
        check_fields(self, positive=("radiator_kg_m2",))
        need(self.orbit_cases in ORBIT_CASES, "RadiatorOnlySizing.orbit_cases", f"one of {ORBIT_CASES}",
             self.orbit_cases)


@dataclass(frozen=True)
class EconomicsConfig:
    """The ``economics`` section.

    Attributes
    ----------
    launch : LaunchOptions
        Launcher, headline price and payload, and its payload model to the design orbit
        (``site_latitude_rad`` None with ``economics.payload: headline``: the headline figures).
    mission_years : float or None
        Mission life [year]; None: the sizing's (the power section's, default 5).
    cost : CostInputs
        GPU and spacecraft prices (its mission_years is replaced by the resolved one).
    terrestrial : TerrestrialComparison
        The ground data centre.
    """

    launch: LaunchOptions = STARSHIP_NEAR_TERM
    mission_years: float | None = None
    cost: CostInputs = CostInputs()
    terrestrial: TerrestrialComparison = TerrestrialComparison()


def _free_or(sec: Section, name: str, unit: str, example: str, plausible: str) -> float | None:
    value = sec.raw(name, "free", f"'free' or a quantity, e.g. '{example}'")
    if value == "free":
        return None
    if isinstance(value, str) and value.strip().isalpha():
        raise CaseError(sec.key(name), f"'free' or a quantity, e.g. '{example}'", value,
                        suggest(value, ("free",)))
    si = to_unit(value, unit, sec.key(name), example)
    if not si > 0:
        raise CaseError(sec.key(name), "'free' or a positive value", value)
    check_plausible(sec.key(name), si, plausible, value)
    return si


def _difference(sec: Section, name: str, example: str, default: float) -> float:
    """A temperature difference in K (pint reads '10 degC' as 283.15 K: refused with a hint)."""
    value = sec.data.get(name)
    if isinstance(value, str) and ("degC" in value or "degF" in value or "celsius" in value.lower()):
        raise CaseError(sec.key(name), f"a temperature difference in K, e.g. '{example}'", value,
                        "degC reads as an absolute temperature")
    return sec.quantity(name, "K", example, default, minimum=0.0, plausible="temperature_rise")


def _fraction(sec: Section, name: str, default, *, lo_open=False, hi_open=False) -> float:
    value = sec.number(name, default, lo=0.0, hi=1.0, lo_open=lo_open)
    if hi_open and value >= 1.0:
        raise CaseError(sec.key(name), "a number in [0, 1)", sec.data.get(name, value))
    return value


def _target(sec: Section) -> dict:
    value = sec.raw("target", expected="a mapping with one of compute_power, gpu_count, heat_rejection, "
                                       "e.g. {compute_power: 1 MW}")
    t = Section(value, sec.key("target"))
    given = [k for k in t.data if k in TARGETS]
    if len(given) != 1:
        unknown = [k for k in t.data if k not in TARGETS]
        if unknown and not given:
            raise CaseError(t.key(str(unknown[0])), "one of compute_power, gpu_count, heat_rejection",
                            unknown[0], suggest(unknown[0], TARGETS) or "unknown target")
        raise CaseError(sec.key("target"), "exactly one of compute_power, gpu_count, heat_rejection",
                        ", ".join(map(str, t.data)) or "none of them")
    key = given[0]
    name, unit, example = TARGETS[key]
    out: dict[str, float | int]
    if unit is None:
        out = {name: t.integer(key, lo=1, plausible="fleet_gpu_count")}
    else:
        out = {name: t.quantity(key, unit, example, positive=True, plausible="power")}
    t.done()
    return out


def _coating_entry(value, key: str, coatings: dict) -> Coating:
    if isinstance(value, dict):
        c = Section(value, key)
        alpha = c.number("absorptivity", lo=0.0, hi=1.0)
        eps = c.number("emissivity", lo=0.0, hi=1.0, lo_open=True)
        alpha_eol = c.number("absorptivity_eol", alpha, lo=0.0, hi=1.0)
        ir = c.number("ir_absorptivity", None, lo=0.0, hi=1.0)
        c.done()
        return Coating(name=key, absorptivity=alpha, emissivity=eps, source="given in the case",
                       absorptivity_eol=alpha_eol, infrared_absorptivity=ir)
    return lookup(coatings, value, key)


def _sizing_facing(value, key: str):
    names = FACINGS
    if isinstance(value, str):
        if value not in names:
            raise CaseError(key, f"one of {', '.join(names)} or a vector [x, y, z]", value, suggest(value, names))
        return value
    if isinstance(value, (list, tuple)) and len(value) == 3 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 1e300 for v in value):
        v = np.asarray(value, dtype=float)
        n = float(np.linalg.norm(v))
        if not (n > 0 and math.isfinite(n)):
            raise CaseError(key, "a non-zero direction vector [x, y, z]", value)
        return tuple(float(c) for c in v / n)
    raise CaseError(key, f"one of {', '.join(names)} or a vector [x, y, z]", value)


def read_sizing(sec: Section, context: dict) -> SizingConfig | RadiatorOnlySizing:
    """Read the ``sizing`` section.

    Keys (defaults from the rest of the case, else from :class:`SizingConfig`): ``target``
    (exactly one of ``compute_power``, ``gpu_count``, ``heat_rejection``); ``radiator_area``,
    ``array_area``, ``battery_capacity`` (``free`` or a fixed quantity per module);
    ``junction_margin`` (10 K); ``radiator_temperature`` (optional); ``min_state_of_charge`` (1 - the
    battery's depth of discharge); ``energy_margin_eol`` (0); ``max_module_mass`` (the launcher's
    payload); ``max_module_power``; ``orbit_cases`` (case | year); ``samples_per_orbit`` (360);
    ``bus_load_fraction`` (0.03); ``array_temperature`` (80 degC); ``check`` (the solver's model,
    or a list of models); ``refine`` (network | none); ``radiator: {coating, facing, two_sided,
    fin_efficiency (0.9), basis (peak | orbit_average)}``; ``transport: {coolant_rise (10 K),
    coolant_to_radiator (0 K), radiator_conductance (100 W/m^2/K | ideal), junction_reference
    (cold_plate_outlet | coolant_supply)}``; ``specific_masses: {radiator (3 kg/m^2), array
    (150 W/kg), battery (the cell's pack value), compute_node (130.45 kg), heat_transport
    (10 kg/kW), structure_fraction (0.2), margin (0.2), bus (1,000 kg per module), shielding (0 kg
    per node)}``; ``propulsion`` (none | {isp (1,500 s), drag_coefficient (2.2), density_factor (1),
    disposal_perigee (50 km), tankage (0.1)}); ``battery_cycles`` (orbit | cycles a year).

    Parameters
    ----------
    sec : thermal.case.reader.Section
        The section (``top.section("sizing")``).
    context : dict
        What the case has already read: ``library`` (with ``coatings``), ``orbit``, ``attitude``,
        ``compute`` (required: the node), ``spacecraft`` (a bus with at least one radiator),
        ``thermal``, ``power``, ``solver``.

    Raises
    ------
    thermal.core.errors.CaseError
        A bad value, naming its key path (exit code 2).
    """
    coatings = context["library"]["coatings"]
    compute, spacecraft, thermal, power = (context[k] for k in ("compute", "spacecraft", "thermal", "power"))
    if compute is None:
        target = sec.data.get("target")
        if isinstance(target, dict) and "heat_rejection" in target:
            return _read_radiator_only(sec, context)
        raise CaseError("compute", "a compute section: the GPU node the sizing replicates "
                                   "(gpu, count per node, overhead per node); without one, only a "
                                   "target: {heat_rejection: ...} sizes a radiator alone", hint="missing")
    if not isinstance(spacecraft, BusSpec) or not spacecraft.radiators:
        raise CaseError("spacecraft.radiators", "a bus (kind: bus) with at least one radiator for the sizing "
                                                "to scale", "none", hint="")
    d = SizingConfig(target={"gpu_count": 1})   # the defaults
    target = _target(sec)
    radiator_area = _free_or(sec, "radiator_area", "m^2", "2000 m^2", "area")
    array_area = _free_or(sec, "array_area", "m^2", "5000 m^2", "area")
    battery_capacity = _free_or(sec, "battery_capacity", "Wh", "1.6 MWh", "energy")
    margin = _difference(sec, "junction_margin", "10 K", d.junction_margin_K)
    t_rad = sec.quantity("radiator_temperature", "K", "20 degC", None, positive=True, plausible="temperature")
    battery = power.battery if power is not None else d.battery
    min_soc = _fraction(sec, "min_state_of_charge", battery.min_soc, hi_open=True)
    energy_margin = sec.number("energy_margin_eol", d.energy_margin_eol, lo=0.0, plausible="energy_margin")
    max_mass = sec.quantity("max_module_mass", "kg", "100 t", None, positive=True, plausible="mass")
    max_power = sec.quantity("max_module_power", "W", "1 MW", None, positive=True, plausible="power")
    orbit_cases = sec.choice("orbit_cases", ORBIT_CASES, "case")
    samples = sec.integer("samples_per_orbit", d.samples_per_orbit, lo=8, plausible="samples_per_orbit")
    check_models = _check_models(sec, context["solver"].model)
    refine = sec.choice("refine", REFINE_METHODS, "network")

    # the radiator: defaults from the case's first radiator
    first = spacecraft.radiators[0]
    r = sec.section("radiator")
    coating = _coating_entry(r.raw("coating", first.front), r.key("coating"), coatings) \
        if "coating" in r.data else first.front
    r.read.add("coating")
    facing = _sizing_facing(r.raw("facing", first.facing), r.key("facing"))
    radiator = RadiatorSizing(
        coating=coating, two_sided=r.boolean("two_sided", first.two_sided), facing=facing,
        fin_efficiency=r.number("fin_efficiency", d.radiator.fin_efficiency, lo=0.0, hi=1.0, lo_open=True),
        basis=r.choice("basis", SIZING_BASES, d.radiator.basis), temperature_K=t_rad)
    r.done()

    # junction -> coolant -> radiator
    t = sec.section("transport")
    rise = _difference(t, "coolant_rise", "10 K", d.coolant_rise_K)
    drop = _difference(t, "coolant_to_radiator", "2 K", d.coolant_to_radiator_K)
    u_raw = t.raw("radiator_conductance", None, "a conductance per m^2, e.g. '100 W/m^2/K', or 'ideal'")
    if u_raw is None:
        conductance = d.radiator_conductance_W_m2K
    elif u_raw == "ideal":
        conductance = None
    else:
        conductance = t.quantity("radiator_conductance", "W/m^2/K", "100 W/m^2/K", positive=True,
                                 plausible="film_conductance")
    reference = t.choice("junction_reference", JUNCTION_REFERENCES, d.junction_reference)
    t.done()

    # array and battery: the power section's, with the sizing's depth of discharge
    array_temperature = sec.quantity("array_temperature", "K", "80 degC", d.array_temperature_K, positive=True,
                                     plausible="temperature")
    if power is not None:
        if any(w.pointing == "fixed" for w in spacecraft.solar_arrays):
            raise CaseError("spacecraft.solar_arrays", "sun-tracking or sun-pointing wings for the sizing "
                                                       "(fixed wings are not sized)", "fixed")
        arrays = power.arrays
    else:
        arrays = d.arrays
    battery = dataclasses.replace(battery, capacity_Wh=None, max_depth_of_discharge=1.0 - min_soc,
                                  max_charge_W=None, max_discharge_W=None)

    # specific masses
    m = sec.section("specific_masses")
    dm = d.masses
    battery_raw = m.raw("battery", None, "a specific energy, e.g. '120 Wh/kg', or 'cell'")
    masses = SpecificMasses(
        radiator_kg_m2=m.quantity("radiator", "kg/m^2", "3 kg/m^2", dm.radiator_kg_m2, positive=True,
                                  plausible="areal_mass"),
        array_W_kg=m.quantity("array", "W/kg", "150 W/kg", dm.array_W_kg, positive=True, plausible="specific_power"),
        battery_pack_Wh_kg=None if battery_raw in (None, "cell") else
        m.quantity("battery", "Wh/kg", "120 Wh/kg", positive=True, plausible="specific_energy"),
        compute_kg_per_node=m.quantity("compute_node", "kg", "130 kg", dm.compute_kg_per_node, positive=True,
                                       plausible="mass"),
        heat_transport_kg_per_kW=m.quantity("heat_transport", "kg/kW", "10 kg/kW", dm.heat_transport_kg_per_kW,
                                            minimum=0.0, plausible="mass_per_power"),
        structure_fraction=m.number("structure_fraction", dm.structure_fraction, lo=0.0, plausible="fraction_of_mass"),
        margin_fraction=m.number("margin", dm.margin_fraction, lo=0.0, plausible="fraction_of_mass"),
        bus_kg_per_module=m.quantity("bus", "kg", "1000 kg", dm.bus_kg_per_module, minimum=0.0, plausible="mass"),
        shielding_kg_per_node=m.quantity("shielding", "kg", "10 kg", dm.shielding_kg_per_node, minimum=0.0,
                                         plausible="mass"),
    )
    m.done()
    propulsion = _propulsion(sec)
    cycles_raw = sec.raw("battery_cycles", "orbit", "'orbit' (one per eclipse of the orbit cases) or cycles a year, "
                                                    "e.g. 5500")
    battery_cycles = None if cycles_raw == "orbit" else \
        sec.number("battery_cycles", lo=0.0, plausible="cycles_per_year")
    bus_load_fraction = sec.number("bus_load_fraction", d.bus_load_fraction, lo=0.0, plausible="fraction_of_power")
    sec.done()
    return _built("sizing", SizingConfig,
        target=target, node=compute, radiator=radiator, arrays=arrays, battery=battery, masses=masses,
        attitude=context["attitude"], coatings_end_of_life=thermal.end_of_life,
        power_end_of_life=power.end_of_life if power is not None else True,
        bus_load_fraction=bus_load_fraction, array_temperature_K=array_temperature,
        energy_margin_eol=energy_margin, junction_margin_K=margin, coolant_rise_K=rise,
        coolant_to_radiator_K=drop, radiator_conductance_W_m2K=conductance, junction_reference=reference,
        radiator_area_m2=radiator_area, array_area_m2=array_area, battery_capacity_Wh=battery_capacity,
        max_module_mass_kg=max_mass, max_module_power_W=max_power, orbit_cases=orbit_cases,
        samples_per_orbit=samples, check_models=check_models, refine=refine, propulsion=propulsion,
        battery_cycles_per_year=battery_cycles)


def _propulsion(sec: Section) -> Propulsion | None:
    """``sizing.propulsion``: ``none``, or ``{isp, drag_coefficient, density_factor, disposal_perigee,
    tankage}`` (defaults :class:`Propulsion`)."""
    raw = sec.data.get("propulsion")
    if raw == "none":
        sec.read.add("propulsion")
        return None
    if raw is not None and not isinstance(raw, dict):
        raise CaseError(sec.key("propulsion"), "'none' or a mapping {isp, drag_coefficient, density_factor, "
                                               "disposal_perigee, tankage}", raw)
    p = sec.section("propulsion")
    d = Propulsion()
    out = Propulsion(
        isp_s=p.quantity("isp", "s", "1500 s", d.isp_s, positive=True, plausible="specific_impulse"),
        drag_coefficient=p.number("drag_coefficient", d.drag_coefficient, lo=0.0, lo_open=True,
                                  plausible="drag_coefficient"),
        density_factor=p.number("density_factor", d.density_factor, lo=0.0, lo_open=True, plausible="scale_factor"),
        disposal_perigee_m=p.quantity("disposal_perigee", "m", "50 km", d.disposal_perigee_m, minimum=0.0,
                                      plausible="perigee"),
        tankage_fraction=p.number("tankage", d.tankage_fraction, lo=0.0, plausible="fraction_of_mass"))
    p.done()
    return out


#: Keys of the sizing block that size the GPU node, bus, arrays or battery: none of them means
#: anything in a radiator-only sizing.
NODE_ONLY_KEYS = ("radiator_area", "array_area", "battery_capacity", "junction_margin", "min_state_of_charge",
                  "energy_margin_eol", "max_module_mass", "max_module_power", "refine", "transport",
                  "array_temperature", "bus_load_fraction", "propulsion", "battery_cycles")


def _read_radiator_only(sec: Section, context: dict) -> RadiatorOnlySizing:
    """The sizing block of a case without compute: ``target: {heat_rejection}``, the required
    ``radiator_temperature``, ``radiator: {coating, facing, two_sided, fin_efficiency, basis}``
    (defaults: the plate's front coating and facing), ``specific_masses: {radiator}``,
    ``orbit_cases``, ``samples_per_orbit``, ``check``."""
    plate = context["spacecraft"]
    if not isinstance(plate, PlateSpec):
        raise CaseError("spacecraft.kind", "plate: a radiator-only sizing (no compute section) sizes a plate",
                        type(plate).__name__)
    for key in NODE_ONLY_KEYS:
        if key in sec.data:
            raise CaseError(sec.key(key), "no such key in a radiator-only sizing (the case has no compute "
                            "section: only the radiator is sized)", sec.data[key])
    heat = _target(sec)["heat_rejection_W"]
    t_rad = sec.quantity("radiator_temperature", "K", "20 degC", positive=True, plausible="temperature")
    d = RadiatorSizing()
    r = sec.section("radiator")
    coating = _coating_entry(r.raw("coating"), r.key("coating"), context["library"]["coatings"]) \
        if "coating" in r.data else plate.front
    r.read.add("coating")
    facing_default = plate.facing if isinstance(plate.facing, str) else tuple(plate.facing)
    facing = _sizing_facing(r.raw("facing", facing_default), r.key("facing") if "facing" in r.data
                            else "spacecraft.facing")
    radiator = RadiatorSizing(
        coating=coating, two_sided=r.boolean("two_sided", True), facing=facing,
        fin_efficiency=r.number("fin_efficiency", d.fin_efficiency, lo=0.0, hi=1.0, lo_open=True),
        basis=r.choice("basis", SIZING_BASES, d.basis), temperature_K=t_rad)
    r.done()
    m = sec.section("specific_masses")
    areal = m.quantity("radiator", "kg/m^2", "3 kg/m^2", SpecificMasses().radiator_kg_m2, positive=True,
                       plausible="areal_mass")
    m.done()
    orbit_cases = sec.choice("orbit_cases", ORBIT_CASES, "case")
    samples = sec.integer("samples_per_orbit", 360, lo=8, plausible="samples_per_orbit")
    check_models = _check_models(sec, context["solver"].model)
    sec.done()
    return _built("sizing", RadiatorOnlySizing, heat_rejection_W=heat, radiator=radiator, radiator_kg_m2=areal,
                  attitude=context["attitude"], coatings_end_of_life=context["thermal"].end_of_life,
                  orbit_cases=orbit_cases, samples_per_orbit=samples, check_models=check_models)


def _check_models(sec: Section, default: str) -> tuple[str, ...]:
    """``sizing.check``: a thermal model or a list of them (default: the solver's model)."""
    check = sec.raw("check", None, f"a thermal model or a list of them ({', '.join(CHECK_MODELS)})")
    if check is None:
        return (default,)
    items = check if isinstance(check, list) else [check]
    if not items:
        raise CaseError(sec.key("check"), f"at least one thermal model ({', '.join(CHECK_MODELS)})", check)
    for i, m in enumerate(items):
        if m not in CHECK_MODELS:
            where = sec.key("check") + (f"[{i}]" if isinstance(check, list) else "")
            raise CaseError(where, f"one of {', '.join(CHECK_MODELS)}", m, suggest(m, CHECK_MODELS))
    return tuple(dict.fromkeys(items))


def _built(key: str, build, **values):
    """The sizing's own checks on construction (ValueError) as a CaseError naming the section."""
    try:
        return build(**values)
    except ValueError as err:
        raise CaseError(key, "values the sizing accepts", hint=str(err)) from None


def read_economics(sec: Section) -> EconomicsConfig:
    """Read the ``economics`` section.

    Keys: ``launch`` (falcon9 | starship (default) | starship_aspirational), ``launch_price``
    (USD/kg) and ``payload_per_launch`` (kg) overriding the preset, ``launch_charge`` (per_kg |
    per_launch), ``payload`` (design_orbit (default) | headline), ``mission_years``, ``gpu_price``
    (USD), ``spacecraft_cost`` (USD/kg of the dry mass not priced by its own unit), ``hardware:
    {array: USD/W, battery: USD/kWh, radiator: USD/m^2, bus: USD per module}``,
    ``gpu_failure_rate`` (per year), ``spares`` (fraction), ``terrestrial: {construction: USD/W,
    pue, electricity: USD/kWh}``; defaults :class:`CostInputs`.

    Parameters
    ----------
    sec : thermal.case.reader.Section

    Returns
    -------
    EconomicsConfig
    """
    preset = LAUNCHERS[sec.choice("launch", tuple(LAUNCHERS), "starship")]
    price = sec.quantity("launch_price", "usd/kg", "250 usd/kg", preset.price_usd_kg, minimum=0.0, plausible="price")
    payload = sec.quantity("payload_per_launch", "kg", "100 t", preset.payload_kg, positive=True, plausible="mass")
    charge = sec.choice("launch_charge", LAUNCH_CHARGES, preset.charge)
    changed = price != preset.price_usd_kg or payload != preset.payload_kg
    launch = dataclasses.replace(preset, price_usd_kg=price, payload_kg=payload, charge=charge,
                                 source=preset.source + (" (price or payload given in the case)" if changed else ""))
    years = sec.number("mission_years", None, lo=0.0, lo_open=True, plausible="years")
    d = CostInputs()
    h = sec.section("hardware")
    cost = CostInputs(
        mission_years=years if years is not None else d.mission_years,
        gpu_price_usd=sec.quantity("gpu_price", "usd", "27500 usd", d.gpu_price_usd, minimum=0.0, plausible="price"),
        spacecraft_usd_per_kg=sec.quantity("spacecraft_cost", "usd/kg", "1000 usd/kg", d.spacecraft_usd_per_kg,
                                           minimum=0.0, plausible="price"),
        array_usd_per_W=h.quantity("array", "usd/W", "100 usd/W", d.array_usd_per_W, minimum=0.0, plausible="price"),
        battery_usd_per_kWh=h.quantity("battery", "usd/kWh", "1000 usd/kWh", d.battery_usd_per_kWh, minimum=0.0,
                                       plausible="price"),
        radiator_usd_per_m2=h.quantity("radiator", "usd/m^2", "3000 usd/m^2", d.radiator_usd_per_m2, minimum=0.0,
                                       plausible="price"),
        bus_usd_per_module=h.quantity("bus", "usd", "2e6 usd", d.bus_usd_per_module, minimum=0.0, plausible="price"),
        gpu_failure_rate_per_year=sec.number("gpu_failure_rate", d.gpu_failure_rate_per_year, lo=0.0,
                                             plausible="rate_per_year"),
        spares_fraction=sec.number("spares", d.spares_fraction, lo=0.0, plausible="fraction_of_mass"))
    h.done()
    payload_model = sec.choice("payload", PAYLOAD_MODELS, "design_orbit") == "design_orbit"
    g = sec.section("terrestrial")
    t = TerrestrialComparison()
    terrestrial = TerrestrialComparison(
        construction_usd_per_W=g.quantity("construction", "usd/W", "11.7 usd/W", t.construction_usd_per_W,
                                          minimum=0.0, plausible="price"),
        pue=g.number("pue", t.pue, lo=1.0, plausible="pue"),
        electricity_usd_kWh=g.quantity("electricity", "usd/kWh", "0.08 usd/kWh", t.electricity_usd_kWh,
                                       minimum=0.0, plausible="price"))
    g.done()
    sec.done()
    return EconomicsConfig(launch=launch if payload_model else dataclasses.replace(launch, site_latitude_rad=None),
                           mission_years=years, cost=cost, terrestrial=terrestrial)


