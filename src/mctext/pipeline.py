"""The per-document job and the executors that schedule it.

``process_document`` turns one file into a ``DocResult`` (extract -> describe ->
segment -> classify) and never raises: whatever goes wrong becomes a failed
document with a stage and a one-line reason, so one bad file never stops a batch.

``run_documents`` runs that job over a corpus: cached results first (by content
hash and pipeline/model version, see ``mctext.cache``), the rest in isolated worker
processes (``mctext.executors``) or on a Dask cluster, yielding results as they
finish and caching each one the moment it arrives.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mctext.cache import ResultCache, cache_key, model_version, pipeline_version
from mctext.config import RunConfig
from mctext.errors import MctextError
from mctext.executors import Failure, IsolatedPool, WorkerSpec, memory_reason
from mctext.records import (
    DOC_FAILED,
    DocResult,
    Document,
    ExtractedDocument,
    doc_id_from_sha256,
    sha256_bytes,
)

log = logging.getLogger(__name__)

_REASON_MAX = 300


class Source(Protocol):
    """What the pipeline needs of ``mctext.corpus.SourceFile``."""

    path: Path
    rel: str
    manifest: Any


Job = Callable[[Any, RunConfig, bytes | None], DocResult]


class _StageError(Exception):
    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(reason)
        self.stage, self.reason = stage, reason


def one_line(text: str) -> str:
    """A reason fit for a table cell and a log line: one line, bounded length."""
    text = " ".join(str(text).split())
    return text if len(text) <= _REASON_MAX else text[: _REASON_MAX - 1] + "…"


def _reason(exc: BaseException, what: str) -> str:
    if isinstance(exc, MctextError):
        return one_line(str(exc))
    detail = str(exc) or "no details"
    return one_line(f"{what}: {type(exc).__name__}: {detail}")


def _sniff(data: bytes | None, path: Path) -> str:
    if not data:
        return ""
    from mctext.extract.sniff import sniff_format

    try:
        return sniff_format(data[:4096], path) or ""
    except Exception:
        return ""


def failed_result(source: Source, sha256: str, stage: str, reason: str, data: bytes | None = None) -> DocResult:
    """The result of a document that could not be processed; keeps its corpus metadata.

    A file that could not even be read has no content hash; its id then derives from
    its relative path, so it still has a stable row in documents.parquet.
    """
    doc_id = doc_id_from_sha256(sha256 or sha256_bytes(f"unreadable:{source.rel}".encode()))
    document = None
    if data is not None:
        try:
            from mctext.corpus import describe_document

            empty = ExtractedDocument(pages=[], format=_sniff(data, Path(source.path)))
            document = describe_document(source, data, empty)
        except Exception:  # metadata is a courtesy here; the failure is what matters
            document = None
    if document is None:
        document = Document(doc_id=doc_id, file=source.rel, sha256=sha256, format=_sniff(data, Path(source.path)))
    document.doc_id, document.file, document.sha256 = doc_id, source.rel, sha256
    document.pages, document.status, document.error = 0, DOC_FAILED, one_line(reason)
    log.info("%s: failed at %s: %s", source.rel, stage, document.error)
    return DocResult(document=document, failure_stage=stage)


def load_classifier_for(cfg: RunConfig) -> Any:
    """The process's classifier (``load_classifier`` caches it, so this is cheap after the first call),
    with the run's lexicon, if any, added to the cues."""
    from mctext.classify import load_classifier

    _use_lexicon(cfg.lexicon)
    return load_classifier(cfg.model_dir)


_LEXICON_TEXT: list[str] = [""]


def _use_lexicon(text: str) -> None:
    """Activate the run's lexicon once per process (workers get its text in the RunConfig)."""
    if text != _LEXICON_TEXT[0]:
        from mctext.lexicon import use_lexicon

        use_lexicon(text or None)
        _LEXICON_TEXT[0] = text


def warm_up(cfg: RunConfig) -> None:
    """Worker setup: load the model and spaCy once per process, outside any document's time limit.

    Runs in mctext's own worker processes only. When the model's features do not need
    torch, torch is kept out of the process: spaCy's thinc imports it eagerly if it is
    installed (~1.5 s and ~100 MB per worker for nothing).
    """
    from mctext.classify.features.embed import NEEDS_TORCH
    from mctext.segment import warm_up as warm_up_segmenter

    classifier = load_classifier_for(cfg)
    features = classifier.models.featurizer.names if classifier.models is not None else []
    if "torch" not in sys.modules and not any(name in NEEDS_TORCH for name in features):
        sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" now raises ImportError
    warm_up_segmenter(["en"])


# A sentence that reaches the label, driver and facet cue matchers of every language (a warm-up only:
# what it is labelled does not matter).
_WARM_TEXT = "Micro-credentials for learners and employers: 5 ECTS at EQF level 4, recognised by the ministry."


def warm_languages(languages: tuple[str, ...], cfg: RunConfig) -> None:
    """Template set-up: the tokenizers, sentence rules and cue matchers of ``languages``, built once.

    Forked workers share what the template built (``mctext.executors``); without it every
    worker builds them again on its first document in each language. Everything built here
    is a pure per-language cache, so outputs do not change.
    """
    from mctext.classify import classify_segments
    from mctext.records import Segment
    from mctext.segment import warm_up as warm_up_segmenter

    codes = sorted({code for code in languages if code})
    warm_up_segmenter(codes)
    classifier = load_classifier_for(cfg)
    segments = [Segment(id=f"warm-{code}", doc_id="warm", page=1, page_end=1, start=0, end=len(_WARM_TEXT),
                        text=_WARM_TEXT, lang=code) for code in codes]
    if segments:
        classify_segments(segments, "", classifier)


def batch_languages(sources: Iterable[Source]) -> tuple[str, ...]:
    """The languages a batch's manifest names (the language data layer's codes), for ``warm_languages``."""
    from mctext import lang as langdata

    found = set()
    for source in sources:
        manifest = getattr(source, "manifest", None) or {}
        code = langdata.canonical(str(manifest.get("language") or ""))
        if code:
            found.add(code)
    return tuple(sorted(found))


def process_document(source: Source, cfg: RunConfig, data: bytes | None = None) -> DocResult:
    """Read, extract, describe, segment and classify one document. Never raises.

    ``data`` is the file's content when the caller already has it (shipped to a
    cluster worker); otherwise the file is read from ``source.path``.
    """
    path = Path(source.path)
    sha256 = ""
    try:
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise _StageError("extract", f"cannot read file: {exc.strerror or exc}") from exc
        sha256 = sha256_bytes(data)
        doc_id = doc_id_from_sha256(sha256)
        try:
            from mctext.extract import extract_bytes

            manifest = getattr(source, "manifest", None) or {}
            language = (manifest.get("language") or "").strip().lower() or None
            extracted = extract_bytes(data, path, ocr=cfg.ocr, language=language)
            for warning in extracted.warnings:
                log.info("%s: %s", source.rel, warning)
            from mctext.corpus import describe_document

            document = describe_document(source, data, extracted)
        except MemoryError:
            raise
        except Exception as exc:
            raise _StageError("extract", _reason(exc, f"could not read this {_sniff(data, path) or 'file'}")) from exc
        try:
            from mctext.segment import segment_pages

            segments = segment_pages(extracted.pages, doc_id, document.language)
        except MemoryError:
            raise
        except Exception as exc:
            raise _StageError("segment", _reason(exc, "could not split the text into sentences")) from exc
        try:
            from mctext.classify import classify_segments

            predictions = (classify_segments(segments, document.country, load_classifier_for(cfg), document.title)
                           if segments else [])
        except MemoryError:
            raise
        except Exception as exc:
            raise _StageError("classify", _reason(exc, "could not classify the sentences")) from exc
    except _StageError as exc:
        return failed_result(source, sha256, exc.stage, exc.reason, data)
    except MemoryError:
        return failed_result(source, sha256, "memory", memory_reason(cfg.memory_limit_mb), data)
    log.debug("%s: %d pages, %d segments", source.rel, len(extracted.pages), len(segments))
    return DocResult(document=document, pages=extracted.pages, segments=segments, predictions=predictions)


# ------------------------------------------------------------------------- executors


def _apply(job: Job, payload: tuple[Any, bytes | None], cfg: RunConfig) -> DocResult:
    source, data = payload
    return job(source, cfg, data)


def worker_spec(
    cfg: RunConfig, workers: int, *, job: Job = process_document, init: Callable[[RunConfig], None] | None = warm_up,
    languages: tuple[str, ...] = (),
) -> WorkerSpec:
    """How worker processes run ``job``: payloads are ``(source, data_or_None)``, limits from ``cfg``.

    With the pipeline's own set-up, a worker template also warms ``languages`` (the batch's).
    """
    warm = functools.partial(warm_languages, languages) if init is warm_up and languages else None
    return WorkerSpec(
        job=functools.partial(_apply, job), config=cfg, init=init, timeout_s=cfg.timeout_s,
        memory_limit_mb=cfg.memory_limit_mb, threads=max(1, (os.cpu_count() or 1) // max(1, workers)),
        log_level=logging.getLogger("mctext").getEffectiveLevel(), warm=warm,
    )


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(functools.partial(fh.read, 1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_or_none(path: Path) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


@dataclass
class RunStats:
    """What a run did, for logs and benchmarks: filled in while ``run_documents`` runs."""

    documents: int = 0
    from_cache: int = 0
    processed: int = 0
    failed: int = 0
    pages: int = 0
    segments: int = 0
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # worker pid -> peak RSS (local)
    worker_cpu_s: dict[int, float] = field(default_factory=dict)  # worker pid -> CPU seconds (local)

    def count(self, result: DocResult, *, cached: bool) -> None:
        self.documents += 1
        self.from_cache += cached
        self.processed += not cached
        self.failed += result.document.status == DOC_FAILED
        self.pages += result.document.pages
        self.segments += len(result.segments)


def _local_outcomes(
    todo: list[tuple[int, Source]], spec: WorkerSpec, workers: int, stats: RunStats
) -> Iterator[tuple[int, Any]]:
    with IsolatedPool(spec, workers) as pool:
        stats.peak_rss_mb, stats.worker_cpu_s = pool.peak_rss_mb, pool.cpu_s
        yield from pool.imap_unordered((index, (source, None)) for index, source in todo)


# One isolated worker process per Dask worker thread, kept between tasks (model loaded once).
_DASK_POOLS = threading.local()
_DASK_ALL_POOLS: list[IsolatedPool] = []  # every thread's pool, so the end of a run can close them
_DASK_LOCK = threading.Lock()


def run_in_isolation(token: str, spec: WorkerSpec, index: int, source: Source, data: bytes | None) -> Any:
    """A Dask task: run one document in this thread's isolated child process."""
    pool: IsolatedPool | None = getattr(_DASK_POOLS, "pool", None)
    if pool is None or getattr(_DASK_POOLS, "token", None) != token:
        with _DASK_LOCK:
            if pool is not None:
                pool.close()
                _DASK_ALL_POOLS.remove(pool)
            pool = IsolatedPool(spec, 1)
            _DASK_POOLS.pool, _DASK_POOLS.token = pool, token
            _DASK_ALL_POOLS.append(pool)
    [(_, outcome)] = list(pool.imap_unordered([(index, (source, data))]))
    return outcome


def _close_dask_pools() -> None:
    """Run on every Dask worker after a run: stop the isolated children (and free their models)."""
    with _DASK_LOCK:
        for pool in _DASK_ALL_POOLS:
            pool.close()


def _dask_outcomes(todo: list[tuple[int, Source]], spec: WorkerSpec, scheduler: str, ship: str) -> Iterator[tuple[int, Any]]:
    from distributed import Client, as_completed

    if not scheduler:
        raise MctextError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        client = Client(scheduler, timeout="30s")
    except Exception as exc:
        raise MctextError(f"cannot reach the Dask scheduler at {scheduler}: {one_line(str(exc))}") from exc
    token = hashlib.sha256(pickle.dumps(spec)).hexdigest()[:16]
    try:
        slots = max(2, 2 * sum(client.nthreads().values()))
        queue = list(reversed(todo))
        owner: dict[Any, int] = {}

        def submit() -> Any:
            index, source = queue.pop()
            # Unreadable here: send no bytes, and the worker reports why from the path.
            data = _read_or_none(source.path) if ship == "bytes" else None
            shipped = client.scatter(data, hash=False) if data is not None and len(data) > 1 << 20 else data
            future = client.submit(run_in_isolation, token, spec, index, source, shipped, pure=False)
            owner[future] = index
            return future

        running = as_completed([submit() for _ in range(min(slots, len(queue)))])
        for future in running:
            index = owner.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:  # KilledWorker and friends: the cluster lost the task
                outcome = Failure("crash", one_line(f"the cluster could not run this document: {exc}"))
            yield index, outcome
            while queue and len(owner) < slots:
                running.add(submit())
    finally:
        try:
            client.run(_close_dask_pools)
        except Exception:
            log.debug("could not close worker pools on the cluster", exc_info=True)
        client.close()


def run_documents(
    sources: Iterable[Source],
    cfg: RunConfig,
    cache_dir: Path | None = None,
    progress: bool = True,
    *,
    job: Job = process_document,
    init: Callable[[RunConfig], None] | None = warm_up,
    ship: str | None = None,
    stats: RunStats | None = None,
) -> Iterator[DocResult]:
    """Process every source, yielding one ``DocResult`` per source as each finishes.

    Cached results come first (no extraction or classification for them); every new
    result is cached atomically as soon as it arrives, so a killed run loses only the
    documents in flight. Order is completion order: sort by ``document.file`` for
    deterministic outputs. ``job``/``init`` are injectable for tests; with Dask,
    ``ship`` (default ``cfg.ship``) is ``"bytes"`` (send file contents) or ``"path"`` (shared
    filesystem).
    Pass a ``RunStats`` to learn what was cached, processed and how much memory it took.
    """
    stats = stats if stats is not None else RunStats()
    sources = list(sources)
    cache_dir = Path(cache_dir or cfg.cache_dir or ".mctext-cache")
    cache = ResultCache(cache_dir, timeout_s=cfg.timeout_s, memory_limit_mb=cfg.memory_limit_mb)
    from mctext.lexicon import fingerprint as lexicon_fingerprint

    pipeline, model = pipeline_version(), model_version(cfg.model_dir) + lexicon_fingerprint(cfg.lexicon)
    with _Progress(len(sources), stats, enabled=progress) as bar:
        todo: list[tuple[int, Source]] = []
        keys: dict[int, tuple[str, str]] = {}
        for index, source in enumerate(sources):
            try:
                sha256 = _hash_file(Path(source.path))
            except OSError as exc:
                result = failed_result(source, "", "extract", f"cannot read file: {exc.strerror or exc}")
                bar.add(result, cached=False)
                yield result
                continue
            key = cache_key(sha256, source.rel, source.manifest, pipeline=pipeline, model=model, ocr=cfg.ocr)
            cached = cache.get(key)
            if cached is not None:
                bar.add(cached, cached=True)
                yield cached
                continue
            keys[index] = (sha256, key)
            todo.append((index, source))
        if not todo:
            return
        # Biggest files first (longest-processing-time-first): a large document started
        # last would leave the other workers idle at the end of the batch.
        todo.sort(key=lambda item: (-_file_size(Path(item[1].path)), item[0]))
        by_index = dict(todo)
        workers = max(1, min(cfg.workers or os.cpu_count() or 1, len(todo)))
        spec = worker_spec(cfg, workers, job=job, init=init, languages=batch_languages(by_index.values()))
        if cfg.executor == "dask":
            ship = ship or cfg.ship
            if ship not in ("bytes", "path"):
                raise MctextError(f"unknown way to ship documents {ship!r}: use bytes or path")
            outcomes = _dask_outcomes(todo, spec, cfg.scheduler, ship)
        elif cfg.executor == "local":
            outcomes = _local_outcomes(todo, spec, workers, stats)
        else:
            raise MctextError(f"unknown executor {cfg.executor!r}: use local or dask")
        writer = cache.writer()
        try:
            for index, outcome in outcomes:
                source = by_index[index]
                sha256, key = keys[index]
                if isinstance(outcome, Failure):
                    result = failed_result(source, sha256, outcome.stage, outcome.reason, _read_or_none(source.path))
                else:
                    result = outcome
                if result.document.sha256 == sha256:  # the file did not change under us
                    writer.put(key, result)
                bar.add(result, cached=False)
                yield result
        finally:
            writer.close()


class _Progress:
    """A rich progress bar counting documents, pages and failures (stderr, off when disabled)."""

    def __init__(self, total: int, stats: RunStats, *, enabled: bool) -> None:
        self.total, self.stats, self.enabled = total, stats, enabled

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("documents"), BarColumn(), MofNCompleteColumn(),
                TextColumn("· {task.fields[pages]} pages · {task.fields[failed]} failed"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=False,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("run", total=self.total, pages=0, failed=0)
        return self

    def add(self, result: DocResult, *, cached: bool) -> None:
        self.stats.count(result, cached=cached)
        if self.enabled:
            self._bar.update(self._task, advance=1, pages=self.stats.pages, failed=self.stats.failed)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._bar.__exit__(None, None, None)
