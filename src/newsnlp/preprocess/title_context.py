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

import numpy as np

from newsnlp.chars import HAN_RE
from newsnlp.preprocess.page_features import _WORD, LABELS, _content_keys, _main_run

TITLE_CONTEXT = ("main_overlap",)
_BODY = LABELS.index("body")


def title_context(text: str, spans: list[tuple[int, int]], rows: np.ndarray, probs: np.ndarray,
                  order: np.ndarray) -> np.ndarray:
    """One row of :data:`TITLE_CONTEXT` per candidate line in ``order`` (float32); ``rows`` (the
    lines' features) are not read yet."""
    out = np.zeros((len(order), len(TITLE_CONTEXT)), dtype=np.float32)
    if not len(order):
        return out

    def keys(j: int) -> set[str]:
        segment = text[spans[j][0]:spans[j][1]]
        return _content_keys(_WORD.findall(segment), HAN_RE.findall(segment))

    start, end = _main_run(probs[:, _BODY] >= 0.5)
    body = [j for j in range(start, min(end + 1, len(spans))) if probs[j, _BODY] >= 0.5]
    main: set[str] = set().union(*(keys(j) for j in body)) if body else set()
    for row, i in enumerate(order.tolist()):
        own = keys(i)
        out[row, 0] = len(own & main) / len(own) if own else 0.0
    return out


__all__ = ["TITLE_CONTEXT", "title_context"]
