"""The temperature field as XDMF 3 with HDF5: one file pair that ParaView, PyVista and meshio read.

``fields/temperature.xdmf`` (XML) describes a temporal collection of grids over one mesh stored
once in ``fields/temperature.h5``:

- ``/mesh/points`` (n, 3) [m], ``/mesh/triangles`` (m, 3);
- cell data, stored once and shared by every time step: ``part_id`` (the tag of each cell: the
  part, or the GPU footprint under a GPU) and one 0/1 array ``group:<name>`` per part and
  footprint, so that every reader lists the part names (the convention of ``spacecraft.vtu`` and
  of external meshes, :mod:`geometry.surface`);
- point data ``temperature_K`` at each snapshot, ``/temperature/<k>``, gzip-compressed.

The snapshot times are those the model hands over: by default the reported orbit on the clock of
``timeseries.csv`` (``output.fields: reported_orbit``), or the whole run (``all``). Readers:
``pyvista.get_reader("temperature.xdmf")`` (``time_values``, ``set_active_time_value``),
``meshio.xdmf.TimeSeriesReader``, ParaView's XDMF readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np

FIELD_XDMF = "temperature.xdmf"
FIELD_H5 = "temperature.h5"
TEMPERATURE = "temperature_K"
GROUP_PREFIX = "group:"


class XdmfFieldWriter:
    """A :class:`thermal.models.fe.model.FieldSink` writing ``temperature.xdmf`` + ``temperature.h5`` in `folder`.

    The HDF5 file is built in memory (h5py's ``core`` driver) and written to disk in one piece by
    :meth:`end`, so that a full disk or a lost folder is one ``OSError`` there, never a half-written
    file or an error at garbage collection. A later :meth:`begin` (the next pass of the
    thermal-power coupling) starts afresh.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._h5 = None
        self._times: list[float] = []
        self._shape: tuple[int, int] = (0, 0)
        self._groups: list[str] = []

    def begin(self, points: np.ndarray, triangles: np.ndarray, cell_tags: np.ndarray,
              tag_names: Mapping[str, int]) -> None:
        import h5py
        self._close()
        self._h5 = h5py.File(f"{FIELD_H5}-{id(self)}", "w", driver="core", backing_store=False)
        mesh = self._h5.create_group("mesh")
        mesh.create_dataset("points", data=np.asarray(points, dtype=np.float64))
        mesh.create_dataset("triangles", data=np.asarray(triangles, dtype=np.int64))
        cells = self._h5.create_group("cells")
        tags = np.asarray(cell_tags, dtype=np.int32)
        cells.create_dataset("part_id", data=tags)
        self._groups = []
        for name, tag in sorted(tag_names.items(), key=lambda item: item[1]):
            cells.create_dataset(f"group_{tag}", data=(tags == tag).astype(np.int8), compression="gzip")
            cells[f"group_{tag}"].attrs["name"] = name
            self._groups.append(name)
        self._h5.create_group("temperature")
        self._times = []
        self._shape = (len(points), len(triangles))
        self._tag_names = dict(tag_names)

    def write(self, time_s: float, temperature_K: np.ndarray) -> None:
        k = len(self._times)
        self._h5["temperature"].create_dataset(str(k), data=np.asarray(temperature_K, dtype=np.float64),
                                               compression="gzip", shuffle=True)
        self._times.append(float(time_s))

    def end(self) -> None:
        self._h5.flush()
        image = self._h5.id.get_file_image()
        self._close()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / FIELD_H5).write_bytes(image)
        (self.folder / FIELD_XDMF).write_text(self._xml())

    def _close(self) -> None:
        if self._h5 is not None:
            self._h5.close()
            self._h5 = None

    def _xml(self) -> str:
        n_points, n_cells = self._shape
        h5 = FIELD_H5

        def item(path: str, dims: str, kind: str, precision: int) -> str:
            return (f'<DataItem Dimensions="{dims}" NumberType="{kind}" Precision="{precision}" '
                    f'Format="HDF">{h5}:{path}</DataItem>')

        static = [f'<Attribute Name="part_id" AttributeType="Scalar" Center="Cell">'
                  f'{item("/cells/part_id", str(n_cells), "Int", 4)}</Attribute>']
        for name in self._groups:
            tag = self._tag_names[name]
            static.append(f'<Attribute Name={quoteattr(GROUP_PREFIX + name)} AttributeType="Scalar" Center="Cell">'
                          f'{item(f"/cells/group_{tag}", str(n_cells), "Char", 1)}</Attribute>')
        grids = []
        for k, t in enumerate(self._times):
            grids.append(
                f'<Grid Name="t{k}" GridType="Uniform">'
                f'<Topology TopologyType="Triangle" NumberOfElements="{n_cells}">'
                f'{item("/mesh/triangles", f"{n_cells} 3", "Int", 8)}</Topology>'
                f'<Geometry GeometryType="XYZ">{item("/mesh/points", f"{n_points} 3", "Float", 8)}</Geometry>'
                f'<Time Value="{t!r}"/>' + "".join(static) +
                f'<Attribute Name="{TEMPERATURE}" AttributeType="Scalar" Center="Node">'
                f'{item(f"/temperature/{k}", str(n_points), "Float", 8)}</Attribute></Grid>')
        names = ", ".join(f"{tag}: {name}" for name, tag in sorted(self._tag_names.items(), key=lambda i: i[1]))
        return ('<?xml version="1.0"?>\n<Xdmf Version="3.0">\n<Domain>\n'
                f'<Information Name="part_id" Value={quoteattr(names)}/>\n'
                '<Grid Name="temperature" GridType="Collection" CollectionType="Temporal">\n'
                + "\n".join(grids) + "\n</Grid>\n</Domain>\n</Xdmf>\n")
