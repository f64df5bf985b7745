"""`python -m geometry CASE`: parts and mesh report, ParaView mesh, headless screenshot."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_geometry_command_writes_mesh_and_screenshot(tmp_path):
    mesh, png = tmp_path / "plate.xdmf", tmp_path / "plate.png"
    proc = subprocess.run([sys.executable, "-m", "geometry", str(ROOT / "cases" / "plate_sun.yaml"),
                           "--mesh", str(mesh), "--screenshot", str(png)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    # the 1 m x 1 m plate: analytic and meshed areas both printed as 1.000 m^2
    line = next(row for row in proc.stdout.splitlines() if row.startswith("  plate "))
    assert line.split()[2:4] == ["1.000", "1.000"]
    assert mesh.exists() and mesh.with_suffix(".h5").stat().st_size > 0
    from PIL import Image
    image = Image.open(png)
    assert image.size == (1200, 800)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 2  # something other than the background was drawn
