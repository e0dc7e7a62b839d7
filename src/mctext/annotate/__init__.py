"""Human annotation: export tasks, import corrections into an append-only store, measure agreement.

The loop: ``export_run`` hands segments of a finished run to annotators (Label Studio,
doccano, a spreadsheet); ``import_file`` validates what comes back against the codebook
and appends it to the store; ``store.training_records`` gives `mctext train` the final
human label per segment; ``agreement_report`` and adjudication settle disagreements;
``reanchor`` keeps annotations attached when documents are re-extracted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mctext.annotate import store
from mctext.annotate.agreement import (
    agreement_report,
    cohen_kappa,
    disagreements,
    krippendorff_alpha_nominal,
)
from mctext.annotate.anchor import reanchor
from mctext.annotate.formats import (
    DUPLICATES,
    FORMATS,
    FileAnnotation,
    parse_annotation_file,
    write_tasks,
)
from mctext.annotate.select import (
    duplicate_ids,
    load_run,
    model_thresholds,
    segment_rows,
    select_ids,
)
from mctext.annotate.store import training_records
from mctext.codebook import LABELS
from mctext.config import QUOTE_CONTEXT_CHARS
from mctext.errors import AnnotationFileError, MctextError
from mctext.records import sha256_bytes

__all__ = [
    "FORMATS", "ExportResult", "ImportResult", "agreement_report", "cohen_kappa", "disagreements",
    "export_run", "import_file", "krippendorff_alpha_nominal", "reanchor", "training_records",
]


@dataclass
class ExportResult:
    files: list[Path]
    segments: int


@dataclass
class ImportResult:
    format: str
    read: int  # annotations in the file
    stored: int  # new records appended (a task's duplicates count: one record each)
    already_stored: int
    file: Path | None  # the store file written, None when nothing was new
    undecided: int = 0  # rows left blank or unchanged (adjudication): nothing stored for them


def export_run(run_dir: Path, out: Path, fmt: str, *, select: str = "random", n: int = 50, seed: int = 0,
               lang: str | None = None, country: str | None = None,
               store_dir: Path | None = None, blind: bool = False,
               ids: list[str] | None = None) -> ExportResult:
    """Write annotation tasks for up to ``n`` selected segments and remember them in the store.

    ``blind`` writes no model labels (first-pass labelling); ``ids`` exports exactly these
    segments, in this order (a sample drawn elsewhere), instead of a ``select`` choice.
    """
    if fmt not in FORMATS:
        raise MctextError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    store_dir = Path(store_dir) if store_dir is not None else _default_store()
    segments, documents = load_run(run_dir)
    thresholds = model_thresholds(segments) if select == "uncertain" else None
    if ids is not None:
        unknown = sorted(set(ids) - set(segments["id"].astype(str)))
        if unknown:
            raise MctextError(f"{len(unknown)} segment id(s) not in {run_dir}, e.g. {unknown[0]}")
    else:
        ids = select_ids(segments, documents, select, n, seed=seed, lang=lang, country=country,
                         store_dir=store_dir, thresholds=thresholds)
    if not ids:
        raise MctextError(f"no segments match --select {select} (after --lang/--country filters)")
    rows = segment_rows(segments, documents, ids)
    dupes = duplicate_ids(segments, ids)
    notes = {}
    if select == "disagreement":  # disputed labels start blank; the annotators' choices beside them
        open_ = {d.segment_id: d for d in disagreements(store_dir) if not d.adjudicated}
        for row in rows:
            d = open_.get(row["id"])
            if d is None:
                continue
            chosen = [set(c) for c in d.by_annotator.values()]
            agreed, union = set.intersection(*chosen), set.union(*chosen)
            row["adjudicate"] = {"agreed": sorted(agreed), "disputed": sorted(union - agreed)}
            notes[row["id"]] = (f"disputed: {', '.join(sorted(union - agreed))} | "
                                + "; ".join(f"{name}: {', '.join(c) or '(none)'}" for name, c in d.by_annotator.items()))
    for row in rows:
        row[DUPLICATES] = dupes.get(row["id"], [])
    files = write_tasks(rows, Path(out), fmt, notes, blind=blind)
    twins = segment_rows(segments, documents, [d for row in rows for d in row[DUPLICATES]])
    of = {d: row["id"] for row in rows for d in row[DUPLICATES]}
    store.record_export(store_dir, rows + [{**t, "duplicate_of": of[t["id"]]} for t in twins])
    return ExportResult(files, len(rows))


def _default_store() -> Path:
    from mctext.config import ANNOTATIONS_DIR

    return ANNOTATIONS_DIR


def import_file(path: Path, *, store_dir: Path | None = None, annotator: str | None = None,
                adjudication: bool = False, run_dir: Path | None = None) -> ImportResult:
    """Validate a whole annotation file and append its records; refuse it whole on any fault.

    Segment ids are checked against the segments the store has exported and, with
    ``run_dir``, the run's segments; when neither is known the file's own ids are taken.
    """
    path = Path(path)
    store_dir = Path(store_dir) if store_dir is not None else _default_store()
    if not path.is_file():
        raise AnnotationFileError(f"{path}: no such file")
    data = path.read_bytes()
    sha = sha256_bytes(data)
    fmt, annotations = parse_annotation_file(path, data)
    if not annotations:
        raise AnnotationFileError(f"{path.name} ({fmt}): no annotations in the file (nothing labelled yet?)")
    _resolve_annotators(path.name, fmt, annotations, annotator)

    known: dict[str, dict[str, Any]] = store.read_exported(store_dir)
    if run_dir is not None:
        segments, documents = load_run(run_dir)
        wanted = sorted({a.segment_id for a in annotations} & set(segments["id"]))
        known.update({row["id"]: row for row in segment_rows(segments, documents, wanted)})
        run_ids = set(segments["id"])
    else:
        run_ids = set()
    anchored = set(store.id_mapping(store_dir).values())
    if known or run_ids:
        for a in annotations:
            if a.segment_id not in known and a.segment_id not in run_ids and a.segment_id not in anchored:
                raise AnnotationFileError(f"{path.name} ({fmt}): {a.where}: unknown segment id {a.segment_id!r} "
                                          "(not among the exported segments; pass --from RUN_OUT_DIR of its run)")
    kind = store.KIND_ADJUDICATED if adjudication else store.KIND_HUMAN
    decided = _decided(path.name, fmt, annotations, adjudication)
    now = store.utc_now()
    records = []
    in_file = {a.segment_id for a in decided}
    for a in decided:  # a task's labels apply to every segment with the same text (unless judged itself)
        twins = set(a.duplicate_ids) | {sid for sid, row in known.items() if row.get("duplicate_of") == a.segment_id}
        twins -= in_file
        records += [_record(a, known.get(sid), kind, now, path, sha, fmt, sid) for sid in [a.segment_id, *sorted(twins)]]
    written, dupes = store.append_annotations(store_dir, records, sha) if records else (None, 0)
    return ImportResult(fmt, len(annotations), len(records) - dupes, dupes, written,
                        undecided=len(annotations) - len(decided))


def _decided(name: str, fmt: str, annotations: list[FileAnnotation], adjudication: bool) -> list[FileAnnotation]:
    """The annotations that carry a judgement. A row with every label cell blank, or an
    adjudication left as exported (disputed cells blank; in Label Studio or doccano, no label
    chosen), is no judgement and is not stored; a half-filled row of a first pass is refused.
    A CSV row of explicit 0s is a judgement: no label applies."""
    out = []
    for a in annotations:
        all_blank = len([u for u in a.undecided if u in LABELS]) == len(LABELS)
        nothing_chosen = fmt != "csv" and not (a.labels or a.driver_types)  # CSV cells say 0 explicitly
        if all_blank or (adjudication and (a.undecided or nothing_chosen)):
            continue
        if a.undecided:
            raise AnnotationFileError(f"{name} ({fmt}): {a.where}: blank cell(s) {', '.join(a.undecided)}; "
                                      "write 0 or 1 (or leave the whole row blank to skip it)")
        out.append(a)
    return out


def _resolve_annotators(name: str, fmt: str, annotations: list[FileAnnotation], annotator: str | None) -> None:
    """--annotator names whoever made a file that does not say; it cannot merge several people."""
    if annotator:
        named = sorted({a.annotator for a in annotations if a.annotator})
        if len(named) > 1:
            raise AnnotationFileError(f"{name} ({fmt}): holds annotations by {', '.join(named)}; "
                                      "leave out --annotator so each keeps their own name")
        for a in annotations:
            a.annotator = annotator
        return
    for a in annotations:
        if not a.annotator:
            raise AnnotationFileError(f"{name} ({fmt}): {a.where}: no annotator named; pass --annotator NAME")


def _record(a: FileAnnotation, seg: dict[str, Any] | None, kind: str, now: str, path: Path, sha: str,
            fmt: str, segment_id: str) -> dict[str, Any]:
    """A store record: the file's labels plus the segment's provenance (from the export or run).

    ``facets`` and ``human_nqf_levels`` are the annotator's, None where the file gave none.
    """
    seg = seg or {}
    quote = seg.get("text") or a.text
    return {
        "segment_id": segment_id, "doc_id": seg.get("doc_id", ""), "page": seg.get("page"),
        "quote": quote, "prefix": seg.get("prefix", a.context_before[-QUOTE_CONTEXT_CHARS:]),
        "suffix": seg.get("suffix", a.context_after[:QUOTE_CONTEXT_CHARS]),
        "facets": a.facets, "human_nqf_levels": a.nqf_levels, "segment_facets": seg.get("facets") or {},
        "labels": a.labels, "driver_types": a.driver_types, "annotator": a.annotator, "kind": kind,
        "timestamp": now, "annotated_at": a.annotated_at,
        "source_file": str(path), "source_sha256": sha, "source_format": fmt,
        "lang": seg.get("lang", ""), "doc": seg.get("doc", ""), "doc_country": seg.get("doc_country", ""),
        "countries": seg.get("countries", []), "nqf_levels": seg.get("nqf_levels", []),
    }
