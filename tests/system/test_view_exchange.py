"""`python -m thermal.view --view-factors-from PART` and `--shadow-at T`: the colours the viewer
gives each part against summary.json's view factors and timeseries.csv's shadow fractions, the
view factor of two opposed squares against Howell's closed form through the viewer, headless
screenshots, picking a part in a window, the time slider, and bad input (exit 2, one line)."""

import json

import numpy as np
import pytest
from test_view import colour_fraction, read_column, read_png, small_results

from thermal.outputs import exchange_view as xv
from thermal.outputs import viewer
from thermal.view import main as view_main

from builders import opposed_squares_F, stacked_plates_case


@pytest.fixture(scope="session")
def small(tmp_path_factory):
    return small_results(tmp_path_factory)


@pytest.fixture(scope="session")
def stack_results(tmp_path_factory):
    """The stacked squares (builders.stacked_plates_case) in deep space, steady, network model."""
    from thermal.solve import main
    folder = tmp_path_factory.mktemp("stack_view")
    out = folder / "results"
    assert main([str(stacked_plates_case(folder)), "--out", str(out), "--quiet"]) == 0
    return out


def cells_of(results, part) -> np.ndarray:
    return results.cell_part == results.labels.index(part)


# --- what the colours show ------------------------------------------------------------------------

@pytest.mark.parametrize("picked", ["radiator", "wing"])
def test_view_factor_colours_are_the_summarys(small, picked):
    results = viewer.load_results(small)
    vf = json.loads((small / "summary.json").read_text())["thermal"]["view_factors"]["parts"]
    shown = xv.view_factor_scalars(results, picked)
    assert shown.shape == (results.mesh.n_cells,)
    for part in results.labels:
        cells = cells_of(results, part)
        if part == picked or part not in vf:            # the picked part, the deck and the GPU footprints
            assert np.all(np.isnan(shown[cells])), part
        else:
            assert np.all(shown[cells] == vf[picked]["to"].get(part, 0.0)), part
    seen = [f for q, f in vf[picked]["to"].items() if q != picked]
    assert sum(seen) + vf[picked]["space"] == pytest.approx(1.0, abs=1e-9)    # closure, as the picture says
    scene = xv.ViewFactorScene(results, picked, window_size=(400, 300))
    try:
        assert np.array_equal(scene.displayed_values(), shown, equal_nan=True)
        assert scene.scalar_range == pytest.approx((0.0, max(seen)))
        assert tuple(scene.actor.mapper.scalar_range) == pytest.approx(scene.scalar_range)
        assert f"to space  {vf[picked]['space']:.4f}" in "\n".join(scene._status_lines())
    finally:
        scene.close()


def test_view_factor_of_opposed_squares_through_the_viewer(stack_results):
    """Howell C-11, two 1 m squares 0.5 m apart: F = 0.4153 between the facing sides; each part's
    two sides count by area, so part to part F / 2, within 3 Monte Carlo standard errors."""
    results = viewer.load_results(stack_results)
    shown = xv.view_factor_scalars(results, "lower")
    sigma = json.loads((stack_results / "summary.json").read_text())["thermal"]["view_factors"]["parts"][
        "lower"]["sigma"]["upper"]
    assert 0.0 < sigma < 0.003
    F = opposed_squares_F(1.0, 0.5) / 2.0
    assert np.unique(shown[cells_of(results, "upper")]) == pytest.approx([F], abs=3 * sigma)
    assert xv.view_factors_from(results, "lower")["space"] == pytest.approx(1.0 - F, abs=3 * sigma)


def test_shadow_colours_are_the_runs_recorded_values(small):
    results = viewer.load_results(small)
    t = read_column(small, "time_s") - results.start_s
    parts = [p for p in results.labels if f"shadow_fraction:{p}" in results.columns]
    assert {"radiator", "wing", "wall_+x"} <= set(parts)
    for k in (0, 20, len(t) // 2, len(t) - 1):
        at = xv.shadow_fractions_at(results, t[k])
        shown = xv.shadow_scalars(results, t[k])
        for part in parts:
            recorded = read_column(small, f"shadow_fraction:{part}")[k]
            assert at[part] == recorded or (np.isnan(at[part]) and np.isnan(recorded)), (part, k)
            assert np.array_equal(shown[cells_of(results, part)], np.full(cells_of(results, part).sum(), recorded),
                                  equal_nan=True)
    # between two samples: linear; a part that gets no direct sun at either side stays without one
    radiator = read_column(small, "shadow_fraction:radiator")
    k = int(np.flatnonzero(np.isfinite(radiator[:-1]) & np.isfinite(radiator[1:]) & (radiator[1:] != radiator[:-1]))[0])
    mid = 0.25 * t[k] + 0.75 * t[k + 1]
    expected = 0.25 * radiator[k] + 0.75 * radiator[k + 1]
    assert xv.shadow_fractions_at(results, mid)["radiator"] == pytest.approx(expected)
    # the radiator gets sun and is partly shaded at some time of this orbit (beta 30 deg: the wing)
    assert np.nanmax(radiator) > 0.05 and np.any(np.isnan(radiator))
    scene = xv.ShadowScene(results, t[20], window_size=(400, 300))
    try:
        assert scene.scalar_range == (0.0, 1.0)
        assert np.array_equal(scene.displayed_values(), xv.shadow_scalars(results, t[20]), equal_nan=True)
    finally:
        scene.close()


@pytest.mark.parametrize("text, seconds", [("1200s", 1200.0), ("20 min", 1200.0), ("0.5", None), ("25%", None)])
def test_shadow_time_from_a_time_or_a_share_of_the_orbit(small, text, seconds):
    results = viewer.load_results(small)
    share = {"0.5": 0.5, "25%": 0.25}.get(text)
    expected = seconds if seconds is not None else share * results.period_s
    assert xv.orbit_time_s(results, text) == pytest.approx(expected)


# --- pictures ------------------------------------------------------------------------------------

def test_view_factor_screenshots_of_two_parts_differ(small, tmp_path, capsys):
    images = {}
    for part in ("radiator", "wing"):
        png = tmp_path / f"{part}.png"
        assert view_main([str(small), "--view-factors-from", part, "--screenshot", str(png),
                          "--window", "800x500"]) == 0
        assert f"view factors from {part}" in capsys.readouterr().out
        images[part] = read_png(png)
        assert images[part].shape == (500, 800, 3)
        # the picked part in its own colour; the part it sees most in the top colour of the colour map
        assert colour_fraction(images[part][:, :680], np.array([0xe8, 0x26, 0x2a]) / 255.0, min_cos=0.995) > 0.003
        import matplotlib
        top = matplotlib.colormaps[xv.VIEW_FACTOR_COLORMAP](1.0)
        assert colour_fraction(images[part][:, :680], top, min_cos=0.995) > 0.003
    assert np.abs(images["radiator"] - images["wing"]).mean() > 1.0


def test_shadow_screenshot_draws_the_sun(small, tmp_path, capsys):
    png = tmp_path / "shadow.png"
    # at 28 min the wing shades 69 % of the radiator: the map's colour there, a blue grey (chroma 21
    # of 255: counted from 15; the wing's yellow, the body's grey and the white are not that hue)
    assert view_main([str(small), "--shadow-at", "28min", "--screenshot", str(png), "--window", "800x500"]) == 0
    assert "shadow fractions at t = 1680 s" in capsys.readouterr().out
    image = read_png(png)
    assert image.shape == (500, 800, 3)
    assert colour_fraction(image, viewer_colour(viewer.SUN_COLOUR), min_cos=0.999) > 0.0005
    # the radiator in the colour map's colour of its shadow fraction then
    import matplotlib
    results = viewer.load_results(small)
    value = xv.shadow_fractions_at(results, 1680.0)["radiator"]
    assert 0.6 < value < 0.8
    assert colour_fraction(image[:, :680], matplotlib.colormaps[xv.SHADOW_COLORMAP](value), min_cos=0.995,
                           min_chroma=15.0) > 0.003


def viewer_colour(hex_colour: str):
    return np.array([int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)]) / 255.0


# --- a window: picking and the slider ----------------------------------------------------------------

def display_position(scene, results, part):
    import vtk
    scene.plotter.render()
    cells = np.flatnonzero(cells_of(results, part))
    centre = results.mesh.cell_centers().points[cells[len(cells) // 2]]
    coordinate = vtk.vtkCoordinate()
    coordinate.SetCoordinateSystemToWorld()
    coordinate.SetValue(*centre)
    return coordinate.GetComputedDisplayValue(scene.plotter.renderer)


def test_picking_a_part_shows_its_view_factors(small):
    results = viewer.load_results(small)
    scene = xv.ViewFactorScene(results, "radiator", window_size=(600, 400), interactive=True)
    try:
        x, y = display_position(scene, results, "wing")
        assert scene.pick(x, y).startswith("wing: F from radiator = ")
        assert scene.select(x, y) == "wing"
        assert scene.part == "wing"
        assert np.array_equal(scene.displayed_values(), xv.view_factor_scalars(results, "wing"), equal_nan=True)
        assert "view factors from wing" in scene._status_lines()[0]
        assert scene.select(2, 2) == "" and scene.part == "wing"       # nothing under the mouse: no change
    finally:
        scene.close()


def test_the_slider_moves_the_shadows(small):
    results = viewer.load_results(small)
    scene = xv.ShadowScene(results, 0.0, window_size=(600, 400), interactive=True)
    try:
        slider = scene.plotter.widgets.slider_widgets[0]
        slider.GetRepresentation().SetValue(20.0)          # minutes
        slider.InvokeEvent("InteractionEvent")
        assert scene.time_s == pytest.approx(1200.0)
        assert np.array_equal(scene.displayed_values(), xv.shadow_scalars(results, 1200.0), equal_nan=True)
    finally:
        scene.close()


# --- bad input ---------------------------------------------------------------------------------------

def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_bad_input_exits_2_with_one_line(small, tmp_path, capsys, tmp_path_factory):
    png = tmp_path / "x.png"
    assert view_main([str(small), "--view-factors-from", "nosuchpart", "--screenshot", str(png)]) == 2
    line = one_error_line(capsys)
    assert "nosuchpart" in line and "radiator" in line and "wing" in line and "wall_+x" in line
    assert view_main([str(small), "--view-factors-from", "deck", "--screenshot", str(png)]) == 2
    assert "no radiating side" in one_error_line(capsys)
    for bad in ("soon", "3h", "1.5"):
        assert view_main([str(small), "--shadow-at", bad, "--screenshot", str(png)]) == 2
        assert "--shadow-at" in one_error_line(capsys)
    from test_view import plate_results  # one part: no exchange, no view factors or shadows
    plate = plate_results(tmp_path_factory)
    assert view_main([str(plate), "--view-factors-from", "plate", "--screenshot", str(png)]) == 2
    assert "radiation_exchange" in one_error_line(capsys)
    assert view_main([str(plate), "--shadow-at", "0", "--screenshot", str(png)]) == 2
    assert "radiation_exchange" in one_error_line(capsys)
    assert not png.exists()


# --- both models --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def stacks_in_orbit(tmp_path_factory):
    """The stacked squares over one orbit (550 km, beta 30 deg) with each thermal model."""
    from thermal.solve import main
    out = {}
    for model in ("network", "fe"):
        folder = tmp_path_factory.mktemp(f"stack_orbit_{model}")
        out[model] = folder / "results"
        case = stacked_plates_case(folder, orbit="{altitude: 550 km, beta: 30 deg}", model=model)
        assert main([str(case), "--out", str(out[model]), "--quiet"]) == 0
    return out


def test_finite_element_results_carry_the_same_shadows_and_view_factors(stacks_in_orbit):
    """The shadows and view factors come from the exposure both models share: a finite-element run's
    results carry the network run's values, and the viewer draws them on the field's mesh."""
    from geometry.layout import part_list
    from thermal.case import load_case
    from thermal.exposure import compute_exposure
    from thermal.orbit import case_orbit
    network, fe = (viewer.load_results(stacks_in_orbit[m]) for m in ("network", "fe"))
    assert fe.field is not None and fe.model == "fe" and network.model == "network"
    for results in (network, fe):       # each run's columns: the exposure's shadow fractions at its own times
        case = load_case(results.summary["case_path"])
        exposure = compute_exposure(part_list(case.spacecraft), case.spacecraft, case_orbit(case.orbit),
                                    case.environment, case.attitude, True, case.solver.view_factors)
        expected = exposure.shadow_fractions(results.time_s)
        for part in ("lower", "upper"):
            recorded = results.columns[f"shadow_fraction:{part}"]
            both = np.isfinite(recorded) & np.isfinite(expected[part])
            # the CSV keeps 6 digits of the value and of the time (which can move a sample at an eclipse
            # edge from the last light into the shadow: at most the two edges)
            assert np.allclose(recorded[both], expected[part][both], rtol=0, atol=1e-5), (results.model, part)
            assert np.sum(np.isfinite(recorded) != np.isfinite(expected[part])) <= 2
        assert np.nanmax(results.columns["shadow_fraction:lower"]) > 0.5
    t = fe.time_s - fe.start_s
    summaries = [json.loads((stacks_in_orbit[m] / "summary.json").read_text())["thermal"] for m in ("network", "fe")]
    assert summaries[0]["view_factors"]["parts"] == summaries[1]["view_factors"]["parts"]
    # on the field's mesh: every cell of a part shows that part's value
    t = float(t[10])
    shown = xv.shadow_scalars(fe, t)
    assert shown.shape == (fe.mesh.n_cells,)
    assert np.array_equal(shown[cells_of(fe, "lower")],
                          np.full(cells_of(fe, "lower").sum(), xv.shadow_fractions_at(fe, t)["lower"]), equal_nan=True)
    F = summaries[1]["view_factors"]["parts"]["upper"]["to"]["lower"]
    assert np.all(xv.view_factor_scalars(fe, "upper")[cells_of(fe, "lower")] == F)


def test_the_shadow_scene_turns_the_wing_to_the_sun(small):
    """The sun-tracking wing is drawn at its angle at the time, as the shadows were traced: its
    triangles' normal is the tracking normal (the sun projected normal to the wing's axis)."""
    from thermal.case import load_case
    from thermal.exchange import tracking_normal
    results = viewer.load_results(small)
    axis = load_case(results.summary["case_path"]).spacecraft.solar_arrays[0].axis
    wing = np.flatnonzero(cells_of(results, "wing"))
    scene = xv.ShadowScene(results, 0.0, window_size=(400, 300), interactive=True)
    try:
        assert scene.wings is not None
        drawn = {}
        for t in (600.0, 1200.0):
            scene.set_time(t)
            triangles = results.mesh.cells_dict[xv.VTK_TRIANGLE][wing]
            p = np.asarray(scene.mesh.points)[triangles]
            normals = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])
            normals /= np.linalg.norm(normals, axis=1, keepdims=True)
            expected = tracking_normal(viewer.directions_body(results, t)["sun"][None, :], axis)[0]
            assert np.abs(normals @ expected) == pytest.approx(np.ones(len(wing)), abs=1e-9)
            drawn[t] = p
            # the other parts stay where they are
            others = np.unique(results.mesh.cells_dict[xv.VTK_TRIANGLE][cells_of(results, "radiator")])
            assert np.array_equal(np.asarray(scene.mesh.points)[others], np.asarray(results.mesh.points)[others])
        assert np.abs(drawn[600.0] - drawn[1200.0]).max() > 0.1
    finally:
        scene.close()
