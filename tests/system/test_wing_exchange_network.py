"""The network model's IR exchange follows the sun-tracking wing over the orbit
(thermal.exchange.WingSchedule): on the h100 bus the orbit march with the moving factors differs
measurably from the averaged one (the correlation of the wing's angle with the temperatures), with
the energy still balanced. (Two whole runs of the bus: the system part; the terms at a frozen wing
angle are checked in tests/verification/test_wing_exchange.py.)"""

import dataclasses

import numpy as np
import pytest

from builders import ROOT


@pytest.fixture(scope="module")
def bus(tmp_path_factory):
    import os
    os.environ.setdefault("ORBITAL_THERMAL_CACHE", str(tmp_path_factory.mktemp("cache")))
    from thermal.case import load_case
    case = load_case(ROOT / "cases" / "h100_bus.yaml")
    return dataclasses.replace(case, solver=dataclasses.replace(case.solver, model="network"))


def test_moving_wings_change_the_orbit_and_keep_the_balance(bus, monkeypatch):
    """The time-varying and the averaged factors give the same energy balance but different
    temperature histories: the radiator and the junction move by about 1.4 K at times (seen),
    their orbit means by under 0.03 K (the averaged factors are the orbit mean of the moving ones)."""
    import thermal.models.network_model as nm
    from thermal.simulation import simulate
    case = bus
    moving = simulate(case).thermal
    monkeypatch.setattr(nm, "wing_schedule", lambda exchange: None)
    averaged = simulate(case).thermal
    for h in (moving, averaged):
        assert h.energy_balance_error < 1e-6
    radiator = moving.part_T_mean_K["radiator"] - averaged.part_T_mean_K["radiator"]
    assert np.max(np.abs(radiator)) > 0.5
    assert abs(float(np.mean(radiator))) < 0.1
    assert np.max(np.abs(moving.gpu_junction_K - averaged.gpu_junction_K)) > 0.5
