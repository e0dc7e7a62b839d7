"""Issue 14: nothing unread without a word; a run never reads an mctext output folder."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from mctext.cli import app
from mctext.config import RUN_MARKER
from mctext.corpus import discover
from test_bad_inputs import make_image_only_pdf, make_pdf


def _run(corpus: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out), "--workers", "1", "--quiet",
                                      "--no-human", *extra])
    return result.exit_code, result.output


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "text.pdf").write_bytes(make_pdf())
    (root / "scanned.pdf").write_bytes(make_image_only_pdf())
    return root


def test_image_only_pdf_without_tesseract_is_incomplete(corpus: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # tesseract hidden, for the workers too
    out = tmp_path / "out"
    code, output = _run(corpus, out)
    assert code == 3, output
    assert "2 documents (0 failed, 1 incomplete)" in output
    rows = list(csv.DictReader((out / "failures.csv").open(encoding="utf-8")))
    assert [(r["file"], r["stage"]) for r in rows] == [("scanned.pdf", "ocr")]
    assert rows[0]["reason"] == ("1 image-only page not read: tesseract not installed; install tesseract-ocr "
                                 "and rerun (page 1)")
    docs = pd.read_parquet(out / "documents.parquet").set_index("file")
    assert docs.loc["scanned.pdf", "status"] == "incomplete" and docs.loc["text.pdf", "status"] == "ok"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr not installed")
def test_rerun_with_tesseract_reads_the_pages(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key knows whether OCR could run: the same cache, tesseract back, the page is read."""
    out = tmp_path / "out"
    with monkeypatch.context() as m:
        m.setenv("PATH", str(tmp_path / "empty-bin"))
        assert _run(corpus, out)[0] == 3
    code, output = _run(corpus, out)
    assert code == 0 and "2 documents (0 failed, 0 incomplete)" in output, output
    docs = pd.read_parquet(out / "documents.parquet").set_index("file")
    assert docs.loc["scanned.pdf", "status"] == "ocr"


def test_second_run_into_a_folder_inside_the_corpus_reads_the_same_documents(corpus: Path, tmp_path: Path) -> None:
    (corpus / "scanned.pdf").unlink()
    (corpus / "more.pdf").write_bytes(make_pdf(lines=["Validation of prior learning is possible."]))
    first, second = corpus / "outputs" / "first", corpus / "second"
    assert _run(corpus, first)[0] == 0
    assert (first / RUN_MARKER).is_file()
    code, output = _run(corpus, second)
    assert code == 0, output
    files = [sorted(pd.read_parquet(d / "documents.parquet")["file"]) for d in (first, second)]
    assert files[0] == files[1] == ["more.pdf", "text.pdf"]  # not first/report.html
    assert [s.rel for s in discover(corpus)] == ["more.pdf", "text.pdf"]


def test_discover_skips_a_marked_folder_anywhere(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    deep = tmp_path / "c" / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "report.html").write_text("<html><title>mctext report</title><p>Micro-credentials.</p></html>")
    (tmp_path / "c" / "doc.txt").write_text("Micro-credentials certify short learning.")
    assert sorted(s.rel for s in discover(tmp_path / "c")) == ["a/b/report.html", "doc.txt"]
    (deep / RUN_MARKER).write_text("")
    assert [s.rel for s in discover(tmp_path / "c")] == ["doc.txt"]
    assert "an mctext run's output folder" in caplog.text
