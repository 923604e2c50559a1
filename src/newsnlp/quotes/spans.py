"""Shared pieces of the quote stage: cue lists, the raw quote record, token-span helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

_QUOTE_CHARS = set("“”\"‘’'「」『』«»„")


@lru_cache(maxsize=1)
def cue_lists() -> dict[str, Any]:
    """The cue, role and anonymous-source lists of ``resources/cues.json``."""
    return json.loads(resources.files("newsnlp.resources").joinpath("cues.json").read_text("utf-8"))


@dataclass
class RawQuote:
    """A quote in view offsets (speaker span may be ``None``; ``speaker_head`` is a token index)."""

    start: int
    end: int
    kind: str
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_head: int | None = None


_LAST_TEXT: tuple[Any, str] | None = None


def doc_text(doc: Any) -> str:
    """``doc.text``, read once per document: spaCy rebuilds the string from the tokens on every
    access, and the quote patterns ask for it once per candidate. One entry (the last document,
    held by reference, so its identity cannot be reused) is enough: the quote stage reads one
    document at a time."""
    global _LAST_TEXT
    last = _LAST_TEXT  # one read: another thread may replace the entry meanwhile
    if last is not None and last[0] is doc:
        return last[1]
    text = doc.text
    _LAST_TEXT = (doc, text)
    return text


def span_of(doc: Any, start_token: int, end_token: int) -> tuple[int, int]:
    first, last = doc[start_token], doc[end_token - 1]
    return first.idx, last.idx + len(last.text)


def subtree_span(token: Any) -> tuple[int, int]:
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i + 1
    while right - 1 > left and doc[right - 1].is_punct and doc[right - 1].text not in _QUOTE_CHARS:
        right -= 1
    while left < right - 1 and doc[left].is_punct and doc[left].text not in _QUOTE_CHARS:
        left += 1
    return span_of(doc, left, right)
