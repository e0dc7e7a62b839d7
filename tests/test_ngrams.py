"""The vectorised char n-gram TF-IDF must give sklearn's matrix, not an approximation of it."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from mctext.classify.features.embed import Featurizer, make_tfidf
from mctext.classify.features.ngrams import CharNgramTfidf, supports

TEXTS = [
    "Micro-credentials are small, quality-assured units of learning.",
    "Die Weiterbildung schließt mit einem Zertifikat auf DQR-Niveau 5 ab.",
    "Les micro-certifications s'inscrivent dans le cadre national des certifications (RNCP).",
    "Mikrotutkinnot ovat pieniä osaamiskokonaisuuksia, joita voi yhdistellä.",
    "Mikrokwalifikacje w Zintegrowanym Systemie Kwalifikacji, poziom 4 PRK.",
    "Mikrodokazila so del slovenskega ogrodja kvalifikacij.",
    "Las microcredenciales universitarias: nivel 6 del MECU.",
    "Microcredentials in het hoger onderwijs; NLQF-niveau 5.",
    "İSTANBUL ǅemal ﬁnance \u00a0 non-breaking\u2003em-space\ttab\nnewline 🙂 emoji",
    "a I x",  # words shorter than the n-gram range
    "",
    "   ",
    "l'État d'accord à 10 h. Peut-être demain.",
    "a lone surrogate \ud800 from a broken PDF text layer",
]


def _same(expected, actual) -> None:
    expected, actual = expected.tocsr(), actual.tocsr()
    assert expected.shape == actual.shape
    assert np.array_equal((expected != 0).toarray(), (actual != 0).toarray()), "different n-grams found"
    assert abs(expected - actual).max() < 1e-6


def test_matches_sklearn_on_multilingual_text() -> None:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32)
    vectorizer.fit(TEXTS)
    fast = CharNgramTfidf.from_vectorizer(vectorizer)
    _same(vectorizer.transform(TEXTS), fast.transform(TEXTS))
    unseen = ["Unseen words: Qualifikationsrahmen, mikrotutkinto, ÆØÅ, 🙂🙂", "x"]
    _same(vectorizer.transform(unseen), fast.transform(unseen))


@pytest.mark.parametrize("options", [{"sublinear_tf": False}, {"norm": None}, {"use_idf": False}, {"ngram_range": (1, 3)}])
def test_matches_sklearn_with_other_weighting(options: dict) -> None:
    vectorizer = TfidfVectorizer(analyzer="char_wb", **{"ngram_range": (2, 5), **options}).fit(TEXTS)
    _same(vectorizer.transform(TEXTS), CharNgramTfidf.from_vectorizer(vectorizer).transform(TEXTS))


def test_unsupported_settings_are_refused_and_featurizer_falls_back() -> None:
    for vectorizer in (TfidfVectorizer(analyzer="word"), TfidfVectorizer(analyzer="char_wb", strip_accents="unicode")):
        vectorizer.fit(TEXTS)
        assert not supports(vectorizer)
        with pytest.raises(ValueError):
            CharNgramTfidf.from_vectorizer(vectorizer)
    featurizer = Featurizer("tfidf")
    featurizer.tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), strip_accents="unicode").fit(TEXTS)
    _same(featurizer.tfidf.transform(TEXTS), featurizer.tfidf_rows(TEXTS))


def test_featurizer_uses_it_and_does_not_pickle_it() -> None:
    featurizer = Featurizer("tfidf").fit(TEXTS * 2)  # min_df=2 of the default vectorizer
    rows = featurizer.tfidf_rows(TEXTS)
    assert featurizer._fast_tfidf is not None
    _same(featurizer.tfidf.transform(TEXTS), rows)
    restored = pickle.loads(pickle.dumps(featurizer))
    assert restored._fast_tfidf is None
    _same(rows, restored.tfidf_rows(TEXTS))


def test_matches_sklearn_on_the_seed_annotations(seed_path: Path) -> None:
    texts = [json.loads(line)["text"] for line in seed_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    vectorizer = make_tfidf().fit(texts[::2])  # the default model's settings; half the texts are unseen
    _same(vectorizer.transform(texts), CharNgramTfidf.from_vectorizer(vectorizer).transform(texts))


def test_rule_features_equal_the_plain_formula() -> None:
    """The looked-up log counts give the rows numpy's own call per count gives."""
    import numpy as np

    from mctext.classify.features.embed import rule_features
    from mctext.classify.rules import DRIVER_CONTEXT, RuleResult, apply_rules
    from mctext.codebook import DRIVER_TYPES, LABELS

    texts = ["Micro-credentials of 5 ECTS at EQF level 5 are stackable and quality assured.",
             "Mikro-Zertifikate: die Validierung nicht formalen Lernens, DQR-Niveau 4.", ""]
    results = [apply_rules(t) for t in texts] + [RuleResult(counts={LABELS[0]: 7, DRIVER_CONTEXT: 130})]
    plain = np.asarray([
        [1.0 if lab in r.labels else 0.0 for lab in LABELS]
        + [float(np.log1p(r.counts.get(lab, 0))) for lab in LABELS]
        + [float(np.log1p(r.counts.get(DRIVER_CONTEXT, 0))), 1.0 if r.nqf_levels else 0.0]
        + [1.0 if r.counts.get(t, 0) else 0.0 for t in DRIVER_TYPES] for r in results], dtype=np.float32)
    assert plain[:, len(LABELS):2 * len(LABELS)].any()  # counts there to compare
    assert np.array_equal(rule_features(results), plain)
    assert rule_features(results).tobytes() == plain.tobytes()
