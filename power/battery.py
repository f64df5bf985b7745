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

    E_max = capacity_Wh * _J_PER_WH
    E_hard = min_soc * E_max
    E_thr = throttle_soc * E_max
    tol = 1e-12 * E_max
    E = initial_soc * E_max

    out = {k: np.zeros(n) for k in ("E0", "charge", "discharge", "loss", "shunt", "throttled",
                                    "unserved")}
    inf = float("inf")
    for k in range(n):
        out["E0"][k] = E
        pa, pf, pt, remaining = float(Pa[k]), float(Pf[k]), float(Pt[k]), float(dt[k])
        e_c = e_d = e_loss = e_shunt = e_thr = e_uns = 0.0
        for _ in range(12):  # a step splits into at most a few pieces; guard against loops
            if remaining <= 0.0:
                break
            p_c = p_d = shunt = thr = uns = 0.0
            t_event = inf
            target = None
            if E < E_thr - tol:
                # below the throttle floor: throttleable load off, recharge first
                thr = pt
                avail = pa - pf
                if avail >= 0.0:
                    p_c = min(avail, max_charge_W)
                    give_back = min(avail - p_c, pt)
                    thr = pt - give_back
                    shunt = avail - p_c - give_back
                    if p_c > 0.0:
                        t_event, target = (E_thr - E) / (eta_c * p_c), E_thr
                else:
                    deficit = -avail
                    if E > E_hard + tol:
                        p_d = min(deficit, max_discharge_W)
                        if p_d > 0.0:
                            t_event, target = (E - E_hard) * eta_d / p_d, E_hard
                    uns = deficit - p_d
            else:
                net = pa - pf - pt
                if net >= 0.0:
                    if E < E_max - tol:
                        p_c = min(net, max_charge_W)
                        if p_c > 0.0:
                            t_event, target = (E_max - E) / (eta_c * p_c), E_max
                    shunt = net - p_c
                elif E > E_thr + tol:
                    deficit = -net
                    p_d = min(deficit, max_discharge_W)
                    excess = deficit - p_d
                    thr = min(excess, pt)
                    uns = excess - thr
                    if p_d > 0.0:
                        t_event, target = (E - E_thr) * eta_d / p_d, E_thr
                else:
                    # at the throttle floor: cut the throttleable load just enough
                    deficit = -net
                    thr = min(deficit, pt)
                    rest = deficit - thr
                    if rest > 0.0:
                        if E > E_hard + tol:
                            p_d = min(rest, max_discharge_W)
                            if p_d > 0.0:
                                t_event, target = (E - E_hard) * eta_d / p_d, E_hard
                        uns = rest - p_d
            if t_event < remaining:
                tau = t_event
                dE = target - E
                E = target
                if dE >= 0.0:
                    ec = dE / eta_c
                    ed = 0.0
                else:
                    ec = 0.0
                    ed = -dE * eta_d
            else:
                tau = remaining
                ec = p_c * tau
                ed = p_d * tau
                E = E + eta_c * ec - ed / eta_d
                E = min(max(E, 0.0), E_max)
            e_c += ec
            e_d += ed
            e_loss += (1.0 - eta_c) * ec + (1.0 / eta_d - 1.0) * ed
            # shunt follows the bus balance of this piece so that it closes exactly
            e_shunt += shunt * tau + (p_c * tau - ec)
            e_thr += thr * tau
            e_uns += uns * tau
            remaining -= tau
        if remaining > 0.0:
            raise RuntimeError(f"dispatch_battery: step {k} did not resolve in 12 pieces")
        h = dt[k]
        out["charge"][k] = e_c / h
        out["discharge"][k] = e_d / h
        out["loss"][k] = e_loss / h
        out["shunt"][k] = e_shunt / h
        out["throttled"][k] = e_thr / h
        out["unserved"][k] = e_uns / h
    E0 = out["E0"]
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
