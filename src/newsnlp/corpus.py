"""Entities across a corpus: one row per referent, over articles and languages.

Every entity of an Article has a corpus-level ``key`` (:mod:`newsnlp.entities.keys`): ``CN`` for
China and 中国, ``LOCATION:beijing`` for Beijing and 北京, ``PERSON:xi jinping`` for 习近平 and Xi
Jinping. Inside one article a surname ("Trump") already joins the full name ("Donald Trump");
across articles it cannot, as an article that says only "Trump" does not say which Trump.
:func:`corpus_keys` settles that with the whole corpus in view:

* a one-word PERSON key (in Latin letters) merges into the only full-name PERSON key of the
  corpus whose surname it is: the last word (Trump → Donald Trump), or the first of a Chinese
  name in pinyin (Wen → Wen Jiabao), provided that full name is in at least
  :data:`MIN_FULL_NAME_ARTICLES` articles; with two or more such full names (Bush: George Bush,
  Jeb Bush) it stays apart; a first name alone ("Donald") is never merged;
* an all-capitals ORG key of three to seven letters (an acronym) merges into the only ORG key of
  three or more words whose initials it is (FBI → federal bureau of investigation).

Limits: a merge needs the full name in the corpus, and "unambiguous" is judged only against the
names the corpus holds: a corpus about one Trump merges every "Trump" into him even where another
Trump is meant, and a footballer called only "Robinson" joins the one full-named Robinson of a
corpus. Measured on the 300 shared articles (``docs/entity_keys.md``).

Example:
    >>> import pandas as pd
    >>> entities = pd.DataFrame({"article_id": ["a", "b", "c"], "label": ["PERSON"] * 3,
    ...                          "name": ["Trump", "Donald Trump", "Donald Trump"],
    ...                          "key": ["PERSON:trump", "PERSON:donald trump", "PERSON:donald trump"], "count": [2, 1, 1]})
    >>> corpus_keys({"entities": entities})
    {'PERSON:trump': 'PERSON:donald trump'}
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Mapping

from newsnlp.chars import has_han


CORPUS_COLUMNS = ("key", "label", "name", "n_articles", "n_mentions", "languages", "merged")


def _base(key: str) -> str:
    return key.partition(":")[2]


def _acronym_of(base: str) -> str:
    words = [w for w in re.split(r"\s+", base) if w and w not in {"of", "the", "and", "for", "on", "in", "de", "&"}]
    return "".join(w[0] for w in words if w[0].isalpha())


#: A full name must be in at least this many articles to absorb a surname used alone elsewhere:
#: a name met once is weak evidence that a bare surname means that person (measured on the shared
#: articles: docs/entity_keys.md).
MIN_FULL_NAME_ARTICLES = 2


def corpus_keys(frames: Mapping[str, Any]) -> dict[str, str]:
    """Which entity keys merge into which (short key → full key), for the corpus of ``frames``."""
    entities = frames["entities"].dropna(subset=["key"])
    reach = entities.groupby("key")["article_id"].nunique().to_dict()
    han_keys = {key for key, name in zip(entities["key"], entities["name"]) if has_han(str(name))}
    merges: dict[str, str] = {}
    people = [k for k in reach if k.startswith("PERSON:")]
    by_word: dict[str, set[str]] = defaultdict(set)
    for key in people:
        words = _base(key).split()
        if len(words) >= 2 and words[0].isascii():
            by_word[words[-1]].add(key)
            if key in han_keys:  # a Chinese name in pinyin: the surname comes first (Wen → Wen Jiabao)
                by_word[words[0]].add(key)
    for key in people:
        words = _base(key).split()
        if len(words) != 1 or not words[0].isascii():
            continue
        found = by_word.get(words[0], set())
        if len(found) == 1:
            full = next(iter(found))
            if reach[full] >= MIN_FULL_NAME_ARTICLES:
                merges[key] = full
    orgs = [k for k in reach if k.startswith("ORG:")]
    names = entities.loc[entities["label"] == "ORG", ["key", "name"]]
    acronyms = {key for key, name in zip(names["key"], names["name"]) if _is_acronym(str(name))}
    by_initials: dict[str, set[str]] = defaultdict(set)
    for key in orgs:
        if key not in acronyms and len(_base(key).split()) >= 3:
            by_initials[_acronym_of(_base(key))].add(key)
    for key in acronyms:
        found = by_initials.get(_base(key).replace(" ", ""), set()) - {key}
        if len(found) == 1:
            merges[key] = next(iter(found))
    return merges


def _is_acronym(name: str) -> bool:
    bare = name.replace(".", "").replace("&", "")
    return 3 <= len(bare) <= 7 and bare.isupper() and bare.isalpha()  # two letters (ID, GP) mean too much


def corpus_entities(frames: Mapping[str, Any]) -> Any:
    """One row per corpus entity: ``key``, ``label``, ``name`` (its most used name), ``n_articles``,
    ``n_mentions``, ``languages`` (of the articles, comma-separated) and ``merged`` (the keys merged
    into it, comma-separated), most widespread first.

    Args:
        frames: The tables of :func:`newsnlp.to_frames` (``entities``, and ``articles`` for languages).
    """
    import pandas as pd

    entities = frames["entities"].dropna(subset=["key"]).copy()
    merges = corpus_keys(frames)
    entities["corpus_key"] = [merges.get(k, k) for k in entities["key"]]
    langs: dict[Any, Any] = {}
    if "articles" in frames:
        articles = frames["articles"]
        langs = dict(zip(articles["article_id"], articles["lang"]))
    rows = []
    for key, group in entities.groupby("corpus_key", sort=False):
        own = group[group["key"] == key]
        names = Counter((own if len(own) else group)["name"])
        rows.append({
            "key": key, "label": group["label"].iloc[0], "name": names.most_common(1)[0][0],
            "n_articles": group["article_id"].nunique(), "n_mentions": int(group["count"].sum()),
            "languages": ",".join(sorted({str(langs[a]) for a in group["article_id"] if a in langs})),
            "merged": ",".join(sorted(set(group["key"]) - {key})),
        })
    table = pd.DataFrame(rows, columns=list(CORPUS_COLUMNS))
    table = table.sort_values(["n_articles", "n_mentions", "key"], ascending=[False, False, True], ignore_index=True)
    return table.astype({"key": "string", "label": "string", "name": "string", "n_articles": "Int64",
                         "n_mentions": "Int64", "languages": "string", "merged": "string"})
