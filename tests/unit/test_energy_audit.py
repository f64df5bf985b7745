"""The energy-balance error every thermal model reports, and the message of a run that reached its
orbit limit (thermal/models/history.py)."""

import pytest

from thermal.core.errors import InfeasibleError
from thermal.models.history import energy_balance_error, no_periodic_state


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


def test_max_orbits_message_names_both_limits_and_the_orbits_needed():
    err = no_periodic_state(40, [1.0, 0.1, 0.01, 0.001], 1e-6)
    assert isinstance(err, InfeasibleError)
    assert str(err) == ("no periodic steady state: solver.max_orbits (40) was reached while the orbit-to-orbit "
                        "temperature change was still 0.001 K, above solver.periodic_tolerance (1e-06 K); raise "
                        "solver.max_orbits (the change falls by a factor 0.1 per orbit: about 43 orbits are "
                        "needed) or solver.periodic_tolerance")


def test_max_orbits_message_when_the_change_does_not_fall():
    text = str(no_periodic_state(40, [0.5, 0.6, 0.5, 0.6], 0.05))
    assert "the change is not falling" in text and "more orbits will not help" in text
    assert str(no_periodic_state(1, [], 0.05)).endswith("raise solver.max_orbits or solver.periodic_tolerance")
