"""Facets put on hand-built segments (the facet layer's output columns, as classify gives
them), for the facet-table and report tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from mctext.evidence import Tables
from mctext.facet_tables import FACET_COLUMNS, build_facet_tables

Facets = Mapping[str, list[Any]]


def with_facets(tables: Tables, by_text: Mapping[str, Facets]) -> Tables:
    """``tables`` with the given facets on the segments whose text is a key (every other
    segment and facet column empty), and the facet tables rebuilt from them."""
    segments = tables.segments.copy()
    texts = list(segments["text"])
    missing = set(by_text) - set(texts)
    assert not missing, f"no segment with text {missing}"
    for column in FACET_COLUMNS:
        segments[column] = [list(by_text.get(t, {}).get(column, [])) for t in texts]
    return dataclasses.replace(tables, segments=segments,
                               **build_facet_tables(tables.documents, segments))


def workload(value: float, unit: str, text: str = "") -> dict[str, Any]:
    return {"value": float(value), "unit": unit, "text": text or f"{value:g} {unit}",
            "char_start": 0, "char_end": 0}
