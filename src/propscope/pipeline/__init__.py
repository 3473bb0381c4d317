"""Named pipeline components (callables ``Document -> Document``) and the loop that runs them."""

from propscope.pipeline.base import (
    COMPONENTS,
    Component,
    Pipeline,
    PipelineError,
    create_component,
    register_component,
)

__all__ = ["COMPONENTS", "Component", "Pipeline", "PipelineError", "create_component",
           "register_component"]
