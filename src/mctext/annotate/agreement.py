"""Inter-annotator agreement per label, and the disagreements that need adjudication.

Each label is a yes/no decision per segment. Two annotators: Cohen's kappa on the
segments both labelled. More: Krippendorff's alpha (nominal), which also copes with
annotators who did not label every shared segment. Both are written out here (a few
lines each) so the arithmetic can be checked by hand against the tests.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mctext.annotate import store
from mctext.codebook import FACETS, LABELS, facet_values
from mctext.jsonl import read_jsonl


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """(p_o - p_e) / (1 - p_e); NaN when p_e = 1 (both always gave the same single value)."""
    if len(a) != len(b) or not a:
        raise ValueError("cohen_kappa needs two equally long, non-empty sequences")
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    p_e = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if p_e == 1.0:
        return math.nan
    return (p_o - p_e) / (1.0 - p_e)


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable]]) -> float:
    """1 - D_o / D_e over the coincidence matrix; units with fewer than 2 values are unpairable.

    o[c,k] = sum over units u of (number of ordered pairs (c,k) from different coders in u) / (m_u - 1)
    n_c = sum_k o[c,k];  n = sum_c n_c
    alpha = 1 - (n - 1) * sum_{c!=k} o[c,k] / sum_{c!=k} n_c * n_k
    NaN when every value is the same (no variation to disagree about).
    """
    o: Counter[tuple[Hashable, Hashable]] = Counter()
    for values in units:
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    o[(c, k)] += 1.0 / (m - 1)
    n_c: Counter[Hashable] = Counter()
    for (c, _k), v in o.items():
        n_c[c] += v
    n = sum(n_c.values())
    observed = sum(v for (c, k), v in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    if expected == 0:
        return math.nan
    return 1.0 - (n - 1.0) * observed / expected


@dataclass
class LabelAgreement:
    label: str
    segments: int  # shared segments (two or more annotators)
    kappa: float | None  # only when exactly two annotators share segments
    alpha: float


@dataclass
class Disagreement:
    segment_id: str
    quote: str
    by_annotator: dict[str, list[str]]  # annotator -> labels (driver types as "driver_type:X")
    adjudicated: bool


@dataclass
class AgreementReport:
    annotators: list[str]
    shared_segments: int
    labels: list[LabelAgreement] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


def _shared(store_dir: Path) -> tuple[dict[str, dict[str, dict]], set[str]]:
    """Segments two or more annotators labelled (each one's latest record), and the adjudicated ids."""
    records = store.current_annotations(store_dir)
    human = store.latest_by_annotator(records, store.KIND_HUMAN)
    shared = {sid: by for sid, by in human.items() if len(by) >= 2}
    return shared, set(store.latest_by_annotator(records, store.KIND_ADJUDICATED))


def _choices(record: dict) -> list[str]:
    from mctext.annotate.formats import DRIVER_PREFIX

    return sorted(record["labels"]) + [DRIVER_PREFIX + d for d in sorted(record.get("driver_types", []))]


def disagreements(store_dir: Path) -> list[Disagreement]:
    """Shared segments where annotators' labels or driver types differ."""
    shared, adjudicated = _shared(store_dir)
    out = []
    for sid, by in shared.items():
        choices = {name: _choices(r) for name, r in sorted(by.items())}
        if len({tuple(c) for c in choices.values()}) > 1:
            quote = next(iter(by.values()))["quote"]
            out.append(Disagreement(sid, quote, choices, sid in adjudicated))
    return out


def agreement_report(store_dir: Path) -> AgreementReport:
    """Per label: kappa (two annotators) and alpha (any number) on shared segments."""
    shared, _adjudicated = _shared(store_dir)
    annotators = sorted({name for by in shared.values() for name in by})
    report = AgreementReport(annotators, len(shared))
    for label in LABELS:
        units = [[label in r["labels"] for r in by.values()] for by in shared.values()]
        kappa = None
        if len(annotators) == 2 and shared:
            first, second = annotators
            a = [label in by[first]["labels"] for by in shared.values()]
            b = [label in by[second]["labels"] for by in shared.values()]
            kappa = cohen_kappa(a, b)
        alpha = krippendorff_alpha_nominal(units) if shared else math.nan
        report.labels.append(LabelAgreement(label, len(shared), kappa, alpha))
    report.disagreements = disagreements(store_dir)
    return report


def pass_agreement(passes_dir: Path) -> dict:
    """Cohen's kappa per label and per facet of the two labelling passes, pooled over every batch
    under ``passes_dir``.

    Each batch folder holds ``passA.jsonl`` and ``passB.jsonl`` (one record per segment,
    ``label`` a list, ``facets`` a facet -> values mapping); the segments both passes labelled
    are pooled, so a batch's size weighs as it should (the mean of per-batch kappas would not).
    A facet's kappa is on "states any value of it", each value's on that value, with how often
    each pass gave it. Empty when there are no passes.
    """
    pairs: list[tuple[dict, dict]] = []
    batches = []
    for batch in sorted(p for p in passes_dir.glob("*") if (p / "passA.jsonl").is_file() and (p / "passB.jsonl").is_file()):
        a = {r["segment_id"]: r for r in read_jsonl(batch / "passA.jsonl")}
        b = {r["segment_id"]: r for r in read_jsonl(batch / "passB.jsonl")}
        pairs += [(a[sid], b[sid]) for sid in sorted(a.keys() & b.keys())]
        batches.append(batch.name)
    if not pairs:
        return {}
    labels = [(set(x.get("label") or []), set(y.get("label") or [])) for x, y in pairs]
    kappa = {lab: _kappa_or_none([lab in x for x, _ in labels], [lab in y for _, y in labels]) for lab in LABELS}
    facets = {}
    for facet in FACETS:
        given = [(set(_facet_values(x, facet)), set(_facet_values(y, facet))) for x, y in pairs]
        if not any(x or y for x, y in given):
            continue  # neither pass used the facet
        values = {}
        for value in facet_values(facet):
            xa, xb = [value in x for x, _ in given], [value in y for _, y in given]
            if any(xa) or any(xb):
                values[value] = {"kappa": _kappa_or_none(xa, xb), "a": sum(xa), "b": sum(xb)}
        facets[facet] = {"any_value": _kappa_or_none([bool(x) for x, _ in given], [bool(y) for _, y in given]),
                         "values": values}
    return {"segments": len(pairs), "batches": batches, "kappa": kappa, "facets": facets}


def _facet_values(record: dict, facet: str) -> list[str]:
    return [str(v) for v in ((record.get("facets") or {}).get(facet) or [])]


def _kappa_or_none(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa rounded to 3 places; None where it is undefined (neither pass ever said yes,
    or both always did)."""
    k = cohen_kappa(a, b)
    return None if math.isnan(k) else round(k, 3) + 0.0  # + 0.0: no -0.0
