"""Inputs as records: the text (or raw bytes) with its id, language hint, origin and own fields.

A corpus record is usually a mapping (a JSONL line, a CSV row, a DataFrame row) with a text and
columns of the researcher's own: date, url, outlet, section, author... :func:`to_record` keeps
every field but the text, made JSON-safe, in :attr:`Record.fields`; the pipeline puts them in
``Article.meta["record"]`` (and the ``articles`` table gets one column per field), and reads the
date field (``date_key``, default ``date``) into ``Article.published``.

Example:
    >>> r = to_record({"id": 7, "text": "Hi.", "date": "March 4, 2024", "outlet": "Daily"})
    >>> r.id, r.fields, r.date
    ('7', {'id': 7, 'date': 'March 4, 2024', 'outlet': 'Daily'}, 'March 4, 2024')
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Mapping

from newsnlp.errors import RecordError

__all__ = ["Failure", "Outcome", "Record", "RecordLike", "json_safe", "to_record"]


@dataclass(frozen=True)
class Record:
    """One input: text or raw bytes, with its id, language hint and origin.

    ``fields`` holds the record's other fields (JSON-safe), ``date`` the raw value of its date field.
    """

    content: str | bytes
    id: str | None = None
    lang: str | None = None
    source: str | None = None
    html: bool | None = None
    fields: Mapping[str, Any] | None = None
    date: Any = None


RecordLike = str | bytes | Mapping[str, Any] | Record


@dataclass(frozen=True)
class Failure:
    """A record that failed before the pipeline could take it (unreadable, malformed)."""

    id: str | None
    source: str | None
    error: BaseException


#: What :meth:`~newsnlp.pipeline.Analyzer.outcomes` yields per input, in order:
#: id, source, and an Article or the error.
Outcome = tuple[str | None, str | None, Any]


def json_safe(value: Any) -> Any:
    """``value`` as JSON can hold it: dates in ISO 8601, NaN/NA as ``None``, numpy scalars as numbers,
    bytes as UTF-8 text, anything else unknown as its ``str``."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if _missing(value):  # NaT, NA (pandas), before NaT could look like a date
        return None
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if hasattr(value, "item") and callable(value.item):  # numpy and pandas scalars
        try:
            return json_safe(value.item())
        except (TypeError, ValueError):
            pass
    if hasattr(value, "isoformat"):  # pandas.Timestamp
        return value.isoformat()
    return str(value)


def to_record(item: RecordLike, *, text_key: str = "text", id_key: str = "id", date_key: str = "date",
              position: int = 0, source: str | None = None) -> Record:
    """Turn a string, bytes, mapping or :class:`Record` into a :class:`Record`.

    Args:
        item: The input.
        text_key: Field holding the text of a mapping.
        id_key: Field holding its id (``position``, or ``source``, when missing or empty).
        date_key: Field holding its publication date (any common format; see
            :func:`newsnlp.preprocess.record_dates.parse_date`).
        position: Place of the item in its stream, the id of last resort.
        source: Where the item comes from (``FILE:LINE``), kept in ``Article.meta``.

    Raises:
        RecordError: a mapping without a text field or whose text is not text; anything else.
    """
    if isinstance(item, Record):
        return item
    if isinstance(item, (str, bytes)):
        return Record(item, id=str(position), source=source)
    if isinstance(item, Mapping):
        record_id = item.get(id_key)
        fallback = source if source is not None else str(position)
        name = str(record_id) if record_id not in (None, "") and not _missing(record_id) else fallback
        if text_key not in item:
            raise RecordError(f"record has no {text_key!r} field (name it with text_key / --text-key)", source=name)
        text = item[text_key]
        if not isinstance(text, (str, bytes)):
            raise RecordError(f"field {text_key!r} is {type(text).__name__}, not text", source=name)
        lang = item.get("lang")
        fields = {str(k): json_safe(v) for k, v in item.items() if k != text_key}
        date = item.get(date_key)
        if _missing(date) or (isinstance(date, str) and not date.strip()):  # an empty CSV cell: no date
            date = None
        return Record(text, id=name, lang=lang if isinstance(lang, str) and lang else None, source=source,
                      fields=fields, date=date)
    raise RecordError(f"cannot analyse a {type(item).__name__}", source=source or str(position))


def _missing(value: Any) -> bool:
    """``None`` or a missing value of pandas (NaN, NA, NaT)."""
    if value is None:
        return True
    if isinstance(value, (str, bytes, int, bool)):
        return False
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (str, bytes, Mapping, list, tuple)) else False
    except (ImportError, TypeError, ValueError):
        return False
