"""HTML pages → article text, with trafilatura (imported lazily: it is slow to import).

Example:
    >>> looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAGE_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(r"<(?:div|p|article|section|span|a|li|td|meta|link|script)\b", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]{0,500}>")


@dataclass(frozen=True)
class Page:
    """What was extracted from a page: the article text and its metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page (not plain text with a few stray tags)."""
    head = text[:5000]
    if _PAGE_START.match(head):
        return True
    if len(_BLOCK_TAG.findall(head)) < 5:
        return False
    tag_chars = sum(len(m) for m in _ANY_TAG.findall(head))
    return tag_chars >= 0.2 * len(head)


def extract_page(html: str) -> Page | None:
    """The article of an HTML page: title first, then the body paragraphs, blank-line separated.

    Returns ``None`` when the page holds no article text.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    if document is None or not (document.text or "").strip():
        return None
    paragraphs = [line.strip() for line in document.text.split("\n") if line.strip()]
    title = (document.title or "").strip() or None
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return Page(
        text="\n\n".join(paragraphs),
        title=title,
        author=(document.author or None),
        date=(document.date or None),
        url=(document.url or None),
        sitename=(document.sitename or None),
    )
