"""Pictures of a corpus (matplotlib): top entities, topics, who is quoted most, co-occurrence,
topics and entities over time (from ``Article.published``).

Every function takes analysed :class:`~newsnlp.model.Article` objects (or the tables of
:func:`newsnlp.to_frames`), draws on ``ax`` (a new figure when ``None``) and returns the
``Axes``, so plots compose with the rest of a notebook. Needs ``pip install newsnlp[plot]``
(matplotlib, networkx).

Entities are counted across articles by their corpus key (:mod:`newsnlp.entities.keys`): a
country by its ISO code (so ``China`` and ``中国`` are one bar), 北京 and Beijing as one, a
surname merged into the corpus' only full name that fits (:func:`newsnlp.corpus.corpus_keys`). Chinese names are drawn with a CJK
font when one is installed (Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei, PingFang,
Microsoft YaHei …); without one they are written in pinyin rather than as empty boxes.

Example:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from newsnlp.model import Article, Entity, Mention
    >>> docs = [Article(text="China.", id=str(i), lang="en",
    ...                 entities=(Entity("e0", "COUNTRY", "China", (Mention(0, 5, "China"),), iso="CN"),))
    ...         for i in range(3)]
    >>> ax = top_entities(docs)
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()
    (['China'], 'articles mentioning')
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import pandas as pd

from newsnlp.chars import has_han
from newsnlp.model import Article

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from matplotlib.axes import Axes

logger = logging.getLogger(__name__)

Corpus = Iterable[Article] | Mapping[str, pd.DataFrame]
LABEL_COLOURS = {"PERSON": "#7b6cd9", "ORG": "#2bb3b3", "COUNTRY": "#e8a21a", "LOCATION": "#e8602c",
                 "NORP": "#a45fd6", "MISC": "#999999"}
KIND_COLOURS = {"direct": "#d62728", "mixed": "#ff7f0e", "indirect": "#1f77b4"}
_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "it", "我", "我们", "你", "他", "她", "他们", "她们"})
_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
                 "Heiti SC", "Arial Unicode MS", "Noto Sans CJK JP", "Droid Sans Fallback")


def frames_of(corpus: Corpus) -> Mapping[str, pd.DataFrame]:
    """The :func:`newsnlp.to_frames` tables of ``corpus`` (passed through if it already is them)."""
    if isinstance(corpus, Mapping):
        return corpus
    from newsnlp.frames import to_frames

    return to_frames(list(corpus))


def _axes(ax: "Axes | None", size: tuple[float, float]) -> "Axes":
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font that draws Chinese, or ``None``."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in _CJK_FAMILIES if family in installed), None)


def display_name(name: str, label: str | None = None) -> str:
    """``name`` as it can be drawn here: pinyin for Chinese when no CJK font is installed.

    A person's name is romanised as a name (``习近平`` → ``Xi Jinping``), others as one word
    (``北京`` → ``Beijing``).
    """
    if not has_han(name) or cjk_font():
        return name
    from newsnlp.entities.zh_names import pinyin_name

    if label == "PERSON":
        return pinyin_name(name)
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).capitalize()


def _font() -> dict[str, Any]:
    font = cjk_font()
    return {"fontfamily": ["DejaVu Sans", font]} if font else {}


def _entity_keys(entities: pd.DataFrame) -> pd.DataFrame:
    """One key per real-world entity across articles and languages: the entities' corpus keys
    (:mod:`newsnlp.entities.keys`) with short names merged (:func:`newsnlp.corpus.corpus_keys`);
    a country is shown by its common English name, anything else by its most mentioned name."""
    from newsnlp.corpus import corpus_keys
    from newsnlp.entities.gazetteer import country_gazetteer
    from newsnlp.entities.keys import entity_key

    gazetteer = country_gazetteer()
    table = entities.copy()
    if "key" not in table.columns:
        table["key"] = pd.NA
    missing = table["key"].isna()
    table.loc[missing, "key"] = [entity_key(label, name, iso=None if pd.isna(iso) else iso)
                                 for label, name, iso in zip(table.loc[missing, "label"], table.loc[missing, "name"],
                                                             table.loc[missing, "iso"])]
    merges = corpus_keys({"entities": table})
    table["key"] = [merges.get(k, k) for k in table["key"]]
    by_mentions = table.groupby(["key", "name"])["count"].sum().reset_index().sort_values("count", ascending=False)
    shown = dict(zip(by_mentions["key"][::-1], by_mentions["name"][::-1]))  # the most mentioned wins
    table["shown"] = table["key"].map(shown)
    is_country = table["iso"].notna()
    table.loc[is_country, "shown"] = [gazetteer.common_name(iso, "en") for iso in table.loc[is_country, "iso"]]
    return table


def top_entities(corpus: Corpus, *, labels: Sequence[str] | None = None, n: int = 15, by: str = "articles",
                 ax: "Axes | None" = None) -> "Axes":
    """Horizontal bars of the most present entities, coloured by label.

    Args:
        corpus: Articles, or their :func:`~newsnlp.to_frames` tables.
        labels: Only these labels (e.g. ``["PERSON"]``); all when ``None``.
        n: How many bars.
        by: ``"articles"`` (articles mentioning the entity) or ``"mentions"`` (all mentions).
        ax: Axes to draw on.
    """
    if by not in ("articles", "mentions"):
        raise ValueError("by must be 'articles' or 'mentions'")
    entities = _entity_keys(frames_of(corpus)["entities"])
    if labels is not None:
        entities = entities[entities["label"].isin(list(labels))]
    grouped = entities.groupby("key").agg(
        shown=("shown", "first"), label=("label", "first"),
        value=("article_id", "nunique") if by == "articles" else ("count", "sum"))
    top = grouped.sort_values("value", ascending=False).head(n).iloc[::-1]
    ax = _axes(ax, (7, 0.8 + 0.32 * max(len(top), 1)))
    ax.barh(range(len(top)), top["value"], color=[LABEL_COLOURS.get(label, "#999") for label in top["label"]])
    ax.set_yticks(range(len(top)), [display_name(s, lab) for s, lab in zip(top["shown"], top["label"])], **_font())
    ax.set_xlabel("articles mentioning" if by == "articles" else "mentions")
    ax.set_title("Top entities" + (f" ({', '.join(labels)})" if labels else ""))
    _legend(ax, sorted(set(top["label"])), LABEL_COLOURS)
    return ax


def topics_over_corpus(corpus: Corpus, *, by: str | Mapping[str, Any] = "lang", share: bool = False,
                       ax: "Axes | None" = None) -> "Axes":
    """Stacked bars of each article's top topic per group of the corpus.

    Args:
        corpus: Articles, or their tables.
        by: A column of the ``articles`` table (``"lang"``), or a mapping ``article_id → group``
            (a month, an outlet …); groups are drawn in sorted order.
        share: Draw shares of each group instead of counts.
        ax: Axes to draw on.
    """
    articles = frames_of(corpus)["articles"].dropna(subset=["top_topic"])
    groups = articles[by] if isinstance(by, str) else articles["article_id"].map(dict(by))
    table = pd.crosstab(groups.astype("string").fillna("?"), articles["top_topic"]).sort_index()
    if share:
        table = table.div(table.sum(axis=1), axis=0)
    table = table[table.sum().sort_values(ascending=False).index]  # biggest topics at the bottom
    ax = _axes(ax, (max(5.0, 1.2 * len(table) + 3), 4.5))
    bottom = pd.Series(0.0, index=table.index)
    import matplotlib

    colours = matplotlib.colormaps["tab20"]
    for i, topic in enumerate(table.columns):
        ax.bar(table.index.astype(str), table[topic], bottom=bottom, label=topic, color=colours(i % 20))
        bottom += table[topic]
    ax.set_ylabel("share of articles" if share else "articles")
    ax.set_title("Top topic per article" + (f" by {by}" if isinstance(by, str) else ""))
    ax.legend(fontsize="small", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    return ax


def publication_periods(corpus: Corpus, freq: str = "M") -> pd.Series:
    """``article_id → period`` (``2024-03`` for months, ``freq`` as pandas: ``D``, ``W``, ``M``, ``Q``,
    ``Y``) from the ``published`` column; articles without a date are left out (and counted in the log)."""
    articles = frames_of(corpus)["articles"]
    moments = pd.to_datetime(articles["published"], utc=True, errors="coerce", format="ISO8601")
    dated = moments.notna()
    if not dated.all():
        logger.info("%d of %d articles have no publication date and are left out", int((~dated).sum()), len(articles))
    periods = moments[dated].dt.tz_localize(None).dt.to_period(freq).astype(str)
    return pd.Series(periods.values, index=articles.loc[dated, "article_id"].values, dtype="string")


def topics_over_time(corpus: Corpus, *, freq: str = "M", share: bool = False, ax: "Axes | None" = None) -> "Axes":
    """Stacked bars of the top topic of each dated article, per period (month by default).

    Args:
        corpus: Articles, or their tables (the ``published`` column gives the dates).
        freq: Period length, as pandas writes it (``D``, ``W``, ``M``, ``Q``, ``Y``).
        share: Shares of each period instead of counts.
        ax: Axes to draw on.
    """
    frames = frames_of(corpus)
    periods = publication_periods(frames, freq)
    articles = frames["articles"]
    dated = {**frames, "articles": articles[articles["article_id"].isin(periods.index)]}  # no "?" period
    ax = topics_over_corpus(dated, by=periods.to_dict(), share=share, ax=ax)
    ax.set_title("Top topic per article over time")
    return ax


def entities_over_time(corpus: Corpus, *, keys: Sequence[str] | None = None, labels: Sequence[str] | None = None,
                       n: int = 6, freq: str = "M", ax: "Axes | None" = None) -> "Axes":
    """Lines of how many dated articles mention each entity, per period: one person, country or
    organisation counted across articles and languages by its corpus key.

    Args:
        corpus: Articles, or their tables.
        keys: Corpus keys to draw (``"CN"``, ``"PERSON:xi jinping"``); by default the ``n`` entities
            in most dated articles (of ``labels`` when given).
        labels: Only entities with these labels.
        n: How many lines when ``keys`` is not given.
        freq: Period length, as pandas writes it.
        ax: Axes to draw on.
    """
    frames = frames_of(corpus)
    periods = publication_periods(frames, freq)
    entities = _entity_keys(frames["entities"])
    entities = entities[entities["article_id"].isin(periods.index)]
    if labels is not None:
        entities = entities[entities["label"].isin(list(labels))]
    entities = entities.assign(period=entities["article_id"].map(periods.to_dict()))
    counts = entities.groupby(["key", "period"])["article_id"].nunique().unstack(fill_value=0)
    chosen = list(keys) if keys is not None else list(counts.sum(axis=1).sort_values(ascending=False).head(n).index)
    shown = dict(zip(entities["key"], entities["shown"]))
    label_of = dict(zip(entities["key"], entities["label"]))
    ax = _axes(ax, (8, 4.5))
    columns = sorted(set(periods))
    for key in chosen:
        values = counts.loc[key].reindex(columns, fill_value=0) if key in counts.index else pd.Series(0, index=columns)
        ax.plot(columns, values.values, marker="o", label=display_name(shown.get(key, key), label_of.get(key)))
    ax.set_ylabel("articles mentioning")
    ax.set_title("Entities over time")
    ax.legend(fontsize="small", frameon=False, prop=_font() and {"family": _font()["fontfamily"]})
    ax.tick_params(axis="x", labelrotation=45)
    return ax


def quoted_most(corpus: Corpus, *, n: int = 15, ax: "Axes | None" = None) -> "Axes":
    """Who is quoted most: quotes per speaker (resolved name, else the speaker's words), by kind.

    Speakers left as a bare unresolved pronoun ("I", "they", 他) say nothing about who spoke and
    are not drawn.
    """
    frames = frames_of(corpus)
    quotes = frames["quotes"]
    quotes = quotes[quotes["speaker_text"].notna()].copy()
    quotes["who"] = quotes["speaker_name"].fillna(quotes["speaker_text"])
    quotes = quotes[~quotes["who"].str.lower().isin(_PRONOUNS)]
    labels = frames["entities"].set_index(["article_id", "entity_id"])["label"]
    quotes["label"] = [labels.get((a, e)) if pd.notna(e) else None
                       for a, e in zip(quotes["article_id"], quotes["speaker_entity"])]
    label_of = quotes.dropna(subset=["label"]).groupby("who")["label"].first()
    table = pd.crosstab(quotes["who"], quotes["kind"])
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index[:n][::-1]]
    ax = _axes(ax, (7, 0.8 + 0.32 * max(len(table), 1)))
    left = pd.Series(0, index=table.index)
    for kind in [k for k in KIND_COLOURS if k in table.columns]:
        ax.barh(range(len(table)), table[kind], left=left, color=KIND_COLOURS[kind], label=kind)
        left += table[kind]
    ax.set_yticks(range(len(table)), [display_name(str(w), label_of.get(w)) for w in table.index], **_font())
    ax.set_xlabel("quotes")
    ax.set_title("Who is quoted most")
    if len(table):
        ax.legend(frameon=False, loc="lower right")
    return ax


def cooccurrence_graph(corpus: Corpus, *, labels: Sequence[str] = ("PERSON", "ORG", "COUNTRY"),
                       top: int = 40, min_articles: int = 2) -> "nx.Graph":
    """Entities as nodes, an edge when two appear in the same article (``weight``: how many).

    Nodes are the ``top`` entities by articles mentioning them, with attributes ``label``,
    ``name`` and ``articles``; edges seen in fewer than ``min_articles`` articles are dropped.
    """
    import networkx as nx

    entities = _entity_keys(frames_of(corpus)["entities"])
    entities = entities[entities["label"].isin(list(labels))]
    reach = entities.groupby("key")["article_id"].nunique().sort_values(ascending=False).head(top)
    kept = entities[entities["key"].isin(reach.index)]
    graph = nx.Graph()
    first = kept.groupby("key").first()
    for key, articles in reach.items():
        graph.add_node(key, label=first.at[key, "label"], name=first.at[key, "shown"], articles=int(articles))
    for _, group in kept.groupby("article_id"):
        keys = sorted(set(group["key"]))
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                weight = graph.edges[a, b]["weight"] + 1 if graph.has_edge(a, b) else 1
                graph.add_edge(a, b, weight=weight)
    graph.remove_edges_from([(a, b) for a, b, w in graph.edges(data="weight") if w < min_articles])
    return graph


def cooccurrence_network(corpus: Corpus, *, labels: Sequence[str] = ("PERSON", "ORG", "COUNTRY"),
                         top: int = 40, min_articles: int = 2, seed: int = 7,
                         ax: "Axes | None" = None) -> "Axes":
    """Draw :func:`cooccurrence_graph`: node size by articles, edge width by shared articles."""
    import networkx as nx

    graph = cooccurrence_graph(corpus, labels=labels, top=top, min_articles=min_articles)
    graph.remove_nodes_from([node for node in list(graph) if graph.degree(node) == 0])
    ax = _axes(ax, (9, 7))
    ax.set_axis_off()
    ax.set_title("Entity co-occurrence (shared articles)")
    if not graph:
        ax.text(0.5, 0.5, "no pair of entities shares enough articles", ha="center", transform=ax.transAxes)
        return ax
    pos = nx.spring_layout(graph, seed=seed, weight="weight", k=1.5 / max(len(graph), 1) ** 0.5)
    weights = [w for _, _, w in graph.edges(data="weight")]
    heaviest = max(weights)
    nx.draw_networkx_edges(graph, pos, ax=ax, width=[0.5 + 4 * w / heaviest for w in weights],
                           alpha=0.35, edge_color="#555")
    most = max(a for _, a in graph.nodes(data="articles"))
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=[80 + 900 * a / most for _, a in graph.nodes(data="articles")],
                           node_color=[LABEL_COLOURS.get(lab, "#999") for _, lab in graph.nodes(data="label")])
    for node, (x, y) in pos.items():
        ax.text(x, y, display_name(graph.nodes[node]["name"], graph.nodes[node]["label"]), fontsize=8, ha="center", va="center", **_font())
    _legend(ax, sorted({lab for _, lab in graph.nodes(data="label")}), LABEL_COLOURS)
    return ax


def _legend(ax: "Axes", labels: Sequence[str], colours: Mapping[str, str]) -> None:
    from matplotlib.patches import Patch

    if labels:
        ax.legend(handles=[Patch(color=colours.get(lab, "#999"), label=lab) for lab in labels],
                  frameon=False, loc="lower right", fontsize="small")
