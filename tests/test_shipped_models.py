"""Shipped models: found through the package, stamped, and loud when missing or damaged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsnlp.errors import ModelFormatError, ModelNotFoundError
from newsnlp.shipped import SHIPPED_MODELS, STAMP, check_model, model_dir, model_info


@pytest.mark.parametrize("name", sorted(SHIPPED_MODELS))
def test_every_shipped_model_matches_its_stamp(name: str) -> None:
    # Fails when a model is retrained without `python models/stamp.py` (or a file is damaged).
    info = check_model(name, full=True)
    assert info.path == model_dir(name)
    assert info.sha256 and len(info.sha256) == 64
    assert info.version != "unknown" and "research" in info.terms.lower()


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(model_dir(name), target)
    return target


def test_a_truncated_file_is_named(tmp_path: Path) -> None:
    folder = _copy("topics", tmp_path)
    stamp = json.loads((folder / STAMP).read_text("utf-8"))
    victim = next(iter(stamp["files"]))
    (folder / victim).write_bytes((folder / victim).read_bytes()[:100])
    with pytest.raises(ModelFormatError, match=victim):
        check_model("topics", folder)


def test_a_changed_file_fails_the_full_check_only(tmp_path: Path) -> None:
    folder = _copy("topics", tmp_path)
    path = folder / "model.json"
    data = path.read_bytes()
    path.write_bytes(data[:-2] + (b"\n " if data[-2:] != b"\n " else b"  "))  # same size, new bytes
    assert check_model("topics", folder).name == "topics"
    with pytest.raises(ModelFormatError, match="model.json changed"):
        check_model("topics", folder, full=True)


def test_a_missing_model_stops_the_analyzer_at_start_up(tmp_path: Path) -> None:
    from newsnlp.pipeline import Analyzer

    with pytest.raises(ModelNotFoundError) as caught:
        Analyzer(zh_ner_model=str(tmp_path / "nowhere"))
    message = str(caught.value)
    assert "zh_ner" in message and "reinstall newsnlp" in message and "NEWSNLP_ZH_NER_MODEL" in message


def test_a_shipped_folder_without_its_stamp_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsnlp.shipped as shipped

    folder = _copy("topics", tmp_path)
    (folder / STAMP).unlink()
    monkeypatch.setattr(shipped, "model_dir", lambda name: folder)
    with pytest.raises(ModelFormatError, match="no newsnlp-model.json"):
        shipped.check_model("topics")


def test_a_model_of_your_own_needs_no_stamp(tmp_path: Path) -> None:
    folder = _copy("topics", tmp_path)
    (folder / STAMP).unlink()
    info = check_model("topics", folder)
    assert (info.shipped, info.sha256, info.version) == (False, None, "unknown")


@pytest.mark.slow
def test_degrading_is_an_explicit_choice_recorded_in_meta(tmp_path: Path) -> None:
    from newsnlp.pipeline import Analyzer

    analyzer = Analyzer(topic_model=str(tmp_path / "nowhere"), allow_missing_models=True)
    article = analyzer.analyze("Talks end\n\nThe talks between Canada and Japan ended on Friday.")
    assert article.topics == () and article.meta["missing_models"] == ["topics"]
    assert [m["name"] for m in article.meta["models"]] == ["pages", "en_ner", "zh_ner", "quotes_en"]
    assert any(e.name == "Canada" for e in article.entities)


@pytest.mark.slow
def test_articles_record_the_version_and_models(preprocessor) -> None:
    import newsnlp

    article = preprocessor.analyze("Talks end\n\nThe talks ended on Friday.")
    assert article.meta["newsnlp_version"] == newsnlp.__version__
    expected = [model_info(name) for name in ("pages", "en_ner")]
    assert article.meta["models"] == [{"name": m.name, "version": m.version, "sha256": m.sha256} for m in expected]


@pytest.mark.slow
def test_the_wheel_carries_every_shipped_model(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(root)],
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0 and "No matching distribution" in result.stderr:
        pytest.skip("no package index for the build requirements")
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("newsnlp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in SHIPPED_MODELS:
        stamp = json.loads((model_dir(name) / STAMP).read_text("utf-8"))
        assert {f"newsnlp/_models/{name}/{f}" for f in [STAMP, *stamp["files"]]} <= names
    assert not any("/corpus/" in n or n.endswith((".py", ".md")) and "_models" in n for n in names)
    assert wheel.stat().st_size < 100 * 1024 * 1024  # PyPI's default upload limit (100 MiB)
