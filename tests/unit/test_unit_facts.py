"""The case reader's units without pint on the common path (thermal.case.units._Known): the facts
pint gave in an earlier run are read from a file, and every number is the one pint computes."""

import json

import pytest

from thermal.case import units
from thermal.core.errors import CaseError

QUANTITIES = [("550 km", "m"), ("1.5 mm", "m"), ("12 kWh", "Wh"), ("-0.22 %/K", "1/K"), ("87 degC", "K"),
              ("30 deg", "rad"), ("250 usd/kg", "usd/kg"), ("120 W/(m^2*K)", "W/m^2/K"), ("1e14 1/cm^2", "1/m^2")]


def _pint_value(text: str, unit: str) -> float:
    number, unit_text = text.split(" ", 1)
    return float(units.registry().Quantity(float(number), units._parsed_unit(unit_text)).to(unit).magnitude)


def _fresh(monkeypatch, folder):
    """The module's caches emptied and its facts file in ``folder``."""
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(folder))
    for cached in (units._known, units._unit_name, units._factor, units._dimensionless, units._valid_text,
                   units._is_angle):
        cached.cache_clear()


@pytest.mark.parametrize("text, unit", QUANTITIES)
def test_a_value_read_with_the_facts_file_is_pints_to_the_last_bit(text, unit, monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    first = units.to_unit(text, unit, "k", "1 m")           # asks pint, writes the file
    assert list(tmp_path.glob("units-*.json"))
    _fresh(monkeypatch, tmp_path)
    again = units.to_unit(text, unit, "k", "1 m")           # from the file
    assert first == again == _pint_value(text, unit)


def test_a_torn_or_foreign_facts_file_is_read_as_empty(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    units.to_unit("2 km", "m", "k", "1 m")
    (path,) = tmp_path.glob("units-*.json")
    for text in ("{not json", "[1, 2]"):
        path.write_text(text)
        _fresh(monkeypatch, tmp_path)
        assert units.to_unit("2 km", "m", "k", "1 m") == 2000.0
        assert json.loads(path.read_text())["factor km -> m"] == 1000.0


def test_wrong_units_are_refused_with_the_key_whatever_the_file_holds(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    units.to_unit("2 km", "m", "orbit.altitude", "550 km")
    _fresh(monkeypatch, tmp_path)
    with pytest.raises(CaseError, match=r"orbit\.altitude.*wrong unit dimension"):
        units.to_unit("2 kg", "m", "orbit.altitude", "550 km")
    with pytest.raises(CaseError, match=r"orbit\.altitude.*unknown unit 'parsec2'"):
        units.to_unit("2 parsec2", "m", "orbit.altitude", "550 km")
    with pytest.raises(CaseError, match=r"an angle"):
        units.to_unit("2 km", "rad", "orbit.beta", "30 deg")
