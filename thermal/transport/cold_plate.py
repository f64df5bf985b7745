"""GPU cold plates: microchannel conductance and pressure drop, and the junction temperature.

Reference: Shah & London, *Laminar Flow Forced Convection in Ducts* (1978), fully developed
f Re and Nu_H1 for rectangular ducts.
"""


import numpy as np

from thermal.case.model import PumpedLoopSpec
from thermal.transport.convection import darcy_friction_factor, nusselt_tube, rectangular_duct_laminar, scalar_or_array
from thermal.transport.coolant import coolant_properties
from thermal.transport.fins import straight_fin_efficiency


def _cold_plate_channel_flow(loop: PumpedLoopSpec, temperature_K: float, plates_in_parallel: int):
    if not (isinstance(plates_in_parallel, (int, np.integer)) and plates_in_parallel >= 1):
        raise ValueError(f"plates_in_parallel must be an integer >= 1, got {plates_in_parallel!r}")
    g = loop.cold_plate_geometry
    props = coolant_properties(loop.coolant, temperature_K, loop.loop_pressure_Pa)
    m_channel = loop.flow_rate_kg_s / plates_in_parallel / g.channel_count
    area = g.channel_width_m * g.channel_height_m
    re = m_channel * g.hydraulic_diameter_m / (area * props.viscosity_Pa_s)
    return g, props, m_channel, area, re


def cold_plate_conductance_W_K(loop: PumpedLoopSpec, temperature_K: float, plates_in_parallel: int) -> float:
    """Conductance of one GPU cold plate, from its mounting face to the coolant [W/K].

    ``loop.cold_plate_conductance_W_K`` when given. Otherwise the microchannel model of
    ``loop.cold_plate_geometry`` (after Tuckerman & Pease 1981, IEEE EDL-2, 126):

    - flow per plate = loop flow / plates_in_parallel, divided equally between the channels;
    - film: Nu from :func:`nusselt_tube` with the hydraulic diameter and the Shah & London
      laminar Nu_H1 of the channel aspect ratio (fully developed: conservative, since the short
      channels are thermally developing);
    - channel walls as fins wetted on both faces, adiabatic at the lid; effective area per channel
      (w + 2 eta H) L;
    - plus 1-D conduction through the base over the finned footprint (spreading from a smaller die
      neglected).

    Parameters
    ----------
    loop : PumpedLoopSpec
    temperature_K : float
        Coolant temperature for the properties [K].
    plates_in_parallel : int
        Cold plates sharing the loop flow in parallel.

    Returns
    -------
    float
        [W/K].
    """
    if loop.cold_plate_conductance_W_K is not None:
        return float(loop.cold_plate_conductance_W_K)
    g, props, _, _, re = _cold_plate_channel_flow(loop, temperature_K, plates_in_parallel)
    _, nu_lam = rectangular_duct_laminar(g.aspect_ratio)
    h = nusselt_tube(re, props.prandtl, laminar_nusselt=nu_lam) * props.conductivity_W_mK / g.hydraulic_diameter_m
    eta = straight_fin_efficiency(g.channel_height_m, g.fin_thickness_m, g.conductivity_W_mK, 2.0 * h)
    area_eff = g.channel_count * g.channel_length_m * (g.channel_width_m + 2.0 * eta * g.channel_height_m)
    r_base = g.base_thickness_m / (g.conductivity_W_mK * g.finned_width_m * g.channel_length_m)
    return 1.0 / (1.0 / (h * area_eff) + r_base)


def cold_plate_pressure_drop_Pa(loop: PumpedLoopSpec, temperature_K: float, plates_in_parallel: int) -> float:
    """Pressure drop across one microchannel cold plate [Pa] (zero if a conductance was given).

    Darcy-Weisbach over the channel length with the Shah & London laminar f Re or Petukhov,
    times (1 + ``loop.minor_loss_fraction``) for the plenums.
    """
    if loop.cold_plate_conductance_W_K is not None:
        return 0.0
    g, props, m_channel, area, re = _cold_plate_channel_flow(loop, temperature_K, plates_in_parallel)
    f_re, _ = rectangular_duct_laminar(g.aspect_ratio)
    v = m_channel / (props.density_kg_m3 * area)
    f = darcy_friction_factor(re, laminar_f_re=f_re)
    return (1.0 + loop.minor_loss_fraction) * f * g.channel_length_m / g.hydraulic_diameter_m \
        * 0.5 * props.density_kg_m3 * v * v


def junction_temperature_K(cold_plate_or_coolant_temperature_K, gpu_power_W, junction_to_coolant_K_W):
    """GPU junction temperature, T_j = T_ref + P R [K].

    The reference must match the resistance: the library's ``junction_to_coolant_K_W`` includes the
    cold-plate film, so pair it with a coolant temperature (conservatively the cold-plate outlet,
    :attr:`LoopTemperatures.hot_K`); pair a junction-to-plate resistance with the plate temperature
    (:attr:`LoopTemperatures.source_K`). Do not add the cold-plate conductance twice.

    Parameters
    ----------
    cold_plate_or_coolant_temperature_K : float or array
        Reference temperature [K].
    gpu_power_W : float or array
        Dissipated power per GPU [W].
    junction_to_coolant_K_W : float
        Thermal resistance from junction to the reference [K/W].
    """
    return scalar_or_array(np.asarray(cold_plate_or_coolant_temperature_K, dtype=float)
                + np.asarray(gpu_power_W, dtype=float) * junction_to_coolant_K_W)
