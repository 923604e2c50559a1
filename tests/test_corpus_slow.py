"""Corpus-ready, with real models: long texts, one path for analyze and analyze_many, workers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import newsnlp
from newsnlp.preprocess.pieces import split_pieces

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def test_pieces_rejoin_into_the_text_and_cut_at_paragraphs() -> None:
    text = ("A sentence here. " * 30 + "\n\n") * 50
    pieces = split_pieces(text, limit=1000)
    assert "".join(pieces) == text and len(pieces) > 1
    assert all(len(p) <= 1000 and p.endswith("\n\n") for p in pieces[:-1])
    assert split_pieces("x" * 2500, limit=1000) == ["x" * 1000, "x" * 1000, "x" * 500]


@pytest.mark.slow
def test_a_1_5_mb_english_text_is_annotated_with_offsets_intact(preprocessor) -> None:
    paragraph = ("The committee met on Tuesday to review the budget, and members said the talks "
                 "would continue next week in Geneva. ") * 8
    text = "Budget talks\n\n" + "\n\n".join(f"{i}. {paragraph}" for i in range(1700))
    assert 1_500_000 < len(text.encode("utf-8")) < 4 * 1024 * 1024  # over spaCy's 1,000,000 characters
    article = preprocessor.analyze(text)
    assert article.invalid_spans() == []
    assert article.tokens[-1].end == len(text.rstrip())  # tokens to the very end, past every piece
    assert len(article.sentences) >= 1700 * 2


@pytest.mark.slow
def test_analyze_and_analyze_many_give_the_same_articles() -> None:
    samples = sorted(SAMPLES.glob("*.txt"))
    contents = [path.read_bytes() for path in samples] + [path.read_text("utf-8") for path in samples]
    one_by_one = [newsnlp.analyze(content, id=str(i)) for i, content in enumerate(contents)]
    many = list(newsnlp.analyze_many(contents, batch_size=3))
    assert all(a.tokens for a in many)
    assert many == one_by_one


def test_workers_are_not_more_than_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsnlp import partition

    monkeypatch.setattr(partition.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(partition.os, "getloadavg", lambda: (9.0, 9.0, 9.0))  # the load is not consulted
    assert [partition.usable_workers(n) for n in (1, 2, 4)] == [1, 2, 2]


@pytest.fixture()
def idle_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers as asked for, whatever the load of the machine running the tests."""
    from newsnlp import partition

    monkeypatch.setattr(partition, "usable_workers", lambda requested: requested)


@pytest.mark.slow
def test_workers_get_a_share_of_a_small_input(idle_machine: None) -> None:
    """40 long records with batches of 64: both workers get 20 (the input is split, not sent as one
    batch); 40 short ones are annotated in this process (starting workers would cost more)."""
    from newsnlp.config import Settings
    from newsnlp.partition import MIN_PARALLEL_CHARS, iter_chunks, map_partitions

    long = [{"text": "x" * (MIN_PARALLEL_CHARS // 30)} for _ in range(40)]
    seen = [n for chunk in map_partitions(_count, iter_chunks(long, 64), Settings(stages=()), n_process=2)
            for n in chunk]
    assert [n for n, _ in seen] == [20, 20] and os.getpid() not in {pid for _, pid in seen}
    short = [{"text": "A short article."} for _ in range(40)]
    assert [n for chunk in map_partitions(_count, iter_chunks(short, 64), Settings(), n_process=2)
            for n in chunk] == [(40, os.getpid())]


def _count(chunk: list, settings: object) -> list[tuple[int, int]]:
    return [(len(chunk), os.getpid())]


@pytest.mark.slow
def test_worker_processes_give_the_same_articles_and_typed_errors(idle_machine: None) -> None:
    from newsnlp.errors import EmptyInputError
    from newsnlp.partition import MIN_PARALLEL_CHARS

    paragraph = "The talks in Geneva ended on Friday, and negotiators said they would meet again. "
    records = [{"id": str(i), "text": f"Talks {i}\n\n" + paragraph * (MIN_PARALLEL_CHARS // (len(paragraph) * 8))}
               for i in range(10)]
    bad = [*records[:5], {"id": "empty", "text": "  "}, *records[5:]]
    with pytest.raises(EmptyInputError):  # the worker's error, its type intact
        list(newsnlp.analyze_many(bad, n_process=2, batch_size=4, stages=()))
    in_workers = list(newsnlp.analyze_many(bad, n_process=2, batch_size=4, stages=(), errors="skip"))
    here = list(newsnlp.analyze_many(records, batch_size=4, stages=()))
    assert in_workers == here and all(a.tokens for a in here)
