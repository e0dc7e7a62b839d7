"""Document-aware labels: a term a document defines for a concept carries the label later on.

Documents name micro-credentials their own way and then use that name: "the European Higher
Education Microcredential (EUHEMC)" and, pages later, "the EUHEMC is stored in the wallet".
The rules know the first sentence (it says micro-credential), not the later ones. Here,
per document:

1. a definition is a cue hit of a definable label followed, within a few words, by a
   parenthesised term: an acronym ("(EUHEMC)", "(OB 3.0)") or a quoted name with up to five
   words before it and two after it in any language ("(hereafter "the Badge")", "(hereinafter
   referred to as "Skill Pass")", "(im Folgenden als „Kurzzertifikat“ bezeichnet)");
   or an acronym followed by its expansion in parentheses, the cue inside them
   ("the EUHEMC (European Higher Education Microcredential)"); or a quoted name before a
   parenthesised cue ("„Skills Ticket“ (a micro-credential)") or opening a definition list's
   entry ('3) "Skills Ticket": a short learning programme ...'). The document's title and
   section headings define terms the same way (from their first segment on);
2. every later segment of the same document (reading order) that uses the term, plural
   included ("SLCs"; a name's words inflected too: "Kurzzertifikaten", "Bonu Kompetencji"),
   gets the label, with the cue ``alias: TERM (defined p. N)`` so a reader
   sees why. Records sampled from a document (no reading order) take it wherever they are.

Structural patterns only (parentheses, quotes, capitals): no word of any language here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mctext.records import Cue, Prediction, Segment

_GAP = r"(?:[\s-]+[^\s()]+){0,4}?\s*"  # up to four words between the cue and the parenthesis
_ACRONYM = r"(?P<acro>[A-Z][A-Za-z0-9]*[A-Z0-9](?:[ .-]?v?\d+(?:\.\d+)?)?)"
# a quoted name after up to five words ("hereinafter referred to as", "en adelante,", "dalej:") and
# before up to two ("im Folgenden „Kurzzertifikat“ genannt"), inside the parenthesis
_QUOTED = (r"(?:[^\W\d_][\w'-]*[,:]?\s+){0,5}[\"'«“„‚](?P<quoted>[^\"'»”“‘’\n]{2,40}?)[\"'»”“‘’]"
           r"(?:\s+[^\W\d_][\w'-]*){0,2}")
_DEFINITION = re.compile(_GAP + r"\(\s*(?:" + _ACRONYM + r"|" + _QUOTED + r")\s*\)")
# an acronym, then "(" and up to eight words before the cue: the text before a cue hit ends so ...
_EXPANDED = re.compile(r"(?<![\w.-])" + _ACRONYM + r"\s*\(\s*(?:[^\s()]+\s+){0,8}?(?:[^\s()]*[\s‐-])?$")
_EXPANSION_END = re.compile(r"[^()\n]{0,60}?\)")  # ... and the parenthesis closes soon after it
# an abbreviation list's entry or a glossed acronym, the cue ending its expansion: "EUHEMC – European
# Higher Education Microcredential", "SLP: short learning programme" (``_spells`` checks the words)
_GLOSSED = re.compile(r"(?<![\w.-])" + _ACRONYM + r"(?:\s*[:–—=]|\s+-)\s+(?P<expansion>(?:[^\s()]+\s+){0,6}?)"
                      r"(?:[^\s()]*[\s‐-])?$")
FILLER = 3  # a word of the expansion this short may give no letter to the acronym ("of", "for", "the")
# a quoted name, then "(" and at most one word before the cue, closing within two words after it:
# "„Kurzzertifikat“ (Mikro-Credential)", '"Skills Tickets" (a short learning programme)'
_QUOTED_NAMED = re.compile(r"[\"«“„‚](?P<quoted>[^\"'»”“‘’\n]{2,40}?)[\"»”“‘’]\s*\(\s*(?:[^\s()]+\s+)?$")
_QUOTED_END = re.compile(r"[^\s()]*(?:\s+[^\s()]+){0,2}?\s*\)")
# a definition list's entry: the segment opens with a quoted name, the cue within five words after it:
# '3) „Kurzzertifikat“: ein Mikro-Credential, das ...', '"Skills Ticket" means a short learning programme'
_ENTRY = re.compile(r"^\W{0,3}(?:(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s*)?[\"«“„‚'](?P<quoted>[^\"'»”“‘’\n]{2,40}?)[\"»”“‘’']"
                    r"\s*[:,–—-]?\s*(?:[^\s]+\s+){0,5}$")
_PLURAL = r"(?:e?s|['’]s)?"  # a plural or genitive is a use of a term
# a defined name's words are used inflected ("Skills Tickets", "Kurzzertifikaten", "mikrodokazila",
# "Bonu Szkoleniowego"): a word of STEM_FROM letters or more may change its last letter and take up to
# ENDING more; a shorter one of a name of several words (of 3 letters or more) may take up to two;
# a short name of one word ("Pass": not "passed") and shorter words take a plural only
STEM_FROM = 6
ENDING = 3
TITLE_SEGMENT = "title"  # Alias.segment_id of a term the document's title defines
HEADING_SEGMENT = "heading"  # ... and of one a section heading defines


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
        if self.term.upper() == self.term:  # acronyms match exactly, with a plural
            return re.compile(r"(?<!\w)" + re.escape(self.term) + _PLURAL + r"(?!\w)")
        words = self.term.split()
        if len(words) == 1 and len(self.term) < STEM_FROM:  # a short word alone: as written, or its plural
            return re.compile(r"(?<!\w)" + re.escape(self.term) + _PLURAL + r"(?!\w)", re.IGNORECASE)
        return re.compile(r"(?<!\w)" + r"\s+".join(map(_inflected, words)) + r"(?!\w)", re.IGNORECASE)


def _inflected(word: str) -> str:
    """``word`` with the endings an inflected or plural use of it may have (``STEM_FROM``, ``ENDING``)."""
    if not word[-1:].isalpha() or len(word) < 3:
        return re.escape(word) + _PLURAL
    if len(word) < STEM_FROM:
        return re.escape(word) + r"\w{0,2}"
    return re.escape(word[:-1]) + rf"\w{{0,{ENDING + 1}}}"


def defined_term(text: str, cue: Cue) -> str:
    """The term ``text`` defines at a cue hit: "(TERM)" right after it, or "TERM (... cue ...)"
    around it; "" when neither."""
    m = _DEFINITION.match(text, cue.end)
    if m and m.group("quoted"):
        return m.group("quoted").strip()
    if m and _names_cue(m.group("acro"), text, cue.start, m.start("acro")):
        return m.group("acro").strip()
    entry = _ENTRY.match(text, 0, cue.start) if cue.start <= 120 else None
    if entry:
        return entry.group("quoted").strip()
    named = _QUOTED_NAMED.search(text, max(0, cue.start - 80), cue.start)
    if named and _QUOTED_END.match(text, cue.end):
        return named.group("quoted").strip()
    glossed = _GLOSSED.search(text, max(0, cue.start - 120), cue.start)
    if glossed and _spells(glossed.group("acro"), text[glossed.start("expansion"):cue.end]):
        return glossed.group("acro").strip()
    before = _EXPANDED.search(text, max(0, cue.start - 200), cue.start)
    after = _EXPANSION_END.match(text, cue.end) if before else None
    if before and after and _abbreviates(before.group("acro"), text[before.end("acro"):after.end()]):
        return before.group("acro").strip()
    return ""


def _names_cue(acronym: str, text: str, cue_start: int, paren: int) -> bool:
    """Whether ``acronym`` abbreviates words that include the cue: "Open Badges (OB 3.0)", "Short
    Learning Certificate micro-credential (SLC)", not "Open Badges and Comprehensive Learner
    Record (CLR)" (a term named beside the cue). The expansion is the shortest one ending at the
    parenthesis whose letters spell the acronym, its first at a word start (Schwartz and Hearst 2003)."""
    letters = [c for c in acronym.casefold() if c.isalpha()]
    before = text[:paren].casefold()
    i = len(before) - 1
    for k in range(len(letters) - 1, -1, -1):
        while i >= 0 and (before[i] != letters[k] or (k == 0 and i > 0 and before[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return bool(letters) and i + 1 <= cue_start


def _abbreviates(acronym: str, expansion: str) -> bool:
    """Whether ``acronym`` can stand for ``expansion`` ("(European Higher Education Microcredential)"):
    it starts with the expansion's first letter and its letters occur there in order, so "the EU
    (... micro-credentials)" is no definition of "EU"."""
    letters = [c for c in acronym.casefold() if c.isalpha()]
    text = "".join(c for c in expansion.casefold() if c.isalpha())
    if not letters or not text or letters[0] != text[0]:
        return False
    it = iter(text)
    return all(c in it for c in letters)


def _spells(acronym: str, expansion: str) -> bool:
    """Whether ``acronym`` spells ``expansion`` word by word: each word gives the next letters, the
    first of them its initial, and only words of ``FILLER`` letters or fewer may give none. Stricter
    than ``_abbreviates``: "ESF: Employers should fund micro-credentials" is no gloss of "ESF"."""
    letters = "".join(c for c in acronym.casefold() if c.isalpha())
    words = [w for w in re.split(r"[\W\d_]+", expansion.casefold()) if w]

    def rest(i: int, k: int) -> bool:  # letters[i:] spelled by words[k:]
        if k == len(words):
            return i == len(letters)
        word = words[k]
        if len(word) <= FILLER and rest(i, k + 1):
            return True
        if i == len(letters) or word[0] != letters[i]:
            return False
        j, pos = i + 1, 1  # the word's initial is letters[i]; it may give the next ones too, in order
        while True:
            if rest(j, k + 1):
                return True
            if j == len(letters):
                return False
            pos = word.find(letters[j], pos) + 1
            if not pos:
                return False
            j += 1

    return bool(letters) and rest(0, 0)


def heading_aliases(text: str, lang: str | None = None, page: int = 1, segment_id: str = TITLE_SEGMENT,
                    order: int = -1) -> list[Alias]:
    """Terms a title or heading defines for a definable label ("European Higher Education
    Microcredential (EUHEMC) - business description"): they hold from segment ``order + 1`` on."""
    from mctext.classify.rules import every_lexicon_hits
    from mctext.codebook import definable_labels

    seen: dict[str, Alias] = {}
    hits = every_lexicon_hits(text, lang) if text else {}  # one scan for all labels, not one per label
    for label in definable_labels() if text else ():
        for cue in hits[label]:
            term = defined_term(text, cue)
            if len(term) >= 2 and term.casefold() not in seen:
                seen[term.casefold()] = Alias(term, label, page, segment_id, order)
    return list(seen.values())


def find_aliases(segments: list[Segment], predictions: list[Prediction], doc_title: str = "") -> list[Alias]:
    """Terms the document defines at a cue of a definable label: in its title (from the first
    segment on), a section heading (from the heading's first segment on) or a segment (after it);
    the first definition wins."""
    from mctext.codebook import definable_labels

    labels = definable_labels()
    seen = {a.term.casefold(): a for a in heading_aliases(doc_title, next((s.lang for s in segments if s.lang), None))}
    headings: set[str] = set()
    for order, (seg, pred) in enumerate(zip(segments, predictions, strict=True)):
        for heading in (h.strip() for h in seg.section.split(" > ")) if seg.section else ():
            if heading and heading not in headings:
                headings.add(heading)
                for alias in heading_aliases(heading, seg.lang or None, seg.page, HEADING_SEGMENT, order - 1):
                    seen.setdefault(alias.term.casefold(), alias)
        for cue in pred.cues:
            if cue.label not in labels or cue.cue.startswith("alias:"):
                continue
            term = defined_term(seg.text, cue)
            if len(term) < 2 or term.casefold() in seen:
                continue
            seen[term.casefold()] = Alias(term, cue.label, seg.page, seg.id, order)
    return list(seen.values())


def apply_aliases(
    segments: list[Segment], predictions: list[Prediction], aliases: list[Alias], *, reading_order: bool = True
) -> int:
    """Label later uses of each alias (in place); returns how many labels were added.
    ``reading_order=False``: the segments are a sample of the document, every use but the
    definition itself counts."""
    added = 0
    for alias in aliases:
        pattern = alias.pattern()
        for order, (seg, pred) in enumerate(zip(segments, predictions, strict=True)):
            if (order <= alias.order if reading_order else seg.id == alias.segment_id) or alias.label in pred.labels:
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

