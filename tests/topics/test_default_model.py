"""The shipped default topic model: it loads, classifies sensibly and holds its quality floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsnlp.topics.model import TopicModel, default_model_path
from newsnlp.topics.train import evaluate

TAXONOMY = ["business", "culture", "education", "entertainment", "health", "lifestyle", "military",
            "politics", "science", "society", "sports", "technology", "world"]
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

# Floors just under what the default model measured (see models/topics/README.md).
DEV_FLOORS = {"en": {"accuracy": 0.825, "macro_f1": 0.795}, "zh": {"accuracy": 0.83, "macro_f1": 0.81}}
ARTICLE_FLOORS = {"en": 0.95, "zh": 0.88}


@pytest.fixture(scope="module")
def model() -> TopicModel:
    path = default_model_path()
    if not (path / "model.json").is_file():
        pytest.skip(f"no default topic model at {path}")
    return TopicModel.load(path)


@pytest.mark.slow
def test_loads_with_full_taxonomy(model: TopicModel) -> None:
    # Load time is measured by benchmarks/bench_topics.py and stated in the card, not asserted here.
    again = TopicModel.load(default_model_path())
    assert again.labels == model.labels == TAXONOMY
    assert model.metadata["metrics"]["en"]["dev_accuracy"] > 0.5


@pytest.mark.slow
@pytest.mark.parametrize("text, lang, expected", [
    ("Manchester United beat Chelsea 2-1 as the striker scored twice in the second half", "en", "sports"),
    ("Shares fell sharply after the company reported weaker quarterly profits and cut its forecast", "en", "business"),
    ("国足在世界杯预选赛中以2比0战胜对手，球迷欢呼", "zh", "sports"),
    ("央行宣布下调存款准备金率，股市应声上涨", "zh", "business"),
    ("國足在世界盃預選賽中以２比０戰勝對手", None, "sports"),  # traditional + full-width, detected
])
def test_classifies_short_texts(model: TopicModel, text: str, lang: str | None, expected: str) -> None:
    dist = model.predict_proba([text], [lang])[0]
    assert dist[0][0] == expected
    assert len(dist) == len(TAXONOMY)
    assert sum(p for _, p in dist) == pytest.approx(1.0)


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quality_gate_dev(model: TopicModel, lang: str) -> None:
    dev = SHARED / "eval" / "topics" / lang / "dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"{dev} not available")
    result = evaluate(model, _jsonl(dev))
    assert result["accuracy"] >= DEV_FLOORS[lang]["accuracy"]
    assert result["macro_f1"] >= DEV_FLOORS[lang]["macro_f1"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quality_gate_full_articles(model: TopicModel, lang: str) -> None:
    index = SHARED / "articles" / lang / "index.jsonl"
    if not index.is_file():
        pytest.skip(f"{index} not available")
    records = [{"text": (SHARED / "articles" / r["file"]).read_text(encoding="utf-8"), "label": r["label"], "lang": lang}
               for r in _jsonl(index)]
    assert evaluate(model, records)["accuracy"] >= ARTICLE_FLOORS[lang]
