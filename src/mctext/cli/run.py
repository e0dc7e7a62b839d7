"""`mctext run CORPUS_DIR --out OUT_DIR`: the whole job, folder in, evidence out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mctext.config import RunConfig  # light: the run limits' defaults


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)


def run_command(
    corpus_dir: Annotated[Path, typer.Argument(help="Folder of documents (searched recursively).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the tables, database and report.")],
    workers: Annotated[int, typer.Option("--workers", "-w", help="Worker processes (0: all cores).")] = 0,
    executor: Annotated[str, typer.Option("--executor", help="local or dask.")] = "local",
    scheduler: Annotated[str, typer.Option("--scheduler", help="Dask scheduler address (with --executor dask).")] = "",
    ship: Annotated[str, typer.Option(
        "--ship", help="With dask: send each file's bytes, or 'path' when the workers see the corpus at the same path.")] = "bytes",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per document.")] = RunConfig.timeout_s,
    memory_limit: Annotated[int, typer.Option(
        "--memory-limit", help="MB allowed per worker process.")] = RunConfig.memory_limit_mb,
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="Do not OCR image-only pages.")] = False,
    annotations: Annotated[Path | None, typer.Option(
        "--annotations", help="Annotation store whose human labels win (default: the project's).")] = None,
    no_human: Annotated[bool, typer.Option("--no-human", help="Ignore human labels: model only.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    lexicon: Annotated[Path | None, typer.Option(
        "--lexicon", help="Your own cues (YAML, see `mctext cues suggest`), added to the codebook's.")] = None,
) -> None:
    """Extract, segment, classify and aggregate every document; exit 0 all ok, 3 some failed or left pages unread."""
    from mctext.config import ANNOTATIONS_DIR
    from mctext.errors import MctextError
    from mctext.runner import run

    if executor not in ("local", "dask"):
        _usage(f"--executor must be local or dask, not {executor!r}")
    if ship not in ("bytes", "path"):
        _usage(f"--ship must be bytes or path, not {ship!r}")
    if executor == "dask" and not scheduler:
        _usage("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    if workers < 0 or timeout <= 0 or memory_limit <= 0:
        _usage("--workers must be >= 0, --timeout and --memory-limit > 0")
    if not corpus_dir.is_dir():
        _usage(f"corpus folder not found: {corpus_dir}")
    cfg = RunConfig(executor=executor, scheduler=scheduler, ship=ship, timeout_s=timeout,
                    memory_limit_mb=memory_limit, ocr=not no_ocr)
    if workers:
        cfg.workers = workers
    try:
        if lexicon is not None:
            from mctext.lexicon import read_lexicon

            cfg.lexicon = read_lexicon(lexicon).text
        store_dir = None if no_human else (annotations or ANNOTATIONS_DIR)
        summary = run(corpus_dir, out, cfg, progress=not quiet, annotations_dir=store_dir)
    except MctextError as exc:
        _usage(str(exc))
    typer.echo(f"{summary.documents} documents ({summary.failed} failed, {summary.incomplete} incomplete), "
               f"{summary.segments} "
               f"segments, {summary.evidence} evidence rows, {len(summary.countries)} countries "
               f"in {summary.seconds:.1f} s")
    typer.echo(f"report: {summary.outputs['report']}")
    typer.echo(f"tables: {out}/ (query: mctext query \"SELECT ...\" --db {summary.outputs['duckdb']})")
    if summary.failed or summary.incomplete:
        typer.echo(f"failures: {summary.outputs['failures']}", err=True)
    raise typer.Exit(summary.exit_code)


def _usage(reason: str) -> None:
    typer.echo(f"mctext run: {reason}", err=True)
    raise typer.Exit(2)
