"""Spacecraft geometry: specs, the analytic part list, tagged shell meshes, external meshes.

- :mod:`geometry.spec`: what the `spacecraft` section of a case describes (SI floats).
- :mod:`geometry.parts`: the part list vocabulary (parts, radiating sides, joints, facings);
- :mod:`geometry.layout`: where every panel sits and the part list of each kind of spacecraft;
  numpy only, used by the network model and the sizing;
- :mod:`geometry.surface`: triangle surfaces as numpy arrays, external meshes with named groups
  read and written serially (`read_mesh_arrays`, `write_meshio`, `MeshGroupError`);
- :mod:`geometry.shells`: the parametric shells as a gmsh model (`build_gmsh_model`,
  `surface_arrays`, `DegenerateMeshError`);
- :mod:`geometry.mesh`: the distributed DOLFINx mesh of either kind (`build_mesh`,
  `read_external_mesh`, `SpacecraftMesh`, `export_mesh`);
- :mod:`geometry.vtu`: VTU files of a tagged triangle mesh (`VtuMesh`), compressed, with the part
  names on the cells;
- :mod:`geometry.view`: a PyVista picture of the parts.

Only spec, parts and layout are imported here, so ``import geometry`` needs neither gmsh nor
DOLFINx.
"""

from geometry.layout import Panel, bus_layout, part_list
from geometry.parts import Joint, Part, PartList, RadiatingSide, opposite_facing, side_normal
from geometry.spec import (
    NAMED_DIRECTIONS,
    BodySpec,
    BusSpec,
    DeckSpec,
    ExternalMeshSpec,
    MeshPartSpec,
    PlateSpec,
    RadiatorSpec,
    SolarArraySpec,
    SpacecraftSpec,
)

__all__ = [
    "NAMED_DIRECTIONS", "BodySpec", "BusSpec", "DeckSpec", "ExternalMeshSpec", "Joint",
    "MeshPartSpec", "Panel", "Part", "PartList", "PlateSpec", "RadiatingSide", "RadiatorSpec",
    "SolarArraySpec", "SpacecraftSpec", "bus_layout", "opposite_facing", "part_list",
    "side_normal",
]
