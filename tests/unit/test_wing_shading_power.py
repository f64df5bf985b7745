"""A wing that other parts shade delivers the lit share of its output (power.solar_array.lit_output_fraction:
series strings with a bypass diode each, the shadow edge along the strings), in the power model and on the
coupling's path from the exposure's lit shares."""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from test_power_system import VES, XTJ, load_config, orbit

from power import BatteryConfig, SolarArrayConfig, simulate_power
from thermal.coupling import _wing_lit_fraction


def test_half_shaded_wing_gives_half_the_output():
    t, S, in_ecl = orbit(n=57)
    arrays = SolarArrayConfig(cell=XTJ, area_m2=10.0, pointing="sun_tracking")
    battery = BatteryConfig(cell=VES, capacity_Wh=5000.0, max_depth_of_discharge=0.30)
    loads = load_config(gpu_tdp_W=700.0, gpu_count=1)
    full = simulate_power(t, S, 1.0, 330.0, arrays, battery, loads, in_ecl)
    half = simulate_power(t, S, 1.0, 330.0, arrays, battery, loads, in_ecl, lit_fraction=0.5)
    # S A packing eta(T) x harness x regulator, the whole wing lit
    assert full.array_power_W[0] == pytest.approx(1361 * 10 * 0.85 * arrays.efficiency(330.0) * 0.98 * 0.97,
                                                  rel=1e-12)
    assert half.array_power_W == pytest.approx(0.5 * full.array_power_W, rel=1e-12)
    # a shadow that moves over the orbit: the output follows it step by step
    lit = 0.5 + 0.5 * np.cos(2 * math.pi * t / t[-1])
    moving = simulate_power(t, S, 1.0, 330.0, arrays, battery, loads, in_ecl, lit_fraction=lit)
    assert moving.array_cell_power_W == pytest.approx(lit * full.array_cell_power_W, rel=1e-12, abs=1e-12)
    with pytest.raises(ValueError, match="lit_fraction"):
        simulate_power(t, S, 1.0, 330.0, arrays, battery, loads, in_ecl, lit_fraction=1.5)


def test_coupling_weights_each_wing_by_its_direct_sun():
    """Two wings, 30 and 10 m^2: the first half shaded at normal incidence, the second unshaded at
    cos 0.5; the array's lit share is (30 x 1 x 0.5 + 10 x 0.5 x 1) / (30 x 1 + 10 x 0.5) = 20 / 35."""
    wings = [SimpleNamespace(name="a", area_m2=30.0), SimpleNamespace(name="b", area_m2=10.0)]
    times = np.linspace(0.0, 1.0, 3)
    exposure = SimpleNamespace(time_s=times, wing_cos_incidence={"a": np.ones(3), "b": np.array([0.5, 0.5, 0.0])},
                               wing_lit_share={"a": np.full(3, 0.5), "b": np.ones(3)})
    lit = _wing_lit_fraction(exposure, wings)
    assert lit[:2] == pytest.approx([20.0 / 35.0] * 2, rel=1e-12)
    assert lit[2] == pytest.approx(0.5, rel=1e-12)          # only wing a sees the sun
    exposure.wing_lit_share = None                          # no exchange: nothing shades the wings
    assert np.all(_wing_lit_fraction(exposure, wings) == 1.0)


def test_the_bus_wings_lit_share_is_the_one_its_shadow_fraction_reports(tmp_path_factory):
    """On the h100 bus (its body shades the wing over part of the orbit): the power model's lit share,
    weighted by the wing's direct sun over the orbit, is 1 - the wing's reported shadow fraction (the
    cell side is the only one the sun reaches)."""
    import os
    from pathlib import Path

    from geometry.layout import part_list
    from thermal.case import load_case
    from thermal.environment import orbit_average
    from thermal.exposure import compute_exposure
    from thermal.orbit import case_orbit

    os.environ.setdefault("ORBITAL_THERMAL_CACHE", str(tmp_path_factory.mktemp("vf")))
    case = load_case(Path(__file__).resolve().parents[2] / "cases" / "h100_bus.yaml")
    parts = part_list(case.spacecraft)
    geom = case_orbit(case.orbit)
    exposure = compute_exposure(parts, case.spacecraft, geom, case.environment, case.attitude, True,
                                case.solver.view_factors)
    wings = [p for p in parts.parts if p.role == "solar_array"]
    lit = _wing_lit_fraction(exposure, wings)
    assert np.all((lit >= 0.0) & (lit <= 1.0)) and lit.min() < 1.0
    direct = exposure.sun_irradiance_W_m2 * sum(w.area_m2 * exposure.wing_cos_incidence[w.name] for w in wings)
    share = orbit_average(exposure.time_s, direct * lit) / orbit_average(exposure.time_s, direct)
    shadow = exposure.shadow_fraction[wings[0].name]
    assert shadow > 0.005
    assert 1.0 - share == pytest.approx(shadow, rel=1e-6)
