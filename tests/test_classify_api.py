"""The classify contract: CLI lines, the Python API, the rules-only fallback, the model card."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mctext.classify import classify, classify_segments, load_classifier
from mctext.cli import app
from mctext.codebook import LABELS
from mctext.config import MODELS_DIR
from mctext.records import Segment

OUT_KEYS = {"id", "labels", "scores", "driver_types", "nqf_levels", "countries", "cues"}
DEFAULT = MODELS_DIR / "default"
needs_model = pytest.mark.skipif(not (DEFAULT / "model.json").is_file(), reason="no trained model in models/default")


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_cli_classify_contract(tmp_path: Path) -> None:
    inp = _write(tmp_path / "in.jsonl", [
        {"id": "a", "text": "Micro-credentials at EQF level 5 are offered in Finland.", "lang": "en"},
        {"id": "b", "text": "Das Wetter war gestern schön."},
    ])
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["classify", "--input", str(inp), "--output", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    for r in rows:
        assert set(r) >= OUT_KEYS
        assert set(r["scores"]) == set(LABELS) and all(0.0 <= v <= 1.0 for v in r["scores"].values())
    a, b = rows
    assert "microcredential" in a["labels"] and "nqf" in a["labels"]
    assert a["nqf_levels"] == [{"framework": "EQF", "level": 5}] and a["countries"] == ["FI"]
    assert {"label", "cue", "text", "start", "end"} <= set(a["cues"][0])
    assert b["labels"] == [] and b["nqf_levels"] == [] and b["countries"] == []


def test_cli_classify_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["classify", "--input", str(tmp_path / "missing.jsonl"), "--output", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 1 and "no such file" in res.output and "Traceback" not in res.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    res = runner.invoke(app, ["classify", "--input", str(bad), "--output", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 1 and ":1:" in res.output


def test_cli_evaluate(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.jsonl", [
        {"id": "1", "text": "Learners receive a micro-credential after the course.", "lang": "en", "labels": ["microcredential"],
         "driver_types": [], "nqf_levels": [], "countries": []},
        {"id": "2", "text": "The museum opens at nine.", "lang": "en", "labels": [], "driver_types": [], "nqf_levels": [], "countries": []},
    ])
    js = tmp_path / "m.json"
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--json", str(js)])
    assert res.exit_code == 0, res.output
    assert "macro F1" in res.output and "NQF levels" in res.output
    m = json.loads(js.read_text(encoding="utf-8"))
    assert m["labels"]["microcredential"]["support"] == 1 and "languages" in m and "countries" in m


def test_python_api_dataframe() -> None:
    df = classify(["Mikrodokazila so kratki programi.", "Nothing here."], ["sl", "en"])
    assert list(df.columns[:3]) == ["id", "text", "labels"] and len(df) == 2
    assert "microcredential" in df.loc[0, "labels"] and df.loc[1, "labels"] == []


def test_classify_segments_uses_section_for_countries() -> None:
    segs = [
        Segment(id="s1", doc_id="d", page=1, page_end=1, start=0, end=20, text="Courses are modular.", lang="en", section="2 Ireland"),
        Segment(id="s2", doc_id="d", page=1, page_end=1, start=21, end=40, text="Courses are modular.", lang="en", section="3 Fees"),
    ]
    p1, p2 = classify_segments(segs, doc_country="FR")
    assert p1.id == "s1" and p1.countries == ["IE"] and p2.countries == ["FR"]
    assert p1.model_version and "stackability" in p1.labels


def test_rules_only_fallback(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        clf = load_classifier(tmp_path / "nowhere")
    assert clf.version.startswith("rules-only") and "rules only" in caplog.text
    (p,) = clf.predict(["Die Teilqualifikation wird angerechnet."], ["de"])
    assert "stackability" in p.labels and p.scores["stackability"] == 1.0


@needs_model
def test_default_model_card() -> None:
    card = json.loads((DEFAULT / "card.json").read_text(encoding="utf-8"))
    for key in ("training_data_sha256", "features", "embedding_model", "thresholds", "policies", "grouped_cv", "date"):
        assert key in card, key
    assert set(card["thresholds"]) == set(LABELS) and len(card["training_data_sha256"]) == 64
    cv = card["grouped_cv"]["model"]
    assert {"labels", "macro_f1", "micro_f1", "nqf_levels", "countries", "languages"} <= set(cv)
    md = (DEFAULT / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card["training_data_sha256"] in md and "Grouped cross-validation" in md
    assert (DEFAULT / "model.npz").stat().st_size < 20_000_000


@needs_model
def test_default_model_card_reports_the_passes_agreement() -> None:
    """Issue 11 acceptance 2: the card shows the two labelling passes' kappa per label, as the passes give it."""
    from mctext.annotate.agreement import pass_agreement
    from mctext.config import PASSES_DIR

    card = json.loads((DEFAULT / "card.json").read_text(encoding="utf-8"))
    expected = pass_agreement(PASSES_DIR)
    if not expected:
        pytest.skip("no labelling passes under annotations/passes")
    assert card["agreement"] == expected and set(expected["kappa"]) == set(LABELS)
    md = (DEFAULT / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Agreement of the two labelling passes" in md
    assert all(f"| {lab} | {k:.3f} |" in md for lab, k in expected["kappa"].items())


def test_train_writes_model_and_card(tmp_path: Path) -> None:
    from mctext.classify.train import train

    texts = {
        "microcredential": ["A micro-credential was issued to {}.", "{} earned a digital badge for the course."],
        "stackability": ["{} collected 5 ECTS credits towards the degree.", "Modules taken by {} can be stacked."],
        "": ["{} went to the market on Monday.", "The weather was cold for {}."],
    }
    names = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]
    records = []
    for d, name in enumerate(names):
        for label, templates in texts.items():
            for k, t in enumerate(templates):
                records.append({"id": f"{d}-{label}-{k}", "text": t.format(name), "lang": "en", "doc": f"doc{d}",
                                "doc_country": "", "labels": [label] if label else [], "driver_types": [],
                                "nqf_levels": [], "countries": [], "source": "seed"})
    card = train(tmp_path / "m", "tfidf", cv=True, records=records, n_splits=3)
    assert {p.name for p in (tmp_path / "m").iterdir()} == {"model.json", "model.npz", "card.json", "MODEL_CARD.md"}
    assert card["training_records"] == {"seed": len(records)} and card["grouped_cv"]["groups"] == 6
    clf = load_classifier(tmp_path / "m")
    assert clf.version == card["model_version"] and clf.card["training_data_sha256"] == card["training_data_sha256"]


def test_heldout_documents_never_train_and_are_scored(tmp_path: Path) -> None:
    """The split is by document hash: held-out documents are scored, never trained on."""
    from mctext.classify.train import is_heldout, split_heldout, train

    docs = [f"doc{d}" for d in range(12)]
    held_docs = [d for d in docs if is_heldout(d)]
    assert held_docs and len(held_docs) < len(docs)  # doc8 and doc11 with HELDOUT_SHARE 0.25
    assert [is_heldout(d) for d in docs] == [is_heldout(d) for d in docs]  # stable
    assert not is_heldout("examples:driver")  # written examples are training material only
    records = []
    for d in docs:
        for k in range(3):
            records.append({"id": f"{d}-{k}", "text": f"A micro-credential number {k} of {d}.", "lang": "en",
                            "doc": d, "doc_country": "", "labels": ["microcredential"], "driver_types": [],
                            "nqf_levels": [], "countries": [], "source": "seed"})
            records.append({"id": f"{d}-n{k}", "text": f"The weather on day {k} in {d}.", "lang": "en",
                            "doc": d, "doc_country": "", "labels": [], "driver_types": [],
                            "nqf_levels": [], "countries": [], "source": "seed"})
    training, held = split_heldout(records)
    assert {r["doc"] for r in held} == set(held_docs)
    assert not {r["doc"] for r in training} & set(held_docs)
    card = train(tmp_path / "m", "tfidf", cv=True, records=records, n_splits=3)
    assert card["heldout"]["documents"] == sorted(held_docs)
    assert card["heldout"]["model"]["n"] == len(held)
    assert card["grouped_cv"]["groups"] == len(docs) - len(held_docs)
    assert card["training_records"] == {"seed": len(training)}
    assert set(card["cv_minus_heldout"]) == {"macro_f1", "macro_f1_frequent", "micro_f1"}
    assert "Held-out documents" in (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_saved_model_predicts_as_the_trained_one_without_sklearn(tmp_path: Path) -> None:
    """model.json + model.npz hold plain data: a fresh process loads them without importing sklearn."""
    import subprocess
    import sys

    from mctext.classify.model import Classifier
    from mctext.classify.train import fit_classifier

    records = [
        {"id": f"{d}-{k}", "text": text.format(d), "lang": "en", "doc": f"doc{d % 4}", "doc_country": "",
         "labels": labels, "driver_types": [], "nqf_levels": [], "countries": [], "source": "seed"}
        for d in range(12)
        for k, (text, labels) in enumerate([
            ("Course {} ends with a micro-credential badge.", ["microcredential"]),
            ("Module {} credits can be stacked towards a degree.", ["stackability"]),
            ("Prior learning of group {} is validated (RPL).", ["validation"]),
            ("Room {} is on the second floor.", []),
        ])
    ]
    trained = fit_classifier(records, "tfidf")
    trained.save(tmp_path / "m")
    texts = ["A micro-credential for course 99.", "Credits of module 7 stack.", "Nothing here at all.", ""]
    expected = [(p.labels, p.scores) for p in trained.predict(texts)]
    loaded = Classifier.load(tmp_path / "m")
    assert [(p.labels, p.scores) for p in loaded.predict(texts)] == expected
    script = (
        "import sys, json; from mctext.classify.model import Classifier; "
        f"c = Classifier.load(__import__('pathlib').Path({str(tmp_path / 'm')!r})); "
        f"print(json.dumps([[p.labels, p.scores] for p in c.predict({texts!r})])); "
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split("\n")
    assert json.loads(out[0]) == [[labels, scores] for labels, scores in expected]
    assert out[1] == "False"


def test_human_labels_win_over_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mctext.annotate.store as store
    from mctext.classify.train import load_records

    seed = _write(tmp_path / "seed.jsonl", [
        {"id": "s1", "text": "Modules can be stacked.", "lang": "en", "doc": "D1", "doc_country": "IE",
         "labels": [], "driver_types": [], "nqf_levels": [], "countries": ["IE"]},
        {"id": "s2", "text": "Nothing.", "lang": "en", "doc": "D1", "doc_country": "IE",
         "labels": [], "driver_types": [], "nqf_levels": [], "countries": ["IE"]},
    ])
    human = [{"id": "s1", "text": "Modules can be stacked.", "lang": "en", "labels": ["stackability"], "driver_types": [],
              "nqf_levels": [], "countries": ["IE"], "doc": "", "doc_country": ""}]
    monkeypatch.setattr(store, "training_records", lambda store_dir: human)
    recs = {r["id"]: r for r in load_records(seed, None, tmp_path)}
    assert recs["s1"]["labels"] == ["stackability"] and recs["s1"]["source"] == "human"
    assert recs["s1"]["doc"] == "D1"  # seed metadata kept where the store has none
    assert recs["s2"]["source"] == "seed"


def test_only_settled_human_labels_train(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A single pass, or two passes that disagree before adjudication, is not a training label."""
    import mctext.annotate.store as store
    from mctext.classify.train import load_records

    def rec(sid: str, final_by: str) -> dict:
        return {"id": sid, "text": f"Text {sid}.", "lang": "en", "labels": ["nqf"], "driver_types": [],
                "nqf_levels": [], "countries": [], "doc": "D1", "doc_country": "", "final_by": final_by}

    human = [rec("a", "agreed"), rec("b", "adjudicated"), rec("c", "single"), rec("d", "latest"), rec("e", "merged")]
    monkeypatch.setattr(store, "training_records", lambda store_dir: human)
    assert sorted(r["id"] for r in load_records(None, None, tmp_path)) == ["a", "b", "e"]


def test_section_heading_reaches_the_trained_layer(tmp_path: Path) -> None:
    """The same sentence scores higher for a label when its section heading names that label's
    concept, when training data taught that; the saved model keeps the context features."""
    from mctext.classify.features.embed import (
        context_feature_names,
        context_features,
        context_rules,
    )
    from mctext.classify.model import Classifier
    from mctext.classify.train import fit_classifier

    block = context_features(context_rules(["2. Micro-credentials > Quality", "2. Scope"], ["en", "en"]), 2)
    j = context_feature_names().index("section:microcredential")
    assert (block[0, j], block[1, j]) == (1, 0)
    records = [
        {"id": f"{d}-{k}", "text": f"These courses {d} are offered to adults in region {k}.", "lang": "en",
         "doc": f"doc{d % 6}", "doc_country": "", "labels": ["microcredential"] if k % 2 else [],
         "section": "3 Micro-credentials" if k % 2 else "3 Adult education", "doc_title": "",
         "driver_types": [], "nqf_levels": [], "countries": [], "source": "seed"}
        for d in range(12) for k in range(6)
    ]
    trained = fit_classifier(records, "tfidf")
    text = ["These courses 5 are offered to adults in region 9."]
    under_mc = trained.predict(text, ["en"], sections=["4 Micro-credentials"])[0].scores["microcredential"]
    elsewhere = trained.predict(text, ["en"], sections=["4 Adult education"])[0].scores["microcredential"]
    assert under_mc > elsewhere + 0.2
    trained.save(tmp_path / "m")
    loaded = Classifier.load(tmp_path / "m")
    assert loaded.models.featurizer.context
    assert loaded.predict(text, ["en"], sections=["4 Micro-credentials"])[0].scores["microcredential"] == under_mc
