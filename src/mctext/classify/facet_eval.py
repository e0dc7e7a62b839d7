"""Scoring the study's facets (codebook v1.2 "Facets") against human facet labels.

- per facet (mc_elements, participation_form, actors, sectors, international): micro
  precision/recall/F1 over (segment, value) pairs, and P/R/F1 + support per value
  (``country:XX`` values of ``international`` are also pooled as ``country:*``);
- workload: (value, unit) pairs; ``exact_share`` = the share of the workloads the gold
  states that the prediction gives with the same number and unit (the issue's measure).

Gold rows keep facets nested (``{"facets": {"actors": [...], "workload": [{value, unit}]}}``,
the annotation formats); predictions may be nested the same way or flat, as in `mctext
classify` output (``{"actors": [...], "workload": [...]}``): ``facet_of`` reads both.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from mctext.classify.evaluate import _prf
from mctext.codebook import FACETS, load_codebook

WORKLOAD = "workload"
SET_FACETS: tuple[str, ...] = tuple(f for f in FACETS if f != WORKLOAD)


def _country_prefix() -> str:
    return str(load_codebook()["facets"]["international"].get("country_prefix", "country:"))


def facet_of(row: dict[str, Any], facet: str) -> list[Any]:
    """The values ``row`` gives for ``facet``, nested under "facets" or at the top level."""
    nested = row.get("facets")
    if isinstance(nested, dict) and facet in nested:
        return list(nested.get(facet) or [])
    value = row.get(facet)
    return list(value) if isinstance(value, list | tuple) else []


def _workloads(row: dict[str, Any]) -> set[tuple[float, str]]:
    out = set()
    for w in facet_of(row, WORKLOAD):
        value, unit = (w.get("value"), w.get("unit")) if isinstance(w, dict) else (getattr(w, "value", None), getattr(w, "unit", None))
        if value is not None and unit:
            out.add((round(float(value), 3), str(unit)))
    return out


def _value_table(pairs: Counter[tuple[str, str]]) -> dict[str, Any]:
    values = sorted({v for v, _ in pairs})
    table = {}
    for v in values:
        tp, fp, fn = pairs[(v, "tp")], pairs[(v, "fp")], pairs[(v, "fn")]
        table[v] = {**_prf(tp, fp, fn), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}
    return table


def score_facets(gold: list[dict], pred: list[dict]) -> dict[str, Any]:
    """Facet metrics for aligned gold and predicted rows; ``n_with_facets`` counts gold rows stating any."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    prefix = _country_prefix()
    out: dict[str, Any] = {"n": len(gold), "n_with_facets": sum(any(facet_of(g, f) for f in FACETS) for g in gold)}
    for facet in SET_FACETS:
        counts: Counter[tuple[str, str]] = Counter()
        for g, p in zip(gold, pred, strict=True):
            gs, ps = set(facet_of(g, facet)), set(facet_of(p, facet))
            for kind, values in (("tp", gs & ps), ("fp", ps - gs), ("fn", gs - ps)):
                for v in values:
                    counts[(v, kind)] += 1
                    if v.startswith(prefix):
                        counts[(prefix + "*", kind)] += 1
        tot = [sum(n for (v, k), n in counts.items() if k == kind and not v.endswith("*")) for kind in ("tp", "fp", "fn")]
        out[facet] = {**_prf(*tot), "support": tot[0] + tot[2], "values": _value_table(counts)}
    wl = [0, 0, 0]
    for g, p in zip(gold, pred, strict=True):
        gw, pw = _workloads(g), _workloads(p)
        wl = [wl[0] + len(gw & pw), wl[1] + len(pw - gw), wl[2] + len(gw - pw)]
    stated = wl[0] + wl[2]
    out[WORKLOAD] = {**_prf(*wl), "support": stated, "exact_share": round(wl[0] / stated, 4) if stated else None}
    return out


def format_facets(m: dict[str, Any]) -> list[str]:
    """Markdown lines: one row per facet, then the values with support."""
    lines = ["| facet | P | R | F1 | support |", "|---|---|---|---|---|"]
    for facet in SET_FACETS:
        s = m[facet]
        lines.append(f"| {facet} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} | {s['support']} |")
    w = m[WORKLOAD]
    share = "n/a" if w["exact_share"] is None else f"{w['exact_share']:.2f}"
    lines.append(f"| workload (value + unit) | {w['precision']:.2f} | {w['recall']:.2f} | {w['f1']:.2f} | {w['support']} (exact {share}) |")
    lines += ["", "| facet value | P | R | F1 | support |", "|---|---|---|---|---|"]
    for facet in SET_FACETS:
        for value, s in m[facet]["values"].items():
            if s["support"] or s["fp"]:
                lines.append(f"| {facet}:{value} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} | {s['support']} |")
    return lines
