"""Built-in cell library: published numbers present, sources given, bad values refused."""

import dataclasses

import pytest

from power.cells import BATTERY_CELLS, SOLAR_CELLS, BatteryCell, SolarCell


@pytest.mark.parametrize("name, eta, remaining", [
    ("XTJ", 0.298, 0.84),          # Fetzer et al. PVSC
    ("XTJ-Prime", 0.307, 0.87),    # Spectrolab (secondary)
    ("3G30C", 0.295, 0.88),        # Azur Space (secondary)
    ("4G32C", 0.32, 0.87),         # ESA; remaining factor assumed
    ("IMM-beta", 0.333, 0.87),     # Rocket Lab
])
def test_solar_cells_carry_published_values(name, eta, remaining):
    c = SOLAR_CELLS[name]
    assert c.name == name
    assert c.efficiency_bol == eta
    assert c.remaining_factor_eol == remaining
    assert c.reference_fluence_e_cm2 == 1e15
    assert c.reference_temperature_K == pytest.approx(301.15)
    assert -0.0024 <= c.temperature_coefficient_per_K <= -0.0019
    assert 0.8 < c.absorptivity < 0.95 and 0.8 < c.emissivity_front < 0.9
    assert 0.5 < c.areal_density_kg_m2 < 2.0
    assert len(c.source) > 40


def test_secondary_and_assumed_values_are_marked():
    assert "secondary" in SOLAR_CELLS["XTJ-Prime"].source
    assert "secondary" in SOLAR_CELLS["3G30C"].source
    assert "ASSUMED" in SOLAR_CELLS["4G32C"].source


def test_battery_cells():
    ves = BATTERY_CELLS["VES180"]
    assert ves.specific_energy_Wh_kg == 160.0
    assert ves.operating_min_K == pytest.approx(273.15) and ves.operating_max_K == pytest.approx(313.15)
    # < 20 % fade after 5 years x 5,500 cycles at 30 % DoD
    assert ves.cycles_at_reference_dod == pytest.approx(27500.0)
    assert ves.reference_depth_of_discharge == 0.30 and ves.fade_at_cycle_life == 0.20
    assert ves.pack_specific_energy_Wh_kg == pytest.approx(160.0 * ves.pack_factor)
    gen = BATTERY_CELLS["generic-18650"]
    assert gen.specific_energy_Wh_kg == pytest.approx(3.35 * 3.6 / 0.0485, rel=1e-12)  # 248.7 Wh/kg
    assert "NCR18650B" in gen.source
    for c in BATTERY_CELLS.values():
        assert len(c.source) > 40


def test_override_keeps_validation():
    c = dataclasses.replace(SOLAR_CELLS["XTJ"], efficiency_bol=0.31)
    assert c.efficiency_bol == 0.31 and isinstance(c, SolarCell)
    with pytest.raises(ValueError, match="SolarCell.efficiency_bol"):
        dataclasses.replace(SOLAR_CELLS["XTJ"], efficiency_bol=29.8)
    with pytest.raises(ValueError, match="temperature_coefficient_per_K"):
        dataclasses.replace(SOLAR_CELLS["XTJ"], temperature_coefficient_per_K=-0.22)
    with pytest.raises(ValueError, match="BatteryCell.operating_max_K"):
        dataclasses.replace(BATTERY_CELLS["VES180"], operating_max_K=250.0)
    assert isinstance(BATTERY_CELLS["VES180"], BatteryCell)
