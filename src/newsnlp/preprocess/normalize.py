"""Normalisation as views: what the models see, mapped back to the source.

The fold applied to every analysed paragraph:

* stray HTML tags in plain text (``<b>``, ``<br/>``) become one space; HTML character
  references (``&amp;``, ``&#39;``) become the character they name;
* zero-width characters, BOMs and soft hyphens are dropped;
* every other character ``c`` becomes ``unicodedata.normalize("NFKC", c)`` when that is a single
  character (full-width Ｆｏｒｍｓ, ideographic and no-break spaces, compatibility ideographs);
* Chinese written in traditional characters is folded to simplified (OpenCC ``t2s``, one
  character for one character, so offsets hold).

Example:
    >>> view = normalized_view("Ｘｉ\\u00a0said", 0, 9)
    >>> view.text, view.to_source(3, 7)
    ('Xi said', (3, 7))
"""

from __future__ import annotations

import html
import re
from array import array
from functools import lru_cache

from newsnlp.chars import HAN_RE, INVISIBLE, fold_char
from newsnlp.preprocess.textview import TextView

_TAG_OR_ENTITY = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,300})?/?>|&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,10});")
# Characters that may need folding; ASCII-only text with none of these keeps an identity view.
_NEEDS_WORK = re.compile(r"[^\x00-\x7f]|[<&]")


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # imported lazily: loading the dictionaries costs time

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, always one character for one character."""
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    convert = _t2s().convert
    return "".join(c if len(s := convert(c)) != 1 else s for c in text)


def is_traditional(text: str, threshold: float = 0.04) -> bool:
    """Whether Chinese text is written in traditional characters.

    Counts the Han characters that simplification changes; simplified text changes almost none.
    """
    han = HAN_RE.findall(text)
    if len(han) < 2:
        return False
    joined = "".join(han)
    changed = sum(a != b for a, b in zip(joined, to_simplified(joined)))
    return changed >= 2 and changed / len(han) >= threshold


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """``str.translate`` table of every one-for-one fold (built once, on first use)."""
    table: dict[int, str] = {}
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = fold_char(char)
        if folded and folded != char:
            table[code] = folded
    return table


_SLOW_PATH = re.compile("[<&" + "".join(sorted(INVISIBLE)) + "]")


def normalized_view(text: str, start: int, end: int, *, simplify: bool = False) -> TextView:
    """The folded view of ``text[start:end]`` with offsets into ``text``.

    Args:
        text: The full source text.
        start: Start of the stretch to view.
        end: End of the stretch to view.
        simplify: Fold traditional Chinese characters to simplified as well.
    """
    segment = text[start:end]
    if not _NEEDS_WORK.search(segment):
        return TextView.identity(segment, start)
    if not _SLOW_PATH.search(segment):
        # One character for one: the view keeps the source offsets as they are.
        folded = segment.translate(_fold_table())
        if simplify:
            folded = to_simplified(folded)
        return TextView(folded, None, None, start)
    chars: list[str] = []
    starts = array("l")
    ends = array("l")
    pos = 0
    for match in _TAG_OR_ENTITY.finditer(segment):
        _fold_into(segment, pos, match.start(), start, chars, starts, ends)
        token = match.group()
        replacement = " " if token.startswith("<") else html.unescape(token)
        if len(replacement) != 1:  # an unknown entity stays as it is
            _fold_into(segment, match.start(), match.end(), start, chars, starts, ends)
        else:
            chars.append(fold_char(replacement) or " ")
            starts.append(start + match.start())
            ends.append(start + match.end())
        pos = match.end()
    _fold_into(segment, pos, len(segment), start, chars, starts, ends)
    folded = "".join(chars)
    if simplify:
        folded = to_simplified(folded)
    return TextView(folded, starts, ends)


def _fold_into(segment: str, lo: int, hi: int, base: int, chars: list[str], starts: array, ends: array) -> None:
    for i in range(lo, hi):
        folded = fold_char(segment[i])
        if folded:
            chars.append(folded)
            starts.append(base + i)
            ends.append(base + i + 1)
