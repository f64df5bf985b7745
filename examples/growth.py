"""From one 8-GPU node to a gigawatt: modules, launches, mass and cost.

A dawn-dusk sun-synchronous orbit at 550 km (sized for every season of a year), modules no
heavier than one launch of the chosen vehicle (default Starship, 100 t at 250 USD/kg), the
defaults of :func:`thermal.sizing.design.size_design` otherwise. For each target: the number of
identical modules and launches, the launch mass, the launch cost, and the undiscounted cost per
GPU-hour over five years in orbit against the same GPUs in a new data centre on the ground
(:func:`thermal.sizing.economics.compare_costs`).

Run: ``python examples/growth.py [--out DIR]`` (default ``results/examples/growth``).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examples._common import out_dir_from_args, pyplot, write_outputs
from thermal.case.sizing import STARSHIP_NEAR_TERM, SizingConfig
from thermal.sizing.design import size_design
from thermal.sizing.economics import compare_costs
from thermal.sizing.orbit_cases import orbit_cases_sun_synchronous

NAME = "growth"

#: (label, target keyword, value)
TARGETS = (
    ("one 8-GPU node", "gpu_count", 8),
    ("1 MW", "compute_power_W", 1.0e6),
    ("10 MW", "compute_power_W", 1.0e7),
    ("100 MW", "compute_power_W", 1.0e8),
    ("1 GW", "compute_power_W", 1.0e9),
)


def main(out_dir=None, *, targets=TARGETS, launch=STARSHIP_NEAR_TERM, altitude_m: float = 550e3,
         n_epochs: int = 12, n_time: int = 180) -> dict:
    """Size each target, write ``growth.csv`` and ``growth.png``.

    Parameters
    ----------
    out_dir : path, optional
        Output folder; default ``results/examples/growth``.
    targets : sequence of (label, keyword, value)
        Targets, the keyword one of ``gpu_count``, ``compute_power_W``, ``heat_rejection_W``.
    launch : LaunchOptions
        Launcher (price, and the largest module = its payload).
    altitude_m : float, default 550e3
        [m]
    n_epochs, n_time : int
        Orbit cases over the year and samples per orbit.

    Returns
    -------
    dict
        ``rows``: one dict per target (``label``, ``gpu_count``, ``compute_power_W``,
        ``module_count``, ``gpus_per_module``, ``module_mass_kg``, ``launch_count``,
        ``mass_kg``, ``radiator_area_m2``, ``array_area_m2``, ``battery_capacity_Wh``,
        ``launch_cost_usd``, ``orbital_usd_per_gpu_hour``, ``terrestrial_usd_per_gpu_hour``,
        ``breakeven_usd_per_kg``); ``by_label``; ``csv``; ``png``.
    """
    cases = orbit_cases_sun_synchronous(altitude_m, 6.0, n_epochs=n_epochs)
    rows = []
    for label, keyword, value in targets:
        d, _ = size_design(cases, SizingConfig(target={keyword: value}, samples_per_orbit=n_time), launch=launch)
        costs = compare_costs(d, launch)
        rows.append({
            "label": label, "gpu_count": d.gpu_count, "compute_power_W": d.compute_power_W,
            "module_count": d.module_count, "gpus_per_module": d.module.gpu_count,
            "module_mass_kg": d.module.mass_kg, "launch_count": costs.launch_count,
            "mass_kg": d.mass_kg, "radiator_area_m2": d.radiator_area_m2,
            "array_area_m2": d.array_area_m2, "battery_capacity_Wh": d.battery_capacity_Wh,
            "launch_cost_usd": costs.orbital.items_usd["launch"],
            "orbital_usd_per_gpu_hour": costs.orbital.usd_per_gpu_hour,
            "terrestrial_usd_per_gpu_hour": costs.ground.usd_per_gpu_hour,
            "breakeven_usd_per_kg": costs.breakeven_launch_price_usd_kg,
        })
    return {"rows": rows, "by_label": {r["label"]: r for r in rows},
            **write_outputs(NAME, out_dir, rows, _plot(rows, launch))}


def _plot(rows, launch):
    plt = pyplot()

    p = [r["compute_power_W"] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    ax1.loglog(p, [r["mass_kg"] for r in rows], "o-", label="launch mass [kg]")
    ax1.loglog(p, [r["launch_count"] for r in rows], "s-", label=f"{launch.name} launches")
    ax1.loglog(p, [r["radiator_area_m2"] for r in rows], "^-", label="radiator area [m^2]")
    ax1.set_xlabel("compute power [W]")
    ax1.grid(True, which="both", alpha=0.3)
    ax1.legend()
    ax2.semilogx(p, [r["orbital_usd_per_gpu_hour"] for r in rows], "o-", label="orbit")
    ax2.semilogx(p, [r["terrestrial_usd_per_gpu_hour"] for r in rows], "s-", label="ground")
    ax2.set_xlabel("compute power [W]")
    ax2.set_ylabel("cost per GPU-hour [USD], 5 years, undiscounted")
    ax2.set_ylim(bottom=0.0)
    ax2.grid(True, which="both", alpha=0.3)
    ax2.legend()
    for r in rows:
        ax1.annotate(r["label"], (r["compute_power_W"], r["mass_kg"]), fontsize=7,
                     textcoords="offset points", xytext=(4, -10))
    fig.suptitle("Dawn-dusk SSO 550 km: growth from one node to a gigawatt")
    return fig


if __name__ == "__main__":
    res = main(out_dir_from_args(__doc__))
    for r in res["rows"]:
        print(f"{r['label']:15s} {r['gpu_count']:9,d} GPUs  {r['module_count']:5d} modules x "
              f"{r['module_mass_kg'] / 1e3:6.1f} t  {r['launch_count']:5d} launches  "
              f"{r['mass_kg'] / 1e3:9,.1f} t  launch {r['launch_cost_usd'] / 1e6:9,.1f} M USD  "
              f"USD/GPU-h orbit {r['orbital_usd_per_gpu_hour']:5.2f} ground "
              f"{r['terrestrial_usd_per_gpu_hour']:5.2f}")
    print(f"wrote {res['csv']} and {res['png']}")
