"""A design answer is a verdict: a run that misses a limit writes all its results, puts the verdict
first in summary.json and exits 3 with one line naming the limit, the part and the load case."""

import json

import pytest
import yaml

from thermal.solve import main

from builders import CASES

BUS = yaml.safe_load((CASES / "h100_bus.yaml").read_text())


def _run(tmp_path, capsys, load_cases="none", **changes):
    data = yaml.safe_load(yaml.safe_dump(BUS))
    data["solver"] = {"model": "network", "time_step": "20 s", "orbits": 3}
    if load_cases is not None:
        data["load_cases"] = load_cases
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = data
        for key in path:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    tmp_path.mkdir(parents=True, exist_ok=True)
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data))
    code = main([str(case), "--out", str(tmp_path / "out"), "--quiet"])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    return code, err, summary


def test_the_shipped_bus_passes_its_year(tmp_path, capsys):
    code, err, summary = _run(tmp_path, capsys, load_cases=None)
    assert code == 0 and err == []
    assert next(iter(summary)) == "verdict"
    assert list(summary["load_cases"]) == ["case", "worst_hot", "worst_cold"]
    # per load case: GPU junction, coolant freezing, battery temperature min and max, energy margin,
    # battery state of charge, unserved energy
    assert summary["verdict"]["status"] == "pass" and summary["verdict"]["limits_checked"] == 3 * 7
    cold = summary["load_cases"]["worst_cold"]
    assert cold["epoch"].startswith("2027-12") and cold["orbit"]["eclipse_fraction"] > 0.2
    # the top-level part temperatures are the envelope over the load cases
    for name, t in summary["thermal"]["parts"].items():
        assert t["T_min_K"] == min(lc["thermal"]["parts"][name]["T_min_K"] for lc in summary["load_cases"].values())
        assert t["T_max_K"] == max(lc["thermal"]["parts"][name]["T_max_K"] for lc in summary["load_cases"].values())


def test_the_old_bus_fails_its_worst_cold_epoch(tmp_path, capsys):
    # the March equinox alone passes with the 36 m^2 wing and 12 kWh battery; December does not
    old = {"spacecraft__solar_arrays__0__area": "36 m^2", "power__battery__capacity": "12 kWh"}
    assert _run(tmp_path / "march", capsys, **old)[0] == 0
    code, err, summary = _run(tmp_path / "year", capsys, load_cases=None, **old)
    assert code == 3 and "energy_margin missed by power system in load case 'worst_cold'" in err[0]
    assert summary["load_cases"]["case"]["verdict"]["status"] == "pass"
    assert summary["load_cases"]["worst_cold"]["verdict"]["status"] == "fail"


def test_a_radiator_too_small_exits_3_naming_the_gpu_junction(tmp_path, capsys):
    code, err, summary = _run(tmp_path, capsys, spacecraft__radiators__0__area="6 m^2")
    assert code == 3
    assert len(err) == 1 and err[0].startswith("fail: gpu_junction_max missed by gpu in load case 'case'")
    assert "enlarge the radiator" in err[0]
    (violation,) = summary["verdict"]["violations"]
    assert violation["limit"] == "gpu_junction_max" and violation["unit"] == "K"
    assert violation["value"] == pytest.approx(summary["thermal"]["gpu_junction_max_K"])
    assert violation["value"] - violation["limit_value"] > 50.0
    assert (tmp_path / "out" / "timeseries.csv").is_file() and (tmp_path / "out" / "report.html").is_file()


def test_compute_off_in_december_freezes_the_coolant_and_exits_3(tmp_path, capsys):
    code, err, summary = _run(tmp_path, capsys, orbit__epoch="2027-12-21", compute__utilisation=0.0,
                              compute__overhead="0 W", spacecraft__solar_arrays__0__area="36 m^2",
                              power__battery__capacity="12 kWh")
    assert code == 3
    # the idle battery on the unheated deck binds (it misses its 0 degC by a larger fraction than the
    # coolant its margin above freezing); the coolant is judged all the same
    assert err[0].startswith("fail: battery_temperature_min missed by battery in load case 'case'")
    violation = next(v for v in summary["verdict"]["violations"] if v["limit"] == "coolant_freezing")
    assert violation["part"] == "coolant (water-glycol) in radiator"
    assert violation["limit_value"] == pytest.approx(237.16 + 5.0)
    assert violation["value"] == pytest.approx(summary["thermal"]["parts"]["radiator"]["T_min_K"])


def test_the_eclipse_season_misses_the_energy_margin_and_exits_3(tmp_path, capsys):
    code, err, summary = _run(tmp_path, capsys, orbit__epoch="2027-12-21", spacecraft__solar_arrays__0__area="36 m^2",
                              power__battery__capacity="12 kWh")
    assert code == 3
    limits = {v["limit"] for v in summary["verdict"]["violations"]}
    assert "energy_margin" in limits
    margin = next(v for v in summary["verdict"]["violations"] if v["limit"] == "energy_margin")
    assert margin["value"] == pytest.approx(summary["power"]["energy_margin"]) and margin["value"] < 0


def test_a_painted_body_that_sees_only_space_freezes_the_idle_battery_and_exits_3(tmp_path, capsys):
    # white paint all over radiates the avionics' heat away; without the wing's infrared on the walls
    # (no radiation exchange), at the equinox (no eclipse, so no losses of its own) the battery sits
    # at its deck, far below 0 degC
    code, err, summary = _run(tmp_path, capsys, spacecraft__body__coating="white_paint",
                              solver__radiation_exchange=False)
    assert code == 3
    assert err[0].startswith("fail: battery_temperature_min missed by battery in load case 'case'")
    assert "mount the battery on a warmer panel" in err[0]
    violation = next(v for v in summary["verdict"]["violations"] if v["limit"] == "battery_temperature_min")
    assert violation["limit_value"] == pytest.approx(273.15)
    assert violation["value"] == pytest.approx(summary["thermal"]["parts"]["battery"]["T_min_K"])
    assert violation["value"] < 273.15 - 10.0
