"""The user's cache folder for what is expensive to compute and the same from run to run."""

from __future__ import annotations

import hashlib
import os
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


def library_file(stem: str, package: str, marker: str, schema: int, suffix: str) -> Path | None:
    """A file in :func:`cache_dir` for what an installed library (``package``) said, named
    ``{stem}-{digest}{suffix}``: the digest is of ``schema`` (bumped when what is kept changes), the
    package's location and the size and modification time of its file ``marker`` (another version
    of the library, another file), found without importing the package. None without a cache
    folder or without the package."""
    folder = cache_dir()
    spec = find_spec(package)
    if folder is None or spec is None or spec.origin is None:
        return None
    try:
        info = os.stat(os.path.join(os.path.dirname(spec.origin), marker))
    except OSError:
        return None
    key = f"{schema}:{spec.origin}:{info.st_size}:{info.st_mtime_ns}"
    return folder / f"{stem}-{hashlib.sha256(key.encode()).hexdigest()[:16]}{suffix}"


#: What :func:`kept_arrays` computed or read in this process, by key.
_KEPT: dict[str, dict] = {}


def kept_arrays(key: str, compute: Callable[[], dict]) -> dict:
    """Named NumPy arrays that are the same from run to run (ray-traced view factors, shadow tables):
    from this process's memory, else from ``{key}.npz`` in :func:`cache_dir`, else ``compute()``
    (then kept in both; written whole through a temporary file, so that a reader never sees half of
    one; a damaged file is computed again). ``key`` must name everything the arrays depend on (a
    hash of the geometry, the ray counts, the seed, a version)."""
    if key in _KEPT:
        return _KEPT[key]
    import numpy as np

    folder = cache_dir()
    path = folder / f"{key}.npz" if folder is not None else None
    if path is not None and path.is_file():
        try:
            with np.load(path) as stored:
                arrays = {name: stored[name] for name in stored.files}
            _KEPT[key] = arrays
            return arrays
        except (OSError, ValueError, KeyError):
            pass
    arrays = compute()
    if path is not None:
        temporary = path.with_suffix(f".{os.getpid()}.tmp.npz")
        try:
            np.savez(temporary, **arrays)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)
    _KEPT[key] = arrays
    return arrays
