"""Which segments of a finished run go to annotators, and what each task carries.

A run output folder holds ``segments.parquet`` and ``documents.parquet`` (columns in
``mctext.schemas``). Selections: ``random``, ``uncertain`` (the model's least sure: some
label's score closest to that label's threshold in the model card), ``label=X``
(predicted X), ``disagreement`` (stored annotators disagree and no adjudication yet).
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mctext.annotate import facets
from mctext.annotate.anchor import page_texts, quote_context
from mctext.codebook import FACETS, LABELS
from mctext.errors import MctextError

REQUIRED_SEGMENT_COLUMNS = ("id", "doc_id", "page", "start", "end", "text")
# segments.parquet's names -> the names this package uses for the same columns.
_SEGMENT_COLUMN_NAMES = {"segment_id": "id", "char_start": "start", "char_end": "end"}
SELECTIONS = ("random", "uncertain", "disagreement", "label=X")


def normalised_text(text: str) -> str:
    """The text two segments share when they are the same sentence (a running header, a
    repeated paragraph): NFKC, case-folded, whitespace collapsed. One task per such text."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip().casefold()


def duplicate_ids(segments: pd.DataFrame, ids: list[str]) -> dict[str, list[str]]:
    """For each of ``ids``: the other segments of the run with the same normalised text."""
    keys = segments["text"].map(normalised_text)
    groups: dict[str, list[str]] = {}
    for sid, key in zip(segments["id"], keys, strict=True):
        groups.setdefault(key, []).append(str(sid))
    by_id = dict(zip(segments["id"].astype(str), keys, strict=True))
    return {sid: [d for d in groups[by_id[sid]] if d != sid] for sid in ids}


def load_run(run_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The run's segments and documents tables; documents may be absent (titles then empty)."""
    run_dir = Path(run_dir)
    seg_path = run_dir / "segments.parquet"
    if not seg_path.is_file():
        raise MctextError(f"{run_dir}: no segments.parquet (is this the --out folder of a finished `mctext run`?)")
    segments = pd.read_parquet(seg_path).rename(columns=_SEGMENT_COLUMN_NAMES)
    missing = [c for c in REQUIRED_SEGMENT_COLUMNS if c not in segments.columns]
    if missing:
        raise MctextError(f"{seg_path}: missing columns {', '.join(missing)}")
    doc_path = run_dir / "documents.parquet"
    documents = pd.read_parquet(doc_path) if doc_path.is_file() else pd.DataFrame(columns=["doc_id"])
    segments["id"] = segments["id"].astype(str)
    segments["doc_id"] = segments["doc_id"].astype(str)
    documents["doc_id"] = documents["doc_id"].astype(str)
    return segments, documents


def as_list(value: Any) -> list[Any]:
    """Parquet list cells come back as numpy arrays (or None); annotation records want lists."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, np.ndarray):
        return value.tolist()
    return list(value)


def _nqf(value: Any) -> list[dict[str, Any]]:
    return [{"framework": str(v["framework"]), "level": int(v["level"])} for v in as_list(value)]


def _in_doc_order(segments: pd.DataFrame) -> pd.DataFrame:
    """Segments sorted in reading order with the sentence before and after (same document)."""
    seg = segments.sort_values(["doc_id", "page", "start"], kind="stable").reset_index(drop=True)
    same_prev = seg["doc_id"].eq(seg["doc_id"].shift(1))
    same_next = seg["doc_id"].eq(seg["doc_id"].shift(-1))
    seg["context_before"] = seg["text"].shift(1).where(same_prev, "").fillna("")
    seg["context_after"] = seg["text"].shift(-1).where(same_next, "").fillna("")
    return seg


def _facet_columns(row: dict) -> dict:
    """A run's facet columns (mc_elements, workload, ...) of a segment row; older runs have none."""
    keys = (*FACETS, facets.WORKLOAD)
    return {k: v for k, v in row.items() if k in keys and v is not None and not isinstance(v, (float, str))}


def segment_rows(segments: pd.DataFrame, documents: pd.DataFrame, ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Task rows (in ``ids`` order, or reading order): segment, context, document, model output.

    These rows are what an export hands out and what the store remembers of it.
    """
    seg = _in_doc_order(segments)
    if ids is not None:
        seg = seg.set_index("id", drop=False).loc[ids].reset_index(drop=True)
    texts = page_texts(segments[segments["doc_id"].isin(set(seg["doc_id"]))])
    docs = {str(d["doc_id"]): d for d in documents.to_dict("records")}
    rows = []
    for r in seg.to_dict("records"):
        doc = docs.get(r["doc_id"], {})
        page_text = texts.get((r["doc_id"], int(r["page"])), "")
        prefix, suffix = quote_context(page_text, int(r["start"]), int(r["start"]) + len(r["text"]))
        scores = {lab: float(r[f"score_{lab}"]) for lab in LABELS
                  if f"score_{lab}" in r and r[f"score_{lab}"] is not None and not pd.isna(r[f"score_{lab}"])}
        rows.append({
            "id": r["id"], "doc_id": r["doc_id"], "page": int(r["page"]),
            "start": int(r["start"]), "end": int(r["end"]), "section": str(r.get("section") or ""),
            "text": str(r["text"]), "prefix": prefix, "suffix": suffix,
            "lead_in": "" if pd.isna(r.get("context")) else str(r.get("context") or ""),
            "kind": "" if pd.isna(r.get("kind")) else str(r.get("kind") or ""),
            "context_before": str(r["context_before"]), "context_after": str(r["context_after"]),
            "lang": str(r.get("lang") or ""),
            "doc": str(doc.get("file") or ""), "doc_title": str(doc.get("title") or doc.get("file") or ""),
            "doc_country": str(doc.get("country") or ""),
            "labels": [str(x) for x in as_list(r.get("labels"))],
            "driver_types": [str(x) for x in as_list(r.get("driver_types"))],
            "nqf_levels": _nqf(r.get("nqf_levels")),
            "facets": facets.normalise(r.get("facets") if r.get("facets") is not None else _facet_columns(r)),
            "countries": [str(x) for x in as_list(r.get("countries"))],
            "model_version": str(r.get("model_version") or ""),
            "scores": scores,
        })
    return rows


def uncertainty(segments: pd.DataFrame, thresholds: dict[str, float] | None = None) -> pd.Series:
    """How near the least sure label's score is to its decision threshold: 1 = on it, 0 = sure.

    A score p against threshold t counts p / t below it and (1 - p) / (1 - t) above it
    (with t = 0.5 that is 1 - |2p - 1|). ``thresholds``: the model card's, per label
    (default 0.5 for all); a label left out of them does not count.
    """
    wanted = LABELS if thresholds is None else [lab for lab in LABELS if lab in thresholds]
    cols = [lab for lab in wanted if f"score_{lab}" in segments.columns]
    if not cols:
        raise MctextError("--select uncertain needs score_<label> columns; this run has none")
    per_label = []
    for lab in cols:
        p = segments[f"score_{lab}"].astype(float)
        t = min(max(float((thresholds or {}).get(lab, 0.5)), 1e-6), 1 - 1e-6)
        per_label.append((p / t).where(p < t, (1.0 - p) / (1.0 - t)).rename(lab))
    return pd.concat(per_label, axis=1).max(axis=1).fillna(-1.0)


def model_thresholds(segments: pd.DataFrame, model_dir: Path | None = None) -> dict[str, float] | None:
    """The per-label thresholds of the model that scored ``segments``, where the model is at hand.

    None (0.5 for every label) when the run was scored by another model than the one
    in ``model_dir``. Labels the rules decide keep their scores' card threshold (0.5):
    the model's doubt there is still what the next training round learns from.
    """
    from mctext.classify import load_classifier

    classifier = load_classifier(model_dir)
    versions = set(segments["model_version"].dropna().astype(str)) if "model_version" in segments else set()
    if not classifier.thresholds or versions != {classifier.version}:
        return None
    return dict(classifier.thresholds)


def select_ids(segments: pd.DataFrame, documents: pd.DataFrame, how: str, n: int, *, seed: int = 0,
               lang: str | None = None, country: str | None = None, store_dir: Path | None = None,
               thresholds: dict[str, float] | None = None) -> list[str]:
    """The ids of up to ``n`` segments chosen by ``how`` after the language/country filters."""
    seg = segments
    if lang:
        seg = seg[seg["lang"].astype(str) == lang]
    if country:
        doc_country = dict(zip(documents["doc_id"], documents.get("country", pd.Series(dtype=str)), strict=True))
        countries = seg["countries"] if "countries" in seg.columns else [[]] * len(seg)
        keep = [doc_country.get(d) == country or country in as_list(c)
                for d, c in zip(seg["doc_id"], countries, strict=True)]
        seg = seg[keep]
    seg = seg.sample(frac=1.0, random_state=seed)  # a seeded shuffle: random order, and fair tie-breaks
    if how == "random":
        chosen = seg
    elif how == "uncertain":
        chosen = seg.assign(_u=uncertainty(seg, thresholds)).sort_values("_u", ascending=False, kind="stable")
    elif how.startswith("label="):
        label = how.split("=", 1)[1]
        if label not in LABELS:
            raise MctextError(f"--select {how}: unknown label {label!r} (codebook labels: {', '.join(LABELS)})")
        chosen = seg[[label in as_list(v) for v in seg["labels"]]]
    elif how == "disagreement":
        if store_dir is None:
            raise MctextError("--select disagreement needs the annotation store")
        from mctext.annotate.agreement import disagreements

        wanted = [d.segment_id for d in disagreements(store_dir) if not d.adjudicated]
        present = set(seg["id"])
        chosen = seg.set_index("id", drop=False).loc[[w for w in wanted if w in present]]
    else:
        raise MctextError(f"--select {how!r}: use one of {', '.join(SELECTIONS)}")
    distinct = chosen[~chosen["text"].map(normalised_text).duplicated()]  # one task per distinct text
    return [str(i) for i in distinct["id"].head(n)]
