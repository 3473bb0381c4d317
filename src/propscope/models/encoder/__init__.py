"""The encoder model kind: multilingual-e5-small fine-tuned on six languages (``model.py``)."""

from propscope.models.encoder.model import EncoderModel

__all__ = ["EncoderModel"]
