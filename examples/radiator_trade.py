"""Radiator area and mass against radiator temperature, for several coatings and two orbits.

1 MW rejected at 550 km, in a dawn-dusk sun-synchronous orbit (every season of a year) and in a
53-degree orbit (every beta it sees, 0 to 76.4 deg), for two radiator orientations:

- ``edge_on``: a two-sided panel yaw-steered to keep its normal perpendicular to both the sun
  and the nadir (the default of :class:`thermal.case.sizing.RadiatorSizing`): it sees no direct sun and
  the Earth only edge-on, so the coating's infrared emissivity matters most;
- ``zenith``: a two-sided panel fixed to a nadir-pointed body, front to zenith, back to the
  Earth: here the solar absorptivity matters too.

Each subsystem is sized on the peak of the orbit environment (end-of-life absorptivity, fin
efficiency 0.9) in the worst orbit case. Temperatures at which the environment alone holds the
panel hotter than the required temperature are infeasible and left empty.

Run: ``python examples/radiator_trade.py [--out DIR]`` (default ``results/examples/radiator_trade``).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from examples._common import out_dir_from_args, pyplot, write_outputs
from thermal.case.model import EnvironmentConstants
from thermal.case.sizing import RadiatorSizing, SizingConfig, SpecificMasses
from thermal.core.errors import InfeasibleError
from thermal.core.library import COATINGS
from thermal.exposure import environment_absorbed_W_m2
from thermal.sizing.orbit_cases import orbit_cases_beta_sweep, orbit_cases_sun_synchronous
from thermal.sizing.radiator import environment_equilibrium_temperature_K, radiator_area_m2

NAME = "radiator_trade"
COATING_NAMES = ("osr", "white_paint", "silver_teflon", "black_paint")
FACINGS = ("edge_on", "zenith")


def orbit_cases(altitude_m: float, n_epochs: int, n_beta: int) -> dict:
    """The two orbits as lists of orbit cases."""
    return {
        "dawn-dusk SSO": orbit_cases_sun_synchronous(altitude_m, 6.0, n_epochs=n_epochs),
        "53 deg": orbit_cases_beta_sweep(altitude_m, math.radians(53.0), n_beta=n_beta),
    }


def main(out_dir=None, *, heat_W: float = 1.0e6, temperatures_K=None, altitude_m: float = 550e3,
         n_epochs: int = 12, n_beta: int = 7, n_time: int = 180) -> dict:
    """Run the trade, write ``radiator_trade.csv`` and ``radiator_trade.png``.

    Parameters
    ----------
    out_dir : path, optional
        Output folder; default ``results/examples/radiator_trade``.
    heat_W : float, default 1e6
        Heat rejected [W].
    temperatures_K : sequence of float, optional
        Radiator temperatures [K]; default 250 to 380 K every 5 K.
    altitude_m : float, default 550e3
        [m]
    n_epochs, n_beta, n_time : int
        Orbit cases (SSO epochs over the year, betas of the 53-degree orbit) and samples per
        orbit; lower them for a quick run.

    Returns
    -------
    dict
        ``temperatures_K``; ``area_m2[orbit][facing][coating]`` (list, NaN where infeasible);
        ``area_300K_m2`` and ``peak_absorbed_W_m2`` and ``min_temperature_K`` (the environment's
        own equilibrium) per orbit, facing and coating; ``fin_efficiency``; ``csv``; ``png``.
    """
    temps = np.arange(250.0, 380.1, 5.0) if temperatures_K is None else np.asarray(temperatures_K, float)
    env = EnvironmentConstants()
    kg_m2 = SpecificMasses().radiator_kg_m2
    result = {"temperatures_K": temps.tolist(), "area_m2": {}, "area_300K_m2": {},
              "peak_absorbed_W_m2": {}, "min_temperature_K": {}}
    rows = []
    defaults = SizingConfig(target={"heat_rejection_W": heat_W})   # nadir attitude, end-of-life coatings
    fin = RadiatorSizing().fin_efficiency
    for orbit_name, cases in orbit_cases(altitude_m, n_epochs, n_beta).items():
        for facing in FACINGS:
            spec = RadiatorSizing(facing=facing)
            for coating in COATING_NAMES:
                c = COATINGS[coating]
                envs = [environment_absorbed_W_m2(g, env, defaults.attitude, facing, c, defaults.coatings_end_of_life,
                                                  two_sided=spec.two_sided, n_time=n_time)
                        for g in cases]
                worst = max(envs, key=lambda e: e.peak_total_W_m2)

                def area(T, c=c, worst=worst, spec=spec):
                    try:
                        return radiator_area_m2(heat_W, T, c.emissivity, worst, spec.two_sided, fin)
                    except InfeasibleError:
                        return float("nan")

                areas = [area(T) for T in temps]
                for key, value in (("area_m2", areas), ("area_300K_m2", area(300.0)),
                                   ("peak_absorbed_W_m2", worst.peak_total_W_m2),
                                   ("min_temperature_K", environment_equilibrium_temperature_K(
                                       c.emissivity, worst.peak_total_W_m2, 2, fin))):
                    result[key].setdefault(orbit_name, {}).setdefault(facing, {})[coating] = value
                for T, a in zip(temps, areas, strict=True):
                    rows.append({"orbit": orbit_name, "facing": facing, "coating": coating,
                                 "radiator_temperature_K": float(T),
                                 "peak_absorbed_W_m2": worst.peak_total_W_m2,
                                 "radiator_area_m2": a, "radiator_mass_kg": a * kg_m2})
    result.update(fin_efficiency=fin, heat_W=heat_W,
                  **write_outputs(NAME, out_dir, rows, _plot(result, heat_W, kg_m2)))
    return result


def _plot(result, heat_W, kg_m2):
    plt = pyplot()

    temps = result["temperatures_K"]
    orbits = list(result["area_m2"])
    fig, axes = plt.subplots(len(FACINGS), len(orbits), figsize=(11, 8), sharex=True, sharey=True)
    for j, orbit in enumerate(orbits):
        for i, facing in enumerate(FACINGS):
            ax = axes[i][j]
            for coating in COATING_NAMES:
                ax.semilogy(temps, result["area_m2"][orbit][facing][coating], label=coating)
            ax.set_title(f"{orbit}, radiator {facing}")
            ax.grid(True, which="both", alpha=0.3)
            if i == len(FACINGS) - 1:
                ax.set_xlabel("radiator temperature [K]")
            if j == 0:
                ax.set_ylabel(f"area for {heat_W / 1e6:g} MW [m^2]")
            sec = ax.secondary_yaxis("right", functions=(lambda a: a * kg_m2, lambda m: m / kg_m2))
            if j == len(orbits) - 1:
                sec.set_ylabel(f"mass at {kg_m2:g} kg/m^2 [kg]")
    axes[0][0].set_ylim(300.0, 1.0e5)  # near the infeasible limit the area runs off the chart
    axes[0][0].legend()
    fig.suptitle("Two-sided radiator, peak environment, end of life, 550 km")
    return fig


if __name__ == "__main__":
    res = main(out_dir_from_args(__doc__))
    for orbit, by_facing in res["area_300K_m2"].items():
        for facing, by_coating in by_facing.items():
            text = ", ".join(f"{k} {v:,.0f}" for k, v in by_coating.items())
            print(f"{orbit:14s} {facing:8s} area at 300 K [m^2/MW]: {text}")
    print(f"wrote {res['csv']} and {res['png']}")
