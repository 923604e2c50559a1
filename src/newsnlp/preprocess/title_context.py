"""What the article says about a title candidate: a feature for the title ranker that needs the text.

:func:`~newsnlp.preprocess.page_features.title_candidates` describes each candidate by its own line
features and the labeller's roles around it. Read on the train pages and the dev tuning half, the
ranker still took a menu entry ("League 2", "All news archive", "What are these?"), a link to another
story or a deck over the headline: lines the article's text does not repeat. ``main_overlap``
(:data:`TITLE_CONTEXT`) is the share of the candidate's content words (3+ letters, not stop words; Han
bigrams) found in the lines of the main run of body lines (the longest run of lines the labeller
calls body). The line feature of the same name counts every long line of the page, related-story
teasers and comment threads too.

(Tried beside it, with no gain over it alone in site cross-validation on the train pages: overlap
with the lede only, the share of short lines around, a shorter candidate just above / longer just
below, a headline-like line one or two lines away, the line being a part of a longer line cut at a
separator ("Site | Title"); models/pages/README.md, 1.3.)

:data:`CONTEXT_FEATURES` names every feature this module gives; a ranker reads the ones its
``model.json`` lists (``title_context``). Session 15 added a count for the share's noise on short lines
("E-mail this to a friend" scores 1.0 when the story is about e-mail): ``matched_words``, log(1 + the
number of the candidate's content words of 4+ letters, not page furniture (:data:`_FURNITURE`), that the
main run repeats), and the variants it was chosen over (``strict_overlap``, ``rare_overlap``,
``matched_any``, ``matched_cap``, ``matched_rare``, ``deck_shape``, ``headline_shape``, ``furniture``;
figures in models/pages/README.md); ``matched_others`` counts only the words another line of the main run
repeats (a candidate inside the run does not match itself). No shipped ranker reads any of them yet.

Example:
    >>> import numpy as np
    >>> text = "Big Win\\n\\nThe team won the final on Sunday, and the town came out to cheer the big win."
    >>> from newsnlp.preprocess.page_rules import page_spans
    >>> from newsnlp.preprocess.page_features import line_features
    >>> spans = page_spans(text)
    >>> probs = np.array([[0.9, 0, 0, 0.05, 0.05], [0.0, 0, 0, 1.0, 0.0]], dtype=np.float32)
    >>> title_context(text, spans, line_features(text, spans), probs, np.array([0])).tolist()
    [[1.0]]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

import numpy as np

from newsnlp.chars import HAN_RE
from newsnlp.preprocess.page_features import _WORD, LABELS, _content_keys, _main_run

TITLE_CONTEXT = ("main_overlap",)
#: Every feature :func:`title_context` can give; a ranker reads those of :data:`TITLE_CONTEXT`.
CONTEXT_FEATURES = ("main_overlap", "strict_overlap", "rare_overlap", "matched_words", "deck_shape",
                    "headline_shape", "furniture", "matched_any", "matched_cap", "matched_rare", "matched_others")
_BODY = LABELS.index("body")
# Words of page furniture: share and feed links, menus, comment forms. A story about e-mail repeats
# "e-mail", not "E-mail this to a friend".
_FURNITURE = frozenset(
    "email e-mail mail friend print share feed feeds rss subscribe subscription comment comments reply login "
    "sign register home news latest more read click here page pages next previous prev back top menu search "
    "archive archives section sections related story stories video videos photo photos gallery view follow "
    "twitter facebook tweet like post posted link links site contact about advertise advertisement terms "
    "privacy policy copyright rights reserved newsletter alerts blog blogs today most popular".split())
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)]?$")


def _strict(keys: set[str]) -> set[str]:
    """Content words of 4+ letters that are not page furniture, and Han bigrams."""
    return {k for k in keys if (len(k) >= 4 and k not in _FURNITURE) or HAN_RE.match(k)}


def title_context(text: str, spans: list[tuple[int, int]], rows: np.ndarray, probs: np.ndarray,
                  order: np.ndarray, names: tuple[str, ...] | None = None, *,
                  line_keys: Sequence[set[str]] | None = None) -> np.ndarray:
    """One row of ``names`` (default :data:`TITLE_CONTEXT`) per candidate line in ``order`` (float32);
    ``rows`` (the lines' features) are not read yet."""
    names = TITLE_CONTEXT if names is None else names
    out = np.zeros((len(order), len(names)), dtype=np.float32)
    if not len(order):
        return out

    def keys(j: int) -> set[str]:
        if line_keys is not None:  # found by line_features already
            return line_keys[j]
        segment = text[spans[j][0]:spans[j][1]]
        return _content_keys(_WORD.findall(segment), HAN_RE.findall(segment))

    start, end = _main_run(probs[:, _BODY] >= 0.5)
    body = [j for j in range(start, min(end + 1, len(spans))) if probs[j, _BODY] >= 0.5]
    main: set[str] = set().union(*(keys(j) for j in body)) if body else set()
    inside = set(body)
    # How many main-run lines hold each word: a candidate inside the run must find its words in another line.
    held: Counter[str] = Counter()
    if "matched_others" in names:
        for j in body:
            held.update(keys(j))
    # How many lines outside the main run hold each word: menu words recur there, a headline's rarely.
    outside: Counter[str] = Counter()
    if any(n in names for n in ("rare_overlap", "matched_rare")):
        for j in range(len(spans)):
            if j not in inside:
                outside.update(keys(j))
    length = [len(text[s:e]) for s, e in spans]
    for row, i in enumerate(order.tolist()):
        own = keys(i)
        strict = _strict(own)
        segment = text[spans[i][0]:spans[i][1]].strip()
        values = {}
        values["main_overlap"] = len(own & main) / len(own) if own else 0.0
        matched = strict & main
        values["strict_overlap"] = len(matched) / len(strict) if len(matched) >= 2 else 0.0
        rare = {k for k in matched if outside[k] - 1 <= 1}  # the candidate itself is outside once
        values["rare_overlap"] = len(rare) / len(strict) if len(rare) >= 2 else 0.0
        values["matched_words"] = math.log1p(len(matched))
        values["matched_others"] = math.log1p(sum(1 for k in matched if held[k] - (i in inside) >= 1))
        values["matched_any"] = math.log1p(len(own & main))
        values["matched_cap"] = min(len(matched), 4) / 4
        values["matched_rare"] = math.log1p(len(rare))
        sentence = bool(_SENTENCE_END.search(segment))
        above = length[i - 1] if i > 0 else 0
        below = length[i + 1] if i + 1 < len(spans) else 0
        below_sentence = i + 1 < len(spans) and bool(_SENTENCE_END.search(text[slice(*spans[i + 1])].strip()))
        # A deck: a sentence right under a shorter line; a headline: no full stop, a longer sentence under it.
        values["deck_shape"] = float(sentence and 0 < above < length[i])
        values["headline_shape"] = float(not sentence and below > length[i] and below_sentence)
        values["furniture"] = (len(own - strict - {k for k in own if len(k) < 4}) / len(own)) if own else 0.0
        out[row] = [values[n] for n in names]
    return out


__all__ = ["CONTEXT_FEATURES", "TITLE_CONTEXT", "title_context"]
