"""Plain text and Markdown: decode, strip markup, record headings.

Also the shared machinery of the one-page formats (HTML and DOCX reuse it):
``decode_text`` (BOM, UTF-8, then charset-normalizer for legacy encodings),
``markdown_blocks`` (Markdown -> (text, heading level) blocks; HTML goes through
trafilatura's Markdown output) and ``assemble`` (blocks -> clean page text with
heading offsets that index the final text exactly).

Clean-text conventions shared by every one-page format:
- blocks (paragraphs, headings, lists, tables) are separated by one blank line;
- a paragraph's soft line breaks become spaces;
- list items sit one per line, unordered ones as ``- item``, ordered ones keep
  their number (``1. item``), so the segmenter can see items;
- table rows sit one per line, cells joined by ``" | "``, each row a ``table_row``
  region (``Page.regions``), like a PDF's tables; a code block is one ``code`` region.

A block is ``(text, heading level)`` or ``(text, 0, region kind)``.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from mctext.errors import ExtractionError
from mctext.extract.normalize import drop_invisible, normalize_text, unify_newlines
from mctext.records import (
    KIND_CODE,
    KIND_TABLE_ROW,
    PAGE_EMPTY,
    PAGE_OK,
    ExtractedDocument,
    Heading,
    Page,
    Region,
)

TABLE_CELL_SEP = " | "
Block = tuple[str, int] | tuple[str, int, str]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy code pages of European documents, most common first (charset-normalizer's names).
LEGACY_ENCODINGS = ("cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1257", "iso8859_13", "cp1253",
                    "iso8859_7", "cp1251", "iso8859_5")
# Labels that, as on the web, really mean windows-1252 (a superset that decodes 0x80-0x9f).
_WEB_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso-8859-1": "cp1252"}


def canonical_encoding(label: str) -> str | None:
    """Python codec name for an encoding label, or None when Python does not know it."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _WEB_ALIASES.get(name, name)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes -> str: BOM first, then UTF-8, a declared encoding, and charset-normalizer's guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:4096]:
        raise ExtractionError("binary data, not text (NUL bytes and no UTF-16 byte-order mark)")
    candidates = [canonical_encoding(declared)] if declared else []
    for encoding in ["utf-8", *candidates]:  # valid UTF-8 is UTF-8, whatever a page declares
        if encoding is None:
            continue
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return _guess_legacy(data)


def _guess_legacy(data: bytes) -> str:
    """charset-normalizer, limited to the legacy encodings of European documents.

    Ties (short texts fit several code pages equally well) go to the more common
    encoding, in the order of ``LEGACY_ENCODINGS``.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS))) or list(from_bytes(data))
    if not matches:
        raise ExtractionError("cannot decode text: unknown character encoding")

    def rank(match: object) -> tuple[float, float, int]:
        encoding = match.encoding  # type: ignore[attr-defined]
        order = LEGACY_ENCODINGS.index(encoding) if encoding in LEGACY_ENCODINGS else len(LEGACY_ENCODINGS)
        return (round(match.chaos, 3), -round(match.coherence, 3), order)  # type: ignore[attr-defined]

    return str(min(matches, key=rank))


# ---------------------------------------------------------------- blocks -> page


def assemble(blocks: list[Block]) -> tuple[str, list[Heading], list[Region]]:
    """Join blocks (level 0 = body) into clean text; headings and regions index that text.

    A ``table_row`` block gives one region per line (row), a ``code`` block one region."""
    parts: list[str] = []
    headings: list[Heading] = []
    regions: list[Region] = []
    pos = 0
    for raw, level, *kind in blocks:
        text = re.sub(r"\n{2,}", "\n", normalize_text(raw))
        if level:
            text = text.replace("\n", " ")
        if not text:
            continue
        if parts:
            pos += 2
        if level:
            headings.append(Heading(start=pos, end=pos + len(text), level=level, text=text))
        if kind and kind[0] == KIND_TABLE_ROW:
            at = pos
            for row in text.split("\n"):
                regions.append(Region(at, at + len(row), KIND_TABLE_ROW))
                at += len(row) + 1
        elif kind:
            regions.append(Region(pos, pos + len(text), kind[0]))
        parts.append(text)
        pos += len(text)
    return "\n\n".join(parts), headings, regions


def unglue_lists(blocks: list[Block], max_items: int = 60) -> list[Block]:
    """Undo a scraper artefact: a paragraph that ends with its list's items run together.

    Some legal-text exports (seen in Norwegian law texts) write a list's lead-in with every
    item glued on without a space ("... skal" + "tilby ..." + "utføre ..." -> "skaltilby
    ...utføre ..."), then the items again as paragraphs. Quoted as found that is garbage, so
    when a body paragraph ends with the exact concatenation of the 2 or more body paragraphs
    that follow it, it is cut back to its lead-in and those paragraphs become the lead-in's
    list items (one per line, ``- item``), as the segmenter expects of a list.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        items = _glued_items(blocks, i, max_items)
        if not items:
            out.append(block)
            i += 1
            continue
        glued = "".join(items)
        lead = block[0].strip()[: -len(glued)].strip()
        if lead:
            out.append((lead, 0))
        out.append(("\n".join(f"- {item}" for item in items), 0))
        i += 1 + len(items)
    return out


def _glued_items(blocks: list[Block], i: int, max_items: int) -> list[str]:
    """The body paragraphs after ``blocks[i]`` whose concatenation ``blocks[i]`` ends with (>= 2), or []."""
    if len(blocks[i]) != 2 or blocks[i][1]:
        return []
    text = blocks[i][0].strip()
    items: list[str] = []
    glued = ""
    for block in blocks[i + 1 : i + 1 + max_items]:
        if len(block) != 2 or block[1] or "\n" in block[0]:
            break
        items.append(block[0].strip())
        glued += items[-1]
        if len(glued) >= len(text):
            break
        if len(items) >= 2 and text.endswith(glued):
            return items
    return []


def single_page_document(blocks: list[Block], fmt: str, title: str = "", raw_text: str = "") -> ExtractedDocument:
    """The one-page ExtractedDocument of a non-paginated format."""
    text, headings, regions = assemble(unglue_lists(blocks))
    status = PAGE_OK if text else PAGE_EMPTY
    if not title and headings:
        title = headings[0].text
    page = Page(number=1, text=text, status=status, raw_text=raw_text, headings=headings, regions=regions)
    warnings = [] if text else ["page 1: no text"]
    return ExtractedDocument(pages=[page], format=fmt, title=title, warnings=warnings)


# ---------------------------------------------------------------- Markdown

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n(.*?\n)(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_TITLE = re.compile(r"^title\s*[:=]\s*[\"']?(.*?)[\"']?\s*$", re.I | re.M)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_1 = re.compile(r"^ {0,3}=+[ \t]*$")
_SETEXT_2 = re.compile(r"^ {0,3}-+[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")
_DEFINITION = re.compile(r"^:\s+")
# List items: "- x", "* x", "+ x", "• x", "1. x", "1) x", "a) x", "(a) x", "(iv) x".
_ITEM = re.compile(r"^(\s*)([-*+•▪◦]|\d{1,3}[.)]|\(?[a-zA-Z]{1,4}\)|\(\d{1,3}\))[ \t]+(\S.*)$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)

# Inline markup.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_IMAGE = re.compile(r"!\[[^\]]*\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRIKE = re.compile(r"~~(.+?)~~")
_STARS = re.compile(r"(?<![\s*])\*{1,3}|\*{1,3}(?![\s*])")
_UNDERSCORES = re.compile(r"(?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)")
_PLACEHOLDER_BASE = 0xE000  # private-use characters stand in for escaped markup characters


def clean_inline(text: str) -> str:
    """Drop inline Markdown syntax (emphasis, links' URLs, images, code ticks, HTML tags)."""
    escaped: list[str] = []

    def _hold(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return chr(_PLACEHOLDER_BASE + len(escaped) - 1)

    text = _ESCAPE.sub(_hold, text)
    text = _CODE.sub(lambda m: _hold_all(m.group(2), escaped), text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _STRIKE.sub(r"\1", text)
    text = _STARS.sub("", text)
    text = _UNDERSCORES.sub("", text)
    for i, original in enumerate(escaped):
        text = text.replace(chr(_PLACEHOLDER_BASE + i), original)
    return text


def _hold_all(code: str, escaped: list[str]) -> str:
    """Protect code spans from emphasis stripping: each character becomes a placeholder."""
    out = []
    for ch in code:
        escaped.append(ch)
        out.append(chr(_PLACEHOLDER_BASE + len(escaped) - 1))
    return "".join(out)


def split_front_matter(text: str) -> tuple[str, str]:
    """(title from YAML/TOML front matter or "", text without the front matter)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", text
    title = _FRONT_TITLE.search(match.group(1))
    return (title.group(1).strip() if title else ""), text[match.end():]


def _table_row(line: str) -> str:
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return TABLE_CELL_SEP.join(c for c in (clean_inline(c).strip() for c in cells) if c)


class _Builder:
    """Accumulates the current block while the Markdown lines are walked."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []  # lines of the current block (list items / rows each one line)
        self.kind = ""  # "" | para | list | table | code

    def flush(self) -> None:
        if self.lines:
            text = "\n".join(self.lines)
            if self.kind != "code":
                text = clean_inline(text) if self.kind != "table" else text
            region = {"table": KIND_TABLE_ROW, "code": KIND_CODE}.get(self.kind)
            self.blocks.append((text, 0, region) if region else (text, 0))
        self.lines, self.kind = [], ""

    def heading(self, text: str, level: int) -> None:
        self.flush()
        text = clean_inline(text).strip()
        if text:
            self.blocks.append((text, level))

    def add(self, line: str, kind: str, new_line: bool) -> None:
        if self.kind and self.kind != kind:
            self.flush()
        if not self.kind:
            self.kind = kind
        if new_line or not self.lines:
            self.lines.append(line)
        else:
            self.lines[-1] = f"{self.lines[-1]} {line}"


def markdown_blocks(text: str) -> tuple[str, list[Block]]:
    """Markdown -> (front-matter title, [(block text, heading level or 0)])."""
    title, text = split_front_matter(drop_invisible(unify_newlines(text)))
    text = _HTML_COMMENT.sub("", text)
    lines = text.split("\n")
    out = _Builder()
    fence = ""
    for line in lines:
        if fence:
            if line.strip().startswith(fence):
                fence = ""
                out.flush()
            else:
                out.add(line, "code", new_line=True)
            continue
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        if not line.strip():
            out.flush()
            continue
        if m := _FENCE.match(line):
            out.flush()
            fence = m.group(1)[:3]
            continue
        if m := _ATX.match(line):
            out.heading(m.group(2) or "", len(m.group(1)))
            continue
        if out.kind == "para" and len(out.lines) >= 1 and (_SETEXT_1.match(line) or _SETEXT_2.match(line)):
            heading_text = " ".join(out.lines)
            out.lines, out.kind = [], ""
            out.heading(heading_text, 1 if _SETEXT_1.match(line) else 2)
            continue
        if _HR.match(line) or _REF_DEF.match(line):
            out.flush()
            continue
        if _TABLE_SEP.match(line):
            if out.kind == "para" and out.lines and "|" in out.lines[-1]:
                header = out.lines.pop()
                out.flush()
                out.add(_table_row(header), "table", new_line=True)
                out.kind = "table"
            continue
        if out.kind == "table" and "|" in line:
            out.add(_table_row(line), "table", new_line=True)
            continue
        if m := _ITEM.match(line):
            marker = m.group(2)
            marker = "-" if marker in "-*+•▪◦" else marker
            out.add(f"{marker} {m.group(3).strip()}", "list", new_line=True)
            continue
        stripped = _DEFINITION.sub("", line.strip())
        if out.kind == "list":
            out.add(stripped, "list", new_line=False)  # continuation of the current item
        else:
            out.add(stripped, "para", new_line=False)
    out.flush()
    return title, out.blocks


def plain_blocks(text: str) -> list[Block]:
    """Plain text: paragraphs at blank lines; hard-wrapped lines rejoined; list items kept as lines."""
    blocks: list[Block] = []
    for para in re.split(r"\n[ \t]*\n", drop_invisible(unify_newlines(text))):
        lines: list[str] = []
        for line in para.split("\n"):
            line = line.strip()
            if not line:
                continue
            if lines and not _ITEM.match(line):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        if lines:
            blocks.append(("\n".join(lines), 0))
    return blocks


_MD_SIGNS = re.compile(r"^ {0,3}#{1,6}[ \t]+\S|\]\((?:https?://|/)[^)]*\)|^\s*\|.*\|\s*$|^ {0,3}```", re.M)


_ATX_START = re.compile(r"#{1,6}[ \t]+\S")


def looks_like_markdown(text: str) -> bool:
    """A .txt that is really Markdown (opens with an ATX heading, or shows two signs of
    Markdown: headings, links, pipe tables, fences) is read as Markdown."""
    if _ATX_START.match(text.lstrip("\ufeff \t\r\n")[:300]):
        return True
    return len(_MD_SIGNS.findall(text[:20000])) >= 2


def extract_text(data: bytes, path: Path, *, ocr: bool = True, markdown: bool = False) -> ExtractedDocument:
    """A .txt or .md file as one clean page (OCR does not apply)."""
    text = decode_text(data)
    if not markdown and looks_like_markdown(text):
        markdown = True
    if markdown:
        title, blocks = markdown_blocks(text)
        return single_page_document(blocks, "md", title=normalize_text(title), raw_text=text)
    return single_page_document(plain_blocks(text), "txt", raw_text=text)
