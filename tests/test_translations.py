"""The translation sets: training examples from training documents, a consistency set from held-out ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mctext.classify.train import is_heldout, load_records, split_heldout
from mctext.codebook import LABELS

ROOT = Path(__file__).resolve().parent.parent
TRAIN_FILES = sorted((ROOT / "annotations" / "examples").glob("translations*.jsonl"))
HELDOUT = ROOT / "annotations" / "translations" / "heldout.jsonl"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not TRAIN_FILES, reason="no translation examples")
@pytest.mark.parametrize("path", TRAIN_FILES, ids=lambda p: p.name)
def test_training_translations_come_from_training_documents_and_train(path: Path) -> None:
    rows = _lines(path)
    assert rows and all(r["translation"] and r["translation_of"] and r["lang"] != r["source_lang"] for r in rows)
    assert not any(is_heldout(r["doc"]) for r in rows)  # never a held-out document's sentence
    assert all(set(r["labels"]) <= set(LABELS) for r in rows)
    training, held = split_heldout(load_records())
    ids = {r["id"] for r in training}
    assert {r["id"] for r in rows} <= ids and not {r["id"] for r in rows} & {r["id"] for r in held}


@pytest.mark.skipif(not HELDOUT.is_file(), reason="no translation consistency set")
def test_consistency_set_is_held_out_and_never_trained_on() -> None:
    rows = _lines(HELDOUT)
    assert rows and all(is_heldout(r["doc"]) for r in rows)  # translations of held-out segments only
    assert len({r["id"] for r in rows}) == len(rows)
    trained = {r["id"] for r in load_records()}
    assert not {r["id"] for r in rows} & trained
    assert len({r["lang"] for r in rows}) >= 6
