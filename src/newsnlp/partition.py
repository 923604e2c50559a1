"""The one pure partition function behind the library, the CLI workers and Dask.

:func:`annotate_partition` takes a list of records (or a pandas DataFrame) and returns one dict
per record, in order: an Article dict (see :meth:`Article.to_dict`) or an error record
``{"id", "source", "error": {"type", "code", "message"}}``. It reads no files and writes
nothing; models come from the per-process cache, so a worker loads them once.

Example:
    >>> from newsnlp.config import Settings
    >>> out = annotate_partition([{"id": "a", "text": "Hello world."}, {"id": "b", "text": ""}], Settings(stages=()))
    >>> [("error" in r, r["id"]) for r in out]
    [(False, 'a'), (True, 'b')]
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Sequence

from newsnlp.config import Settings
from newsnlp.errors import EmptyInputError, NewsNLPError
from newsnlp.pipeline import get_analyzer, to_record

logger = logging.getLogger(__name__)

Result = dict[str, Any]


def error_record(record_id: str | None, source: str | None, error: BaseException) -> Result:
    """The error dict for a record that failed (type, code and message of the error)."""
    message = error.message if isinstance(error, NewsNLPError) else f"{type(error).__name__}: {error}"
    return {
        "id": record_id,
        "source": source,
        "error": {"type": type(error).__name__, "code": getattr(error, "code", "E999"), "message": message},
    }


def annotate_partition(records: Iterable[Any], settings: Settings | None = None, *, text_key: str = "text",
                       id_key: str = "id", tokens: bool = False) -> list[Result]:
    """Annotate one partition of records; never raises for a bad record.

    Args:
        records: :class:`Record` objects, mappings with ``text_key``/``id_key``, texts, or a DataFrame.
        settings: Pipeline settings (the cached analyzer for them is used).
        text_key: Text field of mapping records.
        id_key: Id field of mapping records.
        tokens: Include tokens in the Article dicts.

    Returns:
        One dict per record, in input order: an Article dict or an error record.
    """
    analyzer = get_analyzer(settings or Settings.from_env())
    results: list[Result | None] = []
    batch: list[tuple[int, Any]] = []
    for record in _safe_records(records, text_key, id_key):
        if isinstance(record, dict):  # already an error record
            results.append(record)
            continue
        try:
            if isinstance(record.content, str) and not record.content.strip():
                raise EmptyInputError("text is empty", source=record.source or record.id)
            work = analyzer.prepare(record)
        except Exception as error:  # noqa: BLE001 - every failure becomes an error record
            results.append(error_record(record.id, record.source, error))
            continue
        batch.append((len(results), (record, work)))
        results.append(None)
    if batch:
        works = [work for _, (_, work) in batch]
        try:
            articles = analyzer.process(works)
        except Exception:  # isolate the record that breaks the batch
            articles = []
            for _, (record, work) in batch:
                try:
                    articles.extend(analyzer.process([work]))
                except Exception as error:  # noqa: BLE001
                    articles.append(error_record(record.id, record.source, error))  # type: ignore[arg-type]
        for (slot, _), article in zip(batch, articles):
            results[slot] = article if isinstance(article, dict) else article.to_dict(tokens=tokens)
    return [r for r in results if r is not None]


def _safe_records(data: Any, text_key: str, id_key: str) -> Iterator[Any]:
    """Records from the input, with an error record in place of each malformed one."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):
        data = data.to_dict(orient="records")
    for i, item in enumerate(data):
        if isinstance(item, dict) and "error" in item and text_key not in item:
            yield item  # an error record made upstream (unreadable file, bad JSON line)
            continue
        try:
            yield to_record(item, text_key=text_key, id_key=id_key, position=i)
        except NewsNLPError as error:
            record_id = item.get(id_key) if isinstance(item, dict) else None
            yield error_record(str(record_id if record_id is not None else i), None, error)


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, max(1, size))):
        yield chunk


def map_partitions(function: Callable[..., list[Result]], chunks: Iterable[Sequence[Any]], settings: Settings,
                   *, n_process: int = 1, **kwargs: Any) -> Iterator[list[Result]]:
    """Apply ``function(chunk, settings, **kwargs)`` to each chunk, in order.

    With ``n_process > 1`` the chunks go to a pool of spawned processes (no fork of loaded
    models, no hang); each process loads the models once; at most ``2 × n_process`` chunks are
    in flight, so memory stays flat on long streams.
    """
    if n_process <= 1:
        for chunk in chunks:
            yield function(chunk, settings, **kwargs)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context) as pool:
        pending: deque[Future[list[Result]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(function, list(chunk), settings, **kwargs))
            if len(pending) >= 2 * n_process:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
