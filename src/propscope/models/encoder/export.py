"""The fitted encoder as two int8 ONNX graphs: the frozen lower layers and the fine-tuned upper.

``base.onnx``: ``input_ids``, ``attention_mask`` (int64 ``[B, T]``) -> ``hidden`` (float32
``[B, T, H]``), the embeddings and the pretrained, frozen layers; it changes only with the
vocabulary or the number of frozen layers, so retraining the heads does not replace it.
``top.onnx``: ``hidden``, ``attention_mask`` -> ``states``, the fine-tuned layers. Weights of
every MatMul and of the embedding lookup are quantized to int8 (dynamic quantization: the
activations are quantized at run time); on AVX2 without VNNI, signed weights use the
reduced 7-bit range, so the u8 x s8 kernel cannot saturate.

Training only (torch, onnx): analysis loads the files with onnxruntime.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import torch
from torch import nn

from propscope.models.encoder.network import E5Encoder


class _Base(nn.Module):
    def __init__(self, encoder: E5Encoder, stop: int) -> None:
        super().__init__()
        self.encoder, self.stop = encoder, stop

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.encoder.run_layers(self.encoder.embed(input_ids), attention_mask, 0, self.stop)


class _Top(nn.Module):
    def __init__(self, encoder: E5Encoder, start: int) -> None:
        super().__init__()
        self.encoder, self.start = encoder, start

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.encoder.run_layers(hidden, attention_mask, self.start)


def _export(module: nn.Module, example: tuple[torch.Tensor, torch.Tensor], names: tuple[str, str],
            output: str, path: Path) -> None:
    axes = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module.eval(), example, str(path), input_names=list(names), output_names=[output],
                          dynamic_axes={n: axes for n in (*names, output)}, opset_version=17,
                          do_constant_folding=True, dynamo=False)


def _int8(src: Path, dst: Path) -> bytes:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                     reduce_range=True, op_types_to_quantize=["MatMul", "Gather"])
    return dst.read_bytes()


def export_encoder(encoder: E5Encoder, frozen: int) -> tuple[bytes, bytes]:
    """``(base, top)``: the int8 ONNX graphs of ``encoder`` split after ``frozen`` layers."""
    ids = torch.tensor([[0, 6, 2], [0, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1], [1, 1, 0]], dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp, torch.inference_mode():
        folder = Path(tmp)
        _export(_Base(encoder, frozen), (ids, mask), ("input_ids", "attention_mask"), "hidden",
                folder / "base.onnx")
        hidden = _Base(encoder, frozen)(ids, mask)
        _export(_Top(encoder, frozen), (hidden, mask), ("hidden", "attention_mask"), "states",
                folder / "top.onnx")
        return (_int8(folder / "base.onnx", folder / "base-int8.onnx"),
                _int8(folder / "top.onnx", folder / "top-int8.onnx"))
