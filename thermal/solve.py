"""`python -m thermal.solve CASE.yaml [--out DIR] [--quiet]`: validate, build, run, write results.

The command, top to bottom: read the case (:func:`thermal.case.load_case`), check the results
folder and open its staging folder (:mod:`thermal.outputs.directory`), run it
(:func:`thermal.api.solve_case`: :func:`thermal.simulation.simulate`, or for a sizing case
:func:`thermal.sizing.run.sized_run`), write every results file
(:func:`thermal.outputs.files.write_results`), swap the folder in, print the summary table
(:mod:`thermal.outputs.console`). The heavy libraries are imported after the
signal handlers are in place, so Ctrl-C at any stage is one line.

Exit codes: 0 success; 2 invalid case or results folder; 3 infeasible design, a solver that did not
converge, or results that could not be written; 130 and 143 interrupted (SIGINT, SIGTERM).

No input shows a traceback: anything unexpected (any exception, or a library that calls
``sys.exit``) is one line naming the exception and the stage, with exit code 2 while the case is
read and the results folder prepared, 3 while solving and writing; ``--debug`` prints the
traceback as well.
"""

import argparse
import contextlib
import gc
import json
import math
import os
import re
import signal
import sys
import time
import traceback
from pathlib import Path

from thermal.api import results_writer
from thermal.api import solve_case as solve  # the run, as from Python (a name the failure tests replace)
from thermal.core.errors import SHOWN_CHARS, CaseError, InfeasibleError, one_line
from thermal.core.tool import VERSION_LINE
from thermal.outputs.directory import (
    OutputPathError,
    Staging,
    check_output_dir,
    describe_existing,
    expected_results_bytes,
)


class Progress:
    """The run's progress on stderr (:mod:`thermal.core.progress`), silent with --quiet.

    A stage's line (``progress(text)``) is printed with the seconds since the start, on a terminal
    and into a file or pipe alike; lines of the same kind (the same words, other numbers: ``orbit 3``
    and ``orbit 4``) at most every few seconds, so that a sizing's many short network runs do not
    flood a log; the last line of such a series is printed when the next stage starts (or the run
    ends), so that a series never seems to stop where it was last shown. Within a stage whose
    total is known (``progress(text, done, total)``: the time steps of an orbit or of a duration), a
    terminal shows a bar with the steps done, their rate and the time left (tqdm); a file or pipe
    gets no bar."""

    EVERY_S = 5.0

    def __init__(self, quiet: bool, check=None, tty: bool | None = None):
        self.quiet = quiet
        self.check = check or (lambda: None)   # called first on every report (InterruptGuard.check)
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.start = time.perf_counter()
        self.last_stage, self.last_print = None, -math.inf
        self.bar, self.bar_key = None, None
        self.held: tuple[float, str] | None = None

    def __call__(self, text: str, done: int | None = None, total: int | None = None) -> None:
        self.check()
        if self.quiet:
            return
        if done is not None and total:
            if self.tty:
                self._advance(text, done, total)
            return
        self._close_bar()
        now = time.perf_counter()
        stage = re.sub(r"[-+]?[\d.,]+(e[-+]?\d+)?", "#", text)
        if stage != self.last_stage or now - self.last_print >= self.EVERY_S:
            if stage != self.last_stage:
                self._flush_held()
            self._print(now, text)
            self.last_stage, self.last_print = stage, now
        else:
            self.held = (now, text)

    def _print(self, now: float, text: str) -> None:
        print(f"[{now - self.start:6.1f} s] {text}", file=sys.stderr, flush=True)
        self.held = None            # anything held is older than this line: it stays unprinted

    def _flush_held(self) -> None:
        """The last line of a series held back by the rate limit, before the next stage's: a series
        ends on its own last line (``orbit 7: ... 0.03 K against the tolerance``), not on an
        earlier one that reads as where it stopped."""
        if self.held is not None:
            self._print(*self.held)

    def _advance(self, text: str, done: int, total: int) -> None:
        if self.bar is None or self.bar_key != (text, total) or done < self.bar.n:
            self._close_bar()
            self._flush_held()      # the line of the stage this bar belongs to, before the bar
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc=text, unit="step", file=sys.stderr, leave=False, dynamic_ncols=True)
            self.bar_key = (text, total)
        self.bar.update(done - self.bar.n)

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar, self.bar_key = None, None

    def close(self) -> None:
        self._close_bar()
        if not self.quiet:
            self._flush_held()


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: unwind (staging removed), print one line, exit 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class InterruptGuard:
    """SIGINT and SIGTERM, handled so that a run stops cleanly at any stage.

    In one process the signal raises `Interrupted` at once. Under MPI a rank must not leave a
    collective step alone (the others would wait for it forever), so the signal only sets a flag,
    and `check` (called by every rank at the same points: each progress report) raises
    `Interrupted` on every rank together if any of them got one. After the last collective step
    `serial` makes signals interrupt at once again. Later signals are ignored while a run unwinds.
    """

    def __init__(self, comm):
        self.comm = comm
        self.collective = comm.size > 1
        self.pending: int | None = None

    def handler(self, signum, frame) -> None:
        if self.pending is not None:
            return
        self.pending = signum
        if not self.collective:
            raise Interrupted(signum)

    def check(self) -> None:
        if not self.collective:
            return
        from mpi4py import MPI
        signum = self.comm.allreduce(self.pending or 0, op=MPI.MAX)
        if signum:
            self.pending, self.collective = signum, False
            raise Interrupted(signum)

    def serial(self) -> None:
        self.collective = False
        if self.pending is not None:
            raise Interrupted(self.pending)

    @contextlib.contextmanager
    def installed(self):
        previous = {s: signal.signal(s, self.handler) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for s, h in previous.items():
                signal.signal(s, h)


class Unexpected(Exception):
    """Anything the tool did not foresee (a bug, a library that gave up), caught at a stage of the
    command: one line, exit code 2 while reading the case and preparing the results folder
    (the input), 3 while solving and writing (the design or the solver)."""

    def __init__(self, err: BaseException, stage: str):
        super().__init__(stage)
        self.kind = type(err).__name__
        self.stage = stage
        if isinstance(err, SystemExit):   # a library gave up with sys.exit (meshio does)
            text = f"a library called sys.exit({err.code!r})"
        else:
            text = one_line(str(err)) or "(no message)"
        if len(text) > SHOWN_CHARS:
            text = text[:SHOWN_CHARS - 4] + " ..."
        self.text = text
        self.exit_code = 2 if stage in INPUT_STAGES else 3


class FailedOnRoot(Exception):
    """Raised on the other ranks when rank 0 failed a step that it alone takes; rank 0 says why."""

    def __init__(self, exit_code: int):
        super().__init__(exit_code)
        self.exit_code = exit_code


# the stages of a run, as the one line names them; an unexpected failure in the first two is an input
# error (exit code 2), in the others a design or solver one (exit code 3)
READING, PREPARING, SOLVING, WRITING, PRINTING = ("reading the case", "preparing the results folder", "solving",
                                                  "writing the results", "printing the summary")
INPUT_STAGES = (READING, PREPARING)
DEBUG_HINT = "; run again with --debug for the traceback"


def _exit_code(err: BaseException) -> int:
    if isinstance(err, Interrupted):
        return 128 + err.signum
    if isinstance(err, OSError):
        return 3
    return getattr(err, "exit_code", 3)


#: Environment variables that MPI launchers set in each rank's environment (MPICH's and Intel's
#: Hydra: PMI_*; Open MPI: OMPI_*; PMIx launchers and Slurm's srun: PMIX_*, SLURM_*).
MPI_LAUNCHER_PREFIXES = ("PMI_", "PMIX_", "OMPI_", "MPI_LOCALNRANKS", "SLURM_", "I_MPI_", "HYDRA_")


class OneProcess:
    """MPI's world communicator for a run that no MPI launcher started: one rank, whose collective
    steps return their input. Initialising MPI (``from mpi4py import MPI``) costs about 0.1 s of
    every command; a one-process run needs none of it (the finite-element model still initialises
    MPI through DOLFINx, on its own communicator of one)."""

    size, rank = 1, 0

    def bcast(self, value, root: int = 0):
        return value

    def allreduce(self, value, op=None):
        return value


def _world():
    """MPI's world communicator where an MPI launcher started this process (its variables are in
    the environment, :data:`MPI_LAUNCHER_PREFIXES`), else :class:`OneProcess`."""
    if any(name.startswith(MPI_LAUNCHER_PREFIXES) for name in os.environ):
        from mpi4py import MPI
        return MPI.COMM_WORLD
    return OneProcess()


def _prepare_output(case, out_dir: Path, root: bool, comm) -> Staging | None:
    """Check the results folder and open its staging folder on rank 0; every rank learns the
    outcome: rank 0 raises what went wrong, the others :class:`FailedOnRoot` with its exit code
    (nothing collective follows a failure here, so no rank is left waiting)."""
    staging, error = None, None
    if root:
        try:
            from thermal.outputs.files import expected_field_values
            target = check_output_dir(out_dir, expected_results_bytes(expected_field_values(case)))
            staging = Staging.create(target)
        except (CaseError, OSError) as err:
            error = err
        except (Exception, SystemExit) as err:  # noqa: BLE001 - one line, on every rank, below
            error = Unexpected(err, PREPARING)
            error.__cause__ = err
    path, code = comm.bcast((staging.path if staging else None, _exit_code(error) if error else None), root=0)
    if error is not None:
        raise error
    if code is not None:
        raise FailedOnRoot(code)
    return staging if root else Staging(out_dir, path)


def _all_failed(fail_comm, wait_s: float) -> bool:
    """Whether every rank reached this point within ``wait_s`` (all of them failed alike), on a
    communicator of its own so that it cannot match a collective step of the solve."""
    request = fail_comm.Ibarrier()
    end = time.monotonic() + wait_s
    while time.monotonic() < end:
        if request.Test():
            return True
        time.sleep(0.01)
    return False


#: How long a rank that failed unexpectedly during the collective solve waits for the others to fail
#: too before it aborts them all [s].
ALL_FAIL_WAIT_S = 10.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m thermal.solve", description=__doc__.splitlines()[0])
    parser.add_argument("case", help="case file (YAML)")
    parser.add_argument("--out", help="results directory (default: the case's output.dir, results/<name>); "
                                      "an existing one is replaced only if this tool wrote it")
    parser.add_argument("--quiet", action="store_true", help="no progress or summary table")
    parser.add_argument("--debug", action="store_true", help="on a failure, print the traceback as well as its line")
    parser.add_argument("--version", action="version", version=VERSION_LINE)
    args = parser.parse_args(argv)
    # under mpiexec every rank runs the case (the FE model shares the mesh between them); rank 0
    # alone prints and writes the results. PETSc's start-up is collective: every rank joins it
    # here, so that no later step that only rank 0 takes can start it alone.
    # PETSc's own signal handler would end the process on SIGTERM (exit code 15) without cleaning up
    os.environ["PETSC_OPTIONS"] = (os.environ.get("PETSC_OPTIONS", "") + " -no_signal_handler").strip()
    comm = _world()
    fail_comm = None
    if comm.size > 1:
        import dolfinx_solver  # noqa: F401  (orders MPI ahead of the DOLFINx bindings)

        from petsc4py import PETSc  # noqa: F401
        fail_comm = comm.Dup()   # for the failed ranks to find each other (see _all_failed)
    root = comm.rank == 0
    guard = InterruptGuard(comm)
    progress = Progress(args.quiet or not root, guard.check)
    out_dir, staging = None, None
    failure, trace, stage = None, None, READING
    study_lines: list[str] = []
    with guard.installed():
        try:
            from thermal.case import load_case
            from thermal.outputs.fields import FieldWriter
            case = load_case(args.case)
            _print_warnings(case, root and not args.quiet)
            stage = PREPARING
            out_dir = Path(args.out) if args.out else case.output.dir
            staging = _prepare_output(case, out_dir, root, comm)
            fields = FieldWriter(staging.path / "fields") if case.output.fields != "none" else None
            stage = SOLVING
            run = solve(case, progress, fields)
            guard.serial()   # nothing collective is left: rank 0 writes alone
            stage = WRITING
            if root:
                progress(f"writing results into {out_dir}")
                results_writer(run)(run, staging.path, shown_as=out_dir)
                if case.study is not None:   # the study's files beside the case's (thermal.outputs.study)
                    from thermal.outputs.study import run_and_write
                    study_lines = run_and_write(case, staging.path, progress, args.quiet, run)
                staging.commit()
                staging = None
        except (CaseError, InfeasibleError, OSError, Interrupted, FailedOnRoot, Unexpected) as err:
            trace = traceback.format_exc() if args.debug else None
            failure = err.with_traceback(None)   # frames (and the field writers they hold) can go
        except (Exception, SystemExit) as err:  # noqa: BLE001 - anything else is one line too
            trace = traceback.format_exc() if args.debug else None
            failure = Unexpected(err, stage)
        if failure is not None:
            progress.close()
            # a failure inside the collective solve may have hit this rank alone (anything
            # unexpected; the models raise their own errors on every rank, interrupts are agreed
            # by all): the others then wait for it in a collective step that never comes, and no
            # error can be passed to them there. Unless every rank failed alike, this rank says
            # why (whichever it is) and ends them all; a staging folder that rank 0 could not
            # remove is removed by the next run into the same place.
            alone = (not isinstance(failure, Interrupted) and stage == SOLVING and fail_comm is not None
                     and not _all_failed(fail_comm, ALL_FAIL_WAIT_S))
            if staging is not None and root:
                gc.collect()        # field writers left to the collector write on close: before the removal
                staging.discard()
            if root or alone:
                _report(failure, trace, out_dir, staging, comm.rank)
            if alone:
                comm.Abort(_exit_code(failure))
            return _exit_code(failure)
    progress.close()
    code = _finish(args, out_dir, root, comm)
    for line in study_lines if not args.quiet else ():
        print(line)
    return code


def _print_warnings(case, shown: bool) -> None:
    """The case's warning lines (legal but unusual values), on stderr."""
    for line in case.warnings if shown else ():
        print(f"warning: {line}", file=sys.stderr)


def _finish(args, out_dir: Path, root: bool, comm) -> int:
    """After the results are in place: the summary table, the verdict's line, the exit code (0 the
    design passes, 3 it misses a limit), the same on every rank."""
    verdict = None
    if root:
        try:
            summary = json.loads((out_dir / "summary.json").read_text())
            verdict = summary["verdict"]
            if not args.quiet:
                if summary.get("spacecraft_kind") == "panel_array":
                    from thermal.outputs.panels import panel_lines
                    print("\n".join(panel_lines(summary)))
                else:
                    from thermal.outputs.console import print_summary
                    print_summary(summary)
                print(f"  results in {out_dir}/")
        except (Exception, SystemExit) as err:  # noqa: BLE001 - the results are complete: say so in one line
            failure = Unexpected(err, PRINTING)
            _report(failure, traceback.format_exc() if args.debug else None, out_dir, None, comm.rank)
            verdict = {"status": "error"}
        else:
            if verdict["status"] == "fail":   # the design misses a limit: every result is written, exit 3
                print(f"fail: {verdict['binding']}; results in {out_dir}/", file=sys.stderr)
    status = comm.bcast(verdict["status"] if verdict else None, root=0)
    return 3 if status in ("fail", "error") else 0


def _report(failure: BaseException, trace: str | None, out_dir: Path | None, staging: Staging | None,
            rank: int) -> None:
    """Print a failure's one line to stderr (after its traceback, with --debug); a rank other than
    0 says which it is."""
    line = _failure_line(failure, out_dir, staging)
    if trace:
        print(trace.rstrip(), file=sys.stderr)
        line = line.removesuffix(DEBUG_HINT)
    print(line + (f" (MPI rank {rank})" if rank else ""), file=sys.stderr, flush=True)


def _failure_line(err: BaseException, out_dir: Path | None, staging: Staging | None) -> str:
    """The one line a failed run prints: what went wrong, and what the results folder holds."""
    if isinstance(err, Interrupted):
        text = f"interrupted by {signal.Signals(err.signum).name}"
    elif isinstance(err, OutputPathError):
        return f"error: --out {err}"
    elif isinstance(err, OSError):
        where = str(err.filename or out_dir)
        if staging is not None:   # name the results folder, not its hidden staging folder
            where = where.replace(str(staging.path), str(out_dir))
        reason = os.strerror(err.errno) if err.errno else str(err).splitlines()[0]
        text = f"error: could not write the results ({where}: {reason})"
    elif isinstance(err, Unexpected):
        text = f"error: unexpected {err.kind} while {err.stage}: {err.text}"
        if err.stage == PRINTING and out_dir is not None:
            text += f"; the results are complete in {out_dir}/"
        elif staging is not None and out_dir is not None:
            text += f"; {describe_existing(Path(out_dir))}"
        return text + DEBUG_HINT
    else:
        text = f"{'error' if isinstance(err, CaseError) else 'infeasible'}: {err}"
    if staging is not None and out_dir is not None:
        text += f"; {describe_existing(Path(out_dir))}"
    return text


if __name__ == "__main__":
    sys.exit(main())
