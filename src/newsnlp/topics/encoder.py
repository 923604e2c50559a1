"""A small pretrained transformer encoder, fine-tuned on fine topic labels, for short texts.

Headlines are short: a bag of n-grams sees a handful of features and knows nothing about words it
never met in training. A pretrained encoder brings what it learned from millions of sentences.
The default model ships two small BERT-style encoders, fine-tuned on the training data's fine
labels (``coarse|source_label``) by ``models/topics/train_encoder.py``:

* English: all-MiniLM-L6-v2 (6 layers, width 384, uncased WordPiece);
* Chinese: m3e-small (4 layers, width 512, character-level for Chinese).

Prediction is plain numpy (no torch; the runtime is ``newsnlp.transformer``): WordPiece tokenisation, the encoder, mean pooling over
tokens, a linear layer over the fine labels, ``softmax(temperature * logits)`` summed into the
coarse labels. The arrays are stored int8 (one float32 scale per row or output column) and
dequantised once at load. Like the other short-text parts the encoder is blended into the linear
probabilities (``weight``) only for texts shorter than ``max_chars``; full articles skip it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .neural import softmax

from newsnlp.transformer import LAYER_PARTS, WordPiece, dequantize, encode_layers, quantize, softmax_last

__all__ = ["LAYER_PARTS", "TextEncoder", "WordPiece", "dequantize", "encoder_from_arrays", "load_encoder",
           "quantize", "save_encoder", "softmax_last", "split_fingerprint"]


@dataclass
class TextEncoder:
    """A fine-tuned encoder with its fine-label output layer (see the module docstring).

    ``dense[l][part]`` is ``(W, b)`` of dense layer ``part`` of transformer layer ``l`` (``W`` maps
    inputs to outputs, float32); ``norms`` holds the (gain, bias) pairs: the embedding norm, then two
    per layer. ``label_map[j]`` is the coarse label column of fine label ``j``.
    """

    tokenizer: WordPiece
    heads: int
    max_len: int
    word: np.ndarray  # (vocab, width)
    position: np.ndarray  # (max_len, width), token type 0 already added
    norms: list[np.ndarray]  # each (2, width)
    dense: list[dict[str, tuple[np.ndarray, np.ndarray]]]
    out_w: np.ndarray  # (width, n_fine)
    out_b: np.ndarray  # (n_fine,)
    fine_labels: list[str]
    label_map: np.ndarray  # (n_fine,) int32
    temperature: float = 1.0
    weight: float = 0.0
    max_chars: int = 0
    batch_size: int = 64
    # int8 arrays as stored (keys as in :meth:`to_arrays` without prefix), dequantised into
    # ``word`` and ``dense`` on first use, so loading a model costs no time for unused languages.
    packed: dict[str, np.ndarray] | None = None

    def _unpack(self) -> None:
        p = self.packed
        if p is None:
            return
        layers = sum(1 for key in p if key.endswith("_qkv_q"))
        self.word = dequantize(p["word_q"], p["word_s"], axis=1)
        self.dense = [{part: (dequantize(p[f"{n}_{part}_q"], p[f"{n}_{part}_s"], axis=0), p[f"{n}_{part}_b"])
                       for part in LAYER_PARTS} for n in range(layers)]
        self.packed = None

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden states of one batch, shape (len(batch), width)."""
        x, mask = encode_layers(self.word, self.position, self.norms, self.dense, self.heads, batch)
        return (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Fine-label logits, shape (len(texts), n_fine); batches group texts of similar length."""
        self._unpack()
        encoded = [self.tokenizer.encode(t, self.max_len) for t in texts]
        out = np.zeros((len(texts), len(self.fine_labels)), dtype=np.float32)
        order = np.argsort([len(e) for e in encoded], kind="stable")
        for s in range(0, len(order), self.batch_size):
            rows = order[s: s + self.batch_size]
            pooled = self._forward([encoded[i] for i in rows])
            out[rows] = pooled @ self.out_w + self.out_b
        return out

    def proba_from_logits(self, logits: np.ndarray, n_labels: int) -> np.ndarray:
        fine = softmax(logits.astype(np.float64) * self.temperature)
        out = np.zeros((logits.shape[0], n_labels))
        np.add.at(out.T, self.label_map, fine.T)
        return out

    def proba(self, texts: Sequence[str], n_labels: int) -> np.ndarray:
        """Coarse-label probabilities, shape (len(texts), n_labels)."""
        if not texts:
            return np.zeros((0, n_labels))
        return self.proba_from_logits(self.logits(texts), n_labels)

    # ---- arrays -----------------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        """The model.json entry (arrays are in :meth:`to_arrays`)."""
        self._unpack()
        return {"fine_labels": self.fine_labels, "temperature": self.temperature, "weight": self.weight,
                "max_chars": self.max_chars, "layers": len(self.dense), "heads": self.heads,
                "width": int(self.word.shape[1]), "inner": int(self.dense[0]["i"][0].shape[1]),
                "max_len": self.max_len, "vocab_size": len(self.tokenizer.vocab),
                "lowercase": self.tokenizer.lowercase, "strip_accents": self.tokenizer.strip_accents}

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Arrays under ``prefix`` (e.g. ``"zh.enc_"``): int8 matrices with float32 scales."""
        vocab = sorted(self.tokenizer.vocab, key=self.tokenizer.vocab.__getitem__)
        arrays: dict[str, np.ndarray] = {
            prefix + "vocab": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
            prefix + "position": self.position.astype(np.float32),
            prefix + "norms": np.stack(self.norms).astype(np.float32),
            prefix + "out_w": self.out_w.astype(np.float32),
            prefix + "out_b": self.out_b.astype(np.float32),
            prefix + "map": self.label_map.astype(np.int32),
        }
        if self.packed is not None:
            arrays.update({prefix + key: value for key, value in self.packed.items()})
            return arrays
        q, s = quantize(self.word, axis=1)
        arrays[prefix + "word_q"], arrays[prefix + "word_s"] = q, s
        for layer, dense in enumerate(self.dense):
            for part in LAYER_PARTS:
                w, b = dense[part]
                q, s = quantize(w, axis=0)
                key = f"{prefix}{layer}_{part}"
                arrays[key + "_q"], arrays[key + "_s"], arrays[key + "_b"] = q, s, b.astype(np.float32)
        return arrays


def encoder_from_arrays(part: dict[str, Any], arrays: dict[str, np.ndarray], prefix: str, array: Any) -> TextEncoder:
    """Rebuild a :class:`TextEncoder` from checked model.json parameters ``part`` (fine labels,
    label map, temperature, weight, max_chars and the integer sizes) and ``arrays``; ``array(key,
    dtype, shape)`` returns an array after checking its dtype and shape (raising otherwise)."""
    layers, heads, width, inner = part["layers"], part["heads"], part["width"], part["inner"]
    max_len, n_vocab, n_fine = part["max_len"], part["vocab_size"], len(part["fine_labels"])
    if width % heads:
        raise ValueError(f"encoder width {width} is not a multiple of its {heads} heads")
    raw = array(prefix + "vocab", np.uint8, (arrays[prefix + "vocab"].size,) if prefix + "vocab" in arrays else (0,))
    vocab = raw.tobytes().decode("utf-8").split("\n")
    if len(vocab) != n_vocab or len(set(vocab)) != n_vocab or not {"[UNK]", "[CLS]", "[SEP]"} <= set(vocab):
        raise ValueError(f"encoder vocabulary has {len(vocab)} distinct terms and model.json says {n_vocab}")
    packed = {"word_q": array(prefix + "word_q", np.int8, (n_vocab, width)),
              "word_s": array(prefix + "word_s", np.float32, (n_vocab,))}
    norms = array(prefix + "norms", np.float32, (1 + 2 * layers, 2, width))
    shapes = {"qkv": (width, 3 * width), "o": (width, width), "i": (width, inner), "out": (inner, width)}
    for layer in range(layers):
        for name, (n_in, n_out) in shapes.items():
            key = f"{layer}_{name}"
            packed[key + "_q"] = array(prefix + key + "_q", np.int8, (n_in, n_out))
            packed[key + "_s"] = array(prefix + key + "_s", np.float32, (n_out,))
            packed[key + "_b"] = array(prefix + key + "_b", np.float32, (n_out,))
    tokenizer = WordPiece({w: i for i, w in enumerate(vocab)}, lowercase=bool(part["lowercase"]),
                          strip_accents=bool(part["strip_accents"]))
    return TextEncoder(tokenizer=tokenizer, heads=heads, max_len=max_len, word=np.zeros((0, width), np.float32),
                       position=array(prefix + "position", np.float32, (max_len, width)),
                       norms=list(norms), dense=[], packed=packed,
                       out_w=array(prefix + "out_w", np.float32, (width, n_fine)),
                       out_b=array(prefix + "out_b", np.float32, (n_fine,)),
                       fine_labels=part["fine_labels"], label_map=part["label_map"],
                       temperature=part["temperature"], weight=part["weight"], max_chars=part["max_chars"])


# ---- an encoder on its own (between train_encoder.py and train_default.py) ----------------------
ENCODER_FILE, ENCODER_ARRAYS = "encoder.json", "encoder.npz"


def split_fingerprint(labels: Sequence[str], fit_idx: np.ndarray, cal_idx: np.ndarray, seed: int) -> dict[str, Any]:
    """What identifies the training split an encoder was fine-tuned on."""
    digest = hashlib.sha256(np.sort(np.asarray(cal_idx, dtype=np.int64)).tobytes())
    digest.update("\n".join(labels).encode("utf-8"))
    return {"n_texts": len(labels), "n_fit": len(fit_idx), "n_held_out": len(cal_idx), "seed": seed,
            "sha256": digest.hexdigest()}


def save_encoder(encoder: TextEncoder, folder: str | os.PathLike[str], metadata: dict[str, Any]) -> Path:
    """Write ``encoder.json`` (parameters, metadata, sha256 of the arrays) and ``encoder.npz``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / ENCODER_ARRAYS, **encoder.to_arrays(""))  # type: ignore[arg-type]  # numpy stubs: **arrays vs allow_pickle
    digest = hashlib.sha256((out / ENCODER_ARRAYS).read_bytes()).hexdigest()
    params = encoder.params()
    doc = {"format": "newsnlp-topic-encoder", "params": params, "label_map": encoder.label_map.tolist(),
           "arrays_sha256": digest, "metadata": metadata}
    (out / ENCODER_FILE).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def load_encoder(folder: str | os.PathLike[str]) -> tuple[TextEncoder, dict[str, Any]]:
    """Read what :func:`save_encoder` wrote (refusing a changed file); returns (encoder, metadata)."""
    src = Path(folder)
    doc = json.loads((src / ENCODER_FILE).read_text(encoding="utf-8"))
    if doc.get("format") != "newsnlp-topic-encoder":
        raise ValueError(f"{src / ENCODER_FILE}: not a newsnlp topic encoder")
    if hashlib.sha256((src / ENCODER_ARRAYS).read_bytes()).hexdigest() != doc.get("arrays_sha256"):
        raise ValueError(f"{src / ENCODER_ARRAYS}: sha256 does not match {ENCODER_FILE}")
    with np.load(src / ENCODER_ARRAYS, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}

    def array(key: str, dtype: Any, shape: tuple[int, ...]) -> np.ndarray:
        arr = arrays.get(key)
        if arr is None or arr.dtype != np.dtype(dtype) or arr.shape != shape:
            raise ValueError(f"{src / ENCODER_ARRAYS}: {key!r} missing or not {np.dtype(dtype)} {shape}")
        return arr

    part = dict(doc["params"], label_map=np.asarray(doc["label_map"], dtype=np.int32))
    return encoder_from_arrays(part, arrays, "", array), doc.get("metadata") or {}
