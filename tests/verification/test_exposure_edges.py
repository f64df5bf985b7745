"""The exposure table at the cylindrical shadow's edges (thermal.exposure.table_times): the sun goes
out in a step, and the table interpolated linearly must keep it a step.

Closed forms (cylindrical shadow, circular orbit, phase theta from orbit noon, eclipse from theta_in
to 2 pi - theta_in, thermal.orbit.eclipse_intervals_s):
- sunlit fraction of the orbit: 1 - (t_out - t_in) / P, so the orbit-average irradiance on a
  sun-normal plane is S (1 - f_ecl);
- direct sun on a nadir-facing plate: cos(incidence) = -nadir . sun = -cos(beta) cos(theta), lit for
  theta in (pi/2, theta_in) and its mirror: orbit average S cos(beta) (1 - sin theta_in) / pi.
"""

import math

import numpy as np
import pytest

from geometry.layout import part_list
from geometry.spec import PlateSpec
from thermal.case.model import EnvironmentConstants
from thermal.core.library import MATERIALS, Coating
from thermal.environment import orbit_average
from thermal.exposure import compute_exposure, table_times
from thermal.orbit import eclipse_intervals_s, resolve_orbit

S = 1361.0
BLACK_SOLAR = Coating("solar_black", 1.0, 0.0, "test: absorbs all the sun, emits nothing")
ENV = EnvironmentConstants(solar_constant_W_m2=S, albedo=0.0, earth_ir_W_m2=0.0, eclipse="cylindrical")


@pytest.mark.parametrize("beta", [0.0, 0.4])
def test_sunlit_fraction_and_nadir_plate_energy_are_exact(beta):
    geom = resolve_orbit(550e3, beta_rad=beta)
    (t_in, t_out), = eclipse_intervals_s(geom, "cylindrical")
    P = geom.period_s
    spec = PlateSpec("plate", (1.0, 1.0), 0.001, MATERIALS["Al6061"], "nadir", BLACK_SOLAR, BLACK_SOLAR)
    exposure = compute_exposure(part_list(spec), spec, geom, ENV, "nadir", True)
    t = exposure.time_s
    irradiance = orbit_average(t, exposure.sun_irradiance_W_m2)
    assert irradiance == pytest.approx(S / geom.solar_distance_au ** 2 * (1 - (t_out - t_in) / P), rel=1e-5)
    front = exposure.side_names.index("plate.front")
    theta_in = 2 * math.pi * t_in / P
    exact = S / geom.solar_distance_au ** 2 * math.cos(beta) * (1 - math.sin(theta_in)) / math.pi
    assert orbit_average(t, exposure.absorbed_W_m2[front]) == pytest.approx(exact, rel=2e-3)
    # the table interpolated just inside and outside each edge: full sun, then none
    eps = 1e-3
    inside = exposure.irradiance(np.array([t_in - eps, t_in + eps, t_out - eps, t_out + eps]))
    assert inside[[0, 3]] == pytest.approx(S / geom.solar_distance_au ** 2, rel=1e-9)
    assert inside[[1, 2]] == pytest.approx(0.0, abs=1e-9)


def test_conical_table_keeps_the_edges_themselves():
    geom = resolve_orbit(550e3, beta_rad=0.0)
    times = table_times(geom, "conical")
    for a, b in eclipse_intervals_s(geom, "conical"):
        assert np.any(times == a) and np.any(times == b)
