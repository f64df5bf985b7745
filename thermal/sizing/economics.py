"""Masses, launch and mission cost of an orbital data centre, against a data centre on the ground.

Inputs, each a frozen dataclass of SI floats (USD for money) in :mod:`thermal.case.sizing`,
whose defaults carry their sources and ranges (one table: :data:`thermal.case.sizing.ECONOMICS_UNCERTAINTY`):

- :class:`SpecificMasses` and :class:`Propulsion`: the mass breakdown of a module
  (:func:`thermal.sizing.size_design`), with its bus, shielding and propellant.
- :class:`LaunchOptions`: price per kg and payload of a launcher to its headline orbit, and the
  parameters of the payload to the design orbit (:func:`launch_to_orbit`).
- :class:`CostInputs` (mission life, GPU price, the hardware prices by part, GPU failures and
  spares) and :class:`TerrestrialComparison` (construction cost per W, PUE, electricity price).

The cost model (:func:`orbital_cost`, :func:`terrestrial_cost`, :func:`compare_costs`)
--------------------------------------------------------------------------------------
Undiscounted life-cycle cost over the mission, the same GPUs on both sides::

    orbit  = GPUs (and spares) + array (USD/W) + battery (USD/kWh) + radiator (USD/m^2)
             + buses (USD per module) + the rest of the dry mass (USD/kg) + launch to the design orbit
    ground = GPUs + construction (IT power x USD/W) + electricity (IT power x PUE x hours x price)
             + the failed GPUs replaced

Cost per GPU-hour divides by the GPU-hours each side delivers (:class:`GpuHours`): on the
ground every GPU for the whole mission (failed ones are replaced); in orbit the nameplate
hours less those the compute schedule switches off (``eclipse_throttle``: the GPUs' share of
the eclipse utilisation, over the eclipse fraction of the year's orbit cases), less those lost
to GPU failures without repair (``N(t) = N (1 + spares) exp(-lambda t)``, at most N running),
times the useful fraction of the compute (``compute.redundancy``, 1/3 for triple modular
redundancy). Break-even values (:func:`breakeven`) are those of the launch price, the average
hardware price per kg and the mass per kW at which the orbit's cost per GPU-hour equals the
ground's; each is linear in its lever and solved in closed form; one that no value closes (the
orbit costs more even at zero) is None with the reason.

Left out on purpose (each favours one side; say so when you quote a result): discounting and
financing; ground staff, maintenance and land; orbital operations (ground stations, insurance);
the bandwidth to the ground; the rest of the server's price (the same on both sides); the
propellant's own price (small against its launch).

References
----------
.. [1] SpaceNews: Falcon 9 about 3,600 USD/kg to LEO; Starship targets 200-300 USD/kg near term
   and below 100 USD/kg (as compiled in the project's REFERENCE_DATA.md).
.. [2] Cushman & Wakefield, *Data Center Development Cost Guide* (2025): 9.3-15 M USD per MW,
   average 11.7 M USD/MW, excluding IT equipment.
.. [3] Uptime Institute Global Data Center Surveys 2020-2023: average PUE 1.55-1.59; new builds
   at or below 1.3.
.. [4] U.S. EIA, *Electric Power Monthly* (2023): average industrial retail price about
   0.08 USD/kWh.
.. [5] NVIDIA DGX H100 datasheet: 8 x H100 SXM5, 10.2 kW maximum system power, system weight
   130.45 kg (287.6 lb).
.. [6] M. M. Mikulas et al., NTRS 20150006022: flexible blanket arrays about 150 W/kg.
.. [7] ESA ARTES, Saft VES180: 160 Wh/kg at cell level.
.. [8] NASA, "Spacewalkers Install Spare Ammonia Pump" (16 Aug 2010): the ISS external loop pump
   module weighs 780 lb (354 kg) for a 35 kW loop; ISS EATCS radiators 6 x 1,123 kg for 70 kW.
.. [9] NASA SBIR 91-1-09.08: conventional radiator panels about 7 kg/m^2, lightweight deployable
   concepts 0.5-3 kg/m^2.
.. [10] AIAA S-120A-2015, *Mass Properties Control for Space Systems* (mass growth allowance).
.. [11] Quilty Space estimates reported in the trade press (2023): Starlink v1 about
   200 k USD for 260 kg, v2 mini about 800 k USD for 730 kg, i.e. 770-1,100 USD/kg (secondary).
.. [12] A. Dubey et al., *The Llama 3 Herd of Models*, arXiv:2407.21783 (2024), table 5: 148 faulty
   GPUs and 72 HBM3 failures in 54 days of training on 16,384 H100.
.. [13] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., 2013, sec. 6.4
   (launch azimuth: cos i = cos(latitude) sin(azimuth)); H. D. Curtis, *Orbital Mechanics for
   Engineering Students*, 3rd ed., 2014, sec. 6.2 (Hohmann transfer).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from thermal.case.sizing import CostInputs, EconomicsConfig, LaunchOptions, SizingConfig, TerrestrialComparison
from thermal.core.constants import HOURS_PER_YEAR
from thermal.core.errors import InfeasibleError
from thermal.sizing.design import Design, battery_cycles_per_year, propulsion_delta_v_m_s, size_design
from thermal.sizing.orbit_cases import SizingEnvironment
from thermal.sizing.propulsion import G0_M_S2, MU_EARTH_M3_S2, R_EARTH_M

__all__ = ["HOURS_PER_YEAR", "CostBreakdown", "GpuHours", "MissionCosts", "launch_cost_usd", "launch_to_orbit",
           "gpu_hours", "orbital_cost", "terrestrial_cost", "breakeven", "breakeven_launch_price_usd_kg",
           "compare_costs", "cost_samples", "design_point", "summary_dict"]

#: Earth's rotation rate [rad/s] (sidereal day 86,164.1 s).
EARTH_ROTATION_RAD_S = 7.2921159e-5


# --------------------------------------------------------------------------------------------
# Launch
# --------------------------------------------------------------------------------------------


def launch_cost_usd(mass_kg: float, launches: int, launch: LaunchOptions,
                    price_usd_kg: float | None = None) -> float:
    """Launch cost of a design.

    Parameters
    ----------
    mass_kg : float
        Total launched mass [kg].
    launches : int
        Number of launches [-] (used when ``launch.charge == 'per_launch'``).
    launch : LaunchOptions
        Vehicle and charging rule.
    price_usd_kg : float, optional
        Price per kg overriding ``launch.price_usd_kg`` [USD/kg].

    Returns
    -------
    float
        Cost [USD].
    """
    price = launch.price_usd_kg if price_usd_kg is None else price_usd_kg
    if launch.charge == "per_launch":
        return launches * price * launch.payload_kg
    return price * mass_kg


def _hohmann_m_s(r1: float, r2: float) -> float:
    """Both burns of a Hohmann transfer between circular orbits (Curtis sec. 6.2) [m/s]."""
    a = 0.5 * (r1 + r2)
    return (abs(math.sqrt(MU_EARTH_M3_S2 * (2.0 / r1 - 1.0 / a)) - math.sqrt(MU_EARTH_M3_S2 / r1))
            + abs(math.sqrt(MU_EARTH_M3_S2 / r2) - math.sqrt(MU_EARTH_M3_S2 * (2.0 / r2 - 1.0 / a))))


def launch_to_orbit(launch: LaunchOptions, altitude_m: float, inclination_rad: float | None) -> tuple:
    """The launcher's payload and price per kg to a circular design orbit, and how they follow.

    Model: the headline payload ``P`` is quoted to a circular orbit at the reference altitude,
    launched due east from the site. The design orbit costs extra delta-v: (1) the inclination,
    ``dv_i = sqrt(v^2 - 2 v v_e sin A + v_e^2) - (v - v_e)`` with ``sin A = cos i / cos(lat)`` the
    launch azimuth (Vallado sec. 6.4), ``v`` the circular speed at the reference altitude and
    ``v_e = omega R cos(lat)`` the site's rotation speed (a retrograde sun-synchronous orbit loses
    the rotation and fights it); an inclination below the site's latitude adds a plane change
    ``2 v sin(di / 2)`` to a due-east launch; (2) the altitude, a Hohmann transfer from the
    reference orbit. The stage that reaches orbit carries payload ``P'`` and its dry mass ``D``:
    ``P' + D = (P + D) exp(-dv / (Isp g0))`` (Tsiolkovsky). A design orbit lower or cheaper than
    the reference is not credited: ``P' <= P``. The price of a launch stays; per kg to the design
    orbit it is ``price x P / P'``.

    Parameters
    ----------
    launch : LaunchOptions
    altitude_m : float
        Design orbit altitude [m]; nan (deep space): the headline figures.
    inclination_rad : float or None
        Design orbit inclination [rad]; None: the site's latitude (no plane penalty).

    Returns
    -------
    (LaunchOptions, dict)
        The launcher to the design orbit (``payload_kg`` and ``price_usd_kg`` to that orbit) and
        the model's figures: ``payload_headline_kg``, ``price_headline_usd_per_kg``,
        ``delta_v_inclination_m_s``, ``delta_v_altitude_m_s``, ``model``.
    """
    info = {"payload_headline_kg": launch.payload_kg, "price_headline_usd_per_kg": launch.price_usd_kg,
            "delta_v_inclination_m_s": 0.0, "delta_v_altitude_m_s": 0.0}
    if launch.site_latitude_rad is None or not math.isfinite(altitude_m):
        return launch, {**info, "model": "headline payload and price (no payload model for this launcher or orbit)"}
    lat = launch.site_latitude_rad
    r_ref, r = R_EARTH_M + launch.reference_altitude_m, R_EARTH_M + altitude_m
    v = math.sqrt(MU_EARTH_M3_S2 / r_ref)
    v_e = EARTH_ROTATION_RAD_S * R_EARTH_M * math.cos(lat)
    inc = abs(lat) if inclination_rad is None else inclination_rad
    sin_az = math.cos(inc) / math.cos(lat)
    if abs(sin_az) <= 1.0:
        dv_i = math.sqrt(v * v - 2.0 * v * v_e * sin_az + v_e * v_e) - (v - v_e)
    else:   # below the site's latitude: due east, then a plane change
        dv_i = 2.0 * v * math.sin(0.5 * (abs(lat) - inc))
    dv_h = _hohmann_m_s(r_ref, r) if r > r_ref else 0.0
    dv = max(dv_i + dv_h, 0.0)
    p, d = launch.payload_kg, launch.stage_dry_kg
    payload = min((p + d) * math.exp(-dv / (launch.stage_isp_s * G0_M_S2)) - d, p)
    info.update(delta_v_inclination_m_s=dv_i, delta_v_altitude_m_s=dv_h,
                model=(f"payload to {altitude_m / 1e3:.0f} km at {math.degrees(inc):.1f} deg from "
                       f"{math.degrees(lat):.1f} deg latitude: rocket equation on the stage reaching orbit "
                       f"({launch.stage_isp_s:.0f} s, {d / 1e3:.0f} t dry) for {dv:.0f} m/s beyond the headline "
                       f"orbit ({launch.reference_altitude_m / 1e3:.0f} km, due east)"))
    if payload <= 0.0:
        raise InfeasibleError(f"{launch.name} cannot reach the design orbit: {dv:.0f} m/s beyond its headline "
                              f"orbit leave no payload ({info['model']}); choose another launcher or orbit")
    to_orbit = dataclasses.replace(launch, payload_kg=payload, price_usd_kg=launch.price_usd_kg * p / payload,
                                   source=launch.source + f"; {payload / 1e3:,.1f} t to the design orbit")
    return to_orbit, info


# --------------------------------------------------------------------------------------------
# GPU-hours
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GpuHours:
    """GPU-hours over the mission, and where the orbit loses some.

    Attributes
    ----------
    nameplate : float
        GPUs (without spares) x mission hours [h].
    lost_to_schedule : float
        Switched off by the compute schedule in eclipse: ``nameplate x f_eclipse x (1 - u_e / u)``
        [h].
    lost_to_failures : float
        GPUs failed and not replaced, after the spares ran out, at the schedule's duty [h].
    useful_fraction : float
        ``compute.redundancy`` [-].
    eclipse_fraction : float
        Fraction of the year in eclipse over the orbit cases [-].
    schedule_duty : float
        Fraction of the nameplate GPU-hours the schedule runs [-].
    alive_fraction : float
        Mean fraction of the needed GPUs alive over the mission [-].
    """

    nameplate: float
    lost_to_schedule: float
    lost_to_failures: float
    useful_fraction: float
    eclipse_fraction: float
    schedule_duty: float
    alive_fraction: float

    @property
    def delivered(self) -> float:
        """GPU-hours run [h]."""
        return self.nameplate - self.lost_to_schedule - self.lost_to_failures

    @property
    def useful(self) -> float:
        """GPU-hours of useful compute, ``delivered x useful_fraction`` [h]."""
        return self.delivered * self.useful_fraction


def alive_fraction(rate_per_year, spares_fraction, years: float):
    """Mean over the mission of ``min(1, (1 + s) exp(-lambda t))``: the fraction of the needed GPUs
    running when failures (constant rate lambda, exponential survival) are not repaired and
    ``s`` spares replace failed GPUs until they run out at ``t* = ln(1 + s) / lambda`` [-].

    ``rate_per_year`` and ``spares_fraction`` may be numpy arrays (:func:`cost_samples`); a float
    comes back for floats."""
    lam, s = np.asarray(rate_per_year, dtype=float), np.asarray(spares_fraction, dtype=float)
    safe = np.where(lam > 0.0, lam, 1.0)
    with np.errstate(divide="ignore"):
        t_star = np.where(lam > 0.0, np.log1p(s) / safe, np.inf)
    t_run = np.minimum(t_star, years)
    tail = (1.0 + s) * (np.exp(-lam * t_run) - np.exp(-lam * years)) / safe
    alive = np.where(t_star >= years, 1.0, (t_run + tail) / years)
    return float(alive) if alive.ndim == 0 else alive


def gpu_hours(design: Design, sizing: SizingConfig, inputs: CostInputs) -> GpuHours:
    """GPU-hours the orbital design delivers (:class:`GpuHours`): the eclipse fraction from the
    design's orbit cases weighted over the year, the schedule of its node, the failures and spares
    of ``inputs`` and the node's redundancy."""
    senv = design.module.case_arrays.get("environment")
    f_ecl = senv.eclipse_fraction_of_year if senv is not None else 0.0
    node = sizing.node
    gpu_share = node.eclipse_utilisation / node.utilisation \
        if node.schedule == "eclipse_throttle" and node.utilisation > 0 else 1.0
    duty = 1.0 - f_ecl * (1.0 - gpu_share)
    nameplate = design.gpu_count * inputs.mission_hours
    alive = alive_fraction(inputs.gpu_failure_rate_per_year, inputs.spares_fraction, inputs.mission_years)
    return GpuHours(nameplate=nameplate, lost_to_schedule=nameplate * (1.0 - duty),
                    lost_to_failures=nameplate * duty * (1.0 - alive), useful_fraction=node.redundancy,
                    eclipse_fraction=f_ecl, schedule_duty=duty, alive_fraction=alive)


# --------------------------------------------------------------------------------------------
# Costs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostBreakdown:
    """Life-cycle cost of one side of the comparison.

    Attributes
    ----------
    items_usd : dict
        Cost items [USD] (orbit: compute, solar_array, battery, radiator, bus, other_hardware,
        launch; ground: compute, construction, electricity, replacements).
    total_usd : float
        Sum of the items [USD].
    gpu_hours : float
        Useful GPU-hours delivered over the mission [h].
    compute_energy_kWh : float
        IT (compute) energy over the mission [kWh].
    """

    items_usd: dict
    total_usd: float
    gpu_hours: float
    compute_energy_kWh: float

    @property
    def usd_per_gpu_hour(self) -> float:
        """Cost per useful GPU-hour [USD/h]."""
        return self.total_usd / self.gpu_hours

    @property
    def usd_per_kWh(self) -> float:
        """Cost per kWh of compute (IT) energy [USD/kWh]."""
        return self.total_usd / self.compute_energy_kWh


def _compute_energy_kWh(design: Design, inputs: CostInputs) -> float:
    return design.compute_power_W * inputs.mission_hours / 1000.0


def _spares_kg(design: Design, sizing: SizingConfig, inputs: CostInputs) -> float:
    """Mass of the spare GPUs: their share of a node's mass [kg]."""
    return inputs.spares_fraction * design.gpu_count * sizing.masses.compute_kg_per_node / sizing.node.count


#: Mass items priced by their own unit (the rest of the dry mass at ``spacecraft_usd_per_kg``).
OWN_PRICE_ITEMS = ("compute", "solar_array", "battery", "radiator", "propellant")


def hardware_usd(design: Design, inputs: CostInputs) -> dict:
    """The orbital hardware other than the GPUs, by part [USD]: array per W at beginning of life,
    battery per kWh, radiator per m^2, a bus per module, the rest of the dry mass per kg (heat
    transport, structure, shielding, bus mass, margin, tanks)."""
    b = design.mass_breakdown_kg
    rest_kg = sum(v for k, v in b.items() if k not in OWN_PRICE_ITEMS)
    return {"solar_array": design.module_count * design.module.array_bol_power_W * inputs.array_usd_per_W,
            "battery": design.battery_capacity_Wh / 1000.0 * inputs.battery_usd_per_kWh,
            "radiator": design.radiator_area_m2 * inputs.radiator_usd_per_m2,
            "bus": design.module_count * inputs.bus_usd_per_module,
            "other_hardware": rest_kg * inputs.spacecraft_usd_per_kg}


def launched_mass_kg(design: Design, sizing: SizingConfig, inputs: CostInputs) -> float:
    """The design's mass and the spare GPUs' [kg]."""
    return design.mass_kg + _spares_kg(design, sizing, inputs)


def orbital_cost(design: Design, launch: LaunchOptions, inputs: CostInputs = CostInputs(), *,
                 sizing: SizingConfig | None = None, price_usd_kg: float | None = None) -> CostBreakdown:
    """Life-cycle cost of the orbital design.

    ``compute = gpu_count x (1 + spares) x gpu_price``; the hardware by part
    (:func:`hardware_usd`); ``launch`` from :func:`launch_cost_usd` with the design's launch
    count and its mass with the spares. Divided by the useful GPU-hours (:func:`gpu_hours`).

    Parameters
    ----------
    design : thermal.sizing.Design
        The sized design.
    launch : LaunchOptions
        Vehicle and price to the design orbit (:func:`launch_to_orbit`).
    inputs : CostInputs
        Mission life and prices.
    sizing : SizingConfig, optional
        The sizing (node, schedule, redundancy, masses); default a sizing of the design's node
        defaults (:class:`SizingConfig` with its target).
    price_usd_kg : float, optional
        Launch price overriding ``launch.price_usd_kg`` [USD/kg].

    Returns
    -------
    CostBreakdown
    """
    sizing = SizingConfig(target=dict(design.target)) if sizing is None else sizing
    launches = design.launch_count(launch)
    mass = launched_mass_kg(design, sizing, inputs)
    items = {"compute": design.gpu_count * (1.0 + inputs.spares_fraction) * inputs.gpu_price_usd,
             **hardware_usd(design, inputs),
             "launch": launch_cost_usd(mass, launches, launch, price_usd_kg)}
    return CostBreakdown(items, sum(items.values()), gpu_hours(design, sizing, inputs).useful,
                         _compute_energy_kWh(design, inputs))


def terrestrial_cost(design: Design, terrestrial: TerrestrialComparison = TerrestrialComparison(),
                     inputs: CostInputs = CostInputs()) -> CostBreakdown:
    """Life-cycle cost of the same compute in a data centre on the ground.

    ``compute = gpu_count x gpu_price``; ``construction = compute power x USD/W``;
    ``electricity = compute power x PUE x mission hours x price``; ``replacements = gpu_count x
    failure rate x years x gpu_price`` (failed GPUs are replaced, so every GPU-hour is delivered).

    Parameters
    ----------
    design : thermal.sizing.Design
        The design whose compute (GPU count, IT power) is compared.
    terrestrial : TerrestrialComparison
        Ground inputs.
    inputs : CostInputs
        Mission life and prices.

    Returns
    -------
    CostBreakdown
    """
    energy = _compute_energy_kWh(design, inputs)
    items = {"compute": design.gpu_count * inputs.gpu_price_usd,
             "construction": design.compute_power_W * terrestrial.construction_usd_per_W,
             "electricity": energy * terrestrial.pue * terrestrial.electricity_usd_kWh,
             "replacements": design.gpu_count * inputs.gpu_failure_rate_per_year * inputs.mission_years
             * inputs.gpu_price_usd}
    return CostBreakdown(items, sum(items.values()), design.gpu_count * inputs.mission_hours, energy)


def breakeven(design: Design, launch: LaunchOptions, sizing: SizingConfig,
              terrestrial: TerrestrialComparison = TerrestrialComparison(),
              inputs: CostInputs = CostInputs()) -> dict:
    """The launch price, average hardware price per kg and mass per kW at which the orbit's cost per
    useful GPU-hour equals the ground's, each with the lever alone moved and what it assumes.

    Every orbital cost is linear in each lever: ``orbit(x) = a + b x`` against the target
    ``ground_total x orbit_hours / ground_hours``, so ``x = (target - a) / b``. A negative ``x``
    (the orbit costs more even at zero) is reported as ``value: None`` with the reason.

    Returns
    -------
    dict
        ``launch_price_usd_per_kg`` (to the design orbit; ``headline_usd_per_kg`` the launcher's
        headline price that gives it), ``hardware_usd_per_kg`` (all hardware but the GPUs, per kg
        of the dry mass but the GPUs), ``mass_per_kW_kg`` (launched mass per kW of compute), each a
        dict with ``value``, ``current``, ``assumes`` and, when None, ``reason``.
    """
    return _breakeven(design, launch, sizing, inputs, orbital_cost(design, launch, inputs, sizing=sizing),
                      terrestrial_cost(design, terrestrial, inputs))


def _breakeven(design: Design, launch: LaunchOptions, sizing: SizingConfig, inputs: CostInputs,
               orbit: CostBreakdown, ground: CostBreakdown) -> dict:
    target = ground.total_usd * orbit.gpu_hours / ground.gpu_hours
    items = orbit.items_usd
    mass = launched_mass_kg(design, sizing, inputs)
    kW = design.compute_power_W / 1000.0
    b = design.mass_breakdown_kg
    compute_kg = b["compute"] + _spares_kg(design, sizing, inputs)
    hardware = sum(items[k] for k in ("solar_array", "battery", "radiator", "bus", "other_hardware"))
    hardware_kg = sum(v for k, v in b.items() if k not in ("compute", "propellant"))
    launch_per_kg = items["launch"] / mass    # the price actually paid per launched kg

    def solved(a: float, slope: float, current: float, scale: float, assumes: str, what: str) -> dict:
        x = (target - a) / slope if slope > 0 else math.nan
        out = {"value": x * scale if x >= 0 else None, "current": current, "assumes": assumes}
        if not x >= 0:
            out["reason"] = (f"no {what} closes the gap: the orbit costs {a - target:,.0f} USD more than the ground "
                             "per its GPU-hours even at zero")
        return out

    rest = orbit.total_usd - items["launch"]
    per_kg = launch.charge == "per_kg"
    launch_slope = mass if per_kg else design.launch_count(launch) * launch.payload_kg
    price = solved(rest, launch_slope, launch.price_usd_kg, 1.0,
                   "the design, its hardware prices and the ground held; the launch price per kg to the design orbit "
                   f"alone moved ({launch.charge})", "launch price")
    hw = solved(orbit.total_usd - hardware, hardware_kg, hardware / hardware_kg if hardware_kg > 0 else math.nan, 1.0,
                "the design's masses, its launch and the ground held; every hardware price but the GPUs' scaled by one "
                "factor, reported per kg of the dry mass but the GPUs", "hardware price")
    # mass per kW: the mass but the GPUs scaled by j, its hardware at its current price per kg, launch per kg
    nc_kg = mass - compute_kg
    a = items["compute"] + launch_per_kg * compute_kg
    j = solved(a, launch_per_kg * nc_kg + hardware, 1.0, 1.0, "", "mass per kW")
    mass_kw = {"value": None if j["value"] is None else (compute_kg + j["value"] * nc_kg) / kW,
               "current": mass / kW,
               "assumes": "the GPUs, their mass and the ground held; the rest of the launched mass scaled by one "
                          "factor "
                          "with its hardware cost (at its current price per kg) and launch"}
    if "reason" in j:
        mass_kw["reason"] = j["reason"].replace("mass per kW", "mass per kW (even GPUs alone, with no spacecraft)")
    return {"launch_price_usd_per_kg": price, "hardware_usd_per_kg": hw, "mass_per_kW_kg": mass_kw}


def breakeven_launch_price_usd_kg(design: Design, launch: LaunchOptions,
                                  terrestrial: TerrestrialComparison = TerrestrialComparison(),
                                  inputs: CostInputs = CostInputs(), sizing: SizingConfig | None = None) -> float:
    """Launch price per kg at which the orbit's cost per useful GPU-hour equals the ground's
    (:func:`breakeven`); negative when even a free launch does not close the gap (by ``-p x mass``).

    Returns
    -------
    float
        Break-even launch price [USD/kg].
    """
    sizing = SizingConfig(target=dict(design.target)) if sizing is None else sizing
    return _breakeven_launch(design, launch, sizing, inputs, orbital_cost(design, launch, inputs, sizing=sizing),
                             terrestrial_cost(design, terrestrial, inputs))


def _breakeven_launch(design: Design, launch: LaunchOptions, sizing: SizingConfig, inputs: CostInputs,
                      orbit: CostBreakdown, ground: CostBreakdown) -> float:
    target = ground.total_usd * orbit.gpu_hours / ground.gpu_hours
    rest = orbit.total_usd - orbit.items_usd["launch"]
    slope = launched_mass_kg(design, sizing, inputs) if launch.charge == "per_kg" else \
        design.launch_count(launch) * launch.payload_kg
    return (target - rest) / slope


@dataclass(frozen=True)
class MissionCosts:
    """Orbital and terrestrial costs of one design and the break-even values.

    Attributes
    ----------
    launch : LaunchOptions
        To the design orbit.
    terrestrial : TerrestrialComparison
    inputs : CostInputs
    orbital : CostBreakdown
    ground : CostBreakdown
    launch_count : int
        Launches [-].
    breakeven_launch_price_usd_kg : float
        [USD/kg], see :func:`breakeven_launch_price_usd_kg`.
    hours : GpuHours
    breakeven : dict
        :func:`breakeven`.
    launch_model : dict
        :func:`launch_to_orbit`'s figures.
    """

    launch: LaunchOptions
    terrestrial: TerrestrialComparison
    inputs: CostInputs
    orbital: CostBreakdown
    ground: CostBreakdown
    launch_count: int
    breakeven_launch_price_usd_kg: float
    hours: GpuHours | None = None
    breakeven: dict = dataclasses.field(default_factory=dict)
    launch_model: dict = dataclasses.field(default_factory=dict)


def compare_costs(design: Design, launch: LaunchOptions | None = None,
                  terrestrial: TerrestrialComparison = TerrestrialComparison(),
                  inputs: CostInputs = CostInputs(), sizing: SizingConfig | None = None,
                  launch_model: dict | None = None) -> MissionCosts:
    """Orbital against terrestrial cost of a design.

    Parameters
    ----------
    design : thermal.sizing.Design
        The sized design.
    launch : LaunchOptions, optional
        Vehicle to the design orbit; default the one the design was sized for (``design.launch``).
    terrestrial : TerrestrialComparison
        Ground inputs.
    inputs : CostInputs
        Mission life and prices.
    sizing : SizingConfig, optional
        Node, schedule, redundancy, masses; default the defaults with the design's target.
    launch_model : dict, optional
        :func:`launch_to_orbit`'s figures, reported.

    Returns
    -------
    MissionCosts
    """
    launch = design.launch if launch is None else launch
    sizing = SizingConfig(target=dict(design.target)) if sizing is None else sizing
    orbit = orbital_cost(design, launch, inputs, sizing=sizing)
    ground = terrestrial_cost(design, terrestrial, inputs)
    even = _breakeven(design, launch, sizing, inputs, orbit, ground)
    price = even["launch_price_usd_per_kg"]
    headline = (launch_model or {}).get("payload_headline_kg")
    if price["value"] is not None and headline:   # the headline price per kg that gives it
        price["headline_usd_per_kg"] = price["value"] * launch.payload_kg / headline
    return MissionCosts(
        launch=launch, terrestrial=terrestrial, inputs=inputs,
        orbital=orbit, ground=ground, launch_count=design.launch_count(launch),
        breakeven_launch_price_usd_kg=_breakeven_launch(design, launch, sizing, inputs, orbit, ground),
        hours=gpu_hours(design, sizing, inputs),
        breakeven=even,
        launch_model=dict(launch_model or {}),
    )


def priced_sizing(sizing: SizingConfig, economics: EconomicsConfig) -> tuple[SizingConfig, CostInputs]:
    """The sizing with the economics' mission life (the array's and battery's end of life too)
    and the cost inputs with the resolved life."""
    if economics.mission_years is not None and economics.mission_years != sizing.mission_years:
        sizing = dataclasses.replace(sizing, arrays=dataclasses.replace(sizing.arrays,
                                                                        mission_years=economics.mission_years))
    cost = economics.cost
    return sizing, cost if cost.mission_years == sizing.mission_years else \
        dataclasses.replace(cost, mission_years=sizing.mission_years)


def price_design(design: Design, sizing: SizingConfig, economics: EconomicsConfig, altitude_m: float,
                 inclination_rad: float | None) -> tuple[MissionCosts, dict]:
    """Price a sized design with an economics section: THE pricing path of the solve command
    (:func:`thermal.sizing.run.run_sizing`), :func:`design_point` and the studies' shared designs.

    The launcher is taken to the design orbit (:func:`launch_to_orbit`), the mission life is the
    economics' (:func:`priced_sizing`), and the design is priced (:func:`compare_costs`).

    Parameters
    ----------
    design : Design
    sizing : SizingConfig
        The sizing the design was sized with (node, schedule, redundancy, masses).
    economics : EconomicsConfig
    altitude_m : float
        Altitude of the design orbit [m] (nan in deep space).
    inclination_rad : float or None
        Its inclination [rad], when known.

    Returns
    -------
    (MissionCosts, dict)
        The costs and :func:`summary_dict` of the design with them.
    """
    sizing, inputs = priced_sizing(sizing, economics)
    launch, model = launch_to_orbit(economics.launch, altitude_m, inclination_rad)
    costs = compare_costs(design, launch, economics.terrestrial, inputs, sizing, model)
    return costs, summary_dict(design, costs, sizing)


def design_point(environment: SizingEnvironment, sizing: SizingConfig,
                 economics: EconomicsConfig | None = None) -> tuple[Design, MissionCosts, dict]:
    """Size and price one design point: THE entry for studies (fast: the orbit cases' environment is
    computed once, in ``environment``, and reused).

    The launcher is taken to the design orbit (:func:`launch_to_orbit`: its payload there is the
    largest module unless ``sizing.max_module_mass`` says less), the design sized analytically
    (:func:`thermal.sizing.design.size_design`, no network refinement) and priced
    (:func:`compare_costs`).

    Parameters
    ----------
    environment : SizingEnvironment
        The orbit cases (:func:`thermal.sizing.orbit_cases.sizing_environment`).
    sizing : SizingConfig
    economics : EconomicsConfig, optional
        Default: the defaults.

    Returns
    -------
    (Design, MissionCosts, dict)
        The design, its costs and :func:`summary_dict` of both (every figure by a dotted path).
    """
    economics = EconomicsConfig() if economics is None else economics
    priced, _ = priced_sizing(sizing, economics)
    launch, _ = launch_to_orbit(economics.launch, environment.altitude_m, environment.inclination_rad)
    design, _ = size_design(environment, priced, launch=launch)
    costs, summary = price_design(design, sizing, economics, environment.altitude_m, environment.inclination_rad)
    return design, costs, summary


#: Economics inputs that leave the design as it is, by case key: (CostInputs or
#: TerrestrialComparison field, or 'launch_price'), so :func:`cost_samples` prices a design for
#: arrays of them at once.
PRICE_KEYS = {
    "economics.launch_price": "launch_price",
    "economics.gpu_price": "gpu_price_usd",
    "economics.spacecraft_cost": "spacecraft_usd_per_kg",
    "economics.hardware.array": "array_usd_per_W",
    "economics.hardware.battery": "battery_usd_per_kWh",
    "economics.hardware.radiator": "radiator_usd_per_m2",
    "economics.hardware.bus": "bus_usd_per_module",
    "economics.gpu_failure_rate": "gpu_failure_rate_per_year",
    "economics.spares": "spares_fraction",
    "economics.terrestrial.construction": "construction_usd_per_W",
    "economics.terrestrial.pue": "pue",
    "economics.terrestrial.electricity": "electricity_usd_kWh",
}


class _SampledPrices:
    """The price fields of :class:`CostInputs` and :class:`TerrestrialComparison` as numpy arrays
    (one value per sample), read by :func:`orbital_cost`, :func:`terrestrial_cost` and
    :func:`gpu_hours` exactly as they read the dataclasses' floats (the dataclasses validate
    scalars, so the arrays travel in this plain record instead)."""

    def __init__(self, values: dict, mission_years: float):
        self.__dict__.update(values)
        self.mission_years = mission_years
        self.mission_hours = mission_years * HOURS_PER_YEAR


def cost_samples(design: Design, costs: MissionCosts, sizing: SizingConfig, samples: dict) -> dict:
    """Cost per useful GPU-hour in orbit and on the ground for arrays of the economics inputs that
    leave the design as it is (:data:`PRICE_KEYS`), all at once: :func:`orbital_cost` and
    :func:`terrestrial_cost` themselves, evaluated on numpy arrays of the prices. The launch price
    is the launcher's headline price per kg; to the design orbit it is scaled as in
    :func:`launch_to_orbit`.

    Parameters
    ----------
    design : Design
    costs : MissionCosts
        The design's costs at the nominal inputs (:func:`design_point`): the inputs not sampled.
    sizing : SizingConfig
    samples : dict
        Case key (:data:`PRICE_KEYS`) -> array of values in the unit of :data:`ECONOMICS_UNCERTAINTY`.

    Returns
    -------
    dict
        ``orbital_usd_per_gpu_hour``, ``terrestrial_usd_per_gpu_hour`` (arrays).
    """
    unknown = [k for k in samples if k not in PRICE_KEYS]
    if unknown:
        raise ValueError(f"cost_samples: {unknown[0]} changes the design (or is not an economics input); "
                         "evaluate such points with design_point")
    n = max((np.size(v) for v in samples.values()), default=1)
    nominal = {**{f.name: getattr(costs.inputs, f.name) for f in dataclasses.fields(costs.inputs)},
               **{f.name: getattr(costs.terrestrial, f.name) for f in dataclasses.fields(costs.terrestrial)},
               "launch_price": costs.launch_model.get("price_headline_usd_per_kg", costs.launch.price_usd_kg)}
    x = {name: np.broadcast_to(np.asarray(samples[key], dtype=float), (n,)) if key in samples else
         np.full(n, float(nominal[name])) for key, name in PRICE_KEYS.items()}
    prices = _SampledPrices(x, costs.inputs.mission_years)
    headline = costs.launch_model.get("payload_headline_kg", costs.launch.payload_kg)
    to_orbit_usd_kg = x["launch_price"] * headline / costs.launch.payload_kg
    orbit = orbital_cost(design, costs.launch, prices, sizing=sizing, price_usd_kg=to_orbit_usd_kg)
    ground = terrestrial_cost(design, prices, prices)
    return {"orbital_usd_per_gpu_hour": orbit.usd_per_gpu_hour, "terrestrial_usd_per_gpu_hour": ground.usd_per_gpu_hour}


def summary_dict(design: Design, costs: MissionCosts | None = None, sizing: SizingConfig | None = None) -> dict:
    """The ``sizing`` block of ``summary.json``: plain floats and ints with units in the keys.

    Parameters
    ----------
    design : thermal.sizing.Design
        The sized design.
    costs : MissionCosts, optional
        Its costs (:func:`compare_costs`); default computed with the design's launcher and the
        default terrestrial and cost inputs.
    sizing : SizingConfig, optional
        The sizing (battery cycles, propulsion); default the defaults with the design's target.

    Returns
    -------
    dict
        Contract keys ``radiator_area_m2``, ``array_area_m2``, ``battery_capacity_Wh``,
        ``mass_kg``, ``mass_breakdown_kg``, ``launch_cost_usd``, and more: module and launch
        counts, per-module figures, the radiator temperature and heat, the orbital and
        terrestrial cost per GPU-hour and per kWh, the break-even launch price, and
        ``costs`` (GPU-hours, hardware costs by part, launch to the design orbit,
        propulsion, battery cycles, the break-even values with what they assume).
    """
    sizing = SizingConfig(target=dict(design.target)) if sizing is None else sizing
    costs = compare_costs(design, sizing=sizing) if costs is None else costs
    m = design.module
    senv = m.case_arrays.get("environment")
    hours = costs.hours
    b = m.mass_breakdown_kg
    dry = m.mass_kg - b["propellant"] - b["tanks"]    # the mass the propellant pushes
    dv = propulsion_delta_v_m_s(dry, m.radiator_area_m2, m.array_area_m2, sizing, senv) if senv is not None else {}
    return {
        "radiator_area_m2": design.radiator_area_m2,
        "array_area_m2": design.array_area_m2,
        "battery_capacity_Wh": design.battery_capacity_Wh,
        "mass_kg": design.mass_kg,
        "mass_breakdown_kg": dict(design.mass_breakdown_kg),
        "launch_cost_usd": costs.orbital.items_usd["launch"],
        "launch_vehicle": costs.launch.name,
        "launch_price_usd_per_kg": costs.launch.price_usd_kg,
        "launch_count": costs.launch_count,
        "module_count": design.module_count,
        "gpu_count": design.gpu_count,
        "node_count": design.node_count,
        "compute_power_W": design.compute_power_W,
        "heat_rejection_W": design.heat_rejection_W,
        "radiator_temperature_K": m.radiator_temperature_K,
        "radiator_sizing_basis": design.radiator_sizing_basis,
        "module": {
            "gpu_count": m.gpu_count,
            "compute_power_W": m.compute_power_W,
            "heat_rejection_W": m.heat_rejection_W,
            "radiator_area_m2": m.radiator_area_m2,
            "array_area_m2": m.array_area_m2,
            "battery_capacity_Wh": m.battery_capacity_Wh,
            "mass_kg": m.mass_kg,
            "mass_breakdown_kg": dict(m.mass_breakdown_kg),
        },
        "mission_years": costs.inputs.mission_years,
        "orbital_cost_usd": costs.orbital.total_usd,
        "orbital_cost_breakdown_usd": dict(costs.orbital.items_usd),
        "terrestrial_cost_usd": costs.ground.total_usd,
        "terrestrial_cost_breakdown_usd": dict(costs.ground.items_usd),
        "orbital_usd_per_gpu_hour": costs.orbital.usd_per_gpu_hour,
        "terrestrial_usd_per_gpu_hour": costs.ground.usd_per_gpu_hour,
        "orbital_usd_per_kWh": costs.orbital.usd_per_kWh,
        "terrestrial_usd_per_kWh": costs.ground.usd_per_kWh,
        "breakeven_launch_price_usd_per_kg": costs.breakeven["launch_price_usd_per_kg"]["value"],
        "costs": {
            "gpu_hours": {} if hours is None else {
                "nameplate_h": hours.nameplate, "lost_to_schedule_h": hours.lost_to_schedule,
                "lost_to_failures_h": hours.lost_to_failures, "delivered_h": hours.delivered,
                "useful_h": hours.useful, "useful_fraction": hours.useful_fraction,
                "eclipse_fraction": hours.eclipse_fraction, "schedule_duty": hours.schedule_duty,
                "alive_fraction": hours.alive_fraction, "ground_h": costs.ground.gpu_hours},
            "mass_per_kW_kg": design.mass_kg / (design.compute_power_W / 1000.0),
            "hardware_usd": {k: costs.orbital.items_usd[k] for k in
                             ("solar_array", "battery", "radiator", "bus", "other_hardware")},
            "launch": {"payload_to_orbit_kg": costs.launch.payload_kg,
                       "price_to_orbit_usd_per_kg": costs.launch.price_usd_kg, **costs.launch_model},
            "propulsion": {**dv, "propellant_kg": design.mass_breakdown_kg["propellant"],
                           "isp_s": sizing.propulsion.isp_s if sizing.propulsion is not None else None},
            "battery_cycles_per_year": battery_cycles_per_year(sizing, senv) if senv is not None else None,
            "array_pointing": sizing.arrays.pointing,
            "breakeven": costs.breakeven,
        },
    }
