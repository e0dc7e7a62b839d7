"""Output table schemas: the one place that names the columns analysts query.

Each table is a pandas DataFrame with exactly these columns, in this order, written
to Parquet and to DuckDB under the table name. ``LABELS`` comes from the codebook, so
adding a label adds its score column everywhere.
"""

from __future__ import annotations

from mctext.codebook import LABELS

DOCUMENTS = [
    "doc_id", "file", "sha256", "title", "country", "language", "year", "doc_type",
    "format", "pages", "status", "error",
]

# One row per segment: provenance, then classification.
#   labels, driver_types, countries: list[str]
#   nqf_levels: list of {"framework": str, "level": int}
#   cues: JSON string, list of {"label", "cue", "text", "start", "end"}
#   score_<label>: float probability per codebook label
#   page_end: the page where the segment ends (== page unless a sentence runs across a page break)
#   kind: one of records.SEGMENT_KINDS (body, list_item, heading, table_row, ...)
#   context: a list item's lead-in, shown beside the quote ("" for other segments)
SEGMENTS = [
    "id", "doc_id", "page", "page_end", "start", "end", "section", "kind", "context", "text", "lang",
    "labels", "driver_types", "nqf_levels", "countries", "cues", "model_version",
    *[f"score_{label}" for label in LABELS],
]

# One row per (segment, label). source: rule | model | human.
EVIDENCE = [
    "segment_id", "doc_id", "label", "quote", "prefix", "suffix", "doc_title", "file",
    "page", "start", "end", "section", "lang", "country", "score", "source", "model_version",
]

FAILURES = ["file", "sha256", "stage", "reason"]

# Segments also say where their labels come from: "model", or "human" when the
# annotation store holds labels for that segment id (human labels win).
SEGMENTS_EXTRA = ["label_source"]

# Rows of evidence carry every attributed country in ``countries``; ``country`` is the
# first of them (the one named first), kept for simple filters.
EVIDENCE_EXTRA = ["countries"]

# Which of the codebook labels a fact sheet line is about, besides "microcredential".
FACT_SHEET_LINKS = ("nqf", "validation", "stackability", "quality_trust")

# One row per country. Nested values (quotes, levels, driver counts) are JSON strings,
# so the Parquet and the CSV hold the same cells.
#   <label>_segments / _documents: evidence segments and documents for the label
#   <label>_share: <label>_segments / segments
#   <label>_quotes: JSON list of the three strongest quotes
#       [{"quote", "doc_title", "file", "page", "score", "lang", "source", "segment_id"}]
#   top_driver_types: JSON list [{"type", "segments"}] (at most three, most frequent first)
#   nqf_levels: JSON object framework -> sorted levels, e.g. {"EQF": [5, 6], "NFQ": [6]}
#   fs_*: the Cedefop-style fact sheet, each line with its best quote (a readable string)
COUNTRY_SUMMARY = [
    "country", "documents", "segments",
    *[f"{label}_{what}" for label in LABELS for what in ("segments", "documents", "share", "quotes")],
    "top_driver_types", "nqf_levels",
    "fs_microcredentials", "fs_microcredentials_strength", "fs_microcredentials_quote",
    *[f"fs_{link}_{what}" for link in FACT_SHEET_LINKS for what in ("link", "quote")],
    "fs_main_drivers", "fs_drivers_quote",
]


def arrow_schema(table: str):  # -> pyarrow.Schema (imported lazily: keeps `mctext --help` fast)
    """Typed columns, so an empty table still has the right types in Parquet and DuckDB."""
    import pyarrow as pa

    s, i, f, b = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    strings = pa.list_(s)
    level = pa.list_(pa.struct([("framework", s), ("level", i)]))
    types: dict[str, dict[str, object]] = {
        "documents": {"year": i, "pages": i},
        "segments": {"page": i, "page_end": i, "start": i, "end": i, "labels": strings, "driver_types": strings,
                     "nqf_levels": level, "countries": strings,
                     **{f"score_{label}": f for label in LABELS}},
        "evidence": {"page": i, "start": i, "end": i, "score": f, "countries": strings},
        "failures": {},
        "country_summary": {"documents": i, "segments": i,
                            **{f"{label}_segments": i for label in LABELS},
                            **{f"{label}_documents": i for label in LABELS},
                            **{f"{label}_share": f for label in LABELS},
                            "fs_microcredentials": b},
    }[table]
    return pa.schema([(name, types.get(name, s)) for name in COLUMNS[table]])


COLUMNS: dict[str, list[str]] = {
    "documents": DOCUMENTS,
    "segments": SEGMENTS + SEGMENTS_EXTRA,
    "evidence": EVIDENCE + EVIDENCE_EXTRA,
    "failures": FAILURES,
    "country_summary": COUNTRY_SUMMARY,
}
