"""The user's cache folder for what is expensive to compute and the same from run to run."""

from __future__ import annotations

import hashlib
import os
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
