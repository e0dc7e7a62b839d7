"""`mctext classify`, `mctext train`, `mctext evaluate`: the codebook classifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer


def register(app: typer.Typer) -> None:
    app.command("classify")(classify_command)
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)


def _fail(reason: str) -> NoReturn:
    typer.echo(f"mctext: {reason}", err=True)
    raise typer.Exit(1)


def _read_input(path: Path) -> list[dict]:
    from mctext.errors import AnnotationFileError
    from mctext.jsonl import read_jsonl

    def problem(row: dict) -> str | None:
        return None if isinstance(row.get("text"), str) else "each line needs a string 'text' (and an 'id')"

    try:
        return read_jsonl(path, problem)
    except AnnotationFileError as exc:
        _fail(str(exc))


ModelDir = Annotated[Path | None, typer.Option("--model-dir", help="Trained model directory (default models/default).")]


def classify_command(
    input: Annotated[Path, typer.Option("--input", "-i", help="JSONL: id, text, optional lang, country and section.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL: id, labels, scores, driver_types, nqf_levels, countries, cues, model_version, mc_elements, workload, participation_form, actors, sectors, international, actor_roles.")],
    model_dir: ModelDir = None,
    country: Annotated[str, typer.Option("--country", help="Document country (ISO alpha-2) for every line without one.")] = "",
    batch_size: Annotated[int, typer.Option("--batch-size", help="Segments per batch.")] = 1024,
    workers: Annotated[int, typer.Option("--workers", help="Processes (default: up to 2 CPUs; 1 for small inputs).")] = 0,
    lexicon: Annotated[Path | None, typer.Option("--lexicon", help="Your own cues (YAML), added to the codebook's.")] = None,
) -> None:
    """Label each segment by the codebook (rules + trained model) and extract levels and countries."""
    import os

    from mctext.classify import load_classifier
    from mctext.errors import MctextError
    from mctext.lexicon import read_lexicon, use_lexicon

    lexicon_text = ""
    if lexicon is not None:
        try:
            lexicon_text = read_lexicon(lexicon).text
        except MctextError as exc:
            _fail(str(exc))
        use_lexicon(lexicon_text, str(lexicon))
    rows = _read_input(input)
    clf = load_classifier(model_dir)
    batches = [
        [{"id": str(r["id"]), "text": r["text"], "lang": r.get("lang") or None,
          "country": r.get("country") or r.get("doc_country") or country, "section": r.get("section", "")}
         for r in rows[start : start + batch_size]]
        for start in range(0, len(rows), batch_size)
    ]
    n_workers = workers or min(2, os.cpu_count() or 1)
    if len(batches) < 4:
        n_workers = 1  # starting a second process costs more than it saves
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_suffix(output.suffix + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            if n_workers == 1:
                results = (_classify_batch(b, clf) for b in batches)
                for lines in results:
                    fh.writelines(lines)
            else:
                from concurrent.futures import ProcessPoolExecutor

                with ProcessPoolExecutor(n_workers, initializer=_init_worker, initargs=(model_dir, lexicon_text)) as pool:
                    for lines in pool.map(_classify_batch, batches):
                        fh.writelines(lines)
        tmp.replace(output)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})")
    typer.echo(f"{len(rows)} segments classified -> {output} ({clf.version}, {n_workers} process(es))", err=True)


_WORKER_MODEL: list[Path | None] = [None]


def _init_worker(model_dir: Path | None, lexicon_text: str = "") -> None:
    _WORKER_MODEL[0] = model_dir
    if lexicon_text:
        from mctext.lexicon import use_lexicon

        use_lexicon(lexicon_text)


def _classify_batch(batch: list[dict], clf: object = None) -> list[str]:
    """Output lines of one batch (runs in a worker process when --workers > 1)."""
    from mctext.classify import load_classifier

    clf = clf or load_classifier(_WORKER_MODEL[0])
    preds = clf.predict(  # type: ignore[attr-defined]
        [r["text"] for r in batch], [r["lang"] for r in batch], [r["id"] for r in batch],
        [r["country"] for r in batch], [r["section"] for r in batch],
    )
    return [json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in preds]


def train_command(
    output_dir: Annotated[Path | None, typer.Option("--output-dir", help="Where to write the model (default models/default).")] = None,
    features: Annotated[str, typer.Option("--features", help="tfidf (default), use, minilm, e5, or a '+' combination.")] = "tfidf",
    cv: Annotated[bool, typer.Option("--cv/--no-cv", help="Run grouped CV on the seed first (printed and stored in the card).")] = True,
    cv_only: Annotated[bool, typer.Option("--cv-only", help="Only print the grouped-CV table; write nothing.")] = False,
    folds: Annotated[int, typer.Option("--folds", help="Outer CV folds (grouped by document).")] = 5,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the CV metrics as JSON.")] = None,
) -> None:
    """Train the per-label classifiers from the annotations and write models/ with a model card."""
    import logging

    from mctext.classify.evaluate import format_report
    from mctext.classify.features.embed import parse_features
    from mctext.classify.train import evaluate_split, gap, load_records, train

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        parse_features(features)
    except ValueError as exc:
        _fail(str(exc))
    records = load_records()
    if not records:
        _fail("no training records (seed annotations, annotations/examples or the annotation store)")
    try:
        if cv_only:
            _, metrics, held = evaluate_split(records, features, folds)
        else:
            card = train(output_dir, features, cv, records, folds)
            metrics, held = card["grouped_cv"], card["heldout"]
            typer.echo(f"model {card['model_version']} written (policies {card['policies']})", err=True)
    except (RuntimeError, ValueError) as exc:
        _fail(str(exc))
    if held:
        typer.echo(format_report(held["model"], f"held-out documents ({len(held['documents'])} groups, never trained on): rules + model"))
        typer.echo("")
        typer.echo(format_report(held["rules_only"], "held-out documents: rules only"))
        typer.echo("")
    if metrics:
        typer.echo(format_report(metrics["model"], f"grouped {metrics['n_splits']}-fold CV by document on the training documents, features={features}: rules + model"))
        typer.echo("")
        typer.echo(format_report(metrics["rules_only"], "grouped CV: rules only"))
        typer.echo(f"\ngrouped CV minus held-out: {gap(metrics, held)}")
    if json_out:
        json_out.write_text(json.dumps({"grouped_cv": metrics, "heldout": held, "cv_minus_heldout": gap(metrics, held)},
                                       indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _evaluate_heldout(model_dir: Path | None) -> dict:
    """The model scored on the project's held-out documents, printed beside its card's grouped CV."""
    from mctext.classify import load_classifier
    from mctext.classify.evaluate import format_report
    from mctext.classify.train import gap, heldout_metrics, load_records, split_heldout

    clf = load_classifier(model_dir)
    _, held_records = split_heldout(load_records())
    if not held_records:
        _fail("no labelled segments in the held-out documents (give --gold FILE.jsonl)")
    held = heldout_metrics(clf, held_records)
    typer.echo(format_report(held["model"], f"held-out documents ({len(held['documents'])} groups, {clf.version}): rules + model"))
    typer.echo("")
    typer.echo(format_report(held["rules_only"], "held-out documents: rules only"))
    cv = (getattr(clf, "card", None) or {}).get("grouped_cv")
    if cv:
        typer.echo("")
        typer.echo(format_report(cv["model"], "grouped CV on the training documents (from the model card)"))
        typer.echo(f"\ngrouped CV minus held-out: {gap(cv, held)}")
    return {"heldout": held, "grouped_cv": cv, "cv_minus_heldout": gap(cv, held)}


def evaluate_command(
    gold: Annotated[Path | None, typer.Option("--gold", help="Gold JSONL: id, text, lang, labels, driver_types, nqf_levels, countries.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the metrics as JSON here.")] = None,
    model_dir: ModelDir = None,
    cv: Annotated[bool, typer.Option("--cv", help="Instead of --gold: grouped CV on the training annotations.")] = False,
    features: Annotated[str, typer.Option("--features", help="Feature set for --cv.")] = "tfidf",
    run_dir: Annotated[Path | None, typer.Option("--run", help="Score this run's own labels (document-aware) against the gold (default: the held-out documents); a run made with --no-human.")] = None,
) -> None:
    """Per-label P/R/F1, macro/micro F1, per-language F1, NQF-level F1 and country accuracy.

    Without --gold, --cv or --run: the model on the project's held-out documents, beside the
    grouped CV of its card.
    """
    from mctext.classify.evaluate import evaluate_file, format_report, read_gold
    from mctext.errors import MctextError

    if run_dir is not None:
        from mctext.classify.evaluate import evaluate_run

        try:
            metrics = evaluate_run(run_dir, read_gold(gold) if gold else None)
        except MctextError as exc:
            _fail(str(exc))
        if not metrics.get("found_in_run"):
            _fail(f"none of the {metrics['gold_segments']} gold segments is in {run_dir}")
        typer.echo(format_report(metrics, f"{run_dir}: the run's own labels (document-aware) on "
                                          f"{metrics['found_in_run']} of {metrics['gold_segments']} gold segments"
                                          f"{'' if gold else ' of the held-out documents'}"))
    elif cv:
        from mctext.classify.train import cross_validate, load_records

        metrics = cross_validate(load_records(), features)
        typer.echo(format_report(metrics["model"], "grouped CV: rules + model"))
        typer.echo(format_report(metrics["rules_only"], "grouped CV: rules only"))
    elif gold is None:
        metrics = _evaluate_heldout(model_dir)
    else:
        try:
            metrics = evaluate_file(gold, model_dir)
        except MctextError as exc:
            _fail(str(exc))
        typer.echo(format_report(metrics, f"{gold} ({metrics['model_version']})"))
    if json_out:
        json_out.write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
