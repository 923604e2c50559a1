"""The learned English attribution chooser (``quotes_en``): weights, selection, headlines, datelines."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsnlp.errors import ModelFormatError
from newsnlp.quotes.english_model import AttributionModel, Candidate, headline_case, shipped_model
from newsnlp.quotes.spans import RawQuote
from newsnlp.shipped import SHIPPED_MODELS, model_dir

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _candidate(start: int, end: int, *features: str) -> Candidate:
    return Candidate(RawQuote(start, end, "indirect", None, None), ["bias", *features])


def test_selection_keeps_the_best_non_overlapping_candidates_above_the_threshold() -> None:
    model = AttributionModel({"l=say": 0, "k=after": 1}, np.array([3.0, -1.0]), bias=-1.0, threshold=0.5)
    assert model.probability(["bias", "l=say"]) == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert model.probability(["unknown"]) == pytest.approx(1 / (1 + np.exp(1.0)))
    chosen = model.select([
        _candidate(0, 20, "l=say"),             # p = σ(2): kept
        _candidate(5, 30, "l=say", "k=after"),  # p = σ(1), overlaps the better one: dropped
        _candidate(40, 60, "k=after"),          # p = σ(-2): below the threshold
        _candidate(70, 90, "l=say"),            # p = σ(2), but inside a direct quote: dropped
    ], taken=[(65, 100)])
    assert [(q.start, q.end) for q in chosen] == [(0, 20)]


def test_loading_a_folder_without_weights_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFormatError):
        AttributionModel.load(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"vocabulary": {}, "bias": 0, "threshold": 0.5}), "utf-8")
    with pytest.raises(ModelFormatError):
        AttributionModel.load(tmp_path)


def test_the_shipped_model_is_registered_and_consistent() -> None:
    assert SHIPPED_MODELS["quotes_en"] == "quotes_en/model"
    folder = model_dir("quotes_en")
    config = json.loads((folder / "config.json").read_text("utf-8"))
    with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
        assert arrays["coef"].shape == (len(config["vocabulary"]),)
    assert 0.0 < config["threshold"] < 1.0
    model = shipped_model()
    assert model is not None and model is shipped_model()  # loaded once per process


@pytest.mark.slow
def test_a_plain_headline_is_not_a_quote(full_analyzer) -> None:
    text = (SAMPLES / "en_trade_talks.txt").read_text("utf-8")
    article = full_analyzer.analyze(text)
    title_end = text.index("\n")
    assert [q.text for q in article.quotes if q.start < title_end] == []
    # The body's attributions stay, and a dateline never opens a reported clause.
    said = next(q for q in article.quotes if q.cue and q.cue.text == "said" and q.speaker
                and q.speaker.text == "officials in both capitals")
    assert said.text.startswith("Canada and Japan agreed on Tuesday")
    assert any(q.kind == "direct" and q.speaker and q.speaker.text == "Watanabe" for q in article.quotes)


@pytest.mark.slow
def test_a_scraped_headline_line_is_not_a_quote(full_analyzer) -> None:
    text = (SAMPLES / "scraped_page.txt").read_text("utf-8")
    article = full_analyzer.analyze(text)
    assert not any("Bike Lanes" in q.text or (q.cue and q.cue.text == "Approves") for q in article.quotes)
    assert any(q.speaker and q.speaker.text == "Mayor Linda Park" for q in article.quotes)


def test_headline_case_lines() -> None:
    assert headline_case("City Council Approves New Bike Lanes")
    assert headline_case("Pence: Gennifer Flowers Won’t Be at Debate, Trump Was ‘Mocking’ Clinton Camp.")
    assert not headline_case("The Springfield City Council voted 7-2 on Monday night to build bike lanes.")
    assert not headline_case("Obama to frame election as ‘commander-in-chief’ test.")
    assert not headline_case("Yes, Mr. Trump")  # too short to tell


@pytest.mark.slow
def test_reported_speech_without_quotation_marks(full_analyzer) -> None:
    article = full_analyzer.analyze("Many economists doubt that the tariffs will bring factories back.")
    (quote,) = article.quotes
    assert (quote.kind, quote.text, quote.speaker.text, quote.cue.text) == (
        "indirect", "that the tariffs will bring factories back", "Many economists", "doubt")


def test_doc_text_is_read_once_per_document_and_never_mixed_up() -> None:
    import spacy

    from newsnlp.quotes.spans import doc_text

    nlp = spacy.blank("en")
    first, second = nlp("Alice said yes."), nlp("Bob said no.")
    assert doc_text(first) == "Alice said yes."
    assert doc_text(first) is doc_text(first)  # the cached string, not a rebuilt one
    assert doc_text(second) == "Bob said no."
    assert doc_text(first) == "Alice said yes."


def test_an_object_reading_is_also_proposed_without_the_adjunct_that_frames_the_report() -> None:
    import spacy
    from spacy.tokens import Doc

    from newsnlp.quotes.english import EnglishQuotes
    from newsnlp.quotes.english_model import candidates

    # 'The union called for more investment in a statement on Thursday .' parsed by hand.
    words = ["The", "union", "called", "for", "more", "investment", "in", "a", "statement", "on", "Thursday", "."]
    heads = [1, 2, 2, 2, 5, 3, 2, 8, 6, 2, 9, 2]
    deps = ["det", "nsubj", "ROOT", "prep", "amod", "pobj", "prep", "det", "pobj", "prep", "pobj", "punct"]
    pos = ["DET", "NOUN", "VERB", "ADP", "ADJ", "NOUN", "ADP", "DET", "NOUN", "ADP", "PROPN", "PUNCT"]
    ents = ["O"] * 10 + ["B-DATE", "O"]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=[True] * 10 + [False, False], heads=heads, deps=deps, pos=pos,
              lemmas=[w.lower() for w in words], ents=ents, sent_starts=[True] + [False] * 11)
    rules = EnglishQuotes()
    rules._text, rules._quoted_tokens, rules._dateline_tokens = doc.text, set(), set()
    found = {doc.text[c.quote.start:c.quote.end]: c.features for c in candidates(rules, doc, [], [])}
    assert "for more investment in a statement on Thursday" in found or "more investment in a statement on Thursday" in found
    cut = found["more investment"]
    assert "k=object_cut:medium" in cut and not any(f.startswith("tail=") for f in cut)
    uncut = next(f for text, f in found.items() if text.endswith("on Thursday") and "k=object" in f)
    assert "tail=object" in uncut
