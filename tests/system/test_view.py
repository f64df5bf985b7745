"""`python -m thermal.view`: headless screenshots and animations of a small case, the colour range
against the data, the field path (a PVD written with DOLFINx), hover picking, the time slider and
the --geometry preview."""

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from thermal.outputs import viewer
from thermal.view import main as view_main

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"


# --- shared results (also used by test_report.py) ------------------------------------------------

def small_bus_case(path: Path) -> Path:
    """cases/h100_bus.yaml cut down to run in a few seconds: beta 30 deg (an eclipse), no power
    coupling, one orbit from the initial temperature, coarse drawing mesh."""
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    data["name"] = "small_bus"
    data["orbit"] = {"altitude": "550 km", "beta": "30 deg"}
    data.pop("power")
    data["solver"] = {"model": "network", "time_step": "60 s", "duration": "95 min", "mesh_size": "30 cm"}
    path.write_text(yaml.safe_dump(data))
    return path


def solved(base: Path, name: str, case_path: Path) -> Path:
    """A results directory, solved once per test session."""
    out = base / name
    if not (out / "summary.json").is_file():
        from thermal.solve import main
        assert main([str(case_path), "--out", str(out), "--quiet"]) == 0
    return out


def small_results(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return solved(base, "viewer_small_bus", small_bus_case(base / "small_bus.yaml"))


def plate_results(tmp_path_factory) -> Path:
    return solved(tmp_path_factory.getbasetemp(), "viewer_plate_sun", CASES / "plate_sun.yaml")


def field_value_K(points: np.ndarray, time_s: float, period_s: float) -> np.ndarray:
    """The made-up field of the field-path tests."""
    return 260.0 + 10.0 * points[:, 0] + 15.0 * np.sin(2.0 * np.pi * time_s / period_s)


def with_field(source: Path, target: Path, offset_s: float, snapshots: int = 9) -> Path:
    """A copy of a results directory plus fields/temperature.pvd written by the results writer's
    field sink on the spacecraft.vtu triangles, snapshots over the reported orbit shifted by
    `offset_s` (the field's own clock)."""
    import meshio

    from geometry.layout import part_list
    from thermal.case import load_case
    from thermal.outputs.drawing import write_drawing_mesh
    from thermal.outputs.fields import FieldWriter
    shutil.copytree(source, target)
    summary = json.loads((target / "summary.json").read_text())
    case = load_case(summary["case_path"])     # a network run: the drawing a finite-element run writes
    write_drawing_mesh(case, part_list(case.spacecraft), target / "spacecraft.vtu")
    m = meshio.read(target / "spacecraft.vtu")
    tags = m.cell_data_dict["part_id"]["triangle"]
    period = summary["orbit"]["period_s"]
    times = read_column(target, "time_s")
    sink = FieldWriter(target / "fields")
    sink.begin(m.points, m.cells_dict["triangle"], tags, {f"part{t}": int(t) for t in np.unique(tags)})
    for t in np.linspace(times[0], times[-1], snapshots):
        sink.write(float(t + offset_s), field_value_K(m.points, t + offset_s, period))
    sink.end()
    return target


def read_column(results_dir: Path, name: str) -> np.ndarray:
    with open(results_dir / "timeseries.csv") as handle:
        return np.array([float(row[name]) for row in csv.DictReader(handle)])


# --- pixels ---------------------------------------------------------------------------------------

def read_png(path) -> np.ndarray:
    from PIL import Image
    return np.asarray(Image.open(path).convert("RGB")).astype(float)


def colour_fraction(image: np.ndarray, colour, min_cos: float = 0.998, min_chroma: float = 40.0) -> float:
    """Fraction of pixels with the hue of `colour` (0..1 RGB) at any brightness (lighting scales
    a colour; saturated channels clip), greys (chroma, max - min of 0..255 RGB, up to
    `min_chroma`) and near-black excluded."""
    p = image.reshape(-1, 3)
    c = np.asarray(colour[:3], float)
    c = c / np.linalg.norm(c)
    norm = np.linalg.norm(p, axis=1)
    chroma = p.max(axis=1) - p.min(axis=1)
    ok = (norm > 60) & (chroma > min_chroma)
    cos = (p @ c) / np.maximum(norm, 1e-9)
    return float(np.mean(ok & (cos >= min_cos)))


def mapped_colour(value: float, lo: float, hi: float):
    import matplotlib
    return matplotlib.colormaps[viewer.COLORMAP]((value - lo) / (hi - lo))


def background_fraction(image: np.ndarray) -> float:
    return float(np.mean(np.all(image > 250, axis=-1)))


# --- fixtures ---------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def small(tmp_path_factory):
    return small_results(tmp_path_factory)


@pytest.fixture(scope="session")
def plate(tmp_path_factory):
    return plate_results(tmp_path_factory)


@pytest.fixture(scope="session")
def field_dir(small, tmp_path_factory):
    period = json.loads((small / "summary.json").read_text())["orbit"]["period_s"]
    # a field clock two orbits ahead of the time series (the run's absolute time)
    return with_field(small, tmp_path_factory.getbasetemp() / "viewer_field", 2.0 * period)


# --- colour range -----------------------------------------------------------------------------------

def test_range_is_the_drawn_parts_over_the_whole_orbit(small):
    results = viewer.load_results(small)
    drawn = [p for p in json.loads((small / "summary.json").read_text())["geometry"]["parts"]]
    values = np.concatenate([read_column(small, f"{p}_T_mean_K") for p in drawn]
                            + [read_column(small, "cold_plates_T_mean_K")])   # GPU footprints show the cold plates
    assert viewer.temperature_range_K(results) == pytest.approx((values.min(), values.max()), abs=1e-9)
    # every instant lies inside it, and the parts get their own time series
    t = read_column(small, "time_s")
    for k in (0, len(t) // 2, len(t) - 1):
        shown = viewer.temperatures_at_K(results, t[k] - t[0])
        assert np.nanmin(shown) >= values.min() - 1e-9 and np.nanmax(shown) <= values.max() + 1e-9
        radiator = results.cell_part == results.labels.index("radiator")
        assert radiator.any()
        assert np.allclose(shown[radiator], read_column(small, "radiator_T_mean_K")[k])
    # between samples: linear in time
    mid = 0.5 * (t[3] + t[4]) - t[0]
    radiator_T = read_column(small, "radiator_T_mean_K")
    assert viewer.temperatures_at_K(results, mid)[radiator][0] == pytest.approx(0.5 * (radiator_T[3] + radiator_T[4]))
    in_kelvin = viewer.colour_range(results)
    assert viewer.colour_range(results, "degC") == pytest.approx(tuple(v - 273.15 for v in in_kelvin))


def test_screenshot_headless_shows_the_coloured_spacecraft(small, tmp_path):
    png = tmp_path / "bus.png"
    assert view_main([str(small), "--screenshot", str(png), "--time", "1800", "--window", "900x600"]) == 0
    image = read_png(png)
    assert image.shape == (600, 900, 3)
    assert 0.3 < background_fraction(image) < 0.97
    results = viewer.load_results(small)
    lo, hi = viewer.colour_range(results)
    shown = viewer.temperatures_at_K(results, 1800.0)
    for part in ("radiator", "wing"):   # the two big panels, each in its colour of the colormap
        value = shown[results.cell_part == results.labels.index(part)][0]
        assert colour_fraction(image[:, :700], mapped_colour(value, lo, hi)) > 0.005, part


def test_scene_colour_bar_matches_the_range(small):
    results = viewer.load_results(small)
    for units in ("K", "degC"):
        scene = viewer.Scene(results, 600.0, units, window_size=(400, 300))
        try:
            assert scene.scalar_range == pytest.approx(viewer.colour_range(results, units))
            assert tuple(scene.actor.mapper.scalar_range) == pytest.approx(scene.scalar_range)
            assert f"temperature [{units}]" in scene.plotter.scalar_bars
            shown = scene.displayed_values()
            expected = viewer.to_units(viewer.temperatures_at_K(results, 600.0), units)
            assert np.allclose(shown, expected, equal_nan=True)
            text, _ = scene.junction_text()
            assert "GPU junction max" in text and "limit" in text
        finally:
            scene.close()


def test_sun_and_earth_arrows_follow_the_orbit(small):
    results = viewer.load_results(small)
    period = results.period_s
    noon, midnight = viewer.directions_body(results, 0.0), viewer.directions_body(results, 0.5 * period)
    # nadir attitude: the Earth is always -z; the sun is above at noon (beta 30 deg), below at midnight
    assert noon["earth"] == pytest.approx([0, 0, -1], abs=1e-9)
    assert noon["sun"][2] == pytest.approx(np.cos(np.radians(30)), abs=1e-6)
    assert midnight["sun"][2] == pytest.approx(-np.cos(np.radians(30)), abs=1e-6)
    assert not viewer.in_eclipse(results.summary, 0.0) and viewer.in_eclipse(results.summary, 0.5 * period)
    assert results.attitude == "nadir"


def test_animation_over_one_orbit(small, tmp_path):
    from PIL import Image
    gif = tmp_path / "bus.gif"
    assert view_main([str(small), "--animate", str(gif), "--window", "480x300"]) == 0
    with Image.open(gif) as im:
        assert im.n_frames == viewer.ANIMATION_FRAMES and im.size == (480, 300)
        frames = []
        for k in (0, im.n_frames // 2):
            im.seek(k)
            frames.append(np.asarray(im.convert("RGB")).astype(float))
    results = viewer.load_results(small)
    lo, hi = viewer.colour_range(results)
    times = viewer.animation_times_s(results)
    assert times[0] == 0 and times[-1] < results.span_s
    for frame, t in zip(frames, (times[0], times[len(times) // 2]), strict=True):
        value = viewer.temperatures_at_K(results, t)[results.cell_part == results.labels.index("wing")][0]
        assert colour_fraction(frame[:, :380], mapped_colour(value, lo, hi), min_cos=0.99) > 0.003
    assert np.abs(frames[0] - frames[1]).mean() > 0.5     # noon and midnight differ


def test_hover_names_the_part_and_the_slider_moves_time(small):
    import vtk
    results = viewer.load_results(small)
    scene = viewer.Scene(results, 0.0, "degC", window_size=(600, 400), interactive=True)
    try:
        scene.plotter.render()
        k = results.labels.index("radiator")
        cells = np.flatnonzero(results.cell_part == k)
        centre = results.mesh.cell_centers().points[cells[len(cells) // 2]]
        coordinate = vtk.vtkCoordinate()
        coordinate.SetCoordinateSystemToWorld()
        coordinate.SetValue(*centre)
        x, y = coordinate.GetComputedDisplayValue(scene.plotter.renderer)
        text = scene.pick(x, y)
        T = read_column(small, "radiator_T_mean_K")[0]
        assert text.startswith("radiator: ") and f"{T - 273.15:.1f} degC" in text
        assert scene.pick(2, 2) == ""                      # a corner: nothing under the mouse
        slider = scene.plotter.widgets.slider_widgets[0]
        slider.GetRepresentation().SetValue(30.0)          # minutes
        slider.InvokeEvent("InteractionEvent")
        assert scene.time_s == pytest.approx(1800.0)
        assert np.allclose(scene.displayed_values(),
                           viewer.to_units(viewer.temperatures_at_K(results, 1800.0), "degC"), equal_nan=True)
    finally:
        scene.close()


# --- the field path -----------------------------------------------------------------------------------

def test_field_is_used_with_its_own_range_and_clock(field_dir, tmp_path):
    results = viewer.load_results(field_dir)
    assert results.field is not None and results.field.name == "temperature_K" and results.field.location == "point"
    period = results.period_s
    assert results.field_offset_s == pytest.approx(2.0 * period)
    points = np.asarray(results.mesh.points)
    snapshots = results.field.times_s
    written = np.array([field_value_K(points, tau, period) for tau in snapshots])
    exact = 6e-5     # the file holds float32: 3e-5 K of resolution at 300 K
    assert viewer.temperature_range_K(results) == pytest.approx((written.min(), written.max()), abs=exact)
    t = snapshots - results.field_offset_s - results.start_s
    assert viewer.temperatures_at_K(results, t[2]) == pytest.approx(written[2], abs=exact)
    middle = 0.5 * (t[2] + t[3])
    assert viewer.temperatures_at_K(results, middle) == pytest.approx(0.5 * (written[2] + written[3]), abs=exact)
    # every field cell is mapped to a part for picking
    assert np.all(results.cell_part >= 0)
    png = tmp_path / "field.png"
    info = viewer.screenshot(results, png, t[2], "K", window_size=(800, 500))
    assert info["scalar_range"] == pytest.approx((written.min(), written.max()), abs=exact)
    image = read_png(png)
    assert image.shape == (500, 800, 3) and background_fraction(image) < 0.97
    lo, hi = info["scalar_range"]
    # the hottest and coldest ends of the gradient along x at this instant both show up
    now = written[2]
    for value in (np.percentile(now, 10), np.percentile(now, 90)):
        assert colour_fraction(image[:, :640], mapped_colour(value, lo, hi), min_cos=0.99) > 0.002


# --- steady state, errors, geometry preview -------------------------------------------------------------

def test_steady_plate(plate, tmp_path):
    results = viewer.load_results(plate)
    assert results.steady and results.attitude == "sun"
    lo, hi = viewer.temperature_range_K(results)
    # the FE field of a uniform plate differs from point to point by round-off only
    assert lo == pytest.approx(hi, abs=1e-6)
    assert lo == pytest.approx(json.loads((plate / "summary.json").read_text())
                               ["thermal"]["parts"]["plate"]["T_mean_K"], rel=1e-5)
    assert viewer.colour_range(results) == pytest.approx((lo - 0.5, hi + 0.5))
    png = tmp_path / "plate.png"
    assert view_main([str(plate), "--screenshot", str(png), "--window", "600x400"]) == 0
    image = read_png(png)
    assert colour_fraction(image[:, :480], mapped_colour(lo, lo - 0.5, hi + 0.5), min_cos=0.99) > 0.01
    assert viewer.directions_body(results, 0.0)["sun"] == pytest.approx([0, 0, 1])
    assert view_main([str(plate), "--animate", str(tmp_path / "plate.gif")]) == 2


def test_errors_exit_2_with_one_line(small, tmp_path, capsys):
    assert view_main([str(tmp_path / "nowhere"), "--screenshot", str(tmp_path / "x.png")]) == 2
    assert "no summary.json" in capsys.readouterr().err
    assert view_main([str(small), "--screenshot", str(tmp_path / "x.png"), "--time", "1e6"]) == 2
    assert "outside the reported orbit" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_geometry_preview_of_the_h100_bus(tmp_path, capsys):
    from thermal.core.library import COATINGS
    png = tmp_path / "parts.png"
    assert view_main(["--geometry", str(CASES / "h100_bus.yaml"), "--screenshot", str(png), "--mesh-size", "0.3",
                      "--window", "900x600"]) == 0
    out = capsys.readouterr().out
    for part, coating in (("radiator", "osr"), ("wing", "solar_cell")):
        line = next(line for line in out.splitlines() if line.split()[0] == part)
        c = COATINGS[coating]
        assert f"{coating} (a {c.absorptivity:.2f}, e {c.emissivity:.2f})" in line
    # the walls: the case's own coating (white paint)
    line = next(line for line in out.splitlines() if line.split()[0] == "wall_+z")
    assert "white_paint (a 0.12, e 0.90)" in line
    image = read_png(png)
    assert image.shape == (600, 900, 3) and 0.3 < background_fraction(image) < 0.97
    import pyvista as pv
    colours = pv.LookupTable("tab10")
    # the walls' coating (first legend entry), osr radiator (third), solar-cell wing (fourth)
    for k in (0, 2, 3):
        assert colour_fraction(image, colours.map_value(k / 9.0)[:3], min_cos=0.99) > 0.0005, k
