"""Unit tests for the topic model: training on made-up labels, the safe format, refusals."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from newsnlp.topics.model import FORMAT_VERSION, TopicModel, TopicModelError, default_model_path, detect_lang
from newsnlp.topics.train import evaluate, format_report, train

WORDS = {
    "fruit": ["apple", "banana", "cherry", "mango", "苹果", "香蕉"],
    "space": ["rocket", "planet", "orbit", "comet", "火箭", "行星"],
    "chess": ["bishop", "knight", "rook", "pawn", "象棋", "棋盘"],
}


def make_records(n_per_label: int = 10, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    recs = []
    for label, words in WORDS.items():
        latin, cjk = words[:4], words[4:]
        for i in range(n_per_label):
            if i % 3 == 2:
                recs.append({"text": "".join(rng.choice(cjk) for _ in range(4)), "label": label, "lang": "zh"})
            else:
                recs.append({"text": " ".join(rng.choice(latin) for _ in range(5)), "label": label, "lang": "en"})
    return recs


@pytest.fixture(scope="module")
def small_model() -> TopicModel:
    return train(make_records(), seed=3)


@pytest.fixture()
def saved(tmp_path: Path, small_model: TopicModel) -> Path:
    return small_model.save(tmp_path / "m")


def test_small_model_predicts_its_labels(small_model: TopicModel) -> None:
    assert small_model.labels == ["chess", "fruit", "space"]
    assert small_model.predict(["rocket orbit comet", "knight rook", "香蕉苹果"]) == ["space", "chess", "fruit"]
    dist = small_model.predict_proba(["mango cherry"])[0]
    assert [lab for lab, _ in dist][0] == "fruit"
    assert sorted(lab for lab, _ in dist) == small_model.labels
    assert sum(p for _, p in dist) == pytest.approx(1.0)
    assert [p for _, p in dist] == sorted((p for _, p in dist), reverse=True)


def test_dataframe_input_and_evaluate(small_model: TopicModel) -> None:
    df = pd.DataFrame(make_records(seed=2)).rename(columns={"text": "body", "label": "topic"})
    model = train(df, text_key="body", label_key="topic", lang_key=None)
    result = evaluate(model, df, text_key="body", label_key="topic", lang_key=None)
    assert result["accuracy"] >= 0.9
    assert result["confusion"]["labels"] == ["chess", "fruit", "space"]
    assert np.array(result["confusion"]["matrix"]).sum() == len(df)
    assert "macro_f1" in format_report(result)


def test_save_load_roundtrip_identical(small_model: TopicModel, saved: Path) -> None:
    texts = ["planet rocket", "棋盘象棋", "apple knight orbit", "mixed 火箭 text"]
    again = TopicModel.load(saved)
    assert again.labels == small_model.labels
    assert again.predict_proba(texts) == small_model.predict_proba(texts)
    assert sorted(p.name for p in saved.iterdir()) == ["arrays.npz", "model.json"]
    assert json.loads((saved / "model.json").read_text())["metadata"]["versions"]["sklearn"]


def test_mixed_and_lang_hints(small_model: TopicModel) -> None:
    assert detect_lang("hello world") == "en"
    assert detect_lang("你好世界") == "zh"
    assert detect_lang("hello 你好世界") == "mixed"
    assert detect_lang("") == "en"
    probs = small_model.predict_proba(["rook bishop 象棋"], langs=["mixed"])[0]
    assert probs[0][0] == "chess"
    assert sum(p for _, p in probs) == pytest.approx(1.0)


def test_bad_training_input() -> None:
    with pytest.raises(TopicModelError):
        train([])
    with pytest.raises(TopicModelError):
        train([{"text": "", "label": "x"}])


def _edit_json(folder: Path, **changes: object) -> None:
    doc = json.loads((folder / "model.json").read_text())
    doc.update(changes)
    (folder / "model.json").write_text(json.dumps(doc))


def _rewrite_arrays(folder: Path, mutate) -> None:
    """Change arrays.npz and fix its hash, so only the content check can catch it."""
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    mutate(arrays)
    np.savez_compressed(folder / "arrays.npz", **arrays)
    import hashlib
    _edit_json(folder, arrays_sha256=hashlib.sha256((folder / "arrays.npz").read_bytes()).hexdigest())


@pytest.mark.parametrize("case", ["no_json", "no_arrays", "format", "version", "bad_json"])
def test_refuses_broken_folders(saved: Path, case: str) -> None:
    if case == "no_json":
        (saved / "model.json").unlink()
    elif case == "no_arrays":
        (saved / "arrays.npz").unlink()
    elif case == "format":
        _edit_json(saved, format="something-else")
    elif case == "version":
        _edit_json(saved, format_version=99)
    else:
        (saved / "model.json").write_text("{not json")
    with pytest.raises(TopicModelError):
        TopicModel.load(saved)


def test_refuses_tampered_arrays(saved: Path) -> None:
    data = bytearray((saved / "arrays.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (saved / "arrays.npz").write_bytes(bytes(data))
    with pytest.raises(TopicModelError, match="sha256"):
        TopicModel.load(saved)


@pytest.mark.parametrize("mutate", [
    lambda a: a.__setitem__("en.coef_q", a["en.coef_q"][:-1]),
    lambda a: a.__setitem__("en.coef_q", a["en.coef_q"].astype(np.float64)),
    lambda a: a.__setitem__("en.coef_scale", a["en.coef_scale"][:-1]),
    lambda a: a.__setitem__("en.intercept", a["en.intercept"][:2]),
    lambda a: a.__setitem__("labels", np.array(["chess", "fruit", "stars"])),
    lambda a: a.__setitem__("zh.labels", np.array(["chess", "fruit"])),
    lambda a: a.pop("zh.idf0"),
    lambda a: a.__setitem__("en.vocab0", np.frombuffer(b"just\nthree\nterms", dtype=np.uint8)),
], ids=["shape", "dtype", "scale", "intercept", "labels", "lang_labels", "missing", "vocab"])
def test_refuses_inconsistent_arrays(saved: Path, mutate) -> None:
    _rewrite_arrays(saved, mutate)
    with pytest.raises(TopicModelError):
        TopicModel.load(saved)


def test_reads_format_4_float16_coefficients(small_model: TopicModel, saved: Path) -> None:
    """Models saved before format 5 kept the linear coefficients as two float16 matrices."""
    def to_float16(arrays: dict) -> None:
        for lang in ("en", "zh"):
            both = arrays.pop(f"{lang}.coef_q").astype(np.float32) * arrays.pop(f"{lang}.coef_scale")[:, None]
            k = both.shape[1] // 2
            arrays[f"{lang}.coef"], arrays[f"{lang}.coef_long"] = both[:, :k].astype(np.float16), both[:, k:].astype(np.float16)

    _rewrite_arrays(saved, to_float16)
    _edit_json(saved, format_version=4)
    texts = ["planet rocket", "棋盘象棋", "apple knight orbit"]
    assert TopicModel.load(saved).predict(texts) == small_model.predict(texts)


def test_refuses_label_mismatch_in_json(saved: Path) -> None:
    _edit_json(saved, labels=["chess", "fruit", "space", "zzz"])
    with pytest.raises(TopicModelError):
        TopicModel.load(saved)


def test_refuses_pickled_arrays(saved: Path) -> None:
    def add_object(a: dict) -> None:
        a["en.intercept"] = np.array([object()] * 3, dtype=object)
    _rewrite_arrays(saved, add_object)
    with pytest.raises(TopicModelError):
        TopicModel.load(saved)


def test_default_model_path_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from newsnlp.config import Settings
    from newsnlp.shipped import model_dir

    monkeypatch.setenv("NEWSNLP_TOPIC_MODEL", str(tmp_path))
    assert default_model_path() == model_dir("topics") != tmp_path  # the environment is read by Settings only
    assert Settings.from_env().topic_model == str(tmp_path)
    assert Settings.from_env(topic_model="mine").topic_model == "mine"


@pytest.mark.parametrize("kind, ngrams", [("char_wb", (1, 5)), ("char", (1, 2)), ("char", (2, 4)), ("word", (1, 2)), ("word", (2, 3))])
def test_fast_counts_match_scikit_learn(kind: str, ngrams: tuple[int, int]) -> None:
    from newsnlp.topics.features import AnalyzerSpec, normalize_text

    texts = [normalize_text(t) for t in ["A tiny test, with  short words: a ab abc!", "naïve café 中文 ok\tok ok",
                                         "", "x", "中国队  夺得 冠军，中国队"]]
    spec = AnalyzerSpec(kind, ngrams, min_df=1)
    spec.fit(texts)
    unseen = texts + ["unseen words here ok", "全新的词 and 中文", "?"]
    fast = spec._char_wb_counts(unseen) if kind == "char_wb" else spec._ngram_counts(unseen)
    slow = spec._make_counter({t: i for i, t in enumerate(spec.vocabulary)}).transform(unseen)
    assert fast.shape == slow.shape and (fast != slow).nnz == 0
    assert fast.has_sorted_indices and fast.dtype == np.float32 and fast.nnz > 0
    assert spec._ngram_counts([]).shape == (0, len(spec.vocabulary))


@pytest.mark.parametrize("labels", [["fruit", "space", "chess"], ["fruit", "space"]])
def test_nbsvm_mix_trains_saves_and_reloads(tmp_path: Path, labels: list[str]) -> None:
    from dataclasses import replace

    from newsnlp.topics.linear import DEFAULT_CONFIGS

    configs = {lang: replace(DEFAULT_CONFIGS[lang], nb_mix=0.5) for lang in ("en", "zh")}
    records = [r for r in make_records(n_per_label=12) if r["label"] in labels]
    model = train(records, configs=configs, seed=3)
    assert model.models["en"].info["nb_mix"] == 0.5
    assert model.predict(["rocket orbit comet", "apple mango", "香蕉苹果"]) == ["space", "fruit", "fruit"]
    again = TopicModel.load(model.save(tmp_path / "nb"))
    texts = ["planet rocket", "香蕉", "cherry orbit"]
    assert again.predict_proba(texts) == model.predict_proba(texts)


def test_neural_head_trains_saves_reloads_and_refuses_tampering(tmp_path: Path) -> None:
    from dataclasses import replace

    from newsnlp.topics.linear import DEFAULT_CONFIGS

    configs = {lang: replace(DEFAULT_CONFIGS[lang], neural={"dim": 8, "epochs": 3}, neural_min_texts=0,
                              neural_weight=0.5)
               for lang in ("en", "zh")}
    # Fine labels: each coarse label is a union of two made-up sub-labels.
    records = [dict(r, source_label=f"{r['label']}-{i % 2}") for i, r in enumerate(make_records(n_per_label=150))]
    model = train(records, configs=configs, seed=3)
    en = model.models["en"]
    assert en.neural is not None and en.neural.weight == 0.5
    assert sorted(en.neural.fine_labels) == sorted(f"{lab}|{lab}-{k}" for lab in WORDS for k in (0, 1))
    assert model.predict(["rocket orbit comet", "apple mango", "香蕉苹果"]) == ["space", "fruit", "fruit"]
    folder = model.save(tmp_path / "nn")
    again = TopicModel.load(folder)
    texts = ["planet rocket", "香蕉", "cherry orbit"]
    assert again.predict_proba(texts) == model.predict_proba(texts)
    assert json.loads((folder / "model.json").read_text())["format_version"] == FORMAT_VERSION
    # Without fine labels, or with fine_key=None, no head is trained.
    assert train(records, configs=configs, seed=3, fine_key=None).models["en"].neural is None
    # A 'neural' entry whose arrays have the wrong shape is refused.
    doc = json.loads((folder / "model.json").read_text())
    doc["languages"]["en"]["neural"]["dim"] = 9
    (folder / "model.json").write_text(json.dumps(doc))
    with pytest.raises(TopicModelError):
        TopicModel.load(folder)


def test_fine_linear_part_trains_saves_reloads_and_refuses_tampering(tmp_path: Path) -> None:
    from dataclasses import replace

    from newsnlp.topics.linear import DEFAULT_CONFIGS

    configs = {lang: replace(DEFAULT_CONFIGS[lang], neural=None, fine_linear=True, neural_min_texts=0, fine_weight=0.5)
               for lang in ("en", "zh")}
    records = [dict(r, source_label=f"{r['label']}-{i % 2}") for i, r in enumerate(make_records(n_per_label=150))]
    model = train(records, configs=configs, seed=3)
    en = model.models["en"]
    assert en.fine is not None and en.fine.weight == 0.5 and en.neural is None
    assert model.predict(["rocket orbit comet", "apple mango", "香蕉苹果"]) == ["space", "fruit", "fruit"]
    probs = model.proba_matrix(["planet rocket", "香蕉", "cherry orbit", "rook"])
    assert np.allclose(probs.sum(axis=1), 1.0) and (probs >= 0).all()
    assert sorted(en.fine.fine_labels) == sorted(f"{lab}|{lab}-{k}" for lab in WORDS for k in (0, 1))
    folder = model.save(tmp_path / "fl")
    again = TopicModel.load(folder)
    texts = ["planet rocket", "香蕉", "cherry orbit"]
    assert again.predict_proba(texts) == model.predict_proba(texts)
    assert json.loads((folder / "model.json").read_text())["format_version"] == FORMAT_VERSION
    # Fine-label arrays without their model.json entry, or of the wrong shape, are refused.
    doc = json.loads((folder / "model.json").read_text())
    del doc["languages"]["en"]["fine_linear"]
    (folder / "model.json").write_text(json.dumps(doc))
    with pytest.raises(TopicModelError):
        TopicModel.load(folder)
    folder = model.save(tmp_path / "fl2")
    _rewrite_arrays(folder, lambda a: a.__setitem__("en.fl_coef", a["en.fl_coef"][:, :-1]))
    with pytest.raises(TopicModelError):
        TopicModel.load(folder)


def test_version_2_folder_still_loads(saved: Path) -> None:
    _edit_json(saved, format_version=2)
    assert TopicModel.load(saved).predict(["rocket orbit"]) == ["space"]
