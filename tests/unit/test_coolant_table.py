"""The coolant tables (thermal.transport.coolant): a row is what CoolProp says at that temperature,
bit for bit, whether the table was just computed or read back from the cache folder (that a run
which finds the table needs no CoolProp is in tests/system/test_api.py)."""

import numpy as np
import pytest

from thermal.core import cache
from thermal.transport import coolant
from thermal.transport.coolant import coolant_properties, liquid_range_K, props_si


def _forget():
    """A new process: nothing in memory."""
    for cached in (coolant._table, coolant._liquid_range_K, coolant._coolant_properties_cached):
        cached.cache_clear()
    cache._KEPT.clear()


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(tmp_path))
    _forget()
    yield tmp_path
    _forget()


@pytest.mark.parametrize("name, pressure_Pa", [("water-glycol", 1.0e6), ("ammonia", 3.0e6)])
def test_a_table_row_is_coolprop_at_the_rounded_temperature_bit_for_bit(fresh_cache, name, pressure_Pa):
    fluid = coolant.COOLANTS[name].coolprop_fluid
    low, high = liquid_range_K(name, pressure_Pa)
    (kept,) = fresh_cache.glob(f"coolant-{name}-*.npz")          # computed once, kept
    temperatures = np.random.default_rng(7).uniform(low, high, 200)
    for read_back in (False, True):
        if read_back:                                           # the same answers from the file
            _forget()
        for t in temperatures:
            T = round(float(t), 2)
            if T >= high:
                continue
            p = coolant_properties(name, t, pressure_Pa)
            expected = [props_si(k, "T", T, "P", pressure_Pa, fluid) for k in ("D", "C", "V", "L")]
            assert [p.density_kg_m3, p.specific_heat_J_kgK, p.viscosity_Pa_s, p.conductivity_W_mK] == expected
    assert kept.exists()


def test_the_liquid_range_is_coolprops(fresh_cache):
    """Ammonia at 1 MPa: from its triple point to its saturation temperature (CoolProp's)."""
    low, high = liquid_range_K("ammonia", 1.0e6)
    assert low == props_si("Tmin", "Ammonia") and high == props_si("T", "P", 1.0e6, "Q", 0.0, "Ammonia")
    assert 298.0 < high < 299.0                                  # NIST: 298.1 K at 1 MPa
    with pytest.raises(ValueError, match="outside its liquid range"):
        coolant_properties("ammonia", high + 0.005, 1.0e6)


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 a zip cut short", b"not a zip file"])
def test_a_damaged_table_is_computed_again(fresh_cache, damage):
    """An empty, truncated or foreign file where the table was kept: computed again and replaced,
    never an error in every later run."""
    expected = coolant_properties("water-glycol", 300.0)
    (kept,) = fresh_cache.glob("coolant-water-glycol-*.npz")
    kept.write_bytes(damage)
    _forget()
    assert coolant_properties("water-glycol", 300.0) == expected
    _forget()
    assert coolant_properties("water-glycol", 300.0) == expected and kept.stat().st_size > 100_000


def test_without_a_cache_folder_each_point_is_coolprops(tmp_path, monkeypatch):
    """A read-only home: no table to keep, so each lookup asks CoolProp for its point (a whole table
    every process would cost more), to the same numbers."""
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("ORBITAL_THERMAL_CACHE", str(blocker / "cache"))
    _forget()
    try:
        p = coolant_properties("water-glycol", 301.234)
        assert coolant._table("water-glycol", 1.0e6) is None
        assert p.viscosity_Pa_s == props_si("V", "T", 301.23, "P", 1.0e6, "INCOMP::MEG-50%")
        assert liquid_range_K("water-glycol") == (237.16, props_si("Tmax", "T", 300.0, "P", 1.0e6, "INCOMP::MEG-50%"))
    finally:
        _forget()
