"""The classifier's fast paths give what their plain versions give (outputs must not move)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from mctext import lang as langdata
from mctext.classify import facets, rules
from mctext.classify.fastre import TextView
from mctext.codebook import FACETS, LABELS

TEXTS = [
    "Micro-credentials are quality-assured by the national agency and awarded by universities to learners.",
    "Die Hochschulen und die Arbeitgeber bieten Mikro-Zertifikate (5 ECTS) für Beschäftigte an.",
    "The public employment service funds short courses for job seekers; employers recognise them.",
    "",
]


def _seed(seed_path: Path | None, n: int = 400) -> list[tuple[str, str | None]]:
    out = [(t, "en") for t in TEXTS]
    if seed_path is not None and seed_path.is_file():
        for line in seed_path.read_text(encoding="utf-8").splitlines()[:n]:
            if line:
                rec = json.loads(line)
                out.append((rec["text"], rec.get("lang") or None))
    return out


def _plain_drop_covered(hits: facets.Hits) -> None:
    """``facets._drop_covered`` without its skip of facets with fewer than two values."""
    for facet in FACETS:
        spans = [(value, m.start(), m.end()) for (f, value), ms in hits.items() if f == facet for _, m in ms]
        for (f, value), ms in list(hits.items()):
            if f != facet:
                continue
            kept = [(name, m) for name, m in ms if not any(
                v != value and s <= m.start() and m.end() <= e and e - s > m.end() - m.start() for v, s, e in spans)]
            if kept:
                hits[(f, value)] = kept
            else:
                del hits[(f, value)]


def _all_facet_hits(text: str, lang: str | None) -> facets.Hits:
    view, langs = TextView.of(text), langdata.cue_languages(lang)
    hits: facets.Hits = {}
    for part in (facets.ALWAYS, facets.LEARNT, facets.GATED):
        for key, matches in zip(facets._keys(part), facets._matcher(langs, part).matches(view), strict=True):
            if matches:
                hits[key] = matches
    return hits


def test_drop_covered_equals_its_plain_version(seed_path: Path) -> None:
    dropped = 0
    for text, lang in _seed(seed_path):
        hits = _all_facet_hits(text, lang)
        fast, plain = dict(hits), copy.copy(hits)
        facets._drop_covered(fast)
        _plain_drop_covered(plain)
        assert list(fast.items()) == list(plain.items()), text[:80]  # same keys, same order, same hits
        dropped += sum(len(v) for v in hits.values()) - sum(len(v) for v in fast.values())
    assert dropped > 0  # the texts hold hits inside longer hits of another value


def test_rules_hits_equal_every_lexicon_read_in_full(seed_path: Path) -> None:
    """``rules._all_hits`` skips the guards of lexicons without a hit; reading every one gives the same."""
    for text, lang in _seed(seed_path):
        view = TextView.of(text)
        group, where = rules._matcher(langdata.cue_languages(lang))
        found = group.matches(view)
        plain = {name: rules._hits(name if name in LABELS else "driver", found[c],
                                   [m.span() for _, m in found[g]] if g is not None else [])
                 for name, (c, g) in where.items()}
        assert rules._all_hits(view, lang) == plain, text[:80]


def test_predictions_decide_from_the_models_probabilities_as_read_one_by_one(seed_path: Path) -> None:
    """``Classifier.predict`` reads the probabilities once as floats; reading each one from the array
    (the plain way) gives the same scores and labels."""
    from mctext.classify import load_classifier
    from mctext.classify.combine import decide

    clf = load_classifier()
    if clf.models is None:
        return  # rules only: no probabilities to read
    seed = _seed(seed_path, 200)
    texts, langs = [t for t, _ in seed], [lang for _, lang in seed]
    preds = clf.predict(texts, langs)
    views = [TextView.of(t) for t in texts]
    from mctext.classify.countries import find_countries
    from mctext.classify.model import _level_country

    rule_results = [rules.apply_rules(t, lang, _level_country("", find_countries(v)), v)
                    for t, lang, v in zip(texts, langs, views, strict=True)]
    contexts = None
    if clf.models.featurizer.context:
        from mctext.classify.features.embed import context_rules

        contexts = context_rules([""] * len(texts), langs)
    probs = clf.models.predict_proba(texts, rule_results, None, contexts)
    for i, pred in enumerate(preds):
        plain = {label: float(probs[i, j]) for j, label in enumerate(LABELS)}
        assert pred.scores == {label: round(p, 4) for label, p in plain.items()}
        assert pred.labels == [label for label in LABELS if decide(
            clf.policies.get(label, "model"), plain[label], clf.thresholds.get(label, 0.5),
            label in rule_results[i].labels)]


def test_every_lexicon_hits_equals_each_lexicon_alone(seed_path: Path) -> None:
    """One scan for all lexicons (``every_lexicon_hits``, what ``aliases.heading_aliases`` reads) gives
    each lexicon's ``lexicon_hits``."""
    found = 0
    for text, lang in _seed(seed_path, 300):
        every = rules.every_lexicon_hits(text, lang)
        assert set(every) == set(rules.lexicons(langdata.cue_languages(lang)))
        for name, hits in every.items():
            assert hits == rules.lexicon_hits(name, text, lang), (name, text[:80])
            found += len(hits)
    assert found > 100
