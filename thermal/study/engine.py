"""Where a study's tasks run: this process, a local process pool, or a Dask cluster.

``study.engine: local`` (the default) runs the tasks on a ``concurrent.futures`` process pool of
``study.workers`` fresh (spawned) processes (default: the CPU count), or in this process when there is one task
or one worker; ``study.engine: dask`` with ``study.address`` submits them to a
``dask.distributed`` scheduler (``Client(address)``; a ``LocalCluster`` object may be given
instead of an address from Python). The tasks are the expensive, independent steps of a study:
the sizings of the distinct sizing keys (:func:`thermal.study.evaluate.size_point`) and the
thermal checks of the Pareto points; the cheap per-point pricing stays in this process.

A progress bar (tqdm) shows the tasks done on a terminal; into a pipe, or with ``quiet``, it is
silent and the ``progress`` callback (the solve command's line) gets the count instead.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from thermal.core.errors import CaseError


class Bar:
    """tqdm on a terminal (not with ``quiet``), else ``progress`` lines."""

    def __init__(self, total: int, label: str, progress: Callable[[str], None] | None, quiet: bool):
        self.total, self.label, self.done = total, label, 0
        self.progress = progress or (lambda text: None)
        self.tqdm = None
        if not quiet and sys.stderr.isatty() and total > 1:
            from tqdm import tqdm
            self.tqdm = tqdm(total=total, desc=label, file=sys.stderr, leave=False)

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.tqdm is not None:
            self.tqdm.update(n)
        else:
            self.progress(f"study: {self.label} {self.done}/{self.total}")

    def close(self) -> None:
        if self.tqdm is not None:
            self.tqdm.close()


def run_tasks(fn: Callable, args: Sequence[tuple], *, engine: str = "local", address=None,
              workers: int | None = None, label: str = "tasks", progress=None, quiet: bool = False) -> list:
    """``[fn(*a) for a in args]``, in order, on the chosen engine (see the module's text)."""
    bar = Bar(len(args), label, progress, quiet)
    try:
        if engine == "dask":
            return _dask(fn, args, address, bar)
        workers = workers or os.cpu_count() or 1
        if len(args) <= 1 or workers == 1:
            out = []
            for a in args:
                out.append(fn(*a))
                bar.step()
            return out
        return _pool(fn, args, min(workers, len(args)), bar)
    finally:
        bar.close()


def _pool(fn: Callable, args: Sequence[tuple], workers: int, bar: Bar) -> list:
    out: list = [None] * len(args)
    # fresh interpreters: the solve command's process holds MPI (forking it is unsafe) and threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(fn, *a): i for i, a in enumerate(args)}
        for future in as_completed(futures):
            out[futures[future]] = future.result()
            bar.step()
    return out


#: How long a study waits for the Dask scheduler at ``study.address`` to answer [s].
DASK_CONNECT_TIMEOUT_S = 10.0


def _dask(fn: Callable, args: Sequence[tuple], address, bar: Bar) -> list:
    from distributed import Client
    from distributed import as_completed as dask_completed
    try:
        client = Client(address, timeout=f"{DASK_CONNECT_TIMEOUT_S}s", set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise CaseError("study.address", "the address of a running dask scheduler", str(address),
                        f"could not connect: {err}") from None
    try:
        with client.as_current():
            futures = [client.submit(fn, *a, pure=False) for a in args]
            index = {f.key: i for i, f in enumerate(futures)}
            out: list = [None] * len(args)
            for future in dask_completed(futures):
                out[index[future.key]] = future.result()
                bar.step()
            return out
    finally:
        client.close()
