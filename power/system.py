"""The coupled power run: array -> bus -> loads and battery over a time series.

This is the interface the thermal orchestrator calls.  It is pure: the same inputs give the
same :class:`PowerTimeseries`, nothing is cached or mutated, so the orchestrator can iterate
(array temperature from the thermal model -> array efficiency -> power -> heat loads).

Heat the thermal model should take from a :class:`PowerTimeseries`:

* ``compute_W``: electric power delivered to the compute payload, all of it heat there;
* ``bus_load_W``: delivered bus loads (avionics, pumps, heaters), heat in the bus;
* ``battery_loss_W``: the battery's own heat;
* ``conversion_loss_W``: harness and array-regulator losses, heat in the bus/harness;
* ``array_electric_out_W_m2``: electric power taken out of the array per m^2 of array, to be
  subtracted from what the array absorbs (see :func:`power.solar_array.array_waste_heat_W_m2`).

Time discretisation: piecewise-constant inputs over ``[t_k, t_k + dt_k)`` with the state of
charge integrated exactly within each step (see :mod:`power.battery`).

Energy bookkeeping, exact for every step::

    cell power extracted = load delivered + conversion loss + battery loss + d(stored)/dt
    array power at bus   = load delivered + battery charge - battery discharge + shunt
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from thermal.core.checks import given, is_finite, need
from thermal.core.compute import Compute

from . import battery as _battery
from .cells import LEO_CYCLES_PER_YEAR, BatteryCell, SolarCell
from .loads import compute_demand_W, throttleable_compute_W
from .sizing import (
    array_mass_kg,
    battery_mass_kg,
    required_array_area_m2,
    required_battery_capacity_Wh,
    required_sunlit_bus_power_W,
)
from .solar_array import (
    DEFAULT_FLUENCE_PER_YEAR_E_CM2,
    DEFAULT_UV_DARKENING_PER_YEAR,
    POINTINGS,
    array_cell_power_W,
    cell_efficiency,
    end_of_life_factor,
    lit_output_fraction,
)

__all__ = [
    "SolarArrayConfig",
    "BatteryConfig",
    "LoadConfig",
    "PowerTimeseries",
    "PeriodicPower",
    "simulate_power",
    "power_summary",
    "periodic_power",
    "array_bus_power_per_area_W_m2",
    # re-exported sizing helpers
    "required_array_area_m2",
    "required_battery_capacity_Wh",
    "required_sunlit_bus_power_W",
    "array_mass_kg",
    "battery_mass_kg",
]

#: Default packing factor (cell area / blanket area) [-]: typical 0.85-0.90 for flexible
#: blankets of large rectangular cells (secondary); 0.85 is also the project's example case.
DEFAULT_PACKING_FACTOR = 0.85
#: Default harness loss [-] (ASSUMED, typical 1-3 % for a well-designed high-voltage bus).
DEFAULT_WIRING_LOSS = 0.02
#: Default array regulator efficiency [-] (ASSUMED, S3R shunt or MPPT converters 0.95-0.98).
DEFAULT_REGULATOR_EFFICIENCY = 0.97






@dataclass(frozen=True)
class SolarArrayConfig:
    """A solar array (all wings of one kind together).

    Parameters
    ----------
    cell : SolarCell
        Cell type.
    area_m2 : float
        Blanket area, all wings [m^2].
    packing_factor : float, default 0.85
        Cell area / blanket area [-].
    pointing : {'sun_tracking', 'sun_pointing', 'fixed'}, default 'sun_tracking'
        Pointing mode; the cosine of incidence itself is an input of :func:`simulate_power`.
    mission_years : float, default 5
        Time in orbit at end of life [year].
    wiring_loss : float, default 0.02
        Harness loss fraction [-].
    regulator_efficiency : float, default 0.97
        Array regulator efficiency [-].
    fluence_per_year_e_cm2 : float, default 1e14
        1-MeV-equivalent electron fluence per year behind the cover glass [e/cm^2/year].
    uv_darkening_per_year : float, default 0.005
        Cover glass/adhesive transmission loss per year [1/year].
    other_degradation_per_year : float, default 0
        Other losses per year [1/year].
    """

    cell: SolarCell
    area_m2: float
    packing_factor: float = DEFAULT_PACKING_FACTOR
    pointing: str = "sun_tracking"
    mission_years: float = 5.0
    wiring_loss: float = DEFAULT_WIRING_LOSS
    regulator_efficiency: float = DEFAULT_REGULATOR_EFFICIENCY
    fluence_per_year_e_cm2: float = DEFAULT_FLUENCE_PER_YEAR_E_CM2
    uv_darkening_per_year: float = DEFAULT_UV_DARKENING_PER_YEAR
    other_degradation_per_year: float = 0.0

    def __post_init__(self):
        need(isinstance(self.cell, SolarCell), "solar_array.cell", "a SolarCell", self.cell)
        need(is_finite(self.area_m2) and self.area_m2 >= 0, "solar_array.area_m2", "an area >= 0",
              self.area_m2)
        need(is_finite(self.packing_factor) and 0 < self.packing_factor <= 1,
              "solar_array.packing_factor", "a fraction in (0, 1]", self.packing_factor)
        need(self.pointing in POINTINGS, "solar_array.pointing", f"one of {POINTINGS}", self.pointing)
        need(is_finite(self.mission_years) and self.mission_years >= 0, "solar_array.mission_years",
              "years >= 0", self.mission_years)
        need(is_finite(self.wiring_loss) and 0 <= self.wiring_loss < 1, "solar_array.wiring_loss",
              "a fraction in [0, 1)", self.wiring_loss)
        need(is_finite(self.regulator_efficiency) and 0 < self.regulator_efficiency <= 1,
              "solar_array.regulator_efficiency", "a fraction in (0, 1]", self.regulator_efficiency)
        need(is_finite(self.fluence_per_year_e_cm2) and self.fluence_per_year_e_cm2 >= 0,
              "solar_array.fluence_per_year_e_cm2", "a fluence >= 0", self.fluence_per_year_e_cm2)
        for name in ("uv_darkening_per_year", "other_degradation_per_year"):
            v = getattr(self, name)
            need(is_finite(v) and 0 <= v < 1, f"solar_array.{name}", "a fraction in [0, 1)", v)

    @property
    def path_efficiency(self) -> float:
        """Harness x regulator efficiency, cell terminals to bus [-]."""
        return (1.0 - self.wiring_loss) * self.regulator_efficiency

    def degradation_factor(self, end_of_life: bool) -> float:
        """End-of-life factor at ``mission_years`` if ``end_of_life``, else 1 [-]."""
        if not end_of_life:
            return 1.0
        return float(end_of_life_factor(self.mission_years, self.cell.remaining_factor_eol,
                                        self.cell.reference_fluence_e_cm2,
                                        self.fluence_per_year_e_cm2, self.uv_darkening_per_year,
                                        self.other_degradation_per_year))

    def efficiency(self, temperature_K):
        """Cell efficiency at a temperature [-]."""
        c = self.cell
        return cell_efficiency(temperature_K, c.efficiency_bol, c.temperature_coefficient_per_K,
                               c.reference_temperature_K)


@dataclass(frozen=True)
class BatteryConfig:
    """A battery.  Efficiencies and power limits default to the cell's values.

    Parameters
    ----------
    cell : BatteryCell
        Cell type.
    capacity_Wh : float or None
        Nameplate (beginning-of-life) energy capacity [Wh]; None for a battery still to be sized
        (the sizing), which :func:`simulate_power` refuses.
    max_depth_of_discharge : float
        Allowed depth of discharge; the SOC never goes below ``1 - max_depth_of_discharge`` [-].
    charge_efficiency : float, optional
        Energy efficiency of charging (battery and charge regulator) [-]; default the cell's.
    discharge_efficiency : float, optional
        Energy efficiency of discharging (battery and discharge regulator) [-]; default the cell's.
    max_charge_W : float, optional
        Charge power limit at the terminals [W]; default ``cell.max_c_rate_charge * capacity``.
    max_discharge_W : float, optional
        Discharge power limit [W]; default ``cell.max_c_rate_discharge * capacity``.
    initial_soc : float, default 1
        State of charge at the start of a run [-].
    cycles_per_year : float, default 5500
        Cycles per year for the end-of-life capacity fade [1/year] (ESA Bulletin 90).
    """

    cell: BatteryCell
    capacity_Wh: float | None
    max_depth_of_discharge: float
    charge_efficiency: float | None = None
    discharge_efficiency: float | None = None
    max_charge_W: float | None = None
    max_discharge_W: float | None = None
    initial_soc: float = 1.0
    cycles_per_year: float = LEO_CYCLES_PER_YEAR

    def __post_init__(self):
        need(isinstance(self.cell, BatteryCell), "battery.cell", "a BatteryCell", self.cell)
        need(self.capacity_Wh is None or (is_finite(self.capacity_Wh) and self.capacity_Wh > 0),
             "battery.capacity_Wh", "a capacity > 0 Wh or None", self.capacity_Wh)
        need(is_finite(self.max_depth_of_discharge) and 0 < self.max_depth_of_discharge <= 1,
              "battery.max_depth_of_discharge", "a fraction in (0, 1]", self.max_depth_of_discharge)
        defaults = {
            "charge_efficiency": self.cell.charge_efficiency,
            "discharge_efficiency": self.cell.discharge_efficiency,
            "max_charge_W": None if self.capacity_Wh is None else self.cell.max_c_rate_charge * self.capacity_Wh,
            "max_discharge_W": None if self.capacity_Wh is None else self.cell.max_c_rate_discharge * self.capacity_Wh,
        }
        for name, value in defaults.items():  # fill defaults at construction, never later
            if getattr(self, name) is None and value is not None:
                object.__setattr__(self, name, float(value))
        for name in ("charge_efficiency", "discharge_efficiency"):
            v = getattr(self, name)
            need(is_finite(v) and 0 < v <= 1, f"battery.{name}", "a fraction in (0, 1]", v)
        for name in ("max_charge_W", "max_discharge_W"):
            v = getattr(self, name)
            need((v is None and self.capacity_Wh is None) or (is_finite(v) and v >= 0), f"battery.{name}",
                 "a power >= 0 W", v)
        need(is_finite(self.initial_soc) and 0 <= self.initial_soc <= 1, "battery.initial_soc",
              "a fraction in [0, 1]", self.initial_soc)
        need(is_finite(self.cycles_per_year) and self.cycles_per_year >= 0,
              "battery.cycles_per_year", "a rate >= 0", self.cycles_per_year)

    @property
    def min_soc(self) -> float:
        """Hard SOC floor, ``1 - max_depth_of_discharge`` [-]."""
        return 1.0 - self.max_depth_of_discharge

    def capacity_remaining_fraction(self, years: float) -> float:
        """Capacity left after ``years`` cycling at ``max_depth_of_discharge`` [-]."""
        return float(_battery.capacity_remaining_fraction(
            years, self.max_depth_of_discharge, self.cell, self.cycles_per_year))


@dataclass(frozen=True)
class LoadConfig:
    """The electric loads on the bus: the compute (with its schedule) and the bus loads.

    Parameters
    ----------
    compute : thermal.core.compute.Compute or None
        GPUs, their electronics and schedule (see :mod:`power.loads`); None: no compute.
    bus_load_W : float, default 0
        Avionics, pumps: constant and never throttled [W].
    heater_W : float or numpy.ndarray, default 0
        Thermostatic heaters: a bus load that follows the thermal model, constant or one value per
        step of the simulated orbit; never throttled [W].
    """

    compute: Compute | None
    bus_load_W: float = 0.0
    heater_W: float | np.ndarray = 0.0

    def __post_init__(self):
        need(self.compute is None or isinstance(self.compute, Compute), "LoadConfig.compute",
             "a Compute or None", self.compute)
        need(is_finite(self.bus_load_W) and self.bus_load_W >= 0, "LoadConfig.bus_load_W", "a power >= 0 W",
             self.bus_load_W)
        heaters = np.asarray(self.heater_W, dtype=float)
        need(bool(np.all(np.isfinite(heaters)) and np.all(heaters >= 0)), "LoadConfig.heater_W",
             "powers >= 0 W", self.heater_W)


@dataclass(frozen=True)
class PowerTimeseries:
    """Result of :func:`simulate_power`.  Arrays have shape (N,); powers are step averages [W].

    Attributes
    ----------
    time_s, step_s : numpy.ndarray
        Step start times and durations [s].
    in_eclipse : numpy.ndarray of bool
        Eclipse flag per step.
    array_efficiency : numpy.ndarray
        Cell efficiency at the array temperature [-].
    array_cell_power_W : numpy.ndarray
        Power available at the cell terminals [W].
    array_power_W : numpy.ndarray
        Power available at the bus, after harness and regulator losses [W].
    array_electric_out_W_m2 : numpy.ndarray
        Power actually extracted at the cell terminals per m^2 of array (shunted power stays
        in the array as heat) [W/m^2].
    load_demand_W, compute_demand_W : numpy.ndarray
        Demanded total and compute load [W].
    load_W, compute_W, bus_load_W : numpy.ndarray
        Delivered total, compute (GPUs + overhead) and bus load [W].
    battery_soc : numpy.ndarray
        State of charge at step start [-].
    battery_energy_Wh : numpy.ndarray
        Stored energy at step start [Wh].
    battery_charge_W, battery_discharge_W : numpy.ndarray
        Power into / out of the battery terminals [W].
    battery_loss_W : numpy.ndarray
        Battery heat [W].
    shunt_W : numpy.ndarray
        Surplus bus power not drawn from the array [W].
    throttled_W : numpy.ndarray
        Compute cut on purpose by the 'soc_floor' schedule [W].
    unserved_W : numpy.ndarray
        Demand not served: battery at its floor or discharge limit [W].
    conversion_loss_W : numpy.ndarray
        Harness and regulator losses on the power drawn [W].
    battery_soc_end : float
        State of charge after the last step [-].
    battery_energy_end_Wh : float
        Stored energy after the last step [Wh].
    battery_capacity_Wh : float
        Capacity used in the run (faded at end of life) [Wh].
    battery_min_soc, battery_throttle_soc : float
        Hard floor and throttle floor used [-].
    charge_efficiency, discharge_efficiency : float
        Battery efficiencies used [-].
    degradation_factor : float
        Array end-of-life factor used [-].
    """

    time_s: np.ndarray
    step_s: np.ndarray
    in_eclipse: np.ndarray
    array_efficiency: np.ndarray
    array_cell_power_W: np.ndarray
    array_power_W: np.ndarray
    array_electric_out_W_m2: np.ndarray
    load_demand_W: np.ndarray
    compute_demand_W: np.ndarray
    load_W: np.ndarray
    compute_W: np.ndarray
    bus_load_W: np.ndarray
    battery_soc: np.ndarray
    battery_energy_Wh: np.ndarray
    battery_charge_W: np.ndarray
    battery_discharge_W: np.ndarray
    battery_loss_W: np.ndarray
    shunt_W: np.ndarray
    throttled_W: np.ndarray
    unserved_W: np.ndarray
    conversion_loss_W: np.ndarray
    battery_soc_end: float
    battery_energy_end_Wh: float
    battery_capacity_Wh: float
    battery_min_soc: float
    battery_throttle_soc: float
    charge_efficiency: float
    discharge_efficiency: float
    degradation_factor: float

    def as_dict(self) -> dict:
        """Fields as a plain dict (arrays stay numpy arrays)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _series(name, value, n):
    a = np.asarray(value, dtype=float)
    try:
        a = np.broadcast_to(a, (n,))
    except ValueError:
        raise ValueError(f"{name}: expected a scalar or shape ({n},), got shape {a.shape}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: contains non-finite values")
    return a


def array_bus_power_per_area_W_m2(arrays: SolarArrayConfig, temperature_K, end_of_life=False,
                                  solar_irradiance_W_m2=1361.0, cos_incidence=1.0):
    """Bus power per m^2 of array at one operating point [W/m^2].

    Parameters
    ----------
    arrays : SolarArrayConfig
        Array configuration (its ``area_m2`` is not used).
    temperature_K : array_like
        Array temperature [K].
    end_of_life : bool, default False
        Apply the end-of-life factor.
    solar_irradiance_W_m2 : float, default 1361
        Solar irradiance [W/m^2].
    cos_incidence : array_like, default 1
        Cosine of incidence [-].

    Returns
    -------
    numpy.ndarray or float
        [W/m^2]
    """
    eta = arrays.efficiency(temperature_K)
    return (array_cell_power_W(solar_irradiance_W_m2, cos_incidence, 1.0, arrays.packing_factor,
                               eta, arrays.degradation_factor(end_of_life))
            * arrays.path_efficiency)


def simulate_power(time_s, solar_incident_W_m2, cos_incidence, array_temperature_K,
                   arrays: SolarArrayConfig, battery: BatteryConfig, loads: LoadConfig,
                   in_eclipse, end_of_life: bool = False, *, period_s=None, initial_soc=None,
                   gpu_full_power_W=None, lit_fraction=1.0):
    """Run the power system over a time series.

    Parameters
    ----------
    time_s : array_like, shape (N,)
        Step start times, strictly increasing [s].
    solar_incident_W_m2 : array_like, shape (N,) or scalar
        Solar irradiance on a sun-normal plane at the array, after Earth shadow (0 in umbra,
        partial in penumbra) [W/m^2].
    cos_incidence : array_like, shape (N,) or scalar, or None
        Cosine of the sun's incidence on the cells [-]; None only for 'sun_pointing' (then 1).
    array_temperature_K : array_like, shape (N,) or scalar
        Cell temperature [K] (from the thermal model).
    arrays : SolarArrayConfig
        Array.
    battery : BatteryConfig
        Battery.
    loads : LoadConfig
        Loads and schedule.
    in_eclipse : array_like of bool, shape (N,)
        Eclipse flag, used by the 'eclipse_throttle' schedule.
    end_of_life : bool, default False
        Degrade the array to ``arrays.mission_years`` and fade the battery capacity for the
        same time at ``battery.max_depth_of_discharge`` per cycle.
    period_s : float, optional
        Length of the series when it is one period: the last step then ends at
        ``time_s[0] + period_s`` (default: last step as long as the one before).
    initial_soc : float, optional
        Overrides ``battery.initial_soc`` [-].
    gpu_full_power_W : array_like, shape (N,) or scalar, optional
        Power of one GPU at full utilisation in each step [W]: its TDP raised by leakage at the
        junction temperature the thermal model gives (the GPU power it scales, the throttleable
        part included); default the GPU's TDP.
    lit_fraction : array_like, shape (N,) or scalar, default 1
        Share of the cell area that other parts of the spacecraft leave in the sun (the body or a
        radiator shading a wing) [-]. The output is proportional to it
        (:func:`lit_output_fraction`).

    Returns
    -------
    PowerTimeseries
    """
    dt = _battery.step_durations_s(time_s, period_s)
    t = np.asarray(time_s, dtype=float)
    n = t.size
    S = _series("solar_incident_W_m2", solar_incident_W_m2, n)
    if np.any(S < 0):
        raise ValueError("solar_incident_W_m2: expected values >= 0")
    if cos_incidence is None:
        need(arrays.pointing == "sun_pointing", "cos_incidence",
              "an array (only 'sun_pointing' arrays may leave it out)", None)
        cos_i = np.ones(n)
    else:
        cos_i = _series("cos_incidence", cos_incidence, n)
        if np.any(cos_i > 1.0 + 1e-9):
            raise ValueError("cos_incidence: expected values <= 1")
        cos_i = np.clip(cos_i, 0.0, 1.0)
    T = _series("array_temperature_K", array_temperature_K, n)
    if np.any(T <= 0):
        raise ValueError("array_temperature_K: expected kelvin > 0")
    ecl = np.asarray(in_eclipse)
    if ecl.shape != (n,):
        ecl = np.broadcast_to(ecl, (n,))
    ecl = ecl.astype(bool)

    # array
    eta = np.asarray(arrays.efficiency(T), dtype=float)
    degradation = arrays.degradation_factor(end_of_life)
    lit = _series("lit_fraction", lit_fraction, n)
    if np.any((lit < -1e-9) | (lit > 1.0 + 1e-9)):
        raise ValueError("lit_fraction: expected values in [0, 1]")
    cell_W = array_cell_power_W(S, cos_i, arrays.area_m2, arrays.packing_factor, eta, degradation,
                                lit_output_fraction(np.clip(lit, 0.0, 1.0)))
    k_path = arrays.path_efficiency
    bus_W = cell_W * k_path

    # battery
    capacity_Wh = given(battery.capacity_Wh, "battery.capacity_Wh", "a capacity to simulate (it is still to be sized)")
    charge_efficiency = given(battery.charge_efficiency, "battery.charge_efficiency", "a fraction")
    discharge_efficiency = given(battery.discharge_efficiency, "battery.discharge_efficiency", "a fraction")
    if end_of_life:
        capacity_Wh *= battery.capacity_remaining_fraction(arrays.mission_years)
        if not capacity_Wh > 0:
            raise ValueError("battery: capacity fully faded at end of life; check the fade "
                             "parameters, max_depth_of_discharge and mission_years")
    min_soc = battery.min_soc
    throttle_soc = min_soc
    c = loads.compute
    if c is not None and c.schedule == "soc_floor" and c.soc_floor is not None:
        throttle_soc = max(c.soc_floor, min_soc)

    # loads
    if c is None:
        compute_demand = throttleable = np.zeros(n)
    else:
        gpu_W = c.gpu.tdp_W if gpu_full_power_W is None else _series("gpu_full_power_W", gpu_full_power_W, n)
        if np.any(np.asarray(gpu_W) < 0):
            raise ValueError("gpu_full_power_W: expected values >= 0")
        compute_demand = compute_demand_W(ecl, c.count, gpu_W, c.utilisation, c.overhead_W, c.schedule,
                                          c.eclipse_utilisation)
        throttleable = throttleable_compute_W(ecl, c.count, gpu_W, c.utilisation, c.schedule,
                                              c.eclipse_utilisation, c.min_utilisation)
    bus_demand = float(loads.bus_load_W) + np.broadcast_to(np.asarray(loads.heater_W, dtype=float), (n,))
    fixed = bus_demand + compute_demand - throttleable

    d = _battery.dispatch_battery(
        dt, bus_W, fixed, throttleable, capacity_Wh,
        battery.initial_soc if initial_soc is None else initial_soc,
        min_soc, throttle_soc, charge_efficiency, discharge_efficiency,
        battery.max_charge_W, battery.max_discharge_W)

    # unserved demand is taken from the compute payload first, then from the bus loads
    compute_after_throttle = compute_demand - d.throttled_W
    compute_cut = np.minimum(d.unserved_W, compute_after_throttle)
    compute_W = compute_after_throttle - compute_cut
    bus_W_delivered = bus_demand - (d.unserved_W - compute_cut)
    drawn_bus_W = bus_W - d.shunt_W
    extracted_cell_W = drawn_bus_W / k_path
    per_area = extracted_cell_W / arrays.area_m2 if arrays.area_m2 > 0 else np.zeros(n)

    return PowerTimeseries(
        time_s=t.copy(),
        step_s=dt,
        in_eclipse=ecl.copy(),
        array_efficiency=np.broadcast_to(eta, (n,)).copy(),
        array_cell_power_W=cell_W,
        array_power_W=bus_W,
        array_electric_out_W_m2=per_area,
        load_demand_W=compute_demand + bus_demand,
        compute_demand_W=compute_demand,
        load_W=compute_W + bus_W_delivered,
        compute_W=compute_W,
        bus_load_W=bus_W_delivered,
        battery_soc=d.soc_start,
        battery_energy_Wh=d.energy_start_Wh,
        battery_charge_W=d.charge_W,
        battery_discharge_W=d.discharge_W,
        battery_loss_W=d.loss_W,
        shunt_W=d.shunt_W,
        throttled_W=d.throttled_W,
        unserved_W=d.unserved_W,
        conversion_loss_W=extracted_cell_W - drawn_bus_W,
        battery_soc_end=float(d.soc_end),
        battery_energy_end_Wh=float(d.energy_end_Wh),
        battery_capacity_Wh=float(capacity_Wh),
        battery_min_soc=float(min_soc),
        battery_throttle_soc=float(throttle_soc),
        charge_efficiency=float(charge_efficiency),
        discharge_efficiency=float(discharge_efficiency),
        degradation_factor=float(degradation),
    )


def power_summary(ts: PowerTimeseries, period_s=None) -> dict:
    """Orbit figures of merit over the last ``period_s`` of a run (all of it if None).

    ``energy_margin`` compares what the array generated with what it must generate to carry
    the *demanded* load: load met directly by the array counts once, load carried through the
    battery counts divided by the round-trip efficiency::

        E_required = sum(min(demand, array) dt) + sum(max(demand - array, 0) dt) / (eta_c eta_d)
        energy_margin = E_generated / E_required - 1

    so it is 0 for a design sized exactly by :func:`power.sizing.required_array_area_m2`,
    positive when there is surplus (shunted) and negative when the array cannot carry the load;
    with no load at all it is ``inf`` (``null`` in ``summary.json``).

    Parameters
    ----------
    ts : PowerTimeseries
        A run.
    period_s : float, optional
        Orbit period [s]; the summary covers the steps starting in the last ``period_s``.

    Returns
    -------
    dict
        Contract keys ``array_power_orbit_avg_W``, ``load_orbit_avg_W``, ``battery_soc_min``,
        ``energy_margin``, and ``shortfall_W`` / ``shortfall_Wh`` (extra generation the array
        would need per orbit, orbit-averaged / per orbit; 0 when it can carry the load), plus
        ``unserved_Wh`` (load not served because the battery would be emptied or its discharge
        limit reached), ``throttled_Wh``, ``shunt_Wh``, energy flows and losses, and
        ``energy_balance_error`` (closure of cell energy = load + losses + stored, relative to the
        largest of those flows and the generation).
    """
    t_end = ts.time_s[-1] + ts.step_s[-1]
    if period_s is None:
        w = np.ones(ts.time_s.size, dtype=bool)
    else:
        need(period_s > 0, "period_s", "> 0", period_s)
        w = ts.time_s >= t_end - period_s - 1e-9 * max(abs(t_end), 1.0)
    dt = ts.step_s[w]
    span = float(dt.sum())

    def energy_J(x):
        return float(np.sum(x[w] * dt))

    def avg(x):
        return energy_J(x) / span

    i0 = int(np.flatnonzero(w)[0])
    soc = np.append(ts.battery_soc[w], ts.battery_soc_end)
    E_start_Wh = float(ts.battery_energy_Wh[i0])
    dE_Wh = ts.battery_energy_end_Wh - E_start_Wh

    array_W = ts.array_power_W
    demand = ts.load_demand_W
    direct = np.minimum(demand, array_W)
    deficit = np.maximum(demand - array_W, 0.0)
    round_trip = ts.charge_efficiency * ts.discharge_efficiency
    E_gen = energy_J(array_W)
    E_req = energy_J(direct) + energy_J(deficit) / round_trip
    margin = E_gen / E_req - 1.0 if E_req > 0 else math.inf
    shortfall_J = max(E_req - E_gen, 0.0)

    extracted_J = energy_J(ts.array_power_W - ts.shunt_W) + energy_J(ts.conversion_loss_W)
    used_J = energy_J(ts.load_W) + energy_J(ts.conversion_loss_W) + energy_J(ts.battery_loss_W)
    closure = abs(extracted_J - used_J - dE_Wh * 3600.0)
    # relative to the largest flow, the array's generation included: with nothing drawn (no load,
    # everything shunted) the closure is round-off of zero and must not be divided by a tiny number
    scale = max(abs(extracted_J), abs(used_J), abs(dE_Wh) * 3600.0, abs(E_gen))

    return {
        "array_power_orbit_avg_W": avg(array_W),
        "array_cell_power_orbit_avg_W": avg(ts.array_cell_power_W),
        "load_orbit_avg_W": avg(ts.load_W),
        "load_demand_orbit_avg_W": avg(demand),
        "compute_orbit_avg_W": avg(ts.compute_W),
        "compute_demand_orbit_avg_W": avg(ts.compute_demand_W),
        "bus_load_orbit_avg_W": avg(ts.bus_load_W),
        "battery_soc_min": float(soc.min()),
        "battery_soc_max": float(soc.max()),
        "battery_depth_of_discharge_max": float(1.0 - soc.min()),
        "battery_capacity_Wh": ts.battery_capacity_Wh,
        "battery_energy_change_Wh": float(dE_Wh),
        "battery_charge_Wh": energy_J(ts.battery_charge_W) / 3600.0,
        "battery_discharge_Wh": energy_J(ts.battery_discharge_W) / 3600.0,
        "battery_loss_orbit_avg_W": avg(ts.battery_loss_W),
        "conversion_loss_orbit_avg_W": avg(ts.conversion_loss_W),
        "shunt_orbit_avg_W": avg(ts.shunt_W),
        "shunt_Wh": energy_J(ts.shunt_W) / 3600.0,
        "throttled_Wh": energy_J(ts.throttled_W) / 3600.0,
        "unserved_Wh": energy_J(ts.unserved_W) / 3600.0,
        "unserved_W_max": float(ts.unserved_W[w].max()),
        "energy_generated_Wh": E_gen / 3600.0,
        "energy_required_Wh": E_req / 3600.0,
        "energy_margin": float(margin),
        "shortfall_Wh": shortfall_J / 3600.0,
        "shortfall_W": shortfall_J / span,
        "energy_balance_error": float(closure / scale) if scale > 0 else 0.0,
        "duration_s": span,
    }


@dataclass(frozen=True)
class PeriodicPower:
    """Result of :func:`periodic_power`.

    Attributes
    ----------
    timeseries : PowerTimeseries
        The last orbit run (the periodic one when ``converged``).
    summary : dict
        :func:`power_summary` of that orbit.
    orbits : int
        Orbits simulated.
    converged : bool
        Whether the SOC at orbit start repeated to ``soc_tolerance``.
    drained : bool
        Whether, in the periodic state, the battery reaches its floor with load unserved
        (the array and battery cannot carry the demanded load).
    throttled : bool
        Whether the 'soc_floor' schedule cuts compute in the periodic state.
    soc_at_orbit_start : numpy.ndarray
        SOC at the start of every orbit simulated, then the final one [-].
    """

    timeseries: PowerTimeseries
    summary: dict
    orbits: int
    converged: bool
    drained: bool
    throttled: bool
    soc_at_orbit_start: np.ndarray


def periodic_power(time_s, solar_incident_W_m2, cos_incidence, array_temperature_K,
                   arrays: SolarArrayConfig, battery: BatteryConfig, loads: LoadConfig,
                   in_eclipse, end_of_life: bool = False, *, period_s=None, max_orbits=200,
                   soc_tolerance=1e-9, gpu_full_power_W=None, lit_fraction=1.0) -> PeriodicPower:
    """Repeat one orbit until the SOC at orbit start repeats (periodic steady state).

    The inputs describe one orbit (as for :func:`simulate_power`; ``period_s`` defaults to
    ``time_s[-1] - time_s[0]`` plus the last interval).  Starting from
    ``battery.initial_soc``, each orbit starts from the SOC the previous one ended with.
    While an orbit neither fills the battery nor reaches a floor, the next orbit is the same
    SOC curve shifted by the orbit's net change; the iteration then jumps straight to the
    shift at which the curve touches full (net gain) or the floor (net loss), so convergence
    takes a few orbits, not hundreds.

    Parameters
    ----------
    time_s, solar_incident_W_m2, cos_incidence, array_temperature_K, arrays, battery, loads, in_eclipse, end_of_life
        As for :func:`simulate_power`, for one orbit.
    gpu_full_power_W, lit_fraction : array_like, shape (N,) or scalar, optional
        As for :func:`simulate_power`, for one orbit.
    period_s : float, optional
        Orbit period [s].
    max_orbits : int, default 200
        Orbits to try before giving up [-].
    soc_tolerance : float, default 1e-9
        Convergence tolerance on the SOC at orbit start [-].

    Returns
    -------
    PeriodicPower
    """
    t = np.asarray(time_s, dtype=float)
    need(isinstance(max_orbits, int) and max_orbits >= 1, "max_orbits", "an integer >= 1", max_orbits)
    if period_s is None:
        need(t.size > 1, "time_s", "at least two samples when period_s is not given", t.size)
        period_s = float(t[-1] - t[0] + (t[-1] - t[-2]))
    soc = float(battery.initial_soc)
    history = [soc]
    converged = False
    ts = None
    for _ in range(max_orbits):
        ts = simulate_power(t, solar_incident_W_m2, cos_incidence, array_temperature_K, arrays,
                            battery, loads, in_eclipse, end_of_life, period_s=period_s,
                            initial_soc=soc, gpu_full_power_W=gpu_full_power_W, lit_fraction=lit_fraction)
        soc_end = ts.battery_soc_end
        delta = soc_end - soc
        if abs(delta) <= soc_tolerance:
            converged = True
            history.append(soc_end)
            break
        curve = np.append(ts.battery_soc, soc_end)
        lo, hi = float(curve.min()), float(curve.max())
        free = hi < 1.0 - 1e-12 and lo > ts.battery_throttle_soc + 1e-12
        if free and delta > 0:
            soc_next = min(1.0, soc + (1.0 - hi) + delta)
        elif free and delta < 0:
            soc_next = max(0.0, soc - (lo - ts.battery_throttle_soc) + delta)
        else:
            soc_next = soc_end
        soc = soc_next
        history.append(soc)
    ts = given(ts, "max_orbits", "at least one orbit")
    summary = power_summary(ts, period_s)
    demand_Wh = max(summary["load_demand_orbit_avg_W"] * period_s / 3600.0, 1e-300)
    drained = summary["unserved_Wh"] > 1e-9 * demand_Wh
    if not converged and summary["battery_soc_min"] <= ts.battery_min_soc + 1e-9 and np.diff(history)[-1] < 0:
        drained = True
    return PeriodicPower(
        timeseries=ts,
        summary=summary,
        orbits=len(history) - 1,     # one entry per orbit run after the initial state
        converged=converged,
        drained=bool(drained),
        throttled=bool(summary["throttled_Wh"] > 1e-9 * demand_Wh),
        soc_at_orbit_start=np.array(history),
    )
