"""Named pipeline components (callables ``Document -> Document``) and the loop that runs them."""

from propscope.pipeline.base import (
    COMPONENTS,
    Component,
    Pipeline,
    PipelineError,
    create_component,
    register_component,
)

# The built-in components register themselves on import: one explicit list.
from propscope.pipeline.components import (
    BoilerplateDetector,
    LanguageDetector,
    ModelComponent,
    ParagraphSegmenter,
)
from propscope.pipeline.quotes import QuoteFinder

__all__ = ["COMPONENTS", "BoilerplateDetector", "Component", "LanguageDetector", "ModelComponent",
           "ParagraphSegmenter", "Pipeline", "PipelineError", "QuoteFinder", "create_component",
           "register_component"]
