"""Atomic writes: a crash or SIGKILL mid-write leaves the old file, never a half file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from evidence_factory import sample_results
from mctext import store
from mctext.evidence import build_tables
from mctext.runner import VIEWS
from mctext.schemas import COLUMNS


@pytest.fixture
def tables():
    return build_tables(sample_results())


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if store.TMP_MARK in p.name)


def test_failed_write_keeps_old_file_and_no_temp(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old complete file")

    def crash(tmp: Path) -> None:
        tmp.write_text("half of the new fi")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        store.atomic_write(target, crash)
    assert target.read_text() == "old complete file"
    assert leftovers(tmp_path) == []


def test_failed_parquet_write_keeps_old_table(tmp_path, tables, monkeypatch):
    target = tmp_path / "segments.parquet"
    store.write_parquet(tables.segments, target, table="segments")
    before = target.read_bytes()

    import pyarrow.parquet

    def half_then_crash(table, where, **kwargs):
        Path(where).write_bytes(b"PAR1 half")
        raise OSError("killed")

    monkeypatch.setattr(pyarrow.parquet, "write_table", half_then_crash)
    with pytest.raises(OSError):
        store.write_parquet(tables.segments.head(1), target, table="segments")
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == []


SLOW_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from mctext import store

    def slow(tmp: Path) -> None:
        with tmp.open("w") as fh:
            for i in range(10_000):
                fh.write("new line %d\\n" % i)
                fh.flush()
                if i == 10:
                    print("writing", flush=True)
                time.sleep(0.01)

    store.atomic_write(Path(sys.argv[1]), slow)
""")


def test_sigkill_mid_write_leaves_old_file(tmp_path):
    target = tmp_path / "country_summary.csv"
    target.write_text("country\nDE\n")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text() == "country\nDE\n"
    stale = leftovers(tmp_path)
    assert len(stale) == 1 and stale[0].startswith(".country_summary.csv")  # hidden, not final
    assert [p.name for p in store.remove_stale_tmp(tmp_path)] == stale
    assert leftovers(tmp_path) == []


def test_parquet_is_typed_and_byte_identical(tmp_path, tables):
    for name in COLUMNS:
        a, b = tmp_path / f"{name}.a.parquet", tmp_path / f"{name}.b.parquet"
        store.write_parquet(getattr(tables, name), a, table=name)
        store.write_parquet(getattr(tables, name), b, table=name)
        assert a.read_bytes() == b.read_bytes()
        assert pq.read_schema(a).names == COLUMNS[name]
    back = pd.read_parquet(tmp_path / "segments.a.parquet")
    assert len(back) == len(tables.segments)
    assert list(back.iloc[2]["nqf_levels"]) == [{"framework": "DQR", "level": 5}]
    assert list(back.iloc[0]["cues"])[0] == {"label": "microcredential", "cue": "microcredential",
                                             "text": "Quali", "char_start": 0, "char_end": 5}


def test_empty_tables_keep_types(tmp_path):
    empty = build_tables([])
    store.write_parquet(empty.segments, tmp_path / "s.parquet", table="segments")
    schema = pq.read_schema(tmp_path / "s.parquet")
    assert str(schema.field("labels").type) == "list<element: string>"
    store.write_csv(empty.failures, tmp_path / "failures.csv")
    assert (tmp_path / "failures.csv").read_text() == "file,sha256,stage,reason\n"


def test_csv_writes_nested_values_as_json(tmp_path, tables):
    store.write_csv(tables.segments, tmp_path / "segments.csv")
    back = pd.read_csv(tmp_path / "segments.csv")
    assert back.loc[2, "nqf_levels"] == '[{"framework": "DQR", "level": 5}]'


def test_duckdb_built_aside_then_renamed(tmp_path, tables):
    target = tmp_path / "evidence.duckdb"
    target.write_bytes(b"old")
    store.write_duckdb(tables.as_dict(), target, views=VIEWS)
    assert leftovers(tmp_path) == []
    con = duckdb.connect(str(target), read_only=True)
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
                 .fetchall()}
        assert {"documents", "segments", "evidence", "country_mentions", "country_summary", "failures",
                *VIEWS} <= names
        assert con.execute("SELECT count(*) FROM segments").fetchone()[0] == len(tables.segments)
        by_label = con.execute("SELECT segments FROM evidence_by_country_label "
                               "WHERE country = 'EU' AND label = 'microcredential'").fetchone()
        assert by_label == (5,)
        assert con.execute("SELECT framework, level FROM nqf_levels_by_country "
                           "WHERE country = 'EU'").fetchall() == [("EQF", 6)]
        assert con.execute("SELECT driver_type FROM drivers_by_country "
                           "WHERE country = 'DE'").fetchall() == [("labour_market",)]
    finally:
        con.close()


def test_duckdb_failed_build_keeps_old_database(tmp_path, tables):
    target = tmp_path / "evidence.duckdb"
    store.write_duckdb(tables.as_dict(), target)
    before = target.read_bytes()
    with pytest.raises(duckdb.Error):
        store.write_duckdb(tables.as_dict(), target, views={"broken": "SELECT * FROM nowhere"})
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_empty_duckdb_views_work(tmp_path):
    target = tmp_path / "evidence.duckdb"
    store.write_duckdb(build_tables([]).as_dict(), target, views=VIEWS)
    con = duckdb.connect(str(target), read_only=True)
    try:
        for view in VIEWS:
            assert con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)
    finally:
        con.close()
