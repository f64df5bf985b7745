"""A coating side's infrared absorptivity (``ir_absorptivity``), apart from its emissivity.

- a plate facing the Earth with no solar absorptivity, in Earth IR only (a 1,000 km orbit at
  beta 90 deg: no eclipse, and albedo and sun absorb nothing): the network's temperature is the
  closed form ``T^4 = a_IR,f H / ((eps_f + eps_b) sigma)``, H the Earth IR on the nadir face;
- default: the emissivity (Kirchhoff), so a case without the key is unchanged;
- a bad value: one CaseError line naming the key path;
- two opposed sides exchanging IR: Gebhart's factors with the receiving sides' absorptivities,
  the conductance the symmetric part of ``eps_i A_i B_ij`` (energy conserved: R symmetric, the rows
  with the emission to space and the self-return adding to ``eps A``).
"""

import numpy as np
import pytest
from test_view_factors import parallel_rectangles

from thermal.case import load_case
from thermal.core.errors import CaseError
from thermal.environment import incident_flux
from thermal.exchange import exchange_conductances, gebhart
from thermal.orbit import case_orbit

from builders import SIGMA_W_M2K4 as SIGMA

CASE = """
name: earth_ir_plate
orbit: {altitude: 1000 km, beta: 90 deg}
spacecraft: {kind: plate, name: plate, size: [1 m, 1 m], thickness: 1 mm, material: Al6061, facing: nadir,
             coating: {front: {absorptivity: 0.0, emissivity: 0.5, ir_absorptivity: 0.9},
                       back: {absorptivity: 0.0, emissivity: 0.1}}}
thermal: {initial_temperature: 250 K}
solver: {model: network, steady: true}
"""


def _case(tmp_path, text=CASE):
    path = tmp_path / "plate.yaml"
    path.write_text(text)
    return load_case(path)


def test_plate_in_earth_ir_only_absorbs_with_its_ir_absorptivity(tmp_path):
    from thermal.simulation import simulate
    case = _case(tmp_path)
    front = case.spacecraft.front
    assert front.ir_absorptivity == 0.9 and front.emissivity == 0.5
    assert case.spacecraft.back.ir_absorptivity == 0.1             # default: its emissivity
    geom = case_orbit(case.orbit)
    H = float(np.mean(incident_flux(geom, case.environment, case.attitude, np.array([0.0, 0.0, -1.0]),
                                    np.array([0.0, 1000.0])).earth_ir_W_m2))
    assert H > 100.0
    T = float(simulate(case).thermal.part_T_mean_K["plate"][-1])
    assert T == pytest.approx((0.9 * H / ((0.5 + 0.1) * SIGMA)) ** 0.25, rel=1e-6)
    # Kirchhoff (the key left out): a_IR = eps
    kirchhoff = simulate(_case(tmp_path, CASE.replace(", ir_absorptivity: 0.9", "")))
    T_k = float(kirchhoff.thermal.part_T_mean_K["plate"][-1])
    assert T_k == pytest.approx((0.5 * H / ((0.5 + 0.1) * SIGMA)) ** 0.25, rel=1e-6)


@pytest.mark.parametrize("value", ["1.2", "-0.1", "high"])
def test_bad_ir_absorptivity_names_its_key(tmp_path, value):
    with pytest.raises(CaseError, match=r"spacecraft\.coating\.front\.ir_absorptivity"):
        _case(tmp_path, CASE.replace("ir_absorptivity: 0.9", f"ir_absorptivity: {value}"))


def test_exchange_with_ir_absorptivity_conserves_energy():
    f = parallel_rectangles(1.0, 1.0, 0.5)
    F = np.array([[0.0, f], [f, 0.0]])
    Fs = 1.0 - F.sum(axis=1)
    A = np.ones(2)
    eps, a = np.array([0.8, 0.3]), np.array([0.4, 0.9])
    R, E = exchange_conductances(F, Fs, A, eps, a)
    B, Bs = gebhart(F, Fs, a)
    # two-surface series: what 2 absorbs of 1's emission, and what 1 absorbs of 2's
    g12 = eps[0] * f * a[1] / (1.0 - f * f * (1 - a[0]) * (1 - a[1]))
    g21 = eps[1] * f * a[0] / (1.0 - f * f * (1 - a[0]) * (1 - a[1]))
    assert eps[0] * B[0, 1] == pytest.approx(g12, rel=1e-12)
    assert R[0, 1] == R[1, 0] == pytest.approx(0.5 * (g12 + g21), rel=1e-12)
    assert E == pytest.approx(eps * A * Bs, rel=1e-12)
    # gray: the conductance is eps_i A_i B_ij itself, symmetric by reciprocity
    R_gray, _ = exchange_conductances(F, Fs, A, eps)
    assert R_gray[0, 1] == pytest.approx(eps[0] * f * eps[1] / (1.0 - f * f * (1 - eps[0]) * (1 - eps[1])), rel=1e-12)
