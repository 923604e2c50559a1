"""Quality gates for page structure on the report half of ``../shared/data/pages/dev`` (skips without it).

The dev pages are split by site into a fixed tuning half and a report half (SHA-1 of the site
name: 70 report pages, 59 en + 11 zh; 65 tuning pages); floors are pinned on the report half a little below what
``models/pages/README.md`` records, for the pages as text (the line labeller) and as HTML
(trafilatura's body, title/author/date from the page). The labeller is trained on ``train/`` only.
Title and author are also gated on the dev part of ``models/pages/corpus/trafilatura`` (skips when
that git-ignored corpus is not built).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
# Floors on the report half, a little below what was measured (models/pages/README.md, 1.3): as text
# body F1 0.931, title 0.857 (1.2: 0.871); as HTML body F1 0.917 (trafilatura alone 0.914), title 0.900
# (one page is 1.4 points).
TEXT_FLOORS = {"body_f1": 0.91, "title_acc": 0.84}
HTML_FLOORS = {"body_f1": 0.90, "title_acc": 0.88}


def in_report_half(site: str) -> bool:
    """The fixed split of dev by site: odd first 32 bits of the site name's SHA-1 = report half."""
    return int(hashlib.sha1(site.encode()).hexdigest()[:8], 16) % 2 == 1


def report_half(shared: Path, tmp_path: Path) -> Path:
    """A folder with the report half's index and links to its pages."""
    dev = shared / "data" / "pages" / "dev"
    if not (dev / "index.jsonl").is_file():
        pytest.skip("../shared/data/pages/dev is not available")
    folder = tmp_path / "report"
    folder.mkdir()
    kept = []
    for line in (dev / "index.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if in_report_half(record["site"]):
            kept.append(line)
            (folder / record["file"]).symlink_to(dev / record["file"])
    (folder / "index.jsonl").write_text("\n".join(kept) + "\n", "utf-8")
    return folder


def score(shared: Path, folder: Path, *extra: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = f"{sys.executable} -m newsnlp annotate {{input}} -o {{output}} --stages '' -q"
    result = subprocess.run([sys.executable, str(shared / "eval" / "score_pages.py"), str(folder), "--cmd", command, *extra],
                            capture_output=True, text=True, timeout=1800, env=env, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    line = result.stdout.strip().splitlines()[-1]
    return {k: float(v) for k, v in (item.split("=") for item in line.removeprefix("pages: ").split())}


def test_pages_as_text(shared: Path, tmp_path: Path) -> None:
    metrics = score(shared, report_half(shared, tmp_path), "--as-text")
    for key, floor in TEXT_FLOORS.items():
        assert metrics[key] >= floor, metrics


def test_pages_as_html(shared: Path, tmp_path: Path) -> None:
    metrics = score(shared, report_half(shared, tmp_path))
    for key, floor in HTML_FLOORS.items():
        assert metrics[key] >= floor, metrics


# The dev part of the corpus built by models/pages/build_corpus.py from trafilatura's evaluation pages
# (English, 32 pages from 32 sites, never trained on, nothing tuned on it). Its gold body is only a few
# chunks, so title, author (22 pages name one) and date (29) are gated, a little below what was
# measured (models/pages/README.md, version 1.3): as text title 0.813, author 0.727, date 0.793; as
# HTML title 0.906, author 0.864, date 0.931 (one page is 3.1 points of title, 4.5 of author, 3.4 of date).
CORPUS_DEV = ROOT / "models" / "pages" / "corpus" / "trafilatura" / "dev"
CORPUS_TEXT_FLOORS = {"title_acc": 0.78, "author_acc": 0.63, "date_acc": 0.75}
CORPUS_HTML_FLOORS = {"title_acc": 0.84, "author_acc": 0.77, "date_acc": 0.86}


@pytest.mark.parametrize("mode", ["text", "html"])
def test_corpus_dev_title_and_author(shared: Path, mode: str) -> None:
    if not (CORPUS_DEV / "index.jsonl").is_file():
        pytest.skip("models/pages/corpus/trafilatura is not built (models/pages/build_corpus.py)")
    metrics = score(shared, CORPUS_DEV, *(["--as-text"] if mode == "text" else []))
    for key, floor in (CORPUS_TEXT_FLOORS if mode == "text" else CORPUS_HTML_FLOORS).items():
        assert metrics[key] >= floor, metrics
