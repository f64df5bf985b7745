"""The results files of the contract: summary.json, timeseries.csv and PNG plots.

They are written into the staging folder of :mod:`thermal.outputs.directory`, which replaces the
results folder only when everything is written.
"""

import csv
import json
from pathlib import Path

import numpy as np


def write_summary(path: Path, summary: dict) -> None:
    Path(path).write_text(json.dumps(_plain(summary), indent=2, sort_keys=False) + "\n")


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def write_timeseries(path: Path, columns: dict[str, np.ndarray]) -> None:
    names = list(columns)
    rows = np.column_stack([np.asarray(columns[k], float) for k in names])
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in rows:
            writer.writerow([f"{v:.6g}" for v in row])


def shade_eclipses(ax, time_s: np.ndarray, in_shadow: np.ndarray, scale: float) -> None:
    """Grey bands where the spacecraft is in the Earth's shadow (penumbra included)."""
    if in_shadow is None or not np.any(in_shadow):
        return
    edges = np.flatnonzero(np.diff(np.concatenate([[0], in_shadow.astype(int), [0]])))
    for start, stop in zip(edges[::2], edges[1::2]):
        ax.axvspan(time_s[start] / scale, time_s[min(stop, len(time_s) - 1)] / scale, color="0.85", zorder=0,
                   label="eclipse" if start == edges[0] else None)


def plot_temperatures(path: Path, time_s, part_T_mean_K: dict, gpu_junction_K, in_shadow, limits_K: dict,
                      title: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    scale = 60.0
    shade_eclipses(ax, time_s, in_shadow, scale)
    for name, values in part_T_mean_K.items():
        ax.plot(time_s / scale, np.asarray(values) - 273.15, label=name, lw=1.4)
    if gpu_junction_K is not None and np.any(np.isfinite(gpu_junction_K)):
        ax.plot(time_s / scale, np.asarray(gpu_junction_K) - 273.15, "k--", lw=1.6, label="GPU junction (max)")
    for name, (low, high) in limits_K.items():
        if np.isfinite(high):
            ax.axhline(high - 273.15, color="r", lw=0.8, ls=":")
            ax.annotate(f"{name} max", (0, high - 273.15), color="r", fontsize=7, va="bottom")
    ax.set_xlabel("time in orbit [min]")
    ax.set_ylabel("temperature [degC]")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="best")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_power(path: Path, time_s, array_W, load_W, soc, in_shadow, title: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    scale = 60.0
    shade_eclipses(ax, time_s, in_shadow, scale)
    ax.plot(time_s / scale, np.asarray(array_W) / 1e3, label="array output")
    ax.plot(time_s / scale, np.asarray(load_W) / 1e3, label="load")
    ax.set_xlabel("time in orbit [min]")
    ax.set_ylabel("power [kW]")
    ax2 = ax.twinx()
    ax2.plot(time_s / scale, soc, "g--", label="battery state of charge")
    ax2.set_ylabel("state of charge [-]")
    ax2.set_ylim(0, 1.05)
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=8, loc="lower left")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
