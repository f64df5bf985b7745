"""The energy-balance error every thermal model reports (thermal/models/history.py)."""

import pytest

from thermal.models.history import energy_balance_error


def test_imbalances_of_opposite_sign_do_not_cancel():
    heat_in, heat_out = [100.0, 100.0], [50.0, 50.0]
    stored = [51.0, 49.0]                          # +1 J, then -1 J: the net balance closes exactly
    assert energy_balance_error(heat_in, heat_out, stored) == pytest.approx(2.0 / 200.0)


def test_no_heat_in_is_measured_against_what_leaves():
    """A body cooling in the dark: 0 J in, 10 J emitted, 9 J lost from store: 1 J unaccounted."""
    assert energy_balance_error([0.0, 0.0], [5.0, 5.0], [-4.5, -4.5]) == pytest.approx(1.0 / 10.0)
    assert energy_balance_error([0.0], [5.0], [-5.0]) == 0.0


def test_steady_state_and_nothing_flowing():
    assert energy_balance_error(1000.0, 999.0, 0.0) == pytest.approx(1e-3)
    assert energy_balance_error(0.0, 0.0, 0.0) == 0.0


def test_the_largest_flow_sets_the_scale():
    # stored swings (a thermal mass charged and discharged) dwarf the net flows
    assert energy_balance_error([0.0, 0.0], [0.0, 0.0], [100.0, -100.0]) == pytest.approx(1.0)
    assert energy_balance_error([10.0, 10.0], [0.0, 0.0], [10.0, 10.0]) == 0.0

