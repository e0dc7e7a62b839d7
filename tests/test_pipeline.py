"""The executor and cache machinery, driven by small injected jobs.

The jobs below misbehave on purpose (segfault, os._exit, hang, raise, eat memory),
chosen by the file's name, so that every failure path of the worker pool is
exercised without depending on which real file happens to crash an extractor.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from mctext.cache import ResultCache, atomic_write_bytes, cache_key
from mctext.config import RunConfig
from mctext.executors import START_ENV
from mctext.pipeline import RunStats, one_line, run_documents
from mctext.records import DocResult, Document, Page, doc_id_from_sha256, sha256_bytes


@dataclass
class FakeSource:
    path: Path
    rel: str
    manifest: dict | None = None


def misbehaving_job(source: FakeSource, cfg: RunConfig, data: bytes | None) -> DocResult:
    """Behaves as its file name says; otherwise returns a one-page result and logs the call."""
    name = source.rel
    if "segv" in name:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "exit" in name:
        os._exit(7)
    if "hang" in name:
        time.sleep(600)
    if "raise" in name:
        raise RuntimeError("boom")
    if "bigalloc" in name:
        bytearray(50 * cfg.memory_limit_mb * 1024 * 1024)
    if "grow" in name:
        hoard = []
        for _ in range(4 * cfg.memory_limit_mb // 16):
            hoard.append(b"x" * (16 * 1024 * 1024))
            time.sleep(0.01)
    data = Path(source.path).read_bytes() if data is None else data
    calls = os.environ.get("MCTEXT_TEST_CALLS")
    if calls:
        with open(calls, "a") as fh:
            fh.write(f"{name}\n")
    sha = sha256_bytes(data)
    doc = Document(doc_id=doc_id_from_sha256(sha), file=source.rel, sha256=sha, title=str(os.getpid()), pages=1)
    return DocResult(document=doc, pages=[Page(number=1, text=data.decode(errors="replace"))])


def record_init(cfg: RunConfig) -> None:
    """Stands in for loading the model: leaves one marker per worker process."""
    marker_dir = os.environ.get("MCTEXT_TEST_INITS")
    if marker_dir:
        Path(marker_dir, str(os.getpid())).touch()


def _corpus(tmp_path: Path, names: list[str]) -> list[FakeSource]:
    root = tmp_path / "corpus"
    root.mkdir(exist_ok=True)
    sources = []
    for name in names:
        path = root / name
        path.write_text(f"content of {name}\n")
        sources.append(FakeSource(path=path, rel=name))
    return sources


def _run(sources, tmp_path: Path, **cfg_args) -> dict[str, DocResult]:
    cfg = RunConfig(**{"workers": 2, "timeout_s": 20.0, "memory_limit_mb": 256, "model_dir": tmp_path / "model", **cfg_args})
    results = run_documents(sources, cfg, tmp_path / "cache", progress=False, job=misbehaving_job, init=record_init)
    return {r.document.file: r for r in results}


@pytest.fixture(autouse=True, params=["template", "spawn"])
def start(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs with workers forked from a warmed template and with fresh interpreters."""
    monkeypatch.setenv(START_ENV, request.param)
    return request.param


@pytest.fixture(autouse=True)
def _markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "inits").mkdir()
    monkeypatch.setenv("MCTEXT_TEST_INITS", str(tmp_path / "inits"))
    monkeypatch.setenv("MCTEXT_TEST_CALLS", str(tmp_path / "calls.txt"))


def _calls(tmp_path: Path) -> list[str]:
    path = tmp_path / "calls.txt"
    return path.read_text().split() if path.exists() else []


def test_crashes_and_hangs_fail_alone_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = [f"good{i}.txt" for i in range(6)]
    bad = ["segv.txt", "exit.txt", "hang.txt", "raise.txt", "bigalloc.txt"]
    sources = _corpus(tmp_path, [good[0], *bad[:3], *good[1:4], *bad[3:], *good[4:]])
    started = time.monotonic()
    results = _run(sources, tmp_path, timeout_s=3.0)
    assert time.monotonic() - started < 60
    assert set(results) == set(good) | set(bad)
    for name in good:
        assert results[name].document.status == "ok" and results[name].pages[0].text.startswith("content of"), (name, results[name].document.error)
    stages = {name: (results[name].failure_stage, results[name].document.error) for name in bad}
    assert stages["segv.txt"][0] == "crash" and "SIGSEGV" in stages["segv.txt"][1]
    assert stages["exit.txt"][0] == "crash" and "exit code 7" in stages["exit.txt"][1]
    assert stages["hang.txt"] == ("timeout", "took longer than the time limit (3 s); stopped")
    assert stages["raise.txt"][0] == "crash" and "RuntimeError: boom" in stages["raise.txt"][1]
    assert stages["bigalloc.txt"][0] == "memory" and "256 MB" in stages["bigalloc.txt"][1]
    for name in bad:
        doc = results[name].document
        assert doc.status == "failed" and doc.sha256 == sha256_bytes(Path(tmp_path / "corpus" / name).read_bytes())
        assert "\n" not in doc.error


def test_memory_growth_is_stopped(tmp_path: Path) -> None:
    sources = _corpus(tmp_path, ["grow.txt", "after.txt"])
    results = _run(sources, tmp_path, workers=1, memory_limit_mb=200)
    assert results["grow.txt"].failure_stage == "memory"
    assert results["after.txt"].document.status == "ok"


def test_model_is_loaded_once_per_worker_process(tmp_path: Path, start: str) -> None:
    """Fresh interpreters load it once each; forked workers inherit it from the template, which loads it once."""
    sources = _corpus(tmp_path, [f"doc{i}.txt" for i in range(8)])
    results = _run(sources, tmp_path, workers=2)
    pids = {r.document.title for r in results.values()}
    inits = {p.name for p in (tmp_path / "inits").iterdir()}
    if start == "spawn":
        assert len(pids) <= 2 and pids <= inits and len(inits) == 2
    else:
        assert len(pids) <= 2 and len(inits) == 1 and not pids & inits
    assert str(os.getpid()) not in pids | inits  # documents never run in the parent


def test_rerun_does_no_work_and_changes_are_recomputed(tmp_path: Path) -> None:
    sources = _corpus(tmp_path, ["a.txt", "b.txt", "c.txt", "hang.txt"])
    first = _run(sources, tmp_path, timeout_s=2.0)
    assert sorted(_calls(tmp_path)) == ["a.txt", "b.txt", "c.txt"]
    stats = RunStats()
    cfg = RunConfig(workers=2, timeout_s=2.0, memory_limit_mb=256, model_dir=tmp_path / "model")
    again = list(run_documents(sources, cfg, tmp_path / "cache", progress=False, job=misbehaving_job, stats=stats))
    assert stats.from_cache == 4 and stats.processed == 0 and len(_calls(tmp_path)) == 3
    assert {r.document.file: r for r in again} == first
    # Content change -> that document only; a new model -> every document.
    sources[0].path.write_text("edited\n")
    _run(sources, tmp_path, timeout_s=2.0)
    assert _calls(tmp_path)[3:] == ["a.txt"]
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "weights.bin").write_bytes(b"v2")
    _run(sources, tmp_path, timeout_s=2.0)
    assert sorted(_calls(tmp_path)[4:]) == ["a.txt", "b.txt", "c.txt"]


def test_limit_failures_are_retried_under_higher_limits(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c", timeout_s=2.0, memory_limit_mb=100)
    doc = Document(doc_id="x", file="x", sha256="s", status="failed")
    cache.put("k", DocResult(document=doc, failure_stage="timeout"))
    assert cache.get("k") is not None
    assert ResultCache(tmp_path / "c", timeout_s=2.0, memory_limit_mb=100).get("k") is not None
    assert ResultCache(tmp_path / "c", timeout_s=10.0, memory_limit_mb=100).get("k") is None


def test_cache_entries_are_atomic_and_garbage_is_ignored(tmp_path: Path) -> None:
    cache_dir = tmp_path / "c"
    cache = ResultCache(cache_dir, timeout_s=1, memory_limit_mb=1)
    (cache_dir / "bad.pkl").write_bytes(b"\x80\x04truncated")
    assert cache.get("bad") is None
    orphan = cache_dir / ".k.pkl.abc123.999999999.tmp"  # left by a writer killed mid-write
    orphan.write_bytes(b"partial")
    ResultCache(cache_dir, timeout_s=1, memory_limit_mb=1)
    assert not orphan.exists()
    atomic_write_bytes(cache_dir / "f.bin", b"whole")
    assert (cache_dir / "f.bin").read_bytes() == b"whole"
    assert [p.name for p in cache_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_cache_writer_writes_every_entry_as_it_was_put_and_reports_a_failed_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's cache files are written on a thread: all of them by ``close``, each with the
    result as it was when put (a later change by the caller does not reach the file), and a
    failed write raised in the caller's thread."""
    import mctext.cache

    cache = ResultCache(tmp_path / "c", timeout_s=1, memory_limit_mb=1)
    writer = cache.writer()
    results = [DocResult(document=Document(doc_id=f"d{i}", file=f"f{i}", sha256="s")) for i in range(40)]
    for i, result in enumerate(results):
        writer.put(f"k{i}", result)
        result.document.file = "changed after put"
    writer.close()
    assert [cache.get(f"k{i}").document.file for i in range(40)] == [f"f{i}" for i in range(40)]

    def full_disk(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mctext.cache, "atomic_write_bytes", full_disk)
    writer = cache.writer()
    writer.put("k-full", results[0])
    with pytest.raises(OSError, match="No space left"):
        writer.close()
    assert cache.get("k-full") is None


def test_cache_key_covers_what_the_result_depends_on() -> None:
    base = {"sha256": "s", "rel": "a.pdf", "manifest": {"country": "DE"}, "pipeline": "p", "model": "m", "ocr": True}
    key = cache_key(**base)
    for field, other in [("sha256", "t"), ("rel", "b.pdf"), ("manifest", {"country": "FR"}),
                         ("pipeline", "q"), ("model", "n"), ("ocr", False)]:
        assert cache_key(**{**base, field: other}) != key, field
    assert cache_key(**{**base, "manifest": {"country": "DE"}}) == key


def test_unreadable_file_fails_with_a_reason(tmp_path: Path) -> None:
    sources = _corpus(tmp_path, ["fine.txt"]) + [FakeSource(path=tmp_path / "missing.pdf", rel="missing.pdf")]
    results = _run(sources, tmp_path)
    assert results["fine.txt"].document.status == "ok"
    missing = results["missing.pdf"]
    assert missing.failure_stage == "extract" and "No such file" in missing.document.error


def test_one_line_reason() -> None:
    assert one_line("a\n  b\tc") == "a b c"
    assert len(one_line("x" * 1000)) <= 300
