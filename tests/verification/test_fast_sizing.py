"""The fast sizing path (each orbit case's environment computed once, the cases sized as arrays,
one node scaled) gives the designs of the path before it, within 1e-9 relative.

The reference designs were computed by ``size_design`` on main at commit 5ce6208, the commit before
the fast path, with ``tests/verification/data/make_sizing_reference.py`` (its docstring has the
command); they are kept in ``tests/verification/data/sizing_reference_5ce6208.json``. The physics
added since (battery cycles counted from the orbit cases, a bus mass per module, the propellant)
is switched off here to the old path's: 5,500 cycles a year, no bus mass, no propulsion.
"""

import dataclasses
import importlib.util
import json
import math
from pathlib import Path

import pytest

from thermal.case import load_case
from thermal.sizing.design import size_design
from thermal.sizing.orbit_cases import sizing_environment, sizing_orbits

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
REFERENCE = json.loads((DATA / "sizing_reference_5ce6208.json").read_text())["designs"]
_spec = importlib.util.spec_from_file_location("make_sizing_reference", DATA / "make_sizing_reference.py")
_maker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_maker)

#: What the path before the fast one had: LEO_CYCLES_PER_YEAR, no bus, no propellant.
OLD_PHYSICS = {"battery_cycles_per_year": 5500.0, "propulsion": None}


def _cases():
    for name in ("h100_1MW", "h100_1GW"):
        case = load_case(ROOT / "cases" / f"{name}.yaml")
        for label, sizing in _maker.variants(case):
            yield f"{name}/{label}", case, sizing


CASES = list(_cases())


def _close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)


@pytest.mark.parametrize("key,case,sizing", CASES, ids=[c[0] for c in CASES])
def test_fast_sizing_gives_the_old_design(key, case, sizing):
    ref = REFERENCE[key]
    old = dataclasses.replace(sizing, masses=dataclasses.replace(sizing.masses, bus_kg_per_module=0.0), **OLD_PHYSICS)
    launch = dataclasses.replace(case.economics.launch, site_latitude_rad=None)   # the headline payload, as then
    design, extra = size_design(sizing_environment(case, old), old, launch=launch)
    for f in _maker.FIELDS:
        assert _close(getattr(design, f), ref[f]), (f, getattr(design, f), ref[f])
    m = design.module
    assert _close(m.radiator_temperature_K, ref["module"]["radiator_temperature_K"])
    for item, kg in ref["module"]["mass_breakdown_kg"].items():
        assert _close(m.mass_breakdown_kg[item], kg), item
    assert all(m.mass_breakdown_kg[k] == 0.0 for k in ("bus", "shielding", "propellant", "tanks"))
    assert len(m.cases) == len(ref["cases"])
    for mine, theirs in zip(m.cases, ref["cases"], strict=True):
        for f, v in dataclasses.asdict(mine).items():
            assert _close(v, theirs[f]), (f, v, theirs[f])
    assert extra["limits"] == ref["limits"]


def test_the_environment_is_computed_once_and_the_geometries_path_agrees():
    """Sizing from the geometries (their environment computed once, equal year weights, and kept
    for the next call) gives the design of the environment prepared from them; its arrays are
    read-only."""
    from thermal.sizing.design import _environment
    from thermal.sizing.orbit_cases import SizingEnvironment

    case = load_case(ROOT / "cases" / "h100_1MW.yaml")
    geoms = sizing_orbits(case, case.sizing)
    senv = SizingEnvironment.of(geoms, case.environment)
    a, _ = size_design(senv, case.sizing, launch=case.economics.launch)
    b, _ = size_design(geoms, case.sizing, env=case.environment, launch=case.economics.launch)
    assert _environment(geoms, case.environment) is _environment(list(geoms), case.environment)
    assert a.mass_kg == pytest.approx(b.mass_kg, rel=1e-12)
    assert a.radiator_area_m2 == pytest.approx(b.radiator_area_m2, rel=1e-12)
    with pytest.raises(ValueError):
        senv.eclipse_s[0] = 0.0


def test_the_loop_temperature_of_every_case_at_once_is_the_scalar_root():
    """Newton over an array of absorbed fluxes against brentq one by one (within brentq's own
    tolerance, 1e-10 of the coolant temperature), and the root satisfies T + (k T^4 - q) / U = T_c
    to rounding."""
    import numpy as np

    from thermal.sizing.radiator import loop_temperature_K, loop_temperatures_K

    q = np.linspace(0.0, 600.0, 41)
    t = loop_temperatures_K(330.0, 100.0, 0.79, q, 2, 0.9)
    for qi, ti in zip(q, t, strict=True):
        assert ti == pytest.approx(loop_temperature_K(330.0, 100.0, 0.79, float(qi), 2, 0.9), abs=1e-10 * 330.0)
    k = 2 * 0.9 * 0.79 * 5.670374419e-8
    assert np.allclose(t + (k * t**4 - q) / 100.0, 330.0, rtol=1e-14, atol=0.0)


def test_design_point_is_the_case_path_without_the_refinement():
    """The one entry for studies (design_point) gives the sizing block of the case path
    (run_sizing with refine: none), key for key, costs included."""
    from thermal.sizing.economics import design_point, launch_to_orbit, priced_sizing
    from thermal.sizing.run import run_sizing, surrounded_environment

    case = load_case(ROOT / "cases" / "h100_1MW.yaml")
    sizing = dataclasses.replace(case.sizing, refine="none")
    senv = sizing_environment(case, sizing)
    launch, _ = launch_to_orbit(case.economics.launch, senv.altitude_m, senv.inclination_rad)
    # the environment the case path sizes against: with the wings and the body in the radiator's view
    senv = surrounded_environment(case, priced_sizing(sizing, case.economics)[0], senv, launch)
    assert senv.surroundings is not None
    _, _, point = design_point(senv, sizing, case.economics)
    _, summary = run_sizing(case, sizing, case.economics)
    for key, value in point.items():   # the case path adds its own keys (the refinement's) beside these
        if isinstance(value, dict) and key == "module":
            assert {k: summary[key][k] for k in value} == value
        else:
            assert summary[key] == value, key
