"""Layout rules on hand-made boxes: no PDF engine involved, so each rule is seen alone."""

from __future__ import annotations

import pytest

from mctext.extract.layout import (
    JOIN,
    KEEP,
    SUSPEND,
    Block,
    Line,
    PageBoxes,
    Span,
    build_vocabulary,
    find_gutters,
    group_lines,
    guess_language,
    hyphen_decision,
    is_page_number,
    join_lines,
    layout_document,
    reading_order,
    split_blocks,
)

W, H = 595.0, 842.0


def line_spans(
    texts: list[str],
    *,
    x0: float = 60,
    top: float = 80,
    pitch: float = 13,
    size: float = 10,
    width: float = 400,
    bold: bool = False,
) -> list[Span]:
    """One span per line, stacked from ``top``."""
    return [
        Span(
            x0, top + i * pitch, x0 + min(width, 5 * len(t)), top + i * pitch + size, t, size, bold
        )
        for i, t in enumerate(texts)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "3",
        "Page 3",
        "page 12",
        "Seite 3",
        "3 / 40",
        "- 3 -",
        "– 7 –",
        "Sivu 2",
        "Strona 4",
        "p. 5",
        "iv",
        "3 of 40",
        "Page 3 of 40",
        "Seite 1 von 2",
        "Página 1 de 2",
        "Sivu 1 / 2",
        "Page 1 sur 2",
        "Pagina 1 van 2",
        "Strona 1 z 2",
        "Stran 1 od 2",
        "Sida 1 av 2",
    ],
)
def test_page_number_styles(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize(
    "text", ["3. Abschnitt", "Article 3", "(3)", "2019/128", "Berufsbildungsgesetz", "§ 3", ""]
)
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)


@pytest.mark.parametrize(
    ("left", "right", "lang", "expected"),
    [
        ("Berufsaus", "bildung ist", "de", JOIN),  # plain hyphenation
        ("Aus", "und Weiterbildung", "de", SUSPEND),  # suspended compound
        ("Lehr", "oder Lernmittel", "de", SUSPEND),
        ("e", "learning", "en", KEEP),  # one-letter prefix
        ("EU", "Mitgliedstaaten", "de", KEEP),  # acronym
        ("Aufstiegs", "BAföG", "de", KEEP),  # second part starts uppercase
        ("neu", "en Vorschriften", "de", JOIN),  # "en" is Dutch for "and", not German
        ("beroeps", "en volwasseneneducatie", "nl", SUSPEND),
        ("2019", "2020", None, KEEP),  # digits: a range, not a word
        ("non", "formal learning", "en", KEEP),  # a prefix written with its hyphen
        ("jatko-o", "pintoihin", "fi", JOIN),  # a break inside a real compound
        ("virko", "ja tai muita", "fi", JOIN),  # a conjunction after "ja": "ja" ended the word
        ("opinto", "ohjaaja", "fi", KEEP),  # Finnish: a hyphen where two vowels meet
        ("opinto", "suoritus", "fi", JOIN),
        ("EuropeanHigherEduca", "tion", "en", JOIN),  # camel case is no acronym
        ("ex", "ample", "en", JOIN),  # two-letter fragments are hyphenation
    ],
)
def test_hyphen_decision(left: str, right: str, lang: str | None, expected: str) -> None:
    assert hyphen_decision(left, right, set(), lang) == expected


def test_vocabulary_settles_ambiguous_hyphens() -> None:
    # "in-service" is written with its hyphen elsewhere in the document: keep it
    assert hyphen_decision("in", "service training", {"in-service"}, "en") == KEEP
    # but a word seen whole wins, even over a conjunction ("opiskelija" in Finnish)
    assert hyphen_decision("co", "operation", {"cooperation"}, "en") == JOIN
    assert hyphen_decision("opiskeli", "ja siirtyy", {"opiskelija"}, "fi") == JOIN
    # a prefix seen with its hyphen elsewhere ("öffentlich-rechtlich") keeps it here too
    assert hyphen_decision("öffentlich", "rechtlichen", {"öffentlich-"}, "de") == KEEP
    # in English two words that stand alone stay hyphenated; in German they are one word
    assert hyphen_decision("fee", "paying", {"fee", "paying"}, "en") == KEEP
    assert hyphen_decision("Aus", "bildung", {"aus", "bildung"}, "de") == JOIN
    # "Datenschutz-Grundverordnung" does not make "Datenschutz-" a prefix before lower case
    vocab = build_vocabulary(
        [[Block([_line("Die Datenschutz-Grundverordnung und öffentlich-rechtliche")])]]
    )
    assert hyphen_decision("Datenschutz", "gesetze", vocab, "de") == JOIN
    assert hyphen_decision("öffentlich", "rechtlichen", vocab, "de") == KEEP


def _line(text: str) -> Line:
    return Line(0, 0, 100, 10, text, text, 10, False, 0)


def test_join_lines_records_offsets() -> None:
    text, joins = join_lines(
        ["Die Berufsaus-", "bildung und die Aus-", "und Weiterbildung."], set(), "de"
    )
    assert text == "Die Berufsausbildung und die Aus- und Weiterbildung."
    assert joins == [len("Die Berufsaus")]


def test_two_columns_are_read_column_by_column() -> None:
    left = line_spans([f"left line {i} of the first column" for i in range(20)], x0=60, width=220)
    right = line_spans(
        [f"right line {i} of the second column" for i in range(20)], x0=310, width=220
    )
    spans = left + right
    assert len(find_gutters(spans, W)) == 1
    lines = reading_order(spans, W)
    texts = [ln.text for ln in lines]
    assert texts[:20] == [s.text for s in left] and texts[20:] == [s.text for s in right]


def test_full_width_heading_cuts_columns_into_bands() -> None:
    title = [Span(60, 40, 530, 56, "A title across both columns of the page", 16, True)]
    left = line_spans([f"left {i} words words words" for i in range(10)], x0=60, width=220)
    right = line_spans([f"right {i} words words words" for i in range(10)], x0=310, width=220)
    lines = reading_order(title + left + right, W)
    assert lines[0].text.startswith("A title")
    assert (
        lines[1].text == "left 0 words words words"
        and lines[11].text == "right 0 words words words"
    )


def test_single_column_with_indented_list_has_no_gutter() -> None:
    spans = []
    for i in range(12):
        spans.append(Span(60, 80 + 13 * i, 66, 90 + 13 * i, f"{i}.", 10))
        spans.append(
            Span(85, 80 + 13 * i, 530, 90 + 13 * i, "list item text that fills the line", 10)
        )
    assert find_gutters(spans, W) == []


def test_marker_and_text_boxes_form_one_line() -> None:
    spans = [
        Span(69, 100.2, 76.8, 107.7, "3. ", 10),
        Span(91.7, 100.0, 529, 109.8, "die Berufsbildung", 10),
    ]
    (line,) = group_lines(spans)
    assert line.text == "3. die Berufsbildung"


def test_paragraphs_split_at_larger_gaps_and_bullets() -> None:
    spans = line_spans(["First paragraph line one", "line two."], top=80)
    spans += line_spans(["Second paragraph after a gap."], top=80 + 13 * 2 + 8)
    spans += line_spans(["• a bullet item"], top=80 + 13 * 3 + 8)
    blocks = split_blocks(group_lines(spans))
    assert [len(b.lines) for b in blocks] == [2, 1, 1]


def _page(body: list[str], header: str | None, footer: str | None) -> PageBoxes:
    spans = line_spans(body, top=100)
    if header:
        spans.append(Span(60, 30, 200, 38, header, 8))
    if footer:
        spans.append(Span(60, 800, 200, 808, footer, 8))
    return PageBoxes(W, H, spans)


def test_running_header_found_by_repetition_and_kept_aside() -> None:
    pages = [
        _page(
            [f"Body text of page {n} goes here.", "More body."], "Act on Training 2020", f"{n} / 3"
        )
        for n in range(1, 4)
    ]
    out = layout_document(pages)
    for n, page in enumerate(out, start=1):
        assert "Act on Training" not in page.text and f"{n} / 3" not in page.text
        assert page.furniture == ["Act on Training 2020", f"{n} / 3"]
        assert f"Body text of page {n}" in page.text
        assert "Act on Training 2020" in page.raw_text


def test_top_line_that_does_not_repeat_is_body() -> None:
    pages = [_page([f"Unique opening line {n}.", "More body."], None, None) for n in range(1, 4)]
    out = layout_document(pages)
    assert all(p.furniture == [] for p in out)


def test_word_split_across_pages_is_rejoined_on_first_page() -> None:
    p1 = PageBoxes(W, H, line_spans(["Die Ausbildung ist Teil der Berufs-"], top=100))
    p2 = PageBoxes(W, H, line_spans(["bildung und bleibt es."], top=100))
    out = layout_document([p1, p2], "de")
    assert out[0].text.endswith("Berufsbildung")
    assert out[0].hyphen_joins == [len("Die Ausbildung ist Teil der Berufs")]
    assert out[1].text == "und bleibt es."


def test_headings_by_size_and_numbering() -> None:
    spans = [Span(60, 60, 300, 76, "Big Title", 16, True)]
    spans += line_spans(["2.1 Scope of the rules"], top=100)
    spans += line_spans(["Body text that runs on for a while, and ends.", "Second line."], top=130)
    (page,) = layout_document([PageBoxes(W, H, spans)])
    levels = {h.text: h.level for h in page.headings}
    assert levels["Big Title"] == 1 and levels["2.1 Scope of the rules"] == 3
    for h in page.headings:
        assert page.text[h.start : h.end] == h.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Die Berufsbildung ist ein Teil der beruflichen Bildung und wird von den Ländern geregelt.",
            "de",
        ),
        (
            "La validation des acquis de l'expérience est un droit pour les salariés et les agents.",
            "fr",
        ),
        (
            "Ammatillinen koulutus on tärkeää ja se on myös osa elinikäistä oppimista tai työtä.",
            "fi",
        ),
        (
            "The Centre shall support the development of vocational education and training policies.",
            "en",
        ),
    ],
)
def test_guess_language(text: str, lang: str) -> None:
    assert guess_language(text) == lang


def test_page_numbers_must_keep_step_with_the_page() -> None:
    pages = [
        _page([f"Body text of page {n} goes here.", "More body."], None, str(n + 10))
        for n in range(1, 4)
    ]
    pages[1].spans.append(Span(60, 780, 66, 788, "4", 8))  # a list marker near the foot of page 2
    out = layout_document(pages)
    assert [p.furniture for p in out] == [["11"], ["12"], ["13"]]
    assert out[1].text.endswith("4")
