"""The HTML report: one self-contained file a researcher opens offline.

Everything (CSS, JS, the SVG legend, the data) is inline, so the file works from a
USB stick with no network. Every piece of document text goes through ``html.escape``
and the embedded JSON has ``<``, ``>`` and ``&`` escaped, so a document that contains
``<script>`` shows it as text. The "generated on" date comes from SOURCE_DATE_EPOCH
when set, so two runs over the same inputs give the same bytes.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mctext.codebook import LABELS, country_prefix, facet_values, load_codebook
from mctext.evidence import FACT_SHEET_HELP, Tables, is_country
from mctext.records import DOC_INCOMPLETE
from mctext.schemas import FACT_SHEET_LINKS

TITLE = "mctext: micro-credentials evidence report"
# Countries whose own documents have fewer segments are shown but do not set the top of
# the colour scale, and are marked.
MIN_SEGMENTS_FOR_SCALE = 20


def e(value: object) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element (no "</script>", no "<!--")."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def generated_on() -> str:
    """UTC timestamp of the run; SOURCE_DATE_EPOCH (reproducible builds) wins when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@dataclass
class ReportMeta:
    """What the methods note states about the run."""

    corpus: str
    generated: str = field(default_factory=generated_on)
    model_versions: list[str] = field(default_factory=list)
    corpus_href: str = ""  # the corpus folder as a URL relative to the report ("" : no links)


def _where(file: str, page: int, page_first: bool = False) -> str:
    return f"p. {int(page)} ({file})" if page_first else f"{file}, p. {int(page)}"


def source_link(file: str, page: int, corpus_href: str, text: str) -> str:
    """``text`` as a link to the document, at its page for a PDF (``FILE#page=N``), relative
    to the report; plain text when the corpus' place is unknown."""
    if not corpus_href:
        return e(text)
    href = f"{corpus_href.rstrip('/')}/{quote(file)}"
    if file.lower().endswith(".pdf"):
        href += f"#page={int(page)}"
    return f'<a href="{e(href)}">{e(text)}</a>'


def label_title(label: str) -> str:
    return str(load_codebook()["labels"][label].get("title", label))


def _cells(tables: Tables) -> dict[str, dict[str, dict[str, int]]]:
    """country -> lang -> {"segments": n, label: n} over own documents (as the heatmap):
    what the language filter recounts."""
    cells: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for seg in tables.segments.itertuples(index=False):
        if is_country(seg.doc_country):
            bucket = cells[seg.doc_country][seg.lang or "?"]
            bucket["segments"] = bucket.get("segments", 0) + 1
            for label in seg.labels:
                bucket[label] = bucket.get(label, 0) + 1
    return {c: {lang: dict(sorted(v.items())) for lang, v in sorted(by.items())}
            for c, by in sorted(cells.items())}


def _colour(share: float, max_share: float) -> tuple[str, str]:
    """Same scale as the page's script: white to dark blue on sqrt(share / max)."""
    t = min(1.0, math.sqrt(share / max_share)) if max_share > 0 else 0.0
    rgb = [round(f + (to - f) * t) for f, to in zip((255, 255, 255), (8, 48, 107), strict=True)]
    return f"rgb({rgb[0]},{rgb[1]},{rgb[2]})", "#fff" if t > 0.55 else "#1d2330"


def _scale_max(summary: list[dict[str, Any]]) -> float:
    """Top of the colour scale: the largest share among countries with enough segments."""
    big = [row for row in summary if row["segments"] >= MIN_SEGMENTS_FOR_SCALE] or summary
    return max((row[f"{label}_share"] for row in big for label in LABELS), default=0.0)


def _heatmap(summary: list[dict[str, Any]]) -> tuple[str, str]:
    max_share = _scale_max(summary)
    head = "".join(f'<th data-label="{e(label)}" scope="col">{e(label_title(label))}</th>'
                   for label in LABELS)
    body = []
    for row in summary:
        country = row["country"]
        cells = []
        for label in LABELS:
            share, n = row[f"{label}_share"], row[f"{label}_segments"]
            bg, fg = _colour(share, max_share)
            cells.append(f'<td data-country="{e(country)}" data-label="{e(label)}" '
                         f'style="background:{bg};color:{fg}">{share * 100:.1f}%'
                         f"<small>{n} seg.</small></td>")
        few = row["segments"] < MIN_SEGMENTS_FOR_SCALE
        mark = f'<span class="few" title="fewer than {MIN_SEGMENTS_FOR_SCALE} segments">\u2020</span>'
        body.append(f'<tr><th class="country" scope="row"><a href="#country-{e(country)}">'
                    f"{e(row['country_name'])} ({e(country)})</a>{mark if few else ''}</th>"
                    f"{''.join(cells)}</tr>")
    table = (f'<table id="heatmap"><thead><tr><th class="country">Country</th>{head}</tr></thead>'
             f"<tbody>{''.join(body)}</tbody></table>")
    return table, f"{max_share * 100:.1f}%"


def _matrix(summary: list[dict[str, Any]]) -> str:
    """The first screen: country x dimension, none / mentioned / linked (micro-credentials: their
    strength; drivers: the main types), with the number of own documents behind each cell."""
    head = ["Micro-credentials", *[label_title(link) for link in FACT_SHEET_LINKS], "Drivers"]
    rows = []
    for row in summary:
        cells = [(f'{row["fs_microcredentials_strength"] if row["fs_microcredentials"] else "none"}',
                  row["microcredential_documents"], row["fs_microcredentials_basis"])]
        cells += [(row[f"fs_{link}_link"], row[f"{link}_documents"], row[f"fs_{link}_basis"])
                  for link in FACT_SHEET_LINKS]
        cells.append((row["fs_main_drivers"].replace("_", " ") or "none", row["driver_documents"],
                       row["fs_drivers_basis"]))
        tds = "".join(
            f'<td class="v-{e(str(value).split(",")[0].split(" ")[0])}" title="{e(basis)}" '
            f'data-sort="{e(value)}">{e(value)}<small>{_n(int(docs), "document")}</small></td>'
            for value, docs, basis in cells)
        rows.append(f'<tr data-country="{e(row["country"])}"><th class="country" data-sort="{e(row["country_name"])}">'
                    f'<a href="#country-{e(row["country"])}">{e(row["country_name"])} ({e(row["country"])})'
                    f'</a></th>{tds}</tr>')
    if not rows:
        return '<p class="none">No country has documents of its own in this corpus.</p>'
    ths = "".join(f'<th><button type="button" data-col="{i + 1}">{e(h)}</button></th>' for i, h in enumerate(head))
    legend = "; ".join(f"{k}: {v}" for k, v in FACT_SHEET_HELP.items())
    return (f'<table id="matrix"><thead><tr><th><button type="button" data-col="0">Country</button></th>'
            f'{ths}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p class="sub">{e(legend)}. Micro-credentials: how strongly they are discussed; the '
            f"number under each value counts the country's own documents with such evidence; hover a "
            f"cell for the rule behind it. Click a column head to sort.</p>")


def _segment_facets(segments: Any) -> list[str]:
    """Each segment's facets in a line ("actors: employers; workload: 5 ECTS"), "" for none."""
    from mctext.facet_tables import FACET_COLUMNS

    columns = [c for c in FACET_COLUMNS if c in segments.columns and c != "actor_roles"]
    if not columns:
        return [""] * len(segments)
    lines = []
    for values in zip(*(segments[c].tolist() for c in columns), strict=True):
        parts = []
        for column, value in zip(columns, values, strict=True):
            items = list(value) if value is not None else []
            if column == "workload":
                items = [f'{float(w["value"]):g} {w["unit"]}' for w in items]
            if items:
                parts.append(f"{column}: {', '.join(str(i) for i in items)}")
        lines.append("; ".join(parts))
    return lines


def _documents(tables: Tables, corpus_href: str) -> str:
    """A per-document view: each document's labelled segments (and those with facets) in
    reading order, with the cue that fired, the facets and the section path, so a reader can
    check a label in context."""
    seg = tables.segments
    if seg.empty:
        return '<p class="none">No segments.</p>'
    facets = _segment_facets(seg)
    shown = [len(v) > 0 or bool(f) for v, f in zip(seg["labels"], facets, strict=True)]
    labelled = seg.assign(_facets=facets)[shown].sort_values(["doc_id", "page", "char_start"], kind="stable")
    by_doc: dict[str, list[str]] = defaultdict(list)
    for r in labelled.to_dict("records"):
        cues = "; ".join(f'{c["label"]}: {c["cue"]} "{c["text"]}"' for c in list(r["cues"]))
        context = f'<span class="ctx">{e(r["context"])}</span> ' if r.get("context") else ""
        facet_line = f'<span class="facets">facets: {e(r["_facets"])}</span>' if r["_facets"] else ""
        by_doc[r["doc_id"]].append(
            f'<li id="seg-{e(r["segment_id"])}"><span class="where">p. {int(r["page"])}'
            f'{" &middot; " + e(r["section"]) if r["section"] else ""} &middot; {e(r["kind"])}</span>'
            f'<span class="labels">{e(", ".join(label_title(lab) for lab in r["labels"]))}</span>'
            f'<p>{context}{e(r["text"])}</p>{facet_line}<span class="cues">{e(cues or "no cue: the trained model")}'
            f' &middot; labels by: {e("annotators" if r["label_source"] == "human" else "mctext")}</span></li>')
    parts = []
    for d in tables.documents.sort_values("file", kind="stable").to_dict("records"):
        items = by_doc.get(d["doc_id"], [])
        title = f'{d["file"]}: {d["title"]}' if d["title"] else d["file"]
        link = source_link(d["file"], 1, corpus_href, "open the document")
        parts.append(f'<details class="doc" id="doc-{e(d["doc_id"])}"><summary>{e(title)} '
                     f'<small>({e(d["country"])}, {e(d["language"])}; {_n(len(items), "labelled segment")})</small>'
                     f'</summary><p class="sub">{link}</p><ol>{"".join(items)}</ol></details>')
    return "".join(parts)


def _levels_text(levels: list[dict[str, Any]]) -> str:
    by_framework: dict[str, list[int]] = defaultdict(list)
    for level in levels:
        by_framework[str(level["framework"])].append(int(level["level"]))
    return "; ".join(f"{fw} {', '.join(str(lv) for lv in lvs)}" for fw, lvs in by_framework.items())


def _charts(row: dict[str, Any]) -> str:
    """Two small charts in a card: driver types by segments, and NQF levels by framework
    (a row per framework, a box per level, filled where the country's documents name it)."""
    drivers = list(row["top_driver_types"])
    most = max((int(d["segments"]) for d in drivers), default=0)
    bars = "".join(
        f'<div class="bar"><span>{e(str(d["type"]).replace("_", " "))}</span>'
        f'<i style="width:{round(100 * int(d["segments"]) / most)}%"></i><b>{int(d["segments"])}</b></div>'
        for d in drivers) or '<p class="none">No driver stated.</p>'
    by_framework: dict[str, set[int]] = defaultdict(set)
    for level in list(row["nqf_levels"]):
        by_framework[str(level["framework"])].add(int(level["level"]))
    top = max([8, *(n for levels in by_framework.values() for n in levels)])
    grid = "".join(
        f'<div class="levels"><span>{e(fw)}</span>'
        + "".join(f'<i class="{"on" if n in levels else ""}" title="{e(fw)} {n}">{n}</i>' for n in range(1, top + 1))
        + "</div>" for fw, levels in sorted(by_framework.items())) or '<p class="none">No level named.</p>'
    return (f'<div class="charts"><figure><figcaption>Drivers (segments)</figcaption>{bars}</figure>'
            f'<figure><figcaption>NQF / EQF levels named</figcaption>{grid}</figure></div>')


def _fact(name: str, value: str, quote: str, basis: str = "", hint: str = "") -> str:
    title = f' title="{e(hint)}"' if hint else ""
    b = f'<span class="basis">{e(basis)}</span>' if basis else ""
    q = f'<span class="q">{e(quote)}</span>' if quote else ""
    return (f'<tr><th scope="row">{e(name)}</th><td><span class="value"{title}>{e(value)}</span>'
            f"{b}{q}</td></tr>")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _elsewhere(country: str, mentions: list[dict[str, Any]],
               note: str = "Not counted in the fact sheet above.", corpus_href: str = "") -> str:
    """The "seen from elsewhere" part of a card: other countries' documents on this country,
    one line per mentioning document, kept apart from the fact sheet (never counted in it)."""
    if not mentions:
        return ""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in mentions:
        by_doc[m["doc_id"]].append(m)
    items = []
    for rows in by_doc.values():
        first = rows[0]
        best = max(rows, key=lambda r: (r["named_segments"] > 0, float(r["score"])))
        labels = ", ".join(f"{label_title(r['label'])} ({r['segments']})" for r in rows)
        items.append(
            f'<li><span class="from">{e(first["doc_country"])}</span> {e(first["doc_title"])}: '
            f'{e(labels)}<blockquote>{e(best["quote"])}<cite>'
            f'{source_link(first["file"], best["page"], corpus_href, _where(first["file"], best["page"]))}'
            f'</cite></blockquote></li>')
    docs = _n(len(by_doc), "document")
    return (f'<section class="elsewhere" aria-label="Seen from elsewhere"><h3>Seen from elsewhere: '
            f"{docs} of other countries on {e(country)}</h3>"
            f'<p class="none">{e(note)}</p><ul>{"".join(items)}</ul>'
            f"</section>")


DocMeta = dict[str, tuple[str, str]]  # file -> (doc_type, year), what the quote filters read


def _doc_meta(documents: Any) -> DocMeta:
    return {f: (str(t or ""), "" if y is None or y != y else str(int(y)))
            for f, t, y in zip(documents["file"], documents["doc_type"], documents["year"], strict=True)}


def _doc_attrs(file: str, doc_meta: DocMeta) -> str:
    doc_type, year = doc_meta.get(file, ("", ""))
    return f'data-doctype="{e(doc_type)}" data-year="{e(year)}"'


def _card(row: dict[str, Any], group: str, mentions: list[dict[str, Any]], corpus_href: str = "",
          doc_meta: DocMeta | None = None, facets: _FacetContext | None = None) -> str:
    country = row["country"]
    name = f'{row["country_name"]} ({country})'
    mc = row["fs_microcredentials_strength"]
    facts = [_fact("Micro-credentials discussed",
                   f"yes ({mc})" if row["fs_microcredentials"] else "no",
                   row["fs_microcredentials_quote"], row["fs_microcredentials_basis"])]
    for link in FACT_SHEET_LINKS:
        value = row[f"fs_{link}_link"]
        facts.append(_fact(f"{label_title(link)} link", value, row[f"fs_{link}_quote"],
                           row[f"fs_{link}_basis"], FACT_SHEET_HELP.get(value, "")))
    facts.append(_fact("Main drivers", row["fs_main_drivers"].replace("_", " ") or "none found",
                       row["fs_drivers_quote"], row["fs_drivers_basis"]))
    facts.append(_fact("NQF levels mentioned", _levels_text(list(row["nqf_levels"])) or "none", ""))
    blocks = []
    for label in LABELS:
        quotes = list(row[f"{label}_quotes"])
        items = "".join(
            f'<blockquote data-lang="{e(q["lang"])}" {_doc_attrs(q["file"], doc_meta or {})}>{e(q["quote"])}'
            f'<cite><a href="#seg-{e(q["segment_id"])}" class="in-context">{e(q["doc_title"])}</a>, '
            f'{source_link(q["file"], q["page"], corpus_href, _where(q["file"], q["page"], page_first=True))}'
            f' ({e(q["source"])}, score {float(q["score"]):.2f})</cite></blockquote>' for q in quotes)
        if not quotes:
            items = '<p class="none">No evidence.</p>'
        else:
            items += '<p class="none filtered-out hidden">No quote in this language.</p>'
        blocks.append(
            f'<div class="label-block" data-label="{e(label)}"><h3>{e(label_title(label))}: '
            f'{_n(row[f"{label}_segments"], "segment")} in '
            f'{_n(row[f"{label}_documents"], "document")}</h3>'
            f"{items}</div>")
    return (f'<article class="panel card" id="country-{e(country)}" data-country="{e(country)}" '
            f'data-group="{group}"><h2>{e(name)}</h2>'
            f'<p class="counts">{_n(row["documents"], "own document")}, '
            f'{_n(row["segments"], "segment")}</p>'
            f'<table class="facts">{"".join(facts)}</table>{_charts(row)}'
            f'{_profile(country, facets) if facets else ""}{"".join(blocks)}'
            f"{_elsewhere(country, mentions, corpus_href=corpus_href)}</article>")


def _mention_card(country: str, mentions: list[dict[str, Any]], corpus_href: str = "") -> str:
    from mctext.classify.countries import COUNTRY_NAMES

    name = f"{COUNTRY_NAMES.get(country, country)} ({country})"
    return (f'<article class="panel card" id="country-{e(country)}" data-country="{e(country)}" '
            f'data-group="named"><h2>{e(name)}</h2><p class="counts">no documents of its own</p>'
            f"{_elsewhere(country, mentions, 'No fact sheet: the corpus has no document of its own.', corpus_href)}"
            f"</article>")


def _cards(summary: list[dict[str, Any]], mentions: list[dict[str, Any]], corpus_href: str = "",
           doc_meta: DocMeta | None = None, facets: _FacetContext | None = None) -> str:
    """Countries with documents of their own first; countries only seen from other
    countries' documents after them, under their own heading."""
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in mentions:
        by_country[m["country"]].append(m)
    home = {row["country"] for row in summary}
    html_parts = [_card(row, "home", by_country[row["country"]], corpus_href, doc_meta, facets)
                  for row in summary]
    named = sorted(set(by_country) - home)
    if named:
        html_parts.append('<h2 class="group" id="named-in-passing">Countries without documents '
                          "of their own, seen from other countries' documents</h2>")
        html_parts += [_mention_card(country, by_country[country], corpus_href) for country in named]
    return "\n".join(html_parts) or '<p class="none">No countries.</p>'


# --- facets (codebook v1.2): the profile blocks, the actor and sector heatmaps, the links ---

FACET_HEATMAPS = (("actors", "actors_by_country", "actor", "Who is involved: actors by country"),
                  ("sectors", "sectors_by_country", "sector", "Sectors by country"))
ROLE_NAMES = {"values_trusts": "values / trusts"}


def facet_name(facet: str, value: str) -> str:
    """A facet value as the report shows it: an international reference by its codebook
    description when that is short (``ECTS or ECVET``), another country by its code,
    anything else by its codebook name with spaces."""
    short = 3  # ict, qa, eu: abbreviations, shown in capitals
    if facet == "international":
        if value.startswith(country_prefix()):
            return value[len(country_prefix()):]
        meaning = str(load_codebook()["facets"]["international"]["values"].get(value, "")).rstrip(".")
        meaning = meaning.removeprefix("The ")
        if meaning and len(meaning.split()) <= 4:
            return meaning
        short = 4  # ehea
    words = [w.upper() if len(w) <= short else w for w in value.split("_")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def facet_hint(facet: str, value: str) -> str:
    meaning = load_codebook()["facets"].get(facet, {}).get("values", {}).get(value, "")
    return f"{facet} {value}: {meaning}" if meaning else f"{facet} {value}"


def pf_id(country: str, facet: str, value: str) -> str:
    """The id of a profile item: what heatmap cells, the link table and the graph lead to."""
    return "pf-" + re.sub(r"[^A-Za-z0-9_-]", "-", f"{country}-{facet}-{value}")


def _facet_quote(q: dict[str, Any], corpus_href: str, doc_meta: DocMeta) -> str:
    return (f'<blockquote data-lang="{e(q["lang"])}" {_doc_attrs(q["file"], doc_meta)}>{e(q["quote"])}'
            f'<cite><a href="#seg-{e(q["segment_id"])}" class="in-context">{e(q["doc_title"])}</a>, '
            f'{source_link(q["file"], q["page"], corpus_href, _where(q["file"], q["page"], page_first=True))}'
            f"</cite></blockquote>")


def _pf_item(country: str, facet: str, value: str, label: str, counts: dict[str, Any],
             quotes: list[dict[str, Any]], ctx: _FacetContext, note: str = "") -> str:
    """One profile value: a chip with its count that opens on the quotes behind it."""
    n_seg, n_doc = int(counts["segments"]), int(counts["documents"])
    more = n_seg - len(quotes)
    extra = (f'<p class="none">and {_n(more, "more segment")} (segment_ids in the table)</p>'
             if more > 0 else "")
    return (f'<details class="pf" id="{e(pf_id(country, facet, value))}" data-facet="{e(facet)}">'
            f'<summary title="{e(facet_hint(facet, value))}">{e(label)} <b>{n_seg}</b></summary>'
            f'<p class="sub">{e(_n(n_seg, "segment"))} in {e(_n(n_doc, "document"))}'
            f'{"; " + e(note) if note else ""}</p>'
            f'{"".join(_facet_quote(q, ctx.corpus_href, ctx.doc_meta) for q in quotes)}{extra}</details>')


@dataclass
class _FacetContext:
    """What the profile blocks read: the facet tables by country, and the segments behind
    a profile value (its quotes are chosen as the tables choose theirs)."""

    profiles: dict[str, dict[str, Any]]
    by_country: dict[str, dict[str, list[dict[str, Any]]]]  # facet table -> country -> rows
    segments: dict[str, dict[str, Any]]
    corpus_href: str = ""
    doc_meta: DocMeta = field(default_factory=dict)

    def quotes(self, ids: Any) -> list[dict[str, Any]]:
        from mctext.facet_tables import quotes

        return quotes(self.segments[i] for i in list(ids) if i in self.segments)


def _facet_context(tables: Tables, corpus_href: str, doc_meta: DocMeta) -> _FacetContext:
    profiles = {row["country"]: row for row in tables.mc_profiles.to_dict("records")}
    wanted = {i for row in profiles.values() for col in ("elements", "workloads", "levels",
                                                         "participation_forms")
              for item in list(row[col]) for i in list(item["segment_ids"])}
    first = {}
    for doc_id, file, title in zip(tables.documents["doc_id"], tables.documents["file"],
                                   tables.documents["title"], strict=True):
        first.setdefault(doc_id, (file, title or file))
    segments = {}
    seg = tables.segments
    for sid, doc_id, page, start, text, lang in zip(seg["segment_id"], seg["doc_id"], seg["page"],
                                                    seg["char_start"], seg["text"], seg["lang"], strict=True):
        if sid in wanted:
            file, title = first.get(doc_id, ("", ""))
            segments[sid] = {"segment_id": sid, "doc_id": doc_id, "file": file, "doc_title": title,
                             "page": int(page), "char_start": int(start), "text": text, "lang": lang}
    by_country: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name in ("actors_by_country", "sectors_by_country", "international_links"):
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in getattr(tables, name).to_dict("records"):
            grouped[row["country"]].append(row)
        by_country[name] = grouped
    return _FacetContext(profiles, by_country, segments, corpus_href, doc_meta)


def _pf_row(title: str, items: list[str], empty: str = "none stated") -> str:
    body = " ".join(items) or f'<span class="none">{e(empty)}</span>'
    return f'<tr><th scope="row">{e(title)}</th><td>{body}</td></tr>'


def _profile(country: str, ctx: _FacetContext) -> str:
    """A card's profile block: what its micro-credentials look like (the EU standard's
    elements, with workloads, levels and forms), who is involved, sectors, international
    references; every value with its count and the quotes behind it."""
    profile = ctx.profiles.get(country)
    if profile is None:
        return ""

    def item(facet: str, value: str, label: str, counts: dict[str, Any], note: str = "",
             quotes: list[dict[str, Any]] | None = None) -> str:
        found = quotes if quotes is not None else ctx.quotes(counts["segment_ids"])
        return _pf_item(country, facet, value, label, counts, found, ctx, note)

    elements = [item("mc_elements", el["value"], facet_name("mc_elements", el["value"]), el)
                for el in list(profile["elements"])]
    workloads = [item("workload", f'{float(w["value"]):g}-{w["unit"]}', f'{float(w["value"]):g} {w["unit"]}', w)
                 for w in list(profile["workloads"])]
    levels = [item("level", f'{lv["framework"]}-{int(lv["level"])}', f'{lv["framework"]} {int(lv["level"])}', lv)
              for lv in list(profile["levels"])]
    forms = [item("participation_form", f["value"], facet_name("participation_form", f["value"]), f)
             for f in list(profile["participation_forms"])]
    actors = [item("actors", r["actor"], facet_name("actors", r["actor"]), r,
                   ", ".join(f'{ROLE_NAMES.get(x["role"], x["role"])} {int(x["segments"])}' for x in list(r["roles"])),
                   list(r["quotes"]))
              for r in ctx.by_country["actors_by_country"].get(country, [])]
    sectors = [item("sectors", r["sector"], facet_name("sectors", r["sector"]), r, quotes=list(r["quotes"]))
               for r in ctx.by_country["sectors_by_country"].get(country, [])]
    refs = [item("international", r["reference"],
                 ("\u2192 " if r["kind"] == "country" else "") + facet_name("international", r["reference"]),
                 r, r["kind"].replace("_", " "), list(r["quotes"]))
            for r in ctx.by_country["international_links"].get(country, [])]
    rows = [_pf_row("Elements of the EU standard", elements),
            _pf_row("Workloads", workloads, "no value stated"), _pf_row("Levels", levels, "none named"),
            _pf_row("Forms of participation", forms, "no form stated"), _pf_row("Who is involved", actors),
            _pf_row("Sectors", sectors, "none named"), _pf_row("International references", refs)]
    return (f'<section class="profile" aria-label="Profile"><h3>Profile: what its micro-credentials '
            f"look like, who is involved</h3><p class=\"sub\">{_n(int(profile['segments']), 'segment')} "
            f"of its own documents state an element of the EU standard (Council Recommendation of 16 June "
            f"2022, Annex I)</p>"
            f'<table class="pf-table">{"".join(rows)}</table>'
            f'<p class="none">From own documents (body text, list items, table rows, footnotes); '
            f"click a value for the quotes behind it.</p></section>")


def _facet_heatmap(facet: str, table: str, column: str, title: str, summary: list[dict[str, Any]],
                   ctx: _FacetContext) -> str:
    """Country x facet value: segments of the country's own documents, coloured by their
    share of its segments (as the label heatmap), each cell leading to its quotes."""
    values = list(facet_values(facet))
    cells = {(r["country"], r[column]): r for rows in ctx.by_country[table].values() for r in rows}
    own_segments = {s["country"]: int(s["segments"]) for s in summary}
    share = {key: int(r["segments"]) / max(1, own_segments.get(key[0], 1)) for key, r in cells.items()}
    big = {s["country"] for s in summary if s["segments"] >= MIN_SEGMENTS_FOR_SCALE}
    top = max((v for (c, _), v in share.items() if c in big), default=0.0) or max(share.values(), default=0.0)
    head = "".join(f'<th scope="col" class="v" title="{e(facet_hint(facet, v))}"><span>{e(facet_name(facet, v))}</span></th>'
                   for v in values)
    body = []
    for row in summary:
        country = row["country"]
        tds = []
        for v in values:
            r = cells.get((country, v))
            if r is None:
                tds.append('<td class="zero">\u00b7</td>')
                continue
            bg, fg = _colour(share[country, v], top)
            tds.append(f'<td style="background:{bg};color:{fg}" title="{e(_n(int(r["segments"]), "segment"))} in '
                       f'{e(_n(int(r["documents"]), "document"))}"><a href="#{e(pf_id(country, facet, v))}">'
                       f'{int(r["segments"])}</a><small>{e(_n(int(r["documents"]), "doc"))}</small></td>')
        body.append(f'<tr data-country="{e(country)}"><th class="country" scope="row">'
                    f'<a href="#country-{e(country)}">{e(row["country_name"])} ({e(country)})</a></th>'
                    f'{"".join(tds)}</tr>')
    return (f'<div class="facet-block"><h3>{e(title)}</h3><div class="scroll">'
            f'<table class="facet-heatmap" id="{e(facet)}-heatmap"><thead><tr><th class="country">Country</th>{head}'
            f'</tr></thead><tbody>{"".join(body)}</tbody></table></div></div>')


def _links_table(summary: list[dict[str, Any]], ctx: _FacetContext) -> str:
    """Per citing country, the references its own documents make, grouped by kind."""
    kinds = ["eu_instrument", "organisation", "standard", "country"]
    rows = []
    for row in summary:
        links = ctx.by_country["international_links"].get(row["country"], [])
        if not links:
            continue
        cells = []
        for kind in kinds:
            chips = " ".join(
                f'<a class="chip" href="#{e(pf_id(row["country"], "international", r["reference"]))}" '
                f'title="{e(facet_hint("international", r["reference"]))}: {e(_n(int(r["segments"]), "segment"))} in '
                f'{e(_n(int(r["documents"]), "document"))}">{e(facet_name("international", r["reference"]))} '
                f'<b>{int(r["segments"])}</b></a>' for r in links if r["kind"] == kind)
            cells.append(f"<td>{chips}</td>")
        rows.append(f'<tr data-country="{e(row["country"])}"><th class="country" scope="row">'
                    f'<a href="#country-{e(row["country"])}">{e(row["country_name"])} ({e(row["country"])})</a></th>'
                    f'{"".join(cells)}</tr>')
    if not rows:
        return '<p class="none">No international reference in any country\'s own documents.</p>'
    head = "".join(f"<th>{e(k)}</th>" for k in ("EU instruments", "International organisations",
                                                 "Technical standards", "Other countries cited"))
    return (f'<table id="links-table"><thead><tr><th class="country">Country</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def links_graph(links: list[dict[str, Any]], own: set[str]) -> str:
    """Which countries' documents cite which other countries, as a small inline SVG: the
    countries on a circle, an arrow from the citing country to the cited one, its width
    growing with the segments behind it. Drawn here, so the page fetches nothing."""
    edges = [(r["country"], r["cited_country"], int(r["segments"]), int(r["documents"]))
             for r in links if r["kind"] == "country" and r["cited_country"]]
    if not edges:
        return '<p class="none">No country\'s documents cite another country as an example or model.</p>'
    nodes = sorted({c for a, b, _, _ in edges for c in (a, b)}, key=lambda c: (c != "EU", c))
    node_r = 15
    radius = min(260, max(110, 10 * len(nodes)))  # room for every node on the circle
    size = 2 * radius + 2 * node_r + 30
    centre = size / 2
    pos = {c: (centre + radius * math.sin(2 * math.pi * i / len(nodes)),
               centre - radius * math.cos(2 * math.pi * i / len(nodes))) for i, c in enumerate(nodes)}
    most = max(n for _, _, n, _ in edges)
    parts = []
    for a, b, n, docs in sorted(edges):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        # Start and end on the node circles; bend to the right, so A->B and B->A stay apart.
        sx, sy, ex, ey = x1 + ux * node_r, y1 + uy * node_r, x2 - ux * (node_r + 3), y2 - uy * (node_r + 3)
        bend = 0.12 * length
        cx, cy = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
        width = 1.2 + 3.3 * math.sqrt(n / most)
        parts.append(f'<a href="#{e(pf_id(a, "international", country_prefix() + b))}"><path class="edge" '
                     f'd="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" stroke-width="{width:.1f}" '
                     f'marker-end="url(#arrow)"><title>{e(a)} cites {e(b)}: {e(_n(n, "segment"))} in '
                     f'{e(_n(docs, "document"))}</title></path></a>')
    for c in nodes:
        x, y = pos[c]
        cls = "own" if c in own else "cited"
        parts.append(f'<g class="node {cls}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{node_r}"/>'
                     f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">{e(c)}</text></g>')
    caption = ("Countries citing other countries (arrow: from the citing country's documents to the "
               "country cited; filled: a country with documents of its own; hover an arrow for its "
               "count, click it for the quotes)")
    return (f'<figure class="graph"><figcaption>{e(caption)}</figcaption><svg id="links-graph" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" '
            f'aria-label="Countries citing other countries"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" '
            f'refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="#6b7a90"/></marker></defs>{"".join(parts)}</svg></figure>')


def _facets_panel(summary: list[dict[str, Any]], ctx: _FacetContext, links: list[dict[str, Any]]) -> str:
    if not summary:
        return ""
    heatmaps = "".join(_facet_heatmap(f, t, c, title, summary, ctx) for f, t, c, title in FACET_HEATMAPS)
    own = {row["country"] for row in summary}
    return (f'<section class="panel" id="facets-panel"><h2>Who is involved, in which sectors, '
            f"under which international references</h2>"
            f'<p class="sub">From each country\'s own documents (body text, list items, table rows, footnotes), as the '
            f"codebook's facets: a cell counts the segments naming the actor or sector (documents below), "
            f"coloured by their share of the country's segments; click it for the quotes. A country a document "
            f"cites counts for the citing document's country, never for the country cited.</p>"
            f'<div class="facet-heatmaps">{heatmaps}</div>'
            f'<div class="facet-block" id="links-panel"><h3>International references</h3>'
            f"{_links_table(summary, ctx)}{links_graph(links, own)}</div>"
            f"</section>")


def _failures(tables: Tables) -> str:
    if tables.failures.empty:
        return ""
    rows = "".join(f"<tr><td>{e(r.file)}</td><td>{e(r.stage)}</td><td>{e(r.reason)}</td></tr>"
                   for r in tables.failures.itertuples(index=False))
    return (f'<section class="panel" id="failures-panel"><h2>Documents that failed '
            f"({len(tables.failures)})</h2><table id=\"failures\"><thead><tr><th>File</th>"
            f"<th>Stage</th><th>Reason</th></tr></thead><tbody>{rows}</tbody></table></section>")


def _methods(tables: Tables, meta: ReportMeta) -> str:
    docs = tables.documents
    n_failed = int((docs["status"] == "failed").sum()) if len(docs) else 0
    n_incomplete = int((docs["status"] == DOC_INCOMPLETE).sum()) if len(docs) else 0
    no_country = int(sum(1 for c in tables.segments["doc_country"] if not is_country(c)))
    items = [
        ("Corpus", meta.corpus),
        ("Documents", f"{len(docs)} ({len(docs) - n_failed} processed, {n_failed} failed, "
                      f"{n_incomplete} incomplete: pages left unread, see the failures table)"),
        ("Segments", f"{len(tables.segments)} ({no_country} in documents of no country)"),
        ("Evidence rows", str(len(tables.evidence))),
        ("Model version", ", ".join(meta.model_versions) or "unknown"),
        ("Codebook", f"v{load_codebook().get('version', '?')}"),
        ("Country attribution",
         "a document's country (MANIFEST.csv, else inferred; EU for EU-level documents) decides "
         "whose evidence it is: fact sheets, heatmap and counts use a country's own documents "
         "only. What other countries' documents say about it (segments naming it, or under a "
         "heading naming it) is shown apart as \"seen from elsewhere\" (table country_mentions). "
         "Documents with no country (XX, e.g. global specifications) count for no country"),
        ("Fact sheets", "from quotable segments (body text and list items; headings, tables of "
                        "contents, code and table rows keep their labels but are never quoted); "
                        "each value states its counts and rule"),
        ("Evidence source", "rule: a codebook cue fired; model: the trained classifier alone; "
                            "human: a label from the annotation store"),
        ("Facets", "the codebook's facets of each segment (elements of the EU standard with "
                   "workloads and forms of participation, actors and their roles, sectors, "
                   "international references): profile blocks, the actor and sector heatmaps and "
                   "the international links count a country's own documents' body text, list "
                   "items, table rows and footnotes (tables mc_profiles, actors_by_country, sectors_by_country, "
                   "international_links); another country a document cites (country:XX) is a link "
                   "of the citing document's country, never evidence of the country cited"),
        ("Generated on", meta.generated),
    ]
    return "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in items)


def render_report(tables: Tables, meta: ReportMeta) -> str:
    """The report as one HTML string (deterministic for the same tables and meta)."""
    template = resources.files("mctext.report").joinpath("template.html").read_text("utf-8")
    summary = tables.country_summary.to_dict("records")
    heatmap, scale_max = _heatmap(summary)
    langs = sorted({lang for lang in tables.segments["lang"] if lang})
    doc_meta = _doc_meta(tables.documents)
    facets = _facet_context(tables, meta.corpus_href, doc_meta)
    doc_types = sorted({t for t, _ in doc_meta.values() if t})
    years = sorted({y for _, y in doc_meta.values() if y}, reverse=True)
    data = {"labels": list(LABELS), "cells": _cells(tables),
            "min_segments": MIN_SEGMENTS_FOR_SCALE}
    n_docs = len(tables.documents)
    parts = {
        "TITLE": e(TITLE),
        "SUBTITLE": e(f"{n_docs} documents, {len(summary)} countries, "
                      f"{len(tables.evidence)} evidence rows. Corpus: {meta.corpus}"),
        "LABEL_OPTIONS": "".join(f'<option value="{e(label)}">{e(label_title(label))}</option>'
                                 for label in LABELS),
        "LANG_OPTIONS": "".join(f'<option value="{e(lang)}">{e(lang)}</option>' for lang in langs),
        "COUNTRY_OPTIONS": "".join(f'<option value="{e(r["country"])}">{e(r["country_name"])} ({e(r["country"])})</option>'
                                   for r in summary),
        "DOCTYPE_OPTIONS": "".join(f'<option value="{e(t)}">{e(t)}</option>' for t in doc_types),
        "YEAR_OPTIONS": "".join(f'<option value="{e(y)}">{e(y)}</option>' for y in years),
        "HEATMAP": heatmap,
        "MATRIX": _matrix(summary),
        "DOCUMENTS": _documents(tables, meta.corpus_href),
        "SCALE_MAX": e(scale_max),
        "MIN_SEGMENTS": str(MIN_SEGMENTS_FOR_SCALE),
        "FACETS": _facets_panel(summary, facets, tables.international_links.to_dict("records")),
        "CARDS": _cards(summary, tables.country_mentions.to_dict("records"), meta.corpus_href, doc_meta,
                        facets),
        "FAILURES": _failures(tables),
        "METHODS": _methods(tables, meta),
        "GENERATED": e(meta.generated),
        "DATA": script_json(data),
    }
    # One pass: text substituted in is never scanned again, so a document that contains
    # "@@DATA@@" stays text.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], template)


def write_report(tables: Tables, meta: ReportMeta, path: str | Path) -> Path:
    from mctext.store import write_text

    return write_text(render_report(tables, meta), path)
