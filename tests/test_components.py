"""newsnlp's spaCy components in a user's own pipeline: factories, entry points, n_process, DocBin."""

from __future__ import annotations

import json
from importlib.metadata import entry_points

import pytest
import spacy
from spacy.tokens import DocBin

from newsnlp.components import entities_of, quotes_of, register_extensions
from tests.conftest import SAMPLES

COMPONENTS = ("newsnlp_entities", "newsnlp_topics", "newsnlp_quotes")


def test_factories_are_published_as_entry_points() -> None:
    published = {entry.name: entry.value for entry in entry_points(group="spacy_factories")}
    for name in COMPONENTS:
        assert published[name].startswith("newsnlp.components:")


def test_entities_on_a_blank_pipeline_use_the_gazetteer() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("newsnlp_entities")
    doc = nlp("Talks between China and Japan resumed; Chinese officials said little.")
    spans = [(s.text, s.label_) for s in doc.spans["newsnlp_entities"]]
    assert spans == [("China", "COUNTRY"), ("Japan", "COUNTRY"), ("Chinese", "COUNTRY")]
    china = next(e for e in entities_of(doc) if e.iso == "CN")
    assert [m.text for m in china.mentions] == ["China", "Chinese"]
    assert doc.spans["newsnlp_entities"][0].kb_id_ == china.id


def test_quotes_without_a_parser_warn_and_keep_going(caplog: pytest.LogCaptureFixture) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("newsnlp_quotes")
    doc = nlp('"We are ready," she said.')
    assert doc._.newsnlp_quotes == [] and len(doc.spans["newsnlp_quotes"]) == 0
    assert "parser" in caplog.text


@pytest.fixture(scope="module")
def user_pipeline():  # type: ignore[no-untyped-def]
    """The English pipeline a user would have, with our three components added by name."""
    from newsnlp.preprocess.tokenize import english_model_name

    nlp = spacy.load(english_model_name())
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def _summary(doc) -> str:  # type: ignore[no-untyped-def]
    # Through JSON: msgpack gives lists back as tuples after a DocBin, which is the same data.
    return json.dumps((
        [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans["newsnlp_entities"]],
        [(s.start_char, s.end_char, s.label_) for s in doc.spans["newsnlp_quotes"]],
        [(s.text, s.kb_id_) for s in doc.spans["newsnlp_speakers"]],
        doc._.newsnlp_quotes, doc._.newsnlp_entities, doc._.newsnlp_topics, doc.cats,
    ), ensure_ascii=False)


@pytest.mark.slow
def test_components_in_a_user_pipeline_survive_n_process_and_docbin(user_pipeline) -> None:  # type: ignore[no-untyped-def]
    nlp = user_pipeline
    texts = [(SAMPLES / name).read_text("utf-8") for name in
             ("en_trade_talks.txt", "mixed_summit.txt", "zh_science.txt", "scraped_page.txt")]
    one = [_summary(doc) for doc in nlp.pipe(texts)]
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    two = [_summary(doc) for doc in docs]
    assert two == one

    trade = docs[0]
    speakers = {(q.speaker.name if q.speaker else None) for q in quotes_of(trade)}
    assert {"Daniel Okafor", "Kenji Watanabe"} <= speakers
    watanabe = next(e for e in entities_of(trade) if e.name == "Kenji Watanabe")
    assert ("He", watanabe.id) in [(s.text, s.kb_id_) for s in trade.spans["newsnlp_speakers"]]
    assert max(trade.cats, key=trade.cats.get) in ("business", "politics", "world")
    for doc in docs:  # offsets are the Doc's own: text[start:end] == text
        for quote in quotes_of(doc):
            assert doc.text[quote.start:quote.end] == quote.text
    mixed = entities_of(docs[1])
    assert any(e.iso == "CN" and {"China", "中国"} <= {m.text for m in e.mentions} for e in mixed)

    stored = DocBin(store_user_data=True, docs=docs).to_bytes()
    register_extensions()
    restored = list(DocBin().from_bytes(stored).get_docs(nlp.vocab))
    assert [_summary(doc) for doc in restored] == two


@pytest.mark.slow
def test_a_blank_chinese_pipeline_gets_chinese_entities_and_quotes() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("newsnlp_entities")
    nlp.add_pipe("newsnlp_quotes")
    doc = nlp("外交部发言人汪文斌在例行记者会上表示，中方欢迎美方的积极表态。")
    names = {(e.name, e.label) for e in entities_of(doc)}
    assert ("汪文斌", "PERSON") in names and ("中国", "COUNTRY") in names
    [quote] = quotes_of(doc)
    assert quote.kind == "indirect" and quote.speaker is not None and quote.speaker.name == "汪文斌"
    assert [s.text for s in doc.spans["newsnlp_speakers"]] == [doc.text[quote.speaker.start:quote.speaker.end]]
