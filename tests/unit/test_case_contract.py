"""The case contract where a value is legal but its meaning must be the user's: run length,
ranges with their reasons, relations between keys, the resource guard and warnings."""

import copy
import math
from pathlib import Path

import pytest
import yaml

from thermal.case import load_case
from thermal.case.resources import NODES_PER_M2_TIMES_H2, estimated_steps, estimated_unknowns
from thermal.core.checks import DEFAULT_MAX_STEPS, DEFAULT_MAX_UNKNOWNS, PLAUSIBLE
from thermal.core.errors import CaseError

ROOT = Path(__file__).resolve().parents[2]
BUS = yaml.safe_load((ROOT / "cases" / "h100_bus.yaml").read_text())
DARK = yaml.safe_load((ROOT / "cases" / "plate_cooling_dark.yaml").read_text())
PLATE = yaml.safe_load((ROOT / "cases" / "plate_sun.yaml").read_text())


def load(base, **changes):
    """``base`` with dotted keys changed (None deletes), loaded from a mapping."""
    data = copy.deepcopy(base)
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = data
        for key in path:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return load_case(data, base_dir=ROOT / "cases")


def refused(base, key, **changes) -> str:
    with pytest.raises(CaseError) as err:
        load(base, **changes)
    assert err.value.key == key, str(err.value)
    assert "\n" not in str(err.value)
    return str(err.value)


# --- run length -------------------------------------------------------------------------------

def test_a_duration_in_deep_space_is_a_transient():
    case = load(DARK, solver={"duration": "600 s", "time_step": "2 s"})
    assert not case.solver.steady and case.solver.duration_s == 600.0


def test_deep_space_without_a_run_length_is_steady():
    assert load(DARK, solver={}).solver.steady


def test_steady_with_a_duration_is_a_contradiction():
    message = refused(DARK, "solver.steady", solver={"steady": True, "duration": "600 s"})
    assert "remove duration or steady" in message


def test_orbits_in_deep_space_ask_for_the_duration():
    assert "give the duration" in refused(DARK, "solver.duration", solver={"orbits": 3})


def test_duration_and_orbits_together_are_refused():
    refused(BUS, "solver.duration", solver__duration="3 h", solver__orbits=3)


def test_orbits_above_max_orbits_are_refused():
    assert "raise solver.max_orbits" in refused(BUS, "solver.orbits", solver__orbits=50, solver__max_orbits=40)


def test_a_time_step_must_resolve_the_orbit():
    # 550 km: the period is 5,739 s, a tenth of it 574 s
    refused(BUS, "solver.time_step", solver__time_step="10 min")
    assert load(BUS, solver__time_step="9 min").solver.time_step_s == 540.0


def test_zero_solar_constant_is_the_dark():
    assert load(DARK, environment={"solar_constant": "0 W/m^2"}).environment.solar_constant_W_m2 == 0.0
    refused(DARK, "environment.solar_constant", environment={"solar_constant": "-1 W/m^2"})


@pytest.mark.parametrize("value", [0, False, "no", "off", 1, [], "deep space"])
def test_orbit_is_a_mapping_or_none(value):
    refused(BUS, "orbit", orbit=value)


# --- plausible ranges: refused with the range and the reason; unusual values warned -------------

@pytest.mark.parametrize("key,value,kind", [
    ("orbit__altitude", "50 km", "altitude"),
    ("orbit__altitude", "0.001 m", "altitude"),
    ("orbit__altitude", "40000 km", "altitude"),
    ("solver__mesh_size", "1 um", "mesh_size"),
    ("solver__time_step", "1 ms", "time_step"),
    ("solver__orbits", 1_000_000_000, "orbits"),
    ("thermal__initial_temperature", "1e9 K", "temperature"),
    ("compute__junction_limit", "0.001 K", "junction_limit"),
    ("compute__count", 10**12, "gpu_count"),
])
def test_absurd_values_are_refused_with_range_and_reason(key, value, kind):
    message = refused(BUS, key.replace("__", "."), **{key: value})
    assert PLAUSIBLE[kind].reason in message


def test_a_duration_of_a_billion_years_is_refused():
    assert PLAUSIBLE["duration"].reason in refused(DARK, "solver.duration", solver={"duration": "1e9 yr"})


def test_epoch_outside_the_ephemeris_is_refused():
    assert "1900 to 2100" in refused(BUS, "orbit.epoch", orbit__epoch="0001-01-01")
    assert load(BUS, orbit__epoch="2027-12-21").orbit.epoch.year == 2027


def test_unusual_values_load_with_a_warning():
    case = load(BUS, environment={"solar_constant": "1000 W/m^2"})
    assert len(case.warnings) == 1 and "environment.solar_constant" in case.warnings[0]
    assert load(BUS).warnings == ()


def test_every_plausible_range_states_its_reason():
    for kind, p in PLAUSIBLE.items():
        assert p.lo <= p.hi and p.reason, kind
        assert (p.usual_lo is None and p.usual_hi is None) or p.usual_reason, kind


# --- relations between keys --------------------------------------------------------------------

def test_a_limit_with_min_above_max_is_refused():
    refused(BUS, "thermal.limits.radiator", thermal__limits={"radiator": {"min": "60 degC", "max": "0 degC"}})


def test_a_wall_as_thick_as_the_body_is_refused():
    refused(BUS, "spacecraft.body.wall", spacecraft__body__wall="0.5 m")


def test_a_null_value_is_refused_not_defaulted():
    data = copy.deepcopy(BUS)
    data["solver"]["time_step"] = None      # `time_step:` with nothing after it
    with pytest.raises(CaseError, match="empty \\(null\\); remove the key to take its default") as err:
        load_case(data)
    assert err.value.key == "solver.time_step"

# --- the resource guard -------------------------------------------------------------------------

def test_a_mesh_too_fine_is_refused_with_its_estimate_and_the_key_to_raise():
    message = refused(PLATE, "solver.mesh_size", solver__mesh_size="1 mm")
    assert "solver.max_unknowns" in message and "unknowns" in message
    # 1 m^2 plate at 1 mm: 2 / (sqrt 3 h^2) = 1.15 million nodes
    case = load(PLATE, solver__mesh_size="1 mm", solver__max_unknowns=2_000_000)
    assert estimated_unknowns(case) == pytest.approx(NODES_PER_M2_TIMES_H2 * 1.0 / 1e-6, rel=1e-6)
    assert estimated_unknowns(case) > DEFAULT_MAX_UNKNOWNS


def test_too_many_steps_are_refused_with_the_key_to_raise():
    message = refused(BUS, "solver.time_step", solver__time_step="20 ms")
    assert "solver.max_steps" in message
    case = load(BUS, solver__time_step="20 ms", solver__max_steps=20_000_000)
    period = 2 * math.pi * math.sqrt((6378.137e3 + 550e3) ** 3 / 398600.4418e9)
    assert estimated_steps(case) == case.solver.max_orbits * math.ceil(period / 0.02)
    assert estimated_steps(case) > DEFAULT_MAX_STEPS


@pytest.mark.parametrize("name", ["x" * 101, "../../etc", "a/b", "..", "tab\there", "line\nbreak"])
def test_a_name_that_cannot_name_a_folder_is_refused(name):
    refused(BUS, "name", name=name)


def test_a_name_with_formula_characters_loads():
    assert load(BUS, name="$x^$ run #1 (ü)").name == "$x^$ run #1 (ü)"


def test_a_power_system_in_deep_space_is_an_input_error():
    data = copy.deepcopy(BUS)
    data["orbit"] = "none"
    data["attitude"] = "sun"
    with pytest.raises(CaseError) as err:
        load_case(data)
    assert err.value.key == "power" and "eclipse cycle" in str(err.value)


@pytest.mark.parametrize("value", ["30 %", "0.3", "0.5 dimensionless"])
def test_an_angle_needs_an_angle_unit(value):
    data = copy.deepcopy(BUS)
    data["orbit"] = {"altitude": "550 km", "beta": value}
    with pytest.raises(CaseError) as err:
        load_case(data)
    assert err.value.key == "orbit.beta"


@pytest.mark.parametrize("value,rad", [("30 deg", math.pi / 6), ("0.5 rad", 0.5), ("1800 arcmin", math.pi / 6)])
def test_angles_in_angle_units_load(value, rad):
    data = copy.deepcopy(BUS)
    data["orbit"] = {"altitude": "550 km", "beta": value}
    assert load_case(data).orbit.beta_rad == pytest.approx(rad, rel=1e-12)


# --- the battery and the avionics: boxes inside a bus with a power section ----------------------

def test_a_bus_with_a_power_section_has_a_battery_and_an_avionics_box():
    units = {u.name: u for u in load(BUS).spacecraft.units}
    battery, avionics = units["battery"], units["avionics"]
    # 16 kWh of VES180: 160 Wh/kg cells in a pack of factor 0.75 -> 120 Wh/kg (power/cells.py)
    assert battery.mass_kg == pytest.approx(16000.0 / 120.0)
    assert battery.mount == "deck" and battery.conductance_W_K == 40.0 and battery.specific_heat_J_kgK == 1000.0
    assert avionics.mount == "deck" and avionics.mass_kg == 30.0
    bare = {u.name: u for u in load(BUS, spacecraft__battery=None, spacecraft__avionics=None).spacecraft.units}
    assert bare["battery"].conductance_W_K is None and bare["avionics"].conductance_W_K is None  # per kg
    # a limit may name them
    assert load(BUS, thermal__limits={"avionics": {"max": "60 degC"}}).thermal.limits_K["avionics"][1] == \
        pytest.approx(333.15)


def test_avionics_on_the_loop_have_no_box():
    case = load(BUS, spacecraft__avionics="loop")
    assert [u.name for u in case.spacecraft.units] == ["battery"]
    message = refused(BUS, "spacecraft.avionics", spacecraft__avionics="loop",
                      thermal__transport={"kind": "conduction"})
    assert "pumped loop" in message


def test_boxes_need_a_power_section():
    assert load(BUS, power=None, spacecraft__battery=None, spacecraft__avionics=None).spacecraft.units == ()
    case = load(BUS, power=None)          # the shipped keys, read and checked, but no boxes: a warning each
    assert case.spacecraft.units == ()
    assert [w.split(":")[0] for w in case.warnings] == ["spacecraft.battery", "spacecraft.avionics"]
    assert "not used" in case.warnings[0]
    refused(BUS, "spacecraft.battery.mount", power=None, spacecraft__battery__mount="wall_+w")


@pytest.mark.parametrize("key, value, text", [
    ("spacecraft__battery__mount", "wall_+w", "one of"),
    ("spacecraft__battery__conductance", "40 W", "spacecraft.battery.conductance"),
    ("spacecraft__avionics", "lop", "did you mean 'loop'"),
    ("spacecraft__avionics__mas", "30 kg", "did you mean 'mass'"),
])
def test_bad_box_keys_are_refused(key, value, text):
    with pytest.raises(CaseError) as err:
        load(BUS, **{key: value})
    assert text in str(err.value) and "\n" not in str(err.value)


def test_a_radiator_may_not_take_the_battery_s_name():
    data = copy.deepcopy(BUS)
    data["spacecraft"]["radiators"][0]["name"] = "battery"
    with pytest.raises(CaseError, match="a part name other than 'battery'"):
        load_case(data)


def test_a_sizing_case_warns_that_the_boxes_are_not_used():
    # its check runs each module without them (thermal/sizing/check.py)
    mw = yaml.safe_load((ROOT / "cases" / "h100_1MW.yaml").read_text())
    (warning,) = load(mw, spacecraft__battery={"mount": "deck"}).warnings
    assert warning.startswith("spacecraft.battery: not used: the sizing's check")
