"""The panel's unit cell in finite elements over an orbit (issue 14, item 2: "over the orbit"):
marched to its periodic state through a 22-minute eclipse, against the network's junction swing.
(Several FE orbits each: the system part of the suite; the cell's spreading against the series
solution is in tests/verification/test_panel_fe.py.)"""

import dataclasses

import numpy as np
import pytest

from thermal.sizing.panels import run_panel_case

from builders import panel_case

DAWN_DUSK_DECEMBER = {"altitude": "550 km", "sun_synchronous": {"ltan": "06:00"}, "epoch": "2027-12-21"}


def _orbit_case(eclipse, time_step_s=20.0):
    case = panel_case("150 W", orbit=DAWN_DUSK_DECEMBER, eclipse=eclipse)
    return dataclasses.replace(case, solver=dataclasses.replace(case.solver, time_step_s=time_step_s, orbits=3))


@pytest.mark.parametrize("eclipse", [{"strategy": "compute_off"}, {"strategy": "battery"}])
def test_fe_orbit_march_agrees_with_the_network_junction_swing(eclipse):
    """The FE cell marched to its periodic state (orbit-to-orbit change below 0.05 K) in a 22-min
    eclipse: its junction swing within 2 % of the network's (the network lumps the chips' heat
    capacity into the panel and puts the junction on the quasi-static spreading series; the FE cell
    carries it on the footprint and resolves the transient spreading), its maximum within 1 K; the
    energy audit of the last orbit below 1e-4, and over a periodic orbit what is stored is nil:
    stored + emitted + electric = absorbed + generated."""
    case = _orbit_case(eclipse)
    run = run_panel_case(dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="fe")))
    lc = run.load_cases[0]
    fe, o = run.fe["case"], lc.orbit
    assert lc.eclipse_s > 1000.0
    assert o.junction_swing_K > 40.0                                # a thin panel cools in eclipse
    assert abs(fe.junction_swing_K / o.junction_swing_K - 1) < 0.02, (fe.junction_swing_K, o.junction_swing_K)
    assert abs(fe.junction_K.max() - o.junction_K.max()) < 1.0
    assert fe.orbit_to_orbit_change_K < 0.05 and fe.orbits >= 3
    assert fe.energy_balance_error < 1e-4
    e = fe.energy_J
    assert abs(e["stored"] + e["emitted"] + e["electric"] - e["absorbed"] - e["generated"]) < 1e-4 * e["absorbed"]
    assert abs(e["stored"]) < 1e-3 * e["absorbed"]                  # periodic: the orbit returns to its start
    # the absorbed energy is the environment's, over one chip's cell: the loads reach the mesh
    f = lc.fluxes
    cell_m2 = case.panel.area_m2 / case.panel.chips.count
    assert e["absorbed"] == pytest.approx(np.mean(f.absorbed_W_m2) * cell_m2 * f.period_s, rel=2e-3)
    # the chips really run in sun: a chip-hour of heat per sunlit hour, on the footprint
    sunlit_s = f.period_s - lc.eclipse_s
    full = 150.0 * (sunlit_s + (f.period_s - sunlit_s) * (eclipse["strategy"] == "battery"))
    assert e["generated"] >= 0.99 * full
