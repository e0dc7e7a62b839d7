"""One labelling batch's final answers and the agreement of its two passes.

    python scripts/finalise_labels.py annotations/passes/batch1

reads, in that folder, ``tasks.jsonl`` (the blind export: segment_id, text, lang, doc_title),
``passA.jsonl`` and ``passB.jsonl`` (the two independent passes) and ``adjudication.jsonl``
(the adjudicator's decisions where the passes differ), and writes

- ``final.jsonl``: per segment the answer that counts (the agreed one, or the adjudicator's):
  labels, driver types, nqf_levels and facets, with ``decided_by`` = agreed | adjudicated;
- ``agreement.json``: Cohen's kappa of the two passes per label and per facet value present,
  and the share of segments where they agree on everything.

The pass and adjudication files are the annotators' own output (labels with
``driver_type:`` entries, ``nqf_levels`` as [framework, level] pairs, ``facets`` as a dict).
``--doccano`` also writes each as ``<name>.doccano.jsonl`` in the doccano format that
`mctext annotate import` reads (facets as ``facet:value`` labels, workload and NQF levels as
text fields), without loss, and the adjudication as ``adjudication.csv`` (0/1 cells: a row of
0s is the decision "no label"); those are what the store is built from:

    mctext annotate import annotations/passes/batch1/passA.doccano.jsonl --annotator passA --from RUN
    mctext annotate import annotations/passes/batch1/adjudication.csv --annotator adjudicator --adjudication
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from mctext.annotate.agreement import cohen_kappa
from mctext.codebook import FACETS, LABELS

DRIVER = "driver_type:"


def _kappa(a: list[bool], b: list[bool]) -> float | None:
    """Cohen's kappa, None where it is undefined (neither pass used the value)."""
    k = cohen_kappa(a, b)
    return None if k != k else round(k, 3)


def _lines(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["segment_id"]] = row
    return out


def answer(row: dict[str, Any]) -> dict[str, Any]:
    """A pass's answer in a canonical form (sorted lists, empty parts dropped)."""
    labels = sorted(v for v in row.get("label", []) if not v.startswith(DRIVER))
    drivers = sorted(v[len(DRIVER):] for v in row.get("label", []) if v.startswith(DRIVER))
    facets = {}
    for name, values in (row.get("facets") or {}).items():
        if values:
            facets[name] = sorted(values, key=lambda v: json.dumps(v, sort_keys=True))
    levels = sorted([str(fw), int(n)] for fw, n in (row.get("nqf_levels") or []))
    return {"labels": labels, "driver_types": drivers if "driver" in labels else [], "nqf_levels": levels,
            "facets": facets}


def kappas(a: dict[str, dict], b: dict[str, dict], ids: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"labels": {}, "facets": {}}
    for label in LABELS:
        out["labels"][label] = _kappa([label in a[i]["labels"] for i in ids], [label in b[i]["labels"] for i in ids])
    for facet in (*FACETS, "workload"):
        values = sorted({json.dumps(v, sort_keys=True) for d in (a, b) for i in ids for v in d[i]["facets"].get(facet, [])})
        per = {}
        for v in values:
            xa = [v in {json.dumps(x, sort_keys=True) for x in a[i]["facets"].get(facet, [])} for i in ids]
            xb = [v in {json.dumps(x, sort_keys=True) for x in b[i]["facets"].get(facet, [])} for i in ids]
            per[json.loads(v) if facet != "workload" else v] = {"kappa": _kappa(xa, xb), "a": sum(xa), "b": sum(xb)}
        any_a = [bool(a[i]["facets"].get(facet)) for i in ids]
        any_b = [bool(b[i]["facets"].get(facet)) for i in ids]
        out["facets"][facet] = {"any_value_kappa": _kappa(any_a, any_b), "values": per}
    out["identical_share"] = round(sum(a[i] == b[i] for i in ids) / len(ids), 4)
    return out


def to_doccano(row: dict[str, Any]) -> dict[str, Any]:
    """One pass line in the doccano import format (same judgement, another spelling)."""
    from mctext.annotate import facets as fc

    a = answer(row)
    workload = a["facets"].pop("workload", [])
    flat = fc.flat_values(a["facets"])
    out = {"segment_id": row["segment_id"], "label": row.get("label", []) + flat,
           "workload": fc.workload_text(workload),
           "nqf_levels": fc.levels_text([{"framework": fw, "level": n} for fw, n in a["nqf_levels"]])
           if "nqf" in a["labels"] else ""}
    if row.get("note"):
        out["note"] = row["note"]
    return out


def write_doccano(folder: Path) -> None:
    for name in ("passA", "passB"):  # the adjudication goes in as CSV: 0s there say "no label"
        path = folder / f"{name}.jsonl"
        if path.is_file():
            with (folder / f"{name}.doccano.jsonl").open("w", encoding="utf-8") as fh:
                for row in _lines(path).values():
                    fh.write(json.dumps(to_doccano(row), ensure_ascii=False) + "\n")


def write_adjudication_csv(folder: Path) -> Path | None:
    """``adjudication.csv``: the adjudicator's decisions in the mctext CSV (0/1 cells), which
    `mctext annotate import --adjudication` reads; a row of 0s is the decision "no label"."""
    from mctext.annotate.formats import write_tasks

    path = folder / "adjudication.jsonl"
    if not path.is_file():
        return None
    tasks = _lines(folder / "tasks.jsonl")
    rows = []
    for sid, row in _lines(path).items():
        t, a = tasks[sid], answer(row)
        rows.append({"id": sid, "doc_title": t.get("doc_title", ""), "page": t.get("page", ""), "lang": t.get("lang", ""),
                     "context_before": t.get("context_before", ""), "lead_in": t.get("lead_in", ""), "text": t["text"],
                     "context_after": t.get("context_after", ""), "labels": a["labels"], "driver_types": a["driver_types"],
                     "facets": a["facets"], "nqf_levels": [{"framework": fw, "level": n} for fw, n in a["nqf_levels"]]})
    notes = {sid: row.get("note", "") for sid, row in _lines(path).items()}
    out = folder / "adjudication.csv"
    write_tasks(rows, out, "csv", notes)
    # an nqf decision that names no level says so ("none"); a blank cell would leave the levels to the rules
    no_level = {r["id"] for r in rows if "nqf" in r["labels"] and not r["nqf_levels"]}
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    col = table[0].index("nqf_levels")
    for cells in table[1:]:
        if cells[0] in no_level:
            cells[col] = "none"
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(table)
    return out


def main(folder: Path) -> None:
    tasks = _lines(folder / "tasks.jsonl")
    a = {k: answer(v) for k, v in _lines(folder / "passA.jsonl").items()}
    b = {k: answer(v) for k, v in _lines(folder / "passB.jsonl").items()}
    adj_path = folder / "adjudication.jsonl"
    adj = {k: answer(v) for k, v in _lines(adj_path).items()} if adj_path.is_file() else {}
    ids = [i for i in tasks if i in a and i in b]
    final = []
    for i in ids:
        if a[i] == b[i]:
            chosen, by = a[i], "agreed"
        elif i in adj:
            chosen, by = adj[i], "adjudicated"
        else:
            continue  # a disagreement not yet adjudicated: no final answer
        t = tasks[i]
        final.append({"segment_id": i, "text": t["text"], "lang": t.get("lang", ""), "doc_title": t.get("doc_title", ""),
                      **chosen, "decided_by": by})
    with (folder / "final.jsonl").open("w", encoding="utf-8") as fh:
        for row in final:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    report = {"segments": len(ids), "final": len(final), "adjudicated": sum(r["decided_by"] == "adjudicated" for r in final),
              "disagreements": sum(a[i] != b[i] for i in ids), "kappa": kappas(a, b, ids)}
    (folder / "agreement.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "kappa"}), json.dumps(report["kappa"]["labels"]))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
    if "--doccano" in sys.argv:
        write_doccano(Path(sys.argv[1]))
        write_adjudication_csv(Path(sys.argv[1]))
