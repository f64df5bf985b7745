"""GPU leakage in a run: the fixed point GPU power <-> junction temperature against a hand solution,
a zero slope that changes nothing, the energy audit (the h100 bus runs, a hotter radiator that costs
electric power and the finite-element model: tests/system/test_leakage_runs.py).

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

from thermal.case import load_case
from thermal.core.errors import CaseError, InfeasibleError
from thermal.simulation import simulate

from builders import SIGMA_W_M2K4, same_thermal_history

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


def test_a_zero_slope_changes_nothing():
    zero = {"per_kelvin": "0 %/K", "reference": "0 degC"}
    same_thermal_history(simulate(load_case(_plate(None))), simulate(load_case(_plate(zero))))


def test_a_thermal_runaway_stops_with_the_reason():
    # 1 %/K on 0.2 K/W: k P0 R = 1.4, so the junction's own rise P R brings back 1.4 K for each kelvin,
    # more than the plate's T^4 can take: no fixed point; the passes stop once the change has grown twice
    case = load_case(_plate({"per_kelvin": "1 %/K", "reference": "0 degC"}, junction_to_coolant="0.2 K/W"))
    lines = []
    with pytest.raises(InfeasibleError, match="ran away: .* growing from pass to pass .* thermal runaway"):
        simulate(case, lines.append)
    # the first pass has no change to measure; then three growing changes in a row
    assert sum("GPU junction change" in line for line in lines) == 4


def test_the_finite_element_model_refuses_a_law_on_a_plate():
    """Compute on a plate has no junction in the finite-element model: the law cannot act, and says so
    (the bus, where it acts: tests/system/test_leakage_runs.py)."""
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
