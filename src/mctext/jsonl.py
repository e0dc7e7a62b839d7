"""Reading JSON Lines input files: one place for the line-numbered error messages."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from mctext.errors import AnnotationFileError


def json_objects(lines: Iterable[str], where: Callable[[int], str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; the first bad line raises
    ``AnnotationFileError`` prefixed with ``where(line number)``."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AnnotationFileError(f"{where(n)}: malformed JSON (column {exc.colno}: {exc.msg})") from None
        if not isinstance(row, dict):
            raise AnnotationFileError(f"{where(n)}: each line must be a JSON object")
        yield n, row


def read_jsonl(path: str | Path, check: Callable[[dict[str, Any]], str | None] | None = None) -> list[dict[str, Any]]:
    """The objects of a JSONL file, blank lines skipped; ``id`` defaults to the line number.

    ``check`` returns a reason when a line is unusable. Any bad line refuses the whole
    file with ``AnnotationFileError("PATH:LINE: reason")``, so nothing is half-read.
    """
    path = Path(path)
    if not path.is_file():
        raise AnnotationFileError(f"{path}: no such file")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, row in json_objects(fh, lambda n: f"{path}:{n}"):
            reason = check(row) if check else None
            if reason:
                raise AnnotationFileError(f"{path}:{n}: {reason}")
            row.setdefault("id", str(n))
            rows.append(row)
    return rows
