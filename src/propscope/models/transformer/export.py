"""Export the fine-tuned torch encoder to ONNX and quantise it to int8 (training-time only)."""

from __future__ import annotations

from pathlib import Path

import torch

from propscope.models.transformer.network import Encoder

INPUT_NAMES = ["input_ids", "attention_mask"]
OUTPUT_NAME = "hidden"
OPSET = 17


def export_encoder(encoder: Encoder, path: Path) -> Path:
    """Write ``encoder`` as an fp32 ONNX graph with dynamic batch and sequence axes."""
    encoder.eval()
    ids = torch.full((2, 12), min(1000, encoder.config.vocab_size - 1), dtype=torch.long)
    mask = torch.ones_like(ids)
    dyn = {"0": "batch", "1": "seq"}
    axes = {n: {int(k): v for k, v in dyn.items()} for n in [*INPUT_NAMES, OUTPUT_NAME]}
    with torch.no_grad():
        torch.onnx.export(encoder, (ids, mask), str(path), input_names=INPUT_NAMES,
                          output_names=[OUTPUT_NAME], dynamic_axes=axes, opset_version=OPSET,
                          dynamo=False)
    return Path(path)


def quantize_int8(src: Path, dst: Path) -> Path:
    """Dynamic int8 quantisation of weights (activations quantised at run time)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8)
    return Path(dst)
