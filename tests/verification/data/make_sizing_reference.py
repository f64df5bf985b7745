"""Record the analytic designs of the shipped sizing cases as the path before the fast sizing
computed them (issue 13): run this file with PYTHONPATH pointing at a tree of main at commit
5ce6208 (the one before the fast path), it prints the JSON kept next to it.

    PYTHONPATH=/path/to/main python tests/verification/data/make_sizing_reference.py \
        > tests/verification/data/sizing_reference_5ce6208.json
"""
import dataclasses
import json
import sys
from pathlib import Path

from thermal.case import load_case
from thermal.sizing.design import size_design
from thermal.sizing.orbit_cases import sizing_orbits

ROOT = Path(__file__).resolve().parents[3]
FIELDS = ("node_count", "gpu_count", "module_count", "compute_power_W", "heat_rejection_W", "radiator_area_m2",
          "array_area_m2", "battery_capacity_Wh", "mass_kg")


def variants(case):
    s = case.sizing
    yield "as_shipped", s
    yield "orbit_case_only", dataclasses.replace(s, orbit_cases="case")
    yield "given_radiator_temperature", dataclasses.replace(
        s, radiator=dataclasses.replace(s.radiator, temperature_K=300.0))
    yield "orbit_average_basis", dataclasses.replace(s, radiator=dataclasses.replace(s.radiator, basis="orbit_average"))
    yield "fixed_areas", dataclasses.replace(s, radiator_area_m2=400.0, array_area_m2=1500.0)
    yield "heat_target", dataclasses.replace(s, target={"heat_rejection_W": 2.0e5})
    yield "gpu_target_ideal_conductance", dataclasses.replace(s, target={"gpu_count": 1000},
                                                              radiator_conductance_W_m2K=None)


def main():
    out = {"provenance": "thermal.sizing.design.size_design on main at commit 5ce6208 (before the fast path); "
                         "made by tests/verification/data/make_sizing_reference.py", "designs": {}}
    for name in ("h100_1MW", "h100_1GW"):
        case = load_case(ROOT / "cases" / f"{name}.yaml")
        for label, sizing in variants(case):
            design, extra = size_design(sizing_orbits(case, sizing), sizing, env=case.environment,
                                        launch=case.economics.launch)
            rec = {f: getattr(design, f) for f in FIELDS}
            rec["module"] = {f: getattr(design.module, f) for f in FIELDS if f != "module_count"}
            rec["module"]["radiator_temperature_K"] = design.module.radiator_temperature_K
            rec["module"]["mass_breakdown_kg"] = dict(design.module.mass_breakdown_kg)
            rec["cases"] = [dataclasses.asdict(c) for c in design.module.cases]
            rec["limits"] = extra["limits"]
            out["designs"][f"{name}/{label}"] = rec
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
