"""Inputs for bulk annotation: files, folders (recursive), JSONL and CSV records, stdin.

Each input yields :class:`~newsnlp.pipeline.Record` objects, or an error record (a dict made by
:func:`~newsnlp.partition.error_record`) for what cannot even be read, so a bulk run goes on.

* a ``.jsonl``/``.ndjson`` file: one record per line (``--text-key``, ``--id-key``; a ``lang``
  field is a hint); a record without an id gets ``FILE:LINE``;
* a ``.csv``/``.tsv`` file: one record per row, same keys;
* any other file: one document, read as bytes and decoded (``.html``/``.htm`` as a page);
  its id is the path as given;
* a folder: every file below it, sorted, hidden files skipped; a JSONL file found there whose
  records have no text field (an index of the folder) is skipped with a warning;
* ``-``: standard input, JSONL when it starts with ``{``, else one document.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from newsnlp.errors import InputError, RecordError
from newsnlp.partition import error_record
from newsnlp.pipeline import Record

RECORD_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}

logger = logging.getLogger(__name__)

Item = Record | dict[str, Any]


def iter_inputs(inputs: list[str], *, text_key: str = "text", id_key: str = "id", stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Every record of every input, in order."""
    for name in inputs:
        if name == "-":
            yield from _from_stdin(stdin or sys.stdin.buffer, text_key, id_key)
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from _from_file(child, text_key, id_key, in_folder=True)
        else:
            yield from _from_file(path, text_key, id_key)


def count_documents(inputs: list[str]) -> int | None:
    """How many documents the inputs hold, when that is cheap to know (files and folders of
    documents); ``None`` when record files or stdin are among them (the progress bar then has no ETA)."""
    total = 0
    for name in inputs:
        if name == "-":
            return None
        path = Path(name)
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() in RECORD_SUFFIXES:
                return None
            if not any(part.startswith(".") for part in file.relative_to(path).parts) or not path.is_dir():
                total += 1
    return total


def missing_inputs(inputs: list[str]) -> list[str]:
    """Inputs that do not exist (a usage error, reported before any work starts)."""
    return [name for name in inputs if name != "-" and not Path(name).exists()]


def _from_file(path: Path, text_key: str, id_key: str, in_folder: bool = False) -> Iterator[Item]:
    kind = RECORD_SUFFIXES.get(path.suffix.lower())
    try:
        data = path.read_bytes()
    except OSError as error:
        yield error_record(str(path), str(path), InputError(f"cannot read: {error.strerror or error}"))
        return
    if kind == "jsonl":
        if in_folder and not _has_text_records(data, text_key):
            # Found by walking a folder, a JSONL file without text records is metadata (an index).
            logger.warning("%s: skipped, its records have no %r field", path, text_key)
            return
        yield from _jsonl(data, str(path), text_key, id_key)
    elif kind in ("csv", "tsv"):
        yield from _csv(data, str(path), text_key, id_key, "\t" if kind == "tsv" else ",")
    else:
        html = True if path.suffix.lower() in HTML_SUFFIXES else None
        yield Record(data, id=str(path), source=str(path), html=html)


def _has_text_records(data: bytes, text_key: str) -> bool:
    for line in data.decode("utf-8-sig", errors="replace").splitlines()[:20]:
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict) and text_key in item:
            return True
    return False


def _from_stdin(stream: BinaryIO, text_key: str, id_key: str) -> Iterator[Item]:
    data = stream.read()
    if data.lstrip()[:1] == b"{":
        yield from _jsonl(data, "<stdin>", text_key, id_key)
    else:
        yield Record(data, id="<stdin>", source="<stdin>")


def _record(item: Any, source: str, text_key: str, id_key: str) -> Item:
    if not isinstance(item, dict):
        return error_record(source, source, RecordError(f"expected a JSON object, got {type(item).__name__}"))
    record_id = item.get(id_key)
    record_id = str(record_id) if record_id not in (None, "") else source
    text = item.get(text_key)
    if text is None:
        return error_record(record_id, source, RecordError(f"no {text_key!r} field (use --text-key to name it)"))
    if not isinstance(text, str):
        return error_record(record_id, source, RecordError(f"field {text_key!r} is {type(text).__name__}, not text"))
    lang = item.get("lang")
    return Record(text, id=record_id, lang=lang if isinstance(lang, str) else None, source=source)


def _jsonl(data: bytes, name: str, text_key: str, id_key: str) -> Iterator[Item]:
    text = data.decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{name}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield error_record(source, source, RecordError(f"invalid JSON: {error.msg} at column {error.colno}"))
            continue
        yield _record(item, source, text_key, id_key)


def _csv(data: bytes, name: str, text_key: str, id_key: str, delimiter: str) -> Iterator[Item]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline=""), delimiter=delimiter)
    if reader.fieldnames is None or text_key not in reader.fieldnames:
        yield error_record(name, name, RecordError(f"CSV has no {text_key!r} column (columns: {reader.fieldnames})"))
        return
    for number, row in enumerate(reader, start=2):
        yield _record(row, f"{name}:{number}", text_key, id_key)


def read_table(path: str | Path) -> list[dict[str, Any]]:
    """All records of a JSONL or CSV/TSV file as dicts (for training data).

    Raises:
        RecordError: on a line that is not a JSON object, naming the file and line.
    """
    path = Path(path)
    data = path.read_bytes()
    kind = RECORD_SUFFIXES.get(path.suffix.lower(), "jsonl")
    if kind in ("csv", "tsv"):
        text = data.decode("utf-8-sig", errors="replace")
        return list(csv.DictReader(io.StringIO(text, newline=""), delimiter="\t" if kind == "tsv" else ","))
    rows = []
    for number, line in enumerate(data.decode("utf-8-sig", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise RecordError(f"invalid JSON: {error.msg}", source=f"{path}:{number}") from error
        if not isinstance(item, dict):
            raise RecordError("expected a JSON object", source=f"{path}:{number}")
        rows.append(item)
    return rows
