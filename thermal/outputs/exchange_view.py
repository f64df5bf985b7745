"""The radiation exchange drawn: the view factors from one part, or the parts' shadows at a time.

The library behind ``python -m thermal.view RESULTS --view-factors-from PART`` and ``--shadow-at T``
(:mod:`thermal.view`), on the scene of :mod:`thermal.outputs.viewer` (the same drawing of the parts,
camera, sun and Earth arrows, hover and time slider). Both read only the results folder:

- **View factors** (:func:`view_factor_scalars`): every part is coloured by the view factor from
  the picked part to it, ``thermal.view_factors.parts.<picked>.to.<part>`` of ``summary.json``
  (area-weighted over the picked part's sides, Monte Carlo with reciprocity and closure enforced,
  orbit-averaged over the sun-tracking wings' positions: :func:`thermal.exchange.part_view_factors`);
  a part it does not see is 0; the picked part itself is drawn in one colour of its own, and its
  view factor to space (with its Monte Carlo standard error) and to all parts is written in the
  picture. Parts without a radiating side (inside the body) have no view factors and stay grey.
- **Shadows** (:func:`shadow_scalars`): every part is coloured by its shadow fraction at the time,
  the ``shadow_fraction:<part>`` columns of ``timeseries.csv`` (:class:`thermal.exposure.PartSun`:
  the share of the direct sun its sides would get that the other parts block, 0 fully lit, 1 in
  full shadow), linear between the samples; a part that gets no direct sun at that time (in
  eclipse, or facing away) is grey. The sun arrow shows where the light comes from; each
  sun-tracking wing is drawn turned to its angle at that time, as the shadows were traced
  (:func:`thermal.exchange.turned_wings`; from the case file, when it is there unchanged).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from thermal.outputs.viewer import (
    SCREENSHOT_SIZE,
    SHADOW_COLUMN,
    Results,
    Scene,
    ViewError,
    check_time,
    directions_body,
    load_results,
)

VIEW_FACTOR_COLORMAP = "viridis"
SHADOW_COLORMAP = "cividis_r"          # 0 (lit) pale, 1 (in full shadow) dark
PICKED_COLOUR = "#e8262a"              # the part the view factors are from


# --- what the colours show -----------------------------------------------------------------------

def view_factors_of(results: Results) -> dict:
    """``thermal.view_factors`` of the results' summary.json, or a :class:`ViewError` that says why
    there is none."""
    vf = (results.summary.get("thermal") or {}).get("view_factors")
    if not vf or not vf.get("parts"):
        raise ViewError(f"{results.directory} has no view factors (summary.json thermal.view_factors): the run had "
                        "solver.radiation_exchange off (or one part), or was written before the exchange; solve it "
                        "with radiation exchange")
    return vf


def check_part(results: Results, part: str) -> str:
    """`part` when it has view factors, else a :class:`ViewError` naming the parts that have them."""
    known = list(view_factors_of(results)["parts"])
    if part not in known:
        inside = " (it has no radiating side)" if part in results.labels else ""
        raise ViewError(f"--view-factors-from {part}: no part with view factors of that name in "
                        f"{results.directory}{inside}; the parts are: {', '.join(known)}")
    return part


def view_factors_from(results: Results, part: str) -> dict[str, float]:
    """{part: F from `part` to it} for every part with view factors (0 for those it does not see), and
    'space'."""
    vf = view_factors_of(results)["parts"]
    row = vf[check_part(results, part)]
    return {**{q: float(row["to"].get(q, 0.0)) for q in vf}, "space": float(row["space"])}


def _per_cell(results: Results, per_label: dict[str, float]) -> np.ndarray:
    """(n_cells,) the value of each drawn cell's part (NaN for cells of no part or a part not listed)."""
    values = np.array([per_label.get(name, np.nan) for name in results.labels] + [np.nan], float)
    return values[np.where(results.cell_part >= 0, results.cell_part, len(results.labels))]


def view_factor_scalars(results: Results, part: str) -> np.ndarray:
    """(n_cells,) on ``results.mesh``: the view factor from `part` to the part of each cell, NaN on
    `part` itself (drawn in its own colour) and on cells of parts without view factors."""
    values = view_factors_from(results, part)
    values.pop("space")
    values.pop(part)
    return _per_cell(results, values)


def _interp_with_gaps(times: np.ndarray, column: np.ndarray, t: float) -> float:
    """Linear between samples; a sample's own value at its time; NaN where a neighbour is NaN."""
    if len(times) == 1:
        return float(column[0])
    k = int(np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(times) - 2))
    if t >= times[-1]:
        return float(column[-1])
    w = (t - times[k]) / (times[k + 1] - times[k])
    if w <= 1e-9 or w >= 1.0 - 1e-9:      # on a sample (to rounding of the clock): its own value
        return float(column[k] if w < 0.5 else column[k + 1])
    return float((1.0 - w) * column[k] + w * column[k + 1])


def shadow_fractions_at(results: Results, time_s: float) -> dict[str, float]:
    """{part: shadow fraction} at `time_s` seconds into the reported orbit, from the
    ``shadow_fraction:<part>`` columns of timeseries.csv (NaN: the part gets no direct sun then)."""
    columns = {k[len(SHADOW_COLUMN):]: v for k, v in results.columns.items() if k.startswith(SHADOW_COLUMN)}
    if not columns:
        raise ViewError(f"{results.directory}/timeseries.csv has no {SHADOW_COLUMN}<part> columns: the run had "
                        "solver.radiation_exchange off (or one part), or was written before the shadows were; "
                        "solve it again with radiation exchange")
    t = results.start_s + float(time_s)
    return {part: _interp_with_gaps(results.time_s, column, t) for part, column in columns.items()}


def shadow_scalars(results: Results, time_s: float) -> np.ndarray:
    """(n_cells,) on ``results.mesh``: the shadow fraction of each cell's part at `time_s`."""
    return _per_cell(results, shadow_fractions_at(results, time_s))


_TIME = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(s|min|h|%|)\s*$")
_SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0}


def orbit_time_s(results: Results, text: str) -> float:
    """``--shadow-at``: seconds into the reported orbit from a time with its unit ('1200 s',
    '1200s', '20 min', '0.5 h') or a share of the orbit ('0.25', '25%'; of the period, or of the
    reported span without an orbit)."""
    match = _TIME.match(str(text))
    if match is None:
        raise ViewError(f"--shadow-at: expected a time with its unit (1200 s, 20 min) or a share of the orbit "
                        f"(0.25, 25%), got {text!r}")
    value, unit = float(match.group(1)), match.group(2)
    if unit in _SECONDS:
        time_s = value * _SECONDS[unit]
        if time_s > results.span_s + 1e-6:
            raise ViewError(f"--shadow-at {text} ({time_s:g} s) is outside the reported orbit, 0 to "
                            f"{results.span_s:.6g} s")
        return time_s
    share = value / 100.0 if unit == "%" else value
    if not 0.0 <= share <= 1.0:
        raise ViewError(f"--shadow-at: a share of the orbit is between 0 and 1 (or 0% and 100%), got {text!r}; "
                        "give a time its unit (s, min, h)")
    return min(share * float(results.period_s or results.span_s), results.span_s)


# --- the scenes ----------------------------------------------------------------------------------

class ViewFactorScene(Scene):
    """The parts coloured by the view factor from one part (`part`; :meth:`pick_part` changes it).
    Interactive: hover names a part and its view factor; a right click picks the part under the
    mouse."""

    colormap = VIEW_FACTOR_COLORMAP

    def __init__(self, results: Results, part: str, *, off_screen: bool = True, window_size=SCREENSHOT_SIZE,
                 interactive: bool = False):
        self.part = check_part(results, part)
        super().__init__(results, 0.0, "K", off_screen=off_screen, window_size=window_size,
                         interactive=interactive)
        self._show_picked()

    def _configure(self) -> None:
        self._location = "cell"
        self.title = "view factor"
        self.scalar_range = self._range()

    def _range(self) -> tuple[float, float]:
        seen = [f for q, f in view_factors_from(self.results, self.part).items() if q not in ("space", self.part)]
        return 0.0, max(max(seen, default=0.0), 1e-3)

    def values_at(self, time_s: float) -> np.ndarray:
        return view_factor_scalars(self.results, self.part)

    def value_text(self, value: float) -> str:
        return f"F from {self.part} = {value:.4f}" if math.isfinite(value) else "n/a"

    def describe_cell(self, cell_id: int) -> str:
        k = int(self.results.cell_part[cell_id]) if 0 <= cell_id < self.mesh.n_cells else -1
        if k >= 0 and self.results.labels[k] == self.part:
            return f"{self.part}: the part the view factors are from"
        return super().describe_cell(cell_id)

    def _arrows(self) -> None:
        """No sun or Earth: the view factors are averaged over the orbit."""

    def junction_text(self) -> tuple[str, str]:
        return "", "black"

    def _status_lines(self) -> list[str]:
        vf = view_factors_of(self.results)
        row = vf["parts"][self.part]
        seen = sorted(((f, q) for q, f in row["to"].items() if q != self.part), reverse=True)
        lines = [f"view factors from {self.part} ({vf['rays_per_side']} rays per side"
                 + (f", {vf['wing_positions']} wing positions averaged" if vf.get("wing_positions", 1) > 1 else "")
                 + ")",
                 f"  to space  {row['space']:.4f} +- {row['space_sigma']:.4f}",
                 f"  to parts  {sum(f for f, _ in seen):.4f}"]
        lines += [f"  {q:<10}{f:.4f} +- {row['sigma'].get(q, 0.0):.4f}" for f, q in seen[:6]]
        return lines

    def _texts(self) -> None:
        r = self.results
        lines = [f"{r.name}  ({r.model} model)", *self._status_lines()]
        self.plotter.add_text("\n".join(lines), position="upper_left", font_size=11, color="black", name="time",
                              render=False)

    def _show_picked(self) -> None:
        k = self.results.labels.index(self.part) if self.part in self.results.labels else -1
        cells = np.flatnonzero(self.results.cell_part == k)
        if len(cells):
            self.plotter.add_mesh(self.mesh.extract_cells(cells), color=PICKED_COLOUR, ambient=0.35, diffuse=0.7,
                                  name="picked", render=False, pickable=False)
        else:
            self.plotter.remove_actor("picked", render=False)

    def pick_part(self, part: str, render: bool = True) -> None:
        """Colour by the view factors from `part` instead."""
        self.part = check_part(self.results, part)
        self.scalar_range = self._range()
        self._store(self.values_at(0.0))
        self.actor.mapper.scalar_range = self.scalar_range
        self.plotter.update_scalar_bar_range(list(self.scalar_range), name=self.title)
        self._show_picked()
        self._texts()
        if render:
            self.plotter.render()

    def select(self, x: int, y: int) -> str:
        """Pick the part under display position (x, y) (pixels from the lower left), if it has view
        factors; returns the part now shown ('' when nothing was picked)."""
        import vtk
        picker = vtk.vtkCellPicker()
        picker.SetTolerance(0.0005)
        picker.Pick(x, y, 0, self.plotter.renderer)
        cell = picker.GetCellId() if picker.GetActor() is self.actor else -1
        k = int(self.results.cell_part[cell]) if 0 <= cell < self.mesh.n_cells else -1
        name = self.results.labels[k] if k >= 0 else ""
        if name not in view_factors_of(self.results)["parts"]:
            return ""
        self.pick_part(name)
        return name

    def _add_interaction(self) -> None:
        p = self.plotter
        p.iren.add_observer("MouseMoveEvent", lambda *_: self._on_move())
        p.iren.add_observer("RightButtonPressEvent", lambda *_: self.select(*p.iren.get_event_position()))
        p.add_text("right click: view factors from that part", position="lower_right", font_size=10,
                   color="black", name="hint")


VTK_TRIANGLE = 5


def tracking_wings(results: Results) -> tuple | None:
    """(spacecraft, triangles, {wing: its cells}) of the drawn mesh's sun-tracking wings, to turn them
    as the shadows were traced (:func:`thermal.exchange.turned_wings`); None when the case file is
    not there unchanged (``case_path`` and ``run.case_sha256`` of summary.json), the spacecraft has
    no such wing, or the drawing is not triangles whose wings share no point with other parts."""
    from geometry.parts import SUN_POINTINGS
    from thermal.case import load_case
    path = results.summary.get("case_path")
    if not path or not Path(path).is_file():
        return None
    case = load_case(path)
    wings = [w.name for w in getattr(case.spacecraft, "solar_arrays", ()) if w.pointing in SUN_POINTINGS]
    triangles = results.mesh.cells_dict.get(VTK_TRIANGLE)
    if (case.sha256 != (results.summary.get("run") or {}).get("case_sha256") or not wings
            or any(w not in results.labels for w in wings) or triangles is None
            or len(triangles) != results.mesh.n_cells):
        return None
    cells = {w: np.flatnonzero(results.cell_part == results.labels.index(w)) for w in wings}
    moved = np.unique(triangles[np.concatenate(list(cells.values()))])
    others = np.unique(np.delete(triangles, np.concatenate(list(cells.values())), axis=0))
    if np.intersect1d(moved, others).size:
        return None
    return case.spacecraft, np.asarray(triangles), cells


class ShadowScene(Scene):
    """The parts coloured by their shadow fraction at `time_s` (the time slider moves it), the
    sun-tracking wings turned to their angle then (:func:`tracking_wings`)."""

    colormap = SHADOW_COLORMAP

    def __init__(self, results: Results, time_s: float = 0.0, *, off_screen: bool = True,
                 window_size=SCREENSHOT_SIZE, interactive: bool = False):
        self.wings = tracking_wings(results)
        self._reference_points = np.array(results.mesh.points, float)
        super().__init__(results, time_s, "K", off_screen=off_screen, window_size=window_size,
                         interactive=interactive)

    def set_time(self, time_s: float, render: bool = True) -> None:
        from thermal.exchange import turned_wings
        if self.wings is not None:
            spacecraft, triangles, cells = self.wings
            sun = directions_body(self.results, check_time(self.results, time_s))["sun"]
            self.mesh.points = turned_wings(spacecraft, self._reference_points, triangles, cells, sun)
            self.plotter.add_mesh(self.mesh.extract_feature_edges(feature_angle=30.0, boundary_edges=True,
                                                                  non_manifold_edges=True, manifold_edges=False),
                                  color="black", line_width=1.0, name="outline", render=False)
        super().set_time(time_s, render)

    def _configure(self) -> None:
        self._location = "cell"
        self.title = "shadow fraction"
        self.scalar_range = (0.0, 1.0)

    def values_at(self, time_s: float) -> np.ndarray:
        return shadow_scalars(self.results, time_s)

    def value_text(self, value: float) -> str:
        return f"shadow fraction {value:.3f}" if math.isfinite(value) else "no direct sun"

    def _status_lines(self) -> list[str]:
        wings = "wings turned to the sun as traced" if self.wings is not None else \
            "wings drawn in their meshed position"
        return ["shadow fraction: share of a part's direct sun that other parts block",
                f"(grey: no direct sun; {wings})"]


# --- commands ------------------------------------------------------------------------------------

def _render(scene: Scene, path) -> None:
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        scene.plotter.screenshot(str(path))
    finally:
        scene.close()


def view_factor_screenshot(results_dir, path, part: str, window_size=SCREENSHOT_SIZE) -> dict:
    """Render the view factors from `part` into a PNG, off screen. Returns {'path', 'part',
    'scalar_range', 'view_factors' (part: F, and 'space')}."""
    results = results_dir if isinstance(results_dir, Results) else load_results(results_dir)
    scene = ViewFactorScene(results, part, off_screen=True, window_size=window_size)
    info = {"path": Path(path), "part": part, "scalar_range": scene.scalar_range,
            "view_factors": view_factors_from(results, part)}
    _render(scene, path)
    return info


def shadow_screenshot(results_dir, path, time_s: float, window_size=SCREENSHOT_SIZE) -> dict:
    """Render the parts' shadow fractions at `time_s` into a PNG, off screen. Returns {'path',
    'time_s', 'shadow_fractions' (part: fraction)}."""
    results = results_dir if isinstance(results_dir, Results) else load_results(results_dir)
    scene = ShadowScene(results, time_s, off_screen=True, window_size=window_size)
    info = {"path": Path(path), "time_s": scene.time_s, "shadow_fractions": shadow_fractions_at(results, scene.time_s)}
    _render(scene, path)
    return info
