"""The finite-element model's IR exchange follows the sun-tracking wing over the orbit
(thermal.exchange.WingSchedule, HeatSystem.add_exchange_schedule), on the h100 bus at 10 cm.

At a traced position's time every radiation term (emission to space, the exchange's factors
between patches and their emission) equals that of a model built with that position's view
factors alone: the residual, hence a steady state, at a frozen wing angle is the time-varying
model's at that angle. Over one orbit the moving factors move the radiator and the junction by
about 2 K at times against the averaged ones (seen: 2.0 K), the energy still balanced."""

import numpy as np
import pytest

from builders import ROOT


@pytest.fixture(scope="module")
def bus(tmp_path_factory):
    import os
    os.environ.setdefault("ORBITAL_THERMAL_CACHE", str(tmp_path_factory.mktemp("cache")))
    from mpi4py import MPI

    from geometry.mesh import build_mesh
    from thermal.case import load_case
    from thermal.exposure import compute_exposure
    from thermal.models.fe.model import FESettings
    from thermal.orbit import case_orbit, shadow_breakpoints_s
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    sm = build_mesh(case.spacecraft, 0.1, MPI.COMM_WORLD)
    geom = case_orbit(case.orbit)
    exposure = compute_exposure(sm.parts, case.spacecraft, geom, case.environment, case.attitude,
                                case.thermal.end_of_life, case.solver.view_factors)
    period = exposure.period_s
    events = tuple(e for e in shadow_breakpoints_s(geom, case.environment.eclipse) if 0.0 <= e <= period)
    settings = FESettings(time_step_s=20.0, orbits=1, period_s=period, event_times_s=events, scheme="bdf2")
    return case, sm, exposure, settings


def test_terms_at_a_position_equal_a_frozen_wing(bus):
    from thermal.exchange import patch_exchange
    from thermal.models.fe.model import SpacecraftFE
    from thermal.models.fe.run import _wing_exchange
    case, sm, exposure, settings = bus
    ex = exposure.exchange
    wing = _wing_exchange(ex, sm.parts)
    assert wing is not None
    R_jc = case.compute.gpu.junction_to_coolant_K_W
    moving = SpacecraftFE(sm, case.thermal.transport, R_jc, settings, exchange=patch_exchange(ex, sm.parts),
                          wing_exchange=wing)
    try:
        s = moving.system
        average = (s.emission.copy(), s.exchange[1].copy())
        for k in (0, 3):
            frozen = SpacecraftFE(sm, case.thermal.transport, R_jc, settings,
                                  exchange=patch_exchange(ex, sm.parts, k))
            s.at_time(float(ex.position_times_s[k]))
            f = frozen.system
            assert s.emission == pytest.approx(f.emission, rel=1e-12, abs=1e-15)
            assert s.exchange[1] == pytest.approx(f.exchange[1], rel=1e-12, abs=1e-15)
            assert s.exchange_emission == pytest.approx(f.exchange_emission, rel=1e-12, abs=1e-15)
            assert np.max(np.abs(s.exchange[1] - average[1])) > 1e-3 * np.max(average[1])   # it moves
            frozen.destroy()
        s.at_time(None)                                   # back to the averaged terms
        assert np.array_equal(s.emission, average[0]) and np.array_equal(s.exchange[1], average[1])
    finally:
        moving.destroy()


def test_moving_wing_changes_the_orbit_and_keeps_the_balance(bus):
    from thermal.exchange import patch_exchange
    from thermal.models.fe.model import solve_fe
    from thermal.models.fe.run import _wing_exchange
    case, sm, exposure, settings = bus

    def run(wing):
        return solve_fe(sm, lambda t: dict(zip(exposure.side_names, exposure.absorbed(t), strict=True)),
                        lambda t: {"deck": case.compute.overhead_W},
                        lambda t: np.full(case.compute.count, case.compute.gpu_power_W), case.thermal.transport,
                        case.compute.gpu.junction_to_coolant_K_W, case.thermal.initial_temperature_K, settings,
                        exchange=patch_exchange(exposure.exchange, sm.parts), wing_exchange=wing)

    moving = run(_wing_exchange(exposure.exchange, sm.parts))
    averaged = run(None)
    for h in (moving, averaged):
        assert h.energy_balance_error < 1e-4
    assert np.max(np.abs(moving.gpu_junction_K - averaged.gpu_junction_K)) > 0.5
    assert np.max(np.abs(moving.part_T_mean_K["radiator"] - averaged.part_T_mean_K["radiator"])) > 0.5
