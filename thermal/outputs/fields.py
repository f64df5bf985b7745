"""The temperature field as a PVD collection of binary, zlib-compressed VTU files, one per snapshot.

``fields/temperature.pvd`` lists the snapshots with their times; ``fields/temperature_NNNN.vtu``
(VTK XML UnstructuredGrid, format 0.1, raw appended binary, ``vtkZLibDataCompressor``) holds one
snapshot each:

- the mesh with its parts as :mod:`geometry.vtu` writes it: points [m] (float32: a tenth of a
  micrometre on a ten-metre spacecraft) and triangles, cell data
  ``part_id`` and ``group:<name>`` (the part names on the cells), field data ``<name>`` =
  ``[part_id, 2]`` (the table from ``part_id`` to names);
- point data ``temperature_K`` (float32: 3e-5 K of resolution at 300 K).

Readers: ParaView and ``pyvista.read``/``pyvista.get_reader`` open the ``.pvd`` (with its time
steps, ``time_values`` and ``set_active_time_value``) or any ``.vtu``; ``meshio.read`` opens each
``.vtu`` (meshio reads VTU format 0.1 and 1.0 only, not the 2.2 that VTK's own writer and DOLFINx
write, nor PVD). The format was chosen for that: a temporal XDMF is not read by ``meshio.read``
(one grid only), VTKHDF not at all. Every snapshot repeats the compressed mesh; the mesh is
compressed once per run.

The snapshot times are those the model hands over: by default the reported orbit on the clock of
``timeseries.csv`` (``output.fields: reported_orbit``), or the whole run (``all``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from geometry.vtu import VtuMesh, quoteattr

FIELD_PVD = "temperature.pvd"
TEMPERATURE = "temperature_K"


def snapshot_file(k: int) -> str:
    """The file of the k-th snapshot (from 0) in ``fields/``."""
    return f"temperature_{k:04d}.vtu"


def pvd_text(entries: list[tuple[float, str]]) -> str:
    """A PVD collection: (time [s], file relative to the PVD) per snapshot."""
    rows = "".join(f'<DataSet timestep="{t!r}" group="" part="0" file={quoteattr(f)}/>\n' for t, f in entries)
    return ('<?xml version="1.0"?>\n<VTKFile type="Collection" version="0.1" byte_order="LittleEndian">\n'
            f"<Collection>\n{rows}</Collection>\n</VTKFile>\n")


class FieldWriter:
    """A :class:`thermal.models.fe.model.FieldSink` writing ``temperature.pvd`` and its VTU files in `folder`.

    The snapshots are kept in memory (compressed text) and written to disk by :meth:`end`, so that
    a run that fails leaves no half-written field; a full disk or a lost folder is one ``OSError``
    there. A later :meth:`begin` (the next pass of the thermal-power coupling) starts afresh.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._mesh: VtuMesh | None = None
        self._snapshots: list[tuple[float, bytes]] = []

    def begin(self, points: np.ndarray, triangles: np.ndarray, cell_tags: np.ndarray,
              tag_names: Mapping[str, int]) -> None:
        self._mesh = VtuMesh(points, triangles, cell_tags, tag_names, point_precision=np.float32)
        self._snapshots = []

    def write(self, time_s: float, temperature_K: np.ndarray) -> None:
        assert self._mesh is not None, "FieldWriter.write before begin"
        self._snapshots.append((float(time_s), self._mesh.file_bytes({TEMPERATURE: temperature_K})))

    def end(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        entries = []
        for k, (t, data) in enumerate(self._snapshots):
            (self.folder / snapshot_file(k)).write_bytes(data)
            entries.append((t, snapshot_file(k)))
        (self.folder / FIELD_PVD).write_text(pvd_text(entries))
        self._snapshots = []
