"""Shared test fixtures: where the real corpus is, and skipping cleanly without it."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The user cache (``config.user_cache_dir``: markers of checked language files) goes to a folder
# of this test session, never ~/.cache/mctext: set at import, before any test module loads a
# language file, and in the environment, so that worker subprocesses use it too.
TEST_USER_CACHE = Path(tempfile.mkdtemp(prefix="mctext-test-cache-"))
os.environ["MCTEXT_USER_CACHE"] = str(TEST_USER_CACHE)

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MCTEXT_SHARED", REPO_ROOT.parent / "shared"))
ORIGINAL = SHARED / "corpus" / "original"
RENDERED = SHARED / "corpus" / "rendered"
SEED = SHARED / "annotations" / "seed.jsonl"

requires_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason=f"real corpus not found at {SHARED}/corpus (../shared is absent)"
)


def minimal_language() -> dict:
    """The smallest valid language file (code qq): one cue per label, driver type and context,
    for tests that load or break language data. A function, so the codebook loads only when used."""
    from mctext.codebook import DRIVER_TYPES, LABELS

    return {
        "code": "qq",
        "name": "Test",
        "lingua": ["ENGLISH"],
        "cues": {label: {"c": r"\bword\b"} for label in LABELS},
        "driver_types": {t: {"c": r"\bword\b"} for t in DRIVER_TYPES},
        "driver_context": {"c": r"\bword\b"},
    }


@pytest.fixture(scope="session", autouse=True)
def user_cache() -> Iterator[Path]:
    """The session's user cache folder (see ``TEST_USER_CACHE``), removed at the end."""
    yield TEST_USER_CACHE
    shutil.rmtree(TEST_USER_CACHE, ignore_errors=True)


@pytest.fixture
def original_dir() -> Path:
    if not ORIGINAL.is_dir():
        pytest.skip(f"real corpus not found at {ORIGINAL}")
    return ORIGINAL


@pytest.fixture
def rendered_dir() -> Path:
    if not RENDERED.is_dir():
        pytest.skip(f"rendered corpus not found at {RENDERED}")
    return RENDERED


@pytest.fixture
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed annotations not found at {SEED}")
    return SEED
