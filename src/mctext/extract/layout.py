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
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import accumulate
from operator import attrgetter
from typing import NamedTuple

from mctext import lang as langdata
from mctext.extract.normalize import normalize_text
from mctext.records import KIND_FOOTNOTE, KIND_TABLE_ROW, Heading, Region


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
    seq: int = -1  # place in the engine's character stream (-1: the engine gives none)
    spaced: bool = False  # the stream has a space right before this span (with seq)
    rotated: bool = False  # turned text (a vertical margin stamp), never part of a body line


class Rule(NamedTuple):
    """A ruling line drawn on the page (a table's cell border, a frame's side): a line
    segment or a thin rectangle, in the spans' coordinates (points, origin top-left)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class PageBoxes:
    """One page as an engine saw it (``rules``: its ruling lines, from the PDF's paths)."""

    width: float
    height: float
    spans: list[Span]
    rules: list[Rule] = field(default_factory=list)


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
    kind: str = ""  # "table_row" for a table row (cells joined with " | "), "footnote"


@dataclass
class Block:
    """A paragraph (or heading) as lines; ``level`` > 0 once it is judged a heading.

    ``kind`` is "" for running text, else the Region kind the block becomes ("table_row":
    a table, one row per line; "footnote")."""

    lines: list[Line]
    level: int = 0
    kind: str = ""

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
    regions: list[Region] = field(default_factory=list)


# --- lines -----------------------------------------------------------------------------

# pdfium reports a line-end hyphen as \x02; a soft hyphen at a line end is a hyphenation too.
_ENGINE_HYPHENS = str.maketrans({"\x02": "-"})


def _join_spans(spans: list[Span]) -> str:
    """Spans of one line, left to right; a space where the engine's stream has one, else
    where the boxes leave a gap."""
    spans.sort(key=_X0)
    parts: list[str] = []
    prev: Span | None = None
    for sp in spans:
        text = sp.text.strip()
        if not text:
            continue
        if prev is not None:
            gap = sp.x0 - prev.x1
            if (
                (sp.spaced and sp.seq == prev.seq + 1 and prev.seq >= 0)
                or gap > 0.12 * max(sp.size, prev.size, 1.0)
                or prev.text.endswith(" ")
            ):
                parts.append(" ")
        parts.append(text)
        prev = sp
    return "".join(parts)


MIN_SPACED_LETTERS = 4


def _letter_spaced(row: list[Span]) -> str | None:
    """A letter-spaced line ("N O T I C E  O F") as words, or None for an ordinary line.

    Letter-spacing makes every letter a word of its own (the engine puts a space after
    each). A line counts as letter-spaced when nearly all its words are single letters at
    a regular pitch; the words are then the runs of letters whose gaps are that pitch, and
    a clearly wider gap is a space. A line of ordinary words with a few one-letter words
    ("a b c") is left alone.
    """
    if len(row) < MIN_SPACED_LETTERS:
        return None
    stripped = [len(sp.text.strip()) for sp in row]
    letters = stripped.count(1)
    items_n = len(stripped) - stripped.count(0)
    if items_n < MIN_SPACED_LETTERS or letters < 0.8 * items_n or max(stripped) > 3:
        return None  # (decided before sorting: most lines are words, not letters)
    items = sorted((sp for sp in row if sp.text.strip()), key=_X0)
    gaps = [b.x0 - a.x1 for a, b in zip(items, items[1:], strict=False)]
    size = max(_dominant_size(items), 1.0)
    pitch = statistics.median(gaps)
    if not 0.1 * size <= pitch <= size:  # touching letters, or a row of one-letter table cells
        return None
    cut = max(1.6 * pitch, pitch + 0.2 * size)
    small = [g for g in gaps if g <= cut]
    if max(small) - min(small) > 0.5 * max(pitch, 0.2 * size):  # an irregular pitch: ordinary words
        return None
    parts = [items[0].text.strip()]
    for gap, sp in zip(gaps, items[1:], strict=True):
        parts.append((" " if gap > cut else "") + sp.text.strip())
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


_TOP_X0 = attrgetter("top", "x0")  # the sort keys of spans (faster than a lambda)
_X0 = attrgetter("x0")
_TOP = attrgetter("top")


def _line_rows(spans: list[Span]) -> list[list[Span]]:
    """``group_lines``' rows: each span, top down, joins the nearest row above that it
    overlaps by at least half the smaller height, else starts one."""
    rows: list[list[Span]] = []
    bounds: list[list[float]] = []
    # (min and max written out as the comparisons they make: the loop runs per span and row)
    for sp in sorted(spans, key=_TOP_X0):
        top, bottom = sp.top, sp.bottom
        h = bottom - top
        h = 0.1 if h < 0.1 else h  # max(h, 0.1)
        for row, b in zip(reversed(rows), reversed(bounds), strict=False):
            b0, b1 = b
            overlap = (bottom if bottom < b1 else b1) - (top if top > b0 else b0)
            if overlap >= 0.5 * (b1 - b0 if b1 - b0 < h else h):
                row.append(sp)
                b[0], b[1] = (top if top < b0 else b0), (bottom if bottom > b1 else b1)
                break
            if b1 < top - 2 * h:  # rows further up cannot overlap
                rows.append([sp])
                bounds.append([top, bottom])
                break
        else:
            rows.append([sp])
            bounds.append([top, bottom])
    return rows


def group_lines(spans: list[Span], column: int = 0) -> list[Line]:
    """Spans that overlap vertically by at least half the smaller height form one line."""
    rows = _line_rows(spans)
    lines = []
    raws = [_letter_spaced(row) or _join_spans(row) for row in rows]
    for row, raw, text in zip(rows, raws, clean_lines(raws), strict=True):
        if not text:
            continue
        first = row[0]
        x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
        chars = bold_chars = 0
        for s in row:  # one pass for the box and the bold share (same values as min/max/sum)
            x0, top = (s.x0 if s.x0 < x0 else x0), (s.top if s.top < top else top)
            x1, bottom = (s.x1 if s.x1 > x1 else x1), (s.bottom if s.bottom > bottom else bottom)
            n = len(s.text)
            chars += n
            if s.bold:
                bold_chars += n
        lines.append(
            Line(x0=x0, top=top, x1=x1, bottom=bottom, text=text, raw=raw, size=_dominant_size(row),
                 bold=bold_chars > 0.6 * chars, column=column)
        )
    lines.sort(key=_TOP)
    return lines


def _dominant_size(items: list[Span] | list[Line]) -> float:
    """The font size (to 0.5 pt) carrying most characters; the first seen wins a tie."""
    if items:  # most lines and rows are set in one size: no weighing
        first = items[0].size
        for it in items:
            if it.size != first:
                break
        else:
            return round(first * 2) / 2
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


def _margin_pieces(page: PageBoxes) -> list[tuple[str, list[Span], int]]:
    """Rows near the top/bottom edge, cut at wide horizontal gaps (left/centre/right parts).

    Returns (zone, spans, row) pieces; zone is "top" or "bottom", ``row`` numbers the
    margin row the piece was cut from.
    """
    rows = _rows(page.spans)
    pieces: list[tuple[str, list[Span], int]] = []
    top_limit = page.height * TOP_ZONE
    bottom_limit = page.height * (1 - BOTTOM_ZONE)
    for zone, candidates in (("top", rows[:MARGIN_ROWS]), ("bottom", rows[-MARGIN_ROWS:][::-1])):
        for number, row in enumerate(candidates):
            in_zone = row[0].bottom <= top_limit if zone == "top" else row[0].top >= bottom_limit
            if not in_zone:
                break
            row = sorted(row, key=_X0)
            cut: list[list[Span]] = [[row[0]]]
            for sp in row[1:]:
                if sp.x0 - cut[-1][-1].x1 > 2.0 * max(sp.size, 4.0):
                    cut.append([])
                cut[-1].append(sp)
            pieces.extend((zone, piece, number if zone == "top" else -1 - number) for piece in cut)
    return pieces


def _rows(spans: list[Span]) -> list[list[Span]]:
    """Full-width rows (ignoring columns), top to bottom."""
    rows: list[list[Span]] = []
    bottoms: list[float] = []
    for sp in sorted(spans, key=_TOP):
        mid = (sp.top + sp.bottom) / 2
        if rows and mid <= bottoms[-1] and mid >= rows[-1][0].top:
            rows[-1].append(sp)
            bottoms[-1] = max(bottoms[-1], sp.bottom)
        else:
            rows.append([sp])
            bottoms.append(sp.bottom)
    for row in rows:
        row.sort(key=_X0)
    return rows


def find_furniture(pages: list[PageBoxes], body_size: float = 0.0) -> list[list[list[Span]]]:
    """Per page, the span groups that are running headers/footers or page numbers.

    A margin piece is furniture when it is a page number that keeps step with the page
    index (so a list marker "4" at the foot of a page stays), or when its text (digits
    masked) recurs in the same margin on at least 30% of the pages (and two pages).
    A one-page document has no repetition across pages to go by: there a page number is
    furniture at the foot, or at the top alone on its row (a number in a table's first row
    stays), with the small-type text beside it on its row ("Regeringskansliet  Page 1"); so
    is a header (small type, set apart, at the top). A caption at the foot such as
    "Figure 7-26. Self-locking nuts." stays.
    """
    per_page = [
        [(zone, spans, row, _clean_line(_join_spans(list(spans)))) for zone, spans, row in _margin_pieces(p)]
        for p in pages
    ]
    keys: Counter[tuple[str, str]] = Counter()
    offsets: Counter[int] = Counter()
    for number, pieces in enumerate(per_page, start=1):
        keys.update({(zone, _DIGITS.sub("#", text.lower())) for zone, _, _, text in pieces})
        offsets.update(
            {v - number for _, _, _, t in pieces if is_page_number(t) for v in _first_number(t)}
        )
    offset = offsets.most_common(1)[0][0] if offsets else None
    min_count = max(2, int(0.3 * len(pages) + 0.999))
    result: list[list[list[Span]]] = []
    for number, (page, pieces) in enumerate(zip(pages, per_page, strict=True), start=1):
        found = []
        used = set()  # a title under a header that repeats it is body text
        per_row = Counter(row for _, _, row, _ in pieces)
        numbered_rows = set()
        for zone, spans, row, text in pieces:
            key = (zone, _DIGITS.sub("#", text.lower()))
            if key in used:
                continue
            used.add(key)
            if is_page_number(text):
                values = _first_number(text)
                if len(pages) == 1:
                    keeps_step = zone == "bottom" or per_row[row] == 1
                else:
                    keeps_step = not values or values[0] - number == offset
                if keeps_step:
                    found.append(spans)
                    numbered_rows.add(row)
            elif keys[key] >= min_count or (len(pages) == 1 and _running_header(page, spans, zone, body_size)):
                found.append(spans)
        if len(pages) == 1 and numbered_rows:  # the footer text beside a one-page document's number
            found.extend(
                spans for _, spans, row, _ in pieces
                if row in numbered_rows and not any(spans is f for f in found)
                and body_size and _dominant_size(spans) < body_size - 0.25
            )
        result.append(found)
    return result


def _first_number(text: str) -> list[int]:
    m = _DIGITS.search(text)
    return [int(m.group())] if m else []


def _running_header(page: PageBoxes, spans: list[Span], zone: str, body_size: float) -> bool:
    """A one-page document's header: a top-margin line in smaller type than the body, set
    apart from it by a gap. (At the foot, small type set apart is a caption or a note: it
    stays.)"""
    if zone != "top":
        return False
    size = _dominant_size(spans)
    if not body_size or size >= body_size - 0.25:
        return False
    top, bottom = min(s.top for s in spans), max(s.bottom for s in spans)
    own = {id(s) for s in spans}
    below = [s.top for s in page.spans if id(s) not in own and s.top >= bottom]
    return not below or min(below) - bottom > 1.5 * (bottom - top)


# Turned text (a vertical margin stamp such as arXiv's) crosses every body line beside it;
# grouped into lines it would merge them all. It goes to furniture when it is a small part
# of the page (on a page set mostly in turned text it is the body, and stays).
MAX_TURNED_SHARE = 0.3


def is_turned(sp: Span) -> bool:
    """Turned by the engine's account, or a box far taller than wide (engines that give no angle)."""
    height, width = sp.bottom - sp.top, sp.x1 - sp.x0
    return sp.rotated or (len(sp.text) >= 2 and height > 3 * max(width, 0.1) and height > 3 * max(sp.size, 1.0))


def _take_turned(page: PageBoxes) -> list[list[Span]]:
    """Remove the page's turned spans (when a minority) and return them as groups: one per run."""
    turned = [s for s in page.spans if is_turned(s)]
    if not turned or sum(len(s.text) for s in turned) > MAX_TURNED_SHARE * sum(len(s.text) for s in page.spans):
        return []
    ids = {id(s) for s in turned}
    page.spans = [s for s in page.spans if id(s) not in ids]
    groups: list[list[Span]] = []
    for sp in sorted(turned, key=lambda s: (s.seq, s.x0, s.top)):
        if groups and sp.seq >= 0 and sp.seq == groups[-1][-1].seq + 1:
            groups[-1].append(sp)
        else:
            groups.append([sp])
    for g in groups:
        for sp in g:
            sp.rotated = True
    return groups


def _split_turned(page: PageBoxes, groups: list[list[Span]]) -> tuple[list[list[Span]], list[list[Span]]]:
    """(groups in the page margin: furniture, groups within the body's width: text)."""
    if not groups or not page.spans:
        return groups, []
    left, right = min(s.x0 for s in page.spans), max(s.x1 for s in page.spans)
    margin, within = [], []
    for g in groups:
        mid = (min(s.x0 for s in g) + max(s.x1 for s in g)) / 2
        (within if left + 2 < mid < right - 2 else margin).append(g)
    return margin, within


def _turned_line(group: list[Span]) -> Line:
    raw = _join_turned(group)
    return Line(min(s.x0 for s in group), min(s.top for s in group), max(s.x1 for s in group),
                max(s.bottom for s in group), _clean_line(raw), raw, _dominant_size(group), False, -1)


def _join_turned(group: list[Span]) -> str:
    return " ".join(s.text.strip() for s in group if s.text.strip())


# --- tables ----------------------------------------------------------------------------

CELL_GAP = 1.2  # x font size: a wider gap between words on a row parts two cells
MIN_TABLE_ROWS = 3
MAX_CELL_SHARE = 0.6  # a cell wider than this share of the text width is prose, not a cell
_MARKER_CELL = re.compile(rf"^(?:[{re.escape('•▪●◦‣∙·■□➢►–-')}]|\(?\w{{1,3}}[.)])$")


@dataclass
class Table:
    """A table found on a page: its spans and its rows of cells (cell texts, left to right)."""

    spans: list[Span]
    rows: list[list[str]]
    top: float
    bottom: float


def _cells(row: list[Span]) -> list[list[Span]]:
    cells: list[list[Span]] = []
    for sp in row:  # row is sorted by x0
        if cells and sp.x0 - cells[-1][-1].x1 <= CELL_GAP * max(sp.size, cells[-1][-1].size, 1.0):
            cells[-1].append(sp)
        else:
            cells.append([sp])
    return cells


def _separators(rows: list[list[Span]], size: float) -> list[float]:
    """x positions of the vertical strips that no span of these rows crosses (column gaps)."""
    spans = [s for row in rows for s in row]
    left, right = min(s.x0 for s in spans), max(s.x1 for s in spans)
    edges = sorted((s.x0, s.x1) for s in spans)
    cuts = []
    reach = edges[0][1]
    for x0, x1 in edges[1:]:
        if x0 - reach >= CELL_GAP * size:
            cuts.append((reach + x0) / 2)
        reach = max(reach, x1)
    return [c for c in cuts if left < c < right]


def find_tables(spans: list[Span], width: float) -> list[Table]:
    """Tables as runs of rows whose cells line up in columns (the text strategy of
    pdfplumber's table finder, on the engine's word boxes).

    A run of at least three rows, each with two or more cells, whose cells fall into two or
    more columns separated by strips no word crosses. Prose is told apart by its cells: a
    cell wider than ``MAX_CELL_SHARE`` of the text width ends a run (two columns of running
    text are no table), a first column of list markers is a list, and two columns are a
    table only when one of them holds short cells (labels, numbers). A row with an empty
    first cell continues the row above (a cell of two lines).
    """
    if len(spans) < 6:
        return []
    text_width = max(s.x1 for s in spans) - min(s.x0 for s in spans)
    rows = _rows(spans)
    tables: list[Table] = []
    run: list[list[Span]] = []

    counts: list[int] = []  # the run's rows' numbers of cells

    def close() -> None:
        table = _as_table(run, text_width, counts)
        if table:
            tables.append(table)
        run.clear()
        counts.clear()

    cells_of = [_cells(row) for row in rows]
    if not _enough_cell_rows(cells_of):
        return []
    for row, cells in zip(rows, cells_of, strict=True):
        wide = any(c[-1].x1 - c[0].x0 > MAX_CELL_SHARE * text_width for c in cells)
        size = max(_dominant_size(row), 1.0)
        near = run and row[0].top - max(s.bottom for s in run[-1]) <= 2.0 * size
        if wide or (len(cells) < 2 and not (near and run)):
            close()
            continue
        if run and not near:
            close()
        run.append(row)
        counts.append(len(cells))
    close()
    return tables


def _enough_cell_rows(cells_of: list[list[list[Span]]]) -> bool:
    """A page can hold a table (``MIN_TABLE_ROWS`` rows of two cells or more); most pages of
    prose cannot, and then no run of rows is tried."""
    return sum(1 for cells in cells_of if len(cells) >= 2) >= MIN_TABLE_ROWS


def _as_table(run: list[list[Span]], text_width: float, counts: list[int]) -> Table | None:
    """``counts``: the number of ``_cells`` of each row of the run."""
    if len(run) < MIN_TABLE_ROWS:  # (most runs: a row or two of prose beside a gap)
        return None
    multi = sum(1 for n in counts if n >= 2)
    keep = len(run)
    while keep and counts[keep - 1] < 2:  # a trailing one-cell row is the prose after the table
        keep -= 1
    run = run[:keep]
    if multi < MIN_TABLE_ROWS:
        return None
    size = max(_dominant_size([s for row in run for s in row]), 1.0)
    cuts = _separators(run, size)
    if not cuts:
        return None
    ncols = len(cuts) + 1
    grid: list[list[list[Span]]] = []
    for row in run:
        cells: list[list[Span]] = [[] for _ in range(ncols)]
        for sp in row:  # the cuts are in increasing order: the cell is the number of cuts left of the centre
            cells[bisect_left(cuts, (sp.x0 + sp.x1) / 2)].append(sp)
        if grid and not cells[0]:  # a continuation line of a cell above
            for have, more in zip(grid[-1], cells, strict=True):
                have.extend(more)
        else:
            grid.append(cells)
    filled = [sum(1 for c in cells if c) for cells in grid]
    if sum(1 for f in filled if f >= 2) < MIN_TABLE_ROWS:
        return None
    columns = [[c for c in (cells[j] for cells in grid) if c] for j in range(ncols)]
    if all(_MARKER_CELL.match(_join_spans(list(c))) for c in columns[0]):
        return None  # bullets or list numbers beside their items: a list
    prose = sum(1 for col in columns if _prose_column(col))
    if prose and (ncols == 2 or prose > ncols / 2):
        return None  # columns of running text (a two-column page), not a table
    rows = [[_join_spans(sorted(c, key=_TOP_X0)) if c else "" for c in cells] for cells in grid]
    spans = [s for row in run for s in row]
    return Table(spans, rows, min(s.top for s in spans), max(s.bottom for s in spans))


def _prose_column(cells: list[list[Span]]) -> bool:
    """Wrapped running text: lines of several words whose sentences run on into the next
    line (no final stop before a lower-case start, or a line-end hyphen)."""
    texts = [_join_spans(sorted(c, key=_TOP_X0)) for c in cells]
    if len(texts) < 3 or statistics.median(len(t.split()) for t in texts) < 3:
        return False
    wraps = sum(
        1
        for a, b in zip(texts, texts[1:], strict=False)
        if a.endswith(("-", "\x02")) or (not _SENTENCE_END.search(a) and b[:1].islower())
    )
    return wraps >= 0.15 * (len(texts) - 1)  # a table cell of several lines is one cell: no wraps


def table_lines(table: Table) -> list[Line]:
    """One Line per table row, its cells joined with " | " (empty cells kept as empty)."""
    raws = [" | ".join(cell.strip() for cell in row) for row in table.rows]
    out = []
    spans = table.spans
    x0, x1 = min(s.x0 for s in spans), max(s.x1 for s in spans)
    size = _dominant_size(spans)
    step = (table.bottom - table.top) / max(len(raws), 1)
    for i, (raw, text) in enumerate(zip(raws, clean_lines(raws), strict=True)):
        top = table.top + i * step
        out.append(Line(x0, top, x1, top + step, text, raw, size, False, -1, KIND_TABLE_ROW))
    return out


# --- ruled tables ----------------------------------------------------------------------

RULE_SNAP = 3.0  # points: rulings this close are one line (a double rule, a border drawn twice)
# points: a path this thin in one direction is a line (pdf.page_rules reads it as one rule);
# a rule thicker than this in both directions is a shape, not a line (here)
RULE_THICKNESS = 2.0
MAX_RULE_PAIRS = 250_000  # horizontal x vertical rulings compared at most (a hatched drawing is no table)


@dataclass
class _Ruling:
    """A merged ruling line: ``at`` its y (horizontal) or x (vertical), from ``a`` to ``b``."""

    at: float
    a: float
    b: float

    def covers(self, a: float, b: float) -> bool:
        return self.a <= a + RULE_SNAP and self.b >= b - RULE_SNAP


def _merge_rulings(lines: list[_Ruling]) -> list[_Ruling]:
    """Collinear rulings that touch or overlap as one (a border drawn cell by cell)."""
    out: list[_Ruling] = []
    for ln in sorted(lines, key=lambda r: r.at):
        if out and ln.at - out[-1].at <= RULE_SNAP:  # the same line drawn twice, or a double rule
            ln.at = out[-1].at
        out.append(ln)
    merged: list[_Ruling] = []
    for ln in sorted(out, key=lambda r: (r.at, r.a)):
        last = merged[-1] if merged else None
        if last is not None and last.at == ln.at and ln.a <= last.b + RULE_SNAP:
            last.b = max(last.b, ln.b)
        else:
            merged.append(_Ruling(ln.at, ln.a, ln.b))
    return merged


def _ruling_lines(rules: list[Rule]) -> tuple[list[_Ruling], list[_Ruling]]:
    """(horizontal, vertical) rulings, merged."""
    hs, vs = [], []
    for r in rules:
        w, h = r.x1 - r.x0, r.bottom - r.top
        if h <= RULE_THICKNESS and w > h:
            hs.append(_Ruling((r.top + r.bottom) / 2, r.x0, r.x1))
        elif w <= RULE_THICKNESS and h > w:
            vs.append(_Ruling((r.x0 + r.x1) / 2, r.top, r.bottom))
    return _merge_rulings(hs), _merge_rulings(vs)


def _find(parent: list[int], i: int) -> int:
    """The root of ``i`` in a union-find forest (path halving on the way)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _ruled_grids(rules: list[Rule]) -> list[tuple[list[_Ruling], list[_Ruling]]]:
    """The sets of rulings that cross or touch one another (one per table, frame or box)."""
    hs, vs = _ruling_lines(rules)
    if len(hs) < 2 or len(vs) < 2 or len(hs) * len(vs) > MAX_RULE_PAIRS:
        return []
    parent = list(range(len(hs) + len(vs)))

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if v.a - RULE_SNAP <= h.at <= v.b + RULE_SNAP and h.a - RULE_SNAP <= v.at <= h.b + RULE_SNAP:
                parent[_find(parent, i)] = _find(parent, len(hs) + j)
    groups: dict[int, tuple[list[_Ruling], list[_Ruling]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(_find(parent, i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(_find(parent, len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


@dataclass
class _Cell:
    """A cell of a ruled grid: rows ``r0``..``r1`` and columns ``c0``..``c1`` of the grid (inclusive)."""

    r0: int
    c0: int
    r1: int
    c1: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom
    spans: list[Span] = field(default_factory=list)


@dataclass
class _Grid:
    """The ruled cells of one set of rulings; ``xs``/``ys`` the ruling positions (the grid's
    column and row borders), ``at`` the cell over each grid square (row, column)."""

    cells: list[_Cell]
    xs: list[float]
    ys: list[float]
    at: dict[tuple[int, int], _Cell]

    def cell(self, x: float, y: float) -> _Cell | None:
        """The cell a point lies in (a border belongs to the cell on either side)."""
        xs, ys = self.xs, self.ys
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            return None
        c = min(bisect_right(xs, x) - 1, len(xs) - 2)
        r = min(bisect_right(ys, y) - 1, len(ys) - 2)
        return self.at.get((r, c))


def _grid_cells(hs: list[_Ruling], vs: list[_Ruling]) -> _Grid:
    """The cells of one set of rulings.

    The grid's rows and columns lie between the distinct ruling positions; neighbouring
    grid squares with no ruling between them are one cell (a merged cell). A cell counts
    only when it is a rectangle ruled all round (the region round a table inside a frame,
    or a strip left open, is none).
    """
    ys = sorted({h.at for h in hs})
    xs = sorted({v.at for v in vs})
    nr, nc = len(ys) - 1, len(xs) - 1
    by_y: dict[float, list[_Ruling]] = {}
    by_x: dict[float, list[_Ruling]] = {}
    for h in hs:
        by_y.setdefault(h.at, []).append(h)
    for v in vs:
        by_x.setdefault(v.at, []).append(v)

    def wall(c: int, r: int) -> bool:  # a ruling at xs[c] from ys[r] to ys[r + 1]
        return any(v.covers(ys[r], ys[r + 1]) for v in by_x[xs[c]])

    def floor(r: int, c: int) -> bool:  # a ruling at ys[r] from xs[c] to xs[c + 1]
        return any(h.covers(xs[c], xs[c + 1]) for h in by_y[ys[r]])

    parent = list(range(nr * nc))

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not wall(c + 1, r):
                parent[_find(parent, r * nc + c)] = _find(parent, r * nc + c + 1)
            if r + 1 < nr and not floor(r + 1, c):
                parent[_find(parent, r * nc + c)] = _find(parent, (r + 1) * nc + c)
    regions: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            regions.setdefault(_find(parent, r * nc + c), []).append((r, c))
    cells = []
    for squares in regions.values():
        r0, r1 = min(r for r, _ in squares), max(r for r, _ in squares)
        c0, c1 = min(c for _, c in squares), max(c for _, c in squares)
        if len(squares) != (r1 - r0 + 1) * (c1 - c0 + 1):
            continue  # not a rectangle
        ruled = (
            all(wall(c0, r) and wall(c1 + 1, r) for r in range(r0, r1 + 1))
            and all(floor(r0, c) and floor(r1 + 1, c) for c in range(c0, c1 + 1))
        )
        if ruled:
            cells.append(_Cell(r0, c0, r1, c1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    at = {(r, c): cell for cell in cells for r in range(cell.r0, cell.r1 + 1) for c in range(cell.c0, cell.c1 + 1)}
    return _Grid(cells, xs, ys, at)


def _split_span(sp: Span, x: float) -> list[Span]:
    """A span that runs across a cell border (the engine joined two cells' words) cut at the
    word space nearest the border; the span itself when it has no space to cut at."""
    text = sp.text
    at = round(len(text) * (x - sp.x0) / max(sp.x1 - sp.x0, 0.1))
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return [sp]
    cut = min(spaces, key=lambda i: abs(i - at))
    x_cut = sp.x0 + (sp.x1 - sp.x0) * cut / len(text)
    left, right = text[:cut].rstrip(), text[cut + 1 :].lstrip()
    if not left or not right:
        return [sp]
    return [replace(sp, x1=x_cut, text=left), replace(sp, x0=x_cut, text=right, spaced=True)]


def _cell_text(lines: list[Line]) -> str:
    """A cell's lines in reading order, joined (a cell of two lines is one cell)."""
    return join_lines([ln.text for ln in lines], set())[0] if lines else ""


def _lines_run_on(texts: list[str]) -> bool:
    """Most of these lines go on in the next (a comma or hyphen at the end, or no final
    stop before a lower-case start): wrapped text or a list, not rows stacked in a cell."""
    pairs = list(zip(texts, texts[1:], strict=False))
    goes_on = sum(
        1 for a, b in pairs
        if a.endswith((",", "-", "\x02")) or (not _SENTENCE_END.search(a) and b[:1].islower())
    )
    return bool(pairs) and goes_on >= 0.5 * len(pairs)


def _paragraph(lines: list[Line]) -> bool:
    """Running text of several lines (a panel of prose, not a table cell's label or list)."""
    texts = [ln.text for ln in lines]
    return len(texts) >= 3 and statistics.median(len(t.split()) for t in texts) >= 4 and _lines_run_on(texts)


def _not_a_table(cells: list[_Cell], lines: dict[int, list[Line]]) -> bool:
    """The rulings of a grid do not delimit a table's cells:

    - fewer than two rows hold two filled cells (boxes round single values, a framed
      paragraph beside a box);
    - every filled cell holds three lines or more, paragraphs among them (panels of text
      set in boxes, framed paragraphs side by side: a table has short cells, a header or
      labels, beside its wrapped ones);
    - the rows are not ruled: neighbouring cells hold three or more lines that line up one
      for one and are no wrapped text (a table with rules only under its header and
      between column groups, whose body rows sit stacked in one ruled band).
    """
    filled = [c for c in cells if lines[id(c)]]
    per_row = Counter(c.r0 for c in filled)
    if sum(1 for n in per_row.values() if n >= 2) < 2:
        return True
    if all(len(lines[id(c)]) >= 3 for c in filled) and any(_paragraph(lines[id(c)]) for c in filled):
        return True
    for r in per_row:
        row = sorted((c for c in filled if c.r0 == r), key=lambda c: c.c0)
        for a, b in zip(row, row[1:], strict=False):
            la, lb = lines[id(a)], lines[id(b)]
            if min(len(la), len(lb)) < 3 or _lines_run_on([ln.text for ln in la]) or _lines_run_on([ln.text for ln in lb]):
                continue
            level = sum(1 for x in la if any(abs(x.top - y.top) <= 2.0 for y in lb))
            if level >= 3 and level >= 0.8 * min(len(la), len(lb)):
                return True
    return False


def find_ruled_tables(spans: list[Span], rules: list[Rule]) -> list[Table]:
    """Tables drawn with rulings: grids of at least two rows and two columns of cells
    bounded by rules, each row with its cells left to right.

    Spans go to the cell their box's centre falls in (a span across a cell border is cut
    there first); a cell's text is its lines in reading order, so a two-line cell is one
    cell. A cell spread over several grid rows gives its text in its first row and an
    empty cell below. Boxes round a paragraph (a framed cell, a text box, a page border)
    are one cell and no table; nor is a grid with fewer than two rows of two filled cells
    (a chart's grid lines, boxes round single values), nor one whose rulings do not mark
    its rows or cells (``_not_a_table``).
    """
    tables: list[Table] = []
    taken: set[int] = set()
    for hs, vs in _ruled_grids(rules):
        grid = _grid_cells(hs, vs)
        cells, inner = grid.cells, grid.xs[1:-1]
        if len({c.r0 for c in cells}) < 2 or len({c.c0 for c in cells}) < 2:
            continue
        used: list[Span] = []
        for sp in spans:
            cell = grid.cell((sp.x0 + sp.x1) / 2, (sp.top + sp.bottom) / 2)
            if cell is None or id(sp) in taken:
                continue
            used.append(sp)
            pieces = [sp]
            for x in inner:
                if cell.box[0] < x < cell.box[2]:
                    continue  # a merged cell's inner column border is no border
                if sp.x0 + 1 < x < sp.x1 - 1:
                    pieces = [q for p in pieces for q in (_split_span(p, x) if p.x0 < x < p.x1 else [p])]
            for p in pieces:
                (grid.cell((p.x0 + p.x1) / 2, (p.top + p.bottom) / 2) or cell).spans.append(p)
        lines = {id(c): group_lines(list(c.spans)) if c.spans else [] for c in cells}
        if _not_a_table(cells, lines):
            continue
        taken.update(id(sp) for sp in used)
        nrows = max(c.r1 for c in cells) + 1
        rows = []
        for r in range(nrows):
            here = sorted((c for c in cells if c.r0 <= r <= c.r1), key=lambda c: c.c0)
            texts = [_cell_text(lines[id(c)]) if c.r0 == r else "" for c in here]
            if any(texts):
                rows.append(texts)
        tops = [c.box[1] for c in cells]
        bottoms = [c.box[3] for c in cells]
        tables.append(Table(used, rows, min(tops), max(bottoms)))
    return tables


def _outside(spans: list[Span], tables: list[Table]) -> list[Span]:
    """The spans outside every table's area (a ruled table's area is not read again for
    aligned text, also where a span of it fell in no cell)."""
    boxes = [(min(s.x0 for s in t.spans), t.top, max(s.x1 for s in t.spans), t.bottom) for t in tables]
    return [
        s for s in spans
        if not any(x0 <= (s.x0 + s.x1) / 2 <= x1 and top <= (s.top + s.bottom) / 2 <= bottom
                   for x0, top, x1, bottom in boxes)
    ]


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
    allowed = max(1, _line_count(spans) // 6)  # lines across the gutter (a title, a wide table)
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
                lhs = [s for s in spans if s.x1 <= g0 + 1]
                rhs = [s for s in spans if s.x0 >= g1 - 1]
                # a column has lines: word gaps that happen to align on a sparse page are no gutter
                if min(len(lhs), len(rhs)) >= max(3, 0.05 * len(spans)) and min(
                    _line_count(lhs), _line_count(rhs)
                ) >= MIN_COLUMN_LINES:
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


MIN_COLUMN_LINES = 3


def _line_count(spans: list[Span]) -> int:
    return len({round((s.top + s.bottom) / 4) for s in spans})  # to 2 pt


def _emptiest_stretch(cover: list[int], start: int, end: int) -> tuple[int, int]:
    """Longest run inside [start, end) at (about) the lowest coverage (a short column is not
    a gutter; full-width lines crossing a real gutter at slightly different places are)."""
    low = min(cover[start:end]) + 2
    best, run_start = (start, start), None
    for i in range(start, end + 1):
        if i < end and cover[i] <= low:
            run_start = i if run_start is None else run_start
        elif run_start is not None:
            if i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    return best


def reading_order(spans: list[Span], width: float, fixed: list[Line] | None = None) -> list[Line]:
    """Lines column by column; lines that cross a gutter cut the page into bands.

    ``fixed`` lines (table rows) are placed by their position and cut the page like a
    line across the gutter (a table's column gap is not a page gutter: its spans are not
    in ``spans``)."""
    fixed = fixed or []
    gutters = find_gutters(spans, width)
    if not gutters:
        return sorted([*group_lines(spans), *fixed], key=_TOP)
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
    wide_lines = sorted([*group_lines(wide, column=-1), *fixed], key=_TOP)
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
    blocks = [Block([lines[0]], kind=lines[0].kind)]
    for prev, ln in zip(lines, lines[1:], strict=False):
        same_style = abs(prev.size - ln.size) < 0.6 and prev.bold == ln.bold
        if ln.kind or prev.kind:  # a table's rows stay together and apart from the prose
            cont = ln.kind == prev.kind and ln.top - prev.bottom <= 2.0 * max(ln.size, 1.0)
        elif ln.column != prev.column or ln.top < prev.top:
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
            blocks.append(Block([ln], kind=ln.kind))
    return blocks


# --- footnotes -------------------------------------------------------------------------

_NOTE_MARKER = re.compile(r"^(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹]+|\(\d{1,3}\)|\[\d{1,3}\])\s?\S")
FOOTNOTE_ZONE = 0.45  # notes start in the lower part of the page
FOOTNOTE_SMALLER = 0.9  # pt: notes are set smaller than the body


def mark_footnotes(blocks: list[Block], body_size: float, page_height: float) -> list[Block]:
    """Notes at the foot of a page (or of a column) get ``kind`` footnote and go after the body.

    A note is a block in smaller type than the body, in the lower part of the page, that
    starts with a note marker ("1 ", "*", "(2)") or follows a note, with no body-size
    text after it in its column. Each note stays whole (its lines are one block, however
    they break) and apart from the running text, so a sentence that goes on in the next
    column is not cut by the notes between.
    """
    if not body_size:
        return blocks
    notes: set[int] = set()
    by_column: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        by_column.setdefault(b.lines[0].column, []).append(i)
    for idx in by_column.values():
        run: list[int] = []
        for i in reversed(idx):  # from the foot up
            b = blocks[i]
            if b.kind or b.size > body_size - FOOTNOTE_SMALLER or b.lines[0].top < (1 - FOOTNOTE_ZONE) * page_height:
                break
            run.append(i)
        # the topmost note of the run must open with a marker; unmarked blocks above it are not notes
        while run and not _NOTE_MARKER.match(blocks[run[-1]].lines[0].text):
            run.pop()
        notes.update(run)
    if not notes:
        return blocks
    split: list[Block] = []
    for i in sorted(notes):
        for ln in blocks[i].lines:  # a note opens where a marker follows a finished sentence
            if split and split[-1].lines and not (
                _NOTE_MARKER.match(ln.text) and _SENTENCE_END.search(split[-1].lines[-1].text.rstrip(")"))
            ):
                split[-1].lines.append(ln)
            else:
                split.append(Block([ln], kind=KIND_FOOTNOTE))
    return [b for i, b in enumerate(blocks) if i not in notes] + split


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
    counts = Counter(tokens)  # each distinct word looked up once, not every token per language
    scores = {lang: sum(counts[w] for w in stops if w in counts) for lang, stops in langdata.stopwords().items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 2 else None


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
# "Berufsaus-", "on-the-": the hyphenated word at a line's end. Possessive, and only from a word's
# start (the leftmost match always is one), so a search is one pass, not a retry from every
# character (the same matches as r"(\w+(?:-\w+)*)-$": tests/test_layout.py).
_LAST_WORD = re.compile(r"(?<!\w)(\w++(?:-\w++)*+)-$")
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
                vocab.update(map(str.lower, words))
                for w in words if "-" in ln.text else ():  # (the compounds: most lines have none)
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
    # the style first, the text only for a block styled like a heading (most blocks are not)
    if block.kind or len(block.lines) > 8:
        return False
    size = block.size
    large = size >= body_size + 0.75  # a title in large type may run over several lines
    if not large and not (len(block.lines) <= 4 and size >= body_size - 0.5 and block.bold):
        return False
    text = _block_text(block)
    if not any(c.isalpha() for c in text):
        return False
    return len(text) <= (2 * MAX_HEADING_CHARS if large else MAX_HEADING_CHARS)


def _looks_numbered_heading(block: Block) -> bool:
    text = _block_text(block)
    return (
        not block.kind
        and len(block.lines) == 1
        and len(text) <= 120
        and not text.endswith((".", ",", ";", ":"))
        and bool(_NUMBERED_HEADING.match(text))
    )


def _runs_on(block: Block, nxt: Block | None) -> bool:
    """The block's sentence goes on in the next block (on this page, the next column or the
    next page), or comes from the previous one: a bold lead-in, the last line of a column
    or the first of a page, not a heading. A heading does not end in a comma or a hyphen,
    nor stop mid-sentence before a lower-case word, nor start with one."""
    head = block.lines[0].text.lstrip("\"'“‘«(")
    if head[:1].islower():  # a heading opens with a capital or a number (a form's option, a run-on line do not)
        return True
    text = block.lines[-1].text.rstrip()
    if text.endswith((",", "-", "\x00")):
        return True
    if _SENTENCE_END.search(text) or nxt is None or nxt.kind:
        return False
    first = nxt.lines[0].text.lstrip("\"'“‘«(")
    return first[:1].islower()


def assign_heading_levels(blocks_per_page: list[list[Block]], body_size: float) -> None:
    """Level 1 = largest heading style in the document; unstyled numbered headings go below.

    A heading is judged from layout evidence (its type size, weight, numbering, standing
    on its own), never from where it falls: a block whose sentence runs on into the next
    block is text, even when a style change or a column or page end cut it off.
    """
    flat = [b for blocks in blocks_per_page for b in blocks if not b.kind]
    following = {id(b): nxt for b, nxt in zip(flat, [*flat[1:], None], strict=False)}

    def runs_on(b: Block) -> bool:
        return _runs_on(b, following.get(id(b)))

    def styled_heading(b: Block) -> bool:
        return _looks_styled_heading(b, body_size) and not runs_on(b)

    styled = [b for b in flat if styled_heading(b)]
    styled_ids = {id(b) for b in styled}  # judged once
    keys = sorted({_style_key(b) for b in styled}, key=lambda k: (-k[0], not k[1]))
    rank = {k: i + 1 for i, k in enumerate(keys)}
    for b in flat:
        if id(b) in styled_ids:
            b.level = min(rank[_style_key(b)], 6)
        elif _looks_numbered_heading(b) and not runs_on(b):
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
        body = [b for b in blocks if not b.kind]  # the page's notes come after its body
        if not body or not nxt or nxt[0].kind:
            continue
        last, first = body[-1].lines[-1], nxt[0].lines[0]
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
    stamps = [_take_turned(page) for page in pages]
    furniture = find_furniture(pages, body_size)
    inner: list[list[list[Span]]] = []  # turned text inside the body (a table's column head)
    for page, furn, turned in zip(pages, furniture, stamps, strict=True):
        margin, within = _split_turned(page, turned)
        furn.extend(margin)
        inner.append(within)
    blocks_per_page: list[list[Block]] = []
    raw_per_page: list[str] = []
    furniture_text: list[list[str]] = []
    for page, furn, turned, within in zip(pages, furniture, stamps, inner, strict=False):
        furn_ids = {id(s) for group in furn for s in group}
        body = [s for s in page.spans if id(s) not in furn_ids]
        page.spans.extend(s for group in turned for s in group)  # back, for the next reader of the page
        tables = find_ruled_tables(body, page.rules) if page.rules else []
        tables += find_tables(_outside(body, tables) if tables else body, page.width)
        in_table = {id(s) for t in tables for s in t.spans}
        body = [s for s in body if id(s) not in in_table]
        lines = reading_order(body, page.width, [ln for t in tables for ln in table_lines(t)])
        blocks = mark_footnotes(split_blocks(lines), body_size, page.height)
        at = next((i for i, b in enumerate(blocks) if b.kind == KIND_FOOTNOTE), len(blocks))
        blocks[at:at] = [Block([_turned_line(g)]) for g in within]  # own lines, after the body
        blocks_per_page.append(blocks)
        furn_raw = [(min(s.top for s in g), _join_turned(g) if g[0].rotated else _join_spans(list(g))) for g in furn]
        head = [t for top, t in furn_raw if top < page.height / 2]
        foot = [t for top, t in furn_raw if top >= page.height / 2]
        turned_raw = [_join_turned(g) for g in within]
        raw_per_page.append("\n".join([*head, *(_engine_hyphens(ln.raw) for ln in lines), *turned_raw, *foot]))
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
        regions: list[Region] = []
        pos = 0
        for block in blocks:
            if block.kind == KIND_TABLE_ROW:  # one line per row, each its own region
                pos += 2 if parts else 0
                at = pos
                for ln in block.lines:
                    regions.append(Region(at, at + len(ln.text), block.kind))
                    at += len(ln.text) + 1
                text = "\n".join(ln.text for ln in block.lines)
                parts.append(text)
                pos += len(text)
                continue
            text, block_joins = join_lines([ln.text for ln in block.lines], vocab, language)
            if "\x00" in text:  # the cross-page join made in _carry_across_pages
                i = text.index("\x00")
                text = text[:i] + text[i + 1 :]
                block_joins = sorted([*(j - (j > i) for j in block_joins), i])
            if parts:
                pos += 2
            if block.kind:  # a footnote: one region over the whole note
                regions.append(Region(pos, pos + len(text), block.kind))
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
                regions=regions,
            )
        )
    return out
