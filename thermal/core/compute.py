"""The compute a spacecraft carries: its GPUs, their utilisation and schedule, the other electronics.

One type, :class:`Compute`, for the case's ``compute`` section, the power model's compute load and
the sizing's GPU node (in a case with a ``sizing`` block, ``compute`` is one node that the sizing
replicates). Its GPU carries the case's junction limit and junction-to-coolant resistance.
"""

from __future__ import annotations

from dataclasses import dataclass

from thermal.core.checks import check_fraction, check_non_negative, need
from thermal.core.library import GPU, GPUS

#: Compute schedules (:mod:`power.loads` says what each does).
SCHEDULES = ("continuous", "eclipse_throttle", "soc_floor")


@dataclass(frozen=True)
class Compute:
    """GPUs and their electronics.

    Parameters
    ----------
    gpu : GPU
        The GPU, with the junction limit and junction-to-coolant resistance that apply.
    count : int
        GPUs [-] (per node in a sizing case).
    utilisation : float, default 1
        GPU power as a fraction of TDP [-].
    overhead_W : float, default 0
        Non-GPU electronics of the compute: CPUs, memory, NICs, switches, in-server conversion;
        constant [W].
    schedule : {'continuous', 'eclipse_throttle', 'soc_floor'}, default 'continuous'
    eclipse_utilisation : float, optional
        GPU utilisation in eclipse for 'eclipse_throttle' [-]; default ``utilisation``.
    soc_floor : float, optional
        State of charge the 'soc_floor' schedule holds by throttling [-].
    min_utilisation : float, default 0
        Lowest GPU utilisation throttling may go to [-].
    redundancy : float, default 1
        Useful fraction of the compute [-]: 1 without redundancy, 1/2 for duplicated and 1/3 for
        triple modular redundancy against radiation upsets (every GPU draws its power; the
        economics count the useful GPU-hours only).
    """

    gpu: GPU
    count: int
    utilisation: float = 1.0
    overhead_W: float = 0.0
    schedule: str = "continuous"
    eclipse_utilisation: float | None = None
    soc_floor: float | None = None
    min_utilisation: float = 0.0
    redundancy: float = 1.0

    def __post_init__(self):
        need(isinstance(self.gpu, GPU), "Compute.gpu", "a GPU", self.gpu)
        need(isinstance(self.count, int) and not isinstance(self.count, bool) and self.count >= 0,
             "Compute.count", "an integer >= 0", self.count)
        check_fraction("Compute.utilisation", self.utilisation)
        check_non_negative("Compute.overhead_W", self.overhead_W)
        need(self.schedule in SCHEDULES, "Compute.schedule", f"one of {SCHEDULES}", self.schedule)
        if self.eclipse_utilisation is None:
            object.__setattr__(self, "eclipse_utilisation", self.utilisation)
        check_fraction("Compute.eclipse_utilisation", self.eclipse_utilisation)
        if self.soc_floor is not None:
            check_fraction("Compute.soc_floor", self.soc_floor)
        check_fraction("Compute.min_utilisation", self.min_utilisation)
        check_fraction("Compute.redundancy", self.redundancy, open_low=True)

    @property
    def gpu_power_W(self) -> float:
        """Power of one GPU at the nominal utilisation [W]."""
        return self.gpu.tdp_W * self.utilisation

    @property
    def heat_W(self) -> float:
        """Electric power of the compute at the nominal utilisation, all of it heat [W]."""
        return self.count * self.gpu_power_W + self.overhead_W

    @property
    def eclipse_heat_W(self) -> float:
        """Electric power of the compute in eclipse as scheduled, before any throttling [W]."""
        if self.schedule != "eclipse_throttle":
            return self.heat_W
        eclipse_utilisation = self.utilisation if self.eclipse_utilisation is None else self.eclipse_utilisation
        return self.count * self.gpu.tdp_W * eclipse_utilisation + self.overhead_W

    @property
    def eclipse_fraction(self) -> float:
        """Compute power in eclipse over that in sunlight [-]."""
        return self.eclipse_heat_W / self.heat_W if self.heat_W > 0 else 1.0


#: One DGX H100-class node: 8 H100 SXM and 10.2 kW maximum system power (DGX H100 datasheet), so
#: 4.6 kW besides the GPUs; that includes fans a cold-plate server does not need (conservative).
DGX_H100_NODE = Compute(gpu=GPUS["H100-SXM"], count=8, overhead_W=10_200.0 - 8 * 700.0)
