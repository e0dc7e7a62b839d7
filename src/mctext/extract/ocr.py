"""OCR of image-only PDF pages with the tesseract CLI.

The page is rendered with pypdfium2 at the scan's own resolution, between 200 and
300 dpi (upsampling a 150-dpi scan to 300 only doubles tesseract's work; capped in
pixels so a huge page cannot exhaust memory) and tesseract's TSV output is turned into ``Span`` word boxes,
so OCR'd pages go through the same layout and cleaning rules as text pages. A document's
scans go to tesseract in one run per ``OCR_BATCH_PAGES`` (``ocr_pages``): its models then load
once per run instead of once per page, and each page still gets the words a run of its own gives it.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mctext.lang import tesseract_code

if TYPE_CHECKING:  # layout loads every language's page words on import: not needed to find tesseract
    from mctext.extract.layout import Span

OCR_DPI = 300  # the most a page is rendered at (and the resolution when it holds no image)
MIN_SCAN_DPI = 200  # the least, however coarse the scan: tesseract wants ~20 px capitals
MIN_OCR_DPI = 72  # below this tesseract reads nothing useful: the page is left unread
MAX_RENDER_PIXELS = 40_000_000  # 40 MB as 8-bit grey; a 300-dpi A3 page is ~17 M pixels
OCR_TIMEOUT_S = 120  # per page
OCR_BATCH_PAGES = 8  # pages per tesseract run (``ocr_pages``): its models load once per run



def tesseract_path() -> str | None:
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    exe = tesseract_path()
    if not exe:
        return frozenset()
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def tesseract_languages(iso: str | None) -> str:
    """'deu+eng' for German, 'eng' when unknown: English helps with the names and acronyms."""
    have = installed_languages()
    own = tesseract_code(iso)  # the traineddata name from the language's file
    wanted = [own] if own else []
    wanted.append("eng")
    langs = [lang for lang in dict.fromkeys(wanted) if lang in have]
    return "+".join(langs) or "eng"


def render_scale(width_pt: float, height_pt: float, dpi: int = OCR_DPI) -> float:
    """Points -> pixels scale at ``dpi``, lowered so the bitmap stays under MAX_RENDER_PIXELS."""
    scale = dpi / 72
    pixels = width_pt * scale * height_pt * scale
    if pixels > MAX_RENDER_PIXELS:
        scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
    return scale


def scan_dpi(page: object) -> float | None:
    """Resolution of the page's largest image as placed on the page (pixels per inch), if any."""
    import pypdfium2.raw as pdfium_c

    best: tuple[float, float] | None = None  # (area in points, dpi)
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):  # type: ignore[attr-defined]
        try:
            left, bottom, right, top = obj.get_bounds()
            px_width, px_height = obj.get_px_size()
        except Exception:  # noqa: BLE001 - an unreadable image just gives no hint
            continue
        width, height = right - left, top - bottom
        if width <= 0 or height <= 0 or px_width <= 0 or px_height <= 0:
            continue
        dpi = min(px_width / width, px_height / height) * 72
        if best is None or width * height > best[0]:
            best = (width * height, dpi)
    return best[1] if best else None


def page_dpi(page: object) -> int:
    """What to render a scanned page at: its scan's resolution, kept within [MIN_SCAN_DPI, OCR_DPI]."""
    native = scan_dpi(page)
    return OCR_DPI if native is None else round(min(OCR_DPI, max(MIN_SCAN_DPI, native)))


def ocr_page(page: object, languages: str, *, dpi: int | None = None) -> list[Span]:
    """Word boxes (points, top-left origin) for one pypdfium2 page (``dpi``: ``page_dpi`` by default).

    Raises ``OcrUnavailable`` when the page is too large to read at a useful
    resolution or tesseract fails.
    """
    [words] = ocr_pages([page], languages, dpi=dpi)
    if isinstance(words, OcrUnavailable):
        raise words
    return words


def ocr_pages(pages: list[object], languages: str, *, dpi: int | None = None) -> list[list[Span] | OcrUnavailable]:
    """``ocr_page`` for several pages of one document, in ONE tesseract run: tesseract loads its
    language models once per run (~0.27 CPU-s for "fra+eng"), and reads each image of a list
    on its own, so every page gets the words a run of its own would give it.

    One entry per page: its word boxes, or the ``OcrUnavailable`` that says why it stays
    unread. When the run as a whole fails, each page is run alone, so a failure names its page.
    The caller bounds how many pages it passes (``OCR_BATCH_PAGES``: each is a bitmap on disk
    until the run ends).
    """
    out: list[list[Span] | OcrUnavailable] = []
    with tempfile.TemporaryDirectory(prefix="mctext-ocr-") as tmp:
        images: list[tuple[int, Path, float]] = []  # (entry, bitmap, scale)
        for i, page in enumerate(pages):
            out.append([])
            try:
                path = Path(tmp) / f"page{i}.pgm"  # uncompressed: PNG compression cost ~0.25 s a page for nothing
                images.append((i, path, _render(page, dpi or page_dpi(page), path)))
            except OcrUnavailable as exc:
                out[i] = exc
        if not images:
            return out
        listing = Path(tmp) / "pages.txt"  # tesseract reads a text file as a list of images
        listing.write_text("".join(f"{path}\n" for _, path, _ in images), encoding="utf-8")
        try:
            tables = _split_pages(run_tesseract(listing, languages, pages=len(images)), len(images))
        except OcrUnavailable:
            tables = None
        for n, (i, path, scale) in enumerate(images):
            try:
                rows = tables[n] if tables is not None else _split_pages(run_tesseract(path, languages), 1)[0]
                out[i] = spans_from_rows(rows, scale)
            except OcrUnavailable as exc:
                out[i] = exc
    return out


def _render(page: object, dpi: int, path: Path) -> float:
    """Render ``page`` in grey to ``path`` at ``dpi`` (lowered for huge pages); the points -> pixels scale."""
    width, height = page.get_size()  # type: ignore[attr-defined]
    scale = render_scale(width, height, dpi)
    if scale * 72 < MIN_OCR_DPI:
        raise OcrUnavailable(f"page too large to OCR ({width:.0f} x {height:.0f} pt)")
    page.render(scale=scale, grayscale=True).to_pil().save(path)  # type: ignore[attr-defined]
    return scale


class OcrUnavailable(Exception):
    """OCR could not run on this page (the page stays ``no_text_layer``)."""


def run_tesseract(image_path: Path, languages: str, *, pages: int = 1) -> str:
    """Tesseract's TSV for an image, or for a text file listing ``pages`` images (page_num 1, 2, ...)."""
    exe = tesseract_path()
    if not exe:
        raise OcrUnavailable("tesseract is not installed")
    cmd = [exe, str(image_path), "stdout", "-l", languages, "--psm", "3", "tsv"]
    # One OpenMP thread: the pipeline already runs one worker per core, and tesseract's
    # spinning threads made a page 7x slower in wall time on 2 cores (62 s vs 8 s).
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=OCR_TIMEOUT_S * pages, check=False, env=env
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrUnavailable(f"tesseract timed out after {OCR_TIMEOUT_S * pages}s") from exc
    except OSError as exc:
        raise OcrUnavailable(f"tesseract failed to start: {exc}") from exc
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise OcrUnavailable(f"tesseract failed: {reason}")
    return proc.stdout


def _split_pages(tsv: str, pages: int) -> list[list[dict[str, str]]]:
    """Tesseract TSV rows, one list per page of its input (by ``page_num``)."""
    out: list[list[dict[str, str]]] = [[] for _ in range(pages)]
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        number = int(row.get("page_num") or 1)
        if not 1 <= number <= pages:
            raise OcrUnavailable(f"tesseract reported page {number} of {pages}")
        out[number - 1].append(row)
    return out


def spans_from_rows(rows: list[dict[str, str]], scale: float) -> list[Span]:
    """One page's TSV rows -> spans with their OCR line's top and height (steadier than a word's own)."""
    from mctext.extract.layout import Span

    line_box: dict[tuple[str, ...], tuple[float, float]] = {}
    for r in rows:
        if r.get("level") == "4":
            key = (r["block_num"], r["par_num"], r["line_num"])
            line_box[key] = (float(r["top"]) / scale, float(r["height"]) / scale)
    spans = []
    for r in rows:
        text = (r.get("text") or "").strip()
        if r.get("level") != "5" or not text or float(r.get("conf") or -1) < 0:
            continue
        left, w = float(r["left"]) / scale, float(r["width"]) / scale
        own = (float(r["top"]) / scale, float(r["height"]) / scale)
        top, h = line_box.get((r["block_num"], r["par_num"], r["line_num"]), own)
        spans.append(Span(left, top, left + w, top + h, text, round(h * 0.75), False))
    return spans
