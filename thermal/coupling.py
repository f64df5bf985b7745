"""Thermal-power coupling over an orbit.

The array temperature sets the array efficiency; the power model then decides the battery, the
delivered compute and the losses; those are the heat loads of the thermal model, which gives the
next array temperature. The loop is a fixed-point (Gauss-Seidel) iteration on whole-orbit time
histories, each model solved to its own periodic steady state, until the array temperature history
changes by less than ``COUPLING_TOLERANCE_K``. The array's efficiency changes by about 0.2 %/K, so
the iteration contracts quickly (two to four passes).

Energy bookkeeping: electric power extracted at the cell terminals leaves the wing (it is not
heat there); everything it feeds comes back as heat elsewhere: compute heat into the cold plates,
bus loads, battery losses and conversion losses into the deck, pump work into the coolant.
Shunted power is never extracted, so it stays in the array as heat.

GPU leakage: with a leakage law (``gpus.<name>.leakage``) the GPU power depends on its junction
temperature, so the junction history of one pass sets the GPU power of the next
(:func:`thermal.loads.gpu_full_power_W`): in the power demand and in the heat alike. The passes
then also wait for the junction history to change by less than ``COUPLING_TOLERANCE_K``; a run
without a power system iterates on the junction alone (:func:`run_uncoupled`).
"""

import dataclasses
import math

import numpy as np

from power.system import periodic_power, power_summary
from thermal.core.errors import CaseError, InfeasibleError
from thermal.loads import HeatLoads, gpu_full_power_W, junction_on_grid, leakage_W, leaks, uncoupled_loads

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


def _power_series(case, exposure, wings, T_array, end_of_life, pump_W, gpu_full_W=None):
    cfg = case.power
    loads = dataclasses.replace(cfg.loads, bus_load_W=cfg.loads.bus_load_W + pump_W)  # the pump is a bus load
    weights = np.array([w.area_m2 for w in wings])
    cos = sum(wt * exposure.wing_cos_incidence[w.name] for wt, w in zip(weights, wings, strict=True)) / weights.sum()
    # the exposure grid closes the orbit (its last point is t = P); the power model steps over [0, P)
    open_ = slice(0, -1)
    return periodic_power(exposure.time_s[open_], exposure.sun_irradiance_W_m2[open_], cos[open_], T_array[open_],
                          cfg.arrays, cfg.battery, loads, exposure.in_shadow[open_], end_of_life,
                          period_s=exposure.period_s,
                          gpu_full_power_W=None if gpu_full_W is None else gpu_full_W[open_])


def _closed(values: np.ndarray) -> np.ndarray:
    """A per-step series over [0, P) on the closed exposure grid (last point = first)."""
    return np.append(values, values[0])


def _junction_step(case, history, exposure, junction):
    """The GPU junction history of a pass on the exposure grid and how far it moved from the one the
    pass's loads were built with [K]: (None, 0) without a leakage law (nothing to settle)."""
    if not leaks(case):
        return None, 0.0
    new = junction_on_grid(history, exposure)
    if not np.all(np.isfinite(new)):
        raise CaseError(f"gpus.{case.compute.gpu.name}.leakage", "a GPU junction temperature to act on",
                        hint=f"the {case.solver.model} model gives none here, with the compute spread over a plate "
                             "(no GPU footprints): use solver.model: network, or put the GPUs on a bus deck")
    return new, math.inf if junction is None else float(np.max(np.abs(new - junction)))


def _settled_junction(case, changes) -> bool:
    """Whether the junction history has settled, from its change in each pass so far [K]; a change
    that grows from one pass to the next (above the tolerance) is a thermal runaway: InfeasibleError
    at once, as it is when the passes run out."""
    if changes[-1] < COUPLING_TOLERANCE_K:
        return True
    grew = len(changes) > 1 and COUPLING_TOLERANCE_K <= changes[-2] <= changes[-1] < math.inf
    if not grew and len(changes) < MAX_COUPLING_ITERATIONS:
        return False
    what = (f"ran away: the junction history changed by {changes[-2]:.3g} K, then by {changes[-1]:.3g} K, growing "
            "from pass to pass" if grew else
            f"did not settle in {len(changes)} passes (the limit): the junction history still changed by "
            f"{changes[-1]:.3g} K in the last pass")
    raise InfeasibleError(
        f"the GPU power and junction temperature {what} (tolerance {COUPLING_TOLERANCE_K:g} K); the leakage law "
        f"(gpus.{case.compute.gpu.name}.leakage) raises the GPU power with the junction faster than the heat path "
        "carries it away (a thermal runaway once a kelvin more at the junction brings back a kelvin or more): a larger "
        "radiator, a lower junction_to_coolant or a smaller leakage per_kelvin settles it")


def _iterate(case, parts, exposure, wings, pump_W, T_array, model, progress, junction=None):
    """Fixed-point passes power -> thermal -> array temperature (and GPU junction, with a leakage
    law) until the array history (and the junction history) settles."""
    compute = case.compute
    junction_changes = []
    for iteration in range(1, MAX_COUPLING_ITERATIONS + 1):
        full = gpu_full_power_W(case, junction)
        periodic = _power_series(case, exposure, wings, T_array, case.power.end_of_life, pump_W, full)
        ts = periodic.timeseries
        compute_W = _closed(ts.compute_W)
        gpu = (np.maximum(compute_W - compute.overhead_W, 0.0) / compute.count if compute
               else np.zeros(compute_W.shape))
        extracted = _closed(ts.array_electric_out_W_m2)
        pump = _delivered_pump_W(ts.bus_load_W, pump_W)
        loads = HeatLoads(
            period_s=exposure.period_s, time_s=exposure.time_s, compute=compute_W, gpu=gpu,
            bus_heat=_closed(ts.bus_load_W - pump + ts.battery_loss_W + ts.conversion_loss_W),
            wing_electric={w.name: extracted * w.area_m2 for w in wings}, pump=_closed(pump),
            gpu_leakage=leakage_W(case, gpu, full))
        history, report = model(case, parts, exposure, loads, progress)
        T_new = _wing_temperature(history, wings, exposure)
        change = float(np.max(np.abs(T_new - T_array)))
        junction, junction_change = _junction_step(case, history, exposure, junction)
        junction_changes.append(junction_change)
        progress(f"thermal-power coupling ({case.solver.model}): pass {iteration}, "
                 f"array temperature change {change:.3g} K"
                 + (f", GPU junction change {junction_change:.3g} K" if junction is not None else ""))
        T_array = T_new
        if _settled_junction(case, junction_changes) and change < COUPLING_TOLERANCE_K:
            return T_array, history, report, ts, periodic, iteration, loads, junction
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
    power series, power summary, heat loads of the last pass)."""
    if exposure.period_s is None:
        raise InfeasibleError("a power system needs an orbit (orbit: none has no eclipse cycle to size for); "
                              "remove the power section or give an orbit")
    wings = [p for p in parts.parts if p.role == "solar_array"]
    area = sum(w.area_m2 for w in wings)
    T_array = np.full(exposure.time_s.shape, ARRAY_START_TEMPERATURE_K)
    junction = None
    if case.solver.model != "network":
        # converge with the fast network model first, so the expensive model starts from the
        # coupled state and needs one or two passes
        network = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
        T_array, *_, junction = _iterate(network, parts, exposure, wings, pump_W, T_array, model, progress)
    T_array, history, report, ts, periodic, iteration, loads, junction = _iterate(
        case, parts, exposure, wings, pump_W, T_array, model, progress, junction)
    summary = power_summary(ts, exposure.period_s)
    other = _power_series(case, exposure, wings, T_array, not case.power.end_of_life, pump_W,
                          gpu_full_power_W(case, junction))
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
    return history, report, ts, summary, loads


def _settle_junction(case, parts, exposure, pump_W, model, progress, junction):
    """Passes of the thermal model with the compute as demanded, each GPU power at the junction
    history of the pass before, until that history changes by less than ``COUPLING_TOLERANCE_K``.
    Returns (history, report, loads, junction history)."""
    changes = []
    while True:
        loads = uncoupled_loads(case, exposure, pump_W, junction)
        history, report = model(case, parts, exposure, loads, progress)
        junction, change = _junction_step(case, history, exposure, junction)
        changes.append(change)
        progress(f"GPU leakage ({case.solver.model}): pass {len(changes)}, GPU junction change {change:.3g} K")
        if _settled_junction(case, changes):
            return history, report, loads, junction


def run_uncoupled(case, parts, exposure, pump_W, model, progress):
    """Run of a thermal model with no power system: the compute schedule as demanded. With a GPU
    leakage law the GPU power follows the junction history, to a fixed point as in the coupled run
    (the network model's passes first when the case's model is another). Returns (thermal
    history, transport report, heat loads of the last pass)."""
    if not leaks(case):
        loads = uncoupled_loads(case, exposure, pump_W)
        history, report = model(case, parts, exposure, loads, progress)
        return history, report, loads
    junction = None
    if case.solver.model != "network":
        network = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
        *_, junction = _settle_junction(network, parts, exposure, pump_W, model, progress, junction)
    history, report, loads, _ = _settle_junction(case, parts, exposure, pump_W, model, progress, junction)
    return history, report, loads
