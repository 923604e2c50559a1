"""Recipe of the speaker chooser of ``quotes_en`` (``model/speakers``): a conditional logit over a
quote's candidate speakers.

Data: ``../shared/data/quotes/train.jsonl`` (331 PolNeAR articles; research/evaluation terms, see
the card). Never the dev gold: its TUNING part (``dev_split.py``) only picks the override margin
and which quote kinds the chooser may touch.

    export PYTHONPATH=src OMP_NUM_THREADS=1
    python models/quotes_en/train_speakers.py fit /tmp/qen/train models/quotes_en/model/speakers [--l2 1.0]
    python models/quotes_en/train_speakers.py cv /tmp/qen/train - --l2 3.0 --margins 0.05   # train alone, by article
    python models/quotes_en/train_speakers.py sweep /tmp/qen/dev models/quotes_en/model/speakers --margins 0,0.05,0.1,0.2

Steps of ``fit``: the whole English quote stage (rules and the other learned parts) runs over each
parsed training article; every quote that overlaps a gold attribution by half of both spans (the
scorer's rule) becomes one group: its candidates from
:func:`newsnlp.quotes.english_speakers.candidates`, a candidate positive when its span touches the
gold source span (or both are empty). Groups without a positive candidate are left out. The weights
maximise the log of the softmax probability of the positive candidates (L2 penalty ``--l2``),
fitted with L-BFGS, saved as ``weights.npz`` + ``config.json`` (no pickle).
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
from train import _norm, _ratio  # noqa: E402

VERSION = "1.2"
TRAIN = HERE.parents[1].parent / "shared" / "data" / "quotes" / "train.jsonl"


def groups(cache: Path, gold_path: Path) -> tuple[list[list[list[str]]], list[list[int]], list[str], Counter[str]]:
    """Per matched quote: its candidates' features and 0/1 labels, and the article id."""
    from newsnlp.quotes.english import EnglishQuotes
    from newsnlp.quotes.english_speakers import candidates

    class Recorder(EnglishQuotes):
        captured: ClassVar[list[Any]] = []

        def _speakers(self, doc: Any, quotes: list[Any]) -> list[Any]:
            self.captured.extend(zip(quotes, candidates(self, doc, quotes)))
            return quotes

    gold = {row["id"]: row for row in map(json.loads, gold_path.read_text("utf-8").splitlines())}
    recorder = Recorder()
    feats, labels, ids, stats = [], [], [], Counter()
    for work in parse_cache.load(cache):
        if work.en_doc is None:
            continue
        recorder.captured = []
        recorder(work.en_doc)
        text, view = work.text, work.en_view
        golds = [(_norm(tuple(q["quote"]), text), q["speaker"]) for q in gold[work.id]["quotes"]]
        for quote, mentions in recorder.captured:
            span = _norm(view.to_source(quote.start, quote.end), text)
            best = max(golds, key=lambda g: _ratio(span, g[0]), default=None)
            if best is None or _ratio(span, best[0]) < 0.5 or not mentions:
                stats["unmatched"] += 1
                continue
            g_speaker = best[1]
            row = []
            for m in mentions:
                if m.span is None:
                    row.append(int(g_speaker is None))
                else:
                    s = view.to_source(*m.span)
                    row.append(int(g_speaker is not None and min(s[1], g_speaker[1]) > max(s[0], g_speaker[0])))
            stats["groups"] += 1
            if not any(row):
                stats["no_positive"] += 1
                continue
            stats["rules_right"] += int(any(y and m.rules for y, m in zip(row, mentions)))
            stats["kept"] += 1
            stats["candidates"] += len(row)
            feats.append([m.features for m in mentions])
            labels.append(row)
            ids.append(work.id)
    return feats, labels, ids, stats


def _objective(w: np.ndarray, x: Any, y: np.ndarray, starts: np.ndarray, l2: float,
               weights: np.ndarray) -> tuple[float, np.ndarray]:
    """Weighted negative log likelihood of the positives under each group's softmax, and its gradient."""
    s = x @ w
    top = np.maximum.reduceat(s, starts)
    sizes = np.diff(np.append(starts, len(s)))
    e = np.exp(s - np.repeat(top, sizes))
    total = np.add.reduceat(e, starts)
    pos = np.add.reduceat(e * y, starts)
    loss = float(np.sum(weights * (np.log(total) - np.log(pos)))) + 0.5 * l2 * float(w @ w)
    p_all = e / np.repeat(total, sizes)
    p_pos = e * y / np.repeat(pos, sizes)
    grad = x.T @ ((p_all - p_pos) * np.repeat(weights, sizes)) + l2 * w
    return loss, grad


def _design(feats: list[list[list[str]]], labels: list[list[int]], vocabulary: dict[str, int],
            marked: float) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    """The sparse candidate matrix, labels, group starts and group weights."""
    from scipy.sparse import csr_matrix

    rows, cols, starts, y, weights = [], [], [], [], []
    r = 0
    for group, row in zip(feats, labels):
        starts.append(r)
        # Quotes in quotation marks (their candidates carry 'D|' features) weigh ``marked`` times.
        weights.append(marked if any(f.startswith("D|") for f in group[0]) else 1.0)
        for fs, label in zip(group, row):
            for col in {vocabulary[f] for f in fs if f in vocabulary}:
                rows.append(r)
                cols.append(col)
            y.append(label)
            r += 1
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(r, len(vocabulary)))
    return x, np.array(y, dtype=float), np.array(starts), np.array(weights)


def _train(feats: list[list[list[str]]], labels: list[list[int]], l2: float, min_count: int,
           marked: float) -> tuple[dict[str, int], np.ndarray, Any]:
    from scipy.optimize import minimize

    counts = Counter(f for group in feats for fs in group for f in set(fs))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    x, y, starts, weights = _design(feats, labels, vocabulary, marked)
    result = minimize(_objective, np.zeros(len(vocabulary)), args=(x, y, starts, l2, weights),
                      jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return vocabulary, result.x, result


def fit(cache: Path, out: Path, l2: float, min_count: int, marked: float = 1.0) -> None:
    """Train on the cached PolNeAR train articles and write ``out``."""
    feats, labels, ids, stats = groups(cache, TRAIN)
    print(dict(stats), file=sys.stderr)
    vocabulary, weights, result = _train(feats, labels, l2, min_count, marked)
    r = sum(len(row) for row in labels)
    print(f"{len(feats)} groups, {r} candidates, {len(vocabulary)} features; loss {result.fun:.1f} ({result.message})",
          file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "weights.npz", coef=weights.astype(np.float32))
    previous = json.loads((out / "config.json").read_text("utf-8")) if (out / "config.json").is_file() else {}
    config = {"version": VERSION, "margin": previous.get("margin", 0.0), "kinds": previous.get("kinds", ["direct", "mixed"]),
              "l2": l2, "marked_weight": marked, "min_count": min_count, "groups": len(feats), "candidates": r,
              "rules_right": stats["rules_right"], "no_positive": stats["no_positive"], "vocabulary": vocabulary}
    (out / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=0), "utf-8")


def cross_validate(cache: Path, l2: float, min_count: int, margin: float, folds: int = 5) -> None:
    """Grouped (by article) ``folds``-fold check on PolNeAR train alone: how often the rules' speaker
    and the chooser's (at ``margin``) touch the gold source, over the held-out groups with a right candidate."""
    from newsnlp.quotes.english_speakers import Mention, SpeakerModel

    feats, labels, ids, _ = groups(cache, TRAIN)
    articles = sorted(set(ids))
    fold_of = {a: n % folds for n, a in enumerate(articles)}
    tally: Counter[str] = Counter()
    for fold in range(folds):
        train = [n for n, a in enumerate(ids) if fold_of[a] != fold]
        vocabulary, weights, _ = _train([feats[n] for n in train], [labels[n] for n in train], l2, min_count, 1.0)
        model = SpeakerModel(vocabulary, weights, margin, frozenset({"direct", "mixed", "indirect"}))
        for n, a in enumerate(ids):
            if fold_of[a] != fold:
                continue
            mentions = [Mention(None, None, fs, rules=any(f == "rules" for f in fs)) for fs in feats[n]]
            rules = next((i for i, m in enumerate(mentions) if m.rules), None)
            best = model.choose(mentions)
            chosen = mentions.index(best) if best is not None else rules
            kind = "marked" if any(f.startswith("D|") for f in feats[n][0]) else "indirect"
            tally[kind] += 1
            tally[kind + " rules"] += int(rules is not None and labels[n][rules] == 1)
            tally[kind + " chooser"] += int(chosen is not None and labels[n][chosen] == 1)
    for kind in ("marked", "indirect"):
        print(f"{kind}: {tally[kind]} groups; rules right {tally[kind + ' rules'] / tally[kind]:.4f}, "
              f"chooser right {tally[kind + ' chooser'] / tally[kind]:.4f}")


def sweep(cache: Path, folder: Path, margins: list[float], kinds: list[list[str]]) -> None:
    """Score the dev cache at each margin and kinds setting on both parts; the setting with the best
    mean of the three tuning-part scores is written to ``config.json``."""
    from dev_split import score

    from newsnlp.quotes.english_speakers import shipped_speaker_model

    path = folder / "config.json"
    config = json.loads(path.read_text("utf-8"))
    best: tuple[float, float, list[str]] | None = None
    for kind_set in kinds:
        for margin in margins:
            config["margin"], config["kinds"] = margin, kind_set
            path.write_text(json.dumps(config, ensure_ascii=False, indent=0), "utf-8")
            shipped_speaker_model.cache_clear()
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "sweep.jsonl"
                parse_cache.quotes(cache, out)
                result = score(out)
            print(f"kinds={'+'.join(kind_set)} margin={margin}", " | ".join(
                part + " " + " ".join(f"{v:.4f}" for v in metrics.values()) for part, metrics in result.items()), flush=True)
            mean = sum(result["tuning"].values()) / len(result["tuning"])
            if best is None or mean > best[0]:
                best = (mean, margin, kind_set)
    assert best is not None
    config["margin"], config["kinds"] = best[1], best[2]
    path.write_text(json.dumps(config, ensure_ascii=False, indent=0), "utf-8")
    print(f"kept margin={best[1]} kinds={'+'.join(best[2])}", file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("fit", "sweep", "cv"))
    parser.add_argument("cache", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--marked", type=float, default=1.0, help="weight of direct and mixed quotes' groups")
    parser.add_argument("--margins", default="0,0.1,0.2,0.3")
    parser.add_argument("--kinds", default="direct+mixed,direct+mixed+indirect")
    args = parser.parse_args()
    if args.command == "fit":
        fit(args.cache, args.folder, args.l2, args.min_count, args.marked)
    elif args.command == "cv":  # FOLDER is not written; --margins gives the one margin
        cross_validate(args.cache, args.l2, args.min_count, float(args.margins.split(",")[0]))
    else:
        sweep(args.cache, args.folder, [float(m) for m in args.margins.split(",")],
              [k.split("+") for k in args.kinds.split(",")])
