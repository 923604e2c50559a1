"""newsnlp.plot: every picture is drawn and saved as a real PNG; the co-occurrence graph is right."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.image as mpimg  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from newsnlp import plot  # noqa: E402
from newsnlp.model import Article, Entity, Mention, Quote, Speaker  # noqa: E402
from tests.conftest import SAMPLES  # noqa: E402


def _article(i: int, *entities: tuple[str, str, str | None]) -> Article:
    return Article(text="x" * 20, id=f"a{i}", lang="en", entities=tuple(
        Entity(f"e{j}", label, name, (Mention(0, 1, "x"),), iso=iso) for j, (label, name, iso) in enumerate(entities)))


def test_cooccurrence_graph_counts_shared_articles_and_merges_countries_by_iso() -> None:
    corpus = [
        _article(1, ("PERSON", "Ann Lee", None), ("COUNTRY", "China", "CN")),
        _article(2, ("PERSON", "Ann Lee", None), ("COUNTRY", "中国", "CN"), ("ORG", "UN", None)),
        _article(3, ("ORG", "UN", None)),
    ]
    graph = plot.cooccurrence_graph(corpus, min_articles=1)
    # Nodes are corpus keys (newsnlp.entities.keys): ISO code, label + normalised name.
    assert graph.nodes["CN"] == {"label": "COUNTRY", "name": "China", "articles": 2}
    assert graph.edges["PERSON:ann lee", "CN"]["weight"] == 2
    assert graph.edges["ORG:united nations", "CN"]["weight"] == 1
    strong = plot.cooccurrence_graph(corpus, min_articles=2)
    assert [set(edge) for edge in strong.edges] == [{"PERSON:ann lee", "CN"}]


def test_quoted_most_skips_bare_pronouns() -> None:
    quotes = tuple(Quote(0, 1, "x", "direct", Speaker(0, 1, "x", name)) for name in ("Ann Lee", "Ann Lee", None))
    article = Article(text="x" * 5, id="q", lang="en", quotes=quotes)
    article_he = Article(text="He", id="h", lang="en", quotes=(Quote(0, 2, "He", "direct", Speaker(0, 2, "He")),))
    ax = plot.quoted_most([article, article_he])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "Ann Lee"]
    plt.close("all")


def test_chinese_names_are_drawable_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plot, "cjk_font", lambda: None)
    assert plot.display_name("习近平", "PERSON") == "Xi Jinping"
    assert plot.display_name("北京", "LOCATION") == "Beijing"
    assert plot.display_name("Reuters", "ORG") == "Reuters"


def _saved(ax, path: Path) -> None:  # type: ignore[no-untyped-def]
    ax.figure.savefig(path, dpi=60)
    pixels = mpimg.imread(path)
    assert path.stat().st_size > 5000 and pixels.std() > 0.05, f"{path.name} looks empty"


@pytest.mark.slow
def test_every_plot_of_the_samples_is_a_real_png(full_analyzer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    articles = [full_analyzer.analyze(path.read_bytes(), id=path.stem) for path in sorted(SAMPLES.glob("*.txt"))]
    drawings = {
        "top_entities": plot.top_entities(articles, by="mentions"),
        "topics": plot.topics_over_corpus(articles, share=True),
        "quoted": plot.quoted_most(articles),
        "network": plot.cooccurrence_network(articles, min_articles=1),
    }
    for name, ax in drawings.items():
        _saved(ax, tmp_path / f"{name}.png")
    names = [t.get_text() for t in drawings["top_entities"].get_yticklabels()]
    assert "Japan" in names and "China" in names
    assert len(drawings["network"].texts) >= 5
    plt.close("all")


def test_over_time_counts_articles_per_month_by_corpus_key() -> None:
    from dataclasses import replace

    from newsnlp.model import Topic

    dated = [("2024-03-04", ("LOCATION", "Beijing", None)), ("2024-03-20T10:00:00+08:00", ("LOCATION", "北京", None)),
             ("2024-04-02", ("LOCATION", "Beijing", None)), (None, ("LOCATION", "Beijing", None))]
    corpus = [replace(_article(i, entity), published=day, topics=(Topic("politics" if i % 2 else "economy", 0.9),))
              for i, (day, entity) in enumerate(dated)]
    assert plot.publication_periods(corpus).to_dict() == {"a0": "2024-03", "a1": "2024-03", "a2": "2024-04"}
    ax = plot.entities_over_time(corpus)
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [2, 1]  # Beijing and 北京 are one key; the undated article is left out
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024-03", "2024-04"]
    plt.close("all")
    ax = plot.topics_over_time(corpus, freq="M")
    heights = sorted(round(p.get_height()) for p in ax.patches if p.get_height())
    assert heights == [1, 1, 1]  # March: one economy, one politics; April: one economy
    plt.close("all")
