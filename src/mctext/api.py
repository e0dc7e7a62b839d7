"""The Python face of mctext: the same functions the CLI calls, importable in one place.

    from mctext.api import extract_file, segment_pages, classify, run, query

Imports are lazy (PEP 562) so that ``import mctext.api`` does not load spaCy, torch or
DuckDB until a function is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# public name -> "module:attribute"
_EXPORTS = {
    "extract_file": "mctext.extract:extract_file",
    "extract_bytes": "mctext.extract:extract_bytes",
    "discover": "mctext.corpus:discover",
    "describe_document": "mctext.corpus:describe_document",
    "detect_language": "mctext.corpus:detect_language",
    "segment_pages": "mctext.segment:segment_pages",
    "split_sentences": "mctext.segment:split_sentences",
    "classify": "mctext.classify:classify",
    "classify_segments": "mctext.classify:classify_segments",
    "load_classifier": "mctext.classify:load_classifier",
    "evaluate_file": "mctext.classify.evaluate:evaluate_file",
    "train": "mctext.classify.train:train",
    "process_document": "mctext.pipeline:process_document",
    "run_documents": "mctext.pipeline:run_documents",
    "run": "mctext.runner:run",
    "query": "mctext.query:query",
    "export": "mctext.query:export",
    "export_annotations": "mctext.annotate:export_run",
    "import_annotations": "mctext.annotate:import_file",
    "training_records": "mctext.annotate.store:training_records",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'mctext.api' has no attribute {name!r}")
    module, attribute = target.split(":")
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
