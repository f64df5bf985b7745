"""The PNG plots of a results folder: part temperatures, power and battery, energy audit, sizing.

matplotlib on its non-interactive Agg backend, imported on first use. Text from the case (its name
in the titles, part names in legends and labels) is shown as written: every ``$`` is escaped
(:func:`literal`), so that matplotlib's mathtext never parses it (``$x^$`` would stop the plot),
and legends are given their labels explicitly (a label starting with ``_`` would be dropped).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geometry.view import distinct_colours
from thermal.core.constants import KELVIN_OFFSET


def literal(text) -> str:
    """`text` for a matplotlib title, label or legend, shown as written (no mathtext)."""
    return str(text).replace("$", r"\$")


def shade_eclipses(ax, time_s: np.ndarray, in_shadow: np.ndarray, scale: float) -> None:
    """Grey bands where the spacecraft is in the Earth's shadow (penumbra included)."""
    if in_shadow is None or not np.any(in_shadow):
        return
    edges = np.flatnonzero(np.diff(np.concatenate([[0], in_shadow.astype(int), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        ax.axvspan(time_s[start] / scale, time_s[min(stop, len(time_s) - 1)] / scale, color="0.85", zorder=0,
                   label="eclipse" if start == edges[0] else None)


#: how a temperature unit is written on an axis, and its offset from kelvin
UNIT_LABEL = {"K": "K", "degC": "\N{DEGREE SIGN}C"}


def to_unit(value_K, unit: str):
    """Kelvin to ``unit`` ('K' or 'degC')."""
    if unit not in UNIT_LABEL:
        raise ValueError(f"temperature unit must be one of {tuple(UNIT_LABEL)}, got {unit!r}")
    return np.asarray(value_K, float) - (KELVIN_OFFSET if unit == "degC" else 0.0)


def plot_temperatures(path: Path, time_s, part_T_mean_K: dict, gpu_junction_K, in_shadow, limits_K: dict,
                      title: str, unit: str = "K", junction_limit_K: float | None = None) -> None:
    """Each part's mean temperature against time, the GPU junction (dashed, black) and every limit
    as a horizontal line labelled with its name: the part limits (max red, min blue, dotted) and
    the GPU junction limit (solid red). One colour per part however many there are
    (:func:`geometry.view.distinct_colours`), in `unit` ('K' or 'degC')."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9.5, 5.4), dpi=110)
    scale = 60.0
    shade_eclipses(ax, time_s, in_shadow, scale)
    handles, labels = [], []
    for (name, values), colour in zip(part_T_mean_K.items(), distinct_colours(len(part_T_mean_K)), strict=True):
        handles += ax.plot(time_s / scale, to_unit(values, unit), lw=1.4, color=colour)
        labels.append(literal(name))
    if gpu_junction_K is not None and np.any(np.isfinite(gpu_junction_K)):
        handles += ax.plot(time_s / scale, to_unit(gpu_junction_K, unit), "k--", lw=1.6)
        labels.append("GPU junction (max)")
    x0 = time_s[0] / scale
    if junction_limit_K is not None and np.isfinite(junction_limit_K):
        handles.append(ax.axhline(float(to_unit(junction_limit_K, unit)), color="r", lw=1.2))
        labels.append("GPU junction limit")
        ax.annotate("GPU junction limit", (x0, float(to_unit(junction_limit_K, unit))), color="r", fontsize=7,
                    va="bottom")
    for name, (low, high) in limits_K.items():
        if np.isfinite(high):
            ax.axhline(float(to_unit(high, unit)), color="r", lw=0.8, ls=":")
            ax.annotate(literal(f"{name} max"), (x0, float(to_unit(high, unit))), color="r", fontsize=7, va="bottom")
        if low > 0.0:
            ax.axhline(float(to_unit(low, unit)), color="b", lw=0.8, ls=":")
            ax.annotate(literal(f"{name} min"), (x0, float(to_unit(low, unit))), color="b", fontsize=7, va="top")
    ax.set_xlabel("time in orbit [min]")
    ax.set_ylabel(f"temperature [{UNIT_LABEL[unit]}]")
    ax.set_title(literal(title))
    ax.grid(alpha=0.3)
    eclipse = [p for p in ax.patches if p.get_label() == "eclipse"]
    # the legend beside the axes: it hides no curve however many parts there are
    ax.legend(handles + eclipse, labels + ["eclipse"] * len(eclipse), fontsize=7, loc="upper left",
              bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_power(path: Path, time_s, array_W, load_W, soc, in_shadow, title: str) -> None:
    """Array output and load [kW] on an axis from zero (a small ripple is drawn at its true size),
    the battery's state of charge on its own axis from 0 to 1."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    scale = 60.0
    shade_eclipses(ax, time_s, in_shadow, scale)
    ax.plot(time_s / scale, np.asarray(array_W) / 1e3, label="array output")
    ax.plot(time_s / scale, np.asarray(load_W) / 1e3, label="load")
    ax.set_xlabel("time in orbit [min]")
    ax.set_ylabel("power [kW]")
    top = max(float(np.nanmax(array_W)), float(np.nanmax(load_W)), 0.0) / 1e3
    ax.set_ylim(0.0, 1.1 * top if top > 0 else 1.0)
    ax2 = ax.twinx()
    ax2.plot(time_s / scale, soc, "g--", label="battery state of charge")
    ax2.set_ylabel("state of charge [-]")
    ax2.set_ylim(0, 1.05)
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=8, loc="lower left")
    ax.set_title(literal(title))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def plot_energy(path: Path, time_s, absorbed_W, generated_W, emitted_W, stored_rate_W, in_shadow, title: str,
                electric_W=None) -> None:
    """The spacecraft's energy audit against time: absorbed (sun, albedo, Earth IR), generated
    (compute, electronics), emitted, and the rate of change of stored heat [kW]; a bar chart of
    the same terms for a steady state (one sample).

    ``electric_W`` (power leaving the thermal system as electricity, the arrays' output) closes
    the balance absorbed + generated = emitted + electric + stored; without it the difference
    in - emitted - stored is drawn, labelled as such."""
    plt = _pyplot()
    t = np.asarray(time_s, float)
    terms = {"absorbed": absorbed_W, "generated": generated_W, "emitted": emitted_W, "stored rate": stored_rate_W}
    terms = {k: np.asarray(v, float) / 1e3 for k, v in terms.items()}
    residual_label = None
    if electric_W is not None:
        terms["electric out (arrays)"] = np.asarray(electric_W, float) / 1e3
    else:
        residual = terms["absorbed"] + terms["generated"] - terms["emitted"] - terms["stored rate"]
        if np.max(np.abs(residual)) > 1e-3 * max(np.max(np.abs(terms["absorbed"])), 1e-12):
            residual_label = "absorbed + generated - emitted - stored (electric output of the arrays)"
            terms[residual_label] = residual
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    if t.size > 1:
        scale = 60.0
        shade_eclipses(ax, t, in_shadow, scale)
        styles = {"absorbed": ("C1", "-"), "generated": ("C3", "-"), "emitted": ("C0", "-"),
                  "stored rate": ("C2", "-"), "electric out (arrays)": ("C4", "--")}
        for name, values in terms.items():
            colour, style = styles.get(name, ("0.4", "--"))
            ax.plot(t / scale, values, color=colour, ls=style, lw=1.5 if name in styles else 1.0, label=name)
        ax.axhline(0.0, color="k", lw=0.6)
        ax.set_xlabel("time in orbit [min]")
    else:
        names = list(terms)
        values = [float(terms[n][0]) for n in names]
        ax.bar(range(len(names)), values, color=[f"C{k}" for k in (1, 3, 0, 2, 4)][:len(names)])
        ax.set_xticks(range(len(names)), [n.split(" (")[0] for n in names], fontsize=8)
        for k, v in enumerate(values):
            ax.annotate(f"{v:.3g}", (k, v), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("power [kW]")
    ax.set_title(literal(title))
    ax.grid(alpha=0.3)
    if t.size > 1:
        ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_sizing(path: Path, sizing: dict, title: str) -> None:
    """A sized design: mass breakdown (t) per module and the radiator and array areas (m^2),
    with the battery capacity noted."""
    plt = _pyplot()
    module = sizing.get("module") or sizing
    breakdown = module.get("mass_breakdown_kg") or sizing.get("mass_breakdown_kg") or {}
    fig, (ax_mass, ax_area) = plt.subplots(1, 2, figsize=(10, 4.6), dpi=110,
                                           gridspec_kw={"width_ratios": [1.6, 1.0]})
    names = list(breakdown)
    masses_t = [breakdown[n] / 1e3 for n in names]
    bars = ax_mass.barh([literal(n) for n in names[::-1]], masses_t[::-1], color="C0")
    for bar, value in zip(bars, masses_t[::-1], strict=True):
        ax_mass.annotate(f" {value:,.1f} t", (bar.get_width(), bar.get_y() + bar.get_height() / 2), va="center",
                         fontsize=8)
    total = module.get("mass_kg", sum(breakdown.values()))
    count = sizing.get("module_count", 1)
    ax_mass.set_xlabel("mass [t]")
    ax_mass.set_title(f"mass per module: {total / 1e3:,.1f} t" + (f" (x {count} modules)" if count > 1 else ""),
                      fontsize=10)
    ax_mass.set_xlim(0, 1.25 * max(masses_t or [1.0]))
    ax_mass.grid(axis="x", alpha=0.3)
    areas = {"radiator": module.get("radiator_area_m2"), "solar array": module.get("array_area_m2")}
    areas = {k: v for k, v in areas.items() if v is not None}
    abars = ax_area.bar(list(areas), list(areas.values()), color=["C3", "C2"][:len(areas)])
    for bar, value in zip(abars, areas.values(), strict=True):
        ax_area.annotate(f"{value:,.0f} m$^2$", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center",
                         va="bottom", fontsize=8)
    ax_area.set_ylabel("area per module [m$^2$]")
    if areas:
        ax_area.set_ylim(0, 1.2 * max(areas.values()))
    battery = module.get("battery_capacity_Wh")
    ax_area.set_title("areas" + (f"; battery {battery / 1e3:,.0f} kWh" if battery is not None else ""), fontsize=10)
    ax_area.grid(axis="y", alpha=0.3)
    fig.suptitle(literal(title))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
