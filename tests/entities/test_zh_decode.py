"""The Chinese NER's numpy decoding and character Docs give what spaCy's own code gives."""

from __future__ import annotations

import random

import pytest

from newsnlp.entities.chinese import char_words, default_zh_ner_path

SENTENCES = [
    "国务院总理李鹏今天在北京会见了美国国务卿奥尔布赖特。",
    "新华社北京3月5日电 中国外交部发言人说，中美两国应当加强合作。",
    "香港特别行政区行政长官董建华出席了在维多利亚港举行的庆典。",
    "  联合国秘书长安南  访问了日内瓦\u3000和 纽约。",
    "他说：“上海市政府将继续支持浦东开发。”",
    "李",
    "",
    "北京大学",
]


def test_char_words_match_spacys_alignment() -> None:
    from spacy.util import get_words_and_spaces

    rng = random.Random(7)
    texts = SENTENCES + ["".join(rng.choice("中国 \u3000\n\ta") for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for text in texts:
        assert char_words(text) == get_words_and_spaces(list(text), text), repr(text)


@pytest.mark.slow
def test_numpy_decoding_gives_spacys_entities() -> None:
    if not (default_zh_ner_path() / "meta.json").is_file():
        pytest.skip("no Chinese NER model")
    from newsnlp.entities.chinese import load_zh_ner
    from newsnlp.entities.zh_decode import GreedyEntityDecoder
    from newsnlp.chars import nfkc_same_length
    from newsnlp.entities.zh_features import set_char_features

    nlp = load_zh_ner(str(default_zh_ner_path()))
    ner = nlp.get_pipe("ner")
    assert GreedyEntityDecoder.usable(ner)
    docs = [set_char_features(nlp.make_doc(t), nfkc_same_length(t)) for t in SENTENCES * 3]
    docs = list(nlp.get_pipe("tok2vec").pipe(docs))
    ours = GreedyEntityDecoder(ner)(docs)
    theirs = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in ner.pipe(docs)]
    assert ours == theirs
    assert any(ours)  # the sentences do have entities: the comparison is not between empty lists
