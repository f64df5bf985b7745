"""The resource guard: what a case will cost, estimated from its keys before any heavy work.

A case whose mesh or run is far larger than the user can have meant (``mesh_size: 1 mm`` on a
metre-sized spacecraft, ``time_step: 10 ms`` over forty orbits) is refused with the estimate and
the key that raises the limit, instead of running for minutes and dying of memory.

Estimates:
- finite-element unknowns and memory, one per mesh node: a shell meshed with triangles of edge ``h`` has
  about ``2 / (sqrt(3) h^2)`` nodes per square metre (equilateral triangles, six around each
  node); the generated geometry's area is summed over its parts (one side each). The estimate is
  asymptotically exact for a plate (within 4 % at 2 cm on a 1 m^2 plate) and low by about a
  quarter for a bus, whose part edges and small parts add nodes (7,751 against 10,544 for
  cases/h100_bus.yaml). A case with an external mesh brings its own mesh and is not estimated;
- time steps: none for a steady state, ``duration / time_step`` for a duration, and
  ``max_orbits`` orbits of ``period / time_step`` for a run to the periodic state (the most it may
  take).
"""

import functools
import math

from geometry.layout import part_list
from geometry.spec import ExternalMeshSpec
from thermal.case.model import Case
from thermal.core.errors import CaseError
from thermal.core.kepler import orbital_period_s

#: Mesh nodes per square metre of shell, times the square of the mesh size.
NODES_PER_M2_TIMES_H2 = 2.0 / math.sqrt(3.0)
#: Memory of a finite-element run: a fixed part (the libraries) and a part per unknown, measured
#: (peak resident memory, one process) on the plate of cases/plate_sun.yaml at 3,012, 23,945 and
#: 95,048 unknowns: 545, 559 and 621 MB.
BASE_MEMORY_BYTES = 0.55e9
BYTES_PER_UNKNOWN = 0.83e3


def estimated_memory_bytes(unknowns: int) -> float:
    """Peak memory of a finite-element run of ``unknowns`` unknowns (one process) [bytes]."""
    return BASE_MEMORY_BYTES + BYTES_PER_UNKNOWN * unknowns


def estimated_unknowns(case: Case) -> int | None:
    """Unknowns of the finite-element model (None: the network model, or an external mesh)."""
    if case.solver.model != "fe" or isinstance(case.spacecraft, ExternalMeshSpec):
        return None
    return math.ceil(NODES_PER_M2_TIMES_H2 * _parts_area_m2(case.spacecraft) / case.solver.mesh_size_m ** 2)


@functools.lru_cache(maxsize=64)
def _parts_area_m2(spacecraft) -> float:
    """The generated geometry's area, one side of each part [m^2], laid out once per spacecraft (by
    value: the reader checks each load case, and a study's trial reads, with the same one)."""
    return sum(p.area_m2 for p in part_list(spacecraft).parts)


def estimated_steps(case: Case) -> int:
    """The most time steps the run may take."""
    s = case.solver
    if s.steady:
        return 0
    if s.duration_s is not None:
        return math.ceil(s.duration_s / s.time_step_s)
    assert case.orbit is not None   # the reader gives a transient in deep space a duration
    return s.max_orbits * math.ceil(orbital_period_s(case.orbit.altitude_m) / s.time_step_s)


def check_resources(case: Case) -> None:
    """Refuse (CaseError) a case whose estimated unknowns or time steps exceed ``solver.max_unknowns``
    or ``solver.max_steps``, naming the estimate, the keys that drive it and the key that raises
    the limit."""
    s = case.solver
    unknowns = estimated_unknowns(case)
    if unknowns is not None and unknowns > s.max_unknowns:
        raise CaseError("solver.mesh_size", f"a mesh of at most solver.max_unknowns = {s.max_unknowns:,} unknowns",
                        f"{s.mesh_size_m * 100:g} cm",
                        f"about {unknowns:,} unknowns and {estimated_memory_bytes(unknowns) / 1e9:.1f} GB on "
                        f"{case.name}'s parts; coarsen solver.mesh_size, or raise solver.max_unknowns on purpose")
    steps = estimated_steps(case)
    if steps > s.max_steps:
        run = f"{s.duration_s:g} s" if s.duration_s is not None else f"up to {s.max_orbits} orbits (solver.max_orbits)"
        raise CaseError("solver.time_step", f"a run of at most solver.max_steps = {s.max_steps:,} steps",
                        f"{s.time_step_s:g} s", f"about {steps:,} steps over {run}; lengthen solver.time_step, "
                        "shorten the run, or raise solver.max_steps on purpose")
