"""Functions first: :func:`analyze` and :func:`analyze_many` over a shared default analyzer.

Example:
    >>> import newsnlp
    >>> article = newsnlp.analyze("Talks end\\n\\nThe talks ended on Friday.", stages=())
    >>> article.lang, article.title.text
    ('en', 'Talks end')
"""

from __future__ import annotations

import logging
from typing import Any, Iterable, Iterator

from newsnlp.config import Settings
from newsnlp.errors import NewsNLPError
from newsnlp.model import Article
from newsnlp.partition import annotate_partition, iter_chunks, map_partitions
from newsnlp.pipeline import RecordLike, get_analyzer, to_record

logger = logging.getLogger(__name__)

__all__ = ["RecordLike", "analyze", "analyze_many", "get_analyzer", "to_record"]


def _settings(overrides: dict[str, Any]) -> Settings:
    if "stages" in overrides and overrides["stages"] is not None:
        overrides["stages"] = tuple(overrides["stages"])
    return Settings.from_env(**overrides)


def analyze(content: str | bytes, *, lang: str | None = None, id: str | None = None,
            html: bool | None = None, **settings: Any) -> Article:
    """Analyse one news article.

    Args:
        content: The article as text, or raw bytes of a file (any supported encoding, HTML too).
        lang: Language hint (``en``/``zh``); detection per paragraph still applies.
        id: An identifier carried into ``Article.id``.
        html: Force (``True``) or forbid (``False``) HTML extraction; ``None`` detects it.
        **settings: Fields of :class:`~newsnlp.config.Settings` (e.g. ``stages=("topics",)``).

    Returns:
        The immutable, annotated :class:`~newsnlp.model.Article`.
    """
    return get_analyzer(_settings(settings)).analyze(content, id=id, lang=lang, html=html)


def analyze_many(records: Iterable[RecordLike], *, batch_size: int = 64, n_process: int = 1,
                 text_key: str = "text", id_key: str = "id", errors: str = "raise",
                 **settings: Any) -> Iterator[Article]:
    """Analyse a stream of articles, batching English through ``nlp.pipe``.

    Args:
        records: Texts, bytes, or mappings with ``text_key``/``id_key`` (and optional ``lang``).
        batch_size: Articles per batch.
        n_process: Worker processes (each loads the models once).
        text_key: Field holding the text in mapping records.
        id_key: Field holding the id in mapping records.
        errors: ``"raise"`` stops at the first bad record; ``"skip"`` logs it and goes on.
        **settings: Fields of :class:`~newsnlp.config.Settings`.

    Yields:
        One :class:`Article` per good record, in input order.
    """
    if errors not in ("raise", "skip"):
        raise ValueError("errors must be 'raise' or 'skip'")
    config = _settings(dict(settings, batch_size=batch_size))
    chunks = iter_chunks(
        (to_record(item, text_key=text_key, id_key=id_key, position=i) for i, item in enumerate(records)),
        batch_size,
    )
    for results in map_partitions(annotate_partition, chunks, config, n_process=n_process):
        for result in results:
            if "error" in result:
                if errors == "raise":
                    raise NewsNLPError(result["error"]["message"], source=result.get("id"))
                logger.warning("skipped %s: %s", result.get("id"), result["error"]["message"])
                continue
            yield Article.from_dict(result)
