"""Thermal control in both models: thermostatic heaters against the closed form of a plate in the
dark, and the radiator bypass valve holding a pumped loop at its setpoint through the eclipse.

Heater closed form: a 1 m^2 plate, emissivity 0.85 on both sides, deep space, no sun. With a heater
of power P above what the plate needs at the setpoint T_s, the steady plate sits in the heater's
band, T_s <= T <= T_s + deadband, and the heater delivers what the plate radiates,
``eps_sum sigma A T^4``; with the law of :func:`thermal.control.heater_power_W` (full power at T_s,
none at T_s + d) the answer solves ``P (T_s + d - T) / d = eps_sum sigma A T^4``. With too little
power the heater is on all the time and the plate settles where ``P = eps_sum sigma A T^4``.
"""

import numpy as np
import pytest

from thermal.case import load_case
from thermal.control import branch_conductance_W_K, bypass_fraction, heater_power_W
from thermal.simulation import simulate
from thermal.verdict import judge

from builders import SIGMA_W_M2K4

EPS_SUM, AREA_M2 = 0.85 + 0.85, 1.0
SETPOINT_K, DEADBAND_K = 250.0, 0.5
NEED_W = EPS_SUM * SIGMA_W_M2K4 * AREA_M2 * SETPOINT_K ** 4      # 376.5 W at the setpoint


def _dark_plate(model: str, power_W: float, **solver) -> dict:
    return {"name": "heated_plate", "orbit": "none",
            "spacecraft": {"kind": "plate", "size": ["1 m", "1 m"], "thickness": "1 mm", "material": "Al6061",
                           "facing": [1, 0, 0], "coating": {"front": {"absorptivity": 0.2, "emissivity": 0.85},
                                                            "back": {"absorptivity": 0.2, "emissivity": 0.85}}},
            "thermal": {"initial_temperature": "300 K",
                        "heaters": {"plate": {"setpoint": f"{SETPOINT_K} K", "power": f"{power_W} W",
                                              "deadband": f"{DEADBAND_K} K"}},
                        "limits": {"plate": {"min": f"{SETPOINT_K} K"}}},
            "solver": {"model": model, "mesh_size": "20 cm", **(solver or {"steady": True})}}


def _hand_band_temperature(power_W: float) -> float:
    """T with P (T_s + d - T) / d = eps sigma A T^4, by bisection inside the band."""
    lo, hi = SETPOINT_K, SETPOINT_K + DEADBAND_K
    for _ in range(100):
        T = 0.5 * (lo + hi)
        if power_W * (SETPOINT_K + DEADBAND_K - T) / DEADBAND_K > EPS_SUM * SIGMA_W_M2K4 * AREA_M2 * T ** 4:
            lo = T
        else:
            hi = T
    return 0.5 * (lo + hi)


def test_the_control_laws():
    # heater: full power at the setpoint, none at setpoint + deadband, proportional between
    q, dq = heater_power_W(np.array([249.0, 250.0, 251.0, 252.0, 253.0]), 250.0, 100.0, 2.0)
    assert q == pytest.approx([100.0, 100.0, 50.0, 0.0, 0.0])
    assert dq == pytest.approx([0.0, 0.0, -50.0, 0.0, 0.0])
    # valve: its least share at the setpoint, all the flow from setpoint + band
    f, df = bypass_fraction(np.array([280.0, 283.0, 284.5, 287.0, 290.0]), 283.0, 3.0, 0.01)
    assert f == pytest.approx([0.01, 0.01, 0.505, 1.0, 1.0])
    assert df == pytest.approx([0.0, 0.0, 0.33, 0.0, 0.0])
    # the radiator branch: f C (1 - exp(-UA / (f C))), and its derivative by f (finite difference)
    C, UA = 800.0, 1500.0
    G, dG = branch_conductance_W_K(0.3, C, UA)
    assert G == pytest.approx(0.3 * C * (1 - np.exp(-UA / (0.3 * C))), rel=1e-12)
    h = 1e-6
    assert dG == pytest.approx((branch_conductance_W_K(0.3 + h, C, UA)[0] - branch_conductance_W_K(0.3 - h, C, UA)[0])
                               / (2 * h), rel=1e-6)
    # small shares carry f C (the coolant leaves at the panel's temperature), full flow eps C
    assert branch_conductance_W_K(1e-3, C, UA)[0] == pytest.approx(1e-3 * C, rel=1e-9)


@pytest.mark.parametrize("model", ["network", "fe"])
def test_a_heater_holds_a_plate_in_the_dark_at_its_setpoint(model):
    run = simulate(load_case(_dark_plate(model, 2 * NEED_W)))
    T = float(run.thermal.part_T_mean_K["plate"][-1])
    heater = float(run.thermal.heater_W["plate"][-1])
    assert SETPOINT_K <= T <= SETPOINT_K + DEADBAND_K
    assert T == pytest.approx(_hand_band_temperature(2 * NEED_W), abs=1e-6)
    # it draws what the plate radiates at the setpoint, within 1 %
    assert heater == pytest.approx(NEED_W, rel=1e-2)
    assert heater == pytest.approx(EPS_SUM * SIGMA_W_M2K4 * AREA_M2 * T ** 4, rel=1e-9)
    assert run.thermal.energy_balance_error < 1e-9
    assert judge(run).status == "pass"


@pytest.mark.parametrize("model", ["network", "fe"])
def test_too_little_heater_power_settles_at_the_balance_and_fails_the_part_min(model):
    run = simulate(load_case(_dark_plate(model, 0.5 * NEED_W)))
    T = float(run.thermal.part_T_mean_K["plate"][-1])
    assert T == pytest.approx((0.5 * NEED_W / (EPS_SUM * SIGMA_W_M2K4 * AREA_M2)) ** 0.25, rel=1e-8)
    assert float(run.thermal.heater_W["plate"][-1]) == pytest.approx(0.5 * NEED_W, rel=1e-12)
    verdict = judge(run)
    assert verdict.status == "fail"
    (binding,) = verdict.violations
    assert (binding.limit, binding.part) == ("part_min", "plate")
    assert binding.value == pytest.approx(T, abs=1e-6)


@pytest.mark.parametrize("model", ["network", "fe"])
def test_a_heater_in_time_cools_the_plate_to_its_band_and_holds_it(model):
    run = simulate(load_case(_dark_plate(model, 2 * NEED_W, duration="3 h", time_step="30 s")))
    h = run.thermal
    assert h.part_T_mean_K["plate"][0] == pytest.approx(300.0)
    assert h.part_T_mean_K["plate"][-1] == pytest.approx(_hand_band_temperature(2 * NEED_W), abs=1e-4)
    # off while the plate is above the band, then on at the power the plate needs
    assert h.heater_W["plate"][0] == 0.0
    assert h.heater_W["plate"][-1] == pytest.approx(NEED_W, rel=1e-2)
    assert h.energy_balance_error < (1e-6 if model == "network" else 1e-4)


def _corner_with_heated_wall(folder, model: str, sense: str):
    """The black floor and wall of tests/verification/test_patch_exchange.py (1 m squares at right
    angles, sharing an edge), the floor in the sun of a case without orbit (about 283 K), the wall
    edge-on to it and heated by a thermostat at 250 K: the wall's strip along the shared edge sees
    the warm floor, its far edge mostly space, and 2 mm of aluminium spreads heat over about
    sqrt(k t / (8 sigma T^3)) = 0.2 m, so the wall is several kelvin colder at its far edge."""
    import yaml
    from test_patch_exchange import corner_case
    data = yaml.safe_load(corner_case(folder).read_text())
    data["thermal"]["heaters"] = {"wall": {"setpoint": "250 K", "power": "2 kW", "deadband": "1 K", "sense": sense}}
    data["solver"]["model"] = model
    path = folder / f"corner_{model}_{sense}.yaml"
    path.write_text(yaml.safe_dump(data))
    return simulate(load_case(path)).thermal


@pytest.mark.parametrize("model", ["network", "fe"])
def test_a_thermostat_at_the_coldest_point_holds_it_in_its_band(tmp_path, model):
    mean, coldest = (_corner_with_heated_wall(tmp_path, model, sense) for sense in ("mean", "min"))
    for h, sensed in ((mean, mean.part_T_mean_K["wall"][-1]), (coldest, coldest.part_T_min_K["wall"][-1])):
        # the heater follows its law at what it senses, in its band, and the energy balances
        assert 250.0 <= sensed <= 251.0
        assert h.heater_W["wall"][-1] == pytest.approx(heater_power_W(sensed, 250.0, 2000.0, 1.0)[0], rel=1e-9)
        assert h.energy_balance_error < 1e-8
    if model == "network":
        # one node per part: its mean is its coldest point, the two thermostats are one
        assert coldest.part_T_min_K["wall"][-1] == pytest.approx(mean.part_T_mean_K["wall"][-1], abs=1e-9)
        assert coldest.heater_W["wall"][-1] == pytest.approx(mean.heater_W["wall"][-1], rel=1e-12)
        return
    # sensing the mean leaves the far edge under the setpoint (3 K seen); at the coldest point the
    # whole wall is at or above it, for more heater power (the mean rises by the wall's gradient)
    assert mean.part_T_min_K["wall"][-1] < 250.0 - 2.0
    assert coldest.part_T_mean_K["wall"][-1] > coldest.part_T_min_K["wall"][-1] + 2.0
    assert coldest.heater_W["wall"][-1] > mean.heater_W["wall"][-1]


def test_a_thermostat_senses_the_mean_or_the_coldest_point_only():
    from thermal.core.errors import CaseError
    data = _dark_plate("network", NEED_W)
    assert load_case(data).thermal.heaters[0].sense == "mean"
    data["thermal"]["heaters"]["plate"]["sense"] = "coldest"
    with pytest.raises(CaseError) as err:
        load_case(data)
    assert "thermal.heaters.plate.sense" in str(err.value) and "mean, min" in str(err.value)
