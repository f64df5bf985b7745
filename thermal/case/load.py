"""Reading a case file: YAML with units in, the frozen types of :mod:`thermal.case.model` out.

Every value is checked where it enters (:class:`thermal.case.reader.Section`); the first bad value
raises a `CaseError` that names its key path. The keys are the contract in ``CASE_FORMAT.md``;
``docs/case_keys.md`` lists every key with its default.
"""

import copy
import dataclasses
import datetime
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from geometry import parts as part_defaults
from geometry.layout import BODY_PANELS
from geometry.spec import (
    NAMED_DIRECTIONS,
    BodySpec,
    BusSpec,
    DeckSpec,
    ExternalMeshSpec,
    Facing,
    MeshPartSpec,
    PlateSpec,
    RadiatorSpec,
    SolarArraySpec,
    SpacecraftSpec,
    UnitSpec,
)
from power.cells import BATTERY_CELLS, SOLAR_CELLS
from power.system import BatteryConfig, LoadConfig, SolarArrayConfig, battery_mass_kg
from thermal.case.document import check_keys, load_yaml, parse_yaml
from thermal.case.load_cases import load_case_documents, with_prefix
from thermal.case.model import (
    HEATER_SENSES,
    BypassSpec,
    Case,
    CaseSource,
    ConductionSpec,
    EnvironmentConstants,
    HeaterSpec,
    HeatPipeSpec,
    LoadCase,
    OrbitConfig,
    OutputConfig,
    PowerConfig,
    PumpedLoopSpec,
    SolverConfig,
    ThermalConfig,
    ViewFactorConfig,
)
from thermal.case.panels import PanelArrayCase, read_panel_case
from thermal.case.reader import (
    MISSING,
    Section,
    check_plausible,
    collecting_warnings,
    listed,
    lookup,
    suggest,
    warn,
)
from thermal.case.resources import check_resources
from thermal.case.sizing import RadiatorOnlySizing, SizingConfig, read_economics, read_sizing
from thermal.case.study import read_study
from thermal.case.units import to_unit
from thermal.core.checks import DEFAULT_MAX_STEPS, DEFAULT_MAX_UNKNOWNS, EPOCH_YEARS, MIN_STEPS_PER_ORBIT
from thermal.core.compute import SCHEDULES, Compute
from thermal.core.errors import CaseError
from thermal.core.kepler import orbital_period_s
from thermal.core.library import COATINGS, COOLANTS, GPU, GPUS, MATERIALS, Coating, Leakage, Material


def load_case(source: str | Path | Mapping, *, base_dir: str | Path | None = None) -> Case | PanelArrayCase:
    """Read and check a case, as ``python -m thermal.solve`` does.

    Parameters
    ----------
    source : path, YAML text or mapping
        A case file's path (``str`` or ``Path``); the YAML text of a case (a ``str`` with a line
        break, or one that starts with ``{``); or the mapping its YAML holds (a ``dict``, as
        ``yaml.safe_load`` gives it). Quantities carry their units (``"24 m^2"``, ``"550 km"``,
        ``"20 degC"``), as in a file.
    base_dir : path, optional
        Where relative file names in the case (``spacecraft.mesh``) are found: by default the case
        file's folder, or for text and mappings the working folder.

    Returns
    -------
    Case
        Frozen types of SI floats (each field's name carries its unit). ``case.with_values({...})``
        gives a changed copy, checked as a file would be.

    Raises
    ------
    thermal.core.errors.CaseError
        On the first bad value: one line naming the key path, what was expected and what was
        given (the command's exit code 2).
    """
    with collecting_warnings() as warnings:
        case, data, case_dir = _read_top(source, base_dir)
    if isinstance(case, PanelArrayCase):   # the second architecture (thermal.case.panels)
        return dataclasses.replace(case, warnings=tuple(warnings))
    return dataclasses.replace(case, warnings=tuple(warnings),
                               source=CaseSource(copy.deepcopy(data), case_dir, _read_again))


def _read_again(document: Mapping, base_dir: Path) -> Case:
    """The reader a case keeps for :meth:`Case.with_values`: its edited document, from its folder."""
    case = load_case(document, base_dir=base_dir)
    if not isinstance(case, Case):
        raise CaseError("spacecraft.kind", "the kind of the case changed (plate, bus or an external mesh)",
                        "panel_array")
    return case


def is_yaml_text(source: object) -> bool:
    """Whether ``load_case`` reads ``source`` as YAML text rather than as a file name: a string
    with a line break, or one that starts with ``{`` (a one-line flow mapping)."""
    return isinstance(source, str) and ("\n" in source or source.lstrip().startswith("{"))


def _read_top(source: str | Path | Mapping,
              base_dir: str | Path | None) -> tuple[Case | PanelArrayCase, dict, Path]:
    """The case, the document it was read from (untouched: read from a copy) and its folder."""
    if isinstance(source, Mapping):
        data = dict(source)
        check_keys(data, "")
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
        path = None
    elif is_yaml_text(source):
        text = str(source)
        data = parse_yaml(text)
        digest = hashlib.sha256(text.encode()).hexdigest()
        path = None
    else:
        path = Path(source)
        data = load_yaml(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    folder = path.parent if path is not None else Path.cwd()
    case_dir = Path(base_dir) if base_dir is not None else folder
    return _read_case(copy.deepcopy(data), case_dir, path, digest), data, case_dir


def _read_case(data: dict, case_dir: Path, path: Path | None, digest: str,
               nested: bool = False) -> Case | PanelArrayCase:
    top = Section(data, "")
    name = _name(top)
    description = str(top.raw("description", ""))
    library = _library(top)
    orbit = _orbit(top)
    environment = _environment(top.section("environment"))
    if isinstance(data.get("spacecraft"), dict) and data["spacecraft"].get("kind") == "panel_array":
        return read_panel_case(top, data, path, digest, name=name, description=description, orbit=orbit,
                               environment=environment,   # the second architecture: thermal.case.panels
                               output=_output(top.section("output"), name))
    attitude = top.choice("attitude", ("nadir", "sun"), "nadir" if orbit is not None else "sun")
    if orbit is None and attitude != "sun":
        raise CaseError("attitude", "sun (deep space has no Earth to point at)", attitude)
    compute = _compute(top, library) if "compute" in data else None
    top.read.add("compute")
    spacecraft = _spacecraft(top.section("spacecraft", required=True), library, compute, case_dir,
                             has_power="power" in data)
    thermal = _thermal(top.section("thermal"), spacecraft)
    power = _power(top, spacecraft, compute) if "power" in data else None
    if power is not None and orbit is None:
        raise CaseError("power", "an orbit for the power system (deep space has no eclipse cycle to size for)",
                        hint="remove the power section or give an orbit")
    top.read.add("power")
    if isinstance(spacecraft, BusSpec) and power is not None:
        spacecraft = spacecraft.with_unit_mass("battery", battery_mass_kg(power.battery.capacity_Wh,
                                                                          power.battery.cell))
        _check_avionics_on_loop(data, compute, thermal)
    solver = _solver(top.section("solver"), orbit, spacecraft)
    context = dict(library=library, orbit=orbit, attitude=attitude, compute=compute, spacecraft=spacecraft,
                   thermal=thermal, power=power, solver=solver)
    sizing = read_sizing(top.section("sizing"), context) if "sizing" in data else None
    for key in (k for k in ("battery", "avionics") if sizing is not None and k in (data.get("spacecraft") or {})):
        warn(f"spacecraft.{key}: not used: the sizing's check runs each module without a battery or avionics box "
             "(the bus heat and the battery's losses on the GPU coolant loop)")
    economics = read_economics(top.section("economics")) if "economics" in data else None
    top.read.update({"sizing", "economics"})
    if economics is not None and sizing is None:
        raise CaseError("sizing", "a sizing block for the economics section to price", hint="missing")
    if economics is not None and isinstance(sizing, RadiatorOnlySizing):
        raise CaseError("economics", "no economics section in a radiator-only sizing (no GPUs to price)",
                        hint="remove it, or add a compute section")
    output = _output(top.section("output"), name)
    top.read.update({"load_cases", "study"})
    top.done()
    case = Case(name=name, description=description, orbit=orbit, environment=environment,
                attitude=attitude, spacecraft=spacecraft, compute=compute, thermal=thermal, power=power,
                solver=solver, output=output, path=path,
                sha256=digest, sizing=sizing, economics=economics)
    check_resources(case)
    if nested:
        return case
    case = dataclasses.replace(case, load_cases=_load_cases(data, case, case_dir))
    return dataclasses.replace(case, study=_study(top, data, case_dir, case.sizing)) if "study" in data else case


def _study(top: Section, data: dict, case_dir: Path, sizing):
    """The ``study`` section (thermal.case.study), its varied keys tried by reading the case with
    them (warnings of those trial reads are not the case's)."""
    def read_point(document: dict) -> Case:     # the case alone: its load cases change no study key
        with collecting_warnings():
            point = _read_case(document, case_dir, None, "", nested=True)
        assert isinstance(point, Case)   # a study needs a sizing block: never a panel array's case
        return point
    if not isinstance(sizing, SizingConfig):
        raise CaseError("study", "a case with a sizing block for a compute target (the study sizes and prices each "
                        "point)", hint="add sizing.target, or remove the study")
    document = {k: v for k, v in data.items() if k != "study"}
    return read_study(top.section("study"), document, str(case_dir), read_point)


def _load_cases(data: dict, case: Case, case_dir: Path) -> tuple[LoadCase, ...]:
    """Every load case read as a whole case (thermal.case.load_cases)."""
    seasons = case.orbit is not None and case.orbit.has_seasons
    # a design sized at end of life (coatings or power): its defaults add the beginning of life
    sized_eol = isinstance(case.sizing, SizingConfig) and (case.sizing.coatings_end_of_life
                                                           or case.sizing.power_end_of_life)
    out = []
    for name, (document, rule) in load_case_documents(data, seasons, sized_eol).items():
        try:
            check_keys(document, "")
            one = _read_case(dict(document), case_dir, None, case.sha256, nested=True)
        except CaseError as err:
            raise with_prefix(err, name) from None
        assert isinstance(one, Case)   # a load case keeps its case's spacecraft kind
        out.append(LoadCase(name, dataclasses.replace(one, path=case.path, sha256=case.sha256), rule))
    return tuple(out)


#: The longest case name: it names the results folder (a file name is at most 255 bytes) and
#: titles every plot and the report.
MAX_NAME_CHARS = 100


def _name(top: Section) -> str:
    """The case's name: one line of printable text without a slash, at most
    :data:`MAX_NAME_CHARS` characters (it becomes ``results/<name>``)."""
    name = top.string("name")
    expected = f"a name of at most {MAX_NAME_CHARS} printable characters without '/'"
    if len(name) > MAX_NAME_CHARS:
        raise CaseError("name", expected, name, f"{len(name):,} characters")
    if not name.isprintable() or "/" in name or name.strip() in (".", ".."):
        raise CaseError("name", expected, name, "it names the results folder")
    return name


# --- library entries and their overrides ------------------------------------------------------

# key: (field, SI unit, example, plausible range in thermal.core.checks.PLAUSIBLE)
_MATERIAL_KEYS = {"density": ("density_kg_m3", "kg/m^3", "2700 kg/m^3", "density"),
                  "conductivity": ("conductivity_W_mK", "W/m/K", "167 W/m/K", "conductivity"),
                  "specific_heat": ("specific_heat_J_kgK", "J/kg/K", "896 J/kg/K", "specific_heat"),
                  "through_conductivity": ("through_conductivity_W_mK", "W/m/K", "1 W/m/K", "conductivity")}
_GPU_QUANTITIES = {"tdp": ("tdp_W", "W", "700 W", "gpu_power"),
                   "junction_limit": ("junction_limit_K", "K", "87 degC", "junction_limit"),
                   "slowdown": ("slowdown_K", "K", "89 degC", "junction_limit"),
                   "shutdown": ("shutdown_K", "K", "92 degC", "junction_limit"),
                   "junction_to_coolant": ("junction_to_coolant_K_W", "K/W", "0.03 K/W", "junction_resistance"),
                   "mass": ("mass_kg", "kg", "2 kg", "mass")}


def _library(top: Section) -> dict:
    """The built-in library with the case's `materials`, `coatings` and `gpus` added or overridden."""
    materials, coatings, gpus = dict(MATERIALS), dict(COATINGS), dict(GPUS)
    for name, entry in top.section("materials").data.items():
        sec = Section(entry, f"materials.{name}")
        base = materials.get(name)
        values = {}
        for key, (field, unit, example, kind) in _MATERIAL_KEYS.items():
            default = getattr(base, field) if base else (None if key == "through_conductivity" else MISSING)
            values[field] = sec.quantity(key, unit, example, default, positive=True, plausible=kind)
        source = str(sec.raw("source", base.source + " (overridden in the case)" if base else "given in the case"))
        sec.done()
        materials[name] = Material(name=name, source=source, **values)
    for name, entry in top.section("coatings").data.items():
        coatings[name] = _coating_values(Section(entry, f"coatings.{name}"), coatings.get(name), name)
    for name, entry in top.section("gpus").data.items():
        sec = Section(entry, f"gpus.{name}")
        gpu_base = gpus.get(name)
        values = {}
        for key, (field, unit, example, kind) in _GPU_QUANTITIES.items():
            values[field] = sec.quantity(key, unit, example, getattr(gpu_base, field) if gpu_base else MISSING,
                                         positive=True, plausible=kind)
        source = str(sec.raw("source",
                             gpu_base.source + " (overridden in the case)" if gpu_base else "given in the case"))
        leakage = _leakage(sec, gpu_base.leakage if gpu_base else None)
        sec.done()
        gpus[name] = GPU(name=name, source=source, leakage=leakage, **values)
    return {"materials": materials, "coatings": coatings, "gpus": gpus}


def _leakage(gpu: Section, base: Leakage | None) -> Leakage | None:
    """`gpus.<name>.leakage`: the GPU's power rise with junction temperature (thermal.core.library.Leakage);
    without a `source` it is recorded as an estimate."""
    if "leakage" not in gpu:
        gpu.read.add("leakage")
        return base
    sec = gpu.section("leakage")
    per_kelvin = sec.quantity("per_kelvin", "1/K", "0.3 %/K", base.per_kelvin if base else MISSING,
                              minimum=0.0, plausible="leakage_slope")
    reference_K = sec.quantity("reference", "K", "60 degC", base.reference_K if base else MISSING,
                               positive=True, plausible="junction_limit")
    source = sec.string("source", base.source if base else "estimate (no source given in the case)")
    sec.done()
    return Leakage(per_kelvin=per_kelvin, reference_K=reference_K, source=source)


def _checked(key: str, build, **values):
    """Build a model's own configuration object; the checks it makes on construction (ValueError)
    become a CaseError that names the case key."""
    try:
        return build(**values)
    except ValueError as err:
        raise CaseError(key, "values the model accepts", str(err)) from None


def _fraction(sec: Section, key: str, default=MISSING, lo_open=False) -> float:
    return sec.number(key, default, lo=0.0, hi=1.0, lo_open=lo_open)


def _coating_values(sec: Section, base: Coating | None, name: str) -> Coating:
    if base is None:
        alpha, eps = _fraction(sec, "absorptivity"), _fraction(sec, "emissivity")
        alpha_eol = _fraction(sec, "absorptivity_eol", alpha)
    else:
        alpha = _fraction(sec, "absorptivity", base.absorptivity)
        eps = _fraction(sec, "emissivity", base.emissivity)
        alpha_eol = _fraction(sec, "absorptivity_eol",
                              base.absorptivity_eol if base.absorptivity_eol is not None else alpha)
    # the IR absorptivity: default the emissivity (Kirchhoff), None kept so that it follows the emissivity
    ir = sec.number("ir_absorptivity", base.infrared_absorptivity if base is not None else None, lo=0.0, hi=1.0)
    source = str(sec.raw("source", (base.source + " (overridden in the case)") if base else "given in the case"))
    sec.done()
    return Coating(name=name, absorptivity=alpha, emissivity=eps, source=source, absorptivity_eol=alpha_eol,
                   infrared_absorptivity=ir)


def _coating(value: object, key: str, coatings: dict) -> Coating:
    """A coating given by library name or inline as {absorptivity, emissivity}."""
    if isinstance(value, dict):
        return _coating_values(Section(value, key), None, key)
    return lookup(coatings, value, key)


def _sides(sec: Section, key: str, coatings: dict, default_front=None, default_back=None) -> tuple[Coating, Coating]:
    """`coating: name`, `coating: {absorptivity, emissivity}` (both sides) or `coating: {front: .., back: ..}`."""
    value = sec.raw(key, None)
    full = sec.key(key)
    if value is None:
        if default_front is None:
            raise CaseError(full, "a coating name or {front: ..., back: ...}", hint="missing")
        return lookup(coatings, default_front, full), lookup(coatings, default_back or default_front, full)
    if isinstance(value, dict) and ("front" in value or "back" in value):
        side = Section(value, full)
        front = _coating(side.raw("front", default_front, "a coating"), side.key("front"), coatings)
        back = _coating(side.raw("back", default_back or default_front, "a coating"), side.key("back"), coatings)
        side.done()
        return front, back
    coating = _coating(value, full, coatings)
    return coating, coating


def _material(sec: Section, key: str, materials: dict, default=MISSING) -> Material:
    value = sec.raw(key, default, f"a material name ({', '.join(materials)})")
    return lookup(materials, value, sec.key(key))


def _facing(value: object, key: str, allow_sun=True) -> Facing:
    names = tuple(NAMED_DIRECTIONS) + (("sun",) if allow_sun else ())
    if isinstance(value, str):
        if value not in names:
            raise CaseError(key, f"one of {', '.join(names)} or a vector [x, y, z]", value,
                            suggest(value, names))
        return value
    if isinstance(value, list) and len(value) == 3 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 1e300 for v in value):
        vector = np.asarray(value, dtype=float)
        norm = float(np.linalg.norm(vector))
        if not norm > 0 or not math.isfinite(norm):
            raise CaseError(key, "a non-zero direction vector [x, y, z]", value)
        x, y, z = (float(v) for v in vector / norm)
        return (x, y, z)
    raise CaseError(key, f"one of {', '.join(names)} or a vector [x, y, z]", value)


def _pair(sec: Section, key: str, example: str) -> tuple[float, float]:
    a, b = _size(sec, key, 2, example)
    return (a, b)


def _triple(sec: Section, key: str, example: str) -> tuple[float, float, float]:
    a, b, c = _size(sec, key, 3, example)
    return (a, b, c)


def _size(sec: Section, key: str, n: int, example: str) -> tuple[float, ...]:
    value = sec.raw(key, expected=f"a list of {n} lengths, e.g. {example}")
    if not isinstance(value, list) or len(value) != n:
        raise CaseError(sec.key(key), f"a list of {n} lengths, e.g. {example}", value)
    out = []
    for i, item in enumerate(value):
        length = to_unit(item, "m", f"{sec.key(key)}[{i}]", "1 m")
        if not length > 0:
            raise CaseError(f"{sec.key(key)}[{i}]", "a positive length", item)
        check_plausible(f"{sec.key(key)}[{i}]", length, "length", item)
        out.append(length)
    return tuple(out)


# --- sections ----------------------------------------------------------------------------------

def _orbit(top: Section) -> OrbitConfig | None:
    value = top.raw("orbit", expected="a mapping with 'altitude', or 'none' for deep space")
    if isinstance(value, str) and value in ("none", "deep_space"):
        return None
    if not isinstance(value, dict):   # `orbit: 0`, `false` or `no` is a slip, not deep space
        raise CaseError("orbit", "a mapping with 'altitude', or 'none' for deep space", value)
    sec = Section(value, "orbit")
    altitude = sec.quantity("altitude", "m", "550 km", positive=True, plausible="altitude")
    ways = [k for k in ("beta", "sun_synchronous", "inclination") if k in sec.data]
    if len(ways) != 1:
        raise CaseError("orbit",
                        "exactly one of 'beta', 'sun_synchronous: {ltan: \"06:00\"}' or 'inclination' + 'raan'",
                        ", ".join(ways) or "none of them")
    epoch = _epoch(sec)
    beta = inclination = raan = ltan = None
    if "beta" in sec.data:
        beta = sec.quantity("beta", "rad", "60 deg")
        if abs(beta) > math.pi / 2 + 1e-12:
            raise CaseError("orbit.beta", "an angle between -90 deg and 90 deg", sec.data["beta"])
    elif "sun_synchronous" in sec.data:
        sso = sec.section("sun_synchronous")
        text = sso.raw("ltan", expected='a local time of ascending node as text, e.g. "06:00"')
        try:
            hours, minutes = text.split(":") if isinstance(text, str) else ("", "")
            ltan = int(hours) + int(minutes) / 60.0
            if not (0 <= ltan < 24 and 0 <= int(minutes) < 60):
                raise ValueError
        except (TypeError, ValueError):
            raise CaseError("orbit.sun_synchronous.ltan", 'a time "HH:MM" in quotes, e.g. "06:00"', text) from None
        sso.done()
    else:
        inclination = sec.quantity("inclination", "rad", "53 deg")
        if not 0 <= inclination <= math.pi:
            raise CaseError("orbit.inclination", "an angle between 0 deg and 180 deg", sec.data["inclination"])
        raan = sec.quantity("raan", "rad", "0 deg")
    for key in ("beta", "sun_synchronous", "inclination", "raan"):
        sec.read.add(key)
    if "raan" in sec.data and inclination is None:
        raise CaseError("orbit.raan", "raan only together with inclination", sec.data["raan"])
    sec.done()
    return OrbitConfig(altitude_m=altitude, beta_rad=beta, inclination_rad=inclination, raan_rad=raan,
                       ltan_hours=ltan, epoch=epoch)


def _epoch(sec: Section) -> datetime.datetime | None:
    epoch = sec.date("epoch", None)
    if epoch is not None and not EPOCH_YEARS[0] <= epoch.year <= EPOCH_YEARS[1]:
        raise CaseError("orbit.epoch", f"a date from {EPOCH_YEARS[0]} to {EPOCH_YEARS[1]}", sec.data["epoch"],
                        "the solar ephemeris holds for these years")
    return epoch


def _environment(sec: Section) -> EnvironmentConstants:
    env = _checked("environment", EnvironmentConstants,
        solar_constant_W_m2=sec.quantity("solar_constant", "W/m^2", "1361 W/m^2", 1361.0, minimum=0.0,
                                         plausible="solar_flux"),
        albedo=_fraction(sec, "albedo", 0.30),
        earth_ir_W_m2=sec.quantity("earth_ir", "W/m^2", "237 W/m^2", 237.0, minimum=0.0, plausible="earth_ir"),
        eclipse=sec.choice("eclipse", ("conical", "cylindrical", "none"), "conical"),
        albedo_model=sec.choice("albedo_model", ("integrated", "subsolar"), "integrated"),
    )
    sec.done()
    return env


def _compute(top: Section, library: dict) -> Compute:
    """The compute; its GPU carries the case's junction limit and junction-to-coolant resistance."""
    sec = top.section("compute")
    gpu = lookup(library["gpus"], sec.raw("gpu", expected=f"a GPU name ({', '.join(library['gpus'])})"), "compute.gpu")
    gpu = dataclasses.replace(
        gpu, junction_limit_K=sec.quantity("junction_limit", "K", "87 degC", gpu.junction_limit_K, positive=True,
                                                       plausible="junction_limit"),
        junction_to_coolant_K_W=sec.quantity("junction_to_coolant", "K/W", "0.03 K/W", gpu.junction_to_coolant_K_W,
                                             minimum=0.0, plausible="junction_resistance"))
    count = sec.integer("count", lo=1, plausible="gpu_count")
    utilisation = _fraction(sec, "utilisation", 1.0)
    config = Compute(
        gpu=gpu, count=count, utilisation=utilisation,
        overhead_W=sec.quantity("overhead", "W", "3.5 kW", 0.0, minimum=0.0, plausible="power"),
        schedule=sec.choice("schedule", SCHEDULES, "continuous"),
        eclipse_utilisation=_fraction(sec, "eclipse_utilisation", utilisation),
        soc_floor=sec.number("soc_floor", None, lo=0.0, hi=1.0),
        min_utilisation=_fraction(sec, "min_utilisation", 0.0),
        redundancy=sec.number("redundancy", 1.0, lo=0.0, hi=1.0, lo_open=True),
    )
    sec.done()
    return config


def _spacecraft(sec: Section, library: dict, compute: Compute | None, case_dir: Path,
                has_power: bool = False) -> SpacecraftSpec:
    if not sec.data:
        raise CaseError("spacecraft", "a mapping with 'kind' (plate, bus) or 'mesh'", hint="missing")
    materials, coatings = library["materials"], library["coatings"]
    spec: SpacecraftSpec
    if "mesh" in sec.data:
        spec = _external_mesh(sec, materials, coatings, case_dir)
    else:
        kind = sec.choice("kind", ("plate", "bus", "panel_array"))
        if kind == "plate":
            front, back = _sides(sec, "coating", coatings)
            spec = PlateSpec(name=str(sec.raw("name", "plate")), size_m=_pair(sec, "size", "[1 m, 1 m]"),
                             thickness_m=sec.quantity("thickness", "m", "1 mm", positive=True, plausible="thickness"),
                             material=_material(sec, "material", materials),
                             facing=_facing(sec.raw("facing", "sun"), sec.key("facing")), front=front, back=back)
        else:
            spec = _bus(sec, materials, coatings, compute, has_power)
    sec.done()
    return spec


def _bus(sec: Section, materials: dict, coatings: dict, compute: Compute | None, has_power: bool) -> BusSpec:
    body_sec = sec.section("body", required=True)
    if not body_sec.data:
        raise CaseError("spacecraft.body", "a mapping with size, wall, material, coating", hint="missing")
    body = BodySpec(size_m=_triple(body_sec, "size", "[1.2 m, 1.0 m, 0.8 m]"),
                    wall_m=body_sec.quantity("wall", "m", "3 mm", positive=True, plausible="thickness"),
                    material=_material(body_sec, "material", materials),
                    coating=_coating(body_sec.raw("coating", "white_paint"), body_sec.key("coating"), coatings))
    body_sec.done()
    if body.wall_m >= 0.5 * min(body.size_m):
        raise CaseError("spacecraft.body.wall", f"a wall thinner than half the body's smallest side "
                        f"({0.5 * min(body.size_m) * 1e3:g} mm)", body_sec.data["wall"])
    deck_sec = sec.section("deck")
    deck = DeckSpec(thickness_m=deck_sec.quantity("thickness", "m", "6 mm", 0.006, positive=True,
                                                  plausible="thickness"),
                    material=_material(deck_sec, "material", materials, "Al6061"),
                    gpu_count=compute.count if compute else 0,
                    # an SXM5 module with its cold plate is about 14 cm x 8 cm (estimate from HGX H100 drawings)
                    footprint_m=_pair(deck_sec, "footprint", "[14 cm, 8 cm]") if "footprint" in deck_sec.data
                    else (0.14, 0.08))
    deck_sec.read.add("footprint")
    deck_sec.done()
    names = {"deck"} | {f"wall_{s}{a}" for s in "+-" for a in "xyz"}
    radiators = []
    for i, item in enumerate(sec.items("radiators")):
        r = Section(item, f"spacecraft.radiators[{i}]")
        name = _part_name(r, f"radiator{i}", names)
        size = _panel_size(r)
        two_sided = r.boolean("two_sided", True)
        front, back = _sides(r, "coating", coatings, "osr", "osr" if two_sided else "mli")
        pipes = r.section("embedded_heat_pipes")
        pipe_k = pipes.quantity("conductivity", "W/m/K", "2000 W/m/K", None, positive=True, plausible="conductivity")
        pipes_along = pipes.choice("along", ("length", "width"), "length")
        if pipes.data and pipe_k is None:
            raise CaseError(pipes.key("conductivity"), "the panel's conductivity along the pipes, e.g. '2000 W/m/K'",
                            hint="missing")
        pipes.done()
        radiators.append(RadiatorSpec(name=name, size_m=size,
                                      heat_pipe_conductivity_W_mK=pipe_k, heat_pipes_along=pipes_along,
                                      thickness_m=r.quantity("thickness", "m", "1.5 mm", positive=True,
                                                             plausible="thickness"),
                                      material=_material(r, "material", materials, "Al6061"),
                                      front=front,
                                      back=back if two_sided else lookup(coatings, "mli", r.key("coating")),
                                      facing=_facing(r.raw("facing", "zenith"), r.key("facing"), allow_sun=False),
                                      two_sided=two_sided))
        r.done()
    arrays = []
    for i, item in enumerate(sec.items("solar_arrays")):
        a = Section(item, f"spacecraft.solar_arrays[{i}]")
        name = _part_name(a, f"wing{i}", names)
        size = _panel_size(a)
        pointing = a.choice("pointing", ("sun_tracking", "sun_pointing", "fixed"), "sun_tracking")
        facing = _facing(a.raw("facing", "zenith"), a.key("facing"), allow_sun=False) if pointing == "fixed" else "sun"
        a.read.add("facing")
        axis = a.raw("axis", None)
        axis = None if axis is None else _facing(axis, a.key("axis"), allow_sun=False)
        front, back = _sides(a, "coating", coatings, "solar_cell", "black_paint")
        # flexible-blanket wing: ~1 mm equivalent CFRP/Kapton laminate, ~1.6 kg/m^2 with cells
        arrays.append(SolarArraySpec(name=name, size_m=size,
                                     thickness_m=a.quantity("thickness", "m", "1 mm", 0.001, positive=True,
                                                            plausible="thickness"),
                                     material=_material(a, "material", materials, "CFRP"), front=front, back=back,
                                     pointing=pointing, facing=facing,
                                     axis=NAMED_DIRECTIONS[axis] if isinstance(axis, str) else axis,
                                     boom_m=a.quantity("boom", "m", "20 m", 0.0, minimum=0.0)))
        if axis is not None and pointing != "sun_tracking":
            raise CaseError(a.key("axis"), "an axis only for pointing: sun_tracking", a.data["axis"])
        a.done()
    return BusSpec(body=body, deck=deck, radiators=tuple(radiators), solar_arrays=tuple(arrays),
                   units=_units(sec, has_power, names))


def _units(sec: Section, has_power: bool, names: set) -> tuple[UnitSpec, ...]:
    """The boxes inside the body of a bus with a power section (geometry.spec.UnitSpec): the
    battery (its mass follows the power section's battery: set once that is read) and the
    avionics, unless ``avionics: loop`` puts the bus heat on the GPU coolant loop."""
    units = [_unit(sec.section("battery"), "battery", 0.0, part_defaults.BATTERY_SPECIFIC_HEAT_J_KGK,
                   part_defaults.BATTERY_SOURCE)]
    avionics = sec.data.get("avionics", {})
    if isinstance(avionics, str):
        if avionics != "loop":
            raise CaseError(sec.key("avionics"), "a mapping {mount, conductance, mass, specific_heat} or 'loop'",
                            avionics, suggest(avionics, ("loop",)))
        sec.read.add("avionics")
    else:
        units.append(_unit(sec.section("avionics"), "avionics", part_defaults.AVIONICS_MASS_KG,
                           part_defaults.AVIONICS_SPECIFIC_HEAT_J_KGK, part_defaults.AVIONICS_SOURCE))
    if not has_power:     # read (a typo is still an error) but not built: no power system, no boxes
        for key in (k for k in ("battery", "avionics") if k in sec.data):
            warn(f"{sec.key(key)}: not used: the battery and the avionics are boxes of a bus with a power section")
        return ()
    for unit in units:
        if unit.name in names:
            raise CaseError("spacecraft", f"a part name other than '{unit.name}' (the {unit.name} is a part of a bus "
                            "with a power section)", unit.name, "rename the radiator or wing")
    return tuple(units)


def _unit(u: Section, name: str, mass_kg: float, specific_heat: float, source: str) -> UnitSpec:
    """One box: ``mount`` (a body wall or the deck), ``conductance`` to it (default: in proportion
    to its mass), ``specific_heat`` and, for the avionics, ``mass``."""
    mount = u.choice("mount", BODY_PANELS, part_defaults.UNIT_MOUNTS[name])
    conductance = u.quantity("conductance", "W/K", "10 W/K", None, positive=True, plausible="conductance")
    if name == "avionics":
        mass_kg = u.quantity("mass", "kg", "30 kg", mass_kg, positive=True, plausible="mass")
    cp = u.quantity("specific_heat", "J/kg/K", "1000 J/kg/K", specific_heat, positive=True, plausible="specific_heat")
    given = sorted(k for k in ("mass", "specific_heat") if k in u.data)
    if given:
        source += f"; {' and '.join(given)} given by the case"
    mount_source = "given by the case" if conductance is not None else part_defaults.UNIT_MOUNT_SOURCE[name]
    u.done()
    return UnitSpec(name=name, mount=mount, conductance_W_K=conductance, mass_kg=mass_kg,
                    specific_heat_J_kgK=cp, source=f"{source}; mount conductance: {mount_source}")


def _check_avionics_on_loop(data: dict, compute: Compute | None, thermal: ThermalConfig) -> None:
    """``spacecraft.avionics: loop`` needs a pumped loop cooling the compute to carry the bus heat."""
    on_loop = (data.get("spacecraft") or {}).get("avionics") == "loop"
    if on_loop and not (isinstance(thermal.transport, PumpedLoopSpec) and compute is not None):
        raise CaseError("spacecraft.avionics", "a box ({mount, conductance, mass}) when no pumped loop cools a "
                        "compute section ('loop' puts the bus heat on the GPU coolant loop)", "loop",
                        "give thermal.transport.kind: pumped_loop and a compute section, or mount the avionics")


def _part_name(sec: Section, default: str, taken: set) -> str:
    name = sec.string("name", default)
    if name in taken:
        raise CaseError(sec.key("name"), "a part name used once in the spacecraft", name, "duplicate part name")
    taken.add(name)
    return name


def _panel_size(sec: Section) -> tuple[float, float]:
    """`size: [a, b]`, or `area` with an `aspect_ratio` (length/width, default 2) for a deployable panel."""
    if "size" in sec.data:
        if "area" in sec.data:
            raise CaseError(sec.key("area"), "either 'area' or 'size', not both", sec.data["area"])
        sec.read.update({"area", "aspect_ratio"})
        return _pair(sec, "size", "[4 m, 2 m]")
    area = sec.quantity("area", "m^2", "24 m^2", positive=True, plausible="area")
    aspect = sec.number("aspect_ratio", 2.0, lo=0.0, lo_open=True, plausible="aspect_ratio")
    sec.read.add("size")
    width = math.sqrt(area / aspect)
    return (aspect * width, width)


def _external_mesh(sec: Section, materials: dict, coatings: dict, case_dir: Path) -> ExternalMeshSpec:
    mesh_path = Path(sec.string("mesh"))
    if not mesh_path.is_absolute():
        mesh_path = case_dir / mesh_path
    if not mesh_path.exists():
        raise CaseError("spacecraft.mesh", "an existing mesh file (.msh, .vtu, .xdmf)", str(mesh_path))
    parts_sec = sec.section("parts", required=True)
    if not parts_sec.data:
        raise CaseError("spacecraft.parts", "a mapping of part names to {group, thickness, material, coating}",
                        hint="missing")
    parts = []
    for name in list(parts_sec.data):
        p = parts_sec.section(name)
        front, back = _sides(p, "coating", coatings)
        facing = p.raw("facing", None)
        parts.append(MeshPartSpec(name=str(name), group=str(p.raw("group", name)),
                                  thickness_m=p.quantity("thickness", "m", "2 mm", positive=True,
                                                         plausible="thickness"),
                                  material=_material(p, "material", materials), front=front, back=back,
                                  facing=None if facing is None else _facing(facing, p.key("facing"))))
        p.done()
    parts_sec.done()
    return ExternalMeshSpec(path=str(mesh_path), parts=tuple(parts))


def _part_names(spacecraft: SpacecraftSpec) -> list[str]:
    if isinstance(spacecraft, PlateSpec):
        return [spacecraft.name]
    if isinstance(spacecraft, ExternalMeshSpec):
        return [p.name for p in spacecraft.parts]
    return (["deck"] + [f"wall_{s}{a}" for s in "+-" for a in "xyz"]
            + [r.name for r in spacecraft.radiators] + [w.name for w in spacecraft.solar_arrays]
            + [u.name for u in spacecraft.units])


def _radiating_part_names(spacecraft: SpacecraftSpec) -> list[str]:
    """The parts with a side that radiates (all but the deck and the boxes inside a bus)."""
    inside = {"deck"} | ({u.name for u in spacecraft.units} if isinstance(spacecraft, BusSpec) else set())
    return [n for n in _part_names(spacecraft) if n not in inside]


def _thermal(sec: Section, spacecraft: SpacecraftSpec) -> ThermalConfig:
    transport_sec = sec.section("transport")
    kind = transport_sec.choice("kind", ("conduction", "pumped_loop", "heat_pipe"), "conduction")
    if kind == "pumped_loop":
        transport = _checked("thermal.transport", PumpedLoopSpec,
            coolant=transport_sec.choice("coolant", tuple(COOLANTS)),
            flow_rate_kg_s=transport_sec.quantity("flow_rate", "kg/s", "0.2 kg/s", positive=True,
                                                  plausible="flow_rate"),
            tube_inner_diameter_m=transport_sec.quantity("tube_diameter", "m", "8 mm", 0.008, positive=True,
                                                         plausible="tube_diameter"),
            radiator_tube_spacing_m=transport_sec.quantity("tube_spacing", "m", "15 cm", 0.15, positive=True,
                                                           plausible="tube_spacing"),
            pump_efficiency=_fraction(transport_sec, "pump_efficiency", 0.5, lo_open=True),
            bypass=_bypass(transport_sec.section("bypass")) if "bypass" in transport_sec.data else None,
        )
    elif kind == "heat_pipe":
        transport = _checked("thermal.transport", HeatPipeSpec,
            conductance_W_K=transport_sec.quantity("conductance", "W/K", "200 W/K", positive=True,
                                                   plausible="conductance"),
            max_transport_W_m=transport_sec.quantity("max_transport", "W*m", "1000 W*m", positive=True,
                                                     plausible="heat_pipe_transport"),
        )
    else:
        transport = ConductionSpec()
    transport_sec.done()
    names = _part_names(spacecraft)
    limits = {}
    for part, entry in sec.section("limits").data.items():
        lim = Section(entry, f"thermal.limits.{part}")
        if part not in names:
            raise CaseError(f"thermal.limits.{part}", f"a part name ({listed(names)})", part)
        low = lim.quantity("min", "K", "-40 degC", 0.0, minimum=0.0, plausible="temperature") \
            if "min" in lim.data else 0.0
        high = lim.quantity("max", "K", "85 degC", math.inf, positive=True, plausible="temperature") \
            if "max" in lim.data else math.inf
        lim.read.update({"min", "max"})
        if low >= high:
            raise CaseError(f"thermal.limits.{part}", "a min below the max", entry)
        limits[part] = (low, high)
        lim.done()
    dissipation = {}
    diss = sec.section("dissipation")
    for part in diss.data:
        if part not in names:
            raise CaseError(f"thermal.dissipation.{part}", f"a part name ({listed(names)})", part)
        dissipation[part] = diss.quantity(part, "W", "2 kW", minimum=0.0, plausible="power")
    diss.done()
    sinks = {}
    sink_sec = sec.section("sink_temperature")
    radiating = _radiating_part_names(spacecraft)
    for part in sink_sec.data:
        if part not in radiating:
            raise CaseError(f"thermal.sink_temperature.{part}", f"a part with radiating sides ({listed(radiating)})",
                            part)
        sinks[part] = sink_sec.quantity(part, "K", "250 K", positive=True, plausible="temperature")
    sink_sec.done()
    heaters = []
    heaters_sec = sec.section("heaters")
    for part in heaters_sec.data:
        if part not in names:
            raise CaseError(f"thermal.heaters.{part}", f"a part name ({listed(names)})", part)
        h = heaters_sec.section(part)
        heaters.append(_checked(f"thermal.heaters.{part}", HeaterSpec, part=str(part),
                                setpoint_K=h.quantity("setpoint", "K", "-10 degC", positive=True,
                                                      plausible="temperature"),
                                power_W=h.quantity("power", "W", "200 W", positive=True, plausible="power"),
                                deadband_K=h.quantity("deadband", "K", "2 K", 2.0, positive=True,
                                                      plausible="temperature_difference"),
                                sense=h.choice("sense", HEATER_SENSES, "mean")))
        h.done()
    heaters_sec.done()
    config = ThermalConfig(transport=transport, dissipation_W=dissipation, heaters=tuple(heaters),
                           sink_temperature_K=sinks,
                           initial_temperature_K=sec.quantity("initial_temperature", "K", "293 K", 293.15,
                                                              positive=True, plausible="temperature"),
                           limits_K=limits,
                           end_of_life=sec.choice("coatings_life", ("end_of_life", "beginning_of_life"),
                                                  "end_of_life") == "end_of_life")
    sec.done()
    return config


def _bypass(sec: Section) -> BypassSpec:
    """``thermal.transport.bypass``: the radiator bypass valve (:class:`BypassSpec`)."""
    spec = _checked("thermal.transport.bypass", BypassSpec,
                    setpoint_K=sec.quantity("setpoint", "K", "10 degC", positive=True, plausible="temperature"),
                    band_K=sec.quantity("band", "K", "3 K", 3.0, positive=True, plausible="temperature_difference"),
                    min_fraction=_fraction(sec, "min_fraction", 0.005, lo_open=True))
    sec.done()
    return spec


def _part_count(spacecraft: SpacecraftSpec) -> int:
    """How many parts a spacecraft has (a bus: its walls and more; a plate: one)."""
    if isinstance(spacecraft, ExternalMeshSpec):
        return len(spacecraft.parts)
    return 1 if isinstance(spacecraft, PlateSpec) else 2


def _view_factors(sec: Section) -> ViewFactorConfig:
    """``solver.view_factors``: the rays per radiating side and the ray-traced facet size."""
    default = ViewFactorConfig()
    config = ViewFactorConfig(rays=sec.integer("rays", default.rays, lo=100, hi=10_000_000),
                              patch_size_m=sec.quantity("patch_size", "m", "50 cm", default.patch_size_m,
                                                        positive=True, plausible="mesh_size"))
    sec.done()
    return config


def _solver(sec: Section, orbit: OrbitConfig | None, spacecraft: SpacecraftSpec) -> SolverConfig:
    """The run's length and numerics. A ``duration`` or ``orbits`` asks for a transient, also in
    deep space; ``steady: true`` asks for a steady state (in an orbit: under the orbit-averaged
    loads), and both together contradict each other."""
    transient_keys = [k for k in ("duration", "orbits") if k in sec.data]
    steady = sec.boolean("steady", orbit is None and not transient_keys)
    if steady and transient_keys:
        raise CaseError("solver.steady", f"no steady state together with {' and '.join(transient_keys)} "
                        "(a transient)", True, f"remove {transient_keys[0]} or steady")
    config = SolverConfig(
        model=sec.choice("model", ("network", "fe"), "fe"),
        steady=steady,
        time_step_s=sec.quantity("time_step", "s", "20 s", 30.0, positive=True, plausible="time_step"),
        orbits=sec.integer("orbits", 3, lo=1, plausible="orbits"),
        duration_s=sec.quantity("duration", "s", "3 h", None, positive=True, plausible="duration"),
        periodic_tolerance_K=sec.quantity("periodic_tolerance", "K", "0.05 K", 0.05, positive=True,
                                          plausible="temperature_difference"),
        max_orbits=sec.integer("max_orbits", 40, lo=1, plausible="orbits"),
        mesh_size_m=sec.quantity("mesh_size", "m", "10 cm", 0.10, positive=True, plausible="mesh_size"),
        scheme=sec.choice("scheme", ("backward_euler", "bdf2"), "bdf2"),
        max_unknowns=sec.integer("max_unknowns", DEFAULT_MAX_UNKNOWNS, lo=1),
        max_steps=sec.integer("max_steps", DEFAULT_MAX_STEPS, lo=1),
        radiation_exchange=sec.boolean("radiation_exchange", _part_count(spacecraft) > 1),
        view_factors=_view_factors(sec.section("view_factors")),
    )
    if orbit is None and not steady and config.duration_s is None:
        raise CaseError("solver.duration", "a duration for a transient in deep space (there is no orbit period)",
                        sec.data.get("orbits"), "orbits need an orbit: give the duration instead")
    if orbit is not None and "duration" in sec.data and "orbits" in sec.data:
        raise CaseError("solver.duration", "a duration or a number of orbits, not both", sec.data["duration"])
    if config.orbits > config.max_orbits:
        raise CaseError("solver.orbits", f"at most solver.max_orbits ({config.max_orbits})", sec.data["orbits"],
                        "raise solver.max_orbits too")
    if orbit is not None:
        period_s = orbital_period_s(orbit.altitude_m)
        if config.time_step_s > period_s / MIN_STEPS_PER_ORBIT:
            raise CaseError("solver.time_step", f"at most a {MIN_STEPS_PER_ORBIT}th of the orbit period "
                            f"({period_s / MIN_STEPS_PER_ORBIT:.0f} s of {period_s:.0f} s)",
                            sec.data.get("time_step"), "a longer step does not resolve the orbit")
    sec.done()
    return config


FIELD_OUTPUTS = ("reported_orbit", "all", "none")
TEMPERATURE_UNITS = ("K", "degC")


def _output(sec: Section, name: str) -> OutputConfig:
    fields = sec.raw("fields", "reported_orbit", f"one of {', '.join(FIELD_OUTPUTS)}")
    if isinstance(fields, bool):   # the first spelling: true (the reported orbit) or false
        fields = "reported_orbit" if fields else "none"
    if fields not in FIELD_OUTPUTS:
        raise CaseError(sec.key("fields"), f"one of {', '.join(FIELD_OUTPUTS)}", fields, suggest(fields, FIELD_OUTPUTS))
    config = OutputConfig(dir=Path(sec.string("dir", f"results/{name}")),
                          fields=fields,
                          field_every_steps=sec.integer("field_every", 10, lo=1, plausible="steps_between_fields"),
                          temperature_unit=sec.choice("temperature_unit", TEMPERATURE_UNITS, "K"))
    sec.done()
    return config


def _power(top: Section, spacecraft: SpacecraftSpec, compute: Compute | None) -> PowerConfig:
    sec = top.section("power")
    wings = spacecraft.solar_arrays if isinstance(spacecraft, BusSpec) else ()
    if not wings:
        raise CaseError("power", "a spacecraft with solar_arrays to power (kind: bus)",
                        type(spacecraft).__name__)
    array = sec.section("solar_array", required=True)
    area = sum(w.size_m[0] * w.size_m[1] for w in wings)
    # one axis (about a wing's tracking axis): the sun is off the normal; two-axis: on it
    if all(w.pointing == "fixed" for w in wings):
        pointing = "fixed"
    elif any(w.pointing == "sun_tracking" and w.axis is not None for w in wings):
        pointing = "sun_tracking"
    else:
        pointing = "sun_pointing"
    arrays = _checked("power.solar_array", SolarArrayConfig,
        cell=lookup(SOLAR_CELLS, array.raw("cell", expected=f"a cell name ({', '.join(SOLAR_CELLS)})"),
                    "power.solar_array.cell"),
        area_m2=area,
        packing_factor=_fraction(array, "packing_factor", 0.85, lo_open=True),
        pointing=pointing,
        mission_years=array.number("mission_years", 5.0, lo=0.0, plausible="years"),
        wiring_loss=_fraction(array, "wiring_loss", 0.02),
        regulator_efficiency=_fraction(array, "regulator_efficiency", 0.97, lo_open=True),
        fluence_per_year_e_cm2=array.quantity("fluence_per_year", "1/cm^2", "1e14 1/cm^2", 1e14 * 1e4,
                                              minimum=0.0, plausible="fluence") * 1e-4,
        uv_darkening_per_year=_fraction(array, "uv_darkening_per_year", 0.005),
    )
    array.done()
    bat = sec.section("battery", required=True)
    cell = lookup(BATTERY_CELLS, bat.raw("cell", "VES180"), "power.battery.cell")
    battery = _checked("power.battery", BatteryConfig,
        cell=cell,
        capacity_Wh=bat.quantity("capacity", "Wh", "12 kWh", positive=True, plausible="energy"),
        max_depth_of_discharge=_fraction(bat, "max_depth_of_discharge", lo_open=True),
        charge_efficiency=bat.number("charge_efficiency", None, lo=0.0, hi=1.0, lo_open=True),
        discharge_efficiency=bat.number("discharge_efficiency", None, lo=0.0, hi=1.0, lo_open=True),
        max_charge_W=bat.quantity("max_charge_power", "W", "6 kW", None, positive=True, plausible="power"),
        max_discharge_W=bat.quantity("max_discharge_power", "W", "12 kW", None, positive=True, plausible="power"),
        initial_soc=_fraction(bat, "initial_soc", 1.0),
    )
    bat.done()
    bus = sec.raw("bus_loads", {}, "a power, e.g. '300 W', or a mapping of named loads")
    if isinstance(bus, dict):
        bus_sec = Section(bus, "power.bus_loads")
        bus_W = sum(bus_sec.quantity(name, "W", "150 W", minimum=0.0, plausible="power") for name in list(bus))
        bus_sec.done()
    else:
        bus_W = to_unit(bus, "W", "power.bus_loads", "300 W")
        check_plausible("power.bus_loads", bus_W, "power", bus)
    end_of_life = sec.choice("life", ("end_of_life", "beginning_of_life"), "end_of_life") == "end_of_life"
    sec.done()
    loads = _checked("power.bus_loads", LoadConfig, compute=compute, bus_load_W=bus_W)
    return PowerConfig(arrays=arrays, battery=battery, loads=loads, end_of_life=end_of_life)


