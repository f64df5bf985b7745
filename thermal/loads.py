"""The heat loads of a run and where each one lands: one place, for every thermal model.

The loads, on the exposure's time grid (:class:`HeatLoads`): the compute heat (GPUs and their
overhead electronics), the heat of one GPU, the bus heat (bus loads less the pump, and the
conversion losses), the battery's losses, the pump's work and the electric power drawn from each
wing. Without a power model they are the compute schedule as demanded (:func:`uncoupled_loads`);
with one, what the power system delivers (:mod:`thermal.coupling`).

Where they land (:func:`heat_placement`), for the network and the finite-element model alike:

- GPU heat: into the coolant at the cold plates when a pumped loop or heat pipes cool the
  compute; otherwise on the GPU footprints of the deck (a bus) or over the host part (a plate).
- Overhead electronics and pump work: with the GPU heat (the cold plates, or the host part).
- Bus heat: into the ``avionics`` part (a box inside the body, :class:`geometry.spec.UnitSpec`)
  when the spacecraft has one; else on the GPU coolant loop when a pumped loop cools the compute
  (their cold plates share it: ``spacecraft.avionics: loop``); else into the host part.
- Battery losses: into the ``battery`` part when the spacecraft has one (every bus with a power
  section), else with the bus heat.
- ``thermal.dissipation``: spread over the named parts.

The host part is the deck, or without one the first part.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geometry.parts import PartList
from thermal.case.model import Case, PumpedLoopSpec
from thermal.exposure import periodic_interp


def nominal_compute_W(case, shadow: np.ndarray, gpu_full_W=None) -> np.ndarray:
    """Compute heat demanded by the schedule, before any power limit [W]; ``gpu_full_W``: the power
    of one GPU at full utilisation on the same grid (:func:`gpu_full_power_W`), default its TDP."""
    c = case.compute
    if c is None:
        return np.zeros(shadow.shape)
    utilisation = np.where(shadow & (c.schedule == "eclipse_throttle"), c.eclipse_utilisation, c.utilisation)
    return c.count * (c.gpu.tdp_W if gpu_full_W is None else gpu_full_W) * utilisation + c.overhead_W


# --- GPU leakage: the GPU power at the junction temperature of the previous pass ---------------

def leaks(case) -> bool:
    """Whether the case's GPU power depends on its junction temperature (an active leakage law,
    :class:`thermal.core.library.Leakage`): the runs then iterate on the junction history."""
    c = case.compute
    return c is not None and c.gpu.leakage is not None and c.gpu.leakage.active


def junction_on_grid(history, exposure) -> np.ndarray:
    """The hottest GPU junction of a thermal history on the exposure's time grid [K]: by orbit phase
    over the history's last orbit; a steady state, or a run with no orbit (constant loads), gives
    its last value everywhere."""
    t, junction = np.asarray(history.time_s, float), np.asarray(history.gpu_junction_K, float)
    if t.size == 1 or exposure.period_s is None:
        return np.full(exposure.time_s.shape, junction[-1])
    last = t >= t[-1] - exposure.period_s * (1.0 - 1e-9)
    return np.interp(exposure.time_s, t[last], junction[last], period=exposure.period_s)


def gpu_full_power_W(case, junction_K: np.ndarray | None) -> np.ndarray | None:
    """Power of one GPU at full utilisation [W]: its TDP raised by its leakage law at the junction
    temperatures ``junction_K`` (a series on the exposure grid); None where the TDP applies as it is
    (no active law, or no junction history yet: the first pass)."""
    if junction_K is None or not leaks(case):
        return None
    gpu = case.compute.gpu
    return gpu.tdp_W * gpu.leakage.power_factor(junction_K)


def leakage_W(case, gpu_W: np.ndarray, gpu_full_W: np.ndarray | None) -> np.ndarray:
    """The leakage share of the heat of all GPUs [W], ``gpu_W`` being the heat of one GPU and
    ``gpu_full_W`` the power of one at full utilisation (:func:`gpu_full_power_W`)."""
    gpu_W = np.asarray(gpu_W, float)
    if case.compute is None or gpu_full_W is None:
        return np.zeros(gpu_W.shape)
    return case.compute.count * gpu_W * (1.0 - case.compute.gpu.tdp_W / gpu_full_W)


@dataclass
class HeatLoads:
    """Heat loads and electric draws on the exposure's time grid, interpolated periodically."""
    period_s: float | None
    time_s: np.ndarray
    compute: np.ndarray          # compute heat delivered (GPUs + overhead) [W]
    gpu: np.ndarray              # heat of one GPU [W]
    bus_heat: np.ndarray         # bus loads less the pump, and conversion losses [W] (see heat_placement)
    wing_electric: dict          # wing -> electric power drawn from it [W]
    pump: np.ndarray | float = 0.0   # pump work delivered, dissipated in the coolant [W]
    coolant_property_K: float = 300.0   # the loop temperature the coolant's properties are taken at
                                        # (thermal.coupling.coolant_property_temperature_K) [K]
    gpu_leakage: np.ndarray | float = 0.0   # the leakage share of `compute`, all GPUs (leakage_W) [W]
    battery: np.ndarray | float = 0.0   # the battery's losses [W] (see heat_placement)

    def _at(self, table, t):
        return periodic_interp(self.period_s, self.time_s, np.asarray(table, float), t)

    def compute_W(self, t):
        """Heat into the coolant at the cold plates: GPUs, overhead electronics and the pump's work."""
        return self._at(self.compute + self.pump, t)

    def gpu_W(self, t):
        return self._at(self.gpu, t)

    def bus_heat_W(self, t):
        return self._at(self.bus_heat, t)

    def battery_W(self, t):
        return self._at(np.broadcast_to(self.battery, self.time_s.shape), t)

    def wing_electric_W(self, wing, t):
        return self._at(self.wing_electric[wing], t) if wing in self.wing_electric else 0.0 * np.asarray(t)


def uncoupled_loads(case, exposure, pump_W: float, coolant_property_K: float,
                    junction_K: np.ndarray | None = None) -> HeatLoads:
    """Heat loads with no power model: the compute schedule as demanded, no electric draw; with a
    leakage law, the GPU power at the junction history ``junction_K`` (on the exposure grid)."""
    shadow = exposure.in_shadow
    if case.compute is None:
        return HeatLoads(exposure.period_s, exposure.time_s, np.zeros(shadow.shape), np.zeros(shadow.shape),
                         np.zeros(shadow.shape), {}, pump_W, coolant_property_K)
    full = gpu_full_power_W(case, junction_K)
    compute = nominal_compute_W(case, shadow, full)
    gpu = (compute - case.compute.overhead_W) / case.compute.count
    return HeatLoads(exposure.period_s, exposure.time_s, compute, gpu, np.zeros(shadow.shape), {}, pump_W,
                     coolant_property_K, gpu_leakage=leakage_W(case, gpu, full))



@dataclass(frozen=True)
class HeatPlacement:
    """Where the loads of a case land (see the module docstring).

    Attributes
    ----------
    host_part : str
        The part that takes the heat that has no cold plate or footprint: the deck, else the first part.
    bus_on_loop : bool
        The bus heat goes into the GPU coolant loop with the compute heat.
    bus_part : str
        The part that takes the bus heat when it is not on the loop: ``avionics``, else the host part.
    battery_part : str or None
        The part that takes the battery's losses: ``battery``; None: they go with the bus heat.
    """

    host_part: str
    bus_on_loop: bool
    bus_part: str
    battery_part: str | None = None


def heat_placement(case: Case, parts: PartList) -> HeatPlacement:
    """Where the loads of `case` land on its `parts`, for every thermal model."""
    host = "deck" if "deck" in parts.names else parts.parts[0].name
    roles = {p.role: p.name for p in parts.parts}
    avionics = roles.get("avionics")
    loop = isinstance(case.thermal.transport, PumpedLoopSpec) and case.compute is not None
    return HeatPlacement(host_part=host, bus_on_loop=avionics is None and loop,
                         bus_part=avionics or host, battery_part=roles.get("battery"))
