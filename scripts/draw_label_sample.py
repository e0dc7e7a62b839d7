"""Draw the segments for a labelling batch from a run: per-language quotas, spread over documents.

Provenance of the project's own labels (issue 11): the sample is drawn from a `mctext run` over
../shared/corpus/original, leaving out segments whose text is already in the seed or in an
earlier batch, and written as a list of segment ids for `mctext annotate export --ids FILE --blind`.

    python scripts/draw_label_sample.py RUN_DIR OUT_IDS --quota de=150 --quota en=150 ... \
        [--exclude PREVIOUS_IDS_OR_JSONL ...] [--max-chars 450] [--seed 1] [--skip-doc-type law ...]

``--skip-doc-type`` leaves out documents of a type (the run's documents table, from the
MANIFEST): batch 3 skipped laws and regulations to reach the strategies, studies and
frameworks where drivers and facets are stated.

Within a language, documents take turns (round robin, each document's segments shuffled), so a
long law does not crowd out the short documents of the same language.
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from collections import defaultdict
from pathlib import Path

import pandas as pd

from mctext.config import SEED_ANNOTATIONS

LANG_GROUPS = {"nb": "no", "nn": "no"}  # quotas count Norwegian Bokmål and Nynorsk together


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def excluded_texts(paths: list[Path]) -> set[str]:
    """Texts already labelled: the seed plus earlier batches' task files (JSONL with "text")."""
    texts: set[str] = set()
    for path in [SEED_ANNOTATIONS, *paths]:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.add(norm(json.loads(line).get("text", "")))
    return texts


def draw(segments: pd.DataFrame, quotas: dict[str, int], exclude: set[str], *, max_chars: int,
         min_chars: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seg = segments[segments["text"].str.len().between(min_chars, max_chars)]
    seg = seg[~seg["text"].map(norm).isin(exclude)]
    seg = seg.drop_duplicates(subset=["text"])
    chosen: list[str] = []
    lang = seg["lang"].map(lambda x: LANG_GROUPS.get(x, x))
    for code, quota in quotas.items():
        by_doc: dict[str, list[str]] = defaultdict(list)
        for doc_id, sid in zip(seg.loc[lang == code, "doc_id"], seg.loc[lang == code, "id"], strict=True):
            by_doc[doc_id].append(sid)
        queues = [rng.sample(ids, len(ids)) for _, ids in sorted(by_doc.items())]
        taken = 0
        while taken < quota and any(queues):
            for q in queues:
                if q and taken < quota:
                    chosen.append(q.pop())
                    taken += 1
    return chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--quota", action="append", default=[], help="LANG=N")
    ap.add_argument("--exclude", action="append", type=Path, default=[])
    ap.add_argument("--max-chars", type=int, default=450)
    ap.add_argument("--min-chars", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-doc-type", action="append", default=[], help="leave out documents of this doc_type")
    args = ap.parse_args()
    quotas = {q.split("=")[0]: int(q.split("=")[1]) for q in args.quota}
    segments = pd.read_parquet(args.run_dir / "segments.parquet")
    if "segment_id" in segments.columns and "id" not in segments.columns:
        segments = segments.rename(columns={"segment_id": "id"})
    if args.skip_doc_type:
        documents = pd.read_parquet(args.run_dir / "documents.parquet", columns=["doc_id", "doc_type"])
        skipped = set(documents.loc[documents["doc_type"].isin(args.skip_doc_type), "doc_id"])
        segments = segments[~segments["doc_id"].isin(skipped)]
    ids = draw(segments, quotas, excluded_texts(args.exclude), max_chars=args.max_chars,
               min_chars=args.min_chars, seed=args.seed)
    args.out.write_text("\n".join(ids) + "\n", encoding="utf-8")
    langs = segments.set_index("id").loc[ids, "lang"].value_counts().to_dict()
    docs = segments.set_index("id").loc[ids, "doc_id"].nunique()
    print(f"{len(ids)} segments from {docs} documents: {langs}")


if __name__ == "__main__":
    main()
