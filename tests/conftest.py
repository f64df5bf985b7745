"""Shared test options.

``--regenerate-references`` rewrites the stored reference summaries of the shipped cases
(``tests/references/``) from the current code instead of comparing against them; use it on purpose,
when an answer changes for a reason you can name, and say which numbers changed in the commit.
"""


def pytest_addoption(parser):
    parser.addoption("--regenerate-references", action="store_true", default=False,
                     help="rewrite tests/references/*.json from the current code instead of comparing")
