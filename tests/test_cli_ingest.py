"""`mctext extract` and `mctext segment` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mctext.cli import app

runner = CliRunner()

MD = """# Mikrozertifikate

Die Anrechnung richtet sich nach § 7 Abs. 2 des Gesetzes. Sie gilt z. B. für kurze Kurse.

## Qualität

Anbieter verpflichten sich:

- Lernergebnisse zu veröffentlichen;
- jede Leistung zu prüfen.
"""



@pytest.fixture
def path(tmp_path: Path) -> Path:
    """The Markdown document above, as a file."""
    md = tmp_path / "mz.md"
    md.write_text(MD, encoding="utf-8")
    return md

def test_extract_jsonl(path: Path) -> None:
    result = runner.invoke(app, ["extract", str(path), "--jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["page"] == 1 and row["status"] == "ok" and row["furniture"] == []
    assert row["text"].startswith("Mikrozertifikate\n\nDie Anrechnung")
    assert [h["text"] for h in row["headings"]] == ["Mikrozertifikate", "Qualität"]
    for h in row["headings"]:
        assert row["text"][h["start"]:h["end"]] == h["text"]


def test_extract_readable_dump(path: Path) -> None:
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0
    assert "=== page 1 [ok] ===" in result.stdout and "Anbieter verpflichten sich:" in result.stdout


def test_segment_jsonl_detects_language(path: Path) -> None:
    result = runner.invoke(app, ["segment", str(path), "--jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == [
        "Die Anrechnung richtet sich nach § 7 Abs. 2 des Gesetzes.",
        "Sie gilt z. B. für kurze Kurse.",
        "Anbieter verpflichten sich:\n\n- Lernergebnisse zu veröffentlichen;\n- jede Leistung zu prüfen.",
    ]
    assert [r["section"] for r in rows] == ["Mikrozertifikate", "Mikrozertifikate", "Mikrozertifikate > Qualität"]
    assert all(set(r) == {"id", "doc_id", "page", "page_end", "start", "end", "text", "lang", "section", "kind",
                          "context"} for r in rows)
    assert [r["kind"] for r in rows] == ["body", "body", "body"] and all(r["page_end"] == r["page"] for r in rows)
    assert {r["lang"] for r in rows} == {"de"}
    again = runner.invoke(app, ["segment", str(path), "--jsonl", "--lang", "de"])
    assert again.stdout == result.stdout  # ids and all: stable across reruns
    english = runner.invoke(app, ["segment", str(path), "--jsonl", "--lang", "en"])
    assert {json.loads(line)["lang"] for line in english.stdout.splitlines()} == {"en"}


def test_segment_readable_dump(path: Path) -> None:
    result = runner.invoke(app, ["segment", str(path), "--lang", "de"])
    assert result.exit_code == 0
    assert "[p1 " in result.stdout and "Mikrozertifikate > Qualität | Anbieter" in result.stdout


def test_bad_files_give_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"definitely not a zip archive")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    for command in ("extract", "segment"):
        for path, reason in ((bad, "not a valid DOCX"), (empty, "empty file"), (missing, "cannot read file")):
            result = runner.invoke(app, [command, str(path), "--jsonl"])
            assert result.exit_code == 1
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"mctext: {path}: ") and reason in lines[0]
            assert "Traceback" not in result.output and result.stdout == ""
