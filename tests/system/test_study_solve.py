"""The solve command runs a case's study: its files beside the case's results, its lines printed,
a bad study refused before any work with one line (exit 2)."""

import csv
import json
from pathlib import Path

import pytest
import yaml

from thermal.outputs.directory import RESULT_ENTRIES
from thermal.solve import main

from builders import one_line, solve

ROOT = Path(__file__).resolve().parents[2]


def small_case(tmp_path, **study) -> Path:
    """The 1 MW case, analytic sizing, checked by the network at its own epoch alone, with a small
    study of its launch price and hardware cost."""
    doc = yaml.safe_load((ROOT / "cases" / "h100_1MW.yaml").read_text())
    doc["sizing"].update({"refine": "none", "check": "network"})
    doc["load_cases"] = "none"
    doc["study"] = {"vary": {"economics.launch_price": {"distribution": "triangular", "low": "100 usd/kg",
                                                        "mode": "250 usd/kg", "high": "1000 usd/kg"},
                             "economics.spacecraft_cost": {"distribution": "lognormal", "median": "1000 usd/kg",
                                                           "sigma": 0.5}},
                    "samples": {"count": 200, "seed": 4}, "sensitivity": "sobol", "sensitivity_samples": 64, **study}
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def test_solve_runs_the_study_and_prints_its_answer(tmp_path, capsys):
    out = tmp_path / "out"
    code = main([str(small_case(tmp_path, check="pareto")), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    for name in ("summary.json", "study.csv", "pareto.csv", "study.json", "study_tornado.png", "study_cost.png",
                 "study_orbit_cheaper.png"):
        assert (out / name).is_file(), name
    # a folder the tool wrote, study and all: the next run may replace it
    assert {p.name for p in out.iterdir()} - {".owner"} <= RESULT_ENTRIES
    with open(out / "study.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 200 and {r["status"] for r in rows} == {"pass"}
    assert "economics.launch_price" in rows[0] and "sizing.orbital_usd_per_gpu_hour" in rows[0]
    assert rows[0]["economics.launch_price"].endswith(" usd/kg")
    figures = json.loads((out / "study.json").read_text())
    cheaper = figures["orbit_cheaper"]["probability"]
    stats = figures["statistics"]["sizing.orbital_usd_per_gpu_hour"]
    # the study's own points, read back from study.csv
    costs = sorted(float(r["sizing.orbital_usd_per_gpu_hour"]) for r in rows)
    assert stats["min"] == costs[0] and stats["max"] == costs[-1]
    assert f"P(orbit cheaper than ground) = {cheaper:.3f}" in printed
    assert f"median {stats['median']:.2f} USD/h, 90 % interval {stats['p5']:.2f}-{stats['p95']:.2f} USD/h" in printed
    # the two inputs printed in the order of their total Sobol indices in study.json
    leading = sorted(figures["sobol"], key=lambda p: -figures["sobol"][p]["ST"])
    assert sorted(leading) == ["economics.launch_price", "economics.spacecraft_cost"]
    assert f"inputs that matter most (total Sobol index): {', '.join(leading)}" in printed
    # the ground cost does not move with these two inputs: the cost ratio's indices are the cost's
    # (Sobol indices are invariant under scaling of the output)
    for path, indices in figures["sobol"].items():
        for key, value in indices.items():
            assert figures["sobol_orbit_to_ground"][path][key] == pytest.approx(value, rel=1e-9, abs=1e-12)
    assert f"what decides orbit against ground (total Sobol index of the cost ratio): {leading[0]}" in printed
    # one point on the front of a single objective: the cheapest
    pareto = list(csv.DictReader(open(out / "pareto.csv")))
    assert len(pareto) == 1 and float(pareto[0]["sizing.orbital_usd_per_gpu_hour"]) == costs[0]
    # its thermal check, a task of its own: the verdict of the sized module in the network model
    assert pareto[0]["check"] == "pass" and pareto[0]["check_binding"].startswith("design passes:")
    assert f"check of Pareto point {pareto[0]['point']}: pass" in printed


def test_the_study_prices_the_solves_own_design_instead_of_sizing_the_case_again(tmp_path, monkeypatch):
    """Prices do not change the design: a study of economics inputs alone shares the one sizing the
    solve command made (its base point costs what summary.json says, to the last digit), and no
    sizing runs a second time (with the network refinement, the 1 MW case's takes minutes)."""
    import thermal.study.run as study_run

    def no_second_sizing(*args, **kwargs):
        raise AssertionError("the case was sized a second time")

    monkeypatch.setattr(study_run, "size_point", no_second_sizing)
    out = tmp_path / "out"
    assert main([str(small_case(tmp_path, sensitivity="none")), "--out", str(out), "--quiet"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    figures = json.loads((out / "study.json").read_text())
    assert figures["sizings"] == 1 and figures["base"]["status"] == "pass"
    assert figures["base"]["sizing.orbital_usd_per_gpu_hour"] == summary["sizing"]["orbital_usd_per_gpu_hour"]


def test_an_objective_the_results_do_not_have_is_one_line(tmp_path):
    code, err = solve(small_case(tmp_path, objectives=["sizing.orbital_usd_per_gpu_hr"]), tmp_path / "out")
    assert code == 2
    assert one_line(err).startswith("error: study.objectives[0]: expected a numeric result path of the sizing's "
                                    "summary")
    assert not (tmp_path / "out").exists()


def test_a_bad_study_key_stops_before_any_work(tmp_path):
    code, err = solve(small_case(tmp_path, samples={"count": 0}), tmp_path / "out")
    assert code == 2
    assert one_line(err).startswith("error: study.samples.count: expected an integer >= 1, got 0")
