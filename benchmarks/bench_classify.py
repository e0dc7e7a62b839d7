"""Classification throughput and peak memory on 2 cores, per feature alternative.

    .venv/bin/python benchmarks/bench_classify.py [--n 5000] [--alternatives rules,tfidf,use,minilm,e5] [--json OUT]

Texts: the seed annotations (../shared/annotations/seed.jsonl), repeated up to --n
segments. Each alternative runs in its own subprocess pinned to 2 CPUs (and 2 BLAS/torch
threads), so its peak RSS is its own:
- ``rules``: the codebook rules + levels + countries only (no model);
- ``tfidf``: the default model in models/default (rules + char n-gram TF-IDF + LR);
- ``use`` / ``minilm`` / ``e5``: rules + sentence embeddings + LR. Unless models/<name>/
  exists, a throwaway model is fitted on the seed first in a separate "prepare" process
  (timing needs a model of the right shape, not a good one).
The default model is also timed end to end through ``mctext classify`` (process start,
JSONL in and out, 10,000 segments) with 1 and 2 worker processes on the same 2 CPUs; its
peak RSS is the sum over the process and its workers, sampled every 50 ms. Numbers are
noisy when other work shares the machine (the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = Path(os.environ.get("MCTEXT_SHARED", REPO.parent / "shared")) / "annotations" / "seed.jsonl"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "MCTEXT_THREADS", "TORCH_NUM_THREADS")


def _texts(n: int) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in SEED.open(encoding="utf-8") if line.strip()]
    texts = [r["text"] for r in rows]
    langs = [r.get("lang", "") for r in rows]
    reps = -(-n // len(texts))
    return (texts * reps)[:n], (langs * reps)[:n]


def _env() -> dict[str, str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env.update({v: "2" for v in THREAD_VARS})
    return env


def _pin() -> None:
    cpus = sorted(os.sched_getaffinity(0))[:2]
    os.sched_setaffinity(0, cpus)
    try:
        import torch

        torch.set_num_threads(2)
    except ImportError:
        pass


def prepare(alt: str, out_dir: Path) -> None:
    """Fit a throwaway model with ``alt`` features on the seed (for timing only)."""
    _pin()
    from mctext.classify.features.embed import Featurizer
    from mctext.classify.model import Classifier, LabelModels
    from mctext.classify.train import label_matrix, load_records, rule_results

    records = load_records()
    models = LabelModels(Featurizer(alt)).fit([r["text"] for r in records], rule_results(records), label_matrix(records))
    Classifier(models, version=f"bench-{alt}").save(out_dir)


def worker(alt: str, model_dir: str, n: int) -> dict:
    _pin()
    t0 = time.perf_counter()
    from mctext.classify import load_classifier
    from mctext.classify.model import Classifier, rules_only_classifier

    clf: Classifier = rules_only_classifier("benchmark") if alt == "rules" else load_classifier(model_dir)
    texts, langs = _texts(n)
    clf.predict(texts[:64], langs[:64])  # warm-up: lazy model loads, regex compilation
    load_s = time.perf_counter() - t0
    t = time.perf_counter()
    batch = 2048
    for i in range(0, n, batch):
        clf.predict(texts[i : i + batch], langs[i : i + batch])
    secs = time.perf_counter() - t
    return {
        "alternative": alt,
        "model_version": clf.version,
        "segments": n,
        "seconds": round(secs, 3),
        "segments_per_s": round(n / secs, 1),
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _run_sampling_rss(cmd: list[str]) -> tuple[int, float, float]:
    """Run cmd; return (exit code, seconds, peak summed RSS in MB of it and its children)."""
    import psutil

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    return proc.returncode, time.perf_counter() - t, peak / 2**20


def cli_end_to_end(n: int, workers: int) -> dict:
    """`mctext classify` on n segments with the default model, as a user runs it (2 CPUs)."""
    texts, langs = _texts(n)
    cpus = ",".join(map(str, sorted(os.sched_getaffinity(0))[:2]))
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        inp.write_text("".join(json.dumps({"id": str(i), "text": t, "lang": lg}) + "\n" for i, (t, lg) in enumerate(zip(texts, langs, strict=True))), encoding="utf-8")
        cmd = ["taskset", "-c", cpus, str(Path(sys.executable).parent / "mctext"), "classify", "--input", str(inp), "--output", str(out),
               "--workers", str(workers)]
        code, secs, peak = _run_sampling_rss(cmd)
    return {"alternative": f"tfidf: mctext classify CLI, {workers} process(es), incl. start-up", "segments": n,
            "seconds": round(secs, 2), "segments_per_s": round(n / secs, 1), "peak_rss_mb": round(peak, 1), "ok": code == 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--n-embed", type=int, default=1000, help="segments for the (slow) embedding alternatives")
    ap.add_argument("--alternatives", default="rules,tfidf,use,minilm,e5")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--prepare", help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.prepare:
        prepare(args.prepare, Path(args.model_dir))
        return
    if args.worker:
        print(json.dumps(worker(args.worker, args.model_dir, args.n)))
        return
    if not SEED.is_file():
        sys.exit(f"seed annotations not found at {SEED}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for alt in [a.strip() for a in args.alternatives.split(",") if a.strip()]:
            n = args.n if alt in ("rules", "tfidf") else args.n_embed
            model_dir = REPO / "models" / ("default" if alt == "tfidf" else alt)
            if alt not in ("rules", "tfidf") and not (model_dir / "model.json").is_file():
                model_dir = Path(tmp) / alt
                prep = subprocess.run([sys.executable, __file__, "--prepare", alt, "--model-dir", str(model_dir)],
                                      env=_env(), capture_output=True, text=True)
                if prep.returncode != 0:
                    results.append({"alternative": alt, "error": prep.stderr.strip().splitlines()[-1][:200]})
                    print(json.dumps(results[-1]), flush=True)
                    continue
            proc = subprocess.run([sys.executable, __file__, "--worker", alt, "--model-dir", str(model_dir), "--n", str(n)],
                                  env=_env(), capture_output=True, text=True)
            if proc.returncode != 0:
                results.append({"alternative": alt, "error": proc.stderr.strip().splitlines()[-1][:200]})
            else:
                results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), flush=True)
        if "tfidf" in args.alternatives:
            for workers in (1, 2):
                results.append(cli_end_to_end(max(args.n, 10000), workers))
                print(json.dumps(results[-1]), flush=True)
    print(f"\n{'alternative':<64}{'seg/s':>10}{'peak RSS MB':>13}")
    for r in results:
        if "error" in r:
            print(f"{r['alternative']:<64}  error: {r['error']}")
        else:
            print(f"{r['alternative']:<64}{r['segments_per_s']:>10}{r['peak_rss_mb']:>13}")
    print(f"(2 CPUs pinned; load average at end {os.getloadavg()[0]:.1f}: numbers are noisy when the machine is shared)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
