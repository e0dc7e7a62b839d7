"""The facets of a segment (codebook v1.2 "Facets"): what the study asks of each mention.

Cues come from the language data layer (``facets:`` of data/languages/<code>.yaml) and are
language-gated like the label cues (``rules``): a language's cues fire only on text in that
language, xx's on every text, every language's when the language is unknown. All facet cue
sets of a language set are compiled once into one ``fastre.CueGroup`` (its word-prefix index
and literal tests are the pre-filter, derived from the data), so a segment is scanned once.
Every value that fires is recorded as a ``records.Cue`` labelled ``facet:<facet>:<value>``.

Decisions (the codebook leaves them open; see docs/languages.md "Facets"):

- **Gate** for ``mc_elements`` and workloads: the segment is about micro-credentials (the
  codebook: the elements "the segment states for a micro-credential or short certified course"),
  i.e. it is labelled ``microcredential`` (a short *certified* course is one) or its document is
  about micro-credentials (``MC_DOCUMENT_MIN`` segments labelled ``microcredential``, and at least
  ``MC_DOCUMENT_SHARE`` of its segments, or its title names micro-credentials: a metadata
  standard's "Learning outcome description (required)"; ``document_facets``). The driver context
  cues (the short-learning context, ``driver_context``) do not open it: they name continuing
  education and lifelong learning ("Fortbildung", "formación permanente", "krátky študijný
  program"), not a credential whose elements a sentence states ("the Fortbildungsordnung sets the
  Zulassungsvoraussetzungen der Prüfung" states no prerequisite of a micro-credential). Measured
  on the training part (rules only): of the elements the context alone let through 0 of 29 were
  right; mc_elements P 0.64 -> 0.75 at the same recall, workload exact P 0.68 -> 1.0.
  ``participation_form`` takes the same gate: the codebook gives its values for the element, the
  form of participation in a micro-credential; a short-learning context alone opens none (the
  apprenticeship's work-based learning, "oppisopimuskoulutus", "praktické vyučovanie" of a VET law:
  0 of 6 such forms tagged on the training part; rules only: participation_form P 0.22 -> 0.67 at
  the same recall, F1 0.27 -> 0.44).
- **Near gate** where the label missed the segment: an element (or a workload) within
  ``CREDENTIAL_REACH`` characters of one of the language's ``facets.credential_words`` (words
  that name a micro-credential: "micro-credential", "Mikrozertifikat", "mikropoświadczenie",
  "badge") is stated for it; a workload so opened is at most ``short_workload_max`` (a degree's
  180 ECTS next to it is none, and takes the workload words along). A certificate of any
  qualification ("certificate", "Zeugnis", "osvědčení") opens nothing: tried first, it added
  FPs all over the education laws (training, rules: mc_elements F1 .814 -> .672); with the
  micro-credential words alone training is unchanged. A certificate (the ``certificate`` cue of
  ``credential_words``) opens the elements next to it only in a short-learning context: a short
  certified course ("the upskilling course ends with a certificate stating ..."; training: no
  change). Next to a credential word a workload in hours or weeks counts too (a short-learning
  context alone opens credits only). The same words give the mc-only actors their role context
  ("employees who earn micro-credentials").
- A segment under a section heading that names micro-credentials (``names_micro_credentials``,
  the document title's test) passes the gate as one of a document about them.
- **Annex I fields** are cued in every language in its own words (the ``annex_i`` cues: "Art
  der Bewertung", "pracovné zaťaženie", "výstupy z učení", "organismo que concede",
  "Integrations-/Kombinationsmöglichkeiten"); supervision words (a language's identity_verification
  cue named ``supervision``: "dohled", "övervakning", "sorveglianza", "Aufsicht") are identity
  verification only within ``ASSESSMENT_REACH`` of an assessment (the field is "supervision and
  identity verification during assessment"; the supervision of schools or a supervisory board is none).
- ``actors`` and their roles need a segment that carries one of the labels of an actor's relation
  to credentials or learning (the codebook's ``facets.actors.labels``: microcredential, validation,
  quality_trust, driver): a role "in relation to the credentials or learning" is what the segment
  itself says (the codebook's context rule); an actor named in any other sentence is named "in
  passing". A document about micro-credentials does not speak for its unlabelled segments (the
  data model's "issuer", the participant of a form: 5 of 18 such actors tagged on the training
  part, 5 of 21 with a role word next to them); a short-learning context alone opens an actor only
  with a role word of ``CONTEXT_ROLES`` within ``ROLE_REACH`` ("the PES funds short courses for job
  seekers"): its cues name continuing education and short study programmes, and the words that
  provide or take part in them are the verbs of every education law ("Vysoká škola môže poskytovať
  ... krátkeho študijného programu", "opiskelija suorittaa"): 0 of 17 actors opened so with any role
  word were tagged on the training part. A segment labelled only ``stackability`` names the university whose credit
  rules it sets as the subject of a rule, not as one who provides, uses, funds, recognises or
  trusts credentials (6 of 36 such actors tagged); one labelled only ``nqf`` (the codebook's
  ``facets.actors.role_labels``) names an actor only with a role word within ``ROLE_REACH`` (the
  body that places or approves a level, not the members of a steering group: 9 of 13 such actors
  tagged, 9 of 27 without one). Measured on the training part (rules only): actors P 0.50 -> 0.61,
  R 0.64 -> 0.55, F1 0.557 -> 0.578 (the document's gate kept for actors: 0.571). ``learners`` (the codebook's ``facets.actors.mc_only``) need more: the
  segment is labelled ``microcredential``, or (in a document about micro-credentials, or where a
  short-learning context cue fires) a role word lies within ``ROLE_REACH`` of them ("the PES
  funds short courses for job seekers"). Students, candidates and participants are named in nearly
  every sentence of an education law (the student who earns credits, the candidate whose
  experience is validated) as the object of its rules, and in nearly every sentence of a
  micro-credential standard (the participant whose assessment is valid, the student ID); the
  study asks who uses micro-credentials. Measured on the training part (2,718 segments, rules
  only): learners P 0.17 -> 0.45, R 0.59 -> 0.50 (the label or the document); the role word
  inside a document about micro-credentials too: P 0.46 -> 0.63, R 0.50 -> 0.44. A role word next
  to every actor as the gate instead (the role words of the
  language data within ``ROLE_REACH``) lost more than it gained (actors F1 0.41 -> 0.27): legal
  texts give roles with verbs ("decides", "accredits", "shall publish") the role words do not
  hold, and the role words fire on nouns ("organisation", "development").
- ``sectors`` need a learning context: the segment is labelled microcredential or has a
  short-learning context cue, or one of the language's
  ``levels.qualification_words`` (qualification, certificate, course, training, ...) within
  ``SECTOR_REACH`` characters ("named for the learning": "courses in construction", not a
  list of a law's fields that ends on "training"); a label alone is not the learning (a validation
  procedure's "ministry of health"), nor is a document about micro-credentials. A segment not labelled microcredential that names more than
  the codebook's ``facets.sectors.list_max`` sectors lists fields (a register's fields, the trades a
  page or a law lists: "apprenticeships in ICT, finance, hospitality, farming and the public
  service"), and names none for the learning. Measured on the training part (rules only): the list
  rule P 0.125 -> 0.155 at the same recall; the label no longer standing for the learning P 0.151,
  R 0.64 -> 0.57 (sectors F1 0.209 -> 0.239; 14 sectors tagged in 2,718 segments). The gate
  alone (a sector only about micro-credentials or short learning) kept 1 of 14 (F1 0.11).
  The ``education`` cues of the language data name the sector by its field (teacher training,
  courses for teachers, early childhood), not by its staff: the teacher or trainer of a course is
  its staff in whatever sector (10 of 11 education sectors on the training part were that; sectors
  P 0.151 -> 0.167, R 0.57 -> 0.50: a list of professions with "teacher" among them went).
- ``international`` has no gate; ``country:XX`` is a country the segment's own text names
  (``countries.find_countries``, matched once by the classifier) other than the document's
  country and the EU, when the segment presents it as an example or model: one of the
  language's ``facets.country_model`` cues fires ("as in Finland", "nach dem Vorbild", "à
  l'instar de"). A list of the EEA states a rule applies to cites no country as a model.
- **Workload**: "<number>[ to <number>] <unit>" with the unit words of the language data layer,
  behind the mc_elements gate (the codebook's workload is an element of a micro-credential; "30 hours a
  week" of a labour law or "180 ECTS" of a bachelor's degree is not one). A range ("1-3 ECTS",
  "from 1 to 15 ECTS") gives two values that share the span of the whole range; a list ("60, 90 and
  120 ECTS", joined by the levels' ``list_separators``) one value per number, less a year, a number
  over ``LIST_MAX_RATIO`` times the last one and a list right behind a heading word ("Article 5 and
  30 hours"). A workload in
  ECTS or ECVET is also the international reference ``ects_ecvet`` ("3 EC" names ECTS): the
  codebook's ``facets.international.unit_references``.
  ``mc_elements: workload`` comes from a value or a workload word. Numbers: "1,5" and "1.5" are 1.5; "1 500", "1.500" and "1,500" (three digits
  after the separator) are 1500. Written numbers ("five ECTS") are read with the languages'
  ``facets.workload_numbers``; a table's "ECTS: 5" / "Credits (ECTS): 6" is a workload (the unit
  in brackets names it); one followed by a language's ``facets.workload_rates`` ("40 hours a week",
  "35 heures par semaine") is a working week's hours, none; so are the hours per credit ("25-30
  hours per ECTS") and the two sides of a credit's conversion (the rates that end on a number's
  lookahead, ``CONVERSION_END``: "1 ECTS credit corresponds to 25-30 hours", "1 EC = 28 uur": one
  credit defined and the hours it stands for); "5 ECTS corresponds to 125 hours" keeps its 5 ECTS. A unit in
  brackets names the workload's unit ("10 credits (ECTS)") as in a table's "Credits (ECTS): 6"; the
  codebook does not say how a bound is coded: "up to 30 ECTS", "less than 15 ECTS" are {30, ECTS} and
  {15, ECTS} (the training labels code "menos de 15 ECTS" so), a range both ends. A short-learning context, which does
  not open the elements, opens a workload of at most the codebook's
  ``facets.mc_elements.short_workload_max`` of its unit (a short course's 5 credits, not a degree's
  180 ECTS; hours and weeks need the gate), with ``mc_elements: workload`` (training, rules: no
  change, 0 FP). A qualification word next to a small workload ("module", "course") opens none:
  a curriculum's modules and their credits (11 FP, 0 TP on the training part).
- ``mc_elements: level`` from an extracted framework level or a level cue; ``participation_form``
  from a participation form.
- **Roles**: each role word is given to the nearest actor named within ``ROLE_REACH`` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from mctext import lang as langdata
from mctext.classify.fastre import CueGroup, CueSet, TextView
from mctext.classify.levels import level_words
from mctext.classify.rules import Languages, apply_rules, cue_pairs, short_learning_context
from mctext.codebook import (
    FACETS,
    actor_labels,
    actor_roles,
    country_prefix,
    facet_value_order,
    facet_values,
    mc_only_actors,
    sector_list_max,
    short_workload_max,
    unit_references,
    workload_units,
)
from mctext.records import ActorRole, Cue, Prediction, Segment, Workload

MC_ELEMENTS, PARTICIPATION, ACTORS, SECTORS, INTERNATIONAL = (
    "mc_elements", "participation_form", "actors", "sectors", "international")
WORKLOAD = "workload"
MC_DOCUMENT_MIN = 3  # segments labelled microcredential that make a document about micro-credentials,
MC_DOCUMENT_SHARE = 0.1  # if they are this share of its segments too
ROLE_REACH = 80  # characters between a role word and the actor it is given to
SECTOR_REACH = 60  # characters between a sector and the qualification word it is named for
CREDENTIAL_REACH = 120  # characters between an element (or a workload) and the credential word it is stated for
CERTIFICATE = "certificate"  # the credential_words cue that names a certificate: the near gate only in a short-learning context
SUPERVISION = "supervision"  # the identity_verification cue whose words need an assessment next to them
ASSESSMENT_REACH = 80  # characters between a supervision word and the assessment it supervises
CONTEXT_ROLES = ("funds", "recognises", "values_trusts")  # the roles that open an actor in a short-learning context alone
NO_COUNTRY_LINK = ("EU", "XX")
COUNTRY_PREFIX = country_prefix()
Hits = dict[tuple[str, str], list[tuple[str, re.Match[str]]]]  # (facet or "role", value) -> (cue, match)
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")  # a listed number read as a year, not a workload
LIST_MAX_RATIO = 10  # a listed number over this many times the list's last number is no workload of it
CONVERSION_END = "(?=\\d)"  # how a workload_rates regex of a conversion ends: a number follows it
RATE_BEFORE_REACH = 80  # characters before a workload searched for the unit and rate word of a conversion
_NUMBER = r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?!\d)|\d+(?:[.,]\d+)?"


@dataclass
class FacetResult:
    """The facets of one segment, ready for ``Prediction``."""

    facets: dict[str, list[str]] = field(default_factory=dict)
    workload: list[Workload] = field(default_factory=list)
    actor_roles: list[ActorRole] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)


def facet_label(facet: str, value: str) -> str:
    return f"facet:{facet}:{value}"


LEARNING = ("context", "learning")
MODEL = ("context", "country_model")  # another country presented as an example or model
CREDENTIAL = ("context", "credential")  # a word naming a credential or certificate: the elements' near gate
# The cue sets in three groups, so that a segment runs only those whose facets it may take: every
# segment the international references and the learning context; one with a learning context the
# sectors; a labelled or gated one the rest (most segments of a document are neither).
ALWAYS, LEARNT, GATED = "always", "learning", "gated"


@cache
def _keys(part: str) -> tuple[tuple[str, str], ...]:
    """(facet, value) of the cue sets of one part; ("role", role) and the learning context."""
    if part == ALWAYS:
        return (*((INTERNATIONAL, v) for v in facet_values(INTERNATIONAL)), LEARNING, MODEL, CREDENTIAL)
    if part == LEARNT:
        return tuple((SECTORS, v) for v in facet_values(SECTORS))
    values = [(facet, v) for facet in (MC_ELEMENTS, PARTICIPATION, ACTORS) for v in facet_values(facet)]
    return (*values, *(("role", role) for role in actor_roles()))


def _entries(kind: str, value: str) -> dict[str, dict[str, str]]:
    if (kind, value) == LEARNING:
        return langdata.qualification_word_cues()
    if (kind, value) == MODEL:
        return langdata.country_model_cues()
    if (kind, value) == CREDENTIAL:
        return langdata.credential_word_cues()
    return langdata.role_cues(value) if kind == "role" else langdata.facet_cues(kind, value)


@cache
def _matcher(langs: Languages, part: str) -> CueGroup:
    """The cues of one part's facet values (and roles, the learning context) of the files ``langs``
    (None: all) in one CueGroup."""
    return CueGroup([CueSet(cue_pairs(_entries(kind, value), langs)) for kind, value in _keys(part)])


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in sorted(dict.fromkeys(patterns), key=lambda p: (-len(p), p)))


def _units(langs: Languages, prefix: str) -> list[str]:
    """One named group ``<prefix><i>`` per unit of the codebook with the unit words of the files ``langs``
    (None: all): the languages' own words first ("15 ECTS-Punkte" before xx's "ECTS"), longest first."""
    units = []
    for i, unit in enumerate(workload_units()):
        by_file = langdata.workload_unit_words(unit)
        words = [_alternation([w for code, ws in by_file.items() if code != langdata.XX and (langs is None or code in langs)
                               for w in ws]),
                 _alternation(list(by_file.get(langdata.XX, ())))]
        words = [w for w in words if w]
        if words:
            units.append(f"(?P<{prefix}{i}>{'|'.join(words)})")
    return units


@cache
def _number_words(langs: Languages) -> tuple[tuple[re.Pattern[str], int], ...]:
    """The number words of the files ``langs`` (None: all), each with its number ("five" -> 5)."""
    return tuple((re.compile(w, re.IGNORECASE), n) for w, n in langdata.workload_number_words(langs).items())


@cache
def _any_number_word(langs: Languages) -> re.Pattern[str] | None:
    """One of the number words of ``langs``: the pre-filter of a text without digits."""
    words = _alternation([p.pattern for p, _ in _number_words(langs)])
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE) if words else None


@cache
def _workload_regex(langs: Languages, words: bool = False, table: bool = False) -> re.Pattern[str] | None:
    """"<number>[ <range separator> <number>] <unit>", one named group per unit; with ``words`` a
    number may also be one of the languages' number words ("five ECTS"). With ``table``, instead,
    the form of a table or a field list: "<unit>[ (<unit>)]: <number>[ <range separator> <number>]"
    ("ECTS: 5", "Credits (ECTS): 6", "Workload (hours): 150"; the unit in brackets names it; a unit right after a number is
    none: "1 ECTS = 25 h" is a conversion). A workload followed by one of
    the languages' ``workload_rates`` is a rate of time ("30 hours a week" of a working week), no
    workload. Three regexes, so that a text runs only those it can match (digits, a colon, a word)."""
    units = _units(langs, "u")
    if not units:
        return None
    seps = _alternation([*langdata.range_separators(langs), "-", "–", "—"])
    rates = _alternation(_rates(langs))
    # (a hyphened tail the unit words left out may come between: "1 ECTS-Punkt entspricht 25 Stunden")
    not_rate = rf"(?!(?:[‐-]\w+)?\s*(?:{rates}))" if rates else ""
    if table:
        return re.compile(
            rf"(?:(?<![\w.,])(?<!\d\s)(?:{'|'.join(_units(langs, 't'))})(?:\s*\(\s*(?:{'|'.join(_units(langs, 'p'))})\s*\))?"
            rf"|(?:(?<=\w\s)|(?<=\w))\(\s*(?:{'|'.join(_units(langs, 'q'))})\s*\))\s*[:=]\s*"  # or "Workload (hours): 150"
            rf"(?P<ta>{_NUMBER})(?:\s*(?:{seps})\s*(?P<tb>{_NUMBER}))?(?!\d|[.,:]\d){not_rate}",  # not "hours: 9:00"
            re.IGNORECASE)
    number = _NUMBER
    if words:
        number = rf"{_NUMBER}|(?:{_alternation([p.pattern for p, _ in _number_words(langs)])})(?!\w)"
    # "60, 90 and 120 ECTS", "60 or 120 credits": numbers listed before the last one, with a list word
    # (the languages' ``levels.list_separators``: "and"/"or", not "nor") before it; a bare comma alone
    # lists nothing ("Article 5, 30 hours")
    conj = _alternation(_list_words(langs))
    listed = rf"(?P<list>(?:{_NUMBER})(?:\s*,\s*(?:{_NUMBER}))*\s*,?\s+(?:{conj})\s+)?" if conj else ""
    # "10 credits (ECTS)": the unit in brackets names it, as in a table's "Credits (ECTS): 6"
    bracket = rf"(?:\s*\(\s*(?:{'|'.join(_units(langs, 'p'))})\s*\))?"
    return re.compile(
        rf"(?<![\w.,]){listed}(?P<a>{number})(?:\s*(?:{seps})\s*(?P<b>{number}))?[\s\u00a0‐-]*(?:{'|'.join(units)})(?!\w)"
        rf"{bracket}{not_rate}",
        re.IGNORECASE,
    )


def _rates(langs: Languages, conversion: bool = False) -> list[str]:
    """The ``workload_rates`` of the files ``langs`` (None: all): the rates of time and per credit
    ("a week", "per ECTS"), or (``conversion``) the words of a conversion, those that end on a
    number's lookahead ("corresponds to (?=\\d)", "=(?=\\d)": "1 ECTS corresponds to 25 hours")."""
    return [r for r in langdata.workload_rate_words(langs) if r.endswith(CONVERSION_END) == conversion]


@cache
def _conversion_after(langs: Languages) -> re.Pattern[str] | None:
    """The words of a conversion right after a workload (its hyphened tail between): "1 ECTS[-Punkt]
    entspricht 25 Stunden"."""
    words = _alternation(_rates(langs, conversion=True))
    return re.compile(rf"(?:[‐-]\w+)?\s*(?:{words})", re.IGNORECASE) if words else None


@cache
def _rate_before(langs: Languages) -> re.Pattern[str] | None:
    """A unit and a rate word right before a workload: the other side of a conversion ("1 ECTS credit
    corresponds to 25-30 hours", "1 EC = 28 uur"), whose first side the rate word already took
    (``workload_rates``): the hours a credit stands for, no credential's workload."""
    units = _units(langs, "c")
    rates = _alternation([*_rates(langs), *_rates(langs, conversion=True)])
    if not units or not rates:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(units)})\s*(?:{rates})", re.IGNORECASE)


def _in_conversion(m: re.Match[str], text: str, before: re.Pattern[str] | None) -> bool:
    """Whether a unit's rate word (``_rate_before``) reaches over the start of the workload ``m``: "1 ECTS
    corresponds to 25 hours" (the hours), "25-30 godzin na 1 punkt ECTS" (the credit)."""
    if before is None:
        return False
    lo = max(0, m.start() - RATE_BEFORE_REACH)
    return any(r.start() < m.start() <= r.end() for r in before.finditer(text, lo, m.end()))


def _defines_unit(m: re.Match[str]) -> bool:
    """Whether a workload match is one of its unit ("1 ECTS"), the side of a conversion that defines
    the unit rather than states a workload."""
    groups = m.groupdict()
    return not groups.get("ta") and not groups.get("list") and not groups.get("b") and groups.get("a") == "1"


def _list_words(langs: Languages) -> list[str]:
    """The list separators (regexes) of the files ``langs`` (None: all) that join a list's last
    number: those of the levels (one fact for "levels 5 and 6" and "60 and 120 ECTS"), less the
    range separators and the comma (a list's inner separator)."""
    recs = [r for code, r in level_words().items() if langs is None or code in langs]
    ranges = {p for r in recs for p in r.range_separators} | set(langdata.range_separators(langs))
    return [p for r in recs for p in r.list_separators if p not in ranges and p.strip() != ","]


@cache
def _heading_number(langs: Languages) -> re.Pattern[str] | None:
    """A heading word right before a number ("Article 5 and 30 hours": 5 is the article's), the
    ``furniture.heading_words`` of the files ``langs`` (None: all)."""
    words = sorted({w for code, lg in langdata.languages().items() if langs is None or code in langs
                    for w in lg.furniture.heading_words}, key=lambda w: (-len(w), w))
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})\.?\s*$") if words else None


def _listed(numbers: list[tuple[str, int]], last: str, before: str, langs: Languages) -> list[tuple[str, int]]:
    """The listed (number, offset) pairs that are workloads: a year ("launched in 2021 and 60 ECTS"), a number over
    ``LIST_MAX_RATIO`` times the last one ("500 or 30 hours") and a list behind a heading word go."""
    heading = _heading_number(langs) if numbers else None
    if heading is not None and heading.search(before):
        return []
    top = _number(last, langs) * LIST_MAX_RATIO
    return [(n, at) for n, at in numbers if not (_YEAR.fullmatch(n) or _number(n) > top)]


def _number(text: str, langs: Languages = None) -> float:
    m = re.fullmatch(r"(\d{1,3})((?:[.,\u00a0 ]\d{3})+)", text)
    if m:
        return float(m.group(1) + re.sub(r"\D", "", m.group(2)))
    if not _DIGIT.match(text):  # a number word ("five")
        return float(next(n for p, n in _number_words(langs) if p.fullmatch(text)))
    return float(text.replace(",", "."))


def _unit_of(m: re.Match[str]) -> str:
    """The unit of a workload match: its unit in brackets ("Credits (ECTS): 6"), else its unit."""
    units = workload_units()
    found = {k[0]: units[int(k[1:])] for k, v in m.groupdict().items() if k[0] in "utpq" and k[1:].isdigit() and v}
    return found.get("p") or found.get("q") or found.get("u") or found["t"]


def find_workloads(text: str, lang: str | None = None) -> list[Workload]:
    """Every workload stated in ``text`` (all units), with its span; a range gives two values, a list
    ("60, 90 and 120 ECTS") one per number, all with the span of the whole."""
    langs = langdata.cue_languages(lang)
    digits = _DIGIT.search(text) is not None
    any_word = _any_number_word(langs)
    words = any_word is not None and any_word.search(text) is not None
    if not digits and not words:
        return []
    regexes = [_workload_regex(langs, words=words)]
    if digits and (":" in text or "=" in text):
        regexes.append(_workload_regex(langs, table=True))
    out: list[Workload] = []
    taken: list[tuple[int, int]] = []
    before, conversion = _rate_before(langs), _conversion_after(langs)
    for regex in regexes:
        for m in regex.finditer(text) if regex is not None else ():
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue  # "ECTS: 5 ECTS" once
            if _in_conversion(m, text, before):
                continue  # "1 ECTS corresponds to 25 hours": the hours a credit stands for
            if conversion is not None and _defines_unit(m) and conversion.match(text, m.end()):
                continue  # "1 ECTS corresponds to 25 hours": the credit, defined (not "5 ECTS", a workload, "= 125 h")
            taken.append(m.span())
            out.extend(_workloads_of(m, text, langs))
    out.sort(key=lambda w: w.char_start)
    return out


def _workloads_of(m: re.Match[str], text: str, langs: Languages) -> list[Workload]:
    """The workloads of one match: a table's number(s), or the listed numbers kept and the (range's) numbers."""
    unit = _unit_of(m)
    if m.groupdict().get("ta"):  # "ECTS: 5"
        return [Workload(_number(n), unit, m.group(), m.start(), m.end()) for n in (m.group("ta"), m.group("tb")) if n]
    listed = [(n.group(), m.start("list") + n.start())
              for n in re.finditer(_NUMBER, m.group("list"))] if m.groupdict().get("list") else []
    kept = _listed(listed, m.group("a"), text[: m.start()], langs)
    start = kept[0][1] if kept else m.start("a")  # the span starts at the first number kept
    return [Workload(_number(number, langs), unit, text[start:m.end()], start, m.end())
            for number in (*(n for n, _ in kept), m.group("a"), m.group("b")) if number]


def segment_facets(
    text: str,
    lang: str | None = None,
    *,
    labels: list[str] | tuple[str, ...] = (),
    context: bool = False,
    in_mc_document: bool = False,
    named: list[str] | tuple[str, ...] = (),
    doc_country: str = "",
    nqf_levels: bool = False,
    view: TextView | None = None,
) -> FacetResult:
    """The facets of one segment.

    ``labels``: its final labels; ``context``: a short-learning (driver context) cue fired;
    ``in_mc_document``: its document is about micro-credentials; ``named``: the countries its text
    names; ``nqf_levels``: a framework level was extracted.
    """
    view = view or TextView.of(text)
    langs = langdata.cue_languages(lang)
    about_mc = "microcredential" in labels or in_mc_document
    gate = about_mc or context
    labelled = bool(labels)
    actor_context = not _actor_labels().isdisjoint(labels)  # what the segment itself says: its labels
    # an actor needs a role word: a segment with a role label only, or a short-learning context only (there
    # one of the CONTEXT_ROLES: funding or recognising the learning, not providing or taking part in it)
    role_label = not _actor_labels("role_labels").isdisjoint(labels)
    with_role = not actor_context and (context or role_label)
    context_only = with_role and not role_label
    res = FacetResult()
    hits: Hits = {}

    def run(part: str) -> None:
        for key, matches in zip(_keys(part), _matcher(langs, part).matches(view), strict=True):
            if matches:
                hits[key] = matches

    run(ALWAYS)
    # the near gate of elements and workloads: a word naming a micro-credential, or a certificate in a
    # short-learning context (a short certified course)
    credentials = [m.span() for name, m in hits.get(CREDENTIAL, []) if context or name.rpartition(":")[2] != CERTIFICATE]
    learning = labelled or gate or LEARNING in hits
    if learning:
        run(LEARNT)
    if gate or actor_context or with_role or credentials:
        run(GATED)
    _drop_covered(hits)
    _supervised_assessment(hits)
    _narrow(hits, labelled_mc="microcredential" in labels, role_context=context or in_mc_document or bool(credentials),
            gated="microcredential" in labels or context,
            actors_with_role=with_role, context_roles=context_only)
    workloads = find_workloads(text, lang) if about_mc or context or credentials else []
    if not about_mc:  # an element stated for a micro-credential named next to it (the near gate)
        _keep_near(hits, MC_ELEMENTS, credentials, CREDENTIAL_REACH)
        _keep_near(hits, PARTICIPATION, credentials, CREDENTIAL_REACH)
        # a short course's workload, not a degree's: in a short-learning context a credit workload of at most
        # short_workload_max; next to a credential word also hours and weeks (its credits capped alike)
        most = short_workload_max()
        kept = [w for w in workloads if (context and w.value <= most.get(w.unit, -1)) or (
            w.value <= most.get(w.unit, float("inf"))
            and _near(w.char_start, w.char_end, credentials, CREDENTIAL_REACH))]
        if workloads and not kept:  # the workload words name the degree's workload that went
            hits.pop((MC_ELEMENTS, WORKLOAD), None)
        workloads = kept
    allowed = {MC_ELEMENTS: about_mc or bool(credentials), PARTICIPATION: about_mc or bool(credentials),
               ACTORS: actor_context or with_role, SECTORS: learning, INTERNATIONAL: True}

    def add(facet: str, value: str, cues: list[Cue]) -> None:
        values = res.facets.setdefault(facet, [])
        if value not in values:
            values.append(value)
        res.cues.extend(cues)

    for (facet, value), matches in hits.items():
        if facet in allowed and allowed[facet]:
            add(facet, value, [Cue(facet_label(facet, value), name, m.group(0), m.start(), m.end()) for name, m in matches])
    res.workload = workloads
    references = unit_references()
    for w in workloads:
        if w.unit in references:
            value = references[w.unit]
            add(INTERNATIONAL, value, [Cue(facet_label(INTERNATIONAL, value), f"workload in {w.unit}", w.text, w.char_start, w.char_end)])
    for w in workloads:
        res.cues.append(Cue(facet_label(MC_ELEMENTS, WORKLOAD), f"workload {w.value:g} {w.unit}", w.text, w.char_start, w.char_end))
    if workloads:
        add(MC_ELEMENTS, WORKLOAD, [])
    if about_mc:
        if nqf_levels:
            add(MC_ELEMENTS, "level", [Cue(facet_label(MC_ELEMENTS, "level"), "nqf_levels", "", 0, 0)])
        if res.facets.get(PARTICIPATION):
            add(MC_ELEMENTS, PARTICIPATION, [])
    elif credentials and any(_near(*m.span(), credentials, CREDENTIAL_REACH)
                             for (f, _), ms in hits.items() if f == PARTICIPATION for _, m in ms):
        add(MC_ELEMENTS, PARTICIPATION, [])  # the form of the micro-credential named next to it
    others = [c for c in dict.fromkeys(named) if c not in NO_COUNTRY_LINK and c != (doc_country or "").upper()]
    model = hits.get(MODEL, [])
    for code in others if model else []:  # named as an example or model, not merely listed
        name, m = model[0]
        add(INTERNATIONAL, COUNTRY_PREFIX + code,
            [Cue(facet_label(INTERNATIONAL, COUNTRY_PREFIX + code), f"{name} (a country named as a model)", m.group(0), m.start(), m.end())])
    if res.facets.get(ACTORS):
        for pair, cue in _roles(hits):
            if pair not in res.actor_roles:
                res.actor_roles.append(pair)
            res.cues.append(cue)
        roles = actor_roles()
        actor_order = facet_value_order(ACTORS)
        res.actor_roles.sort(key=lambda p: (actor_order(p.actor), roles.index(p.role)))
    res.facets = {facet: sorted(res.facets[facet], key=facet_value_order(facet)) for facet in FACETS if facet in res.facets}
    res.cues.sort(key=lambda c: (c.start, c.end, c.label))
    return res


@cache
def _actor_labels(key: str = "labels") -> frozenset[str]:
    return frozenset(actor_labels(key))


def _narrow(hits: Hits, *, labelled_mc: bool, role_context: bool, gated: bool, actors_with_role: bool,
            context_roles: bool = False) -> None:
    """The gates of the mc-only actors and of sectors (module docstring), in place: outside a segment
    labelled microcredential (``labelled_mc``) an mc-only actor stays only with a role word near it in a
    short-learning context or a document about micro-credentials (``role_context``), and a segment
    naming more than ``sector_list_max`` sectors names none (a list of fields); outside a segment
    labelled microcredential or with a short-learning context (``gated``; a label is not the
    learning, nor is the document) a sector stays only within SECTOR_REACH of a qualification word; where ``actors_with_role`` (a
    segment whose only opener is a ``role_labels`` label or a short-learning context) an actor stays
    only with a role word next to it, in a short-learning context alone (``context_roles``) one of
    CONTEXT_ROLES."""
    # (computed once: whether an actor is given a role depends on its own span and the role words alone)
    given = (_given_a_role(hits, CONTEXT_ROLES if context_roles else None)
             if actors_with_role or (not labelled_mc and role_context) else set())
    if actors_with_role:
        for key in [k for k in hits if k[0] == ACTORS and k[1] not in given]:
            del hits[key]
    if not labelled_mc:
        for actor in mc_only_actors():  # named in every sentence on education: a role only where it is about MCs
            if not role_context or actor not in given:
                hits.pop((ACTORS, actor), None)
        most = sector_list_max()
        sectors = [k for k in hits if k[0] == SECTORS]
        if most is not None and len(sectors) > most:
            for key in sectors:
                del hits[key]
    if not gated:
        _keep_near(hits, SECTORS, [m.span() for _, m in hits.get(LEARNING, [])], SECTOR_REACH)


def _supervised_assessment(hits: Hits) -> None:
    """A ``supervision`` cue of identity_verification stays only within ASSESSMENT_REACH of an
    assessment (the Annex I field: "supervision and identity verification during assessment"); the
    supervision of schools, a state's supervisory body or the monitoring of quality is none; in place."""
    key = (MC_ELEMENTS, "identity_verification")
    if key not in hits:
        return
    spans = [m.span() for _, m in hits.get((MC_ELEMENTS, "assessment"), [])]
    kept = [(name, m) for name, m in hits[key] if name.rpartition(":")[2] != SUPERVISION
            or _near(*m.span(), spans, ASSESSMENT_REACH)]
    if kept:
        hits[key] = kept
    else:
        del hits[key]


def _drop_covered(hits: Hits) -> None:
    """Within a facet, a hit inside a longer hit of another value goes ("the national agency" in
    "quality-assured by the national agency" is the QA body, not a public authority); in place."""
    values: dict[str, set[str]] = {}
    for f, value in hits:
        values.setdefault(f, set()).add(value)
    for facet in FACETS:
        if len(values.get(facet, ())) < 2:
            continue  # a hit goes only inside another value's hit: with one value (or none) nothing does
        spans = [(value, m.start(), m.end()) for (f, value), ms in hits.items() if f == facet for _, m in ms]
        for (f, value), ms in list(hits.items()):
            if f != facet:
                continue
            kept = [(name, m) for name, m in ms if not any(
                v != value and s <= m.start() and m.end() <= e and e - s > m.end() - m.start() for v, s, e in spans)]
            if kept:
                hits[(f, value)] = kept
            else:
                del hits[(f, value)]


def _near(start: int, end: int, spans: list[tuple[int, int]], reach: int) -> bool:
    """Whether the text from ``start`` to ``end`` lies within ``reach`` characters of one of ``spans``
    (0 when they touch or overlap)."""
    return any(max(start - e, s - end, 0) <= reach for s, e in spans)


def _keep_near(hits: Hits, facet: str,
               spans: list[tuple[int, int]], reach: int) -> None:
    """Keep the hits of ``facet`` within ``reach`` characters of one of ``spans``; in place."""
    for key in [k for k in hits if k[0] == facet]:
        kept = [(n, m) for n, m in hits[key] if _near(*m.span(), spans, reach)]
        if kept:
            hits[key] = kept
        else:
            del hits[key]


def _actor_spans(hits: Hits) -> list[tuple[str, int, int]]:
    """(actor, start, end) of every actor named."""
    return [(value, m.start(), m.end()) for (facet, value), ms in hits.items() if facet == ACTORS for _, m in ms]


def _role_words(hits: Hits) -> list[tuple[str, str, re.Match[str]]]:
    """(role, cue name, match) of every role word."""
    return [(role, name, m) for (kind, role), ms in hits.items() if kind == "role" for name, m in ms]


def _gap(actor: tuple[str, int, int], m: re.Match[str]) -> int:
    """Characters between an actor and a role word (0 when they touch or overlap)."""
    return max(actor[1] - m.end(), m.start() - actor[2], 0)


def _given_a_role(hits: Hits, only: tuple[str, ...] | None = None) -> set[str]:
    """The actors a role word (of the roles ``only``; None: any) lies within ROLE_REACH characters of
    (a role word inside the actor's own name, "provider", gives none)."""
    roles = [m for role, _, m in _role_words(hits) if only is None or role in only]
    return {a[0] for a in _actor_spans(hits)
            if any(_gap(a, m) <= ROLE_REACH and not (a[1] <= m.start() and m.end() <= a[2]) for m in roles)}


def _roles(hits: Hits) -> list[tuple[ActorRole, Cue]]:
    """Each role word given to the nearest actor within ROLE_REACH characters, with its cue."""
    actors = _actor_spans(hits)
    out = []
    for role, name, m in _role_words(hits):
        near = min(actors, key=lambda a, m=m: _gap(a, m), default=None)
        if near is not None and _gap(near, m) <= ROLE_REACH:
            cue = Cue(facet_label(ACTORS, near[0]), f"{name} (role: {role})", m.group(0), m.start(), m.end())
            out.append((ActorRole(near[0], role), cue))
    return out


def apply(pred: Prediction, res: FacetResult) -> None:
    """Put ``res`` on ``pred`` (in place), replacing facets computed before."""
    pred.facets = res.facets
    pred.workload = res.workload
    pred.actor_roles = res.actor_roles
    pred.cues = [c for c in pred.cues if not c.label.startswith("facet:")] + res.cues


@cache
def names_micro_credentials(heading: str) -> bool:
    """Whether a title or section heading names micro-credentials (the microcredential cues of every
    language): a segment under it is about them ("4 Mikrozertifikate" over "Die Lernergebnisse ...")."""
    return bool(heading) and "microcredential" in apply_rules(heading).labels


def about_micro_credentials(predictions: list[Prediction], doc_title: str = "") -> bool:
    """Whether a document is about micro-credentials: its title names them (the microcredential
    cues of every language), or ``MC_DOCUMENT_MIN`` of its segments, and ``MC_DOCUMENT_SHARE`` of
    them, are labelled microcredential."""
    if names_micro_credentials(doc_title):
        return True
    n_mc = sum("microcredential" in p.labels for p in predictions)
    return n_mc >= MC_DOCUMENT_MIN and n_mc >= MC_DOCUMENT_SHARE * len(predictions)


def document_facets(
    segments: list[Segment], predictions: list[Prediction], doc_country: str, labels_before: list[list[str]],
    doc_title: str = "",
) -> None:
    """The document's part (in place): segments of a document about micro-credentials, or under a
    section heading that names them, pass the gate, and segments whose labels the document's own
    terms changed (``aliases``) are looked at again, with the same short-learning context flag as
    the first pass."""
    mc_document = about_micro_credentials(predictions, doc_title)
    for seg, pred, before in zip(segments, predictions, labels_before, strict=True):
        about = mc_document or names_micro_credentials(seg.section or "")
        if pred.labels == before and not (about and "microcredential" not in pred.labels):
            continue
        lang = seg.lang or None
        apply(pred, segment_facets(
            seg.text, lang, labels=pred.labels, context=short_learning_context(seg.text, lang), in_mc_document=about,
            named=pred.countries_named or [], doc_country=doc_country, nqf_levels=bool(pred.nqf_levels)))


def facets_of_text(text: str, lang: str | None = None, doc_country: str = "") -> FacetResult:
    """The facets of a lone text with the rules' labels (no model, no document): the language test
    cases and quick looks. The classifier passes its own labels to ``segment_facets``."""
    from mctext.classify.countries import find_countries

    view = TextView.of(text)
    rules = apply_rules(text, lang, doc_country, view)
    return segment_facets(text, lang, labels=rules.labels, context=rules.short_learning_context,
                          named=find_countries(view), doc_country=doc_country,
                          nqf_levels=bool(rules.nqf_levels), view=view)
