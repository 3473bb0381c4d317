"""Trainable persuasion models behind one interface, and loading of committed artifacts."""

from propscope.models.base import (
    MODELS,
    DEFAULT_MODEL_DIR,
    ModelComponent,
    PersuasionModel,
    load_model,
    register_model,
)

__all__ = ["MODELS", "DEFAULT_MODEL_DIR", "ModelComponent", "PersuasionModel", "load_model",
           "register_model"]
