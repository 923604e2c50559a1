"""The immutable data model: ``Article`` and the spans it is made of.

Every span carries ``start``/``end`` character offsets into ``Article.text`` (the decoded
input, end exclusive) and its ``text``, with ``article.text[start:end] == span.text``.
Objects are frozen; ``to_dict``/``from_dict`` give a JSON round trip that follows the output
contract of ``../shared/eval/README.md`` and carries a ``schema_version``.

This module imports nothing else from newsnlp, so any layer may depend on it.

Example:
    >>> a = Article(id="x", text="Hi.", lang="en")
    >>> Article.from_json(a.to_json()) == a
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping

SCHEMA_VERSION = "1.2"  # 1.1 adds Article.published, 1.2 Entity.key

_set = object.__setattr__

#: Paragraph roles. Only ``body`` paragraphs (and the title) are analysed.
ROLES = ("title", "byline", "dateline", "date", "body", "boilerplate")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Span":
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True, slots=True)
class Token(Span):
    """A word or punctuation token; ``pos`` is spaCy's UPOS (English) or empty (Chinese)."""

    pos: str = ""

    @classmethod
    def fast(cls, start: int, end: int, text: str, pos: str = "") -> "Token":
        """Build a token without the frozen-dataclass ``__init__`` (half the cost; tokens are many)."""
        token = object.__new__(cls)
        _set(token, "start", start)
        _set(token, "end", end)
        _set(token, "text", text)
        _set(token, "pos", pos)
        return token

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "pos": self.pos}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Token":
        return cls(int(data["start"]), int(data["end"]), str(data["text"]), str(data.get("pos", "")))


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    """A sentence; ``paragraph`` is the index of its paragraph in ``Article.paragraphs``."""

    paragraph: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "paragraph": self.paragraph}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Sentence":
        return cls(int(data["start"]), int(data["end"]), str(data["text"]), int(data.get("paragraph", 0)))


@dataclass(frozen=True, slots=True)
class Paragraph(Span):
    """A block of text with its language (``en``/``zh``/``other``/``und``) and role.

    ``script`` is ``"traditional"`` for Chinese written in traditional characters (the models
    see a folded simplified view; offsets still point into the original).
    """

    lang: str = "und"
    role: str = "body"
    script: str | None = None

    @property
    def analysed(self) -> bool:
        """Whether the analysis stages look at this paragraph."""
        return self.role in ("title", "body")

    def to_dict(self) -> dict[str, Any]:
        out = {"start": self.start, "end": self.end, "text": self.text, "lang": self.lang, "role": self.role}
        if self.script:
            out["script"] = self.script
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Paragraph":
        return cls(
            int(data["start"]), int(data["end"]), str(data["text"]),
            str(data.get("lang", "und")), str(data.get("role", "body")), data.get("script"),
        )


@dataclass(frozen=True, slots=True)
class Mention(Span):
    """One occurrence of an entity; ``form`` is ``name``, ``demonym``, ``abbreviation``, ``title``..."""

    form: str = "name"

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "form": self.form}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Mention":
        return cls(int(data["start"]), int(data["end"]), str(data["text"]), str(data.get("form", "name")))


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity with all its mentions in the article.

    ``iso`` is the ISO 3166-1 alpha-2 code of a ``COUNTRY``; ``aliases`` holds other names
    (e.g. the pinyin of a Chinese person name) used to link across languages. ``key`` is the
    corpus-level key, the same for one referent in every article and language (``CN``,
    ``PERSON:xi jinping``, ``LOCATION:beijing``; see :mod:`newsnlp.entities.keys`); ``None`` in
    Articles made before schema 1.2.
    """

    id: str
    label: str
    name: str
    mentions: tuple[Mention, ...] = ()
    iso: str | None = None
    aliases: tuple[str, ...] = ()
    key: str | None = None

    @property
    def count(self) -> int:
        """Salience: how many times the entity is mentioned."""
        return len(self.mentions)

    @property
    def first(self) -> int:
        """Salience: character offset of the first mention (``-1`` without mentions)."""
        return min((m.start for m in self.mentions), default=-1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "name": self.name, "iso": self.iso, "key": self.key,
            "aliases": list(self.aliases), "count": self.count, "first": self.first,
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Entity":
        return cls(
            id=str(data["id"]), label=str(data["label"]), name=str(data["name"]),
            mentions=tuple(Mention.from_dict(m) for m in data.get("mentions", ())),
            iso=data.get("iso"), aliases=tuple(data.get("aliases", ())), key=data.get("key"),
        )


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic label with its calibrated probability."""

    label: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": self.score}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Topic":
        return cls(str(data["label"]), float(data["score"]))


@dataclass(frozen=True, slots=True)
class Speaker(Span):
    """Who is quoted: the span in the text, the resolved name and the linked entity id."""

    name: str | None = None
    entity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "name": self.name, "entity": self.entity}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Speaker":
        return cls(int(data["start"]), int(data["end"]), str(data["text"]), data.get("name"), data.get("entity"))


@dataclass(frozen=True, slots=True)
class Quote(Span):
    """Quoted or reported content (``kind``: direct, mixed, indirect) with speaker and cue."""

    kind: str = "direct"
    speaker: Speaker | None = None
    cue: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict() if self.cue else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Quote":
        speaker = data.get("speaker")
        cue = data.get("cue")
        return cls(
            int(data["start"]), int(data["end"]), str(data["text"]), str(data.get("kind", "direct")),
            Speaker.from_dict(speaker) if speaker else None, Span.from_dict(cue) if cue else None,
        )


def _opt_span(data: Mapping[str, Any] | None) -> Span | None:
    return Span.from_dict(data) if data else None


@dataclass(frozen=True, slots=True)
class Article:
    """An annotated news article: the immutable result of :func:`newsnlp.analyze`.

    ``text`` is the decoded input (newlines normalised to ``\\n``; for HTML input, the text
    extracted from the page). ``published`` is the publication date in ISO 8601 (``2024-03-04``
    or ``2024-03-04T10:30:00+00:00``) when the record or the page gives one, else ``None``.
    ``meta`` holds provenance: source, encoding, warnings.
    """

    text: str
    id: str | None = None
    lang: str = "und"
    title: Span | None = None
    author: Span | None = None
    dateline: Span | None = None
    published: str | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()
    topics: tuple[Topic, ...] = ()
    quotes: tuple[Quote, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION

    def __post_init__(self) -> None:
        # A read-only view keeps the article immutable all the way down.
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    # -- accessors ---------------------------------------------------------------------
    @property
    def body(self) -> tuple[Paragraph, ...]:
        """The body paragraphs (no title, byline, dateline or boilerplate)."""
        return tuple(p for p in self.paragraphs if p.role == "body")

    @property
    def body_text(self) -> str:
        """Body paragraphs joined by blank lines (a convenience copy, not for offsets)."""
        return "\n\n".join(p.text for p in self.body)

    @property
    def boilerplate(self) -> tuple[Paragraph, ...]:
        """Paragraphs marked as boilerplate: kept in ``text``, left out of analysis."""
        return tuple(p for p in self.paragraphs if p.role == "boilerplate")

    def entities_by_label(self, label: str) -> tuple[Entity, ...]:
        """Entities with ``label``, most mentioned first."""
        found = [e for e in self.entities if e.label == label]
        return tuple(sorted(found, key=lambda e: (-e.count, e.first)))

    @property
    def people(self) -> tuple[Entity, ...]:
        return self.entities_by_label("PERSON")

    @property
    def countries(self) -> tuple[Entity, ...]:
        return self.entities_by_label("COUNTRY")

    @property
    def organizations(self) -> tuple[Entity, ...]:
        return self.entities_by_label("ORG")

    @property
    def locations(self) -> tuple[Entity, ...]:
        return self.entities_by_label("LOCATION")

    @property
    def top_topic(self) -> Topic | None:
        return self.topics[0] if self.topics else None

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with ``entity_id``, or ``None``."""
        return next((e for e in self.entities if e.id == entity_id), None)

    def quotes_by_speaker(self) -> dict[str, list[Quote]]:
        """Quotes grouped by resolved speaker name (``"?"`` when unattributed)."""
        groups: dict[str, list[Quote]] = {}
        for quote in self.quotes:
            key = (quote.speaker.name or quote.speaker.text) if quote.speaker else "?"
            groups.setdefault(key, []).append(quote)
        return groups

    def iter_spans(self) -> Iterator[Span]:
        """Every span of the article, nested ones included (for offset checks)."""
        for span in (self.title, self.author, self.dateline):
            if span is not None:
                yield span
        yield from self.paragraphs
        yield from self.sentences
        yield from self.tokens
        for entity in self.entities:
            yield from entity.mentions
        for quote in self.quotes:
            yield quote
            if quote.speaker:
                yield quote.speaker
            if quote.cue:
                yield quote.cue

    def invalid_spans(self) -> list[Span]:
        """Spans whose offsets do not reproduce their text (always empty for our output)."""
        n = len(self.text)
        return [s for s in self.iter_spans() if not (0 <= s.start <= s.end <= n and self.text[s.start:s.end] == s.text)]

    # -- serialisation -------------------------------------------------------------------
    def to_dict(self, *, tokens: bool = True) -> dict[str, Any]:
        """A JSON-able dict following the output contract; ``tokens=False`` drops tokens."""
        out: dict[str, Any] = {
            "schema_version": self.schema_version,
            "id": self.id,
            "lang": self.lang,
            "text": self.text,
            "title": self.title.to_dict() if self.title else None,
            "author": self.author.to_dict() if self.author else None,
            "dateline": self.dateline.to_dict() if self.dateline else None,
            "published": self.published,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "sentences": [s.to_dict() for s in self.sentences],
            "entities": [e.to_dict() for e in self.entities],
            "topics": [t.to_dict() for t in self.topics],
            "quotes": [q.to_dict() for q in self.quotes],
            "meta": dict(self.meta),
        }
        if tokens:
            out["tokens"] = [t.to_dict() for t in self.tokens]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Article":
        """Rebuild an article from :meth:`to_dict` output (tokens optional)."""
        version = str(data.get("schema_version", SCHEMA_VERSION))
        if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(f"unsupported Article schema_version {version!r} (this newsnlp reads {SCHEMA_VERSION})")
        return cls(
            text=str(data["text"]),
            id=data.get("id"),
            lang=str(data.get("lang", "und")),
            title=_opt_span(data.get("title")),
            author=_opt_span(data.get("author")),
            dateline=_opt_span(data.get("dateline")),
            published=data.get("published"),
            paragraphs=tuple(Paragraph.from_dict(p) for p in data.get("paragraphs", ())),
            sentences=tuple(Sentence.from_dict(s) for s in data.get("sentences", ())),
            tokens=tuple(Token.from_dict(t) for t in data.get("tokens", ())),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            topics=tuple(Topic.from_dict(t) for t in data.get("topics", ())),
            quotes=tuple(Quote.from_dict(q) for q in data.get("quotes", ())),
            meta=dict(data.get("meta", {})),
            schema_version=version,
        )

    def to_json(self, *, tokens: bool = True, indent: int | None = None) -> str:
        """Serialise to JSON (UTF-8 characters kept as they are)."""
        return json.dumps(self.to_dict(tokens=tokens), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> "Article":
        return cls.from_dict(json.loads(text))

    def __repr__(self) -> str:
        title = self.title.text if self.title else self.text[:40]
        return (
            f"Article(id={self.id!r}, lang={self.lang!r}, title={title!r}, paragraphs={len(self.paragraphs)}, "
            f"entities={len(self.entities)}, topics={len(self.topics)}, quotes={len(self.quotes)})"
        )

    def _repr_html_(self) -> str | None:
        """Jupyter's view: the text with entities and quotes marked (:func:`newsnlp.render`)."""
        return _HTML_VIEW[0](self) if _HTML_VIEW else None


# Set by newsnlp.display when the package is imported: the model sits below the display layer, so
# it is handed its HTML view instead of importing it.
_HTML_VIEW: list[Callable[[Article], str]] = []


def register_html_view(view: Callable[[Article], str]) -> None:
    """Render Articles with ``view`` in Jupyter (``Article._repr_html_``)."""
    _HTML_VIEW[:] = [view]


__all__ = [
    "ROLES", "SCHEMA_VERSION", "Article", "Entity", "Mention", "Paragraph", "Quote", "Sentence",
    "Span", "Speaker", "Token", "Topic", "register_html_view",
]
