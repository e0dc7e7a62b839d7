"""Document-aware labels: a term a document defines for a concept carries the label later on.

Documents name micro-credentials their own way and then use that name: "the European Higher
Education Microcredential (EUHEMC)" and, pages later, "the EUHEMC is stored in the wallet".
The rules know the first sentence (it says micro-credential), not the later ones. Here,
per document:

1. a definition is a cue hit of a definable label followed, within a few words, by a
   parenthesised term: an acronym ("(EUHEMC)", "(OB 3.0)") or a quoted name with up to three
   words before it in any language ("(hereafter "the Badge")", "(im Folgenden „Kurzzertifikat“)");
2. every later segment of the same document (reading order) that uses the term gets the label,
   with the cue ``alias: TERM (defined p. N)`` so a reader sees why.

Structural patterns only (parentheses, quotes, capitals): no word of any language here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mctext.records import Cue, Prediction, Segment

_GAP = r"(?:[\s-]+[^\s()]+){0,4}?\s*"  # up to four words between the cue and the parenthesis
_ACRONYM = r"(?P<acro>[A-Z][A-Za-z0-9]*[A-Z0-9](?:[ .-]?v?\d+(?:\.\d+)?)?)"
_QUOTED = r"(?:[^\W\d_][\w'-]*\s+){0,3}[\"'«“„‚](?P<quoted>[^\"'»”“‘’\n]{2,40}?)[\"'»”“‘’]"
_DEFINITION = re.compile(_GAP + r"\(\s*(?:" + _ACRONYM + r"|" + _QUOTED + r")\s*\)")


@dataclass(frozen=True)
class Alias:
    term: str
    label: str
    page: int
    segment_id: str  # the defining segment
    order: int  # its position in the document's reading order

    @property
    def cue(self) -> str:
        return f"alias: {self.term} (defined p. {self.page})"

    def pattern(self) -> re.Pattern[str]:
        flags = 0 if self.term.upper() == self.term else re.IGNORECASE  # acronyms match exactly
        return re.compile(r"(?<!\w)" + re.escape(self.term) + r"(?!\w)", flags)


def find_aliases(segments: list[Segment], predictions: list[Prediction]) -> list[Alias]:
    """Terms the document defines right after a cue of a definable label, first definition wins."""
    from mctext.codebook import definable_labels

    labels = definable_labels()
    seen: dict[str, Alias] = {}
    for order, (seg, pred) in enumerate(zip(segments, predictions, strict=True)):
        for cue in pred.cues:
            if cue.label not in labels or cue.cue.startswith("alias:"):
                continue
            m = _DEFINITION.match(seg.text, cue.end)
            if not m:
                continue
            term = (m.group("acro") or m.group("quoted") or "").strip()
            if len(term) < 2 or term.casefold() in seen:
                continue
            seen[term.casefold()] = Alias(term, cue.label, seg.page, seg.id, order)
    return list(seen.values())


def apply_aliases(segments: list[Segment], predictions: list[Prediction], aliases: list[Alias]) -> int:
    """Label later uses of each alias (in place); returns how many labels were added."""
    added = 0
    for alias in aliases:
        pattern = alias.pattern()
        for seg, pred in list(zip(segments, predictions, strict=True))[alias.order + 1:]:
            if alias.label in pred.labels:
                continue
            m = pattern.search(seg.text)
            if not m:
                continue
            pred.labels.append(alias.label)
            pred.cues.append(Cue(alias.label, alias.cue, m.group(0), m.start(), m.end()))
            added += 1
    for pred in predictions:
        pred.labels.sort(key=_label_order)
    return added


def _label_order(label: str) -> int:
    from mctext.codebook import LABELS

    return LABELS.index(label) if label in LABELS else len(LABELS)


def document_aware(segments: list[Segment], predictions: list[Prediction]) -> list[Prediction]:
    """The document's predictions with its own defined terms carrying their labels."""
    apply_aliases(segments, predictions, find_aliases(segments, predictions))
    return predictions
