"""The 3D view of a results folder: the spacecraft coloured by temperature over the orbit.

The library behind ``python -m thermal.view`` (:mod:`thermal.view`) and the report's snapshot.

What is drawn
-------------
- The temperature field ``fields/temperature.pvd`` (a PVD of binary VTU snapshots of the point
  array ``temperature_K``, :mod:`thermal.outputs.fields`) when the results directory holds one
  (finite-element model); otherwise the parts of ``spacecraft.vtu``, each coloured uniformly
  by its mean temperature ``<part>_T_mean_K`` from ``timeseries.csv`` (the network model), cells
  mapped to parts through the ``group:<part>`` cell arrays. GPU cold-plate footprints
  (``group:gpu<i>``) take the ``cold_plates`` temperature where the time series has it.
- One colour range for every instant: the minimum and maximum of what is drawn over the whole
  reported orbit (:func:`temperature_range_K`), so frames and screenshots compare.
- The sun (yellow; grey in eclipse) and the Earth (nadir, blue) as arrows in body axes at time
  t, from :func:`thermal.orbit.sun_vector_body` / :func:`~thermal.orbit.nadir_vector_body` with
  the orbit of ``summary.json``; the GPU junction temperature at t and its orbit maximum against
  the limit as text; the part name and temperature under the mouse (hover) in a window.

Time
----
``--time T`` is seconds into the reported orbit: T = 0 is the first row of ``timeseries.csv``
(orbit noon for a periodic run). Values between samples are interpolated linearly. Field
snapshots keep their own clock: when their times do not cover the time series, the last
snapshot is aligned with the last row (both are the end of the run).

Attitude
--------
Read from ``summary.json`` (``attitude``) when it is there, else from the case file when it can
be found and its sha256 matches ``run.case_sha256`` (``case_path`` in the summary, or
``cases/<name>.yaml``), else the case-file default (nadir in orbit, sun in deep space), marked
"assumed" in the picture.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import tempfile
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import numpy as np

from geometry.layout import part_list
from thermal.case import load_case
from thermal.core.constants import EARTH_RADIUS_M, KELVIN_OFFSET
from thermal.orbit import OrbitGeometry, nadir_vector_body, sun_vector_body
from thermal.outputs.drawing import DRAWING_FILE, drawing_surface, to_polydata, write_drawing_mesh
from thermal.outputs.view_options import ANIMATION_FRAMES, ANIMATION_SIZE, SCREENSHOT_SIZE, UNITS, ViewError


def _quiet_vtk() -> None:
    """Without a display VTK tries X first, warns 'bad X server connection' and then renders
    through EGL; the warning says nothing useful to a user, so VTK's log goes to errors only."""
    from vtkmodules.vtkCommonCore import vtkLogger
    vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_ERROR)

COLORMAP = "plasma"
BACKGROUND = "white"
SUN_COLOUR = "#f2a900"
ECLIPSED_SUN_COLOUR = "#9a9a9a"
EARTH_COLOUR = "#1f5fbf"
UNASSIGNED_COLOUR = "lightgrey"
ARROW_START, ARROW_LENGTH = 1.0, 0.4                 # sun and Earth arrows: from and length, x bounding radius
FIELD_FILE = Path("fields") / "temperature.pvd"
FIELD_NAMES = ("T", "temperature", "temperature_K")   # preferred when a snapshot has several arrays
COLD_PLATE_PART = "cold_plates"                       # network node whose temperature the GPU footprints show
#: ``timeseries.csv``'s column prefix of each part's shadow fraction at the time (radiation exchange;
#: written by :mod:`thermal.outputs.files`): the share of the direct sun its sides would get that other
#: parts block, ``nan`` while it gets none (:class:`thermal.exposure.PartSun`).
SHADOW_COLUMN = "shadow_fraction:"



# --- reading a results directory ---------------------------------------------------------------

def read_timeseries(path: Path) -> dict[str, np.ndarray]:
    """``timeseries.csv`` as {column: float array}."""
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    if len(rows) < 2:
        raise ViewError(f"{path} holds no samples")
    header, data = rows[0], np.array(rows[1:], dtype=float)
    return {name: data[:, k] for k, name in enumerate(header)}


@dataclass
class TemperatureField:
    """Snapshots of a temperature field on one mesh (``fields/temperature.pvd``).

    mesh:      the first snapshot's grid (ghost cells removed), for drawing.
    name:      the array's name in the files; location: 'point' or 'cell'.
    times_s:   snapshot times on the field's own clock [s]; values_K: (n_times, n_values) [K].
    """
    path: Path
    mesh: object
    name: str
    location: str
    times_s: np.ndarray
    values_K: np.ndarray

    def at(self, time_s: float) -> np.ndarray:
        """Values at a time on the field's clock, linear between snapshots, held beyond them."""
        times = self.times_s
        if len(times) == 1 or time_s <= times[0]:
            return self.values_K[0]
        if time_s >= times[-1]:
            return self.values_K[-1]
        k = int(np.searchsorted(times, time_s, side="right")) - 1
        w = (time_s - times[k]) / (times[k + 1] - times[k])
        return (1.0 - w) * self.values_K[k] + w * self.values_K[k + 1]


def _without_ghosts(grid):
    ghosts = grid.cell_data.get("vtkGhostType")
    if ghosts is not None and np.any(np.asarray(ghosts) != 0):
        grid = grid.extract_cells(np.flatnonzero(np.asarray(ghosts) == 0))
    return grid


def _snapshot_grid(reader, time_s: float):
    reader.set_active_time_value(time_s)
    data = reader.read()
    blocks = [b for b in data.recursive_iterator() if b is not None and b.n_cells] \
        if hasattr(data, "recursive_iterator") else [data]
    if not blocks:
        raise ViewError(f"{reader.path}: no cells at time {time_s}")
    grid = blocks[0] if len(blocks) == 1 else blocks[0].merge(blocks[1:], merge_points=False)
    return _without_ghosts(grid.cast_to_unstructured_grid())


def _field_array(grid, path: Path) -> tuple[str, str]:
    for location, arrays in (("point", grid.point_data), ("cell", grid.cell_data)):
        names = [n for n in arrays.keys() if not n.startswith("vtk") and np.asarray(arrays[n]).ndim == 1]
        if names:
            preferred = [n for n in FIELD_NAMES if n in names]
            if len(names) > 1 and not preferred:
                raise ViewError(f"{path}: several {location} arrays {names} and none named {FIELD_NAMES}")
            return (preferred or names)[0], location
    raise ViewError(f"{path}: no scalar point or cell array (expected the temperature, e.g. 'T')")


def read_field(path: str | Path, window_s: tuple[float, float] | None = None) -> TemperatureField:
    """Read a PVD collection of temperature snapshots (pyvista's PVDReader).

    window_s: keep only the snapshots in this interval of the field's clock (all when None or
    when none fall in it)."""
    import pyvista as pv
    path = Path(path)
    reader = pv.get_reader(str(path))
    times = np.asarray(reader.time_values, dtype=float)
    if times.size == 0:
        raise ViewError(f"{path}: no snapshots")
    if window_s is not None:
        keep = (times >= window_s[0] - 1e-6 * max(1.0, abs(window_s[0]))) & \
               (times <= window_s[1] + 1e-6 * max(1.0, abs(window_s[1])))
        if np.any(keep):
            times = times[keep]
    first = _snapshot_grid(reader, float(times[0]))
    name, location = _field_array(first, path)
    values = []
    for t in times:
        grid = first if t == times[0] else _snapshot_grid(reader, float(t))
        data = grid.point_data if location == "point" else grid.cell_data
        if name not in data:
            raise ViewError(f"{path}: snapshot at t = {t} has no array '{name}'")
        v = np.asarray(data[name], dtype=float)
        if v.shape != (first.n_points if location == "point" else first.n_cells,):
            raise ViewError(f"{path}: the mesh changes between snapshots (t = {t}); the viewer needs one mesh")
        values.append(v)
    mesh = first.copy()
    for arrays in (mesh.point_data, mesh.cell_data):
        for key in list(arrays.keys()):
            del arrays[key]
    return TemperatureField(path=path, mesh=mesh, name=name, location=location, times_s=times,
                            values_K=np.array(values))


@dataclass
class Results:
    """One results directory, read for drawing.

    mesh:        what is drawn: the field's mesh, or spacecraft.vtu.
    cell_part:   per drawn cell, an index into `labels` (-1: no part).
    labels:      part (and footprint) names; label_parts: the time-series part each one shows.
    field:       the temperature field, or None (uniform parts from the time series).
    field_offset_s: field clock minus time-series clock.
    """
    directory: Path
    summary: dict
    columns: dict[str, np.ndarray]
    drawing: object
    mesh: object
    cell_part: np.ndarray
    labels: list[str]
    label_parts: list[str]
    field: TemperatureField | None = None
    field_offset_s: float = 0.0
    attitude: str | None = None
    attitude_assumed: bool = False
    _range_K: tuple[float, float] | None = dataclass_field(default=None, repr=False)

    @property
    def name(self) -> str:
        return str(self.summary.get("case", self.directory.name))

    @property
    def time_s(self) -> np.ndarray:
        return self.columns["time_s"]

    @property
    def start_s(self) -> float:
        return float(self.time_s[0])

    @property
    def span_s(self) -> float:
        """Length of the reported time series [s] (0 for a steady state)."""
        return float(self.time_s[-1] - self.time_s[0])

    @property
    def period_s(self) -> float | None:
        return (self.summary.get("orbit") or {}).get("period_s")

    @property
    def steady(self) -> bool:
        return len(self.time_s) == 1 and (self.field is None or len(self.field.times_s) == 1)

    @property
    def model(self) -> str:
        return str((self.summary.get("thermal") or {}).get("model", "?"))


def group_cells(grid) -> dict[str, np.ndarray]:
    """{group name: boolean mask over cells} from the ``group:<name>`` cell arrays."""
    return {key[len("group:"):]: np.asarray(grid.cell_data[key]) != 0
            for key in grid.cell_data.keys() if key.startswith("group:")}


def _drawing_parts(drawing, summary: dict, columns: dict) -> tuple[np.ndarray, list[str], list[str]]:
    """Cell -> label index on spacecraft.vtu: parts first (summary order), then the GPU
    footprints, which show the cold plates where the time series has them."""
    groups = group_cells(drawing)
    parts = [p for p in (summary.get("geometry") or {}).get("parts", {}) if p in groups]
    parts += [g for g in groups if g not in parts and not g.startswith("gpu")]
    footprints = sorted((g for g in groups if g.startswith("gpu") and g[3:].isdigit()), key=lambda g: int(g[3:]))
    cell_part = np.full(drawing.n_cells, -1, dtype=np.int64)
    labels, shown = [], []
    for name in parts:
        cell_part[groups[name]] = len(labels)
        labels.append(name)
        shown.append(name)
    if f"{COLD_PLATE_PART}_T_mean_K" in columns:
        for name in footprints:
            cell_part[groups[name]] = len(labels)
            labels.append(name)
            shown.append(COLD_PLATE_PART)
    return cell_part, labels, shown


def _find_case(directory: Path, summary: dict) -> Path | None:
    """The case file of this run, if it can be found with the recorded sha256."""
    sha = (summary.get("run") or {}).get("case_sha256")
    candidates = []
    if summary.get("case_path"):
        p = Path(summary["case_path"])
        candidates += [p, directory / p]
    name = summary.get("case")
    if name:
        for root in (Path.cwd(), Path(__file__).resolve().parents[1]):
            candidates.append(root / "cases" / f"{name}.yaml")
    for p in candidates:
        try:
            if p.is_file() and (sha is None or hashlib.sha256(p.read_bytes()).hexdigest() == sha):
                return p
        except OSError:
            continue
    return None


def attitude_of(directory: Path, summary: dict) -> tuple[str, bool]:
    """(attitude, assumed?): summary.json's `attitude`, else the case file's (found by
    :func:`_find_case`), else the default (nadir in orbit, sun in deep space), assumed."""
    for holder in (summary, summary.get("orbit") or {}):
        if holder.get("attitude") in ("nadir", "sun"):
            return holder["attitude"], False
    deep_space = not (summary.get("orbit") or {}).get("period_s")
    path = _find_case(directory, summary)
    if path is not None:   # the case file itself (its default is the same as below)
        try:
            import yaml
            value = (yaml.safe_load(path.read_text()) or {}).get("attitude")
        except Exception:  # noqa: BLE001 - an unreadable case: fall back to the default
            value = None
        if value in ("nadir", "sun"):
            return value, False
        if value is None:
            return ("sun" if deep_space else "nadir"), False
    return ("sun" if deep_space else "nadir"), True


def _drawing(directory: Path, summary: dict):
    """The drawing of the parts: the results' ``spacecraft.vtu`` (a finite-element run), else meshed
    now from the case file the run read (a network run), when that file is unchanged."""
    import pyvista as pv
    if (directory / DRAWING_FILE).is_file():
        return pv.read(str(directory / DRAWING_FILE))
    path = summary.get("case_path")
    if not path or not Path(path).is_file():
        raise ViewError(f"{directory} has no {DRAWING_FILE} and its case file ({path or 'a case given from Python'}) "
                        "is not there to draw the parts from: solve the case again with the finite-element model, "
                        "or from its file")
    case = load_case(path)
    if summary.get("spacecraft_kind") == "panel_array":
        raise ViewError(f"{directory} is a panel array's network run: it has no drawing of the unit cell; solve it "
                        "with solver.model: fe (the cell's temperature field is then drawn)")
    if case.sha256 != summary.get("run", {}).get("case_sha256"):
        raise ViewError(f"{directory} has no {DRAWING_FILE}, and its case file {path} has changed since the run: "
                        "solve it again to draw it")
    with tempfile.TemporaryDirectory() as tmp:
        write_drawing_mesh(case, part_list(case.spacecraft), Path(tmp) / DRAWING_FILE)
        return pv.read(str(Path(tmp) / DRAWING_FILE))


def load_results(results_dir: str | Path) -> Results:
    """Read summary.json, timeseries.csv, the drawing of the parts (:func:`_drawing`) and, when present,
    the field."""
    import pyvista as pv
    directory = Path(results_dir)
    if not (directory / "summary.json").is_file():
        raise ViewError(f"{directory} is not a complete results directory (no summary.json): "
                        "run python -m thermal.solve CASE.yaml first")
    summary = json.loads((directory / "summary.json").read_text())
    columns = read_timeseries(directory / "timeseries.csv")
    drawing = _drawing(directory, summary)
    cell_part, labels, shown = _drawing_parts(drawing, summary, columns)
    lean = pv.UnstructuredGrid()
    lean.copy_structure(drawing)     # geometry only: the group arrays (one per GPU footprint) weigh a lot
    drawing = lean
    attitude, assumed = attitude_of(directory, summary)
    results = Results(directory=directory, summary=summary, columns=columns, drawing=drawing, mesh=drawing,
                      cell_part=cell_part, labels=labels, label_parts=shown, attitude=attitude,
                      attitude_assumed=assumed)
    if (directory / FIELD_FILE).is_file():
        _attach_field(results, directory / FIELD_FILE)
    return results


def _attach_field(results: Results, path: Path) -> None:
    import pyvista as pv
    times = pv.get_reader(str(path)).time_values
    t0, t1 = results.start_s, float(results.time_s[-1])
    tol = 1e-6 * max(1.0, abs(t1))
    if len(times) and times[0] <= t0 + tol and times[-1] >= t1 - tol:
        offset = 0.0
    else:
        offset = float(times[-1]) - t1 if len(times) else 0.0
    fld = read_field(path, (t0 + offset, t1 + offset) if len(times) > 1 else None)
    results.field, results.field_offset_s, results.mesh = fld, offset, fld.mesh
    # parts of the field's cells: the drawing cell nearest to each cell centre
    centres = np.asarray(fld.mesh.cell_centers().points)
    nearest = np.asarray(results.drawing.find_closest_cell(centres)).reshape(-1)
    results.cell_part = np.where(nearest >= 0, results.cell_part[np.maximum(nearest, 0)], -1)


# --- what is shown at a time -------------------------------------------------------------------

def _part_T_mean_K(results: Results, time_s) -> np.ndarray:
    """(n_labels,) mean temperature of each label's part at absolute time(s) `time_s` (NaN if unknown)."""
    t = results.time_s
    out = []
    for part in results.label_parts:
        column = results.columns.get(f"{part}_T_mean_K")
        out.append(np.full(np.shape(time_s), np.nan) if column is None else np.interp(time_s, t, column))
    return np.array(out)


def temperatures_at_K(results: Results, time_s: float) -> np.ndarray:
    """The drawn temperatures [K] at `time_s` seconds into the reported orbit: point (field) or
    cell values on `results.mesh`; NaN on cells of no part (network model)."""
    t = results.start_s + float(time_s)
    if results.field is not None:
        return results.field.at(t + results.field_offset_s)
    per_label = _part_T_mean_K(results, t)
    out = np.full(results.mesh.n_cells, np.nan)
    known = results.cell_part >= 0
    out[known] = per_label[results.cell_part[known]]
    return out


def temperature_range_K(results: Results) -> tuple[float, float]:
    """Minimum and maximum [K] of what the viewer draws over the whole reported orbit (every
    snapshot of the field, or every sample of the drawn parts' mean temperatures)."""
    if results._range_K is None:
        if results.field is not None:
            values = results.field.values_K
        else:
            used = np.unique(results.cell_part[results.cell_part >= 0])
            values = _part_T_mean_K(results, results.time_s)[used]
        values = values[np.isfinite(values)]
        if values.size == 0:
            raise ViewError(f"{results.directory}: no temperatures to draw (no part of spacecraft.vtu "
                            "has a <part>_T_mean_K column)")
        results._range_K = (float(values.min()), float(values.max()))
    return results._range_K


def to_units(T_K, units: str):
    if units not in UNITS:
        raise ViewError(f"--units must be one of {UNITS}, got {units!r}")
    return np.asarray(T_K, float) - (KELVIN_OFFSET if units == "degC" else 0.0)


def colour_range(results: Results, units: str = "K") -> tuple[float, float]:
    """The colour bar's range in `units`: :func:`temperature_range_K`, widened to 1 K when the
    temperature hardly changes (under 0.01 K: a steady single-part case, where a field still
    carries round-off differences)."""
    lo, hi = temperature_range_K(results)
    if hi - lo < 1e-2:
        lo, hi = lo - 0.5, hi + 0.5
    return float(to_units(lo, units)), float(to_units(hi, units))


def hottest_time_s(results: Results) -> float:
    """Seconds into the reported orbit of the GPU junction maximum; without GPUs, of the
    hottest drawn temperature."""
    j = results.columns.get("gpu_junction_K")
    if j is not None and np.any(np.isfinite(j)):
        return float(results.time_s[int(np.nanargmax(j))] - results.start_s)
    if results.field is not None:
        k = int(np.argmax(np.nanmax(results.field.values_K, axis=1)))
        return float(np.clip(results.field.times_s[k] - results.field_offset_s - results.start_s, 0, results.span_s))
    used = np.unique(results.cell_part[results.cell_part >= 0])
    values = _part_T_mean_K(results, results.time_s)[used]
    return float(results.time_s[int(np.nanargmax(np.nanmax(values, axis=0)))] - results.start_s)


def orbit_geometry(summary: dict):
    """thermal.orbit.OrbitGeometry from summary.json's orbit block (None in deep space)."""
    o = summary.get("orbit") or {}
    if not o.get("period_s") or o.get("beta_deg") is None or o.get("altitude_m") is None:
        return None
    return OrbitGeometry(altitude_m=o["altitude_m"], radius_m=EARTH_RADIUS_M + o["altitude_m"],
                         period_s=o["period_s"], beta_rad=math.radians(o["beta_deg"]),
                         solar_distance_au=o.get("solar_distance_au", 1.0))


def in_eclipse(summary: dict, time_s) -> np.ndarray:
    """True where the orbit is in the Earth's shadow (penumbra included) at absolute times: the
    eclipse of a circular orbit is centred on P/2 (thermal.orbit), eclipse_duration_s long."""
    o = summary.get("orbit") or {}
    period, duration = o.get("period_s"), o.get("eclipse_duration_s") or 0.0
    t = np.asarray(time_s, float)
    if not period or duration <= 0:
        return np.zeros(t.shape, bool)
    return np.abs(np.mod(t, period) - 0.5 * period) < 0.5 * duration


def directions_body(results: Results, time_s: float) -> dict[str, np.ndarray]:
    """Unit vectors in body axes at `time_s` into the reported orbit: 'sun' and (in orbit) 'earth'."""
    geom = orbit_geometry(results.summary)
    if geom is None:
        return {"sun": np.array([0.0, 0.0, 1.0])}   # deep space: body +z to the sun
    t = results.start_s + float(time_s)
    return {"sun": sun_vector_body(geom, t, results.attitude)[0],
            "earth": nadir_vector_body(geom, t, results.attitude)[0]}


def check_time(results: Results, time_s: float) -> float:
    if not math.isfinite(time_s) or time_s < -1e-9 or time_s > results.span_s + 1e-6:
        raise ViewError(f"--time {time_s:g} s is outside the reported orbit, 0 to {results.span_s:.6g} s")
    return min(max(float(time_s), 0.0), results.span_s)


# --- the scene ---------------------------------------------------------------------------------

def _fmt_T(T_K: float, units: str) -> str:
    if T_K is None or not math.isfinite(T_K):
        return "n/a"
    return f"{T_K:.1f} K ({T_K - KELVIN_OFFSET:.1f} degC)" if units == "K" else \
        f"{T_K - KELVIN_OFFSET:.1f} degC ({T_K:.1f} K)"


class Scene:
    """A PyVista plotter showing one results directory at a time that `set_time` changes.

    Attributes: plotter, results, units, time_s (into the reported orbit), actor (the
    temperature mesh), scalar_range (the colour bar's range in `units`)."""

    #: what the colours show; a subclass (:mod:`thermal.outputs.exchange_view`) draws another quantity
    #: by overriding :meth:`_configure`, :meth:`values_at`, :meth:`value_text` and :meth:`_status_lines`
    colormap = COLORMAP

    def __init__(self, results: Results, time_s: float = 0.0, units: str = "K", *, off_screen: bool = True,
                 window_size=SCREENSHOT_SIZE, interactive: bool = False):
        import pyvista as pv
        self.results, self.units = results, units
        self._location = "point" if results.field is not None and results.field.location == "point" else "cell"
        self._configure()
        _quiet_vtk()
        self.plotter = pv.Plotter(off_screen=off_screen, window_size=list(window_size))
        self.plotter.set_background(BACKGROUND)
        self.mesh = results.mesh.copy(deep=True)
        self._store(self.values_at(0.0))
        self.actor = self.plotter.add_mesh(
            self.mesh, scalars=self.title, preference=self._location, cmap=self.colormap, clim=self.scalar_range,
            nan_color=UNASSIGNED_COLOUR, show_edges=False, ambient=0.35, diffuse=0.7, specular=0.0,
            scalar_bar_args=dict(title=self.title, vertical=True, position_x=0.87, position_y=0.12,
                                 width=0.05, height=0.72, n_labels=6, fmt=self._label_format(), color="black",
                                 title_font_size=16, label_font_size=14))
        self.plotter.add_mesh(self.mesh.extract_feature_edges(feature_angle=30.0, boundary_edges=True,
                                                              non_manifold_edges=True, manifold_edges=False),
                              color="black", line_width=1.0, name="outline")
        bounds = np.array(self.mesh.bounds).reshape(3, 2)
        self.centre = bounds.mean(axis=1)
        self.radius = 0.5 * float(np.linalg.norm(bounds[:, 1] - bounds[:, 0])) or 1.0
        self.plotter.add_axes(color="black", viewport=(0.72, 0.0, 0.86, 0.18))
        self.time_s = None
        self.set_time(time_s, render=False)
        self._frame_camera()
        self.hover_text = ""
        if interactive:
            self._add_interaction()

    def _label_format(self) -> str:
        """Enough decimals that the colour bar's six labels differ."""
        step = (self.scalar_range[1] - self.scalar_range[0]) / 5.0
        return f"%.{max(0, math.ceil(-math.log10(step)))}f"

    # values
    def _configure(self) -> None:
        """The colour bar: its title (the name of the drawn array), range and where the values sit
        (``_location``: 'point' for a field's nodal values, else 'cell')."""
        self.scalar_range = colour_range(self.results, self.units)
        self.title = f"temperature [{self.units}]"

    def values_at(self, time_s: float) -> np.ndarray:
        """What the colours show at `time_s` into the reported orbit, on the drawn mesh: the
        temperatures in `units`."""
        return to_units(temperatures_at_K(self.results, time_s), self.units)

    def value_text(self, value: float) -> str:
        """A drawn value as the hover text shows it."""
        return _fmt_T(value + (KELVIN_OFFSET if self.units == "degC" else 0.0), self.units)

    def _store(self, values: np.ndarray) -> None:
        if self._location == "point":
            self.mesh.point_data[self.title] = values
        else:
            self.mesh.cell_data[self.title] = values

    def displayed_values(self) -> np.ndarray:
        """The scalars on the drawn mesh now, in `units`."""
        data = self.mesh.point_data if self._location == "point" else self.mesh.cell_data
        return np.asarray(data[self.title])

    def _frame_camera(self) -> None:
        # fixed framing: a sphere that holds the spacecraft and the arrows at every instant
        self.plotter.view_vector((1.0, 0.8, 0.9), viewup=(0.0, 0.0, 1.0))
        r = (ARROW_START + ARROW_LENGTH) * self.radius
        c = self.centre
        self.plotter.reset_camera(bounds=[c[0] - r, c[0] + r, c[1] - r, c[1] + r, c[2] - r, c[2] + r])
        self.plotter.camera.zoom(1.6)   # reset_camera fits the box's bounding sphere, sqrt(3) r

    def set_time(self, time_s: float, render: bool = True) -> None:
        """Show the instant `time_s` seconds into the reported orbit."""
        r = self.results
        self.time_s = check_time(r, time_s)
        self._store(self.values_at(self.time_s))
        self._arrows()
        self._texts()
        if render:
            self.plotter.render()

    def _arrows(self) -> None:
        import pyvista as pv
        r = self.results
        eclipsed = bool(in_eclipse(r.summary, r.start_s + self.time_s))
        directions = {k: v / np.linalg.norm(v) for k, v in directions_body(r, self.time_s).items()}
        for key, d in directions.items():
            start = self.centre + ARROW_START * self.radius * d
            if key == "sun" and "earth" in directions and directions["earth"] @ d > math.cos(math.radians(15)):
                # the sun behind the Earth (eclipse): side by side, not one inside the other
                side = np.cross(d, (0.0, 0.0, 1.0) if abs(d[2]) < 0.9 else (1.0, 0.0, 0.0))
                start = start + 0.12 * self.radius * side / np.linalg.norm(side)
            arrow = pv.Arrow(start=start, direction=d, scale=ARROW_LENGTH * self.radius, tip_length=0.3,
                             tip_radius=0.09, shaft_radius=0.035)
            colour = EARTH_COLOUR if key == "earth" else (ECLIPSED_SUN_COLOUR if eclipsed else SUN_COLOUR)
            label = "Earth (nadir)" if key == "earth" else ("Sun (eclipsed)" if eclipsed else "Sun")
            self.plotter.add_mesh(arrow, color=colour, name=f"arrow_{key}", ambient=0.4, render=False)
            tip = start + (ARROW_LENGTH + 0.08) * self.radius * d
            self.plotter.add_point_labels(np.array([tip]), [label], name=f"label_{key}", font_size=16,
                                          text_color=colour, shape=None, show_points=False, always_visible=True,
                                          justification_vertical="bottom" if key == "sun" else "top",
                                          render=False)

    def _texts(self) -> None:
        r = self.results
        lines = [f"{r.name}  ({r.model} model{', field ' + r.field.name if r.field is not None else ''})"]
        if r.steady:
            lines.append("steady state")
        else:
            period = r.period_s
            where = "eclipse" if bool(in_eclipse(r.summary, r.start_s + self.time_s)) else "sun"
            total = f" of {period / 60:.1f} min orbit" if period else f" of {r.span_s / 60:.1f} min"
            lines.append(f"t = {self.time_s / 60:.1f} min{total} ({where})")
        if r.attitude:
            lines.append(f"attitude: {r.attitude}{' (assumed)' if r.attitude_assumed else ''}")
        self.plotter.add_text("\n".join(lines + self._status_lines()), position="upper_left", font_size=11,
                              color="black", name="time", render=False)
        text, colour = self.junction_text()
        if text:
            self.plotter.add_text(text, position="lower_left", font_size=11, color=colour, name="junction",
                                  render=False)

    def _status_lines(self) -> list[str]:
        """Lines under the time and attitude in the upper left (none for the temperatures)."""
        return []

    def junction_text(self) -> tuple[str, str]:
        r = self.results
        th = r.summary.get("thermal") or {}
        j_max = th.get("gpu_junction_max_K")
        if j_max is None:
            return "", "black"
        j = r.columns.get("gpu_junction_K")
        now = float(np.interp(r.start_s + self.time_s, r.time_s, j)) if j is not None else float("nan")
        limit = th.get("gpu_junction_limit_K")
        text = f"GPU junction now {_fmt_T(now, self.units)}\nGPU junction max {_fmt_T(j_max, self.units)}"
        colour = "black"
        if limit is not None:
            met = j_max <= limit
            text += f"\nlimit {_fmt_T(limit, self.units)}: {'met' if met else 'EXCEEDED'}, " \
                    f"margin {limit - j_max:.1f} K"
            colour = "darkgreen" if met else "red"
        return text, colour

    # interaction
    def describe_cell(self, cell_id: int) -> str:
        """'part: temperature' for a cell of the drawn mesh."""
        r = self.results
        if cell_id < 0 or cell_id >= self.mesh.n_cells:
            return ""
        k = int(r.cell_part[cell_id])
        name = r.labels[k] if k >= 0 else "(no part)"
        if k >= 0 and r.field is None and r.label_parts[k] != name:   # a GPU footprint showing the cold plates
            name = f"{name} ({r.label_parts[k]})"
        if self._location == "point":
            ids = self.mesh.get_cell(cell_id).point_ids
            value = float(np.mean(self.displayed_values()[ids]))
        else:
            value = float(self.displayed_values()[cell_id])
        return f"{name}: {self.value_text(value)}"

    def pick(self, x: int, y: int) -> str:
        """Describe the cell under display position (x, y) (pixels from the lower left) and show it."""
        import vtk
        picker = vtk.vtkCellPicker()
        picker.SetTolerance(0.0005)
        picker.Pick(x, y, 0, self.plotter.renderer)
        text = self.describe_cell(picker.GetCellId()) if picker.GetActor() is self.actor else ""
        if text != self.hover_text:
            self.hover_text = text
            self.plotter.add_text(text, position="upper_right", font_size=12, color="black", name="hover")
        return text

    def _add_interaction(self) -> None:
        p = self.plotter
        span = self.results.span_s
        if span > 0:
            p.add_slider_widget(lambda minutes: self.set_time(min(max(minutes * 60.0, 0.0), span)),
                                rng=[0.0, span / 60.0], value=self.time_s / 60.0, title="time in orbit [min]",
                                pointa=(0.30, 0.06), pointb=(0.80, 0.06), style="modern", fmt="%.1f",
                                color="black", interaction_event="always")
        p.iren.add_observer("MouseMoveEvent", lambda *_: self._on_move())

    def _on_move(self) -> None:
        x, y = self.plotter.iren.get_event_position()
        self.pick(x, y)
        self.plotter.render()

    def image(self) -> np.ndarray:
        """The rendered frame as an (h, w, 3) uint8 array."""
        return np.asarray(self.plotter.screenshot(None, return_img=True))[..., :3]

    def close(self) -> None:
        self.plotter.close()


# --- commands ------------------------------------------------------------------------------------

def screenshot(results_dir, path, time_s: float = 0.0, units: str = "K", window_size=SCREENSHOT_SIZE) -> dict:
    """Render the results at `time_s` into a PNG, off screen. Returns what was drawn:
    {'path', 'time_s', 'scalar_range' (units), 'range_K', 'units', 'size'}."""
    results = load_results(results_dir) if not isinstance(results_dir, Results) else results_dir
    scene = Scene(results, time_s, units, off_screen=True, window_size=window_size)
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        scene.plotter.screenshot(str(path))
        info = {"path": Path(path), "time_s": scene.time_s, "scalar_range": scene.scalar_range,
                "range_K": temperature_range_K(results), "units": units, "size": tuple(window_size)}
    finally:
        scene.close()
    return info


def animation_times_s(results: Results, frames: int = ANIMATION_FRAMES) -> np.ndarray:
    """Frame times over one orbit: evenly spaced, the last frame one step before the first
    comes round again (periodic runs) or at the end of the series."""
    span = results.span_s
    period = results.period_s
    periodic = period is not None and abs(span - period) <= 0.02 * period
    return np.linspace(0.0, span, frames, endpoint=not periodic)


def animate(results_dir, path, frames: int = ANIMATION_FRAMES, units: str = "K", window_size=ANIMATION_SIZE,
            frame_ms: int = 150) -> dict:
    """Write an animated GIF over the reported orbit (Pillow; one colour range for all frames)."""
    from PIL import Image
    results = load_results(results_dir) if not isinstance(results_dir, Results) else results_dir
    if results.steady:
        raise ViewError(f"{results.directory} is a steady state: nothing to animate (use --screenshot)")
    if frames < 2:
        raise ViewError(f"--frames must be at least 2, got {frames}")
    times = animation_times_s(results, frames)
    scene = Scene(results, float(times[0]), units, off_screen=True, window_size=window_size)
    images = []
    try:
        for t in times:
            scene.set_time(float(t))
            images.append(Image.fromarray(scene.image()))
    finally:
        scene.close()
    palette = images[0].quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    quantised = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    quantised[0].save(str(path), save_all=True, append_images=quantised[1:], duration=frame_ms, loop=0,
                      optimize=False)
    return {"path": Path(path), "frames": len(images), "times_s": times, "scalar_range": scene.scalar_range,
            "range_K": temperature_range_K(results), "units": units}


def coating_label(part) -> str:
    """'osr (a 0.08, e 0.79)' or 'front ... | back ...' for a part of geometry.parts."""
    def one(c):   # coatings given inline in the case are named by their key path: 'inline'
        return f"{'inline' if '.' in c.name else c.name} (a {c.absorptivity:.2f}, e {c.emissivity:.2f})"
    sides = part.sides
    if not sides:
        return "internal (no radiating side)"
    labels = list(dict.fromkeys(one(s.coating) for s in sides))
    if len(labels) == 1:
        return labels[0]
    return " | ".join(f"{s.name.split('.', 1)[-1]} {one(s.coating)}" for s in sides)


def preview_geometry(case_path, screenshot_path=None, colour_by: str = "coating", window_size=SCREENSHOT_SIZE,
                     mesh_size_m: float | None = None) -> dict:
    """Mesh a case's spacecraft (coarse, as for spacecraft.vtu) and draw its parts coloured by
    coating (`colour_by='coating'`, with a legend) or by front emissivity / absorptivity.
    Returns {'parts': {part: coating label}, 'legend': [labels], 'cells': n, 'path'}."""
    import pyvista as pv

    from geometry.shells import surface_arrays  # gmsh
    if colour_by not in ("coating", "emissivity", "absorptivity"):
        raise ViewError(f"--colour-by must be coating, emissivity or absorptivity, got {colour_by!r}")
    case = load_case(case_path)
    parts = case.spacecraft
    plist = part_list(parts)
    arrays, tags, ids = (surface_arrays(parts, mesh_size_m) if mesh_size_m else
                         drawing_surface(parts, plist, case.solver.mesh_size_m))
    poly = to_polydata(arrays, tags)
    # a footprint's cells show its parent part (the part whose group holds them)
    tag_part = {i: n for n, i in ids.items() if n in plist.names}
    for name, i in ids.items():
        if name not in plist.names:
            members = set(arrays.groups[name])
            tag_part[i] = next(p for p in plist.names if members <= set(arrays.groups[p]))
    labels = {p.name: coating_label(p) for p in plist.parts}
    _quiet_vtk()
    plotter = pv.Plotter(off_screen=screenshot_path is not None, window_size=list(window_size))
    plotter.set_background(BACKGROUND)
    tags = np.asarray(poly.cell_data["part_id"])
    cell_parts = np.array([tag_part.get(int(t), "") for t in tags])
    legend = []
    if colour_by == "coating":
        colours = pv.LookupTable("tab10")
        for k, label in enumerate(dict.fromkeys(labels.values())):
            members = [n for n, lab in labels.items() if lab == label]
            cells = np.flatnonzero(np.isin(cell_parts, members))
            if not len(cells):
                continue
            colour = colours.map_value(float(k % 10) / 9.0)[:3]
            plotter.add_mesh(poly.extract_cells(cells), color=colour, ambient=0.35, diffuse=0.7,
                             label=f"{label}: {', '.join(members)}")
            legend.append(label)
        plotter.add_legend(bcolor="white", face="rectangle", size=(0.62, 0.02 + 0.035 * len(legend)),
                           loc="lower left", font_family="courier")
    else:
        def front(p):
            if not p.sides:
                return np.nan
            c = p.sides[0].coating
            return c.emissivity if colour_by == "emissivity" else c.absorptivity
        value = {p.name: front(p) for p in plist.parts}
        poly.cell_data[colour_by] = np.array([value.get(n, np.nan) for n in cell_parts])
        plotter.add_mesh(poly, scalars=colour_by, cmap="viridis", clim=[0.0, 1.0], nan_color=UNASSIGNED_COLOUR,
                         ambient=0.35, diffuse=0.7,
                         scalar_bar_args=dict(title=f"front {colour_by}", color="black", vertical=True,
                                              position_x=0.87, position_y=0.12, height=0.72, width=0.05))
        legend = [f"{n}: {lab}" for n, lab in labels.items()]
    plotter.add_mesh(poly.extract_feature_edges(feature_angle=30.0, boundary_edges=True, manifold_edges=False,
                                                non_manifold_edges=True), color="black", line_width=1.0)
    plotter.add_text(f"{case.name}: parts and coatings (a: solar absorptivity BOL, e: IR emissivity)",
                     position="upper_left", font_size=11, color="black")
    plotter.add_axes(color="black", viewport=(0.72, 0.0, 0.86, 0.18))
    plotter.view_vector((1.0, 0.8, 0.9), viewup=(0.0, 0.0, 1.0))
    plotter.reset_camera()
    plotter.camera.zoom(1.2)
    info = {"parts": labels, "legend": legend, "cells": int(poly.n_cells), "path": screenshot_path}
    if screenshot_path is not None:
        Path(screenshot_path).parent.mkdir(parents=True, exist_ok=True)
        plotter.screenshot(str(screenshot_path))
        plotter.close()
    else:
        plotter.show()
    return info

