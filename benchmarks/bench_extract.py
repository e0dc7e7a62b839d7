"""PDF extraction benchmark: mctext vs naive pdfplumber against the rendered corpus truth.

    .venv/bin/python benchmarks/bench_extract.py [--limit N] [--layout twocol] [--engine pdfplumber]

For every PDF in ../shared/corpus/rendered/ (or $MCTEXT_SHARED/corpus/rendered) it runs
mctext's ``extract_pdf`` and naive ``pdfplumber`` ``page.extract_text()`` in the same
process and prints, per layout: similarity to the truth blocks, furniture leaks (share of
pages where a header/footer string survives), hyphenation errors (truth words split,
real hyphens lost), pages/s of both and their ratio, and the peak RSS. Scanned PDFs are
reported by page status only (their text comes from OCR).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from mctext.extract.pdf import extract_pdf
from mctext.extract.quality import furniture_leaks, hyphenation_errors, similarity, truth_text

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MCTEXT_SHARED", REPO.parent / "shared"))


@dataclass
class LayoutStats:
    docs: int = 0
    pages: int = 0
    sim_ours: list[float] = field(default_factory=list)
    sim_naive: list[float] = field(default_factory=list)
    leak_pages_ours: int = 0
    leak_pages_naive: int = 0
    split_ours: int = 0
    split_naive: int = 0
    lost_ours: int = 0
    secs_ours: float = 0.0
    secs_naive: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    worst: list[tuple[float, str]] = field(default_factory=list)


def naive_pages(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="at most N PDFs (0 = all)")
    ap.add_argument(
        "--layout", default="", help="only this layout (plain, justified, twocol, scanned)"
    )
    ap.add_argument("--engine", default="pdfium", choices=["pdfium", "pdfplumber"])
    ap.add_argument("--no-ocr", action="store_true", help="leave scanned pages unread")
    ap.add_argument("--json", type=Path, help="also write the per-layout numbers here")
    args = ap.parse_args(argv)
    rendered = SHARED / "corpus" / "rendered"
    if not rendered.is_dir():
        print(f"rendered corpus not found at {rendered}", file=sys.stderr)
        return 2
    pdfs = sorted(rendered.glob("*.pdf"))
    if args.layout:
        pdfs = [p for p in pdfs if p.name.endswith(f".{args.layout}.pdf")]
    if args.limit:
        pdfs = pdfs[: args.limit]
    stats: dict[str, LayoutStats] = defaultdict(LayoutStats)
    for pdf in track(pdfs, description="extracting", transient=True):
        truth = json.loads(
            pdf.with_name(pdf.name[: -len(".pdf")] + ".truth.json").read_text(encoding="utf-8")
        )
        layout = truth["layout"]
        st = stats[layout]
        data = pdf.read_bytes()
        t0 = time.perf_counter()
        doc = extract_pdf(data, pdf, ocr=not args.no_ocr, engine=args.engine, language=None)
        t1 = time.perf_counter()
        st.docs += 1
        st.pages += len(doc.pages)
        st.statuses.update(p.status for p in doc.pages)
        if truth.get("scanned"):
            st.secs_ours += t1 - t0
            continue
        naive = naive_pages(data)
        t2 = time.perf_counter()
        st.secs_ours += t1 - t0
        st.secs_naive += t2 - t1
        ours_pages = [p.text for p in doc.pages]
        gold = truth_text(truth)
        sim = similarity("\n\n".join(ours_pages), gold)
        st.sim_ours.append(sim)
        st.sim_naive.append(similarity("\n\n".join(naive), gold))
        st.worst.append((sim, pdf.name))
        st.leak_pages_ours += sum(1 for leaks in furniture_leaks(ours_pages, truth) if leaks)
        st.leak_pages_naive += sum(1 for leaks in furniture_leaks(naive, truth) if leaks)
        h_ours = hyphenation_errors("\n\n".join(ours_pages), gold)
        st.split_ours += h_ours["split"]
        st.lost_ours += h_ours["lost"]
        st.split_naive += hyphenation_errors("\n\n".join(naive), gold)["split"]
    report(stats, args.json)
    return 0


def report(stats: dict[str, LayoutStats], json_path: Path | None) -> None:
    console = Console(width=230)
    table = Table(title="PDF extraction: mctext vs naive pdfplumber (same run)")
    for col in (
        "layout", "docs", "pages", "sim ours (mean/min)", "sim naive", "leak pages ours", "leak naive",
        "hyph split ours/naive", "hyph lost", "pages/s ours", "pages/s naive", "speed-up",
    ):  # fmt: skip
        table.add_column(col, justify="right")
    rows = {}
    total_ours = total_naive = 0.0
    total_pages = total_naive_pages = 0
    for layout in sorted(stats):
        st = stats[layout]
        pps = st.pages / st.secs_ours if st.secs_ours else 0.0
        if layout == "scanned" or not st.sim_ours:
            table.add_row(layout, str(st.docs), str(st.pages), f"status: {dict(st.statuses)}", "", "", "",
                          "", "", f"{pps:.2f}", "", "")  # fmt: skip
            rows[layout] = {
                "docs": st.docs,
                "pages": st.pages,
                "statuses": dict(st.statuses),
                "pages_per_s": pps,
            }
            continue
        naive_pps = st.pages / st.secs_naive if st.secs_naive else 0.0
        total_ours += st.secs_ours
        total_naive += st.secs_naive
        total_pages += st.pages
        total_naive_pages += st.pages
        row = {
            "docs": st.docs,
            "pages": st.pages,
            "similarity_ours_mean": statistics.mean(st.sim_ours),
            "similarity_ours_min": min(st.sim_ours),
            "similarity_naive_mean": statistics.mean(st.sim_naive),
            "leak_pages_ours_pct": 100 * st.leak_pages_ours / st.pages,
            "leak_pages_naive_pct": 100 * st.leak_pages_naive / st.pages,
            "hyphen_split_ours": st.split_ours,
            "hyphen_split_naive": st.split_naive,
            "hyphen_lost_ours": st.lost_ours,
            "pages_per_s_ours": pps,
            "pages_per_s_naive": naive_pps,
            "speedup": pps / naive_pps if naive_pps else 0.0,
            "worst": sorted(st.worst)[:3],
        }
        rows[layout] = row
        table.add_row(
            layout, str(st.docs), str(st.pages),
            f"{row['similarity_ours_mean']:.4f} / {row['similarity_ours_min']:.4f}",
            f"{row['similarity_naive_mean']:.4f}",
            f"{row['leak_pages_ours_pct']:.1f}%", f"{row['leak_pages_naive_pct']:.1f}%",
            f"{st.split_ours} / {st.split_naive}", str(st.lost_ours),
            f"{pps:.1f}", f"{naive_pps:.1f}", f"{row['speedup']:.1f}x",
        )  # fmt: skip
    console.print(table)
    for layout, row in rows.items():
        if "worst" in row:
            console.print(
                f"{layout} lowest similarity: " + ", ".join(f"{n} {s:.4f}" for s, n in row["worst"])
            )
    if total_ours and total_naive:
        ours, naive = total_pages / total_ours, total_naive_pages / total_naive
        console.print(
            f"text PDFs overall: ours {ours:.1f} pages/s, naive {naive:.1f} pages/s, {ours / naive:.1f}x"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"peak RSS {peak_mb:.0f} MB (timings are noisy when other jobs share the CPU)")
    if json_path:
        json_path.write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
