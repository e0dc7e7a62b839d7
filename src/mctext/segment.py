"""Pages -> segments: sentences or short passages with exact offsets and section paths.

How a page is cut (the rules, in order):

1. Units. Paragraphs (blank-line separated) are cut at heading spans and at lines
   that start a list item ("- x", "• x", "1. x", "4a. x", "1) x", "3° x", "(a) x",
   "(iv) x", "bb) x"). A paragraph that is only a step number ("1", "a)") is joined
   to the next unit. A segment never crosses a unit, except for a list lead-in and
   its items (3).
2. Sentences. Inside a unit, spaCy's ``blank(lang)`` tokenizer and the
   ``sentencizer``'s rule (run over token arrays, see ``_proposed_starts``) propose
   boundaries; a proposed boundary is dropped when the text before it ends with a
   known abbreviation of the language (``segmentation`` of data/languages/<code>.yaml: "Art.", "z. B.",
   "ust.", "esim.", "núm.", "bijv."...), with a single letter ("J."), with "§ 7.",
   is only an enumerator ("1.", "(a)", "IV."), ends with an ordinal in a language
   that writes ordinals with a dot ("am 1. Januar", "der 3. Absatz"), or when the
   next sentence starts with a lower-case letter.
3. Lead-ins. When the last sentence of a unit does not end a sentence (it ends with
   ":", or as in legal text with "," or no punctuation: "soll es ermöglichen,",
   "Berufsbildung wird durchgeführt") and list items follow (across blank lines), the
   lead-in and its items form one segment, split at item boundaries when it would
   exceed ``MAX_SEGMENT_CHARS``; later chunks hold items only. An item that is itself
   a lead-in brings its sub-list along ("5° ... :" + "a) ... b) ..."), and a clause
   that finishes the sentence after the list ("näher zu regeln.") joins it.
4. Length cap. A segment longer than ``MAX_SEGMENT_CHARS`` is cut at the last line
   break, "; ", ", " or space before the cap.
5. Headings are not segments: their text is the ``section`` (heading path, " > "
   joined, carried across pages) of the segments under them. A heading that is
   itself a sentence (ends with . ! ? and has at least ``HEADING_SENTENCE_WORDS``
   words: a mis-styled paragraph) is segmented like body text.

Offsets index ``page.text`` and ``page.text[start:end] == segment.text`` with no
whitespace at the edges; ids come from ``records.segment_id`` so reruns agree.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mctext import lang as langdata
from mctext.config import DATA_DIR
from mctext.records import Heading, Page, Segment, segment_id

MAX_SEGMENT_CHARS = 1200
HEADING_SENTENCE_WORDS = 6

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_LINE = re.compile(r"[^\n]+")
# A list-item marker at the start of a line, followed by whitespace.
_ITEM = re.compile(
    r"(?P<bullet>[-–—•▪◦●∙·*➢►■□])(?=\s)"
    r"|(?P<numdot>\d{1,3}[a-z]?(?:\.\d{1,3})*\.)(?=\s)"
    r"|(?P<numparen>\d{1,3}[a-z]?\))(?=\s)"
    r"|(?P<degree>\d{1,3}°)(?=\s)"
    r"|(?P<parennum>\(\d{1,3}[a-z]?\))(?=\s)"
    r"|(?P<parenalpha>\((?:[a-zA-Z]|[ivxIVX]{1,5})\))(?=\s)"  # (a) (iv): letters and roman numerals alike
    r"|(?P<alpha>(?:[a-zA-Z]{1,2}|[ivxIVX]{1,5})\))(?=\s)"  # a) bb) iv)
    r"|(?P<alphadot>[a-z]\.)(?=\s)"
)
# A paragraph that is only a step number ("1", "2.", "a)"), as web pages print them.
_BARE_ENUMERATOR = re.compile(r"\(?(?:\d{1,3}|[a-zA-Z])[.)]?\)?")
_SENTENCE_END = ".!?;"
_MIGHT_SPLIT = re.compile(r"[.!?][\"'”’»)\]]*\s")
_TRAILING_CLOSERS = "\"'”’»)]"
_OPENERS = "([/\"'„“«-"
_ELISION = re.compile(r"['’]")
_ENUMERATOR = re.compile(r"^(?:§{1,2}\s*)?[(\[]?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)\]]?$")
_SINGLE_LETTER = re.compile(r"(?:^|[\s(\[])[^\W\d_]\.$")
_PARAGRAPH_SIGN = re.compile(r"(?:§{1,2}|\bArt\.?)\s*\d+[a-z]?\.$", re.I)
_NUMBER_DOT = re.compile(r"(?:^|(?:^|\s)(?P<lead>[^\W\d_]+)\s+|\s)\d{1,3}\.$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_FIRST_CHAR = re.compile(r"[\"'“”‘’„«»(\[\s]*(.)", re.S)
_CUT_SEPARATORS = ("\n", "; ", ", ", " ")


@dataclass(frozen=True)
class LanguageRules:
    """The compiled sentence rules of one language (``segmentation`` in data/languages/<code>.yaml)."""

    words: frozenset[str]  # one-word abbreviations, lower case, with their final dot
    spaced: re.Pattern[str] | None  # abbreviations with inner spaces ("z. b.", "i. v. m."), at the end of a text
    ordinal_dot: bool
    months: frozenset[str]
    ordinal_lead: frozenset[str]


@dataclass
class _Unit:
    start: int
    end: int
    kind: str  # text | item | heading
    marker: str = ""  # the item marker type (bullet, numdot, ...)


@cache
def language_rules(lang: str) -> LanguageRules:
    """The sentence rules of ``lang`` from the language data layer (xx's common rules included)."""
    rules = langdata.segmentation(lang)
    abbreviations = {a.lower() for a in rules.abbreviations}
    abbreviations = {a if a.endswith(".") else f"{a}." for a in abbreviations}
    # One-word forms are looked up in a set (fast); only forms with an inner space need a regex.
    words = {a for a in abbreviations if " " not in a} | {a.replace(" ", "") for a in abbreviations}
    spaced = sorted((a for a in abbreviations if " " in a), key=len, reverse=True)
    alternatives = [r"\s?".join(re.escape(part) for part in a.split(" ")) for a in spaced]
    pattern = re.compile(r"(?:^|[\s(\[/\"'„“«-])(?:" + "|".join(alternatives) + r")$", re.I) if spaced else None
    return LanguageRules(
        words=frozenset(words),
        spaced=pattern,
        ordinal_dot=rules.ordinal_dot,
        months=frozenset(m.lower() for m in rules.months),
        ordinal_lead=frozenset(w.lower() for w in rules.ordinal_lead),
    )


@dataclass(frozen=True)
class _Splitter:
    """spaCy's tokenizer for ``lang`` plus the sentencizer's punctuation list."""

    tokenizer: Any
    punct_hashes: frozenset[int]  # hashes of the sentencizer's punctuation characters
    ordinal_shapes: frozenset[int]  # hashes of the shapes "d." "dd." "ddd.": "2." kept whole as an ordinal


TOKENIZER_SNAPSHOTS = DATA_DIR / "tokenizers"  # written by scripts/snapshot_tokenizers.py
SNAPSHOT_LANGUAGES = ("fr",)  # spaCy languages whose blank() takes seconds


def tokenizer_snapshot(lang: str) -> Path:
    """Where the snapshot of ``lang``'s tokenizer for the installed spaCy version lives."""
    import spacy

    return TOKENIZER_SNAPSHOTS / f"{lang}-spacy-{spacy.__version__}.bin"


def _blank(lang: str) -> Any:
    """``spacy.blank(lang)``, or for French a multilingual pipeline with French's tokenizer rules.

    Importing spaCy's French compiles its ``token_match`` regex (thousands of hyphenated
    words: ~4 s per process, the largest part of a worker's start-up). ``token_match``
    only decides whether a word without any period is split further, so it cannot move
    a sentence start; the snapshot keeps every other French rule (prefixes, suffixes,
    infixes, exceptions such as "M." and "h."), loaded in 0.1 s.
    """
    import spacy

    snapshot = tokenizer_snapshot(lang) if lang in SNAPSHOT_LANGUAGES else None
    if snapshot is not None and snapshot.is_file():
        nlp = spacy.blank("xx")
        nlp.tokenizer.from_bytes(snapshot.read_bytes(), exclude=["vocab", "token_match"])
        return nlp
    try:
        return spacy.blank(lang or "xx")
    except Exception:  # spaCy raises ImportError/ValueError for unknown language codes
        return spacy.blank("xx")


@cache
def _splitter(lang: str) -> _Splitter:
    """Built once per language; multilingual "xx" for languages spaCy lacks."""
    from spacy.pipeline import Sentencizer

    nlp = _blank(langdata.spacy_code(lang))
    hashes = frozenset(nlp.vocab.strings.add(c) for c in Sentencizer.default_punct_chars)
    shapes = frozenset(nlp.vocab.strings.add(shape) for shape in ("d.", "dd.", "ddd."))
    return _Splitter(tokenizer=nlp.tokenizer, punct_hashes=hashes, ordinal_shapes=shapes)


def warm_up(languages: list[str] | tuple[str, ...]) -> None:
    """Build the tokenizers and rules of ``languages`` now (a worker's setup), not on its first document.

    Some spaCy languages are slow to load (French compiles its tokenizer exceptions:
    seconds), which would otherwise count against one document's time limit.
    """
    for lang in languages:
        _splitter(lang)
        language_rules(lang)


def _proposed_starts(chunk: str, lang: str) -> list[int]:
    """Character offsets where spaCy's sentencizer would start a sentence (besides 0).

    The sentencizer's rule: after a token in its punctuation list ("." "!" "?" ...),
    the next token that is not punctuation starts a sentence. Tokenizers that keep
    "2." whole as an ordinal (German, Finnish, ...) would hide "Satz 2. Danach": such
    tokens are proposed too, and ``_keep_boundary``'s ordinal rules decide. Running
    this over the token attribute array, not Token objects, is what makes it fast.
    """
    return splitter_starts(_splitter(lang), chunk)


def splitter_starts(splitter: _Splitter, chunk: str) -> list[int]:
    """``_proposed_starts`` with a given tokenizer (tests compare tokenizers with it)."""
    from spacy.attrs import IDX, IS_PUNCT, ORTH, SHAPE

    doc = splitter.tokenizer(chunk)
    if len(doc) < 2:
        return []
    stops, ordinals = splitter.punct_hashes, splitter.ordinal_shapes
    starts = []
    seen = False  # stays true across following punctuation (closing quotes, brackets)
    for orth, idx, is_punct, shape in doc.to_array([ORTH, IDX, IS_PUNCT, SHAPE]).tolist():
        if orth in stops or shape in ordinals:
            seen = True
        elif seen and not is_punct:
            starts.append(idx)
            seen = False
    return starts


def _keep_boundary(before: str, after: str, rules: LanguageRules) -> bool:
    """Whether a proposed boundary between ``before`` and ``after`` is a real sentence end."""
    tail = before[-48:]
    if tail.endswith(("!", "?")) or tail[-1:] in _TRAILING_CLOSERS:
        return _starts_upper_or_other(after)
    last_word = tail.rsplit(None, 1)[-1].lstrip(_OPENERS).lower() if tail.strip() else ""
    elided = _ELISION.split(last_word)[-1]  # "l'art." -> "art."
    if last_word in rules.words or elided in rules.words or (rules.spaced is not None and rules.spaced.search(tail)):
        return False
    if _SINGLE_LETTER.search(tail) or _PARAGRAPH_SIGN.search(tail):
        return False
    if _ENUMERATOR.match(before.strip()):
        return False
    if rules.ordinal_dot and (match := _NUMBER_DOT.search(tail)):
        word = _FIRST_WORD.match(after)
        if word and word.group(0).lower() in rules.months:
            return False
        if match.group("lead") and match.group("lead").lower() in rules.ordinal_lead:
            return False
    return _starts_upper_or_other(after)


def _starts_upper_or_other(after: str) -> bool:
    """A sentence does not start with a lower-case letter."""
    match = _FIRST_CHAR.match(after)
    return not (match and match.group(1).islower())


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentences(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) inside one unit ``text[start:end]``."""
    chunk = text[start:end]
    if not _MIGHT_SPLIT.search(chunk):
        return [_strip(text, start, end)] if chunk.strip() else []
    rules = language_rules(lang)
    bounds = [0, *_proposed_starts(chunk, lang), len(chunk)]
    spans: list[tuple[int, int]] = []
    for k in range(len(bounds) - 1):
        s, e = _strip(chunk, bounds[k], bounds[k + 1])
        if s == e:
            continue
        if spans and not _keep_boundary(chunk[spans[-1][0]:spans[-1][1]], chunk[s:e], rules):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return [(start + s, start + e) for s, e in spans]


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a span longer than MAX_SEGMENT_CHARS at the best separator before the cap."""
    out = []
    while end - start > MAX_SEGMENT_CHARS:
        window_end = start + MAX_SEGMENT_CHARS
        cut = -1
        for sep in _CUT_SEPARATORS:
            cut = text.rfind(sep, start + MAX_SEGMENT_CHARS // 3, window_end)
            if cut > start:
                cut += len(sep.rstrip()) if sep.strip() else 0
                break
        if cut <= start:
            cut = window_end
        out.append(_strip(text, start, cut))
        start, _ = _strip(text, cut, end)
    out.append(_strip(text, start, end))
    return [(s, e) for s, e in out if s < e]


def _units(text: str, headings: list[Heading]) -> list[_Unit]:
    """Paragraph pieces cut at headings and at list-item lines, in text order."""
    spans = sorted((h.start, h.end) for h in headings if 0 <= h.start < h.end <= len(text))
    ends = [e for _, e in spans]
    units: list[_Unit] = []
    for para in _PARAGRAPH.finditer(text):
        pos, p_end = para.start(), para.end()
        for k in range(bisect_right(ends, pos), len(spans)):
            h_start, h_end = spans[k]
            if h_start >= p_end:
                break
            if h_start > pos:
                _line_units(text, pos, h_start, units)
            units.append(_Unit(max(h_start, pos), min(h_end, p_end), "heading"))
            pos = max(pos, h_end)
        if pos < p_end:
            _line_units(text, pos, p_end, units)
    return _join_bare_enumerators(text, units)


def _join_bare_enumerators(text: str, units: list[_Unit]) -> list[_Unit]:
    """A unit that is only a step number ("1", "a)") becomes the start of the unit after it."""
    out: list[_Unit] = []
    for k, unit in enumerate(units):
        nxt = units[k + 1] if k + 1 < len(units) else None
        if (unit.kind == "text" and nxt is not None and nxt.kind != "heading"
                and _BARE_ENUMERATOR.fullmatch(text, unit.start, unit.end)):
            nxt.start = unit.start
            continue
        out.append(unit)
    return out


def _line_units(text: str, start: int, end: int, units: list[_Unit]) -> None:
    current: _Unit | None = None
    for line in _LINE.finditer(text, start, end):
        s, e = _strip(text, line.start(), line.end())
        if s == e:
            continue
        item = _ITEM.match(text, s, e)
        if item or current is None:
            current = _Unit(s, e, "item", item.lastgroup or "") if item else _Unit(s, e, "text")
            units.append(current)
        else:
            current.end = e


def _spans(text: str, headings: list[Heading], lang: str) -> list[tuple[int, int]]:
    """All segment spans of one page, sorted."""
    units = _units(text, headings)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.kind == "heading":
            words = text[unit.start:unit.end].split()
            if text[unit.end - 1] in ".!?" and len(words) >= HEADING_SENTENCE_WORDS:
                for s, e in _sentences(text, unit.start, unit.end, lang):
                    out.extend(_cap(text, s, e))
            i += 1
            continue
        sentences = _sentences(text, unit.start, unit.end, lang)
        nxt = units[i + 1] if i + 1 < len(units) else None
        if (sentences and nxt is not None and nxt.kind == "item"
                and text[sentences[-1][1] - 1] not in _SENTENCE_END
                and (unit.kind == "text" or unit.marker != nxt.marker)):
            for s, e in sentences[:-1]:
                out.extend(_cap(text, s, e))
            j, items = _collect_items(text, units, i + 1)
            rest: list[tuple[int, int]] = []
            if j < len(units) and units[j].kind == "text" and not _starts_upper_or_other(text[units[j].start:]):
                # The sentence goes on after the list ("... 2. die Organisation / näher zu regeln.").
                first, *rest = _sentences(text, units[j].start, units[j].end, lang) or [(units[j].start, units[j].end)]
                items.append(_Unit(first[0], first[1], "text"))
                j += 1
            out.extend(_group(text, sentences[-1], items, lang))
            for s, e in rest:
                out.extend(_cap(text, s, e))
            i = j
            continue
        for s, e in sentences:
            out.extend(_cap(text, s, e))
        i += 1
    return sorted(out)


def _collect_items(text: str, units: list[_Unit], j: int) -> tuple[int, list[_Unit]]:
    """The items of a list starting at ``units[j]``, with sub-lists opened by an item that is a lead-in."""
    allowed = {units[j].marker}
    items: list[_Unit] = []
    while j < len(units) and units[j].kind == "item" and units[j].marker in allowed:
        items.append(units[j])
        if text[units[j].end - 1] not in _SENTENCE_END and j + 1 < len(units) and units[j + 1].kind == "item":
            allowed.add(units[j + 1].marker)  # "5° Quelle que soit la zone :" opens "a) ... b) ..."
        j += 1
    return j, items


def _group(text: str, lead: tuple[int, int], items: list[_Unit], lang: str) -> list[tuple[int, int]]:
    """A lead-in with its items, in chunks of at most MAX_SEGMENT_CHARS cut at item boundaries."""
    out: list[tuple[int, int]] = []
    start, end = lead
    for item in items:
        if item.end - start <= MAX_SEGMENT_CHARS:
            end = item.end
            continue
        if end > start:
            out.extend(_cap(text, start, end))
        if item.end - item.start <= MAX_SEGMENT_CHARS:
            start, end = item.start, item.end
        else:  # one overlong item: its own sentences
            for s, e in _sentences(text, item.start, item.end, lang):
                out.extend(_cap(text, s, e))
            start = end = item.end
    if end > start:
        out.extend(_cap(text, start, end))
    return out


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (paragraphs and list items never share a sentence)."""
    out: list[tuple[int, int]] = []
    for unit in _units(text, []):
        out.extend(_sentences(text, unit.start, unit.end, lang))
    return out


def segment_pages(pages: list[Page], doc_id: str, lang: str) -> list[Segment]:
    """Segments of a document's pages, in reading order, with the heading path in force."""
    segments: list[Segment] = []
    stack: list[Heading] = []
    for page in pages:
        headings = sorted(page.headings, key=lambda h: h.start)
        h = 0
        for start, end in _spans(page.text, headings, lang):
            while h < len(headings) and headings[h].start <= start:
                level = headings[h].level
                while stack and stack[-1].level >= level:
                    stack.pop()
                stack.append(headings[h])
                h += 1
            seg_text = page.text[start:end]
            segments.append(Segment(
                id=segment_id(doc_id, page.number, start, seg_text), doc_id=doc_id, page=page.number,
                start=start, end=end, text=seg_text, lang=lang,
                section=" > ".join(x.text for x in stack),
            ))
        for heading in headings[h:]:  # headings after the last segment still open sections
            while stack and stack[-1].level >= heading.level:
                stack.pop()
            stack.append(heading)
    return segments
