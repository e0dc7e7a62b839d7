"""Write the tokenizer snapshots segment.py loads instead of slow spaCy languages.

    .venv/bin/python scripts/snapshot_tokenizers.py

Run after upgrading spaCy: snapshots are per spaCy version (the file name says which),
and without one for the installed version segmentation falls back to ``spacy.blank``
(same sentences, a few seconds more per worker). ``tests/test_segment_snapshot.py``
checks a snapshot proposes the same sentence starts as the full spaCy language.
"""

from __future__ import annotations

import spacy

from mctext.segment import SNAPSHOT_LANGUAGES, TOKENIZER_SNAPSHOTS, tokenizer_snapshot


def main() -> None:
    TOKENIZER_SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    for lang in SNAPSHOT_LANGUAGES:
        path = tokenizer_snapshot(lang)
        path.write_bytes(spacy.blank(lang).tokenizer.to_bytes(exclude=["vocab", "token_match"]))
        print(f"{path}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
