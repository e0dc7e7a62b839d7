"""Facets put on hand-built segments (the facet layer's output columns, as classify gives
them), for the facet-table and report tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from evidence_factory import MOBILITY, XSS
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


DE_MC = "Das Gesetz regelt Mikro-Credentials."
DE_LEVEL = "Sie sind dem DQR Niveau 5 zugeordnet."
DE_HEADING = "Qualität der Mikro-Credentials"
NL_EC = "Dutch universities pilot micro-credentials of 3 to 30 EC."
NL_QA = "A quality framework makes them trusted by employers."
FI_EQF = "Finnish micro-degrees are placed at EQF level 6."
BADGES = "Open Badges are verifiable credentials."

# Facets on sample_results()' segments, by text.
SAMPLE_FACETS: dict[str, dict[str, list[Any]]] = {
    # An EU document naming Spain and Germany: EU's evidence, and EU's links to them.
    MOBILITY: {"actors": ["learners", "employers"], "international": ["country:ES", "country:DE"],
               "actor_roles": [{"actor": "employers", "role": "values_trusts"},
                               {"actor": "learners", "role": "uses"}]},
    NL_EC: {"mc_elements": ["workload"], "workload": [workload(3, "credits"), workload(30, "credits")],
            "actors": ["providers"], "international": ["ects_ecvet"], "sectors": ["education"]},
    NL_QA: {"mc_elements": ["quality_assurance"], "actors": ["employers", "awarding_qa_bodies"],
            "actor_roles": [{"actor": "employers", "role": "values_trusts"}]},
    FI_EQF: {"mc_elements": ["level"], "international": ["eqf"], "participation_form": ["online"]},
    XSS: {"international": ["open_badges", "country:EU"], "sectors": ["ict"]},
    DE_MC: {"mc_elements": ["awarding_body"], "actors": ["public_authorities"],
            "international": ["country:DE", "eu_mc_recommendation"], "sectors": ["retail_trade"]},
    DE_LEVEL: {"mc_elements": ["level"]},
    DE_HEADING: {"mc_elements": ["quality_assurance"], "sectors": ["crafts"]},  # not quotable
    BADGES: {"international": ["open_badges"], "actors": ["learners"]},  # a document of no country
}
