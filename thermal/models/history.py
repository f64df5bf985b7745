"""What every thermal model returns: part temperatures and the energy audit over time
(:class:`ThermalHistory`), and the figures of the heat transport (:class:`TransportReport`).

Both the lumped `network` model and the finite-element `fe` model fill them, so the results
writer, the power coupling and the sizing do not care which model ran.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from thermal.core.errors import InfeasibleError


def energy_balance_error(heat_in, heat_out, stored) -> float:
    """How far the energy audit of a run is from closing, as a fraction of its largest flow.

    The arguments are the energies of each step (J; or the powers of a steady state, W): heat in
    (absorbed + generated), heat out (emitted, convected, electric) and the change of stored heat.
    The error is the sum over the steps of ``|stored - (in - out)|`` divided by the largest of
    ``sum |in|``, ``sum |out|`` and ``sum |stored|``: an imbalance of one step cannot cancel
    another's, and a run with no heat in (a body cooling in the dark) is measured against what
    it emits and loses from store. 0 when nothing flows at all (the audit then closes exactly).
    """
    heat_in, heat_out, stored = (np.atleast_1d(np.asarray(x, dtype=float)) for x in (heat_in, heat_out, stored))
    residual = float(np.sum(np.abs(stored - (heat_in - heat_out))))
    scale = max(float(np.sum(np.abs(heat_in))), float(np.sum(np.abs(heat_out))), float(np.sum(np.abs(stored))))
    return residual / scale if scale > 0.0 else 0.0


@dataclass
class ThermalHistory:
    time_s: np.ndarray                       # (N,) sample times, the last orbit (or the steady state as N = 1)
    part_T_min_K: dict[str, np.ndarray]      # part name -> (N,)
    part_T_max_K: dict[str, np.ndarray]
    part_T_mean_K: dict[str, np.ndarray]     # area- (or mass-) weighted mean
    cold_plate_T_K: np.ndarray               # (N,) hottest GPU cold-plate (coolant side) temperature
    gpu_junction_K: np.ndarray               # (N,) hottest GPU junction temperature
    # energy audit, whole spacecraft, W at each sample:
    # absorbed + generated = emitted + electric + stored_rate
    absorbed_W: np.ndarray
    generated_W: np.ndarray
    emitted_W: np.ndarray
    stored_rate_W: np.ndarray                # d/dt of the stored thermal energy
    energy_balance_error: float              # sum of |stored - (in - out)| per step over the largest flow's
                                             # total, the last orbit (or steady state): energy_balance_error()
    dofs: int
    steps: int
    electric_W: np.ndarray | None = None     # (N,) electric power leaving the thermal system (solar arrays)
    orbits: int = 0                          # orbits run (periodic runs)
    solver_stats: dict = field(default_factory=dict)  # the model's numerics: iterations, steps cut, time
    coolant: dict = field(default_factory=dict)       # the coolant's figures a model resolves (FE loop)
    heater_W: dict[str, np.ndarray] = field(default_factory=dict)   # heated part -> heater power (N,) [W]
    bypass_fraction: np.ndarray | None = None         # (N,) share of the loop flow through the radiators
    final_state: object = field(default=None, repr=False, compare=False)
    # the model's own state at the end of the run (FE: the field on its mesh, thermal.models.fe.run.
    # FieldState), for the next pass of the same case to start from (thermal.coupling); None where a
    # model keeps none


@dataclass(frozen=True)
class TransportReport:
    """Figures of the heat transport between the compute and the radiators for a run.

    loop_conductance_W_K: radiator -> coolant-to-panel conductance of the pumped loop, effectiveness
        times capacity rate (network model) [W/K]; coolant_capacity_rate_W_K: m_dot c_p [W/K];
    pump_power_W: electric power of the loop pump [W]; heat_pipe_utilisation: the fraction of the
        heat pipes' capillary limit in use [-].
    """
    loop_conductance_W_K: dict[str, float] = field(default_factory=dict)
    coolant_capacity_rate_W_K: float | None = None
    pump_power_W: float = 0.0
    heat_pipe_utilisation: float | None = None
    coolant_property_K: float | None = None    # the loop temperature the coolant's properties were taken at


def no_periodic_state(max_orbits: int, changes_K, tolerance_K: float) -> InfeasibleError:
    """The error of a periodic run that reached ``solver.max_orbits`` before the orbit-to-orbit
    temperature change fell below ``solver.periodic_tolerance``: both numbers, the change reached,
    and how many orbits the rate of the last orbits would need (or that the change is not falling).

    ``changes_K``: the orbit-to-orbit change after each orbit that has one (the last is the latest)."""
    changes = [c for c in changes_K if math.isfinite(c)]
    last = changes[-1] if changes else math.nan
    text = (f"no periodic steady state: solver.max_orbits ({max_orbits}) was reached while the orbit-to-orbit "
            f"temperature change was still {last:.3g} K, above solver.periodic_tolerance ({tolerance_K:g} K)")
    recent = changes[-4:]
    rate = (recent[-1] / recent[0]) ** (1.0 / (len(recent) - 1)) if len(recent) > 1 and recent[0] > 0 else math.nan
    if 0.0 < rate < 0.999 and last > 0:
        more = math.ceil(math.log(tolerance_K / last) / math.log(rate))
        needed = f"about {max_orbits + more}" if more < 10_000 else "more than 10000"
        text += (f"; raise solver.max_orbits (the change falls by a factor {rate:.2g} per orbit: {needed} orbits "
                 "are needed) or solver.periodic_tolerance")
    elif len(recent) > 1:
        text += ("; the change is not falling from orbit to orbit, so more orbits will not help: check that the loads "
                 "repeat every orbit and try a shorter solver.time_step, or raise solver.periodic_tolerance")
    else:
        text += "; raise solver.max_orbits or solver.periodic_tolerance"
    return InfeasibleError(text)
