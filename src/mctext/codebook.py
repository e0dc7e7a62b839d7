"""The codebook as data: loads ``data/codebook.yaml``, the one list of labels.

Everything that needs label names, definitions or driver types imports them from here,
never spells them out again. The per-language cues are language data: ``mctext.lang``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from mctext.config import DATA_DIR

CODEBOOK_PATH = DATA_DIR / "codebook.yaml"


@lru_cache(maxsize=1)
def load_codebook() -> dict[str, Any]:
    with CODEBOOK_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


LABELS: tuple[str, ...] = tuple(load_codebook()["labels"])
DRIVER_TYPES: tuple[str, ...] = tuple(load_codebook()["driver_types"])


def definition(label: str) -> str:
    return str(load_codebook()["labels"][label]["definition"]).strip()
