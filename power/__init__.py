"""Electric power system of an orbital data centre: solar array, battery, loads.

Modelled on pvlib-python: a functional core of pure functions (:mod:`power.solar_array`,
:mod:`power.battery`, :mod:`power.loads`, :mod:`power.sizing`), published parameter sets as data
with their references (:mod:`power.cells`), and one orchestrating run
(:func:`power.system.simulate_power`) that the thermal solver calls with the array temperature
history.  SI floats throughout (K, W, s; Wh where a name says so).
"""

from .cells import BATTERY_CELLS, SOLAR_CELLS, BatteryCell, SolarCell
from .sizing import (array_mass_kg, battery_mass_kg, required_array_area_m2,
                     required_battery_capacity_Wh, required_sunlit_bus_power_W)
from .system import (BatteryConfig, LoadConfig, PeriodicPower, PowerTimeseries, SolarArrayConfig,
                     array_bus_power_per_area_W_m2, periodic_power, power_summary, simulate_power)

__all__ = [
    "SolarCell",
    "BatteryCell",
    "SOLAR_CELLS",
    "BATTERY_CELLS",
    "SolarArrayConfig",
    "BatteryConfig",
    "LoadConfig",
    "PowerTimeseries",
    "PeriodicPower",
    "simulate_power",
    "power_summary",
    "periodic_power",
    "array_bus_power_per_area_W_m2",
    "required_sunlit_bus_power_W",
    "required_array_area_m2",
    "required_battery_capacity_Wh",
    "array_mass_kg",
    "battery_mass_kg",
]
