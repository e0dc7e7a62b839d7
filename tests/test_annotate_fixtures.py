"""Small run-output folders for the annotate tests, written with pandas in the schema of a real run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mctext import schemas
from mctext.codebook import LABELS
from mctext.records import segment_id

# Two documents, two pages in the first: (doc_id, page, [sentences]).
PAGES = [
    ("d1", 1, ["Micro-credentials certify short learning.", "They respond to skills shortages.",
               "The NQF has eight levels."]),
    ("d1", 2, ["Validation of prior learning is possible.", "Credits can be stacked toward a degree."]),
    ("d2", 1, ["Die Mikro-Credentials sind neu.", "Qualitätssicherung schafft Vertrauen.",
               "Ein Satz ohne Bezug."]),
]
DOCS = {"d1": ("policy_en.pdf", "Skills policy", "IE", "en"), "d2": ("strategie_de.pdf", "Strategie", "DE", "de")}


def page_layout(sentences: list[str], gap: str = " ") -> list[tuple[int, int, str]]:
    """Offsets of sentences laid out on one page, separated by ``gap``."""
    out, pos = [], 0
    for s in sentences:
        out.append((pos, pos + len(s), s))
        pos += len(s) + len(gap)
    return out


def make_run(out: Path, pages: list[tuple[str, int, list[str]]] = PAGES, *, model_version: str = "test-1",
             gap: str = " ") -> Path:
    """Write segments.parquet + documents.parquet; labels/scores vary so every selection has material."""
    rows = []
    k = 0
    for doc_id, page, sentences in pages:
        lang = DOCS[doc_id][3]
        for start, end, text in page_layout(sentences, gap):
            scores = {lab: ((k * 7 + i * 3) % 10) / 10 + 0.05 for i, lab in enumerate(LABELS)}
            labels = [lab for lab, p in scores.items() if p >= 0.5]
            row = {
                "segment_id": segment_id(doc_id, page, start, text), "doc_id": doc_id, "page": page, "page_end": page,
                "char_start": start, "char_end": end, "section": "", "kind": "body", "context": "", "text": text, "lang": lang, "labels": labels,
                "driver_types": ["labour_market"] if "driver" in labels else [],
                "nqf_levels": [{"framework": "NFQ", "level": 6}] if "nqf" in labels else [],
                "countries": [DOCS[doc_id][2]], "cues": [], "model_version": model_version,
                **{f"score_{lab}": p for lab, p in scores.items()},
            }
            rows.append(row)
            k += 1
    out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=schemas.SEGMENTS).to_parquet(out / "segments.parquet")
    docs = [{"doc_id": d, "file": f, "sha256": d * 8, "title": t, "country": c, "language": lang, "year": 2024,
             "doc_type": "policy", "format": "pdf", "pages": 2, "status": "ok", "error": ""}
            for d, (f, t, c, lang) in DOCS.items()]
    pd.DataFrame(docs, columns=schemas.DOCUMENTS).to_parquet(out / "documents.parquet")
    return out


def store_bytes(store: Path) -> dict[str, bytes]:
    """Every file of the store and its bytes: what a refused import must leave unchanged."""
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def test_fixture_run_matches_schema(tmp_path: Path) -> None:
    seg = pd.read_parquet(make_run(tmp_path / "run") / "segments.parquet")
    assert list(seg.columns) == schemas.SEGMENTS
    assert len(seg) == 8 and seg["segment_id"].is_unique
