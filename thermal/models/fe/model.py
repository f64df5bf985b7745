"""Finite-element transient heat solver of the spacecraft (``solver.model: fe``).

The spacecraft mesh (:class:`geometry.mesh.SpacecraftMesh`: triangle shells in 3D, cells tagged
by part, GPU cold-plate footprints with their own tags) becomes a :class:`thermal.models.fe.system.HeatSystem`
with, per part, its thickness, conductivity and volumetric heat capacity; then
:func:`solve_fe` integrates it in time and fills a :class:`thermal.models.history.ThermalHistory`.

Physics, one term each, built in :class:`SpacecraftFE`:

- shell conduction in every part (P1 Lagrange on the shell manifold, tangential gradient,
  in-plane conductivity times thickness); optional orthotropic panels (:class:`OrthotropicPanel`,
  e.g. panels with embedded heat pipes);
- each radiating side of a part: emission ``eps sigma T^4`` and the absorbed flux
  ``q_abs(t)`` [W/m^2] that the orchestrator computes (``alpha (solar + albedo) + eps IR``);
  a side whose area differs from its part's applies in proportion;
- heat per part (W spread over its area), electric power leaving a part (solar arrays), GPU
  heat on the footprints (W spread over each footprint);
- joints between disjoint parts (``Joint.shared_nodes`` False: hinges, yokes, the mounts of the
  boxes inside the body): a lumped conductance between the facing strips of the two parts (a
  box's whole plate, parallel to its mount, and the mount's cells under it); parts that share
  nodes conduct through the shell itself. The boxes (``battery``, ``avionics``) are parts of the
  part list like the others (:func:`geometry.layout.bus_part_list`: a notional plate with the
  box's heat capacity, no radiating side, outside the radiation between inner surfaces), so this
  model and the network see the same nodes, loads and links;
- radiation between the inner faces of the walls and the deck, with the gray-body factors of
  the network model (:func:`thermal.models.network_model.interior_exchange`), and, when the parts
  see each other (``solver.radiation_exchange``), between the outer sides of the parts: Gebhart's
  conductances of :mod:`thermal.exchange` between coarse patches of the sides (blocks of about
  ``solver.view_factors.patch_size``, :func:`thermal.exchange.patch_exchange`; the front and back
  of a shell's block share one column), each patch exchanging through its area-mean T^4, the same
  low-rank term (its rank grows by the number of blocks); each patch then emits to space only its
  share B_space, so a radiator's hot and cold ends, or the part of a wall a wing faces, see their
  own surroundings; with sun-tracking wings the factors follow the wing's angle over the orbit
  (``wing_exchange``: interpolated between the traced positions, :class:`thermal.exchange.WingSchedule`);
- transport (``thermal.transport`` specs):
  * ``PumpedLoopSpec``: the GPU heat goes into the coolant at the cold plates; the coolant runs
    in parallel straight tubes along each radiator's long axis (inlet at the end nearest the
    body; radiators in parallel, flow in proportion to their width) and gives its heat to the
    panel through the film and the fin path in series (``transport.panel_conductance_W_K``
    per unit area); see :mod:`thermal.models.fe.loop` for the exact march and why energy is conserved;
    GPU junction = cold-plate outlet coolant + P R_jc; pump power reported;
  * ``HeatPipeSpec``: each GPU module is a massless node whose heat pipes reach the radiators
    (the network's end-to-end conductance shared by radiator area, as the network model, and by
    GPU), eliminated exactly into a low-rank coupling; junction = module + P R_jc;
  * ``ConductionSpec`` (or None): the GPUs sit on the deck, their heat on the footprints;
    junction = footprint mean + P R_jc.

Not modelled (stated, as in the network model): the GPU modules' own mounting to the deck
beside the cold plate. Also not modelled: through-thickness gradients in shells, view factors
within a patch of an external side (its area-mean T^4 exchanges), the heat capacity of the
coolant and of the GPU modules. The heat-pipe capillary limit is checked for every run by
:func:`thermal.models.network_model.heat_pipe_utilisation`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Protocol

import dolfinx_solver  # noqa: F401  (orders MPI ahead of the bindings)

import numpy as np
import scipy.linalg
import scipy.sparse
from mpi4py import MPI
from scipy.spatial import cKDTree

from geometry.mesh import raise_on_all_ranks
from thermal.case.model import BypassSpec, HeaterSpec, HeatPipeSpec, PumpedLoopSpec
from thermal.control import bypass_fraction, heater_power_W
from thermal.core.errors import InfeasibleError
from thermal.exchange import PatchExchange, WingSchedule
from thermal.models.fe.loop import LoopPath, band_index
from thermal.models.fe.system import (
    LINEAR_SOLVERS,
    SCHEMES,
    HeatSystem,
    Integrator,
    StepRecord,
    single_threaded_blas,
    time_grid,
)
from thermal.models.history import ThermalHistory, energy_balance_error, no_periodic_state
from thermal.models.network_model import interior_exchange
from thermal.transport.cold_plate import junction_temperature_K
from thermal.transport.coolant import coolant_properties
from thermal.transport.loop import panel_conductance_W_K

FIELD_ORBITS = ("last", "all")
#: The bypass valve is sampled once per time step (a digital controller) and the loop's terms are
#: rebuilt when the share of the flow through the radiators moves by more than this fraction of itself.
VALVE_RESOLUTION = 1e-3


class FieldSink(Protocol):
    """Where the temperature field goes (the results writer's, :mod:`thermal.outputs.fields`).

    Called on rank 0 only, with whole-mesh arrays gathered from every rank: ``begin`` once with
    the mesh (points [m], triangles, the tag of each cell and the tag value of each part and
    footprint name), ``write`` for each snapshot (time [s], nodal temperature [K] in the order of
    ``points``), ``end`` when the run is complete. A run that fails calls ``end`` neither.
    """

    def begin(self, points: np.ndarray, triangles: np.ndarray, cell_tags: np.ndarray,
              tag_names: Mapping[str, int]) -> None: ...

    def write(self, time_s: float, temperature_K: np.ndarray) -> None: ...

    def end(self) -> None: ...


@dataclass(frozen=True)
class FESettings:
    """Numerical settings of the finite-element run (SI units).

    Run length, first match wins: ``steady`` (with ``period_s``: under the loads averaged over one
    period); ``orbits`` periods of ``period_s``; ``duration_s``;
    else orbits until the orbit-to-orbit change of every part's min/mean/max temperature history
    is below ``periodic_tolerance_K`` (at least ``min_orbits``, at most ``max_orbits``; needs
    ``period_s``).

    time_step_s : nominal step [s]; steps are shortened so that they land on every event.
    scheme : 'backward_euler' | 'bdf2'.
    event_times_s : times within one period [s] (absolute times without a period) that steps
        must land on: discontinuities of the sources such as eclipse entry and exit; the step
        after an event restarts the multistep history.
    newton_rtol : Newton residual tolerance, relative to the size of the energy-balance terms.
    field_every_n_steps : hand the temperature field to the ``fields`` sink of :func:`solve_fe`
        every n steps (and at the first and last sample).
    field_orbits : 'last' (the reported orbit, on its own clock from 0) or 'all' (the whole run,
        on the run's clock); runs that are not periodic hand over every sample due.
    linear_solver : 'cg_icc' (CG, block-Jacobi incomplete Cholesky, preconditioner reused) |
        'lu' (MUMPS, factorization reused) | 'cg_gamg' | 'cg_jacobi'; see benchmarks/README.md.
    linear_rtol : relative tolerance of the CG solves inside the (inexact) Newton iteration.
    loop_bands_per_panel : fluid segments along each radiator panel (pumped loop).
    start_from_orbit_average : start from the steady state under the orbit-averaged loads
        (shortens the approach to the periodic state) instead of the uniform initial temperature.
    """
    time_step_s: float = 20.0
    scheme: str = "bdf2"
    steady: bool = False
    orbits: int | None = None
    duration_s: float | None = None
    period_s: float | None = None
    periodic_tolerance_K: float = 0.01
    min_orbits: int = 2
    max_orbits: int = 20
    event_times_s: tuple[float, ...] = ()
    newton_rtol: float = 1e-8
    field_every_n_steps: int = 10
    field_orbits: str = "last"
    linear_solver: str = "cg_icc"
    linear_rtol: float = 1e-5
    loop_bands_per_panel: int = 24
    start_from_orbit_average: bool = False
    max_newton_iterations: int = 30
    max_step_cuts: int = 8

    def __post_init__(self):
        """Raise ValueError, naming the setting, on a value the run cannot take."""
        self._check_positive()
        self._check_choices()
        self._check_counts()
        self._check_run_length()

    def _check_positive(self):
        """Lengths, times and tolerances: > 0 where given."""
        for name in ("time_step_s", "duration_s", "period_s", "periodic_tolerance_K", "newton_rtol", "linear_rtol"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"FESettings.{name} must be > 0, got {value!r}")

    def _check_choices(self):
        """Names: one of the known values."""
        if self.field_orbits not in FIELD_ORBITS:
            raise ValueError(f"FESettings.field_orbits must be one of {FIELD_ORBITS}, got {self.field_orbits!r}")
        if self.scheme not in SCHEMES:
            raise ValueError(f"FESettings.scheme must be one of {SCHEMES}, got {self.scheme!r}")
        if self.linear_solver not in LINEAR_SOLVERS:
            raise ValueError(f"FESettings.linear_solver must be one of {LINEAR_SOLVERS}, got {self.linear_solver!r}")

    def _check_counts(self):
        """Counts: integers >= 1 (``orbits`` may be None)."""
        for name in ("min_orbits", "max_orbits", "field_every_n_steps", "loop_bands_per_panel",
                     "max_newton_iterations"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 1):
                raise ValueError(f"FESettings.{name} must be an integer >= 1, got {getattr(self, name)!r}")
        if self.orbits is not None and not (isinstance(self.orbits, int) and self.orbits >= 1):
            raise ValueError(f"FESettings.orbits must be an integer >= 1 or None, got {self.orbits!r}")

    def _check_run_length(self):
        """A transient run needs a length; a start from the orbit average needs a period, and the
        events lie within it."""
        if not self.steady and self.duration_s is None and self.period_s is None:
            raise ValueError("FESettings: a transient run needs period_s (orbits or periodic state) or duration_s")
        if self.start_from_orbit_average and self.period_s is None:
            raise ValueError("FESettings.start_from_orbit_average needs period_s")
        if self.period_s is not None and any(not (0.0 <= e <= self.period_s) for e in self.event_times_s):
            raise ValueError(f"FESettings.event_times_s must lie within one period [0, {self.period_s}] s")


@dataclass(frozen=True)
class OrthotropicPanel:
    """A part with extra in-plane conductivity along one direction (e.g. embedded heat pipes).

    direction : in body axes; projected on each cell's plane.
    axial_conductivity_W_mK : total conductivity along that direction (>= the material's).
    """
    part: str
    direction: tuple[float, float, float]
    axial_conductivity_W_mK: float


@dataclass
class Sample:
    """What is recorded at one sample time (rank-replicated)."""
    record: StepRecord
    T_min: np.ndarray            # (parts,)
    T_max: np.ndarray
    T_mean: np.ndarray
    cold_plate_K: float
    junction_K: float
    loop: tuple[float, float]    # (supply, return) coolant temperatures, nan without loop
    radiator_fraction: float = 1.0   # share of the loop flow through the radiators (the bypass valve)


class SpacecraftFE:
    """The spacecraft as a HeatSystem: load columns per side, part, footprint; loop; joints.

    Parameters
    ----------
    sm : geometry.mesh.SpacecraftMesh (or any object with mesh, cell_tags, part_ids,
        footprint_ids, footprint_parent, parts and cell_tag_values())
    transport : thermal.transport.PumpedLoopSpec | HeatPipeSpec | ConductionSpec | None
    gpu_junction_to_coolant_K_W : junction-to-coolant (loop) or junction-to-plate resistance [K/W]
    settings : FESettings
    orthotropic_panels : parts with an in-plane conductivity direction
    interior_radiation : radiation between the inner faces of walls and deck (off: e.g. inner
        faces blanketed)
    """

    def __init__(self, sm, transport, gpu_junction_to_coolant_K_W: float, settings: FESettings,
                 orthotropic_panels: Sequence[OrthotropicPanel] = (), interior_radiation: bool = True,
                 heaters: Sequence[HeaterSpec] = (), coolant_property_K: float = 300.0,
                 exchange: PatchExchange | None = None,
                 wing_exchange: tuple[WingSchedule, Sequence[PatchExchange]] | None = None):
        msh = sm.mesh
        if msh.topology.dim != 2:
            raise ValueError("solve_fe takes shell meshes (tdim 2); use thermal.models.fe.system.HeatSystem for solids")
        self.comm = msh.comm
        self.parts = sm.parts
        self.names = list(sm.parts.names)
        self.R_jc = float(gpu_junction_to_coolant_K_W)
        index = {name: k for k, name in enumerate(self.names)}
        tags = sm.cell_tag_values()
        self.cell_tags = tags                                        # local cells, owned first
        self.tag_names = {**sm.part_ids, **sm.footprint_ids}
        lookup = np.full(max([*sm.part_ids.values(), *sm.footprint_ids.values(), 0]) + 2, -1)
        for name, tag in sm.part_ids.items():
            lookup[tag] = index[name]
        parent = getattr(sm, "footprint_parent", {}) or {}
        for fp, tag in sm.footprint_ids.items():
            lookup[tag] = index[parent.get(fp, "deck")]
        cell_part = lookup[np.where(tags >= 0, tags, len(lookup) - 1)]
        n_owned_cells = msh.topology.index_map(2).size_local
        if np.any(cell_part[:n_owned_cells] < 0):
            raise ValueError("mesh cells without a part tag")
        self.footprints = sorted(sm.footprint_ids, key=lambda n: int("".join(c for c in n if c.isdigit()) or 0))
        self.n_gpu = len(self.footprints)

        props = np.array([[p.material.conductivity_W_mK, p.material.density_kg_m3 * p.material.specific_heat_J_kgK,
                           p.thickness_m] for p in self.parts.parts])
        cp = np.maximum(cell_part, 0)
        vertices = msh.geometry.x[msh.geometry.dofmaps[0]]
        self._centroids = vertices.mean(axis=1)
        normals = np.cross(vertices[:, 1] - vertices[:, 0], vertices[:, 2] - vertices[:, 0])
        cell_area = 0.5 * np.linalg.norm(normals, axis=1)
        normals /= np.maximum(2.0 * cell_area, 1e-300)[:, None]
        self._cell_area = cell_area
        self._normals = normals
        direction, extra_k = self._orthotropy(orthotropic_panels, cell_part, normals, props, index)
        self.system = HeatSystem(msh, props[cp, 0], props[cp, 1], thickness_m=props[cp, 2],
                                 axial_direction=direction, axial_extra_conductivity_W_mK=extra_k)
        s = self.system
        self.dofs = s.dofs_global

        # area vectors: parts and footprints (int phi_i, owned rows)
        self.part_area = [s.cell_weights(cell_part == k) for k in range(len(self.names))]
        self.part_area_m2 = np.array([s.sum(a) for a in self.part_area])
        fp_area = [s.cell_weights(tags == sm.footprint_ids[f]) for f in self.footprints]
        fp_area_m2 = np.array([s.sum(a) for a in fp_area])
        dofmap = s.V.dofmap.list
        self.part_dofs = []
        for k in range(len(self.names)):
            dofs = np.unique(dofmap[cell_part == k])
            self.part_dofs.append(dofs[dofs < s.n_owned])

        # heat and electric power per part (W spread over the part)
        unit_part = [a / max(A, 1e-300) for a, A in zip(self.part_area, self.part_area_m2, strict=True)]
        self._add_sides(exchange, cell_part, index, unit_part)
        per_part = list(zip(self.names, unit_part, strict=True))
        self.heat_columns = [s.add_load(f"{n}.heat", "generated", u) for n, u in per_part]
        self.electric_columns = [s.add_load(f"{n}.electric", "electric", u) for n, u in per_part]
        unit_fp = [a / A for a, A in zip(fp_area, fp_area_m2, strict=True)]

        self.loop_figures: dict = {}
        self.loop: LoopPath | None = None
        self.bypass: BypassSpec | None = None
        self.radiator_fraction = 1.0          # share of the loop flow through the radiators
        self.gpu_columns: list[int] = []
        self.node_radiators: list[int] = []
        self._fp_mean_weights = np.column_stack(unit_fp) if unit_fp else np.zeros((s.n_owned, 0))
        radiators = [k for k, p in enumerate(self.parts.parts) if p.role == "radiator"]
        if isinstance(transport, PumpedLoopSpec) and self.n_gpu:
            self._add_pumped_loop(transport, cell_part, radiators, settings.loop_bands_per_panel, coolant_property_K)
        elif isinstance(transport, HeatPipeSpec) and self.n_gpu:
            self._add_heat_pipes(transport, radiators, unit_part)
        else:                           # conduction: the GPUs sit on the deck, on their footprints
            self.gpu_columns = [s.add_load(f, "generated", u) for f, u in zip(self.footprints, unit_fp, strict=True)]
        self._add_joints(cell_part, index)
        self._add_radiative_exchange(unit_part, index, interior_radiation, exchange)
        if wing_exchange is not None and exchange is not None and self._exchange_columns:
            self._add_wing_schedule(exchange, *wing_exchange)
        self._add_heaters(heaters, unit_part, index)
        s.finalize()
        # part means, footprint means and loop band means in one sparse product
        blocks = [np.column_stack(unit_part), self._fp_mean_weights] + ([self._loop_Vt] if self.loop else [])
        self._observed = scipy.sparse.csc_array(np.hstack(blocks))

    # ---- building pieces --------------------------------------------------------------------
    def _orthotropy(self, panels, cell_part, normals, props, index):
        if not panels:
            return None, None
        direction = np.zeros((len(cell_part), 3))
        extra = np.zeros(len(cell_part))
        for panel in panels:
            if panel.part not in index:
                raise ValueError(f"orthotropic panel: unknown part {panel.part!r}; parts are {self.names}")
            k = index[panel.part]
            cells = cell_part == k
            d = np.asarray(panel.direction, float)
            d = d[None, :] - (normals[cells] @ d)[:, None] * normals[cells]
            norm = np.linalg.norm(d, axis=1)
            ok = norm > 1e-6
            direction[np.flatnonzero(cells)[ok]] = d[ok] / norm[ok, None]
            extra[np.flatnonzero(cells)[ok]] = max(panel.axial_conductivity_W_mK - props[k, 0], 0.0)
        return direction, extra

    def _region_geometry(self, cells_mask) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Area-weighted centroid, principal (longest) axis and mean normal of a region (global)."""
        n_owned = self.system.mesh.topology.index_map(2).size_local
        mask = cells_mask[:n_owned]
        w = self._cell_area[:n_owned][mask]
        x = self._centroids[:n_owned][mask]
        second = (w[:, None, None] * x[:, :, None] * x[:, None, :]).sum(axis=0).ravel()
        sums = np.concatenate([[w.sum()], w @ x, w @ self._normals[:n_owned][mask], second])
        sums = self.comm.allreduce(sums, op=MPI.SUM)
        centroid = sums[1:4] / sums[0]
        normal = sums[4:7] / max(np.linalg.norm(sums[4:7]), 1e-300)
        cov = sums[7:].reshape(3, 3) / sums[0] - np.outer(centroid, centroid)
        return centroid, np.linalg.eigh(cov)[1][:, -1], normal

    def _flow_axis(self, cells, area_m2: float, body_centroid: np.ndarray) -> np.ndarray:
        """Direction of the radiator tubes: away from the body in the panel's plane (the inlet
        manifold runs along the hinge); the panel's long axis if the panel is centred on the body."""
        centroid, principal, normal = self._region_geometry(cells)
        away = centroid - body_centroid
        away -= (away @ normal) * normal
        return away / np.linalg.norm(away) if np.linalg.norm(away) > 0.05 * math.sqrt(area_m2) else principal

    def _add_pumped_loop(self, loop: PumpedLoopSpec, cell_part, radiators, bands_per_panel: int,
                         coolant_property_K: float) -> None:
        s = self.system
        if not radiators:
            raise InfeasibleError("the pumped loop has no radiator to reject its heat to: add one under "
                                  "spacecraft.radiators, or choose another thermal.transport.kind")
        T_prop = coolant_property_K
        props = coolant_properties(loop.coolant, T_prop, loop.loop_pressure_Pa)
        capacity_rate = loop.flow_rate_kg_s * props.specific_heat_J_kgK
        area_total = float(sum(self.part_area_m2[k] for k in radiators))
        n_owned = s.mesh.topology.index_map(2).size_local
        body = np.isin(cell_part, [k for k, p in enumerate(self.parts.parts) if p.role in ("wall", "deck")])
        body_centroid = self._region_geometry(body)[0] if self.comm.allreduce(int(body[:n_owned].sum())) \
            else np.zeros(3)
        band_vectors, band_area, band_branch, band_film, widths = [], [], [], [], []
        for branch, k in enumerate(radiators):
            part = self.parts.parts[k]
            cells = cell_part == k
            axis = self._flow_axis(cells, self.part_area_m2[k], body_centroid)
            coord = self._centroids @ axis
            verts = s.mesh.geometry.x[s.mesh.geometry.dofmaps[0][:n_owned][cells[:n_owned]]].reshape(-1, 3) @ axis
            lo = s.comm.allreduce(float(verts.min()) if verts.size else np.inf, op=MPI.MIN)
            hi = s.comm.allreduce(float(verts.max()) if verts.size else -np.inf, op=MPI.MAX)
            length = hi - lo
            widths.append(self.part_area_m2[k] / length)
            cell_size = math.sqrt(2.0 * self.part_area_m2[k] / max(s.comm.allreduce(int(cells[:n_owned].sum())), 1))
            nb = max(1, min(bands_per_panel, int(length / (1.5 * cell_size))))
            band = band_index(coord, lo, hi, nb)
            emissivities = [side.coating.emissivity for side in part.sides]
            film = panel_conductance_W_K(loop, area_total, part.thickness_m, part.material.conductivity_W_mK,
                                            emissivities, T_prop) / area_total
            for j in range(nb):
                vec = s.cell_weights(cells & (band == j))
                area = s.sum(vec)
                if area <= 0.0:
                    continue
                band_vectors.append(vec)
                band_area.append(area)
                band_branch.append(branch)
                band_film.append(film)
        widths = np.array(widths)
        self.loop_capacity_rate_W_K = capacity_rate
        self.bypass = loop.bypass
        self._full_path = LoopPath(capacity_rate, np.array(band_area), np.array(band_branch), widths / widths.sum(),
                                   np.array(band_film))
        self._band_vectors = np.column_stack(band_vectors)
        self.loop_column = s.add_loop(*self._loop_terms(1.0))
        self._loop_Vt = self._band_vectors / np.array(band_area)[None, :]
        self.loop_figures.update({
            "loop_capacity_rate_W_K": capacity_rate,
            "loop_film_conductance_W_m2K": float(np.mean(band_film)),
            "loop_bands": self._full_path.bands,
        })

    def _add_heaters(self, heaters: Sequence[HeaterSpec], unit_part, index) -> None:
        """Each heater spread over its part, sensing the part's mean temperature (``sense: mean``)
        or its coldest node (``sense: min``: over the nodes of ``part_T_min_K``)."""
        for h in heaters:
            if h.part not in index:
                raise ValueError(f"heater on unknown part {h.part!r}; parts are {self.names}")
            law = functools.partial(heater_power_W, setpoint_K=h.setpoint_K, power_W=h.power_W,
                                    deadband_K=h.deadband_K)
            k = index[h.part]
            self.system.add_heater(h.part, unit_part[k], unit_part[k], law,
                                   coldest_of=self.part_dofs[k] if h.sense == "min" else None)

    def _loop_terms(self, fraction: float) -> tuple:
        """The loop's terms (:meth:`HeatSystem.add_loop`) with the share ``fraction`` of the flow
        through the radiators (the rest bypasses them): the radiator path at capacity rate f C."""
        path = dataclasses.replace(self._full_path, capacity_rate_W_K=fraction * self._full_path.capacity_rate_W_K)
        W, w_Q = path.affine_map()
        h = path.band_heat_transfer_coefficient_W_m2K()
        U = self._band_vectors * h[None, :]
        Vt = self._band_vectors / path.band_area_m2[None, :]
        self.loop = path
        return U, W, Vt, U.sum(axis=1), U @ w_Q

    def set_radiator_fraction(self, fraction: float) -> bool:
        """Send the share ``fraction`` of the loop flow through the radiators (a bypass valve);
        True if the system changed (the integrator's operators must then be rebuilt)."""
        if abs(fraction - self.radiator_fraction) <= VALVE_RESOLUTION * self.radiator_fraction:
            return False
        self.radiator_fraction = float(fraction)
        self.system.replace_loop(*self._loop_terms(self.radiator_fraction))
        return True

    def valve_fraction(self, supply_K: float) -> float:
        """The share the bypass valve sends through the radiators at the supply temperature (1 without one)."""
        if self.bypass is None or not np.isfinite(supply_K):
            return 1.0
        b = self.bypass
        return float(bypass_fraction(supply_K, b.setpoint_K, b.band_K, b.min_fraction)[0])

    def valve_at(self, T: np.ndarray, heat_W: float) -> float:
        """The valve's share for the panel field T and the loop heat: the share f at which the
        valve's law of the supply temperature gives f back, the supply temperature being that of
        the loop at f (the fluid has no heat capacity here, so the supply follows f at once and a
        valve acting on a lagged supply temperature would chatter). Bisection on f, to
        :data:`VALVE_RESOLUTION`; 1 without a bypass."""
        if self.bypass is None:
            return 1.0
        bands = self.system.column_dot(self._loop_Vt, T)

        def asks(f):
            path = dataclasses.replace(self._full_path, capacity_rate_W_K=f * self._full_path.capacity_rate_W_K)
            return self.valve_fraction(path.march(bands, heat_W)[1])

        lo, hi = self.bypass.min_fraction, 1.0
        if asks(hi) >= hi:
            return hi
        if asks(lo) <= lo:
            return lo
        while hi - lo > VALVE_RESOLUTION * lo:
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if asks(mid) > mid else (lo, mid)
        return 0.5 * (lo + hi)

    def _add_heat_pipes(self, spec: HeatPipeSpec, radiators, unit_part) -> None:
        """Each GPU module is a massless node whose heat pipes reach the radiators: the network's
        end-to-end conductance, shared by radiator area (as the network model) and by GPU."""
        if not radiators:
            raise InfeasibleError("the heat pipes have no radiator to carry the heat to: add one under "
                                  "spacecraft.radiators, or choose another thermal.transport.kind")
        area = sum(self.part_area_m2[k] for k in radiators)
        self.node_radiators = radiators
        self.node_conductance_W_K = np.array([spec.conductance_W_K * self.part_area_m2[k] / area / self.n_gpu
                                              for k in radiators])
        for gpu in self.footprints:
            self.gpu_columns.append(self.system.add_node(gpu, [unit_part[k] for k in radiators],
                                                         self.node_conductance_W_K))

    def _add_joints(self, cell_part, index) -> None:
        """Disjoint parts (hinges, yokes): a conductance between the two facing edge strips."""
        s = self.system
        n_owned = s.mesh.topology.index_map(2).size_local
        for joint in self.parts.joints:
            if joint.shared_nodes or joint.conductance_W_K <= 0.0:
                continue
            a, b = index[joint.part_a], index[joint.part_b]
            strips = []
            for this, other in ((a, b), (b, a)):
                mine = cell_part[:n_owned] == this
                theirs = np.concatenate(s.comm.allgather(self._centroids[:n_owned][cell_part[:n_owned] == other]))
                distance = cKDTree(theirs).query(self._centroids)[0]
                d_min = s.comm.allreduce(float(distance[:n_owned][mine].min()) if mine.any() else np.inf, op=MPI.MIN)
                size = math.sqrt(2.0 * self.part_area_m2[this]
                                 / max(s.comm.allreduce(int(mine.sum())), 1))
                weights = s.cell_weights((cell_part == this) & (distance <= d_min + 2.0 * size))
                strips.append(weights / s.sum(weights))
            s.add_link(f"joint:{joint.part_a}-{joint.part_b}", strips[0], strips[1], joint.conductance_W_K)

    def _add_sides(self, exchange: PatchExchange | None, cell_part, index, unit_part) -> None:
        """Radiating sides: absorbed-flux columns and emission (with the exchange: per patch, its
        share to space)."""
        s = self.system
        self.patch_columns = self._patches(exchange, cell_part, index, unit_part) if exchange is not None else []
        patched = set(exchange.part) if exchange is not None else set()
        self.side_names, self.side_columns = [], []
        for k, part in enumerate(self.parts.parts):
            for side in part.sides:
                share = side.area_m2 / part.area_m2 if part.area_m2 > 0 else 1.0
                self.side_names.append(side.name)
                self.side_columns.append(s.add_load(side.name, "absorbed", share * self.part_area[k]))
                if part.name not in patched:
                    s.add_emission(side.coating.emissivity * share * self.part_area[k])
        if exchange is not None:
            s.add_emission(sum((e * A * u for e, A, u in zip(exchange.space_emissivity, self._patch_area_m2,
                                                              self.patch_columns, strict=True)),
                               np.zeros(s.n_owned)))

    def _patches(self, exchange: PatchExchange, cell_part, index, unit_part) -> list[np.ndarray]:
        """The unit (area-mean) vectors of the exchange's columns: the cells of the part whose centroid
        falls in the column's block of its patch grid (:class:`geometry.rays.PatchGrid`, the same rule
        as the ray-traced facets). A block no cell of this mesh falls in (a mesh coarser than the
        patches) takes the part's mean: the exchange stays conservative, only less resolved there.
        Sets ``_patch_area_m2``: the area of each column on this mesh (the part's area shared by the
        rays' block areas for such a block)."""
        s = self.system
        block = np.full(len(cell_part), -1, dtype=np.int64)
        for name in set(exchange.part):
            cells = np.flatnonzero(cell_part == index[name])
            block[cells] = exchange.grids[name].block(self._centroids[cells])
        out, areas = [], []
        for name, b, area in zip(exchange.part, exchange.block, exchange.area_m2, strict=True):
            k = index[name]
            weights = s.cell_weights((cell_part == k) & (block == b))
            A = s.sum(weights)
            if A > 0.0:
                out.append(weights / A)
                areas.append(A)
            else:
                out.append(unit_part[k])
                areas.append(float(area))
        self._patch_area_m2 = np.array(areas)
        return out

    def _add_radiative_exchange(self, unit_part, index, interior: bool, exchange: PatchExchange | None) -> None:
        """Radiation between surfaces, one low-rank term (:meth:`HeatSystem.add_radiative_exchange`):
        the inner faces of walls and deck (gray-body factors as the network model), and, with
        ``exchange``, the patches of the outer sides of the parts that see each other (Gebhart's
        R_ij of :func:`thermal.exchange.patch_exchange`, each column its area mean)."""
        columns, blocks = [], []
        self._exchange_columns = 0
        triples = interior_exchange(self.parts, SimpleNamespace(index=index)) if interior else []
        if triples:
            inner = sorted({i for i, _, _ in triples} | {j for _, j, _ in triples})
            position = {k: n for n, k in enumerate(inner)}
            R = np.zeros((len(inner), len(inner)))
            for i, j, r in triples:
                R[position[i], position[j]] += r
                R[position[j], position[i]] += r
            columns += [unit_part[k] for k in inner]
            blocks.append(R)
        if exchange is not None and np.any(exchange.R_m2 > 0.0):
            self._exchange_columns = len(self.patch_columns)
            columns += self.patch_columns
            blocks.append(exchange.R_m2)
        if columns:
            self.system.add_radiative_exchange(np.column_stack(columns), scipy.linalg.block_diag(*blocks))

    def _add_wing_schedule(self, exchange: PatchExchange, schedule: WingSchedule,
                           positions: Sequence[PatchExchange]) -> None:
        """The patches' exchange and emission to space at each wing position, as changes from the
        orbit-averaged ones, interpolated in time (:meth:`HeatSystem.add_exchange_schedule`)."""
        s = self.system
        m = self._exchange_columns
        total = s.exchange[1].shape[0]
        dR = np.zeros((len(positions), total, total))
        dE = np.zeros((s.n_owned, len(positions)))
        for k, at in enumerate(positions):
            dR[k, total - m:, total - m:] = at.R_m2 - exchange.R_m2
            for e, A, u in zip(at.space_emissivity - exchange.space_emissivity, self._patch_area_m2,
                               self.patch_columns, strict=True):
                dE[:, k] += e * A * u
        s.add_exchange_schedule(schedule.weights, dR, dE)

    # ---- loads and observations ---------------------------------------------------------------
    def amplitudes(self, t: float, side_absorbed_W_m2, part_heat_W, gpu_heat_W, part_electric_W,
                   cold_plate_heat_W) -> np.ndarray:
        s = self.system
        amp = np.zeros(len(s.load_names))
        sides = side_absorbed_W_m2(t)
        missing = [name for name in self.side_names if name not in sides]
        if missing:
            raise KeyError(f"side_absorbed_W_m2({t}) lacks sides {missing}")
        amp[self.side_columns] = [sides[name] for name in self.side_names]
        for source, columns, sign in ((part_heat_W, self.heat_columns, 1.0),
                                      (part_electric_W, self.electric_columns, -1.0)):
            if source is None:
                continue
            for name, watts in source(t).items():
                if name not in self.names:
                    raise KeyError(f"heat for unknown part {name!r}; parts are {self.names}")
                amp[columns[self.names.index(name)]] = sign * watts
        gpu = self.gpu_power(gpu_heat_W, t)
        other = 0.0 if cold_plate_heat_W is None else float(cold_plate_heat_W(t))
        if self.loop is not None:
            amp[self.loop_column] = gpu.sum() + other
        elif self.gpu_columns:
            amp[self.gpu_columns] = gpu + other / self.n_gpu
        return amp

    def gpu_power(self, gpu_heat_W, t: float) -> np.ndarray:
        if not self.n_gpu:
            return np.zeros(0)
        gpu = np.broadcast_to(np.asarray(gpu_heat_W(t), float), (self.n_gpu,))
        return np.array(gpu)

    def observe(self, T: np.ndarray, record: StepRecord, gpu: np.ndarray, amplitudes: np.ndarray) -> Sample:
        s = self.system
        n = len(self.names)
        lo = np.array([T[d].min() if d.size else np.inf for d in self.part_dofs])
        hi = np.array([T[d].max() if d.size else -np.inf for d in self.part_dofs])
        T_min, T_max = np.empty(n), np.empty(n)
        s.comm.Allreduce(lo, T_min, op=MPI.MIN)
        s.comm.Allreduce(hi, T_max, op=MPI.MAX)
        means = s.column_dot(self._observed, T)
        T_mean, fp_mean = means[:n], means[n:n + self.n_gpu]
        cold = junction = math.nan
        loop = (math.nan, math.nan)
        if self.loop is not None:
            heat = float(amplitudes[self.loop_column])
            _, supply, back = self.loop.march(means[n + self.n_gpu:], heat)
            # the plates take the whole flow (radiator and bypass mixed): each gets 1/n of it and an
            # equal share of the other heat on the loop
            inlet = supply - heat / self.loop_capacity_rate_W_K
            outlet = inlet + (gpu + (heat - gpu.sum()) / self.n_gpu) * self.n_gpu / self.loop_capacity_rate_W_K
            cold, junction = float(outlet.max()), float(np.max(junction_temperature_K(outlet, gpu, self.R_jc)))
            loop = (supply, back)
        elif self.node_radiators:       # heat-pipe modules: T = (P + sum_r G_r T_r) / sum_r G_r
            G = self.node_conductance_W_K
            module = (amplitudes[self.gpu_columns] + T_mean[self.node_radiators] @ G) / G.sum()
            cold = float(module.max())
            junction = float(np.max(junction_temperature_K(module, gpu, self.R_jc)))
        elif self.n_gpu:                # GPUs on the deck: the footprint mean under each
            cold = float(fp_mean.max())
            junction = float(np.max(junction_temperature_K(fp_mean, gpu, self.R_jc)))
        return Sample(record, T_min, T_max, T_mean, cold, junction, loop, self.radiator_fraction)

    def destroy(self) -> None:
        self.system.destroy()



def solve_fe(sm, side_absorbed_W_m2: Callable[[float], Mapping[str, float]],
             part_heat_W: Callable[[float], Mapping[str, float]],
             gpu_heat_W: Callable[[float], np.ndarray], transport, gpu_junction_to_coolant_K_W: float,
             initial_temperature_K: float, settings: FESettings,
             progress: Callable[..., None] | None = None, *,
             part_electric_W: Callable[[float], Mapping[str, float]] | None = None,
             cold_plate_heat_W: Callable[[float], float] | None = None,
             orthotropic_panels: Sequence[OrthotropicPanel] = (), interior_radiation: bool = True,
             on_step: Callable[[float, dict[str, float]], None] | None = None,
             fields: FieldSink | None = None, heaters: Sequence[HeaterSpec] = (),
             coolant_property_K: float = 300.0, exchange: PatchExchange | None = None,
             wing_exchange: tuple[WingSchedule, Sequence[PatchExchange]] | None = None,
             start: np.ndarray | None = None) -> ThermalHistory:
    """Solve the spacecraft's heat equation; the same answer on any number of MPI ranks.

    Parameters
    ----------
    sm : geometry.mesh.SpacecraftMesh
    side_absorbed_W_m2 : t [s] -> {'<part>.<side>': absorbed flux [W/m^2]} for every radiating side
    part_heat_W : t -> {part: heat [W]} (parts not named get none)
    gpu_heat_W : t -> (n_gpu,) heat of each GPU [W], in footprint order gpu0, gpu1, ...
    transport : thermal.transport.PumpedLoopSpec | HeatPipeSpec | ConductionSpec | None
    gpu_junction_to_coolant_K_W : [K/W]; GPU junction = cold-plate coolant (loop) or footprint
        mean temperature (otherwise) + P R
    initial_temperature_K : uniform initial temperature (and the steady solve's first guess) [K]
    settings : FESettings
    progress : ``progress(text)`` as a stage starts (the steady solve, the run of a duration, each
        orbit: its number and, for a periodic run, the last orbit-to-orbit change against the
        tolerance), ``progress(text, done, total)`` after each time step of it (steps done of the
        stage's known total); called on every MPI rank alike
    part_electric_W : t -> {part: electric power leaving the part [W]} (solar arrays)
    cold_plate_heat_W : t -> heat [W] of other electronics cooled by the GPU cold plates (or pump
        work): into the coolant with the GPU heat; without a loop, shared by the footprints
    orthotropic_panels : parts with extra in-plane conductivity along a direction
    interior_radiation : radiation between the inner faces of walls and deck (default on)
    on_step : called after every accepted step with (t, {part: mean temperature [K]})
    fields : where the temperature field goes (``settings.field_every_n_steps``,
        ``settings.field_orbits``), or None
    coolant_property_K : the temperature the pumped loop's coolant properties are taken at [K]
    heaters : thermostatic heaters on parts (:func:`thermal.control.heater_power_W`, sensing the
        part's mean temperature or, ``sense: min``, its coldest node); their power is in
        ``generated_W`` and in ``heater_W``
    exchange : the exchange between the radiating sides' patches (:func:`thermal.exchange.patch_exchange`):
        each patch emits to space only its share B_space and exchanges R_ij with the others
    wing_exchange : (schedule, the patch exchange at each wing position): the orbit march follows
        the sun-tracking wings' angle (interpolated between the positions; steady solves keep
        ``exchange``, the orbit average)
    start : a periodic run starts from this field (this rank's owned temperatures: the
        ``final_state`` of an earlier run on the same mesh and processes, e.g. the previous pass of
        the thermal-power coupling, whose periodic state is near) instead of the steady state
        under the orbit-averaged loads; a steady run or a run of a duration (a transient from the
        initial temperature) ignores it

    Returns
    -------
    ThermalHistory of the last orbit (periodic and orbit runs), of the whole run (duration runs
    without a period), or of the steady state (N = 1). ``extra`` holds scalars only.

    Raises
    ------
    InfeasibleError : a step that does not converge after all cuts, a steady solve that does not
        converge, or no periodic state within ``max_orbits``.
    """
    wall_start = time.perf_counter()
    with single_threaded_blas():
        model = SpacecraftFE(sm, transport, gpu_junction_to_coolant_K_W, settings, orthotropic_panels,
                             interior_radiation, heaters, coolant_property_K, exchange, wing_exchange)
        try:
            return _run(model, (side_absorbed_W_m2, part_heat_W, gpu_heat_W, part_electric_W, cold_plate_heat_W),
                        initial_temperature_K, settings, progress, on_step, wall_start, fields, start)
        finally:
            model.destroy()


def _run(model: SpacecraftFE, sources: tuple, initial_temperature_K, settings: FESettings, progress, on_step,
         wall_start, fields: FieldSink | None, start: np.ndarray | None = None) -> ThermalHistory:
    gpu_heat_W = sources[2]

    def amplitudes(t):
        return model.amplitudes(t, *sources)

    integ = Integrator(model.system, amplitudes, initial_temperature_K, scheme=settings.scheme,
                       newton_rtol=settings.newton_rtol, max_newton_iterations=settings.max_newton_iterations,
                       linear_solver=settings.linear_solver, linear_rtol=settings.linear_rtol,
                       max_step_cuts=settings.max_step_cuts)
    report = progress or (lambda text, done=None, total=None: None)
    with contextlib.ExitStack() as stack:
        stack.callback(integ.close)
        periodic = not settings.steady and not (settings.orbits is None and settings.duration_s is not None)
        writer = FieldOutput(model, integ, settings, fields, last_orbit=periodic and settings.field_orbits == "last")


        def sample(record: StepRecord) -> Sample:
            return model.observe(integ.T_owned, record, model.gpu_power(gpu_heat_W, record.time_s),
                                 integ.last_amplitudes)

        def steady(average) -> Sample:
            return _steady(model, integ, lambda: sample(integ.steady(0.0, average)))

        def advance(t: float, restart: bool) -> Sample:
            if model.bypass is not None:   # the valve for the step: the panels at its start, the heat at its end
                _set_valve(model, integ, model.valve_at(integ.T_owned, amplitudes(t)[model.loop_column]))
            smp = sample(integ.advance(t, restart))
            if on_step is not None:
                on_step(t, dict(zip(model.names, smp.T_mean.tolist(), strict=True)))
            writer(t)
            return smp

        def orbit_average() -> np.ndarray:
            P = settings.period_s
            grid = np.concatenate([[0.0], time_grid(0.0, P, settings.time_step_s, settings.event_times_s)])
            table = np.array([amplitudes(t) for t in grid])
            return np.trapezoid(table, grid, axis=0) / P

        if settings.steady:   # in an orbit: the steady state under the orbit-averaged loads
            report("steady state" + (" under the orbit-averaged loads" if settings.period_s is not None else ""))
            average = orbit_average() if settings.period_s is not None else None
            samples, status = [steady(average)], {}
        else:
            if start is not None and periodic:
                _start_from(model, integ, start, amplitudes)
            elif settings.start_from_orbit_average:
                steady(orbit_average())
            first = sample(integ.instantaneous_audit())
            writer(0.0, force=True)
            if not periodic:
                samples, status = _run_duration(settings, first, advance, report)
            else:
                samples, status = run_orbits(settings, first, advance, report, writer.new_orbit)
        writer(integ.t, force=True)
        writer.end()
    return _history(model, integ, samples, settings, status, time.perf_counter() - wall_start)


def _start_from(model: SpacecraftFE, integ: Integrator, start: np.ndarray, amplitudes) -> None:
    """Start from a given field (``solve_fe``'s ``start``), the bypass valve where a step would set it
    at that field."""
    integ.start_from(start)
    if model.bypass is not None:
        _set_valve(model, integ, model.valve_at(integ.T_owned, amplitudes(0.0)[model.loop_column]))


def _set_valve(model: SpacecraftFE, integ: Integrator, fraction: float) -> None:
    if model.set_radiator_fraction(fraction):
        integ.system_changed()


def _steady(model: SpacecraftFE, integ: Integrator, solve: Callable[[], Sample]) -> Sample:
    """The steady state (``solve``); with a bypass valve, at the share of the flow through the
    radiators that the valve itself asks for at that state, found by bisection (the supply
    temperature falls as the share grows while the valve's share rises with it)."""
    _set_valve(model, integ, 1.0)
    smp = solve()
    if model.bypass is None or model.valve_fraction(smp.loop[0]) >= 1.0:
        return smp
    lo, hi = model.bypass.min_fraction, 1.0
    while hi - lo > VALVE_RESOLUTION * lo:
        mid = 0.5 * (lo + hi)
        _set_valve(model, integ, mid)
        smp = solve()
        lo, hi = (mid, hi) if model.valve_fraction(smp.loop[0]) > mid else (lo, mid)
    return smp


def _run_duration(settings: FESettings, first: Sample, advance, report) -> tuple[list[Sample], dict]:
    """A fixed duration from t = 0; every sample is reported. With a period, the steps land on
    the events of every orbit."""
    D, P = settings.duration_s, settings.period_s
    events = list(settings.event_times_s) if P is None else [
        k * P + e for k in range(int(D // P) + 1) for e in settings.event_times_s]
    samples = [first]
    grid = time_grid(0.0, D, settings.time_step_s, events)
    report(f"{D:,.0f} s in {len(grid)} time steps")
    for k, t in enumerate(grid, 1):
        samples.append(advance(t, _after_event(samples[-1].record.time_s, events)))
        report("time steps", k, len(grid))
    return samples, {}


def run_orbits(settings: FESettings, first: Sample, advance, report, on_orbit) -> tuple[list[Sample], dict]:
    """`orbits` periods, or orbits until the periodic state; the last orbit is reported.
    ``on_orbit(start_s)`` is called as each orbit starts."""
    P = settings.period_s
    periodic = settings.orbits is None
    n_orbits = settings.orbits or settings.max_orbits
    orbit_samples, previous, change, changes = [first], None, math.nan, []
    for orbit in range(n_orbits):
        orbit_samples = orbit_samples[-1:]          # the orbit starts where the last one ended
        on_orbit(orbit * P)
        events = [orbit * P + e for e in settings.event_times_s]
        grid = time_grid(orbit * P, (orbit + 1) * P, settings.time_step_s, events)
        report(_orbit_line(settings, orbit + 1, change))
        for k, t in enumerate(grid, 1):
            orbit_samples.append(advance(t, _after_event(orbit_samples[-1].record.time_s, events)))
            report(f"orbit {orbit + 1}", k, len(grid))
        current = _orbit_temperatures(orbit_samples)
        if previous is not None:
            change = float(np.max(np.abs(current - previous)))
            changes.append(change)
            if periodic and orbit + 1 >= settings.min_orbits and change < settings.periodic_tolerance_K:
                report(f"periodic after orbit {orbit + 1}: orbit-to-orbit change {change:.3g} K within the "
                       f"tolerance {settings.periodic_tolerance_K:.3g} K")
                break
        previous = current
    else:
        if periodic:
            raise no_periodic_state(settings.max_orbits, changes, settings.periodic_tolerance_K)
    return orbit_samples, {"orbits": orbit + 1, "orbit_to_orbit_change_K": change,
                           "orbit_start_s": orbit * P}


def _orbit_line(settings: FESettings, orbit: int, change: float) -> str:
    """What an orbit's progress line says: its number of the run's fixed count, or for a periodic
    run the last orbit-to-orbit change against the tolerance that ends it."""
    if settings.orbits is not None:
        return f"orbit {orbit} of {settings.orbits}"
    tolerance = f"tolerance {settings.periodic_tolerance_K:.3g} K, at least {settings.min_orbits} and " \
                f"at most {settings.max_orbits} orbits"
    if math.isnan(change):
        return f"orbit {orbit}: until the orbit-to-orbit change is within the {tolerance}"
    return f"orbit {orbit}: orbit-to-orbit change {change:.3g} K against the {tolerance}"


def _after_event(t: float, events) -> bool:
    """Whether a step starting at t starts on an event (then the multistep history restarts)."""
    return any(abs(t - e) <= 1e-9 * max(abs(e), 1.0) for e in events)


def _orbit_temperatures(samples: list[Sample]) -> np.ndarray:
    return np.array([np.concatenate([s.T_min, s.T_mean, s.T_max]) for s in samples])


class FieldOutput:
    """The temperature field, gathered on rank 0 and handed to a :class:`FieldSink` every
    ``field_every_n_steps`` steps (and at the first and last sample). With ``last_orbit`` the
    snapshots of the orbit under way are kept in memory and only the last orbit's are handed
    over, on that orbit's clock (from 0, like the reported time series). A failure of the sink on
    rank 0 is raised on every rank."""

    def __init__(self, model: SpacecraftFE, integ: Integrator, settings: FESettings, sink: FieldSink | None,
                 last_orbit: bool):
        self.sink, self.integ, self.every, self.last_orbit = sink, integ, settings.field_every_n_steps, last_orbit
        self.comm = model.comm
        self.steps, self.last_time, self.offset, self.buffer = 0, None, 0.0, []
        if sink is None:
            return
        V = model.system.V
        msh = V.mesh
        n_owned_dofs = V.dofmap.index_map.size_local
        node_of_dof = np.empty(V.dofmap.index_map.size_local + V.dofmap.index_map.num_ghosts, dtype=np.int64)
        node_of_dof[V.dofmap.list.reshape(-1)] = msh.geometry.dofmaps[0].reshape(-1)   # P1 on a P1 mesh
        inputs = np.asarray(msh.geometry.input_global_indices, dtype=np.int64)
        self._dof_inputs = inputs[node_of_dof[:n_owned_dofs]]
        n_cells = msh.topology.index_map(2).size_local
        cells = inputs[msh.geometry.dofmaps[0][:n_cells]]
        geometry = self.comm.gather((inputs, msh.geometry.x, cells, model.cell_tags[:n_cells]), root=0)
        dofs = self.comm.gather(self._dof_inputs, root=0)
        error = None
        if self.comm.rank == 0:
            node_ids = np.concatenate([g[0] for g in geometry])
            order, first = np.unique(node_ids, return_index=True)
            points = np.concatenate([g[1] for g in geometry])[first]
            triangles = np.searchsorted(order, np.concatenate([g[2] for g in geometry]))
            tags = np.concatenate([g[3] for g in geometry])
            self._slots = [np.searchsorted(order, d) for d in dofs]
            self._n_points = len(order)
            error = self._guard(lambda: sink.begin(points, triangles, tags, model.tag_names))
        raise_on_all_ranks(self.comm, error)

    def _guard(self, call) -> Exception | None:
        try:
            call()
        except Exception as err:  # noqa: BLE001 - raised on every rank by the caller
            return err
        return None

    def _values(self) -> np.ndarray | None:
        pieces = self.comm.gather(self.integ.T_owned.copy(), root=0)
        if self.comm.rank != 0:
            return None
        values = np.empty(self._n_points)
        for slots, piece in zip(self._slots, pieces, strict=True):
            values[slots] = piece
        return values

    def new_orbit(self, start_s: float) -> None:
        """An orbit starts (the field is at ``start_s``): with ``last_orbit``, forget the previous one."""
        if self.sink is None or not self.last_orbit:
            return
        values = self._values()
        self.buffer = [(0.0, values)]
        self.offset, self.steps, self.last_time = start_s, 0, start_s

    def __call__(self, t: float, force: bool = False) -> None:
        if self.sink is None:
            return
        if not force:
            self.steps += 1
            if self.steps % self.every:
                return
        if self.last_time == t:
            return
        self.last_time = t
        values = self._values()
        if self.last_orbit:
            self.buffer.append((t - self.offset, values))
            return
        error = self._guard(lambda: self.sink.write(t, values)) if self.comm.rank == 0 else None
        raise_on_all_ranks(self.comm, error)

    def end(self) -> None:
        if self.sink is None:
            return
        error = None
        if self.comm.rank == 0:
            def flush():
                for t, values in self.buffer:
                    self.sink.write(t, values)
                self.sink.end()
            error = self._guard(flush)
        self.buffer = []
        raise_on_all_ranks(self.comm, error)


def _history(model: SpacecraftFE, integ: Integrator, samples: list[Sample], settings: FESettings,
             status: dict, wall_time_s: float) -> ThermalHistory:
    records = [s.record for s in samples]
    # steady state: its powers; else the steps after the first sample, their exact energies
    steps = records if len(records) == 1 else records[1:]
    dt = np.array([r.dt_s if len(records) > 1 else 1.0 for r in steps])
    error = energy_balance_error(dt * [r.absorbed_W + r.generated_W for r in steps],
                                 dt * [r.emitted_W + r.convected_W + r.electric_W for r in steps],
                                 dt * [r.stored_rate_W for r in steps])

    def series(attr):
        return np.array([getattr(r, attr) for r in records])

    def per_part(attr):
        values = np.array([getattr(s, attr) for s in samples])
        return {name: values[:, k] for k, name in enumerate(model.names)}

    stats = {
        "orbit_to_orbit_change_K": status.get("orbit_to_orbit_change_K", math.nan),
        "newton_iterations": integ.newton_iterations,
        "operator_builds": integ.operator_builds,
        "step_cuts": integ.step_cuts,
        "fe_wall_time_s": wall_time_s,
        "linear_solver": settings.linear_solver,
        "scheme": settings.scheme,
    }
    coolant = dict(model.loop_figures)
    if model.loop is not None:
        loop = np.array([s.loop for s in samples])
        coolant.update({"loop_supply_max_K": float(np.max(loop[:, 0])), "loop_return_min_K": float(np.min(loop[:, 1])),
                        "loop_heat_max_W": float(np.max(series("loop_heat_W")))})
    fraction = np.array([s.radiator_fraction for s in samples]) if model.bypass is not None else None
    return ThermalHistory(
        time_s=series("time_s") - status.get("orbit_start_s", 0.0),
        part_T_min_K=per_part("T_min"), part_T_max_K=per_part("T_max"), part_T_mean_K=per_part("T_mean"),
        cold_plate_T_K=np.array([s.cold_plate_K for s in samples]),
        gpu_junction_K=np.array([s.junction_K for s in samples]),
        absorbed_W=series("absorbed_W"), generated_W=series("generated_W"), emitted_W=series("emitted_W"),
        stored_rate_W=series("stored_rate_W"), energy_balance_error=float(error), dofs=model.dofs,
        steps=integ.steps_taken, electric_W=series("electric_W"), orbits=status.get("orbits", 0),
        solver_stats=stats, coolant=coolant, bypass_fraction=fraction,
        heater_W={name: np.array([r.heater_W[k] for r in records])
                  for k, name in enumerate(model.system.heater_names)},
        final_state=integ.T_owned.copy())
