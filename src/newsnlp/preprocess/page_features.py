"""Features of each paragraph (line) of a page, for the learned line labeller.

One row per paragraph span: the line's own shape (length, punctuation, stop words, capitals, digits,
Han characters), menu-, link-, date- and byline-like patterns in English and Chinese, the
hand-written rules' verdict (``resources/boilerplate.json`` patterns, breadcrumbs, trailers, the
rule title/byline/date), its position relative to the page's main text block, and repetition on
the page. :func:`window_features` adds the neighbours' rows so the model sees the sequence. Pure
Python and numpy: the same code makes the training rows (``models/pages/train.py``) and runs.

Example:
    >>> text = "Menu\\n\\nBig Win\\n\\nThe team won the final on Sunday, and the town came out to cheer."
    >>> from newsnlp.preprocess.page_rules import page_spans
    >>> line_features(text, page_spans(text)).shape == (3, len(FEATURES))
    True
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from newsnlp.chars import HAN_RE
from newsnlp.preprocess.dates import find_date
from newsnlp.preprocess.page_rules import (
    _BYLINE,
    _DATE_LINE,
    _ZH_BYLINE,
    _dateline,
    _is_breadcrumb,
    _matches,
    rule_roles,
)

FEATURES = (
    "log_chars", "log_words", "han", "terminal", "colon_end", "commas", "stops", "zh_function", "capitalised",
    "all_caps", "digits", "separators", "link_like", "bullet", "rule_line", "rule_trailer", "rule_tail",
    "breadcrumb", "byline", "by_word", "zh_byline_word", "date_line", "has_date", "date_early", "dateline",
    "position", "log_index", "long", "long_words", "to_first_long", "before_first_long", "after_last_long",
    "log_gap_long", "long_near", "share_of_max", "repeated", "after_trailer", "rule_title", "rule_byline",
    "rule_date", "rule_boilerplate", "page_lines", "page_short", "first_line", "last_line", "question",
    "quote_start", "title_like", "long_next", "main_overlap", "lede_overlap", "ends_by", "name_only",
)
# Short words, one per line: function words make prose; their share separates a sentence from a menu.
_EN_STOPS = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "from", "and", "or", "but", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its", "this", "that", "these", "those", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "as", "not", "will", "would", "said", "says", "can", "could", "may", "about", "after", "than", "then", "there", "which", "who", "when", "while", "into", "over", "also", "more"]
)
_ZH_FUNCTION = frozenset("的了是在和有也就都而及与对这那他她们说将为被把从到")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
_PUNCT = re.compile(r"[,.;，。；、]")
# What str.isdigit counts, as one character class (decimal digits, superscripts, circled digits …):
# a regex counts them faster than a Python loop over the line's characters.
_DIGIT = re.compile(
    "[\\d\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c"
    "\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\U00010a40-\U00010a43"
    "\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a]")
_SEPARATORS = re.compile(r"\s[|·•/>»]\s|\s?\|\s?|[|｜·•]")
_SEPARATOR_CHAR = re.compile(r"[|·•/>»｜]")  # a line without one has no separator (a fast test)
_LINK_LIKE = re.compile(r"https?://|www\.|\.com\b|\.cn\b|@\w|\bclick\b|点击|»|>>|<<", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[·•\-*–—►▶■□●○◆◇\d]{1,2}[.)、\s]|[·•►▶■●◆])")
_BY_WORD = re.compile(r"(?:^|\s)(?:by|from|written by|reporter|correspondent|staff writer)\s+[A-Z]", re.IGNORECASE)
_ZH_BYLINE_WORD = re.compile(r"记者|作者|编辑|撰文|通讯员|责编|来源[:：]")
_TERMINAL = (".", "!", "?", "。", "！", "？", "…", "\"", "”", "’", ")", "）", "」")
# "By" / "words written by" closing a line: the name follows on the next line.
_ENDS_BY = re.compile(r"(?:^|\s)(?:by|written by|author|words|von|作者|记者|文)\s*[:：/]?$", re.IGNORECASE)
# A line that is only a name: two to four capitalised words ("Edward Russell", "Leah C. Stokes").
_NAME_ONLY = re.compile(r"^(?:[A-Z][\w'’-]*\.?|[A-Z]\.)(?:\s+(?:[A-Z][\w'’-]*\.?|[A-Z]\.|de|van|von|da|del|la|bin)){1,3}$")
_LONG_CHARS = 150
_LONG_HAN = 60


def line_features(text: str, spans: list[tuple[int, int]], *, keys_out: list[set[str]] | None = None) -> np.ndarray:
    """One row of :data:`FEATURES` per span (float32); ``keys_out`` (if given) receives each line's
    content words, which the title ranker's context features read again."""
    n = len(spans)
    if n == 0:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    table: list[list[float]] = []  # plain lists, one array at the end: numpy item writes are slow
    segments = [text[s:e] for s, e in spans]
    roles_by_rules = rule_roles(text, spans)
    lengths = [len(seg) for seg in segments]
    han_chars = [HAN_RE.findall(seg) for seg in segments]  # each line's words and Han characters, found once
    line_words = [_WORD.findall(seg) for seg in segments]
    han_counts = [len(chars) for chars in han_chars]
    long_flags = [lengths[i] >= _LONG_CHARS or han_counts[i] >= _LONG_HAN for i in range(n)]
    long_idx = [i for i, flag in enumerate(long_flags) if flag]
    first_long = long_idx[0] if long_idx else n
    last_long = long_idx[-1] if long_idx else -1
    max_len = max(lengths) or 1
    counts = Counter(seg.lower() for seg in segments)
    short_share = sum(1 for length in lengths if length < 40) / n
    trailer_seen = False
    next_long = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_long[i] = i if long_flags[i] else next_long[i + 1]
    prev_long = -10**6
    # Headline words come back in the article's text: the share of a line's content words (Han
    # bigrams) found in the long lines, and in the first long line after it (the lede).
    keys = [_content_keys(words, chars) for words, chars in zip(line_words, han_chars)]
    if keys_out is not None:
        keys_out.extend(keys)
    main_keys: set[str] = set().union(*(keys[i] for i in long_idx)) if long_idx else set()
    for i, seg in enumerate(segments):
        length = lengths[i]
        words = line_words[i]
        n_words = len(words)
        han = han_counts[i]
        alpha = [w for w in words if w[0].isalpha()]
        capitalised = sum(1 for w in alpha if w[0].isupper()) / len(alpha) if alpha else 0.0
        all_caps = 1.0 if alpha and all(w.isupper() for w in alpha if len(w) > 1) and any(len(w) > 1 for w in alpha) else 0.0
        stripped = seg.rstrip()
        digits = len(_DIGIT.findall(seg))
        # a date has 4+ digits; the date forms the labeller was trained with (dates.find_date)
        found_date = find_date(seg, more=False) if length <= 200 and digits >= 4 else None
        if long_flags[i]:
            prev_long = i
        near = sum(long_flags[max(0, i - 5):i + 6])
        gap = min(i - prev_long if prev_long >= 0 else n, next_long[i] - i if next_long[i] < n else n)
        trailer = length <= 120 and i > 0 and _matches("trailer", seg)
        row = [0.0] * len(FEATURES)
        table.append(row)
        row[0] = math.log1p(length)
        row[1] = math.log1p(n_words + han / 2)
        row[2] = han / length if length else 0.0
        row[3] = stripped.endswith(_TERMINAL)
        row[4] = stripped.endswith((":", "："))
        row[5] = len(_PUNCT.findall(seg)) / (n_words + han / 2 + 1)
        row[6] = sum(map(_EN_STOPS.__contains__, map(str.lower, words))) / n_words if n_words else 0.0
        row[7] = sum(1 for ch in seg if ch in _ZH_FUNCTION) / han if han else 0.0
        row[8] = capitalised
        row[9] = all_caps
        row[10] = digits / length if length else 0.0
        row[11] = min(len(_SEPARATORS.findall(seg)), 5) / 5 if _SEPARATOR_CHAR.search(seg) else 0.0
        row[12] = bool(_LINK_LIKE.search(seg))
        row[13] = bool(_BULLET.match(seg))
        row[14] = length <= 300 and _matches("line", seg)
        row[15] = trailer
        row[16] = _matches("inline_tail", seg)
        row[17] = _is_breadcrumb(seg)
        row[18] = length <= 120 and bool(_BYLINE.match(seg) or _ZH_BYLINE.match(seg))
        row[19] = length <= 120 and bool(_BY_WORD.search(seg))
        row[20] = length <= 80 and bool(_ZH_BYLINE_WORD.search(seg))
        row[21] = length <= 80 and bool(_DATE_LINE.match(seg))
        row[22] = found_date is not None
        row[23] = found_date is not None and found_date[0] <= 30 and length <= 100
        row[24] = _dateline(seg) is not None
        row[25] = i / n
        row[26] = math.log1p(i)
        row[27] = long_flags[i]
        row[28] = min(n_words + han / 2, 400) / 100
        row[29] = math.copysign(math.log1p(abs(i - first_long)), i - first_long)
        row[30] = i < first_long
        row[31] = i > last_long
        row[32] = math.log1p(gap)
        row[33] = near / 11
        row[34] = length / max_len
        row[35] = counts[seg.lower()] > 1
        trailer_seen = trailer_seen or trailer
        row[36] = trailer_seen
        row[37] = roles_by_rules[i] == "title"
        row[38] = roles_by_rules[i] == "byline"
        row[39] = roles_by_rules[i] == "date"
        row[40] = roles_by_rules[i] == "boilerplate"
        row[41] = math.log1p(n)
        row[42] = short_share
        row[43] = i == 0
        row[44] = i == n - 1
        row[45] = stripped.endswith(("?", "？"))
        row[46] = seg[:1] in "\"“‘'「"
        row[47] = (2 <= n_words <= 25 or 6 <= han <= 45) and not row[3] and length <= 200
        row[48] = math.log1p(next_long[i + 1] - i) if i + 1 < n and next_long[i + 1] < n else math.log1p(n)
        own = keys[i]
        if own and not long_flags[i]:
            row[49] = len(own & main_keys) / len(own)
            if i + 1 < n and next_long[i + 1] < n:
                row[50] = len(own & keys[next_long[i + 1]]) / len(own)
        if length <= 40:
            row[51] = bool(_ENDS_BY.search(seg))
            row[52] = bool(_NAME_ONLY.match(seg))
    return np.array(table, dtype=np.float32)


def _content_keys(line_words: list[str], han_chars: list[str]) -> set[str]:
    """Lower-cased content words (3+ letters, not stop words) and Han character bigrams of a line."""
    words = {w.lower() for w in line_words if len(w) > 2}
    words -= _EN_STOPS
    if len(han_chars) > 1:
        han = "".join(han_chars)
        words.update(han[k:k + 2] for k in range(len(han) - 1))
    return words


def window_features(rows: np.ndarray, width: int = 2) -> np.ndarray:
    """Each row followed by its neighbours' rows (``width`` each side, zeros past the page's ends)."""
    n, f = rows.shape
    padded = np.zeros((n + 2 * width, f), dtype=rows.dtype)
    padded[width:width + n] = rows
    return np.hstack([padded[width + k:width + k + n] for k in range(-width, width + 1)])


def context_features(probs: np.ndarray, width: int = 3) -> np.ndarray:
    """Second-pass features: the first pass's role probabilities of each line and its neighbours,
    and the mean probabilities over wider windows (the main text block shows as a run of body)."""
    n, _ = probs.shape
    parts = [window_features(probs, width)]
    cumulative = np.vstack([np.zeros((1, probs.shape[1]), dtype=probs.dtype), np.cumsum(probs, axis=0)])
    for radius in (5, 15):
        lo = np.clip(np.arange(n) - radius, 0, n)
        hi = np.clip(np.arange(n) + radius + 1, 0, n)
        parts.append((cumulative[hi] - cumulative[lo]) / (hi - lo)[:, None])
    body = probs[:, _BODY_COLUMN]
    before = np.maximum.accumulate(body)
    after = np.maximum.accumulate(body[::-1])[::-1]
    parts.append(np.stack([before, after], axis=1))
    return np.hstack(parts).astype(np.float32)


TITLE_CANDIDATES = 10
_EXTRA = 15  # candidate features beyond the line's own row and role probabilities


def title_candidates(rows: np.ndarray, probs: np.ndarray, k: int = TITLE_CANDIDATES) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most title-like short lines and their features for the title ranker.

    Per candidate: its line features, the labeller's role probabilities for it and its two
    neighbours, its rank among the candidates, its gap to the best, whether it is the first strong
    candidate, and where it stands to the main text block (the longest run of body lines).
    """
    title = np.where(rows[:, FEATURES.index("log_chars")] <= math.log1p(250), probs[:, _TITLE_COLUMN], -1.0)
    order = np.argsort(-title, kind="stable")[:k]
    order = order[title[order] > -1.0]
    padded = np.vstack([np.zeros((1, probs.shape[1])), probs, np.zeros((1, probs.shape[1]))])
    start, end = _main_run(probs[:, _BODY_COLUMN] >= 0.5)
    best = title[order[0]] if len(order) else 0.0
    strong = [i for i in sorted(order.tolist()) if title[i] >= 0.5 * best]
    meta = probs[:, _BYLINE_COLUMN] + probs[:, _DATE_COLUMN]
    length = np.concatenate([[0.0], rows[:, FEATURES.index("log_chars")], [0.0]])
    candidates = set(order.tolist())
    extra = []
    for rank, i in enumerate(order.tolist()):
        before_main = start - i
        # A headline is followed (rarely preceded) by its byline and date, then the text.
        extra.append([
            rank / k, float(rank == 0), title[i] - best, float(bool(strong) and i == strong[0]),
            math.copysign(math.log1p(abs(before_main)), before_main), float(0 < before_main <= 3),
            float(i > end), sum(1 for j in order.tolist() if i < j < start) / k,
            float(meta[i + 1:i + 5].max(initial=0.0)), float(meta[max(0, i - 3):i].max(initial=0.0)),
            float(probs[i + 1:i + 4, _BODY_COLUMN].max(initial=0.0)),
            float(probs[max(0, i - 3):i, _BODY_COLUMN].max(initial=0.0)),
            # A headline and its deck: the shorter line on top is the headline, the longer one under it the deck.
            float(length[i + 1] - length[i]), float(length[i + 1] - length[i + 2]),
            float(i - 1 in candidates and length[i] < length[i + 1]),
        ])
    features = np.hstack([rows[order], padded[order + 1], padded[order], padded[order + 2],
                          np.array(extra, dtype=np.float32).reshape(len(order), _EXTRA)]) if len(order) else \
        np.zeros((0, rows.shape[1] + 3 * probs.shape[1] + _EXTRA), dtype=np.float32)
    return order, features.astype(np.float32)


def _main_run(body: np.ndarray, gap: int = 2) -> tuple[int, int]:
    """First and last line of the longest run of body lines (runs bridge up to ``gap`` other lines)."""
    best, current, last = (len(body), -1, 0), None, -10
    for i in np.flatnonzero(body).tolist():
        if current is None or i - last > gap + 1:
            current = [i, i, 0]
        current[1], current[2] = i, current[2] + 1
        last = i
        if current[2] > best[2]:
            best = (current[0], current[1], current[2])
    return best[0], best[1]


#: Roles the labeller predicts, in its output columns.
LABELS = ("title", "byline", "date", "body", "boilerplate")
_BODY_COLUMN = LABELS.index("body")
_TITLE_COLUMN = LABELS.index("title")
_BYLINE_COLUMN = LABELS.index("byline")
_DATE_COLUMN = LABELS.index("date")
#: How many features :func:`title_candidates` gives each candidate.
TITLE_INPUTS = len(FEATURES) + 3 * len(LABELS) + _EXTRA

__all__ = ["FEATURES", "LABELS", "TITLE_INPUTS", "context_features", "line_features", "title_candidates", "window_features"]
