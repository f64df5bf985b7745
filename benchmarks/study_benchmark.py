"""A study's speed: the 10,000-sample Monte Carlo of the 1 MW cost per GPU-hour.

`cases/h100_1MW.yaml` carries a study of its uncertain economics inputs (six distributions,
10,000 Latin-hypercube samples, Sobol indices from 1,024 x 8 Saltelli points). The economics do
not change the design, so every sample shares the one sizing and costs one reading of the
economics section and one pricing (:mod:`thermal.study.evaluate`). This prints the time of the one
sizing (with the case's network refinement, or `--refine none` for the analytic sizing alone),
of the 10,000 samples, of the Sobol points and of the whole study, and the figures it found.

    PYTHONPATH=. .venv/bin/python benchmarks/study_benchmark.py [--refine none] [--samples 10000]
"""

import argparse
import time
from pathlib import Path

from thermal.case import load_case
from thermal.case.document import load_yaml
from thermal.study.evaluate import ORBIT_COST, Evaluator
from thermal.study.run import run_study
from thermal.study.sampling import study_points

CASE = Path(__file__).parents[1] / "cases" / "h100_1MW.yaml"


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refine", choices=("network", "none"), default=None,
                        help="override sizing.refine (default: the case's, network)")
    parser.add_argument("--samples", type=int, default=None, help="override study.samples.count")
    args = parser.parse_args(argv)
    doc = load_yaml(CASE)
    if args.refine:
        doc["sizing"]["refine"] = args.refine
    if args.samples:
        doc["study"]["samples"]["count"] = args.samples
    t = time.perf_counter()
    case = load_case(doc, base_dir=CASE.parent)
    read_s = time.perf_counter() - t
    evaluator = Evaluator(case.study)
    t = time.perf_counter()
    base = evaluator.evaluate({})
    sizing_s = time.perf_counter() - t
    points = study_points(case.study)
    t = time.perf_counter()
    priced = [evaluator.evaluate(values) for values in points]
    mc_s = time.perf_counter() - t
    assert len(evaluator.sized) == 1 and all(p.status == "pass" for p in priced)
    t = time.perf_counter()
    result = run_study(case, quiet=True)
    study_s = time.perf_counter() - t
    s = result.statistics[ORBIT_COST]
    out = {"samples": len(points), "read_s": read_s, "sizing_s": sizing_s, "monte_carlo_s": mc_s,
           "per_sample_us": 1e6 * mc_s / len(points), "study_s": study_s, "median": s["median"], "p5": s["p5"],
           "p95": s["p95"], "p_orbit_cheaper": result.orbit_cheaper["probability"],
           "leading": result.leading_inputs[:3], "base": base.results["sizing"]["orbital_usd_per_gpu_hour"]}
    print(f"case h100_1MW, sizing.refine {case.sizing.refine}, {len(points)} samples of "
          f"{len(case.study.variables)} economics inputs")
    print(f"  reading the case and its study: {read_s:.2f} s")
    print(f"  the one sizing (shared by every sample): {sizing_s:.2f} s")
    print(f"  Monte Carlo, {len(points)} samples priced: {mc_s:.2f} s ({out['per_sample_us']:.0f} us per sample)")
    print(f"  one sizing + Monte Carlo: {sizing_s + mc_s:.2f} s")
    print(f"  the whole study (sizing, samples, tornado, {case.study.sensitivity_samples} x "
          f"{len(case.study.variables) + 2} Saltelli points, Sobol indices): {study_s:.2f} s")
    print(f"  orbital cost per GPU-hour: case {out['base']:.3f}, median {s['median']:.3f}, 90 % interval "
          f"{s['p5']:.3f}-{s['p95']:.3f} USD/h; P(orbit cheaper) {out['p_orbit_cheaper']:.4f}; "
          f"leading inputs {', '.join(out['leading'])}")
    return out


if __name__ == "__main__":
    main()
