"""The rules layer: the language data layer's cues (data/languages/<code>.yaml) over raw text.

A language's cues fire only on text in that language (the segment's ``lang``, aliases
included); ``xx`` cues fire on every text; when the language is unknown or has no file,
every language's cues run. Each label's cues of the languages that apply are compiled
once (per language) into one ``CueGroup``, so a segment is scanned once. A cue hit
overlapping one of the label's guard matches ("legal framework", "unit price") is dropped.
``driver`` needs a cause cue, a micro-credential or short-learning context cue and a
driver-type cue (the cause must be one the codebook names);
``nqf`` also fires on any extracted framework level. Every hit is a ``records.Cue``
named ``<lang>:<cue>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from mctext import lang as langdata
from mctext.classify.fastre import CueGroup, CueSet, TextView
from mctext.classify.levels import extract_nqf_levels
from mctext.codebook import DRIVER_TYPES, LABELS
from mctext.records import Cue, NqfLevel

DRIVER_CONTEXT = "driver_context"
Languages = tuple[str, ...] | None  # the files whose cues apply; None: all


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

    @property
    def short_learning_context(self) -> bool:
        """A driver context cue fired (the short-learning context that opens the facets' gate)."""
        return self.counts.get(DRIVER_CONTEXT, 0) > 0


def cue_pairs(entries: dict[str, dict[str, str]], langs: Languages) -> list[tuple[str, str]]:
    """``(<lang>:<name>, regex)`` of the cues of the files ``langs`` (None: all), for a ``CueSet``."""
    return [
        (f"{code}:{name}", pattern)
        for code, cues in entries.items()
        if langs is None or code in langs
        for name, pattern in cues.items()
    ]


def _lexicon(entries: dict[str, dict[str, str]], langs: Languages, guards: dict[str, dict[str, str]] | None = None) -> _Lexicon:
    guard_pairs = cue_pairs(guards or {}, langs)
    return _Lexicon(CueSet(cue_pairs(entries, langs)), CueSet(guard_pairs) if guard_pairs else None)


@cache
def lexicons(langs: Languages = None) -> dict[str, _Lexicon]:
    """label (and driver_context, driver types) -> compiled lexicon of the languages ``langs``
    (None: all); built once per process and language."""
    out = {label: _lexicon(langdata.label_cues(label), langs, langdata.label_guards(label)) for label in LABELS}
    out[DRIVER_CONTEXT] = _lexicon(langdata.driver_context_cues(), langs)
    for dtype in DRIVER_TYPES:
        out[dtype] = _lexicon(langdata.driver_type_cues(dtype), langs)
    return out


@cache
def _matcher(langs: Languages) -> tuple[CueGroup, dict[str, tuple[int, int | None]]]:
    """Every lexicon's cues and guards in one CueGroup; name -> (cue set, guard set) positions."""
    sets: list[CueSet] = []
    where: dict[str, tuple[int, int | None]] = {}
    for name, lex in lexicons(langs).items():
        cues, guard = len(sets), None
        sets.append(lex.cues)
        if lex.guard is not None:
            guard = len(sets)
            sets.append(lex.guard)
        where[name] = (cues, guard)
    return CueGroup(sets), where


def _all_hits(view: TextView, lang: str | None) -> dict[str, list[Cue]]:
    """Each lexicon's hits in ``view`` (label, driver_context, driver types), guards applied,
    with the cues of ``lang`` (and xx) only."""
    group, where = _matcher(langdata.cue_languages(lang))
    found = group.matches(view)
    out: dict[str, list[Cue]] = {}
    for name, (cues, guard) in where.items():
        if not found[cues]:  # most lexicons find nothing in a segment: no guard spans to read
            out[name] = []
            continue
        label = name if name in LABELS else "driver"
        out[name] = _hits(label, found[cues], [m.span() for _, m in found[guard]] if guard is not None else [])
    return out


def lexicon_hits(name: str, text: str | TextView, lang: str | None = None) -> list[Cue]:
    """One lexicon's hits (a label, ``driver_context`` or a driver type) in ``text``, its guards
    applied: what ``apply_rules`` counts for it, for a caller that needs that one alone."""
    view = text if isinstance(text, TextView) else TextView.of(text)
    lex = lexicons(langdata.cue_languages(lang))[name]
    guarded = lex.guard.search_any(view) if lex.guard is not None else []
    return _hits(name if name in LABELS else "driver", list(lex.cues.finditer(view)), guarded)


def every_lexicon_hits(text: str | TextView, lang: str | None = None) -> dict[str, list[Cue]]:
    """What ``lexicon_hits`` gives for every lexicon name, from one scan of ``text`` (all lexicons'
    cues and guards in one CueGroup): for a caller that asks about several labels of one text."""
    return _all_hits(text if isinstance(text, TextView) else TextView.of(text), lang)


def short_learning_context(text: str | TextView, lang: str | None = None) -> bool:
    """Whether one of the language's driver context cues (the short-learning context) fires, guards
    applied: the ``context`` flag of ``RuleResult.short_learning_context``, for a text the rules
    have not run on (the facets' document pass)."""
    return bool(lexicon_hits(DRIVER_CONTEXT, text, lang))


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
    """Run the cue lexicons of ``lang`` over ``text``; labels are what the rules alone decide."""
    view = view or TextView.of(text)
    res = RuleResult()
    hits_of = _all_hits(view, lang)
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


def rule_driver_types(text: str, lang: str | None = None) -> list[str]:
    """Driver types whose cues occur in ``text`` (used when the model, not the rules, says driver)."""
    hits_of = _all_hits(TextView.of(text), lang)
    return [t for t in DRIVER_TYPES if hits_of[t]]
