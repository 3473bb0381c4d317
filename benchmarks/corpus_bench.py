"""Benchmark corpus ingest (1 and 2 processes, Dask), store size and reuse detection.

Usage:
    python benchmarks/corpus_bench.py --sizes 1000 10000 --modes w1 w2 dask \\
        [--model hybrid-v1] [--workdir /tmp/propscope-corpus-bench] [--timeout 1800]

A synthetic corpus of the requested size is written to ``--workdir`` (never into the
repository): each article mixes the paragraphs of one shared-task article with paragraphs
of another, drops about a tenth of its words, and gets an outlet, author and date; 2% of
the articles are republications of an earlier one (new title, edited sentence,
syndication footer) so reuse detection has known pairs to find. Each ingest runs the real
CLI in a subprocess (model loading included) with a time limit: if the limit stops it, the
rate is computed from the articles it had committed. Results go to ``results.jsonl`` in the
work folder and a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from propscope.models.base import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "semeval2023-task3-en"
OUTLETS = [f"outlet-{i:02d}" for i in range(25)]
AUTHORS = [f"author-{i:03d}" for i in range(200)]


def source_articles() -> list[list[str]]:
    """Paragraph lists of the shared-task articles (train and unlabelled)."""
    out = []
    for folder in ("train-articles", "unlabelled-articles"):
        for f in sorted((DATA / folder).glob("*.txt")):
            paras = [p for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
            if len(paras) >= 3:
                out.append(paras)
    return out


def synthesize(n: int, path: Path, *, seed: int = 0) -> list[tuple[str, str]]:
    """Write ``n`` JSONL records to ``path``; return the planted (original, copy) id pairs."""
    rng = random.Random(seed)
    sources = source_articles()
    planted: list[tuple[str, str]] = []
    made: list[dict[str, str]] = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            if made and rng.random() < 0.02:
                orig = rng.choice(made)
                paras = orig["text"].split("\n\n")[1:]
                k = rng.randrange(len(paras))
                paras[k] = "In other words, " + paras[k]
                rec = {"id": f"s{i}", "text": "\n\n".join([f"Reprint: {rng.random():.6f}", *paras,
                                                           f"Republished from {orig['outlet']}."]),
                       "outlet": rng.choice([o for o in OUTLETS if o != orig["outlet"]]),
                       "author": orig["author"], "published": "2023-01-01"}
                planted.append((orig["id"], rec["id"]))
            else:
                a, b = rng.sample(sources, 2)
                paras = [p if rng.random() > 0.3 else rng.choice(b[1:]) for p in a[1:]]
                paras = [" ".join(w for w in p.split() if rng.random() > 0.1) for p in paras]
                rec = {"id": f"s{i}", "text": "\n\n".join([a[0], *paras]),
                       "outlet": OUTLETS[min(int(rng.paretovariate(1.2)) - 1, len(OUTLETS) - 1)],
                       "author": rng.choice(AUTHORS),
                       "published": f"{rng.randint(2019, 2022)}-{rng.randint(1, 12):02d}-"
                                    f"{rng.randint(1, 28):02d}"}
                made.append(rec)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return planted


def count_articles(db: Path) -> int:
    """Articles in ``db``, after folding the write-ahead log of a stopped run into the file."""
    from propscope.corpus.store import CorpusStore

    with CorpusStore(db) as store:
        store.con.execute("CHECKPOINT")
        return store.count()


def ingest(corpus: Path, db: Path, mode: str, model: str, timeout: float,
           scheduler: str | None) -> dict[str, object]:
    """Run the CLI on ``corpus``; return wall time, articles stored and the rate."""
    args = [sys.executable, "-m", "propscope.cli.main", "corpus", "ingest", str(corpus),
            "--db", str(db), "--no-progress", "--model", model]
    args += ["--engine", "dask", "--scheduler", scheduler or ""] if mode == "dask" else \
        ["--workers", mode.removeprefix("w")]
    t0 = time.perf_counter()
    try:
        subprocess.run(args, check=True, timeout=timeout, capture_output=True, text=True)
        finished = True
    except subprocess.TimeoutExpired:
        finished = False
    wall = time.perf_counter() - t0
    n = count_articles(db)
    return {"wall_s": round(wall, 1), "articles": n, "finished": finished,
            "articles_per_s": round(n / wall, 2), "db_mb": round(db.stat().st_size / 1e6, 1),
            "mb_per_1000": round(db.stat().st_size / 1e6 / max(n, 1) * 1000, 2)}


def preprocessed_store(corpus: Path, db: Path) -> None:
    """Store the corpus with boilerplate and paragraphs only (no model): enough for reuse."""
    from propscope.corpus.store import CorpusStore, StoredArticle, content_key
    from propscope.ingest import iter_documents
    from propscope.pipeline import Pipeline, create_component
    from propscope.serialize import to_dict

    pipe = Pipeline([create_component("boilerplate"), create_component("paragraphs")])
    with CorpusStore(db) as store:
        batch = []
        for doc in iter_documents([str(corpus)]):
            d = pipe(doc)  # type: ignore[arg-type]
            batch.append(StoredArticle(content_key(d), d, to_dict(d, include_text=False),
                                       d.word_count()))
            if len(batch) == 500:
                store.add(batch)
                batch = []
        store.add(batch)


def reuse(db: Path, planted: list[tuple[str, str]]) -> dict[str, object]:
    """Time ``find_reuse`` on the store and measure recall of the planted copies."""
    from propscope.corpus.reuse import find_reuse
    from propscope.corpus.store import CorpusStore

    with CorpusStore(db, read_only=True) as store:
        ids = dict(store.query("SELECT article_id, doc_id FROM articles"))
        t0 = time.perf_counter()
        pairs = find_reuse(store)
        secs = time.perf_counter() - t0
    found = {frozenset((ids[p.a], ids[p.b])) for p in pairs}
    stored = set(ids.values())
    want = [frozenset(p) for p in planted if set(p) <= stored]
    return {"reuse_s": round(secs, 1), "pairs": len(pairs), "planted": len(want),
            "planted_found": sum(1 for p in want if p in found)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--modes", nargs="+", default=["w1", "w2", "dask"], choices=["w1", "w2", "dask"])
    ap.add_argument("--model", default=os.environ.get("PROPSCOPE_MODEL", DEFAULT_MODEL))
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/propscope-corpus-bench"))
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per ingest run")
    ap.add_argument("--reuse-only", action="store_true",
                    help="skip ingest; time reuse on a store built without the model")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    cluster = None
    if "dask" in args.modes:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
    results = []
    try:
        for n in args.sizes:
            corpus = args.workdir / f"corpus-{n}.jsonl"
            planted = synthesize(n, corpus)
            if args.reuse_only:
                db = args.workdir / f"corpus-{n}-plain.duckdb"
                db.unlink(missing_ok=True)
                row: dict[str, object] = {"n": n, "mode": "no model", "loadavg": round(os.getloadavg()[0], 1),
                       "articles": n, "finished": True, "wall_s": "", "articles_per_s": "",
                       "mb_per_1000": 0}
                preprocessed_store(corpus, db)
                row.update(reuse(db, planted))
                results.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
                continue
            for mode in args.modes:
                db = args.workdir / f"corpus-{n}-{mode}.duckdb"
                for p in (db, db.with_suffix(".duckdb.wal")):
                    p.unlink(missing_ok=True)
                row = {"n": n, "mode": mode, "model": args.model,
                                          "cpus": os.cpu_count(),
                                          "loadavg": round(os.getloadavg()[0], 1)}
                row.update(ingest(corpus, db, mode, args.model, args.timeout,
                                  cluster.scheduler_address if cluster else None))
                if mode == args.modes[0]:
                    row.update(reuse(db, planted))
                results.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
                with (args.workdir / "results.jsonl").open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(row) + "\n")
    finally:
        if cluster:
            cluster.close()
    print("| articles | mode | stored | wall s | articles/s | MB per 1,000 | reuse s | planted found |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['n']} | {r['mode']} | {r['articles']}{'' if r['finished'] else ' (time limit)'} "
              f"| {r['wall_s']} | {r['articles_per_s']} | {r['mb_per_1000']} | {r.get('reuse_s', '')} "
              f"| {r.get('planted_found', '')}/{r.get('planted', '')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
