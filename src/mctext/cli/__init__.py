"""The `mctext` command: one typer app, one module per group of commands.

Each command is a thin function over the Python API (``mctext.api``); nothing is
reachable only from here. Heavy imports happen inside commands so `--help` is instant.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="mctext",
    help="Evidence about micro-credentials from European policy documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from mctext.cli import annotate, classify, cues, ingest, query, run  # noqa: E402

for _module in (ingest, classify, run, query, annotate, cues):
    _module.register(app)


def main() -> None:
    app()
