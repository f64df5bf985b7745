"""The thermal models, behind one small interface.

A model is a function ``(case, parts, exposure, loads, progress, fields) -> (ThermalHistory,
report)``: it runs the case's spacecraft with the given heat loads (:mod:`thermal.loads`) over the
orbit and returns the temperatures and the energy audit (:class:`thermal.models.history.ThermalHistory`)
and a report of its transport figures. :func:`run_thermal` picks the case's (``solver.model``):

- ``network``: the lumped network (:mod:`thermal.models.network`, :mod:`thermal.models.network_model`);
- ``fe``: finite elements on DOLFINx (:mod:`thermal.models.fe`), imported on first use.
"""

from __future__ import annotations

from geometry.parts import PartList
from thermal.case.model import Case
from thermal.exposure import Exposure
from thermal.loads import HeatLoads
from thermal.models.history import ThermalHistory
from thermal.models.network_model import run_network


def run_thermal(case: Case, parts: PartList, exposure: Exposure, loads: HeatLoads, progress,
                fields=None, start=None) -> tuple[ThermalHistory, dict]:
    """Run the chosen thermal model with the given heat loads.

    `loads` gives, on the exposure grid, the compute heat, the bus heat (into the deck) and the
    electric power drawn from each wing. The finite-element model hands its temperature field to
    `fields` (a :class:`thermal.models.fe.model.FieldSink`) when one is given, and starts from
    ``start`` (the ``final_state`` of its previous run of the same case, e.g. the coupling's last
    pass) when one is given; the network model keeps no state (its start, the steady state under
    the orbit-averaged loads, costs little)."""
    if case.solver.model == "fe":
        from thermal.models.fe import run as fe_run
        return fe_run.run_fe(case, parts, exposure, loads, progress, fields, start)
    return run_network(case, parts, exposure, loads, progress)
