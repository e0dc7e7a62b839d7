"""DocResults -> tables: provenance of quotes, aggregates, attribution, determinism."""

from __future__ import annotations

import pandas as pd
import pytest

from evidence_factory import MOBILITY, XSS, S, failed_result, make_result, recount, sample_results
from mctext.codebook import LABELS
from mctext.evidence import CONTEXT_CHARS, attributed_countries, build_tables, strength
from mctext.records import QUOTABLE_KINDS
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
        assert text[row.char_start:row.char_end] == row.quote
        assert text[max(0, row.char_start - CONTEXT_CHARS):row.char_start] == row.prefix
        assert text[row.char_end:row.char_end + CONTEXT_CHARS] == row.suffix
        assert len(row.prefix) <= CONTEXT_CHARS and len(row.suffix) <= CONTEXT_CHARS


def test_one_evidence_row_per_segment_and_label(tables):
    expected = {(s.segment_id, label) for s in tables.segments.itertuples() for label in s.labels}
    got = list(zip(tables.evidence["segment_id"], tables.evidence["label"], strict=True))
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_aggregates_equal_counts_from_segments(tables):
    expected = recount(tables.segments, tables.documents)
    summary = tables.country_summary.set_index("country")
    assert set(expected) == set(summary.index)
    for country, row in summary.iterrows():
        counts = expected[country]
        assert row["segments"] == counts.get("segments", 0)
        assert row["documents"] == counts.get("documents", 0)
        for label in LABELS:
            n = counts.get(f"{label}_segments", 0)
            assert row[f"{label}_segments"] == n, (country, label)
            assert row[f"{label}_documents"] == counts.get(f"{label}_documents", 0)
            share = n / row["segments"] if row["segments"] else 0.0
            assert row[f"{label}_share"] == pytest.approx(share, abs=1e-6)


def test_known_counts(tables):
    summary = tables.country_summary.set_index("country")
    # One row per country with documents of its own (NL and FI are only written about).
    assert list(tables.country_summary["country"]) == ["DE", "EU", "FR"]
    de = summary.loc["DE"]
    assert de["country_name"] == "Germany"
    assert (de["segments"], de["documents"], de["microcredential_segments"]) == (6, 1, 3)
    assert de["microcredential_share"] == pytest.approx(0.5)
    assert list(de["nqf_levels"]) == [{"framework": "DQR", "level": 5}]
    assert list(de["top_driver_types"]) == [{"type": "labour_market", "segments": 1}]
    assert de["fs_microcredentials"] and de["fs_microcredentials_strength"] == "weak"
    assert de["fs_main_drivers"] == "labour_market"
    assert de["fs_nqf_link"] == "mentioned"
    assert de["mentioned_in_documents"] == 1  # the EU report's mobility sentence
    eu = summary.loc["EU"]
    # The comparative report is the EU's own document: all its segments are EU evidence.
    assert (eu["segments"], eu["microcredential_segments"]) == (5, 5)
    assert eu["fs_nqf_link"] == "linked" and eu["fs_quality_trust_link"] == "linked"
    assert "EQF level 6" in eu["fs_nqf_quote"] and "p. 2" in eu["fs_nqf_quote"]
    assert summary.loc["FR"]["fs_validation_link"] == "mentioned"
    assert summary.loc["FR"]["fs_microcredentials"] == False  # noqa: E712 (numpy bool)


def test_fact_sheet_values_state_their_basis(tables):
    summary = tables.country_summary.set_index("country")
    eu, de, fr = summary.loc["EU"], summary.loc["DE"], summary.loc["FR"]
    assert eu["fs_nqf_basis"].startswith("linked: 1 segment in 1 document labelled nqf and "
                                         "microcredential")
    assert eu["fs_quality_trust_basis"].startswith("linked: 2 segments in 1 document")
    assert "(rule: linked when a segment has both labels" in eu["fs_nqf_basis"]  # the rule behind it
    assert de["fs_microcredentials_basis"] == (
        "weak: 2 segments in 1 document (rule: strong 10+ segments in 2+ documents, moderate 3+, "
        "weak 1-2)")
    assert de["fs_nqf_basis"].startswith("mentioned: 1 segment in 1 document labelled nqf, "
                                         "none also microcredential")
    assert fr["fs_microcredentials_basis"].startswith(
        "none: no quotable micro-credential segment in 1 own document")
    assert de["fs_drivers_basis"].startswith("1 segment in 1 document labelled driver; "
                                             "segments per type: labour_market 1")
    assert fr["fs_drivers_basis"].startswith("none")


def test_non_quotable_kinds_keep_labels_but_are_never_quoted(tables):
    """The DE heading counts in the label columns, is marked in evidence, and is neither a
    quote nor a fact-sheet basis: DE's quality_trust rests on the heading alone -> none."""
    heading = tables.evidence[tables.evidence["quote"] == "Qualität der Mikro-Credentials"]
    assert set(heading["kind"]) == {"heading"} and set(heading["label"]) == {
        "microcredential", "quality_trust"}
    de = tables.country_summary.set_index("country").loc["DE"]
    assert de["quality_trust_segments"] == 1 and len(de["quality_trust_quotes"]) == 0
    assert de["fs_quality_trust_link"] == "none" and de["fs_quality_trust_quote"] == ""
    quoted = {q["segment_id"] for _, row in tables.country_summary.iterrows() for label in LABELS
              for q in row[f"{label}_quotes"]}
    kinds = dict(zip(tables.segments["segment_id"], tables.segments["kind"], strict=True))
    assert quoted and {kinds[sid] for sid in quoted} <= set(QUOTABLE_KINDS)


def test_mentions_are_kept_apart_from_own_evidence(tables):
    """The EU report's sentence naming Spain and Germany is EU evidence; for DE and ES it is
    a mention (country_mentions), never part of their fact sheets or quotes. NL and FI,
    written about under headings, have no row but their mentions."""
    summary = tables.country_summary.set_index("country")
    de_quotes = [q["quote"] for label in LABELS for q in summary.loc["DE"][f"{label}_quotes"]]
    assert MOBILITY not in de_quotes and MOBILITY not in summary.loc["DE"]["fs_quality_trust_quote"]
    assert "ES" not in summary.index and "NL" not in summary.index
    mentions = tables.country_mentions
    got = {(r.country, r.doc_country, r.label, r.segments, r.named_segments)
           for r in mentions.itertuples(index=False)}
    assert got == {
        ("DE", "EU", "microcredential", 1, 1), ("DE", "EU", "quality_trust", 1, 1),
        ("ES", "EU", "microcredential", 1, 1), ("ES", "EU", "quality_trust", 1, 1),
        ("FI", "EU", "microcredential", 2, 1), ("FI", "EU", "nqf", 1, 1),
        ("FI", "EU", "validation", 1, 0),
        ("NL", "EU", "microcredential", 2, 1), ("NL", "EU", "stackability", 1, 1),
        ("NL", "EU", "quality_trust", 1, 0)}
    fi = mentions[(mentions["country"] == "FI") & (mentions["label"] == "microcredential")].iloc[0]
    assert fi["quote"].startswith("Finnish")  # the segment naming FI beats the one under its heading
    assert (fi["file"], fi["page"]) == ("EU_comparative.pdf", 2)
    assert set(mentions["doc_country"]) == {"EU"} and (mentions["country"] != mentions["doc_country"]).all()


def test_segments_keep_document_country_names_and_attribution(tables):
    seg = tables.segments.set_index("text")
    assert seg.loc[MOBILITY, "doc_country"] == "EU"
    assert sorted(seg.loc[MOBILITY, "countries_named"]) == ["DE", "ES"]
    under_heading = seg.loc["A quality framework makes them trusted by employers."]
    assert list(under_heading["countries_named"]) == [] and list(under_heading["countries"]) == ["NL"]
    assert list(seg.loc["Ein Satz ohne Label.", "countries"]) == ["DE"]
    ev = tables.evidence.set_index("quote")
    assert set(ev.loc[[MOBILITY], "country"]) == {"EU"}
    assert sorted(ev.loc[[MOBILITY], "mentioned_countries"].iloc[0]) == ["DE", "ES"]


def test_one_country_document_in_multicountry_corpus_stays_home():
    """A German document whose segments name no country falls back to DE only."""
    de = make_result("de.txt", "DE", ["Mikro-Credentials sind neu."],
                     [S(1, "Mikro-Credentials sind neu.", ["microcredential"], [])])
    fr = make_result("fr.txt", "FR", ["Les microcertifications sont nouvelles."],
                     [S(1, "Les microcertifications sont nouvelles.", ["microcredential"], [])])
    summary = build_tables([de, fr]).country_summary.set_index("country")
    assert summary.loc["DE"]["microcredential_segments"] == 1
    assert summary.loc["FR"]["microcredential_segments"] == 1
    assert summary.loc["DE"]["microcredential_quotes"][0]["file"] == "de.txt"


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
    assert tables.documents.set_index("file").loc["XX_badges.md", "country"] == "XX"
    xx_segs = tables.segments[tables.segments["doc_id"] == xx_doc]
    assert len(xx_segs) == 2 and all(len(c) == 0 for c in xx_segs["countries"])
    assert set(xx_segs["doc_country"]) == {"XX"}
    assert set(tables.evidence[tables.evidence["doc_id"] == xx_doc]["country"]) == {"XX"}


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
    seg = human.segments.set_index("segment_id").loc[target]
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
    quotes = list(build_tables([result]).country_summary.iloc[0]["microcredential_quotes"])
    assert [q["quote"] for q in quotes] == sentences[:1:-1][:3]
    assert [q["page"] for q in quotes] == [1, 1, 1]


def test_driver_without_type_is_still_a_driver():
    result = make_result("nl.md", "NL", ["Because learners asked, microcredentials came."],
                         [S(1, "Because learners asked, microcredentials came.",
                            ["microcredential", "driver"], ["NL"])])
    row = build_tables([result]).country_summary.iloc[0]
    assert row["fs_main_drivers"] == "stated, type not identified"
    assert list(row["top_driver_types"]) == [] and "learners asked" in row["fs_drivers_quote"]
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
    assert t.segments["segment_id"].is_unique and len(t.segments) == 1
    assert t.country_summary.iloc[0]["documents"] == 1
    assert len(t.evidence) == 1


def test_names_come_from_the_classifier_when_it_gives_them():
    """The classifier's own country matches are used as they are (no second lookup); a
    Prediction without them (built by hand) gets them looked up in its text."""
    result = make_result("fr.txt", "FR", ["La VAE en Islande. La VAE en Espagne."],
                         [S(1, "La VAE en Islande.", ["validation"], ["IS"]),
                          S(1, "La VAE en Espagne.", ["validation"], ["ES"])])
    result.predictions[0].countries_named = ["IS"]
    result.predictions[1].countries_named = []  # the classifier found none: trusted
    seg = build_tables([result]).segments.set_index("text")
    assert list(seg.loc["La VAE en Islande.", "countries_named"]) == ["IS"]
    assert list(seg.loc["La VAE en Espagne.", "countries_named"]) == []
    result.predictions[1].countries_named = None
    seg = build_tables([result]).segments.set_index("text")
    assert list(seg.loc["La VAE en Espagne.", "countries_named"]) == ["ES"]
