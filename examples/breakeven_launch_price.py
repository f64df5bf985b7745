"""Break-even launch price against the ground electricity price and PUE.

A 1 MW orbital data centre (dawn-dusk SSO at 550 km, sized for every season and priced by
:func:`thermal.sizing.economics.design_point` with the default inputs) against the same GPUs in a
data centre on the ground, over five years, undiscounted (:mod:`thermal.sizing.economics`). The
break-even launch price is the launcher's headline USD/kg (Starship's payload to its headline orbit;
to the 550 km sun-synchronous orbit it carries less, so each kg there costs more) at which both cost
the same per GPU-hour; it is shown with the spacecraft hardware at its default prices (by part:
array per W, battery per kWh, radiator per m^2, bus per module, the rest per kg) and with that
hardware free, the launch-only bound that most published comparisons quote. A negative
break-even means that the orbital design costs more than the ground even with free launch.

Run: ``python examples/breakeven_launch_price.py [--out DIR]``
(default ``results/examples/breakeven_launch_price``).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from examples._common import out_dir_from_args, pyplot, write_outputs
from thermal.case.sizing import LAUNCH_OPTIONS, CostInputs, SizingConfig, TerrestrialComparison
from thermal.sizing.economics import breakeven_launch_price_usd_kg, design_point
from thermal.sizing.orbit_cases import SizingEnvironment, orbit_cases_sun_synchronous

#: The hardware free: every price of the spacecraft but the GPUs at zero.
HARDWARE_FREE = CostInputs(spacecraft_usd_per_kg=0.0, array_usd_per_W=0.0, battery_usd_per_kWh=0.0,
                           radiator_usd_per_m2=0.0, bus_usd_per_module=0.0)

NAME = "breakeven_launch_price"
PUES = (1.1, 1.3, 1.58)


def main(out_dir=None, *, target_compute_W: float = 1.0e6, electricity_usd_kWh=None,
         pues=PUES, n_prices: int = 15, n_epochs: int = 12, n_time: int = 180) -> dict:
    """Sweep electricity price and PUE; write ``breakeven_launch_price.csv`` and ``.png``.

    Parameters
    ----------
    out_dir : path, optional
        Output folder; default ``results/examples/breakeven_launch_price``.
    target_compute_W : float, default 1e6
        Compute power [W].
    electricity_usd_kWh : sequence of float, optional
        Ground electricity prices [USD/kWh]; default ``n_prices`` from 0.02 to 0.30.
    pues : sequence of float
        Ground PUEs [-].
    n_prices, n_epochs, n_time : int
        Sweep size, orbit cases and samples per orbit.

    Returns
    -------
    dict
        ``breakeven_usd_per_kg`` and ``breakeven_launch_only_usd_per_kg`` (headline USD/kg) at the
        reference point (0.08 USD/kWh, PUE 1.3); ``mass_kg``, ``compute_power_W``, ``gpu_count``,
        ``hardware_usd``, ``useful_gpu_hours``, ``payload_to_orbit_kg``, ``payload_headline_kg``
        of the design; ``grid`` (rows of the CSV); ``csv``; ``png``.
    """
    prices = (np.linspace(0.02, 0.30, n_prices) if electricity_usd_kWh is None
              else np.asarray(electricity_usd_kWh, float))
    sizing = SizingConfig(target={"compute_power_W": target_compute_W}, samples_per_orbit=n_time)
    design, costs, summary = design_point(SizingEnvironment.of(orbit_cases_sun_synchronous(550e3, 6.0,
                                                                                            n_epochs=n_epochs)), sizing)
    launch = costs.launch   # to the design orbit
    to_headline = launch.payload_kg / costs.launch_model["payload_headline_kg"]
    with_hw, launch_only = CostInputs(), HARDWARE_FREE

    def breakeven(price, pue, inputs):
        ground = TerrestrialComparison(pue=pue, electricity_usd_kWh=float(price))
        return to_headline * breakeven_launch_price_usd_kg(design, launch, ground, inputs, sizing)

    grid = [{"electricity_usd_kWh": float(p), "pue": float(pue),
             "breakeven_usd_per_kg": breakeven(p, pue, with_hw),
             "breakeven_launch_only_usd_per_kg": breakeven(p, pue, launch_only)}
            for pue in pues for p in prices]
    files = write_outputs(NAME, out_dir, grid, _plot(grid, pues))
    return {
        "breakeven_usd_per_kg": breakeven(0.08, 1.3, with_hw),
        "breakeven_launch_only_usd_per_kg": breakeven(0.08, 1.3, launch_only),
        "mass_kg": design.mass_kg,
        "compute_power_W": design.compute_power_W,
        "gpu_count": design.gpu_count,
        "hardware_usd": sum(summary["costs"]["hardware_usd"].values()),
        "useful_gpu_hours": costs.orbital.gpu_hours,
        "payload_to_orbit_kg": launch.payload_kg,
        "payload_headline_kg": costs.launch_model["payload_headline_kg"],
        "grid": grid, **files,
    }


def _plot(grid, pues):
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(8, 5))
    for i, pue in enumerate(pues):
        sel = [g for g in grid if g["pue"] == pue]
        x = [g["electricity_usd_kWh"] for g in sel]
        color = f"C{i}"
        ax.plot(x, [g["breakeven_launch_only_usd_per_kg"] for g in sel], "-", color=color,
                label=f"PUE {pue:g}, spacecraft hardware free")
        ax.plot(x, [g["breakeven_usd_per_kg"] for g in sel], "--", color=color,
                label=f"PUE {pue:g}, hardware at its default prices")
    for launch in LAUNCH_OPTIONS.values():
        if launch.price_usd_kg < 1000:
            ax.axhline(launch.price_usd_kg, color="k", lw=0.8, ls=":")
            ax.annotate(f"{launch.name} {launch.price_usd_kg:g} USD/kg", (0.02, launch.price_usd_kg),
                        fontsize=7, textcoords="offset points", xytext=(2, 2))
    ax.axhline(0.0, color="k", lw=0.8)
    ax.set_xlabel("ground electricity price [USD/kWh]")
    ax.set_ylabel("break-even launch price, headline [USD/kg]")
    ax.set_title("1 MW in dawn-dusk SSO vs the ground, 5 years (Falcon 9: 3,600 USD/kg)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    return fig


if __name__ == "__main__":
    res = main(out_dir_from_args(__doc__))
    print(f"1 MW, {res['mass_kg'] / 1e3:.1f} t: break-even launch price at 0.08 USD/kWh, PUE 1.3: "
          f"{res['breakeven_usd_per_kg']:,.0f} USD/kg with the hardware at its default prices, "
          f"{res['breakeven_launch_only_usd_per_kg']:,.0f} USD/kg with hardware free")
    print(f"wrote {res['csv']} and {res['png']}")
