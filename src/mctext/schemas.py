"""Output table schemas: the one place that names, types and explains the columns.

Each table is a pandas DataFrame with exactly these columns, in this order, written to
Parquet and to DuckDB under the table name with the Arrow types given here (lists and
structs are real list/struct columns, not JSON text). ``LABELS`` comes from the codebook,
so adding a label adds its columns everywhere. The README's schema table is generated
from ``TABLES`` (``python -m mctext.schemas --write README.md``; a test compares them).

Names: one key ``segment_id`` in every table; no SQL reserved words (``char_start`` and
``char_end`` are offsets into the page's clean text).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from mctext.codebook import LABELS
from mctext.records import QUOTABLE_KINDS, SEGMENT_KINDS

# Which of the codebook labels a fact sheet line is about, besides "microcredential".
FACT_SHEET_LINKS = ("nqf", "validation", "stackability", "quality_trust")

# Column types, spelled as DuckDB shows them; ``arrow_type`` builds each one.
STR, INT, FLOAT, BOOL = "VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN"
INT32 = "INTEGER"
STRS = "VARCHAR[]"
LEVELS = "STRUCT(framework VARCHAR, level BIGINT)[]"
CUES = "STRUCT(label VARCHAR, cue VARCHAR, text VARCHAR, char_start BIGINT, char_end BIGINT)[]"
WORKLOADS = "STRUCT(value DOUBLE, unit VARCHAR, text VARCHAR, char_start INTEGER, char_end INTEGER)[]"
ACTOR_ROLES = "STRUCT(actor VARCHAR, role VARCHAR)[]"
DRIVER_COUNTS = "STRUCT(type VARCHAR, segments BIGINT)[]"
QUOTES = ("STRUCT(quote VARCHAR, doc_title VARCHAR, file VARCHAR, page BIGINT, score DOUBLE, "
          "lang VARCHAR, source VARCHAR, segment_id VARCHAR)[]")
# Facet tables (codebook v1.2 "Facets"): a value with its own documents' segments behind it.
FACET_QUOTES = ("STRUCT(quote VARCHAR, doc_title VARCHAR, file VARCHAR, page BIGINT, lang VARCHAR, "
                "segment_id VARCHAR)[]")
VALUE_COUNTS = "STRUCT(value VARCHAR, segments BIGINT, documents BIGINT, segment_ids VARCHAR[])[]"
WORKLOAD_COUNTS = ("STRUCT(value DOUBLE, unit VARCHAR, segments BIGINT, documents BIGINT, "
             "segment_ids VARCHAR[])[]")
LEVEL_COUNTS = ("STRUCT(framework VARCHAR, level BIGINT, segments BIGINT, documents BIGINT, "
                "segment_ids VARCHAR[])[]")
ROLE_COUNTS = "STRUCT(role VARCHAR, segments BIGINT)[]"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str


def _c(name: str, type_: str, meaning: str) -> Column:
    return Column(name, type_, meaning)


_SEGMENT_ID = _c("segment_id", STR, "the segment's id (hash of document, page, offset and text; "
                                    "stable across reruns)")
_PAGE_END = _c("page_end", INT, "the page where it ends: page, or the next one for a sentence "
                               "cut by a page break")
_DOC_ID = _c("doc_id", STR, "the document's id (first 16 hex digits of its SHA-256)")

DOCUMENTS_TABLE = [
    _DOC_ID,
    _c("file", STR, "path relative to the corpus folder"),
    _c("sha256", STR, "SHA-256 of the file's bytes"),
    _c("title", STR, "from MANIFEST.csv, else the file's metadata or first heading"),
    _c("country", STR, "whose document it is: MANIFEST.csv first, else inferred; EU for "
                       "EU-level documents, XX for unknown or global scope"),
    _c("language", STR, "ISO 639-1, from MANIFEST.csv or detected"),
    _c("year", INT, "publication year, when known"),
    _c("doc_type", STR, "from MANIFEST.csv (law, strategy, study, ...)"),
    _c("format", STR, "pdf, html, docx, txt or md (sniffed from the content)"),
    _c("pages", INT, "pages read (1 for formats without pages)"),
    _c("status", STR, "ok, ocr, no_text_layer or failed"),
    _c("error", STR, "why it failed; for a document that was read, a note such as a damaged "
                     "page or \"duplicate of ...\""),
]

SEGMENTS_TABLE = [
    _SEGMENT_ID, _DOC_ID,
    _c("page", INT, "1-based page number where the segment starts"),
    _PAGE_END,
    _c("char_start", INT, "offset of the segment in the clean text of page"),
    _c("char_end", INT, "end offset, in the clean text of page_end: on one page, text == page "
                        "text[char_start:char_end]"),
    _c("section", STR, "heading path, \" > \"-joined"),
    _c("kind", STR, f"what the segment is: {', '.join(SEGMENT_KINDS)}; only "
                    f"{' and '.join(QUOTABLE_KINDS)} can be fact-sheet quotes"),
    _c("context", STR, "a list item's lead-in (shown beside the quote, not part of text)"),
    _c("text", STR, "the segment's text"),
    _c("lang", STR, "the segment's language"),
    _c("doc_country", STR, "the document's country: whose evidence the segment is (XX: none)"),
    _c("countries_named", STRS, "the countries the segment's own text names"),
    _c("countries", STRS, "the codebook's attribution: countries_named, else the section "
                          "heading's, else doc_country"),
    _c("labels", STRS, "codebook labels (human labels when the annotation store has them)"),
    _c("driver_types", STRS, "driver types, for driver segments"),
    _c("nqf_levels", LEVELS, "qualification levels with their framework (EQF, DQR, NFQ, ...)"),
    _c("mc_elements", STRS, "facet: the elements of the EU standard the segment states for a "
                            "micro-credential (learning_outcomes, workload, level, ...)"),
    _c("workload", WORKLOADS, "facet: the notional workloads stated (unit ECTS, ECVET, credits, hours "
                              "or weeks), with the text and its offsets in text; a range gives two"),
    _c("participation_form", STRS, "facet: online, onsite, blended, work_based"),
    _c("actors", STRS, "facet: who provides, uses, funds, recognises or trusts them (learners, "
                       "employers, providers, ...)"),
    _c("sectors", STRS, "facet: economic sectors named for the learning (retail_trade, ...)"),
    _c("international", STRS, "facet: international references (eqf, europass_edc, oecd, ...) and "
                              "country:XX for another country the segment names"),
    _c("actor_roles", ACTOR_ROLES, "facet: actors with the role the segment's words state (provides, "
                                   "uses, funds, recognises, values_trusts)"),
    _c("cues", CUES, "why a rule fired: the cue and the text it matched (offsets in text); "
                     "label facet:<facet>:<value> for a facet"),
    _c("model_version", STR, "the classifier that labelled the segment"),
    *[_c(f"score_{label}", FLOAT, f"probability of {label}") for label in LABELS],
    _c("label_source", STR, "model, or human when the annotation store has labels for it"),
]

EVIDENCE_TABLE = [
    _SEGMENT_ID, _DOC_ID,
    _c("label", STR, "the codebook label this row is evidence for (one row per segment and label)"),
    _c("kind", STR, f"the segment's kind; only {' and '.join(QUOTABLE_KINDS)} are quoted in "
                    "fact sheets (the others keep their labels)"),
    _c("quote", STR, "the segment's text, verbatim from the page"),
    _c("context", STR, "a list item's lead-in"),
    _c("prefix", STR, "up to 32 characters of page text before the quote (to re-anchor it)"),
    _c("suffix", STR, "up to 32 characters of page_end's text after the quote"),
    _c("doc_title", STR, "the document's title"),
    _c("file", STR, "the document's file"),
    _c("page", INT, "1-based page number where the quote starts"),
    _PAGE_END,
    _c("char_start", INT, "offset of the quote in the clean text of page"),
    _c("char_end", INT, "end offset of the quote, in the clean text of page_end"),
    _c("section", STR, "heading path"),
    _c("lang", STR, "the segment's language"),
    _c("country", STR, "the document's country: the country_summary row this evidence counts "
                       "for (attribution 'document' in segment_countries; XX: none)"),
    _c("mentioned_countries", STRS, "other countries the segment is attributed to (named or by "
                                    "section heading): its rows in country_mentions"),
    _c("score", FLOAT, "the label's probability (1.0 for a human label)"),
    _c("source", STR, "rule (a codebook cue fired), model (the classifier alone) or human"),
    _c("model_version", STR, "the classifier that labelled the segment"),
]

COUNTRY_MENTIONS_TABLE = [
    _c("country", STR, "the country mentioned"),
    _c("doc_country", STR, "the mentioning document's country (never the same country)"),
    _DOC_ID,
    _c("doc_title", STR, "the mentioning document's title"),
    _c("file", STR, "the mentioning document's file"),
    _c("label", STR, "the codebook label of the mentioning segments"),
    _c("segments", INT, "segments of that document with that label attributed to the country"),
    _c("named_segments", INT, "how many of them name the country in their own text (the others "
                              "sit under a heading that names it)"),
    _c("quote", STR, "the strongest of them (one that names the country first, then by score)"),
    _c("segment_id", STR, "the quoted segment's id"),
    _c("page", INT, "the quoted segment's page"),
    _c("score", FLOAT, "the quoted segment's score for the label"),
]

FAILURES_TABLE = [
    _c("file", STR, "path relative to the corpus folder"),
    _c("sha256", STR, "SHA-256 of the file's bytes"),
    _c("stage", STR, "where it failed: extract, segment, classify, timeout, memory, crash"),
    _c("reason", STR, "why, in one line"),
]

_FS = "fact sheet (own documents, quotable segments): "


def _label_columns(label: str) -> list[Column]:
    return [
        _c(f"{label}_segments", INT, f"segments of own documents labelled {label}"),
        _c(f"{label}_documents", INT, f"own documents with a segment labelled {label}"),
        _c(f"{label}_share", FLOAT, f"{label}_segments / segments"),
        _c(f"{label}_quotes", QUOTES, f"the three strongest quotable {label} segments"),
    ]


def _link_columns(link: str) -> list[Column]:
    return [
        _c(f"fs_{link}_link", STR, _FS + f"none, mentioned ({link} without micro-credentials) or "
                                   f"linked ({link} and micro-credentials in one segment)"),
        _c(f"fs_{link}_basis", STR, f"why fs_{link}_link says what it says: counts and rule"),
        _c(f"fs_{link}_quote", STR, f"the best quote behind fs_{link}_link"),
    ]


COUNTRY_SUMMARY_TABLE = [
    _c("country", STR, "a country with documents of its own (ISO 3166-1 alpha-2, or EU)"),
    _c("country_name", STR, "the country's English name"),
    _c("documents", INT, "its own documents that were read"),
    _c("segments", INT, "segments of its own documents"),
    *[col for label in LABELS for col in _label_columns(label)],
    _c("top_driver_types", DRIVER_COUNTS, "the three most frequent driver types (segments)"),
    _c("nqf_levels", LEVELS, "the levels its own documents give, by framework"),
    _c("mentioned_in_documents", INT, "other countries' documents with evidence attributed to "
                                      "it (see country_mentions)"),
    _c("fs_microcredentials", BOOL, _FS + "micro-credentials discussed"),
    _c("fs_microcredentials_strength", STR, _FS + "none, weak, moderate or strong"),
    _c("fs_microcredentials_basis", STR, "why the strength is what it is: counts and rule"),
    _c("fs_microcredentials_quote", STR, "the best micro-credential quote"),
    *[col for link in FACT_SHEET_LINKS for col in _link_columns(link)],
    _c("fs_main_drivers", STR, _FS + "the most frequent driver types"),
    _c("fs_drivers_basis", STR, "why fs_main_drivers says what it says: counts per type"),
    _c("fs_drivers_quote", STR, "the best driver quote"),
]

# The facet tables: counted from a country's own documents (body text, list items, table rows and
# footnotes: facet_tables.FACET_KINDS), each row tied to the segments behind it (segment_ids) with
# a few of them quoted (one per document first).
_FACET_SEGS = _c("segments", INT, "segments of its own documents stating it (body text, list "
                                  "items, table rows, footnotes)")
_FACET_DOCS = _c("documents", INT, "own documents with such a segment")
_FACET_IDS = _c("segment_ids", STRS, "every segment behind the row (segments.segment_id)")
_FACET_QUOTE_COL = _c("quotes", FACET_QUOTES, "up to three of them, from different documents "
                                              "first, in reading order")
_OWN_COUNTRY = _c("country", STR, "the documents' own country (ISO 3166-1 alpha-2, or EU): "
                                  "whose evidence it is, never a country a segment names")

MC_PROFILES_TABLE = [
    _c("country", STR, "a country with documents of its own (ISO 3166-1 alpha-2, or EU)"),
    _c("country_name", STR, "the country's English name"),
    _c("documents", INT, "its own documents that were read"),
    _c("segments", INT, "segments of its own documents (body text, list items, table rows, "
                        "footnotes) that state an element of the EU standard (mc_elements, "
                        "workload or participation_form)"),
    _c("elements_stated", STRS, "the standard's elements (codebook mc_elements) its documents "
                                "state, in codebook order"),
    _c("elements", VALUE_COUNTS, "per element stated: segments, documents and the segment ids"),
    _c("workloads", WORKLOAD_COUNTS, "notional workloads stated (value and unit: ECTS, ECVET, "
                                     "credits, hours, weeks), each with its segments"),
    _c("levels", LEVEL_COUNTS, "NQF/EQF levels (segments.nqf_levels) of segments that state an "
                               "element or are labelled microcredential"),
    _c("participation_forms", VALUE_COUNTS, "forms of participation stated (online, onsite, blended, "
                                       "work_based)"),
    _c("quality_assurance_quotes", FACET_QUOTES, "segments stating the type of quality "
                                                 "assurance (element quality_assurance)"),
    _c("awarding_body_quotes", FACET_QUOTES, "segments stating who awards them (element "
                                             "awarding_body)"),
    _FACET_IDS, _FACET_QUOTE_COL,
]

ACTORS_BY_COUNTRY_TABLE = [
    _OWN_COUNTRY,
    _c("actor", STR, "codebook actor (learners, employers, providers, public_authorities, "
                     "social_partners, employment_services, awarding_qa_bodies)"),
    _FACET_SEGS, _FACET_DOCS,
    _c("roles", ROLE_COUNTS, "the roles stated for the actor (provides, uses, funds, recognises, "
                             "values_trusts) with their segments; empty when none is stated"),
    _FACET_IDS, _FACET_QUOTE_COL,
]

SECTORS_BY_COUNTRY_TABLE = [
    _OWN_COUNTRY,
    _c("sector", STR, "codebook sector (NACE-aligned: retail_trade, manufacturing, ict, ...)"),
    _FACET_SEGS, _FACET_DOCS, _FACET_IDS, _FACET_QUOTE_COL,
]

INTERNATIONAL_LINKS_TABLE = [
    _c("country", STR, "the citing documents' own country (ISO 3166-1 alpha-2, or EU)"),
    _c("reference", STR, "codebook international value (eqf, ects_ecvet, oecd, open_badges, "
                         "...) or country:XX for another country cited as an example or model"),
    _c("kind", STR, "eu_instrument, organisation, standard or country"),
    _c("cited_country", STR, "for a country:XX reference, XX (the cross-country graph's edge "
                             "country -> cited_country); else NULL"),
    _FACET_SEGS, _FACET_DOCS, _FACET_IDS, _FACET_QUOTE_COL,
]

TABLES: dict[str, list[Column]] = {
    "documents": DOCUMENTS_TABLE,
    "segments": SEGMENTS_TABLE,
    "evidence": EVIDENCE_TABLE,
    "country_mentions": COUNTRY_MENTIONS_TABLE,
    "failures": FAILURES_TABLE,
    "country_summary": COUNTRY_SUMMARY_TABLE,
    "mc_profiles": MC_PROFILES_TABLE,
    "actors_by_country": ACTORS_BY_COUNTRY_TABLE,
    "sectors_by_country": SECTORS_BY_COUNTRY_TABLE,
    "international_links": INTERNATIONAL_LINKS_TABLE,
}
FACET_TABLES = ("mc_profiles", "actors_by_country", "sectors_by_country", "international_links")

COLUMNS: dict[str, list[str]] = {name: [c.name for c in cols] for name, cols in TABLES.items()}
DOCUMENTS = COLUMNS["documents"]
SEGMENTS = COLUMNS["segments"]
EVIDENCE = COLUMNS["evidence"]
FAILURES = COLUMNS["failures"]
COUNTRY_SUMMARY = COLUMNS["country_summary"]


def arrow_type(spec: str):  # -> pyarrow.DataType (imported lazily: keeps `mctext --help` fast)
    """The Arrow type of a DuckDB-style type string (the few this module uses)."""
    import pyarrow as pa

    scalars = {STR: pa.string(), INT: pa.int64(), INT32: pa.int32(), FLOAT: pa.float64(), BOOL: pa.bool_()}
    if spec in scalars:
        return scalars[spec]
    if spec.endswith("[]"):
        return pa.list_(arrow_type(spec[:-2]))
    match = re.fullmatch(r"STRUCT\((.*)\)", spec)
    if not match:
        raise ValueError(f"unknown column type {spec!r}")
    fields = [f.strip().split(" ", 1) for f in match.group(1).split(",")]
    return pa.struct([(name, arrow_type(type_)) for name, type_ in fields])


def arrow_schema(table: str):  # -> pyarrow.Schema
    """Typed columns, so an empty table still has the right types in Parquet and DuckDB."""
    import pyarrow as pa

    return pa.schema([(c.name, arrow_type(c.type)) for c in TABLES[table]])


# --- views for analysts -------------------------------------------------------------------

# Which countries each segment counts for, and why: 'document' (its document's own country:
# what country_summary and every *_by_country view count), 'named' (its text names the
# country) or 'section' (its section heading does); 'named' and 'section' rows are
# country_mentions. One row per (segment, country).
SEGMENT_COUNTRIES_SQL = """
    SELECT s.segment_id, s.doc_id, s.doc_country AS country, 'document' AS attribution
    FROM segments AS s WHERE s.doc_country <> 'XX'
    UNION ALL
    SELECT s.segment_id, s.doc_id, c.country,
           CASE WHEN list_contains(s.countries_named, c.country) THEN 'named' ELSE 'section' END
    FROM segments AS s,
         unnest(list_distinct(list_concat(s.countries_named, s.countries))) AS c(country)
    WHERE c.country <> s.doc_country"""

_OWN = "JOIN segment_countries AS sc USING (segment_id) WHERE sc.attribution = 'document'"

VIEWS = {
    "segment_countries": SEGMENT_COUNTRIES_SQL,
    "evidence_by_country_label": f"""
        SELECT sc.country, e.label,
               count(DISTINCT e.segment_id) AS segments,
               count(DISTINCT e.doc_id) AS documents,
               count(*) FILTER (WHERE e.source = 'rule') AS rule_rows,
               count(*) FILTER (WHERE e.source = 'model') AS model_rows,
               count(*) FILTER (WHERE e.source = 'human') AS human_rows,
               round(max(e.score), 4) AS max_score
        FROM evidence AS e {_OWN}
        GROUP BY ALL ORDER BY sc.country, e.label""",
    "drivers_by_country": f"""
        SELECT sc.country, d.driver_type,
               count(DISTINCT s.segment_id) AS segments, count(DISTINCT s.doc_id) AS documents
        FROM segments AS s CROSS JOIN unnest(s.driver_types) AS d(driver_type) {_OWN}
          AND list_contains(s.labels, 'driver')
        GROUP BY ALL ORDER BY sc.country, segments DESC, d.driver_type""",
    "nqf_levels_by_country": f"""
        SELECT sc.country, l.lv.framework AS framework, l.lv.level AS level,
               count(DISTINCT s.segment_id) AS segments, count(DISTINCT s.doc_id) AS documents
        FROM segments AS s CROSS JOIN unnest(s.nqf_levels) AS l(lv) {_OWN}
        GROUP BY ALL ORDER BY sc.country, framework, level""",
    # documents lists a copy of the same bytes twice (same doc_id): join its first file only.
    "evidence_with_documents": """
        SELECT e.*, d.language AS doc_language, d.year, d.doc_type
        FROM evidence AS e
        JOIN (SELECT * FROM documents QUALIFY row_number() OVER (PARTITION BY doc_id
              ORDER BY file) = 1) AS d USING (doc_id)""",
}


_COUNTRY = _c("country", STR, "a country, counted from its own documents")
_SEGS = _c("segments", INT, "distinct segments")
_DOCS = _c("documents", INT, "distinct documents")

VIEW_COLUMNS: dict[str, list[Column]] = {
    "segment_countries": [
        _SEGMENT_ID, _DOC_ID,
        _c("country", STR, "a country the segment counts for"),
        _c("attribution", STR, "document (its document's own country: what every aggregate "
                               "counts), named (its text names the country) or section (its "
                               "heading does); named and section rows are country_mentions"),
    ],
    "evidence_by_country_label": [
        _COUNTRY, _c("label", STR, "codebook label"), _SEGS, _DOCS,
        _c("rule_rows", INT, "evidence rows whose source is rule"),
        _c("model_rows", INT, "evidence rows whose source is model"),
        _c("human_rows", INT, "evidence rows whose source is human"),
        _c("max_score", FLOAT, "the highest score"),
    ],
    "drivers_by_country": [_COUNTRY, _c("driver_type", STR, "a driver type"), _SEGS, _DOCS],
    "nqf_levels_by_country": [_COUNTRY, _c("framework", STR, "qualifications framework"),
                              _c("level", INT, "level"), _SEGS, _DOCS],
    "evidence_with_documents": [
        _c("...", "", "every evidence column, then:"),
        _c("doc_language", STR, "the document's language"),
        _c("year", INT, "the document's year"), _c("doc_type", STR, "the document's type"),
    ],
}


# --- the README's schema table -----------------------------------------------------------

README_START = "<!-- schema table: generated by `python -m mctext.schemas --write README.md` -->"
README_END = "<!-- end of schema table -->"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _generic(col: Column) -> tuple[str, str]:
    """A per-label (or per-link) column as its pattern: ``<label>_segments``, ``score_<label>``."""
    for label in LABELS:
        if col.name in (f"score_{label}", *(f"{label}_{w}" for w in ("segments", "documents",
                                                                      "share", "quotes"))):
            return col.name.replace(label, "<label>", 1), col.meaning.replace(label, "<label>")
    for link in FACT_SHEET_LINKS:
        if col.name.startswith(f"fs_{link}_"):
            return col.name.replace(link, "<link>", 1), col.meaning.replace(link, "<link>")
    return col.name, col.meaning


def markdown_table() -> str:
    """The schema as one Markdown table (table, column, type, meaning); per-label columns
    are shown once with ``<label>`` standing for each codebook label."""
    lines = ["| table | column | type | meaning |", "|---|---|---|---|"]
    views = {f"{name} (view)": cols for name, cols in VIEW_COLUMNS.items()}
    for table, cols in {**TABLES, **views}.items():
        shown: set[str] = set()
        for col in cols:
            name, meaning = _generic(col)
            if name not in shown:
                shown.add(name)
                lines.append(f"| `{table}` | `{_md(name)}` | {_md(col.type)} | {_md(meaning)} |")
    return "\n".join(lines)


def readme_section() -> str:
    links = ", ".join(FACT_SHEET_LINKS)
    return (f"{README_START}\n\n`<label>`: each codebook label ({', '.join(LABELS)}); "
            f"`<link>`: {links}.\n\n{markdown_table()}\n\n{README_END}")


def update_readme(path: Path) -> bool:
    """Replace the schema section between the markers; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{path}: no schema markers ({README_START!r} ... {README_END!r})")
    new = pattern.sub(lambda _: readme_section(), text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        print("updated" if update_readme(Path(sys.argv[2])) else "unchanged", sys.argv[2])
    else:
        print(readme_section())
