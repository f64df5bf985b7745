"""The PNG plots show the case's text as written: names with matplotlib mathtext characters and
part names that start with an underscore."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from thermal.outputs import plots  # noqa: E402


def test_literal_escapes_every_dollar_so_mathtext_never_parses():
    assert plots.literal("plate $x^$") == r"plate \$x^\$"
    assert plots.literal("no dollars, \\alpha") == "no dollars, \\alpha"
    fig, ax = plt.subplots()
    title = ax.set_title(plots.literal("plate $x^$ and $y$"))
    fig.canvas.draw()                  # '$x^$' as mathtext raises ValueError here
    assert title._preprocess_math(title.get_text()) == ("plate $x^$ and $y$", False)
    plt.close(fig)


def test_temperature_plot_keeps_every_part_name_in_its_legend(tmp_path, monkeypatch):
    figures = []
    monkeypatch.setattr(plt, "close", figures.append)
    t = np.linspace(0.0, 600.0, 11)
    shadow = t > 300.0
    names = {"_spare $y^$": 300.0 + 0 * t, "radiator": 290.0 + 0 * t}
    plots.plot_temperatures(tmp_path / "t.png", t, names, None, shadow, {"_spare $y^$": (0.0, 350.0)},
                            "case $x^$: part temperatures")
    assert (tmp_path / "t.png").stat().st_size > 5_000
    ax = figures[0].axes[0]
    shown = [text.get_text() for text in ax.get_legend().get_texts()]
    assert shown == [plots.literal("_spare $y^$"), "radiator", "eclipse"]
    assert ax.get_title() == plots.literal("case $x^$: part temperatures")
    monkeypatch.undo()
    for fig in figures:
        plt.close(fig)


def captured(monkeypatch):
    figures = []
    monkeypatch.setattr(plt, "close", figures.append)
    return figures


def test_power_axis_starts_at_zero_so_a_small_ripple_looks_small(tmp_path, monkeypatch):
    figures = captured(monkeypatch)
    t = np.linspace(0.0, 5400.0, 91)
    array = 9.2e3 + 40.0 * np.sin(2 * np.pi * t / 5400.0)          # a 0.4 % ripple
    plots.plot_power(tmp_path / "p.png", t, array, np.full_like(t, 9.1e3), np.ones_like(t), None, "power")
    ax = figures[0].axes[0]
    low, high = ax.get_ylim()
    assert low == 0.0 and high >= 9.24
    # the ripple spans under 1 % of the axis: drawn at its true size
    assert (array.max() - array.min()) / 1e3 / (high - low) < 0.01


def test_temperature_plot_draws_the_gpu_junction_limit_in_the_chosen_unit(tmp_path, monkeypatch):
    figures = captured(monkeypatch)
    t = np.linspace(0.0, 600.0, 11)
    plots.plot_temperatures(tmp_path / "t.png", t, {"radiator": 290.0 + 0 * t}, 330.0 + 0 * t, None, {},
                            "limits", unit="degC", junction_limit_K=360.15)
    ax = figures[0].axes[0]
    assert ax.get_ylabel() == "temperature [\N{DEGREE SIGN}C]"
    flat = [line for line in ax.get_lines() if np.ptp(line.get_ydata()) == 0]
    limit = [line for line in flat if np.allclose(line.get_ydata(), 87.0)]
    assert limit and matplotlib.colors.to_hex(limit[0].get_color()) == "#ff0000"
    assert "GPU junction limit" in [text.get_text() for text in ax.get_legend().get_texts()]
    radiator = ax.get_lines()[0]
    assert np.allclose(radiator.get_ydata(), 290.0 - 273.15)
    assert 87.0 <= ax.get_ylim()[1]                                 # the limit is inside the axes


def test_fourteen_parts_get_fourteen_colours_that_stay_apart(tmp_path, monkeypatch):
    figures = captured(monkeypatch)
    t = np.linspace(0.0, 600.0, 11)
    names = {f"part{k}": 280.0 + k + 0 * t for k in range(14)}
    plots.plot_temperatures(tmp_path / "t.png", t, names, None, None, {}, "many parts")
    colours = np.array([matplotlib.colors.to_rgb(line.get_color()) for line in figures[0].axes[0].get_lines()])
    assert len(colours) == 14
    distance = np.linalg.norm(colours[:, None, :] - colours[None, :, :], axis=-1)
    # tab10 repeats from the 11th part (distance 0); these stay a visible step apart
    assert distance[~np.eye(14, dtype=bool)].min() > 0.1
    assert np.all(colours.max(axis=1) <= 0.9)       # no pale tints: they vanish on white
