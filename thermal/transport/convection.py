"""Internal forced convection and friction in tubes and rectangular ducts.

Laminar, transition blend and turbulent (Gnielinski, Petukhov) Nusselt numbers and friction
factors; the tube-side film coefficient of a pumped loop.

References: Incropera et al. (2007) ch. 8; Gnielinski (1976) *Int. Chem. Eng.* 16, 359-368;
Petukhov (1970) *Adv. Heat Transfer* 6, 503-564; Shah & London (1978) for rectangular ducts.
"""

import math

import numpy as np

from thermal.case.model import PumpedLoopSpec
from thermal.transport.coolant import coolant_properties

NU_LAMINAR_CONSTANT_HEAT_FLUX = 48.0 / 11.0   # 4.364, circular tube, fully developed (Incropera eq. 8.53)


NU_LAMINAR_CONSTANT_WALL_T = 3.66             # circular tube, fully developed (Incropera eq. 8.55)


RE_LAMINAR_MAX = 2300.0


RE_TURBULENT_MIN = 3000.0


def scalar_or_array(value):
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
    return scalar_or_array(nu)


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
    return scalar_or_array(f)


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
    flow = np.asarray(mass_flow_kg_s, dtype=float)
    return scalar_or_array(4.0 * flow / (math.pi * diameter_m * np.asarray(viscosity_Pa_s)))


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
