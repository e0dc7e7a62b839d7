"""The French tokenizer snapshot must propose exactly the sentence starts of spaCy's French."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.pipeline import Sentencizer

from mctext import segment
from mctext.extract.quality import truth_text

FRENCH = (
    "M. Dupont est arrivé aujourd'hui à 10 h. Peut-être demain. Le Premier-ministre l'a dit : c'est-à-dire "
    "l'État, etc. La VAE (validation des acquis de l'expérience) est-elle ouverte à tous ? Oui ! "
    "Voir l'art. 6, al. 2, p. 14 et le niveau 5 du RNCP. « Les micro-certifications… » sont-elles reconnues ? "
    "Entr'ouvert, arc-en-ciel, pet-en-l'air. 1er janvier 2024. Av. J.-C. ou apr. J.-C. Mme. Martin, Dr. Blanc."
)


def _splitter_of(nlp: spacy.Language) -> segment._Splitter:
    hashes = frozenset(nlp.vocab.strings.add(c) for c in Sentencizer.default_punct_chars)
    shapes = frozenset(nlp.vocab.strings.add(s) for s in ("d.", "dd.", "ddd."))
    return segment._Splitter(tokenizer=nlp.tokenizer, punct_hashes=hashes, ordinal_shapes=shapes)


@pytest.fixture(scope="module")
def french_pair() -> tuple[segment._Splitter, segment._Splitter]:
    if not segment.tokenizer_snapshot("fr").is_file():
        pytest.skip(f"no French tokenizer snapshot for spaCy {spacy.__version__} (scripts/snapshot_tokenizers.py)")
    full = _splitter_of(spacy.blank("fr"))
    snap = segment._splitter("fr")
    assert snap.tokenizer.token_match is None, "the snapshot should be in use"
    return full, snap


def test_snapshot_keeps_french_exceptions(french_pair) -> None:
    _, snap = french_pair
    words = [t.text for t in snap.tokenizer("M. Dupont arrive à 10 h. demain")]
    assert words[:1] == ["M."] and "h." in words


def test_snapshot_proposes_the_same_starts_on_built_text(french_pair) -> None:
    full, snap = french_pair
    starts = segment.splitter_starts(full, FRENCH)
    assert len(starts) >= 8
    assert segment.splitter_starts(snap, FRENCH) == starts


def test_snapshot_proposes_the_same_starts_on_real_french(french_pair, rendered_dir: Path) -> None:
    full, snap = french_pair
    truths = sorted(rendered_dir.glob("FR_*.truth.json"))
    assert truths
    compared = 0
    for path in truths:
        for paragraph in truth_text(json.loads(path.read_text(encoding="utf-8"))).split("\n\n"):
            assert segment.splitter_starts(snap, paragraph) == segment.splitter_starts(full, paragraph), path.name
            compared += 1
    assert compared > 100
