"""Heat transport between the GPU cold plates and the radiator panels.

Pure functions and frozen dataclasses, SI floats (kelvin, watts, metres, pascals). Both the lumped
network model and the finite-element model call these; nothing here knows about meshes or YAML.

The chain for a pumped loop, in the order the heat travels::

    GPU junction --R_jc--> coolant in the cold plates --(UA_source, N plates in parallel)-->
        fluid (heat capacity rate C = m_dot cp) --(UA_sink = film + fin path)--> radiator panel

- :func:`coolant_properties`: liquid properties from CoolProp (cached, range-checked).
- :func:`nusselt_tube`, :func:`darcy_friction_factor`, :func:`film_coefficient_W_m2K`:
  internal forced convection in the tubes (laminar / blend / Gnielinski, Petukhov).
- :func:`fin_efficiency`, :func:`fin_conductance_W_K`, :func:`panel_conductance_W_K`: the radiator
  panel between two tubes as a radiating fin (linearised), in series with the tube film.
- :func:`cold_plate_conductance_W_K`: microchannel cold plate (Shah & London laminar ducts).
- :func:`loop_conductance_W_K`, :func:`loop_temperatures`: a closed loop through two isothermal-wall
  exchangers (effectiveness-NTU), for the lumped network.
- :func:`fluid_march`, :func:`fluid_march_operator`: the fluid marched along a discretised path of
  wall temperatures (exact exponential per segment), for the finite-element model.
- :func:`pressure_drop_Pa`, :func:`pump_power_W`: Darcy-Weisbach with a minor-loss allowance.
- :class:`HeatPipeSpec`, :func:`check_heat_pipe_limit`: a heat-pipe network as a conductance with a
  capillary (Q * L_eff) limit.
- :func:`junction_temperature_K`: GPU junction from a coolant or plate temperature.
- :func:`pumped_loop_network`: wires the above into the conductances of one loop, for reporting.

Sign convention: heat is positive from the hot side to the cold side (cold plate -> fluid ->
panel); :func:`fluid_march` returns heat from the fluid into each wall segment.

References
----------
- Incropera, DeWitt, Bergman & Lavine, *Fundamentals of Heat and Mass Transfer*, 6th ed., Wiley
  (2007): ch. 3.6 (fins), ch. 8 (internal flow; eq. 8.53 laminar Nu = 4.36, eq. 8.60 Dittus-Boelter,
  eq. 8.62 Gnielinski, eq. 8.21 Petukhov friction), ch. 11 (effectiveness-NTU, eq. 11.36a for
  C_r = 0), Table A.6 (water).
- Gnielinski, V. (1976) New equations for heat and mass transfer in turbulent pipe and channel flow,
  *Int. Chem. Eng.* 16, 359-368.
- Petukhov, B. S. (1970) Heat transfer and friction in turbulent pipe flow with variable physical
  properties, *Adv. Heat Transfer* 6, 503-564. doi:10.1016/S0065-2717(08)70153-9
- Kays & London, *Compact Heat Exchangers*, 3rd ed. (1984): effectiveness of an exchanger with one
  fluid at uniform temperature, eps = 1 - exp(-NTU).
- Shah & London, *Laminar Flow Forced Convection in Ducts*, Academic Press (1978): fully developed
  f Re and Nu_H1 for rectangular ducts (their polynomial fits in the aspect ratio).
- Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. 1, 2nd ed., Aerospace Press (2002):
  ch. 6 (radiators, fin efficiency), ch. 12 (pumped fluid loops), ch. 14 (heat pipes).
- Faghri, *Heat Pipe Science and Technology*, 2nd ed. (2016): effective length, capillary limit,
  liquid transport factor (merit number) rho_l sigma h_fg / mu_l.
- Bell, Wronski, Quoilin & Lemort (2014) CoolProp, *Ind. Eng. Chem. Res.* 53, 2498-2508,
  doi:10.1021/ie4033999; incompressible brines after Melinder, *Properties of Secondary Working
  Fluids for Indirect Systems*, IIR (2010).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from CoolProp.CoolProp import PropsSI

from thermal.case.model import HeatPipeSpec, PumpedLoopSpec
from thermal.core.checks import check_positive
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
from thermal.core.errors import InfeasibleError
from thermal.core.library import COOLANTS, Coolant

# ------------------------------------------------------------------------------------------------
# Coolants
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoolantProperties:
    """Liquid coolant properties at one temperature and pressure."""
    density_kg_m3: float
    specific_heat_J_kgK: float
    viscosity_Pa_s: float
    conductivity_W_mK: float
    prandtl: float
    freezing_K: float


def _coolant(name: str) -> Coolant:
    try:
        return COOLANTS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown coolant {name!r}; known coolants: {', '.join(sorted(COOLANTS))}") from None


@lru_cache(maxsize=64)
def _liquid_range_K(name: str, pressure_Pa: float) -> tuple[float, float, str]:
    """Lowest and highest liquid temperature [K] of a coolant at a pressure, and what sets the top."""
    c = COOLANTS[name]
    if c.incompressible:
        return c.freezing_K, PropsSI("Tmax", "T", 300.0, "P", pressure_Pa, c.coolprop_fluid), "the property fit's maximum"
    low = max(c.freezing_K, PropsSI("Tmin", c.coolprop_fluid))   # the equation of state's lower limit
    if pressure_Pa >= PropsSI("pcrit", c.coolprop_fluid):
        return low, PropsSI("Tcrit", c.coolprop_fluid), "the critical temperature"
    t_sat = PropsSI("T", "P", pressure_Pa, "Q", 0.0, c.coolprop_fluid)
    return low, t_sat, "the saturation temperature at the loop pressure (raise loop_pressure_Pa)"


@lru_cache(maxsize=16384)
def _coolant_properties_cached(name: str, temperature_K: float, pressure_Pa: float) -> CoolantProperties:
    c = COOLANTS[name]
    low, high, why_high = _liquid_range_K(name, pressure_Pa)
    if temperature_K < low or temperature_K >= high:
        reason = "below its freezing point" if temperature_K < low else f"at or above {why_high}"
        raise ValueError(
            f"coolant {name!r} ({c.coolprop_fluid}) at {temperature_K:.2f} K and {pressure_Pa / 1e6:.3g} MPa is "
            f"outside its liquid range {low:.2f}-{high:.2f} K: {reason}")
    rho, cp, mu, k = (PropsSI(key, "T", temperature_K, "P", pressure_Pa, c.coolprop_fluid)
                      for key in ("D", "C", "V", "L"))
    return CoolantProperties(rho, cp, mu, k, cp * mu / k, c.freezing_K)


def coolant_properties(coolant: str, temperature_K: float, pressure_Pa: float = 1.0e6) -> CoolantProperties:
    """Liquid properties of a named coolant.

    Results are cached by temperature rounded to 0.01 K and pressure rounded to 1 kPa (the function
    is called inside time and iteration loops; the rounding changes properties by < 1e-4 relative).

    Parameters
    ----------
    coolant : str
        A key of :data:`COOLANTS` ('water-glycol', 'propylene-glycol', 'water', 'ammonia').
    temperature_K : float
        Bulk fluid temperature [K].
    pressure_Pa : float
        Loop pressure [Pa]. Sets the boiling point of pure fluids; hardly matters for the
        incompressible glycol mixtures.

    Returns
    -------
    CoolantProperties
        density [kg/m^3], specific heat [J/(kg K)], dynamic viscosity [Pa s], thermal conductivity
        [W/(m K)], Prandtl number [-] (cp mu / k) and freezing point [K].

    Raises
    ------
    ValueError
        For an unknown coolant, or a temperature outside the liquid range (below freezing, at or
        above boiling at the loop pressure, or outside the property fit); the message names the
        coolant and the temperature.

    Notes
    -----
    Source: CoolProp (Bell et al. 2014); see each entry's ``source`` in :data:`COOLANTS`. CoolProp's
    MEG-50% viscosity is 2-7 % below ASHRAE Fundamentals (ch. 31) between 0 and 60 degC; the two
    data sets (Melinder vs. Dow) disagree by that much.
    """
    _coolant(coolant)
    t = float(temperature_K)
    p = float(pressure_Pa)
    if not math.isfinite(t):
        raise ValueError(f"coolant {coolant!r}: temperature must be a finite number of kelvin, got {temperature_K!r}")
    if not (math.isfinite(p) and p > 0.0):
        raise ValueError(f"coolant {coolant!r}: pressure must be > 0 Pa, got {pressure_Pa!r}")
    return _coolant_properties_cached(coolant, round(t, 2), round(p, -3))


# ------------------------------------------------------------------------------------------------
# Specifications
# ------------------------------------------------------------------------------------------------


# ------------------------------------------------------------------------------------------------
# Internal forced convection and friction
# ------------------------------------------------------------------------------------------------

NU_LAMINAR_CONSTANT_HEAT_FLUX = 48.0 / 11.0   # 4.364, circular tube, fully developed (Incropera eq. 8.53)
NU_LAMINAR_CONSTANT_WALL_T = 3.66             # circular tube, fully developed (Incropera eq. 8.55)
RE_LAMINAR_MAX = 2300.0
RE_TURBULENT_MIN = 3000.0


def _out(value):
    """Return a Python float for 0-d results, the array otherwise."""
    value = np.asarray(value, dtype=float)
    return float(value) if value.ndim == 0 else value


def _petukhov(reynolds):
    return (0.790 * np.log(reynolds) - 1.64) ** -2


def _gnielinski(reynolds, prandtl):
    f8 = _petukhov(reynolds) / 8.0
    return f8 * (reynolds - 1000.0) * prandtl / (1.0 + 12.7 * np.sqrt(f8) * (prandtl ** (2.0 / 3.0) - 1.0))


def _transition_weight(reynolds):
    return np.clip((reynolds - RE_LAMINAR_MAX) / (RE_TURBULENT_MIN - RE_LAMINAR_MAX), 0.0, 1.0)


def nusselt_tube(reynolds, prandtl, laminar_nusselt: float = NU_LAMINAR_CONSTANT_HEAT_FLUX):
    """Fully developed Nusselt number for flow in a tube or duct.

    - Re <= 2300: laminar, ``laminar_nusselt`` (48/11 = 4.36 for a circular tube at uniform heat
      flux, Incropera eq. 8.53; pass 3.66 for uniform wall temperature or a duct value).
    - Re >= 3000: Gnielinski (1976), Incropera eq. 8.62, with the Petukhov friction factor
      f = (0.790 ln Re - 1.64)^-2; stated range 3000 <= Re <= 5e6, 0.5 <= Pr <= 2000.
    - 2300 < Re < 3000: linear blend in Re between the laminar value and Gnielinski at Re = 3000,
      after Gnielinski (2013, Int. J. Heat Mass Transfer 63, 134-140), who blends the same way
      (over a wider band). Continuous in Re; transitional flow is uncertain to tens of percent.

    Entrance (developing-flow) enhancement and wall-to-bulk property variation are neglected, which
    is conservative for heat transfer.

    Parameters
    ----------
    reynolds : float or array
        Reynolds number based on the (hydraulic) diameter [-], >= 0.
    prandtl : float or array
        Prandtl number [-], > 0.
    laminar_nusselt : float
        Fully developed laminar Nusselt number [-].

    Returns
    -------
    float or ndarray
        Nusselt number [-].
    """
    re = np.asarray(reynolds, dtype=float)
    pr = np.asarray(prandtl, dtype=float)
    if np.any(~np.isfinite(re)) or np.any(re < 0):
        raise ValueError(f"nusselt_tube: Reynolds number must be finite and >= 0, got {reynolds!r}")
    if np.any(~np.isfinite(pr)) or np.any(pr <= 0):
        raise ValueError(f"nusselt_tube: Prandtl number must be finite and > 0, got {prandtl!r}")
    turbulent = _gnielinski(np.maximum(re, RE_TURBULENT_MIN), pr)
    gamma = _transition_weight(re)
    blend = (1.0 - gamma) * laminar_nusselt + gamma * _gnielinski(RE_TURBULENT_MIN, pr)
    nu = np.where(re <= RE_LAMINAR_MAX, laminar_nusselt, np.where(re >= RE_TURBULENT_MIN, turbulent, blend))
    return _out(nu)


def darcy_friction_factor(reynolds, laminar_f_re: float = 64.0):
    """Darcy friction factor for fully developed flow in a smooth tube or duct.

    - Re <= 2300: laminar, f = (f Re) / Re, with f Re = 64 for a circular tube (Hagen-Poiseuille).
    - Re >= 3000: Petukhov (1970), f = (0.790 ln Re - 1.64)^-2 (Incropera eq. 8.21), smooth wall,
      3000 <= Re <= 5e6; within ~2 % of Colebrook's smooth-wall law over that range.
    - 2300 < Re < 3000: linear blend in Re between the two end values (as :func:`nusselt_tube`).

    Parameters
    ----------
    reynolds : float or array
        Reynolds number [-], > 0.
    laminar_f_re : float
        Laminar Poiseuille number f Re [-] (64 for a circle; Shah & London for other ducts).

    Returns
    -------
    float or ndarray
        Darcy friction factor [-].
    """
    re = np.asarray(reynolds, dtype=float)
    if np.any(~np.isfinite(re)) or np.any(re <= 0):
        raise ValueError(f"darcy_friction_factor: Reynolds number must be finite and > 0, got {reynolds!r}")
    turbulent = _petukhov(np.maximum(re, RE_TURBULENT_MIN))
    gamma = _transition_weight(re)
    blend = (1.0 - gamma) * laminar_f_re / RE_LAMINAR_MAX + gamma * _petukhov(RE_TURBULENT_MIN)
    f = np.where(re <= RE_LAMINAR_MAX, laminar_f_re / re, np.where(re >= RE_TURBULENT_MIN, turbulent, blend))
    return _out(f)


def tube_reynolds(mass_flow_kg_s, diameter_m, viscosity_Pa_s):
    """Reynolds number in a circular tube, Re = 4 m_dot / (pi D mu) [-].

    Parameters
    ----------
    mass_flow_kg_s : float or array
        Mass flow through the tube [kg/s].
    diameter_m : float
        Inner diameter [m].
    viscosity_Pa_s : float or array
        Dynamic viscosity [Pa s].
    """
    return _out(4.0 * np.asarray(mass_flow_kg_s, dtype=float) / (math.pi * diameter_m * np.asarray(viscosity_Pa_s)))


def film_coefficient_W_m2K(loop: PumpedLoopSpec, temperature_K: float, mass_flow_kg_s: float | None = None) -> float:
    """Tube-side film coefficient h = Nu k / D.

    Parameters
    ----------
    loop : PumpedLoopSpec
        Coolant, tube diameter and loop pressure.
    temperature_K : float
        Bulk fluid temperature [K] for the properties.
    mass_flow_kg_s : float, optional
        Mass flow through this tube [kg/s]. Default: the whole loop flow in one tube. For the
        radiator pass the flow of one parallel path (see :func:`radiator_circuit`).

    Returns
    -------
    float
        Film coefficient [W/(m^2 K)].
    """
    m = loop.flow_rate_kg_s if mass_flow_kg_s is None else float(mass_flow_kg_s)
    props = coolant_properties(loop.coolant, temperature_K, loop.loop_pressure_Pa)
    re = tube_reynolds(m, loop.tube_inner_diameter_m, props.viscosity_Pa_s)
    return nusselt_tube(re, props.prandtl) * props.conductivity_W_mK / loop.tube_inner_diameter_m


# ------------------------------------------------------------------------------------------------
# Radiator tubing, fin and panel conductance
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadiatorCircuit:
    """How the radiator tubing is arranged: parallel paths fed by manifolds."""
    total_tube_length_m: float
    path_count: int
    path_length_m: float
    path_mass_flow_kg_s: float


def radiator_tube_length_m(loop: PumpedLoopSpec, radiator_area_m2: float) -> float:
    """Total tube length on the radiators, area / tube pitch [m].

    Parameters
    ----------
    loop : PumpedLoopSpec
        Gives the tube pitch.
    radiator_area_m2 : float
        Radiator panel area, one side [m^2].
    """
    check_positive("radiator_tube_length_m.radiator_area_m2", radiator_area_m2)
    return radiator_area_m2 / loop.radiator_tube_spacing_m


def radiator_circuit(loop: PumpedLoopSpec, total_tube_length_m: float) -> RadiatorCircuit:
    """Split the radiator tubing into parallel paths.

    ``loop.radiator_parallel_paths`` if given, else the fewest paths no longer than
    ``loop.radiator_path_length_m``. The loop flow divides equally between the paths (identical
    paths, balanced manifolds).

    Parameters
    ----------
    loop : PumpedLoopSpec
    total_tube_length_m : float
        Total tube length [m], e.g. :func:`radiator_tube_length_m`.
    """
    check_positive("radiator_circuit.total_tube_length_m", total_tube_length_m)
    n = loop.radiator_parallel_paths
    if n is None:
        n = max(1, math.ceil(total_tube_length_m / loop.radiator_path_length_m - 1e-9))
    return RadiatorCircuit(total_tube_length_m, n, total_tube_length_m / n, loop.flow_rate_kg_s / n)


def radiation_coefficient_W_m2K(emissivity_sides: Sequence[float], temperature_K):
    """Linearised radiation coefficient h_r = 4 sigma T^3 sum(eps) per unit panel (one-side) area.

    Parameters
    ----------
    emissivity_sides : sequence of float
        Infrared emissivity of each radiating side: one value for a one-sided radiator (back
        insulated), two for a two-sided one.
    temperature_K : float or array
        Panel temperature [K].

    Returns
    -------
    float or ndarray
        [W/(m^2 K)].
    """
    eps = _emissivity_sum(emissivity_sides)
    t = np.asarray(temperature_K, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError(f"radiation coefficient: temperature must be >= 0 K, got {temperature_K!r}")
    return _out(4.0 * STEFAN_BOLTZMANN_W_M2K4 * eps * t ** 3)


def _emissivity_sum(emissivity_sides) -> float:
    if isinstance(emissivity_sides, (int, float, np.floating)) or np.ndim(emissivity_sides) != 1:
        raise TypeError("emissivity_sides must be a sequence of one (one-sided) or two (two-sided) "
                        f"emissivities, e.g. (0.79, 0.79); got {emissivity_sides!r}")
    values = [float(e) for e in emissivity_sides]
    if not 1 <= len(values) <= 2 or any(not (0.0 <= e <= 1.0) for e in values):
        raise ValueError(f"emissivity_sides must hold one or two emissivities in [0, 1], got {emissivity_sides!r}")
    return sum(values)


def _fin_parameter(fin_length_m, thickness_m, conductivity_W_mK, h_total):
    h = np.asarray(h_total, dtype=float)
    if np.any(h < 0):
        raise ValueError(f"fin: heat-transfer coefficient must be >= 0, got {h_total!r}")
    for name, v in (("fin length", fin_length_m), ("thickness", thickness_m), ("conductivity", conductivity_W_mK)):
        if not (np.all(np.isfinite(v)) and np.all(np.asarray(v) > 0)):
            raise ValueError(f"fin: {name} must be > 0, got {v!r}")
    return fin_length_m * np.sqrt(h / (conductivity_W_mK * thickness_m))


def straight_fin_efficiency(fin_length_m, thickness_m, conductivity_W_mK, heat_transfer_coefficient_W_m2K):
    """Efficiency of a straight fin of uniform thickness with an adiabatic tip, eta = tanh(mL) / (mL).

    m^2 = h / (k t), where h is the coefficient summed over both faces per unit of one face's
    area (2 h_face for a fin wetted on both faces; the radiation coefficients of both sides for
    a radiator panel). Incropera eq. 3.89 and Table 3.4 case B; Gilmore (2002) ch. 6.

    Parameters
    ----------
    fin_length_m : float or array
        Fin length from base to tip [m].
    thickness_m : float or array
        Fin thickness [m].
    conductivity_W_mK : float or array
        Fin conductivity [W/(m K)].
    heat_transfer_coefficient_W_m2K : float or array
        h as above [W/(m^2 K)], >= 0.

    Returns
    -------
    float or ndarray
        Fin efficiency [-], 1 at mL = 0.
    """
    x = np.asarray(_fin_parameter(fin_length_m, thickness_m, conductivity_W_mK, heat_transfer_coefficient_W_m2K))
    with np.errstate(invalid="ignore", divide="ignore"):
        eta = np.where(x < 1e-4, 1.0 - x * x / 3.0, np.tanh(x) / np.where(x == 0, 1.0, x))
    return _out(eta)


def fin_efficiency(half_width_m, thickness_m, conductivity_W_mK, emissivity_sides: Sequence[float], temperature_K):
    """Efficiency of the radiator panel between two tubes as a radiating fin.

    The panel strip from a tube (the fin base) to the midline between tubes (adiabatic by symmetry)
    is a straight fin of length ``half_width_m`` (tube pitch / 2), radiating from one or two sides.
    Radiation is linearised about the fin temperature T: q(T + dT) = eps sigma T^4 + h_r dT with
    h_r = 4 sigma T^3 sum(eps), the tangent. With that linearisation the fin obeys the linear fin
    equation with an effective sink at 3T/4 and base excess T/4, so eta = tanh(mL)/(mL),
    m = sqrt(h_r / (k t)), and Q = eta * sigma sum(eps) T_b^4 A to first order in the fin's
    temperature drop. Absorbed environmental flux shifts the sink, not h_r. Accurate while the
    fin's temperature drop is small against T (eta above ~0.8); Gilmore (2002) ch. 6 gives the
    nonlinear radiating-fin charts for thinner fins.

    Parameters
    ----------
    half_width_m : float or array
        Fin length, half the tube pitch [m].
    thickness_m : float or array
        Panel (face-sheet) thickness [m].
    conductivity_W_mK : float or array
        In-plane conductivity of the panel [W/(m K)].
    emissivity_sides : sequence of float
        Emissivity of each radiating side (one or two values).
    temperature_K : float or array
        Panel (fin base) temperature [K].

    Returns
    -------
    float or ndarray
        Fin efficiency [-].
    """
    h_r = radiation_coefficient_W_m2K(emissivity_sides, temperature_K)
    return straight_fin_efficiency(half_width_m, thickness_m, conductivity_W_mK, h_r)


def fin_conductance_W_K(radiator_area_m2, half_width_m, thickness_m, conductivity_W_mK,
                        emissivity_sides: Sequence[float], temperature_K):
    """Conductance from the tube (fin base) to the area-mean panel temperature [W/K].

    For the linear fin with an adiabatic tip all heat leaves the faces, Q = h A (T_mean - T_sink)
    = eta h A (T_base - T_sink), so T_base - T_mean = (1 - eta) / (eta h A) * Q and

        G_fin = eta h_r A / (1 - eta).

    As h_r -> 0 this tends to 3 k t A / L^2 (parabolic profile). A lumped model whose panel node
    is the mean panel temperature uses G_fin in series with the tube film.

    Parameters
    ----------
    radiator_area_m2 : float
        Panel area, one side [m^2] (all fins together).
    half_width_m, thickness_m, conductivity_W_mK, emissivity_sides, temperature_K
        As :func:`fin_efficiency`.

    Returns
    -------
    float or ndarray
        [W/K].
    """
    check_positive("fin_conductance_W_K.radiator_area_m2", float(radiator_area_m2))
    h_r = radiation_coefficient_W_m2K(emissivity_sides, temperature_K)
    x = np.asarray(_fin_parameter(half_width_m, thickness_m, conductivity_W_mK, h_r))
    eta = np.asarray(straight_fin_efficiency(half_width_m, thickness_m, conductivity_W_mK, h_r))
    # x^2 / (1 - eta), with its series near x = 0: 1 - tanh(x)/x = x^2/3 - 2 x^4/15 + 17 x^6/315
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(x < 1e-3, 1.0 / (1.0 / 3.0 - 2.0 * x ** 2 / 15.0 + 17.0 * x ** 4 / 315.0),
                         x ** 2 / np.where(x < 1e-3, 1.0, 1.0 - eta))
    return _out(eta * conductivity_W_mK * thickness_m * radiator_area_m2 / half_width_m ** 2 * ratio)


def tube_film_conductance_W_K(loop: PumpedLoopSpec, radiator_area_m2: float, fluid_temperature_K: float) -> float:
    """Fluid-to-tube-wall conductance of all radiator tubing, h pi D L [W/K].

    h at the flow of one parallel path (:func:`radiator_circuit`); L the total tubing,
    area / pitch. For the finite-element model the conductance per unit tube length is
    this / :func:`radiator_tube_length_m`.

    Parameters
    ----------
    loop : PumpedLoopSpec
    radiator_area_m2 : float
        Radiator area, one side [m^2].
    fluid_temperature_K : float
        Bulk fluid temperature for the properties [K].
    """
    circuit = radiator_circuit(loop, radiator_tube_length_m(loop, radiator_area_m2))
    h = film_coefficient_W_m2K(loop, fluid_temperature_K, circuit.path_mass_flow_kg_s)
    return h * math.pi * loop.tube_inner_diameter_m * circuit.total_tube_length_m


def panel_conductance_W_K(loop: PumpedLoopSpec, radiator_area_m2: float, panel_thickness_m: float,
                          panel_conductivity_W_mK: float, emissivity_sides: Sequence[float], temperature_K: float,
                          fluid_temperature_K: float | None = None) -> float:
    """Fluid-to-panel conductance of the radiators (the loop's sink exchanger UA) [W/K].

    Film h pi D L (:func:`tube_film_conductance_W_K`) in series with the fin path from the tube
    to the area-mean panel temperature (:func:`fin_conductance_W_K`, fin half-width = pitch / 2).

    Assumptions: tube wall and tube-to-panel bond resistances neglected (add them in series if
    known); the strip over the tube is counted as fin (conservative); one uniform panel node,
    so the variation of the local panel temperature with the fluid along the flow is not
    represented (the finite-element model resolves it); both film and fin taken at one state.

    Parameters
    ----------
    loop : PumpedLoopSpec
    radiator_area_m2 : float
        Radiator area, one side [m^2].
    panel_thickness_m : float
        Panel thickness [m].
    panel_conductivity_W_mK : float
        In-plane panel conductivity [W/(m K)].
    emissivity_sides : sequence of float
        Emissivity of each radiating side (one or two values).
    temperature_K : float
        Panel temperature [K] (radiation linearisation).
    fluid_temperature_K : float, optional
        Fluid temperature for the film [K]; default ``temperature_K``.

    Returns
    -------
    float
        [W/K].
    """
    t_fluid = temperature_K if fluid_temperature_K is None else fluid_temperature_K
    g_film = tube_film_conductance_W_K(loop, radiator_area_m2, t_fluid)
    g_fin = fin_conductance_W_K(radiator_area_m2, 0.5 * loop.radiator_tube_spacing_m, panel_thickness_m,
                                panel_conductivity_W_mK, emissivity_sides, temperature_K)
    return 1.0 / (1.0 / g_film + 1.0 / g_fin)


# ------------------------------------------------------------------------------------------------
# Cold plates
# ------------------------------------------------------------------------------------------------


def rectangular_duct_laminar(aspect_ratio: float) -> tuple[float, float]:
    """Fully developed laminar f Re (Darcy) and Nu_H1 of a rectangular duct.

    Shah & London (1978) polynomial fits in the aspect ratio a = short / long side (0 < a <= 1):
    f Re = 96 (1 - 1.3553 a + 1.9467 a^2 - 1.7012 a^3 + 0.9564 a^4 - 0.2537 a^5),
    Nu_H1 = 8.235 (1 - 2.0421 a + 3.0853 a^2 - 2.4765 a^3 + 1.0578 a^4 - 0.1861 a^5)
    (H1: axially uniform heat flux, peripherally uniform wall temperature, all four walls heated).

    Returns
    -------
    (float, float)
        f Re [-], Nu_H1 [-].
    """
    a = float(aspect_ratio)
    if not (0.0 < a <= 1.0):
        raise ValueError(f"rectangular duct aspect ratio must be in (0, 1], got {aspect_ratio!r}")
    f_re = 96.0 * (1 - 1.3553 * a + 1.9467 * a**2 - 1.7012 * a**3 + 0.9564 * a**4 - 0.2537 * a**5)
    nu = 8.235 * (1 - 2.0421 * a + 3.0853 * a**2 - 2.4765 * a**3 + 1.0578 * a**4 - 0.1861 * a**5)
    return f_re, nu


def _cold_plate_channel_flow(loop: PumpedLoopSpec, temperature_K: float, plates_in_parallel: int):
    if not (isinstance(plates_in_parallel, (int, np.integer)) and plates_in_parallel >= 1):
        raise ValueError(f"plates_in_parallel must be an integer >= 1, got {plates_in_parallel!r}")
    g = loop.cold_plate_geometry
    props = coolant_properties(loop.coolant, temperature_K, loop.loop_pressure_Pa)
    m_channel = loop.flow_rate_kg_s / plates_in_parallel / g.channel_count
    area = g.channel_width_m * g.channel_height_m
    re = m_channel * g.hydraulic_diameter_m / (area * props.viscosity_Pa_s)
    return g, props, m_channel, area, re


def cold_plate_conductance_W_K(loop: PumpedLoopSpec, temperature_K: float, plates_in_parallel: int) -> float:
    """Conductance of one GPU cold plate, from its mounting face to the coolant [W/K].

    ``loop.cold_plate_conductance_W_K`` when given. Otherwise the microchannel model of
    ``loop.cold_plate_geometry`` (after Tuckerman & Pease 1981, IEEE EDL-2, 126):

    - flow per plate = loop flow / plates_in_parallel, divided equally between the channels;
    - film: Nu from :func:`nusselt_tube` with the hydraulic diameter and the Shah & London
      laminar Nu_H1 of the channel aspect ratio (fully developed: conservative, since the short
      channels are thermally developing);
    - channel walls as fins wetted on both faces, adiabatic at the lid; effective area per channel
      (w + 2 eta H) L;
    - plus 1-D conduction through the base over the finned footprint (spreading from a smaller die
      neglected).

    Parameters
    ----------
    loop : PumpedLoopSpec
    temperature_K : float
        Coolant temperature for the properties [K].
    plates_in_parallel : int
        Cold plates sharing the loop flow in parallel.

    Returns
    -------
    float
        [W/K].
    """
    if loop.cold_plate_conductance_W_K is not None:
        return float(loop.cold_plate_conductance_W_K)
    g, props, _, _, re = _cold_plate_channel_flow(loop, temperature_K, plates_in_parallel)
    _, nu_lam = rectangular_duct_laminar(g.aspect_ratio)
    h = nusselt_tube(re, props.prandtl, laminar_nusselt=nu_lam) * props.conductivity_W_mK / g.hydraulic_diameter_m
    eta = straight_fin_efficiency(g.channel_height_m, g.fin_thickness_m, g.conductivity_W_mK, 2.0 * h)
    area_eff = g.channel_count * g.channel_length_m * (g.channel_width_m + 2.0 * eta * g.channel_height_m)
    r_base = g.base_thickness_m / (g.conductivity_W_mK * g.finned_width_m * g.channel_length_m)
    return 1.0 / (1.0 / (h * area_eff) + r_base)


def cold_plate_pressure_drop_Pa(loop: PumpedLoopSpec, temperature_K: float, plates_in_parallel: int) -> float:
    """Pressure drop across one microchannel cold plate [Pa] (zero if a conductance was given).

    Darcy-Weisbach over the channel length with the Shah & London laminar f Re or Petukhov,
    times (1 + ``loop.minor_loss_fraction``) for the plenums.
    """
    if loop.cold_plate_conductance_W_K is not None:
        return 0.0
    g, props, m_channel, area, re = _cold_plate_channel_flow(loop, temperature_K, plates_in_parallel)
    f_re, _ = rectangular_duct_laminar(g.aspect_ratio)
    v = m_channel / (props.density_kg_m3 * area)
    f = darcy_friction_factor(re, laminar_f_re=f_re)
    return (1.0 + loop.minor_loss_fraction) * f * g.channel_length_m / g.hydraulic_diameter_m \
        * 0.5 * props.density_kg_m3 * v * v


# ------------------------------------------------------------------------------------------------
# Closed loop through two exchangers (lumped network)
# ------------------------------------------------------------------------------------------------


def exchanger_effectiveness(ua_W_K, heat_capacity_rate_W_K):
    """Effectiveness of an exchanger whose wall is at one temperature, eps = 1 - exp(-UA / C).

    Kays & London (1984); Incropera eq. 11.36a (C_r = 0). eps = 1 for C = 0 or UA = inf.

    Parameters
    ----------
    ua_W_K : float or array
        Wall-to-fluid conductance [W/K], >= 0.
    heat_capacity_rate_W_K : float or array
        Fluid heat capacity rate m_dot cp [W/K], >= 0.
    """
    ua = np.asarray(ua_W_K, dtype=float)
    c = np.asarray(heat_capacity_rate_W_K, dtype=float)
    if np.any(np.isnan(ua)) or np.any(ua < 0) or np.any(np.isnan(c)) or np.any(c < 0):
        raise ValueError(f"exchanger_effectiveness: UA and C must be >= 0, got UA={ua_W_K!r}, C={heat_capacity_rate_W_K!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        ntu = np.where(c > 0, ua / np.where(c > 0, c, 1.0), np.inf)
    return _out(-np.expm1(-ntu))


def loop_conductance_W_K(heat_capacity_rate_W_K, ua_source_W_K, ua_sink_W_K):
    """Source-to-sink conductance of a closed single-phase loop through two exchangers [W/K].

    Derivation. The fluid (heat capacity rate C = m_dot cp) leaves the sink exchanger at T_cold,
    is heated in the source exchanger (wall at T_src, conductance UA_src) to T_hot, and is cooled
    in the sink exchanger (wall at T_snk, UA_snk) back to T_cold. A fluid passing a wall at one
    temperature approaches it exponentially, so each exchanger transfers a fraction
    eps = 1 - exp(-UA/C) of the largest possible heat (Kays & London):

        Q = eps_src C (T_src - T_cold)        (source)
        Q = eps_snk C (T_hot - T_snk)         (sink)
        Q = C (T_hot - T_cold)                (energy balance of the fluid)

    Adding the first two written as temperature differences and subtracting the third,
    T_src - T_snk = (T_src - T_cold) + (T_hot - T_snk) - (T_hot - T_cold), so

        T_src - T_snk = Q [1/(eps_src C) + 1/(eps_snk C) - 1/C]
        G = Q / (T_src - T_snk) = 1 / (1/(eps_src C) + 1/(eps_snk C) - 1/C).

    Limits: both eps -> 1 gives G = C (transport limited by the fluid); C -> inf gives
    eps -> UA/C - (UA/C)^2/2, 1/(eps C) -> 1/UA + 1/(2C), so G -> 1/(1/UA_src + 1/UA_snk) (series
    conductances, fluid isothermal); C = 0 or either UA = 0 gives G = 0.

    Parameters
    ----------
    heat_capacity_rate_W_K : float or array
        m_dot cp of the loop [W/K].
    ua_source_W_K : float or array
        Source (cold plates) wall-to-fluid conductance [W/K]; N identical plates in parallel, each
        with conductance G and flow m_dot/N, act exactly as one exchanger with UA = N G.
    ua_sink_W_K : float or array
        Sink (radiator) fluid-to-panel conductance [W/K], e.g. :func:`panel_conductance_W_K`.

    Returns
    -------
    float or ndarray
        [W/K].
    """
    c = np.asarray(heat_capacity_rate_W_K, dtype=float)
    eps_src = np.asarray(exchanger_effectiveness(ua_source_W_K, c))
    eps_snk = np.asarray(exchanger_effectiveness(ua_sink_W_K, c))
    with np.errstate(divide="ignore", invalid="ignore"):
        resistance_times_c = 1.0 / eps_src + 1.0 / eps_snk - 1.0
        g = np.where((c > 0) & (eps_src > 0) & (eps_snk > 0), c / resistance_times_c, 0.0)
    return _out(g)


class LoopTemperatures(NamedTuple):
    """Steady temperatures around a pumped loop [K]."""
    hot_K: float       # fluid leaving the cold plates, entering the radiators
    cold_K: float      # fluid leaving the radiators, entering the cold plates
    source_K: float    # cold-plate wall (mounting face)


def loop_temperatures(heat_W, sink_temperature_K, heat_capacity_rate_W_K, ua_source_W_K, ua_sink_W_K) -> LoopTemperatures:
    """Fluid and cold-plate temperatures of a loop carrying Q to a sink (panel) temperature.

    From the relations of :func:`loop_conductance_W_K`:
    T_hot = T_snk + Q/(eps_snk C), T_cold = T_hot - Q/C, T_src = T_cold + Q/(eps_src C).

    Parameters
    ----------
    heat_W : float or array
        Heat carried by the loop [W].
    sink_temperature_K : float or array
        Radiator panel (sink wall) temperature [K].
    heat_capacity_rate_W_K : float or array
        m_dot cp [W/K], > 0.
    ua_source_W_K, ua_sink_W_K : float or array
        Exchanger conductances [W/K], > 0.

    Returns
    -------
    LoopTemperatures
        hot_K, cold_K, source_K [K]. For the GPU junction use ``hot_K`` with a junction-to-coolant
        resistance (library data), or ``source_K`` with a junction-to-plate resistance.
    """
    c = np.asarray(heat_capacity_rate_W_K, dtype=float)
    if np.any(c <= 0):
        raise ValueError(f"loop_temperatures: heat capacity rate must be > 0 W/K, got {heat_capacity_rate_W_K!r}")
    eps_src = np.asarray(exchanger_effectiveness(ua_source_W_K, c))
    eps_snk = np.asarray(exchanger_effectiveness(ua_sink_W_K, c))
    if np.any(eps_src <= 0) or np.any(eps_snk <= 0):
        raise ValueError("loop_temperatures: exchanger conductances must be > 0 W/K")
    q = np.asarray(heat_W, dtype=float)
    hot = np.asarray(sink_temperature_K, dtype=float) + q / (eps_snk * c)
    cold = hot - q / c
    source = cold + q / (eps_src * c)
    return LoopTemperatures(_out(hot), _out(cold), _out(source))


# ------------------------------------------------------------------------------------------------
# Fluid march along a discretised path (finite-element coupling)
# ------------------------------------------------------------------------------------------------


class FluidMarch(NamedTuple):
    """Result of :func:`fluid_march`."""
    outlet_temperature_K: float | np.ndarray     # shape (...)
    segment_heat_W: np.ndarray                   # shape (..., N): heat from the fluid into each wall segment
    fluid_temperature_K: np.ndarray              # shape (..., N + 1): at the segment ends, inlet first


def fluid_march(inlet_temperature_K, wall_temperatures_K, segment_ua_W_K, heat_capacity_rate_W_K) -> FluidMarch:
    """March the fluid along a path of wall segments, exactly within each segment.

    In segment i the wall is at one temperature T_w,i and the fluid-to-wall conductance is UA_i;
    the fluid equation C dT/dx = -(UA_i/L_i)(T - T_w,i) gives, exactly,

        T_{i+1} = T_w,i + (T_i - T_w,i) exp(-UA_i / C),     q_i = C (T_i - T_{i+1}),

    so sum(q_i) = C (T_in - T_out) holds to rounding whatever the discretisation, and N segments at
    one wall temperature give the same outlet as one segment with the summed UA.

    Vectorised over any leading axes (independent paths or states); the march over the N
    segments of the last axis is sequential (O(N) numpy operations). C = 0 (no flow) gives no
    heat and fluid at the wall temperatures.

    Parameters
    ----------
    inlet_temperature_K : float or array, shape (...)
        Fluid inlet temperature [K].
    wall_temperatures_K : array, shape (..., N)
        Wall (panel) temperature of each segment, in flow order [K].
    segment_ua_W_K : float or array, broadcastable to (..., N)
        Fluid-to-wall conductance of each segment [W/K], >= 0 and finite (film h pi D dL, or the
        film and a fin path in series).
    heat_capacity_rate_W_K : float or array, shape (...)
        m_dot cp of the fluid on this path [W/K], >= 0.

    Returns
    -------
    FluidMarch
        outlet_temperature_K (...), segment_heat_W (..., N), fluid_temperature_K (..., N + 1).
    """
    t_wall = np.asarray(wall_temperatures_K, dtype=float)
    if t_wall.ndim < 1 or t_wall.shape[-1] < 1:
        raise ValueError("fluid_march: wall_temperatures_K needs at least one segment on its last axis")
    ua = np.broadcast_to(np.asarray(segment_ua_W_K, dtype=float), t_wall.shape)
    if np.any(~np.isfinite(ua)) or np.any(ua < 0):
        raise ValueError("fluid_march: segment UAs must be finite and >= 0 W/K")
    c = np.asarray(heat_capacity_rate_W_K, dtype=float)
    if np.any(np.isnan(c)) or np.any(c < 0):
        raise ValueError(f"fluid_march: heat capacity rate must be >= 0 W/K, got {heat_capacity_rate_W_K!r}")
    c_b = np.broadcast_to(c, t_wall.shape[:-1])[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ntu = np.where(c_b > 0, ua / np.where(c_b > 0, c_b, 1.0), np.inf)
    decay = np.exp(-ntu)                                   # (..., N)
    n = t_wall.shape[-1]
    fluid = np.empty(t_wall.shape[:-1] + (n + 1,))
    fluid[..., 0] = np.broadcast_to(np.asarray(inlet_temperature_K, dtype=float), t_wall.shape[:-1])
    for i in range(n):
        fluid[..., i + 1] = t_wall[..., i] + (fluid[..., i] - t_wall[..., i]) * decay[..., i]
    heat = c_b * (fluid[..., :-1] - fluid[..., 1:])
    return FluidMarch(_out(fluid[..., -1]), heat, fluid)


def fluid_march_operator(segment_ua_W_K, heat_capacity_rate_W_K) -> tuple[np.ndarray, np.ndarray]:
    """The fluid march as a linear map: q = A @ T_wall + b * T_in.

    With a_i = exp(-UA_i / C) and P(i, k) = a_i ... a_{k-1} (P(k, k) = 1),
    q_k = C (1 - a_k) (T_k - T_w,k) and T_k = P(0, k) T_in + sum_{i<k} (1 - a_i) P(i+1, k) T_w,i, so

        A[k, i] = C (1 - a_k) (1 - a_i) P(i+1, k)   (i < k),   A[k, k] = -C (1 - a_k),   0 above,
        b[k]    = C (1 - a_k) P(0, k).

    For implicit coupling of the fluid to the finite-element wall temperatures (the heat into
    segment k depends on every wall segment upstream). Dense N x N: for paths of up to a few
    thousand segments.

    Parameters
    ----------
    segment_ua_W_K : array, shape (N,)
        Fluid-to-wall conductance of each segment [W/K], finite and >= 0.
    heat_capacity_rate_W_K : float
        m_dot cp [W/K], >= 0.

    Returns
    -------
    (ndarray (N, N), ndarray (N,))
        A [W/K] and b [W/K].
    """
    ua = np.atleast_1d(np.asarray(segment_ua_W_K, dtype=float))
    if ua.ndim != 1 or np.any(~np.isfinite(ua)) or np.any(ua < 0):
        raise ValueError("fluid_march_operator: segment UAs must be a 1-D array of finite values >= 0 W/K")
    c = float(heat_capacity_rate_W_K)
    n = ua.size
    if not c > 0:
        if c == 0:
            return np.zeros((n, n)), np.zeros(n)
        raise ValueError(f"fluid_march_operator: heat capacity rate must be >= 0 W/K, got {heat_capacity_rate_W_K!r}")
    ntu = ua / c
    one_minus_a = -np.expm1(-ntu)
    s = np.concatenate(([0.0], -np.cumsum(ntu)))           # s[k] = log P(0, k)
    k_idx, i_idx = np.tril_indices(n, -1)
    a_mat = np.zeros((n, n))
    a_mat[k_idx, i_idx] = c * one_minus_a[k_idx] * one_minus_a[i_idx] * np.exp(s[k_idx] - s[i_idx + 1])
    a_mat[np.arange(n), np.arange(n)] = -c * one_minus_a
    b = c * one_minus_a * np.exp(s[:-1])
    return a_mat, b


# ------------------------------------------------------------------------------------------------
# Pressure drop and pump power
# ------------------------------------------------------------------------------------------------


def pressure_drop_Pa(loop: PumpedLoopSpec, length_m: float, temperature_K: float,
                     mass_flow_kg_s: float | None = None, *, minor_loss_fraction: float | None = None) -> float:
    """Pressure drop of flow through a straight tube of the loop's diameter [Pa].

    Darcy-Weisbach, dp = f (L/D) rho v^2 / 2 with :func:`darcy_friction_factor` (laminar
    64/Re is Hagen-Poiseuille exactly), times (1 + minor-loss allowance).

    Parameters
    ----------
    loop : PumpedLoopSpec
    length_m : float
        Tube length [m], >= 0.
    temperature_K : float
        Fluid temperature for the properties [K].
    mass_flow_kg_s : float, optional
        Flow through the tube [kg/s]; default the whole loop flow.
    minor_loss_fraction : float, optional
        Minor-loss allowance as a fraction of the friction drop; default
        ``loop.minor_loss_fraction``.

    Returns
    -------
    float
        [Pa].
    """
    if not (math.isfinite(length_m) and length_m >= 0):
        raise ValueError(f"pressure_drop_Pa: length_m must be >= 0, got {length_m!r}")
    m = loop.flow_rate_kg_s if mass_flow_kg_s is None else float(mass_flow_kg_s)
    if m < 0:
        raise ValueError(f"pressure_drop_Pa: mass flow must be >= 0 kg/s, got {mass_flow_kg_s!r}")
    minor = loop.minor_loss_fraction if minor_loss_fraction is None else float(minor_loss_fraction)
    if m == 0 or length_m == 0:
        return 0.0
    props = coolant_properties(loop.coolant, temperature_K, loop.loop_pressure_Pa)
    d = loop.tube_inner_diameter_m
    v = m / (props.density_kg_m3 * 0.25 * math.pi * d * d)
    f = darcy_friction_factor(tube_reynolds(m, d, props.viscosity_Pa_s))
    return (1.0 + minor) * f * length_m / d * 0.5 * props.density_kg_m3 * v * v


def pump_power_W(loop: PumpedLoopSpec, total_length_m: float, temperature_K: float, *,
                 extra_pressure_drop_Pa: float = 0.0) -> float:
    """Electrical pump power to drive the flow through the radiator tubing, m_dot dp / (rho eta_pump) [W].

    The tubing of total length ``total_length_m`` is split into parallel paths by
    :func:`radiator_circuit` (one path of the whole length, carrying the whole flow, if
    ``loop.radiator_parallel_paths == 1``); dp is the drop across one path
    (:func:`pressure_drop_Pa`, minor losses included) plus ``extra_pressure_drop_Pa`` (e.g. the cold
    plates, :func:`cold_plate_pressure_drop_Pa`).

    Parameters
    ----------
    loop : PumpedLoopSpec
    total_length_m : float
        Total radiator tube length [m], e.g. :func:`radiator_tube_length_m`.
    temperature_K : float
        Fluid temperature for the properties [K].
    extra_pressure_drop_Pa : float
        Further drop in series at the full loop flow [Pa].

    Returns
    -------
    float
        [W].
    """
    circuit = radiator_circuit(loop, total_length_m)
    dp = pressure_drop_Pa(loop, circuit.path_length_m, temperature_K, circuit.path_mass_flow_kg_s)
    rho = coolant_properties(loop.coolant, temperature_K, loop.loop_pressure_Pa).density_kg_m3
    return loop.flow_rate_kg_s * (dp + float(extra_pressure_drop_Pa)) / (rho * loop.pump_efficiency)


# ------------------------------------------------------------------------------------------------
# Heat pipes
# ------------------------------------------------------------------------------------------------


def heat_pipe_conductance_W_K(spec: HeatPipeSpec) -> float:
    """End-to-end conductance of a heat-pipe network [W/K] (as specified; validated on entry)."""
    return float(spec.conductance_W_K)


def heat_pipe_effective_length_m(evaporator_m: float, adiabatic_m: float, condenser_m: float) -> float:
    """Effective transport length L_eff = L_a + (L_e + L_c) / 2 [m] (Faghri 2016, ch. 4; Chi 1976).

    Valid for heat input and output uniform along the evaporator and condenser.
    """
    for name, v in (("evaporator_m", evaporator_m), ("adiabatic_m", adiabatic_m), ("condenser_m", condenser_m)):
        if not (math.isfinite(v) and v >= 0):
            raise ValueError(f"heat_pipe_effective_length_m: {name} must be >= 0, got {v!r}")
    return adiabatic_m + 0.5 * (evaporator_m + condenser_m)


@lru_cache(maxsize=1024)
def _ammonia_merit_number_cached(t: float) -> float:
    rho = PropsSI("D", "T", t, "Q", 0.0, "Ammonia")
    sigma = PropsSI("I", "T", t, "Q", 0.0, "Ammonia")
    mu = PropsSI("V", "T", t, "Q", 0.0, "Ammonia")
    h_fg = PropsSI("H", "T", t, "Q", 1.0, "Ammonia") - PropsSI("H", "T", t, "Q", 0.0, "Ammonia")
    return rho * sigma * h_fg / mu


def ammonia_merit_number(temperature_K: float) -> float:
    """Liquid transport factor of saturated ammonia, N_l = rho_l sigma h_fg / mu_l [W/m^2].

    The capillary limit of a wick scales with N_l (Faghri 2016, ch. 4). CoolProp properties
    (Gao et al. 2020; surface tension Mulero et al. 2012); valid 195.5 K to just below 405.6 K.
    """
    t = float(temperature_K)
    if not (195.5 <= t < 405.0):
        raise ValueError(f"ammonia merit number: temperature {t!r} K outside 195.5-405 K")
    return _ammonia_merit_number_cached(round(t, 2))


@dataclass(frozen=True)
class HeatPipeLimitCheck:
    """Outcome of :func:`check_heat_pipe_limit`."""
    transport_W_m: float      # Q * L_eff demanded
    capacity_W_m: float       # pipe_count * max_transport (temperature-scaled if asked)
    utilisation: float        # transport / capacity
    within_limit: bool


def check_heat_pipe_limit(spec: HeatPipeSpec, heat_W: float, effective_length_m: float, *,
                          temperature_K: float | None = None, strict: bool = False) -> HeatPipeLimitCheck:
    """Compare the demanded Q * L_eff with the capillary limit of the heat-pipe network.

    Parameters
    ----------
    spec : HeatPipeSpec
    heat_W : float
        Heat carried by the whole network [W].
    effective_length_m : float
        Effective transport length [m] (:func:`heat_pipe_effective_length_m`).
    temperature_K : float, optional
        Vapour temperature [K]. If given, the 20 degC capacity is scaled by the ammonia merit
        number ratio N_l(T) / N_l(293.15 K) (ammonia working fluid assumed); otherwise the 20 degC
        value is used as is.
    strict : bool
        Raise :class:`thermal.core.errors.InfeasibleError` when the limit is exceeded, instead of only
        flagging it.

    Returns
    -------
    HeatPipeLimitCheck
    """
    if not (math.isfinite(heat_W) and heat_W >= 0):
        raise ValueError(f"check_heat_pipe_limit: heat_W must be >= 0, got {heat_W!r}")
    if not (math.isfinite(effective_length_m) and effective_length_m > 0):
        raise ValueError(f"check_heat_pipe_limit: effective_length_m must be > 0, got {effective_length_m!r}")
    capacity = spec.pipe_count * spec.max_transport_W_m
    if temperature_K is not None:
        capacity *= ammonia_merit_number(temperature_K) / ammonia_merit_number(293.15)
    demand = heat_W * effective_length_m
    check = HeatPipeLimitCheck(demand, capacity, demand / capacity, demand <= capacity)
    if strict and not check.within_limit:
        raise InfeasibleError(
            f"heat-pipe capillary limit exceeded: Q*L_eff = {demand:.0f} W m > capacity {capacity:.0f} W m "
            f"({spec.pipe_count} pipe(s) x {spec.max_transport_W_m:g} W m at 20 degC"
            + ("" if temperature_K is None else f", scaled to {temperature_K:.1f} K") + "); "
            f"add at least {math.ceil(spec.pipe_count * check.utilisation) - spec.pipe_count} pipe(s), "
            "shorten the transport length or use a higher-capacity pipe")
    return check


# ------------------------------------------------------------------------------------------------
# GPU junction
# ------------------------------------------------------------------------------------------------


def junction_temperature_K(cold_plate_or_coolant_temperature_K, gpu_power_W, junction_to_coolant_K_W):
    """GPU junction temperature, T_j = T_ref + P R [K].

    The reference must match the resistance: the library's ``junction_to_coolant_K_W`` includes the
    cold-plate film, so pair it with a coolant temperature (conservatively the cold-plate outlet,
    :attr:`LoopTemperatures.hot_K`); pair a junction-to-plate resistance with the plate temperature
    (:attr:`LoopTemperatures.source_K`). Do not add the cold-plate conductance twice.

    Parameters
    ----------
    cold_plate_or_coolant_temperature_K : float or array
        Reference temperature [K].
    gpu_power_W : float or array
        Dissipated power per GPU [W].
    junction_to_coolant_K_W : float
        Thermal resistance from junction to the reference [K/W].
    """
    return _out(np.asarray(cold_plate_or_coolant_temperature_K, dtype=float)
                + np.asarray(gpu_power_W, dtype=float) * junction_to_coolant_K_W)


# ------------------------------------------------------------------------------------------------
# One pumped loop, wired together
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PumpedLoopNetwork:
    """Conductances and hydraulics of one pumped loop at one operating state."""
    heat_capacity_rate_W_K: float
    cold_plate_conductance_W_K: float      # per plate
    source_ua_W_K: float                   # all plates in parallel
    radiator_path_count: int
    radiator_path_reynolds: float
    film_coefficient_W_m2K: float
    film_conductance_W_K: float
    fin_efficiency: float
    fin_conductance_W_K: float
    sink_ua_W_K: float                     # film and fin in series
    loop_conductance_W_K: float
    radiator_pressure_drop_Pa: float
    cold_plate_pressure_drop_Pa: float
    pump_power_W: float


def pumped_loop_network(loop: PumpedLoopSpec, radiator_area_m2: float, panel_thickness_m: float,
                        panel_conductivity_W_mK: float, emissivity_sides: Sequence[float], cold_plates: int,
                        fluid_temperature_K: float, panel_temperature_K: float | None = None) -> PumpedLoopNetwork:
    """All conductances of a pumped loop from ``cold_plates`` GPU cold plates in parallel to the radiators.

    Properties at one fluid temperature (use the loop mean); radiation linearised at the panel
    temperature (default: the fluid temperature).

    Parameters
    ----------
    loop : PumpedLoopSpec
    radiator_area_m2 : float
        Radiator area, one side [m^2].
    panel_thickness_m : float
        [m].
    panel_conductivity_W_mK : float
        [W/(m K)].
    emissivity_sides : sequence of float
        Emissivity of each radiating side.
    cold_plates : int
        GPU cold plates in parallel.
    fluid_temperature_K : float
        [K].
    panel_temperature_K : float, optional
        [K].

    Returns
    -------
    PumpedLoopNetwork
    """
    t_panel = fluid_temperature_K if panel_temperature_K is None else panel_temperature_K
    props = coolant_properties(loop.coolant, fluid_temperature_K, loop.loop_pressure_Pa)
    c = loop.flow_rate_kg_s * props.specific_heat_J_kgK
    g_plate = cold_plate_conductance_W_K(loop, fluid_temperature_K, cold_plates)
    length = radiator_tube_length_m(loop, radiator_area_m2)
    circuit = radiator_circuit(loop, length)
    h = film_coefficient_W_m2K(loop, fluid_temperature_K, circuit.path_mass_flow_kg_s)
    g_film = h * math.pi * loop.tube_inner_diameter_m * length
    half = 0.5 * loop.radiator_tube_spacing_m
    eta = fin_efficiency(half, panel_thickness_m, panel_conductivity_W_mK, emissivity_sides, t_panel)
    g_fin = fin_conductance_W_K(radiator_area_m2, half, panel_thickness_m, panel_conductivity_W_mK,
                                emissivity_sides, t_panel)
    g_sink = 1.0 / (1.0 / g_film + 1.0 / g_fin)
    dp_rad = pressure_drop_Pa(loop, circuit.path_length_m, fluid_temperature_K, circuit.path_mass_flow_kg_s)
    dp_plate = cold_plate_pressure_drop_Pa(loop, fluid_temperature_K, cold_plates)
    return PumpedLoopNetwork(
        heat_capacity_rate_W_K=c,
        cold_plate_conductance_W_K=g_plate,
        source_ua_W_K=cold_plates * g_plate,
        radiator_path_count=circuit.path_count,
        radiator_path_reynolds=tube_reynolds(circuit.path_mass_flow_kg_s, loop.tube_inner_diameter_m,
                                             props.viscosity_Pa_s),
        film_coefficient_W_m2K=h,
        film_conductance_W_K=g_film,
        fin_efficiency=eta,
        fin_conductance_W_K=g_fin,
        sink_ua_W_K=g_sink,
        loop_conductance_W_K=loop_conductance_W_K(c, cold_plates * g_plate, g_sink),
        radiator_pressure_drop_Pa=dp_rad,
        cold_plate_pressure_drop_Pa=dp_plate,
        pump_power_W=pump_power_W(loop, length, fluid_temperature_K, extra_pressure_drop_Pa=dp_plate),
    )
