"""All benchmarks, one command: extraction quality and speed, classification, end to end.

    .venv/bin/python benchmarks/run_all.py [--quick]

Runs each benchmark script in turn (each prints its own table: pages/s, segments/s,
peak RSS) on ../shared/corpus/rendered and the seed annotations. ``--quick`` limits
the work so the whole thing takes a few minutes instead of tens (fewer PDFs, no OCR,
no slow embedding alternatives). Numbers are only comparable on an otherwise idle
machine; the load average is printed first.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min), cores: {os.cpu_count()}", flush=True)
    runs = [
        ["bench_extract.py", *(["--limit", "12", "--no-ocr"] if args.quick else [])],
        ["bench_classify.py", *(["--n", "2000", "--alternatives", "rules,tfidf"] if args.quick else [])],
        ["bench_pipeline.py"],
    ]
    failed = 0
    for script, *options in runs:
        print(f"\n=== {script} {' '.join(options)}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / script), *options]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
