"""The case reader against a corpus of mutated cases (issue 17): how many are refused with one line,
how many crash, are accepted although invalid, hang or run out of memory.

The corpus is deterministic (``--seed``): about 4,800 cases made from the shipped ones
(``cases/*.yaml``) by the operators of ``tests/mutations.py``: every text-level mutation (alias bomb,
deep nesting, keys that are lists, encodings, stray bytes, duplicate keys, truncation...) and every
absurd value issue 17 lists, for every case where it applies, then data-level mutations drawn at
random (deleted, misspelt, unknown and null keys, type swaps, units alone, split digits, non-finite
values, arithmetic, wrong dimensions, negatives, zeros, scaling by 10^k...). Each is written as a
case file and read by ``thermal.case.load_case(path)``, the loader the command line uses, in a
worker process with a time limit (``--timeout``, 10 s) and an address-space limit (``--memory``,
2 GiB, ``RLIMIT_AS``). Only ``load_case(path)`` is used, so the script measures older trees too.

Run from the repository root; ``PYTHONPATH`` chooses whose ``thermal`` is measured (without it the
editable install's is), the corpus is always this tree's:

    PYTHONPATH=$PWD .venv/bin/python benchmarks/case_corpus.py
    PYTHONPATH=/path/to/older/tree .venv/bin/python benchmarks/case_corpus.py   # before/after
    PYTHONPATH=$PWD .venv/bin/python benchmarks/case_corpus.py --limit 500 --jobs 4 --seed 1

Outcomes: refused with a one-line ``CaseError`` (the wanted answer, unless the case is valid);
refused with a ``CaseError`` that spans lines or is longer than 300 characters; another exception
(a traceback at the command line); accepted, where either answer is fine; accepted although it
must be refused; refused although valid; hung; out of memory; worker killed.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import resource
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: A CaseError message longer than this is reported as too long for one line of a terminal's output.
LONGEST_LINE = 300

OUTCOMES = {
    "refused": "refused with a one-line CaseError",
    "refused_long": f"refused with a CaseError of several lines or > {LONGEST_LINE} chars",
    "exception": "another Python exception (a traceback at the command line)",
    "accepted": "accepted, as it may be (either) or must be (valid)",
    "accepted_invalid": "accepted although it must be refused",
    "refused_valid": "refused although valid",
    "hung": "hung (time limit)",
    "memory": "out of memory (address-space limit)",
    "killed": "worker killed (signal or exit)",
}
BAD = ("refused_long", "exception", "accepted_invalid", "refused_valid", "hung", "memory", "killed")


# --- the corpus ---------------------------------------------------------------------------------

def _mutations():
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    import mutations
    return mutations


@dataclass(frozen=True)
class Recipe:
    """How to make one mutant again: the level (text, case, path, random), the shipped case, the
    operator's name, the key path and the seed of its choices."""

    level: str
    case: str
    operator: str
    path: tuple
    seed: int


def build(recipe: Recipe):
    """The mutant a recipe describes (the same every time)."""
    m = _mutations()
    case = next(c for c in m.shipped() if c.name == recipe.case)
    pick = m.RandomPick(random.Random(recipe.seed))
    if recipe.level == "random":
        return m.mutate(case, pick, huge=False)
    if recipe.level == "path":
        op = next(op for op in m.PATH_OPERATORS if op.__name__ == recipe.operator)
        return m.named(op(case, recipe.path, pick), op)
    ops = m.TEXT_OPERATORS if recipe.level == "text" else m.CASE_OPERATORS
    op = next(op for op in ops if op.__name__ == recipe.operator)
    return m.named(op(case, pick), op)


def corpus(seed: int, size: int) -> list[tuple[Recipe, str, str]]:
    """``size`` recipes (with each mutant's description and expectation), shuffled by ``seed``:
    first the fixed part (every text-level and case-level operator on every case where it applies,
    a few variants of those with a choice inside, the huge values at every list and three other
    places), then random data-level mutants, the same number from each case."""
    m = _mutations()
    rng = random.Random(seed)
    seen: dict[str, tuple[Recipe, str, str]] = {}

    def add(recipe: Recipe) -> bool:
        mutant = build(recipe)
        if mutant is None or mutant.description in seen:
            return False
        seen[mutant.description] = (recipe, mutant.description, mutant.expect)
        return True

    for case in m.shipped():
        for op in m.TEXT_OPERATORS:
            for _ in range(5 if op in m.VARIED_TEXT_OPERATORS else 1):
                add(Recipe("text", case.name, op.__name__, (), rng.getrandbits(32)))
        for case_op in m.CASE_OPERATORS:
            for _ in range(3):
                add(Recipe("case", case.name, case_op.__name__, (), rng.getrandbits(32)))
        lists = [p for p in case.paths if m.applies(m.huge_list, m.get(case.data, p), p)]
        texts = [p for p in case.paths if m.applies(m.huge_text, m.get(case.data, p), p)]
        for path in lists:
            add(Recipe("path", case.name, "huge_list", path, 0))
        for path in rng.sample(texts, min(3, len(texts))):
            add(Recipe("path", case.name, "huge_text", path, 0))
    fixed = len(seen)
    per_case = max(0, size - fixed) // len(m.shipped())
    for case in m.shipped():
        made, tries = 0, 0
        while made < per_case and tries < 50 * per_case:
            tries += 1
            made += add(Recipe("random", case.name, "", (), rng.getrandbits(32)))
    recipes = list(seen.values())
    rng.shuffle(recipes)
    return recipes[:size]


# --- the workers --------------------------------------------------------------------------------

def worker() -> None:
    """Read case file paths from stdin, one a line; answer each with a JSON line on stdout."""
    answer = os.fdopen(os.dup(1), "w", buffering=1)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    import thermal
    from thermal.case import load_case
    from thermal.core.errors import CaseError
    answer.write(json.dumps({"ready": thermal.__file__}) + "\n")
    for line in sys.stdin:
        try:
            load_case(line.rstrip("\n"))
            result: dict = {"outcome": "loaded"}
        except CaseError as err:
            text = str(err)
            result = {"outcome": "case_error", "message": text[:1000], "chars": len(text),
                      "lines": len(text.splitlines()), "key": str(getattr(err, "key", ""))[:200]}
        except MemoryError:
            result = {"outcome": "memory"}
        except BaseException as err:  # SystemExit, RecursionError: every one is a finding
            lines = str(err).splitlines()
            result = {"outcome": "exception", "message": f"{type(err).__name__}: {lines[0] if lines else ''}"[:300]}
        answer.write(json.dumps(result) + "\n")


class Worker:
    """One worker process, with its limits; started again after a hang or a death."""

    def __init__(self, memory_bytes: int):
        self.memory_bytes = memory_bytes
        self.thermal = ""
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (self.memory_bytes, self.memory_bytes))
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                     preexec_fn=limit)
        ready = self._line(120.0)
        if ready is None or "ready" not in ready:
            raise RuntimeError(f"a worker did not start: {ready}")
        self.thermal = ready["ready"]

    def _line(self, timeout: float) -> dict | None:
        assert self.proc is not None and self.proc.stdout is not None
        readable, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not readable:
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else {"outcome": "killed", "message": f"exit {self.proc.wait()}"}

    def load(self, path: Path, timeout: float) -> dict:
        if self.proc is None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(f"{path}\n".encode())
            self.proc.stdin.flush()
            result = self._line(timeout)
        except BrokenPipeError:
            result = {"outcome": "killed", "message": f"exit {self.proc.wait()}"}
        if result is None:
            result = {"outcome": "hung"}
        if result["outcome"] in ("hung", "killed", "memory"):
            self.stop()
        return result

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@dataclass(frozen=True)
class Row:
    description: str
    expect: str
    operator: str
    outcome: str
    result: dict


def classify(expect: str, result: dict) -> str:
    outcome = result["outcome"]
    if outcome == "case_error":
        if expect == "load":
            return "refused_valid"
        return "refused" if result["lines"] == 1 and result["chars"] <= LONGEST_LINE else "refused_long"
    if outcome == "loaded":
        return "accepted_invalid" if expect == "refuse" else "accepted"
    return outcome


def run(recipes, jobs: int, timeout: float, memory_bytes: int, folder: Path, progress: bool):
    """Each recipe's mutant written to ``folder`` and loaded by one of ``jobs`` workers; returns the
    rows in corpus order, and where the workers' ``thermal`` came from."""
    results: list = [None] * len(recipes)
    todo = collections.deque(enumerate(recipes))
    lock = threading.Lock()
    where: list[str] = []
    done: list[int] = []

    def serve():
        w = Worker(memory_bytes)
        w.start()
        where.append(w.thermal)
        while True:
            with lock:
                if not todo:
                    break
                i, (recipe, description, expect) = todo.popleft()
            path = folder / f"case{i:05d}.yaml"
            mutant = build(recipe)
            path.write_bytes(mutant.as_bytes())
            operator = mutant.operator
            del mutant                      # a huge one is megabytes: not kept while it loads
            result = w.load(path, timeout)
            path.unlink()
            results[i] = Row(description, expect, operator, classify(expect, result), result)
            with lock:
                done.append(i)
                if progress and len(done) % 500 == 0:
                    print(f"  {len(done):,}/{len(recipes):,}", file=sys.stderr, flush=True)
        w.stop()

    threads = [threading.Thread(target=serve) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, sorted(set(where))


# --- the report ---------------------------------------------------------------------------------

def report(results, examples: int) -> str:
    expects = ("refuse", "either", "load")
    counts = collections.Counter((r.outcome, r.expect) for r in results)
    lines = [f"| outcome | {' | '.join(f'expected {e}' for e in expects)} | all |",
             "|---|" + "---:|" * (len(expects) + 1)]
    for key, label in OUTCOMES.items():
        row = [counts[(key, e)] for e in expects]
        lines.append(f"| {label} | {' | '.join(f'{n:,}' for n in row)} | {sum(row):,} |")
    totals = [sum(counts[(k, e)] for k in OUTCOMES) for e in expects]
    lines.append(f"| all | {' | '.join(f'{n:,}' for n in totals)} | {sum(totals):,} |")
    for key in BAD:
        bad = [r for r in results if r.outcome == key]
        if not bad:
            continue
        lines.append(f"\n{OUTCOMES[key]}: {len(bad):,}, by operator:")
        for op, n in collections.Counter(r.operator for r in bad).most_common():
            lines.append(f"  {op} ({n:,})")
            for r in [r for r in bad if r.operator == op][:examples]:
                detail = r.result.get("message", "")
                lines.append(f"    - {r.description}" + (f"  ->  {detail[:160]}" if detail else ""))
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=4800, help="cases in the corpus (default 4,800)")
    parser.add_argument("--limit", type=int, default=None, help="run only the first N cases of the corpus")
    parser.add_argument("--seed", type=int, default=17, help="seed of the corpus (default 17)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a case may take (default 10)")
    parser.add_argument("--memory", type=float, default=2.0, help="GiB of address space a worker may use")
    parser.add_argument("--examples", type=int, default=3, help="examples shown per operator of a bad outcome")
    parser.add_argument("--json", type=Path, default=None, help="write every outcome to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker()
        return
    start = time.perf_counter()
    recipes = corpus(args.seed, args.size)
    if args.limit is not None:
        recipes = recipes[:args.limit]
    made = time.perf_counter() - start
    folder = Path(tempfile.mkdtemp(prefix="case_corpus_"))
    try:
        (folder / "meshes").symlink_to(ROOT / "cases" / "meshes")    # external_plate's relative mesh
        results, where = run(recipes, args.jobs, args.timeout, int(args.memory * 2 ** 30), folder, True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"case reader: {', '.join(where)}")
    print(f"corpus: {len(recipes):,} cases from {ROOT / 'cases'} (seed {args.seed}, made in {made:.1f} s); "
          f"{args.jobs} workers, {args.timeout:g} s and {args.memory:g} GiB each; "
          f"{time.perf_counter() - start:.0f} s in all\n")
    print(report(results, args.examples))
    if args.json is not None:
        args.json.write_text(json.dumps([{"description": r.description, "expect": r.expect, "operator": r.operator,
                                          "outcome": r.outcome, **r.result} for r in results], indent=1))


if __name__ == "__main__":
    main()
