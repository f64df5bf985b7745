"""Thermal-power coupling over an orbit.

The array temperature sets the array efficiency; the power model then decides the battery, the
delivered compute and the losses; those are the heat loads of the thermal model, which gives the
next array temperature. The loop is a fixed-point (Gauss-Seidel) iteration on whole-orbit time
histories, each model solved to its own periodic steady state, until the array temperature history
changes by less than ``COUPLING_TOLERANCE_K``. The array's efficiency changes by about 0.2 %/K, so
the iteration contracts quickly (two to four passes).

Energy bookkeeping: electric power extracted at the cell terminals leaves the wing (it is not
heat there); everything it feeds comes back as heat elsewhere: compute heat into the cold plates,
bus loads and conversion losses into the avionics, battery losses into the battery (where each
lands: :func:`thermal.loads.heat_placement`), pump work into the coolant.
Shunted power is never extracted, so it stays in the array as heat.
"""

import dataclasses

import numpy as np

from power.system import periodic_power, power_summary
from thermal.core.errors import InfeasibleError
from thermal.loads import HeatLoads

COUPLING_TOLERANCE_K = 0.2
MAX_COUPLING_ITERATIONS = 8
ARRAY_START_TEMPERATURE_K = 330.0


def _delivered_pump_W(bus_load_W: np.ndarray, pump_W: float) -> np.ndarray:
    """The pump's share of the delivered bus load: all of it unless the power system had to cut the
    bus loads below the pump's draw (only with compute already throttled to nothing)."""
    return np.minimum(bus_load_W, pump_W)


def _wing_temperature(history, wings, exposure):
    """Area-weighted mean wing temperature on the exposure grid."""
    t = history.time_s
    if t.size == 1:
        return np.full(exposure.time_s.shape, np.mean([history.part_T_mean_K[w.name][0] for w in wings]))
    weights = np.array([w.area_m2 for w in wings])
    mean = sum(wt * history.part_T_mean_K[w.name] for wt, w in zip(weights, wings, strict=True)) / weights.sum()
    return np.interp(np.mod(exposure.time_s, exposure.period_s), t, mean)


def _power_series(case, exposure, wings, T_array, end_of_life, pump_W):
    cfg = case.power
    loads = dataclasses.replace(cfg.loads, bus_load_W=cfg.loads.bus_load_W + pump_W)  # the pump is a bus load
    weights = np.array([w.area_m2 for w in wings])
    cos = sum(wt * exposure.wing_cos_incidence[w.name] for wt, w in zip(weights, wings, strict=True)) / weights.sum()
    # the exposure grid closes the orbit (its last point is t = P); the power model steps over [0, P)
    open_ = slice(0, -1)
    return periodic_power(exposure.time_s[open_], exposure.sun_irradiance_W_m2[open_], cos[open_], T_array[open_],
                          cfg.arrays, cfg.battery, loads, exposure.in_shadow[open_], end_of_life,
                          period_s=exposure.period_s)


def _closed(values: np.ndarray) -> np.ndarray:
    """A per-step series over [0, P) on the closed exposure grid (last point = first)."""
    return np.append(values, values[0])


def _iterate(case, parts, exposure, wings, pump_W, T_array, model, progress):
    """Fixed-point passes power -> thermal -> array temperature until the array history settles."""
    compute = case.compute
    for iteration in range(1, MAX_COUPLING_ITERATIONS + 1):
        periodic = _power_series(case, exposure, wings, T_array, case.power.end_of_life, pump_W)
        ts = periodic.timeseries
        compute_W = _closed(ts.compute_W)
        gpu = (np.maximum(compute_W - compute.overhead_W, 0.0) / compute.count if compute
               else np.zeros(compute_W.shape))
        extracted = _closed(ts.array_electric_out_W_m2)
        pump = _delivered_pump_W(ts.bus_load_W, pump_W)
        loads = HeatLoads(
            period_s=exposure.period_s, time_s=exposure.time_s, compute=compute_W, gpu=gpu,
            bus_heat=_closed(ts.bus_load_W - pump + ts.conversion_loss_W), battery=_closed(ts.battery_loss_W),
            wing_electric={w.name: extracted * w.area_m2 for w in wings}, pump=_closed(pump))
        history, report = model(case, parts, exposure, loads, progress)
        T_new = _wing_temperature(history, wings, exposure)
        change = float(np.max(np.abs(T_new - T_array)))
        progress(f"thermal-power coupling ({case.solver.model}): pass {iteration}, "
                 f"array temperature change {change:.3g} K")
        T_array = T_new
        if change < COUPLING_TOLERANCE_K:
            return T_array, history, report, ts, periodic, iteration
    raise InfeasibleError(
        f"the thermal-power coupling did not settle in {MAX_COUPLING_ITERATIONS} passes (its limit): the array "
        f"temperature history still changed by {change:.3g} K in the last pass, above the {COUPLING_TOLERANCE_K:g} K "
        "tolerance, so the power delivered and the temperatures keep moving each other; a compute.schedule that "
        "switches with the battery state does this near its threshold: try compute.schedule: continuous or a "
        "larger battery or array to see whether the design itself settles")


def run_coupled(case, parts, exposure, pump_W, model, progress):
    """Coupled periodic run of a thermal model (:mod:`thermal.models`: a function ``(case, parts,
    exposure, loads, progress) -> (history, report)``, called with the case's own ``solver.model``
    and, for the first passes, the network model). Returns (thermal history, transport report,
    power series, power summary)."""
    if exposure.period_s is None:
        raise InfeasibleError("a power system needs an orbit (orbit: none has no eclipse cycle to size for); "
                              "remove the power section or give an orbit")
    wings = [p for p in parts.parts if p.role == "solar_array"]
    area = sum(w.area_m2 for w in wings)
    T_array = np.full(exposure.time_s.shape, ARRAY_START_TEMPERATURE_K)
    if case.solver.model != "network":
        # converge with the fast network model first, so the expensive model starts from the
        # coupled state and needs one or two passes
        network = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
        T_array, _, _, _, _, _ = _iterate(network, parts, exposure, wings, pump_W, T_array, model, progress)
    T_array, history, report, ts, periodic, iteration = _iterate(case, parts, exposure, wings, pump_W, T_array,
                                                                 model, progress)
    summary = power_summary(ts, exposure.period_s)
    other = _power_series(case, exposure, wings, T_array, not case.power.end_of_life, pump_W)
    other_summary = power_summary(other.timeseries, exposure.period_s)
    life, other_life = ("eol", "bol") if case.power.end_of_life else ("bol", "eol")
    summary = {**summary, "life": "end_of_life" if case.power.end_of_life else "beginning_of_life",
               f"array_power_orbit_avg_{life}_W": summary["array_power_orbit_avg_W"],
               f"energy_margin_{life}": summary["energy_margin"],
               f"array_power_orbit_avg_{other_life}_W": other_summary["array_power_orbit_avg_W"],
               f"energy_margin_{other_life}": other_summary["energy_margin"],
               f"battery_soc_min_{other_life}": other_summary["battery_soc_min"],
               "array_temperature_max_K": float(np.max(T_array)),
               "array_temperature_min_K": float(np.min(T_array)),
               "array_area_m2": area, "coupling_passes": iteration,
               "battery_drained": bool(periodic.drained)}
    return history, report, ts, summary
