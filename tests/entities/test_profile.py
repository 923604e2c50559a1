"""Profiles: Settings(profile=...), annotate --profile, Article.meta["profile"]."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsnlp.config import Settings
from newsnlp.errors import ConfigError


def test_fast_is_the_default() -> None:
    assert Settings().profile == "fast" and Settings.from_env(profile="fast").profile == "fast"


def test_accurate_is_a_profile_and_unknown_ones_are_typed_errors() -> None:
    assert Settings(profile="accurate").profile == "accurate"
    with pytest.raises(ConfigError, match="unknown profile"):
        Settings(profile="best")


@pytest.mark.slow
def test_cli_profile(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "1", "text": "Angela Merkel visited Paris on Monday."}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    run = [sys.executable, "-m", "newsnlp", "annotate", str(source), "-o", str(out), "--stages", "entities", "-q"]
    refused = subprocess.run([*run, "--profile", "best"], capture_output=True, text=True, timeout=300, check=False)
    assert refused.returncode == 2 and "unknown profile" in refused.stderr and not out.exists()
    for profile in ("fast", "accurate"):
        done = subprocess.run([*run, "--profile", profile], capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        article = json.loads(out.read_text("utf-8"))
        assert article["meta"]["profile"] == profile
        assert ("en_ner_accurate" in json.dumps(article["meta"])) == (profile == "accurate")
        assert any(e["name"] == "Angela Merkel" for e in article["entities"]), article["entities"]
