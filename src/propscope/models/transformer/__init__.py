"""Transformer persuasion model (all-MiniLM-L6-v2 encoder, ONNX int8 at inference)."""
