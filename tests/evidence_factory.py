"""Build DocResults by hand for the evidence, store, query and report tests.

A document is given as page texts plus the sentences on them to classify; offsets are
found in the page text, so every segment satisfies ``page.text[start:end] == text``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from mctext.records import (
    Cue,
    DocResult,
    Document,
    NqfLevel,
    Page,
    Prediction,
    Segment,
    doc_id_from_sha256,
    segment_id,
    sha256_bytes,
)

MODEL = "test-model-1"


@dataclass
class S:
    """One segment to put on a page: its text and what classify said about it."""

    page: int
    text: str
    labels: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    drivers: list[str] = field(default_factory=list)
    levels: list[tuple[str, int]] = field(default_factory=list)
    rule: bool = True  # a cue fired for each label (else: the model alone)
    lang: str = "en"
    section: str = ""
    kind: str = "body"


def make_result(file: str, country: str, pages: list[str], segs: list[S], title: str = "",
                lang: str = "en") -> DocResult:
    sha = sha256_bytes(("\n".join(pages) + file).encode())
    doc_id = doc_id_from_sha256(sha)
    doc = Document(doc_id=doc_id, file=file, sha256=sha, title=title or file.rsplit(".", 1)[0],
                   country=country, language=lang, format="pdf", pages=len(pages))
    page_records = [Page(number=i + 1, text=text) for i, text in enumerate(pages)]
    segments, predictions = [], []
    for s in segs:
        start = pages[s.page - 1].index(s.text)
        sid = segment_id(doc_id, s.page, start, s.text)
        segments.append(Segment(id=sid, doc_id=doc_id, page=s.page, page_end=s.page, start=start,
                                end=start + len(s.text), text=s.text, lang=s.lang,
                                section=s.section, kind=s.kind))
        cues = [Cue(label=label, cue=label, text=s.text[:5], start=0, end=5)
                for label in s.labels] if s.rule else []
        scores = {label: (0.9 if label in s.labels else 0.1) for label in
                  ("microcredential", "driver", "nqf", "validation", "stackability",
                   "quality_trust")}
        predictions.append(Prediction(
            id=sid, labels=list(s.labels), scores=scores, driver_types=list(s.drivers),
            nqf_levels=[NqfLevel(fw, lv) for fw, lv in s.levels], countries=list(s.countries),
            cues=cues, model_version=MODEL))
    return DocResult(document=doc, pages=page_records, segments=segments,
                     predictions=predictions)


def failed_result(file: str, reason: str, stage: str = "extract") -> DocResult:
    sha = sha256_bytes(file.encode())
    doc = Document(doc_id=doc_id_from_sha256(sha), file=file, sha256=sha, status="failed",
                   error=reason)
    return DocResult(document=doc, failure_stage=stage)


XSS = "Badges <script>alert(1)</script> are micro-credentials & more."
# An EU document's sentence that names Spain and Germany: EU evidence, a mention of ES and DE.
MOBILITY = "A learner from Spain presents a micro-credential to a German employer, who trusts it."


def sample_results() -> list[DocResult]:
    """A small multi-country corpus: DE and FR documents, a comparative EU report whose
    sections are about NL and FI and that names ES and DE in one sentence, a global (XX)
    document, and one failure. The DE law has a heading with labels (not quotable)."""
    de = make_result(
        "DE_law.pdf", "DE",
        ["Qualität der Mikro-Credentials\n"
         "Das Gesetz regelt Mikro-Credentials. Sie sind dem DQR Niveau 5 zugeordnet.\n"
         "Ein Satz ohne Label.",
         "Wegen des Fachkräftemangels werden Mikro-Credentials gefördert. Module sind stapelbar."],
        [S(1, "Qualität der Mikro-Credentials", ["microcredential", "quality_trust"], ["DE"],
           lang="de", kind="heading"),
         S(1, "Das Gesetz regelt Mikro-Credentials.", ["microcredential"], ["DE"], lang="de"),
         S(1, "Sie sind dem DQR Niveau 5 zugeordnet.", ["nqf"], ["DE"], levels=[("DQR", 5)],
           lang="de"),
         S(1, "Ein Satz ohne Label.", [], ["DE"], lang="de"),
         S(2, "Wegen des Fachkräftemangels werden Mikro-Credentials gefördert.",
           ["microcredential", "driver"], ["DE"], drivers=["labour_market"], lang="de"),
         S(2, "Module sind stapelbar.", ["stackability"], ["DE"], rule=False, lang="de")],
        lang="de")
    fr = make_result(
        "FR_vae.md", "FR",
        ["La VAE permet de valider les acquis. Les blocs de compétences sont capitalisables "
         "au niveau 5 du RNCP."],
        [S(1, "La VAE permet de valider les acquis.", ["validation"], ["FR"], lang="fr"),
         S(1, "Les blocs de compétences sont capitalisables au niveau 5 du RNCP.",
           ["stackability", "nqf"], ["FR"], levels=[("RNCP", 5)], lang="fr")],
        lang="fr")
    comparative = make_result(
        "EU_comparative.pdf", "EU",
        ["Netherlands\nDutch universities pilot micro-credentials of 3 to 30 EC. "
         "A quality framework makes them trusted by employers.",
         "Finland\nFinnish micro-degrees are placed at EQF level 6. " + XSS,
         MOBILITY],
        [S(1, "Dutch universities pilot micro-credentials of 3 to 30 EC.",
           ["microcredential", "stackability"], ["NL"], section="Netherlands"),
         S(1, "A quality framework makes them trusted by employers.",
           ["microcredential", "quality_trust"], ["NL"], section="Netherlands"),
         S(2, "Finnish micro-degrees are placed at EQF level 6.", ["microcredential", "nqf"],
           ["FI"], levels=[("EQF", 6)], section="Finland"),
         S(2, XSS, ["microcredential", "validation"], ["FI"], section="Finland"),
         S(3, MOBILITY, ["microcredential", "quality_trust"], ["ES", "DE"])])
    global_doc = make_result(
        "XX_badges.md", "XX",
        ["Open Badges are verifiable credentials. They are portable."],
        [S(1, "Open Badges are verifiable credentials.", ["microcredential"], []),
         S(1, "They are portable.", [], [])])
    return [fr, comparative, failed_result("broken.pdf", "truncated PDF: no xref table"),
            global_doc, de]


def recount(segments: pd.DataFrame, documents: pd.DataFrame | None = None) -> dict[str, dict[str, int]]:
    """Counts straight from the segments table, the way an analyst would: a segment counts
    for its document's country (XX: none). ``documents`` (when given) counts the own
    documents that were read, including those without segments."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for seg in segments.itertuples(index=False):
        country = seg.doc_country
        if country == "XX":
            continue
        out[country]["segments"] += 1
        docs[country, "documents"].add(seg.doc_id)
        for label in seg.labels:
            out[country][f"{label}_segments"] += 1
            docs[country, f"{label}_documents"].add(seg.doc_id)
    if documents is not None:
        for doc in documents.itertuples(index=False):
            if doc.status != "failed" and doc.country != "XX":
                docs[doc.country, "documents"].add(doc.doc_id)
    for (country, key), ids in docs.items():
        out[country][key] = len(ids)
    return out
