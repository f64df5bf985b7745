"""The progress callback of a run: what every long stage reports, and how.

A stage calls ``progress(text)`` as it starts (one line: what runs now, e.g. ``fe: orbit 3:
orbit-to-orbit change 0.41 K against the tolerance 0.2 K``) and, where it knows how much work it
has, ``progress(text, done, total)`` as it goes (``done`` of ``total`` steps of that stage). The
command line draws a bar for the second on a terminal and prints the first as a line everywhere
(:class:`thermal.solve.Progress`); scripts pass their own or none. Under MPI every rank calls it at
the same points (the command checks for signals there, collectively).
"""

from __future__ import annotations

from typing import Protocol


class ProgressCallback(Protocol):
    """``progress(text)`` as a stage starts; ``progress(text, done, total)`` within it."""

    def __call__(self, text: str, done: int | None = None, total: int | None = None) -> None: ...


def silent(text: str, done: int | None = None, total: int | None = None) -> None:
    """The callback of a run nobody watches."""


def prefixed(progress: ProgressCallback | None, prefix: str) -> ProgressCallback:
    """``progress`` with ``prefix: `` before every text (a load case's name, a check's model)."""
    report = progress or silent

    def say(text: str, done: int | None = None, total: int | None = None) -> None:
        report(f"{prefix}: {text}", done, total)
    return say
