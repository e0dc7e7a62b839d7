"""Per-document results -> the output tables (documents, segments, evidence, country
mentions, summary).

A document's country decides whose evidence it is: ``country_summary`` has one row per
country with documents of its own, computed from those documents alone, and what other
countries' documents say about a country goes to ``country_mentions``. Every number in
``country_summary`` is derived from the ``segments`` table built here, so an analyst
who recounts from ``segments.parquet`` (grouped by ``doc_country``) gets the same
figures. Every quote is a segment's text, ``page.text[char_start:char_end]`` of its
page: the evidence can always be found again on the stated page of the stated document.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mctext.codebook import LABELS
from mctext.config import NO_COUNTRY
from mctext.config import QUOTE_CONTEXT_CHARS as CONTEXT_CHARS
from mctext.records import DOC_FAILED, KIND_BODY, QUOTABLE_KINDS, DocResult, Prediction
from mctext.schemas import COLUMNS, FACT_SHEET_LINKS, arrow_schema

UNKNOWN_COUNTRY = "XX"  # a document's country when it has none: its evidence is no country's
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")  # ISO 3166-1 alpha-2, or EU
QUOTES_PER_LABEL = 3
UNTYPED_DRIVERS = "stated, type not identified"
TOP_DRIVER_TYPES = 3

HumanLabels = Mapping[str, Sequence[str]]


@dataclass
class Tables:
    """The run's output tables, each with exactly the columns of ``schemas.COLUMNS``."""

    documents: pd.DataFrame
    segments: pd.DataFrame
    evidence: pd.DataFrame
    country_mentions: pd.DataFrame
    failures: pd.DataFrame
    country_summary: pd.DataFrame
    # The facet tables (facet_tables.py): profiles, actors, sectors, international links.
    mc_profiles: pd.DataFrame
    actors_by_country: pd.DataFrame
    sectors_by_country: pd.DataFrame
    international_links: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in COLUMNS}


def is_country(code: str) -> bool:
    """A code that gets a country row: two capital letters (EU included), not XX.

    Anything else (e.g. a shifted MANIFEST.csv cell) is no country rather than a row
    with a made-up name.
    """
    return code not in NO_COUNTRY and bool(_COUNTRY_CODE.fullmatch(code or ""))


def attributed_countries(prediction_countries: Sequence[str], doc_country: str) -> list[str]:
    """The codebook's attribution: the countries classify found (segment text, else
    section heading), else the document's own country; "no country" codes dropped."""
    countries = [c for c in dict.fromkeys(prediction_countries) if is_country(c)]
    if countries:
        return countries
    return [doc_country] if is_country(doc_country) else []


def _ordered_labels(labels: Iterable[str]) -> list[str]:
    wanted = set(labels)
    return [label for label in LABELS if label in wanted]


def frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A DataFrame with the table's columns in schema order (also when there are no rows)."""
    columns = COLUMNS[table]
    if not rows:
        return arrow_schema(table).empty_table().to_pandas()
    return pd.DataFrame(rows, columns=columns)


def own_country(code: str) -> str:
    """Whose evidence a document is: its country when it is one (EU included), else XX."""
    return code if is_country(code) else UNKNOWN_COUNTRY


def build_tables(results: Iterable[DocResult], human_labels: HumanLabels | None = None) -> Tables:
    """Turn the per-document results (in any order) into sorted, deterministic tables.

    ``human_labels`` maps segment id -> labels from the annotation store; where a segment
    has them they replace the model's labels, and its evidence rows have source "human".
    """
    from mctext.classify.countries import find_countries

    human = human_labels or {}
    results = sorted(results, key=lambda r: (r.document.file, r.document.sha256))
    doc_rows: list[dict[str, Any]] = []
    seg_rows: list[dict[str, Any]] = []
    ev_rows: list[dict[str, Any]] = []
    fail_rows: list[dict[str, Any]] = []
    first_file: dict[str, str] = {}  # doc_id -> the first file with that content
    for result in results:
        doc = result.document
        country = own_country(doc.country)
        row = {name: getattr(doc, name) for name in COLUMNS["documents"]}
        row["country"] = country
        duplicate_of = first_file.get(doc.doc_id) if doc.status != DOC_FAILED else None
        if duplicate_of:
            # The same bytes under another name: listed, but counted once (ids are content-based).
            row["error"] = f"duplicate of {duplicate_of}: its segments are counted under that file"
        doc_rows.append(row)
        if doc.status == DOC_FAILED:
            fail_rows.append({"file": doc.file, "sha256": doc.sha256,
                              "stage": result.failure_stage or "unknown", "reason": doc.error})
            continue
        if duplicate_of:
            continue
        first_file[doc.doc_id] = doc.file
        pages = {page.number: page.text for page in result.pages}
        predictions = {p.id: p for p in result.predictions}
        title = doc.title or doc.file
        for seg in sorted(result.segments, key=lambda s: (s.page, s.start, s.end, s.id)):
            pred = predictions.get(seg.id) or Prediction(id=seg.id)
            countries = attributed_countries(pred.countries, country)
            named_codes = pred.countries_named
            if named_codes is None:  # e.g. a Prediction built by hand
                named_codes = find_countries(seg.text)
            named = [c for c in named_codes if is_country(c)]
            mentioned = [c for c in dict.fromkeys(named + countries) if c != country]
            kind = seg.kind or KIND_BODY
            if seg.id in human:
                labels, label_source = _ordered_labels(human[seg.id]), "human"
            else:
                labels, label_source = _ordered_labels(pred.labels), "model"
            seg_rows.append({
                "segment_id": seg.id, "doc_id": seg.doc_id, "page": seg.page,
                "page_end": seg.page_end,
                "char_start": seg.start, "char_end": seg.end, "section": seg.section,
                "kind": kind, "context": seg.context, "text": seg.text, "lang": seg.lang,
                "doc_country": country, "countries_named": named, "countries": countries,
                "labels": labels, "driver_types": list(pred.driver_types),
                "nqf_levels": [lv.to_dict() for lv in pred.nqf_levels],
                **pred.facet_columns(),
                "cues": [{"label": c.label, "cue": c.cue, "text": c.text, "char_start": c.start,
                          "char_end": c.end} for c in pred.cues],
                "model_version": pred.model_version,
                **{f"score_{label}": pred.scores.get(label) for label in LABELS},
                "label_source": label_source,
            })
            page_text = pages.get(seg.page, "")
            rule_labels = {cue.label for cue in pred.cues}
            for label in labels:
                if label_source == "human":
                    source, score = "human", 1.0
                else:
                    source = "rule" if label in rule_labels else "model"
                    score = float(pred.scores.get(label, 0.0))
                ev_rows.append({
                    "segment_id": seg.id, "doc_id": seg.doc_id, "label": label, "kind": kind,
                    "quote": seg.text, "context": seg.context,
                    "prefix": page_text[max(0, seg.start - CONTEXT_CHARS):seg.start],
                    "suffix": pages.get(seg.page_end, "")[seg.end:seg.end + CONTEXT_CHARS],
                    "doc_title": title, "file": doc.file, "page": seg.page, "page_end": seg.page_end,
                    "char_start": seg.start, "char_end": seg.end, "section": seg.section,
                    "lang": seg.lang, "country": country, "mentioned_countries": mentioned,
                    "score": score, "source": source, "model_version": pred.model_version,
                })
    documents = frame("documents", doc_rows)
    segments = frame("segments", seg_rows)
    evidence = frame("evidence", ev_rows)
    mentions = country_mentions(segments, evidence)
    from mctext.facet_tables import build_facet_tables

    return Tables(documents=documents, segments=segments, evidence=evidence,
                  country_mentions=mentions, failures=frame("failures", fail_rows),
                  country_summary=country_summary(documents, segments, evidence, mentions),
                  **build_facet_tables(documents, segments))


# --- the country summary ---------------------------------------------------------------


STRENGTH_RULE = "rule: strong 10+ segments in 2+ documents, moderate 3+, weak 1-2"
LINK_RULE = "rule: linked when a segment has both labels, mentioned when {label} only"


def strength(n_segments: int, n_documents: int) -> str:
    """How strongly a country's documents discuss something: a few words a reader gets.

    strong: at least 10 evidence segments spread over 2+ documents; moderate: 3+
    segments; weak: 1-2 segments; none: no evidence.
    """
    if n_segments == 0:
        return "none"
    if n_segments >= 10 and n_documents >= 2:
        return "strong"
    return "moderate" if n_segments >= 3 else "weak"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _in(n_segments: int, n_documents: int) -> str:
    return f"{_count(n_segments, 'segment')} in {_count(n_documents, 'document')}"


def strength_basis(value: str, n_segments: int, n_documents: int, own_documents: int) -> str:
    """Why the micro-credential strength is what it is, e.g. "weak: 2 segments in 1 document"."""
    if value == "none":
        return (f"none: no quotable micro-credential segment in "
                f"{_count(own_documents, 'own document')} ({STRENGTH_RULE})")
    return f"{value}: {_in(n_segments, n_documents)} ({STRENGTH_RULE})"


def link_basis(label: str, value: str, n_linked: tuple[int, int], n_label: tuple[int, int],
               own_documents: int) -> str:
    """Why a fact-sheet link value is what it is: the counts, then the rule."""
    rule = LINK_RULE.format(label=label)
    if value == "linked":
        counts = f"{_in(*n_linked)} labelled {label} and microcredential"
    elif value == "mentioned":
        counts = f"{_in(*n_label)} labelled {label}, none also microcredential"
    else:
        counts = f"no quotable {label} segment in {_count(own_documents, 'own document')}"
    return f"{value}: {counts} ({rule})"


def drivers_basis(types: Counter[str], n_segments: int, n_documents: int) -> str:
    """Why fs_main_drivers names what it names: the driver segments and the count per type."""
    if not n_segments:
        return "none: no quotable driver segment"
    typed = ", ".join(f"{t} {n}" for t, n in sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"{_in(n_segments, n_documents)} labelled driver; segments per type: "
            f"{typed or 'none typed'} (the {TOP_DRIVER_TYPES} most frequent are shown)")


def format_quote(row: Mapping[str, Any] | None) -> str:
    """A quote as a person cites it: “text” (title, p. N)."""
    if row is None:
        return ""
    return f"\u201c{row['quote']}\u201d ({row['doc_title']}, p. {int(row['page'])})"


def _quote_record(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"quote": row["quote"], "doc_title": row["doc_title"], "file": row["file"],
            "page": int(row["page"]), "score": round(float(row["score"]), 4),
            "lang": row["lang"], "source": row["source"], "segment_id": row["segment_id"]}


def _position(row: Mapping[str, Any]) -> tuple[str, int, int]:
    return row["file"], int(row["page"]), int(row["char_start"])


def _strongest(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The n highest-scoring rows, one per distinct quote text, ties broken by position."""
    ranked = sorted(rows, key=lambda r: (-float(r["score"]), *_position(r)))
    seen: set[str] = set()
    best: list[dict[str, Any]] = []
    for row in ranked:
        if row["quote"] not in seen:
            seen.add(row["quote"])
            best.append(row)
            if len(best) == n:
                break
    return best


def _best(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    found = _strongest(rows, 1)
    return found[0] if found else None


def _rows(df: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows as dicts, column by column (DataFrame.to_dict boxes every Arrow value: slow)."""
    return [dict(zip(columns, values, strict=True))
            for values in zip(*(df[c].tolist() for c in columns), strict=True)]


def country_mentions(segments: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """What documents say about countries other than their own: one row per (country
    mentioned, mentioning document, label), with the strongest quote.

    A country counts as mentioned by a segment when the segment names it, or (the
    codebook's fallback) sits under a heading that names it; ``named_segments`` tells
    the two apart.
    """
    named = dict(zip(segments["segment_id"], segments["countries_named"], strict=True))
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(evidence, list(evidence.columns)):
        for country in row["mentioned_countries"]:
            groups[country, row["doc_id"], row["label"]].append(row)
    order = {label: i for i, label in enumerate(LABELS)}
    out = []
    for (country, _doc, label), rows in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[1][0]["file"], order[kv[0][2]])):
        naming = {r["segment_id"] for r in rows if country in list(named.get(r["segment_id"], ()))}
        best = min(rows, key=lambda r: (r["kind"] not in QUOTABLE_KINDS, r["segment_id"] not in naming,
                                        -float(r["score"]), *_position(r)))
        first = rows[0]
        out.append({"country": country, "doc_country": first["country"], "doc_id": first["doc_id"],
                    "doc_title": first["doc_title"], "file": first["file"], "label": label,
                    "segments": len({r["segment_id"] for r in rows}),
                    "named_segments": len(naming),
                    "quote": best["quote"], "segment_id": best["segment_id"],
                    "page": int(best["page"]), "score": round(float(best["score"]), 4)})
    return frame("country_mentions", out)


def country_summary(documents: pd.DataFrame, segments: pd.DataFrame, evidence: pd.DataFrame,
                    mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per country with documents of its own, computed from those documents alone.

    Counts are recomputable from ``segments`` (grouped by ``doc_country``); the fact
    sheet and the quotes use quotable segments only (``records.QUOTABLE_KINDS``). What
    other countries' documents say about a country is in ``country_mentions``.
    """
    from mctext.classify.countries import COUNTRY_NAMES

    own_docs: dict[str, set[str]] = defaultdict(set)
    for doc in _rows(documents, ["doc_id", "country", "status"]):
        if doc["status"] != DOC_FAILED and is_country(doc["country"]):
            own_docs[doc["country"]].add(doc["doc_id"])
    n_segs: Counter[str] = Counter()
    label_segs: dict[tuple[str, str], set[str]] = defaultdict(set)
    label_docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    # Fact-sheet counts: quotable segments only, (segments, documents) per (country, key).
    fs_segs: dict[tuple[str, str], set[str]] = defaultdict(set)
    fs_docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    drivers: dict[str, Counter[str]] = defaultdict(Counter)
    fs_drivers: dict[str, Counter[str]] = defaultdict(Counter)
    levels: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for seg in _rows(segments, ["segment_id", "doc_id", "doc_country", "kind", "labels",
                                "driver_types", "nqf_levels"]):
        country = seg["doc_country"]
        if country not in own_docs:
            continue
        labels = list(seg["labels"])
        quotable = seg["kind"] in QUOTABLE_KINDS
        n_segs[country] += 1
        for label in labels:
            label_segs[country, label].add(seg["segment_id"])
            label_docs[country, label].add(seg["doc_id"])
            if not quotable:
                continue
            for key in [label] + ([f"{label}+microcredential"] if "microcredential" in labels else []):
                fs_segs[country, key].add(seg["segment_id"])
                fs_docs[country, key].add(seg["doc_id"])
        if "driver" in labels:
            types = dict.fromkeys(seg["driver_types"], 1)
            drivers[country].update(types)
            if quotable:
                fs_drivers[country].update(types)
        for level in seg["nqf_levels"]:
            levels[country].add((level["framework"], int(level["level"])))

    quotable_rows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(evidence, list(evidence.columns)):
        if row["kind"] in QUOTABLE_KINDS:
            quotable_rows[row["country"], row["label"]].append(row)
    mentioned_in: dict[str, set[str]] = defaultdict(set)
    if mentions is not None:
        for country, doc_id in zip(mentions["country"], mentions["doc_id"], strict=True):
            mentioned_in[country].add(doc_id)

    def fs_counts(country: str, key: str) -> tuple[int, int]:
        return len(fs_segs[country, key]), len(fs_docs[country, key])

    rows: list[dict[str, Any]] = []
    for country in sorted(own_docs):
        n_seg, n_docs = n_segs[country], len(own_docs[country])
        row: dict[str, Any] = {"country": country,
                               "country_name": COUNTRY_NAMES.get(country, country),
                               "documents": n_docs, "segments": n_seg}
        for label in LABELS:
            hits = len(label_segs[country, label])
            row[f"{label}_segments"] = hits
            row[f"{label}_documents"] = len(label_docs[country, label])
            row[f"{label}_share"] = round(hits / n_seg, 6) if n_seg else 0.0
            quotes = _strongest(quotable_rows[country, label], QUOTES_PER_LABEL)
            row[f"{label}_quotes"] = [_quote_record(q) for q in quotes]
        top = sorted(drivers[country].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_DRIVER_TYPES]
        row["top_driver_types"] = [{"type": t, "segments": n} for t, n in top]
        row["nqf_levels"] = [{"framework": fw, "level": lv} for fw, lv in sorted(levels[country])]
        row["mentioned_in_documents"] = len(mentioned_in[country])
        mc = fs_counts(country, "microcredential")
        row["fs_microcredentials"] = mc[0] > 0
        row["fs_microcredentials_strength"] = strength(*mc)
        row["fs_microcredentials_basis"] = strength_basis(row["fs_microcredentials_strength"],
                                                          *mc, n_docs)
        row["fs_microcredentials_quote"] = format_quote(
            _best(quotable_rows[country, "microcredential"]))
        for link in FACT_SHEET_LINKS:
            linked_ids = fs_segs[country, f"{link}+microcredential"]
            candidates = quotable_rows[country, link]
            if linked_ids:
                value = "linked"
                candidates = [r for r in candidates if r["segment_id"] in linked_ids]
            else:
                value = "mentioned" if candidates else "none"
            row[f"fs_{link}_link"] = value
            row[f"fs_{link}_basis"] = link_basis(link, value,
                                                 fs_counts(country, f"{link}+microcredential"),
                                                 fs_counts(country, link), n_docs)
            row[f"fs_{link}_quote"] = format_quote(_best(candidates))
        fs_top = sorted(fs_drivers[country].items(), key=lambda kv: (-kv[1], kv[0]))
        n_drivers = fs_counts(country, "driver")
        # Driver evidence whose cause fits no codebook type still says "drivers exist".
        row["fs_main_drivers"] = ", ".join(t for t, _ in fs_top[:TOP_DRIVER_TYPES]) or (
            UNTYPED_DRIVERS if n_drivers[0] else "")
        row["fs_drivers_basis"] = drivers_basis(fs_drivers[country], *n_drivers)
        row["fs_drivers_quote"] = format_quote(_best(quotable_rows[country, "driver"]))
        rows.append(row)
    return frame("country_summary", rows)


FACT_SHEET_HELP = {
    "linked": "named together with micro-credentials in the same passage",
    "mentioned": "discussed, but never in the same passage as micro-credentials",
    "none": "no evidence found",
}
