"""Site cross-validation of the title ranker alone (the labeller's passes fixed, out of fold).

    OMP_NUM_THREADS=1 python models/pages/title_cv.py --cache /tmp/title_cv.pkl [--title-corpus DIR ...]
        [--context main_overlap,...] [--l2 1.0] [--draws 3]

Step 1 (cached): the recipe's passes on ``train/`` (``train.train``), each item's second-pass
probabilities out of fold (folds by site); pages of ``--title-corpus`` folders (their ``train`` part)
get the probabilities of the passes fitted on all of ``train/``, which never saw them.
Step 2: for each of ``--draws`` random 5-fold splits by site, the title ranker is fitted on the
other folds' pages and the held-out pages' titles are decoded (``label_structure``) and scored as
``score_pages.py`` does (folded exact match). Reports the mean over draws for the train pages and for
each corpus. Nothing here reads ``dev/``.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labels import build_rows, load_pages, load_scorer  # noqa: E402
from train import ROOT, _fold, _gold_title, train  # noqa: E402

from newsnlp.preprocess.page_features import line_features  # noqa: E402
from newsnlp.preprocess.structure import label_structure, ranker_features  # noqa: E402


def build_cache(data: Path, corpora: list[Path], scorer) -> dict:
    items = build_rows(load_pages(data / "train", scorer), scorer, clean=True)
    labeller, second = train(items, 0.3, 0.3, folds=5)
    pages = []
    for it, p in zip(items, second):
        title, line = _gold_title(it)
        pages.append({"source": "train", "site": it["site"], "text": it["text"], "spans": it["spans"], "rows": it["rows"],
                      "probs": p, "title": title, "line": line,
                      "gold": it["page"]["title"] if it["page"] is not None else None})
    for corpus in corpora:
        for page in load_pages(corpus / "train", scorer):
            rows = line_features(page["text"], page["spans"])
            probs = labeller.second_pass(rows, labeller.first_pass(rows))
            pages.append({"source": corpus.name, "site": page["site"], "text": page["text"], "spans": page["spans"],
                          "rows": rows, "probs": probs, "title": page["title"], "line": None, "gold": page["title"]})
    return {"labeller": labeller, "pages": pages}


def _group(page: dict, context: tuple[str, ...], fold) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A page's candidates, their ranker inputs and which of them is right (as ``fit_title_ranker``)."""
    order, features = ranker_features(page["text"], page["spans"], page["rows"], page["probs"], context=context)
    if page["line"] is not None and not context:
        right = (order == page["line"]).astype(np.float64)
    elif page["title"]:
        right = np.array([fold(page["text"][slice(*page["spans"][i])]) == fold(page["title"]) for i in order.tolist()],
                         dtype=np.float64)
    else:
        right = np.zeros(len(order))
    return order, features.astype(np.float64), right


def _fit(groups: list[tuple], l2: float) -> np.ndarray:
    """The linear conditional logit of ``fit_title_ranker`` (no hidden layer), weights + constant."""
    from scipy.optimize import minimize

    kept = [(f, t) for _, f, t in groups if t.any() and len(t) > 1]
    stacked = np.vstack([f for f, _ in kept])
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-6
    scaled = [((f - mean) / scale, t) for f, t in kept]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * l2 * w @ w, l2 * w.copy()
        for g, t in scaled:
            z = g @ w
            e = np.exp(z - z.max())
            total -= np.log((e * t).sum()) - np.log(e.sum())
            grad += g.T @ (e / e.sum() - e * t / (e * t).sum())
        return total, grad

    u = minimize(loss, np.zeros(stacked.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 300}).x
    return np.append(u / scale, -(mean / scale) @ u)


def evaluate(cache: dict, scorer, sources: set[str], context: tuple[str, ...], draws: int, l2: float,
             show: bool = False) -> dict[str, float]:
    pages = [p for p in cache["pages"] if p["source"] in sources]
    groups = [_group(p, context, _fold) for p in pages]
    sites = sorted({p["site"] for p in pages})
    right: dict[str, list[float]] = {}
    for draw in range(draws):
        fold_of = {s: i % 5 for i, s in enumerate(random.Random(7 + draw).sample(sites, len(sites)))}
        for k in range(5):
            weights = _fit([g for g, p in zip(groups, pages) if fold_of[p["site"]] != k], l2)
            for (order, features, _), p in zip(groups, pages):
                if fold_of[p["site"]] != k or p["gold"] is None:
                    continue
                probs = p["probs"].copy()
                probs[:, 0] = 0.0
                if len(order):
                    scores = np.hstack([features, np.ones((len(order), 1))]) @ weights
                    scores = np.exp(scores - scores.max())
                    probs[order, 0] = scores / scores.sum()
                found = label_structure(p["text"], p["spans"], probs)
                title = p["text"][slice(*found.title)] if found.title else ""
                ok = float(scorer.fold(title) == scorer.fold(p["gold"]))
                right.setdefault(p["source"], []).append(ok)
                if show and draw == 0 and not ok:
                    print(f"MISS {p['site']}: {title[:70]!r} for {p['gold'][:70]!r}")
    return {source: round(float(np.mean(v)), 4) for source, v in right.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "pages")
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--title-corpus", type=Path, action="append", default=[])
    ap.add_argument("--train-on", default="train", help="comma-separated sources the ranker trains on")
    ap.add_argument("--context", default="", help="comma-separated title_context features (CONTEXT_FEATURES)")
    ap.add_argument("--draws", type=int, default=3)
    ap.add_argument("--l2", type=float, default=1.0)
    a = ap.parse_args()
    scorer = load_scorer(a.data)
    if a.cache.is_file():
        cache = pickle.loads(a.cache.read_bytes())
    else:
        cache = build_cache(a.data, a.title_corpus, scorer)
        a.cache.write_bytes(pickle.dumps(cache))
    print(a.train_on, a.context or "-", a.l2,
          evaluate(cache, scorer, set(a.train_on.split(",")), tuple(n for n in a.context.split(",") if n), a.draws, a.l2), flush=True)


if __name__ == "__main__":
    main()
