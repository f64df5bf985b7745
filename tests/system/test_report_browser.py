"""`report.html` rendered by a real browser (Debian's chromium, headless): every image decodes and
is laid out at a size, the verdict is drawn at the top of the page, and the screenshot of the page
is not blank. Skipped, with the reason, where chromium is not installed (`.ci/run` installs it)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from test_report import copy, embedded, parse
from test_view import read_png, small_results

from thermal.outputs import report

from builders import small_panel_case

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=10000"]
#: run after the page has loaded: what the browser made of each image and of the verdict box
PROBE = """<script>
window.addEventListener('load', () => {
  const rows = [...document.images].map(i =>
    `${i.complete ? 1 : 0} ${i.naturalWidth} ${i.naturalHeight} ${i.getBoundingClientRect().width.toFixed(0)}`);
  const box = document.querySelector('.verdict').getBoundingClientRect();
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = 'images\\n' + rows.join('\\n') + `\\nverdict ${box.top.toFixed(0)} ${box.height.toFixed(0)}`;
  document.body.appendChild(out);
});
</script>"""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed: apt-get install -y chromium "
                                                         "(.ci/run installs it; CI runs this test)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    directory = copy(small_results(tmp_path_factory), tmp_path_factory.mktemp("browser"))
    return report.write_report(directory)


def test_every_image_decodes_and_is_laid_out(page, tmp_path):
    # a copy alone in an empty folder: the page must not need its results folder
    probe = tmp_path / "alone" / "report.html"
    probe.parent.mkdir()
    probe.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
    dom = chromium(tmp_path, "--dump-dom", probe.as_uri()).stdout
    found = re.search(r'<pre id="probe">images\n(.*?)\nverdict (\d+) (\d+)</pre>', dom, re.S)
    assert found, dom[-1500:]
    rows = [list(map(int, line.split())) for line in found.group(1).splitlines()]
    sizes = [picture.shape[1::-1] for picture in embedded(parse(page)[0])]
    assert len(rows) == len(sizes) == 3
    for (complete, width, height, shown), size in zip(rows, sizes, strict=True):
        assert complete == 1 and (width, height) == size     # decoded by the browser at its own size
        assert shown > 300                                   # and drawn across the page
    top, height = int(found.group(2)), int(found.group(3))
    assert top < 250 and height > 20                          # the verdict comes first


def test_the_rendered_page_is_not_blank(page, tmp_path):
    shot = tmp_path / "page.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,3000", page.as_uri())
    image = read_png(shot)
    assert image.shape[:2] == (3000, 1200)
    ink = np.any(image < 200, axis=-1)
    assert ink.mean() > 0.02                                     # text, tables and plots drawn
    # the verdict box's green (a pass) in the top of the page
    green = np.all(np.abs(image - np.array([0x17, 0x6B, 0x2C])) < 30, axis=-1)
    assert green[:400].mean() > 1e-4
    # somewhere below, the plots' colours: pixels far from any grey
    chroma = image.max(axis=-1) - image.min(axis=-1)
    assert (chroma[1200:] > 80).mean() > 1e-3


PANEL_CASE = small_panel_case("panel_report", "model: network, time_step: 60 s, orbits: 2")


def test_a_panel_array_report_renders(tmp_path):
    """A panel array's report (spacecraft.kind: panel_array, through the solve command): every image
    decodes at its size, the verdict is at the top, and the panel section is there."""
    from builders import solve
    case = tmp_path / "panel.yaml"
    case.write_text(PANEL_CASE)
    code, err = solve(case, tmp_path / "out")
    assert code == 0, err
    page = tmp_path / "out" / "report.html"
    text = page.read_text()
    assert 'id="panel"' in text and "What the claims need" in text
    probe = tmp_path / "alone" / "report.html"
    probe.parent.mkdir()
    probe.write_text(text.replace("</body>", PROBE + "</body>"))
    dom = chromium(tmp_path, "--dump-dom", probe.as_uri()).stdout
    found = re.search(r'<pre id="probe">images\n(.*?)\nverdict (\d+) (\d+)</pre>', dom, re.S)
    assert found, dom[-1500:]
    rows = [list(map(int, line.split())) for line in found.group(1).splitlines()]
    sizes = [picture.shape[1::-1] for picture in embedded(parse(page)[0])]
    assert len(rows) == len(sizes) >= 3          # temperatures, the panel's orbit, the sized design
    for (complete, width, height, shown), size in zip(rows, sizes, strict=True):
        assert complete == 1 and (width, height) == size and shown > 300
    assert int(found.group(2)) < 250 and int(found.group(3)) > 20
