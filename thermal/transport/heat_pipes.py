"""Heat pipes: the network's conductance, effective length and capillary (Q * L_eff) limit.

References: Faghri, *Heat Pipe Science and Technology*, 2nd ed. (2016); Gilmore (2002) ch. 14.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from thermal.case.model import HeatPipeSpec
from thermal.core.errors import InfeasibleError
from thermal.transport.coolant import props_si


def heat_pipe_effective_length_m(evaporator_m: float, adiabatic_m: float, condenser_m: float) -> float:
    """Effective transport length L_eff = L_a + (L_e + L_c) / 2 [m] (Faghri 2016, ch. 4; Chi 1976).

    Valid for heat input and output uniform along the evaporator and condenser.
    """
    for name, v in (("evaporator_m", evaporator_m), ("adiabatic_m", adiabatic_m), ("condenser_m", condenser_m)):
        if not (math.isfinite(v) and v >= 0):
            raise ValueError(f"heat_pipe_effective_length_m: {name} must be >= 0, got {v!r}")
    return adiabatic_m + 0.5 * (evaporator_m + condenser_m)


@lru_cache(maxsize=1024)
def _ammonia_merit_number_cached(t: float) -> float:
    rho = props_si("D", "T", t, "Q", 0.0, "Ammonia")
    sigma = props_si("I", "T", t, "Q", 0.0, "Ammonia")
    mu = props_si("V", "T", t, "Q", 0.0, "Ammonia")
    h_fg = props_si("H", "T", t, "Q", 1.0, "Ammonia") - props_si("H", "T", t, "Q", 0.0, "Ammonia")
    return rho * sigma * h_fg / mu


def ammonia_merit_number(temperature_K: float) -> float:
    """Liquid transport factor of saturated ammonia, N_l = rho_l sigma h_fg / mu_l [W/m^2].

    The capillary limit of a wick scales with N_l (Faghri 2016, ch. 4). CoolProp properties
    (Gao et al. 2020; surface tension Mulero et al. 2012); valid 195.5 K to just below 405.6 K.
    """
    t = float(temperature_K)
    if not (195.5 <= t < 405.0):
        raise ValueError(f"ammonia merit number: temperature {t!r} K outside 195.5-405 K")
    return _ammonia_merit_number_cached(round(t, 2))


@dataclass(frozen=True)
class HeatPipeLimitCheck:
    """Outcome of :func:`check_heat_pipe_limit`."""
    transport_W_m: float      # Q * L_eff demanded
    capacity_W_m: float       # pipe_count * max_transport (temperature-scaled if asked)
    utilisation: float        # transport / capacity
    within_limit: bool


def check_heat_pipe_limit(spec: HeatPipeSpec, heat_W: float, effective_length_m: float, *,
                          temperature_K: float | None = None, strict: bool = False) -> HeatPipeLimitCheck:
    """Compare the demanded Q * L_eff with the capillary limit of the heat-pipe network.

    Parameters
    ----------
    spec : HeatPipeSpec
    heat_W : float
        Heat carried by the whole network [W].
    effective_length_m : float
        Effective transport length [m] (:func:`heat_pipe_effective_length_m`).
    temperature_K : float, optional
        Vapour temperature [K]. If given, the 20 degC capacity is scaled by the ammonia merit
        number ratio N_l(T) / N_l(293.15 K) (ammonia working fluid assumed); otherwise the 20 degC
        value is used as is.
    strict : bool
        Raise :class:`thermal.core.errors.InfeasibleError` when the limit is exceeded, instead of only
        flagging it.

    Returns
    -------
    HeatPipeLimitCheck
    """
    if not (math.isfinite(heat_W) and heat_W >= 0):
        raise ValueError(f"check_heat_pipe_limit: heat_W must be >= 0, got {heat_W!r}")
    if not (math.isfinite(effective_length_m) and effective_length_m > 0):
        raise ValueError(f"check_heat_pipe_limit: effective_length_m must be > 0, got {effective_length_m!r}")
    capacity = spec.pipe_count * spec.max_transport_W_m
    if temperature_K is not None:
        capacity *= ammonia_merit_number(temperature_K) / ammonia_merit_number(293.15)
    demand = heat_W * effective_length_m
    check = HeatPipeLimitCheck(demand, capacity, demand / capacity, demand <= capacity)
    if strict and not check.within_limit:
        raise InfeasibleError(
            f"heat-pipe capillary limit exceeded: Q*L_eff = {demand:.0f} W m > capacity {capacity:.0f} W m "
            f"({spec.pipe_count} pipe(s) x {spec.max_transport_W_m:g} W m at 20 degC"
            + ("" if temperature_K is None else f", scaled to {temperature_K:.1f} K") + "); "
            f"add at least {math.ceil(spec.pipe_count * check.utilisation) - spec.pipe_count} pipe(s), "
            "shorten the transport length or use a higher-capacity pipe")
    return check
