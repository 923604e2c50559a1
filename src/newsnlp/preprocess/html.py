"""HTML pages → article text and metadata (title, author, date), with trafilatura and the line labeller.

trafilatura (imported lazily: it is slow to import) finds the body. The title, byline and date
come from the page itself: its visible lines (:func:`visible_lines`) go through the same line
labeller as plain-text pages, helped by what the page says of itself (``<title>``, ``og:title``,
``<h1>``, ``meta name=author``, the JSON-LD author, trafilatura's metadata). The article text is the title, the byline
and the body paragraphs, blank-line separated; :meth:`Page.structure` gives their roles.

Example:
    >>> looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsnlp.preprocess.page_rules import Block, Structure

_PAGE_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(r"<(?:div|p|article|section|span|a|li|td|meta|link|script)\b", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]{0,500}>")
# A page's frame: an opening <html>/<body> tag and a closing one, wherever the page starts.
_FRAME_OPEN = re.compile(r"<(?:html|body)\b[^<>]*>", re.IGNORECASE)
_FRAME_CLOSE = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)
# Style sheets and scripts some pages (and saved fragments) put before everything else.
_LEADING_CODE = re.compile(r"^\s*(?:<(style|script)\b[^>]*>.*?</\1\s*>\s*)+", re.IGNORECASE | re.DOTALL)
# Elements that start a new line in a browser's (or a scraper's) copy of the page.
_BLOCKS = frozenset(
    ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section", "article", "header", "footer", "nav", "ul", "ol", "table", "blockquote", "figure", "figcaption", "aside", "main", "dd", "dt", "pre", "form", "hr", "td", "th", "address", "time"]
)
_INVISIBLE = "//script|//style|//noscript|//template|//svg|//head"
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_FOLD = re.compile(r"[\"'“”‘’«»\s]+")
_TITLE_PARTS = re.compile(r"\s+[|\-–—:»/]+\s+|\s*::\s*|\s*\|\s*|_")
_TITLE_BONUS = 0.5  # a visible line that the page's <title>/og:title/h1 also names is very likely the title
_AGREE_BONUS = 0.25  # per further source naming it; chosen on the tuning half and the corpus train part (models/pages/README.md)


@dataclass(frozen=True)
class Page:
    """What was extracted from a page: the article text, its metadata, and where its parts are."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    parts: tuple[tuple[str, int, int], ...] = field(default=())

    def structure(self) -> Structure:
        """The roles of the article text's paragraphs (title, byline, body) and the author's span."""
        blocks = tuple(Block(start, end, role) for role, start, end in self.parts)
        title = next(((b.start, b.end) for b in blocks if b.role == "title"), None)
        author = next(((b.start, b.end) for b in blocks if b.role == "byline"), None)
        if author is not None and self.author:
            at = self.text.find(self.author, author[0], author[1])
            if at >= 0:
                author = (at, at + len(self.author))
        return Structure(blocks, title, author, None, published=self.date)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page (not plain text with a few stray tags).

    A page may open with a style sheet or a script before its ``<html>`` tag:

    >>> looks_like_html("<style>p { color: red }</style>\\n<html><body><p>Text</p></body></html>")
    True
    >>> looks_like_html("<style>" + "p { margin: 0 }\\n" * 500 + "</style><div><p>a</p><p>b</p><p>c</p><p>d</p><p>e</p></div>")
    True
    >>> looks_like_html("Use the <b>bold</b> tag, said the <html> guide.")
    False
    """
    page = _LEADING_CODE.sub("", text[:200_000], count=1)
    if _PAGE_START.match(page[:5000]):
        return True
    opened = _FRAME_OPEN.search(page)
    if opened and _FRAME_CLOSE.search(page, opened.end()) and len(_BLOCK_TAG.findall(page, opened.end())) >= 5:
        return True
    head = page[:5000]
    if len(_BLOCK_TAG.findall(head)) < 5:
        return False
    tag_chars = sum(len(m) for m in _ANY_TAG.findall(head))
    return tag_chars >= 0.2 * len(head)


def visible_lines(document: object) -> list[str]:
    """The visible text of a parsed page (lxml), one block element per line, scripts and <head> left out."""
    for bad in document.xpath(_INVISIBLE):  # type: ignore[attr-defined]
        bad.drop_tree()
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(document, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            if getattr(element, "tag", None) in _BLOCKS:
                parts.append("\n")
            tail = element.tail  # type: ignore[attr-defined]
            if tail and element is not document:
                parts.append(tail)
            continue
        tag = element.tag  # type: ignore[attr-defined]
        if not isinstance(tag, str):  # comments, processing instructions: only their tail shows
            if element.tail:  # type: ignore[attr-defined]
                parts.append(element.tail)  # type: ignore[attr-defined]
            continue
        if tag in _BLOCKS:
            parts.append("\n")
        if element.text:  # type: ignore[attr-defined]
            parts.append(element.text)  # type: ignore[attr-defined]
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(list(element)))  # type: ignore[call-overload]
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def extract_page(html: str) -> Page | None:
    """The article of an HTML page: title, byline, then the body paragraphs, blank-line separated.

    Returns ``None`` when the page holds no article text (a listing, a login wall, an error page).
    """
    import trafilatura

    document: Any = trafilatura.bare_extraction(  # a Document (trafilatura >= 2): attributes, not keys
        html, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    if document is None or not (document.text or "").strip():
        return None
    paragraphs = [line.strip() for line in document.text.split("\n") if line.strip()]
    found = _page_metadata(html)
    title = found.get("title") or (document.title or "").strip() or None
    # The byline the page shows beats trafilatura's guess, which is often a site name on Chinese pages.
    author = found.get("author") or _plausible_name((document.author or "").strip())
    byline = found.get("byline") if found.get("author") else None
    pieces: list[tuple[str, str]] = []
    if title:
        pieces.append(("title", title))
        if paragraphs and _fold(paragraphs[0]) == _fold(title):
            paragraphs = paragraphs[1:]
    if author:
        line = byline if byline and author in byline else author
        pieces.append(("byline", line))
        if paragraphs and paragraphs[0] == line:
            paragraphs = paragraphs[1:]
    pieces.extend(("body", p) for p in paragraphs)
    text, parts, at = "", [], 0
    for role, piece in pieces:
        if text:
            text += "\n\n"
        at = len(text)
        text += piece
        parts.append((role, at, at + len(piece)))
    return Page(
        text=text,
        title=title,
        author=author,
        date=found.get("date") or (document.date or None),
        url=(document.url or None),
        sitename=(document.sitename or None),
        parts=tuple(parts),
    )


def _hint_set(hints: list[str]) -> tuple[set[str], set[str], set[str]]:
    """Folded hints, their parts ("Headline | Site": each part), and no headings."""
    folds = {_fold(h) for h in hints if h.strip()}
    parts = {_fold(part) for h in hints for part in _TITLE_PARTS.split(h) if len(part.strip()) >= 8}
    return folds, parts, set()


def _names(line: str, folds: set[str], parts: set[str], headings: set[str]) -> bool:
    """Whether a source (the page's <title>, its og/twitter titles, or its <h1>s) names the folded ``line``."""
    return line in parts or line in headings or any(line in hint and len(line) >= 0.3 * len(hint) for hint in folds)


def _plausible_name(text: str) -> str | None:
    """A metadata author that reads as people's names (not a site, not a list of tags), else ``None``."""
    if not text or len(text) > 80 or re.search(r"[\d;@/]|www|\.com|\.cn|网|报", text, re.IGNORECASE):
        return None
    return text


def _fold(text: str) -> str:
    return _FOLD.sub(" ", text.lower()).strip()


def _linked_data_author(document: Any) -> str:
    """The first person named as ``author`` in the page's schema.org JSON-LD (``""`` when none)."""
    import json

    def names(node: Any, depth: int = 0) -> list[str]:
        if depth > 6:
            return []
        if isinstance(node, list):
            return [n for item in node for n in names(item, depth + 1)]
        if not isinstance(node, dict):
            return []
        found = []
        author = node.get("author")
        for person in author if isinstance(author, list) else [author]:
            if isinstance(person, dict) and isinstance(person.get("name"), str):
                found.append(person["name"].strip())
            elif isinstance(person, str):
                found.append(person.strip())
        return found + names(node.get("@graph", []), depth + 1)

    for script in document.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for name in names(data):
            if name and not name.startswith("http"):
                return name
    return ""


def _page_metadata(html: str) -> dict[str, str]:
    """Title, byline, author and date read off the page: its visible lines through the line labeller,
    with the page's own ``<title>``, ``og:title`` and ``<h1>`` as hints for the title."""
    import lxml.html

    from newsnlp.preprocess.bylines import author_span
    from newsnlp.preprocess.page_rules import page_spans
    from newsnlp.preprocess.structure import default_labeller, label_structure

    try:
        document = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):  # type: ignore[attr-defined]
        return {}
    title_tag = " ".join(document.xpath("string(//title)").split())
    social = [m.get("content", "") for m in document.xpath(
        "//meta[@property='og:title' or @name='og:title' or @name='twitter:title' or @property='twitter:title']")]
    headings = {_fold(h.text_content()) for h in document.xpath("//h1")}
    if len(headings) > 2:  # many <h1>s: a template's boxes, not the headline
        headings = set()
    meta_author = next((m.get("content", "").strip() for m in document.xpath(
        "//meta[@name='author' or @property='article:author' or @name='byl']") if m.get("content", "").strip()), "")
    meta_author = meta_author or _linked_data_author(document)
    text = "\n\n".join(visible_lines(document))
    labeller = default_labeller()
    if labeller is None or not text:
        return {}
    spans = page_spans(text)
    rows, probs = labeller.features_and_roles(text, spans)
    named: dict[int, str] = {}
    agree: dict[int, int] = {}  # how many of <title>, og/twitter:title and <h1> name the line
    sources = [_hint_set([title_tag]), _hint_set(social), (set(), set(), headings)]
    for i, (start, end) in enumerate(spans):
        line = _fold(text[start:end])
        if line and end - start <= 250:
            votes = sum(_names(line, *source) for source in sources)
            if votes:
                named[i], agree[i] = line, votes
    # A named line that holds another named line is the headline with the site's name around it.
    decorated = {i for i, line in named.items() if any(other != line and other in line for other in named.values())}
    best, best_score = None, 0.0
    for i in range(len(spans)):
        bonus = _TITLE_BONUS + _AGREE_BONUS * (agree[i] - 1) if i in named and i not in decorated else 0.0
        score = float(probs[i, 0]) + bonus
        if score > best_score and spans[i][1] - spans[i][0] <= 250:
            best, best_score = i, score
    found: dict[str, str] = {}
    if best is not None and best_score >= 0.3:
        found["title"] = text[spans[best][0]:spans[best][1]]
    structure = label_structure(text, spans, probs, known_title=found.get("title"),
                                byline_weights=labeller.byline_weights, rows=rows)
    if structure.author:
        found["author"] = text[slice(*structure.author)]
        block = next(b for b in structure.blocks if b.start <= structure.author[0] < b.end)
        found["byline"] = text[block.start:block.end]
    elif meta_author and author_span(meta_author) is not None:
        found["author"] = meta_author
    if structure.published:
        found["date"] = structure.published
    return found
