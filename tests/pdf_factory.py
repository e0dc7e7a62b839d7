"""Small PDFs built with reportlab for tests: known text, known layout, known furniture.

    from pdf_factory import Heading, Lines, make_pdf   # tests/ is on sys.path under pytest
    make_pdf(tmp_path / "a.pdf", pages=[["First paragraph.", Heading("2 Scope", size=16)]],
             header="Act on Things", footer="Page {n}", columns=2)

A page is a list of blocks: a ``str`` is a paragraph (wrapped to the column width; with
``hyphenate=True`` a word may be split at its ``|`` marks, which are dropped otherwise),
``Heading`` is a line in a larger and/or bold font, ``Lines`` draws the given lines
exactly (to force a line-end hyphen where a test wants one). Text that does not fit
flows into the next column and onto extra pages. ``header``/``footer``/``page_number``
are templates formatted with ``n`` (page number) and ``total``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _register_fonts() -> tuple[str, str, bool]:
    """DejaVu (draws ligatures, soft hyphens, any European letter) when present, else Helvetica."""
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        pdfmetrics.registerFont(TTFont("TestSans", str(regular)))
        pdfmetrics.registerFont(TTFont("TestSans-Bold", str(bold)))
        return "TestSans", "TestSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False


FONT, BOLD_FONT, UNICODE_FONT = _register_fonts()
MARGIN = 60.0
GUTTER = 24.0


@dataclass
class Heading:
    text: str
    size: float = 16.0
    bold: bool = True


@dataclass
class Lines:
    """Lines drawn exactly as given, one under the other, as one paragraph."""

    lines: list[str]


Block = str | Heading | Lines


@dataclass
class _Line:
    text: str
    font: str
    size: float
    gap_before: float = 0.0


def _wrap(text: str, font: str, size: float, width: float, hyphenate: bool) -> list[str]:
    """Greedy line filling; a word marked "Aus|bil|dung" may break at a mark (adding '-')."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word.replace('|', '')}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        placed = False
        if hyphenate and "|" in word:
            parts = word.split("|")
            for k in range(len(parts) - 1, 0, -1):
                head = "".join(parts[:k]) + "-"
                trial = f"{current} {head}".strip()
                if pdfmetrics.stringWidth(trial, font, size) <= width:
                    lines.append(trial)
                    current = "".join(parts[k:])
                    placed = True
                    break
        if not placed:
            if current:
                lines.append(current)
            current = word.replace("|", "")
    if current:
        lines.append(current)
    return lines


def _layout(
    blocks: Sequence[Block], width: float, body_size: float, hyphenate: bool
) -> list[_Line]:
    out: list[_Line] = []
    for block in blocks:
        if isinstance(block, Heading):
            font = BOLD_FONT if block.bold else FONT
            for i, text in enumerate(_wrap(block.text, font, block.size, width, False)):
                out.append(
                    _Line(
                        text, font, block.size, gap_before=(block.size if i == 0 and out else 0.0)
                    )
                )
        else:
            texts = (
                block.lines
                if isinstance(block, Lines)
                else _wrap(block, FONT, body_size, width, hyphenate)
            )
            for i, text in enumerate(texts):
                out.append(
                    _Line(
                        text,
                        FONT,
                        body_size,
                        gap_before=(0.8 * body_size if i == 0 and out else 0.0),
                    )
                )
    return out


def make_pdf(
    path: str | Path | None,
    pages: Sequence[Sequence[Block] | str],
    *,
    columns: int = 1,
    header: str | None = None,
    footer: str | None = None,
    page_number: str | None = None,
    hyphenate: bool = False,
    image_only: bool = False,
    encrypt_user_password: str | None = None,
    owner_password: str = "owner-secret",
    body_size: float = 10.0,
    furniture_size: float = 8.0,
    page_size: tuple[float, float] = A4,
    title: str | None = None,
) -> bytes:
    """Write the PDF to ``path`` (when given) and return its bytes.

    ``header`` is drawn at the top left, ``footer`` at the bottom left, ``page_number``
    at the bottom right (e.g. "{n}", "Page {n}", "Seite {n}", "{n} / {total}", "- {n} -").
    ``image_only`` rasterises every page (a scan without text layer).
    ``encrypt_user_password`` ("" = opens without a password) encrypts the file.
    """
    buf = io.BytesIO()
    encrypt = None
    if encrypt_user_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(
            encrypt_user_password, ownerPassword=owner_password, strength=128
        )
    c = canvas.Canvas(buf, pagesize=page_size, encrypt=None if image_only else encrypt)
    if title:
        c.setTitle(title)
    pw, ph = page_size
    col_width = (pw - 2 * MARGIN - GUTTER * (columns - 1)) / columns
    leading = 1.25
    drawn: list[list[tuple[float, float, _Line]]] = []
    for content in pages:
        blocks = [content] if isinstance(content, str) else list(content)
        lines = _layout(blocks, col_width, body_size, hyphenate)
        page: list[tuple[float, float, _Line]] = []
        col, y = 0, ph - MARGIN
        for ln in lines:
            step = ln.gap_before + ln.size * leading
            if y - step < MARGIN:
                col += 1
                y = ph - MARGIN
                step = ln.size * leading
                if col == columns:
                    drawn.append(page)
                    page, col = [], 0
            y -= step
            page.append((MARGIN + col * (col_width + GUTTER), y, ln))
        drawn.append(page)
    total = len(drawn)
    for n, page in enumerate(drawn, start=1):
        for x, y, ln in page:
            c.setFont(ln.font, ln.size)
            c.drawString(x, y, ln.text)
        c.setFont(FONT, furniture_size)
        if header:
            c.drawString(MARGIN, ph - MARGIN / 2, header.format(n=n, total=total))
        if footer:
            c.drawString(MARGIN, MARGIN / 2, footer.format(n=n, total=total))
        if page_number:
            c.drawRightString(pw - MARGIN, MARGIN / 2, page_number.format(n=n, total=total))
        c.showPage()
    c.save()
    data = buf.getvalue()
    if image_only:
        data = _rasterise(data, page_size, encrypt)
    if path is not None:
        Path(path).write_bytes(data)
    return data


def _rasterise(data: bytes, page_size: tuple[float, float], encrypt: object) -> bytes:
    """The same pages as images only (no text layer), like a scan."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    pdf = pdfium.PdfDocument(data)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=page_size, encrypt=encrypt)
    for i in range(len(pdf)):
        image = pdf[i].render(scale=200 / 72, grayscale=True).to_pil()
        c.drawImage(ImageReader(image), 0, 0, width=page_size[0], height=page_size[1])
        c.showPage()
    c.save()
    pdf.close()
    return out.getvalue()


def damage_pages(data: bytes, numbers: list[int]) -> bytes:
    """``data`` with the page objects of ``numbers`` (1-based) overwritten by a number.

    The byte length and the cross-reference table stay valid, so the file opens, but
    those pages are no longer dictionaries: no engine can load them.
    """
    starts = [m.start() for m in re.finditer(rb"/Type /Page\b(?!s)", data)]
    out = bytearray(data)
    for number in numbers:
        at = starts[number - 1]
        obj_start = out.rfind(b"\n", 0, out.rfind(b" 0 obj", 0, at)) + 1
        body_start = out.index(b"obj", obj_start) + 3
        body_end = out.index(b"endobj", at)
        out[body_start:body_end] = b" 12345 ".ljust(body_end - body_start)
    return bytes(out)
