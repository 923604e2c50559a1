"""newsnlp on a Dask cluster: the same partition function as the library and the CLI.

Every Dask partition goes through :func:`newsnlp.partition.annotate_partition`; each worker process
loads the models once (they are cached per process) and keeps them between partitions. Install
the extra with ``pip install "newsnlp[dask]"``.

On one machine::

    from distributed import Client, LocalCluster
    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
    bag = newsnlp.dask.annotate_bag(dask.bag.from_sequence(records, partition_size=64))
    articles = bag.compute()

On a real cluster, start ``dask scheduler`` and ``dask worker tcp://SCHEDULER:8786 --nthreads 1``
on machines that have newsnlp installed (its models come with the install, nothing is
downloaded), then ``Client("tcp://SCHEDULER:8786")`` or ``newsnlp annotate ... --engine dask
--scheduler tcp://SCHEDULER:8786``. Use one thread per worker process: spaCy and jieba gain
nothing from threads, and processes keep their models apart.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from newsnlp.config import Settings
from newsnlp.partition import annotate_partition

ARTICLE_COLUMNS = {"id": "string", "lang": "string", "error": "string", "article": "string"}


def annotate_bag(bag: Any, settings: Settings | None = None, *, text_key: str = "text", id_key: str = "id",
                 tokens: bool = False, date_key: str = "date") -> Any:
    """A Dask bag of records (texts, bytes, dicts or Records) → a bag of Article/error dicts."""
    config = settings or Settings.from_env()
    return bag.map_partitions(_partition, config, text_key, id_key, tokens, date_key)


def _partition(records: Iterable[Any], settings: Settings, text_key: str, id_key: str, tokens: bool,
               date_key: str = "date") -> list[dict]:
    return annotate_partition(list(records), settings, text_key=text_key, id_key=id_key, date_key=date_key,
                              tokens=tokens)


def annotate_dataframe(frame: Any, settings: Settings | None = None, *, text_key: str = "text",
                       id_key: str = "id", date_key: str = "date") -> Any:
    """A Dask DataFrame with ``text_key``/``id_key`` (and optional ``lang``) columns → a Dask DataFrame
    with ``id``, ``lang``, ``error`` and ``article`` (the Article as JSON) per record."""
    config = settings or Settings.from_env()
    import pandas as pd

    meta = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in ARTICLE_COLUMNS.items()})
    return frame.map_partitions(_frame_partition, config, text_key, id_key, date_key, meta=meta)


def _frame_partition(part: Any, settings: Settings, text_key: str, id_key: str, date_key: str = "date") -> Any:
    import pandas as pd

    rows = []
    for result in annotate_partition(part, settings, text_key=text_key, id_key=id_key, date_key=date_key):
        failed = "error" in result
        rows.append({
            "id": result.get("id"), "lang": None if failed else result.get("lang"),
            "error": result["error"]["message"] if failed else None,
            "article": None if failed else json.dumps(result, ensure_ascii=False),
        })
    return pd.DataFrame(rows, columns=list(ARTICLE_COLUMNS)).astype(ARTICLE_COLUMNS)


def map_partitions_dask(chunks: Iterable[list[Any]], settings: Settings, *, scheduler: str | None = None,
                        workers: int = 2, window: int = 8, **kwargs: Any) -> Iterator[list[dict]]:
    """Run :func:`annotate_partition` over chunks on a Dask cluster, yielding results in input order.

    Connects to ``scheduler`` when given, else starts a local cluster of ``workers`` processes.
    At most ``window`` chunks are in flight, so a long stream does not fill the scheduler's memory.
    """
    import logging
    from collections import deque

    from distributed import Client, LocalCluster

    import warnings

    logging.getLogger("distributed").setLevel(logging.WARNING)
    # Records travel inside the task graph by design (a partition function takes its data).
    warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # A local cluster's workers log to this terminal: keep them to real problems.
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.CRITICAL)
        client = Client(cluster)
    try:
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(client.submit(annotate_partition, list(chunk), settings, pure=False, **kwargs))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
