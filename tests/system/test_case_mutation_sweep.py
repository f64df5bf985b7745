"""The case reader against a thousand mutants of every shipped case each run (issue 17): every input
either means what the user meant or is refused with one line naming the key. The fast part draws
150 of each (tests/unit/test_case_mutations.py, where the issue's table of single inputs is); this
is the full sweep, a minute of case reading."""

import pytest

from mutations import examine_mutants, shipped

#: Mutants drawn from each shipped case per run.
SWEEP_EXAMPLES = 1000


@pytest.mark.parametrize("name", [case.name for case in shipped()])
def test_a_thousand_mutants_of_each_case_are_loaded_or_refused_with_one_line(name):
    examine_mutants(name, SWEEP_EXAMPLES)
