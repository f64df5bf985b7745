"""Solar array physics as pure functions: efficiency, degradation, incidence, output, heat.

All functions accept scalars or numpy arrays (broadcast together) and return numpy arrays or
floats.  Temperatures in kelvin, powers in W, fluxes in W/m^2, fluences in 1-MeV electrons/cm^2.

The electric output of an array is the product of independent factors::

    P = S * f_shadow * cos(theta) * A * f_pack * eta(T) * D_eol * (1 - f_wiring) * eta_reg

with ``S`` the solar irradiance on a sun-normal plane [W/m^2], ``eta(T)`` the cell efficiency at
the cell temperature, ``D_eol`` the end-of-life factor (1 at beginning of life), and the last
two the harness loss and the regulator (S3R / MPPT) efficiency.

References
----------
.. [1] J. R. Wertz and W. J. Larson (eds.), *Space Mission Analysis and Design*, 3rd ed.,
   Microcosm/Kluwer (1999), Sec. 11.4: lifetime degradation L_d = (1 - d)^years, inherent
   degradation, cosine loss, and the sunlit/eclipse energy balance of the array.
.. [2] S. R. Messenger et al., "Modeling solar cell degradation in space: a comparison of the
   NRL displacement damage dose and the JPL equivalent fluence approaches", Prog. Photovolt.
   Res. Appl. 9 (2001) 103-121: remaining power P/P0 = 1 - C log10(1 + phi/phi_x).
.. [3] C. Fetzer et al., "Production ready 30% efficient triple junction space solar cells",
   Proc. IEEE PVSC (2008): XTJ remaining power 0.89 at 5e14 and 0.84 at 1e15 e/cm^2, used to fit
   phi_x (see :data:`power.cells.RADIATION_KNEE_FLUENCE_E_CM2`).
"""

from __future__ import annotations

import numpy as np

from .cells import RADIATION_KNEE_FLUENCE_E_CM2, SolarCell

__all__ = [
    "POINTINGS",
    "DEFAULT_FLUENCE_PER_YEAR_E_CM2",
    "DEFAULT_UV_DARKENING_PER_YEAR",
    "cell_efficiency",
    "radiation_remaining_factor",
    "compound_annual_loss_factor",
    "end_of_life_factor",
    "cell_end_of_life_factor",
    "cos_incidence_fixed",
    "cos_incidence_single_axis",
    "cos_incidence_sun_pointing",
    "cos_incidence",
    "array_cell_power_W",
    "array_electric_power_W",
    "array_waste_heat_W_m2",
]

#: Pointing modes of an array: 'sun_tracking' (single axis), 'sun_pointing' (two axes or the
#: whole spacecraft pointed at the sun), 'fixed' (body-mounted or fixed wing).
POINTINGS = ("sun_tracking", "sun_pointing", "fixed")

#: Default 1-MeV-equivalent electron fluence per year behind a 100-150 um cover glass at
#: 500-600 km [e/cm^2/year].  A conservative round figure, not an environment calculation:
#: with it an XTJ-class cell reaches 5e14 (a measured point of [3], 0.89) after 5 years, and
#: together with the default UV darkening loses about 2.7 %/year, close to the SMAD rule of thumb
#: of 2.75 %/year for GaAs-based arrays in LEO [1].  Compute a mission value with SPENVIS/EQFLUX.
DEFAULT_FLUENCE_PER_YEAR_E_CM2 = 1.0e14

#: Default loss of cover-glass/adhesive transmission to UV darkening [1/year].  ASSUMED: 0.5 %/yr,
#: the low end of the 0.5-1 %/yr typical design range (no primary source located); ceria-doped
#: cover glass darkens mostly early in life, so compounding it over the mission is conservative.
DEFAULT_UV_DARKENING_PER_YEAR = 0.005


def cell_efficiency(temperature_K, efficiency_ref, temperature_coefficient_per_K,
                    reference_temperature_K=301.15):
    r"""Cell efficiency at a temperature, linear in temperature.

    .. math:: \eta(T) = \eta_{ref} \, (1 + \gamma (T - T_{ref}))

    clipped at zero (far above any real operating temperature).

    Parameters
    ----------
    temperature_K : array_like
        Cell temperature [K].
    efficiency_ref : float
        Efficiency at the reference temperature [-].
    temperature_coefficient_per_K : float
        Relative temperature coefficient of maximum power :math:`\gamma` [1/K], e.g. -0.0022.
    reference_temperature_K : float, default 301.15
        Reference temperature :math:`T_{ref}` [K] (28 degC for AM0 datasheets).

    Returns
    -------
    numpy.ndarray or float
        Efficiency [-].
    """
    T = np.asarray(temperature_K, dtype=float)
    eta = efficiency_ref * (1.0 + temperature_coefficient_per_K * (T - reference_temperature_K))
    return np.maximum(eta, 0.0)


def radiation_remaining_factor(fluence_e_cm2, remaining_factor_ref, reference_fluence_e_cm2=1e15,
                               knee_fluence_e_cm2=RADIATION_KNEE_FLUENCE_E_CM2):
    r"""Remaining maximum power after a 1-MeV-equivalent electron fluence.

    .. math:: \frac{P}{P_0} = 1 - C \log_{10}\!\left(1 + \frac{\phi}{\phi_x}\right),\quad
              C = \frac{1 - R_{ref}}{\log_{10}(1 + \phi_{ref}/\phi_x)}

    i.e. the semi-empirical form of [2], anchored at the cell's published point
    :math:`(\phi_{ref}, R_{ref})`; it is linear in :math:`\log\phi` well above the knee
    :math:`\phi_x` and 1 at zero fluence.  Clipped at zero.

    Parameters
    ----------
    fluence_e_cm2 : array_like
        Accumulated 1-MeV-equivalent electron fluence [e/cm^2].
    remaining_factor_ref : float
        Published remaining power at ``reference_fluence_e_cm2`` [-].
    reference_fluence_e_cm2 : float, default 1e15
        Fluence of the published point [e/cm^2].
    knee_fluence_e_cm2 : float, default :data:`power.cells.RADIATION_KNEE_FLUENCE_E_CM2`
        Knee fluence :math:`\phi_x` [e/cm^2].

    Returns
    -------
    numpy.ndarray or float
        Remaining power fraction [-].
    """
    phi = np.asarray(fluence_e_cm2, dtype=float)
    if np.any(phi < 0):
        raise ValueError(f"fluence_e_cm2: expected >= 0, got {fluence_e_cm2!r}")
    C = (1.0 - remaining_factor_ref) / np.log10(1.0 + reference_fluence_e_cm2 / knee_fluence_e_cm2)
    return np.maximum(1.0 - C * np.log10(1.0 + phi / knee_fluence_e_cm2), 0.0)


def compound_annual_loss_factor(years, loss_per_year):
    """Remaining fraction after a loss compounded yearly, ``(1 - loss_per_year) ** years`` [1].

    Parameters
    ----------
    years : array_like
        Time in orbit [year].
    loss_per_year : float
        Fraction lost per year [1/year].

    Returns
    -------
    numpy.ndarray or float
        Remaining fraction [-].
    """
    return (1.0 - loss_per_year) ** np.asarray(years, dtype=float)


def end_of_life_factor(years, remaining_factor_ref, reference_fluence_e_cm2=1e15,
                       fluence_per_year_e_cm2=DEFAULT_FLUENCE_PER_YEAR_E_CM2,
                       uv_darkening_per_year=DEFAULT_UV_DARKENING_PER_YEAR,
                       other_degradation_per_year=0.0,
                       knee_fluence_e_cm2=RADIATION_KNEE_FLUENCE_E_CM2):
    """Power remaining after ``years`` in orbit: radiation x UV darkening x other losses.

    ``radiation_remaining_factor(years * fluence_per_year) * (1 - uv)**years *
    (1 - other)**years``; exactly 1 at ``years = 0`` (beginning of life).

    Parameters
    ----------
    years : array_like
        Time in orbit [year].
    remaining_factor_ref : float
        Published remaining power at ``reference_fluence_e_cm2`` [-].
    reference_fluence_e_cm2 : float, default 1e15
        Fluence of that point [1-MeV e/cm^2].
    fluence_per_year_e_cm2 : float, default :data:`DEFAULT_FLUENCE_PER_YEAR_E_CM2`
        1-MeV-equivalent electron fluence per year behind the cover glass [e/cm^2/year].
    uv_darkening_per_year : float, default :data:`DEFAULT_UV_DARKENING_PER_YEAR`
        Transmission loss of cover glass and adhesive per year [1/year].
    other_degradation_per_year : float, default 0
        Other losses per year (thermal-cycling failures, micrometeoroids, contamination)
        [1/year].
    knee_fluence_e_cm2 : float
        Knee of the radiation law [e/cm^2].

    Returns
    -------
    numpy.ndarray or float
        End-of-life factor [-].
    """
    years = np.asarray(years, dtype=float)
    if np.any(years < 0):
        raise ValueError(f"years: expected >= 0, got {years!r}")
    radiation = radiation_remaining_factor(years * fluence_per_year_e_cm2, remaining_factor_ref,
                                           reference_fluence_e_cm2, knee_fluence_e_cm2)
    return (radiation * compound_annual_loss_factor(years, uv_darkening_per_year)
            * compound_annual_loss_factor(years, other_degradation_per_year))


def cell_end_of_life_factor(cell: SolarCell, years,
                            fluence_per_year_e_cm2=DEFAULT_FLUENCE_PER_YEAR_E_CM2,
                            uv_darkening_per_year=DEFAULT_UV_DARKENING_PER_YEAR,
                            other_degradation_per_year=0.0):
    """:func:`end_of_life_factor` with the radiation data of a library cell.

    Parameters
    ----------
    cell : SolarCell
        The cell (supplies ``remaining_factor_eol`` and ``reference_fluence_e_cm2``).
    years : array_like
        Time in orbit [year].
    fluence_per_year_e_cm2 : float
        [1-MeV e/cm^2/year].
    uv_darkening_per_year : float
        [1/year].
    other_degradation_per_year : float
        [1/year].

    Returns
    -------
    numpy.ndarray or float
        End-of-life factor [-].
    """
    return end_of_life_factor(years, cell.remaining_factor_eol, cell.reference_fluence_e_cm2,
                              fluence_per_year_e_cm2, uv_darkening_per_year,
                              other_degradation_per_year)


def _unit(v, name):
    v = np.asarray(v, dtype=float)
    if v.shape[-1:] != (3,):
        raise ValueError(f"{name}: expected vectors of shape (..., 3), got shape {v.shape}")
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    if np.any(n == 0):
        raise ValueError(f"{name}: contains a zero vector")
    return v / n


def cos_incidence_fixed(sun_vector, normal_vector):
    """Cosine of the sun's incidence on a fixed panel, clipped at 0 (sun behind the panel).

    Parameters
    ----------
    sun_vector : array_like, shape (..., 3)
        Direction to the sun (any length) [-].
    normal_vector : array_like, shape (..., 3)
        Outward normal of the cell side [-].

    Returns
    -------
    numpy.ndarray
        cos(incidence) in [0, 1] [-].
    """
    s = _unit(sun_vector, "sun_vector")
    n = _unit(normal_vector, "normal_vector")
    return np.clip(np.sum(s * n, axis=-1), 0.0, 1.0)


def cos_incidence_single_axis(sun_vector, axis_vector):
    """Cosine loss of an ideal single-axis sun tracker.

    The panel normal turns in the plane perpendicular to the tracking axis and points at the
    projection of the sun onto that plane; what is left is the cosine of the sun's elevation
    out of that plane, ``sqrt(1 - (s . a)^2)``.  For an array that rotates about the orbit
    normal this is cos(beta).

    Parameters
    ----------
    sun_vector : array_like, shape (..., 3)
        Direction to the sun [-].
    axis_vector : array_like, shape (..., 3)
        Tracking (rotation) axis [-].

    Returns
    -------
    numpy.ndarray
        cos(incidence) in [0, 1] [-].
    """
    s = _unit(sun_vector, "sun_vector")
    a = _unit(axis_vector, "axis_vector")
    along = np.clip(np.sum(s * a, axis=-1), -1.0, 1.0)
    return np.sqrt(1.0 - along ** 2)


def cos_incidence_sun_pointing(sun_vector):
    """Cosine of incidence of a fully sun-pointed array: 1 everywhere.

    Parameters
    ----------
    sun_vector : array_like, shape (..., 3)
        Direction to the sun [-] (only its shape is used).

    Returns
    -------
    numpy.ndarray
        Ones [-].
    """
    s = np.asarray(sun_vector, dtype=float)
    return np.ones(s.shape[:-1])


def cos_incidence(pointing, sun_vector, reference_vector=None):
    """Cosine of incidence for a pointing mode.

    Parameters
    ----------
    pointing : {'sun_tracking', 'sun_pointing', 'fixed'}
        Pointing mode.
    sun_vector : array_like, shape (..., 3)
        Direction to the sun [-].
    reference_vector : array_like, shape (..., 3), optional
        Tracking axis ('sun_tracking') or panel normal ('fixed') [-].

    Returns
    -------
    numpy.ndarray
        cos(incidence) [-].
    """
    if pointing == "sun_pointing":
        return cos_incidence_sun_pointing(sun_vector)
    if pointing not in POINTINGS:
        raise ValueError(f"pointing: expected one of {POINTINGS}, got {pointing!r}")
    if reference_vector is None:
        what = "tracking axis" if pointing == "sun_tracking" else "panel normal"
        raise ValueError(f"reference_vector: pointing {pointing!r} needs the {what}")
    if pointing == "sun_tracking":
        return cos_incidence_single_axis(sun_vector, reference_vector)
    return cos_incidence_fixed(sun_vector, reference_vector)


def array_cell_power_W(solar_incident_W_m2, cos_incidence, area_m2, packing_factor, efficiency,
                       degradation_factor=1.0, shadow_factor=1.0):
    """Electric power at the cell terminals of an array, before harness and regulator.

    ``S * shadow * max(cos, 0) * A * packing * eta * degradation``.  Albedo is not converted
    (conservative; a sun-facing array sees little of it).

    Parameters
    ----------
    solar_incident_W_m2 : array_like
        Solar irradiance on a sun-normal plane [W/m^2].
    cos_incidence : array_like
        Cosine of the angle between sun and panel normal [-]; negative values count as 0.
    area_m2 : float
        Array (blanket) area [m^2].
    packing_factor : float
        Cell area / array area [-].
    efficiency : array_like
        Cell efficiency at the operating temperature [-].
    degradation_factor : array_like, default 1
        End-of-life factor [-].
    shadow_factor : array_like, default 1
        Unshadowed fraction [-].

    Returns
    -------
    numpy.ndarray or float
        Power [W].
    """
    S = np.asarray(solar_incident_W_m2, dtype=float)
    c = np.maximum(np.asarray(cos_incidence, dtype=float), 0.0)
    return S * shadow_factor * c * area_m2 * packing_factor * efficiency * degradation_factor


def lit_output_fraction(lit_fraction):
    """Share of a wing's unshaded output it delivers when other parts shade part of its cells [-]:
    the lit share itself.

    ASSUMED: the cells are wired in series strings, each with a bypass diode, and the shadow edge
    runs along the strings, so that a string is lit or shaded as a whole: the shaded strings are
    bypassed and deliver nothing, the lit ones their full current at the array's voltage, and the
    output is the lit share of the cell area (the regulator tracks each section's maximum power).
    A shadow edge across the strings does worse (a series string carries the current of its most
    shaded cell: a string that is partly shaded delivers about nothing, with a bypass diode per
    string), so this is the upper bound of the output; a body-mounted obstacle close to the wing
    root, the case here, shades whole strings near the root when the strings run along the boom.
    """
    return np.asarray(lit_fraction, dtype=float)


def array_electric_power_W(solar_incident_W_m2, cos_incidence, area_m2, packing_factor,
                           efficiency, degradation_factor=1.0, wiring_loss=0.0,
                           regulator_efficiency=1.0, shadow_factor=1.0):
    """Electric power an array delivers to the bus, after harness and regulator losses.

    ``S * shadow * cos * A * packing * eta(T) * degradation * (1 - wiring_loss) *
    regulator_efficiency``.

    Parameters
    ----------
    solar_incident_W_m2 : array_like
        Solar irradiance on a sun-normal plane [W/m^2].
    cos_incidence : array_like
        Cosine of incidence [-]; negative values count as 0.
    area_m2 : float
        Array area [m^2].
    packing_factor : float
        Cell area / array area [-].
    efficiency : array_like
        Cell efficiency at the operating temperature, :func:`cell_efficiency` [-].
    degradation_factor : array_like, default 1
        End-of-life factor, :func:`end_of_life_factor` [-].
    wiring_loss : float, default 0
        Fraction lost in the harness [-].
    regulator_efficiency : float, default 1
        Array regulator (S3R / MPPT) efficiency [-].
    shadow_factor : array_like, default 1
        Unshadowed fraction [-].

    Returns
    -------
    numpy.ndarray or float
        Power at the bus [W].
    """
    cell = array_cell_power_W(solar_incident_W_m2, cos_incidence, area_m2, packing_factor,
                              efficiency, degradation_factor, shadow_factor)
    return cell * (1.0 - wiring_loss) * regulator_efficiency


def array_waste_heat_W_m2(solar_incident_W_m2, cos_incidence, absorptivity,
                          electric_power_out_W_m2, albedo_incident_W_m2=0.0,
                          earth_ir_incident_W_m2=0.0, emissivity=0.0, shadow_factor=1.0):
    """Heat deposited in an array per m^2: absorbed radiation minus the electricity taken out.

    ``alpha * (S * shadow * cos + albedo) + eps * IR - electric_out``.  The electric energy
    leaves the array as power; everything else absorbed stays as heat.  Use the power actually
    *extracted* at the cell terminals: a shunted section (S3R at short circuit) delivers nothing
    and all it absorbs is heat.  Harness and regulator losses are dissipated off the array (bus).

    Parameters
    ----------
    solar_incident_W_m2 : array_like
        Solar irradiance on a sun-normal plane [W/m^2].
    cos_incidence : array_like
        Cosine of incidence on the cell side [-]; negative values count as 0.
    absorptivity : float
        Solar absorptivity of the front [-].
    electric_power_out_W_m2 : array_like
        Electric power extracted at the cell terminals per m^2 of array [W/m^2].
    albedo_incident_W_m2 : array_like, default 0
        Earth-reflected solar flux incident on the front [W/m^2].
    earth_ir_incident_W_m2 : array_like, default 0
        Earth infrared flux incident on the front [W/m^2].
    emissivity : float, default 0
        Infrared emissivity (absorptivity) of the front [-]; needed when IR is given.
    shadow_factor : array_like, default 1
        Unshadowed fraction applied to the direct solar term [-].

    Returns
    -------
    numpy.ndarray or float
        Waste heat [W/m^2 of array].
    """
    S = np.asarray(solar_incident_W_m2, dtype=float)
    c = np.maximum(np.asarray(cos_incidence, dtype=float), 0.0)
    absorbed = (absorptivity * (S * shadow_factor * c + np.asarray(albedo_incident_W_m2, float))
                + emissivity * np.asarray(earth_ir_incident_W_m2, float))
    return absorbed - np.asarray(electric_power_out_W_m2, dtype=float)
