"""Shared builders of the tests: the repository's paths, the h100 bus as a spec and as a finite-element
run, independent hand constants, and `mpiexec` beside this Python.

The hand constants are written here from their sources, not imported from the tool, so that a test
comparing the tool with them is a real comparison.
"""

import dataclasses
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"
REFERENCES = ROOT / "tests" / "references"

# --- independent hand constants --------------------------------------------------------------
SIGMA_W_M2K4 = 5.670374419e-8      # Stefan-Boltzmann, CODATA 2018
SOLAR_W_M2 = 1361.0                # total solar irradiance at 1 au (Kopp & Lean 2011)
OLR_W_M2 = 237.0                   # Earth's outgoing long-wave radiation, global mean
R_EARTH_M = 6378.137e3             # WGS-84 equatorial radius
MU_EARTH_M3_S2 = 398600.4418e9     # Earth's gravitational parameter (IERS)


def view_factor_edge_on(h: float) -> float:
    """Howell's catalogue: a differential plate seen edge-on (tilt 90 deg) from a sphere, H = r / R."""
    return (math.asin(1.0 / h) - math.sqrt(h * h - 1.0) / (h * h)) / math.pi


# --- the h100 bus ----------------------------------------------------------------------------
H100_MESH_SIZE_M = 0.10
GPU_W = 700.0
OVERHEAD_W = 3500.0


def h100_bus():
    """The bus of cases/h100_bus.yaml as a spec (see tests/unit/test_geometry_layout.py)."""
    from geometry.spec import BodySpec, BusSpec, DeckSpec, RadiatorSpec, SolarArraySpec
    from thermal.core.library import COATINGS, MATERIALS
    al, cfrp = MATERIALS["Al6061"], MATERIALS["CFRP"]
    body = BodySpec((1.2, 1.0, 0.8), 0.003, al, COATINGS["white_paint"])
    deck = DeckSpec(0.004, al, 8, (0.12, 0.12))
    rad = RadiatorSpec("radiator", (6.0, 4.0), 0.0015, al, COATINGS["osr"], COATINGS["osr"], "zenith", True)
    wing = SolarArraySpec("wing", (9.0, 4.0), 0.002, cfrp, COATINGS["solar_cell"], COATINGS["black_paint"],
                          "sun_tracking", "zenith", (0.0, 1.0, 0.0))
    return BusSpec(body, deck, (rad,), (wing,))


def bus_history(comm=None, transport=None, duration_s=200.0, mesh_size_m=0.2):
    """The main case's bus under the finite-element model with fixed loads: 150 W on every side, 400 W
    in the deck, 700 W (+-10 %) per GPU and 3.5 kW of other electronics into the coolant.
    Returns (SpacecraftMesh, ThermalHistory)."""
    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from geometry.mesh import build_mesh
    from thermal.case import load_case
    from thermal.models.fe.model import FESettings, solve_fe
    case = load_case(CASES / "h100_bus.yaml")
    sm = build_mesh(case.spacecraft, mesh_size_m, comm or MPI.COMM_WORLD)
    sides = {s.name: 150.0 for p in sm.parts.parts for s in p.sides}
    n_gpu = case.compute.count

    def gpu(t):
        return np.full(n_gpu, GPU_W * (1.0 + 0.1 * np.sin(t / 50.0)))

    return sm, solve_fe(
        sm, lambda t: sides, lambda t: {"deck": 400.0}, gpu,
        case.thermal.transport if transport is None else transport,
        case.compute.gpu.junction_to_coolant_K_W, 290.0, FESettings(time_step_s=20.0, duration_s=duration_s),
        cold_plate_heat_W=lambda t: OVERHEAD_W)


# --- MPI -------------------------------------------------------------------------------------

def mpiexec() -> str | None:
    """The `mpiexec` of this Python's environment (the MPICH the wheels were built with)."""
    return shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which("mpiexec")


def run_mpi(args, n: int = 2, timeout: float = 300.0, **kwargs) -> subprocess.CompletedProcess:
    """`mpiexec -n <n> python <args>` (this Python) with the repository and tests/ importable; output
    captured as text."""
    exe = mpiexec()
    if exe is None:
        pytest.skip("no mpiexec")
    path = os.pathsep.join([str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path, **kwargs.pop("env", {})}
    return subprocess.run([exe, "-n", str(n), sys.executable, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env, **kwargs)


# --- the command in this process -----------------------------------------------------------------

def solve(case, out, *extra) -> tuple[int, str]:
    """`python -m thermal.solve CASE --out OUT --quiet` in this process; (exit code, stderr)."""
    import contextlib
    import io

    from thermal.solve import main
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([str(case), "--out", str(out), "--quiet", *extra])
    return code, err.getvalue()


def one_line(text: str) -> str:
    """The one non-blank line of ``text`` (asserted), with no traceback."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got {lines}"
    assert "Traceback" not in text
    return lines[0]


def staged(folder: Path) -> list[str]:
    """Staging and moved-aside folders left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name or ".old-" in p.name)


def panel_case(chip_power="100 W", output="chips", orbit="none", eclipse=None, max_transport="40 W m",
               temperature_coefficient=None):
    """A 1.4 m x 1.4 m panel-array case (spacecraft.kind: panel_array) with 2 x 2 chips, read by the case
    reader; ``temperature_coefficient`` overrides the cell's (0: efficiency independent of temperature)."""
    doc = {
        "name": "panel",
        "orbit": orbit,
        "spacecraft": {
            "kind": "panel_array",
            "panel": {
                "size": ["1.4 m", "1.4 m"],
                "cells": {"cell": "XTJ-Prime", "packing_factor": 0.85},
                "front": {"absorptivity": 0.9, "emissivity": 0.85},
                "back": {"absorptivity": 0.2, "emissivity": 0.9},
                "substrate": {"kind": "vapor_chamber", "conductivity": "5000 W/m/K", "thickness": "3 mm",
                              "areal_mass": "2 kg/m^2", "max_transport": max_transport},
                "chips": {"grid": [2, 2], "footprint": "5 cm", "power": chip_power, "junction_to_panel": "0.1 K/W",
                          "junction_limit": "95 degC", "mass": "1 kg"},
                "output": output,
            },
        },
        "solver": {"orbits": 2, "time_step": "120 s"},
    }
    if eclipse is not None:
        doc["spacecraft"]["eclipse"] = eclipse
    from thermal.case import load_case
    case = load_case(doc)
    if temperature_coefficient is not None:
        cell = dataclasses.replace(case.panel.cell, temperature_coefficient_per_K=temperature_coefficient)
        case = dataclasses.replace(case, panel=dataclasses.replace(case.panel, cell=cell))
    return case


def opposed_squares_F(side_m: float, gap_m: float) -> float:
    """Howell's catalogue C-11: the view factor between two directly opposed squares of side
    ``side_m`` at distance ``gap_m``, written here from the source."""
    X = side_m / gap_m
    return 2.0 / (math.pi * X * X) * (math.log((1 + X * X) / math.sqrt(1 + 2 * X * X))
                                      + 2 * X * math.sqrt(1 + X * X) * math.atan(X / math.sqrt(1 + X * X))
                                      - 2 * X * math.atan(X))


def stacked_plates_case(folder: Path, orbit: str = "none", model: str = "network", gap_m: float = 0.5) -> Path:
    """Two 1 m x 1 m aluminium plates, both fronts along body +z (zenith in a nadir attitude), `lower` at
    z = 0 and `upper` ``gap_m`` above it, from an external mesh (meshio VTU with group arrays):
    the upper shades the lower's front while the sun is above, the lower the upper's back while
    it is below. ``orbit``: the case's orbit block (YAML flow text) or 'none' (deep space, steady)."""
    import meshio
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    points = np.vstack([np.column_stack([square, np.zeros(4)]), np.column_stack([square, np.full(4, gap_m)])])
    triangles = np.array([[0, 1, 2], [0, 2, 3], [4, 5, 6], [4, 6, 7]])
    meshio.write(folder / "stack.vtu", meshio.Mesh(points, [("triangle", triangles)], cell_data={
        "group:lower": [np.array([1, 1, 0, 0])], "group:upper": [np.array([0, 0, 1, 1])]}))
    coat = "{front: {absorptivity: 0.9, emissivity: 0.8}, back: {absorptivity: 0.9, emissivity: 0.8}}"
    solver = f"{{model: {model}, steady: true}}" if orbit == "none" else \
        f"{{model: {model}, time_step: 60 s, duration: 95 min, mesh_size: 25 cm}}"
    path = folder / "stack.yaml"
    path.write_text(f"""
name: stack
orbit: {orbit}
spacecraft:
  mesh: stack.vtu
  parts:
    lower: {{group: lower, thickness: 2 mm, material: Al6061, coating: {coat}, facing: [0, 0, 1]}}
    upper: {{group: upper, thickness: 2 mm, material: Al6061, coating: {coat}, facing: [0, 0, 1]}}
solver: {solver}
""")
    return path


def same_thermal_history(a, b) -> None:
    """Two runs' thermal histories are the same to the last bit: times, junction, cold plate, heat
    generated, emitted and absorbed, each part's mean temperature."""
    for name in ("time_s", "gpu_junction_K", "cold_plate_T_K", "generated_W", "emitted_W", "absorbed_W"):
        assert np.array_equal(getattr(a.thermal, name), getattr(b.thermal, name)), name
    for name in a.thermal.part_T_mean_K:
        assert np.array_equal(a.thermal.part_T_mean_K[name], b.thermal.part_T_mean_K[name]), name


def small_panel_case(name: str, solver: str) -> str:
    """A 1.4 m panel with four 100 W chips in a dawn-dusk orbit at the December solstice, compute
    off in eclipse (``spacecraft.kind: panel_array``), as case-file text; ``solver`` is the
    ``solver`` mapping's inside, e.g. ``model: fe, time_step: 60 s, orbits: 2, mesh_size: 2 cm``."""
    return f"""
name: {name}
orbit: {{altitude: 550 km, sun_synchronous: {{ltan: "06:00"}}, epoch: 2027-12-21}}
spacecraft:
  kind: panel_array
  panel:
    size: [1.4 m, 1.4 m]
    cells: {{cell: XTJ-Prime, packing_factor: 0.85}}
    substrate: {{kind: vapor_chamber, conductivity: 5000 W/m/K, thickness: 3 mm, areal_mass: 2 kg/m^2,
                max_transport: 40 W m}}
    chips: {{grid: [2, 2], footprint: 5 cm, power: 100 W, junction_to_panel: 0.1 K/W, junction_limit: 95 degC,
            mass: 1 kg}}
  eclipse: {{strategy: compute_off}}
solver: {{{solver}, epochs: case}}
"""


def optimise_study(optimise_spec: dict):
    """The 1 MW case (analytic sizing) with a study that optimises ``optimise_spec``: its evaluator
    and optimisation settings (tests of thermal.study.optimise)."""
    from thermal.case import load_case
    from thermal.case.document import load_yaml
    from thermal.study.evaluate import Evaluator

    doc = load_yaml(CASES / "h100_1MW.yaml")
    doc["sizing"]["refine"] = "none"
    doc["study"] = {"vary": {"economics.gpu_price": ["27500 usd"]}, "optimise": optimise_spec}
    case = load_case(doc, base_dir=CASES)
    return Evaluator(case.study), case.study.optimise
