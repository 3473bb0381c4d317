"""Component protocol, registry and pipeline loop.

A component is a callable that takes a Document, enriches the attributes it names in
``assigns`` and returns the same Document; one that gains from seeing many documents at once
(the model) also has ``pipe(docs) -> docs``, which ``Pipeline.pipe`` uses. The registry maps a
name to a factory so a pipeline can be described by names (in config files, on the command
line) instead of if-chains; the built-in components register themselves in
``components.py``, which the package imports. The loop checks what each component returns
and names the component that fails.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from propscope.document import Document
from propscope.errors import PropscopeError


@runtime_checkable
class Component(Protocol):
    """What every pipeline stage provides."""

    name: str
    requires: tuple[str, ...]  # Document attributes that must be filled before it runs
    assigns: tuple[str, ...]  # Document attributes it writes

    def __call__(self, doc: Document) -> Document: ...


class PipelineError(PropscopeError, RuntimeError):
    """A component failed or broke the component contract."""


ComponentFactory = Callable[..., Component]
COMPONENTS: dict[str, ComponentFactory] = {}


def register_component(name: str) -> Callable[[ComponentFactory], ComponentFactory]:
    """Class/function decorator adding a component factory to the registry under ``name``."""

    def deco(factory: ComponentFactory) -> ComponentFactory:
        if name in COMPONENTS and COMPONENTS[name] is not factory:
            raise ValueError(f"A component named {name!r} is already registered.")
        COMPONENTS[name] = factory
        return factory

    return deco


def create_component(name: str, **kwargs: Any) -> Component:
    """Build the registered component ``name`` with ``kwargs``."""
    try:
        factory = COMPONENTS[name]
    except KeyError:
        known = ", ".join(sorted(COMPONENTS))
        raise PipelineError(f"No component named {name!r}; known components: {known}.") from None
    return factory(**kwargs)


class Pipeline:
    """An ordered list of components applied to each document.

    Args:
        components: the stages, in order. Each one's ``requires`` must be assigned by an
            earlier stage (or be given by ingestion: ``text`` and ``metadata``).
    """

    GIVEN = ("text", "metadata", "id", "source")

    def __init__(self, components: Sequence[Component]) -> None:
        self.components = list(components)
        have = set(self.GIVEN)
        for c in self.components:
            missing = [r for r in c.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"Component {c.name!r} requires {missing}, which no earlier component assigns."
                )
            have.update(c.assigns)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, doc: Document) -> Document:
        for c in self.components:
            out = _run(c, c, doc)
            if out is not doc:
                raise PipelineError(
                    f"Component {c.name!r} returned {type(out).__name__}, not the Document it was given."
                )
        return doc

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 1) -> Iterator[Document]:
        """Apply the pipeline to a stream of documents, lazily, ``batch_size`` at a time.

        Each batch goes through every component in turn: through its ``pipe`` where it has
        one (the model predicts a whole batch in one pass), else document by document.
        """
        it = iter(docs)
        while batch := list(itertools.islice(it, max(batch_size, 1))):
            for c in self.components:
                many = getattr(c, "pipe", None)
                out = _run(c, many, batch) if many is not None else [_run(c, c, d) for d in batch]
                if len(out) != len(batch) or any(a is not b for a, b in zip(out, batch, strict=False)):
                    raise PipelineError(f"Component {c.name!r} did not return the documents it was given.")
            yield from batch


def _run(component: Component, call: Callable[[Any], Any], arg: Any) -> Any:
    """``call(arg)``, a failure named by the component (and the document, when one)."""
    try:
        return call(arg)
    except PropscopeError:
        raise
    except Exception as exc:  # name the failing stage, keep the cause
        where = repr(arg.id) if isinstance(arg, Document) else f"a batch of {len(arg)}"
        raise PipelineError(f"Component {component.name!r} failed on {where}: {exc}") from exc
