"""The user's cache folder for what is expensive to compute and the same from run to run."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """Where what is worth keeping between runs is kept (the view factors, :mod:`geometry.rays`; the
    unit facts, :mod:`thermal.case.units`): ``$ORBITAL_THERMAL_CACHE``, else the user cache
    (``$XDG_CACHE_HOME`` or ``~/.cache``) ``/orbital-datacenter``; None when it cannot be written
    (a read-only home): what would be kept is then computed every run, never written to the working
    directory."""
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
