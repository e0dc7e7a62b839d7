"""The codebook as data: loads ``data/codebook.yaml``, the one list of labels.

Everything that needs label names, definitions, driver types or per-language cues
imports them from here, never spells them out again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from mctext.config import DATA_DIR

CODEBOOK_PATH = DATA_DIR / "codebook.yaml"


@lru_cache(maxsize=1)
def load_codebook() -> dict[str, Any]:
    with CODEBOOK_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


LABELS: tuple[str, ...] = tuple(load_codebook()["labels"])
DRIVER_TYPES: tuple[str, ...] = tuple(load_codebook()["driver_types"])


FACETS: tuple[str, ...] = tuple(k for k, v in load_codebook().get("facets", {}).items() if isinstance(v, dict))


def facet_values(facet: str) -> tuple[str, ...]:
    """The values a facet takes (codebook v1.2 "Facets"), e.g. actors -> learners, employers, ..."""
    return tuple(load_codebook()["facets"][facet]["values"])


def workload_units() -> tuple[str, ...]:
    return tuple(load_codebook()["facets"]["workload_units"])


def definable_labels() -> tuple[str, ...]:
    """Labels whose concept a document may name by a term of its own (``definable: true``):
    a credential type, a validation procedure, a framework. Later uses of the term carry it."""
    book = load_codebook()["labels"]
    return tuple(label for label in LABELS if book[label].get("definable"))


def definition(label: str) -> str:
    return str(load_codebook()["labels"][label]["definition"]).strip()


def label_cues(label: str) -> dict[str, dict[str, str]]:
    """Per-language cue patterns of a label: ``{lang: {cue_name: regex}}``."""
    return dict(load_codebook().get("cues", {}).get(label, {}))


def label_guards(label: str) -> dict[str, str]:
    """Guard patterns of a label: a cue hit overlapping a guard match is dropped."""
    return dict(load_codebook().get("guards", {}).get(label, {}) or {})


def driver_context_cues() -> dict[str, dict[str, str]]:
    """Micro-credential / short-learning context that a driver cause must co-occur with."""
    return dict(load_codebook().get("driver_context", {}))


def driver_type_cues() -> dict[str, str]:
    """One regex per driver type (all languages in one alternation)."""
    return dict(load_codebook().get("driver_type_cues", {}))
