"""The seeds' claims about orbital data centres, each against what the tool computes.

The claims (as the project's seed material states them):

1. Starship will launch at 200-300 USD/kg.
2. A 200 MW orbital data centre costs 5-7.5 bn USD to launch, against 15-25 bn USD for a
   supercomputer on the ground.
3. Ground data centres spend 30-40 % of their power on cooling (which orbit would avoid).
4. Space compute wins below 100 USD/kg.

For each, the script prints what the tool computes, under which assumptions, and the probability
of the claim under the default uncertainties: the study of ``cases/h100_1MW.yaml`` (six economics
inputs drawn over their published ranges, sources in that file and in
:mod:`thermal.sizing.economics`), run through :func:`thermal.study.run.run_study`. The designs
are the 1 MW case's (H100 nodes, 550 km dawn-dusk orbit, sized for every season) with the
analytic radiator sizing (``sizing.refine: none``: seconds instead of a minute; the network
refinement makes the 1 MW radiator 11 % smaller, the cost per GPU-hour about 1 % lower), and for
claim 2 the same design scaled to 200 MW of compute (more modules, the same per-module design).
Costs are undiscounted over the five-year mission; what the cost model leaves out is listed in
:mod:`thermal.sizing.economics`.

Run: ``python examples/seed_claims.py [--out DIR]`` (default ``results/examples/seed_claims``).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from examples._common import out_dir_from_args, pyplot, write_outputs
from thermal.case import load_case
from thermal.case.document import load_yaml
from thermal.case.study import frozen
from thermal.study.run import run_study

NAME = "seed_claims"
CASE = Path(__file__).resolve().parents[1] / "cases" / "h100_1MW.yaml"


def _study(samples: int, seed: int, target: str | None = None, fixed: dict | None = None):
    """The 1 MW case's study (its default uncertainties), analytic sizing, ``samples`` Latin
    hypercube samples; ``target`` a compute power ('200 MW'); ``fixed`` keys taken out of the
    study and set in the case."""
    doc = load_yaml(CASE)
    doc["sizing"]["refine"] = "none"
    if target:
        doc["sizing"]["target"] = {"compute_power": target}
    study = copy.deepcopy(doc["study"])
    for path, value in (fixed or {}).items():
        study["vary"].pop(path)
        section, key = path.split(".", 1)
        doc[section][key] = value
    study.update({"samples": {"method": "latin_hypercube", "count": samples, "seed": seed}, "sensitivity": "none"})
    doc["study"] = study
    case = load_case(doc, base_dir=CASE.parent)
    return case, run_study(case, quiet=True)


def _column(result, path: str) -> np.ndarray:
    section, key = path.split(".", 1)
    return np.array([p.results[section][key] for p in result.points if p.results])


def main(out_dir=None, *, samples: int = 4000, seed: int = 1) -> dict:
    """Evaluate the four claims; write ``seed_claims.csv`` and ``.png``.

    Returns
    -------
    dict
        Per claim its figures (``starship``, ``launch_200MW``, ``cooling``, ``below_100``) and the
        designs' figures the test checks by hand.
    """
    case, mw = _study(samples, seed)
    launch = next(v for v in case.study.variables if v.path == "economics.launch_price")
    pue = next(v for v in case.study.variables if v.path == "economics.terrestrial.pue")
    base = mw.base.results["sizing"]
    rows = []

    # 1. Starship at 200-300 USD/kg: the probability the default launch-price distribution gives
    # it, and the 1 MW cost per GPU-hour at both ends
    dist = frozen(launch)
    p_starship = float(dist.cdf(300.0) - dist.cdf(200.0))
    lp = _column(mw, "sizing.launch_price_usd_per_kg")
    cost = _column(mw, "sizing.orbital_usd_per_gpu_hour")
    in_band = (lp >= 200.0) & (lp <= 300.0)
    starship = {"p_in_band": p_starship, "cost_in_band_median": float(np.median(cost[in_band])),
                "ground_median": float(np.median(_column(mw, "sizing.terrestrial_usd_per_gpu_hour")))}
    rows.append({"claim": "Starship at 200-300 USD/kg", "tool": f"1 MW orbit {starship['cost_in_band_median']:.2f} "
                 f"USD/GPU-h at those prices against {starship['ground_median']:.2f} on the ground",
                 "probability": p_starship,
                 "assumes": "launch price triangular 100/250/1000 USD/kg (cases/h100_1MW.yaml study)"})

    # 2. 200 MW: launch 5-7.5 bn USD against 15-25 bn USD on the ground
    big_case, big = _study(samples, seed + 1, target="200 MW")
    b = big.base.results["sizing"]
    launch_cost = _column(big, "sizing.launch_cost_usd")
    ground = _column(big, "sizing.terrestrial_cost_usd")
    orbit_total = _column(big, "sizing.orbital_cost_usd")
    launch_200 = {"mass_kg": b["mass_kg"], "launch_cost_usd": b["launch_cost_usd"],
                  "price_to_orbit_usd_per_kg": b["costs"]["launch"]["price_to_orbit_usd_per_kg"],
                  "launch_cost_median_usd": float(np.median(launch_cost)),
                  "p_launch_in_claim": float(np.mean((launch_cost >= 5e9) & (launch_cost <= 7.5e9))),
                  "ground_median_usd": float(np.median(ground)),
                  "p_ground_in_claim": float(np.mean((ground >= 15e9) & (ground <= 25e9))),
                  "orbit_total_median_usd": float(np.median(orbit_total)),
                  "p_orbit_cheaper": big.orbit_cheaper["probability"]}
    rows.append({"claim": "200 MW: launch 5-7.5 bn USD vs 15-25 bn USD on the ground",
                 "tool": f"{b['mass_kg'] / 1e3:,.0f} t, launch {launch_200['launch_cost_median_usd'] / 1e9:.1f} bn USD "
                         f"(median), whole orbital cost {launch_200['orbit_total_median_usd'] / 1e9:.1f} bn USD "
                         f"against {launch_200['ground_median_usd'] / 1e9:.1f} bn USD on the ground (GPUs included; "
                         f"P(ground 15-25 bn) = {launch_200['p_ground_in_claim']:.3f}, P(orbit cheaper) = "
                         f"{launch_200['p_orbit_cheaper']:.3f})",
                 "probability": launch_200["p_launch_in_claim"],
                 "assumes": "the 1 MW module design repeated to 200 MW; GPUs priced on both sides"})

    # 3. Cooling takes 30-40 % of a ground data centre's power: at most (PUE - 1) / PUE of it
    # (all overhead counted as cooling). The orbit has its own cooling bill: radiator, loop and
    # pump mass, built and launched
    pue_lo, pue_hi = 1.0 / (1.0 - 0.30), 1.0 / (1.0 - 0.40)
    p_cooling = float(frozen(pue).cdf(pue_hi) - frozen(pue).cdf(pue_lo))
    mass = base["mass_breakdown_kg"]
    cooling_mass = mass["radiator"] + mass["heat_transport"]
    cooling_share = cooling_mass / base["mass_kg"]
    cooling = {"pue_for_30_percent": pue_lo, "pue_for_40_percent": pue_hi, "p_claim": p_cooling,
               "ground_electricity_share": base["terrestrial_cost_breakdown_usd"]["electricity"]
               / base["terrestrial_cost_usd"],
               "orbit_cooling_mass_share": cooling_share}
    rows.append({"claim": "ground spends 30-40 % of its power on cooling",
                 "tool": f"needs PUE {pue_lo:.2f}-{pue_hi:.2f} if all overhead were cooling; electricity is "
                         f"{100 * cooling['ground_electricity_share']:.0f} % of the ground cost; the orbit's "
                         f"radiator and loop are {100 * cooling_share:.0f} % of its mass",
                 "probability": p_cooling, "assumes": "PUE uniform 1.1-1.6 (new builds to fleet average)"})

    # 4. Space compute wins below 100 USD/kg: the other inputs still uncertain, launch at 100
    _, cheap = _study(samples, seed + 2, fixed={"economics.launch_price": "100 usd/kg"})
    c = cheap.base.results["sizing"]
    below_100 = {"p_orbit_cheaper": cheap.orbit_cheaper["probability"],
                 "cost_at_case_values": c["orbital_usd_per_gpu_hour"],
                 "ground_at_case_values": c["terrestrial_usd_per_gpu_hour"],
                 "median": cheap.statistics["sizing.orbital_usd_per_gpu_hour"]["median"],
                 "mass_kg": c["mass_kg"], "compute_mass_kg": mass["compute"], "gpu_count": c["gpu_count"],
                 "mission_years": c["mission_years"]}
    rows.append({"claim": "space compute wins below 100 USD/kg",
                 "tool": f"at 100 USD/kg the 1 MW orbit costs {below_100['cost_at_case_values']:.2f} USD/GPU-h "
                         f"against {below_100['ground_at_case_values']:.2f} on the ground (case values)",
                 "probability": below_100["p_orbit_cheaper"],
                 "assumes": "launch at 100 USD/kg; hardware, GPU and ground inputs as the study draws them"})

    files = write_outputs(NAME, out_dir, rows, _plot(rows))
    return {"starship": starship, "launch_200MW": launch_200, "cooling": cooling, "below_100": below_100,
            "rows": rows, "samples": samples, "sizings": mw.sizings + big.sizings + cheap.sizings,
            "big_case_target_W": big_case.sizing.target, **files}


def _plot(rows):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 3.8))
    labels = [r["claim"] for r in rows]
    ax.barh(range(len(rows)), [r["probability"] for r in rows], color="tab:blue")
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability of the claim under the default uncertainties")
    ax.set_title("The seeds' claims against the tool (cases/h100_1MW.yaml study)")
    return fig


if __name__ == "__main__":
    result = main(out_dir_from_args(__doc__))
    for row in result["rows"]:
        print(f"{row['claim']}: P = {row['probability']:.3f}; {row['tool']} [{row['assumes']}]")
