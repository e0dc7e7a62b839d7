"""Decide a file's format from its bytes, not its name (a PDF named .txt is a PDF)."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

FORMATS = ("pdf", "html", "docx", "txt", "md")
_EXTENSIONS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx",
               ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<div", b"<p>", b"<meta", b"<title")
# Formats recognised only to be refused with a useful reason (RTF would otherwise pass as text).
UNREAD_SIGNATURES = {
    b"{\\rtf": "RTF (save it as DOCX or PDF)",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "a legacy or password-protected Microsoft Office file (.doc, .xls, .ppt or an encrypted .docx; save it as DOCX or PDF)",
}


def unread_format(head: bytes) -> str | None:
    """What a file we do not read is, when its first bytes say so."""
    return next((what for magic, what in UNREAD_SIGNATURES.items() if head.startswith(magic)), None)


def format_from_extension(path: Path) -> str | None:
    return _EXTENSIONS.get(path.suffix.lower())


def sniff_format(head: bytes, path: Path) -> str | None:
    """Return the format of a file whose first bytes are ``head`` (4 KiB is plenty).

    Content wins over the extension; the extension decides only between formats that
    look alike (plain text vs Markdown) or when the content says nothing. ``None``
    means: not a format we read.
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if unread_format(stripped):
        return None
    by_extension = format_from_extension(path)
    if stripped[:4] == b"PK\x03\x04":
        return "docx"  # confirmed (or refused with a reason) by the DOCX extractor
    lowered = stripped[:2048].lower()
    if any(marker in lowered for marker in _HTML_MARKERS) and lowered.startswith(b"<"):
        return "html"
    if by_extension in ("pdf", "docx"):
        # Claims to be binary but is not: let the real extractor give its reason.
        return by_extension
    if by_extension in ("txt", "md", "html"):
        return by_extension
    if _looks_like_text(head):
        return "txt"
    return None


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3


def is_zip_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False
