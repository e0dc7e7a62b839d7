"""The facet scorer (classify.evaluate.facet_scores) on rows built here."""

from mctext.classify.evaluate import facet_scores, score


def test_counts_per_facet_and_value():
    gold = [{"actors": ["employers", "learners"], "international": ["eqf", "country:DE"]},
            {"sectors": ["retail_trade"]}, {}]
    pred = [{"actors": ["employers"], "international": ["eqf", "country:FR"]},
            {"sectors": ["retail_trade", "ict"]}, {"actors": ["providers"]}]
    m = facet_scores(gold, pred)
    assert (m["actors"]["precision"], m["actors"]["recall"]) == (0.5, 0.5)
    assert m["actors"]["values"]["learners"]["support"] == 1 and m["actors"]["values"]["learners"]["recall"] == 0
    assert m["sectors"]["values"]["retail_trade"]["f1"] == 1.0
    assert m["international"]["values"]["country:XX"]["f1"] == 1.0  # any other country counts as one value
    assert m["participation_form"]["support"] == 0


def test_workload_needs_number_and_unit():
    gold = [{"workload": [{"value": 5, "unit": "ECTS"}, {"value": 30, "unit": "hours"}]},
            {"workload": [{"value": 3, "unit": "ECTS"}]}]
    pred = [{"workload": [{"value": 5.0, "unit": "ECTS", "text": "5 ECTS"}, {"value": 30, "unit": "ECTS"}]},
            {"workload": []}]
    w = facet_scores(gold, pred)["workload"]
    assert w["support"] == 3 and w["recall"] == round(1 / 3, 4) and w["precision"] == 0.5


def test_score_adds_facets_only_for_gold_with_facets():
    gold = [{"text": "a", "labels": [], "facets": {"actors": ["learners"]}}, {"text": "b", "labels": []}]
    pred = [{"labels": [], "actors": ["learners"]}, {"labels": [], "actors": ["employers"]}]
    m = score(gold, pred)
    assert m["facets"]["n"] == 1 and m["facets"]["actors"]["f1"] == 1.0
    assert "facets" not in score(gold[1:], pred[1:])


def _facet_errors():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "facet_errors.py"
    spec = importlib.util.spec_from_file_location("facet_errors", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_facet_errors_lists_false_positives_and_negatives_as_scored():
    """scripts/facet_errors.py counts an error as facet_scores does: any country:XX is one value,
    a workload needs number and unit; the country cues shown are those of every country."""
    fe = _facet_errors()
    gold = [{"id": "a", "lang": "en", "text": "As in France, 5 ECTS.", "labels": [],
             "facets": {"international": ["country:DE"], "workload": [{"value": 5, "unit": "ECTS"}]}}]
    pred = [{"international": ["country:FR"], "workload": [{"value": 5.0, "unit": "hours"}],
             "cues": [{"cue": "en:as_in", "text": "As in", "label": "facet:international:country:FR"}]}]
    assert fe.errors(gold, pred, "international:country:XX") == []
    assert [kind for kind, _, _ in fe.errors(gold, pred, "workload")] == ["FN", "FP"]
    assert [kind for kind, _, _ in fe.errors(gold, pred, "international:eqf")] == []
    assert "en:as_in='As in'" in fe._show("FP", gold[0], pred[0], "international:country:XX")
