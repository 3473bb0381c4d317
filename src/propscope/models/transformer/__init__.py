"""Transformer persuasion model (``kind="transformer"``): all-MiniLM-L6-v2 fine-tuned for
span tagging, paragraph techniques, genre and frames; int8 ONNX at inference.

Importing this package registers the kind and stays cheap: torch is imported only when a
model is trained, onnxruntime only when one first predicts.
"""

from propscope.models.transformer.model import TransformerModel

__all__ = ["TransformerModel"]
