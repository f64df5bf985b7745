"""Thermal-power coupling over an orbit.

The array temperature sets the array efficiency; the power model then decides the battery, the
delivered compute and the losses; those are the heat loads of the thermal model, which gives the
next array temperature. The loop is a fixed-point (Gauss-Seidel) iteration on whole-orbit time
histories, each model solved to its own periodic steady state, until the array temperature history
changes by less than ``COUPLING_TOLERANCE_K``. The array's efficiency changes by about 0.2 %/K, so
the iteration contracts quickly (two to four passes). A pass of the finite elements starts from
the field the last pass ended on (its periodic state, near the next one's: two orbits then meet
the periodic tolerance where a start from the orbit-averaged steady state takes three to five);
the network model starts each pass from its orbit-averaged steady state, which costs little.

Energy bookkeeping: electric power extracted at the cell terminals leaves the wing (it is not
heat there); everything it feeds comes back as heat elsewhere: compute heat into the cold plates,
bus loads and conversion losses into the avionics, battery losses into the battery (where each
lands: :func:`thermal.loads.heat_placement`), pump work into the coolant. The thermostatic heaters
are bus loads the thermal model sets: their power history from one pass is the power system's
heater load of the next, and their heat stays in their parts.
Shunted power is never extracted, so it stays in the array as heat.

GPU leakage: with a leakage law (``gpus.<name>.leakage``) the GPU power depends on its junction
temperature, so the junction history of one pass sets the GPU power of the next
(:func:`thermal.loads.gpu_full_power_W`): in the power demand and in the heat alike. The passes
then also wait for the junction history to change by less than ``COUPLING_TOLERANCE_K``; a run
without a power system iterates on the junction (and the coolant's property temperature) alone
(:func:`run_uncoupled`).
"""

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from power.system import periodic_power, power_summary
from thermal.case.model import PumpedLoopSpec
from thermal.core.errors import CaseError, InfeasibleError
from thermal.loads import HeatLoads, gpu_full_power_W, junction_on_grid, leakage_W, leaks, uncoupled_loads
from thermal.transport.coolant import liquid_range_K

COUPLING_TOLERANCE_K = 0.2
#: The heaters' power history must also settle: its largest change in a pass at most this
#: fraction of the installed heater power.
HEATER_TOLERANCE = 2e-3
#: The pumped loop's coolant properties are taken at the loop's temperature of the previous pass
#: (:func:`coolant_property_temperature_K`), starting here; the passes go on until it settles to this.
COOLANT_START_K = 300.0
COOLANT_PROPERTY_TOLERANCE_K = 0.2
MAX_COUPLING_ITERATIONS = 12
ARRAY_START_TEMPERATURE_K = 330.0


def coolant_property_temperature_K(case, parts, history) -> float:
    """The temperature a pumped loop's coolant properties are taken at, from a run: the mean of the
    orbit-average coolant leaving the cold plates and the orbit-average mean temperature of the
    radiator panels (where the tubes, most of the loop's length and pressure drop, run), kept
    0.5 K inside the coolant's liquid range (a colder loop fails the verdict's freezing check).
    300 K without a pumped loop."""
    loop = case.thermal.transport
    radiators = [p.name for p in parts.parts if p.role == "radiator"]
    if not isinstance(loop, PumpedLoopSpec) or case.compute is None or not radiators:
        return COOLANT_START_K
    supply = float(np.nanmean(history.cold_plate_T_K))
    panels = float(np.mean([np.mean(history.part_T_mean_K[name]) for name in radiators]))
    low, high = liquid_range_K(loop.coolant, loop.loop_pressure_Pa)
    return float(np.clip(0.5 * (supply + panels), low + 0.5, high - 0.5))


def _delivered_pump_W(bus_load_W: np.ndarray, pump_W: float) -> np.ndarray:
    """The pump's share of the delivered bus load: all of it unless the power system had to cut the
    bus loads below the pump's draw (only with compute already throttled to nothing)."""
    return np.minimum(bus_load_W, pump_W)


def _wing_temperature(history, wings, exposure):
    """Area-weighted mean wing temperature on the exposure grid."""
    weights = np.array([w.area_m2 for w in wings])
    mean = sum(wt * history.part_T_mean_K[w.name] for wt, w in zip(weights, wings, strict=True)) / weights.sum()
    return _on_grid(history, np.atleast_1d(mean), exposure)


def _on_grid(history, series, exposure):
    """A series of a thermal history on the exposure grid (periodic; a steady state is constant)."""
    if history.time_s.size == 1:
        return np.full(exposure.time_s.shape, float(series[0]))
    return np.interp(np.mod(exposure.time_s, exposure.period_s), history.time_s, series)


def _heater_series(history, exposure) -> np.ndarray:
    """The heaters' total power on the exposure grid [W] (zero without heaters)."""
    total = sum(history.heater_W.values(), np.zeros(history.time_s.shape))
    return _on_grid(history, total, exposure)


def _power_series(case, exposure, wings, T_array, end_of_life, pump_W, heater_W, gpu_full_W=None):
    cfg = case.power
    # the pump and the heaters are bus loads
    loads = dataclasses.replace(cfg.loads, bus_load_W=cfg.loads.bus_load_W + pump_W, heater_W=heater_W[:-1])
    weights = np.array([w.area_m2 for w in wings])
    cos = sum(wt * exposure.wing_cos_incidence[w.name] for wt, w in zip(weights, wings, strict=True)) / weights.sum()
    # the exposure grid closes the orbit (its last point is t = P); the power model steps over [0, P)
    open_ = slice(0, -1)
    return periodic_power(exposure.time_s[open_], exposure.sun_irradiance_W_m2[open_], cos[open_], T_array[open_],
                          cfg.arrays, cfg.battery, loads, exposure.in_shadow[open_], end_of_life,
                          period_s=exposure.period_s,
                          gpu_full_power_W=None if gpu_full_W is None else gpu_full_W[open_],
                          lit_fraction=_wing_lit_fraction(exposure, wings)[open_])


def _wing_lit_fraction(exposure, wings) -> np.ndarray:
    """The cells' share that no other part shades, over the wings (the cell side's lit share,
    :attr:`thermal.exposure.Exposure.wing_lit_share`, weighted by each wing's direct sun,
    area x cos), on the exposure grid; ones without the exchange. The power model's output is
    proportional to it (:func:`power.solar_array.lit_output_fraction`)."""
    lit = exposure.wing_lit_share
    if not lit:
        return np.ones(exposure.time_s.shape)
    weight = [w.area_m2 * exposure.wing_cos_incidence[w.name] for w in wings]
    total = sum(weight)
    shaded = sum(wt * lit[w.name] for wt, w in zip(weight, wings, strict=True))
    return np.where(total > 0.0, shaded / np.where(total > 0.0, total, 1.0), 1.0)


def _closed(values: np.ndarray) -> np.ndarray:
    """A per-step series over [0, P) on the closed exposure grid (last point = first)."""
    return np.append(values, values[0])


class _Bracket:
    """The fixed point T = g(T) of the coolant's property temperature: g (the loop temperature a
    pass gives with properties at T) falls as T rises (a warmer, thinner coolant carries heat
    better), so each pass tells on which side the answer lies. Plain iteration can overshoot
    where the film coefficient jumps (the laminar-turbulent transition of the radiator tubes);
    once the answer is bracketed the next guess is the secant within the bracket (regula falsi)."""

    def __init__(self):
        self.below: tuple[float, float] | None = None     # (T, g(T) - T > 0)
        self.above: tuple[float, float] | None = None     # (T, g(T) - T <= 0)

    def next(self, used_K: float, produced_K: float) -> float:
        gap = produced_K - used_K
        if gap > 0:
            self.below = (used_K, gap)
        else:
            self.above = (used_K, gap)
        if self.below is None or self.above is None:
            return produced_K
        (t0, g0), (t1, g1) = self.below, self.above
        guess = t0 - g0 * (t1 - t0) / (g1 - g0)
        lo, hi = sorted((t0, t1))
        return float(np.clip(guess, lo + 0.05 * (hi - lo), hi - 0.05 * (hi - lo)))


@dataclass
class _State:
    """What one coupling pass hands the next: the array temperature, the heaters' power and (with a
    leakage law) the GPU junction on the exposure grid, and the loop temperature the coolant's
    properties are taken at."""
    T_array: np.ndarray
    heater_W: np.ndarray
    coolant_K: float
    junction: np.ndarray | None = None


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
    # growing twice in a row: once can be the other quantities of the pass (the array, the
    # coolant's properties) moving the junction while they settle
    grew = len(changes) > 2 and COUPLING_TOLERANCE_K <= changes[-3] <= changes[-2] <= changes[-1] < math.inf
    if not grew and len(changes) < MAX_COUPLING_ITERATIONS:
        return False
    what = (f"ran away: the junction history changed by {changes[-3]:.3g} K, {changes[-2]:.3g} K, then by "
            f"{changes[-1]:.3g} K, growing "
            "from pass to pass" if grew else
            f"did not settle in {len(changes)} passes (the limit): the junction history still changed by "
            f"{changes[-1]:.3g} K in the last pass")
    raise InfeasibleError(
        f"the GPU power and junction temperature {what} (tolerance {COUPLING_TOLERANCE_K:g} K); the leakage law "
        f"(gpus.{case.compute.gpu.name}.leakage) raises the GPU power with the junction faster than the heat path "
        "carries it away (a thermal runaway once a kelvin more at the junction brings back a kelvin or more): a larger "
        "radiator, a lower junction_to_coolant or a smaller leakage per_kelvin settles it")


def _iterate(case, parts, exposure, wings, pump_of, state: _State, model, progress):
    """Fixed-point passes power -> thermal -> array temperature until the array history, the
    heaters' power and the coolant's property temperature settle."""
    compute = case.compute
    installed = sum(h.power_W for h in case.thermal.heaters)
    junction_changes = []
    bracket = _Bracket()
    start = None            # each pass starts where the last one's periodic state ended (FE)
    for iteration in range(1, MAX_COUPLING_ITERATIONS + 1):
        pump_W = pump_of(state.coolant_K)
        full = gpu_full_power_W(case, state.junction)
        periodic = _power_series(case, exposure, wings, state.T_array, case.power.end_of_life, pump_W,
                                 state.heater_W, full)
        ts = periodic.timeseries
        compute_W = _closed(ts.compute_W)
        gpu = (np.maximum(compute_W - compute.overhead_W, 0.0) / compute.count if compute
               else np.zeros(compute_W.shape))
        extracted = _closed(ts.array_electric_out_W_m2)
        pump = _delivered_pump_W(ts.bus_load_W, pump_W)
        # the heaters' heat is the thermal model's own (in their parts); the rest of the bus load is bus heat
        avionics = np.maximum(ts.bus_load_W - pump - state.heater_W[:-1], 0.0)
        loads = HeatLoads(
            period_s=exposure.period_s, time_s=exposure.time_s, compute=compute_W, gpu=gpu,
            bus_heat=_closed(avionics + ts.conversion_loss_W), battery=_closed(ts.battery_loss_W),
            wing_electric={w.name: extracted * w.area_m2 for w in wings}, pump=_closed(pump),
            coolant_property_K=state.coolant_K, gpu_leakage=leakage_W(case, gpu, full))
        history, report = model(case, parts, exposure, loads, progress, start=start)
        start = history.final_state
        junction, junction_change = _junction_step(case, history, exposure, state.junction)
        junction_changes.append(junction_change)
        new = _State(_wing_temperature(history, wings, exposure), _heater_series(history, exposure),
                     coolant_property_temperature_K(case, parts, history), junction)
        change = float(np.max(np.abs(new.T_array - state.T_array)))
        heater_change = float(np.max(np.abs(new.heater_W - state.heater_W)))
        coolant_change = abs(new.coolant_K - state.coolant_K)
        new.coolant_K = bracket.next(state.coolant_K, new.coolant_K)
        progress(f"thermal-power coupling ({case.solver.model}): pass {iteration}, "
                 f"array temperature change {change:.3g} K"
                 + (f", heater power change {heater_change:.3g} W" if installed else "")
                 + (f", coolant temperature change {coolant_change:.3g} K" if coolant_change else "")
                 + (f", GPU junction change {junction_change:.3g} K" if junction is not None else ""))
        state = new
        if (_settled_junction(case, junction_changes) and change < COUPLING_TOLERANCE_K
                and heater_change <= HEATER_TOLERANCE * installed and coolant_change < COOLANT_PROPERTY_TOLERANCE_K):
            return state, history, report, ts, periodic, iteration, pump_W, loads
    raise InfeasibleError(
        f"the thermal-power coupling did not settle in {MAX_COUPLING_ITERATIONS} passes (its limit): the array "
        f"temperature history still changed by {change:.3g} K in the last pass (tolerance {COUPLING_TOLERANCE_K:g} K), "
        f"the heaters' power by {heater_change:.3g} W (tolerance {HEATER_TOLERANCE * installed:.3g} W) and the "
        f"coolant's temperature by {coolant_change:.3g} K (tolerance {COOLANT_PROPERTY_TOLERANCE_K:g} K), "
        "so the power delivered and the temperatures keep moving each other; a compute.schedule that "
        "switches with the battery state does this near its threshold: try compute.schedule: continuous or a "
        "larger battery or array to see whether the design itself settles")


def run_uncoupled(case, parts, exposure, pump_of, model, progress):
    """A run with no power system (``model`` and ``pump_of`` as for :func:`run_coupled`): the heat
    loads as the compute schedule demands. With a pumped loop (the coolant's properties at the
    loop's temperature) or a GPU leakage law (the GPU power at the junction), passes until both
    settle: the network model's first, then the case's own model from where they left off.
    Returns (thermal history, transport report, pump power [W], coolant property temperature
    [K], heat loads of the last pass)."""
    coolant_K, junction = COOLANT_START_K, None
    loop = isinstance(case.thermal.transport, PumpedLoopSpec) and case.compute is not None
    if not loop and not leaks(case):
        loads = uncoupled_loads(case, exposure, pump_of(coolant_K), coolant_K)
        return (*model(case, parts, exposure, loads, progress), loads.pump, coolant_K, loads)
    network = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
    for one in ((network, case) if case.solver.model != "network" else (case,)):
        changes, bracket, start = [], _Bracket(), None
        for _ in range(MAX_COUPLING_ITERATIONS):
            loads = uncoupled_loads(case, exposure, pump_of(coolant_K), coolant_K, junction)
            history, report = model(one, parts, exposure, loads, progress, start=start)
            start = history.final_state
            junction, change = _junction_step(case, history, exposure, junction)
            changes.append(change)
            new = coolant_property_temperature_K(case, parts, history)
            coolant_change, coolant_K = abs(new - coolant_K), bracket.next(coolant_K, new)
            progress(f"{one.solver.model} pass {len(changes)}: coolant temperature change {coolant_change:.3g} K"
                     + (f", GPU junction change {change:.3g} K" if junction is not None else ""))
            if _settled_junction(case, changes) and coolant_change < COOLANT_PROPERTY_TOLERANCE_K:
                break
    return history, report, loads.pump, loads.coolant_property_K, loads


def run_coupled(case, parts, exposure, pump_of, model, progress):
    """Coupled periodic run of a thermal model (:mod:`thermal.models`: a function ``(case, parts,
    exposure, loads, progress) -> (history, report)``, called with the case's own ``solver.model``
    and, for the first passes, the network model); ``pump_of``: the pump's electric power [W] at a
    coolant temperature [K]. Returns (thermal history, transport report, power series, power
    summary, pump power [W], coolant property temperature [K], heat loads of the last pass)."""
    if exposure.period_s is None:
        raise InfeasibleError("a power system needs an orbit (orbit: none has no eclipse cycle to size for); "
                              "remove the power section or give an orbit")
    wings = [p for p in parts.parts if p.role == "solar_array"]
    area = sum(w.area_m2 for w in wings)
    state = _State(np.full(exposure.time_s.shape, ARRAY_START_TEMPERATURE_K), np.zeros(exposure.time_s.shape),
                   COOLANT_START_K)
    if case.solver.model != "network":
        # converge with the fast network model first, so the expensive model starts from the
        # coupled state and needs one or two passes
        network = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
        state = _iterate(network, parts, exposure, wings, pump_of, state, model, progress)[0]
    state, history, report, ts, periodic, iteration, pump_W, loads = _iterate(
        case, parts, exposure, wings, pump_of, state, model, progress)
    T_array, heater_W = state.T_array, state.heater_W
    summary = power_summary(ts, exposure.period_s)
    other = _power_series(case, exposure, wings, T_array, not case.power.end_of_life, pump_W, heater_W,
                          gpu_full_power_W(case, state.junction))
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
    return history, report, ts, summary, pump_W, state.coolant_K, loads
