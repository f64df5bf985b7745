"""Tests of thermal.transport: each against a textbook value, an exact solution or a limit.

Tolerances are stated with the reason for them. References as in the module docstring.
"""

import math

import numpy as np
import pytest
from scipy.integrate import solve_bvp

from thermal.case.model import GROOVED_AL_NH3_TRANSPORT_W_M, ColdPlateGeometry, HeatPipeSpec, PumpedLoopSpec
from thermal.core.constants import STEFAN_BOLTZMANN_W_M2K4
from thermal.core.errors import InfeasibleError
from thermal.core.library import COOLANTS
from thermal.transport.cold_plate import cold_plate_conductance_W_K, junction_temperature_K
from thermal.transport.convection import (
    darcy_friction_factor,
    film_coefficient_W_m2K,
    nusselt_tube,
    rectangular_duct_laminar,
    tube_reynolds,
)
from thermal.transport.coolant import coolant_properties
from thermal.transport.fins import fin_conductance_W_K, fin_efficiency, straight_fin_efficiency
from thermal.transport.heat_pipes import check_heat_pipe_limit, heat_pipe_effective_length_m
from thermal.transport.loop import (
    exchanger_effectiveness,
    fluid_march,
    fluid_march_operator,
    loop_conductance_W_K,
    loop_temperatures,
    panel_conductance_W_K,
    pressure_drop_Pa,
    pump_power_W,
    pumped_loop_network,
    radiator_circuit,
    radiator_tube_length_m,
    tube_film_conductance_W_K,
)

# --------------------------------------------------------------------------------------------
# Coolant properties
# --------------------------------------------------------------------------------------------


def test_water_at_300K_matches_incropera_table_A6():
    # Incropera & DeWitt 6th ed., Table A.6, saturated water at 300 K: v_f = 1.003e-3 m^3/kg,
    # cp = 4.179 kJ/kg K, mu = 855e-6 N s/m^2, k = 613e-3 W/m K, Pr = 5.83. The table is at
    # saturation (3.5 kPa), we evaluate at 1 MPa: compressed-liquid effects are < 0.05 %.
    p = coolant_properties("water", 300.0, 1.0e6)
    assert p.density_kg_m3 == pytest.approx(1.0 / 1.003e-3, rel=0.01)
    assert p.specific_heat_J_kgK == pytest.approx(4179.0, rel=0.01)
    assert p.viscosity_Pa_s == pytest.approx(855e-6, rel=0.01)
    assert p.conductivity_W_mK == pytest.approx(0.613, rel=0.01)
    assert p.prandtl == pytest.approx(5.83, rel=0.01)
    assert p.freezing_K == pytest.approx(273.15)


@pytest.mark.parametrize("t_C, cp_ashrae, mu_ashrae", [
    (0.0, 3203.0, 8.09e-3),
    (20.0, 3281.0, 3.94e-3),
    (40.0, 3358.0, 2.26e-3),
    (60.0, 3435.0, 1.43e-3),
])
def test_water_glycol_50_vs_ashrae(t_C, cp_ashrae, mu_ashrae):
    # ASHRAE Handbook - Fundamentals, ch. 31 (secondary coolants), aqueous ethylene glycol at
    # 50 % by mass, as tabulated in EnergyPlus' default glycol data (FluidProperties.cc).
    # CoolProp's MEG-50% is Melinder's (IIR 2010) fit of other measurements: cp agrees within 2 %,
    # viscosity is 2-7 % lower between 0 and 60 degC (the data sets disagree by that much; the
    # Modelica library's Glycol50_20degC has 4.3 mPa s at 20 degC against ASHRAE's 3.94). Hence
    # 3 % on cp and 8 % on viscosity.
    p = coolant_properties("water-glycol", 273.15 + t_C)
    assert p.specific_heat_J_kgK == pytest.approx(cp_ashrae, rel=0.03)
    assert p.viscosity_Pa_s == pytest.approx(mu_ashrae, rel=0.08)
    assert p.freezing_K == pytest.approx(237.16, abs=0.01)
    assert 1000.0 < p.density_kg_m3 < 1100.0


def test_coolant_out_of_range_errors_name_coolant_and_temperature():
    with pytest.raises(ValueError, match=r"water-glycol.*230\.00 K.*freezing"):
        coolant_properties("water-glycol", 230.0)
    # ammonia boils at 298.1 K at 1 MPa: liquid properties above that are refused ...
    with pytest.raises(ValueError, match=r"ammonia.*310\.00 K.*saturation"):
        coolant_properties("ammonia", 310.0, 1.0e6)
    # ... and available at a loop pressure above the saturation pressure (2.0 MPa at 310 K)
    p = coolant_properties("ammonia", 310.0, 3.0e6)
    assert 550.0 < p.density_kg_m3 < 620.0
    with pytest.raises(ValueError, match=r"water.*272\.00 K"):
        coolant_properties("water", 272.0)
    with pytest.raises(ValueError, match=r"unknown coolant 'brine'"):
        coolant_properties("brine", 300.0)
    with pytest.raises(ValueError, match="373.15"):
        coolant_properties("propylene-glycol", 380.0)


def test_coolant_properties_are_cached_by_rounded_temperature():
    a = coolant_properties("water-glycol", 300.001)
    b = coolant_properties("water-glycol", 300.004)
    assert a is b
    assert set(COOLANTS) >= {"water-glycol", "water", "ammonia", "propylene-glycol"}


# --------------------------------------------------------------------------------------------
# Convection and friction
# --------------------------------------------------------------------------------------------


def test_nusselt_laminar_is_4_36():
    # Incropera eq. 8.53: fully developed laminar flow, uniform heat flux, Nu = 48/11 = 4.36
    for re in (10.0, 500.0, 2300.0):
        assert nusselt_tube(re, 7.0) == pytest.approx(4.36, abs=0.005)
    assert nusselt_tube(1000.0, 7.0, laminar_nusselt=3.66) == 3.66


def test_gnielinski_hand_value():
    # Re = 1e4, Pr = 5 by hand: f = (0.790 ln 1e4 - 1.64)^-2 = (7.27617 - 1.64)^-2 = 0.031480;
    # f/8 = 0.0039350; numerator 0.0039350 * 9000 * 5 = 177.07;
    # denominator 1 + 12.7 * sqrt(0.0039350) * (5^(2/3) - 1) = 1 + 12.7 * 0.062730 * 1.92402 = 2.53278;
    # Nu = 69.91.
    assert nusselt_tube(1.0e4, 5.0) == pytest.approx(69.91, abs=0.01)


@pytest.mark.parametrize("pr", [0.7, 1.0, 2.0, 3.0])
@pytest.mark.parametrize("re", [1.0e4, 2.0e4, 5.0e4, 1.0e5])
def test_gnielinski_vs_dittus_boelter(re, pr):
    # Dittus-Boelter (Incropera eq. 8.60, heating, n = 0.4) carries errors up to 25 %; Gnielinski
    # is within 10 % of data. They agree within 15 % for Pr <= 3 over Re = 1e4..1e5 (at Pr = 5
    # and Re = 1e5 they differ by 18 %, within Dittus-Boelter's stated error).
    nu_db = 0.023 * re**0.8 * pr**0.4
    assert nusselt_tube(re, pr) == pytest.approx(nu_db, rel=0.15)


def test_nusselt_and_friction_continuous_through_transition():
    for fn, args in ((nusselt_tube, (5.0,)), (darcy_friction_factor, ())):
        for re_edge in (2300.0, 3000.0):
            below, above = fn(re_edge * (1 - 1e-9), *args), fn(re_edge * (1 + 1e-9), *args)
            assert below == pytest.approx(above, rel=1e-6)
    re = np.array([100.0, 2600.0, 1.0e4])
    assert np.asarray(nusselt_tube(re, 5.0)).shape == (3,)


def test_friction_factor_laminar_and_turbulent():
    assert darcy_friction_factor(1000.0) == pytest.approx(0.064, rel=1e-12)
    # Petukhov at Re = 1e4 by hand: (7.27617 - 1.64)^-2 = 0.031480
    assert darcy_friction_factor(1.0e4) == pytest.approx(0.031480, rel=1e-4)
    # vs Colebrook smooth wall (Prandtl-Karman) 1/sqrt(f) = 2 log10(Re sqrt f) - 0.8, within 3 %
    for re in (1.0e4, 1.0e5, 1.0e6):
        f = 0.02
        for _ in range(50):
            f = (2.0 * math.log10(re * math.sqrt(f)) - 0.8) ** -2
        assert darcy_friction_factor(re) == pytest.approx(f, rel=0.03)


def test_film_coefficient_definition():
    loop = PumpedLoopSpec("water", 0.05)
    p = coolant_properties("water", 300.0)
    re = tube_reynolds(0.05, 0.008, p.viscosity_Pa_s)
    assert re == pytest.approx(4 * 0.05 / (math.pi * 0.008 * p.viscosity_Pa_s))
    h = film_coefficient_W_m2K(loop, 300.0)
    assert h == pytest.approx(nusselt_tube(re, p.prandtl) * p.conductivity_W_mK / 0.008, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Fins and panel
# --------------------------------------------------------------------------------------------


def test_fin_efficiency_tanh_formula_and_limits():
    L, t, k, eps, T = 0.075, 1.5e-3, 167.0, (0.79, 0.79), 300.0
    h = 4 * STEFAN_BOLTZMANN_W_M2K4 * 1.58 * T**3
    ml = L * math.sqrt(h / (k * t))
    assert fin_efficiency(L, t, k, eps, T) == pytest.approx(math.tanh(ml) / ml, rel=1e-12)
    # one side radiating: half the coefficient
    ml1 = L * math.sqrt(0.5 * h / (k * t))
    assert fin_efficiency(L, t, k, (0.79,), T) == pytest.approx(math.tanh(ml1) / ml1, rel=1e-12)
    # limits: perfectly conducting fin -> 1; very long fin -> 1/(mL)
    assert fin_efficiency(L, t, 1e12, eps, T) == pytest.approx(1.0, abs=1e-9)
    assert straight_fin_efficiency(1.0, 1e-3, 1.0, 1.0e3) == pytest.approx(1.0 / 1000.0, rel=1e-9)
    assert straight_fin_efficiency(0.1, 1e-3, 100.0, 0.0) == 1.0
    assert np.asarray(fin_efficiency(L, t, k, eps, np.array([250.0, 300.0]))).shape == (2,)
    with pytest.raises(TypeError, match="emissivity_sides"):
        fin_efficiency(L, t, k, 0.79, T)


@pytest.mark.parametrize("thickness, tol_q, tol_g", [(1.5e-3, 0.005, 0.002), (0.5e-3, 0.02, 0.01)])
def test_radiating_fin_linearisation_vs_nonlinear_solution(thickness, tol_q, tol_g):
    # Nonlinear radiating fin k t T'' = sigma sum(eps) T^4, T(0) = T_b, T'(L) = 0 (sink 0 K),
    # solved numerically; the linearised model must give its heat (eta sigma sum(eps) T_b^4 L) and
    # its base-to-mean drop (Q / G_fin) to second order in the fin temperature drop: 0.2 % / 0.1 %
    # at eta = 0.93 (1.5 mm Al), 1.2 % / 0.4 % at eta = 0.83 (0.5 mm).
    L, k, eps, tb = 0.075, 167.0, (0.79, 0.79), 300.0
    s = STEFAN_BOLTZMANN_W_M2K4 * sum(eps)
    x = np.linspace(0.0, L, 101)
    sol = solve_bvp(lambda x, y: np.vstack([y[1], s * y[0] ** 4 / (k * thickness)]),
                    lambda ya, yb: np.array([ya[0] - tb, yb[1]]),
                    x, np.vstack([np.full_like(x, tb), np.zeros_like(x)]), tol=1e-8)
    assert sol.success
    q = -k * thickness * sol.sol(0.0)[1]
    xs = np.linspace(0.0, L, 4001)
    t_mean = np.trapezoid(sol.sol(xs)[0], xs) / L
    eta = fin_efficiency(L, thickness, k, eps, tb)
    assert eta * s * tb**4 * L == pytest.approx(q, rel=tol_q)
    g = fin_conductance_W_K(L, L, thickness, k, eps, tb)   # area L per metre of depth
    assert q / g == pytest.approx(tb - t_mean, rel=tol_q + tol_g)


def test_fin_conductance_limit_without_radiation():
    # h -> 0: parabolic profile, G = 3 k t A / L^2
    g = fin_conductance_W_K(2.0, 0.075, 1.5e-3, 167.0, (0.0, 0.0), 300.0)
    assert g == pytest.approx(3 * 167.0 * 1.5e-3 * 2.0 / 0.075**2, rel=1e-12)
    g_small = fin_conductance_W_K(2.0, 0.075, 1.5e-3, 167.0, (1e-9,), 300.0)
    assert g_small == pytest.approx(g, rel=1e-6)


def test_panel_conductance_is_film_and_fin_in_series():
    loop = PumpedLoopSpec("water-glycol", 0.2)
    area = 24.0
    assert radiator_tube_length_m(loop, area) == pytest.approx(160.0)
    film = tube_film_conductance_W_K(loop, area, 300.0)
    fin = fin_conductance_W_K(area, 0.075, 1.5e-3, 167.0, (0.79, 0.79), 300.0)
    g = panel_conductance_W_K(loop, area, 1.5e-3, 167.0, (0.79, 0.79), 300.0)
    assert g == pytest.approx(1.0 / (1.0 / film + 1.0 / fin), rel=1e-12)
    circuit = radiator_circuit(loop, 160.0)
    assert (circuit.path_count, circuit.path_length_m, circuit.path_mass_flow_kg_s) == (4, 40.0, 0.05)
    h = film_coefficient_W_m2K(loop, 300.0, 0.05)
    assert film == pytest.approx(h * math.pi * 0.008 * 160.0, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Loop conductance and temperatures
# --------------------------------------------------------------------------------------------


def test_loop_conductance_limits():
    c = 670.0
    # both exchangers perfect (eps -> 1): G = C
    assert loop_conductance_W_K(c, math.inf, math.inf) == pytest.approx(c, rel=1e-12)
    assert loop_conductance_W_K(c, 1e6 * c, 1e6 * c) == pytest.approx(c, rel=1e-9)
    # C -> infinity: series conductances; the error is O(UA/C)
    ua_src, ua_snk = 520.0, 1800.0
    series = 1.0 / (1.0 / ua_src + 1.0 / ua_snk)
    assert loop_conductance_W_K(1e12, ua_src, ua_snk) == pytest.approx(series, rel=1e-8)
    # no flow or no exchanger: no transport
    assert loop_conductance_W_K(0.0, ua_src, ua_snk) == 0.0
    assert loop_conductance_W_K(c, 0.0, ua_snk) == 0.0
    # always below both the series value and C
    g = loop_conductance_W_K(c, ua_src, ua_snk)
    assert g < min(series, c)
    assert exchanger_effectiveness(ua_src, c) == pytest.approx(1 - math.exp(-ua_src / c), rel=1e-12)


def test_loop_temperatures_energy_balance():
    q, t_sink, c, ua_src, ua_snk = 5600.0, 285.0, 670.0, 520.0, 1800.0
    t = loop_temperatures(q, t_sink, c, ua_src, ua_snk)
    eps_src, eps_snk = 1 - math.exp(-ua_src / c), 1 - math.exp(-ua_snk / c)
    q_in = eps_src * c * (t.source_K - t.cold_K)      # into the fluid at the cold plates
    q_out = eps_snk * c * (t.hot_K - t_sink)          # out of the fluid at the radiator
    assert q_in == pytest.approx(q, rel=1e-12)
    assert q_out == pytest.approx(q, rel=1e-12)
    assert c * (t.hot_K - t.cold_K) == pytest.approx(q, rel=1e-12)
    assert (t.source_K - t_sink) * loop_conductance_W_K(c, ua_src, ua_snk) == pytest.approx(q, rel=1e-12)
    # the radiator as one isothermal segment of the fluid march gives the same outlet
    march = fluid_march(t.hot_K, [t_sink], [ua_snk], c)
    assert march.outlet_temperature_K == pytest.approx(t.cold_K, rel=1e-13)


# --------------------------------------------------------------------------------------------
# Fluid march
# --------------------------------------------------------------------------------------------


def test_fluid_march_uniform_wall_equals_single_segment():
    c, t_in, t_wall, n = 670.0, 320.0, 280.0, 50
    ua = np.full(n, 1800.0 / n)
    march = fluid_march(t_in, np.full(n, t_wall), ua, c)
    exact = t_wall + (t_in - t_wall) * math.exp(-1800.0 / c)
    assert march.outlet_temperature_K == pytest.approx(exact, rel=1e-13)
    single = fluid_march(t_in, [t_wall], [1800.0], c)
    assert march.outlet_temperature_K == pytest.approx(single.outlet_temperature_K, rel=1e-13)
    assert march.fluid_temperature_K.shape == (n + 1,)


def test_fluid_march_energy_conservation_and_vectorisation():
    rng = np.random.default_rng(1)
    c = np.array([500.0, 700.0, 0.0])
    walls = rng.uniform(250.0, 320.0, size=(3, 200))
    ua = rng.uniform(0.0, 30.0, size=(3, 200))
    t_in = np.array([330.0, 315.0, 300.0])
    march = fluid_march(t_in, walls, ua, c)
    balance = c * (t_in - march.outlet_temperature_K)
    np.testing.assert_allclose(march.segment_heat_W.sum(axis=-1), balance, rtol=1e-12, atol=1e-12 * 1e4)
    # each row equals its own one-dimensional march
    for j in range(3):
        single = fluid_march(t_in[j], walls[j], ua[j], c[j])
        np.testing.assert_allclose(march.segment_heat_W[j], single.segment_heat_W, rtol=1e-14, atol=0)
    # no flow: no heat, fluid takes the wall temperatures
    assert np.all(march.segment_heat_W[2] == 0.0)
    assert march.outlet_temperature_K[2] == walls[2, -1]


def test_fluid_march_operator_reproduces_march():
    rng = np.random.default_rng(2)
    n, c, t_in = 60, 650.0, 318.0
    walls = rng.uniform(260.0, 300.0, n)
    ua = rng.uniform(1.0, 40.0, n)
    a, b = fluid_march_operator(ua, c)
    march = fluid_march(t_in, walls, ua, c)
    np.testing.assert_allclose(a @ walls + b * t_in, march.segment_heat_W, rtol=1e-10, atol=1e-9)
    assert np.all(np.triu(a, 1) == 0.0)


# --------------------------------------------------------------------------------------------
# Cold plates
# --------------------------------------------------------------------------------------------


def test_shah_london_rectangular_duct_values():
    # Shah & London (1978): square duct f Re = 56.91, Nu_H1 = 3.61; parallel plates (a -> 0)
    # f Re = 96, Nu_H1 = 8.235
    f_re, nu = rectangular_duct_laminar(1.0)
    assert f_re == pytest.approx(56.91, rel=1e-3)
    assert nu == pytest.approx(3.61, rel=2e-3)
    f_re, nu = rectangular_duct_laminar(1e-9)
    assert (f_re, nu) == pytest.approx((96.0, 8.235), rel=1e-6)


def test_cold_plate_conductance():
    given = PumpedLoopSpec("water-glycol", 0.2, cold_plate_conductance_W_K=50.0)
    assert cold_plate_conductance_W_K(given, 310.0, 8) == 50.0
    loop = PumpedLoopSpec("water-glycol", 0.2)
    assert ColdPlateGeometry().channel_count == 75
    g = cold_plate_conductance_W_K(loop, 310.0, 8)
    # a 700 W GPU on a good liquid cold plate sees ~5-20 K from plate to coolant
    assert 35.0 < g < 140.0
    # fully developed laminar channels: the film coefficient does not depend on the flow ...
    assert cold_plate_conductance_W_K(loop, 310.0, 2) == pytest.approx(g, rel=1e-12)
    # ... until the channels become turbulent (Re > 3000 needs ~1 kg/s through one plate)
    fast = PumpedLoopSpec("water-glycol", 2.0)
    assert cold_plate_conductance_W_K(fast, 310.0, 1) > 1.5 * g


# --------------------------------------------------------------------------------------------
# Pressure drop and pump power
# --------------------------------------------------------------------------------------------


def test_pressure_drop_equals_hagen_poiseuille_in_laminar_flow():
    # Hagen-Poiseuille: dp = 128 mu L Qv / (pi D^4), exact for fully developed laminar flow
    loop = PumpedLoopSpec("water-glycol", 0.01)
    p = coolant_properties("water-glycol", 290.0)
    assert tube_reynolds(0.01, 0.008, p.viscosity_Pa_s) < 2300.0
    q_vol = 0.01 / p.density_kg_m3
    hp = 128.0 * p.viscosity_Pa_s * 40.0 * q_vol / (math.pi * 0.008**4)
    assert pressure_drop_Pa(loop, 40.0, 290.0, minor_loss_fraction=0.0) == pytest.approx(hp, rel=1e-12)
    assert pressure_drop_Pa(loop, 40.0, 290.0) == pytest.approx(1.25 * hp, rel=1e-12)
    assert pressure_drop_Pa(loop, 0.0, 290.0) == 0.0


def test_pump_power_h100_bus_example():
    # h100_bus: water-glycol 0.2 kg/s, 24 m^2 radiator at 0.15 m pitch, 8 mm tubes: 160 m of tube.
    loop = PumpedLoopSpec("water-glycol", 0.2)
    length = radiator_tube_length_m(loop, 24.0)
    t = 300.0
    p = coolant_properties("water-glycol", t)
    # default: 4 parallel paths of 40 m, 0.05 kg/s each
    power = pump_power_W(loop, length, t)
    # all 160 m in series carrying the whole flow (4.6 MPa of friction: not a feasible design)
    series = PumpedLoopSpec("water-glycol", 0.2, radiator_parallel_paths=1, minor_loss_fraction=0.0)
    power_series = pump_power_W(series, length, t)
    re = 4 * 0.2 / (math.pi * 0.008 * p.viscosity_Pa_s)
    f = (0.790 * math.log(re) - 1.64) ** -2
    v = 0.2 / (p.density_kg_m3 * math.pi * 0.004**2)
    dp_hand = f * 160.0 / 0.008 * 0.5 * p.density_kg_m3 * v**2
    assert power_series == pytest.approx(0.2 * dp_hand / (p.density_kg_m3 * 0.5), rel=1e-12)
    net = pumped_loop_network(loop, 24.0, 1.5e-3, 167.0, (0.79, 0.79), 8, t)
    print(f"\nh100_bus at {t} K: {net.radiator_path_count} paths, Re/path {net.radiator_path_reynolds:.0f}, "
          f"film h {net.film_coefficient_W_m2K:.0f} W/m2K, film UA {net.film_conductance_W_K:.0f} W/K, "
          f"fin eta {net.fin_efficiency:.3f}, fin G {net.fin_conductance_W_K:.0f} W/K, "
          f"panel UA {net.sink_ua_W_K:.0f} W/K, cold plate {net.cold_plate_conductance_W_K:.1f} W/K x 8, "
          f"loop G {net.loop_conductance_W_K:.0f} W/K, radiator dp {net.radiator_pressure_drop_Pa / 1e3:.0f} kPa, "
          f"pump {power:.1f} W (with cold plates {net.pump_power_W:.1f} W); "
          f"all in series: {power_series:.0f} W, {dp_hand / 1e6:.2f} MPa")
    assert 10.0 < power < 100.0
    assert 10.0 < net.pump_power_W < 100.0
    assert power_series > 1000.0


# --------------------------------------------------------------------------------------------
# Heat pipes, junction, specs
# --------------------------------------------------------------------------------------------


def test_heat_pipe_limit_flag_and_raise():
    spec = HeatPipeSpec(conductance_W_K=40.0, max_transport_W_m=GROOVED_AL_NH3_TRANSPORT_W_M, pipe_count=10)
    assert heat_pipe_effective_length_m(0.3, 1.0, 0.5) == pytest.approx(1.4)
    ok = check_heat_pipe_limit(spec, 1000.0, 1.4)
    assert ok.within_limit and ok.utilisation == pytest.approx(1400.0 / 1430.0)
    bad = check_heat_pipe_limit(spec, 2000.0, 1.4)
    assert not bad.within_limit
    with pytest.raises(InfeasibleError, match="capillary limit"):
        check_heat_pipe_limit(spec, 2000.0, 1.4, strict=True)
    # ammonia's transport factor falls with temperature: less capacity hot than at 20 degC
    assert check_heat_pipe_limit(spec, 1000.0, 1.4, temperature_K=293.15).capacity_W_m == pytest.approx(1430.0)
    assert check_heat_pipe_limit(spec, 1000.0, 1.4, temperature_K=333.15).capacity_W_m < 1430.0 * 0.7


def test_junction_temperature():
    # library H100-SXM: 0.03 K/W junction-to-coolant, 700 W -> 21 K above the coolant
    assert junction_temperature_K(330.0, 700.0, 0.03) == pytest.approx(351.0)
    np.testing.assert_allclose(junction_temperature_K(np.array([300.0, 310.0]), 700.0, 0.03), [321.0, 331.0])


def test_spec_validation_names_field_and_value():
    with pytest.raises(ValueError, match=r"PumpedLoopSpec.flow_rate_kg_s.*-0.1"):
        PumpedLoopSpec("water", -0.1)
    with pytest.raises(ValueError, match=r"PumpedLoopSpec.coolant.*'glycol'"):
        PumpedLoopSpec("glycol", 0.1)
    with pytest.raises(ValueError, match=r"pump_efficiency.*1.5"):
        PumpedLoopSpec("water", 0.1, pump_efficiency=1.5)
    with pytest.raises(ValueError, match=r"radiator_parallel_paths"):
        PumpedLoopSpec("water", 0.1, radiator_parallel_paths=0)
    with pytest.raises(ValueError, match=r"HeatPipeSpec.max_transport_W_m"):
        HeatPipeSpec(10.0, 0.0)
