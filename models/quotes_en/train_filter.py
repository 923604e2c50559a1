"""Recipe of the quotation filter (``quotes_en/model/filter``): a logistic regression that drops
direct quotes unlike any PolNeAR attribution.

Data: ``../shared/data/quotes/train.jsonl`` (331 PolNeAR articles) for the weights; the dev
TUNING part (``dev_split.py``) only chooses the threshold; the report part is only scored.

    export PYTHONPATH=src OMP_NUM_THREADS=1
    python models/quotes_en/train_filter.py collect /tmp/qen/train train.json   # features + labels (scratch)
    python models/quotes_en/train_filter.py collect /tmp/qen/dev dev.json --out dev_articles.jsonl
    python models/quotes_en/train_filter.py fit train.json models/quotes_en/model/filter [--c 0.5]
    python models/quotes_en/train_filter.py sweep dev.json dev_articles.jsonl models/quotes_en/model/filter

``collect`` (``--kinds direct`` by default; ``direct,mixed`` records mixed quotes too) runs the whole English quote stage (the shipped indirect, extent and speaker models)
over a parse cache (``parse_cache.py``) with the filter switched off and records, for every
direct quote, :func:`newsnlp.quotes.english_filter.quote_features` and its label: positive
when it overlaps a gold attribution of any kind by half of both spans (the scorer's rule) and
its speaker is right (touches the gold source, or both empty). ``sweep`` drops the dev quotes
below each threshold from the unfiltered output and scores both parts; the best tuning-part
sum of the three end-to-end F1 is written to the config.
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
from train import _matrix, _norm, _ratio  # noqa: E402

KINDS = ("direct", "mixed")  # the kinds a threshold may drop (the shipped model: direct only)


def collect(cache: Path, gold_path: Path, out: Path, articles: Path | None, kinds: tuple[str, ...] = ("direct",)) -> None:
    """Features and labels of every quote of ``kinds`` in the cached articles, written to ``out``."""
    from newsnlp.config import Settings
    from newsnlp.quotes.english import EnglishQuotes
    from newsnlp.quotes.english_filter import quote_features
    from newsnlp.quotes.stage import QuoteStage

    class Recorder(EnglishQuotes):
        captured: ClassVar[list[Any]] = []

        def _filter(self, doc: Any, quotes: list[Any]) -> list[Any]:
            self.captured.extend((q, quote_features(self, doc, quotes, i)) for i, q in enumerate(quotes) if q.kind in kinds)
            return quotes

    gold = {row["id"]: row for row in map(json.loads, gold_path.read_text("utf-8").splitlines()) if row}
    stage = QuoteStage(Settings())
    recorder = stage.english = Recorder()
    rows = []
    sink = articles.open("w", encoding="utf-8") if articles else None
    for work in parse_cache.load(cache):
        recorder.captured = []
        work.quotes.clear()
        stage([work])
        if sink is not None:
            sink.write(json.dumps(work.to_article().to_dict(tokens=False), ensure_ascii=False) + "\n")
        if work.en_doc is None:
            continue
        text, view = work.text, work.en_view
        golds = [(_norm(tuple(q["quote"]), text), q["speaker"]) for q in gold[work.id]["quotes"]]
        for quote, features in recorder.captured:
            start, end = view.to_source(quote.start, quote.end)
            span = _norm((start, end), text)
            speaker = view.to_source(*quote.speaker) if quote.speaker else None
            positive = any(_ratio(span, g) >= 0.5 and (
                (g_speaker is None and speaker is None)
                or (g_speaker is not None and speaker is not None and min(speaker[1], g_speaker[1]) > max(speaker[0], g_speaker[0])))
                for g, g_speaker in golds)
            rows.append({"id": work.id, "start": start, "end": end, "kind": quote.kind, "y": int(positive),
                         "features": features})
    if sink is not None:
        sink.close()
    out.write_text(json.dumps(rows), "utf-8")
    print(f"{len(rows)} quotes, {sum(r['y'] for r in rows)} positive", file=sys.stderr)


def fit(data: Path, out: Path, c: float, min_count: int) -> None:
    """Fit the weights on the collected training quotes; write ``weights.npz`` + ``config.json``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_score

    rows = json.loads(data.read_text("utf-8"))
    features = [r["features"] for r in rows]
    counts = Counter(f for feats in features for f in set(feats))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count and f != "bias"))}
    x, y = _matrix(features, vocabulary), np.array([r["y"] for r in rows])
    model = LogisticRegression(C=c, max_iter=2000)
    cv = cross_val_score(model, x, y, groups=[r["id"] for r in rows], cv=GroupKFold(5), scoring="neg_log_loss")
    print(f"{len(rows)} quotes, {int(y.sum())} positive, {len(vocabulary)} features; C={c}: "
          f"grouped 5-fold log loss {-cv.mean():.4f}", file=sys.stderr)
    model.fit(x, y)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "weights.npz", coef=model.coef_[0].astype(np.float32))
    previous = json.loads((out / "config.json").read_text("utf-8")) if (out / "config.json").is_file() else {}
    kinds = sorted({r["kind"] for r in rows})
    config = {"version": "1.3", "thresholds": previous.get("thresholds", dict.fromkeys(kinds, 0.2)), "kinds_trained": kinds,
              "bias": float(model.intercept_[0]), "c": c, "min_count": min_count, "quotes": len(rows),
              "positives": int(y.sum()), "cv_log_loss": float(-cv.mean()), "vocabulary": vocabulary}
    (out / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=0), "utf-8")


def sweep(data: Path, articles: Path, folder: Path, thresholds: list[float], mixed: list[float]) -> None:
    """Score the unfiltered dev output with the quotes below each (direct, mixed) pair of thresholds dropped."""
    from dev_split import score

    from newsnlp.quotes.english_filter import FilterModel

    model = FilterModel.load(folder)
    low = {(r["id"], r["start"], r["end"], r["kind"]): model.probability(r["features"])
           for r in json.loads(data.read_text("utf-8"))}
    lines = articles.read_text("utf-8").splitlines()
    results = {}
    for threshold in [(d, m) for d in thresholds for m in mixed]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "out.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for line in lines:
                    article = json.loads(line)
                    article["quotes"] = [q for q in article["quotes"]
                                         if low.get((article["id"], q["start"], q["end"], q["kind"]), 1.0)
                                         >= threshold[q["kind"] == "mixed"]]
                    f.write(json.dumps(article, ensure_ascii=False) + "\n")
            results[threshold] = score(path)
        print(f"{threshold[0]},{threshold[1]}", json.dumps(results[threshold]), flush=True)
    config_path = folder / "config.json"
    config = json.loads(config_path.read_text("utf-8"))
    best = max(results, key=lambda t: (sum(results[t]["tuning"].values()), -sum(t)))
    config["thresholds"] = {kind: t for kind, t in zip(KINDS, best) if t > 0}  # 0: that kind is never dropped
    config["dev"] = results[best]
    config_path.write_text(json.dumps(config, ensure_ascii=False, indent=0), "utf-8")
    print("chosen", best, file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("collect", "fit", "sweep"))
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--gold", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--c", type=float, default=0.5)
    parser.add_argument("--kinds", default="direct", help="collect: the quote kinds recorded (direct,mixed)")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--thresholds", default="0,0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.5")
    parser.add_argument("--mixed-thresholds", default="0,0.1,0.2,0.3")
    args = parser.parse_args()
    shared = HERE.parents[1].parent / "shared"
    if args.command == "collect":
        gold = args.gold or (shared / ("eval/quotes/dev.jsonl" if "dev" in args.paths[0].name else "data/quotes/train.jsonl"))
        collect(args.paths[0], gold, args.paths[1], args.out, tuple(args.kinds.split(",")))
    elif args.command == "fit":
        fit(args.paths[0], args.paths[1], args.c, args.min_count)
    else:
        sweep(args.paths[0], args.paths[1], args.paths[2], [float(t) for t in args.thresholds.split(",")],
              [float(t) for t in args.mixed_thresholds.split(",")])
