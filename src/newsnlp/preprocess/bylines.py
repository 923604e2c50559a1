"""The author's name(s) in a byline line, English or Chinese.

The line labeller says which line is the byline; this finds the names in it: "By Ann Lee",
"Analysis by Joan Biskupic, CNN Senior Supreme Court Analyst", "By Ann Lee and Bo Chen",
"Posted by: Dom", a line that is only a name ("Kevin Affleck"), "本报记者 张三", "记者 伊琳 李清芬",
"（责任编辑：刘林源）", "[ 黄宇 ]", a WeChat post's "原创 张三 某某公众号 2024-03-04".

Example:
    >>> line = "Analysis by Joan Biskupic, CNN Senior Supreme Court Analyst"
    >>> start, end = author_span(line)
    >>> line[start:end]
    'Joan Biskupic'
"""

from __future__ import annotations

import re

from newsnlp.chars import HAN_BASIC

_PARTICLES = r"(?:de|la|le|van|von|da|der|del|den|di|du|bin|al|el|ibn|dos|das|st\.?)"
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|\"[^\"\n]{1,20}\"|“[^”\n]{1,20}”)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_PARTICLES}(?=(?:\s+{_PARTICLES})*\s+[A-Z])))*"
_EN_BY = re.compile(
    rf"(?:^|[\s|·•(])(?i:by|written by|posted by|story by|words by|reporting by|author|words)\s*[:：]?\s+"
    rf"(?P<name>{_NAME}(?:\s*(?:,\s*|\s+)(?:and|&)\s+{_NAME}|,\s+{_NAME}(?=\s*(?:,|\s+and\s)))*)"
)
_ONLY_NAME = re.compile(rf"^\s*(?P<name>{_NAME})\s*$")
# "Tom Harris, Reporter", "Ann Lee, Senior Staff Writer": a name and the writer's job, nothing else.
_NAME_AND_JOB = re.compile(
    rf"^\s*(?P<name>{_NAME}),\s+(?i:(?:senior|chief|staff|contributing|special|political|business|sports|"
    r"news|investigative|freelance|local|health|science|education)\s+)*(?i:reporter|writer|correspondent|editor|"
    r"columnist|contributor|journalist)\s*$"
)
_ZH_NAMES = rf"[{HAN_BASIC}·]{{2,5}}(?![{HAN_BASIC}])(?:[\s、,，]+[{HAN_BASIC}·]{{2,5}}(?![{HAN_BASIC}]))*"
_ZH_BY = re.compile(
    rf"(?:本报记者|特约记者|见习记者|首席记者|记者|作者|撰文|编译|通讯员|责任编辑|实习编辑|编辑|责编|图/文|文/图"
    rf"|(?<![{HAN_BASIC}])文(?!章))"  # 文 alone, not in 正文 or 文章
    rf"\s*[:：/／|｜]?\s*(?P<name>{_ZH_NAMES})"
)
# A WeChat post's head: "原创 <author> <account> 2024-03-04 10:30": the author is the first name of two.
_WECHAT_BY = re.compile(rf"^\s*原创\s+(?P<name>[{HAN_BASIC}·]{{2,5}})\s+\S{{1,30}}\s+\d{{4}}(?:-\d{{1,2}}-\d{{1,2}}|年)")
_ZH_BRACKET = re.compile(rf"^\s*[\[【(（]\s*(?P<name>{_ZH_NAMES})\s*[\]】)）]")
_NOT_A_NAME = re.compile(r"(?:报道|摄|电|讯|编辑|记者|来源|新闻|日报|晚报|网)$")


def author_span(line: str) -> tuple[int, int] | None:
    """The span of the author name(s) in a byline ``line``, or ``None`` when it names nobody."""
    match = _EN_BY.search(line)
    if match:
        return _trim_en(line, *match.span("name"))
    for pattern in (_ZH_BY, _WECHAT_BY, _ZH_BRACKET):
        match = pattern.search(line)
        if match:
            return _trim_zh(line, *match.span("name"))
    match = _ONLY_NAME.match(line) if len(line) <= 40 else None
    match = match or _NAME_AND_JOB.match(line)
    if match and 2 <= len(match.group("name").split()) <= 4 and len(line) <= 60:
        return match.span("name")
    return None


_CLOSING_CREDIT = re.compile(
    rf"[（(]\s*(?:[{HAN_BASIC}]{{0,8}}?(?:记者|通讯员|作者)\s*)?"
    rf"(?P<name>{_ZH_NAMES})\s*(?:[{HAN_BASIC}]{{0,6}}报道)?\s*[）)]\s*$"
)


def closing_credit(paragraph: str) -> tuple[int, int] | None:
    """The reporter named at the end of a Chinese article's last paragraph: "…（总台记者 张倩）"."""
    match = _CLOSING_CREDIT.search(paragraph[-40:])
    if not match:
        return None
    found = _trim_zh(match.string, *match.span("name"))
    if found is None:
        return None
    offset = max(0, len(paragraph) - 40)
    return offset + found[0], offset + found[1]


def _trim_en(line: str, start: int, end: int) -> tuple[int, int] | None:
    while end > start and line[end - 1] in " .,;:":
        # A name ending in an abbreviation keeps its full stop ("Perry Bacon Jr.", "Ann B.").
        if line[end - 1] == "." and re.search(r"(?:\b(?:Jr|Sr)|\b[A-Z])$", line[start:end - 1]):
            break
        end -= 1
    return (start, end) if end > start else None


def _trim_zh(line: str, start: int, end: int) -> tuple[int, int] | None:
    names = list(re.finditer(rf"[{HAN_BASIC}·]{{2,5}}", line[start:end]))
    kept = [m for m in names if not _NOT_A_NAME.search(m.group())]
    if not kept:
        return None
    # Names are kept up to the first piece that is not one ("山东冠县报道" ends the list).
    last = kept[0]
    for m in names[names.index(kept[0]) + 1:]:
        if _NOT_A_NAME.search(m.group()):
            break
        last = m
    return start + kept[0].start(), start + last.end()


__all__ = ["author_span", "closing_credit"]
