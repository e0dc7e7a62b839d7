"""The study's questions as tables (issue 13): what micro-credentials look like in a country,
who is involved, in which sectors, under which international references.

Built from the ``segments`` table's facet columns (codebook v1.2 "Facets": ``mc_elements``,
``workload``, ``participation_form``, ``actors``, ``actor_roles``, ``sectors``,
``international``), counted like the fact sheets: a segment counts for its document's own
country (``doc_country``) and for no other, whatever countries it names (the kinds of
segment counted are ``FACET_KINDS``). So an EU document that cites Germany as a model gives
the EU a ``country:DE`` link in ``international_links``; Germany's rows do not change. Every row carries the ids of the segments behind it and a few quotes,
so each count leads back to the sentences and pages it was read from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mctext.codebook import (
    actor_roles,
    country_prefix,
    facet_value_order,
    load_codebook,
    workload_units,
)
from mctext.evidence import frame, is_country
from mctext.records import DOC_FAILED, KIND_FOOTNOTE, KIND_TABLE_ROW, QUOTABLE_KINDS, Prediction
from mctext.schemas import FACET_TABLES

QUOTES_PER_ROW = 3
# The kinds of segment the facet tables count and quote: the fact sheets' quotable kinds (body
# text, list items), and table rows and footnotes, because specifications state the standard's
# elements in tables ("Microcredential workload (ECTS credits) | ... | Mandatory") and documents
# cite their international references in notes. Headings (a topic, stated again by their
# section's sentences), tables of contents, code and form fields do not count.
FACET_KINDS = (*QUOTABLE_KINDS, KIND_TABLE_ROW, KIND_FOOTNOTE)
# The segments table's facet columns (filled by classify's facet layer; records.Prediction names them).
FACET_COLUMNS = tuple(Prediction(id="").facet_columns())
COUNTRY_KIND = "country"
OTHER_KIND = "other"  # a value the codebook does not group (a test keeps this from happening)
# Elements with a structured value of their own column: stated when that column holds one.
ELEMENT_COLUMNS = ("workload", "participation_form")


def reference_kinds() -> dict[str, str]:
    """international value -> its kind (eu_instrument, organisation, standard), from the
    codebook data."""
    kinds = load_codebook()["facets"]["international"].get("kinds") or {}
    return {value: kind for kind, values in kinds.items() for value in values}


def reference_kind(reference: str) -> str:
    if reference.startswith(country_prefix()):
        return COUNTRY_KIND
    return reference_kinds().get(reference, OTHER_KIND)


def _reference_order(reference: str) -> tuple[int, int, str]:
    kinds = list(load_codebook()["facets"]["international"].get("kinds") or {}) + [COUNTRY_KIND]
    kind = reference_kind(reference)
    return (kinds.index(kind) if kind in kinds else len(kinds),
            *facet_value_order("international")(reference))


@dataclass
class _Bucket:
    """The segments behind one cell: ids and documents, in reading order."""

    segments: list[dict[str, Any]] = field(default_factory=list)

    def add(self, seg: dict[str, Any]) -> None:
        if not self.segments or self.segments[-1]["segment_id"] != seg["segment_id"]:
            self.segments.append(seg)

    @property
    def ids(self) -> list[str]:
        return [s["segment_id"] for s in self.segments]

    @property
    def documents(self) -> int:
        return len({s["doc_id"] for s in self.segments})

    def counts(self) -> dict[str, int]:
        return {"segments": len(self.segments), "documents": self.documents}

    def counted(self) -> dict[str, Any]:
        return {**self.counts(), "segment_ids": self.ids}


def _quote(seg: dict[str, Any]) -> dict[str, Any]:
    return {"quote": seg["text"], "doc_title": seg["doc_title"], "file": seg["file"],
            "page": int(seg["page"]), "lang": seg["lang"], "segment_id": seg["segment_id"]}


def quotes(segments: Iterable[dict[str, Any]], n: int = QUOTES_PER_ROW) -> list[dict[str, Any]]:
    """Up to n quotes: the first segment (in reading order) of each document in turn, then
    the next of each, one per distinct text, so a few quotes show how widely it is said."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for seg in segments:
        by_doc[seg["file"]].append(seg)
    queues = [by_doc[f] for f in sorted(by_doc)]
    chosen: list[dict[str, Any]] = []
    seen: set[str] = set()
    depth = 0
    while len(chosen) < n and any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue) and queue[depth]["text"] not in seen and len(chosen) < n:
                seen.add(queue[depth]["text"])
                chosen.append(queue[depth])
        depth += 1
    return [_quote(s) for s in chosen]


def _values(seg: dict[str, Any], column: str) -> list[Any]:
    value = seg.get(column)
    return [] if value is None else list(value)


def stated_elements(seg: dict[str, Any]) -> list[str]:
    """The standard's elements a segment states: its mc_elements, plus workload and
    participation_form when their own columns hold a value."""
    elements = dict.fromkeys(str(v) for v in _values(seg, "mc_elements"))
    for column in ELEMENT_COLUMNS:
        if _values(seg, column):
            elements.setdefault(column)
    return list(elements)


def _own_segments(documents: pd.DataFrame, segments: pd.DataFrame) -> tuple[
        dict[str, set[str]], list[dict[str, Any]]]:
    """Own documents per country, and the segments of own documents that count (``FACET_KINDS``,
    with their document's title and file), in reading order."""
    own_docs: dict[str, set[str]] = defaultdict(set)
    doc_info: dict[str, tuple[str, str]] = {}
    for doc_id, file, title, country, status in zip(
            documents["doc_id"], documents["file"], documents["title"], documents["country"],
            documents["status"], strict=True):
        if status != DOC_FAILED and is_country(country):
            own_docs[country].add(doc_id)
        doc_info.setdefault(doc_id, (file, title or file))  # a duplicate's first file
    present = [c for c in FACET_COLUMNS if c in segments.columns]
    columns = ["segment_id", "doc_id", "page", "char_start", "text", "lang", "kind",
               "doc_country", "labels", "nqf_levels", *present]
    rows = [dict(zip(columns, values, strict=True))
            for values in zip(*(segments[c].tolist() for c in columns), strict=True)]
    own = []
    for seg in rows:
        if seg["doc_country"] in own_docs and seg["kind"] in FACET_KINDS:
            seg["file"], seg["doc_title"] = doc_info.get(seg["doc_id"], ("", ""))
            own.append(seg)
    own.sort(key=lambda s: (s["file"], int(s["page"]), int(s["char_start"]), s["segment_id"]))
    return own_docs, own


def _by_value(own: list[dict[str, Any]], values: Callable[[dict[str, Any]], Iterable[Hashable]]
              ) -> dict[str, dict[Hashable, _Bucket]]:
    """country -> value -> the segments stating it."""
    out: dict[str, dict[Hashable, _Bucket]] = defaultdict(lambda: defaultdict(_Bucket))
    for seg in own:
        for value in dict.fromkeys(values(seg)):
            out[seg["doc_country"]][value].add(seg)
    return out


def mc_profiles(own_docs: dict[str, set[str]], own: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per country with own documents: the standard's elements its documents state,
    with the workloads, levels and participation forms seen, and the QA and awarding-body
    statements quoted."""
    from mctext.classify.countries import COUNTRY_NAMES

    elements = _by_value(own, stated_elements)
    units = {u: i for i, u in enumerate(workload_units())}
    workloads = _by_value(own, lambda s: [(float(w["value"]), str(w["unit"]))
                                          for w in _values(s, "workload")])
    forms = _by_value(own, lambda s: [str(v) for v in _values(s, "participation_form")])
    in_scope = [s for s in own if stated_elements(s) or "microcredential" in list(s["labels"])]
    levels = _by_value(in_scope, lambda s: [(str(lv["framework"]), int(lv["level"]))
                                            for lv in _values(s, "nqf_levels")])
    element_order = facet_value_order("mc_elements")
    form_order = facet_value_order("participation_form")
    rows = []
    for country in sorted(own_docs):
        stated = sorted(elements[country], key=element_order)
        behind: dict[str, dict[str, Any]] = {}
        for bucket in elements[country].values():
            behind.update({s["segment_id"]: s for s in bucket.segments})
        profile_segs = sorted(behind.values(), key=lambda s: (s["file"], int(s["page"]),
                                                               int(s["char_start"])))
        rows.append({
            "country": country, "country_name": COUNTRY_NAMES.get(country, country),
            "documents": len(own_docs[country]), "segments": len(profile_segs),
            "elements_stated": stated,
            "elements": [{"value": e, **elements[country][e].counted()} for e in stated],
            "workloads": [{"value": v, "unit": u, **b.counted()} for (v, u), b in sorted(
                workloads[country].items(), key=lambda kv: (units.get(kv[0][1], len(units)),
                                                            kv[0][1], kv[0][0]))],
            "levels": [{"framework": fw, "level": lv, **b.counted()}
                       for (fw, lv), b in sorted(levels[country].items())],
            "participation_forms": [{"value": f, **forms[country][f].counted()}
                                    for f in sorted(forms[country], key=form_order)],
            "quality_assurance_quotes": quotes(elements[country].get("quality_assurance",
                                                                     _Bucket()).segments),
            "awarding_body_quotes": quotes(elements[country].get("awarding_body",
                                                                 _Bucket()).segments),
            "segment_ids": [s["segment_id"] for s in profile_segs],
            "quotes": quotes(profile_segs),
        })
    return frame("mc_profiles", rows)


def actors_by_country(own: list[dict[str, Any]]) -> pd.DataFrame:
    """(country, actor): the segments naming the actor, with the roles stated for it."""
    actors = _by_value(own, lambda s: [str(v) for v in _values(s, "actors")])
    order = facet_value_order("actors")
    roles_known = {r: i for i, r in enumerate(actor_roles())}

    def role_order(role: str) -> tuple[int, str]:
        return roles_known.get(role, len(roles_known)), role

    rows = []
    for country in sorted(actors):
        for actor in sorted(actors[country], key=order):
            bucket = actors[country][actor]
            roles: dict[str, set[str]] = defaultdict(set)
            for seg in bucket.segments:
                for pair in _values(seg, "actor_roles"):
                    if pair["actor"] == actor and pair.get("role"):
                        roles[str(pair["role"])].add(seg["segment_id"])
            rows.append({"country": country, "actor": actor, **bucket.counts(),
                         "roles": [{"role": r, "segments": len(roles[r])}
                                   for r in sorted(roles, key=role_order)],
                         "segment_ids": bucket.ids, "quotes": quotes(bucket.segments)})
    return frame("actors_by_country", rows)


def sectors_by_country(own: list[dict[str, Any]]) -> pd.DataFrame:
    sectors = _by_value(own, lambda s: [str(v) for v in _values(s, "sectors")])
    order = facet_value_order("sectors")
    rows = [{"country": country, "sector": sector, **b.counts(), "segment_ids": b.ids,
             "quotes": quotes(b.segments)}
            for country in sorted(sectors)
            for sector, b in sorted(sectors[country].items(), key=lambda kv: order(kv[0]))]
    return frame("sectors_by_country", rows)


def international_links(own: list[dict[str, Any]]) -> pd.DataFrame:
    """(country, reference): the instruments, organisations, standards and other countries
    a country's own documents cite. A ``country:XX`` naming the document's own country is no
    link (the codebook: "a country other than the document's")."""
    prefix = country_prefix()

    def refs(seg: dict[str, Any]) -> list[str]:
        own_ref = prefix + seg["doc_country"]
        return [str(v) for v in _values(seg, "international") if str(v) != own_ref]

    links = _by_value(own, refs)
    rows = []
    for country in sorted(links):
        for ref in sorted(links[country], key=_reference_order):
            b = links[country][ref]
            kind = reference_kind(ref)
            rows.append({"country": country, "reference": ref, "kind": kind,
                         "cited_country": ref[len(prefix):] if kind == COUNTRY_KIND else None,
                         **b.counts(), "segment_ids": b.ids, "quotes": quotes(b.segments)})
    return frame("international_links", rows)


def build_facet_tables(documents: pd.DataFrame, segments: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The four facet tables, keyed by table name (``schemas.FACET_TABLES``).

    A segments table without facet columns (a run whose classifier has no facet layer)
    gives profiles that state nothing and empty actor, sector and link tables.
    """
    own_docs, own = _own_segments(documents, segments)
    tables = {"mc_profiles": mc_profiles(own_docs, own),
              "actors_by_country": actors_by_country(own),
              "sectors_by_country": sectors_by_country(own),
              "international_links": international_links(own)}
    assert tuple(tables) == FACET_TABLES
    return tables
