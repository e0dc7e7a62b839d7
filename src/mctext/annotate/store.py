"""The append-only annotation store: human labels are never rewritten, only added to.

Layout of a store directory (default ``config.ANNOTATIONS_DIR``)::

    imports/<UTC time>-<sha8>.jsonl   one file per accepted import: annotation records
    exports/<UTC time>-<n>.jsonl      one file per export: the segments handed out
    anchors/<UTC time>-<n>.jsonl      one file per re-anchoring: old id -> new id

Every file is written whole to a temporary name, fsynced, then hard-linked to its final
name (which fails rather than overwrite), so a crash or a refused import leaves the bytes
of everything already stored untouched and never leaves half a file behind.

An annotation record (one line of ``imports/``)::

    segment_id, doc_id, page, quote, prefix, suffix, labels, driver_types, annotator,
    kind (human | adjudicated), timestamp (import time, UTC), annotated_at (tool's own
    time if it gave one), source_file, source_sha256, source_format,
    lang, doc, doc_country, countries, nqf_levels   (the segment's provenance)
    facets, human_nqf_levels   (the annotator's; None where the file gave none)
    segment_facets             (the run's facets for the segment, when it had any)
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

KIND_HUMAN = "human"
KIND_ADJUDICATED = "adjudicated"

IMPORTS = "imports"
EXPORTS = "exports"
ANCHORS = "anchors"


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def write_new_file(directory: Path, stem: str, rows: Iterable[dict[str, Any]]) -> Path:
    """Write ``rows`` as JSONL to a new file in ``directory``; never replaces an existing file."""
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".tmp-{uuid.uuid4().hex}"
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    final = directory / f"{stem}.jsonl"
    n = 1
    while True:
        try:
            os.link(tmp, final)  # atomic, and refuses to replace an existing name
            break
        except FileExistsError:
            n += 1
            final = directory / f"{stem}-{n}.jsonl"
    tmp.unlink()
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def _read_dir(store_dir: Path, sub: str) -> Iterator[dict[str, Any]]:
    """All rows of one part of the store, oldest file first (file names start with UTC time)."""
    directory = Path(store_dir) / sub
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def read_annotations(store_dir: Path) -> list[dict[str, Any]]:
    """Every stored annotation record in the order it was stored."""
    return list(_read_dir(store_dir, IMPORTS))


def read_exported(store_dir: Path) -> dict[str, dict[str, Any]]:
    """Segment id -> the segment row as last exported (text, provenance, model labels)."""
    return {row["id"]: row for row in _read_dir(store_dir, EXPORTS)}


def read_anchors(store_dir: Path) -> list[dict[str, Any]]:
    return list(_read_dir(store_dir, ANCHORS))


def record_export(store_dir: Path, rows: list[dict[str, Any]]) -> Path:
    """Remember which segments were handed out, so imports can check ids and fill provenance."""
    return write_new_file(Path(store_dir) / EXPORTS, f"{_stamp()}-{len(rows)}", rows)


def record_anchors(store_dir: Path, rows: list[dict[str, Any]]) -> Path:
    return write_new_file(Path(store_dir) / ANCHORS, f"{_stamp()}-{len(rows)}", rows)


def _content(record: dict[str, Any]) -> tuple[Any, ...]:
    return (tuple(sorted(record["labels"])), tuple(sorted(record.get("driver_types", []))),
            json.dumps(record.get("facets"), sort_keys=True), json.dumps(record.get("human_nqf_levels"), sort_keys=True))


def append_annotations(store_dir: Path, records: list[dict[str, Any]], source_sha256: str) -> tuple[Path | None, int]:
    """Store the records that are new; return (file written or None, number skipped as already stored).

    A record is already stored when the same source file (by sha256) gave it for the same
    segment and annotator, or when that annotator's latest stored labels for the segment
    are the same: so re-importing a file, or a re-saved copy of it, adds nothing.
    """
    existing = read_annotations(store_dir)
    seen = {(r["source_sha256"], r["segment_id"], r["annotator"], r["kind"]) for r in existing}
    latest: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for r in existing:
        latest[(r["segment_id"], r["annotator"], r["kind"])] = _content(r)
    new: list[dict[str, Any]] = []
    for r in records:
        key = (r["segment_id"], r["annotator"], r["kind"])
        if (source_sha256, *key) in seen or latest.get(key) == _content(r):
            continue
        latest[key] = _content(r)
        new.append(r)
    if not new:
        return None, len(records)
    path = write_new_file(Path(store_dir) / IMPORTS, f"{_stamp()}-{source_sha256[:8]}", new)
    return path, len(records) - len(new)


def id_mapping(store_dir: Path) -> dict[str, str]:
    """Old segment id -> current id, following re-anchorings in order (a -> b, later b -> c)."""
    mapping: dict[str, str] = {}
    for row in read_anchors(store_dir):
        if row.get("new_id"):
            mapping[row["old_id"]] = row["new_id"]

    def resolve(sid: str) -> str:
        hops = 0
        while sid in mapping and mapping[sid] != sid and hops < 100:
            sid = mapping[sid]
            hops += 1
        return sid

    return {old: resolve(old) for old in mapping}


def current_annotations(store_dir: Path) -> list[dict[str, Any]]:
    """Stored records with ``segment_id`` resolved through re-anchoring (old id kept as ``anchored_from``).

    The re-anchored segment's text, page and offsets replace the stored ones in the copy
    returned; the stored lines themselves are never changed.
    """
    by_new_id = {row["new_id"]: row for row in read_anchors(store_dir) if row.get("new_id")}
    mapping = id_mapping(store_dir)
    out = []
    for r in read_annotations(store_dir):
        r = dict(r)
        new_id = mapping.get(r["segment_id"], r["segment_id"])
        if new_id != r["segment_id"]:
            last_hop = by_new_id[new_id]
            r.update(anchored_from=r["segment_id"], segment_id=new_id, quote=last_hop["text"],
                     page=last_hop["page"], doc_id=last_hop["doc_id"])
        out.append(r)
    return out


def latest_by_annotator(records: list[dict[str, Any]], kind: str = KIND_HUMAN) -> dict[str, dict[str, dict[str, Any]]]:
    """segment id -> annotator -> that annotator's latest record of ``kind``."""
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in records:  # stored order is chronological
        if r["kind"] == kind:
            out[r["segment_id"]][r["annotator"]] = r
    return out


def _decide(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The final record among one segment's records: adjudicated > agreed by all > latest."""
    def when(r: dict[str, Any]) -> tuple[str, str]:
        return r["timestamp"], r.get("annotated_at", "")

    adjudicated = [r for r in records if r["kind"] == KIND_ADJUDICATED]
    if adjudicated:
        return {**max(adjudicated, key=when), "final_by": "adjudicated"}
    latest: dict[str, dict[str, Any]] = {}
    for r in records:  # stored order is chronological: the last one per annotator counts
        latest[r["annotator"]] = r
    chosen = max(latest.values(), key=when)
    if len(latest) == 1:
        how = "single"
    else:
        how = "agreed" if len({_content(r) for r in latest.values()}) == 1 else "latest"
    return {**chosen, "final_by": how}


def final_labels(store_dir: Path) -> dict[str, dict[str, Any]]:
    """The one human label per current segment id, with ``final_by`` saying how it was decided.

    ``final_by``: adjudicated | agreed (all annotators) | latest (they disagree) | single |
    merged. Merged: several old segments re-anchored onto one new segment (boundaries
    merged) give the union of their final labels, since a label applies when any part of
    the segment says it; annotations made on the new segment itself override that.
    """
    by_origin: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in current_annotations(store_dir):
        by_origin[r.get("anchored_from", r["segment_id"])].append(r)
    by_current: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for origin, records in by_origin.items():
        decided = _decide(records)
        by_current[decided["segment_id"]][origin] = decided
    out: dict[str, dict[str, Any]] = {}
    for sid, finals in by_current.items():
        if sid in finals or len(finals) == 1:
            out[sid] = finals.get(sid) or next(iter(finals.values()))
            continue
        parts = list(finals.values())
        out[sid] = {**parts[-1], "final_by": "merged",
                    "labels": sorted({lab for r in parts for lab in r["labels"]}),
                    "driver_types": sorted({d for r in parts for d in r.get("driver_types", [])})}
    return out


def training_records(store_dir: Path) -> list[dict]:
    """The final human label per segment in the gold schema that training and evaluation read.

    Keys: id, text, lang, labels, driver_types, nqf_levels, facets, countries, doc (+ doc_country).
    Labels, driver types and facets are the humans'; nqf_levels the human's where given, else
    the extracted ones stored with the segment (kept only where the human labels allow them);
    facets fall back to the segment's extracted facets where the file said nothing of them.
    """
    out = []
    for sid, r in final_labels(Path(store_dir)).items():
        labels = sorted(r["labels"])
        out.append({
            "id": sid,
            "text": r["quote"],
            "lang": r.get("lang", ""),
            "labels": labels,
            "driver_types": sorted(r.get("driver_types", [])) if "driver" in labels else [],
            "nqf_levels": list(r["human_nqf_levels"] if r.get("human_nqf_levels") is not None
                               else r.get("nqf_levels", [])) if "nqf" in labels else [],
            "facets": dict(r["facets"] if r.get("facets") is not None else r.get("segment_facets") or {}),
            "countries": list(r.get("countries", [])),
            "doc": r.get("doc", ""),
            "doc_country": r.get("doc_country", ""),
            "final_by": r.get("final_by", ""),
        })
    return out
