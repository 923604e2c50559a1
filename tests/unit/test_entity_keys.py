"""Corpus-level entity keys (newsnlp.entities.keys) and corpus merges (newsnlp.corpus)."""

from __future__ import annotations

import pandas as pd
import pytest

from newsnlp.corpus import corpus_entities, corpus_keys
from newsnlp.entities.keys import entity_key, normalise_name
from newsnlp.model import Entity, Mention


@pytest.mark.parametrize("a, b", [
    (("COUNTRY", "中国", "CN"), ("COUNTRY", "China", "CN")),
    (("LOCATION", "北京", None), ("LOCATION", "Beijing", None)),
    (("LOCATION", "北京市", None), ("LOCATION", "Peking", None)),
    (("PERSON", "卢拉", None), ("PERSON", "Lula", None)),
    (("PERSON", "卢拉", None), ("PERSON", "Luiz Inácio Lula da Silva", None)),
    (("PERSON", "习近平", None), ("PERSON", "Xi Jinping", None)),
    (("PERSON", "習近平", None), ("PERSON", "Xi Jinping", None)),
    (("PERSON", "马英九", None), ("PERSON", "Ma Ying-jeou", None)),
    (("LOCATION", "四川省", None), ("LOCATION", "Sichuan Province", None)),
    (("ORG", "联合国", None), ("ORG", "United Nations", None)),
    (("ORG", "新华社", None), ("ORG", "Xinhua", None)),
    (("ORG", "The Federal Bureau of Investigation", None), ("ORG", "Federal Bureau of Investigation", None)),
    (("PERSON", "José Sócrates", None), ("PERSON", "Jose Socrates", None)),
    (("LOCATION", "France", None), ("COUNTRY", "法国", "FR")),
])
def test_one_referent_one_key_across_languages(a: tuple, b: tuple) -> None:
    assert entity_key(a[0], a[1], iso=a[2]) == entity_key(b[0], b[1], iso=b[2])


@pytest.mark.parametrize("a, b", [
    (("PERSON", "Jordan", None), ("COUNTRY", "Jordan", "JO")),
    (("PERSON", "王明", None), ("PERSON", "王敏", None)),
    (("ORG", "中国银行", None), ("ORG", "中国建设银行", None)),
    (("PERSON", "Washington", None), ("LOCATION", "Washington", None)),
])
def test_different_referents_keep_different_keys(a: tuple, b: tuple) -> None:
    assert entity_key(a[0], a[1], iso=a[2]) != entity_key(b[0], b[1], iso=b[2])


def test_key_shapes() -> None:
    assert entity_key("COUNTRY", "中方", iso="CN") == "CN"
    assert entity_key("PERSON", "Xi Jinping") == "PERSON:xi jinping"
    assert normalise_name("The  O'Brien-Smith Co.") == "obrien smith co"


def test_entity_key_round_trips_and_old_data_reads_as_none() -> None:
    entity = Entity("e0", "PERSON", "Xi Jinping", (Mention(0, 2, "Xi"),), key="PERSON:xi jinping")
    assert Entity.from_dict(entity.to_dict()) == entity
    old = entity.to_dict()
    del old["key"]
    assert Entity.from_dict(old).key is None


def _entities(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": [r[0] for r in rows], "label": [r[1] for r in rows],
                         "name": [r[2] for r in rows], "key": [entity_key(r[1], r[2]) for r in rows],
                         "count": [1] * len(rows)})


def test_a_surname_merges_into_the_only_full_name_of_the_corpus() -> None:
    entities = _entities([("a", "PERSON", "Trump"), ("b", "PERSON", "Donald Trump"), ("i", "PERSON", "Donald Trump"),
                          ("j", "PERSON", "Donald"),  # a first name alone: never merged
                          ("c", "PERSON", "Bush"), ("c", "PERSON", "George Bush"), ("d", "PERSON", "Jeb Bush"),
                          ("d", "PERSON", "George Bush"), ("i", "PERSON", "Jeb Bush"),
                          ("k", "PERSON", "Cohen"), ("l", "PERSON", "Oded Cohen"),  # full name met once: too weak
                          ("e", "ORG", "FBI"), ("f", "ORG", "Federal Bureau of Investigation"), ("f", "ORG", "ID"),
                          ("g", "PERSON", "Wen"), ("h", "PERSON", "温家宝"), ("k", "PERSON", "温家宝"),
                          ("h", "PERSON", "温")])
    merges = corpus_keys({"entities": entities})
    assert merges == {"PERSON:trump": "PERSON:donald trump", "ORG:fbi": "ORG:federal bureau of investigation",
                      "PERSON:wen": "PERSON:wen jiabao"}
    articles = pd.DataFrame({"article_id": list("abcdefghijkl"), "lang": ["en"] * 7 + ["zh"] + ["en"] * 4})
    table = corpus_entities({"entities": entities, "articles": articles})
    trump = table[table["key"] == "PERSON:donald trump"].iloc[0]
    assert (trump["name"], trump["n_articles"], trump["merged"]) == ("Donald Trump", 3, "PERSON:trump")
    wen = table[table["key"] == "PERSON:wen jiabao"].iloc[0]
    assert wen["languages"] == "en,zh" and wen["n_articles"] == 3 and wen["name"] == "温家宝"
    assert set(table["key"]) >= {"PERSON:bush", "PERSON:george bush", "PERSON:jeb bush", "PERSON:cohen", "PERSON:温"}
