"""Where each labelled segment sits: its document's title and its section heading path.

    python scripts/record_contexts.py RUN_DIR [--out annotations/contexts.jsonl]

The trained layer sees a segment's title and section (issue 11: "section heading and document
title are available to the trained layer"), but the seed and the annotation store keep only the
segment's text and document. This script looks every labelled record up in a `mctext run` over
../shared/corpus/original (by segment id, else by document and text, else by a text found once, else by a segment
of its document that holds the text or is held by it)
and writes one line per record found: {"id", "doc_title", "section"}. `mctext train` reads the
file (config.CONTEXTS_FILE); records not in it train with an empty context, as a segment without
headings is classified.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections import defaultdict
from pathlib import Path

import pandas as pd

from mctext.classify.train import load_records
from mctext.config import CONTEXTS_FILE


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--out", type=Path, default=CONTEXTS_FILE)
    args = ap.parse_args()
    seg = pd.read_parquet(args.run_dir / "segments.parquet", columns=["segment_id", "doc_id", "section", "text"])
    docs = pd.read_parquet(args.run_dir / "documents.parquet", columns=["doc_id", "file", "title"])
    title = dict(zip(docs["doc_id"], docs["title"], strict=True))
    file_of = {d: Path(f).name for d, f in zip(docs["doc_id"], docs["file"], strict=True)}
    by_id = {s: (d, sec) for s, d, sec in zip(seg["segment_id"], seg["doc_id"], seg["section"], strict=True)}
    by_doc_text: dict[tuple[str, str], tuple[str, str]] = {}
    by_text: dict[str, list[tuple[str, str]]] = defaultdict(list)
    in_doc: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for d, sec, text in zip(seg["doc_id"], seg["section"], seg["text"], strict=True):
        by_doc_text.setdefault((file_of[d], norm(text)), (d, sec))
        by_text[norm(text)].append((d, sec))
        in_doc[file_of[d]].append((norm(text), d, sec))
    rows, found = [], {"id": 0, "doc+text": 0, "text": 0, "overlap": 0}
    for r in load_records():
        if r.get("source") == "examples":
            continue
        hit, how = by_id.get(r["id"]), "id"
        if hit is None:
            hit, how = by_doc_text.get((Path(r.get("doc", "")).name, norm(r["text"]))), "doc+text"
        if hit is None and len(by_text.get(norm(r["text"]), [])) == 1:
            hit, how = by_text[norm(r["text"])][0], "text"
        if hit is None:  # cut differently since it was labelled: a segment of its document holding it or held by it
            key, how = norm(r["text"]), "overlap"
            hit = next(((d, sec) for text, d, sec in in_doc.get(Path(r.get("doc", "")).name, [])
                        if len(key) >= 20 and len(text) >= 20 and (key in text or text in key)), None)
        if hit is None:
            continue
        found[how] += 1
        rows.append({"id": r["id"], "doc_title": title.get(hit[0], "") or "", "section": hit[1] or ""})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in sorted(rows, key=lambda x: x["id"]):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(args.out)
    print(f"{len(rows)} records placed ({found}) -> {args.out}")


if __name__ == "__main__":
    main()
