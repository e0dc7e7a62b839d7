"""The per-document result cache: finished work is never lost and never redone.

One file per document under ``cache_dir``, named by a key that covers everything
the result depends on: the file's content (sha256), the code on the per-document
path (pipeline version), the model, the OCR flag, and what the corpus says about
the file (its relative path and MANIFEST row, which ``describe_document`` reads).
Change any of these and the key changes, so a stale entry is never read.

Entries are pickled ``DocResult`` objects written atomically (temporary file, fsync,
``os.replace``) as soon as a document finishes (on a writer thread, ``CacheWriter``), so a
run killed with SIGKILL leaves only complete entries behind and a rerun resumes where it stopped.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import logging
import os
import pickle
import queue
import tempfile
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from mctext.records import DocResult

log = logging.getLogger(__name__)

CACHE_FORMAT = 1  # bump when the layout of cache entries changes
_SUFFIX = ".pkl"
_TMP_SUFFIX = ".tmp"

# The per-document job's module: the code a document's result depends on is the mctext
# modules it imports, directly or lazily, found by walking the import statements.
PIPELINE_MODULE = "mctext.pipeline"
# Third-party engines whose upgrade can change extraction, segmentation or scores.
_ENGINES = (
    "pdfplumber", "pypdfium2", "pdfminer.six", "python-docx", "trafilatura", "spacy",
    "lingua-language-detector", "scikit-learn", "sentence-transformers", "torch",
)
# Failures that depend on the limits of the run, not only on the document: retried
# when the limits are raised.
LIMIT_STAGES = ("timeout", "memory", "crash")


def package_dir() -> Path:
    return Path(__file__).resolve().parent


def hash_tree(digest: Any, root: Path, names: Iterable[str]) -> None:
    for name in names:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".pyc", ".pyo") or not file.exists():
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(hashlib.sha256(file.read_bytes()).digest())


def _module_file(root: Path, name: str) -> Path | None:
    """The source file of module ``name`` (``mctext.x.y``) in the package at ``root``."""
    parts = name.split(".")[1:]
    base = root.joinpath(*parts) if parts else root
    for candidate in (base.with_suffix(".py") if parts else None, base / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


# Fields of the nodes that hold statements (module, function, class, if/for/while/with/try
# bodies, except handlers, match cases): an import is a statement, so it is only found there.
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement of a module, at any depth, without visiting expressions.

    Same nodes as filtering ``ast.walk(tree)`` (which visits every expression too, ~10x the
    nodes): imports can only sit in the statement lists named in ``_BODIES``.
    """
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        for name in _BODIES:
            children = getattr(node, name, None)
            if children:
                todo.extend(children)


def _imported(tree: ast.AST, name: str, is_package: bool, package: str) -> set[str]:
    """The ``package`` modules an AST imports anywhere (module level or inside functions)."""
    out: set[str] = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        else:
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(here[:len(here) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}  # "from mctext.classify import rules"
    return {m for m in out if m == package or m.startswith(package + ".")}


# (module name, source text) -> the package modules it imports: the pipeline's and the
# runner's closures share most files, and a process computes both.
_IMPORTS_SEEN: dict[tuple[str, str, str], frozenset[str]] = {}


def _module_imports(path: Path, name: str, package: str) -> frozenset[str]:
    source = path.read_text(encoding="utf-8")
    key = (name, package, source)
    found = _IMPORTS_SEEN.get(key)
    if found is None:
        tree = ast.parse(source, filename=str(path))
        found = _IMPORTS_SEEN[key] = frozenset(_imported(tree, name, path.name == "__init__.py", package))
    return found


def module_closure(root: Path, start: str) -> list[Path]:
    """Source files of ``start`` and every module of its package it imports, transitively
    (with the packages' ``__init__.py`` that importing a submodule runs), sorted."""
    package = start.split(".")[0]
    seen: set[str] = set()
    files: set[Path] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _module_file(root, name)
        if path is None:  # a name imported from a module, not a module itself
            continue
        files.add(path)
        parents = [".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)]
        todo += parents + sorted(_module_imports(path, name, package))
    return sorted(files)


def code_fingerprint(digest: Any, root: Path, start: str) -> None:
    """Hash the code ``start`` runs (its import closure) and every file under ``data/``."""
    for file in module_closure(root, start):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    hash_tree(digest, root, ["data"])


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A fingerprint of the per-document code and data and the engines it calls.

    Computed from the source files themselves, found by following the per-document job's
    imports: any edit to a module it uses (a new one included) or to a data file
    invalidates the cache, with no list of file names to keep up to date.
    """
    from mctext import __version__

    digest = hashlib.sha256(f"mctext {__version__} cache {CACHE_FORMAT}".encode())
    code_fingerprint(digest, package_dir(), PIPELINE_MODULE)
    for dist in _ENGINES:
        try:
            digest.update(f"{dist}=={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist} absent".encode())
    return digest.hexdigest()[:16]


def model_version(model_dir: Path | None) -> str:
    """A fingerprint of the classifier on disk: the content of every file in its folder."""
    if model_dir is None or not Path(model_dir).exists():
        return "no-model"
    digest = hashlib.sha256()
    hash_tree(digest, Path(model_dir), ["."])
    return digest.hexdigest()[:16]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def ocr_available(ocr: bool) -> bool:
    """Whether image-only pages can be read in this run: OCR asked for and tesseract installed."""
    from mctext.extract.ocr import tesseract_path

    return bool(ocr) and tesseract_path() is not None


def cache_key(sha256: str, rel: str, manifest: Any, *, pipeline: str, model: str, ocr: bool) -> str:
    """The name of a document's cache entry: a hash of everything its result depends on.

    OCR counts as whether it could run, not only whether it was asked for: a document read
    without tesseract is read again once tesseract is installed."""
    parts = [sha256, rel, _canonical(manifest), pipeline, model, f"ocr={bool(ocr)}",
             f"ocr_available={ocr_available(ocr)}"]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class ResultCache:
    """Cache entries for one run: ``get`` before the work, ``put`` as soon as it finishes."""

    def __init__(self, cache_dir: Path, *, timeout_s: float, memory_limit_mb: int) -> None:
        self.dir = Path(cache_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.timeout_s = timeout_s
        self.memory_limit_mb = memory_limit_mb
        self._remove_orphans()

    def _path(self, key: str) -> Path:
        return self.dir / f"{key}{_SUFFIX}"

    def _remove_orphans(self) -> None:
        remove_orphans(self.dir)

    def get(self, key: str) -> DocResult | None:
        path = self._path(key)
        try:
            with path.open("rb") as fh:
                entry = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception as exc:  # unreadable entry: recompute it, never fail the run
            log.warning("cache entry %s unreadable (%s); recomputing", path.name, exc)
            return None
        result: DocResult = entry["result"]
        if result.failure_stage in LIMIT_STAGES and (
            self.timeout_s > entry["timeout_s"] or self.memory_limit_mb > entry["memory_limit_mb"]
        ):
            return None  # failed under tighter limits than this run's: try again
        return result

    def put(self, key: str, result: DocResult) -> None:
        atomic_write_bytes(self._path(key), self._entry(result))

    def _entry(self, result: DocResult) -> bytes:
        entry = {"result": result, "timeout_s": self.timeout_s, "memory_limit_mb": self.memory_limit_mb}
        return pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)

    def writer(self) -> CacheWriter:
        """A ``put`` whose file is written on a thread (``CacheWriter``); ``close`` it when done."""
        return CacheWriter(self)


class CacheWriter:
    """``ResultCache.put`` with the writing on a thread of its own.

    Writing an entry ends with an fsync (~20 ms on the disks seen here), and the run's main
    loop, which hands the next document to a worker that has just finished one, waited for
    it after every document. The entry is pickled at ``put`` (what the caller does with the
    result afterwards cannot change it); files are written in order, each atomically as
    before. A write's error is raised by the next ``put`` or by ``close``, which waits for
    every write.
    """

    def __init__(self, cache: ResultCache, backlog: int = 16) -> None:
        self.cache = cache
        self._queue: queue.Queue[tuple[Path, bytes] | None] = queue.Queue(maxsize=backlog)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write_all, name="mctext-cache-writer", daemon=True)
        self._thread.start()

    def _write_all(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    atomic_write_bytes(*item)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    self._error = exc

    def _raise(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

    def put(self, key: str, result: DocResult) -> None:
        self._raise()
        self._queue.put((self.cache._path(key), self.cache._entry(result)))

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` is either absent/old or complete, never partial."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".{os.getpid()}{_TMP_SUFFIX}")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_orphans(folder: Path, name: str = "*") -> None:
    """Delete the temporary files of ``atomic_write_bytes`` (named ``.{name}.tmp``) that a
    process killed mid-write left in ``folder``; those of a live process are being written now."""
    for tmp in folder.glob(f".{name}{_TMP_SUFFIX}"):
        pid = tmp.name.split(".")[-2] if tmp.name.count(".") >= 3 else ""
        if pid.isdigit() and _pid_alive(int(pid)):
            continue  # another process sharing this folder is writing it now
        with contextlib.suppress(OSError):
            tmp.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
