"""Electric power system of an orbital data centre: solar array, battery, loads.

Modelled on pvlib-python: a functional core of pure functions (:mod:`power.solar_array`,
:mod:`power.battery`, :mod:`power.loads`, :mod:`power.sizing`), published parameter sets as data
with their references (:mod:`power.cells`), and one orchestrating run
(:func:`power.system.simulate_power`) that the thermal solver calls with the array temperature
history.  SI floats throughout (K, W, s; Wh where a name says so).
"""

from . import system
from .cells import BATTERY_CELLS, SOLAR_CELLS, BatteryCell, SolarCell
from .system import *  # noqa: F403  (power.system.__all__, its re-exported sizing helpers included)

__all__ = [
    "SolarCell",
    "BatteryCell",
    "SOLAR_CELLS",
    "BATTERY_CELLS",
    *system.__all__,
]
