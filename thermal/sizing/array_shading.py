"""The share of the solar array's output that the other parts of the layout leave in the sun.

The sizing's array closes the orbit energy balance with ``per_m2 = S cos packing eta degradation
wiring regulator`` (:func:`thermal.sizing.design._size_cases`). With radiation exchange on
(``solver.radiation_exchange``), both thermal models take off the output the share of the cells
that the body and the radiators shade (:attr:`thermal.exposure.Exposure.wing_lit_share`,
:func:`power.solar_array.lit_output_fraction`), so the sizing must too, or the design it hands
the check comes short by that share. :func:`array_lit_output_fractions` gives, per orbit case of
the sizing, the factor on the array's output::

    f = sum_t sum_w A_w E_w(t) lit_output_fraction(l_w(t)) / sum_t sum_w A_w E_w(t)

over a uniform grid of :data:`ARRAY_SHADOW_STEPS` times of the orbit, where ``E_w(t)`` is the
direct sun on wing w's cell side (:func:`thermal.sizing.surroundings.side_flux`: zero in eclipse,
with the penumbra and the wing's tracking, the same incidence the exposure gives the power model)
and ``l_w(t)`` the share of that side no other part shades (:func:`thermal.exchange.lit_share`,
the tracing of the models' shadow tables: the same ray mesh and sample points). The weights are
what the wing would deliver unshaded, so ``f`` is the ratio of the orbit's shaded to unshaded
cell energy, and the sizing's array area, ``P_bus,sun / (per_m2 f)``, rises by ``1 / f``.

Assumptions, stated:

- **Efficiency independent of the shade**: the cells' efficiency is the sizing's (at
  ``sizing.array_temperature``) in the sun-weighted mean; the ratio of shaded to unshaded energy is
  then that of the lit, sun-weighted cell area (the power model's output is proportional to
  the lit share at every instant, :func:`power.solar_array.lit_output_fraction`: strings with
  bypass diodes, the shadow edge along the strings, an upper bound on the output).
- **Energy, not the sunlit bus power at each instant**: the sizing's balance is the orbit's energy
  (the battery carries the shortfall between instants), so the mean over the sunlit arc is the
  factor; a shadow that falls at one part of the arc makes the battery cycle a little deeper
  there, which the sizing's battery (sized on the eclipse) does not see.
- **Direct sun only**: the light that other parts reflect onto the cells and the albedo are not in
  the sizing's array balance (nor in the power model's output).
- **Geometry**: one layout serves every orbit case (the sun's direction in the body differs per
  case, so each is traced on its own directions); the layout is the sized module's, retraced with
  the radiator's surroundings until both the radiator and the array areas settle
  (:func:`thermal.sizing.run.surrounded_environment`).
- **The wings' heat is not moved by the shade**: the wings' temperature that the radiator's
  surroundings use (:func:`thermal.sizing.surroundings.wing_temperature_K`) takes the unshaded
  electric output off the wing (a shaded cell turns no sunlight into electricity, but neither
  absorbs the direct sun; the net change of the wing's heat is a few tenths of a percent of its
  sunlit balance at the 1 MW design's 0.6 % shade), and the array sized here takes the output alone.
- **No shading without exchange**: with ``solver.radiation_exchange: false`` the models do not
  shade the wings, and the factor is 1 (:func:`array_lit_output_fractions` returns None).
- **Sampling**: the models' tables are traced at 96 steps per orbit and smoothed to 24 harmonics;
  this mean is taken on :data:`ARRAY_SHADOW_STEPS` unsmoothed steps of the sunlit arc. The sample
  points are the models' (512 per side, the same points every step), so the Monte Carlo error of
  the lit share (0.5 / sqrt(512) = 2 % of a half-lit side at most) is common to the sizing and the
  models and does not open a gap between them.
"""

from __future__ import annotations

import numpy as np

from geometry.layout import part_list
from geometry.parts import SUN_POINTINGS
from geometry.spec import BusSpec
from power.solar_array import lit_output_fraction
from thermal.case.model import Case, EnvironmentConstants
from thermal.exchange import lit_share
from thermal.orbit import sun_vector_body
from thermal.sizing.surroundings import side_flux

#: Times per orbit at which the wings' shadow is traced for the sizing's array factor: 7.5 degrees
#: of orbit each (the models' 96 steps smoothed to 24 harmonics resolve a shadow edge to about a
#: 48th of the orbit; their sun-weighted means agree within 1e-3 on the 1 MW layout).
ARRAY_SHADOW_STEPS = 48


def array_lit_output_fractions(check: Case, orbits, env: EnvironmentConstants, attitude: str) -> np.ndarray | None:
    """Per orbit case (``orbits``: OrbitGeometry, or None for deep space), the share of the
    unshaded array output the wings of the check case's layout deliver over the orbit, the
    module doc's ``f`` [-]. None when the parts do not see each other
    (``solver.radiation_exchange: false``), the spacecraft is not a bus, or it has no wing: the
    factor is then 1."""
    spec = check.spacecraft
    if not check.solver.radiation_exchange or not isinstance(spec, BusSpec):
        return None
    parts = part_list(spec)
    wings = [p for p in parts.parts if p.role == "solar_array" and p.sides]
    if not wings:
        return None
    axes = {w.name: w.axis for w in spec.solar_arrays if w.pointing in SUN_POINTINGS}
    cells = [p.sides[0] for p in wings]          # the cell side, the front (as the exposure takes it)
    weights, suns = [], []
    for g in orbits:
        t = np.linspace(0.0, g.period_s, ARRAY_SHADOW_STEPS, endpoint=False) if g is not None else np.zeros(1)
        direct = np.array([side.area_m2 * side_flux(g, env, attitude, side.facing, axes.get(p.name), True,
                                                    t.tobytes())[0] for p, side in zip(wings, cells, strict=True)])
        lit = direct.sum(axis=0) > 0.0
        weights.append(direct[:, lit])
        sun = sun_vector_body(g, t, attitude) if g is not None else np.tile([0.0, 0.0, 1.0], (t.size, 1))
        suns.append(sun[lit])
    vf = check.solver.view_factors
    shares = lit_share(parts, spec, vf.patch_size_m, np.concatenate(suns), [s.name for s in cells])
    out = np.ones(len(weights))
    start = 0
    for i, w in enumerate(weights):
        share = shares[:, start:start + w.shape[1]]
        start += w.shape[1]
        if w.sum() > 0.0:
            out[i] = float(np.sum(w * lit_output_fraction(share)) / w.sum())
    out.setflags(write=False)
    return out


def array_shading_summary(senv, case_index: int) -> dict | None:
    """``sizing.array_shading`` of ``summary.json``: the wings' lit output share (the module doc's
    ``f``) in the orbit case that sizes the array (``case_index``), the array area's rise for it
    (``1 / f - 1``), and the least and largest share over the orbit cases. None when nothing shades
    the wings in the sizing (``solver.radiation_exchange: false``, no wing)."""
    f = senv.array_lit_output_fraction
    if f is None:
        return None
    return {"lit_output_fraction": float(f[case_index]), "area_rise": float(1.0 / f[case_index] - 1.0),
            "lit_output_fraction_min": float(f.min()), "lit_output_fraction_max": float(f.max())}
