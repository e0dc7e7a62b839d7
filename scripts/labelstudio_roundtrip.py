"""Drive a running Label Studio through its REST API: project, tasks, annotations, export.

Used by labelstudio_roundtrip.sh (not run in CI). Standard library only, so it runs with
any Python. Steps: create a project with mctext's labelling config, import mctext's
exported tasks, submit one annotation per task (the model's prediction with some labels
flipped, as an annotator correcting the model would), export the project as Label Studio
JSON, and write the labels we submitted so the caller can check what mctext stored.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


def call(base: str, token: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"{method} {path}: HTTP {exc.code}: {exc.read()[:500]!r}") from None
    return json.loads(raw) if raw else None


def flip(choices: list[str], all_labels: list[str], k: int) -> list[str]:
    """The annotator's correction: toggle one label, chosen by task position."""
    label = all_labels[k % len(all_labels)]
    return sorted(set(choices) ^ {label})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--tasks", type=Path, required=True)
    ap.add_argument("--config", type=Path, required=True)
    ap.add_argument("--export", type=Path, required=True, help="where to write Label Studio's JSON export")
    ap.add_argument("--expected", type=Path, required=True, help="where to write segment_id -> submitted labels")
    args = ap.parse_args()
    base, token = args.url.rstrip("/"), args.token

    me = call(base, token, "GET", "/api/current-user/whoami")
    print(f"authenticated as {me.get('email')} (user id {me.get('id')})")
    project = call(base, token, "POST", "/api/projects",
                   {"title": f"mctext round trip {time.strftime('%H:%M:%S')}", "label_config": args.config.read_text()})
    pid = project["id"]
    print(f"created project {pid}: {project['title']}")

    tasks = json.loads(args.tasks.read_text())
    imported = call(base, token, "POST", f"/api/projects/{pid}/import?return_task_ids=true", tasks)
    print(f"imported {imported.get('task_count')} tasks, {imported.get('prediction_count')} predictions")

    listed = call(base, token, "GET", f"/api/tasks?project={pid}&page_size=1000&fields=all")
    listed = listed["tasks"] if isinstance(listed, dict) else listed
    labels_order = ["microcredential", "driver", "nqf", "validation", "stackability", "quality_trust"]
    expected: dict[str, dict[str, list[str]]] = {}
    for k, task in enumerate(sorted(listed, key=lambda t: t["id"])):
        detail = call(base, token, "GET", f"/api/tasks/{task['id']}/")
        predicted: dict[str, list[str]] = {"labels": [], "driver_types": []}
        for r in (detail.get("predictions") or [{}])[0].get("result", []):
            if "choices" in r["value"]:  # (text areas: workload, NQF levels)
                predicted[r["from_name"]] = list(r["value"]["choices"])
        labels = flip(predicted["labels"], labels_order, k) if k % 2 == 0 else sorted(predicted["labels"])
        drivers = (predicted["driver_types"] or ["eu_policy"]) if "driver" in labels else []
        result = [{"from_name": "labels", "to_name": "text", "type": "choices", "value": {"choices": labels}}]
        if drivers:
            result.append({"from_name": "driver_types", "to_name": "text", "type": "choices",
                           "value": {"choices": drivers}})
        call(base, token, "POST", f"/api/tasks/{task['id']}/annotations/", {"result": result, "lead_time": 3.0})
        sid = detail["data"]["segment_id"]
        expected[sid] = {"labels": labels, "driver_types": sorted(drivers)}
        print(f"  task {task['id']} segment {sid}: model {predicted['labels']} -> annotator {labels} {drivers}")

    export = call(base, token, "GET", f"/api/projects/{pid}/export?exportType=JSON")
    args.export.write_text(json.dumps(export, ensure_ascii=False, indent=1))
    n_ann = sum(len(t.get("annotations", [])) for t in export)
    print(f"exported {len(export)} tasks with {n_ann} annotations -> {args.export}")
    args.expected.write_text(json.dumps(expected, indent=1))


if __name__ == "__main__":
    main()
