"""Classify segments by the codebook: rules + trained models + levels + countries.

Python face:
- ``classify(texts, langs=None) -> pandas.DataFrame`` (one row per text);
- ``load_classifier(model_dir=None)``: the cached ``Classifier`` (models/default; rules
  only, with a logged warning, when no trained model is there);
- ``classify_segments(segments, doc_country="", classifier=None)``: what the pipeline calls.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mctext.classify.model import Classifier, rules_only_classifier
from mctext.config import MODELS_DIR

if TYPE_CHECKING:
    import pandas as pd

    from mctext.records import Prediction, Segment

__all__ = ["Classifier", "classify", "classify_segments", "load_classifier"]

_CACHE: dict[Path, Classifier] = {}
_LOCK = threading.Lock()


def load_classifier(model_dir: Path | str | None = None) -> Classifier:
    """The classifier stored in ``model_dir`` (default models/default), loaded once per process."""
    path = Path(model_dir) if model_dir else MODELS_DIR / "default"
    key = path.resolve()
    with _LOCK:
        if key not in _CACHE:
            from mctext.classify.model import MODEL_FILE

            if Classifier.stored_in(path):
                _CACHE[key] = Classifier.load(path)
            else:
                _CACHE[key] = rules_only_classifier(f"no {MODEL_FILE} in {path}")
        return _CACHE[key]


def classify_segments(
    segments: list[Segment], doc_country: str = "", classifier: Classifier | None = None, doc_title: str = ""
) -> list[Prediction]:
    """Predictions for a document's segments, in reading order.

    Section headings feed the country fallback and the trained layer; terms the
    document defines for a concept ("... micro-credential (EUHEMC)") label their later uses
    (``classify.aliases``); inside a section or document about micro-credentials, "the provision"
    refers to them (``classify.context``); a document about micro-credentials lets its segments state standard
    elements (``classify.facets``).
    """
    from mctext.classify.aliases import document_aware
    from mctext.classify.context import document_context
    from mctext.classify.facets import document_facets

    clf = classifier or load_classifier()
    predictions = clf.predict(
        [s.text for s in segments],
        [s.lang or None for s in segments],
        [s.id for s in segments],
        [doc_country] * len(segments),
        [s.section for s in segments],
    )
    before = [list(p.labels) for p in predictions]
    predictions = document_aware(segments, predictions, doc_title)
    document_context(segments, predictions, doc_title)  # references back inside a scope (classify.context)
    document_facets(segments, predictions, doc_country, before, doc_title)
    return predictions


def classify(
    texts: list[str], langs: list[str | None] | None = None, model_dir: Path | str | None = None, **kw: Any
) -> pd.DataFrame:
    """One row per text: id, text, labels, scores, driver_types, nqf_levels, countries, cues, model_version,
    and the facets (mc_elements, workload, participation_form, actors, sectors, international, actor_roles)."""
    import pandas as pd

    from mctext.records import Prediction

    preds = load_classifier(model_dir).predict(list(texts), langs, **kw)
    rows = []
    for text, p in zip(texts, preds, strict=True):
        d = p.to_dict()
        d["text"] = text
        rows.append(d)
    cols = ["id", "text", "labels", "scores", "driver_types", "nqf_levels", "countries", "cues", "model_version",
            *Prediction(id="").facet_columns()]
    return pd.DataFrame(rows, columns=cols)
