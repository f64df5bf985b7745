"""What every thermal model returns: part temperatures and the energy audit over time
(:class:`ThermalHistory`), and the figures of the heat transport (:class:`TransportReport`).

Both the lumped `network` model and the finite-element `fe` model fill them, so the results
writer, the power coupling and the sizing do not care which model ran.
"""

from dataclasses import dataclass, field

import numpy as np


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
    energy_balance_error: float              # |in - out - stored| / in over the last orbit (or at steady state)
    dofs: int
    steps: int
    electric_W: np.ndarray | None = None     # (N,) electric power leaving the thermal system (solar arrays)
    orbits: int = 0                          # orbits run (periodic runs)
    solver_stats: dict = field(default_factory=dict)  # the model's numerics: iterations, steps cut, time
    coolant: dict = field(default_factory=dict)       # the coolant's figures a model resolves (FE loop)


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
