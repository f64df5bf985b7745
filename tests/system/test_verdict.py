"""A design answer is a verdict: a run that misses a limit writes all its results, puts the verdict
first in summary.json and exits 3 with one line naming the limit, the part and the load case."""

import json

import pytest
import yaml

from thermal.solve import main

from builders import CASES

BUS = yaml.safe_load((CASES / "h100_bus.yaml").read_text())


def _run(tmp_path, capsys, **changes):
    data = yaml.safe_load(yaml.safe_dump(BUS))
    data["solver"] = {"model": "network", "time_step": "20 s", "orbits": 3}
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = data
        for key in path:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data))
    code = main([str(case), "--out", str(tmp_path / "out"), "--quiet"])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    return code, err, summary


def test_the_shipped_bus_passes(tmp_path, capsys):
    code, err, summary = _run(tmp_path, capsys)
    assert code == 0 and err == []
    assert next(iter(summary)) == "verdict"
    assert summary["verdict"]["status"] == "pass" and summary["verdict"]["limits_checked"] >= 4


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
                              compute__overhead="0 W")
    assert code == 3
    assert "coolant_freezing missed by coolant (water-glycol) in radiator" in err[0]
    violation = next(v for v in summary["verdict"]["violations"] if v["limit"] == "coolant_freezing")
    assert violation["limit_value"] == pytest.approx(237.16 + 5.0)
    assert violation["value"] == pytest.approx(summary["thermal"]["parts"]["radiator"]["T_min_K"])


def test_the_eclipse_season_misses_the_energy_margin_and_exits_3(tmp_path, capsys):
    code, err, summary = _run(tmp_path, capsys, orbit__epoch="2027-12-21")
    assert code == 3
    limits = {v["limit"] for v in summary["verdict"]["violations"]}
    assert "energy_margin" in limits
    margin = next(v for v in summary["verdict"]["violations"] if v["limit"] == "energy_margin")
    assert margin["value"] == pytest.approx(summary["power"]["energy_margin"]) and margin["value"] < 0
