"""PDF extraction benchmark: mctext vs naive pdfplumber against the rendered corpus truth.

    .venv/bin/python benchmarks/bench_extract.py [--limit N] [--layout twocol] [--engine pdfplumber]
    .venv/bin/python benchmarks/bench_extract.py --real [--repeat 3]   # only the real-PDF part

For every PDF in ../shared/corpus/rendered/ (or $MCTEXT_SHARED/corpus/rendered) it runs
mctext's ``extract_pdf`` and naive ``pdfplumber`` ``page.extract_text()`` in the same
process and prints, per layout: similarity to the truth blocks, furniture leaks (share of
pages where a header/footer string survives), hyphenation errors (truth words split,
real hyphens lost), pages/s of both and their ratio, and the peak RSS. Scanned PDFs are
reported by page status only (their text comes from OCR).

The real-PDF part reads ../shared/corpus/realpdf (files from other projects' test suites
and the text those projects expect; MANIFEST.tsv says where each truth came from: most
are another tool's output, so a low score can be the truth's fault). Per file it runs
mctext, naive pdfplumber ``extract_text()`` and raw pypdfium2 ``get_text_range()`` in the
same process and prints whitespace-normalised similarity, reading order (longest common
word subsequence / truth words), word recall and precision, and pages/s of each (the
best of ``--repeat`` runs, so a busy machine hurts less).
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
from mctext.extract.quality import (
    furniture_leaks,
    hyphenation_errors,
    reading_order,
    similarity,
    truth_text,
    word_recall_precision,
)

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
    ap.add_argument("--real", action="store_true", help="only the real-PDF part")
    ap.add_argument("--no-real", action="store_true", help="skip the real-PDF part")
    ap.add_argument("--repeat", type=int, default=3, help="real PDFs: timing runs per tool (best kept)")
    args = ap.parse_args(argv)
    if not args.no_real:
        real_pdfs(SHARED / "corpus" / "realpdf", args.repeat, args.engine)
    if args.real:
        return 0
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


def pdfium_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def _timed(fn: object, repeat: int) -> tuple[list[str], float]:
    best, pages = float("inf"), []
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        pages = fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return pages, best


def _truth_of(pdf: Path) -> Path | None:
    stem = pdf.name[: -len(".pdf")]
    found = sorted(pdf.parent.glob(f"{stem}.truth.*"))
    return found[0] if found else None


def real_pdfs(folder: Path, repeat: int, engine: str) -> dict[str, dict[str, float]]:
    """Per file and tool: similarity, reading order, word recall/precision, pages/s."""
    console = Console(width=230)
    pdfs = [p for p in sorted(folder.glob("*.pdf")) if _truth_of(p)] if folder.is_dir() else []
    if not pdfs:
        console.print(f"real PDFs: none found at {folder}")
        return {}
    tools = ("mctext", "pdfplumber", "pypdfium2")
    table = Table(title=f"Real PDFs ({folder}): mctext vs naive pdfplumber vs raw pypdfium2 (same run)")
    table.add_column("file")
    table.add_column("pages", justify="right")
    for tool in tools:
        table.add_column(f"{tool}\nsim / order / rec / prec", justify="right")
    for tool in tools:
        table.add_column(f"{tool}\npages/s", justify="right")
    table.add_column("order - best naive", justify="right")
    results: dict[str, dict[str, float]] = {}
    totals = dict.fromkeys(tools, 0.0)
    n_pages = 0
    for pdf in track(pdfs, description="real PDFs", transient=True):
        data = pdf.read_bytes()
        truth = _truth_of(pdf).read_text(encoding="utf-8")  # type: ignore[union-attr]
        runs = {
            "mctext": lambda d=data, p=pdf: [
                pg.text for pg in extract_pdf(d, p, ocr=False, engine=engine).pages  # type: ignore[arg-type]
            ],
            "pdfplumber": lambda d=data: naive_pages(d),
            "pypdfium2": lambda d=data: pdfium_pages(d),
        }
        row: dict[str, float] = {}
        cells, speeds = [], []
        for tool in tools:
            pages, secs = _timed(runs[tool], repeat)
            text = "\n\n".join(pages)
            rec, prec = word_recall_precision(text, truth)
            row |= {
                f"{tool}_similarity": 100 * similarity(text, truth),
                f"{tool}_order": reading_order(text, truth),
                f"{tool}_recall": rec,
                f"{tool}_precision": prec,
                f"{tool}_pages_per_s": len(pages) / secs if secs else 0.0,
            }
            totals[tool] += secs
            cells.append(
                f"{row[f'{tool}_similarity']:.1f} / {row[f'{tool}_order']:.1f} / {rec:.1f} / {prec:.1f}"
            )
            speeds.append(f"{row[f'{tool}_pages_per_s']:.1f}")
        row["pages"] = float(len(pages))
        n_pages += len(pages)
        row["order_vs_best_naive"] = row["mctext_order"] - max(row["pdfplumber_order"], row["pypdfium2_order"])
        results[pdf.stem] = row
        table.add_row(pdf.stem, str(len(pages)), *cells, *speeds, f"{row['order_vs_best_naive']:+.1f}")
    console.print(table)
    orders = [r["mctext_order"] for r in results.values()]
    within = sum(1 for r in results.values() if r["order_vs_best_naive"] >= -2.0)
    speed = {t: n_pages / s if s else 0.0 for t, s in totals.items()}
    console.print(
        f"real PDFs: median reading order mctext {statistics.median(orders):.1f} "
        f"(pdfplumber {statistics.median(r['pdfplumber_order'] for r in results.values()):.1f}, "
        f"pypdfium2 {statistics.median(r['pypdfium2_order'] for r in results.values()):.1f}); "
        f"within 2 points of the better naive tool on {within} of {len(results)} files; "
        f"pages/s mctext {speed['mctext']:.1f}, pdfplumber {speed['pdfplumber']:.1f} "
        f"({speed['mctext'] / speed['pdfplumber']:.1f}x), pypdfium2 {speed['pypdfium2']:.1f} "
        f"(best of {repeat}; noisy when other jobs share the CPU)"
    )
    return results


if __name__ == "__main__":
    sys.exit(main())
