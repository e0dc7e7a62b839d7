"""PDF -> clean, page-anchored text.

Two engines feed the same layout code (``layout.py``): the fast path reads words from
pypdfium2's character stream, with pdfium's own spaces (10-20x faster than pdfplumber),
the reference path reads pdfplumber words (``engine="pdfplumber"``, also the fallback
when pdfium cannot read a page's text). For either engine the page's ruling lines (table
borders) come from pdfium's path objects (``page_rules``). Image-only pages, and pages
whose text layer is placeholder glyphs, are flagged ``no_text_layer`` and, when tesseract
is installed and ``ocr`` is on, read by OCR (status ``ocr``).
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from mctext.errors import ExtractionError
from mctext.extract.layout import (
    RULE_THICKNESS,
    PageBoxes,
    Rule,
    Span,
    guess_language,
    layout_document,
)
from mctext.extract.ocr import (
    OCR_BATCH_PAGES,
    OcrUnavailable,
    ocr_page,
    ocr_pages,
    tesseract_languages,
    tesseract_path,
)
from mctext.extract.quality import CID_MARKER, UNREADABLE_CHAR, unreadable_share
from mctext.records import (
    PAGE_EMPTY,
    PAGE_FAILED,
    PAGE_NO_TEXT_LAYER,
    PAGE_OCR,
    PAGE_OK,
    ExtractedDocument,
    Page,
)

log = logging.getLogger(__name__)

Engine = Literal["pdfium", "pdfplumber"]
# A page with fewer visible characters than this, but with images, is a scan.
MIN_TEXT_CHARS = 16
# ... and one with fewer than this, under images covering half the page or more.
SPARSE_TEXT_CHARS = 200
# Above this share of unreadable characters the fast path's text is not trusted.
MAX_GARBLED = 0.05
# Above this share the page's text layer is no text at all (a font without a character
# map): the page is read like a scan (OCR when tesseract is there, else reported).
MAX_UNREADABLE = 0.3
_BOLD_WEIGHT = 600
A4_POINTS = (595.0, 842.0)  # the size given to a page no engine could read
# Titles that tools write when the author gave none.
_PLACEHOLDER_TITLES = {"untitled", "untitled document", "microsoft word", "document", "title"}


def check_pdf_bytes(data: bytes) -> None:
    """Refuse what is plainly not a whole PDF before handing it to an engine."""
    if not data:
        raise ExtractionError("empty file (0 bytes)")
    if b"%PDF-" not in data[:1024]:
        raise ExtractionError("not a PDF: no %PDF header (corrupt file or wrong extension)")
    if b"%%EOF" not in data[-2048:] and b"%%EOF" not in data:  # the tail first: no scan of a whole big file
        # (junk after the marker, e.g. a server's padding, is common and harmless: pdfium reads past it)
        raise ExtractionError("truncated PDF: no end-of-file marker (the file was cut short)")


def open_pdf(data: bytes) -> object:
    """pypdfium2 document; a one-line ExtractionError for encrypted, corrupt or empty PDFs."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    check_pdf_bytes(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # pdfium's error code can be stale (left from an earlier document): check the file too
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
            raise ExtractionError("encrypted: password required") from exc
        if _count_pages_pdfminer(data) == 0:
            raise ExtractionError("PDF has no pages") from exc
        raise ExtractionError(f"corrupt PDF: {_pdfium_reason(exc)}") from exc
    if len(pdf) == 0:
        pdf.close()
        raise ExtractionError("PDF has no pages")
    return pdf


def _pdfium_reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".")
    if "(PDFium:" in text:
        text = text.split("(PDFium:", 1)[1].rstrip(")").strip()
    text = text.lower()
    return "cannot be parsed" if text in ("", "success", "unknown error") else text


def _count_pages_pdfminer(data: bytes) -> int | None:
    """Second opinion on a file pdfium refuses (pdfium will not open a PDF with no pages)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))
    except Exception:  # noqa: BLE001 - any failure means "cannot tell"
        return None


def extract_pdf(
    data: bytes,
    path: Path,
    *,
    ocr: bool = True,
    engine: Engine = "pdfium",
    language: str | None = None,
) -> ExtractedDocument:
    """One ``Page`` per PDF page: clean text, raw text, furniture, headings, hyphen joins,
    regions (table rows, footnotes).

    ``engine`` picks the text source: "pdfium" (fast) or "pdfplumber" (the reference;
    both feed the same layout code). ``language`` (ISO 639-1), when known, picks the
    OCR model and the conjunctions that mark suspended hyphens; otherwise it is guessed
    from the document's text layer or from a first OCR pass. Raises ``ExtractionError``
    (one-line reason) for empty, truncated, corrupt, encrypted or page-less files.
    """
    pdf = open_pdf(data)
    warnings: list[str] = []
    try:
        boxes, kinds = _read_pages(pdf, data, engine, warnings, path)
        status_of = {"text": PAGE_OK, "empty": PAGE_EMPTY, "scan": PAGE_NO_TEXT_LAYER,
                     "unreadable": PAGE_NO_TEXT_LAYER, "failed": PAGE_FAILED}  # fmt: skip
        statuses = [status_of[k] for k in kinds]
        if kinds and all(k == "failed" for k in kinds):
            raise ExtractionError(f"corrupt PDF: none of its {len(kinds)} page(s) could be read")
        scans = [i for i, k in enumerate(kinds) if k in ("scan", "unreadable")]
        if scans and ocr:
            _ocr_pages(pdf, boxes, statuses, scans, language, warnings, path)
        for i in scans:
            if statuses[i] == PAGE_NO_TEXT_LAYER:
                if kinds[i] == "unreadable":
                    warnings.append(f"page {i + 1}: text layer unreadable (glyphs without characters)")
                    boxes[i].spans = []  # placeholders are no text
                else:
                    warnings.append(f"page {i + 1}: no text layer")
        title = _metadata_title(pdf)
    finally:
        pdf.close()  # type: ignore[attr-defined]
    laid = layout_document(boxes, language)
    pages = [
        Page(
            number=i + 1,
            text=lp.text,
            status=status,
            raw_text=lp.raw_text,
            furniture=lp.furniture,
            headings=lp.headings,
            hyphen_joins=lp.hyphen_joins,
            regions=lp.regions,
        )
        for i, (lp, status) in enumerate(zip(laid, statuses, strict=False))
    ]
    if not title:  # the most prominent heading of the first pages
        first = [h for p in pages[:2] for h in p.headings]
        title = min(first, key=lambda h: h.level).text if first else ""
    return ExtractedDocument(pages=pages, format="pdf", title=title, warnings=warnings)


def _read_pages(
    pdf: object, data: bytes, engine: Engine, warnings: list[str], path: Path
) -> tuple[list[PageBoxes], list[str]]:
    """Spans for every page and its kind: text | scan | empty."""
    n = len(pdf)  # type: ignore[arg-type]
    boxes: list[PageBoxes] = []
    kinds: list[str] = []
    plumber = None

    def plumber_pdf() -> object:
        nonlocal plumber
        plumber = plumber or _open_plumber(data)
        pages = len(plumber.pages)  # type: ignore[attr-defined]
        if engine != "pdfplumber" and pages != n:  # a broken page tree: page i is not the same page
            raise ExtractionError(f"pdfplumber sees {pages} pages where pdfium sees {n}")
        return plumber

    def plumber_page(i: int) -> list[Span]:
        return plumber_spans(plumber_pdf().pages[i])  # type: ignore[attr-defined]

    def plumber_or_none(i: int) -> list[Span] | None:
        try:
            return plumber_page(i)
        except Exception as exc:  # noqa: BLE001 - the caller keeps what pdfium gave
            log.info("%s page %d: pdfplumber cannot stand in (%s)", path, i + 1, exc)
            return None

    try:
        for i in range(n):
            try:
                page = pdf[i]  # type: ignore[index]
            except Exception as exc:  # noqa: BLE001 - one damaged page must not cost the others
                spans = plumber_or_none(i)
                if spans is None:
                    boxes.append(_unreadable(i, f"pdfium cannot load it ({_pdfium_reason(exc)})", warnings, path))
                    kinds.append("failed")
                else:
                    size = plumber_pdf().pages[i]  # type: ignore[attr-defined]
                    boxes.append(PageBoxes(float(size.width), float(size.height), spans))
                    kinds.append("text" if spans else "empty")
                continue
            try:
                width, height = page.get_size()
                by_plumber = engine == "pdfplumber"
                # the share of placeholder glyphs in the spans' text, computed once per page
                if by_plumber:
                    spans = plumber_page(i)
                    share = garbled_share(spans)
                else:
                    spans = _fast_spans(page, height, i, path)
                    share = garbled_share(spans) if spans is not None else 0.0
                    if spans is None or share > MAX_GARBLED:
                        # the fast path failed or looks unreliable: ask the reference engine
                        alt = plumber_or_none(i)
                        alt_share = garbled_share(alt) if alt is not None else 0.0
                        if alt is not None and (spans is None or alt_share < share):
                            log.info("%s page %d: using pdfplumber's text", path, i + 1)
                            spans, by_plumber, share = alt, True, alt_share
                if spans is None:
                    boxes.append(_unreadable(i, "no engine could read its text", warnings, path, width, height))
                    kinds.append("failed")
                    continue
                visible = sum(len(s.text.strip()) for s in spans)
                if visible >= MIN_TEXT_CHARS and share > MAX_UNREADABLE:
                    log.warning("%s page %d: text layer unreadable (%.0f%% placeholder glyphs)",
                                path, i + 1, 100 * share)
                    boxes.append(PageBoxes(width, height, spans))
                    kinds.append("unreadable")
                    continue
                if share > 0:  # (a share of 0: no span holds a placeholder, none to clean)
                    spans = _readable(spans)
                if visible < MIN_TEXT_CHARS and _image_cover(page, width * height) > 0:
                    kind = "scan"
                elif visible < SPARSE_TEXT_CHARS and _image_cover(page, width * height) >= 0.5:
                    kind = "scan"  # a scan with a stamped text line (page number, file name)
                elif visible >= MIN_TEXT_CHARS:
                    kind = "text"
                else:
                    kind = "text" if visible else "empty"
                rules: list[Rule] = []
                if kind == "text":  # the rulings in the space of the engine that gave the words
                    by_page = plumber_pdf().pages[i] if by_plumber else None  # type: ignore[attr-defined]
                    rules = _page_rules(page, height, by_page, i, path)
                boxes.append(PageBoxes(width, height, spans, rules))
                kinds.append(kind)
            finally:
                page.close()
    finally:
        if plumber is not None:
            plumber.close()
    return boxes, kinds


def _unreadable(
    i: int, why: str, warnings: list[str], path: Path, width: float = A4_POINTS[0], height: float = A4_POINTS[1]
) -> PageBoxes:
    """An empty stand-in for a damaged page, and the warning that names it."""
    reason = f"page {i + 1}: damaged, {why}; its text is missing"
    warnings.append(reason)
    log.warning("%s %s", path, reason)
    return PageBoxes(width, height, [])


def _fast_spans(page: object, height: float, i: int, path: Path) -> list[Span] | None:
    try:
        return pdfium_spans(page, height)
    except Exception as exc:  # noqa: BLE001 - a page pdfium cannot read goes to pdfplumber
        log.warning("%s page %d: pdfium text failed (%s); using pdfplumber", path, i + 1, exc)
        return None


def garbled_share(spans: list[Span]) -> float:
    """Share of characters that carry no text: ``(cid:N)``, U+FFFD, private-use glyphs, controls."""
    return unreadable_share("".join(s.text for s in spans))


def _readable(spans: list[Span]) -> list[Span]:
    """The spans with placeholder glyphs taken out (a few on a page: a symbol font's bullets)."""
    out = []
    for sp in spans:
        if "(cid:" in sp.text or UNREADABLE_CHAR.search(sp.text):
            text = UNREADABLE_CHAR.sub("", CID_MARKER.sub("", sp.text))
            if not text.strip():
                continue
            sp.text = text
        out.append(sp)
    return out


def _open_plumber(data: bytes) -> object:
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds; the user needs one line
        raise ExtractionError(
            f"corrupt PDF: pdfplumber cannot read it ({type(exc).__name__})"
        ) from exc


# Where pdfium's character stream puts no space, a gap this wide (x font size) still
# parts two words (table cells placed side by side without a space between them).
_GAP_WITHOUT_SPACE = 0.8
# Words of one run (same style, one line, a word space apart) are joined into one span.
_MERGE_GAP = 0.6
_ROTATED = 0.05  # radians: a character turned further than this is not upright text
_TURN = 2 * math.pi


_WORD_CHARS = re.compile("[^ \t\r\n\xa0\u2002\u2003\u2009]+")
# pdfium_spans reads an upright page's boxes in its word loop (False: through _CharBoxes.box,
# the plain way, which tests/test_extract_pdf.py compares with)
_INLINE_BOXES = True


def pdfium_spans(page: object, height: float) -> list[Span]:
    """Words from pdfium's character stream, with the spaces pdfium itself placed.

    pdfium decides where a space goes from the glyph positions (its own text is right
    where a box-gap rule is not: "andtheir", "statisti cal"), so each word is cut where
    the stream has a space or a line break, and one slice of characters belongs to one
    word only (no hit-testing of box edges, which doubled letters where glyphs touch).
    A word's box comes from its first and last characters; only a word whose ends do not
    sit on one line (a jump with no space in the stream) is looked at character by
    character and cut at the jump. ``seq`` is the word's place in the stream, ``spaced``
    says the stream has a space or line break right before it (after a jump the box gap
    decides). Turned characters (a vertical margin stamp) are flagged ``rotated``.
    pdfium's boxes and angles are in PDF user space; on a page turned by /Rotate they are
    turned with it (``displayed``), so words lie as the page is shown, ``height`` its height.
    """
    import pypdfium2.raw as pdfium_c

    turn = displayed(page)
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        raw = textpage.raw
        count = textpage.count_chars()
        chars = textpage.get_text_range()
        if len(chars) != count:  # characters outside the BMP shift the offsets: one by one
            chars = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(count))
        # pdfium's hyphen marker, one character for one, so offsets stay those of the stream
        chars = chars.replace("\ufffe", "\x02")
        has_nul = "\x00" in chars
        reader = _CharBoxes(raw, turn, page.get_rotation() if turn else 0)  # type: ignore[attr-defined]
        box_of, style_of, styles = reader.box, reader.style, reader.styles
        text_object, handle = reader.text_object, reader.handle
        # upright page: the two box queries and ``_one_line`` written out here (pdfium's
        # FS_RECTF: left, top, right, bottom), the same values as ``box_of`` and ``_one_line``
        # (tests/test_extract_pdf.py compares), without three calls per word
        inline = turn is None and _INLINE_BOXES
        loose, ref, floats = reader.loose, reader.ref, reader.floats
        get_style = styles.get
        spans: list[Span] = []
        append = spans.append
        prev: Span | None = None
        merge_gap = _MERGE_GAP
        for m in _WORD_CHARS.finditer(chars):
            start, end = m.span()
            key = text_object(handle, start)
            style = get_style(key)  # the usual case: a text object seen before
            size, bold, turned = style if style is not None else style_of(start, key)
            if inline:
                whole = loose(handle, start, ref)
                if whole:
                    l0, t0, r0, b0 = floats
                    if end - start == 1:
                        l1, t1, r1, b1 = l0, t0, r0, b0
                    else:
                        whole = loose(handle, end - 1, ref)
                        l1, t1, r1, b1 = floats
                        if whole and not turned:  # _one_line(first, last, size), written out
                            if l1 < l0 - 0.5 * (size if size > 1.0 else 1.0):
                                whole = False
                            else:
                                h0, h1 = t0 - b0, t1 - b1
                                tall = h0 if h0 > h1 else h1
                                whole = abs((b0 + t0) - (b1 + t1)) <= (tall if tall > 1.0 else 1.0)
            else:
                first = box_of(start)
                last = first if end - start == 1 else box_of(end - 1)
                whole = first is not None and last is not None and (first is last or turned or _one_line(first, last, size))
                if whole:
                    l0, b0, r0, t0 = first  # type: ignore[misc]
                    l1, b1, r1, t1 = last  # type: ignore[misc]
            if whole:
                box = (l0 if l0 < l1 else l1, b0 if b0 < b1 else b1, r1 if r1 > r0 else r0, t1 if t1 > t0 else t0)
                pieces: Any = ((start, end, box, True),)
            else:
                pieces = reader.split(chars, start, end)
            for a, b, (left, bottom, right, top), spaced in pieces:
                text = chars[a:b]
                if has_nul:
                    text = text.replace("\x00", "")
                if not text:
                    continue
                if a != start:
                    size, bold, turned = style_of(a)
                top, bottom = height - top, height - bottom
                if (
                    prev is not None and spaced and not turned and not prev.rotated
                    and prev.size == size and prev.bold == bold and len(text) > 1 and len(prev.text) > 2
                    and abs(prev.top - top) < 0.3 * size and 0 <= left - prev.x1 <= merge_gap * size
                ):  # the next word of a run: one span, with pdfium's space (fewer boxes to lay out)
                    prev.text += " " + text
                    prev.x1 = right
                    if top < prev.top:
                        prev.top = top
                    if bottom > prev.bottom:
                        prev.bottom = bottom
                    continue
                # (positional: seq, spaced, rotated)
                prev = Span(left, top, right, bottom, text, size or (bottom - top), bold, len(spans), spaced, turned)
                append(prev)
        return spans
    finally:
        textpage.close()


Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF units)


def _one_line(first: Box, last: Box, size: float) -> bool:
    """A word's first and last characters sit on one line, the last after the first."""
    if last[0] < first[0] - 0.5 * (size if size > 1.0 else 1.0):
        return False
    h0, h1 = first[3] - first[1], last[3] - last[1]
    tall = h0 if h0 > h1 else h1
    return abs((first[1] + first[3]) - (last[1] + last[3])) <= (tall if tall > 1.0 else 1.0)


class _Unchecked(NamedTuple):
    """pdfium's per-character queries, called without ctypes' argument checks (see ``_unchecked_calls``)."""

    loose_box: Callable[..., int]  # (textpage, i, rect*) -> ok
    text_object: Callable[..., int | None]  # (textpage, i) -> the object's address
    font_size: Callable[..., float]  # (textpage, i) -> nominal size
    matrix: Callable[..., int]  # (textpage, i, matrix*) -> ok
    font_weight: Callable[..., int]  # (textpage, i) -> weight
    angle: Callable[..., float]  # (textpage, i) -> radians


@lru_cache(maxsize=1)
def _unchecked_calls() -> _Unchecked:
    """pdfium's per-character queries without ctypes' argument checks.

    pypdfium2's bindings convert and check every argument of every call; the word loop
    makes two or three such calls per word (and four more per new text object), and
    unchecked calls (the same C functions, given an untyped page pointer, an int and a
    pointer to a float buffer) take half the time. ``_CharBoxes`` is their one user; a
    test compares its answers with the checked bindings'.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    def unchecked(func: object, restype: object) -> Callable[..., Any]:
        call = ctypes.CFUNCTYPE(restype)(ctypes.cast(func, ctypes.c_void_p).value)
        call.argtypes = None  # arguments pass as given: c_void_p, int, byref(...)
        return call

    return _Unchecked(
        unchecked(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int),
        unchecked(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p),
        unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double),
        unchecked(pdfium_c.FPDFText_GetMatrix, ctypes.c_int),
        unchecked(pdfium_c.FPDFText_GetFontWeight, ctypes.c_int),
        unchecked(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float),
    )


class _CharBoxes:
    """Per-character queries on a pdfium text page (loose boxes, style, turn), for one page."""

    def __init__(self, raw: object, turn: Matrix | None = None, rotate: int = 0) -> None:
        """``turn`` (from ``displayed``) moves boxes into the shown page's space and
        ``rotate`` (degrees, the page's /Rotate) the angles: upright as shown is upright."""
        import ctypes

        self.raw = raw
        self.handle = ctypes.cast(raw, ctypes.c_void_p)  # the text page, untyped (for the unchecked calls)
        self.rect = (ctypes.c_float * 4)()  # an FS_RECTF: left, top, right, bottom
        self.ref = ctypes.byref(self.rect)
        self.floats = memoryview(self.rect).cast("B").cast("f")
        self.matrix = (ctypes.c_float * 6)()  # an FS_MATRIX: a, b, c, d, e, f
        self.matrix_ref = ctypes.byref(self.matrix)
        self.matrix_floats = memoryview(self.matrix).cast("B").cast("f")
        self.calls = _unchecked_calls()
        self.loose, self.text_object = self.calls.loose_box, self.calls.text_object  # text_object(handle, i)
        self.styles: dict[int | None, tuple[float, bool, bool]] = {}
        self.turn, self.rotate = turn, math.radians(rotate)
        if turn is not None:
            self.box = self.turned_box  # type: ignore[method-assign]

    def box(self, i: int) -> Box | None:
        """Character ``i``'s loose box (left, bottom, right, top), None when pdfium has none."""
        if not self.loose(self.handle, i, self.ref):
            return None
        left, top, right, bottom = self.floats
        return (left, bottom, right, top)

    def turned_box(self, i: int) -> Box | None:
        """``box`` on a page turned by /Rotate: the box's corners turned with the page."""
        if not self.loose(self.handle, i, self.ref):
            return None
        left, top, right, bottom = self.floats
        (x0, y0), (x1, y1) = _apply(self.turn, left, bottom), _apply(self.turn, right, top)  # type: ignore[arg-type]
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def style(self, i: int, key: int | None | bool = False) -> tuple[float, bool, bool]:
        """(size, bold, turned) of a character: one query per text object, which sets them.
        ``key``: the character's text object when the caller has asked pdfium for it already.

        The size is the size as drawn: the nominal font size times the text matrix scale
        (PDFs that set 1 pt fonts and scale them with the matrix are common)."""
        handle = self.handle
        if key is False:
            key = self.text_object(handle, i)
        got = self.styles.get(key) if key else None
        if got is None:  # a new text object (a line, often): four queries, written out here
            calls = self.calls
            size = calls.font_size(handle, i)
            if calls.matrix(handle, i, self.matrix_ref):
                _, _, c, d, _, _ = self.matrix_floats
                scale = math.hypot(c, d)
                if scale > 0:
                    size *= scale
            got = (
                size,
                calls.font_weight(handle, i) >= _BOLD_WEIGHT,
                abs(math.remainder(calls.angle(handle, i) + self.rotate, _TURN)) > _ROTATED,
            )
            if key:
                self.styles[key] = got
        return got

    def boxes(self, start: int, end: int) -> list[Box | None]:
        """``box`` of the characters ``start`` .. ``end - 1``, in one comprehension on an
        upright page (no call per character)."""
        if self.turn is not None or not _INLINE_BOXES:
            return [self.box(i) for i in range(start, end)]
        loose, handle, ref, f = self.loose, self.handle, self.ref, self.floats
        return [(f[0], f[3], f[2], f[1]) if loose(handle, i, ref) else None for i in range(start, end)]

    def split(self, chars: str, start: int, end: int) -> list[tuple[int, int, Box, bool]]:
        """The word ``chars[start:end]`` cut where the characters jump (a new line, backwards,
        a gap wider than ``_GAP_WITHOUT_SPACE`` em); (start, end, box, spaced) pieces.

        (min and max are written out as the comparisons they make, so a long word costs
        little per character; the same pieces as the plain loop in tests/test_extract_pdf.py.)"""
        pieces: list[tuple[int, int, Box, bool]] = []
        a = -1
        x0 = y0 = x1 = y1 = 0.0  # the piece's box: left, bottom, right, top
        em = 1.0
        gap = _GAP_WITHOUT_SPACE
        for i, got in enumerate(self.boxes(start, end), start):
            if got is None:
                continue
            left, bottom, right, top = got
            if a >= 0:
                tall = y1 - y0  # max(y1 - y0, top - bottom, 1.0)
                if top - bottom > tall:
                    tall = top - bottom
                if tall < 1.0:
                    tall = 1.0
                if abs((top + bottom) - (y0 + y1)) <= tall and x1 - 0.5 * em <= left <= x1 + gap * em:
                    x0 = left if left < x0 else x0
                    y0 = bottom if bottom < y0 else y0
                    x1 = right if right > x1 else x1
                    y1 = top if top > y1 else y1
                    continue
                pieces.append((a, i, (x0, y0, x1, y1), not pieces))
            a = i
            x0, y0, x1, y1 = got
            size = self.style(i)[0]
            em = 1.0 if size < 1.0 else size  # max(size, 1.0)
        if a >= 0:
            pieces.append((a, end, (x0, y0, x1, y1), not pieces))
        return pieces


def plumber_spans(page: object) -> list[Span]:
    """pdfplumber words with size and a bold flag from the font name."""
    words = page.extract_words(extra_attrs=["size", "fontname"])  # type: ignore[attr-defined]
    return [
        Span(
            w["x0"],
            w["top"],
            w["x1"],
            w["bottom"],
            w["text"],
            float(w["size"]),
            "bold" in w["fontname"].lower(),
        )
        for w in words
    ]


def _image_cover(page: object, area: float) -> float:
    """Share of the page area under images (0 when none; overlaps counted twice)."""
    import pypdfium2.raw as pdfium_c

    covered = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_bounds()
        covered += max(right - left, 0.0) * max(top - bottom, 0.0) or 1.0
    return covered / area if area > 0 else 0.0


# Ruling lines (table borders) from the page's path objects.
MIN_RULE_LENGTH = 4.0  # points: shorter strokes (a leader's dots, a tick) are no rulings
MAX_PATH_SEGMENTS = 400  # a path with more segments is a drawing (a chart, a map), not rulings
_FORM_DEPTH = 3  # form XObjects nested deeper than this are not looked into

Matrix = tuple[float, float, float, float, float, float]  # a, b, c, d, e, f (PDF order)
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def pdfium_space(height: float, turn: Matrix | None = None) -> Matrix:
    """PDF user space to pdfium's spans: turned as the page is shown (``turn``, from
    ``displayed``; none on an upright page: no shift), then y flipped at the page height."""
    flip: Matrix = (1.0, 0.0, 0.0, -1.0, 0.0, height)
    return flip if turn is None else _compose(turn, flip)


def displayed(page: object) -> Matrix | None:
    """PDF user space to the shown page (bottom-up, origin at its lower left) of a pdfium
    page turned by /Rotate 90, 180 or 270; None for an upright page (its spans stay in
    user space, as they always were). pdfium gives the shown size (``get_size``) but its
    character boxes and paths in user space, inside the page's box (``get_bbox``)."""
    rotate = page.get_rotation() % 360  # type: ignore[attr-defined]
    return _turn(rotate, *page.get_bbox()) if rotate else None  # type: ignore[attr-defined]


def _turn(rotate: int, x0: float, y0: float, x1: float, y1: float) -> Matrix:
    """PDF user space to a page box (x0, y0, x1, y1) turned clockwise by ``rotate`` degrees
    as shown, its lower left corner at the origin (pdfminer's PDFPageInterpreter.process_page)."""
    return {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }.get(rotate, (1.0, 0.0, 0.0, 1.0, -x0, -y0))


def plumber_space(page: object) -> Matrix:
    """PDF user space to pdfplumber's spans of ``page`` (a pdfplumber page).

    pdfminer moves the MediaBox corner to the origin and turns the page by /Rotate
    (PDFPageInterpreter.process_page); pdfplumber then flips y at its page height and adds
    its MediaBox corner back (Page.process_object). Rulings read by pdfium in user space
    go through the same steps so they land on the words of a page with an offset or
    rotated MediaBox.
    """
    x0, y0, x1, y1 = (float(v) for v in page.page_obj.mediabox)  # type: ignore[attr-defined]
    ctm = _turn(page.page_obj.rotate % 360, x0, y0, x1, y1)  # type: ignore[attr-defined]
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])  # type: ignore[attr-defined]
    flip: Matrix = (1.0, 0.0, 0.0, -1.0, mb_x0, float(page.height) + mb_top)  # type: ignore[attr-defined]
    return _compose(ctm, flip)


def _page_rules(page: object, height: float, plumber_page: object | None, i: int, path: Path) -> list[Rule]:
    """The page's rulings in the words' space (pdfplumber's where ``plumber_page`` gave
    them), or none (logged) where pdfium cannot walk its objects."""
    try:
        return page_rules(page, height, plumber_space(plumber_page) if plumber_page is not None else None)
    except Exception as exc:  # noqa: BLE001 - without its rulings a page is still read (tables from aligned text)
        log.warning("%s page %d: ruling lines not read (%s)", path, i + 1, exc)
        return []


def page_rules(page: object, height: float, space: Matrix | None = None) -> list[Rule]:
    """The page's ruling lines (cell borders drawn as lines or thin rectangles, the sides
    of a frame), in the spans' top-down coordinates, for the table finder in layout.

    ``space`` maps PDF user space to the spans' space (pdfium's, turned as the page is
    shown, unless given: pass ``plumber_space`` for pdfplumber's spans). One pass over the page objects
    (into form XObjects, their matrices applied), looking at path objects only, so a page
    without paths costs one type query per object. A visible path thin in one direction
    is one rule (its bounds); any other path gives its straight horizontal and vertical
    segments (a rectangle drawn round a cell: its four sides). Curves and paths of many
    segments (charts, maps, logos) give none.
    """
    reader = _RuleReader(space or pdfium_space(height, displayed(page)))
    reader.walk(page.raw, 0, _IDENTITY, 0)  # type: ignore[attr-defined]
    return reader.rules


class _RuleReader:
    """Collects one page's rulings; holds the ctypes buffers pdfium writes into, reused
    for every object (a page can hold thousands)."""

    def __init__(self, space: Matrix) -> None:
        import ctypes

        import pypdfium2.raw as pdfium_c

        self.c = pdfium_c
        self.space = space
        self.rules: list[Rule] = []
        self.box = tuple(ctypes.c_float() for _ in range(4))
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.matrix = pdfium_c.FS_MATRIX()
        self.px, self.py = ctypes.c_float(), ctypes.c_float()

    def walk(self, parent: object, level: int, outer: Matrix, depth: int) -> None:
        """Every path object of ``parent`` (the page at ``level`` 0, else a form XObject)."""
        c = self.c
        count, get = (
            (c.FPDFPage_CountObjects, c.FPDFPage_GetObject) if level == 0
            else (c.FPDFFormObj_CountObjects, c.FPDFFormObj_GetObject)
        )
        for k in range(count(parent)):
            obj = get(parent, k)
            if not obj:
                continue
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_PATH:
                self.path(obj, outer)
            elif kind == c.FPDF_PAGEOBJ_FORM and depth < _FORM_DEPTH:
                inner = self.own_matrix(obj, outer)
                if inner is not None:
                    self.walk(obj, 1, inner, depth + 1)

    def own_matrix(self, obj: object, outer: Matrix) -> Matrix | None:
        """The object's matrix inside ``outer``; None where pdfium gives none."""
        m = self.matrix
        if not self.c.FPDFPageObj_GetMatrix(obj, m):
            return None
        return _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)

    def path(self, obj: object, outer: Matrix) -> None:
        """A visible path: one rule when it is thin, else its straight segments."""
        c = self.c
        if not c.FPDFPath_GetDrawMode(obj, self.fill, self.stroke) or (not self.fill.value and not self.stroke.value):
            return  # an invisible path draws no line
        left, bottom, right, top = self.box
        if not c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return
        (x0, y0), (x1, y1) = (_apply(outer, left.value, bottom.value), _apply(outer, right.value, top.value))
        width, tall = abs(x1 - x0), abs(y1 - y0)
        if min(width, tall) <= RULE_THICKNESS:
            if max(width, tall) >= MIN_RULE_LENGTH:
                self.add((x0, y0), (x1, y1))
            return
        n = c.FPDFPath_CountSegments(obj)
        m = self.own_matrix(obj, outer) if 0 < n <= MAX_PATH_SEGMENTS else None
        if m is not None:
            self.segments(obj, n, m)

    def segments(self, obj: object, n: int, m: Matrix) -> None:
        """The straight horizontal and vertical sides of a path (closing sides included)."""
        c, px, py = self.c, self.px, self.py
        start = prev = None
        for k in range(n):
            seg = c.FPDFPath_GetPathSegment(obj, k)
            if not seg or not c.FPDFPathSegment_GetPoint(seg, px, py):
                continue
            point = _apply(m, px.value, py.value)
            kind = c.FPDFPathSegment_GetType(seg)
            if kind == c.FPDF_SEGMENT_MOVETO:
                start = point
            elif kind == c.FPDF_SEGMENT_LINETO and prev is not None:
                self.line(prev, point)
            prev = point
            if start is not None and c.FPDFPathSegment_GetClose(seg):
                self.line(point, start)
                prev = start

    def line(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        """A segment that is a rule: straight across or down, and long enough."""
        dx, dy = abs(b[0] - a[0]), abs(b[1] - a[1])
        if (dy <= 0.5 and dx >= MIN_RULE_LENGTH) or (dx <= 0.5 and dy >= MIN_RULE_LENGTH):
            self.add(a, b)

    def add(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        """A rule between two corners in PDF user space, moved into the spans' space."""
        (x0, y0), (x1, y1) = _apply(self.space, *a), _apply(self.space, *b)
        self.rules.append(Rule(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (an object's matrix inside a form, then the form's)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806 - the matrix entries' usual names
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    """The point (x, y) through the matrix ``m``."""
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _ocr_pages(
    pdf: object,
    boxes: list[PageBoxes],
    statuses: list[str],
    scans: list[int],
    language: str | None,
    warnings: list[str],
    path: Path,
) -> None:
    """Replace the spans of image-only pages with OCR words (status ``ocr``)."""
    if not tesseract_path():
        warnings.append("tesseract not installed: image-only pages left unread")
        return
    if language is None:
        text = " ".join(s.text for b in boxes for s in b.spans)
        language = guess_language(text)
    if language is None:
        # no text layer to go by: a quick English pass over the first scan tells the language
        page = pdf[scans[0]]  # type: ignore[index]
        try:
            language = guess_language(" ".join(s.text for s in ocr_page(page, "eng", dpi=150)))
        except OcrUnavailable:
            pass  # the page's own run below says why
        finally:
            page.close()
    languages = tesseract_languages(language)
    for start in range(0, len(scans), OCR_BATCH_PAGES):
        chunk = scans[start:start + OCR_BATCH_PAGES]
        pages = [pdf[i] for i in chunk]  # type: ignore[index]
        for i in chunk:
            log.info("%s page %d: OCR (%s)", path, i + 1, languages)
        try:
            results = ocr_pages(pages, languages)
        finally:
            for page in pages:
                page.close()
        for i, spans in zip(chunk, results, strict=True):
            if isinstance(spans, OcrUnavailable):
                warnings.append(f"page {i + 1}: OCR failed: {spans}")
                continue
            boxes[i].spans = spans
            statuses[i] = PAGE_OCR if spans else PAGE_NO_TEXT_LAYER


def _metadata_title(pdf: object) -> str:
    try:
        title = (pdf.get_metadata_value("Title") or "").strip()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - metadata is optional
        return ""
    return "" if title.lower() in _PLACEHOLDER_TITLES else title
