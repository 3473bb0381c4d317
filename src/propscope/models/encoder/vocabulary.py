"""Vocabulary pruning for the XLM-R unigram tokenizer of multilingual-e5-small.

A pruned vocabulary keeps (a) every piece used when tokenizing a corpus, (b)
the single-character pieces (bare and ``▁``-prefixed) of the scripts we expect,
so unseen words still split into known characters, and (c) the special tokens.
Kept pieces keep their relative order, so specials ``<s> <pad> </s> <unk>``
stay at ids 0-3. The pruned ``tokenizer.json`` is the original with the
unigram vocabulary replaced and every id (unk, added tokens, post-processor)
remapped; the embedding matrix is ``E[keep_ids]``.

Unigram segmentation is a best-path search, so a text whose full-vocabulary
segmentation uses only kept pieces is segmented identically by the pruned
tokenizer (up to ties); elsewhere it falls back to shorter kept pieces.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable

import numpy as np
from tokenizers import Tokenizer

META = "\u2581"
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "GEORGIAN")


def used_ids(tok: Tokenizer, texts: Iterable[str], prefixes: tuple[str, ...] = ("passage: ", "query: "),
             batch: int = 2048) -> set[int]:
    """Ids of all pieces produced when tokenizing ``texts`` (and the prefixes)."""
    ids: set[int] = set()
    for p in prefixes:
        ids.update(tok.encode(p, add_special_tokens=False).ids)
    buf: list[str] = []
    for t in texts:
        buf.append(t)
        if len(buf) == batch:
            for e in tok.encode_batch(buf, add_special_tokens=False):
                ids.update(e.ids)
            buf = []
    for e in tok.encode_batch(buf, add_special_tokens=False):
        ids.update(e.ids)
    return ids


def char_class(c: str) -> str | None:
    """Why a single character is kept: its script, ``digit``, ``punct``, ``mark``, or None."""
    name = unicodedata.name(c, "")
    cat = unicodedata.category(c)
    if name.split(" ")[0] in SCRIPTS:
        return name.split(" ")[0].lower()
    if cat == "Nd" and c.isascii():
        return "digit"
    if cat[0] in "PS" or cat == "No" or cat == "Zs":
        return "punct" if ord(c) < 0x2E80 else None   # up to, not including, CJK
    if cat == "Mn" and 0x0300 <= ord(c) < 0x0370:      # combining diacritics
        return "mark"
    return None


def single_char_ids(pieces: list[str]) -> dict[str, set[int]]:
    """Ids of pieces that are one character (optionally after ``▁``), grouped by :func:`char_class`."""
    out: dict[str, set[int]] = {}
    for i, p in enumerate(pieces):
        body = p[1:] if p.startswith(META) and len(p) > 1 else p
        if len(body) != 1:
            continue
        cls = "meta" if body == META else char_class(body)
        if cls:
            out.setdefault(cls, set()).add(i)
    return out


def special_ids(tokenizer_json: dict) -> set[int]:
    """Ids of the added/special tokens (``<s> <pad> </s> <unk> <mask>``)."""
    return {t["id"] for t in tokenizer_json["added_tokens"]}


def prune_tokenizer_json(tokenizer_json: dict, keep: np.ndarray) -> dict:
    """The tokenizer.json with only the pieces ``keep`` (sorted old ids), ids remapped."""
    old2new = {int(o): n for n, o in enumerate(keep)}
    tj = copy.deepcopy(tokenizer_json)
    model = tj["model"]
    model["vocab"] = [model["vocab"][int(o)] for o in keep]
    model["unk_id"] = old2new[model["unk_id"]]
    for t in tj["added_tokens"]:
        t["id"] = old2new[t["id"]]
    for st in (tj.get("post_processor") or {}).get("special_tokens", {}).values():
        st["ids"] = [old2new[i] for i in st["ids"]]
    return tj


def build_keep_ids(tokenizer_json: dict, used: set[int], pieces: list[str]
                   ) -> tuple[np.ndarray, dict[str, int]]:
    """Sorted old ids to keep, and how many each source contributed (counted once, in order)."""
    keep: set[int] = set()
    counts: dict[str, int] = {}
    sources = {"special": special_ids(tokenizer_json), "corpus": used}
    sources.update({f"char:{k}": v for k, v in sorted(single_char_ids(pieces).items())})
    for name, ids in sources.items():
        new = set(ids) - keep
        counts[name] = len(new)
        keep |= new
    return np.array(sorted(keep), dtype=np.int64), counts


