"""The Python API in a dozen lines: a radiator-area sweep on the 400 km zenith radiator.

The case is read once; each point changes one key by its path, with its unit, and is checked as a
case file would be; ``simulate`` runs it as ``python -m thermal.solve`` does and returns a typed
result: ``.summary`` (what ``summary.json`` holds), ``.timeseries`` (``timeseries.csv`` as a pandas
DataFrame), ``.passed``, ``.save(folder)``. The same with the main case's radiator:
``case.with_values({"spacecraft.radiators[0].area": "30 m^2"})``.

    .venv/bin/python examples/api_tour.py
"""

from pathlib import Path

import thermal

CASE = Path(__file__).resolve().parents[1] / "cases" / "radiator_zenith_400km.yaml"


def main(areas_m2=(1.5, 2.0, 3.0, 4.0)) -> list[dict]:
    """One row per radiator area [m^2]: the panel's orbit-mean, minimum and maximum temperature [K]
    and its orbit-mean absorbed and emitted power [W] (600 W of electronics on a 1 m wide panel)."""
    case = thermal.load_case(CASE)
    rows = []
    for area in areas_m2:
        result = thermal.simulate(case.with_values({"spacecraft.size": [f"{area} m", "1 m"]}))
        radiator = result.summary.thermal.parts["radiator"]
        orbit = result.timeseries                       # a DataFrame: one row per sample of the orbit
        rows.append({"area_m2": area, "T_mean_K": radiator.T_mean_K, "T_min_K": radiator.T_min_K,
                     "T_max_K": radiator.T_max_K, "absorbed_W": orbit["absorbed_W"].mean(),
                     "emitted_W": orbit["emitted_W"].mean(), "passed": result.passed})
    return rows


if __name__ == "__main__":
    print(f"{'area m^2':>9}{'T mean K':>10}{'T min K':>9}{'T max K':>9}{'absorbed W':>12}{'emitted W':>11}")
    for row in main():
        print(f"{row['area_m2']:>9.1f}{row['T_mean_K']:>10.1f}{row['T_min_K']:>9.1f}{row['T_max_K']:>9.1f}"
              f"{row['absorbed_W']:>12.1f}{row['emitted_W']:>11.1f}")
