"""Country names that are also common words of another language (classify/countries.py and the
``country_names`` of the language data): they must not name a country where they are the word.
Sentences are written for these tests."""

from __future__ import annotations

import pytest

from mctext.classify.countries import find_countries
from mctext.classify.facets import facets_of_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Les données sont traitées aux fins de la validation des acquis.", []),  # fr "fins", not nl "Fins"
        ("Het Finse model van microcredentials wordt vaak genoemd.", ["FI"]),
        ("Uczestnicy podają swoje dane osobowe.", []),  # pl "dane" (data), not en "Danes"
        ("Danes often take short courses.", ["DK"]),
        ("Kratki tečaji so danes pogosti.", []),  # sl "danes" (today)
        ("Las amenazas cibernéticas exigen formación corta.", []),  # es "cibernético", not Cyprus
        ("El modelo chipriota de formación corta.", ["CY"]),
    ],
)
def test_common_words_are_no_country(text: str, expected: list[str]) -> None:
    assert find_countries(text) == expected


def test_french_aux_fins_de_gives_luxembourg_no_link_to_finland() -> None:
    """The LU -> FI false link of international_links: a model cue and "aux fins de" in one sentence."""
    text = ("À l'instar des autres pays, les données sont collectées aux fins de la certification "
            "des formations courtes.")
    res = facets_of_text(text, "fr", doc_country="LU")
    assert not [v for v in res.facets.get("international", []) if v.startswith("country:")]
