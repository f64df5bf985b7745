"""Runs that mean what the case says, checked against closed forms:

- a plate cooling in the dark (``solar_constant: 0``, a ``duration``, no ``steady``) follows the
  lumped radiative cooldown ``1/T^3 = 1/T0^3 + 3 eps_sum sigma A t / (m c)``;
- ``steady: true`` in an orbit is the orbit-average balance: emitted = orbit-mean absorbed, and the
  temperature lies inside the periodic transient's range;
- a radiator sized alone for a heat-rejection target has the Stefan-Boltzmann area
  ``Q / (n eta eps sigma T^4 - q_abs)``, and the network model of the sized plate holds the
  temperature the sizing was given.
"""

import copy
import math

import numpy as np
import pytest
import yaml

from thermal.case import load_case
from thermal.simulation import simulate
from thermal.sizing.run import sized_run

from builders import CASES, SIGMA_W_M2K4

DARK = yaml.safe_load((CASES / "plate_cooling_dark.yaml").read_text())
AL_DENSITY, AL_CP = 2700.0, 896.0     # Al 6061 (thermal.core.library)


def test_cooldown_in_the_dark_follows_the_closed_form():
    data = copy.deepcopy(DARK)
    data["spacecraft"]["facing"] = "sun"                   # faces the sun, which is switched off
    data["environment"] = {"solar_constant": "0 W/m^2"}
    data["solver"] = {"model": "network", "duration": "2 h", "time_step": "10 s"}
    case = load_case(data)
    assert not case.solver.steady
    h = simulate(case).thermal
    t = h.time_s
    T = h.part_T_mean_K["plate"]
    eps_sum, area, T0 = 0.85 + 0.85, 1.0, 400.0
    k = eps_sum * SIGMA_W_M2K4 * area / (AL_DENSITY * 1e-3 * area * AL_CP)
    exact = (T0 ** -3 + 3.0 * k * t) ** (-1.0 / 3.0)
    assert t[-1] == pytest.approx(7200.0)
    assert np.max(np.abs(T - exact)) < 1e-5 * T0             # the integrator's tolerance (rtol 1e-7)
    assert np.all(np.abs(h.absorbed_W) < 1e-9)


def _orbit_plate(solver):
    data = yaml.safe_load((CASES / "radiator_zenith_400km.yaml").read_text())
    data["solver"] = solver
    return load_case(data)


def test_steady_in_an_orbit_is_the_orbit_average_balance():
    steady = simulate(_orbit_plate({"model": "network", "steady": True}))
    transient = simulate(_orbit_plate({"model": "network", "time_step": "20 s", "orbits": 2}))
    (name,) = steady.thermal.part_T_mean_K
    T = float(steady.thermal.part_T_mean_K[name][0])
    lo, hi = (float(f(transient.thermal.part_T_mean_K[name])) for f in (np.min, np.max))
    assert lo < T < hi
    # emitted at the steady temperature = the orbit-mean absorbed and generated power
    h = steady.thermal
    assert float(h.emitted_W[0]) == pytest.approx(float(h.absorbed_W[0] + h.generated_W[0]), rel=1e-9)
    mean_absorbed = np.trapezoid(transient.thermal.absorbed_W, transient.thermal.time_s) / \
        (transient.thermal.time_s[-1] - transient.thermal.time_s[0])
    assert float(h.absorbed_W[0]) == pytest.approx(mean_absorbed, rel=2e-3)


def _radiator_only(orbit, **sizing):
    data = {"name": "radiator_alone", "orbit": orbit,
            "spacecraft": {"kind": "plate", "size": ["2 m", "1 m"], "thickness": "2 mm", "material": "Al6061",
                           "coating": "osr", "facing": "zenith"},
            "solver": {"model": "network", "steady": True},
            "sizing": {"target": {"heat_rejection": "120 kW"}, "radiator_temperature": "300 K", **sizing}}
    if orbit == "none":
        data["environment"] = {"solar_constant": "0 W/m^2"}
        data["spacecraft"]["facing"] = "sun"
    return load_case(data)


def test_radiator_alone_in_the_dark_has_the_stefan_boltzmann_area():
    case = _radiator_only("none", radiator={"fin_efficiency": 0.9})
    _, summary = sized_run(case)
    eps = case.sizing.radiator.coating.emissivity
    area = 120e3 / (2 * 0.9 * eps * SIGMA_W_M2K4 * 300.0 ** 4)
    assert summary["radiator_area_m2"] == pytest.approx(area, rel=1e-12)
    assert summary["mass_kg"] == pytest.approx(3.0 * area, rel=1e-12)
    assert summary["array_area_m2"] == 0.0 and summary["battery_capacity_Wh"] == 0.0


def test_radiator_alone_in_orbit_holds_its_temperature_in_the_network_model():
    # orbit-average basis and an ideal fin: the network model's orbit-average steady state of the
    # sized plate must sit at the radiator temperature the sizing was given
    case = _radiator_only({"altitude": "550 km", "beta": "60 deg"}, radiator={"fin_efficiency": 1.0,
                                                                               "basis": "orbit_average"})
    run, summary = sized_run(case)
    eps = case.sizing.radiator.coating.emissivity
    q_abs = summary["radiator_absorbed_W_m2"]
    assert summary["radiator_area_m2"] == pytest.approx(120e3 / (2 * eps * SIGMA_W_M2K4 * 300.0 ** 4 - q_abs),
                                                        rel=1e-12)
    check = summary["check"]["network"]
    assert check["radiator_area_m2"] == pytest.approx(summary["radiator_area_m2"])
    assert check["radiator_T_mean_K"] == pytest.approx(300.0, abs=0.05)
    assert check["met"]
    assert math.isclose(run.parts.parts[0].area_m2, summary["radiator_area_m2"], rel_tol=1e-9)
