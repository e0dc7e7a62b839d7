"""The document pass of ``classify.context`` on the TRAINING documents: P/R/F1 of each context label
before and after it (rules only), and every new decision with its cue (to read against the codebook).

A run's segments (``mctext run``: real segment boundaries, sections, titles) of the documents
that hold training records are classified again with the rules; gold is found by normalised
text, as ``mctext evaluate RUN_DIR`` does. Only ``split_heldout(load_records())[0]`` is read:
the held-out documents stay unseen.

    PYTHONPATH=src python scripts/context_errors.py outputs/original            # the table
    PYTHONPATH=src python scripts/context_errors.py outputs/original --new --misses
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from mctext.classify import classify_segments
from mctext.classify.context import context_labels
from mctext.classify.evaluate import _norm
from mctext.classify.model import rules_only_classifier
from mctext.classify.train import load_records, split_heldout
from mctext.records import Segment


def training_documents(run_dir: Path) -> list[tuple[str, str, str, list[Segment], list[dict | None]]]:
    """(file, title, country, segments, gold record or None per segment) of the run's training documents."""
    train = [r for r in split_heldout([r for r in load_records() if r.get("source") != "examples"])[0]]
    gold: dict[str, dict] = {}
    for r in train:
        gold.setdefault(_norm(r["text"]), r)
    names = {r["doc"] for r in train}
    docs = pd.read_parquet(run_dir / "documents.parquet").set_index("doc_id")
    rows: dict[str, list[dict]] = defaultdict(list)
    for row in pd.read_parquet(run_dir / "segments.parquet").to_dict("records"):
        rows[row["doc_id"]].append(row)
    out = []
    for doc_id, segs in rows.items():
        file = Path(docs.loc[doc_id, "file"]).name
        if file not in names:
            continue
        segments = [Segment(r["segment_id"], doc_id, int(r["page"]), int(r["page_end"]), int(r["char_start"]),
                            int(r["char_end"]), r["text"], r["lang"] or "", r["section"] or "", r["kind"],
                            r.get("context") or "") for r in segs]
        out.append((file, docs.loc[doc_id, "title"] or "", docs.loc[doc_id, "country"] or "", segments,
                    [gold.get(_norm(r["text"])) for r in segs]))
    return sorted(out)


def _prf(c: Counter, when: str) -> str:
    tp, fp, fn = c[when, "tp"], c[when, "fp"], c[when, "fn"]
    p, r = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.2f} R {r:.2f} F1 {f:.2f} (tp {tp} fp {fp} fn {fn})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--new", action="store_true", help="list every new decision (gold+, gold-, nogold)")
    ap.add_argument("--misses", action="store_true", help="list the gold positives still missed")
    args = ap.parse_args()
    clf = rules_only_classifier("scripts/context_errors.py")
    docs = training_documents(args.run_dir)
    for label in context_labels():
        total: Counter = Counter()
        by_scope: Counter = Counter()
        by_word: Counter = Counter()
        for file, title, country, segments, gold in docs:
            c: Counter = Counter()
            for seg, pred, g in zip(segments, classify_segments(segments, country, clf, title), gold, strict=True):
                context = [cue for cue in pred.cues if cue.label == label and cue.cue.startswith("context:")]
                after = label in pred.labels
                before = after and not context
                if context:
                    tag = "nogold" if g is None else ("gold+" if label in g["labels"] else "gold-")
                    cue = context[0].cue
                    by_scope[cue.split(" '")[0].split(" p.")[0] + (" + neighbours" if cue.endswith(" and neighbours labelled") else ""), tag] += 1
                    by_word[context[0].text.casefold(), tag] += 1
                    if args.new:
                        print(f"NEW {tag:6} | {file[:40]} | {context[0].cue} | {seg.text[:200]}")
                if g is None:
                    continue
                positive = label in g["labels"]
                for when, got in (("before", before), ("after", after)):
                    c[when, "tp" if positive and got else "fp" if got else "fn" if positive else "tn"] += 1
                if args.misses and positive and not after:
                    print(f"MISS | {file[:40]} | {seg.section[-50:]} | {seg.text[:200]}")
            total.update(c)
            if c["before", "tp"] + c["before", "fn"] + c["after", "fp"]:
                print(f"{label} {file[:50]:50} before {_prf(c, 'before')} | after {_prf(c, 'after')}")
        print(f"{label} ALL before {_prf(total, 'before')}\n{label} ALL after  {_prf(total, 'after')}")
        print(f"{label} new decisions by scope: {dict(by_scope)}\n{label} new decisions by word: {dict(by_word)}")


if __name__ == "__main__":
    main()
