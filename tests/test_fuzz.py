"""Fuzz: mutated real PDFs never make an exception escape ``process_document`` or hang.

Each mutated file runs in a worker process under the pipeline's limits (so a native
crash in a PDF engine cannot take pytest down); the property checked is that the job
always returns a ``DocResult`` (an unreadable file is a failed document with a
one-line reason) and never runs past the time limit.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RENDERED
from mctext.config import RunConfig
from mctext.executors import Failure, IsolatedPool
from mctext.pipeline import worker_spec
from mctext.records import DocResult
from test_pipeline import FakeSource

TIMEOUT_S = 30.0
SEEDS = sorted(RENDERED.glob("*.pdf"), key=lambda p: p.stat().st_size)[:3] if RENDERED.is_dir() else []

pytestmark = pytest.mark.skipif(not SEEDS, reason=f"no PDFs in {RENDERED} to mutate")


@pytest.fixture(scope="module")
def pool() -> Iterator[IsolatedPool]:
    cfg = RunConfig(workers=1, timeout_s=TIMEOUT_S, memory_limit_mb=2048)
    with IsolatedPool(worker_spec(cfg, 1), 1) as pool:
        yield pool


@st.composite
def mutated_pdf(draw: st.DrawFn) -> bytes:
    data = bytearray(SEEDS[draw(st.integers(0, len(SEEDS) - 1))].read_bytes())
    body = st.integers(16, len(data) - 1)  # keep the %PDF header: test the engines, not the sniffer
    for _ in range(draw(st.integers(1, 24))):
        data[draw(body)] = draw(st.integers(0, 255))
    if draw(st.booleans()):  # copy a chunk elsewhere (breaks xref offsets and streams)
        start = draw(body)
        chunk = data[start : start + draw(st.integers(1, 4096))]
        at = draw(body)
        data[at:at] = chunk
    if draw(st.integers(0, 4)) == 0:  # sometimes cut short (most cuts are caught early)
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@settings(max_examples=30, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(data=mutated_pdf())
def test_mutated_pdfs_never_escape(pool: IsolatedPool, data: bytes) -> None:
    source = FakeSource(path=Path("fuzzed.pdf"), rel="fuzzed.pdf")
    started = time.monotonic()
    [(_, outcome)] = list(pool.imap_unordered([(0, (source, data))]))
    assert time.monotonic() - started < TIMEOUT_S + 15
    if isinstance(outcome, Failure):  # contained by the pool; never an escaped exception
        assert outcome.stage in ("timeout", "memory", "crash") and not outcome.reason.startswith("internal error")
        return
    assert isinstance(outcome, DocResult)
    doc = outcome.document
    if doc.status == "failed":
        assert doc.error and "\n" not in doc.error and outcome.failure_stage
