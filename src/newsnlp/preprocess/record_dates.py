"""Publication dates of input records, in any common format, as ISO 8601 strings.

The whole field is the date here; dates found inside page text are :mod:`newsnlp.preprocess.dates`'.

A record's date field (``--date-key``, default ``date``) becomes ``Article.published``. Accepted:

* ISO 8601 and its everyday variants: ``2024-03-04``, ``2024-03-04T10:30``, ``2024-03-04 10:30:00Z``,
  ``2024-03-04T10:30:00+08:00``, ``20240304``, ``2024/03/04``, ``2024.03.04``;
* e-mail and RSS dates (RFC 2822): ``Mon, 04 Mar 2024 10:30:00 GMT``;
* written dates in English: ``March 4, 2024``, ``4 March 2024``, ``Mar. 4 2024 10:30 am EST``;
* Chinese dates: ``2024年3月4日``, ``2024年3月4日 10:30``, ``2024年03月04日10时30分``, ``二〇二四年三月四日``;
* numeric day-first or month-first dates: ``04/03/2024`` is read month first (US) unless the first
  number is over 12 (``25/03/2024``), since news exports are mostly American;
* Unix timestamps (an int or float of seconds, or milliseconds when over 10^11), read as UTC;
* ``datetime.date``/``datetime.datetime`` objects (e.g. from pandas).

The result keeps what the input says: a date alone stays a date (``2024-03-04``); a time without
a zone stays without one (``2024-03-04T10:30:00``); a zone is kept as an offset
(``2024-03-04T10:30:00+08:00``, ``Z`` → ``+00:00``). Anything else gives ``None``, never a guess.

Example:
    >>> parse_date("2024年3月4日"), parse_date("March 4, 2024"), parse_date("2024-03-04T10:30:00Z")
    ('2024-03-04', '2024-03-04', '2024-03-04T10:30:00+00:00')
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime
from typing import Any

_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_DATE = re.compile(
    r"^\s*(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
    r"(?:\s*(?:(?P<ampm>上午|下午|晚上|凌晨|早上)\s*)?(?P<H>\d{1,2})\s*[:：时點点]\s*(?P<M>\d{1,2})\s*分?"
    r"(?:\s*[:：]?\s*(?P<S>\d{1,2})\s*秒?)?)?\s*(?:[（(]?(?:北京时间|GMT\+8|UTC\+8)[)）]?)?\s*$"
)
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_YMD_LOOSE = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})(.*)$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_TIME_PART = re.compile(r"\d{1,2}:\d{2}|\d\s*[ap]\.?m\b", re.IGNORECASE)
_MONTH_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE)
# US zone names dateutil does not know on its own (it reads them as naive times otherwise).
_ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
          "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "HKT": 8, "SGT": 8, "JST": 9, "IST": 5.5}


def parse_date(value: Any) -> str | None:
    """``value`` as an ISO 8601 date or date-time string, or ``None`` when it is not a date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return _iso(value, has_time=True)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 80:
        return None
    for parse in (_iso_8601, _chinese, _numeric, _rfc_2822, _written):
        result = parse(text)
        if result is not None:
            return result
    return None


def _plausible(moment: dt.date) -> bool:
    return 1800 <= moment.year <= 2200


def _iso(moment: dt.datetime, *, has_time: bool) -> str | None:
    if not _plausible(moment):
        return None
    if not has_time:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds" if not moment.microsecond else "auto")


def _from_timestamp(seconds: float) -> str | None:
    if seconds != seconds or seconds <= 0:  # NaN (a missing value in pandas) or nonsense
        return None
    if seconds > 1e11:
        seconds /= 1000.0  # milliseconds, as JavaScript writes them
    try:
        moment = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return _iso(moment, has_time=True)


def _iso_8601(text: str) -> str | None:
    compact = _COMPACT.match(text)
    if compact:
        text = "-".join(compact.groups())
    loose = _YMD_LOOSE.match(text)
    if loose:
        year, month, day, rest = loose.groups()
        text = f"{year}-{int(month):02d}-{int(day):02d}{rest}"
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return _iso(moment, has_time=len(candidate) > 10)


def _zh_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(c in _ZH_DIGITS for c in text) and "十" not in text:
        return int("".join(str(_ZH_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")  # 十 10, 十二 12, 二十 20, 二十三 23
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[units] if units else 0)


def _chinese(text: str) -> str | None:
    match = _ZH_DATE.match(text)
    if not match:
        return None
    try:
        day = dt.date(_zh_number(match["y"]), _zh_number(match["m"]), _zh_number(match["d"]))
    except (ValueError, KeyError):
        return None
    if match["H"] is None:
        return day.isoformat() if _plausible(day) else None
    hour = int(match["H"])
    if match["ampm"] in ("下午", "晚上") and hour < 12:
        hour += 12
    try:
        moment = dt.datetime(day.year, day.month, day.day, hour, int(match["M"]), int(match["S"] or 0))
    except ValueError:
        return None
    if "北京时间" in text or "+8" in text:
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return _iso(moment, has_time=True)


def _numeric(text: str) -> str | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, second, year = (int(x) for x in match.groups())
    month, day = (second, first) if first > 12 else (first, second)
    try:
        moment = dt.date(year, month, day)
    except ValueError:
        return None
    return moment.isoformat() if _plausible(moment) else None


def _rfc_2822(text: str) -> str | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return _iso(moment, has_time=True)


def _written(text: str) -> str | None:
    """Dates with a month written out (March 4, 2024; 4 Mar 2024 10:30 am EST), through dateutil."""
    # A month word, a four-digit year and a day: "March 2024" has no day, and dateutil would invent one.
    if not _MONTH_WORD.search(text) or not re.search(r"\b\d{4}\b", text) \
            or not re.search(r"(?<![\d:])\d{1,2}(?:st|nd|rd|th)?\b(?!:)", text):
        return None
    from dateutil import parser

    zones = {name: int(hours * 3600) for name, hours in _ZONES.items()}
    try:
        moment = parser.parse(text, tzinfos=zones, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError, parser.ParserError):
        return None
    return _iso(moment, has_time=bool(_TIME_PART.search(text)))
