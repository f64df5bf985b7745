"""`python -m thermal.solve` end to end with the lumped network model, checked against closed forms,
conservation and the results contract."""

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from thermal.case import load_case
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA
from thermal.simulation import simulate
from thermal.solve import main

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"


def strict_json(text: str):
    """JSON as any parser reads it: ``NaN`` and ``Infinity`` (Python's extensions) refused."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def run(case_path, out):
    """The command's run of a case; its summary.json read as strict JSON (a steady finite-element
    run has no orbit-to-orbit change: null, not NaN)."""
    code = main([str(case_path), "--out", str(out), "--quiet"])
    assert code == 0
    return strict_json((out / "summary.json").read_text())


def write_case(tmp_path, data, name="case.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_plate_sun_matches_analytic_equilibrium(tmp_path):
    """alpha S = (eps_f + eps_b) sigma T^4 for a thin plate facing the sun (within 0.1 %)."""
    summary = run(CASES / "plate_sun.yaml", tmp_path / "out")
    T_exact = (0.9 * 1361.0 / ((0.9 + 0.9) * SIGMA)) ** 0.25
    T = summary["thermal"]["parts"]["plate"]["T_mean_K"]
    assert T == pytest.approx(T_exact, rel=1e-3)
    assert summary["thermal"]["energy_balance_error"] < 1e-6
    assert summary["geometry"]["parts"]["plate"]["area_m2"] == pytest.approx(1.0)
    assert summary["geometry"]["parts"]["plate"]["mass_kg"] == pytest.approx(2.7)  # 1 m^2 x 1 mm x 2700 kg/m^3
    assert summary["run"]["solver"]["orbit_to_orbit_change_K"] is None   # steady: no orbits (was NaN)


def test_plate_unequal_coatings_and_tilt(tmp_path):
    """A plate tilted 60 deg from the sun with different front/back coatings:
    alpha_f S cos(60) = (eps_f + eps_b) sigma T^4."""
    data = yaml.safe_load((CASES / "plate_sun.yaml").read_text())
    data["spacecraft"]["facing"] = [math.sin(math.radians(60)), 0.0, math.cos(math.radians(60))]
    data["spacecraft"]["coating"] = {"front": "black_paint", "back": "white_paint"}
    summary = run(write_case(tmp_path, data), tmp_path / "out")
    T_exact = (0.95 * 1361.0 * 0.5 / ((0.87 + 0.90) * SIGMA)) ** 0.25
    assert summary["thermal"]["parts"]["plate"]["T_mean_K"] == pytest.approx(T_exact, rel=1e-3)


def test_plate_cooling_in_the_dark_follows_closed_form(tmp_path):
    """t = m c / (3 eps sigma A) (1/T^3 - 1/T0^3), both sides radiating (within 0.5 %). No heat
    goes in, and the energy balance is still measured (against what the plate emits), not 0."""
    summary = run(CASES / "plate_cooling_dark.yaml", tmp_path / "out")
    assert 0.0 < summary["thermal"]["energy_balance_error"] < 1e-6
    with open(tmp_path / "out" / "timeseries.csv") as handle:
        rows = list(csv.DictReader(handle))
    t = np.array([float(r["time_s"]) for r in rows])
    T = np.array([float(r["plate_T_mean_K"]) for r in rows])
    m_c = 2.7 * 896.0
    T_closed = (1 / 400.0 ** 3 + 3 * (0.85 * 2) * SIGMA * t / m_c) ** (-1 / 3)
    assert np.max(np.abs(T / T_closed - 1)) < 5e-3
    assert T[-1] < 120.0


def test_h100_bus_periodic_energy_balance_and_contract(tmp_path):
    out = tmp_path / "out"
    summary = run(CASES / "h100_bus.yaml", out)
    th = summary["thermal"]
    assert th["energy_balance_error"] < 1e-6
    for key in ("period_s", "beta_deg", "eclipse_fraction", "eclipse_duration_s"):
        assert key in summary["orbit"]
    for key in ("version", "case_sha256", "dofs", "steps", "wall_time_s"):
        assert key in summary["run"]
    for key in ("array_power_orbit_avg_W", "load_orbit_avg_W", "battery_soc_min", "energy_margin"):
        assert key in summary["power"]
    # dawn-dusk SSO at 550 km at the equinox: beta beyond beta* = asin(R/(R+h)) = 67.0 deg, no eclipse
    assert abs(summary["orbit"]["beta_deg"]) > 67.0
    assert summary["orbit"]["eclipse_fraction"] == 0.0
    # the radiator rejects the compute heat: 8 x 700 W + 3.5 kW (+ pump) with the Earth on its back side.
    # Hand balance of a two-sided OSR panel at the radiator temperature must agree with the emitted power
    T_rad = th["parts"]["radiator"]["T_mean_K"]
    assert 250.0 < T_rad < 320.0
    assert th["gpu_junction_max_K"] < 360.15  # below the 87 degC limit with this radiator
    assert th["gpu_junction_max_K"] > th["parts"]["radiator"]["T_max_K"]
    assert summary["power"]["energy_margin"] > 0.0
    # the array temperature used for efficiency comes from the thermal model: the wing's mean, below
    # its hottest node by the gradient the body's IR puts across it (resolved patch by patch: 2.7 K)
    wing = summary["load_cases"]["case"]["thermal"]["parts"]["wing"]     # the case's own epoch, not the envelope
    assert wing["T_max_K"] - 5.0 < summary["power"]["array_temperature_max_K"] <= wing["T_max_K"] + 1e-9
    # files of the contract
    with open(out / "timeseries.csv") as handle:
        header = next(csv.reader(handle))
    assert header[0] == "time_s"
    for column in ("radiator_T_min_K", "radiator_T_max_K", "radiator_T_mean_K", "array_power_W", "load_W",
                   "battery_soc"):
        assert column in header
    assert (out / "temperatures.png").stat().st_size > 10_000
    assert (out / "power.png").stat().st_size > 10_000


def test_radiator_orbit_average_balance(tmp_path):
    """At periodic steady state, heat emitted over the orbit equals heat absorbed plus dissipated."""
    out = tmp_path / "out"
    summary = run(CASES / "radiator_zenith_400km.yaml", out)
    assert summary["thermal"]["energy_balance_error"] < 1e-6
    with open(out / "timeseries.csv") as handle:
        rows = list(csv.DictReader(handle))
    col = {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    heat_in = np.trapezoid(col["absorbed_W"] + col["generated_W"], col["time_s"])
    heat_out = np.trapezoid(col["emitted_W"], col["time_s"])
    assert heat_out == pytest.approx(heat_in, rel=5e-3)  # trapezoid sampling of the csv at 20 s
    # 400 km, beta 0: eclipse fraction from the closed form (cylindrical) within the penumbra
    h, R = 400e3, 6378.137e3
    f_cyl = math.acos(math.sqrt(h * h + 2 * R * h) / (R + h)) / math.pi
    assert summary["orbit"]["eclipse_fraction"] == pytest.approx(f_cyl, abs=0.005)


def test_library_override_changes_the_answer(tmp_path):
    data = yaml.safe_load((CASES / "plate_sun.yaml").read_text())
    data["spacecraft"]["coating"] = "my_paint"
    data["coatings"] = {"my_paint": {"absorptivity": 0.3, "emissivity": 0.6}}
    data["materials"] = {"Al6061": {"density": "2000 kg/m^3"}}
    summary = run(write_case(tmp_path, data), tmp_path / "out")
    T_exact = (0.3 * 1361.0 / (1.2 * SIGMA)) ** 0.25
    assert summary["thermal"]["parts"]["plate"]["T_mean_K"] == pytest.approx(T_exact, rel=1e-3)
    assert summary["geometry"]["parts"]["plate"]["mass_kg"] == pytest.approx(2.0)
    case = load_case(write_case(tmp_path, data))
    assert "overridden in the case" in case.spacecraft.material.source


def test_throttling_schedule_holds_the_floor_instead_of_failing(tmp_path):
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    data["orbit"] = {"altitude": "550 km", "beta": "0 deg"}
    data["spacecraft"]["solar_arrays"][0]["area"] = "50 m^2"
    data["compute"]["schedule"] = "soc_floor"
    data["power"]["battery"]["capacity"] = "12 kWh"
    data["solver"]["model"] = "network"   # a power question: the fast model answers it
    code = main([str(write_case(tmp_path, data)), "--out", str(tmp_path / "out"), "--quiet"])
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    floor = 1.0 - 0.35
    assert summary["power"]["battery_soc_min"] >= floor - 1e-6
    assert summary["power"]["throttled_Wh"] > 0.0
    # the power system holds; the throttled GPUs leave the 24 m^2 radiator cold enough in the
    # 36-minute eclipse to freeze the coolant, and the white-painted body lets the battery fall below
    # its 0 degC: the verdict says both
    assert code == 3
    assert sorted(v["limit"] for v in summary["verdict"]["violations"]) == ["battery_temperature_min",
                                                                            "coolant_freezing"]


def test_simulate_is_usable_from_scripts():
    run = simulate(load_case(CASES / "radiator_zenith_400km.yaml"))
    assert run.thermal.time_s[-1] == pytest.approx(run.geometry.period_s)


def test_embedded_heat_pipes_flatten_the_radiator_along_the_coolant_path(tmp_path):
    """FE: the coolant enters the radiator at the hinge and cools along its length, so the panel
    is hottest at the hinge; heat pipes along the length (an orthotropic panel) spread that
    gradient out, the more the higher their conductance, while the energy balance holds."""
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    del data["power"]
    data["solver"] = {"model": "fe", "steady": True, "mesh_size": "20 cm"}
    data["load_cases"] = "none"      # one state: the gradient along the coolant path

    def spread(conductivity):
        if conductivity:
            data["spacecraft"]["radiators"][0]["embedded_heat_pipes"] = {"conductivity": conductivity,
                                                                         "along": "length"}
        name = conductivity.split()[0] if conductivity else "plain"
        summary = run(write_case(tmp_path, data, f"{name}.yaml"), tmp_path / name)
        assert summary["thermal"]["energy_balance_error"] < 1e-6
        r = summary["thermal"]["parts"]["radiator"]
        return r["T_max_K"] - r["T_min_K"]

    # a 1.5 mm panel with grooved aluminium-ammonia pipes at 15 cm pitch: smeared over the panel,
    # their axial conductance is equivalent to ~1e5 W/m/K (Gilmore 2002, ch. 14)
    plain, some, strong = spread(None), spread("10000 W/m/K"), spread("100000 W/m/K")
    assert plain > 5.0                      # a real gradient to flatten (13.6 K coolant drop)
    assert plain > some > strong
    assert strong < 0.7 * plain


def test_heat_pipe_capillary_limit(tmp_path, capsys):
    """Heat pipes carry Q L_eff up to their transport capacity (pipe count x W m): within it the run
    reports the utilisation; past it the run exits 3 and says how many pipes it needs."""
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    del data["power"]
    data["solver"] = {"model": "network", "steady": True}
    data["load_cases"] = "none"
    data["thermal"]["transport"] = {"kind": "heat_pipe", "conductance": "1000 W/K", "max_transport": "100000 W*m"}
    summary = run(write_case(tmp_path, data, "ok.yaml"), tmp_path / "ok")
    # 9.1 kW over L_eff = 0.6 m + (0.5 m + sqrt(24) m)/2 = 3.30 m: 30 kW m of 100 kW m
    L_eff = 0.6 + (0.5 + math.sqrt(24.0)) / 2
    assert summary["thermal"]["heat_pipe_utilisation"] == pytest.approx(9100.0 * L_eff / 1e5, rel=1e-6)
    data["thermal"]["transport"]["max_transport"] = "10000 W*m"
    code = main([str(write_case(tmp_path, data, "over.yaml")), "--out", str(tmp_path / "over"), "--quiet"])
    assert code == 3
    err = capsys.readouterr().err
    assert "capillary limit" in err and "add at least 3 pipe(s)" in err   # 30 kW m over 10 kW m pipes
    assert not (tmp_path / "over").exists()


def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path):
    """The command in its own process: a quantity without a unit is one line on stderr and exit 2."""
    import subprocess
    import sys
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    data["orbit"]["altitude"] = 550
    path = write_case(tmp_path, data, "bad.yaml")
    proc = subprocess.run([sys.executable, "-m", "thermal.solve", str(path), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "orbit.altitude" in proc.stderr and "needs a unit" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_power_section_without_compute_runs_and_reports_an_unbounded_margin(tmp_path, capsys):
    """Nothing to carry: the energy margin is unbounded (null in summary.json), met in the report
    and said in the printed table; the power system's own balance stays a small number. Nothing
    heats the body either, so the idle battery on the deck is below its 0 degC: the one limit missed."""
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    del data["compute"]
    data["solver"] = {"model": "network", "time_step": "60 s", "orbits": 2}
    out = tmp_path / "out"
    assert main([str(write_case(tmp_path, data)), "--out", str(out)]) == 3
    summary = json.loads((out / "summary.json").read_text())
    power = summary["power"]
    assert power["load_orbit_avg_W"] == 0.0 and power["array_power_orbit_avg_W"] > 1000.0
    assert power["energy_margin"] is None
    assert 0.0 <= power["energy_balance_error"] < 1e-9
    assert summary["thermal"]["gpu_junction_max_K"] is None
    assert {v["limit"] for v in summary["verdict"]["violations"]} == {"battery_temperature_min"}
    page = (out / "report.html").read_text()
    margin_row = page[page.index("orbit energy margin"):].split("</tr>")[0]
    assert "unbounded (no load)" in margin_row and '<span class="met">met</span>' in margin_row
    battery_row = page[page.index('battery (min / max)'):].split("</tr>")[0]
    assert "MISSED" in battery_row
    printed = capsys.readouterr().out
    assert "margin unbounded (no load)" in printed and "limit battery: MISSED" in printed


def test_names_with_mathtext_characters_are_shown_as_written(tmp_path):
    """A name like '$x^$' is matplotlib mathtext that does not parse: the plots show it as written."""
    data = yaml.safe_load((CASES / "plate_cooling_dark.yaml").read_text())
    data["name"] = "plate $x^$ 50% \\alpha"
    data["spacecraft"]["name"] = "_spare $y^$"
    data["solver"] = {"model": "network", "steady": False, "duration": "20 min", "time_step": "60 s"}
    data["thermal"]["limits"] = {"_spare $y^$": {"max": "500 K"}}
    summary = run(write_case(tmp_path, data), tmp_path / "out")
    assert summary["case"] == "plate $x^$ 50% \\alpha"
    assert "_spare $y^$" in summary["thermal"]["parts"]
    for plot in ("temperatures.png", "energy.png"):
        assert (tmp_path / "out" / plot).stat().st_size > 10_000, plot
    # a network run's results hold no drawing of the parts (gmsh and a 3D render: seconds of start-up)
    assert not (tmp_path / "out" / "spacecraft.vtu").exists() and not (tmp_path / "out" / "snapshot.png").exists()
    assert "plate $x^$ 50% \\alpha: thermal report" in (tmp_path / "out" / "report.html").read_text()


def test_a_run_that_reaches_max_orbits_says_which_limit_bound_and_what_to_raise(tmp_path, capsys):
    data = yaml.safe_load((CASES / "radiator_zenith_400km.yaml").read_text())
    data["solver"] = {"model": "network", "time_step": "60 s", "orbits": 1, "max_orbits": 2,
                      "periodic_tolerance": "0.0001 K"}
    code = main([str(write_case(tmp_path, data)), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("infeasible: no periodic steady state: solver.max_orbits (2) was reached while the "
                          "orbit-to-orbit temperature change was still ")
    assert "above solver.periodic_tolerance (0.0001 K); raise solver.max_orbits (the change falls by" in err
    assert "nothing was written to" in err and not (tmp_path / "out").exists()


def test_a_battery_that_runs_empty_says_so_and_what_to_change(tmp_path, capsys):
    """Enough array over the orbit, too little battery for the eclipse: the battery is held at its
    floor and the load it cannot carry is a violation (with the keys to change)."""
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    data["orbit"] = {"altitude": "550 km", "beta": "0 deg"}
    data["spacecraft"]["solar_arrays"][0]["area"] = "60 m^2"
    data["power"]["battery"]["capacity"] = "1 kWh"
    data["solver"]["model"] = "network"
    data["load_cases"] = "none"
    code = main([str(write_case(tmp_path, data)), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fail: ")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["power"]["battery_soc_min"] == pytest.approx(0.65)       # held at the floor ...
    unserved = next(v for v in summary["verdict"]["violations"] if v["limit"] == "unserved_energy")
    assert unserved["value"] == pytest.approx(summary["power"]["unserved_Wh"]) and unserved["value"] > 100.0
    assert unserved["part"] == "power system"                               # ... and the load is not served


def test_progress_into_a_pipe_is_stage_lines_that_tell_the_truth(tmp_path):
    """Into a pipe: one line per stage, no bar, no carriage return; a periodic run's orbit lines give
    the orbit-to-orbit change against the tolerance that ends it (not a share of max_orbits)."""
    import subprocess
    import sys
    data = yaml.safe_load((CASES / "radiator_zenith_400km.yaml").read_text())
    data["solver"] = {"model": "network", "time_step": "60 s", "max_orbits": 6, "periodic_tolerance": "0.01 K"}
    (tmp_path / "radiator.yaml").write_text(yaml.safe_dump(data))
    done = subprocess.run([sys.executable, "-m", "thermal.solve", str(tmp_path / "radiator.yaml"), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "\r" not in done.stderr and "%" not in done.stderr and "step/s" not in done.stderr
    assert lines[0].endswith("environment: absorbed fluxes over the orbit")
    orbit = next(line for line in lines if "network: orbit 1," in line)
    assert "orbit-to-orbit change" in orbit and orbit.endswith("against the tolerance 0.01 K")
    assert lines[-1].endswith(f"writing results into {tmp_path / 'out'}")
