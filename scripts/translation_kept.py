"""Share of TRAINING translations whose rules' label set equals the gold (source) label set, per
language, and per-label F1 there (issue 11: a faithful translation keeps its source's labels).

Held-out documents are never read: records come from ``split_heldout(load_records())[0]``.
Two figures per language: ``sentence`` (``apply_rules`` on the text alone, as trainmiss.py) and
``document`` (the rules classifier through the document passes, as ``predict_records`` runs it:
title and section scopes, aliases).

    PYTHONPATH=src python scripts/translation_kept.py [--lang hr sl ...] [--misses LABEL]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from mctext.classify.evaluate import predict_records
from mctext.classify.model import Classifier
from mctext.classify.train import load_records, rule_results, split_heldout
from mctext.codebook import LABELS

LANGS = ("hr", "sl", "pl", "fi", "de", "pt")


def kept_share(records: list[dict], predicted: list[set[str]]) -> dict[str, dict]:
    """Per language: n, share of records whose predicted label set equals the gold set, F1 per label."""
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_lang[r.get("lang", "")].append(i)
    out = {}
    for lang, idx in sorted(by_lang.items()):
        c: Counter = Counter()
        kept = 0
        for i in idx:
            gold, pred = set(records[i].get("labels", [])), predicted[i]
            kept += gold == pred
            for lab in LABELS:
                c[lab, (lab in gold, lab in pred)] += 1
        f1 = {}
        for lab in LABELS:
            tp, fp, fn = c[lab, (True, True)], c[lab, (False, True)], c[lab, (True, False)]
            f1[lab] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
        out[lang] = {"n": len(idx), "kept": kept / len(idx), "f1": f1}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", nargs="*", default=list(LANGS))
    ap.add_argument("--misses", help="print the records of this label whose set differs (document figure)")
    a = ap.parse_args()
    train = [r for r in split_heldout(load_records())[0] if r.get("translation_of") and r.get("lang") in a.lang]
    sentence = [set(x.labels) for x in rule_results(train)]
    document = [set(p["labels"]) for p in predict_records(train, Classifier(version="rules"))]
    s, d = kept_share(train, sentence), kept_share(train, document)
    print("lang    n  kept(sent) kept(doc) | F1 (doc) " + " ".join(f"{lab[:6]:>6s}" for lab in LABELS))
    for lang in s:
        f1 = " ".join(f"{d[lang]['f1'][lab]:6.3f}" for lab in LABELS)
        print(f"{lang:4s} {s[lang]['n']:4d}  {s[lang]['kept']:.3f}      {d[lang]['kept']:.3f}     |          {f1}")
    if a.misses:
        sources = {r["id"]: r for r in split_heldout(load_records())[0]}
        for r, pred in zip(train, document, strict=True):
            gold = set(r.get("labels", []))
            if (a.misses in gold) != (a.misses in pred):
                print(f"[{r['lang']}] gold={sorted(gold)} pred={sorted(pred)}\n  {r['text'][:300]}")
                src = sources.get(r["translation_of"])
                if src:  # what fired on the source: the cue whose equivalent the translation lacks
                    x = rule_results([src])[0]
                    print(f"  source [{src.get('lang')}] {src['text'][:200]}\n  source cues: "
                          f"{[q.cue for q in x.cues if q.label == a.misses]}")


if __name__ == "__main__":
    main()
