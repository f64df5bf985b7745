"""Errors a user sees: one clear line each, mapped to the exit codes of the contract."""

#: The longest a given value is shown in a message (a 2-million-item list is not a message).
SHOWN_CHARS = 120


def shown(value: object) -> str:
    """``repr(value)`` on one line, cut to :data:`SHOWN_CHARS` characters."""
    text = " ".join(repr(value).split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 15] + f"... ({len(text):,} chars)"


def one_line(text: str) -> str:
    """A message on one line: its lines joined with '; '."""
    return "; ".join(part.strip() for part in str(text).splitlines() if part.strip())


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
            text += f", got {shown(given)}"
        if hint:
            text += f" ({hint})"
        super().__init__(one_line(text))


class InfeasibleError(Exception):
    """A design that cannot meet its targets, or a solver that did not converge (exit code 3).

    The message says why and what to change, on one line."""

    exit_code = 3

    def __init__(self, message: str = "", *args):
        super().__init__(one_line(message), *args)
