"""The `mctext` command: one typer app, one module per group of commands.

Each command is a thin function over the Python API (``mctext.api``); nothing is
reachable only from here. Heavy imports happen inside commands so `--help` is instant.
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    name="mctext",
    help="Evidence about micro-credentials from European policy documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from mctext import __version__

        typer.echo(f"mctext {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Evidence about micro-credentials from European policy documents."""


from mctext.cli import annotate, classify, cues, ingest, query, run  # noqa: E402

for _module in (ingest, classify, run, query, annotate, cues):
    _module.register(app)


def main() -> None:
    app()
