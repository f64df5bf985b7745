"""`mpiexec -n 2` with radiation exchange: the heated/unheated plate pair (tests/verification/
test_exchange.py) gives the serial finite-element answer; every rank traces the same rays (one seed),
and each rank's cells find their patches (2 x 2 per side of each plate) by the same rule."""

import json
import sys

import pytest
from mpi4py import MPI

from builders import ROOT, run_mpi

pytestmark = [pytest.mark.mpi,
              pytest.mark.skipif(MPI.COMM_WORLD.size > 1, reason="starts its own mpiexec")]

SCRIPT = """
import json, sys
from pathlib import Path
sys.path.insert(0, {verification!r})
from mpi4py import MPI
from test_exchange import plate_pair_case
from thermal.case import load_case
from thermal.simulation import simulate
folder = Path({folder!r})
run = simulate(load_case(folder / "pair.yaml"))
if MPI.COMM_WORLD.rank == 0:
    h = run.thermal
    print("RESULT" + json.dumps({{**{{n: float(h.part_T_mean_K[n][-1]) for n in ("hot", "cold")}},
                                 "energy": float(h.energy_balance_error),
                                 "patches": len(run.exposure.exchange.patches.side)}}))
"""


def test_plate_pair_fe_serial_and_two_ranks_agree(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tests" / "verification"))
    from test_exchange import plate_pair_case

    from thermal.case import load_case
    from thermal.simulation import simulate
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(tmp_path / "cache"))
    plate_pair_case(tmp_path, "fe")
    run = simulate(load_case(tmp_path / "pair.yaml"))
    serial = run.thermal
    script = tmp_path / "pair.py"
    script.write_text(SCRIPT.format(verification=str(ROOT / "tests" / "verification"), folder=str(tmp_path)))
    proc = run_mpi([script], timeout=300, cwd=tmp_path, env={"ORBITAL_THERMAL_CACHE": str(tmp_path / "cache2")})
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))[len("RESULT"):])
    for name in ("hot", "cold"):
        assert result[name] == pytest.approx(float(serial.part_T_mean_K[name][-1]), abs=1e-6)
    assert result["patches"] == len(run.exposure.exchange.patches.side) == 16     # 4 sides x 2 x 2
    assert result["energy"] < 1e-4 and serial.energy_balance_error < 1e-4
