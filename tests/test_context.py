"""Document-aware labels: inside a micro-credential scope, "the provision" refers to the micro-credentials."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import minimal_language
from mctext.classify import classify_segments
from mctext.classify.context import NAME_CHARS, context_labels, reference_hit
from mctext.classify.model import rules_only_classifier
from mctext.lang import LanguageDataError, load_file
from mctext.records import KIND_TOC, Segment

MC = "microcredential"
IN_SCOPE = "The provision states its learning outcomes and the assessment used."  # no micro-credential cue
UNRELATED = "The ministry met the trade unions on Monday."


def _doc(rows: list[tuple[int, str, str]], lang: str = "en", title: str = "") -> list[tuple[list[str], list[str]]]:
    """(labels, cues) of each (page, section, text) of one document, classified by the rules."""
    segs = [Segment(id=f"s{i}", doc_id="d", page=page, page_end=page, start=0, end=len(text), text=text, lang=lang,
                    section=section) for i, (page, section, text) in enumerate(rows)]
    preds = classify_segments(segs, "", rules_only_classifier("test"), title)
    return [(p.labels, [c.cue for c in p.cues if c.label == MC]) for p in preds]


def test_a_reference_inside_a_naming_section_is_labelled_with_the_section_as_cue() -> None:
    out = _doc([
        (3, "Annex", "This annex lists the standards."),
        (4, "Annex > Quality framework for micro-credentials", "Every standard applies to all providers."),
        (4, "Annex > Quality framework for micro-credentials > Standard 1", IN_SCOPE),
        (5, "Annex > Quality framework for micro-credentials > Standard 2", UNRELATED),
    ])
    assert out[2] == ([MC], ["context: section 'Quality framework for micro-credentials' p. 4"])
    assert MC not in out[3][0]  # scope alone gives no label
    assert MC not in out[0][0]


def test_the_same_sentence_out_of_scope_stays_unlabelled() -> None:
    out = _doc([(1, "School funding", "The regional budget rose."), (2, "School funding > Rules", IN_SCOPE)])
    assert MC not in out[1][0] and out[1][1] == []


def test_a_title_that_names_micro_credentials_is_a_scope() -> None:
    out = _doc([(1, "", IN_SCOPE), (2, "", UNRELATED)], title="National framework for micro-credentials")
    assert out[0] == ([MC], ["context: document title 'National framework for micro-credentials'"])
    assert MC not in out[1][0]
    assert MC not in _doc([(1, "", IN_SCOPE)], title="National framework for adult education")[0][0]


def test_labelled_neighbours_on_both_sides_are_a_scope() -> None:
    around = [(6, "", "Micro-credentials are awarded after a short course."),
              (6, "", IN_SCOPE),
              (7, "", "Each micro-credential is registered in the national database.")]
    out = _doc(around)
    assert out[1] == ([MC], ["context: neighbours labelled p. 6"])
    one_side = _doc([around[0], around[1], (7, "", UNRELATED), (7, "", "The agency publishes a report.")])
    assert MC not in one_side[1][0]


def test_a_weak_reference_needs_a_naming_section_and_labelled_neighbours() -> None:
    weak = "Learners store and share their credentials in a digital wallet."
    section = "Micro-credentials"
    only_section = _doc([(1, section, UNRELATED), (1, section, weak), (2, section, "The agency publishes a report.")])
    assert MC not in only_section[1][0]
    both = _doc([(1, section, "Micro-credentials are short."), (1, section, weak), (2, section, "A micro-credential is small.")])
    assert both[1] == ([MC], ["context: section 'Micro-credentials' p. 1 and neighbours labelled"])
    assert MC not in _doc([(1, "", "Micro-credentials are short."), (1, "", weak), (2, "", "A micro-credential is small.")])[1][0]


def test_a_heading_with_a_term_the_document_defines_names_the_scope() -> None:
    out = _doc([
        (1, "", "The Short Learning Certificate micro-credential (SLC) is awarded after four weeks."),
        (2, "Why the SLC matters", "Employers value it."),
        (2, "Why the SLC matters", IN_SCOPE),
    ])
    assert out[2] == ([MC], ["context: section 'Why the SLC matters' p. 2"])


def test_a_law_s_provision_and_a_table_of_contents_refer_to_nothing() -> None:
    section = "Micro-credentials"
    assert MC not in _doc([(1, section, "This provision applies from 1 January.")])[0][0]
    assert MC not in _doc([(1, section, "The provision of guidance is free.")])[0][0]
    segs = [Segment(id="s0", doc_id="d", page=1, page_end=1, start=0, end=len(IN_SCOPE), text=IN_SCOPE, lang="en",
                    section=section, kind=KIND_TOC)]
    assert MC not in classify_segments(segs, "", rules_only_classifier("test"))[0].labels


def test_reference_words_follow_the_segment_language() -> None:
    dutch = "Het aanbod wordt na een jaar geëvalueerd."
    assert reference_hit(MC, dutch, "nl") == ("aanbod", 4, 10)
    assert reference_hit(MC, dutch, "en") is None
    out = _doc([(1, "Kwaliteitskader microcredentials", dutch)], lang="nl")
    assert out[0] == ([MC], ["context: section 'Kwaliteitskader microcredentials' p. 1"])


def test_a_long_heading_is_cut_in_the_cue() -> None:
    heading = "Micro-credentials " + "and their many uses in the national system of lifelong learning " * 2
    cue = _doc([(1, heading, IN_SCOPE)])[0][1][0]
    name = cue.split("'")[1]
    assert len(name) == NAME_CHARS and name.endswith("…") and name.startswith("Micro-credentials and")


def test_microcredential_and_validation_have_reference_words() -> None:
    assert context_labels() == (MC, "validation")


@pytest.mark.parametrize(("key", "value", "message"), [
    ("references", {"novelty": {"c": "x"}}, r"qq\.yaml: references: novelty: not a label of the codebook"),
    ("weak_references", {MC: {"c": "(unclosed"}}, r"qq\.yaml: weak_references\.microcredential\.c: bad regex"),
])
def test_reference_sections_are_validated(tmp_path: Path, key: str, value: dict, message: str) -> None:
    data = {**minimal_language(), key: value}
    path = tmp_path / "qq.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LanguageDataError, match=message):
        load_file(path, remember=False)


def test_a_reference_section_loads(tmp_path: Path) -> None:
    path = tmp_path / "qq.yaml"
    path.write_text(yaml.safe_dump({**minimal_language(), "references": {MC: {"c": r"\bword\b"}}}), encoding="utf-8")
    assert load_file(path, remember=False).references[MC]["c"] == r"\bword\b"


NPULS_EN = "NL_npuls_quality_framework_microcredentials_hbo_wo_2025_en.md"


def test_a_real_quality_framework_labels_its_provision(original_dir: Path) -> None:
    """The Npuls quality framework (a training document) talks of "provision from 1 ECTS" under its
    micro-credential heading; its rules-only labels before this pass missed it."""
    from mctext.extract import extract_bytes
    from mctext.segment import segment_pages

    path = original_dir / NPULS_EN
    if not path.is_file():
        pytest.skip(f"{NPULS_EN} not in the corpus")
    extracted = extract_bytes(path.read_bytes(), path, language="en")
    segs = segment_pages(extracted.pages, "npuls", "en")
    preds = classify_segments(segs, "NL", rules_only_classifier("test"), extracted.title)
    found = [(s, p) for s, p in zip(segs, preds, strict=True) if "provision from 1 ECTS" in s.text]
    assert found, "the pilot sentence is in the document"
    seg, pred = found[0]
    assert MC in pred.labels
    assert any(c.cue.startswith("context: section 'Quality Framework for Micro-credentials'") for c in pred.cues)


def test_evaluation_records_get_the_section_and_title_scopes_but_no_runs_of_neighbours() -> None:
    """``evaluate.predict_records`` (held-out figures, the model card) runs the context pass as the
    pipeline does; records are a sample of their document, so labelled neighbours make no scope."""
    from mctext.classify.evaluate import predict_records
    from mctext.classify.model import Classifier

    def record(i: int, text: str, section: str = "", doc: str = "d") -> dict:
        return {"id": f"r{i}", "text": text, "lang": "en", "doc": doc, "doc_country": "", "labels": [],
                "section": section}

    mc = "Micro-credentials certify short courses."
    records = [
        record(0, IN_SCOPE, "Annex > Quality framework for micro-credentials"),
        record(1, IN_SCOPE, "Annex > Funding", doc="e"),  # same sentence, no naming heading
        record(2, mc, doc="f"), record(3, mc, doc="f"), record(4, IN_SCOPE, doc="f"),
        record(5, mc, doc="f"), record(6, mc, doc="f"),  # a run around record 4: ignored on records
    ]
    preds = predict_records(records, Classifier(version="rules"))
    assert MC in preds[0]["labels"]
    assert any(c["cue"].startswith("context: section") for c in preds[0]["cues"])
    assert MC not in preds[1]["labels"]
    assert MC not in preds[4]["labels"]


def test_grouped_cv_runs_the_document_passes_as_held_out_scoring_does() -> None:
    """``train.cross_validate`` scores its folds after the document passes (``evaluate.document_passes``),
    as ``heldout_metrics`` does, so the model card's CV and held-out figures compare: a sentence in a
    section naming micro-credentials is found in CV too (six documents built here, two folds)."""
    from mctext.classify.train import cross_validate

    cues = {
        "Micro-credentials certify short courses.": [MC],
        "The qualification is at EQF level 5.": ["nqf"],
        "Prior learning is validated by the centre.": ["validation"],
        "Credits can be accumulated towards a degree.": ["stackability"],
        "An external agency assures the quality of the courses.": ["quality_trust"],
        "Micro-credentials answer skills shortages in the labour market.": ["driver", MC],
    }
    records: list[dict] = []
    for d in range(6):
        rows = [(text + suffix, labels, "") for text, labels in cues.items() for suffix in ("", " Also.")]
        rows.append((IN_SCOPE, [MC], "Annex > Quality framework for micro-credentials"))
        for text, labels, section in rows:
            records.append({"id": f"r{len(records)}", "text": text, "lang": "en", "doc": f"doc{d}.pdf",
                            "doc_country": "", "labels": labels, "section": section, "source": "seed"})
    scores = cross_validate(records, n_splits=2, inner_splits=2)["rules_only"]["labels"][MC]
    assert scores["recall"] == 1.0 and scores["precision"] == 1.0  # without the passes: 24 of 30
