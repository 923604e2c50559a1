"""One jieba dictionary pass, two cuts: each must be exactly what ``jieba.Tokenizer.cut`` gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsnlp.preprocess.jieba_path import dag_path, hmm_words, plain_words
from newsnlp.preprocess.tokenize import load_jieba

TEXTS = [
    "",
    " ",
    "国务院总理温家宝昨天在北京会见了美国国务卿。",
    "iPhone 15 Pro Max在2023年9月发布，售价999美元。",
    "abc123中文x y  z\n\n第二段\r\n第三段",
    "他说：“我们会继续推进中美关系。”随后离开。",
    "蔡英文、马英九和韩国瑜出席了台北101的活动",  # unknown names: the HMM's part
    "C++、C#和.NET 3.5_beta-1都是100%的",
    "\u3000\u3000全角空格开头，ＡＢＣ全角字母",
]


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    return load_jieba()


@pytest.mark.parametrize("text", TEXTS)
def test_both_cuts_replay_jieba(tokenizer, text: str) -> None:  # type: ignore[no-untyped-def]
    path = dag_path(tokenizer, text)
    assert list(hmm_words(path, tokenizer)) == list(tokenizer.cut(text))
    assert list(plain_words(path)) == list(tokenizer.cut(text, HMM=False))


@pytest.mark.slow
def test_both_cuts_replay_jieba_on_shared_articles(tokenizer, shared: Path) -> None:  # type: ignore[no-untyped-def]
    for file in sorted((shared / "articles" / "zh").glob("*.txt"))[:40]:
        text = file.read_bytes().decode("utf-8", "replace")
        path = dag_path(tokenizer, text)
        assert list(hmm_words(path, tokenizer)) == list(tokenizer.cut(text)), file.name
        assert list(plain_words(path)) == list(tokenizer.cut(text, HMM=False)), file.name


@pytest.mark.slow
def test_pipeline_and_ner_features_share_one_dictionary(tokenizer) -> None:  # type: ignore[no-untyped-def]
    # The NER features reuse the pipeline's jieba path: both tokenizers must hold jieba's bundled dictionary.
    from newsnlp.entities.zh_features import _load_jieba

    features_tokenizer, _ = _load_jieba()
    assert tokenizer.total == features_tokenizer.total
    assert tokenizer.FREQ == features_tokenizer.FREQ
