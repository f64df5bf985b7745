"""The user's cache folder for what is expensive to compute and the same from run to run."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections import OrderedDict
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path


def cache_dir() -> Path | None:
    """Where what is worth keeping between runs is kept (the view factors, :mod:`geometry.rays`; the
    unit facts, :mod:`thermal.case.units`; the coolant tables, :mod:`thermal.transport.coolant`):
    ``$ORBITAL_THERMAL_CACHE``, else the user cache (``$XDG_CACHE_HOME`` or ``~/.cache``)
    ``/orbital-datacenter``; None when it cannot be written (a read-only home): what would be kept
    is then computed every run, never written to the working directory."""
    root = os.environ.get("ORBITAL_THERMAL_CACHE")
    if root:
        path = Path(root)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "orbital-datacenter"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def library_key(stem: str, package: str, marker: str, schema: str | int) -> str | None:
    """A name for what an installed library (``package``) said, ``{stem}-{digest}``: the digest is of
    ``schema`` (bumped when what is kept changes), the package's location and the size and
    modification time of its file ``marker`` (the file its answers come from: another version of the
    library, another name), found without importing the package. None without the package."""
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        return None
    try:
        info = os.stat(os.path.join(os.path.dirname(spec.origin), marker))
    except OSError:
        return None
    key = f"{schema}:{spec.origin}:{info.st_size}:{info.st_mtime_ns}"
    return f"{stem}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def library_file(stem: str, package: str, marker: str, schema: str | int, suffix: str) -> Path | None:
    """The file :func:`library_key` names in :func:`cache_dir`, with ``suffix``; None without a cache
    folder or without the package."""
    folder, name = cache_dir(), library_key(stem, package, marker, schema)
    return None if folder is None or name is None else folder / f"{name}{suffix}"


def write_whole(path: Path, write: Callable[[Path], object]) -> None:
    """``write(temporary)`` to a temporary file beside ``path`` whose name no other process uses
    (same suffix), then rename it onto ``path``: a reader never sees half a file, and two writers
    never share a temporary. A failure to write leaves nothing behind (what would be kept is then
    computed again by the next run)."""
    temporary = path.with_name(f"{path.stem}.{uuid.uuid4().hex}.tmp{path.suffix}")
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


#: What :func:`kept_arrays` computed or read in this process, by key: the last ones used.
_KEPT: OrderedDict[str, dict] = OrderedDict()
#: At most this many entries stay in memory (a study's design points each trace their layout).
KEPT_IN_MEMORY = 64


def kept_arrays(key: str, compute: Callable[[], dict]) -> dict:
    """Named NumPy arrays that are the same from run to run (ray-traced view factors, shadow tables,
    coolant tables): from this process's memory, else from ``{key}.npz`` in :func:`cache_dir`, else
    ``compute()`` (then kept in both; written whole through a temporary file of a name no other
    process uses, so that a reader never sees half of one; a file that cannot be read, truncated or
    damaged, is computed again and replaced). ``key`` must name everything the arrays depend on (a
    hash of the geometry, the ray counts, the seed, a version). The arrays are read-only: they are
    shared by every caller."""
    if key in _KEPT:
        _KEPT.move_to_end(key)
        return _KEPT[key]
    import numpy as np

    folder = cache_dir()
    path = folder / f"{key}.npz" if folder is not None else None
    arrays = None
    if path is not None and path.is_file():
        try:
            with np.load(path) as stored:
                arrays = {name: stored[name] for name in stored.files}
        except Exception:  # noqa: BLE001 - a damaged entry (truncated, empty, not a zip): computed again
            arrays = None
    if arrays is None:
        arrays = {name: np.asarray(value) for name, value in compute().items()}
        if path is not None:
            write_whole(path, lambda temporary: np.savez(temporary, **arrays))
    for value in arrays.values():
        value.setflags(write=False)
    _KEPT[key] = arrays
    while len(_KEPT) > KEPT_IN_MEMORY:
        _KEPT.popitem(last=False)
    return arrays
