"""The files of a study (:class:`thermal.study.run.StudyResult`) and its printed lines.

- ``study.csv``: one row per point: ``point``, each varied key (its path as the column name, its
  value as the case writes it), ``status`` (``pass`` | ``fail`` | ``infeasible`` | ``invalid``)
  and ``reason``, ``pareto`` (1 on the front), then every number of the point's results by its
  dotted path (``sizing.orbital_usd_per_gpu_hour``, ``sizing.mass_kg``, ``study.kg_per_kW``, ...:
  every numeric leaf of the ``sizing`` block, so a figure added there appears here).
- ``pareto.csv``: the rows of the Pareto front, passing points first, then by the first
  objective; with ``check: pareto`` the thermal check's verdict of each.
- ``study.json``: the study's figures: points and sizings, the statistics of the objectives and
  of the orbital and ground cost per GPU-hour, P(orbit cheaper than ground), the tornado, the
  Sobol indices, the Pareto indices and checks, the optimisation, the inputs that matter most.
- ``study_tornado.png``, ``study_cost.png`` (the distribution of the orbital cost per GPU-hour,
  the ground cost marked), ``study_orbit_cheaper.png`` (the distribution of the orbit-to-ground
  cost ratio with P(orbit cheaper) at ratio 1).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

from thermal.outputs.plots import literal
from thermal.outputs.summary import json_ready
from thermal.study.evaluate import GROUND_COST, ORBIT_COST
from thermal.study.run import StudyResult


def _leaves(node, prefix: str, out: dict) -> None:
    """Numeric leaves of a nested dict by dotted path (booleans as 0/1)."""
    if isinstance(node, dict):
        for k, v in node.items():
            _leaves(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(node, bool):
        out[prefix] = int(node)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        out[prefix] = node


def rows(result: StudyResult) -> tuple[list[str], list[dict]]:
    """The columns and rows of ``study.csv``."""
    front = set(result.pareto)
    paths = list(result.study.paths)
    out, results_columns = [], {}
    for i, p in enumerate(result.points):
        leaves: dict = {}
        _leaves(p.results, "", leaves)
        results_columns.update(dict.fromkeys(leaves))
        out.append({"point": i, **{k: p.values.get(k, "") for k in paths}, "status": p.status, "reason": p.reason,
                    "pareto": int(i in front), **leaves})
    return ["point", *paths, "status", "reason", "pareto", *results_columns], out


def _write_csv(path: Path, columns: list[str], table: list[dict]) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, columns, restval="", extrasaction="ignore")
        writer.writeheader()
        for row in table:
            writer.writerow({k: (repr(v) if isinstance(v, float) else v) for k, v in row.items()})


def figures(result: StudyResult) -> dict:
    """What ``study.json`` holds (plain numbers and text)."""
    s = result.study
    counts: dict[str, int] = {}
    for p in result.points:
        counts[p.status] = counts.get(p.status, 0) + 1
    return {
        "points": len(result.points), "status_counts": counts, "sizings": result.sizings,
        "method": s.method, "seed": s.seed, "varied": list(s.paths), "objectives": list(s.objectives),
        "constraints": [{"path": p, "min": lo, "max": hi} for p, lo, hi in s.constraints],
        "engine": s.engine, "statistics": result.statistics,
        "orbit_cheaper": result.orbit_cheaper,
        "base": {"status": result.base.status,
                 ORBIT_COST: (result.base.results.get("sizing") or {}).get("orbital_usd_per_gpu_hour")},
        "tornado": result.tornado, "sobol": result.sobol, "sobol_orbit_to_ground": result.sobol_ratio,
        "leading_inputs": result.leading_inputs[:3],
        "pareto": result.pareto, "checks": {str(k): v for k, v in result.checks.items()},
        "optimisation": result.optimisation, "wall_time_s": result.wall_time_s,
    }


def write_study(result: StudyResult, folder: Path, title: str) -> list[Path]:
    """Write the study's files into ``folder``; returns their paths."""
    folder = Path(folder)
    columns, table = rows(result)
    _write_csv(folder / "study.csv", columns, table)
    front = sorted(result.pareto, key=lambda i: (result.points[i].status != "pass",
                                                 table[i].get(result.study.objectives[0], math.inf)))
    pareto_rows = [{**table[i], **({"check": result.checks[i]["status"], "check_binding": result.checks[i].get(
        "binding", result.checks[i].get("reason", ""))} if i in result.checks else {})} for i in front]
    _write_csv(folder / "pareto.csv", [*columns[:len(result.study.paths) + 4], "check", "check_binding",
                                       *columns[len(result.study.paths) + 4:]], pareto_rows)
    (folder / "study.json").write_text(json.dumps(json_ready(figures(result)), indent=2) + "\n")
    written = [folder / "study.csv", folder / "pareto.csv", folder / "study.json"]
    written += _plots(result, folder, title)
    return written


def _short(value) -> str:
    """A value as a label: its number to 4 significant digits, its unit as written."""
    number, _, unit = str(value).partition(" ")
    try:
        return f"{float(number):.4g} {unit}".strip()
    except ValueError:
        return str(value)


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _costs(result: StudyResult) -> tuple[np.ndarray, np.ndarray]:
    sized = [p for p in result.points if p.results]
    orbit = np.array([p.results["sizing"]["orbital_usd_per_gpu_hour"] for p in sized])
    ground = np.array([p.results["sizing"]["terrestrial_usd_per_gpu_hour"] for p in sized])
    return orbit, ground


def _saved(fig, path: Path) -> Path:
    """Lay out, write and close one figure; its path."""
    fig.tight_layout()
    fig.savefig(path)
    _pyplot().close(fig)
    return path


def _plots(result: StudyResult, folder: Path, title: str) -> list[Path]:
    plt = _pyplot()
    out = []
    rows_t = [r for r in result.tornado if math.isfinite(r["swing"])]
    if rows_t:
        base = result.statistics.get(ORBIT_COST, {}).get("median")
        y0 = (result.base.results.get("sizing") or {}).get("orbital_usd_per_gpu_hour", base)
        fig, ax = plt.subplots(figsize=(9, 1.2 + 0.5 * len(rows_t)), dpi=110)
        for k, r in enumerate(reversed(rows_t)):
            for y, side, colour in ((r["result_low"], r["low"], "tab:blue"), (r["result_high"], r["high"], "tab:red")):
                if y is None or y == y0:
                    continue
                ax.barh(k, y - y0, left=y0, color=colour, alpha=0.8)
                ax.text(y, k, f" {literal(_short(side))} ", va="center", ha="left" if y >= y0 else "right",
                        fontsize=8)
        ax.set_yticks(range(len(rows_t)), [literal(r["path"]) for r in reversed(rows_t)])
        ax.axvline(y0, color="k", lw=1)
        ax.set_xlabel("orbital cost per GPU-hour [USD/h] (blue: input low, red: input high; others at the case's)")
        ax.set_title(literal(f"{title}: what moves the orbital cost per GPU-hour"))
        out.append(_saved(fig, folder / "study_tornado.png"))
    orbit, ground = _costs(result)
    if orbit.size > 1:
        fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
        ax.hist(orbit, bins=min(60, max(10, orbit.size // 20)), color="tab:blue", alpha=0.75, label="orbit")
        for x, style, label in ((np.median(ground), "-", "ground (median)"),
                                (np.percentile(ground, 5), ":", "ground 5th-95th percentile"),
                                (np.percentile(ground, 95), ":", None)):
            ax.axvline(x, color="tab:green", ls=style, lw=2, label=label)
        ax.set_xlabel("cost per GPU-hour [USD/h]")
        ax.set_ylabel("points")
        ax.set_title(literal(f"{title}: orbital cost per GPU-hour over {orbit.size} points"))
        ax.legend()
        out.append(_saved(fig, folder / "study_cost.png"))
        ratio = np.sort(orbit / ground)
        p = result.orbit_cheaper["probability"]
        fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
        ax.plot(ratio, np.arange(1, ratio.size + 1) / ratio.size, color="tab:blue")
        ax.axvline(1.0, color="tab:green", lw=2)
        ax.axhline(p, color="0.5", ls="--")
        ax.set_xlabel("orbital / ground cost per GPU-hour")
        ax.set_ylabel("P(ratio <= x)")
        ax.set_title(literal(f"{title}: P(orbit cheaper than ground) = {p:.3f}"))
        out.append(_saved(fig, folder / "study_orbit_cheaper.png"))
    return out


def study_lines(result: StudyResult) -> list[str]:
    """The lines the solve command prints for a study."""
    s = result.statistics.get(ORBIT_COST, {})
    g = result.statistics.get(GROUND_COST, {})
    counts = figures(result)["status_counts"]
    lines = [f"study: {len(result.points)} points ({', '.join(f'{n} {k}' for k, n in counts.items())}), "
             f"{result.sizings} sizing(s), {result.wall_time_s:.1f} s"]
    p = result.orbit_cheaper
    if s.get("count") and result.study.sampled:
        lines.append(f"  P(orbit cheaper than ground) = {p['probability']:.3f} (+- {p['standard_error']:.3f})")
        lines.append(f"  orbital cost per GPU-hour: median {s['median']:.2f} USD/h, 90 % interval "
                     f"{s['p5']:.2f}-{s['p95']:.2f} USD/h (ground: median {g['median']:.2f} USD/h)")
    elif s.get("count"):     # a grid: no probabilities, its range
        cheaper = round(p["probability"] * p["count"])
        lines.append(f"  orbit cheaper than ground at {cheaper} of {p['count']} grid points")
        lines.append(f"  orbital cost per GPU-hour over the grid: {s['min']:.2f}-{s['max']:.2f} USD/h (ground: "
                     f"{g['min']:.2f}-{g['max']:.2f} USD/h)")
    leading = result.leading_inputs[:3]
    if leading:
        how = "total Sobol index" if result.sobol and "skipped" not in result.sobol else "tornado swing"
        lines.append(f"  inputs that matter most ({how}): {', '.join(leading)}")
    ratio = result.sobol_ratio
    if ratio and "skipped" not in ratio:
        decisive = sorted(ratio, key=lambda k: -ratio[k]["ST"])[:3]
        lines.append("  what decides orbit against ground (total Sobol index of the cost ratio): "
                     + ", ".join(decisive))
    if result.pareto:
        lines.append(f"  Pareto front: {len(result.pareto)} point(s) over {', '.join(result.study.objectives)}")
    for i, check in result.checks.items():
        lines.append(f"  check of Pareto point {i}: {check['status']} ({check.get('binding', check.get('reason'))})")
    if result.optimisation and "best" in result.optimisation:
        best = result.optimisation["best"]
        lines.append(f"  optimum ({result.optimisation['method']}, {result.optimisation['evaluations']} evaluations): "
                     + ", ".join(f"{k} = {v}" for k, v in best["values"].items())
                     + "; " + ", ".join(f"{k} = {v:.6g}" for k, v in best["objectives"].items()))
    elif result.optimisation:
        lines.append(f"  optimisation ({result.optimisation['method']}): {len(result.optimisation['front'])} "
                     "non-dominated design(s) in study.json")
    return lines


def run_and_write(case, folder: Path, progress=None, quiet: bool = False, run=None) -> list[str]:
    """Run the case's study (:func:`thermal.study.run.run_study`), write its files into ``folder``
    and return the lines to print (the solve command's hook). ``run``: the solve's own run of the
    case; its design and sizing are the study's base point (not sized a second time)."""
    from thermal.study.evaluate import sized_design
    from thermal.study.run import run_study
    sized = None
    if getattr(run, "design", None) is not None and run.sizing is not None:
        sized = sized_design(case, run.design, {k: v for k, v in run.sizing.items() if k != "check"})
    result = run_study(case, progress, quiet, sized=sized)
    write_study(result, folder, case.name)
    return study_lines(result)
