"""Runs shared by the system tests."""

import contextlib
import io
import json

import pytest
import yaml

from builders import CASES, solve


@pytest.fixture(scope="session")
def mw_network(tmp_path_factory):
    """The 1 MW case through `python -m thermal.solve` with the default network refinement and the
    network check only (the finite-element check of a whole module takes minutes): its summary
    and what the command printed. The 1 MW reference and the sizing tests both read it."""
    from thermal.solve import main
    tmp = tmp_path_factory.mktemp("mw_network")
    data = yaml.safe_load((CASES / "h100_1MW.yaml").read_text())
    data["sizing"]["check"] = "network"
    assert "refine" not in data["sizing"]  # the default
    case = tmp / "h100_1MW.yaml"
    case.write_text(yaml.safe_dump(data))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main([str(case), "--out", str(tmp / "out")]) == 0
    return json.loads((tmp / "out" / "summary.json").read_text()), printed.getvalue()


@pytest.fixture
def earlier(tmp_path):
    """A results folder from an earlier, successful run, and its summary's bytes."""
    out = tmp_path / "res"
    code, err = solve(CASES / "plate_sun.yaml", out)
    assert code == 0, err
    return out, (out / "summary.json").read_bytes()

