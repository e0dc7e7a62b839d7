"""Driver rule cases per language, written for mctext (not copied from documents).

A driver needs a cause construction, a micro-credential or short-certified-learning context and a
driver-type cue (codebook v1.2); each positive below exercises a cause, context or type cue of its
language; each negative shares the cause vocabulary but states a cause for education in general
(no micro-credential context) or describes a micro-credential with no cause.
"""

from __future__ import annotations

import pytest

from mctext.classify.rules import apply_rules

POSITIVES = [
    # (lang, text, driver types the rules must find)
    ("da", "Universitetet udbyder korte moduler med kursusbevis for at afhjælpe kompetencemangler hos virksomhederne.", ["labour_market"]),
    ("da", "Mikroeksamensbeviserne er tilrettelagt, så medarbejdere kan opkvalificere sig ved siden af jobbet.", ["upskilling", "flexibility_access"]),
    ("is", "Á tímum örra tæknibreytinga bjóða háskólar örnámsskírteini.", ["digital_green"]),
    ("is", "Örnámsskírteini stytta námstímann og lækka kostnað fyrir starfandi sérfræðinga.", ["upskilling", "flexibility_access"]),
    ("mt", "L-universitajiet joffru mikrokredenzjali abbażi tal-viżjoni tagħhom dwar it-tagħlim tul il-ħajja.", ["upskilling"]),
    ("mt", "F'era ta' bidla teknoloġika, il-korsijiet qosra jimlew id-distakk fil-ħiliet.", ["digital_green"]),
    ("hu", "Az egyetem rövid, gyakorlati modulokat kínál a munkaerőpiaci igények kielégítésére.", ["labour_market"]),
    ("hu", "A mikrotanúsítványok csökkentik a képzési időt, és a munka mellett is megszerezhetők.", ["flexibility_access"]),
    ("lv", "Mikrokvalifikācijas ir pielāgotas darba tirgus prasībām un samazina mācību laiku.", ["labour_market", "flexibility_access"]),
    ("lv", "Pamatojoties uz mūžizglītības stratēģiju, universitāte piedāvā īsus moduļus strādājošiem speciālistiem.", ["upskilling"]),
    ("ro", "Microcredențialele sunt adaptate cerințelor pieței muncii și pot fi cumulate într-o diplomă.", ["labour_market", "flexibility_access"]),
    ("ro", "Cursurile scurte certificate sunt finanțate pentru ca șomerii să se poată recalifica.", ["upskilling"]),
    ("bg", "Микроквалификациите са съобразени с изискванията на пазара на труда.", ["labour_market"]),
    ("bg", "Кратки, гъвкави модули намаляват времето за обучение на работещите.", ["flexibility_access"]),
    ("hr", "Uprava nudi mikrokvalifikacije na temelju strategije cjeloživotnog učenja.", ["upskilling"]),
    ("hr", "Mikrokvalifikacije su prilagođene zahtjevima poslodavaca.", ["labour_market"]),
    ("pt", "Numa era de mudança tecnológica, as universidades oferecem microcredenciais.", ["digital_green"]),
    ("pt", "As microcredenciais podem ser acumuladas, reduzindo o tempo até ao grau.", ["flexibility_access"]),
]

NEGATIVES = [
    ("da", "Folkeskolen skal styrkes for at afhjælpe manglen på læsefærdigheder."),
    ("da", "Mikroeksamensbeviserne udstedes af universitetet efter en prøve."),
    ("is", "Á tímum tæknibreytinga þarf grunnskólinn nýja námskrá."),
    ("is", "Örnámsskírteinin eru gefin út af háskólanum."),
    ("mt", "Il-gvern qed jindirizza l-ħtiġijiet tal-iskejjel primarji."),
    ("mt", "Il-mikrokredenzjali jinħarġu mill-università."),
    ("hu", "Az iskolák a digitális átállás érdekében új tananyagot kapnak."),
    ("hu", "A mikrotanúsítványokat az egyetem adja ki."),
    ("lv", "Skolās ieviesīs jaunu mācību saturu, pamatojoties uz digitalizācijas plānu."),
    ("lv", "Mikrokvalifikācijas izsniedz augstskola."),
    ("ro", "Școlile primesc fonduri pentru ca elevii să învețe mai bine."),
    ("ro", "Microcredențialele sunt eliberate de universitate."),
    ("bg", "Училищата получават нови учебници, съобразени с изискванията на министерството."),
    ("bg", "Микроквалификациите се издават от университета."),
    ("hr", "Škole su opremljene na temelju plana digitalizacije."),
    ("hr", "Mikrokvalifikacije izdaje sveučilište."),
    ("pt", "Numa era de mudança tecnológica, as escolas precisam de novos currículos."),
    ("pt", "As microcredenciais são emitidas pela universidade."),
]


@pytest.mark.parametrize(("lang", "text", "types"), POSITIVES, ids=[f"{c[0]}-{i}" for i, c in enumerate(POSITIVES)])
def test_driver_found(lang: str, text: str, types: list[str]) -> None:
    res = apply_rules(text, lang)
    assert "driver" in res.labels, f"{lang}: {text} -> {[c.cue for c in res.cues]}"
    assert set(types) <= set(res.driver_types), f"{lang}: {text} -> {res.driver_types}"


@pytest.mark.parametrize(("lang", "text"), NEGATIVES, ids=[f"{c[0]}-{i}" for i, c in enumerate(NEGATIVES)])
def test_no_driver(lang: str, text: str) -> None:
    res = apply_rules(text, lang)
    assert "driver" not in res.labels, f"{lang}: {text} -> {[c.cue for c in res.cues if c.label == 'driver']}"
