"""Corpus-ready inputs (issue 23): record metadata kept, dates, streaming readers, one path, typed errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsnlp.errors import EmptyInputError, InputTooLargeError, NewsNLPError, RecordError, error_from_dict
from newsnlp.io.readers import iter_inputs
from newsnlp.partition import annotate_partition, error_record
from newsnlp.pipeline import Record

RECORDS = [
    {"id": "a1", "text": "Talks end\n\nThe talks in Geneva ended on Friday.", "date": "March 4, 2024",
     "url": "https://example.org/a1", "outlet": "Daily", "section": "World", "author": "Ann Lee"},
    {"id": "a2", "text": "会谈结束\n\n双方在北京举行会谈。", "date": "2024年3月5日", "url": "https://example.org/a2",
     "outlet": "日报", "section": "国际", "author": "王明"},
]
FIELDS = ["id", "date", "url", "outlet", "section", "author"]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def write_csv(path: Path, records: list[dict]) -> Path:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", *FIELDS[1:]])
        writer.writeheader()
        writer.writerows(records)
    return path


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_record_fields_reach_the_articles_and_every_table(tmp_path: Path, blank_preprocessor, kind: str) -> None:
    source = (write_jsonl if kind == "jsonl" else write_csv)(tmp_path / f"in.{kind}", RECORDS)
    items = list(iter_inputs([str(source)]))
    assert all(isinstance(item, Record) for item in items)
    articles = list(blank_preprocessor.pipe(items))
    for article, record in zip(articles, RECORDS):
        assert dict(article.meta["record"]) == {k: record[k] for k in FIELDS}
        assert article.id == record["id"]
    assert [a.published for a in articles] == ["2024-03-04", "2024-03-05"]

    from newsnlp.frames import to_frames

    table = to_frames(articles)["articles"]
    assert list(table.columns[-len(FIELDS):]) == ["id", "date", "url", "outlet", "section", "record_author"]
    assert table["published"].tolist() == ["2024-03-04", "2024-03-05"]
    assert table["outlet"].tolist() == ["Daily", "日报"]
    assert table["record_author"].tolist() == ["Ann Lee", "王明"]


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
@pytest.mark.slow
def test_cli_keeps_record_fields_in_jsonl_csv_and_parquet(tmp_path: Path, kind: str) -> None:
    import pandas as pd

    records = [dict(r, date="", day=r["date"]) for r in RECORDS]
    if kind == "jsonl":
        source = write_jsonl(tmp_path / "in.jsonl", records)
    else:
        import csv

        source = tmp_path / "in.csv"
        with open(source, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"out.{fmt}"
        result = subprocess.run([sys.executable, "-m", "newsnlp", "annotate", str(source), "-o", str(out), "-q",
                                 "--stages", "", "--date-key", "day"], capture_output=True, timeout=600)
        assert result.returncode == 0, result.stderr
        lines = [json.loads(line) for line in out.with_suffix(".jsonl").read_text("utf-8").splitlines()]
        assert [line["meta"]["record"]["outlet"] for line in lines] == ["Daily", "日报"]
        assert [line["published"] for line in lines] == ["2024-03-04", "2024-03-05"]
        if fmt != "jsonl":
            path = tmp_path / f"out.articles.{fmt}"
            table = pd.read_csv(path) if fmt == "csv" else pd.read_parquet(path)
            assert table["url"].tolist() == [r["url"] for r in RECORDS]
            assert table["published"].tolist() == ["2024-03-04", "2024-03-05"]
            assert table["day"].tolist() == ["March 4, 2024", "2024年3月5日"]


def test_jsonl_lines_end_only_at_newline(tmp_path: Path) -> None:
    texts = ["First line\u2028still the first record.", "Scraped\u0085text with\u2029separators."]
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": str(i), "text": t} for i, t in enumerate(texts)])
    items = list(iter_inputs([str(path)]))
    assert [item.content for item in items] == texts  # type: ignore[union-attr]


def test_stdin_jsonl_is_read_line_by_line() -> None:
    class OneLineAtATime(io.BytesIO):
        """A stream whose read() fails: only line by line reading works."""

        def read(self, size: int | None = -1) -> bytes:  # reading it whole would be the bug
            raise AssertionError("stdin read whole")

    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS).encode("utf-8")
    items = list(iter_inputs(["-"], stdin=OneLineAtATime(b"\n" + data)))
    assert [item.id for item in items] == ["a1", "a2"]  # type: ignore[union-attr]
    assert items[1].fields["outlet"] == "日报"  # type: ignore[union-attr]


def test_csv_is_streamed_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_csv(tmp_path / "in.csv", RECORDS)
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(AssertionError("read whole")))
    assert [item.id for item in iter_inputs([str(path)])] == ["a1", "a2"]  # type: ignore[union-attr]


def test_skip_goes_past_every_kind_of_bad_record(blank_preprocessor, caplog: pytest.LogCaptureFixture) -> None:
    bad = [{"id": "n", "text": None}, {"id": "i", "text": 7}, None, 12, {"id": "e", "text": "  "}, {"id": "x"}]
    good = [{"id": "g1", "text": "One."}, {"id": "g2", "text": "Two."}]
    stream = [good[0], *bad, good[1]]
    with caplog.at_level("WARNING"):
        articles = list(blank_preprocessor.pipe(stream, errors="skip"))
    assert [a.id for a in articles] == ["g1", "g2"]
    assert sum("skipped" in r.message for r in caplog.records) == len(bad)
    with pytest.raises(RecordError):
        list(blank_preprocessor.pipe(stream))


def test_typed_errors_survive_error_records() -> None:
    record = error_record("r", "f:1", EmptyInputError("input is empty"))
    error = error_from_dict(record["error"], source="f:1")
    assert type(error) is EmptyInputError and error.code == "E101" and error.source == "f:1"
    assert type(error_from_dict({"type": "ValueError", "message": "boom"})) is NewsNLPError


def test_partition_results_carry_the_error_type(blank_preprocessor) -> None:
    results = annotate_partition([{"id": "e", "text": ""}, {"id": "ok", "text": "Fine."}, None],
                                 blank_preprocessor.settings)
    assert [r.get("error", {}).get("type") for r in results] == ["EmptyInputError", None, "RecordError"]


def test_a_failed_batch_is_retried_from_fresh_work(blank_preprocessor, monkeypatch: pytest.MonkeyPatch) -> None:
    """The retry must not reuse a Work the failed batch already filled (tokens twice)."""
    expected = blank_preprocessor.analyze("Alpha beta.\n\nGamma delta.", id="a")
    calls = {"n": 0}
    original = blank_preprocessor.preprocessor.tokenize_chinese

    def fail_once(works):  # runs after the English tokens are in: the Work is half done
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("transient")
        return original(works)

    monkeypatch.setattr(blank_preprocessor.preprocessor, "tokenize_chinese", fail_once)
    got = list(blank_preprocessor.pipe([Record("Alpha beta.\n\nGamma delta.", id="a"), Record("Other.", id="b")]))
    assert got[0] == expected and len(got[0].tokens) == len(expected.tokens)


def test_str_obeys_the_size_limit() -> None:
    from newsnlp.pipeline import Analyzer

    small = Analyzer(stages=(), max_bytes=100, english_model="blank")
    with pytest.raises(InputTooLargeError):
        small.analyze("é" * 60)  # 60 characters, 120 bytes in UTF-8
    assert small.analyze("e" * 60).text == "e" * 60


def test_utf16le_without_bom_is_decoded(blank_preprocessor) -> None:
    text = "Talks end\n\nThe talks ended on Friday, negotiators said."
    article = blank_preprocessor.analyze(text.encode("utf-16-le"))
    assert article.text == text and article.meta["encoding"] == "utf-16-le"
    chinese = "会谈结束\n\n双方在北京举行会谈，发言人表示。"
    assert blank_preprocessor.analyze(chinese.encode("utf-16-le")).text == chinese


@pytest.mark.slow
def test_empty_input_is_the_same_error_from_the_cli(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   \n", "utf-8")
    write_jsonl(tmp_path / "r.jsonl", [{"id": "e", "text": "  "}])
    out = tmp_path / "out.jsonl"
    result = subprocess.run([sys.executable, "-m", "newsnlp", "annotate", str(tmp_path / "empty.txt"),
                             str(tmp_path / "r.jsonl"), "-o", str(out), "-q", "--stages", ""],
                            capture_output=True, timeout=600)
    assert result.returncode == 3
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text("utf-8").splitlines()]
    assert [e["error"]["type"] for e in errors] == ["EmptyInputError", "EmptyInputError"]


def test_dataframe_records_keep_json_safe_fields_and_dates(blank_preprocessor) -> None:
    import pandas as pd

    frame = pd.DataFrame({"id": ["a", "b"], "text": ["Hello there.", "Second one."],
                          "date": [pd.Timestamp("2024-03-04 10:30", tz="UTC"), pd.NaT], "views": [3, float("nan")]})
    out = annotate_partition(frame, blank_preprocessor.settings)
    assert [o["published"] for o in out] == ["2024-03-04T10:30:00+00:00", None]
    assert out[1]["meta"]["record"] == {"id": "b", "date": None, "views": None}
    json.dumps(out)  # nothing pandas or numpy left in the Article dicts


def test_the_progress_total_counts_jsonl_records_and_files(tmp_path) -> None:
    from newsnlp.io.readers import count_documents

    records = tmp_path / "in.jsonl"
    records.write_text('{"id": 1, "text": "a\\u2028b"}\n\n{"id": 2, "text": "c"}\n{"id": 3, "text": "d"}', "utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.txt", "b.txt", ".hidden.txt"):
        (folder / name).write_text("text", "utf-8")
    table = tmp_path / "in.csv"
    table.write_text("id,text\n1,a\n", "utf-8")
    assert count_documents([str(records)]) == 3
    assert count_documents([str(records), str(folder)]) == 5
    assert count_documents([str(table)]) is None and count_documents(["-"]) is None
