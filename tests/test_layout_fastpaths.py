"""The layout code's fast paths give what the plain versions give.

Speed work on extraction keeps every output identical (scripts/output_hashes.py checks
the corpora); these tests compare each shortcut with the simple code it replaced, on
generated inputs, so a shortcut that drifts fails here and not only on a corpus.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mctext import lang as langdata
from mctext.extract import layout
from mctext.extract.layout import (
    _LAST_WORD,
    MIN_SPACED_LETTERS,
    Block,
    Line,
    Span,
    _dominant_size,
    _letter_spaced,
    _line_rows,
    _looks_styled_heading,
    find_tables,
    guess_language,
)

# --- the plain versions -------------------------------------------------------------------

PLAIN_LAST_WORD = re.compile(r"(\w+(?:-\w+)*)-$")


def plain_dominant_size(items: list[Span]) -> float:
    weights: dict[float, int] = {}
    for it in items:
        size = round(it.size * 2) / 2
        weights[size] = weights.get(size, 0) + len(it.text)
    return max(weights, key=weights.__getitem__) if weights else 0.0


def plain_guess_language(text: str) -> str | None:
    tokens = [t.lower() for t in re.findall(r"[^\W\d_]+", text)]
    if len(tokens) < 5:
        return None
    scores = {lang: sum(t in stops for t in tokens) for lang, stops in langdata.stopwords().items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 2 else None


def plain_line_rows(spans: list[Span]) -> list[list[Span]]:
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
            if b[1] < sp.top - 2 * h:
                rows.append([sp])
                bounds.append([sp.top, sp.bottom])
                break
        else:
            rows.append([sp])
            bounds.append([sp.top, sp.bottom])
    return rows


def plain_letter_spaced_rejects(row: list[Span]) -> bool:
    """The old order: sort first, then the tests that reject an ordinary line."""
    if len(row) < MIN_SPACED_LETTERS:
        return True
    items = sorted((sp for sp in row if sp.text.strip()), key=lambda sp: sp.x0)
    letters = sum(1 for sp in items if len(sp.text.strip()) == 1)
    return len(items) < MIN_SPACED_LETTERS or letters < 0.8 * len(items) or any(len(sp.text.strip()) > 3 for sp in items)


def plain_styled_heading(block: Block, body_size: float) -> bool:
    text = " ".join(ln.text for ln in block.lines)
    if block.kind or not any(c.isalpha() for c in text):
        return False
    if block.size >= body_size + 0.75:
        return len(text) <= 2 * layout.MAX_HEADING_CHARS and len(block.lines) <= 8
    return block.bold and block.size >= body_size - 0.5 and len(text) <= layout.MAX_HEADING_CHARS and len(block.lines) <= 4


# --- generated inputs ---------------------------------------------------------------------

words = st.text(alphabet="ab-- _.1é\u0307İ\n", max_size=16)
sizes = st.sampled_from([8.0, 9.0, 9.2, 10.0, 10.24, 12.0, 14.5])
coords = st.floats(min_value=0, max_value=300, allow_nan=False).map(lambda v: round(v, 1))


SPAN_TEXTS = st.sampled_from(["a", "b", " ", "", "word", "ab", "x y"])


@st.composite
def spans(draw: st.DrawFn, texts: st.SearchStrategy[str] = SPAN_TEXTS) -> Span:
    x0, top = draw(coords), draw(coords)
    width = draw(st.floats(min_value=0, max_value=80, allow_nan=False))
    height = draw(st.floats(min_value=-1, max_value=20, allow_nan=False))
    return Span(x0, top, x0 + width, top + height, draw(texts), draw(sizes), draw(st.booleans()))


@given(st.text(alphabet="ab-- _.1é\u0307İ\n", max_size=20).map(lambda t: t + "-"))
def test_last_word_matches_as_the_plain_pattern(text: str) -> None:
    fast, plain = _LAST_WORD.search(text), PLAIN_LAST_WORD.search(text)
    assert (fast and (fast.span(), fast.group(1))) == (plain and (plain.span(), plain.group(1)))


@pytest.mark.parametrize("text", ["Berufsaus-", "the on-the-", "x--ab-", "a-b-c-", "-", "word -", "İstan-"])
def test_last_word_examples(text: str) -> None:
    fast, plain = _LAST_WORD.search(text), PLAIN_LAST_WORD.search(text)
    assert (fast and fast.group(1)) == (plain and plain.group(1))


@given(st.lists(spans(), max_size=8))
def test_dominant_size_as_weighed(items: list[Span]) -> None:
    assert _dominant_size(items) == plain_dominant_size(items)


def test_dominant_size_of_one_size_and_of_two() -> None:
    one = [Span(0, 0, 1, 1, "abc", 10.24), Span(0, 0, 1, 1, "d", 10.24)]
    two = [Span(0, 0, 1, 1, "a", 9.0), Span(0, 0, 1, 1, "bcd", 12.0)]
    assert _dominant_size(one) == plain_dominant_size(one) == 10.0
    assert _dominant_size(two) == plain_dominant_size(two) == 12.0


@given(st.lists(st.sampled_from(["der", "die", "the", "and", "de", "la", "og", "ja", "İ", "Über", "x1"]), max_size=40))
def test_guess_language_by_counts(tokens: list[str]) -> None:
    text = " ".join(tokens)
    assert guess_language(text) == plain_guess_language(text)


@settings(max_examples=300)
@given(st.lists(spans(), max_size=14))
def test_line_rows_as_with_min_and_max(items: list[Span]) -> None:
    assert [[id(s) for s in row] for row in _line_rows(items)] == [[id(s) for s in row] for row in plain_line_rows(items)]


@given(st.lists(spans(), max_size=10))
def test_letter_spacing_rejects_before_sorting_as_after(row: list[Span]) -> None:
    if plain_letter_spaced_rejects(row):
        assert _letter_spaced(row) is None


def test_letter_spaced_line_still_read() -> None:
    row = [Span(10 + 8 * i, 0, 14 + 8 * i, 10, ch, 10) for i, ch in enumerate("NOTICE")]
    assert _letter_spaced(row) == "NOTICE"


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    n = draw(st.integers(min_value=1, max_value=10))
    texts = draw(st.lists(st.sampled_from(["Title", "1.2", "a long line of running text " * 3, "", "-"]), min_size=n, max_size=n))
    size, bold = draw(sizes), draw(st.booleans())
    lines = [Line(0, i * 12.0, 100, i * 12.0 + 10, t, t, size, bold, 0) for i, t in enumerate(texts)]
    return Block(lines, kind=draw(st.sampled_from(["", "", "footnote"])))


@given(blocks(), sizes)
def test_styled_heading_as_plain(block: Block, body: float) -> None:
    assert _looks_styled_heading(block, body) == plain_styled_heading(block, body)


def _table_page(rows: int, cells: int) -> list[Span]:
    """``rows`` rows of ``cells`` short cells at fixed columns, then prose lines."""
    out = [Span(60 + 120 * c, 80 + 14 * r, 100 + 120 * c, 90 + 14 * r, f"v{r}{c}", 10) for r in range(rows) for c in range(cells)]
    out += [Span(60, 300 + 14 * i, 460, 310 + 14 * i, "prose of the page " * 4, 10) for i in range(8)]
    return out


@pytest.mark.parametrize(("rows", "cells"), [(2, 3), (3, 2), (3, 3), (5, 4), (0, 0)])
def test_find_tables_skips_pages_without_cell_rows_as_the_full_search(monkeypatch: pytest.MonkeyPatch, rows: int, cells: int) -> None:
    page = _table_page(rows, cells)
    fast = find_tables(page, 595)
    monkeypatch.setattr(layout, "_enough_cell_rows", lambda cells_of: True)
    full = find_tables(page, 595)
    assert [t.rows for t in fast] == [t.rows for t in full]
    assert bool(fast) == (rows >= 3)


@settings(max_examples=150)
@given(st.lists(spans(st.sampled_from(["a", "12", "word", "x y", "3.5"])), min_size=6, max_size=30))
def test_find_tables_shortcut_on_generated_pages(items: list[Span]) -> None:
    fast = [t.rows for t in find_tables(list(items), 595)]
    with pytest.MonkeyPatch.context() as m:
        m.setattr(layout, "_enough_cell_rows", lambda cells_of: True)
        full = [t.rows for t in find_tables(list(items), 595)]
    assert fast == full


def plain_collapse_whitespace(text: str) -> str:
    text = re.sub(r"[^\S\n]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@given(st.text(alphabet=" \n\t\r\xa0\u2003\u2009ab.", max_size=24))
def test_collapse_whitespace_skips_only_what_changes_nothing(text: str) -> None:
    from mctext.extract.normalize import collapse_whitespace

    assert collapse_whitespace(text) == plain_collapse_whitespace(text)


@given(st.lists(st.sampled_from(["Aus-", "bildung", "off-the-job", "Datenschutz-Grundverordnung", "öffentlich-rechtlich", "x"]), max_size=6))
def test_vocabulary_as_word_by_word(words: list[str]) -> None:
    from mctext.extract.layout import _WORD, build_vocabulary

    text = " ".join(words)
    block = Block([Line(0, 0, 100, 10, text, text, 10, False, 0)])
    plain: set[str] = set()
    for w in _WORD.findall(text)[: -1 if text[-2:-1].isalnum() and text.endswith("-") else None]:
        plain.add(w.lower())
        if "-" in w:
            parts = w.lower().split("-")
            plain.update("-".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1))
            plain.update(f"{p}-" for p, nxt in zip(parts, w.split("-")[1:], strict=False) if nxt[:1].islower())
    assert build_vocabulary([[block]]) == plain
