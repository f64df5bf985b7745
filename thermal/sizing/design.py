"""Sizing an orbital data centre: radiator, solar array, battery, mass and modules for a compute target.

The chain, one function per link (SI floats throughout, kelvin for temperatures):

1. compute target -> electric load. A GPU node draws ``gpus x TDP x utilisation + overhead``;
   bus loads (avionics, pumps, attitude control, communications) add a fraction of it.
2. electric load -> heat. All electric power ends as heat inside the spacecraft: the loads,
   the battery's charge (or discharge) loss, the harness and regulator losses. The array's own
   waste heat (sunlight absorbed and not converted) stays on the array, which radiates it from
   both faces; it never reaches the radiator.
3. heat -> radiator area (:func:`thermal.sizing.radiator.radiator_area_m2`), a Stefan-Boltzmann
   balance per side::

       Q = A * sum_sides( eta_fin * eps * sigma * T^4 - q_abs,side )

   with the absorbed environmental flux ``q_abs = alpha (solar + albedo) + eps earth_ir`` from
   :mod:`thermal.exposure` (:func:`thermal.exposure.environment_absorbed_W_m2`). The radiator
   temperature is given, or follows from the junction limit through the transport chain.
4. load -> array area and battery capacity (:mod:`power.sizing`: the orbit energy balance with
   the eclipse, the battery round trip and end-of-life factors, and the share of the wings' output
   the other parts shade, :mod:`thermal.sizing.array_shading`).
5. areas and capacities -> masses (:class:`thermal.case.sizing.SpecificMasses`), then the number
   of identical modules when the target exceeds what one spacecraft may weigh or carry.

The radiator physics (the balance, the sizing basis, the junction chain) is in
:mod:`thermal.sizing.radiator`; the orbit cases in :mod:`thermal.sizing.orbit_cases`.

References
----------
.. [1] J. R. Wertz and W. J. Larson (eds.), *Space Mission Analysis and Design*, 3rd ed., 1999,
   sec. 11.4 (array and battery sizing).
"""


from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field

import numpy as np

from power.battery import capacity_remaining_fraction
from power.sizing import array_mass_kg, battery_mass_kg
from thermal.case.model import EnvironmentConstants
from thermal.case.sizing import STARSHIP_NEAR_TERM, LaunchOptions, SizingConfig
from thermal.core.checks import need
from thermal.core.constants import SOLAR_CONSTANT_W_M2, STEFAN_BOLTZMANN_W_M2K4
from thermal.core.errors import InfeasibleError
from thermal.sizing.orbit_cases import SizingEnvironment
from thermal.sizing.propulsion import density_kg_m3, deorbit_delta_v_m_s, drag_delta_v_m_s, propellant_kg
from thermal.sizing.radiator import (
    SizingInfeasibleError,
    design_coolant_mean_K,
    loop_temperatures_K,
    radiator_area_m2,
    radiator_temperature_for_loop_K,
)

_SIGMA = STEFAN_BOLTZMANN_W_M2K4

__all__ = ["CaseSizing", "ModuleDesign", "Design", "launch_count", "size_module", "size_design"]


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
    case_arrays : dict
        Per orbit case, as arrays over the cases: the environment (``environment``) and the
        fields of :class:`CaseSizing`; :attr:`cases` makes them into objects when asked.
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
    case_arrays: dict = field(repr=False, default_factory=dict, compare=False)

    @functools.cached_property
    def cases(self) -> tuple:
        """Per orbit case, a :class:`CaseSizing` each (built on first use)."""
        per = dict(self.case_arrays)
        senv = per.pop("environment", None)
        return () if senv is None else _case_sizings(senv, per)

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
def _environment(orbits, env: EnvironmentConstants) -> SizingEnvironment:
    """The orbit cases' environment: given, or computed (once per orbit cases and constants)."""
    if isinstance(orbits, SizingEnvironment):
        return orbits
    key = (tuple(orbits) if isinstance(orbits, (list, tuple)) else orbits, env)
    try:
        return _ENVIRONMENTS[key]
    except (KeyError, TypeError):
        pass
    senv = SizingEnvironment.of(orbits, env)
    if len(_ENVIRONMENTS) >= 64:
        _ENVIRONMENTS.pop(next(iter(_ENVIRONMENTS)))
    _ENVIRONMENTS[key] = senv
    return senv


#: Environments of the orbit cases given as geometries, by (orbits, constants): the last 64.
_ENVIRONMENTS: dict = {}


def _cos_incidence(sizing: SizingConfig, senv: SizingEnvironment) -> np.ndarray:
    """Mean cosine of incidence on the array in sunlight per case [-]: 1 for two-axis pointing
    ('sun_pointing'), cos(beta) for one axis along the orbit normal of a nadir-pointed spacecraft
    ('sun_tracking'); 1 in deep space."""
    deep = np.array([g is None for g in senv.orbits])
    if sizing.arrays.pointing == "sun_pointing":
        return np.ones(len(senv))
    return np.where(deep, 1.0, np.abs(np.cos(senv.beta_rad)))


def battery_cycles_per_year(sizing: SizingConfig, senv: SizingEnvironment) -> float:
    """Battery cycles a year for the capacity fade: the sizing's given rate, else one per eclipse
    of the year's orbit cases (:attr:`SizingEnvironment.eclipsed_orbits_per_year`) [1/year]."""
    given = sizing.battery_cycles_per_year
    return senv.eclipsed_orbits_per_year if given is None else given


def _radiator_temperatures_K(senv: SizingEnvironment, sizing: SizingConfig, absorbed: np.ndarray) -> tuple:
    """Radiator temperature per case and what constrains it (kept per sizing chain on the
    environment: it does not depend on the number of nodes)."""
    radiator, node = sizing.radiator, sizing.node
    if radiator.temperature_K is not None:
        t = radiator.temperature_K
        return np.full(len(senv), t), f"given radiator temperature {t:.1f} K"
    coolant = design_coolant_mean_K(sizing)
    constraint = (f"GPU junction limit {node.gpu.junction_limit_K:.1f} K less "
                  f"{sizing.junction_margin_K:.1f} K margin (mean coolant {coolant:.1f} K)")
    eps = radiator.coating.emissivity
    key = ("t_rad", coolant, sizing.radiator_conductance_W_m2K, eps, radiator.two_sided, radiator.fin_efficiency,
           radiator.basis, absorbed.tobytes())
    t = senv._absorbed.get(key)
    if t is None:
        n_sides = 2 if radiator.two_sided else 1
        feasible = n_sides * radiator.fin_efficiency * eps * _SIGMA * coolant**4 - absorbed > 0.0
        if sizing.radiator_conductance_W_m2K is None or not np.all(feasible):
            # ideal conductance (the coolant temperature), or the standard message of an infeasible case
            t = np.array([radiator_temperature_for_loop_K(
                coolant, sizing.radiator_conductance_W_m2K, eps, [float(q), 0.0] if radiator.two_sided else float(q),
                radiator.two_sided, radiator.fin_efficiency, constraint=constraint) for q in absorbed])
        else:   # every case at once (Newton; within the scalar brentq's tolerance)
            t = loop_temperatures_K(coolant, sizing.radiator_conductance_W_m2K, eps, absorbed, n_sides,
                                    radiator.fin_efficiency)
        t.setflags(write=False)
        senv._absorbed[key] = t
    return t, constraint


def _size_cases(senv: SizingEnvironment, node_count: int, sizing: SizingConfig,
                heat_override_W: float | None) -> dict:
    """Every orbit case's sizing at once, as arrays over the cases (the formulas of
    :mod:`power.sizing` and :mod:`thermal.sizing.radiator`, in the same order of operations)."""
    node, arrays, battery, radiator = sizing.node, sizing.arrays, sizing.battery, sizing.radiator
    compute_W = node_count * node.heat_W
    bus_W = sizing.bus_load_fraction * compute_W
    load_sun = compute_W + bus_W
    load_ecl = node.eclipse_fraction * compute_W + bus_W
    period, eclipse = senv.period_s, senv.eclipse_s
    cell = battery.cell
    eta_c, eta_d = cell.charge_efficiency, cell.discharge_efficiency

    # array: the orbit energy balance (power.sizing), with the end-of-life energy margin and the
    # share of the output the wings deliver in the other parts' shadow (thermal.sizing.array_shading)
    eta = float(arrays.efficiency(sizing.array_temperature_K))
    degradation = arrays.degradation_factor(sizing.power_end_of_life) / (1.0 + sizing.energy_margin_eol)
    p_bus_sun = load_sun + load_ecl * eclipse / ((period - eclipse) * eta_c * eta_d)
    per_m2 = (senv.solar_W_m2 * _cos_incidence(sizing, senv) * senv.array_output_factor * arrays.packing_factor
              * eta * degradation * (1.0 - arrays.wiring_loss) * arrays.regulator_efficiency)
    if not np.all(per_m2 > 0):
        raise ValueError(f"array power per m^2 is {float(per_m2.min())!r} W/m^2: check efficiency, incidence "
                         "and degradation inputs")
    area_array = p_bus_sun / per_m2

    # battery: eclipse energy at the DoD floor, end-of-life capacity, and the C-rate limits
    remaining = 1.0
    if sizing.power_end_of_life:
        remaining = float(capacity_remaining_fraction(sizing.mission_years, battery.max_depth_of_discharge, cell,
                                                      battery_cycles_per_year(sizing, senv)))
    if np.any(eclipse > 0.0) and not 0.0 < remaining <= 1.0:
        raise SizingInfeasibleError(
            f"the battery keeps {remaining:.3f} of its capacity after {sizing.mission_years:g} years of "
            f"{battery_cycles_per_year(sizing, senv):,.0f} cycles a year at a depth of discharge of "
            f"{battery.max_depth_of_discharge:.2f}: raise sizing.min_state_of_charge or shorten the mission",
            constraint="battery life")
    dod = load_ecl * eclipse / 3600.0 / (battery.max_depth_of_discharge * eta_d * remaining) \
        if remaining > 0.0 else np.zeros_like(eclipse)
    capacity = np.maximum(np.maximum(dod, (p_bus_sun - load_sun) / cell.max_c_rate_charge),
                          load_ecl / cell.max_c_rate_discharge)
    capacity = np.where(eclipse > 0.0, capacity, 0.0)

    # heat: all electric power in the spacecraft ends in the radiator
    path = arrays.path_efficiency
    heat_sun = load_sun + (1.0 - eta_c) * (p_bus_sun - load_sun) + p_bus_sun * (1.0 / path - 1.0)
    heat_ecl = np.where(eclipse > 0.0, load_ecl / eta_d, 0.0)
    heat = np.maximum(heat_sun, heat_ecl) if heat_override_W is None else np.full(len(senv), heat_override_W)

    # radiator temperature and area: A = Q / (n eta eps sigma T^4 - q_abs)
    absorbed = senv.absorbed_total_W_m2(sizing)
    t_rad, constraint = _radiator_temperatures_K(senv, sizing, absorbed)
    eps = radiator.coating.emissivity
    n_sides = 2 if radiator.two_sided else 1
    net = n_sides * radiator.fin_efficiency * eps * _SIGMA * t_rad**4 - absorbed
    if not np.all(net > 0.0):
        i = int(np.argmin(net))   # the standard message of the worst case
        radiator_area_m2(float(heat[i]), float(t_rad[i]), eps, [float(absorbed[i]), 0.0] if radiator.two_sided
                         else float(absorbed[i]), radiator.two_sided, radiator.fin_efficiency, constraint=constraint)
    return {"heat_W": heat, "absorbed_total_W_m2": absorbed, "radiator_temperature_K": t_rad, "net_W_m2": net,
            "radiator_area_m2": heat / net, "array_area_m2": area_array, "battery_capacity_Wh": capacity}


def _scaled_cases(senv: SizingEnvironment, node_count: int, sizing: SizingConfig,
                  heat_override_W: float | None) -> dict:
    """:func:`_size_cases` for ``node_count`` nodes from the one of a single node: every load, area,
    capacity and heat is proportional to the nodes (the radiator temperature and the environment
    are not), so one evaluation per sizing serves every node count (within rounding, 1e-15)."""
    memo = senv._absorbed.setdefault("unit_cases", {})
    hit = memo.get(id(sizing))
    if hit is None or hit[0] is not sizing:
        if len(memo) >= 16:
            memo.pop(next(iter(memo)))
        hit = memo[id(sizing)] = (sizing, _size_cases(senv, 1, sizing, None))
    unit = hit[1]
    per = {k: (v if k in ("absorbed_total_W_m2", "radiator_temperature_K", "net_W_m2") else node_count * v)
           for k, v in unit.items()}
    if heat_override_W is not None:
        per["heat_W"] = np.full(len(senv), float(heat_override_W))
        per["radiator_area_m2"] = per["heat_W"] / unit["net_W_m2"]
    return per


def _case_sizings(senv: SizingEnvironment, per: dict) -> tuple:
    per = {k: v for k, v in per.items() if k != "net_W_m2"}
    return tuple(CaseSizing(
        beta_rad=float(senv.beta_rad[i]), solar_distance_au=float(senv.solar_distance_au[i]),
        eclipse_s=float(senv.eclipse_s[i]), period_s=float(senv.period_s[i]), heat_W=float(per["heat_W"][i]),
        absorbed_total_W_m2=float(per["absorbed_total_W_m2"][i]),
        radiator_temperature_K=float(per["radiator_temperature_K"][i]),
        radiator_area_m2=float(per["radiator_area_m2"][i]), array_area_m2=float(per["array_area_m2"][i]),
        battery_capacity_Wh=float(per["battery_capacity_Wh"][i])) for i in range(len(senv)))


def _mass_breakdown_kg(node_count: int, heat_W: float, radiator_area: float, array_area: float, array_bol_W: float,
                       capacity_Wh: float, sizing: SizingConfig, senv: SizingEnvironment) -> dict:
    """The module's mass by item [kg]: the equipment (compute, shielding, radiator, heat transport,
    array, battery), the structure as a fraction of it, the bus, the margin on all of that (the dry
    mass), then the propellant and its tanks for the drag make-up and the deorbit
    (:mod:`thermal.sizing.propulsion`)."""
    masses = sizing.masses
    if masses.array_W_kg is None:
        array_kg = float(array_mass_kg(array_area, sizing.arrays.cell))
    else:
        array_kg = array_bol_W / masses.array_W_kg
    if masses.battery_pack_Wh_kg is None:
        battery_kg = float(battery_mass_kg(capacity_Wh, sizing.battery.cell))
    else:
        battery_kg = capacity_Wh / masses.battery_pack_Wh_kg
    items = {
        "compute": node_count * masses.compute_kg_per_node,
        "radiator": radiator_area * masses.radiator_kg_m2,
        "heat_transport": heat_W / 1000.0 * masses.heat_transport_kg_per_kW,
        "solar_array": array_kg,
        "battery": battery_kg,
        "shielding": node_count * masses.shielding_kg_per_node,
    }
    items["structure"] = masses.structure_fraction * sum(items.values())
    items["bus"] = masses.bus_kg_per_module
    items["margin"] = masses.margin_fraction * sum(items.values())
    items["propellant"], items["tanks"] = _propellant_kg(sum(items.values()), radiator_area, array_area, sizing, senv)
    return items


def propulsion_delta_v_m_s(dry_mass_kg: float, radiator_area_m2: float, array_area_m2: float, sizing: SizingConfig,
                           senv: SizingEnvironment) -> dict:
    """Delta-v of a module over the mission: drag make-up and deorbit [m/s], with the drag area
    [m^2] and the density [kg/m^3] (:mod:`thermal.sizing.propulsion`); zeros without propulsion or
    in deep space."""
    p = sizing.propulsion
    h = senv.altitude_m
    if p is None or not math.isfinite(h):
        return {"drag_m_s": 0.0, "deorbit_m_s": 0.0, "drag_area_m2": 0.0, "density_kg_m3": 0.0}
    f_rad, f_arr = senv.drag_projections(sizing)
    area = radiator_area_m2 * f_rad + array_area_m2 * f_arr
    return {"drag_m_s": drag_delta_v_m_s(h, area, dry_mass_kg, sizing.mission_years, p),
            "deorbit_m_s": deorbit_delta_v_m_s(h, p.disposal_perigee_m),
            "drag_area_m2": area, "density_kg_m3": density_kg_m3(h, p.density_factor)}


def _propellant_kg(dry_mass_kg: float, radiator_area_m2: float, array_area_m2: float, sizing: SizingConfig,
                   senv: SizingEnvironment) -> tuple[float, float]:
    if sizing.propulsion is None:
        return 0.0, 0.0
    dv = propulsion_delta_v_m_s(dry_mass_kg, radiator_area_m2, array_area_m2, sizing, senv)
    return propellant_kg(dry_mass_kg, dv["drag_m_s"] + dv["deorbit_m_s"], sizing.propulsion)


def _bol_power_W(array_area_m2: float, sizing: SizingConfig) -> float:
    """Beginning-of-life power at AM0, 28 degC, 1361 W/m^2 (for the W/kg mass rule) [W]."""
    return array_area_m2 * SOLAR_CONSTANT_W_M2 * sizing.arrays.packing_factor * sizing.arrays.cell.efficiency_bol


def size_module(orbits, node_count: int, sizing: SizingConfig, *,
                env: EnvironmentConstants = EnvironmentConstants(),
                heat_rejection_W: float | None = None) -> ModuleDesign:
    """Size one module carrying a number of GPU nodes, for the worst of the orbit cases.

    Each subsystem takes its own worst case: the radiator the largest area (hot environment,
    or the lowest radiator temperature), the array the largest area (longest eclipse, lowest
    irradiance), the battery the largest capacity.

    Parameters
    ----------
    orbits : SizingEnvironment, OrbitGeometry, sequence of OrbitGeometry, or None
        Orbit case(s) with their environment (:class:`thermal.sizing.orbit_cases.SizingEnvironment`,
        computed once), or the geometries (their environment is then computed, and kept for the
        next call with the same ones); None for deep space (no eclipse, no Earth).
    node_count : int
        GPU nodes in the module [-].
    sizing : SizingConfig
        Node, radiator, array, battery, chain and masses (its target is not used here).
    env : EnvironmentConstants
        Used when ``orbits`` are geometries.
    heat_rejection_W : float, optional
        Heat the radiator is sized for [W]; default the module's own heat.

    Returns
    -------
    ModuleDesign
    """
    need(isinstance(node_count, int) and node_count >= 1, "node_count", "an integer >= 1", node_count)
    senv = _environment(orbits, env)
    per = _scaled_cases(senv, node_count, sizing, heat_rejection_W)
    i_rad = int(np.argmax(per["radiator_area_m2"]))
    array_area = float(per["array_area_m2"].max())
    capacity = float(per["battery_capacity_Wh"].max())
    heat = float(per["heat_W"].max())
    rad_area = float(per["radiator_area_m2"][i_rad])
    compute_W = node_count * sizing.node.heat_W
    bus_W = sizing.bus_load_fraction * compute_W
    bol_W = _bol_power_W(array_area, sizing)
    return ModuleDesign(
        node_count=node_count,
        gpu_count=node_count * sizing.node.count,
        compute_power_W=compute_W,
        bus_load_W=bus_W,
        eclipse_load_W=sizing.node.eclipse_fraction * compute_W + bus_W,
        heat_rejection_W=heat,
        radiator_temperature_K=float(per["radiator_temperature_K"][i_rad]),
        radiator_area_m2=rad_area,
        array_area_m2=array_area,
        array_bol_power_W=bol_W,
        battery_capacity_Wh=capacity,
        mass_breakdown_kg=_mass_breakdown_kg(node_count, heat, rad_area, array_area, bol_W, capacity, sizing, senv),
        case_arrays={"environment": senv, **per},
    )


def installed(module: ModuleDesign, sizing: SizingConfig, fixed: dict | None = None) -> ModuleDesign:
    """A module with fixed areas and capacity installed instead of the required ones (default the
    sizing's fixed values), its mass breakdown recomputed."""
    fixed = sizing.fixed if fixed is None else fixed
    if not fixed:
        return module
    rad = fixed.get("radiator_area_m2", module.radiator_area_m2)
    arr = fixed.get("array_area_m2", module.array_area_m2)
    cap = fixed.get("battery_capacity_Wh", module.battery_capacity_Wh)
    bol = _bol_power_W(arr, sizing)
    breakdown = _mass_breakdown_kg(module.node_count, module.heat_rejection_W, rad, arr, bol, cap, sizing,
                                   module.case_arrays["environment"])
    return dataclasses.replace(module, radiator_area_m2=rad, array_area_m2=arr, battery_capacity_Wh=cap,
                               array_bol_power_W=bol, mass_breakdown_kg=breakdown)


#: Fixed per-module quantities: (case key, unit).
FIXED_KEYS = {"radiator_area_m2": ("sizing.radiator_area", "m^2"),
              "array_area_m2": ("sizing.array_area", "m^2"),
              "battery_capacity_Wh": ("sizing.battery_capacity", "Wh")}


def _node_count(sizing: SizingConfig, cases, env) -> tuple[int, float | None]:
    """GPU nodes for the target, and the heat per node for a heat-rejection target."""
    (kind, value), = sizing.target.items()
    if kind == "compute_power_W":
        return max(1, math.ceil(value / sizing.node.heat_W * (1.0 - 1e-12))), None
    if kind == "gpu_count":
        return max(1, math.ceil(value / sizing.node.count)), None
    one = size_module(cases, 1, sizing, env=env)
    nodes = math.floor(value / one.heat_rejection_W * (1.0 + 1e-12))
    if nodes < 1:
        raise SizingInfeasibleError(
            f"sizing.target.heat_rejection {value:.0f} W is below the heat of one GPU node "
            f"({one.heat_rejection_W:.0f} W), the smallest module: raise it to at least "
            f"{one.heat_rejection_W:.0f} W", constraint="sizing.target.heat_rejection")
    return nodes, value / nodes


def _module_limits(cases, sizing: SizingConfig, env: EnvironmentConstants,
                   heat_per_node: float | None) -> dict[str, int]:
    """Most nodes per module that each fixed per-module quantity and the largest module power allow,
    by case key; raises SizingInfeasibleError when one does not allow a single node."""
    limits = {}
    for name, value_installed in sizing.fixed.items():
        required = getattr(size_module(cases, 1, sizing, env=env, heat_rejection_W=heat_per_node), name)
        if required <= 0.0:
            continue
        k = math.floor(value_installed / required * (1.0 + 1e-12))
        key, unit = FIXED_KEYS[name]
        if k < 1:
            raise SizingInfeasibleError(
                f"{key} = {value_installed:,.1f} {unit} per module is less than one GPU node needs "
                f"({required:,.1f} {unit}): short by {required - value_installed:,.1f} {unit}; raise it or make it "
                "free", constraint=key)
        limits[key] = k
    if sizing.max_module_power_W is not None:
        k = math.floor(sizing.max_module_power_W / sizing.node.heat_W * (1.0 + 1e-12))
        if k < 1:
            raise SizingInfeasibleError(
                f"one GPU node draws {sizing.node.heat_W:,.0f} W, more than sizing.max_module_power "
                f"({sizing.max_module_power_W:,.0f} W)", constraint="sizing.max_module_power")
        limits["sizing.max_module_power"] = k
    return limits


def _nodes_by_mass(module, per_node: ModuleDesign, cap: int, max_mass_kg: float, fixed: bool) -> int:
    """Most nodes per module within the largest module mass; ``module(k)`` is the installed module
    of k nodes, ``per_node`` the one of a single node, ``cap`` the most nodes the other limits allow
    (the search's upper end when the mass is not proportional to the nodes: ``fixed`` quantities
    installed, a bus, propellant)."""
    if fixed:   # the mass does not scale with the nodes: the largest k that fits (it rises with k)
        def fits(k: int) -> bool:
            return module(k).mass_kg <= max_mass_kg * (1.0 + 1e-12)
        if cap <= 1 or fits(cap):
            return cap
        # bisection on [lo fits, hi does not], started at the secant estimate (the mass is nearly
        # affine in k) and its neighbour
        lo, hi = 1, cap
        slope = (module(cap).mass_kg - per_node.mass_kg) / (cap - 1)
        if slope > 0.0:
            guess = min(max(1 + math.floor((max_mass_kg - per_node.mass_kg) / slope), 1), cap - 1)
            for k in (guess, guess + 1):
                if lo < k < hi:
                    lo, hi = (k, hi) if fits(k) else (lo, k)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid)
        return lo
    # every quantity is proportional to the nodes: the per-node module sets it
    return math.floor(max_mass_kg / per_node.mass_kg * (1.0 + 1e-12))


def size_design(orbits, sizing: SizingConfig, *, env: EnvironmentConstants = EnvironmentConstants(),
                launch: LaunchOptions = STARSHIP_NEAR_TERM) -> tuple[Design, dict]:
    """Size an orbital data centre for the sizing's target: radiator, array, battery, mass, modules.

    The target is turned into whole GPU nodes (rounded up for compute power and GPU count; for a
    heat-rejection target, the most nodes whose heat fits, with the radiator sized for the target
    heat). The nodes are split into the fewest identical modules that each respect the largest
    module mass (``sizing.max_module_mass_kg``, default the launcher's payload), the largest
    module power and the fixed per-module radiator area, array area and battery capacity; every
    quantity of the design is ``module_count x`` the module's, so the total may carry up to
    ``module_count - 1`` nodes more than asked.

    Parameters
    ----------
    orbits : SizingEnvironment, OrbitGeometry, sequence of OrbitGeometry, or None
        Orbit case(s) to size for with their environment (:mod:`thermal.sizing.orbit_cases`;
        computed once and kept when geometries are given); None for deep space.
    sizing : SizingConfig
    env : EnvironmentConstants
    launch : LaunchOptions, default :data:`thermal.case.sizing.STARSHIP_NEAR_TERM`

    Returns
    -------
    (Design, dict)
        The design, and ``limits`` (what bounds the nodes per module, by case key) with
        ``required`` (the module's required areas and capacity, before the fixed ones are installed).

    Raises
    ------
    SizingInfeasibleError
        The radiator cannot reject heat at its temperature, or a single node exceeds a module
        limit; the message names the binding constraint and by how much it is missed.
    """
    cases = _environment(orbits, env)
    max_mass = launch.payload_kg if sizing.max_module_mass_kg is None else sizing.max_module_mass_kg
    if max_mass > launch.payload_kg * (1.0 + 1e-12):
        raise SizingInfeasibleError(
            f"sizing.max_module_mass {max_mass:,.0f} kg exceeds one {launch.name} launch to the design orbit "
            f"({launch.payload_kg:,.0f} kg) by {max_mass - launch.payload_kg:,.0f} kg: lower it or choose "
            "a larger launcher (economics.launch, economics.payload_per_launch)", constraint="sizing.max_module_mass")
    (kind, value), = sizing.target.items()
    nodes, heat_per_node = _node_count(sizing, cases, env)

    sized: dict = {}   # the modules sized so far, by (nodes, heat)

    def free_module(k: int, heat_W: float | None) -> ModuleDesign:
        if (k, heat_W) not in sized:
            sized[k, heat_W] = size_module(cases, k, sizing, env=env, heat_rejection_W=heat_W)
        return sized[k, heat_W]

    def module(k: int) -> ModuleDesign:
        return installed(free_module(k, None if heat_per_node is None else heat_per_node * k), sizing)

    per_node = module(1)
    limits = _module_limits(cases, sizing, env, heat_per_node)
    if per_node.mass_kg > max_mass * (1.0 + 1e-12):
        raise SizingInfeasibleError(
            f"one GPU node needs a {per_node.mass_kg:,.0f} kg module, more than sizing.max_module_mass "
            f"({max_mass:,.0f} kg, default the launcher's payload): over by {per_node.mass_kg - max_mass:,.0f} kg; "
            "raise it or choose a larger launcher", constraint="sizing.max_module_mass")
    cap = min([nodes] + list(limits.values()))
    proportional = not sizing.fixed and sizing.masses.bus_kg_per_module == 0.0 and sizing.propulsion is None
    by_mass = _nodes_by_mass(module, per_node, cap, max_mass, not proportional)
    if by_mass < cap:
        limits["sizing.max_module_mass"] = by_mass
    k = min(cap, by_mass)
    module_count = math.ceil(nodes / k)
    if heat_per_node is None:
        per_module = math.ceil(nodes / module_count)
        free = free_module(per_module, None)
    else:   # never more heat than the target; the radiators carry exactly the target in total
        per_module = nodes // module_count
        free = free_module(per_module, value / module_count)
    required = {name: getattr(free, name) for name in FIXED_KEYS}
    mod = installed(free, sizing)
    design = Design(module=mod, module_count=module_count, target={kind: value}, launch=launch,
                    max_module_mass_kg=max_mass, radiator_sizing_basis=sizing.radiator.basis,
                    mission_years=sizing.mission_years)
    return design, {"limits": limits, "required": required}


def launch_count(module_count: int, module_mass_kg: float, launch: LaunchOptions) -> int:
    """Launches needed for identical modules, as many whole modules per launch as fit.

    Parameters
    ----------
    module_count : int
        Number of modules [-].
    module_mass_kg : float
        Launch mass of one module [kg].
    launch : LaunchOptions
        Vehicle.

    Returns
    -------
    int
        Launches [-].

    Raises
    ------
    InfeasibleError
        A module is heavier than one launch can carry.
    """
    if module_count <= 0:
        return 0
    per_launch = math.floor(launch.payload_kg / module_mass_kg * (1.0 + 1e-12))
    if per_launch < 1:
        raise InfeasibleError(
            f"a module of {module_mass_kg:,.0f} kg does not fit one {launch.name} launch "
            f"({launch.payload_kg:,.0f} kg): lower the largest module mass to the launcher's "
            "payload or choose a larger launcher")
    return math.ceil(module_count / per_launch)
