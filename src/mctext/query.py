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

OUTPUTS_DIR = Path("outputs")  # where `mctext query` looks for a run when --db is not given
DB_NAME = "evidence.duckdb"
CELL_WIDTH = 80  # table output cuts longer cells with an ellipsis (--width)
ELLIPSIS = "\u2026"
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


def find_runs(outputs: Path = OUTPUTS_DIR) -> list[Path]:
    """Run folders under ``outputs`` (itself, or one level down) holding an evidence.duckdb."""
    found = [outputs / DB_NAME, *sorted(outputs.glob(f"*/{DB_NAME}"))]
    return [p.parent for p in found if p.is_file()]


def resolve_db(db: str | Path | None = None, outputs: Path = OUTPUTS_DIR) -> Path:
    """The database to open: ``db`` as a .duckdb file or a run folder; without ``db``, the
    one run under ``outputs`` (an error naming the runs when there are none or several)."""
    if db is not None:
        path = Path(db)
        if path.is_dir():
            if not (path / DB_NAME).is_file():
                raise QueryError(f"no {DB_NAME} in {path} (is it the --out folder of a finished "
                                 f"`mctext run`?)")
            return path / DB_NAME
        if not path.is_file():
            raise QueryError(f"database not found: {path} (give a run folder or its {DB_NAME}; "
                             f"`mctext run CORPUS --out DIR` makes one)")
        return path
    runs = find_runs(outputs)
    if len(runs) == 1:
        return runs[0] / DB_NAME
    if not runs:
        raise QueryError(f"no run found under {outputs}/: give --db RUN_FOLDER (or run "
                         f"`mctext run CORPUS --out {outputs}/NAME` first)")
    raise QueryError(f"{len(runs)} runs under {outputs}/ ({', '.join(str(r) for r in runs)}): "
                     f"choose one with --db RUN_FOLDER")


def query(sql: str, db: str | Path | None = None) -> pd.DataFrame:
    """Run one read-only statement on ``db`` (a run folder or its evidence.duckdb; None:
    the single run under ./outputs/) and return its result as a DataFrame."""
    import duckdb

    check_read_only(sql)
    path = resolve_db(db)
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


def _cell(value: object, width: int) -> str:
    """One table cell on one line: a multi-line text cut at its first line break, a long
    one at ``width``, both marked with an ellipsis."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    first, _, rest = text.partition("\n")
    if 0 < width < len(first):
        return first[:width - 1] + ELLIPSIS
    return first + (" " + ELLIPSIS if rest else "")


def format_table(df: pd.DataFrame, width: int = CELL_WIDTH) -> str:
    """A result as a plain-text table: text left-aligned, numbers right-aligned, nested
    values as JSON, every cell on one line (long or multi-line cells end in an ellipsis;
    ``width`` 0: no cut at a length)."""
    from mctext.store import flatten_nested

    if len(df) == 0:
        return f"(no rows; columns: {', '.join(map(str, df.columns))})"
    flat = flatten_nested(df)
    columns = []
    for name in flat.columns:
        numeric = pd.api.types.is_numeric_dtype(flat[name]) and not pd.api.types.is_bool_dtype(flat[name])
        cells = [_cell(str(name), width)] + [_cell(v, width) for v in flat[name].tolist()]
        size = max(len(c) for c in cells)
        columns.append([c.rjust(size) if numeric else c.ljust(size) for c in cells])
    return "\n".join("  ".join(row).rstrip() for row in zip(*columns, strict=True))


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

