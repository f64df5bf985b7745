"""The battery and the avionics, boxes inside the body of the h100 bus, in both thermal models:
where their heat lands, the steady closed form (mount + heat / conductance), their heat capacity,
energy conservation, the verdict on the battery, and the network against finite elements.

The loads are set by hand (constant on the exposure's grid), so that every expected value follows
from the case's own figures: the battery on the deck through 40 W/K, the avionics on the deck
through 1 W/K per kg of its 30 kg (cases/h100_bus.yaml).
"""

import dataclasses

import numpy as np
import pytest

from geometry.layout import part_list
from thermal.case import load_case
from thermal.core.progress import silent
from thermal.exposure import compute_exposure
from thermal.loads import HeatLoads, heat_placement
from thermal.models import run_thermal
from thermal.models.history import TransportReport
from thermal.models.network_model import COLD_PLATES, build_network, pump_power_W
from thermal.orbit import case_orbit
from thermal.verdict import judge

from builders import CASES

BATTERY_G_W_K = 40.0      # cases/h100_bus.yaml
AVIONICS_G_W_K = 30.0     # 1 W/K per kg of 30 kg (geometry/parts.py, by hand)
BATTERY_C_J_K = 16000.0 / 120.0 * 1000.0   # 16 kWh at 120 Wh/kg (VES180 pack), 1,000 J/kg/K
COMPUTE_W = 8 * 700.0 + 3500.0


@pytest.fixture(scope="module")
def bus():
    """The shipped bus (its own epoch, no load cases), its parts and exposure, coarse mesh."""
    case = load_case(CASES / "h100_bus.yaml")
    case = dataclasses.replace(case, load_cases=(), solver=dataclasses.replace(case.solver, mesh_size_m=0.2))
    parts = part_list(case.spacecraft)
    exposure = compute_exposure(parts, case.spacecraft, case_orbit(case.orbit), case.environment, case.attitude,
                                case.thermal.end_of_life)
    return case, parts, exposure


def loads_of(bus, battery_W, bus_W):
    """Constant loads: the 8 GPUs and their overhead, the pump, the bus heat and the battery's losses."""
    case, parts, exposure = bus
    n = exposure.time_s.size
    return HeatLoads(exposure.period_s, exposure.time_s, np.full(n, COMPUTE_W), np.full(n, 700.0),
                     np.full(n, bus_W), {}, pump_power_W(case, parts, 300.0), battery=np.full(n, battery_W))


def run(bus, model, loads, **solver):
    case, parts, exposure = bus
    case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model=model, **solver))
    history, _ = run_thermal(case, parts, exposure, loads, silent)
    return history


def test_each_load_lands_in_its_own_node(bus):
    """The battery's losses in the battery, the bus heat in the avionics; the GPU loop carries only
    the compute heat and the pump's work."""
    case, parts, exposure = bus
    placement = heat_placement(case, parts)
    assert (placement.battery_part, placement.bus_part, placement.bus_on_loop) == ("battery", "avionics", False)
    loads = loads_of(bus, 100.0, 300.0)
    net, lay, _, _ = build_network(case, parts, exposure, loads)
    generated = net.generated_W(123.0)
    assert generated[lay.index["battery"]] == pytest.approx(100.0)
    assert generated[lay.index["avionics"]] == pytest.approx(300.0)
    assert generated[lay.index[COLD_PLATES]] == pytest.approx(COMPUTE_W + loads.pump)
    assert generated.sum() == pytest.approx(COMPUTE_W + loads.pump + 400.0)
    # with the avionics on the loop (no avionics box) the bus heat joins the compute heat
    on_loop = dataclasses.replace(case.spacecraft, units=case.spacecraft.units[:1])
    placement = heat_placement(case, part_list(on_loop))
    assert (placement.battery_part, placement.bus_on_loop) == ("battery", True)


def test_steady_box_is_its_mount_plus_heat_over_conductance(bus):
    """Network, steady: all of a box's heat crosses its one joint, so T_box = T_mount + Q / G."""
    h = run(bus, "network", loads_of(bus, 100.0, 300.0), steady=True)
    deck = h.part_T_mean_K["deck"][0]
    assert h.part_T_mean_K["battery"][0] - deck == pytest.approx(100.0 / BATTERY_G_W_K, abs=1e-6)
    assert h.part_T_mean_K["avionics"][0] - deck == pytest.approx(300.0 / AVIONICS_G_W_K, abs=1e-6)
    assert h.energy_balance_error < 1e-9


@pytest.mark.parametrize("model", ["network", "fe"])
def test_a_box_warms_at_its_heat_over_its_heat_capacity(bus, model):
    """From a uniform start, the battery's first minute: m c dT/dt = Q - G dT with its deck held
    (the deck's own mass barely moves in a minute), so dT = (Q / G) (1 - exp(-G t / (m c))),
    m c = 133 kJ/K: 1 % below Q t / (m c). Within 2 %: what the box exchanges with the walls."""
    h = run(bus, model, loads_of(bus, 200.0, 0.0), duration_s=60.0, time_step_s=5.0)
    rise = h.part_T_mean_K["battery"][-1] - h.part_T_mean_K["battery"][0]
    expected = 200.0 / BATTERY_G_W_K * -np.expm1(-BATTERY_G_W_K * 60.0 / BATTERY_C_J_K)
    assert rise == pytest.approx(expected, rel=0.02)
    assert h.energy_balance_error < (1e-6 if model == "network" else 1e-4)


def test_periodic_losses_conserve_energy_and_the_orbit_mean_crosses_the_joint(bus):
    """Network, periodic, the battery's losses on for 35 % of the orbit (a discharge): the energy audit
    closes, and over an orbit of the periodic state the stored heat returns, so the orbit-mean
    temperature difference across the joint carries the orbit-mean loss, G <T_b - T_deck> = <Q>."""
    case, parts, exposure = bus
    phase = np.mod(exposure.time_s, exposure.period_s) / exposure.period_s
    loads = dataclasses.replace(loads_of(bus, 0.0, 300.0), battery=np.where(phase < 0.35, 300.0, 0.0))
    h = run(bus, "network", loads, periodic_tolerance_K=1e-4, orbits=3)
    assert h.energy_balance_error < 1e-6
    t = h.time_s

    def mean(x):
        return np.trapezoid(x, t) / (t[-1] - t[0])

    drop = mean(h.part_T_mean_K["battery"] - h.part_T_mean_K["deck"])
    assert BATTERY_G_W_K * drop == pytest.approx(mean(loads.battery_W(t)), rel=2e-3)
    assert np.ptp(h.part_T_mean_K["battery"]) > 1.0      # it does swing: the check is not a steady one


def test_finite_elements_agree_with_the_network_on_the_battery(bus):
    """Steady, both models. With no heat in the boxes the battery sits at its mount in both, within
    0.5 K (the FE deck's own spread, from the environment and the walls). With the shipped case's
    order of box heat (100 W battery, 300 W avionics) the FE battery is warmer, by less than 10 K:
    the FE deck (6 mm aluminium, k t = 1 W/K) spreads the heat from under the boxes in its plane
    and is warmer under them, where the network's deck is one isothermal node. The FE box is one
    temperature (heat in and out uniformly over its plate) and its energy audit closes."""
    cold_net = run(bus, "network", loads_of(bus, 0.0, 0.0), steady=True)
    cold_fe = run(bus, "fe", loads_of(bus, 0.0, 0.0), steady=True)
    assert cold_fe.part_T_mean_K["battery"][0] == pytest.approx(cold_net.part_T_mean_K["battery"][0], abs=0.5)
    net = run(bus, "network", loads_of(bus, 100.0, 300.0), steady=True)
    fe = run(bus, "fe", loads_of(bus, 100.0, 300.0), steady=True)
    difference = fe.part_T_mean_K["battery"][0] - net.part_T_mean_K["battery"][0]
    assert 0.0 < difference < 10.0
    assert fe.part_T_max_K["battery"][0] - fe.part_T_min_K["battery"][0] < 0.01
    assert fe.energy_balance_error < 1e-4 and cold_fe.energy_balance_error < 1e-4


def test_the_verdict_fails_and_names_the_battery_when_it_is_too_cold(bus):
    """With no heat in the body the deck, and the idle battery on it, sit near -50 degC: below the
    VES180's 0 degC. A run judged with the battery's range checks both ends and misses the min."""
    case, parts, exposure = bus
    h = run(bus, "network", loads_of(bus, 0.0, 0.0), steady=True)
    fake = type("Run", (), {"case": case, "parts": parts, "thermal": h, "power_summary": None, "sizing": None,
                            "transport": TransportReport(coolant_property_K=300.0)})
    verdict = judge(fake, "cold")
    battery = [c for c in verdict.checks if c.part == "battery"]
    assert [c.limit for c in battery] == ["battery_temperature_min", "battery_temperature_max"]
    assert battery[0].limit_value == pytest.approx(273.15) and battery[1].limit_value == pytest.approx(313.15)
    assert verdict.status == "fail" and verdict.binding.limit == "battery_temperature_min"
    assert verdict.line().startswith("battery_temperature_min missed by battery in load case 'cold'")
