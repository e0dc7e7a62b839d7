"""The worker pool's two ways to start workers: forks of a warmed template, and fresh interpreters.

Each test runs on both paths (``start``) where the guarantee is the same; the tests of the
template itself (falling back when it cannot fork or dies, its CPU accounting, what forks
inherit) run on it alone. ``tests/test_pipeline.py`` runs the crash, hang and memory cases
through ``run_documents`` on both paths too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from mctext.config import RunConfig
from mctext.executors import (
    START_ENV,
    Failure,
    IsolatedPool,
    WorkerSpec,
    WorkerStartError,
    unfit_to_fork,
)
from mctext.pipeline import worker_spec

TESTS = Path(__file__).resolve().parent


@pytest.fixture(params=["template", "spawn"])
def start(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(START_ENV, request.param)
    return request.param


@pytest.fixture(autouse=True)
def _markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv("MCTEXT_TEST_MARKS", str(marks))
    monkeypatch.delenv("MCTEXT_TEST_CALLS", raising=False)
    return marks


def _mark(kind: str) -> None:
    Path(os.environ["MCTEXT_TEST_MARKS"], f"{kind}-{os.getpid()}").touch()


def _marked(kind: str) -> set[int]:
    return {int(p.name.split("-")[1]) for p in Path(os.environ["MCTEXT_TEST_MARKS"]).glob(f"{kind}-*")}


# Set-up steps for the specs below: module-level, so the worker processes can unpickle them.


def mark_init(cfg: object) -> None:
    _mark("init")


def mark_warm(cfg: object) -> None:
    _mark("warm")


def thread_init(cfg: object) -> None:
    """Leaves a Python thread running: a process must not fork in that state."""
    _mark("init")
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()


def die_once_init(cfg: object) -> None:
    """The first process to set up (the template, on that path) dies; later ones are fine."""
    first = Path(os.environ["MCTEXT_TEST_MARKS"], "died")
    if not first.exists():
        first.touch()
        os._exit(3)
    _mark("init")


def always_die_init(cfg: object) -> None:
    os._exit(3)


def pid_job(payload: tuple, cfg: object) -> dict:
    """What a worker looks like from the inside: its pid, its parent, its memory limit, its signal handlers."""
    import resource

    name, burn_s = payload
    if name == "hang":
        time.sleep(600)
    until = time.process_time() + burn_s
    while time.process_time() < until:
        pass
    return {"pid": os.getpid(), "ppid": os.getppid(), "rlimit_as": resource.getrlimit(resource.RLIMIT_AS)[0],
            "sigchld": signal.getsignal(signal.SIGCHLD) == signal.SIG_DFL, "threads": threading.active_count()}


def _spec(init=mark_init, warm=mark_warm, job=pid_job, **limits) -> WorkerSpec:
    return WorkerSpec(job=job, config=None, init=init, warm=warm,
                      **{"timeout_s": 20.0, "memory_limit_mb": 256, **limits})


def _run(pool: IsolatedPool, payloads: list) -> dict[int, object]:
    return dict(pool.imap_unordered(list(enumerate(payloads))))


def test_workers_are_forks_of_one_warmed_template(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_ENV, "template")
    with IsolatedPool(_spec(), 2) as pool:
        out = _run(pool, [(f"d{i}", 0.0) for i in range(6)])
        assert pool.method == "template"
        template = pool._template.pid
    workers = {r["pid"] for r in out.values()}
    assert len(workers) <= 2 and {r["ppid"] for r in out.values()} == {template}
    assert _marked("init") == _marked("warm") == {template}  # set up once, in the template
    assert all(r["rlimit_as"] != -1 and r["sigchld"] and r["threads"] == 1 for r in out.values())
    assert os.getpid() not in workers | {template}


def test_spawned_workers_set_up_each_and_skip_the_template_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_ENV, "spawn")
    with IsolatedPool(_spec(), 2) as pool:
        out = _run(pool, [(f"d{i}", 0.0) for i in range(6)])
    workers = {r["pid"] for r in out.values()}
    assert {r["ppid"] for r in out.values()} == {os.getpid()}
    assert workers <= _marked("init") and len(_marked("init")) == 2 and not _marked("warm")


def test_a_crashed_or_timed_out_worker_is_replaced(start: str) -> None:
    spec = _spec(job=misbehaving_job_payload, timeout_s=2.0)
    names = ["a", "segv", "b", "hang", "c", "exit", "d"]
    with IsolatedPool(spec, 2) as pool:
        out = _run(pool, names)
    outcome = {names[i]: o for i, o in out.items()}
    assert outcome["segv"] == Failure("crash", "worker process crashed (SIGSEGV) while reading this document")
    assert outcome["exit"].stage == "crash" and "exit code 7" in outcome["exit"].reason
    assert outcome["hang"].stage == "timeout"
    assert {name: o for name, o in outcome.items() if len(name) == 1} == {n: f"ok {n}" for n in "abcd"}


def misbehaving_job_payload(name: str, cfg: object) -> str:
    """``test_pipeline.misbehaving_job``'s crashes, on a bare name."""
    if name == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    if name == "exit":
        os._exit(7)
    if name == "hang":
        time.sleep(600)
    if name == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)
    return f"ok {name}"


def test_a_worker_killed_by_a_signal_is_named(start: str) -> None:
    with IsolatedPool(_spec(job=misbehaving_job_payload), 1) as pool:
        out = _run(pool, ["sigkill", "after"])
    assert out[0].stage == "crash" and "SIGKILL" in out[0].reason and out[1] == "ok after"


def test_workers_that_never_start_raise_worker_start_error(start: str) -> None:
    with pytest.raises(WorkerStartError), IsolatedPool(_spec(init=always_die_init), 2) as pool:
        _run(pool, [("a", 0.0), ("b", 0.0)])


def test_an_unfit_template_falls_back_to_fresh_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_ENV, "template")
    with IsolatedPool(_spec(init=thread_init), 2) as pool:
        out = _run(pool, [(f"d{i}", 0.0) for i in range(4)])
        assert pool.method == "spawn"
    assert {r["ppid"] for r in out.values()} == {os.getpid()}
    assert {r["pid"] for r in out.values()} <= _marked("init")


def test_a_template_that_dies_while_setting_up_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_ENV, "template")
    with IsolatedPool(_spec(init=die_once_init), 2) as pool:
        out = _run(pool, [(f"d{i}", 0.0) for i in range(4)])
        assert pool.method == "spawn"
    assert len(out) == 4 and {r["ppid"] for r in out.values()} == {os.getpid()}


def test_a_template_killed_mid_run_costs_the_documents_in_flight_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its forks die with it (PR_SET_PDEATHSIG): the document in flight fails, the rest go to fresh workers."""
    monkeypatch.setenv(START_ENV, "template")
    payloads = [("hang", 0.0), *((f"d{i}", 0.0) for i in range(3))]
    pool = IsolatedPool(_spec(), 1)

    def kill_the_template() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            template = pool._template
            if template is not None and psutil.Process(template.pid).children():
                time.sleep(0.5)  # the fork is on "hang" by now
                os.kill(template.pid, signal.SIGKILL)
                return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_the_template)
    killer.start()
    with pool:
        out = _run(pool, payloads)
        assert pool.method == "spawn"
    killer.join()
    assert isinstance(out[0], Failure) and out[0].stage == "crash"
    assert [out[i]["ppid"] for i in (1, 2, 3)] == [os.getpid()] * 3


def test_cpu_and_rss_are_kept_per_process_and_not_counted_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(START_ENV, "template")
    with IsolatedPool(_spec(warm=None), 1) as pool:
        out = _run(pool, [("a", 1.0), ("b", 1.0)])
        template = pool._template.pid
    [worker] = {r["pid"] for r in out.values()}
    assert set(pool.cpu_s) == set(pool.peak_rss_mb) == {template, worker}
    assert pool.cpu_s[worker] >= 1.9 and all(rss > 0 for rss in pool.peak_rss_mb.values())
    assert pool.cpu_s[template] < pool.cpu_s[worker]  # the template's reaped children are the workers: not its CPU


_ORPHAN_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from mctext.executors import IsolatedPool
    import test_executors as t
    with IsolatedPool(t._spec(), 2) as pool:
        list(pool.imap_unordered([(0, ("hang", 0.0)), (1, ("hang", 0.0))]))
    """
)


def test_no_worker_outlives_a_killed_parent(start: str, tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(_ORPHAN_SCRIPT.format(tests=str(TESTS)))
    proc = subprocess.Popen([sys.executable, str(script)], env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    want = 3 if start == "template" else 2  # the template and two forks, or two fresh workers
    children: list[psutil.Process] = []
    deadline = time.monotonic() + 120
    while len(children) < want and time.monotonic() < deadline:
        time.sleep(0.2)
        children = psutil.Process(proc.pid).children(recursive=True)
    assert len(children) == want
    proc.kill()
    proc.wait()
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


@dataclass
class _Source:
    path: Path
    rel: str
    manifest: dict


def test_forked_workers_give_the_same_results_as_fresh_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real job after the real warm-up (model, spaCy, the batch's languages): equal results on both paths."""
    from test_bad_inputs import make_pdf

    lines = {"de": ["Microcredentials sind im Deutschen Qualifikationsrahmen auf Niveau 5 eingeordnet.",
                    "Die Anerkennung erfolgt durch die zuständige Stelle."],
             "en": ["Micro-credentials are linked to the national qualifications framework at EQF level 5.",
                    "Employers value short courses of 5 ECTS."],
             "fr": ["Les microcertifications sont reconnues au niveau 4 du cadre national des certifications."]}
    sources = []
    for code, text in lines.items():
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(make_pdf(lines=text))
        sources.append(_Source(path=path, rel=path.name, manifest={"language": code, "country": "DE"}))
    cfg = RunConfig(workers=2, timeout_s=300.0)
    spec = worker_spec(cfg, 2, languages=("de", "en", "fr"))
    outcomes = {}
    for method in ("template", "spawn"):
        monkeypatch.setenv(START_ENV, method)
        with IsolatedPool(spec, 2) as pool:
            outcomes[method] = _run(pool, [(s, None) for s in sources])
            assert pool.method == method
    assert outcomes["template"] == outcomes["spawn"]
    assert all(r.segments and r.predictions for r in outcomes["template"].values())


def test_unfit_to_fork_names_running_threads() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert "threads" in unfit_to_fork()
    finally:
        stop.set()
        thread.join()


def test_an_unknown_start_method_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from mctext.errors import MctextError

    monkeypatch.setenv(START_ENV, "teleport")
    with pytest.raises(MctextError, match="start method"):
        IsolatedPool(_spec(), 1)
