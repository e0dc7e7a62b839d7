"""Re-anchoring: re-attach stored annotations to new segment ids after re-extraction.

An annotation remembers the text it was about (its quote) and a few characters of page
text before and after it (prefix, suffix): the W3C TextQuoteSelector idea. When a
document is re-extracted and segment boundaries move, the quote is searched for in the
same document's new page text (exact, then with whitespace normalised, then fuzzy),
ambiguous hits are ranked by how well prefix and suffix match, and the annotation is
re-attached to the new segment that contains the quote. Quotes that are not found, or
that now straddle several segments (a split), are reported and keep their old id.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mctext.config import QUOTE_CONTEXT_CHARS as CONTEXT_CHARS
from mctext.segment import split_pages

FUZZY_MIN_RATIO = 0.85


def page_texts(segments: pd.DataFrame) -> dict[tuple[str, int], str]:
    """(doc_id, page) -> the page's text rebuilt from its segments at their offsets.

    Run outputs hold segments, not pages; gaps between segments (whitespace, furniture)
    become spaces, so offsets into the rebuilt text equal offsets into the real page.
    """
    pieces: dict[tuple[str, int], list[tuple[int, str]]] = {}
    page_end = segments["page_end"].fillna(segments["page"]) if "page_end" in segments else segments["page"]
    for doc_id, page, last, start, end, text in zip(segments["doc_id"].astype(str), segments["page"].astype(int),
                                                    page_end.astype(int), segments["start"].astype(int),
                                                    segments["end"].astype(int), segments["text"].astype(str),
                                                    strict=True):
        if last == page:
            pieces.setdefault((doc_id, page), []).append((start, text))
        else:  # a sentence across a page break: each page gets its piece
            first, second = split_pages(text, end)
            pieces.setdefault((doc_id, page), []).append((start, first))
            pieces.setdefault((doc_id, last), []).append((0, second))
    out: dict[tuple[str, int], str] = {}
    for key, group in pieces.items():
        parts: list[str] = []
        pos = 0
        for start, text in sorted(group):
            if start >= pos:
                parts.append(" " * (start - pos))
                parts.append(text)
            else:  # overlapping segments: keep what is new
                parts.append(text[pos - start:])
            pos = max(pos, start + len(text))
        out[key] = "".join(parts)
    return out


def quote_context(page_text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The prefix and suffix of a quote at [start, end) in its page text."""
    return page_text[max(0, start - width):start], page_text[end:end + width]


@dataclass
class Anchor:
    """Where a quote was found: a span in one page's text and how it was found."""

    doc_id: str
    page: int
    start: int
    end: int
    method: str  # exact | whitespace
    affix: float  # characters of prefix + suffix that matched around the hit


def _affix_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """Characters of prefix (ending at start) and suffix (from end) that match, ignoring spaces."""
    before = re.sub(r"\s+", "", text[max(0, start - 2 * CONTEXT_CHARS):start])
    after = re.sub(r"\s+", "", text[end:end + 2 * CONTEXT_CHARS])
    p, s = re.sub(r"\s+", "", prefix), re.sub(r"\s+", "", suffix)
    n_pre = next((i for i in range(min(len(p), len(before))) if p[-1 - i] != before[-1 - i]), min(len(p), len(before)))
    n_suf = next((i for i in range(min(len(s), len(after))) if s[i] != after[i]), min(len(s), len(after)))
    return n_pre + n_suf


def _ws_pattern(quote: str) -> re.Pattern[str]:
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def locate(quote: str, prefix: str, suffix: str, pages: dict[int, str], prefer_page: int | None) -> Anchor | None:
    """Find ``quote`` in one document's pages; None when it is not there (even fuzzily)."""
    if not quote.strip():
        return None
    for method, finder in (("exact", lambda t: [(m.start(), m.end()) for m in re.finditer(re.escape(quote), t)]),
                           ("whitespace", lambda t: [(m.start(), m.end()) for m in _ws_pattern(quote).finditer(t)])):
        hits = [(page, s, e) for page, text in pages.items() for s, e in finder(text)]
        if hits:
            page, s, e = max(hits, key=lambda h: (_affix_score(pages[h[0]], h[1], h[2], prefix, suffix),
                                                  h[0] == prefer_page, -h[0], -h[1]))
            return Anchor("", page, s, e, method, float(_affix_score(pages[page], s, e, prefix, suffix)))
    return None


def _fuzzy(quote: str, candidates: list[dict[str, Any]]) -> tuple[dict[str, Any], float] | None:
    """The new segment most similar to the quote, if similar enough (text edited by re-extraction)."""
    best: tuple[dict[str, Any], float] | None = None
    for cand in candidates:
        matcher = difflib.SequenceMatcher(None, quote, cand["text"], autojunk=False)
        if matcher.real_quick_ratio() < FUZZY_MIN_RATIO or matcher.quick_ratio() < FUZZY_MIN_RATIO:
            continue
        ratio = matcher.ratio()
        if ratio >= FUZZY_MIN_RATIO and (best is None or ratio > best[1]):
            best = (cand, ratio)
    return best


def _attach(new: dict[str, Any]) -> dict[str, Any]:
    """The mapping fields that point an old annotation at a new segment."""
    return {"new_id": str(new["id"]), "doc_id": str(new["doc_id"]), "page": int(new["page"]),
            "start": int(new["start"]), "end": int(new["end"]), "text": str(new["text"])}


@dataclass
class ReanchorReport:
    """What happened to each stored segment id: kept, moved, or not re-attached (with why)."""

    kept: list[str] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    unanchored: list[dict[str, Any]] = field(default_factory=list)
    mapping_file: Path | None = None


def reanchor(store_dir: Path, run_dir: Path) -> ReanchorReport:
    """Map every stored annotation whose segment id is gone from ``run_dir`` onto a new segment.

    Appends one mapping file to the store (moved and unanchored both, so the attempt is on
    record); stored annotations are never rewritten.
    """
    from mctext.annotate import store
    from mctext.annotate.select import load_run

    segments, _documents = load_run(run_dir)
    new_ids = set(segments["id"].astype(str))
    texts = page_texts(segments)
    by_doc_pages: dict[str, dict[int, str]] = defaultdict(dict)
    for (doc_id, page), text in texts.items():
        by_doc_pages[doc_id][page] = text
    seg_rows = segments[["id", "doc_id", "page", "start", "end", "text"]].to_dict("records")
    by_page: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in seg_rows:
        by_page[(str(row["doc_id"]), int(row["page"]))].append(row)
        by_doc[str(row["doc_id"])].append(row)

    report = ReanchorReport()
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for rec in store.current_annotations(store_dir):
        sid = rec["segment_id"]
        if sid in seen:
            continue
        seen.add(sid)
        if sid in new_ids:
            report.kept.append(sid)
            continue
        doc_id = str(rec.get("doc_id", ""))
        quote, prefix, suffix = rec["quote"], rec.get("prefix", ""), rec.get("suffix", "")
        # an annotation imported without provenance has no document: look in all of them
        docs = [doc_id] if doc_id in by_doc_pages else list(by_doc_pages)
        found = [(d, a) for d in docs
                 if (a := locate(quote, prefix, suffix, by_doc_pages[d], rec.get("page") if d == doc_id else None))]
        result: dict[str, Any] = {"old_id": sid, "doc_id": doc_id, "quote": quote, "run": str(run_dir),
                                  "timestamp": store.utc_now()}
        if found:
            doc_id, anchor = max(found, key=lambda f: (f[1].method == "exact", f[1].affix))
            covering = [r for r in by_page[(doc_id, anchor.page)]
                        if int(r["start"]) < anchor.end and int(r["start"]) + len(r["text"]) > anchor.start]
            if len(covering) == 1:
                result.update(_attach(covering[0]), method=anchor.method, score=1.0)
            else:
                result.update(new_id="", reason=f"quote now spans {len(covering)} segments (split); re-annotate them",
                              candidates=[str(r["id"]) for r in covering])
        else:
            fuzzy = _fuzzy(quote, [r for d in docs for r in by_doc.get(d, [])])
            if fuzzy is not None:
                result.update(_attach(fuzzy[0]), method="fuzzy", score=round(fuzzy[1], 3))
            else:
                gone = rec.get("doc_id") and rec["doc_id"] not in by_doc_pages
                result.update(new_id="", reason="document not in the new run; quote not found elsewhere" if gone
                              else "quote not found in the document")
        (report.moved if result["new_id"] else report.unanchored).append(result)
        rows.append(result)
    if rows:
        report.mapping_file = store.record_anchors(store_dir, rows)
    return report
