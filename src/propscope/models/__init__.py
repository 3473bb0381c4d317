"""Trainable persuasion models behind one interface, and loading of committed artifacts."""

from propscope.models.base import (
    ARTIFACTS_DIR,
    DEFAULT_MODEL,
    DEFAULT_MODEL_DIR,
    KINDS,
    MODELS,
    PersuasionModel,
    load_model,
    model_class,
    register_model,
    resolve_model_path,
)

__all__ = [
    "ARTIFACTS_DIR",
    "DEFAULT_MODEL",
    "DEFAULT_MODEL_DIR",
    "KINDS",
    "MODELS",
    "PersuasionModel",
    "load_model",
    "model_class",
    "register_model",
    "resolve_model_path",
]
