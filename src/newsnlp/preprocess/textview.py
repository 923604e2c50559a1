"""Offset-preserving views of the source text.

Models never see the source text directly: they see a *view* in which stray markup and
invisible characters are dropped, full-width forms and odd spaces are folded, HTML entities are
decoded and traditional Chinese is simplified. A :class:`TextView` remembers, for every view
character, the source span it came from, so any span found in the view maps back to exact
source offsets. The source text itself is never rewritten.

Example:
    >>> v = TextView.build("a B", [("a", 0, 1), (" ", 1, 2), ("B", 5, 6)], base=0)
    >>> v.text, v.to_source(2, 3)
    ('a B', (5, 6))
"""

from __future__ import annotations

from array import array
from typing import Iterable, Sequence


class TextView:
    """Normalised text plus, per character, the ``[start, end)`` source span it stands for.

    Build one with :meth:`identity` (the view equals a stretch of the source) or
    :meth:`build` from ``(piece, source_start, source_end)`` triples; :meth:`concat` joins
    views (e.g. the analysed paragraphs of an article) with separators.
    """

    __slots__ = ("text", "_starts", "_ends", "_offset")

    def __init__(self, text: str, starts: Sequence[int] | None, ends: Sequence[int] | None, offset: int = 0) -> None:
        self.text = text
        self._starts = starts
        self._ends = ends
        self._offset = offset

    @classmethod
    def identity(cls, source: str, offset: int = 0) -> "TextView":
        """A view equal to ``source``, which starts at ``offset`` in the full text."""
        return cls(source, None, None, offset)

    @classmethod
    def build(cls, text: str, pieces: Iterable[tuple[str, int, int]], base: int = 0) -> "TextView":
        """A view from pieces: each ``(piece, s, e)`` says ``piece`` stands for source ``[s, e)``.

        ``text`` must equal the concatenation of the pieces. A multi-character piece maps every
        one of its characters to the whole source span. ``base`` is added to every offset.
        """
        starts = array("l")
        ends = array("l")
        for piece, s, e in pieces:
            for _ in piece:
                starts.append(s + base)
                ends.append(e + base)
        if len(starts) != len(text):
            raise ValueError("TextView.build: pieces do not add up to the view text")
        return cls(text, starts, ends)

    @property
    def is_identity(self) -> bool:
        return self._starts is None

    def source_start(self, index: int) -> int:
        """Source offset where view character ``index`` starts (``index == len`` allowed)."""
        if self._starts is None:
            return self._offset + index
        if index < len(self._starts):
            return self._starts[index]
        return self._ends[-1] if self._ends else self._offset  # type: ignore[index]

    def source_end(self, index: int) -> int:
        """Source offset where view character ``index - 1`` ends (exclusive end of a span)."""
        if self._starts is None:
            return self._offset + index
        if index <= 0:
            return self._starts[0] if self._starts else self._offset
        return self._ends[index - 1]  # type: ignore[index]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span ``[start, end)`` to source offsets."""
        if self._starts is None:
            return self._offset + start, self._offset + end
        if end <= start:
            pos = self.source_start(start)
            return pos, pos
        return self._starts[start], self._ends[end - 1]  # type: ignore[index]

    @classmethod
    def concat(cls, views: Sequence["TextView"], separator: str = "\n\n") -> "TextView":
        """Join views; each separator maps to the empty position after the preceding view."""
        if len(views) == 1:
            return views[0]
        starts = array("l")
        ends = array("l")
        parts: list[str] = []
        for i, view in enumerate(views):
            if i:
                pos = views[i - 1].source_end(len(views[i - 1].text))
                parts.append(separator)
                starts.extend([pos] * len(separator))
                ends.extend([pos] * len(separator))
            parts.append(view.text)
            n = len(view.text)
            if view._starts is None:
                starts.extend(range(view._offset, view._offset + n))
                ends.extend(range(view._offset + 1, view._offset + n + 1))
            else:
                starts.extend(view._starts)
                ends.extend(view._ends)  # type: ignore[arg-type]
        return cls("".join(parts), starts, ends)

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        return f"TextView({self.text[:40]!r}, identity={self.is_identity})"
