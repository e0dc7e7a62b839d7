"""Write corpus/demo/: short policy-style PDFs about micro-credentials, plus MANIFEST.csv.

The texts are the project's own (invented agencies and measures, written for this
demo), one per core language plus an EU-level one, so the demo runs offline and
can be shared freely. Each PDF has a running header, a footer with the page number,
numbered headings in a larger bold font; the Dutch one is set in two columns.
Output is byte-stable (reportlab's invariant mode), so doc ids do not change when
the script is rerun.

    .venv/bin/python scripts/make_demo_corpus.py [OUT_DIR]
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "corpus" / "demo"
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
]

# A section body item: a paragraph (str) or a list: ("list", lead-in, [items]).
Body = str | tuple[str, str, list[str]]


@dataclass
class DemoDoc:
    file: str
    title: str
    country: str
    language: str
    year: int
    doc_type: str
    header: str  # running header text
    page_label: str  # footer, formatted with n (page) and m (pages)
    sections: list[tuple[str, list[Body]]]
    columns: int = 1
    last_section_new_page: bool = True  # so that every document has a running header on 2+ pages
    intro: list[str] = field(default_factory=list)


DOCS: list[DemoDoc] = [
    DemoDoc(
        file="EU_demo_council_microcredentials_guidance_2023_en.pdf",
        title="Guidance on a European approach to micro-credentials",
        country="EU", language="en", year=2023, doc_type="guidance",
        header="Demo Council of the European Union - Guidance note 2023/7",
        page_label="Page {n} of {m}",
        last_section_new_page=False,
        intro=["This guidance note explains, in plain terms, how Member States can make micro-credentials "
               "trustworthy, comparable and portable across the European Union. It was drafted for this "
               "demonstration corpus and does not reproduce any official text."],
        sections=[
            ("1 Why micro-credentials matter", [
                "Labour markets are changing faster than initial education can follow. Skills shortages in "
                "health care, construction and information technology, the digital and green transitions, and "
                "the recovery from the COVID-19 pandemic all call for short, focused learning that adults can "
                "combine with work.",
                "Micro-credentials answer that need: they certify the learning outcomes of a small volume of "
                "learning, e.g. a course of 3 to 10 ECTS credits, and they make those outcomes visible to "
                "employers and to other education providers.",
            ]),
            ("2 Standard elements", [
                ("list", "Every micro-credential should state at least the following elements:", [
                    "the identity of the learner and of the awarding body;",
                    "the title, the date of issue and the learning outcomes;",
                    "the notional workload in ECTS credits and the EQF or NQF level, where applicable;",
                    "the type of assessment and the form of participation (online, on site or blended);",
                    "the type of quality assurance applied to the course.",
                ]),
                "Where a national qualifications framework exists, providers are encouraged to reference the "
                "micro-credential to a level, i.e. to say which NQF level the learning outcomes correspond to.",
            ]),
            ("3 Stackability and recognition", [
                "Micro-credentials can be stacked: a learner may combine several of them into a larger "
                "credential or a full qualification. Recognition procedures should therefore accept "
                "micro-credentials as evidence of prior learning, in the same way as other certificates.",
                "Validation of non-formal and informal learning remains important. Member States should link "
                "validation arrangements to micro-credentials, so that people who learned at work can obtain a "
                "credential without repeating a course.",
            ]),
            ("4 Quality assurance", [
                "Trust depends on quality. Providers that issue micro-credentials should be covered by internal "
                "and external quality assurance, and the criteria should be published. Digital credentials "
                "should be issued in an open format that can be verified automatically, for instance with the "
                "European Digital Credentials for Learning infrastructure.",
            ]),
            ("5 Next steps", [
                "The Commission will review progress in 2026. Member States are invited to report on national "
                "measures, on the number of micro-credentials issued and on how many learners used them to "
                "progress in work or in further education.",
            ]),
        ],
    ),
    DemoDoc(
        file="DE_demo_mikrozertifikate_weiterbildung_2024_de.pdf",
        title="Eckpunkte für Mikrozertifikate in der beruflichen Weiterbildung",
        country="DE", language="de", year=2024, doc_type="strategy",
        header="Demo-Bundesministerium für Weiterbildung - Eckpunktepapier",
        page_label="Seite {n} von {m}",
        intro=["Dieses Eckpunktepapier wurde für das Demonstrationskorpus geschrieben. Es beschreibt, wie "
               "kurze Lernangebote sichtbar und anrechenbar werden sollen."],
        sections=[
            ("1 Ausgangslage", [
                "Der Fachkräftemangel in Handwerk, Pflege und IT sowie die digitale Transformation verlangen "
                "neue Wege der Weiterbildung. Viele Beschäftigte lernen bereits in kurzen Formaten, z. B. in "
                "Zertifikatskursen bzw. Online-Modulen, doch ihre Ergebnisse werden selten anerkannt.",
                "Mit diesen Eckpunkten soll ab dem 1. Januar 2025 ein einheitlicher Rahmen gelten.",
            ]),
            ("2 Zuordnung zum DQR", [
                "Mikrozertifikate sollen, soweit möglich, einem Niveau des Deutschen Qualifikationsrahmens "
                "(DQR) zugeordnet werden. Ein Kurs auf DQR-Niveau 5 entspricht damit dem Niveau 5 des "
                "Europäischen Qualifikationsrahmens.",
                "Die Anrechnung auf eine Fortbildung richtet sich nach § 7 Abs. 2 des Demo-Weiterbildungsgesetzes. "
                "Nach Art. 3 Nr. 4 der Verordnung sind ggf. auch Teilleistungen anrechenbar.",
            ]),
            ("3 Qualitätssicherung", [
                ("list", "Anbieter, die Mikrozertifikate ausstellen, verpflichten sich:", [
                    "die Lernergebnisse und den Umfang in Stunden zu veröffentlichen;",
                    "die Leistung jeder teilnehmenden Person zu prüfen;",
                    "ein anerkanntes Qualitätsmanagementsystem zu nutzen.",
                ]),
                "Die Einhaltung wird durch die zuständigen Stellen stichprobenartig überprüft.",
            ]),
            ("4 Kombinierbarkeit", [
                "Mehrere Mikrozertifikate können zu einer Fortbildungsprüfung führen. Wer z. B. drei Module "
                "erfolgreich abgeschlossen hat, kann zur Prüfung zum Geprüften Berufsspezialisten zugelassen "
                "werden. Die Validierung beruflicher Erfahrung bleibt daneben möglich.",
            ]),
        ],
    ),
    DemoDoc(
        file="FR_demo_microcertifications_vae_2023_fr.pdf",
        title="Plan national pour les microcertifications et la VAE",
        country="FR", language="fr", year=2023, doc_type="strategy",
        header="Ministère de démonstration du Travail - Plan national",
        page_label="Page {n} sur {m}",
        intro=["Ce plan a été rédigé pour le corpus de démonstration. Il présente les mesures envisagées pour "
               "reconnaître les apprentissages courts."],
        sections=[
            ("1 Contexte", [
                "Les tensions de recrutement dans l'industrie et le numérique, ainsi que la transition "
                "écologique, rendent nécessaire une offre de formation plus courte et plus souple.",
                "Le décret n° 2023-101 prévoit que les blocs de compétences d'une certification inscrite au "
                "RNCP puissent être acquis séparément.",
            ]),
            ("2 Microcertifications et blocs de compétences", [
                "Une microcertification atteste un ensemble cohérent de compétences. Elle peut correspondre à "
                "un bloc de compétences d'un diplôme de niveau 4 ou 5 du cadre national des certifications.",
                ("list", "Selon l'art. 2 du décret, chaque microcertification précise :", [
                    "les compétences évaluées et les modalités d'évaluation ;",
                    "le niveau du cadre national, le cas échéant ;",
                    "l'organisme certificateur et la durée de validité.",
                ]),
            ]),
            ("3 Validation des acquis de l'expérience", [
                "La validation des acquis de l'expérience (VAE) permet d'obtenir tout ou partie d'une "
                "certification. Les candidats peuvent capitaliser des blocs validés et compléter leur parcours "
                "par une microcertification.",
            ]),
            ("4 Qualité", [
                "Les organismes de formation doivent être certifiés selon le référentiel national qualité. "
                "M. le ministre présentera un premier bilan en 2025.",
            ]),
        ],
    ),
    DemoDoc(
        file="NL_demo_microcredentials_kader_2024_nl.pdf",
        title="Kader voor microcredentials in het beroepsonderwijs",
        country="NL", language="nl", year=2024, doc_type="framework",
        header="Demo-ministerie van Onderwijs - Kader microcredentials",
        page_label="Pagina {n} van {m}",
        columns=2,
        last_section_new_page=False,
        intro=["Dit kader is geschreven voor het demonstratiecorpus. Het beschrijft hoe instellingen "
               "microcredentials kunnen uitgeven."],
        sections=[
            ("1 Aanleiding", [
                "Door tekorten op de arbeidsmarkt, bijv. in de zorg en de techniek, willen steeds meer "
                "volwassenen zich bijscholen. Zij zoeken korte opleidingen die passen naast werk en zorg.",
                "Microcredentials maken zichtbaar wat iemand in zo'n korte opleiding heeft geleerd.",
            ]),
            ("2 Niveau en omvang", [
                "Elke microcredential vermeldt het niveau volgens het Nederlands Kwalificatieraamwerk (NLQF). "
                "Een cursus op NLQF-niveau 4 sluit aan bij niveau 4 van het EQF.",
                "De omvang wordt uitgedrukt in studiepunten of in uren, o.a. om stapelen mogelijk te maken.",
            ]),
            ("3 Kwaliteitszorg", [
                ("list", "Instellingen die microcredentials uitgeven, zorgen ervoor dat:", [
                    "de leeruitkomsten vooraf zijn beschreven;",
                    "de toetsing onafhankelijk en betrouwbaar is;",
                    "de opleiding onder het kwaliteitsstelsel van de instelling valt.",
                ]),
            ]),
            ("4 Stapelen en erkennen", [
                "Meerdere microcredentials kunnen samen leiden tot een deel van een diploma. Eerder verworven "
                "competenties worden erkend via een EVC-procedure, enz.",
            ]),
            ("5 Digitale registratie", [
                "Microcredentials worden digitaal uitgegeven en door de lerende zelf beheerd. Een werkgever of "
                "een andere onderwijsinstelling kan de echtheid ervan controleren zonder de uitgevende "
                "instelling te benaderen. Daarvoor gebruiken instellingen een open standaard, zodat een "
                "microcredential ook over de grens bruikbaar is.",
                "De registratie vermeldt in elk geval de naam van de lerende, de titel, de datum, het niveau, "
                "de omvang, de wijze van toetsing en de instelling die de kwaliteit borgt.",
            ]),
            ("6 Financiering", [
                "Werkenden kunnen voor een microcredential een persoonlijk ontwikkelbudget inzetten. Sectorfondsen "
                "dragen bij wanneer een opleiding aansluit bij tekorten in hun sector, bijv. in de installatietechniek "
                "of de kinderopvang. Werkzoekenden kunnen via het werkgeversservicepunt in de regio ondersteuning "
                "aanvragen.",
                "Instellingen mogen voor microcredentials een eigen bijdrage vragen, mits de prijs vooraf bekend "
                "is en in verhouding staat tot de omvang van de opleiding.",
            ]),
            ("7 Rollen en verantwoordelijkheden", [
                ("list", "Binnen dit kader hebben de betrokken partijen de volgende taken:", [
                    "de instelling ontwerpt de opleiding, toetst en geeft de microcredential uit;",
                    "de examencommissie bewaakt de kwaliteit van de toetsing;",
                    "werkgevers denken mee over de leeruitkomsten die de arbeidsmarkt vraagt;",
                    "het ministerie volgt de ontwikkeling en publiceert jaarlijks de cijfers.",
                ]),
                "Het kader wordt in 2026 geëvalueerd. Daarbij wordt nagegaan hoeveel volwassenen een "
                "microcredential behaalden en of zij daarmee doorstroomden naar een volledig diploma.",
            ]),
        ],
    ),
    DemoDoc(
        file="FI_demo_osaamismerkit_jatkuva_oppiminen_2022_fi.pdf",
        title="Jatkuvan oppimisen mikrotutkinnot ja osaamisen tunnistaminen",
        country="FI", language="fi", year=2022, doc_type="strategy",
        header="Demo-opetusministeriö - Jatkuvan oppimisen linjaus",
        page_label="Sivu {n} / {m}",
        intro=["Tämä linjaus on kirjoitettu esittelyaineistoa varten. Se kuvaa, miten lyhyet "
               "koulutukset tunnistetaan."],
        sections=[
            ("1 Tausta", [
                "Osaajapula esim. sosiaali- ja terveysalalla sekä digitalisaatio edellyttävät, että aikuiset "
                "voivat päivittää osaamistaan nopeasti. Covid-19-pandemian jälkeen kysyntä lyhyille "
                "koulutuksille on kasvanut.",
            ]),
            ("2 Mikrotutkinnot ja viitekehys", [
                "Mikrotutkinto on laajuudeltaan pieni kokonaisuus, jonka oppimistulokset on kuvattu. Se "
                "voidaan sijoittaa tutkintojen viitekehyksen tasolle 4, 5 tai 6.",
                "Laajuus ilmaistaan osaamispisteinä tai opintopisteinä, ks. mm. laki 531/2017.",
            ]),
            ("3 Aiemmin hankitun osaamisen tunnistaminen", [
                ("list", "Koulutuksen järjestäjä tunnistaa opiskelijan aiemmin hankitun osaamisen seuraavasti:", [
                    "opiskelija esittää todistukset ja muut selvitykset;",
                    "osaaminen arvioidaan tarvittaessa näytössä;",
                    "tunnustettu osaaminen kirjataan opintosuoritusrekisteriin.",
                ]),
            ]),
            ("4 Laadunvarmistus", [
                "Kansallinen arviointikeskus arvioi mikrotutkintoja tarjoavien korkeakoulujen laatujärjestelmät. "
                "Linjaus tulee voimaan 1. kesäkuuta 2022.",
            ]),
        ],
    ),
    DemoDoc(
        file="PL_demo_mikroposwiadczenia_zsk_2023_pl.pdf",
        title="Mikropoświadczenia w Zintegrowanym Systemie Kwalifikacji",
        country="PL", language="pl", year=2023, doc_type="strategy",
        header="Demo Ministerstwo Edukacji - Założenia programowe",
        page_label="Strona {n} z {m}",
        intro=["Dokument został napisany na potrzeby korpusu demonstracyjnego. Przedstawia założenia "
               "dotyczące krótkich form uczenia się."],
        sections=[
            ("1 Uzasadnienie", [
                "Niedobór kwalifikacji, np. w budownictwie i usługach cyfrowych, oraz transformacja cyfrowa "
                "wymagają elastycznych form kształcenia dorosłych.",
            ]),
            ("2 Poziomy PRK", [
                "Każde mikropoświadczenie powinno wskazywać poziom Polskiej Ramy Kwalifikacji (PRK), tzn. "
                "poziom od 1 do 8, o ile jest to możliwe.",
                "Zgodnie z art. 5 ust. 2 pkt 3 ustawy demonstracyjnej, efekty uczenia się opisuje się w "
                "kategoriach wiedzy, umiejętności i kompetencji społecznych.",
            ]),
            ("3 Walidacja i zapewnianie jakości", [
                ("list", "Instytucja certyfikująca zapewnia:", [
                    "rozdzielenie procesu kształcenia od walidacji;",
                    "udział niezależnych asesorów;",
                    "zewnętrzne zapewnianie jakości.",
                ]),
                "Mikropoświadczenia można łączyć w większe kwalifikacje cząstkowe.",
            ]),
        ],
    ),
    DemoDoc(
        file="ES_demo_microcredenciales_universidades_2022_es.pdf",
        title="Plan de microcredenciales universitarias",
        country="ES", language="es", year=2022, doc_type="strategy",
        header="Ministerio de demostración de Universidades - Plan 2022",
        page_label="Página {n} de {m}",
        intro=["Este plan se ha redactado para el corpus de demostración. Describe cómo las universidades "
               "ofrecerán cursos breves certificados."],
        sections=[
            ("1 Motivación", [
                "La transformación digital, la transición ecológica y la recuperación tras la COVID-19 exigen "
                "que las personas adultas actualicen sus competencias a lo largo de la vida.",
            ]),
            ("2 Definición y niveles", [
                "Una microcredencial certifica los resultados de aprendizaje de un curso breve, de menos de 15 "
                "créditos ECTS. Se indicará el nivel del Marco Español de Cualificaciones (MECU), v. el anexo.",
                "Según el art. 4 del Real Decreto núm. 822/2021, las universidades pueden ofrecer títulos "
                "propios de formación permanente.",
            ]),
            ("3 Calidad y reconocimiento", [
                ("list", "Las universidades garantizarán:", [
                    "la evaluación de los resultados de aprendizaje;",
                    "la inclusión de los cursos en su sistema interno de garantía de calidad;",
                    "el reconocimiento de créditos cuando el estudiante acceda a un título oficial.",
                ]),
                "Las microcredenciales podrán acumularse para obtener un título de mayor duración.",
            ]),
        ],
    ),
    DemoDoc(
        file="SI_demo_mikrodokazila_vsezivljenjsko_ucenje_2024_sl.pdf",
        title="Izhodišča za mikrodokazila v vseživljenjskem učenju",
        country="SI", language="sl", year=2024, doc_type="strategy",
        header="Demo ministrstvo za vzgojo in izobraževanje - Izhodišča",
        page_label="Stran {n} od {m}",
        intro=["Ta izhodišča so napisana za demonstracijski korpus. Opisujejo, kako naj se priznavajo "
               "kratki programi usposabljanja."],
        sections=[
            ("1 Ozadje", [
                "Pomanjkanje usposobljenih delavcev, npr. v zdravstvu in gradbeništvu, ter digitalni prehod "
                "zahtevajo hitrejše oblike učenja za odrasle.",
            ]),
            ("2 Raven SOK", [
                "Vsako mikrodokazilo navede raven Slovenskega ogrodja kvalifikacij (SOK), ki je povezano z "
                "evropskim ogrodjem EOK. Obseg se izrazi v kreditnih točkah.",
                "Podrobnosti določa čl. 5 demonstracijskega zakona.",
            ]),
            ("3 Kakovost in priznavanje", [
                ("list", "Izvajalci morajo zagotoviti:", [
                    "jasno opisane učne izide;",
                    "preverjanje znanja vsakega udeleženca;",
                    "zunanjo presojo kakovosti.",
                ]),
                "Več mikrodokazil se lahko združi v večjo kvalifikacijo. Priznavanje predhodno pridobljenega "
                "znanja ostaja mogoče.",
            ]),
        ],
    ),
]


def _fonts() -> tuple[str, str]:
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("DemoSans", regular))
            pdfmetrics.registerFont(TTFont("DemoSans-Bold", bold))
            return "DemoSans", "DemoSans-Bold"
    raise SystemExit("no TrueType font with Central European letters found (install fonts-dejavu-core)")


def _story(doc: DemoDoc, regular: str, bold: str) -> list:
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15.5, alignment=TA_JUSTIFY,
                          spaceAfter=7)
    item = ParagraphStyle("item", parent=body, leftIndent=16, bulletIndent=4, spaceAfter=3)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=17, leading=21, spaceAfter=12)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=6)
    story: list = [Paragraph(doc.title, h1)]
    story += [Paragraph(p, body) for p in doc.intro]
    for i, (heading, parts) in enumerate(doc.sections):
        if i == len(doc.sections) - 1 and doc.last_section_new_page:
            story.append(PageBreak())
        story.append(Paragraph(heading, h2))
        for part in parts:
            if isinstance(part, str):
                story.append(Paragraph(part, body))
            else:
                _, lead, items = part
                story.append(Paragraph(lead, ParagraphStyle("lead", parent=body, spaceAfter=3)))
                story += [Paragraph(text, item, bulletText="•") for text in items]
                story.append(Spacer(1, 4))
    return story


def _build(doc: DemoDoc, path: Path, pages_total: int, regular: str) -> int:
    width, height = A4
    margin = 2.2 * cm
    gap = 0.8 * cm
    col_width = (width - 2 * margin - (doc.columns - 1) * gap) / doc.columns
    frames = [Frame(margin + i * (col_width + gap), margin, col_width, height - 2 * margin - 0.6 * cm,
                    id=f"col{i}") for i in range(doc.columns)]

    def furniture(canvas, template) -> None:  # noqa: ANN001 (reportlab callback)
        canvas.saveState()
        canvas.setFont(regular, 8.5)
        canvas.drawString(margin, height - 1.4 * cm, doc.header)
        canvas.line(margin, height - 1.55 * cm, width - margin, height - 1.55 * cm)
        canvas.drawCentredString(width / 2, 1.3 * cm, doc.page_label.format(n=template.page, m=pages_total))
        canvas.restoreState()

    template = BaseDocTemplate(str(path), pagesize=A4, title=doc.title, author="mctext demo corpus",
                               subject="micro-credentials", creator="mctext scripts/make_demo_corpus.py")
    template.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=furniture)])
    regular_font, bold_font = regular, regular.replace("DemoSans", "DemoSans-Bold")
    template.build(_story(doc, regular_font, bold_font))
    return template.page


def main(out_dir: Path = OUT_DIR) -> None:
    rl_config.invariant = 1  # no timestamps or random ids: identical bytes on every run
    regular, _ = _fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for doc in DOCS:
        path = out_dir / doc.file
        pages = _build(doc, path, 0, regular)  # first pass counts pages for "Page n of m"
        _build(doc, path, pages, regular)
        rows.append({"file": doc.file, "title": doc.title, "country": doc.country, "language": doc.language,
                     "year": doc.year, "doc_type": doc.doc_type})
        print(f"{path.relative_to(out_dir.parent.parent) if out_dir.is_relative_to(REPO) else path}: {pages} pages")
    with (out_dir / "MANIFEST.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["file", "title", "country", "language", "year", "doc_type"])
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR)
