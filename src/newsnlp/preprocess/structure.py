"""The structure of a news page's text: title, byline, date, dateline, body paragraphs, boilerplate.

Works on plain text as scraped: paragraphs are lines or blank-line blocks (hard-wrapped blocks are
kept whole). A learned line labeller (``models/pages``, loaded through
:func:`newsnlp.shipped.model_dir`) gives every paragraph a role from features of the line and its
neighbours (:mod:`newsnlp.preprocess.page_features`) in two passes: the second sees the first
pass's roles around each line, so the main text block shows as a run. The title is the line the
labeller finds most title-like; the author comes from the byline, the publication date from the
date line (or the byline) in English or Chinese. Without the model the hand-written rules
(:mod:`newsnlp.preprocess.page_rules`) decide. Nothing is removed: every part is a span.

Example:
    >>> s = find_structure("Home / News / Big Win\\n\\nBig Win\\n\\nBy Ann Lee\\n\\nThe team won.")
    >>> s.title, s.author, [b.role for b in s.blocks]
    ((23, 30), (35, 42), ['boilerplate', 'title', 'byline', 'body'])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from newsnlp.chars import han_count
from newsnlp.errors import ModelFormatError
from newsnlp.preprocess.byline_rank import BYLINE_INPUTS, rank_bylines
from newsnlp.preprocess.bylines import author_span, closing_credit
from newsnlp.preprocess.dates import find_date, slash_day_first
from newsnlp.preprocess.page_features import (
    FEATURES,
    LABELS,
    TITLE_INPUTS,
    context_features,
    line_features,
    title_candidates,
    window_features,
)
from newsnlp.preprocess.title_context import CONTEXT_FEATURES, TITLE_CONTEXT, title_context
from newsnlp.preprocess.page_rules import (
    _BYLINE,
    _ZH_BYLINE,
    MAX_TITLE_CHARS,
    Block,
    Structure,
    _dateline,
    _matches,
    page_spans,
    rule_roles,
    rule_structure,
    split_blocks,
)

_TITLE, _BODY, _BOILER = (LABELS.index(k) for k in ("title", "body", "boilerplate"))
_BYLINE_COLUMN = LABELS.index("byline")
_EDITOR = re.compile(r"责任编辑|责编|编辑[:：]")
_REPORTER = re.compile(r"记者|通讯员|报道")
_MAX_META_CHARS = 200
_NEAR_AUTHOR_CHARS = 150  # a date line beside the author's line is short
# Byline probability from which a short line near the headline may give the author when no line
# won the byline role. Chosen on the train part of the trafilatura corpus (not trained on by the
# shipped model; models/pages/README.md): 0.1 → 0.02 finds 35 of 65 gold authors instead of 31, and
# names nobody more on its 22 pages without an author (8 either way).
_WEAK_BYLINE = 0.02
_BY_IN_LINE = re.compile(r"\bby\s+[A-Z]", re.IGNORECASE)
_CLEAN_HEAD = 4  # title, byline, date, dateline: the short lines a plain article starts with
_CLAUSE_MARK = re.compile(r"[,.;，。；、]")  # a byline or date line is short; a longer line is read as body or boilerplate


@dataclass(frozen=True)
class LineLabeller:
    """Two logistic-regression passes over line windows and a title ranker; arrays from ``model.npz`` + ``model.json``."""

    mean1: np.ndarray
    scale1: np.ndarray
    weights1: np.ndarray
    bias1: np.ndarray
    mean2: np.ndarray
    scale2: np.ndarray
    weights2: np.ndarray
    bias2: np.ndarray
    title_weights: np.ndarray | None = None
    title_hidden_w: np.ndarray | None = None
    title_hidden_b: np.ndarray | None = None
    title_hidden_v: np.ndarray | None = None
    byline_weights: np.ndarray | None = None
    width: int = 2
    context: int = 3
    #: What the title ranker reads of the article about a candidate (names of
    #: :data:`~newsnlp.preprocess.title_context.CONTEXT_FEATURES`, in its input order; ``model.json``'s
    #: ``title_context``).
    title_context: tuple[str, ...] = ()

    @classmethod
    def load(cls, folder: Path) -> LineLabeller:
        """Read the arrays and settings saved by ``models/pages/train.py``."""
        config = json.loads((folder / "model.json").read_text("utf-8"))
        if config.get("features") != list(FEATURES) or config.get("labels") != list(LABELS):
            raise ModelFormatError(f"page labeller in {folder} was trained with other features or labels: retrain it "
                                   "with models/pages/train.py")
        with np.load(folder / "model.npz", allow_pickle=False) as arrays:  # plain arrays, never pickles
            tensors = {key: arrays[key].astype(np.float32) for key in arrays.files}
        title_inputs = tensors["title_weights"].shape[0] if "title_weights" in tensors else None
        context = tuple(config.get("title_context", ()))
        if "title_context" not in config and title_inputs == RANKER_INPUTS + 1:
            context = TITLE_CONTEXT  # a ranker saved before the names were: main_overlap (1.3 tried)
        if set(context) - set(CONTEXT_FEATURES):
            raise ModelFormatError(f"page labeller in {folder}: its title ranker reads {sorted(set(context) - set(CONTEXT_FEATURES))}, "
                                   "which this code does not make: retrain it with models/pages/train.py")
        if title_inputs is not None and title_inputs != TITLE_INPUTS + len(context) + 1:
            raise ModelFormatError(f"page labeller in {folder}: its title ranker expects {title_inputs - 1} inputs, "
                                   f"this code makes {TITLE_INPUTS + len(context)}: retrain it with "
                                   "models/pages/train.py")
        if "byline_weights" in tensors and tensors["byline_weights"].shape[0] != BYLINE_INPUTS + 1:
            raise ModelFormatError(f"page labeller in {folder}: its byline ranker has other inputs than this code "
                                   "makes: retrain it with models/pages/train.py")
        return cls(**tensors, width=config["width"], context=config["context"], title_context=context)

    def first_pass(self, rows: np.ndarray, *, windows: np.ndarray | None = None) -> np.ndarray:
        """Role probabilities from each line's window of features (``windows``: those windows, when found already)."""
        windows = window_features(rows, self.width) if windows is None else windows
        return _softmax(((windows - self.mean1) / self.scale1) @ self.weights1 + self.bias1)

    def second_pass(self, rows: np.ndarray, first: np.ndarray, *, windows: np.ndarray | None = None) -> np.ndarray:
        """Role probabilities from the window and the first pass's roles around each line."""
        windows = window_features(rows, self.width) if windows is None else windows
        features = np.hstack([windows, context_features(first, self.context)])
        return _softmax(((features - self.mean2) / self.scale2) @ self.weights2 + self.bias2)

    def rank_titles(self, text: str, spans: list[tuple[int, int]], rows: np.ndarray, probs: np.ndarray, *,
                    line_keys: Sequence[set[str]] | None = None) -> np.ndarray:
        """``probs`` with its title column replaced by the title ranker's choice among candidates."""
        if self.title_weights is None:
            return probs
        order, features = ranker_features(text, spans, rows, probs, context=self.title_context, line_keys=line_keys)
        ranked = probs.copy()
        ranked[:, _TITLE] = 0.0
        if len(order):
            scores = np.hstack([features, np.ones((len(order), 1), dtype=np.float32)]) @ self.title_weights
            if self.title_hidden_w is not None and self.title_hidden_b is not None and self.title_hidden_v is not None:
                scores = scores + np.tanh(features @ self.title_hidden_w.T + self.title_hidden_b) @ self.title_hidden_v
            scores = np.exp(scores - scores.max())
            ranked[order, _TITLE] = scores / scores.sum()
        return ranked

    def predict(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        """Probabilities of :data:`~newsnlp.preprocess.page_features.LABELS`, one row per span."""
        return self.features_and_roles(text, spans)[1]

    def features_and_roles(self, text: str, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """The spans' line features and :meth:`predict`'s probabilities (the features found once)."""
        keys: list[set[str]] = []
        rows = line_features(text, spans, keys_out=keys)
        return rows, self.predict_rows(text, spans, rows, line_keys=keys)

    def predict_rows(self, text: str, spans: list[tuple[int, int]], rows: np.ndarray, *,
                     line_keys: Sequence[set[str]] | None = None) -> np.ndarray:
        """:meth:`predict` from the spans' line features (:func:`~newsnlp.preprocess.page_features.line_features`;
        ``line_keys``, the content words it found, spare finding them again)."""
        if not len(rows):
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        windows = window_features(rows, self.width)  # both passes read the same windows
        probs = self.second_pass(rows, self.first_pass(rows, windows=windows), windows=windows)
        return self.rank_titles(text, spans, rows, probs, line_keys=line_keys)


#: Inputs of a title ranker with the page context of 1.3 tried (``main_overlap``) per candidate
#: (:func:`ranker_features`); a ranker without context (1.2) has ``TITLE_INPUTS``.
RANKER_INPUTS = TITLE_INPUTS + len(TITLE_CONTEXT)


def ranker_features(text: str, spans: list[tuple[int, int]], rows: np.ndarray, probs: np.ndarray, *,
                    context: tuple[str, ...] = TITLE_CONTEXT,
                    line_keys: Sequence[set[str]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The title candidates and the ranker's inputs for them: their line and role features
    (:func:`~newsnlp.preprocess.page_features.title_candidates`), then what the article says about
    them, the ``context`` features (:func:`~newsnlp.preprocess.title_context.title_context`)."""
    order, features = title_candidates(rows, probs)
    if not context:
        return order, features
    return order, np.hstack([features, title_context(text, spans, rows, probs, order, context, line_keys=line_keys)])


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@lru_cache(maxsize=1)
def default_labeller() -> LineLabeller | None:
    """The shipped labeller, or ``None`` when its files are not installed (the rules decide then)."""
    from newsnlp.shipped import model_dir

    folder = model_dir("pages")
    if not (folder / "model.npz").is_file():
        return None
    return LineLabeller.load(folder)


def find_structure(text: str, *, known_title: str | None = None, labeller: LineLabeller | None = None) -> Structure:
    """Find the parts of a news text.

    Args:
        text: The decoded text.
        known_title: A title known from elsewhere (HTML metadata); the block equal to it is the title.
        labeller: The line labeller to use (default: the shipped one; the rules when it is missing).
    """
    spans = page_spans(text)
    model = labeller or default_labeller()
    if model is None or _looks_clean(text, spans):
        found = rule_structure(text, spans, known_title=known_title)
        return replace(found, published=_published(text, found.blocks))
    rows, probs = model.features_and_roles(text, spans)
    return label_structure(text, spans, probs, known_title=known_title, byline_weights=model.byline_weights, rows=rows)


def _looks_clean(text: str, spans: list[tuple[int, int]]) -> bool:
    """A plain article: after a short head (title, byline, date) only paragraphs of text, and nothing
    the maintained patterns call boilerplate. The rules read such a text exactly; no page furniture
    is left for the labeller to find, and it must not drop a paragraph."""
    if len(spans) < 2:
        return True
    for i, (start, end) in enumerate(spans):
        segment = text[start:end]
        han = han_count(segment)
        if i >= _CLEAN_HEAD and end - start < 50 and han < 20:
            return False
    return "boilerplate" not in rule_roles(text, spans)


def label_structure(text: str, spans: list[tuple[int, int]], probs: np.ndarray, *,
                    known_title: str | None = None, byline_weights: np.ndarray | None = None,
                    rows: np.ndarray | None = None) -> Structure:
    """Roles, title, author, dateline and date from the labeller's probabilities over ``spans``.

    With ``byline_weights`` (the labeller's byline ranker) the author is the ranker's pick among the
    page's candidate names (``rows``: the spans' line features, found again when not given);
    without, the name in the byline line nearest the title.
    """
    roles = [LABELS[k] for k in probs.argmax(axis=1)] if len(spans) else []
    lengths = [e - s for s, e in spans]
    title_index = _title_index(text, spans, probs, known_title)
    for i, role in enumerate(roles):
        segment = text[spans[i][0]:spans[i][1]]
        # A byline names someone and a date line holds a date; a longer line that does not is text.
        unfounded = (role == "byline" and lengths[i] > 80 and author_span(segment) is None) or (
            role == "date" and lengths[i] > 40 and find_date(segment) is None)
        if role == "title" or unfounded or (role in ("byline", "date") and lengths[i] > _MAX_META_CHARS):
            roles[i] = "body" if probs[i, _BODY] >= probs[i, _BOILER] else "boilerplate"
    for i, (start, end) in enumerate(spans):
        # An editor's note cut off a paragraph's end (page_spans) is page furniture by construction.
        if roles[i] == "body" and lengths[i] <= 60 and _matches("inline_tail", text[start:end]):
            roles[i] = "boilerplate"
    if not any(role == "body" for i, role in enumerate(roles) if i != title_index):  # no body at all: long prose lines are still the article (a one-paragraph text)
        for i, (start, end) in enumerate(spans):
            if i != title_index and _is_prose(text[start:end]):
                roles[i] = "body"
    title = author = dateline = None
    if title_index is not None:
        roles[title_index] = "title"
        title = spans[title_index]
        # "By Ann Lee" just under the headline is its byline, whatever the page around it looks like.
        for i in range(title_index + 1, min(title_index + 4, len(spans))):
            segment = text[spans[i][0]:spans[i][1]]
            if roles[i] == "boilerplate" and lengths[i] <= 120 and (
                    _BYLINE.match(segment) or _ZH_BYLINE.match(segment)):
                roles[i] = "byline"
    if byline_weights is not None:
        rows = line_features(text, spans) if rows is None else rows
        picked = rank_bylines(text, spans, probs, title_index, byline_weights, rows)
        if picked is not None:
            line, start, end = picked
            author = (spans[line][0] + start, spans[line][0] + end)
    for i in _by_distance(roles, "byline", title_index) if byline_weights is None else ():
        found = author_span(text[spans[i][0]:spans[i][1]])
        if found:
            author = (spans[i][0] + found[0], spans[i][0] + found[1])
            break
    if author is None and title_index is not None and byline_weights is None:
        author = _weak_byline(text, spans, probs, roles, title_index)
    if author is None:  # no byline: an editor's note (（责任编辑：…）) names who signed the page off
        for i in range((title_index or 0) + 1, len(spans)):
            segment = text[spans[i][0]:spans[i][1]]
            if lengths[i] <= 60 and _EDITOR.search(segment):
                found = author_span(segment)
                if found:
                    author = (spans[i][0] + found[0], spans[i][0] + found[1])
                    break
    body_lines = [i for i, role in enumerate(roles) if role == "body"]
    # A Chinese article may name its reporter at its very end: "…（总台记者 张倩）". Footer lines may
    # follow it, so earlier body lines count too when the credit says 记者/通讯员/报道.
    for rank, i in enumerate(reversed(body_lines[-8:]) if author is None else ()):
        start, end = spans[i]
        found = closing_credit(text[start:end])
        if found and (rank == 0 or _REPORTER.search(text[max(start, end - 40):end])):
            author = (start + found[0], start + found[1])
            break
    first_body = next((i for i, role in enumerate(roles) if role == "body" and i > (title_index or -1)), None)
    if first_body is not None:
        found_dl = _dateline(text[spans[first_body][0]:spans[first_body][1]])
        if found_dl:
            dateline = (spans[first_body][0] + found_dl[0], spans[first_body][0] + found_dl[1])
    blocks = tuple(Block(s, e, r) for (s, e), r in zip(spans, roles))
    author_line = next((i for i, (s, e) in enumerate(spans) if s <= author[0] < e), None) if author else None
    return Structure(blocks, title, author, dateline, published=_published(text, blocks, title_index, author_line))


def _weak_byline(text: str, spans: list[tuple[int, int]], probs: np.ndarray, roles: list[str],
                 title_index: int) -> tuple[int, int] | None:
    """No line won the byline role: the short line near the headline that is most byline-like and
    names someone (a name on a line of its own, "Posted on March 4 by Ann Lee" read as a date line)."""
    near = [i for i in range(max(0, title_index - 3), min(len(spans), title_index + 10))
            if i != title_index and spans[i][1] - spans[i][0] <= 80 and roles[i] != "body"]
    for i in sorted(near, key=lambda i: -probs[i, _BYLINE_COLUMN]):
        if probs[i, _BYLINE_COLUMN] < _WEAK_BYLINE and roles[i] != "date":
            continue
        segment = text[spans[i][0]:spans[i][1]]
        found = author_span(segment) if roles[i] != "date" or _BY_IN_LINE.search(segment) else None
        if found:
            return spans[i][0] + found[0], spans[i][0] + found[1]
    return None


def _is_prose(segment: str) -> bool:
    """A long line of sentences: 150+ characters (60+ Han characters) with clause punctuation."""
    han = han_count(segment)
    return (len(segment) >= 150 or han >= 60) and len(_CLAUSE_MARK.findall(segment)) >= 2


def title_line(text: str, spans: list[tuple[int, int]], probs: np.ndarray, known_title: str | None = None) -> int | None:
    """The index of the title line: the one equal to ``known_title``, else the most title-like short line."""
    return _title_index(text, spans, probs, known_title)


def _title_index(text: str, spans: list[tuple[int, int]], probs: np.ndarray, known_title: str | None) -> int | None:
    if known_title:
        wanted = known_title.strip().lower()
        for i, (s, e) in enumerate(spans):
            if text[s:e].strip().lower() == wanted:
                return i
    if not spans:
        return None
    scores = np.where(np.array([e - s <= MAX_TITLE_CHARS for s, e in spans]), probs[:, _TITLE], -1.0)
    best = int(scores.argmax())
    return best if scores[best] >= 0.05 else None


def _by_distance(roles: list[str], role: str, anchor: int | None) -> list[int]:
    """Indices of lines with ``role``, nearest to the title first (lines after it win ties)."""
    found = [i for i, r in enumerate(roles) if r == role]
    base = anchor if anchor is not None else 0
    return sorted(found, key=lambda i: (abs(i - base) + (0.5 if i < base else 0.0)))


def _published(text: str, blocks: tuple[Block, ...], title_index: int | None = None,
               author_line: int | None = None) -> str | None:
    """The publication date: from the date lines (nearest the title first), then the byline; else a
    short line at most two lines from the author's ("Author: Ann Lee / Published: / 3 December 2019")."""
    roles = [b.role for b in blocks]
    near_author = [] if author_line is None else [
        i for i in (author_line, author_line + 1, author_line - 1, author_line + 2, author_line - 2)
        if 0 <= i < len(blocks) and blocks[i].end - blocks[i].start <= _NEAR_AUTHOR_CHARS]
    for i in [*_by_distance(roles, "date", title_index), *_by_distance(roles, "byline", title_index), *near_author]:
        segment = text[blocks[i].start:blocks[i].end]
        found = find_date(segment)
        if found and "/" in segment[found[0]:found[1]]:  # 04/05/2020: the page's other dates say which order
            found = find_date(segment, day_first=slash_day_first(text))
        if found:
            return found[2]
    return None


__all__ = ["Block", "LineLabeller", "Structure", "default_labeller", "find_structure", "label_structure", "split_blocks"]
