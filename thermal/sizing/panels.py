"""Sizing, mass and cost of a panel array, and what must be true for a claimed performance.

A panel array for a compute target: the panel count, the mass of one panel from its parts, the
satellites, launches and the cost per GPU-hour through the same economics as the bus
architecture (:func:`thermal.sizing.economics.compare_costs`, handed a :class:`PanelDesign`
that answers what those functions ask of a design).

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
from scipy.optimize import brentq

from thermal.case.panels import PanelArrayCase, PanelSpec
from thermal.case.sizing import STARSHIP_NEAR_TERM, LaunchOptions, SizingConfig, SpecificMasses
from thermal.core.compute import Compute
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
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
from thermal.sizing.design import launch_count
from thermal.sizing.economics import MissionCosts, compare_costs
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
class _EclipseYear:
    eclipse_fraction_of_year: float


@dataclass(frozen=True)
class _Satellite:
    """One satellite as the economics sees a module: its array's beginning-of-life power and the
    eclipse fraction of the year (:func:`thermal.sizing.economics.gpu_hours`)."""

    array_bol_power_W: float
    case_arrays: dict


@dataclass(frozen=True)
class PanelDesign:
    """A sized panel array, in the terms :mod:`thermal.sizing.economics` prices a design by: a
    satellite is its module; the cells are its solar array (priced per watt); the panels radiate
    themselves, so there is no radiator to price (``radiator_area_m2`` 0; the panel area is
    ``array_area_m2``); substrate, harness, structure, bus and margin are the rest of the dry mass."""

    panel_count: int
    panels_per_satellite: int
    satellite_count: int
    panel_mass_breakdown_kg: dict       # one panel, by part
    satellite_mass_kg: float            # a full satellite (the largest)
    gpu_count: int                      # chips
    compute_power_W: float              # chips at full power (the target's measure)
    launch: LaunchOptions
    panel_area_m2: float
    battery_capacity_Wh: float          # the whole array
    panel_bol_power_W: float            # one panel's output at normal sun, 28 degC, beginning of life
    eclipse_fraction_of_year: float

    @property
    def target(self) -> dict:
        return {"compute_power_W": self.compute_power_W}

    @property
    def module_count(self) -> int:
        return self.satellite_count

    @property
    def module(self) -> _Satellite:
        return _Satellite(self.panels_per_satellite * self.panel_bol_power_W,
                          {"environment": _EclipseYear(self.eclipse_fraction_of_year)})

    @property
    def radiator_area_m2(self) -> float:
        return 0.0

    @property
    def mass_kg(self) -> float:
        """Every panel with its satellite's share of bus, propulsion and margin (the last satellite
        carries only the panels left) [kg]."""
        return self.panel_count * self.satellite_mass_kg / self.panels_per_satellite

    @property
    def mass_breakdown_kg(self) -> dict:
        """The whole array by part; ``compute`` is the chips with their boards, ``solar_array`` the
        cells."""
        panels = {k: v * self.panel_count for k, v in self.panel_mass_breakdown_kg.items()}
        panels_total = sum(panels.values())
        rest = self.mass_kg - panels_total
        out = {"compute": panels.pop("chips"), "solar_array": panels.pop("cells"), **panels}
        out["bus_and_margin"] = rest
        return out

    def launch_count(self, launch: LaunchOptions | None = None) -> int:
        return launch_count(self.satellite_count, self.satellite_mass_kg, self.launch if launch is None else launch)

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


def eclipse_fraction_of_year(case: PanelArrayCase) -> float:
    """The orbit's eclipse fraction averaged over the year (the sweep of :mod:`thermal.seasons`)."""
    if case.orbit is None:
        return 0.0
    if not has_seasons(case.orbit):
        geom = case_orbit(case.orbit)
        assert geom is not None
        return eclipse_duration_s(geom, case.environment.eclipse) / geom.period_s
    ratings = sweep_year(case.orbit, case.environment)
    return float(np.mean([r.eclipse_fraction for r in ratings]))


def size_array(case: PanelArrayCase, battery_kg: float, battery_Wh: float = 0.0) -> PanelDesign:
    """Panels, satellites and launches for the case's compute target (one panel without one);
    ``battery_kg`` and ``battery_Wh`` per panel."""
    panel = case.panel
    per_panel_W = panel.chips.count * panel.chips.power_W
    count = math.ceil(case.compute_target_W / per_panel_W * (1 - 1e-12)) if case.compute_target_W else 1
    breakdown = panel_mass_breakdown_kg(panel, battery_kg)
    panel_kg = sum(breakdown.values())
    factor = (1.0 + case.satellite.bus_fraction) * (1.0 + case.satellite.margin)
    launch = case.economics.launch if case.economics is not None else STARSHIP_NEAR_TERM
    per_sat = case.satellite.panels_per_satellite
    if per_sat is None:
        per_sat = max(1, math.floor(launch.payload_kg / (panel_kg * factor)))
    per_sat = min(per_sat, count)
    sats = math.ceil(count / per_sat)
    sat_kg = per_sat * panel_kg * factor
    if sat_kg > launch.payload_kg * (1 + 1e-12):
        raise InfeasibleError(f"a satellite of {per_sat} panels weighs {sat_kg:,.0f} kg, more than one {launch.name} "
                              f"launch ({launch.payload_kg:,.0f} kg): lower spacecraft.satellite.panels_per_satellite")
    return PanelDesign(panel_count=count, panels_per_satellite=per_sat, satellite_count=sats,
                       panel_mass_breakdown_kg=breakdown, satellite_mass_kg=sat_kg,
                       gpu_count=count * panel.chips.count, compute_power_W=count * per_panel_W, launch=launch,
                       panel_area_m2=panel.area_m2, battery_capacity_Wh=count * battery_Wh,
                       panel_bol_power_W=case.environment.solar_constant_W_m2 * panel.area_m2 * panel.packing_factor
                       * panel.cell.efficiency_bol, eclipse_fraction_of_year=eclipse_fraction_of_year(case))


def chip_sizing(case: PanelArrayCase, design: PanelDesign) -> SizingConfig:
    """The economics' view of the compute: one panel's chips as its node (their power, mass and
    the eclipse strategy as the schedule: off or throttled is ``eclipse_throttle``)."""
    chips = case.panel.chips
    gpu = GPU(name="panel chip", tdp_W=chips.power_W, junction_limit_K=chips.junction_limit_K,
              slowdown_K=chips.junction_limit_K, shutdown_K=chips.junction_limit_K,
              junction_to_coolant_K_W=chips.junction_to_panel_K_W, mass_kg=chips.mass_kg,
              source="the case's spacecraft.panel.chips")
    share = {"compute_off": 0.0, "throttled": case.eclipse.throttle, "battery": 1.0}[case.eclipse.strategy]
    node = Compute(gpu=gpu, count=chips.count, utilisation=1.0,
                   schedule="continuous" if share == 1.0 else "eclipse_throttle", eclipse_utilisation=share)
    return SizingConfig(target=design.target, node=node,
                        masses=SpecificMasses(compute_kg_per_node=chips.count * chips.mass_kg))


def costs(case: PanelArrayCase, design: PanelDesign) -> MissionCosts | None:
    """Orbital against ground cost through :func:`thermal.sizing.economics.compare_costs` (the
    economics' parts: the cells priced as an array per watt, the battery per kWh, a bus per
    satellite, the rest of the dry mass per kg; GPU-hours with the eclipse schedule and failures)."""
    if case.economics is None:
        return None
    inputs = dataclasses.replace(case.economics.cost, mission_years=case.economics.mission_years or case.mission_years)
    return compare_costs(design, case.economics.launch, case.economics.terrestrial, inputs,  # type: ignore[arg-type]
                         chip_sizing(case, design))


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
    return PanelArrayRun(case, tuple(load_cases), battery_Wh, design, costs(case, design),
                         vapor_chamber_check(case.panel), thermal_cycles_per_year(case),
                         requirements(case, design, min(_sunlit_output_W(lc.orbit) for lc in load_cases)), fe,
                         time.perf_counter() - start)


def _sunlit_output_W(orbit: PanelOrbit) -> float:
    """The panel's electric output at maximum power, averaged over the sunlit part of the orbit [W]."""
    lit = orbit.electric_available_W > 0
    return float(np.mean(orbit.electric_available_W[lit])) if np.any(lit) else 0.0


__all__ = ["CLAIMED_W_PER_KG", "CLAIMED_JUNCTION_K", "PanelLoadCase", "PanelDesign", "panel_mass_breakdown_kg",
           "run_load_cases", "thermal_cycles_per_year", "size_array", "costs", "Requirements", "requirements",
           "PanelArrayRun", "run_panel_case"]
