"""End-to-end throughput of the per-document pipeline, one command, numbers printed.

    .venv/bin/python benchmarks/bench_pipeline.py [--corpus ../shared/corpus/rendered] [--workers 1,2] [--repeat 5]

Prints, on the same machine in the same run: pages/s and segments/s end to end
(extract -> segment -> classify in worker processes, model loading included) for
each worker count, peak RSS per worker, the time of a no-op rerun (run_documents on
a warm cache, and the whole `mctext run` CLI), naive pdfplumber ``extract_text``
pages/s for the ratio, and where one document's time goes, stage by stage.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "rendered"


def bench_pipeline(sources: list, workers: int, cache_dir: Path, ocr: bool = True) -> dict:
    from mctext.config import RunConfig
    from mctext.pipeline import RunStats, run_documents

    stats = RunStats()
    started = time.perf_counter()
    for _ in run_documents(sources, RunConfig(workers=workers, ocr=ocr), cache_dir, progress=False, stats=stats):
        pass
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "stats": stats}


def bench_naive(pdfs: list[Path]) -> tuple[int, float]:
    import pdfplumber

    pages, started = 0, time.perf_counter()
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - started


def stage_profile(sources: list, limit: int) -> dict[str, float]:
    """Seconds per stage over the first ``limit`` documents, in this process (what bounds it)."""
    from mctext.classify import classify_segments, load_classifier
    from mctext.corpus import describe_document
    from mctext.extract import extract_bytes
    from mctext.records import doc_id_from_sha256, sha256_bytes
    from mctext.segment import segment_pages

    t0 = time.perf_counter()
    classifier = load_classifier()
    times = {"load model": time.perf_counter() - t0, "extract": 0.0, "describe": 0.0, "segment": 0.0,
             "classify": 0.0}
    for source in sources[:limit]:
        data = Path(source.path).read_bytes()
        t = time.perf_counter()
        extracted = extract_bytes(data, Path(source.path), ocr=True)
        times["extract"] += time.perf_counter() - t
        t = time.perf_counter()
        doc = describe_document(source, data, extracted)
        times["describe"] += time.perf_counter() - t
        t = time.perf_counter()
        segments = segment_pages(extracted.pages, doc_id_from_sha256(sha256_bytes(data)), doc.language)
        times["segment"] += time.perf_counter() - t
        t = time.perf_counter()
        classify_segments(segments, doc.country, classifier)
        times["classify"] += time.perf_counter() - t
    return times


def time_cli_rerun(corpus: Path, cache_dir: Path, workers: int, ocr: bool) -> list[float]:
    """`mctext run` twice on a warm cache copied into OUT/.cache: the second is the no-op rerun."""
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    shutil.copytree(cache_dir, out / ".cache")
    cmd = [sys.executable, "-c", "from mctext.cli import main; main()", "run", str(corpus), "--out", str(out),
           "--workers", str(workers), "--quiet", *([] if ocr else ["--no-ocr"])]
    times = []
    for _ in range(2):
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if proc.returncode not in (0, 3):
            print(f"  mctext run failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    shutil.rmtree(out, ignore_errors=True)
    return times


def report_run(run: dict, workers: int, naive: float | None, no_ocr: bool) -> float:
    """Print one end-to-end run; its pages/s."""
    stats, secs = run["stats"], run["seconds"]
    rss = sorted(stats.peak_rss_mb.values(), reverse=True)
    cpu = sum(stats.worker_cpu_s.values())
    print(f"end to end, {workers} worker(s){', no OCR' if no_ocr else ''}: {stats.pages} pages, {stats.segments} segments, "
          f"{stats.failed} failed in {secs:.1f} s = {stats.pages / secs:.1f} pages/s, "
          f"{stats.segments / secs:.0f} segments/s"
          + (f" ({stats.pages / secs / naive:.2f}x naive); " if naive else "; ")
          + f"peak RSS per worker (MB): {', '.join(f'{r:.0f}' for r in rss)} over {len(rss)} process(es); "
          f"workers used {cpu:.0f} CPU s = {stats.pages / cpu:.1f} pages per CPU-second "
          "(the rate one uncontended core would give, model loading included)", flush=True)
    return stats.pages / secs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--profile-docs", type=int, default=12, help="documents in the stage profile")
    parser.add_argument("--no-ocr", action="store_true", help="leave image-only pages unread (OCR is the slowest stage)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pdfplumber baseline")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per worker count, reported with their median (a shared machine's speed drifts)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found: {args.corpus}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from mctext.cache import pipeline_version
    from mctext.classify import load_classifier
    from mctext.corpus import discover

    version = pipeline_version()

    sources = discover(args.corpus)
    pdfs = [Path(s.path) for s in sources if str(s.path).lower().endswith(".pdf")]
    print(f"corpus {args.corpus}: {len(sources)} documents; {os.cpu_count()} cores; "
          f"classifier {load_classifier().version}")

    naive: float | None = None
    if not args.no_naive:
        cpu_before = time.process_time()
        pages, seconds = bench_naive(pdfs)
        naive = pages / seconds
        print(f"naive pdfplumber extract_text: {pages} pages in {seconds:.1f} s = {naive:.1f} pages/s (1 process; "
              f"{pages / (time.process_time() - cpu_before):.1f} pages per CPU-second)")

    tmp = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    last_cache = None
    for workers in [int(w) for w in args.workers.split(",")]:
        rates = []
        for attempt in range(max(1, args.repeat)):
            cache_dir = tmp / f"w{workers}-{attempt}"
            run = bench_pipeline(sources, workers, cache_dir, ocr=not args.no_ocr)
            rates.append(report_run(run, workers, naive, args.no_ocr))
        if len(rates) > 1:
            print(f"  {workers} worker(s), {len(rates)} runs: median {statistics.median(rates):.1f} pages/s "
                  f"(range {min(rates):.1f}-{max(rates):.1f})")
        last_cache, last_workers = cache_dir, workers
    if last_cache is not None:
        rerun = bench_pipeline(sources, last_workers, last_cache, ocr=not args.no_ocr)
        print(f"no-op rerun, run_documents: {rerun['seconds']:.2f} s "
              f"({rerun['stats'].from_cache}/{rerun['stats'].documents} from cache)")
        first, second = time_cli_rerun(args.corpus, last_cache, last_workers, not args.no_ocr)
        print(f"no-op rerun, whole `mctext run` CLI (outputs kept: nothing changed): {second:.2f} s "
              f"(first run on the copied cache, which builds the tables, DuckDB and report: {first:.2f} s)")
    shutil.rmtree(tmp, ignore_errors=True)
    pipeline_version.cache_clear()
    if pipeline_version() != version:
        print("  note: the pipeline's code changed during the benchmark, so cached results were "
              "(rightly) recomputed; rerun the benchmark on a quiet tree for rerun times")

    if args.profile_docs <= 0:
        return
    times = stage_profile(sources, args.profile_docs)
    work = sum(v for k, v in times.items() if k != "load model")
    print(f"stage profile, {args.profile_docs} documents in one process: "
          + ", ".join(f"{k} {v:.2f} s" + (f" ({100 * v / work:.0f}%)" if k != "load model" else "")
                      for k, v in times.items()))


if __name__ == "__main__":
    main()
