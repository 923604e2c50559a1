"""Training and evaluation API for topic models.

Example:
    >>> records = [{"text": "Striker scores twice", "label": "sports", "lang": "en"}, ...]  # doctest: +SKIP
    >>> model = train(records)                                                             # doctest: +SKIP
    >>> print(format_report(evaluate(model, dev_records)))                                 # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import logging
import platform
from typing import Any, Iterable, Mapping

import numpy as np
import sklearn

from .encoder import TextEncoder
from .linear import LangConfig
from .model import TopicModel, TopicModelError

logger = logging.getLogger(__name__)

Records = Iterable[Mapping[str, Any]] | Any  # an iterable of dicts or a pandas DataFrame


def _rows(records: Records, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Turn a DataFrame or an iterable of mappings into a list of dicts restricted to ``keys``."""
    if hasattr(records, "to_dict") and hasattr(records, "columns"):  # pandas DataFrame
        records = records.to_dict(orient="records")
    rows = []
    for n, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            raise TopicModelError(f"record {n} is a {type(rec).__name__}, expected a mapping")
        rows.append({k: rec.get(k) for k in keys})
    return rows


def _columns(records: Records, text_key: str, label_key: str, lang_key: str | None, fine_key: str | None = None
             ) -> tuple[list[str], list[str], list[str | None] | None] | tuple[Any, ...]:
    keys = (text_key, label_key) + ((lang_key,) if lang_key else ()) + ((fine_key,) if fine_key else ())
    rows = _rows(records, keys)
    texts, labels, langs, fines = [], [], [], []
    for n, row in enumerate(rows):
        text, label = row[text_key], row[label_key]
        if not isinstance(text, str) or not text.strip():
            raise TopicModelError(f"record {n}: {text_key!r} must be a non-empty string")
        if not isinstance(label, str) or not label:
            raise TopicModelError(f"record {n}: {label_key!r} must be a non-empty string")
        lang = row.get(lang_key) if lang_key else None
        texts.append(text)
        labels.append(label)
        langs.append(lang if isinstance(lang, str) else None)
        if fine_key:
            fine = row.get(fine_key)
            fines.append(str(fine) if fine is not None and str(fine) else label)
    if fine_key:
        return texts, labels, (langs if lang_key else None), fines
    return texts, labels, (langs if lang_key else None)


def train(records: Records, *, text_key: str = "text", label_key: str = "label", lang_key: str | None = "lang",
          configs: dict[str, LangConfig] | None = None, seed: int = 0,
          metadata: dict[str, Any] | None = None, fine_key: str | None = "source_label",
          encoders: dict[str, TextEncoder] | None = None,
          final_encoders: dict[str, TextEncoder] | None = None) -> TopicModel:
    """Train a :class:`TopicModel` from records (dicts or a pandas DataFrame).

    Args:
        records: training records with a text, a label and optionally a language ("en", "zh",
            "mixed"; missing or None = detected from the text).
        text_key, label_key, lang_key: field names; ``lang_key=None`` always detects.
        configs: per-language hyper-parameters overriding ``linear.DEFAULT_CONFIGS``.
        seed: seed for the calibration split and the solver (training is deterministic).
        metadata: extra entries for ``model.metadata``.
        fine_key: field with a finer label inside ``label`` (e.g. the source's own category;
            records without it use their label). Used by the neural head of languages whose config
            has ``neural`` and that have enough texts; ``None`` trains without the head.
        encoders: optional fine-tuned encoders per language, blended in for short texts (built by
            ``models/topics/train_encoder.py`` on the fitting part of ``linear.calibration_split``
            of the same records and seed).
        final_encoders: optional encoders per language trained the same way on all the records
            (``train_encoder.py --all-data``); each replaces its language's entry in ``encoders``
            after the blend weight and temperature are fitted with that one on the held-out split.

    Raises:
        TopicModelError: on empty input or a record without text or label.
    """
    if fine_key:
        texts, labels, langs, fines = _columns(records, text_key, label_key, lang_key, fine_key)
    else:
        (texts, labels, langs), fines = _columns(records, text_key, label_key, lang_key), None
    model = TopicModel(configs=configs, seed=seed)
    model.fit(texts, labels, langs, fine_labels=fines, encoders=encoders, final_encoders=final_encoders)
    model.metadata = {
        "trained_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "n_train": len(texts),
        "seed": seed,
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "sklearn": sklearn.__version__},
        **(metadata or {}),
    }
    return model


def evaluate(model: TopicModel, records: Records, *, text_key: str = "text", label_key: str = "label",
             lang_key: str | None = "lang") -> dict[str, Any]:
    """Score ``model`` on labelled records.

    Returns:
        ``{"n", "accuracy", "macro_f1", "per_label": {label: {precision, recall, f1, support}},
        "confusion": {"labels": [...], "matrix": [[...]]}}``; rows of the matrix are gold labels,
        columns predictions. Macro-F1 averages over the gold labels.
    """
    texts, gold, langs = _columns(records, text_key, label_key, lang_key)
    pred = model.predict(texts, langs)
    labels = sorted(set(gold) | set(pred))
    index = {lab: i for i, lab in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for g, p in zip(gold, pred):
        matrix[index[g], index[p]] += 1
    per_label = {}
    for lab in sorted(set(gold)):
        i = index[lab]
        tp = int(matrix[i, i])
        precision = tp / matrix[:, i].sum() if matrix[:, i].sum() else 0.0
        recall = tp / matrix[i].sum() if matrix[i].sum() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[lab] = {"precision": precision, "recall": recall, "f1": f1, "support": int(matrix[i].sum())}
    return {
        "n": len(gold),
        "accuracy": float(np.trace(matrix) / len(gold)) if gold else 0.0,
        "macro_f1": float(np.mean([v["f1"] for v in per_label.values()])) if per_label else 0.0,
        "per_label": per_label,
        "confusion": {"labels": labels, "matrix": matrix.tolist()},
    }


def format_report(result: Mapping[str, Any]) -> str:
    """Human-readable text of an :func:`evaluate` result."""
    lines = [f"n={result['n']}  accuracy={result['accuracy']:.4f}  macro_f1={result['macro_f1']:.4f}",
             f"{'label':<15}{'prec':>7}{'rec':>7}{'f1':>7}{'n':>7}"]
    for lab, m in result["per_label"].items():
        lines.append(f"{lab:<15}{m['precision']:7.3f}{m['recall']:7.3f}{m['f1']:7.3f}{m['support']:7d}")
    labels = result["confusion"]["labels"]
    lines.append("confusion (rows gold, columns predicted): " + " ".join(lab[:4] for lab in labels))
    for lab, row in zip(labels, result["confusion"]["matrix"]):
        lines.append(f"{lab[:12]:<13}" + " ".join(f"{v:4d}" for v in row))
    return "\n".join(lines)
