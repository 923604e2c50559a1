"""Recipe for the page line labeller (``models/pages/model``): real pages → labelled lines → two passes.

    OMP_NUM_THREADS=1 python models/pages/train.py [--data ../shared/data/pages] [--out models/pages/model]
        [--folds 5] [--report]

1. Every page of ``train/`` is rendered to visible text with ``render_text`` of
   ``../shared/eval/score_pages.py`` (imported by path: the renderer the checks use) and cut into
   paragraphs with the project's own ``page_spans``.
2. Each line gets a role by aligning it with the page's gold (``labels.label_lines``): body where most
   of its words (Han characters) fall in 5-grams of the gold body; title where it equals the gold
   title (the occurrence nearest the body); byline / date where a short non-body line holds the
   gold author / date, or, on pages without that gold, matches the byline / date patterns just
   around the title; everything else boilerplate.
3. Clean copies of the pages (gold title, sometimes a byline and a date line, the gold body) are
   added, so an article without furniture keeps every paragraph.
4. First pass: multinomial logistic regression over each line's window of features (±2 lines).
   Second pass: the same window plus the first pass's probabilities around the line (±3 lines and
   wider means), trained on out-of-fold first-pass probabilities (folds by site).
5. ``--folds``: cross-validation by site on train reports body F1 and title accuracy as the scorer
   counts them, before (rules) and after (labeller). Nothing here reads ``dev/``.

Output: ``model.npz`` (float32 arrays) + ``model.json`` (settings, feature names, metrics). No pickle.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from newsnlp.preprocess.page_features import (
    FEATURES,
    LABELS,
    context_features,
    line_features,
    window_features,
)
from newsnlp.preprocess.page_rules import (
    rule_structure,
)
from newsnlp.preprocess.structure import LineLabeller, label_structure, ranker_features

from byline import byline_group, fit_byline_ranker  # noqa: E402
from byline import cross_validate as byline_cv  # noqa: E402
from labels import build_rows, load_pages, load_scorer  # noqa: E402

WIDTH, CONTEXT = 2, 3
RANKER_HIDDEN = 0  # a tanh layer (16) measured +1 pt title on held-out train sites but is overconfident: see README
VERSION = "1.3"
TITLE_L2 = 1.0  # the title ranker's L2 on standardised features
# The title ranker's page-context feature (title_context.py) and the corpus train part as ranker pages:
# +1.5 points of title in site cross-validation on the train pages and the corpus train part, +3.1 on
# the dev tuning half, but the report half fell 0.871 -> 0.843 (models/pages/README.md, 1.3 tried): off.
# `matched_words` (session 15): cv 0.813 -> 0.841, tuning 0.846 -> 0.862, report 0.871 -> 0.900, but the
# trafilatura dev title as text 0.813 -> 0.750 (under its gate): off too (README).
TITLE_CONTEXT: tuple[str, ...] = ()  # names of title_context.CONTEXT_FEATURES the ranker reads
# The passes standardise each feature by max(std, SCALE_FLOOR): a rare flag (std 0.02) would otherwise
# read 50 standard deviations when it fires, and one weight fitted on a handful of lines would decide
# every page where it fires (session 16: a rule date line two lines below made a breadcrumb body).
SCALE_FLOOR = 0.0
BYLINE_L2 = 10.0  # site cross-validation on the ranker's pages: authors 0.855 at 10, 0.79 at 1


def out_of_fold(rows: list[np.ndarray], labels: list[np.ndarray], fold_of_item: list[int], folds: int,
                c: float) -> list[np.ndarray]:
    """Each page's line probabilities from a model fitted on the other folds' sites (cross-fitting)."""
    probs: list[np.ndarray] = [np.empty(0)] * len(rows)
    for k in range(folds):
        inside = [i for i, f in enumerate(fold_of_item) if f != k]
        mean, scale, model = fit(np.vstack([rows[i] for i in inside]), np.concatenate([labels[i] for i in inside]), c)
        for i, f in enumerate(fold_of_item):
            if f == k:
                probs[i] = _probs(model, (rows[i] - mean) / scale)
    return probs


def fit(features: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    """Standardised multinomial logistic regression on the labelled lines (``y >= 0``)."""
    features, y = features[y >= 0], y[y >= 0]
    mean = features.mean(axis=0)
    scale = np.maximum(features.std(axis=0), SCALE_FLOOR) + 1e-6
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit((features - mean) / scale, y)
    return mean.astype(np.float32), scale.astype(np.float32), model


def train(items: list[dict], c1: float, c2: float, folds: int, title_pages: list[dict] | None = None,
          title_context: tuple[str, ...] = TITLE_CONTEXT, title_l2: float | None = None,
          ) -> tuple[LineLabeller, list[np.ndarray]]:
    """Both passes and the title ranker; later steps learn from earlier steps' out-of-fold output.

    ``title_pages``: more pages (the corpus train part, never seen by the passes) for the title ranker
    only, with their probabilities from the passes fitted here; ``title_context``: the names of
    ``title_context.py``'s features the ranker reads too; ``title_l2``: its L2 (default ``TITLE_L2``).
    Returns the labeller and each item's out-of-fold second-pass probabilities (title column not ranked).
    """
    sites = sorted({it["site"] for it in items})
    fold_of = {site: i % folds for i, site in enumerate(random.Random(1).sample(sites, len(sites)))}
    windows = [window_features(it["rows"], WIDTH) for it in items]
    x1, y = np.vstack(windows), np.concatenate([it["y"] for it in items])
    folds_of_items = [fold_of[it["site"]] for it in items]
    first_probs = out_of_fold(windows, [it["y"] for it in items], folds_of_items, folds, c1)
    mean1, scale1, model1 = fit(x1, y, c1)
    second_rows = [np.hstack([w, context_features(p, CONTEXT)]) for w, p in zip(windows, first_probs)]
    mean2, scale2, model2 = fit(np.vstack(second_rows), y, c2)
    second_probs = out_of_fold(second_rows, [it["y"] for it in items], folds_of_items, folds, c2)
    labeller = LineLabeller(mean1, scale1, *_weights(model1), mean2, scale2, *_weights(model2),
                            width=WIDTH, context=CONTEXT)
    ranked = [(it["text"], it["spans"], it["rows"], p, *_gold_title(it)) for it, p in zip(items, second_probs)]
    for page in title_pages or ():
        rows = line_features(page["text"], page["spans"])
        ranked.append((page["text"], page["spans"], rows, labeller.second_pass(rows, labeller.first_pass(rows)),
                       page["title"], None))
    ranker = fit_title_ranker(ranked, context=title_context, l2=TITLE_L2 if title_l2 is None else title_l2)
    return replace(labeller, **ranker, title_context=tuple(title_context)), second_probs


def _gold_title(item: dict) -> tuple[str | None, int | None]:
    """The line labelled title: its text (the gold title) and index, or (None, None)."""
    gold = np.flatnonzero(item["y"] == LABELS.index("title"))
    return (item["text"][slice(*item["spans"][gold[0]])], int(gold[0])) if len(gold) else (None, None)


def _fold(text: str) -> str:
    """The scorer's folding (case, quote marks, spaces): a title is right when it folds to the gold's."""
    return " ".join(text.lower().replace('"', "").replace("'", "").translate(_NO_QUOTES).split())


_NO_QUOTES = str.maketrans("", "", "“”‘’«»")


def fit_title_ranker(pages: list[tuple], hidden: int = RANKER_HIDDEN, l2: float = TITLE_L2,
                     context: tuple[str, ...] = TITLE_CONTEXT, quiet: bool = False) -> dict[str, np.ndarray]:
    """Conditional logit over each page's title candidates (softmax over lines).

    ``pages``: (text, spans, rows, second-pass probabilities, gold title, index of the line labelled
    title or None). The target is the labelled line; with ``context`` features (or on a page without a
    labelled line) every candidate equal to the gold title after folding is right (a headline the page
    prints twice, in a list and over the text): the loss is minus the log of their summed
    probability. The score of a candidate is linear in its features plus a small tanh layer
    (``hidden`` units).
    Returns the arrays of :class:`LineLabeller` (``title_weights`` with a last constant column, and
    ``title_hidden_w/b/v``), standardisation folded in.
    """
    from scipy.optimize import minimize

    groups, targets = [], []
    for text, spans, rows, p, gold, line in pages:
        if not gold:
            continue
        order, features = ranker_features(text, spans, rows, p, context=context)
        if line is not None and not context:
            right = (order == line).astype(np.float64)
        else:
            right = np.array([_fold(text[slice(*spans[i])]) == _fold(gold) for i in order.tolist()], dtype=np.float64)
        if right.any() and len(order) > 1:
            groups.append(features.astype(np.float64))
            targets.append(right)
    stacked = np.vstack(groups)
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-6
    scaled = [(g - mean) / scale for g in groups]
    d, h = stacked.shape[1], hidden

    def unpack(w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return w[:d], w[d:d + h * d].reshape(h, d), w[d + h * d:d + h * d + h], w[d + h * d + h:]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        u, hw, hb, hv = unpack(w)
        total, grad = 0.5 * l2 * w @ w, l2 * w.copy()
        for g, t in zip(scaled, targets):
            act = np.tanh(g @ hw.T + hb)
            z = g @ u + act @ hv
            z = z - z.max()
            e = np.exp(z)
            total -= np.log((e * t).sum()) - np.log(e.sum())
            r = e / e.sum() - e * t / (e * t).sum()
            grad[:d] += g.T @ r
            grad[d + h * d + h:] += act.T @ r
            back = np.outer(r, hv) * (1 - act * act)
            grad[d:d + h * d] += (back.T @ g).ravel()
            grad[d + h * d:d + h * d + h] += back.sum(axis=0)
        return total, grad

    start = np.concatenate([np.zeros(d), np.random.default_rng(0).normal(0, 0.1, h * d + 2 * h)])
    result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 300})
    u, hw, hb, hv = unpack(result.x)
    accuracy = np.mean([t[int(np.argmax(g @ u + np.tanh(g @ hw.T + hb) @ hv))] for g, t in zip(scaled, targets)])
    if not quiet:
        print(f"title ranker: {len(groups)} pages, train accuracy {accuracy:.3f}", flush=True)
    shift = mean / scale
    return {
        "title_weights": np.append(u / scale, -shift @ u).astype(np.float32),
        "title_hidden_w": (hw / scale).astype(np.float32),
        "title_hidden_b": (hb - hw @ shift).astype(np.float32),
        "title_hidden_v": hv.astype(np.float32),
    }


def _weights(model: LogisticRegression) -> tuple[np.ndarray, np.ndarray]:
    """Weights and bias in LABELS order, float32."""
    order = [list(model.classes_).index(k) for k in range(len(LABELS))]
    return model.coef_[order].T.astype(np.float32), model.intercept_[order].astype(np.float32)


def _probs(model: LogisticRegression, x: np.ndarray) -> np.ndarray:
    full = np.zeros((len(x), len(LABELS)), dtype=np.float32)
    full[:, model.classes_] = model.predict_proba(x)
    return full


def page_scores(items: list[dict], predict, scorer) -> dict[str, float]:
    """Body P/R/F1 and title accuracy as ``score_pages.py`` counts them, plus author and date."""
    sums, n, n_author, n_date = Counter(), 0, 0, 0
    for it in items:
        page = it["page"]
        if page is None or page.get("partial_body"):  # body gold incomplete: not scored here
            continue
        structure = predict(it)
        text = it["text"]
        body = "\n".join(text[b.start:b.end] for b in structure.blocks if b.role == "body")
        p, r, f = scorer.prf(scorer.tokens(body), scorer.tokens(page["body"]))
        sums["body_p"] += p
        sums["body_r"] += r
        sums["body_f1"] += f
        title = text[slice(*structure.title)] if structure.title else ""
        sums["title_acc"] += scorer.fold(title) == scorer.fold(page["title"])
        n += 1
        if page.get("author"):
            n_author += 1
            author = text[slice(*structure.author)] if structure.author else ""
            sums["author_acc"] += scorer.fold(page["author"]) in scorer.fold(author)
        if page.get("date"):
            n_date += 1
            sums["date_acc"] += (structure.published or "").startswith(page["date"])
    out = {k: round(sums[k] / max(1, n), 4) for k in ("body_p", "body_r", "body_f1", "title_acc")}
    out["author_acc"] = round(sums["author_acc"] / max(1, n_author), 4)
    out["date_acc"] = round(sums["date_acc"] / max(1, n_date), 4)
    out["pages"] = n
    return out


def cross_validate(items: list[dict], scorer, folds: int, c1: float, c2: float) -> tuple[dict, dict]:
    """Site-fold cross-validation on train: (rules, labeller) page scores over the held-out folds."""
    sites = sorted({it["site"] for it in items})
    fold_of = {site: i % folds for i, site in enumerate(random.Random(7).sample(sites, len(sites)))}
    held: list[dict] = []
    for k in range(folds):
        inside = [it for it in items if fold_of[it["site"]] != k]
        labeller, _ = train(inside, c1, c2, folds=3)
        for it in items:
            if fold_of[it["site"]] == k and it["page"] is not None:
                it["probs"] = labeller.predict(it["text"], it["spans"])
                held.append(it)
    rules = page_scores(held, lambda it: rule_structure(it["text"], it["spans"]), scorer)
    learned = page_scores(held, lambda it: label_structure(it["text"], it["spans"], it["probs"]), scorer)
    return rules, learned


def with_byline_ranker(labeller: LineLabeller, items: list[dict], second_probs: list[np.ndarray], corpus: Path,
                       scorer, l2: float = BYLINE_L2) -> tuple[LineLabeller, dict]:
    """The labeller with a byline ranker trained on ``train/`` pages naming an author (out-of-fold
    probabilities) and the corpus's train part (the labeller's own probabilities: it never saw them)."""
    groups, sites = [], []
    for it, probs in zip(items, second_probs):
        if it["page"] is not None and it["page"].get("author"):
            group = byline_group(it["text"], it["spans"], it["rows"], labeller.rank_titles(it["text"], it["spans"], it["rows"], probs),
                                 it["page"]["author"], scorer.fold)
            if group is not None:
                groups.append(group)
                sites.append(it["site"])
    for page in load_pages(corpus / "train", scorer):
        rows = line_features(page["text"], page["spans"])
        group = byline_group(page["text"], page["spans"], rows, labeller.predict_rows(page["text"], page["spans"], rows), page.get("author"),
                             scorer.fold)
        if group is not None:
            groups.append(group)
            sites.append(page["site"])
    metrics = byline_cv(groups, sites, l2=l2)
    print(f"byline ranker: {len(groups)} pages, site cross-validation {metrics}", flush=True)
    return replace(labeller, byline_weights=fit_byline_ranker(groups, l2)), metrics


def save(labeller: LineLabeller, out: Path, metrics: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    arrays = {key: getattr(labeller, key) for key in
              ("mean1", "scale1", "weights1", "bias1", "mean2", "scale2", "weights2", "bias2", "title_weights",
               "title_hidden_w", "title_hidden_b", "title_hidden_v", "byline_weights")
              if getattr(labeller, key) is not None}
    np.savez_compressed(out / "model.npz", **arrays)
    config = {"version": VERSION, "labels": list(LABELS), "features": list(FEATURES), "width": labeller.width,
              "context": labeller.context, "metrics": metrics}
    if labeller.title_context:  # a ranker without context (1.2) writes what it always wrote
        config["title_context"] = list(labeller.title_context)
    (out / "model.json").write_text(json.dumps(config, indent=1, ensure_ascii=False) + "\n", "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "pages")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "model")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="also train on a partial-gold corpus (build_corpus.py); off for the shipped model: see README")
    ap.add_argument("--byline-corpus", type=Path, default=None,
                    help="train the byline ranker on this corpus's train part too (the shipped model: "
                         "models/pages/corpus/trafilatura)")
    ap.add_argument("--byline-l2", type=float, default=BYLINE_L2)
    ap.add_argument("--title-corpus", type=Path, action="append", default=[],
                    help="train the title ranker on this corpus's train part too (repeatable; the passes never "
                         "see it): models/pages/corpus/trafilatura (build_corpus.py), models/pages/corpus/goose3 "
                         "(build_goose.py)")
    ap.add_argument("--title-context", nargs="?", const="main_overlap", default="",
                    help="comma-separated title_context.py features the title ranker reads (bare: main_overlap, "
                         "tried for 1.3, not shipped: see README)")
    ap.add_argument("--title-l2", type=float, default=TITLE_L2)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c1", type=float, default=0.3)
    ap.add_argument("--c2", type=float, default=0.3)
    ap.add_argument("--scale-floor", type=float, default=SCALE_FLOOR)
    ap.add_argument("--no-save", action="store_true")
    a = ap.parse_args()
    globals()["SCALE_FLOOR"] = a.scale_floor  # fit() reads it (also in the cross-validation)
    started = time.time()
    scorer = load_scorer(a.data)
    pages = load_pages(a.data / "train", scorer)
    if a.corpus is not None:  # partial-gold pages (build_corpus.py)
        pages += load_pages(a.corpus / "train", scorer)
    items = build_rows(pages, scorer, clean=True)
    counts = Counter(lab for it in items for lab in it["labels"])
    print(f"{len(pages)} pages, {len(items)} items, lines by role {dict(counts)} ({time.time() - started:.0f}s)", flush=True)
    metrics: dict = {"train_lines": dict(counts)}
    if a.folds > 1:
        rules, learned = cross_validate(items, scorer, a.folds, a.c1, a.c2)
        print("cv rules  ", rules, flush=True)
        print("cv learned", learned, flush=True)
        metrics.update({"cv_rules": rules, "cv_labeller": learned})
    title_pages = [page for corpus in a.title_corpus for page in load_pages(corpus / "train", scorer)] or None
    context = tuple(name for name in a.title_context.split(",") if name) or TITLE_CONTEXT
    labeller, second_probs = train(items, a.c1, a.c2, folds=a.folds if a.folds > 1 else 5, title_pages=title_pages,
                                   title_context=context, title_l2=a.title_l2)
    if a.byline_corpus is not None:
        labeller, metrics["byline_ranker"] = with_byline_ranker(labeller, items, second_probs, a.byline_corpus, scorer,
                                                                l2=a.byline_l2)
    if not a.no_save:
        save(labeller, a.out, metrics)
        print("saved", a.out, f"({time.time() - started:.0f}s)")


if __name__ == "__main__":
    main()
