"""Pages -> segments: quotable units (sentences, list items, rows) with exact offsets, kinds and sections.

A segment is what the codebook calls a unit: a sentence, or at most three that only
make sense together. How a page is cut (the rules, in order):

1. Zones. ``Page.regions`` (tables, footnotes, code, found by the extractor) are cut
   out first; everything inside a region gets the region's kind: a ``table_row`` /
   ``toc`` / ``form_field`` region gives one segment per line, a ``footnote`` region
   one segment per footnote (kept whole, never split into sentences), a ``code``
   region one segment.
2. Units. The prose between regions is cut into paragraphs (blank-line separated), at
   heading spans, and at lines that start a list item ("- x", "• x", "1. x", "4a. x",
   "1) x", "3° x", "(a) x", "(iv) x", "bb) x", "§ 3 x"). A paragraph that is only a
   step number ("1", "a)") is joined to the next unit. Lines that are not prose get
   their own unit and kind: a table-of-contents line (dot leaders and a page number),
   a form field ("Nom : ____", "Date : .......", "☐ oui"), a pipe-table row
   ("| a | b |"). A paragraph that reads as code (a diagram such as Mermaid's
   "flowchart LR", lines of arrows and braces) is one ``code`` segment. A
   table-of-contents title (``segmentation.toc_titles`` of the language data: "Inhaltsverzeichnis",
   "Sommaire") and the short lines after it are ``toc``.
3. Sentences. Inside a unit, spaCy's ``blank(lang)`` tokenizer and the
   ``sentencizer``'s rule (run over token arrays, see ``_proposed_starts``) propose
   boundaries; a proposed boundary is dropped when the text before it ends with a
   known abbreviation of the language (``segmentation`` of data/languages/<code>.yaml: "Art.", "z. B.",
   "ust.", "esim.", "núm.", "bijv."...), with a single letter ("J."), with "§ 7.",
   is only an enumerator ("1.", "(a)", "IV."), ends with an ordinal in a language
   that writes ordinals with a dot ("am 1. Januar", "der 3. Absatz"), or when the
   next sentence starts with a lower-case letter.
4. Lists. When the last sentence of a unit does not end a sentence (it ends with ":",
   or as in legal text with "," or no punctuation: "soll es ermöglichen,",
   "Berufsbildung wird durchgeführt") and list items follow (across blank lines), that
   sentence is a lead-in. A short list (at most ``SHORT_LIST_ITEMS`` items of at most
   ``SHORT_ITEM_CHARS`` characters, ``SHORT_LIST_CHARS`` in all: "a sentence plus its
   bullet list") stays one segment with its lead-in. A longer one gives the lead-in as
   its own segment and one ``list_item`` segment per item, with the lead-in in
   ``Segment.context`` (shown beside the quote, not repeated inside it). An item that
   is itself a lead-in opens a sub-list ("5° ... :" + "a) ... b) ..."): its items'
   context is both lead-ins. An item longer than ``ITEM_WHOLE_CHARS`` is cut into its
   sentences. A clause that finishes the sentence after the list ("näher zu regeln.")
   is its own segment with the lead-in as context. Items without a lead-in are
   ``list_item`` segments too (numbered legal paragraphs "(1) ..." are ``body``).
5. Length cap. A segment longer than ``MAX_SEGMENT_CHARS`` is cut at the last line
   break, "; ", ", " or space before the cap.
6. Headings are not segments: their text is the ``section`` (heading path, " > "
   joined, carried across pages) of the segments under them. A heading that is
   itself a sentence (ends with . ! ? and has at least ``HEADING_SENTENCE_WORDS``
   words: a mis-styled paragraph) is segmented like body text. A one-line paragraph
   that is not a sentence (no closing punctuation, at most ``TITLE_MAX_WORDS`` words:
   "Addendum Experimental Space Quality Framework Pilot Microcredentials") is a
   segment of kind ``heading`` (so is a lone numbered line "1. peatükk Üldsätted" or "§ 3 Begriffe").
7. Page breaks. When a page ends inside a sentence (no closing punctuation) and the
   next page goes on with it (its first unit is prose at offset 0, not a heading or an item,
   and it starts in lower case or the page ended on a lower-case word), the two pieces are one
   segment: ``page`` and ``start`` say where it starts, ``page_end`` and ``end`` where it
   ends (offsets into each page's text). Footnote regions at the foot of the page do not
   stop this (they are set after the running text). Its text is ``join_pages`` of the two
   pieces (the start page's text from ``start`` to its end or its footnotes, one space, the
   end page's text up to ``end``); ``segment_text`` gives any segment's text from the pages
   (quote checks use it).
   A list that goes on after a page break keeps its lead-in: the next page's first items
   get the context of the page's last item (or its last, open sentence).

Kinds are ``records.SEGMENT_KINDS``; only ``QUOTABLE_KINDS`` become fact-sheet quotes.
On one page ``page.text[start:end] == segment.text`` with no whitespace at the edges;
ids come from ``records.segment_id`` so reruns agree.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from mctext import lang as langdata
from mctext.config import DATA_DIR
from mctext.records import (
    KIND_BODY,
    KIND_CODE,
    KIND_FOOTNOTE,
    KIND_FORM_FIELD,
    KIND_HEADING,
    KIND_LIST_ITEM,
    KIND_TABLE_ROW,
    KIND_TOC,
    SEGMENT_KINDS,
    Heading,
    Page,
    Region,
    Segment,
    segment_id,
)

MAX_SEGMENT_CHARS = 800
HEADING_SENTENCE_WORDS = 6
TITLE_MAX_WORDS = 12  # a one-line paragraph without closing punctuation and at most this many words is a heading
SHORT_LIST_ITEMS = 3  # a lead-in with at most this many short items stays one segment
SHORT_ITEM_CHARS = 100
SHORT_LIST_CHARS = 400
ITEM_WHOLE_CHARS = 400  # a list item up to this long is one segment; a longer one is cut into its sentences
CONTEXT_CHARS = 300  # a lead-in longer than this is shortened (from the front) in Segment.context
PAGE_JOINER = " "  # between the two pieces of a segment that crosses a page break

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_LINE = re.compile(r"[^\n]+")
# A list-item marker at the start of a line, followed by whitespace.
_ITEM = re.compile(
    r"(?P<bullet>[-–—•▪◦●∙·*➢►■□\uf0a7\uf0b7\uf0d8\uf0f0\uf076\uf0fc])(?=\s)"  # \uf0..: Symbol-font bullets
    r"|(?P<numdot>\d{1,3}[a-z]?(?:\.\d{1,3})*\.)(?=\s)"
    r"|(?P<numparen>\d{1,3}[a-z]?\))(?=\s)"
    r"|(?P<degree>\d{1,3}°)(?=\s)"
    r"|(?P<parennum>\(\d{1,3}[a-z]?\))(?=\s)"
    r"|(?P<parenalpha>\((?:[a-zA-Z]|[ivxIVX]{1,5})\))(?=\s)"  # (a) (iv): letters and roman numerals alike
    r"|(?P<alpha>(?:[a-zA-Z]{1,2}|[ivxIVX]{1,5})\))(?=\s)"  # a) bb) iv)
    r"|(?P<alphadot>[a-z]\.)(?=\s)"
    r"|(?P<section>§{1,2}\s?\d{1,4}[a-z]?\.?)(?=\s+\S)"  # "§ 3 Begriffe": a section of a law
)
# A paragraph that is only a step number ("1", "2.", "a)"), as web pages print them.
_BARE_ENUMERATOR = re.compile(r"\(?(?:\d{1,3}|[a-zA-Z])[.)]?\)?")
_SENTENCE_END = ".!?;"
# Closing punctuation (a sentence end or a lead-in colon), then closers and maybe a footnote call ("growing.1").
_CLOSED = re.compile(r"[.!?;:…][\"'”’»)\]]*(?:\d{1,2}|[¹²³⁰⁴⁵⁶⁷⁸⁹]+)?$")
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
_LAST_WORD = re.compile(r"([^\W\d_]+)(?:\d{1,2}|[¹²³⁰⁴⁵⁶⁷⁸⁹]+)?[^\w]*$")  # "nach1": a word and its note call
_CUT_SEPARATORS = ("\n", "; ", ", ", " ")
_CLAUSE_END = re.compile(r";\s*(?=\S)")  # also ";le ressortissant": list items glued by the source
# An item marker inside a sentence, after a colon, semicolon or comma: "relative : 1° Aux ... ; 2° Aux ...".
_INLINE_ITEM = re.compile(
    r"(?<=[:;,.]\s)(?:(?P<degree>\d{1,3}°)|(?P<numparen>\d{1,3}[a-z]?\))|(?P<alpha>[a-zα-ω]\))|(?P<dash>[-–]))(?=\s)"
    r"|(?<=\s)(?P<dot>[•▪●■◦])(?=\s)"  # a bullet needs no punctuation before it: "the following: • a • b"
)
_INLINE_DOTS = "•▪●■◦"

# Lines that are not prose. A table-of-contents entry: dot leaders (or a wide gap) and a page number.
_TOC_LINE = re.compile(r"(?:(?:\.\s?){4,}|…{2,}|·{4,}|\s{3,})\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$", re.I)
_TOC_LAST = frozenset("0123456789ivxlcIVXLC")
# A form field: a blank to fill in (underscores, dot or ellipsis runs) or a check box.
_FORM_LINE = re.compile(r"_{4,}|(?:\.\s?){6,}|…{3,}|[☐☑☒❑❒]|\|_\s?\d?\|")  # "|_0|_5|": boxes for digits
_FORM_HINTS = ("____", "...", ". .", "…", "|_", "☐", "☑", "☒", "❑", "❒")
# A pipe-table row: "| a | b |", or cells joined with " | " (at least three cells).
_PIPE_ROW = re.compile(r"^\|.*\|$|^[^|\n]+(?:\s\|\s[^|\n]*){2,}$")
# Code: a diagram language's first line, or lines made of arrows, braces and assignments.
_DIAGRAM_START = re.compile(
    r"(?:flowchart|graph|sequenceDiagram|classDiagram|stateDiagram(?:-v2)?|erDiagram|gantt|mindmap|journey|"
    r"gitGraph|pie|timeline|digraph)(?:\s+(?:LR|RL|TB|TD|BT))?\s*(?:\{|$)"
)
_CODE_LINE = re.compile(r"-->|->|=>|==|:=|[{};]\s*$|^\s*[{}\]]|^\s*(?:def|class|import|return|var|let|const)\s|</?\w+>")
# Where a footnote starts inside a footnote region: "1 Text", "12) Text", "¹ Text", "* Text", "[3] Text".
_FOOTNOTE_START = re.compile(r"(?:\d{1,3}[.)]?|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3}|†|‡|\[\^?\d{1,3}\]:?|\(\d{1,3}\))\s")


@dataclass
class _Unit:
    start: int
    end: int
    kind: str  # text | item | heading | line | region
    marker: str = ""  # item: the marker type (bullet, numdot, ...); line, region: the segment kind


@dataclass
class _Span:
    """A segment of one page before it becomes a Segment."""

    start: int
    end: int
    kind: str = KIND_BODY
    context: str = ""
    prose: bool = False  # from running text: may continue across a page break
    opens_item: bool = False  # starts with a list-item marker: never the continuation of a page's last sentence
    page_end: int = 0  # the page number where a span that crosses a page break ends (0: its own page)


@dataclass(frozen=True)
class LanguageRules:
    """The compiled sentence rules of one language (``segmentation`` in data/languages/<code>.yaml)."""

    words: frozenset[str]  # one-word abbreviations, lower case, with their final dot
    spaced: re.Pattern[str] | None  # abbreviations with inner spaces ("z. b.", "i. v. m."), at the end of a text
    ordinal_dot: bool
    months: frozenset[str]
    ordinal_lead: frozenset[str]
    toc_titles: frozenset[str]  # titles of a table of contents, lower case ("inhaltsverzeichnis")


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
        toc_titles=frozenset(w.lower() for w in rules.toc_titles),
    )


@dataclass(frozen=True)
class _Splitter:
    """spaCy's tokenizer for ``lang`` plus the sentencizer's punctuation list."""

    tokenizer: Any
    punct_hashes: frozenset[int]  # hashes of the sentencizer's punctuation characters
    ordinal_shapes: frozenset[int]  # hashes of the shapes "d." "dd." "ddd.": "2." kept whole as an ordinal


TOKENIZER_SNAPSHOTS = DATA_DIR / "tokenizers"  # written by scripts/snapshot_tokenizers.py
SNAPSHOT_LANGUAGES = ("fr",)  # spaCy languages whose blank() takes seconds


@cache
def spacy_module() -> ModuleType:
    """spaCy, imported without torch and without spaCy's command line.

    mctext uses spaCy's rule-based tokenizers alone. Two things ``import spacy`` pulls in
    that they never use cost CPU in every process that segments (the worker template, the
    CLI, the API, an in-process run):

    - torch (~1.4 CPU-s): thinc, spaCy's machine-learning layer, imports it whenever it is
      installed, to offer torch-backed models. It is hidden for the length of the import
      (thinc then records ``has_torch = False``) and importable again afterwards; where
      torch is already loaded nothing is hidden. (mctext's workers keep torch out for
      good, ``pipeline.warm_up``.)
    - spaCy's CLI (~0.3 CPU-s: weasel, httpx, rich), which ``spacy/__init__`` imports only
      to export ``spacy.info``. ``_cli_stand_ins`` lends it a stand-in for the import;
      afterwards ``import spacy.cli`` loads the real one, and ``spacy.info`` calls it.
    """
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    stand_ins = _cli_stand_ins() if "spacy" not in sys.modules and "spacy.cli" not in sys.modules else {}
    sys.modules.update(stand_ins)
    try:
        import spacy
    finally:
        if hide and "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


def _cli_stand_ins() -> dict[str, ModuleType]:
    """Modules ``spacy.cli`` and ``spacy.cli.info`` with just what ``import spacy`` takes from
    them: ``info``, which imports the real CLI when called."""

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    package, module = ModuleType("spacy.cli"), ModuleType("spacy.cli.info")
    package.__path__ = []  # a package, so that "spacy.cli.info" may be imported from it
    module.info = info  # type: ignore[attr-defined]
    package.info = module  # type: ignore[attr-defined]
    return {"spacy.cli": package, "spacy.cli.info": module}


def tokenizer_snapshot(lang: str) -> Path:
    """Where the snapshot of ``lang``'s tokenizer for the installed spaCy version lives."""
    spacy = spacy_module()
    return TOKENIZER_SNAPSHOTS / f"{lang}-spacy-{spacy.__version__}.bin"


def _blank(lang: str) -> Any:
    """``spacy.blank(lang)``, or for French a multilingual pipeline with French's tokenizer rules.

    Importing spaCy's French compiles its ``token_match`` regex (thousands of hyphenated
    words: ~4 s per process, the largest part of a worker's start-up). ``token_match``
    only decides whether a word without any period is split further, so it cannot move
    a sentence start; the snapshot keeps every other French rule (prefixes, suffixes,
    infixes, exceptions such as "M." and "h."), loaded in 0.1 s.
    """
    spacy = spacy_module()

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
    nlp = _blank(langdata.spacy_code(lang))  # imports spaCy (spacy_module) before the import below
    from spacy.pipeline import Sentencizer

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
    if tail[-1:] in ",;":
        return False  # "(Devlin et al. ," | "2019)": a sentence does not end on a comma
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
    """Cut a span longer than MAX_SEGMENT_CHARS into pieces of about equal length at the best separators.

    With n = ceil(length / MAX_SEGMENT_CHARS) pieces to make, each cut is looked for at the
    last line break, "; ", ", " or space between half and 1.2 times the even share.
    """
    out = []
    while end - start > MAX_SEGMENT_CHARS:
        share = -(-(end - start) // -(-(end - start) // MAX_SEGMENT_CHARS))
        window_end = start + min(MAX_SEGMENT_CHARS, share + share // 5)
        cut = -1
        for sep in _CUT_SEPARATORS:
            cut = text.rfind(sep, start + share // 2, window_end)
            if cut > start:
                cut += len(sep.rstrip()) if sep.strip() else 0
                break
        if cut <= start:
            cut = window_end
        out.append(_strip(text, start, cut))
        start, _ = _strip(text, cut, end)
    out.append(_strip(text, start, end))
    return [(s, e) for s, e in out if s < e]


def _capped(text: str, start: int, end: int, kind: str, *, context: str = "", prose: bool = False,
            opens_item: bool = False) -> list[_Span]:
    """``_cap``'s pieces as spans of one kind (only the first piece can open an item)."""
    return [_Span(s, e, kind, context, prose, opens_item and k == 0) for k, (s, e) in enumerate(_cap(text, start, end))]


def _prose(text: str, start: int, end: int, kind: str, *, context: str = "", opens_item: bool = False) -> list[_Span]:
    """Spans of a sentence of running text; one longer than ITEM_WHOLE_CHARS is cut where it enumerates.

    An inline list ("... relative : 1° Aux valeurs ... ; 2° Aux évolutions ...") gives its
    lead and one ``list_item`` per item (the lead as context); otherwise the sentence is
    cut into runs of its "; " clauses of at most ITEM_WHOLE_CHARS. ``_cap`` is the last resort.
    """
    if end - start <= ITEM_WHOLE_CHARS:
        return _capped(text, start, end, kind, context=context, prose=True, opens_item=opens_item)
    marks = _inline_items(text, start, end)
    if not marks:
        return _clauses(text, start, end, kind, context, opens_item)
    if _ITEM.match(text, start, end) and _opening_type(text, start) == _inline_type(text, marks[0]):
        marks = [start, *marks]  # "- allez sur ..., - recherchez ...": the first piece is an item too
    out = _clauses(text, start, marks[0], kind, context, opens_item) if marks[0] > start else []
    lead = _context_text(text, start, marks[0]) if marks[0] > start else context
    for a, b in zip(marks, [*marks[1:], end], strict=True):
        s, e = _strip(text, a, b)
        out.extend(_clauses(text, s, e, KIND_LIST_ITEM, lead, False))
    return out


def _inline_type(text: str, pos: int) -> str:
    match = _INLINE_ITEM.match(text, pos)
    return match.lastgroup or "" if match else ""


def _opening_type(text: str, pos: int) -> str:
    """The inline-item type of the item marker a text opens with ("- x" is a dash, "2) x" numparen)."""
    item = _ITEM.match(text, pos)
    name = item.lastgroup if item else ""
    if name == "bullet":
        return "dot" if text[pos] in _INLINE_DOTS else "dash"
    return name if name in ("degree", "numparen", "alpha") else ""


def _inline_items(text: str, start: int, end: int) -> list[int]:
    """Where the items of a list written inside one sentence start (at least two of one marker type)."""
    by_type: dict[str, list[int]] = {}
    for m in _INLINE_ITEM.finditer(text, start, end):
        by_type.setdefault(m.lastgroup or "", []).append(m.start(m.lastgroup or 0))
    best = max(by_type.values(), key=len, default=[])
    return best if len(best) >= 2 else []


def _clauses(text: str, start: int, end: int, kind: str, context: str, opens_item: bool) -> list[_Span]:
    """``text[start:end]`` in runs of its ";" clauses, each run at most ITEM_WHOLE_CHARS (then capped)."""
    cuts = [start]
    pos = start
    for m in _CLAUSE_END.finditer(text, start, end):
        if m.start() + 1 - cuts[-1] > ITEM_WHOLE_CHARS and pos > cuts[-1]:
            cuts.append(pos)
        pos = m.end()
    if end - cuts[-1] > ITEM_WHOLE_CHARS and start < pos < end and pos > cuts[-1]:
        cuts.append(pos)
    out: list[_Span] = []
    for a, b in zip(cuts, [*cuts[1:], end], strict=True):
        s, e = _strip(text, a, b)
        if s < e:
            out.extend(_capped(text, s, e, kind, context=context, prose=True, opens_item=opens_item and a == start))
    return out


def _line_kind(line: str) -> str:
    """The kind of a line that is not prose (toc, form_field, table_row), else "".

    Cheap substring tests first: every line of every page passes here.
    """
    if line[-1] in _TOC_LAST and _TOC_LINE.search(line) and _FIRST_WORD.search(line):
        return KIND_TOC
    if any(hint in line for hint in _FORM_HINTS) and _FORM_LINE.search(line):
        return KIND_FORM_FIELD
    if "|" in line and _PIPE_ROW.match(line):
        return KIND_TABLE_ROW
    return ""


def _units(text: str, headings: list[Heading], regions: list[Region]) -> list[_Unit]:
    """Regions, and paragraph pieces cut at headings and at list-item lines, in text order."""
    spans = sorted((h.start, h.end) for h in headings if 0 <= h.start < h.end <= len(text))
    units: list[_Unit] = []
    pos = 0
    for region in sorted((r for r in regions if 0 <= r.start < r.end <= len(text)), key=lambda r: r.start):
        if region.start < pos:
            continue  # overlaps the previous region: the extractor's first word counts
        _prose_units(text, pos, region.start, spans, units)
        s, e = _strip(text, region.start, region.end)
        if s < e:
            units.append(_Unit(s, e, "region", region.kind if region.kind in SEGMENT_KINDS else KIND_BODY))
        pos = region.end
    _prose_units(text, pos, len(text), spans, units)
    return _join_bare_enumerators(text, units)


def _prose_units(text: str, lo: int, hi: int, spans: list[tuple[int, int]], units: list[_Unit]) -> None:
    """The units of ``text[lo:hi]`` (no region inside), cut at the heading ``spans``."""
    ends = [e for _, e in spans]
    for para in _PARAGRAPH.finditer(text, lo, hi):
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


def _join_bare_enumerators(text: str, units: list[_Unit]) -> list[_Unit]:
    """A unit that is only a step number ("1", "a)") becomes the start of the unit after it."""
    out: list[_Unit] = []
    for k, unit in enumerate(units):
        nxt = units[k + 1] if k + 1 < len(units) else None
        if (unit.kind == "text" and nxt is not None and nxt.kind in ("text", "item")
                and _BARE_ENUMERATOR.fullmatch(text, unit.start, unit.end)):
            nxt.start = unit.start
            if nxt.kind == "text" and (item := _ITEM.match(text, unit.start, unit.end + 1)):
                nxt.kind, nxt.marker = "item", item.lastgroup or ""  # "a)" + paragraph: an item
            continue
        out.append(unit)
    return out


def _line_units(text: str, start: int, end: int, units: list[_Unit]) -> None:
    current: _Unit | None = None
    for line in _LINE.finditer(text, start, end):
        s, e = _strip(text, line.start(), line.end())
        if s == e:
            continue
        if kind := _line_kind(text[s:e]):
            units.append(_Unit(s, e, "line", kind))
            current = None
            continue
        item = _ITEM.match(text, s, e)
        if item or current is None:
            current = _Unit(s, e, "item", item.lastgroup or "") if item else _Unit(s, e, "text")
            units.append(current)
        else:
            current.end = e


def _looks_like_code(chunk: str) -> bool:
    """A diagram (Mermaid "flowchart LR" ...) or lines that are mostly arrows, braces and assignments."""
    lines = [line for line in chunk.split("\n") if line.strip()]
    if _DIAGRAM_START.match(lines[0].strip()) and len(lines) >= 2:
        return True
    return len(lines) >= 3 and sum(bool(_CODE_LINE.search(line)) for line in lines) * 3 >= len(lines) * 2


def _closes(chunk: str) -> bool:
    """The text ends with closing punctuation (a sentence end or a lead-in colon), maybe with a note call ("growing.1")."""
    return bool(_CLOSED.search(chunk))


def _title_like(text: str, unit: _Unit, units: list[_Unit], i: int) -> bool:
    """A one-line unit that is not a sentence: no closing punctuation, few words, standing alone.

    Items are titles only when they are section numbers ("§ 3 Begriffe") or a numbered
    line between paragraphs that are not items of the same list ("1. peatükk Üldsätted").
    """
    chunk = text[unit.start:unit.end]
    if "\n" in chunk or chunk[-1] in ",-–" or _closes(chunk) or len(chunk.split()) > TITLE_MAX_WORDS:
        return False
    if unit.kind == "text" and not _starts_upper_or_other(chunk):
        return False  # a title does not start in lower case: this is a fragment of a sentence
    if unit.kind == "text":
        return True
    if unit.kind != "item" or unit.marker in ("bullet",):
        return False
    if unit.marker == "section":
        return True
    neighbours = [units[k] for k in (i - 1, i + 1) if 0 <= k < len(units)]
    return not any(n.kind == "item" and n.marker == unit.marker for n in neighbours)


def _toc_title(chunk: str, rules: LanguageRules) -> bool:
    return chunk.rstrip(" :").lower() in rules.toc_titles


def _context_text(text: str, start: int, end: int) -> str:
    """A lead-in as shown beside its items: one line, at most CONTEXT_CHARS (its end kept)."""
    lead = " ".join(text[start:end].split())
    return lead if len(lead) <= CONTEXT_CHARS else "…" + lead[-(CONTEXT_CHARS - 1):].lstrip()


def _spans(text: str, headings: list[Heading], lang: str, regions: list[Region] | None = None) -> list[_Span]:
    """All segment spans of one page, sorted."""
    units = _units(text, headings, regions or [])
    rules = language_rules(lang)
    out: list[_Span] = []
    toc_run = False  # inside a table of contents (after its title or a dot-leader line)
    i = 0
    while i < len(units):
        unit = units[i]
        chunk = text[unit.start:unit.end]
        if unit.kind == "region":
            out.extend(_region_spans(text, unit))
            i += 1
            continue
        if unit.kind == "heading":
            toc_run = _toc_title(chunk, rules)
            if chunk[-1] in ".!?" and len(chunk.split()) >= HEADING_SENTENCE_WORDS:
                for s, e in _sentences(text, unit.start, unit.end, lang):
                    out.extend(_capped(text, s, e, KIND_BODY))
            i += 1
            continue
        if unit.kind == "line":
            toc_run = toc_run or unit.marker == KIND_TOC
            out.extend(_capped(text, unit.start, unit.end, unit.marker))
            i += 1
            continue
        if toc_run and ("\n" not in chunk and not _closes(chunk) and len(chunk.split()) <= 2 * TITLE_MAX_WORDS):
            out.extend(_capped(text, unit.start, unit.end, KIND_TOC))
            i += 1
            continue
        toc_run = False
        if unit.kind == "text" and _toc_title(chunk, rules):
            out.append(_Span(unit.start, unit.end, KIND_TOC))
            toc_run = True
            i += 1
            continue
        if unit.kind == "text" and _looks_like_code(chunk):
            out.extend(_capped(text, unit.start, unit.end, KIND_CODE))
            i += 1
            continue
        sentences = _sentences(text, unit.start, unit.end, lang)
        nxt = units[i + 1] if i + 1 < len(units) else None
        if (sentences and nxt is not None and nxt.kind == "item"
                and text[sentences[-1][1] - 1] not in _SENTENCE_END
                and (unit.kind == "text" or unit.marker != nxt.marker)):
            i = _list_spans(text, units, i, sentences, lang, out)
            continue
        if unit.kind == "item":
            kind = KIND_BODY if unit.marker == "parennum" else KIND_LIST_ITEM  # "(1) ..." numbers a law's paragraph
        else:
            kind = KIND_BODY
        if len(sentences) == 1 and _title_like(text, unit, units, i):
            kind = KIND_HEADING
        for k, (s, e) in enumerate(sentences):
            out.extend(_prose(text, s, e, kind, opens_item=unit.kind == "item" and k == 0))
        i += 1
    return sorted(out, key=lambda span: span.start)


def _list_spans(text: str, units: list[_Unit], i: int, sentences: list[tuple[int, int]], lang: str,
                out: list[_Span]) -> int:
    """The spans of ``units[i]`` (whose last sentence is a lead-in) and its list; returns the next unit."""
    unit = units[i]
    first_kind = KIND_LIST_ITEM if unit.kind == "item" and unit.marker != "parennum" else KIND_BODY
    for k, (s, e) in enumerate(sentences[:-1]):
        out.extend(_prose(text, s, e, first_kind, opens_item=unit.kind == "item" and k == 0))
    lead = sentences[-1]
    lead_opens = unit.kind == "item" and lead[0] == unit.start
    j, items = _collect_items(text, units, i + 1, _context_text(text, *lead), unit.marker if unit.kind == "item" else "")
    trailing: tuple[int, int] | None = None
    rest: list[tuple[int, int]] = []
    if j < len(units) and units[j].kind == "text" and not _starts_upper_or_other(text[units[j].start:]):
        # The sentence goes on after the list ("... 2. die Organisation / näher zu regeln.").
        trailing, *rest = _sentences(text, units[j].start, units[j].end, lang) or [(units[j].start, units[j].end)]
        j += 1
    end = trailing[1] if trailing else items[-1][0].end
    short = (len(items) <= SHORT_LIST_ITEMS and end - lead[0] <= SHORT_LIST_CHARS
             and all(item.end - item.start <= SHORT_ITEM_CHARS for item, _ in items))
    if short:  # a sentence plus its short list: one unit
        out.extend(_prose(text, lead[0], end, first_kind, opens_item=lead_opens))
    else:
        out.extend(_prose(text, *lead, first_kind, opens_item=lead_opens))
        for item, context in items:
            pieces = ([(item.start, item.end)] if item.end - item.start <= ITEM_WHOLE_CHARS
                      else _sentences(text, item.start, item.end, lang))
            for k, (s, e) in enumerate(pieces):
                out.extend(_prose(text, s, e, KIND_LIST_ITEM, context=context, opens_item=k == 0))
        if trailing:
            out.extend(_prose(text, *trailing, KIND_BODY, context=items[0][1]))
    for s, e in rest:
        out.extend(_prose(text, s, e, KIND_BODY))
    return j


def _collect_items(text: str, units: list[_Unit], j: int, context: str,
                   outer: str = "") -> tuple[int, list[tuple[_Unit, str]]]:
    """The items of a list starting at ``units[j]``, each with its lead-in(s) as context.

    An item that is itself a lead-in ("5° Quelle que soit la zone :") opens a sub-list
    with another marker ("a) ... b) ..."); an item with an outer marker closes it. The
    ``outer`` marker is the lead-in's own ("(1) Im Sinne ... sind:"): the next such item ends the list.
    """
    stack = [(units[j].marker, context)]
    items: list[tuple[_Unit, str]] = []
    while (j < len(units) and units[j].kind == "item" and units[j].marker != outer
           and any(units[j].marker == m for m, _ in stack)):
        unit = units[j]
        while stack[-1][0] != unit.marker:
            stack.pop()
        items.append((unit, stack[-1][1]))
        nxt = units[j + 1] if j + 1 < len(units) else None
        if (text[unit.end - 1] not in _SENTENCE_END and nxt is not None and nxt.kind == "item"
                and nxt.marker != outer and all(nxt.marker != m for m, _ in stack)):
            stack.append((nxt.marker, f"{stack[-1][1]} … {_context_text(text, unit.start, unit.end)}"))
        j += 1
    return j, items


def _region_spans(text: str, unit: _Unit) -> list[_Span]:
    """A region's segments: code whole, footnotes one each, other regions one per line."""
    kind = unit.marker
    if kind in (KIND_CODE, KIND_BODY, KIND_HEADING):
        pieces = [(unit.start, unit.end)]
    elif kind == KIND_FOOTNOTE:
        pieces = _footnotes(text, unit.start, unit.end)
    else:
        pieces = [_strip(text, m.start(), m.end()) for m in _LINE.finditer(text, unit.start, unit.end)]
    return [span for s, e in pieces if s < e for span in _capped(text, s, e, kind)]


def _footnotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A footnote region cut where a line starts a new footnote ("1 ...", "² ...", "* ...")."""
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text, start, end):
        s, e = _strip(text, line.start(), line.end())
        if s == e:
            continue
        if out and not _FOOTNOTE_START.match(text, s, e):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (paragraphs and list items never share a sentence)."""
    out: list[tuple[int, int]] = []
    for unit in _units(text, [], []):
        out.extend(_sentences(text, unit.start, unit.end, lang))
    return out


def join_pages(first: str, second: str) -> str:
    """The text of a segment across a page break: its two pieces, edges trimmed, joined by PAGE_JOINER."""
    return first.rstrip() + PAGE_JOINER + second.lstrip()


def split_pages(text: str, end: int) -> tuple[str, str]:
    """The two pieces of a segment text across a page break whose end page text starts with it (end = its offset)."""
    return text[:len(text) - end - len(PAGE_JOINER)], text[len(text) - end:]


def body_end(page: Page, start: int = 0) -> int:
    """Where the running text of ``page`` stops after ``start``: at its first footnote region, else at its end."""
    return min((r.start for r in page.regions if r.kind == KIND_FOOTNOTE and r.start >= start), default=len(page.text))


def segment_text(pages: Mapping[int, Page], page: int, start: int, page_end: int, end: int) -> str:
    """What a segment's text must be, given the document's pages by number (the verbatim-quote rule).

    ``pages[page].text[start:end]`` on one page; across a page break, ``join_pages`` of the
    start page's text from ``start`` to its ``body_end`` (the end of the page, or the start of
    its footnotes) and ``pages[page_end].text[:end]``.
    """
    first = pages[page]
    if page == page_end:
        return first.text[start:end]
    return join_pages(first.text[start:body_end(first, start)], pages[page_end].text[:end])


def _last_running(spans: list[_Span]) -> int:
    """The index of a page's last span that is not a footnote (footnotes are set after the running text)."""
    k = len(spans) - 1
    while k >= 0 and spans[k].kind == KIND_FOOTNOTE:
        k -= 1
    return k


def _runs_on(page: Page, last: _Span, nxt_text: str, first: _Span) -> bool:
    """Whether a page's last running span and the next page's first span are one sentence cut by the break."""
    text = page.text
    if (not (last.prose and first.prose) or first.opens_item or first.start != 0
            or text[last.end:body_end(page, last.end)].strip()):
        return False
    before = text[last.start:last.end]
    if _closes(before) or (last.end - last.start) + (first.end - first.start) + len(PAGE_JOINER) > MAX_SEGMENT_CHARS:
        return False
    if not _starts_upper_or_other(nxt_text[first.start:first.end]):
        return True  # "... Ist ein Güteverfahren vor einer" | "außergerichtlichen Stelle ..."
    word = _LAST_WORD.search(before)
    # "... des Bundesinstituts für" | "Berufsbildung ...": the page stopped on a lower-case word, mid-sentence.
    return bool(word and word.group(1).islower() and len(before.split()) >= 3) or before[-1:] == ","


def _carry_list_context(text: str, last: _Span, following: list[_Span]) -> None:
    """A list that goes on after a page break keeps its lead-in: the next page's first items get it as context.

    The lead-in is the context of the page's last item, or the page's last sentence when it
    is an open lead-in ("... Anspruch auf" / "1. ...", "... umfasst:" / "- ...").
    """
    if not (following[0].kind == KIND_LIST_ITEM and following[0].opens_item and not following[0].context):
        return
    if last.kind == KIND_LIST_ITEM and last.context:
        context = last.context
    elif (last.prose and last.kind in (KIND_BODY, KIND_HEADING) and text[last.end - 1] not in _SENTENCE_END
          and "\n" not in text[last.start:last.end]):  # not a short list kept whole
        context = _context_text(text, last.start, last.end)
    else:
        return
    for span in following:
        if span.kind != KIND_LIST_ITEM or span.context:
            break
        span.context = context


# A bracketed note standing in for something not in the text: "[image omitted]", "[1]", "[repealed]".
_BRACKETED = re.compile(r"\[[^\[\]\n]{1,60}\]")
_WORD = re.compile(r"\w")


def is_placeholder(text: str) -> bool:
    """Whether a segment is nothing but bracketed notes ("[image omitted]" of a converted file): no
    statement to quote or label. Its text stays in the page text; the segment is not made."""
    return _BRACKETED.search(text) is not None and not _WORD.search(_BRACKETED.sub("", text))


def segment_pages(pages: list[Page], doc_id: str, lang: str) -> list[Segment]:
    """Segments of a document's pages, in reading order, with the heading path in force."""
    spans = [_spans(page.text, page.headings, lang, page.regions) for page in pages]
    for k in range(len(pages) - 1):  # a sentence cut by a page break: the first piece takes the second along
        n = _last_running(spans[k])
        if n < 0 or not spans[k + 1]:
            continue
        last = spans[k][n]
        if _runs_on(pages[k], last, pages[k + 1].text, spans[k + 1][0]):
            last.kind = KIND_BODY if last.kind == KIND_HEADING else last.kind
            last.page_end, last.end = pages[k + 1].number, spans[k + 1][0].end
            spans[k + 1] = spans[k + 1][1:]
        if spans[k + 1]:
            _carry_list_context(pages[k].text, last, spans[k + 1])
    segments: list[Segment] = []
    stack: list[Heading] = []
    by_number = {page.number: page for page in pages}
    for page, page_spans in zip(pages, spans, strict=True):
        headings = sorted(page.headings, key=lambda h: h.start)
        h = 0
        for span in page_spans:
            while h < len(headings) and headings[h].start <= span.start:
                level = headings[h].level
                while stack and stack[-1].level >= level:
                    stack.pop()
                stack.append(headings[h])
                h += 1
            page_end = span.page_end or page.number
            seg_text = segment_text(by_number, page.number, span.start, page_end, span.end)
            if is_placeholder(seg_text):
                continue
            segments.append(Segment(
                id=segment_id(doc_id, page.number, span.start, seg_text), doc_id=doc_id, page=page.number,
                page_end=page_end, start=span.start, end=span.end, text=seg_text, lang=lang,
                section=" > ".join(x.text for x in stack), kind=span.kind, context=span.context,
            ))
        for heading in headings[h:]:  # headings after the last segment still open sections
            while stack and stack[-1].level >= heading.level:
                stack.pop()
            stack.append(heading)
    return segments
