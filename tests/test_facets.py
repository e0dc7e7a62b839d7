"""Facets per segment (codebook v1.2 "Facets", classify/facets.py): workload values with their
spans, the gates, country:XX, roles, the recorded cues, and the facet columns of a Prediction, of
``mctext classify`` and of the segments table. Sentences are written for these tests."""

from __future__ import annotations

import json

import pytest

from mctext.classify.facets import (
    MC_DOCUMENT_MIN,
    document_facets,
    facets_of_text,
    find_workloads,
    segment_facets,
)
from mctext.codebook import FACETS, actor_roles, facet_values, workload_units
from mctext.records import ActorRole, Prediction, Segment, Workload


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("a module of 5 ECTS", "en", [(5, "ECTS", "5 ECTS")]),
        ("the 5-ECTS online course", "en", [(5, "ECTS", "5-ECTS")]),
        ("ein Kurs mit 30 Stunden", "de", [(30, "hours", "30 Stunden")]),
        ("laajuus on 3 op", "fi", [(3, "ECTS", "3 op")]),
        ("umfasst 15 ECTS-Punkte", "de", [(15, "ECTS", "15 ECTS-Punkte")]),
        ("takes 60 hours", "en", [(60, "hours", "60 hours")]),
        ("modules (1-3 ECTS)", "en", [(1, "ECTS", "1-3 ECTS"), (3, "ECTS", "1-3 ECTS")]),
        ("from 1 to 15 ECTS", "en", [(1, "ECTS", "1 to 15 ECTS"), (15, "ECTS", "1 to 15 ECTS")]),
        ("von 2,5 ECTS", "de", [(2.5, "ECTS", "2,5 ECTS")]),
        ("insgesamt 1.500 Stunden", "de", [(1500, "hours", "1.500 Stunden")]),
        ("no smaller than 3 EC", "nl", [(3, "ECTS", "3 EC")]),
        ("5 punktów ECTS", "pl", [(5, "ECTS", "5 punktów ECTS")]),
        ("6 CFU", "it", [(6, "ECTS", "6 CFU")]),
        ("9 osaamispistettä", "fi", [(9, "credits", "9 osaamispistettä")]),
        ("60 alebo 120 kreditov", "sk", [(60, "credits", "60 alebo 120 kreditov"), (120, "credits", "60 alebo 120 kreditov")]),
        ("una carga de 60, 90 y 120 créditos ECTS", "es",
         [(60, "ECTS", "60, 90 y 120 créditos ECTS"), (90, "ECTS", "60, 90 y 120 créditos ECTS"),
          (120, "ECTS", "60, 90 y 120 créditos ECTS")]),
        ("Article 5, 30 hours", "en", [(30, "hours", "30 hours")]),  # a comma alone lists nothing
        # list words are the levels' list separators, not every conjunction; a year, a number 10x
        # the last one or one behind a heading word ("Article 5") lists no workload
        ("launched in 2021 and 60 ECTS", "en", [(60, "ECTS", "60 ECTS")]),
        ("Article 5 and 30 hours", "en", [(30, "hours", "30 hours")]),
        ("3 nor 5 ECTS", "en", [(5, "ECTS", "5 ECTS")]),
        ("500 or 30 hours", "en", [(30, "hours", "30 hours")]),
        ("5 bis 10 ECTS", "de", [(5, "ECTS", "5 bis 10 ECTS"), (10, "ECTS", "5 bis 10 ECTS")]),
        ("in 2021, 60 and 120 ECTS", "en", [(60, "ECTS", "60 and 120 ECTS"), (120, "ECTS", "60 and 120 ECTS")]),
        ("30 and 60 ECTS", "en", [(30, "ECTS", "30 and 60 ECTS"), (60, "ECTS", "30 and 60 ECTS")]),
        ("1,5 EKAPit", "et", [(1.5, "credits", "1,5 EKAPit")]),
        ("4 týždne", "sk", [(4, "weeks", "4 týždne")]),
        ("zwei Wochen", "de", [(2.0, "weeks", "zwei Wochen")]),  # a number in words (workload_numbers)
        # an adjective between the number and the unit ("teaching hours")
        ("kurz v rozsahu 30 vyučovacích hodin", "cs", [(30, "hours", "30 vyučovacích hodin")]),
        ("40 vyučovacích hodín", "sk", [(40, "hours", "40 vyučovacích hodín")]),
        ("30 nastavnih sati", "hr", [(30, "hours", "30 nastavnih sati")]),
        ("20 akadēmiskās stundas", "lv", [(20, "hours", "20 akadēmiskās stundas")]),
        ("30 tanóra", "hu", [(30, "hours", "30 tanóra")]),
        ("25 opintotuntia", "fi", [(25, "hours", "25 opintotuntia")]),
        ("Article 5 of 2023", "en", []),
        ("3 Stunden", "en", []),  # German unit words do not fire on English text
    ],
)
def test_workload_values_and_spans(text: str, lang: str, expected: list) -> None:
    found = find_workloads(text, lang)
    assert [(w.value, w.unit, w.text) for w in found] == [(float(v), u, t) for v, u, t in expected]
    for w in found:
        assert text[w.char_start:w.char_end] == w.text and w.unit in workload_units()


def test_the_gate_decides_mc_elements_and_workload() -> None:
    text = "The course of 40 hours describes its learning outcomes."
    off = segment_facets(text, "en")
    assert off.workload == [] and "mc_elements" not in off.facets
    on = segment_facets(text, "en", labels=["microcredential"])
    assert [(w.value, w.unit) for w in on.workload] == [(40.0, "hours")]
    assert on.facets["mc_elements"] == ["learning_outcomes", "workload"]
    assert segment_facets(text, "en", in_mc_document=True).facets["mc_elements"] == ["learning_outcomes", "workload"]
    assert segment_facets(text, "en", nqf_levels=True, labels=["microcredential"]).facets["mc_elements"] == [
        "learning_outcomes", "workload", "level"]


def test_a_short_learning_context_alone_states_no_element_of_a_micro_credential() -> None:
    # the driver context ("upskilling", "Fortbildung", "formación permanente") names short learning,
    # not a credential whose elements the segment states: no elements, no workload, and no form of
    # participation (an element of the micro-credential: the apprenticeship's work-based learning of a
    # VET law is none)
    text = "Upskilling courses of 40 hours are offered online and describe their learning outcomes."
    ctx = segment_facets(text, "en", context=True)
    assert "mc_elements" not in ctx.facets and ctx.workload == []
    assert "participation_form" not in ctx.facets
    near = segment_facets("The micro-credentials are offered online.", "en", context=True)
    assert near.facets["participation_form"] == ["online"]  # a credential word next to the form opens it
    mc = segment_facets(text, "en", context=True, labels=["microcredential"])
    assert mc.facets["mc_elements"] == ["learning_outcomes", "workload", "participation_form"]
    assert [(w.value, w.unit) for w in mc.workload] == [(40.0, "hours")]
    de = "Die Zulassungsvoraussetzungen für die Prüfung der Fortbildung legt die Fortbildungsordnung fest."
    assert "mc_elements" not in segment_facets(de, "de", context=True).facets
    assert segment_facets(de, "de", in_mc_document=True).facets["mc_elements"] == ["assessment", "prerequisites"]


def test_actors_need_a_label_or_the_gate_and_roles_need_their_words() -> None:
    text = "Employers fund the courses."
    assert "actors" not in segment_facets(text, "en").facets  # named in passing
    res = segment_facets(text, "en", labels=["quality_trust"])
    assert res.facets["actors"] == ["employers"] and res.actor_roles == [ActorRole("employers", "funds")]
    far = segment_facets("Employers" + " and so on" * 20 + " fund it.", "en", labels=["quality_trust"])
    assert far.facets["actors"] == ["employers"] and far.actor_roles == []  # the role word is too far away


def test_country_links_leave_out_the_documents_own_country_and_the_eu() -> None:
    res = segment_facets("As in Germany and the Netherlands, x.", "en", named=["DE", "EU", "NL", "IE"], doc_country="IE")
    assert res.facets["international"] == ["country:DE", "country:NL"]
    assert "international" not in segment_facets("As in Ireland, x.", "en", named=["IE"], doc_country="ie").facets


@pytest.mark.parametrize(("text", "lang", "named", "linked"), [
    ("Following the example of Finland, the universities stack micro-credentials.", "en", ["FI"], True),
    ("Nach dem Vorbild der Niederlande werden Microcredentials eingeführt.", "de", ["NL"], True),
    ("À l'instar de la Finlande, les microcertifications sont capitalisables.", "fr", ["FI"], True),
    # a rule's list of the states it applies to cites no country as a model
    ("Les ressortissants de l'Islande, de la Norvège et du Liechtenstein ou de la Suisse : photocopie.", "fr",
     ["IS", "NO", "LI", "CH"], False),
    ("Applicants from Australia or New Zealand apply through the same office.", "en", ["AU", "NZ"], False),
])
def test_a_country_is_linked_only_when_presented_as_an_example_or_model(
        text: str, lang: str, named: list[str], linked: bool) -> None:
    res = segment_facets(text, lang, named=named, doc_country="IE")
    assert any(v.startswith("country:") for v in res.facets.get("international", [])) == linked


def test_international_references_need_no_gate_and_are_language_gated() -> None:
    assert segment_facets("Die OECD und UNESCO berichten.", "de").facets["international"] == ["unesco", "oecd"]
    assert "international" not in segment_facets("europäischen Hochschulraum", "fi").facets
    assert segment_facets("europäischen Hochschulraum", "de").facets["international"] == ["bologna_ehea"]
    assert segment_facets("Europäischen Qualifikationsrahmen", "de").facets["international"] == ["eqf"]  # levels.eqf


def test_cues_name_the_facet_and_value_and_point_into_the_text() -> None:
    text = "Employers in retail trust the 5-ECTS online micro-credentials."
    res = facets_of_text(text, "en")
    labels = {c.label for c in res.cues}
    assert {"facet:actors:employers", "facet:sectors:retail_trade", "facet:participation_form:online",
            "facet:mc_elements:workload", "facet:international:ects_ecvet"} <= labels
    for cue in res.cues:
        _, facet, value = cue.label.split(":", 2)
        assert facet in FACETS and value in facet_values(facet)
        if cue.text:
            assert text[cue.start:cue.end] == cue.text
    role = [c for c in res.cues if "(role: " in c.cue]
    assert role and role[0].cue == "en:values_trusts (role: values_trusts)" and role[0].text == "trust"
    assert {r.role for r in res.actor_roles} <= set(actor_roles())


def test_values_inside_a_longer_value_of_the_same_facet_go() -> None:
    res = segment_facets("They are quality-assured by the national agency.", "en", labels=["quality_trust"])
    assert res.facets["actors"] == ["awarding_qa_bodies"]


def test_the_document_pass_opens_the_gate_of_a_document_about_micro_credentials() -> None:
    texts = ["Micro-credentials are short.", "Micro-credentials are small.", "A micro-credential is stackable.",
             "Learning outcome description (required).", "The weather was fine."]
    segments = [Segment(str(i), "d", 1, 1, 0, len(t), t, "en") for i, t in enumerate(texts)]
    preds = [Prediction(id=str(i), labels=["microcredential"] if i < MC_DOCUMENT_MIN else []) for i in range(len(texts))]
    for seg, pred in zip(segments, preds, strict=True):
        from mctext.classify.facets import apply

        apply(pred, segment_facets(seg.text, "en", labels=pred.labels))
    assert "mc_elements" not in preds[3].facets
    document_facets(segments, preds, "IE", [list(p.labels) for p in preds])
    assert preds[3].facets["mc_elements"] == ["learning_outcomes"]
    assert any(c.label == "facet:mc_elements:learning_outcomes" for c in preds[3].cues)
    # a long document with a few micro-credential sentences is not about them
    many = segments + [Segment(f"x{i}", "d", 1, 1, 0, 9, "Nothing.", "en") for i in range(40)]
    preds2 = [Prediction(id=s.id, labels=["microcredential"] if i < MC_DOCUMENT_MIN else []) for i, s in enumerate(many)]
    document_facets(many, preds2, "IE", [list(p.labels) for p in preds2])
    assert "mc_elements" not in preds2[3].facets
    # unless its title says it is
    document_facets(many, preds2, "IE", [list(p.labels) for p in preds2], "A Micro-Credential Metadata Standard")
    assert preds2[3].facets["mc_elements"] == ["learning_outcomes"]


def test_prediction_columns_and_classify_output() -> None:
    pred = Prediction(id="a", facets={"actors": ["employers"], "international": ["country:DE"]},
                      workload=[Workload(5.0, "ECTS", "5 ECTS", 3, 9)], actor_roles=[ActorRole("employers", "funds")])
    d = pred.to_dict()
    assert list(d)[-7:] == ["mc_elements", "workload", "participation_form", "actors", "sectors", "international",
                            "actor_roles"]
    assert d["workload"] == [{"value": 5.0, "unit": "ECTS", "text": "5 ECTS", "char_start": 3, "char_end": 9}]
    assert d["actor_roles"] == [{"actor": "employers", "role": "funds"}] and d["mc_elements"] == []
    json.dumps(d)


def test_the_classifier_fills_the_facets() -> None:
    from mctext.classify.model import rules_only_classifier

    clf = rules_only_classifier("test")
    text = "Employers in retail helped design the 5-ECTS online micro-credentials, as in Germany."
    (pred,) = clf.predict([text], ["en"], countries=["IE"])
    assert pred.facets["sectors"] == ["retail_trade"] and pred.facets["international"] == ["ects_ecvet", "country:DE"]
    assert [(w.value, w.unit) for w in pred.workload] == [(5.0, "ECTS")]
    assert any(c.label.startswith("facet:") for c in pred.cues)


def test_segments_table_has_typed_facet_columns() -> None:
    import pyarrow as pa

    from mctext.schemas import arrow_schema

    schema = arrow_schema("segments")
    for name in ("mc_elements", "participation_form", "actors", "sectors", "international"):
        assert schema.field(name).type == pa.list_(pa.string())
    workload = schema.field("workload").type
    assert workload.value_type == pa.struct([("value", pa.float64()), ("unit", pa.string()), ("text", pa.string()),
                                             ("char_start", pa.int32()), ("char_end", pa.int32())])
    assert schema.field("actor_roles").type.value_type == pa.struct([("actor", pa.string()), ("role", pa.string())])


def test_facets_travel_to_parquet_and_duckdb(tmp_path) -> None:
    """classify_segments -> build_tables -> segments.parquet / evidence.duckdb with real list/struct columns."""
    import duckdb
    import pyarrow.parquet as pq

    from mctext import store
    from mctext.classify import classify_segments
    from mctext.classify.model import rules_only_classifier
    from mctext.evidence import build_tables
    from mctext.records import DocResult, Document, Page

    text = "Employers in retail helped design the 5-ECTS online micro-credentials, as in Germany."
    doc = Document(doc_id="d1", file="a.txt", sha256="0" * 64, country="IE", language="en")
    seg = Segment("s1", "d1", 1, 1, 0, len(text), text, "en")
    preds = classify_segments([seg], "IE", rules_only_classifier("test"))
    tables = build_tables([DocResult(doc, [Page(1, text)], [seg], preds)])
    store.write_parquet(tables.segments, tmp_path / "segments.parquet", "segments")
    store.write_duckdb(tables.as_dict(), tmp_path / "evidence.duckdb")
    back = pq.read_table(tmp_path / "segments.parquet").to_pylist()[0]
    assert back["sectors"] == ["retail_trade"] and back["international"] == ["ects_ecvet", "country:DE"]
    assert back["workload"] == [{"value": 5.0, "unit": "ECTS", "text": "5-ECTS", "char_start": 38, "char_end": 44}]
    con = duckdb.connect(str(tmp_path / "evidence.duckdb"), read_only=True)
    row = con.execute("SELECT w.unit, w.value, list_contains(actors, 'employers'), actor_roles "
                      "FROM segments, unnest(workload) AS t(w)").fetchone()
    assert row == ("ECTS", 5.0, True, [{"actor": "employers", "role": "provides"}])
    con.close()


def test_the_codebooks_own_example_comes_out_exactly() -> None:
    """codebook.md, last row of "Examples": every facet exactly, nothing more."""
    text = ("Employers in retail helped design the 5-ECTS online micro-credentials, which are "
            "quality-assured by the national agency.")
    res = facets_of_text(text, "en")
    assert res.facets == {
        "mc_elements": ["workload", "participation_form", "quality_assurance"],
        "participation_form": ["online"],
        "actors": ["employers", "awarding_qa_bodies"],
        "sectors": ["retail_trade"],
        "international": ["ects_ecvet"],
    }
    assert [(w.value, w.unit) for w in res.workload] == [(5.0, "ECTS")]


def test_the_reference_a_workload_unit_makes_is_codebook_data(monkeypatch) -> None:
    """A workload in ECTS is the reference ects_ecvet because the codebook says so
    (facets.international.unit_references), not because facets.py spells it."""
    from mctext.classify import facets as facet_rules
    from mctext.codebook import unit_references

    assert unit_references() == {"ECTS": "ects_ecvet", "ECVET": "ects_ecvet"}
    text = "The short course of 30 hours."
    assert "international" not in segment_facets(text, "en", labels=["microcredential"]).facets
    monkeypatch.setattr(facet_rules, "unit_references", lambda: {"hours": "eu_other"})
    assert segment_facets(text, "en", labels=["microcredential"]).facets["international"] == ["eu_other"]


def test_the_document_pass_keeps_the_short_learning_context() -> None:
    """A segment the document pass looks at again (its labels changed) keeps the gate its
    short-learning context opened in the first pass: a short course's workload in credits stays (and,
    the context stating no element of a micro-credential, hours stay no workload)."""
    from mctext.classify.facets import apply, short_learning_context

    text = "Short courses of 5 ECTS credits and 40 hours are offered online to all adults."
    assert short_learning_context(text, "en") and not short_learning_context("The weather was fine.", "en")
    seg = Segment("0", "d", 1, 1, 0, len(text), text, "en")
    pred = Prediction(id="0", labels=[])
    apply(pred, segment_facets(text, "en", context=True))
    assert [(w.value, w.unit) for w in pred.workload] == [(5, "ECTS")]
    pred.labels = ["stackability"]  # as the aliases pass may change them
    document_facets([seg], [pred], "IE", [[]])
    assert [(w.value, w.unit) for w in pred.workload] == [(5, "ECTS")]
    assert pred.facets["mc_elements"] == ["workload"] and "participation_form" not in pred.facets


def test_a_sector_is_named_for_the_learning_near_a_qualification_word() -> None:
    """Without a label or the gate, a sector needs a qualification word within SECTOR_REACH."""
    from mctext.classify.facets import SECTOR_REACH

    assert segment_facets("Evening courses in construction are popular.", "en").facets["sectors"] == ["construction"]
    far = "The construction of the new town hall" + " and its square" * (SECTOR_REACH // 10) + " ended with a course."
    assert "sectors" not in segment_facets(far, "en").facets
    assert segment_facets(far, "en", labels=["microcredential"]).facets["sectors"] == ["construction"]


def test_the_document_pass_and_the_rules_share_one_short_learning_context(monkeypatch) -> None:
    """The document pass's short-learning context is the rules' own driver context flag: a guard
    the driver context cues get counts for both (it once re-ran the bare cues in facets.py)."""
    from mctext.classify import rules
    from mctext.classify.facets import short_learning_context
    from mctext.classify.fastre import CueSet

    text = "Short courses of 40 hours are open to all adults."
    assert short_learning_context(text, "en") and rules.apply_rules(text, "en").short_learning_context
    plain = rules.lexicons

    def guarded(langs: rules.Languages = None) -> dict:
        out = dict(plain(langs))
        out[rules.DRIVER_CONTEXT] = rules._Lexicon(out[rules.DRIVER_CONTEXT].cues, CueSet([("en:g", r"short\s+courses")]))
        return out

    monkeypatch.setattr(rules, "lexicons", guarded)
    rules._matcher.cache_clear()
    try:
        assert not rules.apply_rules(text, "en").short_learning_context
        assert not short_learning_context(text, "en")
    finally:
        rules._matcher.cache_clear()


def test_the_actors_tagged_only_about_micro_credentials_are_codebook_data(monkeypatch) -> None:
    """Learners need a segment or document about micro-credentials because the codebook says so
    (facets.actors.mc_only), not because facets.py spells it; a value no actor is an error."""
    from mctext import codebook
    from mctext.classify import facets as facet_rules

    assert codebook.mc_only_actors() == ("learners",)
    text = "Students may have their prior learning validated by the ministry."
    assert segment_facets(text, "en", labels=["validation"]).facets["actors"] == ["public_authorities"]
    assert "learners" in segment_facets(text, "en", labels=["microcredential"]).facets["actors"]
    monkeypatch.setattr(facet_rules, "mc_only_actors", lambda: ())
    assert "learners" in segment_facets(text, "en", labels=["validation"]).facets["actors"]
    book = codebook.load_codebook()
    actors = {**book["facets"]["actors"], "mc_only": ["pupils"]}
    monkeypatch.setattr(codebook, "load_codebook", lambda: {**book, "facets": {**book["facets"], "actors": actors}})
    codebook.mc_only_actors.cache_clear()
    try:
        with pytest.raises(ValueError, match="mc_only: pupils"):
            codebook.mc_only_actors()
    finally:
        monkeypatch.undo()
        codebook.mc_only_actors.cache_clear()


def test_learners_in_a_micro_credential_document_need_a_role() -> None:
    """A document about micro-credentials names its participants and students in nearly every
    sentence (the participant whose assessment is valid, the student ID): there learners need a
    role word next to them, as in a short-learning context; a segment labelled microcredential
    needs none."""
    passing = "The assessments support the learning process of the participant and are valid."
    assert "actors" not in segment_facets(passing, "en", in_mc_document=True).facets
    assert segment_facets(passing, "en", labels=["microcredential"]).facets["actors"] == ["learners"]
    role = "Participants complete the modules and earn a certificate."
    res = segment_facets(role, "en", labels=["quality_trust"], in_mc_document=True)
    assert res.facets["actors"] == ["learners"] and {r.role for r in res.actor_roles} == {"uses"}
    assert "actors" not in segment_facets(passing, "en", labels=["quality_trust"], in_mc_document=True).facets


def test_a_document_about_micro_credentials_does_not_speak_for_its_unlabelled_segments() -> None:
    """An actor's role is what the segment itself says (the codebook's context rule): a segment of
    a document about micro-credentials that carries no label of an actor's relation names its
    actors in passing, even next to a role word (the data model's "issuer", the participant of a
    form); its elements still pass the document's gate. A short-learning context alone opens an
    actor only with a role word of CONTEXT_ROLES next to it ("the PES funds short courses"): who
    provides or takes part in continuing education or a short study programme is what every
    education law says; the segment labelled microcredential opens the provider."""
    text = "Participants complete the modules and earn a certificate."
    assert "actors" not in segment_facets(text, "en", in_mc_document=True).facets
    assert "actors" not in segment_facets("Universities publish the course list.", "en", context=True).facets
    assert "actors" not in segment_facets("Universities offer the short courses.", "en", context=True).facets
    assert "actors" not in segment_facets("Vysoká škola poskytuje krátke študijné programy.", "sk", context=True).facets
    res = segment_facets("Universities offer the micro-credentials.", "en", labels=["microcredential"])
    assert res.facets["actors"] == ["providers"] and [r.role for r in res.actor_roles] == ["provides"]
    res = segment_facets("The ministry funds the short courses.", "en", context=True)
    assert res.facets["actors"] == ["public_authorities"] and [r.role for r in res.actor_roles] == ["funds"]
    assert segment_facets("A module of 5 ECTS.", "en", in_mc_document=True).facets["mc_elements"] == ["workload"]


def test_a_shortage_of_skilled_workers_names_no_learners() -> None:
    """German "Fachkräfte" (skilled workers) are learners; the "Fachkräftemangel" (the shortage, a
    driver) is no actor."""
    driver = "Der Fachkräftemangel verlangt neue Wege der Weiterbildung."
    assert "actors" not in segment_facets(driver, "de", labels=["microcredential"]).facets
    learners = "Fachkräfte erwerben Mikrozertifikate in kurzen Kursen."
    assert segment_facets(learners, "de", labels=["microcredential"]).facets["actors"] == ["learners"]


@pytest.mark.parametrize(("text", "lang", "sectors"), [
    # words of a sector that name something else: preparatory training, training guides, industrial
    # property, the company register, health and safety at work, a firm's production
    ("Koulutuksen järjestäjä voi hankkia tutkintoon valmistavaa koulutusta.", "fi", []),
    ("Mikrotutkinnot valmistavan teollisuuden työntekijöille.", "fi", ["manufacturing"]),
    ("Οι Οδηγοί Κατάρτισης περιγράφουν τα μικροδιαπιστευτήρια.", "el", []),
    ("Μικροδιαπιστευτήρια για οδηγούς φορτηγών και οδηγοί λεωφορείων.", "el", ["transport_logistics"]),
    ("Mikropoświadczenia obejmują zasady ochrony własności przemysłowej.", "pl", []),
    ("Mikropoświadczenia dla pracowników przemysłu motoryzacyjnego.", "pl", ["manufacturing"]),
    ("Joindre l'extrait du registre du commerce à la demande de microcertification.", "fr", []),
    ("Des microcertifications pour les vendeurs du commerce de détail.", "fr", ["retail_trade"]),
    ("Das Mikrozertifikat behandelt den Arbeits- und Gesundheitsschutz.", "de", []),
    ("Mikrozertifikate für Beschäftigte im Gesundheitswesen.", "de", ["health_care"]),
    ("Lærebedriftene skal leggje produksjonen til rette for mikrokvalifikasjonane.", "no", []),
    ("Mikrokvalifikasjoner for arbeidstakere i industrien.", "no", ["manufacturing"]),
    # a merchant or clerk (Kaufmann) of the retail trade is retail, not finance; a bank clerk is finance
    ("Mikrozertifikate für Kaufleute im Einzelhandel.", "de", ["retail_trade"]),
    ("Mikrozertifikate für den Kaufmann im Einzelhandel.", "de", ["retail_trade"]),
    ("Mikrozertifikate für Bankkaufleute.", "de", ["finance_business"]),
    # the crafts code (a law's name) names no sector; the crafts do
    ("Das Mikrozertifikat nach § 42a der Handwerksordnung.", "de", []),
    ("Mikrozertifikate für das Handwerk.", "de", ["crafts"]),
    # a medical opinion or medical costs name no sector; the medical professions do
    ("La microcertification est accordée sous réserve d'un avis médical favorable.", "fr", []),
    ("Des microcertifications pour les professions médicales.", "fr", ["health_care"]),
])
def test_sector_words_that_name_something_else_name_no_sector(text: str, lang: str, sectors: list[str]) -> None:
    assert segment_facets(text, lang, labels=["microcredential"]).facets.get("sectors", []) == sectors


def test_professionals_and_the_workforce_are_learners_where_it_is_about_micro_credentials() -> None:
    """Learners are "individuals, employees, job seekers, students": the professionals and the
    workforce who take micro-credentials too; like every learner word only where it is about them."""
    mc = "A mid-career professional completes a micro-credential, as many professionals and the workforce do."
    assert segment_facets(mc, "en", labels=["microcredential"]).facets["actors"] == ["learners"]
    law = "The professionals of recognised standing sit on the board of the university."
    assert "learners" not in segment_facets(law, "en", labels=["quality_trust"]).facets.get("actors", [])


@pytest.mark.parametrize(("text", "lang", "actors"), [
    ("Hemkommunen erbjuder en inledande kartläggning och validering.", "sv", ["public_authorities"]),
    ("Valideringen prövar förmågan till kommunikation och samarbete.", "sv", []),  # kommunikation: no municipality
    ("Jatkuvan oppimisen ja työllisyyden palvelukeskus rahoittaa osaamisen tunnustamista.", "fi", ["public_authorities"]),
    ("The institutes of technology grant certificates validated by the awarding body.", "en",
     ["providers", "awarding_qa_bodies"]),
])
def test_actor_names_of_a_country(text: str, lang: str, actors: list[str]) -> None:
    assert segment_facets(text, lang, labels=["validation"]).facets.get("actors", []) == actors


@pytest.mark.parametrize(("text", "lang", "international"), [
    ("Europos profesinio mokymo kokybės užtikrinimo orientacinė sistema grindžia kriterijus.", "lt", ["eqavet"]),
    ("Kriterijai atitinka tarptautinius kokybės standartus.", "lt", []),  # no organisation named
    ("Der Europäische Bezugsrahmen für die Qualitätssicherung gilt.", "de", ["eqavet"]),
    ("Der Bezugsrahmen für die Qualitätssicherung der Hochschule gilt.", "de", []),
    ("Europejska Fundacja Kształcenia wspiera reformy.", "pl", ["etf"]),
    ("Fundacja wspiera kształcenie dorosłych.", "pl", []),
    ("The field is coded with ISCED-F 2013.", "en", ["unesco"]),
    ("Issued with the type EuropeanDigitalCredential.", "en", ["europass_edc"]),
])
def test_international_references_named_in_full(text: str, lang: str, international: list[str]) -> None:
    assert segment_facets(text, lang).facets.get("international", []) == international


@pytest.mark.parametrize(("text", "lang", "elements"), [
    # a specification names the element itself: "Mode of study" is the form of participation
    ("Mode of study | elm:mode | Mandatory", "en", ["participation_form"]),
    ("The study was mandatory.", "en", []),
    ("Die Lernform des Mikrozertifikats ist frei wählbar.", "de", ["participation_form"]),
    ("Name of awarding institution | elm:awardedBy | Mandatory", "en", ["awarding_body"]),
])
def test_elements_named_by_their_field(text: str, lang: str, elements: list[str]) -> None:
    assert segment_facets(text, lang, in_mc_document=True).facets.get("mc_elements", []) == elements


def test_a_self_employed_person_is_no_employer() -> None:
    """Czech "podnikající fyzická osoba" is a self-employed person (who may hold an authorisation),
    "podniky" are the enterprises."""
    assert "actors" not in segment_facets("Zkouška před podnikající fyzickou osobou.", "cs", labels=["validation"]).facets
    assert segment_facets("Podniky uznávají profesní kvalifikace.", "cs", labels=["validation"]).facets["actors"] == [
        "employers"]


def test_actors_of_a_framework_or_a_credit_rule_are_named_in_passing() -> None:
    """A segment labelled only stackability names the credit rules' institutions in passing, one
    labelled only nqf a framework's bodies unless a role word lies next to them (codebook
    facets.actors.role_labels); a label of an actor's relation to credentials (validation,
    quality_trust, driver, microcredential, facets.actors.labels) or the gate opens them."""
    framework = "The ministry publishes the register of the framework's levels."
    assert "actors" not in segment_facets(framework, "en", labels=["nqf"]).facets
    placing = segment_facets("The ministry recognises the level of each qualification.", "en", labels=["nqf"])
    assert placing.facets["actors"] == ["public_authorities"]
    assert [(r.actor, r.role) for r in placing.actor_roles] == [("public_authorities", "recognises")]
    assert segment_facets(framework, "en", labels=["nqf", "microcredential"]).facets["actors"] == ["public_authorities"]
    credits_rule = "Universities recognise credits earned in other programmes."
    assert "actors" not in segment_facets(credits_rule, "en", labels=["stackability"]).facets
    assert segment_facets(credits_rule, "en", labels=["stackability", "validation"]).facets["actors"] == ["providers"]
    assert "actors" not in segment_facets(credits_rule, "en", labels=["stackability"], in_mc_document=True).facets


def test_the_labels_that_open_actors_are_codebook_data(monkeypatch) -> None:
    """Which labels open the actors is read from codebook.yaml (facets.actors.labels); a value that
    is no label of the codebook is an error."""
    from mctext import codebook
    from mctext.classify import facets as facet_rules

    assert set(codebook.actor_labels()) == {"microcredential", "validation", "quality_trust", "driver"}
    assert codebook.actor_labels("role_labels") == ("nqf",)
    text = "The ministry publishes the register of the framework's levels."
    monkeypatch.setattr(facet_rules, "_actor_labels", lambda key="labels": frozenset({"nqf"} if key == "labels" else ()))
    assert segment_facets(text, "en", labels=["nqf"]).facets["actors"] == ["public_authorities"]
    book = codebook.load_codebook()
    actors = {**book["facets"]["actors"], "labels": ["frameworks"]}
    monkeypatch.setattr(codebook, "load_codebook", lambda: {**book, "facets": {**book["facets"], "actors": actors}})
    codebook.actor_labels.cache_clear()
    try:
        with pytest.raises(ValueError, match="labels: frameworks"):
            codebook.actor_labels()
    finally:
        monkeypatch.undo()
        codebook.actor_labels.cache_clear()


def test_a_list_of_fields_names_no_sector_outside_micro_credentials() -> None:
    """A segment naming more sectors than facets.sectors.list_max lists fields (the trades a page
    lists, a register's fields): none is named for the learning; in a segment labelled
    microcredential the list is the credentials' sectors."""
    from mctext.codebook import sector_list_max

    assert sector_list_max() == 2
    listed = "Apprenticeships are offered in retail, construction, tourism and agriculture."
    assert "sectors" not in segment_facets(listed, "en").facets
    assert segment_facets(listed, "en", labels=["microcredential"]).facets["sectors"] == [
        "retail_trade", "construction", "hospitality_tourism", "agriculture_food"]
    two = "Apprenticeships are offered in retail and construction."
    assert segment_facets(two, "en").facets["sectors"] == ["retail_trade", "construction"]


def test_a_label_is_not_the_learning_a_sector_is_named_for() -> None:
    """A segment with a label but outside the gate still needs a qualification word near the sector:
    a validation procedure's "health" of a ministry is no sector of the learning."""
    from mctext.classify.facets import SECTOR_REACH

    far = "The construction of the new town hall" + " and its square" * (SECTOR_REACH // 10) + " ended with a course."
    assert "sectors" not in segment_facets(far, "en", labels=["validation"]).facets
    assert "sectors" not in segment_facets(far, "en", labels=["validation"], in_mc_document=True).facets
    assert segment_facets(far, "en", labels=["validation"], context=True).facets["sectors"] == ["construction"]


@pytest.mark.parametrize(("text", "lang", "sectors"), [
    # the teachers and trainers of a course are its staff, in whatever sector: no sector of the learning
    ("The teacher assesses the learning outcomes of the course.", "en", []),
    ("Die Lehrkraft bewertet die Lernergebnisse des Kurses.", "de", []),
    ("L'enseignant évalue les acquis de la formation.", "fr", []),
    ("El profesor evalúa los resultados del curso.", "es", []),
    # teachers as the learners: the education sector
    ("Short courses for teachers lead to a micro-credential.", "en", ["education"]),
    ("Mikro-Credentials in der Lehrerfortbildung.", "de", ["education"]),
    ("Des micro-certifications pour la formation des enseignants.", "fr", ["education"]),
    ("Microcredenciales para la formación del profesorado.", "es", ["education"]),
])
def test_the_staff_of_the_learning_is_no_education_sector(text: str, lang: str, sectors: list[str]) -> None:
    assert segment_facets(text, lang, labels=["microcredential"]).facets.get("sectors", []) == sectors


@pytest.mark.parametrize(("text", "lang", "roles"), [
    # nouns that the role words' stems took for verbs: a number, a file, an organisation
    ("Die Zahl der Arbeitgeber steigt.", "de", []),
    ("Der Arbeitgeber bezahlt den Kurs.", "de", [("employers", "funds")]),
    ("Employers have an organisation chart.", "en", []),
    ("Employers organise the courses.", "en", [("employers", "provides")]),
    ("L'employeur a une organisation interne.", "fr", []),
    ("L'employeur organise la formation.", "fr", [("employers", "provides")]),
    ("El expediente del empleador.", "es", []),
])
def test_role_words_are_verbs_not_nouns_of_the_same_stem(text: str, lang: str, roles: list) -> None:
    res = segment_facets(text, lang, labels=["quality_trust"])
    assert res.facets["actors"] == ["employers"]
    assert [(r.actor, r.role) for r in res.actor_roles] == roles


@pytest.mark.parametrize(("text", "lang", "elements", "workload"), [
    # a word naming a micro-credential next to the element opens the gate where the label missed it
    ("The micro-credential states its learning outcomes and a notional workload of 5 ECTS credits.", "en",
     ["learning_outcomes", "workload"], [(5.0, "ECTS")]),
    ("Das Mikrozertifikat beschreibt die Lernergebnisse und umfasst 5 ECTS-Punkte.", "de",
     ["learning_outcomes", "workload"], [(5.0, "ECTS")]),
    ("Mikrocertifikát uvádí výsledky učení a rozsah 4 kreditů.", "cs", ["learning_outcomes", "workload"], [(4.0, "credits")]),
    ("Mikrocertifikát uvádza výsledky vzdelávania a formu hodnotenia.", "sk", ["learning_outcomes", "assessment"], []),
    ("Mikropoświadczenie określa efekty uczenia się i 2 punkty ECTS.", "pl", ["learning_outcomes", "workload"], [(2.0, "ECTS")]),
    ("La microcredencial describe los resultados de aprendizaje y 3 créditos ECTS.", "es",
     ["learning_outcomes", "workload"], [(3.0, "ECTS")]),
    ("La microcredenziale indica i risultati di apprendimento e 4 crediti ECTS.", "it",
     ["learning_outcomes", "workload"], [(4.0, "ECTS")]),
    ("Mikrokvalifikatsiooni tunnistusel on õpiväljundid ja maht 3 EAP.", "et", ["learning_outcomes", "workload"], [(3.0, "ECTS")]),
    ("The micro-credential is offered online and states its learning outcomes.", "en",
     ["learning_outcomes", "participation_form"], []),
    ("The micro-credential requires 40 hours of study and states its learning outcomes.", "en",
     ["learning_outcomes", "workload"], [(40.0, "hours")]),
    # the term hyphenated
    ("Mikro-certifikát uvádí výsledky učení.", "cs", ["learning_outcomes"], []),
    ("Mikro-poświadczenie określa efekty uczenia się.", "pl", ["learning_outcomes"], []),
    # a certificate of any qualification is no micro-credential: its elements stay closed
    ("The certificate states the learning outcomes of the apprenticeship.", "en", [], []),
    ("Osvědčení o zkoušce vydává autorizovaná osoba a uvádí výsledky učení.", "cs", [], []),
    ("Das Zeugnis nennt die Lernergebnisse und 180 ECTS-Punkte.", "de", [], []),
    # a degree's credits are no workload of the micro-credential that counts towards it
    ("The micro-credential counts towards a degree of 180 ECTS credits.", "en", ["stackability"], []),
    # the credential word must be next to the element
    ("Micro-credentials are discussed in chapter 2." + " Other matters follow here." * 6
     + " The learning outcomes of the school curriculum are set by law.", "en", [], []),
])
def test_an_element_stated_next_to_a_credential_word_passes_the_gate(
        text: str, lang: str, elements: list[str], workload: list) -> None:
    res = segment_facets(text, lang)  # no label, no document: the label missed the segment
    assert res.facets.get("mc_elements", []) == elements
    assert [(w.value, w.unit) for w in res.workload] == workload


@pytest.mark.parametrize(("section", "lang", "text", "elements"), [
    ("5 Micro-credentials > 5.2 Content", "en", "Each course describes its learning outcomes and the type of assessment.",
     ["learning_outcomes", "assessment"]),
    ("§ 12 Mikrozertifikate", "de", "Die Lernergebnisse und die Form der Prüfung sind anzugeben.", ["learning_outcomes", "assessment"]),
    ("Mikrocertifikáty", "cs", "Uvádějí se výsledky učení a způsob hodnocení.", ["learning_outcomes", "assessment"]),
    ("Mikropoświadczenia", "pl", "Określa się efekty uczenia się oraz sposób walidacji.", ["learning_outcomes", "assessment"]),
    # a heading about something else opens nothing
    ("5 Apprenticeships > 5.2 Content", "en", "Each course describes its learning outcomes and the type of assessment.", []),
])
def test_a_section_heading_naming_micro_credentials_opens_the_gate(section: str, lang: str, text: str, elements: list) -> None:
    filler = [Segment(f"x{i}", "d", 1, 1, 0, 8, "Nothing.", lang) for i in range(40)]  # not a document about them
    segments = [Segment("s", "d", 1, 1, 0, len(text), text, lang, section=section), *filler]
    preds = [Prediction(id=s.id, labels=[]) for s in segments]
    document_facets(segments, preds, "", [[] for _ in preds])
    assert preds[0].facets.get("mc_elements", []) == elements


@pytest.mark.parametrize(("text", "lang", "elements"), [
    # the Annex I fields of the Council Recommendation as each language words them, and their paraphrases
    ("Aufsicht und Identitätsüberprüfung während der Bewertung.", "de", ["assessment", "identity_verification"]),
    ("Die Qualifikationsziele des Kurses sind beschrieben.", "de", ["learning_outcomes"]),
    ("Hodnotenie prebieha pod dohľadom.", "sk", ["assessment", "identity_verification"]),
    ("Uvádza sa predpokladané pracovné zaťaženie.", "sk", ["workload"]),
    ("Výstupy z učení jsou popsány v příloze.", "cs", ["learning_outcomes"]),
    ("Subjekt udělující mikrocertifikát je uveden na dokladu.", "cs", ["awarding_body"]),
    ("Egzamin odbywa się pod nadzorem egzaminatora.", "pl", ["assessment", "identity_verification"]),
    ("Organismo que concede la certificación.", "es", ["awarding_body"]),
    ("La prova finale si svolge sotto supervisione.", "it", ["assessment", "identity_verification"]),
    ("Teoretisk arbetsbörda anges i kursplanen.", "sv", ["workload"]),
    ("Forventet arbeidsbelastning er oppgitt.", "no", ["workload"]),
    ("Εποπτεία κατά την αξιολόγηση.", "el", ["assessment", "identity_verification"]),
    ("Tunnistuse väljaandja on ülikool.", "et", ["awarding_body"]),
    ("Each assessment is invigilated.", "en", ["assessment", "identity_verification"]),
    ("Vydavatelia mikrocertifikátov sú uvedení.", "sk", ["awarding_body"]),  # ľ in the singular, l in the plural
    # Greek stress moves with the ending: εκδότης / εκδοτών, ταυτοποίηση / ταυτοποιήσεις
    ("Τα στοιχεία των εκδοτών είναι δημόσια.", "el", ["awarding_body"]),
    ("Οι ταυτοποιήσεις γίνονται κατά την αξιολόγηση.", "el", ["assessment", "identity_verification"]),
    # supervision of something else is no identity verification
    ("The supervision of schools is carried out by the inspectorate.", "en", []),
    ("Die Aufsichtsbehörde genehmigt den Haushalt.", "de", []),
    ("Nadzór pedagogiczny sprawuje kurator oświaty.", "pl", []),
    ("Övervakning av kvaliteten sker årligen.", "sv", []),
    ("Státní dohled vykonává ministerstvo.", "cs", []),
    ("Dozorná rada schvaľuje rozpočet.", "sk", []),
    ("La sorveglianza sanitaria è affidata alla regione.", "it", []),
    ("Zkouška probíhá pod dohledem.", "cs", ["assessment", "identity_verification"]),
    ("Tentamen skrivs under övervakning.", "sv", ["assessment", "identity_verification"]),
])
def test_the_standards_fields_in_every_language(text: str, lang: str, elements: list[str]) -> None:
    assert segment_facets(text, lang, in_mc_document=True).facets.get("mc_elements", []) == elements


@pytest.mark.parametrize(("text", "lang", "learners"), [
    # a word naming micro-credentials next to the learners and their role word: who uses them
    ("Employees who earn micro-credentials trust them more.", "en", True),
    ("Zaměstnanci, kteří získají mikrocertifikát, mu důvěřují.", "cs", True),
    # learners with a role word but no credential word named: the object of another rule
    ("Employees who earn the new pension trust it more.", "en", False),
])
def test_learners_with_a_role_next_to_a_micro_credential_word(text: str, lang: str, learners: bool) -> None:
    res = segment_facets(text, lang, labels=["quality_trust"])  # not labelled microcredential
    assert ("learners" in res.facets.get("actors", [])) is learners


# The Annex I fields of the Council Recommendation of 16 June 2022 as each language words them
# (written for this test after the Recommendation's language versions; a field name states its element)
ANNEX_I_FIELDS = {
    "learning_outcomes": {
        "en": 'Learning outcomes',
        "de": 'Lernergebnisse',
        "cs": 'Výsledky učení',
        "sk": 'Výsledky vzdelávania',
        "pl": 'Efekty uczenia się',
        "es": 'Resultados del aprendizaje',
        "it": "Risultati dell'apprendimento",
        "sv": 'Läranderesultat',
        "no": 'Læringsutbytte',
        "et": 'Õpiväljundid',
        "el": 'Μαθησιακά αποτελέσματα',
        "fr": "Acquis d'apprentissage",
        "nl": 'Leerresultaten',
        "pt": 'Resultados de aprendizagem',
        "fi": 'Oppimistulokset',
        "da": 'Læringsudbytte',
        "lt": 'Mokymosi rezultatai',
        "lv": 'Mācīšanās rezultāti',
        "ro": 'Rezultatele învățării',
        "hr": 'Ishodi učenja',
        "hu": 'Tanulási eredmények',
        "bg": 'Резултати от ученето',
        "sl": 'Učni izidi',
    },
    "workload": {
        "en": 'Notional workload needed to achieve the learning outcomes',
        "de": 'Fiktiver Arbeitsaufwand',
        "cs": 'Předpokládaná pracovní zátěž',
        "sk": 'Predpokladané pracovné zaťaženie',
        "pl": 'Szacunkowy nakład pracy',
        "es": 'Volumen de trabajo teórico',
        "it": 'Carico di lavoro teorico',
        "sv": 'Teoretisk arbetsbörda',
        "no": 'Beregnet arbeidsmengde',
        "et": 'Hinnanguline töömaht',
        "el": 'Θεωρητικός φόρτος εργασίας',
        "fr": 'Charge de travail théorique',
        "nl": 'Theoretische studiebelasting',
        "pt": 'Volume de trabalho teórico',
        "fi": 'Laskennallinen työmäärä',
        "da": 'Teoretisk arbejdsbyrde',
        "lt": 'Numatomas darbo krūvis',
        "lv": 'Paredzamā darba slodze',
        "ro": 'Volumul de muncă teoretic',
        "hr": 'Predviđeno radno opterećenje',
        "hu": 'Névleges munkaterhelés',
        "bg": 'Теоретично натоварване',
        "sl": 'Predvidena delovna obremenitev',
    },
    "assessment": {
        "en": 'Type of assessment',
        "de": 'Art der Bewertung',
        "cs": 'Druh hodnocení',
        "sk": 'Druh hodnotenia',
        "pl": 'Rodzaj oceny',
        "es": 'Tipo de evaluación',
        "it": 'Tipo di valutazione',
        "sv": 'Typ av bedömning',
        "no": 'Type vurdering',
        "et": 'Hindamise liik',
        "el": 'Είδος αξιολόγησης',
        "fr": "Type d'évaluation",
        "nl": 'Type beoordeling',
        "pt": 'Tipo de avaliação',
        "fi": 'Arvioinnin tyyppi',
        "da": 'Type bedømmelse',
        "lt": 'Vertinimo tipas',
        "lv": 'Novērtēšanas veids',
        "ro": 'Tipul de evaluare',
        "hr": 'Vrsta vrednovanja',
        "hu": 'Az értékelés típusa',
        "bg": 'Вид оценяване',
        "sl": 'Vrsta ocenjevanja',
    },
    "participation_form": {
        "en": 'Form of participation in the learning activity',
        "de": 'Form der Teilnahme an der Lernaktivität',
        "cs": 'Forma účasti na vzdělávací činnosti',
        "sk": 'Forma účasti na vzdelávacej činnosti',
        "pl": 'Forma uczestnictwa w działaniach edukacyjnych',
        "es": 'Forma de participación en la actividad de aprendizaje',
        "it": "Forma di partecipazione all'attività di apprendimento",
        "sv": 'Form av deltagande i lärandeverksamheten',
        "no": 'Form for deltakelse i læringsaktiviteten',
        "et": 'Õppetegevuses osalemise vorm',
        "el": 'Μορφή συμμετοχής στη μαθησιακή δραστηριότητα',
        "fr": "Forme de participation à l'activité d'apprentissage",
        "nl": 'Vorm van deelname aan de leeractiviteit',
        "pt": 'Forma de participação na atividade de aprendizagem',
        "fi": 'Oppimistoimintaan osallistumisen muoto',
        "da": 'Form for deltagelse i læringsaktiviteten',
        "lt": 'Dalyvavimo mokymosi veikloje forma',
        "lv": 'Dalības forma mācību darbībā',
        "ro": 'Forma de participare la activitatea de învățare',
        "hr": 'Oblik sudjelovanja u aktivnosti učenja',
        "hu": 'A tanulási tevékenységben való részvétel formája',
        "bg": 'Форма на участие в учебната дейност',
        "sl": 'Oblika udeležbe pri učni dejavnosti',
    },
    "quality_assurance": {
        "en": 'Type of quality assurance used to underpin the micro-credential',
        "de": 'Art der Qualitätssicherung',
        "cs": 'Druh zajištění kvality',
        "sk": 'Druh zabezpečenia kvality',
        "pl": 'Rodzaj zapewniania jakości',
        "es": 'Tipo de garantía de calidad',
        "it": 'Tipo di garanzia della qualità',
        "sv": 'Typ av kvalitetssäkring',
        "no": 'Type kvalitetssikring',
        "et": 'Kvaliteedi tagamise liik',
        "el": 'Είδος διασφάλισης ποιότητας',
        "fr": "Type d'assurance qualité",
        "nl": 'Soort kwaliteitsborging',
        "pt": 'Tipo de garantia da qualidade',
        "fi": 'Laadunvarmistuksen tyyppi',
        "da": 'Type kvalitetssikring',
        "lt": 'Kokybės užtikrinimo tipas',
        "lv": 'Kvalitātes nodrošināšanas veids',
        "ro": 'Tipul de asigurare a calității',
        "hr": 'Vrsta osiguravanja kvalitete',
        "hu": 'A minőségbiztosítás típusa',
        "bg": 'Вид осигуряване на качеството',
        "sl": 'Vrsta zagotavljanja kakovosti',
    },
    "awarding_body": {
        "en": 'Awarding body(ies)',
        "de": 'Ausstellende Stelle(n)',
        "cs": 'Udělující subjekt',
        "sk": 'Udeľujúci subjekt',
        "pl": 'Podmiot przyznający',
        "es": 'Organismo que lo concede',
        "it": 'Organismo di rilascio',
        "sv": 'Utfärdande organ',
        "no": 'Utstedende organ',
        "et": 'Väljaandev asutus',
        "el": 'Φορέας απονομής',
        "fr": 'Organisme de délivrance',
        "nl": 'Uitgevende instantie',
        "pt": 'Organismo que atribui',
        "fi": 'Myöntävä elin',
        "da": 'Udstedende organ',
        "lt": 'Suteikianti institucija',
        "lv": 'Piešķīrēja iestāde',
        "ro": 'Organismul care acordă',
        "hr": 'Tijelo koje dodjeljuje',
        "hu": 'Kiállító szerv',
        "bg": 'Издаващ орган',
        "sl": 'Organ, ki podeli',
    },
    "prerequisites": {
        "en": 'Prerequisites needed to enrol in the learning activity',
        "de": 'Voraussetzungen für die Einschreibung',
        "cs": 'Předpoklady nutné pro zápis',
        "sk": 'Predpoklady potrebné na zápis',
        "pl": 'Warunki wstępne wymagane do zapisania się',
        "es": 'Requisitos previos necesarios para inscribirse',
        "it": 'Prerequisiti necessari per iscriversi',
        "sv": 'Förkunskapskrav',
        "no": 'Forkunnskapskrav',
        "et": 'Registreerumiseks vajalikud eeltingimused',
        "el": 'Προαπαιτούμενα για την εγγραφή',
        "fr": "Prérequis nécessaires pour s'inscrire",
        "nl": 'Vereiste voorkennis om in te schrijven',
        "pt": 'Pré-requisitos necessários para a inscrição',
        "fi": 'Ilmoittautumisen edellytykset',
        "da": 'Forudsætninger for tilmelding',
        "lt": 'Išankstiniai reikalavimai',
        "lv": 'Priekšnosacījumi',
        "ro": 'Condiții prealabile necesare pentru înscriere',
        "hr": 'Preduvjeti za upis',
        "hu": 'A beiratkozáshoz szükséges előfeltételek',
        "bg": 'Предварителни изисквания за записване',
        "sl": 'Predpogoji za vpis',
    },
    "identity_verification": {
        "en": 'Supervision and identity verification during assessment',
        "de": 'Aufsicht und Identitätsüberprüfung während der Bewertung',
        "cs": 'Dohled a ověření totožnosti během hodnocení',
        "sk": 'Dohľad a overenie totožnosti počas hodnotenia',
        "pl": 'Nadzór i weryfikacja tożsamości podczas oceny',
        "es": 'Supervisión y verificación de la identidad durante la evaluación',
        "it": "Supervisione e verifica dell'identità durante la valutazione",
        "sv": 'Övervakning och identitetskontroll under bedömningen',
        "no": 'Tilsyn og identitetskontroll under vurderingen',
        "et": 'Järelevalve ja isikusamasuse kontroll hindamise ajal',
        "el": 'Εποπτεία και επαλήθευση της ταυτότητας κατά την αξιολόγηση',
        "fr": "Surveillance et vérification de l'identité lors de l'évaluation",
        "nl": 'Toezicht en identiteitscontrole tijdens de beoordeling',
        "pt": 'Supervisão e verificação da identidade durante a avaliação',
        "fi": 'Valvonta ja henkilöllisyyden todentaminen arvioinnin aikana',
        "da": 'Tilsyn og identitetskontrol under bedømmelsen',
        "lt": 'Priežiūra ir tapatybės tikrinimas vertinimo metu',
        "lv": 'Uzraudzība un identitātes pārbaude vērtēšanas laikā',
        "ro": 'Supravegherea și verificarea identității în timpul evaluării',
        "hr": 'Nadzor i provjera identiteta tijekom vrednovanja',
        "hu": 'Felügyelet és személyazonosság-ellenőrzés az értékelés során',
        "bg": 'Надзор и проверка на самоличността по време на оценяването',
        "sl": 'Nadzor in preverjanje identitete med ocenjevanjem',
    },
    "grade": {
        "en": 'Grade achieved',
        "de": 'Erzielte Note',
        "cs": 'Dosažená známka',
        "sk": 'Dosiahnutá známka',
        "pl": 'Uzyskana ocena',
        "es": 'Calificación obtenida',
        "it": 'Voto conseguito',
        "sv": 'Uppnått betyg',
        "no": 'Oppnådd karakter',
        "et": 'Saadud hinne',
        "el": 'Βαθμός που επιτεύχθηκε',
        "fr": 'Note obtenue',
        "nl": 'Behaald cijfer',
        "pt": 'Classificação obtida',
        "fi": 'Saavutettu arvosana',
        "da": 'Opnået karakter',
        "lt": 'Gautas įvertinimas',
        "lv": 'Iegūtā atzīme',
        "ro": 'Nota obținută',
        "hr": 'Postignuta ocjena',
        "hu": 'Elért érdemjegy',
        "bg": 'Получена оценка',
        "sl": 'Dosežena ocena',
    },
    "stackability": {
        "en": 'Integration/stackability options',
        "de": 'Integrations-/Kombinationsmöglichkeiten',
        "cs": 'Možnosti integrace/kombinování',
        "sk": 'Možnosti integrácie/kombinovania',
        "pl": 'Możliwości integracji/łączenia',
        "es": 'Opciones de integración/apilamiento',
        "it": 'Opzioni di integrazione/cumulabilità',
        "sv": 'Integrations-/staplingsmöjligheter',
        "no": 'Muligheter for integrering/stabling',
        "et": 'Integreerimise/kombineerimise võimalused',
        "el": 'Επιλογές ενσωμάτωσης/συνδυασμού',
        "fr": "Options d'intégration/de cumul",
        "nl": 'Integratie-/stapelingsmogelijkheden',
        "pt": 'Opções de integração/acumulação',
        "fi": 'Integrointi- ja yhdistämismahdollisuudet',
        "da": 'Integrations-/kombinationsmuligheder',
        "lt": 'Integravimo/derinimo galimybės',
        "lv": 'Integrācijas/apvienošanas iespējas',
        "ro": 'Opțiuni de integrare/cumulare',
        "hr": 'Mogućnosti integracije/slaganja',
        "hu": 'Integrálási/halmozási lehetőségek',
        "bg": 'Възможности за интегриране/натрупване',
        "sl": 'Možnosti vključevanja/združevanja',
    },
}


@pytest.mark.parametrize(("value", "lang", "text"),
                         [(v, lang, t) for v, by in ANNEX_I_FIELDS.items() for lang, t in by.items()])
def test_every_language_names_each_annex_i_field(value: str, lang: str, text: str) -> None:
    assert value in segment_facets(text, lang, in_mc_document=True).facets.get("mc_elements", [])


# Each actor as each language names it (plural and inflected forms; written for this test)
ACTOR_NAMES = {
    "learners": {
        "en": ['job seekers', 'employees', 'learners'],
        "de": ['Arbeitsuchende', 'Beschäftigte', 'Lernende', 'Teilnehmende'],
        "cs": ['uchazeči o zaměstnání', 'zaměstnanci', 'studující', 'účastníci'],
        "sk": ['uchádzači o zamestnanie', 'zamestnanci', 'študenti', 'účastníci'],
        "pl": ['osoby bezrobotne', 'pracownicy', 'osoby uczące się', 'słuchacze', 'studenci', 'kandydaci'],
        "es": ['personas desempleadas', 'trabajadores', 'estudiantes', 'personas trabajadoras'],
        "it": ['persone in cerca di occupazione', 'lavoratori', 'discenti', 'studenti'],
        "sv": ['arbetssökande', 'anställda', 'studerande', 'deltagare'],
        "no": ['arbeidssøkere', 'arbeidstakere', 'studenter', 'deltakere'],
        "et": ['tööotsijad', 'töötajad', 'õppijad', 'osalejad'],
        "el": ['άνεργοι', 'εργαζόμενοι', 'εκπαιδευόμενοι', 'σπουδαστές'],
        "fr": ["demandeurs d'emploi", 'salariés', 'apprenants', 'stagiaires'],
        "nl": ['werkzoekenden', 'werknemers', 'lerenden', 'studenten'],
        "fi": ['työnhakijat', 'työntekijät', 'oppijat', 'opiskelijat'],
        "pt": ['desempregados', 'trabalhadores', 'formandos', 'estudantes'],
        "da": ['ledige', 'medarbejdere', 'studerende', 'deltagere'],
    },
    "employers": {
        "en": ['employers', 'companies'],
        "de": ['Arbeitgeber', 'Unternehmen'],
        "cs": ['zaměstnavatelé', 'podniky'],
        "sk": ['zamestnávatelia', 'podniky'],
        "pl": ['pracodawcy', 'przedsiębiorstwa'],
        "es": ['empleadores', 'empresas'],
        "it": ['datori di lavoro', 'imprese'],
        "sv": ['arbetsgivare', 'företag'],
        "no": ['arbeidsgivere', 'bedrifter'],
        "et": ['tööandjad', 'ettevõtted'],
        "el": ['εργοδότες', 'επιχειρήσεις'],
        "fr": ['employeurs', 'entreprises'],
        "nl": ['werkgevers', 'bedrijven'],
        "fi": ['työnantajat', 'yritykset'],
        "pt": ['empregadores', 'empresas'],
        "da": ['arbejdsgivere', 'virksomheder'],
    },
    "providers": {
        "en": ['universities', 'training providers'],
        "de": ['Hochschulen', 'Bildungsanbieter'],
        "cs": ['vysoké školy', 'poskytovatelé vzdělávání'],
        "sk": ['vysoké školy', 'poskytovatelia vzdelávania'],
        "pl": ['uczelnie', 'instytucje szkoleniowe'],
        "es": ['universidades', 'centros de formación'],
        "it": ['università', 'enti di formazione'],
        "sv": ['lärosäten', 'utbildningsanordnare'],
        "no": ['universiteter', 'tilbydere'],
        "et": ['ülikoolid', 'koolitajad'],
        "el": ['πανεπιστήμια', 'πάροχοι κατάρτισης'],
        "fr": ['universités', 'organismes de formation'],
        "nl": ['hogescholen', 'opleiders'],
        "fi": ['korkeakoulut', 'koulutuksen järjestäjät'],
        "pt": ['universidades', 'entidades formadoras'],
        "da": ['universiteter', 'uddannelsesinstitutioner'],
    },
    "public_authorities": {
        "en": ['the ministry', 'public authorities'],
        "de": ['das Ministerium', 'die Behörden'],
        "cs": ['ministerstvo', 'orgány veřejné správy'],
        "sk": ['ministerstvo', 'orgány verejnej správy'],
        "pl": ['ministerstwo', 'organy administracji publicznej'],
        "es": ['el ministerio', 'las administraciones públicas'],
        "it": ['il ministero', 'le amministrazioni pubbliche'],
        "sv": ['departementet', 'myndigheter'],
        "no": ['departementet', 'myndighetene'],
        "et": ['ministeerium', 'avaliku sektori asutused'],
        "el": ['το υπουργείο', 'οι δημόσιες αρχές'],
        "fr": ['le ministère', 'les pouvoirs publics'],
        "nl": ['het ministerie', 'de overheid'],
        "fi": ['ministeriö', 'viranomaiset'],
        "pt": ['o ministério', 'as autoridades públicas'],
        "da": ['ministeriet', 'myndighederne'],
    },
    "social_partners": {
        "en": ['social partners', 'trade unions'],
        "de": ['Sozialpartner', 'Gewerkschaften'],
        "cs": ['sociální partneři'],
        "sk": ['sociálni partneri'],
        "pl": ['partnerzy społeczni', 'związki zawodowe'],
        "es": ['interlocutores sociales', 'sindicatos'],
        "it": ['parti sociali', 'sindacati'],
        "sv": ['arbetsmarknadens parter', 'fackförbund'],
        "no": ['partene i arbeidslivet', 'fagforeninger'],
        "et": ['sotsiaalpartnerid', 'ametiühingud'],
        "el": ['κοινωνικοί εταίροι', 'συνδικάτα'],
        "fr": ['partenaires sociaux', 'syndicats'],
        "nl": ['sociale partners', 'vakbonden'],
        "fi": ['työmarkkinaosapuolet', 'ammattiliitot'],
        "pt": ['parceiros sociais', 'sindicatos'],
        "da": ['arbejdsmarkedets parter', 'fagforeninger'],
    },
    "employment_services": {
        "en": ['public employment services'],
        "de": ['die Bundesagentur für Arbeit', 'Jobcenter'],
        "cs": ['úřad práce'],
        "sk": ['úrady práce'],
        "pl": ['urzędy pracy'],
        "es": ['servicios públicos de empleo'],
        "it": ["centri per l'impiego"],
        "sv": ['Arbetsförmedlingen'],
        "no": ['NAV'],
        "et": ['Töötukassa'],
        "el": ['ΔΥΠΑ', 'δημόσιες υπηρεσίες απασχόλησης'],
        "fr": ['France Travail', "service public de l'emploi"],
        "nl": ['UWV'],
        "fi": ['TE-toimistot'],
        "pt": ['serviços públicos de emprego'],
        "da": ['jobcentre'],
    },
    "awarding_qa_bodies": {
        "en": ['accreditation agencies', 'awarding bodies'],
        "de": ['Akkreditierungsagenturen', 'Zertifizierungsstellen'],
        "cs": ['akreditační úřad', 'autorizované osoby'],
        "sk": ['akreditačná agentúra', 'autorizované inštitúcie'],
        "pl": ['instytucje certyfikujące', 'Polska Komisja Akredytacyjna'],
        "es": ['agencias de acreditación', 'ANECA', 'entidad certificadora'],
        "it": ['enti certificatori', 'ANVUR', 'ente titolato', 'ente titolare'],
        "sv": ['Universitetskanslersämbetet', 'ackrediteringsorgan'],
        "no": ['NOKUT', 'akkrediteringsorganer'],
        "et": ['Kutsekoda', 'kutse andjad'],
        "el": ['ΕΟΠΠΕΠ', 'φορείς πιστοποίησης'],
        "fr": ['France compétences', 'certificateurs'],
        "nl": ['NVAO', 'examencommissies'],
        "fi": ['Karvi', 'tutkintotoimikunnat'],
        "pt": ['A3ES', 'entidades certificadoras'],
        "da": ['akkrediteringsinstitutionen', 'Danmarks Akkrediteringsinstitution'],
    },
}


@pytest.mark.parametrize(("actor", "lang", "name"),
                         [(a, lang, n) for a, by in ACTOR_NAMES.items() for lang, ns in by.items() for n in ns])
def test_every_language_names_each_actor(actor: str, lang: str, name: str) -> None:
    assert actor in segment_facets(f"{name} .", lang, labels=["microcredential"]).facets.get("actors", [])


# Each element stated in a sentence (not its field name), in each language (written for this test)
ELEMENT_STATEMENTS = {
    "awarding_body": {
        "en": 'The certificate is issued by the university.',
        "de": 'Das Zertifikat wird von der Hochschule ausgestellt.',
        "cs": 'Osvědčení vydává univerzita.',
        "sk": 'Osvedčenie vydáva univerzita.',
        "pl": 'Zaświadczenie wydaje uczelnia.',
        "es": 'El certificado lo expide la universidad.',
        "it": "L'attestato è rilasciato dall'università.",
        "sv": 'Intyget utfärdas av lärosätet.',
        "no": 'Beviset utstedes av universitetet.',
        "et": 'Tunnistuse väljastab ülikool.',
        "el": 'Το πιστοποιητικό εκδίδεται από το πανεπιστήμιο.',
        "fr": "Le certificat est délivré par l'université.",
        "nl": 'Het certificaat wordt uitgegeven door de hogeschool.',
    },
    "assessment": {
        "en": 'Participants take a written test at the end.',
        "de": 'Am Ende steht ein schriftlicher Test.',
        "cs": 'Na konci je písemný test.',
        "sk": 'Na konci je písomný test.',
        "pl": 'Na końcu jest test pisemny.',
        "es": 'Al final hay una prueba escrita.',
        "it": 'Alla fine si svolge un test scritto.',
        "sv": 'Kursen avslutas med ett skriftligt prov.',
        "no": 'Kurset avsluttes med en skriftlig prøve.',
        "et": 'Lõpus on kirjalik test.',
        "el": 'Στο τέλος γίνεται γραπτό τεστ.',
        "fr": 'Un test écrit a lieu à la fin.',
        "nl": 'Aan het eind volgt een schriftelijke toets.',
    },
    "prerequisites": {
        "en": 'No prior knowledge is required.',
        "de": 'Vorkenntnisse sind nicht erforderlich.',
        "cs": 'Nejsou vyžadovány žádné předchozí znalosti.',
        "sk": 'Nevyžadujú sa žiadne predchádzajúce vedomosti.',
        "pl": 'Nie jest wymagana wcześniejsza wiedza.',
        "es": 'No se requieren conocimientos previos.',
        "it": 'Non sono richieste conoscenze pregresse.',
        "sv": 'Inga förkunskaper krävs.',
        "no": 'Ingen forkunnskaper kreves.',
        "et": 'Eelnevaid teadmisi ei nõuta.',
        "el": 'Δεν απαιτούνται προηγούμενες γνώσεις.',
        "fr": 'Aucune connaissance préalable n’est requise.',
        "nl": 'Er is geen voorkennis vereist.',
    },
    "learning_outcomes": {
        "en": 'Learning outcomes: the participant can analyse data.',
        "de": 'Die Teilnehmenden erwerben folgende Kompetenzen: Datenanalyse.',
        "cs": 'Absolvent získá tyto kompetence: analýza dat.',
        "sk": 'Absolvent získa tieto kompetencie: analýza údajov.',
        "pl": 'Absolwent nabywa następujące kompetencje: analiza danych.',
        "es": 'Competencias adquiridas: análisis de datos.',
        "it": 'Competenze acquisite: analisi dei dati.',
        "sv": 'Förväntade studieresultat: dataanalys.',
        "no": 'Læringsutbytte: dataanalyse.',
        "et": 'Õpiväljundid: andmeanalüüs.',
        "el": 'Μαθησιακά αποτελέσματα: ανάλυση δεδομένων.',
        "fr": 'Compétences visées : analyse de données.',
        "nl": 'Leerdoelen: data-analyse.',
    },
    "quality_assurance": {
        "en": 'The course is quality-assured by the agency.',
        "de": 'Der Kurs ist qualitätsgesichert.',
        "cs": 'Kurz je akreditován.',
        "sk": 'Kurz je akreditovaný.',
        "pl": 'Kurs jest akredytowany.',
        "es": 'El curso está acreditado.',
        "it": 'Il corso è accreditato.',
        "sv": 'Kursen är kvalitetssäkrad.',
        "no": 'Kurset er kvalitetssikret.',
        "et": 'Kursus on akrediteeritud.',
        "el": 'Το πρόγραμμα είναι πιστοποιημένο.',
        "fr": 'La formation est certifiée Qualiopi.',
        "nl": 'De cursus is geaccrediteerd.',
    },
    "grade": {
        "en": 'The result is pass or fail.',
        "de": 'Das Ergebnis lautet bestanden oder nicht bestanden.',
        "cs": 'Hodnocení: prospěl / neprospěl.',
        "sk": 'Hodnotenie: prospel / neprospel.',
        "pl": 'Wynik: zaliczone / niezaliczone.',
        "es": 'La calificación es apto o no apto.',
        "it": 'Esito: idoneo o non idoneo.',
        "sv": 'Betyg: godkänd eller underkänd.',
        "no": 'Karakter: bestått eller ikke bestått.',
        "et": 'Hindamine on mitteeristav.',
        "el": 'Βαθμολογία: επιτυχία ή αποτυχία.',
        "fr": 'Note finale sur 20.',
        "nl": 'Het cijfer is voldoende of onvoldoende.',
    },
}


@pytest.mark.parametrize(("value", "lang", "text"),
                         [(v, lang, t) for v, by in ELEMENT_STATEMENTS.items() for lang, t in by.items()])
def test_every_language_states_each_element_in_a_sentence(value: str, lang: str, text: str) -> None:
    assert value in segment_facets(text, lang, in_mc_document=True).facets.get("mc_elements", [])


@pytest.mark.parametrize(("text", "lang"), [
    ("Wydaje się, że kurs jest dobry.", "pl"),  # "it seems", not "issues"
    ("The software test suite runs nightly.", "en"),  # a test of software, not of learners
    ("Der Haushalt wird vom Rat verabschiedet.", "de"),
])
def test_a_sentence_stating_no_element(text: str, lang: str) -> None:
    assert "mc_elements" not in segment_facets(text, lang, in_mc_document=True).facets


@pytest.mark.parametrize(("lang", "text"), [
    ('en', 'The qualification level of the course.'),
    ('de', 'Das Qualifikationsniveau des Kurses.'),
    ('cs', 'Úroveň kvalifikace kurzu.'),
    ('sk', 'Úroveň kvalifikácie kurzu.'),
    ('pl', 'Poziom kwalifikacji kursu.'),
    ('es', 'El nivel de cualificación del curso.'),
    ('it', 'Il livello di qualificazione del corso.'),
    ('sv', 'Kursens kvalifikationsnivå.'),
    ('no', 'Kursets kvalifikasjonsnivå.'),
    ('et', 'Kursuse kvalifikatsioonitase.'),
    ('el', 'Το επίπεδο προσόντων του προγράμματος.'),
    ('fr', 'Le niveau de qualification de la formation.'),
    ('nl', 'Het kwalificatieniveau van de cursus.'),
    ('fi', 'Kurssin tutkintotaso.'),
    ('pt', 'O nível de qualificação do curso.'),
])
def test_every_language_names_the_level_of_a_course(lang: str, text: str) -> None:
    """The level element named without a framework's acronym ("qualification level")."""
    assert segment_facets(text, lang, in_mc_document=True).facets.get("mc_elements") == ["level"]


# Each form of participation in each language (written for this test)
PARTICIPATION_FORMS = {
    "online": {
        "en": 'The course is delivered online.',
        "de": 'Der Kurs findet online statt.',
        "cs": 'Kurz probíhá distančně.',
        "sk": 'Kurz prebieha dištančne.',
        "pl": 'Kurs odbywa się zdalnie.',
        "es": 'El curso se imparte en línea.',
        "it": 'Il corso si svolge a distanza.',
        "sv": 'Kursen ges på distans.',
        "no": 'Kurset er nettbasert.',
        "et": 'Kursus toimub veebis.',
        "el": 'Το πρόγραμμα είναι εξ αποστάσεως.',
        "fr": 'La formation a lieu à distance.',
        "nl": 'De cursus is online.',
        "fi": 'Kurssi toteutetaan verkossa.',
        "pt": 'O curso é ministrado a distância.',
        "da": 'Kurset foregår online.',
    },
    "onsite": {
        "en": 'The course is taught face-to-face.',
        "de": 'Der Kurs findet in Präsenz statt.',
        "cs": 'Kurz probíhá prezenčně.',
        "sk": 'Kurz prebieha prezenčne.',
        "pl": 'Kurs odbywa się stacjonarnie.',
        "es": 'El curso es presencial.',
        "it": 'Il corso si svolge in presenza.',
        "sv": 'Kursen ges på plats.',
        "no": 'Kurset er stedbasert.',
        "et": 'Kursus toimub kontaktõppena.',
        "el": 'Το πρόγραμμα είναι δια ζώσης.',
        "fr": 'La formation a lieu en présentiel.',
        "nl": 'De cursus is op locatie.',
        "fi": 'Kurssi on lähiopetusta.',
        "pt": 'O curso é presencial.',
        "da": 'Kurset foregår med fremmøde.',
    },
    "blended": {
        "en": 'The course is blended.',
        "de": 'Der Kurs ist hybrid.',
        "cs": 'Kurz je kombinovanou formou.',
        "sk": 'Kurz je kombinovanou formou.',
        "pl": 'Kurs jest hybrydowy.',
        "es": 'El curso es semipresencial.',
        "it": 'Il corso è in modalità mista.',
        "sv": 'Kursen är hybrid.',
        "no": 'Kurset er hybrid.',
        "et": 'Kursus on segaõppes.',
        "el": 'Το πρόγραμμα είναι μεικτό.',
        "fr": 'La formation est hybride.',
        "nl": 'De cursus is hybride.',
        "fi": 'Kurssi on monimuotoinen.',
        "pt": 'O curso é misto.',
        "da": 'Kurset er hybridt.',
    },
}


@pytest.mark.parametrize(("form", "lang", "text"),
                         [(f, lang, t) for f, by in PARTICIPATION_FORMS.items() for lang, t in by.items()])
def test_every_language_names_each_form_of_participation(form: str, lang: str, text: str) -> None:
    assert form in segment_facets(text, lang, labels=["microcredential"]).facets.get("participation_form", [])


# The study's focus sectors and three more, named for micro-credentials in each language (written for this test)
SECTOR_NAMES = {
    "retail_trade": {
        "en": 'micro-credentials for retail staff',
        "de": 'Mikrozertifikate für den Einzelhandel',
        "cs": 'mikrocertifikáty pro maloobchod',
        "sk": 'mikrocertifikáty pre maloobchod',
        "pl": 'mikropoświadczenia dla handlu detalicznego',
        "es": 'microcredenciales para el comercio minorista',
        "it": 'microcredenziali per il commercio al dettaglio',
        "sv": 'mikromeriter för detaljhandeln',
        "no": 'mikrokvalifikasjoner for varehandelen',
        "et": 'mikrokvalifikatsioonid jaekaubanduse jaoks',
        "el": 'μικροδιαπιστευτήρια για το λιανικό εμπόριο',
        "fr": 'microcertifications pour le commerce de détail',
        "nl": 'microcredentials voor de detailhandel',
    },
    "manufacturing": {
        "en": 'micro-credentials for manufacturing',
        "de": 'Mikrozertifikate für die Industrie und das verarbeitende Gewerbe',
        "cs": 'mikrocertifikáty pro zpracovatelský průmysl',
        "sk": 'mikrocertifikáty pre výrobu v priemysle',
        "pl": 'mikropoświadczenia dla przemysłu wytwórczego',
        "es": 'microcredenciales para la industria manufacturera',
        "it": 'microcredenziali per il settore manifatturiero',
        "sv": 'mikromeriter för tillverkningsindustrin',
        "no": 'mikrokvalifikasjoner for industrien',
        "et": 'mikrokvalifikatsioonid töötleva tööstuse jaoks',
        "el": 'μικροδιαπιστευτήρια για τη μεταποίηση',
        "fr": "microcertifications pour l'industrie manufacturière",
        "nl": 'microcredentials voor de maakindustrie',
    },
    "ict": {
        "en": 'micro-credentials in cybersecurity',
        "de": 'Mikrozertifikate in der IT-Branche',
        "cs": 'mikrocertifikáty v oblasti ICT',
        "sk": 'mikrocertifikáty v oblasti IKT',
        "pl": 'mikropoświadczenia w branży IT',
        "es": 'microcredenciales en ciberseguridad',
        "it": 'microcredenziali nel settore ICT',
        "sv": 'mikromeriter inom IT-branschen',
        "no": 'mikrokvalifikasjoner innen IKT',
        "et": 'mikrokvalifikatsioonid IKT valdkonnas',
        "el": 'μικροδιαπιστευτήρια στις ΤΠΕ',
        "fr": 'microcertifications en cybersécurité',
        "nl": 'microcredentials in de ICT-sector',
    },
    "health_care": {
        "en": 'micro-credentials for nurses',
        "de": 'Mikrozertifikate für die Pflege',
        "cs": 'mikrocertifikáty pro zdravotní sestry',
        "sk": 'mikrocertifikáty pre zdravotné sestry',
        "pl": 'mikropoświadczenia dla pielęgniarek',
        "es": 'microcredenciales para enfermería',
        "it": 'microcredenziali per gli infermieri',
        "sv": 'mikromeriter för sjuksköterskor',
        "no": 'mikrokvalifikasjoner for sykepleiere',
        "et": 'mikrokvalifikatsioonid õdedele',
        "el": 'μικροδιαπιστευτήρια για νοσηλευτές',
        "fr": 'microcertifications pour les infirmiers',
        "nl": 'microcredentials voor verpleegkundigen',
    },
    "construction": {
        "en": 'micro-credentials in construction',
        "de": 'Mikrozertifikate im Baugewerbe',
        "cs": 'mikrocertifikáty ve stavebnictví',
        "sk": 'mikrocertifikáty v stavebníctve',
        "pl": 'mikropoświadczenia w budownictwie',
        "es": 'microcredenciales en la construcción',
        "it": "microcredenziali nell'edilizia",
        "sv": 'mikromeriter inom byggsektorn',
        "no": 'mikrokvalifikasjoner i byggenæringen',
        "et": 'mikrokvalifikatsioonid ehituses',
        "el": 'μικροδιαπιστευτήρια στις κατασκευές',
        "fr": 'microcertifications dans le bâtiment',
        "nl": 'microcredentials in de bouw',
    },
}


@pytest.mark.parametrize(("sector", "lang", "text"),
                         [(s, lang, t) for s, by in SECTOR_NAMES.items() for lang, t in by.items()])
def test_every_language_names_each_sector(sector: str, lang: str, text: str) -> None:
    assert sector in segment_facets(text, lang, labels=["microcredential"]).facets.get("sectors", [])


# An actor and its role in relation to micro-credentials in each language (written for this test)
ACTOR_ROLES = {
    ('employers', 'values_trusts'): {
        "en": 'Employers trust micro-credentials.',
        "de": 'Arbeitgeber vertrauen Mikrozertifikaten.',
        "cs": 'Zaměstnavatelé důvěřují mikrocertifikátům.',
        "sk": 'Zamestnávatelia dôverujú mikrocertifikátom.',
        "pl": 'Pracodawcy ufają mikropoświadczeniom.',
        "es": 'Los empleadores confían en las microcredenciales.',
        "it": 'I datori di lavoro si fidano delle microcredenziali.',
        "sv": 'Arbetsgivare litar på mikromeriter.',
        "no": 'Arbeidsgivere har tillit til mikrokvalifikasjoner.',
        "et": 'Tööandjad usaldavad mikrokvalifikatsioone.',
        "el": 'Οι εργοδότες εμπιστεύονται τα μικροδιαπιστευτήρια.',
        "fr": 'Les employeurs font confiance aux microcertifications.',
        "nl": 'Werkgevers vertrouwen microcredentials.',
    },
    ('providers', 'provides'): {
        "en": 'Universities offer micro-credentials.',
        "de": 'Hochschulen bieten Mikrozertifikate an.',
        "cs": 'Vysoké školy nabízejí mikrocertifikáty.',
        "sk": 'Vysoké školy ponúkajú mikrocertifikáty.',
        "pl": 'Uczelnie oferują mikropoświadczenia.',
        "es": 'Las universidades ofrecen microcredenciales.',
        "it": 'Le università offrono microcredenziali.',
        "sv": 'Lärosäten erbjuder mikromeriter.',
        "no": 'Universiteter tilbyr mikrokvalifikasjoner.',
        "et": 'Ülikoolid pakuvad mikrokvalifikatsioone.',
        "el": 'Τα πανεπιστήμια προσφέρουν μικροδιαπιστευτήρια.',
        "fr": 'Les universités proposent des microcertifications.',
        "nl": 'Hogescholen bieden microcredentials aan.',
    },
    ('public_authorities', 'funds'): {
        "en": 'The ministry funds micro-credentials.',
        "de": 'Das Ministerium fördert Mikrozertifikate.',
        "cs": 'Ministerstvo financuje mikrocertifikáty.',
        "sk": 'Ministerstvo financuje mikrocertifikáty.',
        "pl": 'Ministerstwo finansuje mikropoświadczenia.',
        "es": 'El ministerio financia las microcredenciales.',
        "it": 'Il ministero finanzia le microcredenziali.',
        "sv": 'Departementet finansierar mikromeriter.',
        "no": 'Departementet finansierer mikrokvalifikasjoner.',
        "et": 'Ministeerium rahastab mikrokvalifikatsioone.',
        "el": 'Το υπουργείο χρηματοδοτεί τα μικροδιαπιστευτήρια.',
        "fr": 'Le ministère finance les microcertifications.',
        "nl": 'Het ministerie financiert microcredentials.',
    },
    ('employers', 'recognises'): {
        "en": 'Employers recognise micro-credentials.',
        "de": 'Arbeitgeber erkennen Mikrozertifikate an.',
        "cs": 'Zaměstnavatelé uznávají mikrocertifikáty.',
        "sk": 'Zamestnávatelia uznávajú mikrocertifikáty.',
        "pl": 'Pracodawcy uznają mikropoświadczenia.',
        "es": 'Los empleadores reconocen las microcredenciales.',
        "it": 'I datori di lavoro riconoscono le microcredenziali.',
        "sv": 'Arbetsgivare erkänner mikromeriter.',
        "no": 'Arbeidsgivere anerkjenner mikrokvalifikasjoner.',
        "et": 'Tööandjad tunnustavad mikrokvalifikatsioone.',
        "el": 'Οι εργοδότες αναγνωρίζουν τα μικροδιαπιστευτήρια.',
        "fr": 'Les employeurs reconnaissent les microcertifications.',
        "nl": 'Werkgevers erkennen microcredentials.',
    },
    ('learners', 'uses'): {
        "en": 'Learners complete micro-credentials.',
        "de": 'Lernende absolvieren Mikrozertifikate.',
        "cs": 'Studenti absolvují mikrocertifikáty.',
        "sk": 'Študenti absolvujú mikrocertifikáty.',
        "pl": 'Studenci zdobywają mikropoświadczenia.',
        "es": 'Los estudiantes obtienen microcredenciales.',
        "it": 'Gli studenti conseguono microcredenziali.',
        "sv": 'Studenter tar mikromeriter.',
        "no": 'Studenter tar mikrokvalifikasjoner.',
        "et": 'Õppijad omandavad mikrokvalifikatsioone.',
        "el": 'Οι εκπαιδευόμενοι αποκτούν μικροδιαπιστευτήρια.',
        "fr": 'Les apprenants obtiennent des microcertifications.',
        "nl": 'Studenten behalen microcredentials.',
    },
}


@pytest.mark.parametrize(("actor", "role", "lang", "text"),
                         [(a, r, lang, t) for (a, r), by in ACTOR_ROLES.items() for lang, t in by.items()])
def test_every_language_gives_each_actor_its_role(actor: str, role: str, lang: str, text: str) -> None:
    assert ActorRole(actor, role) in segment_facets(text, lang, labels=["microcredential"]).actor_roles


@pytest.mark.parametrize(("text", "lang", "context", "elements", "workload"), [
    # a certificate next to the element in a short-learning context: a short certified course
    ("The short upskilling course ends with a certificate stating the learning outcomes and 3 ECTS credits.", "en", True,
     ["learning_outcomes", "workload"], [(3.0, "ECTS")]),
    ("Die Weiterbildung schließt mit einem Zertifikat ab, das die Lernergebnisse und 40 Stunden nennt.", "de", True,
     ["learning_outcomes", "workload"], [(40.0, "hours")]),
    ("Krátký kurz končí osvědčením, které uvádí výsledky učení.", "cs", True, ["learning_outcomes"], []),
    # a certificate outside a short-learning context is any qualification's
    ("The certificate states the learning outcomes and 3 ECTS credits.", "en", False, [], []),
    ("Die Weiterbildung schließt mit einem Zertifikat ab, das die Lernergebnisse und 40 Stunden nennt.", "de", False, [], []),
])
def test_a_certificate_of_short_learning_opens_the_elements_next_to_it(
        text: str, lang: str, context: bool, elements: list[str], workload: list) -> None:
    res = segment_facets(text, lang, context=context)
    assert res.facets.get("mc_elements", []) == elements
    assert [(w.value, w.unit) for w in res.workload] == workload


# International references named in each language (written for this test)
INTERNATIONAL_NAMES = [
    ('ilo', 'en', 'the International Labour Organization'),
    ('ilo', 'de', 'die Internationale Arbeitsorganisation'),
    ('ilo', 'cs', 'Mezinárodní organizace práce'),
    ('ilo', 'sk', 'Medzinárodná organizácia práce'),
    ('ilo', 'pl', 'Międzynarodowa Organizacja Pracy'),
    ('ilo', 'es', 'la Organización Internacional del Trabajo'),
    ('ilo', 'it', "l'Organizzazione internazionale del lavoro"),
    ('ilo', 'sv', 'Internationella arbetsorganisationen'),
    ('ilo', 'no', 'Den internasjonale arbeidsorganisasjonen'),
    ('ilo', 'et', 'Rahvusvaheline Tööorganisatsioon'),
    ('ilo', 'el', 'η Διεθνής Οργάνωση Εργασίας'),
    ('ilo', 'fr', "l'Organisation internationale du travail"),
    ('ilo', 'nl', 'de Internationale Arbeidsorganisatie'),
    ('eu_funding', 'en', 'the European Social Fund Plus'),
    ('eu_funding', 'de', 'der Europäische Sozialfonds'),
    ('eu_funding', 'cs', 'Evropský sociální fond'),
    ('eu_funding', 'sk', 'Európsky sociálny fond'),
    ('eu_funding', 'pl', 'Europejski Fundusz Społeczny'),
    ('eu_funding', 'es', 'el Fondo Social Europeo'),
    ('eu_funding', 'it', 'il Fondo sociale europeo'),
    ('eu_funding', 'sv', 'Europeiska socialfonden'),
    ('eu_funding', 'no', 'Det europeiske sosialfondet'),
    ('eu_funding', 'et', 'Euroopa Sotsiaalfond'),
    ('eu_funding', 'el', 'το Ευρωπαϊκό Κοινωνικό Ταμείο'),
    ('eu_funding', 'fr', 'le Fonds social européen'),
    ('eu_funding', 'nl', 'het Europees Sociaal Fonds'),
    ('eu_funding', 'en', 'the Recovery and Resilience Facility'),
    ('eu_funding', 'de', 'die Aufbau- und Resilienzfazilität'),
    ('eu_funding', 'cs', 'Nástroj pro oživení a odolnost'),
    ('eu_funding', 'sk', 'Mechanizmus na podporu obnovy a odolnosti'),
    ('eu_funding', 'pl', 'Instrument na rzecz Odbudowy i Zwiększania Odporności'),
    ('eu_funding', 'es', 'el Mecanismo de Recuperación y Resiliencia'),
    ('eu_funding', 'it', 'il dispositivo per la ripresa e la resilienza'),
    ('eu_funding', 'sv', 'faciliteten för återhämtning och resiliens'),
    ('eu_funding', 'no', 'Erasmus+'),
    ('eu_funding', 'et', 'taaste- ja vastupidavusrahastu'),
    ('eu_funding', 'el', 'ο Μηχανισμός Ανάκαμψης και Ανθεκτικότητας'),
    ('eu_funding', 'fr', 'la facilité pour la reprise et la résilience'),
    ('eu_funding', 'nl', 'de herstel- en veerkrachtfaciliteit'),
    ('open_badges', 'en', 'digital badges'),
    ('open_badges', 'de', 'digitale Abzeichen'),
    ('open_badges', 'cs', 'digitální odznaky'),
    ('open_badges', 'sk', 'digitálne odznaky'),
    ('open_badges', 'pl', 'cyfrowe odznaki'),
    ('open_badges', 'es', 'insignias digitales'),
    ('open_badges', 'it', 'badge digitali'),
    ('open_badges', 'sv', 'digitala märken'),
    ('open_badges', 'no', 'digitale merker'),
    ('open_badges', 'et', 'digitaalsed märgid'),
    ('open_badges', 'el', 'ψηφιακά σήματα'),
    ('open_badges', 'fr', 'badges numériques'),
    ('open_badges', 'nl', 'digitale badges'),
    ('eu_mc_recommendation', 'en', 'the Council Recommendation on a European approach to micro-credentials'),
    ('eu_mc_recommendation', 'de', 'die Empfehlung des Rates über einen europäischen Ansatz für Microcredentials'),
    ('eu_mc_recommendation', 'cs', 'doporučení Rady o evropském přístupu k mikrocertifikátům'),
    ('eu_mc_recommendation', 'sk', 'odporúčanie Rady o európskom prístupe k mikrocertifikátom'),
    ('eu_mc_recommendation', 'pl', 'zalecenie Rady w sprawie europejskiego podejścia do mikropoświadczeń'),
    ('eu_mc_recommendation', 'es', 'la Recomendación del Consejo relativa a un enfoque europeo de las microcredenciales'),
    ('eu_mc_recommendation', 'it', 'la raccomandazione del Consiglio relativa a un approccio europeo alle microcredenziali'),
    ('eu_mc_recommendation', 'sv', 'rådets rekommendation om en europeisk strategi för mikromeriter'),
    ('eu_mc_recommendation', 'no', 'rådsanbefalingen om en europeisk tilnærming til mikrokvalifikasjoner'),
    ('eu_mc_recommendation', 'et', 'nõukogu soovitus mikrokvalifikatsioonide Euroopa lähenemisviisi kohta'),
    ('eu_mc_recommendation', 'el', 'η σύσταση του Συμβουλίου σχετικά με μια ευρωπαϊκή προσέγγιση για τα μικροδιαπιστευτήρια'),
    ('eu_mc_recommendation', 'fr', 'la recommandation du Conseil sur une approche européenne des microcertifications'),
    ('eu_mc_recommendation', 'nl', 'de aanbeveling van de Raad over een Europese aanpak van microcredentials'),
]


@pytest.mark.parametrize(("value", "lang", "text"), INTERNATIONAL_NAMES)
def test_every_language_names_each_international_reference(value: str, lang: str, text: str) -> None:
    assert value in segment_facets(text, lang).facets.get("international", [])


@pytest.mark.parametrize(("text", "lang", "elements"), [
    # the languages whose files had no element cues (ga, mt) or few (is)
    ("Torthaí foghlama agus measúnú.", "ga", ["learning_outcomes", "assessment"]),
    ("Comhlacht dámhachtana agus dearbhú cáilíochta.", "ga", ["quality_assurance", "awarding_body"]),
    ("Ir-riżultati tat-tagħlim u l-valutazzjoni.", "mt", ["learning_outcomes", "assessment"]),
    ("Il-prerekwiżiti u l-verifika tal-identità.", "mt", ["prerequisites", "identity_verification"]),
    ("Vinnuálag og einkunn.", "is", ["workload", "grade"]),
])
def test_elements_in_the_languages_without_element_cues_before(text: str, lang: str, elements: list[str]) -> None:
    assert segment_facets(text, lang, in_mc_document=True).facets.get("mc_elements", []) == elements


@pytest.mark.parametrize(("text", "lang", "actors"), [
    # an Italian quality agency is the QA body, not a public authority (the longer hit wins)
    ("L'agenzia per la qualità accredita le microcredenziali.", "it", ["awarding_qa_bodies"]),
    ("L'agenzia regionale finanzia le microcredenziali.", "it", ["public_authorities"]),
    # industry bodies and representatives are social partners, industry alone the employers
    ("Industry bodies endorse micro-credentials.", "en", ["social_partners"]),
    ("Industry representatives designed the micro-credentials.", "en", ["social_partners"]),
    ("Industry uses micro-credentials.", "en", ["employers"]),
])
def test_actor_words_in_longer_names(text: str, lang: str, actors: list[str]) -> None:
    assert segment_facets(text, lang, labels=["microcredential"]).facets.get("actors", []) == actors
