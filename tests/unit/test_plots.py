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
