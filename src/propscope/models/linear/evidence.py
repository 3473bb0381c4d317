"""Why a paragraph got a label: the words behind it, located in the paragraph's text.

- Techniques found word by word (token-level: name calling, loaded language, ...): the
  paragraph's distinct content words with the highest token probability of the technique,
  the same probability its spans are decoded from and, in the hybrid kind, part of the
  paragraph score. On the validation articles 14.9% of these words lie inside a gold span
  of the technique, against 6.7% for the classifier n-grams below.
- Other techniques (found sentence by sentence): the n-grams that raised the paragraph
  classifier's score most. The classifier is linear in the paragraph's TF-IDF row, so a
  label's score splits exactly into one term per n-gram, ``tfidf[i] * weight[label, i]``,
  plus the word-vector, shape and bias terms; the evidence is the n-grams with the largest
  positive terms that hold a content word. Where a tagger is mixed in, its share is not
  itemised.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from propscope.models.linear.features import TOKEN_RE, TextVectorizer
from propscope.models.linear.heads import LinearHead
from propscope.models.linear.text import is_content
from propscope.models.linear.units import Units, paragraph_bounds

# n-grams shown per label; more reads as noise, fewer hides a second cue.
TOP_TERMS = 3
# Occurrences of one n-gram marked per paragraph: the evidence points, it does not repeat.
MAX_OCCURRENCES = 2


def _occurrences(toks: Sequence[tuple[int, int, str]], where: dict[str, list[int]], gram: str,
                 offset: int) -> list[tuple[int, int]]:
    """Character ranges (``offset``-based) of the word 1- or 2-gram ``gram`` among ``toks``
    (a text's ``(start, end, lowercased word)`` tokens, as the vectorizer splits it; ``where``
    maps each word to its token positions)."""
    words = gram.split(" ")
    out = []
    for i in where.get(words[0], ()):
        if all(i + k < len(toks) and toks[i + k][2] == w for k, w in enumerate(words[1:], 1)):
            out.append((offset + toks[i][0], offset + toks[i + len(words) - 1][1]))
            if len(out) == MAX_OCCURRENCES:
                break
    return out


def _outermost(ranges: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ranges`` without those inside another ("nation" within "our nation"), sorted."""
    return sorted(r for r in ranges if not any(o != r and o[0] <= r[0] and r[1] <= o[1] for o in ranges))


def paragraph_evidence(head: LinearHead, vec: TextVectorizer, rows: sp.csr_matrix, texts: Sequence[str],
                       starts: Sequence[int], labels: Sequence[Sequence[str]],
                       ) -> list[dict[str, list[tuple[int, int]]]]:
    """For each paragraph, ``{label: [(start, end), ...]}`` over its predicted ``labels``.

    Args:
        head: the fitted paragraph classifier (weights over ``rows``' columns).
        vec: the vectorizer whose word n-grams are the first ``len(vec.word_vocab)`` columns.
        rows: ``paragraphs x columns`` feature rows, as the classifier scored them.
        texts: each paragraph's text; ``starts``: its first character in the document.
        labels: the labels given to each paragraph (evidence is sought for these only).
    """
    n_words = len(vec.word_vocab)
    col = {t: j for j, t in enumerate(head.labels)}
    out: list[dict[str, list[tuple[int, int]]]] = []
    for i, given in enumerate(labels):
        found: dict[str, list[tuple[int, int]]] = {}
        lo, hi = rows.indptr[i], rows.indptr[i + 1]
        idx, val = rows.indices[lo:hi], rows.data[lo:hi]
        keep = idx < n_words
        idx, val = idx[keep], val[keep]
        toks = [(m.start(), m.end(), m.group().lower()) for m in TOKEN_RE.finditer(texts[i])] if given else []
        where: dict[str, list[int]] = {}
        for k, (_, _, w) in enumerate(toks):
            where.setdefault(w, []).append(k)
        for label in given:
            if label not in col or not len(idx):
                continue
            terms = val * head.coef[col[label], idx].astype(np.float32)
            # N-grams of function words only ("these", "of the") count in the score but
            # explain nothing to a reader, so the evidence shows the strongest other ones.
            shown: list[str] = []
            for j in np.argsort(-terms, kind="stable"):
                if terms[j] <= 0 or len(shown) == TOP_TERMS:
                    break
                gram = vec.word_vocab[idx[j]]
                if any(is_content(w) for w in gram.split(" ")):
                    shown.append(gram)
            ranges = {r for g in shown for r in _occurrences(toks, where, g, starts[i])}
            if ranges:
                found[label] = _outermost(ranges)
        out.append(found)
    return out


def token_evidence(units: Units, labels: Sequence[str], probs: np.ndarray,
                   given: Sequence[Sequence[str]]) -> list[dict[str, list[tuple[int, int]]]]:
    """For each paragraph of ``units``, ``{label: [(start, end), ...]}`` over the token-level
    ``labels`` among its ``given`` ones: its ``TOP_TERMS`` distinct content words with the
    highest ``probs`` (``tokens x labels``, before any paragraph gate), document offsets."""
    col = {t: j for j, t in enumerate(labels)}
    n_par = len(units.paragraphs)
    lo, hi = paragraph_bounds(units.tok_par, n_par)
    out: list[dict[str, list[tuple[int, int]]]] = []
    for i in range(n_par):
        found: dict[str, list[tuple[int, int]]] = {}
        wanted = [t for t in given[i] if t in col]
        if wanted:
            d = int(units.par_doc[i])
            text, base = units.docs[d].text, int(units.base[d])
            rows = np.arange(lo[i], hi[i])[units.tok_content[lo[i]:hi[i]]]
            for label in wanted:
                seen: set[str] = set()
                picked = []
                for r in rows[np.argsort(-probs[rows, col[label]], kind="stable")]:
                    a, b = int(units.tok_ranges[r, 0]) - base, int(units.tok_ranges[r, 1]) - base
                    if text[a:b].lower() not in seen:
                        seen.add(text[a:b].lower())
                        picked.append((a, b))
                        if len(picked) == TOP_TERMS:
                            break
                if picked:
                    found[label] = sorted(picked)
        out.append(found)
    return out
