"""Rules-only facets on the TRAINING part of the labelled records: P/R/F1 per facet and value, and
the false positives / negatives with the cue that fired (what to look at when tuning facet cues).

Only ``split_heldout(load_records())[0]`` is read: the held-out documents stay unseen.

    PYTHONPATH=src python scripts/facet_errors.py                      # the table
    PYTHONPATH=src python scripts/facet_errors.py --errors actors:learners --limit 20
    PYTHONPATH=src python scripts/facet_errors.py --json out.json      # the metrics as JSON
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mctext.classify.evaluate import (
    COUNTRY_VALUE,
    facet_lines,
    facet_scores,
    facet_values_of,
    predict_records,
    workload_pairs,
)
from mctext.classify.facets import COUNTRY_PREFIX, INTERNATIONAL, MC_ELEMENTS, WORKLOAD, facet_label
from mctext.classify.model import Classifier
from mctext.classify.train import load_records, split_heldout
from mctext.codebook import FACETS


def training_facet_records() -> list[dict[str, Any]]:
    """The training records with settled human facets."""
    return [r for r in split_heldout(load_records())[0] if isinstance(r.get("facets"), dict)]


def errors(gold: list[dict[str, Any]], pred: list[dict[str, Any]], key: str) -> list[tuple[str, dict, dict]]:
    """("FP" | "FN", gold record, prediction) for one ``facet:value`` (or ``workload``)."""
    out = []
    for g, p in zip(gold, pred, strict=True):
        if key == WORKLOAD:
            gw, pw = workload_pairs(g["facets"]), workload_pairs(p)
            if gw - pw:
                out.append(("FN", g, p))
            if pw - gw:
                out.append(("FP", g, p))
            continue
        facet, value = key.split(":", 1)
        gs, ps = facet_values_of(g["facets"], facet), facet_values_of(p, facet)
        if value in ps - gs:
            out.append(("FP", g, p))
        if value in gs - ps:
            out.append(("FN", g, p))
    return out


def _show(kind: str, g: dict, p: dict, key: str) -> str:
    label = facet_label(*key.split(":", 1)) if key != WORKLOAD else facet_label(MC_ELEMENTS, WORKLOAD)
    countries = facet_label(INTERNATIONAL, COUNTRY_PREFIX)  # the cues of every country:XX
    cues = [f"{c['cue']}={c['text']!r}" for c in p.get("cues", []) if c["label"] == label
            or (key == f"{INTERNATIONAL}:{COUNTRY_VALUE}" and c["label"].startswith(countries))]
    extra = ""
    if key == WORKLOAD:
        extra = f" gold={g['facets'].get('workload')} pred={[(w['value'], w['unit']) for w in p.get('workload', [])]}"
    return (f"{kind} [{g.get('lang')}] {g['id']} labels={p.get('labels')} gold_labels={g.get('labels')}{extra}\n"
            f"   cues: {'; '.join(cues) or '-'}\n   {g['text'][:400]!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="append", default=[], help="facet:value (or workload) whose errors to list")
    ap.add_argument("--kind", choices=["FP", "FN"], help="only false positives or negatives")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--json", type=Path, help="write the metrics here")
    args = ap.parse_args()
    gold = training_facet_records()
    pred = predict_records(gold, Classifier(version="rules"))
    metrics = facet_scores([g["facets"] for g in gold], pred)
    print("\n".join(facet_lines(metrics)))
    for facet in FACETS:
        m = metrics[facet]
        print(f"{facet:<20} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} ({m['support']})")
    if args.json:
        args.json.write_text(json.dumps(metrics, indent=1))
    for key in args.errors:
        errs = [e for e in errors(gold, pred, key) if args.kind in (None, e[0])]
        print(f"\n== {key}: {sum(e[0] == 'FP' for e in errs)} FP, {sum(e[0] == 'FN' for e in errs)} FN")
        for kind, g, p in errs[: args.limit]:
            print(_show(kind, g, p, key))


if __name__ == "__main__":
    main()
