"""newsnlp.to_frames: tables whose row counts agree with the Articles, with stable dtypes."""

from pathlib import Path

import pandas as pd
import pytest

import newsnlp
from newsnlp.frames import COLUMNS
from newsnlp.model import Article

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def test_empty_corpus_keeps_columns_and_dtypes() -> None:
    frames = newsnlp.to_frames([])
    for name, columns in COLUMNS.items():
        assert list(frames[name].columns) == list(columns)
        assert [str(t) for t in frames[name].dtypes] == list(columns.values())


@pytest.mark.slow
def test_row_counts_agree_with_the_articles(full_analyzer) -> None:
    articles = [full_analyzer.analyze(p.read_bytes(), id=p.name) for p in sorted(SAMPLES.iterdir())]
    frames = newsnlp.to_frames(articles)
    assert len(frames["articles"]) == len(articles)
    assert len(frames["entities"]) == sum(len(a.entities) for a in articles)
    assert len(frames["mentions"]) == sum(e.count for a in articles for e in a.entities)
    assert len(frames["quotes"]) == sum(len(a.quotes) for a in articles)
    assert (frames["articles"]["n_quotes"].sum()) == len(frames["quotes"])
    # Dicts (annotate output) give the same tables as Articles.
    again = newsnlp.to_frames([a.to_dict(tokens=False) for a in articles])
    pd.testing.assert_frame_equal(again["quotes"], frames["quotes"])
    pd.testing.assert_frame_equal(again["entities"], frames["entities"])
    texts = {a.id: a.text for a in articles}
    for row in frames["mentions"].itertuples():
        assert texts[row.article_id][row.start:row.end] == row.text


def test_missing_values_are_nullable() -> None:
    frames = newsnlp.to_frames([Article(text="Hi.", lang="en")])
    row = frames["articles"].iloc[0]
    assert row["article_id"] == "0" and pd.isna(row["title"]) and pd.isna(row["top_topic_score"])
