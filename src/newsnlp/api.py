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
from newsnlp.errors import error_from_dict
from newsnlp.model import Article
from newsnlp.partition import annotate_partition, iter_chunks, map_partitions
from newsnlp.pipeline import Analyzer, RecordLike, get_analyzer, to_record

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
                 text_key: str = "text", id_key: str = "id", date_key: str = "date", errors: str = "raise",
                 **settings: Any) -> Iterator[Article]:
    """Analyse a stream of articles, batching English through ``nlp.pipe``.

    The same path as :func:`analyze` (:meth:`Analyzer.pipe`): the same input gives the same
    Article, tokens included. Records are read one at a time, so the stream may be of any length.

    Args:
        records: Texts, bytes, or mappings with ``text_key``/``id_key`` (and optional ``lang``,
            ``date_key`` and fields of your own, kept in ``Article.meta["record"]``).
        batch_size: Articles per batch.
        n_process: Worker processes (each loads the models once).
        text_key: Field holding the text in mapping records.
        id_key: Field holding the id in mapping records.
        date_key: Field holding the publication date (any common format) → ``Article.published``.
        errors: ``"raise"`` stops at the first bad record with its typed error; ``"skip"`` logs it
            and goes on (any bad record: a missing or non-text text, ``None``, an empty text...).
        **settings: Fields of :class:`~newsnlp.config.Settings`.

    Yields:
        One :class:`Article` per good record, in input order.
    """
    if errors not in ("raise", "skip"):
        raise ValueError("errors must be 'raise' or 'skip'")
    config = _settings(dict(settings, batch_size=batch_size))
    keys = {"text_key": text_key, "id_key": id_key, "date_key": date_key}
    if n_process <= 1:
        yield from get_analyzer(config).pipe(records, batch_size, errors=errors, **keys)
        return
    # Worker processes: records and Articles cross the process edge as Records and dicts.
    chunks = iter_chunks(Analyzer.records(records, **keys), batch_size)
    for results in map_partitions(annotate_partition, chunks, config, n_process=n_process, tokens=True):
        for result in results:
            if "error" in result:
                error = error_from_dict(result["error"], source=result.get("source") or result.get("id"))
                if errors == "raise":
                    raise error
                logger.warning("skipped %s: %s", result.get("source") or result.get("id"), error.message)
                continue
            yield Article.from_dict(result)
