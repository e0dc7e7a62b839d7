"""Issue 14: the annotation loop cannot lose a judgement (adjudication, duplicates, CSV errors, facets)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from mctext.annotate import export_run, import_file
from mctext.annotate.formats import CSV_ENCODING
from mctext.annotate.store import read_annotations, training_records
from mctext.codebook import LABELS
from mctext.errors import AnnotationFileError
from test_annotate_fixtures import PAGES, make_run, store_bytes


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=CSV_ENCODING))))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _two_annotators(tmp_path: Path) -> tuple[Path, Path]:
    run, store = make_run(tmp_path / "run"), tmp_path / "store"
    tasks = tmp_path / "t.jsonl"
    export_run(run, tasks, "doccano", n=2, store_dir=store)
    lines = tasks.read_text().splitlines()
    for name, labels in (("alice", ["nqf", "driver", "driver_type:crisis"]), ("bob", ["driver", "driver_type:crisis"])):
        f = tmp_path / f"{name}.jsonl"
        f.write_text("".join(json.dumps({**json.loads(line), "label": labels}) + "\n" for line in lines))
        import_file(f, store_dir=store, annotator=name)
    return run, store


def test_adjudication_csv_starts_blank_and_unchanged_rows_store_nothing(tmp_path: Path) -> None:
    run, store = _two_annotators(tmp_path)
    adj = tmp_path / "adj.csv"
    export_run(run, adj, "csv", select="disagreement", n=10, store_dir=store)
    rows = _rows(adj)
    assert len(rows) == 2
    for row in rows:
        assert row["nqf"] == ""  # disputed: blank, not the model's label
        assert row["driver"] == "1" and row["driver_type:crisis"] == "1"  # agreed by both
        assert row["validation"] == "0"
        assert row["note"] == "disputed: nqf | alice: driver, nqf, driver_type:crisis; bob: driver, driver_type:crisis"
    before = store_bytes(store)
    result = import_file(adj, store_dir=store, annotator="judge", adjudication=True)
    assert (result.read, result.stored, result.undecided, result.file) == (2, 0, 2, None)
    assert store_bytes(store) == before  # an unchanged adjudication stores nothing
    rows[0]["nqf"] = "1"  # the adjudicator decides one row
    _write(adj, rows)
    result = import_file(adj, store_dir=store, annotator="judge", adjudication=True)
    assert (result.stored, result.undecided) == (1, 1)
    decided = [r for r in read_annotations(store) if r["kind"] == "adjudicated"]
    assert [r["labels"] for r in decided] == [["driver", "nqf"]]


def test_adjudicated_csv_row_of_zeros_means_no_label(tmp_path: Path) -> None:
    """In the CSV, 0 in every cell is a decision (no label applies), stored as such."""
    run, store = _two_annotators(tmp_path)
    adj = tmp_path / "adj.csv"
    export_run(run, adj, "csv", select="disagreement", n=10, store_dir=store)
    rows = _rows(adj)
    for key in rows[0]:
        if key in ("nqf", "driver") or key.startswith("driver_type:"):
            rows[0][key] = "0"
    _write(adj, rows)
    result = import_file(adj, store_dir=store, annotator="judge", adjudication=True)
    assert (result.stored, result.undecided) == (1, 1)
    decided = [r for r in read_annotations(store) if r["kind"] == "adjudicated"]
    assert [r["labels"] for r in decided] == [[]]


def test_import_message_counts_undecided_rows(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mctext.cli import app

    run, store = _two_annotators(tmp_path)
    adj = tmp_path / "adj.jsonl"
    export_run(run, adj, "doccano", select="disagreement", n=10, store_dir=store)
    assert all(json.loads(line)["label"] == [] for line in adj.read_text().splitlines())
    out = CliRunner().invoke(app, ["annotate", "import", str(adj), "--annotator", "judge", "--adjudication",
                                   "--store", str(store)]).output
    assert "2 annotations read, 0 stored, 0 already stored, 2 left undecided (blank or unchanged: nothing stored" in out


def test_blank_first_pass_row_skipped_half_filled_refused(tmp_path: Path) -> None:
    run, store = make_run(tmp_path / "run"), tmp_path / "store"
    out = tmp_path / "t.csv"
    export_run(run, out, "csv", n=3, store_dir=store, blind=True)
    rows = _rows(out)
    rows[0].update({"microcredential": "1"})
    _write(out, rows)
    with pytest.raises(AnnotationFileError, match=r"row 2 \(line 2\) \(segment \w+\): blank cell\(s\) driver, nqf"):
        import_file(out, store_dir=store, annotator="a")
    rows[0].update({k: "0" for k in rows[0] if k not in ("microcredential",) and rows[0][k] == ""
                    and (k in ("driver", "nqf", "validation", "stackability", "quality_trust")
                         or k.startswith("driver_type:") or ":" in k)})
    _write(out, rows)
    result = import_file(out, store_dir=store, annotator="a")
    assert (result.stored, result.undecided) == (1, 2)


def test_one_task_per_distinct_text(tmp_path: Path) -> None:
    repeated = "Micro-credentials certify short learning."
    pages = [*PAGES, ("d2", 2, [repeated, "Micro-credentials  certify short LEARNING.", "Sonst nichts."])]
    run, store = make_run(tmp_path / "run", pages), tmp_path / "store"
    seg = pd.read_parquet(run / "segments.parquet")
    twins = sorted(seg[seg["text"].str.casefold().str.split().str.join(" ") == repeated.casefold()]["segment_id"])
    assert len(twins) == 3
    out = tmp_path / "t.jsonl"
    result = export_run(run, out, "doccano", select="uncertain", n=20, store_dir=store)
    tasks = [json.loads(line) for line in out.read_text().splitlines()]
    texts = [" ".join(t["text"].casefold().split()) for t in tasks]
    assert result.segments == len(tasks) == len(set(texts)) == len(seg) - 2  # 20 asked, every distinct text once
    task = next(t for t in tasks if t["segment_id"] in twins)
    assert sorted([task["segment_id"], *task["duplicate_ids"]]) == twins
    for t in tasks:
        t["label"] = ["microcredential"] if t is task else []
    out.write_text("".join(json.dumps(t) + "\n" for t in tasks))
    import_file(out, store_dir=store, annotator="a")
    gold = {r["id"]: r for r in training_records(store)}
    assert all(gold[t]["labels"] == ["microcredential"] for t in twins)  # applied to all three


def test_csv_errors_name_row_and_line_and_suggest(tmp_path: Path) -> None:
    run, store = make_run(tmp_path / "run"), tmp_path / "store"
    out = tmp_path / "t.csv"
    export_run(run, out, "csv", n=4, store_dir=store)
    rows = _rows(out)
    for row in rows[:3]:
        row["context_before"] = "a bullet\nlist\nof three lines"  # each record spans three lines
    rows[3]["nqf"] = "yes"
    _write(out, rows)
    with pytest.raises(AnnotationFileError, match=r"row 5 \(line 11\) \(segment \w+\): column 'nqf' is 'yes'"):
        import_file(out, store_dir=store, annotator="a")
    text = out.read_text(encoding=CSV_ENCODING).replace("stackability", "stackabilty", 1)
    out.write_text(text, encoding=CSV_ENCODING)
    with pytest.raises(AnnotationFileError) as exc:
        import_file(out, store_dir=store, annotator="a")
    assert "row 1 (line 1): column 'stackabilty' is not a codebook label: did you mean 'stackability'?" in str(exc.value)


def test_unknown_label_did_you_mean(tmp_path: Path) -> None:
    run, store = make_run(tmp_path / "run"), tmp_path / "store"
    out = tmp_path / "t.jsonl"
    export_run(run, out, "doccano", n=2, store_dir=store)
    lines = out.read_text().splitlines()
    lines[1] = lines[1].replace('"label": [', '"label": ["stackabilty", ', 1)
    out.write_text("\n".join(lines) + "\n")
    with pytest.raises(AnnotationFileError, match=r"line 2 \(segment \w+\): unknown label 'stackabilty' "
                                                  r"\(did you mean 'stackability'\?\)"):
        import_file(out, store_dir=store, annotator="a")
    lines[1] = lines[1].replace('"stackabilty"', '"actors:employer"')
    out.write_text("\n".join(lines) + "\n")
    with pytest.raises(AnnotationFileError, match=r"unknown actors value 'employer' \(did you mean 'employers'\?\)"):
        import_file(out, store_dir=store, annotator="a")


FACETS = {"mc_elements": ["participation_form", "workload"], "participation_form": ["online"],
          "actors": ["awarding_qa_bodies", "employers"], "sectors": ["retail_trade"],
          "international": ["country:DK", "eu_mc_recommendation"],
          "workload": [{"value": 5, "unit": "ECTS"}, {"value": 20.5, "unit": "hours"}]}


def _facet_run(tmp_path: Path) -> Path:
    run = make_run(tmp_path / "run")
    seg = pd.read_parquet(run / "segments.parquet")
    seg["facets"] = [json.dumps(FACETS)] + ["{}"] * (len(seg) - 1)
    seg.to_parquet(run / "segments.parquet")
    return run


@pytest.mark.parametrize("fmt,ext", [("labelstudio", "json"), ("doccano", "jsonl"), ("csv", "csv")])
def test_facets_and_levels_travel_through_every_format(fmt: str, ext: str, tmp_path: Path) -> None:
    run, store = _facet_run(tmp_path), tmp_path / "store"
    out = tmp_path / f"t.{ext}"
    export_run(run, out, fmt, n=100, store_dir=store)
    first = pd.read_parquet(run / "segments.parquet")["segment_id"][0]
    if fmt == "labelstudio":  # the annotator accepts the prediction: it becomes the annotation
        tasks = json.loads(out.read_text())
        for t in tasks:
            t["annotations"] = [{"result": t["predictions"][0]["result"], "completed_by": {"email": "a@x"}}]
        out.write_text(json.dumps(tasks))
        config = (tmp_path / "t.json.config.xml").read_text()
        assert '<Choices name="actors"' in config and '<TextArea name="workload"' in config
        assert 'value="country:DK"' in config
    if fmt == "csv":
        row = next(r for r in _rows(out) if r["segment_id"] == first)
        assert row["actors:employers"] == "1" and row["international:country:DK"] == "1"
        assert row["workload"] == "5 ECTS; 20.5 hours"
    import_file(out, store_dir=store, annotator="a")
    gold = {r["id"]: r for r in training_records(store)}
    assert gold[first]["facets"] == FACETS
    assert all(r["facets"] == {} for sid, r in gold.items() if sid != first)
    levels = [r["nqf_levels"] for r in gold.values() if "nqf" in r["labels"]]
    assert levels and all(lv == [{"framework": "NFQ", "level": 6}] for lv in levels)


def test_human_levels_and_workload_units_checked(tmp_path: Path) -> None:
    run, store = _facet_run(tmp_path), tmp_path / "store"
    out = tmp_path / "t.csv"
    export_run(run, out, "csv", n=100, store_dir=store)
    rows = _rows(out)
    nqf_row = next(r for r in rows if r["nqf"] == "1")
    nqf_row["nqf_levels"] = "EQF 5; NFQ 6"
    rows[0]["workload"] = "5 ECTSs"
    _write(out, rows)
    with pytest.raises(AnnotationFileError, match=r"unknown workload unit 'ECTSs' \(did you mean 'ECTS'\?\)"):
        import_file(out, store_dir=store, annotator="a")
    rows[0]["workload"] = "5 ECTS"
    _write(out, rows)
    import_file(out, store_dir=store, annotator="a")
    gold = {r["id"]: r for r in training_records(store)}
    assert gold[nqf_row["segment_id"]]["nqf_levels"] == [{"framework": "EQF", "level": 5},
                                                         {"framework": "NFQ", "level": 6}]
    assert gold[rows[0]["segment_id"]]["facets"]["workload"] == [{"value": 5, "unit": "ECTS"}]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_cells_with_quotes_inside_keep_their_columns(tmp_path: Path, delimiter: str) -> None:
    """A quoted cell holding "" (a quote, as Excel writes it) is one cell: the header alone,
    which has no quotes, must not decide how quotes are read (batch 3's adjudication file)."""
    run, store = make_run(tmp_path / "run"), tmp_path / "store"
    out = tmp_path / "t.csv"
    export_run(run, out, "csv", n=2, store_dir=store)
    rows = _rows(out)
    rows[0]["context_before"] = 'The achievementType "Competency", not "Course", is meant.'
    for row in rows:  # every label, driver and facet cell 0, then one label each
        for key in row:
            if key in LABELS or ":" in key:
                row[key] = "0"
    rows[0]["nqf"], rows[1]["validation"] = "1", "1"
    with out.open("w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    assert '""Competency""' in out.read_text(encoding=CSV_ENCODING)
    import_file(out, store_dir=store, annotator="ann")
    got = {r["id"]: r["labels"] for r in training_records(store)}
    assert got == {rows[0]["segment_id"]: ["nqf"], rows[1]["segment_id"]: ["validation"]}
