"""The rules layer: codebook cues (data/codebook.yaml) matched over raw text.

Every label's cues of all languages are compiled once into one alternation with a
named group per cue, so a segment is scanned once per label. A cue hit overlapping
one of the label's guard matches ("legal framework", "unit price") is dropped.
``driver`` needs a cause cue, a micro-credential or short-learning context cue and a
driver-type cue (the cause must be one the codebook names);
``nqf`` also fires on any extracted framework level. Every hit is a ``records.Cue``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from mctext.classify.fastre import CueGroup, CueSet, TextView
from mctext.classify.levels import extract_nqf_levels
from mctext.codebook import (
    DRIVER_TYPES,
    LABELS,
    driver_context_cues,
    driver_type_cues,
    label_cues,
    label_guards,
)
from mctext.records import Cue, NqfLevel

DRIVER_CONTEXT = "driver_context"


@dataclass
class _Lexicon:
    cues: CueSet  # keys are "lang:cue"
    guard: CueSet | None = None


@dataclass
class RuleResult:
    """What the rules found in one segment."""

    cues: list[Cue] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    driver_types: list[str] = field(default_factory=list)
    nqf_levels: list[NqfLevel] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # label / driver_context / type -> hits


def _lexicon(entries: dict[str, dict[str, str]], guards: dict[str, str] | None = None) -> _Lexicon:
    pairs = [(f"{lang}:{cue}", pattern) for lang, cues in entries.items() for cue, pattern in (cues or {}).items()]
    guard = CueSet(list(guards.items())) if guards else None
    return _Lexicon(CueSet(pairs), guard)


@lru_cache(maxsize=1)
def lexicons() -> dict[str, _Lexicon]:
    """label (and driver_context, driver types) -> compiled lexicon; built once per process."""
    out = {label: _lexicon(label_cues(label), label_guards(label)) for label in LABELS}
    out[DRIVER_CONTEXT] = _lexicon(driver_context_cues())
    for dtype, pattern in driver_type_cues().items():
        out[dtype] = _lexicon({"all": {dtype: pattern}})
    return out


@lru_cache(maxsize=1)
def _matcher() -> tuple[CueGroup, dict[str, tuple[int, int | None]]]:
    """Every lexicon's cues and guards in one CueGroup; name -> (cue set, guard set) positions."""
    sets: list[CueSet] = []
    where: dict[str, tuple[int, int | None]] = {}
    for name, lex in lexicons().items():
        cues, guard = len(sets), None
        sets.append(lex.cues)
        if lex.guard is not None:
            guard = len(sets)
            sets.append(lex.guard)
        where[name] = (cues, guard)
    return CueGroup(sets), where


def _all_hits(view: TextView) -> dict[str, list[Cue]]:
    """Each lexicon's hits in ``view`` (label, driver_context, driver types), guards applied."""
    group, where = _matcher()
    found = group.matches(view)
    out = {}
    for name, (cues, guard) in where.items():
        label = name if name in LABELS else "driver"
        out[name] = _hits(label, found[cues], [m.span() for _, m in found[guard]] if guard is not None else [])
    return out


def _hits(label: str, matches: list[tuple[str, re.Match[str]]], guarded: list[tuple[int, int]]) -> list[Cue]:
    out = []
    for name, m in matches:
        if any(m.start() < g_end and g_start < m.end() for g_start, g_end in guarded):
            continue
        out.append(Cue(label, name, m.group(0), m.start(), m.end()))
    out.sort(key=lambda c: (c.start, c.end))
    return out


def apply_rules(
    text: str, lang: str | None = None, country: str | None = None, view: TextView | None = None
) -> RuleResult:
    """Run every cue lexicon over ``text``; labels are what the rules alone decide."""
    view = view or TextView.of(text)
    res = RuleResult()
    hits_of = _all_hits(view)
    by_label: dict[str, list[Cue]] = {label: hits_of[label] for label in LABELS}
    context = hits_of[DRIVER_CONTEXT]
    res.nqf_levels = extract_nqf_levels(text, lang, country, view)
    if res.nqf_levels:
        by_label["nqf"].append(Cue("nqf", "level:" + ",".join(f"{lv.framework} {lv.level}" for lv in res.nqf_levels), "", 0, 0))
    types = {t: hits_of[t] for t in DRIVER_TYPES}
    mc_context = bool(by_label["microcredential"]) or bool(context)
    res.counts = {label: len(hits) for label, hits in by_label.items()}
    res.counts[DRIVER_CONTEXT] = len(context)
    res.counts.update({t: len(h) for t, h in types.items()})
    typed = any(types.values())
    for label in LABELS:
        hits = by_label[label]
        if label == "driver":
            if not (hits and mc_context and typed):
                continue
            hits = hits + context
        if hits:
            res.labels.append(label)
            res.cues.extend(hits)
    if "driver" in res.labels:
        for t, hits in types.items():
            if hits:
                res.driver_types.append(t)
                res.cues.extend(Cue("driver", f"type:{t}", c.text, c.start, c.end) for c in hits)
    return res


def rule_driver_types(text: str) -> list[str]:
    """Driver types whose cues occur in ``text`` (used when the model, not the rules, says driver)."""
    hits_of = _all_hits(TextView.of(text))
    return [t for t in DRIVER_TYPES if hits_of[t]]
