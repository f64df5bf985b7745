"""Thermal design of orbital AI data centres: orbit environment, thermal models, the solve command."""

TOOL_NAME = "orbital-datacenter"
__version__ = "0.1.0"
