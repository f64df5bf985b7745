"""The finite-element model of one panel's unit cell: spreading from a chip footprint (DOLFINx).

The unit cell around one chip (the panel divided by its chip grid; the periodic-array assumption
of :mod:`thermal.models.panel`: insulated symmetry edges) is a 2-D shell of sheet conductance
``k t`` (the substrate's effective in-plane conductivity times its thickness; orthotropic in
the sense of :class:`thermal.case.panels.Substrate`: the through-thickness conduction is not
resolved), radiating from both faces:

    div(k t grad T) - (eps_f + eps_b) sigma T^4 + q_uniform + q_chip(x, y) = 0

with ``q_uniform`` the heat that enters the panel evenly (absorbed sunlight and Earth's fluxes,
less the electricity the cells send to the chips and the battery) and ``q_chip`` the chip's power
over its centred square footprint. Lagrange P1 on a structured triangle mesh (crossed diagonals)
whose lines are mapped onto the footprint's edges; Newton's method on the T^4 term (its exact derivative 4 T^3).

:func:`linear_spreading_fe` solves the same cell with a linear film coefficient (the problem of
the series :func:`thermal.models.panel.spreading_rise`, which verifies it); :func:`radiating_cell_fe`
the steady radiating cell under constant loads.

:func:`panel_fe_orbit` marches the cell over the orbit (:class:`PanelCellFE`: the cell as a
:class:`thermal.models.fe.system.HeatSystem` with the bus model's implicit integrator, variable-step
BDF2 landing on the eclipse's entry and exit, and its loop to the periodic state,
:func:`thermal.models.fe.model.run_orbits`):

    C_A dT/dt - div(k t grad T) + (eps_f + eps_b) sigma T^4 = q_env(t) - q_el(t) + q_batt(t) + q_chip(x, y, t)

with ``C_A`` the panel's areal heat capacity (substrate, cells and battery evenly; the chip and its
board on the footprint), ``q_env`` the environment the network's :func:`thermal.models.panel.panel_fluxes`
gives (both faces), ``q_el`` the electricity the cells send out of the substrate (to the chips
and the battery; with ``output: export`` the cells' output at the efficiency of the cell's mean
one step earlier), ``q_batt`` the battery's losses (evenly: the battery spread over the back) and
``q_chip`` the eclipse strategy's chip power on its footprint: the same terms as the network's
node, placed where they land. The junction is the footprint mean plus the chip's power through
its junction-to-panel resistance (the die is not meshed). The energy audit of every step uses the
scheme's own discrete derivative (absorbed + generated = emitted + electric + stored).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import dolfinx_solver  # noqa: F401  (orders MPI ahead of the bindings)

import numpy as np
import ufl
from dolfinx import fem
from dolfinx import mesh as dmesh
from dolfinx.fem import petsc as fem_petsc
from mpi4py import MPI

from thermal.case.panels import PanelSolver, PanelSpec
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
from thermal.models.fe.model import FESettings, FieldOutput, Sample, run_orbits
from thermal.models.fe.system import HeatSystem, Integrator, StepRecord, single_threaded_blas
from thermal.models.history import energy_balance_error
from thermal.models.panel import PanelFluxes, Schedule, panel_efficiency

_PETSC = {"ksp_type": "preonly", "pc_type": "lu"}


def _divisions(length_m: float, footprint_m: float, target_m: float) -> int:
    """Cells along a side: an even count near ``length_m / target_m``, with at least two cells across
    the footprint (its edges are then put on grid lines, :func:`_aligned`)."""
    n = max(4, 2 * math.ceil(length_m / target_m / 2))
    while round(n * footprint_m / length_m) < 2:
        n += 2
    return n


def _aligned(s: np.ndarray, length_m: float, footprint_m: float, n: int) -> np.ndarray:
    """Map a uniform grid on [0, L] piecewise linearly so that its lines fall on the centred
    footprint's edges (L - c)/2 and (L + c)/2 (node k and n - k, k the nearest whole number)."""
    inside = max(2, 2 * round(n * footprint_m / length_m / 2)) if n % 2 == 0 else 2
    k = (n - inside) // 2
    knots_s = [0.0, k / n * length_m, (n - k) / n * length_m, length_m]
    knots_x = [0.0, (length_m - footprint_m) / 2, (length_m + footprint_m) / 2, length_m]
    return np.interp(s, knots_s, knots_x)


@dataclass
class UnitCell:
    """The unit cell's mesh, space, footprint indicator and forms' common parts."""

    pitch_m: tuple[float, float]
    footprint_m: float
    divisions: tuple[int, int]

    def __post_init__(self):
        a, b = self.pitch_m
        self.mesh = dmesh.create_rectangle(MPI.COMM_WORLD, [[0.0, 0.0], [a, b]], list(self.divisions),
                                           dmesh.CellType.triangle, diagonal=dmesh.DiagonalType.crossed)
        x = self.mesh.geometry.x
        x[:, 0] = _aligned(x[:, 0], a, self.footprint_m, self.divisions[0])
        x[:, 1] = _aligned(x[:, 1], b, self.footprint_m, self.divisions[1])
        self.V = fem.functionspace(self.mesh, ("Lagrange", 1))
        Q = fem.functionspace(self.mesh, ("DG", 0))
        self.chi = fem.Function(Q)
        half = 0.5 * self.footprint_m
        self.chi.interpolate(lambda x: ((np.abs(x[0] - a / 2) <= half + 1e-12)
                                        & (np.abs(x[1] - b / 2) <= half + 1e-12)).astype(float))
        self.dx = ufl.Measure("dx", domain=self.mesh)

    @property
    def dofs(self) -> int:
        return self.V.dofmap.index_map.size_global

    def integral(self, form) -> float:
        return self.mesh.comm.allreduce(fem.assemble_scalar(fem.form(form)), op=MPI.SUM)

    def centre_value(self, u: fem.Function) -> float:
        a, b = self.pitch_m
        x = self.V.tabulate_dof_coordinates()
        local = np.flatnonzero(np.hypot(x[:, 0] - a / 2, x[:, 1] - b / 2) < 1e-9 * max(a, b))
        value = float(u.x.array[local[0]]) if local.size else -math.inf
        return self.mesh.comm.allreduce(value, op=MPI.MAX)

    def footprint_mean(self, u: fem.Function) -> float:
        return self.integral(self.chi * u * self.dx) / self.integral(self.chi * self.dx)

    def maximum(self, u: fem.Function) -> float:
        return self.mesh.comm.allreduce(float(u.x.array.max()), op=MPI.MAX)

    def minimum(self, u: fem.Function) -> float:
        return self.mesh.comm.allreduce(float(u.x.array.min()), op=MPI.MIN)


@dataclass(frozen=True)
class LinearSpreading:
    peak_rise_K: float          # at the footprint's centre
    footprint_rise_K: float     # averaged over the footprint
    mean_rise_K: float
    energy_balance_error: float
    dofs: int


def linear_spreading_fe(pitch_m: tuple[float, float], footprint_m: float, conductance_W_K: float, h_W_m2K: float,
                        power_W: float, divisions: tuple[int, int]) -> LinearSpreading:
    """The unit cell with a linear film ``h`` (both faces together): k t lap(theta) - h theta + q = 0."""
    cell = UnitCell(pitch_m, footprint_m, divisions)
    u, v = ufl.TrialFunction(cell.V), ufl.TestFunction(cell.V)
    q = power_W / footprint_m ** 2
    a_form = conductance_W_K * ufl.inner(ufl.grad(u), ufl.grad(v)) * cell.dx + h_W_m2K * u * v * cell.dx
    L_form = q * cell.chi * v * cell.dx     # the footprint on mesh lines: the integral of chi is c^2
    theta = fem_petsc.LinearProblem(a_form, L_form, petsc_options=_PETSC,
                                    petsc_options_prefix="panel_linear_").solve()
    if isinstance(theta, tuple):
        theta = theta[0]
    area = pitch_m[0] * pitch_m[1]
    rejected = cell.integral(h_W_m2K * theta * cell.dx)
    mean = cell.integral(theta * cell.dx) / area
    return LinearSpreading(cell.centre_value(theta) - mean, cell.footprint_mean(theta) - mean, mean,
                           abs(rejected - power_W) / power_W, cell.dofs)


@dataclass(frozen=True)
class RadiatingCell:
    junction_K: float           # footprint mean + P R_junction_to_panel
    hot_spot_K: float
    coldest_K: float
    mean_K: float
    energy_balance_error: float
    newton_iterations: int
    dofs: int


def radiating_cell_fe(panel: PanelSpec, uniform_W_m2: float, chip_W: float, mesh_size_m: float,
                      initial_K: float = 300.0, tolerance_K: float = 1e-8) -> RadiatingCell:
    """The unit cell radiating from both faces to deep space (0 K sink; the environment's fluxes
    are in ``uniform_W_m2``), the chip's power on its footprint; steady, Newton on T^4."""
    a, b = panel.cell_pitch_m
    c = panel.chips.footprint_m
    cell = UnitCell((a, b), c, (_divisions(a, c, mesh_size_m), _divisions(b, c, mesh_size_m)))
    kt = panel.substrate.conductivity_W_mK * panel.substrate.thickness_m
    eps_sigma = (panel.front.emissivity + panel.back.emissivity) * STEFAN_BOLTZMANN_W_M2K4
    T = fem.Function(cell.V)
    T.x.array[:] = initial_K
    T0 = fem.Function(cell.V)
    u, v = ufl.TrialFunction(cell.V), ufl.TestFunction(cell.V)
    q_chip = chip_W / cell.integral(cell.chi * cell.dx)   # the chip's power exactly, on the cells it covers
    # Newton: eps sigma T^4 ~ eps sigma (T0^4 + 4 T0^3 (T - T0)) = eps sigma (4 T0^3 T - 3 T0^4)
    a_form = kt * ufl.inner(ufl.grad(u), ufl.grad(v)) * cell.dx + 4 * eps_sigma * T0 ** 3 * u * v * cell.dx
    L_form = (uniform_W_m2 + q_chip * cell.chi + 3 * eps_sigma * T0 ** 4) * v * cell.dx
    problem = fem_petsc.LinearProblem(a_form, L_form, u=T, petsc_options=_PETSC, petsc_options_prefix="panel_rad_")
    iterations, change = 0, math.inf
    while change >= tolerance_K:
        if iterations == 60:
            raise RuntimeError(f"panel FE: Newton did not converge (last change {change:.2e} K)")
        T0.x.array[:] = T.x.array
        problem.solve()
        iterations += 1
        change = cell.mesh.comm.allreduce(float(np.max(np.abs(T.x.array - T0.x.array))), op=MPI.MAX)
    area = a * b
    source = uniform_W_m2 * area + chip_W
    emitted = cell.integral(eps_sigma * T ** 4 * cell.dx)
    return RadiatingCell(cell.footprint_mean(T) + chip_W * panel.chips.junction_to_panel_K_W, cell.maximum(T),
                         cell.minimum(T), cell.integral(T * cell.dx) / area,
                         abs(emitted - source) / max(abs(source), emitted), iterations, cell.dofs)


class PanelCellFE:
    """The unit cell as a :class:`thermal.models.fe.system.HeatSystem`, for the time march.

    Per unit area: the sheet conductance ``k t`` of the substrate, the panel's areal heat capacity
    (substrate, cells and the battery spread evenly over the panel, :func:`thermal.models.panel.heat_capacity_J_K`
    less the chips) and the chip's own heat capacity (die and board) on its footprint; emission
    ``(eps_f + eps_b) sigma T^4`` to space from both faces. Four load columns, whose amplitudes the
    orbit march sets at every time: the absorbed environment [W/m^2, over the cell], the electricity
    the cells send out of the substrate [W per cell, evenly: the cells cover the front], the battery's
    losses [W per cell, evenly] and the chip's power [W, on its footprint]."""

    def __init__(self, panel: PanelSpec, mesh_size_m: float, areal_capacity_J_m2K: float, chip_capacity_J_K: float):
        a, b = panel.cell_pitch_m
        c = panel.chips.footprint_m
        self.panel = panel
        self.cell = UnitCell((a, b), c, (_divisions(a, c, mesh_size_m), _divisions(b, c, mesh_size_m)))
        msh = self.cell.mesh
        self.comm = msh.comm
        tdim = msh.topology.dim
        n_cells = msh.topology.index_map(tdim).size_local + msh.topology.index_map(tdim).num_ghosts
        mid = dmesh.compute_midpoints(msh, tdim, np.arange(n_cells, dtype=np.int32))
        inside = ((np.abs(mid[:, 0] - a / 2) < c / 2) & (np.abs(mid[:, 1] - b / 2) < c / 2)).astype(float)
        t = panel.substrate.thickness_m
        self.area_m2 = a * b
        capacity = (areal_capacity_J_m2K + inside * chip_capacity_J_K / c ** 2) / t
        self.system = HeatSystem(msh, np.full(n_cells, panel.substrate.conductivity_W_mK), capacity,
                                 thickness_m=np.full(n_cells, t))
        s = self.system
        area = s.cell_weights(np.ones(n_cells))
        footprint = s.cell_weights(inside)
        self.footprint_m2 = s.sum(footprint)
        s.add_emission((panel.front.emissivity + panel.back.emissivity) * area)
        s.add_load("absorbed", "absorbed", area)
        s.add_load("electric", "electric", area / self.area_m2)
        s.add_load("battery", "generated", area / self.area_m2)
        s.add_load("chip", "generated", footprint / self.footprint_m2)
        s.finalize()
        self._mean = np.column_stack([area / self.area_m2, footprint / self.footprint_m2])
        self.cell_tags = inside.astype(np.int32)[: msh.topology.index_map(tdim).size_local]
        self.tag_names = {"panel": 0, "chip footprint": 1}

    @property
    def dofs(self) -> int:
        return self.system.dofs_global

    def observe(self, T: np.ndarray, record: StepRecord, amplitudes: np.ndarray) -> Sample:
        """The cell's coldest point, its mean and its footprint's mean, its hottest point; the
        junction is the footprint mean plus the chip's power through its junction-to-panel resistance."""
        lo = self.comm.allreduce(float(T.min()) if T.size else math.inf, op=MPI.MIN)
        hi = self.comm.allreduce(float(T.max()) if T.size else -math.inf, op=MPI.MAX)
        mean, footprint = self.system.column_dot(self._mean, T)
        chip_W = float(amplitudes[3])
        return Sample(record, np.array([lo]), np.array([hi]), np.array([mean, footprint]), footprint,
                      footprint + chip_W * self.panel.chips.junction_to_panel_K_W, (math.nan, math.nan))

    def integrator(self, amplitudes, initial_K: float, newton_rtol: float = 1e-10) -> Integrator:
        """Variable-step BDF2 on the cell (MUMPS: the cell has a few thousand unknowns)."""
        return Integrator(self.system, amplitudes, initial_K, scheme="bdf2", newton_rtol=newton_rtol,
                          linear_solver="lu")

    def destroy(self) -> None:
        self.system.destroy()


@dataclass(frozen=True)
class PanelFEOrbit:
    """The FE unit cell over its periodic orbit (the last one, on the clock of the network's orbit)."""

    time_s: np.ndarray
    junction_K: np.ndarray       # footprint mean + P R_junction_to_panel
    hot_spot_K: np.ndarray       # hottest point of the cell (under the chip)
    coldest_K: np.ndarray        # coldest point of the cell (its corners)
    mean_K: np.ndarray
    energy_balance_error: float  # over the last orbit (thermal.models.history.energy_balance_error)
    energy_J: dict               # the last orbit's absorbed, generated, electric, emitted and stored energy [J]
    orbits: int
    orbit_to_orbit_change_K: float
    steps: int                   # time steps in the last orbit
    dofs: int

    @property
    def junction_swing_K(self) -> float:
        return float(self.junction_K.max() - self.junction_K.min())


def sunlit_events_s(fluxes: PanelFluxes) -> tuple[float, ...]:
    """The times within the orbit at which the chips' sunlit schedule switches (where the
    interpolated direct sun of :meth:`PanelFluxes.at` crosses its threshold): the steps land on them."""
    s, t = fluxes.solar_W_m2, fluxes.time_s
    threshold = fluxes.sunlit_threshold_W_m2
    n = s.size
    dt = fluxes.period_s / n
    out = []
    for k in range(n):
        k1 = (k + 1) % n
        if (s[k] > threshold) != (s[k1] > threshold):
            out.append(float(t[k] + dt * (threshold - s[k]) / (s[k1] - s[k])))
    return tuple(sorted(out))


def orbit_amplitudes(panel: PanelSpec, fluxes: PanelFluxes, sched: Schedule, mission_years: float,
                     mean_K) -> Callable[[float], np.ndarray]:
    """The cell's four load amplitudes at time t (:class:`PanelCellFE`), the same terms as the
    network's (:func:`thermal.models.panel.run_panel_orbit`) split by where they land: in sun the
    cells send the chips' power and the battery's charge out of the substrate, the chips return
    theirs on the footprint and the charging losses return evenly; in eclipse the battery's
    chemical power returns as the chips' heat and its losses. With ``output: export`` the cells'
    output leaves the panel at the cell efficiency of the cell's mean temperature one step earlier
    (``mean_K()``: the efficiency lagged by a step; the energy audit is exact all the same)."""
    n = panel.chips.count

    def amplitudes(t: float) -> np.ndarray:
        solar, absorbed, sunlit = fluxes.at(t)
        if panel.output == "export":
            electric = float(panel_efficiency(panel, mean_K(), mission_years)) * solar * panel.area_m2
            battery, chips = 0.0, 0.0
        elif sunlit:
            electric = sched.compute_sun_W + sched.charge_W
            battery, chips = sched.charge_W * (1.0 - sched.charge_efficiency), sched.compute_sun_W
        else:
            electric = 0.0
            battery, chips = sched.battery_chemical_W - sched.compute_eclipse_W, sched.compute_eclipse_W
        return np.array([absorbed, -electric / n, battery / n, chips / n])

    return amplitudes


def panel_fe_orbit(panel: PanelSpec, fluxes: PanelFluxes, sched: Schedule, heat_capacity: float,
                   mission_years: float, solver: PanelSolver, initial_K: float, progress=None,
                   fields=None, field_every_steps: int = 10, field_orbits: str = "last") -> PanelFEOrbit:
    """March the FE unit cell over orbits until the orbit-to-orbit change of its coldest, mean,
    footprint-mean and hottest temperatures is below ``solver.periodic_tolerance_K`` (at least
    ``solver.orbits``, at most ``solver.max_orbits``: :func:`thermal.models.fe.model.run_orbits`,
    the bus model's loop), steps of at most ``solver.time_step_s`` landing on the eclipse's entry
    and exit; from the uniform ``initial_K``. ``heat_capacity`` is the panel node's
    (:func:`thermal.models.panel.heat_capacity_J_K`); the chips' share goes on their footprints.
    ``fields`` (a :class:`thermal.models.fe.model.FieldSink`) gets the field every
    ``field_every_steps`` steps over the last orbit on its clock (``field_orbits`` 'last') or over
    the whole run ('all'); its mesh's cells are tagged ``panel`` and ``chip footprint``."""
    chips_J_K = panel.chips.mass_kg * panel.chips.specific_heat_J_kgK
    areal = (heat_capacity - panel.chips.count * chips_J_K) / panel.area_m2
    model = PanelCellFE(panel, solver.mesh_size_m, areal, chips_J_K)
    state = {"mean_K": initial_K}
    integ = model.integrator(orbit_amplitudes(panel, fluxes, sched, mission_years, lambda: state["mean_K"]),
                             initial_K)
    settings = FESettings(time_step_s=solver.time_step_s, period_s=fluxes.period_s,
                          periodic_tolerance_K=solver.periodic_tolerance_K, min_orbits=solver.orbits,
                          max_orbits=solver.max_orbits, event_times_s=sunlit_events_s(fluxes),
                          field_every_n_steps=field_every_steps, field_orbits=field_orbits)
    report = progress or (lambda text, done=None, total=None: None)
    try:
        with single_threaded_blas():
            writer = FieldOutput(model, integ, settings, fields,   # type: ignore[arg-type]
                                 last_orbit=field_orbits == "last")

            def advance(t: float, restart: bool) -> Sample:
                record = integ.advance(t, restart)
                smp = model.observe(integ.T_owned, record, integ.last_amplitudes)
                state["mean_K"] = float(smp.T_mean[0])
                writer(t)
                return smp

            record = integ.instantaneous_audit()
            first = model.observe(integ.T_owned, record, integ.last_amplitudes)
            samples, status = run_orbits(settings, first, advance, report, writer.new_orbit)
            writer(integ.t, force=True)
            writer.end()
    finally:
        integ.close()
        model.destroy()
    steps = [s.record for s in samples[1:]]
    dt = np.array([r.dt_s for r in steps])
    balance = energy_balance_error(dt * [r.absorbed_W + r.generated_W for r in steps],
                                   dt * [r.emitted_W + r.electric_W for r in steps],
                                   dt * [r.stored_rate_W for r in steps])
    energy = {k: float(dt @ [getattr(r, f"{k}_W") for r in steps])
              for k in ("absorbed", "generated", "electric", "emitted")}
    energy["stored"] = float(dt @ [r.stored_rate_W for r in steps])
    return PanelFEOrbit(np.array([s.record.time_s for s in samples]) - status["orbit_start_s"],
                        np.array([s.junction_K for s in samples]), np.array([s.T_max[0] for s in samples]),
                        np.array([s.T_min[0] for s in samples]), np.array([s.T_mean[0] for s in samples]),
                        balance, energy, status["orbits"], status["orbit_to_orbit_change_K"], len(steps), model.dofs)


__all__ = ["UnitCell", "LinearSpreading", "linear_spreading_fe", "RadiatingCell", "radiating_cell_fe",
           "PanelCellFE", "PanelFEOrbit", "sunlit_events_s", "orbit_amplitudes", "panel_fe_orbit"]
