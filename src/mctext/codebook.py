"""The codebook as data: loads ``data/codebook.yaml``, the one list of labels.

Everything that needs label names, definitions or driver types imports them from here,
never spells them out again. The per-language cues are language data: ``mctext.lang``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
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


@cache
def facet_value_order(facet: str) -> Callable[[str], tuple[int, str]]:
    """Sort key that puts a facet's values in the codebook's order (values it does not list, such
    as ``country:XX``, after them by name): segments and tables list values the same way."""
    rank = {value: i for i, value in enumerate(facet_values(facet))}
    return lambda value: (rank.get(value, len(rank)), value)


def country_prefix(facet: str = "international") -> str:
    """The prefix of the open values a facet allows ("country:" of ``country:DE`` in
    international), '' for a facet without them."""
    return str(load_codebook()["facets"][facet].get("country_prefix") or "")


def workload_units() -> tuple[str, ...]:
    return tuple(load_codebook()["facets"]["workload_units"])


@lru_cache(maxsize=1)
def unit_references() -> dict[str, str]:
    """``{workload unit: international value}``: the reference a workload's unit makes ("5 ECTS"
    refers to ECTS); an unknown unit or value is an error naming it."""
    refs = dict(load_codebook()["facets"]["international"].get("unit_references") or {})
    for unit, value in refs.items():
        if unit not in workload_units() or value not in facet_values("international"):
            raise ValueError(f"codebook.yaml: facets.international.unit_references: {unit}: {value}: "
                             "not a workload unit and international value of the codebook")
    return refs


@lru_cache(maxsize=1)
def short_workload_max() -> dict[str, float]:
    """``{workload unit: most}``: the largest workload of a short course in that unit (codebook
    ``facets.mc_elements.short_workload_max``); an unknown unit is an error naming it."""
    raw = load_codebook()["facets"]["mc_elements"].get("short_workload_max") or {}
    most = {str(u): float(n) for u, n in raw.items()}
    unknown = sorted(set(most) - set(workload_units()))
    if unknown:
        raise ValueError(f"codebook.yaml: facets.mc_elements.short_workload_max: {', '.join(unknown)}: not a workload unit")
    return most


@lru_cache(maxsize=1)
def mc_only_actors() -> tuple[str, ...]:
    """The actors tagged only where a segment or its document is about micro-credentials
    (``facets.actors.mc_only``); a value that is no actor of the codebook is an error naming it."""
    actors = tuple(load_codebook()["facets"]["actors"].get("mc_only") or ())
    for actor in actors:
        if actor not in facet_values("actors"):
            raise ValueError(f"codebook.yaml: facets.actors.mc_only: {actor}: not an actor of the codebook")
    return actors


@lru_cache(maxsize=2)
def actor_labels(key: str = "labels") -> tuple[str, ...]:
    """The labels whose segments may name actors (``facets.actors.labels``), or name them only with a
    role word next to them (``key="role_labels"``); a value that is no label of the codebook is an
    error naming it."""
    labels = tuple(load_codebook()["facets"]["actors"].get(key) or ())
    for label in labels:
        if label not in LABELS:
            raise ValueError(f"codebook.yaml: facets.actors.{key}: {label}: not a label of the codebook")
    return labels


@lru_cache(maxsize=1)
def sector_list_max() -> int | None:
    """How many sectors a segment outside micro-credentials names before it is a list of fields
    (``facets.sectors.list_max``; None: no limit)."""
    value = load_codebook()["facets"]["sectors"].get("list_max")
    return int(value) if value is not None else None


def actor_roles() -> tuple[str, ...]:
    """What an actor is said to do with micro-credentials: provides, uses, funds, recognises, values_trusts."""
    return tuple(load_codebook()["facets"]["actor_roles"])


def definable_labels() -> tuple[str, ...]:
    """Labels whose concept a document may name by a term of its own (``definable: true``):
    a credential type, a validation procedure, a framework. Later uses of the term carry it."""
    book = load_codebook()["labels"]
    return tuple(label for label in LABELS if book[label].get("definable"))


def definition(label: str) -> str:
    return str(load_codebook()["labels"][label]["definition"]).strip()
