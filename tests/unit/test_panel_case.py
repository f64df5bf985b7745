"""The panel-array case keys (spacecraft.kind: panel_array): read into SI, and each bad value refused
with one CaseError naming its key."""

import copy

import pytest

from thermal.case import load_case
from thermal.case.panels import PanelArrayCase
from thermal.core.errors import CaseError

BASE = {
    "name": "panels",
    "orbit": {"altitude": "550 km", "sun_synchronous": {"ltan": "06:00"}},
    "spacecraft": {
        "kind": "panel_array",
        "panel": {
            "size": ["1.4 m", "1.2 m"],
            "cells": {"cell": "XTJ-Prime", "packing_factor": 0.85},
            "substrate": {"conductivity": "5000 W/m/K", "thickness": "3 mm", "areal_mass": "2 kg/m^2",
                          "max_transport": "40 W m"},
            "chips": {"grid": [2, 2], "footprint": "5 cm", "power": "100 W", "junction_to_panel": "0.1 K/W",
                      "junction_limit": "87 degC", "mass": "1 kg"},
        },
    },
}


def with_(path: str, value):
    doc = copy.deepcopy(BASE)
    *head, last = path.split(".")
    node = doc
    for key in head:
        node = node.setdefault(key, {})
    if value is None:
        del node[last]
    else:
        node[last] = value
    return doc


def test_panel_case_reads_into_si_with_its_defaults():
    case = load_case(BASE)
    assert isinstance(case, PanelArrayCase)
    p = case.panel
    assert p.size_m == (1.4, 1.2) and p.area_m2 == pytest.approx(1.68)
    assert p.cell_pitch_m == pytest.approx((0.7, 0.6))
    assert p.substrate.max_transport_W_m == 40.0 and p.substrate.thickness_m == pytest.approx(3e-3)
    assert p.chips.count == 4 and p.chips.junction_limit_K == pytest.approx(360.15)
    assert p.front.absorptivity == 0.91 and p.back.emissivity == 0.88      # the cell's front, the default back
    assert case.eclipse.strategy == "battery" and case.eclipse.battery_cell.name == "VES180"
    assert case.solver.model == "network" and case.mission_years == 5.0 and case.compute_target_W is None


@pytest.mark.parametrize("path, value, key", [
    ("spacecraft.panel.substrate.max_transport", None, "spacecraft.panel.substrate.max_transport"),
    ("spacecraft.panel.substrate.kind", "graphite", "spacecraft.panel.substrate.kind"),
    ("spacecraft.panel.chips.footprint", "80 cm", "spacecraft.panel.chips.footprint"),
    ("spacecraft.panel.chips.grid", [2, 0], "spacecraft.panel.chips.grid"),
    ("spacecraft.panel.chips.power", "100 kg", "spacecraft.panel.chips.power"),
    ("spacecraft.panel.cells.cell", "GaAs-9000", "spacecraft.panel.cells.cell"),
    ("spacecraft.panel.front", {"absorptivity": 0.1}, "spacecraft.panel.front.absorptivity"),
    ("spacecraft.panel.size", ["1 m"], "spacecraft.panel.size"),
    ("spacecraft.eclipse", {"strategy": False}, "spacecraft.eclipse.strategy"),     # `off` in YAML
    ("spacecraft.eclipse", {"strategy": "battery", "throttle": 0.5}, "spacecraft.eclipse.throttle"),
    ("spacecraft.eclipse", {"strategy": "compute_off", "battery_cell": "VES180"}, "spacecraft.eclipse.battery_cell"),
    ("spacecraft.satellite", {"panels_per_satellite": 0}, "spacecraft.satellite.panels_per_satellite"),
    ("spacecraft.panel.colour", "blue", "spacecraft.panel.colour"),
    ("attitude", "sun", "attitude"),
    ("economics", {"launch": "starship"}, "sizing"),
])
def test_bad_panel_values_are_one_case_error_naming_the_key(path, value, key):
    with pytest.raises(CaseError) as err:
        load_case(with_(path, value))
    assert str(err.value).startswith(key), str(err.value)
    assert "\n" not in str(err.value)


def test_solid_spreader_has_no_transport_limit():
    doc = with_("spacecraft.panel.substrate.kind", "solid")
    with pytest.raises(CaseError, match="spacecraft.panel.substrate.max_transport"):
        load_case(doc)
    del doc["spacecraft"]["panel"]["substrate"]["max_transport"]
    assert load_case(doc).panel.substrate.transport_spec() is None
