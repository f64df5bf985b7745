"""Sizing, mass and cost of a panel array, and what must be true for a claimed performance.

A panel array for a compute target: the panel count, the mass of one panel from its parts, the
satellites, launches and the cost per GPU-hour through the same economics as the bus
architecture: the array is a :class:`thermal.sizing.design.Design` whose module is a satellite
(:class:`PanelDesign` holds it with its panels), priced by THE pricing path
(:func:`thermal.sizing.economics.price_design`: the launcher to the design orbit, the year's orbit
cases of :func:`thermal.sizing.orbit_cases.sizing_environment` for the eclipse fraction of the
GPU-hours), and its ``sizing`` block is the bus's (:func:`thermal.sizing.economics.summary_dict`).

Mass of one panel, from parts (each per the case, ``docs/case_keys.md``):
cells (the library cell's blanket areal density over the panel), substrate (areal mass),
chips with their boards (count x mass), harness and structure/deployment (kg/m^2), and the local
battery (capacity / pack specific energy of its cell). A satellite adds its bus and propulsion
(``satellite.bus_fraction`` of its panels' mass) and a mass margin on the whole
(``satellite.margin``, AIAA S-120A style growth allowance).

The panel is run with the network model (:mod:`thermal.models.panel`) at the case's epoch and,
for an orbit with seasons and ``solver.epochs: year``, at the year's worst hot and worst cold
epochs (:func:`thermal.seasons.worst_epoch`). The battery carries the longest eclipse of those
load cases at its depth of discharge; the junction swing of each load case's orbit and the
number of orbits a year with an eclipse (:func:`thermal.seasons.sweep_year`) give the thermal
cycles a year, the solder-fatigue driver.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np

from thermal.case.panels import PanelArrayCase, PanelSpec
from thermal.case.sizing import DEFAULT_ARRAYS, STARSHIP_NEAR_TERM, SizingConfig, SpecificMasses
from thermal.core.compute import Compute
from thermal.core.constants import SOLAR_CONSTANT_W_M2, STEFAN_BOLTZMANN_W_M2K4
from thermal.core.errors import InfeasibleError
from thermal.core.library import GPU
from thermal.models.panel import (
    PanelFluxes,
    PanelOrbit,
    Schedule,
    eclipse_schedule,
    heat_capacity_J_K,
    panel_fluxes,
    panel_spreading,
    run_panel_orbit,
    vapor_chamber_check,
)
from thermal.orbit import case_orbit, eclipse_duration_s
from thermal.seasons import has_seasons, sweep_year, worst_epoch
from thermal.sizing.design import Design, ModuleDesign
from thermal.sizing.economics import MissionCosts, launch_to_orbit, price_design, summary_dict
from thermal.sizing.orbit_cases import sizing_environment
from thermal.transport.heat_pipes import HeatPipeLimitCheck

SECONDS_PER_YEAR = 365.25 * 86400.0

#: The claims a panel array is tested against (Gaalema, Indyk and Staley, arXiv:2604.07760, 2026):
#: more than 100 kW of compute per launched tonne, junctions near 40 degC.
CLAIMED_W_PER_KG = 100.0
CLAIMED_JUNCTION_K = 313.15


@dataclass(frozen=True)
class PanelLoadCase:
    name: str
    epoch: str
    beta_deg: float
    eclipse_s: float
    orbit: PanelOrbit
    fluxes: PanelFluxes             # the environment on the panel over the orbit
    schedule: Schedule              # the chips' and the battery's power
    heat_capacity_J_K: float        # the panel's, battery included


@dataclass(frozen=True)
class PanelDesign:
    """A sized panel array: the economics' :class:`thermal.sizing.design.Design` (a satellite is
    its module, ``design.module_count`` identical satellites; the cells are its solar array, priced
    per watt; the panels radiate themselves, so there is no radiator to price: ``radiator_area_m2``
    0, the panel area is ``array_area_m2``; the propellant and tanks are inside the bus's share,
    ``satellite.bus_fraction``) and the panels it is made of."""

    design: Design
    panel_count: int                    # the whole array
    panels_per_satellite: int
    panel_mass_breakdown_kg: dict       # one panel, by part
    panel_area_m2: float

    @property
    def satellite_count(self) -> int:
        return self.design.module_count

    @property
    def satellite_mass_kg(self) -> float:
        return self.design.module.mass_kg

    @property
    def compute_power_W(self) -> float:
        return self.design.compute_power_W

    @property
    def mass_kg(self) -> float:
        return self.design.mass_kg

    @property
    def mass_breakdown_kg(self) -> dict:
        """The whole array by part; ``compute`` is the chips with their boards, ``solar_array`` the cells."""
        return self.design.mass_breakdown_kg

    def launch_count(self) -> int:
        return self.design.launch_count()

    @property
    def kW_per_tonne(self) -> float:
        return self.compute_power_W / self.mass_kg

    @property
    def array_area_m2(self) -> float:
        """Panel (array and radiator alike) area of the whole array [m^2]."""
        return self.panel_count * self.panel_area_m2


def panel_mass_breakdown_kg(panel: PanelSpec, battery_kg: float) -> dict:
    """One panel's mass by part [kg]."""
    A = panel.area_m2
    return {"cells": panel.cell.areal_density_kg_m2 * A, "substrate": panel.substrate.areal_mass_kg_m2 * A,
            "chips": panel.chips.count * panel.chips.mass_kg, "harness": panel.harness_kg_m2 * A,
            "structure": panel.structure_kg_m2 * A, "battery": battery_kg}


def _load_cases(case: PanelArrayCase) -> list[tuple[str, object]]:
    """(name, orbit config) of the case's epoch and, with seasons, the worst hot and worst cold."""
    out: list[tuple[str, object]] = [("case", case.orbit)]
    if case.orbit is not None and case.solver.epochs == "year" and has_seasons(case.orbit):
        for rule in ("worst_hot", "worst_cold"):
            epoch = worst_epoch(case.orbit, case.environment, rule)
            out.append((rule, dataclasses.replace(case.orbit, epoch=epoch)))
    return out


def _battery(case: PanelArrayCase, eclipses_s: list[float]) -> tuple[float, float]:
    """(capacity Wh, mass kg) of one panel's battery for the longest eclipse."""
    e = case.eclipse
    if e.battery_cell is None:
        return 0.0, 0.0
    sched = eclipse_schedule(case.panel, e.strategy, e.throttle, max(eclipses_s), 1.0,
                             e.battery_cell.charge_efficiency, e.battery_cell.discharge_efficiency)
    capacity = sched.battery_chemical_W * max(eclipses_s) / 3600.0 / e.max_depth_of_discharge
    return capacity, capacity / e.battery_cell.pack_specific_energy_Wh_kg


def run_load_cases(case: PanelArrayCase, progress=None) -> tuple[list[PanelLoadCase], float, float]:
    """The panel over the orbit of every load case; (load cases, battery Wh, battery kg) per panel."""
    cases = []
    for name, orbit in _load_cases(case):
        geom = case_orbit(orbit)   # type: ignore[arg-type]
        ecl = eclipse_duration_s(geom, case.environment.eclipse) if geom is not None else 0.0
        cases.append((name, orbit, geom, ecl))
    capacity, battery_kg = _battery(case, [c[3] for c in cases])
    e = case.eclipse
    eff = (e.battery_cell.charge_efficiency, e.battery_cell.discharge_efficiency) if e.battery_cell else (1.0, 1.0)
    heat_capacity = heat_capacity_J_K(case.panel, battery_kg)
    out = []
    for name, orbit, geom, ecl in cases:
        if progress:
            progress(f"panel network: load case {name}")
        fluxes = panel_fluxes(case.panel, geom, case.environment)
        sched = eclipse_schedule(case.panel, e.strategy, e.throttle, ecl, fluxes.period_s, *eff)
        run = run_panel_orbit(case.panel, fluxes, sched, heat_capacity, case.mission_years, case.solver.orbits,
                              case.solver.time_step_s)
        out.append(PanelLoadCase(name, "" if orbit is None or orbit.epoch is None else orbit.epoch.date().isoformat(),
                                 math.degrees(geom.beta_rad) if geom is not None else 0.0, ecl, run, fluxes, sched,
                                 heat_capacity))
    return out, capacity, battery_kg


def thermal_cycles_per_year(case: PanelArrayCase) -> float:
    """Orbits a year with an eclipse (each one junction cycle) [1/year]; 0 in deep space."""
    if case.orbit is None:
        return 0.0
    geom = case_orbit(case.orbit)
    assert geom is not None
    per_year = SECONDS_PER_YEAR / geom.period_s
    if not has_seasons(case.orbit):
        return per_year if eclipse_duration_s(geom, case.environment.eclipse) > 0 else 0.0
    ratings = sweep_year(case.orbit, case.environment)
    return per_year * sum(r.eclipse_fraction > 0 for r in ratings) / len(ratings)


def size_array(case: PanelArrayCase, battery_kg: float, battery_Wh: float = 0.0) -> PanelDesign:
    """Panels, satellites and launches for the case's compute target (one panel without one);
    ``battery_kg`` and ``battery_Wh`` per panel. The satellites are identical: as many panels as the
    launcher carries to the design orbit (:func:`thermal.sizing.economics.launch_to_orbit`, as the
    bus's modules) or ``satellite.panels_per_satellite``, spread evenly over the satellites the
    target needs (the panel count rounded up to fill them: at most one panel a satellite more than
    the target asks)."""
    panel = case.panel
    per_panel_W = panel.chips.count * panel.chips.power_W
    needed = math.ceil(case.compute_target_W / per_panel_W * (1 - 1e-12)) if case.compute_target_W else 1
    breakdown = panel_mass_breakdown_kg(panel, battery_kg)
    panel_kg = sum(breakdown.values())
    factor = (1.0 + case.satellite.bus_fraction) * (1.0 + case.satellite.margin)
    senv = sizing_environment(case, chip_sizing(case))   # type: ignore[arg-type]
    headline = case.economics.launch if case.economics is not None else STARSHIP_NEAR_TERM
    launch, _ = launch_to_orbit(headline, senv.altitude_m, senv.inclination_rad)
    most = case.satellite.panels_per_satellite
    if most is None:
        most = max(1, math.floor(launch.payload_kg / (panel_kg * factor)))
    sats = math.ceil(needed / most)
    per_sat = math.ceil(needed / sats)
    sat_kg = per_sat * panel_kg * factor
    if sat_kg > launch.payload_kg * (1 + 1e-12):
        raise InfeasibleError(f"a satellite of {per_sat} panels weighs {sat_kg:,.0f} kg, more than one {launch.name} "
                              f"launch carries to the design orbit ({launch.payload_kg:,.0f} kg): lower "
                              "spacecraft.satellite.panels_per_satellite")
    panels = {k: v * per_sat for k, v in breakdown.items()}
    bus_kg = case.satellite.bus_fraction * per_sat * panel_kg
    masses = {"compute": panels.pop("chips"), "solar_array": panels.pop("cells"), **panels, "bus": bus_kg,
              "margin": case.satellite.margin * (per_sat * panel_kg + bus_kg), "propellant": 0.0, "tanks": 0.0}
    share = {"compute_off": 0.0, "throttled": case.eclipse.throttle, "battery": 1.0}[case.eclipse.strategy]
    absorbed_sun_W = panel.front.absorptivity_eol * case.environment.solar_constant_W_m2 * panel.area_m2
    emissivity = panel.front.emissivity + panel.back.emissivity
    module = ModuleDesign(
        node_count=per_sat, gpu_count=per_sat * panel.chips.count, compute_power_W=per_sat * per_panel_W,
        bus_load_W=0.0, eclipse_load_W=share * per_sat * per_panel_W, heat_rejection_W=per_sat * absorbed_sun_W,
        radiator_temperature_K=(absorbed_sun_W / panel.area_m2 / (emissivity * STEFAN_BOLTZMANN_W_M2K4)) ** 0.25,
        radiator_area_m2=0.0, array_area_m2=per_sat * panel.area_m2,
        array_bol_power_W=per_sat * SOLAR_CONSTANT_W_M2 * panel.area_m2 * panel.packing_factor
        * panel.cell.efficiency_bol,
        battery_capacity_Wh=per_sat * battery_Wh, mass_breakdown_kg=masses, case_arrays={"environment": senv})
    design = Design(module=module, module_count=sats,
                    target={"compute_power_W": case.compute_target_W or per_panel_W}, launch=launch,
                    max_module_mass_kg=launch.payload_kg,
                    radiator_sizing_basis="none: the panels radiate the sunlight they absorb from both faces",
                    mission_years=case.mission_years)
    return PanelDesign(design=design, panel_count=sats * per_sat, panels_per_satellite=per_sat,
                       panel_mass_breakdown_kg=breakdown, panel_area_m2=panel.area_m2)


def chip_sizing(case: PanelArrayCase) -> SizingConfig:
    """The economics' view of the compute: one panel's chips as its node (their power, mass and
    the eclipse strategy as the schedule: off or throttled is ``eclipse_throttle``); the year's
    orbit cases with ``solver.epochs: year`` (the eclipse fraction of the GPU-hours, the battery's
    cycles); no propulsion of its own (it is inside ``satellite.bus_fraction``)."""
    chips = case.panel.chips
    gpu = GPU(name="panel chip", tdp_W=chips.power_W, junction_limit_K=chips.junction_limit_K,
              slowdown_K=chips.junction_limit_K, shutdown_K=chips.junction_limit_K,
              junction_to_coolant_K_W=chips.junction_to_panel_K_W, mass_kg=chips.mass_kg,
              source="the case's spacecraft.panel.chips")
    share = {"compute_off": 0.0, "throttled": case.eclipse.throttle, "battery": 1.0}[case.eclipse.strategy]
    node = Compute(gpu=gpu, count=chips.count, utilisation=1.0,
                   schedule="continuous" if share == 1.0 else "eclipse_throttle", eclipse_utilisation=share)
    target = case.compute_target_W or chips.count * chips.power_W
    return SizingConfig(target={"compute_power_W": target}, node=node,
                        arrays=dataclasses.replace(DEFAULT_ARRAYS, mission_years=case.mission_years),
                        masses=SpecificMasses(compute_kg_per_node=chips.count * chips.mass_kg),
                        orbit_cases=case.solver.epochs, propulsion=None)


def costs(case: PanelArrayCase, design: PanelDesign) -> tuple[MissionCosts | None, dict]:
    """Orbital against ground cost and the ``sizing`` block of the summary through THE pricing
    path of the bus (:func:`thermal.sizing.economics.price_design`: the launcher to the design
    orbit, the economics' mission life; the cells priced as an array per watt, the battery per kWh,
    a bus per satellite, the rest of the dry mass per kg; GPU-hours with the eclipse schedule and
    failures). Without an economics section: no costs, the block with the default prices."""
    sizing = chip_sizing(case)
    if case.economics is None:
        return None, summary_dict(design.design, sizing=sizing)
    senv = design.design.module.case_arrays["environment"]
    return price_design(design.design, sizing, case.economics, senv.altitude_m, senv.inclination_rad)


# --------------------------------------------------------------------------------------------
# What must be true: the paper's two claims
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Requirements:
    """The inputs the claims (> 100 kW/t, junctions near 40 degC) would need, each with the
    others held at the case's values, and whether a 40 degC junction is reachable at all."""

    panel_mean_sun_K: float                 # the panel's mean temperature in full sun, whatever the compute
    junction_floor_K: float                 # panel mean + spreading + junction resistance at the case's chip
    junction_claim_reachable: bool
    max_front_absorptivity_for_claim: float     # at the case's emissivities and spreading (back alpha kept)
    min_emissivity_sum_for_claim: float         # eps_front + eps_back at the case's absorptivity
    max_chip_power_for_claim_W: float           # per chip, at the case's spreading (0: not reachable)
    kW_per_tonne: float
    supported_kW_per_tonne: float               # with the chips sized to the panel's own output (hot, end of life)
    cell_efficiency_for_claim: float            # BOL efficiency for 100 kW/t, chips sized to the output
    substrate_areal_mass_for_claim_kg_m2: float  # for 100 kW/t at the case's other masses (<= 0: not reachable)
    chip_power_density_W_cm2: float


def _sun_absorbed_W_m2(panel: PanelSpec, solar_W_m2: float, front_alpha: float | None = None) -> float:
    alpha = panel.front.absorptivity_eol if front_alpha is None else front_alpha
    return alpha * solar_W_m2


def _junction_rise_K(panel: PanelSpec, T: float, chip_W: float) -> float:
    return chip_W * (panel.chips.junction_to_panel_K_W + panel_spreading(panel, T).footprint_K_W)


def requirements(case: PanelArrayCase, design: PanelDesign, output_W: float | None = None) -> Requirements:
    """What the claims need. The junction at normal sun of the case's solar constant (deep space,
    no Earth: the most favourable case for the junction, the orbit only adds albedo and Earth IR).
    The mass per kW with the chips sized to the panel's own electric output ``output_W`` (the sunlit
    mean at the hottest load case, end of life; default the chips' power), the chips' mass in
    proportion to their power, and the output in proportion to the cell efficiency."""
    from scipy.optimize import brentq  # here, not at import: a plain run needs no SciPy (start-up)

    panel, S = case.panel, case.environment.solar_constant_W_m2
    sigma = STEFAN_BOLTZMANN_W_M2K4
    eps = panel.front.emissivity + panel.back.emissivity
    absorbed = _sun_absorbed_W_m2(panel, S)
    mean = (absorbed / (eps * sigma)) ** 0.25
    chip = panel.chips.power_W
    floor = mean + _junction_rise_K(panel, mean, chip)
    target = CLAIMED_JUNCTION_K

    def junction(alpha: float, eps_sum: float) -> float:
        T = (alpha * S / (eps_sum * sigma)) ** 0.25
        front = dataclasses.replace(panel.front, emissivity=eps_sum - panel.back.emissivity)
        return T + _junction_rise_K(dataclasses.replace(panel, front=front), T, chip)

    if junction(1e-6, eps) < target < junction(1.0, eps):
        alpha_max = brentq(lambda a: junction(a, eps) - target, 1e-6, 1.0)
    else:
        alpha_max = 1.0 if junction(1.0, eps) <= target else 0.0
    eps_lo = panel.back.emissivity + 1e-6
    eps_min = (brentq(lambda e: junction(panel.front.absorptivity_eol, e) - target, eps_lo, 2.0)
               if junction(panel.front.absorptivity_eol, 2.0) < target < junction(panel.front.absorptivity_eol, eps_lo)
               else (math.inf if junction(panel.front.absorptivity_eol, 2.0) >= target else eps_lo))
    per_watt = panel.chips.junction_to_panel_K_W + panel_spreading(panel, mean).footprint_K_W
    chip_max = max(0.0, (target - mean) / per_watt)
    # 100 kW/t: the compute a panel runs is its output P = output_W eta / eta_now; its mass
    # factor (fixed + chips_kg_per_W P); P / mass = CLAIM solved for eta, or for the substrate
    bd = design.panel_mass_breakdown_kg
    factor = design.satellite_mass_kg / (design.panels_per_satellite * sum(bd.values()))
    chips_kg_per_W = bd["chips"] / (panel.chips.count * chip)
    fixed_kg = sum(v for k, v in bd.items() if k != "chips")
    output = panel.chips.count * chip if output_W is None else output_W
    supported = output / (factor * (fixed_kg + chips_kg_per_W * output))
    denom = 1.0 / CLAIMED_W_PER_KG - factor * chips_kg_per_W
    eta_claim = (factor * fixed_kg / denom) * panel.cell.efficiency_bol / output if denom > 0 else math.inf
    sub_claim = (output / (CLAIMED_W_PER_KG * factor) - (fixed_kg - bd["substrate"]) - chips_kg_per_W * output
                 ) / panel.area_m2
    density = chip / (panel.chips.footprint_m ** 2 * 1e4)
    return Requirements(mean, floor, floor <= target, float(alpha_max), float(eps_min), chip_max,
                        design.kW_per_tonne, supported, float(eta_claim), float(sub_claim), density)


@dataclass(frozen=True)
class PanelArrayRun:
    """A panel-array case's outcome: its load cases, design, costs and requirements."""

    case: PanelArrayCase
    load_cases: tuple[PanelLoadCase, ...]
    battery_Wh: float
    design: PanelDesign
    costs: MissionCosts | None
    vapor_chamber: HeatPipeLimitCheck | None
    cycles_per_year: float
    requirements: Requirements
    fe: dict                    # load case -> thermal.models.panel_fe.PanelFEOrbit (empty with the network model)
    sizing: dict                # the summary's sizing block (thermal.sizing.economics.summary_dict)
    wall_time_s: float = 0.0


def run_panel_case(case: PanelArrayCase, progress=None, fields=None) -> PanelArrayRun:
    """Run the panel over its load cases, size the array, price it, and state what the claims need;
    with ``solver.model: fe`` the finite-element unit cell (:mod:`thermal.models.panel_fe`) marched
    over the orbit of every load case as well, from the network's temperature at the orbit's start;
    ``fields`` (a :class:`thermal.models.fe.model.FieldSink`) gets the unit cell's field over the
    case's own load case's orbit."""
    start = time.perf_counter()
    load_cases, battery_Wh, battery_kg = run_load_cases(case, progress)
    design = size_array(case, battery_kg, battery_Wh)
    fe = {}
    if case.solver.model == "fe":
        from thermal.models.panel_fe import panel_fe_orbit  # DOLFINx only when asked
        for lc in load_cases:
            if progress:
                progress(f"panel finite elements: load case {lc.name}")
            fe[lc.name] = panel_fe_orbit(case.panel, lc.fluxes, lc.schedule, lc.heat_capacity_J_K, case.mission_years,
                                         case.solver, float(lc.orbit.panel_K[0]), progress,
                                         fields if lc is load_cases[0] else None, case.output.field_every_steps,
                                         "all" if case.output.fields == "all" else "last")
    priced, sizing = costs(case, design)
    return PanelArrayRun(case, tuple(load_cases), battery_Wh, design, priced,
                         vapor_chamber_check(case.panel), thermal_cycles_per_year(case),
                         requirements(case, design, min(_sunlit_output_W(lc.orbit) for lc in load_cases)), fe,
                         sizing, time.perf_counter() - start)


def _sunlit_output_W(orbit: PanelOrbit) -> float:
    """The panel's electric output at maximum power, averaged over the sunlit part of the orbit [W]."""
    lit = orbit.electric_available_W > 0
    return float(np.mean(orbit.electric_available_W[lit])) if np.any(lit) else 0.0


__all__ = ["CLAIMED_W_PER_KG", "CLAIMED_JUNCTION_K", "PanelLoadCase", "PanelDesign", "panel_mass_breakdown_kg",
           "run_load_cases", "thermal_cycles_per_year", "size_array", "costs", "Requirements", "requirements",
           "PanelArrayRun", "run_panel_case"]
