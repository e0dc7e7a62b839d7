"""Facets (codebook v1.2) and NQF levels in annotation files: one spelling for all formats.

In memory a segment's facets are ``{facet: [value, ...], "workload": [{"value", "unit"}]}``
with the facet names and values of the codebook data (``codebook.FACETS``); only facets
that hold something are kept. In files a facet value is written ``facet:value``
("actors:employers", "international:country:DE"), a workload as "5 ECTS; 20 hours" and
NQF levels as "NFQ 6; EQF 5". Every value is checked against the codebook, with a
"did you mean" for a near miss.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from mctext.codebook import FACETS, country_prefix, facet_values, workload_units
from mctext.errors import AnnotationFileError

WORKLOAD = "workload"
SEP = ":"
_COUNTRY = re.compile(r"[A-Z]{2}")
_WORKLOAD_ITEM = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([^\d;]+?)\s*")
_LEVEL_ITEM = re.compile(r"\s*(\S+)\s+(\d{1,2})\s*")

Facets = dict[str, list[Any]]


def closest(value: str, known: Iterable[str]) -> str | None:
    """The known spelling nearest to ``value`` (difflib), None when none is close."""
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.75)
    return match[0] if match else None


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest known spelling, '' when none is close."""
    match = closest(value, known)
    return f" (did you mean {match!r}?)" if match else ""


def flat_values(facets: Facets | None) -> list[str]:
    """``facet:value`` strings for every facet value (workload not included)."""
    out = []
    for facet in FACETS:
        out += [f"{facet}{SEP}{v}" for v in (facets or {}).get(facet, [])]
    return out


def known_flat(extra: Iterable[str] = ()) -> list[str]:
    """Every ``facet:value`` the codebook defines (for suggestions and columns)."""
    return [f"{facet}{SEP}{v}" for facet in FACETS for v in facet_values(facet)] + list(extra)


def parse_flat(value: str, where: str) -> tuple[str, str]:
    """(facet, value) of a ``facet:value`` string, refused when the codebook lacks it."""
    facet, _, rest = value.partition(SEP)
    if facet not in FACETS:
        raise AnnotationFileError(f"{where}: unknown facet {facet!r} in {value!r}{did_you_mean(facet, FACETS)}")
    prefix = country_prefix(facet)
    if prefix and rest.startswith(prefix) and _COUNTRY.fullmatch(rest[len(prefix):]):
        return facet, rest
    if rest not in facet_values(facet):
        hint = did_you_mean(rest, facet_values(facet)) or f" (codebook {facet}: {', '.join(facet_values(facet))})"
        raise AnnotationFileError(f"{where}: unknown {facet} value {rest!r}{hint}")
    return facet, rest


def from_flat(values: Iterable[str], where: str) -> Facets:
    out: Facets = {}
    for v in values:
        facet, value = parse_flat(v, where)
        out.setdefault(facet, [])
        if value not in out[facet]:
            out[facet].append(value)
    return {f: sorted(v) for f, v in out.items()}


def normalise(facets: Any) -> Facets:
    """A segment's facets as stored in a run (a dict, or JSON text of one) in the in-memory form."""
    if facets is None or (isinstance(facets, float) and facets != facets):
        return {}
    if isinstance(facets, str):
        facets = json.loads(facets) if facets.strip() else {}
    out: Facets = {}
    for facet in FACETS:
        values = [str(v) for v in _as_list(facets.get(facet))]
        if values:
            out[facet] = sorted(set(values))
    workload = [{"value": _number(w["value"]), "unit": str(w["unit"])} for w in _as_list(facets.get(WORKLOAD))]
    if workload:
        out[WORKLOAD] = workload
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value.tolist() if hasattr(value, "tolist") else value)


def _number(value: Any) -> int | float:
    x = float(str(value).replace(",", "."))
    return int(x) if x.is_integer() else x


def workload_text(items: Sequence[dict[str, Any]]) -> str:
    return "; ".join(f"{w['value']} {w['unit']}" for w in items)


def parse_workload(text: str, where: str) -> list[dict[str, Any]]:
    """"5 ECTS; 20 hours" -> [{value: 5, unit: ECTS}, {value: 20, unit: hours}]."""
    out = []
    units = workload_units()
    for part in (p for p in text.split(";") if p.strip()):
        m = _WORKLOAD_ITEM.fullmatch(part)
        if not m:
            raise AnnotationFileError(f"{where}: workload {part.strip()!r} is not 'NUMBER UNIT' "
                                      f"(e.g. '5 ECTS; 20 hours'; units: {', '.join(units)})")
        unit = m.group(2)
        if unit not in units:
            hint = did_you_mean(unit, units) or f" (units: {', '.join(units)})"
            raise AnnotationFileError(f"{where}: unknown workload unit {unit!r}{hint}")
        out.append({"value": _number(m.group(1)), "unit": unit})
    return out


NO_LEVELS = "none"


def levels_text(levels: Sequence[dict[str, Any]] | None) -> str:
    """The text form of human levels: "NFQ 6; EQF 5", "none" for an explicit empty list."""
    if levels is not None and not levels:
        return NO_LEVELS
    return "; ".join(f"{lv['framework']} {lv['level']}" for lv in levels or [])


def parse_levels(text: str, where: str) -> list[dict[str, Any]]:
    """"NFQ 6; EQF 5" -> [{framework: NFQ, level: 6}, {framework: EQF, level: 5}]; "none" -> [].

    "none" is the annotator's judgement that the segment names no level (an empty cell means
    "not given": the extracted levels stand). Levels run 1-10 (Ireland's NFQ has ten).
    """
    out: list[dict[str, Any]] = []
    if text.strip().casefold() == NO_LEVELS:
        return out
    for part in (p for p in text.split(";") if p.strip()):
        m = _LEVEL_ITEM.fullmatch(part)
        if not m or not 1 <= int(m.group(2)) <= 10:
            raise AnnotationFileError(f"{where}: NQF level {part.strip()!r} is not 'FRAMEWORK LEVEL' "
                                      "with a level 1-10 (e.g. 'NFQ 6; EQF 5'), or 'none'")
        out.append({"framework": m.group(1), "level": int(m.group(2))})
    return out
