"""Thermal and power design of orbital AI data centres (the distribution ``orbital-datacenter``).

From Python or a notebook, in four calls (see ``examples/api_tour.py`` for a sweep)::

    import thermal
    case = thermal.load_case("cases/h100_bus.yaml")      # a path, YAML text or a dict; units as in a file
    case = case.with_values({"spacecraft.radiators[0].area": "30 m^2"})   # any key by its path, checked
    result = thermal.simulate(case)                       # as python -m thermal.solve runs it: a Result
    result.summary.thermal.gpu_junction_max_K             # the typed summary.json [K]
    result.timeseries                                     # timeseries.csv as a pandas DataFrame
    result.save("results/h100_bus_30m2")                  # every results file, written safely

Inside, every quantity is an SI float whose name carries its unit (``radiator_area_m2``,
``gpu_junction_K``); units live at the edges (case files, printed tables, plots). A bad value is
a :class:`CaseError` naming its key path; a design the models cannot carry an
:class:`InfeasibleError`; a design that only misses a limit is a result whose ``passed`` is False.

Lower-level: :func:`thermal.simulation.simulate` runs one case without its load cases and returns a
:class:`Run` (the models' histories); :func:`sized_run` sizes a case with a ``sizing`` block;
:func:`summarize` and :func:`save_results` turn a :class:`Run` into the summary and the files.

The names are imported on first use, so that ``import thermal`` (and the start of
``python -m thermal.solve``) stays fast. The finite-element model's DOLFINx must be imported
after MPI: import ``dolfinx_solver`` (or ``mpi4py``) before ``dolfinx`` in a script of your own;
the tool's modules do so themselves.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from thermal.core.tool import TOOL_NAME
from thermal.core.tool import VERSION as __version__

_PUBLIC = {
    "load_case": "thermal.case",
    "Case": "thermal.case",
    "simulate": "thermal.api",
    "Result": "thermal.api",
    "Run": "thermal.simulation",
    "sized_run": "thermal.sizing.run",
    "summarize": "thermal.outputs.summary",
    "Summary": "thermal.outputs.summary",
    "save_results": "thermal.outputs.files",
    "CaseError": "thermal.core.errors",
    "InfeasibleError": "thermal.core.errors",
}

__all__ = ["TOOL_NAME", "Case", "CaseError", "InfeasibleError", "Result", "Run", "Summary", "__version__",
           "load_case", "save_results", "simulate", "sized_run", "summarize"]

if TYPE_CHECKING:
    from thermal.api import Result, simulate
    from thermal.case import Case, load_case
    from thermal.core.errors import CaseError, InfeasibleError
    from thermal.outputs.files import save_results
    from thermal.outputs.summary import Summary, summarize
    from thermal.simulation import Run
    from thermal.sizing.run import sized_run


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'thermal' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
