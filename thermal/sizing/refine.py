"""Refinement of the analytic radiator area with the network model of one module (``sizing.refine``)."""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from thermal.case.model import Case, PumpedLoopSpec
from thermal.case.sizing import SizingConfig
from thermal.core.progress import silent
from thermal.simulation import simulate
from thermal.sizing.check import check_case
from thermal.sizing.design import Design, installed

#: The refinement stops when the network model's GPU junction is this close to the design point [K].
REFINE_TOLERANCE_K = 0.2


#: Bracket of the refinement, as factors of the analytic radiator area [-]; widened if needed.
REFINE_BRACKET = (0.4, 1.5)


def with_radiator(design: Design, area_m2: float, sizing: SizingConfig) -> Design:
    """The design with the module's radiator area replaced, its mass breakdown recomputed (the
    path of a fixed radiator area); the module split is kept."""
    return dataclasses.replace(design, module=installed(design.module, sizing, {"radiator_area_m2": area_m2}))


def _skip_reason(sizing: SizingConfig) -> str | None:
    """Why the analytic radiator area is kept as it is, or None when it is refined."""
    if sizing.refine == "none":
        return "sizing.refine: none"
    if "radiator_area_m2" in sizing.fixed:
        return "sizing.radiator_area is fixed"
    if sizing.radiator.temperature_K is not None:
        return "sizing.radiator_temperature is given"
    return None


def _network(one: Case) -> Case:
    """The case with the network thermal model."""
    return dataclasses.replace(one, solver=dataclasses.replace(one.solver, model="network"))


def _junction_max_K(one: Case) -> float:
    """The largest GPU junction temperature of a run of the case [K]; nan without a GPU junction."""
    h = simulate(one).thermal
    return float(np.nanmax(h.gpu_junction_K)) if np.any(np.isfinite(h.gpu_junction_K)) else math.nan


class _NetworkRuns:
    """The network runs of one refinement, counted: the check case (coupled) at a radiator area,
    and the fast model of :func:`refine_radiator` (the check case without its power coupling) at a
    factor on the analytic area, cached by that factor. Without a power section the fast model is
    the check case."""

    def __init__(self, case: Case, design: Design, sizing: SizingConfig):
        # the refinement tunes the case's own conditions: its check cases need no load cases
        self.case, self.design, self.sizing = dataclasses.replace(case, load_cases=()), design, sizing
        self.a0 = design.module.radiator_area_m2
        self.runs = {"fast": 0, "coupled": 0}
        self.has_power = check_case(case, design, sizing).power is not None
        self.cache: dict[float, float] = {}

    def _check(self, area: float) -> Case:
        """The check case with a radiator of ``area`` per module, on the network model."""
        return _network(check_case(self.case, with_radiator(self.design, area, self.sizing), self.sizing))

    def coupled(self, area: float) -> float:
        """The check case's GPU junction maximum with a radiator of ``area`` per module [K]."""
        self.runs["coupled"] += 1
        return _junction_max_K(self._check(area))

    def _fast_case(self, area: float) -> Case:
        """The fast model with a radiator of ``area`` per module: the check case, its ``power``
        dropped and the bus loads on the node overhead when the bus heat shares the coolant loop."""
        one = self._check(area)
        if one.power is None:
            return one
        extra_W = one.power.loads.bus_load_W if isinstance(one.thermal.transport, PumpedLoopSpec) else 0.0
        return dataclasses.replace(one, power=None, compute=dataclasses.replace(
            one.compute, overhead_W=one.compute.overhead_W + extra_W))

    def fast(self, x: float) -> float:
        """The fast model's junction at x times the analytic area [K]."""
        if x not in self.cache and not self.has_power:
            self.cache[x] = self.coupled(x * self.a0)
        if x not in self.cache:
            self.runs["fast"] += 1
            self.cache[x] = _junction_max_K(self._fast_case(x * self.a0))
        return self.cache[x]


#: Why :func:`_bracket` found no root, by whether it searched upwards (the junction too hot).
_NO_ROOT = {True: "the junction stays above the design point up to 20 x the analytic radiator area",
            False: "the junction stays below the design point down to 1 % of the analytic radiator area"}


def _bracket(f, x: float, too_hot: bool, first: bool) -> tuple[float, float] | None:
    """(lo, hi) area factors around the root of ``f``, searched from ``x``: upwards (up to 20 x the
    analytic area) when the junction at ``x`` is too hot, else downwards (down to 1 %); on the
    first pass from the bracket :data:`REFINE_BRACKET`, then from 10 % beyond ``x``. None when
    ``f`` keeps its sign over the whole search."""
    if too_hot:
        lo, hi = x, (REFINE_BRACKET[1] if first else x / 0.9)
        while f(hi) > 0.0:
            lo, hi = hi, hi * 1.5
            if hi > 20.0:
                return None
    else:
        lo, hi = (REFINE_BRACKET[0] if first else 0.9 * x), x
        while f(lo) < 0.0:
            hi, lo = lo, lo * 0.5
            if lo < 0.01:
                return None
    return lo, hi


def refine_radiator(case: Case, design: Design, sizing: SizingConfig, progress=None,
                    tolerance_K: float = REFINE_TOLERANCE_K) -> tuple[Design, dict]:
    """The design with the radiator area per module at which the network model's periodic GPU
    junction maximum on the check case equals the design point (limit - ``sizing.junction_margin``).

    The analytic sizing takes the peak environment and a lumped junction-to-radiator chain, and
    is conservative against the network model (at 1 MW the junction 8.4 K below the design point, the
    wings and the body in view in both). The root is found in two
    levels, to keep the network runs few and fast:

    1. A fast model: the check case (:func:`check_case`) *without the power coupling* (its
       ``power`` dropped: the compute heat stays the same, the orbit-average bus loads are added
       to the node overhead when the bus heat shares the coolant loop, battery and conversion
       losses are left out), whose junction plus a defect ``d`` is driven to the design point by
       :func:`scipy.optimize.brentq` on the radiator area (bracket :data:`REFINE_BRACKET` times
       the analytic area, widened downwards or upwards as needed; upwards first when the analytic
       area already gives a junction above the design point).
    2. The check case itself (coupled, as the network check runs it) at the fast root; ``d`` is
       updated to the difference between the two models there and step 1 repeated, until the
       check case's junction is within ``tolerance_K`` of the design point (a few passes: the
       difference hardly changes with the area). With no power section the fast model is the
       check case and one pass suffices.

    The refinement runs at the case's own orbit (the check case's): with ``orbit_cases: year`` the
    analytic sizing's worst orbit may be another one. The module split (nodes per module, module
    count) of the analytic design is kept; the masses, and so the launches and costs, are those of
    the refined area. Not refined (the analytic design returned): ``sizing.refine: none``, a fixed
    ``sizing.radiator_area``, a given ``sizing.radiator_temperature``, no GPU junction in the check.

    Parameters
    ----------
    case : thermal.case.Case
    design : thermal.sizing.Design
        The analytic design.
    sizing : SizingConfig
    progress : callable, optional
    tolerance_K : float
        On the junction [K].

    Returns
    -------
    (thermal.sizing.Design, dict)
        The refined design and the ``refinement`` block: ``method``, and when refined
        ``converged``, ``radiator_area_m2`` and ``radiator_area_analytic_m2`` (per module),
        ``area_ratio``, ``gpu_junction_max_K`` (the check case's at the refined area),
        ``gpu_junction_analytic_K`` (at the analytic area), ``gpu_junction_design_K``,
        ``tolerance_K``, ``network_runs`` (fast, coupled), ``wall_time_s``; else ``skipped``.
    """
    from scipy.optimize import brentq  # here, not at import: a plain run needs no SciPy (start-up)

    progress = progress or silent
    reason = _skip_reason(sizing)
    if reason:
        return design, {"method": sizing.refine, "skipped": reason}
    start = time.perf_counter()
    target_K = sizing.design_junction_K
    net = _NetworkRuns(case, design, sizing)
    a0 = net.a0

    def stop(info, why):
        return design, {**info, "converged": False, "skipped": why, "network_runs": dict(net.runs),
                        "wall_time_s": time.perf_counter() - start}

    progress(f"sizing refinement: network model of one module at the analytic radiator area ({a0:,.0f} m^2)")
    j = net.coupled(a0)
    if not math.isfinite(j):
        return design, {"method": sizing.refine, "skipped": "the check case has no GPU junction"}
    if not net.has_power:
        net.cache[1.0] = j
    info = {"method": sizing.refine, "radiator_area_analytic_m2": a0, "gpu_junction_analytic_K": j,
            "gpu_junction_design_K": target_K, "tolerance_K": tolerance_K}
    x, first = 1.0, True
    defect = j - net.fast(1.0) if net.has_power else 0.0
    for _ in range(6):
        if abs(j - target_K) <= tolerance_K:
            break

        def f(y, d=defect):
            return net.fast(y) + d - target_K

        # f(x) has the sign of j - target (the defect makes the fast model agree with the check at x)
        too_hot = j > target_K  # too hot: refine upwards, else downwards
        bracket = _bracket(f, x, too_hot, first)
        if bracket is None:
            return stop(info, _NO_ROOT[too_hot])
        x = brentq(f, *bracket, xtol=2e-4, rtol=1e-6)
        first = False
        progress(f"sizing refinement: radiator {x * a0:,.0f} m^2 per module "
                 f"({100 * (x - 1):+.1f} % on the analytic area), checked with the coupled check case")
        j = net.coupled(x * a0) if net.has_power else net.fast(x)
        if net.has_power:
            defect = j - net.fast(x)
    area = x * a0
    converged = abs(j - target_K) <= tolerance_K
    refined = with_radiator(design, area, sizing)
    return refined, {**info, "converged": converged, "radiator_area_m2": area, "area_ratio": area / a0,
                     "gpu_junction_max_K": j, "network_runs": dict(net.runs),
                     "wall_time_s": time.perf_counter() - start}
