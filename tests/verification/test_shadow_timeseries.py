"""Each part's shadow fraction over the orbit (thermal.exposure.PartSun, timeseries.csv
``shadow_fraction:<part>``) against the closed form of a square plate's shadow on another.

Two 1 m squares, fronts to zenith (nadir attitude), `upper` 0.5 m above `lower`. With the sun at
s (body axes), the upper square's shadow on the lower's plane is the square shifted by
h (s_x / s_z, s_y / s_z), so the share of the lower front that is shaded is the overlap
max(0, 1 - h |s_x / s_z|) max(0, 1 - h |s_y / s_z|) while the sun is above (s_z > 0); the lower's
back, lit while the sun is below, has nothing under it. The upper part is the mirror image. The
ray tracer samples 512 points per side (standard error 2.2 % at half shade) and keeps 24 harmonics
of the orbit, so each instant is held to 0.07 (3 standard errors) and the mean error to 0.02.
"""

import numpy as np
import pytest

from builders import stacked_plates_case

ORBIT = "{altitude: 550 km, beta: 30 deg}"
GAP_M = 0.5


def closed_form(sun: np.ndarray) -> dict[str, np.ndarray]:
    """{part: shadow fraction} of the stacked squares with the sun at `sun` (N, 3), body axes."""
    with np.errstate(divide="ignore", invalid="ignore"):
        overlap = (np.clip(1.0 - GAP_M * np.abs(sun[:, 0] / sun[:, 2]), 0.0, 1.0)
                   * np.clip(1.0 - GAP_M * np.abs(sun[:, 1] / sun[:, 2]), 0.0, 1.0))
    return {"lower": np.where(sun[:, 2] > 0, overlap, 0.0), "upper": np.where(sun[:, 2] < 0, overlap, 0.0)}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    import os
    folder = tmp_path_factory.mktemp("stack")
    os.environ.setdefault("ORBITAL_THERMAL_CACHE", str(folder / "cache"))
    from thermal.case import load_case
    return load_case(stacked_plates_case(folder, orbit=ORBIT))


def test_shadow_fraction_over_the_orbit_follows_the_closed_form(stack):
    from geometry.layout import part_list
    from thermal.environment import orbit_average
    from thermal.exposure import compute_exposure
    from thermal.orbit import case_orbit, shadow_factor, sun_vector_body
    geom = case_orbit(stack.orbit)
    exposure = compute_exposure(part_list(stack.spacecraft), stack.spacecraft, geom, stack.environment,
                                stack.attitude, True, stack.solver.view_factors)
    t = exposure.time_s
    sun = sun_vector_body(geom, t, stack.attitude)
    shown, exact = exposure.shadow_fractions(t), closed_form(sun)
    sunny = shadow_factor(geom, t, stack.environment.eclipse) > 0
    for part in ("lower", "upper"):
        f = shown[part]
        # NaN while the sun is behind the Earth (or grazes both sides), a value whenever it shines on one
        assert np.all(np.isnan(f[~sunny])) and np.all(np.isfinite(f[sunny & (np.abs(sun[:, 2]) > 1e-3)])), part
        lit = np.isfinite(f)
        error = np.abs(f[lit] - exact[part][lit])
        assert error.max() < 0.07 and error.mean() < 0.02, (part, error.max(), error.mean())
    # orbit noon: the sun 30 deg (beta) off zenith across the orbit plane, the shadow shifted by h tan 30 deg
    assert shown["lower"][0] == pytest.approx(1.0 - GAP_M * np.tan(np.radians(30.0)), abs=0.07)
    # the orbit average of the summary: the closed form weighted by the direct sun on the part
    # (its front while the sun is above, its back while below, each 1 m^2); the same sample points
    # serve every time step, so their error does not average out over the orbit: held to 0.05
    direct = np.abs(sun[:, 2]) * shadow_factor(geom, t, stack.environment.eclipse)
    for part in ("lower", "upper"):
        expected = orbit_average(t, direct * exact[part]) / orbit_average(t, direct)
        assert exposure.shadow_fraction[part] == pytest.approx(expected, abs=0.05)
        # and it is the direct-sun-weighted average of the instants the results carry
        weight = np.where(np.isfinite(shown[part]), direct, 0.0)
        assert exposure.shadow_fraction[part] == pytest.approx(
            orbit_average(t, weight * np.nan_to_num(shown[part])) / orbit_average(t, weight), abs=2e-3)


def test_the_results_carry_the_shadow_fraction_at_each_time(stack):
    """timeseries.csv's columns, on the thermal history's clock: the exposure's values there."""
    from thermal.orbit import sun_vector_body
    from thermal.outputs.files import timeseries_of
    from thermal.simulation import simulate
    run = simulate(stack)
    columns = timeseries_of(run)
    t = run.thermal.time_s
    exact = closed_form(sun_vector_body(run.geometry, t, stack.attitude))
    for part in ("lower", "upper"):
        recorded = columns[f"shadow_fraction:{part}"]
        assert recorded.shape == t.shape
        assert np.array_equal(np.isnan(recorded), np.isnan(run.exposure.shadow_fractions(t)[part]))
        assert np.allclose(recorded, run.exposure.shadow_fractions(t)[part], equal_nan=True, rtol=0, atol=1e-15)
        ok = np.isfinite(recorded)
        assert 0.3 < ok.mean() < 0.9                       # sunlit samples and eclipse samples
        assert np.abs(recorded[ok] - exact[part][ok]).max() < 0.07


def test_no_shadow_columns_without_exchange(tmp_path):
    """One plate: no exchange, no shadow columns (and no other part to cast one)."""
    from thermal.case import load_case
    from thermal.outputs.files import timeseries_of
    from thermal.simulation import simulate

    from builders import CASES
    run = simulate(load_case(CASES / "plate_sun.yaml").with_values({"solver.model": "network"}))
    assert run.exposure.part_sun is None
    assert not [k for k in timeseries_of(run) if k.startswith("shadow_fraction:")]
