"""The library's front door: `import thermal` stays light, and its four calls give what the command
writes."""

import dataclasses
import json
import subprocess
import sys

import pytest
import yaml

import thermal
from thermal.outputs.directory import OutputPathError
from thermal.solve import main

from builders import CASES, SIGMA_W_M2K4, SOLAR_W_M2


def test_import_thermal_loads_no_heavy_library():
    """The command installs its signal handlers before the heavy imports: `import thermal` must not
    pull in units, meshing or finite elements."""
    code = ("import sys, thermal; heavy = {'pint', 'gmsh', 'dolfinx', 'petsc4py', 'scipy', 'matplotlib', "
            "'pyvista'} & set(sys.modules); print(sorted(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_public_name_resolves():
    for name in thermal.__all__:
        assert getattr(thermal, name) is not None
    with pytest.raises(AttributeError):
        thermal.no_such_name  # noqa: B018


def test_the_four_calls_give_the_commands_results(tmp_path):
    data = yaml.safe_load((CASES / "plate_sun.yaml").read_text())
    data["solver"]["model"] = "network"
    case_file = tmp_path / "plate_sun.yaml"
    case_file.write_text(yaml.safe_dump(data))
    run = thermal.simulate(thermal.load_case(case_file))
    summary = thermal.summarize(run).to_dict()
    out = thermal.save_results(run, tmp_path / "res")
    written = json.loads((out / "summary.json").read_text())
    assert written["thermal"]["parts"] == json.loads(json.dumps(summary["thermal"]["parts"]))
    # the plate in the sun: alpha S = (eps_f + eps_b) sigma T^4, 0.9 on both sides
    T = (0.9 * SOLAR_W_M2 / (1.8 * SIGMA_W_M2K4)) ** 0.25
    assert summary["thermal"]["parts"]["plate"]["T_max_K"] == pytest.approx(T, rel=1e-6)
    # and the command's answer is the same
    assert main([str(case_file), "--out", str(tmp_path / "cmd"), "--quiet"]) == 0
    command = json.loads((tmp_path / "cmd" / "summary.json").read_text())
    assert command["thermal"]["parts"] == written["thermal"]["parts"]


def test_save_results_keeps_a_users_files(tmp_path):
    case = thermal.load_case(CASES / "plate_cooling_dark.yaml")
    case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
    run = thermal.simulate(case)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(OutputPathError):
        thermal.save_results(run, mine)
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    out = thermal.save_results(run, tmp_path / "res")
    assert thermal.save_results(run, out) == out          # its own results: replaced whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "res"]   # no staging left
