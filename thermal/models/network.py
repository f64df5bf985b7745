"""Lumped thermal network: the fast model that sizing sweeps use.

Each node i (a part, or the GPU cold plates) has a heat capacity C_i and obeys

    C_i dT_i/dt = Q_abs,i(t) + Q_gen,i(t) - P_elec,i(t, T_i)
                  - sigma * epsA_i * T_i^4                       (radiation to space, all sides)
                  - sum_j G_ij (T_i - T_j)                       (conduction, joints, pumped loop)
                  - sum_j sigma * R_ij (T_i^4 - T_j^4)           (radiation between surfaces: inside the
                                                                   body, and parts that see each other)
                  + Q_heater,i(T_i) + sum_j G_ij(T) (T_j - T_i)  (thermal control: thermostatic heaters
                                                                   and the radiator bypass valve,
                                                                   :mod:`thermal.control`)

Assumptions (stated, as for any lumped model): each node is isothermal; space is at 0 K; the
environment loads are those of flat surfaces with the part's facing; radiation exchange between
inner surfaces uses gray-body factors R_ij = eps_i eps_j A_i F_ij with area-weighted view factors;
electric power taken from a solar array leaves the thermal system (P_elec).

The steady state is found by Newton's method on the network's analytic Jacobian, damped by the
natural monotonicity test (Deuflhard, *Newton Methods for Nonlinear Problems*, 2004, sec. 3.3),
with MINPACK's hybrid method (scipy ``root``) and a pseudo-transient start behind it for the
networks Newton does not settle (the kinks of heater and valve laws). Integration is by scipy's
implicit Radau IIA method (order 5, L-stable) with the analytic Jacobian,
the energy terms carried as quadrature states so the audit is exact to the integrator tolerance
(Hairer & Wanner, *Solving ODEs II*, 1996). Periodic steady state: start from the steady solution
with orbit-averaged loads and integrate orbit by orbit until the orbit-to-orbit change is below a
tolerance.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4 as SIGMA
from thermal.core.errors import InfeasibleError
from thermal.models.history import energy_balance_error, no_periodic_state

#: Relative tolerance of the Radau integration. 1e-7 gives the answers of 1e-9 (every shipped case's
#: summary within 1e-6 relative and 1e-4 K, tests/test_references.py) with a quarter to a sixth of
#: the right-hand-side evaluations; 1e-6 moves the power figures of the 1 MW check by 2e-6.
RTOL = 1e-7


@dataclass(frozen=True)
class Network:
    names: tuple[str, ...]
    capacity_J_K: np.ndarray                 # (n,)
    links: tuple[tuple[int, int, float], ...]          # (i, j, G [W/K])
    emit_m2: np.ndarray                      # (n,) sum over sides of eps * A [m^2]
    interior: tuple[tuple[int, int, float], ...]       # (i, j, R [m^2]) gray-body exchange factors (inner
    # surfaces of the body, and the outer sides of parts that see each other: thermal.exchange)
    absorbed_W: Callable[[float], np.ndarray]          # t -> (n,) environmental heat absorbed
    generated_W: Callable[[float], np.ndarray]         # t -> (n,) internal heat (compute, losses)
    electric_W: Callable[[float, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None
    # (t, T) -> (electric power leaving each node [W], its derivative d/dT_i [W/K])
    controls: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
    # T -> (heater power into each node [W], heat flow into each node through controlled links
    # (a bypass valve; sums to zero) [W], the Jacobian of their sum d/dT_j [W/K], (n, n))
    control_pairs: tuple[tuple[int, int], ...] = ()    # the node pairs the controlled links join
    wing_terms: Callable[[float], tuple[np.ndarray, np.ndarray]] | None = None
    # t -> (change of emit_m2 (n,), change of the radiation matrix (n, n), row-sum zero) at the
    # sun-tracking wings' angle at t, from the static terms (thermal.exchange.WingSchedule)

    @property
    def size(self) -> int:
        return len(self.names)

    def conductance_matrix(self) -> np.ndarray:
        return _pair_matrix(self.size, self.links)

    def interior_matrix(self) -> np.ndarray:
        return _pair_matrix(self.size, self.interior)


def _pair_matrix(n: int, pairs) -> np.ndarray:
    """Symmetric, row-sum-zero matrix of pairwise couplings (i, j, value): flow_i = -(M @ x)_i."""
    M = np.zeros((n, n))
    for i, j, value in pairs:
        M[i, i] += value
        M[j, j] += value
        M[i, j] -= value
        M[j, i] -= value
    return M


@dataclass
class NetworkSolution:
    time_s: np.ndarray            # (N,)
    T_K: np.ndarray               # (n, N)
    absorbed_W: np.ndarray        # (N,) whole spacecraft
    generated_W: np.ndarray
    electric_W: np.ndarray
    emitted_W: np.ndarray
    stored_rate_W: np.ndarray
    energy_balance_error: float
    orbits: int
    steps: int                    # output steps (the integrator chooses its own internal steps)
    rhs_evaluations: int = 0


class _Terms:
    """Right-hand side, Jacobian and energy-audit terms of one network."""

    def __init__(self, net: Network):
        self.net = net
        self.K = net.conductance_matrix()
        self.R = net.interior_matrix()

    def parts(self, t: float, T: np.ndarray):
        n = self.net
        absorbed = n.absorbed_W(t)
        generated = n.generated_W(t)
        if n.electric_W is not None:
            electric, d_electric = n.electric_W(t, T)
        else:
            electric, d_electric = np.zeros_like(T), np.zeros_like(T)
        T4 = T ** 4
        emit, R = self.radiation(t)
        emitted = SIGMA * emit * T4
        net_flow = absorbed + generated - electric - emitted - self.K @ T - SIGMA * (R @ T4)
        if n.controls is not None:
            heaters, controlled, _ = n.controls(T)
            generated = generated + heaters      # the heaters' electric power becomes heat in their parts
            net_flow = net_flow + heaters + controlled
        return net_flow, absorbed, generated, electric, emitted, d_electric

    def radiation(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """(eps A to space (n,), radiation matrix (n, n)) at time t."""
        if self.net.wing_terms is None:
            return self.net.emit_m2, self.R
        d_emit, d_R = self.net.wing_terms(t)
        return self.net.emit_m2 + d_emit, self.R + d_R

    def jacobian(self, t: float, T: np.ndarray) -> np.ndarray:
        _, _, _, _, _, d_electric = self.parts(t, T)
        T3 = 4.0 * SIGMA * T ** 3
        emit, R = self.radiation(t)
        J = -self.K - R * T3[None, :] - np.diag(emit * T3 + d_electric)
        if self.net.controls is not None:
            J = J + self.net.controls(T)[2]
        return J / self.net.capacity_J_K[:, None]


#: A steady solution is accepted when the Newton correction its residual still asks for is below
#: this [K]: far below anything reported, and reachable in floating point whatever the size of the
#: conductances (a residual compared with the heat input alone is not, with links of 1e9 W/K).
STEADY_CORRECTION_K = 1e-8
POLISH_STEPS = 4


def _isolated_heat(net: Network, terms: "_Terms", t: float, T: np.ndarray) -> tuple[list[str], float]:
    """Nodes that cannot reject heat (no emission anywhere in the group they are linked to by
    conduction or interior radiation) but take some in: (their names, the heat in [W])."""
    n = net.size
    group = list(range(n))

    def find(i):
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, j, value in (*net.links, *net.interior, *((i, j, 1.0) for i, j in net.control_pairs)):
        if value > 0:
            group[find(i)] = find(j)
    _, absorbed, generated, electric, _, _ = terms.parts(t, T)
    net_in = absorbed + generated - electric
    names, heat = [], 0.0
    for leader in {find(i) for i in range(n)}:
        members = [i for i in range(n) if find(i) == leader]
        q = float(np.sum(net_in[members]))
        if not np.any(net.emit_m2[members] > 0) and q > 1e-12 * max(float(np.sum(np.abs(net_in))), 1.0):
            names += [net.names[i] for i in members]
            heat += q
    return names, heat


def solve_steady(net: Network, T_guess_K: float | np.ndarray, t: float = 0.0) -> np.ndarray:
    """Steady temperatures with the loads of time t (use orbit-averaged loads for an orbit).

    Raises
    ------
    InfeasibleError
        Parts that take in heat with no way to reject it (no steady state exists), or a solve
        that does not settle; the message names the part and what to change.
    """
    terms = _Terms(net)
    T0 = np.full(net.size, float(T_guess_K)) if np.isscalar(T_guess_K) else np.asarray(T_guess_K, float)
    isolated, heat = _isolated_heat(net, terms, t, T0)
    if isolated:
        raise InfeasibleError(
            f"no steady state: {', '.join(isolated)} take(s) in {heat:.3g} W with no way to reject it (emissivity 0 "
            "on every side and no conductive path to a part that radiates); give them a coating with an emissivity "
            "above 0 or a joint to a radiating part")
    scale = net.capacity_J_K

    def residual(T):
        return terms.parts(t, np.abs(T))[0] / scale

    def correction_at(T):
        """(the Newton correction the residual asks for at T [K], the flows at T)."""
        flows = terms.parts(t, T)
        try:
            return np.linalg.solve(terms.jacobian(t, T), flows[0] / scale), flows
        except np.linalg.LinAlgError:
            return np.full(net.size, np.inf), flows

    def settle(T0):
        from scipy.optimize import root  # only for the networks Newton does not settle (start-up time)

        sol = root(residual, T0, jac=lambda T: terms.jacobian(t, np.abs(T)), method="hybr", tol=1e-13)
        T = np.abs(sol.x)
        # judged by the solution itself, not by hybr's message ("converged" or "no progress" once it
        # sits at round-off): the Newton correction the residual still asks for, after a few Newton
        # steps that polish what hybr leaves when the links are stiff
        for _ in range(POLISH_STEPS + 1):
            correction, flows = correction_at(T)
            if not np.all(np.isfinite(correction)) or np.max(np.abs(correction)) <= STEADY_CORRECTION_K:
                break
            T = np.abs(T - correction)
        return T, correction, flows, sol.nfev

    T, correction, flows, evaluations = _newton(correction_at, T0)
    if not np.max(np.abs(correction)) <= STEADY_CORRECTION_K:
        T, correction, flows, more = settle(T0)
        evaluations += more
    if not np.max(np.abs(correction)) <= STEADY_CORRECTION_K:
        # the kinks of the control laws (a heater or valve at the edge of its band) can stall the
        # root finder far from the answer: let the network relax in time towards it, then settle
        T, correction, flows, more = settle(_relaxed(net, terms, t, T0))
        evaluations += more
    worst = int(np.argmax(np.abs(correction)))
    if not np.isfinite(correction[worst]) or abs(correction[worst]) > STEADY_CORRECTION_K:
        away = (f"{abs(correction[worst]):.3g} K from a solution (tolerance {STEADY_CORRECTION_K:g} K)"
                if np.isfinite(correction[worst]) else "where its Jacobian is singular")
        raise InfeasibleError(
            f"steady network solve did not settle: after {evaluations} evaluations the heat balance of "
            f"'{net.names[worst]}' is still off by {abs(flows[0][worst]):.3g} W, {away}; check that every part has a "
            "path to space (an emissivity above 0, or a joint to a part that radiates) and that no conductance is "
            "extreme, or set thermal.initial_temperature near the answer")
    return T


#: Newton steps before the steady solve hands over to MINPACK's hybrid method [-].
NEWTON_STEPS = 60


def _newton(correction_at, T0: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple, int]:
    """Damped Newton for the steady state from T0. The Newton correction is first shortened so that
    no temperature falls below a tenth of itself or more than doubles (T^4 is flat near 0 K: a full
    step from a cold start lands at millions of kelvin); of that step the whole is taken when the
    correction asked for at its end is smaller than the one taken by a tenth of the step, else half,
    and so on down to 1/1024 (a natural monotonicity test in the spirit of Deuflhard, sec. 3.3, on
    the corrections, which do not depend on how the heat balances are scaled). Returns (T, the
    correction still asked for at T [K], the flows at T, residual evaluations); the caller judges
    the correction against :data:`STEADY_CORRECTION_K`. Once it is below that, the last correction
    is applied too."""
    T = np.array(T0, dtype=float)
    correction, flows = correction_at(T)
    evaluations = 1
    for _ in range(NEWTON_STEPS):
        size = float(np.max(np.abs(correction)))
        if not np.isfinite(size):
            break
        if size <= STEADY_CORRECTION_K:     # converged: the last correction too (quadratic: to round-off)
            polished, polished_flows = correction_at(np.abs(T - correction))
            if float(np.max(np.abs(polished))) <= size:
                T, correction, flows = np.abs(T - correction), polished, polished_flows
            return T, correction, flows, evaluations + 1
        limit = np.where(correction > 0.0, 0.9 * T, T) / np.maximum(np.abs(correction), 1e-300)
        direction = min(1.0, float(np.min(limit))) * correction
        if not float(np.max(np.abs(direction))) > 0.0:    # a node at 0 K cannot move: hybr's turn
            break
        damping = 1.0
        while damping >= 1.0 / 1024.0:
            trial = np.abs(T - damping * direction)
            trial_correction, trial_flows = correction_at(trial)
            evaluations += 1
            reduced = float(np.max(np.abs(trial_correction)))
            if np.isfinite(reduced) and reduced < size - 0.1 * damping * float(np.max(np.abs(direction))):
                break
            damping *= 0.5
        else:
            break
        T, correction, flows = trial, trial_correction, trial_flows
    return T, correction, flows, evaluations


def _relaxed(net: Network, terms: _Terms, t: float, T0: np.ndarray) -> np.ndarray:
    """The network's temperatures after it has relaxed under the constant loads of time t for
    many of its longest time constants (C_i over its conductance to everything), from T0: a
    pseudo-transient start for the steady solve."""
    from scipy.integrate import solve_ivp

    G = np.abs(np.diag(terms.jacobian(t, T0))) * net.capacity_J_K
    horizon = 50.0 * float(np.max(net.capacity_J_K / np.maximum(G, 1e-12 * G.max())))
    n = net.size
    sol = solve_ivp(lambda _, T: terms.parts(t, np.abs(T))[0] / net.capacity_J_K, (0.0, horizon), T0,
                    method="Radau", jac=lambda _, T: terms.jacobian(t, np.abs(T)), rtol=1e-6,
                    atol=np.full(n, 1e-4))
    return np.abs(sol.y[:, -1])


def orbit_averaged(net: Network, period_s: float) -> Network:
    """The network with its time-varying loads replaced by their averages over one period (97
    samples, trapezoidal rule)."""
    grid = np.linspace(0.0, period_s, 97)
    return Network(net.names, net.capacity_J_K, net.links, net.emit_m2, net.interior,
                   absorbed_W=_orbit_average(net.absorbed_W, grid),
                   generated_W=_orbit_average(net.generated_W, grid), electric_W=net.electric_W,
                   controls=net.controls, control_pairs=net.control_pairs)


def steady_solution(net: Network, T_guess_K: float, period_s: float | None = None) -> NetworkSolution:
    """The steady state; in an orbit (``period_s``) under the orbit-averaged loads, the classic
    orbit-average balance (it overstates the cold and understates the hot extremes of a transient)."""
    if period_s is not None:
        net = orbit_averaged(net, period_s)
    T = solve_steady(net, T_guess_K)
    terms = _Terms(net)
    _, absorbed, generated, electric, emitted, _ = terms.parts(0.0, T)
    error = energy_balance_error(absorbed.sum() + generated.sum(), electric.sum() + emitted.sum(), 0.0)
    one = lambda x: np.array([float(np.sum(x))])  # noqa: E731
    return NetworkSolution(np.array([0.0]), T[:, None], one(absorbed), one(generated), one(electric),
                           one(emitted), np.array([0.0]), error, 0, 0)


def integrate(net: Network, T0: np.ndarray, t0: float, t1: float, samples: np.ndarray,
              rtol: float = RTOL) -> tuple[NetworkSolution, np.ndarray]:
    """Integrate from t0 to t1; report the states and audit at `samples` (which must end at t1).

    Returns the solution and T(t1)."""
    from scipy.integrate import solve_ivp  # here, not at import: a steady run needs no SciPy (start-up)

    terms = _Terms(net)
    n = net.size
    C = net.capacity_J_K

    def rhs(t, y):
        T = y[:n]
        flow, absorbed, generated, electric, emitted, _ = terms.parts(t, T)
        return np.concatenate([flow / C, [absorbed.sum(), generated.sum(), electric.sum(), emitted.sum()]])

    def jac(t, y):
        J = np.zeros((n + 4, n + 4))
        J[:n, :n] = terms.jacobian(t, y[:n])
        return J

    if not np.isclose(samples[-1], t1, rtol=0.0, atol=1e-9 * max(abs(t1), 1.0)):
        raise ValueError("samples must end at t1")
    samples = np.append(samples[:-1], t1)
    y0 = np.concatenate([T0, np.zeros(4)])
    sol = solve_ivp(rhs, (t0, t1), y0, method="Radau", jac=jac, t_eval=samples, rtol=rtol,
                    atol=np.concatenate([np.full(n, 1e-7), np.full(4, 1e-3)]))
    if not sol.success:
        raise InfeasibleError(
            f"the network integration stopped at t = {sol.t[-1]:.1f} s of {t1:.1f} s (scipy Radau: {sol.message}); "
            "look for a part with very little heat capacity under a large load (thickness, material) or an "
            "extreme conductance, or run the finite-element model (solver.model: fe)")
    T = sol.y[:n]
    energies = sol.y[n:]
    rates = np.array([terms.parts(t, T[:, k])[1:5] for k, t in enumerate(sol.t)])  # (N, 4, n)
    absorbed, generated, electric, emitted = (rates[:, m, :].sum(axis=1) for m in range(4))
    stored_rate = absorbed + generated - electric - emitted
    # audit of every sample interval from the quadrature states (exact to the integrator tolerance)
    T_end = T[:, -1]
    flows = np.diff(np.concatenate([np.zeros((4, 1)), energies], axis=1), axis=1)   # J per interval
    stored = C @ np.diff(np.concatenate([T0[:, None], T], axis=1), axis=1)
    error = energy_balance_error(flows[0] + flows[1], flows[2] + flows[3], stored)
    solution = NetworkSolution(sol.t, T, absorbed, generated, electric, emitted, stored_rate, float(error), 0,
                               len(sol.t) - 1, int(sol.nfev))
    return solution, T_end


def periodic_solution(net: Network, period_s: float, T_guess_K: float, time_step_s: float,
                      min_orbits: int, max_orbits: int, tolerance_K: float,
                      progress: Callable[[int, float], None] | None = None) -> NetworkSolution:
    """Periodic steady state: orbit-to-orbit change of every node below `tolerance_K`.

    Starts from the steady solution with orbit-averaged loads, which removes the slow start-up
    transient; the last orbit is reported, sampled every `time_step_s`.
    """
    T = solve_steady(orbit_averaged(net, period_s), T_guess_K)
    samples = np.linspace(0.0, period_s, max(int(round(period_s / time_step_s)), 8) + 1)
    steps = evaluations = 0
    changes = []
    for orbit in range(1, max_orbits + 1):
        t0 = (orbit - 1) * period_s
        solution, T_end = integrate(net, T, t0, t0 + period_s, t0 + samples)
        steps += solution.steps
        evaluations += solution.rhs_evaluations
        change = float(np.max(np.abs(T_end - T)))
        changes.append(change)
        T = T_end
        if progress:
            progress(orbit, change)
        if orbit >= min_orbits and change < tolerance_K:
            solution.time_s = solution.time_s - t0
            solution.orbits = orbit
            solution.steps = steps
            solution.rhs_evaluations = evaluations
            return solution
    raise no_periodic_state(max_orbits, changes, tolerance_K)


def _orbit_average(load: Callable[[float], np.ndarray], grid: np.ndarray) -> Callable[[float], np.ndarray]:
    mean = np.trapezoid(np.array([load(t) for t in grid]), grid, axis=0) / (grid[-1] - grid[0])
    return lambda t: mean
