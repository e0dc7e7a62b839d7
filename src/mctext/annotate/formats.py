"""Annotation files in the tools annotators know: Label Studio, doccano, a spreadsheet (CSV).

Writers turn task rows (``select.segment_rows``) into files; ``parse_annotation_file``
reads a file back whatever its format (sniffed from content), checks every record
against the codebook, and raises ``AnnotationFileError`` naming the line (JSONL, CSV)
or task (Label Studio JSON) at fault, so the whole file is refused, never half stored.

Driver types travel with the labels: Label Studio has a second choice group
``driver_types``; doccano and CSV spell them ``driver_type:<type>``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from mctext.codebook import DRIVER_TYPES, LABELS, definition, load_codebook
from mctext.errors import AnnotationFileError
from mctext.jsonl import json_objects

FORMATS = ("labelstudio", "doccano", "csv")
DRIVER_PREFIX = "driver_type:"
LS_LABELS, LS_DRIVERS, LS_TEXT = "labels", "driver_types", "text"
# UTF-8 with a byte-order mark: Excel then opens the file as UTF-8 (accents intact) on a
# double click; LibreOffice, Google Sheets and Python (utf-8-sig) read it fine.
CSV_ENCODING = "utf-8-sig"
# lead_in: a list item's lead-in sentence (Segment.context), shown beside the item, not part of it.
CSV_INFO_COLUMNS = ("segment_id", "doc_title", "page", "lang", "context_before", "lead_in", "text", "context_after",
                    "note")
DRIVER_COLUMNS = tuple(DRIVER_PREFIX + d for d in DRIVER_TYPES)


@dataclass
class FileAnnotation:
    """One annotator's labels for one segment, as read from a file (not yet stored)."""

    segment_id: str
    labels: list[str]
    driver_types: list[str]
    where: str  # "line 7" | "task 3 (segment ab12...)": for error messages
    annotator: str = ""
    text: str = ""
    context_before: str = ""
    context_after: str = ""
    annotated_at: str = ""


# ---------------------------------------------------------------------------- export


def labelstudio_config() -> str:
    """The labelling config XML: context, the segment, and one multi-choice per codebook list."""
    book = load_codebook()

    def choice(value: str, hint: str) -> str:
        return f"      <Choice value={quoteattr(value)} hint={quoteattr(hint)}/>"

    labels = "\n".join(choice(lab, definition(lab) + " Not: " + str(book["labels"][lab].get("not", "")))
                       for lab in LABELS)
    drivers = "\n".join(choice(d, str(book["driver_types"][d])) for d in DRIVER_TYPES)
    return f"""<View>
  <Header value="$source"/>
  <Text name="context_before" value="$context_before" granularity="word"/>
  <Text name="lead_in" value="$lead_in"/>
  <View style="border: 2px solid #4a90d9; padding: 8px; margin: 6px 0">
    <Text name="{LS_TEXT}" value="$text"/>
  </View>
  <Text name="context_after" value="$context_after" granularity="word"/>
  <Text name="note" value="$note"/>
  <Header value="Labels (codebook v{book.get('version', '')}; hover for the definition)" size="5"/>
  <Choices name="{LS_LABELS}" toName="{LS_TEXT}" choice="multiple" showInline="false">
{labels}
  </Choices>
  <Header value="Driver types (only when driver applies)" size="5"/>
  <Choices name="{LS_DRIVERS}" toName="{LS_TEXT}" choice="multiple" showInline="true">
{drivers}
  </Choices>
</View>
"""


def _confidence(row: dict[str, Any]) -> float:
    """The least sure label's confidence max(p, 1-p): Label Studio sorts tasks by it."""
    scores = row.get("scores") or {}
    return round(min((max(p, 1.0 - p) for p in scores.values()), default=1.0), 4)


def _choices_result(labels: list[str], drivers: list[str]) -> list[dict[str, Any]]:
    result = []
    for name, values in ((LS_LABELS, labels), (LS_DRIVERS, drivers)):
        if values:
            result.append({"from_name": name, "to_name": LS_TEXT, "type": "choices", "value": {"choices": list(values)}})
    return result


def _source(row: dict[str, Any]) -> str:
    return f"{row['doc_title']} (page {row['page']}, {row['lang'] or '?'}) [{row['id']}]"


def labelstudio_tasks(rows: list[dict[str, Any]], notes: dict[str, str], blind: bool = False) -> list[dict[str, Any]]:
    """Tasks with the model's labels as a prediction, or, ``blind``, with no prediction at all."""
    tasks = []
    for row in rows:
        data = {"segment_id": row["id"], "text": row["text"], "context_before": row["context_before"],
                "lead_in": row.get("lead_in", ""), "context_after": row["context_after"], "doc_title": row["doc_title"], "page": row["page"],
                "lang": row["lang"], "source": _source(row), "note": notes.get(row["id"], "")}
        prediction = {"model_version": row["model_version"] or "mctext", "score": _confidence(row),
                      "result": _choices_result(row["labels"], row["driver_types"])}
        tasks.append({"data": data, "predictions": [] if blind else [prediction]})
    return tasks


def _flat_choices(row: dict[str, Any]) -> list[str]:
    return list(row["labels"]) + [DRIVER_PREFIX + d for d in row["driver_types"]]


def write_tasks(rows: list[dict[str, Any]], path: Path, fmt: str, notes: dict[str, str] | None = None,
                blind: bool = False) -> list[Path]:
    """Write ``rows`` as ``fmt`` to ``path``; returns the files written (Label Studio adds its config).

    ``blind`` leaves every label out (no prediction, empty doccano labels, blank CSV cells): a
    first-pass annotator judges the segment without seeing what the model said.
    """
    notes = notes or {}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "labelstudio":
        path.write_text(json.dumps(labelstudio_tasks(rows, notes, blind), ensure_ascii=False, indent=1), encoding="utf-8")
        config = path.with_name(path.name + ".config.xml")
        config.write_text(labelstudio_config(), encoding="utf-8")
        return [path, config]
    if fmt == "doccano":
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:  # doccano keeps every key but text/label as the example's metadata
                fh.write(json.dumps({"text": row["text"], "label": [] if blind else _flat_choices(row), "segment_id": row["id"],
                                     "context_before": row["context_before"], "lead_in": row.get("lead_in", ""),
                                     "context_after": row["context_after"],
                                     "doc_title": row["doc_title"], "page": row["page"], "lang": row["lang"],
                                     "note": notes.get(row["id"], "")}, ensure_ascii=False) + "\n")
        return [path]
    if fmt == "csv":
        with path.open("w", encoding=CSV_ENCODING, newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([*CSV_INFO_COLUMNS, *LABELS, *DRIVER_COLUMNS])
            for row in rows:
                writer.writerow([row["id"], row["doc_title"], row["page"], row["lang"], row["context_before"],
                                 row.get("lead_in", ""), row["text"], row["context_after"], notes.get(row["id"], ""),
                                 *(["" for _ in LABELS] if blind else [int(lab in row["labels"]) for lab in LABELS]),
                                 *(["" for _ in DRIVER_TYPES] if blind
                                   else [int(d in row["driver_types"]) for d in DRIVER_TYPES])])
        return [path]
    raise AnnotationFileError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------- import


def _split_choices(values: Iterable[Any], where: str) -> tuple[list[str], list[str]]:
    """Codebook labels and ``driver_type:`` values, refusing anything the codebook lacks."""
    labels, drivers = [], []
    for v in values:
        if not isinstance(v, str):
            raise AnnotationFileError(f"{where}: label {v!r} is not a string")
        if v.startswith(DRIVER_PREFIX):
            d = v[len(DRIVER_PREFIX):]
            if d not in DRIVER_TYPES:
                raise AnnotationFileError(f"{where}: unknown driver type {d!r} (codebook: {', '.join(DRIVER_TYPES)})")
            drivers.append(d)
        elif v in LABELS:
            labels.append(v)
        else:
            raise AnnotationFileError(f"{where}: unknown label {v!r} (codebook labels: {', '.join(LABELS)})")
    return sorted(set(labels)), sorted(set(drivers))


def _segment_id(value: Any, where: str) -> str:
    if not isinstance(value, str | int) or not str(value).strip():
        raise AnnotationFileError(f"{where}: missing field 'segment_id'")
    return str(value).strip()


def detect_format(text: str) -> str:
    """labelstudio (a JSON array), doccano (JSON lines) or csv, from the first character."""
    head = text.lstrip()
    if head.startswith("["):
        return "labelstudio"
    if head.startswith("{"):
        return "doccano"
    return "csv"


def _ls_annotator(ann: dict[str, Any]) -> str:
    by = ann.get("completed_by")
    if isinstance(by, dict) and by.get("email"):
        return str(by["email"])
    created = str(ann.get("created_username") or "").strip()
    if created:
        return created.split(",")[0].strip()
    return f"labelstudio-user-{by}" if by is not None else ""


def _parse_labelstudio(text: str) -> list[FileAnnotation]:
    """Label Studio JSON export (tasks with annotations[].result[]), or its JSON-MIN flavour."""
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnnotationFileError(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    out: list[FileAnnotation] = []
    for i, task in enumerate(tasks, start=1):
        where = f"task {i}"
        if not isinstance(task, dict):
            raise AnnotationFileError(f"{where}: not a JSON object")
        if "data" not in task:  # JSON-MIN: one flat object per annotation
            out.append(_parse_ls_min(task, where))
            continue
        data = task["data"]
        if not isinstance(data, dict):
            raise AnnotationFileError(f"{where}: 'data' is not an object")
        where = f"task {i} (id {task.get('id', '?')})"
        sid = _segment_id(data.get("segment_id"), where)
        where = f"task {i} (id {task.get('id', '?')}, segment {sid})"
        annotations = task.get("annotations")
        if annotations is None:
            raise AnnotationFileError(f"{where}: missing field 'annotations' (export annotations, not tasks)")
        if not isinstance(annotations, list):
            raise AnnotationFileError(f"{where}: 'annotations' is not a list")
        for j, ann in enumerate(annotations, start=1):
            at = f"{where} annotation {j}"
            if not isinstance(ann, dict) or not isinstance(ann.get("result"), list):
                raise AnnotationFileError(f"{at}: missing field 'result'")
            if ann.get("was_cancelled"):  # skipped in Label Studio: no judgement given
                continue
            values: list[Any] = []
            drivers: list[Any] = []
            for item in ann["result"]:
                if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
                    raise AnnotationFileError(f"{at}: result item without a 'value' object")
                choices = item["value"].get("choices")
                if not isinstance(choices, list):
                    raise AnnotationFileError(f"{at}: result item from {item.get('from_name')!r} has no 'choices' list")
                if item.get("from_name") == LS_LABELS:
                    values += choices
                elif item.get("from_name") == LS_DRIVERS:
                    drivers += [DRIVER_PREFIX + str(c) for c in choices]
                else:
                    raise AnnotationFileError(f"{at}: unknown control {item.get('from_name')!r} "
                                              f"(the config has {LS_LABELS!r} and {LS_DRIVERS!r})")
            labels, driver_types = _split_choices(values + drivers, at)
            out.append(FileAnnotation(sid, labels, driver_types, at, _ls_annotator(ann), str(data.get("text", "")),
                                      str(data.get("context_before", "")), str(data.get("context_after", "")),
                                      str(ann.get("updated_at") or ann.get("created_at") or "")))
    return out


def _parse_ls_min(task: dict[str, Any], where: str) -> FileAnnotation:
    sid = _segment_id(task.get("segment_id"), where)
    where = f"{where} (id {task.get('id', '?')}, segment {sid})"

    def choices(key: str) -> list[Any]:
        value = task.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict) and isinstance(value.get("choices"), list):
            return value["choices"]
        raise AnnotationFileError(f"{where}: {key!r} is neither a choice nor {{'choices': [...]}}")

    labels, drivers = _split_choices(choices(LS_LABELS) + [DRIVER_PREFIX + str(d) for d in choices(LS_DRIVERS)], where)
    return FileAnnotation(sid, labels, drivers, where, str(task.get("annotator") or ""), str(task.get("text", "")),
                          str(task.get("context_before", "")), str(task.get("context_after", "")),
                          str(task.get("updated_at") or task.get("created_at") or ""))


def _parse_doccano(text: str) -> list[FileAnnotation]:
    out = []
    for n, obj in json_objects(text.splitlines(), lambda n: f"line {n}"):
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        sid = _segment_id(obj.get("segment_id", meta.get("segment_id")), f"line {n}")
        where = f"line {n} (segment {sid})"
        key = "label" if "label" in obj else "labels" if "labels" in obj else None
        if key is None:
            raise AnnotationFileError(f"{where}: missing field 'label'")
        if not isinstance(obj[key], list):
            raise AnnotationFileError(f"{where}: 'label' is not a list")
        labels, drivers = _split_choices(obj[key], where)

        def field(name: str, obj: dict[str, Any] = obj, meta: dict[str, Any] = meta) -> str:
            return str(obj.get(name, meta.get(name, "")) or "")

        out.append(FileAnnotation(sid, labels, drivers, where, field("annotator") or field("user"), field("text"),
                                  field("context_before"), field("context_after")))
    return out


def _parse_csv(text: str) -> list[FileAnnotation]:
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = [h.strip() for h in next(reader, [])]
    if "segment_id" not in header:
        raise AnnotationFileError("line 1: not a recognised annotation file (no 'segment_id' column; "
                                  "Label Studio JSON, doccano JSONL or mctext CSV expected)")
    missing = [lab for lab in LABELS if lab not in header]
    if missing:
        raise AnnotationFileError(f"line 1: missing label column(s) {', '.join(missing)}")
    unknown = [h for h in header if h.startswith(DRIVER_PREFIX) and h not in DRIVER_COLUMNS]
    if unknown:
        raise AnnotationFileError(f"line 1: unknown driver type column(s) {', '.join(unknown)}")
    col = {h: i for i, h in enumerate(header)}
    out = []
    line = reader.line_num
    for cells in reader:
        start_line, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        where = f"line {start_line}"
        if len(cells) != len(header):
            raise AnnotationFileError(f"{where}: {len(cells)} cells, the header has {len(header)}")
        sid = _segment_id(cells[col["segment_id"]], where)
        where = f"line {start_line} (segment {sid})"
        chosen = []
        for name in (*LABELS, *[d for d in DRIVER_COLUMNS if d in col]):
            cell = cells[col[name]].strip()
            if cell not in ("0", "1"):
                raise AnnotationFileError(f"{where}: column {name!r} is {cell!r}; write 0 or 1")
            if cell == "1":
                chosen.append(name)
        labels, drivers = _split_choices(chosen, where)

        def field(name: str, cells: list[str] = cells) -> str:
            return cells[col[name]] if name in col else ""

        out.append(FileAnnotation(sid, labels, drivers, where, field("annotator").strip(), field("text"),
                                  field("context_before"), field("context_after")))
    return out


PARSERS = {"labelstudio": _parse_labelstudio, "doccano": _parse_doccano, "csv": _parse_csv}


def parse_annotation_file(path: Path, data: bytes | None = None) -> tuple[str, list[FileAnnotation]]:
    """(format, annotations) of a file; AnnotationFileError names the line or task at fault."""
    path = Path(path)
    raw = path.read_bytes() if data is None else data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnnotationFileError(f"{path.name}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    if not text.strip():
        raise AnnotationFileError(f"{path.name}: the file is empty")
    fmt = detect_format(text)
    try:
        annotations = PARSERS[fmt](text)
    except AnnotationFileError as exc:
        raise AnnotationFileError(f"{path.name} ({fmt}): {exc}") from None
    seen: dict[tuple[str, str], str] = {}
    for a in annotations:
        key = (a.segment_id, a.annotator)
        if key in seen:
            raise AnnotationFileError(f"{path.name} ({fmt}): {a.where}: segment {a.segment_id} "
                                      f"is already labelled by the same annotator at {seen[key]}")
        seen[key] = a.where
    return fmt, annotations
