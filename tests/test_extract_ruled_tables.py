"""Tables drawn with rulings (issue 15): found from their lines, read row by row.

Every PDF is drawn here with reportlab: a grid of cells with wrapped text, borders drawn
as line segments, thin filled rectangles or stroked cell rectangles, merged cells, and the
boxes that are no tables (a framed paragraph, a page border, a chart's grid lines).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mctext.extract.layout import PageBoxes, Rule, Span, find_ruled_tables, layout_document
from mctext.extract.pdf import extract_pdf, page_rules
from pdf_factory import FONT

P = Path("ruled.pdf")
W, H = A4
STYLE = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=12)

LONG = ("A micro-credential awarded by a university after a short course in data analytics "
        "for working professionals")
CELLS = [
    ["Country", "Credential", "Workload"],
    ["Ireland", LONG, "5 ECTS"],
    ["Finland", "A digital badge for teachers", "2 ECTS"],
]
INTRO = "The credentials below were offered in the year under review."
AFTER = "Both were open to adults in employment."


def flowing(story: list[object]) -> bytes:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


def draw(page: Callable[[canvas.Canvas], None]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    page(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def grid_table(cells: list[list[str]], widths: list[float], style: list[tuple] | None = None) -> Table:
    table = Table([[Paragraph(t, STYLE) for t in row] for row in cells], colWidths=widths)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), *(style or [])]))
    return table


def rows_of(data: bytes, **kw: object) -> tuple[str, list[str]]:
    page = extract_pdf(data, P, ocr=False, **kw).pages[0]  # type: ignore[arg-type]
    return page.text, [page.text[r.start : r.end] for r in page.regions if r.kind == "table_row"]


def test_ruled_table_with_a_wrapped_cell_gives_one_row_per_table_row() -> None:
    """The long cell wraps onto three lines: it is one cell of its row (main split it and
    glued its first line to the header)."""
    data = flowing([Paragraph(INTRO, STYLE), Spacer(1, 12), grid_table(CELLS, [80, 200, 80]),
                    Spacer(1, 12), Paragraph(AFTER, STYLE)])
    text, rows = rows_of(data)
    assert rows == [" | ".join(row) for row in CELLS]
    assert text.startswith(INTRO) and text.endswith(AFTER)  # the prose around stays prose


def test_the_reference_engine_reads_the_same_rows() -> None:
    data = flowing([grid_table(CELLS, [80, 200, 80])])
    assert rows_of(data, engine="pdfplumber")[1] == [" | ".join(row) for row in CELLS]


DEFINITIONS = [
    ["Term", "Meaning"],
    ["Learning outcomes", "Statements of what a learner knows, understands and is able to do on completion "
     "of a learning process, defined in terms of knowledge, skills and responsibility"],
    ["Workload", "The time typically needed to complete all learning activities such as lectures, "
     "seminars, projects, practical work, self-study and examinations"],
    ["Stackability", "The possibility, where relevant, to combine different micro-credentials and build "
     "logically upon each other towards a larger credential"],
    ["Quality assurance", "The process or set of processes adopted nationally and at institutional level "
     "in order to ensure the quality of educational programmes and of the qualifications awarded"],
]


def test_a_column_of_long_text_is_a_table_column_not_prose_beside_a_gutter() -> None:
    """A ruled glossary with a wide column of wrapped definitions: main took the column gap
    for a page gutter (all terms, then all definitions run together as prose)."""
    text, rows = rows_of(flowing([grid_table(DEFINITIONS, [120, 330])]))
    assert rows == [" | ".join(row) for row in DEFINITIONS]
    assert "Term | Meaning" in text.split("\n")[0]


def test_merged_cells_are_one_cell() -> None:
    cells = [["Country", "Credits", ""], ["", "ECTS", "Hours"], ["Ireland", "5", "125"], ["Malta", "4", "100"]]
    spans = [("SPAN", (1, 0), (2, 0)), ("SPAN", (0, 0), (0, 1))]
    _, rows = rows_of(flowing([grid_table(cells, [100, 100, 100], spans)]))
    assert rows == ["Country | Credits", "| ECTS | Hours", "Ireland | 5 | 125", "Malta | 4 | 100"]


def _cells_page(c: canvas.Canvas, border: Callable[[canvas.Canvas, float, float, float, float], None]) -> None:
    """CELLS at the top of the page, its borders drawn by ``border(c, x0, y0, x1, y1)`` per cell."""
    xs, ys = [72, 172, 422, 502], [760, 740, 700, 680]
    lines = {1: ["Ireland", ["A micro-credential awarded by a university", "after a short course"], "5 ECTS"]}
    c.setFont(FONT, 10)
    for r in range(3):
        for k in range(3):
            border(c, xs[k], ys[r + 1], xs[k + 1], ys[r])
            cell = lines.get(r, CELLS[r])[k]
            for n, line in enumerate(cell if isinstance(cell, list) else [cell]):
                c.drawString(xs[k] + 4, ys[r] - 13 - 12 * n, line)


def _stroked(c: canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)


def _thin_rects(c: canvas.Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    for x, y, w, h in ((x0, y0, x1 - x0, 0.6), (x0, y1, x1 - x0, 0.6), (x0, y0, 0.6, y1 - y0), (x1, y0, 0.6, y1 - y0)):
        c.rect(x, y, w, h, stroke=0, fill=1)


def test_cells_drawn_as_rectangles_or_thin_filled_bars_are_a_table() -> None:
    expected = ["Country | Credential | Workload",
                "Ireland | A micro-credential awarded by a university after a short course | 5 ECTS",
                "Finland | A digital badge for teachers | 2 ECTS"]
    for border in (_stroked, _thin_rects):
        assert rows_of(draw(lambda c, b=border: _cells_page(c, b)))[1] == expected, border.__name__


FRAMED = ("This paragraph is set in a box to draw the reader's eye. It is running text and "
          "nothing in it is a table.")


def test_a_framed_paragraph_a_page_border_and_a_chart_grid_are_no_tables() -> None:
    """One box round a paragraph, a frame round the page and grid lines with no text inside
    stay what they are; the ruled table on the same page is read as rows."""

    def page(c: canvas.Canvas) -> None:
        c.rect(30, 30, W - 60, H - 60)  # the page border
        _cells_page(c, _stroked)
        c.rect(66, 560, 460, 50)  # the framed paragraph
        c.setFont(FONT, 10)
        c.drawString(72, 592, FRAMED[:80])
        c.drawString(72, 578, FRAMED[80:].strip())
        for k in range(6):  # a chart's grid: no text in its squares
            c.line(72 + 60 * k, 300, 72 + 60 * k, 500)
            c.line(72, 300 + 40 * k, 372, 300 + 40 * k)
        c.drawString(72, 280, "Figure 1: providers by year.")

    text, rows = rows_of(draw(page))
    assert rows == [" | ".join(row[:1]) + " | " + " | ".join(row[1:]) for row in
                    (CELLS[0], ["Ireland", "A micro-credential awarded by a university after a short course", "5 ECTS"],
                     CELLS[2])]
    assert FRAMED in text
    assert "Figure 1: providers by year." in text and text.count(" | ") == 6


def test_page_rules_reads_segments_thin_rectangles_and_rectangle_sides() -> None:
    def page(c: canvas.Canvas) -> None:
        c.line(100, 800, 300, 800)  # a horizontal segment
        c.rect(100, 700, 0.8, 60, stroke=0, fill=1)  # a thin bar
        c.rect(400, 600, 100, 50)  # a stroked box: four sides
        c.circle(300, 300, 50)  # a curve: no rule
        c.line(200, 200, 201, 200)  # a dot of a leader: too short
        c.saveState()
        c.translate(50, 100)
        c.line(0, 0, 0, 80)  # drawn under a moved origin: page coordinates
        c.restoreState()

    pdf = pdfium.PdfDocument(draw(page))
    try:
        got = sorted((round(r.x0), round(r.top), round(r.x1), round(r.bottom)) for r in page_rules(pdf[0], H))
    finally:
        pdf.close()
    top = round(H)
    assert len(got) == 7
    assert any(x0 <= 100 and x1 >= 300 and abs(t - (top - 800)) <= 1 for x0, t, x1, _ in got)
    assert any(abs(x0 - 100) <= 1 and abs(t - (top - 760)) <= 1 and abs(b - (top - 700)) <= 1 for x0, t, _, b in got)
    assert sum(1 for x0, t, x1, b in got if x0 >= 399 and x1 <= 501 and top - 651 <= t and b <= top - 599) == 4
    assert any(abs(x0 - 50) <= 1 and abs(t - (top - 180)) <= 1 and abs(b - (top - 100)) <= 1 for x0, t, _, b in got)



def turned_or_moved(rotate: int, mediabox: tuple[float, float, float, float] | None) -> bytes:
    """A ruled 3x3 grid with words in its cells, on a page turned by /Rotate (the grid drawn
    turned back, so it reads upright) or with its MediaBox (and CropBox) moved off the origin."""
    def page(c: canvas.Canvas) -> None:
        c.setPageRotation(rotate)
        if rotate:
            c.translate(W, 0) if rotate == 90 else c.translate(0, H)
            c.rotate(90 if rotate == 90 else -90)
        xs, ys = [100, 200, 360, 440], [400, 376, 352, 328]
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        c.setFont(FONT, 10)
        for r, row in enumerate(CELLS):
            for k, t in enumerate(row):
                c.drawString(xs[k] + 4, ys[r] - 16, t[:20])

    data = draw(page)
    if mediabox is None:
        return data
    pdf = pdfium.PdfDocument(data)
    pdf[0].set_mediabox(*mediabox)
    pdf[0].set_cropbox(mediabox[0] + 30, mediabox[1] + 40, mediabox[2] - 10, mediabox[3] - 20)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("rotate", "mediabox"), [(90, None), (270, None), (0, (-100.0, -150.0, W + 50, H + 20))])
def test_rulings_lie_where_pdfplumber_puts_the_words(rotate: int, mediabox: tuple | None) -> None:
    """pdfium reads rulings in PDF user space; pdfplumber's words are moved by the MediaBox
    corner and turned by /Rotate: the rulings are brought into the words' space (main left
    them in pdfium's, off the table on a turned page)."""
    import pdfplumber

    from mctext.extract.pdf import _read_pages

    data = turned_or_moved(rotate, mediabox)
    pdf = pdfium.PdfDocument(data)
    try:
        boxes, kinds = _read_pages(pdf, data, "pdfplumber", [], P)
    finally:
        pdf.close()
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        edges = plumber.pages[0].edges
    centre = sorted((round((e["x0"] + e["x1"]) / 2), round((e["top"] + e["bottom"]) / 2)) for e in edges)
    got = sorted((round((r.x0 + r.x1) / 2), round((r.top + r.bottom) / 2)) for r in boxes[0].rules)
    assert kinds == ["text"] and len(got) == 8
    assert got == centre
    words = boxes[0].spans
    assert min(s.x0 for s in words) > min(r.x0 for r in boxes[0].rules)  # the words sit inside the grid
    assert max(s.bottom for s in words) < max(r.bottom for r in boxes[0].rules)

def _span(x0: float, top: float, text: str) -> Span:
    return Span(x0, top, x0 + 6 * len(text), top + 10, text, 10.0)


def _grid(xs: list[float], ys: list[float]) -> list[Rule]:
    return [Rule(xs[0], y, xs[-1], y + 0.5) for y in ys] + [Rule(x, ys[0], x + 0.5, ys[-1]) for x in xs]


def test_a_span_across_a_cell_border_is_cut_there() -> None:
    """The engine ran two cells' words, a word space apart, into one span: each cell gets
    its own words."""
    spans = [_span(104, 104, "Country"), _span(204, 104, "Workload"),
             Span(154, 124, 246, 134, "Ireland 5 ECTS", 10.0)]
    tables = find_ruled_tables(spans, _grid([100, 200, 300], [100, 120, 140]))
    assert [t.rows for t in tables] == [[["Country", "Workload"], ["Ireland", "5 ECTS"]]]


def test_one_cell_is_no_table_and_its_text_stays_body() -> None:
    spans = [_span(104, 104, "Boxed"), _span(104, 124, "text")]
    page = PageBoxes(400, 400, spans, _grid([100, 300], [100, 140]))
    assert find_ruled_tables(spans, page.rules) == []
    laid = layout_document([page])[0]
    assert laid.regions == [] and laid.text == "Boxed text"


CELLS_ROWS = ["Country | Credential | Workload",
              "Ireland | A micro-credential awarded by a university after a short course | 5 ECTS",
              "Finland | A digital badge for teachers | 2 ECTS"]
PANEL = ("Respondents who took more courses reported more interest in further courses, and the "
         "share of those who wanted more learning rose with every course they had taken before.")


def test_panels_of_prose_in_ruled_boxes_are_no_table() -> None:
    """Four boxes of running text in a 2 x 2 grid (a figure of panels) stay paragraphs."""

    def page(c: canvas.Canvas) -> None:
        _cells_page(c, _stroked)
        c.setFont(FONT, 10)
        for k, (x, y) in enumerate(((72, 600), (300, 600), (72, 500), (300, 500))):
            c.rect(x - 4, y - 90, 228, 100)
            words, line, n = PANEL.split(), "", 0
            for w in words:
                if len(line) + len(w) > 38:
                    c.drawString(x, y - 12 * n, line.strip())
                    line, n = "", n + 1
                line += " " + w
            c.drawString(x, y - 12 * n, line.strip())
            assert n >= 3, k

    text, rows = rows_of(draw(page))
    assert rows == CELLS_ROWS
    assert text.count(PANEL) == 4


STACKED = [("CVET", "56.44", "0.66", "53.09", "1.30"), ("Male", "52.79", "0.23", "52.96", "0.50"),
           ("Age (mean)", "40.75", "0.05", "41.44", "0.09"), ("Children", "70.63", "0.53", "70.16", "0.90")]


def test_a_table_ruled_only_under_its_header_is_read_from_its_aligned_text() -> None:
    """Rules above and below the header and between column groups, none between the body
    rows: the rows sit stacked in one ruled band, so the rulings are not the table's cells
    (each row keeps its label with its numbers); a fully ruled table beside it is read."""

    def page(c: canvas.Canvas) -> None:
        _cells_page(c, _stroked)
        c.setFont(FONT, 10)
        c.line(72, 600, 420, 600)
        c.line(72, 580, 420, 580)
        c.line(72, 490, 420, 490)
        for x in (190, 300):
            c.line(x, 598, x, 490)
        c.drawString(200, 586, "Germany % s.e.")
        c.drawString(310, 586, "Sweden % s.e.")
        for n, (label, *values) in enumerate(STACKED):
            y = 566 - 18 * n
            c.drawString(76, y, label)
            for x, v in zip((200, 250, 310, 360), values, strict=True):
                c.drawString(x, y, v)

    text, rows = rows_of(draw(page))
    assert rows[:3] == CELLS_ROWS
    lines = text.split("\n")
    for label, *values in STACKED:
        line = next(ln for ln in lines if ln.startswith(label))
        assert [v for v in values if v in line] == values, line


def test_boxes_round_single_values_are_no_table() -> None:
    """A correlation matrix whose diagonal values are boxed: each box holds one value, so
    the boxes are no table; the matrix is read from its aligned text."""

    def page(c: canvas.Canvas) -> None:
        _cells_page(c, _stroked)
        c.setFont(FONT, 10)
        for r in range(4):
            y = 600 - 16 * r
            c.drawString(76, y, f"({r + 1}) Item {r + 1}")
            for k in range(r + 1):
                x = 200 + 50 * k
                c.drawString(x, y, "1.00" if k == r else f"0.{r}{k}")
            c.rect(196 + 50 * r, y - 4, 50, 16)  # corner to corner: one staircase of rulings

    text, rows = rows_of(draw(page))
    assert rows[:3] == CELLS_ROWS
    lines = text.split("\n")
    for r in range(4):  # each matrix row whole on its line (the boxes cut nothing out)
        line = next(ln for ln in lines if f"Item {r + 1}" in ln)
        assert line.count("0.") == r and line.count("1.00") == 1, line
