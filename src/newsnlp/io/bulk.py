"""Bulk runs: a journal that survives ``kill -9``, resume without duplicates, table outputs.

Articles are appended, one batch at a time, as complete JSON lines to ``OUT.partial`` (one
``write`` per batch, then ``fsync``); the finished run renames it to ``OUT`` atomically. A run
killed half-way leaves the journal; ``--resume`` cuts a torn last line, skips the ids already
there and appends the rest. With ``--format csv`` or ``parquet`` the JSONL (the full Articles)
is kept as ``STEM.jsonl`` and the ``articles``, ``entities``, ``mentions`` and ``quotes`` tables
are written beside it as ``STEM.<table>.csv|parquet`` when the run completes; ``articles`` has a
column for every field of the input records (url, outlet, date...).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "parquet")


def output_format(output: str, requested: str | None) -> str:
    """The output format: as requested, else from the extension (``.csv``, ``.parquet``), else jsonl."""
    if requested:
        return requested
    suffix = Path(output).suffix.lower()
    return {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(suffix, "jsonl")


def journal_path(output: str, fmt: str) -> Path:
    """Where the JSONL of Articles goes: OUT itself, or STEM.jsonl for table formats."""
    path = Path(output)
    return path if fmt == "jsonl" else path.with_suffix(".jsonl")


class Journal:
    """Appends Article dicts to ``<path>.partial``; :meth:`finish` renames it to ``path``."""

    def __init__(self, path: Path, *, resume: bool) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.done: set[str] = set()
        path.parent.mkdir(parents=True, exist_ok=True)
        if resume:
            if path.exists() and not self.partial.exists():
                os.replace(path, self.partial)  # a finished run: continue it with new inputs
            if self.partial.exists():
                self._repair()
                self.done = set(_ids(self.partial))
                logger.info("resuming %s: %d articles already done", path, len(self.done))
        elif self.partial.exists():
            self.partial.unlink()
        self._handle = open(self.partial, "a", encoding="utf-8", newline="\n")

    def _repair(self) -> None:
        """Cut a line torn by a crash (everything after the last newline)."""
        with open(self.partial, "rb+") as handle:
            data = handle.read()
            keep = data.rfind(b"\n") + 1
            if keep < len(data):
                logger.warning("%s: dropping a torn last line (%d bytes)", self.partial, len(data) - keep)
                handle.truncate(keep)

    def write(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        self._handle.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.done.update(str(r.get("id")) for r in records)

    def finish(self) -> None:
        self._handle.close()
        os.replace(self.partial, self.path)

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.close()


def _ids(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield str(json.loads(line).get("id"))


def read_jsonl(path: Path, chunk: int = 1000) -> Iterator[list[dict[str, Any]]]:
    """Article dicts of a JSONL file, ``chunk`` at a time."""
    batch: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                batch.append(json.loads(line))
                if len(batch) >= chunk:
                    yield batch
                    batch = []
    if batch:
        yield batch


def write_tables(journal: Path, output: str, fmt: str) -> list[Path]:
    """Write the four tables of the Articles in ``journal`` as CSV or Parquet, chunk by chunk."""
    from newsnlp.frames import COLUMNS, record_fields, to_frames

    # Every chunk gets the corpus' record columns (a Parquet file has one schema).
    fields: dict[str, None] = {}
    for chunk in read_jsonl(journal):
        for article in chunk:
            fields.update(dict.fromkeys(record_fields(article)))
    stem = Path(output).with_suffix("")
    targets = {name: Path(f"{stem}.{name}.{'csv' if fmt == 'csv' else 'parquet'}") for name in COLUMNS}
    tmp = {name: path.with_name("." + path.name + ".tmp") for name, path in targets.items()}
    writers: dict[str, Any] = {}
    first = True
    try:
        for chunk in _chunks_or_empty(journal):
            frames = to_frames(chunk, record_columns=list(fields))
            for name, frame in frames.items():
                if fmt == "csv":
                    frame.to_csv(tmp[name], mode="w" if first else "a", header=first, index=False)
                else:
                    import pyarrow as pa
                    import pyarrow.parquet as pq

                    table = pa.Table.from_pandas(frame, preserve_index=False)
                    if name not in writers:
                        writers[name] = pq.ParquetWriter(tmp[name], table.schema)
                    writers[name].write_table(table)
            first = False
    finally:
        for writer in writers.values():
            writer.close()
    for name in targets:
        os.replace(tmp[name], targets[name])
    return list(targets.values())


def _chunks_or_empty(journal: Path) -> Iterable[list[dict[str, Any]]]:
    any_chunk = False
    for chunk in read_jsonl(journal):
        any_chunk = True
        yield chunk
    if not any_chunk:
        yield []
