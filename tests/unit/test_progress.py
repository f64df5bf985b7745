"""The command's progress tells the truth: a stage line for every stage (also into a pipe), a bar
with its known total on a terminal only, and the orbit lines of a periodic run state the
orbit-to-orbit change against the tolerance that ends it (not a percentage of max_orbits)."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from thermal.models.fe.model import FESettings, _orbit_line, run_orbits
from thermal.solve import Progress


def _stage_lines(err: str) -> list[str]:
    return [line.split("] ", 1)[1] for line in err.splitlines() if line.startswith("[")]


def test_into_a_pipe_only_stage_lines(capsys):
    progress = Progress(quiet=False, tty=False)
    progress("fe: meshing at 10 cm")
    for k in range(1, 288):
        progress("fe: orbit 1", k, 287)
    progress("writing results into results/x")
    progress.close()
    err = capsys.readouterr().err
    assert _stage_lines(err) == ["fe: meshing at 10 cm", "writing results into results/x"]
    assert err.count("\n") == 2                      # no bar, no carriage returns
    assert "\r" not in err


def test_on_a_terminal_a_bar_per_stage_with_its_total(capsys):
    progress = Progress(quiet=False, tty=True)
    progress("fe: orbit 1: until the orbit-to-orbit change is within the tolerance 0.2 K")
    for k in range(1, 11):
        progress("fe: orbit 1", k, 10)
    bar = progress.bar
    assert (bar.n, bar.total, bar.desc) == (10, 10, "fe: orbit 1")
    for k in range(1, 4):                           # the next orbit: a new bar from zero
        progress("fe: orbit 2", k, 10)
    assert progress.bar is not bar and (progress.bar.n, progress.bar.total) == (3, 10)
    progress("writing results into results/x")      # a stage line closes the bar
    assert progress.bar is None
    err = capsys.readouterr().err
    assert "\rfe: orbit 1:" in err and "\rfe: orbit 2:" in err and "/10 [" in err   # the bars were drawn
    assert _stage_lines(err.replace("\r", "\n"))[-1] == "writing results into results/x"


def test_quiet_prints_nothing_but_still_checks_for_signals(capsys):
    checked = []
    progress = Progress(quiet=True, check=lambda: checked.append(1), tty=True)
    progress("fe: meshing")
    progress("fe: orbit 1", 1, 5)
    progress.close()
    assert capsys.readouterr().err == "" and len(checked) == 2


def test_same_kind_lines_are_thinned_into_a_log_but_a_new_kind_is_printed_at_once(capsys):
    """A series of lines of one kind shows its first and, as the next stage starts, its last (not a
    line in between that reads as where it stopped); a new kind is printed at once."""
    progress = Progress(quiet=False, tty=False)
    for k in range(1, 6):
        progress(f"network: orbit {k}, orbit-to-orbit change {10.0 / k:.3g} K against the tolerance 0.2 K")
    progress("writing results into results/x")
    progress("fe: meshing at 10 cm")
    progress("fe: orbit 1 of 3")                    # other words: printed at once
    progress("fe: orbit 2 of 3")
    progress.close()                                # the run's end shows the series' last line
    lines = _stage_lines(capsys.readouterr().err)
    assert lines == ["network: orbit 1, orbit-to-orbit change 10 K against the tolerance 0.2 K",
                     "network: orbit 5, orbit-to-orbit change 2 K against the tolerance 0.2 K",
                     "writing results into results/x", "fe: meshing at 10 cm", "fe: orbit 1 of 3", "fe: orbit 2 of 3"]


def test_a_held_line_never_follows_a_later_one(capsys, monkeypatch):
    """Lines of one kind: the first, the next after the rate limit's 5 s (which says more than the one
    held before it), then the next stage: in the order and with the times they were made."""
    import thermal.solve as solve
    clock = iter([0.0, 0.0, 1.0, 6.0, 7.0])
    monkeypatch.setattr(solve.time, "perf_counter", lambda: next(clock))
    progress = Progress(quiet=False, tty=False)                 # starts at 0.0
    for k in (1, 2, 3):                                         # at 0.0, 1.0 (held), 6.0
        progress(f"network: orbit {k}")
    progress("writing results")                                 # at 7.0
    err = capsys.readouterr().err.splitlines()
    assert err == ["[   0.0 s] network: orbit 1", "[   6.0 s] network: orbit 3", "[   7.0 s] writing results"]


def test_a_periodic_fe_run_ends_on_the_change_that_ended_it():
    """The orbit loop's last line is the change that met the tolerance, not the one before it."""
    settings = FESettings(time_step_s=100.0, period_s=300.0, periodic_tolerance_K=0.2, min_orbits=2, max_orbits=10)
    # every sample of an orbit at one level (an orbit's first is the last one's end): changes of
    # 10 K, 10 K, then 0.1 K
    per_orbit = iter([300.0, 290.0, 289.9, 289.9])
    level = [300.0]

    def sample(t):
        T = np.array([level[0]])
        return SimpleNamespace(record=SimpleNamespace(time_s=t), T_min=T, T_mean=T, T_max=T)

    def on_orbit(start_s):
        level[0] = next(per_orbit)

    lines = []

    def report(text, done=None, total=None):
        if done is None:
            lines.append(text)

    _, info = run_orbits(settings, sample(0.0), lambda t, restart: sample(t), report, on_orbit)
    assert info["orbits"] == 4 and info["orbit_to_orbit_change_K"] == pytest.approx(0.1)
    assert lines[-2] == "orbit 4: orbit-to-orbit change 10 K against the tolerance 0.2 K, at least 2 and at most " \
                        "10 orbits"
    assert lines[-1] == "periodic after orbit 4: orbit-to-orbit change 0.1 K within the tolerance 0.2 K"


def test_an_orbit_line_states_the_change_against_the_tolerance():
    periodic = FESettings(time_step_s=20.0, period_s=5739.0, periodic_tolerance_K=0.2, min_orbits=2, max_orbits=40)
    assert _orbit_line(periodic, 1, math.nan) == ("orbit 1: until the orbit-to-orbit change is within the "
                                                  "tolerance 0.2 K, at least 2 and at most 40 orbits")
    assert _orbit_line(periodic, 4, 0.734) == ("orbit 4: orbit-to-orbit change 0.734 K against the tolerance "
                                               "0.2 K, at least 2 and at most 40 orbits")
    fixed = FESettings(time_step_s=20.0, period_s=5739.0, orbits=3)
    assert _orbit_line(fixed, 2, 1.0) == "orbit 2 of 3"
