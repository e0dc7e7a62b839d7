"""Page layout on plain text boxes: lines, columns, furniture, paragraphs, hyphens, headings.

Every PDF engine (pypdfium2 text runs, pdfplumber words, tesseract OCR words) is reduced
to ``Span`` boxes in top-down page coordinates, and everything after that lives here, so
the fast path, the reference path and OCR share one set of cleaning rules.

The unit of work is the whole document (``layout_document``), because two rules need to
see every page: running headers/footers are found by repetition across pages, and
ambiguous line-end hyphens are settled by the words the document uses elsewhere.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from mctext import lang as langdata
from mctext.extract.normalize import normalize_text
from mctext.records import Heading


@dataclass(slots=True)
class Span:
    """A run of text with its box (points, origin top-left) and font style."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float = 0.0
    bold: bool = False


@dataclass
class PageBoxes:
    """One page as an engine saw it."""

    width: float
    height: float
    spans: list[Span]


@dataclass(slots=True)
class Line:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str  # normalised
    raw: str  # as the engine gave it
    size: float
    bold: bool
    column: int  # -1 = spans the column gutter


@dataclass
class Block:
    """A paragraph (or heading) as lines; ``level`` > 0 once it is judged a heading."""

    lines: list[Line]
    level: int = 0

    @property
    def size(self) -> float:
        return _dominant_size(self.lines)

    @property
    def bold(self) -> bool:
        return all(ln.bold for ln in self.lines)


@dataclass
class LaidOutPage:
    text: str
    raw_text: str
    furniture: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    hyphen_joins: list[int] = field(default_factory=list)


# --- lines -----------------------------------------------------------------------------

# pdfium reports a line-end hyphen as \x02; a soft hyphen at a line end is a hyphenation too.
_ENGINE_HYPHENS = str.maketrans({"\x02": "-"})


def _join_spans(spans: list[Span]) -> str:
    """Spans of one line, left to right; a space where the boxes leave a gap."""
    spans.sort(key=lambda s: s.x0)
    parts: list[str] = []
    prev: Span | None = None
    for sp in spans:
        text = sp.text.strip()
        if not text:
            continue
        if prev is not None:
            gap = sp.x0 - prev.x1
            if gap > 0.12 * max(sp.size, prev.size, 1.0) or prev.text.endswith(" "):
                parts.append(" ")
        parts.append(text)
        prev = sp
    return "".join(parts)


def clean_lines(texts: list[str]) -> list[str]:
    """``_clean_line`` for many lines in one ``normalize_text`` call (it dominates per-line cost)."""
    prepared = [_engine_hyphens(t).replace("\n", " ") for t in texts]
    joined = normalize_text("\n".join(prepared)) if prepared else ""
    out = joined.split("\n")
    if len(out) == len(prepared) and all(out):
        return out
    return [_clean_line(t) for t in texts]  # a line vanished in normalisation: go one by one


def _engine_hyphens(text: str) -> str:
    if "\x02" in text:  # a membership test is far cheaper than translate's per-character lookups
        text = text.translate(_ENGINE_HYPHENS)
    return text[:-1] + "-" if text.endswith("\u00ad") else text


def _clean_line(text: str) -> str:
    if "\x02" in text:
        text = text.translate(_ENGINE_HYPHENS)
    if text.endswith("\u00ad"):
        text = text[:-1] + "-"
    return normalize_text(text).replace("\n", " ")


def group_lines(spans: list[Span], column: int = 0) -> list[Line]:
    """Spans that overlap vertically by at least half the smaller height form one line."""
    rows: list[list[Span]] = []
    bounds: list[list[float]] = []
    for sp in sorted(spans, key=lambda s: (s.top, s.x0)):
        h = max(sp.bottom - sp.top, 0.1)
        for row, b in zip(reversed(rows), reversed(bounds), strict=False):
            overlap = min(b[1], sp.bottom) - max(b[0], sp.top)
            if overlap >= 0.5 * min(h, b[1] - b[0]):
                row.append(sp)
                b[0], b[1] = min(b[0], sp.top), max(b[1], sp.bottom)
                break
            if b[1] < sp.top - 2 * h:  # rows further up cannot overlap
                rows.append([sp])
                bounds.append([sp.top, sp.bottom])
                break
        else:
            rows.append([sp])
            bounds.append([sp.top, sp.bottom])
    lines = []
    raws = [_join_spans(row) for row in rows]
    for row, raw, text in zip(rows, raws, clean_lines(raws), strict=True):
        if not text:
            continue
        lines.append(
            Line(
                x0=min(s.x0 for s in row),
                top=min(s.top for s in row),
                x1=max(s.x1 for s in row),
                bottom=max(s.bottom for s in row),
                text=text,
                raw=raw,
                size=_dominant_size(row),
                bold=sum(len(s.text) for s in row if s.bold) > 0.6 * sum(len(s.text) for s in row),
                column=column,
            )
        )
    lines.sort(key=lambda ln: ln.top)
    return lines


def _dominant_size(items: list[Span] | list[Line]) -> float:
    """The font size (to 0.5 pt) carrying most characters; the first seen wins a tie."""
    weights: dict[float, int] = {}
    for it in items:
        size = round(it.size * 2) / 2
        weights[size] = weights.get(size, 0) + len(it.text)
    return max(weights, key=weights.__getitem__) if weights else 0.0


# --- furniture ---------------------------------------------------------------------------

_PAGE_WORDS, _PAGE_OF = ("|".join(map(re.escape, words)) for words in langdata.page_words())  # every language's
PAGE_NUMBER = re.compile(
    rf"^[\s\-–—|]*(?:(?:{_PAGE_WORDS})\s*)?(?:\d{{1,4}}|[ivxlc]{{1,6}})"
    rf"(?:\s*(?:{_PAGE_OF})\s*\d{{1,4}})?[\s\-–—|]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
TOP_ZONE = 0.12  # share of the page height where running headers live
BOTTOM_ZONE = 0.12
MARGIN_ROWS = 2  # rows from the top / bottom edge that may be furniture


def is_page_number(text: str) -> bool:
    """'3', 'Page 3', 'Seite 3', '3 / 40', '- 3 -', 'iv' (alone on their line); not '2019/128'."""
    if not PAGE_NUMBER.match(text.strip()) or not any(c.isalnum() for c in text):
        return False
    numbers = [int(d) for d in _DIGITS.findall(text)]
    return len(numbers) < 2 or numbers[0] <= numbers[1]


def _margin_pieces(page: PageBoxes) -> list[tuple[str, list[Span]]]:
    """Rows near the top/bottom edge, cut at wide horizontal gaps (left/centre/right parts).

    Returns (zone, spans) pieces; zone is "top" or "bottom".
    """
    rows = []
    for row_spans in _rows(page.spans):
        rows.append(row_spans)
    pieces: list[tuple[str, list[Span]]] = []
    top_limit = page.height * TOP_ZONE
    bottom_limit = page.height * (1 - BOTTOM_ZONE)
    for zone, candidates in (("top", rows[:MARGIN_ROWS]), ("bottom", rows[-MARGIN_ROWS:][::-1])):
        for row in candidates:
            in_zone = row[0].bottom <= top_limit if zone == "top" else row[0].top >= bottom_limit
            if not in_zone:
                break
            row = sorted(row, key=lambda s: s.x0)
            piece = [row[0]]
            for sp in row[1:]:
                if sp.x0 - piece[-1].x1 > 2.0 * max(sp.size, 4.0):
                    pieces.append((zone, piece))
                    piece = []
                piece.append(sp)
            pieces.append((zone, piece))
    return pieces


def _rows(spans: list[Span]) -> list[list[Span]]:
    """Full-width rows (ignoring columns), top to bottom."""
    rows: list[list[Span]] = []
    bottoms: list[float] = []
    for sp in sorted(spans, key=lambda s: s.top):
        mid = (sp.top + sp.bottom) / 2
        if rows and mid <= bottoms[-1] and mid >= rows[-1][0].top:
            rows[-1].append(sp)
            bottoms[-1] = max(bottoms[-1], sp.bottom)
        else:
            rows.append([sp])
            bottoms.append(sp.bottom)
    for row in rows:
        row.sort(key=lambda s: s.x0)
    return rows


def find_furniture(pages: list[PageBoxes], body_size: float) -> list[list[list[Span]]]:
    """Per page, the span groups that are running headers/footers or page numbers.

    A margin piece is furniture when it is a page number that keeps step with the page
    index (so a list marker "4" at the foot of a page stays), or when its text (digits
    masked) recurs in the same margin on at least 30% of the pages (and two pages).
    A one-page document has no repetition to go by: there, a margin row in a smaller
    font than the body, set apart from the body by a gap, counts as furniture.
    """
    per_page = [
        [(zone, spans, _clean_line(_join_spans(list(spans)))) for zone, spans in _margin_pieces(p)]
        for p in pages
    ]
    keys: Counter[tuple[str, str]] = Counter()
    offsets: Counter[int] = Counter()
    for number, pieces in enumerate(per_page, start=1):
        keys.update({(zone, _DIGITS.sub("#", text.lower())) for zone, _, text in pieces})
        offsets.update(
            {v - number for _, _, t in pieces if is_page_number(t) for v in _first_number(t)}
        )
    offset = offsets.most_common(1)[0][0] if offsets else None
    min_count = max(2, int(0.3 * len(pages) + 0.999))
    result: list[list[list[Span]]] = []
    for number, (page, pieces) in enumerate(zip(pages, per_page, strict=True), start=1):
        found = []
        used = set()  # a title under a header that repeats it is body text
        for zone, spans, text in pieces:
            key = (zone, _DIGITS.sub("#", text.lower()))
            if key in used:
                continue
            used.add(key)
            if is_page_number(text):
                values = _first_number(text)
                keeps_step = len(pages) == 1 or not values or values[0] - number == offset
                if keeps_step:
                    found.append(spans)
            elif keys[key] >= min_count or (
                len(pages) == 1 and _set_apart(page, spans, zone, body_size)
            ):
                found.append(spans)
        result.append(found)
    return result


def _first_number(text: str) -> list[int]:
    m = _DIGITS.search(text)
    return [int(m.group())] if m else []


def _set_apart(page: PageBoxes, spans: list[Span], zone: str, body_size: float) -> bool:
    size = _dominant_size(spans)
    if not body_size or size >= body_size - 0.25:
        return False
    top, bottom = min(s.top for s in spans), max(s.bottom for s in spans)
    own = {id(s) for s in spans}
    others = [
        s
        for s in page.spans
        if id(s) not in own and (s.top >= bottom if zone == "top" else s.bottom <= top)
    ]
    if not others:
        return True
    gap = (
        min(s.top for s in others) - bottom
        if zone == "top"
        else top - max(s.bottom for s in others)
    )
    return gap > 1.5 * (bottom - top)


# --- columns and reading order ---------------------------------------------------------


def find_gutters(spans: list[Span], width: float) -> list[tuple[float, float]]:
    """Vertical strips that (almost) no span crosses, with real text on both sides."""
    if len(spans) < 6:
        return []
    left = int(max(0.0, min(s.x0 for s in spans)))
    right = int(min(width, max(s.x1 for s in spans)) + 1)
    if right - left < 100:
        return []
    delta = [0] * (right - left + 2)
    for s in spans:
        a, b = max(int(s.x0), left) - left, min(int(s.x1) + 1, right) - left
        if b > a:
            delta[a] += 1
            delta[b] -= 1
    cover = list(accumulate(delta))[: right - left + 1]
    allowed = max(1, len(spans) // 40)
    extent = right - left
    gutters = []
    x = 0
    while x < len(cover):
        if cover[x] <= allowed:
            start = x
            while x < len(cover) and cover[x] <= allowed:
                x += 1
            g0, g1 = _emptiest_stretch(cover, start, x)
            g0, g1 = left + g0, left + g1
            if g1 - g0 >= 8 and g0 - left >= 0.25 * extent and right - g1 >= 0.25 * extent:
                lhs = sum(1 for s in spans if s.x1 <= g0 + 1)
                rhs = sum(1 for s in spans if s.x0 >= g1 - 1)
                if min(lhs, rhs) >= max(3, 0.05 * len(spans)):
                    gutters.append((float(g0), float(g1)))
        x += 1
    # a narrow strip between two gaps (bullets beside their text) is no column: keep the wider gap
    kept: list[tuple[float, float]] = []
    for g in gutters:
        if kept and g[0] - kept[-1][1] < 0.15 * extent:
            if g[1] - g[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = g
            continue
        kept.append(g)
    return kept


def _emptiest_stretch(cover: list[int], start: int, end: int) -> tuple[int, int]:
    """Longest run inside [start, end) at the lowest coverage (a short column is not a gutter)."""
    low = min(cover[start:end])
    best, run_start = (start, start), None
    for i in range(start, end + 1):
        if i < end and cover[i] == low:
            run_start = i if run_start is None else run_start
        elif run_start is not None:
            if i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    return best


def reading_order(spans: list[Span], width: float) -> list[Line]:
    """Lines column by column; lines that cross a gutter cut the page into bands."""
    gutters = find_gutters(spans, width)
    if not gutters:
        return group_lines(spans)
    by_col: dict[int, list[Span]] = {}
    wide: list[Span] = []
    for s in spans:
        col = 0
        crosses = False
        for g0, g1 in gutters:
            mid = (g0 + g1) / 2
            if s.x1 <= mid + 2:
                break
            if s.x0 >= mid - 2:
                col += 1
            else:
                crosses = True
                break
        if crosses:
            wide.append(s)
        else:
            by_col.setdefault(col, []).append(s)
    wide_lines = group_lines(wide, column=-1)
    col_lines = {c: group_lines(ss, column=c) for c, ss in by_col.items()}
    out: list[Line] = []
    cuts = [ln.top for ln in wide_lines] + [float("inf")]
    prev = float("-inf")
    wide_iter = iter(wide_lines)
    for cut in cuts:
        for c in sorted(col_lines):
            out.extend(ln for ln in col_lines[c] if prev <= ln.top < cut)
        if cut != float("inf"):
            out.append(next(wide_iter))
        prev = cut
    return out


# --- paragraphs ------------------------------------------------------------------------

BULLETS = "•▪●◦‣∙·■□➢►–"
_SENTENCE_END = re.compile(r"[.!?:;]$")
_LIST_MARKER = re.compile(r"^(?:\d{1,3}[a-z]?\.|\(\w{1,4}\)|[a-z]\)|[ivx]{1,5}\))\s")
PARAGRAPH_GAP = 1.2  # a baseline step this much above the usual line pitch starts a paragraph


def split_blocks(lines: list[Line]) -> list[Block]:
    """Paragraph breaks at larger vertical gaps, style changes, bullets and column jumps."""
    if not lines:
        return []
    # line pitch relative to font size, so headings in large type keep their lines together
    ratios = [
        (b.bottom - a.bottom) / a.size
        for a, b in zip(lines, lines[1:], strict=False)
        if a.column == b.column
        and a.size > 0
        and 0 < b.bottom - a.bottom < 3 * a.size
        and abs(a.size - b.size) < 0.3
    ]
    ratio = statistics.median(ratios) if ratios else 1.2
    blocks = [Block([lines[0]])]
    for prev, ln in zip(lines, lines[1:], strict=False):
        same_style = abs(prev.size - ln.size) < 0.6 and prev.bold == ln.bold
        if ln.column != prev.column or ln.top < prev.top:
            # a jump to the next column: the paragraph goes on when the sentence does
            cont = same_style and (
                prev.text.endswith("-")
                or (not _SENTENCE_END.search(prev.text) and ln.text[:1].islower())
            )
        else:
            step = ln.bottom - prev.bottom
            limit = ratio * max(prev.size, ln.size) * PARAGRAPH_GAP
            cont = (
                same_style
                and step <= limit
                and ln.text[:1] not in BULLETS
                and not (_LIST_MARKER.match(ln.text) and _SENTENCE_END.search(prev.text))
            )
        if cont:
            blocks[-1].lines.append(ln)
        else:
            blocks.append(Block([ln]))
    return blocks


# --- hyphenation -----------------------------------------------------------------------

# Per-language hyphenation facts (suspended-compound conjunctions such as "Aus- und"; prefixes
# written with a hyphen; solid compounding; the vowel-clash hyphen) and the function words
# that pick a language come from the language data layer (``hyphenation``, ``stopwords``).


def _conjunctions(lang: str | None) -> frozenset[str]:
    """Words after "Aus-" that show a suspended compound: "en" is a conjunction in Dutch but a
    word ending ("neu-en") in German; every language's when the language is unknown."""
    own = langdata.hyphenation(lang)
    return own.conjunctions if own is not None and own.conjunctions else langdata.all_conjunctions()


_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the study language whose function words are most frequent.

    A few very frequent function words per language (``stopwords`` in the language files):
    enough to pick the conjunctions and the OCR model without loading a language detector.
    """
    tokens = [t.lower() for t in _LETTERS.findall(text)]
    if len(tokens) < 5:
        return None
    scores = {lang: sum(t in stops for t in tokens) for lang, stops in langdata.stopwords().items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 2 else None


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_LAST_WORD = re.compile(r"(\w+(?:-\w+)*)-$")  # "Berufsaus-", "on-the-"
_FIRST_WORD = re.compile(r"^(\w+)((?:-\w+)*)")  # "bildung", "the-job"

JOIN, KEEP, SUSPEND = "join", "keep", "suspend"


def build_vocabulary(blocks_per_page: list[list[Block]]) -> set[str]:
    """Lower-case words seen whole in the document (not at a line-end hyphen)."""
    vocab: set[str] = set()
    after_hyphen = False
    for blocks in blocks_per_page:
        for block in blocks:
            for ln in block.lines:
                words = _WORD.findall(ln.text)
                if after_hyphen and words:
                    words = words[1:]
                after_hyphen = ln.text[-2:-1].isalnum() and ln.text.endswith("-")
                if after_hyphen and words:
                    words = words[:-1]
                for w in words:
                    vocab.add(w.lower())
                    if "-" in w:  # "off-the-job" vouches for "off-the", "the-job", "off-", "-job"
                        parts = w.lower().split("-")
                        vocab.update(
                            "-".join(parts[i:j])
                            for i in range(len(parts))
                            for j in range(i + 2, len(parts) + 1)
                        )
                        # "öffentlich-rechtlich" vouches for "öffentlich-" before a
                        # lower-case word; "Datenschutz-Grundverordnung" does not
                        cased = w.split("-")
                        vocab.update(
                            f"{part}-"
                            for part, nxt in zip(parts, cased[1:], strict=False)
                            if nxt[:1].islower()
                        )
    return vocab


def hyphen_decision(left: str, right: str, vocab: set[str], lang: str | None = None) -> str:
    """How to join ``left-`` at a line end with ``right`` at the start of the next line.

    JOIN removes the hyphen (a word split by hyphenation), KEEP keeps it without a space
    (a real compound such as "EU-Mitgliedstaaten", "e-learning"), SUSPEND keeps it with
    a space (a suspended compound such as "Aus- und Weiterbildung").
    """
    if not right:
        return KEEP
    head = _FIRST_WORD.match(right)
    rword, rtail = (head.group(1), head.group(2)) if head else ("", "")
    in_compound = "-" in left  # "on-the-", "jatko-o-", "hallinto-oikeu-"
    left = left.rsplit("-", 1)[-1]
    if not rword or not rword[0].isalpha() or not left.isalpha():
        return KEEP
    if (left + rword).lower() in vocab:  # "opiskeli-" + "ja": a word, not a conjunction
        return JOIN
    conjunctions = _conjunctions(lang)
    rules = langdata.hyphenation(lang)
    if rword.lower() in conjunctions:
        # "Aus- und Weiterbildung"; but "virko- ja tai ..." is "virkoja tai ..."
        following = right[head.end() :].split(maxsplit=1) if head else []
        return JOIN if following and following[0].lower() in conjunctions else SUSPEND
    acronym = sum(c.isupper() for c in left) >= 2 and left[-1].isupper()  # "EU-", "ECVET-"
    if rword[0].isupper() or acronym or (len(left) == 1 and not in_compound):
        return KEEP
    low_left, low_right = left.lower(), rword.lower()
    if rules is not None and rules.vowel_clash:  # "opinto-ohjaaja", "zee-egel": the only solid-compound hyphen
        vowel_clash = low_left[-1] == low_right[0] and low_left[-1] in "aeiouyäö"
        short_prefix = len(low_left) <= 4 and f"{low_left}-" in vocab  # "mbo-", "ict-"
        seen = f"{low_left}-{low_right}" in vocab
        return KEEP if vowel_clash or short_prefix or seen else JOIN
    if f"{low_left}-{low_right}" in vocab:  # "cross-border" elsewhere in the document
        return KEEP
    if len(low_left) < 3:  # "re-", "an-", "ex-": hyphenation, unless seen whole above
        return JOIN
    # "öffentlich-" or "non-" written with a hyphen elsewhere, or a prefix that takes one
    if f"{low_left}-" in vocab or (rules is not None and low_left in rules.prefixes):
        return KEEP
    # both halves words of their own: "off-the-job", and in languages that do not
    # write compounds solid, "once-" + "off", "fee-" + "paying"
    solid = rules.compounding if rules is not None else lang is None  # unknown counts as solid
    if low_left in vocab and low_right in vocab and (in_compound or rtail or not solid):
        return KEEP
    return JOIN


def join_lines(lines: list[str], vocab: set[str], lang: str | None = None) -> tuple[str, list[int]]:
    """One paragraph from its lines; returns the text and the offsets of removed hyphens."""
    text = lines[0]
    joins: list[int] = []
    for nxt in lines[1:]:
        m = _LAST_WORD.search(text[-120:]) if text.endswith("-") else None
        if m:
            decision = hyphen_decision(m.group(1), nxt, vocab, lang)
            if decision == JOIN:
                text = text[:-1]
                joins.append(len(text))
                text += nxt
                continue
            if decision == KEEP:
                text += nxt
                continue
        text += " " + nxt
    return text, joins


# --- headings --------------------------------------------------------------------------

_NUMBERED_HEADING = re.compile(
    r"^(?:§+\s*\d+\s?[a-z]?\b"
    rf"|(?:{'|'.join(map(re.escape, langdata.heading_words()))})"  # "Artikel", "Chapitre": every language's
    r"\s+[\dIVXLC]+[a-z]?\b"
    r"|(?P<num>\d+(?:\.\d+)*)\.?\s+(?=[^\W\d_])(?=[A-ZÀ-ÞĀ-ŽА-Я])"
    r"|[IVX]+\.\s+(?=[A-ZÀ-Þ]))"
)
MAX_HEADING_CHARS = 200


def _style_key(block: Block) -> tuple[float, bool]:
    return (round(block.size * 2) / 2, block.bold)


def _block_text(block: Block) -> str:
    return " ".join(ln.text for ln in block.lines)


def _looks_styled_heading(block: Block, body_size: float) -> bool:
    text = _block_text(block)
    if not any(c.isalpha() for c in text):
        return False
    if block.size >= body_size + 0.75:  # a title in large type may run over several lines
        return len(text) <= 2 * MAX_HEADING_CHARS and len(block.lines) <= 8
    return (
        block.bold
        and block.size >= body_size - 0.5
        and len(text) <= MAX_HEADING_CHARS
        and len(block.lines) <= 4
    )


def _looks_numbered_heading(block: Block) -> bool:
    text = _block_text(block)
    return (
        len(block.lines) == 1
        and len(text) <= 120
        and not text.endswith((".", ",", ";", ":"))
        and bool(_NUMBERED_HEADING.match(text))
    )


def assign_heading_levels(blocks_per_page: list[list[Block]], body_size: float) -> None:
    """Level 1 = largest heading style in the document; unstyled numbered headings go below."""
    styled = [
        b for blocks in blocks_per_page for b in blocks if _looks_styled_heading(b, body_size)
    ]
    keys = sorted({_style_key(b) for b in styled}, key=lambda k: (-k[0], not k[1]))
    rank = {k: i + 1 for i, k in enumerate(keys)}
    for blocks in blocks_per_page:
        for b in blocks:
            if _looks_styled_heading(b, body_size):
                b.level = min(rank[_style_key(b)], 6)
            elif _looks_numbered_heading(b):
                m = _NUMBERED_HEADING.match(_block_text(b))
                depth = m.group("num").count(".") + 1 if m and m.group("num") else 1
                b.level = min(len(keys) + depth, 6)


# --- document --------------------------------------------------------------------------


def body_font_size(pages: list[PageBoxes]) -> float:
    weights: Counter[float] = Counter()
    for p in pages:
        for s in p.spans:
            weights[round(s.size * 2) / 2] += len(s.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _carry_across_pages(
    blocks_per_page: list[list[Block]], vocab: set[str], lang: str | None
) -> None:
    """A word hyphenated across a page break is rejoined on the page where it starts."""
    for blocks, nxt in zip(blocks_per_page, blocks_per_page[1:], strict=False):
        if not blocks or not nxt:
            continue
        last, first = blocks[-1].lines[-1], nxt[0].lines[0]
        m = _LAST_WORD.search(last.text[-120:]) if last.text.endswith("-") else None
        if not m or hyphen_decision(m.group(1), first.text, vocab, lang) != JOIN:
            continue
        head, _, rest = first.text.partition(" ")
        last.text = last.text[:-1] + "\x00" + head  # \x00 marks the join, resolved in assembly
        if rest:
            first.text = rest
        else:
            nxt[0].lines.pop(0)
            if not nxt[0].lines:
                nxt.pop(0)


def layout_document(pages: list[PageBoxes], language: str | None = None) -> list[LaidOutPage]:
    """Clean text, furniture, headings and hyphen joins for every page of one document.

    ``language`` (ISO 639-1) picks the conjunctions that mark suspended hyphens; it is
    guessed from the text when not given.
    """
    body_size = body_font_size(pages)
    furniture = find_furniture(pages, body_size)
    blocks_per_page: list[list[Block]] = []
    raw_per_page: list[str] = []
    furniture_text: list[list[str]] = []
    for page, furn in zip(pages, furniture, strict=False):
        furn_ids = {id(s) for group in furn for s in group}
        body = [s for s in page.spans if id(s) not in furn_ids]
        lines = reading_order(body, page.width)
        blocks_per_page.append(split_blocks(lines))
        furn_raw = [(min(s.top for s in g), _join_spans(list(g))) for g in furn]
        head = [t for top, t in furn_raw if top < page.height / 2]
        foot = [t for top, t in furn_raw if top >= page.height / 2]
        raw_per_page.append("\n".join([*head, *(_engine_hyphens(ln.raw) for ln in lines), *foot]))
        furniture_text.append([_clean_line(t) for _, t in furn_raw])
    vocab = build_vocabulary(blocks_per_page)
    if language is None:
        sample = " ".join(
            ln.text for blocks in blocks_per_page for b in blocks for ln in b.lines[:3]
        )
        language = guess_language(sample[:20000])
    assign_heading_levels(blocks_per_page, body_size)
    _carry_across_pages(blocks_per_page, vocab, language)
    out = []
    for blocks, raw, furn_text in zip(blocks_per_page, raw_per_page, furniture_text, strict=False):
        parts: list[str] = []
        headings: list[Heading] = []
        joins: list[int] = []
        pos = 0
        for block in blocks:
            text, block_joins = join_lines([ln.text for ln in block.lines], vocab, language)
            if "\x00" in text:  # the cross-page join made in _carry_across_pages
                i = text.index("\x00")
                text = text[:i] + text[i + 1 :]
                block_joins = sorted([*(j - (j > i) for j in block_joins), i])
            if parts:
                pos += 2
            if block.level:
                headings.append(
                    Heading(start=pos, end=pos + len(text), level=block.level, text=text)
                )
            joins.extend(pos + j for j in block_joins)
            parts.append(text)
            pos += len(text)
        out.append(
            LaidOutPage(
                text="\n\n".join(parts),
                raw_text=raw,
                furniture=furn_text,
                headings=headings,
                hyphen_joins=joins,
            )
        )
    return out
