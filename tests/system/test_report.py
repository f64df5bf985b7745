"""`python -m thermal.report`: the one-page HTML holds every section, and every image it references
exists and is not empty; the energy-audit and sizing plots."""

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from test_view import plate_results, read_png, small_results

from thermal.outputs import report
from thermal.report import main as report_main

SECTIONS = ["Case", "Summary: parts and temperatures", "Limits", "Plots", "3D snapshot"]


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: dict[str, list[str]] = {"h1": [], "h2": []}
        self.images: list[str] = []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        if tag in self.headings:
            self._tag = tag
            self.headings[tag].append("")
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_endtag(self, tag):
        if tag == self._tag:
            self._tag = None

    def handle_data(self, data):
        if self._tag:
            self.headings[self._tag][-1] += data


def parse(path: Path) -> tuple[Page, str]:
    text = path.read_text()
    page = Page()
    page.feed(text)
    return page, text


def assert_images_exist(page: Page, directory: Path) -> None:
    assert page.images
    for src in page.images:
        image = directory / src
        assert image.is_file() and image.stat().st_size > 0, src
        assert read_png(image).shape[0] > 100


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_results(tmp_path_factory)


def copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def test_report_holds_every_section_and_its_images(small, tmp_path):
    directory = copy(small, tmp_path)
    path = report.write_report(directory)
    assert path == directory / "report.html"
    page, text = parse(path)
    assert page.headings["h1"] == ["small_bus: thermal report"]
    assert page.headings["h2"] == SECTIONS
    assert set(page.images) == {"temperatures.png", "energy.png", "snapshot.png"}
    assert_images_exist(page, directory)
    summary = json.loads((directory / "summary.json").read_text())
    assert summary["run"]["case_sha256"] in text
    # every part in the table, the junction against its limit
    for part in summary["geometry"]["parts"]:
        assert f">{part}<" in text
    th = summary["thermal"]
    assert f"{th['gpu_junction_max_K']:.1f} K" in text and f"{th['gpu_junction_limit_K']:.1f} K" in text
    assert "all limits met" in text and "MISSED" not in text
    assert "beta 30.0 deg" in text


def test_missed_limits_are_flagged(small, tmp_path):
    directory = copy(small, tmp_path)
    summary = json.loads((directory / "summary.json").read_text())
    summary["thermal"]["gpu_junction_limit_K"] = summary["thermal"]["gpu_junction_max_K"] - 5.0
    summary["thermal"]["limits"] = {"radiator": {"min_K": 0.0, "max_K": 200.0, "met": False}}
    (directory / "summary.json").write_text(json.dumps(summary))
    page, text = parse(report.write_report(directory, snapshot=False))
    assert text.count(">MISSED<") == 2 and "limits missed" in text
    assert "radiator (min / max)" in text
    assert "snapshot.png" not in page.images


def test_sizing_section_and_plot(small, tmp_path):
    directory = copy(small, tmp_path)
    summary = json.loads((directory / "summary.json").read_text())
    breakdown = {"compute": 12870.0, "radiator": 5170.0, "heat_transport": 11213.0, "solar_array": 11834.0,
                 "battery": 13856.0, "structure": 10989.0, "margin": 13186.0}
    module = {"gpu_count": 792, "radiator_area_m2": 1723.3, "array_area_m2": 4998.3, "battery_capacity_Wh": 1.66e6,
              "mass_kg": sum(breakdown.values()), "mass_breakdown_kg": breakdown}
    summary["sizing"] = {**module, "module": module, "module_count": 1, "compute_power_W": 1.0098e6,
                         "heat_rejection_W": 1.12e6, "radiator_temperature_K": 317.6, "launch_cost_usd": 1.98e7,
                         "launch_count": 1, "launch_vehicle": "Starship (near term)",
                         "binding": {"radiator": "GPU junction limit"},
                         "check": {"load_cases": {"case": {"epoch": None, "life": "end_of_life", "models": {
                             "network": {"gpu_junction_max_K": 341.8, "gpu_junction_limit_K": 360.15,
                                         "radiator_T_min_K": 306.9, "met": True, "independent": False,
                                         "verdict": {"status": "pass"}},
                             "fe": {"model": "fe", "skipped": "not a binding load case of the network runs"}}}}}}
    (directory / "summary.json").write_text(json.dumps(summary))
    assert report_main([str(directory), "--no-snapshot"]) == 0
    page, text = parse(directory / "report.html")
    assert page.headings["h2"] == ["Case", "Summary: parts and temperatures", "Limits", "Sizing", "Plots",
                                   "3D snapshot"]
    assert "sizing.png" in page.images and "snapshot.png" not in page.images
    assert_images_exist(page, directory)
    assert "1,723 m^2" in text and "79.1 t" in text
    assert "check case (network, tuned: consistency check)" in text and "radiator min 306.9 K" in text


def test_steady_case_report(tmp_path_factory, tmp_path):
    directory = copy(plate_results(tmp_path_factory), tmp_path)
    page, text = parse(report.write_report(directory))
    assert page.headings["h2"] == SECTIONS
    assert set(page.images) == {"energy.png", "snapshot.png"}      # no time series plots for a steady state
    assert_images_exist(page, directory)
    assert "deep space" in text and "No limits are set" in text


def test_energy_plot_draws_the_terms_and_the_eclipse(tmp_path):
    t = np.linspace(0, 5400, 91)
    shadow = (t > 2000) & (t < 3400)
    absorbed = np.where(shadow, 2e3, 9e3)
    path = tmp_path / "energy.png"
    report.plot_energy(path, t, absorbed, np.full_like(t, 5e3), absorbed + 5e3, np.zeros_like(t), shadow, "audit")
    image = read_png(path)
    assert image.shape[0] > 300
    grey = np.all(np.abs(image - 0.85 * 255) < 3, axis=-1)     # results.shade_eclipses' band
    assert grey.mean() > 0.05
