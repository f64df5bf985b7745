"""The spacecraft as a lumped network: nodes, links and loads built from the case and its parts.

Nodes: one per part, plus ``cold_plates`` on a bus with compute and active transport (GPU
modules, their cold plates and the coolant leaving them; its temperature is the coolant
temperature at the cold-plate exit, so GPU junction = node temperature + GPU power *
junction-to-coolant resistance). With conduction only, the GPUs sit on the deck: their heat goes
into the deck node and the junction is the deck temperature + P R.

Links:
- joints between parts from the geometry (bolted flanges, hinges, yokes);
- the GPU modules' own mounting to the deck beside the cold plate is neglected (the coolant
  carries their heat), as in the finite-element model, so both models see the same paths;
- heat transport from the cold plates to each radiator:
  * pumped loop: the radiators are fed in parallel in proportion to their area; the fluid leaves
    the cold plates at the node temperature and exchanges with an isothermal panel with
    effectiveness eps = 1 - exp(-UA/C), so Q = eps * C * (T_coolant - T_panel) (Incropera &
    DeWitt, 6th ed., eq. 8.45b with the cold-plate film inside the junction-to-coolant resistance);
    UA from the film and fin models of :mod:`thermal.transport`, fluid properties at the loop's
    temperature (``HeatLoads.coolant_property_K``, from :mod:`thermal.coupling`);
  * heat pipes: the network's end-to-end conductance, shared by area;
  * conduction: nothing beyond the structure.
- radiation between the outer sides of the parts that see each other (the case's
  ``solver.radiation_exchange``): Gebhart's gray diffuse exchange over ray-traced view factors,
  R_ij = eps_i A_i B_ij between the nodes of two sides and eps A B_space to space in place of
  eps A (:mod:`thermal.exchange`); the shadows and reflected light are in the absorbed fluxes of
  :mod:`thermal.exposure`;
- radiation between the deck and the inner faces of the walls, gray-body factors
  R_ij = eps^2 A_i A_j / A_total (area-weighted view factors, enclosure reciprocity kept; self
  view neglected), inner surfaces at emissivity ``INNER_EMISSIVITY``.

The boxes inside the body (``battery``, ``avionics``: :class:`geometry.spec.UnitSpec`) are parts
like the others, so both models get them from the part list: a node of the unit's heat capacity
(mass times specific heat), linked to its wall or deck by the unit's conductance (a joint), with
no radiating side and no part in the radiation between the inner surfaces (a blanketed box: its
heat leaves through its mount only). The battery takes the battery's losses, the avionics the bus
loads less the pump and the conversion losses (:func:`thermal.loads.heat_placement`).
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from geometry.parts import PartList
from geometry.spec import BusSpec
from thermal.case.model import BypassSpec, Case, ConductionSpec, HeaterSpec, HeatPipeSpec, PumpedLoopSpec
from thermal.control import branch_conductance_W_K, bypass_fraction, heater_power_W
from thermal.exchange import side_exchange, wing_schedule
from thermal.exposure import Exposure, periodic_interp
from thermal.loads import HeatLoads, heat_placement
from thermal.models import network as nw
from thermal.models.history import ThermalHistory, TransportReport
from thermal.models.network import Network
from thermal.transport.cold_plate import cold_plate_pressure_drop_Pa
from thermal.transport.coolant import coolant_properties
from thermal.transport.heat_pipes import check_heat_pipe_limit, heat_pipe_effective_length_m
from thermal.transport.loop import panel_conductance_W_K, radiator_tube_length_m
from thermal.transport.loop import pump_power_W as loop_pump_power_W

# Heat capacity of a GPU module with its cold plate (copper/aluminium, ~900 J/kg/K for the mix).
GPU_SPECIFIC_HEAT_J_KGK = 900.0
# Inner faces of the bus walls and the deck: black anodize or paint (Gilmore 2002, App. A: 0.84-0.88).
INNER_EMISSIVITY = 0.85
COLD_PLATES = "cold_plates"


@dataclass(frozen=True)
class NodeLayout:
    names: tuple[str, ...]
    index: dict
    side_node: np.ndarray        # (n_sides,) node of each side in exposure order
    side_area_m2: np.ndarray     # (n_sides,)
    compute_node: int | None     # node that receives the compute heat
    wing_nodes: dict             # wing name -> node
    deck_node: int | None


def layout(parts: PartList, exposure: Exposure, has_compute: bool, is_bus: bool, active: bool,
           host_part: str) -> NodeLayout:
    names = list(parts.names)
    cold_plates = has_compute and is_bus and active
    if cold_plates:
        names.append(COLD_PLATES)
    index = {name: i for i, name in enumerate(names)}
    side_node, side_area = [], []
    sides = {side.name: (part.name, side.area_m2) for part in parts.parts for side in part.sides}
    for side in exposure.side_names:
        part, area = sides[side]
        side_node.append(index[part])
        side_area.append(area)
    if not has_compute:
        compute = None
    elif cold_plates:
        compute = index[COLD_PLATES]
    else:
        compute = index[host_part]   # GPUs on the deck (bus), or spread over the host part
    wings = {p.name: index[p.name] for p in parts.parts if p.role == "solar_array"}
    return NodeLayout(tuple(names), index, np.array(side_node, int), np.array(side_area), compute, wings,
                      index.get("deck"))


def transport_links(case, parts: PartList, lay: NodeLayout, coolant_K: float) -> tuple[list, "Valve | None",
                                                                                       TransportReport]:
    """Links from the cold plates to the radiators, and figures to report (pump power, UA...)."""
    spec = case.thermal.transport
    radiators = [p for p in parts.parts if p.role == "radiator"]
    if lay.compute_node is None or not isinstance(case.spacecraft, BusSpec) or not radiators:
        return [], TransportReport()
    total_area = sum(r.area_m2 for r in radiators)
    links, conductances, capacity, branches = [], {}, None, []
    if isinstance(spec, PumpedLoopSpec):
        props = coolant_properties(spec.coolant, coolant_K, spec.loop_pressure_Pa)
        capacity_rate = spec.flow_rate_kg_s * props.specific_heat_J_kgK
        for r in radiators:
            share = r.area_m2 / total_area
            rate = capacity_rate * share
            loop = dataclasses.replace(spec, flow_rate_kg_s=spec.flow_rate_kg_s * share)
            emissivities = [s.coating.emissivity for s in r.sides]
            ua = panel_conductance_W_K(loop, r.area_m2, r.thickness_m, r.material.conductivity_W_mK,
                                          emissivities, coolant_K)
            full_flow = float(branch_conductance_W_K(1.0, rate, ua)[0])
            if spec.bypass is None:
                links.append((lay.compute_node, lay.index[r.name], full_flow))
            else:
                branches.append((lay.index[r.name], rate, ua))
            conductances[r.name] = full_flow
        capacity = float(capacity_rate)
    elif isinstance(spec, HeatPipeSpec):
        for r in radiators:
            links.append((lay.compute_node, lay.index[r.name], spec.conductance_W_K * r.area_m2 / total_area))
    valve = (Valve(lay.compute_node, tuple(branches), spec.bypass)
             if isinstance(spec, PumpedLoopSpec) and spec.bypass is not None else None)
    return links, valve, TransportReport(loop_conductance_W_K=conductances, coolant_capacity_rate_W_K=capacity)


@dataclass(frozen=True)
class Valve:
    """The radiator bypass of a pumped loop in the network: the share of the flow through the
    radiators follows the cold-plate node's temperature (:func:`thermal.control.bypass_fraction`),
    each radiator branch's conductance follows the share (:func:`thermal.control.branch_conductance_W_K`).

    node: the cold-plate node (the sensor); branches: (radiator node, full-flow capacity rate
    [W/K], UA [W/K]) of each radiator."""
    node: int
    branches: tuple[tuple[int, float, float], ...]
    spec: BypassSpec

    def fraction(self, T_K: np.ndarray) -> np.ndarray:
        """The share of the flow through the radiators at the cold-plate temperatures ``T_K``."""
        return bypass_fraction(T_K, self.spec.setpoint_K, self.spec.band_K, self.spec.min_fraction)[0]


@dataclass(frozen=True)
class Heaters:
    """The thermostatic heaters of a network: (node, spec) of each (:func:`thermal.control.heater_power_W`)."""
    nodes: tuple[tuple[int, HeaterSpec], ...]

    def power_W(self, T_K: np.ndarray) -> np.ndarray:
        """Each heater's power at the node temperatures ``T_K`` ((n,) or (n, N)): (heaters,) or (heaters, N)."""
        return np.array([heater_power_W(T_K[i], h.setpoint_K, h.power_W, h.deadband_K)[0] for i, h in self.nodes])


def _controls(n: int, heaters: Heaters, valve: Valve | None):
    """The network's control terms (:attr:`thermal.models.network.Network.controls`), or None."""
    if not heaters.nodes and valve is None:
        return None

    def controls(T):
        heat, flow, J = np.zeros(n), np.zeros(n), np.zeros((n, n))
        for i, h in heaters.nodes:
            q, dq = heater_power_W(T[i], h.setpoint_K, h.power_W, h.deadband_K)
            heat[i] += q
            J[i, i] += dq
        if valve is not None:
            c = valve.node
            f, df = bypass_fraction(T[c], valve.spec.setpoint_K, valve.spec.band_K, valve.spec.min_fraction)
            for r, rate, ua in valve.branches:
                G, dG = branch_conductance_W_K(f, rate, ua)
                q = G * (T[c] - T[r])                 # from the coolant to the panel
                dq_dc = G + dG * df * (T[c] - T[r])
                flow[c] -= q
                flow[r] += q
                J[c, c] -= dq_dc
                J[c, r] += G
                J[r, c] += dq_dc
                J[r, r] -= G
        return heat, flow, J

    return controls


def pump_power_W(case, parts: PartList, coolant_K: float) -> float:
    """Electric power of the loop pump: radiator tubing plus the GPU cold plates, the coolant's
    properties at ``coolant_K`` [W]."""
    spec = case.thermal.transport
    radiators = [p for p in parts.parts if p.role == "radiator"]
    if not isinstance(spec, PumpedLoopSpec) or case.compute is None or not radiators:
        return 0.0
    length = sum(radiator_tube_length_m(spec, r.area_m2) for r in radiators)
    plates = cold_plate_pressure_drop_Pa(spec, coolant_K, case.compute.count)
    return float(loop_pump_power_W(spec, length, coolant_K, extra_pressure_drop_Pa=plates))


def heat_pipe_utilisation(case, parts: PartList) -> float | None:
    """Capillary limit of the heat pipes at the nominal compute heat: the fraction of the pipes'
    transport capacity used; InfeasibleError (exit 3) above 1. The pipes run from the deck
    (evaporator under the GPUs) across the body to the middle of the radiators: Faghri's effective
    length L_a + (L_e + L_c)/2 with L_e the deck half-width, L_a the body half-size and L_c the
    mean radiator side."""
    spec = case.thermal.transport
    radiators = [p for p in parts.parts if p.role == "radiator"]
    if not isinstance(spec, HeatPipeSpec) or case.compute is None or not radiators:
        return None
    body = case.spacecraft.body.size_m
    condenser = float(np.sqrt(sum(r.area_m2 for r in radiators) / len(radiators)))
    length = heat_pipe_effective_length_m(min(body[:2]) / 2, max(body) / 2, condenser)
    return float(check_heat_pipe_limit(spec, case.compute.heat_W, length, strict=True).utilisation)


def interior_exchange(parts: PartList, lay: NodeLayout) -> list:
    inner = [(lay.index[p.name], p.area_m2 * (2.0 if p.role == "deck" else 1.0))
             for p in parts.parts if p.role in ("deck", "wall")]
    total = sum(a for _, a in inner)
    out = []
    for k, (i, a_i) in enumerate(inner):
        for j, a_j in inner[k + 1:]:
            out.append((i, j, INNER_EMISSIVITY ** 2 * a_i * a_j / total))
    return out


def _radiation_to_space_and_between(parts: PartList, exposure: Exposure, lay: NodeLayout
                                    ) -> tuple[np.ndarray, tuple[tuple[int, int, float], ...], Callable | None]:
    """(eps A to space of each node [m^2], radiative conductances R [m^2] between nodes, the wings'
    terms over the orbit (:attr:`Network.wing_terms`) or None).

    Without exchange every side sees only space: eps A per side. With it (:attr:`Exposure.exchange`),
    eps A B_space per side and R_ij = eps_i A_i B_ij between the sides of different parts, summed per
    node pair (:func:`thermal.exchange.side_exchange`; sides of one part exchange nothing in an
    isothermal node), with the orbit-averaged view factors. With sun-tracking wings the orbit
    march follows their angle: the terms of the wing positions (:func:`thermal.exchange.side_exchange`
    at each), interpolated in time (:class:`thermal.exchange.WingSchedule`), as changes from the
    averaged ones; the steady (orbit-averaged) solve keeps the averaged."""
    n = len(lay.names)
    side_emissivity = {s.name: s.coating.emissivity for p in parts.parts for s in p.sides}
    eps_A = np.array([side_emissivity[s] for s in exposure.side_names]) * lay.side_area_m2
    if exposure.exchange is None:
        emit = np.zeros(n)
        np.add.at(emit, lay.side_node, eps_A)
        return emit, (), None

    def node_terms(position: int | None) -> tuple[np.ndarray, np.ndarray]:
        sides = side_exchange(exposure.exchange, parts, exposure.side_names, position)
        emit = np.zeros(n)
        np.add.at(emit, lay.side_node, eps_A * sides.space_share)
        node_R = np.zeros((n, n))
        np.add.at(node_R, (lay.side_node[:, None], lay.side_node[None, :]), sides.R_m2)
        np.fill_diagonal(node_R, 0.0)
        return emit, node_R

    emit, node_R = node_terms(None)
    pairs = tuple((i, j, float(node_R[i, j])) for i in range(n) for j in range(i + 1, n) if node_R[i, j] > 0.0)
    schedule = wing_schedule(exposure.exchange)
    if schedule is None:
        return emit, pairs, None

    def matrix(R: np.ndarray) -> np.ndarray:              # flow_i = -(M @ T^4)_i sigma
        return np.diag(R.sum(axis=1)) - R

    at = [node_terms(k) for k in range(len(schedule.times_s))]
    d_emit = np.array([e - emit for e, _ in at])
    d_R = np.array([matrix(R) - matrix(node_R) for _, R in at])

    last: list = [None, None]

    def wing_terms(t: float) -> tuple[np.ndarray, np.ndarray]:
        if last[0] != t:                       # asked for at the same time by the RHS and the Jacobian
            last[:] = [t, (schedule.interpolated(d_emit, t), schedule.interpolated(d_R, t))]
        return last[1]

    return emit, pairs, wing_terms


class _Sources:
    """The time-dependent node sources of a network: absorbed, generated and electric power on the
    exposure's time grid, (3, n, M), interpolated periodically once per time (the three are asked
    for at the same time, one after the other, by every right-hand-side evaluation)."""

    def __init__(self, period_s: float | None, time_s: np.ndarray, table: np.ndarray):
        self.period_s, self.time_s, self.table = period_s, time_s, table
        self._t, self._values = None, None

    def at(self, t: float) -> np.ndarray:
        if t != self._t:
            self._t, self._values = t, periodic_interp(self.period_s, self.time_s, self.table, t)
        return self._values


def network_heaters(case, lay: NodeLayout) -> Heaters:
    """The case's heaters on their parts' nodes."""
    return Heaters(tuple((lay.index[h.part], h) for h in case.thermal.heaters))


@dataclass(frozen=True)
class Control:
    """The thermal control of a network: its heaters and its bypass valve (or None)."""
    heaters: Heaters
    valve: Valve | None


def build_network(case, parts: PartList, exposure: Exposure, loads: HeatLoads
                  ) -> tuple[Network, NodeLayout, TransportReport, Control]:
    """The network of a case with its heat loads (:mod:`thermal.loads`: where each one lands)."""
    is_bus = isinstance(case.spacecraft, BusSpec)
    active = not isinstance(case.thermal.transport, ConductionSpec)
    placement = heat_placement(case, parts)
    lay = layout(parts, exposure, case.compute is not None, is_bus, active, placement.host_part)
    n = len(lay.names)
    capacity = np.zeros(n)
    for part in parts.parts:
        capacity[lay.index[part.name]] = part.mass_kg * part.material.specific_heat_J_kgK
    links = [(lay.index[j.part_a], lay.index[j.part_b], j.conductance_W_K) for j in parts.joints
             if j.conductance_W_K > 0]
    report, valve = TransportReport(), None
    if COLD_PLATES in lay.index:
        c = lay.index[COLD_PLATES]
        capacity[c] = case.compute.count * case.compute.gpu.mass_kg * GPU_SPECIFIC_HEAT_J_KGK
        transport, valve, report = transport_links(case, parts, lay, loads.coolant_property_K)
        links += transport
    emit, exchange, wing_terms = _radiation_to_space_and_between(parts, exposure, lay)

    # the sources on the exposure grid: absorbed by the sides, generated where each load lands
    # (compute and pump work at the compute node, the bus heat in the avionics, on the loop or in
    # the host part, the battery's losses in the battery, the case's dissipation on its parts),
    # electric power leaving the wings
    if loads.time_s.shape != exposure.time_s.shape:
        raise ValueError("the heat loads must be tabulated on the exposure's time grid")
    table = np.zeros((3, n, exposure.time_s.size))
    np.add.at(table[0], lay.side_node, lay.side_area_m2[:, None] * exposure.absorbed_W_m2)
    if lay.compute_node is not None:
        table[1, lay.compute_node] += loads.compute + loads.pump
    bus_node = lay.compute_node if placement.bus_on_loop else lay.index[placement.bus_part]
    table[1, bus_node] += loads.bus_heat
    table[1, bus_node if placement.battery_part is None else lay.index[placement.battery_part]] += loads.battery
    for name, watts in case.thermal.dissipation_W.items():
        table[1, lay.index[name]] += watts
    for wing, node in lay.wing_nodes.items():
        if wing in loads.wing_electric:
            table[2, node] += loads.wing_electric[wing]
    sources = _Sources(exposure.period_s, exposure.time_s, table)
    heaters = network_heaters(case, lay)
    zeros = np.zeros(n)
    net = Network(names=lay.names, capacity_J_K=capacity, links=tuple(links), emit_m2=emit,
                  interior=(tuple(interior_exchange(parts, lay)) if is_bus else ()) + exchange,
                  absorbed_W=lambda t: sources.at(t)[0], generated_W=lambda t: sources.at(t)[1],
                  electric_W=lambda t, T: (sources.at(t)[2], zeros),
                  controls=_controls(n, heaters, valve),
                  control_pairs=() if valve is None else tuple((valve.node, r) for r, _, _ in valve.branches),
                  wing_terms=wing_terms)
    return net, lay, report, Control(heaters, valve)


def run_network(case: Case, parts: PartList, exposure: Exposure, loads: HeatLoads, progress
                ) -> tuple[ThermalHistory, TransportReport]:
    """The lumped network of a case with its heat loads, to a periodic steady state, over a
    duration, or steady (``solver``)."""
    net, lay, report, control = build_network(case, parts, exposure, loads)
    solver = case.solver
    T0 = case.thermal.initial_temperature_K
    if solver.steady:
        sol = nw.steady_solution(net, T0, exposure.period_s)
    elif solver.duration_s is not None:
        samples = np.arange(0.0, solver.duration_s + 0.5 * solver.time_step_s, solver.time_step_s)
        samples[-1] = solver.duration_s
        sol, _ = nw.integrate(net, np.full(net.size, T0), 0.0, solver.duration_s, samples)
    else:
        sol = nw.periodic_solution(
            net, exposure.period_s, T0, solver.time_step_s, solver.orbits, solver.max_orbits,
            solver.periodic_tolerance_K,
            progress=lambda k, change: progress(f"network: orbit {k}, orbit-to-orbit change {change:.3g} K against the "
                                                f"tolerance {solver.periodic_tolerance_K:.3g} K"))
    parts_T = {name: sol.T_K[lay.index[name]] for name in parts.names}
    t = sol.time_s
    if lay.compute_node is not None:
        cold = sol.T_K[lay.compute_node]
        junction = cold + loads.gpu_W(t) * case.compute.gpu.junction_to_coolant_K_W
        if lay.names[lay.compute_node] == COLD_PLATES:
            parts_T[COLD_PLATES] = cold
    else:
        cold = junction = np.full(t.shape, np.nan)
    heater_W = dict(zip((h.part for _, h in control.heaters.nodes), control.heaters.power_W(sol.T_K), strict=True))
    history = ThermalHistory(
        time_s=t, part_T_min_K=parts_T, part_T_max_K=parts_T, part_T_mean_K=parts_T,
        cold_plate_T_K=cold, gpu_junction_K=junction,
        absorbed_W=sol.absorbed_W, generated_W=sol.generated_W, emitted_W=sol.emitted_W, electric_W=sol.electric_W,
        stored_rate_W=sol.stored_rate_W, energy_balance_error=sol.energy_balance_error,
        dofs=net.size, steps=sol.steps, orbits=sol.orbits, solver_stats={"rhs_evaluations": sol.rhs_evaluations},
        heater_W=heater_W,
        bypass_fraction=None if control.valve is None else control.valve.fraction(sol.T_K[control.valve.node]))
    return history, report
