"""Heat transport between the GPU cold plates and the radiator panels.

Pure functions and frozen dataclasses, SI floats (kelvin, watts, metres, pascals). Both the lumped
network model and the finite-element model call these; nothing here knows about meshes or YAML.

The chain for a pumped loop, in the order the heat travels::

    GPU junction --R_jc--> coolant in the cold plates --(UA_source, N plates in parallel)-->
        fluid (heat capacity rate C = m_dot cp) --(UA_sink = film + fin path)--> radiator panel

One module per piece of physics:

- :mod:`thermal.transport.coolant`: liquid properties from CoolProp (cached, range-checked);
- :mod:`thermal.transport.convection`: internal forced convection and friction in the tubes
  (laminar / blend / Gnielinski, Petukhov) and ducts;
- :mod:`thermal.transport.fins`: the radiator panel between two tubes as a radiating fin;
- :mod:`thermal.transport.cold_plate`: microchannel cold plates (Shah & London laminar ducts) and
  the GPU junction temperature;
- :mod:`thermal.transport.loop`: the pumped loop (radiator tubing, exchangers, the fluid march,
  pressure drop, pump power);
- :mod:`thermal.transport.heat_pipes`: a heat-pipe network as a conductance with a capillary
  (Q * L_eff) limit.

The hardware is described by the case's types (:class:`thermal.case.model.PumpedLoopSpec`,
:class:`~thermal.case.model.HeatPipeSpec`, :class:`~thermal.case.model.ConductionSpec`).

Sign convention: heat is positive from the hot side to the cold side (cold plate -> fluid ->
panel); :func:`fluid_march` returns heat from the fluid into each wall segment.

References
----------
- Incropera, DeWitt, Bergman & Lavine, *Fundamentals of Heat and Mass Transfer*, 6th ed., Wiley
  (2007): ch. 3.6 (fins), ch. 8 (internal flow; eq. 8.53 laminar Nu = 4.36, eq. 8.60 Dittus-Boelter,
  eq. 8.62 Gnielinski, eq. 8.21 Petukhov friction), ch. 11 (effectiveness-NTU, eq. 11.36a for
  C_r = 0), Table A.6 (water).
- Gnielinski, V. (1976) New equations for heat and mass transfer in turbulent pipe and channel flow,
  *Int. Chem. Eng.* 16, 359-368.
- Petukhov, B. S. (1970) Heat transfer and friction in turbulent pipe flow with variable physical
  properties, *Adv. Heat Transfer* 6, 503-564. doi:10.1016/S0065-2717(08)70153-9
- Kays & London, *Compact Heat Exchangers*, 3rd ed. (1984): effectiveness of an exchanger with one
  fluid at uniform temperature, eps = 1 - exp(-NTU).
- Shah & London, *Laminar Flow Forced Convection in Ducts*, Academic Press (1978): fully developed
  f Re and Nu_H1 for rectangular ducts (their polynomial fits in the aspect ratio).
- Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. 1, 2nd ed., Aerospace Press (2002):
  ch. 6 (radiators, fin efficiency), ch. 12 (pumped fluid loops), ch. 14 (heat pipes).
- Faghri, *Heat Pipe Science and Technology*, 2nd ed. (2016): effective length, capillary limit,
  liquid transport factor (merit number) rho_l sigma h_fg / mu_l.
- Bell, Wronski, Quoilin & Lemort (2014) CoolProp, *Ind. Eng. Chem. Res.* 53, 2498-2508,
  doi:10.1021/ie4033999; incompressible brines after Melinder, *Properties of Secondary Working
  Fluids for Indirect Systems*, IIR (2010).
"""
