"""Articles → pandas tables: ``articles``, ``entities``, ``mentions``, ``quotes``.

Columns and dtypes are fixed (nullable pandas dtypes), so tables of different corpora concatenate
and an empty corpus still has every column.

* ``articles``: article_id, lang, published (ISO 8601), title, author, dateline, n_paragraphs,
  n_sentences, n_tokens, n_entities, n_quotes, top_topic, top_topic_score, then one column per
  field of the input records (``Article.meta["record"]``: date, url, outlet... as given), named
  as the field, or ``record_<field>`` when a column above has that name. Record columns are text
  (a number as written, a list or object as JSON), so tables of any chunk share one schema.
* ``entities``: article_id, entity_id, label, name, iso, key (corpus-level key, see
  :mod:`newsnlp.entities.keys`), count, first (offset of the first mention).
* ``mentions``: article_id, entity_id, label, start, end, text, form.
* ``quotes``: article_id, quote_index, kind, start, end, text, speaker_text, speaker_name,
  speaker_entity (entity id), speaker_start, speaker_end, cue_text, cue_start, cue_end.

Example:
    >>> from newsnlp.model import Article
    >>> frames = to_frames([Article(text="Hi.", id="a", lang="en")])
    >>> sorted(frames), len(frames["articles"]), list(frames["mentions"].columns)[:3]
    (['articles', 'entities', 'mentions', 'quotes'], 1, ['article_id', 'entity_id', 'label'])
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Sequence

from newsnlp.model import Article

STRING = "string"
INT = "Int64"
FLOAT = "Float64"

COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "article_id": STRING, "lang": STRING, "published": STRING, "title": STRING, "author": STRING, "dateline": STRING,
        "n_paragraphs": INT, "n_sentences": INT, "n_tokens": INT, "n_entities": INT, "n_quotes": INT,
        "top_topic": STRING, "top_topic_score": FLOAT,
    },
    "entities": {
        "article_id": STRING, "entity_id": STRING, "label": STRING, "name": STRING, "iso": STRING,
        "key": STRING, "count": INT, "first": INT,
    },
    "mentions": {
        "article_id": STRING, "entity_id": STRING, "label": STRING, "start": INT, "end": INT,
        "text": STRING, "form": STRING,
    },
    "quotes": {
        "article_id": STRING, "quote_index": INT, "kind": STRING, "start": INT, "end": INT, "text": STRING,
        "speaker_text": STRING, "speaker_name": STRING, "speaker_entity": STRING, "speaker_start": INT,
        "speaker_end": INT, "cue_text": STRING, "cue_start": INT, "cue_end": INT,
    },
}


def record_column(field: str) -> str:
    """The ``articles`` column of a record field: its name, or ``record_<name>`` on a clash."""
    return f"record_{field}" if field in COLUMNS["articles"] else field


def record_fields(article: Article | Mapping[str, Any]) -> list[str]:
    """The names of the record fields an Article (or its dict) carries, in order."""
    meta = article.meta if isinstance(article, Article) else article.get("meta") or {}
    fields = meta.get("record") if isinstance(meta, Mapping) else None
    return list(fields) if isinstance(fields, Mapping) else []


def _cell(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _rows(article: Article, position: int) -> dict[str, list[dict[str, Any]]]:
    from newsnlp.entities.keys import entity_key

    article_id = article.id if article.id is not None else str(position)
    top = article.top_topic
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS}
    fields = article.meta.get("record")
    out["articles"].append({
        **({record_column(k): _cell(v) for k, v in fields.items()} if isinstance(fields, Mapping) else {}),
        "article_id": article_id, "lang": article.lang, "published": article.published,
        "title": article.title.text if article.title else None,
        "author": article.author.text if article.author else None,
        "dateline": article.dateline.text if article.dateline else None,
        "n_paragraphs": len(article.paragraphs), "n_sentences": len(article.sentences),
        "n_tokens": len(article.tokens), "n_entities": len(article.entities), "n_quotes": len(article.quotes),
        "top_topic": top.label if top else None, "top_topic_score": top.score if top else None,
    })
    for entity in article.entities:
        out["entities"].append({
            "article_id": article_id, "entity_id": entity.id, "label": entity.label, "name": entity.name,
            "iso": entity.iso, "count": entity.count, "first": entity.first,
            "key": entity.key or entity_key(entity.label, entity.name, iso=entity.iso, aliases=entity.aliases),
        })
        for mention in entity.mentions:
            out["mentions"].append({
                "article_id": article_id, "entity_id": entity.id, "label": entity.label,
                "start": mention.start, "end": mention.end, "text": mention.text, "form": mention.form,
            })
    for index, quote in enumerate(article.quotes):
        speaker, cue = quote.speaker, quote.cue
        out["quotes"].append({
            "article_id": article_id, "quote_index": index, "kind": quote.kind, "start": quote.start,
            "end": quote.end, "text": quote.text,
            "speaker_text": speaker.text if speaker else None, "speaker_name": speaker.name if speaker else None,
            "speaker_entity": speaker.entity if speaker else None,
            "speaker_start": speaker.start if speaker else None, "speaker_end": speaker.end if speaker else None,
            "cue_text": cue.text if cue else None, "cue_start": cue.start if cue else None,
            "cue_end": cue.end if cue else None,
        })
    return out


def to_frames(articles: Iterable[Article | Mapping[str, Any]], *,
              record_columns: Sequence[str] | None = None) -> dict[str, Any]:
    """Tables of a corpus: ``{"articles", "entities", "mentions", "quotes"}`` → DataFrame.

    Args:
        articles: :class:`Article` objects or their dicts (e.g. lines of ``newsnlp annotate`` output).
        record_columns: The record fields to give columns in ``articles`` (in this order); by default
            every field any article carries, in order of first appearance. Tables written in chunks
            pass the corpus' fields, so every chunk has the same columns.
    """
    import pandas as pd

    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS}
    seen: dict[str, None] = {}
    for position, item in enumerate(articles):
        article = item if isinstance(item, Article) else Article.from_dict(item)
        if record_columns is None:
            seen.update(dict.fromkeys(record_fields(article)))
        for name, part in _rows(article, position).items():
            rows[name].extend(part)
    extra = [record_column(f) for f in (record_columns if record_columns is not None else seen)]
    frames = {}
    for name, columns in COLUMNS.items():
        types = dict(columns, **{column: STRING for column in extra}) if name == "articles" else columns
        frame = pd.DataFrame(rows[name], columns=list(types))
        frames[name] = frame.astype(types)
    return frames


def corpus_entities(frames: Mapping[str, Any]) -> Any:
    """One row per corpus entity, short person names merged into the one full name they fit.

    See :func:`newsnlp.corpus.corpus_entities`.
    """
    from newsnlp.corpus import corpus_entities as build

    return build(frames)
