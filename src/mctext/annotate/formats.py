"""Annotation files in the tools annotators know: Label Studio, doccano, a spreadsheet (CSV).

Writers turn task rows (``select.segment_rows``) into files; ``parse_annotation_file``
reads a file back whatever its format (sniffed from content), checks every record
against the codebook, and raises ``AnnotationFileError`` naming the line (JSONL, CSV)
or task (Label Studio JSON) at fault, so the whole file is refused, never half stored.

Driver types travel with the labels: Label Studio has a second choice group
``driver_types``; doccano and CSV spell them ``driver_type:<type>``. Facets (codebook
v1.2) likewise: a choice group per facet in Label Studio, ``facet:value`` labels in
doccano, a 0/1 column per facet value in CSV; the workload and NQF levels as text
("5 ECTS; 20 hours", "NFQ 6; EQF 5": a TextArea, a field, a column). See ``facets``.

A blank label cell (CSV) is no judgement: such a row is left undecided, not stored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from mctext.annotate import facets as fc
from mctext.codebook import (
    DRIVER_TYPES,
    FACETS,
    LABELS,
    country_prefix,
    definition,
    facet_values,
    load_codebook,
)
from mctext.errors import AnnotationFileError
from mctext.jsonl import json_objects

FORMATS = ("labelstudio", "doccano", "csv")
DRIVER_PREFIX = "driver_type:"
LS_LABELS, LS_DRIVERS, LS_TEXT = "labels", "driver_types", "text"
NQF_LEVELS = "nqf_levels"  # the text field / TextArea / column of human NQF levels
DUPLICATES = "duplicate_ids"  # segments with the same normalised text: the task's labels apply to them too
# UTF-8 with a byte-order mark: Excel then opens the file as UTF-8 (accents intact) on a
# double click; LibreOffice, Google Sheets and Python (utf-8-sig) read it fine.
CSV_ENCODING = "utf-8-sig"
# lead_in: a list item's lead-in sentence (Segment.context), shown beside the item, not part of it.
CSV_INFO_COLUMNS = ("segment_id", "doc_title", "page", "lang", "context_before", "lead_in", "text", "context_after",
                    "note", DUPLICATES)
CSV_OPTIONAL_COLUMNS = ("annotator", fc.WORKLOAD, NQF_LEVELS)
DRIVER_COLUMNS = tuple(DRIVER_PREFIX + d for d in DRIVER_TYPES)


@dataclass
class FileAnnotation:
    """One annotator's labels for one segment, as read from a file (not yet stored)."""

    segment_id: str
    labels: list[str]
    driver_types: list[str]
    where: str  # "row 5 (line 7)" | "task 3 (segment ab12...)": for error messages
    annotator: str = ""
    text: str = ""
    context_before: str = ""
    context_after: str = ""
    annotated_at: str = ""
    facets: fc.Facets | None = None  # None: the file says nothing about facets
    nqf_levels: list[dict[str, Any]] | None = None  # None: not given (the extracted levels stand)
    undecided: list[str] = field(default_factory=list)  # label cells left blank
    duplicate_ids: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- export


def facet_choices(facet: str) -> list[str]:
    """The values a facet's Label Studio choice group offers: the codebook's, and for a facet
    with open country values (international) ``country:XX`` for each known country."""
    values = list(facet_values(facet))
    prefix = country_prefix(facet)
    if prefix:
        from mctext.classify.countries import country_table

        values += [prefix + code for code in country_table() if code != "EU"]
    return values


def labelstudio_config() -> str:
    """The labelling config XML: context, the segment, one multi-choice per codebook list
    (labels, driver types, each facet) and text areas for the workload and NQF levels."""
    book = load_codebook()

    def choice(value: str, hint: str) -> str:
        return f"      <Choice value={quoteattr(value)} hint={quoteattr(hint)}/>"

    labels = "\n".join(choice(lab, definition(lab) + " Not: " + str(book["labels"][lab].get("not", "")))
                       for lab in LABELS)
    drivers = "\n".join(choice(d, str(book["driver_types"][d])) for d in DRIVER_TYPES)
    facet_groups = []
    for facet in FACETS:
        spec = book["facets"][facet]
        options = "\n".join(choice(v, str(spec["values"].get(v, v))) for v in facet_choices(facet))
        facet_groups.append(f"""  <Header value={quoteattr("Facet: " + str(spec.get("title", facet)))} size="6"/>
  <Choices name="{facet}" toName="{LS_TEXT}" choice="multiple" showInline="true">
{options}
  </Choices>""")
    facets_xml = "\n".join(facet_groups)
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
{facets_xml}
  <Header value="Workload, e.g. 5 ECTS; 20 hours (units: {', '.join(fc.workload_units())})" size="6"/>
  <TextArea name="{fc.WORKLOAD}" toName="{LS_TEXT}" maxSubmissions="1" editable="true"/>
  <Header value="NQF levels, e.g. NFQ 6; EQF 5 (leave empty: the extracted levels stand)" size="6"/>
  <TextArea name="{NQF_LEVELS}" toName="{LS_TEXT}" maxSubmissions="1" editable="true"/>
</View>
"""


def _confidence(row: dict[str, Any]) -> float:
    """The least sure label's confidence max(p, 1-p): Label Studio sorts tasks by it."""
    scores = row.get("scores") or {}
    return round(min((max(p, 1.0 - p) for p in scores.values()), default=1.0), 4)


def _choices_result(labels: list[str], drivers: list[str], facets: fc.Facets | None = None,
                    levels: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    facets = facets or {}
    result = []
    groups = [(LS_LABELS, labels), (LS_DRIVERS, drivers), *((f, facets.get(f, [])) for f in FACETS)]
    for name, values in groups:
        if values:
            result.append({"from_name": name, "to_name": LS_TEXT, "type": "choices", "value": {"choices": list(values)}})
    for name, text in ((fc.WORKLOAD, fc.workload_text(facets.get(fc.WORKLOAD, []))),
                       (NQF_LEVELS, fc.levels_text(levels or None))):
        if text:
            result.append({"from_name": name, "to_name": LS_TEXT, "type": "textarea", "value": {"text": [text]}})
    return result


def _source(row: dict[str, Any]) -> str:
    return f"{row['doc_title']} (page {row['page']}, {row['lang'] or '?'}) [{row['id']}]"


def _prefilled(row: dict[str, Any], blind: bool) -> bool:
    """Whether a task shows the model's labels: not blind, not an adjudication (whose
    disputed labels start blank: the adjudicator decides them, the model does not)."""
    return not blind and "adjudicate" not in row


def labelstudio_tasks(rows: list[dict[str, Any]], notes: dict[str, str], blind: bool = False) -> list[dict[str, Any]]:
    """Tasks with the model's labels as a prediction, or, ``blind``, with no prediction at all."""
    tasks = []
    for row in rows:
        data = {"segment_id": row["id"], "text": row["text"], "context_before": row["context_before"],
                "lead_in": row.get("lead_in", ""), "context_after": row["context_after"],
                "doc_title": row["doc_title"], "page": row["page"],
                "lang": row["lang"], "source": _source(row), "note": notes.get(row["id"], ""),
                DUPLICATES: " ".join(row.get(DUPLICATES, []))}
        prediction = {"model_version": row["model_version"] or "mctext", "score": _confidence(row),
                      "result": _choices_result(row["labels"], row["driver_types"], row.get("facets"),
                                                row.get("nqf_levels"))}
        tasks.append({"data": data, "predictions": [prediction] if _prefilled(row, blind) else []})
    return tasks


def _flat_choices(row: dict[str, Any]) -> list[str]:
    return (list(row["labels"]) + [DRIVER_PREFIX + d for d in row["driver_types"]]
            + fc.flat_values(row.get("facets")))


def _csv_facet_columns(rows: list[dict[str, Any]]) -> list[str]:
    """One 0/1 column per codebook facet value, plus the open values (country:XX) rows hold."""
    extra = sorted({v for row in rows for v in fc.flat_values(row.get("facets"))} - set(fc.known_flat()))
    return fc.known_flat(extra)


def _csv_cells(row: dict[str, Any], blind: bool, facet_columns: list[str]) -> list[Any]:
    """The label, driver and facet cells of a row: 0/1 from the model, blank when blind, and for
    an adjudication the annotators' agreed value with the disputed cells blank."""
    names = [*LABELS, *DRIVER_COLUMNS, *facet_columns]
    if blind:
        return ["" for _ in names] + ["", ""]
    chosen = set(_flat_choices(row))
    adjudicate = row.get("adjudicate")
    if adjudicate:
        chosen = set(adjudicate["agreed"])
        return ["" if n in adjudicate["disputed"] else int(n in chosen) for n in names] + ["", ""]
    return ([int(n in chosen) for n in names]
            + [fc.workload_text(row.get("facets", {}).get(fc.WORKLOAD, [])), fc.levels_text(row.get("nqf_levels") or None)])


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
                shown = _prefilled(row, blind)
                fh.write(json.dumps({"text": row["text"], "label": _flat_choices(row) if shown else [],
                                     "segment_id": row["id"],
                                     "context_before": row["context_before"], "lead_in": row.get("lead_in", ""),
                                     "context_after": row["context_after"],
                                     "doc_title": row["doc_title"], "page": row["page"], "lang": row["lang"],
                                     "note": notes.get(row["id"], ""), DUPLICATES: list(row.get(DUPLICATES, [])),
                                     fc.WORKLOAD: fc.workload_text(row.get("facets", {}).get(fc.WORKLOAD, []))
                                     if shown else "",
                                     NQF_LEVELS: fc.levels_text(row.get("nqf_levels") or None) if shown else ""},
                                    ensure_ascii=False) + "\n")
        return [path]
    if fmt == "csv":
        facet_columns = _csv_facet_columns(rows)
        with path.open("w", encoding=CSV_ENCODING, newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([*CSV_INFO_COLUMNS, *LABELS, *DRIVER_COLUMNS, *facet_columns, fc.WORKLOAD, NQF_LEVELS])
            for row in rows:
                writer.writerow([row["id"], row["doc_title"], row["page"], row["lang"], row["context_before"],
                                 row.get("lead_in", ""), row["text"], row["context_after"], notes.get(row["id"], ""),
                                 " ".join(row.get(DUPLICATES, [])), *_csv_cells(row, blind, facet_columns)])
        return [path]
    raise AnnotationFileError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------- import


def _split_choices(values: Iterable[Any], where: str) -> tuple[list[str], list[str], fc.Facets]:
    """Codebook labels, ``driver_type:`` values and ``facet:value`` facets, refusing anything
    the codebook lacks (with the nearest codebook spelling as a hint)."""
    labels, drivers, facet_flat = [], [], []
    for v in values:
        if not isinstance(v, str):
            raise AnnotationFileError(f"{where}: label {v!r} is not a string")
        if v.startswith(DRIVER_PREFIX):
            d = v[len(DRIVER_PREFIX):]
            if d not in DRIVER_TYPES:
                hint = fc.did_you_mean(d, DRIVER_TYPES) or f" (codebook: {', '.join(DRIVER_TYPES)})"
                raise AnnotationFileError(f"{where}: unknown driver type {d!r}{hint}")
            drivers.append(d)
        elif v in LABELS:
            labels.append(v)
        elif v.partition(fc.SEP)[0] in FACETS:
            facet_flat.append(v)
        else:
            hint = (fc.did_you_mean(v, [*LABELS, *DRIVER_COLUMNS, *fc.known_flat()])
                    or f" (codebook labels: {', '.join(LABELS)})")
            raise AnnotationFileError(f"{where}: unknown label {v!r}{hint}")
    return sorted(set(labels)), sorted(set(drivers)), fc.from_flat(facet_flat, where)


def _with_workload(facets: fc.Facets, text: str, where: str) -> fc.Facets:
    workload = fc.parse_workload(text, where) if text.strip() else []
    return {**facets, fc.WORKLOAD: workload} if workload else facets


def _levels(text: str, where: str) -> list[dict[str, Any]] | None:
    return fc.parse_levels(text, where) if text.strip() else None


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
            texts: dict[str, str] = {}
            for item in ann["result"]:
                if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
                    raise AnnotationFileError(f"{at}: result item without a 'value' object")
                name = item.get("from_name")
                if name in (fc.WORKLOAD, NQF_LEVELS):  # TextArea: {"text": ["5 ECTS; 20 hours"]}
                    lines = item["value"].get("text")
                    texts[name] = "; ".join(str(t) for t in (lines if isinstance(lines, list) else [lines or ""]))
                    continue
                choices = item["value"].get("choices")
                if not isinstance(choices, list):
                    raise AnnotationFileError(f"{at}: result item from {name!r} has no 'choices' list")
                if name == LS_LABELS:
                    values += choices
                elif name == LS_DRIVERS:
                    values += [DRIVER_PREFIX + str(c) for c in choices]
                elif name in FACETS:
                    values += [f"{name}{fc.SEP}{c}" for c in choices]
                else:
                    controls = [LS_LABELS, LS_DRIVERS, *FACETS, fc.WORKLOAD, NQF_LEVELS]
                    raise AnnotationFileError(f"{at}: unknown control {name!r}{fc.did_you_mean(str(name), controls)} "
                                              f"(the config has {', '.join(map(repr, controls))})")
            labels, driver_types, facets = _split_choices(values, at)
            out.append(FileAnnotation(sid, labels, driver_types, at, _ls_annotator(ann), str(data.get("text", "")),
                                      str(data.get("context_before", "")), str(data.get("context_after", "")),
                                      str(ann.get("updated_at") or ann.get("created_at") or ""),
                                      facets=_with_workload(facets, texts.get(fc.WORKLOAD, ""), at),
                                      nqf_levels=_levels(texts.get(NQF_LEVELS, ""), at),
                                      duplicate_ids=str(data.get(DUPLICATES) or "").split()))
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

    values = choices(LS_LABELS) + [DRIVER_PREFIX + str(d) for d in choices(LS_DRIVERS)]
    for facet in FACETS:
        values += [f"{facet}{fc.SEP}{c}" for c in choices(facet)]
    labels, drivers, facets = _split_choices(values, where)
    return FileAnnotation(sid, labels, drivers, where, str(task.get("annotator") or ""), str(task.get("text", "")),
                          str(task.get("context_before", "")), str(task.get("context_after", "")),
                          str(task.get("updated_at") or task.get("created_at") or ""),
                          facets=_with_workload(facets, str(task.get(fc.WORKLOAD) or ""), where),
                          nqf_levels=_levels(str(task.get(NQF_LEVELS) or ""), where),
                          duplicate_ids=str(task.get(DUPLICATES) or "").split())


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
        labels, drivers, facets = _split_choices(obj[key], where)

        def field(name: str, obj: dict[str, Any] = obj, meta: dict[str, Any] = meta) -> str:
            return str(obj.get(name, meta.get(name, "")) or "")

        dupes = obj.get(DUPLICATES, meta.get(DUPLICATES)) or []
        out.append(FileAnnotation(sid, labels, drivers, where, field("annotator") or field("user"), field("text"),
                                  field("context_before"), field("context_after"),
                                  facets=_with_workload(facets, field(fc.WORKLOAD), where),
                                  nqf_levels=_levels(field(NQF_LEVELS), where),
                                  duplicate_ids=[str(d) for d in (dupes.split() if isinstance(dupes, str) else dupes)]))
    return out


def _check_header(header: list[str]) -> list[str]:
    """The facet columns of a CSV header; a column mctext does not know is refused, named,
    with the nearest codebook spelling."""
    if "segment_id" not in header:
        raise AnnotationFileError("row 1 (line 1): not a recognised annotation file (no 'segment_id' column; "
                                  "Label Studio JSON, doccano JSONL or mctext CSV expected)")
    known = {*CSV_INFO_COLUMNS, *CSV_OPTIONAL_COLUMNS, *LABELS, *DRIVER_COLUMNS}
    facet_columns = []
    for h in header:
        if h in known:
            continue
        if h.partition(fc.SEP)[0] in FACETS:
            fc.parse_flat(h, "row 1 (line 1)")
            facet_columns.append(h)
            continue
        if h.startswith(DRIVER_PREFIX):
            raise AnnotationFileError(f"row 1 (line 1): unknown driver type column {h!r}"
                                      f"{fc.did_you_mean(h, DRIVER_COLUMNS)}")
        other = (*CSV_INFO_COLUMNS, *CSV_OPTIONAL_COLUMNS)
        match = fc.closest(h, [*LABELS, *DRIVER_COLUMNS, *fc.known_flat(), *other])
        if match is None:
            raise AnnotationFileError(f"row 1 (line 1): column {h!r} is not a codebook label nor a column mctext "
                                      f"writes (labels: {', '.join(LABELS)}; other columns: {', '.join(other)})")
        what = "a column mctext writes" if match in other else "a codebook label"
        raise AnnotationFileError(f"row 1 (line 1): column {h!r} is not {what}: did you mean {match!r}?")
    missing = [lab for lab in LABELS if lab not in header]
    if missing:
        raise AnnotationFileError(f"row 1 (line 1): missing label column(s) {', '.join(missing)}")
    return facet_columns


def _parse_csv(text: str) -> list[FileAnnotation]:
    """Rows of the mctext CSV. Errors name the record as a spreadsheet numbers it (the header is
    row 1) and the physical line it starts on (cells may hold line breaks)."""
    first_line = text.split("\n", 1)[0]
    try:  # only the delimiter is guessed (a spreadsheet's locale may write ";"); quoting stays
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter  # Excel's: "" inside a quoted cell
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    facet_columns = _check_header(header)
    col = {h: i for i, h in enumerate(header)}
    out = []
    line = reader.line_num
    for row_number, cells in enumerate(reader, start=2):
        start_line, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        where = f"row {row_number} (line {start_line})"
        if len(cells) != len(header):
            raise AnnotationFileError(f"{where}: {len(cells)} cells, the header has {len(header)}")
        sid = _segment_id(cells[col["segment_id"]], where)
        where = f"{where} (segment {sid})"
        chosen, blank = [], []
        for name in (*LABELS, *[d for d in DRIVER_COLUMNS if d in col], *facet_columns):
            cell = cells[col[name]].strip()
            if cell == "":
                blank.append(name)
            elif cell not in ("0", "1"):
                raise AnnotationFileError(f"{where}: column {name!r} is {cell!r}; write 0 or 1")
            elif cell == "1":
                chosen.append(name)
        labels, drivers, facets = _split_choices(chosen, where)

        def field(name: str, cells: list[str] = cells) -> str:
            return cells[col[name]] if name in col else ""

        out.append(FileAnnotation(sid, labels, drivers, where, field("annotator").strip(), field("text"),
                                  field("context_before"), field("context_after"),
                                  facets=_with_workload(facets, field(fc.WORKLOAD), where)
                                  if facet_columns or fc.WORKLOAD in col else None,
                                  nqf_levels=_levels(field(NQF_LEVELS), where),
                                  undecided=[b for b in blank if b in LABELS or b in DRIVER_COLUMNS],
                                  duplicate_ids=field(DUPLICATES).split()))
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
