"""One language's topic classifier: sparse n-gram features, a linear model and a calibrated softmax.

Training uses scikit-learn's ``LinearSVC``; prediction is plain numpy/scipy (``X @ W + b``), so a
saved model is only arrays. Two ideas make headline-trained weights work on whole articles:

* **long-document adaptation** (Daumé III, "Frustratingly easy domain adaptation", 2007): every
  feature gets a second copy that is active only for texts of at least ``long_chars`` characters,
  plus a per-label bias for such texts (an article-level prior). Headlines and full articles then
  share most evidence while the model can learn what differs for full articles.
* **capped length**: only the first ``max_chars`` characters are read (title and lead carry the
  topic; this also bounds the time per article).

Scores are turned into probabilities by ``softmax(temperature * scores)``, with the temperature
fitted on a held-out split of the training data (minimum negative log-likelihood).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from .features import AnalyzerSpec, featurize, normalize_text
from .neural import NeuralHead, fit_head

logger = logging.getLogger(__name__)


@dataclass
class LangConfig:
    """Hyper-parameters for one language's classifier."""

    analyzers: list[dict[str, Any]]
    C: float = 0.3
    long_chars: int = 0  # 0 disables the long-document feature copy
    max_chars: int = 6000
    long_weight: float = 1.0  # sample weight of long texts (full articles) in training
    calibration_fraction: float = 0.15
    nb_mix: float = 0.0  # share of NB-SVM weights averaged into the LinearSVC weights (0 = plain SVM)
    nb_alpha: float = 1.0  # smoothing of the NB log-count ratios
    # Neural head for short texts (see ``neural.py``): hyper-parameters, or None for none. It is
    # trained only when fine labels are given and at least ``neural_min_texts`` texts; its blend
    # weight and temperature are fitted on the calibration split.
    neural: dict[str, Any] | None = None
    neural_min_texts: int = 2000
    neural_weight: float | None = None  # fixed blend weight of the head; None = tuned on the held-out split


DEFAULT_CONFIGS: dict[str, LangConfig] = {
    "en": LangConfig(
        analyzers=[
            {"kind": "word", "ngram_range": (1, 2), "min_df": 2},
            {"kind": "char_wb", "ngram_range": (2, 5), "min_df": 2, "max_features": 300_000},
        ],
        C=0.3,
        long_chars=400,
        max_chars=3000,
        neural={"dim": 48, "epochs": 5, "lr": 4e-3, "batch": 64, "dropout": 0.3, "input_dropout": 0.2},
    ),
    "zh": LangConfig(
        analyzers=[{"kind": "char", "ngram_range": (1, 2), "min_df": 2}],
        C=0.5,
        long_chars=200,
        max_chars=3000,
        long_weight=2.0,
        nb_mix=0.5,
        neural={"dim": 64, "epochs": 4, "lr": 4e-3, "batch": 64, "dropout": 0.3, "input_dropout": 0.2},
    ),
}


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = scores - scores.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def fit_temperature(scores: np.ndarray, gold: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood of ``gold`` column indices."""
    best_t, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.05), np.log(50.0), 121)):
        p = softmax(scores * t)[np.arange(len(gold)), gold]
        nll = -np.mean(np.log(np.clip(p, 1e-12, None)))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


@dataclass
class LangModel:
    """Fitted classifier for one language (see the module docstring)."""

    labels: list[str]
    specs: list[AnalyzerSpec]
    coef: np.ndarray  # (n_features, n_labels) float32
    coef_long: np.ndarray  # (n_features, n_labels) float32; zeros when long_chars == 0
    intercept: np.ndarray  # (n_labels,)
    long_bias: np.ndarray  # (n_labels,)
    temperature: float = 1.0
    long_chars: int = 0
    max_chars: int = 6000
    info: dict[str, Any] = field(default_factory=dict)
    neural: NeuralHead | None = None

    # ---- prediction -------------------------------------------------------------------------
    def _prepare(self, texts: Sequence[str]) -> list[str]:
        return [normalize_text(t[: self.max_chars]) for t in texts]

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """Raw linear scores, shape (len(texts), len(labels))."""
        return self._decision(texts)[0]

    def _decision(self, texts: Sequence[str]) -> tuple[np.ndarray, Any]:
        if self.coef.shape[0] == 0:  # a single-label (constant) model
            return np.tile(self.intercept, (len(texts), 1)).astype(np.float64), None
        x = featurize(self.specs, self._prepare(texts))
        scores = np.asarray(x @ self.coef) + self.intercept
        if self.long_chars:
            long = np.array([len(t) >= self.long_chars for t in texts], dtype=bool)
            if long.any():
                scores[long] += np.asarray(x[long] @ self.coef_long) + self.long_bias
        return scores, x

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, shape (len(texts), len(labels)); rows sum to 1."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        scores, x = self._decision(texts)
        probs = softmax(scores * self.temperature)
        head = self.neural
        if head is not None and head.weight > 0 and x is not None:
            short = np.array([not head.max_chars or len(t) < head.max_chars for t in texts], dtype=bool)
            if short.any():
                probs[short] = ((1.0 - head.weight) * probs[short]
                                + head.weight * head.proba(x[short], len(self.labels)))
        return probs

    # ---- training ---------------------------------------------------------------------------
    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], config: LangConfig, seed: int = 0,
            fine_labels: Sequence[str] | None = None) -> "LangModel":
        """Fit on ``texts``/``labels``; a held-out split first sets the softmax temperature.

        ``fine_labels`` (one per text, each belonging to one coarse label, e.g. the source's own
        category) enable the neural head when ``config.neural`` is set.
        """
        y_all = np.asarray(labels)
        use_neural = (config.neural is not None and fine_labels is not None
                      and len(texts) >= max(config.neural_min_texts, 200) and config.calibration_fraction > 0)
        if use_neural:
            fine_names, fine_map, fine_idx = _fine_label_index(labels, fine_labels)
        head_t, head_w = 1.0, 0.0
        classes = sorted(set(labels))
        if len(classes) < 2:
            return cls._constant(classes, config)
        temperature = 1.0
        if len(texts) >= 200 and config.calibration_fraction > 0:
            counts = np.unique(y_all, return_counts=True)[1]
            idx = np.arange(len(texts))
            fit_idx, cal_idx = train_test_split(
                idx,
                test_size=config.calibration_fraction,
                random_state=seed,
                stratify=y_all if counts.min() >= 2 else None,
            )
            part = cls._fit_once([texts[i] for i in fit_idx], y_all[fit_idx], classes, config, seed)
            cal_scores = part.decision([texts[i] for i in cal_idx])
            gold = np.searchsorted(np.asarray(classes), y_all[cal_idx])
            temperature = fit_temperature(cal_scores, gold)
            logger.info("calibration: %d held-out texts, temperature %.3f", len(cal_idx), temperature)
            if use_neural:
                head_t, head_w = _tune_head(part, [texts[i] for i in fit_idx], fine_idx[fit_idx],
                                            [texts[i] for i in cal_idx], gold, softmax(cal_scores * temperature),
                                            fine_names, fine_map, config, seed)
        model = cls._fit_once(list(texts), y_all, classes, config, seed)
        model.temperature = temperature
        if use_neural and head_w > 0:
            x = featurize(model.specs, model._prepare(texts))
            head = fit_head(x, fine_names, fine_map, fine_idx, config.neural or {}, seed, config.long_chars)
            head.temperature, head.weight = head_t, head_w
            model.neural = head
        model.info["neural_weight"] = head_w
        return model

    @classmethod
    def _constant(cls, classes: list[str], config: LangConfig) -> "LangModel":
        specs = [AnalyzerSpec(**a) for a in config.analyzers]
        zeros = np.zeros((0, len(classes)), dtype=np.float32)
        return cls(classes, specs, zeros, zeros.copy(), np.zeros(len(classes), np.float32),
                   np.zeros(len(classes), np.float32), 1.0, 0, config.max_chars, {"n_train": 0})

    @classmethod
    def _fit_once(cls, texts: list[str], y: np.ndarray, classes: list[str], config: LangConfig,
                  seed: int) -> "LangModel":
        specs = [AnalyzerSpec(**a) for a in config.analyzers]
        x = featurize(specs, [normalize_text(t[: config.max_chars]) for t in texts], fit=True)
        n_feat = x.shape[1]
        long = np.array([len(t) >= config.long_chars for t in texts], dtype=np.float32)
        use_long = bool(config.long_chars) and 0 < long.sum()
        if use_long:
            x = sp.hstack([x, sp.diags(long) @ x, sp.csr_matrix(long[:, None])], format="csr")
        svm = LinearSVC(C=config.C, random_state=seed, max_iter=5000)
        weights = np.where(long > 0, config.long_weight, 1.0) if use_long else None
        svm.fit(x, y, sample_weight=weights)
        w = svm.coef_.astype(np.float32)
        b = svm.intercept_.astype(np.float32)
        if len(classes) == 2:  # one decision function; split it into two symmetric scores
            w = np.vstack([-w[0] / 2, w[0] / 2])
            b = np.array([-b[0] / 2, b[0] / 2], dtype=np.float32)
        if config.nb_mix > 0:
            w_nb, b_nb = _nbsvm(x, y, classes, n_feat, config, seed, weights)
            w = (1.0 - config.nb_mix) * w + config.nb_mix * w_nb
            b = ((1.0 - config.nb_mix) * b + config.nb_mix * b_nb).astype(np.float32)
        # Weights are stored as float16; round them now so a reloaded model scores identically.
        w = w.astype(np.float16).astype(np.float32)
        coef = np.ascontiguousarray(w[:, :n_feat].T)
        if use_long:
            coef_long = np.ascontiguousarray(w[:, n_feat: 2 * n_feat].T)
            long_bias = w[:, 2 * n_feat].copy()
        else:
            coef_long = np.zeros_like(coef)
            long_bias = np.zeros(len(classes), np.float32)
        info = {"n_train": len(texts), "n_long": int(long.sum()) if config.long_chars else 0,
                "n_features": int(n_feat), "nb_mix": config.nb_mix}
        return cls(list(classes), specs, coef, coef_long, b, long_bias, 1.0,
                   config.long_chars if use_long else 0, config.max_chars, info)


def _nbsvm(x: sp.csr_matrix, y: np.ndarray, classes: list[str], n_feat: int, config: LangConfig, seed: int,
           weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest NB-SVM (Wang & Manning 2012) on the TF-IDF features, folded into plain weights.

    For each label, the features are scaled by the log-count ratio ``r`` of the label against the
    rest (computed on the shared feature block, reused for the long-document copy), a binary
    ``LinearSVC`` is fitted on the scaled features, and ``r * w`` is returned, so prediction stays
    ``X @ W + b``. Returns weights of shape (len(classes), x.shape[1]) and intercepts.
    """
    base = x[:, :n_feat]
    total = np.asarray(base.sum(axis=0)).ravel().astype(np.float64)
    rows, intercepts = [], []
    for label in classes:
        pos = y == label
        p = config.nb_alpha + np.asarray(base[pos].sum(axis=0)).ravel()
        q = config.nb_alpha + (total - (p - config.nb_alpha))
        r = (np.log(p / p.sum()) - np.log(q / q.sum())).astype(np.float32)
        scale = np.ones(x.shape[1], dtype=np.float32)
        scale[:n_feat] = r
        if x.shape[1] >= 2 * n_feat:
            scale[n_feat: 2 * n_feat] = r
        clf = LinearSVC(C=config.C, random_state=seed, max_iter=5000)
        clf.fit(x @ sp.diags(scale), pos.astype(int), sample_weight=weights)
        rows.append(clf.coef_[0] * scale)
        intercepts.append(clf.intercept_[0])
    return np.vstack(rows).astype(np.float32), np.asarray(intercepts, dtype=np.float32)


def _fine_label_index(labels: Sequence[str], fine_labels: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Fine label names ``coarse|fine``, their coarse column, and each text's fine index."""
    classes = sorted(set(labels))
    names = sorted({f"{c}|{f}" for c, f in zip(labels, fine_labels)})
    index = {n: i for i, n in enumerate(names)}
    label_map = np.array([classes.index(n.split("|", 1)[0]) for n in names], dtype=np.int32)
    fine_idx = np.array([index[f"{c}|{f}"] for c, f in zip(labels, fine_labels)], dtype=np.int64)
    return names, label_map, fine_idx


def _tune_head(part: LangModel, fit_texts: list[str], fit_fine: np.ndarray, cal_texts: list[str], gold: np.ndarray,
               cal_probs: np.ndarray, fine_names: list[str], fine_map: np.ndarray, config: LangConfig,
               seed: int) -> tuple[float, float]:
    """Train a head on the fitting split; fit its temperature and blend weight on the held-out split.

    Only held-out texts shorter than ``long_chars`` count (the head is not used on longer texts).
    Returns (temperature, weight); weight 0 means the head does not help and is left out.
    """
    x_fit = featurize(part.specs, part._prepare(fit_texts))
    head = fit_head(x_fit, fine_names, fine_map, fit_fine, config.neural or {}, seed, config.long_chars)
    short = np.array([not config.long_chars or len(t) < config.long_chars for t in cal_texts], dtype=bool)
    if short.sum() < 20:
        return 1.0, 0.0 if config.neural_weight is None else float(config.neural_weight)
    x_cal = featurize(part.specs, part._prepare([t for t, s in zip(cal_texts, short) if s]))
    logits, gold_s, lin = head.logits(x_cal), gold[short], cal_probs[short]
    n_labels = cal_probs.shape[1]
    best_t, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.1), np.log(10.0), 61)):
        fine = softmax(logits * t)
        coarse = np.zeros((len(gold_s), n_labels))
        np.add.at(coarse.T, fine_map, fine.T)
        nll = -np.mean(np.log(np.clip(coarse[np.arange(len(gold_s)), gold_s], 1e-12, None)))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    head.temperature = best_t
    neural = head.proba(x_cal, n_labels)
    weights = np.round(np.arange(0.0, 1.0001, 0.05), 2)
    accs = [float(np.mean(((1 - w) * lin + w * neural).argmax(axis=1) == gold_s)) for w in weights]
    best_w = float(weights[int(np.argmax(accs))]) if config.neural_weight is None else float(config.neural_weight)
    logger.info("neural head: held-out short texts %d, accuracy linear %.4f, head %.4f, blend %.4f at weight %.2f "
                "(temperature %.2f)", len(gold_s), accs[0], accs[-1], max(accs), best_w, best_t)
    return best_t, best_w
