"""The study section: read, checked at its key paths, and applied to the case by its key paths."""

import copy
from pathlib import Path

import pytest

from thermal.case import load_case
from thermal.case.document import load_yaml
from thermal.case.study import Distribution, Levels, apply_values
from thermal.core.errors import CaseError

CASES = Path(__file__).parents[2] / "cases"


@pytest.fixture(scope="module")
def document():
    doc = load_yaml(CASES / "h100_1MW.yaml")
    doc.pop("study", None)
    return doc


def with_study(document, study):
    doc = copy.deepcopy(document)
    doc["study"] = study
    return doc


def test_the_shipped_1MW_study_reads(document):
    case = load_case(CASES / "h100_1MW.yaml")
    s = case.study
    assert s is not None and s.sampled and s.method == "latin_hypercube" and s.count == 10_000
    launch = next(v for v in s.variables if v.path == "economics.launch_price")
    assert isinstance(launch, Distribution) and launch.kind == "triangular"
    assert launch.params == (100.0, 250.0, 1000.0) and launch.unit == "usd/kg"
    assert "study" not in s.document and s.document["name"] == "h100_1MW"


def test_a_range_is_written_out_in_the_unit_of_from(document):
    case = load_case(with_study(document, {"vary": {"sizing.radiator_temperature": {"from": "10 degC", "to": "273.15 K",
                                                                                    "count": 3}}}), base_dir=CASES)
    (v,) = case.study.variables
    assert isinstance(v, Levels) and v.values == ("10 degC", "5 degC", "0 degC")
    assert case.study.method == "grid"


def test_a_range_of_whole_numbers_stays_whole(document):
    case = load_case(with_study(document, {"vary": {"compute.count": {"from": 4, "to": 8, "count": 3}}}),
                     base_dir=CASES)
    assert case.study.variables[0].values == (4, 6, 8)


def test_a_normal_sd_is_converted_as_a_difference(document):
    spec = {"distribution": "normal", "mean": "20 degC", "sd": "2 K"}
    case = load_case(with_study(document, {"vary": {"sizing.radiator_temperature": spec}}), base_dir=CASES)
    (v,) = case.study.variables
    assert v.params == pytest.approx((20.0, 2.0)) and v.unit == "degC"


def test_apply_values_sets_keys_by_path_and_leaves_the_document_alone(document):
    out = apply_values(document, {"economics.terrestrial.pue": 1.4, "sizing.refine": "none"})
    assert out["economics"]["terrestrial"]["pue"] == 1.4 and out["sizing"]["refine"] == "none"
    assert document["economics"]["terrestrial"]["pue"] == 1.3 and "refine" not in document["sizing"]
    with pytest.raises(CaseError, match=r"^study.vary.name.x: expected a mapping to hold the key 'x', got 'h100_1MW'"):
        apply_values(document, {"name.x": 1})
    # list items by index, as Case.with_values writes them (the one key-path editor)
    listed = apply_values({"a": {"b": [{"c": 1}, {"c": 2}]}}, {"a.b[1].c": 5})
    assert listed == {"a": {"b": [{"c": 1}, {"c": 5}]}}


@pytest.mark.parametrize("study, message", [
    ({"vary": {"economics.launch_pric": ["100 usd/kg"]}},
     r"^study.vary.economics.launch_pric: expected values the case accepts at economics.launch_pric, got '100 usd/kg' "
     r"\(the case reader: economics.launch_pric: expected a known key.*did you mean 'launch_price'"),
    ({"vary": {"economics.terrestrial.pue": [0.5]}},
     r"^study.vary.economics.terrestrial.pue: .*the case reader: economics.terrestrial.pue: expected a number >= 1"),
    ({"vary": {"economics.launch_price": {"distribution": "gaussian", "mean": "1 usd/kg", "sd": "1 usd/kg"}}},
     r"^study.vary.economics.launch_price.distribution: expected one of uniform, normal, lognormal, triangular"),
    ({"vary": {"economics.launch_price": {"distribution": "uniform", "low": "300 usd/kg", "high": "100 usd/kg"}}},
     r"^study.vary.economics.launch_price.high: expected a value above low"),
    ({"vary": {"economics.launch_price": {"distribution": "uniform", "low": "1 A", "high": "5 usd/kg"}}},
     r"^study.vary.economics.launch_price.low: expected values the case accepts at economics.launch_price, got '1 A'"),
    ({"vary": {"economics.launch_price": {"from": "1 usd/kg", "to": "5 A", "count": 3}}},
     r"^study.vary.economics.launch_price.to: expected a quantity convertible to usd/kg"),
    ({"vary": {"economics.launch_price": {"distribution": "normal", "mean": "250 usd/kg", "sd": "1 kg"}}},
     r"^study.vary.economics.launch_price.sd: expected a quantity convertible to usd/kg"),
    ({"vary": {"economics.launch_price": {"distribution": "lognormal", "median": "250 usd/kg", "sigma": "1 usd"}}},
     r"^study.vary.economics.launch_price.sigma: expected a bare number"),
    ({"vary": {"economics.launch_price": {"distribution": "triangular", "low": "1 usd/kg", "mode": "9 usd/kg",
                                          "high": "5 usd/kg"}}},
     r"^study.vary.economics.launch_price.mode: expected a value from low to high"),
    ({"vary": {"economics.launch_price": {"from": "1 usd/kg", "to": "5 usd/kg", "count": 1}}},
     r"^study.vary.economics.launch_price.count: expected an integer in \[2, 10000\]"),
    ({"vary": {"economics.launch_price": "100 usd/kg"}},
     r"^study.vary.economics.launch_price: expected a list of values, \{from, to, count\}"),
    ({"vary": {}}, r"^study.vary: expected at least one key to vary"),
    ({"vary": {"load_cases.x": [1]}}, r"^study.vary.load_cases.x: expected a key of the case's design or economics"),
    ({"vary": {"economics.launch_price": ["100 usd/kg"]}, "samples": {"method": "sobol", "count": 1000}},
     r"^study.samples.count: expected a power of two"),
    ({"vary": {"economics.launch_price": {"distribution": "uniform", "low": "1 usd/kg", "high": "2 usd/kg"}},
      "samples": {"method": "grid"}}, r"^study.samples.method: expected a sampling method"),
    ({"vary": {"economics.launch_price": ["100 usd/kg"]}, "engine": "dask"},
     r"^study.address: expected non-empty text|^study.address: expected text"),
    ({"vary": {"economics.launch_price": ["100 usd/kg"]}, "address": "tcp://x:1"},
     r"^study.address: expected no address for engine: local"),
    ({"vary": {"economics.launch_price": ["100 usd/kg"]}, "objectives": [3]},
     r"^study.objectives\[0\]: expected a result path"),
    ({"vary": {"economics.launch_price": ["100 usd/kg"]}, "constraints": {"sizing.mass_kg": {}}},
     r"^study.constraints.sizing.mass_kg.max: expected a bound"),
    ({"vary": {"economics.launch_price": ["100 usd/kg"]}, "constraints": {"sizing.mass_kg": {"min": 5, "max": 1}}},
     r"^study.constraints.sizing.mass_kg.min: expected at most max"),
    ({"vary": {"economics.launch_price": ["100 usd/kg"]}, "samplez": {}},
     r"^study.samplez: expected a known key.*did you mean 'samples'"),
    ({"vary": {"economics.launch_price": {"from": "100 usd/kg", "to": "200 usd/kg", "count": 400},
               "economics.gpu_price": {"from": "20000 usd", "to": "30000 usd", "count": 600}}},
     r"^study.vary: expected at most study.max_points = 200,000 points, got 240000"),
    ({"vary": {"sizing.radiator_temperature": {"from": "10 degC", "to": "40 degC"}},
      "optimise": {"variables": {"sizing.radiator_temperature": {"from": "10 degC", "to": "40 degC"}},
                   "method": "nsga2"}},
     r"^study.vary.sizing.radiator_temperature.count: expected an integer"),
    ({"vary": {"economics.launch_price": ["100 usd/kg"]},
      "optimise": {"variables": {"sizing.radiator_temperature": {"from": "10 degC", "to": "40 degC"}},
                   "method": "nsga2"}},
     r"^study.optimise.method: expected nsga2 for several objectives, a SciPy method for one"),
])
def test_a_bad_study_is_one_line_naming_its_key(document, study, message):
    with pytest.raises(CaseError, match=message) as err:
        load_case(with_study(document, study), base_dir=CASES)
    assert "\n" not in str(err.value)


def test_a_study_needs_a_sizing_for_a_compute_target():
    doc = load_yaml(CASES / "h100_bus.yaml")
    doc["study"] = {"vary": {"orbit.altitude": ["500 km", "600 km"]}}
    with pytest.raises(CaseError, match=r"^study: expected a case with a sizing block for a compute target"):
        load_case(doc, base_dir=CASES)
