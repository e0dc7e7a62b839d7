"""`mctext query "SQL"`: read-only SQL over a run's evidence.duckdb."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

FORMATS = ("table", "csv", "json")
DEFAULT_DB = Path("outputs") / "evidence.duckdb"  # same as mctext.query.DEFAULT_DB (not imported: keeps --help fast)


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)


def query_command(
    sql: Annotated[str, typer.Argument(help="One read-only statement (SELECT, WITH, SHOW, DESCRIBE, ...).")],
    db: Annotated[Path, typer.Option("--db", help="The run's evidence.duckdb.")] = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json (to stdout).")] = "table",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to a file instead: .csv, .parquet, .xlsx or .json.")] = None,
) -> None:
    """Run SQL on the evidence database (tables documents, segments, evidence, country_summary)."""
    from mctext.query import QueryError, export, query

    if fmt not in FORMATS:
        typer.echo(f"mctext query: --format must be one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    try:
        df = query(sql, db=db)
        if output is not None:
            export(df, output)
            typer.echo(f"{len(df)} rows written to {output}")
            return
    except QueryError as exc:
        typer.echo(f"mctext query: {exc}", err=True)
        raise typer.Exit(1) from None
    from mctext.store import flatten_nested

    flat = flatten_nested(df)
    if fmt == "csv":
        typer.echo(flat.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        typer.echo(df.to_json(orient="records", force_ascii=False, indent=1))
    elif len(flat) == 0:
        typer.echo(f"(no rows; columns: {', '.join(flat.columns)})")
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", 500, "display.max_columns", 50,
                               "display.width", 200, "display.max_colwidth", 80):
            typer.echo(flat.to_string(index=False))
