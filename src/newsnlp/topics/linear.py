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
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from .encoder import TextEncoder
from .features import AnalyzerSpec, featurize, normalize_text
from .neural import NeuralHead, dequantize_rows, fit_head, quantize_rows, softmax
from .short import FineLinear, fine_label_index, tune_short

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
    # Fine-label linear part for short texts (see ``FineLinear``): the same linear model trained
    # on the fine labels, its probabilities summed into the coarse labels and blended with the
    # coarse linear probabilities (weight fitted on the held-out split). Needs fine labels, like
    # the neural head.
    fine_linear: bool = False
    fine_C: float | None = None  # C of the fine-label SVMs (None = ``C``)
    fine_weight: float | None = None  # fixed blend weight of the fine part; None = tuned on the held-out split
    fine_rows: int | None = None  # keep the fine weights of only this many features (largest L2 norm); None = all


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
        fine_linear=True,
        fine_rows=150_000,
    ),
    "zh": LangConfig(
        analyzers=[{"kind": "char", "ngram_range": (1, 2), "min_df": 2}],
        C=0.5,
        long_chars=200,
        max_chars=3000,
        long_weight=2.0,
        nb_mix=0.5,
        neural={"dim": 64, "epochs": 4, "lr": 4e-3, "batch": 64, "dropout": 0.3, "input_dropout": 0.2},
        fine_linear=True,
    ),
}


def fit_temperature(scores: np.ndarray, gold: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood of ``gold`` column indices."""
    best_t, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.05), np.log(50.0), 121)):
        p = softmax(scores * t)[np.arange(len(gold)), gold]
        nll = -np.mean(np.log(np.clip(p, 1e-12, None)))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def calibration_split(labels: Sequence[str] | np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the fitting and the held-out part of the training texts (stratified when possible).

    The held-out part sets temperatures and blend weights; a separately trained part (the
    encoder, see ``encoder.py``) uses the same split so that it never saw the held-out texts.
    """
    y = np.asarray(labels)
    counts = np.unique(y, return_counts=True)[1]
    fit_idx, cal_idx = train_test_split(np.arange(len(y)), test_size=fraction, random_state=seed,
                                        stratify=y if counts.min() >= 2 else None)
    return np.asarray(fit_idx), np.asarray(cal_idx)


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
    fine: FineLinear | None = None
    encoder: TextEncoder | None = None

    # ---- prediction -------------------------------------------------------------------------
    def _prepare(self, texts: Sequence[str]) -> list[str]:
        return [normalize_text(t[: self.max_chars]) for t in texts]

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
        if x is None:
            return probs
        n_labels = len(self.labels)
        # Each short-text part is mixed, in this order, into what the previous ones left.
        fine, neural, encoder = self.fine, self.neural, self.encoder
        parts: tuple[tuple[Any, Callable[[Any], Any]], ...] = (
            (fine, lambda rows: fine.proba(x[rows], n_labels) if fine is not None else None),
            (neural, lambda rows: neural.proba(x[rows], n_labels) if neural is not None else None),
            (encoder, lambda rows: encoder.proba([texts[int(i)] for i in np.flatnonzero(rows)], n_labels)
             if encoder is not None else None))
        for part, part_proba in parts:
            if part is None or part.weight <= 0:
                continue
            short = np.array([not part.max_chars or len(t) < part.max_chars for t in texts], dtype=bool)
            if short.any():
                probs[short] = (1.0 - part.weight) * probs[short] + part.weight * part_proba(short)
        return probs

    # ---- training ---------------------------------------------------------------------------
    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], config: LangConfig, seed: int = 0,
            fine_labels: Sequence[str] | None = None, encoder: TextEncoder | None = None,
            final_encoder: TextEncoder | None = None) -> "LangModel":
        """Fit on ``texts``/``labels``; a held-out split first sets the softmax temperature.

        ``fine_labels`` (one per text, each belonging to one coarse label, e.g. the source's own
        category) enable the neural head when ``config.neural`` is set and the fine-label linear
        part when ``config.fine_linear`` is set; their temperatures and blend weights are fitted
        on the held-out split, then everything is refitted on all texts. An ``encoder`` (see
        ``encoder.py``) must have been fine-tuned on the fitting part of :func:`calibration_split`
        with the same seed; its temperature and blend weight are fitted on the held-out part and
        it is kept as it is (it is not retrained here), unless a ``final_encoder`` (the same recipe
        trained on all ``texts``, with the same fine labels) is given: that one is kept instead, with
        the temperature and weight fitted for ``encoder``, as the linear parts are refitted on all texts.
        """
        y_all = np.asarray(labels)
        have_fine = (fine_labels is not None and len(texts) >= max(config.neural_min_texts, 200)
                     and config.calibration_fraction > 0)
        use_neural = config.neural is not None and have_fine
        use_fine = config.fine_linear and have_fine
        if encoder is not None and not (len(texts) >= 200 and config.calibration_fraction > 0):
            raise ValueError("an encoder needs a held-out split (200 texts or more, calibration_fraction > 0)")
        if final_encoder is not None and (encoder is None or list(final_encoder.fine_labels) != list(encoder.fine_labels)):
            raise ValueError("a final encoder needs an encoder with the same fine labels to fit its blend")
        if use_neural or use_fine:
            assert fine_labels is not None  # the fine-label parts are only asked for with fine labels
            fine_names, fine_map, fine_idx = fine_label_index(labels, fine_labels)
        head_t, head_w, fine_t, fine_w, enc_t, enc_w = 1.0, 0.0, 1.0, 0.0, 1.0, 0.0
        classes = sorted(set(labels))
        if len(classes) < 2:
            return cls._constant(classes, config)
        if encoder is not None:
            coarse = [name.split("|", 1)[0] for name in encoder.fine_labels]
            if not set(coarse) <= set(classes):
                raise ValueError(f"the encoder's fine labels {sorted(set(coarse) - set(classes))} are not labels here")
            encoder.label_map = np.array([classes.index(c) for c in coarse], dtype=np.int32)
        temperature = 1.0
        if len(texts) >= 200 and config.calibration_fraction > 0:
            fit_idx, cal_idx = calibration_split(y_all, config.calibration_fraction, seed)
            fine_arg = (fine_names, fine_map, fine_idx[fit_idx]) if use_fine else None
            part = cls._fit_once([texts[i] for i in fit_idx], y_all[fit_idx], classes, config, seed, fine_arg)
            cal_texts = [texts[i] for i in cal_idx]
            cal_scores, x_cal = part._decision(cal_texts)
            gold = np.searchsorted(np.asarray(classes), y_all[cal_idx])
            temperature = fit_temperature(cal_scores, gold)
            logger.info("calibration: %d held-out texts, temperature %.3f", len(cal_idx), temperature)
            if use_neural or use_fine or encoder is not None:
                if encoder is not None and not (use_neural or use_fine):
                    fine_names, fine_map, fine_idx = list(encoder.fine_labels), encoder.label_map, np.zeros(len(texts), int)
                (head_t, head_w), (fine_t, fine_w), (enc_t, enc_w) = tune_short(
                    part, [texts[i] for i in fit_idx], fine_idx[fit_idx], cal_texts, x_cal, gold,
                    softmax(cal_scores * temperature), fine_names, fine_map, config, seed, use_neural, use_fine,
                    encoder)
        fine_arg = (fine_names, fine_map, fine_idx) if use_fine and fine_w > 0 else None
        model = cls._fit_once(list(texts), y_all, classes, config, seed, fine_arg)
        model.temperature = temperature
        if model.fine is not None:
            model.fine.temperature, model.fine.weight = fine_t, fine_w
        if use_neural and head_w > 0:
            x = featurize(model.specs, model._prepare(texts))
            head = fit_head(x, fine_names, fine_map, fine_idx, config.neural or {}, seed, config.long_chars)
            head.temperature, head.weight = head_t, head_w
            model.neural = head
        if encoder is not None:
            if enc_w > 0:
                kept = final_encoder if final_encoder is not None else encoder
                kept.label_map = encoder.label_map
                kept.temperature, kept.weight, kept.max_chars = enc_t, enc_w, config.long_chars
                model.encoder = kept
            model.info["encoder_weight"] = enc_w
            model.info["encoder_trained_on"] = "all texts" if final_encoder is not None else "the fitting split"
        model.info["neural_weight"] = head_w
        if use_fine:
            model.info["fine_linear_weight"] = fine_w
        return model

    @classmethod
    def _constant(cls, classes: list[str], config: LangConfig) -> "LangModel":
        specs = [AnalyzerSpec(**a) for a in config.analyzers]
        zeros = np.zeros((0, len(classes)), dtype=np.float32)
        return cls(classes, specs, zeros, zeros.copy(), np.zeros(len(classes), np.float32),
                   np.zeros(len(classes), np.float32), 1.0, 0, config.max_chars, {"n_train": 0})

    @classmethod
    def _fit_once(cls, texts: list[str], y: np.ndarray, classes: list[str], config: LangConfig,
                  seed: int, fine: tuple[list[str], np.ndarray, np.ndarray] | None = None) -> "LangModel":
        specs = [AnalyzerSpec(**a) for a in config.analyzers]
        x = featurize(specs, [normalize_text(t[: config.max_chars]) for t in texts], fit=True)
        n_feat = x.shape[1]
        long = np.array([len(t) >= config.long_chars for t in texts], dtype=np.float32)
        use_long = bool(config.long_chars) and 0 < long.sum()
        if use_long:
            x = sp.hstack([x, sp.diags(long) @ x, sp.csr_matrix(long[:, None])], format="csr")
        weights = np.where(long > 0, config.long_weight, 1.0) if use_long else None
        w, b = _fit_weights(x, y, classes, n_feat, config, config.C, seed, weights)
        coef = np.ascontiguousarray(w[:, :n_feat].T)
        if use_long:
            coef_long = np.ascontiguousarray(w[:, n_feat: 2 * n_feat].T)
            long_bias = w[:, 2 * n_feat].copy()
        else:
            coef_long = np.zeros_like(coef)
            long_bias = np.zeros(len(classes), np.float32)
        # Stored as int8 rows (storage format 5): round now, so a reloaded model scores identically.
        coef, coef_long = split_coefficients(dequantize_rows(*quantize_rows(np.concatenate([coef, coef_long], axis=1))),
                                             len(classes))
        info = {"n_train": len(texts), "n_long": int(long.sum()) if config.long_chars else 0,
                "n_features": int(n_feat), "nb_mix": config.nb_mix}
        fine_part = None
        if fine is not None:
            names, label_map, fine_idx = fine
            present = sorted(set(fine_idx.tolist()))
            y_fine = np.asarray(fine_idx)
            wf = np.zeros((len(names), x.shape[1]), np.float32)
            bf = np.zeros(len(names), np.float32)
            if len(present) >= 2:
                w_p, b_p = _fit_weights(x, y_fine, present, n_feat, config, config.fine_C or config.C, seed, weights)
                wf[present], bf[present] = w_p, b_p
            absent = np.setdiff1d(np.arange(len(names)), present)
            if len(absent):  # fine labels without training texts in this split: never the best
                bf[absent] = bf[present].min() - 10.0 if len(present) else -10.0
            coef_f = np.ascontiguousarray(wf[:, :n_feat].T)
            if config.fine_rows is not None and config.fine_rows < n_feat:
                norms = np.einsum("ij,ij->i", coef_f, coef_f)
                coef_f[np.argsort(-norms, kind="stable")[config.fine_rows:]] = 0.0
            q, scale = quantize_rows(coef_f)
            fine_part = FineLinear(list(names), np.asarray(label_map, np.int32), q, scale,
                                   bf.astype(np.float32), 1.0, 0.0, config.long_chars)
            info["n_fine"] = len(names)
        return cls(list(classes), specs, coef, coef_long, b, long_bias, 1.0,
                   config.long_chars if use_long else 0, config.max_chars, info, fine=fine_part)


def split_coefficients(both: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The (short-text, long-text) coefficient matrices stored side by side in ``both``."""
    return np.ascontiguousarray(both[:, :k]), np.ascontiguousarray(both[:, k:])


def _fit_weights(x: sp.csr_matrix, y: np.ndarray, classes: Sequence[Any], n_feat: int, config: LangConfig, C: float,
                 seed: int, weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest LinearSVC (mixed with NB-SVM by ``config.nb_mix``) on ``x``; rows follow ``classes``.

    Weights are rounded to float16 here; the caller rounds them to the int8 rows they are stored as.
    """
    svm = LinearSVC(C=C, random_state=seed, max_iter=5000)
    svm.fit(x, y, sample_weight=weights)
    w = svm.coef_.astype(np.float32)
    b = svm.intercept_.astype(np.float32)
    if len(classes) == 2:  # one decision function; split it into two symmetric scores
        w = np.vstack([-w[0] / 2, w[0] / 2])
        b = np.array([-b[0] / 2, b[0] / 2], dtype=np.float32)
    if config.nb_mix > 0:
        w_nb, b_nb = _nbsvm(x, y, list(classes), n_feat, replace(config, C=C), seed, weights)
        w = (1.0 - config.nb_mix) * w + config.nb_mix * w_nb
        b = ((1.0 - config.nb_mix) * b + config.nb_mix * b_nb).astype(np.float32)
    return w.astype(np.float16).astype(np.float32), b.astype(np.float32)


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
