"""`mctext cues suggest`: candidate cues from a run, for a researcher to accept or reject."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mctext.errors import MctextError

cues_app = typer.Typer(help="Cues: grow the codebook's cues from what the documents say.", no_args_is_help=True)


@cues_app.command("suggest")
def suggest(
    run_dir: Annotated[Path, typer.Argument(help="Output folder of a finished `mctext run`.")],
    label: Annotated[str, typer.Option("--label", help="The codebook label to find cues for.")],
    top: Annotated[int, typer.Option("--top", help="Candidates per kind.")] = 15,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write all candidates as JSON here.")] = None,
) -> None:
    """Propose cues for LABEL: terms the documents define, co-occurring terms, language gaps."""
    from mctext.classify.suggest import suggest_cues

    try:
        candidates = suggest_cues(run_dir, label, top)
    except MctextError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if not candidates:
        typer.echo(f"no candidates for {label} in {run_dir}")
    kind = ""
    for c in candidates:
        if c.kind != kind:
            kind = c.kind
            typer.echo(f"\n{kind} (term, language, positive segments / other segments, documents)")
        typer.echo(f"  {c.term!r:<40} {c.lang or '?':<3} {c.positives:>4} / {c.others:<5} docs {c.documents:<3}"
                   f" e.g. [{c.examples[0]['segment_id']}] {c.examples[0]['text'][:90]!r}" if c.examples else "")
    if json_out:
        json_out.write_text(json.dumps([c.to_dict() for c in candidates], indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")


def register(app: typer.Typer) -> None:
    app.add_typer(cues_app, name="cues")
