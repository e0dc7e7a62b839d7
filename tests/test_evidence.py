"""DocResults -> tables: provenance of quotes, aggregates, attribution, determinism."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from evidence_factory import XSS, S, failed_result, make_result, recount, sample_results
from mctext.codebook import LABELS
from mctext.evidence import CONTEXT_CHARS, attributed_countries, build_tables, strength
from mctext.schemas import COLUMNS


@pytest.fixture
def tables():
    return build_tables(sample_results())


def test_columns_follow_the_schema(tables):
    for name, df in tables.as_dict().items():
        assert list(df.columns) == COLUMNS[name], name


def test_every_quote_is_the_page_text_at_its_offsets(tables):
    pages = {(r.document.doc_id, p.number): p.text for r in sample_results() for p in r.pages}
    assert len(tables.evidence) > 0
    for row in tables.evidence.itertuples(index=False):
        text = pages[row.doc_id, row.page]
        assert text[row.start:row.end] == row.quote
        assert text[max(0, row.start - CONTEXT_CHARS):row.start] == row.prefix
        assert text[row.end:row.end + CONTEXT_CHARS] == row.suffix
        assert len(row.prefix) <= CONTEXT_CHARS and len(row.suffix) <= CONTEXT_CHARS


def test_one_evidence_row_per_segment_and_label(tables):
    expected = {(s.id, label) for s in tables.segments.itertuples() for label in s.labels}
    got = list(zip(tables.evidence["segment_id"], tables.evidence["label"], strict=True))
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_aggregates_equal_counts_from_segments(tables):
    expected = recount(tables.segments)
    summary = tables.country_summary.set_index("country")
    assert set(expected) <= set(summary.index)
    for country, row in summary.iterrows():
        counts = expected.get(country, {})
        assert row["segments"] == counts.get("segments", 0)
        assert row["documents"] == counts.get("documents", 0)
        for label in LABELS:
            n = counts.get(f"{label}_segments", 0)
            assert row[f"{label}_segments"] == n, (country, label)
            assert row[f"{label}_documents"] == counts.get(f"{label}_documents", 0)
            share = n / row["segments"] if row["segments"] else 0.0
            assert row[f"{label}_share"] == pytest.approx(share)


def test_known_counts(tables):
    summary = tables.country_summary.set_index("country")
    assert list(tables.country_summary["country"]) == ["DE", "EU", "FI", "FR", "NL"]
    de = summary.loc["DE"]
    assert (de["segments"], de["documents"], de["microcredential_segments"]) == (5, 1, 2)
    assert de["microcredential_share"] == pytest.approx(0.4)
    assert json.loads(de["nqf_levels"]) == {"DQR": [5]}
    assert json.loads(de["top_driver_types"]) == [{"segments": 1, "type": "labour_market"}]
    assert de["fs_microcredentials"] and de["fs_microcredentials_strength"] == "weak"
    assert de["fs_main_drivers"] == "labour_market"
    assert de["fs_nqf_link"] == "mentioned"
    fi = summary.loc["FI"]
    assert fi["fs_nqf_link"] == "linked"
    assert "EQF level 6" in fi["fs_nqf_quote"] and "p. 2" in fi["fs_nqf_quote"]
    assert summary.loc["NL"]["fs_quality_trust_link"] == "linked"
    assert summary.loc["FR"]["fs_validation_link"] == "mentioned"
    assert summary.loc["FR"]["fs_microcredentials"] == False  # noqa: E712 (numpy bool)
    # EU: the comparative report's own country, but every segment is about NL or FI.
    assert summary.loc["EU"]["segments"] == 0


def test_comparative_report_does_not_leak_across_countries(tables):
    """Segments about NL and FI in an EU report count for NL and FI only, never for EU
    (the document's country), for the other section's country, or for DE/FR."""
    summary = tables.country_summary.set_index("country")
    nl_quotes = [q["quote"] for label in LABELS
                 for q in json.loads(summary.loc["NL"][f"{label}_quotes"])]
    fi_quotes = [q["quote"] for label in LABELS
                 for q in json.loads(summary.loc["FI"][f"{label}_quotes"])]
    assert nl_quotes and fi_quotes
    assert not any("Finnish" in q for q in nl_quotes)
    assert not any("Dutch" in q for q in fi_quotes)
    for country in ("DE", "FR", "EU"):
        for label in LABELS:
            files = {q["file"] for q in json.loads(summary.loc[country][f"{label}_quotes"])}
            assert "EU_comparative.pdf" not in files
    de_files = {q["file"] for label in LABELS
                for q in json.loads(summary.loc["DE"][f"{label}_quotes"])}
    assert de_files == {"DE_law.pdf"}


def test_one_country_document_in_multicountry_corpus_stays_home():
    """A German document whose segments name no country falls back to DE only."""
    de = make_result("de.txt", "DE", ["Mikro-Credentials sind neu."],
                     [S(1, "Mikro-Credentials sind neu.", ["microcredential"], [])])
    fr = make_result("fr.txt", "FR", ["Les microcertifications sont nouvelles."],
                     [S(1, "Les microcertifications sont nouvelles.", ["microcredential"], [])])
    summary = build_tables([de, fr]).country_summary.set_index("country")
    assert summary.loc["DE"]["microcredential_segments"] == 1
    assert summary.loc["FR"]["microcredential_segments"] == 1
    assert json.loads(summary.loc["DE"]["microcredential_quotes"])[0]["file"] == "de.txt"


def test_attribution_rules():
    assert attributed_countries(["NL", "FI", "NL"], "EU") == ["NL", "FI"]
    assert attributed_countries([], "DE") == ["DE"]
    assert attributed_countries([], "XX") == []
    assert attributed_countries(["XX"], "") == []
    assert attributed_countries([], "RÉPUBLIQUE FRANÇAISE)") == []  # a shifted CSV cell
    assert attributed_countries(["de"], "EU") == ["EU"]


def test_global_documents_count_for_no_country(tables):
    """MANIFEST's XX (global scope) is no country: no XX row, its segments have no country."""
    assert "XX" not in set(tables.country_summary["country"])
    xx_doc = tables.documents.set_index("file").loc["XX_badges.md", "doc_id"]
    xx_segs = tables.segments[tables.segments["doc_id"] == xx_doc]
    assert len(xx_segs) == 2 and all(len(c) == 0 for c in xx_segs["countries"])
    assert set(tables.evidence[tables.evidence["doc_id"] == xx_doc]["country"]) == {""}


def test_failures_and_document_status(tables):
    assert tables.failures.to_dict("records") == [
        {"file": "broken.pdf", "sha256": failed_result("broken.pdf", "").document.sha256,
         "stage": "extract", "reason": "truncated PDF: no xref table"}]
    status = dict(zip(tables.documents["file"], tables.documents["status"], strict=True))
    assert status["broken.pdf"] == "failed" and status["DE_law.pdf"] == "ok"


def test_source_rule_model_human():
    results = sample_results()
    plain = build_tables(results).evidence
    assert set(plain["source"]) == {"rule", "model"}
    stack = plain[(plain["file"] == "DE_law.pdf") & (plain["label"] == "stackability")]
    assert list(stack["source"]) == ["model"]
    target = stack["segment_id"].iloc[0]
    human = build_tables(results, human_labels={target: ["validation", "bogus"]})
    rows = human.evidence[human.evidence["segment_id"] == target]
    assert rows[["label", "source", "score"]].to_dict("records") == [
        {"label": "validation", "source": "human", "score": 1.0}]
    seg = human.segments.set_index("id").loc[target]
    assert list(seg["labels"]) == ["validation"] and seg["label_source"] == "human"


def test_deterministic_whatever_the_order():
    a = build_tables(sample_results())
    b = build_tables(list(reversed(sample_results())))
    for name in COLUMNS:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    files = list(a.evidence["file"])
    assert files == sorted(files)


def test_strongest_quotes_are_ranked_and_capped():
    sentences = [f"Micro-credential sentence number {i}." for i in range(5)]
    result = make_result("de.txt", "DE", [" ".join(sentences)],
                         [S(1, s, ["microcredential"], ["DE"]) for s in sentences])
    for i, pred in enumerate(result.predictions):
        pred.scores["microcredential"] = 0.5 + i / 10
    quotes = json.loads(build_tables([result]).country_summary.iloc[0]["microcredential_quotes"])
    assert [q["quote"] for q in quotes] == sentences[:1:-1][:3]
    assert [q["page"] for q in quotes] == [1, 1, 1]


def test_driver_without_type_is_still_a_driver():
    result = make_result("nl.md", "NL", ["Because learners asked, microcredentials came."],
                         [S(1, "Because learners asked, microcredentials came.",
                            ["microcredential", "driver"], ["NL"])])
    row = build_tables([result]).country_summary.iloc[0]
    assert row["fs_main_drivers"] == "stated, type not identified"
    assert row["top_driver_types"] == "[]" and "learners asked" in row["fs_drivers_quote"]
    assert build_tables(sample_results()).country_summary.set_index("country").loc[
        "FR", "fs_main_drivers"] == ""


def test_strength_scale():
    assert [strength(0, 0), strength(1, 1), strength(3, 1), strength(10, 1), strength(10, 2)] \
        == ["none", "weak", "moderate", "moderate", "strong"]


def test_script_text_is_kept_verbatim_in_tables(tables):
    assert XSS in set(tables.evidence["quote"])


def test_empty_run_has_typed_empty_tables():
    empty = build_tables([])
    for name, df in empty.as_dict().items():
        assert list(df.columns) == COLUMNS[name] and len(df) == 0


def test_same_content_under_two_names_is_listed_twice_but_counted_once():
    import dataclasses

    original = make_result("a/law.pdf", "DE", ["Mikrozertifikate werden eingeführt."],
                           [S(1, "Mikrozertifikate werden eingeführt.", labels=["microcredential"])])
    # The same bytes copied elsewhere: same sha256, doc_id and segment ids, another file name.
    copy = dataclasses.replace(original, document=dataclasses.replace(original.document, file="b/copy.pdf"))
    t = build_tables([copy, original])
    assert list(t.documents["file"]) == ["a/law.pdf", "b/copy.pdf"]
    assert t.documents.loc[t.documents["file"] == "b/copy.pdf", "error"].item().startswith("duplicate of a/law.pdf")
    assert t.segments["id"].is_unique and len(t.segments) == 1
    assert len(t.evidence) == 1
