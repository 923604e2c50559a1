"""Publication dates found in page text (a date line, a byline), English and Chinese, as ISO 8601.

This module searches running text for a date; :mod:`newsnlp.preprocess.record_dates` parses a
record's date field, which is all date (timestamps, zones, ``datetime`` objects). Two jobs, two
functions: :func:`find_date`/:func:`date_in_text` here, ``record_dates.parse_date`` there.

Understands the forms news pages print: "March 4, 2024", "4 Mar 2024", "Mon 4 Mar 2024 10:30 GMT",
"Published: Mon 4 Mar 2024 10:30 GMT", "2024-03-04", "2024/3/4 10:30", "2024.03.04",
"2024年3月4日 10:30", "2024-03-04T10:30:00+08:00". A time of day is kept when the text gives one
right after the date (``2024-03-04T10:30``). A bare year ("© 2024") is never a date.

Example:
    >>> date_in_text("Published: Mon 4 Mar 2024 10:30 GMT")
    '2024-03-04T10:30'
    >>> date_in_text("2024年3月4日")
    '2024-03-04'
    >>> date_in_text("Copyright 2024") is None
    True
"""

from __future__ import annotations

import calendar
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME = r"(?:[\sT,|@-]*(?:at\s+)?(?P<hh>\d{1,2})[:：](?P<mm>\d{2})(?:[:：]\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?)?"
_PATTERNS = [
    # 2024-03-04, 2024/3/4, 2024.03.04, 2024年3月4日 (with an optional time after it)
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?:日|号|(?!\d))" + _TIME,
               re.IGNORECASE),
    # March 4, 2024 / Mar. 4th 2024
    re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b" + _TIME, re.IGNORECASE),
    # 4 March 2024 / 1st January 2008 / 4-Mar-2024
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?" + _MONTH + r",?[\s-]+(?P<y>(?:19|20)\d{2})\b" + _TIME,
               re.IGNORECASE),
]
# More forms (1.2), for the publication date: the line labeller's features keep the forms above, the
# ones it was trained with (models/pages/README.md).
_MORE_PATTERNS = [
    *_PATTERNS[:2],
    # 31. October, 2023 / "Research7 April 2020" (glued to a word)
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|\.)?[\s-]+(?:of\s+)?" + _MONTH + r",?[\s-]+(?P<y>(?:19|20)\d{2})\b"
               + _TIME, re.IGNORECASE),
    # 21.10.2019 (day first), 12/30/2019 and 30/12/2019 (the order the numbers allow)
    re.compile(r"(?<![\d./])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?![\d./])" + _TIME,
               re.IGNORECASE),
]
# A time printed before the date ("9:22 PM EST, Mon November 6, 2023", "2:18pm Tuesday 1st January 2008").
_TIME_FIRST = re.compile(r"(?<![\d:])(?P<hh>\d{1,2})[:：](?P<mm>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|版权", re.IGNORECASE)


def find_date(text: str, *, day_first: bool | None = False, more: bool = True) -> tuple[int, int, str] | None:
    """The first date in ``text``: its span and ISO value, or ``None``.

    ``day_first``: read "04/05/2020" as 4 May (``True``: the page writes day first, see
    :func:`slash_day_first`), as April 5 (``False``, the default), or not at all (``None``: the order
    is unknown). "21.10.2019" is always day first, "30/12/2019" and "12/30/2019" as the numbers allow.
    ``more=False``: only the forms of version 1.1 (no numeric day-month dates, no "31. October, 2023",
    no day glued to a word): the line labeller's features, which it was trained with.
    """
    if _COPYRIGHT.search(text) and not re.search(r"\d{1,2}\D{1,3}(?:19|20)\d{2}|(?:19|20)\d{2}\D{1,3}\d{1,2}", text):
        return None
    best: tuple[int, int, str] | None = None
    for pattern in _MORE_PATTERNS if more else _PATTERNS:
        for match in pattern.finditer(text):
            iso = _iso(match, text, day_first)
            if iso is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), match.end(), iso)
                break
    return best


def date_in_text(text: str) -> str | None:
    """The ISO 8601 value of the first date in ``text`` (date, or date and time), or ``None``."""
    found = find_date(text)
    return found[2] if found else None


def slash_day_first(text: str) -> bool | None:
    """Whether the page writes numeric dates day first: ``True`` when one of its "dd/mm/yyyy" dates has
    a first number over 12, ``False`` when one has a second number over 12, ``None`` when none says."""
    for match in _SLASH.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return None


_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(?:19|20)\d{2}(?![\d/])")


def _iso(match: re.Match[str], text: str, day_first: bool | None = False) -> str | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if groups.get("a"):  # numeric day and month: 21.10.2019, 12/30/2019, 30/12/2019
        a, b = int(groups["a"]), int(groups["b"])
        if groups["sep"] == "/" and a <= 12 and b <= 12 and day_first is None:
            return None  # 04/05/2020 on a page that does not say which order it writes
        first = groups["sep"] == "." or a > 12 or (bool(day_first) and b <= 12)
        day, month = (a, b) if first else (b, a)
    else:
        day = int(groups["d"])
        month = _MONTHS[groups["mon"].lower()[:3]] if groups.get("mon") else int(groups["m"])
    if not (1 <= month <= 12 and 1 <= day <= _days(year, month) and 1900 <= year <= 2100):
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}"
    hour, minute, ampm = groups.get("hh"), groups.get("mm"), groups.get("ampm")
    if hour is None:
        early = next(reversed(list(_TIME_FIRST.finditer(text[max(0, match.start() - 30):match.start()]))), None)
        if early:
            hour, minute, ampm = early.group("hh"), early.group("mm"), early.group("ampm")
    if hour is None:
        return date
    h, m = int(hour), int(minute or 0)
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= h <= 12:
            return date
        h = (h % 12) + (12 if pm else 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return date
    return f"{date}T{h:02d}:{m:02d}"


def _days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


__all__ = ["date_in_text", "find_date", "slash_day_first"]
