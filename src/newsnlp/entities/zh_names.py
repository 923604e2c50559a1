"""Runs of Chinese person names written without separators: 李鹏乔石李瑞环彭真 → four names.

Lists of officials often print names one after another with no mark between them; a character
NER then reads the whole run as one long PERSON. :func:`split_name_run` cuts such a run into
names with a small segmentation model counted on the NER training data (no evaluation data):

* a name is a common surname (a character or compound surname, ``resources/zh_surnames.json``)
  plus one or two given-name characters;
* a segmentation's score is the sum over its names of log P(surname) + log P(length), plus a
  bonus for names jieba knows whole; the best segmentation of the whole run wins (dynamic
  programming), and runs with no segmentation into plausible names are left alone: transliterated
  foreign names such as 内塔尼亚胡 do not start with a common surname, and 麦克德莫特 would need given
  names made of transliteration characters (特), which Chinese given names hardly use.

Example:
    >>> split_name_run("李鹏乔石李瑞环彭真")
    [(0, 2), (2, 4), (4, 7), (7, 9)]
    >>> split_name_run("内塔尼亚胡") is None, split_name_run("戈尔巴乔夫") is None
    (True, True)
"""

from __future__ import annotations

import math
from functools import lru_cache

from newsnlp.chars import is_han_basic

COMPOUND_SURNAMES = frozenset(("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                               "宇文", "司徒", "令狐", "夏侯"))
KNOWN_NAME_BONUS = 3.0

MIN_RUN = 4  # a single name is at most 4 characters without a separator (欧阳修文)


def pinyin_name(name: str) -> str:
    """The pinyin of a Chinese person name, surname first: 习近平 → "Xi Jinping"."""
    from pypinyin import lazy_pinyin

    split = 2 if name[:2] in COMPOUND_SURNAMES else 1
    surname, given = name[:split], name[split:]
    parts = ["".join(lazy_pinyin(surname)).capitalize()]
    if given:
        parts.append("".join(lazy_pinyin(given)).capitalize())
    return " ".join(parts)


@lru_cache(maxsize=1)
def _name_model() -> tuple[dict[str, float], dict[int, float], frozenset[str], frozenset[str]]:
    """(log P(surname), log P(given-name length), names jieba knows, transliteration characters).

    Surname and length counts come from ``resources/zh_surnames.json`` (common surnames counted
    over the person names of the NER training data; recipe ``models/zh_ner/name_stats.py``);
    known names are jieba's ``nr`` words of 2 to 4 Han characters.
    """
    import json
    from importlib import resources

    from newsnlp.entities.zh_features import _load_jieba

    raw = json.loads(resources.files("newsnlp.resources").joinpath("zh_surnames.json").read_text("utf-8"))
    surnames: dict[str, int] = raw["surnames"]
    lengths = {int(k): v for k, v in raw["given_name_lengths"].items()}
    total, total_len = sum(surnames.values()), sum(lengths.values())
    known = frozenset(w for w, tag in _load_jieba()[1].items() if tag == "nr" and 2 <= len(w) <= 4 and is_han_basic(w))
    return ({s: math.log(n / total) for s, n in surnames.items()},
            {k: math.log(n / total_len) for k, n in lengths.items()}, known, frozenset(raw["transliteration_chars"]))


def split_name_run(run: str) -> list[tuple[int, int]] | None:
    """Offsets of the names in a run of Chinese person names, or ``None`` to keep it whole.

    Args:
        run: The text of one PERSON span.

    Returns:
        ``[(start, end), ...]`` covering ``run`` with two or more names, or ``None`` when ``run``
        is short, not all Han characters, a name jieba knows, or has no plausible segmentation.
    """
    if len(run) < MIN_RUN or not is_han_basic(run):
        return None
    surname_logp, length_logp, known, transliteration = _name_model()
    if run in known:
        return None
    best: list[tuple[float, list[tuple[int, int]]] | None] = [None] * (len(run) + 1)
    best[0] = (0.0, [])
    for start in range(len(run)):
        here = best[start]
        if here is None:
            continue
        for surname_len in (1, 2):
            surname = run[start:start + surname_len]
            if surname not in surname_logp or (surname_len == 2) != (surname in COMPOUND_SURNAMES):
                continue
            for given, given_logp in length_logp.items():
                end = start + surname_len + given
                if end > len(run):
                    continue
                score = here[0] + surname_logp[surname] + given_logp
                if run[start:end] in known:
                    score += KNOWN_NAME_BONUS
                if best[end] is None or score > best[end][0]:  # type: ignore[index]
                    best[end] = (score, here[1] + [(start, end)])
    final = best[len(run)]
    if final is None or len(final[1]) < 2:
        return None
    pieces = final[1]
    surname_ends = [s + (2 if run[s:s + 2] in COMPOUND_SURNAMES else 1) for s, _ in pieces]
    if any(c in transliteration for (_, e), g in zip(pieces, surname_ends) for c in run[g:e]):
        return None  # 麦克德莫特: a given name of 特, 尔 or 斯 is a transliterated foreign name
    if len(run) == MIN_RUN and not all(run[s:e] in known for s, e in pieces):
        return None  # a 4-character name (司马相如, 哈梅内伊) unless both halves are names jieba knows
    return pieces
