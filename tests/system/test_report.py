"""`report.html`: one self-contained page (every image embedded as a PNG data URI), the verdict
first, the inputs, every figure with its basis (BOL/EOL, one module or all, the case's epoch or the
envelope), one temperature unit; the energy-audit and sizing plots."""

import base64
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml
from test_view import plate_results, read_png, small_results

from thermal.outputs import report
from thermal.report import main as report_main

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ["Verdict", "Inputs", "Limits", "Parts and temperatures", "Plots", "3D snapshot", "Run"]


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: dict[str, list[str]] = {"h1": [], "h2": []}
        self.images: list[dict] = []
        self.links: list[str] = []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        if tag in self.headings:
            self._tag = tag
            self.headings[tag].append("")
        if tag == "img":
            self.images.append(dict(attrs))
        if tag in ("a", "link", "script") and (dict(attrs).get("href") or dict(attrs).get("src")):
            self.links.append(dict(attrs).get("href") or dict(attrs).get("src"))

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


def embedded(page: Page) -> list[np.ndarray]:
    """Every image of the page decoded from its data URI (none is a link to a file), checked
    against the width and height the page gives it."""
    from PIL import Image
    assert page.images and not page.links
    pictures = []
    for img in page.images:
        head, _, data = img["src"].partition(",")
        assert head == "data:image/png;base64", img["src"][:40]
        picture = Image.open(io.BytesIO(base64.b64decode(data)))
        assert picture.format == "PNG" and picture.size == (int(img["width"]), int(img["height"]))
        assert picture.size[1] > 100
        pictures.append(np.asarray(picture.convert("RGB")))
    return pictures


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_results(tmp_path_factory)


@pytest.fixture(scope="module")
def powered(tmp_path_factory):
    """h100_bus on the network model, its own epoch only: a power system with a faded battery."""
    base = tmp_path_factory.mktemp("powered")
    data = yaml.safe_load((ROOT / "cases" / "h100_bus.yaml").read_text())
    data["name"] = "powered_bus"
    data["solver"] = {"model": "network", "time_step": "60 s", "orbits": 2}
    data["load_cases"] = "none"
    case = base / "powered_bus.yaml"
    case.write_text(yaml.safe_dump(data))
    from thermal.solve import main
    assert main([str(case), "--out", str(base / "out"), "--quiet"]) == 0
    return base / "out"


def copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def test_report_is_self_contained_with_the_verdict_first(small, tmp_path):
    directory = copy(small, tmp_path)
    path = report.write_report(directory)
    assert path == directory / "report.html"
    page, text = parse(path)
    assert page.headings["h1"] == ["small_bus: thermal report"]
    assert page.headings["h2"] == SECTIONS
    assert len(embedded(page)) == 3                           # temperatures, energy, snapshot
    # sent alone, without its folder, the page still holds its pictures
    alone = tmp_path / "alone.html"
    shutil.copy(path, alone)
    assert len(embedded(parse(alone)[0])) == 3
    summary = json.loads((directory / "summary.json").read_text())
    assert summary["run"]["case_sha256"] in text
    for part in summary["geometry"]["parts"]:
        assert f">{part}<" in text
    th = summary["thermal"]
    # the junction against its limit, in K with degrees Celsius beside it
    j, limit = th["gpu_junction_max_K"], th["gpu_junction_limit_K"]
    assert f"{j:.1f} K ({j - 273.15:.1f} °C)" in text and f"{limit:.1f} K ({limit - 273.15:.1f} °C)" in text
    assert text.index(">PASS") < text.index('id="inputs"')     # the verdict before anything else
    assert "MISSED" not in text and "beta 30.0 deg" in text


def test_inputs_show_the_loads_and_every_coating_at_both_lives(small, tmp_path):
    directory = copy(small, tmp_path)
    _, text = parse(report.write_report(directory, snapshot=False))
    assert "8 x H100-SXM at 100 % of its 700 W TDP = 5.60 kW of GPUs" in text
    from geometry.layout import part_list
    from thermal.case import load_case
    summary = json.loads((directory / "summary.json").read_text())
    coatings = {side.coating.name: side.coating
                for part in part_list(load_case(summary["case_path"]).spacecraft).parts for side in part.sides}
    assert {"osr", "solar_cell"} <= set(coatings)
    for name, c in coatings.items():
        row = text[text.index(f'<td class="l">{name}</td>'):].split("</tr>")[0]
        assert f"{c.absorptivity:.3f}" in row and f"{c.emissivity:.3f}" in row
        assert (f"{c.absorptivity_eol:.3f}" if c.absorptivity_eol is not None else "no data (as BOL)") in row


def test_a_moved_case_file_is_said_and_the_report_still_stands(small, tmp_path):
    directory = copy(small, tmp_path)
    summary = json.loads((directory / "summary.json").read_text())
    summary["case_path"] = str(tmp_path / "gone.yaml")
    (directory / "summary.json").write_text(json.dumps(summary))
    page, text = parse(report.write_report(directory, snapshot=False))
    assert "Only what summary.json holds is shown: the case file is not at hand" in text
    assert page.headings["h2"] == SECTIONS


def test_one_temperature_unit_throughout(small, tmp_path):
    directory = copy(small, tmp_path)
    _, text = parse(report.write_report(directory, snapshot=False, units="degC"))
    th = json.loads((directory / "summary.json").read_text())["thermal"]
    assert "T max [°C]" in text and "T max [K]" not in text
    assert f"{th['gpu_junction_max_K'] - 273.15:.1f} °C" in text
    assert f"{th['gpu_junction_max_K']:.1f} K" not in text
    radiator = th["parts"]["radiator"]
    assert f"<td>{radiator['T_max_K'] - 273.15:.1f}</td>" in text


def test_the_case_picks_the_unit(small, tmp_path):
    """output.temperature_unit: degC in the case file reaches the page (and its plots)."""
    from test_view import small_bus_case
    case = small_bus_case(tmp_path / "bus_degc.yaml")
    data = yaml.safe_load(case.read_text())
    data["output"] = {"temperature_unit": "degC"}
    case.write_text(yaml.safe_dump(data))
    from thermal.solve import main
    assert main([str(case), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    text = (tmp_path / "out" / "report.html").read_text()
    assert "Temperatures in °C" in text and "T min [°C]" in text


def test_battery_and_array_figures_say_their_basis(powered, tmp_path):
    directory = copy(powered, tmp_path)
    _, text = parse(report.write_report(directory, snapshot=False))
    p = json.loads((directory / "summary.json").read_text())["power"]
    assert p["life"] == "end_of_life" and p["battery_capacity_Wh"] < 16e3
    usable = text[text.index("battery capacity usable at end of life (after capacity fade)"):].split("</tr>")[0]
    assert f"{p['battery_capacity_Wh'] / 1e3:,.1f} kWh" in usable
    nameplate = text[text.index("battery capacity, nameplate (beginning of life)</td>"):].split("</tr>")[0]
    assert "16.0 kWh" in nameplate                               # the case's battery
    assert f"array output, orbit average, end of life (EOL)</td><td class=\"l\">" \
           f"{p['array_power_orbit_avg_W'] / 1e3:,.2f} kW" in text
    assert f"{p['array_power_orbit_avg_bol_W'] / 1e3:,.2f} kW" in text
    assert len(embedded(parse(directory / "report.html")[0])) == 3      # temperatures, power, energy


def test_missed_limits_are_flagged(small, tmp_path):
    directory = copy(small, tmp_path)
    summary = json.loads((directory / "summary.json").read_text())
    summary["thermal"]["gpu_junction_limit_K"] = summary["thermal"]["gpu_junction_max_K"] - 5.0
    summary["thermal"]["limits"] = {"radiator": {"min_K": 0.0, "max_K": 200.0, "met": False}}
    summary["verdict"] = {"status": "fail", "binding": "gpu_junction missed by gpu0", "limits_checked": 2,
                          "violations": [{"limit": "gpu_junction", "part": "gpu0", "load_case": "case", "value": 330.0,
                                          "limit_value": 325.0, "unit": "K", "change": "enlarge the radiator"}]}
    (directory / "summary.json").write_text(json.dumps(summary))
    page, text = parse(report.write_report(directory, snapshot=False))
    assert text.count(">MISSED<") == 2 and ">FAIL" in text and "enlarge the radiator" in text
    assert "radiator (min / max)" in text
    assert len(page.images) == 2                                 # no snapshot


def test_sizing_section_per_module_and_in_all(small, tmp_path):
    directory = copy(small, tmp_path)
    summary = json.loads((directory / "summary.json").read_text())
    breakdown = {"compute": 12870.0, "radiator": 5170.0, "heat_transport": 11213.0, "solar_array": 11834.0,
                 "battery": 13856.0, "structure": 10989.0, "margin": 13186.0}
    module = {"gpu_count": 792, "radiator_area_m2": 1723.3, "array_area_m2": 4998.3, "battery_capacity_Wh": 1.66e6,
              "mass_kg": sum(breakdown.values()), "mass_breakdown_kg": breakdown}
    total = {k: 3 * v for k, v in module.items() if k != "mass_breakdown_kg"}
    summary["sizing"] = {**total, "module": module, "module_count": 3, "compute_power_W": 3.03e6,
                         "heat_rejection_W": 3.36e6, "radiator_temperature_K": 317.6, "launch_cost_usd": 5.94e7,
                         "launch_count": 3, "launch_vehicle": "Starship (near term)",
                         "binding": {"radiator": "GPU junction limit"},
                         "check": {"load_cases": {"case": {"epoch": None, "life": "end_of_life", "models": {
                             "network": {"gpu_junction_max_K": 341.8, "gpu_junction_limit_K": 360.15,
                                         "radiator_T_min_K": 306.9, "met": True, "independent": False,
                                         "verdict": {"status": "pass"}},
                             "fe": {"model": "fe", "skipped": "not a binding load case of the network runs"}}}}}}
    (directory / "summary.json").write_text(json.dumps(summary))
    assert report_main([str(directory), "--no-snapshot"]) == 0
    page, text = parse(directory / "report.html")
    assert page.headings["h2"] == SECTIONS[:4] + ["Sizing"] + SECTIONS[4:]
    assert len(embedded(page)) == 3                              # temperatures, energy, sizing
    mass = text[text.index("mass, all subsystems and margin [t]"):].split("</tr>")[0]
    assert "<td>79.1</td><td>237.4</td>" in mass                  # one module, then all three (3 x 79,118 kg)
    battery = text[text.index("battery capacity, nameplate (BOL) [kWh]"):].split("</tr>")[0]
    assert "<td>1,660</td><td>4,980</td>" in battery
    assert "check case (network, tuned: consistency check), end of life (EOL)" in text
    assert "radiator min 306.9 K" in text
    assert "the module&#39;s whole mass" in text or "the module's whole mass" in text


def test_steady_case_report(tmp_path_factory, tmp_path):
    directory = copy(plate_results(tmp_path_factory), tmp_path)
    page, text = parse(report.write_report(directory))
    assert page.headings["h2"] == SECTIONS
    assert len(embedded(page)) == 2                # energy and snapshot: no time series plots for a steady state
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


def test_a_sized_case_shows_no_placeholder_of_its_case_file(tmp_path):
    """h100_1MW's case file carries a 10 kWh battery and a 4,000 m^2 array the sizing replaces:
    the inputs name the cells and send the sized figures to the Sizing section."""
    from thermal.case import load_case
    case = load_case(ROOT / "cases" / "h100_1MW.yaml")
    assert case.power.battery.capacity_Wh == pytest.approx(10e3)
    inputs = report._inputs(case, None, {"case": case.name}, tmp_path, report.Temperatures("K"))
    shown = " ".join(value for _, value in inputs["power"])
    assert "10.0 kWh" not in shown and "4,000" not in shown
    assert "capacity sized (see Sizing" in shown and "area sized (see Sizing)" in shown
    assert inputs["loads"][0][0] == "compute (per node: the sizing multiplies it)"
