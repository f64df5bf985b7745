"""Electric loads: compute (GPUs + their overhead) and bus loads, and their schedules.

Compute load = ``count * TDP * utilisation + overhead``; the overhead (CPUs, memory, network,
power conversion inside the servers) is taken as constant. The TDP may be a series: the power of
one GPU at full utilisation in each step, raised by leakage at its junction temperature.  Bus loads (avionics, pumps,
heaters) are constant and never throttled.

Schedules
---------
``'continuous'``
    The compute runs at ``utilisation`` all the time; if the battery reaches its
    depth-of-discharge floor the shortfall is *unserved* (a design failure, reported).
``'eclipse_throttle'``
    The GPUs run at ``eclipse_utilisation`` in eclipse and ``utilisation`` in sunlight.
``'soc_floor'``
    The GPUs run at ``utilisation`` but back off, down to ``min_utilisation``, just enough for
    the battery to hold the SOC floor (and to respect the battery's discharge limit); the
    compute not run is reported as *throttled*, not as unserved.

All powers in W; all functions are pure and accept numpy arrays.
"""

from __future__ import annotations

import numpy as np

from thermal.core.compute import SCHEDULES

__all__ = [
    "SCHEDULES",
    "compute_load_W",
    "gpu_utilisation",
    "compute_demand_W",
    "throttleable_compute_W",
]



def compute_load_W(gpu_count, gpu_tdp_W, utilisation, overhead_W=0.0):
    """Electric power of the compute payload.

    Parameters
    ----------
    gpu_count : int
        Number of GPUs [-].
    gpu_tdp_W : float
        Thermal design power of one GPU [W].
    utilisation : array_like
        Fraction of TDP drawn, 0-1 [-].
    overhead_W : float, default 0
        Non-GPU electronics (CPUs, memory, network, in-server conversion) [W].

    Returns
    -------
    numpy.ndarray or float
        Power [W]; all of it ends up as heat in the compute hardware.
    """
    return gpu_count * gpu_tdp_W * np.asarray(utilisation, dtype=float) + overhead_W


def gpu_utilisation(in_eclipse, utilisation, schedule="continuous", eclipse_utilisation=None):
    """Scheduled GPU utilisation over time, before any SOC-floor throttling.

    Parameters
    ----------
    in_eclipse : array_like of bool, shape (N,)
        Whether each step is in eclipse.
    utilisation : float
        Utilisation in sunlight (and always, for 'continuous' and 'soc_floor') [-].
    schedule : {'continuous', 'eclipse_throttle', 'soc_floor'}
        Load schedule.
    eclipse_utilisation : float, optional
        Utilisation in eclipse, needed for 'eclipse_throttle' [-].

    Returns
    -------
    numpy.ndarray, shape (N,)
        Utilisation [-].
    """
    ecl = np.asarray(in_eclipse, dtype=bool)
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule: expected one of {SCHEDULES}, got {schedule!r}")
    u = np.full(ecl.shape, float(utilisation))
    if schedule == "eclipse_throttle":
        if eclipse_utilisation is None:
            raise ValueError("eclipse_utilisation: needed for schedule 'eclipse_throttle'")
        u = np.where(ecl, float(eclipse_utilisation), u)
    return u


def compute_demand_W(in_eclipse, gpu_count, gpu_tdp_W, utilisation, overhead_W=0.0,
                     schedule="continuous", eclipse_utilisation=None):
    """Compute power demanded over time by a schedule (before any throttling) [W].

    Parameters
    ----------
    in_eclipse : array_like of bool, shape (N,)
        Whether each step is in eclipse.
    gpu_count : int
        Number of GPUs [-].
    gpu_tdp_W : float
        TDP of one GPU [W].
    utilisation : float
        Utilisation [-].
    overhead_W : float, default 0
        Non-GPU electronics [W].
    schedule : {'continuous', 'eclipse_throttle', 'soc_floor'}
        Load schedule.
    eclipse_utilisation : float, optional
        Utilisation in eclipse for 'eclipse_throttle' [-].

    Returns
    -------
    numpy.ndarray, shape (N,)
        Power [W].
    """
    u = gpu_utilisation(in_eclipse, utilisation, schedule, eclipse_utilisation)
    return compute_load_W(gpu_count, gpu_tdp_W, u, overhead_W)


def throttleable_compute_W(in_eclipse, gpu_count, gpu_tdp_W, utilisation, schedule,
                           eclipse_utilisation=None, min_utilisation=0.0):
    """Part of the compute demand the 'soc_floor' schedule may cut [W].

    The GPU power above ``min_utilisation``, ``count * TDP * max(u - u_min, 0)``, for
    'soc_floor'; zero for the other schedules.

    Parameters
    ----------
    in_eclipse, gpu_count, gpu_tdp_W, utilisation, schedule, eclipse_utilisation
        As for :func:`compute_demand_W` (``schedule`` has no default here).
    min_utilisation : float, default 0
        Lowest utilisation throttling may go to [-].

    Returns
    -------
    numpy.ndarray, shape (N,)
        Power [W].
    """
    u = gpu_utilisation(in_eclipse, utilisation, schedule, eclipse_utilisation)
    if schedule != "soc_floor":
        return np.zeros_like(u)
    return compute_load_W(gpu_count, gpu_tdp_W, np.maximum(u - min_utilisation, 0.0))
