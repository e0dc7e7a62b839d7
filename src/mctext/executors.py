"""Run a per-document job in isolated worker processes under a time and memory limit.

Why our own small pool instead of ``concurrent.futures``: a document that segfaults,
calls ``os._exit``, hangs in C code or eats all memory must cost exactly one failed
document, not the batch. ``ProcessPoolExecutor`` breaks as a whole when one worker
dies and cannot stop one hung task. Here each worker is a plain child process
(``subprocess``, so it also works inside daemonic Dask worker processes) that takes
one document at a time over a pipe; the parent watches the clock and the child's
resident memory, kills the child when a limit is passed, reports why, and starts a
fresh child for the rest of the batch.

A worker runs ``spec.init`` once when it starts (the pipeline loads the classifier
there), so model loading happens once per process and is not counted against any
document's time limit.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import resource
import selectors
import signal
import struct
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from mctext.config import RunConfig
from mctext.errors import MctextError

log = logging.getLogger(__name__)

_HEADER = struct.Struct("!Q")
_POLL_S = 0.2  # how often the watchdog looks at the clock and at memory
START_TIMEOUT_S = 300.0  # a worker that cannot load its model in this time is broken
_MAX_START_FAILURES = 3
_MB = 1024 * 1024


@dataclass(frozen=True)
class Failure:
    """A document the worker could not finish: which stage and a one-line reason."""

    stage: str  # timeout | memory | crash
    reason: str


@dataclass
class WorkerSpec:
    """What a worker process needs: the job, its one-time setup and the limits.

    ``job(payload, config)`` runs one document and returns its result; ``init(config)``
    warms the process up (loads the model). Both must be importable module-level
    functions, since they are pickled by reference into a fresh interpreter.
    """

    job: Callable[[Any, Any], Any]
    config: Any
    init: Callable[[Any], None] | None = None
    timeout_s: float = RunConfig.timeout_s  # the run limits' defaults live in config.RunConfig
    memory_limit_mb: int = RunConfig.memory_limit_mb
    threads: int = 1  # BLAS/torch threads per worker, so N workers do not oversubscribe cores
    log_level: int = logging.WARNING


class WorkerStartError(MctextError):
    """Worker processes die before they are ready: an environment problem, not a document's."""


# ---------------------------------------------------------------- framing over pipes


def _send(stream: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(stream: IO[bytes], n: int) -> bytes | None:
    chunks, remaining = [], n
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _recv(stream: IO[bytes]) -> Any | None:
    """One message, or None when the other side has gone (EOF, possibly mid-message)."""
    header = _read_exact(stream, _HEADER.size)
    if header is None:
        return None
    body = _read_exact(stream, _HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)


# ---------------------------------------------------------------- the child side


class _RecordBuffer(logging.Handler):
    """Collects a document's log records so the parent can emit them in its own console."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        records, self.records = self.records, []
        return records


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the parent dies (no orphaned hangs)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _limit_address_space(extra_mb: int) -> None:
    """Let the process grow by ``extra_mb`` beyond what it has mapped after setup.

    The limit counts from the post-setup size because torch and the model map a lot
    of address space they never touch; an allocation beyond it raises MemoryError in
    the document's job, which reports it as a failed document and keeps the worker.
    """
    import psutil

    vms = psutil.Process().memory_info().vms
    limit = vms + extra_mb * _MB
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def child_main() -> None:
    """Entry point of a worker process: setup, then one document per message until EOF."""
    _die_with_parent()
    inbox = sys.stdin.buffer
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints from libraries go to stderr, not into the protocol
    sys.stdout = sys.stderr
    spec: WorkerSpec = _recv(inbox)
    buffer = _RecordBuffer()
    root = logging.getLogger()
    root.handlers[:] = [buffer]
    root.setLevel(spec.log_level)
    if spec.init is not None:
        try:
            spec.init(spec.config)
        except Exception as exc:  # the job meets the same problem and reports it per document
            logging.getLogger(__name__).warning("worker setup failed: %s", exc)
    _limit_address_space(spec.memory_limit_mb)
    _send(outbox, ("ready", os.getpid(), buffer.take()))
    while True:
        message = _recv(inbox)
        if message is None:
            outbox.flush()
            sys.stderr.flush()
            # every reply is already sent: skip tearing down spaCy, the model and numpy
            # (a few hundred ms the parent would wait for at the end of every run)
            os._exit(0)
        index, payload = message
        try:
            result = spec.job(payload, spec.config)
            reply = ("result", index, result, buffer.take())
        except MemoryError:
            reply = ("failure", index, Failure("memory", memory_reason(spec.memory_limit_mb)), buffer.take())
        except BaseException as exc:  # the job should not raise; if it does, the document fails
            reason = f"internal error: {type(exc).__name__}: {exc}"
            reply = ("failure", index, Failure("crash", reason), buffer.take())
        try:
            _send(outbox, reply)
        except MemoryError:
            _send(outbox, ("failure", index, Failure("memory", memory_reason(spec.memory_limit_mb)), []))


def memory_reason(limit_mb: int) -> str:
    return f"needed more than the memory limit ({limit_mb} MB per worker); stopped"


# ---------------------------------------------------------------- the parent side


def _worker_env(threads: int) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)  # so test-defined jobs import
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env.setdefault(name, str(threads))
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    return env


class _Worker:
    def __init__(self, spec: WorkerSpec) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from mctext.executors import child_main; child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_worker_env(spec.threads),
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        self.ready = False
        self.started = time.monotonic()
        self.task: tuple[int, Any] | None = None
        self.task_started = 0.0
        _send(self.stdin, spec)

    def fileno(self) -> int:
        return self.stdout.fileno()

    def assign(self, index: int, payload: Any) -> None:
        self.task, self.task_started = (index, payload), time.monotonic()
        _send(self.stdin, (index, payload))

    def usage(self) -> tuple[float, float]:
        """Resident memory (MB) and CPU seconds (user + system, with finished children) so far."""
        import psutil

        try:
            proc = psutil.Process(self.proc.pid)
            with proc.oneshot():
                cpu = proc.cpu_times()
                # children_*: OCR runs tesseract as a child process; its CPU is this document's too
                total = cpu.user + cpu.system + cpu.children_user + cpu.children_system
                return proc.memory_info().rss / _MB, total
        except psutil.Error:
            return 0.0, 0.0

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.close()

    def close(self) -> None:
        for stream in (self.stdin, self.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def exit_reason(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        code = self.proc.returncode
        if code is None:
            return "worker process stopped answering"
        if code < 0:
            name = _signal_name(-code)
            if -code == signal.SIGKILL:
                return f"worker process was killed ({name}), probably by the system running out of memory"
            return f"worker process crashed ({name}) while reading this document"
        return f"worker process exited unexpectedly (exit code {code}) while reading this document"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logging.getLogger(record.name).handle(record)


class IsolatedPool:
    """``workers`` child processes that run ``spec.job`` one document each, under limits.

    ``imap_unordered`` yields ``(index, result_or_Failure)`` as documents finish. The
    pool keeps its processes between calls (the Dask executor reuses one per thread);
    call ``close`` when done.
    """

    def __init__(self, spec: WorkerSpec, workers: int) -> None:
        self.spec = spec
        self.size = max(1, workers)
        self.workers: list[_Worker] = []
        self.peak_rss_mb: dict[int, float] = {}  # worker pid -> highest RSS seen
        self.cpu_s: dict[int, float] = {}  # worker pid -> CPU seconds, as of its last document
        self._start_failures = 0

    def _spawn(self) -> _Worker:
        worker = _Worker(self.spec)
        self.workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        self.workers.remove(worker)
        worker.kill() if kill else worker.close()

    def imap_unordered(self, tasks: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        pending = deque(tasks)
        while len(self.workers) < min(self.size, len(pending)):
            self._spawn()
        with selectors.DefaultSelector() as sel:
            registered: set[_Worker] = set()
            while pending or any(w.task is not None for w in self.workers):
                for worker in self.workers:
                    if worker.ready and worker.task is None and pending:
                        worker.assign(*pending.popleft())
                for worker in list(registered - set(self.workers)):
                    sel.unregister(worker)
                    registered.discard(worker)
                for worker in self.workers:
                    if worker not in registered:
                        sel.register(worker, selectors.EVENT_READ)
                        registered.add(worker)
                for key, _ in sel.select(timeout=_POLL_S):
                    yield from self._on_readable(key.fileobj, pending)  # type: ignore[arg-type]
                yield from self._watchdog(pending)
            for worker in list(registered):
                sel.unregister(worker)

    def _on_readable(self, worker: _Worker, pending: deque) -> Iterator[tuple[int, Any]]:
        try:
            message = _recv(worker.stdout)
        except Exception:  # a garbled or unpicklable reply counts as a crash
            message = None
        if message is None:
            yield from self._on_death(worker, pending, worker.exit_reason())
            return
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            self._start_failures = 0
            _replay(message[2])
            return
        _, index, outcome, records = message
        _replay(records)
        worker.task = None
        self._note_rss(worker)
        if pending:  # hand out the next document before the caller spends time on this result
            worker.assign(*pending.popleft())
        yield index, outcome

    def _on_death(self, worker: _Worker, pending: deque, reason: str) -> Iterator[tuple[int, Any]]:
        task = worker.task
        was_ready = worker.ready
        self._retire(worker, kill=True)
        if task is not None:
            log.warning("%s", reason)
            yield task[0], Failure("crash", reason)
        elif not was_ready:
            self._start_failures += 1
            if self._start_failures >= _MAX_START_FAILURES:
                self.close()
                raise WorkerStartError(f"worker processes fail to start: {reason}")
        if pending and len(self.workers) < self.size:
            self._spawn()

    def _note_rss(self, worker: _Worker) -> float:
        rss, cpu = worker.usage()
        pid = worker.proc.pid
        self.peak_rss_mb[pid] = max(self.peak_rss_mb.get(pid, 0.0), rss)
        self.cpu_s[pid] = max(self.cpu_s.get(pid, 0.0), cpu)
        return rss

    def _watchdog(self, pending: deque) -> Iterator[tuple[int, Any]]:
        now = time.monotonic()
        for worker in list(self.workers):
            if not worker.ready and now - worker.started > START_TIMEOUT_S:
                yield from self._on_death(worker, pending, "worker process did not start in time")
                continue
            if worker.task is None:
                continue
            index = worker.task[0]
            if now - worker.task_started > self.spec.timeout_s:
                worker.task = None
                self._retire(worker, kill=True)
                yield index, Failure("timeout", f"took longer than the time limit ({self.spec.timeout_s:g} s); stopped")
            elif self._note_rss(worker) > self.spec.memory_limit_mb:
                worker.task = None
                self._retire(worker, kill=True)
                yield index, Failure("memory", memory_reason(self.spec.memory_limit_mb))
            else:
                continue
            if pending and len(self.workers) < self.size:
                self._spawn()

    def close(self) -> None:
        """Idle workers exit on end-of-input; a worker still on a document is killed."""
        for worker in self.workers:  # end-of-input to all first, so they exit side by side
            if worker.task is None:
                with contextlib.suppress(OSError):
                    worker.stdin.close()
        for worker in list(self.workers):
            self._retire(worker, kill=worker.task is not None)

    def __enter__(self) -> IsolatedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
