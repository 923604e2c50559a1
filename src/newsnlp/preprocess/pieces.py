"""Long English texts through spaCy in paragraph-aligned pieces, joined back into one ``Doc``.

spaCy refuses a text over ``nlp.max_length`` characters (1,000,000; error E088) because its
parser and NER need about 1 GB per 100,000 characters at once. An article is never that long,
but a transcript, a report or a whole book pasted as one record can be, up to ``max_bytes``.
:func:`split_pieces` cuts such a text after a line break (a paragraph end when there is one)
into pieces of at most ``limit`` characters, each ending in whitespace, so that
``Doc.from_docs`` of their parses has exactly the original text: every offset is unchanged.

Example:
    >>> split_pieces("aa\\n\\nbb\\n\\ncc", limit=5)
    ['aa\\n\\n', 'bb\\n\\n', 'cc']
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

#: Characters per piece: far under spaCy's limit, so a piece's parse stays small in memory.
PIECE_CHARS = 100_000


def split_pieces(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``limit`` characters, joined they give ``text``.

    A cut falls after the last paragraph break (blank line) in the window, else after its last
    line break, else after its last space; only a window without any whitespace is cut blindly.
    """
    if len(text) <= limit:
        return [text]
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for mark in ("\n\n", "\n", " "):
            found = window.rfind(mark, limit // 4)
            if found > 0:
                cut = found + len(mark)
                break
        if cut <= 0:
            cut = limit
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def parse_texts(nlp: Any, texts: Sequence[str], *, batch_size: int, limit: int = PIECE_CHARS) -> Iterator[Any]:
    """One ``Doc`` per text, like ``nlp.pipe``; texts longer than ``limit`` go through in pieces."""
    plan = [split_pieces(text, limit) for text in texts]
    docs = iter(nlp.pipe((piece for pieces in plan for piece in pieces), batch_size=batch_size))
    for text, pieces in zip(texts, plan):
        parts = [next(docs) for _ in pieces]
        yield parts[0] if len(parts) == 1 else _join(parts, text)


def _join(parts: Iterable[Any], text: str) -> Any:
    from spacy.tokens import Doc

    doc = Doc.from_docs(list(parts), ensure_whitespace=False)
    if doc.text != text:  # cannot happen with pieces that end in whitespace; offsets depend on it
        raise AssertionError("joined spaCy pieces do not reproduce the text")
    return doc
