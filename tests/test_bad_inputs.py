"""Bad inputs in one corpus: each bad file fails alone with a reason, every good file is complete.

The whole folder goes through ``discover`` and ``run_documents`` once (real
extractors, segmenter and classifier in worker processes), as ``mctext run`` would,
with tesseract hidden from the workers' PATH.
"""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from mctext.config import RunConfig
from mctext.pipeline import run_documents
from mctext.records import DocResult
from pdf_factory import damage_pages

PIPELINE_MODULES = ("mctext.corpus", "mctext.extract.pdf", "mctext.segment", "mctext.classify")

SENTENCES = [
    "Micro-credentials are linked to the national qualifications framework at EQF level 5.",
    "Learners can stack micro-credentials towards a full qualification.",
    "The validation of prior learning applies to short courses as well.",
]
GOOD = ["good.pdf", "owner_password_only.pdf", "huge_page.pdf", "pdf_named.txt", "html_named.pdf",
        "legacy_undeclared.html", "legacy_declared.html", "good.docx", "good.html"]


def make_pdf(*, pagesize: tuple[float, float] = A4, encrypt: StandardEncryption | None = None,
             lines: list[str] = SENTENCES) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=pagesize, encrypt=encrypt)
    y = pagesize[1] - 72
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return buf.getvalue()


def make_three_pages() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(3):
        c.drawString(72, 700, f"Page {n + 1}: {SENTENCES[n]}")
        c.showPage()
    c.save()
    return buf.getvalue()


def make_image_only_pdf() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1200, 400), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(SENTENCES):
        draw.text((20, 40 + 60 * i), line, fill="black")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(img), 40, 400, width=515, height=170)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    for line in SENTENCES:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def html_page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Qualifikationen</title></head><body>{body}</body></html>"


LEGACY_TEXT = "Die Qualifikationen für das Café Müller werden geprüft und anerkannt."


def build_bad_corpus(root: Path) -> None:
    """Every bad input of issue 6 next to good files, in one folder."""
    root.mkdir(parents=True)
    good_pdf = make_pdf()
    files = {
        "good.pdf": good_pdf,
        "good.docx": make_docx(),
        "good.html": html_page("".join(f"<p>{s}</p>" for s in SENTENCES)).encode(),
        "empty.pdf": b"",
        "truncated_head.pdf": good_pdf[:400],
        "truncated_half.pdf": good_pdf[: len(good_pdf) * 6 // 10],
        "random.pdf": random.Random(0).randbytes(8192),
        "user_password.pdf": make_pdf(encrypt=StandardEncryption("secret", ownerPassword="owner")),
        "owner_password_only.pdf": make_pdf(encrypt=StandardEncryption("", ownerPassword="owner", canModify=0)),
        "scanned.pdf": make_image_only_pdf(),
        "huge_page.pdf": make_pdf(pagesize=(14400, 14400)),
        "not_a_zip.docx": b"This is plain text pretending to be a Word document.\n",
        "legacy_undeclared.html": html_page(f"<p>{LEGACY_TEXT}</p>").encode("windows-1252"),
        "legacy_declared.html": html_page(
            f"<p>{LEGACY_TEXT}</p>", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        ).encode("windows-1252"),
        "pdf_named.txt": good_pdf,
        "html_named.pdf": html_page("".join(f"<p>{s}</p>" for s in SENTENCES)).encode(),
        "damaged_page.pdf": damage_pages(make_three_pages(), [2]),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / "loop_a.pdf").symlink_to(root / "loop_b.pdf")  # a file symlink loop
    (root / "loop_b.pdf").symlink_to(root / "loop_a.pdf")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)  # a directory cycle


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad") / "corpus"
    build_bad_corpus(root)
    return root


@pytest.fixture(scope="module")
def results(bad_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocResult]:
    for module in PIPELINE_MODULES:
        pytest.importorskip(module, reason=f"{module} not built yet")
    from mctext.corpus import discover

    no_tesseract = tmp_path_factory.mktemp("empty-bin")
    old_path = os.environ.get("PATH", "")
    os.environ["PATH"] = str(no_tesseract)  # workers inherit it: tesseract is absent for them
    try:
        sources = discover(bad_corpus)
        cfg = RunConfig(workers=2, timeout_s=180.0)
        out = list(run_documents(sources, cfg, tmp_path_factory.mktemp("cache"), progress=False))
    finally:
        os.environ["PATH"] = old_path
    assert len({r.document.file for r in out}) == len(out), "each file once"
    return {r.document.file: r for r in out}


def _failed(result: DocResult, *words: str) -> None:
    doc = result.document
    assert doc.status == "failed", (doc.file, doc.status)
    assert result.failure_stage == "extract", (doc.file, result.failure_stage, doc.error)
    assert doc.error and "\n" not in doc.error and "Traceback" not in doc.error
    for word in words:
        assert word in doc.error.lower(), (doc.file, doc.error)


@pytest.mark.parametrize("name", GOOD)
def test_good_files_are_complete(results: dict[str, DocResult], name: str) -> None:
    result = results[name]
    doc = result.document
    assert doc.status == "ok", (name, doc.status, doc.error)
    assert doc.pages == len(result.pages) >= 1 and result.segments
    assert len(result.predictions) == len(result.segments)
    assert [p.id for p in result.predictions] == [s.id for s in result.segments]
    text = " ".join(p.text for p in result.pages)
    if "legacy" in name:
        assert LEGACY_TEXT in text
    else:
        assert "stack micro-credentials" in text


def test_content_decides_the_format(results: dict[str, DocResult]) -> None:
    assert results["pdf_named.txt"].document.format == "pdf"
    assert results["html_named.pdf"].document.format == "html"


def test_zero_byte_file(results: dict[str, DocResult]) -> None:
    _failed(results["empty.pdf"], "empty")


def test_truncated_and_random_pdfs(results: dict[str, DocResult]) -> None:
    _failed(results["truncated_head.pdf"])
    _failed(results["random.pdf"])
    half = results["truncated_half.pdf"]  # a repairable cut may be read; never a crash
    assert half.failure_stage in ("", "extract"), (half.failure_stage, half.document.error)


def test_password_protected_pdf(results: dict[str, DocResult]) -> None:
    _failed(results["user_password.pdf"], "password")


def test_image_only_pdf_without_tesseract(results: dict[str, DocResult]) -> None:
    doc = results["scanned.pdf"].document
    assert doc.status == "no_text_layer", (doc.status, doc.error)
    assert results["scanned.pdf"].failure_stage == ""


def test_a_damaged_page_is_reported_and_the_other_pages_are_kept(results: dict[str, DocResult]) -> None:
    result = results["damaged_page.pdf"]
    assert result.document.status == "ok" and result.document.error == "page 2 damaged: text missing"
    assert [p.status for p in result.pages] == ["ok", "failed", "ok"]
    text = " ".join(s.text for s in result.segments)
    assert SENTENCES[0] in text and SENTENCES[2] in text and SENTENCES[1] not in text


def test_docx_that_is_not_a_zip(results: dict[str, DocResult]) -> None:
    _failed(results["not_a_zip.docx"], "docx")


def test_symlink_loops_do_not_stop_the_run(results: dict[str, DocResult]) -> None:
    for name in ("loop_a.pdf", "loop_b.pdf"):
        if name in results:  # discover may skip them; if it lists them they fail with a reason
            _failed(results[name], "symbolic link")
    assert not any("/up/" in f or f.startswith("sub/up") for f in results), "the directory cycle was followed"
