"""The results files of the contract, written from a run: :func:`write_results` is the one writer.

``summary.json`` (:mod:`thermal.outputs.summary`), ``timeseries.csv`` (with radiation exchange also
each part's shadow fraction at each time, ``shadow_fraction:<part>``), the power plot
(:mod:`thermal.outputs.plots`), ``spacecraft.vtu`` (the drawing of the parts, for a finite-element
run: see :func:`writes_drawing`) and ``report.html`` with the plots it draws from those files
(:mod:`thermal.outputs.report`: temperatures, energy audit, sizing, 3D snapshot, in the case's
temperature unit); the finite-element field is written during the run
(:mod:`thermal.outputs.fields`). Everything goes into the staging folder of
:mod:`thermal.outputs.directory`, which replaces the results folder only when all is written.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from geometry.layout import part_list
from thermal.case.model import Case
from thermal.case.panels import PanelArrayCase
from thermal.models.panel import DEEP_SPACE_WINDOW_S
from thermal.orbit import case_orbit
from thermal.outputs.directory import Staging, check_output_dir, expected_results_bytes
from thermal.outputs.drawing import DRAWING_FILE, write_drawing_mesh
from thermal.outputs.plots import plot_power
from thermal.outputs.report import write_report
from thermal.outputs.summary import json_ready, summarize
from thermal.outputs.viewer import SHADOW_COLUMN
from thermal.simulation import Run


def write_summary(path: Path, summary: dict) -> None:
    """``summary.json``: strict JSON (:func:`json_ready`: a non-finite number, such as the
    orbit-to-orbit change of a steady run, is null; ``allow_nan=False`` refuses any that slipped
    through rather than write ``NaN``, which JSON parsers other than Python's reject)."""
    Path(path).write_text(json.dumps(json_ready(summary), indent=2, sort_keys=False, allow_nan=False) + "\n")


def write_timeseries(path: Path, columns: dict[str, np.ndarray]) -> None:
    names = list(columns)
    rows = np.column_stack([np.asarray(columns[k], float) for k in names])
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in rows:
            writer.writerow([f"{v:.6g}" for v in row])


def timeseries_of(run: Run) -> dict:
    h = run.thermal
    columns = {"time_s": h.time_s}
    for name in h.part_T_mean_K:
        columns[f"{name}_T_min_K"] = h.part_T_min_K[name]
        columns[f"{name}_T_max_K"] = h.part_T_max_K[name]
        columns[f"{name}_T_mean_K"] = h.part_T_mean_K[name]
    if run.case.compute is not None:
        columns["gpu_junction_K"] = h.gpu_junction_K
    columns.update({"absorbed_W": h.absorbed_W, "generated_W": h.generated_W, "emitted_W": h.emitted_W,
                    "electric_W": h.electric_W if h.electric_W is not None else np.zeros_like(h.time_s),
                    "stored_rate_W": h.stored_rate_W})
    if run.power is not None:
        p = run.power
        t = np.mod(h.time_s, run.exposure.period_s) if run.exposure.period_s else h.time_s
        for key in ("array_power_W", "load_W", "battery_soc"):
            columns[key] = np.interp(t, p.time_s, getattr(p, key))
    for part, fraction in run.exposure.shadow_fractions(h.time_s).items():
        columns[f"{SHADOW_COLUMN}{part}"] = np.broadcast_to(fraction, h.time_s.shape)
    return columns


def writes_drawing(case: Case) -> bool:
    """Whether the results hold ``spacecraft.vtu``, the drawing of the parts (meshed with gmsh and
    rendered into the report's 3D snapshot with PyVista: about two seconds of a run's start-up):
    for a finite-element run, whose field the viewer draws on it. A network run's results leave it
    out; ``python -m thermal.view`` draws one from the case file when it is asked to."""
    return case.solver.model == "fe"


def write_results(run: Run, folder: Path, shown_as: Path) -> None:
    """Write every results file into `folder` (the staging folder of ``shown_as``)."""
    h = run.thermal
    shadow = run.exposure.shadowed(h.time_s)
    columns = timeseries_of(run)
    write_timeseries(folder / "timeseries.csv", columns)
    if run.power is not None:
        plot_power(folder / "power.png", h.time_s, columns["array_power_W"], columns["load_W"],
                   columns["battery_soc"], shadow, f"{run.case.name}: power and battery")
    drawn = writes_drawing(run.case)
    if drawn:
        write_drawing_mesh(run.case, run.parts, folder / DRAWING_FILE)
    write_summary(folder / "summary.json", summarize(run).to_dict())
    write_report(folder, shown_as=shown_as, case=run.case, snapshot=drawn)   # the HTML reads what is written above


def save_results(run: Run, out_dir: Path | str, writer=None) -> Path:
    """Write a run's results into ``out_dir`` as ``python -m thermal.solve`` does, for scripts: the
    folder is checked first (a folder this tool did not write, ``.``, ``~`` or a file is refused
    with :class:`thermal.outputs.directory.OutputPathError`), everything is written into a staging
    folder beside it and swapped in when complete; on any failure nothing is left and an earlier
    result stays as it was. The temperature field of a finite-element run is not among them (the
    command streams it while solving). ``writer(run, folder, shown_as=...)`` writes the files
    (default :func:`write_results`, a bus's). Returns the results folder."""
    writer = write_results if writer is None else writer
    target = check_output_dir(out_dir, expected_results_bytes(0))
    staging = Staging.create(target)
    try:
        writer(run, staging.path, shown_as=target)
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    return target


def expected_field_values(case: Case | PanelArrayCase) -> int:
    """Nodal values the finite-element field output will hold (for the disk-space check): about
    one vertex per 0.87 h^2 of shell, written every ``output.field_every`` steps over one orbit
    (``output.fields: reported_orbit``), or over the ``solver.orbits`` orbits plus one (``all``),
    or over the duration."""
    if case.solver.model != "fe" or case.output.fields == "none":
        return 0
    if isinstance(case, PanelArrayCase):     # one chip's unit cell: about 2 vertices per h^2 (crossed diagonals)
        a, b = case.panel.cell_pitch_m
        geom = case_orbit(case.orbit)
        period = geom.period_s if geom is not None else DEEP_SPACE_WINDOW_S
        orbits = case.solver.max_orbits if case.output.fields == "all" else 1
        writes = orbits * period / case.solver.time_step_s / case.output.field_every_steps + 2
        return int(2 * a * b / case.solver.mesh_size_m ** 2 * writes)
    area = sum(p.area_m2 for p in part_list(case.spacecraft).parts) if case.sizing is None else 0.0
    vertices = area / (0.87 * case.solver.mesh_size_m ** 2)
    if case.solver.steady:
        writes = 2
    else:
        duration = case.solver.duration_s
        if duration is None:
            geom = case_orbit(case.orbit)
            orbits = max(case.solver.orbits, 2) + 1 if case.output.fields == "all" else 1
            duration = orbits * (geom.period_s if geom is not None else 0.0)
        writes = duration / case.solver.time_step_s / case.output.field_every_steps + 2
    return int(vertices * writes)
