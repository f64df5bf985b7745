"""What ``python -m thermal.view`` needs before it reads anything: the options' choices and
defaults and its error, without the viewer's imports (the case reader, the orbit, NumPy, PyVista),
so that ``--help`` and a bad option answer at once (benchmarks/startup.py)."""

UNITS = ("K", "degC")                 # temperature units of the colour bar
ANIMATION_FRAMES = 24
SCREENSHOT_SIZE = (1280, 800)         # pixels, width x height
ANIMATION_SIZE = (800, 500)


class ViewError(Exception):
    """A results directory or option the viewer cannot use; the message says what to do."""
    exit_code = 2
