"""`mctext annotate export|import|agreement|adjudicate|reanchor`: thin commands over mctext.annotate."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from mctext.config import ANNOTATIONS_DIR
from mctext.errors import MctextError

annotate_app = typer.Typer(help="Annotate: export tasks, import corrections, agreement, adjudication.",
                           no_args_is_help=True)

Store = Annotated[Path, typer.Option("--store", help="The append-only annotation store.")]
Format = Annotated[str, typer.Option("--format", help="labelstudio | doccano | csv")]
Out = Annotated[Path, typer.Option("--out", help="Task file to write.")]


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(1)


def _export(run_dir: Path, out: Path, fmt: str, select: str, n: int, lang: str | None, country: str | None,
            seed: int, store: Path, blind: bool = False, ids_file: Path | None = None) -> None:
    from mctext.annotate import export_run

    try:
        ids = None
        if ids_file is not None:
            if not ids_file.is_file():
                raise MctextError(f"--ids {ids_file}: no such file")
            ids = [line.strip() for line in ids_file.read_text(encoding="utf-8").splitlines() if line.strip()]
        result = export_run(run_dir, out, fmt, select=select, n=n, seed=seed, lang=lang, country=country,
                            store_dir=store, blind=blind, ids=ids)
    except MctextError as exc:
        _fail(exc)
    typer.echo(f"{result.segments} segments -> {', '.join(str(f) for f in result.files)}")


@annotate_app.command("export")
def export(
    run_dir: Annotated[Path, typer.Option("--from", help="Output folder of a finished `mctext run`.")],
    out: Out,
    fmt: Format = "labelstudio",
    select: Annotated[str, typer.Option("--select", help="random | uncertain | disagreement | label=X")] = "random",
    n: Annotated[int, typer.Option("--n", help="How many segments.")] = 50,
    lang: Annotated[str | None, typer.Option("--lang", help="Only segments in this language.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Only segments about this country.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for the selection.")] = 0,
    store: Store = ANNOTATIONS_DIR,
    blind: Annotated[bool, typer.Option("--blind", help="No model labels in the tasks (first-pass labelling).")] = False,
    ids: Annotated[Path | None, typer.Option("--ids", help="Export exactly the segment ids in this file (one a line).")] = None,
) -> None:
    """Write annotation tasks for selected segments of a run."""
    _export(run_dir, out, fmt, select, n, lang, country, seed, store, blind, ids)


@annotate_app.command("adjudicate")
def adjudicate(
    run_dir: Annotated[Path, typer.Option("--from", help="Output folder of the run the annotations are about.")],
    out: Out,
    fmt: Format = "labelstudio",
    n: Annotated[int, typer.Option("--n", help="At most this many disagreements.")] = 1000,
    store: Store = ANNOTATIONS_DIR,
) -> None:
    """Export the unresolved disagreements for an adjudicator (import the result with --adjudication)."""
    _export(run_dir, out, fmt, "disagreement", n, None, None, 0, store)


@annotate_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="Label Studio JSON export, doccano JSONL or mctext CSV.")],
    annotator: Annotated[str | None, typer.Option("--annotator", help="Who annotated (unless the file says).")] = None,
    store: Store = ANNOTATIONS_DIR,
    run_dir: Annotated[Path | None, typer.Option("--from", help="Run output the segments come from.")] = None,
    adjudication: Annotated[bool, typer.Option("--adjudication", help="Store as adjudicated: the final label.")] = False,
) -> None:
    """Validate a whole annotation file and append it to the store (refused whole on any fault)."""
    from mctext.annotate import import_file

    try:
        result = import_file(file, store_dir=store, annotator=annotator, adjudication=adjudication, run_dir=run_dir)
    except MctextError as exc:
        typer.echo(f"refused, nothing stored: {exc}", err=True)
        raise typer.Exit(1) from None
    where = f" -> {result.file}" if result.file else ""
    undecided = (f", {result.undecided} left undecided (blank or unchanged: nothing stored for them)"
                 if result.undecided else "")
    typer.echo(f"{result.format}: {result.read} annotations read, {result.stored} stored, "
               f"{result.already_stored} already stored{undecided}{where}")


def _fmt(x: float | None) -> str:
    return "-" if x is None else "n/a" if math.isnan(x) else f"{x:.3f}"


@annotate_app.command("agreement")
def agreement(store: Store = ANNOTATIONS_DIR,
              limit: Annotated[int, typer.Option("--limit", help="Disagreements to list.")] = 50) -> None:
    """Per label: Cohen's kappa (two annotators) and Krippendorff's alpha, and the disagreements."""
    from mctext.annotate import agreement_report

    report = agreement_report(store)
    if not report.shared_segments:
        typer.echo("no segment has been labelled by two or more annotators yet")
        return
    typer.echo(f"annotators: {', '.join(report.annotators)}; shared segments: {report.shared_segments}")
    typer.echo(f"{'label':<16} {'n':>5} {'kappa':>7} {'alpha':>7}")
    for la in report.labels:
        typer.echo(f"{la.label:<16} {la.segments:>5} {_fmt(la.kappa):>7} {_fmt(la.alpha):>7}")
    open_ = [d for d in report.disagreements if not d.adjudicated]
    typer.echo(f"disagreements: {len(report.disagreements)} ({len(open_)} not adjudicated)")
    for d in report.disagreements[:limit]:
        done = " [adjudicated]" if d.adjudicated else ""
        choices = "; ".join(f"{name}: {', '.join(c) or '(none)'}" for name, c in d.by_annotator.items())
        typer.echo(f"  {d.segment_id}{done}  {d.quote[:70]!r}  {choices}")


@annotate_app.command("reanchor")
def reanchor_(
    run_dir: Annotated[Path, typer.Option("--from", help="Output folder of the new run (re-extracted documents).")],
    store: Store = ANNOTATIONS_DIR,
) -> None:
    """Re-attach stored annotations to the new run's segments by quote + prefix/suffix."""
    from mctext.annotate import reanchor

    try:
        report = reanchor(store, run_dir)
    except MctextError as exc:
        _fail(exc)
    typer.echo(f"{len(report.kept)} unchanged, {len(report.moved)} re-attached, "
               f"{len(report.unanchored)} not re-attached" + (f" -> {report.mapping_file}" if report.mapping_file else ""))
    for m in report.moved:
        typer.echo(f"  moved {m['old_id']} -> {m['new_id']} ({m['method']}, {m['score']})")
    for u in report.unanchored:
        typer.echo(f"  NOT re-attached {u['old_id']}: {u['reason']}  {u['quote'][:70]!r}")


def register(app: typer.Typer) -> None:
    app.add_typer(annotate_app, name="annotate")
