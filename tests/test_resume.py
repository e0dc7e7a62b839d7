"""SIGKILL at a random moment, rerun, and the outputs equal those of an uninterrupted run.

Two levels: ``run_documents`` + cache with a slow injected job (fast, always runs),
and ``mctext run`` on real rendered PDFs comparing every output file's content
(slow; needs the full pipeline).
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

TESTS = Path(__file__).resolve().parent

_RUN_SCRIPT = textwrap.dedent(
    """
    import pickle, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from mctext.config import RunConfig
    from mctext.pipeline import run_documents
    from test_pipeline import FakeSource
    import test_resume

    corpus, cache, out = (Path(a) for a in sys.argv[1:4])
    sources = [FakeSource(path=p, rel=p.name) for p in sorted(corpus.iterdir())]
    cfg = RunConfig(workers=2, timeout_s=3, memory_limit_mb=512)
    results = run_documents(sources, cfg, cache, progress=False, job=test_resume.slow_job, init=None)
    ordered = sorted(results, key=lambda r: r.document.file)
    out.write_bytes(pickle.dumps(ordered))
    """
)


def slow_job(source, cfg, data):
    """The misbehaving test job, slowed down so a kill lands while documents are in flight."""
    from test_pipeline import misbehaving_job

    time.sleep(0.3)
    result = misbehaving_job(source, cfg, data)
    result.document.title = ""  # the test job writes its pid there
    return result


def _children_gone(pid: int, children: list[psutil.Process]) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children):
            return True
        time.sleep(0.2)
    return False


def _kill_at_random(cmd: list[str], seconds: float, rng: random.Random, **kwargs) -> float:
    """Start ``cmd``, SIGKILL it (only the main process, as `kill -9 PID` would) at a random moment."""
    at = rng.uniform(0.2 * seconds, 0.9 * seconds)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    time.sleep(at)
    children = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _children_gone(proc.pid, children), "worker processes outlived the killed run"
    return at


def test_kill_and_resume_at_cache_level(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(16):
        (corpus / f"doc{i:02d}.txt").write_text(f"document {i}\n")
    (corpus / "hang.txt").write_text("never finishes\n")
    script = tmp_path / "run.py"
    script.write_text(_RUN_SCRIPT.format(tests=str(TESTS)))
    run = [sys.executable, str(script), str(corpus)]

    started = time.monotonic()
    subprocess.run([*run, str(tmp_path / "clean-cache"), str(tmp_path / "clean.pkl")], check=True, timeout=300)
    clean_s = time.monotonic() - started

    seed = int(os.environ.get("MCTEXT_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    killed = [*run, str(tmp_path / "cache"), str(tmp_path / "resumed.pkl")]
    at = _kill_at_random(killed, clean_s, rng)
    assert not (tmp_path / "resumed.pkl").exists(), f"the run finished before the kill at {at:.2f}s"
    leftovers = [p.name for p in (tmp_path / "cache").glob("*.pkl")]
    subprocess.run(killed, check=True, timeout=300)
    resumed = pickle.loads((tmp_path / "resumed.pkl").read_bytes())
    clean = pickle.loads((tmp_path / "clean.pkl").read_bytes())
    assert resumed == clean, f"seed {seed}, killed at {at:.2f}s with {len(leftovers)} cached"
    assert [r.failure_stage for r in clean].count("timeout") == 1  # hang.txt, in both runs
    assert not list((tmp_path / "cache").glob(".*.tmp"))


# ------------------------------------------------------------------ mctext run, real PDFs

PIPELINE_MODULES = ("mctext.corpus", "mctext.segment", "mctext.classify", "mctext.runner", "mctext.evidence")


def _outputs(out: Path) -> dict[str, Path]:
    return {p.name: p for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}


def _duckdb_tables(path: Path) -> dict[str, pd.DataFrame]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        return {name: con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').df() for name in names}


def assert_same_outputs(clean: Path, other: Path) -> None:
    """Equal content, file by file: Parquet and DuckDB by data, everything else by bytes."""
    a, b = _outputs(clean), _outputs(other)
    assert sorted(a) == sorted(b)
    for name, path in a.items():
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(b[name]), obj=name)
        elif name.endswith(".duckdb"):
            left, right = _duckdb_tables(path), _duckdb_tables(b[name])
            assert sorted(left) == sorted(right)
            for table in left:
                pd.testing.assert_frame_equal(left[table], right[table], obj=f"{name}:{table}")
        else:
            assert path.read_bytes() == b[name].read_bytes(), name


@pytest.mark.slow
def test_kill_and_resume_mctext_run(rendered_dir: Path, tmp_path: Path) -> None:
    for module in PIPELINE_MODULES:
        pytest.importorskip(module, reason=f"{module} not built yet")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdfs = sorted(rendered_dir.glob("*.pdf"))
    for pdf in [*pdfs[:: max(1, len(pdfs) // 8)]][:8]:
        shutil.copy(pdf, corpus / pdf.name)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "HF_HUB_OFFLINE": "1"}
    mctext = [sys.executable, "-c", "from mctext.cli import main; main()", "run", str(corpus)]
    args = ["--workers", "2", "--quiet"]

    started = time.monotonic()
    clean = subprocess.run([*mctext, "--out", str(tmp_path / "clean"), *args], env=env,
                           capture_output=True, text=True, timeout=900)
    clean_s = time.monotonic() - started
    assert clean.returncode in (0, 3), clean.stderr[-2000:]

    seed = int(os.environ.get("MCTEXT_KILL_SEED", random.randrange(1 << 30)))
    out = tmp_path / "resumed"
    at = _kill_at_random([*mctext, "--out", str(out), *args], clean_s, random.Random(seed), env=env)
    resumed = subprocess.run([*mctext, "--out", str(out), *args], env=env,
                             capture_output=True, text=True, timeout=900)
    assert resumed.returncode == clean.returncode, resumed.stderr[-2000:]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    try:
        assert_same_outputs(tmp_path / "clean", out)
    except AssertionError as exc:
        raise AssertionError(f"seed {seed}, killed at {at:.1f}s of {clean_s:.1f}s: {exc}") from exc
