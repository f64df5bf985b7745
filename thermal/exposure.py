"""What each radiating side receives from the environment over an orbit: one path for every surface.

For every side of every part (:func:`compute_exposure`), and for the radiator panel the sizing
sizes (:func:`environment_absorbed_W_m2`): the absorbed environmental flux
``alpha * (solar + albedo) + eps * earth_ir`` [W/m^2] (alpha at end or beginning of life, as the
case says), from the side's facing (:func:`facing_normal_body`, the one vocabulary of
:mod:`geometry.spec`) and :func:`thermal.environment.incident_flux`. The parts' table is sampled
over one orbit on a grid that resolves the penumbra and interpolated periodically in time; for
solar-array wings also the sun-normal irradiance and the cosine of incidence that the power model
needs. Deep space (no orbit) is constant in time. When the parts see each other (the case's
``solver.radiation_exchange``), the other parts' shadows, the Earth's blocked view and the light
they reflect are applied here (:mod:`thermal.exchange`), so both thermal models get them.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from geometry.parts import PartList
from geometry.spec import NAMED_DIRECTIONS, TRACKED_FACINGS, BusSpec, Facing
from thermal.case.model import EnvironmentConstants, ViewFactorConfig
from thermal.core.checks import need
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA
from thermal.core.library import COATINGS, Coating
from thermal.environment import incident_flux, orbit_average
from thermal.exchange import Exchange, compute_exchange, reflected_W_m2, tracking_normal
from thermal.orbit import (
    OrbitGeometry,
    body_axes_in_orbit_frame,
    nadir_vector_body,
    shadow_breakpoints_s,
    shadow_factor,
    sun_vector_body,
)

UNIFORM_SAMPLES_PER_ORBIT = 360
PENUMBRA_SAMPLES = 12


def periodic_interp(period_s: float | None, time_s: np.ndarray, table: np.ndarray, t) -> np.ndarray:
    """Linear interpolation of `table` (last axis on `time_s`, one closed orbit from 0) at time(s) t,
    periodic in `period_s`; with no period (deep space) the table is constant in time.

    The same numbers as ``numpy.interp`` row by row (its formula ``slope (x - x_j) + y_j``, the
    end value beyond the last sample), in one vectorised step for all rows: the thermal models call
    this at every right-hand-side evaluation."""
    if period_s is None:
        return table[..., 0] if np.ndim(t) == 0 else np.repeat(table[..., :1], np.size(t), axis=-1)
    phase = np.mod(t, period_s)
    if table.ndim == 1:
        return np.interp(phase, time_s, table)
    x = np.asarray(phase, dtype=float)
    j = np.clip(np.searchsorted(time_s, x, side="right") - 1, 0, time_s.size - 2)
    y0, y1 = table[..., j], table[..., j + 1]
    out = (y1 - y0) / (time_s[j + 1] - time_s[j]) * (x - time_s[j]) + y0
    return np.where(x >= time_s[-1], table[..., -1:] if x.ndim else table[..., -1], out)


#: A part gets "no direct sun" at an instant when what its sides would receive is below this share
#: of the most it receives over the orbit: the shadow fraction there is undefined (NaN).
NO_SUN_SHARE = 1e-6


@dataclass(frozen=True)
class PartSun:
    """The direct sun on each part's sides over the exposure grid, sum over sides of A S [W]:
    ``direct_W`` as if no other part were there, ``lit_W`` what the other parts leave (P, M).

    The shadow fraction of part i at time t is 1 - lit / direct (the share of the direct sun it
    would get that other parts block, area-weighted over its sides); its orbit average weighted by
    the direct sun, 1 - integral(lit) / integral(direct), is ``shadow_fraction_orbit_avg``."""
    parts: tuple[str, ...]
    direct_W: np.ndarray
    lit_W: np.ndarray

    def fraction(self, direct_W, lit_W, i: int) -> np.ndarray:
        """1 - lit / direct for part index i, NaN where the part gets no direct sun (eclipse, or every
        side turned away: below ``NO_SUN_SHARE`` of its orbit maximum)."""
        direct, lit = np.asarray(direct_W, float), np.asarray(lit_W, float)
        floor = NO_SUN_SHARE * float(np.max(self.direct_W[i], initial=0.0))
        sunny = direct > floor
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(sunny, 1.0 - lit / np.where(sunny, direct, 1.0), np.nan)


@dataclass(frozen=True)
class Exposure:
    period_s: float | None              # None: deep space, loads constant in time
    time_s: np.ndarray                  # (M,) table grid over [0, period]
    side_names: tuple[str, ...]
    absorbed_W_m2: np.ndarray           # (n_sides, M)
    sun_irradiance_W_m2: np.ndarray     # (M,) on a sun-normal plane, after the shadow factor
    in_shadow: np.ndarray               # (M,) shadow factor < 1
    wing_cos_incidence: dict[str, np.ndarray]   # wing part name -> (M,)
    exchange: Exchange | None = None    # view factors and shadow tables when the parts see each other
    shadow_fraction: dict[str, float | None] | None = None   # part -> orbit-average shadow fraction
    part_sun: PartSun | None = None   # per part, the direct sun with and without the other parts' shadows

    def _interp(self, table: np.ndarray, t) -> np.ndarray:
        return periodic_interp(self.period_s, self.time_s, table, t)

    def absorbed(self, t) -> np.ndarray:
        """(n_sides,) absorbed flux [W/m^2] at time t (or (n_sides, N) for an array of times)."""
        return self._interp(self.absorbed_W_m2, t)

    def shadowed(self, t) -> np.ndarray:
        """Whether the spacecraft is in the Earth's shadow (penumbra included) at time(s) t."""
        return self._interp(self.in_shadow.astype(float), t) > 0.5

    def irradiance(self, t) -> np.ndarray:
        return self._interp(self.sun_irradiance_W_m2, t)

    def cos_incidence(self, wing: str, t) -> np.ndarray:
        return self._interp(self.wing_cos_incidence[wing], t)

    def shadow_fractions(self, t) -> dict[str, np.ndarray]:
        """Per part, the share of its direct sun that other parts block at time(s) t
        (:meth:`PartSun.fraction`); empty without radiation exchange."""
        if self.part_sun is None:
            return {}
        direct, lit = self._interp(self.part_sun.direct_W, t), self._interp(self.part_sun.lit_W, t)
        return {name: self.part_sun.fraction(direct[i], lit[i], i) for i, name in enumerate(self.part_sun.parts)}


#: With ``eclipse: cylindrical`` the sun goes out and comes back in a step: the table carries each
#: edge as two samples this share of the period either side of it (0.57 ms in LEO, far above the
#: edges' root-finding tolerance of 1e-9 of the period), so that linear interpolation keeps the
#: step to within that and loses no sun (one sample on the edge lost half a sample interval of sun
#: at each edge: -3 % of the direct sun on a nadir plate).
STEP_EDGE_FRACTION = 1e-7


def table_times(geom: OrbitGeometry | None, eclipse_model: str) -> np.ndarray:
    """A time grid over one orbit: uniform, plus points that resolve each penumbra, or, for the
    cylindrical shadow's steps, a sample just before and just after each edge."""
    if geom is None:
        return np.array([0.0])
    period = geom.period_s
    times = [np.linspace(0.0, period, UNIFORM_SAMPLES_PER_ORBIT + 1)]
    edges = np.asarray(shadow_breakpoints_s(geom, eclipse_model) if eclipse_model != "none" else [], float)
    if eclipse_model == "cylindrical":
        delta = STEP_EDGE_FRACTION * period
        near = np.abs(times[0][:, None] - edges[None, :]).min(axis=1, initial=np.inf) <= delta
        times = [times[0][~near], edges - delta, edges + delta]    # no uniform sample inside a step
        return np.unique(np.concatenate(times))
    for a, b in pairwise(edges):
        if b - a < 120.0:  # a penumbra: refine it
            times.append(np.linspace(a, b, PENUMBRA_SAMPLES))
    times.append(edges)
    return np.unique(np.concatenate(times))


def compute_exposure(parts: PartList, spacecraft, geom: OrbitGeometry | None, env, attitude: str,
                     end_of_life: bool, view_factors: ViewFactorConfig | None = None,
                     sink_temperature_K: Mapping[str, float] | None = None) -> Exposure:
    """The absorbed flux of every side over one orbit (see the module doc).

    With ``view_factors`` (the case's ``solver.view_factors`` when ``solver.radiation_exchange``
    is on), the parts see each other (:mod:`thermal.exchange`): the direct sun on each side is
    scaled by the share of its area no other part shades at each time, albedo and Earth IR by the
    share that sees the Earth (along the nadir), and the light the other sides reflect is added to
    first order; :attr:`Exposure.exchange` then carries the view factors for the models' IR
    exchange, and :attr:`Exposure.shadow_fraction` each part's orbit-average shadow fraction."""
    times = table_times(geom, env.eclipse)
    sun = sun_vector_body(geom, times, attitude) if geom is not None else np.tile([0.0, 0.0, 1.0], (times.size, 1))
    axes = {}
    if isinstance(spacecraft, BusSpec):
        axes = {w.name: w.axis for w in spacecraft.solar_arrays if w.pointing == "sun_tracking"}
    names, solar, albedo, ir, alpha, eps, owner = [], [], [], [], [], [], []
    wing_cos = {}
    for part in parts.parts:
        tracking = tracking_normal(sun, axes.get(part.name)) if part.role == "solar_array" else None
        for side in part.sides:
            normal = facing_normal_body(side.facing, geom, attitude, times, tracking)
            flux = incident_flux(geom, env, attitude, normal, times)
            solar.append(np.broadcast_to(flux.solar_W_m2, times.shape))
            albedo.append(np.broadcast_to(flux.albedo_W_m2, times.shape))
            ir.append(np.broadcast_to(flux.earth_ir_W_m2, times.shape))
            alpha.append(side.coating.solar_absorptivity(end_of_life))
            eps.append(side.coating.emissivity)
            names.append(side.name)
            owner.append(part.name)
        if part.role == "solar_array":
            normal = facing_normal_body(part.sides[0].facing, geom, attitude, times, tracking)
            front = np.broadcast_to(normal, sun.shape)
            wing_cos[part.name] = np.clip(np.sum(front * sun, axis=1), 0.0, 1.0)
    S, A, H = (np.array(x, float).reshape(len(names), times.size) for x in (solar, albedo, ir))
    a, e = np.array(alpha, float), np.array(eps, float)
    exchange = shadow = part_sun = None
    if view_factors is not None and names:
        exchange = compute_exchange(parts, spacecraft, geom, attitude, times, view_factors.rays,
                                    view_factors.patch_size_m)
        k = exchange.index(names)
        lit_S = S * exchange.lit_sun[k]
        part_sun = _part_sun(parts, owner, names, S, lit_S)
        shadow = _shadow_fractions(part_sun, times, geom)
        S, A, H = lit_S, A * exchange.lit_earth[k], H * exchange.lit_earth[k]
        F = exchange.view.F[np.ix_(k, k)]
        reflected = reflected_W_m2(F, a, e, S + A, H)
    else:
        reflected = 0.0
    absorbed = a[:, None] * (S + A) + e[:, None] * H + reflected
    for part, T_sink in (sink_temperature_K or {}).items():
        rows = [k for k, o in enumerate(owner) if o == part]
        absorbed[rows] = (e[rows] * SIGMA * T_sink ** 4)[:, None]
    if geom is not None:
        factor = shadow_factor(geom, times, env.eclipse)
        irradiance = env.solar_constant_W_m2 / geom.solar_distance_au ** 2 * factor
    else:
        factor = np.ones_like(times)
        irradiance = np.full(times.shape, env.solar_constant_W_m2)
    return Exposure(period_s=geom.period_s if geom is not None else None, time_s=times, side_names=tuple(names),
                    absorbed_W_m2=absorbed, sun_irradiance_W_m2=irradiance, in_shadow=factor < 1.0,
                    wing_cos_incidence=wing_cos, exchange=exchange, shadow_fraction=shadow, part_sun=part_sun)


def _part_sun(parts: PartList, owner: list[str], names: list[str], direct: np.ndarray, lit: np.ndarray) -> PartSun:
    """Per part with radiating sides, sum over its sides of A S without and with the other parts'
    shadows, on the exposure grid (:class:`PartSun`)."""
    area = {s.name: s.area_m2 for p in parts.parts for s in p.sides}
    names_P, direct_W, lit_W = [], [], []
    for part in parts.parts:
        rows = [k for k, o in enumerate(owner) if o == part.name]
        if not rows:
            continue
        w = np.array([area[names[k]] for k in rows])
        names_P.append(part.name)
        direct_W.append(w @ direct[rows])
        lit_W.append(w @ lit[rows])
    return PartSun(tuple(names_P), np.array(direct_W).reshape(len(names_P), -1),
                   np.array(lit_W).reshape(len(names_P), -1))


def _shadow_fractions(sun: PartSun, times: np.ndarray, geom: OrbitGeometry | None) -> dict[str, float | None]:
    """Per part: the share of the direct sun its sides would receive over the orbit that other parts
    block, 1 - integral(A S_lit) / integral(A S) (None for a part that sees no sun)."""
    out: dict[str, float | None] = {}
    for i, name in enumerate(sun.parts):
        if geom is None:
            full, seen = float(sun.direct_W[i, 0]), float(sun.lit_W[i, 0])
        else:
            full = float(orbit_average(times, sun.direct_W[i]))     # the table spans [0, period]
            seen = float(orbit_average(times, sun.lit_W[i]))
        out[name] = 1.0 - seen / full if full > 0.0 else None
    return out


def _edge_on_normal(geom: OrbitGeometry, attitude: str, t: np.ndarray, sun: np.ndarray, nadir: np.ndarray):
    """Perpendicular to both the nadir and the sun (the orbit normal when they are aligned)."""
    cross = np.cross(nadir, sun)
    norm = np.linalg.norm(cross, axis=1, keepdims=True)
    orbit_normal = body_axes_in_orbit_frame(geom, t, attitude)[:, :, 2]   # body components of orbit z
    out = np.where(norm > 1e-9, cross / np.maximum(norm, 1e-300), orbit_normal)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def facing_normal_body(facing: Facing, geom: OrbitGeometry | None, attitude: str, time_s,
                       tracking: np.ndarray | None = None):
    """Outward normal of a side in body axes over time, from its facing (:mod:`geometry.spec`).

    A named direction or a vector is a fixed body direction, whatever the attitude; ``sun`` and
    ``anti_sun`` follow the sun (or, with ``tracking``, a wing's tracking normal); ``edge_on``
    stays perpendicular to both the nadir and the sun (body +x in deep space, where there is no
    Earth). Deep space (``geom`` None): the sun along body +z.

    Returns
    -------
    numpy.ndarray or str
        (3,) for a fixed direction, (N, 3) for a moving one, or 'sun' for a side that faces the
        sun itself (:func:`thermal.environment.incident_flux` takes it as is).
    """
    if facing == "sun" and tracking is None:
        return "sun"
    if facing in ("sun", "anti_sun"):
        if tracking is not None:
            return tracking if facing == "sun" else -tracking
        t = np.atleast_1d(np.asarray(time_s, dtype=float))
        sun = sun_vector_body(geom, t, attitude) if geom is not None else np.tile([0.0, 0.0, 1.0], (t.size, 1))
        return -sun
    if facing == "edge_on":
        if geom is None:
            return np.array([1.0, 0.0, 0.0])
        t = np.atleast_1d(np.asarray(time_s, dtype=float))
        return _edge_on_normal(geom, attitude, t, sun_vector_body(geom, t, attitude),
                               nadir_vector_body(geom, t, attitude))
    if isinstance(facing, str):
        need(facing in NAMED_DIRECTIONS, "facing", f"one of {(*NAMED_DIRECTIONS, *TRACKED_FACINGS)} or a vector",
             facing)
        return np.array(NAMED_DIRECTIONS[facing], dtype=float)
    v = np.asarray(facing, dtype=float)
    need(v.shape == (3,) and bool(np.all(np.isfinite(v))) and np.linalg.norm(v) > 0, "facing",
         "a non-zero vector [x, y, z]", facing)
    return v / np.linalg.norm(v)


@dataclass(frozen=True, eq=False)
class AbsorbedEnvironment:
    """Environmental flux absorbed by each radiating side of a flat radiator over one orbit.

    Attributes
    ----------
    time_s : numpy.ndarray
        (N,) times from orbit noon over one period, end point excluded [s].
    period_s : float
        Orbit period [s].
    absorbed_W_m2 : numpy.ndarray
        (N, n_sides) absorbed flux per side, ``alpha (solar + albedo) + eps earth_ir`` [W/m^2].
    sides : tuple of str
        ('front',) or ('front', 'back').
    absorptivity, emissivity : float
        Coating values used [-].
    """

    time_s: np.ndarray
    period_s: float
    absorbed_W_m2: np.ndarray
    sides: tuple
    absorptivity: float
    emissivity: float

    @property
    def total_W_m2(self) -> np.ndarray:
        """(N,) flux absorbed by all sides together, per m^2 of panel [W/m^2]."""
        return self.absorbed_W_m2.sum(axis=1)

    @property
    def orbit_average_W_m2(self) -> tuple:
        """Orbit-average absorbed flux of each side [W/m^2]."""
        avg = orbit_average(self.time_s, self.absorbed_W_m2, period_s=self.period_s)
        return tuple(float(v) for v in np.atleast_1d(avg))

    @property
    def peak_W_m2(self) -> tuple:
        """Maximum over the orbit of each side's absorbed flux, each at its own time [W/m^2]."""
        return tuple(float(v) for v in self.absorbed_W_m2.max(axis=0))

    @property
    def orbit_average_total_W_m2(self) -> float:
        """Orbit-average flux absorbed by all sides together [W/m^2]."""
        return float(sum(self.orbit_average_W_m2))

    @property
    def peak_total_W_m2(self) -> float:
        """Maximum over the orbit of the flux absorbed by all sides at the same time [W/m^2]."""
        return float(self.total_W_m2.max())

    def sizing_total_W_m2(self, basis: str = "peak") -> float:
        """Absorbed flux (all sides) that sizes the radiator on a basis [W/m^2].

        Parameters
        ----------
        basis : {'peak', 'orbit_average'}

        Returns
        -------
        float
            [W/m^2]
        """
        need(basis in ("peak", "orbit_average"), "basis", "'peak' or 'orbit_average'", basis)
        return self.peak_total_W_m2 if basis == "peak" else self.orbit_average_total_W_m2


@functools.lru_cache(maxsize=512)
def _incident_on_sides(geom, env, attitude, facing, two_sided, n_time):
    """Incident fluxes on the front (and back) over one orbit; cached, coating-independent."""
    period = geom.period_s if geom is not None else 1.0
    t = np.linspace(0.0, period, n_time, endpoint=False)
    front = facing_normal_body(facing, geom, attitude, t)
    back = facing_normal_body("anti_sun", geom, attitude, t) if isinstance(front, str) else -front
    normals = [front, back] if two_sided else [front]
    fluxes = tuple(incident_flux(geom, env, attitude, normal, t) for normal in normals)
    for flux in fluxes:
        for arr in (flux.solar_W_m2, flux.albedo_W_m2, flux.earth_ir_W_m2):
            arr.setflags(write=False)
    t.setflags(write=False)
    return t, period, fluxes


def environment_absorbed_W_m2(geom: OrbitGeometry | None, env: EnvironmentConstants = EnvironmentConstants(),
                              attitude: str = "nadir", facing: Facing = "edge_on", coating: Coating = COATINGS["osr"],
                              end_of_life: bool = True, *, two_sided: bool = True,
                              n_time: int = 360) -> AbsorbedEnvironment:
    """Environmental flux absorbed by a flat panel, per side, over one orbit: the radiator that the
    sizing sizes, on the same path as the parts of :func:`compute_exposure`.

    The front faces ``facing``; a two-sided panel's back faces the opposite way and carries the
    same coating. Each side absorbs ``alpha (solar + albedo) + eps earth_ir`` of the incident
    fluxes of :func:`thermal.environment.incident_flux`.

    Parameters
    ----------
    geom : OrbitGeometry or None
        The orbit; None for deep space at 1 AU.
    env : EnvironmentConstants
        Solar constant, albedo, OLR, eclipse and albedo models.
    attitude : {'nadir', 'sun'}, default 'nadir'
        Attitude law.
    facing : facing, default 'edge_on'
        Front normal (:func:`facing_normal_body`).
    coating : Coating, default ``COATINGS['osr']``
        Coating of the radiating sides.
    end_of_life : bool, default True
        Use the end-of-life solar absorptivity (the hot case).
    two_sided : bool, default True
        Whether the back radiates too; a one-sided radiator's back is insulated and neither
        absorbs nor emits.
    n_time : int, default 360
        Samples over the orbit (end point excluded) [-].

    Returns
    -------
    AbsorbedEnvironment
        Per-side absorbed flux, with its orbit averages and peaks [W/m^2].
    """
    c = coating
    need(isinstance(n_time, (int, np.integer)) and n_time >= 8, "n_time", "an integer >= 8", n_time)
    if not isinstance(facing, str):
        facing = tuple(float(v) for v in np.asarray(facing, dtype=float).ravel())
    t, period, fluxes = _incident_on_sides(geom, env, attitude, facing, bool(two_sided), int(n_time))
    alpha = c.solar_absorptivity(end_of_life)
    eps = c.emissivity
    cols = [flux.absorbed_W_m2(alpha, eps) for flux in fluxes]
    return AbsorbedEnvironment(
        time_s=t, period_s=period, absorbed_W_m2=np.stack(cols, axis=1),
        sides=("front", "back") if two_sided else ("front",),
        absorptivity=alpha, emissivity=eps,
    )
