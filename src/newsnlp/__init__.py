"""newsnlp: raw news articles (English, Chinese, mixed) → annotated, analysable ``Article`` objects.

Importing the package loads no model and no heavy library; everything loads on first use.

Example:
    >>> import newsnlp
    >>> newsnlp.analyze("Talks end\\n\\nThe talks ended on Friday.", stages=()).title.text
    'Talks end'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsnlp import display as _display  # noqa: F401  (gives Article its Jupyter view; light)
from newsnlp._version import __version__

_LAZY = {
    "analyze": "newsnlp.api",
    "analyze_many": "newsnlp.api",
    "get_analyzer": "newsnlp.api",
    "Analyzer": "newsnlp.pipeline",
    "register_stage": "newsnlp.registry",
    "Settings": "newsnlp.config",
    "annotate_partition": "newsnlp.partition",
    "to_frames": "newsnlp.frames",
    "read_articles": "newsnlp.io.annotated",
    "render": "newsnlp.display",
    "Article": "newsnlp.model",
    "Entity": "newsnlp.model",
    "Mention": "newsnlp.model",
    "Quote": "newsnlp.model",
    "Topic": "newsnlp.model",
    "Span": "newsnlp.model",
    "SCHEMA_VERSION": "newsnlp.model",
    "NewsNLPError": "newsnlp.errors",
    "clear_caches": "newsnlp.cache",
}

__all__ = sorted([*_LAZY, "__version__"])

if TYPE_CHECKING:  # pragma: no cover
    from newsnlp.api import analyze, analyze_many, get_analyzer
    from newsnlp.cache import clear_caches
    from newsnlp.config import Settings
    from newsnlp.display import render
    from newsnlp.frames import to_frames
    from newsnlp.io.annotated import read_articles
    from newsnlp.errors import NewsNLPError
    from newsnlp.model import SCHEMA_VERSION, Article, Entity, Mention, Quote, Span, Topic
    from newsnlp.partition import annotate_partition
    from newsnlp.pipeline import Analyzer
    from newsnlp.registry import register_stage


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsnlp' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
