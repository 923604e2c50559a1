"""End to end on real articles in ../shared (skipped when it is absent)."""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import newsnlp
from newsnlp.model import Article
from newsnlp.preprocess.normalize import normalized_view

pytestmark = pytest.mark.slow


def analysed_view(article: Article) -> str:
    return "\n".join(
        normalized_view(article.text, p.start, p.end, simplify=True).text.strip() for p in article.paragraphs if p.analysed
    )


def test_seed_page_through_the_cli(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "newsnlp", "annotate", str(shared / "articles" / "seed_article.txt"), "-o", str(out), "-q"],
        capture_output=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (line,) = out.read_text("utf-8").splitlines()
    article = Article.from_json(line)
    assert article.title.text == "China’s Xi Jinping Calls Ukraine’s Zelenskyy Following Weeks of Pressure"
    assert article.author.text == "Kevin Zhang"
    body = article.body
    assert len(body) == 9
    assert body[0].text.startswith("Chinese president Xi Jinping called")
    assert body[-1].text.endswith("the Chinese government said Xi told Zelenskyy.")
    body_text = " ".join(p.text for p in body)
    for furniture in ("Sponsored", "Home / News", "About Kevin Zhang", "Check Also", "Superfood", "Leave a Reply", "Required fields"):
        assert furniture not in body_text
        assert furniture in article.text  # marked, never removed
    assert article.invalid_spans() == []


def _messy_index(shared: Path) -> list[dict]:
    return [json.loads(l) for l in (shared / "articles" / "messy" / "index.jsonl").read_text("utf-8").splitlines() if l.strip()]


def test_messy_inputs(shared: Path, preprocessor) -> None:
    from newsnlp.errors import BinaryInputError, EmptyInputError

    expected_errors = {"whitespace": EmptyInputError, "gzip": BinaryInputError}
    for entry in _messy_index(shared):
        path = shared / "articles" / entry["file"]
        raw = path.read_bytes()
        family = next((k for k in expected_errors if k in entry["file"]), None)
        if family:
            with pytest.raises(expected_errors[family]):
                preprocessor.analyze(raw, source=str(path))
            continue
        article = preprocessor.analyze(raw, source=str(path))
        assert article.invalid_spans() == []
        want_lang = "zh" if "_zh_" in entry["file"] else "en"
        assert article.lang == want_lang, entry["file"]
        assert "\r" not in article.text and "â€" not in article.text
        if "traditional" in entry["file"]:
            assert any(p.script == "traditional" for p in article.paragraphs)
        original = shared / "articles" / (entry["derived_from"] or "-")
        if original.is_file():
            clean = preprocessor.analyze(original.read_bytes())
            ratio = difflib.SequenceMatcher(None, analysed_view(article), analysed_view(clean), autojunk=False).ratio()
            assert ratio >= 0.98, (entry["file"], ratio)


def test_odd_unicode_title_folds(shared: Path, preprocessor) -> None:
    article = preprocessor.analyze((shared / "articles" / "messy" / "m23_en_odd_unicode.txt").read_bytes())
    title = article.title
    assert normalized_view(article.text, title.start, title.end).text == "Mobile networks seek turbo boost"


def test_truncated_file_is_processed_with_a_warning(shared: Path, preprocessor) -> None:
    article = preprocessor.analyze((shared / "articles" / "messy" / "m21_zh_truncated_mid_char.txt").read_bytes())
    assert article.meta["warnings"] and article.text.endswith("\ufffd") and article.sentences


def test_all_shared_articles(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "newsnlp", "annotate", str(shared / "articles" / "en"), str(shared / "articles" / "zh"),
         "-o", str(out), "-q"],
        capture_output=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    langs = {}
    for folder in ("en", "zh"):
        for line in (shared / "articles" / folder / "index.jsonl").read_text("utf-8").splitlines():
            entry = json.loads(line)
            langs[str(shared / "articles" / entry["file"])] = entry["lang"]
    articles = [Article.from_json(l) for l in out.read_text("utf-8").splitlines()]
    assert len(articles) == 300
    for article in articles:
        assert article.invalid_spans() == []
        assert article.title is not None and article.title.text == article.text.split("\n", 1)[0].strip()
        assert article.lang == langs[article.id]
        assert article.topics, article.id  # every stage ran: a news article always gets topic scores
    assert sum(bool(a.entities) for a in articles) >= 290 and sum(bool(a.quotes) for a in articles) >= 100
    # The researchers' tables of the same 300 articles: one row per article, entity, mention, quote.
    frames = newsnlp.to_frames(articles)
    assert len(frames["articles"]) == 300 and frames["articles"]["article_id"].is_unique
    assert len(frames["entities"]) == sum(len(a.entities) for a in articles) > 3000
    assert len(frames["mentions"]) == sum(e.count for a in articles for e in a.entities)
    assert len(frames["quotes"]) == sum(len(a.quotes) for a in articles) > 500
    assert frames["articles"]["n_quotes"].sum() == len(frames["quotes"])
    assert frames["articles"]["top_topic"].notna().all()


def test_eval_harness_reads_our_output(shared: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    lines = (shared / "eval" / "topics" / "en" / "dev.jsonl").read_text("utf-8").splitlines()[:30]
    gold.write_text("\n".join(lines) + "\n", "utf-8")
    result = subprocess.run(
        [sys.executable, str(shared / "eval" / "evaluate.py"), "topics-en", "--gold", str(gold), "--json"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "accuracy" in result.stdout
