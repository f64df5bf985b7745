"""GPU leakage, one module at a time: the law (thermal.core.library.Leakage), its keys
(``gpus.<name>.leakage``, read with units, bad values exit 2 naming the key) and the power model's
GPU power series (power.system.simulate_power ``gpu_full_power_W``), against hand values."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml

from power import BATTERY_CELLS, SOLAR_CELLS, BatteryConfig, LoadConfig, SolarArrayConfig, simulate_power
from thermal.case import load_case
from thermal.core.compute import Compute
from thermal.core.errors import CaseError
from thermal.core.library import GPUS, Leakage

ROOT = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((ROOT / "cases" / "h100_bus.yaml").read_text())


def test_the_law_is_linear_above_the_reference_and_flat_below():
    law = Leakage(per_kelvin=0.003, reference_K=333.15, source="test")
    factor = law.power_factor(np.array([300.0, 333.15, 343.15, 373.15]))
    np.testing.assert_allclose(factor, [1.0, 1.0, 1.03, 1.12], rtol=0, atol=1e-15)
    assert law.active and not Leakage(0.0, 333.15, "test").active
    with pytest.raises(ValueError, match="per_kelvin"):
        Leakage(-0.001, 333.15, "test")


def _with_leakage(law, gpu="H100-SXM"):
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["gpus"] = {gpu: {"leakage": law}}
    return data


def test_keys_are_read_with_units_and_without_a_source_the_law_is_an_estimate():
    case = load_case(_with_leakage({"per_kelvin": "0.3 %/K", "reference": "60 degC"}))
    law = case.compute.gpu.leakage
    assert law.per_kelvin == pytest.approx(0.003, rel=1e-12)
    assert law.reference_K == pytest.approx(333.15, rel=1e-12)
    assert "estimate" in law.source
    sourced = load_case(_with_leakage({"per_kelvin": "0.4 %/K", "reference": "50 degC", "source": "datasheet X"}))
    assert sourced.compute.gpu.leakage.source == "datasheet X"
    assert sourced.compute.gpu.tdp_W == 700.0                 # the rest of the library entry stays
    assert load_case(BASE).compute.gpu.leakage is None         # default: no law


@pytest.mark.parametrize(("law", "message"), [
    ({"reference": "60 degC"}, "gpus.H100-SXM.leakage.per_kelvin: expected a quantity with a unit"),
    ({"per_kelvin": 0.003, "reference": "60 degC"}, "gpus.H100-SXM.leakage.per_kelvin:"),
    ({"per_kelvin": "0.3 %/K", "reference": 60}, "gpus.H100-SXM.leakage.reference:"),
    ({"per_kelvin": "0.3 %/K"}, "gpus.H100-SXM.leakage.reference:"),
    ({"per_kelvin": "-0.3 %/K", "reference": "60 degC"}, "gpus.H100-SXM.leakage.per_kelvin: expected at least 0"),
    ({"per_kelvin": "10 %/K", "reference": "60 degC"}, "gpus.H100-SXM.leakage.per_kelvin: expected a value from"),
    ({"per_kelvin": "0.3 %/m", "reference": "60 degC"}, "wrong unit dimension"),
    ({"per_kelvin": "0.3 %/K", "reference": "300 degC"}, "gpus.H100-SXM.leakage.reference:"),
    ({"per_kelvin": "0.3 %/K", "reference": "60 degC", "slope": "1 %/K"}, "gpus.H100-SXM.leakage.slope:"),
    ("0.3 %/K", "gpus.H100-SXM.leakage: expected a mapping"),
])
def test_bad_leakage_keys_name_the_key(law, message):
    with pytest.raises(CaseError) as err:
        load_case(_with_leakage(law))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_a_steep_law_loads_with_a_warning():
    case = load_case(_with_leakage({"per_kelvin": "2 %/K", "reference": "60 degC"}))
    assert any("gpus.H100-SXM.leakage.per_kelvin" in line for line in case.warnings)


def _power(gpu_full_power_W, schedule="continuous", **extra):
    n, period = 60, 5700.0
    t = np.arange(n) * period / n
    in_ecl = t >= period - 2100.0
    S = np.where(in_ecl, 0.0, 1361.0)
    arrays = SolarArrayConfig(cell=SOLAR_CELLS["XTJ"], area_m2=60.0, pointing="sun_pointing")
    battery = BatteryConfig(cell=BATTERY_CELLS["VES180"], capacity_Wh=20000.0, max_depth_of_discharge=0.35)
    gpu = dataclasses.replace(GPUS["H100-SXM"], tdp_W=700.0)
    loads = LoadConfig(Compute(gpu=gpu, count=8, utilisation=0.8, overhead_W=1000.0, schedule=schedule, **extra),
                       bus_load_W=200.0)
    return in_ecl, simulate_power(t, S, None, 301.15, arrays, battery, loads, in_ecl,
                                  gpu_full_power_W=gpu_full_power_W)


def test_the_power_model_demands_the_gpu_power_series_it_is_given():
    in_ecl, tdp = _power(None)
    series = 700.0 * (1.0 + 0.05 * np.linspace(0.0, 1.0, in_ecl.size))
    _, leaky = _power(series)
    np.testing.assert_allclose(tdp.compute_demand_W, 8 * 700.0 * 0.8 + 1000.0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(leaky.compute_demand_W, 8 * series * 0.8 + 1000.0, rtol=1e-15)
    np.testing.assert_allclose(leaky.load_demand_W - tdp.load_demand_W, 8 * (series - 700.0) * 0.8, rtol=1e-12)
    # the TDP given as a series is the same run as the TDP
    _, same = _power(np.full(in_ecl.size, 700.0))
    assert np.array_equal(same.compute_W, tdp.compute_W) and np.array_equal(same.battery_soc, tdp.battery_soc)


def test_throttling_scales_with_the_gpu_power_series():
    in_ecl, _ = _power(None)
    series = np.full(in_ecl.size, 770.0)
    _, leaky = _power(series, schedule="soc_floor", soc_floor=0.99, min_utilisation=0.5)
    # the compute never drops below count * P(T_j) * min_utilisation + overhead
    assert np.min(leaky.compute_W) >= 8 * 770.0 * 0.5 + 1000.0 - 1e-9
    assert 0.0 < np.max(leaky.throttled_W) <= 8 * 770.0 * (0.8 - 0.5) + 1e-9
    assert np.isclose(np.min(leaky.compute_W), 8 * 770.0 * 0.5 + 1000.0)       # throttled to the minimum
    with pytest.raises(ValueError, match="gpu_full_power_W"):
        _power(np.full(in_ecl.size, -1.0))
