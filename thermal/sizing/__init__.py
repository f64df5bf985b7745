"""Sizing an orbital data centre for a compute target, pricing it, and checking one module.

- :mod:`thermal.sizing.radiator`: the radiator's Stefan-Boltzmann balance and the chain from the
  GPU junction to the radiator;
- :mod:`thermal.sizing.orbit_cases`: the orbits to size for (the case's, or every one of a year);
- :mod:`thermal.sizing.design`: radiator, array, battery, mass and modules for the target;
- :mod:`thermal.sizing.economics`: launch and mission cost against a data centre on the ground;
- :mod:`thermal.sizing.refine`: the radiator area refined with the network model;
- :mod:`thermal.sizing.check`: one module as an ordinary case for the thermal models;
- :mod:`thermal.sizing.run`: a sizing case end to end.

The inputs are the case's types (:mod:`thermal.case.sizing`); the sizing calls
:func:`thermal.simulation.simulate`, never the other way round.
"""
