"""GPU leakage in a run: the fixed point GPU power <-> junction temperature against a hand solution,
a zero slope that changes nothing, the energy audit, and a hotter radiator that costs electric power.

The hand case: a 1 m^2 plate in the dark (deep space, no sun) carrying one GPU, steady. The network
model spreads the compute over the plate, so the plate radiates the GPU power P from both sides,
``eps_sum sigma A T^4 = P``, and the junction is ``T_j = T + P R``. The law
``P = P0 (1 + k (T_j - T_ref))`` then fixes P: one equation, solved here by plain iteration.
The run stops when its junction history changes by less than 0.2 K (COUPLING_TOLERANCE_K); with
the loop gain g = k P0 dT_j/dP ~ 0.18 here, its junction is then within 0.2 g / (1 - g) ~ 0.05 K of
the fixed point and its power within k P0 0.2 / (1 - g) ~ 0.35 W (5e-4 of P).
"""

import copy

import numpy as np
import pytest
import yaml

from thermal.case import load_case
from thermal.core.errors import CaseError, InfeasibleError
from thermal.simulation import simulate

from builders import CASES, SIGMA_W_M2K4

EPS_SUM, AREA_M2, P0_W, R_K_W = 0.85 + 0.85, 1.0, 700.0, 0.03     # the plate, H100-SXM and its library R


def _plate(law, **compute):
    return {"name": "leaky_plate", "orbit": "none", "environment": {"solar_constant": "0 W/m^2"},
            "spacecraft": {"kind": "plate", "size": ["1 m", "1 m"], "thickness": "1 mm", "material": "Al6061",
                           "facing": "sun", "coating": {"front": {"absorptivity": 0.2, "emissivity": 0.85},
                                                        "back": {"absorptivity": 0.2, "emissivity": 0.85}}},
            "compute": {"gpu": "H100-SXM", "count": 1, **compute},
            **({"gpus": {"H100-SXM": {"leakage": law}}} if law else {}),
            "solver": {"model": "network", "steady": True}}


def _hand_fixed_point(k, T_ref, R=R_K_W):
    P = P0_W
    for _ in range(200):
        T_j = (P / (EPS_SUM * SIGMA_W_M2K4 * AREA_M2)) ** 0.25 + P * R
        P = P0_W * (1.0 + k * max(T_j - T_ref, 0.0))
    return P, T_j


def test_a_steady_plate_reaches_the_hand_fixed_point():
    run = simulate(load_case(_plate({"per_kelvin": "0.2 %/K", "reference": "0 degC"})))
    P, T_j = _hand_fixed_point(0.002, 273.15)
    h = run.thermal
    assert P / P0_W - 1.0 > 0.09                                 # the law matters: 9 % more power
    assert float(h.generated_W[0]) == pytest.approx(P, rel=5e-4)
    assert float(h.gpu_junction_K[0]) == pytest.approx(T_j, abs=0.1)
    # the heat the plate rejects is the GPU power with its leakage, and the leakage is reported as such
    assert float(h.emitted_W[0]) == pytest.approx(float(h.generated_W[0]), rel=1e-9)
    assert float(run.loads.gpu_leakage[0]) == pytest.approx(float(h.generated_W[0]) - P0_W, rel=1e-12)
    assert h.energy_balance_error < 1e-6


def test_below_the_reference_the_gpu_draws_its_tdp():
    base = simulate(load_case(_plate(None)))
    cold = simulate(load_case(_plate({"per_kelvin": "0.2 %/K", "reference": "80 degC"})))
    assert float(base.thermal.gpu_junction_K[0]) < 353.15
    assert float(cold.thermal.generated_W[0]) == float(base.thermal.generated_W[0]) == P0_W
    assert np.all(cold.loads.gpu_leakage == 0.0)


def _bus(law=None, area="24 m^2"):
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    data["load_cases"] = "none"
    data["solver"] = {"model": "network", "time_step": "60 s", "orbits": 1}
    data["spacecraft"]["radiators"][0]["area"] = area
    if law:
        data["gpus"] = {"H100-SXM": {"leakage": law}}
    return load_case(data)


def _same_run(a, b):
    for name in ("time_s", "gpu_junction_K", "cold_plate_T_K", "generated_W", "emitted_W", "absorbed_W"):
        assert np.array_equal(getattr(a.thermal, name), getattr(b.thermal, name)), name
    for name in a.thermal.part_T_mean_K:
        assert np.array_equal(a.thermal.part_T_mean_K[name], b.thermal.part_T_mean_K[name]), name


def test_a_zero_slope_changes_nothing():
    zero = {"per_kelvin": "0 %/K", "reference": "0 degC"}
    _same_run(simulate(load_case(_plate(None))), simulate(load_case(_plate(zero))))
    none, flat = simulate(_bus()), simulate(_bus(zero))
    _same_run(none, flat)
    for name in ("compute_W", "compute_demand_W", "battery_soc", "array_electric_out_W_m2"):
        assert np.array_equal(getattr(none.power, name), getattr(flat.power, name)), name
    assert none.power_summary == flat.power_summary


LAW = {"per_kelvin": "0.3 %/K", "reference": "30 degC"}


def test_a_smaller_hotter_radiator_draws_more_electric_power():
    runs = {(law is not None, area): simulate(_bus(law, area)) for law in (None, LAW) for area in ("24 m^2", "16 m^2")}
    demand = {key: r.power_summary["compute_demand_orbit_avg_W"] for key, r in runs.items()}
    junction = {key: float(np.max(r.thermal.gpu_junction_K)) for key, r in runs.items()}
    # without a law the compute draws its rating at any temperature
    assert demand[False, "24 m^2"] == demand[False, "16 m^2"] == pytest.approx(8 * 700.0 + 3500.0, rel=1e-12)
    # with one, the hotter junction of the smaller radiator costs electric power, and the leakage
    # raises the junction further
    assert demand[True, "16 m^2"] > demand[True, "24 m^2"] + 300.0 > demand[False, "24 m^2"] + 600.0
    assert junction[True, "16 m^2"] > junction[False, "16 m^2"] + 5.0
    for area in ("24 m^2", "16 m^2"):
        r = runs[True, area]
        t, leak = r.loads.time_s, r.loads.gpu_leakage
        leak_avg = np.trapezoid(leak, t) / (t[-1] - t[0])
        # the electric power the compute takes above its rating is the leakage the thermal model heats with
        assert demand[True, area] - demand[False, area] == pytest.approx(leak_avg, rel=2e-3)
        assert r.thermal.energy_balance_error < 1e-6
        # the fixed point: each GPU's heat is the law at the junction the run ends with, within the tolerance
        k, T_ref = 0.003, 303.15
        T_j = np.interp(t, r.thermal.time_s, r.thermal.gpu_junction_K)
        law_W = 700.0 * (1.0 + k * np.maximum(T_j - T_ref, 0.0))
        assert np.max(np.abs(r.loads.gpu - law_W)) < 700.0 * k * 0.2


def test_a_thermal_runaway_stops_with_the_reason():
    # 1 %/K on 0.2 K/W: k P0 R = 1.4, so the junction's own rise P R brings back 1.4 K for each kelvin,
    # more than the plate's T^4 can take: no fixed point; the passes stop once the change has grown twice
    case = load_case(_plate({"per_kelvin": "1 %/K", "reference": "0 degC"}, junction_to_coolant="0.2 K/W"))
    lines = []
    with pytest.raises(InfeasibleError, match="ran away: .* growing from pass to pass .* thermal runaway"):
        simulate(case, lines.append)
    # the first pass has no change to measure; then three growing changes in a row
    assert sum("GPU junction change" in line for line in lines) == 4


def test_the_finite_element_model_settles_on_its_own_junction():
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    data["load_cases"] = "none"
    del data["power"]
    data["solver"] = {"model": "fe", "steady": True, "mesh_size": "20 cm"}
    data["gpus"] = {"H100-SXM": {"leakage": LAW}}
    run = simulate(load_case(data))
    T_j = float(run.thermal.gpu_junction_K[0])
    assert np.max(np.abs(run.loads.gpu - 700.0 * (1.0 + 0.003 * (T_j - 303.15)))) < 700.0 * 0.003 * 0.2
    assert run.thermal.energy_balance_error < 1e-6
    # compute on a plate has no junction in the finite-element model: the law cannot act, and says so
    plate = _plate({"per_kelvin": "0.2 %/K", "reference": "0 degC"})
    plate["solver"] = {"model": "fe", "steady": True, "mesh_size": "50 cm"}
    with pytest.raises(CaseError, match="gpus.H100-SXM.leakage"):
        simulate(load_case(copy.deepcopy(plate)))


def test_summary_and_console_report_the_leakage(capsys):
    from thermal.outputs.console import print_summary
    from thermal.outputs.summary import summarize
    run = simulate(load_case(_plate({"per_kelvin": "0.2 %/K", "reference": "0 degC", "source": "test law"})))
    summary = summarize(run).to_dict()
    th = summary["thermal"]
    leak = float(run.thermal.generated_W[0]) - P0_W                  # steady: one value, average = max
    assert th["gpu_leakage_orbit_avg_W"] == pytest.approx(leak, rel=1e-12)
    assert th["gpu_leakage_max_W"] == pytest.approx(leak, rel=1e-12)
    assert th["gpu_leakage_law"] == {"per_kelvin_1_K": pytest.approx(0.002), "reference_K": pytest.approx(273.15),
                                     "source": "test law"}
    print_summary(summary)
    assert f"GPU leakage {leak:.1f} W orbit average" in capsys.readouterr().out
    assert "gpu_leakage_orbit_avg_W" not in summarize(simulate(load_case(_plate(None)))).to_dict()["thermal"]
