"""schemas.py is the one place for columns: the README's table and the written types follow it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from evidence_factory import sample_results
from mctext import store
from mctext.evidence import build_tables
from mctext.schemas import (
    COLUMNS,
    README_END,
    README_START,
    TABLES,
    VIEW_COLUMNS,
    VIEWS,
    readme_section,
)

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_schema_table_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    start = text.index(README_START)
    end = text.index(README_END) + len(README_END)
    assert text[start:end] == readme_section(), (
        "README schema table is stale: run `python -m mctext.schemas --write README.md`")


def test_every_column_has_a_meaning_and_one_name():
    for table, cols in TABLES.items():
        assert [c.name for c in cols] == COLUMNS[table]
        assert len(set(COLUMNS[table])) == len(COLUMNS[table]), table
        assert all(c.meaning.strip() for c in cols), table
    assert "id" not in COLUMNS["segments"] and "segment_id" in COLUMNS["evidence"]


def test_duckdb_types_are_the_documented_ones(tmp_path):
    path = tmp_path / "evidence.duckdb"
    store.write_duckdb(build_tables(sample_results()).as_dict(), path, views=VIEWS)
    con = duckdb.connect(str(path), read_only=True)
    try:
        got = {(t, c): ty.replace('"', "") for t, c, ty in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns").fetchall()}
    finally:
        con.close()
    for table, cols in TABLES.items():
        for col in cols:
            assert got[table, col.name] == col.type, (table, col.name)
    assert set(VIEW_COLUMNS) == set(VIEWS)
    for view, cols in VIEW_COLUMNS.items():
        names = [name for (t, name) in got if t == view]
        documented = [c.name for c in cols if c.name != "..."]
        if cols[0].name == "...":  # every column of a table, then the documented ones
            names = names[-len(documented):]
        assert names == documented, view
        for col in cols:
            if col.name != "...":
                assert got[view, col.name] == col.type, (view, col.name)
