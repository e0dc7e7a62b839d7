"""Segmentation rules: abbreviations, ordinals, §, list lead-ins, offsets, ids, sections."""

from __future__ import annotations

import time

import pytest

from mctext.records import Heading, Page
from mctext.segment import MAX_SEGMENT_CHARS, segment_pages, split_sentences


def sentences(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, lang)]


# (lang, text, expected sentences): each text is ours, written for these tests.
CASES = [
    ("de", "Die Anrechnung richtet sich nach Art. 5 Abs. 2 Nr. 3 der Verordnung. Sie gilt ab sofort.",
     ["Die Anrechnung richtet sich nach Art. 5 Abs. 2 Nr. 3 der Verordnung.", "Sie gilt ab sofort."]),
    ("de", "Kurze Lernangebote, z. B. Zertifikatskurse bzw. Module, werden ggf. anerkannt. Das ist neu.",
     ["Kurze Lernangebote, z. B. Zertifikatskurse bzw. Module, werden ggf. anerkannt.", "Das ist neu."]),
    ("de", "Die Regelung tritt am 1. Januar 2025 in Kraft. Sie ersetzt die alte Fassung.",
     ["Die Regelung tritt am 1. Januar 2025 in Kraft.", "Sie ersetzt die alte Fassung."]),
    ("de", "Das regelt § 7 Satz 2. Danach wird die Vorbildung angerechnet.",
     ["Das regelt § 7 Satz 2.", "Danach wird die Vorbildung angerechnet."]),
    ("de", "Die Prüfung nach § 7. Abschnitt ist bestanden. Der Nachweis folgt im 2. Quartal.",
     ["Die Prüfung nach § 7. Abschnitt ist bestanden.", "Der Nachweis folgt im 2. Quartal."]),
    ("en", "Providers must, e.g. universities, i.e. accredited bodies, etc. publish the level. It is EQF level 5. Next year it grows.",
     ["Providers must, e.g. universities, i.e. accredited bodies, etc. publish the level.", "It is EQF level 5.",
      "Next year it grows."]),
    ("en", "See Art. 3 of the proposal. Dr. Smith agreed.", ["See Art. 3 of the proposal.", "Dr. Smith agreed."]),
    ("fr", "Le décret n° 2019-14 fixe les règles. Selon l'art. 4, la VAE est ouverte à tous. M. Dupont a voté.",
     ["Le décret n° 2019-14 fixe les règles.", "Selon l'art. 4, la VAE est ouverte à tous.", "M. Dupont a voté."]),
    ("fi", "Osaamista tunnistetaan esim. työpaikalla. Ks. mm. laki 531/2017. Päätös annetaan 1. kesäkuuta 2024.",
     ["Osaamista tunnistetaan esim. työpaikalla.", "Ks. mm. laki 531/2017.", "Päätös annetaan 1. kesäkuuta 2024."]),
    ("fi", "Hakemus tehdään lomakkeella nro 5. Se käsitellään nopeasti.",
     ["Hakemus tehdään lomakkeella nro 5.", "Se käsitellään nopeasti."]),
    ("pl", "Zgodnie z art. 5 ust. 2 pkt. 3 ustawy, np. kursy krótkie są uznawane. To jest zmiana, tzn. nowe prawo.",
     ["Zgodnie z art. 5 ust. 2 pkt. 3 ustawy, np. kursy krótkie są uznawane.", "To jest zmiana, tzn. nowe prawo."]),
    ("pl", "Ustawa weszła w życie 1. stycznia 2020 r. Jej celem jest walidacja.",
     ["Ustawa weszła w życie 1. stycznia 2020 r. Jej celem jest walidacja."]),
    ("es", "Según el art. 3 de la Ley núm. 3/2022, v. también el anexo. El Sr. García lo aprobó.",
     ["Según el art. 3 de la Ley núm. 3/2022, v. también el anexo.", "El Sr. García lo aprobó."]),
    ("nl", "Aanbieders, bijv. hogescholen, o.a. universiteiten enz. geven microcredentials uit. Dat is nieuw.",
     ["Aanbieders, bijv. hogescholen, o.a. universiteiten enz. geven microcredentials uit.", "Dat is nieuw."]),
    ("sl", "Mikrodokazila, npr. kratki tečaji, so določena v čl. 5. Veljajo od leta 2024.",
     ["Mikrodokazila, npr. kratki tečaji, so določena v čl. 5.", "Veljajo od leta 2024."]),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_abbreviations_and_ordinals_do_not_split(lang: str, text: str, expected: list[str]) -> None:
    assert sentences(text, lang) == expected


def test_unknown_language_falls_back_to_multilingual() -> None:
    assert sentences("First sentence here. Second one.", "zz") == ["First sentence here.", "Second one."]
    assert sentences("First sentence here. Second one.", "") == ["First sentence here.", "Second one."]


def _page(text: str, headings: list[Heading] | None = None, number: int = 1) -> Page:
    return Page(number=number, text=text, headings=headings or [])


def _heading(text: str, needle: str, level: int) -> Heading:
    start = text.index(needle)
    return Heading(start=start, end=start + len(needle), level=level, text=needle)


def test_lead_in_keeps_its_list_and_offsets_are_exact() -> None:
    text = ("Micro-credentials are short. The Council recommends that Member States:\n"
            "- define micro-credentials;\n- link them to the NQF;\n- ensure quality assurance.\n\n"
            "This closes the list. A new paragraph starts.")
    segs = segment_pages([_page(text)], "doc", "en")
    assert [s.text for s in segs] == [
        "Micro-credentials are short.",
        "The Council recommends that Member States:\n- define micro-credentials;\n- link them to the NQF;\n"
        "- ensure quality assurance.",
        "This closes the list.", "A new paragraph starts.",
    ]
    for s in segs:
        assert text[s.start:s.end] == s.text and s.text == s.text.strip()


def test_lead_in_across_blank_lines_in_legal_text() -> None:
    text = ("(1) Die berufliche Fortbildung soll es ermöglichen,\n\n1. die Handlungsfähigkeit zu erhalten oder\n\n"
            "2. beruflich aufzusteigen.\n\n(2) Die Umschulung befähigt zu einer anderen Tätigkeit.")
    segs = [s.text for s in segment_pages([_page(text)], "doc", "de")]
    assert segs[0].startswith("(1) Die berufliche") and segs[0].endswith("aufzusteigen.")  # a short list: whole
    assert segs[1] == "(2) Die Umschulung befähigt zu einer anderen Tätigkeit."


def test_nested_lists_trailing_clause_and_step_numbers() -> None:
    text = ("(1) Die Satzung regelt\n\n1. die Art der Aufgabenerfüllung sowie\n\n2. die Organisation\n\n"
            "näher zu regeln. Das ist alles.\n\n"
            "Les activités sont :\n\n1° De la plongée ;\n\n5° Quelle que soit la zone :\n\na) Du canyonisme ;\n\n"
            "i) Du ski.\n\nArticle suivant.\n\n1\n\nPrenez connaissance de la fiche.")
    segs = segment_pages([_page(text)], "doc", "fr")
    # A short list stays whole with its lead-in and the clause after it; the French list has
    # four items (two in a sub-list), so each item is a segment with its lead-in(s) as context.
    assert [(s.text, s.kind, s.context) for s in segs] == [
        ("(1) Die Satzung regelt\n\n1. die Art der Aufgabenerfüllung sowie\n\n2. die Organisation\n\nnäher zu regeln.",
         "body", ""),
        ("Das ist alles.", "body", ""),
        ("Les activités sont :", "body", ""),
        ("1° De la plongée ;", "list_item", "Les activités sont :"),
        ("5° Quelle que soit la zone :", "list_item", "Les activités sont :"),
        ("a) Du canyonisme ;", "list_item", "Les activités sont : … 5° Quelle que soit la zone :"),
        ("i) Du ski.", "list_item", "Les activités sont : … 5° Quelle que soit la zone :"),
        ("Article suivant.", "body", ""),
        ("1\n\nPrenez connaissance de la fiche.", "body", ""),
    ]


def test_items_without_lead_in_are_separate_and_paragraphs_never_merge() -> None:
    text = "Erster Absatz ohne Punkt\n\nZweiter Absatz. Dritter Satz.\n\n- Punkt eins.\n- Punkt zwei."
    segs = [s.text for s in segment_pages([_page(text)], "doc", "de")]
    assert segs == ["Erster Absatz ohne Punkt", "Zweiter Absatz.", "Dritter Satz.", "- Punkt eins.", "- Punkt zwei."]


def test_long_lists_give_one_segment_per_item_with_the_lead_in_as_context() -> None:
    items = "\n".join(f"{i}) kohta numero {i} joka kuvaa osaamisen tunnistamista työpaikalla ja oppilaitoksessa;"
                      for i in range(1, 41))
    text = f"Laissa säädetään seuraavista asioista:\n{items}"
    segs = segment_pages([_page(text)], "doc", "fi")
    assert (segs[0].text, segs[0].kind, segs[0].context) == ("Laissa säädetään seuraavista asioista:", "body", "")
    assert len(segs) == 41
    for i, s in enumerate(segs[1:], start=1):
        assert s.text.startswith(f"{i}) kohta") and s.text.endswith(";")
        assert (s.kind, s.context) == ("list_item", "Laissa säädetään seuraavista asioista:")
        assert text[s.start:s.end] == s.text


def test_overlong_sentence_is_capped() -> None:
    text = "La formación " + ", ".join(f"módulo {i} de competencias digitales" for i in range(200)) + "."
    segs = segment_pages([_page(text)], "doc", "es")
    assert len(segs) > 1 and all(len(s.text) <= MAX_SEGMENT_CHARS for s in segs)
    assert "".join(s.text for s in segs).replace(" ", "") == text.replace(" ", "")


def test_sections_follow_headings_across_pages() -> None:
    p1 = "1 Introduction\n\nMicro-credentials are new.\n\n1.1 Scope\n\nThe scope is national."
    p2 = "Continued text on page two.\n\n2 Quality\n\nQuality assurance applies."
    pages = [
        _page(p1, [_heading(p1, "1 Introduction", 1), _heading(p1, "1.1 Scope", 2)], 1),
        _page(p2, [_heading(p2, "2 Quality", 1)], 2),
    ]
    segs = segment_pages(pages, "doc", "en")
    got = [(s.page, s.text, s.section) for s in segs]
    assert got == [
        (1, "Micro-credentials are new.", "1 Introduction"),
        (1, "The scope is national.", "1 Introduction > 1.1 Scope"),
        (2, "Continued text on page two.", "1 Introduction > 1.1 Scope"),
        (2, "Quality assurance applies.", "2 Quality"),
    ]
    for s in segs:
        assert pages[s.page - 1].text[s.start:s.end] == s.text


def test_heading_inside_a_paragraph_is_cut_out() -> None:
    text = "Kwaliteit\nDe kwaliteit wordt bewaakt door de NVAO. Dat is nodig."
    segs = segment_pages([_page(text, [_heading(text, "Kwaliteit", 2)])], "doc", "nl")
    assert [(s.text, s.section) for s in segs] == [
        ("De kwaliteit wordt bewaakt door de NVAO.", "Kwaliteit"), ("Dat is nodig.", "Kwaliteit")]


def test_sentence_like_heading_is_segmented() -> None:
    text = "Member States should recognise micro-credentials across borders.\n\nBody text here."
    segs = segment_pages([_page(text, [_heading(text, text.split("\n")[0], 1)])], "doc", "en")
    assert segs[0].text.startswith("Member States should")


def test_ids_are_stable_and_distinct() -> None:
    text = "Eerste zin. Tweede zin. Eerste zin."
    a = segment_pages([_page(text)], "doc1", "nl")
    b = segment_pages([_page(text)], "doc1", "nl")
    assert [s.id for s in a] == [s.id for s in b]
    assert len({s.id for s in a}) == 3
    assert {s.id for s in segment_pages([_page(text)], "doc2", "nl")}.isdisjoint({s.id for s in a})
    assert all(s.doc_id == "doc1" and s.lang == "nl" for s in a)


def test_empty_pages_give_no_segments() -> None:
    assert segment_pages([_page(""), _page("   \n\n ")], "doc", "en") == []


def test_speed_tens_of_thousands_of_segments_per_second_scale() -> None:
    para = ("Die Anrechnung nach § 7 Abs. 2 ist möglich. Sie gilt z. B. für Module. "
            "Teilnehmende erhalten ein Zertifikat. Das Niveau entspricht DQR 5.")
    pages = [_page("\n\n".join([para] * 25), number=n) for n in range(1, 41)]
    segment_pages(pages[:1], "warm", "de")
    t0 = time.perf_counter()
    segs = segment_pages(pages, "doc", "de")
    rate = len(segs) / (time.perf_counter() - t0)
    assert len(segs) == 40 * 25 * 4
    assert rate > 2000, f"{rate:.0f} segments/s"  # loose floor: shared CI cores are noisy


@pytest.mark.slow
def test_real_corpus_segments(original_dir) -> None:  # noqa: ANN001 (fixture)
    from mctext.extract import extract_file

    total = 0
    for path in sorted(original_dir.iterdir()):
        if path.suffix not in (".md", ".html", ".txt", ".docx"):
            continue
        doc = extract_file(path)
        lang = path.stem.rsplit("_", 1)[-1]
        segs = segment_pages(doc.pages, "doc", lang)
        assert segs, path.name
        total += len(segs)
        for s in segs:
            assert doc.pages[s.page - 1].text[s.start:s.end] == s.text == s.text.strip()
            assert 0 < len(s.text) <= MAX_SEGMENT_CHARS
        assert len({s.id for s in segs}) == len(segs)
        heading_texts = {h.text for p in doc.pages for h in p.headings}
        assert not any(s.text in heading_texts and len(s.text.split()) < 6 for s in segs), path.name
    assert total > 3000
    bbig = extract_file(original_dir / "DE_bbig_berufsbildungsgesetz_2020_de.md")
    segs = segment_pages(bbig.pages, "doc", "de")
    first = next(s for s in segs if s.text.startswith("(1) Berufsbildung im Sinne"))
    assert first.section.endswith("Teil 1 - Allgemeine Vorschriften > § 1 Ziele und Begriffe der Berufsbildung")
    k, lead = next((k, s) for k, s in enumerate(segs) if s.text.startswith("(4) Die berufliche Fortbildung soll"))
    # The lead-in is its own segment; its two long items follow, each with the lead-in as context.
    assert lead.text == "(4) Die berufliche Fortbildung soll es ermöglichen," and lead.kind == "body"
    assert [s.kind for s in segs[k + 1:k + 3]] == ["list_item", "list_item"]
    assert segs[k + 2].text.endswith("beruflich aufzusteigen.") and segs[k + 2].context == lead.text


def test_segmenter_does_not_import_torch_and_leaves_it_importable() -> None:
    """spaCy's thinc would import torch (seconds of set-up) that the tokenizers never use.

    Run in a fresh interpreter: other tests in this process may have imported torch already.
    """
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from mctext.segment import split_sentences\n"
        "spans = split_sentences('Erster Satz. Zweiter Satz.', 'de')\n"
        "print(len(spans), 'torch' in sys.modules)\n"
        "import torch\n"
        "print(torch.tensor([1, 2]).sum().item())\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["2", "False", "3"]


def test_segmenter_leaves_out_spacys_command_line_and_leaves_it_importable() -> None:
    """``import spacy`` would load spaCy's CLI (weasel, httpx, rich) just to export ``spacy.info``;
    the segmenter does without it, and the real CLI still imports afterwards. Fresh interpreter:
    other tests in this process may have imported spaCy already."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from mctext.segment import split_sentences\n"
        "spans = split_sentences('First sentence. Second one.', 'en')\n"
        "print(len(spans), any(m in sys.modules for m in ('weasel', 'httpx', 'spacy.cli')))\n"
        "import spacy, spacy.cli\n"
        "print(callable(spacy.cli.download), spacy.cli.info.__module__, callable(spacy.info))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["2", "False", "True", "spacy.cli.info", "True"]


def test_bracketed_placeholders_make_no_segment() -> None:
    """A converted file's "[image omitted]" between paragraphs is no statement to quote or label
    (a model once learnt it as validation); text with a note in it stays."""
    from mctext.records import Page
    from mctext.segment import is_placeholder, segment_pages

    text = "Vzor formuláře osvědčení o úspěšném vykonání zkoušky.\n\n[image omitted]\n\nDruhý odstavec [1] platí."
    segments = segment_pages([Page(number=1, text=text)], "d", "cs")
    assert [s.text for s in segments] == ["Vzor formuláře osvědčení o úspěšném vykonání zkoušky.", "Druhý odstavec [1] platí."]
    assert is_placeholder("[image omitted]") and is_placeholder("[1] [2]")
    assert not is_placeholder("Text [1]") and not is_placeholder("no brackets") and not is_placeholder("")
