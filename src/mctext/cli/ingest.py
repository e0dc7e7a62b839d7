"""`mctext extract FILE` and `mctext segment FILE`: one document's clean text and segments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
    app.command("segment")(segment_command)


def _fail(path: Path, reason: str) -> NoReturn:
    typer.echo(f"mctext: {path}: {reason}", err=True)
    raise typer.Exit(1)


def _extract(path: Path, ocr: bool) -> tuple[bytes, object]:
    """The file's bytes and its ExtractedDocument, or a one-line reason and exit 1."""
    from mctext.errors import ExtractionError
    from mctext.extract import extract_bytes

    try:
        data = path.read_bytes()
    except OSError as exc:
        _fail(path, f"cannot read file: {exc.strerror or exc}")
    try:
        return data, extract_bytes(data, path, ocr=ocr)
    except ExtractionError as exc:
        _fail(path, str(exc))


def extract_command(
    file: Annotated[Path, typer.Argument(help="A PDF, DOCX, HTML, Markdown or text file.")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per page.")] = False,
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="Do not OCR image-only pages.")] = False,
) -> None:
    """Print the clean text of each page (with --jsonl: page, text, status, furniture, headings)."""
    _, extracted = _extract(file, not no_ocr)
    for page in extracted.pages:  # type: ignore[attr-defined]
        if jsonl:
            typer.echo(json.dumps({
                "page": page.number, "text": page.text, "status": page.status,
                "furniture": page.furniture,
                "headings": [{"start": h.start, "end": h.end, "level": h.level, "text": h.text} for h in page.headings],
            }, ensure_ascii=False))
        else:
            typer.echo(f"=== page {page.number} [{page.status}] ===")
            if page.furniture:
                typer.echo(f"(furniture: {' | '.join(page.furniture)})")
            typer.echo(page.text)
            typer.echo("")


def segment_command(
    file: Annotated[Path, typer.Argument(help="A PDF, DOCX, HTML, Markdown or text file.")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per segment.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="ISO 639-1 language (default: detected).")] = "",
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="Do not OCR image-only pages.")] = False,
) -> None:
    """Print the document's segments (with --jsonl: id, doc_id, page, page_end, start, end, text, lang, section,
    kind, context)."""
    from mctext.corpus import detect_language
    from mctext.records import doc_id_from_sha256, sha256_bytes
    from mctext.segment import segment_pages

    data, extracted = _extract(file, not no_ocr)
    pages = extracted.pages  # type: ignore[attr-defined]
    language = lang.strip().lower() or detect_language("\n\n".join(p.text for p in pages)) or "xx"
    for seg in segment_pages(pages, doc_id_from_sha256(sha256_bytes(data)), language):
        if jsonl:
            typer.echo(json.dumps(seg.to_dict(), ensure_ascii=False))
        else:
            pages_of = f"p{seg.page}" if seg.page_end == seg.page else f"p{seg.page}-{seg.page_end}"
            where = f"{pages_of} {seg.start}-{seg.end} {seg.kind}"
            context = f"[{seg.context}] " if seg.context else ""
            typer.echo(f"[{where}] {seg.section + ' | ' if seg.section else ''}{context}{seg.text}")
