"""Sizing at speed (issue 13): analytic design points per second, priced samples per second with
arrays, and network-refined designs per second.

Run from the repository root (see benchmarks/README.md)::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/sizing_benchmark.py [--points 2000] [--samples 10000] [--refine]
    PYTHONPATH=/path/to/main .venv/bin/python benchmarks/sizing_benchmark.py --geometries-only   # the old path

Figures printed:

- ``geometries``: ``size_design`` given the orbit geometries of ``cases/h100_1MW.yaml`` (24 epochs of
  a year and the case's own orbit), the first call (every orbit case's environment computed) and
  the calls after it. This is the one call both the path before issue 13 and this one have, so
  ``--geometries-only`` times either tree.
- ``design_point``: :func:`thermal.sizing.economics.design_point` (the environment prepared once,
  sized, priced, summarised), (a) the economics varied at one sizing, (b) the radiator
  temperature varied (a new sizing each point), (c) the junction margin varied (the radiator
  temperature solved through the transport chain each point), (d) the 1 GW case, (e) as (c) with
  the radiator's surroundings (the wings and the body in its view, traced once: its own line).
- ``cost_samples``: the 1 MW design priced for arrays of the uncertain price inputs at once.
- ``--refine``: :func:`thermal.sizing.run.run_sizing` with the network refinement of the case.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def rate(label: str, n: int, seconds: float) -> None:
    print(f"{label:<70s} {n:>7d} in {seconds:8.3f} s: {n / seconds:>10,.0f} /s ({1e3 * seconds / n:.3f} ms each)")


def geometries(case, points: int) -> None:
    from thermal.sizing.design import size_design
    from thermal.sizing.orbit_cases import sizing_orbits

    geoms = sizing_orbits(case, case.sizing)
    launch = case.economics.launch
    t0 = time.perf_counter()
    size_design(geoms, case.sizing, env=case.environment, launch=launch)
    rate("geometries: size_design, first call (environment computed)", 1, time.perf_counter() - t0)
    n = max(1, points // 10)
    t0 = time.perf_counter()
    for _ in range(n):
        size_design(geoms, case.sizing, env=case.environment, launch=launch)
    rate("geometries: size_design, the calls after", n, time.perf_counter() - t0)


def fast(case, big, points: int, samples: int) -> None:
    from thermal.case.sizing import ECONOMICS_UNCERTAINTY
    from thermal.sizing.economics import PRICE_KEYS, cost_samples, design_point
    from thermal.sizing.orbit_cases import sizing_environment

    t0 = time.perf_counter()
    senv = sizing_environment(case, case.sizing)
    senv.absorbed_total_W_m2(case.sizing)
    rate("environment of the 25 orbit cases, computed once", 1, time.perf_counter() - t0)
    econ = case.economics
    design_point(senv, case.sizing, econ)

    prices = np.linspace(100.0, 400.0, points)
    t0 = time.perf_counter()
    for p in prices:
        design_point(senv, case.sizing, dataclasses.replace(
            econ, launch=dataclasses.replace(econ.launch, price_usd_kg=float(p))))
    rate("design_point (a): economics varied, one sizing", points, time.perf_counter() - t0)

    t_rad = np.linspace(290.0, 330.0, points)
    t0 = time.perf_counter()
    for t in t_rad:
        s = dataclasses.replace(case.sizing, radiator=dataclasses.replace(case.sizing.radiator, temperature_K=float(t)))
        design_point(senv, s, econ)
    rate("design_point (b): radiator temperature varied (a new sizing each)", points, time.perf_counter() - t0)

    margins = np.linspace(5.0, 20.0, points)
    t0 = time.perf_counter()
    for mk in margins:
        design_point(senv, dataclasses.replace(case.sizing, junction_margin_K=float(mk)), econ)
    rate("design_point (c): junction margin varied (radiator temperature solved)", points, time.perf_counter() - t0)

    # the radiator's surroundings (the wings and the body, thermal.sizing.surroundings): traced and
    # kept once, then every design point as fast; the junction margin moves the body's temperature
    from thermal.sizing.economics import launch_to_orbit
    from thermal.sizing.run import surrounded_environment
    launch, _ = launch_to_orbit(econ.launch, senv.altitude_m, senv.inclination_rad)
    t0 = time.perf_counter()
    seen = surrounded_environment(case, case.sizing, sizing_environment(case, case.sizing), launch)
    rate("environment with the radiator's surroundings and the wings' shadow (traced, sized again)", 1,
         time.perf_counter() - t0)
    design_point(seen, case.sizing, econ)
    t0 = time.perf_counter()
    for mk in margins:
        design_point(seen, dataclasses.replace(case.sizing, junction_margin_K=float(mk)), econ)
    rate("design_point (e): as (c), the radiator seeing the wings and the body", points, time.perf_counter() - t0)

    senv_big = sizing_environment(big, big.sizing)
    design_point(senv_big, big.sizing, big.economics)
    n = max(1, points // 4)
    t0 = time.perf_counter()
    for t in np.linspace(290.0, 330.0, n):
        s = dataclasses.replace(big.sizing, radiator=dataclasses.replace(big.sizing.radiator, temperature_K=float(t)))
        design_point(senv_big, s, big.economics)
    rate("design_point (d): 1 GW, radiator temperature varied", n, time.perf_counter() - t0)

    design, costs, _ = design_point(senv, case.sizing, econ)
    rng = np.random.default_rng(13)
    draws = {u.key: rng.uniform(u.low, u.high, samples) for u in ECONOMICS_UNCERTAINTY if u.key in PRICE_KEYS}
    cost_samples(design, costs, case.sizing, draws)
    t0 = time.perf_counter()
    out = cost_samples(design, costs, case.sizing, draws)
    rate(f"cost_samples: 1 MW design priced for {len(draws)} inputs as arrays", samples, time.perf_counter() - t0)
    c = out["orbital_usd_per_gpu_hour"]
    print(f"    (uniform draws over the ranges: orbit {np.median(c):.2f} USD/GPU-h median, "
          f"P(orbit < ground) = {np.mean(c < out['terrestrial_usd_per_gpu_hour']):.3f})")


def refine(case) -> None:
    from thermal.sizing.run import run_sizing

    t0 = time.perf_counter()
    _, summary = run_sizing(case, case.sizing, case.economics)
    rate("run_sizing with the network refinement (1 MW)", 1, time.perf_counter() - t0)
    r = summary["refinement"]
    print(f"    refinement: network runs {r.get('network_runs')}, converged {r.get('converged')}, "
          f"its own wall time {r.get('wall_time_s', float('nan')):.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=2000)
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--refine", action="store_true")
    ap.add_argument("--geometries-only", action="store_true")
    a = ap.parse_args()
    from thermal.case import load_case

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    case = load_case(ROOT / "cases" / "h100_1MW.yaml")
    geometries(case, a.points)
    if a.geometries_only:
        return
    fast(case, load_case(ROOT / "cases" / "h100_1GW.yaml"), a.points, a.samples)
    if a.refine:
        refine(case)


if __name__ == "__main__":
    main()
