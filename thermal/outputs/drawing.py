"""The drawing of the parts: a coarse triangle surface of the spacecraft with its part tags.

Meshed with gmsh on one process (no DOLFINx, nothing collective: under MPI only rank 0 draws), for
``spacecraft.vtu`` in the results and for the viewer's geometry preview.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from geometry.parts import PartList
from geometry.shells import surface_arrays
from geometry.spec import SpacecraftSpec
from geometry.surface import MeshArrays, write_meshio
from thermal.case.model import Case

DRAWING_MESH_MAX_CELLS = 30_000
#: The drawing's file in a results folder.
DRAWING_FILE = "spacecraft.vtu"


def drawing_surface(spacecraft: SpacecraftSpec, parts: PartList, mesh_size_m: float
                    ) -> tuple[MeshArrays, np.ndarray, dict[str, int]]:
    """The parts as triangles (:func:`geometry.shells.surface_arrays`), no finer than ``mesh_size_m``
    and coarse enough to stay near ``DRAWING_MESH_MAX_CELLS`` triangles."""
    total_area = sum(p.area_m2 for p in parts.parts)
    return surface_arrays(spacecraft, max(mesh_size_m, math.sqrt(2.0 * total_area / DRAWING_MESH_MAX_CELLS)))


def to_polydata(arrays: MeshArrays, tags: np.ndarray):
    """A pyvista.PolyData of the triangles with the cell array ``part_id``."""
    import pyvista as pv
    faces = np.hstack([np.full((len(arrays.triangles), 1), 3), arrays.triangles]).reshape(-1)
    poly = pv.PolyData(arrays.points, faces)
    poly.cell_data["part_id"] = tags
    return poly


def write_drawing_mesh(case: Case, parts: PartList, path: Path) -> None:
    """The spacecraft's parts as a VTU for the viewer, ParaView, PyVista and meshio (cell arrays
    ``part_id`` and ``group:<part>``, field data naming each ``part_id``: :mod:`geometry.vtu`)."""
    arrays, tags, names = drawing_surface(case.spacecraft, parts, case.solver.mesh_size_m)
    write_meshio(arrays, tags, Path(path), names)
