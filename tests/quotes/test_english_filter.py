"""The learned English quotation filter (``quotes_en/model/filter``): features, thresholds, loading."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from newsnlp.errors import ModelFormatError
from newsnlp.quotes.english import EnglishQuotes
from newsnlp.quotes.english_filter import FilterModel, filter_quotes, quote_features, shipped_filter_model
from newsnlp.quotes.spans import RawQuote, doc_text
from newsnlp.shipped import model_dir

# 'She enjoys “Modern Family” , Smith said .' with a hand-built parse.
_WORDS = ["She", "enjoys", "“", "Modern", "Family", "”", ",", "Smith", "said", "."]
_SPACES = [True, True, False, True, False, False, True, True, False, False]
_TAGS = ["PRP", "VBZ", "``", "NNP", "NNP", "''", ",", "NNP", "VBD", "."]
_POS = ["PRON", "VERB", "PUNCT", "PROPN", "PROPN", "PUNCT", "PUNCT", "PROPN", "VERB", "PUNCT"]
_HEADS = [1, 8, 4, 4, 1, 4, 8, 8, 8, 8]
_DEPS = ["nsubj", "ccomp", "punct", "compound", "dobj", "punct", "punct", "nsubj", "ROOT", "punct"]
_LEMMAS = ["she", "enjoy", "“", "Modern", "Family", "”", ",", "Smith", "say", "."]


def _doc() -> Doc:
    return Doc(spacy.blank("en").vocab, words=_WORDS, spaces=_SPACES, tags=_TAGS, pos=_POS, heads=_HEADS,
               deps=_DEPS, lemmas=_LEMMAS, sent_starts=[True] + [False] * 9)


def _rules(doc: Doc) -> EnglishQuotes:
    rules = EnglishQuotes()
    rules._text = doc_text(doc)
    return rules


def _title_quote(doc: Doc) -> RawQuote:
    return RawQuote(doc[2].idx, doc[5].idx + 1, "direct", (doc[8].idx, doc[8].idx + 4), (doc[7].idx, doc[7].idx + 5), 7)


def test_a_title_in_marks_reads_as_a_short_title_case_object_without_a_verb() -> None:
    doc = _doc()
    features = quote_features(_rules(doc), doc, [_title_quote(doc)], 0)
    for expected in ("k=direct", "title=True", "cap=True", "fin=False", "close=none", "rel=dobj", "on=VERB",
                     "onl=enjoy", "side=after", "cue=say", "where=middle", "leadc=a", "lead=other", "prev=none"):
        assert expected in features
    assert features[0] == "bias"


def test_quotes_below_their_kinds_threshold_are_dropped_and_other_kinds_kept() -> None:
    doc = _doc()
    quote = _title_quote(doc)
    indirect = RawQuote(doc[0].idx, doc[5].idx + 1, "indirect", None, None, None)
    model = FilterModel({"title=True": 0}, np.array([-3.0]), 1.0, {"direct": 0.5})
    assert model.probability(["bias", "title=True"]) == pytest.approx(1 / (1 + np.exp(2.0)))
    assert filter_quotes(_rules(doc), doc, [quote, indirect], model) == [indirect]
    lenient = FilterModel({"title=True": 0}, np.array([-3.0]), 1.0, {"direct": 0.1})
    assert filter_quotes(_rules(doc), doc, [quote, indirect], lenient) == [quote, indirect]


def test_loading_a_folder_without_weights_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFormatError):
        FilterModel.load(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"vocabulary": {}, "bias": 0.0}), "utf-8")
    np.savez(tmp_path / "weights.npz", coef=np.zeros(0))
    with pytest.raises(ModelFormatError):
        FilterModel.load(tmp_path)  # no thresholds


def test_the_shipped_filter_is_consistent_and_loaded_once() -> None:
    folder = model_dir("quotes_en") / "filter"
    config = json.loads((folder / "config.json").read_text("utf-8"))
    with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
        assert arrays["coef"].shape == (len(config["vocabulary"]),)
    assert set(config["thresholds"]) <= {"direct", "mixed"}
    assert all(0.0 <= t < 1.0 for t in config["thresholds"].values())
    model = shipped_filter_model()
    assert model is not None and model is shipped_filter_model()
