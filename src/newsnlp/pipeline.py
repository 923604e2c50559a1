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

import importlib
import importlib.util
from contextlib import ExitStack
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib.metadata import entry_points
from typing import Any, Callable, Iterable, Iterator, Mapping, Protocol, Sequence

from newsnlp.config import Settings
from newsnlp.document import Work, ZhParagraph
from newsnlp.errors import InputError, NewsNLPError, RecordError, StageError
from newsnlp.model import Article, Paragraph, Sentence, Token
from newsnlp.preprocess.decode import decode_bytes, normalize_newlines
from newsnlp.preprocess.html import extract_page, looks_like_html
from newsnlp.preprocess.language import article_language, detect_language
from newsnlp.preprocess.normalize import is_traditional, normalized_view
from newsnlp.preprocess.structure import Structure, find_structure
from newsnlp.preprocess.textview import TextView

logger = logging.getLogger(__name__)

_NON_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f\s]")


class Stage(Protocol):
    """An analysis stage: adds its results to every :class:`Work` of a batch.

    A stage may also define ``prepare(batch)``, called before the batch's spaCy memory zone opens:
    the place to build anything tied to a vocabulary (a ``PhraseMatcher``) or to load a model.
    """

    name: str

    def __call__(self, batch: list[Work]) -> None: ...


@dataclass(frozen=True)
class StageSpec:
    """A registered stage: how to build it, where it runs, whether it runs by default."""

    name: str
    factory: Callable[[Settings], Stage]
    order: int = 100
    default: bool = True


_REGISTRY: dict[str, StageSpec] = {}
# Built-in stage modules register themselves on import; missing ones are simply not there yet.
_BUILTIN_STAGE_MODULES = ("newsnlp.entities.stage", "newsnlp.topics.stage", "newsnlp.quotes.stage")
_discovered = False


def register_stage(name: str, factory: Callable[[Settings], Stage], *, order: int = 100, default: bool = True) -> None:
    """Register an analysis stage (lower ``order`` runs first; entities 100, topics 200, quotes 300)."""
    _REGISTRY[name] = StageSpec(name, factory, order, default)


def registered_stages() -> dict[str, StageSpec]:
    """Every registered stage, built-in and from ``newsnlp_stages`` entry points, in run order."""
    global _discovered
    if not _discovered:
        _discovered = True
        for module in _BUILTIN_STAGE_MODULES:
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        for entry in entry_points(group="newsnlp_stages"):
            try:
                entry.load()
            except Exception as error:  # a broken plugin must not break the library
                logger.warning("cannot load newsnlp stage plugin %s: %s", entry.name, error)
    return dict(sorted(_REGISTRY.items(), key=lambda item: item[1].order))


@dataclass(frozen=True)
class Record:
    """One input: text or raw bytes, with its id, language hint and origin."""

    content: str | bytes
    id: str | None = None
    lang: str | None = None
    source: str | None = None
    html: bool | None = None


RecordLike = str | bytes | Mapping[str, Any] | Record


def to_record(item: RecordLike, *, text_key: str = "text", id_key: str = "id", position: int = 0) -> Record:
    """Turn a string, bytes, mapping or :class:`Record` into a :class:`Record`."""
    if isinstance(item, Record):
        return item
    if isinstance(item, (str, bytes)):
        return Record(item, id=str(position))
    if isinstance(item, Mapping):
        if text_key not in item:
            raise RecordError(f"record has no {text_key!r} field", source=str(item.get(id_key, position)))
        record_id = item.get(id_key)
        text = item[text_key]
        if not isinstance(text, (str, bytes)):
            raise RecordError(f"field {text_key!r} is {type(text).__name__}, not text",
                              source=str(record_id if record_id is not None else position))
        lang = item.get("lang")
        return Record(text, id=str(record_id) if record_id is not None else str(position),
                      lang=lang if isinstance(lang, str) else None)
    raise RecordError(f"cannot analyse a {type(item).__name__}", source=str(position))


class Analyzer:
    """A configured pipeline: models load lazily, once, on first use.

    Args:
        settings: All options; defaults to :meth:`Settings.from_env`.
        **overrides: Fields of :class:`Settings` to change (``stages=()`` runs preprocessing only).
    """

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        base = settings or Settings.from_env()
        self.settings = replace(base, **overrides) if overrides else base
        #: Seconds spent so far in tokenization ("tokenize") and in each stage, by name: what the
        #: benchmarks read to give each stage's share of a run. Reset it with ``.clear()``.
        self.stage_seconds: Counter[str] = Counter()

    # -- models, loaded on first use ------------------------------------------------------
    @cached_property
    def english(self) -> Any:
        from newsnlp.preprocess.tokenize import load_english

        return load_english(self.settings.english_model, self.settings.en_ner_model)

    @cached_property
    def jieba(self) -> Any:
        from newsnlp.preprocess.tokenize import load_jieba

        return load_jieba(self.settings.cache_dir)

    @cached_property
    def stages(self) -> list[Stage]:
        available = registered_stages()
        if self.settings.stages is None:
            names = [name for name, spec in available.items() if spec.default]
        else:
            unknown = [n for n in self.settings.stages if n not in available]
            if unknown:
                from newsnlp.errors import ConfigError

                raise ConfigError(f"unknown stage(s) {unknown}; available: {sorted(available)}")
            names = list(self.settings.stages)
        return [available[name].factory(self.settings) for name in names]

    # -- public API -----------------------------------------------------------------------
    def analyze(self, content: str | bytes, *, id: str | None = None, lang: str | None = None,
                source: str | None = None, html: bool | None = None) -> Article:
        """Analyse one article (text or raw bytes) into an :class:`Article`."""
        work = self.prepare(Record(content, id, lang, source, html))
        return self.process([work])[0]

    def pipe(self, records: Iterable[Record], batch_size: int | None = None) -> Iterator[Article]:
        """Analyse a stream of records in batches; raises on the first bad record."""
        size = batch_size or self.settings.batch_size
        batch: list[Work] = []
        for record in records:
            batch.append(self.prepare(record))
            if len(batch) >= size:
                yield from self.process(batch)
                batch = []
        if batch:
            yield from self.process(batch)

    # -- steps ------------------------------------------------------------------------------
    def prepare(self, record: Record) -> Work:
        """Decode, find the structure, detect languages and build the model views."""
        name = record.source or record.id
        meta: dict[str, Any] = {}
        if record.source:
            meta["source"] = record.source
        if isinstance(record.content, (bytes, bytearray)):
            decoded = decode_bytes(bytes(record.content), source=name, max_bytes=self.settings.max_bytes)
            text = decoded.text
            meta["encoding"] = decoded.encoding
            if decoded.warnings:
                meta["warnings"] = list(decoded.warnings)
        elif isinstance(record.content, str):
            text = normalize_newlines(record.content).removeprefix("\ufeff")
        else:
            raise InputError(f"expected text or bytes, got {type(record.content).__name__}", source=name)
        structure = None
        if record.html or (record.html is None and looks_like_html(text)):
            page = extract_page(text)
            meta["source_format"] = "html"
            if page is None:  # a listing, a login wall, an error page: an empty article, not a failure
                text = ""
                meta.setdefault("warnings", []).append("HTML page without article text: the article is empty")
            else:
                text = page.text
                structure = page.structure()
                meta.update({f"page_{k}": v for k, v in (("author", page.author), ("date", page.date),
                                                         ("url", page.url), ("site", page.sitename)) if v})
        return self._build(Work(text=text, id=record.id, meta=meta), None, record.lang, structure)

    def preprocess_text(self, text: str, lang: str | None = None) -> Work:
        """Everything but the English parse for ``text`` as it is (no decoding, no HTML extraction).

        Structure, languages, views and Chinese sentences and words; for callers that bring their
        own spaCy ``Doc`` of the same text (:mod:`newsnlp.components`), so offsets stay theirs.
        """
        work = self._build(Work(text=text), None, lang)
        self._tokenize_chinese([work])
        return work

    def _build(self, work: Work, known_title: str | None, hint: str | None, structure: Structure | None = None) -> Work:
        text = work.text
        structure = structure or find_structure(text, known_title=known_title)
        work.title, work.author, work.dateline = structure.title, structure.author, structure.dateline
        work.published = structure.published
        if text.strip() and not any(block.role == "body" for block in structure.blocks):
            work.meta.setdefault("warnings", []).append("no article text found: the body is empty")
        for block in structure.blocks:
            segment = text[block.start:block.end]
            lang = detect_language(segment)
            if hint in ("en", "zh") and block.role in ("title", "body") and (
                    lang == "und" or (lang == "other" and hint == "en" and not _NON_LATIN.search(segment))):
                lang = hint  # the caller's word beats a guess on a list of names
            script = "traditional" if lang == "zh" and is_traditional(segment) else None
            work.paragraphs.append(Paragraph(block.start, block.end, segment, lang, block.role, script))
        analysed = [(i, p) for i, p in enumerate(work.paragraphs) if p.analysed]
        work.lang = article_language([(p.lang, p.end - p.start) for _, p in analysed], hint)
        english = [normalized_view(text, p.start, p.end) for _, p in analysed if p.lang == "en"]
        if english:
            work.en_view = TextView.concat(english)
        for i, p in analysed:
            if p.lang == "zh":
                view = normalized_view(text, p.start, p.end, simplify=p.script == "traditional")
                work.zh.append(ZhParagraph(i, view))
        return work

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
                zone.enter_context(self.english.memory_zone())
            started = time.perf_counter()
            self._tokenize_english(works)
            self._tokenize_chinese(works)
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
            articles = [work.to_article() for work in works]
            for work in works:
                work.en_doc = None
        return articles

    def _tokenize_english(self, works: Sequence[Work]) -> None:
        todo = [w for w in works if w.en_view is not None]
        if not todo:
            return
        docs = self.english.pipe((w.en_view.text for w in todo), batch_size=self.settings.batch_size)  # type: ignore[union-attr]
        for work, doc in zip(todo, docs):
            work.en_doc = doc
            view = work.en_view
            assert view is not None
            for sent in doc.sents:
                start, end = _strip(view.text, sent.start_char, sent.end_char)
                if end > start:
                    s, e = view.to_source(start, end)
                    work.sentences.append(Sentence(s, e, work.text[s:e], work.paragraph_at(s)))
            for token in doc:
                if not token.is_space:
                    s, e = view.to_source(token.idx, token.idx + len(token.text))
                    work.tokens.append(Token.fast(s, e, work.text[s:e], token.pos_))

    def _tokenize_chinese(self, works: Sequence[Work]) -> None:
        from newsnlp.preprocess.jieba_path import dag_path, hmm_words
        from newsnlp.preprocess.tokenize import split_zh_sentences, word_spans

        for work in works:
            for para in work.zh:
                view = para.view
                para.sentences = split_zh_sentences(view.text)
                # The same words as jieba's cut; the path is kept for the Chinese NER's features.
                para.dag_path = dag_path(self.jieba, view.text)
                para.words = word_spans(hmm_words(para.dag_path, self.jieba))
                for start, end in para.sentences:
                    s, e = view.to_source(start, end)
                    work.sentences.append(Sentence(s, e, work.text[s:e], para.index))
                text, tokens = work.text, work.tokens
                if view.is_identity:  # one-for-one view: offsets only shift
                    base = view.source_start(0)
                    tokens.extend(Token.fast(base + a, base + b, text[base + a:base + b]) for a, b in para.words)
                else:
                    for start, end in para.words:
                        s, e = view.to_source(start, end)
                        tokens.append(Token.fast(s, e, text[s:e]))


@lru_cache(maxsize=8)
def get_analyzer(settings: Settings | None = None) -> Analyzer:
    """The shared :class:`Analyzer` for ``settings`` (models stay loaded between calls)."""
    return Analyzer(settings or Settings.from_env())


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
