"""A user's files are never lost: the results folder, temporary fields, interrupts and MPI.

Each scenario is run for real: real folders and files, real signals sent to a child process at a
named stage, a second filesystem (a tmpfs mounted by the test when it runs as root; skipped with
the reason otherwise), and ``mpiexec -n 2`` with a timeout.
"""

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

import thermal.solve
from thermal.outputs.directory import OWNER_FILE

from builders import CASES, one_line, solve, staged

MPIEXEC = Path(sys.executable).parent / "mpiexec"


def write_case(tmp_path, data, name="case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def quick_main_case(tmp_path) -> Path:
    """The main case with finite elements on a 20 cm mesh: every stage (network coupling, finite
    elements, fields written at the end) in a few seconds."""
    data = yaml.safe_load((CASES / "h100_bus.yaml").read_text())
    data["solver"]["mesh_size"] = "20 cm"
    return write_case(tmp_path, data, "h100_bus_20cm.yaml")


def never_periodic(tmp_path) -> Path:
    """A radiator asked to settle to 10 uK in one orbit: the run fails before it completes (exit 3)."""
    data = yaml.safe_load((CASES / "radiator_zenith_400km.yaml").read_text())
    data["solver"] = {"model": "network", "time_step": "20 s", "orbits": 1, "max_orbits": 1,
                      "periodic_tolerance": "1e-5 K"}
    return write_case(tmp_path, data, "never_periodic.yaml")


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    """A tmpfs mounted at `path` for the test (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a second filesystem needs root")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


# --- the output folder -------------------------------------------------------------------------

def test_a_users_folder_is_refused_and_left_alone(tmp_path):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("my thesis")
    code, err = solve(CASES / "plate_sun.yaml", thesis)
    assert code == 2
    line = one_line(err)
    assert "thesis" in line and "did not write" in line and "chapter1.tex" in line
    assert sorted(os.listdir(thesis)) == ["chapter1.tex"]
    assert (thesis / "chapter1.tex").read_text() == "my thesis"
    assert staged(tmp_path) == []


@pytest.mark.parametrize("where, words", [
    (".", "working folder"), ("..", "holds the working folder"), ("~", "home folder"), ("/", "root"),
    ("notes.txt", "is a file"), ("notes.txt/res", "which is a file")])
def test_protected_places_are_refused_before_any_work(tmp_path, monkeypatch, where, words):
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("keep me")
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "todo.txt").write_text("keep me too")
    def not_solved(*args, **kwargs):
        raise AssertionError("the case was solved before the results folder was refused")

    monkeypatch.setattr(thermal.solve, "solve", not_solved)
    code, err = solve(CASES / "plate_sun.yaml", where)
    assert code == 2
    assert words in one_line(err)
    assert sorted(os.listdir(work)) == ["notes.txt"] and (work / "notes.txt").read_text() == "keep me"
    assert (tmp_path / "home" / "todo.txt").read_text() == "keep me too"


def test_own_results_are_replaced_whole_and_a_foreign_file_stops_it(earlier, tmp_path):
    out, before = earlier
    code, err = solve(CASES / "plate_sun.yaml", out)
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["tool"]["name"] == thermal.TOOL_NAME and summary["tool"]["version"] == thermal.__version__
    assert staged(tmp_path) == []
    (out / "notes.txt").write_text("my remarks on this run")
    code, err = solve(CASES / "plate_sun.yaml", out)
    assert code == 2 and "notes.txt" in one_line(err)
    assert (out / "notes.txt").read_text() == "my remarks on this run"
    assert (out / "summary.json").exists()


def test_a_failed_run_leaves_the_earlier_results_and_says_so(earlier, tmp_path):
    out, before = earlier
    code, err = solve(never_periodic(tmp_path), out)
    assert code == 3
    line = one_line(err)
    assert "no periodic steady state" in line and "still holds the results of an earlier run" in line
    assert (out / "summary.json").read_bytes() == before
    assert staged(tmp_path) == []


def test_a_failed_run_into_a_new_folder_leaves_nothing(tmp_path):
    out = tmp_path / "new" / "res"
    code, err = solve(never_periodic(tmp_path), out)
    assert code == 3 and "nothing was written" in one_line(err)
    assert not out.exists() and staged(out.parent) == []


def test_a_read_only_parent_is_refused_before_the_solve(tmp_path):
    with tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        code, err = solve(CASES / "plate_sun.yaml", ro / "res")
    assert code == 2 and "not writable" in one_line(err)


def test_a_full_disk_is_refused_before_the_solve(tmp_path):
    with tmpfs(tmp_path / "small", "size=1m") as small:
        code, err = solve(CASES / "h100_bus.yaml", small / "res")
        assert code == 2 and "MiB free" in one_line(err)
        assert os.listdir(small) == []


def test_running_out_of_disk_while_writing_is_one_line_and_exit_3(tmp_path, monkeypatch):
    monkeypatch.setattr(thermal.solve, "expected_results_bytes", lambda values: 0)   # pass the check
    with tmpfs(tmp_path / "small", "size=64k") as small:
        code, err = solve(CASES / "plate_sun.yaml", small / "res")
        line = one_line(err)
        assert code == 3
        assert "No space left on device" in line and str(small / "res") in line and ".partial" not in line
        assert os.listdir(small) == []


def test_fields_are_staged_beside_a_target_on_another_filesystem(tmp_path):
    temporary = tmp_path / "tmpdir"
    temporary.mkdir()
    with tmpfs(tmp_path / "other", "size=64m") as other:
        env = {**os.environ, "TMPDIR": str(temporary)}
        done = subprocess.run([sys.executable, "-m", "thermal.solve", str(CASES / "plate_cooling_dark.yaml"),
                               "--out", str(other / "res"), "--quiet"], capture_output=True, text=True,
                              env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        assert (other / "res" / "fields" / "temperature.pvd").is_file()
        assert (other / "res" / "fields" / "temperature_0000.vtu").is_file()
        assert staged(other) == []
    assert os.listdir(temporary) == []


# --- signals -----------------------------------------------------------------------------------

class Child:
    """`python -m thermal.solve` in a child process whose progress lines are read as they come."""

    def __init__(self, args, cwd, env=None):
        self.proc = subprocess.Popen([sys.executable, "-m", "thermal.solve", *map(str, args)], cwd=cwd,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     env=env, start_new_session=True)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, words: str, timeout: float = 240.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=1.0)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"the run ended before '{words}': {self.seen[-5:]}")
            self.seen.append(line)
            if words in line:
                return
        raise AssertionError(f"no '{words}' within {timeout} s: {self.seen[-5:]}")

    def finish(self, timeout: float = 120.0) -> tuple[int, list[str]]:
        code = self.proc.wait(timeout=timeout)
        while (line := self.lines.get(timeout=10.0)) is not None:
            self.seen.append(line)
        return code, self.seen


# the stage, by the progress line that starts it: the network coupling, the finite elements, writing
STAGES = {"network": "thermal-power coupling (network)", "fe": "fe: meshing", "writing": "writing results"}


@pytest.mark.parametrize("signum, stage", [(signal.SIGINT, "network"), (signal.SIGTERM, "fe"),
                                           (signal.SIGINT, "writing"), (signal.SIGTERM, "writing")],
                         ids=["SIGINT-network", "SIGTERM-fe", "SIGINT-writing", "SIGTERM-writing"])
def test_a_signal_at_any_stage_is_one_line_and_leaves_nothing(earlier, tmp_path, signum, stage):
    out, before = earlier
    temporary = tmp_path / "tmpdir"
    temporary.mkdir()
    child = Child([quick_main_case(tmp_path), "--out", out], tmp_path,
                  {**os.environ, "TMPDIR": str(temporary)})
    child.wait_for(STAGES[stage])
    child.proc.send_signal(signal.SIGSTOP)      # hold it inside the stage while we look
    assert len(staged(tmp_path)) == 1           # its staging folder, beside the results
    child.proc.send_signal(signum)
    child.proc.send_signal(signal.SIGCONT)
    code, lines = child.finish()
    assert code == 128 + signum
    assert lines[-1].startswith(f"interrupted by {signal.Signals(signum).name}")
    assert "still holds the results of an earlier run" in lines[-1]
    assert not any("Traceback" in line for line in lines)
    assert staged(tmp_path) == [] and os.listdir(temporary) == []
    assert (out / "summary.json").read_bytes() == before


def test_a_kill_while_writing_leaves_a_staging_folder_that_the_next_run_removes(earlier, tmp_path):
    out, before = earlier
    child = Child([quick_main_case(tmp_path), "--out", out], tmp_path)
    child.wait_for(STAGES["writing"])
    child.proc.send_signal(signal.SIGKILL)
    child.proc.wait(timeout=60)
    left = staged(tmp_path)
    assert len(left) == 1 and (tmp_path / left[0] / OWNER_FILE).is_file()
    assert (out / "summary.json").read_bytes() == before      # never looks like this run's results
    code, err = solve(CASES / "plate_sun.yaml", out)
    assert code == 0, err
    assert staged(tmp_path) == []
