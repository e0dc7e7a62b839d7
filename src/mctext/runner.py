"""`mctext run`: a folder of documents in, evidence tables, SQL database and report out.

discover -> pipeline.run_documents (parallel, cached, never raises per document) ->
evidence.build_tables -> atomic writes. The outputs are a pure function of the
per-document results, sorted, so a rerun (or a rerun after a kill) gives the same files;
when nothing they depend on changed (``outputs_fingerprint``), a rerun keeps them as they are.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mctext import store
from mctext.config import ANNOTATIONS_DIR, RUN_MARKER, RunConfig
from mctext.errors import MctextError
from mctext.records import DOC_FAILED, DOC_INCOMPLETE, PAGE_FAILED, PAGE_NO_TEXT_LAYER, DocResult
from mctext.schemas import COLUMNS, VIEWS

if TYPE_CHECKING:
    from mctext.evidence import HumanLabels, Tables
    from mctext.report import ReportMeta

log = logging.getLogger(__name__)

# Output file names: the one place they are spelled.
# Every table of schemas.TABLES goes to Parquet, except the failures list (CSV, for a spreadsheet).
PARQUET_TABLES = tuple(name for name in COLUMNS if name != "failures")
OUTPUTS = {
    **{name: f"{name}.parquet" for name in PARQUET_TABLES},
    "country_summary_csv": "country_summary.csv",
    "failures": "failures.csv",
    "duckdb": "evidence.duckdb",
    "report": "report.html",
}

@dataclass
class RunSummary:
    """What a run did; ``exit_code`` is the CLI's: 0 all documents read whole, 3 some failed
    or were left incomplete (pages unread)."""

    corpus_dir: Path
    out_dir: Path
    documents: int
    failed: int
    segments: int
    evidence: int
    countries: list[str]
    seconds: float
    outputs: dict[str, Path] = field(default_factory=dict)
    incomplete: int = 0

    @property
    def exit_code(self) -> int:
        return 3 if self.failed or self.incomplete else 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def unread_pages(result: DocResult, cfg: RunConfig) -> list[dict[str, str]]:
    """failures.csv rows for the pages a read document left unread, and why (empty: none).

    Image-only pages without OCR are stage ``ocr``, damaged pages stage ``extract``.
    """
    from mctext.cache import ocr_available

    doc = result.document
    scans = [p.number for p in result.pages if p.status == PAGE_NO_TEXT_LAYER]
    damaged = [p.number for p in result.pages if p.status == PAGE_FAILED]
    rows = []
    if scans:
        if not cfg.ocr:
            why = "OCR turned off (--no-ocr); rerun without --no-ocr"
        elif not ocr_available(cfg.ocr):
            why = "tesseract not installed; install tesseract-ocr and rerun"
        else:
            why = "OCR found no text on them"
        rows.append({"file": doc.file, "sha256": doc.sha256, "stage": "ocr",
                     "reason": f"{_plural(len(scans), 'image-only page')} not read: {why} "
                               f"(page{'s' if len(scans) > 1 else ''} {', '.join(map(str, scans))})"})
    if damaged:
        rows.append({"file": doc.file, "sha256": doc.sha256, "stage": "extract",
                     "reason": f"{_plural(len(damaged), 'damaged page')} not read "
                               f"(page{'s' if len(damaged) > 1 else ''} {', '.join(map(str, damaged))})"})
    return rows


def _mark_incomplete(results: list[DocResult], cfg: RunConfig) -> list[dict[str, str]]:
    """Documents with unread pages become ``incomplete``; returns their failures.csv rows."""
    rows = []
    for result in results:
        if result.document.status == DOC_FAILED:
            continue
        unread = unread_pages(result, cfg)
        if unread:
            result.document.status = DOC_INCOMPLETE
            for row in unread:
                log.warning("incomplete %s: %s", row["file"], row["reason"])
            rows += unread
    return rows


def _discover(corpus_dir: Path) -> list:
    from mctext.corpus import discover

    return discover(corpus_dir)


def _outside(sources: list, out_dir: Path) -> list:
    """Drop files inside the output folder (``mctext run . --out outputs`` must not read
    its own report.html back in as a document)."""
    out = out_dir.resolve()
    kept = []
    for source in sources:
        path = getattr(source, "path", None)
        if path is not None and Path(path).resolve().is_relative_to(out):
            log.info("skipped %s: inside the output folder", path)
            continue
        kept.append(source)
    return kept


def _process(sources: list, cfg: RunConfig, cache_dir: Path, progress: bool) -> Iterator[DocResult]:
    """The pipeline's parallel, cached executor; it draws the progress bar (documents,
    pages, failures)."""
    from mctext.pipeline import run_documents

    return run_documents(sources, cfg, cache_dir, progress=progress)


def _collect(results: Iterable[DocResult]) -> list[DocResult]:
    """Gather results as they finish, logging each document."""
    done: list[DocResult] = []
    for result in results:
        doc = result.document
        done.append(result)
        if doc.status == DOC_FAILED:
            log.warning("failed %s at %s: %s", doc.file, result.failure_stage, doc.error)
        else:
            log.info("done %s: %d pages, %d segments", doc.file, len(result.pages),
                     len(result.segments))
    return done


def human_labels_from_store(store_dir: str | Path | None) -> dict[str, list[str]]:
    """Segment id -> the final human labels of the annotation store (adjudicated, agreed
    or latest, as the store decides); empty when there is no store."""
    if store_dir is None or not Path(store_dir).is_dir():
        return {}
    from mctext.annotate.store import final_labels

    try:
        return {sid: list(rec["labels"]) for sid, rec in final_labels(Path(store_dir)).items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MctextError(f"cannot read the annotation store {store_dir}: {exc}") from exc


def output_paths(out_dir: Path) -> dict[str, Path]:
    return {key: out_dir / name for key, name in OUTPUTS.items()}


def write_outputs(tables: Tables, out_dir: Path, meta: ReportMeta) -> dict[str, Path]:
    """Write every output atomically; the report last, so it never outruns the data."""
    from mctext.report import write_report

    out = output_paths(out_dir)
    for name in PARQUET_TABLES:
        store.write_parquet(getattr(tables, name), out[name], table=name)
    store.write_csv(tables.country_summary, out["country_summary_csv"])
    store.write_csv(tables.failures, out["failures"])
    store.write_duckdb(tables.as_dict(), out["duckdb"], views=VIEWS)
    write_report(tables, meta, out["report"])
    return out


def run(corpus_dir: str | Path, out_dir: str | Path, cfg: RunConfig | None = None,
        progress: bool = True, human_labels: HumanLabels | None = None,
        annotations_dir: str | Path | None = ANNOTATIONS_DIR) -> RunSummary:
    """Process every document under ``corpus_dir`` and write the outputs to ``out_dir``.

    Human labels (segment id -> labels) win over the model's: given directly, or else
    read from the annotation store in ``annotations_dir`` (None: model labels only).

    Raises ``MctextError`` for a usage problem (no such folder); a document that fails
    does not raise: it becomes a row of failures.csv and ``exit_code`` is 3.
    """
    started = time.perf_counter()
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    if not corpus_dir.is_dir():
        raise MctextError(f"corpus folder not found: {corpus_dir}")
    if out_dir.exists() and not out_dir.is_dir():
        raise MctextError(f"output path is a file, not a folder: {out_dir}")
    cfg = cfg or RunConfig()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / RUN_MARKER).write_text("mctext run output: `mctext run` never reads a folder holding this file\n",
                                      encoding="utf-8")
    store.remove_stale_tmp(out_dir)
    sources = _outside(_discover(corpus_dir), out_dir)
    if not sources:
        raise MctextError(f"no documents (PDF, DOCX, HTML, TXT, MD) found in {corpus_dir}")
    cache_dir = Path(cfg.cache_dir) if cfg.cache_dir else out_dir / ".cache"
    results = _collect(_process(sources, cfg, cache_dir, progress))
    unread = _mark_incomplete(results, cfg)
    fingerprint = outputs_fingerprint(results, labels_fingerprint(human_labels, annotations_dir), corpus_dir, cfg)
    kept = _unchanged_outputs(out_dir, fingerprint)
    if kept is not None:
        log.info("nothing changed since the last run into %s: outputs kept", out_dir)
        return RunSummary(corpus_dir=corpus_dir, out_dir=out_dir, seconds=time.perf_counter() - started,
                          outputs=output_paths(out_dir), **kept)
    if human_labels is None:
        human_labels = human_labels_from_store(annotations_dir)
    from mctext.evidence import build_tables
    from mctext.report import ReportMeta

    (out_dir / _OUTPUTS_STATE).unlink(missing_ok=True)  # stale until every output is rewritten
    tables = build_tables(results, human_labels)
    if unread:
        import pandas as pd

        tables.failures = pd.concat([tables.failures, pd.DataFrame(unread, columns=list(tables.failures.columns))],
                                    ignore_index=True).sort_values(["file", "stage"], kind="stable", ignore_index=True)
    versions = sorted({v for v in tables.segments["model_version"] if v})
    href = Path(os.path.relpath(Path(corpus_dir).resolve(), Path(out_dir).resolve())).as_posix()
    outputs = write_outputs(tables, out_dir, ReportMeta(corpus=str(corpus_dir), model_versions=versions,
                                                         corpus_href=href))
    counts = {"documents": len(tables.documents),
              "failed": int((tables.documents["status"] == DOC_FAILED).sum()) if len(tables.documents) else 0,
              "incomplete": len({r["file"] for r in unread}), "segments": len(tables.segments),
              "evidence": len(tables.evidence), "countries": [str(c) for c in tables.country_summary["country"]]}
    _remember_outputs(out_dir, fingerprint, counts)
    return RunSummary(corpus_dir=corpus_dir, out_dir=out_dir, seconds=time.perf_counter() - started,
                      outputs=outputs, **counts)


# What the outputs were built from, and what they were, for the next run to compare.
_OUTPUTS_STATE = ".outputs.json"
# The module that turns results into output files: its import closure is the output code.
_OUTPUT_MODULE = "mctext.runner"


def labels_fingerprint(human_labels: HumanLabels | None, store_dir: str | Path | None) -> str:
    """A hash of the human labels: of those given, else of the annotation store's files.

    The store's files (all of them, content and names) stand for the labels read from them,
    so a rerun with nothing changed never parses the store (nor imports the annotation
    code); any change to the store rebuilds the outputs.
    """
    from mctext.cache import hash_tree

    digest = hashlib.sha256()
    if human_labels is not None:
        digest.update(b"given\n")
        digest.update(json.dumps(sorted((k, list(v)) for k, v in human_labels.items())).encode())
    elif store_dir is not None and Path(store_dir).is_dir():
        digest.update(b"store\n")
        hash_tree(digest, Path(store_dir), ["."])
    return digest.hexdigest()


def outputs_fingerprint(results: list[DocResult], labels: str, corpus_dir: Path, cfg: RunConfig) -> str:
    """A hash of everything the output files depend on.

    Each document's row (its file, content hash, manifest values, status and error) with
    the pipeline code and model fingerprints stands for its result, as in the cache key;
    then the human labels (``labels_fingerprint``), the output code, the corpus name and
    SOURCE_DATE_EPOCH.
    """
    from mctext.cache import code_fingerprint, model_version, package_dir, pipeline_version

    digest = hashlib.sha256()
    rows = sorted(json.dumps([dataclasses.asdict(r.document), r.failure_stage, len(r.segments)], sort_keys=True,
                             default=str) for r in results)
    digest.update("\n".join(rows).encode())
    digest.update(labels.encode())
    digest.update(f"{pipeline_version()} {model_version(cfg.model_dir)} {cfg.ocr} {corpus_dir}".encode())
    digest.update(cfg.lexicon.encode("utf-8"))
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    code_fingerprint(digest, package_dir(), _OUTPUT_MODULE)
    return digest.hexdigest()


def _file_stamps(out_dir: Path) -> dict[str, list[int]]:
    stamps = {}
    for name in OUTPUTS.values():
        stat = (out_dir / name).stat()
        stamps[name] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def _remember_outputs(out_dir: Path, fingerprint: str, counts: dict[str, Any]) -> None:
    """Written after every output, atomically: its presence says the outputs are whole."""
    state = {"fingerprint": fingerprint, "files": _file_stamps(out_dir), "counts": counts}
    store.write_text(json.dumps(state), out_dir / _OUTPUTS_STATE)


def _unchanged_outputs(out_dir: Path, fingerprint: str) -> dict[str, Any] | None:
    """The last run's counts when its outputs were built from the same inputs and are untouched."""
    try:
        state = json.loads((out_dir / _OUTPUTS_STATE).read_text(encoding="utf-8"))
        if state["fingerprint"] != fingerprint or state["files"] != _file_stamps(out_dir):
            return None
        return dict(state["counts"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
