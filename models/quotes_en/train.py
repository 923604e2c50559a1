"""Recipe of the ``quotes_en`` model: a logistic regression choosing English indirect attributions.

Data: ``../shared/data/quotes/train.jsonl`` (331 PolNeAR articles, every attribution annotated;
research/evaluation terms, see the card). Never the dev gold: the dev TUNING part (see
``dev_split.py``) only picks the decision threshold.

    export PYTHONPATH=src OMP_NUM_THREADS=1
    python models/quotes_en/parse_cache.py build ../shared/data/quotes/train.jsonl /tmp/qen/train
    python models/quotes_en/parse_cache.py build ../shared/eval/quotes/dev.jsonl /tmp/qen/dev
    python models/quotes_en/train.py fit /tmp/qen/train models/quotes_en/model [--c 0.5]
    python models/quotes_en/train.py threshold /tmp/qen/dev models/quotes_en/model   # sweeps on the tuning part
    python models/quotes_en/train.py cv-fragments /tmp/qen/train - --c 0.05 --thresholds 0.3,0.35,0.4  # train-only check
    python models/quotes_en/train.py cv /tmp/qen/train - --c 0.25 --thresholds 0.25,0.3,0.35   # the same for the indirect scorer

Steps of ``fit``: the rules run over each parsed training article (direct and mixed quotes, and
their own indirect proposals); :func:`newsnlp.quotes.english_model.candidates` lists every
candidate content; a candidate is positive when it overlaps a gold attribution by half of both
spans (the scorer's rule, after trimming quotation marks and punctuation) and its speaker is
right (touches the gold source span, or both are empty). Features seen at least ``--min-count``
times form the vocabulary; scikit-learn's ``LogisticRegression`` fits the weights, saved as
``weights.npz`` + ``config.json`` (no pickle).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import parse_cache  # noqa: E402  (the recipe folder is not a package)

EVAL = HERE.parents[1].parent / "shared" / "eval"
STRIP = set(" \t\r\n\u00a0,.;:!?\"'\u201c\u201d\u2018\u2019\u201e\u201f\u00ab\u00bb")
VERSION = "1.4"


def _norm(span: tuple[int, int], text: str) -> tuple[int, int]:
    start, end = span
    while start < end and text[start] in STRIP:
        start += 1
    while end > start and text[end - 1] in STRIP:
        end -= 1
    return (start, end) if end > start else span


def _ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / max(a[1] - a[0], b[1] - b[0], 1) if inter > 0 else 0.0


def labelled_candidates(cache: Path, gold_path: Path, fragments: bool = False) -> tuple[list[list[str]], list[int], list[str]]:
    """Features, labels and article ids of every candidate in the cached articles: indirect
    candidates (any gold kind is a positive), or with ``fragments`` the clauses around quoted
    fragments (only a gold mixed quote is a positive)."""
    from newsnlp.quotes.english import EnglishQuotes
    from newsnlp.quotes.english_fragments import fragment_candidates
    from newsnlp.quotes.english_model import candidates

    class Recorder(EnglishQuotes):
        learned = False
        captured: ClassVar[list[Any]] = []

        def _extents(self, doc: Any, quotes: list[Any], quoted: list[tuple[int, int]]) -> list[Any]:
            if fragments:
                self.captured.extend(fragment_candidates(self, doc, quotes, quoted))
            return quotes

        def _reported(self, doc: Any, quotes: list[Any]) -> list[Any]:
            proposed = self._indirect(doc, quotes)
            if not fragments:
                self.captured.extend(candidates(self, doc, quotes, proposed))
            return proposed

    gold = {row["id"]: row for row in map(json.loads, gold_path.read_text("utf-8").splitlines())}
    recorder = Recorder()
    features, labels, ids = [], [], []
    for work in parse_cache.load(cache):
        if work.en_doc is None:
            continue
        recorder.captured = []  # the finder works on a copy of itself per document: it fills this same list
        recorder(work.en_doc)
        text, view = work.text, work.en_view
        golds = [(_norm(tuple(q["quote"]), text), q["speaker"]) for q in gold[work.id]["quotes"]
                 if not fragments or q["kind"] == "mixed"]
        for cand in recorder.captured:
            quote = cand.quote
            span = _norm(view.to_source(quote.start, quote.end), text)
            speaker = view.to_source(*quote.speaker) if quote.speaker else None
            positive = any(_ratio(span, g) >= 0.5 and (
                (g_speaker is None and speaker is None)
                or (g_speaker is not None and speaker is not None and min(speaker[1], g_speaker[1]) > max(speaker[0], g_speaker[0])))
                for g, g_speaker in golds)
            features.append(cand.features)
            labels.append(int(positive))
            ids.append(work.id)
    return features, labels, ids


def _matrix(features: list[list[str]], vocabulary: dict[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for r, feats in enumerate(features):
        for col in {vocabulary[f] for f in feats if f in vocabulary}:
            rows.append(r)
            cols.append(col)
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(features), len(vocabulary)))


def fit(cache: Path, out: Path, c: float, min_count: int, fragments: bool = False) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score

    train = HERE.parents[1].parent / "shared" / "data" / "quotes" / "train.jsonl"
    features, labels, ids = labelled_candidates(cache, train, fragments)
    counts = Counter(f for feats in features for f in set(feats))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count and f != "bias"))}
    x, y = _matrix(features, vocabulary), np.array(labels)
    print(f"{len(labels)} candidates, {int(y.sum())} positive, {len(vocabulary)} features", file=sys.stderr)
    model = LogisticRegression(C=c, max_iter=2000)
    cv = cross_val_score(model, x, y, groups=ids, cv=GroupKFold(5), scoring="neg_log_loss")
    print(f"C={c}: grouped 5-fold log loss {-cv.mean():.4f}", file=sys.stderr)
    model.fit(x, y)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "weights.npz", coef=model.coef_[0].astype(np.float32))
    previous = json.loads((out / "config.json").read_text("utf-8")) if (out / "config.json").is_file() else {}
    config = {"version": VERSION, "threshold": previous.get("threshold", 0.5), "bias": float(model.intercept_[0]),
              "c": c, "min_count": min_count, "candidates": len(labels), "positives": int(y.sum()),
              "cv_log_loss": float(-cv.mean()), "vocabulary": vocabulary}
    (out / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=0), "utf-8")


def sweep(cache: Path, folder: Path, thresholds: list[float], metric: str = "all_e2e_f1") -> None:
    """Score the dev cache at each threshold on both parts; the best tuning-part ``metric`` is kept."""
    from dev_split import score

    from newsnlp.quotes.english_model import shipped_fragment_model, shipped_model

    path = folder / "config.json"
    config = json.loads(path.read_text("utf-8"))
    results = {}
    for threshold in thresholds:
        config["threshold"] = threshold
        path.write_text(json.dumps(config, ensure_ascii=False, indent=0), "utf-8")
        shipped_model.cache_clear()
        shipped_fragment_model.cache_clear()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.jsonl"
            parse_cache.quotes(cache, out)
            results[threshold] = score(out)
        print(threshold, json.dumps(results[threshold]), flush=True)
    config["threshold"] = max(results, key=lambda t: results[t]["tuning"][metric])
    config["dev"] = results[config["threshold"]]
    path.write_text(json.dumps(config, ensure_ascii=False, indent=0), "utf-8")
    print("chosen", config["threshold"], file=sys.stderr)


def cv_fragments(cache: Path, c: float, thresholds: list[float], min_count: int = 2,
                 fragments: bool = True) -> dict[float, list[float]]:
    """End-to-end check of the fragment scorer (or with ``fragments=False`` the indirect scorer) on
    PolNeAR train alone: 5 folds grouped by article, each article's candidates scored by a model
    fitted without it, the whole quote stage run and the train gold scoring it (direct,
    direct+mixed, all). The other learned parts were trained on these articles, so the figures
    compare scorers, not the stage."""
    from sklearn.linear_model import LogisticRegression

    from newsnlp.config import Settings
    from newsnlp.quotes import english
    from newsnlp.quotes.english_model import AttributionModel
    from newsnlp.quotes.stage import QuoteStage

    sys.path.insert(0, str(EVAL))
    import score_quotes
    from evaluate import quote_system

    train = HERE.parents[1].parent / "shared" / "data" / "quotes" / "train.jsonl"
    features, labels, ids = labelled_candidates(cache, train, fragments=fragments)
    fold = {article: n % 5 for n, article in enumerate(sorted(set(ids)))}
    models = {}
    for k in range(5):
        rows = [n for n, article in enumerate(ids) if fold[article] != k]
        counts = Counter(f for n in rows for f in set(features[n]))
        vocabulary = {f: i for i, f in enumerate(sorted(f for f, m in counts.items() if m >= min_count and f != "bias"))}
        fitted = LogisticRegression(C=c, max_iter=2000).fit(_matrix([features[n] for n in rows], vocabulary),
                                                            np.array([labels[n] for n in rows]))
        models[k] = AttributionModel(vocabulary, fitted.coef_[0].astype(np.float32), float(fitted.intercept_[0]), 0.5)
    gold = {row["id"]: row for row in map(json.loads, train.read_text("utf-8").splitlines())}
    works = parse_cache.load(cache)
    current: dict[str, AttributionModel] = {}
    if fragments:
        english.shipped_fragment_model = lambda: current["model"]  # type: ignore[assignment]  # this process only
    else:
        english.shipped_model = lambda: current["model"]  # type: ignore[assignment]
    stage = QuoteStage(Settings())
    results = {}
    for threshold in thresholds:
        articles = {}
        for work in works:
            current["model"] = models[fold.get(work.id, 0)]
            current["model"].threshold = threshold
            work.quotes.clear()
            stage([work])
            articles[work.id] = work.to_article().to_dict(tokens=False)
        system = quote_system(articles)
        results[threshold] = [score_quotes.score(gold, system, kinds)["overlap"]["e2e_f1"]
                              for kinds in ({"direct"}, {"direct", "mixed"}, None)]
        print(threshold, " ".join(f"{f:.4f}" for f in results[threshold]), flush=True)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("fit", "threshold", "fit-fragments", "threshold-fragments", "cv-fragments", "cv"))
    parser.add_argument("cache", type=Path)
    parser.add_argument("model", type=Path)
    parser.add_argument("--c", type=float, default=0.5)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--thresholds", default="0.35,0.4,0.45,0.5,0.55,0.6")
    args = parser.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    if args.command == "fit":
        fit(args.cache, args.model, args.c, args.min_count)
    elif args.command == "fit-fragments":
        fit(args.cache, args.model / "fragments", args.c, args.min_count, fragments=True)
    elif args.command == "threshold":
        sweep(args.cache, args.model, thresholds)
    elif args.command == "cv":
        cv_fragments(args.cache, args.c, thresholds, args.min_count, fragments=False)  # ``model`` is not used
    elif args.command == "cv-fragments":
        cv_fragments(args.cache, args.c, thresholds, args.min_count)  # ``model`` is not used
    else:
        sweep(args.cache, args.model / "fragments", thresholds, "direct_mixed_e2e_f1")
