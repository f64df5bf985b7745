"""Thermal design of orbital AI data centres: orbit environment, thermal models, the solve command."""

__version__ = "0.1.0"
