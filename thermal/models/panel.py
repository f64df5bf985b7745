"""The network (lumped) model of one panel of a panel array, over an orbit.

One panel faces the sun (attitude ``sun``, front normal on the sun): solar cells on the front,
an in-plane heat spreader (vapor chamber or solid), compute chips on the back in a regular grid.
Its electric output runs its own chips, so the heat it rejects is everything it absorbs
(the cells convert part of the sunlight and the chips return it as heat) less what leaves the
panel: the energy stored in its battery (charging) or exported (``output: export``).

Assumptions (each stated where it is used):

- Periodic array: the panels see each other only edge-on (they lie in one plane facing the
  sun), so no panel sees another's face and each radiates to space from both faces; the chips
  sit in a regular grid and each chip's unit cell (the panel divided by the grid) is bounded by
  symmetry lines, i.e. insulated edges. The panel's own edges are insulated too (thin edges,
  neighbours edge-on), so the whole panel is the unit cell repeated.
- The panel's mean temperature is one node (substrate, cells, chips and battery at one
  temperature, with their heat capacities): C dT/dt = Q_absorbed - (eps_f + eps_b) sigma A T^4
  - P_stored - P_exported. Its time constant is minutes for a thin panel.
- The junction and the hot spot under a chip follow the panel mean quasi-statically:
  T_j = T_mean + P_chip (R_junction_to_panel + R_spreading), with R_spreading from the series
  solution of :func:`spreading_rise` at the radiation coefficient linearised at T_mean
  (h = 4 (eps_f + eps_b) sigma T_mean^3). The chip's own heat capacity is kept in the panel node.
- Cell efficiency is linear in the cell temperature (:func:`power.solar_array.cell_efficiency`),
  the cells at the panel's mean temperature, the end-of-life factor of the case's mission
  (:func:`power.solar_array.cell_end_of_life_factor`); electricity is made from the direct sun
  only (the albedo is absorbed as heat).
- Eclipse: ``compute_off`` the chips stop; ``throttled`` they run at ``throttle`` of full power and
  ``battery`` at full power, from a battery on the panel that is recharged at constant power over
  the sunlit part of the orbit; its losses (charge and discharge efficiencies of the cell) are
  heat in the panel.
- The vapor chamber's capillary/dry-out limit is the heat-pipe limit Q * L_eff <= capacity
  (:func:`thermal.transport.heat_pipes.check_heat_pipe_limit`), with Q the chip's power and L_eff
  = L_a + (L_e + L_c)/2 for an evaporator the chip's half-footprint, no adiabatic section and a
  condenser the rest of the half-pitch (Faghri 2016, ch. 4).

The spreading series: the steady thin-plate (fin) equation with a linearised film coefficient on
both faces, k t lap(theta) - h theta + q(x, y) = 0 on the unit cell [0, a] x [0, b] with insulated
edges and a uniform flux on the centred c x c footprint, solved by the double cosine series
theta = sum_mn A_mn cos(m pi x/a) cos(n pi y/b), A_mn = q0 f_m g_n / (k t (lambda_m^2 + mu_n^2) + h),
f_m the cosine coefficients of the footprint's indicator (derived here; it is the periodic-array
form of the Yovanovich/Muzychka spreading solutions for a centred source on a rectangular flux
channel, Muzychka, Culham & Yovanovich, J. Electron. Packag. 125 (2003) 178-185, in the limit of
a thin plate cooled on its faces).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from power.solar_array import cell_efficiency, cell_end_of_life_factor
from thermal.case.model import EnvironmentConstants
from thermal.case.panels import PanelSpec
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
from thermal.environment import incident_flux
from thermal.exposure import facing_normal_body
from thermal.orbit import OrbitGeometry
from thermal.transport.heat_pipes import HeatPipeLimitCheck, check_heat_pipe_limit, heat_pipe_effective_length_m

#: Modes of each series; the truncation error of the peak is below 1e-4 of the rise (tests).
SERIES_MODES = 400

#: Specific heat of the cells with cover glass [J/kg/K] (ASSUMED: germanium 320, cover glass 800,
#: silicone 1,200 J/kg/K by mass in a III-V blanket give about 700).
CELL_SPECIFIC_HEAT_J_KGK = 700.0

#: The march window in deep space, where there is no orbit [s]: a day, hundreds of a thin panel's
#: time constants (minutes), so the march ends at the steady state.
DEEP_SPACE_WINDOW_S = 86400.0


# --------------------------------------------------------------------------------------------
# spreading from a centred source on the periodic unit cell
# --------------------------------------------------------------------------------------------

def _footprint_coefficients(length_m: float, footprint_m: float, modes: int) -> np.ndarray:
    """Cosine coefficients f_m of the indicator of [L/2 - c/2, L/2 + c/2] on [0, L]:
    f_0 = c/L, f_m = (2/(m pi)) [sin(m pi (L + c)/(2L)) - sin(m pi (L - c)/(2L))]."""
    m = np.arange(modes, dtype=float)
    f = np.empty(modes)
    f[0] = footprint_m / length_m
    mm = m[1:] * math.pi
    f[1:] = 2.0 / mm * (np.sin(mm * (length_m + footprint_m) / (2 * length_m))
                        - np.sin(mm * (length_m - footprint_m) / (2 * length_m)))
    return f


@dataclass(frozen=True)
class SpreadingRise:
    """Temperature rises above the cell's mean per watt of the chip [K/W]."""

    peak_K_W: float          # at the footprint's centre (the hot spot)
    footprint_K_W: float     # averaged over the footprint (where the junction resistance attaches)
    mean_K_W: float          # the cell's mean rise per watt, 1 / (h a b)


def spreading_rise(pitch_m: tuple[float, float], footprint_m: float, conductance_W_K: float, h_W_m2K: float,
                   modes: int = SERIES_MODES) -> SpreadingRise:
    """Rise per watt of a centred square source on an insulated-edge rectangular cell that is
    cooled on its faces with a total film coefficient ``h_W_m2K`` (both faces together) and
    spreads with the sheet conductance ``k t`` = ``conductance_W_K`` (the double cosine series of
    the module docstring)."""
    a, b = pitch_m
    fx = _footprint_coefficients(a, footprint_m, modes)
    fy = _footprint_coefficients(b, footprint_m, modes)
    lam2 = (np.arange(modes) * math.pi / a) ** 2
    mu2 = (np.arange(modes) * math.pi / b) ** 2
    q0 = 1.0 / footprint_m ** 2                       # per watt
    amp = q0 * np.outer(fx, fy) / (conductance_W_K * (lam2[:, None] + mu2[None, :]) + h_W_m2K)
    centre_x = np.cos(np.arange(modes) * math.pi / 2)
    peak = float(centre_x @ amp @ centre_x)
    # the footprint average of cos(m pi x / a): f_m a / (2 c) for m >= 1, 1 for m = 0
    avg_x = fx * a / (2 * footprint_m)
    avg_x[0] = 1.0
    avg_y = fy * b / (2 * footprint_m)
    avg_y[0] = 1.0
    footprint = float(avg_x @ amp @ avg_y)
    mean = float(amp[0, 0])
    return SpreadingRise(peak - mean, footprint - mean, mean)


def radiation_coefficient_W_m2K(panel: PanelSpec, temperature_K: float) -> float:
    """Both faces' radiation to deep space linearised at ``temperature_K``: 4 (eps_f + eps_b) sigma T^3."""
    return 4.0 * (panel.front.emissivity + panel.back.emissivity) * STEFAN_BOLTZMANN_W_M2K4 * temperature_K ** 3


def panel_spreading(panel: PanelSpec, temperature_K: float) -> SpreadingRise:
    """The spreading rises of one chip on its unit cell at the panel's mean temperature."""
    s = panel.substrate
    return spreading_rise(panel.cell_pitch_m, panel.chips.footprint_m, s.conductivity_W_mK * s.thickness_m,
                          radiation_coefficient_W_m2K(panel, temperature_K))


def vapor_chamber_check(panel: PanelSpec) -> HeatPipeLimitCheck | None:
    """The substrate's capillary/dry-out limit against one chip's heat (None: a solid spreader)."""
    spec = panel.substrate.transport_spec()
    if spec is None:
        return None
    half_pitch = 0.5 * min(panel.cell_pitch_m)
    half_chip = 0.5 * panel.chips.footprint_m
    length = heat_pipe_effective_length_m(half_chip, 0.0, half_pitch - half_chip)
    return check_heat_pipe_limit(spec, panel.chips.power_W, length)


# --------------------------------------------------------------------------------------------
# the panel's heat capacity and its fluxes over the orbit
# --------------------------------------------------------------------------------------------

def heat_capacity_J_K(panel: PanelSpec, battery_kg: float = 0.0, battery_cp: float = 1000.0) -> float:
    """The panel node's heat capacity: substrate, cells, chips with boards, battery [J/K]."""
    return (panel.area_m2 * (panel.substrate.areal_mass_kg_m2 * panel.substrate.specific_heat_J_kgK
                             + panel.cell.areal_density_kg_m2 * CELL_SPECIFIC_HEAT_J_KGK)
            + panel.chips.count * panel.chips.mass_kg * panel.chips.specific_heat_J_kgK
            + battery_kg * battery_cp)


@dataclass(frozen=True)
class PanelFluxes:
    """Sampled over one orbit from orbit noon (end point excluded)."""

    time_s: np.ndarray
    period_s: float
    solar_W_m2: np.ndarray          # direct sun on the front (cells), normal incidence
    absorbed_W_m2: np.ndarray       # absorbed by both faces together, per m^2 of panel
    sunlit: np.ndarray              # bool: the chips' sunlit schedule (direct sun above half)

    def at(self, t: float) -> tuple[float, float, bool]:
        """Interpolated (periodic) solar, absorbed and the sunlit flag at ``t``."""
        phase = t % self.period_s
        k = min(int(phase / self.period_s * self.time_s.size), self.time_s.size - 1)
        w = (phase - self.time_s[k]) / (self.period_s / self.time_s.size)
        k1 = (k + 1) % self.time_s.size
        solar = float((1 - w) * self.solar_W_m2[k] + w * self.solar_W_m2[k1])
        absorbed = float((1 - w) * self.absorbed_W_m2[k] + w * self.absorbed_W_m2[k1])
        return solar, absorbed, solar > self.sunlit_threshold_W_m2

    @property
    def sunlit_threshold_W_m2(self) -> float:
        return 0.5 * float(self.solar_W_m2.max(initial=0.0))


def panel_fluxes(panel: PanelSpec, geom: OrbitGeometry | None, env: EnvironmentConstants,
                 end_of_life: bool = True, n_time: int = 720) -> PanelFluxes:
    """The environment on a sun-facing panel over one orbit (deep space: constant sun on the
    front, over a day: :data:`DEEP_SPACE_WINDOW_S`): each face absorbs alpha (solar + albedo) +
    eps earth_ir of :func:`thermal.environment.incident_flux`, the back facing away from the sun."""
    period = geom.period_s if geom is not None else DEEP_SPACE_WINDOW_S
    t = np.linspace(0.0, period, n_time, endpoint=False)
    front = incident_flux(geom, env, "sun", facing_normal_body("sun", geom, "sun", t), t)
    back = incident_flux(geom, env, "sun", facing_normal_body("anti_sun", geom, "sun", t), t)
    absorbed = (front.absorbed_W_m2(panel.front.solar_absorptivity(end_of_life), panel.front.emissivity)
                + back.absorbed_W_m2(panel.back.solar_absorptivity(end_of_life), panel.back.emissivity))
    solar = np.asarray(front.solar_W_m2, dtype=float) * np.ones_like(t)
    return PanelFluxes(t, period, solar, np.asarray(absorbed, dtype=float) * np.ones_like(t),
                       solar > 0.5 * float(solar.max(initial=0.0)))


@functools.lru_cache(maxsize=64)
def _end_of_life_factor(cell, years: float) -> float:
    return float(cell_end_of_life_factor(cell, years))


def panel_efficiency(panel: PanelSpec, temperature_K, mission_years: float, end_of_life: bool = True):
    """Electric output per unit of direct sun on the panel: packing x cell efficiency at the
    temperature (end of life of the mission if asked) [-]."""
    eol = _end_of_life_factor(panel.cell, mission_years) if end_of_life else 1.0
    return panel.packing_factor * cell_efficiency(temperature_K, panel.cell.efficiency_bol * eol,
                                                  panel.cell.temperature_coefficient_per_K,
                                                  panel.cell.reference_temperature_K)


# --------------------------------------------------------------------------------------------
# steady state (deep space) and the orbit
# --------------------------------------------------------------------------------------------

def steady_temperature_K(panel: PanelSpec, absorbed_W_m2: float, solar_W_m2: float, mission_years: float = 0.0,
                         end_of_life: bool = False) -> float:
    """The panel's steady mean temperature under constant fluxes: everything absorbed is rejected
    by both faces, less the electric output if it is exported."""
    from scipy.optimize import brentq  # here: importing the module (the outputs do) needs no SciPy

    eps = panel.front.emissivity + panel.back.emissivity

    def balance(T):
        out = absorbed_W_m2
        if panel.output == "export":
            out -= float(panel_efficiency(panel, T, mission_years, end_of_life)) * solar_W_m2
        return out - eps * STEFAN_BOLTZMANN_W_M2K4 * T ** 4

    return float(brentq(balance, 2.7, 2000.0, xtol=1e-12, rtol=1e-14))


@dataclass(frozen=True)
class Schedule:
    """What the chips draw and what the battery takes, per panel [W]."""

    compute_sun_W: float
    compute_eclipse_W: float
    charge_W: float                 # electric power into the battery over the sunlit part
    battery_chemical_W: float       # chemical power out of the battery in eclipse (load / discharge efficiency)
    charge_efficiency: float


def eclipse_schedule(panel: PanelSpec, strategy: str, throttle: float, eclipse_s: float, period_s: float,
                     charge_efficiency: float = 1.0, discharge_efficiency: float = 1.0) -> Schedule:
    """The chips' power in sun and eclipse, and the battery's recharge to carry the eclipse."""
    full = panel.chips.count * panel.chips.power_W if panel.output == "chips" else 0.0
    eclipse_W = {"compute_off": 0.0, "throttled": throttle * full, "battery": full}[strategy]
    chemical = eclipse_W / discharge_efficiency
    sun_s = period_s - eclipse_s
    charge = chemical * eclipse_s / (charge_efficiency * sun_s) if eclipse_s > 0 and sun_s > 0 else 0.0
    return Schedule(full, eclipse_W, charge, chemical, charge_efficiency)


@dataclass(frozen=True)
class PanelOrbit:
    """One panel over its last (periodic) orbit, sampled from orbit noon."""

    time_s: np.ndarray
    panel_K: np.ndarray             # mean panel temperature
    junction_K: np.ndarray
    hot_spot_K: np.ndarray          # panel under the chip's centre
    electric_available_W: np.ndarray   # at maximum power, per panel
    electric_drawn_W: np.ndarray       # chips + battery charge (sun) per panel
    heat_in_W: np.ndarray           # net heat into the panel node (absorbed - stored - exported + battery out)
    chip_W: np.ndarray              # one chip's power
    energy_balance_error: float
    energy_margin: float            # orbit energy available over drawn, minus 1
    period_s: float

    @property
    def junction_swing_K(self) -> float:
        return float(self.junction_K.max() - self.junction_K.min())


def _rhs_terms(panel: PanelSpec, fluxes: PanelFluxes, sched: Schedule, mission_years: float):
    A = panel.area_m2
    eps = panel.front.emissivity + panel.back.emissivity

    def terms(t: float, T: float) -> tuple[float, float, float, float]:
        """(heat in, heat out, electric available, electric drawn) [W]."""
        solar, absorbed, sunlit = fluxes.at(t)
        available = float(panel_efficiency(panel, T, mission_years)) * solar * A
        heat_in = absorbed * A
        if panel.output == "export":
            heat_in -= available
            drawn = available
        elif sunlit:
            drawn = sched.compute_sun_W + sched.charge_W
            heat_in -= sched.charge_W * sched.charge_efficiency        # stored as chemical energy
        else:
            drawn = 0.0
            heat_in += sched.battery_chemical_W                        # the battery's energy returns as heat
        return heat_in, eps * STEFAN_BOLTZMANN_W_M2K4 * A * T ** 4, available, drawn

    return terms


def run_panel_orbit(panel: PanelSpec, fluxes: PanelFluxes, sched: Schedule, heat_capacity: float,
                    mission_years: float, orbits: int = 4, time_step_s: float = 20.0) -> PanelOrbit:
    """March the panel node over ``orbits`` orbits (Radau, implicit, step at most ``time_step_s``)
    and return the last: the heat in and out are integrated with the temperature, so the energy
    balance of every output step is that of the integrator."""
    from scipy.integrate import solve_ivp

    terms = _rhs_terms(panel, fluxes, sched, mission_years)

    def rhs(t, y):
        q_in, q_out, _, _ = terms(t, y[0])
        return [(q_in - q_out) / heat_capacity, q_in, q_out]

    emit = (panel.front.emissivity + panel.back.emissivity) * STEFAN_BOLTZMANN_W_M2K4 * panel.area_m2

    def jac(t, y):
        """The emission's exact derivative (the efficiency's slope in export mode is left out: it
        only steers Newton's iterations, not the solution)."""
        d_out = 4.0 * emit * y[0] ** 3
        return np.array([[-d_out / heat_capacity, 0.0, 0.0], [0.0, 0.0, 0.0], [d_out, 0.0, 0.0]])

    T0 = steady_temperature_K(panel, float(np.mean(fluxes.absorbed_W_m2)), 0.0)
    period = fluxes.period_s
    t_out = np.concatenate([fluxes.time_s, [period]])
    y = np.array([T0, 0.0, 0.0])
    for _ in range(orbits):
        sol = solve_ivp(rhs, (0.0, period), y, method="Radau", t_eval=t_out, max_step=time_step_s,
                        rtol=1e-9, atol=[1e-9, 1e-6, 1e-6], jac=jac)
        if not sol.success:
            raise RuntimeError(f"panel orbit march failed: {sol.message}")
        y = np.array([sol.y[0, -1], 0.0, 0.0])
    T = sol.y[0]
    stored = heat_capacity * np.diff(T)
    net = np.diff(sol.y[1]) - np.diff(sol.y[2])
    scale = max(sol.y[1, -1], sol.y[2, -1], float(np.abs(stored).sum()))
    balance = float(np.abs(stored - net).sum() / scale)
    samples = [terms(t, T[i]) for i, t in enumerate(t_out[:-1])]
    heat_in = np.array([s[0] for s in samples])
    available = np.array([s[2] for s in samples])
    drawn = np.array([s[3] for s in samples])
    T = T[:-1]
    chip = np.where(fluxes.sunlit, sched.compute_sun_W, sched.compute_eclipse_W) / max(panel.chips.count, 1)
    # the spreading rises vary smoothly with T (through h ~ T^3): 9 series over the orbit's range
    grid = np.linspace(T.min(), T.max() + 1e-9, 9)
    rises = [panel_spreading(panel, Ti) for Ti in grid]
    footprint = np.interp(T, grid, [r.footprint_K_W for r in rises])
    junction = T + chip * (panel.chips.junction_to_panel_K_W + footprint)
    hot = T + chip * np.interp(T, grid, [r.peak_K_W for r in rises])
    margin = (float(np.mean(available[fluxes.sunlit])) / float(np.mean(drawn[fluxes.sunlit])) - 1.0
              if panel.output == "chips" and np.any(fluxes.sunlit) and np.mean(drawn[fluxes.sunlit]) > 0
              else math.inf)
    return PanelOrbit(fluxes.time_s, T, junction, hot, available, drawn, heat_in, chip, balance, margin, period)


__all__ = ["SERIES_MODES", "SpreadingRise", "spreading_rise", "radiation_coefficient_W_m2K", "panel_spreading",
           "vapor_chamber_check", "heat_capacity_J_K", "PanelFluxes", "panel_fluxes", "panel_efficiency",
           "steady_temperature_K", "Schedule", "eclipse_schedule", "PanelOrbit", "run_panel_orbit"]
