"""DOCX: body paragraphs and tables in document order, headings from their styles.

Paragraphs become blocks, consecutive list paragraphs one list block (``- item``
per line), tables one block with a row per line (cells joined by ``" | "``, each row
a ``table_row`` region), so a DOCX reads like the other one-page formats (see
extract/text.py).
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

from mctext.errors import ExtractionError
from mctext.extract.text import TABLE_CELL_SEP, Block, single_page_document
from mctext.lang import heading_styles
from mctext.records import KIND_TABLE_ROW, ExtractedDocument

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Built-in heading styles, also under the localised names Word writes (the language files' furniture).
_HEADING_STYLE = re.compile(rf"^(?:{'|'.join(map(re.escape, heading_styles()))})\s*(\d)$", re.I)
_BOLD_HEADING_LEVEL = 2  # below a styled Heading 1, the usual place of a bold pseudo-heading
_BOLD_HEADING_MAX = 150
_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _validate(data: bytes) -> None:
    if data.startswith(_OLE_MAGIC):
        raise ExtractionError("not a valid DOCX: an OLE file (encrypted DOCX or legacy .doc)")
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise ExtractionError("not a valid DOCX: the zip archive has no word/document.xml")
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"not a valid DOCX: not a zip archive ({exc})") from exc


def _heading_level(paragraph: object) -> int:
    """1-6 for a heading paragraph (Heading N style or an outline level), else 0."""
    style = paragraph.style  # type: ignore[attr-defined]
    name = (style.name or "") if style is not None else ""
    if name.lower() == "title":
        return 1
    if match := _HEADING_STYLE.match(name.strip()):
        return max(1, min(6, int(match.group(1))))
    ppr = paragraph._p.pPr  # type: ignore[attr-defined]
    outline = ppr.find(f"{_W_NS}outlineLvl") if ppr is not None else None
    if outline is not None:
        level = int(outline.get(f"{_W_NS}val", "9"))
        return level + 1 if level < 6 else 0
    return _BOLD_HEADING_LEVEL if _looks_like_bold_heading(paragraph) else 0


def _looks_like_bold_heading(paragraph: object) -> bool:
    """A short, fully bold line without closing punctuation: a heading typed with direct formatting."""
    text = paragraph.text.strip()  # type: ignore[attr-defined]
    if not text or len(text) > _BOLD_HEADING_MAX or text[-1] in ".:;,":
        return False
    runs = [r for r in paragraph.runs if r.text.strip()]  # type: ignore[attr-defined]
    return bool(runs) and all(r.bold for r in runs)


def _is_list_item(paragraph: object) -> bool:
    ppr = paragraph._p.pPr  # type: ignore[attr-defined]
    if ppr is not None and ppr.numPr is not None:
        return True
    style = paragraph.style  # type: ignore[attr-defined]
    return style is not None and (style.name or "").lower().startswith("list")


def _table_rows(table: object) -> list[str]:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        if cells:
            rows.append(TABLE_CELL_SEP.join(cells))
    return rows


def extract_docx(data: bytes, path: Path, *, ocr: bool = True) -> ExtractedDocument:
    """A Word document -> one page of clean text with headings."""
    _validate(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on broken parts
        raise ExtractionError(f"not a valid DOCX: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
    blocks: list[Block] = []
    items: list[str] = []

    def flush_items() -> None:
        if items:
            blocks.append(("\n".join(items), 0))
            items.clear()

    for element in document.element.body.iterchildren():
        if element.tag == f"{_W_NS}p":
            paragraph = Paragraph(element, document)
            text = paragraph.text.strip()
            if not text:
                continue
            level = _heading_level(paragraph)
            if not level and _is_list_item(paragraph):
                items.append(f"- {text}")
                continue
            flush_items()
            blocks.append((text, level))
        elif element.tag == f"{_W_NS}tbl":
            flush_items()
            blocks.append(("\n".join(_table_rows(Table(element, document))), 0, KIND_TABLE_ROW))
    flush_items()
    title = (document.core_properties.title or "").strip()
    return single_page_document(blocks, "docx", title=title)
