"""What every thermal model returns: part temperatures and the energy audit over time.

Both the lumped `network` model and the finite-element `fe` model fill a `ThermalHistory`, so the
results writer, the power coupling and the sizing do not care which model ran.
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
    newton_iterations: int = 0
    electric_W: np.ndarray | None = None     # (N,) electric power leaving the thermal system (solar arrays)
    extra: dict = field(default_factory=dict)  # model-specific figures (pump power, loop temperatures, ...)
