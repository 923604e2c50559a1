"""Candidate authors of a page and their features, for the learned byline ranker.

The line labeller gives each line a byline probability; on modern pages the byline is often a bare
name on a line of its own ("Edward Russell" between the headline and the date), a name after a
"Posted by" line, or "Author: …" under the text, and the labeller's probability alone is a weak
guide. Here every short line that names someone (:func:`~newsnlp.preprocess.bylines.author_span`,
and a few more forms: "ByAlex Bozarjian", a name after a line ending in "by", a name with a
footnote mark, "© 2020 Ann Lee") is a *candidate*, described by its cue words, how name-like its
words are (a word the page also prints in lower case is no name), where it stands to the title,
the main run of body lines and the date line, and the labeller's role probabilities around it.
A conditional logit (``models/pages/train.py``) scores the candidates and a "nobody" option; the
best one gives the author (:func:`rank_bylines`).

Example:
    >>> text = "Big Win\\n\\nAnn Lee\\n\\nMarch 4, 2024\\n\\nThe team won the final on Sunday."
    >>> from newsnlp.preprocess.page_rules import page_spans
    >>> from newsnlp.preprocess.page_features import line_features
    >>> spans = page_spans(text)
    >>> found = byline_candidates(text, spans, 0, (3, 3), [3], line_features(text, spans))
    >>> [text[spans[c.line][0] + c.start:spans[c.line][0] + c.end] for c in found]
    ['Ann Lee']
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from newsnlp.preprocess.bylines import author_span, closing_credit
from newsnlp.preprocess.page_features import FEATURES

_MAX_LINE = 120
_NEAR_TITLE = (-4, 15)  # lines before / after the title that may hold the byline without a cue word
_NEAR_END = 8  # lines after the main text that may hold "Author: …" without a cue word
_GLUED_BY = re.compile(r"^\s*By(?=[A-Z][a-z])")
_ENDS_BY = re.compile(r"(?:^|\s)(?:by|written by|posted by|author|authors|words|作者|记者|文)\s*[:：/]?\s*$", re.IGNORECASE)
_FOOTNOTE = re.compile(r"(?<=[a-z])[\d*†‡,]+\s*$")
_COPYRIGHT = re.compile(r"(?:(?:©|\(c\)|copyright)\s*)+(?:\d{4}\s*(?:[-–]\s*(?:\d{4})?)?\s*)?(?:by\s+)?", re.IGNORECASE)
_CUE = re.compile(r"(?:^|[\s|·•(])(?:by|written by|posted by|story by|words by|reporting by)\b", re.IGNORECASE)
_AUTHOR_CUE = re.compile(r"\bauthor(?:s|ed)?\b|\bwriter\b|\bcontributor\b|\bcolumnist\b|\bcorrespondent\b|\breporter\b",
                         re.IGNORECASE)
_EDITOR = re.compile(r"责任编辑|责编|编辑[:：]|\beditor\b", re.IGNORECASE)
_ZH_CUE = re.compile(r"记者|作者|撰文|通讯员|编辑|责编|编译")
# Line features (page_features.FEATURES) that mark a cue word: a byline pattern, "by …", 记者/作者/编辑.
_CUE_COLUMNS = [FEATURES.index(k) for k in ("byline", "by_word", "zh_byline_word", "rule_byline")]
_ENDS_BY_COLUMN = FEATURES.index("ends_by")
_HAS_DATE_COLUMN = FEATURES.index("has_date")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NAME_STOPS = frozenset(["the", "a", "an", "of", "and", "in", "on", "for", "to", "with", "at", "from", "by", "more",
                         "all", "our", "your", "my", "new", "news", "home", "about", "contact", "view", "read", "share"])
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TERMINAL = (".", "!", "?", "。", "！", "？", "…", "”", "\"")
_CLAUSE = re.compile(r"[,;，。；、]")
# Words of organisations and page furniture, not of people's names.
_ORG_WORDS = frozenset(
    "limited ltd inc llc corp corporation company co group news network networks press wire media times post tribune "
    "herald journal daily weekly sun star gazette telegraph guardian associated reuters afp ap staff team editors "
    "editorial desk service services agency online digital tv radio television broadcasting magazine review blog "
    "copyright rights reserved tools print printer font more most popular share email sign view login contact "
    "comments related story stories home page site website department university institute office correspondent "
    "reporter writer writers contributor special".split())
_COLUMNS = {"title": 0, "byline": 1, "date": 2, "body": 3, "boilerplate": 4}

#: Names of the features of one candidate (the ranker's inputs, before its "nobody" column).
CANDIDATE_FEATURES = (
    "p_title", "p_byline", "p_date", "p_body", "p_boiler", "p_byline_near", "no_title", "after_title",
    "log_to_title", "title_next", "title_next2", "before_main", "log_before_main", "after_main", "log_after_main",
    "in_main", "cue_by", "cue_author", "cue_zh", "glued_by", "prev_ends_by", "copyright", "name_only",
    "span_words", "common_words", "stop_words", "in_title", "all_caps", "digits", "span_share", "log_line",
    "has_date", "date_next", "date_prev", "repeated", "log_index", "separators", "han", "closing_credit", "editor",
    "given_name", "zh_surname", "org_words", "terminal", "clauses",
)
#: Inputs of the ranker: the candidate features and the "nobody" indicator.
BYLINE_INPUTS = len(CANDIDATE_FEATURES) + 1


@dataclass(frozen=True)
class Candidate:
    """A name span (``start``/``end`` within line ``line``) that may be the page's author."""

    line: int
    start: int
    end: int
    how: str = "line"


def _name_in(segment: str, previous: str) -> tuple[tuple[int, int] | None, str]:
    """The name span of a line and how it was found ("" when nothing)."""
    glued = _GLUED_BY.match(segment)
    if glued:
        found = author_span("By " + segment[glued.end():])
        if found:
            return (found[0] - 3 + glued.end(), found[1] - 3 + glued.end()), "glued"
    copyright_cue = _COPYRIGHT.search(segment)
    if copyright_cue:
        first = re.split(r"\.\s|\s[|·•]\s|,|\s+all rights reserved", segment[copyright_cue.end():], flags=re.IGNORECASE)[0]
        found = author_span("by " + first)
        if found:
            shift = copyright_cue.end() - 3
            return (found[0] + shift, found[1] + shift), "copyright"
    stripped = _FOOTNOTE.sub("", segment)
    found = author_span(stripped)
    if found:
        return found, "prev_by" if _ENDS_BY.search(previous) else "line"
    return None, ""


def byline_candidates(text: str, spans: list[tuple[int, int]], title: int | None, main: tuple[int, int],
                      body_lines: list[int], rows: np.ndarray) -> list[Candidate]:
    """Short lines that name someone: near the title, near the end of the main text, or with a cue word
    (the line features ``rows`` say which lines have one); a reporter credited at the end of the main
    text or of the last ``body_lines``."""
    out = []
    anchor = title if title is not None else main[0]
    end = main[1]
    lines = set(range(max(0, anchor + _NEAR_TITLE[0]), min(len(spans), anchor + _NEAR_TITLE[1] + 1)))
    lines |= set(range(end + 1, min(len(spans), end + _NEAR_END + 1)))
    cue = rows[:, _CUE_COLUMNS].max(axis=1) > 0 if len(rows) else np.zeros(0, dtype=bool)
    lines |= set(np.flatnonzero(cue).tolist())
    lines |= set((np.flatnonzero(rows[:, _ENDS_BY_COLUMN] > 0) + 1).tolist())
    for i in sorted(lines):
        if not 0 <= i < len(spans) or i == title or spans[i][1] - spans[i][0] > _MAX_LINE:
            continue
        previous = text[spans[i - 1][0]:spans[i - 1][1]] if i else ""
        found, how = _name_in(text[spans[i][0]:spans[i][1]], previous)
        if found:
            out.append(Candidate(i, found[0], found[1], how))
    # A Chinese article may name its reporter at its very end: "…（总台记者 张倩）".
    seen = {(c.line, c.start) for c in out}
    for i in sorted(set(range(max(0, end - 7), min(len(spans), end + 3))) | set(body_lines[-8:])):
        credit = closing_credit(text[spans[i][0]:spans[i][1]])
        if credit and (i, credit[0]) not in seen:
            out.append(Candidate(i, credit[0], credit[1], "closing"))
    return out


def candidate_features(text: str, spans: list[tuple[int, int]], probs: np.ndarray, title: int | None,
                       main: tuple[int, int], candidates: list[Candidate], rows: np.ndarray) -> np.ndarray:
    """One row of :data:`CANDIDATE_FEATURES` per candidate (float32)."""
    if not candidates:
        return np.zeros((0, len(CANDIDATE_FEATURES)), dtype=np.float32)
    title_words = set(w.lower() for w in _WORD.findall(text[slice(*spans[title])])) if title is not None else set()
    around = {c.line + k for c in candidates for k in (-2, -1, 0, 1, 2)}
    dates = {i for i in around if 0 <= i < len(spans) and rows[i, _HAS_DATE_COLUMN] > 0 and spans[i][1] - spans[i][0] <= 150}
    table = []
    n = len(spans)
    given, surnames = _name_lists()
    for c in candidates:
        s, e = spans[c.line]
        segment = text[s:e]
        name = segment[c.start:c.end]
        how = c.how
        han_name = "".join(_HAN.findall(name))
        words = _WORD.findall(name)
        lowered = [w.lower() for w in words]
        d = c.line - title if title is not None else 0
        near = probs[max(0, c.line - 1):c.line + 2, _COLUMNS["byline"]]
        table.append([
            *(float(probs[c.line, k]) for k in range(5)), float(near.max()),
            float(title is None), float(d > 0), math.log1p(abs(d)), float(d == 1), float(d == 2),
            float(c.line < main[0]), math.log1p(max(0, main[0] - c.line)), float(c.line > main[1]),
            math.log1p(max(0, c.line - main[1])), float(main[0] <= c.line <= main[1]),
            float(bool(_CUE.search(segment[:c.start + 1]))), float(bool(_AUTHOR_CUE.search(segment))),
            float(bool(_ZH_CUE.search(segment))), float(how == "glued"), float(how == "prev_by"),
            float(how == "copyright"), float(c.start <= 1 and c.end >= len(segment.rstrip(" .,;:0123456789*")) - 1),
            min(len(words), 6) / 6, sum(_lower_on_page(w, text) for w in lowered) / max(1, len(words)),
            sum(w in _NAME_STOPS for w in lowered) / max(1, len(words)),
            sum(w in title_words for w in lowered) / max(1, len(words)),
            float(name.isupper()), float(any(ch.isdigit() for ch in segment)), (c.end - c.start) / max(1, e - s),
            math.log1p(e - s), float(c.line in dates), float(c.line + 1 in dates or c.line + 2 in dates),
            float(c.line - 1 in dates or c.line - 2 in dates), math.log1p(text.count(name) - 1) if name else 0.0,
            math.log1p(c.line) / math.log1p(max(1, n)), float(bool(re.search(r"[|·•]", segment))),
            float(bool(re.search(r"[\u4e00-\u9fff]", name))), float(how == "closing"),
            float(bool(_EDITOR.search(segment))), float(bool(lowered) and lowered[0].strip(".") in given),
            float(bool(han_name) and (han_name[:1] in surnames or han_name[:2] in surnames)),
            sum(w in _ORG_WORDS for w in lowered) / max(1, len(words)), float(segment.rstrip().endswith(_TERMINAL)),
            min(3, len(_CLAUSE.findall(segment))) / 3,
        ])
    return np.array(table, dtype=np.float32)


def _lower_on_page(word: str, text: str) -> bool:
    """Whether the page prints ``word`` in lower case as a word of its own (then it is no name)."""
    return any(f" {word}{after}" in text for after in " ,.")


@lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """English given names (``resources/given_names_en.json``) and common Chinese surnames (``zh_surnames.json``)."""
    folder = resources.files("newsnlp.resources")
    given = json.loads(folder.joinpath("given_names_en.json").read_text("utf-8"))
    surnames = json.loads(folder.joinpath("zh_surnames.json").read_text("utf-8"))["surnames"]
    return frozenset(given["female"]) | frozenset(given["male"]), frozenset(k for k, v in surnames.items() if v >= 5)


def main_run(probs: np.ndarray, gap: int = 2) -> tuple[int, int]:
    """First and last line of the longest run of body lines (runs bridge up to ``gap`` other lines)."""
    body = probs[:, _COLUMNS["body"]] >= 0.5
    best, current, last = (len(body), len(body)), None, -10
    size = 0
    for i in np.flatnonzero(body).tolist():
        if current is None or i - last > gap + 1:
            current = [i, i, 0]
        current[1], current[2] = i, current[2] + 1
        last = i
        if current[2] > size:
            best, size = (current[0], current[1]), current[2]
    return best


def body_lines(probs: np.ndarray) -> list[int]:
    """Lines the labeller finds most likely body."""
    return np.flatnonzero(probs.argmax(axis=1) == _COLUMNS["body"]).tolist()


def ranker_inputs(features: np.ndarray) -> np.ndarray:
    """The candidates' rows plus the "nobody" row (zeros and a last column of one)."""
    rows = np.zeros((len(features) + 1, BYLINE_INPUTS), dtype=np.float32)
    rows[:-1, :-1] = features
    rows[-1, -1] = 1.0
    return rows


def rank_bylines(text: str, spans: list[tuple[int, int]], probs: np.ndarray, title: int | None,
                 weights: np.ndarray, rows: np.ndarray) -> tuple[int, int, int] | None:
    """The best candidate as (line, start, end) within the line, or ``None`` when "nobody" wins.

    ``weights`` has :data:`BYLINE_INPUTS` + 1 entries (standardisation folded in; the last is a constant).
    """
    main = main_run(probs)
    candidates = byline_candidates(text, spans, title, main, body_lines(probs), rows)
    if not candidates:
        return None
    inputs = ranker_inputs(candidate_features(text, spans, probs, title, main, candidates, rows))
    scores = inputs @ weights[:-1]
    scores[:-1] += weights[-1]  # the constant of the candidates' standardisation, not of "nobody"
    best = int(np.argmax(scores))
    if best == len(candidates):
        return None
    c = candidates[best]
    return c.line, c.start, c.end


__all__ = ["BYLINE_INPUTS", "CANDIDATE_FEATURES", "Candidate", "body_lines", "byline_candidates", "candidate_features", "main_run",
           "rank_bylines", "ranker_inputs"]
