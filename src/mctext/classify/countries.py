"""Which countries a segment is about: ISO alpha-2 codes (+ "EU") from names.

The facts per country (English name, national framework) live in ``data/countries.yaml``;
the names in each language in the language data layer (``country_names`` of
``data/languages/<code>.yaml``). Every language's names are matched in every text (a
French text names "Deutschland" too). Names are matched with ``fastre.CueSet`` (each
name regex runs only when its leading literal occurs); overlapping hits keep the longest.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from mctext.classify.fastre import CueSet, TextView
from mctext.config import NO_COUNTRY
from mctext.lang import COUNTRIES_PATH, country_patterns, language_name_words

UNKNOWN_COUNTRIES = NO_COUNTRY  # one definition: config.NO_COUNTRY


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with COUNTRIES_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def country_table() -> dict[str, dict[str, Any]]:
    """``{code: {name, national}}`` as in countries.yaml."""
    return dict(_data()["countries"])


COUNTRY_NAMES: dict[str, str] = {code: str(v["name"]) for code, v in country_table().items()}


def national_framework(country: str) -> str:
    """Acronym of a country's qualifications framework ("NQF" when unknown)."""
    entry = country_table().get((country or "").upper())
    return str(entry["national"]) if entry else "NQF"


@lru_cache(maxsize=1)
def _regex() -> tuple[CueSet, re.Pattern[str]]:
    pairs = [(code, p) for code, pats in country_patterns().items() for p in pats]
    words = "|".join(language_name_words())
    guard = r"\s+(?:" + words + r")\b|(?<=\w)(?:" + words + r")\b"
    return CueSet(pairs), re.compile(guard, re.IGNORECASE)


def country_mentions(text: str | TextView) -> list[tuple[str, int, int]]:
    """(code, start, end) of every country name in ``text``; language names are skipped."""
    cues, guard = _regex()
    view = text if isinstance(text, TextView) else TextView.of(text)
    text = view.text
    out = []
    taken: list[tuple[int, int]] = []
    hits = sorted(cues.finditer(view), key=lambda h: (h[1].start(), -h[1].end()))
    for code, m in hits:
        if (guard.match(text, m.end()) or guard.search(m.group()) is not None
                or any(m.start() < e and s < m.end() for s, e in taken)):
            continue  # a language name ("German language", "französischsprachige"), or inside a longer name
        taken.append(m.span())
        out.append((code, m.start(), m.end()))
    return out


def find_countries(text: str | TextView) -> list[str]:
    """Sorted distinct country codes named in ``text``."""
    return sorted({code for code, _, _ in country_mentions(text)})


def attribute_countries(
    text: str | TextView, section: str = "", doc_country: str = "", found: list[str] | None = None
) -> list[str]:
    """The codebook fallback: the segment's own names, else its section heading's, else the document's.

    Seed annotators sometimes add the document's country to a segment that names
    another one ("European agreements" in a Dutch text -> EU, NL) and sometimes not;
    this follows the codebook (the names alone), 0.977 exact-set accuracy on the seed.
    ``found``: the segment's own codes when the caller already has them.
    """
    doc = (doc_country or "").upper()
    doc = "" if doc in UNKNOWN_COUNTRIES else doc
    found = find_countries(text) if found is None else found
    if found:
        return found
    if section:
        found = list(_heading_countries(section))
        if found:
            return found
    return [doc] if doc else []


@lru_cache(maxsize=4096)
def _heading_countries(section: str) -> tuple[str, ...]:
    """A document's segments share a few heading paths: look each one up once."""
    return tuple(find_countries(section))
