"""Re-anchoring: documents re-extracted, segment boundaries moved; annotations follow their quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mctext.annotate import export_run, import_file, reanchor
from mctext.annotate.anchor import locate, page_texts, quote_context
from mctext.annotate.select import load_run
from mctext.annotate.store import read_anchors, training_records
from test_annotate_fixtures import make_run, store_bytes

OLD = [
    ("d1", 1, ["Intro sentence one.", "Repeated line here.", "Micro-credentials certify short learning.",
               "Repeated line here.", "They respond to skills shortages.", "The NQF has eight levels.",
               "Validation is possible. Credits can be stacked.", "Gone sentence.", "Quality assurance builds trust."]),
    ("d2", 1, ["Die Mikro-Credentials sind neu.", "Ein Satz ohne Bezug."]),
]
NEW = [  # a heading now opens the page, two sentences merged, one split, one dropped, a typo, a double space
    ("d1", 1, ["A new heading line.", "Intro sentence one.", "Repeated line here.",
               "Micro-credentials certify short learning.", "Repeated line here.",
               "They respond to skills shortages. The NQF has eight levels.", "Validation is possible.",
               "Credits can be stacked.", "Quality assurence builds trust."]),
    ("d2", 1, ["Die Mikro-Credentials  sind neu.", "Ein Satz ohne Bezug."]),
]
# what the annotator said about each old segment (by text; the repeated line differs by position)
LABELS_BY_TEXT = {
    "Intro sentence one.": [], "Micro-credentials certify short learning.": ["microcredential"],
    "They respond to skills shortages.": ["driver"], "The NQF has eight levels.": ["nqf"],
    "Validation is possible. Credits can be stacked.": ["stackability", "validation"],
    "Gone sentence.": ["quality_trust"], "Quality assurance builds trust.": ["quality_trust"],
    "Die Mikro-Credentials sind neu.": ["microcredential"], "Ein Satz ohne Bezug.": [],
}


def _ids(run: Path) -> dict[tuple[str, int], str]:
    """(text, occurrence) -> segment id, in reading order."""
    seg, _ = load_run(run)
    seg = seg.sort_values(["doc_id", "page", "start"])
    out: dict[tuple[str, int], str] = {}
    for text, sid in zip(seg["text"], seg["id"], strict=True):
        k = 0
        while (text, k) in out:
            k += 1
        out[(text, k)] = sid
    return out


@pytest.fixture
def annotated(tmp_path: Path) -> tuple[Path, Path, dict[tuple[str, int], str]]:
    old_run, store = make_run(tmp_path / "old", OLD), tmp_path / "store"
    tasks = tmp_path / "t.jsonl"
    old_ids = _ids(old_run)
    # exactly these ids: a plain export gives one task per distinct text, and the repeated
    # line here is judged per position
    export_run(old_run, tasks, "doccano", store_dir=store, ids=list(old_ids.values()))
    first_repeat, second_repeat = old_ids[("Repeated line here.", 0)], old_ids[("Repeated line here.", 1)]
    lines = []
    for line in tasks.read_text().splitlines():
        obj = json.loads(line)
        if obj["segment_id"] == first_repeat:
            obj["label"] = ["validation"]
        elif obj["segment_id"] == second_repeat:
            obj["label"] = ["stackability"]
        else:
            obj["label"] = LABELS_BY_TEXT[obj["text"]]
        lines.append(json.dumps(obj))
    tasks.write_text("\n".join(lines) + "\n")
    import_file(tasks, store_dir=store, annotator="ann")
    return store, make_run(tmp_path / "new", NEW), old_ids


def test_reanchor_with_moved_boundaries(annotated: tuple[Path, Path, dict[tuple[str, int], str]]) -> None:
    store, new_run, old_ids = annotated
    new_ids = _ids(new_run)
    imports_before = {k: v for k, v in store_bytes(store).items() if k.startswith("imports")}

    report = reanchor(store, new_run)

    moved = {m["old_id"]: m for m in report.moved}
    # offsets shifted by the new heading: exact quote found again
    assert moved[old_ids[("Intro sentence one.", 0)]]["new_id"] == new_ids[("Intro sentence one.", 0)]
    assert moved[old_ids[("Intro sentence one.", 0)]]["method"] == "exact"
    # the same sentence twice on the page: prefix/suffix tell which is which
    assert moved[old_ids[("Repeated line here.", 0)]]["new_id"] == new_ids[("Repeated line here.", 0)]
    assert moved[old_ids[("Repeated line here.", 1)]]["new_id"] == new_ids[("Repeated line here.", 1)]
    # two sentences merged into one segment: both follow it
    merged = new_ids[("They respond to skills shortages. The NQF has eight levels.", 0)]
    assert moved[old_ids[("They respond to skills shortages.", 0)]]["new_id"] == merged
    assert moved[old_ids[("The NQF has eight levels.", 0)]]["new_id"] == merged
    # whitespace changed by re-extraction
    assert moved[old_ids[("Die Mikro-Credentials sind neu.", 0)]]["method"] == "whitespace"
    # a corrected character: fuzzy
    fuzzy = moved[old_ids[("Quality assurance builds trust.", 0)]]
    assert fuzzy["method"] == "fuzzy" and fuzzy["new_id"] == new_ids[("Quality assurence builds trust.", 0)]
    assert 0.85 <= fuzzy["score"] < 1.0
    # reported, not dropped: the split sentence and the vanished one
    unanchored = {u["old_id"]: u["reason"] for u in report.unanchored}
    assert set(unanchored) == {old_ids[("Validation is possible. Credits can be stacked.", 0)],
                               old_ids[("Gone sentence.", 0)]}
    assert "split" in unanchored[old_ids[("Validation is possible. Credits can be stacked.", 0)]]
    assert "not found" in unanchored[old_ids[("Gone sentence.", 0)]]
    assert len(report.moved) == 9 and report.kept == []  # every old id changed (offsets moved)

    # stored annotations untouched; the mapping was appended
    assert {k: v for k, v in store_bytes(store).items() if k.startswith("imports")} == imports_before
    assert len(read_anchors(store)) == 11 and report.mapping_file is not None

    gold = {r["id"]: r for r in training_records(store)}
    assert gold[merged]["labels"] == ["driver", "nqf"]  # the union: each part said one of them
    assert gold[merged]["text"] == "They respond to skills shortages. The NQF has eight levels."
    assert gold[new_ids[("Repeated line here.", 1)]]["labels"] == ["stackability"]
    assert gold[new_ids[("Repeated line here.", 0)]]["labels"] == ["validation"]
    # the unanchored keep their old id and quote: still training data, flagged in the report
    assert gold[old_ids[("Gone sentence.", 0)]]["text"] == "Gone sentence."

    # a second pass over the same run finds everything already attached
    again = reanchor(store, new_run)
    # (9 old ids now point at 8 segments: two were merged)
    assert len(again.moved) == 0 and len(again.kept) == 8 and len(again.unanchored) == 2


def test_annotation_on_the_new_segment_overrides_the_merge(
        annotated: tuple[Path, Path, dict[tuple[str, int], str]], tmp_path: Path) -> None:
    store, new_run, _ = annotated
    reanchor(store, new_run)
    merged = _ids(new_run)[("They respond to skills shortages. The NQF has eight levels.", 0)]
    assert {r["id"]: r for r in training_records(store)}[merged]["labels"] == ["driver", "nqf"]
    tasks = tmp_path / "new.jsonl"
    export_run(new_run, tasks, "doccano", n=100, store_dir=store)  # ids of the new run are now known
    line = next(json.loads(x) for x in tasks.read_text().splitlines() if json.loads(x)["segment_id"] == merged)
    tasks.write_text(json.dumps({**line, "label": ["driver", "driver_type:crisis"]}) + "\n")
    assert import_file(tasks, store_dir=store, annotator="bob").stored == 1
    gold = {r["id"]: r for r in training_records(store)}[merged]
    assert (gold["labels"], gold["driver_types"]) == (["driver"], ["crisis"])


def test_annotation_without_provenance_is_found_in_any_document(tmp_path: Path) -> None:
    """Imported without the export record or --from: no document id, so every document is searched."""
    old_run = make_run(tmp_path / "old", OLD)
    tasks = tmp_path / "t.jsonl"
    export_run(old_run, tasks, "doccano", n=100, store_dir=tmp_path / "elsewhere")
    line = next(json.loads(x) for x in tasks.read_text().splitlines() if json.loads(x)["text"].startswith("Die"))
    tasks.write_text(json.dumps({**line, "label": ["microcredential"]}) + "\n")
    store = tmp_path / "store"
    import_file(tasks, store_dir=store, annotator="ann")
    report = reanchor(store, make_run(tmp_path / "new", NEW))
    assert [(m["doc_id"], m["method"], m["text"]) for m in report.moved] == [
        ("d2", "whitespace", "Die Mikro-Credentials  sind neu.")]


def test_locate_prefers_prefix_and_suffix() -> None:
    pages = {1: "alpha. X marks. beta. X marks. gamma.", 2: "X marks."}
    first = locate("X marks.", "alpha. ", " beta.", pages, 1)
    second = locate("X marks.", "beta. ", " gamma.", pages, 1)
    assert (first.page, first.start) == (1, 7) and (second.page, second.start) == (1, 22)
    assert locate("nowhere", "", "", pages, 1) is None


def test_page_text_keeps_offsets(tmp_path: Path) -> None:
    run = make_run(tmp_path / "r", OLD, gap="  \n")
    seg, _ = load_run(run)
    texts = page_texts(seg)
    for row in seg.itertuples():
        assert texts[(row.doc_id, row.page)][row.start:row.end] == row.text
    prefix, suffix = quote_context("0123456789", 4, 6, width=3)
    assert (prefix, suffix) == ("123", "6789"[:3])
