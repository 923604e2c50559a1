"""The Chinese NER features: the fast writer gives exactly what per-token setting gave."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from newsnlp.chars import nfkc_char, nfkc_same_length  # noqa: E402
from newsnlp.entities.zh_features import ZhCharFeatures, char_features, set_char_features  # noqa: E402
from newsnlp.preprocess.jieba_path import dag_path, plain_words  # noqa: E402
from newsnlp.preprocess.tokenize import load_jieba  # noqa: E402

TEXTS = [
    "国务院总理温家宝昨天在北京会见了美国国务卿。",
    "２００８年，中国人民银行在上海召开会议。",
    "  前导空格 a b  c\n\n尾随\u3000\u3000 ",
    "iPhone 15在2023年发布①",
    "一",
]


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return spacy.blank("zh")  # the model's tokenizer: one token per character, whitespace runs kept


def reference(doc):  # type: ignore[no-untyped-def]
    """The features as first written: per character, then the first character of each token."""
    nxt, prv, lex = char_features([nfkc_char(c) for c in doc.text])
    for token in doc:
        token.norm_, token.lemma_, token.tag_ = nxt[token.idx], prv[token.idx], lex[token.idx]
    return [(t.norm_, t.lemma_, t.tag_) for t in doc]


@pytest.mark.parametrize("text", TEXTS)
def test_component_and_reused_path_give_the_reference_features(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    expected = reference(nlp.make_doc(text))
    component = ZhCharFeatures(nlp)(nlp.make_doc(text))
    assert [(t.norm_, t.lemma_, t.tag_) for t in component] == expected
    folded = nfkc_same_length(text)
    words = plain_words(dag_path(load_jieba(), folded))
    reused = set_char_features(nlp.make_doc(text), folded, words)
    assert [(t.norm_, t.lemma_, t.tag_) for t in reused] == expected


def test_features_of_a_word() -> None:
    nxt, prv, lex = char_features(list("在北京"))
    assert nxt == ["在北", "北京", "京</s>"]
    assert prv == ["<s>在", "在北", "北京"]
    assert lex == ["S-p", "B-ns", "E-ns"]
