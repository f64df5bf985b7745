"""Make cases/meshes/external_plate.msh: the 1 m x 1 m coupon of plate_sun as an external mesh.

The plate lies in the body x-y plane (z = 0, cells facing +z) and is cut along x = 0 into two
physical groups, ``left_half`` (x < 0) and ``right_half`` (x > 0), that share their nodes along
the cut. Triangles of about 10 cm; gmsh MSH 4.1, ASCII.

    python cases/meshes/make_external_plate.py
"""

from pathlib import Path

import gmsh

SIZE_M = 1.0
MESH_SIZE_M = 0.1


def main(path: Path = Path(__file__).with_name("external_plate.msh")) -> Path:
    gmsh.initialize(interruptible=False)
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.add("external_plate")
        occ = gmsh.model.occ
        left = occ.addRectangle(-0.5 * SIZE_M, -0.5 * SIZE_M, 0.0, 0.5 * SIZE_M, SIZE_M)
        right = occ.addRectangle(0.0, -0.5 * SIZE_M, 0.0, 0.5 * SIZE_M, SIZE_M)
        _, out_map = occ.fragment([(2, left)], [(2, right)])
        occ.synchronize()
        gmsh.model.addPhysicalGroup(2, [t for _, t in out_map[0]], 1, name="left_half")
        gmsh.model.addPhysicalGroup(2, [t for _, t in out_map[1]], 2, name="right_half")
        gmsh.option.setNumber("Mesh.MeshSizeMax", MESH_SIZE_M)
        gmsh.option.setNumber("Mesh.Algorithm", 6)
        gmsh.model.mesh.generate(2)
        gmsh.option.setNumber("Mesh.MshFileVersion", 4.1)
        gmsh.option.setNumber("Mesh.Binary", 0)
        gmsh.write(str(path))
    finally:
        gmsh.finalize()
    return path


if __name__ == "__main__":
    print(main())
