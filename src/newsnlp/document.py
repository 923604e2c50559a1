"""The mutable working state of one article while stages run (``Work``).

The preprocessing layer fills the text, structure, views, spaCy ``Doc`` and jieba words; each
analysis stage reads those and appends to ``entities``, ``topics`` or ``quotes``; at the end
:meth:`Work.to_article` freezes everything into an immutable :class:`~newsnlp.model.Article`.
Views map every model offset back to the source text, so stages build spans with
:meth:`Work.span`, which guarantees ``text[start:end] == span.text``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from newsnlp.model import Article, Entity, Paragraph, Quote, Sentence, Span, Token, Topic
from newsnlp.preprocess.textview import TextView

_by_start = attrgetter("start")


@dataclass
class ZhParagraph:
    """A Chinese paragraph as the models see it: its folded view, sentences and words (view offsets)."""

    index: int
    view: TextView
    sentences: list[tuple[int, int]] = field(default_factory=list)
    words: list[tuple[int, int]] = field(default_factory=list)
    # jieba's best dictionary path over the view (newsnlp.preprocess.jieba_path): the words above
    # come from it, and so do the Chinese NER's lexicon features, without a second jieba pass.
    dag_path: list[tuple[bool, list[str]]] | None = field(default=None, repr=False)


@dataclass
class Work:
    """One article in the making. Stages read the preprocessing fields and add results."""

    text: str
    id: str | None = None
    lang: str = "und"
    meta: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    title: tuple[int, int] | None = None
    author: tuple[int, int] | None = None
    dateline: tuple[int, int] | None = None
    published: str | None = None
    # English: one view over the analysed English paragraphs, and its spaCy Doc.
    en_view: TextView | None = None
    en_doc: Any = None
    zh: list[ZhParagraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    # Results of the analysis stages.
    entities: list[Entity] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def span(self, start: int, end: int) -> Span:
        """A :class:`Span` over source offsets."""
        return Span(start, end, self.text[start:end])

    def paragraph_at(self, offset: int) -> int:
        """Index of the paragraph containing ``offset`` (the nearest one before it)."""
        if len(self._starts) != len(self.paragraphs):  # paragraphs are only appended while building
            self._starts = [p.start for p in self.paragraphs]
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def to_article(self) -> Article:
        """Freeze into an immutable :class:`Article`."""
        return Article(
            text=self.text,
            id=self.id,
            lang=self.lang,
            title=self.span(*self.title) if self.title else None,
            author=self.span(*self.author) if self.author else None,
            dateline=self.span(*self.dateline) if self.dateline else None,
            published=self.published,
            paragraphs=tuple(self.paragraphs),
            sentences=tuple(sorted(self.sentences, key=_by_start)),
            tokens=tuple(sorted(self.tokens, key=_by_start)),
            entities=tuple(self.entities),
            topics=tuple(self.topics),
            quotes=tuple(sorted(self.quotes, key=_by_start)),
            meta=self.meta,
        )
