"""Bad input: every malformed case exits 2 with one line naming the key, what was expected and what
was given, never a traceback (table-driven, in the style of OpenMC's input checks)."""

from pathlib import Path

import pytest
import yaml

from thermal.solve import main

ROOT = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((ROOT / "cases" / "h100_bus.yaml").read_text())
PLATE = yaml.safe_load((ROOT / "cases" / "plate_sun.yaml").read_text())


def edit(base, path, value, delete=False):
    """A deep copy of `base` with the value at the dotted `path` replaced (or deleted)."""
    data = yaml.safe_load(yaml.safe_dump(base))
    keys = path.split(".")
    node = data
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    last = int(keys[-1]) if isinstance(node, list) else keys[-1]
    if delete:
        del node[last]
    else:
        node[last] = value
    return yaml.safe_dump(data)


RADIATOR = "spacecraft.radiators.0"
NO_SSO = yaml.safe_load(edit(BASE, "orbit.sun_synchronous", None, delete=True))
# (id, YAML text, text the one-line message must contain)
CASES = [
    ("missing_name", edit(BASE, "name", None, delete=True), "name:"),
    ("missing_spacecraft", edit(BASE, "spacecraft", None, delete=True), "spacecraft:"),
    ("missing_altitude", edit(BASE, "orbit.altitude", None, delete=True), "orbit.altitude:"),
    ("missing_body", edit(BASE, "spacecraft.body", None, delete=True), "spacecraft.body:"),
    ("missing_gpu_count", edit(BASE, "compute.count", None, delete=True), "compute.count:"),
    ("unknown_top_key", edit(BASE, "soler", {"model": "network"}), "did you mean 'solver'"),
    ("unknown_orbit_key", edit(BASE, "orbit.altitud", "550 km"), "orbit.altitud:"),
    ("unknown_radiator_key", edit(BASE, f"{RADIATOR}.thickenss", "2 mm"), "did you mean 'thickness'"),
    ("unknown_solver_key", edit(BASE, "solver.time_stp", "20 s"), "did you mean 'time_step'"),
    ("wrong_dimension_altitude", edit(BASE, "orbit.altitude", "550 kg"), "wrong unit dimension"),
    ("wrong_dimension_area", edit(BASE, f"{RADIATOR}.area", "24 m"), f"{RADIATOR.replace('.0', '[0]')}.area:"),
    ("wrong_dimension_flow", edit(BASE, "thermal.transport.flow_rate", "0.2 kg"), "thermal.transport.flow_rate:"),
    ("wrong_dimension_time_step", edit(BASE, "solver.time_step", "20 m"), "solver.time_step:"),
    ("bare_number_altitude", edit(BASE, "orbit.altitude", 550), "needs a unit"),
    ("bare_number_overhead", edit(BASE, "compute.overhead", 3500), "compute.overhead:"),
    ("bare_number_in_text", edit(BASE, "spacecraft.body.wall", "3"), "needs a unit"),
    ("negative_altitude", edit(BASE, "orbit.altitude", "-550 km"), "a positive value"),
    ("zero_thickness", edit(BASE, f"{RADIATOR}.thickness", "0 mm"), "a positive value"),
    ("negative_body_size", edit(BASE, "spacecraft.body.size", ["1.2 m", "-1 m", "0.8 m"]), "spacecraft.body.size[1]"),
    ("zero_area", edit(BASE, f"{RADIATOR}.area", "0 m^2"), "a positive value"),
    ("emissivity_above_one", edit(PLATE, "spacecraft.coating.front.emissivity", 1.2),
     "emissivity: expected a number in [0, 1]"),
    ("absorptivity_negative", edit(PLATE, "spacecraft.coating.back.absorptivity", -0.1), "absorptivity"),
    ("utilisation_above_one", edit(BASE, "compute.utilisation", 1.5), "compute.utilisation"),
    ("unknown_material", edit(BASE, "spacecraft.body.material", "Al6016"), "did you mean 'Al6061'"),
    ("unknown_coating", edit(BASE, f"{RADIATOR}.coating", "white_pain"), "did you mean 'white_paint'"),
    ("unknown_temperature_unit", edit(BASE, "output", {"temperature_unit": "C"}),
     "output.temperature_unit: expected one of K, degC"),
    ("unknown_gpu", edit(BASE, "compute.gpu", "H100-SMX"), "did you mean 'H100-SXM'"),
    ("unknown_coolant", edit(BASE, "thermal.transport.coolant", "water-glycool"), "did you mean 'water-glycol'"),
    ("count_not_integer", edit(BASE, "compute.count", 7.5), "compute.count: expected an integer"),
    ("count_text", edit(BASE, "compute.count", "eight"), "compute.count"),
    ("two_sided_text", edit(BASE, f"{RADIATOR}.two_sided", "yes please"), "true or false"),
    ("size_not_list", edit(BASE, "spacecraft.body.size", "1.2 m"), "a list of 3 lengths"),
    ("orbit_two_ways", edit(BASE, "orbit.beta", "30 deg"), "exactly one of"),
    ("beta_out_of_range", edit(NO_SSO, "orbit.beta", "120 deg"), "orbit.beta"),
    ("ltan_bad", edit(BASE, "orbit.sun_synchronous.ltan", "25:99"), "orbit.sun_synchronous.ltan"),
    ("unknown_attitude", edit(BASE, "attitude", "nadirr"), "did you mean 'nadir'"),
    ("unknown_model", edit(BASE, "solver.model", "fem"), "solver.model"),
    ("unknown_facing", edit(BASE, f"{RADIATOR}.facing", "zenit"), "did you mean 'zenith'"),
    ("zero_facing_vector", edit(PLATE, "spacecraft.facing", [0, 0, 0]), "non-zero direction"),
    ("duplicate_part_names", edit(BASE, "spacecraft.solar_arrays.0.name", "radiator"), "duplicate part name"),
    ("part_named_like_wall", edit(BASE, f"{RADIATOR}.name", "deck"), "duplicate part name"),
    ("limit_unknown_part", edit(BASE, "thermal.limits", {"radiatr": {"max": "60 degC"}}), "thermal.limits.radiatr"),
    ("heater_unknown_part", edit(BASE, "thermal.heaters", {"radiatr": {"setpoint": "-20 degC", "power": "1 kW"}}),
     "thermal.heaters.radiatr"),
    ("heater_without_power", edit(BASE, "thermal.heaters", {"radiator": {"setpoint": "-20 degC"}}),
     "thermal.heaters.radiator.power:"),
    ("heater_power_in_kelvin", edit(BASE, "thermal.heaters", {"radiator": {"setpoint": "-20 degC", "power": "1 K"}}),
     "thermal.heaters.radiator.power:"),
    ("heater_zero_deadband", edit(BASE, "thermal.heaters", {"radiator": {"setpoint": "-20 degC", "power": "1 kW",
                                                                         "deadband": "0 K"}}),
     "thermal.heaters.radiator.deadband:"),
    ("bypass_unknown_key", edit(BASE, "thermal.transport.bypass", {"setpoint": "10 degC", "bandwidth": "3 K"}),
     "thermal.transport.bypass.bandwidth:"),
    ("bypass_fraction_zero", edit(BASE, "thermal.transport.bypass", {"setpoint": "10 degC", "min_fraction": 0}),
     "thermal.transport.bypass.min_fraction"),
    ("section_not_mapping", edit(BASE, "compute", "eight H100s"), "compute: expected a mapping"),
    ("empty_file", "", "an empty file"),
    ("not_yaml", "name: [unclosed\n  orbit: {", "valid YAML"),
    ("negative_wing_boom", edit(BASE, "spacecraft.solar_arrays.0.boom", "-2 m"),
     "spacecraft.solar_arrays[0].boom: expected at least 0 m"),
    ("boom_not_a_length", edit(BASE, "spacecraft.solar_arrays.0.boom", "2 kg"), "spacecraft.solar_arrays[0].boom:"),
    ("ir_absorptivity_above_one", edit(PLATE, "spacecraft.coating.front.ir_absorptivity", 1.5),
     "spacecraft.coating.front.ir_absorptivity: expected a number in [0, 1]"),
    ("not_a_mapping", "- just\n- a list\n", "a mapping of sections"),
    ("duplicate_key", "name: a\nname: b\norbit: none\n", "a second 'name'"),
]


@pytest.mark.parametrize("case_id,text,expected", CASES, ids=[c[0] for c in CASES])
def test_malformed_case_exits_2_with_one_line(case_id, text, expected, tmp_path, capsys):
    path = tmp_path / f"{case_id}.yaml"
    path.write_text(text)
    code = main([str(path), "--out", str(tmp_path / "out"), "--quiet"])
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert code == 2, captured.err
    assert len(lines) == 1, captured.err
    assert expected in lines[0], lines[0]
    assert "Traceback" not in captured.err
    assert not (tmp_path / "out").exists()


def test_table_is_large_enough():
    assert len(CASES) >= 30
