"""The study's engines give the same points: in this process, on a local process pool, on a Dask
cluster (a LocalCluster in this process, one worker). The 1 MW case without its parts' exchange:
each spawned worker would otherwise trace the module's layout again."""

from pathlib import Path

import pytest

from thermal.case import load_case
from thermal.case.document import load_yaml
from thermal.core.errors import CaseError
from thermal.study import engine
from thermal.study.engine import run_tasks
from thermal.study.run import run_study

CASES = Path(__file__).parents[2] / "cases"


def _case(**study):
    doc = load_yaml(CASES / "h100_1MW.yaml")
    doc["sizing"]["refine"] = "none"
    doc["solver"]["radiation_exchange"] = False     # the engines are compared, not the layout: no ray tracing
    doc["study"] = {"vary": {"sizing.radiator_temperature": ["15 degC", "25 degC"],
                             "economics.launch_price": ["100 usd/kg", "300 usd/kg"]}, **study}
    return load_case(doc, base_dir=CASES)


def _costs(result):
    return [(p.values, p.status, p.results["sizing"]["orbital_usd_per_gpu_hour"]) for p in result.points]


@pytest.fixture(scope="module")
def in_process():
    return run_study(_case(workers=1))


def test_a_grid_sizes_each_design_once(in_process):
    # the base case plus two radiator temperatures (the tornado's ends are the same two)
    assert len(in_process.points) == 4 and in_process.sizings == 3
    first, second = in_process.points[0].results["sizing"], in_process.points[2].results["sizing"]
    assert first["radiator_temperature_K"] == pytest.approx(288.15)
    assert second["radiator_temperature_K"] == pytest.approx(298.15)
    assert second["radiator_area_m2"] < first["radiator_area_m2"]      # a warmer radiator is smaller


def test_a_process_pool_gives_the_same_points(in_process):
    assert _costs(run_study(_case(workers=2))) == _costs(in_process)


def test_a_dask_cluster_gives_the_same_points(in_process):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        result = run_study(_case(engine="dask", address="tcp://127.0.0.1:1"), engine=cluster)
    assert _costs(result) == _costs(in_process)


def test_a_dask_address_nobody_answers_is_one_line(monkeypatch):
    monkeypatch.setattr(engine, "DASK_CONNECT_TIMEOUT_S", 1.0)      # nobody answers: no need to wait 10 s
    with pytest.raises(CaseError, match=r"^study.address: expected the address of a running dask scheduler"):
        run_tasks(divmod, [(1, 2), (3, 4)], engine="dask", address="tcp://127.0.0.1:9")


def test_into_a_pipe_the_progress_is_lines_not_a_bar(capsys):
    lines = []
    assert run_tasks(divmod, [(7, 2), (9, 4), (5, 5)], workers=1, label="sizings", progress=lines.append) == \
        [(3, 1), (2, 1), (1, 0)]
    assert lines == ["study: sizings 1/3", "study: sizings 2/3", "study: sizings 3/3"]
    assert capsys.readouterr().err == ""       # pytest's stderr is no terminal: no tqdm bar
