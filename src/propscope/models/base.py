"""The interface every persuasion model fills, the model registry and artifact loading.

A model follows scikit-learn's rules: ``__init__`` only stores its arguments, ``fit`` learns
from gold Documents, sets attributes ending in ``_`` and returns ``self``; ``predict`` on an
unfitted model raises ``NotFittedError``. One model predicts everything the shared task asks
for (spans, paragraph labels, genre, frames) so an implementation can share one encoder pass
across the four outputs.

An artifact is a folder holding ``model.json`` (``kind``, ``name``, ``version``,
``trained_on``) plus whatever files the kind needs; ``kind`` picks the class: ``KINDS`` names
the module of each kind, imported only when a model of that kind is loaded or trained, where
the class registers itself with ``@register_model``.
"""

from __future__ import annotations

import importlib
import inspect
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from propscope.document import Document, ModelInfo
from propscope.errors import ModelError, NotFittedError

ARTIFACTS_DIR = Path(__file__).parent / "artifacts"
# The shipped model used when none is named; each name is a folder under ARTIFACTS_DIR.
DEFAULT_MODEL = "hybrid-v1"
DEFAULT_MODEL_DIR = ARTIFACTS_DIR / DEFAULT_MODEL


# Names for the shipped models by what they are for: ``--model fast``.
ALIASES = {"fast": "hybrid-v1"}


def resolve_model_path(name_or_path: str | Path | None) -> Path:
    """A shipped model's name (``hybrid-v1``) or alias (``fast``) or an artifact folder -> the
    folder's path."""
    if name_or_path is None:
        return DEFAULT_MODEL_DIR
    if not isinstance(name_or_path, str | Path):
        raise TypeError(f"A model is a shipped model's name, an artifact folder or a loaded "
                        f"model, not {type(name_or_path).__name__}.")
    name_or_path = ALIASES.get(str(name_or_path), name_or_path)
    p = Path(name_or_path)
    if not p.exists() and (ARTIFACTS_DIR / str(name_or_path)).is_dir():
        return ARTIFACTS_DIR / str(name_or_path)
    return p


@runtime_checkable
class PersuasionModel(Protocol):
    """Predicts technique spans, paragraph techniques, genre and frames for documents."""

    kind: ClassVar[str]

    def fit(self, docs: Sequence[Document], **kwargs: Any) -> PersuasionModel:
        """Learn from gold documents (spans, paragraphs, genre, frames filled).

        Keyword arguments a kind does not use are ignored: ``progress`` (a callback),
        ``trained_on`` (a description) and ``document_level`` (articles labelled for genre
        and frames only).
        """
        ...

    def predict(self, docs: Sequence[Document], *, sensitivity: float = 0.0) -> list[Document]:
        """Annotate ``docs`` in place (paragraphs and boilerplate already set) and return them.

        Fills ``spans`` (only those above the model's calibrated thresholds, moved by
        ``sensitivity`` logits: ``sensitivity.py``), ``paragraphs[i].techniques`` and
        ``.scores``, ``genre``, ``frames`` and ``model`` (which records the sensitivity).
        Spans never fall inside boilerplate regions.
        """
        ...

    def save(self, path: Path) -> None:
        """Write the artifact folder (``model.json`` plus the kind's own files)."""
        ...

    @classmethod
    def load(cls, path: Path) -> PersuasionModel:
        """Read an artifact folder written by ``save``."""
        ...

    @property
    def info(self) -> ModelInfo: ...


class FittedModel:
    """What every model kind shares: the ``info`` property and the not-fitted check.

    Subclasses set ``name`` and ``version`` in ``__init__`` and ``heads_`` and ``trained_on_``
    in ``fit``/``load``.
    """

    name: str
    version: str

    def _check_fitted(self) -> None:
        if not hasattr(self, "heads_"):
            cls = type(self).__name__
            raise NotFittedError(
                f"This {cls} is not fitted yet: call fit(docs) or load an artifact with "
                f"{cls}.load(path) / propscope.models.load_model(NAME_OR_PATH)."
            )

    def get_params(self) -> dict[str, Any]:
        """Constructor arguments, as scikit-learn estimators expose them.

        Read from the ``__init__`` signatures (``__init__`` stores each argument unchanged under
        its own name), so a new parameter cannot be forgotten here. A subclass that passes
        ``**kwargs`` on to its base's ``__init__`` gets the base's parameters too.
        """
        names: list[str] = []
        for klass in type(self).__mro__:
            init = vars(klass).get("__init__")
            if init is None or klass is object:
                continue
            params = inspect.signature(init).parameters.values()
            names += [p.name for p in params if p.name != "self" and p.name not in names
                      and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
            if not any(p.kind == p.VAR_KEYWORD for p in params):
                break
        return {n: getattr(self, n) for n in names}

    @property
    def info(self) -> ModelInfo:
        """Name, version and training data; ``trained_on`` says so when not fitted yet.

        It never raises: protocol checks (``isinstance(m, PersuasionModel)``) read it.
        """
        return ModelInfo(self.name, self.version, getattr(self, "trained_on_", "not trained"),
                         self.calibrated)

    @property
    def calibrated(self) -> bool:
        """Whether this model's scores are calibrated probabilities (``ModelInfo.calibrated``)."""
        return False


M = TypeVar("M", bound=type)
MODELS: dict[str, type] = {}
# Every model kind and the module that defines it: a new kind is one module plus one line here.
KINDS: dict[str, str] = {
    "encoder": "propscope.models.encoder",
    "hybrid": "propscope.models.hybrid",
    "linear": "propscope.models.linear",
}


def register_model(kind: str) -> Callable[[M], M]:
    """Class decorator registering a model implementation under ``kind``."""

    def deco(cls: M) -> M:
        MODELS[kind] = cls
        cls.kind = kind  # type: ignore[attr-defined]
        return cls

    return deco


def model_class(kind: object) -> type:
    """The class of model kind ``kind``, its module imported on first use."""
    if not isinstance(kind, str) or kind not in KINDS:
        raise ModelError(f"Unknown model kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}.")
    if kind not in MODELS:
        importlib.import_module(KINDS[kind])
    return MODELS[kind]


def read_manifest(path: Path) -> dict[str, Any]:
    """Read ``model.json`` of an artifact folder, with a clear error if it is missing."""
    manifest = Path(path) / "model.json"
    if not manifest.is_file():
        shipped = sorted(d.name for d in ARTIFACTS_DIR.iterdir() if (d / "model.json").is_file()) \
            if ARTIFACTS_DIR.is_dir() else []
        names = f" The shipped models are: {', '.join(shipped)}." if shipped else ""
        raise ModelError(
            f"No model artifact at {path}: expected {manifest}. Train one with "
            f"`propscope train --data DIR` or pass --model pointing to an artifact folder.{names}"
        )
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"Corrupt model manifest {manifest}: {exc}") from exc


def load_model(path: str | Path | None = None) -> PersuasionModel:
    """Load a shipped model by name or an artifact folder (default: ``DEFAULT_MODEL``)."""
    path = resolve_model_path(path)
    kind = read_manifest(path).get("kind")
    if kind not in KINDS:
        raise ModelError(f"Model at {path} is of unknown kind {kind!r}; known: {sorted(KINDS)}.")
    return model_class(kind).load(path)  # type: ignore[no-any-return,attr-defined]
