"""Benchmark propscope's analysis: quality, speed, latency, memory, cold start.

Usage: python benchmarks/run.py --data ../shared/data/semeval2023-task3-en [--model NAME]...

Quality: a model trained without the validation split is scored on it; one trained on every
article (the shipped model) cannot be, so its recorded cross-validation scores are printed.

Prints a Markdown section per model to paste into BENCHMARKS.md. Speed is measured on the
shared task's unlabelled articles (real input), one article at a time (latency) and in
batches (throughput), in a fresh subprocess per model so peak memory is the model's own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def speed(model: str, articles_dir: Path) -> dict[str, float]:
    """Time analysis of every article in ``articles_dir`` with ``model`` (runs in-process)."""
    from propscope import Analyzer
    from propscope.ingest import read_path

    t0 = time.perf_counter()
    analyzer = Analyzer(model)
    load_s = time.perf_counter() - t0
    docs = [d for f in sorted(articles_dir.glob("*.txt")) for d in read_path(f)]
    words = [len(d.text.split()) for d in docs]
    analyzer.analyze(docs[0].text)  # warm-up: first call pays lazy initialisation
    lat = []
    for d in docs:
        t = time.perf_counter()
        analyzer.analyze(d.text, id=d.id)
        lat.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    n = sum(1 for _ in analyzer.analyze_many(
        __import__("propscope.document", fromlist=["Document"]).Document(d.text, id=d.id) for d in docs))
    batch_s = time.perf_counter() - t
    lat.sort()
    return {
        "articles": len(docs),
        "mean_words": statistics.mean(words),
        "load_s": load_s,
        "sequential_articles_per_s": len(docs) / (sum(lat) / 1000),
        "batched_articles_per_s": n / batch_s,
        "p50_ms": lat[len(lat) // 2],
        "p95_ms": lat[min(len(lat) - 1, int(len(lat) * 0.95))],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def cold_start(model: str, article: Path, runs: int = 5) -> float:
    """Median wall seconds of `propscope analyze FILE --format json` in a new process."""
    exe = Path(sys.executable).with_name("propscope")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(exe), "analyze", str(article), "--format", "json", "--model", model,
                        "-o", os.devnull], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def quality(model: str, data: Path) -> tuple[str, dict]:
    """Where the scores come from, and ``{"all": report, "recent": report}``: `propscope
    evaluate` on the validation split, or the artifact's own scores if it trained on it."""
    from propscope.datasets import read_ids
    from propscope.models.base import resolve_model_path
    from propscope.models.quality import scored_by_text
    from propscope.training.train import trained_article_ids

    split = ROOT / "splits" / "validation.txt"
    trained = trained_article_ids(model) or set()
    if trained & set(read_ids(split)):
        recorded = json.loads((resolve_model_path(model) / "validation.json").read_text(encoding="utf-8"))
        how = scored_by_text(recorded, recorded["all"]["documents"])
        return (f"Recorded in the artifact ({how}; it was trained on the validation split)",
                {"all": recorded["all"], "recent": recorded["recent_83"]})
    exe = Path(sys.executable).with_name("propscope")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "eval.json"
        subprocess.run([str(exe), "evaluate", "--data", str(data), "--split", str(split), "--model", model,
                        "--json", str(out)], check=True, capture_output=True)
        return "Validation split (`splits/validation.txt`)", json.loads(out.read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="SemEval-2023 Task 3 English data folder")
    ap.add_argument("--model", action="append", help="shipped model name or artifact folder (repeatable)")
    ap.add_argument("--speed-only", action="store_true", help="skip the quality scores")
    ap.add_argument("--_speed", help=argparse.SUPPRESS)
    args = ap.parse_args()
    unlabelled = args.data / "unlabelled-articles"
    if args._speed:  # child process: measure one model, print JSON
        print(json.dumps(speed(args._speed, unlabelled)))
        return
    from propscope.models import DEFAULT_MODEL

    models = args.model or [DEFAULT_MODEL]
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}")
    for model in models:
        child = subprocess.run([sys.executable, __file__, "--data", str(args.data), "--_speed", model],
                               check=True, capture_output=True, text=True)
        s = json.loads(child.stdout.strip().splitlines()[-1])
        cs = cold_start(model, next(iter(sorted(unlabelled.glob("*.txt")))))
        print(f"\n### {model}\n")
        print("| measure | value |\n| --- | --- |")
        print(f"| articles (unlabelled set) | {s['articles']} (mean {s['mean_words']:.0f} words) |")
        print(f"| model load | {s['load_s']:.2f} s |")
        print(f"| throughput, one at a time | {s['sequential_articles_per_s']:.1f} articles/s |")
        print(f"| throughput, batched | {s['batched_articles_per_s']:.1f} articles/s |")
        print(f"| latency p50 / p95 | {s['p50_ms']:.0f} ms / {s['p95_ms']:.0f} ms |")
        print(f"| peak memory (RSS) | {s['peak_rss_mb']:.0f} MB |")
        print(f"| CLI cold start, one file (median of 5) | {cs:.2f} s |")
        if not args.speed_only:
            from propscope.training.report import headline

            where, q = quality(model, args.data)
            rows = {"all": headline(q["all"]), "recent": headline(q.get("recent", {}))}
            print(f"\n{where}, scores x 100:\n")
            print("| metric | all articles | newest (83*) |\n| --- | --- | --- |")
            for key in rows["all"]:
                recent = rows["recent"].get(key)
                print(f"| {key} | {100 * rows['all'][key]:.1f} | "
                      f"{'' if recent is None else f'{100 * recent:.1f}'} |")

if __name__ == "__main__":
    main()
