"""The non-PDF formats: HTML main content, legacy encodings, DOCX, plain text and Markdown."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from mctext.errors import ExtractionError
from mctext.extract import extract_bytes, extract_file
from mctext.extract.html import extract_html
from mctext.extract.normalize import normalize_text
from mctext.extract.text import decode_text, extract_text, looks_like_markdown
from mctext.records import ExtractedDocument

ARTICLE = [
    "Micro-credentials certify the learning outcomes of short, transparently assessed courses.",
    "Each micro-credential states its level in the National Framework of Qualifications and its workload in ECTS credits.",
    "Learners can combine several micro-credentials into a larger award, which is what stackability means in practice.",
    "Providers must apply the same quality assurance to short courses as to full degree programmes.",
]


def check_page(doc: ExtractedDocument) -> str:
    """The invariants every one-page format keeps; returns the page text."""
    assert len(doc.pages) == 1 and doc.pages[0].number == 1
    page = doc.pages[0]
    assert normalize_text(page.text) == page.text
    for h in page.headings:
        assert page.text[h.start:h.end] == h.text and 1 <= h.level <= 6
    return page.text


def html_page(body_extra: str = "", charset: str = "utf-8") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in ARTICLE)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>Micro-credentials explained</title>
<style>body {{ color: red; }} .x {{ }}</style><script>var tracking = "cookieTracker"; console.log(1);</script>
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies. Accept all cookies | Manage cookie settings</div>
<header><nav class="main-menu"><ul><li><a href="/">Home menu item</a></li><li><a href="/jobs">Employment menu item</a></li>
<li><a href="/edu">Education menu item</a></li></ul></nav></header>
<main><article><h1>Micro-credentials explained</h1>
<h2>What is a micro-credential?</h2>
{paragraphs}
{body_extra}
<h2>Levels</h2>
<ul><li>Level 5: advanced certificate</li><li>Level 6: higher certificate</li></ul>
<table><tr><th>Award</th><th>NFQ level</th></tr><tr><td>Higher Certificate</td><td>6</td></tr></table>
</article></main>
<footer class="site-footer">Copyright footer text. Privacy statement. Accessibility footer link.</footer>
</body></html>"""


BOILERPLATE = ["cookie", "menu item", "footer", "tracking", "color: red", "console.log"]


def assert_article_only(text: str) -> None:
    """Every sentence of the article is there, and none of the page's boilerplate."""
    for sentence in ARTICLE:
        assert sentence in text
    for junk in BOILERPLATE:
        assert junk not in text.lower()


def test_html_main_content_without_boilerplate() -> None:
    doc = extract_html(html_page().encode(), Path("page.html"))
    text = check_page(doc)
    assert_article_only(text)
    assert doc.format == "html" and doc.title == "Micro-credentials explained"
    headings = [(h.level, h.text) for h in doc.pages[0].headings]
    assert (2, "What is a micro-credential?") in headings and (2, "Levels") in headings
    assert "Level 5: advanced certificate" in text and "Higher Certificate" in text
    assert "<" not in text and "|-" not in text and "| |" not in text  # no Markdown table syntax (cells: " | ")


def test_html_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    doc = extract_html(html_page().encode(), Path("page.html"))
    text = check_page(doc)
    assert_article_only(text)
    assert "- Level 5: advanced certificate" in text
    assert "Award | NFQ level" in text  # issue 15: cells joined with " | " (was "; ")
    assert [h.text for h in doc.pages[0].headings][:2] == ["Micro-credentials explained", "What is a micro-credential?"]


LEGACY = "Qualifikationsrahmen für lebenslanges Lernen: Zertifikate, Prüfungsgebühren – € 150 und „Validierung“."


@pytest.mark.parametrize(("encoding", "declared"), [
    ("windows-1252", "windows-1252"),
    ("windows-1252", "iso-8859-1"),  # the web's rule: a latin-1 label means windows-1252
    ("iso-8859-15", "iso-8859-15"),
    ("windows-1252", None),  # undeclared: charset-normalizer decides
])
def test_html_legacy_encodings(encoding: str, declared: str | None) -> None:
    text = LEGACY if encoding == "windows-1252" else LEGACY.replace("„", '"').replace("“", '"').replace("–", "-")
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' if declared else ""
    body = " ".join([text] * 6)
    html = f"<html><head>{meta}<title>Qualifikation</title></head><body><main><h1>Überblick</h1><p>{body}</p></main></body></html>"
    doc = extract_bytes(html.encode(encoding), Path("legacy.html"))
    page = check_page(doc)
    assert text in page
    assert doc.pages[0].headings[0].text == "Überblick"


def test_utf8_wins_over_a_wrong_declaration() -> None:
    html = f'<html><head><meta charset="windows-1252"></head><body><main><p>{LEGACY * 3}</p></main></body></html>'
    assert LEGACY in check_page(extract_bytes(html.encode("utf-8"), Path("mis.html")))


def test_xhtml_with_xml_declaration() -> None:
    body = "Die Qualifikation wird anerkannt und geprüft. " * 5
    xhtml = ('<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
             f"<head><title>Über</title></head><body><div><h1>Überblick</h1><p>{body}</p></div></body></html>")
    doc = extract_bytes(xhtml.encode("iso-8859-1"), Path("page.xhtml"))
    assert doc.title == "Über" and "anerkannt und geprüft" in check_page(doc)


def test_html_iso_8859_2_polish() -> None:
    text = "Zintegrowany System Kwalifikacji obejmuje mikropoświadczenia i walidację efektów uczenia się. " * 4
    html = ('<html><head><meta charset="iso-8859-2"></head><body><article><p>' + text + "</p></article></body></html>")
    page = check_page(extract_bytes(html.encode("iso-8859-2"), Path("pl.htm")))
    assert "mikropoświadczenia i walidację efektów" in page


def make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = "Stackable micro-credentials"
    d.add_heading("Stackable micro-credentials", level=1)
    d.add_paragraph(ARTICLE[0])
    d.add_heading("Quality assurance", level=2)
    d.add_paragraph("Providers commit to the following:")
    d.add_paragraph("publish learning outcomes;", style="List Bullet")
    d.add_paragraph("assess every learner.", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Award", "EQF level"
    table.cell(1, 0).text, table.cell(1, 1).text = "Certificate", "5"
    d.add_paragraph(ARTICLE[3])
    d.save(str(path))


def test_docx_paragraphs_tables_headings(tmp_path: Path) -> None:
    path = tmp_path / "mc.docx"
    make_docx(path)
    doc = extract_file(path)
    text = check_page(doc)
    assert doc.format == "docx" and doc.title == "Stackable micro-credentials"
    assert [(h.level, h.text) for h in doc.pages[0].headings] == [
        (1, "Stackable micro-credentials"), (2, "Quality assurance")]
    assert "Providers commit to the following:\n\n- publish learning outcomes;\n- assess every learner." in text
    assert "Award | EQF level\nCertificate | 5" in text  # issue 15: cells joined with " | " (was "; ")
    rows = [text[r.start : r.end] for r in doc.pages[0].regions if r.kind == "table_row"]
    assert rows == ["Award | EQF level", "Certificate | 5"]
    assert text.index(ARTICLE[0]) < text.index("Quality assurance") < text.index("Award") < text.index(ARTICLE[3])


def test_docx_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"This is not a Word file at all, just some bytes pretending.")
    with pytest.raises(ExtractionError, match="^not a valid DOCX"):
        extract_file(path)


def test_docx_zip_without_document_xml(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not word")
    with pytest.raises(ExtractionError, match="^not a valid DOCX: .*word/document.xml"):
        extract_bytes(buf.getvalue(), tmp_path / "x.docx")


def test_docx_truncated(tmp_path: Path) -> None:
    path = tmp_path / "mc.docx"
    make_docx(path)
    data = path.read_bytes()
    with pytest.raises(ExtractionError, match="^not a valid DOCX"):
        extract_bytes(data[: len(data) // 2], path)


MARKDOWN = """---
title: "Micro-credential act"
---
# Micro-credential act

Intro paragraph with **bold**, *emphasis*, `code` and a [link](https://example.org/x "t").
It wraps onto a second line.

Setext heading
--------------

- first item
- second item
  continues here

| Award | Level |
|-------|------:|
| Certificate | 5 |

```
raw code line
```

![logo](logo.png)
Final paragraph.
"""


def test_markdown_headings_and_markup_dropped() -> None:
    doc = extract_text(MARKDOWN.encode(), Path("act.md"), markdown=True)
    text = check_page(doc)
    assert [(h.level, h.text) for h in doc.pages[0].headings] == [(1, "Micro-credential act"), (2, "Setext heading")]
    assert "Intro paragraph with bold, emphasis, code and a link. It wraps onto a second line." in text
    assert "- first item\n- second item continues here" in text
    assert "Award | Level\nCertificate | 5" in text  # issue 15: cells joined with " | " (was "; ")
    assert [text[r.start : r.end] for r in doc.pages[0].regions if r.kind == "table_row"] == [
        "Award | Level", "Certificate | 5"]
    assert "raw code line" in text
    for junk in ("**", "](", "https://", "|-", "```", "---", "logo", "title:"):
        assert junk not in text
    assert doc.title == "Micro-credential act" and doc.format == "md"


def test_plain_text_paragraphs_and_encodings() -> None:
    raw = "Validering av kunskap\när viktig.\n\nAndra stycket:\n- punkt ett\n- punkt två\n"
    for data in (raw.encode("utf-8"), raw.encode("utf-16"), codecs_bom_utf8(raw), raw.encode("cp1252")):
        doc = extract_bytes(data, Path("note.txt"))
        text = check_page(doc)
        assert text == "Validering av kunskap är viktig.\n\nAndra stycket:\n- punkt ett\n- punkt två"
        assert doc.format == "txt" and doc.pages[0].headings == []


def codecs_bom_utf8(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def test_txt_that_is_markdown_is_read_as_markdown() -> None:
    assert looks_like_markdown("# Titel\n\nText.")
    assert not looks_like_markdown("Plain text with a # sign inside.\n\nMore.")
    doc = extract_bytes("# Titel\n\nText med [länk](/a/b).".encode(), Path("x.txt"))
    assert check_page(doc) == "Titel\n\nText med länk." and doc.pages[0].headings[0].text == "Titel"


def test_binary_text_refused() -> None:
    with pytest.raises(ExtractionError, match="binary"):
        decode_text(b"\x00\x01\x02garbage\x00" * 10)


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Micro-credentials\\par}", "notes.txt", "RTF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "strategy.doc", "legacy or password-protected"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "locked.docx", "encrypted .docx"),
])
def test_formats_we_do_not_read_are_named(data: bytes, name: str, said: str) -> None:
    with pytest.raises(ExtractionError, match="unsupported format") as info:
        extract_bytes(data, Path(name))
    assert said in str(info.value) and "DOCX or PDF" in str(info.value)


def test_empty_and_whitespace() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        extract_bytes(b"", Path("e.txt"))
    doc = extract_bytes(b"  \n\n ", Path("w.txt"))
    assert doc.pages[0].text == "" and doc.pages[0].status == "empty"


# ------------------------------------------------------------------ the real originals


@pytest.mark.slow
def test_real_html_pages(original_dir: Path) -> None:
    pages = sorted(original_dir.glob("*.html"))
    assert pages
    for path in pages:
        doc = extract_file(path)
        text = check_page(doc)
        assert len(text) > 2000, path.name
        assert doc.title and doc.pages[0].headings, path.name
        lowered = text.lower()
        for junk in ("cookie", "skip to main content", "accessibility statement", "privacy statement"):
            assert junk not in lowered, (path.name, junk)
    en = extract_file(original_dir / "IE_citizensinformation_third_level_education_nfq_en.html").pages[0].text
    assert "National Framework of Qualifications" in en


@pytest.mark.slow
def test_real_docx_md_txt(original_dir: Path) -> None:
    files = [p for p in sorted(original_dir.iterdir()) if p.suffix in (".docx", ".md", ".txt")]
    assert files
    for path in files:
        doc = extract_file(path)
        text = check_page(doc)
        assert len(text) > 300, path.name
        for junk in ("](", "**", "```"):
            assert junk not in text, (path.name, junk)
    docx_text = extract_file(next(original_dir.glob("*.docx"))).pages[0].text
    assert "Micro-Credential Meta-data Standard" in docx_text and " | " in docx_text  # table rows
    bbig = extract_file(original_dir / "DE_bbig_berufsbildungsgesetz_2020_de.md")
    assert any(h.text.startswith("§ 1 ") for h in bbig.pages[0].headings)
    assert "jurabk" not in bbig.pages[0].text  # front matter dropped


def test_html_list_of_links_kept_under_its_lead_in() -> None:
    """A list whose items are links (it looks like navigation to trafilatura) stays, in order,
    under the paragraph that announces it (issue 15)."""
    para = "<p>Third-level education in Ireland is provided by universities, technological universities and colleges. " * 3
    html = (
        "<html><head><title>Third-level education</title></head><body><main><article>"
        f"<h1>Third-level education</h1>{para}</p><h3>Institutes of technology</h3>"
        "<p>There are 2 institutes of technology:</p><ul>"
        '<li><a href="https://www.iadt.ie/">Institute of Art, Design and Technology (IADT)</a>, Dun Laoghaire</li>'
        '<li><a href="https://www.dkit.ie/">Dundalk Institute of Technology</a></li></ul>'
        f"<h3>Colleges of education</h3>{para}</p></article></main></body></html>"
    )
    text = extract_html(html.encode(), Path("page.html")).pages[0].text
    assert (
        "There are 2 institutes of technology:\n\n- Institute of Art, Design and Technology (IADT), Dun Laoghaire\n"
        "- Dundalk Institute of Technology\n\nColleges of education"
    ) in text


def test_list_glued_onto_its_lead_in_is_split_back_into_items() -> None:
    """A scraper artefact (Norwegian law exports): the lead-in with its items run together
    ("skaltilby ...utføre ..."), then the items again as paragraphs. The paragraph is cut back
    to its lead-in and the items become its list, so no quote glues words."""
    items = ["tilby høyere utdanning", "utføre forskning", "bidra til livslang læring."]
    md = "# § 2-1\n\nUniversiteter og høyskoler skal" + "".join(items) + "\n\n" + "\n\n".join(items) + "\n\nNeste avsnitt."
    text = extract_text(md.encode(), Path("lov.md"), markdown=True).pages[0].text
    assert "skaltilby" not in text
    assert "Universiteter og høyskoler skal\n\n- tilby høyere utdanning\n- utføre forskning\n- bidra til livslang læring." in text
    assert text.endswith("Neste avsnitt.")


def test_paragraph_merely_ending_like_the_next_one_is_kept() -> None:
    """Only an exact run of two or more following paragraphs counts: a paragraph that ends with
    the next paragraph's words alone (a repeated sentence) is not a glued list."""
    md = "First part. The rule applies.\n\nThe rule applies.\n\nOther text here."
    text = extract_text(md.encode(), Path("x.md"), markdown=True).pages[0].text
    assert text == "First part. The rule applies.\n\nThe rule applies.\n\nOther text here."


@pytest.mark.slow
def test_real_norwegian_law_lists_not_glued(original_dir: Path) -> None:
    path = original_dir / "NO_lov2024-03-08-9_universitets-og-hoyskoleloven_2024_no.md"
    if not path.is_file():
        pytest.skip(f"{path.name} not in the corpus")
    text = extract_file(path).pages[0].text
    assert "skaltilby" not in text and "utviklingsarbeidbidra" not in text
    assert "Universiteter og høyskoler skal\n\n- tilby høyere utdanning" in text
