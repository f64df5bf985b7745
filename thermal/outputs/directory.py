"""The results folder: checked before any work, staged beside the target, swapped in when complete.

Rules (a user's files are never at risk):

- The tool deletes or replaces only a folder it wrote itself: one whose ``summary.json`` names
  this tool (``tool.name``; results written before that key existed are recognised by their
  ``run.version`` and ``run.case_sha256``) and whose every entry is a file the results writer
  makes (:data:`RESULT_ENTRIES`). Any other existing folder that is not empty, an existing file, a
  path under a file, ``/``, the home folder, the working folder or any folder that holds it is
  refused before the solve (:class:`OutputPathError`, exit code 2).
- The parent must be writable and hold the expected size of the results
  (:func:`check_output_dir`), else the run is refused before the solve.
- Everything, the finite-element fields included, is written into a hidden staging folder
  ``.<name>.partial-<random>`` beside the target (the same filesystem, so the final rename
  cannot fail with ``EXDEV``). Only when it is complete does it replace the target: atomically
  with ``renameat2(RENAME_EXCHANGE)`` where the filesystem has it (Linux 3.15+), else by two
  renames with the earlier results kept until the new ones are in place.
- On any failure or interrupt the staging folder is removed and an earlier result is left as it
  was. A staging folder left by SIGKILL (which nothing can catch) carries an ``.owner`` file with
  its process id and host; the next run into the same place removes it once that process is gone.
"""

from __future__ import annotations

import ctypes
import datetime
import errno
import json
import os
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from thermal.core.errors import CaseError
from thermal.core.tool import TOOL_NAME

#: Every top-level entry a results folder may hold: a folder holding anything else is not replaced.
RESULT_ENTRIES = frozenset({
    "summary.json", "timeseries.csv", "report.html", "spacecraft.vtu", "fields",
    "temperatures.png", "power.png", "energy.png", "sizing.png", "snapshot.png",
    # a case's study (thermal.outputs.study)
    "study.csv", "pareto.csv", "study.json", "study_tornado.png", "study_cost.png", "study_orbit_cheaper.png",
})
OWNER_FILE = ".owner"
#: A staging folder without an owner file (killed between its creation and the owner's) is stale
#: after this long [s].
UNOWNED_STALE_S = 3600.0

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputPathError(CaseError):
    """``--out`` (or ``output.dir``) names a place the tool may not write to (exit code 2)."""

    def __init__(self, path: Path, reason: str, hint: str = ""):
        self.path = path
        Exception.__init__(self, f"{path}: {reason}" + (f"; {hint}" if hint else ""))
        self.key, self.expected, self.given, self.hint = "--out", reason, str(path), hint


def describe_existing(target: Path) -> str:
    """What the user should know about the target after a failed run: untouched, or nothing there."""
    summary = target / "summary.json"
    if summary.is_file():
        when = datetime.datetime.fromtimestamp(summary.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        return f"{target}/ still holds the results of an earlier run ({when}), left as they were"
    return f"nothing was written to {target}/"


def is_results_dir(path: Path) -> bool:
    """Whether `path` is a results folder this tool wrote (see the module docstring)."""
    try:
        summary = json.loads((path / "summary.json").read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(summary, dict):
        return False
    tool = summary.get("tool")
    run = summary.get("run")
    if isinstance(tool, dict):
        ours = tool.get("name") == TOOL_NAME
    else:   # written before the tool key existed (version 0.1.0)
        ours = isinstance(run, dict) and "case_sha256" in run and "version" in run
    return ours and not foreign_entries(path)


def foreign_entries(path: Path) -> list[str]:
    """Entries of a folder that the results writer does not make."""
    return sorted(name for name in os.listdir(path) if name not in RESULT_ENTRIES)


def _protected(path: Path) -> str | None:
    """Why `path` must never be replaced, or None."""
    cwd = Path.cwd().resolve()
    home = Path.home().resolve()
    if path == Path(path.anchor):
        return "the root of the filesystem"
    if path == home:
        return "the home folder"
    if path == cwd or path in cwd.parents:
        return "the working folder" if path == cwd else "a folder that holds the working folder"
    return None


def expected_results_bytes(field_values: int) -> int:
    """A generous estimate of the results' size: plots, report, drawing and table (about 3 MB) plus
    the finite-element fields, ``field_values`` nodal values written (each snapshot's VTU repeats the
    compressed mesh: 19 bytes per nodal value on the main case, :mod:`thermal.outputs.fields`;
    counted as 40)."""
    return 3 * 2 ** 20 + 40 * max(field_values, 0)


def check_output_dir(target: Path | str, expected_bytes: int) -> Path:
    """Check a results folder before any work; returns its absolute path.

    Raises
    ------
    OutputPathError
        The path is protected, a file, under a file, a folder the tool did not write, not
        writable, or on a filesystem without room for ``expected_bytes``.
    """
    given = Path(target).expanduser()
    path = Path(os.path.abspath(given))
    if path.is_symlink() or any(p.is_symlink() for p in path.parents):
        path = path.resolve()
    why = _protected(path)
    if why:
        raise OutputPathError(given, f"is {why}, which the tool never replaces",
                              "name a new folder for the results, e.g. --out results/mycase")
    for parent in [path, *path.parents]:
        if parent.exists() and not parent.is_dir():
            what = "is a file" if parent == path else f"lies under {parent}, which is a file"
            raise OutputPathError(given, f"{what}, not a folder", "name a folder for the results")
        if parent.exists():
            break
    if path.is_dir():
        entries = os.listdir(path)
        if entries and not is_results_dir(path):
            foreign = foreign_entries(path)
            listed = ", ".join(foreign[:3]) + (" ..." if len(foreign) > 3 else "")
            raise OutputPathError(given, "is a folder this tool did not write"
                                  + (f" (it holds {listed})" if foreign else ""),
                                  "its files are left alone: choose another --out, or move them away")
    existing = next(p for p in [path.parent, *path.parent.parents] if p.exists())
    if not os.access(existing, os.W_OK | os.X_OK) or _read_only_mount(existing):
        raise OutputPathError(given, f"cannot be created: {existing} is not writable", "choose another --out")
    free = shutil.disk_usage(existing).free
    if free < expected_bytes:
        raise OutputPathError(given, f"the filesystem of {existing} has {free / 2 ** 20:.1f} MiB free, the results "
                              f"need about {expected_bytes / 2 ** 20:.1f} MiB",
                              "free some space, choose another --out, or set output.fields: false")
    return path


def _read_only_mount(path: Path) -> bool:
    """os.access says yes to root even on a read-only filesystem: ask the filesystem itself."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(folder: Path) -> bool:
    """A staging folder whose process is gone (on this host), or an unowned one older than an hour."""
    try:
        owner = json.loads((folder / OWNER_FILE).read_text())
    except (OSError, ValueError):
        try:
            return time.time() - folder.stat().st_mtime > UNOWNED_STALE_S
        except OSError:
            return False
    if owner.get("host") != socket.gethostname():
        return False   # another machine's run on a shared filesystem: cannot tell, leave it
    return not _alive(int(owner.get("pid", -1)))


def remove_stale_stages(target: Path) -> list[Path]:
    """Remove the staging folders that runs into `target` left behind when they were killed; an
    earlier result moved aside (``.<name>.old-*``) by a run killed mid-swap is put back if the
    target is missing, else removed. Returns what was removed."""
    removed = []
    if not target.parent.is_dir():
        return removed
    for folder in sorted(target.parent.glob(f".{target.name}.partial-*")):
        if folder.is_dir() and _stale(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    for folder in sorted(target.parent.glob(f".{target.name}.old-*")):
        if not folder.is_dir() or not _stale(folder):
            continue
        if not target.exists() and is_results_dir(folder / "results"):
            os.rename(folder / "results", target)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _owned_folder(target: Path, kind: str) -> Path:
    """A new hidden folder ``.<name>.<kind>-<random>`` beside `target` with an owner file."""
    path = Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-", dir=target.parent))
    (path / OWNER_FILE).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                               "started": time.time()}))
    return path


@dataclass
class Staging:
    """A hidden staging folder beside `target`; :meth:`commit` swaps it in, :meth:`discard` removes it."""

    target: Path
    path: Path

    @classmethod
    def create(cls, target: Path) -> Staging:
        remove_stale_stages(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        path = _owned_folder(target, "partial")
        path.chmod(0o755)   # mkdtemp makes it private; results are for everyone who can read the parent
        return cls(target, path)

    def commit(self) -> None:
        """Put the complete staging folder in place of the target (an earlier result of this tool)."""
        (self.path / OWNER_FILE).unlink(missing_ok=True)
        if self.target.exists() and os.listdir(self.target) and not is_results_dir(self.target):
            # something appeared there during the run: never replace it
            raise OutputPathError(self.target, "was filled during the run with files this tool did not write",
                                  "they are left alone and the new results were not written")
        if not self.target.exists():
            os.rename(self.path, self.target)
        elif _exchange(self.path, self.target):
            shutil.rmtree(self.path)          # the earlier results, now at the staging name
        else:
            aside = _owned_folder(self.target, "old")
            os.rename(self.target, aside / "results")
            try:
                os.rename(self.path, self.target)
            except OSError:
                os.rename(aside / "results", self.target)
                shutil.rmtree(aside, ignore_errors=True)
                raise
            shutil.rmtree(aside, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
