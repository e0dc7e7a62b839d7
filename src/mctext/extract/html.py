"""HTML: the main content of a web page as one clean page.

trafilatura finds the main content (favouring recall, keeping headings, lists and
tables) and gives it as Markdown, which goes through the same Markdown reader as
.md files, so headings, list items and table rows follow one convention. When
trafilatura finds nothing (tiny or unusual pages), a small boilerplate-stripping
walk of our own over the lxml tree takes over.
"""

from __future__ import annotations

import re
from pathlib import Path

from mctext.errors import ExtractionError
from mctext.extract.normalize import normalize_text
from mctext.extract.text import (
    TABLE_CELL_SEP,
    Block,
    decode_text,
    markdown_blocks,
    single_page_document,
)
from mctext.records import KIND_TABLE_ROW, ExtractedDocument

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_MIN_MAIN_TEXT = 20  # characters: below this, trafilatura's answer is treated as "nothing found"

# The fallback: elements that are never main content, and class/id names of boilerplate.
_DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "svg", "button", "template", "select", "input", "menu", "dialog", "object", "canvas"}
_BOILERPLATE = re.compile(
    r"cookie|consent|gdpr|banner|navbar|\bnav\b|navigation|menu|breadcrumb|footer|header|sidebar|"
    r"skip-?link|share|social|newsletter|popup|modal|advert|\bads?\b", re.I)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "div", "section", "article", "main", "ul", "ol", "table", "blockquote", "pre", "dl",
           "dt", "dd", "figure", "figcaption", "address", "li", "tr", "details", "summary", *_HEADINGS}


def declared_encoding(data: bytes) -> str | None:
    """The charset a page declares in <meta> or its XML declaration (first 4 KiB)."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def extract_html(data: bytes, path: Path, *, ocr: bool = True) -> ExtractedDocument:
    """A web page -> one page of main-content text with headings."""
    # Once decoded, an XML declaration's encoding is stale, and lxml refuses str input with one.
    html = _XML_DECLARATION.sub("", decode_text(data, declared_encoding(data)), count=1)
    try:
        import lxml.html

        tree = lxml.html.document_fromstring(html)
    except Exception as exc:  # lxml raises ParserError/ValueError on pages with no elements
        raise ExtractionError(f"not a readable HTML page: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    title = _title(tree)
    blocks = _trafilatura_blocks(html)
    blocks = _fallback_blocks(tree) if blocks is None else restore_lists(blocks, tree)
    return single_page_document(blocks, "html", title=title, raw_text=html)


def _title(tree: object) -> str:
    for xpath in ("//title", "//h1"):
        for element in tree.xpath(xpath):  # type: ignore[attr-defined]
            text = normalize_text(" ".join(element.itertext())).replace("\n", " ")
            if text:
                return text
    return ""


def _trafilatura_blocks(html: str) -> list[Block] | None:
    import trafilatura

    markdown = trafilatura.extract(
        html, output_format="markdown", favor_recall=True, include_tables=True,
        include_formatting=True, include_links=False, include_images=False,
        include_comments=False, deduplicate=False, with_metadata=False,
    )
    if not markdown or len(markdown.strip()) < _MIN_MAIN_TEXT:
        return None
    return markdown_blocks(markdown)[1]


def _text_of(element: object) -> str:
    text = " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]
    return text


def _is_boilerplate(element: object) -> bool:
    tag = element.tag  # type: ignore[attr-defined]
    if not isinstance(tag, str) or tag in _DROP_TAGS:
        return True
    if element.get("role") in ("navigation", "banner", "contentinfo", "dialog", "alert"):  # type: ignore[attr-defined]
        return True
    if element.get("aria-hidden") == "true" or element.get("hidden") is not None:  # type: ignore[attr-defined]
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}"  # type: ignore[attr-defined]
    return bool(_BOILERPLATE.search(names)) and tag not in ("body", "main", "article")


def _fallback_blocks(tree: object) -> list[Block]:
    """Main content without trafilatura: <main>/<article> if any, boilerplate subtrees dropped."""
    roots = tree.xpath("//main|//*[@role='main']|//article")  # type: ignore[attr-defined]
    body = tree.find("body")  # type: ignore[attr-defined]
    root = roots[0] if roots else (body if body is not None else tree)
    blocks: list[Block] = []
    _walk(root, blocks)
    return blocks


def _walk(element: object, blocks: list[Block]) -> None:
    if element.text and element.text.strip():  # type: ignore[attr-defined]
        blocks.append((element.text, 0))  # type: ignore[attr-defined]
    for child in element:  # type: ignore[attr-defined]
        if _is_boilerplate(child):
            pass
        elif child.tag in _HEADINGS:
            blocks.append((_text_of(child), _HEADINGS[child.tag]))
        elif child.tag in ("ul", "ol"):
            blocks.append(("\n".join(_list_lines(child)), 0))
        elif child.tag == "table":
            rows = [TABLE_CELL_SEP.join(t for t in (_text_of(c) for c in tr if c.tag in ("td", "th")) if t)
                    for tr in child.iter("tr")]
            blocks.append(("\n".join(r for r in rows if r), 0, KIND_TABLE_ROW))
        elif any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in child):
            _walk(child, blocks)
        else:
            blocks.append((_text_of(child), 0))
        if child.tail and child.tail.strip():
            blocks.append((child.tail, 0))


def _list_lines(element: object) -> list[str]:
    """A <ul>/<ol> as list lines ("- item", "1. item"), links and all."""
    items = [li for li in element if li.tag == "li" and not _is_boilerplate(li)]  # type: ignore[attr-defined]
    markers = [f"{i}." if element.tag == "ol" else "-" for i in range(1, len(items) + 1)]  # type: ignore[attr-defined]
    return [f"{m} {_text_of(li)}" for m, li in zip(markers, items, strict=True) if _text_of(li)]


def _squash(text: str) -> str:
    return " ".join(text.split())


def restore_lists(blocks: list[Block], tree: object) -> list[Block]:
    """Lists the main-content finder dropped (lists of links look like navigation to it)
    put back under their lead-in: a paragraph ending in ":" that the page follows with a
    <ul>/<ol>, but our blocks follow with something else ("There are 2 institutes of
    technology:" and its two linked names)."""
    after: dict[str, list[str]] = {}
    for element in tree.xpath("//ul|//ol"):  # type: ignore[attr-defined]
        lead = element.getprevious()
        text = _squash(_text_of(lead)) if lead is not None and isinstance(lead.tag, str) else ""
        if text.endswith(":") and (lines := _list_lines(element)):
            after.setdefault(text, lines)
    if not after:
        return blocks
    out: list[Block] = []
    for i, block in enumerate(blocks):
        out.append(block)
        text = _squash(block[0])
        lines = after.get(text) if not block[1] else None
        nxt = blocks[i + 1][0].lstrip() if i + 1 < len(blocks) else ""
        if lines and not nxt.startswith(("- ", "1.")):
            out.append(("\n".join(lines), 0))
    return out
