"""newsnlp inside your own spaCy pipeline: the ``newsnlp_entities``, ``newsnlp_topics`` and
``newsnlp_quotes`` components.

Each is a spaCy factory (also published through the ``spacy_factories`` entry point, so
``nlp.add_pipe("newsnlp_quotes")`` works once newsnlp is installed) that runs the same analysis
stage as :func:`newsnlp.analyze` on the ``Doc``'s own text, so every offset is an offset into
``doc.text``. Results land in two places:

* ``doc.spans``: ``"newsnlp_entities"`` (one span per mention, ``label_`` PERSON/ORG/COUNTRY/
  LOCATION, ``kb_id_`` the entity id), ``"newsnlp_quotes"`` (``label_`` the kind),
  ``"newsnlp_speakers"`` (``kb_id_`` the speaker's entity id, if any) and ``"newsnlp_cues"``;
  spans snap outwards to token boundaries;
* ``doc._.newsnlp_entities`` / ``doc._.newsnlp_quotes`` / ``doc._.newsnlp_topics``: the exact
  records (``Entity.to_dict()`` …, character offsets) — plain data, so they survive
  ``nlp.pipe(..., n_process=2)``, ``Doc.to_bytes`` and ``DocBin(store_user_data=True)``;
  ``newsnlp_topics`` also sets ``doc.cats``.

English entities read ``doc.ents`` of the pipeline's ``ner`` (add one first) corrected by
newsnlp's news rules; English quotes need its ``parser``. Chinese paragraphs use newsnlp's own
Chinese models whatever the pipeline. ``newsnlp_quotes`` links speakers to the entities of an
earlier ``newsnlp_entities``. Unlike :func:`newsnlp.analyze`, the whole ``Doc`` is analysed:
there is no boilerplate removal (a ``Doc`` is what you chose to parse).

Example:
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("newsnlp_entities")
    >>> doc = nlp("Talks between China and Japan resumed.")
    >>> [(s.text, s.label_, s.kb_id_) for s in doc.spans["newsnlp_entities"]]
    [('China', 'COUNTRY', 'e0'), ('Japan', 'COUNTRY', 'e1')]
    >>> [(e["name"], e["iso"]) for e in doc._.newsnlp_entities]
    [('China', 'CN'), ('Japan', 'JP')]
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import replace
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import minibatch

from newsnlp.config import Settings
from newsnlp.document import Work
from newsnlp.model import Entity, Quote, Span
from newsnlp.preprocess.textview import TextView

logger = logging.getLogger(__name__)

ENTITY_SPANS = "newsnlp_entities"
QUOTE_SPANS = "newsnlp_quotes"
SPEAKER_SPANS = "newsnlp_speakers"
CUE_SPANS = "newsnlp_cues"
EXTENSIONS = ("newsnlp_entities", "newsnlp_topics", "newsnlp_quotes")
# A Doc's preprocessing (structure, views, Chinese words), shared by the components that see it.
_PREPROCESSED: "weakref.WeakKeyDictionary[Doc, Work]" = weakref.WeakKeyDictionary()


def register_extensions() -> None:
    """Register ``Doc._.newsnlp_entities``/``_topics``/``_quotes`` (idempotent).

    Components call this on every use, so the attributes exist in spaCy's worker processes too;
    call it yourself before reading a ``DocBin`` in a fresh process.
    """
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class _Component:
    """Shared machinery: a ``Doc`` → a :class:`Work` → one newsnlp stage → results on the ``Doc``."""

    stage_name = ""

    def __init__(self, nlp: Language, name: str, batch_size: int, **settings: Any) -> None:
        self.name = name
        self.batch_size = batch_size
        chosen = {key: value for key, value in settings.items() if value is not None}
        self.settings = Settings.from_env(stages=(self.stage_name,), **chosen)
        self.tokenizer: Any = nlp.tokenizer
        self._warned: set[str] = set()
        register_extensions()

    # Models stay out of the pickle (spaCy pickles components for spawned workers): reload lazily.
    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("analyzer", "stage")}

    @cached_property
    def analyzer(self) -> Any:
        from newsnlp.pipeline import Analyzer

        # Preprocessing only: the component runs its one stage itself, on the user's own parse
        # (a quotes component reads the entities an earlier newsnlp_entities left on the Doc).
        return Analyzer(self.settings, stages=())

    @cached_property
    def stage(self) -> Any:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Process docs in batches (the Chinese model and the topic model work per batch)."""
        register_extensions()
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            works = [self._work(doc) for doc in batch]
            prepare: Callable[[list[Work]], None] | None = getattr(self.stage, "prepare", None)
            if prepare is not None:
                prepare(works)
            self.stage(works)
            for doc, work in zip(batch, works):
                self.write(doc, work)
                yield doc

    def _work(self, doc: Doc) -> Work:
        base = _PREPROCESSED.get(doc)
        if base is None:
            base = _PREPROCESSED[doc] = self.analyzer.preprocessor.prepare_text(
                doc.text, doc.lang_ if doc.lang_ in ("en", "zh") else None)
        work = replace(base, entities=[], topics=[], quotes=[])  # each stage fills its own lists
        if doc.lang_ != "zh":  # English (or any Latin-script pipeline): the Doc is the parse
            work.en_view, work.en_doc = TextView.identity(doc.text), doc
        else:
            work.en_view, work.en_doc = None, None
        if doc._.newsnlp_entities:  # an earlier newsnlp_entities: quotes link to its entities
            work.entities = [Entity.from_dict(e) for e in doc._.newsnlp_entities]
        return work

    def warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            logger.warning(message)

    def write(self, doc: Doc, work: Work) -> None:
        raise NotImplementedError


def _span(doc: Doc, span: Span, label: str, kb_id: str = "") -> SpacySpan | None:
    return doc.char_span(span.start, span.end, label=label, kb_id=kb_id, alignment_mode="expand")


class EntitiesComponent(_Component):
    """``newsnlp_entities``: canonical PERSON/ORG/COUNTRY/LOCATION entities with their mentions."""

    stage_name = "entities"

    @cached_property
    def stage(self) -> Any:
        from types import SimpleNamespace

        from newsnlp.entities.stage import EntityStage

        # The matcher needs only the pipeline's vocab and tokenizer (never the whole Language).
        own = SimpleNamespace(vocab=self.tokenizer.vocab, tokenizer=self.tokenizer)
        return EntityStage(self.settings, english_nlp=own)

    def write(self, doc: Doc, work: Work) -> None:
        if doc.lang_ != "zh" and not doc.has_annotation("ENT_IOB"):
            self.warn_once("ner", f"{self.name}: the pipeline has no 'ner' before it; English entities "
                                  "come from the country gazetteer only")
        spans = []
        for entity in work.entities:
            for mention in entity.mentions:
                span = _span(doc, mention, entity.label, entity.id)
                if span is not None:
                    spans.append(span)
        doc.spans[ENTITY_SPANS] = sorted(spans, key=lambda s: (s.start, s.end))
        doc._.newsnlp_entities = [entity.to_dict() for entity in work.entities]


class TopicsComponent(_Component):
    """``newsnlp_topics``: every topic label with its calibrated score, into ``doc.cats`` too."""

    stage_name = "topics"

    @cached_property
    def stage(self) -> Any:
        from newsnlp.topics.stage import TopicStage

        return TopicStage(self.settings)

    def write(self, doc: Doc, work: Work) -> None:
        doc._.newsnlp_topics = [topic.to_dict() for topic in work.topics]
        doc.cats.update({topic.label: topic.score for topic in work.topics})


class QuotesComponent(_Component):
    """``newsnlp_quotes``: direct, mixed and indirect quotes with cue and speaker."""

    stage_name = "quotes"

    @cached_property
    def stage(self) -> Any:
        from newsnlp.quotes.stage import QuoteStage

        return QuoteStage(self.settings)

    def _work(self, doc: Doc) -> Work:
        work = super()._work(doc)
        if work.en_doc is not None and not doc.has_annotation("DEP"):
            self.warn_once("parser", f"{self.name}: English quotes need a 'parser' earlier in the "
                                     "pipeline; only Chinese paragraphs are analysed")
            work.en_view = work.en_doc = None
        return work

    def write(self, doc: Doc, work: Work) -> None:
        quotes, speakers, cues = [], [], []
        for quote in work.quotes:
            span = _span(doc, quote, quote.kind)
            if span is not None:
                quotes.append(span)
            if quote.speaker is not None:
                speaker = _span(doc, quote.speaker, "SPEAKER", quote.speaker.entity or "")
                if speaker is not None:
                    speakers.append(speaker)
            if quote.cue is not None:
                cue = _span(doc, quote.cue, "CUE")
                if cue is not None:
                    cues.append(cue)
        doc.spans[QUOTE_SPANS] = quotes
        doc.spans[SPEAKER_SPANS] = speakers
        doc.spans[CUE_SPANS] = cues
        doc._.newsnlp_quotes = [quote.to_dict() for quote in work.quotes]


def quotes_of(doc: Doc) -> list[Quote]:
    """The :class:`~newsnlp.model.Quote` objects a ``newsnlp_quotes`` component left on ``doc``."""
    register_extensions()
    return [Quote.from_dict(q) for q in doc._.newsnlp_quotes or []]


def entities_of(doc: Doc) -> list[Entity]:
    """The :class:`~newsnlp.model.Entity` objects a ``newsnlp_entities`` component left on ``doc``."""
    register_extensions()
    return [Entity.from_dict(e) for e in doc._.newsnlp_entities or []]


_DEFAULTS: dict[str, Any] = {"batch_size": 32}


@Language.factory("newsnlp_entities", default_config={**_DEFAULTS, "zh_ner_model": None})
def make_entities(nlp: Language, name: str, batch_size: int, zh_ner_model: str | None) -> EntitiesComponent:
    """Factory of ``newsnlp_entities`` (``zh_ner_model``: a folder replacing the shipped Chinese NER)."""
    return EntitiesComponent(nlp, name, batch_size, zh_ner_model=zh_ner_model)


@Language.factory("newsnlp_topics", default_config={**_DEFAULTS, "topic_model": None})
def make_topics(nlp: Language, name: str, batch_size: int, topic_model: str | None) -> TopicsComponent:
    """Factory of ``newsnlp_topics`` (``topic_model``: a folder from ``newsnlp train topics``)."""
    return TopicsComponent(nlp, name, batch_size, topic_model=topic_model)


@Language.factory("newsnlp_quotes", default_config=dict(_DEFAULTS))
def make_quotes(nlp: Language, name: str, batch_size: int) -> QuotesComponent:
    """Factory of ``newsnlp_quotes``."""
    return QuotesComponent(nlp, name, batch_size)
