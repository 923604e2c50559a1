"""A small neural head for short texts: a one-hidden-layer network over the linear model's features.

``h = relu(x @ E + b1)``, ``p = softmax(temperature * (h @ W2 + b2))`` over *fine* labels (for
example the source's own categories, ``lifestyle|car``, ``lifestyle|food``), whose probabilities are
summed into the coarse labels. ``x`` is the same L2-normalised TF-IDF row the linear model reads, so
the head costs one sparse-dense product per text. The fine labels and the hidden layer let it model
coarse labels that are unions of unlike categories (``lifestyle`` = baby, car, fashion, food, travel),
which a one-vs-rest linear model fits poorly.

Trained here with numpy only: Adam (lazy, per touched embedding row), dropout on the input
features and the hidden layer, linearly decaying learning rate, fixed seed (deterministic).
Stored as arrays: ``E`` quantised to int8 with one float32 scale per row, the rest float32.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

logger = logging.getLogger(__name__)

DEFAULT_PARAMS: dict[str, Any] = {"dim": 64, "epochs": 4, "lr": 4e-3, "batch": 64, "dropout": 0.3,
                                  "input_dropout": 0.2}


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = scores - scores.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def quantize_rows(e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-row int8 quantisation: ``e ≈ q * scale[:, None]``."""
    scale = np.abs(e).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(e / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def dequantize_rows(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The float32 matrix ``q * scale[:, None]`` (the one computation fitting and loading share)."""
    return q.astype(np.float32) * scale.astype(np.float32)[:, None]


@dataclass
class NeuralHead:
    """Fitted network; ``label_map[j]`` is the coarse label column of fine label ``j``."""

    fine_labels: list[str]
    label_map: np.ndarray  # (n_fine,) int32
    emb_q: np.ndarray  # (n_features, dim) int8
    emb_scale: np.ndarray  # (n_features,) float32
    b1: np.ndarray  # (dim,) float32
    w2: np.ndarray  # (dim, n_fine) float32
    b2: np.ndarray  # (n_fine,) float32
    temperature: float = 1.0
    weight: float = 0.0  # share of the head in the blend with the linear model's probabilities
    max_chars: int = 0  # the head is used only for texts shorter than this (0 = every text)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays saved under ``prefix`` (e.g. ``"en.nn_"``)."""
        return {prefix + "emb": self.emb_q.astype(np.int8), prefix + "scale": self.emb_scale.astype(np.float32),
                prefix + "b1": self.b1.astype(np.float32), prefix + "w2": self.w2.astype(np.float32),
                prefix + "b2": self.b2.astype(np.float32), prefix + "map": self.label_map.astype(np.int32)}

    def logits(self, x: sp.csr_matrix) -> np.ndarray:
        """Fine-label scores for feature rows ``x`` (sparse, n_features columns)."""
        if x.shape[0] == 0:
            return np.zeros((0, len(self.b2)), np.float32)
        x = sp.csr_matrix(x, dtype=np.float32)
        uniq, inv = np.unique(x.indices, return_inverse=True)  # dequantise only the rows used
        xs = sp.csr_matrix((x.data, inv.astype(np.int32), x.indptr), shape=(x.shape[0], len(uniq)))
        h = np.asarray(xs @ (self.emb_q[uniq].astype(np.float32) * self.emb_scale[uniq, None]))
        np.maximum(h + self.b1, 0, out=h)
        return h @ self.w2 + self.b2

    def proba(self, x: sp.csr_matrix, n_labels: int) -> np.ndarray:
        """Coarse-label probabilities, shape (x.shape[0], n_labels)."""
        return self.proba_from_logits(self.logits(x), n_labels)

    def proba_from_logits(self, logits: np.ndarray, n_labels: int) -> np.ndarray:
        """Coarse-label probabilities from fine-label ``logits`` (see :meth:`logits`)."""
        fine = softmax(logits * self.temperature)
        out = np.zeros((logits.shape[0], n_labels))
        np.add.at(out.T, self.label_map, fine.T)
        return out


def train_head(x: sp.csr_matrix, fine: np.ndarray, n_fine: int, params: dict[str, Any], seed: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Train the network on feature rows ``x`` and fine label indices; return float32 E, b1, W2, b2."""
    p = {**DEFAULT_PARAMS, **params}
    d, epochs, lr, bs = int(p["dim"]), int(p["epochs"]), float(p["lr"]), int(p["batch"])
    drop, in_drop = float(p["dropout"]), float(p["input_dropout"])
    rng = np.random.default_rng(seed)
    n, n_feat = x.shape
    x = sp.csr_matrix(x, dtype=np.float32)
    params_: dict[str, np.ndarray] = {
        "E": (rng.standard_normal((n_feat, d)) * 0.1).astype(np.float32),
        "b1": np.zeros(d, np.float32),
        "W2": (rng.standard_normal((d, n_fine)) * np.sqrt(2.0 / d)).astype(np.float32),
        "b2": np.zeros(n_fine, np.float32),
    }
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params_.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    onehot = np.eye(n_fine, dtype=np.float32)
    steps = epochs * ((n + bs - 1) // bs)
    t = 0
    emb = params_["E"]
    for epoch in range(epochs):
        t0 = time.perf_counter()
        order = rng.permutation(n)
        for start in range(0, n, bs):
            t += 1
            step_lr = lr * (1.0 - (t - 1) / steps)
            idx = order[start: start + bs]
            xb = x[idx]
            data = xb.data
            if in_drop > 0:
                data = data * (rng.random(data.shape[0]) >= in_drop) / (1.0 - in_drop)
            uniq, inv = np.unique(xb.indices, return_inverse=True)
            xs = sp.csr_matrix((data.astype(np.float32), inv.astype(np.int32), xb.indptr), shape=(len(idx), len(uniq)))
            eu = emb[uniq]
            z = np.asarray(xs @ eu) + params_["b1"]
            h = np.maximum(z, 0)
            mask = (rng.random(h.shape) >= drop).astype(np.float32) / (1.0 - drop) if drop > 0 else np.ones_like(h)
            hd = h * mask
            g = softmax(hd @ params_["W2"] + params_["b2"]) - onehot[fine[idx]]
            g /= len(idx)
            dz = (g @ params_["W2"].T) * mask * (z > 0)
            grads = {"W2": hd.T @ g, "b2": g.sum(axis=0), "b1": dz.sum(axis=0)}
            c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
            for k, grad in grads.items():
                m, v = moments[k]
                m *= beta1
                m += (1 - beta1) * grad
                v *= beta2
                v += (1 - beta2) * grad ** 2
                params_[k] -= step_lr * (m / c1) / (np.sqrt(v / c2) + eps)
            ge = np.asarray(xs.T @ dz)
            m, v = moments["E"]
            mu = beta1 * m[uniq] + (1 - beta1) * ge
            vu = beta2 * v[uniq] + (1 - beta2) * ge ** 2
            m[uniq], v[uniq] = mu, vu
            emb[uniq] = eu - step_lr * (mu / c1) / (np.sqrt(vu / c2) + eps)
        logger.info("neural head: epoch %d/%d, %d texts, %.0f s", epoch + 1, epochs, n, time.perf_counter() - t0)
    return emb, params_["b1"], params_["W2"], params_["b2"]


def fit_head(x: sp.csr_matrix, fine_labels: list[str], label_map: np.ndarray, fine: np.ndarray,
             params: dict[str, Any], seed: int, max_chars: int) -> NeuralHead:
    """Train and quantise a head (temperature and weight are set by the caller)."""
    emb, b1, w2, b2 = train_head(x, fine, len(fine_labels), params, seed)
    q, scale = quantize_rows(emb)
    return NeuralHead(list(fine_labels), np.asarray(label_map, dtype=np.int32), q, scale,
                      b1.astype(np.float32), w2.astype(np.float32), b2.astype(np.float32), 1.0, 0.0, max_chars)
