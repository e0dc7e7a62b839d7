"""Candidate cues from a run: what the documents call a concept that the cues do not know yet.

`mctext cues suggest RUN_DIR --label L` reads a run's segments and proposes, ranked, with
counts and example segments:

- ``cooccurring``: word n-grams (1-3 words) much more frequent in the label's confident
  positives than in the rest of the run, and not already inside a cue match of the label;
- ``defined``: terms the documents define themselves: an acronym in parentheses after a
  phrase ("European Higher Education Microcredential (EUHEMC)"), quoted terms
  («...», "...", „...") in positive segments, and terms the document says are the concept
  ("X is a micro-credential": a cue match of the label in the same segment);
- ``language_gap``: languages whose positives (by the model or a human) carry no cue hit
  of the label, with their most frequent terms: the equivalents the language's cues miss.

Nothing is added automatically: a researcher reads the examples and puts the accepted
cues into the language data files or a lexicon file (``--lexicon``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mctext.codebook import LABELS
from mctext.errors import MctextError

CONFIDENT = 0.8  # a model score at least this high counts as a confident positive
MIN_COUNT = 2  # a candidate must appear in at least this many positive segments
EXAMPLES = 3  # example segments kept per candidate
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?", re.UNICODE)
_ACRONYM_DEF = re.compile(
    r"(?P<phrase>(?:[^\W\d_][\w'’-]*\s+){1,7}?[^\W\d_][\w'’-]*)\s*\(\s*[\"'«“„]?(?P<acro>[A-Z][A-Za-z0-9.-]{1,14}"
    r"(?:\s\d(?:\.\d)?)?)[\"'»”“]?\s*\)"
)
_QUOTED = re.compile(r"[«“„\"]\s*(?P<term>[^«»“”„\"\n]{3,60}?)\s*[»”“\"]")


@dataclass
class Candidate:
    """One proposed cue, with the evidence a researcher needs to accept or reject it."""

    kind: str  # cooccurring | defined | language_gap
    term: str
    lang: str
    positives: int  # positive segments that contain the term
    others: int  # other segments of the run that contain it
    documents: int
    score: float  # the ranking key (higher first)
    examples: list[dict[str, Any]] = field(default_factory=list)  # segment_id, doc_id, text

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "term": self.term, "lang": self.lang, "positives": self.positives,
                "others": self.others, "documents": self.documents, "score": round(self.score, 3),
                "examples": self.examples}


def _cue_list(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, str):
        return json.loads(value) if value.strip() else []
    return [dict(c) for c in value]


def load_segments(run_dir: Path) -> pd.DataFrame:
    path = Path(run_dir) / "segments.parquet"
    if not path.is_file():
        raise MctextError(f"{run_dir}: no segments.parquet (give the output folder of `mctext run`)")
    seg = pd.read_parquet(path)
    if "segment_id" not in seg.columns:
        seg = seg.rename(columns={"id": "segment_id"})
    return seg


def positives(seg: pd.DataFrame, label: str) -> pd.Series:
    """Confident positives: human labels, rule hits, or a model score of at least CONFIDENT."""
    has = seg["labels"].map(lambda v: label in list(v))
    score = seg.get(f"score_{label}", pd.Series(0.0, index=seg.index)).fillna(0.0)
    source = seg.get("label_source", pd.Series("", index=seg.index)).astype(str)
    cue_hit = seg["cues"].map(lambda v: any(c.get("label") == label for c in _cue_list(v)))
    return has & ((source == "human") | cue_hit | (score >= CONFIDENT))


def _ngrams(text: str, n_max: int = 3) -> set[str]:
    words = [w.casefold() for w in _WORD.findall(text)]
    return {" ".join(words[i:i + n]) for n in range(1, n_max + 1) for i in range(len(words) - n + 1)}


def _covered(seg: pd.DataFrame, label: str) -> set[str]:
    """Words already inside a cue match of the label somewhere in the run."""
    out: set[str] = set()
    for cues in seg["cues"]:
        for c in _cue_list(cues):
            if c.get("label") == label:
                out.update(w.casefold() for w in _WORD.findall(str(c.get("text", ""))))
    return out


def _example(row: Any) -> dict[str, Any]:
    text = str(row.text)
    return {"segment_id": str(row.segment_id), "doc_id": str(row.doc_id),
            "text": text if len(text) <= 240 else text[:237] + "..."}


def cooccurring(seg: pd.DataFrame, pos: pd.Series, label: str, top: int) -> list[Candidate]:
    """Terms over-represented in positives (smoothed log-odds), per language."""
    covered = _covered(seg, label)
    out: list[Candidate] = []
    for lang, group in seg.groupby(seg["lang"].fillna("").astype(str)):
        p_idx = group.index[pos.loc[group.index]]
        if len(p_idx) < MIN_COUNT:
            continue
        in_pos: Counter[str] = Counter()
        in_neg: Counter[str] = Counter()
        where: dict[str, list[int]] = defaultdict(list)
        for idx, text in zip(group.index, group["text"], strict=True):
            grams = _ngrams(str(text))
            if idx in p_idx:
                in_pos.update(grams)
                for g in grams:
                    where[g].append(idx)
            else:
                in_neg.update(grams)
        n_pos, n_neg = len(p_idx), max(len(group) - len(p_idx), 1)
        for term, k in in_pos.items():
            words = term.split()
            # a term with a cue word in it is already found; one that starts or ends with a short
            # (function) word is a fragment of a longer candidate
            if k < MIN_COUNT or any(w in covered for w in words) or len(words[0]) < 4 or len(words[-1]) < 4:
                continue
            odds = math.log(((k + 0.5) / n_pos) / ((in_neg[term] + 0.5) / n_neg))
            if odds < 1.0:
                continue
            rows = seg.loc[where[term]]
            out.append(Candidate("cooccurring", term, str(lang), k, in_neg[term], rows["doc_id"].nunique(),
                                 odds * math.log1p(k), [_example(r) for r in rows.head(EXAMPLES).itertuples()]))
    return sorted(out, key=lambda c: -c.score)[:top]


def defined_terms(seg: pd.DataFrame, pos: pd.Series, label: str, top: int) -> list[Candidate]:
    """Acronyms and quoted terms the documents define in the label's positive segments."""
    covered = _covered(seg, label)
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in seg[pos].itertuples():
        text = str(row.text)
        for m in _ACRONYM_DEF.finditer(text):
            phrase_words = {w.casefold() for w in _WORD.findall(m.group("phrase"))}
            if phrase_words & covered:  # the phrase names the concept: its acronym is an alias
                found[(m.group("acro"), str(row.lang))].append(row.Index)
        for m in _QUOTED.finditer(text):
            term = m.group("term").strip()
            if 1 <= len(term.split()) <= 5:
                found[(term, str(row.lang))].append(row.Index)
    out = []
    texts = seg["text"].astype(str)
    for (term, lang), idx in found.items():
        if term.casefold() in covered:
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)")
        uses = texts[texts.map(lambda t, p=pattern: bool(p.search(t)))]
        in_pos = int(pos.loc[uses.index].sum())
        rows = seg.loc[sorted(set(idx))]
        out.append(Candidate("defined", term, lang, in_pos, len(uses) - in_pos, rows["doc_id"].nunique(),
                             math.log1p(len(uses)) + len(set(idx)), [_example(r) for r in rows.head(EXAMPLES).itertuples()]))
    return sorted(out, key=lambda c: -c.score)[:top]


def language_gaps(seg: pd.DataFrame, label: str, top: int) -> list[Candidate]:
    """Per language: labelled segments that no cue of the label explains, and their top terms."""
    has = seg["labels"].map(lambda v: label in list(v))
    no_cue = ~seg["cues"].map(lambda v: any(c.get("label") == label for c in _cue_list(v)))
    gaps = seg[has & no_cue]
    out = []
    for lang, group in gaps.groupby(gaps["lang"].fillna("").astype(str)):
        counts: Counter[str] = Counter()
        for text in group["text"]:
            counts.update(g for g in _ngrams(str(text), 2) if all(len(w) >= 4 for w in g.split()))
        for term, k in counts.most_common(5):
            if k < MIN_COUNT:
                break
            rows = group[group["text"].str.casefold().str.contains(re.escape(term), regex=True)]
            out.append(Candidate("language_gap", term, str(lang), k, 0, rows["doc_id"].nunique(), float(k),
                                 [_example(r) for r in rows.head(EXAMPLES).itertuples()]))
    return sorted(out, key=lambda c: -c.score)[:top]


def suggest_cues(run_dir: Path, label: str, top: int = 20) -> list[Candidate]:
    """All three kinds of candidate for ``label``, each kind ranked, best first."""
    if label not in LABELS:
        raise MctextError(f"--label {label!r}: not a codebook label ({', '.join(LABELS)})")
    seg = load_segments(run_dir)
    if "kind" in seg.columns:  # headings, code blocks, tables of contents propose nothing
        from mctext.records import QUOTABLE_KINDS

        seg = seg[seg["kind"].isin(QUOTABLE_KINDS)]
    pos = positives(seg, label)
    return [*defined_terms(seg, pos, label, top), *cooccurring(seg, pos, label, top), *language_gaps(seg, label, top)]
