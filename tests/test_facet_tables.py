"""The facet tables (issue 13): whose rows a segment's facets go to, counts, quotes, types."""

from __future__ import annotations

import dataclasses
import re

import duckdb
import pandas as pd
import pytest

from evidence_factory import MOBILITY, S, make_result, sample_results
from facet_factory import BADGES, DE_MC, FI_EQF, NL_EC, NL_QA, SAMPLE_FACETS, with_facets, workload
from mctext import runner, store
from mctext.codebook import facet_values, load_codebook
from mctext.evidence import build_tables
from mctext.facet_tables import build_facet_tables, reference_kind, stated_elements
from mctext.query import query
from mctext.report import ReportMeta
from mctext.schemas import COLUMNS, FACET_TABLES, VIEWS, arrow_schema


@pytest.fixture(scope="module")
def tables():
    return with_facets(build_tables(sample_results()), SAMPLE_FACETS)


def rows(df: pd.DataFrame, **where) -> list[dict]:
    mask = pd.Series(True, index=df.index)
    for column, value in where.items():
        mask &= df[column] == value
    return df[mask].to_dict("records")


def test_a_country_named_by_an_eu_document_is_eus_link_never_its_own_row(tables):
    links = tables.international_links
    de_from_eu = rows(links, country="EU", reference="country:DE")
    assert len(de_from_eu) == 1
    link = de_from_eu[0]
    assert link["kind"] == "country" and link["cited_country"] == "DE"
    assert link["segments"] == 1 and link["documents"] == 1
    assert [q["quote"] for q in link["quotes"]] == [MOBILITY]
    assert list(link["segment_ids"]) == [link["quotes"][0]["segment_id"]]
    assert {r["reference"] for r in rows(links, country="EU")} == {
        "country:DE", "country:ES", "ects_ecvet", "eqf", "open_badges"}  # not its own country:EU
    # Germany's rows come from its own law alone: the EU sentence about a German employer
    # adds nothing to them, and the law's country:DE (its own country) is no link.
    assert {r["reference"] for r in rows(links, country="DE")} == {"eu_mc_recommendation"}
    de_actors = rows(tables.actors_by_country, country="DE")
    assert [(r["actor"], r["segments"]) for r in de_actors] == [("public_authorities", 1)]
    assert MOBILITY not in {q["quote"] for r in de_actors for q in r["quotes"]}
    assert "ES" not in set(tables.mc_profiles["country"])


def test_only_own_segments_of_the_counted_kinds_count(tables):
    profiles = tables.mc_profiles.set_index("country")
    assert list(profiles.index) == ["DE", "EU", "FR"]  # countries with own documents, XX none
    # The heading's quality_assurance and crafts do not count (not quotable).
    assert list(profiles.loc["DE", "elements_stated"]) == ["level", "awarding_body"]
    assert rows(tables.sectors_by_country, country="DE", sector="crafts") == []
    assert [q["quote"] for q in profiles.loc["DE", "awarding_body_quotes"]] == [DE_MC]
    assert list(profiles.loc["DE", "quality_assurance_quotes"]) == []
    # The global (XX) document's Open Badges and learners count for no country.
    assert "XX" not in set(tables.actors_by_country["country"])
    assert BADGES not in {q["quote"] for qs in tables.international_links["quotes"] for q in qs}


def test_profile_values_counts_and_ids(tables):
    eu = tables.mc_profiles.set_index("country").loc["EU"]
    # Codebook order; workload and participation_form also from their own columns.
    assert list(eu["elements_stated"]) == ["workload", "level", "participation_form",
                                          "quality_assurance"]
    assert [(w["value"], w["unit"], w["segments"]) for w in eu["workloads"]] == [
        (3.0, "credits", 1), (30.0, "credits", 1)]
    assert [(f["value"], f["segments"], f["documents"]) for f in eu["participation_forms"]] == [
        ("online", 1, 1)]
    assert [(lv["framework"], lv["level"]) for lv in eu["levels"]] == [("EQF", 6)]
    assert eu["segments"] == 3 and len(eu["segment_ids"]) == 3
    assert [q["quote"] for q in eu["quotes"]] == [NL_EC, NL_QA, FI_EQF]  # reading order
    by_element = {el["value"]: el for el in eu["elements"]}
    seg_text = dict(zip(tables.segments["segment_id"], tables.segments["text"], strict=True))
    assert [seg_text[i] for i in by_element["quality_assurance"]["segment_ids"]] == [NL_QA]
    de = tables.mc_profiles.set_index("country").loc["DE"]
    assert [(lv["framework"], lv["level"]) for lv in de["levels"]] == [("DQR", 5)]


def test_actor_roles_and_sectors(tables):
    eu_employers = rows(tables.actors_by_country, country="EU", actor="employers")[0]
    assert eu_employers["segments"] == 2 and eu_employers["documents"] == 1
    assert list(eu_employers["roles"]) == [{"role": "values_trusts", "segments": 2}]
    eu_learners = rows(tables.actors_by_country, country="EU", actor="learners")[0]
    assert list(eu_learners["roles"]) == [{"role": "uses", "segments": 1}]  # the learner's role only
    providers = rows(tables.actors_by_country, country="EU", actor="providers")[0]
    assert list(providers["roles"]) == []
    actors = [r["actor"] for r in rows(tables.actors_by_country, country="EU")]
    assert actors == [a for a in facet_values("actors") if a in actors]  # codebook order
    sectors = tables.sectors_by_country
    assert [(r["country"], r["sector"]) for r in sectors.to_dict("records")] == [
        ("DE", "retail_trade"), ("EU", "ict"), ("EU", "education")]


def test_table_rows_and_footnotes_count_headings_and_code_do_not():
    texts = {"table_row": "Workload | elm:creditPoint | Mandatory", "footnote": "1 OECD (2021), Micro-credentials.",
             "heading": "Workload and OECD", "code": "flowchart Workload OECD", "toc": "Workload OECD 12"}
    doc = make_result("EU_spec.md", "EU", ["\n".join(texts.values())],
                      [S(1, text, kind=kind) for kind, text in texts.items()])
    tables = with_facets(build_tables([doc]), {t: {"mc_elements": ["workload"], "international": ["oecd"]}
                                               for t in texts.values()})
    (profile,) = tables.mc_profiles.to_dict("records")
    seg_kind = dict(zip(tables.segments["segment_id"], tables.segments["kind"], strict=True))
    assert sorted(seg_kind[i] for i in profile["segment_ids"]) == ["footnote", "table_row"]
    (link,) = tables.international_links.to_dict("records")
    assert link["segments"] == 2 and [q["quote"] for q in link["quotes"]] == [texts["table_row"], texts["footnote"]]


def test_quotes_come_from_different_documents_first():
    one = make_result("EU_a.md", "EU", ["First OECD sentence. Second OECD sentence. Third one."],
                      [S(1, "First OECD sentence."), S(1, "Second OECD sentence."), S(1, "Third one.")])
    two = make_result("EU_b.md", "EU", ["Another OECD sentence."], [S(1, "Another OECD sentence.")])
    tables = with_facets(build_tables([one, two]), {
        t: {"international": ["oecd"]} for t in ("First OECD sentence.", "Second OECD sentence.",
                                                  "Third one.", "Another OECD sentence.")})
    (link,) = tables.international_links.to_dict("records")
    assert link["segments"] == 4 and link["documents"] == 2 and len(link["segment_ids"]) == 4
    assert [q["quote"] for q in link["quotes"]] == ["First OECD sentence.", "Another OECD sentence.",
                                                    "Second OECD sentence."]
    assert link["kind"] == "organisation"


def test_empty_facets_give_empty_tables_with_the_schema(tmp_path):
    tables = build_tables(sample_results())
    bare = tables.segments.drop(columns=[c for c in ("mc_elements", "workload", "participation_form",
                                                     "actors", "actor_roles", "sectors", "international")
                                         if c in tables.segments.columns])
    for segments in (tables.segments, bare):
        built = build_facet_tables(tables.documents, segments)
        assert tuple(built) == FACET_TABLES
        for name, df in built.items():
            assert list(df.columns) == COLUMNS[name], name
            assert store.to_arrow(df, name).schema == arrow_schema(name), name
        assert built["actors_by_country"].empty and built["international_links"].empty
        assert built["sectors_by_country"].empty
        profiles = built["mc_profiles"]
        assert list(profiles["country"]) == ["DE", "EU", "FR"]
        assert all(len(v) == 0 for v in profiles["elements_stated"])
    nothing = build_facet_tables(tables.documents.iloc[0:0], tables.segments.iloc[0:0])
    assert all(df.empty for df in nothing.values())
    store.write_duckdb({**dataclasses.replace(tables, **nothing).as_dict()}, tmp_path / "e.duckdb",
                       views=VIEWS)
    con = duckdb.connect(str(tmp_path / "e.duckdb"), read_only=True)
    try:
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = 'mc_profiles'").fetchall())
    finally:
        con.close()
    assert types["workloads"].startswith("STRUCT(") and types["segment_ids"] == "VARCHAR[]"


def test_every_international_value_has_a_kind():
    for value in facet_values("international"):
        assert reference_kind(value) in load_codebook()["facets"]["international"]["kinds"], value
    assert reference_kind("country:DE") == "country"


def test_stated_elements_adds_the_structured_ones():
    assert stated_elements({"mc_elements": ["level"], "workload": [workload(5, "ECTS")],
                            "participation_form": []}) == ["level", "workload"]
    assert stated_elements({"mc_elements": ["workload"], "workload": [workload(5, "ECTS")]}) == ["workload"]


def test_written_with_the_run_and_seen_by_query(tables, tmp_path):
    """write_outputs writes the four tables to Parquet and DuckDB; SQL sees them."""
    out = runner.write_outputs(tables, tmp_path, ReportMeta(corpus="c", generated="2026-01-01 00:00 UTC"))
    for name in FACET_TABLES:
        assert list(pd.read_parquet(out[name]).columns) == COLUMNS[name]
    graph = query("SELECT country, cited_country, segments FROM international_links "
                  "WHERE kind = 'country' ORDER BY ALL", db=tmp_path)
    assert graph.values.tolist() == [["EU", "DE", 1], ["EU", "ES", 1]]
    quoted = query("SELECT s.text FROM actors_by_country AS a, unnest(a.segment_ids) AS u(id) "
                   "JOIN segments AS s ON s.segment_id = u.id WHERE a.country = 'DE'", db=tmp_path)
    assert quoted["text"].tolist() == [DE_MC]
    profile = query("SELECT elements_stated, workloads[1].unit AS unit FROM mc_profiles "
                    "WHERE country = 'EU'", db=tmp_path)
    assert list(profile.loc[0, "elements_stated"])[0] == "workload" and profile.loc[0, "unit"] == "credits"


# What the EU documents of ../shared/corpus/original (MANIFEST.csv: the five EU_* files) state of
# the EU standard's elements for a micro-credential, read in the documents themselves (segments
# that speak of micro-credentials, the codebook's context rule; the MicroHE metadata fields on "the
# qualification", e.g. "Entry requirement" or "Mode of Study | Online / Face to Face", are not named):
EU_ELEMENTS = {
    "learning_outcomes": "EUHEMC: 'A Learning Outcome with at least one Competence'; DC4EU catalogue: "
                         "'Microcredentials attest to the achievement of specific learning outcomes'",
    "workload": "EUHEMC: 'Complete short, manageable modules (1-15 ECTS)', 'Microcredential workload "
                "(ECTS credits) | ... | Mandatory ECTS credits'",
    "level": "EUHEMC: 'Overall classification of the Microcredential | ... | Mandatory, EQF/NQF'; DC4EU "
             "catalogue, under 'Microcredentials attest to ...': '- EQF-aligned certifications'",
    "assessment": "EUHEMC: 'At least one Learning Achievement and Learning Assessment', 'Assessment "
                  "method | elm:LearningAssessment'",
    "quality_assurance": "DC4EU catalogue: '- Quality-assured short credentials'; EUHEMC: "
                         "'microcredentials are issued by accredited institutions'",
    "awarding_body": "EUHEMC: 'issued by accredited institutions', 'Name of awarding institution'",
    "stackability": "EUHEMC: 'standalone courses or stackable components toward larger "
                    "qualifications'; DC4EU catalogue: '- Microcredential stacking into larger qualifications'",
    "grade": "EUHEMC: 'Grading scheme | elm:LearningAssessment | elm:GradingScheme | Mandatory'",
}


@pytest.fixture(scope="module")
def original_run(tmp_path_factory):
    from typer.testing import CliRunner

    from conftest import ORIGINAL
    from mctext.cli import app

    if not ORIGINAL.is_dir():
        pytest.skip(f"real corpus not found at {ORIGINAL}")
    out = tmp_path_factory.mktemp("facets-original")
    res = CliRunner().invoke(app, ["run", str(ORIGINAL), "--out", str(out), "--quiet", "--no-human",
                                   "--workers", "2"])
    assert res.exit_code in (0, 3), res.output
    segments = pd.read_parquet(out / "segments.parquet")
    if "mc_elements" not in segments.columns:
        pytest.skip("the segments table has no facet columns yet (classify's facet layer, issue 13)")
    return out, segments


@pytest.mark.slow
def test_original_corpus_eu_profile_lists_the_elements_its_documents_state(original_run):
    out, segments = original_run
    profiles = pd.read_parquet(out / "mc_profiles.parquet").set_index("country")
    eu = profiles.loc["EU"]
    stated = set(eu["elements_stated"])
    missing = {el: where for el, where in EU_ELEMENTS.items() if el not in stated}
    assert not missing, f"the EU profile misses elements its documents state: {missing}"
    doc_country = dict(zip(segments["segment_id"], segments["doc_country"], strict=True))
    for element in eu["elements"]:
        assert {doc_country[i] for i in element["segment_ids"]} == {"EU"}, element["value"]
        assert element["segments"] == len(element["segment_ids"]) >= 1
    assert set(eu["segment_ids"]) == {i for el in eu["elements"] for i in el["segment_ids"]}


@pytest.mark.slow
def test_original_corpus_facet_rows_come_from_own_documents(original_run):
    """Every row of every facet table counts its own country's documents only, and a cited
    country is never the citing one."""
    out, segments = original_run
    doc_country = dict(zip(segments["segment_id"], segments["doc_country"], strict=True))
    for name in ("actors_by_country", "sectors_by_country", "international_links"):
        table = pd.read_parquet(out / f"{name}.parquet")
        for row in table.to_dict("records"):
            assert {doc_country[i] for i in row["segment_ids"]} == {row["country"]}, (name, row)
            assert len(row["segment_ids"]) == row["segments"]
            assert {q["segment_id"] for q in row["quotes"]} <= set(row["segment_ids"])
    links = pd.read_parquet(out / "international_links.parquet")
    cited = links[links["kind"] == "country"]
    assert (cited["cited_country"] != cited["country"]).all()
    assert (links[links["kind"] != "country"]["cited_country"].isna()).all()


def test_facet_tables_do_not_depend_on_input_order():
    forward = with_facets(build_tables(sample_results()), SAMPLE_FACETS)
    backward = with_facets(build_tables(list(reversed(sample_results()))), SAMPLE_FACETS)
    for name in FACET_TABLES:
        pd.testing.assert_frame_equal(getattr(forward, name), getattr(backward, name), check_like=False)


def test_links_graph_draws_both_directions_apart():
    from mctext.report.report import links_graph

    rows = [{"country": a, "kind": "country", "cited_country": b, "segments": n, "documents": 1}
            for a, b, n in (("DE", "AT", 3), ("AT", "DE", 1), ("FR", "CH", 1))]
    svg = links_graph(rows, own={"DE", "AT", "FR"})
    paths = re.findall(r'<path class="edge" d="([^"]+)" stroke-width="([\d.]+)"', svg)
    assert len(paths) == 3 and len({d for d, _ in paths}) == 3
    widths = dict(zip(re.findall(r"<title>(\w\w cites \w\w)", svg), (float(w) for _, w in paths), strict=True))
    assert widths["DE cites AT"] > widths["AT cites DE"]  # wider with more segments
    assert svg.count('class="node own"') == 3 and svg.count('class="node cited"') == 1  # CH
    assert "No country" in links_graph([], own=set())
