"""Inputs for bulk annotation: files, folders (recursive), JSONL and CSV records, stdin.

Each input yields :class:`~newsnlp.pipeline.Record` objects, or an error record (a dict made by
:func:`~newsnlp.partition.error_record`) for what cannot even be read, so a bulk run goes on.

* a ``.jsonl``/``.ndjson`` file: one record per line (``--text-key``, ``--id-key``, ``--date-key``;
  a ``lang`` field is a hint; every other field is kept in ``Article.meta["record"]``); a record
  without an id gets ``FILE:LINE``; lines end at ``\n`` only;
* a ``.csv``/``.tsv`` file: one record per row, same keys;
* any other file: one document, read as bytes and decoded (``.html``/``.htm`` as a page);
  its id is the path as given;
* a folder: every file below it, sorted, hidden files skipped; a JSONL file found there whose
  records have no text field (an index of the folder) is skipped with a warning;
* ``-``: standard input, JSONL when it starts with ``{``, else one document.

JSONL, CSV and standard input are read record by record: memory does not grow with their size.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any, BinaryIO, Iterable, Iterator

from newsnlp.errors import InputError, RecordError
from newsnlp.partition import error_record
from newsnlp.records import Record, to_record

RECORD_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}

logger = logging.getLogger(__name__)

Item = Record | dict[str, Any]


def iter_inputs(inputs: list[str], *, text_key: str = "text", id_key: str = "id", date_key: str = "date",
                stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Every record of every input, in order, read one at a time (memory does not grow with the input)."""
    keys = Keys(text_key, id_key, date_key)
    for name in inputs:
        if name == "-":
            yield from _from_stdin(stdin or sys.stdin.buffer, keys)
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from _from_file(child, keys, in_folder=True)
        else:
            yield from _from_file(path, keys)


def count_documents(inputs: list[str]) -> int | None:
    """How many documents the inputs hold, for the progress bar's total: files of a folder, and the
    non-blank lines of a JSONL file (one streaming pass over the bytes, no JSON parsed); ``None``
    when stdin or a CSV/TSV file (whose rows may span lines) is among them."""
    total = 0
    for name in inputs:
        if name == "-":
            return None
        path = Path(name)
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        for file in files:
            if path.is_dir() and any(part.startswith(".") for part in file.relative_to(path).parts):
                continue
            kind = RECORD_SUFFIXES.get(file.suffix.lower())
            if kind is None:
                total += 1
            elif kind == "jsonl":
                total += _count_lines(file)
            else:
                return None
    return total


def _count_lines(path: Path) -> int:
    """Non-blank lines of a file, read in binary, line by line (records end only at ``\n``)."""
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return 0


def missing_inputs(inputs: list[str]) -> list[str]:
    """Inputs that do not exist (a usage error, reported before any work starts)."""
    return [name for name in inputs if name != "-" and not Path(name).exists()]


@dataclass(frozen=True)
class Keys:
    """The field names of records: text, id and publication date."""

    text: str = "text"
    id: str = "id"
    date: str = "date"


def _from_file(path: Path, keys: Keys, in_folder: bool = False) -> Iterator[Item]:
    kind = RECORD_SUFFIXES.get(path.suffix.lower())
    try:
        if kind == "jsonl":
            if in_folder and not _has_text_records(path, keys.text):
                # Found by walking a folder, a JSONL file without text records is metadata (an index).
                logger.warning("%s: skipped, its records have no %r field", path, keys.text)
                return
            with open(path, "rb") as handle:
                yield from _jsonl(handle, str(path), keys)
        elif kind in ("csv", "tsv"):
            with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
                yield from _csv(handle, str(path), keys, "\t" if kind == "tsv" else ",")
        else:
            data = path.read_bytes()
            html = True if path.suffix.lower() in HTML_SUFFIXES else None
            yield Record(data, id=str(path), source=str(path), html=html)
    except OSError as error:
        yield error_record(str(path), str(path), InputError(f"cannot read: {error.strerror or error}"))


def _has_text_records(path: Path, text_key: str) -> bool:
    with open(path, "rb") as handle:
        for line in islice(handle, 20):
            try:
                item = json.loads(line.decode("utf-8-sig", errors="replace"))
            except json.JSONDecodeError:
                continue
            if isinstance(item, dict) and text_key in item:
                return True
    return False


def _from_stdin(stream: BinaryIO, keys: Keys) -> Iterator[Item]:
    """JSONL when the first non-blank byte is ``{`` (read line by line), else one document."""
    head = b""
    while not head.strip():
        line = stream.readline()
        if not line:
            break
        head += line
    if head.lstrip()[:1] == b"{":
        yield from _jsonl(chain([head], stream), "<stdin>", keys)
    else:
        yield Record(head + stream.read(), id="<stdin>", source="<stdin>")


def _record(item: Any, source: str, keys: Keys) -> Item:
    if not isinstance(item, dict):
        return error_record(source, source, RecordError(f"expected a JSON object, got {type(item).__name__}"))
    record_id = item.get(keys.id)
    if item.get(keys.text) is None:
        name = str(record_id) if record_id not in (None, "") else source
        return error_record(name, source, RecordError(f"no {keys.text!r} field (use --text-key to name it)"))
    try:
        return to_record(item, text_key=keys.text, id_key=keys.id, date_key=keys.date, source=source)
    except RecordError as error:
        return error_record(error.source, source, RecordError(error.message))


def _jsonl(lines: Iterable[bytes], name: str, keys: Keys) -> Iterator[Item]:
    """One record per line. Lines end at ``\n`` only (JSON Lines): U+2028, U+2029 and U+0085 inside a
    string are text, as JSON allows, though ``str.splitlines`` would cut there."""
    for number, raw in enumerate(lines, start=1):
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8", errors="replace")
        if not line.strip():
            continue
        source = f"{name}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield error_record(source, source, RecordError(f"invalid JSON: {error.msg} at column {error.colno}"))
            continue
        yield _record(item, source, keys)


def _csv(handle: IO[str], name: str, keys: Keys, delimiter: str) -> Iterator[Item]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(handle, delimiter=delimiter)
    if reader.fieldnames is None or keys.text not in reader.fieldnames:
        yield error_record(name, name, RecordError(f"CSV has no {keys.text!r} column (columns: {reader.fieldnames})"))
        return
    for row in reader:
        # The row's first line in the file (a quoted field may span lines): reader.line_num is its last.
        yield _record(dict(row), f"{name}:{reader.line_num}", keys)


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
    for number, line in enumerate(data.decode("utf-8-sig", errors="replace").split("\n"), start=1):
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
