"""The hand-written rules for a news text's parts: boilerplate patterns, bylines, datelines, titles.

These were the whole structure finder; now they are features of the learned line labeller
(:mod:`newsnlp.preprocess.structure`) and its fallback when no model is installed. Boilerplate
(sponsor lines, breadcrumbs, share widgets, "About the author", "Check Also" teasers, comment forms,
责任编辑, 分享到, 相关新闻 ...) is recognised with the maintained patterns in
``resources/boilerplate.json``.

Example:
    >>> text = "Home / News / Big Win\\n\\nBig Win\\n\\nBy Ann Lee\\n\\nThe team won."
    >>> s = rule_structure(text, split_blocks(text))
    >>> s.title, s.author, [b.role for b in s.blocks]
    ((23, 30), (35, 42), ['boilerplate', 'title', 'byline', 'body'])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from newsnlp.chars import HAN_BASIC

MAX_TITLE_CHARS = 250
_LINE = re.compile(r"[^\n]+")
_EDGE = re.compile(r"^(?:[\s\u3000]|<[^<>\n]{1,300}>)+|(?:[\s\u3000]|<[^<>\n]{1,300}>)+$")
_TERMINAL = tuple(".!?。！？…\"'”’」』):：;；")
_BREADCRUMB_SEP = re.compile(r"\s+(?:/|>|»|›|\||→)\s+|\s*[>»›]\s*")
_BREADCRUMB_CHAR = re.compile(r"[/>»›|→]")  # a line without one has no separator (a fast test)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|posted by|author|reporting by|story by)[:\s]\s*"
    r"(?P<name>(?-i:[A-Z][\w'’.-]*)(?:\s+(?:(?-i:[A-Z][\w'’.-]*)|and|&|de|van|von|da|der|bin|al|el))*)",
    re.IGNORECASE,
)
_ZH_BYLINE = re.compile(rf"^[□⊙◎●○■\s]*(?:本报记者|特约记者|记者|作者|撰文|文|编译|通讯员)\s*[:：/／|｜]?\s*(?P<name>[{HAN_BASIC}]{{2,4}}(?:[\s、,，][{HAN_BASIC}]{{2,4}}){{0,3}})$")
_DATELINE = re.compile(
    r"^(?P<dl>(?-i:[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Z.'’-]+){0,3})"
    r"(?:,\s*(?:[A-Z][a-z]+\.?(?:\s+\d{1,2})?|[A-Z]{2,}))?"
    r"\s*(?:\((?:[A-Za-z][\w .&-]{0,30})\))?\s*(?:--|-|–|—|:))\s+",
)
_ZH_DATELINE = re.compile(
    rf"^[（(]?(?P<dl>(?:新华社|中新社|中新网|人民网|央视网|国际在线|本报|新浪网?|搜狐|网易|[{HAN_BASIC}]{{2,6}}(?:网|社|报))"
    rf"[{HAN_BASIC}]{{0,8}}?(?:\d{{1,2}}月\d{{1,2}}日)(?:电|讯)|本报讯|(?:新浪|搜狐|网易|腾讯)[{HAN_BASIC}]{{0,4}}讯)[）)]?"
)
_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted|last updated|date)[:\s]+(?:on\s+)?)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)"
    r"(?:[\sT,|]+(?:at\s+)?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:[A-Z]{2,4}|GMT[+-]?\d*|UTC[+-]?\d*)?)?"
    r"(?:\s*(?:来源|source)[:：].{0,30})?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Block:
    """A paragraph found in the text, with its role (see :data:`newsnlp.model.ROLES`)."""

    start: int
    end: int
    role: str = "body"


@dataclass(frozen=True)
class Structure:
    """Where the parts of an article are: blocks in order, and title/author/dateline spans."""

    blocks: tuple[Block, ...]
    title: tuple[int, int] | None = None
    author: tuple[int, int] | None = None
    dateline: tuple[int, int] | None = None
    published: str | None = None
    notes: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    raw = json.loads(resources.files("newsnlp.resources").joinpath("boilerplate.json").read_text("utf-8"))
    compiled = {key: [re.compile(p, re.IGNORECASE) for p in raw[key]] for key in ("line", "trailer", "inline_tail")}
    compiled["home"] = [re.compile(re.escape(h), re.IGNORECASE) for h in raw["breadcrumb_home"]]
    return compiled


@lru_cache(maxsize=1)
def _combined() -> dict[str, re.Pattern[str]]:
    """Each kind's patterns as one alternation: one regex call per line instead of one per pattern."""
    raw = json.loads(resources.files("newsnlp.resources").joinpath("boilerplate.json").read_text("utf-8"))
    return {key: re.compile("|".join(f"(?:{p})" for p in raw[key]), re.IGNORECASE) for key in ("line", "trailer", "inline_tail")}


def split_blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: each line, except that hard-wrapped blank-line blocks stay whole.

    Spans are trimmed of surrounding whitespace (ideographic spaces included) and of markup tags
    at their edges; empty lines give no span.
    """
    groups: list[list[tuple[int, int]]] = [[]]
    for match in _LINE.finditer(text):
        start, end = _trim(text, match.start(), match.end())
        if start == end:
            groups.append([])
            continue
        if groups[-1] and text.count("\n", groups[-1][-1][1], start) > 1:
            groups.append([])
        groups[-1].append((start, end))
    spans: list[tuple[int, int]] = []
    for lines in groups:
        if _hard_wrapped(text, lines):
            spans.append((lines[0][0], lines[-1][1]))
        else:
            spans.extend(lines)
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    segment = text[start:end]
    if "<" not in segment:  # no tags: only whitespace to trim (str.isspace is the regex's \s)
        stripped = segment.lstrip()
        start += len(segment) - len(stripped)
        return start, start + len(stripped.rstrip())
    lead = _EDGE.match(segment)
    if lead:
        start += lead.end()
        segment = text[start:end]
    tail = _EDGE.search(segment)
    if tail and tail.start() < len(segment):
        end = start + tail.start()
    return start, max(start, end)


def _hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    """Lines of similar, long width that mostly end mid-sentence were wrapped by a tool."""
    if len(lines) < 3:
        return False
    inner = lines[:-1]
    lengths = [e - s for s, e in inner]
    if min(lengths) < 35 or max(lengths) > 110:
        return False
    open_ended = sum(not text[s:e].rstrip().endswith(_TERMINAL) for s, e in inner)
    return open_ended >= 0.6 * len(inner)


@lru_cache(maxsize=4096)  # the labeller's features and the rules test the same lines
def _is_breadcrumb(segment: str) -> bool:
    if len(segment) > 300 or not _BREADCRUMB_CHAR.search(segment):  # most long lines are text
        return False
    parts = [p for p in _BREADCRUMB_SEP.split(segment) if p.strip()]
    if len(parts) < 2:
        return False
    first = parts[0].strip()
    if any(p.fullmatch(first) for p in _patterns()["home"]):
        return True
    return len(parts) >= 3 and all(len(p) <= 40 for p in parts[:-1]) and not segment.rstrip().endswith(_TERMINAL[:3])


@lru_cache(maxsize=4096)  # the labeller's features and the rules test the same lines; menus recur
def _matches(kind: str, segment: str) -> bool:
    return _combined()[kind].fullmatch(segment) is not None


def rule_structure(text: str, spans: list[tuple[int, int]], *, known_title: str | None = None) -> Structure:
    """The parts of a news text by the hand-written rules, over paragraph spans from :func:`page_spans`.

    Args:
        text: The decoded text.
        spans: Its paragraphs (:func:`page_spans`).
        known_title: A title known from elsewhere (HTML metadata); the block equal to it is the title.
    """
    roles, title, author, dateline = _rule_parts(text, spans, known_title)
    return Structure(tuple(Block(s, e, r) for (s, e), r in zip(spans, roles)), title, author, dateline)


def rule_roles(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The role :func:`rule_structure` gives each span, without building its blocks (a faster view)."""
    return _rule_parts(text, spans, None)[0]


_Span = tuple[int, int]


def _rule_parts(text: str, spans: list[_Span], known_title: str | None) -> tuple[list[str], _Span | None, _Span | None, _Span | None]:
    roles = ["body"] * len(spans)
    crumb_last: str | None = None
    trailer_from = len(spans)
    for i, (start, end) in enumerate(spans):
        segment = text[start:end]
        if i > 0 and len(segment) <= 120 and _matches("trailer", segment):
            trailer_from = i
            break
        if len(segment) <= 300 and (_matches("line", segment)):
            roles[i] = "boilerplate"
        elif _is_breadcrumb(segment):
            roles[i] = "boilerplate"
            crumb_last = _BREADCRUMB_SEP.split(segment)[-1].strip()
    for i in range(trailer_from, len(spans)):
        roles[i] = "boilerplate"
    for i, (start, end) in enumerate(spans):
        if roles[i] == "body" and _matches("inline_tail", text[start:end]):
            roles[i] = "boilerplate"

    title_index = _find_title(text, spans, roles, crumb_last or known_title)
    title = author = dateline = None
    if title_index is not None:
        roles[title_index] = "title"
        title = spans[title_index]
        # Everything before the title that is not body text is page furniture.
        for i in range(title_index):
            if roles[i] == "body" and spans[i][1] - spans[i][0] <= MAX_TITLE_CHARS:
                roles[i] = "boilerplate"
    first_body = (title_index + 1) if title_index is not None else 0
    for i in range(first_body, min(first_body + 4, len(spans))):
        if roles[i] != "body":
            continue
        start, end = spans[i]
        segment = text[start:end]
        found = _byline(segment)
        if found and author is None and len(segment) <= 120:
            roles[i] = "byline"
            author = (start + found[0], start + found[1])
            continue
        if len(segment) <= 80 and _DATE_LINE.match(segment):
            roles[i] = "date"
            continue
        break
    for i in range(first_body, len(spans)):
        if roles[i] == "body":
            found_dl = _dateline(text[spans[i][0]:spans[i][1]])
            if found_dl:
                dateline = (spans[i][0] + found_dl[0], spans[i][0] + found_dl[1])
            break
    return roles, title, author, dateline


def page_spans(text: str) -> list[tuple[int, int]]:
    """The paragraphs of a page: :func:`split_blocks`, with editor notes cut off into their own span."""
    return _split_inline_tails(text, split_blocks(text))


def _split_inline_tails(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut editor notes such as （责任编辑：张三） off the end of a paragraph into their own span."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        segment = text[start:end]
        cut = None
        for pattern in _patterns()["inline_tail"]:
            match = pattern.search(segment)
            if match and match.start() > 0:
                cut = match.start()
                break
        if cut is None:
            out.append((start, end))
            continue
        body_end = _trim(text, start, start + cut)
        if body_end[1] > body_end[0]:
            out.append(body_end)
        out.append(_trim(text, start + cut, end))
    return out


def _find_title(text: str, spans: list[tuple[int, int]], roles: list[str], hint: str | None) -> int | None:
    if hint:
        wanted = hint.strip().lower()
        for i, (s, e) in enumerate(spans[:8]):
            if roles[i] == "body" and text[s:e].strip().lower() == wanted:
                return i
    for i, (s, e) in enumerate(spans):
        if roles[i] != "body":
            continue
        segment = text[s:e]
        if e - s > MAX_TITLE_CHARS or "\n" in segment or _byline(segment) or _DATE_LINE.match(segment):
            return None
        return i
    return None


def _byline(segment: str) -> tuple[int, int] | None:
    match = _BYLINE.match(segment) or _ZH_BYLINE.match(segment)
    if not match:
        return None
    name_start, name_end = match.span("name")
    name = segment[name_start:name_end]
    stripped = re.sub(r"(?:\s+(?:and|&|de|van|von|da|der|bin|al|el))+$", "", name)
    return name_start, name_start + len(stripped)


def _dateline(segment: str) -> tuple[int, int] | None:
    match = _DATELINE.match(segment)
    if match and len(match.group("dl")) <= 60:
        dl = match.group("dl")
        return match.start("dl"), match.start("dl") + len(dl.rstrip(" -–—:"))
    match = _ZH_DATELINE.match(segment)
    if match:
        return match.span("dl")
    return None
