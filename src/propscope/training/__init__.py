"""Training and scoring models: fitting a kind on SemEval data, cross-validation, predictions
for experiments, sensitivity levels and the model card.

Nothing here is needed to analyse an article: loading a model (``propscope.models``) never
imports this package.
"""
