"""Corpus discovery, MANIFEST.csv, document metadata and its inference."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from mctext.corpus import (
    SourceFile,
    country_from_name,
    country_from_text,
    describe_document,
    detect_language,
    discover,
    read_manifest,
    year_from,
)
from mctext.errors import MctextError
from mctext.extract import extract_bytes
from mctext.extract.sniff import sniff_format
from mctext.lang import canonical
from mctext.records import ExtractedDocument, Page, doc_id_from_sha256, sha256_bytes

HTML = b"<!DOCTYPE html><html><head><title>T</title></head><body><main><h1>Quality</h1><p>" + (
    b"Micro-credentials are quality assured by the national agency in every case. " * 5) + b"</p></main></body></html>"


def make_pdf(path: Path, text: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(72, 760, text)
    c.showPage()
    c.save()


def test_discover_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for rel in ("z.TXT", "b/doc.PDF", "a/deep/page.htm", "a/x.docx", "a/y.md", "b/c.html"):
        (tmp_path / rel).write_bytes(b"x")
    (tmp_path / "MANIFEST.csv").write_text("file,title,country,language,year,doc_type\n")
    for rel in (".hidden.txt", "b/doc.truth.json", "notes.csv", "img.png", "b/.git_keep.md"):
        (tmp_path / rel).write_bytes(b"x")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "inside.txt").write_bytes(b"x")
    found = discover(tmp_path)
    assert [s.rel for s in found] == ["a/deep/page.htm", "a/x.docx", "a/y.md", "b/c.html", "b/doc.PDF", "z.TXT"]
    assert all(s.path.is_absolute() and s.path.is_file() and s.manifest == {} for s in found)


def test_discover_survives_symlink_loops(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "doc.txt").write_text("text")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "again").symlink_to(tmp_path / "sub", target_is_directory=True)
    (tmp_path / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    with caplog.at_level(logging.WARNING, logger="mctext.corpus"):
        found = discover(tmp_path)
    real = {os.path.realpath(s.path) for s in found}
    assert real == {os.path.realpath(tmp_path / "sub" / "doc.txt")}
    assert len(found) == 1
    assert "dangling.pdf" in caplog.text


def test_discover_skips_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "ok.txt").write_text("fine")
    (tmp_path / "locked.txt").write_text("secret")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: "locked" not in str(p) and real_access(p, mode))
    with caplog.at_level(logging.WARNING, logger="mctext.corpus"):
        assert [s.rel for s in discover(tmp_path)] == ["ok.txt"]
    assert "locked.txt" in caplog.text


def test_discover_names_the_formats_it_leaves_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for name in ("a.pdf", "old.doc", "older.doc", "slides.pptx", ".hidden", "x.truth.json"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "MANIFEST.csv").write_text("file,country\na.pdf,DE\n")
    with caplog.at_level(logging.WARNING, logger="mctext.corpus"):
        assert [s.rel for s in discover(tmp_path)] == ["a.pdf"]
    said = [r.getMessage() for r in caplog.records if "left out" in r.getMessage()]
    assert len(said) == 1 and "left out 3 file(s)" in said[0] and "2 .doc, 1 .pptx" in said[0], said


def test_discover_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(MctextError, match="not found"):
        discover(tmp_path / "nope")


def test_misleading_extensions_are_sniffed_by_content(tmp_path: Path) -> None:
    (tmp_path / "page.pdf").write_bytes(HTML)
    make_pdf(tmp_path / "report.txt", "Micro-credentials at EQF level 5.")
    found = {s.rel: s for s in discover(tmp_path)}
    assert set(found) == {"page.pdf", "report.txt"}
    html_data = found["page.pdf"].path.read_bytes()
    pdf_data = found["report.txt"].path.read_bytes()
    assert sniff_format(html_data[:4096], found["page.pdf"].path) == "html"
    assert sniff_format(pdf_data[:4096], found["report.txt"].path) == "pdf"
    doc = extract_bytes(html_data, found["page.pdf"].path)
    assert doc.format == "html" and "quality assured" in doc.pages[0].text
    pytest.importorskip("mctext.extract.pdf")
    pdf = extract_bytes(pdf_data, found["report.txt"].path)
    assert pdf.format == "pdf" and "EQF level 5" in pdf.pages[0].text


MANIFEST = (
    "file,title,country,language,year,doc_type,notes\n"
    "sub/de_law.md,Gesetz über Mikrozertifikate,DE,de,2021,law,extra column kept\n"
    "report.txt,EU report,EU,en,2020,report,\n"
)


def test_manifest_lookup_by_path_and_name(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "de_law.md").write_text("# Gesetz\n\nText.")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "report.txt").write_text("Report text.")
    (tmp_path / "unlisted.txt").write_text("Nothing.")
    (tmp_path / "MANIFEST.csv").write_bytes(b"\xef\xbb\xbf" + MANIFEST.encode())
    rows = read_manifest(tmp_path)
    assert rows["sub/de_law.md"]["notes"] == "extra column kept"
    found = {s.rel: s.manifest for s in discover(tmp_path)}
    assert found["sub/de_law.md"]["title"] == "Gesetz über Mikrozertifikate"
    assert found["other/report.txt"]["country"] == "EU"  # by file name
    assert found["unlisted.txt"] == {}


def test_manifest_without_file_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "MANIFEST.csv").write_text("name,title\nx.txt,X\n")
    with pytest.raises(MctextError, match="no 'file' column"):
        read_manifest(tmp_path)
    assert read_manifest(tmp_path / "none") == {}


def _describe(tmp_path: Path, rel: str, content: bytes, manifest: dict[str, str] | None = None):
    path = tmp_path / rel
    path.write_bytes(content)
    return describe_document(SourceFile(path=path, rel=rel, manifest=manifest or {}), content,
                             extract_bytes(content, path))


def test_describe_uses_manifest_first(tmp_path: Path) -> None:
    row = {"file": "x.md", "title": "Manifest title", "country": "fr", "language": "FR", "year": "2019",
           "doc_type": "law"}
    content = b"# Heading title\n\nMicro-credentials in Germany. Deutschland und Deutschland. 2023."
    doc = _describe(tmp_path, "x.md", content, row)
    assert (doc.title, doc.country, doc.language, doc.year, doc.doc_type) == ("Manifest title", "FR", "fr", 2019, "law")
    assert doc.doc_id == doc_id_from_sha256(sha256_bytes(content)) and doc.sha256 == sha256_bytes(content)
    assert (doc.format, doc.pages, doc.status, doc.file) == ("md", 1, "ok", "x.md")


def test_describe_infers_without_manifest(tmp_path: Path) -> None:
    text = ("# Mikrozertifikate in der beruflichen Bildung\n\nDie Bundesregierung hat im Jahr 2022 beschlossen, "
            "dass Mikrozertifikate in Deutschland dem Deutschen Qualifikationsrahmen zugeordnet werden. "
            "In Deutschland gilt dies für alle Anbieter der Weiterbildung.")
    doc = _describe(tmp_path, "strategie.md", text.encode())
    assert doc.title == "Mikrozertifikate in der beruflichen Bildung"
    assert (doc.language, doc.country, doc.year, doc.doc_type) == ("de", "DE", 2022, "")


def test_country_and_year_from_file_names() -> None:
    assert country_from_name("DE_bbig_2020_de.md") == "DE"
    assert country_from_name("sub/EU-microcredentials.pdf") == "EU"
    assert country_from_name("XX_openbadges_2024_en.md") == ""
    assert country_from_name("UK_report.pdf") == "GB"
    assert country_from_name("national_strategy_finland_2021.pdf") == "FI"
    assert country_from_name("strategy.pdf") == ""
    assert year_from("FI_laki_531-2017_fi.md", "") == 2017
    assert year_from("notice51260.pdf", "Adopted in 2018. Revised 2021.") == 2021
    assert year_from("x.pdf", "no year") is None


def test_country_from_text() -> None:
    assert country_from_text("Polska wprowadza mikropoświadczenia. W Polsce działa ZSK.") == "PL"
    assert country_from_text("The European Union and Member States agree.") == "EU"
    assert country_from_text("Nothing about places.") == ""


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Micro-credentials record the learning outcomes of a short course."),
    ("de", "Mikrozertifikate bescheinigen die Lernergebnisse eines kurzen Kurses."),
    ("fr", "Les microcertifications attestent les acquis d'une formation courte."),
    ("nl", "Microcredentials leggen de leerresultaten van een korte cursus vast."),
    ("fi", "Osaamismerkit kuvaavat lyhyen koulutuksen oppimistuloksia."),
    ("pl", "Mikropoświadczenia potwierdzają efekty uczenia się krótkiego kursu."),
    ("es", "Las microcredenciales acreditan los resultados de aprendizaje de un curso corto."),
    ("sl", "Mikrodokazila potrjujejo učne izide kratkega tečaja usposabljanja."),
    ("ga", "Is é an aidhm atá leis an gcúrsa seo ná scileanna nua a fhoghlaim."),
])
def test_detect_language(lang: str, text: str) -> None:
    assert detect_language(text) == lang


def test_detect_language_too_little_text() -> None:
    assert detect_language("  ") == ""


@pytest.mark.slow
def test_real_corpus_discovery_and_metadata(original_dir: Path) -> None:
    found = discover(original_dir)
    names = {s.rel for s in found}
    assert "MANIFEST.csv" not in names and len(found) >= 40
    assert all(s.manifest.get("file") == s.rel for s in found)
    for source in found:
        if source.rel.endswith((".md", ".txt", ".html")):
            data = source.path.read_bytes()
            inferred = describe_document(SourceFile(source.path, source.rel), data, extract_bytes(data, source.path))
            # detection knows the languages with a language file; nb/nn documents are "no"
            expected_language = canonical(source.manifest["language"])
            if expected_language is not None:
                assert canonical(inferred.language) == expected_language, source.rel
            expected_country = source.manifest["country"]
            assert inferred.country == ("" if expected_country == "XX" else expected_country), source.rel


def test_demo_corpus_manifest_covers_every_file() -> None:
    from mctext.config import DEMO_CORPUS

    found = discover(DEMO_CORPUS)
    assert len(found) == 8 and all(s.rel.endswith(".pdf") for s in found)
    assert {s.manifest["language"] for s in found} == {"en", "de", "fr", "nl", "fi", "pl", "es", "sl"}
    assert all(s.manifest["title"] and s.manifest["country"] and s.manifest["year"] for s in found)


def test_demo_corpus_script_is_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from mctext.config import DEMO_CORPUS, REPO_ROOT

    spec = importlib.util.spec_from_file_location("make_demo_corpus", REPO_ROOT / "scripts" / "make_demo_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    try:
        module.main(tmp_path)
    except SystemExit as exc:  # no suitable TrueType font on this machine
        pytest.skip(str(exc))
    committed = sorted(p.name for p in DEMO_CORPUS.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (DEMO_CORPUS / name).read_bytes(), name


def test_manifest_row_split_by_an_unquoted_comma_is_realigned(tmp_path: Path) -> None:
    # The real MANIFEST.csv has such a row: a publisher with a comma, not quoted, and
    # the trailing notes cell missing, so the cell count alone does not give it away.
    (tmp_path / "MANIFEST.csv").write_text(
        "file,title,publisher,country,language,year,doc_type,notes\n"
        'a.pdf,"A title, quoted",Ministry (form, République française),FR,fr,2018,form\n'
        "b.pdf,B,Board,IE,en,2025,other,fine\n",
        encoding="utf-8",
    )
    rows = read_manifest(tmp_path)
    assert rows["a.pdf"]["publisher"] == "Ministry (form, République française)"
    assert (rows["a.pdf"]["country"], rows["a.pdf"]["language"], rows["a.pdf"]["year"]) == ("FR", "fr", "2018")
    assert rows["a.pdf"]["title"] == "A title, quoted"
    assert rows["b.pdf"]["country"] == "IE" and rows["b.pdf"]["notes"] == "fine"


def test_manifest_country_that_is_not_a_code_falls_back_to_the_file_name(tmp_path: Path) -> None:
    source = SourceFile(path=tmp_path / "DE_law.txt", rel="DE_law.txt", manifest={"country": "Germany?"})
    extracted = ExtractedDocument(pages=[Page(number=1, text="Ein Gesetz über die Berufsbildung.")], format="txt")
    assert describe_document(source, b"x", extracted).country == "DE"
