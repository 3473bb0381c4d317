"""MODEL_CARD.md for a trained artifact: data, how it was scored, scores, calibration, limits."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from propscope.evaluation.metrics import PRF
    from propscope.training.levels import OperatingPoint
    from propscope.training.report import TrainReport


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _prf_row(name: str, s: dict[str, Any]) -> str:
    return (f"| {name} | {_pct(s['precision'])} | {_pct(s['recall'])} | {_pct(s['f1'])} "
            f"| {s['support']} |")


def _summary(m: dict[str, Any]) -> list[str]:
    if not m:
        return ["(not scored)"]
    par, spans, genre, frames = m["paragraphs"], m["spans"], m["genre"], m["frames"]
    aware, agn = spans["technique_aware"], spans["technique_agnostic"]
    return [
        "| metric | value |", "| --- | --- |",
        f"| articles | {m['documents']} |",
        f"| paragraph techniques micro-F1 (official) | {_pct(par['micro_f1'])} |",
        f"| paragraph techniques macro-F1 | {_pct(par['macro_f1'])} |",
        f"| spans technique-aware P / R / F1 | {_pct(aware['precision'])} / {_pct(aware['recall'])}"
        f" / {_pct(aware['f1'])} |",
        f"| spans technique-agnostic P / R / F1 | {_pct(agn['precision'])} / {_pct(agn['recall'])}"
        f" / {_pct(agn['f1'])} |",
        f"| genre macro-F1 (official) / accuracy | {_pct(genre['macro_f1'])} / {_pct(genre['accuracy'])} |",
        f"| frames micro-F1 (official) / macro-F1 | {_pct(frames['micro_f1'])} / "
        f"{_pct(frames['macro_f1'])} |",
    ]


def _per_label(scores: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return dict(scores.get("per_label", scores.get("labels", {})))


def _tagger_section(manifest: dict[str, Any]) -> list[str]:
    """How a hybrid artifact's convolutional tagger is built and mixed in (nothing otherwise)."""
    tagger = manifest.get("tagger")
    if not tagger:
        return []
    p = manifest.get("params", {})
    layers = int(p.get("tagger_layers", 2))
    reach = sum(2 ** i for i in range(layers))
    return [
        "", "## The tagger and how it is mixed in",
        f"A convolutional network reads each paragraph's tokens as fine-tuned copies of the distilled "
        f"word vectors: {layers} width-3 convolutions with dilations "
        f"{', '.join(str(2 ** i) for i in range(layers))} ({p.get('tagger_filters')} filters each, "
        f"so every token sees {reach} tokens on each side), a max-pool over the paragraph, and two "
        f"heads: per-token probabilities of {', '.join(tagger.get('token_labels', []))}, and per-paragraph "
        f"probabilities of every technique. It was trained {p.get('tagger_epochs')} epochs per fit, "
        "out of fold for the calibration and once on all training articles for this artifact.",
        "",
        f"- Token detectors: the tagger's token probability is {p.get('tagger_token_weight')} of the "
        "mixed probability, the linear token detector's the rest.",
        f"- Paragraph labels: the tagger's paragraph head weighs {p.get('tagger_paragraph_weight')} and, "
        f"for the techniques it tags, its highest token probability in the paragraph "
        f"{p.get('tagger_max_weight')}; the linear paragraph classifier the rest.",
        "- Every threshold and span gate below was chosen on the mixed out-of-fold probabilities.",
    ]


def _scored_on(report: TrainReport) -> str:
    """Which predictions the card's scores describe."""
    return "the out-of-fold predictions" if report.cv_folds else "the validation articles"


def _split_lines(report: TrainReport) -> list[str]:
    """How the training articles and the scored ones relate."""
    if not report.cv_folds and not report.validation_articles:
        return [f"- Training articles: {report.train_articles}, every annotated article; not scored "
                "(trained with `--cv 0`)."]
    if not report.cv_folds:
        return [f"- Training articles: {report.train_articles}; validation articles (held out by article, "
                f"`splits/validation.txt`): {report.validation_articles}."]
    low, high = min(report.cv_fold_articles), max(report.cv_fold_articles)
    fitted_on = f"{low}-{high}" if low < high else str(low)
    return [f"- Training articles: {report.train_articles}, every annotated article; none held out.",
            f"- Scores: {report.cv_folds}-fold cross-validation by article over those articles "
            f"({report.cv_seconds:.0f} s): each article scored once by a model fitted on {fitted_on} of "
            f"the others, with this artifact's parameters. This artifact was then fitted on all "
            f"{report.train_articles}, so it learned from more articles than the models scored here.",
            "- Scoring this artifact on any of these articles (for example `splits/validation.txt`) "
            "measures memory, not accuracy: `propscope evaluate` warns when it does. Train with "
            "`--split FILE` for a model with held-out articles."]


def _confidence_section(m: dict[str, Any], manifest: dict[str, Any], report: TrainReport) -> list[str]:
    conf = m.get("confidence")
    if not conf or not manifest.get("confidence"):
        return []
    fitted_on = ("out-of-fold predictions of models that never saw the article's topic (folds of "
                 "whole clusters of similar articles, `confidence_folds`), so that they hold for "
                 "stories the model never saw" if _maps_from_topics(manifest) else "out-of-fold predictions")
    lines = ["", "## What the confidences mean",
             f"Scores are calibrated on {fitted_on} (a monotone Platt map per technique and "
             "frame; decisions stay on the raw probabilities, so the labels and F1 above do not depend on "
             "it): a span's score estimates the chance that it overlaps an annotated span of its "
             "technique, a paragraph or frame score the chance that the paragraph carries the technique "
             "(the article the frame). Genre scores are the genre classifier's own softmax: the label is "
             "the genre with the highest score divided by its divisor (chosen for macro-F1), so a rarer "
             "genre can be the label at a lower score than opinion (11 of the 100 validation articles). "
             "Rescaling the scores around the label made them worse probabilities (validation log loss "
             "0.59 → 0.66–0.69), so they stay as they are.", "",
             f"On {_scored_on(report)}:", "",
             "| predictions | count | mean confidence | right | ECE |", "| --- | --- | --- | --- | --- |"]
    for key, name in (("spans", "spans"), ("paragraphs", "paragraph labels"), ("genre", "genre")):
        r = conf.get(key)
        if not r or not r["count"]:
            continue
        lines.append(f"| {name} | {r['count']} | {r['mean_confidence']:.3f} | {r['observed']:.3f} | "
                     f"{r['ece']:.3f} |")
    lines += ["", "| span confidence | spans | right |", "| --- | --- | --- |"]
    lines += [f"| {b['low']:.1f}-{b['high']:.1f} | {b['count']} | {b['observed']:.3f} |"
              for b in conf["spans"]["bins"]]
    return lines


def sensitivity_table(points: Sequence[OperatingPoint]) -> str:
    """A Markdown table of operating points, one row per sensitivity level."""
    def prf(d: PRF) -> str:
        return " / ".join(_pct(x) for x in (d.precision, d.recall, d.f1))

    lines = ["| level (shift) | spans / article | spans aware P / R / F1 | spans agnostic P / R / F1 "
             "| paragraph labels / article | paragraph P / R / F1 | ECE spans / paragraphs |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {p.level} ({f'{p.shift:+g}' if p.shift else '0'}) | {p.spans_per_article:.1f} "
              f"| {prf(p.spans_aware)} | {prf(p.spans_agnostic)} | {p.labels_per_article:.1f} "
              f"| {prf(p.paragraphs)} | {_pct(p.span_ece)} / {_pct(p.paragraph_ece)} |" for p in points]
    return "\n".join(lines)


def _sensitivity_section(report: TrainReport) -> list[str]:
    if not report.levels:
        return []
    return ["", "## Sensitivity levels (`--sensitivity`)",
            "Every span and paragraph-label threshold moved by one shift in logits; the default, "
            "balanced, is the thresholds above. Scores (%) on " + _scored_on(report) + ":", "",
            sensitivity_table(report.levels)]


def _short_text_limit(manifest: dict[str, Any]) -> list[str]:
    """What happens to the genre of texts shorter than any training article (if recorded)."""
    support = manifest.get("genre_support")
    if not support:
        return []
    prior = ", ".join(f"{g} {100 * v:.1f}%" for g, v in support["prior"].items())
    return [f"- Genre is judged on whole articles: the shortest training article has {support['min_words']} "
            "words. The genre scores of a shorter text (a pasted sentence or paragraph) are pulled toward "
            f"the training mix ({prior}) in proportion, so a sentence is labelled like a typical "
            "training article, not by its extreme style rates."]


def _maps_from_topics(manifest: dict[str, Any]) -> bool:
    """Whether the artifact's confidence maps were fitted on topic folds (artifacts from
    before ``confidence_folds`` fitted them on their ``fold_by`` folds)."""
    p = manifest.get("params", {})
    return bool(p.get("confidence_folds", p.get("fold_by")) == "topic")


def _drift_limit(manifest: dict[str, Any]) -> str:
    """What new stories and periods cost, as measured (BENCHMARKS.md), by how the confidence
    maps were fitted."""
    head = ("- On stories the model never saw (topic-held-out cross-validation) every score is worse "
            "(paragraph micro-F1 about 5 points, frames about 8), and about as much on a later period "
            "(time-ordered folds). ")
    if _maps_from_topics(manifest):
        return head + ("The confidences were fitted for that case: on unseen topics span and "
                       "paragraph scores sit about 5 and 4 points from the observed rates (9 with maps "
                       "from ordinary folds), on a later period about 3 (6-7). See BENCHMARKS.md.")
    return head + ("Scores are calibrated on articles about the same stories as the training ones "
                   "(random folds) and sit about 9 points from the observed rates on unseen topics "
                   "instead of 2. See BENCHMARKS.md.")


def _per_language(per_language: dict[str, dict[str, Any]]) -> list[str]:
    """One row of headline scores per language of the fixed validation set."""
    rows = ["| language | articles | paragraph micro-F1 | span aware P / F1 | span agnostic F1 "
            "| genre macro-F1 | frames micro-F1 |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for lang, m in per_language.items():
        aware = m["spans"]["technique_aware"]
        rows.append(f"| {lang} | {m['documents']} | {_pct(m['paragraphs']['micro_f1'])} | "
                    f"{_pct(aware['precision'])} / {_pct(aware['f1'])} | "
                    f"{_pct(m['spans']['technique_agnostic']['f1'])} | {_pct(m['genre']['macro_f1'])} | "
                    f"{_pct(m['frames']['micro_f1'])} |")
    return rows


def _multilingual_limits(manifest: dict[str, Any]) -> list[str]:
    """The limits of a model trained on several languages (an encoder's)."""
    transfer = manifest.get("transfer") or []
    return [
        "", "## Limits",
        "- Rare techniques (a few dozen training spans in all languages: Straw_Man, Red_Herring, "
        "Appeal_to_Popularity...) are rarely found; treat their absence as no evidence.",
        "- The span offsets of the five non-English languages were noisy; they were moved onto "
        "the nearest words, so their span scores measure words near the annotators' too.",
        f"- Languages it was not trained on ({', '.join(transfer) or 'none'}) are read through the "
        "multilingual encoder; its scores there are not measured. Others are not analysed.",
        "- It reads one paragraph at a time: an argument spread over paragraphs is seen in pieces, "
        "and reporting someone's loaded language is flagged like using it.",
    ]


def write_model_card(path: Path, report: TrainReport, manifest: dict[str, Any], *,
                     untrainable: list[str], per_language: dict[str, dict[str, Any]] | None = None) -> None:
    """Write the model card of a freshly trained artifact (``per_language``: its scores on
    the fixed validation set of each language, for a model trained on several)."""
    m = report.metrics
    heads = manifest.get("heads", {})
    languages = manifest.get("languages")
    data = (f"- Data: SemEval-2023 Task 3 annotated articles in {', '.join(languages)} (news, "
            "2017-2022, research use); the non-English span offsets moved onto words "
            "(datasets/offsets.py). Validation: the five dev splits and the newest English "
            "articles (datasets/task.py), never trained on." if languages else
            "- Data: SemEval-2023 Task 3 English training split (news, 2017-2022, research use).")
    lines = [
        f"# Model card: {manifest.get('name')} ({manifest.get('kind')}, version {manifest.get('version')})",
        "",
        "## Data and split",
        f"- Trained on: {manifest.get('trained_on')}.",
        *_split_lines(report),
        data,
        f"- Training time: {report.seconds:.0f} s; artifact size: {report.size_bytes / 1e6:.1f} MB.",
        f"- Parameters: `{manifest.get('params', {})}`.",
        "",
        "## Cross-validation scores (%, out of fold)" if report.cv_folds else "## Validation scores (%)",
        *_summary(m),
        "",
    ]
    if per_language:
        lines += ["### Per language (%)", *_per_language(per_language)]
    else:
        lines += [f"### Newest articles only (ids starting with 83, "
                  f"{report.recent_metrics.get('documents', 0)} articles)",
                  *_summary(report.recent_metrics)]
    if m:
        lines += ["", "## Genre per class (%)", "| genre | P | R | F1 | support |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [_prf_row(k, v) for k, v in _per_label(m["genre"]["scores"]).items()]
        lines += ["", "## Per technique (%)",
                  f"Paragraph labels and technique-aware spans on {_scored_on(report)}.", "",
                  "| technique | par P | par R | par F1 | par support | span P | span R | span F1 |"
                  " span support |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        par = _per_label(m["paragraphs"]["scores"])
        sp = m["spans"]["per_technique"]
        for t in sorted(par.keys() | sp.keys()):
            a = par.get(t, {"precision": 0, "recall": 0, "f1": 0, "support": 0})
            b = sp.get(t, {"precision": 0, "recall": 0, "f1": 0, "support": 0})
            lines.append(f"| {t} | {_pct(a['precision'])} | {_pct(a['recall'])} | {_pct(a['f1'])} | "
                         f"{a['support']} | {_pct(b['precision'])} | {_pct(b['recall'])} | "
                         f"{_pct(b['f1'])} | {b['support']} |")
        lines += ["", "## Frames per frame (%)", "| frame | P | R | F1 | support |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [_prf_row(k, v) for k, v in _per_label(m["frames"]["scores"]).items()]
    lines += _confidence_section(m, manifest, report)
    lines += _sensitivity_section(report)
    lines += _tagger_section(manifest)
    if heads:
        lines += ["", "## Calibration (decision thresholds from out-of-fold predictions)",
                  "Paragraph and frame thresholds are chosen jointly for the pooled (micro) F1 that the task "
                  "reports, not each technique's own F1. A span detector keeps the paragraph gate and "
                  "threshold of its own best F1, or is switched off (threshold above 1) where that "
                  "raises pooled span F1; it reports a span only in paragraphs whose probability of "
                  "the technique reaches the gate."
                  + (" That probability comes from the `paragraph_gate` head: the paragraph classifier "
                     "refitted without the paragraph-shape features (counts of words, question and "
                     "exclamation marks, quotes, dashes), which help paragraph labels but not the "
                     "choice of sentences and words." if "paragraph_gate" in heads else ""),
                  "",
                  "| head | label | threshold | paragraph gate |", "| --- | --- | --- | --- |"]
        for key, meta in heads.items():
            gates = meta.get("paragraph_gate", {})
            for label, th in meta.get("thresholds", {}).items():
                gate = f"{gates[label]:.3f}" if label in gates else ""
                lines.append(f"| {key} | {label} | {th:.3f} | {gate} |")
        if manifest.get("paragraph_mode"):
            lines += ["", f"Paragraph labels: `{manifest['paragraph_mode']}` (\"union\" adds the "
                      "techniques of spans found in the paragraph to the paragraph classifier's labels; "
                      "chosen on out-of-fold micro-F1)."]
    if manifest.get("languages"):
        lines += _multilingual_limits(manifest)
    else:
        lines += [
            "", "## Limits",
            f"- The techniques without English training examples ({', '.join(untrainable)}) "
            "cannot be predicted yet.",
            "- Rare techniques (a few dozen training spans: Straw_Man, Red_Herring, Whataboutism, "
            "Obfuscation-Vagueness-Confusion, Appeal_to_Popularity...) are rarely found; treat their "
            "absence as no evidence.",
            "- Satire has only a handful of training articles; genre scores for satire are unreliable. "
            "Reporting is under-predicted on news that the training years covered mostly in opinion "
            "pieces (see the newest-articles table): check the genre scores, not only the label.",
            *_short_text_limit(manifest),
            _drift_limit(manifest),
            "- Paragraph labels come with evidence: for techniques found word by word, the words with "
            "the highest token probability; for the others, the n-grams that raised the linear classifier's "
            "score most. They include topic words (names, countries) next to loaded ones: the model also "
            "leans on what its training years tied to each technique.",
            "- A lexical model: it sees words and short contexts"
            + (" (the tagger: a few tokens on each side, and its paragraph)"
               if manifest.get("tagger") else "")
            + ", not argument structure, and can be "
            "fooled by quoted speech (reporting someone's loaded language is flagged like using it).",
            "- Trained on English news about politics and conflicts of 2017-2022; other domains and "
            "languages are out of scope.",
        ]
    if manifest.get("params", {}).get("static_dim"):
        lines.append("- Its word vectors are all-MiniLM-L6-v2's outputs for single words (distilled at "
                     "training): they carry word similarity, not the meaning of a word in its sentence.")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
