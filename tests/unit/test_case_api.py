"""The case from Python: `load_case` reads a path, YAML text or a dict alike, and
`case.with_values` changes any key by its path, with its unit, checked exactly as a case file is
(the same one-line CaseError)."""

import dataclasses
import math

import pytest
import yaml

from thermal.case import load_case
from thermal.case.document import set_key_path, split_key_path
from thermal.core.errors import CaseError
from thermal.solve import main

from builders import CASES

BUS = CASES / "h100_bus.yaml"


def _same(a, b):
    """Two cases with the same values (they differ in where they came from: path and hash)."""
    keep = {"path": None, "sha256": "", "load_cases": ()}
    return dataclasses.replace(a, **keep) == dataclasses.replace(b, **keep) and \
        [(lc.name, dataclasses.replace(lc.case, **keep)) for lc in a.load_cases] == \
        [(lc.name, dataclasses.replace(lc.case, **keep)) for lc in b.load_cases]


def test_a_path_yaml_text_and_a_dict_give_the_same_case():
    text = BUS.read_text()
    from_path = load_case(BUS)
    from_text = load_case(text)
    from_dict = load_case(yaml.safe_load(text))
    assert _same(from_path, from_text) and _same(from_path, from_dict)
    assert from_path.path == BUS and from_text.path is None
    # the hash of a text is the hash of the file's bytes
    assert from_text.sha256 == from_path.sha256
    flow = load_case("{name: p, orbit: none, spacecraft: {kind: plate, size: [1 m, 1 m], thickness: 1 mm, "
                     "material: Al6061, facing: sun, coating: black_paint}}")
    assert flow.name == "p" and flow.orbit is None


def test_yaml_text_is_checked_like_a_file():
    with pytest.raises(CaseError, match=r"^orbit.altitude: expected a quantity"):
        load_case(BUS.read_text().replace("altitude: 550 km", "altitude: 550 kg"))
    with pytest.raises(CaseError, match="valid YAML"):
        load_case("name: x\nspacecraft: [\n")


def test_with_values_changes_a_key_by_its_path_with_units():
    case = load_case(BUS)
    bigger = case.with_values({"spacecraft.radiators[0].area": "30 m^2", "solver.model": "network",
                               "power.battery.capacity": "20 kWh"})
    assert math.prod(bigger.spacecraft.radiators[0].size_m) == pytest.approx(30.0, rel=1e-12)
    assert bigger.solver.model == "network"
    assert bigger.power.battery.capacity_Wh == pytest.approx(20e3, rel=1e-12)
    # the radiator keeps the file's aspect ratio, as the reader sizes it from an area
    width, height = case.spacecraft.radiators[0].size_m
    assert bigger.spacecraft.radiators[0].size_m[0] / bigger.spacecraft.radiators[0].size_m[1] == \
        pytest.approx(width / height, rel=1e-12)
    # the load cases are read again from the edited document: they carry the new radiator
    assert all(math.prod(lc.case.spacecraft.radiators[0].size_m) == pytest.approx(30.0) for lc in bigger.load_cases)
    # the original is untouched, and the new case is no longer the file
    assert math.prod(case.spacecraft.radiators[0].size_m) == pytest.approx(24.0)
    assert bigger.path is None and bigger.sha256 != case.sha256
    # a second edit starts from the first one's document
    assert bigger.with_values({"solver.time_step": "30 s"}).power.battery.capacity_Wh == pytest.approx(20e3)


def test_the_same_value_in_a_file_and_through_with_values_is_the_same_case(tmp_path):
    data = yaml.safe_load(BUS.read_text())
    data["spacecraft"]["radiators"][0]["area"] = "30 m^2"
    (tmp_path / "bus.yaml").write_text(yaml.safe_dump(data))
    edited = load_case(BUS).with_values({"spacecraft.radiators[0].area": "30 m^2"})
    assert _same(load_case(tmp_path / "bus.yaml"), edited)


@pytest.mark.parametrize("changes, line", [
    ({"spacecraft.radiators[0].area": "30 kg"},
     "spacecraft.radiators[0].area: expected a quantity in units of [length] ** 2"),
    ({"spacecraft.radiators[0].aera": "30 m^2"}, "spacecraft.radiators[0].aera: expected a known key"),
    ({"solver.model": "cfd"}, "solver.model: expected one of"),
    ({"spacecraft.radiators[3].area": "3 m^2"}, "spacecraft.radiators[3]: expected an item of the list"),
    ({"spacecraft.radiators.area": "3 m^2"}, "spacecraft.radiators: expected a mapping to hold the key 'area'"),
    ({"spacecraft..area": "3 m^2"}, "with_values: expected key paths such as"),
])
def test_a_bad_change_is_the_one_line_error_a_file_gives(changes, line):
    with pytest.raises(CaseError) as err:
        load_case(BUS).with_values(changes)
    assert str(err.value).startswith(line) and "\n" not in str(err.value)


def test_the_command_line_gives_the_same_line_for_the_same_value(tmp_path, capsys):
    data = yaml.safe_load(BUS.read_text())
    data["spacecraft"]["radiators"][0]["area"] = "30 kg"
    (tmp_path / "bus.yaml").write_text(yaml.safe_dump(data))
    assert main([str(tmp_path / "bus.yaml"), "--out", str(tmp_path / "out")]) == 2
    printed = capsys.readouterr().err.strip().splitlines()[-1]
    with pytest.raises(CaseError) as err:
        load_case(BUS).with_values({"spacecraft.radiators[0].area": "30 kg"})
    assert printed == f"error: {err.value}"


def test_none_removes_a_key_so_its_default_applies():
    case = load_case(BUS)
    assert case.with_values({"solver.model": "network"}).with_values({"solver.model": None}).solver.model == "fe"


def test_key_paths():
    assert split_key_path("spacecraft.radiators[0].area") == ["spacecraft", "radiators", 0, "area"]
    assert split_key_path("a[1][2].b") == ["a", 1, 2, "b"]
    document = {"spacecraft": {"radiators": [{"area": "24 m^2"}]}}
    set_key_path(document, "thermal.limits.deck.max", "350 K")       # mappings made on the way
    set_key_path(document, "spacecraft.radiators[0].area", "30 m^2")
    assert document == {"spacecraft": {"radiators": [{"area": "30 m^2"}]},
                        "thermal": {"limits": {"deck": {"max": "350 K"}}}}
    for bad in ("", ".a", "a.", "a..b", "a[x]", "[0]", "a[0]b", "a[-1]"):
        with pytest.raises(CaseError):
            split_key_path(bad)


def test_a_case_made_without_the_reader_says_so():
    case = dataclasses.replace(load_case(BUS), source=None)
    with pytest.raises(CaseError, match="a case read by thermal.case.load_case"):
        case.with_values({"solver.model": "network"})
