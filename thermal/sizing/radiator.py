"""The radiator of a sizing: the Stefan-Boltzmann balance against its environment and the chain
from the GPU junction to the radiator.

Which environment sizes the radiator
------------------------------------
A radiator with thermal mass sees something between the orbit-average environment and its
peak. :func:`radiator_area_m2` takes the basis as an argument:

- ``'peak'`` (the default everywhere): the maximum over the orbit of the flux absorbed by all
  radiating sides together. Exact for a radiator of negligible heat capacity, which follows the
  environment instantly, and conservative for any real one: the radiator never exceeds its
  design temperature.
- ``'orbit_average'``: the orbit-mean flux. Exact only for infinite heat capacity; it is the
  optimistic bound, and a radiator sized with it runs hotter than its design temperature in the
  hot part of the orbit.

:func:`radiator_area_with_thermal_mass_m2` sizes a radiator of given areal heat capacity for its
periodic orbit temperature to peak at the design temperature; it lies between the two and
tells how much the thermal mass is worth.

Junction to radiator (:func:`radiator_temperature_from_junction`)
-----------------------------------------------------------------
A single-phase pumped loop with the GPU cold plates in parallel::

    T_supply  = T_junction,limit - margin - P_gpu * R_junction-coolant
    T_coolant = T_supply + dT_coolant / 2          (mean coolant temperature in the radiator)
    T_rad     = T_coolant - dT_interface - q_net(T_rad) / U

R_junction-coolant is referred to the coolant supply temperature (it includes the local rise
across the cold plate), ``dT_coolant = Q / (m_dot c_p)`` is the rise of the loop, the radiator
being the coldest at its outlet (= the supply), dT_interface a fixed drop (an intermediate heat
exchanger, 0 for a single loop) and U the conductance from the coolant to the radiating surface
per m^2 of panel (tube wall, saddles, heat pipes; the fins' own drop is the fin efficiency).
The radiator is treated as isothermal at its mean surface temperature, which is accurate to well
under 1 % of the emitted power for coolant rises of a few per cent of T. With U finite the
radiator temperature depends on its heat flux, i.e. on the area: it is solved with
``scipy.optimize.brentq`` (:func:`radiator_temperature_for_loop_K`).

References
----------
.. [1] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. 1, 2nd ed., The
   Aerospace Press, 2002, ch. 2 (environment), ch. 6 (radiators, fin efficiency).
"""
from __future__ import annotations

import math

import numpy as np

from thermal.case.sizing import SizingConfig
from thermal.core.checks import is_finite, need
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
from thermal.core.errors import InfeasibleError
from thermal.exposure import AbsorbedEnvironment

_SIGMA = STEFAN_BOLTZMANN_W_M2K4


class SizingInfeasibleError(InfeasibleError):
    """A sizing constraint that cannot be met (exit code 3).

    Attributes
    ----------
    constraint : str
        The binding constraint, in words.
    shortfall_W_m2 : float or None
        By how much the environment's absorbed flux exceeds what the radiator emits at its
        required temperature [W/m^2 of panel].
    shortfall_K : float or None
        By how much the environment alone would hold the radiator above its required
        temperature [K].
    """

    def __init__(self, message: str, constraint: str = "", shortfall_W_m2: float | None = None,
                 shortfall_K: float | None = None):
        super().__init__(message)
        self.constraint = constraint
        self.shortfall_W_m2 = shortfall_W_m2
        self.shortfall_K = shortfall_K


def _absorbed_total(absorbed_W_m2, two_sided: bool, basis: str) -> tuple[float, int]:
    """(total absorbed flux over the radiating sides, number of sides)."""
    if isinstance(absorbed_W_m2, AbsorbedEnvironment):
        n_sides = len(absorbed_W_m2.sides)
        need(n_sides == (2 if two_sided else 1), "two_sided",
              f"{n_sides == 2} to match the environment's sides {absorbed_W_m2.sides}", two_sided)
        return absorbed_W_m2.sizing_total_W_m2(basis), n_sides
    n_sides = 2 if two_sided else 1
    q = np.atleast_1d(np.asarray(absorbed_W_m2, dtype=float))
    if q.size == 1:
        q = np.repeat(q, n_sides)
    need(q.shape == (n_sides,) and np.all(np.isfinite(q)), "absorbed_W_m2",
          f"a finite flux or {n_sides} fluxes (one per radiating side)", absorbed_W_m2)
    return float(q.sum()), n_sides


def net_radiator_flux_W_m2(radiator_temperature_K: float, emissivity: float, absorbed_W_m2,
                           two_sided: bool = True, fin_efficiency: float = 1.0, *,
                           basis: str = "peak") -> float:
    """Heat a radiator rejects per m^2 of panel: ``sum_sides(eta eps sigma T^4 - q_abs,side)``.

    Parameters
    ----------
    radiator_temperature_K : float
        Radiator (mean surface) temperature [K].
    emissivity : float
        Infrared emissivity of the radiating sides [-].
    absorbed_W_m2 : float, sequence of float, or AbsorbedEnvironment
        Absorbed environmental flux: one value for every side, one per side, or an
        environment from :func:`environment_absorbed_W_m2` (then ``basis`` picks peak or
        orbit average) [W/m^2].
    two_sided : bool, default True
        Whether both faces radiate.
    fin_efficiency : float, default 1
        Fin efficiency applied to the emission [-].
    basis : {'peak', 'orbit_average'}, default 'peak'
        Used only with an AbsorbedEnvironment.

    Returns
    -------
    float
        Net rejected flux [W/m^2 of panel]; negative when the environment wins.
    """
    T = float(radiator_temperature_K)
    need(is_finite(T) and T > 0, "radiator_temperature_K", "a temperature > 0 K", radiator_temperature_K)
    need(is_finite(emissivity) and 0 < emissivity <= 1, "emissivity", "a fraction in (0, 1]", emissivity)
    need(is_finite(fin_efficiency) and 0 < fin_efficiency <= 1, "fin_efficiency",
          "a fraction in (0, 1]", fin_efficiency)
    q_abs, n_sides = _absorbed_total(absorbed_W_m2, two_sided, basis)
    return n_sides * fin_efficiency * emissivity * _SIGMA * T**4 - q_abs


def environment_equilibrium_temperature_K(emissivity: float, absorbed_total_W_m2: float,
                                          n_sides: int = 2, fin_efficiency: float = 1.0) -> float:
    """Temperature the environment alone holds a radiator at (no internal heat).

    ``T = (q_abs,total / (n_sides eta eps sigma))^(1/4)``.

    Parameters
    ----------
    emissivity : float
        [-]
    absorbed_total_W_m2 : float
        Absorbed flux summed over the radiating sides [W/m^2].
    n_sides : int, default 2
        Radiating sides [-].
    fin_efficiency : float, default 1
        [-]

    Returns
    -------
    float
        [K]
    """
    return (max(absorbed_total_W_m2, 0.0) / (n_sides * fin_efficiency * emissivity * _SIGMA)) ** 0.25


def radiator_area_m2(heat_W: float, radiator_temperature_K: float, emissivity: float,
                     absorbed_W_m2, two_sided: bool = True, fin_efficiency: float = 1.0, *,
                     basis: str = "peak", constraint: str = "") -> float:
    """Radiator panel area that rejects a heat load at a temperature against an environment.

    ``A = Q / sum_sides(eta eps sigma T^4 - q_abs,side)``: a steady Stefan-Boltzmann balance of
    an isothermal panel facing deep space (the 3 K sky is neglected), per m^2 of panel (one
    side), with the emission reduced by the fin efficiency and the absorbed environmental flux
    on the full area.

    Parameters
    ----------
    heat_W : float
        Heat to reject [W].
    radiator_temperature_K : float
        Radiator (mean surface) temperature [K].
    emissivity : float
        Infrared emissivity [-].
    absorbed_W_m2 : float, sequence of float, or AbsorbedEnvironment
        Absorbed environmental flux per side (see :func:`net_radiator_flux_W_m2`) [W/m^2].
    two_sided : bool, default True
        Whether both faces radiate.
    fin_efficiency : float, default 1
        [-]
    basis : {'peak', 'orbit_average'}, default 'peak'
        With an AbsorbedEnvironment: size against the hottest instant of the orbit (the
        default: exact for a radiator of negligible heat capacity, conservative otherwise) or
        the orbit average (optimistic, exact only for infinite heat capacity).
    constraint : str, optional
        Where the radiator temperature comes from, for the error message.

    Returns
    -------
    float
        Panel area [m^2].

    Raises
    ------
    SizingInfeasibleError
        The environment alone holds the radiator at or above the required temperature
        (``q_abs >= n eta eps sigma T^4``); the message gives the shortfall in W/m^2 and K.
    """
    need(is_finite(heat_W) and heat_W >= 0, "heat_W", "a heat load >= 0 W", heat_W)
    net = net_radiator_flux_W_m2(radiator_temperature_K, emissivity, absorbed_W_m2, two_sided,
                                 fin_efficiency, basis=basis)
    if net <= 0.0:
        q_abs, n_sides = _absorbed_total(absorbed_W_m2, two_sided, basis)
        emitted = q_abs + net
        t_env = environment_equilibrium_temperature_K(emissivity, q_abs, n_sides, fin_efficiency)
        label = basis if isinstance(absorbed_W_m2, AbsorbedEnvironment) else "given"
        what = constraint or f"radiator temperature {radiator_temperature_K:.1f} K"
        raise SizingInfeasibleError(
            f"radiator infeasible: binding constraint is the {what} against the {label} "
            f"environment. The environment puts {q_abs:.1f} W/m^2 into the panel ({n_sides} "
            f"side(s)), the panel emits only {emitted:.1f} W/m^2 at "
            f"{radiator_temperature_K:.1f} K: short by {-net:.1f} W/m^2. The environment alone "
            f"holds it at {t_env:.1f} K, {t_env - radiator_temperature_K:.1f} K above the "
            "required temperature. Raise the radiator temperature, choose a coating with a "
            "lower absorptivity, or turn the radiator edge-on to the sun and the Earth.",
            constraint=what, shortfall_W_m2=-net, shortfall_K=t_env - radiator_temperature_K)
    return heat_W / net


def _periodic_temperature(flux_in_W_m2: np.ndarray, dt_s: float, capacity_J_m2K: float,
                          k_W_m2K4: float) -> np.ndarray:
    """Periodic solution of C dT/dt = q(t) - k T^4 on a uniform periodic grid (trapezoid rule).

    The trapezoid rule with sub-steps of at most half the shortest radiative time constant, the
    periodic start found with brentq on T(P) - T(0) between the instantaneous equilibria.
    """
    from scipy.optimize import brentq  # here, not at import: a plain run needs no SciPy (start-up)

    q = np.maximum(flux_in_W_m2, 0.0)
    t_eq = (q / k_W_m2K4) ** 0.25
    t_lo, t_hi = float(t_eq.min()), float(t_eq.max())
    if t_hi - t_lo < 1e-9 * t_hi:
        return t_eq.copy()
    tau_min = capacity_J_m2K / (4.0 * k_W_m2K4 * t_hi**3)
    if tau_min < 0.25 * dt_s:
        # the panel follows the environment within a small fraction of a sample: quasi-static
        # (slightly conservative: the true peak lags and falls short of max(t_eq) by O(tau))
        return t_eq.copy()
    n_sub = int(max(1, math.ceil(dt_s / (0.5 * tau_min))))
    h = dt_s / n_sub
    n = q.size
    q_next = np.roll(q, -1)

    def one_orbit(t0, record=False):
        T = t0
        out = np.empty(n) if record else None
        c = h / (2.0 * capacity_J_m2K)
        for i in range(n):
            if record:
                out[i] = T
            qa, qb = q[i], q_next[i]
            for j in range(n_sub):
                f_old = qa + (qb - qa) * (j / n_sub) - k_W_m2K4 * T**4
                q_new = qa + (qb - qa) * ((j + 1) / n_sub)
                Tn = T
                for _ in range(20):  # Newton on Tn - T - c (f_old + q_new - k Tn^4) = 0
                    g = Tn - T - c * (f_old + q_new - k_W_m2K4 * Tn**4)
                    dTn = g / (1.0 + 4.0 * c * k_W_m2K4 * Tn**3)
                    Tn -= dTn
                    if abs(dTn) < 1e-10 * Tn:
                        break
                T = Tn
        return (T, out) if record else T

    t0 = brentq(lambda x: one_orbit(x) - x, t_lo * (1.0 - 1e-6), t_hi * (1.0 + 1e-6), xtol=1e-9 * t_hi)
    return one_orbit(t0, record=True)[1]


def radiator_area_with_thermal_mass_m2(heat_W: float, max_temperature_K: float,
                                       environment: AbsorbedEnvironment,
                                       areal_heat_capacity_J_m2K: float,
                                       fin_efficiency: float = 1.0) -> float:
    """Radiator area whose periodic orbit temperature peaks at a limit, with thermal mass.

    A lumped panel of areal heat capacity C rejecting a constant heat Q::

        C dT/dt = Q / A + q_abs,total(t) - n eta eps sigma T^4

    is solved for its periodic orbit (trapezoid rule on the environment's time grid), and the
    area is found with ``scipy.optimize.brentq`` so that max_t T = ``max_temperature_K``. The
    result lies between the area sized on the peak environment (C -> 0) and the one sized on
    the orbit average (C -> infinity).

    Parameters
    ----------
    heat_W : float
        Heat to reject, constant [W].
    max_temperature_K : float
        Highest allowed radiator temperature over the orbit [K].
    environment : AbsorbedEnvironment
        Absorbed flux per side over one orbit.
    areal_heat_capacity_J_m2K : float
        Heat capacity per m^2 of panel, e.g. 1.5 mm aluminium: 2700 x 0.0015 x 896 =
        3,630 J/m^2/K (plus coolant and fins) [J/m^2/K].
    fin_efficiency : float, default 1
        [-]

    Returns
    -------
    float
        Panel area [m^2].

    Raises
    ------
    SizingInfeasibleError
        The environment alone pushes the panel above the limit.
    """
    from scipy.optimize import brentq  # here, not at import: a plain run needs no SciPy (start-up)

    need(is_finite(areal_heat_capacity_J_m2K) and areal_heat_capacity_J_m2K > 0,
          "areal_heat_capacity_J_m2K", "a heat capacity > 0", areal_heat_capacity_J_m2K)
    n_sides = len(environment.sides)
    k = n_sides * fin_efficiency * environment.emissivity * _SIGMA
    q_env = environment.total_W_m2
    dt = environment.period_s / q_env.size
    emit_max = k * max_temperature_K**4
    # Bounds on the rejected flux x = Q / A: the peak basis (below) and the average (above).
    x_lo = emit_max - float(q_env.max())
    x_hi = emit_max - environment.orbit_average_total_W_m2
    if x_hi <= 0.0:
        # even the orbit average is too hot: report it with the usual message
        radiator_area_m2(heat_W, max_temperature_K, environment.emissivity, environment,
                         n_sides == 2, fin_efficiency, basis="orbit_average")
    if x_hi - x_lo < 1e-9 * emit_max:
        return heat_W / x_hi

    def peak_excess(x):
        T = _periodic_temperature(q_env + x, dt, areal_heat_capacity_J_m2K, k)
        return float(T.max()) - max_temperature_K

    lo = max(x_lo, 1e-9 * emit_max)
    if peak_excess(lo) > 0.0:
        raise SizingInfeasibleError(
            f"radiator infeasible: even with no internal heat and {areal_heat_capacity_J_m2K:.0f} "
            f"J/m^2/K of thermal mass the environment drives the panel above its highest allowed temperature "
            f"{max_temperature_K:.1f} K; choose a coating with a lower absorptivity, turn the radiator edge-on to "
            "the sun and the Earth, or allow it a higher temperature", constraint="radiator maximum temperature")
    x = brentq(peak_excess, lo, x_hi, xtol=1e-7 * emit_max)
    return heat_W / x


def radiator_temperature_from_junction(junction_limit_K: float, margin_K: float, gpu_power_W: float,
                                       junction_to_coolant_K_W: float, coolant_rise_K: float = 0.0,
                                       coolant_to_radiator_K: float = 0.0) -> float:
    """Radiator mean surface temperature allowed by a GPU junction limit (closed form).

    ``T_rad = T_j,limit - margin - P_gpu R_jc + dT_coolant / 2 - dT_interface``, the chain of
    the module docstring with a fixed coolant-to-radiator drop.

    Parameters
    ----------
    junction_limit_K : float
        Maximum operating junction temperature [K].
    margin_K : float
        Design margin below the limit [K].
    gpu_power_W : float
        Power of one GPU [W].
    junction_to_coolant_K_W : float
        Junction to coolant-supply thermal resistance of one GPU's cold plate [K/W].
    coolant_rise_K : float, default 0
        Coolant temperature rise over the loop, Q / (m_dot c_p) [K]; 0 for a two-phase loop.
    coolant_to_radiator_K : float, default 0
        Fixed drop from the mean coolant temperature to the radiating surface [K].

    Returns
    -------
    float
        Radiator temperature [K].

    Raises
    ------
    SizingInfeasibleError
        The chain leaves no positive radiator temperature.
    """
    for name, v in (("junction_limit_K", junction_limit_K), ("margin_K", margin_K),
                    ("gpu_power_W", gpu_power_W), ("junction_to_coolant_K_W", junction_to_coolant_K_W),
                    ("coolant_rise_K", coolant_rise_K), ("coolant_to_radiator_K", coolant_to_radiator_K)):
        need(is_finite(v) and v >= 0, name, "a finite value >= 0", v)
    supply = junction_limit_K - margin_K - gpu_power_W * junction_to_coolant_K_W
    t_rad = supply + 0.5 * coolant_rise_K - coolant_to_radiator_K
    if t_rad <= 0.0:
        raise SizingInfeasibleError(
            f"the GPU junction limit {junction_limit_K:.1f} K minus the margin {margin_K:.1f} K and the "
            f"transport drops ({junction_limit_K - margin_K - t_rad:.1f} K) leave no radiator temperature "
            f"({t_rad:.1f} K); lower sizing.junction_margin or the transport drops (sizing.transport: "
            "coolant_rise, coolant_to_radiator), or choose a GPU with a lower junction-to-coolant resistance",
            constraint="GPU junction limit")
    return t_rad


def radiator_temperature_for_loop_K(coolant_mean_K: float, conductance_W_m2K: float | None,
                                    emissivity: float, absorbed_W_m2, two_sided: bool = True,
                                    fin_efficiency: float = 1.0, *, basis: str = "peak",
                                    constraint: str = "") -> float:
    """Radiator temperature when the coolant-to-surface drop depends on the radiator's flux.

    Solves ``T = T_coolant - q_net(T) / U`` with ``q_net`` from :func:`net_radiator_flux_W_m2`
    (``scipy.optimize.brentq``; the left minus right side rises with T, so the root is unique).
    The per-m^2 drop q_net / U equals Q / (U A): the conductance of the loop grows with the
    radiator area, so this is the temperature at which the sized area and the drop agree.

    Parameters
    ----------
    coolant_mean_K : float
        Mean coolant temperature in the radiator [K].
    conductance_W_m2K : float or None
        Coolant-to-radiating-surface conductance per m^2 of panel [W/m^2/K]; None: ideal (the
        surface is at the coolant temperature).
    emissivity : float
        [-]
    absorbed_W_m2 : float, sequence of float, or AbsorbedEnvironment
        As in :func:`radiator_area_m2` [W/m^2].
    two_sided : bool, default True
    fin_efficiency : float, default 1
    basis : {'peak', 'orbit_average'}, default 'peak'
    constraint : str, optional
        For the error message.

    Returns
    -------
    float
        Radiator mean surface temperature [K].

    Raises
    ------
    SizingInfeasibleError
        The environment alone holds the radiator at or above the coolant temperature.
    """
    need(is_finite(coolant_mean_K) and coolant_mean_K > 0, "coolant_mean_K", "a temperature > 0 K",
          coolant_mean_K)

    def net(T):
        return net_radiator_flux_W_m2(T, emissivity, absorbed_W_m2, two_sided, fin_efficiency,
                                      basis=basis)

    if net(coolant_mean_K) <= 0.0:  # infeasible even without a drop: raise the standard message
        radiator_area_m2(1.0, coolant_mean_K, emissivity, absorbed_W_m2, two_sided, fin_efficiency,
                         basis=basis, constraint=constraint)
    if conductance_W_m2K is None:
        return float(coolant_mean_K)
    need(is_finite(conductance_W_m2K) and conductance_W_m2K > 0, "conductance_W_m2K",
          "None or a conductance > 0", conductance_W_m2K)
    q_abs, n_sides = _absorbed_total(absorbed_W_m2, two_sided, basis)
    return loop_temperature_K(coolant_mean_K, conductance_W_m2K, emissivity, q_abs, n_sides, fin_efficiency)


def loop_temperature_K(coolant_mean_K: float, conductance_W_m2K: float, emissivity: float, q_abs: float,
                        n_sides: int, fin_efficiency: float) -> float:
    """The root of ``T + q_net(T) / U = T_coolant`` between the environment's equilibrium and the
    coolant temperature (brentq), ``q_net = n eta eps sigma T^4 - q_abs`` on plain floats (the
    inputs checked by the caller)."""
    from scipy.optimize import brentq  # here, not at import: a plain run needs no SciPy (start-up)

    t_env = environment_equilibrium_temperature_K(emissivity, q_abs, n_sides, fin_efficiency)
    lo = max(t_env, 1e-6)
    k = n_sides * fin_efficiency * emissivity * _SIGMA

    def residual(T):
        return T + (k * T**4 - q_abs) / conductance_W_m2K - coolant_mean_K

    return float(brentq(residual, lo, coolant_mean_K, xtol=1e-10 * coolant_mean_K))



def loop_temperatures_K(coolant_mean_K: float, conductance_W_m2K: float, emissivity: float, q_abs: np.ndarray,
                        n_sides: int, fin_efficiency: float) -> np.ndarray:
    """:func:`loop_temperature_K` for an array of absorbed fluxes at once (the orbit cases of a
    sizing): Newton's method from the coolant temperature. ``f(T) = T + (k T^4 - q) / U - T_c``
    rises and is convex, and ``f(T_c) > 0`` for a feasible case, so the iterates fall monotonically
    onto the root; stopped at 1e-14 of the coolant temperature. Agrees with the brentq of
    :func:`loop_temperature_K` within brentq's tolerance (1e-10 of the coolant temperature): the
    radiator areas of the shipped cases within 2e-11 (tests/verification/test_fast_sizing.py).
    The caller checks feasibility (``k T_c^4 > q``)."""
    k = n_sides * fin_efficiency * emissivity * _SIGMA
    q = np.asarray(q_abs, dtype=float)
    T = np.full_like(q, coolant_mean_K)
    for _ in range(100):
        step = (T + (k * T**4 - q) / conductance_W_m2K - coolant_mean_K) / (1.0 + 4.0 * k * T**3 / conductance_W_m2K)
        T = T - step
        if float(np.max(np.abs(step))) <= 1e-14 * coolant_mean_K:
            break
    return T


def design_coolant_mean_K(sizing: SizingConfig) -> float:
    """Mean coolant temperature in the radiator at the sizing's junction design point, less the
    fixed interface drop: the temperature upstream of the area-dependent drop q_net / U [K]."""
    node = sizing.node
    return radiator_temperature_from_junction(
        node.gpu.junction_limit_K, sizing.junction_margin_K, node.gpu_power_W, sizing.junction_to_coolant_K_W,
        sizing.coolant_rise_K, sizing.coolant_to_radiator_K)
