"""Level extraction: speed on the seed segments and exact-match scores against the seed's gold levels.

    .venv/bin/python benchmarks/bench_levels.py [--repeat 20] [--show]

Levels run on every segment, so their cost per segment matters more than their cost per
mention. Speed: microseconds per segment over the seed texts (../shared/annotations/seed.jsonl)
repeated --repeat times, best of three runs (noisy when other work shares the machine; the
load average is printed). Scores: micro F1 over (segment, scale, level) triples, scale "EQF"
or "national" as the codebook scores them, and the share of segments whose set is exactly
right; --show prints the segments that differ.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import time
from pathlib import Path

from mctext.classify.fastre import TextView
from mctext.classify.levels import extract_nqf_levels, scale

REPO = Path(__file__).resolve().parent.parent
SEED = Path(os.environ.get("MCTEXT_SHARED", REPO.parent / "shared")) / "annotations" / "seed.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    rows = [json.loads(line) for line in SEED.open(encoding="utf-8") if line.strip()]
    tp = fp = fn = exact = 0
    for r in rows:
        gold = {(scale(x["framework"]), int(x["level"])) for x in r.get("nqf_levels", [])}
        got = {(scale(x.framework), x.level) for x in extract_nqf_levels(r["text"], r.get("lang"), r.get("doc_country"))}
        tp, fp, fn, exact = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got), exact + (gold == got)
        if args.show and gold != got:
            print(f"{r.get('lang')} {r.get('doc_country')} gold={sorted(gold)} got={sorted(got)} | {r['text'][:160]}")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    print(f"seed: {len(rows)} segments, tp={tp} fp={fp} fn={fn}, micro F1 {f1:.4f}, exact sets {exact}/{len(rows)}")
    # The rules hand the extractor the TextView they built for the cues: built here up front too.
    args_of = [(r["text"], r.get("lang"), r.get("doc_country"), TextView.of(r["text"])) for r in rows] * args.repeat
    takes_view = "view" in inspect.signature(extract_nqf_levels).parameters  # also times older versions
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for text, lang, country, view in args_of:
            extract_nqf_levels(text, lang, country, view) if takes_view else extract_nqf_levels(text, lang, country)
        best = min(best, time.perf_counter() - t0)
    print(f"speed: {1e6 * best / len(args_of):.1f} us/segment over {len(args_of)} segments (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
