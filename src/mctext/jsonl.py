"""Reading JSON Lines input files: one place for the line-numbered error messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mctext.errors import AnnotationFileError


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
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AnnotationFileError(f"{path}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise AnnotationFileError(f"{path}:{n}: each line must be a JSON object")
            reason = check(row) if check else None
            if reason:
                raise AnnotationFileError(f"{path}:{n}: {reason}")
            row.setdefault("id", str(n))
            rows.append(row)
    return rows
