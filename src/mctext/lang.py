"""The language data layer: every per-language fact, read from ``data/languages/<code>.yaml``.

Each file is loaded once into frozen, typed records and validated at load (unknown keys, bad
regexes, labels or driver types not in the codebook, country codes not in ``countries.yaml``,
missing required parts, a file name that does not match ``code``, duplicate aliases): a
mistake is a ``LanguageDataError`` naming the file and the key, raised on first use rather
than turning into a silently missing cue. Code reads these records and the derived views
below; it never spells out a word list. The schema is documented in ``docs/languages.md``.

``xx.yaml`` holds what is language-independent: cues that fire in every language
(acronyms such as ECTS, EQF, VAE), the segmentation rules every language gets, and
country names written alike everywhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from mctext import codebook, config
from mctext.codebook import DRIVER_TYPES, FACETS, LABELS, actor_roles, facet_values, workload_units
from mctext.config import DATA_DIR
from mctext.errors import MctextError

LANGUAGES_DIR = DATA_DIR / "languages"
COUNTRIES_PATH = DATA_DIR / "countries.yaml"
XX = "xx"  # the language-independent file: its cues fire on text in any language

_CODE = re.compile(r"^[a-z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # cue and guard names
_LINGUA = re.compile(r"^[A-Z][A-Z_]*$")


class LanguageDataError(MctextError):
    """A language file that cannot be used; the message names the file and the key."""


def _frozen(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Segmentation:
    """Sentence-splitting rules (segment.py): a boundary after an abbreviation is never kept."""

    abbreviations: tuple[str, ...] = ()
    ordinal_dot: bool = False  # ordinals are written "3." ("am 3. Mai", "3. kesäkuuta")
    months: tuple[str, ...] = ()  # after "<number>." a month name means a date
    ordinal_lead: tuple[str, ...] = ()  # words after which "<number>." is an ordinal
    toc_titles: tuple[str, ...] = ()  # a table of contents' title ("Inhaltsverzeichnis", "Sommaire")


@dataclass(frozen=True)
class Hyphenation:
    """Line-end hyphenation (extract/layout.py)."""

    conjunctions: frozenset[str] = frozenset()  # "Aus- und": a hyphen before one is a suspended compound
    compounding: bool = False  # compounds are written solid (de, nl, fi, sv)
    vowel_clash: bool = False  # a solid compound takes a hyphen only where two vowels meet (fi, nl, et)
    prefixes: frozenset[str] = frozenset()  # prefixes written with a hyphen ("non-", "self-")


@dataclass(frozen=True)
class Furniture:
    """Page furniture words: "Page 3", "Seite 3 von 9", "Strana 3"."""

    page_words: tuple[str, ...] = ()  # literal words before a page number
    page_of: tuple[str, ...] = ()  # literal words between a page number and the page count
    heading_words: tuple[str, ...] = ()  # words before a heading's number, as written ("Artikel 3", "Chapitre II")
    heading_styles: tuple[str, ...] = ()  # Word's localised name of the "Heading" style ("Überschrift 1")


@dataclass(frozen=True)
class Framework:
    """A national qualifications framework named in a language."""

    acronym: str
    country: str
    patterns: tuple[str, ...]
    roman_levels: Mapping[str, int] = field(default_factory=lambda: _frozen({}))  # old roman nomenclature


@dataclass(frozen=True)
class Levels:
    """Qualifications-framework level words of a language (classify/levels.py)."""

    level_words: tuple[str, ...] = ()  # regex alternatives for the word "level"
    numbers: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))  # 1..10, written
    range_separators: tuple[str, ...] = ()  # "levels 6 to 8"
    list_separators: tuple[str, ...] = ()  # "levels 5 and 6"
    eqf: tuple[str, ...] = ()  # the EQF named in this language (regexes)
    frameworks: tuple[Framework, ...] = ()
    national_phrases: tuple[str, ...] = ()  # "the national framework": resolved by country
    not_levels: tuple[str, ...] = ()  # words that make a nearby "level N" not a framework level
    ordinals: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))  # also read before "level"
    qualification_words: tuple[str, ...] = ()  # what makes a bare "level N" a qualifications level


Patterns = Mapping[str, str]  # cue name -> regex

WORKLOAD_UNITS = "workload_units"  # the keys of a ``facets:`` section that are not facets
ROLES = "roles"
COUNTRY_MODEL = "country_model"  # words that present another country as an example or model
WORKLOAD_NUMBERS = "workload_numbers"  # number words read as a workload's number ("five ECTS")
WORKLOAD_RATES = "workload_rates"  # words after a workload that make it a rate ("30 hours a week")
CREDENTIAL_WORDS = "credential_words"  # words naming a credential or certificate of learning (the elements' gate)


@dataclass(frozen=True)
class FacetCues:
    """Facet cues of a language (classify/facets.py): the codebook's facets and values only."""

    values: Mapping[str, Mapping[str, Patterns]] = field(default_factory=lambda: _frozen({}))  # facet -> value -> cues
    workload_units: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))  # unit -> its words (regexes)
    roles: Mapping[str, Patterns] = field(default_factory=lambda: _frozen({}))  # actor role -> cues
    country_model: Patterns = field(default_factory=lambda: _frozen({}))  # "as in", "following the example of"
    workload_numbers: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))  # 5 -> ("five",)
    workload_rates: tuple[str, ...] = ()  # "a week", "pro Woche": a working week's hours, no workload
    credential_words: Patterns = field(default_factory=lambda: _frozen({}))  # "certificate", "Zertifikat", "badge"


@dataclass(frozen=True)
class Language:
    """Everything mctext knows about one language (one file)."""

    code: str
    name: str
    path: Path
    aliases: tuple[str, ...] = ()
    lingua: tuple[str, ...] = ()  # lingua.Language members detected as this language
    tesseract: str | None = None
    spacy: str | None = None  # spaCy blank() language; None: the multilingual "xx" tokenizer
    countries: tuple[str, ...] = ()  # where it is an official language
    stopwords: frozenset[str] = frozenset()  # frequent function words (layout.guess_language)
    segmentation: Segmentation = field(default_factory=Segmentation)
    hyphenation: Hyphenation = field(default_factory=Hyphenation)
    furniture: Furniture = field(default_factory=Furniture)
    levels: Levels | None = None
    country_names: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    language_words: tuple[str, ...] = ()  # "German language": the language, not the country
    cues: Mapping[str, Patterns] = field(default_factory=lambda: _frozen({}))  # label -> cues
    guards: Mapping[str, Patterns] = field(default_factory=lambda: _frozen({}))  # label -> guards
    driver_context: Patterns = field(default_factory=lambda: _frozen({}))
    driver_types: Mapping[str, Patterns] = field(default_factory=lambda: _frozen({}))  # type -> cues
    facets: FacetCues = field(default_factory=FacetCues)
    references: Mapping[str, Patterns] = field(default_factory=lambda: _frozen({}))  # label -> words referring back
    weak_references: Mapping[str, Patterns] = field(default_factory=lambda: _frozen({}))  # ... needing two scopes


# --------------------------------------------------------------------------- validation


class _Reader:
    """Reads one file's parsed YAML into records; every error names the file and the key."""

    def __init__(self, path: Path, countries: Iterable[str], check_regexes: bool = True):
        self.path = path
        self.countries = frozenset(countries)
        self.check_regexes = check_regexes  # False: this very text was checked before (``load_file``)

    def fail(self, key: str, why: str) -> LanguageDataError:
        return LanguageDataError(f"{self.path.name}: {key}: {why}")

    def mapping(self, value: Any, key: str, allowed: Iterable[str] | None = None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping, got {type(value).__name__}")
        for k in value:
            if isinstance(k, bool) or k is None:
                raise self.fail(key, f"the key {k!r} is what YAML makes of an unquoted NO/yes/null: quote it (\"NO\")")
        out = {str(k): v for k, v in value.items()}
        if allowed is not None:
            unknown = sorted(set(out) - set(allowed))
            if unknown:
                raise self.fail(key, f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(allowed)})")
        return out

    def strings(self, value: Any, key: str, check: Callable[[str, str], None] | None = None) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            raise self.fail(key, "expected a list of strings")
        if any(isinstance(v, bool) for v in value):
            raise self.fail(key, "an unquoted no/yes/on/off is read as true/false by YAML: quote it ('no')")
        out = tuple(str(v) for v in value)
        if any(not v for v in out):
            raise self.fail(key, "empty string in list")
        for v in out:
            if check is not None:
                check(v, key)
        return out

    def string(self, value: Any, key: str, required: bool = False) -> str | None:
        if value is None:
            if required:
                raise self.fail(key, "required")
            return None
        if not isinstance(value, str) or not value:
            raise self.fail(key, "expected a non-empty string")
        return value

    def flag(self, value: Any, key: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value

    def regex(self, pattern: str, key: str) -> None:
        if not self.check_regexes:
            return
        try:
            compiled = compile_ignorecase(pattern)
        except re.error as exc:
            raise self.fail(key, f"bad regex {pattern!r}: {exc}") from None
        if compiled.match(""):
            raise self.fail(key, f"regex {pattern!r} matches the empty string")

    def country(self, code: str, key: str) -> None:
        if code not in self.countries:
            raise self.fail(key, f"country {code!r} is not in countries.yaml")

    def patterns(self, value: Any, key: str) -> Patterns:
        """``{name: regex}``: names are identifiers, regexes compile."""
        out = {}
        for name, pattern in self.mapping(value, key).items():
            if not _NAME.match(name):
                raise self.fail(f"{key}.{name}", "cue names are lower-case identifiers")
            if not isinstance(pattern, str) or not pattern:
                raise self.fail(f"{key}.{name}", "expected a regex string")
            self.regex(pattern, f"{key}.{name}")
            out[name] = pattern
        return _frozen(out)

    def per(self, value: Any, key: str, allowed: tuple[str, ...], what: str) -> Mapping[str, Patterns]:
        raw = self.mapping(value, key)
        unknown = sorted(set(raw) - set(allowed))
        if unknown:
            raise self.fail(key, f"{', '.join(unknown)}: not a {what} of the codebook ({', '.join(allowed)})")
        return _frozen({k: self.patterns(v, f"{key}.{k}") for k, v in raw.items() if v})

    def record(self, cls: type, value: Any, key: str, read: Mapping[str, Callable[[Any, str], Any]]) -> Any:
        raw = self.mapping(value, key, [f.name for f in fields(cls)])
        return cls(**{name: read[name](v, f"{key}.{name}") for name, v in raw.items()})

    def levels(self, value: Any, key: str) -> Levels | None:
        if value is None:
            return None
        regexes = lambda v, k: self.strings(v, k, self.regex)  # noqa: E731

        def numbers(v: Any, k: str) -> Mapping[int, tuple[str, ...]]:
            out = {}
            for n, words in self.mapping(v, k).items():
                if not n.isdigit() or not 0 <= int(n) <= 20:
                    raise self.fail(f"{k}.{n}", "expected a level number 0..20")
                out[int(n)] = self.strings(words, f"{k}.{n}", self.regex)
            return _frozen(out)

        def frameworks(v: Any, k: str) -> tuple[Framework, ...]:
            if not isinstance(v, list):
                raise self.fail(k, "expected a list of {acronym, country, patterns}")
            out = []
            for i, item in enumerate(v):
                ki = f"{k}[{i}]"
                raw = self.mapping(item, ki, ["acronym", "country", "patterns", "roman_levels"])
                acronym = self.string(raw.get("acronym"), f"{ki}.acronym", required=True)
                country = self.string(raw.get("country"), f"{ki}.country", required=True)
                self.country(str(country), f"{ki}.country")
                pats = self.strings(raw.get("patterns"), f"{ki}.patterns", self.regex)
                if not pats:
                    raise self.fail(f"{ki}.patterns", "required")
                roman = self.mapping(raw.get("roman_levels"), f"{ki}.roman_levels")
                if not all(re.fullmatch(r"[IVX]+", r) and isinstance(n, int) for r, n in roman.items()):
                    raise self.fail(f"{ki}.roman_levels", "expected {roman numeral: level}")
                out.append(Framework(str(acronym), str(country), pats, _frozen(roman)))
            return tuple(out)

        return self.record(Levels, value, key, {
            "level_words": regexes, "numbers": numbers, "range_separators": regexes,
            "list_separators": regexes, "eqf": regexes, "frameworks": frameworks,
            "national_phrases": regexes, "not_levels": regexes, "ordinals": numbers,
            "qualification_words": regexes,
        })  # fmt: skip

    def facets(self, value: Any, key: str) -> FacetCues:
        """``facets: {facet: {value: {cue: regex}}, workload_units: {unit: [regex]}, roles: {role: {cue: regex}}}``."""
        raw = self.mapping(value, key)
        extra = (WORKLOAD_UNITS, ROLES, COUNTRY_MODEL, WORKLOAD_NUMBERS, WORKLOAD_RATES, CREDENTIAL_WORDS)
        unknown = sorted(set(raw) - {*FACETS, *extra})
        if unknown:
            raise self.fail(key, f"{', '.join(unknown)}: not a facet of the codebook ({', '.join(FACETS)}; "
                                 f"or {', '.join(extra)})")
        values = {facet: self.per(raw[facet], f"{key}.{facet}", facet_values(facet), f"{facet} value")
                  for facet in FACETS if raw.get(facet)}
        units = self.mapping(raw.get(WORKLOAD_UNITS), f"{key}.{WORKLOAD_UNITS}", workload_units())
        return FacetCues(
            values=_frozen(values),
            workload_units=_frozen({u: self.strings(w, f"{key}.{WORKLOAD_UNITS}.{u}", self.regex)
                                    for u, w in units.items() if w}),
            roles=self.per(raw.get(ROLES), f"{key}.{ROLES}", actor_roles(), "actor role"),
            country_model=self.patterns(raw[COUNTRY_MODEL], f"{key}.{COUNTRY_MODEL}") if raw.get(COUNTRY_MODEL)
            else _frozen({}),
            workload_numbers=self.cardinals(raw.get(WORKLOAD_NUMBERS), f"{key}.{WORKLOAD_NUMBERS}"),
            workload_rates=self.strings(raw.get(WORKLOAD_RATES), f"{key}.{WORKLOAD_RATES}", self.regex),
            credential_words=self.patterns(raw[CREDENTIAL_WORDS], f"{key}.{CREDENTIAL_WORDS}")
            if raw.get(CREDENTIAL_WORDS) else _frozen({}),
        )

    def cardinals(self, value: Any, key: str) -> Mapping[int, tuple[str, ...]]:
        """``{number: [regex, ...]}``: the words of a number (1..1000)."""
        out = {}
        for n, words in self.mapping(value, key).items():
            if not str(n).isdigit() or not 1 <= int(n) <= 1000:
                raise self.fail(f"{key}.{n}", "expected a number 1..1000")
            out[int(n)] = self.strings(words, f"{key}.{n}", self.regex)
        return _frozen(out)

    def language(self, data: Any) -> Language:
        top = self.mapping(data, "(top level)", [f.name for f in fields(Language) if f.name != "path"])
        code = self.string(top.get("code"), "code", required=True)
        if code != self.path.stem:
            raise self.fail("code", f"{code!r} does not match the file name {self.path.stem!r}")
        if not _CODE.match(str(code)):
            raise self.fail("code", "expected an ISO 639-1 code (two lower-case letters)")
        words = lambda v, k: self.strings(v, k)  # noqa: E731
        lower = lambda v, k: frozenset(w.lower() for w in self.strings(v, k))  # noqa: E731
        flag = self.flag
        segmentation = self.record(Segmentation, top.get("segmentation"), "segmentation", {
            "abbreviations": words, "ordinal_dot": flag, "months": words, "ordinal_lead": words,
            "toc_titles": words,
        })  # fmt: skip
        hyphenation = self.record(Hyphenation, top.get("hyphenation"), "hyphenation", {
            "conjunctions": lower, "compounding": flag, "vowel_clash": flag, "prefixes": lower,
        })  # fmt: skip
        furniture = self.record(Furniture, top.get("furniture"), "furniture", {
            "page_words": words, "page_of": words, "heading_words": words, "heading_styles": words,
        })  # fmt: skip
        names = {}
        for country, pats in self.mapping(top.get("country_names"), "country_names").items():
            self.country(country, f"country_names.{country}")
            names[country] = self.strings(pats, f"country_names.{country}", self.regex)
        aliases = self.strings(top.get("aliases"), "aliases")
        for alias in aliases:
            if not _CODE.match(alias) or alias == code:
                raise self.fail("aliases", f"{alias!r}: expected another two-letter code")
        lingua = self.strings(top.get("lingua"), "lingua")
        for name in lingua:
            if not _LINGUA.match(name):
                raise self.fail("lingua", f"{name!r} is not a lingua.Language member name (e.g. SLOVAK)")
        countries = self.strings(top.get("countries"), "countries")
        for c in countries:
            self.country(c, "countries")
        lang = Language(
            code=str(code),
            name=str(self.string(top.get("name"), "name", required=True)),
            path=self.path,
            aliases=aliases,
            lingua=lingua,
            tesseract=self.string(top.get("tesseract"), "tesseract"),
            spacy=self.string(top.get("spacy"), "spacy"),
            countries=countries,
            stopwords=lower(top.get("stopwords"), "stopwords"),
            segmentation=segmentation,
            hyphenation=hyphenation,
            furniture=furniture,
            levels=self.levels(top.get("levels"), "levels"),
            country_names=_frozen(names),
            language_words=self.strings(top.get("language_words"), "language_words", self.regex),
            cues=self.per(top.get("cues"), "cues", LABELS, "label"),
            guards=self.per(top.get("guards"), "guards", LABELS, "label"),
            driver_context=self.patterns(top.get("driver_context"), "driver_context"),
            driver_types=self.per(top.get("driver_types"), "driver_types", DRIVER_TYPES, "driver type"),
            facets=self.facets(top.get("facets"), "facets"),
            references=self.per(top.get("references"), "references", LABELS, "label"),
            weak_references=self.per(top.get("weak_references"), "weak_references", LABELS, "label"),
        )
        if code != XX:
            self.complete(lang)
        return lang

    def complete(self, lang: Language) -> None:
        """A language (not xx) needs cues for every label and driver type, and a lingua name."""
        if not lang.lingua:
            raise self.fail("lingua", "required (the lingua.Language member(s) of this language)")
        for label in LABELS:
            if not lang.cues.get(label):
                raise self.fail(f"cues.{label}", "required: every label needs cues in every language")
        for dtype in DRIVER_TYPES:
            if not lang.driver_types.get(dtype):
                raise self.fail(f"driver_types.{dtype}", "required: every driver type needs cues in every language")
        if not lang.driver_context:
            raise self.fail("driver_context", "required: the short-learning context a driver cause needs")


@cache
def compile_ignorecase(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern, re.IGNORECASE)``, once per process: validating a file compiles its
    regexes, and the matchers (``classify.fastre``) use most of the same ones; without the
    shared cache each worker compiled them twice (re's own cache holds only 512)."""
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    """The codes of ``countries.yaml`` in its order (ISO 3166-1 alpha-2, "GB", "GR", and "EU")."""
    data = yaml.safe_load(COUNTRIES_PATH.read_text(encoding="utf-8"))
    return tuple(str(c) for c in data["countries"])


# Where the markers of checked language files go; None: ``config.user_cache_dir()``/languages-checked.
CHECKED_DIR: Path | None = None
# libyaml's loader when PyYAML was built with it: it parses the same safe YAML, faster.
_YAML_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MARKER_SUFFIX = ".json"
_LEGACY_MARKER = re.compile(r"^[0-9a-f]{32}$")  # the pickled markers before 2026-12-02, keyed by text alone


def _checked_dir() -> Path | None:
    """The marker folder, or None (no absolute user cache folder: go without markers)."""
    if CHECKED_DIR is not None:
        return CHECKED_DIR
    base = config.user_cache_dir()
    return None if base is None else base / "languages-checked"


@cache
def _checker_digest() -> bytes:
    """What decides how a file parses and whether its regexes pass: this module (the checks), the
    codebook and the country list it checks against, PyYAML and its loader (libyaml or pure
    Python), and the Python version (its ``re``)."""
    head = f"{sys.version} yaml {yaml.__version__} {_YAML_LOADER.__module__}.{_YAML_LOADER.__name__}"
    digest = hashlib.sha256(head.encode())
    for path in (Path(__file__), Path(codebook.__file__), codebook.CODEBOOK_PATH, COUNTRIES_PATH):
        digest.update(path.read_bytes())
    return digest.digest()


def _marker_prefix(path: Path) -> str:
    """The part of a marker's name that names its language file (stem and a hash of the full path,
    so two checkouts' files of the same name keep their own markers): what pruning looks for."""
    return f"{path.stem}-{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]}"


def _checked_marker(path: Path, text: str) -> Path | None:
    folder = _checked_dir()
    if folder is None:
        return None
    key = hashlib.sha256(_checker_digest() + text.encode("utf-8")).hexdigest()[:32]
    return folder / f"{_marker_prefix(path)}.{key}{_MARKER_SUFFIX}"


def _checked_data(marker: Path | None) -> Any:
    """The parsed YAML a marker holds, None when there is no (readable) marker. Markers are JSON,
    never pickles: the folder belongs to whoever can write the user cache, and reading it must
    not run code."""
    if marker is None:
        return None
    try:
        return _from_json(json.loads(marker.read_bytes()))
    except (OSError, ValueError, TypeError, KeyError):  # absent, or a damaged entry: parse and check in full
        return None


class _NotPlain(ValueError):
    """Parsed YAML that JSON cannot give back equal (a date, a set, bytes)."""


def _to_json(data: Any) -> Any:
    """Parsed YAML as JSON that gives it back equal: a mapping is ``{"m": [[key, value], ...]}``
    (safe YAML has int and bool keys, e.g. ``levels.numbers``), a list ``{"l": [...]}``, a
    scalar itself. Raises ``_NotPlain`` for what else safe YAML can give (dates, sets, bytes)."""
    if isinstance(data, dict):
        return {"m": [[_to_json(k), _to_json(v)] for k, v in data.items()]}
    if isinstance(data, list):
        return {"l": [_to_json(v) for v in data]}
    if data is None or isinstance(data, str | int | float):  # bool is an int
        return data
    raise _NotPlain(type(data).__name__)


def _from_json(data: Any) -> Any:
    if isinstance(data, dict):
        if "m" in data:
            return {_from_json(k): _from_json(v) for k, v in data["m"]}
        return [_from_json(v) for v in data["l"]]
    if isinstance(data, list):
        raise ValueError("a bare list is not a marker's")
    return data


def _remember(path: Path, marker: Path, data: Any) -> None:
    """Write ``marker`` with ``data``, then drop the file's markers under other keys (earlier
    texts or checkers), the pickled markers of earlier versions and writes a killed process left."""
    from mctext.cache import atomic_write_bytes, remove_orphans

    try:
        body = json.dumps(_to_json(data), ensure_ascii=False, allow_nan=False).encode("utf-8")
    except ValueError:  # _NotPlain, or NaN: not kept, this file is parsed and checked in full each time
        return
    folder = marker.parent
    with contextlib.suppress(OSError):  # a read-only cache only costs the parse and check next time
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(marker, body)
        prefix = _marker_prefix(path)
        for old in folder.iterdir():
            stale = old.name.startswith(f"{prefix}.") and old.name.endswith(_MARKER_SUFFIX) and old != marker
            if stale or _LEGACY_MARKER.match(old.name):
                with contextlib.suppress(OSError):
                    old.unlink()
        remove_orphans(folder, f"{prefix}.*")


def load_file(path: Path, *, remember: bool = True) -> Language:
    """One language file, validated (used by ``languages()`` and by tests on broken files).

    Parsing the YAML and compiling its regexes are most of the cost (~2,000 regexes over the 27
    files: a second of every worker's start-up). Once a file's exact text has passed, with this
    code, codebook, country list, PyYAML and Python, a marker under ``CHECKED_DIR`` keeps its
    parsed YAML (as JSON), and later processes take that and skip the regex check (every other
    check still runs; the regexes are compiled where they are used). Any edit to the file makes
    a new text, parsed and checked in full again, and its marker replaces the old one. A marker
    that does not pass is ignored. ``remember=False`` neither reads nor writes markers.
    """
    text = path.read_text(encoding="utf-8")
    marker = _checked_marker(path, text) if remember else None
    data = _checked_data(marker)
    if data is not None:
        try:
            return _Reader(path, country_codes(), check_regexes=False).language(data)
        except LanguageDataError:  # a marker someone edited: the file itself decides
            pass
    reader = _Reader(path, country_codes(), check_regexes=True)
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise reader.fail("(file)", f"not valid YAML: {exc}") from None
    lang = reader.language(data)
    if marker is not None:
        _remember(path, marker, data)
    return lang


def load_levels(path: Path) -> Mapping[str, Levels]:
    """A file of ``levels:`` sections by language code (``languages: {code: {...}}``), validated
    like a language file's: the sections of languages that have no file yet."""
    reader = _Reader(path, country_codes())
    data = reader.mapping(yaml.safe_load(path.read_text(encoding="utf-8")), "(top level)", ["aliases", "languages"])
    out = {}
    for code, section in reader.mapping(data.get("languages"), "languages").items():
        if not _CODE.match(code):
            raise reader.fail(f"languages.{code}", "expected an ISO 639-1 code (two lower-case letters)")
        out[code] = reader.levels(section or {}, f"languages.{code}")
    return _frozen(out)


def load_directory(directory: Path) -> Mapping[str, Language]:
    """Every ``*.yaml`` in ``directory`` by code (sorted), aliases checked for duplicates."""
    out: dict[str, Language] = {}
    for path in sorted(directory.glob("*.yaml")):
        lang = load_file(path)
        out[lang.code] = lang
    if XX not in out:
        raise LanguageDataError(f"{directory}: xx.yaml (the language-independent data) is missing")
    owner: dict[str, str] = {}
    for lang in out.values():
        for alias in lang.aliases:
            if alias in out or alias in owner:
                first = owner.get(alias, alias)
                raise LanguageDataError(f"{lang.code}.yaml: aliases: {alias!r} is already {first}.yaml's code or alias")
            owner[alias] = lang.code
    return _frozen(out)


# --------------------------------------------------------------------------- public API


@cache
def languages() -> Mapping[str, Language]:
    """Every language with a file, by code (``xx`` included), loaded once per process."""
    return load_directory(LANGUAGES_DIR)


@lru_cache(maxsize=1)
def _aliases() -> Mapping[str, str]:
    out = {code: code for code in languages()}
    for lang in languages().values():
        out.update(dict.fromkeys(lang.aliases, lang.code))
    return _frozen(out)


def canonical(code: str | None) -> str | None:
    """The file code of a language code ("nb" -> "no", "DE" -> "de"); None without a file (or for xx)."""
    found = _aliases().get((code or "").strip().lower())
    return None if found in (None, XX) else found


def language(code: str | None) -> Language | None:
    """The language of ``code`` (aliases included), or None when it has no file."""
    found = canonical(code)
    return languages()[found] if found else None


def spoken() -> tuple[Language, ...]:
    """Every real language (not xx), sorted by code."""
    return tuple(lang for code, lang in languages().items() if code != XX)


def cue_languages(code: str | None) -> tuple[str, ...] | None:
    """The files whose cues fire on text in ``code``: its own and xx; None (all) when unknown."""
    found = canonical(code)
    return (found, XX) if found else None


def _table(get: Callable[[Language], Patterns | None]) -> dict[str, dict[str, str]]:
    return {code: dict(p) for code, lang in languages().items() if (p := get(lang))}


_LEXICON: list[Any] = [None]  # the active mctext.lexicon.Lexicon of this process, if any


def set_lexicon(lexicon: Any) -> None:
    """Add a researcher's lexicon (``mctext.lexicon``) to the cues; None removes it.

    The compiled matchers of the rules are built from ``label_cues``: they are rebuilt.
    """
    if lexicon is _LEXICON[0]:
        return
    _LEXICON[0] = lexicon
    from mctext.classify import rules

    rules.lexicons.cache_clear()
    rules._matcher.cache_clear()


def _with_lexicon(table: dict[str, dict[str, str]], section: str, label: str) -> dict[str, dict[str, str]]:
    lexicon = _LEXICON[0]
    if lexicon is None:
        return table
    for code, cues in getattr(lexicon, section).get(label, {}).items():
        table.setdefault(code, {}).update(cues)
    return table


def label_cues(label: str) -> dict[str, dict[str, str]]:
    """``{lang: {cue name: regex}}`` of a label over every file (and the active lexicon)."""
    return _with_lexicon(_table(lambda lang: lang.cues.get(label)), "cues", label)


def label_guards(label: str) -> dict[str, dict[str, str]]:
    """``{lang: {guard name: regex}}``: a cue hit overlapping a guard match is dropped."""
    return _with_lexicon(_table(lambda lang: lang.guards.get(label)), "guards", label)


def reference_cues(label: str, weak: bool = False) -> dict[str, dict[str, str]]:
    """``{lang: {name: regex}}``: the generic words by which a text in a scope of ``label`` refers
    back to it ("the provision", "aanbod"; ``weak``: "credentials", which need two scopes; ``classify.context``)."""
    return _table(lambda lang: (lang.weak_references if weak else lang.references).get(label))


def driver_context_cues() -> dict[str, dict[str, str]]:
    """``{lang: {name: regex}}``: the micro-credential / short-learning context a driver cause needs."""
    return _table(lambda lang: lang.driver_context)


def driver_type_cues(dtype: str) -> dict[str, dict[str, str]]:
    """``{lang: {name: regex}}`` of one driver type."""
    return _table(lambda lang: lang.driver_types.get(dtype))


EQF_REFERENCE = ("international", "eqf")  # its cues include each file's levels.eqf (the EQF's names)


def facet_cues(facet: str, value: str) -> dict[str, dict[str, str]]:
    """``{lang: {cue name: regex}}`` of one facet value over every file; international ``eqf`` also
    has each file's ``levels.eqf`` (the EQF named in the language) as cues ``levels_eqf_<i>``."""
    table = _table(lambda lang: lang.facets.values.get(facet, {}).get(value))
    if (facet, value) == EQF_REFERENCE:
        for code, lang in languages().items():
            if lang.levels and lang.levels.eqf:
                table.setdefault(code, {}).update({f"levels_eqf_{i}": p for i, p in enumerate(lang.levels.eqf)})
    return table


def workload_unit_words(unit: str) -> dict[str, tuple[str, ...]]:
    """``{lang: (regex, ...)}``: how each language writes a workload unit after a number."""
    return {code: words for code, lang in languages().items() if (words := lang.facets.workload_units.get(unit))}


def workload_number_words(codes: tuple[str, ...] | None = None) -> dict[str, int]:
    """``{regex: number}``: the number words of the files ``codes`` (None: every file) that a workload's
    number may be written as ("five ECTS", "fünf Stunden")."""
    return {w: n for code, lang in languages().items() if codes is None or code in codes
            for n, words in lang.facets.workload_numbers.items() for w in words}


def workload_rate_words(codes: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Regexes right after a workload that make it a rate of time ("30 hours a week", "8 Stunden pro
    Tag"): the hours of a working week, not a credential's workload."""
    return tuple(dict.fromkeys(w for code, lang in languages().items() if codes is None or code in codes
                               for w in lang.facets.workload_rates))


def role_cues(role: str) -> dict[str, dict[str, str]]:
    """``{lang: {cue name: regex}}`` of the words that state an actor's role (funds, recognises, ...)."""
    return _table(lambda lang: lang.facets.roles.get(role))


def country_model_cues() -> dict[str, dict[str, str]]:
    """``{lang: {cue name: regex}}`` of the words that present a country as an example or model
    (the codebook's ``country:XX``: "as in Finland", "nach dem Vorbild", "à l'instar de")."""
    return _table(lambda lang: lang.facets.country_model or None)


def credential_word_cues() -> dict[str, dict[str, str]]:
    """``{lang: {cue name: regex}}`` of the words that name a credential or certificate of learning
    ("certificate", "Zertifikat", "badge"): next to an element of the EU standard they make a segment
    one about short certified learning (classify/facets.py, the mc_elements gate)."""
    return _table(lambda lang: lang.facets.credential_words or None)


def qualification_word_cues() -> dict[str, dict[str, str]]:
    """``{lang: {name: regex}}``: the ``levels.qualification_words`` of each file (qualification,
    certificate, course, training, ...), also the learning context the actor and sector facets need."""
    return {code: {f"qualification_word_{i}": p for i, p in enumerate(lang.levels.qualification_words)}
            for code, lang in languages().items() if lang.levels and lang.levels.qualification_words}


def range_separators(codes: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Regexes between the two numbers of a range ("1 to 3", "1-3"): the ``levels`` range separators
    of the files ``codes`` (None: every file), xx's included when listed."""
    files = [lang for code, lang in languages().items() if codes is None or code in codes]
    return tuple(dict.fromkeys(sep for lang in files if lang.levels for sep in lang.levels.range_separators))


def country_patterns() -> dict[str, list[str]]:
    """``{country: [regex, ...]}``: every language's names of a country (matched in any text)."""
    out: dict[str, list[str]] = {code: [] for code in country_codes()}
    for lang in languages().values():
        for country, pats in lang.country_names.items():
            out[country].extend(p for p in pats if p not in out[country])
    return {code: pats for code, pats in out.items() if pats}


def language_name_words() -> tuple[str, ...]:
    """Words that make a country adjective a language name ("German language", "langue française")."""
    return tuple(dict.fromkeys(w for lang in languages().values() for w in lang.language_words))


def segmentation(code: str | None) -> Segmentation:
    """xx's rules plus the language's own (xx's alone when it has no file)."""
    common = languages()[XX].segmentation
    own = language(code)
    if own is None:
        return common
    s = own.segmentation
    return Segmentation(
        abbreviations=(*common.abbreviations, *s.abbreviations),
        ordinal_dot=s.ordinal_dot,
        months=(*common.months, *s.months),
        ordinal_lead=(*common.ordinal_lead, *s.ordinal_lead),
        toc_titles=(*common.toc_titles, *s.toc_titles),
    )


def hyphenation(code: str | None) -> Hyphenation | None:
    """The language's hyphenation record, None when it has no file (callers decide the default)."""
    own = language(code)
    return own.hyphenation if own else None


@lru_cache(maxsize=1)
def all_conjunctions() -> frozenset[str]:
    """Every language's suspended-compound conjunctions (for text of unknown language)."""
    return frozenset().union(*(lang.hyphenation.conjunctions for lang in languages().values()))


def tesseract_code(code: str | None) -> str | None:
    """The tesseract traineddata name of a language, None when there is none."""
    own = language(code)
    return own.tesseract if own else None


def spacy_code(code: str | None) -> str:
    """The spaCy ``blank()`` language for ``code``: the file's, "xx" where it has none; a code
    without a file is passed through (spaCy may know it)."""
    own = language(code)
    if own is None:
        return (code or XX).lower()
    return own.spacy or XX


@lru_cache(maxsize=1)
def lingua_names() -> Mapping[str, str]:
    """``{lingua.Language member name: file code}``: language detection is restricted to these."""
    return _frozen({name: lang.code for lang in spoken() for name in lang.lingua})


@lru_cache(maxsize=1)
def stopwords() -> Mapping[str, frozenset[str]]:
    """``{code: function words}`` of the languages that list them (the cheap language guess)."""
    return _frozen({lang.code: lang.stopwords for lang in spoken() if lang.stopwords})


@lru_cache(maxsize=1)
def page_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every file's page words and page-count words ("Seite 3 von 9"), longest first."""
    words = {w.lower() for lang in languages().values() for w in lang.furniture.page_words}
    of = {w.lower() for lang in languages().values() for w in lang.furniture.page_of}
    key = lambda w: (-len(w), w)  # noqa: E731
    return tuple(sorted(words, key=key)), tuple(sorted(of, key=key))


@lru_cache(maxsize=1)
def heading_words() -> tuple[str, ...]:
    """Every file's heading words ("Artikel", "Chapitre", "Art."), as written, longest first."""
    words = {w for lang in languages().values() for w in lang.furniture.heading_words}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def heading_styles() -> tuple[str, ...]:
    """Every file's localised Word heading-style names, lower case, longest first."""
    words = {w.lower() for lang in languages().values() for w in lang.furniture.heading_styles}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))
