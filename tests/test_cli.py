"""The CLI as a user runs it: real processes, exit codes, error files."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsnlp", *args], input=stdin, capture_output=True, timeout=300)


def lines(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text("utf-8").splitlines() if l.strip()]


@pytest.mark.slow
def test_annotate_folder_ok(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("annotate", str(SAMPLES), "-o", str(out), "--stages", "", "-q")
    assert result.returncode == 0, result.stderr
    articles = lines(out)
    assert len(articles) == 4 and {a["lang"] for a in articles} == {"en", "zh", "mixed"}
    assert all({"entities", "topics", "quotes"} <= set(a) for a in articles)
    assert not (tmp_path / "out.errors.jsonl").exists()


@pytest.mark.slow
def test_some_failed_exit_1_with_errors_file(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("A title\n\nThe body of a good article.", "utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "packed.txt").write_bytes(gzip.compress(b"hidden article"))
    out = tmp_path / "out.jsonl"
    result = run("annotate", str(inputs), "-o", str(out), "--stages", "")
    assert result.returncode == 1
    assert len(lines(out)) == 1
    errors = {Path(e["source"]).name: e["error"] for e in lines(tmp_path / "out.errors.jsonl")}
    assert errors["empty.txt"]["type"] == "EmptyInputError"
    assert "gzip" in errors["packed.txt"]["message"]
    assert b"Traceback" not in result.stderr


@pytest.mark.slow
def test_all_failed_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = run("annotate", str(bad), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 3 and b"Traceback" not in result.stderr


@pytest.mark.slow
def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("annotate", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "o.jsonl")).returncode == 2
    assert run("annotate", str(SAMPLES), "-o", str(tmp_path / "o.jsonl"), "--batch-size", "0").returncode == 2
    assert run("annotate").returncode == 2


@pytest.mark.slow
def test_jsonl_records_with_keys_and_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"doc": "d1", "body": "First story\n\nIt rained.", "lang": "en"}) + "\n"
        + "{not json\n"
        + json.dumps({"doc": "d3", "body": 5}) + "\n"
        + json.dumps({"doc": "d4", "body": "中国队获胜。"}) + "\n",
        "utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = run("annotate", str(src), "-o", str(out), "--text-key", "body", "--id-key", "doc", "--stages", "")
    assert result.returncode == 1
    assert [a["id"] for a in lines(out)] == ["d1", "d4"]
    errors = lines(tmp_path / "out.errors.jsonl")
    assert [e["source"] for e in errors] == [f"{src}:2", f"{src}:3"]
    assert "invalid JSON" in errors[0]["error"]["message"]


@pytest.mark.slow
def test_csv_and_stdin(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,"A story, with a comma."\n2,"另一条新闻。"\n', "utf-8")
    out = tmp_path / "out.jsonl"
    assert run("annotate", str(src), "-o", str(out), "--stages", "").returncode == 0
    assert [a["id"] for a in lines(out)] == ["1", "2"]
    result = run("annotate", "-", "-o", "-", "--stages", "", "-q", stdin="Headline\n\nSome text.".encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"]["text"] == "Headline"


@pytest.mark.slow
def test_info_lists_versions_and_models() -> None:
    result = run("info")
    assert result.returncode == 0
    assert b"spacy" in result.stdout and b"english pipeline" in result.stdout


@pytest.mark.slow
def test_help_is_plain_text_with_defaults_and_metavars() -> None:
    result = run("annotate", "--help")
    text = result.stdout.decode()
    assert result.returncode == 0
    assert "[default: OUT.errors.jsonl]" in text and "[default: 64; x>=1]" in text
    assert "<bool>" not in text and "--max-bytes N" in text and "-o, --output OUT" in text


@pytest.mark.slow
def test_version_and_info_list_the_models_with_their_terms() -> None:
    import newsnlp
    from newsnlp.shipped import SHIPPED_MODELS, model_info

    version = run("--version")
    assert (version.returncode, version.stdout.decode().strip()) == (0, f"newsnlp {newsnlp.__version__}")
    info = run("info")
    text = info.stdout.decode()
    assert info.returncode == 0 and "MIT" in text
    for name in SHIPPED_MODELS:
        model = model_info(name)
        assert f"model {name}" in text and model.sha256[:16] in text and model.terms in text


@pytest.mark.slow
def test_summary_line_and_max_bytes(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "small.txt").write_text("A title\n\nThe body of a small article.", "utf-8")
    (inputs / "large.txt").write_text("A title\n\n" + "The body goes on. " * 200, "utf-8")
    out = tmp_path / "out.jsonl"
    result = run("annotate", str(inputs), "-o", str(out), "--stages", "", "--max-bytes", "1000")
    assert result.returncode == 1
    assert [Path(a["meta"]["source"]).name for a in lines(out)] == ["small.txt"]
    (error,) = lines(tmp_path / "out.errors.jsonl")
    assert error["error"]["type"] == "InputTooLargeError"
    summary = result.stderr.decode().strip().splitlines()[-1]
    assert summary.startswith("newsnlp: 1 annotated, 1 failed in ") and "out.errors.jsonl" in summary
    quiet = run("annotate", str(inputs / "small.txt"), "-o", str(tmp_path / "q.jsonl"), "--stages", "", "-q")
    assert quiet.returncode == 0 and quiet.stderr == b""
