"""Checks of values handed to the model-level types (the case reader has its own, with key paths).

One place for the test every frozen dataclass of the physics makes in ``__post_init__``: a bad
value raises ``ValueError("<Type.field>: expected <what>, got <value>")``. The case reader never
lets such a value through (it raises :class:`thermal.core.errors.CaseError` naming the key first),
so these errors mean a programming mistake in a script or in the tool, not a user's input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real


def is_real(value) -> bool:
    """A real number, not a bool (numpy scalars included)."""
    return isinstance(value, Real) and not isinstance(value, bool)


def is_finite(value) -> bool:
    """A finite real number, not a bool."""
    return is_real(value) and math.isfinite(value)


def need(ok: bool, name: str, expected: str, got) -> None:
    """Raise ``ValueError`` naming ``name``, what was expected and what was given, unless ``ok``."""
    if not ok:
        raise ValueError(f"{name}: expected {expected}, got {got!r}")


def given[T](value: T | None, name: str, expected: str) -> T:
    """``value``, known not to be None; a ``ValueError`` naming ``name`` if it is."""
    if value is None:
        raise ValueError(f"{name}: expected {expected}, got None")
    return value


def check_positive(name: str, value) -> None:
    need(is_finite(value) and value > 0, name, "a finite number > 0", value)


def check_non_negative(name: str, value) -> None:
    need(is_finite(value) and value >= 0, name, "a finite number >= 0", value)


def check_fraction(name: str, value, *, open_low: bool = False, open_high: bool = False) -> None:
    """A fraction in [0, 1], (0, 1], [0, 1) or (0, 1)."""
    low_ok = is_finite(value) and (value > 0.0 if open_low else value >= 0.0)
    high_ok = is_finite(value) and (value < 1.0 if open_high else value <= 1.0)
    interval = f"{'(' if open_low else '['}0, 1{')' if open_high else ']'}"
    need(low_ok and high_ok, name, f"a fraction in {interval}", value)


def check_fields(obj, *, positive=(), non_negative=(), fractions=()) -> None:
    """Check named fields of a dataclass instance; names in messages are ``<Type>.<field>``."""
    cls = type(obj).__name__
    for name in positive:
        check_positive(f"{cls}.{name}", getattr(obj, name))
    for name in non_negative:
        check_non_negative(f"{cls}.{name}", getattr(obj, name))
    for name in fractions:
        check_fraction(f"{cls}.{name}", getattr(obj, name))


# --- plausible ranges of case inputs ------------------------------------------------------------

@dataclass(frozen=True)
class Plausible:
    """The range a case input must lie in, with the reason, and an optional narrower band outside
    which the value is legal but unusual (a warning line, not an error).

    Bounds are SI (the unit of the quantity's name); ``unit`` and ``scale`` say how to show them
    (value shown = SI / scale)."""

    lo: float
    hi: float
    unit: str
    scale: float
    reason: str
    usual_lo: float | None = None
    usual_hi: float | None = None
    usual_reason: str = ""

    def shown(self, si: float) -> str:
        return f"{si / self.scale:g} {self.unit}".strip()


_C = 273.15
#: Every case input with a physical range, by kind; the case reader names the kind of each key.
PLAUSIBLE: dict[str, Plausible] = {
    "altitude": Plausible(150e3, 36_000e3, "km", 1e3,
                          "below about 150 km an orbit decays within days; above geostationary altitude "
                          "the environment model of the Earth (albedo, Earth IR, eclipses) no longer holds",
                          usual_hi=2_000e3, usual_reason="above 2,000 km the radiation belts dominate the design"),
    "temperature": Plausible(2.7, 2000.0, "K", 1.0,
                             "between the cosmic background and where spacecraft materials melt"),
    "temperature_difference": Plausible(1e-6, 100.0, "K", 1.0, "a tolerance, not a temperature"),
    "temperature_rise": Plausible(0.0, 200.0, "K", 1.0,
                                  "a rise or margin across a loop, not an absolute temperature"),
    "junction_limit": Plausible(_C, _C + 200.0, "K", 1.0,
                                "silicon junction limits lie between 0 degC and 200 degC (273-473 K)"),
    "leakage_slope": Plausible(0.0, 0.05, "%/K", 0.01,
                               "a GPU's power rises by tenths of a percent per kelvin with its junction temperature",
                               usual_hi=0.01, usual_reason="leakage of 4-5 nm parts adds about 0.2-0.5 %/K of "
                               "the power above 60 degC (an estimate; more than 1 %/K would double it within 100 K)"),
    "junction_resistance": Plausible(0.0, 10.0, "K/W", 1.0, "cold-plate resistances are hundredths of a K/W"),
    "thickness": Plausible(1e-5, 0.5, "mm", 1e-3, "shells from a 10 um foil to 50 cm"),
    "length": Plausible(1e-3, 10e3, "m", 1.0, "parts from a millimetre to 10 km"),
    "area": Plausible(1e-4, 1e7, "m^2", 1.0, "panels from 1 cm^2 to 10 km^2"),
    "mesh_size": Plausible(1e-3, 100.0, "cm", 1e-2, "mesh cells from a millimetre to 100 m"),
    "time_step": Plausible(1e-2, 86400.0, "s", 1.0, "steps from 10 ms to a day"),
    "duration": Plausible(1e-2, 10 * 365.25 * 86400.0, "h", 3600.0, "a transient of at most ten years"),
    "solar_flux": Plausible(0.0, 15_000.0, "W/m^2", 1.0,
                            "from the dark (0) to Mercury at perihelion (about 14,500 W/m^2)",
                            usual_lo=1300.0, usual_hi=1420.0,
                            usual_reason="near the Earth the solar constant is 1,317-1,408 W/m^2 over the year"),
    "earth_ir": Plausible(0.0, 500.0, "W/m^2", 1.0, "the Earth emits 150-350 W/m^2 anywhere"),
    "power": Plausible(0.0, 1e11, "W", 1.0, "at most 100 GW"),
    "gpu_power": Plausible(1.0, 10e3, "W", 1.0, "a GPU draws 1 W to 10 kW"),
    "energy": Plausible(1e-3, 1e12, "Wh", 1.0, "batteries from 1 mWh to 1 TWh"),
    "mass": Plausible(1e-3, 1e9, "kg", 1.0, "from a gram to a million tonnes"),
    "density": Plausible(1.0, 25_000.0, "kg/m^3", 1.0, "between foams and osmium"),
    "conductivity": Plausible(1e-3, 1e6, "W/m/K", 1.0,
                              "from insulation to the effective conductivity of vapour chambers",
                              usual_hi=2_500.0,
                              usual_reason="no solid conducts better than diamond (about 2,200 W/m/K)"),
    "specific_heat": Plausible(50.0, 20_000.0, "J/kg/K", 1.0, "solids and liquids hold 100-15,000 J/kg/K"),
    "flow_rate": Plausible(1e-6, 1e4, "kg/s", 1.0, "coolant flows from 1 mg/s to 10 t/s"),
    "tube_diameter": Plausible(1e-4, 1.0, "mm", 1e-3, "tubes from 0.1 mm to 1 m"),
    "tube_spacing": Plausible(1e-3, 10.0, "cm", 1e-2, "tube pitches from 1 mm to 10 m"),
    "conductance": Plausible(1e-6, 1e9, "W/K", 1.0, "a positive, finite conductance"),
    "film_conductance": Plausible(1e-3, 1e7, "W/m^2/K", 1.0, "a positive, finite conductance per area"),
    "heat_pipe_transport": Plausible(1e-3, 1e7, "W*m", 1.0, "a positive, finite transport capability"),
    "fluence": Plausible(0.0, 1e22, "1/cm^2", 1e4, "a year's 1-MeV-equivalent electron fluence"),
    "areal_mass": Plausible(1e-3, 1e3, "kg/m^2", 1.0, "panels weigh grams to tonnes per m^2"),
    "specific_power": Plausible(1e-2, 1e5, "W/kg", 1.0, "a positive, finite specific power"),
    "specific_energy": Plausible(1e-2, 1e4, "Wh/kg", 1.0, "cells store up to about 500 Wh/kg"),
    "mass_per_power": Plausible(0.0, 1000.0, "kg/kW", 1.0, "a non-negative, finite mass per kilowatt"),
    "gpu_count": Plausible(1, 1_000_000, "", 1.0, "a spacecraft carries at most a million GPUs"),
    "fleet_gpu_count": Plausible(1, 1e10, "", 1.0, "at most ten billion GPUs"),
    "orbits": Plausible(1, 10_000, "", 1.0, "at most 10,000 orbits (about two years) in one run"),
    "samples_per_orbit": Plausible(8, 100_000, "", 1.0, "8 to 100,000 samples per orbit"),
    "steps_between_fields": Plausible(1, 10_000_000, "", 1.0, "a positive count of steps"),
    "fraction_of_mass": Plausible(0.0, 1.0, "", 1.0, "a fraction of the dry mass"),
    "fraction_of_power": Plausible(0.0, 1.0, "", 1.0, "a fraction of the compute power"),
    "energy_margin": Plausible(0.0, 10.0, "", 1.0, "a fraction of the load's energy (0.1 is 10 %)"),
    "aspect_ratio": Plausible(1e-3, 1e3, "", 1.0, "length over width of a panel"),
    "years": Plausible(0.0, 50.0, "yr", 1.0, "a mission of at most 50 years"),
    "pue": Plausible(1.0, 5.0, "", 1.0, "a data centre's power usage effectiveness is 1 or more, rarely above 2"),
    "price": Plausible(0.0, 1e12, "USD", 1.0, "a non-negative, finite price"),
    "specific_impulse": Plausible(50.0, 20_000.0, "s", 1.0,
                                  "from cold gas (about 70 s) to gridded ion engines (a few thousand s)"),
    "drag_coefficient": Plausible(0.5, 5.0, "", 1.0, "flat plates in free-molecular flow have 2-2.5"),
    "rate_per_year": Plausible(0.0, 1.0, "1/yr", 1.0, "a fraction per year (0.09 is 9 % a year)"),
    "cycles_per_year": Plausible(0.0, 20_000.0, "1/yr", 1.0, "a LEO battery cycles at most once an orbit, "
                                 "about 5,500 times a year"),
    "perigee": Plausible(0.0, 200e3, "km", 1e3, "a disposal perigee inside the atmosphere, below about 200 km"),
    "scale_factor": Plausible(1e-3, 1e3, "", 1.0, "a positive factor on a nominal value"),
    "latitude": Plausible(-math.pi / 2, math.pi / 2, "deg", math.pi / 180.0, "a latitude within +-90 deg"),
}


#: Orbit epochs the solar ephemeris of :mod:`thermal.orbit` holds for (The Astronomical Almanac's
#: low-precision formulae, Vallado 2013, Alg. 29: about 0.01 deg from 1900 to 2100).
EPOCH_YEARS = (1900, 2100)

#: The fewest time steps per orbit: a coarser step cannot place eclipse entry and exit, and the
#: network model would quietly report 8 samples an orbit.
MIN_STEPS_PER_ORBIT = 10

#: Finite-element unknowns above which a case is refused unless ``solver.max_unknowns`` is raised
#: on purpose: on the 2-core reference machine about 100k unknowns take 9 s an orbit; 1 million is
#: about minutes a step-set and several GiB.
DEFAULT_MAX_UNKNOWNS = 1_000_000

#: Time steps (the most a run may take: ``max_orbits`` orbits, or the duration) above which a case
#: is refused unless ``solver.max_steps`` is raised on purpose.
DEFAULT_MAX_STEPS = 200_000
