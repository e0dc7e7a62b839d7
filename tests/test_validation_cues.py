"""Validation on unseen documents (issue 11): the prior-learning phrase said other ways, and the
procedural sentences of a validation procedure that never repeat the key term.

Every sentence here was written for these tests (none is taken from a document). A procedural
sentence ("the candidate submits a portfolio to the assessor") is validation only inside a
validation scope: a document title or section heading that names validation, or (reading order)
labelled neighbours; the same sentence in a document about something else stays unlabelled.
"""

from __future__ import annotations

import pytest

from mctext.classify import classify_segments
from mctext.classify.model import rules_only_classifier
from mctext.classify.rules import apply_rules
from mctext.records import Segment

VAL = "validation"


def _doc(rows: list[tuple[str, str]], lang: str, title: str = "") -> list[tuple[list[str], list[str]]]:
    """(labels, validation cues) of each (section, text) of one document, by the rules and document passes."""
    segs = [Segment(id=f"s{i}", doc_id="d", page=1, page_end=1, start=0, end=len(text), text=text, lang=lang,
                    section=section) for i, (section, text) in enumerate(rows)]
    preds = classify_segments(segs, "", rules_only_classifier("test"), title)
    return [(p.labels, [c.cue for c in p.cues if c.label == VAL]) for p in preds]


# (lang, a title naming validation, a procedural sentence with no validation cue of its own)
PROCEDURAL = [
    ("en", "Recognition of prior learning in further education", "The candidate submits a portfolio to the assessor."),
    ("en", "Validation of non-formal and informal learning", "Candidates who fail may be awarded part of the qualification."),
    ("en", "Recognition of prior learning in further education", "Units achieved in this way are recognised for life."),
    ("fr", "La validation des acquis de l'expérience", "Le candidat présente son expérience devant le jury."),
    ("fr", "La validation des acquis de l'expérience", "Les blocs obtenus restent acquis définitivement."),
    ("de", "Validierung von non-formalem und informellem Lernen", "Die Gutachter führen ein Fachgespräch mit der Person."),
    ("nl", "Erkenning van eerder verworven competenties (EVC)", "De assessor beoordeelt het portfolio van de deelnemer."),
    ("sv", "Validering inom vuxenutbildningen", "En bedömare går igenom underlaget med den sökande."),
    ("no", "Realkompetansevurdering for voksne", "Den sakkyndige går gjennom mappa sammen med kandidaten."),
    ("da", "Realkompetencevurdering på erhvervsskolerne", "Skolen udsteder et kompetencebevis efter samtalen."),
    ("fi", "Osaamisen tunnistaminen ja tunnustaminen", "Opiskelija voi osoittaa osaamisensa näytössä."),
    ("pl", "Walidacja efektów uczenia się", "Komisja przeprowadza rozmowę z kandydatem."),
    ("sl", "Priznavanje neformalno pridobljenega znanja", "Kandidat predloži dokazila o znanju in spretnostih."),
    ("es", "Reconocimiento de las competencias profesionales adquiridas por experiencia laboral",
     "El asesor ayuda a preparar el historial profesional."),
    ("it", "Validazione e certificazione delle competenze", "La commissione esamina il dossier della persona."),
    ("pt", "Reconhecimento, validação e certificação de competências", "O avaliador analisa o portefólio do adulto."),
    ("et", "Varasemate õpingute ja töökogemuse arvestamine", "Hindaja vaatab läbi taotleja portfoolio."),
    ("lt", "Neformaliuoju ir savaiminiu būdu įgytų kompetencijų pripažinimas", "Vertintojas peržiūri asmens pateiktus įrodymus."),
    ("cs", "Uznávání výsledků dalšího vzdělávání", "Zkušební komise rozhodne, zda uchazeč splnil všechny požadavky."),
    ("sk", "Uznávanie výsledkov ďalšieho vzdelávania", "Skúšobná komisia overí, či uchádzač preukáže požadované zručnosti."),
    # outcomes said in plain words: recognised for life, a partial result
    ("es", "Reconocimiento de las competencias profesionales adquiridas por experiencia laboral",
     "Las unidades obtenidas se reconocen de por vida."),
    ("it", "Validazione e certificazione delle competenze", "I risultati ottenuti restano validi a vita."),
    ("pt", "Reconhecimento, validação e certificação de competências", "O resultado fica registado para toda a vida."),
    ("sv", "Validering inom vuxenutbildningen", "Beslutet är permanent giltigt."),
    ("pl", "Walidacja efektów uczenia się", "Wydany dokument jest ważny bezterminowo."),
    ("sl", "Priznavanje neformalno pridobljenega znanja", "Rezultat je trajno priznan."),
    ("no", "Realkompetansevurdering for voksne", "Søkeren fikk faget delvis godkjent."),
    ("el", "Πιστοποίηση της μη τυπικής και άτυπης μάθησης", "Ο αξιολογητής εξετάζει τον φάκελο δεξιοτήτων του υποψηφίου."),
    ("pt", "Reconhecimento, validação e certificação de competências", "A prova consiste numa simulação de situação profissional."),
    # the procedure's administration: a new application, the decision notified to the candidate, an incomplete application
    ("fr", "La validation des acquis de l'expérience", "Pour un autre diplôme, il peut déposer une nouvelle demande la session suivante."),
    ("fr", "La validation des acquis de l'expérience", "La démarche est faite de façon individuelle et volontaire."),
    ("hr", "Vrednovanje neformalnog i informalnog učenja", "Kandidat podnosi portfelj povjerenstvu."),
    ("hr", "Vrednovanje neformalnog i informalnog učenja", "Kandidata se o odluci obavještava u roku od mjesec dana."),
    ("sl", "Priznavanje neformalno pridobljenega znanja", "Organ kandidata o odločitvi obvesti v enem mesecu."),
    ("pl", "Walidacja efektów uczenia się", "Organ doręcza kandydatowi decyzję w terminie miesiąca."),
    ("pl", "Walidacja efektów uczenia się", "Niekompletny wniosek nie zostanie rozpatrzony."),
    ("fi", "Osaamisen tunnistaminen ja tunnustaminen", "Viranomainen antaa päätöksen hakijalle tiedoksi kuukauden kuluessa."),
    ("de", "Validierung von non-formalem und informellem Lernen", "Die Behörde teilt dem Bewerber die Entscheidung binnen eines Monats mit."),
    ("pt", "Reconhecimento, validação e certificação de competências", "A entidade notifica o candidato da decisão no prazo de um mês."),
]


@pytest.mark.parametrize(("lang", "title", "text"), PROCEDURAL, ids=lambda v: v[:30])
def test_a_procedural_sentence_is_validation_only_in_a_validation_document(lang: str, title: str, text: str) -> None:
    assert VAL not in apply_rules(text, lang).labels  # no cue of its own ...
    (labels, cues), = _doc([("", text)], lang, title)
    assert VAL in labels and cues and cues[0].startswith("context: document title"), (labels, cues)
    (labels, _), = _doc([("", text)], lang, "Annual report 2023")  # ... and nothing in another document
    assert VAL not in labels


def test_a_validation_section_carries_its_procedural_sentences_and_no_other_section() -> None:
    rows = [
        ("Admission > Recognition of prior learning", "Applicants provide evidence of their competences."),
        ("Admission > Recognition of prior learning", "The ministry met the trade unions on Monday."),
        ("Admission > Fees", "Applicants provide evidence of their income."),
        ("Admission > Fees", "The candidate submits a portfolio to the assessor."),
    ]
    out = _doc(rows, "en", "Guide for students")
    assert out[0] == ([VAL], ["context: section 'Recognition of prior learning' p. 1"])
    assert VAL not in out[1][0] and VAL not in out[2][0] and VAL not in out[3][0]


def test_labelled_neighbours_carry_a_procedural_sentence_in_reading_order() -> None:
    rows = [
        ("", "Adults can have their prior learning recognised at the college."),
        ("", "The assessor meets each person twice."),
        ("", "Non-formal learning can be validated for a certificate."),
    ]
    out = _doc(rows, "en", "Guide for students")
    assert out[1] == ([VAL], ["context: neighbours labelled p. 1"])


def test_false_procedural_cues_inside_a_validation_document() -> None:
    """Words that look procedural but are not: the European Commission, a course 'dispensed' (given),
    a joint administrative committee, a placement period ('mise en situation en milieu professionnel')."""
    title = "La validation des acquis de l'expérience"
    rows = [
        ("", "La Commission européenne publie un rapport chaque année."),
        ("", "La formation est dispensée par des organismes agréés."),
        ("", "Le refus est soumis à l'avis de la commission administrative paritaire."),
        ("", "Une période de mise en situation en milieu professionnel dure deux semaines."),
        ("", "Le candidat est dispensé de l'épreuve écrite."),
    ]
    out = _doc(rows, "fr", title)
    assert [VAL in labels for labels, _ in out] == [False, False, False, False, True]


# the prior-learning phrase with other words around it: (lang, positive, vocabulary-sharing negative)
PHRASES = [
    ("en", "The law sets out the recognition of competences acquired outside formal education.",
     "Pupils were taught outside the school building during the renovation."),
    ("en", "Learning acquired outside the formal system can count towards a certificate.",
     "Adults acquired new habits outside working hours."),
    ("fr", "Les compétences acquises en dehors du système scolaire peuvent être reconnues.",
     "Les élèves déjeunent en dehors de l'école le mercredi."),
    ("de", "Außerhalb des Hochschulwesens erworbene Kenntnisse können angerechnet werden.",
     "Außerhalb des Hochschulgebäudes gilt die Hausordnung nicht."),
    ("sv", "Realkompetensen bedöms av högskolan inför antagningen.",
     "Högskolan bedömer ansökningarna inför antagningen."),
    ("it", "Il riconoscimento delle competenze acquisite in ambito lavorativo è gratuito.",
     "Il riconoscimento del titolo di studio richiede sei mesi."),
    ("nl", "Competenties die buiten het formele onderwijs verworven zijn, kunnen worden erkend.",
     "De leerlingen sporten buiten het schoolgebouw."),
    ("es", "Las competencias adquiridas fuera del sistema educativo formal pueden acreditarse.",
     "Los alumnos comen fuera del centro educativo los viernes."),
    ("it", "Le competenze acquisite al di fuori dei contesti formali sono certificate.",
     "Gli studenti pranzano al di fuori della scuola."),
    ("pl", "Umiejętności potwierdzane poza systemem szkolnym prowadzą do dyplomu.",
     "Uczniowie spędzają czas poza szkołą."),
    ("sv", "Det man har tillägnat sig utanför det formella utbildningssystemet kan erkännas.",
     "Eleverna äter lunch utanför skolan."),
    ("no", "Kompetanse ervervet utenfor det formelle utdanningssystemet kan godkjennes.",
     "Elevene spiser lunsj utenfor skolen."),
    ("da", "Kompetencer erhvervet uden for det formelle uddannelsessystem kan anerkendes.",
     "Eleverne spiser frokost uden for skolen."),
    ("fi", "Muodollisen koulutuksen ulkopuolella hankittu osaaminen voidaan tunnistaa.",
     "Koulutuksen ulkopuolella oppilaat harrastavat urheilua."),
    ("pt", "Os saberes obtidos fora do sistema formal de ensino contam para o diploma.",
     "Os alunos almoçam fora da escola."),
    ("et", "Väljaspool formaalharidust omandatud teadmisi saab arvestada.",
     "Õpilased söövad lõunat väljaspool kooli."),
    # outcomes said in plain words: all or part of a qualification, an exemption because of experience
    ("en", "Candidates can obtain all or part of a qualification.", "All or part of the building is closed."),
    ("en", "Workers may be exempted from two modules on the basis of their work experience.",
     "Small firms are exempted from the tax on the basis of their turnover."),
    ("de", "Sie können einen Abschluss ganz oder teilweise erwerben.", "Die Straße ist ganz oder teilweise gesperrt."),
    ("fi", "Voit suorittaa tutkinnon kokonaan tai osittain.", "Tie on suljettu kokonaan tai osittain."),
    ("da", "Det forudsætter, at valideringen dokumenteres.", "Det forudsætter, at ansøgningen dokumenteres."),  # xx: validering (da, no, sv)
    # competences recognised, said as an outcome (the negative: valued by employers, or "recognised as important")
    ("en", "The module counts as passed when the learner's competences have been recognised.",
     "These skills are recognised as important for the job."),
    ("da", "Forløbet er gennemført, når kompetencen er anerkendt.", "Forløbet er gennemført, når ansøgningen er modtaget."),
    ("ro", "Modulul este finalizat când competențele au fost recunoscute.", "Modulul este finalizat când cererea a fost primită."),
    ("pt", "O módulo está concluído quando as competências tiverem sido reconhecidas.",
     "O módulo está concluído quando o pedido tiver sido recebido."),
    ("hu", "A modul teljesül, ha a tanuló kompetenciáit a törvény szerint elismerték.",
     "A modul teljesül, ha a tanuló a vizsgát letette."),
    # the national names of validation routes (negatives: the same head word elsewhere)
    ("et", "Kool tunnustab varasema õpi- ja töökogemuse.", "Kool tunnustab parimaid õpilasi."),
    ("it", "Il sistema riconosce gli apprendimenti comunque acquisiti dalla persona.",
     "Il sistema riconosce i titoli acquisiti dalla persona."),
    ("no", "Praksiskandidater kan ta fagprøven etter fem års praksis.", "Lærlinger tar fagprøven etter to år i bedrift."),
    ("sk", "Overovanie odbornej spôsobilosti vykonáva autorizovaná inštitúcia.",
     "Overovanie údajov vykonáva autorizovaná inštitúcia."),
    ("cs", "Zkouška z profesní kvalifikace se koná před autorizovanou osobou.",
     "Zkouška z matematiky se koná v červnu."),
    ("de", "Über die Zulassung zur Abschlussprüfung in besonderen Fällen entscheidet die Kammer.",
     "Über die Zulassung zur Abschlussprüfung entscheidet die Kammer."),
    ("en", "Skills recognition is available to migrants.", "Language skills are required of migrants."),
    ("en", "Recognition of current competency is offered by the college.", "Recognition of the college took two years."),
    ("en", "The college certifies learning from experience.", "The college certifies learning in welding."),
    # recognition of a person's competences acquired elsewhere (not of a diploma)
    ("es", "El reconocimiento de las competencias adquiridas en el trabajo es gratuito.",
     "El reconocimiento de los títulos obtenidos en otros países es gratuito."),
    ("fr", "La reconnaissance des compétences acquises au travail est gratuite.",
     "La reconnaissance des diplômes obtenus à l'étranger est gratuite."),
    ("it", "Il riconoscimento delle competenze acquisite sul lavoro è gratuito.",
     "Il riconoscimento dei titoli conseguiti all'estero è gratuito."),
    # issue 11, session 9: equivalents in the parity languages of cues that fire on the sources of training
    # translations (all or part of a qualification, exempted on the basis of experience, the validation
    # procedure, learning outcomes recognised or confirmed, previously acquired competences, bare sl 'potrjevanje')
    ("hr", "Kandidat može steći cijelu kvalifikaciju ili njezin dio.",
     "Kandidat može pročitati cijelu knjigu ili njezin dio."),
    ("hr", "Polaznik može biti oslobođen pojedinih modula na temelju radnog iskustva.",
     "Poduzeće može biti oslobođeno poreza na temelju ostvarene dobiti."),
    ("hr", "Postupak vrednovanja završava odlukom povjerenstva.",
     "Postupak vrednovanja programa završava odlukom povjerenstva."),
    ("hr", "Ishodi učenja stečeni na radnom mjestu priznaju se kao dio programa.",
     "Ishodi učenja opisuju se na početku programa."),
    ("hr", "Ustanova priznaje prethodno stečene kompetencije polaznika.",
     "Ustanova razvija kompetencije polaznika."),
    ("sl", "Dobro izvedeno potrjevanje prispeva k boljšemu ujemanju na trgu dela.",
     "Potrjevanje naročila traja dva dni."),
    ("sl", "Udeleženec je lahko oproščen posameznih modulov na podlagi delovnih izkušenj.",
     "Podjetje je lahko oproščeno davka na podlagi dobička."),
    ("sl", "Za popolno potrditev morajo kompetence pokrivati 80 % standarda.",
     "Za popolno prenovo stavbe potrebujemo več sredstev."),
    ("pl", "Kandydat może uzyskać całą kwalifikację lub jej część.",
     "Kandydat może przeczytać całą książkę lub jej część."),
    ("pl", "Uczestnik może zostać zwolniony z niektórych modułów na podstawie doświadczenia zawodowego.",
     "Firma może zostać zwolniona z podatku na podstawie dochodu."),
    ("fi", "Hakija voi suorittaa koko tutkinnon tai sen osan.",
     "Hakija voi lukea koko kirjan tai sen osan."),
    ("fi", "Opiskelija voidaan vapauttaa osasta opintoja työkokemuksen perusteella.",
     "Yritys voidaan vapauttaa verosta liikevaihdon perusteella."),
    ("fi", "Oppimistuloksia ei vahvisteta näiden koulutusohjelmien osalta.",
     "Oppimistulokset kuvataan näiden koulutusohjelmien alussa."),
    ("de", "Außerhalb der formalen Bildung erworbene Fähigkeiten können angerechnet werden.",
     "Außerhalb der formalen Bildung erworbene Bücher werden verkauft."),
    ("de", "Die Bewerberin kann den gesamten Abschluss oder einen Teil davon erwerben.",
     "Die Bewerberin kann den gesamten Betrag oder einen Teil davon erstatten."),
    ("de", "Teilnehmende können aufgrund ihrer Berufserfahrung von einzelnen Modulen befreit werden.",
     "Kleine Betriebe können aufgrund ihres Umsatzes von der Steuer befreit werden."),
    ("de", "Die Lernergebnisse werden für diese Studiengänge nicht bestätigt.",
     "Die Lernergebnisse werden für diese Studiengänge neu beschrieben."),
    ("pt", "O candidato pode obter a totalidade ou parte de um diploma.",
     "O candidato pode ler a totalidade ou parte de um livro."),
    ("pt", "O formando pode ser dispensado de alguns módulos com base na experiência profissional.",
     "A empresa pode ser dispensada do imposto com base no volume de negócios."),
    ("pt", "Os resultados de aprendizagem não são confirmados para estes programas.",
     "Os resultados de aprendizagem são descritos para estes programas."),
    # national names of validation translated: recognition of the results of further education (cs), real
    # competence (no, sv), experience-based competences confirmed or accredited, recognised work experience
    ("hr", "Procjena stvarnih kompetencija dostupna je odraslima.",
     "Procjena stvarnih troškova dostupna je odraslima."),
    ("hr", "Znanja stečena neformalnim putem mogu se priznati.",
     "Obavijesti se šalju elektroničkim putem."),
    ("sl", "Pravilnik ureja priznavanje rezultatov nadaljnjega izobraževanja.",
     "Pravilnik ureja objavo rezultatov nadaljnjega izobraževanja."),
    ("sl", "Poklicne kompetence, pridobljene z delovnimi izkušnjami, se lahko akreditirajo.",
     "Poklicne šole se lahko akreditirajo pri agenciji."),
    ("pl", "Rozporządzenie reguluje uznawanie efektów kształcenia ustawicznego.",
     "Rozporządzenie reguluje finansowanie kształcenia ustawicznego."),
    ("pl", "Ocena rzeczywistych kompetencji jest dostępna dla dorosłych.",
     "Ocena rzeczywistych kosztów jest dostępna dla dorosłych."),
    ("pl", "Kompetencje zawodowe nabyte w drodze doświadczenia zawodowego mogą zostać potwierdzone.",
     "Kompetencje zawodowe nabyte w szkole mogą zostać opisane."),
    ("fi", "Asetus koskee jatkokoulutuksen tulosten tunnustamista.",
     "Asetus koskee jatkokoulutuksen tulosten julkaisemista."),
    ("fi", "Realikompetenssin arviointi on aikuisten saatavilla.",
     "Kielitaidon arviointi on aikuisten saatavilla."),
    ("de", "Die Verordnung regelt die Anerkennung der Ergebnisse der Weiterbildung.",
     "Die Verordnung regelt die Veröffentlichung der Ergebnisse der Weiterbildung."),
    ("de", "Die Bewertung der Realkompetenz steht Erwachsenen offen.",
     "Die Bewertung der Sprachkompetenz steht Erwachsenen offen."),
    ("pt", "O regulamento rege o reconhecimento dos resultados da formação contínua.",
     "O regulamento rege a publicação dos resultados da formação contínua."),
    ("pt", "A avaliação das competências reais está aberta aos adultos.",
     "A avaliação das competências linguísticas está aberta aos adultos."),
    ("pt", "A escola reconhece a experiência profissional dos adultos.",
     "A escola exige a experiência profissional dos adultos."),
]


@pytest.mark.parametrize(("lang", "positive", "negative"), PHRASES, ids=lambda v: v[:30])
def test_prior_learning_phrase_variants(lang: str, positive: str, negative: str) -> None:
    assert VAL in apply_rules(positive, lang).labels, positive
    assert VAL not in apply_rules(negative, lang).labels, negative


# false cues: a definition of non-formal learning (no validation in it), students assessed in an
# ordinary course; (lang, negative, a positive sharing its vocabulary)
FALSE_CUES = [
    ("en", "'Non-formal learning' means learning which takes place through planned activities.",
     "Non-formal learning can be validated for a certificate."),
    ("en", "Non-formal education: organised learning outside the formal system.",
     "The centre assesses non-formal learning of adults."),
    ("en", "Students are assessed on the knowledge and skills acquired during the course through practical work.",
     "Colleges can recognise skills acquired through work experience."),
    ("fr", "Les enseignants évaluent les connaissances acquises par les élèves chaque trimestre.",
     "Le jury évalue les compétences acquises par l'expérience."),
    ("da", "Ikke-formel læring er læring, der foregår uden for uddannelsessystemet.",
     "Realkompetencevurdering kan give adgang til uddannelsen."),
    ("ro", "Învățarea non-formală și informală înseamnă activități organizate în afara școlii.",
     "Centrul evaluează învățarea non-formală și informală a adulților."),
    ("bg", "Неформално обучение е обучение извън системата на образованието.",
     "Валидирането на знания и умения е безплатно."),
    ("hu", "Nem formális tanulás: szervezett tanulás az iskolarendszeren kívül.",
     "A nem formális tanulás eredményeit elismerik."),
    ("lv", "Neformālā izglītība ir organizēta izglītojoša darbība ārpus formālās izglītības.",
     "Neformālās izglītības atzīšana ir iespējama."),
    ("mt", "Tagħlim mhux formali huwa tagħlim organizzat barra l-iskola.",
     "Il-validazzjoni tat-tagħlim mhux formali hija b'xejn."),
    ("is", "Óformlegt nám er skipulagt nám utan skólakerfisins.",
     "Raunfærnimat er fyrir fullorðna."),
    # an awarding body validating a programme (codebook: quality_trust), foreign education recognised
    ("en", "The awarding body validates each new programme before learners can enrol.",
     "The college validates the skills of each learner."),
    ("no", "Universiteter kan godkjenne utenlandsk høyere utdanning dersom utdanningen gir et læringsutbytte tilsvarende studiet.",
     "Høyskolen kan gi fritak når søkeren har et læringsutbytte tilsvarende emnet gjennom arbeid."),
    # technical validation of data (fi, de), the validation of a person's competences
    ("fi", "Tietojen validointi kestää kaksi päivää.",
     "Osaamisen validointi kestää kaksi päivää."),
    ("de", "Die Validierung der Daten dauert zwei Tage.",
     "Die Validierung der Kompetenzen dauert zwei Tage."),
    # pt: a plain 'simulação de situação profissional' (an exam's practical test) is a procedural word only
    ("pt", "Uma das provas consiste numa simulação de situação profissional.",
     "Uma das provas consiste numa situação profissional simulada."),
]


@pytest.mark.parametrize(("lang", "negative", "positive"), FALSE_CUES, ids=lambda v: v[:30])
def test_false_cues_of_validation(lang: str, negative: str, positive: str) -> None:
    assert VAL not in apply_rules(negative, lang).labels, negative
    assert VAL in apply_rules(positive, lang).labels, positive
