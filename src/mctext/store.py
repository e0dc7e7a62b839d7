"""Atomic writes of the run's outputs: Parquet, CSV, DuckDB, HTML.

A reader (or a rerun after a crash or SIGKILL) never sees a half-written file under
its final name: each output is written to a hidden temporary file in the same folder,
flushed to disk, then renamed over the final name with ``os.replace`` (atomic on POSIX
within one file system). A failed write leaves the previous file untouched.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mctext.schemas import COLUMNS, arrow_schema

if TYPE_CHECKING:
    import pandas as pd

TMP_MARK = ".tmp-"


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Run ``write(tmp_path)`` and move the result to ``path`` atomically."""
    with atomic_path(path) as tmp:
        write(tmp)
    return Path(path)


def write_text(text: str, path: str | Path) -> Path:
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def to_arrow(df: pd.DataFrame, table: str | None = None):  # -> pyarrow.Table
    """A DataFrame as an Arrow table, typed by the schema when it is one of ours."""
    import pyarrow as pa

    if table is None:
        return pa.Table.from_pandas(df, preserve_index=False)
    df = df[COLUMNS[table]]
    return pa.Table.from_pandas(df, schema=arrow_schema(table), preserve_index=False)


def write_parquet(df: pd.DataFrame, path: str | Path, table: str | None = None) -> Path:
    import pyarrow.parquet as pq

    data = to_arrow(df, table)
    return atomic_write(path, lambda tmp: pq.write_table(data, tmp, compression="zstd"))


def flatten_nested(df: pd.DataFrame) -> pd.DataFrame:
    """Lists, arrays and dicts as JSON text, for formats whose cells hold scalars."""
    import json

    def cell(value: object) -> object:
        if hasattr(value, "tolist"):
            value = value.tolist()
        if isinstance(value, (list, tuple, dict)):
            return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        return value

    flat = df.copy()
    for column in flat.columns:
        if flat[column].dtype == object:
            flat[column] = flat[column].map(cell)
    return flat


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """CSV with a header even when empty; nested values as JSON text."""
    flat = flatten_nested(df)
    return atomic_write(path, lambda tmp: flat.to_csv(tmp, index=False, encoding="utf-8",
                                                      lineterminator="\n"))


def write_xlsx(df: pd.DataFrame, path: str | Path) -> Path:
    flat = flatten_nested(df)
    return atomic_write(path, lambda tmp: flat.to_excel(tmp, index=False, engine="openpyxl"))


def write_duckdb(tables: Mapping[str, pd.DataFrame], path: str | Path,
                 views: Mapping[str, str] | None = None) -> Path:
    """Build the whole database in a temporary file, then rename it into place.

    Tables named in ``schemas.COLUMNS`` are typed by their Arrow schema, so list and
    struct columns keep their types even when a table is empty.
    """
    import duckdb

    def build(tmp: Path) -> None:
        con = duckdb.connect(str(tmp))
        try:
            for name, df in tables.items():
                con.register("_incoming", to_arrow(df, name if name in COLUMNS else None))
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
                con.unregister("_incoming")
            for name, sql in (views or {}).items():
                con.execute(f'CREATE VIEW "{name}" AS {sql}')
            con.execute("CHECKPOINT")
        finally:
            con.close()

    return atomic_write(path, build)


def remove_stale_tmp(folder: str | Path) -> list[Path]:
    """Delete temporaries left by a write that was killed (they are never read)."""
    removed = []
    for tmp in Path(folder).glob(f".*{TMP_MARK}*"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed
