"""Drive a running doccano (1.8, its PyPI package) through its REST API: project, import, labels, export.

Used by doccano_roundtrip.sh (not run in CI). Standard library only. Steps: log in, create a
text-classification project, upload mctext's doccano JSONL export (filepond upload + import
task), change each example's labels through the API as an annotator would (toggle one
label by position; a driver gets its type), export the project as JSONL, and write the labels
submitted so the caller can check what mctext stored.
"""

from __future__ import annotations

import argparse
import io
import json
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path
from typing import Any

LABELS = ["microcredential", "driver", "nqf", "validation", "stackability", "quality_trust"]


class Doccano:
    def __init__(self, base: str) -> None:
        self.base, self.token = base.rstrip("/"), ""

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
             content_type: str = "application/json") -> Any:
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": content_type}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                out = resp.read()
                kind = resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            raise SystemExit(f"{method} {path}: HTTP {exc.code}: {exc.read()[:500]!r}") from None
        if "json" in kind:
            return json.loads(out) if out else None
        return out

    def wait(self, task_id: str) -> Any:
        for _ in range(120):
            status = self.call("GET", f"/v1/tasks/status/{task_id}")
            if status.get("ready"):
                if status.get("error"):
                    raise SystemExit(f"doccano task {task_id} failed: {status['error']}")
                return status.get("result")
            time.sleep(1)
        raise SystemExit(f"doccano task {task_id} did not finish (is `doccano task` running?)")


def upload(dc: Doccano, path: Path) -> str:
    """filepond upload; returns the upload id the import takes."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"filepond\"; filename=\"{path.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    out = dc.call("POST", "/v1/fp/process/", raw=body, content_type=f"multipart/form-data; boundary={boundary}")
    return out.decode() if isinstance(out, bytes) else str(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--tasks", type=Path, required=True)
    ap.add_argument("--export", type=Path, required=True)
    ap.add_argument("--expected", type=Path, required=True)
    args = ap.parse_args()
    dc = Doccano(args.url)
    dc.token = dc.call("POST", "/v1/auth/login/", {"username": args.user, "password": args.password})["key"]
    project = dc.call("POST", "/v1/projects", {
        "name": f"mctext round trip {uuid.uuid4().hex[:6]}", "description": "mctext doccano round trip",
        "project_type": "DocumentClassification", "resourcetype": "TextClassificationProject", "guideline": "",
        "random_order": False, "collaborative_annotation": False, "single_class_classification": False})
    pid = project["id"]
    print(f"project {pid}")
    task = dc.call("POST", f"/v1/projects/{pid}/upload", {
        "uploadIds": [upload(dc, args.tasks)], "format": "JSONL", "task": "DocumentClassification",
        "column_data": "text", "column_label": "label"})
    result = dc.wait(task["task_id"])
    print(f"import: {result}")
    examples = dc.call("GET", f"/v1/projects/{pid}/examples?limit=1000")["results"]
    print(f"{len(examples)} examples in doccano")
    types = {t["text"]: t["id"] for t in dc.call("GET", f"/v1/projects/{pid}/category-types")}

    def type_id(name: str) -> int:
        if name not in types:
            types[name] = dc.call("POST", f"/v1/projects/{pid}/category-types",
                                  {"text": name, "background_color": "#209cee", "text_color": "#ffffff"})["id"]
        return types[name]

    expected: dict[str, dict[str, list[str]]] = {}
    by_id = {v: k for k, v in types.items()}
    for k, ex in enumerate(sorted(examples, key=lambda e: e["id"])):
        current = dc.call("GET", f"/v1/projects/{pid}/examples/{ex['id']}/categories")
        names = {by_id.get(c["label"], "") for c in current}
        labels = sorted({n for n in names if n in LABELS} ^ {LABELS[k % len(LABELS)]})
        drivers = ["upskilling"] if "driver" in labels else []
        wanted = labels + [f"driver_type:{d}" for d in drivers]
        for c in current:  # the annotator's edit: remove what no longer applies, add the new ones
            dc.call("DELETE", f"/v1/projects/{pid}/examples/{ex['id']}/categories/{c['id']}")
        for name in wanted:
            dc.call("POST", f"/v1/projects/{pid}/examples/{ex['id']}/categories", {"label": type_id(name)})
        by_id = {v: k for k, v in types.items()}
        expected[str(ex["meta"]["segment_id"])] = {"labels": labels, "driver_types": drivers}
    task = dc.call("POST", f"/v1/projects/{pid}/download", {"format": "JSONL", "exportApproved": False})
    dc.wait(task["task_id"])
    blob = dc.call("GET", f"/v1/projects/{pid}/download?taskId={task['task_id']}")
    if isinstance(blob, bytes) and blob[:2] == b"PK":  # a zip: one JSONL per user, or all.jsonl
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            names = [n for n in zf.namelist() if n.endswith(".jsonl")]
            print(f"export zip holds {names}")
            blob = b"".join(zf.read(n) for n in names)
    args.export.write_bytes(blob if isinstance(blob, bytes) else json.dumps(blob).encode())
    args.expected.write_text(json.dumps(expected, indent=1))
    print(f"exported {len(blob.splitlines())} lines -> {args.export}")


if __name__ == "__main__":
    main()
