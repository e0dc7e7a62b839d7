"""A corpus folder: which files to read, what MANIFEST.csv says, and document identity.

``discover`` finds the documents (recursively, hidden files and symlink loops
skipped), ``read_manifest`` reads the optional MANIFEST.csv, and
``describe_document`` builds the ``Document`` row: manifest values win; what the
manifest does not give is inferred (language with lingua, country and year from the
file name, then from the text).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from mctext.config import NO_COUNTRY, RUN_MARKER
from mctext.errors import MctextError
from mctext.records import (
    PAGE_FAILED,
    PAGE_NO_TEXT_LAYER,
    PAGE_OCR,
    PAGE_OK,
    Document,
    ExtractedDocument,
    doc_id_from_sha256,
    sha256_bytes,
)

log = logging.getLogger(__name__)

MANIFEST_NAME = "MANIFEST.csv"
MANIFEST_COLUMNS = ("file", "title", "country", "language", "year", "doc_type")
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".html", ".htm", ".docx", ".txt", ".md"})
_SKIP_SUFFIXES = (".truth.json",)
LANGUAGE_SAMPLE_CHARS = 4000  # lingua on a few thousand characters is as sure as on the whole text
COUNTRY_SAMPLE_CHARS = 20000
_NOT_A_COUNTRY = NO_COUNTRY  # file-name prefixes for international documents (one definition: config)
_CODE_ALIASES = {"UK": "GB", "EL": "GR"}
_LEADING_CODE = re.compile(r"^([A-Za-z]{2})(?=[_\-\s.])")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


@dataclass
class SourceFile:
    """One document file of a corpus and its MANIFEST row ({} without one)."""

    path: Path  # absolute
    rel: str  # posix path relative to the corpus root
    manifest: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------ discovery


def read_manifest(corpus_dir: str | Path) -> dict[str, dict[str, str]]:
    """MANIFEST.csv rows keyed by their ``file`` column ({} when there is no manifest).

    Extra columns are kept; a manifest without a ``file`` column is refused. A row with
    more cells than the header (an unquoted comma inside a cell, as hand-edited manifests
    have) is realigned by ``_realign`` and logged with its line number.
    """
    path = Path(corpus_dir) / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MctextError(f"{path}: cannot read the manifest: {exc}") from exc
    reader = csv.reader(io.StringIO(text))
    columns = [c.strip() for c in next(reader, [])]
    if "file" not in columns:
        raise MctextError(f"{path}: the manifest has no 'file' column (columns: {', '.join(columns)})")
    missing = [c for c in MANIFEST_COLUMNS if c not in columns]
    if missing:
        log.warning("%s: manifest lacks columns %s; they will be inferred", path, ", ".join(missing))
    rows: dict[str, dict[str, str]] = {}
    for cells in reader:
        realigned = _realign(columns, cells)
        if realigned is not cells:
            log.warning("%s: line %d looks shifted by an unquoted comma; realigned", path, reader.line_num)
            cells = realigned
        row = {name: (cells[i] if i < len(cells) else "").strip() for i, name in enumerate(columns)}
        name = row.get("file", "").replace("\\", "/").lstrip("./")
        if name:
            rows[name] = row
    return rows


def _plausible_cells(row: dict[str, str]) -> int:
    """How many of the checkable manifest cells hold a value of the right shape."""
    checks = (
        re.fullmatch(r"[A-Za-z]{2}", row.get("country", "").strip()),
        re.fullmatch(r"[a-z]{2,3}", row.get("language", "").strip()),
        re.fullmatch(r"\d{4}", row.get("year", "").strip()),
    )
    return sum(1 for ok in checks if ok)


def _realign(columns: list[str], cells: list[str]) -> list[str]:
    """Merge cells that an unquoted comma split apart back into one column.

    A row is suspect when it has more cells than the header, or when its country,
    language or year cell has the wrong shape (a trailing empty cell may have been
    dropped too). Every column is tried as the one holding the stray comma(s); the
    merge that makes the most checkable cells look right wins, and only if it beats
    the row as it stands. Returns ``cells`` itself when nothing better is found.
    """
    def score(candidate: list[str]) -> int:
        return _plausible_cells(dict(zip(columns, (c.strip() for c in candidate), strict=False)))

    current = score(cells)
    checkable = sum(1 for c in ("country", "language", "year") if c in columns)
    if len(cells) <= len(columns) and current == checkable:
        return cells
    surplus = max(1, len(cells) - len(columns))
    best, best_key = cells, (current, False)
    for i in range(1, len(cells) - surplus):  # the file name (column 0) is never the culprit
        parts = cells[i : i + surplus + 1]
        merged = cells[:i] + [",".join(parts)] + cells[i + surplus + 1 :]
        # Among equally plausible merges, prefer prose: a comma followed by a space.
        key = (score(merged), all(p.startswith(" ") for p in parts[1:]))
        if key > best_key:
            best, best_key = merged, key
    return best if best_key[0] > current else cells


def manifest_row(manifest: dict[str, dict[str, str]], rel: str) -> dict[str, str]:
    """The row of a file: by its relative path, else by its file name."""
    if rel in manifest:
        return manifest[rel]
    name = rel.rsplit("/", 1)[-1]
    if name in manifest:
        return manifest[name]
    return next((row for key, row in manifest.items() if key.rsplit("/", 1)[-1] == name), {})


def _is_document(name: str) -> bool:
    if _is_ours(name):
        return False
    return os.path.splitext(name)[1].lower() in DOCUMENT_EXTENSIONS


def _is_ours(name: str) -> bool:
    """Hidden files, the manifest and ground-truth files: never documents, never worth a word."""
    return name.startswith(".") or name == MANIFEST_NAME or name.lower().endswith(_SKIP_SUFFIXES)


def discover(corpus_dir: str | Path) -> list[SourceFile]:
    """The documents under ``corpus_dir``, sorted by relative path.

    Symlinked folders are followed once (each real folder is visited once, so a
    link loop ends); hidden files and folders, MANIFEST.csv and *.truth.json are
    skipped; unreadable files and folders are skipped with a warning.
    """
    root = Path(corpus_dir).absolute()
    if not root.is_dir():
        raise MctextError(f"corpus folder not found: {corpus_dir}")
    manifest = read_manifest(root)
    visited: set[str] = set()
    found: list[SourceFile] = []
    unread: Counter[str] = Counter()  # extension -> files left out

    def warn(exc: OSError) -> None:
        log.warning("skipped unreadable folder %s: %s", exc.filename, exc.strerror or exc)

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=warn):
        real = os.path.realpath(dirpath)
        if real in visited:
            log.warning("skipped %s: already visited (symlink loop or duplicate link)", dirpath)
            dirnames[:] = []
            continue
        visited.add(real)
        if RUN_MARKER in filenames:  # an mctext output folder: never a policy document
            log.warning("skipped %s: an mctext run's output folder (holds %s)", dirpath, RUN_MARKER)
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not _is_document(name):
                if not _is_ours(name):
                    unread[os.path.splitext(name)[1].lower() or "(no extension)"] += 1
                continue
            path = Path(dirpath) / name
            if not os.access(path, os.R_OK) or not path.is_file():
                log.warning("skipped unreadable file %s", path)
                continue
            rel = path.relative_to(root).as_posix()
            found.append(SourceFile(path=path, rel=rel, manifest=manifest_row(manifest, rel)))
    if unread:
        listed = ", ".join(f"{n} {ext}" for ext, n in sorted(unread.items(), key=lambda kv: (-kv[1], kv[0])))
        log.warning("left out %d file(s) in formats mctext does not read: %s (it reads %s; save documents "
                    "in one of these to include them)", sum(unread.values()), listed,
                    ", ".join(sorted(e.lstrip(".").upper() for e in DOCUMENT_EXTENSIONS)))
    return sorted(found, key=lambda s: s.rel)


# ------------------------------------------------------------------ inference


@lru_cache(maxsize=1)
def _language_detector() -> Any:
    """Built once per process: lingua restricted to the languages that have a language file.

    Low-accuracy mode (trigram models only) loads in about a second instead of about
    twenty, and is as sure as the full models on sentence-length and longer text,
    which is what a document gives.
    """
    from lingua import Language, LanguageDetectorBuilder

    from mctext.lang import LanguageDataError, language, lingua_names

    languages = []
    for name, code in lingua_names().items():
        member = getattr(Language, name, None)
        if member is None:
            path = language(code).path.name  # type: ignore[union-attr]
            raise LanguageDataError(f"{path}: lingua: {name!r} is not a lingua.Language member")
        languages.append(member)
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("" when there is too little text to tell).

    The code is the language file's (lingua's BOKMAL and NYNORSK are both "no" when
    no.yaml lists them), so the rules, segmentation and OCR read the right file.
    """
    from mctext.lang import lingua_names

    sample = " ".join(text[:LANGUAGE_SAMPLE_CHARS].split())
    if len(sample) < 3:
        return ""
    found = _language_detector().detect_language_of(sample)
    return lingua_names()[found.name] if found is not None else ""


def _known_codes() -> set[str]:
    from mctext.classify.countries import COUNTRY_NAMES

    return set(COUNTRY_NAMES)


def _country_mentions(text: str) -> list[str]:
    from mctext.classify.countries import country_mentions

    return [code for code, _, _ in country_mentions(text)]


def country_from_name(rel: str) -> str:
    """ISO code from a file name: a leading code ("DE_...", "EU-...") or a country name in it."""
    name = rel.rsplit("/", 1)[-1]
    if match := _LEADING_CODE.match(name):
        code = match.group(1).upper()
        code = _CODE_ALIASES.get(code, code)
        if code in _NOT_A_COUNTRY:
            return ""
        if code in _known_codes():
            return code
    words = re.sub(r"[_\-.]+", " ", os.path.splitext(name)[0])
    codes = Counter(_country_mentions(words))
    return codes.most_common(1)[0][0] if codes else ""


def country_from_text(text: str) -> str:
    """The country a text is most about: the most named country (>= 2 mentions), else EU."""
    counts = Counter(_country_mentions(text[:COUNTRY_SAMPLE_CHARS]))
    national = [(n, code) for code, n in counts.items() if code != "EU" and n >= 2]
    if national:
        return max(national)[1]
    return "EU" if counts.get("EU", 0) >= 2 else ""


def year_from(name: str, text: str) -> int | None:
    """A year from the file name (its last one), else the latest plausible year early in the text."""
    this_year = date.today().year
    in_name = [int(y) for y in _YEAR.findall(name) if int(y) <= this_year + 1]
    if in_name:
        return in_name[-1]
    in_text = [int(y) for y in _YEAR.findall(text[:3000]) if int(y) <= this_year]
    return max(in_text) if in_text else None


def _title_from(extracted: ExtractedDocument, rel: str) -> str:
    if extracted.title.strip():
        return extracted.title.strip()
    for page in extracted.pages:
        if page.headings:
            return page.headings[0].text
        for line in page.text.split("\n"):
            if line.strip():
                return line.strip()[:200]
    return Path(rel).stem


def _status(extracted: ExtractedDocument) -> str:
    statuses = {p.status for p in extracted.pages}
    if extracted.pages and statuses == {PAGE_NO_TEXT_LAYER}:
        return PAGE_NO_TEXT_LAYER
    return PAGE_OCR if PAGE_OCR in statuses else PAGE_OK


def _page_problems(extracted: ExtractedDocument) -> str:
    """For a document that was read: the pages whose text is missing (damaged), else ""."""
    damaged = [str(p.number) for p in extracted.pages if p.status == PAGE_FAILED]
    if not damaged:
        return ""
    return f"page{'s' if len(damaged) > 1 else ''} {', '.join(damaged)} damaged: text missing"


def _year_value(value: str) -> int | None:
    match = _YEAR.search(value or "")
    return int(match.group(1)) if match else None


def describe_document(source: Any, data: bytes, extracted: ExtractedDocument) -> Document:
    """The Document row of a file: manifest values first, inferred ones for the gaps."""
    sha256 = sha256_bytes(data)
    row: dict[str, str] = dict(getattr(source, "manifest", None) or {})
    rel = str(getattr(source, "rel", "") or Path(source.path).name)
    text = "\n\n".join(p.text for p in extracted.pages if p.text)
    country = (row.get("country") or "").strip().upper()
    country = _CODE_ALIASES.get(country, country)
    if country and country not in _NOT_A_COUNTRY and country not in _known_codes():
        log.warning("%s: manifest country %r is not an ISO code; inferring it", rel, country)
        country = ""
    if not country:
        country = country_from_name(rel) or country_from_text(text)
    elif country in _NOT_A_COUNTRY:
        country = ""
    language = (row.get("language") or "").strip().lower() or detect_language(text)
    year = _year_value(row.get("year", "")) or year_from(Path(rel).name, text)
    return Document(
        doc_id=doc_id_from_sha256(sha256), file=rel, sha256=sha256,
        title=row.get("title") or _title_from(extracted, rel),
        country=country, language=language, year=year,
        doc_type=(row.get("doc_type") or "").strip(),
        format=extracted.format, pages=len(extracted.pages), status=_status(extracted),
        error=_page_problems(extracted),
    )
