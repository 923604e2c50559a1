"""Quotation marks → quoted spans, robust to apostrophes and unbalanced marks.

Handles “…”, "…" (straight marks paired by position), ‘…’ and '…' (only where an apostrophe
is impossible: Ukraine’s and the Clintons’ are apostrophes), 「…」, 『…』, «…» and „…“.
A quote left open at the end of a paragraph runs to the paragraph's end and, when the next
paragraph opens with a quotation mark (the news convention for quotes that run on), continues
there. A stray closing mark is ignored. Nothing is ever dropped: unbalanced marks only make
shorter or open-ended quotes.

Example:
    >>> find_quoted("He said “yes” and Ukraine’s ‘no’.")
    [(8, 13), (28, 32)]
"""

from __future__ import annotations

from typing import Sequence

_PAIRS = {"“": "”", "„": "“", "«": "»", "「": "」", "『": "』", "‘": "’", "‹": "›"}
_CLOSERS = {"”", "»", "」", "』", "’", "›", "“"}


def _opens_single(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isdigit() and text[i + 2:i + 3].isdigit() and not text[i + 3:i + 4].isdigit():
        return False  # the ‘90s, class of ’16: an elided century, not a quotation
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def _opens_ellipsis(text: str, i: int) -> bool:
    """'” … they are so not like him,”': a mark before a spaced ellipsis opens a quote that starts mid-sentence."""
    before = text[i - 1] if i else " "
    return (before.isspace() or before in "([{—–-:") and text[i + 1:i + 4].lstrip(" ")[:1] in ("…", ".")


def _closes_single(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-:,":
        return not after.isspace()
    return False


def find_quoted(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Quoted spans (marks included) inside ``text[start:end]``; open quotes run to ``end``."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (expected closer, position)
    i = start

    def close(after: int) -> None:
        _, pos = stack.pop()
        if not stack:  # only the outermost quotation is a span
            spans.append((pos, after))

    while i < end:
        char = text[i]
        width = 1
        if char == "'" and i + 1 < end and text[i + 1] == "'":
            char, width = '"', 2  # ''two apostrophes'' used as a double quotation mark
        elif char == '"' and ((i + 1 < end and text[i + 1] in "“”") or (i > start and text[i - 1] in "“”")):
            i += 1  # a doubled mark ("“ or ”"): the curly one counts
            continue
        if char == "”" and not stack and (_opens_single(text, i) or _opens_ellipsis(text, i)):
            char = "“"  # a wrong-way mark used to open: ”Fear. I am …”, ” … they are
        elif char == "“" and stack and stack[-1][0] == "”" and _closes_single(text, i) and not _opens_single(text, i):
            char = "”"  # a wrong-way mark used to close: “Cape Breton If Trump Wins“
        if char == '"':
            if stack and (stack[-1][0] == '"' or (stack[-1][0] == "”" and not _straight_opens(text, i))):
                # A straight mark also closes a curly one that it cannot open: “…," (mixed marks).
                close(i + width)
            elif _straight_opens(text, i) or not stack:
                stack.append(('"', i))
        elif stack and (char == stack[-1][0] or (char == "”" and stack[-1][0] == '"')) and (
                char not in "’'" or _closes_single(text, i)):
            close(i + 1)
        elif char in _PAIRS and (char not in "‘" or _opens_single(text, i)):
            if char == "“" and stack and stack[-1][0] == "“":  # „…“ closes with “
                close(i + 1)
            else:
                stack.append((_PAIRS[char], i))
        elif char == "'" and _opens_single(text, i) and not stack:
            stack.append(("'", i))
        i += width
    if stack:
        # Unbalanced: the outermost open quote runs to the end; an inner stray mark is forgotten.
        pos = stack[0][1]
        if text[pos] not in "'‘" or end - pos < 400:
            spans.append((pos, end))
    spans.sort()
    return spans


def find_quoted_paragraphs(text: str, paragraphs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quoted spans over paragraphs, joining quotes that run on into the next paragraph."""
    out: list[tuple[int, int]] = []
    open_run: tuple[int, int] | None = None
    for p_start, p_end in paragraphs:
        spans = find_quoted(text, p_start, p_end)
        starts_with_mark = p_start < p_end and text[p_start] in "“\"「『‘«"
        if open_run is not None:
            if spans and starts_with_mark and spans[0][0] == p_start:
                first = spans.pop(0)
                open_run = (open_run[0], first[1])
                if first[1] < p_end or text[p_end - 1] in _CLOSERS or text[p_end - 1] == '"':
                    out.append(open_run)
                    open_run = None
            else:
                out.append(open_run)
                open_run = None
        if (open_run is None and spans and spans[-1][1] == p_end and text[p_end - 1] not in _CLOSERS | {'"'}
                and not text[spans[-1][0] + 1:spans[-1][0] + 2].islower()):
            # Only a quotation that opens like a sentence runs on; 'is “really an …' left open is a
            # fragment whose closing mark went missing.
            open_run = spans.pop()
        out.extend(spans)
    if open_run is not None:
        out.append(open_run)
    return sorted(out)
