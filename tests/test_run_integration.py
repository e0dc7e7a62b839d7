"""`mctext run`: outputs, exit codes, determinism; and the real corpus end to end (slow)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import requires_shared
from evidence_factory import failed_result, recount, sample_results
from mctext import runner
from mctext.cli import app
from mctext.codebook import LABELS
from mctext.evidence import NO_COUNTRY
from mctext.records import QUOTABLE_KINDS
from mctext.schemas import COLUMNS, FACET_TABLES

TEXT_OUTPUTS = ["documents.parquet", "segments.parquet", "evidence.parquet",
                "country_mentions.parquet", "country_summary.parquet", "country_summary.csv", "failures.csv", "report.html"]


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Stand in for discover + pipeline.run_documents: yields the given results."""
    state = {"results": sample_results()}

    def discover(corpus_dir):
        return [r.document.file for r in state["results"]]

    def process(sources, cfg, cache_dir, progress):
        yield from state["results"]

    monkeypatch.setattr(runner, "_discover", discover)
    monkeypatch.setattr(runner, "_process", process)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return state


def test_run_writes_every_output(fake_pipeline, tmp_path):
    out = tmp_path / "out"
    summary = runner.run(tmp_path, out, progress=False, annotations_dir=None)
    assert summary.exit_code == 3 and summary.failed == 1 and summary.documents == 5
    assert summary.countries == ["DE", "EU", "FR"]
    for name in [*TEXT_OUTPUTS, "evidence.duckdb"]:
        assert (out / name).is_file(), name
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) in (
        [".mctext-run", ".outputs.json"], [".cache", ".mctext-run", ".outputs.json"])
    for table in ("documents", "segments", "evidence", "country_mentions", "country_summary",
                  *FACET_TABLES):
        assert list(pd.read_parquet(out / f"{table}.parquet").columns) == COLUMNS[table]
    with (out / "failures.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["file"], r["stage"]) for r in rows] == [("broken.pdf", "extract")]
    csv_summary = pd.read_csv(out / "country_summary.csv", keep_default_na=False)
    assert list(csv_summary.columns) == COLUMNS["country_summary"]
    assert list(csv_summary["country"]) == summary.countries


def test_aggregates_from_written_segments(fake_pipeline, tmp_path):
    runner.run(tmp_path, tmp_path / "out", progress=False, annotations_dir=None)
    segments = pd.read_parquet(tmp_path / "out" / "segments.parquet")
    summary = pd.read_parquet(tmp_path / "out" / "country_summary.parquet").set_index("country")
    expected = recount(segments)
    for country, row in summary.iterrows():
        for label in LABELS:
            assert row[f"{label}_segments"] == expected.get(country, {}).get(f"{label}_segments", 0)
    con = duckdb.connect(str(tmp_path / "out" / "evidence.duckdb"), read_only=True)
    try:
        by_view = dict(((c, lab), n) for c, lab, n in con.execute(
            "SELECT country, label, segments FROM evidence_by_country_label").fetchall())
    finally:
        con.close()
    for (country, label), n in by_view.items():
        assert summary.loc[country, f"{label}_segments"] == n


def test_rerun_is_byte_identical(fake_pipeline, tmp_path):
    runner.run(tmp_path, tmp_path / "a", progress=False, annotations_dir=None)
    fake_pipeline["results"] = list(reversed(sample_results()))  # other completion order
    runner.run(tmp_path, tmp_path / "b", progress=False, annotations_dir=None)
    for name in TEXT_OUTPUTS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def _stamps(out: Path) -> dict[str, int | None]:
    names = [*TEXT_OUTPUTS, "evidence.duckdb"]
    return {name: (out / name).stat().st_mtime_ns if (out / name).exists() else None for name in names}


def test_unchanged_rerun_keeps_the_outputs_and_a_change_rebuilds_them(fake_pipeline, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = runner.run(tmp_path, out, progress=False, annotations_dir=None)
    stamps = _stamps(out)
    again = runner.run(tmp_path, out, progress=False, annotations_dir=None)
    assert _stamps(out) == stamps, "nothing changed: no output rewritten"
    assert (again.documents, again.failed, again.segments, again.evidence, again.countries) == (
        first.documents, first.failed, first.segments, first.evidence, first.countries)
    assert again.outputs == first.outputs and again.exit_code == first.exit_code

    def rebuilt(**kwargs: object) -> bool:
        before = _stamps(out)
        runner.run(tmp_path, out, progress=False, **{"annotations_dir": None, **kwargs})
        return all(before[name] != after for name, after in _stamps(out).items())

    some_id = str(pd.read_parquet(out / "segments.parquet")["segment_id"].iloc[0])
    assert rebuilt(human_labels={some_id: ["validation"]})  # a human label arrived
    assert rebuilt()  # ... and went again
    (out / "report.html").unlink()  # an output file went missing
    assert rebuilt()
    (out / "failures.csv").write_text("edited by hand\n")
    assert rebuilt()
    assert (out / "failures.csv").read_text() != "edited by hand\n"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # another report date
    assert rebuilt()
    fake_pipeline["results"] = sample_results()[:-1]  # a document left the corpus
    assert rebuilt()
    assert not rebuilt()  # and a rerun after all that keeps them again


def test_cli_exit_codes(fake_pipeline, tmp_path):
    cli = CliRunner()
    res = cli.invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--quiet",
                           "--no-human"])
    assert res.exit_code == 3, res.output
    assert "report:" in res.stdout and "failures:" in res.stderr
    fake_pipeline["results"] = [r for r in sample_results() if r.document.status != "failed"]
    res = cli.invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--quiet",
                           "--no-human"])
    assert res.exit_code == 0, res.output
    assert list(pd.read_csv(tmp_path / "o" / "failures.csv").columns) == COLUMNS["failures"]
    assert len(pd.read_csv(tmp_path / "o" / "failures.csv")) == 0
    for args in (["run", str(tmp_path / "missing"), "--out", str(tmp_path / "o")],
                 ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--executor", "spark"],
                 ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--executor", "dask"],
                 ["run", str(tmp_path)]):
        res = cli.invoke(app, args)
        assert res.exit_code == 2, (args, res.output)
        assert "Traceback" not in res.output


def test_output_folder_inside_corpus_is_not_read_back(tmp_path):
    from mctext.corpus import SourceFile

    (tmp_path / "out").mkdir()
    sources = [SourceFile(path=tmp_path / "a.md", rel="a.md"),
               SourceFile(path=tmp_path / "out" / "report.html", rel="out/report.html")]
    assert [s.rel for s in runner._outside(sources, tmp_path / "out")] == ["a.md"]


def test_empty_folder_is_a_usage_error(fake_pipeline, tmp_path):
    fake_pipeline["results"] = []
    res = CliRunner().invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--quiet"])
    assert res.exit_code == 2 and "no documents" in res.stderr
    assert not (tmp_path / "o" / "report.html").exists()


def test_all_failed_still_writes_tables(fake_pipeline, tmp_path):
    fake_pipeline["results"] = [failed_result("a.pdf", "encrypted PDF: password required")]
    summary = runner.run(tmp_path, tmp_path / "o", progress=False, annotations_dir=None)
    assert summary.exit_code == 3 and summary.countries == []
    assert len(pd.read_parquet(tmp_path / "o" / "segments.parquet")) == 0
    assert "encrypted PDF" in (tmp_path / "o" / "report.html").read_text()


def test_human_labels_win(fake_pipeline, tmp_path):
    seg = next(s for r in sample_results() for s in r.segments if s.text == "Module sind stapelbar.")
    runner.run(tmp_path, tmp_path / "o", progress=False, human_labels={seg.id: ["validation"]})
    ev = pd.read_parquet(tmp_path / "o" / "evidence.parquet")
    mine = ev[ev["segment_id"] == seg.id]
    assert mine[["label", "source"]].values.tolist() == [["validation", "human"]]


def test_human_labels_from_the_annotation_store(fake_pipeline, tmp_path):
    """The run reads the store's final labels (adjudicated > agreed > latest)."""
    from mctext.annotate.store import KIND_ADJUDICATED, KIND_HUMAN, append_annotations

    seg = next(s for r in sample_results() for s in r.segments if s.text == "Module sind stapelbar.")
    base = {"segment_id": seg.id, "driver_types": [], "source_file": "t.csv",
            "source_sha256": "ab" * 32}
    append_annotations(tmp_path / "store", [
        {**base, "labels": ["nqf"], "annotator": "ann1", "kind": KIND_HUMAN,
         "timestamp": "2026-01-01T00:00:00Z"},
        {**base, "labels": ["validation", "stackability"], "annotator": "lead",
         "kind": KIND_ADJUDICATED, "timestamp": "2026-01-02T00:00:00Z"}], "ab" * 32)
    assert runner.human_labels_from_store(tmp_path / "store") == {
        seg.id: ["validation", "stackability"]}
    runner.run(tmp_path, tmp_path / "o", progress=False, annotations_dir=tmp_path / "store")
    ev = pd.read_parquet(tmp_path / "o" / "evidence.parquet")
    mine = ev[ev["segment_id"] == seg.id]
    assert mine[["label", "source"]].values.tolist() == [["validation", "human"],
                                                         ["stackability", "human"]]
    assert runner.human_labels_from_store(tmp_path / "nowhere") == {}


# --- the real corpus ------------------------------------------------------------------


def _pipeline_ready() -> str:
    """Which parts the real run needs are still missing (built by other contributors)."""
    import importlib

    missing = []
    for module, attr in (("mctext.corpus", "discover"), ("mctext.pipeline", "run_documents"),
                         ("mctext.segment", "segment_pages"),
                         ("mctext.classify", "classify_segments"),
                         ("mctext.classify", "load_classifier")):
        try:
            getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            missing.append(f"{module}.{attr}")
    return ", ".join(missing)


def manifest_countries(corpus: Path) -> list[str]:
    """The country each MANIFEST.csv row means. One row of the real MANIFEST has an
    unquoted comma in its publisher, which shifts its cells; the file name's prefix
    (FR_..., XX_...) then says the country, as the corpus's naming convention intends."""
    with (corpus / "MANIFEST.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        code = (row.get("country") or "").strip()
        out.append(code if re.fullmatch(r"[A-Z]{2}", code) else row["file"].split("_", 1)[0])
    return out


@pytest.fixture(scope="module")
def original_run(tmp_path_factory):
    from conftest import ORIGINAL

    if not ORIGINAL.is_dir():
        pytest.skip(f"real corpus not found at {ORIGINAL}")
    missing = _pipeline_ready()
    if missing:
        pytest.skip(f"pipeline parts not built yet: {missing}")
    out = tmp_path_factory.mktemp("original-run")
    res = CliRunner().invoke(app, ["run", str(ORIGINAL), "--out", str(out), "--quiet",
                                   "--no-human", "--workers", "2"])
    assert res.exit_code in (0, 3), res.output
    return ORIGINAL, out, res


@pytest.mark.slow
@requires_shared
def test_original_corpus_every_manifest_country_has_quotes(original_run):
    """Every MANIFEST country has a row, and quotes from its own documents' quotable
    evidence whenever there is any (a document that says nothing leaves zeros)."""
    corpus, out, _ = original_run
    expected = {c for c in manifest_countries(corpus) if c not in NO_COUNTRY}  # XX: global scope
    summary = pd.read_parquet(out / "country_summary.parquet").set_index("country")
    assert expected <= set(summary.index), expected - set(summary.index)
    assert "XX" not in summary.index
    evidence = pd.read_parquet(out / "evidence.parquet")
    quotable = evidence[evidence["kind"].isin(QUOTABLE_KINDS)]
    with_evidence = set(quotable["country"])
    assert len(with_evidence & expected) >= len(expected) - 2  # nearly every country says something
    evidence = evidence.set_index("segment_id")
    for country in sorted(expected):
        quotes = [q for label in LABELS for q in summary.loc[country, f"{label}_quotes"]]
        assert bool(quotes) == (country in with_evidence), country
        for q in quotes:
            assert (corpus / q["file"]).is_file()
            row = evidence.loc[q["segment_id"]]
            row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
            assert (row["file"], int(row["page"]), row["quote"]) == (q["file"], q["page"], q["quote"])


@pytest.mark.slow
@requires_shared
def test_original_corpus_quotes_found_verbatim_on_their_page(original_run):
    from mctext.extract import extract_file
    from mctext.records import Page
    from mctext.segment import segment_text

    corpus, out, _ = original_run
    evidence = pd.read_parquet(out / "evidence.parquet")
    assert len(evidence) > 0
    pages: dict[str, dict[int, Page]] = {}
    for row in evidence.drop_duplicates("segment_id").itertuples(index=False):
        if row.file not in pages:
            pages[row.file] = {p.number: p for p in extract_file(corpus / row.file).pages}
        # A sentence across a page break ends on the next page (page_end).
        assert segment_text(pages[row.file], row.page, row.char_start, row.page_end,
                            row.char_end) == row.quote, (row.file, row.page, row.char_start)
        text = pages[row.file][row.page].text
        assert text[max(0, row.char_start - 32):row.char_start] == row.prefix
        assert pages[row.file][row.page_end].text[row.char_end:row.char_end + 32] == row.suffix


@pytest.mark.slow
@requires_shared
def test_original_corpus_aggregates_and_attribution(original_run):
    _, out, _ = original_run
    segments = pd.read_parquet(out / "segments.parquet")
    documents = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
    summary = pd.read_parquet(out / "country_summary.parquet").set_index("country")
    expected = recount(segments, documents.reset_index())
    assert set(expected) == set(summary.index)
    for country, row in summary.iterrows():
        counts = expected[country]
        assert row["segments"] == counts.get("segments", 0)
        assert row["documents"] == counts.get("documents", 0)
        for label in LABELS:
            assert row[f"{label}_segments"] == counts.get(f"{label}_segments", 0)
            assert row[f"{label}_documents"] == counts.get(f"{label}_documents", 0)
    # No leak: every country a segment counts for is named in its text, or in its section
    # heading, or is its document's own country (the codebook's attribution order).
    from mctext.classify.countries import find_countries

    leaks = []
    for seg in segments.itertuples(index=False):
        doc_country = documents.loc[[seg.doc_id], "country"].iloc[0]
        assert seg.doc_country == doc_country
        allowed = {doc_country, *find_countries(seg.text), *find_countries(seg.section or "")}
        leaks += [(seg.segment_id, c) for c in seg.countries if c not in allowed]
    assert leaks == []
    # Outputs are the real thing: report, database, failures with header.
    mentioned_only = set(pd.read_parquet(out / "country_mentions.parquet")["country"]) - set(summary.index)
    assert (out / "report.html").read_text().count('<article class="panel card"') == len(summary) + len(
        mentioned_only)
    assert next(csv.reader((out / "failures.csv").open())) == COLUMNS["failures"]


@pytest.mark.slow
@requires_shared
def test_original_corpus_rerun_from_cache_is_identical(original_run, monkeypatch):
    corpus, out, _ = original_run
    before = {name: (out / name).read_bytes() for name in TEXT_OUTPUTS if name != "report.html"}
    (out / ".outputs.json").unlink()  # forget the last outputs: rebuild them from the cache
    res = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out), "--quiet", "--no-human",
                                   "--workers", "2"])
    assert res.exit_code in (0, 3)
    for name, data in before.items():
        assert (out / name).read_bytes() == data, name


# --- the real corpus: whose evidence it is (own documents apart from mentions) -----------

EUHEMC_SENTENCE = "A learner from Spain presents an EUHEMC to a German employer"


def _all_quotes(row: pd.Series) -> list[str]:
    """Every quote a country's row shows: the per-label quotes and the fact-sheet lines."""
    quotes = [q["quote"] for label in LABELS for q in row[f"{label}_quotes"]]
    return quotes + [str(row[c]) for c in row.index if c.startswith("fs_") and c.endswith("_quote")]


@pytest.mark.slow
@requires_shared
def test_original_corpus_eu_sentence_about_a_german_employer_is_a_mention(original_run):
    """The EUHEMC sentence of an EU document is EU evidence; DE and ES see it only from
    elsewhere (country_mentions, the card's separate part), never in their fact sheets."""
    _, out, _ = original_run
    summary = pd.read_parquet(out / "country_summary.parquet").set_index("country")
    segments = pd.read_parquet(out / "segments.parquet")
    euhemc = segments[segments["text"].str.contains(EUHEMC_SENTENCE, regex=False)]
    assert len(euhemc) >= 1 and set(euhemc["doc_country"]) == {"EU"}
    ids = set(euhemc["segment_id"])
    for country in ("DE", "ES"):
        assert not any(EUHEMC_SENTENCE in q for q in _all_quotes(summary.loc[country])), country
        fact_sheet = " ".join(str(v) for c, v in summary.loc[country].items() if c.startswith("fs_"))
        assert EUHEMC_SENTENCE not in fact_sheet
    mentions = pd.read_parquet(out / "country_mentions.parquet")
    mentioned = mentions[mentions["segment_id"].isin(ids)]
    assert {"DE", "ES"} <= set(mentioned["country"]) and set(mentioned["doc_country"]) == {"EU"}
    html = (out / "report.html").read_text()
    for country in ("DE", "ES"):
        card = html[html.index(f'id="country-{country}"'):]
        card = card[:card.index("</article>")]
        own_part, _, elsewhere = card.partition('class="elsewhere"')
        assert "EUHEMC to a German employer" in elsewhere, country
        assert "EUHEMC" not in own_part, country


@pytest.mark.slow
@requires_shared
def test_original_corpus_levels_come_from_own_documents(original_run):
    """DE's NQF levels are those of German documents' segments (never the Irish page's NFQ)."""
    _, out, _ = original_run
    summary = pd.read_parquet(out / "country_summary.parquet").set_index("country")
    segments = pd.read_parquet(out / "segments.parquet")
    for country in summary.index:
        own = segments[segments["doc_country"] == country]
        expected = sorted({(lv["framework"], int(lv["level"])) for levels in own["nqf_levels"]
                           for lv in levels})
        got = [(lv["framework"], int(lv["level"])) for lv in summary.loc[country, "nqf_levels"]]
        assert got == expected, country
    assert not any(lv["framework"] == "NFQ" for lv in summary.loc["DE", "nqf_levels"])


@pytest.mark.slow
@requires_shared
def test_original_corpus_one_row_per_country_with_own_documents(original_run):
    """documents = the MANIFEST's own documents per country; countries only written about
    (AU, NZ, IS, LI, CH, UA here) have no row but their country_mentions."""
    from collections import Counter

    corpus, out, _ = original_run
    documents = pd.read_parquet(out / "documents.parquet")
    failed = Counter(documents.loc[documents["status"] == "failed", "country"])
    manifest = Counter(c for c in manifest_countries(corpus) if c not in NO_COUNTRY)
    summary = pd.read_parquet(out / "country_summary.parquet").set_index("country")
    assert {c: n - failed[c] for c, n in manifest.items() if n > failed[c]} == dict(summary["documents"])
    assert "XX" not in summary.index and "NO" in summary.index  # NO: the Norwegian laws
    mentions = pd.read_parquet(out / "country_mentions.parquet")
    named_only = {"AU", "NZ", "IS", "LI", "CH", "UA"}
    assert not named_only & set(summary.index)
    # A country is in country_mentions exactly when a labelled segment of another country's
    # document names it (or sits under a heading naming it).
    segments = pd.read_parquet(out / "segments.parquet")
    attributed = {c for seg in segments.itertuples(index=False) if len(seg.labels)
                  for c in {*seg.countries_named, *seg.countries} if c != seg.doc_country}
    assert set(mentions["country"]) == attributed
    # The Irish recognition page compares an Australian degree with an Irish one (nqf).
    assert "AU" in set(mentions["country"]), set(mentions["country"])
    assert (mentions["country"] != mentions["doc_country"]).all()
    # Every country a mention names without own documents has none in the MANIFEST either.
    assert not (set(mentions["country"]) - set(summary.index)) & set(manifest)
    # Mention quotes are evidence rows (hence verbatim on their page, as tested above).
    evidence = pd.read_parquet(out / "evidence.parquet").drop_duplicates("segment_id").set_index("segment_id")
    for row in mentions.itertuples(index=False):
        assert evidence.loc[row.segment_id, "quote"] == row.quote
        assert row.country in evidence.loc[row.segment_id, "mentioned_countries"]


def test_a_changed_annotation_store_rebuilds_the_outputs(fake_pipeline, tmp_path):
    """The store's files stand for its labels in the outputs' fingerprint: unchanged, kept; added to, rebuilt."""
    from mctext.annotate.store import KIND_HUMAN, append_annotations

    seg = next(s for r in sample_results() for s in r.segments if s.text == "Module sind stapelbar.")
    store_dir, out = tmp_path / "store", tmp_path / "o"
    append_annotations(store_dir, [{"segment_id": seg.id, "driver_types": [], "source_file": "t.csv",
                                    "source_sha256": "ab" * 32, "labels": ["nqf"], "annotator": "ann1",
                                    "kind": KIND_HUMAN, "timestamp": "2026-01-01T00:00:00Z"}], "ab" * 32)
    runner.run(tmp_path, out, progress=False, annotations_dir=store_dir)
    stamps = _stamps(out)
    runner.run(tmp_path, out, progress=False, annotations_dir=store_dir)
    assert _stamps(out) == stamps
    append_annotations(store_dir, [{"segment_id": seg.id, "driver_types": [], "source_file": "u.csv",
                                    "source_sha256": "cd" * 32, "labels": ["validation"], "annotator": "ann1",
                                    "kind": KIND_HUMAN, "timestamp": "2026-01-02T00:00:00Z"}], "cd" * 32)
    runner.run(tmp_path, out, progress=False, annotations_dir=store_dir)
    assert all(stamps[name] != after for name, after in _stamps(out).items())
    ev = pd.read_parquet(out / "evidence.parquet")
    assert ev[ev["segment_id"] == seg.id][["label", "source"]].values.tolist() == [["validation", "human"]]
