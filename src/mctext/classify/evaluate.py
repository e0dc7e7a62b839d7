"""Scoring predictions against gold segments, the same way for CV and held-out files.

- per label: precision, recall, F1, support (gold positives), tp/fp/fn;
- macro F1 (all labels), ``macro_f1_frequent`` (labels with >= 20 gold positives), micro F1;
- per language: n, micro F1 and macro F1 over the labels present in that language;
- NQF levels: micro F1 over (segment, scale, level) triples, where scale is "EQF" or
  "national" (any national acronym or NQF), as the codebook scores them;
- countries: exact-set accuracy (a segment counts when its predicted set of codes equals
  the gold set; empty == empty counts) and micro F1 over (segment, code) pairs;
- driver types: micro F1 over (segment, type) pairs;
- facets (codebook v1.2), on the gold records that carry human ``facets``: per facet micro P/R/F1
  over (segment, value) pairs and P/R/F1 per value (every ``country:XX`` counted as one value
  ``country:XX``); workloads: P/R/F1 over (segment, value, unit) triples (a workload is right
  when number and unit are). Gold facets come as ``{facet: [values], "workload": [{value, unit}]}``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from mctext.classify.levels import scale
from mctext.codebook import FACETS, LABELS, country_prefix
from mctext.jsonl import read_jsonl

FREQUENT = 20


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _level_set(levels: list[Any]) -> set[tuple[str, int]]:
    out = set()
    for lv in levels:
        fw, n = (lv["framework"], lv["level"]) if isinstance(lv, dict) else (lv.framework, lv.level)
        out.add((scale(str(fw)), int(n)))
    return out


def _label_table(gold: list[dict], pred: list[dict], labels: tuple[str, ...]) -> dict[str, Any]:
    per: dict[str, Any] = {}
    tot = [0, 0, 0]
    for label in labels:
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            gi, pi = label in g.get("labels", []), label in p.get("labels", [])
            tp += gi and pi
            fp += pi and not gi
            fn += gi and not pi
        per[label] = {**_prf(tp, fp, fn), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}
        tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
    frequent = [lab for lab in labels if per[lab]["support"] >= FREQUENT]
    present = [lab for lab in labels if per[lab]["support"] > 0]
    return {
        "labels": per,
        "macro_f1": round(sum(per[lab]["f1"] for lab in present) / len(present), 4) if present else 0.0,
        "macro_f1_frequent": round(sum(per[lab]["f1"] for lab in frequent) / len(frequent), 4) if frequent else 0.0,
        "frequent_labels": frequent,
        "micro_f1": _prf(*tot)["f1"],
    }


def _labels_exact(gold: list[dict], pred: list[dict]) -> float:
    """The share with the whole label set right (what "a translation keeps its source's labels" means)."""
    if not gold:
        return 0.0
    return round(sum(set(g.get("labels", [])) == set(p.get("labels", [])) for g, p in zip(gold, pred, strict=True))
                 / len(gold), 4)


def score(gold: list[dict], pred: list[dict]) -> dict[str, Any]:
    """All metrics for aligned gold and predicted records (dicts in the gold/output schema)."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    out = _label_table(gold, pred, LABELS)
    out["n"] = len(gold)
    out["labels_exact"] = _labels_exact(gold, pred)
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by_lang[g.get("lang") or "?"].append(i)
    out["languages"] = {}
    for lang, idx in sorted(by_lang.items()):
        t = _label_table([gold[i] for i in idx], [pred[i] for i in idx], LABELS)
        out["languages"][lang] = {
            "n": len(idx),
            "micro_f1": t["micro_f1"],
            "macro_f1": t["macro_f1"],
            "labels_exact": _labels_exact([gold[i] for i in idx], [pred[i] for i in idx]),
            "f1": {lab: v["f1"] for lab, v in t["labels"].items() if v["support"] or v["fp"]},
            "support": {lab: v["support"] for lab, v in t["labels"].items() if v["support"] or v["fp"]},
        }
    lv = [0, 0, 0]
    ct = [0, 0, 0]
    dt = [0, 0, 0]
    exact = 0
    for g, p in zip(gold, pred, strict=True):
        gl, pl = _level_set(g.get("nqf_levels", [])), _level_set(p.get("nqf_levels", []))
        lv = [lv[0] + len(gl & pl), lv[1] + len(pl - gl), lv[2] + len(gl - pl)]
        gc, pc = set(g.get("countries", [])), set(p.get("countries", []))
        exact += gc == pc
        ct = [ct[0] + len(gc & pc), ct[1] + len(pc - gc), ct[2] + len(gc - pc)]
        gd, pd = set(g.get("driver_types", [])), set(p.get("driver_types", []))
        dt = [dt[0] + len(gd & pd), dt[1] + len(pd - gd), dt[2] + len(gd - pd)]
    out["nqf_levels"] = {**_prf(*lv), "support": lv[0] + lv[2]}
    out["countries"] = {"exact_accuracy": round(exact / len(gold), 4) if gold else 0.0, **_prf(*ct)}
    out["driver_types"] = {**_prf(*dt), "support": dt[0] + dt[2]}
    with_facets = [(g, p) for g, p in zip(gold, pred, strict=True) if isinstance(g.get("facets"), dict)]
    if with_facets:
        out["facets"] = facet_scores([g["facets"] for g, _ in with_facets], [p for _, p in with_facets])
    return out


COUNTRY_VALUE = country_prefix() + "XX"


def facet_value(value: str) -> str:
    """A facet value as scored: every ``country:XX`` is the one value ``COUNTRY_VALUE``."""
    return COUNTRY_VALUE if value.startswith(country_prefix()) else value


def facet_values_of(record: dict[str, Any], facet: str) -> set[str]:
    """The scored values of one facet of a record (gold facets or a prediction's columns)."""
    return {facet_value(str(v)) for v in record.get(facet) or []}


def workload_pairs(record: dict[str, Any]) -> set[tuple[float, str]]:
    """The (value, unit) pairs of a record's workloads: a workload is right when both are."""
    return {(float(w["value"]), str(w["unit"])) for w in record.get("workload") or []}


def facet_scores(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, Any]:
    """Per facet micro P/R/F1 and per-value P/R/F1; workload exact (value, unit) P/R/F1.

    ``gold``: the human facets of each segment; ``pred``: the predicted records (facet columns)."""
    out: dict[str, Any] = {"n": len(gold)}
    for facet in FACETS:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for g, p in zip(gold, pred, strict=True):
            gs, ps = facet_values_of(g, facet), facet_values_of(p, facet)
            for v in gs & ps:
                counts[v][0] += 1
            for v in ps - gs:
                counts[v][1] += 1
            for v in gs - ps:
                counts[v][2] += 1
        tot = [sum(c[i] for c in counts.values()) for i in range(3)]
        out[facet] = {**_prf(*tot), "support": tot[0] + tot[2],
                      "values": {v: {**_prf(*c), "support": c[0] + c[2]} for v, c in sorted(counts.items())}}
    wl = [0, 0, 0]
    for g, p in zip(gold, pred, strict=True):
        gw, pw = workload_pairs(g), workload_pairs(p)
        wl = [wl[0] + len(gw & pw), wl[1] + len(pw - gw), wl[2] + len(gw - pw)]
    out["workload"] = {**_prf(*wl), "support": wl[0] + wl[2]}
    return out


def read_gold(path: Path) -> list[dict]:
    """Gold lines: id, text, lang, labels, driver_types, nqf_levels, countries (+ doc, doc_country)."""
    return read_jsonl(path, _gold_problem)


def _gold_problem(row: dict) -> str | None:
    if "text" not in row or "labels" not in row:
        return "a gold line needs 'text' and 'labels'"
    bad = [lab for lab in row["labels"] if lab not in LABELS]
    return f"unknown label {bad[0]!r}" if bad else None


def predict_records(records: list[dict], classifier: Any) -> list[dict]:
    """Run a classifier over gold-schema records (doc_country used as the document country;
    ``section`` and ``doc_title``, where a record has them, as its headings), then the
    document passes (``document_passes``), as the pipeline's segments go through them."""
    preds = classifier.predict(
        [r["text"] for r in records],
        [r.get("lang") for r in records],
        [str(r.get("id", i)) for i, r in enumerate(records)],
        [r.get("doc_country", "") for r in records],
        [r.get("section", "") for r in records],
    )
    document_passes(records, preds)
    return [p.to_dict() for p in preds]


def document_passes(records: list[dict], preds: list[Any]) -> None:
    """The document passes over the predictions of gold-schema records, in place.

    The records of one ``doc`` go through them as the pipeline's segments do: the context
    pass (``classify.context``, with the alias pass: a term the records or the title define
    labels its uses in the other records; its section and title scopes; records are a sample,
    so no reading order and no runs of neighbours) and the facets' (a document about
    micro-credentials, judged from the records given of it). Held-out scoring and grouped CV
    both use it, so their figures compare."""
    from mctext.classify.context import document_context
    from mctext.classify.facets import document_facets
    from mctext.records import Segment

    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        if r.get("doc"):
            by_doc[r["doc"]].append(i)
    for doc, idx in by_doc.items():
        segments = [Segment(preds[i].id, doc, 1, 1, 0, len(records[i]["text"]), records[i]["text"],
                            records[i].get("lang") or "", section=records[i].get("section") or "") for i in idx]
        group = [preds[i] for i in idx]
        title = next((records[i]["doc_title"] for i in idx if records[i].get("doc_title")), "")  # not every record has it
        before = [list(p.labels) for p in group]
        document_context(segments, group, title, reading_order=False)
        document_facets(segments, group, records[idx[0]].get("doc_country", ""), before, title)


def evaluate_file(gold_path: Path, model_dir: Path | None = None) -> dict[str, Any]:
    """Score the classifier in ``model_dir`` (default models/default) on a gold file."""
    from mctext.classify import load_classifier

    gold = read_gold(gold_path)
    clf = load_classifier(model_dir)
    metrics = score(gold, predict_records(gold, clf))
    metrics["model_version"] = clf.version
    metrics["gold"] = str(gold_path)
    return metrics


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        import json

        return json.loads(value) if value.strip().startswith("[") else [value]
    return list(value)


def evaluate_run(run_dir: Path, gold: list[dict] | None = None) -> dict[str, Any]:
    """Score a run's own segment predictions (document-aware labels included) against gold.

    Gold segments are found in the run by their normalised text, so labels given before a
    change of segment ids still count. Default gold: the project's held-out documents.
    """
    import pandas as pd

    from mctext.errors import MctextError

    path = Path(run_dir) / "segments.parquet"
    if not path.is_file():
        raise MctextError(f"{run_dir}: no segments.parquet (give the output folder of `mctext run`)")
    if gold is None:
        from mctext.classify.train import load_records, split_heldout

        gold = split_heldout(load_records())[1]
    seg = pd.read_parquet(path)
    by_text: dict[str, dict[str, Any]] = {}
    for row in seg.to_dict("records"):
        by_text.setdefault(_norm(row["text"]), {
            "labels": _as_list(row.get("labels")), "driver_types": _as_list(row.get("driver_types")),
            "nqf_levels": [dict(lv) for lv in _as_list(row.get("nqf_levels"))],
            "countries": _as_list(row.get("countries")),
            **{facet: _as_list(row.get(facet)) for facet in FACETS if facet in row},
            "workload": [dict(w) for w in _as_list(row.get("workload"))],
            "label_source": row.get("label_source") or "model",
        })
    found = [(g, by_text[_norm(g["text"])]) for g in gold if _norm(g["text"]) in by_text]
    human = sum(p["label_source"] == "human" for _, p in found)
    if human:  # the store's human labels won in the run: scoring them against themselves measures nothing
        raise MctextError(f"{run_dir}: {human} of the {len(found)} gold segments found carry human labels in this run;"
                          " score a run made with `mctext run --no-human`")
    metrics = score([g for g, _ in found], [p for _, p in found]) if found else {}
    metrics["gold_segments"] = len(gold)
    metrics["found_in_run"] = len(found)
    return metrics


def format_report(m: dict[str, Any], title: str = "") -> str:
    """A plain-text table of the metrics (what `mctext evaluate` and `mctext train --cv` print)."""
    lines = [title] if title else []
    lines.append(f"{'label':<16}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}")
    for lab, v in m["labels"].items():
        lines.append(f"{lab:<16}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>9}")
    lines.append(
        f"macro F1 {m['macro_f1']:.3f} | macro F1 (support>={FREQUENT}: {', '.join(m['frequent_labels'])}) "
        f"{m['macro_f1_frequent']:.3f} | micro F1 {m['micro_f1']:.3f} | n={m['n']}"
    )
    lv, ct, dt = m["nqf_levels"], m["countries"], m["driver_types"]
    lines.append(f"NQF levels exact-match F1 {lv['f1']:.3f} (P {lv['precision']:.3f} R {lv['recall']:.3f}, {lv['support']} gold levels)")
    lines.append(f"countries exact-set accuracy {ct['exact_accuracy']:.3f} | pair F1 {ct['f1']:.3f}")
    lines.append(f"driver types pair F1 {dt['f1']:.3f} ({dt['support']} gold)")
    if m.get("facets"):
        lines += facet_lines(m["facets"])
    lines.append("per language: " + "  ".join(f"{k}(n={v['n']}) micro {v['micro_f1']:.3f} macro {v['macro_f1']:.3f} exact {v.get('labels_exact', 0):.2f}" for k, v in m["languages"].items()))
    hdr = f"{'lang':<6}{'n':>5}" + "".join(f"{lab[:8]:>10}" for lab in LABELS)
    lines.append(hdr)
    for lang, v in m["languages"].items():
        sup = v.get("support", {})
        cells = "".join(
            (f"{v['f1'][lab]:>6.2f}({sup[lab]:>2})" if lab in sup else f"{v['f1'][lab]:>10.3f}") if lab in v["f1"] else f"{'-':>10}"
            for lab in LABELS
        )
        lines.append(f"{lang:<6}{v['n']:>5}{cells}")
    return "\n".join(lines)


def facet_lines(f: dict[str, Any]) -> list[str]:
    """Facet micro-F1 per facet, then P/R/F1 per value with support (values seen in gold or predicted)."""
    wl = f["workload"]
    lines = [f"facets (n={f['n']} segments with human facets): " + " | ".join(
        f"{facet} micro F1 {f[facet]['f1']:.3f} ({f[facet]['support']})" for facet in FACETS)
        + f" | workload exact F1 {wl['f1']:.3f} (P {wl['precision']:.3f} R {wl['recall']:.3f}, {wl['support']} gold)"]
    lines.append(f"{'facet value':<40}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}")
    for facet in FACETS:
        for value, v in f[facet]["values"].items():
            lines.append(f"{facet + ':' + value:<40}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>9}")
    return lines
