"""`python -m thermal.view RESULTS_DIR`: the spacecraft in 3D, coloured by temperature over the orbit.

    python -m thermal.view results/h100_bus                          # window with a time slider
    python -m thermal.view results/h100_bus --screenshot h100.png    # headless, the first instant
    python -m thermal.view results/h100_bus --time 1800 --units degC --screenshot h100_30min.png
    python -m thermal.view results/h100_bus --animate h100.gif       # 24 frames over one orbit
    python -m thermal.view --geometry cases/h100_bus.yaml            # parts and coatings, before solving
    python -m thermal.view results/h100_bus --view-factors-from radiator --screenshot vf.png   # what it sees
    python -m thermal.view results/h100_bus --shadow-at 20min --screenshot shadow.png        # shadows then
"""

import argparse
import os
import sys

from thermal.core.errors import CaseError, InfeasibleError
from thermal.core.tool import VERSION_LINE
from thermal.outputs.view_options import ANIMATION_FRAMES, ANIMATION_SIZE, SCREENSHOT_SIZE, UNITS, ViewError


def _has_display() -> bool:
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _window(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
        if w < 64 or h < 64:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT in pixels (at least 64), e.g. 1280x800, got {text!r}") from None
    return w, h


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m thermal.view", description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", help="results directory (from python -m thermal.solve)")
    parser.add_argument("--screenshot", metavar="FILE.png", help="render off screen into this PNG")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--time", type=float, metavar="T", help="seconds into the reported orbit (default 0)")
    when.add_argument("--animate", metavar="FILE.gif", help="animated GIF over one orbit (off screen)")
    when.add_argument("--view-factors-from", metavar="PART", help="colour the parts by the view factor from PART "
                      "(radiation exchange; F to space in the text); in a window, right-click a part to pick it")
    when.add_argument("--shadow-at", metavar="T", help="colour the parts by their shadow fraction at T into the "
                      "reported orbit, a time with its unit (1200s, 20min) or a share of the orbit (0.25, 25%%); "
                      "in a window, a time slider")
    parser.add_argument("--frames", type=int, default=ANIMATION_FRAMES, help="frames of --animate (default 24)")
    parser.add_argument("--units", choices=UNITS, default="K", help="temperature units of the colour bar")
    parser.add_argument("--window", type=_window, metavar="WxH", help="image size in pixels "
                        f"(default {SCREENSHOT_SIZE[0]}x{SCREENSHOT_SIZE[1]}; animations "
                        f"{ANIMATION_SIZE[0]}x{ANIMATION_SIZE[1]})")
    parser.add_argument("--geometry", metavar="CASE.yaml", help="preview a case's meshed parts and coatings "
                        "(no results needed)")
    parser.add_argument("--mesh-size", type=float, metavar="METRES", help="--geometry: element size "
                        "(default: as for spacecraft.vtu, solver.mesh_size or coarser)")
    parser.add_argument("--version", action="version", version=VERSION_LINE)
    parser.add_argument("--colour-by", default="coating", choices=("coating", "emissivity", "absorptivity"),
                        help="--geometry: colour by coating (legend) or by front emissivity / absorptivity")
    return parser


def _preview(args) -> int:
    """``--geometry``: a case's meshed parts and coatings, in a window or a PNG; the parts listed."""
    if args.results or args.animate or args.time is not None or args.view_factors_from or args.shadow_at:
        raise ViewError("--geometry takes a case file alone (and --screenshot)")
    if not args.screenshot and not _has_display():
        raise ViewError("no display here: add --screenshot FILE.png")
    from thermal.outputs.viewer import preview_geometry
    info = preview_geometry(args.geometry, args.screenshot, args.colour_by, args.window or SCREENSHOT_SIZE,
                            args.mesh_size)
    for part, label in info["parts"].items():
        print(f"  {part:<16}{label}")
    if args.screenshot:
        print(f"wrote {args.screenshot}")
    return 0


def _view_results(args) -> int:
    """A results directory: an animated GIF (and the first instant as a PNG), a PNG at one time, or a
    window with a time slider."""
    if not args.results:
        raise ViewError("give a results directory (or --geometry CASE.yaml)")
    from thermal.outputs.viewer import Scene, animate, check_time, load_results, screenshot
    results = load_results(args.results)
    if args.view_factors_from is not None or args.shadow_at is not None:
        return _view_exchange(args, results)
    if args.animate:
        if args.screenshot:
            screenshot(results, args.screenshot, 0.0, args.units, args.window or SCREENSHOT_SIZE)
            print(f"wrote {args.screenshot}: t = 0 s")
        info = animate(results, args.animate, args.frames, args.units, args.window or ANIMATION_SIZE)
        print(f"wrote {args.animate}: {info['frames']} frames, colour range "
              f"{info['scalar_range'][0]:.1f} to {info['scalar_range'][1]:.1f} {args.units}")
        return 0
    t = check_time(results, args.time if args.time is not None else 0.0)
    if args.screenshot:
        info = screenshot(results, args.screenshot, t, args.units, args.window or SCREENSHOT_SIZE)
        print(f"wrote {args.screenshot}: t = {info['time_s']:.0f} s, colour range "
              f"{info['scalar_range'][0]:.1f} to {info['scalar_range'][1]:.1f} {args.units}")
        return 0
    if not _has_display():
        raise ViewError("no display here: use --screenshot FILE.png or --animate FILE.gif")
    scene = Scene(results, t, args.units, off_screen=False, window_size=args.window or SCREENSHOT_SIZE,
                  interactive=True)
    scene.plotter.show(title=f"thermal.view {results.name}")
    return 0


def _view_exchange(args, results) -> int:
    """``--view-factors-from PART`` or ``--shadow-at T``: a PNG, or a window (right-click picks a part;
    a time slider moves the shadows)."""
    from thermal.outputs.exchange_view import (
        ShadowScene,
        ViewFactorScene,
        check_part,
        orbit_time_s,
        shadow_fractions_at,
        shadow_screenshot,
        view_factor_screenshot,
    )
    from thermal.outputs.viewer import SCREENSHOT_SIZE, check_time
    window = args.window or SCREENSHOT_SIZE
    if args.view_factors_from is not None:
        part = check_part(results, args.view_factors_from)
        if args.screenshot:
            info = view_factor_screenshot(results, args.screenshot, part, window)
            print(f"wrote {args.screenshot}: view factors from {part}, to space {info['view_factors']['space']:.4f}")
            return 0
        scene = _on_screen(lambda: ViewFactorScene(results, part, off_screen=False, window_size=window,
                                                   interactive=True))
    else:
        t = check_time(results, orbit_time_s(results, args.shadow_at))
        shadow_fractions_at(results, t)            # a results folder without shadows: say so before drawing
        if args.screenshot:
            info = shadow_screenshot(results, args.screenshot, t, window)
            print(f"wrote {args.screenshot}: shadow fractions at t = {info['time_s']:.0f} s")
            return 0
        scene = _on_screen(lambda: ShadowScene(results, t, off_screen=False, window_size=window, interactive=True))
    scene.plotter.show(title=f"thermal.view {results.name}")
    return 0


def _on_screen(make):
    from thermal.outputs.viewer import ViewError
    if not _has_display():
        raise ViewError("no display here: add --screenshot FILE.png")
    return make()


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.geometry:
            return _preview(args)
        return _view_results(args)
    except ViewError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except (CaseError, InfeasibleError) as err:
        print(f"{'error' if isinstance(err, CaseError) else 'infeasible'}: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
