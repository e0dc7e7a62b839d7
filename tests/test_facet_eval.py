"""The facet scorer on rows built here: per-value counts, country pooling, exact workloads."""

from mctext.classify.facet_eval import facet_of, format_facets, score_facets


def test_counts_per_facet_and_value():
    gold = [
        {"facets": {"actors": ["employers", "learners"], "international": ["eqf", "country:DE"]}},
        {"facets": {"sectors": ["retail_trade"]}},
        {"facets": {}},
    ]
    pred = [
        {"actors": ["employers"], "international": ["eqf", "country:FR"]},  # flat, as `mctext classify` writes
        {"facets": {"sectors": ["retail_trade", "ict"]}},
        {"actors": ["providers"]},
    ]
    m = score_facets(gold, pred)
    assert m["n_with_facets"] == 2
    assert (m["actors"]["precision"], m["actors"]["recall"]) == (0.5, 0.5)
    assert m["actors"]["values"]["learners"]["fn"] == 1
    assert m["actors"]["values"]["providers"]["fp"] == 1
    assert m["sectors"]["values"]["retail_trade"]["f1"] == 1.0
    intl = m["international"]
    assert intl["support"] == 2 and intl["values"]["country:*"] == {**intl["values"]["country:*"], "tp": 0, "fp": 1, "fn": 1}
    assert m["participation_form"]["support"] == 0


def test_workload_exact_needs_number_and_unit():
    gold = [{"facets": {"workload": [{"value": 5, "unit": "ECTS"}, {"value": 30, "unit": "hours"}]}},
            {"facets": {"workload": [{"value": 3, "unit": "ECTS"}]}}]
    pred = [{"workload": [{"value": 5.0, "unit": "ECTS", "text": "5 ECTS"}, {"value": 30, "unit": "ECTS"}]},
            {"workload": []}]
    w = score_facets(gold, pred)["workload"]
    assert w["support"] == 3 and w["exact_share"] == round(1 / 3, 4)
    assert w["precision"] == 0.5
    assert any("workload" in line for line in format_facets(score_facets(gold, pred)))


def test_nested_wins_over_flat_and_missing_is_empty():
    assert facet_of({"facets": {"actors": ["learners"]}, "actors": ["employers"]}, "actors") == ["learners"]
    assert facet_of({}, "sectors") == []
