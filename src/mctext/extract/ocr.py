"""OCR of image-only PDF pages with the tesseract CLI.

The page is rendered with pypdfium2 at the scan's own resolution, between 200 and
300 dpi (upsampling a 150-dpi scan to 300 only doubles tesseract's work; capped in
pixels so a huge page cannot exhaust memory) and tesseract's TSV output is turned into ``Span`` word boxes,
so OCR'd pages go through the same layout and cleaning rules as text pages.
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
OCR_TIMEOUT_S = 120



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
    dpi = dpi or page_dpi(page)
    width, height = page.get_size()  # type: ignore[attr-defined]
    scale = render_scale(width, height, dpi)
    if scale * 72 < MIN_OCR_DPI:
        raise OcrUnavailable(f"page too large to OCR ({width:.0f} x {height:.0f} pt)")
    bitmap = page.render(scale=scale, grayscale=True)  # type: ignore[attr-defined]
    image = bitmap.to_pil()
    with tempfile.TemporaryDirectory(prefix="mctext-ocr-") as tmp:
        pgm = Path(tmp) / "page.pgm"  # uncompressed: PNG compression cost ~0.25 s a page for nothing
        image.save(pgm)
        tsv = run_tesseract(pgm, languages)
    return spans_from_tsv(tsv, scale)


class OcrUnavailable(Exception):
    """OCR could not run on this page (the page stays ``no_text_layer``)."""


def run_tesseract(image_path: Path, languages: str) -> str:
    exe = tesseract_path()
    if not exe:
        raise OcrUnavailable("tesseract is not installed")
    cmd = [exe, str(image_path), "stdout", "-l", languages, "--psm", "3", "tsv"]
    # One OpenMP thread: the pipeline already runs one worker per core, and tesseract's
    # spinning threads made a page 7x slower in wall time on 2 cores (62 s vs 8 s).
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=OCR_TIMEOUT_S, check=False, env=env
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrUnavailable(f"tesseract timed out after {OCR_TIMEOUT_S}s") from exc
    except OSError as exc:
        raise OcrUnavailable(f"tesseract failed to start: {exc}") from exc
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise OcrUnavailable(f"tesseract failed: {reason}")
    return proc.stdout


def spans_from_tsv(tsv: str, scale: float) -> list[Span]:
    """Tesseract TSV words -> spans with their OCR line's top and height (steadier than a word's own)."""
    from mctext.extract.layout import Span

    rows = list(csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
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
