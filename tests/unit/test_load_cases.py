"""Load cases: overrides deep-merged into the case, epochs and lives, defaults by orbit."""

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from thermal.case import load_case
from thermal.case.load_cases import deep_merge
from thermal.core.errors import CaseError

ROOT = Path(__file__).resolve().parents[2]
BUS = yaml.safe_load((ROOT / "cases" / "h100_bus.yaml").read_text())


def with_load_cases(spec, **top):
    data = copy.deepcopy(BUS)
    data["load_cases"] = spec
    data.update(top)
    return load_case(data)


def test_deep_merge_replaces_leaves_and_merges_mappings():
    base = {"a": {"b": 1, "c": {"d": 2}}, "e": [1, 2]}
    assert deep_merge(base, {"a": {"c": {"d": 3}}, "e": [3]}) == {"a": {"b": 1, "c": {"d": 3}}, "e": [3]}
    assert base["a"]["c"]["d"] == 2


def test_a_sun_synchronous_orbit_gets_the_worst_hot_and_cold_epochs():
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    assert [(lc.name, lc.epoch_rule) for lc in case.load_cases] == [("worst_hot", "worst_hot"),
                                                                    ("worst_cold", "worst_cold")]


MW = yaml.safe_load((ROOT / "cases" / "h100_1MW.yaml").read_text())


def test_a_design_sized_at_end_of_life_is_checked_at_beginning_of_life_too():
    """The default load cases of a sizing case: the year's extremes at the sized (end of) life, and
    the worst cold epoch at beginning of life, where the fresh coatings leave the radiator coldest."""
    case = load_case(MW)
    assert [(lc.name, lc.epoch_rule) for lc in case.load_cases] == [
        ("worst_hot", "worst_hot"), ("worst_cold", "worst_cold"), ("worst_cold_bol", "worst_cold")]
    hot, cold, bol = (lc.case for lc in case.load_cases)
    assert case.thermal.end_of_life and hot.thermal.end_of_life and cold.power.end_of_life
    assert not bol.thermal.end_of_life and not bol.power.end_of_life
    # without seasons: the case's own epoch at beginning of life
    beta = copy.deepcopy(MW)
    beta["orbit"] = {"altitude": "550 km", "beta": "60 deg"}
    assert [(lc.name, lc.epoch_rule) for lc in load_case(beta).load_cases] == [("beginning_of_life", None)]
    # a design sized at beginning of life, or load_cases: none, has nothing added
    fresh = copy.deepcopy(MW)
    fresh["thermal"]["coatings_life"] = "beginning_of_life"
    fresh["power"]["life"] = "beginning_of_life"
    assert [lc.name for lc in load_case(fresh).load_cases] == ["worst_hot", "worst_cold"]
    assert load_case({**MW, "load_cases": "none"}).load_cases == ()


def test_a_fixed_beta_orbit_and_none_have_no_extra_load_cases():
    assert load_case(ROOT / "cases" / "radiator_zenith_400km.yaml").load_cases == ()
    assert with_load_cases("none").load_cases == ()


def test_the_classic_hot_and_cold_pair():
    case = with_load_cases({
        "hot": {"epoch": "worst_hot", "life": "end_of_life"},
        "cold": {"epoch": "2027-12-21", "life": "beginning_of_life", "compute": {"utilisation": 0.1},
                 "environment": {"earth_ir": "218 W/m^2", "albedo": 0.25}}})
    hot, cold = case.load_cases
    assert hot.epoch_rule == "worst_hot" and hot.case.thermal.end_of_life and hot.case.power.end_of_life
    assert cold.epoch_rule is None and cold.case.orbit.epoch.date() == dt.date(2027, 12, 21)
    assert not cold.case.thermal.end_of_life and not cold.case.power.end_of_life
    assert cold.case.compute.utilisation == 0.1 and cold.case.compute.gpu == case.compute.gpu
    assert cold.case.environment.earth_ir_W_m2 == 218.0 and cold.case.environment.albedo == 0.25
    assert cold.case.spacecraft == case.spacecraft and case.environment.earth_ir_W_m2 == 237.0


@pytest.mark.parametrize("spec,key", [
    ({"cold": {"compute": {"utilisation": 1.5}}}, "load_cases.cold.compute.utilisation"),
    ({"cold": {"spacecraft": {}}}, "load_cases.cold.spacecraft"),
    ({"cold": {"solver": {"model": "network"}}}, "load_cases.cold.solver"),
    ({"cold": {"epoch": "worst_coldest"}}, "load_cases.cold.orbit.epoch"),
    ({"cold": {"life": "middle_of_life"}}, "load_cases.cold.life"),
    ({"cold": "compute off"}, "load_cases.cold"),
    ({"case": {}}, "load_cases.case"),
    ({"a/b": {}}, "load_cases.a/b"),
    ([], "load_cases"),
    ("all", "load_cases"),
])
def test_a_bad_load_case_names_its_key(spec, key):
    with pytest.raises(CaseError) as err:
        with_load_cases(spec)
    assert err.value.key == key, str(err.value)


def test_an_epoch_in_deep_space_is_refused():
    data = yaml.safe_load((ROOT / "cases" / "plate_sun.yaml").read_text())
    data["load_cases"] = {"later": {"epoch": "2027-06-01"}}
    with pytest.raises(CaseError, match="load_cases.later.epoch"):
        load_case(data)
