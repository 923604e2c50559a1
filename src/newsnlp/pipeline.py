"""The analysis pipeline: preprocessing, tokenization, then the registered stages.

bytes → decode → (HTML extraction) → structure → language per paragraph → views → spaCy
(English, batched through ``nlp.pipe``) and jieba (Chinese) → stages (entities, topics, quotes)
→ immutable :class:`~newsnlp.model.Article`.

Stages plug in through :func:`register_stage` (or the ``newsnlp_stages`` entry-point group).
A stage is a callable taking a list of :class:`~newsnlp.document.Work` (one batch) and adding
its results to each; it is built once per :class:`Analyzer` from the settings.

Example:
    >>> from newsnlp.pipeline import Analyzer
    >>> article = Analyzer(stages=()).analyze("Talks end\\n\\nThe talks ended on Friday.")
    >>> article.title.text, [s.text for s in article.sentences]
    ('Talks end', ['Talks end', 'The talks ended on Friday.'])
"""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from collections import defaultdict
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import Any, Iterable, Iterator

from newsnlp.config import Settings
from newsnlp.document import Work
from newsnlp._version import __version__
from newsnlp.errors import (
    ModelFormatError, ModelNotFoundError, NewsNLPError, StageError,
)
from newsnlp.model import Article
from newsnlp.preprocess.preprocessor import Preprocessor
from newsnlp.records import Failure, Outcome, Record, RecordLike, to_record
from newsnlp.registry import Stage, StageSpec, default_stages, plan, register_stage, registered_stages
from newsnlp.shipped import ACCURATE_MODELS, OVERRIDES, ModelInfo, check_model

__all__ = ["Analyzer", "Failure", "Record", "RecordLike", "get_analyzer", "register_stage", "registered_stages",
           "to_record"]

logger = logging.getLogger(__name__)

class Analyzer:
    """A configured pipeline: models load lazily, once, on first use.

    Args:
        settings: All options; defaults to :meth:`Settings.from_env`.
        **overrides: Fields of :class:`Settings` to change (``stages=()`` runs preprocessing only).
    """

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        base = settings or Settings.from_env()
        self.settings = replace(base, **overrides) if overrides else base
        #: The models this configuration uses, checked now (present, sizes right), not on first use;
        #: ``missing_models`` names those it runs without (only with ``allow_missing_models``).
        self.missing_models: list[str] = []
        self.models: list[ModelInfo] = self._check_models()
        self._provenance: dict[str, Any] = {"newsnlp_version": __version__,
                                            "models": [m.to_dict() for m in self.models]}
        if self.missing_models:
            self._provenance["missing_models"] = list(self.missing_models)
        #: Seconds spent so far in tokenization ("tokenize") and in each stage, by name: what the
        #: benchmarks read to give each stage's share of a run. Reset it with ``.clear()``.
        self.stage_seconds: dict[str, float] = defaultdict(float)

    # -- models, checked at start-up and loaded on first use --------------------------------
    @cached_property
    def plan(self) -> list[StageSpec]:
        """The stages to run, ordered by what each requires and assigns (checked at start-up)."""
        if self.settings.stages == ():
            return []
        return plan(default_stages() if self.settings.stages is None else self.settings.stages)

    def _check_models(self) -> list[ModelInfo]:
        """Every shipped (or replacing) model the settings use: a missing one fails here, loudly."""
        names = ["pages"] + ([] if self.settings.en_ner_model == "spacy" else ["en_ner"])
        for spec in self.plan:
            names.extend(m for m in spec.models if m not in names)
            if spec.name == "entities" and self.settings.profile == "accurate":
                names.extend(m for m in ACCURATE_MODELS if m not in names)
        found, self.missing_models = [], []
        for name in names:
            field_name, _ = OVERRIDES.get(name, ("", ""))
            folder = getattr(self.settings, field_name, None) if field_name else None
            try:
                found.append(check_model(name, folder))
            except (ModelNotFoundError, ModelFormatError) as error:
                if not self.settings.allow_missing_models:
                    raise
                self.missing_models.append(name)
                logger.warning("%s (running without it: allow_missing_models is on)", error)
        return found

    @cached_property
    def preprocessor(self) -> Preprocessor:
        """Decoding, structure, languages, views and tokenization: the first half of every run."""
        return Preprocessor(self.settings, english=self._english_pipeline)

    def _english_pipeline(self) -> Any:
        # The entities layer chooses the English pipeline and its NER; preprocessing only tokenizes with it.
        from newsnlp.entities.en_pipeline import english_pipeline

        return english_pipeline(self.settings)

    @property
    def english(self) -> Any:
        """The English spaCy pipeline shared by tokenization and the stages (loaded on first use)."""
        return self.preprocessor.english

    @cached_property
    def stages(self) -> list[Stage]:
        return [spec.factory(self.settings) for spec in self.plan]

    # -- public API -----------------------------------------------------------------------
    def analyze(self, content: str | bytes, *, id: str | None = None, lang: str | None = None,
                source: str | None = None, html: bool | None = None) -> Article:
        """Analyse one article (text or raw bytes) into an :class:`Article`."""
        return next(self.pipe([Record(content, id, lang, source, html)]))

    def pipe(self, records: Iterable[RecordLike], batch_size: int | None = None, *, errors: str = "raise",
             text_key: str = "text", id_key: str = "id", date_key: str = "date") -> Iterator[Article]:
        """Analyse a stream of records in batches, one :class:`Article` per good record, in order.

        Args:
            records: Texts, bytes, mappings (``text_key``, ``id_key``, ``date_key``, ``lang`` and
                fields of their own) or :class:`Record` objects.
            batch_size: Articles per batch (default: the settings').
            errors: ``"raise"`` raises the first bad record's error, typed; ``"skip"`` logs it and goes on.
        """
        if errors not in ("raise", "skip"):
            raise ValueError("errors must be 'raise' or 'skip'")
        items = self.records(records, text_key=text_key, id_key=id_key, date_key=date_key)
        for record_id, source, result in self.outcomes(items, batch_size):
            if isinstance(result, Article):
                yield result
            elif errors == "raise":
                raise result
            else:
                logger.warning("skipped %s: %s", source or record_id, result)

    @staticmethod
    def records(items: Iterable[RecordLike], *, text_key: str = "text", id_key: str = "id",
                date_key: str = "date") -> Iterator[Record | Failure]:
        """:class:`Record` objects of ``items``, a :class:`Failure` in place of each malformed one."""
        for position, item in enumerate(items):
            if isinstance(item, Failure):
                yield item
                continue
            try:
                yield to_record(item, text_key=text_key, id_key=id_key, date_key=date_key, position=position)
            except NewsNLPError as error:
                yield Failure(error.source or str(position), None, error)

    def outcomes(self, items: Iterable[Record | Failure], batch_size: int | None = None) -> Iterator[Outcome]:
        """``(id, source, Article or error)`` for every item, in order; never raises for a bad record.

        A batch whose processing fails is done again one record at a time, each from a fresh
        :meth:`prepare` (a half-processed ``Work`` may already hold tokens or results), so only
        the record that breaks it fails.
        """
        size = batch_size or self.settings.batch_size
        pending: list[Failure | tuple[Record, Work]] = []
        n_works = 0
        for item in items:
            if isinstance(item, Failure):
                pending.append(item)
                continue
            try:
                pending.append((item, self.prepare(item)))
                n_works += 1
            except Exception as error:  # noqa: BLE001 - every failure is an outcome
                pending.append(Failure(item.id, item.source, error))
            if n_works >= size:
                yield from self._finish(pending)
                pending, n_works = [], 0
        if pending:
            yield from self._finish(pending)

    def _finish(self, pending: list[Failure | tuple[Record, Work]]) -> Iterator[Outcome]:
        works = [entry[1] for entry in pending if not isinstance(entry, Failure)]
        try:
            articles: Iterator[Article | BaseException] = iter(self.process(works) if works else [])
        except Exception:  # noqa: BLE001 - isolate the record that breaks the batch
            articles = iter([self._alone(record) for record, _ in
                             (e for e in pending if not isinstance(e, Failure))])  # type: ignore[misc]
        for entry in pending:
            if isinstance(entry, Failure):
                yield entry.id, entry.source, entry.error
            else:
                yield entry[0].id, entry[0].source, next(articles)

    def _alone(self, record: Record) -> Article | BaseException:
        try:
            return self.process([self.prepare(record)])[0]
        except Exception as error:  # noqa: BLE001
            return error

    # -- steps ------------------------------------------------------------------------------
    def prepare(self, record: Record) -> Work:
        """Preprocess one record (decode, structure, languages, views): :meth:`Preprocessor.prepare`."""
        return self.preprocessor.prepare(record)

    def process(self, works: list[Work]) -> list[Article]:
        """Tokenize a batch (spaCy once per article, through ``nlp.pipe``), run the stages, freeze.

        The batch runs inside spaCy's ``memory_zone``: strings the batch adds to the vocabulary are
        freed afterwards, so a long run does not grow without bound. No ``Doc`` outlives the batch.
        """
        for stage in self.stages:
            # Stages build vocabulary-bound resources (matchers) before the zone, or they'd be freed.
            prepare = getattr(stage, "prepare", None)
            if prepare is not None:
                prepare(works)
        with ExitStack() as zone:
            if any(w.en_view is not None for w in works):
                zone.enter_context(self.preprocessor.english.memory_zone())
            started = time.perf_counter()
            self.preprocessor.tokenize(works)
            self.stage_seconds["tokenize"] += time.perf_counter() - started
            for stage in self.stages:
                started = time.perf_counter()
                try:
                    stage(works)
                except NewsNLPError:
                    raise
                except Exception as error:
                    ids = ", ".join(str(w.id) for w in works[:5])
                    raise StageError(f"stage {stage.name!r} failed: {error!r} (batch of {ids}...)") from error
                self.stage_seconds[stage.name] += time.perf_counter() - started
            for work in works:
                work.meta.update(self._provenance)
            articles = [work.to_article() for work in works]
            for work in works:
                work.en_doc = None
        return articles


@lru_cache(maxsize=8)
def get_analyzer(settings: Settings | None = None) -> Analyzer:
    """The shared :class:`Analyzer` for ``settings`` (models stay loaded between calls)."""
    return Analyzer(settings or Settings.from_env())

