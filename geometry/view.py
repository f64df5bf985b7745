"""A PyVista picture of the spacecraft's parts (for checking a layout; thermal.view shows results).

    from geometry.mesh import build_mesh
    from geometry.view import plot_parts
    plot_parts(build_mesh(spec, 0.1), screenshot="parts.png")   # headless with a file name
"""

from __future__ import annotations

import colorsys
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:   # DOLFINx only where a mesh is drawn: the plots take their colours from here
    from geometry.mesh import SpacecraftMesh


def headless_rendering() -> None:
    """Render through EGL when there is no display: VTK would otherwise try X first and print
    'bad X server connection' before falling back. Call before the first render window is made."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")


def distinct_colours(n: int) -> list[tuple[float, float, float]]:
    """`n` colours (RGB, 0..1) that stay apart for any n and read on white: hues stepped by the
    golden angle (no two neighbours in the list alike), saturated, in three brightness bands
    (no pale tints: a legend's text takes its entry's colour)."""
    golden = 0.6180339887498949
    return [colorsys.hsv_to_rgb((0.05 + k * golden) % 1.0, 0.85 if k % 3 != 2 else 0.65, (0.85, 0.62, 0.45)[k % 3])
            for k in range(n)]


def to_pyvista(sm: SpacecraftMesh):
    """The whole mesh as a pyvista.PolyData on rank 0 (None elsewhere; collective), with cell
    arrays 'part_id' (tag value) and 'front_normal' (the part's front normal per cell)."""
    import pyvista as pv

    from geometry.mesh import gather_arrays
    out = gather_arrays(sm)
    if out is None:
        return None
    arrays, tags = out
    faces = np.hstack([np.full((len(arrays.triangles), 1), 3), arrays.triangles]).reshape(-1)
    poly = pv.PolyData(arrays.points, faces)
    poly.cell_data["part_id"] = tags
    normals = np.zeros((len(tags), 3))
    parent = {sm.footprint_ids[f]: sm.part_ids[p] for f, p in sm.footprint_parent.items()}
    by_id = {i: sm.front_normals[n] for n, i in sm.part_ids.items()}
    for tag in np.unique(tags):
        normals[tags == tag] = by_id.get(int(parent.get(int(tag), tag)), np.zeros(3))
    poly.cell_data["front_normal"] = normals
    return poly


def plot_parts(sm: SpacecraftMesh, screenshot: str | Path | None = None,
               window_size: tuple[int, int] = (1200, 800), show_edges: bool = False) -> None:
    """Draw the parts in distinct colours, footprints included; with `screenshot`, render off
    screen to that PNG instead of opening a window. Collective; rank 0 draws."""
    if screenshot is not None:
        headless_rendering()
    import pyvista as pv
    poly = to_pyvista(sm)
    if poly is None:
        return
    names = {i: n for n, i in {**sm.part_ids, **sm.footprint_ids}.items()}
    # the parts on the left, their legend in a column of its own on the right: it hides nothing
    plotter = pv.Plotter(off_screen=screenshot is not None, window_size=list(window_size), shape=(1, 2),
                         col_weights=[4, 1], border=False)
    drawn = [(tag, name) for tag, name in sorted(names.items())
             if np.any(poly.cell_data["part_id"] == tag)]
    colours = distinct_colours(len(drawn))
    plotter.subplot(0, 0)
    for (tag, name), colour in zip(drawn, colours, strict=True):
        cells = np.flatnonzero(poly.cell_data["part_id"] == tag)
        plotter.add_mesh(poly.extract_cells(cells), color=colour, label=name,
                         show_edges=show_edges, edge_color="grey", line_width=0.5)
    plotter.add_axes()
    plotter.view_isometric()
    plotter.subplot(0, 1)
    plotter.add_legend(labels=[[name, colour] for (_, name), colour in zip(drawn, colours, strict=True)],
                       bcolor="white", face="rectangle", size=(0.95, 0.95), loc="center")
    if screenshot is not None:
        plotter.screenshot(str(screenshot))
        plotter.close()
    else:
        plotter.show()
