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
SEGMENTS = [
    "id", "doc_id", "page", "start", "end", "section", "text", "lang",
    "labels", "driver_types", "nqf_levels", "countries", "cues", "model_version",
    *[f"score_{label}" for label in LABELS],
]

# One row per (segment, label). source: rule | model | human.
EVIDENCE = [
    "segment_id", "doc_id", "label", "quote", "prefix", "suffix", "doc_title", "file",
    "page", "start", "end", "section", "lang", "country", "score", "source", "model_version",
]

FAILURES = ["file", "sha256", "stage", "reason"]
