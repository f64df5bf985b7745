"""The library from Python: a case in, a typed result out, as the command computes it.

    import thermal
    case = thermal.load_case("cases/h100_bus.yaml")           # a path, YAML text or a dict
    lighter = case.with_values({"spacecraft.radiators[0].area": "30 m^2", "load_cases": "none"})
    result = thermal.simulate(lighter)                          # a Result
    result.summary.thermal.gpu_junction_max_K                   # the typed summary (summary.json)
    result.timeseries                                           # a pandas DataFrame (timeseries.csv)
    result.save("results/h100_bus_30m2")                        # every results file, written safely

:func:`simulate` runs what ``python -m thermal.solve`` runs: the case and its load cases, or for a
case with a ``sizing`` block the sizing and the check of one module. Nothing is written unless
asked (:meth:`Result.save`, ``fields_dir``). The heavy libraries are imported when a function is
called, not when this module is.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from thermal.core.progress import ProgressCallback

if TYPE_CHECKING:
    import pandas

    from thermal.case.model import Case
    from thermal.case.panels import PanelArrayCase
    from thermal.outputs.summary import Summary
    from thermal.simulation import Run
    from thermal.sizing.panels import PanelArrayRun


@dataclass(frozen=True)
class Result:
    """One solved case, in memory: what ``python -m thermal.solve`` writes, as Python objects.

    Attributes
    ----------
    run : thermal.simulation.Run
        The models' histories and inputs, SI floats (``run.thermal.part_T_mean_K["radiator"]`` [K],
        ``run.thermal.time_s`` [s]); the load cases in ``run.load_cases``, a sizing in
        ``run.sizing``.
    summary : thermal.outputs.summary.Summary
        The typed summary (``summary.verdict``, ``summary.thermal.gpu_junction_max_K`` [K],
        ``summary.power``, ...); ``summary.to_dict()`` is ``summary.json``, keys with their
        units in their names.
    fields : Path or None
        The folder of the finite-element temperature field files (``temperature.pvd`` and its
        binary ``.vtu`` snapshots, with ``part_id`` and a part-name table: ParaView, PyVista and
        meshio read them), when :func:`simulate` was given
        ``fields_dir`` and the model wrote a field; None otherwise (the network model has no field;
        the field of a large mesh over an orbit is too big to keep in memory).
    """

    run: Run | PanelArrayRun
    summary: Summary
    fields: Path | None = None

    @property
    def case(self) -> Case | PanelArrayCase:
        """The case that was run (for a sized case, the check case of one module)."""
        return self.run.case

    @property
    def passed(self) -> bool:
        """Whether every limit is met in every load case (the command's exit code 0)."""
        return self.summary.verdict["status"] == "pass"

    @functools.cached_property
    def timeseries(self) -> pandas.DataFrame:
        """The reported orbit (or the duration, or the steady state) as a DataFrame, one row per
        sample: the columns of ``timeseries.csv`` (``time_s`` [s], ``<part>_T_min_K``,
        ``<part>_T_max_K``, ``<part>_T_mean_K`` [K], ``gpu_junction_K`` [K], the heat terms
        ``absorbed_W``, ``generated_W``, ``emitted_W``, ``electric_W``, ``stored_rate_W`` [W] and,
        with a power system, ``array_power_W``, ``load_W`` [W] and ``battery_soc`` [-]; with
        radiation exchange, ``shadow_fraction:<part>`` [-], NaN while the part gets no direct sun)."""
        import pandas

        from thermal.sizing.panels import PanelArrayRun
        if isinstance(self.run, PanelArrayRun):     # the panel's own columns (timeseries.csv of a panel array)
            from thermal.outputs.panels import panel_timeseries
            return pandas.DataFrame(panel_timeseries(self.run))
        from thermal.outputs.files import timeseries_of
        return pandas.DataFrame(timeseries_of(self.run))

    def save(self, out_dir: str | Path) -> Path:
        """Write the results files into ``out_dir`` as the command does (``summary.json``,
        ``timeseries.csv``, plots, ``report.html``), safely: a folder this tool did not write is
        refused, and nothing is left half-written (:func:`thermal.outputs.files.save_results`).
        Returns the folder."""
        from thermal.outputs.files import save_results
        return save_results(self.run, out_dir, results_writer(self.run))


def results_writer(run: Run | PanelArrayRun):
    """The results writer of a run, ``writer(run, folder, shown_as=...)``: a bus's
    (:func:`thermal.outputs.files.write_results`) or a panel array's
    (:func:`thermal.outputs.panels.write_panel_results`)."""
    from thermal.sizing.panels import PanelArrayRun
    if isinstance(run, PanelArrayRun):
        from thermal.outputs.panels import write_panel_results
        return write_panel_results
    from thermal.outputs.files import write_results
    return write_results


def summarize_run(run: Run | PanelArrayRun) -> Summary:
    """The typed summary of a run (``summary.json``), of either architecture."""
    from thermal.sizing.panels import PanelArrayRun
    if isinstance(run, PanelArrayRun):
        from thermal.outputs.panels import summarize_panels
        return summarize_panels(run)
    from thermal.outputs.summary import summarize
    return summarize(run)


def solve_case(case: Case | PanelArrayCase, progress: ProgressCallback | None = None,
               fields=None) -> Run | PanelArrayRun:
    """A case's run as the command makes it (:class:`thermal.simulation.Run`): the case and its load
    cases (:func:`thermal.simulation.simulate`), or for a case with a ``sizing`` block the sizing
    and the check of one module in every load case (:func:`thermal.sizing.run.sized_run`); a panel
    array's run (:func:`thermal.sizing.panels.run_panel_case`).
    ``fields``: the finite-element field's sink (:class:`thermal.models.fe.model.FieldSink`)."""
    from thermal.case.panels import PanelArrayCase
    if isinstance(case, PanelArrayCase):     # the second architecture (thermal.sizing.panels)
        from thermal.sizing.panels import run_panel_case
        return run_panel_case(case, progress, fields)
    if case.sizing is None:
        from thermal.simulation import simulate as simulate_case
        from thermal.simulation import simulate_load_cases
        run = simulate_case(case, progress, fields)
        return dataclasses.replace(run, load_cases=simulate_load_cases(case, progress))
    from thermal.sizing.run import sized_run
    run, sizing = sized_run(case, progress, fields)
    return dataclasses.replace(run, sizing=sizing)


def simulate(case: Case | PanelArrayCase, *, fields_dir: str | Path | None = None,
             progress: ProgressCallback | None = None) -> Result:
    """Solve a case as ``python -m thermal.solve`` does and return its :class:`Result`.

    Parameters
    ----------
    case : thermal.case.Case or thermal.case.panels.PanelArrayCase
        From :func:`thermal.case.load_case`; changed copies from ``case.with_values({...})``. A
        panel array (``spacecraft.kind: panel_array``) gives a :class:`Result` whose ``run`` is a
        :class:`thermal.sizing.panels.PanelArrayRun` and whose ``timeseries`` has the panel's
        columns.
        ``case.with_values({"load_cases": "none"})`` runs the case alone (a sun-synchronous or
        inclined orbit is otherwise also run at the year's worst hot and cold epochs).
    fields_dir : path, optional
        A folder for the finite-element model's temperature field (``output.fields`` says over
        which orbits); without it the field is not kept.
    progress : callable, optional
        ``progress(text)`` as each stage starts, ``progress(text, done, total)`` within it
        (:mod:`thermal.core.progress`); by default silent.

    Raises
    ------
    thermal.core.errors.CaseError
        A case the models refuse.
    thermal.core.errors.InfeasibleError
        A design the power system cannot carry, an infeasible sizing, a solver that did not
        converge. A design that only misses a limit is not an error: see ``Result.passed``.
    """
    writer = None
    if fields_dir is not None and case.output.fields != "none":
        from thermal.outputs.fields import FieldWriter
        writer = FieldWriter(Path(fields_dir))
    run = solve_case(case, progress, writer)
    written = writer is not None and Path(fields_dir).is_dir() and any(Path(fields_dir).iterdir())
    return Result(run, summarize_run(run), Path(fields_dir) if written else None)
