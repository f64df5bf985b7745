"""Hand-sizing of the array and the battery from the orbit energy balance.

The array must, during the sunlit part of the orbit, carry the sunlit load and put back into
the battery what the eclipse load took out, including the battery's round-trip loss
(SMAD [1], eq. 11-5, with the direct path efficiency folded into the array's harness and
regulator factors)::

    P_bus,sun * (P - T_e) = L_sun * (P - T_e) + L_ecl * T_e / (eta_c * eta_d)

and the battery must deliver the eclipse energy without exceeding its depth of discharge::

    C = L_ecl * T_e / (DoD_max * eta_d)

Both are exact for the model in :mod:`power.battery` when the loads are constant over each
phase, the array output is constant in sunlight and the charge limit is not reached: a design
sized with them closes the orbit energy balance with the battery returning to full exactly
at eclipse entry and reaching the DoD floor exactly at eclipse exit.

References
----------
.. [1] J. R. Wertz and W. J. Larson (eds.), *Space Mission Analysis and Design*, 3rd ed.
   (1999), Sec. 11.4.
"""

from __future__ import annotations

from .cells import BatteryCell, SolarCell

__all__ = [
    "required_sunlit_bus_power_W",
    "required_array_area_m2",
    "required_battery_capacity_Wh",
    "array_mass_kg",
    "battery_mass_kg",
]


def required_sunlit_bus_power_W(sunlit_load_W, eclipse_load_W, period_s, eclipse_s,
                                charge_efficiency, discharge_efficiency):
    """Array power needed at the bus during sunlight to close the orbit energy balance [W].

    Parameters
    ----------
    sunlit_load_W : float
        Load in sunlight [W].
    eclipse_load_W : float
        Load in eclipse [W].
    period_s : float
        Orbit period [s].
    eclipse_s : float
        Eclipse duration [s], 0 <= eclipse_s < period_s.
    charge_efficiency, discharge_efficiency : float
        Battery energy efficiencies [-].

    Returns
    -------
    float
        Bus power in sunlight [W].
    """
    if not period_s > 0:
        raise ValueError(f"period_s: expected > 0, got {period_s!r}")
    if not 0 <= eclipse_s < period_s:
        raise ValueError(f"eclipse_s: expected 0 <= eclipse_s < period_s = {period_s!r}, got {eclipse_s!r}")
    sun_s = period_s - eclipse_s
    return sunlit_load_W + eclipse_load_W * eclipse_s / (sun_s * charge_efficiency * discharge_efficiency)


def required_array_area_m2(load_W, period_s, eclipse_s, *, cell_efficiency, charge_efficiency,
                           discharge_efficiency, eclipse_load_W=None, solar_irradiance_W_m2=1361.0,
                           cos_incidence=1.0, packing_factor=0.85, degradation_factor=1.0,
                           wiring_loss=0.0, regulator_efficiency=1.0):
    """Array area that closes the orbit energy balance.

    ``A = P_bus,sun / (S * cos * packing * eta * degradation * (1 - wiring) * eta_reg)``
    with ``P_bus,sun`` from :func:`required_sunlit_bus_power_W`.

    Parameters
    ----------
    load_W : float
        Load in sunlight (and in eclipse unless ``eclipse_load_W`` is given) [W].
    period_s : float
        Orbit period [s].
    eclipse_s : float
        Eclipse duration [s].
    cell_efficiency : float
        Cell efficiency at the sunlit operating temperature [-].
    charge_efficiency, discharge_efficiency : float
        Battery energy efficiencies [-].
    eclipse_load_W : float, optional
        Load in eclipse [W]; default ``load_W``.
    solar_irradiance_W_m2 : float, default 1361
        Solar irradiance [W/m^2].
    cos_incidence : float, default 1
        Mean cosine of incidence in sunlight [-].
    packing_factor : float, default 0.85
        Cell area / array area [-].
    degradation_factor : float, default 1
        End-of-life factor (1 to size at beginning of life) [-].
    wiring_loss : float, default 0
        Harness loss fraction [-].
    regulator_efficiency : float, default 1
        Array regulator efficiency [-].

    Returns
    -------
    float
        Array area [m^2].
    """
    L_ecl = load_W if eclipse_load_W is None else eclipse_load_W
    P_bus = required_sunlit_bus_power_W(load_W, L_ecl, period_s, eclipse_s, charge_efficiency,
                                        discharge_efficiency)
    per_m2 = (solar_irradiance_W_m2 * cos_incidence * packing_factor * cell_efficiency
              * degradation_factor * (1.0 - wiring_loss) * regulator_efficiency)
    if not per_m2 > 0:
        raise ValueError(f"array power per m^2 is {per_m2!r} W/m^2: check efficiency, incidence "
                         "and degradation inputs")
    return P_bus / per_m2


def required_battery_capacity_Wh(eclipse_load_W, eclipse_s, max_depth_of_discharge,
                                 discharge_efficiency, capacity_remaining_fraction=1.0):
    """Battery capacity that carries the eclipse load down to exactly its DoD floor.

    ``C = L_ecl * T_e / 3600 / (DoD_max * eta_d * remaining)``.

    Parameters
    ----------
    eclipse_load_W : float
        Load carried by the battery in eclipse [W].
    eclipse_s : float
        Eclipse duration [s].
    max_depth_of_discharge : float
        Allowed depth of discharge [-].
    discharge_efficiency : float
        Battery discharge energy efficiency [-].
    capacity_remaining_fraction : float, default 1
        Capacity left at the sizing epoch (e.g. end of life) over nameplate [-]; the result is
        the nameplate (beginning-of-life) capacity.

    Returns
    -------
    float
        Capacity [Wh].
    """
    if not 0 < max_depth_of_discharge <= 1:
        raise ValueError(f"max_depth_of_discharge: expected in (0, 1], got {max_depth_of_discharge!r}")
    if not 0 < capacity_remaining_fraction <= 1:
        raise ValueError("capacity_remaining_fraction: expected in (0, 1], got "
                         f"{capacity_remaining_fraction!r}")
    return (eclipse_load_W * eclipse_s / 3600.0
            / (max_depth_of_discharge * discharge_efficiency * capacity_remaining_fraction))


def array_mass_kg(area_m2, cell: SolarCell):
    """Blanket mass of an array, ``area * cell.areal_density_kg_m2`` [kg].

    Excludes booms, drive mechanisms and deployment structure.

    Parameters
    ----------
    area_m2 : float
        Array area [m^2].
    cell : SolarCell
        Cell (areal density of the blanket) [-].

    Returns
    -------
    float
        Mass [kg].
    """
    return area_m2 * cell.areal_density_kg_m2


def battery_mass_kg(capacity_Wh, cell: BatteryCell):
    """Battery pack mass, ``capacity / pack specific energy`` [kg].

    Parameters
    ----------
    capacity_Wh : float
        Nameplate capacity [Wh].
    cell : BatteryCell
        Cell (specific energy and pack factor).

    Returns
    -------
    float
        Mass [kg].
    """
    return capacity_Wh / cell.pack_specific_energy_Wh_kg
