"""Document-aware labels: a term a document defines for a concept labels its later uses."""

from __future__ import annotations

from mctext.classify import classify_segments
from mctext.classify.aliases import find_aliases
from mctext.classify.model import rules_only_classifier
from mctext.records import Segment


def _segments(texts: list[tuple[int, str]], lang: str = "en") -> list[Segment]:
    return [Segment(id=f"s{i}", doc_id="d", page=page, page_end=page, start=0, end=len(t), text=t, lang=lang)
            for i, (page, t) in enumerate(texts)]


def _labels(texts: list[tuple[int, str]]) -> list[tuple[list[str], list[str]]]:
    segs = _segments(texts)
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    return [(p.labels, [c.cue for c in p.cues]) for p in preds]


def test_acronym_defined_after_the_cue_labels_later_uses() -> None:
    out = _labels([
        (1, "The Skills Passport is not a topic here."),
        (2, "The Short Learning Certificate micro-credential (SLC) is awarded after a course of four weeks."),
        (3, "An SLC lists its learning outcomes."),
        (5, "Employers may ask for an SLC when they hire."),
        (5, "The SLCX register is something else."),
    ])
    assert "microcredential" in out[1][0]
    assert "microcredential" in out[2][0] and "alias: SLC (defined p. 2)" in out[2][1]
    assert "microcredential" in out[3][0]
    assert "microcredential" not in out[4][0]  # a longer word is not a use of the term
    assert "microcredential" not in out[0][0]  # only later uses: the definition comes first


def test_quoted_name_in_any_language_and_version_numbers() -> None:
    segs = _segments([(1, "Die Hochschule vergibt Mikro-Credentials (im Folgenden „Kurzzertifikat“) für kurze Kurse.")], "de")
    segs += _segments([(1, "We issue Open Badges (OB 3.0) to every learner.")])
    segs[1].id = "s1"
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    terms = {a.term: a.label for a in find_aliases(segs, preds)}
    assert terms == {"Kurzzertifikat": "microcredential", "OB 3.0": "microcredential"}


def test_no_definition_without_a_cue_of_a_definable_label() -> None:
    out = _labels([
        (1, "The regional budget office (RBO) published its figures."),
        (2, "The RBO met on Monday."),
        (3, "Quality assurance (QA) is done by the agency."),  # quality_trust is not a named thing
        (4, "QA reports are public."),
    ])
    assert out[1][0] == []
    assert not any(c.startswith("alias:") for _, cues in out for c in cues)


def test_acronym_before_its_expansion_and_plural_uses() -> None:
    out = _labels([
        (1, "The SCB (Short Course Badge) is awarded after a module of two weeks."),
        (2, "Providers report how many SCBs they issued."),
        (3, "The EU (see the Council Recommendation on micro-credentials) funds pilots."),
        (4, "The EU pays for the pilots."),
    ])
    assert "microcredential" in out[1][0] and "alias: SCB (defined p. 1)" in out[1][1]
    assert "microcredential" not in out[3][0]  # "EU" does not abbreviate "see the Council ...": no definition


def test_acronym_of_a_term_beside_the_cue_is_no_definition() -> None:
    segs = _segments([(1, "It bridges Open Badges and the Comprehensive Learner Record (CLR) in one model."),
                      (2, "The Short Learning Certificate micro-credential (SLC) is new.")])
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    assert [a.term for a in find_aliases(segs, preds)] == ["SLC"]


def test_a_term_the_title_defines_labels_the_first_segments_too() -> None:
    segs = _segments([(1, "The CSB is stored in the learner's wallet."), (2, "Each CSB states its workload.")])
    preds = classify_segments(segs, "", rules_only_classifier("test"),
                              doc_title="Certified Short Badge micro-credential (CSB): business description")
    assert all("microcredential" in p.labels for p in preds)
    assert "alias: CSB (defined p. 1)" in [c.cue for c in preds[0].cues]


def test_records_of_a_document_take_aliases_in_any_order() -> None:
    from mctext.classify.evaluate import predict_records

    records = [{"id": "a", "doc": "d", "lang": "en", "text": "Each SLC lists its learning outcomes."},
               {"id": "b", "doc": "d", "lang": "en",
                "text": "The Short Learning Certificate micro-credential (SLC) is awarded after four weeks."}]
    out = predict_records(records, rules_only_classifier("test"))
    assert "microcredential" in out[0]["labels"]


def test_a_quoted_name_before_its_parenthesised_cue_is_defined() -> None:
    segs = _segments([(1, "Pilot providers award the „Skills Ticket“ (a micro-credential) after ten hours."),
                      (2, "The Skills Agenda (including micro-credentials for adults) was adopted."),
                      (3, "A Skills Ticket names its issuer.")])
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    assert [a.term for a in find_aliases(segs, preds)] == ["Skills Ticket"]
    assert "microcredential" in preds[2].labels


def test_a_term_a_section_heading_defines_labels_the_sections_segments() -> None:
    segs = _segments([(1, "Budgets rose."), (2, "Each LCB lists its learning outcomes."), (3, "An LCB is free.")])
    segs[1].section = segs[2].section = "Part 2 > Learning Credit Badges (LCB)"
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    assert [p.labels for p in preds] == [[], ["microcredential"], ["microcredential"]]
    assert "alias: LCB (defined p. 2)" in [c.cue for c in preds[1].cues]


def test_a_definition_lists_entry_defines_its_quoted_name() -> None:
    segs = _segments([(1, '4) "Skill Pass": a micro-credential awarded after a short course.'),
                      (2, 'The report calls it "a micro-credential" in passing.'),
                      (3, "Every Skill Pass lists its learning outcomes.")])
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    assert [a.term for a in find_aliases(segs, preds)] == ["Skill Pass"]
    assert "microcredential" in preds[2].labels


def test_a_longer_lead_in_defines_a_name_and_its_inflected_uses_carry_the_label() -> None:
    cases = [
        ("en", 'Providers award micro-credentials (hereinafter referred to as "Skill Pass") after short courses.',
         "Two Skill Passes were issued in May.", "The Skillset Passport is something else."),
        ("de", "Die Hochschule vergibt Mikro-Credentials (im Folgenden als „Kurzzertifikat“ bezeichnet).",
         "Alle Kurzzertifikate nennen ihre Lernergebnisse.", "Ein Kurzzeitvertrag ist befristet."),
        ("pl", "Uczelnia wydaje mikropoświadczenia (dalej: „Bon Kompetencji”).",
         "Posiadacz Bonu Kompetencji może go przedstawić pracodawcy.", "Bonus kompetencyjny wypłaca pracodawca."),
        ("es", "La universidad concede microcredenciales (en adelante, «Sello Ágil»).",
         "Los Sellos Ágiles se publican en línea.", "El sello de la oficina es rojo."),
    ]
    for lang, definition, use, near_miss in cases:
        segs = _segments([(1, definition), (2, use), (3, near_miss)], lang)
        preds = classify_segments(segs, "", rules_only_classifier("test"))
        assert len(find_aliases(segs, preds)) == 1, definition
        assert "microcredential" in preds[1].labels, use
        assert "microcredential" not in preds[2].labels, near_miss


def test_a_short_one_word_name_takes_its_plural_only() -> None:
    segs = _segments([(1, 'Providers award micro-credentials (hereafter "Pass") after short courses.'),
                      (2, "Two Passes were issued."), (3, "The bill passed the chamber.")])
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    assert "microcredential" in preds[1].labels and "microcredential" not in preds[2].labels


def test_a_parenthesis_that_runs_on_after_a_quoted_name_defines_nothing() -> None:
    segs = _segments([(1, 'Providers award micro-credentials (see the "Skills" chapter of the annual report).'),
                      (2, "Skills matter.")])
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    assert find_aliases(segs, preds) == [] and preds[1].labels == []


def test_a_pronoun_opening_a_segment_refers_to_the_sections_micro_credentials() -> None:
    """en weak reference: a segment that opens with "They"/"It" in a section naming micro-credentials,
    between labelled segments, is about them; an impersonal "It is clear ..." is not."""
    segs = _segments([(1, "Micro-credentials certify short courses."),
                      (1, "They provide a flexible route to a degree."),
                      (1, "Each micro-credential states its workload."),
                      (1, "It is clear that budgets rose."),
                      (1, "Micro-credentials are issued online.")])
    for seg in segs:
        seg.section = "Part 2 > Micro-credentials"
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    assert "microcredential" in preds[1].labels
    assert any(c.cue.startswith("context: section") for c in preds[1].cues)
    assert "microcredential" not in preds[3].labels
    outside = _segments([(1, "Micro-credentials certify short courses."), (1, "They provide a flexible route."),
                         (1, "Micro-credentials are issued online.")])
    assert "microcredential" not in classify_segments(outside, "", rules_only_classifier("test"))[1].labels


def test_an_abbreviation_lists_entry_defines_its_acronym() -> None:
    segs = _segments([(1, "NHMC – National Higher Micro-credential"),
                      (1, "ESF: Employers should fund micro-credentials."),
                      (2, "The NHMC is stored in the learner's wallet."),
                      (3, "The ESF pays for the pilots.")])
    preds = classify_segments(segs, "", rules_only_classifier("test"))
    assert [a.term for a in find_aliases(segs, preds)] == ["NHMC"]  # "ESF" does not spell its words
    assert "microcredential" in preds[2].labels and "microcredential" not in preds[3].labels
