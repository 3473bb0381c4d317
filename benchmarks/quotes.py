"""Score the quote extractor on the hand-annotated set in ``benchmarks/quotes/gold.json``.

    .venv/bin/python benchmarks/quotes.py --data ../shared/data [--json FILE] [--errors] [--cost]

Prints one row per language (and "all"): quote-span precision, recall and F1, exact and by
overlap, and speaker accuracy on the overlapping matches (``propscope.evaluation.quotes``
says how each is counted), then the eight-quotation report sample on its own. ``--errors``
lists every miss, extra and wrong speaker. Each article is read with the language the set
gives it. ``--cost`` times the quotes component against a whole analysis (the shipped model)
on the three samples and the unlabelled English article closest to 700 words: the median of
``--repeat`` runs each, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from propscope.evaluation.quotes import (
    GoldQuote,
    PredictedQuote,
    QuoteScores,
    match,
    same_speaker,
    score_quotes,
)
from propscope.quotes import extract_quotes

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "quotes" / "gold.json"
SAMPLE = "samples/002_168c2d511eb2408f.txt"

Pair = tuple[list[GoldQuote], list[PredictedQuote]]


def load_gold(path: Path = GOLD) -> list[dict]:
    """The annotated articles, as the JSON file holds them."""
    return json.loads(path.read_text(encoding="utf-8"))["articles"]


def run(data: Path, articles: list[dict]) -> dict[str, list[tuple[dict, str, Pair]]]:
    """Each article's gold and extracted quotations, grouped by language."""
    out: dict[str, list[tuple[dict, str, Pair]]] = defaultdict(list)
    for a in articles:
        text = (data / a["path"]).read_text(encoding="utf-8")
        gold = [GoldQuote(q["start"], q["end"], tuple(n for n in [q["speaker"], *q.get("aliases", [])] if n))
                for q in a["quotes"]]
        pred = [PredictedQuote(q.start, q.end, q.speaker) for q in extract_quotes(text, a["language"])]
        out[a["language"]].append((a, text, (gold, pred)))
    return out


def row(name: str, s: QuoteScores) -> str:
    e, o = s.exact, s.overlap
    return (f"| {name} | {s.articles} | {o.support} | {o.predicted} | {e.precision:.2f} / {e.recall:.2f} / "
            f"**{e.f1:.2f}** | {o.precision:.2f} / {o.recall:.2f} / **{o.f1:.2f}** | "
            f"**{s.speaker_accuracy:.2f}** ({s.speakers_right}/{s.speakers_scored}) |")


def errors(a: dict, text: str, pair: Pair) -> list[str]:
    """Misses, extras and wrong speakers of one article, for reading."""
    gold, pred = pair
    g_spans, p_spans = [(q.start, q.end) for q in gold], [(q.start, q.end) for q in pred]
    m = match(g_spans, p_spans, exact=False)
    hit_g, hit_p = {g for g, _ in m}, {p for _, p in m}
    lines = [f"  MISS  {text[q.start:q.end][:70]!r} ({q.speakers[:1]})"
             for i, q in enumerate(gold) if i not in hit_g]
    lines += [f"  EXTRA {text[q.start:q.end][:70]!r} ({q.speaker})"
              for i, q in enumerate(pred) if i not in hit_p]
    lines += [f"  WHO   {text[pred[p].start:pred[p].end][:50]!r}: {pred[p].speaker!r}, "
              f"gold {gold[g].speakers}" for g, p in m if not same_speaker(pred[p].speaker, gold[g].speakers)]
    return [a["path"], *lines] if lines else []


def _median_ms(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def cost(data: Path, repeat: int) -> list[str]:
    """A Markdown table: per article, the whole analysis and the quotes component, in ms."""
    from propscope import Analyzer
    from propscope.document import Document
    from propscope.pipeline import create_component

    unlabelled = sorted((data / "semeval2023-task3-en" / "unlabelled-articles").glob("*.txt"))
    near_700 = min(unlabelled, key=lambda f: abs(len(f.read_text(encoding="utf-8").split()) - 700))
    files = [*sorted((data / "samples").glob("*.txt")), near_700]
    analyzer = Analyzer()
    component = create_component("quotes")
    rows = ["| article | words | quotes | analysis ms | quotes ms | share |",
            "| --- | --- | --- | --- | --- | --- |"]
    for f in files:
        text = f.read_text(encoding="utf-8")
        analyzer.analyze(text)  # warm-up
        whole = _median_ms(lambda t=text: analyzer.analyze(t), repeat)
        prepared = analyzer.preprocess.components[0](Document(text))
        part = _median_ms(lambda d=prepared: component(d), repeat)
        rows.append(f"| {f.name} | {len(text.split())} | {len(prepared.quotes)} | {whole:.1f} | {part:.2f} "
                    f"| {part / whole:.1%} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--json", type=Path, help="also write the scores here")
    ap.add_argument("--errors", action="store_true", help="list misses, extras and wrong speakers")
    ap.add_argument("--cost", action="store_true", help="time the quotes component in a whole analysis")
    ap.add_argument("--repeat", type=int, default=20, help="runs per article for --cost")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"No data folder at {args.data}; pass --data ../shared/data.", file=sys.stderr)
        return 2
    by_lang = run(args.data, load_gold(args.gold))
    every = [item for items in by_lang.values() for item in items]
    scores = {lang: score_quotes(p for _, _, p in items) for lang, items in sorted(by_lang.items())}
    scores["all"] = score_quotes(p for _, _, p in every)
    sample = [item for item in every if item[0]["path"] == SAMPLE]
    if sample:
        scores["sample 002"] = score_quotes(p for _, _, p in sample)
    print("| language | articles | gold quotes | extracted | exact P / R / F1 | overlap P / R / F1 "
          "| speaker accuracy |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, s in scores.items():
        print(row(name, s))
    if args.errors:
        for a, text, pair in every:
            for line in errors(a, text, pair):
                print(line)
    if args.cost:
        print("\n".join(cost(args.data, args.repeat)))
    if args.json:
        args.json.write_text(json.dumps({k: v.to_dict() for k, v in scores.items()}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
