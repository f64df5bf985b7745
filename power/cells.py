"""Built-in library of space solar cells and battery cells, as data with their sources.

Every entry is a frozen dataclass; a case file may name an entry and override any field
(``dataclasses.replace(SOLAR_CELLS["XTJ"], efficiency_bol=0.30)``).  Figures marked
*(secondary)* come from compilations, distributor pages or typical-value ranges rather than the
manufacturer's own datasheet or a peer-reviewed paper; figures marked *(assumed)* are engineering
estimates with the reasoning given.  Prefer a primary source where you have one.

Units: SI floats; temperatures in kelvin; fluences in 1-MeV-electron-equivalent per cm^2 (the
unit every solar-cell datasheet uses); specific energy in Wh/kg.

References
----------
.. [1] C. Fetzer et al., "Production ready 30% efficient triple junction space solar cells",
   Proc. IEEE Photovoltaic Specialists Conference (2008).  XTJ: 29.8 % average BOL (AM0, 28 degC,
   135.3 mW/cm^2, 845 cells); remaining maximum power 0.89 at 5e14 and 0.84 at 1e15 1-MeV e/cm^2.
.. [2] Spectrolab, XTJ Prime space solar cell datasheet: 30.7 % BOL; about 0.87 remaining power
   at 1e15 1-MeV e/cm^2 (secondary, as compiled in REFERENCE_DATA.md).
.. [3] Azur Space, 3G30C-Advanced datasheet: 29.5-30 % BOL (AM0, 28 degC); about 0.88 remaining
   power at 1e15 1-MeV e/cm^2 (secondary); cell mass 86 mg/cm^2 (secondary).
.. [4] ESA project page for the Azur Space 4G32C quadruple-junction cell: 32 % BOL.
.. [5] Rocket Lab (formerly SolAero), IMM-beta product information: 33.3 % BOL, 0.87 remaining
   power at 1e15 1-MeV e/cm^2.
.. [6] ESA ARTES project "Development of High specific energy Li-Ion cell" (Saft VES180):
   160 Wh/kg at 4.1 V, C/1.5, 30 degC; energy loss after 5 years LEO at 30 % DoD: cycling
   < 20 %, calendar < 1 %; 0 to 40 degC.  https://artes.esa.int/projects/development-high-specific-energy-liion-cell
.. [7] ESA Bulletin 90: a LEO spacecraft sees about 5,500 eclipses a year.
.. [8] Panasonic, NCR18650B lithium-ion cell specification sheet: 3350 mAh typical, 3.6 V
   nominal, 48.5 g; charge 0 to 45 degC; standard charge 0.5 C.
.. [9] J. Wang et al., "Cycle-life model for graphite-LiFePO4 cells", J. Power Sources 196
   (2011) 3942-3948, doi:10.1016/j.jpowsour.2010.11.134: capacity loss follows the charge
   throughput (Ah) and depends only weakly on the depth of discharge at a given C-rate, which is
   the basis for the default depth-of-discharge exponent of 1 (damage per cycle proportional to
   the charge moved).
"""

from __future__ import annotations

from dataclasses import dataclass

from thermal.core.checks import check_fraction, check_positive

__all__ = [
    "SolarCell",
    "BatteryCell",
    "SOLAR_CELLS",
    "BATTERY_CELLS",
    "BLANKET_ADDED_AREAL_DENSITY_KG_M2",
    "RADIATION_KNEE_FLUENCE_E_CM2",
    "LEO_CYCLES_PER_YEAR",
]

#: Mass per m^2 a flexible blanket adds to the bare cells [kg/m^2] (assumed, built up):
#: 100 um ceria-doped borosilicate cover glass (about 2.55 g/cm^3: 0.255 kg/m^2), 50 um
#: silicone cover-glass adhesive (DC 93-500 type, 1.08 g/cm^3: 0.054 kg/m^2), 50 um polyimide
#: substrate (1.42 g/cm^3: 0.071 kg/m^2) and about 0.22 kg/m^2 of interconnects, bypass diodes,
#: harness and substrate adhesive.  Gives blanket-level figures of 1.4-1.5 kg/m^2 for
#: Ge-substrate cells, i.e. about 250 W/kg at blanket level, consistent with about 150 W/kg for a
#: whole flexible array once booms and mechanisms are added (Mikulas et al., NTRS 20150006022).
BLANKET_ADDED_AREAL_DENSITY_KG_M2 = 0.60

#: Knee fluence of the remaining-power law  P/P0 = 1 - C log10(1 + phi/phi_x)  [1-MeV e/cm^2].
#: Fitted to the two XTJ points of [1] (0.89 at 5e14, 0.84 at 1e15): phi_x = 2.34e14 reproduces
#: both to 1e-3.  The same shape is assumed for every cell; each cell's C follows from its own
#: reference point.  Functional form: Messenger et al., "Modeling solar cell degradation in
#: space: a comparison of the NRL displacement damage dose and the JPL equivalent fluence
#: approaches", Prog. Photovolt. Res. Appl. 9 (2001) 103-121.
RADIATION_KNEE_FLUENCE_E_CM2 = 2.34e14

#: Charge/discharge cycles per year in LEO (one per eclipse) [1/year], ESA Bulletin 90 [7].
LEO_CYCLES_PER_YEAR = 5500.0


@dataclass(frozen=True)
class SolarCell:
    """A space solar cell (with its cover glass, as laid on a flexible blanket).

    Parameters
    ----------
    name : str
        Library name.
    efficiency_bol : float
        Beginning-of-life conversion efficiency at maximum power, AM0, at
        ``reference_temperature_K`` [-].
    reference_temperature_K : float
        Temperature at which ``efficiency_bol`` is quoted [K] (28 degC for AM0 datasheets).
    temperature_coefficient_per_K : float
        Relative temperature coefficient of maximum power, (1/P) dP/dT [1/K]; negative.
    remaining_factor_eol : float
        Remaining maximum power after ``reference_fluence_e_cm2`` of 1-MeV electrons [-].
    reference_fluence_e_cm2 : float
        Fluence at which ``remaining_factor_eol`` is quoted [1-MeV e/cm^2].
    absorptivity : float
        Solar absorptivity of the front (cell + cover glass) [-].
    emissivity_front : float
        Hemispherical infrared emissivity of the front (cover glass) [-].
    areal_density_kg_m2 : float
        Mass per unit blanket area: cells + cover glass + adhesive + flexible substrate +
        interconnects [kg/m^2].
    source : str
        Where the numbers come from.
    """

    name: str
    efficiency_bol: float
    reference_temperature_K: float
    temperature_coefficient_per_K: float
    remaining_factor_eol: float
    reference_fluence_e_cm2: float
    absorptivity: float
    emissivity_front: float
    areal_density_kg_m2: float
    source: str

    def __post_init__(self):
        check_fraction("SolarCell.efficiency_bol", self.efficiency_bol, open_low=True)
        check_positive("SolarCell.reference_temperature_K", self.reference_temperature_K)
        if not -0.02 < self.temperature_coefficient_per_K <= 0.0:
            raise ValueError(
                "SolarCell.temperature_coefficient_per_K: expected a relative coefficient "
                f"between -0.02 and 0 per K (e.g. -0.0022), got {self.temperature_coefficient_per_K!r}")
        check_fraction("SolarCell.remaining_factor_eol", self.remaining_factor_eol, open_low=True)
        check_positive("SolarCell.reference_fluence_e_cm2", self.reference_fluence_e_cm2)
        check_fraction("SolarCell.absorptivity", self.absorptivity)
        check_fraction("SolarCell.emissivity_front", self.emissivity_front)
        check_positive("SolarCell.areal_density_kg_m2", self.areal_density_kg_m2)


@dataclass(frozen=True)
class BatteryCell:
    """A rechargeable cell and its packaging, efficiency, limits and fade law.

    Capacity fade follows a Woehler-type law in the depth of discharge ``d``:
    the number of cycles to lose ``fade_at_cycle_life`` of capacity is
    ``N(d) = cycles_at_reference_dod * (d / reference_depth_of_discharge) ** -dod_exponent``,
    and partial cycles add linearly (Miner's rule); see :mod:`power.battery`.

    Parameters
    ----------
    name : str
        Library name.
    specific_energy_Wh_kg : float
        Cell-level specific energy [Wh/kg].
    pack_factor : float
        Pack specific energy / cell specific energy (structure, harness, electronics,
        thermal hardware) [-].
    charge_efficiency : float
        Fraction of the energy delivered to the terminals while charging that is stored [-].
    discharge_efficiency : float
        Fraction of the stored energy drawn while discharging that reaches the terminals [-].
    max_c_rate_charge : float
        Highest charge power divided by the energy capacity [1/h] (C-rate).
    max_c_rate_discharge : float
        Highest discharge power divided by the energy capacity [1/h] (C-rate).
    operating_min_K, operating_max_K : float
        Operating temperature range [K].
    cycles_at_reference_dod : float
        Cycles to lose ``fade_at_cycle_life`` of capacity at ``reference_depth_of_discharge`` [-].
    reference_depth_of_discharge : float
        Depth of discharge of that reference point [-].
    dod_exponent : float
        Exponent ``k`` of the cycle-life law ``N ~ d**-k`` [-]; 1 means damage proportional to
        the charge moved.
    fade_at_cycle_life : float
        Capacity fraction lost at the cycle life (0.2: cycles to 80 %) [-].
    calendar_fade_per_year : float
        Capacity fraction lost per year of storage/operation, besides cycling [1/year].
    source : str
        Where the numbers come from.
    """

    name: str
    specific_energy_Wh_kg: float
    pack_factor: float
    charge_efficiency: float
    discharge_efficiency: float
    max_c_rate_charge: float
    max_c_rate_discharge: float
    operating_min_K: float
    operating_max_K: float
    cycles_at_reference_dod: float
    reference_depth_of_discharge: float
    dod_exponent: float
    fade_at_cycle_life: float
    calendar_fade_per_year: float
    source: str

    def __post_init__(self):
        check_positive("BatteryCell.specific_energy_Wh_kg", self.specific_energy_Wh_kg)
        check_fraction("BatteryCell.pack_factor", self.pack_factor, open_low=True)
        check_fraction("BatteryCell.charge_efficiency", self.charge_efficiency, open_low=True)
        check_fraction("BatteryCell.discharge_efficiency", self.discharge_efficiency, open_low=True)
        check_positive("BatteryCell.max_c_rate_charge", self.max_c_rate_charge)
        check_positive("BatteryCell.max_c_rate_discharge", self.max_c_rate_discharge)
        check_positive("BatteryCell.operating_min_K", self.operating_min_K)
        if not self.operating_max_K > self.operating_min_K:
            raise ValueError(
                "BatteryCell.operating_max_K: expected a value above operating_min_K "
                f"({self.operating_min_K!r} K), got {self.operating_max_K!r}")
        check_positive("BatteryCell.cycles_at_reference_dod", self.cycles_at_reference_dod)
        check_fraction("BatteryCell.reference_depth_of_discharge",
                        self.reference_depth_of_discharge, open_low=True)
        if not self.dod_exponent >= 0.0:
            raise ValueError(f"BatteryCell.dod_exponent: expected >= 0, got {self.dod_exponent!r}")
        check_fraction("BatteryCell.fade_at_cycle_life", self.fade_at_cycle_life, open_low=True)
        if not 0.0 <= self.calendar_fade_per_year < 1.0:
            raise ValueError("BatteryCell.calendar_fade_per_year: expected a fraction in [0, 1), "
                             f"got {self.calendar_fade_per_year!r}")

    @property
    def pack_specific_energy_Wh_kg(self) -> float:
        """Pack-level specific energy [Wh/kg]."""
        return self.specific_energy_Wh_kg * self.pack_factor








_T_REF_AM0_K = 301.15  # 28 degC, the AM0 datasheet reference temperature
_TEMP_COEFF_NOTE = ("temperature coefficient -0.22 %/K: middle of the -0.19 to -0.24 %/K range "
                    "reported for III-V multijunction cells (secondary)")
_OPTICAL_NOTE = ("absorptivity 0.91 / emissivity 0.85: typical for III-V cells under 100 um "
                 "ceria-doped cover glass (secondary)")
_BLANKET_NOTE = (f"areal density = cell mass + {BLANKET_ADDED_AREAL_DENSITY_KG_M2} kg/m^2 blanket "
                 "(cover glass, adhesive, substrate, interconnects; assumed, see "
                 "BLANKET_ADDED_AREAL_DENSITY_KG_M2)")


def _iii_v_cell(name: str, efficiency_bol: float, remaining_factor_eol: float,
                cell_areal_density_kg_m2: float, source: str) -> SolarCell:
    """A III-V multijunction cell with what this library takes as common to the class.

    Its own figures: BOL efficiency (AM0, 28 degC), remaining factor at 1e15 1-MeV e/cm^2 and
    bare-cell mass per area; shared: the temperature coefficient, the front optical properties
    and the blanket's added mass, whose notes are appended to ``source``.
    """
    return SolarCell(
        name=name,
        efficiency_bol=efficiency_bol,
        reference_temperature_K=_T_REF_AM0_K,
        temperature_coefficient_per_K=-0.0022,
        remaining_factor_eol=remaining_factor_eol,
        reference_fluence_e_cm2=1e15,
        absorptivity=0.91,
        emissivity_front=0.85,
        areal_density_kg_m2=cell_areal_density_kg_m2 + BLANKET_ADDED_AREAL_DENSITY_KG_M2,
        source=f"{source} {_TEMP_COEFF_NOTE}; {_OPTICAL_NOTE}; {_BLANKET_NOTE}.",
    )


SOLAR_CELLS: dict[str, SolarCell] = {c.name: c for c in (
    _iii_v_cell(
        "XTJ", efficiency_bol=0.298, remaining_factor_eol=0.84, cell_areal_density_kg_m2=0.84,
        source=("Spectrolab XTJ. Efficiency 29.8 % and remaining factor 0.84 at 1e15: Fetzer et "
                "al., IEEE PVSC 2008 (primary). Cell mass 84 mg/cm^2 with 140 um Ge (Spectrolab "
                "datasheet, secondary)."),
    ),
    _iii_v_cell(
        "XTJ-Prime", efficiency_bol=0.307, remaining_factor_eol=0.87, cell_areal_density_kg_m2=0.84,
        source=("Spectrolab XTJ Prime datasheet: 30.7 % BOL; remaining factor about 0.87 at 1e15 "
                "(secondary). Cell mass taken equal to XTJ (same 140 um Ge substrate; assumed)."),
    ),
    _iii_v_cell(
        "3G30C", efficiency_bol=0.295, remaining_factor_eol=0.88, cell_areal_density_kg_m2=0.86,
        source=("Azur Space 3G30C-Advanced datasheet: 29.5 % BOL (the low end of the 29.5-30 % "
                "quoted); remaining factor about 0.88 at 1e15 (secondary); cell mass 86 mg/cm^2 "
                "(secondary)."),
    ),
    _iii_v_cell(
        "4G32C", efficiency_bol=0.32, remaining_factor_eol=0.87, cell_areal_density_kg_m2=0.86,
        source=("Azur Space 4G32C: 32 % BOL (ESA project page). No published remaining factor was "
                "found: 0.87 at 1e15 is ASSUMED (equal to the XTJ Prime / IMM-beta class); "
                "override it when a datasheet value is at hand. Cell mass assumed equal to 3G30C "
                "(Ge substrate)."),
    ),
    _iii_v_cell(
        "IMM-beta", efficiency_bol=0.333, remaining_factor_eol=0.87, cell_areal_density_kg_m2=0.20,
        source=("Rocket Lab IMM-beta: 33.3 % BOL and remaining factor 0.87 at 1e15 (Rocket Lab). "
                "Cell mass 0.20 kg/m^2 ASSUMED: inverted metamorphic cells have their growth "
                "substrate removed (a 140 um Ge substrate alone is 0.745 kg/m^2), leaving the "
                "epitaxial layers, metallisation and a thin handle."),
    ),
)}

BATTERY_CELLS: dict[str, BatteryCell] = {
    "VES180": BatteryCell(
        name="VES180",
        specific_energy_Wh_kg=160.0,
        pack_factor=0.75,
        charge_efficiency=0.97,
        discharge_efficiency=0.97,
        max_c_rate_charge=0.5,
        max_c_rate_discharge=1.0,
        operating_min_K=273.15,
        operating_max_K=313.15,
        cycles_at_reference_dod=5.0 * LEO_CYCLES_PER_YEAR,
        reference_depth_of_discharge=0.30,
        dod_exponent=1.0,
        fade_at_cycle_life=0.20,
        calendar_fade_per_year=0.002,
        source=("Saft VES180, ESA ARTES project page: 160 Wh/kg cell level; < 20 % cycling loss "
                "after 5 years LEO at 30 % DoD, taken as 20 % at 5 x 5,500 = 27,500 cycles "
                "(cycles per year: ESA Bulletin 90), which is conservative; calendar loss < 1 % in "
                "5 years, taken as 0.2 %/year; 0 to 40 degC. DoD exponent 1 (damage proportional "
                "to charge moved; Wang et al., J. Power Sources 196 (2011) 3942, ASSUMED to carry "
                "over to this chemistry). Pack factor 0.75, charge/discharge energy efficiency "
                "0.97 each (round trip 0.94) and C-rate limits C/2 charge, 1C discharge are "
                "ASSUMED typical values for space Li-ion batteries; check the battery datasheet."),
    ),
    "generic-18650": BatteryCell(
        name="generic-18650",
        specific_energy_Wh_kg=3.35 * 3.6 / 0.0485,
        pack_factor=0.65,
        charge_efficiency=0.97,
        discharge_efficiency=0.97,
        max_c_rate_charge=0.5,
        max_c_rate_discharge=2.0,
        operating_min_K=273.15,
        operating_max_K=318.15,
        cycles_at_reference_dod=500.0,
        reference_depth_of_discharge=1.0,
        dod_exponent=1.0,
        fade_at_cycle_life=0.20,
        calendar_fade_per_year=0.02,
        source=("Modern commercial 18650 Li-ion (NCA) cells in a space battery pack, modelled on "
                "the Panasonic NCR18650B specification sheet: 3.35 Ah x 3.6 V / 48.5 g = 249 "
                "Wh/kg; standard charge 0.5 C; charge range 0 to 45 degC (used as the operating "
                "range). Discharge limit 2 C, about 500 full (100 % DoD) cycles to 80 % and 2 %/year "
                "calendar fade are approximate readings of manufacturer data (secondary). Pack "
                "factor 0.65 (many small cells, per-string protection) and 0.97/0.97 efficiencies "
                "ASSUMED. DoD exponent 1 as for VES180 (ASSUMED)."),
    ),
}
