"""Sizing an orbital data centre: radiator, solar array, battery, mass and modules for a compute target.

The chain, one function per link (SI floats throughout, kelvin for temperatures):

1. compute target -> electric load. A GPU node draws ``gpus x TDP x utilisation + overhead``;
   bus loads (avionics, pumps, attitude control, communications) add a fraction of it.
2. electric load -> heat. All electric power ends as heat inside the spacecraft: the loads,
   the battery's charge (or discharge) loss, the harness and regulator losses. The array's own
   waste heat (sunlight absorbed and not converted) stays on the array, which radiates it from
   both faces; it never reaches the radiator.
3. heat -> radiator area (:func:`radiator_area_m2`), a Stefan-Boltzmann balance per side::

       Q = A * sum_sides( eta_fin * eps * sigma * T^4 - q_abs,side )

   with the absorbed environmental flux ``q_abs = alpha (solar + albedo) + eps earth_ir`` from
   :mod:`thermal.environment` (:func:`environment_absorbed_W_m2`). The radiator temperature is
   given, or follows from the junction limit through the transport chain
   (:func:`radiator_temperature_from_junction`, :func:`radiator_temperature_for_loop_K`).
4. load -> array area and battery capacity (:mod:`power.sizing`: the orbit energy balance with
   the eclipse, the battery round trip and end-of-life factors).
5. areas and capacities -> masses (:class:`thermal.economics.SpecificMasses`), then the number
   of identical modules when the target exceeds what one spacecraft may weigh or carry.

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

When the orbit changes over a mission (beta angle over the year, solar distance), pass several
:class:`~thermal.orbit.OrbitGeometry` cases to :func:`size_design`: each subsystem is sized by
its own worst case (:func:`orbit_cases_beta_sweep`, :func:`orbit_cases_sun_synchronous`).

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
.. [2] J. R. Wertz and W. J. Larson (eds.), *Space Mission Analysis and Design*, 3rd ed., 1999,
   sec. 11.4 (array and battery sizing).
.. [3] NVIDIA DGX H100 datasheet: 8 x H100 SXM5 (5.6 kW), 10.2 kW maximum system power.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq

from power.battery import capacity_remaining_fraction
from power.cells import BATTERY_CELLS, SOLAR_CELLS, BatteryCell, SolarCell
from power.sizing import (array_mass_kg, battery_mass_kg, required_array_area_m2,
                          required_battery_capacity_Wh, required_sunlit_bus_power_W)
from power.solar_array import (DEFAULT_FLUENCE_PER_YEAR_E_CM2, DEFAULT_UV_DARKENING_PER_YEAR,
                               cell_efficiency, cell_end_of_life_factor)
from thermal.core.constants import SOLAR_CONSTANT_W_M2, STEFAN_BOLTZMANN_W_M2K4
from thermal.economics import STARSHIP_NEAR_TERM, LaunchOptions, SpecificMasses, launch_count
from thermal.environment import EnvironmentConstants, incident_flux, orbit_average
from thermal.core.errors import InfeasibleError
from thermal.core.library import COATINGS, GPUS, GPU, Coating
from thermal.orbit import (OrbitGeometry, body_axes_in_orbit_frame, eclipse_intervals_s,
                           nadir_vector_body, resolve_orbit, sun_vector_body)
from thermal.core.checks import is_finite, need

__all__ = [
    "FACINGS",
    "SIZING_BASES",
    "ARRAY_POINTINGS",
    "SizingInfeasibleError",
    "AbsorbedEnvironment",
    "surface_normal_body",
    "environment_absorbed_W_m2",
    "net_radiator_flux_W_m2",
    "radiator_area_m2",
    "radiator_area_with_thermal_mass_m2",
    "environment_equilibrium_temperature_K",
    "radiator_temperature_from_junction",
    "radiator_temperature_for_loop_K",
    "orbit_cases_beta_sweep",
    "orbit_cases_sun_synchronous",
    "ComputeSpec",
    "RadiatorSpec",
    "HeatTransportChain",
    "ArraySpec",
    "BatterySpec",
    "CaseSizing",
    "ModuleDesign",
    "Design",
    "size_module",
    "size_design",
]

#: Named radiator orientations (the front normal); a 3-vector in body axes is also accepted.
#: 'edge_on': perpendicular to both the nadir and the sun directions (a yaw-steered panel that
#: sees neither the sun nor the Earth's face; in a dawn-dusk orbit it faces along the velocity,
#: which maximises its drag area). The others are the named directions themselves.
FACINGS = ("edge_on", "zenith", "nadir", "sun", "anti_sun", "orbit_normal", "anti_orbit_normal",
           "velocity", "anti_velocity")

#: Radiator sizing bases, see the module docstring.
SIZING_BASES = ("peak", "orbit_average")

#: Array pointing for sizing: 'sun_pointing' (two-axis gimbal or sun-pointed spacecraft, cosine
#: 1) or 'sun_tracking' (one axis along the orbit normal of a nadir-pointed spacecraft: the sun
#: stays cos(beta) off the normal).
ARRAY_POINTINGS = ("sun_pointing", "sun_tracking")

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






def _coating(coating) -> Coating:
    if isinstance(coating, Coating):
        return coating
    if isinstance(coating, str) and coating in COATINGS:
        return COATINGS[coating]
    raise ValueError(f"coating: expected a Coating or one of {sorted(COATINGS)}, got {coating!r}")


# --------------------------------------------------------------------------------------------
# Environment on a radiator
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class AbsorbedEnvironment:
    """Environmental flux absorbed by each radiating side of a flat radiator over one orbit.

    Attributes
    ----------
    time_s : numpy.ndarray
        (N,) times from orbit noon over one period, end point excluded [s].
    period_s : float
        Orbit period [s].
    absorbed_W_m2 : numpy.ndarray
        (N, n_sides) absorbed flux per side, ``alpha (solar + albedo) + eps earth_ir`` [W/m^2].
    sides : tuple of str
        ('front',) or ('front', 'back').
    absorptivity, emissivity : float
        Coating values used [-].
    """

    time_s: np.ndarray
    period_s: float
    absorbed_W_m2: np.ndarray
    sides: tuple
    absorptivity: float
    emissivity: float

    @property
    def total_W_m2(self) -> np.ndarray:
        """(N,) flux absorbed by all sides together, per m^2 of panel [W/m^2]."""
        return self.absorbed_W_m2.sum(axis=1)

    @property
    def orbit_average_W_m2(self) -> tuple:
        """Orbit-average absorbed flux of each side [W/m^2]."""
        avg = orbit_average(self.time_s, self.absorbed_W_m2, period_s=self.period_s)
        return tuple(float(v) for v in np.atleast_1d(avg))

    @property
    def peak_W_m2(self) -> tuple:
        """Maximum over the orbit of each side's absorbed flux, each at its own time [W/m^2]."""
        return tuple(float(v) for v in self.absorbed_W_m2.max(axis=0))

    @property
    def orbit_average_total_W_m2(self) -> float:
        """Orbit-average flux absorbed by all sides together [W/m^2]."""
        return float(sum(self.orbit_average_W_m2))

    @property
    def peak_total_W_m2(self) -> float:
        """Maximum over the orbit of the flux absorbed by all sides at the same time [W/m^2]."""
        return float(self.total_W_m2.max())

    def sizing_total_W_m2(self, basis: str = "peak") -> float:
        """Absorbed flux (all sides) that sizes the radiator on a basis [W/m^2].

        Parameters
        ----------
        basis : {'peak', 'orbit_average'}

        Returns
        -------
        float
            [W/m^2]
        """
        need(basis in SIZING_BASES, "basis", f"one of {SIZING_BASES}", basis)
        return self.peak_total_W_m2 if basis == "peak" else self.orbit_average_total_W_m2


def surface_normal_body(geom: OrbitGeometry | None, attitude: str, facing, time_s) -> np.ndarray:
    """Outward normal of a surface in body axes over time.

    Parameters
    ----------
    geom : OrbitGeometry or None
        The orbit; None for deep space (sun along body +z; only vectors, 'sun', 'anti_sun' and
        'edge_on' (body +x) are meaningful there).
    attitude : {'nadir', 'sun'}
        Attitude law (:mod:`thermal.orbit`).
    facing : str or array_like
        One of :data:`FACINGS`, or a 3-vector in body axes.
    time_s : array_like
        (N,) times from orbit noon [s].

    Returns
    -------
    numpy.ndarray
        (N, 3) unit normals [-].
    """
    t = np.atleast_1d(np.asarray(time_s, dtype=float))
    n = t.size
    if not isinstance(facing, str):
        v = np.asarray(facing, dtype=float)
        need(v.shape == (3,) and np.all(np.isfinite(v)) and np.linalg.norm(v) > 0, "facing",
              f"one of {FACINGS} or a non-zero 3-vector", facing)
        return np.broadcast_to(v / np.linalg.norm(v), (n, 3)).copy()
    need(facing in FACINGS, "facing", f"one of {FACINGS} or a 3-vector", facing)
    if geom is None:
        fixed = {"sun": [0.0, 0.0, 1.0], "anti_sun": [0.0, 0.0, -1.0], "edge_on": [1.0, 0.0, 0.0]}
        need(facing in fixed, "facing", f"one of {sorted(fixed)} or a vector in deep space",
              facing)
        return np.broadcast_to(np.array(fixed[facing]), (n, 3)).copy()
    sun = sun_vector_body(geom, t, attitude)
    nadir = nadir_vector_body(geom, t, attitude)
    axes = body_axes_in_orbit_frame(geom, t, attitude)
    orbit_normal = axes[:, :, 2]  # body components of the orbit-frame z axis
    theta = 2.0 * math.pi * t / geom.period_s
    velocity = np.einsum("nij,nj->ni", axes,
                         np.stack([-np.sin(theta), np.cos(theta), np.zeros_like(theta)], axis=1))
    if facing == "edge_on":
        cross = np.cross(nadir, sun)
        norm = np.linalg.norm(cross, axis=1, keepdims=True)
        out = np.where(norm > 1e-9, cross / np.maximum(norm, 1e-300), orbit_normal)
    else:
        out = {
            "zenith": -nadir, "nadir": nadir, "sun": sun, "anti_sun": -sun,
            "orbit_normal": orbit_normal, "anti_orbit_normal": -orbit_normal,
            "velocity": velocity, "anti_velocity": -velocity,
        }[facing]
    return out / np.linalg.norm(out, axis=1, keepdims=True)


@functools.lru_cache(maxsize=512)
def _incident_on_sides(geom, env, attitude, facing, two_sided, n_time):
    """Incident fluxes on the front (and back) over one orbit; cached, coating-independent."""
    period = geom.period_s if geom is not None else 1.0
    t = np.linspace(0.0, period, n_time, endpoint=False)
    front = surface_normal_body(geom, attitude, facing, t)
    normals = [front, -front] if two_sided else [front]
    fluxes = tuple(incident_flux(geom, env, attitude, normal, t) for normal in normals)
    for flux in fluxes:
        for arr in (flux.solar_W_m2, flux.albedo_W_m2, flux.earth_ir_W_m2):
            arr.setflags(write=False)
    t.setflags(write=False)
    return t, period, fluxes


def environment_absorbed_W_m2(geom: OrbitGeometry | None, env: EnvironmentConstants = EnvironmentConstants(),
                              attitude: str = "nadir", facing="edge_on", coating="osr",
                              end_of_life: bool = True, *, two_sided: bool = True,
                              n_time: int = 360) -> AbsorbedEnvironment:
    """Environmental flux absorbed by a flat radiator, per side, over one orbit.

    The front faces ``facing``; a two-sided radiator's back faces the opposite way and carries
    the same coating. Each side absorbs ``alpha (solar + albedo) + eps earth_ir`` of the
    incident fluxes of :func:`thermal.environment.incident_flux`.

    Parameters
    ----------
    geom : OrbitGeometry or None
        The orbit; None for deep space at 1 AU.
    env : EnvironmentConstants
        Solar constant, albedo, OLR, eclipse and albedo models.
    attitude : {'nadir', 'sun'}, default 'nadir'
        Attitude law.
    facing : str or array_like, default 'edge_on'
        Front normal, see :func:`surface_normal_body`.
    coating : Coating or str, default 'osr'
        Coating of the radiating sides (library name or object).
    end_of_life : bool, default True
        Use the end-of-life solar absorptivity (the hot case).
    two_sided : bool, default True
        Whether the back radiates too; a one-sided radiator's back is insulated and neither
        absorbs nor emits.
    n_time : int, default 360
        Samples over the orbit (end point excluded) [-].

    Returns
    -------
    AbsorbedEnvironment
        Per-side absorbed flux, with its orbit averages and peaks [W/m^2].
    """
    c = _coating(coating)
    need(isinstance(n_time, (int, np.integer)) and n_time >= 8, "n_time", "an integer >= 8", n_time)
    if not isinstance(facing, str):
        facing = tuple(float(v) for v in np.asarray(facing, dtype=float).ravel())
    t, period, fluxes = _incident_on_sides(geom, env, attitude, facing, bool(two_sided), int(n_time))
    alpha = c.solar_absorptivity(end_of_life)
    eps = c.emissivity
    cols = [flux.absorbed_W_m2(alpha, eps) for flux in fluxes]
    return AbsorbedEnvironment(
        time_s=t, period_s=period, absorbed_W_m2=np.stack(cols, axis=1),
        sides=("front", "back") if two_sided else ("front",),
        absorptivity=alpha, emissivity=eps,
    )


# --------------------------------------------------------------------------------------------
# Radiator balance
# --------------------------------------------------------------------------------------------
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
            f"J/m^2/K of thermal mass the environment drives the panel above "
            f"{max_temperature_K:.1f} K", constraint="radiator maximum temperature")
    x = brentq(peak_excess, lo, x_hi, xtol=1e-7 * emit_max)
    return heat_W / x


# --------------------------------------------------------------------------------------------
# Junction -> coolant -> radiator
# --------------------------------------------------------------------------------------------
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
            f"junction limit {junction_limit_K:.1f} K minus margin {margin_K:.1f} K and the "
            f"transport drops leaves no radiator temperature ({t_rad:.1f} K)",
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
    t_env = environment_equilibrium_temperature_K(emissivity, q_abs, n_sides, fin_efficiency)
    lo = max(t_env, 1e-6)

    def residual(T):
        return T + net(T) / conductance_W_m2K - coolant_mean_K

    return float(brentq(residual, lo, coolant_mean_K, xtol=1e-10 * coolant_mean_K))


# --------------------------------------------------------------------------------------------
# Orbit cases
# --------------------------------------------------------------------------------------------
def orbit_cases_beta_sweep(altitude_m: float, inclination_rad: float, n_beta: int = 9,
                           include_negative: bool = True) -> list[OrbitGeometry]:
    """Orbits at every beta angle a circular orbit of an inclination sees over a year.

    ``|beta| <= inclination + 23.44 deg`` (obliquity of the ecliptic), capped at 90 deg; for
    retrograde orbits the inclination is taken as 180 deg - i. Solar distance 1 AU.

    Parameters
    ----------
    altitude_m : float
        [m]
    inclination_rad : float
        [rad]
    n_beta : int, default 9
        Betas from 0 to the largest, evenly spaced [-].
    include_negative : bool, default True
        Add the negative betas (they differ for surfaces facing along the orbit normal).

    Returns
    -------
    list of OrbitGeometry
    """
    need(isinstance(n_beta, int) and n_beta >= 1, "n_beta", "an integer >= 1", n_beta)
    inc = min(abs(inclination_rad), math.pi - abs(inclination_rad))
    beta_max = min(inc + math.radians(23.44), 0.5 * math.pi)
    betas = list(np.linspace(0.0, beta_max, n_beta)) if n_beta > 1 else [0.0]
    if include_negative:
        betas += [-b for b in betas if b > 0.0]
    return [resolve_orbit(altitude_m, beta_rad=float(b)) for b in betas]


def orbit_cases_sun_synchronous(altitude_m: float, ltan_hours: float = 6.0, year: int = 2027,
                                n_epochs: int = 24) -> list[OrbitGeometry]:
    """A sun-synchronous orbit at evenly spaced epochs over a year (beta and solar distance).

    Parameters
    ----------
    altitude_m : float
        [m]
    ltan_hours : float, default 6
        Local time of the ascending node [h]; 6 or 18 for dawn-dusk.
    year : int, default 2027
    n_epochs : int, default 24
        Epochs, the first on 1 January at 12:00 UTC [-].

    Returns
    -------
    list of OrbitGeometry
    """
    need(isinstance(n_epochs, int) and n_epochs >= 1, "n_epochs", "an integer >= 1", n_epochs)
    start = _dt.datetime(year, 1, 1, 12, 0, tzinfo=_dt.timezone.utc)
    step = _dt.timedelta(days=365.2422 / n_epochs)
    return [resolve_orbit(altitude_m, ltan_hours=ltan_hours, epoch=start + i * step)
            for i in range(n_epochs)]


def _eclipse_s(geom: OrbitGeometry | None, env: EnvironmentConstants) -> float:
    if geom is None:
        return 0.0
    return float(sum(b - a for a, b in eclipse_intervals_s(geom, env.eclipse)))


# --------------------------------------------------------------------------------------------
# Design inputs
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComputeSpec:
    """What one GPU node is and what it draws.

    Parameters
    ----------
    gpu : GPU, default ``GPUS['H100-SXM']``
        GPU (TDP, junction limit, junction-to-coolant resistance).
    gpus_per_node : int, default 8
    node_overhead_W : float, default 4,600
        Non-GPU power of a node: CPUs, memory, NICs, NVSwitch, conversion [W]. DGX H100: 10.2 kW
        maximum system power minus 8 x 700 W (datasheet); it includes fans a cold-plate server
        does not need, so it is conservative.
    utilisation : float, default 1
        GPU power as a fraction of TDP [-].
    bus_load_fraction : float, default 0.03
        Spacecraft bus loads (avionics, pumps, attitude control, communications) as a fraction
        of the compute power [-]. ASSUMED: the pumps of a 10 K-rise water loop at 2 bar need
        about 1 % of the heat they carry.
    eclipse_compute_fraction : float, default 1
        Compute power in eclipse over that in sunlight [-] (1: the GPUs run through eclipse).
    """

    gpu: GPU = GPUS["H100-SXM"]
    gpus_per_node: int = 8
    node_overhead_W: float = 10_200.0 - 8 * 700.0
    utilisation: float = 1.0
    bus_load_fraction: float = 0.03
    eclipse_compute_fraction: float = 1.0

    def __post_init__(self):
        need(isinstance(self.gpu, GPU), "ComputeSpec.gpu", "a GPU", self.gpu)
        need(isinstance(self.gpus_per_node, int) and self.gpus_per_node >= 1,
              "ComputeSpec.gpus_per_node", "an integer >= 1", self.gpus_per_node)
        need(is_finite(self.node_overhead_W) and self.node_overhead_W >= 0,
              "ComputeSpec.node_overhead_W", "a power >= 0 W", self.node_overhead_W)
        for name in ("utilisation", "eclipse_compute_fraction"):
            v = getattr(self, name)
            need(is_finite(v) and 0 <= v <= 1, f"ComputeSpec.{name}", "a fraction in [0, 1]", v)
        need(is_finite(self.bus_load_fraction) and self.bus_load_fraction >= 0,
              "ComputeSpec.bus_load_fraction", "a fraction >= 0", self.bus_load_fraction)

    @property
    def gpu_power_W(self) -> float:
        """Power of one GPU [W]."""
        return self.gpu.tdp_W * self.utilisation

    @property
    def node_power_W(self) -> float:
        """Electric power of one node, all of it heat [W]."""
        return self.gpus_per_node * self.gpu_power_W + self.node_overhead_W


@dataclass(frozen=True)
class RadiatorSpec:
    """The radiator: coating, orientation, sizing basis and temperature.

    Parameters
    ----------
    coating : Coating or str, default 'osr'
        Coating of the radiating faces.
    two_sided : bool, default True
    facing : str or array_like, default 'edge_on'
        Front normal, :data:`FACINGS` or a body vector.
    attitude : {'nadir', 'sun'}, default 'nadir'
        Spacecraft attitude law.
    fin_efficiency : float, default 0.9
        [-] ASSUMED, typical of a fin-and-tube or heat-pipe panel designed for low mass
        (Gilmore 2002, ch. 6).
    basis : {'peak', 'orbit_average'}, default 'peak'
        Sizing environment (module docstring).
    end_of_life : bool, default True
        End-of-life absorptivity.
    temperature_K : float or None, default None
        Radiator temperature [K]; None: from the GPU junction limit through
        :class:`HeatTransportChain`.
    """

    coating: Coating | str = "osr"
    two_sided: bool = True
    facing: object = "edge_on"
    attitude: str = "nadir"
    fin_efficiency: float = 0.9
    basis: str = "peak"
    end_of_life: bool = True
    temperature_K: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "coating", _coating(self.coating))
        need(self.basis in SIZING_BASES, "RadiatorSpec.basis", f"one of {SIZING_BASES}", self.basis)
        need(is_finite(self.fin_efficiency) and 0 < self.fin_efficiency <= 1,
              "RadiatorSpec.fin_efficiency", "a fraction in (0, 1]", self.fin_efficiency)
        need(self.temperature_K is None or (is_finite(self.temperature_K) and self.temperature_K > 0),
              "RadiatorSpec.temperature_K", "None or a temperature > 0 K", self.temperature_K)
        if not isinstance(self.facing, str):
            object.__setattr__(self, "facing", tuple(float(v) for v in self.facing))


@dataclass(frozen=True)
class HeatTransportChain:
    """Junction -> cold plate -> pumped loop -> radiator (module docstring).

    Parameters
    ----------
    junction_margin_K : float, default 10
        Margin below the GPU's maximum operating junction temperature [K]. ASSUMED: the
        customary uncertainty margin on predicted temperatures before test correlation
        (cf. ECSS-E-ST-31C).
    junction_to_coolant_K_W : float or None, default None
        Junction to coolant supply, one GPU [K/W]; None: the GPU library value.
    coolant_rise_K : float, default 10
        Coolant temperature rise over the loop [K]. ASSUMED, typical of direct liquid cooling
        (5-15 K); 0 for a two-phase loop.
    coolant_to_radiator_K : float, default 0
        Fixed drop, e.g. an intermediate heat exchanger [K].
    radiator_conductance_W_m2K : float or None, default 100
        Coolant to radiating surface, per m^2 of panel [W/m^2/K]; None: ideal. ASSUMED order of
        magnitude for tubes or heat pipes bonded to a panel.
    """

    junction_margin_K: float = 10.0
    junction_to_coolant_K_W: float | None = None
    coolant_rise_K: float = 10.0
    coolant_to_radiator_K: float = 0.0
    radiator_conductance_W_m2K: float | None = 100.0

    def __post_init__(self):
        for name in ("junction_margin_K", "coolant_rise_K", "coolant_to_radiator_K"):
            v = getattr(self, name)
            need(is_finite(v) and v >= 0, f"HeatTransportChain.{name}", "a value >= 0", v)
        for name in ("junction_to_coolant_K_W", "radiator_conductance_W_m2K"):
            v = getattr(self, name)
            need(v is None or (is_finite(v) and v > 0), f"HeatTransportChain.{name}",
                  "None or a value > 0", v)

    def coolant_mean_K(self, compute: ComputeSpec) -> float:
        """Mean coolant temperature in the radiator at the junction limit, less the fixed
        interface drop: the temperature upstream of the area-dependent drop q_net / U [K]."""
        r_jc = self.junction_to_coolant_K_W
        r_jc = compute.gpu.junction_to_coolant_K_W if r_jc is None else r_jc
        return radiator_temperature_from_junction(
            compute.gpu.junction_limit_K, self.junction_margin_K, compute.gpu_power_W, r_jc,
            self.coolant_rise_K, self.coolant_to_radiator_K)


@dataclass(frozen=True)
class ArraySpec:
    """The solar array for sizing.

    Parameters
    ----------
    cell : SolarCell, default ``SOLAR_CELLS['XTJ-Prime']``
    pointing : {'sun_pointing', 'sun_tracking'}, default 'sun_pointing'
        See :data:`ARRAY_POINTINGS`.
    packing_factor : float, default 0.85
        Cell area / blanket area [-] (power.system default).
    operating_temperature_K : float, default 353.15
        Cell temperature in sunlight [K]: LEO arrays run near 80 degC (REFERENCE_DATA,
        secondary); conservative for a blanket radiating from both faces.
    wiring_loss : float, default 0.02
        [-] (power.system default, assumed).
    regulator_efficiency : float, default 0.97
        [-] (power.system default, assumed).
    end_of_life : bool, default True
        Size with the end-of-life factor after the mission (radiation and UV, power.solar_array).
    fluence_per_year_e_cm2 : float, default 1e14
        [1-MeV e/cm^2/year] (power.solar_array default).
    uv_darkening_per_year : float, default 0.005
        [1/year] (power.solar_array default).
    """

    cell: SolarCell = SOLAR_CELLS["XTJ-Prime"]
    pointing: str = "sun_pointing"
    packing_factor: float = 0.85
    operating_temperature_K: float = 353.15
    wiring_loss: float = 0.02
    regulator_efficiency: float = 0.97
    end_of_life: bool = True
    fluence_per_year_e_cm2: float = DEFAULT_FLUENCE_PER_YEAR_E_CM2
    uv_darkening_per_year: float = DEFAULT_UV_DARKENING_PER_YEAR

    def __post_init__(self):
        need(isinstance(self.cell, SolarCell), "ArraySpec.cell", "a SolarCell", self.cell)
        need(self.pointing in ARRAY_POINTINGS, "ArraySpec.pointing", f"one of {ARRAY_POINTINGS}",
              self.pointing)
        need(is_finite(self.packing_factor) and 0 < self.packing_factor <= 1,
              "ArraySpec.packing_factor", "a fraction in (0, 1]", self.packing_factor)
        need(is_finite(self.operating_temperature_K) and self.operating_temperature_K > 0,
              "ArraySpec.operating_temperature_K", "a temperature > 0 K", self.operating_temperature_K)
        need(is_finite(self.wiring_loss) and 0 <= self.wiring_loss < 1, "ArraySpec.wiring_loss",
              "a fraction in [0, 1)", self.wiring_loss)
        need(is_finite(self.regulator_efficiency) and 0 < self.regulator_efficiency <= 1,
              "ArraySpec.regulator_efficiency", "a fraction in (0, 1]", self.regulator_efficiency)

    def efficiency(self) -> float:
        """Cell efficiency at the operating temperature [-]."""
        c = self.cell
        return float(cell_efficiency(self.operating_temperature_K, c.efficiency_bol,
                                     c.temperature_coefficient_per_K, c.reference_temperature_K))

    def degradation_factor(self, mission_years: float) -> float:
        """End-of-life factor after ``mission_years`` (1 when sizing at beginning of life) [-]."""
        if not self.end_of_life:
            return 1.0
        return float(cell_end_of_life_factor(self.cell, mission_years, self.fluence_per_year_e_cm2,
                                              self.uv_darkening_per_year))

    def cos_incidence(self, geom: OrbitGeometry | None) -> float:
        """Mean cosine of incidence in sunlight [-]."""
        if self.pointing == "sun_pointing" or geom is None:
            return 1.0
        return abs(math.cos(geom.beta_rad))


@dataclass(frozen=True)
class BatterySpec:
    """The battery for sizing.

    Parameters
    ----------
    cell : BatteryCell, default ``BATTERY_CELLS['VES180']``
    max_depth_of_discharge : float, default 0.30
        [-] The VES180 life reference (< 20 % loss in 5 years of LEO cycling at 30 %).
    end_of_life : bool, default True
        Size with the capacity remaining after the mission (power.battery fade law).
    """

    cell: BatteryCell = BATTERY_CELLS["VES180"]
    max_depth_of_discharge: float = 0.30
    end_of_life: bool = True

    def __post_init__(self):
        need(isinstance(self.cell, BatteryCell), "BatterySpec.cell", "a BatteryCell", self.cell)
        need(is_finite(self.max_depth_of_discharge) and 0 < self.max_depth_of_discharge <= 1,
              "BatterySpec.max_depth_of_discharge", "a fraction in (0, 1]",
              self.max_depth_of_discharge)

    def remaining_fraction(self, mission_years: float) -> float:
        """Capacity left at the sizing epoch over nameplate [-]."""
        if not self.end_of_life:
            return 1.0
        return float(capacity_remaining_fraction(mission_years, self.max_depth_of_discharge, self.cell))


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseSizing:
    """One module sized for one orbit case.

    Attributes
    ----------
    beta_rad : float
        [rad]
    solar_distance_au : float
        [AU]
    eclipse_s : float
        Eclipse duration, penumbra included [s].
    period_s : float
        [s]
    heat_W : float
        Heat the radiator rejects [W].
    absorbed_total_W_m2 : float
        Absorbed flux (all sides) on the sizing basis [W/m^2].
    radiator_temperature_K : float
        [K]
    radiator_area_m2 : float
        [m^2]
    array_area_m2 : float
        [m^2]
    battery_capacity_Wh : float
        [Wh]
    """

    beta_rad: float
    solar_distance_au: float
    eclipse_s: float
    period_s: float
    heat_W: float
    absorbed_total_W_m2: float
    radiator_temperature_K: float
    radiator_area_m2: float
    array_area_m2: float
    battery_capacity_Wh: float


@dataclass(frozen=True)
class ModuleDesign:
    """One spacecraft (module) of a design, sized by the worst of the orbit cases.

    Attributes
    ----------
    node_count : int
        GPU nodes carried [-].
    gpu_count : int
        [-]
    compute_power_W : float
        Electric power of the compute (IT power) [W].
    bus_load_W : float
        Bus loads [W].
    eclipse_load_W : float
        Load carried by the battery in eclipse [W].
    heat_rejection_W : float
        Heat the radiator is sized for [W].
    radiator_temperature_K : float
        Of the case that sized the radiator [K].
    radiator_area_m2 : float
        Panel area [m^2].
    array_area_m2 : float
        [m^2]
    array_bol_power_W : float
        Beginning-of-life power at AM0, 28 degC, 1361 W/m^2 (for the W/kg mass rule) [W].
    battery_capacity_Wh : float
        Nameplate capacity [Wh].
    mass_breakdown_kg : dict
        compute, radiator, heat_transport, solar_array, battery, structure, margin [kg].
    cases : tuple of CaseSizing
        Per orbit case.
    """

    node_count: int
    gpu_count: int
    compute_power_W: float
    bus_load_W: float
    eclipse_load_W: float
    heat_rejection_W: float
    radiator_temperature_K: float
    radiator_area_m2: float
    array_area_m2: float
    array_bol_power_W: float
    battery_capacity_Wh: float
    mass_breakdown_kg: dict
    cases: tuple = field(repr=False, default=())

    @property
    def mass_kg(self) -> float:
        """Total launch mass, sum of the breakdown [kg]."""
        return float(sum(self.mass_breakdown_kg.values()))


class _ModuleTotal:
    """Read-only attribute of a :class:`Design`: ``module_count`` times the module's attribute
    of the same name."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, design, owner=None):
        if design is None:
            return self
        return design.module_count * getattr(design.module, self.name)

    def __set__(self, design, value):
        raise AttributeError(f"Design.{self.name}: a total over the modules, not settable")


@dataclass(frozen=True)
class Design:
    """A design: ``module_count`` identical modules.

    Attributes
    ----------
    module : ModuleDesign
    module_count : int
    target : dict
        What was asked: ``{'compute_power_W': ...}``, ``{'gpu_count': ...}`` or
        ``{'heat_rejection_W': ...}``.
    launch : LaunchOptions
        Launcher the modules were sized to fit.
    max_module_mass_kg : float
        Largest module allowed [kg].
    radiator_sizing_basis : str
    mission_years : float
    node_count, gpu_count : int
        Totals over the modules [-].
    compute_power_W, heat_rejection_W, radiator_area_m2, array_area_m2, battery_capacity_Wh,
    mass_kg : float
        Totals over the modules (``module_count`` times the module's) [W, m^2, Wh, kg].
    mass_breakdown_kg : dict
        Totals over the modules by item [kg].
    """

    module: ModuleDesign
    module_count: int
    target: dict
    launch: LaunchOptions
    max_module_mass_kg: float
    radiator_sizing_basis: str
    mission_years: float

    # not annotated, so not dataclass fields
    node_count = _ModuleTotal()
    gpu_count = _ModuleTotal()
    compute_power_W = _ModuleTotal()
    heat_rejection_W = _ModuleTotal()
    radiator_area_m2 = _ModuleTotal()
    array_area_m2 = _ModuleTotal()
    battery_capacity_Wh = _ModuleTotal()
    mass_kg = _ModuleTotal()

    @property
    def mass_breakdown_kg(self) -> dict:
        return {k: self.module_count * v for k, v in self.module.mass_breakdown_kg.items()}

    def launch_count(self, launch: LaunchOptions | None = None) -> int:
        """Launches needed on a vehicle (default the one sized for) [-]."""
        return launch_count(self.module_count, self.module.mass_kg,
                            self.launch if launch is None else launch)


# --------------------------------------------------------------------------------------------
# Sizing
# --------------------------------------------------------------------------------------------
def _as_cases(orbits) -> list:
    if orbits is None or isinstance(orbits, OrbitGeometry):
        return [orbits]
    cases = list(orbits)
    need(len(cases) > 0 and all(g is None or isinstance(g, OrbitGeometry) for g in cases), "orbits",
          "an OrbitGeometry, a non-empty sequence of them, or None (deep space)", orbits)
    return cases


def _size_case(geom, node_count, *, env, compute, radiator, transport, array, battery,
               mission_years, heat_override_W, n_time) -> CaseSizing:
    compute_W = node_count * compute.node_power_W
    bus_W = compute.bus_load_fraction * compute_W
    load_sun = compute_W + bus_W
    load_ecl = compute.eclipse_compute_fraction * compute_W + bus_W
    period = geom.period_s if geom is not None else 5400.0
    eclipse = _eclipse_s(geom, env)
    cell = battery.cell
    eta_c, eta_d = cell.charge_efficiency, cell.discharge_efficiency
    solar = env.solar_constant_W_m2 / (geom.solar_distance_au ** 2 if geom is not None else 1.0)

    # array: the orbit energy balance (power.sizing)
    eta = array.efficiency()
    degradation = array.degradation_factor(mission_years)
    area_array = required_array_area_m2(
        load_sun, period, eclipse, cell_efficiency=eta, charge_efficiency=eta_c,
        discharge_efficiency=eta_d, eclipse_load_W=load_ecl, solar_irradiance_W_m2=solar,
        cos_incidence=array.cos_incidence(geom), packing_factor=array.packing_factor,
        degradation_factor=degradation, wiring_loss=array.wiring_loss,
        regulator_efficiency=array.regulator_efficiency)
    p_bus_sun = required_sunlit_bus_power_W(load_sun, load_ecl, period, eclipse, eta_c, eta_d)

    # battery: eclipse energy at the DoD floor, end-of-life capacity, and the C-rate limits
    capacity = 0.0
    if eclipse > 0.0:
        capacity = required_battery_capacity_Wh(
            load_ecl, eclipse, battery.max_depth_of_discharge, eta_d,
            battery.remaining_fraction(mission_years))
        charge_W = p_bus_sun - load_sun
        capacity = max(capacity, charge_W / cell.max_c_rate_charge,
                       load_ecl / cell.max_c_rate_discharge)

    # heat: all electric power in the spacecraft ends in the radiator
    path = (1.0 - array.wiring_loss) * array.regulator_efficiency
    heat_sun = load_sun + (1.0 - eta_c) * (p_bus_sun - load_sun) + p_bus_sun * (1.0 / path - 1.0)
    heat_ecl = load_ecl / eta_d if eclipse > 0.0 else 0.0
    heat = max(heat_sun, heat_ecl) if heat_override_W is None else heat_override_W

    # radiator temperature and area
    absorbed = environment_absorbed_W_m2(geom, env, radiator.attitude, radiator.facing,
                                         radiator.coating, radiator.end_of_life,
                                         two_sided=radiator.two_sided, n_time=n_time)
    eps = radiator.coating.emissivity
    if radiator.temperature_K is not None:
        t_rad = radiator.temperature_K
        constraint = f"given radiator temperature {t_rad:.1f} K"
    else:
        coolant = transport.coolant_mean_K(compute)
        constraint = (f"GPU junction limit {compute.gpu.junction_limit_K:.1f} K less "
                      f"{transport.junction_margin_K:.1f} K margin (mean coolant {coolant:.1f} K)")
        t_rad = radiator_temperature_for_loop_K(
            coolant, transport.radiator_conductance_W_m2K, eps, absorbed, radiator.two_sided,
            radiator.fin_efficiency, basis=radiator.basis, constraint=constraint)
    area_rad = radiator_area_m2(heat, t_rad, eps, absorbed, radiator.two_sided,
                                radiator.fin_efficiency, basis=radiator.basis, constraint=constraint)
    return CaseSizing(
        beta_rad=geom.beta_rad if geom is not None else 0.5 * math.pi,
        solar_distance_au=geom.solar_distance_au if geom is not None else 1.0,
        eclipse_s=eclipse, period_s=period, heat_W=heat,
        absorbed_total_W_m2=absorbed.sizing_total_W_m2(radiator.basis),
        radiator_temperature_K=t_rad, radiator_area_m2=area_rad, array_area_m2=area_array,
        battery_capacity_Wh=capacity)


def _mass_breakdown_kg(node_count, heat_W, radiator_area, array_area, array_bol_W, capacity_Wh,
                       *, masses: SpecificMasses, array: ArraySpec, battery: BatterySpec) -> dict:
    if masses.array_W_kg is None:
        array_kg = float(array_mass_kg(array_area, array.cell))
    else:
        array_kg = array_bol_W / masses.array_W_kg
    if masses.battery_pack_Wh_kg is None:
        battery_kg = float(battery_mass_kg(capacity_Wh, battery.cell))
    else:
        battery_kg = capacity_Wh / masses.battery_pack_Wh_kg
    items = {
        "compute": node_count * masses.compute_kg_per_node,
        "radiator": radiator_area * masses.radiator_kg_m2,
        "heat_transport": heat_W / 1000.0 * masses.heat_transport_kg_per_kW,
        "solar_array": array_kg,
        "battery": battery_kg,
    }
    items["structure"] = masses.structure_fraction * sum(items.values())
    items["margin"] = masses.margin_fraction * sum(items.values())
    return items


def size_module(orbits, node_count: int, *, env: EnvironmentConstants = EnvironmentConstants(),
                compute: ComputeSpec = ComputeSpec(), radiator: RadiatorSpec = RadiatorSpec(),
                transport: HeatTransportChain = HeatTransportChain(), array: ArraySpec = ArraySpec(),
                battery: BatterySpec = BatterySpec(), masses: SpecificMasses = SpecificMasses(),
                mission_years: float = 5.0, heat_rejection_W: float | None = None,
                n_time: int = 360) -> ModuleDesign:
    """Size one module carrying a number of GPU nodes, for the worst of the orbit cases.

    Each subsystem takes its own worst case: the radiator the largest area (hot environment,
    or the lowest radiator temperature), the array the largest area (longest eclipse, lowest
    irradiance), the battery the largest capacity.

    Parameters
    ----------
    orbits : OrbitGeometry, sequence of OrbitGeometry, or None
        Orbit case(s); None for deep space (no eclipse, no Earth).
    node_count : int
        GPU nodes in the module [-].
    env, compute, radiator, transport, array, battery, masses
        Inputs, see :func:`size_design`.
    mission_years : float, default 5
        [year]
    heat_rejection_W : float, optional
        Heat the radiator is sized for [W]; default the module's own heat.
    n_time : int, default 360
        Samples per orbit for the environment [-].

    Returns
    -------
    ModuleDesign
    """
    need(isinstance(node_count, (int, np.integer)) and node_count >= 1, "node_count",
          "an integer >= 1", node_count)
    need(is_finite(mission_years) and mission_years >= 0, "mission_years", "years >= 0", mission_years)
    cases = tuple(
        _size_case(g, int(node_count), env=env, compute=compute, radiator=radiator,
                   transport=transport, array=array, battery=battery, mission_years=mission_years,
                   heat_override_W=heat_rejection_W, n_time=n_time)
        for g in _as_cases(orbits))
    rad_case = max(cases, key=lambda c: c.radiator_area_m2)
    array_area = max(c.array_area_m2 for c in cases)
    capacity = max(c.battery_capacity_Wh for c in cases)
    heat = max(c.heat_W for c in cases)
    compute_W = node_count * compute.node_power_W
    bus_W = compute.bus_load_fraction * compute_W
    cell = array.cell
    bol_W = array_area * SOLAR_CONSTANT_W_M2 * array.packing_factor * cell.efficiency_bol
    breakdown = _mass_breakdown_kg(node_count, heat, rad_case.radiator_area_m2, array_area, bol_W,
                                   capacity, masses=masses, array=array, battery=battery)
    return ModuleDesign(
        node_count=int(node_count),
        gpu_count=int(node_count) * compute.gpus_per_node,
        compute_power_W=compute_W,
        bus_load_W=bus_W,
        eclipse_load_W=compute.eclipse_compute_fraction * compute_W + bus_W,
        heat_rejection_W=heat,
        radiator_temperature_K=rad_case.radiator_temperature_K,
        radiator_area_m2=rad_case.radiator_area_m2,
        array_area_m2=array_area,
        array_bol_power_W=bol_W,
        battery_capacity_Wh=capacity,
        mass_breakdown_kg=breakdown,
        cases=cases,
    )


def size_design(orbits, *, target_compute_W: float | None = None, gpu_count: int | None = None,
                heat_rejection_W: float | None = None,
                env: EnvironmentConstants = EnvironmentConstants(),
                compute: ComputeSpec = ComputeSpec(), radiator: RadiatorSpec = RadiatorSpec(),
                transport: HeatTransportChain = HeatTransportChain(), array: ArraySpec = ArraySpec(),
                battery: BatterySpec = BatterySpec(), masses: SpecificMasses = SpecificMasses(),
                mission_years: float = 5.0, launch: LaunchOptions = STARSHIP_NEAR_TERM,
                max_module_mass_kg: float | None = None, max_module_power_W: float | None = None,
                n_time: int = 360) -> Design:
    """Size an orbital data centre for a compute target: radiator, array, battery, mass, modules.

    The target is turned into whole GPU nodes (rounded up for compute power and GPU count; for
    a heat-rejection target, the most nodes whose heat fits, with the radiator sized for the
    target heat). The nodes are split into the fewest identical modules that each respect
    ``max_module_mass_kg`` and ``max_module_power_W``; every quantity of the design is
    ``module_count x`` the module's, so the total may carry up to ``module_count - 1`` nodes
    more than asked.

    Parameters
    ----------
    orbits : OrbitGeometry, sequence of OrbitGeometry, or None
        Orbit case(s) to size for (see :func:`orbit_cases_beta_sweep`,
        :func:`orbit_cases_sun_synchronous`); None for deep space.
    target_compute_W : float, optional
        Compute (IT) electric power [W]. Give exactly one of the three targets.
    gpu_count : int, optional
        GPUs [-].
    heat_rejection_W : float, optional
        Heat to reject [W].
    env : EnvironmentConstants
        Environment.
    compute : ComputeSpec
        Node definition.
    radiator : RadiatorSpec
        Radiator coating, orientation, basis, temperature.
    transport : HeatTransportChain
        Junction-to-radiator chain, used when ``radiator.temperature_K`` is None.
    array : ArraySpec
        Solar array.
    battery : BatterySpec
        Battery.
    masses : SpecificMasses
        Specific masses.
    mission_years : float, default 5
        End-of-life epoch for the array and battery [year].
    launch : LaunchOptions, default :data:`thermal.economics.STARSHIP_NEAR_TERM`
        Launcher; its payload is the default largest module.
    max_module_mass_kg : float, optional
        Largest module [kg]; default ``launch.payload_kg``.
    max_module_power_W : float, optional
        Largest compute power per module [W]; default unlimited.
    n_time : int, default 360
        Samples per orbit [-].

    Returns
    -------
    Design

    Raises
    ------
    SizingInfeasibleError
        The radiator cannot reject heat at its temperature, or a single node exceeds a module
        limit.
    """
    given = {k: v for k, v in (("compute_power_W", target_compute_W), ("gpu_count", gpu_count),
                               ("heat_rejection_W", heat_rejection_W)) if v is not None}
    need(len(given) == 1, "target", "exactly one of target_compute_W, gpu_count, heat_rejection_W",
          given or None)
    (kind, value), = given.items()
    need(is_finite(value) and value > 0, f"target {kind}", "a positive number", value)
    max_mass = launch.payload_kg if max_module_mass_kg is None else float(max_module_mass_kg)
    need(is_finite(max_mass) and max_mass > 0, "max_module_mass_kg", "a mass > 0 kg", max_module_mass_kg)
    kw = dict(env=env, compute=compute, radiator=radiator, transport=transport, array=array,
              battery=battery, masses=masses, mission_years=mission_years, n_time=n_time)
    cases = _as_cases(orbits)

    heat_per_node = None
    if kind == "compute_power_W":
        nodes = math.ceil(value / compute.node_power_W * (1.0 - 1e-12))
    elif kind == "gpu_count":
        nodes = math.ceil(value / compute.gpus_per_node)
    else:
        one = size_module(cases, 1, **kw)
        nodes = math.floor(value / one.heat_rejection_W * (1.0 + 1e-12))
        if nodes < 1:
            raise SizingInfeasibleError(
                f"heat_rejection target {value:.0f} W is below the heat of one GPU node "
                f"({one.heat_rejection_W:.0f} W)", constraint="heat_rejection target")
        heat_per_node = value / nodes
    nodes = max(1, int(nodes))

    def module(k):
        heat = None if heat_per_node is None else heat_per_node * k
        return size_module(cases, k, heat_rejection_W=heat, **kw)

    # every quantity is proportional to the node count: the per-node module sets the split
    per_node = module(1)
    limit_mass = math.floor(max_mass / per_node.mass_kg * (1.0 + 1e-12))
    if limit_mass < 1:
        raise SizingInfeasibleError(
            f"one GPU node needs a {per_node.mass_kg:,.0f} kg module, more than the largest "
            f"module allowed (max_module_mass_kg = {max_mass:,.0f} kg)",
            constraint="max_module_mass_kg")
    limit = limit_mass
    if max_module_power_W is not None:
        limit_power = math.floor(max_module_power_W / compute.node_power_W * (1.0 + 1e-12))
        if limit_power < 1:
            raise SizingInfeasibleError(
                f"one GPU node draws {compute.node_power_W:,.0f} W, more than the largest module "
                f"power allowed (max_module_power_W = {max_module_power_W:,.0f} W)",
                constraint="max_module_power_W")
        limit = min(limit, limit_power)
    module_count = math.ceil(nodes / limit)
    if heat_per_node is None:
        per_module = math.ceil(nodes / module_count)
        mod = module(per_module) if per_module > 1 else per_node
    else:  # never more heat than the target; the radiators carry exactly the target in total
        per_module = nodes // module_count
        mod = size_module(cases, per_module, heat_rejection_W=value / module_count, **kw)
    return Design(module=mod, module_count=module_count, target={kind: value}, launch=launch,
                  max_module_mass_kg=max_mass, radiator_sizing_basis=radiator.basis,
                  mission_years=mission_years)
