"""The learned extent of quoted fragments (``quotes_en/model/fragments``): candidates and choice.

Fast tests on hand-built parses (no statistical model): what the candidates are and how the
chooser replaces a fragment by its clause.
"""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from newsnlp.quotes.english import EnglishQuotes
from newsnlp.quotes.english_fragments import FragmentCandidate, expand, fragment_candidates
from newsnlp.quotes.english_model import AttributionModel
from newsnlp.quotes.spans import RawQuote

# 'Trump blasted Disney for its “ outrageous practices ” in Florida .' parsed by hand.
WORDS = ["Trump", "blasted", "Disney", "for", "its", "“", "outrageous", "practices", "”", "in", "Florida", "."]
HEADS = [1, 1, 1, 1, 7, 7, 7, 3, 7, 1, 9, 1]
DEPS = ["nsubj", "ROOT", "dobj", "prep", "poss", "punct", "amod", "pobj", "punct", "prep", "pobj", "punct"]
POS = ["PROPN", "VERB", "PROPN", "ADP", "PRON", "PUNCT", "ADJ", "NOUN", "PUNCT", "ADP", "PROPN", "PUNCT"]
TAGS = ["NNP", "VBD", "NNP", "IN", "PRP$", "``", "JJ", "NNS", "''", "IN", "NNP", "."]
SPACES = [True, True, True, True, True, False, True, False, True, True, False, False]


@pytest.fixture(scope="module")
def parsed() -> Doc:
    return Doc(spacy.blank("en").vocab, words=WORDS, spaces=SPACES, heads=HEADS, deps=DEPS, pos=POS, tags=TAGS,
              lemmas=[w.lower() for w in WORDS], sent_starts=[True] + [False] * (len(WORDS) - 1))


def _rules(doc: Doc) -> EnglishQuotes:
    rules = EnglishQuotes()
    rules._text = doc.text
    rules._quoted_tokens = {5, 6, 7, 8}
    rules._dateline_tokens = set()
    return rules


def test_a_kept_fragment_proposes_the_clauses_of_the_verb_above_it(parsed: Doc) -> None:
    text = parsed.text
    q_start, q_end = text.index("“"), text.index("”") + 1
    fragment = RawQuote(q_start, q_end, "direct", None, None)
    found = fragment_candidates(_rules(parsed), parsed, [fragment], [(q_start, q_end)])
    assert found, "the verb 'blasted' governs the fragment"
    for candidate in found:
        quote = candidate.quote
        assert quote.start <= q_start and q_end <= quote.end and quote.end - quote.start > q_end - q_start
        assert text[quote.cue[0]:quote.cue[1]] == "blasted"
        assert quote.speaker is not None and text[quote.speaker[0]:quote.speaker[1]] == "Trump"
        assert candidate.replaces is fragment and "st=direct" in candidate.features
    assert "Disney for its “outrageous practices” in Florida" in {text[c.quote.start:c.quote.end] for c in found}


def test_a_fragment_inside_a_larger_quote_proposes_nothing(parsed: Doc) -> None:
    text = parsed.text
    q_start, q_end = text.index("“"), text.index("”") + 1
    mixed = RawQuote(text.index("Disney"), len(text) - 1, "mixed", None, None)
    assert fragment_candidates(_rules(parsed), parsed, [mixed], [(q_start, q_end)]) == []


def _clause(start: int, end: int, fragment: tuple[int, int], weight: str) -> FragmentCandidate:
    return FragmentCandidate(RawQuote(start, end, "mixed", None, None), fragment, None, ["bias", weight])


def test_the_best_clause_above_the_threshold_replaces_the_fragment_and_never_cuts_a_quote() -> None:
    model = AttributionModel({"good": 0, "fair": 1, "poor": 2}, np.array([3.0, 1.5, -3.0]), bias=0.0, threshold=0.6)
    fragment = RawQuote(20, 40, "direct", None, None)
    other = RawQuote(100, 160, "direct", None, None)
    lone = RawQuote(200, 220, "direct", None, None)
    kept = expand(model, [
        _clause(10, 50, (20, 40), "fair"),    # σ(1.5): beaten by the better clause of the same fragment
        _clause(5, 60, (20, 40), "good"),     # σ(3): replaces the fragment
        _clause(90, 150, (95, 99), "good"),   # would cut the direct quote at 100-160: not taken
        _clause(190, 230, (200, 220), "poor"),  # σ(-3): below the threshold, the fragment stays
    ], [fragment, other, lone])
    assert [(q.start, q.end, q.kind) for q in kept] == [(5, 60, "mixed"), (100, 160, "direct"), (200, 220, "direct")]


def test_the_shipped_fragment_model_is_consistent() -> None:
    from newsnlp.quotes.english_model import shipped_fragment_model

    model = shipped_fragment_model()
    assert model is not None and model is shipped_fragment_model()  # loaded once per process
    assert model.weights.shape == (len(model.vocabulary),)
    assert 0.0 < model.threshold < 1.0


def test_a_direct_fragment_inside_a_mixed_quote_goes() -> None:
    from newsnlp.quotes.english import unnested

    text = 'Hicks said that Trump “has a long history of support” and has “made contributions.” He won.'
    mixed = RawQuote(text.index("that"), text.index(".”") + 2, "mixed", None, None)
    piece = RawQuote(text.index("“has"), text.index("support”") + 8, "direct", None, None)
    alone = RawQuote(text.index("He"), len(text), "direct", None, None)
    assert unnested([mixed, piece, alone]) == [mixed, alone]
    assert unnested([piece, alone]) == [piece, alone]  # no mixed quote around it: it stays
