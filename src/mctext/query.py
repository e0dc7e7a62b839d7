"""Read-only SQL over a run's ``evidence.duckdb``, returning pandas DataFrames.

Two locks keep it read-only: statements other than reads are refused before they
reach DuckDB (with a message that says why), and the database is opened with
``read_only=True`` and external file access disabled (no COPY TO, no ATTACH, no
reading other files), so even a statement that slips past the first check cannot write.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from mctext.errors import MctextError

DEFAULT_DB = Path("outputs") / "evidence.duckdb"
ALLOWED = "SELECT, WITH ... SELECT, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN and read-only PRAGMA"
# PRAGMAs that only report; any other PRAGMA may change settings and is refused.
READ_PRAGMAS = frozenset({
    "table_info", "show_tables", "show_tables_expanded", "database_size", "database_list",
    "storage_info", "version", "show", "functions", "collations", "metadata_info",
    "platform", "user_agent",
})
EXPORT_FORMATS = ("csv", "parquet", "xlsx", "json")


class QueryError(MctextError):
    """A refused or failed query; the message is the one-line reason."""


def check_read_only(sql: str) -> None:
    """Refuse anything but one read statement, naming what was refused."""
    import duckdb

    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"cannot parse SQL: {str(exc).splitlines()[0]}") from exc
    if not statements:
        raise QueryError("no SQL statement given")
    if len(statements) > 1:
        raise QueryError(f"one statement at a time, got {len(statements)}")
    statement = statements[0]
    kind = statement.type.name
    if kind in ("SELECT", "EXPLAIN"):
        return
    if kind == "PRAGMA":
        match = re.match(r"\s*pragma\s+([a-z_]+)", statement.query, re.IGNORECASE)
        if match and match.group(1).lower() in READ_PRAGMAS:
            return
        raise QueryError(f"refused: mctext query is read-only and this PRAGMA may change "
                         f"settings (allowed: {', '.join(sorted(READ_PRAGMAS))})")
    raise QueryError(f"refused: mctext query is read-only; a {kind} statement would write or "
                     f"change the database (allowed: {ALLOWED})")


def query(sql: str, db: str | Path = DEFAULT_DB) -> pd.DataFrame:
    """Run one read-only statement on ``db`` and return its result as a DataFrame."""
    import duckdb

    check_read_only(sql)
    path = Path(db)
    if not path.is_file():
        raise QueryError(f"database not found: {path} (run `mctext run CORPUS --out DIR` first)")
    try:
        con = duckdb.connect(str(path), read_only=True,
                             config={"enable_external_access": False})
    except duckdb.Error as exc:
        raise QueryError(f"cannot open {path}: {str(exc).splitlines()[0]}") from exc
    try:
        return con.execute(sql).df()
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from exc
    finally:
        con.close()


def export(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a query result; the format follows the extension (.csv, .parquet, .xlsx, .json)."""
    from mctext import store

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "csv":
        return store.write_csv(df, path)
    if fmt == "parquet":
        return store.write_parquet(df, path)
    if fmt == "xlsx":
        return store.write_xlsx(df, path)
    if fmt == "json":
        return store.write_text(df.to_json(orient="records", force_ascii=False, indent=1), path)
    raise QueryError(f"cannot export to {path.name}: use one of "
                     f"{', '.join('.' + f for f in EXPORT_FORMATS)}")

