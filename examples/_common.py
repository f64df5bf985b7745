"""Output plumbing shared by the example scripts: command line, output folder, CSV and PNG.

Only the writing lives here; what each example computes stays in its own script. A script
builds its rows (dicts with the same keys) and a matplotlib figure, then calls
:func:`write_outputs`; run as a script it reads ``--out DIR`` with :func:`out_dir_from_args`.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path


def pyplot():
    """``matplotlib.pyplot`` on the non-interactive Agg backend (files only, no window)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_outputs(name: str, out_dir, rows, fig) -> dict:
    """Write ``<name>.csv`` and ``<name>.png`` into the output folder.

    Parameters
    ----------
    name : str
        Example name: the file stem and the default folder ``results/examples/<name>``.
    out_dir : path or None
        Output folder (created if missing); None for the default.
    rows : sequence of dict
        CSV rows, all with the keys of the first, in column order.
    fig : matplotlib.figure.Figure
        Laid out, written at 110 dpi, then closed.

    Returns
    -------
    dict
        ``csv`` and ``png``: the paths written, as strings.
    """
    out = Path(out_dir) if out_dir is not None else Path("results") / "examples" / name
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / f"{name}.csv"
    with open(csv_path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    png_path = out / f"{name}.png"
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)
    pyplot().close(fig)
    return {"csv": str(csv_path), "png": str(png_path)}


def out_dir_from_args(doc: str):
    """The ``--out DIR`` of the command line (None if not given); ``doc``: the script's docstring,
    whose first line describes it in ``--help``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", default=None, help="output folder")
    return parser.parse_args().out
