"""The shared JSONL reader names the file and line of the first bad line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mctext.errors import AnnotationFileError
from mctext.jsonl import read_jsonl


def test_reads_objects_skips_blank_lines_and_numbers_ids(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n\n{"text": "y"}\n', encoding="utf-8")
    assert read_jsonl(path) == [{"id": "a", "text": "x"}, {"text": "y", "id": "3"}]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"text": "ok"}\n{"text": \n', "in.jsonl:2: malformed JSON"),
        ('{"text": "ok"}\n[1, 2]\n', "in.jsonl:2: each line must be a JSON object"),
        ('{"text": "ok"}\n{"txt": "typo"}\n', "in.jsonl:2: needs text"),
    ],
)
def test_a_bad_line_refuses_the_file_naming_the_line(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AnnotationFileError, match=reason):
        read_jsonl(path, lambda row: None if "text" in row else "needs text")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AnnotationFileError, match="no such file"):
        read_jsonl(tmp_path / "nope.jsonl")
