"""Tokenizers and sentence splitters: spaCy for English, a private jieba for Chinese.

Models load lazily and once per process (``functools.lru_cache``). jieba is used through its own
``jieba.Tokenizer`` instance whose prefix-dictionary cache lives in the per-user cache folder,
never in ``/tmp`` and never in jieba's global state.

Example:
    >>> split_zh_sentences("他说：“好。我们走。”随后，两人一起离开了北京的会场。")
    [(0, 11), (11, 27)]
"""

from __future__ import annotations

import importlib.util
import logging
import re
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from newsnlp.config import ENGLISH_MODEL_CANDIDATES

logger = logging.getLogger(__name__)

PARAGRAPH_BREAKS = "newsnlp_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence crosses a paragraph."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def english_model_name(requested: str | None = None) -> str | None:
    """The English spaCy package newsnlp loads (``newsnlp.entities.en_pipeline``), without loading it."""
    if requested:
        return requested
    for name in ENGLISH_MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    return None


@lru_cache(maxsize=2)
def load_jieba(cache_dir: Path | None = None) -> Any:
    """A private ``jieba.Tokenizer`` with its prefix-dictionary cache in ``cache_dir``."""
    import jieba

    from newsnlp.config import default_cache_dir

    jieba.setLogLevel(logging.WARNING)
    folder = Path(cache_dir or default_cache_dir())
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(folder)
    tokenizer.cache_file = "jieba.cache"
    tokenizer.initialize()
    return tokenizer


def word_spans(words: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of consecutive words that tile a text, whitespace words dropped."""
    words = list(words)
    ends = accumulate(map(len, words))
    return [(end - len(word), end) for word, end in zip(words, ends) if not word.isspace()]


_ZH_TERMINAL = re.compile(r"[。！？!?；;]+|…{1,2}(?=[”’」』\"]|$)|\.{3,}(?=[”’」』\"])")
_OPEN = "“‘「『"
_CLOSE = "”’」』"
_MAX_QUOTED_SENTENCE = 300


def split_zh_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of Chinese text: split after 。！？ (and ；), keeping closing quotes.

    Inside a quotation the split waits for the closing mark, unless the quote runs on for more
    than 300 characters (an unbalanced mark must not swallow a paragraph).
    """
    spans: list[tuple[int, int]] = []
    start = 0
    depth = 0
    depth_since = 0
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char in _OPEN:
            if depth == 0:
                depth_since = i
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        match = _ZH_TERMINAL.match(text, i) if char in "。！？!?；;….\"" else None
        if match and match.group() and (text[match.start()] not in "；;" or depth == 0):
            end = match.end()
            closed = end
            while end < n and (text[end] in _CLOSE or text[end] in "\"'）)"):
                if text[end] in _CLOSE and depth:
                    depth -= 1
                end += 1
            if end > closed and depth == 0:
                end = _attribution_tail(text, end)
            if depth == 0 or i - depth_since > _MAX_QUOTED_SENTENCE:
                depth = 0
                _add(text, spans, start, end)
                start = end
            i = end
            continue
        i += 1
    _add(text, spans, start, n)
    return spans


_TAIL = re.compile(r"[^“‘「『。！？!?\n]{1,12}[。！？!?]")


def _attribution_tail(text: str, end: int) -> int:
    """“……。”他说。 is one sentence: a short tail after a closed quote joins it."""
    match = _TAIL.match(text, end)
    return match.end() if match else end


def _add(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
