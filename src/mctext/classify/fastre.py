"""Many small regexes, each run only when its leading literal occurs in the text.

Python's ``re`` gets no prefix optimisation from a big ``\\b(?:a|b|...)`` alternation
(each text position tries every branch), so the codebook's cues are split into their
top-level alternatives; each alternative is compiled alone and guarded by a cheap
substring test on the lowercased text (its leading literal, e.g. "micro" for
``\\bmicro[\\s-]?credential\\w*``). An alternative without such a literal always runs.
Matching semantics are unchanged: the test only skips regexes that cannot match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_META = set("\\[](){}?*+|.^$")


def split_alternatives(pattern: str) -> list[str]:
    """Top-level ``|`` branches of a regex (respecting groups, classes and escapes)."""
    out, depth, in_class, i, start = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return [p for p in out if p]


def literal_prefix(alt: str) -> str:
    """The lowercase literal every match of ``alt`` starts with ("" if none is certain)."""
    s = alt
    while True:
        if s.startswith("\\b"):
            s = s[2:]
        elif s.startswith("(?<!") or s.startswith("(?<="):
            depth, j = 0, 0
            while j < len(s):
                if s[j] == "\\":
                    j += 2
                    continue
                depth += s[j] == "("
                depth -= s[j] == ")"
                j += 1
                if depth == 0:
                    break
            s = s[j:]
        elif s.startswith("(?-i:") and split_alternatives(s[5:-1]) == [s[5:-1]] and s.endswith(")"):
            s = s[5:-1]
        else:
            break
    lit = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 < len(s) and not s[i + 1].isalnum():
                lit.append(s[i + 1])
                i += 2
                continue
            break
        if c in _META:
            if c in "?*{" and lit:
                lit.pop()  # the previous character is optional
            break
        lit.append(c)
        i += 1
    text = "".join(lit).lower()
    return text if len(text.strip()) >= 2 else ""


@dataclass
class _Alt:
    key: str
    literal: str
    regex: re.Pattern[str]


_LEADING_GROUP = re.compile(r"^(\\b)?\(\?:(.*)$", re.DOTALL)


def expand_leading_group(alt: str) -> list[str]:
    """``\\b(?:DQR|EQR)\\b`` -> [``\\bDQR\\b``, ``\\bEQR\\b``], so each branch gets a literal."""
    m = _LEADING_GROUP.match(alt)
    if not m:
        return [alt]
    body = m.group(2)
    depth, j = 1, 0
    while j < len(body) and depth:
        if body[j] == "\\":
            j += 2
            continue
        depth += body[j] == "("
        depth -= body[j] == ")"
        j += 1
    inner, rest = body[: j - 1], body[j:]
    if depth or (rest[:1] in ("?", "*", "+", "{")):
        return [alt]
    return [(m.group(1) or "") + branch + rest for branch in split_alternatives(inner)]


class CueSet:
    """(key, regex) pairs matched case-insensitively, each branch prefiltered by its literal."""

    def __init__(self, patterns: list[tuple[str, str]]):
        self.alts: list[_Alt] = []
        for key, pattern in patterns:
            for alt in (a for top in split_alternatives(pattern) for a in expand_leading_group(top)):
                self.alts.append(_Alt(key, literal_prefix(alt), re.compile(alt, re.IGNORECASE)))

    def finditer(self, text: str, low: str | None = None) -> Iterator[tuple[str, re.Match[str]]]:
        """(key, match) for every match of every branch, in branch order; ``low`` = text.lower()."""
        low = text.lower() if low is None else low
        for alt in self.alts:
            if alt.literal and alt.literal not in low:
                continue
            for m in alt.regex.finditer(text):
                if m.end() > m.start():
                    yield alt.key, m

    def search_any(self, text: str, low: str | None = None) -> list[tuple[int, int]]:
        """Spans of all matches (for guards)."""
        return [m.span() for _, m in self.finditer(text, low)]
