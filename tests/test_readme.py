"""The README's commands and snippets work as written, and print what the README shows."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
pytestmark = pytest.mark.slow  # loads the real models


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


def test_every_python_snippet_is_a_doctest() -> None:
    # A snippet without ">>>" would never run: write it as a doctest so the shown output is checked.
    blocks = _blocks("python")
    assert len(blocks) >= 4
    assert all(">>>" in block for block in blocks)


def test_python_snippets_run_and_print_what_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)  # snippets read data/samples and may write files: keep the tree clean
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs: dict[str, object] = {}
    for number, block in enumerate(_blocks("python")):
        test = parser.get_doctest(block, globs, f"README python block {number}", "README.md", 0)
        runner.run(test, out=sys.stdout.write, clear_globs=False)
        globs = test.globs
    assert runner.failures == 0, f"{runner.failures} README example(s) failed (see the output above)"


def test_the_annotate_block_runs(tmp_path: Path) -> None:
    block = next(b for b in _blocks("bash") if b.lstrip().startswith("newsnlp annotate"))
    (tmp_path / "data").symlink_to(ROOT / "data")
    env = dict(os.environ)
    for line in block.strip().splitlines():
        argv = shlex.split(line)
        assert argv[0] == "newsnlp"
        result = subprocess.run([sys.executable, "-m", "newsnlp", *argv[1:]], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        assert re.search(r"newsnlp: 1 annotated, 0 failed in [\d.]+ s$", result.stderr.strip())
    assert (tmp_path / "out.jsonl").read_text("utf-8").count("\n") == 1
