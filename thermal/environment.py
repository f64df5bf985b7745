"""Incident environmental flux on a flat surface: direct sun, Earth albedo and Earth infrared.

The thermal models multiply these incident fluxes by each side's coating,
``absorbed = alpha * (solar + albedo) + eps * earth_ir``; this module returns the INCIDENT fluxes
per unit area [W/m^2] on a small flat surface with a given outward normal in body axes.

Models and assumptions
----------------------
- Direct sun: S / d_AU^2 * shadow_factor * max(0, n . s), sun at infinity for direction.
- Earth infrared: the outgoing long-wave radiation is emitted diffusely from a sphere of radius
  R_earth (uniform over the globe, the orbit-average design value), so the incident flux is
  OLR * F(plate -> Earth) with the exact differential-plate-to-sphere view factor
  (:func:`plate_earth_view_factor`).
- Albedo, ``albedo_model='integrated'`` (default): the Earth is a diffuse (Lambertian) reflector
  of uniform albedo a lit by parallel sunlight; the reflected radiance at a surface point is
  S a max(0, cos zeta) / pi (zeta = local solar zenith angle), integrated over the part of the
  Earth visible from the satellite and in front of the plate,

      q = S a / d_AU^2 * int max(0, cos zeta) max(0, cos theta_plate) cos theta_surface / (pi rho^2) dA,

  evaluated with a fixed product quadrature on the visible spherical cap (Gauss-Legendre in the
  Earth-central angle psi from the sub-satellite point, midpoint rule in azimuth). It shows the
  albedo seen near the terminator and in eclipse that the simpler model misses.
- Albedo, ``albedo_model='subsolar'``: the common engineering approximation
  S a F(plate -> Earth) max(0, cos(angle between sun and local zenith)) (Gilmore 2002, ch. 2),
  which treats the whole visible cap as if lit like the sub-satellite point. At the subsolar
  point it overestimates a nadir plate's albedo only slightly (0.4 % at 400 km, 0.7 % at
  550 km, 4 % at 2000 km), because the rim of the visible cap, lit at a slant, carries little
  weight; its larger errors are near the terminator (it drops to zero when the sub-satellite
  point enters night, while the lit limb is still in view) and for tilted plates.
- Deep space (``geom is None``, see :data:`DEEP_SPACE`): sun at 1 AU along body +z, no Earth.

References
----------
.. [1] J. R. Howell, M. P. Menguc, K. Daun, R. Siegel, *Thermal Radiation Heat Transfer*,
   7th ed., CRC Press, 2021, and Howell's online *A Catalog of Radiation Heat Transfer
   Configuration Factors*, section B (differential planar element to a sphere, element tilted
   with respect to the line to the sphere's centre).
.. [2] S. L. Rickman, "Introduction to On-Orbit Thermal Environments", TFAWS 2014, NASA
   (view factor of a plate to the Earth, albedo approximations).
.. [3] M. H. N. Naraghi, "Radiation view factors from differential plane sources to disks",
   J. Heat Transfer 110 (1988); view factors to spheres in the same series.
.. [4] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. 1, 2nd ed., The
   Aerospace Press, 2002, ch. 2 (environment, albedo approximation).
.. [5] G. Kopp and J. L. Lean, "A new, lower value of total solar irradiance", GRL 38, L01706,
   2011, doi:10.1029/2010GL045777 (1361 W/m^2).
.. [6] B. J. Anderson, C. G. Justus, G. W. Batts, "Guidelines for the Selection of Near-Earth
   Thermal Environment Parameters for Spacecraft Design", NASA/TM-2001-211221, 2001
   (albedo 0.30, OLR 237 W/m^2).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from thermal.case.model import ALBEDO_MODELS, EnvironmentConstants
from thermal.core.constants import (
    EARTH_RADIUS_M,
)
from thermal.orbit import (
    ATTITUDES,
    OrbitGeometry,
    nadir_vector_body,
    shadow_factor,
    sun_vector_body,
)

__all__ = [
    "DEEP_SPACE",
    "ALBEDO_MODELS",
    "DEFAULT_ALBEDO_QUADRATURE",
    "EnvironmentConstants",
    "IncidentFlux",
    "plate_earth_view_factor",
    "incident_flux",
    "orbit_average",
]

#: Pass as ``geom`` for deep space at 1 AU (``orbit: none``): sun along body +z, no Earth.
DEEP_SPACE = None


_trapezoid = getattr(np, "trapezoid", None) or np.trapz  # numpy < 2.0 spells it trapz

#: (nodes in Earth-central angle, nodes in azimuth) for the integrated albedo; converged to
#: better than 0.1 % of the peak in typical LEO cases and 0.3 % in the worst (tests/test_environment.py).
DEFAULT_ALBEDO_QUADRATURE = (24, 72)


@dataclass(frozen=True, eq=False)
class IncidentFlux:
    """Incident environmental fluxes on one surface, per unit area, over time.

    Attributes
    ----------
    solar_W_m2 : numpy.ndarray
        (N,) direct solar [W/m^2].
    albedo_W_m2 : numpy.ndarray
        (N,) Earth-reflected solar [W/m^2].
    earth_ir_W_m2 : numpy.ndarray
        (N,) Earth infrared [W/m^2].
    """

    solar_W_m2: np.ndarray
    albedo_W_m2: np.ndarray
    earth_ir_W_m2: np.ndarray

    def absorbed_W_m2(self, absorptivity, emissivity) -> np.ndarray:
        """Absorbed flux alpha (solar + albedo) + eps earth_ir [W/m^2] (grey in each band)."""
        return absorptivity * (self.solar_W_m2 + self.albedo_W_m2) + emissivity * self.earth_ir_W_m2


# --------------------------------------------------------------------------------------------
# View factor
# --------------------------------------------------------------------------------------------
def plate_earth_view_factor(radius_ratio, tilt_rad):
    """Exact view factor from a differential flat plate to a sphere.

    With H = r / R (distance of the plate from the sphere's centre over its radius) and tilt
    lambda the angle between the plate normal and the direction to the sphere's centre:

    - fully seeing, lambda <= acos(1/H):  F = cos(lambda) / H^2
    - partially seeing, |pi/2 - lambda| < asin(1/H):

      F = 1/2 - asin( sqrt(H^2-1) / (H sin lambda) ) / pi
          + [ cos(lambda) acos( -sqrt(H^2-1) cot(lambda) ) - sqrt(H^2-1) sqrt(1 - H^2 cos^2 lambda) ] / (pi H^2)

    - not seeing, lambda >= pi/2 + asin(1/H): F = 0.

    The branches join continuously; edge-on (lambda = pi/2) reduces to
    (asin(1/H) - sqrt(H^2-1)/H^2) / pi.

    Parameters
    ----------
    radius_ratio : float or array_like
        H = r / R >= 1 [-].
    tilt_rad : float or array_like
        Angle between plate normal and the direction to the sphere's centre [rad], in [0, pi]
        (0 = facing nadir, pi/2 = edge-on, pi = facing zenith).

    Returns
    -------
    float or numpy.ndarray
        View factor [-], broadcast over the inputs; a float for scalar inputs.

    References
    ----------
    Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*, section B
    (plane element to sphere, tilted);
    Rickman, TFAWS 2014; Naraghi (1988). Verified against numerical integration in
    tests/test_environment.py.
    """
    h = np.asarray(radius_ratio, dtype=float)
    lam = np.asarray(tilt_rad, dtype=float)
    if np.any(h < 1.0 - 1e-12) or np.any(~np.isfinite(h)):
        raise ValueError("radius_ratio H = r/R must be finite and >= 1 (the plate must be outside the sphere)")
    h, lam = np.broadcast_arrays(np.maximum(h, 1.0), np.clip(lam, 0.0, math.pi))
    cos_lam = np.cos(lam)
    sin_lam = np.sin(lam)
    half_cone = np.arcsin(1.0 / h)  # angular radius of the sphere seen from the plate
    full = lam <= 0.5 * math.pi - half_cone
    none_ = lam >= 0.5 * math.pi + half_cone
    part = ~(full | none_)

    out = np.where(full, cos_lam / (h * h), 0.0)
    if np.any(part):
        hp, cp, sp = h[part], cos_lam[part], sin_lam[part]
        root = np.sqrt(hp * hp - 1.0)
        term1 = 0.5 - np.arcsin(np.clip(root / (hp * sp), -1.0, 1.0)) / math.pi
        term2 = (
            cp * np.arccos(np.clip(-root * cp / sp, -1.0, 1.0))
            - root * np.sqrt(np.maximum(1.0 - hp * hp * cp * cp, 0.0))
        ) / (math.pi * hp * hp)
        out[part] = np.maximum(term1 + term2, 0.0)
    if out.ndim == 0:
        return float(out)
    return out


# --------------------------------------------------------------------------------------------
# Integrated albedo quadrature
# --------------------------------------------------------------------------------------------
def _cap_quadrature(radius_m: float, n_psi: int, n_phi: int):
    """Nodes on the Earth cap visible from radius r, in the local frame (u1, u2, k = zenith).

    Returns
    -------
    cos_psi, sin_psi_cos_phi : (Q,) arrays giving the surface normal n_P = cos psi k + sin psi (cos phi u1 + sin phi u2)
        (only the u1 and k components are needed for the solar zenith angle, the sun being in the k-u1 plane).
    direction : (Q, 3) unit vectors from the satellite to the node, components (k, u1, u2).
    weight : (Q,) cos(theta_surface) dA / (pi rho^2), so that sum(weight * cos(theta_plate)) is a view factor.
    """
    if n_psi < 2 or n_phi < 4:
        raise ValueError(f"albedo quadrature needs at least (2, 4) nodes, got ({n_psi}, {n_phi})")
    r = radius_m
    big_r = EARTH_RADIUS_M
    psi_max = math.acos(big_r / r)
    x, w = np.polynomial.legendre.leggauss(n_psi)
    psi = 0.5 * psi_max * (x + 1.0)
    w_psi = 0.5 * psi_max * w
    phi = (np.arange(n_phi) + 0.5) * (2.0 * math.pi / n_phi)
    w_phi = 2.0 * math.pi / n_phi
    psi_g, phi_g = np.meshgrid(psi, phi, indexing="ij")
    cos_psi = np.cos(psi_g).ravel()
    sin_psi = np.sin(psi_g).ravel()
    cos_phi = np.cos(phi_g).ravel()
    sin_phi = np.sin(phi_g).ravel()
    rho = np.sqrt(big_r**2 + r**2 - 2.0 * big_r * r * cos_psi)  # satellite-to-node distance
    direction = np.stack(
        [(big_r * cos_psi - r) / rho, big_r * sin_psi * cos_phi / rho, big_r * sin_psi * sin_phi / rho],
        axis=1,
    )
    cos_surface = (r * cos_psi - big_r) / rho
    weight = (big_r**2 * sin_psi * np.repeat(w_psi, n_phi) * w_phi) * cos_surface / (math.pi * rho**2)
    return cos_psi, sin_psi * cos_phi, direction, weight


def _perpendicular_unit(k: np.ndarray) -> np.ndarray:
    """A unit vector perpendicular to each row of k."""
    trial = np.where(np.abs(k[:, [0]]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    u = trial - np.sum(trial * k, axis=1, keepdims=True) * k
    return u / np.linalg.norm(u, axis=1, keepdims=True)


class _TimeGeometry:
    """Per-time quantities shared by every surface of one run (cached)."""

    def __init__(self, geom: OrbitGeometry, attitude: str, time_s: np.ndarray):
        self.sun = sun_vector_body(geom, time_s, attitude)
        self.nadir = nadir_vector_body(geom, time_s, attitude)
        zenith = -self.nadir
        self.cos_sun_zenith = np.sum(self.sun * zenith, axis=1)  # at the sub-satellite point
        s_perp = self.sun - self.cos_sun_zenith[:, None] * zenith
        s_perp_norm = np.linalg.norm(s_perp, axis=1)
        degenerate = s_perp_norm < 1e-12
        u1 = np.where(
            degenerate[:, None], _perpendicular_unit(zenith), s_perp / np.maximum(s_perp_norm, 1e-300)[:, None]
        )
        u2 = np.cross(zenith, u1)
        self.local_axes = np.stack([zenith, u1, u2], axis=1)  # (N, 3, 3): rows k, u1, u2 in body
        self.sin_sun_zenith = np.where(degenerate, 0.0, s_perp_norm)
        self.shadow: dict[str, np.ndarray] = {}
        self.albedo_kernels: dict[tuple[int, int], tuple] = {}
        self._geom = geom
        self._time_s = time_s.copy()

    def shadow_factor(self, model: str) -> np.ndarray:
        if model not in self.shadow:
            self.shadow[model] = shadow_factor(self._geom, self._time_s, model)
        return self.shadow[model]

    def albedo_kernel(self, quadrature: tuple[int, int]):
        """Rows with any lit node, their directions (Q,3), and weight * max(0, cos zeta) (n_lit, Q)."""
        if quadrature not in self.albedo_kernels:
            cos_psi, sin_psi_cos_phi, direction, weight = _cap_quadrature(self._geom.radius_m, *quadrature)
            cos_zeta = (
                self.cos_sun_zenith[:, None] * cos_psi[None, :]
                + self.sin_sun_zenith[:, None] * sin_psi_cos_phi[None, :]
            )
            np.maximum(cos_zeta, 0.0, out=cos_zeta)
            lit = np.flatnonzero(np.any(cos_zeta > 0.0, axis=1))
            kernel = cos_zeta[lit] * weight[None, :]
            self.albedo_kernels[quadrature] = (lit, direction, kernel)
        return self.albedo_kernels[quadrature]


_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 8


def _time_geometry(geom: OrbitGeometry, attitude: str, time_s: np.ndarray) -> _TimeGeometry:
    key = (geom, attitude, time_s.shape, time_s.tobytes())
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    value = _TimeGeometry(geom, attitude, time_s)
    _CACHE[key] = value
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


# --------------------------------------------------------------------------------------------
# Incident flux
# --------------------------------------------------------------------------------------------
def _normals(normal_body, n_times: int) -> np.ndarray:
    normal = np.asarray(normal_body, dtype=float)
    if normal.shape == (3,):
        normal = np.broadcast_to(normal, (n_times, 3))
    elif normal.shape != (n_times, 3):
        raise ValueError(f"normal_body must be 'sun', shape (3,) or ({n_times}, 3), got shape {normal.shape}")
    norm = np.linalg.norm(normal, axis=1, keepdims=True)
    if np.any(~np.isfinite(norm)) or np.any(norm < 1e-12):
        raise ValueError("normal_body must be a finite non-zero vector")
    return normal / norm


def incident_flux(
    geom: OrbitGeometry | None,
    env: EnvironmentConstants,
    attitude: str,
    normal_body,
    time_s,
    *,
    albedo_quadrature: tuple[int, int] | None = None,
) -> IncidentFlux:
    """Incident solar, albedo and Earth-IR flux on a flat surface over time.

    Parameters
    ----------
    geom : OrbitGeometry or None
        The orbit; None (:data:`DEEP_SPACE`) for deep space at 1 AU, sun along body +z.
    env : EnvironmentConstants
        Solar constant, albedo, OLR, eclipse and albedo models.
    attitude : {'nadir', 'sun'}
        Attitude law, see :mod:`thermal.orbit` (ignored in deep space).
    normal_body : array_like or 'sun'
        Outward unit normal in body axes, shape (3,) or (N, 3) (normalised here), or 'sun'
        for a sun-tracking surface whose normal is the sun vector.
    time_s : float or array_like
        Time since orbit noon [s], shape (N,).
    albedo_quadrature : (int, int), optional
        Nodes (Earth-central angle, azimuth) of the integrated-albedo quadrature; default
        :data:`DEFAULT_ALBEDO_QUADRATURE`.

    Returns
    -------
    IncidentFlux
        (N,) incident fluxes [W/m^2].

    Notes
    -----
    Per-time geometry (sun and nadir vectors, shadow factor, lit part of the albedo kernel) is
    cached for the last few (geom, attitude, time) combinations, so that calling this for
    every surface of a spacecraft costs one small matrix product per surface.
    """
    time_s = np.atleast_1d(np.asarray(time_s, dtype=float))
    if time_s.ndim != 1:
        raise ValueError(f"time_s must be one-dimensional, got shape {time_s.shape}")
    n = time_s.size
    is_sun_tracking = isinstance(normal_body, str)
    if is_sun_tracking and normal_body != "sun":
        raise ValueError(f"normal_body must be a vector or 'sun', got {normal_body!r}")
    solar_1au = env.solar_constant_W_m2

    if geom is None:  # deep space: body +z toward the sun at 1 AU
        if is_sun_tracking:
            solar = np.full(n, solar_1au)
        else:
            solar = solar_1au * np.maximum(_normals(normal_body, n)[:, 2], 0.0)
        zeros = np.zeros(n)
        return IncidentFlux(solar_W_m2=solar, albedo_W_m2=zeros, earth_ir_W_m2=zeros.copy())

    if attitude not in ATTITUDES:
        raise ValueError(f"attitude must be one of {ATTITUDES}, got {attitude!r}")
    tg = _time_geometry(geom, attitude, time_s)
    normal = tg.sun if is_sun_tracking else _normals(normal_body, n)
    solar_here = solar_1au / geom.solar_distance_au**2

    shadow = tg.shadow_factor(env.eclipse)
    cos_sun = np.ones(n) if is_sun_tracking else np.maximum(np.sum(normal * tg.sun, axis=1), 0.0)
    solar = solar_here * shadow * cos_sun

    radius_ratio = geom.radius_m / EARTH_RADIUS_M
    tilt = np.arccos(np.clip(np.sum(normal * tg.nadir, axis=1), -1.0, 1.0))
    view_factor = plate_earth_view_factor(radius_ratio, tilt)
    earth_ir = env.earth_ir_W_m2 * view_factor

    if env.albedo == 0.0:
        albedo = np.zeros(n)
    elif env.albedo_model == "subsolar":
        albedo = solar_here * env.albedo * view_factor * np.maximum(tg.cos_sun_zenith, 0.0)
    else:
        lit, direction, kernel = tg.albedo_kernel(albedo_quadrature or DEFAULT_ALBEDO_QUADRATURE)
        albedo = np.zeros(n)
        if lit.size:
            # normal in the local (k, u1, u2) frame of each lit time, then cos(theta_plate) per node
            normal_local = np.einsum("nij,nj->ni", tg.local_axes[lit], normal[lit])
            cos_plate = normal_local @ direction.T
            np.maximum(cos_plate, 0.0, out=cos_plate)
            albedo[lit] = solar_here * env.albedo * np.einsum("nq,nq->n", cos_plate, kernel)
    return IncidentFlux(solar_W_m2=solar, albedo_W_m2=albedo, earth_ir_W_m2=earth_ir)


def orbit_average(time_s, values, *, period_s: float | None = None):
    """Time average of a periodic sample by the trapezoid rule.

    Parameters
    ----------
    time_s : array_like
        (N,) increasing sample times [s]. Without ``period_s`` the sample should span whole
        orbits with both ends included (e.g. ``np.linspace(0, P, N)``).
    values : array_like
        (N,) or (N, ...) values, time along axis 0.
    period_s : float, optional
        When given, the sample is one period starting at ``time_s[0]`` whose end point is not
        repeated: the last interval closes on ``time_s[0] + period_s`` with ``values[0]``.

    Returns
    -------
    float or numpy.ndarray
        The average, in the unit of ``values``.
    """
    t = np.asarray(time_s, dtype=float)
    v = np.asarray(values, dtype=float)
    if t.ndim != 1 or v.shape[:1] != t.shape or t.size < 2:
        raise ValueError("orbit_average needs at least two times and values with time along axis 0")
    if np.any(np.diff(t) <= 0.0):
        raise ValueError("orbit_average needs strictly increasing times")
    if period_s is not None:
        if not t[-1] < t[0] + period_s:
            raise ValueError("orbit_average: the sample must lie within one period from its first time")
        t = np.append(t, t[0] + period_s)
        v = np.concatenate([v, v[:1]], axis=0)
    mean = _trapezoid(v, t, axis=0) / (t[-1] - t[0])
    if np.ndim(mean) == 0:
        return float(mean)
    return mean
