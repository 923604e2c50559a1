"""One cache of loaded models for the whole process, keyed by kind and folder, and a way to clear it.

Loaded models are large (the topic model alone is 58 MB in memory): two ``Settings`` or two spaCy
components naming the same folder share one copy. :func:`clear_caches` drops every loaded model
and analyzer (the next call loads them again), e.g. after replacing a model folder in place.

Example:
    >>> calls = []
    >>> first = cached_model("demo", "/models/x", lambda: calls.append(1) or "model")
    >>> second = cached_model("demo", "/models/x", lambda: calls.append(1) or "model")
    >>> first is second, len(calls)
    (True, 1)
    >>> clear_caches()
    >>> _ = cached_model("demo", "/models/x", lambda: calls.append(1) or "model"); len(calls)
    2
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")

_MODELS: dict[tuple[str, str], Any] = {}
_LOCK = threading.RLock()
#: Loader functions memoised with ``functools.lru_cache`` elsewhere, cleared with the models:
#: module → names (a module not imported yet has nothing cached).
LRU_LOADERS: dict[str, tuple[str, ...]] = {
    "newsnlp.pipeline": ("get_analyzer",),
    "newsnlp.preprocess.tokenize": ("load_jieba",),
    "newsnlp.entities.en_pipeline": ("load_english",),
    "newsnlp.entities.chinese": ("load_zh_ner",),
    "newsnlp.shipped": ("_read_stamp",),
    "newsnlp.quotes.english_model": ("shipped_model",),
}


def cached_model(kind: str, folder: str | Path, load: Callable[[], T]) -> T:
    """The model of ``kind`` in ``folder``, loaded by ``load()`` on the first call only."""
    key = (kind, str(Path(folder).expanduser().resolve()))
    with _LOCK:
        if key not in _MODELS:
            _MODELS[key] = load()
        return _MODELS[key]  # type: ignore[no-any-return]


def clear_caches() -> None:
    """Forget every loaded model and shared analyzer; they load again on next use."""
    with _LOCK:
        _MODELS.clear()
        for module_name, names in LRU_LOADERS.items():
            module = sys.modules.get(module_name)
            for name in names if module is not None else ():
                getattr(module, name).cache_clear()


__all__ = ["LRU_LOADERS", "cached_model", "clear_caches"]
