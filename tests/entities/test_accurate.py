"""The accurate profile's tagger runtime (newsnlp.entities.accurate) on tiny random models."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from newsnlp.entities.accurate import (
    case_shape, load_tagger, random_tagger, save_tagger, spans_from_labels, viterbi, windows, word_spans,
)
from newsnlp.errors import ModelFormatError, ModelNotFoundError

ALPHABET = list("abcXYZ éÉ.,-'’\"()\n\t") + ["习", "近", "平", "ﬁ", "\u00a0", "\u200b", "\u0301", "１", "Ⅻ", "🙂"]


def random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 120))) for _ in range(n)]


def test_word_spans_keep_offsets() -> None:
    text = "Ada Lovelace's notes, 1843 — 习近平"
    assert [text[s:e] for s, e in word_spans(text)] == ["Ada", "Lovelace", "'", "s", "notes", ",", "1843", "—",
                                                         "习", "近", "平"]


def test_entity_offsets_are_exact_on_random_texts() -> None:
    tagger = random_tagger(["PERSON", "ORG"], seed=1, max_len=12)
    texts = random_texts(200, seed=2)
    for text, spans in zip(texts, tagger.tag(texts)):
        words = set(word_spans(text))
        starts, ends = {s for s, _ in words}, {e for _, e in words}
        last = 0
        for start, end, label in spans:
            assert last <= start < end <= len(text) and label in ("PERSON", "ORG")
            assert start in starts and end in ends  # whole words: text[start:end] is the entity
            assert text[start:end] == text[start:end].strip() and text[start:end]
            last = end


def test_windows_cover_every_word_with_overlap() -> None:
    rng = random.Random(3)
    for _ in range(200):
        pieces = [rng.randint(1, 5) for _ in range(rng.randint(1, 60))]
        size = rng.randint(5, 20)
        wins = windows(pieces, size)
        assert wins[0][0] == 0 and wins[-1][1] == len(pieces)
        for (a, b), (c, d) in zip(wins, wins[1:]):
            assert a < c <= b <= d and (c < b or b - a == 1)  # overlapping, moving on
        for a, b in wins:
            assert b - a == 1 or sum(pieces[a:b]) <= size


def test_long_texts_get_scores_for_every_word() -> None:
    tagger = random_tagger(["PERSON"], seed=4, max_len=10)
    text = " ".join(["abc", "Xyz", "ab", "cab"] * 30)
    ((spans, scores),) = tagger.word_scores([text])
    assert len(spans) == 120 and scores.shape == (120, 3)
    np.testing.assert_allclose(np.exp(scores).sum(axis=1), 1.0, rtol=1e-4)  # log-probabilities, none left empty


def test_viterbi_keeps_bio_constraints() -> None:
    labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    lp = np.log(np.array([[0.1, 0.2, 0.6, 0.05, 0.05],   # I-PER cannot open
                          [0.1, 0.1, 0.2, 0.1, 0.5],     # I-ORG cannot follow a PER
                          [0.9, 0.025, 0.025, 0.025, 0.025]]))
    path = [labels[i] for i in viterbi(lp, labels)]
    assert path[0] != "I-PER" and not (path[1] == "I-ORG" and path[0] not in ("B-ORG", "I-ORG"))
    assert path == ["B-PER", "I-PER", "O"]
    assert spans_from_labels([(0, 3), (4, 9), (10, 12)], path) == [(0, 9, "PER")]


def test_case_shapes() -> None:
    assert [case_shape(w) for w in ("1843", "notes", "Ada", "NATO", "iPhone", "I", "习")] == [0, 1, 2, 3, 4, 2, 0]


def test_save_load_round_trip_and_tampering(tmp_path: Path) -> None:
    tagger = random_tagger(["PERSON", "LOC"], seed=5)
    texts = random_texts(20, seed=6)
    save_tagger(tagger, tmp_path / "m", {"note": "test"})
    loaded, meta = load_tagger(tmp_path / "m")
    assert meta == {"note": "test"} and loaded.tag(texts) == tagger.tag(texts)
    with pytest.raises(ModelNotFoundError):
        load_tagger(tmp_path / "absent")
    doc = json.loads((tmp_path / "m" / "tagger.json").read_text("utf-8"))
    doc["arrays_sha256"] = "0" * 64
    (tmp_path / "m" / "tagger.json").write_text(json.dumps(doc), "utf-8")
    with pytest.raises(ModelFormatError):
        load_tagger(tmp_path / "m")


def test_four_bit_word_table_round_trip(tmp_path: Path) -> None:
    from newsnlp.entities.accurate import dequantize4, pack, quantize4, unpack

    w = np.random.default_rng(7).normal(size=(50, 16)).astype(np.float32)
    q, s = quantize4(w)
    assert q.shape == (50, 8) and q.dtype == np.uint8
    assert np.abs(dequantize4(q, s) - w).max() <= s.max() / 2 + 1e-6
    tagger = random_tagger(["PERSON"], seed=8)
    word, dense = unpack(tagger.packed)
    tagger.packed, tagger._word = pack(word, dense, word_bits=4), None
    save_tagger(tagger, tmp_path / "m4", {})
    loaded, _ = load_tagger(tmp_path / "m4")
    texts = random_texts(20, seed=9)
    assert loaded.tag(texts) == tagger.tag(texts)


@pytest.mark.slow
def test_shipped_english_tagger_loads_and_finds_names() -> None:
    import time

    from newsnlp.entities.accurate import load_tagger
    from newsnlp.shipped import check_model, model_dir

    check_model("en_ner_accurate", full=True)
    start = time.perf_counter()
    tagger, meta = load_tagger(model_dir("en_ner_accurate"))
    text = "Angela Merkel met Emmanuel Macron in Paris, the European Commission said."
    found = {(text[s:e], label) for s, e, label in tagger.tag([text])[0]}
    assert time.perf_counter() - start < 20  # about 1 s measured (load, int8/4-bit to float32, one text)
    assert {("Angela Merkel", "PERSON"), ("Emmanuel Macron", "PERSON"), ("Paris", "LOC")} <= found, found
    assert meta["lang"] == "en" and meta["version"] and tagger.types == ["LOC", "MISC", "ORG", "PERSON"]
