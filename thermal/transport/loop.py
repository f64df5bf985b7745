"""The pumped loop: radiator tubing, exchangers, the fluid march, pressure drop and pump power.

- :func:`radiator_tube_length_m`, :func:`radiator_circuit`: the radiator tubing and its parallel paths;
- :func:`tube_film_conductance_W_K`, :func:`panel_conductance_W_K`: the tube film in series with
  the panel's fin path (:mod:`thermal.transport.fins`);
- :func:`exchanger_effectiveness`, :func:`loop_conductance_W_K`, :func:`loop_temperatures`: a
  closed loop through two isothermal-wall exchangers (effectiveness-NTU), for the lumped network;
- :func:`fluid_march`, :func:`fluid_march_operator`: the fluid marched along a discretised path of
  wall temperatures (exact exponential per segment), for the finite-element model;
- :func:`pressure_drop_Pa`, :func:`pump_power_W`: Darcy-Weisbach with a minor-loss allowance;
- :func:`pumped_loop_network`: the conductances of one loop, for reporting.

References: Incropera et al. (2007) ch. 8 and 11; Kays & London (1984); Gilmore (2002) ch. 12
(see :mod:`thermal.transport`).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from thermal.case.model import PumpedLoopSpec
from thermal.core.checks import check_positive
from thermal.transport.cold_plate import cold_plate_conductance_W_K, cold_plate_pressure_drop_Pa
from thermal.transport.convection import (
    darcy_friction_factor,
    film_coefficient_W_m2K,
    scalar_or_array,
    tube_reynolds,
)
from thermal.transport.coolant import coolant_properties
from thermal.transport.fins import fin_conductance_W_K, fin_efficiency

# ------------------------------------------------------------------------------------------------
# Internal forced convection and friction
# ------------------------------------------------------------------------------------------------


# ------------------------------------------------------------------------------------------------
# Radiator tubing, fin and panel conductance
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadiatorCircuit:
    """How the radiator tubing is arranged: parallel paths fed by manifolds."""
    total_tube_length_m: float
    path_count: int
    path_length_m: float
    path_mass_flow_kg_s: float


def radiator_tube_length_m(loop: PumpedLoopSpec, radiator_area_m2: float) -> float:
    """Total tube length on the radiators, area / tube pitch [m].

    Parameters
    ----------
    loop : PumpedLoopSpec
        Gives the tube pitch.
    radiator_area_m2 : float
        Radiator panel area, one side [m^2].
    """
    check_positive("radiator_tube_length_m.radiator_area_m2", radiator_area_m2)
    return radiator_area_m2 / loop.radiator_tube_spacing_m


def radiator_circuit(loop: PumpedLoopSpec, total_tube_length_m: float) -> RadiatorCircuit:
    """Split the radiator tubing into parallel paths.

    ``loop.radiator_parallel_paths`` if given, else the fewest paths no longer than
    ``loop.radiator_path_length_m``. The loop flow divides equally between the paths (identical
    paths, balanced manifolds).

    Parameters
    ----------
    loop : PumpedLoopSpec
    total_tube_length_m : float
        Total tube length [m], e.g. :func:`radiator_tube_length_m`.
    """
    check_positive("radiator_circuit.total_tube_length_m", total_tube_length_m)
    n = loop.radiator_parallel_paths
    if n is None:
        n = max(1, math.ceil(total_tube_length_m / loop.radiator_path_length_m - 1e-9))
    return RadiatorCircuit(total_tube_length_m, n, total_tube_length_m / n, loop.flow_rate_kg_s / n)


def tube_film_conductance_W_K(loop: PumpedLoopSpec, radiator_area_m2: float, fluid_temperature_K: float) -> float:
    """Fluid-to-tube-wall conductance of all radiator tubing, h pi D L [W/K].

    h at the flow of one parallel path (:func:`radiator_circuit`); L the total tubing,
    area / pitch. For the finite-element model the conductance per unit tube length is
    this / :func:`radiator_tube_length_m`.

    Parameters
    ----------
    loop : PumpedLoopSpec
    radiator_area_m2 : float
        Radiator area, one side [m^2].
    fluid_temperature_K : float
        Bulk fluid temperature for the properties [K].
    """
    circuit = radiator_circuit(loop, radiator_tube_length_m(loop, radiator_area_m2))
    h = film_coefficient_W_m2K(loop, fluid_temperature_K, circuit.path_mass_flow_kg_s)
    return h * math.pi * loop.tube_inner_diameter_m * circuit.total_tube_length_m


def panel_conductance_W_K(loop: PumpedLoopSpec, radiator_area_m2: float, panel_thickness_m: float,
                          panel_conductivity_W_mK: float, emissivity_sides: Sequence[float], temperature_K: float,
                          fluid_temperature_K: float | None = None) -> float:
    """Fluid-to-panel conductance of the radiators (the loop's sink exchanger UA) [W/K].

    Film h pi D L (:func:`tube_film_conductance_W_K`) in series with the fin path from the tube
    to the area-mean panel temperature (:func:`fin_conductance_W_K`, fin half-width = pitch / 2).

    Assumptions: tube wall and tube-to-panel bond resistances neglected (add them in series if
    known); the strip over the tube is counted as fin (conservative); one uniform panel node,
    so the variation of the local panel temperature with the fluid along the flow is not
    represented (the finite-element model resolves it); both film and fin taken at one state.

    Parameters
    ----------
    loop : PumpedLoopSpec
    radiator_area_m2 : float
        Radiator area, one side [m^2].
    panel_thickness_m : float
        Panel thickness [m].
    panel_conductivity_W_mK : float
        In-plane panel conductivity [W/(m K)].
    emissivity_sides : sequence of float
        Emissivity of each radiating side (one or two values).
    temperature_K : float
        Panel temperature [K] (radiation linearisation).
    fluid_temperature_K : float, optional
        Fluid temperature for the film [K]; default ``temperature_K``.

    Returns
    -------
    float
        [W/K].
    """
    t_fluid = temperature_K if fluid_temperature_K is None else fluid_temperature_K
    g_film = tube_film_conductance_W_K(loop, radiator_area_m2, t_fluid)
    g_fin = fin_conductance_W_K(radiator_area_m2, 0.5 * loop.radiator_tube_spacing_m, panel_thickness_m,
                                panel_conductivity_W_mK, emissivity_sides, temperature_K)
    return 1.0 / (1.0 / g_film + 1.0 / g_fin)


# ------------------------------------------------------------------------------------------------
# Cold plates
# ------------------------------------------------------------------------------------------------


# ------------------------------------------------------------------------------------------------
# Closed loop through two exchangers (lumped network)
# ------------------------------------------------------------------------------------------------


def exchanger_effectiveness(ua_W_K, heat_capacity_rate_W_K):
    """Effectiveness of an exchanger whose wall is at one temperature, eps = 1 - exp(-UA / C).

    Kays & London (1984); Incropera eq. 11.36a (C_r = 0). eps = 1 for C = 0 or UA = inf.

    Parameters
    ----------
    ua_W_K : float or array
        Wall-to-fluid conductance [W/K], >= 0.
    heat_capacity_rate_W_K : float or array
        Fluid heat capacity rate m_dot cp [W/K], >= 0.
    """
    ua = np.asarray(ua_W_K, dtype=float)
    c = np.asarray(heat_capacity_rate_W_K, dtype=float)
    if np.any(np.isnan(ua)) or np.any(ua < 0) or np.any(np.isnan(c)) or np.any(c < 0):
        raise ValueError("exchanger_effectiveness: UA and C must be >= 0, "
                         f"got UA={ua_W_K!r}, C={heat_capacity_rate_W_K!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        ntu = np.where(c > 0, ua / np.where(c > 0, c, 1.0), np.inf)
    return scalar_or_array(-np.expm1(-ntu))


def loop_conductance_W_K(heat_capacity_rate_W_K, ua_source_W_K, ua_sink_W_K):
    """Source-to-sink conductance of a closed single-phase loop through two exchangers [W/K].

    Derivation. The fluid (heat capacity rate C = m_dot cp) leaves the sink exchanger at T_cold,
    is heated in the source exchanger (wall at T_src, conductance UA_src) to T_hot, and is cooled
    in the sink exchanger (wall at T_snk, UA_snk) back to T_cold. A fluid passing a wall at one
    temperature approaches it exponentially, so each exchanger transfers a fraction
    eps = 1 - exp(-UA/C) of the largest possible heat (Kays & London):

        Q = eps_src C (T_src - T_cold)        (source)
        Q = eps_snk C (T_hot - T_snk)         (sink)
        Q = C (T_hot - T_cold)                (energy balance of the fluid)

    Adding the first two written as temperature differences and subtracting the third,
    T_src - T_snk = (T_src - T_cold) + (T_hot - T_snk) - (T_hot - T_cold), so

        T_src - T_snk = Q [1/(eps_src C) + 1/(eps_snk C) - 1/C]
        G = Q / (T_src - T_snk) = 1 / (1/(eps_src C) + 1/(eps_snk C) - 1/C).

    Limits: both eps -> 1 gives G = C (transport limited by the fluid); C -> inf gives
    eps -> UA/C - (UA/C)^2/2, 1/(eps C) -> 1/UA + 1/(2C), so G -> 1/(1/UA_src + 1/UA_snk) (series
    conductances, fluid isothermal); C = 0 or either UA = 0 gives G = 0.

    Parameters
    ----------
    heat_capacity_rate_W_K : float or array
        m_dot cp of the loop [W/K].
    ua_source_W_K : float or array
        Source (cold plates) wall-to-fluid conductance [W/K]; N identical plates in parallel, each
        with conductance G and flow m_dot/N, act exactly as one exchanger with UA = N G.
    ua_sink_W_K : float or array
        Sink (radiator) fluid-to-panel conductance [W/K], e.g. :func:`panel_conductance_W_K`.

    Returns
    -------
    float or ndarray
        [W/K].
    """
    c = np.asarray(heat_capacity_rate_W_K, dtype=float)
    eps_src = np.asarray(exchanger_effectiveness(ua_source_W_K, c))
    eps_snk = np.asarray(exchanger_effectiveness(ua_sink_W_K, c))
    with np.errstate(divide="ignore", invalid="ignore"):
        resistance_times_c = 1.0 / eps_src + 1.0 / eps_snk - 1.0
        g = np.where((c > 0) & (eps_src > 0) & (eps_snk > 0), c / resistance_times_c, 0.0)
    return scalar_or_array(g)


class LoopTemperatures(NamedTuple):
    """Steady temperatures around a pumped loop [K]."""
    hot_K: float       # fluid leaving the cold plates, entering the radiators
    cold_K: float      # fluid leaving the radiators, entering the cold plates
    source_K: float    # cold-plate wall (mounting face)


def loop_temperatures(heat_W, sink_temperature_K, heat_capacity_rate_W_K, ua_source_W_K,
                      ua_sink_W_K) -> LoopTemperatures:
    """Fluid and cold-plate temperatures of a loop carrying Q to a sink (panel) temperature.

    From the relations of :func:`loop_conductance_W_K`:
    T_hot = T_snk + Q/(eps_snk C), T_cold = T_hot - Q/C, T_src = T_cold + Q/(eps_src C).

    Parameters
    ----------
    heat_W : float or array
        Heat carried by the loop [W].
    sink_temperature_K : float or array
        Radiator panel (sink wall) temperature [K].
    heat_capacity_rate_W_K : float or array
        m_dot cp [W/K], > 0.
    ua_source_W_K, ua_sink_W_K : float or array
        Exchanger conductances [W/K], > 0.

    Returns
    -------
    LoopTemperatures
        hot_K, cold_K, source_K [K]. For the GPU junction use ``hot_K`` with a junction-to-coolant
        resistance (library data), or ``source_K`` with a junction-to-plate resistance.
    """
    c = np.asarray(heat_capacity_rate_W_K, dtype=float)
    if np.any(c <= 0):
        raise ValueError(f"loop_temperatures: heat capacity rate must be > 0 W/K, got {heat_capacity_rate_W_K!r}")
    eps_src = np.asarray(exchanger_effectiveness(ua_source_W_K, c))
    eps_snk = np.asarray(exchanger_effectiveness(ua_sink_W_K, c))
    if np.any(eps_src <= 0) or np.any(eps_snk <= 0):
        raise ValueError("loop_temperatures: exchanger conductances must be > 0 W/K")
    q = np.asarray(heat_W, dtype=float)
    hot = np.asarray(sink_temperature_K, dtype=float) + q / (eps_snk * c)
    cold = hot - q / c
    source = cold + q / (eps_src * c)
    return LoopTemperatures(scalar_or_array(hot), scalar_or_array(cold), scalar_or_array(source))


# ------------------------------------------------------------------------------------------------
# Fluid march along a discretised path (finite-element coupling)
# ------------------------------------------------------------------------------------------------


class FluidMarch(NamedTuple):
    """Result of :func:`fluid_march`."""
    outlet_temperature_K: float | np.ndarray     # shape (...)
    segment_heat_W: np.ndarray                   # shape (..., N): heat from the fluid into each wall segment
    fluid_temperature_K: np.ndarray              # shape (..., N + 1): at the segment ends, inlet first


def fluid_march(inlet_temperature_K, wall_temperatures_K, segment_ua_W_K, heat_capacity_rate_W_K) -> FluidMarch:
    """March the fluid along a path of wall segments, exactly within each segment.

    In segment i the wall is at one temperature T_w,i and the fluid-to-wall conductance is UA_i;
    the fluid equation C dT/dx = -(UA_i/L_i)(T - T_w,i) gives, exactly,

        T_{i+1} = T_w,i + (T_i - T_w,i) exp(-UA_i / C),     q_i = C (T_i - T_{i+1}),

    so sum(q_i) = C (T_in - T_out) holds to rounding whatever the discretisation, and N segments at
    one wall temperature give the same outlet as one segment with the summed UA.

    Vectorised over any leading axes (independent paths or states); the march over the N
    segments of the last axis is sequential (O(N) numpy operations). C = 0 (no flow) gives no
    heat and fluid at the wall temperatures.

    Parameters
    ----------
    inlet_temperature_K : float or array, shape (...)
        Fluid inlet temperature [K].
    wall_temperatures_K : array, shape (..., N)
        Wall (panel) temperature of each segment, in flow order [K].
    segment_ua_W_K : float or array, broadcastable to (..., N)
        Fluid-to-wall conductance of each segment [W/K], >= 0 and finite (film h pi D dL, or the
        film and a fin path in series).
    heat_capacity_rate_W_K : float or array, shape (...)
        m_dot cp of the fluid on this path [W/K], >= 0.

    Returns
    -------
    FluidMarch
        outlet_temperature_K (...), segment_heat_W (..., N), fluid_temperature_K (..., N + 1).
    """
    t_wall = np.asarray(wall_temperatures_K, dtype=float)
    if t_wall.ndim < 1 or t_wall.shape[-1] < 1:
        raise ValueError("fluid_march: wall_temperatures_K needs at least one segment on its last axis")
    ua = np.broadcast_to(np.asarray(segment_ua_W_K, dtype=float), t_wall.shape)
    if np.any(~np.isfinite(ua)) or np.any(ua < 0):
        raise ValueError("fluid_march: segment UAs must be finite and >= 0 W/K")
    c = np.asarray(heat_capacity_rate_W_K, dtype=float)
    if np.any(np.isnan(c)) or np.any(c < 0):
        raise ValueError(f"fluid_march: heat capacity rate must be >= 0 W/K, got {heat_capacity_rate_W_K!r}")
    c_b = np.broadcast_to(c, t_wall.shape[:-1])[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ntu = np.where(c_b > 0, ua / np.where(c_b > 0, c_b, 1.0), np.inf)
    decay = np.exp(-ntu)                                   # (..., N)
    n = t_wall.shape[-1]
    fluid = np.empty(t_wall.shape[:-1] + (n + 1,))
    fluid[..., 0] = np.broadcast_to(np.asarray(inlet_temperature_K, dtype=float), t_wall.shape[:-1])
    for i in range(n):
        fluid[..., i + 1] = t_wall[..., i] + (fluid[..., i] - t_wall[..., i]) * decay[..., i]
    heat = c_b * (fluid[..., :-1] - fluid[..., 1:])
    return FluidMarch(scalar_or_array(fluid[..., -1]), heat, fluid)


def fluid_march_operator(segment_ua_W_K, heat_capacity_rate_W_K) -> tuple[np.ndarray, np.ndarray]:
    """The fluid march as a linear map: q = A @ T_wall + b * T_in.

    With a_i = exp(-UA_i / C) and P(i, k) = a_i ... a_{k-1} (P(k, k) = 1),
    q_k = C (1 - a_k) (T_k - T_w,k) and T_k = P(0, k) T_in + sum_{i<k} (1 - a_i) P(i+1, k) T_w,i, so

        A[k, i] = C (1 - a_k) (1 - a_i) P(i+1, k)   (i < k),   A[k, k] = -C (1 - a_k),   0 above,
        b[k]    = C (1 - a_k) P(0, k).

    For implicit coupling of the fluid to the finite-element wall temperatures (the heat into
    segment k depends on every wall segment upstream). Dense N x N: for paths of up to a few
    thousand segments.

    Parameters
    ----------
    segment_ua_W_K : array, shape (N,)
        Fluid-to-wall conductance of each segment [W/K], finite and >= 0.
    heat_capacity_rate_W_K : float
        m_dot cp [W/K], >= 0.

    Returns
    -------
    (ndarray (N, N), ndarray (N,))
        A [W/K] and b [W/K].
    """
    ua = np.atleast_1d(np.asarray(segment_ua_W_K, dtype=float))
    if ua.ndim != 1 or np.any(~np.isfinite(ua)) or np.any(ua < 0):
        raise ValueError("fluid_march_operator: segment UAs must be a 1-D array of finite values >= 0 W/K")
    c = float(heat_capacity_rate_W_K)
    n = ua.size
    if not c > 0:
        if c == 0:
            return np.zeros((n, n)), np.zeros(n)
        raise ValueError(f"fluid_march_operator: heat capacity rate must be >= 0 W/K, got {heat_capacity_rate_W_K!r}")
    ntu = ua / c
    one_minus_a = -np.expm1(-ntu)
    s = np.concatenate(([0.0], -np.cumsum(ntu)))           # s[k] = log P(0, k)
    k_idx, i_idx = np.tril_indices(n, -1)
    a_mat = np.zeros((n, n))
    a_mat[k_idx, i_idx] = c * one_minus_a[k_idx] * one_minus_a[i_idx] * np.exp(s[k_idx] - s[i_idx + 1])
    a_mat[np.arange(n), np.arange(n)] = -c * one_minus_a
    b = c * one_minus_a * np.exp(s[:-1])
    return a_mat, b


# ------------------------------------------------------------------------------------------------
# Pressure drop and pump power
# ------------------------------------------------------------------------------------------------


def pressure_drop_Pa(loop: PumpedLoopSpec, length_m: float, temperature_K: float,
                     mass_flow_kg_s: float | None = None, *, minor_loss_fraction: float | None = None) -> float:
    """Pressure drop of flow through a straight tube of the loop's diameter [Pa].

    Darcy-Weisbach, dp = f (L/D) rho v^2 / 2 with :func:`darcy_friction_factor` (laminar
    64/Re is Hagen-Poiseuille exactly), times (1 + minor-loss allowance).

    Parameters
    ----------
    loop : PumpedLoopSpec
    length_m : float
        Tube length [m], >= 0.
    temperature_K : float
        Fluid temperature for the properties [K].
    mass_flow_kg_s : float, optional
        Flow through the tube [kg/s]; default the whole loop flow.
    minor_loss_fraction : float, optional
        Minor-loss allowance as a fraction of the friction drop; default
        ``loop.minor_loss_fraction``.

    Returns
    -------
    float
        [Pa].
    """
    if not (math.isfinite(length_m) and length_m >= 0):
        raise ValueError(f"pressure_drop_Pa: length_m must be >= 0, got {length_m!r}")
    m = loop.flow_rate_kg_s if mass_flow_kg_s is None else float(mass_flow_kg_s)
    if m < 0:
        raise ValueError(f"pressure_drop_Pa: mass flow must be >= 0 kg/s, got {mass_flow_kg_s!r}")
    minor = loop.minor_loss_fraction if minor_loss_fraction is None else float(minor_loss_fraction)
    if m == 0 or length_m == 0:
        return 0.0
    props = coolant_properties(loop.coolant, temperature_K, loop.loop_pressure_Pa)
    d = loop.tube_inner_diameter_m
    v = m / (props.density_kg_m3 * 0.25 * math.pi * d * d)
    f = darcy_friction_factor(tube_reynolds(m, d, props.viscosity_Pa_s))
    return (1.0 + minor) * f * length_m / d * 0.5 * props.density_kg_m3 * v * v


def pump_power_W(loop: PumpedLoopSpec, total_length_m: float, temperature_K: float, *,
                 extra_pressure_drop_Pa: float = 0.0) -> float:
    """Electrical pump power to drive the flow through the radiator tubing, m_dot dp / (rho eta_pump) [W].

    The tubing of total length ``total_length_m`` is split into parallel paths by
    :func:`radiator_circuit` (one path of the whole length, carrying the whole flow, if
    ``loop.radiator_parallel_paths == 1``); dp is the drop across one path
    (:func:`pressure_drop_Pa`, minor losses included) plus ``extra_pressure_drop_Pa`` (e.g. the cold
    plates, :func:`cold_plate_pressure_drop_Pa`).

    Parameters
    ----------
    loop : PumpedLoopSpec
    total_length_m : float
        Total radiator tube length [m], e.g. :func:`radiator_tube_length_m`.
    temperature_K : float
        Fluid temperature for the properties [K].
    extra_pressure_drop_Pa : float
        Further drop in series at the full loop flow [Pa].

    Returns
    -------
    float
        [W].
    """
    circuit = radiator_circuit(loop, total_length_m)
    dp = pressure_drop_Pa(loop, circuit.path_length_m, temperature_K, circuit.path_mass_flow_kg_s)
    rho = coolant_properties(loop.coolant, temperature_K, loop.loop_pressure_Pa).density_kg_m3
    return loop.flow_rate_kg_s * (dp + float(extra_pressure_drop_Pa)) / (rho * loop.pump_efficiency)


# ------------------------------------------------------------------------------------------------
# Heat pipes
# ------------------------------------------------------------------------------------------------


# ------------------------------------------------------------------------------------------------
# GPU junction
# ------------------------------------------------------------------------------------------------


# ------------------------------------------------------------------------------------------------
# One pumped loop, wired together
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PumpedLoopNetwork:
    """Conductances and hydraulics of one pumped loop at one operating state."""
    heat_capacity_rate_W_K: float
    cold_plate_conductance_W_K: float      # per plate
    source_ua_W_K: float                   # all plates in parallel
    radiator_path_count: int
    radiator_path_reynolds: float
    film_coefficient_W_m2K: float
    film_conductance_W_K: float
    fin_efficiency: float
    fin_conductance_W_K: float
    sink_ua_W_K: float                     # film and fin in series
    loop_conductance_W_K: float
    radiator_pressure_drop_Pa: float
    cold_plate_pressure_drop_Pa: float
    pump_power_W: float


def pumped_loop_network(loop: PumpedLoopSpec, radiator_area_m2: float, panel_thickness_m: float,
                        panel_conductivity_W_mK: float, emissivity_sides: Sequence[float], cold_plates: int,
                        fluid_temperature_K: float, panel_temperature_K: float | None = None) -> PumpedLoopNetwork:
    """All conductances of a pumped loop from ``cold_plates`` GPU cold plates in parallel to the radiators.

    Properties at one fluid temperature (use the loop mean); radiation linearised at the panel
    temperature (default: the fluid temperature).

    Parameters
    ----------
    loop : PumpedLoopSpec
    radiator_area_m2 : float
        Radiator area, one side [m^2].
    panel_thickness_m : float
        [m].
    panel_conductivity_W_mK : float
        [W/(m K)].
    emissivity_sides : sequence of float
        Emissivity of each radiating side.
    cold_plates : int
        GPU cold plates in parallel.
    fluid_temperature_K : float
        [K].
    panel_temperature_K : float, optional
        [K].

    Returns
    -------
    PumpedLoopNetwork
    """
    t_panel = fluid_temperature_K if panel_temperature_K is None else panel_temperature_K
    props = coolant_properties(loop.coolant, fluid_temperature_K, loop.loop_pressure_Pa)
    c = loop.flow_rate_kg_s * props.specific_heat_J_kgK
    g_plate = cold_plate_conductance_W_K(loop, fluid_temperature_K, cold_plates)
    length = radiator_tube_length_m(loop, radiator_area_m2)
    circuit = radiator_circuit(loop, length)
    h = film_coefficient_W_m2K(loop, fluid_temperature_K, circuit.path_mass_flow_kg_s)
    g_film = h * math.pi * loop.tube_inner_diameter_m * length
    half = 0.5 * loop.radiator_tube_spacing_m
    eta = fin_efficiency(half, panel_thickness_m, panel_conductivity_W_mK, emissivity_sides, t_panel)
    g_fin = fin_conductance_W_K(radiator_area_m2, half, panel_thickness_m, panel_conductivity_W_mK,
                                emissivity_sides, t_panel)
    g_sink = 1.0 / (1.0 / g_film + 1.0 / g_fin)
    dp_rad = pressure_drop_Pa(loop, circuit.path_length_m, fluid_temperature_K, circuit.path_mass_flow_kg_s)
    dp_plate = cold_plate_pressure_drop_Pa(loop, fluid_temperature_K, cold_plates)
    return PumpedLoopNetwork(
        heat_capacity_rate_W_K=c,
        cold_plate_conductance_W_K=g_plate,
        source_ua_W_K=cold_plates * g_plate,
        radiator_path_count=circuit.path_count,
        radiator_path_reynolds=tube_reynolds(circuit.path_mass_flow_kg_s, loop.tube_inner_diameter_m,
                                             props.viscosity_Pa_s),
        film_coefficient_W_m2K=h,
        film_conductance_W_K=g_film,
        fin_efficiency=eta,
        fin_conductance_W_K=g_fin,
        sink_ua_W_K=g_sink,
        loop_conductance_W_K=loop_conductance_W_K(c, cold_plates * g_plate, g_sink),
        radiator_pressure_drop_Pa=dp_rad,
        cold_plate_pressure_drop_Pa=dp_plate,
        pump_power_W=pump_power_W(loop, length, fluid_temperature_K, extra_pressure_drop_Pa=dp_plate),
    )
