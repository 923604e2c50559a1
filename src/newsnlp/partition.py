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
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from newsnlp.config import Settings
from newsnlp.errors import NewsNLPError, error_from_dict
from newsnlp.pipeline import Failure, Record, get_analyzer

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
                       id_key: str = "id", date_key: str = "date", tokens: bool = False) -> list[Result]:
    """Annotate one partition of records; never raises for a bad record.

    The records go through :meth:`Analyzer.outcomes`, the path of :func:`newsnlp.analyze` and
    :func:`newsnlp.analyze_many` too; Articles become dicts only here, at the process edge.

    Args:
        records: :class:`Record` objects, mappings with ``text_key``/``id_key``, texts, or a DataFrame;
            an error record made upstream (an unreadable file, a bad JSON line) passes through.
        settings: Pipeline settings (the cached analyzer for them is used).
        text_key: Text field of mapping records.
        id_key: Id field of mapping records.
        date_key: Date field of mapping records (becomes ``published``).
        tokens: Include tokens in the Article dicts.

    Returns:
        One dict per record, in input order: an Article dict or an error record.
    """
    analyzer = get_analyzer(settings or Settings.from_env())
    items = _safe_records(records, analyzer, text_key, id_key, date_key)
    results: list[Result] = []
    for record_id, source, outcome in analyzer.outcomes(items):
        if isinstance(outcome, BaseException):
            results.append(error_record(record_id, source, outcome))
        else:
            results.append(outcome.to_dict(tokens=tokens))
    return results


def _safe_records(data: Any, analyzer: Any, text_key: str, id_key: str, date_key: str) -> Iterator[Record | Failure]:
    """Records of the input, with a :class:`Failure` in place of each malformed one."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):
        data = data.to_dict(orient="records")
    upstream: dict[int, Failure] = {}

    def items() -> Iterator[Any]:
        for position, item in enumerate(data):
            if isinstance(item, dict) and "error" in item and text_key not in item:
                # An error record made upstream (unreadable file, bad JSON line): typed again, passed on.
                upstream[position] = Failure(item.get("id"), item.get("source"),
                                             error_from_dict(item["error"], source=item.get("source")))
                yield None
            else:
                yield item

    for position, record in enumerate(analyzer.records(items(), text_key=text_key, id_key=id_key,
                                                       date_key=date_key)):
        yield upstream.pop(position, record)


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, max(1, size))):
        yield chunk


#: Less text than this (characters) is annotated here even when workers are asked for. A worker
#: spends about 5 CPU-seconds starting and loading the models, and the full pipeline annotates
#: about 26,000 English or 17,500 Chinese characters per CPU-second (measured:
#: docs/corpus_benchmarks.md); a second worker pays off once the work is about twice its start.
MIN_PARALLEL_CHARS = 250_000


def map_partitions(function: Callable[..., list[Result]], chunks: Iterable[Sequence[Any]], settings: Settings,
                   *, n_process: int = 1, **kwargs: Any) -> Iterator[list[Result]]:
    """Apply ``function(chunk, settings, **kwargs)`` to each chunk, in order.

    With ``n_process > 1`` the chunks go to a pool of spawned processes (no fork of loaded
    models, no hang); each process loads the models once and runs on one thread (the processes
    already use the cores); at most ``2 × n_process`` chunks are in flight, so memory stays flat
    on long streams. No more workers start than the process has CPUs (:func:`usable_workers`).
    Chunks are read ahead until :data:`MIN_PARALLEL_CHARS` characters: an input
    that ends before is annotated here (workers would cost more than they save); an input of at
    most ``n_process`` chunks is split evenly across the workers (40 records with batches of 64
    still use every worker).
    """
    if n_process > 1:
        n_process = usable_workers(n_process)
    if n_process > 1:
        iterator = iter(chunks)
        head: list[list[Any]] = []
        chars = 0
        for chunk in iterator:
            head.append(list(chunk))
            chars += sum(_size(item, kwargs.get("text_key", "text")) for item in head[-1])
            if chars >= MIN_PARALLEL_CHARS and len(head) > n_process:
                break
        else:  # the whole input is in hand
            items = [item for chunk in head for item in chunk]
            if chars < MIN_PARALLEL_CHARS:
                n_process = 1
            elif len(head) <= n_process:  # spread it over the workers
                size = -(-len(items) // n_process)
                head = [items[i:i + size] for i in range(0, len(items), size)]
        chunks = chain(head, iterator)
    if n_process <= 1:
        for chunk in chunks:
            yield function(chunk, settings, **kwargs)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context, initializer=_one_thread) as pool:
        pending: deque[Future[list[Result]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(function, list(chunk), settings, **kwargs))
            if len(pending) >= 2 * n_process:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def usable_workers(requested: int) -> int:
    """How many of ``requested`` worker processes to start: no more than the CPUs this process may use.

    More processes than CPUs only take turns, and each still loads the models (measured on a
    2-CPU machine kept busy by other work: two workers took 86.6 s for 300 articles, one 63.5 s;
    docs/corpus_benchmarks.md). The machine's current load is not consulted: the same command
    must run the same way whatever else runs beside it.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    if cpus < requested:
        logger.warning("%d workers asked for, %d started: this machine gives the process %d CPUs",
                       requested, cpus, cpus)
    return max(1, min(requested, cpus))


def _size(item: Any, text_key: str) -> int:
    """Characters (or bytes) of text in a record: a Record's content, a mapping's text, a text."""
    if isinstance(item, Mapping):
        item = item.get(text_key)
    content = getattr(item, "content", item)
    return len(content) if isinstance(content, (str, bytes)) else 0


def _one_thread() -> None:
    """A worker's numerical libraries on one thread each: N workers on N cores, not N × cores threads."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - comes with scikit-learn
        pass
