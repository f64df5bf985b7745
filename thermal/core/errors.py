"""Errors a user sees: one clear line each, mapped to the exit codes of the contract."""


class CaseError(Exception):
    """An invalid case file (exit code 2): names the key path, what was expected and what was given."""

    exit_code = 2

    def __init__(self, key: str, expected: str, given: object = None, hint: str = ""):
        self.key = key
        self.expected = expected
        self.given = given
        self.hint = hint
        text = f"{key}: expected {expected}"
        if given is not None:
            text += f", got {given!r}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class InfeasibleError(Exception):
    """A design that cannot meet its targets, or a solver that did not converge (exit code 3).

    The message says why and what to change."""

    exit_code = 3
