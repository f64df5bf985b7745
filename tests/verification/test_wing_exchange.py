"""IR exchange that follows the sun-tracking wings over the orbit (thermal.exchange.WingSchedule):
the view factors at the wing's angle at each time, interpolated between the WING_POSITIONS traced
positions, instead of their orbit average.

Checks: the interpolation weights (periodic, at the positions exactly one position, their orbit
mean 1/K); and the network's radiation terms at a position's time equal those of a network built
with that position's view factors alone (a direct computation at a frozen wing angle). That on the
h100 bus the orbit march with the moving factors differs measurably from the averaged one, with
the energy still balanced, is a whole run of the bus: tests/system/test_wing_exchange_network.py.
"""

import dataclasses

import numpy as np
import pytest

from thermal.exchange import WING_POSITIONS, position_weights

from builders import ROOT


def test_position_weights_interpolate_periodically():
    times = np.linspace(0.0, 800.0, 8, endpoint=False)
    for k, t in enumerate(times):
        assert position_weights(times, 800.0, t) == pytest.approx(np.eye(8)[k])
        assert position_weights(times, 800.0, t + 800.0) == pytest.approx(np.eye(8)[k])   # periodic
    assert position_weights(times, 800.0, 750.0) == pytest.approx(0.5 * (np.eye(8)[7] + np.eye(8)[0]))
    grid = np.linspace(0.0, 800.0, 8001)[:-1]
    assert np.mean([position_weights(times, 800.0, t) for t in grid], axis=0) == pytest.approx(np.full(8, 1 / 8))
    assert position_weights(times[:1], None, 123.0) == pytest.approx([1.0])


@pytest.fixture(scope="module")
def bus(tmp_path_factory):
    import os
    os.environ.setdefault("ORBITAL_THERMAL_CACHE", str(tmp_path_factory.mktemp("cache")))
    from geometry.layout import part_list
    from thermal.case import load_case
    from thermal.exposure import compute_exposure
    from thermal.orbit import case_orbit
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    case = dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))
    parts = part_list(case.spacecraft)
    exposure = compute_exposure(parts, case.spacecraft, case_orbit(case.orbit), case.environment, case.attitude,
                                case.thermal.end_of_life, case.solver.view_factors)
    return case, parts, exposure


def test_network_terms_at_a_position_equal_a_frozen_wing(bus):
    from thermal.models import network as nw
    from thermal.models.network_model import _radiation_to_space_and_between, layout
    case, parts, exposure = bus
    ex = exposure.exchange
    assert ex.period_s is not None and len(ex.position_views) == WING_POSITIONS
    from thermal.loads import heat_placement
    lay = layout(parts, exposure, case.compute is not None, True, True, heat_placement(case, parts).host_part)
    emit, pairs, wing_terms = _radiation_to_space_and_between(parts, exposure, lay)
    assert wing_terms is not None
    static = nw._pair_matrix(len(lay.names), pairs)
    differs = 0.0
    for k, t in enumerate(ex.position_times_s):
        frozen = dataclasses.replace(ex, view=ex.patches.side_view(ex.position_views[k]),
                                     patch_view=ex.position_views[k], position_views=(ex.position_views[k],),
                                     position_times_s=np.zeros(1), period_s=None)
        emit_k, pairs_k, none = _radiation_to_space_and_between(parts, dataclasses.replace(exposure, exchange=frozen),
                                                                lay)
        assert none is None
        d_emit, d_R = wing_terms(t)
        assert emit + d_emit == pytest.approx(emit_k, rel=1e-12, abs=1e-12)
        assert static + d_R == pytest.approx(nw._pair_matrix(len(lay.names), pairs_k), rel=1e-12, abs=1e-12)
        differs = max(differs, float(np.max(np.abs(d_R))))
    assert differs > 1e-3                                  # the wing's angle moves the exchange [m^2]
