"""Article folds for out-of-fold fitting and cross-validation: random, whole topics, or
stretches of time.

In a random fold most articles have siblings in training about the same event, so
out-of-fold scores (and every threshold and confidence map fitted on them) describe
articles about familiar stories. Topic folds hold out whole clusters of similar articles;
ordered folds hold out contiguous stretches of a sort key (a date, or an id assigned in
order of collection), so the last fold is scored by models that saw only earlier articles.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from propscope.languages import DEFAULT_LANGUAGE, get_language

FOLDINGS = ("article", "topic")
CLUSTERS_PER_FOLD = 4


def article_folds(n: int, folds: int, seed: int) -> np.ndarray:
    """A seeded permutation of ``n`` articles dealt round-robin to ``folds`` folds."""
    return np.random.default_rng(seed).permutation(n) % folds


def ordered_folds(keys: Sequence[float | None], folds: int, seed: int) -> np.ndarray:
    """A fold per article: articles with a key, sorted by it, cut into ``folds`` contiguous
    blocks of (nearly) equal size, oldest first; articles whose key is ``None`` (no date
    known) are dealt round-robin in a seeded order, so every fold gets its share of them.
    Ties keep the input order."""
    dated = sorted((float(k), i) for i, k in enumerate(keys) if k is not None)
    order = [i for _, i in dated]
    out = np.zeros(len(keys), dtype=int)
    for block, part in enumerate(np.array_split(np.asarray(order, dtype=int), folds)):
        out[part] = block
    undated = np.asarray([i for i, k in enumerate(keys) if k is None], dtype=int)
    out[undated] = article_folds(len(undated), folds, seed)
    return out


def topic_folds(texts: Sequence[str], folds: int, seed: int,
                language: str = DEFAULT_LANGUAGE) -> tuple[np.ndarray, list[str]]:
    """A fold per text such that no cluster of similar texts spans two folds.

    Texts are clustered by k-means (``CLUSTERS_PER_FOLD x folds`` clusters) on TF-IDF without
    the stop words of ``language`` (where scikit-learn has them); clusters are dealt largest
    first to the fold with the fewest texts. Returns the folds and one line per cluster (size,
    fold, top words) for reports. Needs scikit-learn
    (training only).
    """
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    k = min(CLUSTERS_PER_FOLD * folds, len(texts))
    if k <= folds:  # too few texts to cluster: one text per cluster
        return article_folds(len(texts), folds, seed), []
    vec = TfidfVectorizer(stop_words=get_language(language).stop_words, max_features=20000,
                          min_df=min(2, len(texts)), sublinear_tf=True)
    x = vec.fit_transform(list(texts))
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(x).labels_
    sizes = np.bincount(labels, minlength=k)
    fold_of_cluster, load = np.zeros(k, dtype=int), np.zeros(folds, dtype=int)
    for c in np.argsort(-sizes, kind="stable"):
        f = int(np.argmin(load))
        fold_of_cluster[c], load[f] = f, load[f] + sizes[c]
    terms = np.asarray(vec.get_feature_names_out())
    lines = []
    for c in np.argsort(-sizes, kind="stable"):
        if not sizes[c]:  # k-means may leave a cluster empty on near-duplicate texts
            continue
        centre = np.asarray(x[labels == c].mean(axis=0)).ravel()
        lines.append(f"{sizes[c]} articles, fold {fold_of_cluster[c] + 1}: "
                     + ", ".join(terms[np.argsort(-centre)[:6]]))
    return fold_of_cluster[labels], lines
