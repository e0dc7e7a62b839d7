"""--lexicon: a researcher's own cues, validated like the language data, in classify and run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mctext.cli import app
from mctext.lexicon import LexiconError, parse_lexicon, use_lexicon

LEXICON = """\
lexicon: test-terms
cues:
  en:
    microcredential: {skills_pass: '\\bskills?\\s+pass(?:es)?\\b'}
"""


@pytest.mark.parametrize("text, message", [
    ("cues: {en: {microcredentials: {a: 'x'}}}", "cues.en.microcredentials: not a codebook label"),
    ("cues: {en: {nqf: {a: '(unclosed'}}}", "cues.en.nqf.a: bad regular expression"),
    ("cues: {zz: {nqf: {a: 'x'}}}", "cues.zz: no language data file"),
    ("cues: {en: {nqf: {a: 'x'}}}\nextra: 1", "unknown key(s) extra"),
    ("lexicon: empty", "no cues and no guards"),
    ("cues: [1, 2", "not valid YAML"),
])
def test_bad_lexicon_is_refused_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_lexicon(text, "my.yaml")


def test_lexicon_cue_fires_only_while_active() -> None:
    from mctext.classify.rules import apply_rules

    text = "Every learner receives a skills pass after the course."
    assert "microcredential" not in apply_rules(text, "en").labels
    try:
        use_lexicon(LEXICON, "test")
        hit = apply_rules(text, "en")
        assert "microcredential" in hit.labels
        assert [c.cue for c in hit.cues] == ["en:lexicon:skills_pass"]
        assert "microcredential" not in apply_rules(text.replace("skills pass", "passport"), "en").labels
    finally:
        use_lexicon(None)
    assert "microcredential" not in apply_rules(text, "en").labels


def test_classify_and_run_take_a_lexicon(tmp_path: Path) -> None:
    lex = tmp_path / "lex.yaml"
    lex.write_text(LEXICON, encoding="utf-8")
    runner = CliRunner()
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text(json.dumps({"id": "a", "text": "Every learner receives a skills pass.", "lang": "en"}) + "\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["classify", "-i", str(inp), "-o", str(out), "--lexicon", str(lex)])
    assert result.exit_code == 0, result.output
    assert "microcredential" in json.loads(out.read_text(encoding="utf-8"))["labels"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("cues: {en: {nqf: {a: '(x'}}}", encoding="utf-8")
    result = runner.invoke(app, ["classify", "-i", str(inp), "-o", str(out), "--lexicon", str(bad)])
    assert result.exit_code == 1 and "bad regular expression" in result.output

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note_en.txt").write_text("Every learner receives a skills pass after the training course.\n",
                                        encoding="utf-8")
    import pandas as pd

    def labels(*extra: str) -> list[str]:
        res = runner.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "o"), "--workers", "1", "-q", *extra])
        assert res.exit_code == 0, res.output
        seg = pd.read_parquet(tmp_path / "o" / "segments.parquet")
        return [lab for v in seg["labels"] for lab in v]

    assert "microcredential" not in labels()
    assert "microcredential" in labels("--lexicon", str(lex))  # a new cache key: reclassified
    assert "microcredential" not in labels()  # and back
