"""Document-aware labels, part two: a document keeps talking about its micro-credentials without the word.

Inside a quality framework for micro-credentials, "the provision must state its learning
outcomes" is about micro-credentials; the same sentence in a school law is not. The rules see
one sentence at a time and miss the first. Here, per document, in reading order:

1. **scope**: where a segment stands in the document:
   - ``section``: a heading of its section path names the label (the label's rule cues fire on
     the heading, or it uses a term the document defined for the label: ``classify.aliases``);
   - ``title``: the document's title names it;
   - ``neighbours``: it lies in a run of segments labelled so (``RUN_BEFORE`` labelled segments
     among the ``RUN_REACH`` before it and ``RUN_AFTER`` among those after it);
2. **reference**: the segment refers back with one of its language's words (language data layer):
   - ``references`` ("the provision", "offerings", "the learning unit", "aanbod",
     "estas enseñanzas"): words for a provision or unit of learning, enough in any one scope;
   - ``weak_references`` ("credentials", "certified by": the codebook's generic credential words,
     which a document about badges uses for every verifiable credential): only in a naming
     section *and* among labelled neighbours.

Both are needed: scope alone labels nothing (a sentence about something else in a
micro-credential document stays unlabelled), and a reference word alone is the codebook's
"generic courses, certificates" that carry no label. The cue names the scope, e.g.
``context: section 'Micro-credentials' p. 4`` with the reference word as its text; section
wins over title over neighbours. Labels with reference words in some language file are
decided so (now: ``microcredential``, and ``validation``: the steps, people and outcomes of a
validation procedure, "the candidate submits a portfolio to the assessor", inside a validation scope).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from mctext import lang as langdata
from mctext.classify.aliases import Alias
from mctext.classify.fastre import CueSet, TextView
from mctext.classify.rules import Languages, cue_pairs, lexicon_hits
from mctext.records import KIND_CODE, KIND_TOC, Cue, Prediction, Segment

RUN_REACH = 2  # segments looked at on each side for a run of labelled neighbours
RUN_BEFORE = 1  # labelled segments needed before it within RUN_REACH ...
RUN_AFTER = 1  # ... and after it
NAME_CHARS = 60  # a heading or title longer than this is cut in the cue
SKIPPED_KINDS = (KIND_TOC, KIND_CODE)  # a table of contents or code refers to nothing


@dataclass(frozen=True)
class Scope:
    """Why a segment stands inside a label's context: kind (section, title, neighbours), the
    heading or title that names the label, and the page where that starts."""

    kind: str
    name: str
    page: int

    @property
    def cue(self) -> str:
        if self.kind == "section":
            return f"context: section '{_short(self.name)}' p. {self.page}"
        if self.kind == "section+neighbours":
            return f"context: section '{_short(self.name)}' p. {self.page} and neighbours labelled"
        if self.kind == "title":
            return f"context: document title '{_short(self.name)}'"
        return f"context: neighbours labelled p. {self.page}"


def _short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


@cache
def context_labels() -> tuple[str, ...]:
    """The codebook labels that some language file gives ``references`` words for."""
    from mctext.codebook import LABELS

    return tuple(label for label in LABELS if langdata.reference_cues(label) or langdata.reference_cues(label, weak=True))


@cache
def _references(label: str, langs: Languages, weak: bool) -> CueSet:
    return CueSet(cue_pairs(langdata.reference_cues(label, weak), langs))


def reference_hit(label: str, text: str, lang: str | None = None, weak: bool = False) -> tuple[str, int, int] | None:
    """The first reference word of ``label`` (``weak``: weak one) in ``text``, the language's and
    xx's words: (matched text, start, end)."""
    view = TextView.of(text)
    found = sorted(m.span() for _, m in _references(label, langdata.cue_languages(lang), weak).finditer(view))
    return (text[found[0][0]:found[0][1]], *found[0]) if found else None


@lru_cache(maxsize=4096)
def _cue_names(label: str, text: str, lang: str | None) -> bool:
    return bool(lexicon_hits(label, text, lang))


def _names_label(label: str, aliases: list[Alias]) -> Callable[[str, str | None], bool]:
    """A test: does a heading (or title) name ``label``: a cue of the label fires on it (guards
    applied), or it uses a term the document defined for the label."""
    patterns = [a.pattern() for a in aliases if a.label == label]
    return lambda text, lang: _cue_names(label, text, lang) or any(p.search(text) for p in patterns)


def section_scopes(segments: list[Segment], label: str, aliases: list[Alias]) -> list[Scope | None]:
    """Per segment, the innermost heading of its section path that names ``label`` (None: none does)."""
    names = _names_label(label, aliases)
    first_page: dict[tuple[str, ...], int] = {}  # a heading path -> the page of its first segment
    naming: dict[tuple[str, str | None], tuple[tuple[str, ...], str] | None] = {}  # (section, lang) -> its naming path
    out: list[Scope | None] = []
    for seg in segments:
        lang = seg.lang or None
        if (seg.section, lang) not in naming:
            path = tuple(h.strip() for h in seg.section.split(" > ")) if seg.section else ()
            for depth in range(1, len(path) + 1):
                first_page.setdefault(path[:depth], seg.page)
            naming[seg.section, lang] = next(
                ((path[:depth], path[depth - 1]) for depth in range(len(path), 0, -1)
                 if path[depth - 1] and names(path[depth - 1], lang)), None)
        found = naming[seg.section, lang]
        out.append(Scope("section", found[1], first_page[found[0]]) if found else None)
    return out


def neighbour_scopes(segments: list[Segment], labelled: list[bool]) -> list[Scope | None]:
    """Per segment, a ``neighbours`` scope where labelled segments surround it (see RUN_*)."""
    out: list[Scope | None] = []
    n = len(segments)
    for i, seg in enumerate(segments):
        before = sum(labelled[max(0, i - RUN_REACH):i])
        after = sum(labelled[i + 1:min(n, i + 1 + RUN_REACH)])
        out.append(Scope("neighbours", "", seg.page) if before >= RUN_BEFORE and after >= RUN_AFTER else None)
    return out


def apply_context(
    segments: list[Segment], predictions: list[Prediction], doc_title: str = "", aliases: list[Alias] | None = None,
    *, neighbours: bool = True,
) -> int:
    """Label (in place) the segments that refer back to a label inside one of its scopes; returns
    how many labels were added. The labels the predictions carry on entry decide the runs of
    neighbours (a label added here makes no new run). ``neighbours=False``: section and title
    scopes only, for segments that are a sample of a document, not its reading order."""
    from mctext.classify.aliases import _label_order

    aliases = aliases or []
    added = 0
    for label in context_labels():
        sections = section_scopes(segments, label, aliases)
        title_lang = next((s.lang for s in segments if s.lang), None)
        title = Scope("title", doc_title, 1) if doc_title and _names_label(label, aliases)(doc_title, title_lang) else None
        runs = (neighbour_scopes(segments, [label in p.labels for p in predictions]) if neighbours
                else [None] * len(segments))
        for seg, pred, section, near in zip(segments, predictions, sections, runs, strict=True):
            scope = section or title or near
            if scope is None or label in pred.labels or seg.kind in SKIPPED_KINDS:
                continue
            hit = reference_hit(label, seg.text, seg.lang or None)
            if hit is None and section is not None and near is not None:
                hit = reference_hit(label, seg.text, seg.lang or None, weak=True)
                scope = Scope("section+neighbours", section.name, section.page)
            if hit is None:
                continue
            pred.labels.append(label)
            pred.labels.sort(key=_label_order)
            pred.cues.append(Cue(label, scope.cue, *hit))
            added += 1
    return added


def document_context(
    segments: list[Segment], predictions: list[Prediction], doc_title: str = "", *, reading_order: bool = True
) -> list[Prediction]:
    """The document passes, in place: the terms it defines (its title's too) label their uses
    (``classify.aliases``), then its scopes' references are labelled, the defined terms naming
    scopes too. ``reading_order=False``: the segments are a sample of the document (labelled
    records), so aliases count anywhere and there are no runs of neighbours."""
    from mctext.classify.aliases import apply_aliases, find_aliases

    aliases = find_aliases(segments, predictions, doc_title)  # (alias cues added below are not definitions)
    apply_aliases(segments, predictions, aliases, reading_order=reading_order)
    apply_context(segments, predictions, doc_title, aliases, neighbours=reading_order)
    return predictions
