"""Per-document results -> the output tables (documents, segments, evidence, summary).

Every number in ``country_summary`` is derived from the ``segments`` table built here,
so an analyst who recounts from ``segments.parquet`` gets the same figures. Every
quote is a segment's text, which is ``page.text[start:end]`` of its page: the
evidence can always be found again on the stated page of the stated document.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mctext.codebook import LABELS
from mctext.config import NO_COUNTRY
from mctext.config import QUOTE_CONTEXT_CHARS as CONTEXT_CHARS
from mctext.records import DOC_FAILED, DocResult, Prediction
from mctext.schemas import COLUMNS, FACT_SHEET_LINKS, arrow_schema

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
    failures: pd.DataFrame
    country_summary: pd.DataFrame

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


def build_tables(results: Iterable[DocResult], human_labels: HumanLabels | None = None) -> Tables:
    """Turn the per-document results (in any order) into sorted, deterministic tables.

    ``human_labels`` maps segment id -> labels from the annotation store; where a segment
    has them they replace the model's labels, and its evidence rows have source "human".
    """
    human = human_labels or {}
    results = sorted(results, key=lambda r: (r.document.file, r.document.sha256))
    doc_rows: list[dict[str, Any]] = []
    seg_rows: list[dict[str, Any]] = []
    ev_rows: list[dict[str, Any]] = []
    fail_rows: list[dict[str, Any]] = []
    first_file: dict[str, str] = {}  # doc_id -> the first file with that content
    for result in results:
        doc = result.document
        row = {name: getattr(doc, name) for name in COLUMNS["documents"]}
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
            countries = attributed_countries(pred.countries, doc.country)
            if seg.id in human:
                labels, label_source = _ordered_labels(human[seg.id]), "human"
            else:
                labels, label_source = _ordered_labels(pred.labels), "model"
            seg_rows.append({
                "id": seg.id, "doc_id": seg.doc_id, "page": seg.page, "page_end": seg.page_end,
                "start": seg.start, "end": seg.end, "section": seg.section, "kind": seg.kind,
                "context": seg.context, "text": seg.text, "lang": seg.lang,
                "labels": labels, "driver_types": list(pred.driver_types),
                "nqf_levels": [lv.to_dict() for lv in pred.nqf_levels],
                "countries": countries,
                # vars(): Cue.to_dict (dataclasses.asdict) deep-copies and was the hot spot.
                "cues": json.dumps([dict(vars(c)) for c in pred.cues], ensure_ascii=False),
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
                    "segment_id": seg.id, "doc_id": seg.doc_id, "label": label, "quote": seg.text,
                    "prefix": page_text[max(0, seg.start - CONTEXT_CHARS):seg.start],
                    "suffix": pages.get(seg.page_end, "")[seg.end:seg.end + CONTEXT_CHARS],
                    "doc_title": title, "file": doc.file, "page": seg.page, "start": seg.start,
                    "end": seg.end, "section": seg.section, "lang": seg.lang,
                    "country": countries[0] if countries else "", "score": score,
                    "source": source, "model_version": pred.model_version, "countries": countries,
                })
    documents = frame("documents", doc_rows)
    segments = frame("segments", seg_rows)
    evidence = frame("evidence", ev_rows)
    return Tables(documents=documents, segments=segments, evidence=evidence,
                  failures=frame("failures", fail_rows),
                  country_summary=country_summary(documents, segments, evidence))


# --- the country summary ---------------------------------------------------------------


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


def format_quote(row: Mapping[str, Any] | None) -> str:
    """A quote as a person cites it: “text” (title, p. N)."""
    if row is None:
        return ""
    return f"\u201c{row['quote']}\u201d ({row['doc_title']}, p. {int(row['page'])})"


def _quote_record(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"quote": row["quote"], "doc_title": row["doc_title"], "file": row["file"],
            "page": int(row["page"]), "score": round(float(row["score"]), 4),
            "lang": row["lang"], "source": row["source"], "segment_id": row["segment_id"]}


def _strongest(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The n highest-scoring rows, one per distinct quote text, ties broken by position."""
    ranked = sorted(rows, key=lambda r: (-float(r["score"]), r["file"], r["page"], r["start"]))
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


def country_summary(documents: pd.DataFrame, segments: pd.DataFrame,
                    evidence: pd.DataFrame) -> pd.DataFrame:
    """One row per country: counts recomputable from ``segments``, quotes from ``evidence``.

    A country gets a row when a document says it is that country's or a segment is
    attributed to it, so a country whose documents yielded nothing still shows (zeros).
    """
    seg_ids: dict[str, set[str]] = defaultdict(set)
    seg_docs: dict[str, set[str]] = defaultdict(set)
    label_segs: dict[tuple[str, str], set[str]] = defaultdict(set)
    label_docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    co_labelled: dict[tuple[str, str], set[str]] = defaultdict(set)
    drivers: dict[str, Counter[str]] = defaultdict(Counter)
    levels: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for seg in _rows(segments, ["id", "doc_id", "labels", "countries", "driver_types",
                                "nqf_levels"]):
        labels = list(seg["labels"])
        for country in seg["countries"]:
            seg_ids[country].add(seg["id"])
            seg_docs[country].add(seg["doc_id"])
            for label in labels:
                label_segs[country, label].add(seg["id"])
                label_docs[country, label].add(seg["doc_id"])
                if "microcredential" in labels and label != "microcredential":
                    co_labelled[country, label].add(seg["id"])
            if "driver" in labels:
                drivers[country].update(dict.fromkeys(seg["driver_types"], 1))
            for level in seg["nqf_levels"]:
                levels[country][level["framework"]].add(int(level["level"]))

    evidence_rows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(evidence, list(evidence.columns)):
        for country in row["countries"]:
            evidence_rows[country, row["label"]].append(row)

    countries = set(seg_ids) | {c for c in documents["country"] if is_country(c)}
    rows: list[dict[str, Any]] = []
    for country in sorted(countries):
        n_seg = len(seg_ids[country])
        row: dict[str, Any] = {"country": country, "documents": len(seg_docs[country]),
                               "segments": n_seg}
        for label in LABELS:
            hits = len(label_segs[country, label])
            row[f"{label}_segments"] = hits
            row[f"{label}_documents"] = len(label_docs[country, label])
            row[f"{label}_share"] = round(hits / n_seg, 6) if n_seg else 0.0
            quotes = _strongest(evidence_rows[country, label], QUOTES_PER_LABEL)
            row[f"{label}_quotes"] = json.dumps([_quote_record(q) for q in quotes],
                                                ensure_ascii=False, sort_keys=True)
        top = sorted(drivers[country].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_DRIVER_TYPES]
        row["top_driver_types"] = json.dumps([{"segments": n, "type": t} for t, n in top],
                                             sort_keys=True)
        row["nqf_levels"] = json.dumps({fw: sorted(lv) for fw, lv in levels[country].items()},
                                       sort_keys=True)
        mc = row["microcredential_segments"]
        row["fs_microcredentials"] = mc > 0
        row["fs_microcredentials_strength"] = strength(mc, row["microcredential_documents"])
        row["fs_microcredentials_quote"] = format_quote(
            _best(evidence_rows[country, "microcredential"]))
        for link in FACT_SHEET_LINKS:
            linked_ids = co_labelled[country, link]
            candidates = evidence_rows[country, link]
            if linked_ids:
                row[f"fs_{link}_link"] = "linked"
                candidates = [r for r in candidates if r["segment_id"] in linked_ids]
            else:
                row[f"fs_{link}_link"] = "mentioned" if candidates else "none"
            row[f"fs_{link}_quote"] = format_quote(_best(candidates))
        # Driver evidence whose cause fits no codebook type still says "drivers exist".
        row["fs_main_drivers"] = ", ".join(t for t, _ in top) or (
            UNTYPED_DRIVERS if row["driver_segments"] else "")
        row["fs_drivers_quote"] = format_quote(_best(evidence_rows[country, "driver"]))
        rows.append(row)
    return frame("country_summary", rows)


FACT_SHEET_HELP = {
    "linked": "named together with micro-credentials in the same passage",
    "mentioned": "discussed, but never in the same passage as micro-credentials",
    "none": "no evidence found",
}
