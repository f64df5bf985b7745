"""What each radiating side of the spacecraft receives from the environment over an orbit.

For every side of every part: the absorbed environmental flux
``alpha * (solar + albedo) + eps * earth_ir`` [W/m^2] (alpha at end or beginning of life, as the
case says), tabulated over one orbit on a grid that resolves the penumbra, and interpolated
periodically in time. For solar-array wings also the sun-normal irradiance and the cosine of
incidence that the power model needs. Deep space (no orbit) is constant in time.
"""

from dataclasses import dataclass

import numpy as np

from geometry.parts import PartList
from geometry.spec import NAMED_DIRECTIONS, BusSpec
from thermal.environment import incident_flux
from thermal.orbit import OrbitGeometry, shadow_breakpoints_s, shadow_factor, sun_vector_body

UNIFORM_SAMPLES_PER_ORBIT = 360
PENUMBRA_SAMPLES = 12


def periodic_interp(period_s: float | None, time_s: np.ndarray, table: np.ndarray, t) -> np.ndarray:
    """Linear interpolation of `table` (last axis on `time_s`, one closed orbit) at time(s) t,
    periodic in `period_s`; with no period (deep space) the table is constant in time."""
    if period_s is None:
        return table[..., 0] if np.ndim(t) == 0 else np.repeat(table[..., :1], np.size(t), axis=-1)
    phase = np.mod(t, period_s)
    if table.ndim == 1:
        return np.interp(phase, time_s, table)
    return np.array([np.interp(phase, time_s, row) for row in table])


@dataclass(frozen=True)
class Exposure:
    period_s: float | None              # None: deep space, loads constant in time
    time_s: np.ndarray                  # (M,) table grid over [0, period]
    side_names: tuple[str, ...]
    absorbed_W_m2: np.ndarray           # (n_sides, M)
    sun_irradiance_W_m2: np.ndarray     # (M,) on a sun-normal plane, after the shadow factor
    in_shadow: np.ndarray               # (M,) shadow factor < 1
    wing_cos_incidence: dict[str, np.ndarray]   # wing part name -> (M,)

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


def table_times(geom: OrbitGeometry | None, eclipse_model: str) -> np.ndarray:
    """A time grid over one orbit: uniform, plus points that resolve each penumbra."""
    if geom is None:
        return np.array([0.0])
    period = geom.period_s
    times = [np.linspace(0.0, period, UNIFORM_SAMPLES_PER_ORBIT + 1)]
    edges = shadow_breakpoints_s(geom, eclipse_model) if eclipse_model != "none" else []
    for a, b in zip(edges[:-1], edges[1:]):
        if b - a < 120.0:  # a penumbra: refine it
            times.append(np.linspace(a, b, PENUMBRA_SAMPLES))
    times.append(np.asarray(edges, float))
    return np.unique(np.concatenate(times))


def _tracking_normal(sun_body: np.ndarray, axis: np.ndarray | None) -> np.ndarray:
    """Normal of a wing that tracks the sun about `axis` (None: two-axis, the normal is the sun)."""
    if axis is None:
        return sun_body
    a = np.asarray(axis, float) / np.linalg.norm(axis)
    projected = sun_body - np.outer(sun_body @ a, a)
    norm = np.linalg.norm(projected, axis=1, keepdims=True)
    fallback = np.cross(a, [1.0, 0.0, 0.0] if abs(a[0]) < 0.9 else [0.0, 1.0, 0.0])
    return np.where(norm > 1e-9, projected / np.maximum(norm, 1e-12), fallback / np.linalg.norm(fallback))


def compute_exposure(parts: PartList, spacecraft, geom: OrbitGeometry | None, env, attitude: str,
                     end_of_life: bool) -> Exposure:
    times = table_times(geom, env.eclipse)
    sun = sun_vector_body(geom, times, attitude) if geom is not None else np.tile([0.0, 0.0, 1.0], (times.size, 1))
    axes = {}
    if isinstance(spacecraft, BusSpec):
        axes = {w.name: w.axis for w in spacecraft.solar_arrays if w.pointing == "sun_tracking"}
    names, rows = [], []
    wing_cos = {}
    for part in parts.parts:
        tracking = _tracking_normal(sun, axes.get(part.name)) if part.role == "solar_array" else None
        for side in part.sides:
            normal = _side_normal(side.facing, sun, tracking)
            flux = incident_flux(geom, env, attitude, normal, times)
            alpha = side.coating.solar_absorptivity(end_of_life)
            rows.append(alpha * (flux.solar_W_m2 + flux.albedo_W_m2) + side.coating.emissivity * flux.earth_ir_W_m2)
            names.append(side.name)
        if part.role == "solar_array":
            front = np.broadcast_to(_side_normal(part.sides[0].facing, sun, tracking), sun.shape)
            wing_cos[part.name] = np.clip(np.sum(front * sun, axis=1), 0.0, 1.0)
    if geom is not None:
        shadow = shadow_factor(geom, times, env.eclipse)
        irradiance = env.solar_constant_W_m2 / geom.solar_distance_au ** 2 * shadow
    else:
        shadow = np.ones_like(times)
        irradiance = np.full(times.shape, env.solar_constant_W_m2)
    return Exposure(period_s=geom.period_s if geom is not None else None, time_s=times, side_names=tuple(names),
                    absorbed_W_m2=np.array(rows), sun_irradiance_W_m2=irradiance, in_shadow=shadow < 1.0,
                    wing_cos_incidence=wing_cos)


def _side_normal(facing, sun: np.ndarray, tracking: np.ndarray | None):
    """Outward normal of a side over time: (3,), (N, 3) or 'sun'."""
    if facing == "sun":
        return "sun" if tracking is None else tracking
    if facing == "anti_sun":
        return -(sun if tracking is None else tracking)
    if isinstance(facing, str):
        return np.array(NAMED_DIRECTIONS[facing])
    return np.asarray(facing, float)
