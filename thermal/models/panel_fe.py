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
the series :func:`thermal.models.panel.spreading_rise`, which verifies it);
:func:`panel_fe_extremes` solves the panel at the hottest and the coldest instants of a load
case's orbit as steady states under that instant's loads. What that reading means is stated, not
hidden: at the hottest instant (mid-sun) the panel has sat in the same sun for most of an orbit and
its time constant (minutes to a quarter of an hour: :func:`thermal.models.panel.heat_capacity_J_K`
over its radiation conductance) is short against the sunlit arc, so the steady state is the hot
state; at the coldest instant the eclipse steady state is the temperature the panel tends to and
does not reach in an eclipse of 20-35 minutes, a lower bound on the coldest temperature (its
difference from the network's minimum is printed). The orbit march in finite elements is not done.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import dolfinx_solver  # noqa: F401  (orders MPI ahead of the bindings)

import numpy as np
import ufl
from dolfinx import fem
from dolfinx import mesh as dmesh
from dolfinx.fem import petsc as fem_petsc
from mpi4py import MPI

from thermal.case.panels import PanelArrayCase, PanelSpec
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
from thermal.models.panel import PanelOrbit

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


def panel_fe_extremes(case: PanelArrayCase, orbit: PanelOrbit) -> dict:
    """The FE unit cell at the hottest (the network's junction maximum) and the coldest (the
    network's panel minimum) instants of a load case, each as its steady state (module docstring:
    the cold one is the eclipse's steady state, a lower bound)."""
    panel = case.panel
    n = panel.chips.count
    hot_i = int(np.argmax(orbit.junction_K))
    cold_i = int(np.argmin(orbit.panel_K))
    out = {}
    for label, i in (("hot", hot_i), ("cold", cold_i)):
        chip_W = float(orbit.chip_W[i])
        uniform = (float(orbit.heat_in_W[i]) - n * chip_W) / panel.area_m2
        out[label] = radiating_cell_fe(panel, uniform, chip_W, case.solver.mesh_size_m, float(orbit.panel_K[i]))
    hot, cold = out["hot"], out["cold"]
    return {"junction_max_K": hot.junction_K, "network_junction_K": float(orbit.junction_K[hot_i]),
            "hot_spot_K": hot.hot_spot_K, "hot_time_s": float(orbit.time_s[hot_i]),
            "cold_min_K": cold.coldest_K, "network_cold_K": float(orbit.panel_K[cold_i]),
            "cold_time_s": float(orbit.time_s[cold_i]),
            "energy_balance_error": max(hot.energy_balance_error, cold.energy_balance_error), "dofs": hot.dofs}


__all__ = ["UnitCell", "LinearSpreading", "linear_spreading_fe", "RadiatingCell", "radiating_cell_fe",
           "panel_fe_extremes"]
