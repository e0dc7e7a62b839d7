"""Run a per-document job in isolated worker processes under a time and memory limit.

Why our own small pool instead of ``concurrent.futures``: a document that segfaults,
calls ``os._exit``, hangs in C code or eats all memory must cost exactly one failed
document, not the batch. ``ProcessPoolExecutor`` breaks as a whole when one worker
dies and cannot stop one hung task. Here each worker is a plain child process that
takes one document at a time over a pipe or socket; the parent watches the clock and
the worker's resident memory, kills the worker when a limit is passed, reports why,
and starts a fresh worker for the rest of the batch.

Why a warmed template ("zygote"). Setting a worker up costs more than many documents:
a fresh interpreter imports spaCy, scikit-learn and numpy, loads the classifier
(``spec.init``) and builds the spaCy tokenizers and cue matchers of every language it
meets. With N workers that was paid N times, and again for every replacement after a
crash or timeout. So the pool starts ONE template process (``subprocess``, as the
workers were, so it also works inside daemonic Dask worker processes), which runs
``spec.init`` once, then ``spec.warm`` (the pipeline warms the languages the batch's
manifest names), checks that it is single-threaded at the Python level and that torch
stayed out (forking a process with running Python threads or torch's thread pools is
unsafe), and then ``os.fork``\\s the real workers on request. A fork shares the warmed
memory copy-on-write and is ready in milliseconds.

What the pool keeps on the template path:

- one socket pair per worker: the parent sends the worker's end over the template's
  control socket (``socket.send_fds``, an ``AF_UNIX`` ``SOCK_SEQPACKET`` pair: one
  message per packet), the template forks, and the fork talks to the parent directly
  with the same framing as before;
- crash reasons with the signal name: the parent cannot ``waitpid`` a grandchild, so
  the template reaps its forks (``SIGCHLD`` wakes its loop) and reports each exit
  status over the control socket; the parent waits for that report when a worker's
  socket hits end-of-file. Kills go through the template too (``kill`` by pid), which
  only signals a fork it has not reaped yet, so a reused pid is never hit;
- ``gc.freeze()`` after set-up: the forks' garbage collections skip what the template built
  (fewer CPU seconds, and pages stay shared);
- the per-worker memory limit (``RLIMIT_AS``, counted from the size after setup) is
  applied in each fork; ``PR_SET_PDEATHSIG`` is set again in each fork (it is cleared
  by ``fork``), so killing the parent takes the template and through it every worker
  down: no orphans; each fork reseeds numpy's global generator (``random`` reseeds
  itself at fork) so no two workers share random state;
- RSS and CPU per worker by pid (``psutil``; a fork's CPU times start at zero), plus
  the template's own CPU and RSS under its pid, so the totals still include model
  loading once;
- start failures: a fork that dies before it is ready counts as before, and three in a
  row raise ``WorkerStartError``.

The fallback is the previous design, one fresh interpreter per worker (``child_main``
under ``subprocess.Popen``, ``spec.init`` in each). It is used when ``os.fork`` or
``socket.send_fds`` is missing, when the template does not become ready (it died, timed
out, or found itself unfit to fork: Python threads running, torch imported), when the
template dies later, and when asked for: ``WorkerSpec.start`` or the environment
variable ``MCTEXT_WORKER_START`` (``auto``, ``template`` or ``spawn``; the tests run
both paths). A forked worker computes exactly what a fresh one does: the warm-up only
fills pure caches earlier.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import resource
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
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
START_ENV = "MCTEXT_WORKER_START"  # auto | template | spawn: overrides WorkerSpec.start
START_METHODS = ("auto", "template", "spawn")
_CONTROL_MAX = 1 << 20  # the largest control message (the template's ready report with its log records)
_FORK_REPLY_S = 30.0  # a template that does not answer a fork request in this time is broken
_EXIT_REPORT_S = 5.0  # how long the parent waits for the template's report of a fork's exit


@dataclass(frozen=True)
class Failure:
    """A document the worker could not finish: which stage and a one-line reason."""

    stage: str  # timeout | memory | crash
    reason: str


@dataclass
class WorkerSpec:
    """What a worker process needs: the job, its one-time setup and the limits.

    ``job(payload, config)`` runs one document and returns its result; ``init(config)``
    warms the process up (loads the model); ``warm(config)``, on the template path only,
    does further set-up worth sharing between workers (the batch's languages), which a
    fresh worker would otherwise do lazily on its first documents. All must be
    importable module-level functions (or partials of them), since they are pickled by
    reference into a fresh interpreter.
    """

    job: Callable[[Any, Any], Any]
    config: Any
    init: Callable[[Any], None] | None = None
    timeout_s: float = RunConfig.timeout_s  # the run limits' defaults live in config.RunConfig
    memory_limit_mb: int = RunConfig.memory_limit_mb
    threads: int = 1  # BLAS/torch threads per worker, so N workers do not oversubscribe cores
    log_level: int = logging.WARNING
    warm: Callable[[Any], None] | None = None
    start: str = "auto"  # template (fork from a warmed template), spawn (fresh interpreters), auto: template if it works


class WorkerStartError(MctextError):
    """Worker processes die before they are ready: an environment problem, not a document's."""


# ---------------------------------------------------------------- framing over pipes and sockets


def _send(stream: IO[bytes] | _SocketStream, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(stream: IO[bytes] | _SocketStream, n: int) -> bytes | None:
    chunks, remaining = [], n
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _recv(stream: IO[bytes] | _SocketStream) -> Any | None:
    """One message, or None when the other side has gone (EOF, possibly mid-message)."""
    header = _read_exact(stream, _HEADER.size)
    if header is None:
        return None
    body = _read_exact(stream, _HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)


class _SocketStream:
    """A stream socket as the file-like object ``_send``/``_recv`` use (write is ``sendall``)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def write(self, data: bytes) -> None:
        self.sock.sendall(data)

    def flush(self) -> None:
        pass

    def read(self, n: int) -> bytes:
        return self.sock.recv(n)

    def fileno(self) -> int:
        return self.sock.fileno()

    def close(self) -> None:
        self.sock.close()


def _control_send(sock: socket.socket, obj: Any, fds: list[int] | None = None) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.send(data)


# ---------------------------------------------------------------- the worker side


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
    """Linux: have the kernel kill this process when its parent dies (no orphaned hangs)."""
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


def _own_stdio() -> None:
    """Stray prints from libraries go to stderr (stdout may be the protocol); stdin is not ours to read."""
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def _capture_logs(level: int) -> _RecordBuffer:
    buffer = _RecordBuffer()
    root = logging.getLogger()
    root.handlers[:] = [buffer]
    root.setLevel(level)
    return buffer


def _set_up(spec: WorkerSpec, *, warm: bool) -> None:
    steps = [spec.init, spec.warm if warm else None]
    for step in (s for s in steps if s is not None):
        try:
            step(spec.config)
        except Exception as exc:  # the job meets the same problem and reports it per document
            logging.getLogger(__name__).warning("worker setup failed: %s", exc)


def _serve(spec: WorkerSpec, inbox: Any, outbox: Any, buffer: _RecordBuffer) -> None:
    """One document per message until end-of-input, then exit without tearing anything down."""
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


def child_main() -> None:
    """Entry point of a fresh worker process (the fallback path): setup, then one document per message."""
    _die_with_parent()
    inbox = sys.stdin.buffer
    outbox = os.fdopen(os.dup(1), "wb")
    _own_stdio()
    spec: WorkerSpec = _recv(inbox)
    buffer = _capture_logs(spec.log_level)
    _set_up(spec, warm=False)
    _limit_address_space(spec.memory_limit_mb)
    _send(outbox, ("ready", os.getpid(), buffer.take()))
    _serve(spec, inbox, outbox, buffer)


def memory_reason(limit_mb: int) -> str:
    return f"needed more than the memory limit ({limit_mb} MB per worker); stopped"


# ---------------------------------------------------------------- the template side


def unfit_to_fork() -> str:
    """Why this process must not fork workers ("" when it may): running Python threads, or torch.

    A fork copies only the calling thread: a lock another thread held stays locked in the
    child forever. torch starts its own thread pools (and is kept out by the pipeline's
    warm-up when the model does not need it). Native BLAS threads are fine: OpenBLAS and
    OpenMP stop and restart their pools around ``fork``.
    """
    if threading.active_count() > 1:
        return f"{threading.active_count()} Python threads are running"
    if sys.modules.get("torch") is not None:
        return "torch is loaded"
    return ""


def template_main(control_fd: int) -> None:
    """Entry point of the template process: set up once, then fork a worker per request.

    Control messages (one pickle per packet): from the parent ``("fork",)`` with the
    worker's socket attached, ``("kill", pid)``; to the parent ``("ready", pid, records,
    unfit_reason)``, ``("forked", pid)``, ``("exit", pid, returncode)`` (returncode as
    ``subprocess`` gives it: negative for a signal). End-of-file on the control socket
    (the pool closed, or the parent died) ends the template and any fork still running.
    """
    _die_with_parent()
    control = socket.socket(fileno=control_fd)
    spec: WorkerSpec = _recv(sys.stdin.buffer)
    _own_stdio()
    buffer = _capture_logs(spec.log_level)
    _set_up(spec, warm=True)
    unfit = unfit_to_fork()
    records = buffer.take()
    if len(pickle.dumps(records)) > _CONTROL_MAX // 2:
        records = records[-20:]
    _control_send(control, ("ready", os.getpid(), records, unfit))
    if unfit:
        os._exit(0)
    # What set-up built lives as long as the process: out of the collector's sight, so the forks'
    # collections neither scan it (~0.4 CPU-s a worker on the rendered corpus) nor copy its pages.
    gc.freeze()
    _template_loop(spec, control)


def _template_loop(spec: WorkerSpec, control: socket.socket) -> None:
    children: set[int] = set()
    wake_r, wake_w = socket.socketpair()
    wake_r.setblocking(False)
    wake_w.setblocking(False)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wakeup fd is written on SIGCHLD
    signal.set_wakeup_fd(wake_w.fileno(), warn_on_full_buffer=False)
    sel = selectors.DefaultSelector()
    sel.register(control, selectors.EVENT_READ)
    sel.register(wake_r, selectors.EVENT_READ)
    template_pid = os.getpid()
    while True:
        for key, _ in sel.select():
            if key.fileobj is wake_r:
                with contextlib.suppress(BlockingIOError):
                    while wake_r.recv(4096):
                        pass
                continue
            try:
                message, fds, _, _ = socket.recv_fds(control, _CONTROL_MAX, 1)
            except OSError:  # the parent has gone
                message, fds = b"", []
            if not message:  # the pool has gone: nothing may outlive it
                _end_template(children)
            request = pickle.loads(message)
            if request[0] == "fork" and fds:
                pid = os.fork()
                if pid == 0:
                    _forked_worker(spec, fds[0], template_pid, (control, wake_r, wake_w), sel)
                os.close(fds[0])
                children.add(pid)
                _control_send(control, ("forked", pid))
            elif request[0] == "kill" and request[1] in children:
                with contextlib.suppress(OSError):
                    os.kill(request[1], signal.SIGKILL)
        _reap(children, control)


def _reap(children: set[int], control: socket.socket) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        try:
            _control_send(control, ("exit", pid, os.waitstatus_to_exitcode(status)))
        except OSError:  # the parent has gone: so must the other forks and the template
            _end_template(children)


def _end_template(children: set[int]) -> None:
    """Kill the forks still running and exit the template (its pool or parent has gone). Never returns."""
    for pid in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    os._exit(0)


def _forked_worker(spec: WorkerSpec, fd: int, template_pid: int, inherited: tuple[socket.socket, ...],
                   sel: selectors.BaseSelector) -> None:
    """A fork of the template: drop the template's plumbing, set the per-worker state, serve. Never returns."""
    code = 70
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # tesseract's children are waited for by subprocess
        sel.close()
        for sock in inherited:
            sock.close()
        _die_with_parent()  # cleared by fork; the parent is now the template
        if os.getppid() != template_pid:  # the template died before the line above
            os._exit(code)
        _reseed()
        stream = _SocketStream(socket.socket(fileno=fd))
        buffer = _capture_logs(spec.log_level)
        _limit_address_space(spec.memory_limit_mb)
        _send(stream, ("ready", os.getpid(), []))
        _serve(spec, stream, stream, buffer)
    except BaseException:
        with contextlib.suppress(BaseException):
            traceback.print_exc()  # stderr: the parent reports the exit code against the document
    finally:
        os._exit(code)


def _reseed() -> None:
    """Give the fork random state of its own (``random`` reseeds itself at fork; numpy's global one does not)."""
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        with contextlib.suppress(Exception):
            numpy.random.seed(int.from_bytes(os.urandom(4), "little"))


# ---------------------------------------------------------------- the parent side


def _worker_env(threads: int) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)  # so test-defined jobs import
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env.setdefault(name, str(threads))
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    return env


def _usage(pid: int, *, children: bool = True) -> tuple[float, float]:
    """Resident memory (MB) and CPU seconds (user + system, with finished children) of ``pid`` so far.

    ``children=False`` for the template: its finished children are the workers, counted on their own.
    """
    import psutil

    try:
        proc = psutil.Process(pid)
        with proc.oneshot():
            cpu = proc.cpu_times()
            total = cpu.user + cpu.system
            if children:  # OCR runs tesseract as a child process; its CPU is this document's too
                total += cpu.children_user + cpu.children_system
            return proc.memory_info().rss / _MB, total
    except psutil.Error:
        return 0.0, 0.0


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "worker process stopped answering"
    if code < 0:
        name = _signal_name(-code)
        if -code == signal.SIGKILL:
            return f"worker process was killed ({name}), probably by the system running out of memory"
        return f"worker process crashed ({name}) while reading this document"
    return f"worker process exited unexpectedly (exit code {code}) while reading this document"


class _Worker:
    """The parent's handle on one worker: its channel, its task and its clock."""

    pid: int
    inbox: Any  # where the parent writes
    outbox: Any  # where the parent reads

    def __init__(self) -> None:
        self.ready = False
        self.started = time.monotonic()
        self.task: tuple[int, Any] | None = None
        self.task_started = 0.0

    def fileno(self) -> int:
        return self.outbox.fileno()

    def assign(self, index: int, payload: Any) -> None:
        self.task, self.task_started = (index, payload), time.monotonic()
        _send(self.inbox, (index, payload))

    def usage(self) -> tuple[float, float]:
        return _usage(self.pid)

    def end_input(self) -> None:
        """End-of-input: an idle worker exits on it."""
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def exit_reason(self) -> str:
        raise NotImplementedError


class _SpawnedWorker(_Worker):
    """A fresh interpreter running ``child_main`` (the fallback path)."""

    def __init__(self, spec: WorkerSpec) -> None:
        super().__init__()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from mctext.executors import child_main; child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_worker_env(spec.threads),
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.inbox, self.outbox = self.proc.stdin, self.proc.stdout
        self.pid = self.proc.pid
        _send(self.inbox, spec)

    def end_input(self) -> None:
        with contextlib.suppress(OSError):
            self.inbox.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.close()

    def close(self) -> None:
        for stream in (self.inbox, self.outbox):
            with contextlib.suppress(OSError):
                stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def exit_reason(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        return _exit_reason(self.proc.returncode)


class _ForkedWorker(_Worker):
    """A fork of the template, over its own socket; exits and kills go through the template."""

    def __init__(self, template: _Template, pid: int, sock: socket.socket) -> None:
        super().__init__()
        self.template, self.pid = template, pid
        self.inbox = self.outbox = _SocketStream(sock)
        self.returncode: int | None = None  # once the template has reported the exit

    def end_input(self) -> None:
        with contextlib.suppress(OSError):
            self.inbox.sock.shutdown(socket.SHUT_WR)

    def kill(self) -> None:
        self.template.kill(self.pid)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.inbox.close()
        self._wait(10.0)

    def _wait(self, timeout: float) -> int | None:
        if self.returncode is None:
            self.returncode = self.template.wait_exit(self.pid, timeout=timeout)
        return self.returncode

    def exit_reason(self) -> str:
        return _exit_reason(self._wait(_EXIT_REPORT_S))


class _Template:
    """The parent's handle on the template process: start it, ask for forks, learn their exits."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", f"from mctext.executors import template_main; template_main({theirs.fileno()})"],
                stdin=subprocess.PIPE, pass_fds=(theirs.fileno(),), env=_worker_env(spec.threads),
            )
        finally:
            theirs.close()
        self.pid = self.proc.pid
        self.exits: dict[int, int] = {}  # fork pid -> returncode, reported and not yet asked for
        self.alive = True
        assert self.proc.stdin is not None
        try:
            _send(self.proc.stdin, spec)
            self.proc.stdin.close()
        except OSError:
            self.alive = False

    def _next(self, timeout: float) -> tuple | None:
        """The next control message (exit reports are also filed in ``exits``), or None."""
        deadline = time.monotonic() + timeout
        while self.alive:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.control.settimeout(remaining)
            try:
                data = self.control.recv(_CONTROL_MAX)
            except TimeoutError:
                return None
            except OSError:
                data = b""
            if not data:
                self.alive = False
                return None
            message = pickle.loads(data)
            if message[0] == "exit":
                self.exits[message[1]] = message[2]
            return message
        return None

    def wait_ready(self, timeout: float) -> tuple[str, list[logging.LogRecord]]:
        """("", the set-up's log records) when ready to fork; otherwise why not."""
        message = self._next(timeout)
        if message is None or message[0] != "ready":  # nothing has been forked yet: no exit reports
            return ("the template process died while setting up" if not self.alive
                    else "the template process did not start in time"), []
        return message[3], message[2]

    def fork(self) -> _ForkedWorker | None:
        """A new worker forked from the template, or None when the template no longer answers."""
        mine, theirs = socket.socketpair()
        try:
            _control_send(self.control, ("fork",), [theirs.fileno()])
        except OSError:
            self.alive = False
        finally:
            theirs.close()
        deadline = time.monotonic() + _FORK_REPLY_S
        message = None
        while self.alive and (message is None or message[0] == "exit") and time.monotonic() < deadline:
            message = self._next(deadline - time.monotonic())
        if message is None or message[0] != "forked":
            mine.close()
            self.alive = False
            return None
        return _ForkedWorker(self, message[1], mine)

    def kill(self, pid: int) -> None:
        with contextlib.suppress(OSError):
            _control_send(self.control, ("kill", pid))

    def wait_exit(self, pid: int, timeout: float) -> int | None:
        """The returncode of fork ``pid`` once the template has reaped it (None: no report in time)."""
        deadline = time.monotonic() + timeout
        while pid not in self.exits and self.alive and time.monotonic() < deadline:
            message = self._next(deadline - time.monotonic())
            if message is not None and message[0] != "exit":
                log.debug("unexpected message from the worker template: %r", message[0])
        return self.exits.pop(pid, None)

    def close(self) -> None:
        """End-of-file on the control socket: the template kills any fork left and exits."""
        with contextlib.suppress(OSError):
            self.control.close()
        self.alive = False
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logging.getLogger(record.name).handle(record)


def start_method(spec: WorkerSpec) -> str:
    """How this pool starts workers: ``template`` where it can fork, else ``spawn``."""
    asked = os.environ.get(START_ENV) or spec.start
    if asked not in START_METHODS:
        raise MctextError(f"unknown worker start method {asked!r}: use one of {', '.join(START_METHODS)}")
    forkable = hasattr(os, "fork") and hasattr(socket, "send_fds") and sys.platform.startswith("linux")
    return "template" if asked != "spawn" and forkable else "spawn"


class IsolatedPool:
    """``workers`` worker processes that run ``spec.job`` one document each, under limits.

    ``imap_unordered`` yields ``(index, result_or_Failure)`` as documents finish. The
    pool keeps its processes between calls (the Dask executor reuses one per thread);
    call ``close`` when done. ``method`` says how workers start (``template`` or
    ``spawn``; it turns to ``spawn`` when the template fails).
    """

    def __init__(self, spec: WorkerSpec, workers: int) -> None:
        self.spec = spec
        self.size = max(1, workers)
        self.workers: list[_Worker] = []
        self.peak_rss_mb: dict[int, float] = {}  # worker (and template) pid -> highest RSS seen
        self.cpu_s: dict[int, float] = {}  # worker (and template) pid -> CPU seconds, as of its last document
        self.method = start_method(spec)
        self._template: _Template | None = None
        self._start_failures = 0

    def _spawn(self) -> _Worker:
        worker = self._fork() if self.method == "template" else None
        if worker is None:
            worker = _SpawnedWorker(self.spec)
        self.workers.append(worker)
        return worker

    def _fork(self) -> _ForkedWorker | None:
        if self._template is None:
            self._template = _Template(self.spec)
            unfit, records = self._template.wait_ready(START_TIMEOUT_S)
            _replay(records)
            if unfit:
                return self._fall_back(unfit)
            self._note_template()
        worker = self._template.fork()
        return worker if worker is not None else self._fall_back("the template process stopped answering")

    def _fall_back(self, reason: str) -> None:
        log.info("starting each worker process on its own: %s", reason)
        self.method = "spawn"
        self._close_template()
        return None

    def _note_template(self) -> None:
        if self._template is not None:
            rss, cpu = _usage(self._template.pid, children=False)
            if cpu:
                self.peak_rss_mb[self._template.pid] = max(self.peak_rss_mb.get(self._template.pid, 0.0), rss)
                self.cpu_s[self._template.pid] = max(self.cpu_s.get(self._template.pid, 0.0), cpu)

    def _close_template(self) -> None:
        if self._template is not None:
            self._note_template()
            self._template.close()
            self._template = None

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
            message = _recv(worker.outbox)
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
        self.peak_rss_mb[worker.pid] = max(self.peak_rss_mb.get(worker.pid, 0.0), rss)
        self.cpu_s[worker.pid] = max(self.cpu_s.get(worker.pid, 0.0), cpu)
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
        """Idle workers exit on end-of-input; a worker still on a document is killed; then the template goes."""
        for worker in self.workers:  # end-of-input to all first, so they exit side by side
            if worker.task is None:
                worker.end_input()
        for worker in list(self.workers):
            self._retire(worker, kill=worker.task is not None)
        self._close_template()

    def __enter__(self) -> IsolatedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
