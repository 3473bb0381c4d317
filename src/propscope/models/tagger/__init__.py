"""A small convolutional tagger over distilled word vectors: per-token and per-paragraph
technique probabilities. Inference (``network.forward``) is numpy; training (``training``)
needs torch."""

from propscope.models.tagger.network import TaggerWeights, forward

__all__ = ["TaggerWeights", "forward"]
