"""The learned English speaker chooser (``quotes_en/model/speakers``): softmax, margin, candidates."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsnlp.errors import ModelFormatError
from newsnlp.quotes.english_speakers import Mention, SpeakerModel, shipped_speaker_model
from newsnlp.shipped import model_dir


def _model(margin: float) -> SpeakerModel:
    return SpeakerModel({"rules": 0, "rel=child:nsubj": 1, "k=none": 2}, np.array([1.0, 2.5, -1.0]), margin,
                        frozenset({"direct"}))


def test_scores_are_a_softmax_over_one_quotes_candidates() -> None:
    mentions = [Mention(3, (0, 5), ["rules"], rules=True), Mention(9, (20, 25), ["rel=child:nsubj"]),
                Mention(None, None, ["k=none"])]
    probs = _model(0.0).scores(mentions)
    expected = np.exp([1.0, 2.5, -1.0]) / np.exp([1.0, 2.5, -1.0]).sum()
    assert probs == pytest.approx(list(expected))


def test_the_model_overrides_the_rules_only_by_its_margin() -> None:
    mentions = [Mention(3, (0, 5), ["rules"], rules=True), Mention(9, (20, 25), ["rel=child:nsubj"])]
    best = _model(0.1).choose(mentions)
    assert best is not None and best.head == 9  # p ≈ 0.82 against 0.18
    assert _model(0.9).choose(mentions) is None  # not by 0.9: the rules' speaker stays
    assert _model(0.0).choose(mentions[:1]) is None  # nothing to choose from


def test_loading_a_folder_without_weights_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFormatError):
        SpeakerModel.load(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"vocabulary": {}, "margin": 0.1}), "utf-8")
    with pytest.raises(ModelFormatError):
        SpeakerModel.load(tmp_path)


def test_the_shipped_speaker_model_is_consistent_and_loaded_once() -> None:
    folder = model_dir("quotes_en") / "speakers"
    config = json.loads((folder / "config.json").read_text("utf-8"))
    with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
        assert arrays["coef"].shape == (len(config["vocabulary"]),)
    assert 0.0 <= config["margin"] < 1.0 and set(config["kinds"]) <= {"direct", "mixed", "indirect"}
    model = shipped_speaker_model()
    assert model is not None and model is shipped_speaker_model()


@pytest.mark.slow
def test_a_speaker_named_before_a_colon(full_analyzer) -> None:
    text = ("Analysts draw one lesson from the state election.\n\n"
            "Maria Okafor: “The lesson is a simple one: the turnout in the suburbs decided it, not the campaigns.”\n")
    article = full_analyzer.analyze(text.encode("utf-8"))
    quotes = [q for q in article.quotes if q.kind == "direct"]
    assert quotes and quotes[0].speaker is not None and "Okafor" in quotes[0].speaker.text
