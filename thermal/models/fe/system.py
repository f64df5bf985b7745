"""The discrete heat equation on one mesh, and its implicit time integration.

This is the engine under :mod:`thermal.models.fe.model`; it knows cells, facets and load vectors, not parts.

Semi-discrete system (P1 Lagrange, SI units, one row per node i)::

    M dT/dt + K T + D T + sigma e * T^4 + U C V^T T + X(T^4) = L s(t)

- ``M``: capacity, ``int rho c t phi_i phi_j`` (shells: t = thickness; solids: t = 1).
- ``K``: conduction, ``int t (k grad phi_i . grad phi_j + dk (a . grad phi_i)(a . grad phi_j))``;
  ``grad`` on a shell mesh (tdim 2, gdim 3) is the tangential gradient, ``a`` an in-plane unit
  direction with extra conductivity ``dk`` (orthotropic heat-pipe panels).
- ``D``: diagonal film conductances (convection to an ambient, the pumped-loop film).
- ``e``: emission weights ``int eps phi_i`` (shell cells, both sides summed, or solid facets).
- ``U C V^T``: constant low-rank couplings (pumped-loop fluid, lumped joints and heat-pipe links).
- ``X(T^4)``: radiation between inner surfaces (local emission, area-mean absorption).
- ``L s(t)``: load columns (absorbed flux per side, heat per part or footprint, electric power
  taken out (negative amplitude), ambient temperature of a film, heat carried by the loop) times
  their time-dependent amplitudes.

Design for speed: ``M`` and ``K`` are assembled once. Every surface term is integrated with
vertex quadrature (the row-sum "lumped" form; exact for the constant-density loads, and
second-order accurate for T^4, so the P1 convergence order is kept), which makes the radiation
Jacobian diagonal and lets a residual be evaluated with one sparse product and numpy: no form
is assembled inside the time loop. The Newton operator ``A = a0 M + K + D + diag(4 sigma e
T_ref^3)`` is built once per step coefficient ``a0`` and kept (a few are cached, for the
shorter steps that land on events); its preconditioner (block-Jacobi ICC(0) by default, or
GAMG, Jacobi) or its MUMPS factorization is reused over iterations and steps. With CG the
Krylov solve runs on the current Jacobian (the diagonal of a copy of ``A`` is updated in place,
which costs nothing), with LU the iteration is lagged and the operator is rebuilt when the
residual stops falling fast. The low-rank couplings are applied exactly through the
Sherman-Morrison-Woodbury identity with ``X = A^{-1} U`` computed once per operator. Measured
in ``benchmarks/README.md``: about one to two Newton iterations per step.

Time schemes: backward Euler and variable-step BDF2 (a step more than twice its predecessor
falls back to backward Euler). The energy audit uses the scheme's own discrete time derivative,
``stored = 1^T M (a0 T^{n+1} + a1 T^n + a2 T^{n-1})``, so absorbed + generated - emitted -
convected - stored vanishes to the Newton tolerance in every step.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import dolfinx_solver  # noqa: F401  (orders MPI ahead of the bindings)

import numpy as np
import scipy.linalg
import scipy.sparse
import ufl
from dolfinx import fem
from dolfinx import mesh as dmesh
from dolfinx.fem import petsc as fem_petsc
from mpi4py import MPI
from petsc4py import PETSc

from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA
from thermal.core.errors import InfeasibleError

LOAD_KINDS = ("absorbed", "generated", "electric", "ambient", "loop")
LINEAR_SOLVERS = ("lu", "cg_icc", "cg_gamg", "cg_jacobi")
SCHEMES = ("backward_euler", "bdf2")
VERTEX_QUADRATURE = {"quadrature_rule": "vertex", "quadrature_degree": 1}


@dataclass
class StepRecord:
    """Energy audit and solver figures of one accepted step (or of a steady solve), whole mesh."""
    time_s: float
    dt_s: float
    newton_iterations: int
    absorbed_W: float
    generated_W: float             # heat sources, the loop's heat into the mesh included
    emitted_W: float               # to space
    convected_W: float             # to film ambients (zero on a spacecraft)
    electric_W: float              # electric power taken out (solar arrays)
    stored_rate_W: float           # 1^T M (discrete dT/dt)
    loop_heat_W: float             # heat the loop puts into the mesh (0 without loop)
    heater_W: np.ndarray = field(default_factory=lambda: np.zeros(0))   # each heater's power (in generated_W)

    @property
    def imbalance_W(self) -> float:
        return (self.absorbed_W + self.generated_W - self.emitted_W - self.convected_W - self.electric_W
                - self.stored_rate_W)


class HeatSystem:
    """Constant operators and load vectors of the heat equation on one mesh.

    Parameters
    ----------
    msh : DOLFINx mesh: triangle shells (tdim 2, gdim 3) or solids (tdim = gdim)
    conductivity_W_mK, heat_capacity_J_m3K : per local cell (owned and ghost) [W/m/K], [J/m^3/K]
    thickness_m : per local cell [m] for shells; None for solids
    axial_direction : (cells, gdim) unit in-plane direction of extra conductivity, or None
    axial_extra_conductivity_W_mK : per cell, conductivity added along that direction [W/m/K]
    """

    def __init__(self, msh: dmesh.Mesh, conductivity_W_mK: np.ndarray, heat_capacity_J_m3K: np.ndarray,
                 thickness_m: np.ndarray | None = None, axial_direction: np.ndarray | None = None,
                 axial_extra_conductivity_W_mK: np.ndarray | None = None):
        self.mesh = msh
        self.comm = msh.comm
        tdim, gdim = msh.topology.dim, msh.geometry.dim
        msh.topology.create_connectivity(tdim - 1, tdim)
        self.V = fem.functionspace(msh, ("Lagrange", 1))
        self.Q = fem.functionspace(msh, ("DG", 0))
        cmap = msh.topology.index_map(tdim)
        self.num_cells_local = cmap.size_local + cmap.num_ghosts
        self.n_owned = self.V.dofmap.index_map.size_local
        self.dofs_global = self.V.dofmap.index_map.size_global

        k = self.cell_function(conductivity_W_mK)
        rc = self.cell_function(heat_capacity_J_m3K)
        t = self.cell_function(np.ones(self.num_cells_local) if thickness_m is None else thickness_m)
        u, v = ufl.TrialFunction(self.V), ufl.TestFunction(self.V)
        conduction = k * ufl.inner(ufl.grad(u), ufl.grad(v))
        if axial_direction is not None:
            a = fem.Function(fem.functionspace(msh, ("DG", 0, (gdim,))))
            a.x.array[:] = np.asarray(axial_direction, float)[: self.num_cells_local].ravel()
            a.x.scatter_forward()
            dk = self.cell_function(axial_extra_conductivity_W_mK)
            conduction = conduction + dk * ufl.dot(a, ufl.grad(u)) * ufl.dot(a, ufl.grad(v))
        self.M = _assembled(rc * t * u * v * ufl.dx)
        self.K = _assembled(t * conduction * ufl.dx)
        # B maps cell densities (DG0) to lumped nodal loads int_cell density phi_i
        self._B = _assembled(ufl.TrialFunction(self.Q) * v * ufl.dx(metadata=VERTEX_QUADRATURE))
        self._cell_density = fem.Function(self.Q)
        self._facet_weight = fem.Constant(msh, 0.0)
        self.capacity_weights = _product(self.M, np.ones(self.n_owned))  # M 1 = int rho c t phi_i

        self.load_names: list[str] = []
        self.load_kinds: list[str] = []
        self._load_columns: list[np.ndarray] = []
        self.emission = np.zeros(self.n_owned)          # int eps phi_i, to space
        self.ambient_film = np.zeros(self.n_owned)      # int h phi_i, convection to an ambient
        self.loop_film = np.zeros(self.n_owned)         # int h_loop phi_i
        self.lowrank: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.exchange: tuple[np.ndarray, np.ndarray] | None = None
        self.exchange_emission = np.zeros(self.n_owned)
        self.exchange_version = 0
        self._schedule = None
        self._schedule_w: np.ndarray | None = None
        self._heaters: list[tuple[str, np.ndarray, np.ndarray, object]] = []
        self._heater_coldest: list[np.ndarray | None] = []
        self.heater_names: list[str] = []
        self._frozen = False

    # ---- building ---------------------------------------------------------------------------
    def cell_function(self, values: np.ndarray) -> fem.Function:
        f = fem.Function(self.Q)
        f.x.array[:] = np.asarray(values, float)[: self.num_cells_local]
        f.x.scatter_forward()
        return f

    def cell_weights(self, density_per_cell: np.ndarray) -> np.ndarray:
        """Owned nodal vector int density phi_i over the cells (density per local cell)."""
        self._cell_density.x.array[:] = np.asarray(density_per_cell, float)[: self.num_cells_local]
        self._cell_density.x.scatter_forward()
        out = self._B.createVecLeft()
        self._B.mult(self._cell_density.x.petsc_vec, out)
        values = out.array.copy()
        out.destroy()
        return values

    def facet_weights(self, facets: np.ndarray, weight: float = 1.0) -> np.ndarray:
        """Owned nodal vector weight * int phi_i over the given exterior facets (local indices)."""
        fdim = self.mesh.topology.dim - 1
        facets = np.unique(np.asarray(facets, dtype=np.int32))
        tags = dmesh.meshtags(self.mesh, fdim, facets, np.ones(len(facets), dtype=np.int32))
        self._facet_weight.value = weight
        ds = ufl.Measure("ds", domain=self.mesh, subdomain_data=tags, metadata=VERTEX_QUADRATURE)
        vec = fem_petsc.assemble_vector(fem.form(self._facet_weight * ufl.TestFunction(self.V) * ds(1)))
        vec.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        values = vec.array[: self.n_owned].copy()
        vec.destroy()
        return values

    def add_load(self, name: str, kind: str, weights: np.ndarray) -> int:
        """A load column: nodal vector times a time amplitude. Returns the column index."""
        if kind not in LOAD_KINDS:
            raise ValueError(f"load kind must be one of {LOAD_KINDS}, got {kind!r}")
        self._check_open()
        self.load_names.append(name)
        self.load_kinds.append(kind)
        self._load_columns.append(np.asarray(weights, float))
        return len(self.load_names) - 1

    def add_emission(self, weights: np.ndarray) -> None:
        """Radiation to space: weights = int eps phi_i of a radiating side or boundary."""
        self._check_open()
        self.emission += weights

    def add_ambient_film(self, name: str, weights: np.ndarray) -> int:
        """Convection h (T - T_amb(t)) with weights = int h phi_i; amplitude of the column: T_amb [K]."""
        self._check_open()
        self.ambient_film += weights
        return self.add_load(name, "ambient", weights)

    def add_lowrank(self, name: str, U: np.ndarray, C: np.ndarray, Vt: np.ndarray) -> None:
        """Linear coupling: residual term U C (V^T T), with U, V (owned nodes x r), C (r x r).

        U and V are kept sparse (their columns live on a region each)."""
        self._check_open()
        self.lowrank[name] = (scipy.sparse.csr_array(U), np.atleast_2d(np.asarray(C, float)),
                              scipy.sparse.csr_array(Vt))

    def add_link(self, name: str, weights_a: np.ndarray, weights_b: np.ndarray, conductance_W_K: float) -> None:
        """A lumped conductance between the area-mean temperatures of two regions.

        weights_a, weights_b: normalised area vectors (int phi_i / A, summing to 1), so the heat
        G (Ta - Tb) leaves region a and enters region b spread uniformly over their areas."""
        u = (np.asarray(weights_a, float) - np.asarray(weights_b, float))[:, None]
        self.add_lowrank(name, u, np.array([[float(conductance_W_K)]]), u)

    def add_node(self, name: str, weights: list[np.ndarray], conductances_W_K) -> int:
        """A massless lumped node (a GPU module) joined to regions by conductances.

        weights: normalised area vectors of the regions; the heat put into the node (the
        amplitude of the returned load column) leaves it at once, G_k (T_node - T_k) to region k
        with T_node = (P + sum_l G_l T_l) / sum_l G_l: the node is eliminated exactly, leaving a
        low-rank coupling U (diag(G) - G G^T / sum G) U^T and the load U G P / sum G."""
        U = np.column_stack(weights)
        G = np.asarray(conductances_W_K, float)
        self.add_lowrank(name, U, np.diag(G) - np.outer(G, G) / G.sum(), U)
        return self.add_load(name, "generated", U @ (G / G.sum()))

    def add_loop(self, U: np.ndarray, W: np.ndarray, Vt: np.ndarray, film_weights: np.ndarray,
                 heat_weights: np.ndarray) -> int:
        """The pumped loop (see :mod:`thermal.models.fe.loop`): flux U (W V^T T + w_Q Q) - film T.

        U: band flux vectors (h_j int_band phi_i); Vt: band averaging vectors; W: fluid inlet
        temperature of each band per band temperature; film_weights: sum_j h_j int_band phi_i;
        heat_weights: U w_Q, the load column whose amplitude is the heat Q of the cold plates."""
        self._check_open()
        self.add_lowrank("loop", U, -np.asarray(W, float), Vt)
        self.loop_film += film_weights
        return self.add_load("loop", "loop", heat_weights)

    def add_radiative_exchange(self, U: np.ndarray, R_m2: np.ndarray) -> None:
        """Radiation between inner surfaces with gray-body factors R_ij [m^2] (symmetric).

        U: (owned nodes x n) normalised area vectors of the n surfaces. Each surface element emits
        sigma (sum_j R_ij / A_i) T(x)^4 and receives sigma sum_j R_ij <T^4>_j / A_i spread over its
        surface (<.>_j: area mean), so sum_ij R_ij (<T^4>_i - <T^4>_j) = 0: nothing is lost."""
        self._check_open()
        R = np.array(R_m2, float)
        np.fill_diagonal(R, 0.0)
        if not np.allclose(R, R.T):
            raise ValueError("gray-body factors must be symmetric (reciprocity)")
        self.exchange = (scipy.sparse.csr_array(U), R)
        self.exchange_emission = self.exchange[0] @ R.sum(axis=1)

    def add_exchange_schedule(self, weights, delta_R_m2: np.ndarray, delta_emission: np.ndarray) -> None:
        """Radiation that follows the time (moving wings): at time t the exchange's factors are
        R + sum_k w_k(t) delta_R_m2[k] and the emission weights e + delta_emission @ w(t), with the
        weights ``weights(t)`` (K,) (:class:`thermal.exchange.WingSchedule`); delta_R_m2 (K, n, n)
        over the columns of :meth:`add_radiative_exchange`, symmetric; delta_emission (owned, K).
        :meth:`at_time` sets them; the static terms hold between (a steady solve)."""
        self._check_open()
        if self.exchange is None:
            raise ValueError("add_radiative_exchange before add_exchange_schedule")
        self._schedule = (weights, np.asarray(delta_R_m2, float), np.asarray(delta_emission, float))
        self._exchange_static = (self.exchange[1], self.emission.copy())

    def exchange_matrices(self) -> list[np.ndarray]:
        """The exchange's factors now and, with a schedule, at every scheduled position."""
        if self.exchange is None:
            return []
        if self._schedule is None:
            return [self.exchange[1]]
        R0 = self._exchange_static[0]
        return [self.exchange[1], *(R0 + dR for dR in self._schedule[1])]

    def at_time(self, t: float | None) -> None:
        """Set the scheduled radiation terms (:meth:`add_exchange_schedule`) to time t (None: the
        static ones); the exchange's version counts the changes (operators re-form its block)."""
        if self._schedule is None or self.exchange is None:
            return
        weights, dR, dE = self._schedule
        w = None if t is None else np.asarray(weights(t), float)
        if (w is None and self._schedule_w is None) or (
                w is not None and self._schedule_w is not None and np.array_equal(w, self._schedule_w)):
            return
        R0, e0 = self._exchange_static
        R = R0 if w is None else R0 + np.tensordot(w, dR, axes=1)
        self.exchange = (self.exchange[0], R)
        self.exchange_emission = self.exchange[0] @ R.sum(axis=1)
        self.emission = e0 if w is None else e0 + dE @ w
        self._schedule_w = w
        self.exchange_version += 1

    def add_heater(self, name: str, weights: np.ndarray, sensor: np.ndarray, law,
                   coldest_of: np.ndarray | None = None) -> None:
        """A heater whose power follows a sensed temperature (a thermostat).

        weights: normalised area vector of the heated region (the power spread over it);
        sensor: normalised area vector of the sensed region (its area-mean temperature s);
        law: s [K] -> (power [W], d power / ds [W/K]) (:func:`thermal.control.heater_power_W`);
        coldest_of: owned node indices: the heater senses the coldest of them instead (s = min T
        over those nodes on every rank; a thermostat at the region's coldest point).
        The Newton operator carries its Jacobian as a rank-one term of the
        Sherman-Morrison-Woodbury correction whose coefficient follows the temperature: exact for
        the area mean; for the coldest node, the node that was coldest when the operator was
        formed (:meth:`heater_sensors`; the residual is exact, a lagged Jacobian at most)."""
        self._check_open()
        self._heaters.append((name, np.asarray(weights, float), np.asarray(sensor, float), law))
        self._heater_coldest.append(None if coldest_of is None else np.asarray(coldest_of, dtype=np.int64))
        self.heater_names.append(name)

    def heater_sensed(self, T: np.ndarray) -> np.ndarray:
        """Each heater's sensed temperature at the field T [K]: its region's area mean, or its
        coldest node (``coldest_of``)."""
        sensed = self.column_dot(self._heater_sensor, T)
        for k, nodes in enumerate(self._heater_coldest):
            if nodes is not None:
                sensed[k] = self.comm.allreduce(float(np.min(T[nodes], initial=np.inf)), op=MPI.MIN)
        return sensed

    def heater_sensors(self, T: np.ndarray):
        """(owned nodes x heaters) sparse: each heater's sensor vector at the field T, d s / d T:
        its area vector, or 1 at the node that is coldest now (on its owning rank)."""
        if not any(nodes is not None for nodes in self._heater_coldest):
            return self._heater_sensor
        sensor = self._heater_sensor.tolil()
        for k, nodes in enumerate(self._heater_coldest):
            if nodes is None:
                continue
            local = (float(np.min(T[nodes])), self.comm.rank) if nodes.size else (np.inf, self.comm.rank)
            _, owner = self.comm.allreduce(local, op=MPI.MINLOC)
            sensor[:, k] = 0.0
            if owner == self.comm.rank:
                sensor[int(nodes[np.argmin(T[nodes])]), k] = 1.0
        return scipy.sparse.csr_array(sensor)

    def heater_power(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each heater's power and its derivative by its sensed temperature at the field T."""
        if not self._heaters:
            return np.zeros(0), np.zeros(0)
        sensed = self.heater_sensed(T)
        out = [law(x) for (_, _, _, law), x in zip(self._heaters, sensed, strict=True)]
        return np.array([float(q) for q, _ in out]), np.array([float(d) for _, d in out])

    def finalize(self) -> None:
        """Freeze the loads: build the (sparse) load matrix and its global column sums."""
        self._frozen = True
        self.load_matrix = (scipy.sparse.csc_array(np.column_stack(self._load_columns)) if self._load_columns
                            else scipy.sparse.csc_array((self.n_owned, 0)))
        self._load_columns = []
        self.load_sums = np.asarray(self.comm.allreduce(np.asarray(self.load_matrix.sum(axis=0)).ravel(),
                                                        op=MPI.SUM))
        kinds = np.array(self.load_kinds, dtype=str)
        self.kind_mask = {k: kinds == k for k in LOAD_KINDS}
        self._fuse_couplings()
        if self._heaters:
            self.heater_U = scipy.sparse.csr_array(np.column_stack([h[1] for h in self._heaters]))
            self._heater_sensor = scipy.sparse.csr_array(np.column_stack([h[2] for h in self._heaters]))
        else:
            self.heater_U = self._heater_sensor = None

    def replace_loop(self, U: np.ndarray, W: np.ndarray, Vt: np.ndarray, film_weights: np.ndarray,
                     heat_weights: np.ndarray) -> None:
        """Replace the pumped loop's terms (:meth:`add_loop`) of a finalized system, for a new flow
        through the radiators (a bypass valve); operators built before must be rebuilt."""
        self.loop_film = np.asarray(film_weights, float)     # the loop is the only film of its kind
        self.lowrank["loop"] = (scipy.sparse.csr_array(U), np.atleast_2d(-np.asarray(W, float)),
                                scipy.sparse.csr_array(Vt))
        column = self.load_names.index("loop")
        matrix = self.load_matrix.tolil()
        matrix[:, column] = np.asarray(heat_weights, float)[:, None]
        self.load_matrix = scipy.sparse.csc_array(matrix)
        self.load_sums[column] = self.sum(heat_weights)
        self._fuse_couplings()

    def _fuse_couplings(self) -> None:
        # all couplings fused: one sparse product and one reduction per residual,
        # q = [V_lin | U_x]^T [T | T^4] (the exchange acts on T^4)
        blocks = list(self.lowrank.values())
        self._lin_U = scipy.sparse.hstack([b[0] for b in blocks], format="csr") if blocks else None
        self._lin_C = scipy.linalg.block_diag(*[b[1] for b in blocks]) if blocks else None
        self._n_lin = sum(b[1].shape[0] for b in blocks)
        self._lin_Vt = scipy.sparse.hstack([b[2] for b in blocks], format="csc").T.tocsr() if blocks else None
        self._exchange_Ut = self.exchange[0].T.tocsr() if self.exchange is not None else None

    def _check_open(self):
        if self._frozen:
            raise RuntimeError("HeatSystem is finalized; add terms before finalize()")

    # ---- global helpers ---------------------------------------------------------------------
    def sum(self, values: np.ndarray) -> float:
        return self.comm.allreduce(float(np.sum(values)), op=MPI.SUM)

    def column_dot(self, Vt, x: np.ndarray) -> np.ndarray:
        """Global V^T x for a block of owned rows (dense or sparse)."""
        local = np.ascontiguousarray(Vt.T @ x, dtype=float)
        out = np.empty_like(local)
        self.comm.Allreduce(local, out, op=MPI.SUM)
        return out

    def coupling_terms(self, T: np.ndarray, T4: np.ndarray) -> np.ndarray:
        """Residual contribution of all couplings, from one reduction of q = [V^T T | U_x^T T^4]."""
        n = self._n_lin
        if self._lin_Vt is None and self._exchange_Ut is None:
            return np.zeros_like(T)
        local = np.concatenate([self._lin_Vt @ T if n else [],
                                self._exchange_Ut @ T4 if self._exchange_Ut is not None else []])
        q = np.empty_like(local)
        self.comm.Allreduce(local, q, op=MPI.SUM)
        R = self._lin_U @ (self._lin_C @ q[:n]) if n else np.zeros_like(T)
        if self.exchange is not None:
            U, Rx = self.exchange
            R = R + SIGMA * (self.exchange_emission * T4 - U @ (Rx @ q[n:]))
        return R

    def destroy(self) -> None:
        for A in (self.M, self.K, self._B):
            A.destroy()


def _assembled(form) -> PETSc.Mat:
    A = fem_petsc.assemble_matrix(fem.form(form))
    A.assemble()
    return A


def _product(A: PETSc.Mat, x: np.ndarray) -> np.ndarray:
    vin, vout = A.createVecRight(), A.createVecLeft()
    vin.array[:] = x
    A.mult(vin, vout)
    values = vout.array.copy()
    vin.destroy()
    vout.destroy()
    return values


class _StepFailure(Exception):
    pass


#: The steady state's Newton operator (a0 = 0) takes this capacity term, shift * M, into its sparse
#: part when the system has low-rank couplings: a part joined to the rest only through them (a box
#: inside the body, with no radiating side, on its mount's joint) leaves K + diag(...) singular
#: without it, so A^{-1} U does not exist. The residual keeps a0 = 0, so the answer is the steady
#: state; the Newton iteration then converges linearly on such a part, by a factor of about
#: shift C / (shift C + G) per iteration for heat capacity C on a joint G (1e-3 for the default
#: battery mount), and elsewhere by the far smaller shift C / (4 sigma eps T^3 A).
STEADY_OPERATOR_SHIFT_PER_S = 1e-7
#: The radiative exchange's block of the Newton operator is formed again when a node it acts on has
#: moved more than this since [K] (:meth:`_Operator._small`).
EXCHANGE_JACOBIAN_LAG_K = 0.5


#: The radiative exchange's block of the Newton operator keeps the modes of its factors R (m x m,
#: one per surface or patch) whose eigenvalue is at least this share of the largest (:func:`exchange_basis`).
EXCHANGE_RANK_RTOL = 0.02


def exchange_basis(R_m2: Sequence[np.ndarray]) -> np.ndarray:
    """(m, r) orthonormal basis of the exchange block of the Newton operator: the eigenvectors of
    the (symmetric) factors R whose eigenvalue is at least EXCHANGE_RANK_RTOL of the largest; for
    factors that follow the time (:meth:`HeatSystem.add_exchange_schedule`), the left singular
    vectors of [R_1 ... R_K] over all of them (eigenvectors of sum_k R_k^2), so the modes of every
    wing position are kept.

    The operator's exchange block U R V^T is taken as (U Q) (Q^T R Q) (V Q)^T: X = A^{-1} U Q costs
    r sparse solves per operator instead of m (on the h100 bus's 64 patch columns and 7 inner
    surfaces, r = 20 over the wing's positions, 17 with the averaged factors). The modes left out
    are weak couplings (an eigenvalue under 2 % of the largest, about 0.005 m^2 on the bus, against
    at least 0.14 m^2 of emission and exchange on a patch in the sparse part): the Newton iteration
    converges at that rate on them, and the residual is exact, so the answer is the same."""
    values, vectors = np.linalg.eigh(sum(R @ R for R in R_m2))
    values = np.sqrt(np.maximum(values, 0.0))
    largest = float(np.max(np.abs(values), initial=0.0))
    keep = np.abs(values) >= EXCHANGE_RANK_RTOL * largest if largest > 0.0 else np.zeros(len(values), bool)
    keep[np.argmax(np.abs(values))] = True
    return vectors[:, keep]


class _Operator:
    """A lagged Newton operator: sparse part factorized (or preconditioned) once, low rank exact.

    P = A + U C V^T with A = a0 M + K + D + diag(4 sigma (e + e_x) T_ref^3) (a steady operator:
    a0 = STEADY_OPERATOR_SHIFT_PER_S with low-rank couplings, see there); P^{-1} r by
    Sherman-Morrison-Woodbury: y = A^{-1} r, P^{-1} r = y - X (I + C V^T X)^{-1} C V^T y with
    X = A^{-1} U computed once per operator. The linear coupling blocks are exact at every
    iteration; the exchange block's V = diag(4 T^3) U_x is taken as U_x diag(<4 T^3>_c), each
    surface's (patch's) area mean, so that V^T X = diag(<4 T^3>) U_x^T X is formed from U_x^T X,
    reduced once per operator, in O(rank^2) (exact for a surface at one temperature; the Newton
    operator only: the residual is exact, and the iteration converges to the same answer).

    With LU, A is factorized once and the Newton iteration is lagged. With CG, the preconditioner
    (ICC, GAMG, Jacobi) is built once from A, but CG runs on the current sparse Jacobian J: A with
    its radiation diagonal updated in place to 4 sigma (e + e_x) T^3 at every iteration, which
    costs nothing and makes the sparse part of the Newton step exact."""

    def __init__(self, system: HeatSystem, a0: float, T_ref: np.ndarray, linear_solver: str,
                 linear_rtol: float):
        self.system = system
        self.a0 = a0
        # a steady operator's capacity term, taken out of the residual again (STEADY_OPERATOR_SHIFT_PER_S)
        self.shift = STEADY_OPERATOR_SHIFT_PER_S if a0 == 0.0 and system.lowrank else 0.0
        T_ref = np.maximum(T_ref, 0.0)
        A = system.K.copy()
        if a0 + self.shift != 0.0:
            A.axpy(a0 + self.shift, system.M, structure=PETSc.Mat.Structure.SAME_NONZERO_PATTERN)
        self.radiation_diag = 4.0 * SIGMA * (system.emission + system.exchange_emission) * T_ref ** 3
        diag = A.createVecLeft()
        diag.array[:] = system.ambient_film + system.loop_film + self.radiation_diag
        A.setDiagonal(diag, addv=PETSc.InsertMode.ADD_VALUES)
        diag.destroy()
        self.A = A
        self.J = None
        ksp = PETSc.KSP().create(system.comm)
        pc = ksp.getPC()
        if linear_solver == "lu":
            ksp.setOperators(A)
            ksp.setType("preonly")
            pc.setType("lu")
            pc.setFactorSolverType("mumps")
        else:
            self.J = A.copy()
            self._J_diag = self.J.createVecLeft()
            self.J.getDiagonal(self._J_diag)
            self._base_diag = self._J_diag.array - self.radiation_diag
            ksp.setOperators(self.J, A)
            ksp.setType("cg")
            pc.setType({"cg_icc": "bjacobi", "cg_gamg": "gamg", "cg_jacobi": "jacobi"}[linear_solver])
            ksp.setTolerances(rtol=linear_rtol, atol=0.0, max_it=5000)
        ksp.setUp()
        if linear_solver == "cg_icc":      # incomplete Cholesky on each rank's block
            for sub in pc.getBJacobiSubKSP():
                sub.setType("preonly")
                sub.getPC().setType("icc")
        self.ksp = ksp
        self._b, self._x = A.createVecLeft(), A.createVecRight()
        self._lowrank_setup(system, T_ref)

    def _lowrank_setup(self, system: HeatSystem, T_ref: np.ndarray) -> None:
        """X = A^{-1} U for all couplings; the exchange block's V = diag(4 T^3) U_x follows T."""
        self.X = None
        self._lagged = None
        U = [b[0] for b in system.lowrank.values()]
        C = [b[1] for b in system.lowrank.values()]
        self.n_heat = 0 if system.heater_U is None else system.heater_U.shape[1]
        if self.n_heat:                       # coefficients -dQ/ds follow the temperature (_small)
            U.append(system.heater_U)
            C.append(np.zeros((self.n_heat, self.n_heat)))
        if system.exchange is not None:       # in the basis of its largest modes (exchange_basis)
            Ux, R = system.exchange
            self.Q_x = exchange_basis(system.exchange_matrices())
            U.append(scipy.sparse.csc_array(Ux @ self.Q_x))
            C.append(-SIGMA * self.Q_x.T @ R @ self.Q_x)
            self.n_x = self.Q_x.shape[1]
        if not U:
            return
        U = scipy.sparse.hstack(U, format="csc")
        self.C = scipy.linalg.block_diag(*C)
        self.X = np.column_stack([self._solve_sparse(U[:, [j]].toarray().ravel()) for j in range(U.shape[1])])
        self.n_lin = system._n_lin
        # the heaters' sensors at the operator's temperature (a coldest-node sensor: the node now)
        self.heater_sensor_t = system.heater_sensors(T_ref).T.tocsr() if self.n_heat else None
        blocks = ([system._lin_Vt @ self.X] if self.n_lin else []) + \
            ([self.heater_sensor_t @ self.X] if self.n_heat else [])
        VtX_lin = np.ascontiguousarray(np.vstack(blocks)) if blocks else np.zeros((0, U.shape[1]))
        self.VtX_lin = np.empty_like(VtX_lin)
        system.comm.Allreduce(VtX_lin, self.VtX_lin, op=MPI.SUM)
        if system.exchange is None and not self.n_heat:   # no temperature-dependent block: invert once
            self.small_lin = np.linalg.solve(np.eye(len(self.C)) + self.C @ self.VtX_lin, self.C)
        if system.exchange is not None:       # the exchange acts on the inner surfaces' nodes only
            Ux = system.exchange[0]
            self.inner = np.unique(Ux.nonzero()[0])
            self.Ux_inner_T = Ux[self.inner].T.tocsr()
            local = np.ascontiguousarray(self.Ux_inner_T @ self.X[self.inner])
            self.UtX_x = np.empty_like(local)                 # U_x^T X, reduced once per operator
            system.comm.Allreduce(local, self.UtX_x, op=MPI.SUM)

    def _small(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(I + C V^T X)^{-1} C at the temperature T, and the exchange weights <4 T^3> of its surfaces.

        The exchange block is kept while no node it acts on has moved more than
        EXCHANGE_JACOBIAN_LAG_K since it was formed (a lagged Jacobian, as the operator's own: the
        residual stays exact, so the Newton iteration converges to the same answer); it acts on
        every radiating node once the parts see each other, and forming it at every linear solve
        doubled the cost of a step."""
        if self.system.exchange is None and not self.n_heat:
            return self.small_lin, None
        if self.system.exchange is not None and not self.n_heat and self._lagged is not None:
            T_then, version, small, w = self._lagged
            moved = float(np.max(np.abs(T[self.inner] - T_then), initial=0.0))
            if (version == self.system.exchange_version
                    and self.system.comm.allreduce(moved, op=MPI.MAX) <= EXCHANGE_JACOBIAN_LAG_K):
                return small, w
        small, w = self._formed(T)
        if self.system.exchange is not None and not self.n_heat:
            self._lagged = (T[self.inner].copy(), self.system.exchange_version, small, w)
        return small, w

    def _formed(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        C, VtX, w = self.C, self.VtX_lin, None
        if self.n_heat or self.system.exchange is not None:
            C = C.copy()
            heat = slice(self.n_lin, self.n_lin + self.n_heat)
            C[heat, heat] = np.diag(-self.system.heater_power(T)[1])
        if self.system.exchange is not None:
            Q = self.Q_x
            C[-self.n_x:, -self.n_x:] = -SIGMA * Q.T @ self.system.exchange[1] @ Q     # at the time (at_time)
            # V^T X with V = diag(4 T^3) U_x taken as diag(<4 T^3>_c) U_x^T X: each surface's area
            # mean of 4 T^3 (exact for a surface at one temperature; the Newton operator only, the
            # residual is exact), so forming the block costs O(rank^2), not a pass over the nodes
            local = np.ascontiguousarray(self.Ux_inner_T @ (4.0 * np.maximum(T[self.inner], 0.0) ** 3))
            w = np.empty_like(local)
            self.system.comm.Allreduce(local, w, op=MPI.SUM)
            VtX = np.vstack([VtX, Q.T @ (w[:, None] * self.UtX_x)])
        return np.linalg.solve(np.eye(len(VtX)) + C @ VtX, C), w

    def _solve_sparse(self, r: np.ndarray) -> np.ndarray:
        self._b.array[:] = r
        self.ksp.solve(self._b, self._x)
        if self.ksp.getConvergedReason() < 0:
            raise _StepFailure(f"linear solver failed (reason {self.ksp.getConvergedReason()})")
        return self._x.array.copy()

    def solve(self, r: np.ndarray, T: np.ndarray) -> np.ndarray:
        """P^{-1} r; the exchange block (and with CG, the sparse part) at the current temperature T."""
        if self.J is not None:
            emission = 4.0 * SIGMA * (self.system.emission + self.system.exchange_emission)   # at the time
            self._J_diag.array[:] = self._base_diag + emission * np.maximum(T, 0.0) ** 3
            self.J.setDiagonal(self._J_diag, addv=PETSc.InsertMode.INSERT_VALUES)
        y = self._solve_sparse(r)
        if self.X is not None:
            small, w = self._small(T)
            s = self.system
            parts = [s._lin_Vt @ y] if self.n_lin else []
            if self.n_heat:
                parts.append(self.heater_sensor_t @ y)
            if w is not None:
                parts.append(self.Q_x.T @ (w * (self.Ux_inner_T @ y[self.inner])))
            local = np.ascontiguousarray(np.concatenate(parts))
            reduced = np.empty_like(local)
            s.comm.Allreduce(local, reduced, op=MPI.SUM)
            y -= self.X @ (small @ reduced)
        return y

    def destroy(self):
        for obj in (self.ksp, self.A, self.J, self._b, self._x):
            if obj is not None:
                obj.destroy()
        if self.J is not None:
            self._J_diag.destroy()


class Integrator:
    """Newton on the implicit step equations of a HeatSystem; its state is the temperature.

    Parameters
    ----------
    system : a finalized HeatSystem
    amplitudes : t -> (n_loads,) amplitudes of the load columns at time t
    initial_T_K : uniform [K] or an owned nodal array
    scheme : 'backward_euler' | 'bdf2'
    newton_rtol : residual 2-norm tolerance relative to the sum of the balance terms' 2-norms
    linear_solver : 'lu' (MUMPS) | 'cg_icc' (block Jacobi, ICC(0) per rank) | 'cg_gamg' | 'cg_jacobi'
    linear_rtol : relative tolerance of the CG solves (the Newton iteration tolerates inexact
        solves: it converges at the rate max(lag, linear_rtol))
    max_step_cuts : a failed step is halved and retried at most this many times (recursively)
    """

    def __init__(self, system: HeatSystem, amplitudes, initial_T_K, *, scheme: str = "bdf2",
                 newton_rtol: float = 1e-8, max_newton_iterations: int = 30, linear_solver: str = "lu",
                 linear_rtol: float = 1e-5, max_step_cuts: int = 8, t0_s: float = 0.0,
                 cached_operators: int = 4):
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
        if linear_solver not in LINEAR_SOLVERS:
            raise ValueError(f"linear_solver must be one of {LINEAR_SOLVERS}, got {linear_solver!r}")
        self.system = system
        self.amplitudes = amplitudes
        self.scheme = scheme
        self.newton_rtol = newton_rtol
        self.max_newton_iterations = max_newton_iterations
        self.linear_solver = linear_solver
        self.linear_rtol = linear_rtol
        self.max_step_cuts = max_step_cuts
        self.T = fem.Function(system.V, name="temperature_K")
        self.T.x.array[: system.n_owned] = initial_T_K
        self.T.x.scatter_forward()
        self.t = float(t0_s)
        self._T_prev: np.ndarray | None = None       # T^{n-1}
        self._dt_prev: float | None = None
        self._operators: OrderedDict[float, _Operator] = OrderedDict()
        self._cache_size = cached_operators
        self._vin = system.M.createVecRight()
        self._vout = system.M.createVecLeft()
        self.newton_iterations = 0
        self.operator_builds = 0
        self.step_cuts = 0
        self.steps_taken = 0
        self.last_amplitudes: np.ndarray | None = None

    @property
    def T_owned(self) -> np.ndarray:
        return self.T.x.array[: self.system.n_owned]

    # ---- residual ---------------------------------------------------------------------------
    def _matvec(self, A: PETSc.Mat, x: np.ndarray) -> np.ndarray:
        self._vin.array[:] = x
        A.mult(self._vin, self._vout)
        return self._vout.array.copy()

    def _residual(self, T: np.ndarray, op: _Operator, step: tuple[np.ndarray, np.ndarray, np.ndarray]):
        """(R(T), ||R||, scale) with scale = the sum of the 2-norms of the balance terms.

        step = (derivative history dh, M dh, loads): the discrete time derivative is a0 T + dh.
        One sparse product: the operator's matrix a0 M + K + D + diag(4 sigma e T_ref^3) less
        its radiation diagonal."""
        s = self.system
        derivative_history, history, loads = step
        T4 = T ** 4
        emission = SIGMA * s.emission * T4
        R = self._matvec(op.A, T) - op.radiation_diag * T + history + emission - loads
        if op.shift:
            R -= op.shift * self._matvec(s.M, T)
        R += s.coupling_terms(T, T4)
        if s.heater_U is not None:
            R -= s.heater_U @ s.heater_power(T)[0]
        capacity = s.capacity_weights * (op.a0 * T + derivative_history)   # lumped: for the scale only
        film = (s.ambient_film + s.loop_film) * T
        local = np.array([R @ R, capacity @ capacity, emission @ emission, film @ film, loads @ loads])
        norms = np.empty_like(local)
        s.comm.Allreduce(local, norms, op=MPI.SUM)
        norms = np.sqrt(norms)
        return R, float(norms[0]), float(np.sum(norms[1:]))

    # ---- operators --------------------------------------------------------------------------
    def _operator(self, a0: float, T: np.ndarray, refresh: bool = False) -> _Operator:
        key = float(f"{a0:.12e}")
        op = self._operators.get(key)
        if op is not None and not refresh:
            self._operators.move_to_end(key)
            return op
        if op is not None:
            op.destroy()
            del self._operators[key]
        op = _Operator(self.system, a0, T, self.linear_solver, self.linear_rtol)
        self.operator_builds += 1
        self._operators[key] = op
        while len(self._operators) > self._cache_size:
            _, old = self._operators.popitem(last=False)
            old.destroy()
        return op

    def _newton(self, T: np.ndarray, a0: float, step, full_newton: bool) -> tuple[np.ndarray, int]:
        """Solve R(T) = 0 from the guess T; returns (T, iterations). Raises _StepFailure.

        Lagged (full_newton False): the cached operator of this a0 is used until the residual
        falls by less than a factor 0.3 in an iteration; it is then rebuilt once at the current
        iterate. Full Newton (steady state): rebuilt every iteration, with a line search."""
        op = self._operator(a0, T, refresh=full_newton)
        refreshed = full_newton
        R, norm, scale = self._residual(T, op, step)
        previous = np.inf
        for iteration in range(self.max_newton_iterations + 1):
            if not np.isfinite(norm):
                raise _StepFailure("residual is not finite")
            if norm <= self.newton_rtol * scale:
                return T, iteration
            if iteration == self.max_newton_iterations:
                break
            if full_newton and iteration > 0:
                op = self._operator(a0, T, refresh=True)
            elif norm > 0.3 * previous:
                if refreshed and norm > previous:
                    raise _StepFailure(f"Newton diverges (residual {norm:.3g} after {previous:.3g})")
                if not refreshed:
                    op = self._operator(a0, T, refresh=True)
                    refreshed = True
            dT = -op.solve(R, T)
            previous = norm
            T, R, norm = self._update(T, dT, op, step, norm, line_search=full_newton)
            self.newton_iterations += 1
        raise _StepFailure(f"Newton did not converge in {self.max_newton_iterations} iterations "
                           f"(residual {norm:.3g}, scale {scale:.3g})")

    def _update(self, T, dT, op, step, norm, line_search):
        """T + lam dT, with lam < 1 only to keep temperatures positive or, in the line search of
        the steady solve (no capacity term damps the T^4 Newton there), while the residual grows."""
        lam = 1.0
        negative = T + dT <= 0.0
        if np.any(negative):
            lam = 0.5 * float(np.min(T[negative] / -dT[negative]))
        lam = self.system.comm.allreduce(lam, op=MPI.MIN)
        while True:
            T_new = T + lam * dT
            R_new, norm_new, _ = self._residual(T_new, op, step)
            if not line_search or norm_new < norm or lam < 1e-3:
                return T_new, R_new, norm_new
            lam *= 0.5

    # ---- audit ------------------------------------------------------------------------------
    def _audit(self, time_s: float, dt: float, T: np.ndarray, amplitudes: np.ndarray,
               capacity_rate: np.ndarray | None, iterations: int, instantaneous: bool = False) -> StepRecord:
        """Energy terms of the state T; stored rate from the discrete dT/dt (capacity_rate), zero
        (steady) or, if instantaneous, from the semi-discrete balance."""
        s = self.system
        local = np.array([SIGMA * (s.emission @ T ** 4), s.ambient_film @ T,
                          s.capacity_weights @ capacity_rate if capacity_rate is not None else 0.0])
        glob = np.empty(3)
        s.comm.Allreduce(local, glob, op=MPI.SUM)
        loop = self.loop_heat_W(T, amplitudes) if "loop" in s.lowrank else 0.0
        heaters = s.heater_power(T)[0]
        sums = s.load_sums * amplitudes
        mask = s.kind_mask
        record = StepRecord(
            time_s=time_s, dt_s=dt, newton_iterations=iterations, heater_W=heaters,
            absorbed_W=float(np.sum(sums[mask["absorbed"]])),
            generated_W=float(np.sum(sums[mask["generated"]])) + loop + float(np.sum(heaters)),
            emitted_W=float(glob[0]),
            convected_W=float(glob[1] - np.sum(sums[mask["ambient"]])),
            electric_W=-float(np.sum(sums[mask["electric"]])),
            stored_rate_W=float(glob[2]),
            loop_heat_W=loop)
        if instantaneous:
            record.stored_rate_W = record.imbalance_W
        return record

    def instantaneous_audit(self) -> StepRecord:
        """The balance of the current state at the current time (dT/dt from the semi-discrete
        equations: 1^T M dT/dt = in - out, since conduction and internal exchanges sum to zero)."""
        self.last_amplitudes = np.asarray(self.amplitudes(self.t), float)
        self.system.at_time(self.t)
        return self._audit(self.t, 0.0, self.T_owned, self.last_amplitudes, None, 0, instantaneous=True)

    def loop_heat_W(self, T: np.ndarray, amplitudes: np.ndarray) -> float:
        """Heat the loop puts into the mesh, 1^T (loop loads - loop film T - U C V^T T), from the
        same vectors as the residual: equal to the cold-plate heat if the loop conserves energy."""
        s = self.system
        U, C, Vt = s.lowrank["loop"]
        mask = s.kind_mask["loop"]
        into = s.load_matrix[:, mask] @ amplitudes[mask] - s.loop_film * T - U @ (C @ s.column_dot(Vt, T))
        return s.sum(into)

    # ---- solves and steps -------------------------------------------------------------------
    def steady(self, time_s: float | None = None, amplitudes: np.ndarray | None = None) -> StepRecord:
        """Steady state with the loads of `time_s` (default: now) or the given amplitudes."""
        t = self.t if time_s is None else time_s
        amp = np.asarray(self.amplitudes(t) if amplitudes is None else amplitudes, float)
        self.last_amplitudes = amp
        self.system.at_time(t if amplitudes is None else None)     # given (averaged) loads: static terms
        zero = np.zeros(self.system.n_owned)
        step = (zero, zero, self.system.load_matrix @ amp)
        try:
            T, its = self._newton(self.T_owned.copy(), 0.0, step, True)
        except _StepFailure as exc:
            raise InfeasibleError(f"steady finite-element solve did not converge ({exc}); check that every part "
                                  "has a path to space (an emissivity above 0, or a joint to a part that radiates), "
                                  "set thermal.initial_temperature near the answer, or run in time "
                                  "(solver.steady: false)") from exc
        self._set_T(T)
        self._T_prev, self._dt_prev = None, None
        return self._audit(t, 0.0, T, amp, None, its)

    def advance(self, t_new: float, restart: bool = False) -> StepRecord:
        """One step to t_new; on failure the interval is cut in halves and retried.

        restart: start the multistep history afresh (a backward Euler step), for the first step
        after a discontinuity of the sources (an event): BDF2 across the kink in T(t) would carry
        an error of order dt times the jump."""
        return self._advance(t_new, 0, restart)

    def _advance(self, t_new: float, depth: int, restart: bool) -> StepRecord:
        T_n = self.T_owned.copy()
        try:
            return self._step(t_new, restart)
        except _StepFailure as exc:
            self._set_T(T_n)
            if depth >= self.max_step_cuts:
                raise InfeasibleError(
                    f"the finite-element time step from t = {self.t:.1f} s did not converge even cut in half "
                    f"{depth} times, to {t_new - self.t:.3g} s ({exc}); reduce solver.time_step, or look for a part "
                    "with very little heat capacity under a large load (thickness, material)") from exc
            self.step_cuts += 1
            first = self._advance(0.5 * (self.t + t_new), depth + 1, restart)
            second = self._advance(t_new, depth + 1, False)
            return _merge(first, second)

    def _step(self, t_new: float, restart: bool) -> StepRecord:
        dt = t_new - self.t
        if dt <= 0.0:
            raise ValueError(f"time step must be positive (t = {self.t}, t_new = {t_new})")
        T_n = self.T_owned.copy()
        if restart:
            self._T_prev = self._dt_prev = None
        if (self.scheme == "bdf2" and self._T_prev is not None
                and dt <= 2.0 * self._dt_prev * (1.0 + 1e-12)):
            w = dt / self._dt_prev
            a0, a1, a2 = (1 + 2 * w) / ((1 + w) * dt), -(1 + w) / dt, w * w / ((1 + w) * dt)
            derivative_history = a1 * T_n + a2 * self._T_prev
        else:
            a0 = 1.0 / dt
            derivative_history = -a0 * T_n
        guess = T_n if self._T_prev is None else T_n + dt / self._dt_prev * (T_n - self._T_prev)
        guess = np.where(guess > 0.0, guess, T_n)
        # sources at the end of the step, as the limit from inside it: a discontinuity that a step
        # lands on (eclipse entry) belongs to the next step
        amp = np.asarray(self.amplitudes(t_new - 1e-9 * dt), float)
        self.last_amplitudes = amp
        self.system.at_time(t_new)
        step = (derivative_history, self._matvec(self.system.M, derivative_history),
                self.system.load_matrix @ amp)
        T, its = self._newton(guess, a0, step, False)
        self._set_T(T)
        self._T_prev, self._dt_prev, self.t = T_n, dt, t_new
        self.steps_taken += 1
        return self._audit(t_new, dt, T, amp, a0 * T + derivative_history, its)

    def start_from(self, T_owned: np.ndarray) -> None:
        """Start from a given field (this rank's owned temperatures), without multistep history."""
        if np.shape(T_owned) != (self.system.n_owned,):
            raise ValueError(f"a start of shape {np.shape(T_owned)} for {self.system.n_owned} owned unknowns")
        self._set_T(np.asarray(T_owned, dtype=float))
        self._T_prev, self._dt_prev = None, None

    def _set_T(self, T: np.ndarray) -> None:
        self.T.x.array[: self.system.n_owned] = T
        self.T.x.scatter_forward()

    def system_changed(self) -> None:
        """The system's terms changed (:meth:`HeatSystem.replace_loop`): drop the operators built
        on the old ones."""
        for op in self._operators.values():
            op.destroy()
        self._operators.clear()

    def close(self) -> None:
        for op in self._operators.values():
            op.destroy()
        self._operators.clear()
        self._vin.destroy()
        self._vout.destroy()


def _merge(a: StepRecord, b: StepRecord) -> StepRecord:
    """Two sub-steps reported as one interval: time-weighted mean rates (energies add up)."""
    dt = a.dt_s + b.dt_s

    def mean(x, y):
        return (x * a.dt_s + y * b.dt_s) / dt

    return StepRecord(b.time_s, dt, a.newton_iterations + b.newton_iterations,
                      mean(a.absorbed_W, b.absorbed_W), mean(a.generated_W, b.generated_W),
                      mean(a.emitted_W, b.emitted_W), mean(a.convected_W, b.convected_W),
                      mean(a.electric_W, b.electric_W), mean(a.stored_rate_W, b.stored_rate_W),
                      mean(a.loop_heat_W, b.loop_heat_W), mean(a.heater_W, b.heater_W))


_OPENBLAS_THREAD_SYMBOLS = (("openblas_set_num_threads", "openblas_get_num_threads"),
                            ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
                            ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"))


@contextlib.contextmanager
def single_threaded_blas():
    """Every OpenBLAS loaded in the process (numpy's, scipy's, PETSc's) at one thread, restored after.

    The process holds several OpenBLAS copies whose idle threads spin after each call; on a
    machine with as many cores as MPI ranks they take the cores from each other, and the small
    numpy products of the Newton loop become a hundred times slower. (The technique of
    threadpoolctl: set the pool size through each library's own API.)"""
    restore = []
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line and "/" in line})
    except OSError:
        paths = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for setter, getter in _OPENBLAS_THREAD_SYMBOLS:
            if hasattr(lib, setter) and hasattr(lib, getter):
                getattr(lib, setter).argtypes = [ctypes.c_int]
                restore.append((getattr(lib, setter), int(getattr(lib, getter)())))
                getattr(lib, setter)(1)
                break
    try:
        yield
    finally:
        for setter, threads in restore:
            setter(threads)


def time_grid(t0_s: float, t1_s: float, dt_s: float, breakpoints_s=()) -> np.ndarray:
    """Step end times from t0 to t1 that land exactly on every breakpoint in between.

    Each interval between consecutive breakpoints gets ceil(length / dt) equal steps, so no step
    is longer than dt, and neighbouring steps differ by at most a factor of about two (which keeps
    variable-step BDF2 stable and accurate: no sliver steps before an event)."""
    if dt_s <= 0.0:
        raise ValueError(f"time step must be positive, got {dt_s}")
    tol = 1e-9 * max(abs(t1_s), dt_s)
    nodes = [t0_s, *sorted(b for b in breakpoints_s if t0_s + tol < b < t1_s - tol), t1_s]
    times = []
    for a, b in pairwise(nodes):
        n = max(int(np.ceil((b - a) / dt_s - 1e-9)), 1)
        steps = a + (b - a) * np.arange(1, n + 1) / n
        steps[-1] = b
        times.extend(steps)
    return np.array(times)
