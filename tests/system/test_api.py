"""The library's front door: `import thermal` and the command's start stay light, and its calls
give what the command writes: a typed summary, the time series as a DataFrame, the same files."""

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pandas
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


HEAVY = ("CoolProp", "dolfinx", "dolfinx_solver", "petsc4py", "gmsh", "pyvista", "vtk", "matplotlib", "pint",
         "scipy", "pandas", "meshio", "h5py", "tqdm")


def _imported_after(code: str) -> list[str]:
    """The heavy libraries in sys.modules after ``code`` runs in a fresh interpreter."""
    probe = f"{code}\nimport sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return eval(done.stdout.strip().splitlines()[-1])


def test_the_command_starts_without_the_heavy_libraries():
    """`python -m thermal.solve --help` and the start of every run: no back end is imported before the
    signal handlers are in place and the case is read (benchmarks/startup.py has the times)."""
    assert _imported_after("import thermal.solve, thermal.api") == []


def test_the_viewers_help_needs_no_library_at_all():
    """`python -m thermal.view --help` answers before the viewer's imports (under 0.3 s in
    benchmarks/startup.py): not even NumPy or the case reader."""
    code = "import sys, thermal.view; assert not {'numpy', 'thermal.case', 'thermal.outputs.viewer'} & set(sys.modules)"
    assert _imported_after(code) == []


def test_a_network_run_imports_no_finite_elements_meshing_or_3d_drawing(tmp_path):
    """A one-node network run through the command line: no DOLFINx, gmsh, PyVista, CoolProp (the plate
    has no coolant), and no SciPy for a steady state in deep space (Newton on the network's own
    Jacobian; no eclipse to find); its results hold no drawing of the parts (the viewer meshes one
    from the case)."""
    data = yaml.safe_load((CASES / "plate_sun.yaml").read_text())
    data["solver"]["model"] = "network"
    (tmp_path / "plate.yaml").write_text(yaml.safe_dump(data))
    code = (f"from thermal.solve import main\n"
            f"assert main([{str(tmp_path / 'plate.yaml')!r}, '--out', {str(tmp_path / 'out')!r}, '--quiet']) == 0")
    imported = _imported_after(code)
    assert not {"CoolProp", "dolfinx", "dolfinx_solver", "petsc4py", "gmsh", "pyvista", "vtk", "scipy"} & set(imported)
    assert not (tmp_path / "out" / "spacecraft.vtu").exists()
    # no MPI launcher in the environment: one process, MPI not initialised (0.1 s)
    assert _imported_after(f"import os\nfor name in list(os.environ):\n    if name.startswith(('PMI_', 'OMPI_', "
                           f"'PMIX_', 'SLURM_', 'MPI_LOCALNRANKS', 'I_MPI_', 'HYDRA_')): del os.environ[name]\n"
                           f"{code}\nimport sys; assert 'mpi4py' not in sys.modules") is not None


def test_a_second_run_reads_the_coolant_table_without_coolprop(tmp_path):
    """Start-up: CoolProp takes 2.7 s of CPU to import; once a coolant's table is in the cache
    folder, a run reads the same properties, bit for bit, without it."""
    code = ("import sys; from thermal.transport.coolant import coolant_properties; "
            "p = coolant_properties('water-glycol', 301.234); print('CoolProp' in sys.modules, repr(p.viscosity_Pa_s))")
    env = dict(os.environ, ORBITAL_THERMAL_CACHE=str(tmp_path))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
            for _ in range(2)]
    (first, mu_first), (second, mu_second) = (r.stdout.split() for r in runs)
    assert (first, second) == ("True", "False") and mu_first == mu_second


def test_a_case_read_a_second_time_imports_no_pint(tmp_path):
    """Start-up (benchmarks/startup.py): pint and its registry cost about 0.35 s; once a case's
    units are known, reading it again does without them."""
    code = ("import sys; from thermal.case import load_case; load_case('cases/h100_bus.yaml'); "
            "print('pint' in sys.modules)")
    env = dict(os.environ, ORBITAL_THERMAL_CACHE=str(tmp_path))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                           cwd=CASES.parent) for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"]


@pytest.mark.parametrize("command", ["thermal.solve", "thermal.view", "geometry"])
def test_every_command_prints_the_distribution_name_and_version(command):
    done = subprocess.run([sys.executable, "-m", command, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"orbital-datacenter {thermal.__version__}" == f"{thermal.TOOL_NAME} 0.1.0"


def test_every_public_name_resolves_and_says_what_it_is():
    for name in thermal.__all__:
        value = getattr(thermal, name)
        assert value is not None
        if callable(value):
            assert (value.__doc__ or "").strip(), name
    with pytest.raises(AttributeError):
        thermal.no_such_name  # noqa: B018


def test_the_calls_give_the_commands_results(tmp_path):
    data = yaml.safe_load((CASES / "plate_sun.yaml").read_text())
    data["solver"]["model"] = "network"
    case_file = tmp_path / "plate_sun.yaml"
    case_file.write_text(yaml.safe_dump(data))
    result = thermal.simulate(thermal.load_case(case_file))
    assert isinstance(result, thermal.Result) and result.passed and result.fields is None
    summary = result.summary.to_dict()
    out = result.save(tmp_path / "res")
    written = json.loads((out / "summary.json").read_text())
    assert written["thermal"]["parts"] == json.loads(json.dumps(summary["thermal"]["parts"]))
    # the plate in the sun: alpha S = (eps_f + eps_b) sigma T^4, 0.9 on both sides
    T = (0.9 * SOLAR_W_M2 / (1.8 * SIGMA_W_M2K4)) ** 0.25
    assert summary["thermal"]["parts"]["plate"]["T_max_K"] == pytest.approx(T, rel=1e-6)
    # and the command's answer is the same
    assert main([str(case_file), "--out", str(tmp_path / "cmd"), "--quiet"]) == 0
    command = json.loads((tmp_path / "cmd" / "summary.json").read_text())
    assert command["thermal"]["parts"] == written["thermal"]["parts"]


def test_the_timeseries_is_the_csv_as_a_dataframe(tmp_path):
    case = thermal.load_case(CASES / "radiator_zenith_400km.yaml")
    result = thermal.simulate(case.with_values({"solver.orbits": 1, "solver.time_step": "60 s"}))
    frame = result.timeseries
    csv = pandas.read_csv(result.save(tmp_path / "res") / "timeseries.csv")
    assert list(frame.columns) == list(csv.columns)
    assert np.allclose(frame.to_numpy(), csv.to_numpy(), rtol=5e-6, atol=0.0)    # the CSV has 6 digits
    # the frame is the run's own history: the panel's temperature over the reported orbit [K]
    assert np.array_equal(frame["radiator_T_mean_K"], result.run.thermal.part_T_mean_K["radiator"])
    assert frame["time_s"].iloc[-1] == pytest.approx(result.summary.orbit.period_s, rel=1e-9)


def test_save_results_keeps_a_users_files(tmp_path):
    case = thermal.load_case(CASES / "plate_cooling_dark.yaml")
    case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
    run = thermal.simulate(case).run
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(OutputPathError):
        thermal.save_results(run, mine)
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    out = thermal.save_results(run, tmp_path / "res")
    assert thermal.save_results(run, out) == out          # its own results: replaced whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "res"]   # no staging left
