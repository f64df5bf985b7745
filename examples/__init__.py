"""Parametric sizing scripts (issue 6); each has ``main(out_dir) -> dict``, see README.md."""
