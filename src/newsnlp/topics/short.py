"""The parts of a language's topic model used for short texts (headlines) only.

* :class:`FineLinear`: a linear model over the sources' fine labels (``coarse|fine``, e.g.
  ``lifestyle|car``), its probabilities summed into the coarse labels: a coarse label that is a
  union of unlike categories is fitted poorly by one linear boundary.
* :func:`tune_short`: on the held-out split of the training data, the temperatures of the fine part
  and of the neural head (:mod:`.neural`) and the weights with which they join the coarse linear
  probabilities (never on dev data).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Sequence

import numpy as np
import scipy.sparse as sp

from .features import AnalyzerSpec, featurize
from .neural import fit_head, softmax

if TYPE_CHECKING:
    from .encoder import TextEncoder

logger = logging.getLogger(__name__)


@dataclass
class FineLinear:
    """Linear scores over fine labels (``coarse|fine``), turned into coarse-label probabilities.

    ``softmax(temperature * (x @ coef + intercept))`` over the fine labels, summed into their
    coarse labels (``label_map[j]`` is the coarse column of fine label ``j``). Used only for texts
    shorter than ``max_chars`` (0 = every text), blended with the coarse probabilities by ``weight``.
    """

    fine_labels: list[str]
    label_map: np.ndarray  # (n_fine,) int32
    coef_q: np.ndarray  # (n_features, n_fine) int8; weights = coef_q * coef_scale[:, None] (zero rows = pruned)
    coef_scale: np.ndarray  # (n_features,) float32
    intercept: np.ndarray  # (n_fine,) float32
    temperature: float = 1.0
    weight: float = 0.0
    max_chars: int = 0

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays saved under ``prefix`` (e.g. ``"en.fl_"``)."""
        return {prefix + "coef": self.coef_q.astype(np.int8), prefix + "scale": self.coef_scale.astype(np.float32),
                prefix + "intercept": self.intercept.astype(np.float32), prefix + "map": self.label_map.astype(np.int32)}

    def scores(self, x: sp.csr_matrix) -> np.ndarray:
        """Fine-label scores for feature rows ``x``; only the weight rows used are dequantised."""
        if x.shape[0] == 0:
            return np.zeros((0, len(self.intercept)))
        x = sp.csr_matrix(x)
        uniq, inv = np.unique(x.indices, return_inverse=True)
        xs = sp.csr_matrix((x.data, inv.astype(np.int32), x.indptr), shape=(x.shape[0], len(uniq)))
        return np.asarray(xs @ (self.coef_q[uniq].astype(np.float32) * self.coef_scale[uniq, None])) + self.intercept

    def proba_from_scores(self, scores: np.ndarray, n_labels: int) -> np.ndarray:
        fine = softmax(scores * self.temperature)
        out = np.zeros((scores.shape[0], n_labels))
        np.add.at(out.T, self.label_map, fine.T)
        return out

    def proba(self, x: sp.csr_matrix, n_labels: int) -> np.ndarray:
        """Coarse-label probabilities, shape (x.shape[0], n_labels)."""
        return self.proba_from_scores(self.scores(x), n_labels)


def fine_label_index(labels: Sequence[str], fine_labels: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Fine label names ``coarse|fine``, their coarse column, and each text's fine index."""
    classes = sorted(set(labels))
    names = sorted({f"{c}|{f}" for c, f in zip(labels, fine_labels)})
    index = {n: i for i, n in enumerate(names)}
    label_map = np.array([classes.index(n.split("|", 1)[0]) for n in names], dtype=np.int32)
    fine_idx = np.array([index[f"{c}|{f}"] for c, f in zip(labels, fine_labels)], dtype=np.int64)
    return names, label_map, fine_idx


class ShortTextModel(Protocol):
    """What :func:`tune_short` reads of a ``linear.LangModel`` (a protocol: this module sits below it)."""

    specs: list[AnalyzerSpec]
    fine: FineLinear | None

    def _prepare(self, texts: Sequence[str]) -> list[str]: ...


class ShortTextConfig(Protocol):
    """What :func:`tune_short` reads of a ``linear.LangConfig``."""

    long_chars: int
    neural: dict[str, Any] | None
    neural_weight: float | None
    fine_weight: float | None


def tune_short(part: ShortTextModel, fit_texts: list[str], fit_fine: np.ndarray, cal_texts: list[str], x_cal: Any,
                gold: np.ndarray, cal_probs: np.ndarray, fine_names: list[str], fine_map: np.ndarray,
                config: ShortTextConfig, seed: int, use_neural: bool, use_fine: bool, encoder: TextEncoder | None = None
                ) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """Fit the short-text parts on the held-out split: temperatures (log-loss), blend weights (accuracy).

    The fine-label linear part (``part.fine``, trained on the fitting split) is blended into the
    coarse linear probabilities with weight ``wf``, and a neural head trained on the fitting split
    into that mixture with weight ``wh``, then the ``encoder`` (trained on the fitting split, see
    :mod:`.encoder`) with weight ``we``; the weights are chosen together on a grid. Only held-out
    texts shorter than ``long_chars`` count (the parts are not used on longer texts).
    Returns ((head temperature, head weight), (fine temperature, fine weight), (encoder
    temperature, encoder weight)); weight 0 = unused.
    """
    short = np.array([not config.long_chars or len(t) < config.long_chars for t in cal_texts], dtype=bool)
    fixed_wh = None if config.neural_weight is None else float(config.neural_weight)
    if short.sum() < 20:
        fixed_wf = float(config.fine_weight) if config.fine_weight is not None and use_fine else 0.0
        return (1.0, 0.0 if fixed_wh is None or not use_neural else fixed_wh), (1.0, fixed_wf), (1.0, 0.0)
    x_s = x_cal[short] if x_cal is not None else featurize(part.specs, part._prepare(
        [t for t, s in zip(cal_texts, short) if s]))
    x_s = x_s[:, : sum(len(sp_.vocabulary) for sp_ in part.specs)]
    gold_s, lin = gold[short], cal_probs[short]
    n_labels = cal_probs.shape[1]
    rows = np.arange(len(gold_s))

    def best_temperature(proba_at: Any, lo: float, hi: float, n: int) -> float:
        best_t, best_nll = 1.0, np.inf
        for t in np.exp(np.linspace(np.log(lo), np.log(hi), n)):
            nll = -np.mean(np.log(np.clip(proba_at(t)[rows, gold_s], 1e-12, None)))
            if nll < best_nll:
                best_t, best_nll = float(t), nll
        return best_t

    fine_t, fine_p = 1.0, None
    if use_fine and part.fine is not None:
        fl = part.fine
        f_scores = fl.scores(x_s)
        fine_t = best_temperature(lambda t: fl.proba_from_scores(f_scores * t, n_labels), 0.05, 50.0, 121)
        fine_p = fl.proba_from_scores(f_scores * fine_t, n_labels)
    head_t, neural = 1.0, None
    if use_neural:
        x_fit = featurize(part.specs, part._prepare(fit_texts))
        head = fit_head(x_fit, fine_names, fine_map, fit_fine, config.neural or {}, seed, config.long_chars)
        logits = head.logits(x_s)

        def head_proba(t: float) -> np.ndarray:
            head.temperature = t
            return head.proba_from_logits(logits, n_labels)
        head_t = best_temperature(head_proba, 0.1, 10.0, 61)
        neural = head_proba(head_t)
    enc_t, enc_p = 1.0, None
    if encoder is not None:
        enc_logits = encoder.logits([t for t, keep in zip(cal_texts, short) if keep])
        enc_t = best_temperature(lambda t: encoder.proba_from_logits(enc_logits * t, n_labels), 0.1, 10.0, 61)
        enc_p = encoder.proba_from_logits(enc_logits * enc_t, n_labels)
    grid = np.round(np.arange(0.0, 1.0001, 0.05), 2)
    wfs = np.array([0.0]) if fine_p is None else (grid if config.fine_weight is None else np.array([config.fine_weight]))
    whs = (np.array([fixed_wh]) if fixed_wh is not None else grid) if neural is not None else np.array([0.0])
    wes = grid if enc_p is not None else np.array([0.0])
    best = (-1.0, 0.0, 0.0, 0.0)
    best_no_head = -1.0  # logged: what the head adds on top of the other parts
    for wf in wfs:
        mix = lin if fine_p is None else (1 - wf) * lin + wf * fine_p
        for wh in whs:
            p = mix if neural is None else (1 - wh) * mix + wh * neural
            for we in wes:
                pe = p if enc_p is None else (1 - we) * p + we * enc_p
                acc = float(np.mean(pe.argmax(axis=1) == gold_s))
                if wh == 0:
                    best_no_head = max(best_no_head, acc)
                if acc > best[0] + 1e-12:
                    best = (acc, float(wf), float(wh), float(we))
    acc, wf, wh, we = best
    def acc_of(p: np.ndarray | None) -> str:
        return "-" if p is None else f"{float(np.mean(p.argmax(axis=1) == gold_s)):.4f}"
    logger.info("short-text parts: %d held-out short texts, accuracy linear %s, fine linear %s, head %s, encoder %s; "
                "best %.4f at fine weight %.2f, head weight %.2f, encoder weight %.2f "
                "(temperatures fine %.2f, head %.2f, encoder %.2f); best without the head %.4f",
                len(gold_s), acc_of(lin), acc_of(fine_p), acc_of(neural), acc_of(enc_p), acc, wf, wh, we,
                fine_t, head_t, enc_t, best_no_head)
    return ((head_t, wh if neural is not None else 0.0), (fine_t, wf if fine_p is not None else 0.0),
            (enc_t, we if enc_p is not None else 0.0))
