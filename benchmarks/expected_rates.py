"""How well summed calibrated span scores estimate the correct detections of each article.

Usage: python benchmarks/expected_rates.py --data ../shared/data/semeval2023-task3-en
       [--split splits/validation.txt] [--model NAME]

Corpus profiles report ``expected`` rates: a group's summed span scores per 1,000 words,
because a calibrated span score estimates the chance that the span overlaps a gold span of its
technique. This scores that estimate on gold articles the model never trained on (the
shipped model trained on every article: pass ``--model`` a model trained with ``propscope
train --split splits/validation.txt``): per
article, the error of the raw span count and of the summed scores against the number of
right spans, and how each rate correlates with the article's gold-span rate.
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy import stats


def main() -> None:
    from heldout import add_arguments, held_out

    from propscope.evaluation.reliability import span_hits
    from propscope.models import load_model
    from propscope.training.predict import predict_fresh

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(ap)
    args = ap.parse_args()
    gold = held_out(args)
    model = load_model(args.model)
    rows = []
    for g, p in zip(gold, predict_fresh(model, gold), strict=True):
        right = sum(span_hits(g, p))
        rows.append((max(len(g.text.split()), 1), len(p.spans), sum(s.score for s in p.spans),
                     right, len(g.spans)))
    words, count, expected, right, gold_n = np.array(rows, dtype=float).T
    print(f"{len(rows)} articles, model {model.info.name} {model.info.version}: {count.sum():.0f} spans, "
          f"{right.sum():.0f} right, scores sum to {expected.sum():.1f}")
    print("| estimate of an article's correct detections | mean absolute error (spans) "
          "| Pearson with the gold-span rate | Spearman |")
    print("| --- | --- | --- | --- |")
    for name, est in (("raw span count", count), ("summed calibrated scores", expected)):
        rate, truth = est / words, gold_n / words
        print(f"| {name} | {np.mean(np.abs(est - right)):.2f} | "
              f"{stats.pearsonr(rate, truth)[0]:.3f} | {stats.spearmanr(rate, truth)[0]:.3f} |")


if __name__ == "__main__":
    main()
