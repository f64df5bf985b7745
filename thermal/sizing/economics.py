"""Masses, launch and mission cost of an orbital data centre, against a data centre on the ground.

Three kinds of input, each a frozen dataclass of SI floats (USD for money) in
:mod:`thermal.case.sizing`, whose defaults carry their sources, so that a user can override any
single figure:

- :class:`SpecificMasses`: kg per m^2 of radiator, W per kg of solar array, Wh per kg of battery
  pack, kg per GPU node, kg per kW of heat transport, structure fraction, mass margin. Used by
  :func:`thermal.sizing.size_design` to turn areas and capacities into a mass breakdown.
- :class:`LaunchOptions`: price per kg and mass per launch (presets :data:`FALCON_9`,
  :data:`STARSHIP_NEAR_TERM`, :data:`STARSHIP_ASPIRATIONAL`).
- :class:`CostInputs` (mission life, GPU price, spacecraft hardware price) and
  :class:`TerrestrialComparison` (construction cost per MW, PUE, electricity price).

The cost model (:func:`orbital_cost`, :func:`terrestrial_cost`, :func:`compare_costs`)
--------------------------------------------------------------------------------------
Undiscounted life-cycle cost over the mission, the same GPUs and servers on both sides::

    orbit  = compute capex + spacecraft hardware (non-compute mass x USD/kg) + launch
    ground = compute capex + construction (IT power x USD/W) + electricity (IT power x PUE x hours x price)

Cost per GPU-hour divides by ``gpu_count x mission hours``; cost per kWh of compute divides by
the IT (compute) energy ``compute_power x mission hours``. The break-even launch price
(:func:`breakeven_launch_price_usd_kg`) is the launch price per kg at which the two totals are
equal, found with ``scipy.optimize.brentq``.

Left out on purpose (each favours one side; say so when you quote a result): discounting and
financing; ground staff, maintenance and land; orbital operations (ground stations, insurance,
station-keeping propellant against drag on large radiators and arrays, de-orbit); GPU failures
that cannot be repaired in orbit and the bandwidth to the ground.

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
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.optimize import brentq

from thermal.case.sizing import CostInputs, LaunchOptions, TerrestrialComparison
from thermal.core.constants import HOURS_PER_YEAR
from thermal.core.errors import InfeasibleError
from thermal.sizing.design import Design

__all__ = ["HOURS_PER_YEAR", "CostBreakdown", "MissionCosts", "launch_cost_usd", "orbital_cost", "terrestrial_cost",
           "breakeven_launch_price_usd_kg", "compare_costs", "summary_dict"]


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


# --------------------------------------------------------------------------------------------
# Costs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostBreakdown:
    """Life-cycle cost of one side of the comparison.

    Attributes
    ----------
    items_usd : dict
        Cost items [USD] (orbit: compute, spacecraft_hardware, launch; ground: compute,
        construction, electricity).
    total_usd : float
        Sum of the items [USD].
    gpu_hours : float
        GPU-hours delivered over the mission [h].
    compute_energy_kWh : float
        IT (compute) energy over the mission [kWh].
    """

    items_usd: dict
    total_usd: float
    gpu_hours: float
    compute_energy_kWh: float

    @property
    def usd_per_gpu_hour(self) -> float:
        """Cost per GPU-hour [USD/h]."""
        return self.total_usd / self.gpu_hours

    @property
    def usd_per_kWh(self) -> float:
        """Cost per kWh of compute (IT) energy [USD/kWh]."""
        return self.total_usd / self.compute_energy_kWh


def _compute_energy_kWh(design: Design, inputs: CostInputs) -> float:
    return design.compute_power_W * inputs.mission_hours / 1000.0


def _cost_breakdown(design: Design, inputs: CostInputs, items_usd: dict) -> CostBreakdown:
    """One side's cost: the GPUs (the same on both sides), then ``items_usd``, over the mission."""
    items = {"compute": design.gpu_count * inputs.gpu_price_usd, **items_usd}
    return CostBreakdown(items, sum(items.values()), design.gpu_count * inputs.mission_hours,
                         _compute_energy_kWh(design, inputs))


def orbital_cost(design: Design, launch: LaunchOptions, inputs: CostInputs = CostInputs(), *,
                 price_usd_kg: float | None = None) -> CostBreakdown:
    """Life-cycle cost of the orbital design.

    ``compute = gpu_count x gpu_price``; ``spacecraft_hardware = (mass - compute mass) x
    spacecraft_usd_per_kg`` (the mass margin is costed as hardware); ``launch`` from
    :func:`launch_cost_usd` with the design's launch count.

    Parameters
    ----------
    design : thermal.sizing.Design
        The sized design.
    launch : LaunchOptions
        Vehicle and price.
    inputs : CostInputs
        Mission life and prices.
    price_usd_kg : float, optional
        Launch price overriding ``launch.price_usd_kg`` [USD/kg].

    Returns
    -------
    CostBreakdown
    """
    compute_mass = design.mass_breakdown_kg["compute"]
    launches = design.launch_count(launch)
    return _cost_breakdown(design, inputs, {
        "spacecraft_hardware": (design.mass_kg - compute_mass) * inputs.spacecraft_usd_per_kg,
        "launch": launch_cost_usd(design.mass_kg, launches, launch, price_usd_kg),
    })


def terrestrial_cost(design: Design, terrestrial: TerrestrialComparison = TerrestrialComparison(),
                     inputs: CostInputs = CostInputs()) -> CostBreakdown:
    """Life-cycle cost of the same compute in a data centre on the ground.

    ``compute = gpu_count x gpu_price``; ``construction = compute power x USD/W``;
    ``electricity = compute power x PUE x mission hours x price``.

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
    return _cost_breakdown(design, inputs, {
        "construction": design.compute_power_W * terrestrial.construction_usd_per_W,
        "electricity": energy * terrestrial.pue * terrestrial.electricity_usd_kWh,
    })


def breakeven_launch_price_usd_kg(design: Design, launch: LaunchOptions,
                                  terrestrial: TerrestrialComparison = TerrestrialComparison(),
                                  inputs: CostInputs = CostInputs()) -> float:
    """Launch price per kg at which the orbital and terrestrial life-cycle costs are equal.

    Solved with ``scipy.optimize.brentq`` on ``orbit(p) - ground``, which rises with p; the
    bracket is widened until it changes sign. A negative result means that the orbital design
    costs more than the ground even with free launch (by ``-p x launched mass``).

    Parameters
    ----------
    design : thermal.sizing.Design
        The sized design (its mass and launch count are held fixed).
    launch : LaunchOptions
        Vehicle (capacity and charging rule); its price is the unknown.
    terrestrial : TerrestrialComparison
        Ground inputs.
    inputs : CostInputs
        Mission life and prices.

    Returns
    -------
    float
        Break-even launch price [USD/kg].
    """
    ground = terrestrial_cost(design, terrestrial, inputs).total_usd

    def gap(price):
        return orbital_cost(design, launch, inputs, price_usd_kg=price).total_usd - ground

    lo, hi = -1.0e3, 1.0e3
    for _ in range(60):
        if gap(lo) <= 0.0 <= gap(hi):
            break
        lo, hi = lo * 4.0, hi * 4.0
    else:  # pragma: no cover - the gap is linear with a positive slope
        raise InfeasibleError("break-even launch price: no sign change of the cost gap found")
    return float(brentq(gap, lo, hi, xtol=1e-9, rtol=4.0 * 2.220446049250313e-16, maxiter=200))


@dataclass(frozen=True)
class MissionCosts:
    """Orbital and terrestrial costs of one design and the break-even launch price.

    Attributes
    ----------
    launch : LaunchOptions
    terrestrial : TerrestrialComparison
    inputs : CostInputs
    orbital : CostBreakdown
    ground : CostBreakdown
    launch_count : int
        Launches [-].
    breakeven_launch_price_usd_kg : float
        [USD/kg], see :func:`breakeven_launch_price_usd_kg`.
    """

    launch: LaunchOptions
    terrestrial: TerrestrialComparison
    inputs: CostInputs
    orbital: CostBreakdown
    ground: CostBreakdown
    launch_count: int
    breakeven_launch_price_usd_kg: float


def compare_costs(design: Design, launch: LaunchOptions | None = None,
                  terrestrial: TerrestrialComparison = TerrestrialComparison(),
                  inputs: CostInputs = CostInputs()) -> MissionCosts:
    """Orbital against terrestrial cost of a design.

    Parameters
    ----------
    design : thermal.sizing.Design
        The sized design.
    launch : LaunchOptions, optional
        Vehicle; default the one the design was sized for (``design.launch``).
    terrestrial : TerrestrialComparison
        Ground inputs.
    inputs : CostInputs
        Mission life and prices.

    Returns
    -------
    MissionCosts
    """
    launch = design.launch if launch is None else launch
    return MissionCosts(
        launch=launch,
        terrestrial=terrestrial,
        inputs=inputs,
        orbital=orbital_cost(design, launch, inputs),
        ground=terrestrial_cost(design, terrestrial, inputs),
        launch_count=design.launch_count(launch),
        breakeven_launch_price_usd_kg=breakeven_launch_price_usd_kg(design, launch, terrestrial,
                                                                    inputs),
    )


def summary_dict(design: Design, costs: MissionCosts | None = None) -> dict:
    """The ``sizing`` block of ``summary.json``: plain floats and ints with units in the keys.

    Parameters
    ----------
    design : thermal.sizing.Design
        The sized design.
    costs : MissionCosts, optional
        Its costs (:func:`compare_costs`); default computed with the design's launcher and the
        default terrestrial and cost inputs.

    Returns
    -------
    dict
        Contract keys ``radiator_area_m2``, ``array_area_m2``, ``battery_capacity_Wh``,
        ``mass_kg``, ``mass_breakdown_kg``, ``launch_cost_usd``, and more: module and launch
        counts, per-module figures, the radiator temperature and heat, the orbital and
        terrestrial cost per GPU-hour and per kWh, the break-even launch price.
    """
    costs = compare_costs(design) if costs is None else costs
    m = design.module
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
        "breakeven_launch_price_usd_per_kg": costs.breakeven_launch_price_usd_kg,
    }
