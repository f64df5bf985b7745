"""Parametric sizing scripts; each has ``main(out_dir) -> dict``, see README.md."""
