"""Start-up time of the command line: what a user waits for before any physics (prints figures; no
assertions).

Each command runs ``--repeats`` times as a fresh process; the minimum and the median wall time
and the minimum CPU time (user + system) are printed with the machine's load average before and
after (on a shared machine the minimum is the figure to compare, the median says how noisy the
run was, and the CPU time is what the command itself spent):

1. ``python -c pass``: the interpreter alone, the floor;
2. ``python -m thermal.solve --help``;
3. ``python -m thermal.solve --version`` and ``python -m thermal.view --help``;
4. a one-node network case through the command line: ``cases/plate_sun.yaml`` (a plate in the sun,
   deep space, steady state) with ``solver.model: network``, every results file written
   (``--quiet``), into a fresh folder each time;
5. the same for a one-node periodic network run: ``cases/radiator_zenith_400km.yaml`` with
   ``solver.model: network`` (two orbits of the Radau integration, the temperature plot).

    .venv/bin/python benchmarks/startup.py [--repeats 5] [--tree DIR]

``--tree`` runs another checkout's code with this interpreter (``PYTHONPATH=DIR``), for figures
before and after a change.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def network_case(tree: Path, name: str, folder: Path) -> Path:
    """The shipped case ``name`` with ``solver.model: network``, written into ``folder``."""
    data = yaml.safe_load((tree / "cases" / f"{name}.yaml").read_text())
    data.setdefault("solver", {})["model"] = "network"
    path = folder / f"{name}_network.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def run_times(argv: list[str], repeats: int, env: dict, tree: Path, out: Path | None
              ) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) times of ``repeats`` fresh runs of ``argv`` in the folder ``tree``
    (``python -m`` looks there first) [s]; ``out``: a folder for a fresh results folder per run
    (``--out``). The CPU time is the command's own, so it varies less with other load than the
    wall time does."""
    walls, cpus = [], []
    for k in range(repeats):
        args = argv + (["--out", str(out / f"run{k}")] if out is not None else [])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(args, env=env, cwd=tree, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return walls, cpus


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose code runs (default: this one)")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    env = dict(os.environ, PYTHONPATH=str(tree))
    py = sys.executable
    print(f"start-up of {tree} with {py}, {args.repeats} runs each, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1 and 5 min) before")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plate = network_case(tree, "plate_sun", folder)
        radiator = network_case(tree, "radiator_zenith_400km", folder)
        commands = [
            ("python -c pass", [py, "-c", "pass"], None),
            ("python -m thermal.solve --help", [py, "-m", "thermal.solve", "--help"], None),
            ("python -m thermal.solve --version", [py, "-m", "thermal.solve", "--version"], None),
            ("python -m thermal.view --help", [py, "-m", "thermal.view", "--help"], None),
            ("one node, steady (plate_sun, network)", [py, "-m", "thermal.solve", str(plate), "--quiet"], folder),
            ("one node, 2 orbits (radiator_zenith_400km, network)",
             [py, "-m", "thermal.solve", str(radiator), "--quiet"], folder),
        ]
        print(f"{'command':<54}{'wall min s':>11}{'median s':>10}{'CPU min s':>11}")
        for label, command, out in commands:
            try:
                walls, cpus = run_times(command, args.repeats, env, tree, out)
            except SystemExit as err:
                print(f"{label:<54}  failed: {err}")
                continue
            print(f"{label:<54}{min(walls):>11.3f}{statistics.median(walls):>10.3f}{min(cpus):>11.3f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} after")


if __name__ == "__main__":
    main()
