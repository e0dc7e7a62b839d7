"""Real-world PDF failure classes (issue 15), each on a PDF drawn here with reportlab.

Every test draws what real files do (runs placed glyph by glyph, touching glyphs,
letter-spaced titles, a turned margin stamp, tables, placeholder glyphs, captions,
footnotes) and checks the words that come out.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from mctext.extract.pdf import extract_pdf
from pdf_factory import FONT

P = Path("realworld.pdf")
W, H = A4


def draw(*pages: Callable[[canvas.Canvas], None]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in pages:
        page(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def text_of(data: bytes, **kw: object) -> str:
    return "\n\n".join(p.text for p in extract_pdf(data, P, ocr=False, **kw).pages)  # type: ignore[arg-type]


def width(text: str, size: float = 11) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def runs(c: canvas.Canvas, x: float, y: float, pieces: list[str], size: float = 11, overlap: float = 0.0) -> None:
    """Each piece drawn as its own text object right where the previous one ended."""
    c.setFont(FONT, size)
    for piece in pieces:
        c.drawString(x, y, piece)
        x += width(piece, size) - overlap


# --- 1. word boundaries from pdfium's own text --------------------------------------------


def test_a_runs_leading_space_is_a_space() -> None:
    """'and' + ' their': the second run starts with its space (the old gap rule glued them)."""

    def page(c: canvas.Canvas) -> None:
        runs(c, 72, 700, ["Member states and", " their regions agree on", " Article 5", " of the Annex II", " of this act."])

    text = text_of(draw(page))
    assert "states and their regions agree on Article 5 of the Annex II of this act." in text


def test_no_space_inside_a_word_drawn_in_pieces() -> None:
    """'statisti' + 'cal' with a small kerning gap is one word (pdfium puts no space there)."""

    def page(c: canvas.Canvas) -> None:
        runs(c, 72, 700, ["The statisti", "cal office and th", "e searches of the dissent", "ing judge."])

    text = text_of(draw(page))
    assert "The statistical office and the searches of the dissenting judge." in text


def test_text_drawn_twice_for_bold_is_read_once() -> None:
    """Fake bold (the same word drawn twice, 0.4 pt apart): glyph boxes overlap; pdfium drops
    the copy, and the words around it keep their spaces (no doubled letters, no "Publishedand")."""

    def page(c: canvas.Canvas) -> None:
        c.setFont(FONT, 11)
        x = 72
        for piece, twice in [("Not To Be ", False), ("Published", True), (" and the ", False),
                             ("Plaintiff", True), (" shall be imposed upon the City.", False)]:
            c.drawString(x, 700, piece)
            if twice:
                c.drawString(x + 0.4, 700, piece)
            x += width(piece)

    text = text_of(draw(page))
    assert "Not To Be Published and the Plaintiff shall be imposed upon the City." in text


# --- 2. letter-spaced lines and turned text -----------------------------------------------


def test_letter_spaced_title_is_collapsed() -> None:
    """Each letter placed on its own (pdfium puts a space after each): words again, while
    real one-letter words in an ordinary line stay apart."""

    def page(c: canvas.Canvas) -> None:
        c.setFont(FONT, 14)
        x = 120.0
        for ch in "NOTICE OF PUBLIC HEARING":
            if ch == " ":
                x += 15
                continue
            c.drawString(x, 760, ch)
            x += width(ch, 14) + 5
        c.setFont(FONT, 11)
        c.drawString(72, 720, "A hearing on the plan is held in room 5 on 3 May and a vote follows.")
        c.drawString(72, 700, "I am told that a quorum is needed; the list of items is a b c in order.")

    text = text_of(draw(page))
    assert text.startswith("NOTICE OF PUBLIC HEARING\n")
    assert "the list of items is a b c in order." in text


def test_turned_margin_stamp_stays_out_of_body_lines() -> None:
    body = [
        "Open-domain question answering relies on efficient passage retrieval to",
        "select candidate contexts, where traditional sparse vector space models,",
        "such as TF-IDF or BM25, are the de facto method in most systems today.",
        "In this work, we show that retrieval can be practically implemented.",
    ]

    def page(c: canvas.Canvas) -> None:
        c.setFont(FONT, 11)
        y = 600
        for line in body:
            c.drawString(72, y, line)
            y -= 14
        c.saveState()
        c.translate(40, 450)
        c.rotate(90)
        c.setFont(FONT, 20)
        c.drawString(0, 0, "arXiv:2004.04906v3 [cs.CL] 30 Sep 2020")
        c.restoreState()

    doc = extract_pdf(draw(page), P, ocr=False)
    text = doc.pages[0].text
    assert " ".join(body) in text
    assert "arXiv" not in text
    assert any("arXiv:2004.04906v3" in f for f in doc.pages[0].furniture)


# --- 3. tables ----------------------------------------------------------------------------

TABLE = [
    ("Country", "Providers", "Share of adults", "Framework"),
    ("Austria", "112", "14.5%", "NQR"),
    ("Belgium", "87", "9.1%", "VKS"),
    ("Croatia", "15", "3.0%", "HKO"),
    ("Denmark", "240", "21.7%", "NQF-DK"),
]
PROSE = (
    "The figures below come from the national registers of providers. They count every "
    "provider that offered at least one short course in the year, whatever its size."
)


def _table_page(c: canvas.Canvas) -> None:
    c.setFont(FONT, 10)
    cut = PROSE.index(" provider ")
    c.drawString(72, 780, PROSE[:cut])
    c.drawString(72, 766, PROSE[cut:].strip())
    xs = (72, 200, 300, 420)
    y = 730.0
    for row in TABLE:
        for x, cell in zip(xs, row, strict=True):
            c.drawString(x, y, cell)
        y -= 16
    c.drawString(72, y - 20, "Most providers in the table are public institutions of higher education.")


def test_table_rows_come_out_row_by_row_as_regions() -> None:
    page = extract_pdf(draw(_table_page), P, ocr=False).pages[0]
    for row in TABLE:
        assert " | ".join(row) in page.text
    rows = [page.text[r.start : r.end] for r in page.regions if r.kind == "table_row"]
    assert rows == [" | ".join(row) for row in TABLE]
    assert PROSE in page.text  # the prose above is not part of the table
    assert "Most providers in the table" in page.text.split(" | ".join(TABLE[-1]))[1]


def test_table_column_gap_is_not_a_page_gutter() -> None:
    """Two columns of short cells beside each other are a table, read row by row (the
    old code took the gap for a gutter: all names first, then all numbers)."""

    names = ["Vienna University of Technology", "Graz Institute of Design", "Linz School of Arts",
             "Salzburg Academy of Music", "Innsbruck Medical College", "Krems Danube University"]

    def page(c: canvas.Canvas) -> None:
        c.setFont(FONT, 10)
        y = 760.0
        for i, name in enumerate(names):
            c.drawString(72, y, name)
            c.drawString(400, y, f"{(i + 1) * 1234}")
            y -= 14

    text = text_of(draw(page))
    for i, name in enumerate(names):
        assert f"{name} | {(i + 1) * 1234}" in text


def test_two_columns_of_prose_are_no_table() -> None:
    from pdf_factory import make_pdf

    para = "The provider keeps a record of every learner and of the outcomes of the course. " * 12
    page = extract_pdf(make_pdf(None, [[para, para, para]], columns=2), P, ocr=False).pages[0]
    assert page.regions == [] and " | " not in page.text


# --- 5. furniture needs repetition or a page number ----------------------------------------


def test_caption_on_a_one_page_document_is_kept() -> None:
    """A small-type caption at the foot of the only page is body text, not a footer."""

    def page(c: canvas.Canvas) -> None:
        c.setFont(FONT, 11)
        y = 700.0
        for _ in range(6):
            c.drawString(72, y, "Self-locking nuts are used where a nut must not work loose under vibration.")
            y -= 14
        c.setFont(FONT, 8)
        c.drawString(72, 60, "Figure 7-26. Self-locking nuts.")
        c.drawRightString(520, 40, "7")

    doc = extract_pdf(draw(page), P, ocr=False)
    assert "Figure 7-26. Self-locking nuts." in doc.pages[0].text
    assert doc.pages[0].furniture == ["7"]


# --- 4. unreadable glyphs -----------------------------------------------------------------


def test_placeholder_markers_are_counted() -> None:
    from mctext.extract.quality import unreadable_share

    assert unreadable_share("(cid:12)(cid:7)(cid:99) ab") == 3 / 6
    assert unreadable_share("\ue001\ue002 text") == 2 / 7
    assert unreadable_share("plain text") == 0.0


def test_a_page_of_glyphs_without_characters_is_reported_not_read() -> None:
    """A font whose glyphs map to private-use code points: no text, whatever pdfium returns."""
    from mctext.records import PAGE_NO_TEXT_LAYER, PAGE_OK

    def unreadable(c: canvas.Canvas) -> None:
        c.setFont(FONT, 11)
        for i in range(12):
            c.drawString(72, 700 - 14 * i, "".join(chr(0xE000 + (i * 7 + k) % 60) for k in range(40)))

    def readable(c: canvas.Canvas) -> None:
        c.setFont(FONT, 11)
        c.drawString(72, 700, "This page has a text layer that reads well \ue000 except one glyph.")

    doc = extract_pdf(draw(unreadable, readable), P, ocr=False)
    assert doc.pages[0].status == PAGE_NO_TEXT_LAYER and doc.pages[0].text == ""
    assert any("page 1: text layer unreadable" in w for w in doc.warnings)
    assert doc.pages[1].status == PAGE_OK
    assert "reads well except one glyph." in doc.pages[1].text


# --- 6. footnotes -------------------------------------------------------------------------

NOTES = [
    "1 European Commission (2015). A European approach to micro-credentials, final report of the",
    "consultation group. Brussels, Belgium.",
    "2 Council Recommendation of 16 June 2022 (OJ C 243, 27.6.2022, p. 10).",
]


def _note_page(c: canvas.Canvas) -> None:
    c.setFont(FONT, 11)
    y = 760.0
    body = [
        "Micro-credentials certify the outcomes of short learning experiences.1 They",
        "are offered by universities, vocational schools and employers, and the Council",
        "has asked member states to make them part of their qualifications systems.2",
    ]
    for line in body:
        c.drawString(72, y, line)
        y -= 14
    c.setFont(FONT, 8)
    y = 120.0
    for line in NOTES:
        c.drawString(72, y, line)
        y -= 10


def test_footnotes_are_kept_whole_and_apart() -> None:
    page = extract_pdf(draw(_note_page), P, ocr=False).pages[0]
    notes = [page.text[r.start : r.end] for r in page.regions if r.kind == "footnote"]
    assert notes == [NOTES[0] + " " + NOTES[1], NOTES[2]]
    assert "qualifications systems.2" in page.text.split(notes[0])[0]  # the body comes first
    assert not any(h.text.startswith(("1 ", "2 ")) for h in page.headings)


# --- 7. headings that are headings (issue 10) ---------------------------------------------


def test_bold_lead_in_and_column_end_are_not_headings() -> None:
    """A bold lead-in whose sentence runs on in regular type, and a line that ends a page
    mid-sentence, are text; a bold line standing alone is a heading."""
    from pdf_factory import BOLD_FONT

    def first(c: canvas.Canvas) -> None:
        c.setFont(BOLD_FONT, 11)
        c.drawString(72, 760, "Supporting documents")
        c.setFont(FONT, 11)
        c.drawString(72, 736, "Every applicant sends the documents listed below with the form.")
        c.setFont(BOLD_FONT, 11)
        c.drawString(72, 712, "Citizens of the European Economic Area (Iceland, Norway and Liechtenstein)")
        c.drawString(72, 698, "or of Switzerland: a copy of")
        c.setFont(FONT, 11)
        c.drawString(72, 684, "the passport or of the identity card, valid on the day the form is sent.")
        c.drawString(72, 660, "The office checks each document and may ask for the original one, and")
        c.setFont(BOLD_FONT, 11)
        c.drawString(72, 80, "2 Member States decide how the office")

    def second(c: canvas.Canvas) -> None:
        c.setFont(FONT, 11)
        c.drawString(72, 760, "keeps the copies it receives, for at most five years.")

    doc = extract_pdf(draw(first, second), P, ocr=False)
    headings = [h.text for p in doc.pages for h in p.headings]
    assert headings == ["Supporting documents"]


@pytest.mark.slow
def test_french_notice_line_fragment_is_not_a_heading(original_dir: Path) -> None:
    pdf = original_dir / "FR_notice51260_vae_demande_recevabilite_fr.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf.name} not in the corpus")
    doc = extract_pdf(pdf.read_bytes(), pdf, ocr=False)
    headings = [h.text for p in doc.pages for h in p.headings]
    assert not any("Liechtenstein) ou de la Suisse" in h for h in headings)
    assert not any(h[:1].islower() for h in headings)  # no page-top continuation taken for one
    assert "PIECES JUSTIFICATIVES A FOURNIR" in headings  # the real ones stay


def test_turned_column_head_inside_the_body_is_kept_as_its_own_line() -> None:
    """Turned text within the body (a table's column head) is text: its own line after the
    body, never woven into the lines it crosses."""
    body = [f"Line {i} of the running text stays whole and in order on the page." for i in range(8)]

    def page(c: canvas.Canvas) -> None:
        c.setFont(FONT, 11)
        for i, line in enumerate(body):
            c.drawString(72, 700 - 14 * i, line)
        c.saveState()
        c.translate(300, 560)
        c.rotate(90)
        c.setFont(FONT, 9)
        c.drawString(0, 0, "Date of first award")
        c.restoreState()

    doc = extract_pdf(draw(page), P, ocr=False)
    text = doc.pages[0].text
    assert " ".join(body) in text
    assert text.endswith("\n\nDate of first award")
    assert doc.pages[0].furniture == []
