"""The byline ranker of the page labeller (``train.py`` beside this file): a conditional logit over a
page's candidate author spans and a "nobody" option (``newsnlp.preprocess.byline_rank``).

Training pages: those of ``train/`` whose gold names an author (their role probabilities out of fold,
from labellers that did not see the page's site), and the *train* part of the trafilatura corpus
(``build_corpus.py``; the labeller is not trained on it, so its probabilities are out of sample):
with a gold author the target is the first candidate whose text holds it (pages where none does are
left out: no candidate to learn from); without one (the corpus's annotators found none on the page)
the target is "nobody". Never the corpus's dev part.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from newsnlp.preprocess.byline_rank import (  # noqa: E402
    body_lines,
    byline_candidates,
    candidate_features,
    main_run,
    ranker_inputs,
)
from newsnlp.preprocess.structure import title_line  # noqa: E402


def byline_group(text: str, spans: list[tuple[int, int]], rows: np.ndarray, probs: np.ndarray, gold: str | None,
                 fold) -> tuple[np.ndarray, int] | None:
    """A page's candidate rows (last row "nobody") and the target row, or ``None`` when unusable."""
    title = title_line(text, spans, probs)
    main = main_run(probs)
    candidates = byline_candidates(text, spans, title, main, body_lines(probs), rows)
    features = candidate_features(text, spans, probs, title, main, candidates, rows)
    if gold:
        wanted = fold(gold)
        hits = [k for k, c in enumerate(candidates)
                if wanted in fold(text[spans[c.line][0] + c.start:spans[c.line][0] + c.end])]
        if not hits:
            return None
        return features, hits[0]
    return features, len(candidates)


def fit_byline_ranker(groups: list[tuple[np.ndarray, int]], l2: float = 1.0) -> np.ndarray:
    """Weights of :func:`newsnlp.preprocess.byline_rank.rank_bylines` (standardisation folded in)."""
    from scipy.optimize import minimize

    stacked = np.vstack([g for g, _ in groups if len(g)]).astype(np.float64)
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-6
    scaled = [ranker_inputs(((g - mean) / scale).astype(np.float32)).astype(np.float64) for g, _ in groups]
    targets = [t for _, t in groups]
    d = scaled[0].shape[1]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * l2 * w @ w, l2 * w.copy()
        for g, t in zip(scaled, targets):
            z = g @ w
            z = z - z.max()
            e = np.exp(z)
            total -= z[t] - np.log(e.sum())
            r = e / e.sum()
            r[t] -= 1.0
            grad += g.T @ r
        return total, grad

    w = minimize(loss, np.zeros(d), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    u, nobody = w[:-1], w[-1]
    return np.concatenate([u / scale, [nobody, -(mean / scale) @ u]]).astype(np.float32)


def choose(weights: np.ndarray, features: np.ndarray) -> int:
    """The row the ranker picks (``len(features)`` = nobody)."""
    inputs = ranker_inputs(features)
    scores = inputs @ weights[:-1] + weights[-1] * np.r_[np.ones(len(features)), 0.0]
    return int(np.argmax(scores))


def cross_validate(groups: list[tuple[np.ndarray, int]], sites: list[str], folds: int = 5,
                   l2: float = 1.0) -> dict[str, float]:
    """Site-fold accuracy: authors found (target picked) and "nobody" kept on pages without one."""
    names = sorted(set(sites))
    fold_of = {s: i % folds for i, s in enumerate(random.Random(3).sample(names, len(names)))}
    hit = n_author = kept = n_nobody = 0
    for k in range(folds):
        inside = [g for g, s in zip(groups, sites) if fold_of[s] != k]
        weights = fit_byline_ranker(inside, l2)
        for (features, target), site in zip(groups, sites):
            if fold_of[site] != k:
                continue
            picked = choose(weights, features)
            if target == len(features):
                n_nobody += 1
                kept += picked == target
            else:
                n_author += 1
                hit += picked == target
    return {"authors": round(hit / max(1, n_author), 4), "author_pages": n_author,
            "nobody_kept": round(kept / max(1, n_nobody), 4), "nobody_pages": n_nobody}
