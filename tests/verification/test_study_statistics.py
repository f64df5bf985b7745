"""A study's statistics against closed forms: the Monte Carlo of a linear function, Sobol indices of
test functions with known indices, the Pareto filter on a hand example, and one sizing shared by
points that differ in economics only."""

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from thermal.case import load_case
from thermal.case.document import load_yaml
from thermal.case.study import Distribution, apply_values
from thermal.sizing.run import run_sizing
from thermal.study.analysis import pareto_mask, tornado
from thermal.study.evaluate import Evaluator
from thermal.study.run import run_study
from thermal.study.sampling import saltelli_unit, sobol_indices, values_at

CASES = Path(__file__).parents[2] / "cases"


def one_MW(study: dict) -> dict:
    """The 1 MW case without its network refinement (an analytic sizing in half a second)."""
    doc = load_yaml(CASES / "h100_1MW.yaml")
    doc["sizing"]["refine"] = "none"
    doc["study"] = study
    return doc


@pytest.fixture(scope="module")
def linear_study():
    """Launch price, spacecraft cost and GPU price drawn from normals: for a fixed design the
    orbital cost per GPU-hour is linear in them, hence normal with a known mean and sd."""
    spec = {"launch_price": (250.0, 40.0, "usd/kg"), "spacecraft_cost": (1000.0, 150.0, "usd/kg"),
            "gpu_price": (27500.0, 1500.0, "usd")}
    vary = {f"economics.{k}": {"distribution": "normal", "mean": f"{m} {u}", "sd": f"{s} {u}"}
            for k, (m, s, u) in spec.items()}
    case = load_case(one_MW({"vary": vary, "samples": {"method": "random", "count": 4000, "seed": 3}}),
                     base_dir=CASES)
    return spec, run_study(case)


def _linear_coefficients(spec: dict, result) -> tuple[float, dict]:
    """The orbital cost per GPU-hour at the means, and its slope in each input, priced by the
    study's own evaluator on the shared design; the premise (linearity) is asserted: the cost one
    sd below the mean lies on the line through the mean and one sd above."""
    evaluator = Evaluator(result.study)

    def cost(shift: dict) -> float:
        values = {f"economics.{k}": f"{m + shift.get(k, 0.0)} {u}" for k, (m, _, u) in spec.items()}
        point = evaluator.evaluate(values)
        assert point.status == "pass", point.reason
        return point.results["sizing"]["orbital_usd_per_gpu_hour"]

    c0 = cost({})
    slopes = {}
    for k, (_, sd, _) in spec.items():
        up, down = cost({k: sd}), cost({k: -sd})
        assert up - c0 == pytest.approx(c0 - down, rel=1e-9), f"the cost is not linear in {k}"
        slopes[k] = (up - c0) / sd
    return c0, slopes


def test_monte_carlo_of_a_linear_function_matches_its_closed_form(linear_study):
    """For a fixed design the orbital cost per GPU-hour is linear in the launch price, the hardware
    USD/kg and the GPU price (every term of the cost is a price times a quantity of the design), so
    with normal inputs it is normal with mean c(means) and sd sqrt(sum (slope_k sd_k)^2)."""
    spec, result = linear_study
    assert result.sizings == 1 and all(p.status == "pass" for p in result.points)
    mean, slopes = _linear_coefficients(spec, result)
    sd = math.sqrt(sum((slopes[k] * spec[k][1]) ** 2 for k in spec))
    got = result.statistics["sizing.orbital_usd_per_gpu_hour"]
    n = got["count"]
    assert n == 4000
    # sampling errors of independent draws: mean sd/sqrt(n), sd sd/sqrt(2(n-1)), the p-quantile
    # sqrt(p(1-p)/n) / pdf(z_p); four of them
    assert abs(got["mean"] - mean) < 4 * sd / math.sqrt(n)
    assert abs(got["sd"] - sd) < 4 * sd / math.sqrt(2 * (n - 1))
    for p, key in ((0.05, "p5"), (0.5, "median"), (0.95, "p95")):
        z = stats.norm.ppf(p)
        error = math.sqrt(p * (1 - p) / n) / stats.norm.pdf(z) * sd
        assert abs(got[key] - (mean + z * sd)) < 4 * error, key
    # the base case is the case at the means: its cost is the line's intercept, without sampling noise
    assert result.base.results["sizing"]["orbital_usd_per_gpu_hour"] == pytest.approx(mean, rel=1e-12)


def test_the_tornado_of_a_linear_function_swings_by_its_coefficient_times_the_90_percent_width(linear_study):
    spec, result = linear_study
    _, slopes = _linear_coefficients(spec, result)
    width = stats.norm.ppf(0.95) - stats.norm.ppf(0.05)
    swing = {r["path"]: r["swing"] for r in result.tornado}
    for k, (_, sd, _) in spec.items():
        assert swing[f"economics.{k}"] == pytest.approx(slopes[k] * width * sd, rel=1e-9), k
    first = result.tornado[0]["path"]
    assert first == "economics." + max(spec, key=lambda k: slopes[k] * spec[k][1]) == "economics.spacecraft_cost"


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def _inputs(variables, u):
    rows = values_at(variables, u)
    return np.array([[row[v.path] for v in variables] for row in rows])


def test_sobol_indices_of_the_ishigami_function():
    """Ishigami & Homma (1990), a = 7, b = 0.1, X_i uniform on [-pi, pi]: V = a^2/8 + b pi^4/5 +
    b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50)."""
    a, b, pi = 7.0, 0.1, math.pi
    v = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    v1, v2, v13 = 0.5 * (1 + b * pi**4 / 5) ** 2, a**2 / 8, b**2 * pi**8 * (1 / 18 - 1 / 50)
    s1 = np.array([v1 / v, v2 / v, 0.0])
    st = np.array([(v1 + v13) / v, v2 / v, v13 / v])
    variables = tuple(Distribution(f"x{i}", "uniform", (-pi, pi), "") for i in range(3))
    u = saltelli_unit(3, 2**13, seed=5)
    s = sobol_indices(ishigami(_inputs(variables, u)), 3, seed=5)
    assert s["S1"] == pytest.approx(s1, abs=0.03)
    assert s["ST"] == pytest.approx(st, abs=0.03)
    assert np.all(np.abs(s["ST"] - st) < np.maximum(3 * s["ST_conf"], 0.01))


def test_sobol_indices_of_an_additive_function_are_its_variance_shares():
    """y = x0 + 2 x1 + 3 x2, x_i uniform on [0, 1] (equal variances): S1_i = ST_i = a_i^2 / sum a^2;
    a normal input through the same map (x3 with zero weight) gets zero."""
    variables = (Distribution("x0", "uniform", (0.0, 1.0), ""), Distribution("x1", "uniform", (0.0, 1.0), ""),
                 Distribution("x2", "uniform", (0.0, 1.0), ""), Distribution("x3", "normal", (0.0, 1.0), ""))
    x = _inputs(variables, saltelli_unit(4, 2**12, seed=2))
    s = sobol_indices(x @ np.array([1.0, 2.0, 3.0, 0.0]), 4, seed=2)
    exact = np.array([1.0, 4.0, 9.0, 0.0]) / 14.0
    assert s["S1"] == pytest.approx(exact, abs=0.02)
    assert s["ST"] == pytest.approx(exact, abs=0.02)


def test_pareto_filter_on_a_hand_example():
    f = np.array([[1, 5], [2, 3], [3, 4], [4, 1], [2, 3], [5, 5], [np.nan, 0], [4, 1.5]], float)
    assert pareto_mask(f).tolist() == [True, True, False, True, True, False, False, False]
    # one objective: the minimum (ties kept)
    assert pareto_mask(np.array([3.0, 1.0, 2.0, 1.0])).tolist() == [False, True, False, True]


def test_tornado_ranks_by_swing_and_counts_a_missing_side_from_the_base():
    rows = tornado(10.0, {"a": (1, 2, 9.0, 11.0), "b": (1, 2, 5.0, 20.0), "c": (1, 2, None, 13.0),
                          "d": (1, 2, None, None)})
    assert [r["path"] for r in rows] == ["b", "c", "a", "d"]
    assert [r["swing"] for r in rows][:3] == [15.0, 3.0, 2.0] and math.isnan(rows[3]["swing"])


def test_points_differing_in_economics_share_one_sizing_and_match_a_full_sizing():
    study = {"vary": {"economics.launch_price": ["400 usd/kg"]}}
    case = load_case(one_MW(study), base_dir=CASES)
    evaluator = Evaluator(case.study)
    base = evaluator.evaluate({})
    values = {"economics.launch_price": "400 usd/kg", "economics.terrestrial.pue": 1.5,
              "economics.spacecraft_cost": "700 usd/kg"}
    point = evaluator.evaluate(values)
    assert len(evaluator.sized) == 1 and base.status == point.status == "pass"
    full = load_case(apply_values(case.study.document, values), base_dir=CASES)
    _, expected = run_sizing(full, full.sizing, full.economics)
    got = point.results["sizing"]
    assert set(got) == set(expected)
    for key, value in expected.items():
        if isinstance(value, float):
            assert got[key] == pytest.approx(value, rel=1e-12), key
        else:
            assert got[key] == value, key
    assert got["orbital_usd_per_gpu_hour"] != base.results["sizing"]["orbital_usd_per_gpu_hour"]
    # the mission life ages the array and the battery: a new sizing
    longer = evaluator.evaluate({"economics.mission_years": 8})
    assert len(evaluator.sized) == 2
    assert longer.results["sizing"]["array_area_m2"] > base.results["sizing"]["array_area_m2"]


def test_a_refused_draw_is_an_invalid_point_not_a_crash():
    study = {"vary": {"economics.launch_price": ["100 usd/kg"]}}
    case = load_case(one_MW(study), base_dir=CASES)
    point = Evaluator(case.study).evaluate({"economics.launch_price": "-5 usd/kg"})
    assert point.status == "invalid" and point.reason.startswith("economics.launch_price: expected at least 0")


def test_a_missed_constraint_fails_the_point_and_names_it():
    doc = one_MW({"vary": {"economics.launch_price": ["100 usd/kg", "2000 usd/kg"]},
                  "constraints": {"sizing.orbital_usd_per_gpu_hour": {"max": 12.0}}})
    result = run_study(load_case(doc, base_dir=CASES))   # about 9.2 and 17.3 USD per GPU-hour
    assert [p.status for p in result.points] == ["pass", "fail"]
    assert result.points[1].reason.startswith("sizing.orbital_usd_per_gpu_hour ")
    assert "above its max 12" in result.points[1].reason
    assert result.pareto == [0]
