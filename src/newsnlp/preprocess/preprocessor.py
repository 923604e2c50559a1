"""Preprocessing as one facade: from a record to a tokenized :class:`~newsnlp.document.Work`.

bytes → decode → (HTML extraction) → structure → language per paragraph → views → tokens and
sentences (spaCy for English, batched through ``nlp.pipe``; jieba for Chinese). The
:class:`~newsnlp.pipeline.Analyzer` calls :meth:`Preprocessor.prepare` for each record and
:meth:`Preprocessor.tokenize` for each batch, then runs its stages.

The English spaCy pipeline is handed in as a function (the entities layer chooses it and its
NER), so preprocessing knows nothing of entity models and loads nothing until English text comes.

Example:
    >>> from newsnlp.config import Settings
    >>> from newsnlp.records import Record
    >>> pre = Preprocessor(Settings(stages=()), english=lambda: None)
    >>> work = pre.prepare(Record("Talks end\\n\\n会谈于周五结束。"))
    >>> [(p.text, p.role, p.lang) for p in work.paragraphs]
    [('Talks end', 'title', 'en'), ('会谈于周五结束。', 'body', 'zh')]
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, Callable, Sequence

from newsnlp.config import Settings
from newsnlp.document import Work, ZhParagraph
from newsnlp.errors import EmptyInputError, InputError
from newsnlp.model import Paragraph, Sentence, Token
from newsnlp.preprocess.decode import check_text_size, decode_bytes, normalize_newlines
from newsnlp.preprocess.html import extract_page, looks_like_html
from newsnlp.preprocess.language import article_language, detect_language
from newsnlp.preprocess.normalize import is_traditional, normalized_view
from newsnlp.preprocess.pieces import parse_texts
from newsnlp.preprocess.record_dates import parse_date
from newsnlp.preprocess.structure import Structure, find_structure
from newsnlp.preprocess.textview import TextView
from newsnlp.records import Record

_NON_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f\s]")


class Preprocessor:
    """Decoding, page structure, languages, views and tokenization for one configuration.

    Args:
        settings: The options (size limit, batch size, jieba's cache folder).
        english: Returns the English spaCy pipeline; called on the first English text only.
    """

    def __init__(self, settings: Settings, english: Callable[[], Any]) -> None:
        self.settings = settings
        self._english = english

    @cached_property
    def english(self) -> Any:
        """The English spaCy pipeline (loaded on first use)."""
        return self._english()

    @cached_property
    def jieba(self) -> Any:
        """The private jieba tokenizer (loaded on first use)."""
        from newsnlp.preprocess.tokenize import load_jieba

        return load_jieba(self.settings.cache_dir)

    # -- one record ------------------------------------------------------------------------
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
            check_text_size(record.content, max_bytes=self.settings.max_bytes, source=name)
            text = normalize_newlines(record.content).removeprefix("\ufeff")
            if not text.strip():
                raise EmptyInputError("input is empty" if not text else "input holds only whitespace", source=name)
        else:
            raise InputError(f"expected text or bytes, got {type(record.content).__name__}", source=name)
        if record.fields is not None:
            meta["record"] = dict(record.fields)
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
        work = self.build(Work(text=text, id=record.id, meta=meta), record.lang, structure)
        if record.date is not None:  # the record's own date beats one found on the page
            published = parse_date(record.date)
            if published is not None:
                work.published = published
            else:
                meta.setdefault("warnings", []).append(f"record date {str(record.date)[:40]!r} not understood")
        return work

    def prepare_text(self, text: str, lang: str | None = None) -> Work:
        """Everything but the English parse for ``text`` as it is (no decoding, no HTML extraction).

        Structure, languages, views and Chinese sentences and words; for callers that bring their
        own spaCy ``Doc`` of the same text (:mod:`newsnlp.components`), so offsets stay theirs.
        """
        work = self.build(Work(text=text), lang)
        self.tokenize_chinese([work])
        return work

    def build(self, work: Work, hint: str | None, structure: Structure | None = None) -> Work:
        """Paragraphs with roles and languages, title/author/date, and the English and Chinese views."""
        text = work.text
        structure = structure or find_structure(text)
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

    # -- a batch ---------------------------------------------------------------------------
    def tokenize(self, works: Sequence[Work]) -> None:
        """Sentences and tokens of a batch: spaCy once per article (``nlp.pipe``), jieba per paragraph."""
        self.tokenize_english(works)
        self.tokenize_chinese(works)

    def tokenize_english(self, works: Sequence[Work]) -> None:
        todo = [w for w in works if w.en_view is not None]
        if not todo:
            return
        # Texts over spaCy's max_length (1,000,000 characters) go through in paragraph-aligned pieces.
        docs = parse_texts(self.english, [w.en_view.text for w in todo],  # type: ignore[union-attr]
                           batch_size=self.settings.batch_size)
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

    def tokenize_chinese(self, works: Sequence[Work]) -> None:
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


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


__all__ = ["Preprocessor"]
