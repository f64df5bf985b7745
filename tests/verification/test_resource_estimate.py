"""The resource guard's estimate of finite-element unknowns against the meshes gmsh makes."""

import pytest
import yaml

from geometry.shells import surface_arrays
from thermal.case import load_case
from thermal.case.resources import estimated_unknowns

from builders import CASES


def _nodes(case) -> int:
    return len(surface_arrays(case.spacecraft, case.solver.mesh_size_m)[0].points)


@pytest.mark.parametrize("mesh_size,tolerance", [("5 cm", 0.15), ("2 cm", 0.06), ("1 cm", 0.03)])
def test_plate_estimate_converges_to_the_mesh(mesh_size, tolerance):
    data = yaml.safe_load((CASES / "plate_sun.yaml").read_text())
    data["solver"]["mesh_size"] = mesh_size
    case = load_case(data)
    assert _nodes(case) == pytest.approx(estimated_unknowns(case), rel=tolerance)


def test_bus_estimate_is_within_a_factor_of_the_mesh():
    case = load_case(CASES / "h100_bus.yaml")
    ratio = _nodes(case) / estimated_unknowns(case)
    assert 1.0 <= ratio < 1.5        # edges and small parts add nodes: the guard errs on the lenient side
