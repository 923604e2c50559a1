import dataclasses
import json

import pytest

from newsnlp.model import (
    SCHEMA_VERSION, Article, Entity, Mention, Paragraph, Quote, Sentence, Span, Speaker, Token, Topic,
)

TEXT = "Xi met Putin. He said “peace”."


def make_article() -> Article:
    return Article(
        text=TEXT, id="a1", lang="en", title=Span(0, 13, "Xi met Putin."),
        paragraphs=(Paragraph(0, len(TEXT), TEXT, "en", "body"),),
        sentences=(Sentence(0, 13, "Xi met Putin.", 0), Sentence(14, 30, "He said “peace”.", 0)),
        tokens=(Token(0, 2, "Xi", "PROPN"),),
        entities=(Entity("e0", "PERSON", "Xi Jinping", (Mention(0, 2, "Xi"),)),),
        topics=(Topic("world", 0.9), Topic("politics", 0.1)),
        quotes=(Quote(22, 29, "“peace”", "direct", Speaker(14, 16, "He", "Vladimir Putin", "e1"), Span(17, 21, "said")),),
        meta={"source": "x.txt"},
    )


def test_json_round_trip_is_identical() -> None:
    article = make_article()
    again = Article.from_json(article.to_json())
    assert again == article
    assert json.loads(article.to_json())["schema_version"] == SCHEMA_VERSION


def test_output_contract_fields() -> None:
    data = make_article().to_dict(tokens=False)
    assert {"id", "lang", "entities", "topics", "quotes", "text"} <= set(data)
    assert "tokens" not in data
    mention = data["entities"][0]["mentions"][0]
    assert mention == {"start": 0, "end": 2, "text": "Xi", "form": "name"}
    quote = data["quotes"][0]
    assert quote["speaker"]["name"] == "Vladimir Putin" and quote["cue"]["text"] == "said"


def test_article_is_immutable() -> None:
    article = make_article()
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.lang = "zh"  # type: ignore[misc]
    with pytest.raises(TypeError):
        article.meta["x"] = 1  # type: ignore[index]


def test_offsets_hold_and_invalid_spans_are_reported() -> None:
    assert make_article().invalid_spans() == []
    broken = dataclasses.replace(make_article(), tokens=(Token(0, 3, "Xi", ""),))
    assert broken.invalid_spans() == [Token(0, 3, "Xi", "")]


def test_accessors() -> None:
    article = make_article()
    assert article.people[0].name == "Xi Jinping"
    assert article.top_topic == Topic("world", 0.9)
    assert list(article.quotes_by_speaker()) == ["Vladimir Putin"]
    assert article.entity("e0") is article.entities[0]


def test_unknown_major_schema_version_is_refused() -> None:
    data = make_article().to_dict()
    data["schema_version"] = "9.0"
    with pytest.raises(ValueError, match="schema_version"):
        Article.from_dict(data)


def test_read_articles_from_a_file(tmp_path) -> None:
    import newsnlp
    from newsnlp.model import Article

    first, second = Article(id="a", text="Hi.", lang="en"), Article(id="b", text="你好。", lang="zh")
    path = tmp_path / "out.jsonl"
    path.write_text(f"{first.to_json()}\n\n{{\"id\": \"x\", \"error\": \"DecodingError\"}}\n{second.to_json()}\n", "utf-8")
    assert list(newsnlp.read_articles(path)) == [first, second]
