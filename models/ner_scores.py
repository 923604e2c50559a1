"""NER scores shared by the entity recipes (``models/en_ner``, ``models/zh_ner``).

Exact (start, end, label) match, micro over the scored labels: the logic of
``../shared/eval/score_ner.py``, so a recipe's dev figures read like the scorer's.
"""

from __future__ import annotations

from typing import Iterable, Sequence


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 in percent (two decimals), with the counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * f, 2),
            "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def score(gold_recs: Sequence[dict], preds: Iterable[set], labels: Sequence[str]) -> dict:
    """Micro and per-label scores of predicted ``(start, end, label)`` sets against gold records."""
    cnt = {label: [0, 0, 0] for label in labels}
    for record, predicted in zip(gold_recs, preds):
        gold = {(e["start"], e["end"], e["label"]) for e in record["entities"] if e["label"] in labels}
        for label in labels:
            g = {e for e in gold if e[2] == label}
            s = {e for e in predicted if e[2] == label}
            cnt[label][0] += len(g & s)
            cnt[label][1] += len(s - g)
            cnt[label][2] += len(g - s)
    total = [sum(cnt[label][i] for label in labels) for i in range(3)]
    return {"overall_micro": prf(*total), "per_label": {label: prf(*cnt[label]) for label in labels}}
