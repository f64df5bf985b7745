"""The finite-element model inside a solve: mesh the case, hand the loads to `thermal.models.fe.model.solve_fe`.

The heat loads are the same objects the network model uses (:class:`thermal.loads.HeatLoads` on the
exposure's grid): absorbed flux per side, GPU heat per cold plate, other electronics and pump work
into the coolant (or spread over the GPU footprints without a loop), the bus heat in the avionics
part (else on the loop when there is one, else on the deck), the battery's losses in the battery
part (:func:`thermal.loads.heat_placement`), the electric power leaving each wing, and the case's
`thermal.dissipation`. The temperature field goes to the sink the caller gives
(:class:`thermal.models.fe.model.FieldSink`: the results writer's), or nowhere.
"""

import atexit
import dataclasses
from dataclasses import dataclass

import numpy as np
from mpi4py import MPI

from geometry.layout import bus_layout
from geometry.mesh import build_mesh
from geometry.spec import BusSpec, ExternalMeshSpec
from thermal.exchange import patch_exchange, wing_schedule
from thermal.loads import heat_placement
from thermal.models.fe.model import FESettings, OrthotropicPanel, solve_fe
from thermal.models.history import TransportReport
from thermal.orbit import case_orbit, shadow_breakpoints_s


def settings_of(case, exposure) -> FESettings:
    s = case.solver
    period = exposure.period_s
    events = ()
    if period is not None and case.environment.eclipse != "none" and case.orbit is not None:
        events = tuple(shadow_breakpoints_s(case_orbit(case.orbit), case.environment.eclipse))
    return FESettings(time_step_s=s.time_step_s, scheme=s.scheme, steady=s.steady,
                      duration_s=s.duration_s, period_s=period, periodic_tolerance_K=s.periodic_tolerance_K,
                      min_orbits=max(s.orbits, 2) if period is not None else 2, max_orbits=s.max_orbits,
                      event_times_s=events, field_every_n_steps=case.output.field_every_steps,
                      field_orbits="all" if case.output.fields == "all" else "last",
                      start_from_orbit_average=period is not None and not s.steady and s.duration_s is None)


def orthotropic_panels(spacecraft) -> tuple[OrthotropicPanel, ...]:
    """Radiators with embedded heat pipes: extra conductivity along the panel's length or width."""
    if not isinstance(spacecraft, BusSpec):
        return ()
    panels = bus_layout(spacecraft).panels
    out = []
    for r in spacecraft.radiators:
        if r.heat_pipe_conductivity_W_mK is None:
            continue
        edge = panels[r.name].edge_u if r.heat_pipes_along == "length" else panels[r.name].edge_v
        out.append(OrthotropicPanel(r.name, tuple(float(v) for v in edge), r.heat_pipe_conductivity_W_mK))
    return tuple(out)


#: The last mesh built, (spacecraft, mesh size, communicator, mesh): the passes of the
#: thermal-power coupling and the load cases of a case mesh the same spacecraft again and again.
#: Let go at exit before MPI is finalized (atexit runs the last registered first: mpi4py's own
#: hook was registered when it was imported above).
_last_mesh: list = []
atexit.register(_last_mesh.clear)


def case_mesh(case, comm, progress):
    """The case's mesh (:func:`geometry.mesh.build_mesh`), or the last one built if it was built for
    an equal spacecraft at the same size on the same processes: 20 s each time for the 1 MW
    module's 142,617 cells, which the coupling's passes and the load cases would mesh again. A
    mesh read from a file is read each time (the file may have changed)."""
    spec, size = case.spacecraft, case.solver.mesh_size_m
    if _last_mesh and not isinstance(spec, ExternalMeshSpec):
        last_spec, last_size, last_comm, mesh = _last_mesh[0]
        if last_size == size and last_comm == comm and last_spec == spec:
            progress(f"fe: the mesh at {size * 100:.3g} cm of the last run ({mesh.n_cells} cells)")
            return mesh
    progress(f"fe: meshing at {size * 100:.3g} cm")
    mesh = build_mesh(spec, size, comm=comm)
    _last_mesh[:] = [(spec, size, comm, mesh)]
    return mesh


@dataclass(frozen=True)
class FieldState:
    """The field a run ended on (this rank's owned temperatures) and the mesh it lives on."""
    mesh: object
    T_owned: np.ndarray


def run_fe(case, parts, exposure, loads, progress, fields=None, start: FieldState | None = None):
    """The case's finite-element run (module doc); ``start``: the ``final_state`` of an earlier run to
    start from (:func:`thermal.models.fe.model.solve_fe`), used when it lives on this run's mesh
    (:func:`case_mesh` kept it), else the run starts as without it. The history's ``final_state``
    is a :class:`FieldState`."""
    comm = MPI.COMM_WORLD
    sm = case_mesh(case, comm, progress)
    start_T = start.T_owned if isinstance(start, FieldState) and start.mesh is sm else None
    if case.output.fields == "none":
        fields = None
    wings = [p.name for p in parts.parts if p.role == "solar_array"]
    count = case.compute.count if case.compute else 0
    placement = heat_placement(case, parts)   # where each load lands, as in the network model
    host, bus_on_loop, bus_part = placement.host_part, placement.bus_on_loop, placement.bus_part
    battery_part = placement.battery_part

    def side_absorbed(t):
        return dict(zip(exposure.side_names, exposure.absorbed(t), strict=True))

    no_footprints = count > 0 and not sm.footprint_ids   # compute on a plate: spread over it

    def part_heat(t):
        heat = dict(case.thermal.dissipation_W)
        bus = float(loads.bus_heat_W(t)) + (float(loads.battery_W(t)) if battery_part is None else 0.0)
        if battery_part is not None:
            heat[battery_part] = heat.get(battery_part, 0.0) + float(loads.battery_W(t))
        if no_footprints:
            heat[host] = heat.get(host, 0.0) + float(loads.compute_W(t)) + bus
        elif not bus_on_loop:
            heat[bus_part] = heat.get(bus_part, 0.0) + bus
        return heat

    def gpu_heat(t):
        return np.full(0 if no_footprints else count, float(loads.gpu_W(t)))

    def cold_plate_heat(t):
        # overhead electronics and pump work (compute_W holds GPUs + overhead + pump), and the bus
        # losses when the loop cools the bus too (with the battery's when it has no part of its own)
        other = float(loads.compute_W(t)) - count * float(loads.gpu_W(t))
        if not bus_on_loop:
            return other
        return other + float(loads.bus_heat_W(t)) + (float(loads.battery_W(t)) if battery_part is None else 0.0)

    def electric(t):
        return {w: float(loads.wing_electric_W(w, t)) for w in wings}

    history = solve_fe(sm, side_absorbed, part_heat, gpu_heat, case.thermal.transport,
                       case.compute.gpu.junction_to_coolant_K_W if case.compute else 0.0,
                       case.thermal.initial_temperature_K, settings_of(case, exposure),
                       progress=lambda text, done=None, total=None: progress(f"fe: {text}", done, total),
                       part_electric_W=electric, orthotropic_panels=orthotropic_panels(case.spacecraft),
                       cold_plate_heat_W=cold_plate_heat if count and not no_footprints else None, fields=fields,
                       heaters=case.thermal.heaters, coolant_property_K=loads.coolant_property_K,
                       exchange=None if exposure.exchange is None else patch_exchange(exposure.exchange, parts),
                       wing_exchange=_wing_exchange(exposure.exchange, parts), start=start_T)
    history.solver_stats["mesh_cells"] = sm.n_cells
    history = dataclasses.replace(history, final_state=FieldState(sm, history.final_state))
    return history, TransportReport()   # pump power: reported by the orchestrator for every model


def _wing_exchange(exchange, parts):
    """(schedule, the patch exchange at each wing position) of sun-tracking wings, or None."""
    schedule = wing_schedule(exchange) if exchange is not None else None
    if schedule is None:
        return None
    return schedule, [patch_exchange(exchange, parts, k) for k in range(len(schedule.times_s))]
