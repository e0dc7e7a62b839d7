"""The `mctext annotate` commands end to end, and the selections behind `--select`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from mctext.annotate.select import load_run, select_ids, uncertainty
from mctext.annotate.store import training_records
from mctext.cli import app
from mctext.codebook import LABELS
from mctext.errors import MctextError
from test_annotate_fixtures import make_run, store_bytes

runner = CliRunner()


def mctext(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_cli_export_import_agreement_adjudicate_reanchor(tmp_path: Path) -> None:
    run, store = make_run(tmp_path / "run"), tmp_path / "store"
    code, out = mctext("annotate", "export", "--from", run, "--out", tmp_path / "t.jsonl", "--format", "doccano",
                       "--select", "uncertain", "--n", "5", "--store", store)
    assert code == 0 and "5 segments ->" in out
    lines = (tmp_path / "t.jsonl").read_text().splitlines()
    for name, labels in (("alice", ["nqf"]), ("bob", ["validation"])):
        f = tmp_path / f"{name}.jsonl"
        f.write_text("".join(json.dumps({**json.loads(line), "label": labels}) + "\n" for line in lines))
        code, out = mctext("annotate", "import", f, "--annotator", name, "--store", store)
        assert code == 0 and "5 annotations read, 5 stored, 0 already stored" in out, out
    code, out = mctext("annotate", "import", tmp_path / "alice.jsonl", "--annotator", "alice", "--store", store)
    assert code == 0 and "0 stored, 5 already stored" in out

    code, out = mctext("annotate", "agreement", "--store", store)
    assert code == 0 and "annotators: alice, bob; shared segments: 5" in out
    assert "disagreements: 5 (5 not adjudicated)" in out

    code, out = mctext("annotate", "adjudicate", "--from", run, "--out", tmp_path / "adj.json", "--store", store)
    assert code == 0 and "5 segments ->" in out and "adj.json.config.xml" in out
    tasks = json.loads((tmp_path / "adj.json").read_text())
    assert tasks[0]["data"]["note"] == "disputed: nqf, validation | alice: nqf; bob: validation"
    assert tasks[0]["predictions"] == []  # the disputed labels start blank, not as the model's

    before = store_bytes(store)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(lines[0] + "\n" + lines[1].replace('"label": [', '"label": ["nope", ') + "\n")
    code, out = mctext("annotate", "import", bad, "--annotator", "x", "--store", store)
    assert code == 1 and "refused, nothing stored: bad.jsonl (doccano): line 2" in out and "Traceback" not in out
    assert store_bytes(store) == before

    code, out = mctext("annotate", "reanchor", "--from", run, "--store", store)
    assert code == 0 and "5 unchanged, 0 re-attached, 0 not re-attached" in out

    code, out = mctext("annotate", "export", "--from", tmp_path / "nowhere", "--out", tmp_path / "x.csv")
    assert code == 1 and "no segments.parquet" in out


def test_model_thresholds_come_from_the_model_that_scored_the_run(tmp_path: Path) -> None:
    from mctext.annotate.select import model_thresholds
    from mctext.classify import load_classifier

    clf = load_classifier()
    if not clf.thresholds:
        pytest.skip("no trained model in models/default")
    scored = pd.DataFrame({"model_version": [clf.version, clf.version]})
    thresholds = model_thresholds(scored)
    assert thresholds == clf.thresholds and set(thresholds) == set(LABELS)
    assert model_thresholds(pd.DataFrame({"model_version": ["another-model"]})) is None


def test_select_uncertain_label_lang_country(tmp_path: Path) -> None:
    seg, docs = load_run(make_run(tmp_path / "run"))
    u = uncertainty(seg)
    picked = select_ids(seg, docs, "uncertain", 3)
    assert len(picked) == 3
    assert min(u[seg["id"].isin(picked)]) >= sorted(u, reverse=True)[2]  # the three least sure
    # 1 - |2p - 1|: a score of exactly 0.5 is maximally uncertain, 0.05 or 0.95 nearly sure
    one = pd.DataFrame({f"score_{lab}": [0.95] for lab in LABELS}).assign(**{f"score_{LABELS[0]}": [0.5]})
    assert uncertainty(one).iloc[0] == pytest.approx(1.0)

    # against the model's thresholds: a stackability score of 0.55 sits on its 0.55 threshold
    pair = pd.DataFrame({"score_stackability": [0.55, 0.5], "score_driver": [0.1, 0.1]})
    assert list(uncertainty(pair)) == pytest.approx([0.9, 1.0])  # 0.5 for every label
    on_model = uncertainty(pair, {"stackability": 0.55, "driver": 0.35})
    assert list(on_model) == pytest.approx([1.0, 0.5 / 0.55])
    # a label left out of the thresholds does not count
    assert list(uncertainty(pair, {"driver": 0.35})) == pytest.approx([0.1 / 0.35, 0.1 / 0.35])

    with_nqf = select_ids(seg, docs, "label=nqf", 100)
    assert with_nqf and all("nqf" in list(seg.set_index("id").loc[i, "labels"]) for i in with_nqf)
    assert set(select_ids(seg, docs, "random", 100, lang="de")) == set(seg[seg["lang"] == "de"]["id"])
    assert set(select_ids(seg, docs, "random", 100, country="IE")) == set(seg[seg["doc_id"] == "d1"]["id"])
    assert select_ids(seg, docs, "random", 4, seed=7) == select_ids(seg, docs, "random", 4, seed=7)
    with pytest.raises(MctextError, match="unknown label 'nfq'"):
        select_ids(seg, docs, "label=nfq", 3)
    with pytest.raises(MctextError, match="use one of"):
        select_ids(seg, docs, "sometimes", 3)


def test_training_records_of_an_empty_store(tmp_path: Path) -> None:
    assert training_records(tmp_path / "no-store-yet") == []


@pytest.mark.slow
def test_real_run_output_round_trip(original_dir: Path, tmp_path: Path) -> None:
    """A real `mctext run` on two small corpus documents: export, correct, import, train-ready records."""
    from mctext.runner import run

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for src in sorted(original_dir.glob("*.md"), key=lambda p: p.stat().st_size)[:2]:
        (corpus / src.name).symlink_to(src)
    out, store = tmp_path / "out", tmp_path / "store"
    run(corpus, out, progress=False, annotations_dir=None)
    code, text = mctext("annotate", "export", "--from", out, "--out", tmp_path / "t.csv", "--format", "csv",
                        "--n", "6", "--store", store)
    assert code == 0, text
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))
    rows[0]["quality_trust"] = "0" if rows[0]["quality_trust"] == "1" else "1"  # the annotator's correction
    with (tmp_path / "t.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, text = mctext("annotate", "import", tmp_path / "t.csv", "--annotator", "me", "--store", store,
                        "--from", out)
    assert code == 0 and "6 stored" in text, text
    gold = {r["id"]: r for r in training_records(store)}
    assert len(gold) == 6 and all(r["text"] and r["lang"] and r["doc"].endswith(".md") for r in gold.values())
    assert ("quality_trust" in gold[rows[0]["segment_id"]]["labels"]) == (rows[0]["quality_trust"] == "1")
