"""`mctext query`: read-only SQL, DataFrames back, exports, clear refusals."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from evidence_factory import sample_results
from mctext import store
from mctext.cli import app
from mctext.evidence import build_tables
from mctext.query import QueryError, check_read_only, export, query
from mctext.runner import VIEWS


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("run") / "evidence.duckdb"
    store.write_duckdb(build_tables(sample_results()).as_dict(), path, views=VIEWS)
    return path


def test_returns_dataframe(db):
    df = query("SELECT country, microcredential_segments FROM country_summary ORDER BY country",
               db=db)
    assert isinstance(df, pd.DataFrame)
    assert df.to_dict("records")[0] == {"country": "DE", "microcredential_segments": 2}


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
    df = query("SELECT segment_id, label, quote, countries, page FROM evidence "
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
    assert res.stdout.splitlines() == ["country", "DE", "EU", "FI", "FR", "NL"]
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
    assert res.exit_code == 0 and len(pd.read_excel(out)) == 5
