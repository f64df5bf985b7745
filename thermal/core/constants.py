"""Physical constants and Earth parameters, SI units.

Sources
-------
- Stefan-Boltzmann constant: CODATA 2018.
- Earth equatorial radius, gravitational parameter and J2: WGS-84 / EGM-96 values as listed
  in Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., Table D-1.
- Total solar irradiance 1361 W/m^2 at 1 AU: Kopp & Lean (2011), GRL 38, L01706,
  doi:10.1029/2010GL045777.
- Earth albedo 0.30 and outgoing long-wave radiation 237 W/m^2: orbit-averaged design values,
  Anderson, Justus & Batts, NASA/TM-2001-211221.
- Astronomical unit: IAU 2012 Resolution B2.
"""

STEFAN_BOLTZMANN_W_M2K4 = 5.670374419e-8
EARTH_RADIUS_M = 6378.137e3
EARTH_MU_M3_S2 = 398600.4418e9
EARTH_J2 = 1.08263e-3
ASTRONOMICAL_UNIT_M = 149_597_870_700.0
SUN_RADIUS_M = 695_700e3  # IAU 2015 Resolution B3 nominal solar radius
SOLAR_CONSTANT_W_M2 = 1361.0
EARTH_ALBEDO = 0.30
EARTH_IR_W_M2 = 237.0
TROPICAL_YEAR_S = 365.2422 * 86400.0


#: Hours in a Julian year (365.25 days) [h].
HOURS_PER_YEAR = 365.25 * 24.0

#: 0 degC in kelvin (for display: temperatures are kelvin inside) [K].
KELVIN_OFFSET = 273.15
