"""PDF extraction: each cleaning rule on PDFs built here, bad inputs, and the real corpus."""

from __future__ import annotations

import io
import json
import random
import shutil
from pathlib import Path

import pytest

from mctext.errors import ExtractionError
from mctext.extract.pdf import extract_pdf
from mctext.extract.quality import furniture_leaks, hyphenation_errors, similarity, truth_text
from mctext.records import PAGE_EMPTY, PAGE_FAILED, PAGE_NO_TEXT_LAYER, PAGE_OCR, PAGE_OK
from pdf_factory import UNICODE_FONT, Heading, Lines, make_pdf

P = Path("test.pdf")
BODY = [
    "Die berufliche Bildung umfasst die Berufsausbildung, die Fortbildung und die Umschulung. " * 3,
    "Die zuständigen Stellen überwachen die Durchführung der Ausbildung in den Betrieben. " * 3,
]


def extract(data: bytes, **kw: object):  # noqa: ANN201 - ExtractedDocument
    return extract_pdf(data, P, **kw)  # type: ignore[arg-type]


def both_engines() -> pytest.MarkDecorator:
    return pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])


# --- furniture -------------------------------------------------------------------------


@both_engines()
@pytest.mark.parametrize("style", ["{n}", "Page {n}", "Seite {n}", "{n} / {total}", "- {n} -"])
def test_running_header_footer_and_page_numbers_removed(style: str, engine: str) -> None:
    pages = [[f"Seite {n} beginnt hier.", *BODY] for n in ("eins", "zwei", "drei")]
    data = make_pdf(
        None, pages, header="Berufsbildungsgesetz", footer="Bundesministerium", page_number=style
    )
    doc = extract(data, engine=engine, ocr=False)
    assert len(doc.pages) == 3
    for n, page in enumerate(doc.pages, start=1):
        number = style.format(n=n, total=3)
        assert page.status == PAGE_OK
        assert page.furniture == ["Berufsbildungsgesetz", "Bundesministerium", number]
        assert "Berufsbildungsgesetz" not in page.text and "Bundesministerium" not in page.text
        assert not page.text.rstrip().endswith(number.strip(" -"))
        assert page.text.startswith("Seite ")
        assert "Berufsbildungsgesetz" in page.raw_text


def test_page_number_alone_on_a_single_page_is_furniture() -> None:
    doc = extract(make_pdf(None, [BODY], page_number="Page {n}"), ocr=False)
    assert doc.pages[0].furniture == ["Page 1"]
    assert "Page 1" not in doc.pages[0].text


# --- hyphenation -----------------------------------------------------------------------


@both_engines()
def test_dehyphenation_keeps_real_hyphens(engine: str) -> None:
    lines = Lines(
        [
            "Die Berufsaus-",
            "bildung und die Aus-",
            "und Weiterbildung mit e-",
            "learning in allen EU-",
            "Mitgliedstaaten nach dem Aufstiegs-",
            "BAföG werden gefördert.",
        ]
    )
    doc = extract(make_pdf(None, [[lines]]), engine=engine, ocr=False)
    page = doc.pages[0]
    assert page.text == (
        "Die Berufsausbildung und die Aus- und Weiterbildung mit e-learning in allen "
        "EU-Mitgliedstaaten nach dem Aufstiegs-BAföG werden gefördert."
    )
    assert page.hyphen_joins == [len("Die Berufsaus")]
    assert "Berufsaus-\nbildung" in page.raw_text  # reversible


def test_document_vocabulary_keeps_a_compound_seen_with_its_hyphen() -> None:
    body = "Staff follow in-service training every year and in-service courses are free."
    lines = Lines(["The agency offers in-", "service training to all staff."])
    doc = extract(make_pdf(None, [[body, lines]]), ocr=False)
    assert "offers in-service training" in doc.pages[0].text


def test_automatic_hyphenation_is_undone() -> None:
    words = " ".join(
        f"Nach {'Ab|satz ' * (i % 3)}{i} ist die Be|rufs|aus|bil|dung ein we|sent|li|cher Teil der be|ruf|li|chen Bil|dung."
        for i in range(16)
    )
    doc = extract(make_pdf(None, [[words]], hyphenate=True), ocr=False)
    text = doc.pages[0].text
    assert text == " ".join(words.replace("|", "").split())
    assert doc.pages[0].hyphen_joins, "the factory did split words at line ends"


@pytest.mark.parametrize("failure", ["raises", "garbled"])
def test_fast_path_falls_back_to_pdfplumber(monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    from mctext.extract import pdf as pdf_module
    from mctext.extract.layout import Span

    def broken(page: object, height: float) -> list[Span]:
        if failure == "raises":
            raise RuntimeError("no text page")
        return [Span(60, 60, 300, 70, "\ufffd" * 40 + " x", 10)]

    monkeypatch.setattr(pdf_module, "pdfium_spans", broken)
    doc = extract(make_pdf(None, [BODY]), ocr=False)
    assert doc.pages[0].text.startswith("Die berufliche Bildung")


# --- reading order, paragraphs, headings, unicode ------------------------------------


@both_engines()
def test_two_columns_in_reading_order(engine: str) -> None:
    paras = [
        f"Paragraph {i} says that column text must be read column by column, not across. " * 2
        for i in range(14)
    ]
    doc = extract(make_pdf(None, [paras], columns=2), engine=engine, ocr=False)
    text = "\n\n".join(p.text for p in doc.pages)
    assert similarity(text, "\n\n".join(" ".join(p.split()) for p in paras)) > 0.995
    positions = [text.index(f"Paragraph {i} ") for i in range(14)]
    assert positions == sorted(positions)


def test_paragraphs_are_kept_as_paragraphs() -> None:
    doc = extract(make_pdf(None, [BODY + ["A short closing paragraph."]]), ocr=False)
    parts = doc.pages[0].text.split("\n\n")
    assert [" ".join(p.split()) for p in parts] == [" ".join(b.split()) for b in BODY] + [
        "A short closing paragraph."
    ]
    assert all("\n" not in p and "  " not in p for p in parts)


@both_engines()
def test_headings_by_font_size_bold_and_numbering(engine: str) -> None:
    content = [
        Heading("Berufsbildungsgesetz", size=18),
        Heading("Teil 1 Allgemeine Vorschriften", size=14),
        Heading("§ 1 Ziele der Berufsbildung", size=10, bold=True),
        BODY[0],
        "2.3 Geltungsbereich",
        BODY[1],
    ]
    doc = extract(make_pdf(None, [content]), engine=engine, ocr=False)
    page = doc.pages[0]
    found = [(h.text, h.level) for h in page.headings]
    assert found == [
        ("Berufsbildungsgesetz", 1),
        ("Teil 1 Allgemeine Vorschriften", 2),
        ("§ 1 Ziele der Berufsbildung", 3),
        ("2.3 Geltungsbereich", 5),
    ]
    for h in page.headings:
        assert page.text[h.start : h.end] == h.text
    assert doc.title == "Berufsbildungsgesetz"


@pytest.mark.skipif(not UNICODE_FONT, reason="DejaVu fonts not installed: cannot draw ligatures")
def test_ligatures_and_soft_hyphens_normalised() -> None:
    text = "Die \ufb01nanzielle Förderung der Weiter\u00adbildung ist o\ufb00en und e\ufb03zient."
    doc = extract(make_pdf(None, [[text]]), ocr=False)
    assert (
        doc.pages[0].text == "Die finanzielle Förderung der Weiterbildung ist offen und effizient."
    )


# --- image-only pages, OCR -------------------------------------------------------------


def test_image_only_page_without_ocr_is_flagged() -> None:
    data = make_pdf(None, [BODY, ["Text page."]], image_only=True)
    doc = extract(data, ocr=False)
    assert [p.status for p in doc.pages] == [PAGE_NO_TEXT_LAYER, PAGE_NO_TEXT_LAYER]
    assert all(p.text == "" for p in doc.pages)
    assert any("no text layer" in w for w in doc.warnings)


def test_scan_with_a_stamped_text_line_is_image_only() -> None:
    import io

    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    scan = pdfium.PdfDocument(make_pdf(None, [BODY], image_only=True))
    image = scan[0].render(scale=1).to_pil()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    c.drawString(40, 20, "scan_0042.tif - Seite 1 von 1")  # text layer: only this stamp
    c.showPage()
    c.save()
    doc = extract(buf.getvalue(), ocr=False)
    assert doc.pages[0].status == PAGE_NO_TEXT_LAYER


def test_blank_page_is_empty() -> None:
    doc = extract(make_pdf(None, [BODY, []]), ocr=False)
    assert [p.status for p in doc.pages] == [PAGE_OK, PAGE_EMPTY]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_image_only_page_is_ocrd() -> None:
    # two pages: a header is furniture by repetition (on a one-page document only a page
    # number is, issue 15)
    data = make_pdf(
        None, [BODY, BODY[::-1]], image_only=True, header="Berufsbildungsgesetz", page_number="Seite {n}"
    )
    doc = extract(data, ocr=True)
    page = doc.pages[0]
    assert page.status == PAGE_OCR
    assert similarity(page.text, "\n\n".join(BODY)) > 0.95
    assert "Berufsbildungsgesetz" not in page.text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_pages_ocrd_in_one_tesseract_run_read_as_each_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scans of a document go to tesseract together (its models load once per run, not per
    page); each page gets exactly the words a run of its own gives it."""
    import pypdfium2 as pdfium

    from mctext.extract import ocr

    data = make_pdf(None, [BODY, BODY[::-1], BODY[:2]], image_only=True, page_number="Seite {n}")
    runs: list[int] = []
    real_run = ocr.run_tesseract

    def counting_run(image_path: Path, languages: str, *, pages: int = 1) -> str:
        runs.append(pages)
        return real_run(image_path, languages, pages=pages)

    monkeypatch.setattr(ocr, "run_tesseract", counting_run)
    pdf = pdfium.PdfDocument(data)
    try:
        together = ocr.ocr_pages([pdf[i] for i in range(3)], "deu+eng")
        assert runs == [3]
        alone = [ocr.ocr_page(pdf[i], "deu+eng") for i in range(3)]
    finally:
        pdf.close()
    assert runs == [3, 1, 1, 1]
    assert together == alone and all(alone)
    runs.clear()
    doc = extract(data, ocr=True)
    # no language given: a quick English pass over the first scan tells it, then one run for all
    assert [p.status for p in doc.pages] == [PAGE_OCR] * 3 and runs == [1, 3]


def test_a_failed_ocr_run_is_retried_page_by_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the run over several pages fails, each page is run alone, so a failure names its page
    and the other pages are still read (tesseract replaced by a stand-in that fails on page 2)."""
    import pypdfium2 as pdfium

    from mctext.extract import ocr

    row = "5\t1\t1\t1\t1\t1\t10\t10\t40\t12\t95\t{word}\n"
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"

    def fake_run(image_path: Path, languages: str, *, pages: int = 1) -> str:
        if image_path.suffix == ".txt" or image_path.name == "page1.pgm":
            raise ocr.OcrUnavailable("tesseract failed: unreadable image")
        return header + row.format(word=image_path.stem)

    monkeypatch.setattr(ocr, "run_tesseract", fake_run)
    pdf = pdfium.PdfDocument(make_pdf(None, [BODY, BODY, BODY], image_only=True))
    try:
        first, second, third = ocr.ocr_pages([pdf[i] for i in range(3)], "eng", dpi=72)
    finally:
        pdf.close()
    assert [s.text for s in first] == ["page0"] and [s.text for s in third] == ["page2"]
    assert isinstance(second, ocr.OcrUnavailable) and "unreadable image" in str(second)


# --- bad input -------------------------------------------------------------------------


def _reason(data: bytes) -> str:
    with pytest.raises(ExtractionError) as info:
        extract(data, ocr=False)
    reason = str(info.value)
    assert reason and "\n" not in reason and "Traceback" not in reason
    return reason


def test_zero_bytes() -> None:
    assert "empty" in _reason(b"")


def test_random_bytes_named_pdf() -> None:
    assert "not a pdf" in _reason(random.Random(1).randbytes(5000)).lower()


def test_truncated_pdf() -> None:
    data = make_pdf(None, [BODY])
    assert "truncated" in _reason(data[: len(data) // 2])
    _reason(data[:300])


@pytest.mark.parametrize("junk", [b"\x00" * 5000, b"<html><body>" + b"x" * 5000])
def test_junk_after_the_end_marker_is_harmless(junk: bytes) -> None:
    doc = extract(make_pdf(None, [BODY]) + junk, ocr=False)
    assert doc.pages[0].text.startswith("Die berufliche Bildung")


def test_garbage_after_header_is_corrupt() -> None:
    assert "pdf" in _reason(b"%PDF-1.7\n" + random.Random(2).randbytes(4000) + b"\n%%EOF\n").lower()


def test_password_required() -> None:
    data = make_pdf(None, [BODY], encrypt_user_password="secret")
    assert _reason(data) == "encrypted: password required"


def test_empty_user_password_opens() -> None:
    doc = extract(make_pdf(None, [BODY], encrypt_user_password=""), ocr=False)
    assert doc.pages[0].text.startswith("Die berufliche Bildung")


def test_pdf_with_zero_pages() -> None:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    assert "no pages" in _reason(bytes(out))


def test_huge_page_is_read_without_rendering() -> None:
    doc = extract(make_pdf(None, [BODY], page_size=(14400, 14400)), ocr=True)
    assert doc.pages[0].text.startswith("Die berufliche Bildung")


def test_huge_image_only_page_is_not_rendered_at_full_size(monkeypatch: pytest.MonkeyPatch) -> None:
    from mctext.extract import ocr

    assert ocr.render_scale(14400, 14400) * 14400 <= ocr.MAX_RENDER_PIXELS**0.5 + 1
    assert ocr.render_scale(595, 842) == pytest.approx(300 / 72)


def test_a_damaged_page_costs_only_itself() -> None:
    from pdf_factory import damage_pages

    data = damage_pages(make_pdf(None, [["Erste Seite. " * 20], ["Zweite Seite. " * 20], ["Dritte Seite. " * 20]]), [2])
    doc = extract(data, ocr=False)
    assert [p.status for p in doc.pages] == [PAGE_OK, PAGE_FAILED, PAGE_OK]
    assert "Erste Seite" in doc.pages[0].text and doc.pages[1].text == "" and "Dritte Seite" in doc.pages[2].text
    assert doc.warnings == ["page 2: damaged, pdfium cannot load it (failed to load page); its text is missing"]


def test_a_pdf_whose_every_page_is_damaged_is_refused() -> None:
    from pdf_factory import damage_pages

    data = damage_pages(make_pdf(None, [BODY, BODY]), [1, 2])
    assert _reason(data) == "corrupt PDF: none of its 2 page(s) could be read"


def _scan_at(dpi: int) -> bytes:
    """An A4 page holding one grey image of ``dpi`` pixels per inch."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    width, height = 595, 842
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.drawImage(ImageReader(Image.new("L", (width * dpi // 72, height * dpi // 72), 255)), 0, 0, width, height)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(("scanned", "rendered"), [(150, 200), (240, 240), (600, 300), (None, 300)])
def test_scans_are_rendered_at_their_own_resolution_within_bounds(scanned: int | None, rendered: int) -> None:
    import pypdfium2 as pdfium

    from mctext.extract.ocr import page_dpi

    data = _scan_at(scanned) if scanned else make_pdf(None, [BODY])
    assert page_dpi(pdfium.PdfDocument(data)[0]) == rendered


# --- real corpus -----------------------------------------------------------------------


@pytest.mark.slow
def test_every_original_pdf_extracts(original_dir: Path) -> None:
    pdfs = sorted(original_dir.glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        doc = extract_pdf(pdf.read_bytes(), pdf, ocr=False)
        text = " ".join(p.text for p in doc.pages)
        assert len(doc.pages) >= 1, pdf.name
        assert len(text) > 200 * len(doc.pages) * 0.3, pdf.name
        words = [w for w in text.split() if w != "|"]  # a table's cell separators are no garbage
        assert sum(w.isalpha() for w in words) > 0.25 * len(words), (
            pdf.name
        )  # words, not garbage (tables count)
        assert "\ufffd" not in text and "\x02" not in text, pdf.name


RENDERED_SAMPLE = {
    "plain": ("FR_code_general_fonction_publique_formation_vae_cpf_articles_fr.plain.pdf", 0.99),
    "justified": ("DE_bbig_berufsbildungsgesetz_2020_de.justified.pdf", 0.99),
    "twocol": ("FI_laki_ammatillisesta_koulutuksesta_531-2017_fi.twocol.pdf", 0.98),
}


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(RENDERED_SAMPLE))
def test_rendered_pdf_meets_targets(rendered_dir: Path, layout: str) -> None:
    name, target = RENDERED_SAMPLE[layout]
    pdf = rendered_dir / name
    truth = json.loads(
        pdf.with_name(name.removesuffix(".pdf") + ".truth.json").read_text(encoding="utf-8")
    )
    doc = extract_pdf(pdf.read_bytes(), pdf, ocr=False)
    texts = [p.text for p in doc.pages]
    gold = truth_text(truth)
    assert len(doc.pages) == truth["pages"]
    assert similarity("\n\n".join(texts), gold) >= target
    leaks = furniture_leaks(texts, truth)
    assert sum(1 for leak in leaks if leak) <= 0.01 * len(texts)
    assert hyphenation_errors("\n\n".join(texts), gold)["split"] <= 2


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_scanned_rendered_pdf_is_ocrd(rendered_dir: Path) -> None:
    name = "FR_avril_poleemploi_quest_ce_que_la_vae_2024_fr.scanned.pdf"
    pdf = rendered_dir / name
    truth = json.loads(
        pdf.with_name(name.removesuffix(".pdf") + ".truth.json").read_text(encoding="utf-8")
    )
    no_ocr = extract_pdf(pdf.read_bytes(), pdf, ocr=False)
    assert {p.status for p in no_ocr.pages} == {PAGE_NO_TEXT_LAYER}
    doc = extract_pdf(pdf.read_bytes(), pdf, ocr=True)
    assert {p.status for p in doc.pages} == {PAGE_OCR}
    assert similarity("\n\n".join(p.text for p in doc.pages), truth_text(truth)) > 0.9


def _checked_style(raw: object, i: int) -> tuple[float, bool, bool]:
    """(size as drawn, bold, turned) of character ``i`` with pypdfium2's checked bindings: the plain version."""
    import ctypes
    import math

    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFText_GetFontSize(raw, i)
    matrix = pdfium_c.FS_MATRIX()
    if pdfium_c.FPDFText_GetMatrix(raw, i, ctypes.byref(matrix)) and math.hypot(matrix.c, matrix.d) > 0:
        size *= math.hypot(matrix.c, matrix.d)
    turned = abs(math.remainder(pdfium_c.FPDFText_GetCharAngle(raw, i), 2 * math.pi)) > 0.05
    return size, pdfium_c.FPDFText_GetFontWeight(raw, i) >= 600, turned


def test_unchecked_char_queries_equal_the_checked_bindings(tmp_path: Path) -> None:
    """The word loop's fast per-character calls give what pypdfium2's checked bindings give."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from mctext.extract.pdf import _CharBoxes

    data = make_pdf(tmp_path / "c.pdf", pages=[[Heading("1 Scope", size=16), "Erste Zeile, zweite Zeile. " * 30,
                                                "Ein Absatz mit Umlauten: Prüfung, Größe, façade."]])
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        textpage = page.get_textpage()
        raw, count = textpage.raw, textpage.count_chars()
        reader = _CharBoxes(raw)
        rect = pdfium_c.FS_RECTF()
        assert count > 500
        for i in [*range(count), count, count + 10]:  # past the end: no box
            ok = pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(rect))
            assert reader.box(i) == ((rect.left, rect.bottom, rect.right, rect.top) if ok else None), i
            obj = ctypes.cast(pdfium_c.FPDFText_GetTextObject(raw, i), ctypes.c_void_p).value
            assert reader.text_object(reader.handle, i) == obj, i
            if i < count:
                assert reader.style(i) == _checked_style(raw, i), i
        assert {bold for _, bold, _ in reader.styles.values()} == {True, False}  # the heading and the body
        textpage.close()
        page.close()
    finally:
        pdf.close()


def _plain_split(reader: object, start: int, end: int) -> list[tuple[int, int, tuple, bool]]:
    """``_CharBoxes.split`` as the plain loop: one ``box`` query per character, min and max."""
    pieces: list[tuple[int, int, tuple, bool]] = []
    a, box, em = -1, (0.0, 0.0, 0.0, 0.0), 1.0
    for i in range(start, end):
        got = reader.box(i)  # type: ignore[attr-defined]
        if got is None:
            continue
        left, bottom, right, top = got
        if a >= 0:
            same_line = abs((top + bottom) - (box[1] + box[3])) <= max(box[3] - box[1], top - bottom, 1.0)
            if same_line and box[2] - 0.5 * em <= left <= box[2] + 0.8 * em:
                box = (min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top))
                continue
            pieces.append((a, i, box, not pieces))
        a, box = i, got
        em = max(reader.style(i)[0], 1.0)  # type: ignore[attr-defined]
    if a >= 0:
        pieces.append((a, end, box, not pieces))
    return pieces


def test_word_loop_fast_paths_equal_the_plain_queries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfium_spans reads an upright page's boxes in its word loop, and ``split`` cuts a word
    from one batch of boxes: both give what the plain per-character queries give (a PDF built
    here, hyphenated in two columns, and a sample of the rendered corpus when it is there)."""
    import pypdfium2 as pdfium

    import mctext.extract.pdf as pdf_mod
    from conftest import RENDERED

    built = make_pdf(tmp_path / "w.pdf", [[Heading("1 Scope", size=16), *BODY * 3]] * 2, columns=2, hyphenate=True)
    sources = [built] + [p.read_bytes() for p in sorted(RENDERED.glob("*.pdf"))[::23]]
    splits = 0
    for data in sources:
        doc = pdfium.PdfDocument(data)
        try:
            for page in doc:
                height = page.get_size()[1]
                fast = pdf_mod.pdfium_spans(page, height)
                with monkeypatch.context() as m:
                    m.setattr(pdf_mod, "_INLINE_BOXES", False)
                    plain = pdf_mod.pdfium_spans(page, height)
                assert [(s.x0, s.top, s.x1, s.bottom, s.text, s.size, s.bold, s.seq, s.spaced, s.rotated) for s in fast] == [
                    (s.x0, s.top, s.x1, s.bottom, s.text, s.size, s.bold, s.seq, s.spaced, s.rotated) for s in plain
                ]
                textpage = page.get_textpage()
                reader = pdf_mod._CharBoxes(textpage.raw)
                chars = textpage.get_text_range()
                for word in pdf_mod._WORD_CHARS.finditer(chars):
                    if word.end() - word.start() > 1:
                        assert reader.split(chars, *word.span()) == _plain_split(reader, *word.span())
                        splits += 1
                textpage.close()
                page.close()
        finally:
            doc.close()
    assert splits > 100


# --- pages turned by /Rotate -----------------------------------------------------------

ROTATED_PARAGRAPHS = [
    "Micro-credentials certify the learning outcomes of short courses, and the national "
    "framework places them at the level of the qualification they lead towards.",
    "Providers report the workload in ECTS credits, and the table below lists two of them "
    "with the country that offers them.",
]
ROTATED_CELLS = [["Country", "Credential", "Workload"],
                 ["Ireland", "Data analytics", "5 ECTS"],
                 ["Finland", "Teacher badge", "2 ECTS"]]


def turned_page(rotate: int) -> bytes:
    """One A4 page as shown: two paragraphs and a small ruled table; with ``rotate`` the
    page carries /Rotate and its content is drawn turned back, so it is shown upright
    (a landscape-scanned or -typeset page): what a reader sees is the same page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

    from pdf_factory import FONT

    width, height = A4
    style = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    table = Table([[Paragraph(t, style) for t in row] for row in ROTATED_CELLS], colWidths=[120, 160, 90])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [Paragraph(ROTATED_PARAGRAPHS[0], style), Spacer(1, 12), Paragraph(ROTATED_PARAGRAPHS[1], style),
             Spacer(1, 18), table]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setPageRotation(rotate)  # reportlab turns the MediaBox so the shown page is A4 upright
    shown_to_user = {  # the shown page's (x, y) in PDF user space
        90: (0, 1, -1, 0, height, 0),
        180: (-1, 0, 0, -1, width, height),
        270: (0, -1, 1, 0, 0, width),
    }
    if rotate:
        c.transform(*shown_to_user[rotate])
    Frame(72, 72, width - 144, height - 144, showBoundary=0).addFromList(story, c)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_page_turned_by_rotate_reads_as_shown(rotate: int) -> None:
    """pdfium gives character boxes and paths in unrotated user space: main laid a /Rotate
    90 page out turned ("Workload | ECTS 5 | ECTS 2") and a 270 one column by column. The
    words and rulings are turned as the page is shown: text, table rows and rulings equal
    the upright page's."""
    import pypdfium2 as pdfium

    from mctext.extract.pdf import _read_pages

    def read(turn: int) -> tuple[object, list[tuple[int, int, int, int]], list[str]]:
        data = turned_page(turn)
        pdf = pdfium.PdfDocument(data)
        try:
            assert pdf[0].get_rotation() == turn
            boxes, _ = _read_pages(pdf, data, "pdfium", [], P)
        finally:
            pdf.close()
        rules = sorted((round(r.x0), round(r.top), round(r.x1), round(r.bottom)) for r in boxes[0].rules)
        return extract(data).pages[0], rules, [s.text for s in boxes[0].spans if s.rotated]

    want, want_rules, _ = read(0)
    got, got_rules, turned = read(rotate)
    rows = [want.text[r.start:r.end] for r in want.regions if r.kind == "table_row"]
    assert rows == [" | ".join(row) for row in ROTATED_CELLS]  # the upright page is read right
    assert len(want_rules) == 8
    assert turned == []  # text shown upright is not a turned stamp
    assert got.text == want.text
    assert [got.text[r.start:r.end] for r in got.regions if r.kind == "table_row"] == rows
    assert got_rules == want_rules
