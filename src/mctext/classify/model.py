"""The trained layer: one calibrated binary classifier per label, plus the Classifier
that runs rules + models + extraction and returns ``records.Prediction``.

Each label's model is a logistic regression over the features of ``features/embed.py``
(character n-gram TF-IDF + the rule hits by default), calibrated with Platt scaling on
grouped out-of-fold decision values (one fit per label instead of the 4 of
``CalibratedClassifierCV``, and the folds respect documents). How a label's probability is
combined with its rules, and at which threshold, is chosen by inner grouped CV
(``combine.choose_policy``) and stored with the model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mctext.classify import facets as facet_rules
from mctext.classify.combine import decide
from mctext.classify.countries import UNKNOWN_COUNTRIES, attribute_countries, find_countries
from mctext.classify.fastre import TextView
from mctext.classify.features.embed import Featurizer, context_rules
from mctext.classify.rules import RuleResult, apply_rules, rule_driver_types
from mctext.codebook import LABELS
from mctext.records import Prediction

log = logging.getLogger(__name__)

MODEL_FILE = "model.json"  # the model's settings; its weights are in MODEL_ARRAYS
MODEL_ARRAYS = "model.npz"
LEGACY_MODEL_FILE = "model.joblib"  # pickled sklearn objects, the format before 2026-11-25; still read
MODEL_FORMAT = 1
RULES_ONLY = "rules-only"
MIN_POSITIVES = 4  # below this a label's model is not fitted (rules decide)


def _new_estimator() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=8.0, class_weight="balanced", solver="liblinear", max_iter=2000)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass
class LinearModel:
    """A fitted binary linear classifier as plain arrays: all inference needs of a LogisticRegression."""

    coef_: np.ndarray  # (1, n_features)
    intercept_: np.ndarray  # (1,)

    def decision_function(self, x: Any) -> np.ndarray:
        return np.asarray(x @ self.coef_[0]).ravel() + float(self.intercept_[0])


@dataclass
class LabelModels:
    """Featurizer + one logistic regression per label (None: too few positives, rules decide).

    Probabilities are Platt-calibrated: ``calibrators[label] = (a, b)`` maps the decision
    value d to sigmoid(a * d + b), fitted on grouped out-of-fold decision values by
    ``calibrate`` (training code); without it the regression's own sigmoid is used.
    """

    featurizer: Featurizer
    estimators: dict[str, Any] = field(default_factory=dict)
    calibrators: dict[str, tuple[float, float]] = field(default_factory=dict)

    def fit(self, texts: list[str], rules: list[RuleResult], y: np.ndarray, cache: dict | None = None,
            contexts: list | None = None) -> LabelModels:
        self._linear = None
        self.featurizer.fit(texts)
        x = self.featurizer.transform(texts, rules, cache, contexts)
        for j, label in enumerate(LABELS):
            n_pos = int(y[:, j].sum())
            if n_pos < MIN_POSITIVES or n_pos == len(y):
                self.estimators[label] = None
                continue
            self.estimators[label] = _new_estimator().fit(x, y[:, j])
        return self

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_linear"}

    def _linear_part(self) -> tuple[list[int], np.ndarray, np.ndarray]:
        """Label columns whose model is linear, their stacked weights (features x labels) and biases.

        One sparse product for all labels gives what each ``decision_function`` would,
        without sklearn's per-call input validation (a third of the model's time).
        """
        if getattr(self, "_linear", None) is None:
            columns = [j for j, label in enumerate(LABELS)
                       if hasattr(self.estimators.get(label), "coef_") and self.estimators[label].coef_.shape[0] == 1]
            weights = np.column_stack([self.estimators[LABELS[j]].coef_[0] for j in columns]) if columns else None
            biases = np.array([float(self.estimators[LABELS[j]].intercept_[0]) for j in columns])
            self._linear = (columns, weights, biases)
        return self._linear

    def decision(self, texts: list[str], rules: list[RuleResult], cache: dict | None = None,
                 contexts: list | None = None) -> np.ndarray:
        """(n, labels) decision values; a label without a model gets +-10 from its rule decision."""
        x = self.featurizer.transform(texts, rules, cache, contexts)
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float64)
        columns, weights, biases = self._linear_part()
        if columns:
            out[:, columns] = np.asarray(x @ weights) + biases
        for j, label in enumerate(LABELS):
            est = self.estimators.get(label)
            if est is None:
                out[:, j] = [10.0 if label in r.labels else -10.0 for r in rules]
            elif j not in columns:
                out[:, j] = est.decision_function(x)
        return out

    def calibrate(self, decisions: np.ndarray, y: np.ndarray) -> None:
        """Fit Platt scaling per label on out-of-fold decision values."""
        from sklearn.linear_model import LogisticRegression

        for j, label in enumerate(LABELS):
            if self.estimators.get(label) is None or y[:, j].all() or not y[:, j].any():
                continue
            lr = LogisticRegression(C=1e4).fit(decisions[:, [j]], y[:, j])
            self.calibrators[label] = (float(lr.coef_[0, 0]), float(lr.intercept_[0]))

    def to_proba(self, decisions: np.ndarray) -> np.ndarray:
        out = np.empty_like(decisions)
        for j, label in enumerate(LABELS):
            a, b = self.calibrators.get(label, (1.0, 0.0))
            out[:, j] = _sigmoid(a * decisions[:, j] + b)
        return out.astype(np.float32)

    def predict_proba(self, texts: list[str], rules: list[RuleResult], cache: dict | None = None,
                      contexts: list | None = None) -> np.ndarray:
        return self.to_proba(self.decision(texts, rules, cache, contexts))


@dataclass
class Classifier:
    """Rules + (optional) trained models + levels + countries, as used by the pipeline."""

    models: LabelModels | None = None
    policies: dict[str, str] = field(default_factory=dict)  # label -> model | or | rules
    thresholds: dict[str, float] = field(default_factory=dict)
    version: str = RULES_ONLY
    card: dict[str, Any] = field(default_factory=dict)

    def save(self, model_dir: Path) -> Path:
        """Write the model as plain data: settings in model.json, weights and vocabulary in model.npz.

        No pickles: loading needs neither sklearn (a worker starts ~2 s faster) nor the
        sklearn version that trained it, and a model file cannot run code.
        """
        import json

        state: dict[str, Any] = {
            "format": MODEL_FORMAT, "version": self.version, "policies": self.policies, "thresholds": self.thresholds,
        }
        arrays: dict[str, np.ndarray] = {}
        if self.models is not None:
            featurizer = self.models.featurizer
            state["features"] = featurizer.spec
            state["rule_weight"] = featurizer.rule_weight
            state["context_features"] = featurizer.context
            state["calibrators"] = {k: list(v) for k, v in self.models.calibrators.items()}
            state["labels"] = [label for label in LABELS if self.models.estimators.get(label) is not None]
            if "tfidf" in featurizer.names:
                tfidf = featurizer.compiled_tfidf()
                if tfidf is None:
                    raise ValueError("this TF-IDF configuration cannot be saved as plain arrays")
                state["tfidf"] = tfidf.settings()
                arrays.update({f"tfidf_{k}": v for k, v in tfidf.arrays().items()})
            for label in state["labels"]:
                est = self.models.estimators[label]
                arrays[f"coef_{label}"] = np.asarray(est.coef_, dtype=np.float64)
                arrays[f"intercept_{label}"] = np.asarray(est.intercept_, dtype=np.float64)
        model_dir.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(model_dir / MODEL_ARRAYS, **arrays)
        path = model_dir / MODEL_FILE
        path.write_text(json.dumps(state, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        (model_dir / LEGACY_MODEL_FILE).unlink(missing_ok=True)
        return path

    @staticmethod
    def stored_in(model_dir: Path) -> bool:
        return (model_dir / MODEL_FILE).is_file() or (model_dir / LEGACY_MODEL_FILE).is_file()

    @classmethod
    def load(cls, model_dir: Path) -> Classifier:
        import json

        from mctext.classify.features.ngrams import CharNgramTfidf

        card_path = model_dir / "card.json"
        card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
        if not (model_dir / MODEL_FILE).is_file():
            import joblib

            legacy = joblib.load(model_dir / LEGACY_MODEL_FILE)
            return cls(legacy["models"], legacy["policies"], legacy["thresholds"], legacy["version"], card)
        state = json.loads((model_dir / MODEL_FILE).read_text(encoding="utf-8"))
        if state.get("format") != MODEL_FORMAT:
            raise ValueError(f"{model_dir / MODEL_FILE}: model format {state.get('format')!r} is not {MODEL_FORMAT}")
        models = None
        if "features" in state:
            with np.load(model_dir / MODEL_ARRAYS, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
            tfidf = None
            if "tfidf" in state:
                settings = state["tfidf"]
                tfidf = CharNgramTfidf(
                    arrays["tfidf_terms"].tolist(), arrays["tfidf_columns"], arrays.get("tfidf_idf"),
                    ngram_range=tuple(settings["ngram_range"]), sublinear_tf=settings["sublinear_tf"],
                    norm=settings["norm"], dtype=settings["dtype"],
                )
            featurizer = Featurizer.from_compiled(state["features"], float(state["rule_weight"]), tfidf,
                                                  bool(state.get("context_features", False)))
            estimators: dict[str, Any] = dict.fromkeys(LABELS)
            for label in state["labels"]:
                estimators[label] = LinearModel(arrays[f"coef_{label}"], arrays[f"intercept_{label}"])
            calibrators = {k: (float(v[0]), float(v[1])) for k, v in state["calibrators"].items()}
            models = LabelModels(featurizer, estimators, calibrators)
        return cls(models, state["policies"], state["thresholds"], state["version"], card)

    def predict(
        self,
        texts: list[str],
        langs: list[str | None] | None = None,
        ids: list[str] | None = None,
        countries: list[str] | None = None,
        sections: list[str] | None = None,
        cache: dict | None = None,
        rules: list[RuleResult] | None = None,
    ) -> list[Prediction]:
        """One Prediction per text. ``countries`` are the documents' countries (fallback and
        national framework of bare levels); ``sections`` the heading paths (country fallback and
        the trained layer's context features)."""
        n = len(texts)
        langs = list(langs) if langs is not None else [None] * n
        ids = list(ids) if ids is not None else [str(i) for i in range(n)]
        doc_countries = list(countries) if countries is not None else [""] * n
        sections = list(sections) if sections is not None else [""] * n
        views = [TextView.of(t) for t in texts]
        named = [find_countries(v) for v in views]
        level_country = [_level_country(c, f) for c, f in zip(doc_countries, named, strict=True)]
        if rules is None:
            rules = [
                apply_rules(v.text, lang, c, v) for v, lang, c in zip(views, langs, level_country, strict=True)
            ]
        probs = None
        if self.models is not None and n:
            contexts = None
            if self.models.featurizer.context:
                contexts = context_rules(sections, langs)
            probs = self.models.predict_proba(texts, rules, cache, contexts)
        out = []
        # per label its policy and threshold, and the probabilities as Python floats (each the float32's
        # exact value, what float(probs[i, j]) gives), read once for all segments
        deciding = [(label, self.policies.get(label, "model"), self.thresholds.get(label, 0.5)) for label in LABELS]
        rows = probs.tolist() if probs is not None else None
        for i, (text, rule) in enumerate(zip(texts, rules, strict=True)):
            labels, scores = [], {}
            for j, (label, policy, threshold) in enumerate(deciding):
                hit = label in rule.labels
                if rows is None:
                    p, on = (1.0 if hit else 0.0), hit
                else:
                    p = rows[i][j]
                    on = decide(policy, p, threshold, hit)
                scores[label] = round(p, 4)
                if on:
                    labels.append(label)
            dtypes = []
            if "driver" in labels:
                dtypes = rule.driver_types or rule_driver_types(text, langs[i])
            cues = [c for c in rule.cues if c.label in labels]
            pred = Prediction(
                id=ids[i],
                labels=labels,
                scores=scores,
                driver_types=dtypes,
                nqf_levels=list(rule.nqf_levels),
                countries=attribute_countries(text, sections[i], doc_countries[i], named[i]),
                countries_named=list(named[i]),
                cues=cues,
                model_version=self.version,
            )
            facet_rules.apply(pred, facet_rules.segment_facets(
                text, langs[i], labels=labels, context=rule.short_learning_context, named=named[i],
                doc_country=doc_countries[i], nqf_levels=bool(rule.nqf_levels), view=views[i]))
            out.append(pred)
        return out


def _level_country(doc_country: str, named: list[str]) -> str:
    """Country whose framework a bare "level 5" refers to: the document's, else the one country named."""
    if doc_country and doc_country.upper() not in UNKNOWN_COUNTRIES:
        return doc_country
    named = [c for c in named if c != "EU"]
    return named[0] if len(named) == 1 else ""


def rules_only_classifier(reason: str) -> Classifier:
    log.warning("no trained model (%s): classifying with the codebook rules only", reason)
    return Classifier(version=f"{RULES_ONLY} ({reason})")
