"""Spacecraft geometry: specs, the analytic part list, tagged shell meshes, external meshes.

- :mod:`geometry.spec`: what the `spacecraft` section of a case describes (SI floats).
- :mod:`geometry.parts`: the part list (areas, masses, radiating sides, joints) and where every
  panel sits; numpy only, used by the network model and the sizing.
- :mod:`geometry.mesh`: parametric shell meshes built with gmsh and distributed by DOLFINx
  (`build_mesh`, `SpacecraftMesh`, `write_mesh`, `DegenerateMeshError`).
- :mod:`geometry.external`: external meshes with named groups (`read_external_mesh`,
  `export_mesh`, `MeshGroupError`).
- :mod:`geometry.view`: a PyVista picture of the parts.

Only spec and parts are imported here, so ``import geometry`` needs neither gmsh nor DOLFINx.
"""

from geometry.parts import (Joint, Panel, Part, PartList, RadiatingSide, bus_layout,
                            opposite_facing, part_list, side_normal)
from geometry.spec import (NAMED_DIRECTIONS, BodySpec, BusSpec, DeckSpec, ExternalMeshSpec,
                           MeshPartSpec, PlateSpec, RadiatorSpec, SolarArraySpec, SpacecraftSpec)

__all__ = [
    "NAMED_DIRECTIONS", "BodySpec", "BusSpec", "DeckSpec", "ExternalMeshSpec", "Joint",
    "MeshPartSpec", "Panel", "Part", "PartList", "PlateSpec", "RadiatingSide", "RadiatorSpec",
    "SolarArraySpec", "SpacecraftSpec", "bus_layout", "opposite_facing", "part_list",
    "side_normal",
]
