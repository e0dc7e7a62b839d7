"""The Dask executor runs the same per-document job as the local one, with the same results."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mctext.config import RunConfig
from mctext.pipeline import run_documents
from mctext.records import DocResult
from test_pipeline import FakeSource, misbehaving_job

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


def _comparable(results: list[DocResult]) -> list[DocResult]:
    """Sorted by file; the title of the test job holds the worker pid, which must differ."""
    out = []
    for result in sorted(results, key=lambda r: r.document.file):
        out.append(dataclasses.replace(result, document=dataclasses.replace(result.document, title="")))
    return out


def _sources(tmp_path: Path, names: list[str]) -> list[FakeSource]:
    root = tmp_path / "corpus"
    root.mkdir()
    for name in names:
        (root / name).write_text(f"content of {name}\n")
    return [FakeSource(path=root / n, rel=n, manifest={"country": "DE"}) for n in names]


@pytest.mark.parametrize("ship", ["bytes", "path"])
def test_dask_equals_local_including_failures(cluster, tmp_path: Path, ship: str) -> None:
    sources = _sources(tmp_path, ["a.txt", "segv.txt", "b.txt", "hang.txt", "c.txt", "d.txt"])
    base = {"timeout_s": 3.0, "memory_limit_mb": 256, "model_dir": tmp_path / "model"}
    local_cfg = RunConfig(workers=2, **base)
    dask_cfg = RunConfig(executor="dask", scheduler=cluster.scheduler_address, ship=ship, **base)
    local = list(run_documents(sources, local_cfg, tmp_path / "c1", progress=False, job=misbehaving_job, init=None))
    remote = list(run_documents(sources, dask_cfg, tmp_path / "c2", progress=False, job=misbehaving_job, init=None))
    assert _comparable(remote) == _comparable(local)
    stages = {r.document.file: r.failure_stage for r in remote}
    assert stages == {"a.txt": "", "b.txt": "", "c.txt": "", "d.txt": "", "segv.txt": "crash", "hang.txt": "timeout"}
    # The cluster is still healthy after a segfault and a hang: its workers kept running.
    with distributed.Client(cluster) as client:
        assert len(client.nthreads()) == 2


def test_dask_without_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    from mctext.errors import MctextError

    sources = _sources(tmp_path, ["a.txt"])
    cfg = RunConfig(executor="dask", scheduler="", model_dir=tmp_path / "m")
    with pytest.raises(MctextError, match="--scheduler"):
        list(run_documents(sources, cfg, tmp_path / "c", progress=False, job=misbehaving_job, init=None))


def test_unknown_ship_is_a_usage_error(cluster, tmp_path: Path) -> None:
    from mctext.errors import MctextError

    cfg = RunConfig(executor="dask", scheduler=cluster.scheduler_address, ship="carrier pigeon", model_dir=tmp_path)
    with pytest.raises(MctextError, match="bytes or path"):
        list(run_documents(_sources(tmp_path, ["a.txt"]), cfg, tmp_path / "c", progress=False,
                           job=misbehaving_job, init=None))


@pytest.mark.slow
def test_mctext_run_on_dask_equals_local(cluster, rendered_dir: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole `mctext run` on real PDFs: every output file has the same content."""
    import shutil

    from mctext.runner import run
    from test_resume import assert_same_outputs

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for pdf in sorted(rendered_dir.glob("*.pdf"))[::20]:
        shutil.copy(pdf, corpus / pdf.name)
    base = {"timeout_s": 300.0, "memory_limit_mb": 3072}
    local = run(corpus, tmp_path / "local", RunConfig(workers=2, **base), progress=False, annotations_dir=None)
    remote = run(corpus, tmp_path / "dask", RunConfig(executor="dask", scheduler=cluster.scheduler_address, **base),
                 progress=False, annotations_dir=None)
    assert local.documents == remote.documents == len(list(corpus.iterdir()))
    assert local.segments > 0
    assert_same_outputs(tmp_path / "local", tmp_path / "dask")
    # the CLI, with the workers reading the files from the (here shared) filesystem
    from typer.testing import CliRunner

    from mctext.cli import app

    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(tmp_path / "cli"), "--executor", "dask",
                                      "--scheduler", cluster.scheduler_address, "--ship", "path", "--quiet",
                                      "--no-human"])
    assert result.exit_code == 0, result.output
    assert_same_outputs(tmp_path / "local", tmp_path / "cli")
