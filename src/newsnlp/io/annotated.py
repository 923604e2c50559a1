"""Annotated output read back: the JSONL that ``newsnlp annotate`` writes, as Articles.

Example:
    >>> from newsnlp.model import Article
    >>> lines = [Article(id="a", text="Hi.", lang="en").to_json(), "", '{"id": "b", "error": "EmptyInputError"}']
    >>> [article.id for article in read_articles(lines)]
    ['a']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

from newsnlp.model import Article


def read_articles(source: str | Path | Iterable[str]) -> Iterator[Article]:
    """The Articles of a JSONL file (a path) or of its lines; blank lines and error records are skipped.

    The file is read line by line, so memory does not grow with its size.
    """
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8") as handle:
            yield from read_articles(handle)
        return
    for line in source:
        line = line.strip()
        if line:
            data = json.loads(line)
            if "text" in data:  # error records name the input and the reason, and carry no text
                yield Article.from_dict(data)


__all__ = ["read_articles"]
