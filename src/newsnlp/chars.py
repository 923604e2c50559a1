"""Character classes and character folds, defined once for the whole library.

Two Han classes, because callers ask two different questions:

* :data:`HAN`: every ideograph a Chinese text can carry in the Basic Multilingual Plane
  (Extension A, the Unified Ideographs block, compatibility ideographs). For "is this Chinese,
  and how much of it": language, page features, entity keys, fonts.
* :data:`HAN_BASIC`: the Unified Ideographs block only (U+4E00-U+9FFF), the characters ordinary
  text is written in. For patterns over names and words, and for telling a right decoding from
  mojibake (a wrong codec produces rare ideographs).

Both are regex class bodies written with escapes, so ``rf"[{HAN_BASIC}]{{2,4}}"`` gives the same
pattern text as writing the range inline. :func:`is_cjk_codepoint` is the code-point test of the
topic encoder's wordpiece tokenizer (BERT's, slightly wider; the shipped model was trained with it).

Two folds:

* :func:`fold_char`: the fold of the normalised views (``preprocess.normalize``): zero-width
  characters are dropped, every whitespace becomes a space, others take their one-character NFKC.
* :func:`nfkc_char` / :func:`nfkc_same_length`: one-for-one NFKC that never drops or widens, the
  Chinese NER's input (the model was trained on it).

Example:
    >>> han_count("新华社 Xinhua 北京"), is_han_basic("中"), is_han_basic("A")
    (5, True, False)
    >>> fold_char("Ａ"), fold_char("\\u200b"), nfkc_same_length("ＡＢ\\u3000中")
    ('A', '', 'AB 中')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

HAN = r"\u3400-\u9fff\uf900-\ufaff"
HAN_BASIC = r"\u4e00-\u9fff"

HAN_RE = re.compile(f"[{HAN}]")
HAN_BASIC_RE = re.compile(f"[{HAN_BASIC}]")
_ALL_HAN_BASIC = re.compile(f"[{HAN_BASIC}]+")

# Zero-width characters, BOMs and soft hyphens: invisible, so views drop them.
INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")


def han_count(text: str) -> int:
    """How many :data:`HAN` characters ``text`` holds."""
    return len(HAN_RE.findall(text))


def has_han(text: str) -> bool:
    """Whether ``text`` holds any :data:`HAN` character."""
    return HAN_RE.search(text) is not None


def is_han_basic(text: str) -> bool:
    """Whether ``text`` is non-empty and every character is in :data:`HAN_BASIC`."""
    return _ALL_HAN_BASIC.fullmatch(text) is not None


def is_cjk_codepoint(code: int) -> bool:
    """The topic encoder's CJK test: unified blocks, Extension A, compatibility ideographs, plane 2.

    A superset of BERT's ``_is_chinese_char`` (the whole of U+20000-U+2FA1F); the shipped topic
    model was trained with it, so it stays as it is.
    """
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F


@lru_cache(maxsize=65536)
def nfkc_char(char: str) -> str:
    """``char``'s NFKC form when that is one character, else ``char`` itself (never drops)."""
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


class _NfkcTable(dict[int, str]):
    """``str.translate`` table of :func:`nfkc_char`, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = nfkc_char(chr(code))
        return folded


_NFKC_TABLE = _NfkcTable()


def nfkc_same_length(text: str) -> str:
    """:func:`nfkc_char` over every character: same length, one C-level pass once warm."""
    return text.translate(_NFKC_TABLE)


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """The view fold of one character: ``""`` to drop it, else exactly one character."""
    if char in INVISIBLE:
        return ""
    if char < "\x80":
        return char
    folded = nfkc_char(char)
    return " " if folded.isspace() else folded
