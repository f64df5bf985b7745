"""The verdict's logic: which limits are met, which violation binds, and its one line."""

from thermal.verdict import Check, Verdict


def test_max_and_min_checks():
    assert Check("part_max", "a", "hot", "max", 300.0, 300.0, "K").met
    assert not Check("part_max", "a", "hot", "max", 300.1, 300.0, "K").met
    assert Check("part_min", "a", "cold", "min", 250.0, 250.0, "K").met
    assert not Check("part_min", "a", "cold", "min", 249.0, 250.0, "K").met


def test_the_binding_violation_is_missed_by_the_largest_fraction():
    small = Check("part_max", "a", "hot", "max", 301.0, 300.0, "K")
    large = Check("gpu_junction_max", "gpu", "hot", "max", 423.5, 360.1, "K")
    power = Check("energy_margin", "power system", "winter", "min", -0.114, 0.0, "fraction")
    met = Check("part_min", "b", "cold", "min", 260.0, 250.0, "K")
    verdict = Verdict((small, large, power, met))
    assert verdict.status == "fail" and len(verdict.violations) == 3
    assert verdict.binding is large            # 63.4 K of 360.1 K = 17.6 % against 11.4 % and 0.3 %
    line = verdict.line()
    assert "\n" not in line and line.startswith("gpu_junction_max missed by gpu in load case 'hot': 423.5 K")
    assert "(and 2 more limit(s) missed" in line


def test_a_passing_verdict():
    verdict = Verdict((Check("part_max", "a", "hot", "max", 290.0, 300.0, "K"),))
    assert verdict.status == "pass" and verdict.binding is None
    assert verdict.as_dict() == {"status": "pass", "violations": [], "binding": None, "limits_checked": 1}


def test_fractions_are_shown_as_per_cent():
    line = Check("energy_margin", "power system", "winter", "min", -0.1138, 0.0, "fraction").line()
    assert "-11.4 % below the limit 0.0 %" in line


def test_the_margin_is_how_far_inside_the_limit():
    assert Check("part_max", "a", "hot", "max", 290.0, 300.0, "K").margin == 10.0
    assert Check("coolant_freezing", "coolant", "cold", "min", 200.0, 242.16, "K").margin < 0.0
    assert Check("energy_margin", "power system", "winter", "min", 0.2, 0.0, "fraction").as_dict()["margin"] == 0.2
