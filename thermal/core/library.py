"""Built-in library of materials, coatings and GPUs, each value with its source.

A case names an entry (``material: Al6061``) and may override any field of it
(``materials: {Al6061: {conductivity: 150 W/m/K}}``) or add new entries. Solar cells and battery
cells live beside the power models in :mod:`power.cells`.

Coatings carry a beginning-of-life and an end-of-life solar absorptivity: UV and atomic oxygen
raise alpha over a mission, and a hot-case design must use the end-of-life value.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Material:
    name: str
    density_kg_m3: float
    conductivity_W_mK: float          # in-plane (isotropic) conductivity
    specific_heat_J_kgK: float
    source: str
    through_conductivity_W_mK: float | None = None  # through-thickness, for orthotropic panels


@dataclass(frozen=True)
class Coating:
    name: str
    absorptivity: float               # solar absorptivity, beginning of life
    emissivity: float                 # hemispherical infrared emissivity
    source: str
    absorptivity_eol: float | None = None  # end of life; None = no degradation data (same as BOL)
    #: infrared absorptivity (of the Earth's IR and the other parts' emission); None: the emissivity
    #: (Kirchhoff's law for a gray surface). A screening override: emission keeps ``emissivity``.
    infrared_absorptivity: float | None = None

    def solar_absorptivity(self, end_of_life: bool) -> float:
        if end_of_life and self.absorptivity_eol is not None:
            return self.absorptivity_eol
        return self.absorptivity

    @property
    def ir_absorptivity(self) -> float:
        """Infrared absorptivity [-]: the case's, else the emissivity (Kirchhoff)."""
        return self.emissivity if self.infrared_absorptivity is None else self.infrared_absorptivity


@dataclass(frozen=True)
class Leakage:
    """How a GPU's power rises with its junction temperature (leakage): a linear law.

    ``P(T_j) = P_ref (1 + per_kelvin max(T_j - reference_K, 0))``, where ``P_ref`` is the GPU's
    power at the reference junction temperature and its utilisation (``TDP * utilisation``).

    Assumptions: the rise scales with the power drawn (leakage scales with the supply voltage,
    which DVFS lowers with the load; a GPU at zero utilisation draws nothing); below the reference
    nothing is taken off (the TDP is what the GPU is rated to draw, a colder GPU is not credited: a
    conservative bound on the power to supply); the law is linear where subthreshold leakage grows
    about exponentially (doubling every 20-30 K), so ``per_kelvin`` is the secant slope over the
    junction range of the design. No library GPU carries a law (no primary source gives one for
    them): a case sets it (``gpus.<name>.leakage``), with its source or marked as an estimate.

    Attributes
    ----------
    per_kelvin : float
        Power rise per kelvin above the reference, a fraction of the power at the reference [1/K].
    reference_K : float
        Junction temperature at which the GPU draws its rated power [K].
    source : str
    """

    per_kelvin: float
    reference_K: float
    source: str

    def __post_init__(self):
        if not (self.per_kelvin >= 0.0 and np.isfinite(self.per_kelvin)):
            raise ValueError(f"Leakage.per_kelvin: expected a fraction per kelvin >= 0, got {self.per_kelvin!r}")
        if not (self.reference_K > 0.0 and np.isfinite(self.reference_K)):
            raise ValueError(f"Leakage.reference_K: expected a temperature in kelvin > 0, got {self.reference_K!r}")

    @property
    def active(self) -> bool:
        """Whether the law changes any power (a zero slope leaves every result as without it)."""
        return self.per_kelvin > 0.0

    def power_factor(self, junction_K):
        """``P(T_j) / P_ref`` at the junction temperature(s) [-]."""
        return 1.0 + self.per_kelvin * np.maximum(np.asarray(junction_K, dtype=float) - self.reference_K, 0.0)


@dataclass(frozen=True)
class GPU:
    name: str
    tdp_W: float
    junction_limit_K: float           # maximum operating temperature
    slowdown_K: float
    shutdown_K: float
    junction_to_coolant_K_W: float    # junction to cold-plate coolant, K/W
    mass_kg: float
    source: str
    leakage: Leakage | None = None    # power rise with junction temperature; None: the TDP at any temperature


MATERIALS = {
    m.name: m
    for m in [
        Material("Al6061", 2700.0, 167.0, 896.0,
                 "Al 6061-T6: ASM Aerospace Specification Metals data sheet; MIL-HDBK-5J"),
        Material("Al7075", 2810.0, 130.0, 960.0,
                 "Al 7075-T6: ASM Aerospace Specification Metals data sheet"),
        Material("copper", 8960.0, 401.0, 385.0,
                 "OFHC copper at 300 K: Incropera & DeWitt, Fundamentals of Heat and Mass Transfer, 6th ed., "
                 "Table A.1"),
        Material("CFRP", 1600.0, 5.0, 900.0,
                 "quasi-isotropic T300/epoxy laminate, in-plane: Gilmore, "
                 "Spacecraft Thermal Control Handbook vol. 1 (2002), App. A",
                 through_conductivity_W_mK=0.7),
        Material("K13D2U_CFRP", 1800.0, 200.0, 800.0,
                 "high-conductivity pitch-fibre (K13D2U) quasi-isotropic laminate, "
                 "in-plane: Gilmore (2002) ch. 5 and Mitsubishi Chemical K13D2U data sheet",
                 through_conductivity_W_mK=1.0),
        Material("titanium", 4430.0, 6.7, 526.0,
                 "Ti-6Al-4V: Incropera & DeWitt, 6th ed., Table A.1"),
    ]
}

COATINGS = {
    c.name: c
    for c in [
        Coating("white_paint", 0.12, 0.90,
                "silicate white paint (Z-93 type): Fortescue, Spacecraft Systems Engineering 4th ed., "
                "Table 11.3 (alpha 0.14 after 1000 h UV)",
                absorptivity_eol=0.14),
        Coating("silicone_white_paint", 0.26, 0.83,
                "silicone white paint: Fortescue 4th ed., Table 11.3 (alpha 0.29 after 1000 h UV)",
                absorptivity_eol=0.29),
        Coating("white_epoxy", 0.25, 0.92, "white epoxy: Hale et al., NASA SP-8105 (1971)"),
        Coating("osr", 0.08, 0.79,
                "optical solar reflector (quartz over silver): Gilmore (2002) App. A, Hale (1971); "
                "EOL alpha 0.10 is Gilmore's multi-year LEO figure (secondary)",
                absorptivity_eol=0.10),
        Coating("silver_teflon", 0.08, 0.78,
                "silver-coated FEP (5 mil): Fortescue 4th ed., Table 11.3; "
                "EOL alpha 0.15 after several years of UV/AO, Gilmore (2002) ch. 4 (secondary)",
                absorptivity_eol=0.15),
        Coating("black_paint", 0.95, 0.87,
                "black polyurethane paint (Aeroglaze Z306): Gilmore (2002) App. A"),
        Coating("solar_cell", 0.91, 0.85,
                "triple-junction cell with ceria-doped cover glass, "
                "front: Gilmore (2002) App. A (secondary for modern cells)"),
        Coating("bare_aluminium", 0.15, 0.05,
                "polished aluminium: Gilmore (2002) App. A"),
        # MLI as a coating: the blanket's outer layer re-radiates almost all it absorbs, so what
        # reaches the structure is the leak through the blanket. Effective emittance e* = 0.03
        # (typical flight blankets 0.015-0.03, Gilmore 2002 ch. 5) and an effective absorptivity
        # alpha_outer * e* / (eps_outer + e*) = 0.4 * 0.03 / 0.83 ~ 0.015 for environment loads
        # (the outer layer in radiative balance; a first-order blanket model).
        Coating("mli", 0.015, 0.03,
                "multilayer insulation as effective properties seen by the structure: e* = 0.03 (Gilmore 2002 ch. 5); "
                "effective alpha = alpha_outer e*/(eps_outer + e*) with alpha_outer 0.4, eps_outer 0.8"),
    ]
}

# H100 limits: the contract names 87 degC as max operating; 89/92 degC slowdown/shutdown are nvidia-smi
# figures reported for the sibling H800 SXM (secondary, REFERENCE_DATA.md). The junction-to-coolant
# resistance is an engineering estimate for a microchannel cold plate at ~1 l/min (0.03 K/W gives a
# 21 K rise at 700 W); users should override it with their cold-plate data.
GPUS = {
    g.name: g
    for g in [
        GPU("H100-SXM", 700.0, 273.15 + 87.0, 273.15 + 89.0, 273.15 + 92.0, 0.03, 2.0,
            "NVIDIA H100 Tensor Core GPU product brief (TDP up to 700 W); "
            "limits from nvidia-smi on H800 SXM (secondary); "
            "junction-to-coolant 0.03 K/W and module mass ~2 kg are estimates"),
        GPU("H100-PCIe", 350.0, 273.15 + 87.0, 273.15 + 89.0, 273.15 + 92.0, 0.06, 1.7,
            "NVIDIA H100 PCIe product brief (350 W); limits as H100-SXM (secondary); "
            "junction-to-coolant and mass are estimates"),
    ]
}


@dataclass(frozen=True)
class Coolant:
    """A coolant known by name, the CoolProp fluid behind it and its freezing point."""
    name: str
    coolprop_fluid: str
    freezing_K: float
    source: str

    @property
    def incompressible(self) -> bool:
        return self.coolprop_fluid.startswith("INCOMP::")


COOLANTS = {
    c.name: c
    for c in [
        Coolant("water-glycol", "INCOMP::MEG-50%", 237.16,
                "50/50 by mass ethylene glycol-water: CoolProp incompressible MEG-50% (Melinder, IIR 2010); "
                "freezing point 237.16 K (-36.0 degC) from the same fit; fit valid to 373.15 K"),
        Coolant("propylene-glycol", "INCOMP::MPG-50%", 240.96,
                "50/50 by mass propylene glycol-water: CoolProp incompressible MPG-50% (Melinder, IIR 2010); "
                "freezing point 240.96 K (-32.2 degC) from the same fit; fit valid to 373.15 K"),
        Coolant("water", "Water", 273.15,
                "IAPWS-95 (Wagner & Pruss, JPCRD 2002) via CoolProp; liquid from 273.15 K up to the saturation "
                "temperature at the loop pressure"),
        Coolant("ammonia", "Ammonia", 195.49,
                "Gao et al. (JPCRD 2020) equation of state via CoolProp; freezing at the triple point 195.49 K; "
                "liquid only below the saturation temperature at the loop pressure (298.1 K at 1 MPa)"),
    ]
}
