"""The whole shared task's annotated data, six languages, and the fixed validation set.

``load_task(data_root)`` reads the English folder and the five other languages' folders of
``../shared/data`` into one training set and one validation set that no model trains on:

- validation: the five languages' ``dev-`` splits (annotated news of 2020-2022 that no
  English-trained model has seen) and the newest English articles (ids from
  ``NEWEST_ENGLISH`` on, in collection order: August 2018 onwards, 83 articles);
- training: every other annotated article (the five ``train-`` splits, the older English
  articles), plus the articles labelled for genre and frames only, for the document heads.

Models are chosen on this validation, never on folds of the old English articles alone:
those did not predict news from a later year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from propscope.datasets.semeval import DOCUMENT_LEVEL_DIR, collection_order, load_semeval
from propscope.document import Document
from propscope.errors import DataError

ENGLISH_DIR = "semeval2023-task3-en"
MULTI_DIR = "semeval2023-task3-multi"
ANNOTATED = ("en", "fr", "de", "it", "pl", "ru")
# English article ids in collection order from here on are the newest (August 2018 onwards).
NEWEST_ENGLISH = 780_000_000


@dataclass
class TaskData:
    """Gold documents of every annotated language, split for training and validation.

    Attributes:
        train: articles with technique annotation a model learns from.
        validation: the fixed validation articles (see the module docstring).
        document_level: articles labelled for genre and frames only (training).
        validation_document_level: the same among the validation splits (scored for genre
            and frames only).
        repaired: per language, spans read, moved and dropped by the offset repair.
        notes: warnings about the data, one line each.
    """

    train: list[Document] = field(default_factory=list)
    validation: list[Document] = field(default_factory=list)
    document_level: list[Document] = field(default_factory=list)
    validation_document_level: list[Document] = field(default_factory=list)
    repaired: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def is_validation_english(doc_id: str) -> bool:
    """Whether an English article is one of the newest, held out for validation."""
    order = collection_order(doc_id)
    return order is not None and order >= NEWEST_ENGLISH


def load_task(data_root: str | Path, languages: Sequence[str] = ANNOTATED) -> TaskData:
    """Read the annotated data of ``languages`` under ``data_root`` (``../shared/data``)."""
    root = Path(data_root)
    unknown = sorted(set(languages) - set(ANNOTATED))
    if unknown:
        raise DataError(f"No annotated data for {', '.join(unknown)}; annotated: {', '.join(ANNOTATED)}.")
    out = TaskData()
    for lang in languages:
        if lang == "en":
            folder = root / ENGLISH_DIR
            data = load_semeval(folder, language="en")
            out.train += [d for d in data.documents if not is_validation_english(d.id)]
            out.validation += [d for d in data.documents if is_validation_english(d.id)]
            out.document_level += data.document_level
            out.notes += [f"en: {n}" for n in data.notes()]
            continue
        folder = root / MULTI_DIR / lang
        for split, target in (("train", out.train), ("dev", out.validation)):
            data = load_semeval(folder, articles_dir=f"{split}-articles", prefix=split, language=lang,
                                repair_offsets=True,
                                document_level_dir=DOCUMENT_LEVEL_DIR.replace("train", split))
            target += data.documents
            (out.document_level if split == "train" else out.validation_document_level).extend(
                data.document_level)
            counts = out.repaired.setdefault(lang, {})
            for key, value in data.repaired.items():
                counts[key] = counts.get(key, 0) + value
            out.notes += [f"{lang} {split}: {n}" for n in data.notes()]
    # Ids repeat across languages (the tasks numbered each language's articles on its own).
    for doc in [*out.train, *out.validation, *out.document_level, *out.validation_document_level]:
        doc.id = f"{doc.language}:{doc.id}" if doc.language != "en" else doc.id
    return out
