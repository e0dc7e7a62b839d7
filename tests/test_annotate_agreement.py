"""Acceptance 4: agreement figures against hand-computed values; disagreement -> adjudication -> final label."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest

from mctext.annotate import (
    agreement_report,
    cohen_kappa,
    export_run,
    import_file,
    krippendorff_alpha_nominal,
)
from mctext.annotate.store import final_labels, training_records
from mctext.codebook import LABELS
from test_annotate_fixtures import make_run

# Ten segments, label "driver", two annotators (1 = driver applies).
A = [1, 1, 1, 0, 0, 0, 0, 0, 1, 0]
B = [1, 1, 0, 0, 0, 0, 0, 1, 1, 0]


def test_cohen_kappa_by_hand() -> None:
    # agreements: segments 0,1,8 (both 1) + 3,4,5,6,9 (both 0) = 8 of 10  -> p_o = 0.8
    # A says 1 four times, B says 1 four times:
    #   p_e = (4/10)(4/10) + (6/10)(6/10) = 0.16 + 0.36 = 0.52
    # kappa = (0.8 - 0.52) / (1 - 0.52) = 0.28 / 0.48 = 0.58333...
    assert cohen_kappa(A, B) == pytest.approx(0.28 / 0.48)
    assert cohen_kappa(A, A) == pytest.approx(1.0)
    assert math.isnan(cohen_kappa([0, 0], [0, 0]))  # no variation: undefined, not 1


def test_krippendorff_alpha_two_coders_by_hand() -> None:
    # coincidences (each unit m=2, every ordered pair weighs 1/(m-1) = 1):
    #   3 units (1,1) -> o11 = 6;  5 units (0,0) -> o00 = 10;  (1,0) and (0,1) -> o10 = 2, o01 = 2
    #   n1 = 6 + 2 = 8, n0 = 10 + 2 = 12, n = 20
    # alpha = 1 - (n-1) * (o10 + o01) / (n1*n0 + n0*n1) = 1 - 19 * 4 / 192 = 1 - 76/192 = 0.604166...
    assert krippendorff_alpha_nominal([[a, b] for a, b in zip(A, B, strict=True)]) == pytest.approx(1 - 76 / 192)


def test_krippendorff_alpha_three_coders_with_missing_by_hand() -> None:
    units = [[1, 1, 1], [0, 0, 0], [1, 0, 1], [0, 0], [1]]
    # u1 (m=3): 6 ordered pairs (1,1), weight 1/2 -> o11 += 3
    # u2 (m=3): 6 ordered pairs (0,0), weight 1/2 -> o00 += 3
    # u3 (m=3): (1,0) x2, (0,1) x2, (1,1) x2, weight 1/2 -> o10 += 1, o01 += 1, o11 += 1
    # u4 (m=2): (0,0) x2, weight 1 -> o00 += 2
    # u5 (m=1): unpairable, ignored
    # o11 = 4, o00 = 5, o10 = o01 = 1;  n1 = 5, n0 = 6, n = 11
    # alpha = 1 - 10 * 2 / (5*6 + 6*5) = 1 - 20/60 = 0.6666...
    assert krippendorff_alpha_nominal(units) == pytest.approx(2 / 3)
    assert math.isnan(krippendorff_alpha_nominal([[1, 1], [1, 1]]))


def _annotate(path: Path, choices: dict[str, list[str]], out: Path) -> Path:
    """A doccano file where each segment gets ``choices[segment_id]``."""
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    out.write_text("".join(json.dumps({**o, "label": choices[o["segment_id"]]}) + "\n" for o in lines))
    return out


@pytest.fixture
def ten(tmp_path: Path) -> tuple[Path, Path, list[str], Path]:
    sentences = [f"Sentence number {i} about micro-credentials." for i in range(10)]
    run = make_run(tmp_path / "run", [("d1", 1, sentences)])
    store = tmp_path / "store"
    tasks = tmp_path / "tasks.jsonl"
    export_run(run, tasks, "doccano", n=10, store_dir=store)
    by_text = {json.loads(line)["text"]: json.loads(line)["segment_id"] for line in tasks.read_text().splitlines()}
    ids = [by_text[s] for s in sentences]
    return run, store, ids, tasks


def test_agreement_from_the_store_and_adjudication(ten: tuple[Path, Path, list[str], Path], tmp_path: Path) -> None:
    run, store, ids, tasks = ten
    for name, marks in (("alice", A), ("bob", B)):
        # both also mark nqf everywhere: no variation, so kappa/alpha for nqf are undefined
        f = _annotate(tasks, {sid: (["driver"] if m else []) + ["nqf"] for sid, m in zip(ids, marks, strict=True)},
                      tmp_path / f"{name}.jsonl")
        import_file(f, store_dir=store, annotator=name)

    report = agreement_report(store)
    assert report.annotators == ["alice", "bob"] and report.shared_segments == 10
    by_label = {la.label: la for la in report.labels}
    assert by_label["driver"].kappa == pytest.approx(0.28 / 0.48)
    assert by_label["driver"].alpha == pytest.approx(1 - 76 / 192)
    assert math.isnan(by_label["nqf"].kappa) and math.isnan(by_label["nqf"].alpha)
    assert sorted(d.segment_id for d in report.disagreements) == sorted([ids[2], ids[7]])
    d2 = next(d for d in report.disagreements if d.segment_id == ids[2])
    assert d2.by_annotator == {"alice": ["driver", "nqf"], "bob": ["nqf"]} and not d2.adjudicated

    # before adjudication: agreed segments are final by agreement, the two disputes by "latest" (bob)
    final = final_labels(store)
    assert final[ids[0]]["final_by"] == "agreed" and final[ids[2]]["final_by"] == "latest"
    assert final[ids[2]]["labels"] == ["nqf"]

    # adjudication: export the disagreements, the adjudicator decides, import with --adjudication
    adj = tmp_path / "adjudicate.csv"
    assert export_run(run, adj, "csv", select="disagreement", n=100, store_dir=store).segments == 2
    text = adj.read_text(encoding="utf-8-sig")
    assert "alice: driver, nqf; bob: nqf" in text  # the note shows what each annotator chose
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:  # the adjudicator's decision for both: driver + stackability
        row.update({lab: "1" if lab in ("driver", "stackability") else "0" for lab in LABELS})
    with adj.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    import_file(adj, store_dir=store, annotator="carol", adjudication=True)

    assert [d.adjudicated for d in agreement_report(store).disagreements] == [True, True]
    gold = {r["id"]: r for r in training_records(store)}
    assert gold[ids[2]]["labels"] == gold[ids[7]]["labels"] == ["driver", "stackability"]
    assert gold[ids[0]]["labels"] == ["driver", "nqf"] and gold[ids[3]]["labels"] == ["nqf"]
    assert final_labels(store)[ids[7]]["final_by"] == "adjudicated"
    assert set(gold[ids[0]]) >= {"id", "text", "lang", "labels", "driver_types", "nqf_levels", "countries", "doc"}
    assert gold[ids[0]]["doc"] == "policy_en.pdf" and gold[ids[0]]["lang"] == "en"
    with pytest.raises(Exception, match="no segments match"):  # nothing left to adjudicate
        export_run(run, tmp_path / "again.csv", "csv", select="disagreement", store_dir=store)


def test_latest_label_of_one_annotator_wins(ten: tuple[Path, Path, list[str], Path], tmp_path: Path) -> None:
    _run, store, ids, tasks = ten
    import_file(_annotate(tasks, dict.fromkeys(ids, ["validation"]), tmp_path / "v1.jsonl"), store_dir=store,
                annotator="alice")
    second = import_file(_annotate(tasks, {**dict.fromkeys(ids, ["validation"]), ids[4]: []},
                                   tmp_path / "v2.jsonl"), store_dir=store, annotator="alice")
    assert second.stored == 1 and second.already_stored == 9  # unchanged rows are not stored twice
    gold = {r["id"]: r["labels"] for r in training_records(store)}
    assert gold[ids[4]] == [] and gold[ids[5]] == ["validation"]
    assert agreement_report(store).shared_segments == 0  # one annotator: nothing to compare


def test_pass_agreement_pools_the_batches(tmp_path: Path) -> None:
    """Kappa over the segments both passes labelled, pooled across batches (checked against cohen_kappa)."""
    from mctext.annotate.agreement import pass_agreement

    def write(path: Path, rows: list[tuple[str, list[str]]]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps({"segment_id": sid, "label": labels}) + "\n" for sid, labels in rows))

    write(tmp_path / "b1" / "passA.jsonl", [("s1", ["nqf"]), ("s2", []), ("s3", ["nqf", "validation"])])
    write(tmp_path / "b1" / "passB.jsonl", [("s1", ["nqf"]), ("s2", ["nqf"]), ("s3", ["validation"])])
    write(tmp_path / "b2" / "passA.jsonl", [("t1", []), ("t2", ["validation"]), ("only_a", ["nqf"])])
    write(tmp_path / "b2" / "passB.jsonl", [("t1", []), ("t2", ["validation"])])
    (tmp_path / "not_a_batch").mkdir()
    got = pass_agreement(tmp_path)
    assert got["segments"] == 5 and got["batches"] == ["b1", "b2"]
    nqf_a, nqf_b = [True, False, True, False, False], [True, True, False, False, False]
    assert got["kappa"]["nqf"] == round(cohen_kappa(nqf_a, nqf_b), 3)
    assert got["kappa"]["validation"] == 1.0 and got["kappa"]["driver"] is None  # never used: undefined
    assert pass_agreement(tmp_path / "not_a_batch") == {}


def test_pass_agreement_gives_each_facet_and_value_its_kappa(tmp_path: Path) -> None:
    """Facets pooled like labels: kappa on "states any value" and per value, with each pass's count."""
    from mctext.annotate.agreement import pass_agreement

    a = [{"actors": ["learners"]}, {"actors": ["learners", "employers"]}, {}, {"sectors": ["ict"]}]
    b = [{"actors": ["learners"]}, {"actors": ["employers"]}, {"actors": ["providers"]}, {}]
    for name, rows in (("passA", a), ("passB", b)):
        path = tmp_path / "b1" / f"{name}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps({"segment_id": f"s{i}", "label": [], "facets": f}) + "\n"
                                for i, f in enumerate(rows)))
    got = pass_agreement(tmp_path)["facets"]
    assert set(got) == {"actors", "sectors"}  # facets neither pass used are left out
    any_a, any_b = [True, True, False, False], [True, True, True, False]
    assert got["actors"]["any_value"] == round(cohen_kappa(any_a, any_b), 3)
    learners = got["actors"]["values"]["learners"]
    assert learners == {"kappa": round(cohen_kappa([True, True, False, False], [True, False, False, False]), 3),
                        "a": 2, "b": 1}
    assert got["actors"]["values"]["providers"] == {"kappa": 0.0, "a": 0, "b": 1}
    assert "social_partners" not in got["actors"]["values"]
    assert got["sectors"]["any_value"] == 0.0 and got["sectors"]["values"]["ict"]["a"] == 1
