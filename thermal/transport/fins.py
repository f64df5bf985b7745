"""The radiator panel between two tubes as a radiating fin (linearised radiation coefficient).

References: Incropera et al. (2007) ch. 3.6 (straight fins); Gilmore (2002) ch. 6 (radiators).
"""

from collections.abc import Sequence

import numpy as np

from thermal.core.checks import check_positive
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
from thermal.transport.convection import scalar_or_array


def radiation_coefficient_W_m2K(emissivity_sides: Sequence[float], temperature_K):
    """Linearised radiation coefficient h_r = 4 sigma T^3 sum(eps) per unit panel (one-side) area.

    Parameters
    ----------
    emissivity_sides : sequence of float
        Infrared emissivity of each radiating side: one value for a one-sided radiator (back
        insulated), two for a two-sided one.
    temperature_K : float or array
        Panel temperature [K].

    Returns
    -------
    float or ndarray
        [W/(m^2 K)].
    """
    eps = _emissivity_sum(emissivity_sides)
    t = np.asarray(temperature_K, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError(f"radiation coefficient: temperature must be >= 0 K, got {temperature_K!r}")
    return scalar_or_array(4.0 * STEFAN_BOLTZMANN_W_M2K4 * eps * t ** 3)


def _emissivity_sum(emissivity_sides) -> float:
    if isinstance(emissivity_sides, (int, float, np.floating)) or np.ndim(emissivity_sides) != 1:
        raise TypeError("emissivity_sides must be a sequence of one (one-sided) or two (two-sided) "
                        f"emissivities, e.g. (0.79, 0.79); got {emissivity_sides!r}")
    values = [float(e) for e in emissivity_sides]
    if not 1 <= len(values) <= 2 or any(not (0.0 <= e <= 1.0) for e in values):
        raise ValueError(f"emissivity_sides must hold one or two emissivities in [0, 1], got {emissivity_sides!r}")
    return sum(values)


def _fin_parameter(fin_length_m, thickness_m, conductivity_W_mK, h_total):
    h = np.asarray(h_total, dtype=float)
    if np.any(h < 0):
        raise ValueError(f"fin: heat-transfer coefficient must be >= 0, got {h_total!r}")
    for name, v in (("fin length", fin_length_m), ("thickness", thickness_m), ("conductivity", conductivity_W_mK)):
        if not (np.all(np.isfinite(v)) and np.all(np.asarray(v) > 0)):
            raise ValueError(f"fin: {name} must be > 0, got {v!r}")
    return fin_length_m * np.sqrt(h / (conductivity_W_mK * thickness_m))


def straight_fin_efficiency(fin_length_m, thickness_m, conductivity_W_mK, heat_transfer_coefficient_W_m2K):
    """Efficiency of a straight fin of uniform thickness with an adiabatic tip, eta = tanh(mL) / (mL).

    m^2 = h / (k t), where h is the coefficient summed over both faces per unit of one face's
    area (2 h_face for a fin wetted on both faces; the radiation coefficients of both sides for
    a radiator panel). Incropera eq. 3.89 and Table 3.4 case B; Gilmore (2002) ch. 6.

    Parameters
    ----------
    fin_length_m : float or array
        Fin length from base to tip [m].
    thickness_m : float or array
        Fin thickness [m].
    conductivity_W_mK : float or array
        Fin conductivity [W/(m K)].
    heat_transfer_coefficient_W_m2K : float or array
        h as above [W/(m^2 K)], >= 0.

    Returns
    -------
    float or ndarray
        Fin efficiency [-], 1 at mL = 0.
    """
    x = np.asarray(_fin_parameter(fin_length_m, thickness_m, conductivity_W_mK, heat_transfer_coefficient_W_m2K))
    with np.errstate(invalid="ignore", divide="ignore"):
        eta = np.where(x < 1e-4, 1.0 - x * x / 3.0, np.tanh(x) / np.where(x == 0, 1.0, x))
    return scalar_or_array(eta)


def fin_efficiency(half_width_m, thickness_m, conductivity_W_mK, emissivity_sides: Sequence[float], temperature_K):
    """Efficiency of the radiator panel between two tubes as a radiating fin.

    The panel strip from a tube (the fin base) to the midline between tubes (adiabatic by symmetry)
    is a straight fin of length ``half_width_m`` (tube pitch / 2), radiating from one or two sides.
    Radiation is linearised about the fin temperature T: q(T + dT) = eps sigma T^4 + h_r dT with
    h_r = 4 sigma T^3 sum(eps), the tangent. With that linearisation the fin obeys the linear fin
    equation with an effective sink at 3T/4 and base excess T/4, so eta = tanh(mL)/(mL),
    m = sqrt(h_r / (k t)), and Q = eta * sigma sum(eps) T_b^4 A to first order in the fin's
    temperature drop. Absorbed environmental flux shifts the sink, not h_r. Accurate while the
    fin's temperature drop is small against T (eta above ~0.8); Gilmore (2002) ch. 6 gives the
    nonlinear radiating-fin charts for thinner fins.

    Parameters
    ----------
    half_width_m : float or array
        Fin length, half the tube pitch [m].
    thickness_m : float or array
        Panel (face-sheet) thickness [m].
    conductivity_W_mK : float or array
        In-plane conductivity of the panel [W/(m K)].
    emissivity_sides : sequence of float
        Emissivity of each radiating side (one or two values).
    temperature_K : float or array
        Panel (fin base) temperature [K].

    Returns
    -------
    float or ndarray
        Fin efficiency [-].
    """
    h_r = radiation_coefficient_W_m2K(emissivity_sides, temperature_K)
    return straight_fin_efficiency(half_width_m, thickness_m, conductivity_W_mK, h_r)


def fin_conductance_W_K(radiator_area_m2, half_width_m, thickness_m, conductivity_W_mK,
                        emissivity_sides: Sequence[float], temperature_K):
    """Conductance from the tube (fin base) to the area-mean panel temperature [W/K].

    For the linear fin with an adiabatic tip all heat leaves the faces, Q = h A (T_mean - T_sink)
    = eta h A (T_base - T_sink), so T_base - T_mean = (1 - eta) / (eta h A) * Q and

        G_fin = eta h_r A / (1 - eta).

    As h_r -> 0 this tends to 3 k t A / L^2 (parabolic profile). A lumped model whose panel node
    is the mean panel temperature uses G_fin in series with the tube film.

    Parameters
    ----------
    radiator_area_m2 : float
        Panel area, one side [m^2] (all fins together).
    half_width_m, thickness_m, conductivity_W_mK, emissivity_sides, temperature_K
        As :func:`fin_efficiency`.

    Returns
    -------
    float or ndarray
        [W/K].
    """
    check_positive("fin_conductance_W_K.radiator_area_m2", float(radiator_area_m2))
    h_r = radiation_coefficient_W_m2K(emissivity_sides, temperature_K)
    x = np.asarray(_fin_parameter(half_width_m, thickness_m, conductivity_W_mK, h_r))
    eta = np.asarray(straight_fin_efficiency(half_width_m, thickness_m, conductivity_W_mK, h_r))
    # x^2 / (1 - eta), with its series near x = 0: 1 - tanh(x)/x = x^2/3 - 2 x^4/15 + 17 x^6/315
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(x < 1e-3, 1.0 / (1.0 / 3.0 - 2.0 * x ** 2 / 15.0 + 17.0 * x ** 4 / 315.0),
                         x ** 2 / np.where(x < 1e-3, 1.0, 1.0 - eta))
    return scalar_or_array(eta * conductivity_W_mK * thickness_m * radiator_area_m2 / half_width_m ** 2 * ratio)
