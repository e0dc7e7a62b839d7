"""Extraction: one file in, clean page-anchored text out.

``extract_file`` sniffs the format from the content and hands the bytes to the
extractor for that format. Every extractor is ``(data: bytes, path: Path, ocr: bool)
-> ExtractedDocument`` and raises ``ExtractionError`` with a one-line reason for a
file it cannot read.
"""

from __future__ import annotations

from pathlib import Path

from mctext.errors import ExtractionError
from mctext.extract.sniff import sniff_format, unread_format
from mctext.records import ExtractedDocument


def extract_bytes(data: bytes, path: Path, *, ocr: bool = True, language: str | None = None) -> ExtractedDocument:
    """``language`` (ISO 639-1, e.g. from MANIFEST.csv), when known, spares OCR a guessing pass."""
    if not data:
        raise ExtractionError("empty file (0 bytes)")
    fmt = sniff_format(data[:4096], path)
    if fmt is None:
        what = unread_format(data[:16].lstrip(b"\xef\xbb\xbf \t\r\n"))
        raise ExtractionError(f"unsupported format: {what or 'not PDF, DOCX, HTML, Markdown or plain text'}")
    if fmt == "pdf":
        from mctext.extract.pdf import extract_pdf

        return extract_pdf(data, path, ocr=ocr, language=language or None)
    if fmt == "docx":
        from mctext.extract.docx import extract_docx

        return extract_docx(data, path, ocr=ocr)
    if fmt == "html":
        from mctext.extract.html import extract_html

        return extract_html(data, path, ocr=ocr)
    from mctext.extract.text import extract_text

    return extract_text(data, path, ocr=ocr, markdown=(fmt == "md"))


def extract_file(path: str | Path, *, ocr: bool = True, language: str | None = None) -> ExtractedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"cannot read file: {exc.strerror or exc}") from exc
    return extract_bytes(data, path, ocr=ocr, language=language)
