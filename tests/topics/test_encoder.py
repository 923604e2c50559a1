"""Unit tests for the numpy encoder of short texts: tokenizer, forward pass, storage, refusals."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from newsnlp.topics.encoder import (TextEncoder, WordPiece, encoder_from_arrays, load_encoder, save_encoder,
                                    split_fingerprint)
from newsnlp.topics.model import TopicModel, TopicModelError
from newsnlp.topics.train import train

from tests.topics.test_model import make_records

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "rocket", "##s", "apple", "cafe", "orbit", ",", "!",
         "苹", "果", "火", "箭", "un", "##aff", "##able"]


def tiny_encoder(fine_labels: list[str], label_map: list[int], seed: int = 0, strip_accents: bool = True) -> TextEncoder:
    """A random encoder: width 8, 2 heads, 2 layers, inner 16."""
    rng = np.random.default_rng(seed)
    width, inner, max_len = 8, 16, 12
    r = lambda *shape: rng.normal(0, 0.5, shape).astype(np.float32)  # noqa: E731
    dense = [{"qkv": (r(width, 3 * width), r(3 * width)), "o": (r(width, width), r(width)),
              "i": (r(width, inner), r(inner)), "out": (r(inner, width), r(width))} for _ in range(2)]
    norms = [np.stack([1 + r(width) * 0.1, r(width) * 0.1]) for _ in range(5)]
    return TextEncoder(tokenizer=WordPiece({w: i for i, w in enumerate(VOCAB)}, strip_accents=strip_accents),
                       heads=2, max_len=max_len, word=r(len(VOCAB), width), position=r(max_len, width),
                       norms=norms, dense=dense, out_w=r(width, len(fine_labels)), out_b=r(len(fine_labels)),
                       fine_labels=fine_labels, label_map=np.asarray(label_map, dtype=np.int32))


def reference_logits(enc: TextEncoder, text: str) -> np.ndarray:
    """One text through the encoder, written out plainly (no batching, exact GELU)."""
    ids = enc.tokenizer.encode(text, enc.max_len)
    x = enc.word[ids] + enc.position[: len(ids)]

    def norm(v: np.ndarray, gb: np.ndarray) -> np.ndarray:
        return (v - v.mean(-1, keepdims=True)) / np.sqrt(v.var(-1, keepdims=True) + 1e-12) * gb[0] + gb[1]

    x = norm(x, enc.norms[0])
    width = x.shape[1]
    d = width // enc.heads
    for layer, dense in enumerate(enc.dense):
        qkv = x @ dense["qkv"][0] + dense["qkv"][1]
        heads = []
        for h in range(enc.heads):
            q, k, v = (qkv[:, j * width + h * d: j * width + (h + 1) * d] for j in range(3))
            s = q @ k.T / math.sqrt(d)
            a = np.exp(s - s.max(1, keepdims=True))
            heads.append((a / a.sum(1, keepdims=True)) @ v)
        x = norm(x + np.hstack(heads) @ dense["o"][0] + dense["o"][1], enc.norms[1 + 2 * layer])
        h = x @ dense["i"][0] + dense["i"][1]
        h = 0.5 * h * (1 + np.vectorize(math.erf)(h / math.sqrt(2)))
        x = norm(x + h @ dense["out"][0] + dense["out"][1], enc.norms[2 + 2 * layer])
    return x.mean(0) @ enc.out_w + enc.out_b


def test_wordpiece_splits_like_bert() -> None:
    tok = WordPiece({w: i for i, w in enumerate(VOCAB)}, strip_accents=True)
    assert tok.words("Rockets, 火箭!") == ["Rockets", ",", "火", "箭", "!"]
    ids = tok.encode("Rockets, 火箭! Unaffable café xyz", 32)
    assert [VOCAB[i] for i in ids] == ["[CLS]", "rocket", "##s", ",", "火", "箭", "!", "un", "##aff", "##able",
                                       "cafe", "[UNK]", "[SEP]"]
    assert len(tok.encode("rocket " * 50, 8)) == 8 and tok.encode("rocket " * 50, 8)[-1] == tok.sep
    assert tok.encode("", 8) == [tok.cls, tok.sep]


def test_forward_matches_a_plain_reference_and_batches_do_not_matter() -> None:
    enc = tiny_encoder(["a|x", "a|y", "b|z"], [0, 0, 1])
    texts = ["rocket orbit", "apple, 苹果!", "unaffable cafe rockets orbit apple", "火"]
    batched = enc.logits(texts)
    for text, row in zip(texts, batched):
        assert np.allclose(row, reference_logits(enc, text), atol=2e-3)
    enc.batch_size = 1
    assert np.allclose(enc.logits(texts), batched, atol=1e-5)
    probs = enc.proba(texts, 2)
    assert probs.shape == (4, 2) and np.allclose(probs.sum(1), 1.0)


def test_arrays_roundtrip_is_int8_close(tmp_path: Path) -> None:
    enc = tiny_encoder(["a|x", "b|y"], [0, 1])
    arrays = enc.to_arrays("p.")
    assert arrays["p.word_q"].dtype == np.int8 and arrays["p.0_qkv_q"].dtype == np.int8
    part = dict(enc.params(), label_map=enc.label_map)
    again = encoder_from_arrays(part, arrays, "p.", lambda key, dtype, shape: arrays[key])
    texts = ["rocket orbit apple", "苹果火箭"]
    assert np.allclose(again.logits(texts), enc.logits(texts), atol=0.15)
    folder = save_encoder(again, tmp_path / "enc", {"note": "test"})
    loaded, meta = load_encoder(folder)
    assert meta == {"note": "test"} and np.allclose(loaded.logits(texts), again.logits(texts), atol=1e-6)
    with np.load(folder / "encoder.npz") as npz:
        changed = {k: npz[k] for k in npz.files}
    changed["word_q"] = changed["word_q"][:-1]
    np.savez(folder / "encoder.npz", **changed)
    with pytest.raises(ValueError, match="sha256"):
        load_encoder(folder)


def test_split_fingerprint_changes_with_the_split() -> None:
    labels = ["a", "b"] * 5
    one = split_fingerprint(labels, np.arange(8), np.array([8, 9]), 1)
    assert one == split_fingerprint(labels, np.arange(8), np.array([9, 8]), 1)
    assert one["sha256"] != split_fingerprint(labels, np.arange(1, 10), np.array([0, 1]), 1)["sha256"]


def test_topic_model_with_encoder_saves_reloads_and_refuses_tampering(tmp_path: Path) -> None:
    records = make_records(n_per_label=120)
    labels = sorted({r["label"] for r in records})
    fine = [f"{lab}|{lab}" for lab in labels]
    enc = tiny_encoder(fine, list(range(len(fine))))
    model = train(records, seed=3, fine_key=None, encoders={"en": enc})
    en = model.models["en"]
    assert "encoder_weight" in en.info
    en.encoder, enc.weight, enc.temperature, enc.max_chars = enc, 0.4, 1.0, 400  # make sure it is used
    texts = ["rocket orbit", "apple cherry mango", "rook pawn"]
    before = model.proba_matrix(texts)
    assert np.allclose(before.sum(1), 1.0)
    folder = model.save(tmp_path / "m")
    doc = json.loads((folder / "model.json").read_text())
    assert doc["languages"]["en"]["encoder"]["layers"] == 2
    again = TopicModel.load(folder)
    assert np.allclose(again.proba_matrix(texts), before, atol=0.05)
    # encoder arrays without their model.json entry, or of the wrong shape, are refused
    del doc["languages"]["en"]["encoder"]
    (folder / "model.json").write_text(json.dumps(doc))
    with pytest.raises(TopicModelError):
        TopicModel.load(folder)
    folder = model.save(tmp_path / "m2")
    with np.load(folder / "arrays.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["en.enc_1_out_q"] = arrays["en.enc_1_out_q"][:, :-1]
    np.savez(folder / "arrays.npz", **arrays)
    doc = json.loads((folder / "model.json").read_text())
    doc["arrays_sha256"] = hashlib.sha256((folder / "arrays.npz").read_bytes()).hexdigest()
    (folder / "model.json").write_text(json.dumps(doc))
    with pytest.raises(TopicModelError, match="enc_1_out_q"):
        TopicModel.load(folder)


def test_encoder_with_unknown_labels_is_refused() -> None:
    enc = tiny_encoder(["nope|x", "fruit|y"], [0, 1])
    with pytest.raises(ValueError, match="nope"):
        train(make_records(n_per_label=120), seed=3, fine_key=None, encoders={"en": enc})


def test_final_encoder_replaces_the_tuning_one_after_the_blend_is_fitted(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsnlp.topics.linear as linear

    records = make_records(n_per_label=120)
    labels = sorted({r["label"] for r in records})
    fine = [f"{lab}|{lab}" for lab in labels]
    tuning, final = tiny_encoder(fine, [0] * len(fine), seed=1), tiny_encoder(fine, [0] * len(fine), seed=2)
    seen = []

    def fixed_blend(*args, **kwargs):  # what tune_short would fit; records the encoder it was given
        seen.append(kwargs.get("encoder", args[-1]))
        return (1.0, 0.0), (1.0, 0.0), (2.0, 0.5)
    monkeypatch.setattr(linear, "tune_short", fixed_blend)
    model = train(records, seed=3, fine_key=None, encoders={"en": tuning}, final_encoders={"en": final})
    en = model.models["en"]
    assert seen == [tuning] and en.encoder is final
    assert (final.temperature, final.weight, final.max_chars) == (2.0, 0.5, linear.DEFAULT_CONFIGS["en"].long_chars)
    assert list(final.label_map) == list(range(len(fine)))  # mapped like the tuning encoder
    assert en.info["encoder_trained_on"] == "all texts"
    with pytest.raises(TopicModelError, match="final encoder"):
        train(records, seed=3, fine_key=None, final_encoders={"en": final})
    other = tiny_encoder(fine[::-1], [0] * len(fine))
    with pytest.raises(ValueError, match="final encoder"):
        train(records, seed=3, fine_key=None, encoders={"en": tuning}, final_encoders={"en": other})


def load_recipe(name: str):
    """A training recipe under models/topics as a module (they are scripts, not package modules)."""
    import importlib.util
    import sys
    folder = Path(__file__).resolve().parents[2] / "models" / "topics"
    sys.path.insert(0, str(folder))  # pretrain_encoder imports train_encoder
    try:
        spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return module


def tiny_state(rng: np.random.Generator, width: int = 16, inner: int = 32) -> dict[str, np.ndarray]:
    """Random weights under HF BERT names: 2 layers over VOCAB."""
    state = {"embeddings.word_embeddings.weight": rng.normal(0, 1, (len(VOCAB), width)),
             "embeddings.position_embeddings.weight": rng.normal(0, 1, (20, width)),
             "embeddings.token_type_embeddings.weight": rng.normal(0, 1, (2, width)),
             "embeddings.LayerNorm.weight": np.ones(width), "embeddings.LayerNorm.bias": np.zeros(width)}
    names = {"attention.self.query": (width, width), "attention.self.key": (width, width),
             "attention.self.value": (width, width), "attention.output.dense": (width, width),
             "intermediate.dense": (inner, width), "output.dense": (width, inner)}
    for n in range(2):
        for name, shape in names.items():
            state[f"encoder.layer.{n}.{name}.weight"] = rng.normal(0, 0.3, shape)
            state[f"encoder.layer.{n}.{name}.bias"] = rng.normal(0, 0.1, shape[0])
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            state[f"encoder.layer.{n}.{name}.weight"] = np.ones(width)
            state[f"encoder.layer.{n}.{name}.bias"] = np.zeros(width)
    return state


def test_torch_export_matches_numpy() -> None:
    """The training recipe's torch model and the exported numpy encoder agree (needs torch)."""
    torch = pytest.importorskip("torch")
    te = load_recipe("train_encoder")
    state = tiny_state(np.random.default_rng(0))
    model = te.build_model(state, 3, 0.1, heads=4)
    model.eval()
    vocab = {w: i for i, w in enumerate(VOCAB)}
    enc = te.export(model, vocab, ["a|x", "a|y", "b|z"], np.array([0, 0, 1]), 12, True, True)
    texts = ["rocket orbit", "unaffable 苹果 cafe!"]
    tok = WordPiece(vocab, strip_accents=True)
    with torch.no_grad():
        for text, row in zip(texts, enc.logits(texts)):
            ids = torch.tensor([tok.encode(text, 12)])
            assert np.allclose(model(ids, torch.ones_like(ids)).numpy()[0], row, atol=2e-3)


def test_continued_pretraining_weights_roundtrip_and_masking(tmp_path: Path) -> None:
    """pretrain_encoder's saved weights rebuild the same model, and its masks touch only real tokens."""
    torch = pytest.importorskip("torch")
    te = load_recipe("train_encoder")
    pt = load_recipe("pretrain_encoder")
    state = tiny_state(np.random.default_rng(1))
    model = te.build_model(state, 3, 0.0, heads=4)
    np.savez(tmp_path / "pretrained.npz", **te.hf_state(model))
    (tmp_path / "pretrained.json").write_text(json.dumps({"lang": "en"}), encoding="utf-8")
    loaded, meta = te.load_init(tmp_path)
    assert meta == {"lang": "en"}
    again = te.build_model(loaded, 3, 0.0, heads=4)
    for (name, a), (_, b) in zip(model.state_dict().items(), again.state_dict().items()):
        assert name.startswith("head.") or torch.equal(a, b), name

    rows = [[2, 4, 5, 6, 3], [2, 7, 3], [2, 8, 9, 10, 11, 12, 3]]
    special = {0, 1, 2, 3}
    ids, att, flat, gold = pt.mask_batch(rows, special, 1, np.arange(4, len(VOCAB)), 0.15,
                                         np.random.default_rng(0))
    assert ids.shape == att.shape == (3, 7) and int(att.sum()) == 15
    original = np.zeros((3, 7), dtype=np.int64)
    for j, r in enumerate(rows):
        original[j, : len(r)] = r
    assert np.array_equal(original.ravel()[flat.numpy()], gold.numpy())
    assert not set(gold.tolist()) & special  # never [CLS], [SEP] or padding
    assert {int(p) // 7 for p in flat} == {0, 1, 2}  # every text has a masked token


def test_adversarial_step_adds_gradient_and_restores_the_embeddings() -> None:
    """FGM: the word embeddings are back to their values (up to rounding) after the step, with the extra gradient added."""
    torch = pytest.importorskip("torch")
    te = load_recipe("train_encoder")
    model = te.build_model(tiny_state(np.random.default_rng(2)), 3, 0.0, heads=4)
    ids = torch.tensor([[2, 4, 5, 3], [2, 7, 3, 0]])
    mask = (ids > 0).long()
    gold = torch.tensor([0, 2])
    loss = lambda: torch.nn.functional.cross_entropy(model(ids, mask), gold)  # noqa: E731
    loss().backward()
    before = model.word.weight.detach().clone()
    clean_grad = model.head.weight.grad.clone()
    te.fgm_step(model, loss, 1.0)
    assert torch.allclose(model.word.weight.detach(), before, rtol=0, atol=1e-6)
    assert not torch.allclose(model.head.weight.grad, clean_grad)  # the perturbed loss's gradient is added
    model.zero_grad()
    te.fgm_step(model, loss, 1.0)  # no gradient yet: nothing to follow, nothing changes
    assert model.head.weight.grad is None or not model.head.weight.grad.any()
