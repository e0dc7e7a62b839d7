"""The records that flow between pipeline stages.

Every stage is a plain function from one kind of record to the next, so that a
stage can be run, tested and replaced alone:

    file -> Document + [Page] -> [Segment] -> [Prediction] -> evidence rows -> tables

These dataclasses are the contract between stages and the schema of the output
tables (``segments.parquet`` is ``Segment`` + ``Prediction`` flattened). Change a
field here and you change the output schema: update ``schemas.py`` and the README.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

# Page status values (also the values of documents.status, plus "failed").
PAGE_OK = "ok"
PAGE_NO_TEXT_LAYER = "no_text_layer"  # image-only page, no OCR available
PAGE_OCR = "ocr"  # image-only page, text recovered by tesseract
PAGE_EMPTY = "empty"  # a page with neither text nor images (blank page)
PAGE_FAILED = "failed"  # a damaged page no engine could read (the document's other pages are kept)
DOC_FAILED = "failed"
DOC_INCOMPLETE = "incomplete"  # read, but some pages were left unread (image-only without OCR, damaged)

# What a segment is (Segment.kind). Only quotable kinds can be fact-sheet quotes; the
# others keep their labels and are marked as such in evidence.
KIND_BODY = "body"
KIND_HEADING = "heading"
KIND_LIST_ITEM = "list_item"
KIND_TABLE_ROW = "table_row"
KIND_TOC = "toc"
KIND_CODE = "code"
KIND_FORM_FIELD = "form_field"
KIND_FOOTNOTE = "footnote"
SEGMENT_KINDS = (KIND_BODY, KIND_HEADING, KIND_LIST_ITEM, KIND_TABLE_ROW, KIND_TOC, KIND_CODE,
                 KIND_FORM_FIELD, KIND_FOOTNOTE)
QUOTABLE_KINDS = (KIND_BODY, KIND_LIST_ITEM)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_id_from_sha256(sha256: str) -> str:
    """A document is identified by its content, so renaming a file keeps its id."""
    return sha256[:16]


def segment_id(doc_id: str, page: int, start: int, text: str) -> str:
    """Stable across reruns: depends only on the document's bytes and the extraction result."""
    key = f"{doc_id}\x1f{page}\x1f{start}\x1f{text}".encode()
    return hashlib.sha1(key).hexdigest()[:16]


@dataclass
class Document:
    """One input file and what we know about it (documents.parquet row)."""

    doc_id: str  # first 16 hex chars of sha256 of the file bytes
    file: str  # path relative to the corpus root (or as given for a single file)
    sha256: str
    title: str = ""
    country: str = ""  # ISO 3166-1 alpha-2, "EU" for EU-level, "" when unknown
    language: str = ""  # ISO 639-1
    year: int | None = None
    doc_type: str = ""
    format: str = ""  # pdf | html | docx | txt | md (sniffed from content, not the extension)
    pages: int = 0
    status: str = PAGE_OK  # ok | ocr | no_text_layer | failed
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Heading:
    """A heading found on a page; offsets index the page's clean text."""

    start: int
    end: int
    level: int  # 1 = top level
    text: str


@dataclass
class Region:
    """A span of a page's clean text that is not running prose, found by the extractor.

    ``kind`` is a segment kind: ``table_row`` (a table, one row per line, cells joined
    with " | "), ``footnote``, ``code``, ``toc``, ``form_field``. Segmentation gives the
    segments inside the span that kind.
    """

    start: int
    end: int
    kind: str


@dataclass
class Page:
    """One page of clean text. Non-paginated formats (HTML, DOCX, TXT) have one page.

    ``text`` is the clean text that segment offsets index into. ``raw_text`` keeps
    what the engine gave before cleaning, so cleaning is reversible and auditable.
    ``hyphen_joins`` lists the clean-text offsets where a line-end hyphen was removed
    to rejoin a word (the raw form is ``word[:i] + "-\\n" + word[i:]``).
    """

    number: int  # 1-based
    text: str
    status: str = PAGE_OK
    raw_text: str = ""
    furniture: list[str] = field(default_factory=list)  # running headers/footers removed
    headings: list[Heading] = field(default_factory=list)
    hyphen_joins: list[int] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)  # tables, footnotes, code blocks

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ExtractedDocument:
    """What an extractor returns: clean pages plus the format-level metadata it saw."""

    pages: list[Page]
    format: str
    title: str = ""  # from PDF metadata, <title>, DOCX core properties, first heading
    warnings: list[str] = field(default_factory=list)  # "page 3: no text layer" etc.


@dataclass
class Segment:
    """A sentence or short passage with exact provenance (segments.parquet, left half)."""

    id: str
    doc_id: str
    page: int  # the page where the segment starts
    page_end: int  # the page where it ends: == page, or the next page for a sentence cut by a page break
    start: int  # offset into Page.text of ``page``
    end: int  # offset into Page.text of ``page_end``
    text: str  # == page.text[start:end] on one page; across a break see segment.segment_text
    lang: str
    section: str = ""  # heading path, " > "-joined, e.g. "2 Definitions > 2.1 Scope"
    kind: str = KIND_BODY  # one of SEGMENT_KINDS
    context: str = ""  # a list item's lead-in, shown beside the quote (not part of text)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class NqfLevel:
    framework: str  # EQF, NFQ, DQR, NLQF, RNCP, PRK, SOK, MECU, SeQF, ... or NQF
    level: int

    def to_dict(self) -> dict[str, Any]:
        return {"framework": self.framework, "level": self.level}


@dataclass
class Cue:
    """Why a label fired: the rule and the matched text (so a user can see why)."""

    label: str
    cue: str  # the lexicon entry or pattern name
    text: str  # the text it matched in the segment
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Workload:
    """A notional workload the segment states ("5 ECTS", "30 Stunden"); offsets into the segment text.

    A range ("1-3 ECTS") gives one Workload per number, both with the range's text and span.
    """

    value: float
    unit: str  # one of codebook.workload_units()
    text: str
    char_start: int
    char_end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ActorRole:
    """An actor (codebook facet ``actors``) and what the segment's words say it does with
    micro-credentials (codebook ``actor_roles``: provides, uses, funds, recognises, values_trusts)."""

    actor: str
    role: str

    def to_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "role": self.role}


@dataclass
class Prediction:
    """The classification of one segment (segments.parquet, right half)."""

    id: str
    labels: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # label -> probability
    driver_types: list[str] = field(default_factory=list)
    nqf_levels: list[NqfLevel] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    model_version: str = ""
    # The codes the segment's own text names (``countries`` adds the codebook's fallbacks);
    # None when the classifier did not say (the tables then look the names up).
    countries_named: list[str] | None = None
    # Facets (codebook v1.2, classify/facets.py): facet -> values for codebook.FACETS (international
    # includes "country:XX"); the workloads stated, with spans; actors with a stated role.
    facets: dict[str, list[str]] = field(default_factory=dict)
    workload: list[Workload] = field(default_factory=list)
    actor_roles: list[ActorRole] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "labels": list(self.labels),
            "scores": dict(self.scores),
            "driver_types": list(self.driver_types),
            "nqf_levels": [lv.to_dict() for lv in self.nqf_levels],
            "countries": list(self.countries),
            "cues": [c.to_dict() for c in self.cues],
            "model_version": self.model_version,
            **self.facet_columns(),
        }

    def facet_columns(self) -> dict[str, Any]:
        """The facets as output columns: mc_elements, workload, participation_form, actors, sectors,
        international, actor_roles (segments table and ``mctext classify`` lines alike)."""
        from mctext.codebook import FACETS

        out: dict[str, Any] = {}
        for facet in FACETS:
            out[facet] = list(self.facets.get(facet, []))
            if facet == "mc_elements":
                out["workload"] = [w.to_dict() for w in self.workload]
        out["actor_roles"] = [r.to_dict() for r in self.actor_roles]
        return out


@dataclass
class DocResult:
    """Everything the per-document job produces; the unit of caching and scheduling."""

    document: Document
    pages: list[Page] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    predictions: list[Prediction] = field(default_factory=list)
    failure_stage: str = ""  # "" when ok; else extract | segment | classify | timeout | memory
