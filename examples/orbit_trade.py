"""Radiator, array, battery and mass of a 1 MW module: dawn-dusk SSO against a 53-degree orbit.

At several altitudes, each orbit is sized for its worst case over a year: the dawn-dusk
sun-synchronous orbit at epochs through the year (its beta swings between about 58 and 90 deg,
and it dips into short eclipses near the June solstice), the 53-degree orbit at every beta it sees
(0 to 76.4 deg; the longest eclipse at beta = 0 sizes the array and the battery). Defaults of
:func:`thermal.sizing.design.size_design` otherwise: H100 DGX-class nodes, edge-on two-sided OSR
radiator at the temperature the junction limit allows, sun-pointed XTJ Prime array at end of life,
VES180 battery at 30 % depth of discharge.

Run: ``python examples/orbit_trade.py [--out DIR]`` (default ``results/examples/orbit_trade``).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examples._common import out_dir_from_args, pyplot, write_outputs
from thermal.case.sizing import SizingConfig
from thermal.sizing.design import size_design
from thermal.sizing.orbit_cases import orbit_cases_beta_sweep, orbit_cases_sun_synchronous

NAME = "orbit_trade"


def main(out_dir=None, *, altitudes_km=(400.0, 550.0, 800.0, 1200.0), target_compute_W: float = 1.0e6,
         n_epochs: int = 12, n_beta: int = 7, n_time: int = 180) -> dict:
    """Run the trade, write ``orbit_trade.csv`` and ``orbit_trade.png``.

    Parameters
    ----------
    out_dir : path, optional
        Output folder; default ``results/examples/orbit_trade``.
    altitudes_km : sequence of float
        Altitudes [km].
    target_compute_W : float, default 1e6
        Compute power of the design [W].
    n_epochs, n_beta, n_time : int
        Orbit cases and samples per orbit; lower them for a quick run.

    Returns
    -------
    dict
        ``rows``: one dict per (orbit, altitude) with ``orbit``, ``altitude_km``,
        ``beta_min_deg``, ``beta_max_deg``, ``eclipse_max_s``, ``radiator_temperature_K``,
        ``radiator_area_m2``, ``array_area_m2``, ``battery_capacity_Wh``, ``mass_kg``,
        ``module_count``; ``csv``; ``png``.
    """
    rows = []
    for alt_km in altitudes_km:
        alt = alt_km * 1e3
        for orbit_name, cases in (
                ("dawn-dusk SSO", orbit_cases_sun_synchronous(alt, 6.0, n_epochs=n_epochs)),
                ("53 deg", orbit_cases_beta_sweep(alt, math.radians(53.0), n_beta=n_beta))):
            d, _ = size_design(cases, SizingConfig(target={"compute_power_W": target_compute_W},
                                                   samples_per_orbit=n_time))
            m = d.module
            betas = [abs(math.degrees(c.beta_rad)) for c in m.cases]
            rows.append({
                "orbit": orbit_name, "altitude_km": alt_km,
                "beta_min_deg": min(betas), "beta_max_deg": max(betas),
                "eclipse_max_s": max(c.eclipse_s for c in m.cases),
                "radiator_temperature_K": m.radiator_temperature_K,
                "radiator_area_m2": d.radiator_area_m2, "array_area_m2": d.array_area_m2,
                "battery_capacity_Wh": d.battery_capacity_Wh, "mass_kg": d.mass_kg,
                "module_count": d.module_count,
            })
    return {"rows": rows, **write_outputs(NAME, out_dir, rows, _plot(rows, target_compute_W))}


def _plot(rows, target_W):
    plt = pyplot()

    panels = (("radiator_area_m2", "radiator area [m^2]"), ("array_area_m2", "array area [m^2]"),
              ("battery_capacity_Wh", "battery capacity [Wh]"), ("mass_kg", "launch mass [kg]"))
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True)
    for ax, (key, label) in zip(axes.ravel(), panels, strict=True):
        for orbit in dict.fromkeys(r["orbit"] for r in rows):
            sel = [r for r in rows if r["orbit"] == orbit]
            ax.plot([r["altitude_km"] for r in sel], [r[key] for r in sel], "o-", label=orbit)
        ax.set_ylabel(label)
        ax.set_ylim(bottom=0.0)
        ax.grid(True, alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("altitude [km]")
    axes[0][0].legend()
    fig.suptitle(f"{target_W / 1e6:g} MW of H100 compute, worst case over a year")
    return fig


if __name__ == "__main__":
    res = main(out_dir_from_args(__doc__))
    for r in res["rows"]:
        print(f"{r['orbit']:14s} {r['altitude_km']:6.0f} km  beta {r['beta_min_deg']:4.1f}-"
              f"{r['beta_max_deg']:4.1f} deg  eclipse {r['eclipse_max_s'] / 60:5.1f} min  "
              f"radiator {r['radiator_area_m2']:7,.0f} m^2  array {r['array_area_m2']:7,.0f} m^2  "
              f"battery {r['battery_capacity_Wh'] / 1e3:7,.0f} kWh  mass {r['mass_kg'] / 1e3:6.1f} t")
    print(f"wrote {res['csv']} and {res['png']}")
