"""Bulk annotation: bad files, kill -9 and --resume, table formats, the Dask engine."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsnlp", *args], capture_output=True, timeout=900, **kw)


def make_corpus(folder: Path, good: int) -> int:
    """``good`` copies of our samples and one bad file of each kind; returns the number of bad ones."""
    folder.mkdir()
    samples = sorted(SAMPLES.iterdir())
    for i in range(good):
        (folder / f"doc{i:04d}.txt").write_bytes(samples[i % len(samples)].read_bytes())
    bad = {
        "empty": b"", "whitespace": " \n\t\u3000".encode("utf-8"), "gzip": gzip.compress(b"an article"),
        "binary": bytes(range(256)) * 8, "huge": b"word " * (1024 * 1024), "undecodable": b"\x81\x8d\x8f\x90\x9d" * 50,
    }
    for name, data in bad.items():
        (folder / f"bad_{name}.txt").write_bytes(data)
    return len(bad)


def ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text("utf-8").splitlines()]


@pytest.mark.slow
def test_bad_files_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    n_bad = make_corpus(tmp_path / "in", 12)
    out = tmp_path / "out.jsonl"
    result = cli("annotate", str(tmp_path / "in"), "-o", str(out), "-q", "--stages", "")
    assert result.returncode == 1
    assert len(ids(out)) == 12
    errors = [json.loads(l) for l in (tmp_path / "out.errors.jsonl").read_text("utf-8").splitlines()]
    assert len(errors) == n_bad and all(e["source"] and e["error"]["message"] for e in errors)
    assert {e["error"]["type"] for e in errors} >= {"EmptyInputError", "BinaryInputError", "InputTooLargeError"}


@pytest.mark.slow
def test_kill_9_then_resume_gives_each_article_once(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in", 120)
    out = tmp_path / "out.jsonl"
    args = [sys.executable, "-m", "newsnlp", "annotate", str(tmp_path / "in"), "-o", str(out), "-q", "--batch-size", "4"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = out.with_name(out.name + ".partial")
    deadline = time.time() + 300
    while time.time() < deadline and (not partial.exists() or partial.read_bytes().count(b"\n") < 20):
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert partial.exists() and not out.exists()
    with open(partial, "ab") as handle:
        handle.write(b'{"id": "torn li')  # what a kill in the middle of a write leaves behind
    result = subprocess.run(args + ["--resume"], capture_output=True, timeout=900)
    assert result.returncode == 1  # the bad files fail again
    got = ids(out)
    assert len(got) == 120 and len(set(got)) == 120
    assert not partial.exists()


@pytest.mark.slow
def test_csv_and_parquet_tables(tmp_path: Path) -> None:
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"corpus.{fmt}"
        result = cli("annotate", str(SAMPLES), "-o", str(out), "-q")
        assert result.returncode == 0, result.stderr
        import pandas as pd

        read = pd.read_csv if fmt == "csv" else pd.read_parquet
        articles = read(tmp_path / f"corpus.articles.{fmt}")
        mentions = read(tmp_path / f"corpus.mentions.{fmt}")
        quotes = read(tmp_path / f"corpus.quotes.{fmt}")
        assert len(articles) == 4 and set(mentions.columns) >= {"article_id", "entity_id", "start", "end", "text"}
        assert len(quotes) == articles["n_quotes"].sum()
        assert (tmp_path / "corpus.jsonl").exists()


@pytest.mark.slow
def test_dask_engine_matches_the_local_run(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    records = tmp_path / "records.jsonl"
    texts = [p.read_text("utf-8") for p in sorted(SAMPLES.iterdir())] * 5
    records.write_text("".join(json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False) + "\n"
                               for i, t in enumerate(texts)), "utf-8")
    local, distributed = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert cli("annotate", str(records), "-o", str(local), "-q", "--batch-size", "3").returncode == 0
    result = cli("annotate", str(records), "-o", str(distributed), "-q", "--batch-size", "3",
                 "--engine", "dask", "--workers", "2")
    assert result.returncode == 0, result.stderr[-2000:]
    assert local.read_text("utf-8") == distributed.read_text("utf-8")


@pytest.mark.slow
def test_dask_bag_and_dataframe_api() -> None:
    pytest.importorskip("distributed")
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    import newsnlp.dask as nd
    from newsnlp.config import Settings

    texts = [p.read_text("utf-8") for p in sorted(SAMPLES.iterdir())]
    with dask.config.set(scheduler="synchronous"):
        bag = nd.annotate_bag(db.from_sequence(texts, partition_size=2), Settings(stages=()))
        assert [a["lang"] for a in bag.compute()] == ["en", "mixed", "en", "zh"]
        frame = dd.from_pandas(pd.DataFrame({"id": ["a", "b"], "text": [texts[0], ""]}), npartitions=1)
        out = nd.annotate_dataframe(frame, Settings(stages=())).compute()
    assert list(out["id"]) == ["a", "b"] and pd.isna(out["error"][0]) and out["error"][1] == "input is empty"  # as from bytes and the CLI
