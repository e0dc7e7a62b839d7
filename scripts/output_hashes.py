"""Hashes of what extraction, segmentation and classification produce, per document and stage.

    python scripts/output_hashes.py CORPUS [--no-ocr] [--out hashes.json] [--against old.json]

Why: speed work must leave every output identical. Run it before a change (``--out``)
and after (``--against``): it prints the documents whose pages, segments or
predictions differ, and exits 1 when any do.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from pathlib import Path


def _digest(items: list) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(json.dumps(dataclasses.asdict(item), sort_keys=True, default=str, ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def corpus_hashes(corpus: Path, ocr: bool) -> dict[str, dict[str, str]]:
    from mctext.config import RunConfig
    from mctext.corpus import discover
    from mctext.pipeline import process_document

    cfg = RunConfig(workers=1, ocr=ocr)
    out: dict[str, dict[str, str]] = {}
    for source in discover(corpus):
        result = process_document(source, cfg)
        out[source.rel] = {
            "document": _digest([result.document]),
            "pages": _digest(result.pages),
            "segments": _digest(result.segments),
            "predictions": _digest(result.predictions),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--against", type=Path)
    args = parser.parse_args()
    started, cpu = time.perf_counter(), time.process_time()
    hashes = corpus_hashes(args.corpus, not args.no_ocr)
    print(f"{len(hashes)} documents in {time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} CPU s)")
    if args.out:
        args.out.write_text(json.dumps(hashes, indent=1, sort_keys=True))
    if args.against:
        old = json.loads(args.against.read_text())
        diff = [(doc, stage) for doc in sorted(set(old) | set(hashes)) for stage in ("document", "pages", "segments", "predictions")
                if old.get(doc, {}).get(stage) != hashes.get(doc, {}).get(stage)]
        for doc, stage in diff:
            print(f"DIFFERS: {doc}: {stage}")
        print(f"{len(diff)} differences against {args.against}")
        sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
