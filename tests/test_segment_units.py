"""Quotable units: list items with their lead-in as context, segment kinds, sentences across page breaks.

Every text here is ours, written for these tests; the last tests read ../shared/corpus.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from mctext.extract import extract_bytes, extract_file
from mctext.extract.text import TABLE_CELL_SEP
from mctext.records import QUOTABLE_KINDS, SEGMENT_KINDS, Page, Region, Segment
from mctext.segment import MAX_SEGMENT_CHARS, segment_pages, segment_text


def _segs(text: str, lang: str, regions: list[Region] | None = None) -> list[Segment]:
    segs = segment_pages([Page(number=1, text=text, regions=regions or [])], "doc", lang)
    for s in segs:
        assert text[s.start:s.end] == s.text == s.text.strip()
        assert s.page == s.page_end == 1 and s.kind in SEGMENT_KINDS
    return segs


def _by_kind(segs: list[Segment]) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in segs]


# --- lists ------------------------------------------------------------------------------------


def test_german_definition_list_one_segment_per_item() -> None:
    lead = "Im Sinne dieses Gesetzes sind:"
    items = [f"{i}. {word} die Stelle, die nach Landesrecht für die Ausbildung im Beruf Nummer {i} zuständig ist,"
             for i, word in enumerate(["Ausbildende", "Ausbilder", "Prüfer", "Kammern", "Schulen"], start=1)]
    text = "(1) " + lead + "\n\n" + "\n\n".join(items) + "\n\n(2) Das Nähere regelt die Satzung."
    segs = _segs(text, "de")
    assert (segs[0].text, segs[0].kind, segs[0].context) == ("(1) " + lead, "body", "")
    assert [(s.text, s.kind, s.context) for s in segs[1:6]] == [(i, "list_item", "(1) " + lead) for i in items]
    assert (segs[6].text, segs[6].context) == ("(2) Das Nähere regelt die Satzung.", "")


def test_french_lettered_items_and_a_clause_after_the_list() -> None:
    text = ("Le référentiel précise notamment :\n\na) les activités du métier visé par la certification ;\n"
            "b) les compétences attestées par chacun des blocs ;\nc) les modalités d'évaluation des acquis ;\n"
            "d) les conditions de délivrance du titre,\n\nselon les règles fixées par décret.")
    segs = _segs(text, "fr")
    assert _by_kind(segs) == [
        ("body", "Le référentiel précise notamment :"),
        ("list_item", "a) les activités du métier visé par la certification ;"),
        ("list_item", "b) les compétences attestées par chacun des blocs ;"),
        ("list_item", "c) les modalités d'évaluation des acquis ;"),
        ("list_item", "d) les conditions de délivrance du titre,"),
        ("body", "selon les règles fixées par décret."),
    ]
    assert {s.context for s in segs[1:]} == {"Le référentiel précise notamment :"}


def test_finnish_numbered_items_keep_the_lead_in_as_context() -> None:
    text = ("Tässä laissa tarkoitetaan:\n1) tutkinnolla ammatillista perustutkintoa, ammattitutkintoa tai "
            "erikoisammattitutkintoa;\n2) tutkinnon osalla tutkinnon perusteissa määriteltyä osaa;\n"
            "3) osaamispisteellä osaamisen laajuuden yksikköä;\n4) koulutuksen järjestäjällä luvan saanutta.")
    segs = _segs(text, "fi")
    assert [s.kind for s in segs] == ["body", "list_item", "list_item", "list_item", "list_item"]
    assert all(s.context == "Tässä laissa tarkoitetaan:" for s in segs[1:])
    assert segs[3].text == "3) osaamispisteellä osaamisen laajuuden yksikköä;"


def test_more_than_three_bullets_are_split_and_three_short_ones_stay_whole() -> None:
    long = ("Micro-credentials should be:\n- short and focused on one set of outcomes;\n- assessed;\n"
            "- recorded with their workload;\n- portable across providers.")
    segs = _segs(long, "en")
    assert [s.kind for s in segs] == ["body"] + ["list_item"] * 4
    assert segs[4].text == "- portable across providers." and segs[4].context == "Micro-credentials should be:"
    short = "Providers must:\n- publish outcomes;\n- assess them;\n- record credits.\n\nThat is all."
    segs = _segs(short, "en")
    assert _by_kind(segs) == [("body", "Providers must:\n- publish outcomes;\n- assess them;\n- record credits."),
                              ("body", "That is all.")]


def test_three_long_items_are_not_a_short_list() -> None:
    item = "unit of learning outcomes that is assessed, recorded with its workload in credits and quality assured"
    text = f"A micro-credential is:\n- a first {item};\n- a second {item};\n- a third {item}."
    segs = _segs(text, "en")
    assert [s.kind for s in segs] == ["body", "list_item", "list_item", "list_item"]


def test_an_enumeration_inside_one_long_sentence_is_split_at_its_markers() -> None:
    items = [f"{n}° Aux {what} de la fonction publique et des agents qui y concourent chaque jour" for n, what in
             enumerate(["valeurs", "évolutions de l'emploi", "parcours professionnels", "formations"], start=1)]
    text = "Le Conseil commun examine toute question relative : " + " ; ".join(items) + " ."
    segs = _segs(text, "fr")
    assert segs[0].text == "Le Conseil commun examine toute question relative :"
    assert [s.kind for s in segs[1:]] == ["list_item"] * 4
    assert segs[2].text.startswith("2° Aux évolutions") and segs[2].context == segs[0].text


def test_a_long_sentence_of_clauses_is_cut_at_semicolons() -> None:
    clause = "die ihr Wissen und Verstehen in einer Weise anwenden können, die von einem professionellen Zugang zeugt"
    text = "Qualifikationen werden an Studierende verliehen, " + "; ".join([clause] * 6) + "."
    segs = _segs(text, "de")
    assert len(segs) > 1 and all(len(s.text) <= 400 for s in segs)
    assert all(s.text.endswith((";", ".")) for s in segs)


# --- kinds ------------------------------------------------------------------------------------


def test_title_like_line_is_a_heading_and_sentences_are_body() -> None:
    text = ("Addendum Experimental Space Quality Framework Pilot Microcredentials\n\n"
            "Since 2022, twelve universities take part in the pilot.\n\nsmall fragment without a verb")
    segs = _segs(text, "en")
    assert _by_kind(segs) == [
        ("heading", "Addendum Experimental Space Quality Framework Pilot Microcredentials"),
        ("body", "Since 2022, twelve universities take part in the pilot."),
        ("body", "small fragment without a verb"),
    ]


def test_table_of_contents_lines() -> None:
    text = ("Inhaltsverzeichnis\n\n1 Einleitung\n\n2 Mikro-Credentials im DQR\n\n"
            "Die Einleitung beschreibt den Auftrag des Projekts.\n\n"
            "3 Qualitätssicherung .......... 12\n4 Anerkennung ........ 15")
    segs = _segs(text, "de")
    assert _by_kind(segs) == [
        ("toc", "Inhaltsverzeichnis"), ("toc", "1 Einleitung"), ("toc", "2 Mikro-Credentials im DQR"),
        ("body", "Die Einleitung beschreibt den Auftrag des Projekts."),
        ("toc", "3 Qualitätssicherung .......... 12"), ("toc", "4 Anerkennung ........ 15"),
    ]


def test_form_fields() -> None:
    text = ("Veuillez remplir le formulaire.\nNom : ______________\nDate de naissance : ..........\n"
            "☐ Salarié\n☒ Bénévole\nN° |_|_|_|_|")
    segs = _segs(text, "fr")
    assert [s.kind for s in segs] == ["body"] + ["form_field"] * 5


def test_table_rows_from_regions_and_pipe_rows() -> None:
    rows = "Niveau | Savoirs | Aptitudes\n5 | Savoirs étendus | Résoudre des problèmes"
    text = f"Le tableau suit.\n\n{rows}\n\n| EQF | 6 | bachelor |\n\nFin du tableau."
    start = text.index(rows)
    segs = _segs(text, "fr", [Region(start, start + len(rows), "table_row")])
    assert _by_kind(segs) == [
        ("body", "Le tableau suit."), ("table_row", "Niveau | Savoirs | Aptitudes"),
        ("table_row", "5 | Savoirs étendus | Résoudre des problèmes"), ("table_row", "| EQF | 6 | bachelor |"),
        ("body", "Fin du tableau."),
    ]


def test_footnote_region_kept_whole_one_segment_per_footnote() -> None:
    notes = "1 European Commission (\n2015). Brussels, Belgium.\n2 See Art. 3. It applies."
    text = f"Micro-credentials are growing.1\n\n{notes}"
    start = text.index(notes)
    segs = _segs(text, "en", [Region(start, len(text), "footnote")])
    assert _by_kind(segs) == [("body", "Micro-credentials are growing.1"),
                              ("footnote", "1 European Commission (\n2015). Brussels, Belgium."),
                              ("footnote", "2 See Art. 3. It applies.")]


def test_code_from_a_markdown_fence_and_from_a_diagram_in_text() -> None:
    md = (b"# Data model\n\nThe diagram shows the entities.\n\n```mermaid\nflowchart LR\n"
          b"A[\"EUHEMC\"] --> B[\"Learning Achievement\"]\nA --> C[\"Issuer\"]\n```\n\n"
          b"| Field | Use |\n|---|---|\n| issuer | who awards it |\n\nEnd of the model.\n")
    doc = extract_bytes(md, Path("model.md"))
    page = doc.pages[0]
    assert {r.kind for r in page.regions} == {"code", "table_row"}
    segs = segment_pages(doc.pages, "doc", "en")
    assert _by_kind(segs) == [
        ("body", "The diagram shows the entities."),
        ("code", 'flowchart LR\nA["EUHEMC"] --> B["Learning Achievement"]\nA --> C["Issuer"]'),
        ("table_row", TABLE_CELL_SEP.join(["Field", "Use"])),
        ("table_row", TABLE_CELL_SEP.join(["issuer", "who awards it"])), ("body", "End of the model."),
    ]
    text = 'Intro sentence here.\n\nflowchart LR\nA["EUHEMC"] --> B["Issuer"]\n\nAfter it.'
    assert [s.kind for s in _segs(text, "en")] == ["body", "code", "body"]


# --- page breaks ------------------------------------------------------------------------------


def _two_pages(first: str, second: str, lang: str = "de") -> tuple[list[Page], list[Segment]]:
    pages = [Page(number=1, text=first), Page(number=2, text=second)]
    return pages, segment_pages(pages, "doc", lang)


def test_sentence_across_a_page_break_is_one_segment() -> None:
    pages, segs = _two_pages("Es gilt Folgendes. Nach Ablauf eines Tarifvertrages nach",
                             "Satz 1 gilt dessen Vergütungsregelung weiter. Das ist neu.")
    assert [(s.page, s.page_end, s.text) for s in segs] == [
        (1, 1, "Es gilt Folgendes."),
        (1, 2, "Nach Ablauf eines Tarifvertrages nach Satz 1 gilt dessen Vergütungsregelung weiter."),
        (2, 2, "Das ist neu."),
    ]
    texts = {p.number: p for p in pages}
    for s in segs:
        assert segment_text(texts, s.page, s.start, s.page_end, s.end) == s.text
    joined = segs[1]
    assert pages[0].text[joined.start:].startswith("Nach Ablauf") and pages[1].text[:joined.end].endswith("weiter.")


def test_lower_case_continuation_joins_and_new_starts_do_not() -> None:
    _, segs = _two_pages("Ist ein Güteverfahren vor einer", "außergerichtlichen Stelle eingeleitet, ruht es.")
    assert [(s.page_end, s.text) for s in segs] == [
        (2, "Ist ein Güteverfahren vor einer außergerichtlichen Stelle eingeleitet, ruht es.")]
    for first, second in [("Der Satz endet hier.", "Ein neuer Satz beginnt."),  # closed sentence
                          ("Die Förderung umfasst", "1. den Zuschuss,\n2. das Darlehen."),  # a list item starts
                          ("Erster Abschnitt Allgemeines", "Die Förderung beginnt sofort.")]:  # a title line
        _, segs = _two_pages(first, second)
        assert all(s.page == s.page_end for s in segs), (first, second)


def test_no_join_across_a_heading_on_the_next_page() -> None:
    from mctext.records import Heading

    second = "Qualität\n\nqualität wird gesichert."
    pages = [Page(number=1, text="Die Anbieter sichern die"),
             Page(number=2, text=second, headings=[Heading(0, 8, 1, "Qualität")])]
    segs = segment_pages(pages, "doc", "de")
    assert all(s.page == s.page_end for s in segs)


# --- the real corpus --------------------------------------------------------------------------


def _corpus_segments(folder: Path) -> dict[str, list[Segment]]:
    out = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".md", ".html", ".txt", ".docx", ".pdf"):
            continue
        doc = extract_file(path, ocr=False)
        texts = {p.number: p for p in doc.pages}
        segs = segment_pages(doc.pages, "doc", path.name.split(".")[0].rsplit("_", 1)[-1])
        for s in segs:
            assert segment_text(texts, s.page, s.start, s.page_end, s.end) == s.text, path.name
        out[path.name] = segs
    return out


@pytest.mark.slow
def test_original_corpus_quote_lengths_and_units(original_dir: Path) -> None:
    docs = _corpus_segments(original_dir)
    assert len(docs) == 75
    quotable = [len(s.text) for segs in docs.values() for s in segs if s.kind in QUOTABLE_KINDS]
    assert statistics.quantiles(quotable, n=20)[-1] <= 400  # p95
    assert max(len(s.text) for segs in docs.values() for s in segs) <= min(800, MAX_SEGMENT_CHARS)
    item_line = re.compile(r"(?m)^(?:\d{1,3}[.)]|[a-z]\)|-)\s")
    for s in docs["DE_hwo_handwerksordnung_2021_de.md"]:
        assert len(item_line.findall(s.text)) <= 3, s.text  # no list of nine points in one segment
    euhemc = docs["EU_dc4eu_EUHEMC_higher_education_microcredential_2025_en.md"]
    mermaid = [s for s in euhemc if s.text.startswith("flowchart LR")]
    assert mermaid and all(s.kind == "code" for s in mermaid)
    quality = docs["NL_npuls_quality_framework_microcredentials_hbo_wo_2025_en.md"]
    title = next(s for s in quality if s.text == "Addendum Experimental Space Quality Framework Pilot Microcredentials")
    assert title.kind == "heading"
    items = [s for segs in docs.values() for s in segs if s.kind == "list_item"]
    assert len(items) > 1000 and sum(bool(s.context) for s in items) > len(items) // 2


@pytest.mark.slow
def test_rendered_corpus_joins_sentences_across_page_breaks(rendered_dir: Path) -> None:
    bbig = extract_file(rendered_dir / "DE_bbig_berufsbildungsgesetz_2020_de.plain.pdf")
    segs = segment_pages(bbig.pages, "doc", "de")
    joined = [s for s in segs if s.page_end != s.page]
    assert len(joined) >= 5 and all(s.page_end == s.page + 1 for s in joined)
    texts = {p.number: p for p in bbig.pages}
    for s in segs:
        assert segment_text(texts, s.page, s.start, s.page_end, s.end) == s.text


# --- where segments travel ----------------------------------------------------------------------


def test_annotate_exports_show_a_list_items_lead_in(tmp_path: Path) -> None:
    import csv
    import json

    import pandas as pd

    from mctext.annotate import export_run
    from test_annotate_fixtures import make_run

    run = make_run(tmp_path / "run")
    segments = pd.read_parquet(run / "segments.parquet")
    item = segments.index[segments["text"] == "They respond to skills shortages."][0]
    segments.loc[item, ["kind", "context"]] = ["list_item", "Micro-credentials matter because:"]
    segments.to_parquet(run / "segments.parquet")
    export_run(run, tmp_path / "t.jsonl", "doccano", n=100, store_dir=tmp_path / "store")
    by_text = {o["text"]: o for o in map(json.loads, (tmp_path / "t.jsonl").read_text().splitlines())}
    assert by_text["They respond to skills shortages."]["lead_in"] == "Micro-credentials matter because:"
    assert by_text["The NQF has eight levels."]["lead_in"] == ""
    export_run(run, tmp_path / "t.csv", "csv", n=100, store_dir=tmp_path / "store2")
    rows = list(csv.DictReader((tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {r["text"]: r["lead_in"] for r in rows}["They respond to skills shortages."] == \
        "Micro-credentials matter because:"
    export_run(run, tmp_path / "t.json", "labelstudio", n=100, store_dir=tmp_path / "store3")
    tasks = json.loads((tmp_path / "t.json").read_text())
    assert any(t["data"]["lead_in"] == "Micro-credentials matter because:" for t in tasks)
    assert 'name="lead_in"' in (tmp_path / "t.json.config.xml").read_text()


def test_inline_bullets_of_a_long_paragraph_are_items() -> None:
    items = [f"• {what} that learners can show to employers and to other providers in Europe" for what in
             ("a digital credential", "a transcript of learning outcomes", "a statement of workload",
              "a record of the assessment")]
    text = "Each micro-credential comes with the following " + " ".join(items)
    segs = _segs(text, "en")
    assert segs[0].text == "Each micro-credential comes with the following"
    assert [s.kind for s in segs[1:]] == ["list_item"] * 4 and segs[1].context == segs[0].text
    text = " ".join(items + items)  # no lead-in: the paragraph (over 400 characters) opens with its first bullet
    assert [s.text for s in _segs(text, "en")] == items + items


def test_a_list_continued_on_the_next_page_keeps_its_lead_in() -> None:
    first = ("Die Förderung umfasst:\n\n1. den Zuschuss für den Unterhalt während der Maßnahme nach § 10,\n\n"
             "2. den Beitrag zu den Lehrgangs- und Prüfungsgebühren nach § 12 Absatz 1,\n\n"
             "3. den Zuschuss zur Kinderbetreuung während der Maßnahme nach § 10 Absatz 3,\n\n"
             "4. den Zuschuss zu den Kosten der Erstellung des Meisterprüfungsprojekts,")
    second = "5. das Darlehen für die Gebühren der Maßnahme nach § 12.\n\nDer Antrag ist schriftlich zu stellen."
    _, segs = _two_pages(first, second)
    assert [(s.page, s.kind, s.context) for s in segs] == [
        (1, "body", ""), *[(1, "list_item", "Die Förderung umfasst:")] * 4, (2, "list_item", "Die Förderung umfasst:"),
        (2, "body", "")]
    _, segs = _two_pages("Einen Anspruch auf Förderung haben", second)
    assert segs[1].context == "Einen Anspruch auf Förderung haben"


def test_a_sentence_runs_on_past_the_footnotes_at_the_foot_of_its_page() -> None:
    first = "Die Länder fördern die Anerkennung nach1\n\n1 Vgl. BGBl. I S. 920."
    pages = [Page(number=1, text=first, regions=[Region(first.index("1 Vgl."), len(first), "footnote")]),
             Page(number=2, text="Maßgabe des Landesrechts. Das ist alles.")]
    segs = segment_pages(pages, "doc", "de")
    assert [(s.page, s.page_end, s.kind, s.text) for s in segs] == [
        (1, 2, "body", "Die Länder fördern die Anerkennung nach1 Maßgabe des Landesrechts."),
        (1, 1, "footnote", "1 Vgl. BGBl. I S. 920."),
        (2, 2, "body", "Das ist alles."),
    ]
    by_number = {p.number: p for p in pages}
    assert all(segment_text(by_number, s.page, s.start, s.page_end, s.end) == s.text for s in segs)
