"""Config defaults: the one place for paths, limits and model choices."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"  # codebook.yaml, lexicons, country names: shipped with the package
# The repository checkout (editable install). Models and the annotation store live there.
REPO_ROOT = PACKAGE_DIR.parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


MODELS_DIR = _env_path("MCTEXT_MODELS", REPO_ROOT / "models")
ANNOTATIONS_DIR = _env_path("MCTEXT_ANNOTATIONS", REPO_ROOT / "annotations")


def user_cache_dir() -> Path | None:
    """The per-user cache of work every process would otherwise redo (``lang``: which language
    files' regexes have been checked): $MCTEXT_USER_CACHE, else $XDG_CACHE_HOME/mctext, else
    ~/.cache/mctext. Resolved when asked, not at import, so a test or a caller can set the
    variables first. None when none of them is an absolute path (no HOME: Python 3.11's
    ``Path.home()`` may then be a relative "~", which would put the cache under the working
    folder); the cache is only a speed-up, so callers then go without it."""
    explicit = os.environ.get("MCTEXT_USER_CACHE")
    if explicit:
        folder = Path(explicit)
    else:
        xdg = Path(os.environ.get("XDG_CACHE_HOME") or "")
        if xdg.is_absolute():  # the XDG spec: a relative value is ignored
            base = xdg
        else:
            try:
                base = Path.home() / ".cache"
            except RuntimeError:  # no home directory can be determined
                return None
        folder = base / "mctext"
    return folder if folder.is_absolute() else None


DEMO_CORPUS = REPO_ROOT / "corpus" / "demo"
SEED_ANNOTATIONS = REPO_ROOT.parent / "shared" / "annotations" / "seed.jsonl"
# Title and section of each labelled segment (scripts/record_contexts.py), for the trained layer.
CONTEXTS_FILE = ANNOTATIONS_DIR / "contexts.jsonl"
PASSES_DIR = ANNOTATIONS_DIR / "passes"  # the two independent labelling passes per batch (passA/passB.jsonl)

# Page text kept on each side of a quote (evidence prefix/suffix, annotation anchors), so a
# quote can be re-anchored after re-extraction (W3C TextQuoteSelector examples use 32).
QUOTE_CONTEXT_CHARS = 32
# Country values that mean "no country": unknown, MANIFEST.csv's "XX" (global scope, e.g. the
# Open Badges specification) and the file-name prefixes of international documents.
NO_COUNTRY = frozenset({"", "XX", "INT", "WW", "UN", "UNKNOWN"})

# Written into every run's output folder; discover skips any folder holding it, so a run
# never reads an earlier run's report or tables as a policy document.
RUN_MARKER = ".mctext-run"

# Languages the rules and segmentation cover in depth (the codebook's eight).
CORE_LANGUAGES = ("en", "de", "fr", "nl", "fi", "sl", "pl", "es")


@dataclass
class RunConfig:
    """Settings of one `mctext run`; defaults are what a researcher gets without flags."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    executor: str = "local"  # local | dask
    scheduler: str = ""  # dask scheduler address, with executor="dask"
    ship: str = "bytes"  # dask: send each file's bytes, or "path" when workers share the filesystem
    timeout_s: float = 600.0  # per document
    memory_limit_mb: int = 3072  # per worker process (address-space limit)
    ocr: bool = True  # OCR image-only pages when tesseract is installed
    cache_dir: Path | None = None  # default: OUT_DIR/.cache
    model_dir: Path = MODELS_DIR / "default"
    lexicon: str = ""  # a researcher's lexicon file's content (mctext.lexicon), "" for none

# The project's own held-out documents (issue 11): a document group is held out when the
# first 8 hex digits of sha256(group name), read as a fraction of 2**32, fall below this share.
# Chosen by hash so the split never depends on what is in the corpus or on the labels; held-out
# documents are never used for training, cue writing or threshold choice.
HELDOUT_SHARE = 0.25
