"""Qualifications-framework levels named in a segment, read in the framework it names.

"EQF level 5" -> EQF 5; "levels 6 to 8 of the NFQ" -> NFQ 6, 7, 8; "niveau II (niveau CEC : 6)"
-> RNCP 6 (the old French nomenclature, II = 6) and EQF 6 (codebook v1.2, "Structured fields").

Every word comes from the language data (``levels:`` sections, see docs/languages.md):
level words, written numbers and ordinals, separators, the EQF's name in each language,
national frameworks with their countries, "national framework" phrases, not-level words
and the words that make a bare level a qualifications level. Level words and framework
names of every language are matched (short segments are often mis-detected); numbers and
separators are those of the segment's language (all languages when it is unknown).

A mention is a level word or a framework name next to a number ("Niveau 4", "NFQ 6",
"5. raven", "kolmanda taseme"). Its framework is, in order: one named inside the mention
(the nearest before the number, else the first after it), one in the next few words
("Niveau 4 des DQR"), one elsewhere in the segment, else (codebook boundary rule) the
national framework of the segment's country ("NQF" when unknown), this last only in a
segment that speaks of qualifications. A mention without its own framework name next to a
floor, funding rate, stage, grade or language level is no level. Scoring compares (EQF or
national, level): see ``scale``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import yaml

from mctext.classify.countries import UNKNOWN_COUNTRIES, national_framework
from mctext.classify.fastre import CueSet, TextView
from mctext.config import DATA_DIR
from mctext.lang import XX, Framework, Levels, canonical, languages, load_levels
from mctext.records import NqfLevel

EQF = "EQF"
NATIONAL = "national"  # what ``scale`` calls every framework but the EQF
UNKNOWN_FRAMEWORK = "NQF"  # a national level whose country is unknown
PENDING_PATH = DATA_DIR / "levels_pending.yaml"

_LOOKAHEAD = 60  # characters after a mention searched for its framework ("Niveau 4 des DQR")
_BEFORE = 80  # how far before its level word a mention may start ("teisel kuni viiendal kvalifikatsioonitasemel")
_NEAR = 20  # characters around a bare mention in which a not-level word cancels it
_MAX_LEVEL = 10  # Ireland's NFQ has 10 levels; all others 8


def _to_roman(n: int) -> str:
    out = ""
    for value, digits in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + digits, n - value
    return out


_ROMAN = {_to_roman(n): n for n in range(1, 11)}  # roman numerals are not language data: computed
_ROMAN_RX = "(?-i:" + "|".join(sorted(_ROMAN, key=len, reverse=True)) + r")(?!\w)"
# a level: "5", or a sublevel read as its level ("4.1" in HKO, "5.2" in NKR); not "5%", "5.25", "2,5"
_DIGITS_RX = r"(?<![\d.,])\d{1,2}(?:\.\d(?![\d%.,]))?(?![\d%])(?![.,]\d)"
_FW, _LW = "\ue000", "\ue001"  # a framework name / a level word, marked in the text
# Layout noise between an acronym and its level: "niveau CEC3 : 3" (a footnote call), "EQF5".
_FOOTNOTE = re.compile(r"(?<=[A-Z]{2})\d(?=\s*:\s*\d)")
_SLASH = re.compile(r"\s*/\s*")  # "MQF/EQF": two names for one level
_JOINER = re.compile(r"[\s:.-]*")  # what may stand between a level word and its framework name
_HAS_DIGIT = re.compile(r"\d")
_WORD_REST = re.compile(r"\w*")
_WORD_START = re.compile(r"\b(?=\w)")
_GLUED = re.compile(r"\b([A-Z][A-Za-z]{1,5})(\d{1,2})\b")


# ----------------------------------------------------------------------------- language data


@lru_cache(maxsize=1)
def _pending() -> tuple[Mapping[str, Levels], Mapping[str, str]]:
    """Level sections of languages without a file yet (data/levels_pending.yaml), and their aliases."""
    raw = yaml.safe_load(PENDING_PATH.read_text(encoding="utf-8")) if PENDING_PATH.is_file() else {}
    sections = load_levels(PENDING_PATH) if raw else {}
    return sections, {str(k): str(v) for k, v in (raw.get("aliases") or {}).items()}


@lru_cache(maxsize=1)
def level_words() -> Mapping[str, Levels]:
    """``{language code: Levels}`` for every language with level data (``xx``: what holds in
    every language): the ``levels:`` section of each language file; a language without a
    file (or without the section) reads its data/levels_pending.yaml one."""
    out = {code: lg.levels for code, lg in languages().items() if lg.levels is not None}
    for code, pending in _pending()[0].items():
        out.setdefault(code, pending)
    return MappingProxyType(out)


@lru_cache(maxsize=256)
def _lang(code: str | None) -> str:
    """The data language a segment language reads ("nb" -> "no"); "" when it has no level data."""
    raw = (code or "").strip().lower().split("-")[0].split("_")[0]
    found = canonical(raw) or _pending()[1].get(raw, raw)
    return found if found in level_words() and found != XX else ""


# ----------------------------------------------------------------------------- compiled matchers


@dataclass(frozen=True)
class _Meaning:
    kind: str  # "eqf", "national" (a "national framework" phrase), "framework"
    lang: str
    framework: Framework | None = None


@dataclass
class _Matchers:
    anchors: CueSet  # key "L": a level word; key str(i): meanings[i]
    meanings: list[_Meaning]
    not_levels: CueSet
    qualification: CueSet
    roman: dict[str, dict[str, int]]  # framework acronym -> old roman nomenclature
    national: dict[tuple[str, str], str]  # (country, language) -> the acronym that language gives it


@lru_cache(maxsize=1)
def _matchers() -> _Matchers:
    meanings: list[_Meaning] = []
    pairs: list[tuple[str, str]] = []
    national: dict[tuple[str, str], str] = {}
    roman: dict[str, dict[str, int]] = {}
    for code, rec in level_words().items():
        pairs.extend(("L", p) for p in rec.level_words)
        groups: list[tuple[_Meaning, Iterable[str]]] = [(_Meaning("eqf", code), rec.eqf)]
        groups.append((_Meaning("national", code), rec.national_phrases))
        for fw in rec.frameworks:
            groups.append((_Meaning("framework", code, fw), fw.patterns))
            national.setdefault((fw.country, code), fw.acronym)
            if fw.roman_levels:
                roman[fw.acronym] = dict(fw.roman_levels)
        for meaning, patterns in groups:
            meanings.append(meaning)
            pairs.extend((str(len(meanings) - 1), p) for p in patterns)
    recs = level_words().values()
    return _Matchers(
        anchors=CueSet(pairs),
        meanings=meanings,
        not_levels=CueSet([("N", p) for r in recs for p in r.not_levels]),
        qualification=CueSet([("Q", p) for r in recs for p in r.qualification_words]),
        roman=roman,
        national=national,
    )


def _alternation(patterns: Iterable[str]) -> str:
    """Word-bounded alternatives, longest first (punctuation separators stay as they are)."""
    alts = sorted(set(patterns), key=len, reverse=True)
    words = "|".join(p for p in alts if p[:1].isalnum())
    marks = [p for p in alts if not p[:1].isalnum()]
    return "|".join(([rf"(?<!\w)(?:{words})(?!\w)"] if words else []) + marks) or r"(?!x)x"


@dataclass
class _Grammar:
    at_mark: re.Pattern[str]  # mentions that start with a framework name or a level word
    before_word: re.Pattern[str]  # mentions that start before their level word (ordinals)
    token: re.Pattern[str]
    words: list[tuple[int, re.Pattern[str]]]  # written numbers and ordinals of the language(s)


@lru_cache(maxsize=64)
def _grammar(lang: str) -> _Grammar:
    """The mention grammar with the numbers and separators of ``lang`` ("" = every language;
    then short written numbers and those that are also separators somewhere are left out)."""
    recs = level_words()
    chosen = [recs[lang], recs[XX]] if lang else list(recs.values())
    seps = {p for r in recs.values() for p in r.range_separators + r.list_separators}

    def keep(word: str) -> bool:
        return bool(lang) or (len(word) > 2 and word not in seps)

    numbers = [(v, w) for r in chosen for v, ws in r.numbers.items() for w in ws if keep(w)]
    ordinals = [(v, w) for r in chosen for v, ws in r.ordinals.items() for w in ws if keep(w)]
    ranges = [p for r in chosen for p in r.range_separators]
    lists = [p for r in chosen for p in r.list_separators if p not in ranges]
    word_num = _alternation(w for _, w in numbers + ordinals)
    word_num2 = _alternation(w for v, w in numbers + ordinals if v > 1)  # "level 5 or one ..." is no list
    ordinal = rf"(?:(?<=[^\W\d_]\s)\d{{1,2}}\.|{_alternation(w for _, w in ordinals)})"
    num = rf"(?:{_DIGITS_RX}|{_ROMAN_RX}|{word_num})"
    num2 = rf"(?:{_DIGITS_RX}|{_ROMAN_RX}|{word_num2})"
    sep_one = f"(?:{_alternation(ranges + lists)})"
    sep = rf"\s*{sep_one}(?:\s*{sep_one})?\s*"
    fw, lw = rf"{_FW}+(?:\s*/\s*{_FW}+)*", f"{_LW}+"  # "MQF/EQF": names joined by a slash
    more = rf"(?:{sep}(?:(?:{fw}|{lw})[\s-]*){{0,2}}{num2})*"
    # Tried where a mark starts: "EQF level 5", "niveau CEC : 6", "NFQ 6", "NFQ Level 6 to Level 9".
    at_mark = "|".join(
        (
            rf"(?:{fw}[\s-]*)?{lw}[\s:.-]*(?:{fw}[\s:.-]*)?{num}{more}",
            rf"{fw}[\s:-]*(?:{lw}[\s:-]*)?{num}{more}",
        )
    )
    # Tried at the word starts before a level word: "5. raven SOK", "kolmanda taseme", "5 poziom PRK".
    before_word = "|".join(
        (
            rf"(?:{fw}[\s-]*)?{ordinal}(?:{sep}{ordinal})*[\s-]*{lw}(?:[\s-]*{fw})?",
            rf"(?<![\d.,])\d{{1,2}}\s+{lw}[\s-]*{fw}",
        )
    )
    token = rf"(?P<fw>{_FW}+)|(?P<lw>{lw})|(?P<num>(?<![\d.,])\d{{1,2}}(?![\d%])|{_ROMAN_RX}|{word_num})|(?P<range>{_alternation(ranges)})"
    words = [(v, re.compile(w, re.IGNORECASE)) for v, w in numbers + ordinals]
    return _Grammar(
        re.compile(at_mark, re.IGNORECASE), re.compile(before_word, re.IGNORECASE), re.compile(token, re.IGNORECASE), words
    )


def might_name_levels(text: str | TextView) -> bool:
    """The cheap pre-filter, derived from the data: False only when no level word and no
    framework name can occur (no word starts like one and no needle occurs in the text)."""
    return _matchers().anchors.might_match(text)


# ----------------------------------------------------------------------------- extraction


def national_framework_of(country: str | None, lang: str | None = None) -> str:
    """The acronym a bare national level is recorded with: the country's framework as the
    segment's language names it (Belgium: VKS in Dutch, CFC in French), else the country's
    own (countries.yaml ``national``); "NQF" when the country is unknown."""
    c = (country or "").upper()
    if c in UNKNOWN_COUNTRIES:
        return UNKNOWN_FRAMEWORK
    return _matchers().national.get((c, _lang(lang))) or national_framework(c)


def _name(meaning: _Meaning, country: str, lang: str) -> str:
    if meaning.kind == "eqf":
        return EQF
    if meaning.kind == "national" or meaning.framework is None:
        return national_framework_of(country, lang)
    return meaning.framework.acronym


def _pick(meanings: list[_Meaning], country: str, lang: str) -> _Meaning:
    """One reading of a name several languages use (EKR: the EQF in Slovak, Estonia's own in
    Estonian): the segment's language, else the segment's country, else the EQF."""
    tests = (
        lambda m: m.lang == lang,
        lambda m: m.framework is not None and m.framework.country == country,
        lambda m: m.kind == "eqf",
    )
    for test in tests:
        for m in meanings:
            if test(m):
                return m
    return meanings[0]


def _frameworks(view: TextView, country: str, lang: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Framework names (start, end, acronym), longest first where they overlap, and level-word spans."""
    mx = _matchers()
    spans: dict[tuple[int, int], list[_Meaning]] = {}
    words: list[tuple[int, int]] = []
    for key, m in mx.anchors.finditer(view):
        if key == "L":  # to the word's end: "nivel(?:ul|ului)?" leaves "ui" of "nivelului" otherwise
            words.append((m.start(), m.end() + len(_WORD_REST.match(view.text, m.end()).group(0))))
        else:
            spans.setdefault(m.span(), []).append(mx.meanings[int(key)])
    taken: list[tuple[int, int, str]] = []
    for (s, e), meanings in sorted(spans.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if all(e <= ts or s >= te for ts, te, _ in taken):
            taken.append((s, e, _name(_pick(meanings, country, lang), country, lang)))
    return taken, words


def _overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def _value(token: str, grammar: _Grammar) -> int | None:
    if token[:1].isdigit():
        return int(token.split(".")[0])
    if token in _ROMAN:
        return _ROMAN[token]
    low = token.lower()
    return next((v for v, rx in grammar.words if rx.fullmatch(low)), None)


def _read(span: str, offset: int, grammar: _Grammar, fw_at: dict[int, str]) -> list[tuple[int, list[str], bool]]:
    """(level, frameworks named for it in the mention, roman?) for each number of one mention;
    ranges expanded ("6-10" -> 6..10). A range needs its two numbers in one framework. A number
    takes the nearest framework name before it ("EQF-Niveau 4 und DQR-Niveau 4"), else the first
    after it; names joined by "/" go together ("MQF/EQF Level 4")."""
    groups: list[tuple[int, list[str]]] = []  # (position, framework names)
    nums: list[tuple[int, int, bool]] = []  # (value, position, roman)
    pending, last_end = False, -1
    for m in grammar.token.finditer(span):
        if m.group("fw"):
            name = fw_at[offset + m.start()]
            if groups and _SLASH.fullmatch(span, last_end, m.start()):
                groups[-1][1].append(name)
            else:
                groups.append((m.start(), [name]))
            pending, last_end = False, m.end()
        elif m.group("range"):
            pending = bool(nums)
        elif m.group("num"):
            tok = m.group("num")
            value = _value(tok, grammar)
            if value is None:
                continue
            if pending and nums[-1][0] < value <= _MAX_LEVEL:
                nums.extend((v, m.start(), tok in _ROMAN) for v in range(nums[-1][0] + 1, value + 1))
            else:
                nums.append((value, m.start(), tok in _ROMAN))
            pending = False
    out = []
    for value, pos, is_roman in nums:
        before = [names for p, names in groups if p < pos]
        after = [names for p, names in groups if p > pos]
        out.append((value, before[-1] if before else (after[0] if after else []), is_roman))
    return out


def _mentions(text: str, fws: list[tuple[int, int, str]], words: list[tuple[int, int]], grammar: _Grammar) -> list[re.Match[str]]:
    """Level mentions in ``text`` with framework names and level words marked."""
    marked = list(text)
    for s, e, _ in fws:
        marked[s:e] = _FW * (e - s)
    for s, e in words:
        marked[s:e] = _LW * (e - s)
    joined = "".join(marked)
    # Each grammar is tried only where a mention can start (a whole-text scan is slow: the
    # grammar holds every written number and ordinal): at marks, and at the word starts a
    # little before each level word. Overlaps keep the earliest, then the longest.
    found: list[re.Match[str]] = []
    for s, _e, *_ in sorted([(s, e) for s, e, _ in fws] + words):
        if (m := grammar.at_mark.match(joined, s)) is not None:
            found.append(m)
    for s, _e in words:
        for start in _WORD_START.finditer(joined, max(0, s - _BEFORE), s):
            if (m := grammar.before_word.match(joined, start.start())) is not None and m.end() > s:
                found.append(m)
                break
    out: list[re.Match[str]] = []
    for m in sorted(found, key=lambda m: (m.start(), -m.end())):
        if m.end() > m.start() and (not out or m.start() >= out[-1].end()):
            out.append(m)
    return out


def extract_nqf_levels(
    text: str, lang: str | None = None, country: str | None = None, view: TextView | None = None
) -> list[NqfLevel]:
    """Every (framework, level) the text names, in order of appearance, without duplicates.

    ``lang`` picks the numbers and separators (and reads names several languages share);
    ``country`` resolves "the national framework" and bare levels. ``view``: the text's
    TextView when the caller has one (the rules do), so the pre-filter costs no extra pass.
    """
    view = view if view is not None and view.text == text else TextView.of(text)
    if not might_name_levels(view):
        return []
    code, country = _lang(lang), (country or "").upper()
    norm = text
    if _HAS_DIGIT.search(text):
        norm = _GLUED.sub(r"\1 \2", _FOOTNOTE.sub(" ", text) if ":" in text else text)
    nview = view if norm == text else TextView.of(norm)
    fws, words = _frameworks(nview, country, code)
    words = [(s, e) for s, e in words if not _overlaps(s, e, [(a, b) for a, b, _ in fws])]
    if not words and not fws:
        return []
    grammar = _grammar(code)
    mentions = _mentions(norm, fws, words, grammar)
    if not mentions:
        return []
    mx = _matchers()
    stops = [m.span() for _, m in mx.not_levels.finditer(nview)]
    kept = [(s, e) for s, e in words if not _overlaps(s, e, stops)]
    if len(kept) < len(words):  # "third-level", "haut niveau": no level word there
        words, mentions = kept, _mentions(norm, fws, kept, grammar)
    near_stops = [(s, e) for s, e in stops if not _overlaps(s, e, words)]
    fw_at = {s: name for s, _, name in fws}
    # Framework names outside mentions lend their framework to the levels around them; not one
    # right after a level word ("(niveau CEC :" whose number the next segment has): that level is its own.
    ends = [e for _, e in words]
    outside = [
        (s, name)
        for s, _, name in fws
        if not any(m.start() <= s < m.end() for m in mentions)
        and not any(e <= s and _JOINER.fullmatch(norm, e, s) for e in ends)
    ]
    segment_fw = outside[0][1] if outside else ""
    qualified = bool(fws) or any(True for _ in mx.qualification.finditer(nview))
    out: list[NqfLevel] = []
    for m in mentions:
        ahead = next((name for s, name in outside if m.end() <= s < m.end() + _LOOKAHEAD), "")
        cancelled = _overlaps(m.start() - _NEAR, m.end() + _NEAR, near_stops)
        for number, named, is_roman in _read(m.group(0), m.start(), grammar, fw_at):
            if not named:
                if cancelled or not (ahead or segment_fw or qualified):
                    continue  # a floor, a rate, a stage, or a sentence about something else
                named = [ahead or segment_fw or national_framework_of(country, code)]
            for fw in named:
                value = mx.roman[fw].get(_to_roman(number), 0) if is_roman and fw in mx.roman else number
                if 1 <= value <= _MAX_LEVEL and (lv := NqfLevel(fw, value)) not in out:
                    out.append(lv)
    return out


def scale(framework: str) -> str:
    """What scoring compares: "EQF" or "national" (any national acronym or NQF)."""
    return EQF if framework.upper() == EQF else NATIONAL
