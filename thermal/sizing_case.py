"""The ``sizing`` and ``economics`` sections of a case: read, size, price, and check the design.

Three steps, each a function (SI floats throughout, kelvin for temperatures, USD for money):

1. :func:`read_sizing` and :func:`read_economics` turn the two sections into the frozen
   :class:`SizingConfig` and :class:`EconomicsConfig`. Whatever the rest of the case already says
   is the default: the GPU node (``compute``: the GPU from the library with the case's junction
   limit and junction-to-coolant resistance, ``count`` GPUs and ``overhead`` per node, the
   utilisation and schedule), the radiator (coating, facing, one or two sides of the first
   ``spacecraft.radiators`` entry), the attitude, the coatings' life state, the solar cell,
   packing factor, losses and life of ``power.solar_array`` and the battery cell and depth of
   discharge of ``power.battery``. The sizing defaults themselves come from
   :mod:`thermal.sizing` and :mod:`thermal.economics`, where each carries its source.
2. :func:`run_sizing` sizes the design (:func:`thermal.sizing.size_design`) for the case's orbit
   (or every orbit it sees over a year), refines the radiator area with the network model of one
   module (:func:`refine_radiator`, ``sizing.refine: network``, the default), prices it
   (:func:`thermal.economics.compare_costs`) and returns the ``sizing`` block of ``summary.json``.
3. :func:`check_case` builds ONE module of the design as an ordinary case (the bus with its
   radiators and wings scaled to the sized areas, aspect ratios kept; the compute, loop flow,
   battery and loads of the module) for the thermal models to run as an independent check;
   :func:`sized_run` runs it and reports the GPU junction of every check model against the
   limit and against the sizing's own design point.

In a case with a ``sizing`` block, ``compute`` describes one GPU server node (``count`` GPUs per
node, ``overhead`` per node); the sizing replicates nodes. The fixed ``radiator_area``,
``array_area`` and ``battery_capacity`` are per module.

Junction reference (``sizing.transport.junction_reference``)
-------------------------------------------------------------
The library's ``junction_to_coolant`` resistance (0.03 K/W for the H100) includes the cold-plate
film; :func:`thermal.transport.junction_temperature_K` pairs it with a coolant temperature,
"conservatively the cold-plate outlet", and so does the network model (its ``cold_plates`` node
is the coolant leaving the plates). :mod:`thermal.sizing` refers it to the coolant supply
instead. ``cold_plate_outlet`` (the default) makes the sizing agree with the library and the
check models by adding the loop's coolant rise to the cold-plate drop (``R + dT / P_gpu``);
``coolant_supply`` keeps :mod:`thermal.sizing`'s convention, which is ``dT`` (10 K by default)
less conservative.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from geometry.spec import NAMED_DIRECTIONS, BusSpec
from power.sizing import required_battery_capacity_Wh
from thermal import economics as ec
from thermal import sizing as sz
from thermal import transport as tr
from thermal.core.constants import SOLAR_CONSTANT_W_M2
from thermal.environment import EnvironmentConstants
from thermal.core.errors import CaseError, InfeasibleError
from thermal.core.library import COATINGS, Coating
from thermal.network_model import LOOP_PROPERTY_TEMPERATURE_K  # coolant properties as the network model
from thermal.reader import Section, lookup, suggest
from thermal.units import to_unit

__all__ = [
    "TARGETS",
    "ORBIT_CASES",
    "JUNCTION_REFERENCES",
    "CHECK_MODELS",
    "REFINE_METHODS",
    "LAUNCHERS",
    "SizingConfig",
    "EconomicsConfig",
    "read_sizing",
    "read_economics",
    "load_sizing_case",
    "sizing_orbits",
    "run_sizing",
    "refine_radiator",
    "check_case",
    "check_report",
    "sized_run",
    "summary_lines",
]

#: ``sizing.target`` keys -> (target name of :func:`thermal.sizing.size_design`, unit, example).
TARGETS = {"compute_power": ("compute_power_W", "W", "1 MW"),
           "gpu_count": ("gpu_count", None, "1400"),
           "heat_rejection": ("heat_rejection_W", "W", "120 kW")}
#: :attr:`SizingConfig.target` names -> the keyword of :func:`thermal.sizing.size_design`.
_SIZE_DESIGN_KW = {"compute_power_W": "target_compute_W", "gpu_count": "gpu_count",
                   "heat_rejection_W": "heat_rejection_W"}
#: ``sizing.orbit_cases``: the case's orbit alone, or every orbit it sees over a year (a
#: sun-synchronous orbit at 24 epochs, an inclined one at every beta its inclination allows).
ORBIT_CASES = ("case", "year")
#: ``sizing.transport.junction_reference``, see the module docstring.
JUNCTION_REFERENCES = ("cold_plate_outlet", "coolant_supply")
#: ``sizing.refine``: refine the analytic radiator area with the network model, or keep it.
REFINE_METHODS = ("network", "none")
#: The refinement stops when the network model's GPU junction is this close to the design point [K].
REFINE_TOLERANCE_K = 0.2
#: Bracket of the refinement, as factors of the analytic radiator area [-]; widened if needed.
REFINE_BRACKET = (0.4, 1.5)
#: Thermal models that may check the design (``sizing.check``).
CHECK_MODELS = ("network", "fe")
#: ``economics.launch`` presets (:mod:`thermal.economics`).
LAUNCHERS = {"falcon9": ec.FALCON_9, "starship": ec.STARSHIP_NEAR_TERM,
             "starship_aspirational": ec.STARSHIP_ASPIRATIONAL}
#: Orbit epochs over a year for ``orbit_cases: year`` with a sun-synchronous orbit [-].
YEAR_EPOCHS = 24
#: Beta angles (0 to the largest, both signs) for ``orbit_cases: year`` with an inclined orbit [-].
YEAR_BETAS = 7


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _MarginArraySpec(sz.ArraySpec):
    """An :class:`thermal.sizing.ArraySpec` sized for an end-of-life energy margin: the array
    delivers ``1 + energy_margin`` times the orbit energy balance at the sizing epoch."""

    energy_margin: float = 0.0

    def degradation_factor(self, mission_years: float) -> float:
        return super().degradation_factor(mission_years) / (1.0 + self.energy_margin)


@dataclass(frozen=True)
class SizingConfig:
    """The ``sizing`` section, SI floats and the :mod:`thermal.sizing` inputs.

    Attributes
    ----------
    target : dict
        One entry: ``{'compute_power_W': W}``, ``{'gpu_count': n}`` or ``{'heat_rejection_W': W}``.
    radiator_area_m2, array_area_m2, battery_capacity_Wh : float or None
        Fixed per-module values; None: free (sized).
    junction_margin_K : float
        Margin below the GPU junction limit [K].
    radiator_temperature_K : float or None
        Given radiator temperature [K]; None: from the junction limit through the transport chain.
    min_state_of_charge : float
        Lowest battery state of charge (1 - depth of discharge) [-].
    energy_margin_eol : float
        Array energy margin at end of life [-].
    max_module_mass_kg : float or None
        Largest module [kg]; None: the launcher's payload.
    max_module_power_W : float or None
        Largest compute power per module [W]; None: unlimited.
    mission_years : float
        End-of-life epoch from the power section (an ``economics.mission_years`` overrides) [year].
    orbit_cases : str
        One of :data:`ORBIT_CASES`.
    samples_per_orbit : int
        Environment samples per orbit [-].
    check_models : tuple of str
        Thermal models that run the check case (:data:`CHECK_MODELS`), default the case's
        ``solver.model``.
    junction_reference : str
        One of :data:`JUNCTION_REFERENCES`.
    refine : str
        One of :data:`REFINE_METHODS`: ``network`` refines the analytic radiator area with the
        network model (:func:`refine_radiator`), ``none`` keeps the analytic area.
    gpu_junction_to_coolant_K_W : float
        The case's junction-to-coolant resistance [K/W] (before the reference shift).
    compute, radiator, transport, array, battery, masses
        :class:`thermal.sizing.ComputeSpec`, :class:`thermal.sizing.RadiatorSpec`,
        :class:`thermal.sizing.HeatTransportChain`, :class:`thermal.sizing.ArraySpec`,
        :class:`thermal.sizing.BatterySpec`, :class:`thermal.economics.SpecificMasses`.
    """

    target: dict
    radiator_area_m2: float | None
    array_area_m2: float | None
    battery_capacity_Wh: float | None
    junction_margin_K: float
    radiator_temperature_K: float | None
    min_state_of_charge: float
    energy_margin_eol: float
    max_module_mass_kg: float | None
    max_module_power_W: float | None
    mission_years: float
    orbit_cases: str
    samples_per_orbit: int
    check_models: tuple
    junction_reference: str
    gpu_junction_to_coolant_K_W: float
    compute: sz.ComputeSpec
    radiator: sz.RadiatorSpec
    transport: sz.HeatTransportChain
    array: sz.ArraySpec
    battery: sz.BatterySpec
    masses: ec.SpecificMasses
    refine: str = "network"

    @property
    def fixed(self) -> dict:
        """The fixed per-module values by name (radiator_area_m2, array_area_m2, battery_capacity_Wh)."""
        return {k: v for k, v in (("radiator_area_m2", self.radiator_area_m2),
                                  ("array_area_m2", self.array_area_m2),
                                  ("battery_capacity_Wh", self.battery_capacity_Wh)) if v is not None}


@dataclass(frozen=True)
class EconomicsConfig:
    """The ``economics`` section.

    Attributes
    ----------
    launch : thermal.economics.LaunchOptions
        Launcher, price and payload.
    mission_years : float or None
        Mission life [year]; None: the sizing's (the power section's, default 5).
    cost : thermal.economics.CostInputs
        GPU and spacecraft prices (its mission_years is replaced by the resolved one).
    terrestrial : thermal.economics.TerrestrialComparison
        The ground data centre.
    """

    launch: ec.LaunchOptions
    mission_years: float | None
    cost: ec.CostInputs
    terrestrial: ec.TerrestrialComparison


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------
def _ctx(context, name: str, default=None):
    if context is None:
        return default
    if isinstance(context, Mapping):
        return context.get(name, default)
    return getattr(context, name, default)


def _free_or(sec: Section, name: str, unit: str, example: str) -> float | None:
    value = sec.raw(name, "free", f"'free' or a quantity, e.g. '{example}'")
    if value == "free":
        return None
    if isinstance(value, str) and value.strip().isalpha():
        raise CaseError(sec.key(name), f"'free' or a quantity, e.g. '{example}'", value,
                        suggest(value, ("free",)))
    si = to_unit(value, unit, sec.key(name), example)
    if not si > 0:
        raise CaseError(sec.key(name), "'free' or a positive value", value)
    return si


def _difference(sec: Section, name: str, example: str, default: float) -> float:
    """A temperature difference in K (pint reads '10 degC' as 283.15 K: refused with a hint)."""
    value = sec.data.get(name)
    if isinstance(value, str) and ("degC" in value or "degF" in value or "celsius" in value.lower()):
        raise CaseError(sec.key(name), f"a temperature difference in K, e.g. '{example}'", value,
                        "degC reads as an absolute temperature")
    return sec.quantity(name, "K", example, default, minimum=0.0)


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
    if unit is None:
        out = {name: t.number(key, lo=1, integer=True)}
    else:
        out = {name: t.quantity(key, unit, example, positive=True)}
    t.done()
    return out


def _coating_entry(value, key: str, coatings: dict) -> Coating:
    if isinstance(value, dict):
        c = Section(value, key)
        alpha = c.number("absorptivity", lo=0.0, hi=1.0)
        eps = c.number("emissivity", lo=0.0, hi=1.0, lo_open=True)
        alpha_eol = c.number("absorptivity_eol", alpha, lo=0.0, hi=1.0)
        c.done()
        return Coating(name=key, absorptivity=alpha, emissivity=eps, source="given in the case",
                       absorptivity_eol=alpha_eol)
    return lookup(coatings, value, key)


def _sizing_facing(value, key: str):
    names = sz.FACINGS
    if isinstance(value, str):
        if value not in names:
            raise CaseError(key, f"one of {', '.join(names)} or a vector [x, y, z]", value, suggest(value, names))
        return value
    if isinstance(value, (list, tuple)) and len(value) == 3 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        v = np.asarray(value, dtype=float)
        n = float(np.linalg.norm(v))
        if not (n > 0 and math.isfinite(n)):
            raise CaseError(key, "a non-zero direction vector [x, y, z]", value)
        return tuple(float(c) for c in v / n)
    raise CaseError(key, f"one of {', '.join(names)} or a vector [x, y, z]", value)


def _eclipse_fraction(compute) -> float:
    if compute.schedule != "eclipse_throttle":
        return 1.0
    node = compute.count * compute.gpu.tdp_W * compute.utilisation + compute.overhead_W
    eclipse = compute.count * compute.gpu.tdp_W * compute.eclipse_utilisation + compute.overhead_W
    return eclipse / node if node > 0 else 1.0


def read_sizing(sec: Section, case_context=None) -> SizingConfig:
    """Read the ``sizing`` section.

    Keys (defaults from the rest of the case, else from :mod:`thermal.sizing` and
    :mod:`thermal.economics`): ``target`` (exactly one of ``compute_power``, ``gpu_count``,
    ``heat_rejection``); ``radiator_area``, ``array_area``, ``battery_capacity`` (``free`` or a
    fixed quantity per module); ``junction_margin`` (10 K); ``radiator_temperature`` (optional);
    ``min_state_of_charge`` (1 - the battery's depth of discharge); ``energy_margin_eol`` (0);
    ``max_module_mass`` (the launcher's payload); ``max_module_power``; ``orbit_cases``
    (case | year); ``samples_per_orbit`` (360); ``bus_load_fraction`` (0.03); ``array_temperature``
    (80 degC); ``check`` (the solver's model, or a list of models); ``refine`` (network | none:
    refine the analytic radiator area with the network model, :func:`refine_radiator`); ``radiator: {coating, facing,
    two_sided, fin_efficiency (0.9), basis (peak | orbit_average)}``; ``transport: {coolant_rise
    (10 K), coolant_to_radiator (0 K), radiator_conductance (100 W/m^2/K | ideal),
    junction_reference (cold_plate_outlet | coolant_supply)}``; ``specific_masses: {radiator
    (3 kg/m^2), array (150 W/kg), battery (the cell's pack value, 120 Wh/kg for the VES180),
    compute_node (130.45 kg), heat_transport (10 kg/kW), structure_fraction (0.2), margin (0.2)}``.

    Parameters
    ----------
    sec : thermal.reader.Section
        The section (``top.section("sizing")``).
    case_context : mapping or object, optional
        What the case has already read, by name (a dict or an object with these attributes):
        ``library`` (with ``coatings``), ``orbit``, ``attitude``, ``compute`` (required: the node),
        ``spacecraft`` (a bus with at least one radiator), ``thermal``, ``power``.

    Returns
    -------
    SizingConfig

    Raises
    ------
    thermal.core.errors.CaseError
        A bad value, naming its key path (exit code 2).
    """
    library = _ctx(case_context, "library") or {}
    coatings = library.get("coatings", COATINGS) if isinstance(library, Mapping) else COATINGS
    compute = _ctx(case_context, "compute")
    spacecraft = _ctx(case_context, "spacecraft")
    thermal = _ctx(case_context, "thermal")
    power = _ctx(case_context, "power")
    attitude = _ctx(case_context, "attitude") or "nadir"
    if compute is None:
        raise CaseError("compute", "a compute section: the GPU node the sizing replicates "
                                   "(gpu, count per node, overhead per node)", hint="missing")
    if not isinstance(spacecraft, BusSpec) or not spacecraft.radiators:
        raise CaseError("spacecraft.radiators", "a bus (kind: bus) with at least one radiator for the sizing "
                                                "to scale", "none" if spacecraft is not None else None,
                        hint="" if spacecraft is not None else "missing")

    target = _target(sec)
    radiator_area = _free_or(sec, "radiator_area", "m^2", "2000 m^2")
    array_area = _free_or(sec, "array_area", "m^2", "5000 m^2")
    battery_capacity = _free_or(sec, "battery_capacity", "Wh", "1.6 MWh")
    margin = _difference(sec, "junction_margin", "10 K", sz.HeatTransportChain().junction_margin_K)
    t_rad = sec.quantity("radiator_temperature", "K", "20 degC", None, positive=True)
    dod_default = power.battery.max_depth_of_discharge if power is not None else \
        sz.BatterySpec().max_depth_of_discharge
    min_soc = _fraction(sec, "min_state_of_charge", 1.0 - dod_default, hi_open=True)
    energy_margin = sec.number("energy_margin_eol", 0.0, lo=0.0)
    max_mass = sec.quantity("max_module_mass", "kg", "100 t", None, positive=True)
    max_power = sec.quantity("max_module_power", "W", "1 MW", None, positive=True)
    orbit_cases = sec.choice("orbit_cases", ORBIT_CASES, "case")
    samples = sec.number("samples_per_orbit", 360, lo=8, integer=True)
    check = sec.raw("check", None, f"a thermal model or a list of them ({', '.join(CHECK_MODELS)})")
    solver = _ctx(case_context, "solver")
    if check is None:
        check_models = (getattr(solver, "model", "network"),)
    else:
        items = check if isinstance(check, list) else [check]
        if not items:
            raise CaseError(sec.key("check"), f"at least one thermal model ({', '.join(CHECK_MODELS)})", check)
        for i, m in enumerate(items):
            if m not in CHECK_MODELS:
                where = sec.key("check") + (f"[{i}]" if isinstance(check, list) else "")
                raise CaseError(where, f"one of {', '.join(CHECK_MODELS)}", m, suggest(m, CHECK_MODELS))
        check_models = tuple(dict.fromkeys(items))
    refine = sec.choice("refine", REFINE_METHODS, "network")

    # the radiator: defaults from the case's first radiator
    first = spacecraft.radiators[0]
    r = sec.section("radiator")
    coating = _coating_entry(r.raw("coating", first.front), r.key("coating"), coatings) \
        if "coating" in r.data else first.front
    r.read.add("coating")
    facing = _sizing_facing(r.raw("facing", first.facing), r.key("facing"))
    if _ctx(case_context, "orbit") is None and isinstance(facing, str) and facing in NAMED_DIRECTIONS:
        facing = NAMED_DIRECTIONS[facing]  # deep space: the body direction itself (no Earth, no orbit)
    two_sided = r.boolean("two_sided", first.two_sided)
    radiator = sz.RadiatorSpec(
        coating=coating, two_sided=two_sided, facing=facing, attitude=attitude,
        fin_efficiency=r.number("fin_efficiency", sz.RadiatorSpec().fin_efficiency, lo=0.0, hi=1.0,
                                lo_open=True),
        basis=r.choice("basis", sz.SIZING_BASES, "peak"),
        end_of_life=thermal.end_of_life if thermal is not None else True,
        temperature_K=t_rad)
    r.done()

    # the node: the case's compute block
    gpu = dataclasses.replace(compute.gpu, junction_limit_K=compute.junction_limit_K,
                              junction_to_coolant_K_W=compute.junction_to_coolant_K_W)
    node = sz.ComputeSpec(gpu=gpu, gpus_per_node=int(compute.count), node_overhead_W=compute.overhead_W,
                          utilisation=compute.utilisation,
                          bus_load_fraction=sec.number("bus_load_fraction", sz.ComputeSpec().bus_load_fraction,
                                                       lo=0.0),
                          eclipse_compute_fraction=_eclipse_fraction(compute))

    # junction -> coolant -> radiator
    t = sec.section("transport")
    default_chain = sz.HeatTransportChain()
    rise = _difference(t, "coolant_rise", "10 K", default_chain.coolant_rise_K)
    drop = _difference(t, "coolant_to_radiator", "2 K", default_chain.coolant_to_radiator_K)
    u_raw = t.raw("radiator_conductance", None, "a conductance per m^2, e.g. '100 W/m^2/K', or 'ideal'")
    if u_raw is None:
        conductance = default_chain.radiator_conductance_W_m2K
    elif u_raw == "ideal":
        conductance = None
    else:
        conductance = t.quantity("radiator_conductance", "W/m^2/K", "100 W/m^2/K", positive=True)
    reference = t.choice("junction_reference", JUNCTION_REFERENCES, "cold_plate_outlet")
    t.done()
    r_jc = compute.junction_to_coolant_K_W
    if reference == "cold_plate_outlet" and node.gpu_power_W > 0:
        r_jc = r_jc + rise / node.gpu_power_W
    transport = sz.HeatTransportChain(junction_margin_K=margin, junction_to_coolant_K_W=r_jc,
                                      coolant_rise_K=rise, coolant_to_radiator_K=drop,
                                      radiator_conductance_W_m2K=conductance)

    # array and battery: the power section's cells and losses
    base = sz.ArraySpec()
    array_temperature = sec.quantity("array_temperature", "K", "80 degC", base.operating_temperature_K,
                                     positive=True)
    mission_years = 5.0
    if power is not None:
        a = power.arrays
        wings = spacecraft.solar_arrays
        if any(w.pointing == "fixed" for w in wings):
            raise CaseError("spacecraft.solar_arrays", "sun-tracking or sun-pointing wings for the sizing "
                                                       "(fixed wings are not sized)", "fixed")
        one_axis = any(w.axis is not None for w in wings)
        array = _MarginArraySpec(
            cell=a.cell, pointing="sun_tracking" if one_axis else "sun_pointing",
            packing_factor=a.packing_factor, operating_temperature_K=array_temperature,
            wiring_loss=a.wiring_loss, regulator_efficiency=a.regulator_efficiency,
            end_of_life=power.end_of_life, fluence_per_year_e_cm2=a.fluence_per_year_e_cm2,
            uv_darkening_per_year=a.uv_darkening_per_year, energy_margin=energy_margin)
        battery = sz.BatterySpec(cell=power.battery.cell, max_depth_of_discharge=1.0 - min_soc,
                                 end_of_life=power.end_of_life)
        mission_years = float(a.mission_years)
    else:
        array = _MarginArraySpec(operating_temperature_K=array_temperature, energy_margin=energy_margin)
        battery = sz.BatterySpec(max_depth_of_discharge=1.0 - min_soc)

    # specific masses
    m = sec.section("specific_masses")
    d = ec.SpecificMasses()
    battery_raw = m.raw("battery", None, "a specific energy, e.g. '120 Wh/kg', or 'cell'")
    masses = ec.SpecificMasses(
        radiator_kg_m2=m.quantity("radiator", "kg/m^2", "3 kg/m^2", d.radiator_kg_m2, positive=True),
        array_W_kg=m.quantity("array", "W/kg", "150 W/kg", d.array_W_kg, positive=True),
        battery_pack_Wh_kg=None if battery_raw in (None, "cell") else
        m.quantity("battery", "Wh/kg", "120 Wh/kg", positive=True),
        compute_kg_per_node=m.quantity("compute_node", "kg", "130 kg", d.compute_kg_per_node, positive=True),
        heat_transport_kg_per_kW=m.quantity("heat_transport", "kg/kW", "10 kg/kW", d.heat_transport_kg_per_kW,
                                            minimum=0.0),
        structure_fraction=m.number("structure_fraction", d.structure_fraction, lo=0.0),
        margin_fraction=m.number("margin", d.margin_fraction, lo=0.0),
    )
    m.done()
    sec.done()
    return SizingConfig(
        target=target, radiator_area_m2=radiator_area, array_area_m2=array_area,
        battery_capacity_Wh=battery_capacity, junction_margin_K=margin, radiator_temperature_K=t_rad,
        min_state_of_charge=min_soc, energy_margin_eol=energy_margin, max_module_mass_kg=max_mass,
        max_module_power_W=max_power, mission_years=mission_years, orbit_cases=orbit_cases,
        samples_per_orbit=samples, check_models=check_models, junction_reference=reference, refine=refine,
        gpu_junction_to_coolant_K_W=compute.junction_to_coolant_K_W, compute=node, radiator=radiator,
        transport=transport, array=array, battery=battery, masses=masses)


def read_economics(sec: Section) -> EconomicsConfig:
    """Read the ``economics`` section.

    Keys: ``launch`` (falcon9 | starship (default) | starship_aspirational), ``launch_price``
    (USD/kg) and ``payload_per_launch`` (kg) overriding the preset, ``launch_charge`` (per_kg |
    per_launch), ``mission_years``, ``gpu_price`` (USD), ``spacecraft_cost`` (USD/kg),
    ``terrestrial: {construction: USD/W, pue, electricity: USD/kWh}``.

    Parameters
    ----------
    sec : thermal.reader.Section

    Returns
    -------
    EconomicsConfig
    """
    preset = LAUNCHERS[sec.choice("launch", tuple(LAUNCHERS), "starship")]
    price = sec.quantity("launch_price", "usd/kg", "250 usd/kg", preset.price_usd_kg, minimum=0.0)
    payload = sec.quantity("payload_per_launch", "kg", "100 t", preset.payload_kg, positive=True)
    charge = sec.choice("launch_charge", ec.LAUNCH_CHARGES, preset.charge)
    changed = price != preset.price_usd_kg or payload != preset.payload_kg
    launch = dataclasses.replace(preset, price_usd_kg=price, payload_kg=payload, charge=charge,
                                 source=preset.source + (" (price or payload given in the case)" if changed else ""))
    years = sec.number("mission_years", None, lo=0.0, lo_open=True)
    d = ec.CostInputs()
    cost = ec.CostInputs(
        mission_years=years if years is not None else d.mission_years,
        gpu_price_usd=sec.quantity("gpu_price", "usd", "27500 usd", d.gpu_price_usd, minimum=0.0),
        spacecraft_usd_per_kg=sec.quantity("spacecraft_cost", "usd/kg", "1000 usd/kg", d.spacecraft_usd_per_kg,
                                           minimum=0.0))
    g = sec.section("terrestrial")
    t = ec.TerrestrialComparison()
    terrestrial = ec.TerrestrialComparison(
        construction_usd_per_W=g.quantity("construction", "usd/W", "11.7 usd/W", t.construction_usd_per_W,
                                          minimum=0.0),
        pue=g.number("pue", t.pue, lo=1.0),
        electricity_usd_kWh=g.quantity("electricity", "usd/kWh", "0.08 usd/kWh", t.electricity_usd_kWh,
                                       minimum=0.0))
    g.done()
    sec.done()
    return EconomicsConfig(launch=launch, mission_years=years, cost=cost, terrestrial=terrestrial)


def load_sizing_case(path):
    """``(case, sizing, economics)`` of a case file with ``sizing`` and ``economics`` sections.

    With the hook in :func:`thermal.case.load_case` the case carries them itself; without it the two
    sections are taken out, the rest loaded by :func:`thermal.case.load_case`, and the two read
    here with the same context. Either way a bad value raises CaseError naming its key.
    """
    from pathlib import Path

    import thermal.case as case_module
    from thermal.reader import load_yaml

    if "sizing" in {f.name for f in dataclasses.fields(case_module.Case)}:
        case = case_module.load_case(path)
        return case, case.sizing, getattr(case, "economics", None)
    data = load_yaml(Path(path))
    rest = {k: v for k, v in data.items() if k not in ("sizing", "economics")}
    original = case_module.load_yaml
    case_module.load_yaml = lambda _path: rest
    try:
        case = case_module.load_case(path)
    finally:
        case_module.load_yaml = original
    top = Section(data, "")
    context = {"library": case_module._library(Section(data, "")), "orbit": case.orbit,
               "attitude": case.attitude, "compute": case.compute, "spacecraft": case.spacecraft,
               "thermal": case.thermal, "power": case.power, "solver": case.solver}
    sizing = read_sizing(top.section("sizing"), context) if "sizing" in data else None
    economics = read_economics(top.section("economics")) if "economics" in data else None
    return case, sizing, economics


# --------------------------------------------------------------------------------------------
# Sizing
# --------------------------------------------------------------------------------------------
def sizing_orbits(case, sizing: SizingConfig) -> list:
    """The orbit cases to size for: the case's orbit, or every orbit it sees over a year (with the
    case's own orbit among them, so that the check case runs inside the sizing's envelope)."""
    from thermal.solve import orbit_geometry

    geom = orbit_geometry(case)
    o = case.orbit
    if geom is None or sizing.orbit_cases == "case" or o.beta_rad is not None:
        return [geom]
    if o.ltan_hours is not None:
        year = o.epoch.year if o.epoch is not None else 2027
        cases = sz.orbit_cases_sun_synchronous(o.altitude_m, o.ltan_hours, year=year, n_epochs=YEAR_EPOCHS)
    else:
        cases = sz.orbit_cases_beta_sweep(o.altitude_m, o.inclination_rad, n_beta=YEAR_BETAS)
    return cases + [geom]  # the case's own orbit too: the check case runs it


def _inputs(case, sizing: SizingConfig, mission_years: float) -> dict:
    env = case.environment if isinstance(case.environment, EnvironmentConstants) else EnvironmentConstants()
    return dict(env=env, compute=sizing.compute, radiator=sizing.radiator, transport=sizing.transport,
                array=sizing.array, battery=sizing.battery, masses=sizing.masses, mission_years=mission_years,
                n_time=sizing.samples_per_orbit)


def _installed(module: sz.ModuleDesign, fixed: dict, kw: dict) -> sz.ModuleDesign:
    """A module with the fixed areas and capacity installed instead of the required ones."""
    rad = fixed.get("radiator_area_m2", module.radiator_area_m2)
    arr = fixed.get("array_area_m2", module.array_area_m2)
    cap = fixed.get("battery_capacity_Wh", module.battery_capacity_Wh)
    cell = kw["array"].cell
    bol = arr * SOLAR_CONSTANT_W_M2 * kw["array"].packing_factor * cell.efficiency_bol
    breakdown = sz._mass_breakdown_kg(module.node_count, module.heat_rejection_W, rad, arr, bol, cap,
                                      masses=kw["masses"], array=kw["array"], battery=kw["battery"])
    return dataclasses.replace(module, radiator_area_m2=rad, array_area_m2=arr, battery_capacity_Wh=cap,
                               array_bol_power_W=bol, mass_breakdown_kg=breakdown)


def _node_count(kind: str, value: float, cases, kw: dict) -> tuple[int, float | None]:
    compute = kw["compute"]
    if kind == "compute_power_W":
        return max(1, math.ceil(value / compute.node_power_W * (1.0 - 1e-12))), None
    if kind == "gpu_count":
        return max(1, math.ceil(value / compute.gpus_per_node)), None
    one = sz.size_module(cases, 1, **kw)
    nodes = math.floor(value / one.heat_rejection_W * (1.0 + 1e-12))
    if nodes < 1:
        raise sz.SizingInfeasibleError(
            f"heat_rejection target {value:.0f} W is below the heat of one GPU node "
            f"({one.heat_rejection_W:.0f} W)", constraint="sizing.target.heat_rejection")
    return nodes, value / nodes


_REQUIRED = {"radiator_area_m2": ("sizing.radiator_area", "m^2"),
             "array_area_m2": ("sizing.array_area", "m^2"),
             "battery_capacity_Wh": ("sizing.battery_capacity", "Wh")}


def _design_with_fixed(cases, sizing: SizingConfig, kw: dict, launch, max_mass: float) -> tuple[sz.Design, dict]:
    """Split the target into modules whose fixed areas and capacity carry their nodes."""
    (kind, value), = sizing.target.items()
    nodes, heat_per_node = _node_count(kind, value, cases, kw)
    per_node = sz.size_module(cases, 1, heat_rejection_W=heat_per_node, **kw)
    fixed = sizing.fixed
    limits = {}
    for name, installed in fixed.items():
        required = getattr(per_node, name)
        if required <= 0.0:
            continue
        k = math.floor(installed / required * (1.0 + 1e-12))
        key, unit = _REQUIRED[name]
        if k < 1:
            raise sz.SizingInfeasibleError(
                f"{key} = {installed:,.1f} {unit} per module is less than one GPU node needs "
                f"({required:,.1f} {unit}): short by {required - installed:,.1f} {unit}; raise it or make it free",
                constraint=key)
        limits[key] = k
    if sizing.max_module_power_W is not None:
        k = math.floor(sizing.max_module_power_W / kw["compute"].node_power_W * (1.0 + 1e-12))
        if k < 1:
            raise sz.SizingInfeasibleError(
                f"one GPU node draws {kw['compute'].node_power_W:,.0f} W, more than sizing.max_module_power "
                f"({sizing.max_module_power_W:,.0f} W)", constraint="sizing.max_module_power")
        limits["sizing.max_module_power"] = k
    cap = min([nodes] + list(limits.values()))

    def mass(k):
        return _installed(sz.size_module(cases, k, heat_rejection_W=None if heat_per_node is None
                                         else heat_per_node * k, **kw), fixed, kw).mass_kg

    if mass(1) > max_mass * (1.0 + 1e-12):
        raise sz.SizingInfeasibleError(
            f"one GPU node with the fixed equipment needs a {mass(1):,.0f} kg module, more than the largest "
            f"module allowed ({max_mass:,.0f} kg): over by {mass(1) - max_mass:,.0f} kg",
            constraint="sizing.max_module_mass")
    lo, hi = 1, cap
    while lo < hi:  # largest k <= cap whose module fits the mass limit (mass rises with k)
        mid = (lo + hi + 1) // 2
        if mass(mid) <= max_mass * (1.0 + 1e-12):
            lo = mid
        else:
            hi = mid - 1
    if lo < cap:
        limits["sizing.max_module_mass"] = lo
    k = lo
    module_count = math.ceil(nodes / k)
    if heat_per_node is None:
        per_module = math.ceil(nodes / module_count)
        mod = sz.size_module(cases, per_module, **kw)
    else:
        per_module = nodes // module_count
        mod = sz.size_module(cases, per_module, heat_rejection_W=value / module_count, **kw)
    required = {name: getattr(mod, name) for name in _REQUIRED}
    mod = _installed(mod, fixed, kw)
    design = sz.Design(module=mod, module_count=module_count, target={kind: value},
                       launch=launch, max_module_mass_kg=max_mass, radiator_sizing_basis=sizing.radiator.basis,
                       mission_years=kw["mission_years"])
    return design, {"limits": limits, "required": required}


def _module_limit(design: sz.Design, sizing: SizingConfig, max_mass: float) -> str:
    """What sets the module size of a design whose variables are all free."""
    if design.module_count == 1:
        return "none: one module carries the target"
    per_node_mass = design.module.mass_kg / design.module.node_count
    by_mass = math.floor(max_mass / per_node_mass * (1.0 + 1e-12))
    if sizing.max_module_power_W is not None:
        by_power = math.floor(sizing.max_module_power_W / sizing.compute.node_power_W * (1.0 + 1e-12))
        if by_power < by_mass:
            return "sizing.max_module_power"
    return "sizing.max_module_mass" if sizing.max_module_mass_kg is not None else \
        "sizing.max_module_mass (the launcher's payload)"


def _battery_binding(design: sz.Design, sizing: SizingConfig, mission_years: float) -> str:
    m = design.module
    worst = max(m.cases, key=lambda c: c.battery_capacity_Wh)
    if worst.eclipse_s <= 0.0 or m.battery_capacity_Wh <= 0.0:
        return "none: no eclipse"
    if "battery_capacity_Wh" in sizing.fixed:
        return "fixed: sizing.battery_capacity"
    cell = sizing.battery.cell
    dod = required_battery_capacity_Wh(m.eclipse_load_W, worst.eclipse_s, sizing.battery.max_depth_of_discharge,
                                       cell.discharge_efficiency, sizing.battery.remaining_fraction(mission_years))
    if math.isclose(dod, worst.battery_capacity_Wh, rel_tol=1e-9):
        return "sizing.min_state_of_charge (depth of discharge in the longest eclipse)"
    return "cell charge or discharge rate (C-rate)"


def run_sizing(case, sizing: SizingConfig, economics: EconomicsConfig | None = None,
               progress=None) -> tuple[sz.Design, dict]:
    """Size and price a design for the case's target.

    The radiator is sized analytically (:func:`thermal.sizing.size_design`); with
    ``sizing.refine: network`` (the default) its area is then refined with the network model
    (:func:`refine_radiator`) and the masses, launches and costs are those of the refined area.

    Parameters
    ----------
    case : thermal.case.Case
        The case (orbit, environment, attitude).
    sizing : SizingConfig
    economics : EconomicsConfig, optional
        Default: Starship near term and the default cost inputs.
    progress : callable, optional
        Progress messages (the refinement's network runs).

    Returns
    -------
    (thermal.sizing.Design, dict)
        The design and the ``sizing`` block of ``summary.json`` (the contract keys
        ``radiator_area_m2``, ``array_area_m2``, ``battery_capacity_Wh``, ``mass_kg``,
        ``mass_breakdown_kg``, ``launch_cost_usd`` for the whole design, and module and launch
        counts, the module's figures, costs per GPU-hour in orbit and on the ground, the
        break-even launch price, the binding constraints; ``radiator_area_analytic_m2`` and
        ``refinement``, see :func:`refine_radiator`).

    Raises
    ------
    thermal.core.errors.InfeasibleError
        The target cannot be met (exit code 3); the message names the binding constraint and by
        how much it is missed.
    """
    launch = economics.launch if economics is not None else ec.STARSHIP_NEAR_TERM
    years = economics.mission_years if economics is not None and economics.mission_years is not None \
        else sizing.mission_years
    inputs = dataclasses.replace(economics.cost if economics is not None else ec.CostInputs(), mission_years=years)
    terrestrial = economics.terrestrial if economics is not None else ec.TerrestrialComparison()
    max_mass = sizing.max_module_mass_kg if sizing.max_module_mass_kg is not None else launch.payload_kg
    cases = sizing_orbits(case, sizing)
    kw = _inputs(case, sizing, years)
    if max_mass > launch.payload_kg * (1.0 + 1e-12):
        raise InfeasibleError(
            f"sizing.max_module_mass {max_mass:,.0f} kg exceeds one {launch.name} launch "
            f"({launch.payload_kg:,.0f} kg) by {max_mass - launch.payload_kg:,.0f} kg: lower it or choose "
            "a larger launcher (economics.launch, economics.payload_per_launch)")
    extra = {}
    try:
        if sizing.fixed:
            design, extra = _design_with_fixed(cases, sizing, kw, launch, max_mass)
            limits = extra["limits"]
            module_limit = min(limits, key=limits.get) if limits and design.module_count > 1 else \
                "none: one module carries the target"
        else:
            (kind, value), = sizing.target.items()
            design = sz.size_design(cases, **{_SIZE_DESIGN_KW[kind]: value}, launch=launch,
                                    max_module_mass_kg=max_mass, max_module_power_W=sizing.max_module_power_W, **kw)
            module_limit = _module_limit(design, sizing, max_mass)
    except ValueError as err:  # an input combination thermal.sizing refuses (its message names it)
        raise CaseError("sizing", "inputs the sizing accepts", str(err)) from None
    analytic = design
    design, refinement = refine_radiator(case, design, sizing, kw, progress)
    costs = ec.compare_costs(design, launch, terrestrial, inputs)
    summary = ec.summary_dict(design, costs)
    summary["radiator_area_analytic_m2"] = analytic.radiator_area_m2
    summary["module"]["radiator_area_analytic_m2"] = analytic.module.radiator_area_m2
    summary["refinement"] = refinement
    m = design.module
    rad_case = max(m.cases, key=lambda c: c.radiator_area_m2)
    chain = sizing.transport
    coolant = chain.coolant_mean_K(sizing.compute)
    limit = sizing.compute.gpu.junction_limit_K
    summary.update({
        "target": dict(sizing.target),
        "free_variables": {name: name not in sizing.fixed for name in _REQUIRED},
        "fixed_per_module": dict(sizing.fixed),
        "orbit_cases": len(m.cases),
        "radiator_facing": sizing.radiator.facing if isinstance(sizing.radiator.facing, str)
        else list(sizing.radiator.facing),
        "radiator_coating": sizing.radiator.coating.name,
        "radiator_absorbed_W_m2": rad_case.absorbed_total_W_m2,
        "max_module_mass_kg": max_mass,
        "junction": {
            "limit_K": limit,
            "margin_K": sizing.junction_margin_K,
            "design_K": limit - sizing.junction_margin_K,
            "reference": sizing.junction_reference,
            "junction_to_coolant_K_W": sizing.gpu_junction_to_coolant_K_W,
            "gpu_power_W": sizing.compute.gpu_power_W,
            "coolant_rise_K": chain.coolant_rise_K,
            "coolant_mean_K": coolant,
            "radiator_conductance_W_m2K": chain.radiator_conductance_W_m2K,
            "fin_efficiency": sizing.radiator.fin_efficiency,
        },
        "binding": {
            "radiator": ("sizing.radiator_temperature (given)" if sizing.radiator_temperature_K is not None
                         else "GPU junction limit less sizing.junction_margin, "
                         + ("the network model of one module at the case's orbit (sizing.refine)"
                            if refinement.get("converged") else "through the transport chain")),
            "module_size": module_limit,
            "array": (f"orbit energy balance at the sizing epoch (+{100 * sizing.energy_margin_eol:.0f} % "
                      "sizing.energy_margin_eol)" if "array_area_m2" not in sizing.fixed
                      else "fixed: sizing.array_area"),
            "battery": _battery_binding(design, sizing, years),
        },
        "economics": "from the case" if economics is not None else "defaults (no economics section)",
    })
    if extra:
        summary["module"]["required"] = extra["required"]
    if sizing.radiator_temperature_K is not None and sizing.radiator_temperature_K > coolant:
        summary["warning"] = (f"the given radiator temperature {sizing.radiator_temperature_K:.1f} K is above the "
                              f"mean coolant temperature the junction limit allows ({coolant:.1f} K): the GPUs "
                              "will exceed the junction design point")
    return design, summary


# --------------------------------------------------------------------------------------------
# Refinement of the radiator area with the network model
# --------------------------------------------------------------------------------------------
def _with_radiator(design: sz.Design, area_m2: float, kw: dict) -> sz.Design:
    """The design with the module's radiator area replaced, its mass breakdown recomputed (the
    path of a fixed radiator area, :func:`_installed`); the module split is kept."""
    return dataclasses.replace(design, module=_installed(design.module, {"radiator_area_m2": area_m2}, kw))


def refine_radiator(case, design: sz.Design, sizing: SizingConfig, kw: dict, progress=None,
                    tolerance_K: float = REFINE_TOLERANCE_K) -> tuple[sz.Design, dict]:
    """The design with the radiator area per module at which the network model's periodic GPU
    junction maximum on the check case equals the design point (limit - ``sizing.junction_margin``).

    The analytic sizing takes the peak environment and a lumped junction-to-radiator chain, and
    is conservative against the network model (about 7 K at 1 MW). The root is found in two
    levels, to keep the network runs few and fast:

    1. A fast model: the check case (:func:`check_case`) *without the power coupling* (its
       ``power`` dropped: the compute heat stays the same, the orbit-average bus loads are added
       to the node overhead when the bus heat shares the coolant loop, battery and conversion
       losses are left out), whose junction plus a defect ``d`` is driven to the design point by
       :func:`scipy.optimize.brentq` on the radiator area (bracket :data:`REFINE_BRACKET` times
       the analytic area, widened downwards or upwards as needed; upwards first when the analytic
       area already gives a junction above the design point).
    2. The check case itself (coupled, as the network check runs it) at the fast root; ``d`` is
       updated to the difference between the two models there and step 1 repeated, until the
       check case's junction is within ``tolerance_K`` of the design point (a few passes: the
       difference hardly changes with the area). With no power section the fast model is the
       check case and one pass suffices.

    The refinement runs at the case's own orbit (the check case's): with ``orbit_cases: year`` the
    analytic sizing's worst orbit may be another one. The module split (nodes per module, module
    count) of the analytic design is kept; the masses, and so the launches and costs, are those of
    the refined area. Not refined (the analytic design returned): ``sizing.refine: none``, a fixed
    ``sizing.radiator_area``, a given ``sizing.radiator_temperature``, no GPU junction in the check.

    Parameters
    ----------
    case : thermal.case.Case
    design : thermal.sizing.Design
        The analytic design.
    sizing : SizingConfig
    kw : dict
        The sizing inputs (:func:`_inputs`), for the mass breakdown.
    progress : callable, optional
    tolerance_K : float
        On the junction [K].

    Returns
    -------
    (thermal.sizing.Design, dict)
        The refined design and the ``refinement`` block: ``method``, and when refined
        ``converged``, ``radiator_area_m2`` and ``radiator_area_analytic_m2`` (per module),
        ``area_ratio``, ``gpu_junction_max_K`` (the check case's at the refined area),
        ``gpu_junction_analytic_K`` (at the analytic area), ``gpu_junction_design_K``,
        ``tolerance_K``, ``network_runs`` (fast, coupled), ``wall_time_s``; else ``skipped``.
    """
    import time

    from scipy.optimize import brentq

    from thermal.solve import solve_case

    progress = progress or (lambda text: None)
    if sizing.refine == "none":
        return design, {"method": "none", "skipped": "sizing.refine: none"}
    reason = ("sizing.radiator_area is fixed" if "radiator_area_m2" in sizing.fixed else
              "sizing.radiator_temperature is given" if sizing.radiator_temperature_K is not None else None)
    if reason:
        return design, {"method": sizing.refine, "skipped": reason}
    start = time.perf_counter()
    target_K = sizing.compute.gpu.junction_limit_K - sizing.junction_margin_K
    a0 = design.module.radiator_area_m2
    runs = {"fast": 0, "coupled": 0}

    def network(one):
        return dataclasses.replace(one, solver=dataclasses.replace(one.solver, model="network"))

    def junction(one) -> float:
        h = solve_case(one).thermal
        return float(np.nanmax(h.gpu_junction_K)) if np.any(np.isfinite(h.gpu_junction_K)) else math.nan

    def coupled(area: float) -> float:
        runs["coupled"] += 1
        return junction(network(check_case(case, _with_radiator(design, area, kw), sizing)))

    def fast_case(area: float):
        one = network(check_case(case, _with_radiator(design, area, kw), sizing))
        if one.power is None:
            return one
        extra_W = one.power.loads.bus_load_W if isinstance(one.thermal.transport, tr.PumpedLoopSpec) else 0.0
        return dataclasses.replace(one, power=None, compute=dataclasses.replace(
            one.compute, overhead_W=one.compute.overhead_W + extra_W))

    has_power = check_case(case, design, sizing).power is not None
    cache = {}

    def fast(x: float) -> float:
        """The fast model's junction at x times the analytic area [K]."""
        if x not in cache and not has_power:
            cache[x] = coupled(x * a0)
        if x not in cache:
            runs["fast"] += 1
            cache[x] = junction(fast_case(x * a0))
        return cache[x]

    def stop(info, why):
        return design, {**info, "converged": False, "skipped": why, "network_runs": dict(runs),
                        "wall_time_s": time.perf_counter() - start}

    progress(f"sizing refinement: network model of one module at the analytic radiator area ({a0:,.0f} m^2)")
    j = coupled(a0)
    if not math.isfinite(j):
        return design, {"method": sizing.refine, "skipped": "the check case has no GPU junction"}
    if not has_power:
        cache[1.0] = j
    info = {"method": sizing.refine, "radiator_area_analytic_m2": a0, "gpu_junction_analytic_K": j,
            "gpu_junction_design_K": target_K, "tolerance_K": tolerance_K}
    x, first = 1.0, True
    defect = j - fast(1.0) if has_power else 0.0
    for _ in range(6):
        if abs(j - target_K) <= tolerance_K:
            break

        def f(y, d=defect):
            return fast(y) + d - target_K

        # f(x) has the sign of j - target (the defect makes the fast model agree with the check at x)
        if j > target_K:  # too hot: refine upwards
            lo, hi = x, (REFINE_BRACKET[1] if first else x / 0.9)
            while f(hi) > 0.0:
                lo, hi = hi, hi * 1.5
                if hi > 20.0:
                    return stop(info, "the junction stays above the design point up to 20 x the analytic "
                                      "radiator area")
        else:
            lo, hi = (REFINE_BRACKET[0] if first else 0.9 * x), x
            while f(lo) < 0.0:
                hi, lo = lo, lo * 0.5
                if lo < 0.01:
                    return stop(info, "the junction stays below the design point down to 1 % of the "
                                      "analytic radiator area")
        x = brentq(f, lo, hi, xtol=2e-4, rtol=1e-6)
        first = False
        progress(f"sizing refinement: radiator {x * a0:,.0f} m^2 per module "
                 f"({100 * (x - 1):+.1f} % on the analytic area), checked with the coupled check case")
        j = coupled(x * a0) if has_power else fast(x)
        if has_power:
            defect = j - fast(x)
    area = x * a0
    converged = abs(j - target_K) <= tolerance_K
    refined = _with_radiator(design, area, kw)
    return refined, {**info, "converged": converged, "radiator_area_m2": area, "area_ratio": area / a0,
                     "gpu_junction_max_K": j, "network_runs": dict(runs),
                     "wall_time_s": time.perf_counter() - start}


# --------------------------------------------------------------------------------------------
# The check case: one module as an ordinary case
# --------------------------------------------------------------------------------------------
def _fields(obj) -> set:
    return {f.name for f in dataclasses.fields(obj)}


def _scaled(size_m: tuple, factor: float) -> tuple:
    s = math.sqrt(factor)
    return (size_m[0] * s, size_m[1] * s)


def _geometry_facing(facing, geom, attitude: str, n_time: int = 360):
    """A body-fixed facing for the geometry: the named or vector facing itself, or the orbit-mean
    body direction of a moving one (edge_on, sun, anti_sun), with its largest deviation [deg]."""
    if isinstance(facing, str) and facing in NAMED_DIRECTIONS:
        return facing, 0.0
    if not isinstance(facing, str):
        return tuple(float(v) for v in facing), 0.0
    period = geom.period_s if geom is not None else 1.0
    t = np.linspace(0.0, period, n_time, endpoint=False)
    normals = sz.surface_normal_body(geom, attitude, facing, t)
    mean = normals.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    if norm < 1e-6:
        raise InfeasibleError(f"radiator facing '{facing}' turns all the way round the body over the orbit; "
                              "the check case needs a body-fixed facing: give sizing.radiator.facing as a named "
                              "direction or a vector")
    mean = mean / norm
    deviation = float(np.degrees(np.max(np.arccos(np.clip(normals @ mean, -1.0, 1.0)))))
    return tuple(float(v) for v in mean), deviation


def _fit_body(body, gpu_count: int, footprint_m):
    """The body, its x-y size grown (ratio kept) until the deck has room for the GPUs."""
    from geometry.layout import footprint_grid

    if gpu_count <= 0:
        return body, 1.0
    factor = 1.0
    for _ in range(60):
        size = (body.size_m[0] * factor, body.size_m[1] * factor, body.size_m[2])
        try:
            footprint_grid(gpu_count, size[:2], footprint_m)
            return dataclasses.replace(body, size_m=size), factor
        except CaseError:
            factor *= 1.1
    raise InfeasibleError(f"no deck holds {gpu_count} GPU cold plates")  # pragma: no cover


def check_case(case, design: sz.Design, sizing: SizingConfig | None = None):
    """One module of the design as an ordinary case, for the thermal models to check.

    The check case is a plain case (no ``sizing`` or ``economics``), so that
    :func:`thermal.solve.solve_case` runs it as any other. The spacecraft is the case's bus with: the radiators scaled together to the module's radiator
    area (aspect ratios kept), facing, coating and sides of the sizing; the wings scaled to the
    module's array area; the deck carrying the module's GPUs (the body's x-y size grown, ratio
    kept, if they do not fit). The compute is the module's GPUs and node overheads; a pumped loop
    gets the flow for the sizing's coolant rise at the module's heat; the power section gets the
    module's array area, battery capacity, depth of discharge, mission life and bus loads (the
    sizing's bus-load fraction less the pump, which the coupled model adds itself).

    Parameters
    ----------
    case : thermal.case.Case
    design : thermal.sizing.Design
        From :func:`run_sizing`.
    sizing : SizingConfig, optional
        Default ``case.sizing``.

    Returns
    -------
    thermal.case.Case
    """
    from geometry.layout import part_list
    from thermal.network_model import pump_power_W
    from thermal.solve import orbit_geometry

    sizing = sizing if sizing is not None else getattr(case, "sizing", None)
    if sizing is None:
        raise ValueError("check_case: no SizingConfig given and the case has none")
    m = design.module
    spec = case.spacecraft
    if not isinstance(spec, BusSpec) or not spec.radiators:
        raise CaseError("spacecraft.radiators", "a bus with at least one radiator", type(spec).__name__)
    geom = orbit_geometry(case)
    facing, _ = _geometry_facing(sizing.radiator.facing, geom, case.attitude)
    coating = sizing.radiator.coating
    two_sided = sizing.radiator.two_sided
    rad_total = sum(r.size_m[0] * r.size_m[1] for r in spec.radiators)
    f_rad = m.radiator_area_m2 / rad_total
    radiators = tuple(dataclasses.replace(
        r, size_m=_scaled(r.size_m, f_rad), facing=facing, two_sided=two_sided, front=coating,
        back=coating if two_sided else (r.back if not r.two_sided else COATINGS["mli"])) for r in spec.radiators)
    wings = spec.solar_arrays
    if wings and m.array_area_m2 > 0.0:
        wing_total = sum(w.size_m[0] * w.size_m[1] for w in wings)
        wings = tuple(dataclasses.replace(w, size_m=_scaled(w.size_m, m.array_area_m2 / wing_total))
                      for w in wings)
    body, _ = _fit_body(spec.body, m.gpu_count, spec.deck.footprint_m)
    spacecraft = dataclasses.replace(spec, body=body, radiators=radiators, solar_arrays=wings,
                                     deck=dataclasses.replace(spec.deck, gpu_count=m.gpu_count))
    node_overhead = sizing.compute.node_overhead_W
    compute = dataclasses.replace(case.compute, count=m.gpu_count, overhead_W=m.node_count * node_overhead)
    transport = case.thermal.transport
    if isinstance(transport, tr.PumpedLoopSpec) and sizing.transport.coolant_rise_K > 0.0:
        cp = tr.coolant_properties(transport.coolant, LOOP_PROPERTY_TEMPERATURE_K).specific_heat_J_kgK
        transport = dataclasses.replace(transport, flow_rate_kg_s=m.heat_rejection_W
                                        / (cp * sizing.transport.coolant_rise_K))
    thermal = dataclasses.replace(case.thermal, transport=transport)
    out = dataclasses.replace(case, spacecraft=spacecraft, compute=compute, thermal=thermal, power=None,
                              **{name: None for name in ("sizing", "economics") if name in _fields(case)})
    pump_W = pump_power_W(out, part_list(spacecraft))
    if case.power is not None:
        p = case.power
        arrays = dataclasses.replace(p.arrays, area_m2=sum(w.size_m[0] * w.size_m[1] for w in wings),
                                     mission_years=design.mission_years)
        battery = dataclasses.replace(p.battery, capacity_Wh=max(m.battery_capacity_Wh, 1e-6),
                                      max_depth_of_discharge=1.0 - sizing.min_state_of_charge,
                                      max_charge_W=None, max_discharge_W=None)
        loads = dataclasses.replace(p.loads, gpu_count=m.gpu_count, overhead_W=m.node_count * node_overhead,
                                    bus_load_W=max(m.bus_load_W - pump_W, 0.0))
        out = dataclasses.replace(out, power=dataclasses.replace(p, arrays=arrays, battery=battery, loads=loads))
    return out


def check_report(case, design: sz.Design, sizing: SizingConfig, run) -> dict:
    """The check of one thermal run of the check case against the limit and the sizing's design point.

    Parameters
    ----------
    case : thermal.case.Case
        The check case (:func:`check_case`).
    design : thermal.sizing.Design
    sizing : SizingConfig
    run : thermal.solve.Run
        :func:`thermal.solve.solve_case` of the check case.

    Returns
    -------
    dict
        ``model``, ``gpu_junction_max_K``, ``gpu_junction_limit_K``, ``gpu_junction_design_K``
        (limit less margin: what the sizing held), ``margin_to_limit_K``, ``margin_to_design_K``,
        ``met`` (junction at or below the limit), the radiator temperatures (``radiator_T_max_K``
        and mean against the sizing's ``radiator_temperature_K``), the radiator area, the pump
        power and the loop flow.
    """
    h = run.thermal
    junction = float(np.nanmax(h.gpu_junction_K)) if np.any(np.isfinite(h.gpu_junction_K)) else None
    limit = case.compute.junction_limit_K
    design_K = limit - sizing.junction_margin_K
    radiators = [p for p in run.parts.parts if p.role == "radiator"]
    t_max = max(float(np.max(h.part_T_max_K[r.name])) for r in radiators)
    t_mean = float(sum(np.mean(h.part_T_mean_K[r.name]) * r.area_m2 for r in radiators)
                   / sum(r.area_m2 for r in radiators))
    out = {"model": case.solver.model,
           "gpu_junction_max_K": junction,
           "gpu_junction_limit_K": limit,
           "gpu_junction_design_K": design_K,
           "margin_to_limit_K": None if junction is None else limit - junction,
           "margin_to_design_K": None if junction is None else design_K - junction,
           "met": bool(junction is not None and junction <= limit),
           "cold_plate_max_K": float(np.nanmax(h.cold_plate_T_K)) if junction is not None else None,
           "radiator_area_m2": sum(r.area_m2 for r in radiators),
           "radiator_T_max_K": t_max,
           "radiator_T_mean_K": t_mean,
           "sizing_radiator_temperature_K": design.module.radiator_temperature_K,
           "energy_balance_error": h.energy_balance_error,
           "wall_time_s": run.wall_time_s}
    if run.power_summary is not None:
        out["energy_margin"] = run.power_summary.get("energy_margin")
        out["battery_soc_min"] = run.power_summary.get("battery_soc_min")
    for key, value in run.transport.items():
        if key.endswith("loop_conductance_W_K"):
            out[key] = value
    transport = case.thermal.transport
    facing = case.spacecraft.radiators[0].facing
    out.update({"pump_power_W": run.transport.get("pump_power_W", 0.0),
                "loop_flow_rate_kg_s": getattr(transport, "flow_rate_kg_s", None),
                "radiator_facing": facing if isinstance(facing, str) else list(facing),
                "radiator_facing_deviation_deg": _geometry_facing(sizing.radiator.facing, run.geometry,
                                                                  case.attitude)[1],
                "body_size_m": list(case.spacecraft.body.size_m)})
    return out


def sized_run(case, progress=None, sizing: SizingConfig | None = None,
              economics: EconomicsConfig | None = None, fields=None):
    """Size the case, build one module's check case, run the check models on it.

    Parameters
    ----------
    case : thermal.case.Case
        With ``case.sizing`` (and ``case.economics``) or the two given here.
    progress : callable, optional
        Progress messages.
    sizing, economics : optional
        Default ``case.sizing`` and ``case.economics``.
    fields : thermal.fe.FieldSink, optional
        Where the case's own model hands its finite-element field, if it is ``fe``.

    Returns
    -------
    (thermal.solve.Run, dict)
        The run of the check case with the case's own solver model (else the first check model
        that ran), and the ``sizing`` summary with ``check``: one report per model
        (:func:`check_report`).

    Raises
    ------
    thermal.core.errors.InfeasibleError
        The sizing is infeasible, or no check model could run.
    """
    from thermal.solve import solve_case

    progress = progress or (lambda text: None)
    sizing = sizing if sizing is not None else getattr(case, "sizing", None)
    economics = economics if economics is not None else getattr(case, "economics", None)
    progress("sizing: radiator, array, battery, modules")
    design, summary = run_sizing(case, sizing, economics, progress)
    check = check_case(case, design, sizing)
    reports, runs = {}, {}
    for model in sizing.check_models:
        one = dataclasses.replace(check, solver=dataclasses.replace(check.solver, model=model))
        progress(f"check: one module with the {model} model")
        try:
            runs[model] = solve_case(one, progress, fields if model == case.solver.model else None)
        except ImportError as err:  # a model not built yet (thermal.fe_run) or its libraries missing
            reports[model] = {"model": model, "skipped": f"model not available ({err})"}
            continue
        reports[model] = check_report(one, design, sizing, runs[model])
    summary["check"] = reports
    if not runs:
        raise InfeasibleError("no check model could run: " + "; ".join(r["skipped"] for r in reports.values()))
    main = case.solver.model if case.solver.model in runs else next(iter(runs))
    return runs[main], summary


def summary_lines(sizing_summary: dict) -> list[str]:
    """Lines for the printed summary table of a sized case (``print_summary``)."""
    s = sizing_summary
    m = s["module"]
    lines = [
        f"  sizing: {s['module_count']} module(s) x {m['gpu_count']} GPUs ({s['gpu_count']} GPUs, "
        f"{s['compute_power_W'] / 1e6:,.3f} MW of compute); per module radiator {m['radiator_area_m2']:,.0f} m^2 "
        f"at {s['radiator_temperature_K']:.1f} K, array {m['array_area_m2']:,.0f} m^2, battery "
        f"{m['battery_capacity_Wh'] / 1e3:,.0f} kWh, {m['mass_kg'] / 1e3:,.1f} t",
        f"  design: radiator {s['radiator_area_m2']:,.0f} m^2, array {s['array_area_m2']:,.0f} m^2, battery "
        f"{s['battery_capacity_Wh'] / 1e6:,.2f} MWh, {s['mass_kg'] / 1e3:,.0f} t, {s['launch_count']} "
        f"{s['launch_vehicle']} launch(es), launch {s['launch_cost_usd'] / 1e6:,.1f} M USD",
        f"  cost per GPU-hour over {s['mission_years']:g} years: orbit {s['orbital_usd_per_gpu_hour']:.2f} USD, "
        f"ground {s['terrestrial_usd_per_gpu_hour']:.2f} USD; break-even launch price "
        f"{s['breakeven_launch_price_usd_per_kg']:,.0f} USD/kg",
        f"  binding: radiator by {s['binding']['radiator']}; module size by {s['binding']['module_size']}",
    ]
    r = s.get("refinement", {})
    if "radiator_area_m2" in r:
        lines.append(
            f"  refinement ({r['method']}): radiator {r['radiator_area_m2']:,.0f} m^2 per module against "
            f"{r['radiator_area_analytic_m2']:,.0f} m^2 analytic ({100 * (r['area_ratio'] - 1):+.1f} %); GPU "
            f"junction {r['gpu_junction_max_K']:.1f} K against the design point {r['gpu_junction_design_K']:.1f} K "
            f"({r['gpu_junction_analytic_K']:.1f} K at the analytic area)"
            + ("" if r["converged"] else ", NOT converged"))
    elif r:
        lines.append(f"  refinement ({r['method']}): analytic radiator kept ({r.get('skipped', '')})")
    for model, c in s.get("check", {}).items():
        if "skipped" in c:
            lines.append(f"  check ({model}): skipped, {c['skipped']}")
            continue
        lines.append(
            f"  check ({model}, one module): GPU junction max {c['gpu_junction_max_K']:.1f} K, design "
            f"{c['gpu_junction_design_K']:.1f} K, limit {c['gpu_junction_limit_K']:.1f} K "
            f"({'met' if c['met'] else 'EXCEEDED'}); radiator max {c['radiator_T_max_K']:.1f} K against "
            f"{c['sizing_radiator_temperature_K']:.1f} K sized")
    if "warning" in s:
        lines.append(f"  warning: {s['warning']}")
    return lines
