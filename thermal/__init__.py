"""Thermal and power design of orbital AI data centres.

The library in four calls (a case file in, the summary of ``summary.json`` out)::

    import thermal
    case = thermal.load_case("cases/h100_bus.yaml")     # YAML with units -> frozen SI types
    run = thermal.simulate(case)                         # orbit, exposure, models, power: a Run
    summary = thermal.summarize(run).to_dict()           # the summary.json schema
    thermal.save_results(run, "results/h100_bus")        # the result files, as the command writes them

A case with a ``sizing`` block is sized first: ``thermal.sized_run(case)`` returns the check run of
one module and the ``sizing`` block. The names below are imported on first use, so that
``import thermal`` (and the start of ``python -m thermal.solve``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from thermal.core.tool import TOOL_NAME
from thermal.core.tool import VERSION as __version__

_PUBLIC = {
    "load_case": "thermal.case",
    "Case": "thermal.case",
    "simulate": "thermal.simulation",
    "Run": "thermal.simulation",
    "sized_run": "thermal.sizing.run",
    "summarize": "thermal.outputs.summary",
    "save_results": "thermal.outputs.files",
    "CaseError": "thermal.core.errors",
    "InfeasibleError": "thermal.core.errors",
}

__all__ = ["TOOL_NAME", "CaseError", "Case", "InfeasibleError", "Run", "__version__", "load_case", "save_results",
           "simulate", "sized_run", "summarize"]

if TYPE_CHECKING:
    from thermal.case import Case, load_case
    from thermal.core.errors import CaseError, InfeasibleError
    from thermal.outputs.files import save_results
    from thermal.outputs.summary import summarize
    from thermal.simulation import Run, simulate
    from thermal.sizing.run import sized_run


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'thermal' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
