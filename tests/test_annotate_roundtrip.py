"""Acceptance 1 and 2: export -> edit -> import holds exactly the edits; malformed files are refused whole."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from mctext.annotate import export_run, import_file
from mctext.annotate.formats import (
    CSV_ENCODING,
    CSV_INFO_COLUMNS,
    DRIVER_PREFIX,
    labelstudio_config,
)
from mctext.annotate.store import read_annotations, training_records
from mctext.codebook import DRIVER_TYPES, LABELS, definition
from mctext.errors import AnnotationFileError
from test_annotate_fixtures import make_run, store_bytes

Edits = dict[str, tuple[list[str], list[str]]]  # segment id -> (labels, driver types)


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return make_run(tmp_path / "run")


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def _edit(k: int, labels: list[str], drivers: list[str]) -> tuple[list[str], list[str]]:
    """Every other task: toggle one label (and give a driver its type), like a correcting annotator."""
    if k % 2:
        return sorted(labels), sorted(drivers)
    toggled = sorted(set(labels) ^ {LABELS[k % len(LABELS)]})
    return toggled, (["upskilling"] if "driver" in toggled else [])


# --- per format: read the exported file, apply _edit, write what the tool would give back


def edit_labelstudio(path: Path) -> Edits:
    tasks = json.loads(path.read_text(encoding="utf-8"))
    edits: Edits = {}
    for k, task in enumerate(tasks):
        pred = {r["from_name"]: r["value"]["choices"] for r in task["predictions"][0]["result"] if "choices" in r["value"]}
        labels, drivers = _edit(k, pred.get("labels", []), pred.get("driver_types", []))
        result = [{"from_name": "labels", "to_name": "text", "type": "choices", "value": {"choices": labels}}]
        if drivers:
            result.append({"from_name": "driver_types", "to_name": "text", "type": "choices",
                           "value": {"choices": drivers}})
        task.update(id=100 + k, annotations=[{"id": 500 + k, "completed_by": {"id": 1, "email": "ann@example.org"},
                                              "result": result, "was_cancelled": False,
                                              "updated_at": "2026-11-25T10:00:00Z"}])
        edits[task["data"]["segment_id"]] = (labels, drivers)
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return edits


def edit_doccano(path: Path) -> Edits:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    edits: Edits = {}
    for k, obj in enumerate(lines):
        labels = [x for x in obj["label"] if not x.startswith(DRIVER_PREFIX)]
        drivers = [x[len(DRIVER_PREFIX):] for x in obj["label"] if x.startswith(DRIVER_PREFIX)]
        labels, drivers = _edit(k, labels, drivers)
        obj["label"] = labels + [DRIVER_PREFIX + d for d in drivers]
        edits[obj["segment_id"]] = (labels, drivers)
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in lines), encoding="utf-8")
    return edits


def edit_csv(path: Path, delimiter: str = ",") -> Edits:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding=CSV_ENCODING))))
    edits: Edits = {}
    for k, row in enumerate(rows):
        labels = [lab for lab in LABELS if row[lab] == "1"]
        drivers = [d for d in DRIVER_TYPES if row[DRIVER_PREFIX + d] == "1"]
        labels, drivers = _edit(k, labels, drivers)
        row.update({lab: str(int(lab in labels)) for lab in LABELS})
        row.update({DRIVER_PREFIX + d: str(int(d in drivers)) for d in DRIVER_TYPES})
        edits[row["segment_id"]] = (labels, drivers)
    with path.open("w", encoding=CSV_ENCODING, newline="") as fh:  # as a spreadsheet saves it
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return edits


EDITORS = {"labelstudio": ("json", edit_labelstudio), "doccano": ("jsonl", edit_doccano), "csv": ("csv", edit_csv)}


def stored_edits(store: Path) -> Edits:
    return {r["segment_id"]: (r["labels"], r["driver_types"]) for r in read_annotations(store)}


@pytest.mark.parametrize("fmt", list(EDITORS))
def test_round_trip_stores_exactly_the_edits(fmt: str, run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    ext, editor = EDITORS[fmt]
    out = tmp_path / f"tasks.{ext}"
    result = export_run(run_dir, out, fmt, n=100, store_dir=store_dir)
    assert result.segments == 8
    edits = editor(out)
    changed = sum(1 for k in range(8) if k % 2 == 0)
    assert changed == 4

    imported = import_file(out, store_dir=store_dir, annotator=None if fmt == "labelstudio" else "ann@example.org")
    assert (imported.format, imported.read, imported.stored, imported.already_stored) == (fmt, 8, 8, 0)
    assert stored_edits(store_dir) == edits
    records = read_annotations(store_dir)
    assert {r["annotator"] for r in records} == {"ann@example.org"} and {r["kind"] for r in records} == {"human"}
    assert all(r["quote"] and r["doc_id"] in ("d1", "d2") and r["source_sha256"] for r in records)
    assert {r["id"]: (r["labels"], r["driver_types"]) for r in training_records(store_dir)} == {
        sid: (labels, drivers if "driver" in labels else []) for sid, (labels, drivers) in edits.items()}

    before = store_bytes(store_dir)
    again = import_file(out, store_dir=store_dir, annotator=None if fmt == "labelstudio" else "ann@example.org")
    assert (again.stored, again.already_stored, again.file) == (0, 8, None)
    assert store_bytes(store_dir) == before


def test_csv_saved_by_excel_with_semicolons(run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "tasks.csv"
    export_run(run_dir, out, "csv", n=100, store_dir=store_dir)
    edits = edit_csv(out, delimiter=";")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    import_file(out, store_dir=store_dir, annotator="ann")
    assert stored_edits(store_dir) == edits


def test_labelstudio_json_min_is_accepted(run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    export_run(run_dir, out, "labelstudio", n=2, store_dir=store_dir)
    tasks = json.loads(out.read_text())
    json_min = [{**t["data"], "id": i, "annotator": "ann@example.org", "labels": {"choices": ["nqf", "driver"]},
                 "driver_types": "crisis"} for i, t in enumerate(tasks)]
    json_min[1]["labels"] = "validation"
    out.write_text(json.dumps(json_min))
    import_file(out, store_dir=store_dir)
    got = stored_edits(store_dir)
    assert got[tasks[0]["data"]["segment_id"]] == (["driver", "nqf"], ["crisis"])
    assert got[tasks[1]["data"]["segment_id"]] == (["validation"], ["crisis"])


def test_labelstudio_config_carries_codebook_definitions(run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    files = export_run(run_dir, out, "labelstudio", n=3, store_dir=store_dir).files
    config = (tmp_path / "tasks.json.config.xml").read_text()
    assert files[1].name == "tasks.json.config.xml" and config == labelstudio_config()
    for lab in LABELS:
        assert f'value="{lab}"' in config and definition(lab)[:40] in config
    task = json.loads(out.read_text())[0]
    assert set(task["data"]) >= {"segment_id", "text", "context_before", "context_after", "doc_title", "page"}
    assert task["predictions"][0]["model_version"] == "test-1" and 0.5 <= task["predictions"][0]["score"] <= 1


def test_context_is_the_neighbouring_sentences(run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    export_run(run_dir, out, "doccano", n=100, store_dir=store_dir)
    by_text = {o["text"]: o for o in map(json.loads, out.read_text().splitlines())}
    mid = by_text["They respond to skills shortages."]
    assert mid["context_before"] == "Micro-credentials certify short learning."
    assert mid["context_after"] == "The NQF has eight levels."
    assert by_text["Die Mikro-Credentials sind neu."]["context_before"] == ""  # first of its document
    assert mid["doc_title"] == "Skills policy" and mid["page"] == 1


# --- acceptance 2: a malformed file of each kind is refused, naming the line or task; store bytes unchanged


def _break_ls(path: Path, how: str) -> str:
    tasks = json.loads(path.read_text())
    if how == "malformed":
        path.write_text(json.dumps(tasks, indent=1)[:-40])
        return "malformed JSON at line"
    if how == "unknown_label":
        tasks[2]["annotations"][0]["result"][0]["value"]["choices"] = ["microcredentials"]
        path.write_text(json.dumps(tasks))
        return "task 3 (id 102, segment"
    if how == "unknown_segment":
        tasks[1]["data"]["segment_id"] = "ffffffffffffffff"
        path.write_text(json.dumps(tasks))
        return "task 2 (id 101, segment ffffffffffffffff) annotation 1: unknown segment id"
    if how == "missing_field":
        del tasks[3]["annotations"][0]["result"]
        path.write_text(json.dumps(tasks))
        return "task 4 (id 103, segment"
    raise AssertionError(how)


def _break_lines(path: Path, how: str, encoding: str = "utf-8") -> str:
    lines = path.read_text(encoding=encoding).splitlines(keepends=True)
    if path.suffix == ".jsonl":
        if how == "malformed":
            lines[1] = lines[1][:25] + "\n"
            msg = "line 2: malformed JSON"
        elif how == "unknown_label":
            lines[2] = lines[2].replace('"label": [', '"label": ["frobnication", ')
            msg = "line 3 (segment"
        elif how == "unknown_segment":
            obj = json.loads(lines[3])
            obj["segment_id"] = "ffffffffffffffff"
            lines[3] = json.dumps(obj) + "\n"
            msg = "line 4 (segment ffffffffffffffff): unknown segment id"
        else:
            obj = json.loads(lines[3])
            del obj["label"]
            lines[3] = json.dumps(obj) + "\n"
            msg = "line 4 (segment"
    else:
        if how == "malformed":  # a bad 0/1 cell: the CSV counterpart of malformed data
            cells = next(csv.reader([lines[3]]))
            cells[cells.index("0", len(CSV_INFO_COLUMNS))] = "yes"
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerow(cells)
            lines[3] = buf.getvalue()
            msg = "row 4 (line 4) (segment"
        elif how == "unknown_label":
            lines[0] = lines[0].replace("driver_type:crisis", "driver_type:war")
            msg = "row 1 (line 1): unknown driver type column 'driver_type:war'"
        elif how == "unknown_segment":
            lines[5] = "ffffffffffffffff" + lines[5][lines[5].index(","):]
            msg = "row 6 (line 6) (segment ffffffffffffffff): unknown segment id"
        else:
            width = len(next(csv.reader([lines[0]])))
            lines[2] = lines[2].rstrip("\r\n").rsplit(",", 3)[0] + "\r\n"
            msg = f"row 3 (line 3): {width - 3} cells, the header has {width}"
    path.write_text("".join(lines), encoding=encoding)
    return msg


@pytest.mark.parametrize("how", ["malformed", "unknown_label", "unknown_segment", "missing_field"])
@pytest.mark.parametrize("fmt", list(EDITORS))
def test_malformed_file_refused_whole(fmt: str, how: str, run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    ext, editor = EDITORS[fmt]
    first = tmp_path / f"first.{ext}"
    export_run(run_dir, first, fmt, n=100, store_dir=store_dir)
    editor(first)
    import_file(first, store_dir=store_dir, annotator="a1")  # the store already holds something
    bad = tmp_path / f"second.{ext}"
    export_run(run_dir, bad, fmt, n=100, seed=1, store_dir=store_dir)
    editor(bad)
    expected = _break_ls(bad, how) if fmt == "labelstudio" else _break_lines(
        bad, how, CSV_ENCODING if fmt == "csv" else "utf-8")
    before = store_bytes(store_dir)

    with pytest.raises(AnnotationFileError) as exc:
        import_file(bad, store_dir=store_dir, annotator="a2")
    message = str(exc.value)
    assert expected in message, message
    assert bad.name in message and "\n" not in message
    assert store_bytes(store_dir) == before


def test_unknown_driver_type_and_missing_annotator(run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    export_run(run_dir, out, "doccano", n=3, store_dir=store_dir)
    with pytest.raises(AnnotationFileError, match=r"line 1 \(segment \w+\): no annotator named"):
        import_file(out, store_dir=store_dir)
    lines = out.read_text().splitlines()
    lines[1] = lines[1].replace('"label": [', '"label": ["driver_type:boredom", ')
    out.write_text("\n".join(lines) + "\n")
    with pytest.raises(AnnotationFileError, match="line 2 .*unknown driver type 'boredom'"):
        import_file(out, store_dir=store_dir, annotator="a")
    assert not (store_dir / "imports").exists()


def test_ids_checked_against_run_when_store_knows_none(tmp_path: Path) -> None:
    """An empty store (tasks exported elsewhere): --from RUN_OUT_DIR still catches foreign ids."""
    run = make_run(tmp_path / "run")
    out = tmp_path / "t.jsonl"
    export_run(run, out, "doccano", n=2, store_dir=tmp_path / "elsewhere")
    edit_doccano(out)
    lines = out.read_text().splitlines()
    obj: dict[str, Any] = json.loads(lines[1])
    obj["segment_id"] = "0123456789abcdef"
    out.write_text(lines[0] + "\n" + json.dumps(obj) + "\n")
    fresh = tmp_path / "fresh"
    with pytest.raises(AnnotationFileError, match="line 2 .*unknown segment id"):
        import_file(out, store_dir=fresh, annotator="a", run_dir=run)
    assert not fresh.exists()
    # without any list of ids the file's own ids are taken, with provenance only from the file
    import_file(out, store_dir=fresh, annotator="a")
    assert len(read_annotations(fresh)) == 2


def test_csv_line_numbers_count_physical_lines(run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    """A cell with a line break (a bullet list) shifts the physical line the error names."""
    out = tmp_path / "t.csv"
    export_run(run_dir, out, "csv", n=3, store_dir=store_dir)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding=CSV_ENCODING))))
    rows[0]["context_before"] = "first line\nsecond line"
    rows[1]["nqf"] = "2"
    with out.open("w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(AnnotationFileError, match=r"row 3 \(line 4\) \(segment \w+\): column 'nqf' is '2'; write 0 or 1"):
        import_file(out, store_dir=store_dir, annotator="a")


def test_labelstudio_several_annotators_and_skipped(run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    export_run(run_dir, out, "labelstudio", n=2, store_dir=store_dir)
    tasks = json.loads(out.read_text())

    def ann(user: int, choices: list[str], cancelled: bool = False) -> dict[str, Any]:
        return {"completed_by": user, "was_cancelled": cancelled,
                "result": [{"from_name": "labels", "to_name": "text", "type": "choices",
                            "value": {"choices": choices}}] if choices else []}

    tasks[0].update(id=1, annotations=[ann(1, ["nqf"]), ann(2, []), ann(3, ["driver"], cancelled=True)])
    tasks[1].update(id=2, annotations=[])  # not annotated yet: nothing to import for it
    out.write_text(json.dumps(tasks))
    with pytest.raises(AnnotationFileError, match="holds annotations by labelstudio-user-1, labelstudio-user-2"):
        import_file(out, store_dir=store_dir, annotator="someone")
    result = import_file(out, store_dir=store_dir)
    assert (result.read, result.stored) == (2, 2)
    got = {(r["annotator"], tuple(r["labels"])) for r in read_annotations(store_dir)}
    assert got == {("labelstudio-user-1", ("nqf",)), ("labelstudio-user-2", ())}


@pytest.mark.parametrize("fmt", ["labelstudio", "doccano", "csv"])
def test_blind_export_shows_no_model_labels(fmt: str, run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    """First-pass labelling: the tasks carry the segments but nothing the model said."""
    out = tmp_path / f"blind.{fmt}"
    export_run(run_dir, out, fmt, n=10, store_dir=store_dir, blind=True)
    text = out.read_text(encoding=CSV_ENCODING if fmt == "csv" else "utf-8")
    if fmt == "labelstudio":
        tasks = json.loads(text)
        assert tasks and all(t["predictions"] == [] for t in tasks)
    elif fmt == "doccano":
        lines = [json.loads(line) for line in text.splitlines()]
        assert lines and all(obj["label"] == [] for obj in lines)
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and all(row[lab] == "" for row in rows for lab in LABELS)
    # The same run exported normally does show the model's labels somewhere.
    seen = tmp_path / f"seen.{fmt}"
    export_run(run_dir, seen, fmt, n=10, store_dir=store_dir)
    assert seen.read_text(encoding=CSV_ENCODING if fmt == "csv" else "utf-8") != text


def test_export_exactly_the_given_ids(run_dir: Path, store_dir: Path, tmp_path: Path) -> None:
    import pandas as pd

    from mctext.errors import MctextError

    ids = list(pd.read_parquet(run_dir / "segments.parquet")["segment_id"])[::-2]
    out = tmp_path / "ids.jsonl"
    export_run(run_dir, out, "doccano", ids=ids, store_dir=store_dir, blind=True)
    assert [json.loads(line)["segment_id"] for line in out.read_text().splitlines()] == ids
    with pytest.raises(MctextError, match="not in"):
        export_run(run_dir, out, "doccano", ids=["nope"], store_dir=store_dir)
