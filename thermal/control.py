"""Thermal control: the laws of the thermostatic heaters and of the radiator bypass valve, which
both thermal models apply (one place, so the network and the finite-element model agree).

**Heaters** (``thermal.heaters``): a heater delivers its full power at or below its setpoint, none
at the setpoint plus its deadband, and in between a share proportional to how far below the top
of the band its sensed temperature is (:func:`heater_power_W`); the sensor is the part's mean
temperature (``sense: mean``) or its coldest point (``sense: min``: in the finite-element model the
part's coldest node; the network model's part is one node, its mean and its minimum). This is
the proportional (cycle-averaged) form of the usual on/off thermostat that switches on at the
setpoint and off at the setpoint plus the deadband: over the minutes of a thermostat cycle both
deliver the power the part needs and hold it within the band; the on/off cycle itself, and its
ripple of at most the deadband, is not resolved. The heaters' electric power is drawn from the
power system (a bus load) and all of it becomes heat in the part.

**Bypass** (``thermal.transport.bypass``): a valve at the loop's radiator inlet sends a share f of
the flow through the radiators and the rest around them (:func:`bypass_fraction`): f = 1 at or
above the setpoint plus the band, ``min_fraction`` at or below the setpoint, linear in between,
sensed on the coolant leaving the cold plates. The radiator branch then carries the loop's heat
with the capacity rate f m_dot c_p; the radiator's exchange with its panel keeps the conductance
UA of full flow (fully developed laminar flow has a film coefficient independent of the velocity;
in turbulent flow h ~ V^0.8 and a reduced flow lowers UA further: the valve then opens a little
more, the law is unchanged) and the effectiveness becomes 1 - exp(-UA / (f C))
(:func:`branch_conductance_W_K`). The pump's power is that of full flow (the bypass line is
assumed to be trimmed to the radiator branch's pressure drop).
"""

from __future__ import annotations

import numpy as np


def heater_power_W(T_K, setpoint_K: float, power_W: float, deadband_K: float) -> tuple[np.ndarray, np.ndarray]:
    """Heater power at the sensed temperature ``T_K`` and its derivative d/dT [W], [W/K]."""
    T = np.asarray(T_K, float)
    x = (setpoint_K + deadband_K - T) / deadband_K
    inside = (x > 0.0) & (x < 1.0)
    return power_W * np.clip(x, 0.0, 1.0), np.where(inside, -power_W / deadband_K, 0.0)


def bypass_fraction(T_coolant_K, setpoint_K: float, band_K: float, min_fraction: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The share of the loop flow through the radiators and its derivative d/dT [-], [1/K]."""
    T = np.asarray(T_coolant_K, float)
    x = min_fraction + (1.0 - min_fraction) * (T - setpoint_K) / band_K
    inside = (x > min_fraction) & (x < 1.0)
    return np.clip(x, min_fraction, 1.0), np.where(inside, (1.0 - min_fraction) / band_K, 0.0)


def branch_conductance_W_K(fraction, capacity_rate_W_K: float, ua_W_K: float) -> tuple[np.ndarray, np.ndarray]:
    """The radiator branch's coolant-to-panel conductance f C (1 - exp(-UA / (f C))) at the flow
    share ``fraction`` of the full capacity rate C, and its derivative d/df [W/K]."""
    f = np.asarray(fraction, float)
    rate = f * capacity_rate_W_K
    ntu = ua_W_K / rate
    decay = np.exp(-ntu)
    G = rate * (1.0 - decay)
    dG_df = capacity_rate_W_K * (1.0 - decay - ntu * decay)
    return G, dG_df
