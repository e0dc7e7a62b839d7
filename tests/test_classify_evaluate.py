"""Evaluation metrics on a tiny case computed by hand, and gold-file validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mctext.classify.evaluate import read_gold, score
from mctext.classify.train import doc_group
from mctext.errors import AnnotationFileError

GOLD = [
    {"lang": "en", "labels": ["microcredential", "nqf"], "nqf_levels": [{"framework": "NFQ", "level": 6}], "countries": ["IE"]},
    {"lang": "en", "labels": ["microcredential"], "nqf_levels": [], "countries": ["IE", "EU"]},
    {"lang": "de", "labels": [], "nqf_levels": [{"framework": "EQF", "level": 4}], "countries": ["DE"]},
    {"lang": "de", "labels": ["nqf"], "nqf_levels": [], "countries": []},
]
PRED = [
    {"labels": ["microcredential"], "nqf_levels": [{"framework": "NQF", "level": 6}], "countries": ["IE"]},
    {"labels": ["microcredential", "nqf"], "nqf_levels": [{"framework": "EQF", "level": 5}], "countries": ["EU", "IE"]},
    {"labels": ["microcredential"], "nqf_levels": [{"framework": "DQR", "level": 4}], "countries": ["DE", "EU"]},
    {"labels": ["nqf"], "nqf_levels": [], "countries": []},
]


def test_hand_computed_metrics() -> None:
    m = score(GOLD, PRED)
    mc, nqf = m["labels"]["microcredential"], m["labels"]["nqf"]
    # microcredential: tp 2 (rows 1, 2), fp 1 (row 3), fn 0 -> P 2/3, R 1, F1 0.8
    assert (mc["tp"], mc["fp"], mc["fn"], mc["support"]) == (2, 1, 0, 2)
    assert mc["precision"] == pytest.approx(0.6667, abs=1e-4) and mc["f1"] == pytest.approx(0.8)
    # nqf: tp 1 (row 4), fp 1 (row 2), fn 1 (row 1) -> P R F1 0.5
    assert (nqf["tp"], nqf["fp"], nqf["fn"]) == (1, 1, 1) and nqf["f1"] == pytest.approx(0.5)
    assert m["macro_f1"] == pytest.approx((0.8 + 0.5) / 2)  # labels with gold support only
    # micro: tp 3, fp 2, fn 1 -> 6 / 9
    assert m["micro_f1"] == pytest.approx(6 / 9, abs=1e-4)
    assert m["macro_f1_frequent"] == 0.0 and m["frequent_labels"] == []  # no label has 20 positives
    # levels compared as (EQF|national, n): NFQ 6 == NQF 6 (tp); EQF 5 fp; EQF 4 vs DQR 4: fp + fn
    assert (m["nqf_levels"]["precision"], m["nqf_levels"]["recall"]) == (pytest.approx(1 / 3, abs=1e-4), 0.5)
    # countries: exact set match in rows 1, 2, 4 (order-free, empty == empty)
    assert m["countries"]["exact_accuracy"] == 0.75
    assert m["languages"]["en"]["n"] == 2 and m["languages"]["de"]["micro_f1"] == pytest.approx(2 / 3, abs=1e-4)


def test_read_gold_rejects_bad_lines(tmp_path: Path) -> None:
    bad = tmp_path / "g.jsonl"
    bad.write_text(json.dumps({"id": "a", "text": "x", "labels": ["nope"]}) + "\n", encoding="utf-8")
    with pytest.raises(AnnotationFileError, match="unknown label"):
        read_gold(bad)
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(AnnotationFileError, match=":1:"):
        read_gold(bad)


def test_parallel_documents_share_a_cv_group() -> None:
    assert doc_group("NL_npuls_kwaliteitskader_microcredentials_hbo_wo_2025_nl.md") == doc_group(
        "NL_npuls_quality_framework_microcredentials_hbo_wo_2025_en.md"
    )
    assert doc_group("IE_x_foreign_qualification_recognition_en.html") == doc_group("IE_x_foreign_qualification_recognition_ga.html")
    assert doc_group("DE_bbig_2020_de.md") != doc_group("DE_hwo_2021_de.md")


def test_facet_scores_per_facet_value_and_workload() -> None:
    from mctext.classify.evaluate import facet_scores, format_report

    gold = [
        {"actors": ["employers", "learners"], "international": ["country:DE"], "workload": [{"value": 5, "unit": "ECTS"}]},
        {"sectors": ["retail_trade"]},
        {},
    ]
    pred = [
        {"actors": ["employers"], "international": ["country:FR"], "workload": [{"value": 5.0, "unit": "ECTS"}]},
        {"sectors": ["retail_trade", "ict"], "workload": [{"value": 30.0, "unit": "hours"}]},
        {"actors": ["providers"]},
    ]
    f = facet_scores(gold, pred)
    assert f["actors"]["values"]["employers"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert f["actors"]["values"]["learners"]["recall"] == 0.0 and f["actors"]["values"]["providers"]["precision"] == 0.0
    assert (f["actors"]["precision"], f["actors"]["recall"], f["actors"]["support"]) == (0.5, 0.5, 2)
    assert f["international"]["values"]["country:XX"]["f1"] == 1.0  # any other country counts as one value
    assert f["sectors"]["precision"] == 0.5 and f["sectors"]["recall"] == 1.0
    assert f["workload"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert f["mc_elements"]["support"] == 0 and f["n"] == 3
    # score() adds them for gold records that carry facets; the report prints them
    rows = [{"text": "x", "labels": [], "facets": g} for g in gold]
    preds = [{"labels": [], **p} for p in pred]
    m = score(rows, preds)
    assert m["facets"]["actors"]["f1"] == 0.5
    assert "actors micro F1 0.500" in format_report(m) and "actors:employers" in format_report(m)
    assert "facets" not in score([{"text": "x", "labels": []}], [{"labels": []}])


def test_predict_records_takes_the_documents_title_from_any_of_its_records() -> None:
    """A document's title opens the facets' gate (a document about micro-credentials) even when
    only a later record of it carries ``doc_title``: the 30 hours of the first become a workload."""
    from mctext.classify.evaluate import predict_records
    from mctext.classify.model import Classifier

    def records(title: str) -> list[dict]:
        return [{"id": "1", "doc": "d", "text": "The learner completes 30 hours of study.", "lang": "en", "labels": []},
                {"id": "2", "doc": "d", "text": "The weather was fine.", "lang": "en", "labels": [],
                 **({"doc_title": title} if title else {})}]

    clf = Classifier(version="rules")
    titled = predict_records(records("A Micro-Credential Metadata Standard"), clf)
    assert [(w["value"], w["unit"]) for w in titled[0]["workload"]] == [(30.0, "hours")]
    assert titled[0]["mc_elements"] == ["workload"]
    untitled = predict_records(records(""), clf)
    assert untitled[0]["workload"] == [] and not untitled[0]["mc_elements"]
