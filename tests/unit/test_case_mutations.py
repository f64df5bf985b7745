"""The case reader against mutated cases (issue 17): every input either means what the user meant or
is refused with one line naming the key.

A property test draws data-level mutants of every shipped case (fixed seed, in process,
``load_case(mapping)``: no files) from the operators of ``tests/mutations.py``: 150 of each here, at
least 1,000 of each in the system part of every run (tests/system/test_case_mutation_sweep.py); each
must load, or be refused with a ``CaseError`` whose key is a key path, whose message is one line, and
which names the mutated key, a key above it or a key inside it where the mutant says which. A
mutant that must be refused must be refused. Then one table row for every kind of input issue 17
lists as getting through (text-level ones through a file), and its contract gaps.
"""

import datetime
import math
import re

import pytest
import yaml

from thermal.case import Case, load_case
from thermal.core.errors import CaseError

from mutations import (
    CASES,
    REFUSE,
    Mutant,
    alias_bomb,
    complex_key,
    deep_nesting,
    duplicate_key,
    examine,
    examine_mutants,
    not_a_mapping,
    orbit_no,
    python_tag,
    replaced,
    shipped,
    stray_byte,
    utf16,
)

#: Mutants drawn from each shipped case in the fast part.
EXAMPLES = 150
NAMES = [case.name for case in shipped()]


@pytest.mark.parametrize("name", NAMES)
def test_mutated_cases_are_loaded_or_refused_with_one_line(name):
    """The fast part's draw: EXAMPLES mutants of each shipped case (tests/system/
    test_case_mutation_sweep.py draws SWEEP_EXAMPLES, issue 17's thousand, in the system part)."""
    examine_mutants(name, EXAMPLES)


# --- issue 17, one row each --------------------------------------------------------------------------

def data(name: str) -> dict:
    return next(c for c in shipped() if c.name == name).data


def case_file(name: str):
    return next(c for c in shipped() if c.name == name)


class Scripted:
    """A pick that answers with the given choices, in order."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def choice(self, options):
        answer = self.answers.pop(0)
        assert answer in options
        return answer

    def integer(self, lo, hi):
        return self.choice(range(lo, hi + 1))


def solver(name: str, **keys) -> dict:
    return dict(data(name).get("solver", {}), **keys)


BIG = 10 ** 400
# (id, shipped case, key path, value, the key the refusal names, or a key above or inside it)
REFUSED = [
    # a unit alone is not one of it
    ("unit_alone_thickness", "plate_sun", ("spacecraft", "thickness"), "mm", "spacecraft.thickness"),
    ("unit_alone_altitude", "h100_bus", ("orbit", "altitude"), "km", "orbit.altitude"),
    ("unit_alone_target", "h100_1GW", ("sizing", "target", "compute_power"), "GW", "sizing.target"),
    # digits split by a space are not multiplied
    ("split_altitude", "h100_bus", ("orbit", "altitude"), "5 50 km", "orbit.altitude"),
    ("split_solar_constant", "plate_sun", ("environment", "solar_constant"), "1 361 W/m^2",
     "environment.solar_constant"),
    # not finite, or overflowing
    ("inf_thickness", "plate_sun", ("spacecraft", "thickness"), "inf mm", "spacecraft.thickness"),
    ("overflow_thickness", "plate_sun", ("spacecraft", "thickness"), "1e400 mm", "spacecraft.thickness"),
    ("nan_temperature", "plate_sun", ("thermal", "initial_temperature"), "nan K", "thermal.initial_temperature"),
    ("huge_integer_orbits", "h100_bus", ("solver", "orbits"), BIG, "solver.orbits"),
    ("huge_integer_fraction", "plate_sun", ("spacecraft", "coating", "front", "emissivity"), BIG,
     "spacecraft.coating.front.emissivity"),
    # ... in the sizing block (a bare ValueError of a dataclass before)
    ("sizing_nan_margin", "h100_1MW", ("sizing", "junction_margin"), "nan K", "sizing.junction_margin"),
    ("sizing_inf_rise", "h100_1MW", ("sizing", "transport", "coolant_rise"), "inf K", "sizing.transport"),
    ("sizing_overflow_node", "h100_1MW", ("sizing", "specific_masses", "compute_node"), "1e400 kg",
     "sizing.specific_masses"),
    ("sizing_nan_fraction", "h100_1MW", ("sizing", "specific_masses", "structure_fraction"), math.nan,
     "sizing.specific_masses"),
    ("sizing_inf_soc", "h100_1MW", ("sizing", "min_state_of_charge"), math.inf, "sizing.min_state_of_charge"),
    ("economics_overflow", "h100_1MW", ("economics", "terrestrial", "electricity"), "1e400 usd/kWh",
     "economics.terrestrial"),
    # no arithmetic
    ("power_overflow", "plate_sun", ("spacecraft", "thickness"), "10**400 mm", "spacecraft.thickness"),
    ("product", "plate_sun", ("spacecraft", "size", 0), "2*3 m", "spacecraft.size"),
    ("exponent_tower", "plate_sun", ("spacecraft", "thickness"), "2**2**2**2**2 m", "spacecraft.thickness"),
    # absurd but accepted, and then run: refused, naming the value's section or a key in it
    ("altitude_50km", "h100_bus", ("orbit", "altitude"), "50 km", "orbit"),
    ("altitude_1mm", "radiator_zenith_400km", ("orbit", "altitude"), "0.001 m", "orbit"),
    ("mesh_size_1um", "plate_sun", ("solver", "mesh_size"), "1 um", "solver"),
    ("time_step_100d", "h100_bus", ("solver", "time_step"), "100 d", "solver"),
    ("orbits_billion", "h100_bus", ("solver", "orbits"), 1_000_000_000, "solver"),
    ("duration_1e9yr", "plate_cooling_dark", ("solver", "duration"), "1e9 yr", "solver"),
    ("initial_1e9K", "plate_sun", ("thermal", "initial_temperature"), "1e9 K", "thermal"),
    ("junction_limit_1mK", "h100_bus", ("compute", "junction_limit"), "0.001 K", "compute"),
    ("trillion_gpus", "h100_bus", ("compute", "count"), 1_000_000_000_000, "compute"),
    ("wall_as_thick_as_body", "h100_bus", ("spacecraft", "body", "wall"), "0.8 m", "spacecraft.body"),
    ("epoch_year_1", "h100_bus", ("orbit", "epoch"), datetime.date(1, 1, 1), "orbit"),
    ("structure_fraction_42", "h100_1MW", ("sizing", "specific_masses", "structure_fraction"), 42,
     "sizing.specific_masses"),
    ("time_step_1ms", "h100_bus", ("solver", "time_step"), "1 ms", "solver"),
    # key: null is a slip, not "take the default"
    ("null_time_step", "h100_bus", ("solver", "time_step"), None, "solver.time_step"),
    ("null_epoch", "h100_bus", ("orbit", "epoch"), None, "orbit.epoch"),
    ("null_initial_temperature", "plate_sun", ("thermal", "initial_temperature"), None,
     "thermal.initial_temperature"),
    ("null_section", "plate_sun", ("environment",), None, "environment"),
    # deep space is `orbit: none`
    ("orbit_zero", "plate_sun", ("orbit",), 0, "orbit"),
    ("orbit_false", "h100_bus", ("orbit",), False, "orbit"),
    ("orbit_no", "plate_sun", ("orbit",), "no", "orbit"),
    # contradictions
    ("limit_min_above_max", "plate_sun", ("thermal", "limits", "plate"), {"min": "350 K", "max": "300 K"},
     "thermal.limits.plate"),
    ("orbits_above_max_orbits", "h100_bus", ("solver",), solver("h100_bus", orbits=50, max_orbits=40), "solver"),
    ("steady_with_duration", "plate_sun", ("solver",), {"steady": True, "duration": "600 s"}, "solver"),
    # huge values: refused, with a short line
    ("name_10MB", "plate_sun", ("name",), "n" * 10_000_000, "name"),
    ("list_2M_items", "plate_sun", ("spacecraft", "size"), ["1 m"] * 2_000_000, "spacecraft.size"),
    ("vector_200k_items", "plate_cooling_dark", ("spacecraft", "facing"), [1] * 200_000, "spacecraft.facing"),
]


@pytest.mark.parametrize("name,path,value,key", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_issue_17_value_is_refused_with_one_line(name, path, value, key):
    mutant = Mutant(name, f"{name}: {path} = {str(value)[:40]}", REFUSE, key, data=replaced(data(name), path, value))
    examine(mutant, lambda: load_case(mutant.data, base_dir=CASES))


# text-level: through a file, as the command line reads it
TEXTS = [
    ("alias_bomb", "plate_sun", alias_bomb, ()),
    ("nested_20000_deep", "h100_bus", deep_nesting, ()),
    ("list_as_key", "plate_sun", complex_key, ("[a, b]",)),
    ("map_as_key", "h100_bus", complex_key, ("{a: 1}",)),
    ("stray_byte_in_comment", "h100_bus", stray_byte, (b"\xb0", 0)),
    ("stray_byte_after_name", "plate_sun", stray_byte, (b"\xff", 2)),
    ("duplicate_top_key", "plate_sun", duplicate_key, (1,)),
    ("duplicate_nested_key", "h100_bus", duplicate_key, (0,)),
    ("orbit_no_in_yaml", "radiator_zenith_400km", orbit_no, (b"no",)),
    ("orbit_off_in_yaml", "h100_bus", orbit_no, (b"off",)),
    ("python_tag", "plate_sun", python_tag, ()),
    ("nul_byte", "plate_sun", not_a_mapping,
     (("a NUL byte", case_file("plate_sun").text.replace(b"\n", b"\n\x00", 1)),)),
    ("two_documents", "plate_sun", not_a_mapping,
     (("two documents", case_file("plate_sun").text + b"\n---\nname: x\n"),)),
]


@pytest.mark.parametrize("name,operator,answers", [r[1:] for r in TEXTS], ids=[r[0] for r in TEXTS])
def test_issue_17_file_is_refused_with_one_line(name, operator, answers, tmp_path):
    mutant = operator(case_file(name), Scripted(*answers))
    assert mutant.expect == REFUSE
    path = tmp_path / "case.yaml"
    path.write_bytes(mutant.as_bytes())
    examine(mutant, lambda: load_case(path))


def test_truncated_file_is_loaded_or_refused_with_one_line(tmp_path):
    text = case_file("h100_1GW").text
    path = tmp_path / "case.yaml"
    for at in range(0, len(text), len(text) // 29):
        path.write_bytes(text[:at])
        examine(Mutant("h100_1GW", f"cut at {at}", "either"), lambda: load_case(path))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_file_with_a_byte_order_mark_reads_as_its_utf8_original(codec, tmp_path):
    shipped_case = case_file("h100_bus")
    mutant = utf16(shipped_case, Scripted(codec))
    path = tmp_path / "case.yaml"
    path.write_bytes(mutant.as_bytes())
    loaded, original = load_case(path), load_case(shipped_case.path)
    assert comparable(loaded, path) == comparable(original, shipped_case.path)


def comparable(case: Case, path) -> str:
    """A case's repr without its file's name and digest (nested cases carry them too)."""
    return re.sub(r"sha256='[0-9a-f]*'", "sha256=''", repr(case).replace(str(path), "<case file>"))


# --- contract gaps: run as the user meant ------------------------------------------------------------

def test_duration_in_deep_space_means_a_transient():
    case = load_case(replaced(data("plate_sun"), ("solver",), {"duration": "600 s", "time_step": "2 s"}),
                     base_dir=CASES)
    assert not case.solver.steady
    assert case.solver.duration_s == pytest.approx(600.0)


def test_zero_solar_constant_is_a_body_in_the_dark():
    case = load_case(replaced(data("plate_cooling_dark"), ("environment", "solar_constant"), "0 W/m^2"),
                     base_dir=CASES)
    assert case.environment.solar_constant_W_m2 == 0.0


def test_heat_rejection_target_sizes_a_plain_plate_radiator():
    sizing = {"target": {"heat_rejection": "120 kW"}, "radiator_temperature": "300 K"}
    case = load_case(replaced(data("radiator_zenith_400km"), ("sizing",), sizing), base_dir=CASES)
    assert case.sizing is not None
    target = getattr(case.sizing, "heat_rejection_W", None)         # a sizing of its own kind
    if target is None:                                              # or the full sizing's target
        target = case.sizing.target.get("heat_rejection_W")
    assert target == pytest.approx(120e3)


def test_time_step_of_an_orbit_or_more_is_refused_or_said():
    from thermal.case.reader import collecting_warnings
    mutated = replaced(data("radiator_zenith_400km"), ("solver", "time_step"), "2 h")
    with collecting_warnings() as lines:
        try:
            load_case(mutated, base_dir=CASES)
        except CaseError as err:
            assert err.key.startswith("solver"), str(err)
            return
    assert any("time_step" in line for line in lines), f"a 2 h step in a 92 min orbit, silently: {lines}"


def test_shipped_cases_load_from_their_mappings():
    """The property test's premise: every shipped case loads as the mapping its file holds."""
    for case in shipped():
        assert load_case(yaml.safe_load(case.text), base_dir=CASES).name == case.data["name"]
