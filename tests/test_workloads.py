"""Workloads and micro-credential elements in many languages (classify/facets.py, the ``facets``
sections of the language data): the forms a workload takes in policy documents (ranges, bounds,
tables, numbers in words, decimal commas) with their exact {value, unit} and span, what is no
workload (a year, a page, an article, the hours of a working week, money), and the element
statements of the Council Recommendation's Annex I. Sentences are written for these tests."""

from __future__ import annotations

import pytest

from mctext.classify.facets import find_workloads, segment_facets


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # ranges and bounds: the numbers stated, the bound word outside the span
        ("micro-credentials of 1-10 ECTS", "en", [(1, "ECTS", "1-10 ECTS"), (10, "ECTS", "1-10 ECTS")]),
        ("from 1 to 59 ECTS credits", "en", [(1, "ECTS", "1 to 59 ECTS credits"), (59, "ECTS", "1 to 59 ECTS credits")]),
        ("up to 30 ECTS", "en", [(30, "ECTS", "30 ECTS")]),
        ("at least 5 ECTS credits", "en", [(5, "ECTS", "5 ECTS credits")]),
        ("max. 15 ECTS", "en", [(15, "ECTS", "15 ECTS")]),
        ("zwischen 1 und 10 ECTS-Punkten", "de", [(1, "ECTS", "1 und 10 ECTS-Punkten"), (10, "ECTS", "1 und 10 ECTS-Punkten")]),
        ("de 1 à 59 crédits ECTS", "fr", [(1, "ECTS", "1 à 59 crédits ECTS"), (59, "ECTS", "1 à 59 crédits ECTS")]),
        # numbers in words (facets.workload_numbers)
        ("a course of five ECTS credits", "en", [(5, "ECTS", "five ECTS credits")]),
        ("umfasst fünf Leistungspunkte", "de", [(5, "credits", "fünf Leistungspunkte")]),
        ("un module de trois crédits", "fr", [(3, "credits", "trois crédits")]),
        ("un curso de veinte horas", "es", [(20, "hours", "veinte horas")]),
        ("kurs trwa trzydzieści godzin", "pl", [(30, "hours", "trzydzieści godzin")]),
        ("kurset er på fem studiepoeng", "no", [(5, "ECTS", "fem studiepoeng")]),
        ("kursus på ti ECTS-point", "da", [(10, "ECTS", "ti ECTS-point")]),
        ("kursuse maht on kuus EAP", "et", [(6, "ECTS", "kuus EAP")]),
        ("πέντε πιστωτικές μονάδες", "el", [(5, "ECTS", "πέντε πιστωτικές μονάδες")]),
        # compounds, hyphens, decimal commas
        ("5 ECTS-Punkte", "de", [(5, "ECTS", "5 ECTS-Punkte")]),
        ("ein 5-ECTS-Modul", "de", [(5, "ECTS", "5-ECTS")]),
        ("7,5 hp", "sv", [(7.5, "ECTS", "7,5 hp")]),
        ("2,5 kreditní body", "cs", [(2.5, "credits", "2,5 kreditní body")]),
        # a table or field list: the unit before the number
        ("ECTS: 5", "en", [(5, "ECTS", "ECTS: 5")]),
        ("Credits (ECTS): 6", "en", [(6, "ECTS", "Credits (ECTS): 6")]),
        ("Leistungspunkte: 2,5", "de", [(2.5, "credits", "Leistungspunkte: 2,5")]),
        ("Crédits ECTS : 3", "fr", [(3, "ECTS", "Crédits ECTS : 3")]),
        # units of every language
        ("mikrokvalifikacija od 5 ECTS bodova", "hr", [(5, "ECTS", "5 ECTS bodova")]),
        ("a képzés 4 kredit", "hu", [(4, "credits", "4 kredit")]),
        ("a képzés 30 órás", "hu", [(30, "hours", "30 órás")]),
        ("apjoms ir 3 kredītpunkti", "lv", [(3, "credits", "3 kredītpunkti")]),
        ("un curs de 5 credite transferabile", "ro", [(5, "ECTS", "5 credite transferabile")]),
        ("un curs de 40 de ore", "ro", [(40, "hours", "40 de ore")]),
        ("курс от 5 кредита", "bg", [(5, "credits", "5 кредита")]),
        ("обучение от 30 часа", "bg", [(30, "hours", "30 часа")]),
        ("tečaj traje 30 sati", "hr", [(30, "hours", "30 sati")]),
        ("kursas trunka 40 stundas", "lv", [(40, "hours", "40 stundas")]),
        ("kors ta' 4 krediti", "mt", [(4, "credits", "4 krediti")]),
        ("námskeið upp á 6 einingar", "is", [(6, "ECTS", "6 einingar")]),
        ("laajuus 5 opintopistettä", "fi", [(5, "ECTS", "5 opintopistettä")]),
        ("15 osaamispistettä", "fi", [(15, "credits", "15 osaamispistettä")]),
        ("obseg 6 KT", "sl", [(6, "ECTS", "6 KT")]),
        ("10 studiepoeng", "no", [(10, "ECTS", "10 studiepoeng")]),
        ("3 EKAP", "et", [(3, "credits", "3 EKAP")]),
        ("25 tuntia", "fi", [(25, "hours", "25 tuntia")]),
        ("20 ur", "sl", [(20, "hours", "20 ur")]),
        ("60 ECVET points", "en", [(60, "ECVET", "60 ECVET points")]),
        ("kurs za 5 pkt ECTS", "pl", [(5, "ECTS", "5 pkt ECTS")]),
        ("een module van 28 SBU", "nl", [(28, "hours", "28 SBU")]),
        ("ein Modul mit 5 CP", "de", [(5, "credits", "5 CP")]),
        ("10 notional learning hours", "en", [(10, "hours", "10 notional learning hours")]),
        ("40 guided learning hours", "en", [(40, "hours", "40 guided learning hours")]),
        ("apimtis 5 kr.", "lt", [(5, "ECTS", "5 kr.")]),
        ("a 10-credit module", "en", [(10, "credits", "10-credit")]),
        # no workload: a year, a page, an article, money, a pension credit
        ("adopted in 2022", "en", []),
        ("see page 5", "en", []),
        ("Article 5 of the act", "en", []),
        ("a fee of EUR 500", "en", []),
        ("500 euros per participant", "en", []),
        ("2 pension credits per child", "en", []),
    ],
)
def test_workload_forms(text: str, lang: str, expected: list[tuple[float, str, str]]) -> None:
    got = find_workloads(text, lang)
    assert [(w.value, w.unit, w.text) for w in got] == expected
    for w in got:
        assert text[w.char_start:w.char_end] == w.text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the maximum working time is 40 hours a week", "en"),
        ("staff work 37.5 hours per week", "en"),
        ("eine Arbeitszeit von 38,5 Stunden pro Woche", "de"),
        ("une durée du travail de 35 heures par semaine", "fr"),
        ("una jornada de 40 horas semanales", "es"),
        ("40 godzin w tygodniu", "pl"),
        ("37,5 tuntia viikossa", "fi"),
        ("40 timmar i veckan", "sv"),
        ("40 uur per week", "nl"),
        ("8 ur na dan", "sl"),
        ("40 de ore pe săptămână", "ro"),
    ],
)
def test_a_rate_of_time_is_no_workload(text: str, lang: str) -> None:
    """The hours of a working week or day (facets.workload_rates) are no credential's workload."""
    assert find_workloads(text, lang) == []


def test_a_workload_and_a_rate_in_one_sentence() -> None:
    got = find_workloads("The 5 ECTS course takes 10 hours per week over 12 weeks.", "en")
    assert [(w.value, w.unit, w.text) for w in got] == [(5, "ECTS", "5 ECTS"), (12, "weeks", "12 weeks")]


def test_a_workload_counts_only_about_micro_credentials() -> None:
    """The gate: the same sentence states an element in a segment about micro-credentials only."""
    text = "The course comprises 5 ECTS credits."
    assert segment_facets(text, "en").workload == []
    res = segment_facets(text, "en", labels=["microcredential"])
    assert [(w.value, w.unit) for w in res.workload] == [(5, "ECTS")]
    assert "workload" in res.facets["mc_elements"]


@pytest.mark.parametrize(
    ("text", "lang", "elements"),
    [
        ("Rezultatele învățării sunt descrise, iar evaluarea se face prin examen.", "ro",
         {"learning_outcomes", "assessment"}),
        ("Asigurarea calității este garantată; certificatul este eliberat de universitate.", "ro",
         {"quality_assurance", "awarding_body"}),
        ("A tanulási eredmények és az értékelés módja; a kiállító intézmény.", "hu",
         {"learning_outcomes", "assessment", "awarding_body"}),
        ("Előfeltétel: középfokú végzettség; a személyazonosság ellenőrzése.", "hu",
         {"prerequisites", "identity_verification"}),
        ("Ishodi učenja, vrednovanje i osiguravanje kvalitete.", "hr",
         {"learning_outcomes", "assessment", "quality_assurance"}),
        ("Mācīšanās rezultāti un vērtēšanas metodes; atzīme.", "lv",
         {"learning_outcomes", "assessment", "grade"}),
        ("Резултатите от ученето и оценяването; осигуряване на качеството.", "bg",
         {"learning_outcomes", "assessment", "quality_assurance"}),
        ("Обучението е онлайн.", "bg", {"participation_form"}),
        ("Nastava se izvodi na daljinu.", "hr", {"participation_form"}),
        ("A képzés online formában zajlik.", "hu", {"participation_form"}),
        ("Cursul se desfășoară la distanță.", "ro", {"participation_form"}),
        # the Annex I "form of participation" named, without a form
        ("La forma di partecipazione è indicata nel certificato.", "it", {"participation_form"}),
        ("A forma de participação consta do certificado.", "pt", {"participation_form"}),
        ("Forma uczestnictwa jest określona w programie.", "pl", {"participation_form"}),
        ("Osallistumismuoto mainitaan todistuksessa.", "fi", {"participation_form"}),
        ("Deltagandeformen anges i intyget.", "sv", {"participation_form"}),
        ("Oblika udeležbe je navedena v potrdilu.", "sl", {"participation_form"}),
        ("Forma de participare este menționată în certificat.", "ro", {"participation_form"}),
        ("La forme de participation figure sur le certificat.", "fr", {"participation_form"}),
        ("Le type d'assurance de la qualité figure sur le certificat.", "fr", {"quality_assurance"}),
        ("Microcreditul este de nivelul 5 al cadrului național al calificărilor și se poate cumula.", "ro",
         {"level", "stackability"}),
        ("A képzés az MKKR 5. szint szerinti, és beszámítható.", "hu", {"stackability"}),
        ("Mikrokvalifikacija je razine 4 HKO i može se kombinirati.", "hr", {"level", "stackability"}),
    ],
)
def test_elements_in_more_languages(text: str, lang: str, elements: set[str]) -> None:
    res = segment_facets(text, lang, labels=["microcredential"])
    assert elements <= set(res.facets.get("mc_elements", []))


@pytest.mark.parametrize(
    ("text", "lang", "form"),
    [
        ("Обучението е онлайн.", "bg", "online"),
        ("Nastava se izvodi uživo.", "hr", "onsite"),
        ("A képzés hibrid formában zajlik.", "hu", "blended"),
        ("Mācības notiek darbavietā.", "lv", "work_based"),
        ("Cursul se desfășoară cu frecvență.", "ro", "onsite"),
    ],
)
def test_participation_forms_in_more_languages(text: str, lang: str, form: str) -> None:
    res = segment_facets(text, lang, labels=["microcredential"])
    assert form in res.facets.get("participation_form", [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The short course carries 5 ECTS credits.", [(5, "ECTS")]),
        ("Short training modules of 2 to 10 credits.", [(2, "credits"), (10, "credits")]),
        ("The bachelor's programme of 180 ECTS credits.", []),  # a degree's workload
        ("The course lasts 40 hours.", []),  # hours need the micro-credential gate
    ],
)
def test_a_short_course_workload_in_a_short_learning_context(text: str, expected: list[tuple[float, str]]) -> None:
    """A short-learning context (not about micro-credentials) opens a workload up to the codebook's
    ``facets.mc_elements.short_workload_max`` of its unit, and the element with it."""
    res = segment_facets(text, "en", context=True)
    assert [(w.value, w.unit) for w in res.workload] == expected
    assert ("workload" in res.facets.get("mc_elements", [])) == bool(expected)
    assert "learning_outcomes" not in res.facets.get("mc_elements", [])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # the unit in brackets names it, as in a table's "Credits (ECTS): 6"
        ("a module of 10 credits (ECTS)", "en", [(10, "ECTS", "10 credits (ECTS)")]),
        ("a module of 10 credits (in total)", "en", [(10, "credits", "10 credits")]),  # near-miss: no unit in brackets
        # localized units: a university's CFU in words, Swedish higher VET points
        ("un corso di 5 crediti formativi universitari", "it", [(5, "ECTS", "5 crediti formativi universitari")]),
        ("un corso di 5 crediti formativi", "it", [(5, "credits", "5 crediti formativi")]),
        ("utbildningen omfattar 30 yrkeshögskolepoäng", "sv", [(30, "credits", "30 yrkeshögskolepoäng")]),
        ("kursen omfattar 7,5 högskolepoäng", "sv", [(7.5, "ECTS", "7,5 högskolepoäng")]),
        # a conversion next to a workload leaves the workload
        ("a 5 ECTS micro-credential (125 hours)", "en", [(5, "ECTS", "5 ECTS"), (125, "hours", "125 hours")]),
        ("5 ECTS corresponds to the first module", "en", [(5, "ECTS", "5 ECTS")]),  # no number after the verb
        # "credits ECTS" (the French order, in English texts too) is ECTS
        ("a module of 6 credits ECTS", "en", [(6, "ECTS", "6 credits ECTS")]),
        # a field list's unit in brackets after the field name
        ("Workload (hours): 150", "en", [(150, "hours", "(hours): 150")]),
        ("Arbeitsaufwand (Stunden): 150", "de", [(150, "hours", "(Stunden): 150")]),
        ("a fee (EUR): 150", "en", []),  # near-miss: no unit in the brackets
        ("(hours): 150", "en", []),  # near-miss: no field name before the brackets
    ],
)
def test_units_in_brackets_and_localized_units(text: str, lang: str, expected: list[tuple[float, str, str]]) -> None:
    assert [(w.value, w.unit, w.text) for w in find_workloads(text, lang)] == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("One ECTS credit corresponds to 25 to 30 hours of work.", "en"),
        ("1 ECTS credit is equivalent to 25-30 hours of study", "en"),
        ("a workload of 25-30 hours per ECTS credit", "en"),
        ("1 ECTS = 25-30 h", "en"),
        ("27 h/ECTS", "en"),
        ("1 ECTS-Punkt entspricht 25 bis 30 Stunden", "de"),
        ("30 Stunden pro Leistungspunkt", "de"),
        ("un crédit ECTS correspond à 25 à 30 heures de travail", "fr"),
        ("un crédito ECTS equivale a 25 horas", "es"),
        ("1 CFU corrisponde a 25 ore di studio", "it"),
        ("1 EC staat voor 28 uur studiebelasting", "nl"),
        ("25-30 godzin na 1 punkt ECTS", "pl"),
        ("1 högskolepoäng motsvarar 27 timmar", "sv"),
        ("1 studiepoeng tilsvarer 25-30 timer", "no"),
        ("1 opintopiste vastaa 27 tuntia", "fi"),
    ],
)
def test_a_credit_conversion_is_no_workload(text: str, lang: str) -> None:
    """The hours a credit stands for ("1 ECTS corresponds to 25-30 hours", facets.workload_rates) state
    no micro-credential's workload: neither the credit nor the hours."""
    assert find_workloads(text, lang) == []


def test_a_conversion_and_a_workload_in_one_sentence() -> None:
    got = find_workloads("The micro-credential is worth 5 ECTS; 1 ECTS corresponds to 25 hours.", "en")
    assert [(w.value, w.unit) for w in got] == [(5, "ECTS")]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("A micro-credential of 5 ECTS corresponds to 125 hours of work.", "en", [(5, "ECTS")]),
        ("5 ECTS = 125 h", "en", [(5, "ECTS")]),
        ("Die Weiterbildung im Umfang von 10 ECTS entspricht 250 Stunden.", "de", [(10, "ECTS")]),
        ("1 ECTS = 25 h", "en", []),  # near-miss: one credit, the unit defined
    ],
)
def test_a_workload_converted_keeps_its_credits(text: str, lang: str, expected: list[tuple[float, str]]) -> None:
    """Only one credit ("1 ECTS corresponds to ...") is the unit defined; a micro-credential's 5 ECTS
    stated with the hours they stand for stays its workload (the hours are the conversion's)."""
    assert [(w.value, w.unit) for w in find_workloads(text, lang)] == expected


@pytest.mark.parametrize(
    ("text", "lang", "element", "states"),
    [
        # Annex I elements in the words and inflections of more languages, each with a near-miss
        ("Le microcredenziali possono essere cumulate in qualifiche più ampie.", "it", "stackability", True),
        ("I dati cumulati dell'anno sono pubblicati con la microcredenziale.", "it", "stackability", False),
        ("Úroveň kvalifikačného rámca mikroosvedčenia je uvedená.", "sk", "level", True),
        ("Úroveň nezamestnanosti absolventov mikroosvedčení klesla.", "sk", "level", False),
        ("Nivået i NKR for mikrokvalifikasjonen er oppgitt.", "no", "level", True),
        ("Nivået på undervisningen i mikrokvalifikasjonen er høyt.", "no", "level", False),
        ("Level (and cycle, if applicable) of the learning experience leading to the micro-credential.", "en", "level", True),
        ("The level of funding (EUR) for the micro-credential is set each year.", "en", "level", False),
        ("Die Einrichtung, die das Mikrozertifikat ausstellt, wird genannt.", "de", "awarding_body", True),
        ("Die Ausstellung zeigt das Mikrozertifikat.", "de", "awarding_body", False),
        ("L'organisme qui délivre la microcertification est indiqué.", "fr", "awarding_body", True),
        ("L'organisme qui finance la microcertification est indiqué.", "fr", "awarding_body", False),
        ("De instelling die de microcredential uitreikt, staat erop.", "nl", "awarding_body", True),
        ("De instelling die de microcredential financiert, staat erop.", "nl", "awarding_body", False),
    ],
)
def test_elements_in_their_inflections(text: str, lang: str, element: str, states: bool) -> None:
    res = segment_facets(text, lang, labels=["microcredential"])
    assert (element in res.facets.get("mc_elements", [])) == states
