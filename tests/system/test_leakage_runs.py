"""GPU leakage in whole runs of the h100 bus (one orbit of the network model, four of them for the
radiator comparison, and a steady finite-element run): a zero slope changes nothing, a smaller
radiator runs hotter and so draws more electric power, and the finite-element model settles on its
own junction. The law and the hand fixed point on a plate: tests/verification/test_leakage.py."""

import numpy as np
import pytest
import yaml

from thermal.case import load_case
from thermal.simulation import simulate

from builders import CASES, same_thermal_history


def _bus(law=None, area="24 m^2"):
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    data["load_cases"] = "none"
    data["solver"] = {"model": "network", "time_step": "60 s", "orbits": 1}
    data["spacecraft"]["radiators"][0]["area"] = area
    if law:
        data["gpus"] = {"H100-SXM": {"leakage": law}}
    return load_case(data)


def test_a_zero_slope_changes_nothing_on_the_bus():
    zero = {"per_kelvin": "0 %/K", "reference": "0 degC"}
    none, flat = simulate(_bus()), simulate(_bus(zero))
    same_thermal_history(none, flat)
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
