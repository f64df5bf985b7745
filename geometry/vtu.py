"""VTU files (VTK XML UnstructuredGrid) of a tagged triangle mesh, binary and zlib-compressed.

One writer for the drawing of the parts, ``python -m geometry --mesh FILE.vtu`` and every snapshot
of the temperature field (:mod:`thermal.outputs.fields`). The file carries:

- points [m] (float64, or float32 where the mesh is only drawn) and the triangles;
- cell data ``part_id`` (the tag of each cell: a part, or a GPU footprint) and one 0/1 array
  ``group:<name>`` per part and footprint (the convention external meshes are read in,
  :mod:`geometry.surface`), so every reader lists the part names on the cells;
- field data, one entry per part and footprint named after it: ``[part_id, 2]`` (meshio's
  convention for named groups: the tag and the dimension of its cells), the table from
  ``part_id`` to names;
- point data as float32, if any.

Format 0.1 with UInt32 block headers, ``vtkZLibDataCompressor``, the arrays in the raw appended
section (base64 inside the XML would add a third to their size): ParaView, VTK (``pyvista.read``)
and ``meshio.read`` open it. meshio reads VTU format 0.1 and 1.0 only, not the 2.2 that VTK's own
writer and DOLFINx write.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np

GROUP_PREFIX = "group:"
VTK_TRIANGLE = 5
_TYPES = {np.dtype(np.float32): "Float32", np.dtype(np.float64): "Float64", np.dtype(np.int8): "Int8",
          np.dtype(np.uint8): "UInt8", np.dtype(np.int32): "Int32", np.dtype(np.int64): "Int64"}
_BYTE_ORDER = "LittleEndian" if sys.byteorder == "little" else "BigEndian"


def quoteattr(text: str) -> str:
    """``text`` as a quoted XML attribute value (:func:`xml.sax.saxutils.quoteattr`, imported on
    first use: its module imports urllib, some 20 ms of every command's start-up)."""
    from xml.sax.saxutils import quoteattr as quoted
    return quoted(text)


def _block(values: np.ndarray) -> bytes:
    """One array in VTK's compressed binary form: the UInt32 header [blocks = 1, block size, last
    block size, compressed size], then the zlib block."""
    raw = np.ascontiguousarray(values).tobytes()
    if len(raw) >= 2 ** 32:
        raise ValueError(f"a field array of {len(raw)} bytes is over the 4 GiB a UInt32 VTU header holds")
    packed = zlib.compress(raw, 6)
    return np.array([1, len(raw), len(raw), len(packed)], dtype=np.uint32).tobytes() + packed


class _Appended:
    """``<DataArray>`` tags pointing into the raw appended section, and that section's bytes."""

    def __init__(self, start: int = 0):
        self.start, self.blocks = start, []

    @property
    def size(self) -> int:
        return self.start + sum(len(b) for b in self.blocks)

    def tag(self, name: str, values: np.ndarray, components: int = 1, tuples: int | None = None) -> str:
        """``tuples``: stated for field data (VTK reads a field array's length from it)."""
        values = np.asarray(values)
        offset = self.size
        self.blocks.append(_block(values))
        extra = f' NumberOfComponents="{components}"' if components > 1 else ""
        extra += f' NumberOfTuples="{tuples}"' if tuples is not None else ""
        return (f'<DataArray type="{_TYPES[values.dtype]}" Name={quoteattr(name)}{extra} format="appended" '
                f'offset="{offset}"/>\n')

    def data(self) -> bytes:
        return b"".join(self.blocks)


def part_groups(cell_tags: np.ndarray, tag_names: Mapping[str, int]) -> dict[str, np.ndarray]:
    """``group:<name>`` → 0/1 int8 per cell, for every name in `tag_names` (by tag)."""
    tags = np.asarray(cell_tags)
    return {GROUP_PREFIX + name: (tags == tag).astype(np.int8)
            for name, tag in sorted(tag_names.items(), key=lambda item: item[1])}


class VtuMesh:
    """A triangle mesh with its part tags, compressed once, written as VTU with any point data
    (the mesh's arrays are compressed once, for every snapshot written from it)."""

    def __init__(self, points: np.ndarray, triangles: np.ndarray, cell_tags: np.ndarray,
                 tag_names: Mapping[str, int], groups: Mapping[str, np.ndarray] | None = None,
                 point_precision: type = np.float64):
        """tag_names: name -> tag value of each part and footprint; groups: name -> indices of
        its cells, where they differ from the cells of its tag (a part's group holding its
        footprints' cells too); point_precision: np.float64 for a mesh read again as an input,
        np.float32 to draw (a tenth of a micrometre on a ten-metre spacecraft, half the bytes)."""
        points = np.asarray(points, dtype=point_precision).reshape(-1, 3)
        triangles = np.asarray(triangles).reshape(-1, 3)
        index = np.int32 if len(points) < 2 ** 31 else np.int64
        tags = np.asarray(cell_tags, dtype=np.int32).reshape(-1)
        if len(tags) != len(triangles):
            raise ValueError(f"{len(tags)} cell tags for {len(triangles)} triangles")
        self.n_points, self.n_cells = len(points), len(triangles)
        self.tag_names = dict(tag_names)
        self._static = _Appended()
        a = self._static
        field = "".join(a.tag(name, np.array([tag, 2], dtype=np.int32), tuples=2)
                        for name, tag in sorted(self.tag_names.items(), key=lambda item: item[1]))
        points_tag = a.tag("points", points.reshape(-1), 3)
        cells = (a.tag("connectivity", triangles.astype(index).reshape(-1))
                 + a.tag("offsets", np.arange(3, 3 * self.n_cells + 1, 3, dtype=index))
                 + a.tag("types", np.full(self.n_cells, VTK_TRIANGLE, dtype=np.uint8)))
        cell_data = a.tag("part_id", tags) + "".join(
            a.tag(name, values) for name, values in self._groups(tags, groups).items())
        self._head = ('<?xml version="1.0"?>\n'
                      f'<VTKFile type="UnstructuredGrid" version="0.1" byte_order="{_BYTE_ORDER}" '
                      'header_type="UInt32" compressor="vtkZLibDataCompressor">\n<UnstructuredGrid>\n'
                      + (f"<FieldData>\n{field}</FieldData>\n" if field else "")
                      + f'<Piece NumberOfPoints="{self.n_points}" NumberOfCells="{self.n_cells}">\n'
                      + f"<Points>\n{points_tag}</Points>\n"
                      + f'<Cells>\n{cells}</Cells>\n<CellData Scalars="part_id">\n{cell_data}</CellData>\n')
        self._static_data = a.data()

    def _groups(self, tags: np.ndarray, groups: Mapping[str, np.ndarray] | None) -> dict[str, np.ndarray]:
        if groups is None:
            return part_groups(tags, self.tag_names)
        arrays = {}
        for name, cells in groups.items():
            member = np.zeros(self.n_cells, dtype=np.int8)
            member[np.asarray(cells, dtype=np.int64)] = 1
            arrays[GROUP_PREFIX + name] = member
        return arrays

    def file_bytes(self, point_data: Mapping[str, np.ndarray] | None = None) -> bytes:
        """The VTU file with these point arrays (float32, one value per point)."""
        extra = _Appended(start=len(self._static_data))
        arrays = ""
        for name, values in (point_data or {}).items():
            values = np.asarray(values, dtype=np.float32).reshape(-1)
            if len(values) != self.n_points:
                raise ValueError(f"point array {name!r} has {len(values)} values for {self.n_points} points")
            arrays += extra.tag(name, values)
        scalars = f' Scalars={quoteattr(next(iter(point_data)))}' if point_data else ""
        head = (self._head + f"<PointData{scalars}>\n{arrays}</PointData>\n</Piece>\n</UnstructuredGrid>\n"
                '<AppendedData encoding="raw">\n_')
        return head.encode() + self._static_data + extra.data() + b"\n</AppendedData>\n</VTKFile>\n"

    def write(self, path: Path, point_data: Mapping[str, np.ndarray] | None = None) -> None:
        Path(path).write_bytes(self.file_bytes(point_data))
