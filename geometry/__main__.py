"""`python -m geometry CASE.yaml [--mesh FILE] [--screenshot FILE.png]`: mesh a case's spacecraft,
report its parts and mesh quality, write the tagged mesh and draw the parts.

The mesh file is one grid of triangles, the format from the suffix, with the cell arrays
`part_id` (the tag of each cell) and `group:<name>` (1 on the cells of that part or GPU
footprint), so the part names show on the cells; it reads back as an external mesh
(`spacecraft.mesh`). FILE.vtu (compressed; field data names each part_id): ParaView, PyVista and
meshio open it. FILE.vtk and other suffixes: written by meshio. FILE.xdmf is refused: pyvista.read
(0.49) cannot open an XDMF without time steps and meshio cannot open one with them, so no XDMF
opens in both; write .vtu. The screenshot renders off screen.
"""

import argparse
import sys

from thermal.core.errors import CaseError, InfeasibleError
from thermal.core.tool import VERSION_LINE


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geometry", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", help="case file (YAML)")
    parser.add_argument("--mesh", help="write the tagged mesh: .vtu (ParaView, PyVista, meshio), .vtk or any other "
                                       "suffix meshio writes except .xdmf")
    parser.add_argument("--screenshot", help="draw the parts off screen into this PNG")
    parser.add_argument("--mesh-size", type=float, help="element size in metres (default: solver.mesh_size)")
    parser.add_argument("--version", action="version", version=VERSION_LINE)
    args = parser.parse_args(argv)
    if args.mesh and args.mesh.lower().endswith(".xdmf"):
        print(f"error: --mesh {args.mesh}: an XDMF file would not open in both PyVista and meshio (pyvista.read "
              "needs time steps, meshio refuses them); write the mesh as .vtu (ParaView, PyVista and meshio read it, "
              "with the part names)", file=sys.stderr)
        return 2
    from mpi4py import MPI
    root = MPI.COMM_WORLD.rank == 0
    try:
        from geometry.layout import part_list
        from geometry.mesh import build_mesh, export_mesh
        from thermal.case import load_case
        case = load_case(args.case)
        parts = part_list(case.spacecraft)
        sm = build_mesh(case.spacecraft, args.mesh_size or case.solver.mesh_size_m)
        areas = {name: sm.area_m2(name) for name in parts.names}
        if root:
            print(f"{case.name}: {sm.n_cells} triangles, min quality {sm.min_quality:.3f}, "
                  f"max aspect ratio {sm.max_aspect_ratio:.2f}, meshed in {sm.mesh_time_s:.2f} s")
            print(f"  {'part':<16}{'role':<12}{'area m^2':>10}{'mesh m^2':>10}{'mass kg':>10}")
            for part in parts.parts:
                print(f"  {part.name:<16}{part.role:<12}{part.area_m2:10.3f}{areas[part.name]:10.3f}"
                      f"{part.mass_kg:10.2f}")
        if args.mesh:
            export_mesh(sm, args.mesh)
        if args.screenshot:
            from geometry.view import plot_parts
            plot_parts(sm, screenshot=args.screenshot)
    except (CaseError, InfeasibleError) as err:
        if root:
            print(f"{'error' if isinstance(err, CaseError) else 'infeasible'}: {err}", file=sys.stderr)
        return err.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
