"""Every label fires in all eight core languages on sentences written for these tests
(not from the corpus, not from annotations/examples), and stays silent on negatives
that share the vocabulary ("legal framework", "level of funding", "unit price")."""

from __future__ import annotations

import pytest

from mctext.classify.rules import apply_rules, lexicons
from mctext.codebook import LABELS
from mctext.lang import label_cues

MC, DR, NQ, VA, ST, QT = "microcredential", "driver", "nqf", "validation", "stackability", "quality_trust"

# (lang, label, positive sentence, negative sentence sharing vocabulary)
CASES = [
    # microcredential
    ("en", MC, "Learners who finish the module receive a micro-credential from the college.", "Learners who finish the module receive a certificate of attendance."),
    ("de", MC, "Nach dem Kurs erhalten die Teilnehmenden ein Mikrozertifikat der Hochschule.", "Nach dem Kurs erhalten die Teilnehmenden eine Teilnahmebescheinigung der Hochschule."),
    ("fr", MC, "Les stagiaires obtiennent une micro-certification reconnue à la fin du parcours.", "Les stagiaires obtiennent une attestation de présence à la fin du parcours."),
    ("nl", MC, "Deelnemers ontvangen na afloop een microcredential van de universiteit.", "Deelnemers ontvangen na afloop een bewijs van deelname van de universiteit."),
    ("fi", MC, "Opiskelija voi suorittaa mikrotutkinnon verkossa.", "Opiskelija voi suorittaa kurssin verkossa."),
    ("sl", MC, "Udeleženci po zaključku prejmejo mikrodokazilo fakultete.", "Udeleženci po zaključku prejmejo potrdilo o udeležbi fakultete."),
    ("pl", MC, "Po zakończeniu zajęć uczestnik otrzymuje mikropoświadczenie uczelni.", "Po zakończeniu zajęć uczestnik otrzymuje zaświadczenie o udziale."),
    ("es", MC, "Al terminar el taller, el alumnado obtiene una microcredencial universitaria.", "Al terminar el taller, el alumnado obtiene un diploma de asistencia."),
    # driver (cause + micro-credential / short-learning context) vs. the same context without a cause
    ("en", DR, "Colleges offer micro-credentials in response to shortages of nurses.", "Colleges offer micro-credentials in nursing and midwifery."),
    ("de", DR, "Wegen des Mangels an Pflegekräften bieten Hochschulen Mikro-Credentials an.", "Hochschulen bieten Mikro-Credentials in der Pflege an."),
    ("fr", DR, "Les universités créent des micro-certifications afin de répondre aux besoins des employeurs.", "Les universités délivrent des micro-certifications en soins infirmiers."),
    ("nl", DR, "Vanwege de vergrijzing zetten hogescholen microcredentials in voor zorgpersoneel.", "Hogescholen bieden microcredentials aan voor zorgpersoneel."),
    ("fi", DR, "Osaamismerkkejä otetaan käyttöön, jotta työntekijät voivat päivittää taitojaan.", "Osaamismerkkejä myönnetään hoitoalan opiskelijoille."),
    ("sl", DR, "Mikrodokazila uvajamo zaradi hitrih sprememb na trgu dela.", "Mikrodokazila podeljujemo študentom zdravstvene nege."),
    ("pl", DR, "Mikropoświadczenia wprowadzono w odpowiedzi na zmiany technologiczne.", "Mikropoświadczenia wydaje się studentom pielęgniarstwa."),
    ("es", DR, "Se crean microcredenciales debido a la escasez de personal sanitario.", "Se expiden microcredenciales a estudiantes de enfermería."),
    # nqf vs. "framework"/"level" in another sense
    ("en", NQ, "The diploma is placed at level 6 of the national qualifications framework.", "The legal framework sets the level of funding for each school."),
    ("de", NQ, "Der Abschluss ist dem Deutschen Qualifikationsrahmen auf Niveau 6 zugeordnet.", "Der Rechtsrahmen regelt die Höhe der Förderung für jede Schule."),
    ("fr", NQ, "Le diplôme est inscrit au RNCP au niveau 6.", "Le cadre juridique fixe le montant des aides aux écoles."),
    ("nl", NQ, "De opleiding is ingeschaald op NLQF-niveau 6.", "Het wettelijk kader bepaalt de hoogte van de subsidie."),
    ("fi", NQ, "Tutkinto on sijoitettu tutkintojen viitekehyksen tasolle 6.", "Lainsäädännöllinen kehys määrää rahoituksen tason."),
    ("sl", NQ, "Diploma je uvrščena na 6. raven slovenskega ogrodja kvalifikacij.", "Pravni okvir določa višino financiranja šol."),
    ("pl", NQ, "Dyplom został przypisany do poziomu 6 Polskiej Ramy Kwalifikacji.", "Ramy prawne określają wysokość dotacji dla szkół."),
    ("es", NQ, "El título se sitúa en el nivel 6 del Marco Español de Cualificaciones.", "El marco jurídico fija la cuantía de las ayudas a los centros."),
    # validation vs. recognition of a foreign diploma / technical validation
    ("en", VA, "Adults can have skills gained through informal learning validated by an assessor.", "The embassy checks whether a foreign diploma is authentic."),
    ("de", VA, "Im Validierungsverfahren werden informell erworbene Kompetenzen festgestellt.", "Die Botschaft prüft, ob ein ausländisches Diplom echt ist."),
    ("fr", VA, "Une démarche de VAE permet d'obtenir un diplôme grâce à l'expérience.", "Le consulat vérifie l'authenticité d'un diplôme étranger."),
    ("nl", VA, "Via een EVC-traject worden eerder verworven competenties erkend.", "Het consulaat controleert of een buitenlands diploma echt is."),
    ("fi", VA, "Oppilaitos tunnistaa ja tunnustaa opiskelijan aiemmin hankitun osaamisen.", "Konsulaatti tarkistaa ulkomaisen tutkintotodistuksen aitouden."),
    ("sl", VA, "Kandidatom omogočamo priznavanje neformalno pridobljenega znanja.", "Konzulat preveri pristnost tuje diplome."),
    ("pl", VA, "Walidacja umiejętności zdobytych w pracy kończy się wydaniem certyfikatu.", "Konsulat sprawdza autentyczność zagranicznego dyplomu."),
    ("es", VA, "El procedimiento de acreditación de competencias reconoce la experiencia laboral.", "El consulado comprueba la autenticidad de un título extranjero."),
    # stackability vs. price per unit / plain duration
    ("en", ST, "Units of learning outcomes can be accumulated toward the full award.", "The unit price of the textbooks rose last year."),
    ("de", ST, "Die Teilqualifikationen können schrittweise zum Berufsabschluss kombiniert werden.", "Der Stückpreis der Lehrbücher ist gestiegen."),
    ("fr", ST, "Les blocs de compétences sont capitalisables et mènent au diplôme complet.", "Le prix unitaire des manuels a augmenté."),
    ("nl", ST, "Studenten kunnen deelkwalificaties stapelen tot een volledig diploma.", "De prijs per stuk van de schoolboeken is gestegen."),
    ("fi", ST, "Tutkinnon osat ovat laajuudeltaan 15 osaamispistettä.", "Oppikirjan kappalehinta nousi viime vuonna."),
    ("sl", ST, "Moduli se lahko kopičijo v celotno poklicno kvalifikacijo.", "Cena učbenikov se je lani zvišala."),
    ("pl", ST, "Moduły można kumulować i łączyć w pełną kwalifikację.", "Cena jednostkowa podręczników wzrosła."),
    ("es", ST, "Los módulos son acumulables hasta obtener el título completo.", "El precio unitario de los libros subió."),
    # quality_trust vs. quality of something unrelated to credentials
    ("en", QT, "An external agency carries out quality assurance of the short courses.", "The quality of life in the town has improved."),
    ("de", QT, "Die Anbieter müssen eine Akkreditierung nachweisen.", "Das Wetter in der Stadt war im Sommer sehr heiß."),
    ("fr", QT, "Les organismes certificateurs font l'objet d'une assurance qualité externe.", "La qualité de vie en ville s'est améliorée."),
    ("nl", QT, "Een externe instantie bewaakt de kwaliteitszorg van de opleidingen.", "Het weer in de stad was deze zomer erg warm."),
    ("fi", QT, "Koulutusten laadunvarmistus on ulkoisen arvioijan vastuulla.", "Kaupungin sää oli kesällä hyvin lämmin."),
    ("sl", QT, "Zunanja agencija skrbi za zagotavljanje kakovosti programov.", "Kakovost življenja v mestu se je izboljšala."),
    ("pl", QT, "Zewnętrzna agencja odpowiada za zapewnianie jakości kursów.", "Jakość życia w mieście się poprawiła."),
    ("es", QT, "Una agencia externa realiza la garantía de calidad de los cursos.", "La calidad de vida en la ciudad ha mejorado."),
]


def test_every_label_in_every_core_language_is_covered() -> None:
    langs = {"en", "de", "fr", "nl", "fi", "sl", "pl", "es"}
    for label in LABELS:
        assert {lang for lang, lab, _, _ in CASES if lab == label} == langs, label
        assert langs <= set(label_cues(label)), f"{label}: cues missing for {langs - set(label_cues(label))}"


@pytest.mark.parametrize(("lang", "label", "pos", "neg"), CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_rules_positive_and_negative(lang: str, label: str, pos: str, neg: str) -> None:
    hit = apply_rules(pos, lang)
    assert label in hit.labels, f"{label} missed: {pos}"
    assert any(c.label == label and pos[c.start : c.end] == c.text for c in hit.cues if c.end > c.start)
    assert label not in apply_rules(neg, lang).labels, f"{label} false hit: {neg}"


@pytest.mark.parametrize(("lang", "label", "pos", "neg"), CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_classifier_positive_and_negative(lang: str, label: str, pos: str, neg: str) -> None:
    from mctext.classify import load_classifier

    clf = load_classifier()
    p_pos, p_neg = clf.predict([pos, neg], [lang, lang])
    assert label in p_pos.labels, f"{label} missed ({clf.version}): {pos} {p_pos.scores}"
    assert label not in p_neg.labels, f"{label} false hit ({clf.version}): {neg} {p_neg.scores}"


def test_inflection_and_compounds() -> None:
    assert "nqf" in apply_rules("Die Einordnung in den Bundesqualifikationsrahmen ist erfolgt.").labels
    assert "stackability" in apply_rules("Eine Teilqualifikation kann später ergänzt werden.").labels
    assert "microcredential" in apply_rules("Mikrotutkinnoista saatu palaute oli hyvää.").labels  # elative plural
    assert "validation" in apply_rules("Dzięki walidacji uzyskała certyfikat.").labels  # Polish instrumental


def test_guards_drop_overlapping_hits_only() -> None:
    res = apply_rules("The validation of the credential signature failed, but validation of prior learning succeeded.")
    names = [c.cue for c in res.cues if c.label == "validation"]
    assert "validation" in res.labels and names
    assert all(not c.text.lower().startswith("validation of the credential") for c in res.cues)


def test_lexicons_compile_once() -> None:
    assert lexicons() is lexicons()


# Transparency of public administration or politics is not transparency of credentials (codebook
# quality_trust). Here, not in tests/languages/*.yaml: "transparen-" is a cue stem in several
# languages, so these sentences would trip the cross-language test.
PUBLIC_TRANSPARENCY = [
    ("en", "The law improves the transparency of public spending and party financing."),
    ("de", "Das Gesetz stärkt die Transparenz der öffentlichen Verwaltung."),
    ("fr", "La loi renforce la transparence de la vie publique."),
    ("pl", "Ustawa zwiększa przejrzystość finansów publicznych."),
    ("cs", "Zákon zvyšuje transparentní hospodaření obcí."),
    ("sk", "Zákon zvyšuje transparentnosť verejnej správy."),
    ("it", "La legge garantisce la trasparenza della pubblica amministrazione."),
    ("sl", "Zakon povečuje preglednost javne uprave."),
]


@pytest.mark.parametrize(("lang", "text"), PUBLIC_TRANSPARENCY, ids=[c[0] for c in PUBLIC_TRANSPARENCY])
def test_public_transparency_is_not_quality_trust(lang: str, text: str) -> None:
    assert "quality_trust" not in apply_rules(text, lang).labels


def test_transparency_of_credentials_stays_quality_trust() -> None:
    assert "quality_trust" in apply_rules("The learning outcomes of each micro-credential are made transparent.", "en").labels
    assert "quality_trust" in apply_rules("Die Transparenz der Zertifikate stärkt das Vertrauen der Arbeitgeber.", "de").labels


# Guards (issue 11, h-qt3): "verifiable" indicators of a project's logical framework and the quality
# criteria of a public procurement are not quality or trust of credentials (codebook quality_trust).
# Here, not in tests/languages/*.yaml: the procurement sentences carry the quality stem of several
# languages. Each guarded sentence has a control that must still fire.
QT_GUARDED = [
    ("en", "The project uses objectively verifiable indicators.", "Employers can verify the certificate online."),
    ("en", "The procurement sets quality criteria for the tenders.", "Quality assurance of the training is the responsibility of the provider."),
    ("sl", "Projekt uporablja objektivno preverljive kazalnike.", "Značke so preverljive in jih ni mogoče spreminjati."),
    ("sl", "Naročnik določi merila kakovosti za ponudbe.", "Za zagotavljanje kakovosti usposabljanja je odgovoren izvajalec."),
    ("pl", "Projekt stosuje obiektywnie weryfikowalne wskaźniki.", "Odznaki są weryfikowalne i nie można ich zmienić."),
    ("pl", "Zamawiający określa kryteria jakości ofert.", "Za zapewnianie jakości szkolenia odpowiada dostawca."),
    ("fi", "Hankinnan laatuvaatimuksissa on otettava huomioon koulutuspalvelun laatu.", "Laatumerkin saaneet kurssit on merkitty rekisteriin."),
    ("de", "Das Projekt nutzt objektiv überprüfbare Indikatoren.", "Die Badges sind überprüfbar und können nicht verändert werden."),
    ("de", "Bei der Vergabe ist die Qualität der Angebote zu berücksichtigen.", "Für die Qualitätssicherung der Weiterbildung ist der Anbieter verantwortlich."),
    ("hr", "Projekt koristi objektivno provjerljive pokazatelje.", "Značke su provjerljive i ne mogu se mijenjati."),
    ("hr", "Kvaliteta obrazovnog sustava ovisi o nastavnicima.", "Za osiguravanje kvalitete osposobljavanja odgovoran je pružatelj."),
    ("pt", "O projeto utiliza indicadores objetivamente verificáveis.", "Os badges são verificáveis e não podem ser alterados."),
    ("pt", "O concurso define critérios de qualidade para as propostas.", "A garantia da qualidade da formação é da responsabilidade do prestador."),
    ("pt", "A qualidade do sistema educativo melhorou.", "Os cursos com o selo de qualidade estão inscritos no registo."),
]


@pytest.mark.parametrize(("lang", "guarded", "control"), QT_GUARDED, ids=[f"{c[0]}-{i}" for i, c in enumerate(QT_GUARDED)])
def test_quality_trust_guards_indicators_procurement_system_quality(lang: str, guarded: str, control: str) -> None:
    assert "quality_trust" not in apply_rules(guarded, lang).labels
    assert "quality_trust" in apply_rules(control, lang).labels


def test_croatian_integrity_of_credentials_is_quality_trust() -> None:
    """hr 'integritet' (shared with sl, so not in tests/languages/hr.yaml, whose sentences the other
    languages' cues must not reach): the integrity of a credential, not of a person or data in general."""
    assert "quality_trust" in apply_rules("Blockchain štiti integritet vjerodajnice.", "hr").labels
    assert "quality_trust" not in apply_rules("Sudac je poznat po svom integritetu.", "hr").labels
