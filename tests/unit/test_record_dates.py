"""Record dates in every common format → ISO 8601 (newsnlp.preprocess.record_dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from newsnlp.preprocess.record_dates import parse_date


@pytest.mark.parametrize("value, expected", [
    ("2024-03-04", "2024-03-04"),
    ("2024-03-04T10:30:00Z", "2024-03-04T10:30:00+00:00"),
    ("2024-03-04T10:30:00+08:00", "2024-03-04T10:30:00+08:00"),
    ("2024-03-04 10:30", "2024-03-04T10:30:00"),
    ("20240304", "2024-03-04"),
    ("2024/3/4", "2024-03-04"),
    ("March 4, 2024", "2024-03-04"),
    ("4 March 2024", "2024-03-04"),
    ("Monday, March 4, 2024", "2024-03-04"),
    ("Sept. 12th, 2023", "2023-09-12"),
    ("Mar. 4 2024 10:30 am EST", "2024-03-04T10:30:00-05:00"),
    ("Mon, 04 Mar 2024 10:30:00 GMT", "2024-03-04T10:30:00+00:00"),
    ("Tue, 4 Mar 2024 10:30:00 +0800", "2024-03-04T10:30:00+08:00"),
    ("2024年3月4日", "2024-03-04"),
    ("2024年03月04日", "2024-03-04"),
    ("2024年3月4日 10:30", "2024-03-04T10:30:00"),
    ("2024年03月04日10时30分", "2024-03-04T10:30:00"),
    ("2024年3月4日 下午3:05", "2024-03-04T15:05:00"),
    ("2024年3月4日 10:30 北京时间", "2024-03-04T10:30:00+08:00"),
    ("二〇二四年三月四日", "2024-03-04"),
    ("2024年十二月二十一日", "2024-12-21"),
    ("12/25/2024", "2024-12-25"),
    ("25/12/2024", "2024-12-25"),
    (1709548200, "2024-03-04T10:30:00+00:00"),
    (1709548200000, "2024-03-04T10:30:00+00:00"),
    (dt.date(2024, 3, 4), "2024-03-04"),
    (dt.datetime(2024, 3, 4, 10, 30, tzinfo=dt.timezone.utc), "2024-03-04T10:30:00+00:00"),
])
def test_common_formats(value: object, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [None, "", "hello", "2024", "March 2024", "2024-13-45", "2024年13月4日",
                                   float("nan"), True, "yesterday", ["2024-03-04"]])
def test_what_is_not_a_date_gives_none(value: object) -> None:
    assert parse_date(value) is None


def test_record_date_beats_nothing_and_a_bad_one_is_a_warning(blank_preprocessor) -> None:
    good = next(blank_preprocessor.pipe([{"id": "a", "text": "Hi there.", "date": "2024年3月4日"}]))
    assert good.published == "2024-03-04"
    bad = next(blank_preprocessor.pipe([{"id": "b", "text": "Hi there.", "date": "soon"}]))
    assert bad.published is None and any("soon" in w for w in bad.meta["warnings"])
    keyed = next(blank_preprocessor.pipe([{"id": "c", "text": "Hi.", "when": "4 March 2024"}], date_key="when"))
    assert keyed.published == "2024-03-04"
