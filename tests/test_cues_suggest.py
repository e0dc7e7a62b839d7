"""`mctext cues suggest`: candidates from a built run, and from a real run over corpus documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import ORIGINAL, requires_shared
from mctext.classify.suggest import suggest_cues
from mctext.cli import app
from mctext.errors import MctextError


def _cue(label: str, text: str) -> dict:
    return {"label": label, "cue": f"en:{text.lower()}", "text": text, "start": 0, "end": len(text)}


def _run(tmp_path: Path) -> Path:
    rows = []
    texts = [
        ("The Short Certified Learning Unit micro-credential (SCLU) is awarded after 4 weeks.", ["microcredential"], 0.95,
         [_cue("microcredential", "micro-credential")]),
        ("Every SCLU states its learning outcomes.", [], 0.2, []),
        ("Each SCLU is issued by an accredited provider.", [], 0.3, []),
        ("Learners collect a micro-credential for each course of the pathway.", ["microcredential"], 0.9,
         [_cue("microcredential", "micro-credential")]),
        ("A micro-credential pathway is open to employees.", ["microcredential"], 0.9,
         [_cue("microcredential", "micro-credential")]),
        ("The regional budget for schools rose by three percent.", [], 0.01, []),
    ]
    for i, (text, labels, score, cues) in enumerate(texts):
        rows.append({"id": f"s{i}", "doc_id": "d1", "text": text, "lang": "en", "labels": labels, "cues": json.dumps(cues),
                     "score_microcredential": score, "label_source": "model"})
    run = tmp_path / "run"
    run.mkdir()
    pd.DataFrame(rows).to_parquet(run / "segments.parquet")
    return run


def test_acronym_defined_for_the_concept_is_proposed(tmp_path: Path) -> None:
    candidates = suggest_cues(_run(tmp_path), "microcredential")
    defined = {c.term: c for c in candidates if c.kind == "defined"}
    assert "SCLU" in defined
    sclu = defined["SCLU"]
    assert sclu.positives == 1 and sclu.others == 2  # its later uses are not labelled yet: the gap it fills
    assert sclu.examples[0]["segment_id"] == "s0"
    # "pathway" co-occurs with the positives only; words already inside a cue match are not proposed
    co = {c.term for c in candidates if c.kind == "cooccurring"}
    assert "pathway" in co and not any("micro-credential" in t for t in co)


def test_unknown_label_and_missing_run_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MctextError, match="not a codebook label"):
        suggest_cues(_run(tmp_path), "microcredentials")
    with pytest.raises(MctextError, match="segments.parquet"):
        suggest_cues(tmp_path / "nothing", "nqf")


@pytest.mark.slow
@requires_shared
def test_cues_suggest_on_a_real_run(tmp_path: Path) -> None:
    """A run over real documents, then the CLI: every example is a real segment of the run."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("XX_1edtech_openbadges3_overview_2024_en.md", "EU_dc4eu_EUHEMC_higher_education_microcredential_2025_en.md",
                 "ES_boe_rd-822-2021-ensenanzas-universitarias_2021_es.md"):
        shutil.copy(ORIGINAL / name, corpus / name)
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["cues", "suggest", str(out), "--label", "microcredential", "--json", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    candidates = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert candidates and {"defined", "cooccurring"} <= {c["kind"] for c in candidates}
    segments = pd.read_parquet(out / "segments.parquet")
    ids = set(segments["segment_id" if "segment_id" in segments.columns else "id"])
    assert all(e["segment_id"] in ids for c in candidates for e in c["examples"])
    # The Open Badges overview defines its own acronyms for the credential family (e.g. CLR).
    assert any(c["kind"] == "defined" and c["term"].isupper() for c in candidates)


def test_evaluate_run_scores_the_runs_own_labels_by_text(tmp_path: Path) -> None:
    """`mctext evaluate --run`: gold found in the run by normalised text, scored on the run's labels."""
    from mctext.classify.evaluate import evaluate_run

    run = _run(tmp_path)
    gold = [
        {"id": "g1", "text": "every  SCLU states its learning outcomes.", "labels": ["microcredential"], "lang": "en"},
        {"id": "g2", "text": "A micro-credential pathway is open to employees.", "labels": ["microcredential"], "lang": "en"},
        {"id": "g3", "text": "Not in the run at all.", "labels": [], "lang": "en"},
    ]
    m = evaluate_run(run, gold)
    assert m["gold_segments"] == 3 and m["found_in_run"] == 2
    mc = m["labels"]["microcredential"]
    assert (mc["tp"], mc["fn"], mc["fp"]) == (1, 1, 0)  # the SCLU sentence is unlabelled in this run


def test_evaluate_run_refuses_a_run_whose_labels_are_the_human_ones(tmp_path: Path) -> None:
    """A run without --no-human carries the store's labels: scoring them against the same gold measures nothing."""
    import pandas as pd
    import pytest

    from mctext.classify.evaluate import evaluate_run
    from mctext.errors import MctextError

    pd.DataFrame([{"text": "A micro-credential pathway.", "labels": ["microcredential"], "label_source": "human"}]
                 ).to_parquet(tmp_path / "segments.parquet")
    with pytest.raises(MctextError, match="--no-human"):
        evaluate_run(tmp_path, [{"id": "g", "text": "A micro-credential pathway.", "labels": ["microcredential"]}])
