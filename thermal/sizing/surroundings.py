"""What the sizing's radiator sees of the other parts of its layout: the wings and the body.

The analytic sizing (:mod:`thermal.sizing.radiator`) balances the radiator against space and the
Earth. On a bus the radiator also sees the solar wings and the body: their infrared, the sunlight
they reflect, and through them a smaller share of cold space. :class:`RadiatorSurroundings` adds
that flux to the environment the radiator is sized against (:class:`thermal.sizing.orbit_cases.
SizingEnvironment`), per radiating side and over the orbit, so that the peak (or the orbit
average) is taken of the whole absorbed flux.

The model, per radiator side r (per m^2 of that side)::

    q_r(t) = sum_j eps_j A_j B_jr sigma T_j(t)^4 / A_r            (IR of wing and body side j)
           + alpha_r sum_j F_rj (1 - alpha_j) E_j(t)               (sunlight and albedo reflected by j)
           + a_IR,r sum_j F_rj (1 - a_IR,j) H_j(t)                 (Earth IR reflected by j)

summed over the sides j of every part that is not a radiator. F are the ray-traced view factors of
the case's own layout (:func:`thermal.exchange.compute_exchange`: Embree Monte Carlo, reciprocity
and closure enforced, averaged over the wings' tracking positions over the orbit, cached on disk
by geometry); B are Gebhart's absorption factors (:func:`thermal.exchange.gebhart`) with every
side's IR emissivity (the radiator's from the sizing's coating), so that the IR reaches r after
any number of diffuse reflections; E_j and H_j are the solar + albedo and Earth-IR fluxes incident
on side j (:func:`thermal.environment.incident_flux`, the wing's normal tracking the sun), a_IR
the IR absorptivity (the emissivity unless a coating says otherwise). Gebhart's B_jr is the share
of what j emits that r absorbs (with reciprocity ``a_j A_j B_jr = a_r A_r B_rj``, gray:
``eps_r B_rj sigma T_j^4`` per m^2 of r). The radiator's reduced view of space needs no term of
its own: the balance is emission minus absorption, and a part at T_j in the radiator's view returns
its IR where space returned nothing.

Assumptions, stated:

- **Wing temperature**: its own quasi-steady energy balance at every instant,
  ``(eps_f + eps_b) sigma T^4 = sum_sides (alpha E + eps H) - P_el(T)``, with the electric output
  at the cell terminals ``P_el = S cos packing eta(T) D`` (the sizing's array: efficiency at T,
  end-of-life degradation when the power is sized at end of life) taken out of the wing. The
  wing's thermal time constant is a few minutes (about 2 kJ/m^2/K against 4 eps sigma T^3 of two
  faces), short against the sunlit arc, so at the radiator's peak the wing is at its sunlit
  equilibrium; the IR the wing receives from the radiator and the body is left out of its balance
  (the radiator covers a small part of its view).
- **Body temperature**: the walls at the sizing's mean coolant temperature (the upper bound for
  walls warmed by electronics the loop cools; conservative; the body is a small part of the
  radiator's view).
- **The radiator's own emission reflected back to it** by the wings and the body (``B_rr``) is
  left out: it is ``sum_j F_rj (1 - eps_j) F_jr`` of its emission, under 0.5 % for the 1 MW layout
  (0.14 % measured; :meth:`RadiatorSurroundings.self_share` reports it).
- **The radiator is not shadowed** by the wings in the sizing (its direct environment is the
  unobstructed one of :func:`thermal.exposure.environment_absorbed_W_m2`): conservative.
- **Geometry**: the view factors of one layout serve every orbit case and every design point of
  the sizing. The layout is the sized module's (:func:`thermal.sizing.run.surrounded_environment`
  retraces it until the radiator and array areas settle within 1 %): the factors are exact for a layout
  scaled uniformly, but the radiator grows with what it absorbs while the wings follow the power
  and the body keeps its size (at 1 MW the radiator's view of the wings falls from 0.133 to about
  0.12 as the area grows by a fifth). The wings' positions over the orbit are those of the case's
  own orbit; in a dawn-dusk sun-synchronous orbit the sun's direction in the body changes by a
  few degrees in beta over the year.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from geometry.layout import part_list
from geometry.parts import SUN_POINTINGS
from geometry.spec import BusSpec
from thermal.case.model import Case, EnvironmentConstants
from thermal.case.sizing import SizingConfig
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
from thermal.environment import incident_flux
from thermal.exchange import compute_exchange, gebhart, tracking_normal
from thermal.exposure import facing_normal_body
from thermal.orbit import OrbitGeometry, case_orbit, sun_vector_body
from thermal.sizing.radiator import design_coolant_mean_K

_SIGMA = STEFAN_BOLTZMANN_W_M2K4


@dataclass(frozen=True, eq=False)
class OtherSide:
    """A radiating side the radiator sees: its part and role, facing, coating and, for a wing, its
    tracking axis (None: two-axis)."""
    name: str
    part: str
    role: str                      # 'solar_array', 'wall', ...
    facing: object
    front: bool                    # a wing's cell side
    area_m2: float
    absorptivity_bol: float
    absorptivity_eol: float
    emissivity: float
    ir_absorptivity: float
    axis: tuple | None


@dataclass(frozen=True, eq=False)
class RadiatorSurroundings:
    """The view factors from the radiator's sides to the other sides of the layout and to space.

    Attributes
    ----------
    radiator_sides : tuple of str
        The radiators' sides, fronts first then backs, radiator by radiator.
    radiator_front : numpy.ndarray
        (n_r,) bool: the side is a front (column 0 of the sizing's environment) [-].
    radiator_area_m2 : numpy.ndarray
        (n_r,) side areas [m^2].
    others : tuple of OtherSide
        The wing and body sides, (n_o,).
    F : numpy.ndarray
        (n_r + n_o, n_r + n_o) view factors among all those sides, radiator sides first [-].
    F_space : numpy.ndarray
        (n_r + n_o,) to space [-].
    sigma_max : float
        Largest Monte Carlo standard error of a view factor from a radiator side [-].
    """

    radiator_sides: tuple
    radiator_front: np.ndarray
    radiator_area_m2: np.ndarray
    others: tuple
    F: np.ndarray
    F_space: np.ndarray
    sigma_max: float

    @property
    def _n(self) -> int:
        return len(self.radiator_sides)

    def view_to(self, role: str | None) -> float:
        """Area-weighted view factor from the radiator sides to the sides of parts of ``role``
        ('solar_array', 'wall'), or to space with None [-]."""
        n, A = self._n, self.radiator_area_m2
        if role is None:
            return float(A @ self.F_space[:n] / A.sum())
        cols = [n + k for k, o in enumerate(self.others) if o.role == role]
        return float(A @ self.F[:n][:, cols].sum(axis=1) / A.sum()) if cols else 0.0

    def self_share(self, ir_absorptivity: float) -> float:
        """Area-weighted share of the radiator's emission that the other sides send back to it
        (Gebhart's B_rr summed over the radiator's sides, the part this model leaves out) [-]."""
        n, A = self._n, self.radiator_area_m2
        return float(A @ self._gebhart(ir_absorptivity)[:n, :n].sum(axis=1) / A.sum())

    def _gebhart(self, ir_absorptivity: float) -> np.ndarray:
        """Gebhart's factors among all the sides, the radiator's with ``ir_absorptivity``."""
        absorb = np.concatenate([np.full(self._n, ir_absorptivity), [o.ir_absorptivity for o in self.others]])
        return gebhart(self.F, self.F_space, absorb)[0]

    def absorbed_W_m2(self, geom: OrbitGeometry | None, env: EnvironmentConstants, sizing: SizingConfig,
                      time_s: np.ndarray, two_sided: bool) -> np.ndarray:
        """(N, n_sides) flux the radiator absorbs from the wings and the body over the orbit, per m^2
        of panel and per radiating side (front, back) of the sizing's radiator [W/m^2] (the
        module doc's model, on the times ``time_s`` of the sizing's environment), the body at
        :func:`design_body_temperature_K`."""
        fixed, per_body_T4 = self.absorbed_parts_W_m2(geom, env, sizing, time_s, two_sided)
        return fixed + design_body_temperature_K(sizing) ** 4 * per_body_T4

    def absorbed_parts_W_m2(self, geom: OrbitGeometry | None, env: EnvironmentConstants, sizing: SizingConfig,
                            time_s: np.ndarray, two_sided: bool) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`absorbed_W_m2` in two parts, ``fixed + T_body^4 per_body_T4``: the flux is linear in
        the body's T^4, so that a sizing whose design point moves the body temperature (the junction
        margin, the coolant rise) reuses the rest [W/m^2, W/m^2/K^4]."""
        n = self._n
        coating = sizing.radiator.coating
        eol = sizing.coatings_end_of_life
        alpha_r = coating.solar_absorptivity(eol)
        a_ir_r = coating.ir_absorptivity
        B = self._gebhart(a_ir_r)
        t = np.asarray(time_s, dtype=float)
        E, H, T4 = (np.zeros((len(self.others), t.size)) for _ in range(3))
        direct = np.zeros((len(self.others), t.size))
        wings: dict[str, list[int]] = {}
        seen = self.F[:n, n:].max(axis=0) > 0.0        # what reflects onto the radiator
        body = np.array([o.role != "solar_array" for o in self.others])
        for k, o in enumerate(self.others):
            if o.role == "solar_array":              # a wing's fluxes set its temperature too
                wings.setdefault(o.part, []).append(k)
            elif not seen[k]:
                continue
            direct[k], albedo, H[k] = side_flux(geom, env, sizing.attitude, o.facing, o.axis,
                                                 o.role == "solar_array", t.tobytes())
            E[k] = direct[k] + albedo
        absorb_eol = np.array([o.absorptivity_eol if eol else o.absorptivity_bol for o in self.others])
        for rows in wings.values():
            cells = next((k for k in rows if self.others[k].front), rows[0])
            T4[rows] = wing_temperature_K([self.others[k] for k in rows], E[rows], H[rows], absorb_eol[rows],
                                          _electric_W_m2(sizing, direct[cells])) ** 4
        eps_o = np.array([o.emissivity for o in self.others])
        a_ir_o = np.array([o.ir_absorptivity for o in self.others])
        A_o = np.array([o.area_m2 for o in self.others])
        F_ro = self.F[:n, n:]
        # what side j emits, eps_j A_j sigma T_j^4, times the share B_jr that side r absorbs, per m^2 of r
        emits = B[n:, :n].T * (eps_o * A_o * _SIGMA)[None, :] / self.radiator_area_m2[:, None]
        q = emits @ T4                                 # the wings (the body's T4 rows are zero)
        q += alpha_r * (F_ro @ ((1.0 - absorb_eol)[:, None] * E))
        q += a_ir_r * (F_ro @ ((1.0 - a_ir_o)[:, None] * H))
        per_body = np.repeat(emits[:, body].sum(axis=1)[:, None], t.size, axis=1)
        return self._per_panel(q, two_sided), self._per_panel(per_body, two_sided)

    def _per_panel(self, q: np.ndarray, two_sided: bool) -> np.ndarray:
        """(n_r, N) per m^2 of each radiator side -> (N, n_sides) per m^2 of panel, the sides of every
        radiator added up by front and back."""
        panel = self.radiator_area_m2[self.radiator_front].sum()
        front = (self.radiator_area_m2 * self.radiator_front) @ q / panel
        if not two_sided:
            return front[:, None]
        back = (self.radiator_area_m2 * ~self.radiator_front) @ q / panel
        return np.stack([front, back], axis=1)


@functools.lru_cache(maxsize=4096)
def side_flux(geom: OrbitGeometry | None, env: EnvironmentConstants, attitude: str, facing, axis, tracks: bool,
               time_bytes: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(direct solar, albedo, Earth IR) incident on a side over the times (``np.ndarray.tobytes``),
    :func:`thermal.environment.incident_flux`; a wing's side (``tracks``) follows the sun about its
    axis. Kept: the sides of the passes of :func:`thermal.sizing.run.surrounded_environment` face the
    same ways whatever the sizes [W/m^2]."""
    t = np.frombuffer(time_bytes, dtype=float)
    if tracks:
        sun = sun_vector_body(geom, t, attitude) if geom is not None else np.tile([0.0, 0.0, 1.0], (t.size, 1))
        normal = facing_normal_body(facing, geom, attitude, t, tracking_normal(sun, axis))
    else:
        normal = facing_normal_body(facing, geom, attitude, t)
    flux = incident_flux(geom, env, attitude, normal, t)
    out = tuple(np.array(np.broadcast_to(a, t.shape), dtype=float) for a in
                (flux.solar_W_m2, flux.albedo_W_m2, flux.earth_ir_W_m2))
    for a in out:
        a.setflags(write=False)
    return out


def design_body_temperature_K(sizing: SizingConfig) -> float:
    """The body walls' temperature the radiator sees in the sizing: the mean coolant temperature of
    the design point (:func:`thermal.sizing.radiator.design_coolant_mean_K`, given radiator
    temperature otherwise) [K]."""
    if sizing.radiator.temperature_K is not None:
        return sizing.radiator.temperature_K
    return design_coolant_mean_K(sizing)


def _electric_W_m2(sizing: SizingConfig, direct_W_m2: np.ndarray):
    """The wing's electric output at the cell terminals per m^2 of blanket, as a function of its
    temperature: ``S cos packing D eta(T)``, ``S cos`` the direct sun on its cell side (the sizing's
    array: efficiency at T, end-of-life degradation when the power is sized at end of life)."""
    arrays = sizing.arrays
    per_eta = direct_W_m2 * arrays.packing_factor * arrays.degradation_factor(sizing.power_end_of_life)
    return lambda T: per_eta * arrays.efficiency(T)


def wing_temperature_K(sides, absorbed_visible_W_m2: np.ndarray, earth_ir_W_m2: np.ndarray,
                       absorptivity: np.ndarray, electric_W_m2) -> np.ndarray:
    """A wing's quasi-steady temperature over the orbit (module doc):
    ``sum_sides eps sigma T^4 = sum_sides (alpha E + a_IR H) - P_el(T)``, ``P_el`` a function of the
    temperature. The fixed point ``T <- ((Q_in - P_el(T)) / (sum eps sigma))^(1/4)`` contracts by
    ``|dP_el/dT| / (4 sum eps sigma T^3)`` per pass, about 0.06 for cells losing 0.2 %/K at 330 K
    (0.8 against 13 W/m^2/K): thirty passes reach rounding [K]. ``absorbed_visible_W_m2`` and
    ``earth_ir_W_m2`` are (n_sides, N) incident fluxes."""
    eps = np.array([s.emissivity for s in sides])
    a_ir = np.array([s.ir_absorptivity for s in sides])
    heat_in = absorptivity @ absorbed_visible_W_m2 + a_ir @ earth_ir_W_m2
    T = (np.maximum(heat_in, 1e-9) / (eps.sum() * _SIGMA)) ** 0.25
    for _ in range(30):
        T = (np.maximum(heat_in - electric_W_m2(T), 1e-9) / (eps.sum() * _SIGMA)) ** 0.25
    return T


def radiator_surroundings(check: Case) -> RadiatorSurroundings | None:
    """The radiator's surroundings in the layout of a sizing's check case (one module,
    :func:`thermal.sizing.check.check_case`): the view factors ray traced at the wings' positions
    over the case's orbit (:func:`thermal.exchange.compute_exchange`, the case's
    ``solver.view_factors``; cached on disk by geometry). None when the parts do not see each other
    (``solver.radiation_exchange: false``) or the spacecraft has no radiator or nothing else that
    radiates."""
    spec = check.spacecraft
    if not check.solver.radiation_exchange or not isinstance(spec, BusSpec) or not spec.radiators:
        return None
    parts = part_list(spec)
    role = {p.name: p.role for p in parts.parts}
    axes = {w.name: w.axis for w in spec.solar_arrays if w.pointing in SUN_POINTINGS}
    sides = [(p, s) for p in parts.parts for s in p.sides]
    rad = [(p, s) for p, s in sides if p.role == "radiator"]
    others = [(p, s) for p, s in sides if p.role != "radiator"]
    if not others:
        return None
    geom = case_orbit(check.orbit)
    vf = check.solver.view_factors
    ex = compute_exchange(parts, spec, geom, check.attitude, np.array([0.0]), vf.rays, vf.patch_size_m, shadows=False)
    order = [s.name for _, s in rad] + [s.name for _, s in others]
    k = ex.index(order)
    n = len(rad)
    view = ex.view
    return RadiatorSurroundings(
        radiator_sides=tuple(order[:n]),
        radiator_front=np.array([s.name.endswith(".front") for _, s in rad]),
        radiator_area_m2=view.area_m2[k[:n]],
        others=tuple(OtherSide(name=s.name, part=p.name, role=role[p.name], facing=s.facing,
                               front=s.name.endswith(".front"), area_m2=float(view.area_m2[j]),
                               absorptivity_bol=s.coating.solar_absorptivity(False),
                               absorptivity_eol=s.coating.solar_absorptivity(True),
                               emissivity=s.coating.emissivity, ir_absorptivity=s.coating.ir_absorptivity,
                               axis=axes.get(p.name)) for (p, s), j in zip(others, k[n:], strict=True)),
        F=view.F[np.ix_(k, k)], F_space=view.F_space[k],
        sigma_max=float(np.max(view.sigma[k[:n]])))


def surroundings_summary(senv, sizing: SizingConfig, case_index: int) -> dict | None:
    """``sizing.radiator_surroundings`` of ``summary.json``: the radiator's view factors to the
    wings, the body and space (area-weighted over its sides, with the largest Monte Carlo error),
    the flux its surroundings add in the orbit case that sizes it [W/m^2 of panel, all sides], and
    the share of its own emission sent back to it that the model leaves out. None without
    surroundings (``solver.radiation_exchange: false``, no wing or body)."""
    s = senv.surroundings
    if s is None:
        return None
    return {"view_factor_wings": s.view_to("solar_array"), "view_factor_body": s.view_to("wall"),
            "view_factor_space": s.view_to(None), "view_factor_sigma_max": s.sigma_max,
            "absorbed_W_m2": float(senv.surroundings_W_m2(sizing)[case_index]),
            "body_temperature_K": design_body_temperature_K(sizing),
            "self_share": s.self_share(sizing.radiator.coating.ir_absorptivity)}
