"""Shared test options and the layers of the suite.

The suite is split by folder, and every test carries its folder's marker:

- ``tests/unit``: one module at a time, against hand values (``-m unit``);
- ``tests/verification``: the physics against closed forms, convergence orders and published
  values (``-m verification``);
- ``tests/system``: the command lines, the shipped cases and their stored references, files,
  signals, MPI and the examples (``-m system``); ``mpi`` marks those that start ``mpiexec`` and
  ``slow`` those that take a minute or more.

``pytest -m "not system"`` is the fast part (under a minute); ``pytest`` runs everything.

``--regenerate-references`` rewrites the stored reference summaries of the shipped cases
(``tests/references/``) from the current code instead of comparing against them; use it on purpose,
when an answer changes for a reason you can name, and say which numbers changed in the commit.
"""

from pathlib import Path

import pytest

LAYERS = ("unit", "verification", "system")


def pytest_addoption(parser):
    parser.addoption("--regenerate-references", action="store_true", default=False,
                     help="rewrite tests/references/*.json from the current code instead of comparing")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        layer = Path(item.fspath).relative_to(here).parts[0]
        if layer not in LAYERS:
            raise pytest.UsageError(f"{item.nodeid}: a test belongs in tests/unit, tests/verification or tests/system")
        item.add_marker(getattr(pytest.mark, layer))
