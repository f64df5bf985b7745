"""The economics and sizing keys of issue 13 in a case file: read with their units, defaults from
the dataclasses, bad values refused with a one-line CaseError naming the key."""

import copy
from pathlib import Path

import pytest
import yaml

from thermal.case import load_case
from thermal.case.sizing import ECONOMICS_UNCERTAINTY, CostInputs, Propulsion, SpecificMasses
from thermal.core.errors import CaseError

ROOT = Path(__file__).resolve().parents[2]
MW = yaml.safe_load((ROOT / "cases" / "h100_1MW.yaml").read_text())


def load(**changes):
    data = copy.deepcopy(MW)
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = data
        for key in path:
            node = node.setdefault(key, {})
        node[last] = value
    return load_case(data, base_dir=ROOT / "cases")


def refused(key, **changes) -> str:
    with pytest.raises(CaseError) as err:
        load(**changes)
    assert err.value.key == key, str(err.value)
    assert "\n" not in str(err.value)
    return str(err.value)


def test_new_keys_are_read_with_their_units():
    case = load(economics__hardware={"array": "60 usd/W", "battery": "0.5 usd/Wh", "radiator": "2000 usd/m^2",
                                     "bus": "1.5e6 usd"},
                economics__gpu_failure_rate=0.05, economics__spares=0.1, economics__payload="headline",
                sizing__propulsion={"isp": "300 s", "drag_coefficient": 2.4, "density_factor": 3,
                                    "disposal_perigee": "80 km", "tankage": 0.15},
                sizing__battery_cycles=5500, sizing__specific_masses__bus="2 t",
                sizing__specific_masses__shielding="12 kg", compute__redundancy=0.5)
    c = case.economics.cost
    assert (c.array_usd_per_W, c.battery_usd_per_kWh, c.radiator_usd_per_m2, c.bus_usd_per_module) == \
        pytest.approx((60.0, 500.0, 2000.0, 1.5e6))
    assert (c.gpu_failure_rate_per_year, c.spares_fraction) == (0.05, 0.1)
    assert case.economics.launch.site_latitude_rad is None      # headline payload to any orbit
    assert case.sizing.propulsion == Propulsion(300.0, 2.4, 3.0, 80e3, 0.15)
    assert case.sizing.battery_cycles_per_year == 5500.0
    assert case.sizing.masses.bus_kg_per_module == 2000.0 and case.sizing.masses.shielding_kg_per_node == 12.0
    assert case.sizing.node.redundancy == 0.5
    assert load(sizing__propulsion="none").sizing.propulsion is None


def test_defaults():
    case = load()
    assert case.economics.cost.array_usd_per_W == CostInputs().array_usd_per_W
    assert case.sizing.propulsion == Propulsion()
    assert case.sizing.battery_cycles_per_year is None                 # counted from the orbit cases
    assert case.sizing.masses.bus_kg_per_module == SpecificMasses().bus_kg_per_module
    assert case.sizing.node.redundancy == 1.0
    assert case.economics.launch.site_latitude_rad is not None          # payload to the design orbit


@pytest.mark.parametrize("key,changes", [
    ("economics.hardware.array", {"economics__hardware": {"array": "-5 usd/W"}}),
    ("economics.hardware.array", {"economics__hardware": {"array": "5 kg"}}),
    ("economics.hardware.solar", {"economics__hardware": {"solar": "5 usd/W"}}),
    ("economics.gpu_failure_rate", {"economics__gpu_failure_rate": -0.1}),
    ("economics.spares", {"economics__spares": "lots"}),
    ("economics.payload", {"economics__payload": "leo"}),
    ("sizing.propulsion", {"sizing__propulsion": "ion"}),
    ("sizing.propulsion.isp", {"sizing__propulsion": {"isp": "0 s"}}),
    ("sizing.propulsion.drag_coefficient", {"sizing__propulsion": {"drag_coefficient": 0}}),
    ("sizing.battery_cycles", {"sizing__battery_cycles": "yearly"}),
    ("sizing.battery_cycles", {"sizing__battery_cycles": -1}),
    ("sizing.specific_masses.bus", {"sizing__specific_masses__bus": "-1 kg"}),
    ("compute.redundancy", {"compute__redundancy": 0}),
    ("compute.redundancy", {"compute__redundancy": 3}),
])
def test_bad_values_are_refused_naming_the_key(key, changes):
    refused(key, **changes)


def test_the_uncertainty_table_covers_every_economics_input_with_a_source():
    keys = {u.key for u in ECONOMICS_UNCERTAINTY}
    for key in ("economics.launch_price", "economics.hardware.array", "economics.hardware.battery",
                "economics.hardware.radiator", "economics.hardware.bus", "economics.spacecraft_cost",
                "economics.gpu_price", "economics.gpu_failure_rate", "economics.mission_years",
                "economics.terrestrial.construction", "economics.terrestrial.pue",
                "economics.terrestrial.electricity", "sizing.propulsion.density_factor", "sizing.propulsion.isp",
                "sizing.specific_masses.bus"):
        assert key in keys, key
    case = load()
    for u in ECONOMICS_UNCERTAINTY:
        assert u.source and u.distribution in ("uniform", "lognormal", "triangular")
        assert u.low <= u.default <= u.high, u.key
        # the default is what the loaded case holds (the 1 MW case gives the defaults or leaves them out)
        value = case
        for part in u.attribute.split("."):
            value = getattr(value, part)
        assert value == pytest.approx(u.default), u.key
        # and a value written with the unit is read back as that number
        *path, last = u.key.split(".")
        changed = load(**{"__".join([*path, last]): f"{u.high} {u.unit}".strip() if u.unit else u.high})
        value = changed
        for part in u.attribute.split("."):
            value = getattr(value, part)
        assert value == pytest.approx(u.high), u.key


def test_the_uncertainty_table_is_documented():
    text = (ROOT / "docs" / "case_keys.md").read_text()
    for u in ECONOMICS_UNCERTAINTY:
        assert f"| `{u.key}` | {u.default:g} |" in text, u.key
