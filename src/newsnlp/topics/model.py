"""The topic classifier: one linear model per language behind a single ``TopicModel``.

Saved models are plain data, never pickles: ``model.json`` and ``arrays.npz``, written and
checked by ``storage.py``.

Example:
    >>> model = TopicModel.load(default_model_path())          # doctest: +SKIP
    >>> model.predict(["Stocks fell as the central bank raised rates"])  # doctest: +SKIP
    ['business']
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .encoder import TextEncoder
from .features import cjk_ratio
from .linear import DEFAULT_CONFIGS, LangConfig, LangModel
from .storage import FORMAT_VERSION, LANGUAGES, TopicModelError, read_model, write_model

logger = logging.getLogger(__name__)

def default_model_path() -> Path:
    """Folder of the shipped model (``Settings.topic_model`` or ``$NEWSNLP_TOPIC_MODEL`` replace it)."""
    from newsnlp.shipped import model_dir

    return model_dir("topics")


def detect_lang(text: str) -> str:
    """``"zh"``, ``"en"`` or ``"mixed"`` from the share of CJK ideographs among letters."""
    ratio = cjk_ratio(text)  # one ideograph carries about as much as a short Latin word
    if ratio >= 0.6:
        return "zh"
    if ratio <= 0.15:
        return "en"
    return "mixed"


class TopicModel:
    """Bilingual (English/Chinese) topic classifier with calibrated probabilities.

    Attributes:
        labels: every label the model can return, sorted.
        metadata: free-form JSON-able information (versions, training date, metrics, ...).
    """

    def __init__(self, models: dict[str, LangModel] | None = None, metadata: dict[str, Any] | None = None,
                 configs: dict[str, LangConfig] | None = None, seed: int = 0) -> None:
        self.models: dict[str, LangModel] = dict(models or {})
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.configs: dict[str, LangConfig] = {**DEFAULT_CONFIGS, **(configs or {})}
        self.seed = seed
        self.labels: list[str] = sorted({lab for m in self.models.values() for lab in m.labels})

    # ---- training ---------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str | None] | None = None,
            fine_labels: Sequence[str | None] | None = None,
            encoders: dict[str, TextEncoder] | None = None,
            final_encoders: dict[str, TextEncoder] | None = None) -> "TopicModel":
        """Train one classifier per language found in ``texts`` (``langs`` or detected).

        Mixed-language texts are used for both languages. ``fine_labels`` (optional, one per text,
        e.g. the source's own category) let a language whose config has ``neural`` add the neural head.
        ``encoders`` (optional, per language) are fine-tuned encoders to blend in for short texts
        (see ``LangModel.fit`` for the split they must have been trained on); ``final_encoders``
        (optional, per language, each with an entry in ``encoders``) were trained on all texts and
        replace them once the blend is fitted.
        """
        if set(final_encoders or {}) - set(encoders or {}):
            raise TopicModelError("a final encoder needs the fitting-split encoder of its language in encoders")
        if len(texts) != len(labels) or (langs is not None and len(langs) != len(texts)) or (
                fine_labels is not None and len(fine_labels) != len(texts)):
            raise TopicModelError("texts, labels and langs must have the same length")
        if not texts:
            raise TopicModelError("no training texts")
        resolved = self._resolve_langs(texts, langs)
        self.models = {}
        for lang in LANGUAGES:
            idx = [i for i, lg in enumerate(resolved) if lg in (lang, "mixed")]
            if not idx:
                continue
            logger.info("training %s topic model on %d texts", lang, len(idx))
            fine = None if fine_labels is None else [str(fine_labels[i]) for i in idx]
            self.models[lang] = LangModel.fit([texts[i] for i in idx], [labels[i] for i in idx],
                                              self.configs[lang], seed=self.seed, fine_labels=fine,
                                              encoder=(encoders or {}).get(lang),
                                              final_encoder=(final_encoders or {}).get(lang))
        self.labels = sorted(set(labels))
        return self

    # ---- prediction -------------------------------------------------------------------------
    def _resolve_langs(self, texts: Sequence[str], langs: Sequence[str | None] | None) -> list[str]:
        out = []
        for i, text in enumerate(texts):
            lang = langs[i] if langs is not None else None
            out.append(lang if lang in ("en", "zh", "mixed") else detect_lang(text))
        return out

    def _lang_proba(self, lang: str, texts: list[str]) -> np.ndarray:
        """Probabilities over ``self.labels`` from one language's model (absent labels get 0)."""
        model = self.models[lang]
        out = np.zeros((len(texts), len(self.labels)))
        cols = [self.labels.index(lab) for lab in model.labels]
        out[:, cols] = model.proba(texts)
        return out

    def proba_matrix(self, texts: Sequence[str], langs: Sequence[str | None] | None = None) -> np.ndarray:
        """Probabilities as an array of shape (len(texts), len(self.labels)); rows sum to 1.

        Mixed texts blend both languages' probabilities, weighted by their CJK share; a text in a
        language the model was not trained on goes to the other language's model.
        """
        if not self.models:
            raise TopicModelError("the model is not trained")
        texts = list(texts)
        resolved = self._resolve_langs(texts, langs)
        out = np.zeros((len(texts), len(self.labels)))
        for lang in LANGUAGES:
            idx = [i for i, lg in enumerate(resolved) if lg in (lang, "mixed")]
            if not idx:
                continue
            target = lang if lang in self.models else next(iter(self.models))
            probs = self._lang_proba(target, [texts[i] for i in idx])
            for row, i in enumerate(idx):
                if resolved[i] == "mixed":
                    ratio = cjk_ratio(texts[i])
                    weight = ratio if lang == "zh" else 1.0 - ratio
                else:
                    weight = 1.0
                out[i] += weight * probs[row]
        out /= out.sum(axis=1, keepdims=True)
        return out

    def predict_proba(self, texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[list[tuple[str, float]]]:
        """For each text, every label with its probability, best first."""
        probs = self.proba_matrix(texts, langs)
        result = []
        for row in probs:
            order = np.argsort(-row, kind="stable")
            result.append([(self.labels[j], float(row[j])) for j in order])
        return result

    def predict(self, texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[str]:
        """The most probable label for each text."""
        probs = self.proba_matrix(texts, langs)
        return [self.labels[j] for j in probs.argmax(axis=1)]

    # ---- persistence (see storage.py) ------------------------------------------------------
    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write ``model.json`` and ``arrays.npz`` into ``directory`` (created if needed)."""
        if not self.models:
            raise TopicModelError("cannot save an untrained model")
        return write_model(Path(directory), self.labels, self.models, self.metadata)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> "TopicModel":
        """Load a saved model, refusing anything missing, unknown, malformed or tampered with."""
        labels, models, metadata = read_model(Path(directory))
        model = cls(models, metadata=metadata)
        if model.labels != labels:
            raise TopicModelError("model.json: 'labels' is not the union of the languages' labels")
        return model


__all__ = ["FORMAT_VERSION", "TopicModel", "TopicModelError", "default_model_path", "detect_lang"]
