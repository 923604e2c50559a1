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


@pytest.mark.parametrize("profile, message", [("accurate", "not available in this version"), ("best", "unknown profile")])
def test_accurate_and_unknown_profiles_are_typed_errors(profile: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings(profile=profile)


@pytest.mark.slow
def test_cli_profile(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "1", "text": "Angela Merkel visited Paris on Monday."}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    run = [sys.executable, "-m", "newsnlp", "annotate", str(source), "-o", str(out), "--stages", "entities", "-q"]
    refused = subprocess.run([*run, "--profile", "accurate"], capture_output=True, text=True, timeout=300, check=False)
    assert refused.returncode == 2 and "not available in this version" in refused.stderr and not out.exists()
    done = subprocess.run([*run, "--profile", "fast"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text("utf-8"))["meta"]["profile"] == "fast"
