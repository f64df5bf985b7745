"""A PyVista picture of the spacecraft's parts (for checking a layout; thermal.view shows results).

    from geometry.mesh import build_mesh
    from geometry.view import plot_parts
    plot_parts(build_mesh(spec, 0.1), screenshot="parts.png")   # headless with a file name
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geometry.mesh import SpacecraftMesh, gather_arrays


def to_pyvista(sm: SpacecraftMesh):
    """The whole mesh as a pyvista.PolyData on rank 0 (None elsewhere; collective), with cell
    arrays 'part_id' (tag value) and 'front_normal' (the part's front normal per cell)."""
    import pyvista as pv
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
    import pyvista as pv
    poly = to_pyvista(sm)
    if poly is None:
        return
    names = {i: n for n, i in {**sm.part_ids, **sm.footprint_ids}.items()}
    plotter = pv.Plotter(off_screen=screenshot is not None, window_size=list(window_size))
    colours = pv.LookupTable("tab20")
    for k, (tag, name) in enumerate(sorted(names.items())):
        cells = np.flatnonzero(poly.cell_data["part_id"] == tag)
        if len(cells) == 0:
            continue
        colour = colours.map_value(float(k % 20) / 19.0)
        plotter.add_mesh(poly.extract_cells(cells), color=colour[:3], label=name,
                         show_edges=show_edges, edge_color="grey", line_width=0.5)
    plotter.add_legend(bcolor="white", face="rectangle", size=(0.15, 0.4), loc="upper left")
    plotter.add_axes()
    plotter.view_isometric()
    if screenshot is not None:
        plotter.screenshot(str(screenshot))
        plotter.close()
    else:
        plotter.show()
