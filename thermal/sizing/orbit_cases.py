"""The orbits a sizing sizes for: the case's own, or every orbit it sees over a year; and their
environment, computed once (:class:`SizingEnvironment`).

Each orbit case carries the fraction of the year it stands for (its weight): the 24 epochs of a
sun-synchronous year 1/24 each, and the case's own orbit, appended so that the check case runs
inside the sizing's envelope, none. The weights turn per-orbit figures into figures per year:
battery cycles (one per orbit with an eclipse) and the GPU-hours an eclipse schedule switches off.

Sizing at speed
---------------
The environment of an orbit case (period, eclipse, solar irradiance, the flux the radiator
absorbs over the orbit: :func:`thermal.exposure.environment_absorbed_W_m2`, which samples the
incident solar, albedo and Earth-infrared flux and the albedo kernel) does not depend on the
design point. :class:`SizingEnvironment` computes it once per orbit case and keeps it, so a
design point is a few array operations over the orbit cases (:mod:`thermal.sizing.design`).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import math
from dataclasses import dataclass, field

import numpy as np

from thermal.case.model import Case, EnvironmentConstants
from thermal.case.sizing import SizingConfig
from thermal.core.checks import need
from thermal.core.constants import HOURS_PER_YEAR
from thermal.exposure import environment_absorbed_W_m2, facing_normal_body
from thermal.orbit import OrbitGeometry, case_orbit, eclipse_duration_s, resolve_orbit, sun_vector_body
from thermal.sizing.surroundings import RadiatorSurroundings, design_body_temperature_K


def orbit_cases_beta_sweep(altitude_m: float, inclination_rad: float, n_beta: int = 9,
                           include_negative: bool = True) -> list[OrbitGeometry]:
    """Orbits at every beta angle a circular orbit of an inclination sees over a year.

    ``|beta| <= inclination + 23.44 deg`` (obliquity of the ecliptic), capped at 90 deg; for
    retrograde orbits the inclination is taken as 180 deg - i. Solar distance 1 AU.

    Parameters
    ----------
    altitude_m : float
        [m]
    inclination_rad : float
        [rad]
    n_beta : int, default 9
        Betas from 0 to the largest, evenly spaced [-].
    include_negative : bool, default True
        Add the negative betas (they differ for surfaces facing along the orbit normal).

    Returns
    -------
    list of OrbitGeometry
    """
    need(isinstance(n_beta, int) and n_beta >= 1, "n_beta", "an integer >= 1", n_beta)
    inc = min(abs(inclination_rad), math.pi - abs(inclination_rad))
    beta_max = min(inc + math.radians(23.44), 0.5 * math.pi)
    betas = list(np.linspace(0.0, beta_max, n_beta)) if n_beta > 1 else [0.0]
    if include_negative:
        betas += [-b for b in betas if b > 0.0]
    return [resolve_orbit(altitude_m, beta_rad=float(b)) for b in betas]


def orbit_cases_sun_synchronous(altitude_m: float, ltan_hours: float = 6.0, year: int = 2027,
                                n_epochs: int = 24) -> list[OrbitGeometry]:
    """A sun-synchronous orbit at evenly spaced epochs over a year (beta and solar distance).

    Parameters
    ----------
    altitude_m : float
        [m]
    ltan_hours : float, default 6
        Local time of the ascending node [h]; 6 or 18 for dawn-dusk.
    year : int, default 2027
    n_epochs : int, default 24
        Epochs, the first on 1 January at 12:00 UTC [-].

    Returns
    -------
    list of OrbitGeometry
    """
    need(isinstance(n_epochs, int) and n_epochs >= 1, "n_epochs", "an integer >= 1", n_epochs)
    start = _dt.datetime(year, 1, 1, 12, 0, tzinfo=_dt.UTC)
    step = _dt.timedelta(days=365.2422 / n_epochs)
    return [resolve_orbit(altitude_m, ltan_hours=ltan_hours, epoch=start + i * step)
            for i in range(n_epochs)]


def eclipse_s(geom: OrbitGeometry | None, env: EnvironmentConstants) -> float:
    """Eclipse duration, penumbra included [s] (0 in deep space)."""
    return eclipse_duration_s(geom, env.eclipse)


#: Orbit epochs over a year for ``orbit_cases: year`` with a sun-synchronous orbit [-].
YEAR_EPOCHS = 24


#: Beta angles (0 to the largest, both signs) for ``orbit_cases: year`` with an inclined orbit [-].
YEAR_BETAS = 7


def sizing_orbits(case: Case, sizing: SizingConfig) -> list:
    """The orbit cases to size for: the case's orbit, or every orbit it sees over a year (with the
    case's own orbit among them, so that the check case runs inside the sizing's envelope)."""
    return list(sizing_environment(case, sizing).orbits)


def sizing_environment(case: Case, sizing: SizingConfig) -> SizingEnvironment:
    """The orbit cases of :func:`sizing_orbits` with their environment and year weights.

    Weights: the case's orbit alone stands for the whole year (``orbit_cases: case``, a given beta,
    deep space); a sun-synchronous year's 24 epochs 1/24 each; an inclined orbit's beta sweep
    (0 to the largest beta, both signs) equal weights, ASSUMED: the beta of an inclined orbit
    sweeps its range with the node's precession, a time weighting this sweep does not resolve;
    the case's own orbit, appended, weight 0.
    """
    geom = case_orbit(case.orbit)
    o = case.orbit
    env = case.environment
    if geom is None or sizing.orbit_cases == "case" or o.beta_rad is not None:
        return SizingEnvironment.of([geom], env)
    if o.ltan_hours is not None:
        year = o.epoch.year if o.epoch is not None else 2027
        cases = orbit_cases_sun_synchronous(o.altitude_m, o.ltan_hours, year=year, n_epochs=YEAR_EPOCHS)
    else:
        cases = orbit_cases_beta_sweep(o.altitude_m, o.inclination_rad, n_beta=YEAR_BETAS)
    # the case's own orbit too: the check case runs it
    return SizingEnvironment.of(cases + [geom], env, weights=[1.0 / len(cases)] * len(cases) + [0.0])


@dataclass(frozen=True, eq=False)
class SizingEnvironment:
    """The orbit cases of a sizing with their environment, computed once for every design point.

    Attributes
    ----------
    orbits : tuple of OrbitGeometry or None
        The orbit cases (None: deep space at 1 AU, no eclipse).
    env : EnvironmentConstants
    weights : numpy.ndarray
        Fraction of the year each case stands for, summing to 1 [-].
    period_s, eclipse_s, beta_rad, solar_distance_au : numpy.ndarray
        Per case [s, s, rad, AU]; the eclipse with the penumbra (the case's eclipse model); a
        deep-space case has the period 5,400 s, beta 90 deg, 1 AU (its period only scales the
        array's energy balance, which has no eclipse there).
    surroundings : RadiatorSurroundings or None
        What the radiator sees of the wings and the body of the case's layout
        (:mod:`thermal.sizing.surroundings`), added to its environment; None: space and the Earth
        only.
    array_lit_output_fraction : numpy.ndarray or None
        Per case, the share of the unshaded array output the wings deliver with the other parts'
        shadow on them (:mod:`thermal.sizing.array_shading`), a factor on the array's output
        per m^2 in the sizing's energy balance [-]; None: nothing shades the wings (1).
    """

    orbits: tuple
    env: EnvironmentConstants
    weights: np.ndarray
    period_s: np.ndarray
    eclipse_s: np.ndarray
    beta_rad: np.ndarray
    solar_distance_au: np.ndarray
    surroundings: RadiatorSurroundings | None = None
    array_lit_output_fraction: np.ndarray | None = None
    _absorbed: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, orbits, env: EnvironmentConstants = EnvironmentConstants(), weights=None) -> SizingEnvironment:
        """The environment of orbit cases (a geometry, a sequence of them, or None for deep space);
        ``weights`` default equal."""
        cases = [orbits] if orbits is None or isinstance(orbits, OrbitGeometry) else list(orbits)
        need(len(cases) > 0 and all(g is None or isinstance(g, OrbitGeometry) for g in cases), "orbits",
             "an OrbitGeometry, a non-empty sequence of them, or None (deep space)", orbits)
        w = np.full(len(cases), 1.0 / len(cases)) if weights is None else np.asarray(weights, dtype=float)
        need(w.shape == (len(cases),) and bool(np.all(w >= 0)) and abs(float(w.sum()) - 1.0) < 1e-9, "weights",
             "one weight >= 0 per orbit case, summing to 1", weights)
        arrays = {k: np.array(v, dtype=float) for k, v in (
            ("period_s", [g.period_s if g is not None else 5400.0 for g in cases]),
            ("eclipse_s", [eclipse_s(g, env) for g in cases]),
            ("beta_rad", [g.beta_rad if g is not None else 0.5 * math.pi for g in cases]),
            ("solar_distance_au", [g.solar_distance_au if g is not None else 1.0 for g in cases]))}
        for a in (w, *arrays.values()):
            a.setflags(write=False)
        return cls(orbits=tuple(cases), env=env, weights=w, **arrays)

    def __len__(self) -> int:
        return len(self.orbits)

    @functools.cached_property
    def solar_W_m2(self) -> np.ndarray:
        """Solar irradiance per case [W/m^2]."""
        return self.env.solar_constant_W_m2 / np.where(
            np.array([g is not None for g in self.orbits]), self.solar_distance_au ** 2, 1.0)

    def with_surroundings(self, surroundings: RadiatorSurroundings | None,
                          array_lit_output_fraction: np.ndarray | None = None) -> SizingEnvironment:
        """The same orbit cases with the radiator's surroundings added to its environment and the
        wings' lit output share (per case) on the array's output."""
        need(array_lit_output_fraction is None or np.shape(array_lit_output_fraction) == (len(self),),
             "array_lit_output_fraction", f"one factor per orbit case ({len(self)})", array_lit_output_fraction)
        return dataclasses.replace(self, surroundings=surroundings,
                                   array_lit_output_fraction=array_lit_output_fraction, _absorbed={})

    @property
    def array_output_factor(self) -> np.ndarray:
        """Per case, the factor on the array's output per m^2: :attr:`array_lit_output_fraction`,
        ones without it [-]."""
        f = self.array_lit_output_fraction
        return np.ones(len(self)) if f is None else f

    def absorbed_total_W_m2(self, sizing) -> np.ndarray:
        """Flux absorbed by the sizing's radiator (all its sides) per case on its sizing basis
        [W/m^2], :func:`thermal.exposure.environment_absorbed_W_m2`, with what it absorbs from its
        surroundings (:attr:`surroundings`) added at every time before the peak or the average is
        taken; kept per radiator (coating, facing, sides, attitude, life, samples, basis)."""
        return self._absorbed_pair(sizing)[0]

    def surroundings_W_m2(self, sizing) -> np.ndarray:
        """Per case, how much the surroundings add to :meth:`absorbed_total_W_m2` [W/m^2] (zeros
        without surroundings)."""
        return self._absorbed_pair(sizing)[1]

    def _absorbed_pair(self, sizing) -> tuple[np.ndarray, np.ndarray]:
        r = sizing.radiator
        key = (r.coating, r.facing, r.two_sided, r.basis, sizing.attitude, sizing.coatings_end_of_life,
               sizing.samples_per_orbit)
        if self.surroundings is None:
            pair = self._absorbed.get(key)
            if pair is None:
                q = np.array([e.sizing_total_W_m2(r.basis) for e in self._environments(sizing)])
                q.setflags(write=False)
                pair = self._absorbed[key] = (q, np.zeros_like(q))
            return pair
        # with surroundings: the body's temperature moves with the design point, the rest is kept
        T_body = design_body_temperature_K(sizing)
        key_T = key + (sizing.arrays, sizing.power_end_of_life, T_body)
        pair = self._absorbed.get(key_T)
        if pair is None:
            series_key = key + (sizing.arrays, sizing.power_end_of_life, "series")
            series = self._absorbed.get(series_key)
            if series is None:
                series = self._absorbed[series_key] = self._surroundings_series(sizing)
            base, env, fixed, per_T4 = series
            if r.basis == "peak":       # the whole flux's peak, at whatever time it falls
                q = np.max(env + fixed + T_body**4 * per_T4, axis=1)
            else:                       # the orbit average is linear in each term
                q = env + fixed + T_body**4 * per_T4
            pair = (q, q - base)
            for a in pair:
                a.setflags(write=False)
            self._absorbed[key_T] = pair
        return pair

    def _surroundings_series(self, sizing) -> tuple:
        """(environment on the sizing basis (n_cases,), then the environment, the surroundings' fixed
        part and their coefficient of the body's T^4, all sides together: (n_cases, N) for the peak
        basis, their orbit averages (n_cases,) for the average basis) [W/m^2, W/m^2/K^4]."""
        r = sizing.radiator
        base, env, fixed, per_T4 = [], [], [], []
        for g, e in zip(self.orbits, self._environments(sizing), strict=True):
            f, p = self.surroundings.absorbed_parts_W_m2(g, self.env, sizing, e.time_s, r.two_sided)
            base.append(e.sizing_total_W_m2(r.basis))
            if r.basis == "peak":
                env.append(e.total_W_m2), fixed.append(f.sum(axis=1)), per_T4.append(p.sum(axis=1))
            else:
                env.append(e.orbit_average_total_W_m2)
                fixed.append(dataclasses.replace(e, absorbed_W_m2=f).orbit_average_total_W_m2)
                per_T4.append(dataclasses.replace(e, absorbed_W_m2=p).orbit_average_total_W_m2)
        return tuple(np.array(a) for a in (base, env, fixed, per_T4))

    def _environments(self, sizing) -> list:
        """The radiator's environment per orbit case (:func:`thermal.exposure.environment_absorbed_W_m2`)."""
        r = sizing.radiator
        return [environment_absorbed_W_m2(g, self.env, sizing.attitude, r.facing, r.coating,
                                          sizing.coatings_end_of_life, two_sided=r.two_sided,
                                          n_time=sizing.samples_per_orbit) for g in self.orbits]

    def drag_projections(self, sizing) -> tuple[float, float]:
        """Mean fraction of the radiator's and of the array's area that faces the flow, weighted
        over the year's orbit cases [-, -].

        In the nadir attitude the velocity is body +x (:data:`geometry.spec.NAMED_DIRECTIONS`):
        the radiator's fraction is the orbit mean of ``|n . x|`` for its facing; the array, sun
        pointing, shows ``|s . x|`` with ``s`` the sun direction (a single-axis array shows at
        least that). In the sun attitude, or in deep space, both are 1 (conservative: face on).
        """
        key = ("drag", sizing.radiator.facing, sizing.attitude, sizing.samples_per_orbit)
        out = self._absorbed.get(key)
        if out is None:
            rad, arr = [], []
            for g in self.orbits:
                if g is None or sizing.attitude != "nadir":
                    rad.append(1.0)
                    arr.append(1.0)
                    continue
                t = np.linspace(0.0, g.period_s, sizing.samples_per_orbit, endpoint=False)
                sun = sun_vector_body(g, t, "nadir")
                n = facing_normal_body(sizing.radiator.facing, g, "nadir", t)
                n = sun if isinstance(n, str) else n
                rad.append(float(np.mean(np.abs(np.atleast_2d(n)[:, 0]))))
                arr.append(float(np.mean(np.abs(sun[:, 0]))))
            out = (float(np.dot(self.weights, rad)), float(np.dot(self.weights, arr)))
            self._absorbed[key] = out
        return out

    @functools.cached_property
    def altitude_m(self) -> float:
        """Altitude of the orbit cases [m] (one altitude: the cases differ in epoch or beta); nan
        in deep space."""
        alts = {g.altitude_m for g in self.orbits if g is not None}
        need(len(alts) <= 1, "orbits", "orbit cases at one altitude", sorted(alts))
        return alts.pop() if alts else math.nan

    @functools.cached_property
    def inclination_rad(self) -> float | None:
        """Inclination of the orbit cases when known [rad]."""
        incs = [g.inclination_rad for g in self.orbits if g is not None and g.inclination_rad is not None]
        return incs[0] if incs else None

    @functools.cached_property
    def eclipsed_orbits_per_year(self) -> float:
        """Orbits with an eclipse in a year (HOURS_PER_YEAR): each case's orbits in its share of the year, counted
        when it has an eclipse [1/year]. One battery cycle each (:mod:`power.battery`)."""
        orbits = self.weights * HOURS_PER_YEAR * 3600.0 / self.period_s
        return float(np.sum(np.where(self.eclipse_s > 0.0, orbits, 0.0)))

    @functools.cached_property
    def eclipse_fraction_of_year(self) -> float:
        """Fraction of the year in eclipse, the weighted mean of eclipse over period [-]."""
        return float(np.sum(self.weights * self.eclipse_s / self.period_s))
