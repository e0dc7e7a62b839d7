"""`mctext query "SQL"`: read-only SQL over a run's evidence.duckdb."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

FORMATS = ("table", "csv", "json")


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)


def query_command(
    sql: Annotated[str, typer.Argument(help="One read-only statement (SELECT, WITH, SHOW, DESCRIBE, ...).")],
    db: Annotated[Path | None, typer.Option(
        "--db", help="A run folder (the --out of `mctext run`) or its evidence.duckdb; default: "
                     "the single run under ./outputs/.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json (to stdout).")] = "table",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to a file instead: .csv, .parquet, .xlsx or .json.")] = None,
    width: Annotated[int | None, typer.Option(
        "--width", help="Table format: cut cells longer than this with an ellipsis (0: never; "
                        "default 80).")] = None,
) -> None:
    """Run SQL on the evidence database (tables documents, segments, evidence,
    country_mentions, country_summary, failures, mc_profiles, actors_by_country,
    sectors_by_country, international_links; views segment_countries,
    evidence_by_country_label, drivers_by_country, nqf_levels_by_country,
    evidence_with_documents)."""
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
    from mctext.query import CELL_WIDTH, format_table
    from mctext.store import flatten_nested

    if fmt == "csv":
        typer.echo(flatten_nested(df).to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        typer.echo(df.to_json(orient="records", force_ascii=False, indent=1))
    else:
        typer.echo(format_table(df, width=CELL_WIDTH if width is None else width))
