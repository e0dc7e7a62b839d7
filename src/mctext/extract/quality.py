"""Extraction quality against a rendered PDF's ``.truth.json`` (the benchmark's metrics).

Shared by ``benchmarks/bench_extract.py`` and the integration tests, so the numbers in
the issue and the thresholds in the tests are measured the same way.

A truth file lists the body ``blocks`` in reading order (type, text, page where the
block starts, ``marker`` for list items) and ``page_furniture`` (header/footer strings
drawn on each page).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from rapidfuzz.distance import Indel

_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_SPLIT = re.compile(r"([^\W\d_]+)-\s*([^\W\d_]+)", re.UNICODE)


def block_text(block: dict[str, Any]) -> str:
    """A block as drawn on the page: list items with their marker."""
    marker = block.get("marker")
    return f"{marker} {block['text']}" if marker else block["text"]


def truth_text(truth: dict[str, Any]) -> str:
    return "\n\n".join(block_text(b) for b in truth["blocks"])


def squash(text: str) -> str:
    """Whitespace-normalised text: one space between words."""
    return " ".join(text.split())


def similarity(ours: str, truth: str) -> float:
    """difflib-style ratio 2*M/T (M = longest common subsequence) on whitespace-normalised text."""
    return Indel.normalized_similarity(squash(ours), squash(truth))


def _count(needle: str, hay: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(squash(needle))}(?!\w)", hay))


def furniture_leaks(page_texts: list[str], truth: dict[str, Any]) -> list[list[str]]:
    """Per page, the header/footer strings that survive in our text of that page.

    A string counts as leaked when it occurs more often in our page text than in the
    truth blocks that can fall on that page (those starting on it, plus the block
    running over from the previous page), so a header that is also body text is fair.
    """
    blocks = truth["blocks"]
    leaks: list[list[str]] = []
    for entry in truth["page_furniture"]:
        number = entry["page"]
        if number > len(page_texts):
            leaks.append([])
            continue
        ours = squash(page_texts[number - 1])
        window = [block_text(b) for b in blocks if b["page"] == number]
        before = [b for b in blocks if b["page"] < number]
        if before:
            window.append(block_text(before[-1]))
        window_text = squash(" ".join(window))
        page_leaks = [
            f
            for f in entry.get("header", []) + entry.get("footer", [])
            if _count(f, ours) > _count(f, window_text)
        ]
        leaks.append(page_leaks)
    return leaks


def hyphenation_errors(ours: str, truth: str) -> dict[str, int]:
    """Truth words that come out split ("Ausbil- dung", "Ausbil-dung"), and real hyphens lost.

    ``split``: a hyphenated pair in our text whose halves make a truth word while the
    hyphenated form is not in the truth. ``lost``: a word of ours that is a truth
    compound with its hyphen removed ("elearning" for "e-learning").
    """
    truth_words = Counter(_WORDS.findall(truth))
    truth_plain = {w for w in truth_words if "-" not in w}
    truth_hyph = {w.replace("-", ""): w for w in truth_words if "-" in w}
    split = 0
    for m in _SPLIT.finditer(ours):
        a, b = m.group(1), m.group(2)
        if (a + b) in truth_plain and f"{a}-{b}" not in truth_words:
            split += 1
    lost = sum(
        1 for w in _WORDS.findall(ours) if "-" not in w and w in truth_hyph and w not in truth_plain
    )
    return {"split": split, "lost": lost}


# --- real PDFs: word-level scores against another tool's text ------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)
# A hyphenation left in the text: "Respon-\ndents", "improv- ing", pdfium's soft-hyphen marks.
_LINE_HYPHEN = re.compile(r"(\w)[-\ufffe\x02\u00ad]\s+(?=[^\W\d_])(\w)", re.UNICODE)


def words(text: str) -> list[str]:
    """Case-folded word tokens; a hyphenation left in the text is rejoined on every side
    first (a truth that keeps "Respon-\\ndents" or "improv- ing" and an extractor that writes
    "Respondents" agree, whichever tool's text it is; a suspended "Aus- und" is joined
    alike on every side)."""
    return [w.casefold() for w in _TOKEN.findall(_LINE_HYPHEN.sub(r"\1\2", text))]


def reading_order(ours: str, truth: str) -> float:
    """Longest common subsequence of words / truth words (100 = every truth word, in order)."""
    from rapidfuzz.distance import LCSseq

    gold = words(truth)
    return 100.0 * LCSseq.similarity(words(ours), gold) / len(gold) if gold else 100.0


def word_recall_precision(ours: str, truth: str) -> tuple[float, float]:
    """Bag-of-words recall and precision (100 = same words, order ignored)."""
    a, b = Counter(words(ours)), Counter(words(truth))
    common = sum((a & b).values())
    return (
        100.0 * common / max(sum(b.values()), 1),
        100.0 * common / max(sum(a.values()), 1),
    )


def unreadable_share(text: str) -> float:
    """Share of characters that carry no text: ``(cid:N)`` markers, private-use glyphs,
    U+FFFD and control codes (a marker counts as one character)."""
    if not text:
        return 0.0
    plain = CID_MARKER.sub("\x00", text)
    return len(UNREADABLE_CHAR.findall(plain)) / len(plain)


# (cid:N) is what pdfminer writes for a glyph its font maps to no character.
CID_MARKER = re.compile(r"\(cid:\d+\)")
UNREADABLE_CHAR = re.compile("[\ufffd\ue000-\uf8ff\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f]")
