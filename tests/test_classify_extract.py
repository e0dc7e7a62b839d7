"""NQF levels and countries extracted from sentences written for these tests."""

from __future__ import annotations

import pytest

from mctext.classify.countries import (
    COUNTRY_NAMES,
    attribute_countries,
    find_countries,
    national_framework,
)
from mctext.classify.levels import extract_nqf_levels, scale


def _levels(text: str, country: str | None = None) -> list[tuple[str, int]]:
    return [(lv.framework, lv.level) for lv in extract_nqf_levels(text, country=country)]


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("The course leads to an award at EQF level 5.", None, [("EQF", 5)]),
        ("Programmes at levels 6 to 8 of the NFQ are funded.", None, [("NFQ", 6), ("NFQ", 7), ("NFQ", 8)]),
        ("Der Abschluss entspricht Niveau 4 des DQR.", "DE", [("DQR", 4)]),
        ("Un titre de niveau 5 (CEC 5) est délivré.", "FR", [("RNCP", 5), ("EQF", 5)]),
        ("Tutkinto on tason 8 tutkinto.", "FI", [("FiNQF", 8)]),
        ("Kwalifikacja ma poziom 6 PRK.", "PL", [("PRK", 6)]),
        ("Se trata de un certificado de nivel 3.", "ES", [("MECU", 3)]),
        ("The certificate sits at level IV of the framework.", "IE", [("NFQ", 4)]),
        ("Only level five courses are free for jobseekers.", "IE", [("NFQ", 5)]),
        ("Ce diplôme est classé au niveau trois.", "FR", [("RNCP", 3)]),
        ("Awards are made at levels 3, 4 and 5 on the NFQ.", "IE", [("NFQ", 3), ("NFQ", 4), ("NFQ", 5)]),
        ("Courses range from NFQ Level 6 to Level 9.", "IE", [("NFQ", n) for n in range(6, 10)]),
        ("EQF-Niveau 6 und DQR-Niveau 6 sind gleichwertig.", "DE", [("EQF", 6), ("DQR", 6)]),
        ("Kvalifikacija je na 4. ravni SOK.", "SI", [("SOK", 4)]),
        ("A bare level 4 qualification with no country known.", None, [("NQF", 4)]),
        ("A bare level 4 in a sentence about something else.", None, []),
        ("De opleiding valt op NLQF 5.", "NL", [("NLQF", 5)]),
        ("Tasks are described at level 4 and the framework at large.", "EU", [("EQF", 4)]),
    ],
)
def test_levels(text: str, country: str | None, expected: list[tuple[str, int]]) -> None:
    assert _levels(text, country) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The level of funding rose by 5% in 2023.",
        "The framework has 8 levels and two strands.",
        "Article 12 of the regulation applies.",
        "RNCP 34567 is the record number.",
    ],
)
def test_no_levels(text: str) -> None:
    assert _levels(text, "IE") == []


def test_scale() -> None:
    assert scale("EQF") == "EQF" and scale("NFQ") == "national" and scale("NQF") == "national"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Learners in Finland and Sweden took part.", ["FI", "SE"]),
        ("Die Regelung gilt in Deutschland und Österreich.", ["AT", "DE"]),
        ("Le dispositif existe en France et en Espagne.", ["ES", "FR"]),
        ("Szkolenia odbywały się w Polsce i na Słowacji.", ["PL", "SK"]),
        ("Projekt sta vodili Slovenija in Hrvaška.", ["HR", "SI"]),
        ("Het programma loopt in Nederland en België.", ["BE", "NL"]),
        ("Hanke toteutettiin Saksassa ja Virossa.", ["DE", "EE"]),
        ("La iniciativa se aplica en los Estados miembros de la Unión Europea.", ["EU"]),
        ("Students from Northern Ireland may apply.", ["GB"]),
        ("Tá an cúrsa ar fáil in Éirinn agus sa Ghearmáin.", ["DE", "IE"]),
        ("The Irish framework is aligned with the European one.", ["EU", "IE"]),
    ],
)
def test_find_countries(text: str, expected: list[str]) -> None:
    assert find_countries(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Please polish the wording of the draft.",
        "She attends German language courses twice a week.",
        "Il a eu de la chance.",
        "The candidate named Daniel passed.",
        "There is a finns-like name here? no country.",
    ],
)
def test_country_false_hits(text: str) -> None:
    assert find_countries(text) == []


def test_country_fallbacks() -> None:
    assert attribute_countries("Courses in Spain are free.", "Ireland > Fees", "IE") == ["ES"]
    assert attribute_countries("Courses are free.", "3 Ireland", "FR") == ["IE"]
    assert attribute_countries("Courses are free.", "3 Fees", "FR") == ["FR"]
    assert attribute_countries("Courses are free.", "", "XX") == []
    assert attribute_countries("Courses are free.", "", "") == []


def test_country_table() -> None:
    assert COUNTRY_NAMES["DE"] == "Germany" and "EU" in COUNTRY_NAMES and "GB" in COUNTRY_NAMES
    assert national_framework("IE") == "NFQ" and national_framework("ZZ") == "NQF"
