"""Battery: state of charge over time, limits, losses and capacity fade.

Time discretisation (used throughout the package)
--------------------------------------------------
Sample ``k`` of every input holds constant over the step ``[t_k, t_k + dt_k)``
(piecewise-constant power).  Within a step the stored energy is integrated *exactly*: the step
is split at the instants where the battery becomes full, reaches the throttle floor or reaches
the depth-of-discharge floor, and each piece has constant charge/discharge power.  Reported
powers are averages over the step; ``soc_start[k]`` is the state of charge at ``t_k`` and
``soc_end`` the one after the last step.

Energy bookkeeping, per step and in total::

    E_charge - E_discharge - E_loss = E_stored(end) - E_stored(start)

with ``E_charge`` the energy into the battery terminals, ``E_discharge`` the energy out of them,
``E_loss = (1 - eta_c) E_charge + (1/eta_d - 1) E_discharge`` the battery's own heat.

Bus balance, per step: ``array = load_delivered + charge - discharge + shunt``.

References
----------
.. [1] J. Wang et al., "Cycle-life model for graphite-LiFePO4 cells", J. Power Sources 196
   (2011) 3942-3948, doi:10.1016/j.jpowsour.2010.11.134 (fade follows charge throughput).
.. [2] M. A. Miner, "Cumulative damage in fatigue", J. Appl. Mech. 12 (1945) A159-A164
   (linear damage summation, used for partial cycles).
.. [3] ESA ARTES, Saft VES180 project page; ESA Bulletin 90 (5,500 LEO cycles a year).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .cells import LEO_CYCLES_PER_YEAR, BatteryCell

__all__ = [
    "BatteryDispatch",
    "dispatch_battery",
    "step_durations_s",
    "cycles_to_fade",
    "discharge_cycle_depths",
    "capacity_fade_fraction",
    "capacity_remaining_fraction",
    "within_operating_range",
]

_J_PER_WH = 3600.0


@dataclass(frozen=True)
class BatteryDispatch:
    """Result of :func:`dispatch_battery`; arrays have shape (N,), powers are step averages.

    Attributes
    ----------
    step_s : numpy.ndarray
        Step durations [s].
    soc_start : numpy.ndarray
        State of charge at the start of each step [-].
    soc_end : float
        State of charge after the last step [-].
    energy_start_Wh : numpy.ndarray
        Stored energy at the start of each step [Wh].
    energy_end_Wh : float
        Stored energy after the last step [Wh].
    charge_W : numpy.ndarray
        Power into the battery terminals [W].
    discharge_W : numpy.ndarray
        Power out of the battery terminals [W].
    loss_W : numpy.ndarray
        Battery heat, charge plus discharge losses [W].
    shunt_W : numpy.ndarray
        Surplus array power not used (battery full or charge limit) [W].
    throttled_W : numpy.ndarray
        Throttleable load not served, on purpose, to hold the throttle floor or a power limit [W].
    unserved_W : numpy.ndarray
        Load not served although demanded: battery at its depth-of-discharge floor or at its
        discharge limit [W].
    """

    step_s: np.ndarray
    soc_start: np.ndarray
    soc_end: float
    energy_start_Wh: np.ndarray
    energy_end_Wh: float
    charge_W: np.ndarray
    discharge_W: np.ndarray
    loss_W: np.ndarray
    shunt_W: np.ndarray
    throttled_W: np.ndarray
    unserved_W: np.ndarray


def step_durations_s(time_s, period_s=None):
    """Durations of the piecewise-constant steps of a time series.

    ``dt_k = t_{k+1} - t_k``; the last sample holds until ``t_0 + period_s`` when a period is
    given (one orbit sampled on ``[0, P)``), else for as long as the step before it.

    Parameters
    ----------
    time_s : array_like, shape (N,)
        Strictly increasing sample times [s].
    period_s : float, optional
        Length of the time series when it is one period [s].

    Returns
    -------
    numpy.ndarray, shape (N,)
        Step durations [s].
    """
    t = np.asarray(time_s, dtype=float)
    if t.ndim != 1 or t.size < 1:
        raise ValueError(f"time_s: expected a 1-D array with at least one sample, got shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise ValueError("time_s: contains non-finite values")
    d = np.diff(t)
    if np.any(d <= 0):
        raise ValueError("time_s: expected strictly increasing times")
    if period_s is not None:
        last = t[0] + float(period_s) - t[-1]
        if not last > 0:
            raise ValueError(f"period_s: expected > time_s[-1] - time_s[0] = {t[-1] - t[0]!r}, "
                             f"got {period_s!r}")
    elif t.size > 1:
        last = d[-1]
    else:
        raise ValueError("period_s: needed when time_s has a single sample")
    return np.append(d, last)


@dataclass(frozen=True)
class _Limits:
    """Energy levels [J] and limits of one dispatch, as :func:`dispatch_battery` derives them."""

    E_max: float        # stored energy at 100 % state of charge [J]
    E_hard: float       # depth-of-discharge floor [J]
    E_thr: float        # throttle floor [J]
    tol: float          # energy within which a level counts as reached [J]
    eta_c: float        # charge efficiency [-]
    eta_d: float        # discharge efficiency [-]
    max_charge_W: float
    max_discharge_W: float


class _Piece(NamedTuple):
    """Constant powers over one piece of a step [W], and the event that may end it early."""

    charge_W: float = 0.0
    discharge_W: float = 0.0
    shunt_W: float = 0.0
    throttled_W: float = 0.0
    unserved_W: float = 0.0
    event_s: float = float("inf")   # time until the stored energy reaches target_J [s]
    target_J: float | None = None   # energy level that ends the piece: full, a floor [J]


def _check_dispatch_inputs(dt, Pa, Pf, Pt, capacity_Wh, initial_soc, min_soc, throttle_soc,
                           charge_efficiency, discharge_efficiency, max_charge_W, max_discharge_W):
    """Raise ValueError, naming the argument, on inputs :func:`dispatch_battery` cannot take."""
    for name, arr in (("step_s", dt), ("array_power_W", Pa), ("fixed_load_W", Pf),
                      ("throttleable_load_W", Pt)):
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise ValueError(f"{name}: expected finite values >= 0")
    if not capacity_Wh > 0:
        raise ValueError(f"capacity_Wh: expected > 0, got {capacity_Wh!r}")
    if not 0.0 <= min_soc <= throttle_soc <= 1.0:
        raise ValueError(f"min_soc, throttle_soc: expected 0 <= min_soc <= throttle_soc <= 1, "
                         f"got {min_soc!r}, {throttle_soc!r}")
    if not 0.0 <= initial_soc <= 1.0:
        raise ValueError(f"initial_soc: expected a fraction in [0, 1], got {initial_soc!r}")
    eta_c, eta_d = float(charge_efficiency), float(discharge_efficiency)
    if not (0 < eta_c <= 1 and 0 < eta_d <= 1):
        raise ValueError(f"charge/discharge efficiency: expected in (0, 1], got {eta_c!r}, {eta_d!r}")
    if not (max_charge_W >= 0 and max_discharge_W >= 0):
        raise ValueError(f"max_charge_W, max_discharge_W: expected >= 0, got "
                         f"{max_charge_W!r}, {max_discharge_W!r}")


def _discharge_to_hard_floor(lim: _Limits, E, demand_W, throttled_W) -> _Piece:
    """Discharge towards the depth-of-discharge floor for ``demand_W``; what the discharge limit
    or the floor leaves is unserved."""
    p_d = 0.0
    t_event, target = float("inf"), None
    if E > lim.E_hard + lim.tol:
        p_d = min(demand_W, lim.max_discharge_W)
        if p_d > 0.0:
            t_event, target = (E - lim.E_hard) * lim.eta_d / p_d, lim.E_hard
    return _Piece(discharge_W=p_d, throttled_W=throttled_W, unserved_W=demand_W - p_d,
                  event_s=t_event, target_J=target)


def _piece_below_floor(lim: _Limits, E, avail_W, pt) -> _Piece:
    """Below the throttle floor: throttleable load off, surplus recharges the battery first, up to
    the throttle floor; what the charge limit leaves goes back to the throttleable load, then shunt.
    ``avail_W`` is the array power less the fixed load."""
    if avail_W >= 0.0:
        p_c = min(avail_W, lim.max_charge_W)
        give_back = min(avail_W - p_c, pt)
        t_event, target = float("inf"), None
        if p_c > 0.0:
            t_event, target = (lim.E_thr - E) / (lim.eta_c * p_c), lim.E_thr
        return _Piece(charge_W=p_c, shunt_W=avail_W - p_c - give_back, throttled_W=pt - give_back,
                      event_s=t_event, target_J=target)
    return _discharge_to_hard_floor(lim, E, -avail_W, pt)


def _piece_surplus(lim: _Limits, E, net_W) -> _Piece:
    """At or above the throttle floor with the whole load served: charge until full, shunt the rest."""
    p_c = 0.0
    t_event, target = float("inf"), None
    if E < lim.E_max - lim.tol:
        p_c = min(net_W, lim.max_charge_W)
        if p_c > 0.0:
            t_event, target = (lim.E_max - E) / (lim.eta_c * p_c), lim.E_max
    return _Piece(charge_W=p_c, shunt_W=net_W - p_c, event_s=t_event, target_J=target)


def _piece_above_floor(lim: _Limits, E, deficit_W, pt) -> _Piece:
    """Above the throttle floor with a deficit: discharge down to the throttle floor; beyond the
    discharge limit the throttleable load is cut first, then the rest is unserved."""
    p_d = min(deficit_W, lim.max_discharge_W)
    excess = deficit_W - p_d
    thr = min(excess, pt)
    t_event, target = float("inf"), None
    if p_d > 0.0:
        t_event, target = (E - lim.E_thr) * lim.eta_d / p_d, lim.E_thr
    return _Piece(discharge_W=p_d, throttled_W=thr, unserved_W=excess - thr, event_s=t_event,
                  target_J=target)


def _piece_at_floor(lim: _Limits, E, deficit_W, pt) -> _Piece:
    """At the throttle floor with a deficit: cut the throttleable load just enough that the battery
    holds there; only the rest of the fixed load discharges it, down to the hard floor."""
    thr = min(deficit_W, pt)
    rest = deficit_W - thr
    if rest > 0.0:
        return _discharge_to_hard_floor(lim, E, rest, thr)
    return _Piece(throttled_W=thr)


def _piece(lim: _Limits, E, pa, pf, pt) -> _Piece:
    """The policy over the next piece of a step, from the stored energy ``E`` [J] and the array,
    fixed and throttleable powers [W]."""
    if E < lim.E_thr - lim.tol:
        return _piece_below_floor(lim, E, pa - pf, pt)
    net = pa - pf - pt
    if net >= 0.0:
        return _piece_surplus(lim, E, net)
    if E > lim.E_thr + lim.tol:
        return _piece_above_floor(lim, E, -net, pt)
    return _piece_at_floor(lim, E, -net, pt)


def _advance(lim: _Limits, E, piece: _Piece, remaining_s):
    """(duration [s], stored energy at its end [J], energy charged, energy discharged [J]) of one
    piece: up to its event when that comes within ``remaining_s``, else to the end of the step."""
    if piece.event_s < remaining_s:
        tau = piece.event_s
        dE = piece.target_J - E
        E = piece.target_J
        if dE >= 0.0:
            ec = dE / lim.eta_c
            ed = 0.0
        else:
            ec = 0.0
            ed = -dE * lim.eta_d
    else:
        tau = remaining_s
        ec = piece.charge_W * tau
        ed = piece.discharge_W * tau
        E = E + lim.eta_c * ec - ed / lim.eta_d
        E = min(max(E, 0.0), lim.E_max)
    return tau, E, ec, ed


#: The energies over a step that :func:`_integrate_step` returns, in its order.
_STEP_ENERGIES = ("charge", "discharge", "loss", "shunt", "throttled", "unserved")


def _integrate_step(lim: _Limits, E, pa, pf, pt, step_s, k):
    """Stored energy after step ``k`` [J] and the energies over it [J], as :data:`_STEP_ENERGIES`:
    the step is split into pieces at the events of :func:`_piece`, each advanced exactly."""
    remaining = step_s
    e_c = e_d = e_loss = e_shunt = e_thr = e_uns = 0.0
    for _ in range(12):  # a step splits into at most a few pieces; guard against loops
        if remaining <= 0.0:
            break
        piece = _piece(lim, E, pa, pf, pt)
        tau, E, ec, ed = _advance(lim, E, piece, remaining)
        e_c += ec
        e_d += ed
        e_loss += (1.0 - lim.eta_c) * ec + (1.0 / lim.eta_d - 1.0) * ed
        # shunt follows the bus balance of this piece so that it closes exactly
        e_shunt += piece.shunt_W * tau + (piece.charge_W * tau - ec)
        e_thr += piece.throttled_W * tau
        e_uns += piece.unserved_W * tau
        remaining -= tau
    if remaining > 0.0:
        raise RuntimeError(f"dispatch_battery: step {k} did not resolve in 12 pieces")
    return E, (e_c, e_d, e_loss, e_shunt, e_thr, e_uns)


def dispatch_battery(step_s, array_power_W, fixed_load_W, throttleable_load_W, capacity_Wh,
                     initial_soc, min_soc, throttle_soc, charge_efficiency, discharge_efficiency,
                     max_charge_W, max_discharge_W):
    """Integrate the battery over piecewise-constant steps: charge, discharge, shunt, throttle.

    Policy, at every instant:

    * surplus (array > demand): charge at up to ``max_charge_W`` until full; the rest is shunted;
    * deficit: discharge at up to ``max_discharge_W`` while the stored energy is above the
      throttle floor; beyond the discharge limit the throttleable load is cut first, then the
      rest is unserved;
    * at the throttle floor (``throttle_soc``), the throttleable load is cut *just enough* that
      the battery holds there; only the fixed load may take the battery below it, down to the
      hard floor ``min_soc`` (= 1 - max depth of discharge), where whatever is still missing is
      unserved;
    * below the throttle floor the throttleable load is cut fully and surplus recharges the
      battery first; what the charge limit leaves goes back to the throttleable load, then shunt.

    With ``throttleable_load_W = 0`` and ``throttle_soc = min_soc`` this is the plain policy: the
    battery stops at its floor and the deficit is unserved.

    Parameters
    ----------
    step_s : array_like, shape (N,)
        Step durations [s].
    array_power_W : array_like, shape (N,)
        Array power available at the bus [W].
    fixed_load_W : array_like, shape (N,)
        Demand that is never throttled [W].
    throttleable_load_W : array_like, shape (N,)
        Demand that may be cut to hold the throttle floor [W].
    capacity_Wh : float
        Usable energy capacity at 100 % state of charge [Wh].
    initial_soc : float
        State of charge at the start [-].
    min_soc : float
        Hard floor, 1 - maximum depth of discharge [-].
    throttle_soc : float
        Floor that throttling holds; >= ``min_soc`` [-].
    charge_efficiency, discharge_efficiency : float
        Energy efficiencies [-].
    max_charge_W : float
        Charge power limit at the terminals [W].
    max_discharge_W : float
        Discharge power limit at the terminals [W].

    Returns
    -------
    BatteryDispatch
    """
    dt = np.asarray(step_s, dtype=float)
    n = dt.size
    Pa = np.broadcast_to(np.asarray(array_power_W, dtype=float), (n,))
    Pf = np.broadcast_to(np.asarray(fixed_load_W, dtype=float), (n,))
    Pt = np.broadcast_to(np.asarray(throttleable_load_W, dtype=float), (n,))
    _check_dispatch_inputs(dt, Pa, Pf, Pt, capacity_Wh, initial_soc, min_soc, throttle_soc,
                           charge_efficiency, discharge_efficiency, max_charge_W, max_discharge_W)

    E_max = capacity_Wh * _J_PER_WH
    lim = _Limits(E_max=E_max, E_hard=min_soc * E_max, E_thr=throttle_soc * E_max, tol=1e-12 * E_max,
                  eta_c=float(charge_efficiency), eta_d=float(discharge_efficiency),
                  max_charge_W=max_charge_W, max_discharge_W=max_discharge_W)
    E = initial_soc * E_max

    E0 = np.zeros(n)
    out = {key: np.zeros(n) for key in _STEP_ENERGIES}
    for k in range(n):
        E0[k] = E
        E, energies_J = _integrate_step(lim, E, float(Pa[k]), float(Pf[k]), float(Pt[k]), float(dt[k]), k)
        h = dt[k]
        for key, e in zip(_STEP_ENERGIES, energies_J, strict=True):
            out[key][k] = e / h
    return BatteryDispatch(
        step_s=dt,
        soc_start=E0 / E_max,
        soc_end=E / E_max,
        energy_start_Wh=E0 / _J_PER_WH,
        energy_end_Wh=E / _J_PER_WH,
        charge_W=out["charge"],
        discharge_W=out["discharge"],
        loss_W=out["loss"],
        shunt_W=out["shunt"],
        throttled_W=out["throttled"],
        unserved_W=out["unserved"],
    )


def cycles_to_fade(depth_of_discharge, cell: BatteryCell):
    """Cycles at a given depth of discharge to lose ``cell.fade_at_cycle_life`` of capacity.

    ``N(d) = N_ref * (d / d_ref) ** -k`` (Woehler-type law; ``k = cell.dod_exponent``).

    Parameters
    ----------
    depth_of_discharge : array_like
        Depth of discharge per cycle, > 0 [-].
    cell : BatteryCell
        Cell with its fade parameters.

    Returns
    -------
    numpy.ndarray or float
        Cycles [-].
    """
    d = np.asarray(depth_of_discharge, dtype=float)
    if np.any(d <= 0) or np.any(d > 1):
        raise ValueError(f"depth_of_discharge: expected fractions in (0, 1], got {depth_of_discharge!r}")
    return cell.cycles_at_reference_dod * (d / cell.reference_depth_of_discharge) ** (-cell.dod_exponent)


def discharge_cycle_depths(soc):
    """Depths of the discharge legs of a state-of-charge history.

    Every fall from a local maximum to the next local minimum counts as one cycle of that depth
    (for orbit cycling, one per eclipse).  Flat stretches are ignored.

    Parameters
    ----------
    soc : array_like, shape (N,)
        State of charge history [-].

    Returns
    -------
    numpy.ndarray
        Depth of each discharge leg [-].
    """
    s = np.asarray(soc, dtype=float)
    if s.size < 2:
        return np.zeros(0)
    d = np.diff(s)
    d = d[d != 0.0]
    if d.size == 0:
        return np.zeros(0)
    # group consecutive diffs of the same sign; each negative group is one discharge leg
    sign = np.sign(d)
    edges = np.flatnonzero(np.diff(sign)) + 1
    groups = np.split(d, edges)
    return np.array([-g.sum() for g in groups if g[0] < 0])


def capacity_fade_fraction(cycle_depths, cell: BatteryCell):
    """Capacity lost to a list of cycles, by linear damage summation (Miner's rule).

    ``fade = fade_at_cycle_life * sum_i 1 / N(d_i)``.

    Parameters
    ----------
    cycle_depths : array_like
        Depth of discharge of each cycle [-]; zeros are skipped.
    cell : BatteryCell
        Cell with its fade parameters.

    Returns
    -------
    float
        Fraction of capacity lost [-].
    """
    d = np.asarray(cycle_depths, dtype=float).ravel()
    d = d[d > 0]
    if d.size == 0:
        return 0.0
    return float(cell.fade_at_cycle_life * np.sum(1.0 / cycles_to_fade(d, cell)))


def capacity_remaining_fraction(years, depth_of_discharge, cell: BatteryCell,
                                cycles_per_year=LEO_CYCLES_PER_YEAR):
    """Capacity left after ``years`` of cycling at one depth of discharge, plus calendar fade.

    ``1 - fade_cycling - fade_calendar`` with ``fade_cycling = fade_at_cycle_life * years *
    cycles_per_year / N(dod)`` and ``fade_calendar = calendar_fade_per_year * years``; clipped
    at 0.  Linear in cycles, which is conservative against the sub-linear fade of most Li-ion
    cells early in life.

    Parameters
    ----------
    years : array_like
        Time in orbit [year].
    depth_of_discharge : float
        Depth of discharge of every cycle [-].
    cell : BatteryCell
        Cell with its fade parameters.
    cycles_per_year : float, default 5500
        Cycles per year [1/year] (LEO, ESA Bulletin 90).

    Returns
    -------
    numpy.ndarray or float
        Remaining capacity fraction [-].
    """
    years = np.asarray(years, dtype=float)
    if np.any(years < 0):
        raise ValueError(f"years: expected >= 0, got {years!r}")
    if depth_of_discharge == 0:
        cycling = 0.0 * years
    else:
        cycling = cell.fade_at_cycle_life * years * cycles_per_year / cycles_to_fade(depth_of_discharge, cell)
    return np.maximum(1.0 - cycling - cell.calendar_fade_per_year * years, 0.0)


def within_operating_range(temperature_K, cell: BatteryCell):
    """Whether battery temperatures lie in the cell's operating range.

    Parameters
    ----------
    temperature_K : array_like
        Battery temperature [K].
    cell : BatteryCell
        Cell with ``operating_min_K`` and ``operating_max_K``.

    Returns
    -------
    numpy.ndarray of bool
    """
    T = np.asarray(temperature_K, dtype=float)
    return (T >= cell.operating_min_K) & (T <= cell.operating_max_K)
