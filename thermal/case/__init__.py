"""Case files: YAML with units in, frozen configuration objects of SI floats out.

:func:`load_case` reads and checks a case file (:mod:`thermal.case.load`); the types it returns are
in :mod:`thermal.case.model` and :mod:`thermal.case.sizing`. YAML (:mod:`thermal.case.document`)
and units (:mod:`thermal.case.units`, pint) stop here: everything downstream sees SI floats.
"""

from thermal.case.load import load_case
from thermal.case.model import (
    BypassSpec,
    Case,
    ConductionSpec,
    EnvironmentConstants,
    HeaterSpec,
    HeatPipeSpec,
    OrbitConfig,
    OutputConfig,
    PowerConfig,
    PumpedLoopSpec,
    SolverConfig,
    ThermalConfig,
    TransportSpec,
    replace,
)
from thermal.case.sizing import EconomicsConfig, RadiatorOnlySizing, SizingConfig

__all__ = ["BypassSpec", "Case", "ConductionSpec", "EconomicsConfig", "EnvironmentConstants", "HeaterSpec",
           "HeatPipeSpec", "OrbitConfig", "OutputConfig", "PowerConfig", "PumpedLoopSpec", "RadiatorOnlySizing",
           "SizingConfig", "SolverConfig",
           "ThermalConfig", "TransportSpec", "load_case", "replace"]
