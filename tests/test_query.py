"""`mctext query`: read-only SQL, DataFrames back, exports, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from evidence_factory import sample_results
from mctext import store
from mctext.cli import app
from mctext.evidence import build_tables
from mctext.query import QueryError, check_read_only, export, format_table, query, resolve_db
from mctext.schemas import VIEWS


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("run") / "evidence.duckdb"
    store.write_duckdb(build_tables(sample_results()).as_dict(), path, views=VIEWS)
    return path


def test_returns_dataframe(db):
    df = query("SELECT country, microcredential_segments FROM country_summary ORDER BY country",
               db=db)
    assert isinstance(df, pd.DataFrame)
    assert df.to_dict("records")[0] == {"country": "DE", "microcredential_segments": 3}


@pytest.mark.parametrize("sql", [
    "WITH x AS (SELECT * FROM evidence) SELECT count(*) FROM x",
    "SHOW TABLES", "DESCRIBE evidence", "SUMMARIZE documents", "EXPLAIN SELECT 1",
    "PRAGMA table_info('segments')", "FROM evidence_by_country_label",
])
def test_reads_are_allowed(db, sql):
    assert len(query(sql, db=db)) > 0


WRITES = [
    ("INSERT INTO documents (doc_id) VALUES ('x')", "INSERT"),
    ("UPDATE evidence SET score = 1", "UPDATE"),
    ("DELETE FROM evidence", "DELETE"),
    ("CREATE TABLE t AS SELECT 1", "CREATE"),
    ("DROP TABLE evidence", "DROP"),
    ("COPY evidence TO '/tmp/mctext-leak.csv'", "COPY"),
    ("ATTACH '/tmp/other.duckdb' AS other", "ATTACH"),
    ("WITH x AS (SELECT 1) INSERT INTO documents (doc_id) SELECT 'x' FROM x", "INSERT"),
    ("ALTER TABLE evidence ADD COLUMN y INT", "ALTER"),
    ("INSTALL httpfs", "LOAD"),
    ("SET threads = 1", "SET"),
    ("EXPORT DATABASE '/tmp/mctext-export'", "EXPORT"),
    ("SELECT 1; DROP TABLE evidence", "one statement"),
    ("PRAGMA enable_profiling", "PRAGMA"),
]


@pytest.mark.parametrize(("sql", "named"), WRITES)
def test_writes_are_refused_with_a_clear_message(db, sql, named):
    before = db.read_bytes()
    with pytest.raises(QueryError) as info:
        query(sql, db=db)
    message = str(info.value)
    assert named in message
    assert "\n" not in message
    assert db.read_bytes() == before
    assert len(query("SELECT * FROM evidence", db=db)) > 0


def test_database_is_opened_read_only_even_past_the_check(db, monkeypatch):
    """Second lock: with the statement check switched off, DuckDB still refuses."""
    import mctext.query as q

    monkeypatch.setattr(q, "check_read_only", lambda sql: None)
    with pytest.raises(QueryError, match="read-only|read only"):
        query("DELETE FROM evidence", db=db)
    with pytest.raises(QueryError):
        query("SELECT * FROM read_csv('/etc/hostname')", db=db)


def test_parse_error_and_missing_db(tmp_path, db):
    with pytest.raises(QueryError, match="cannot parse"):
        check_read_only("SELEC nothing")
    with pytest.raises(QueryError, match="database not found"):
        query("SELECT 1", db=tmp_path / "none.duckdb")
    with pytest.raises(QueryError, match="no_such_table"):
        query("SELECT * FROM no_such_table", db=db)


@pytest.mark.parametrize("ext", ["csv", "parquet", "xlsx", "json"])
def test_exports(db, tmp_path, ext):
    df = query("SELECT segment_id, label, quote, mentioned_countries AS countries, page FROM evidence "
               "ORDER BY segment_id, label", db=db)
    path = export(df, tmp_path / f"out.{ext}")
    back = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel,
            "json": pd.read_json}[ext](path)
    assert list(back["quote"]) == list(df["quote"])
    assert list(back["page"]) == list(df["page"])
    countries = back["countries"].iloc[0]
    if ext in ("csv", "xlsx"):
        countries = json.loads(countries)
    assert list(countries) == list(df["countries"].iloc[0])


def test_export_refuses_unknown_extension(db, tmp_path):
    with pytest.raises(QueryError, match=r"\.xlsx"):
        export(pd.DataFrame({"a": [1]}), tmp_path / "out.docx")


def test_cli(db, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["query", "SELECT country FROM country_summary ORDER BY 1",
                              "--db", str(db), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == ["country", "DE", "EU", "FR"]
    res = runner.invoke(app, ["query", "SELECT country FROM country_summary ORDER BY 1",
                              "--db", str(db), "--format", "json"])
    assert json.loads(res.stdout)[0] == {"country": "DE"}
    res = runner.invoke(app, ["query", "SELECT * FROM drivers_by_country", "--db", str(db)])
    assert res.exit_code == 0 and "labour_market" in res.stdout
    res = runner.invoke(app, ["query", "DROP TABLE evidence", "--db", str(db)])
    assert res.exit_code == 1
    assert "read-only" in res.stderr and "Traceback" not in res.output
    out = tmp_path / "summary.xlsx"
    res = runner.invoke(app, ["query", "SELECT * FROM country_summary", "--db", str(db),
                              "--output", str(out)])
    assert res.exit_code == 0 and len(pd.read_excel(out)) == 3


def test_db_is_a_run_folder_or_a_file(db, tmp_path):
    assert resolve_db(db.parent) == db and resolve_db(db) == db
    assert len(query("SELECT * FROM country_summary", db=db.parent)) == 3
    with pytest.raises(QueryError, match="no evidence.duckdb in"):
        resolve_db(tmp_path)


def test_without_db_the_single_run_under_outputs(db, tmp_path, monkeypatch):
    import shutil

    monkeypatch.chdir(tmp_path)
    with pytest.raises(QueryError, match="no run found under outputs/"):
        resolve_db()
    (tmp_path / "outputs" / "demo").mkdir(parents=True)
    shutil.copy(db, tmp_path / "outputs" / "demo" / "evidence.duckdb")
    assert resolve_db() == Path("outputs") / "demo" / "evidence.duckdb"
    res = CliRunner().invoke(app, ["query", "SELECT count(*) AS n FROM country_summary"])
    assert res.exit_code == 0 and res.stdout.split() == ["n", "3"]
    (tmp_path / "outputs" / "other").mkdir()
    shutil.copy(db, tmp_path / "outputs" / "other" / "evidence.duckdb")
    res = CliRunner().invoke(app, ["query", "SELECT 1"])
    assert res.exit_code == 1
    assert "2 runs under outputs/" in res.stderr and "outputs/demo" in res.stderr
    assert "outputs/other" in res.stderr and "--db" in res.stderr


def test_table_output_is_left_aligned_and_one_line_per_row():
    df = pd.DataFrame({"country": ["DE", "EU"], "n": [5, 12],
                       "quote": ["short", "first line\nsecond line " + "x" * 100],
                       "levels": [[{"framework": "DQR", "level": 5}], []]})
    lines = format_table(df, width=30).splitlines()
    assert len(lines) == 3
    assert lines[0].split() == ["country", "n", "quote", "levels"]
    assert lines[1].startswith("DE        5  short ")  # text left, numbers right
    assert lines[2].startswith("EU       12  first line \u2026")
    assert "second" not in lines[2] and lines[1].endswith("\u2026")
    long = format_table(pd.DataFrame({"q": ["y" * 100]}), width=30).splitlines()[1]
    assert long == "y" * 29 + "\u2026"
    assert format_table(pd.DataFrame({"a": []})) == "(no rows; columns: a)"


def test_version_and_short_help():
    from mctext import __version__

    runner = CliRunner()
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"mctext {__version__}"
    for args in (["-h"], ["query", "-h"], ["run", "-h"], ["annotate", "-h"], ["annotate", "export", "-h"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and "Usage:" in res.stdout, args


def test_columns_are_analyst_friendly(db):
    """One key name, no reserved words, nested values as real list/struct types."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        types = {(t, c): ty for t, c, ty in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns").fetchall()}
        reserved = {w for (w,) in con.execute(
            "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'").fetchall()}
    finally:
        con.close()
    assert ("segments", "segment_id") in types and ("evidence", "segment_id") in types
    assert ("segments", "id") not in types
    assert not {c for (_t, c) in types} & reserved
    assert types["segments", "cues"].startswith("STRUCT(")
    assert types["segments", "nqf_levels"].startswith("STRUCT(") and types["segments", "labels"] == "VARCHAR[]"
    for column in ("top_driver_types", "nqf_levels", "microcredential_quotes"):
        assert types["country_summary", column].endswith("[]"), column
    assert query("SELECT char_end FROM evidence LIMIT 1", db=db)["char_end"].iloc[0] > 0


def test_evidence_country_agrees_with_the_views_and_the_summary(db):
    """GROUP BY country on evidence, the view (over segment_countries) and country_summary
    give the same counts; mentions are the other attributions of segment_countries."""
    by_evidence = query("SELECT country, label, count(DISTINCT segment_id) AS n FROM evidence "
                        "WHERE country <> 'XX' GROUP BY ALL ORDER BY ALL", db=db)
    by_view = query("SELECT country, label, segments AS n FROM evidence_by_country_label "
                    "ORDER BY ALL", db=db)
    pd.testing.assert_frame_equal(by_evidence, by_view)
    summary = query("SELECT * FROM country_summary", db=db).set_index("country")
    for row in by_view.itertuples(index=False):
        assert summary.loc[row.country, f"{row.label}_segments"] == row.n
    mentions = query("SELECT sc.country, e.doc_id, e.label, count(*) AS n FROM evidence e "
                     "JOIN segment_countries sc USING (segment_id) WHERE sc.attribution <> 'document' "
                     "GROUP BY ALL ORDER BY ALL", db=db)
    table = query("SELECT country, doc_id, label, segments AS n FROM country_mentions "
                  "ORDER BY ALL", db=db)
    pd.testing.assert_frame_equal(mentions, table)
