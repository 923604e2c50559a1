"""Chinese speakers: the mention before a cue, trimmed by word class, and pronouns resolved by salience.

The speaker of ``但秋经武表示`` is 秋经武, of ``高昌健很自豪地说`` 高昌健, of ``接着表示`` nobody in
that clause (the subject is found in an earlier clause of the sentence). Word classes come from
jieba's dictionary tags (a closed-class list in ``resources/cues_zh.json`` corrects the few it
tags badly); words it does not know are names or nouns. A subject phrase:

* drops leading conjunctions, adverbs and time words (但, 接着, 赛后) and a leading prepositional
  phrase (向记者, 对此);
* ends at the first adverb, preposition, verb, manner phrase (……地) or numeral after its first
  noun, unless a 的 follows (一位穿黑色防弹衣的黑人女特工 keeps its relative clause).

Example:
    >>> subject_span("高昌健很自豪地", [(0, 3), (3, 4), (4, 6), (6, 7)], 0, 7)
    (0, 3)
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from newsnlp.chars import is_han_basic
from newsnlp.model import Entity, Speaker

PRONOUNS = {"他": "m", "她": "f"}
PLURAL_PRONOUNS = ("他们", "她们")
_NOMINAL_TAGS = {"r", "rz", "rr", "j", "eng", "b", "s", "nz"}
_LEAD_TAGS = {"c", "d", "ad", "t", "tg", "uj", "x", "y", "e", "o"}
_STOP_TAGS = {"vshi", "d", "ad", "c", "p", "t", "uv", "ul", "uz", "ug", "ud", "v", "vn", "vg", "vd", "a", "ag", "m", "q", "mq", "zg", "y"}
_TIME_WORD = re.compile(r"^(?:\d+|[一二三四五六七八九十两]+)(?:年|月|日|号|时|点|分|周)")
_DETERMINER = re.compile(r"^(?:另|每|这|那|其中)一[位名个封家只条篇份项批群]$")
_PERSON_SUFFIXES = ("人", "者", "员", "长", "官", "师")
_PRONOUN_RE = re.compile(r"^(?:他们|她们|他|她|对方|其)$")


@lru_cache(maxsize=1)
def zh_lexicon() -> dict[str, Any]:
    """Cues, labels and closed classes of ``resources/cues_zh.json``."""
    return json.loads(resources.files("newsnlp.resources").joinpath("cues_zh.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """Word → jieba part-of-speech tag, for the words that are not nouns (nouns are the default)."""
    import jieba

    tags: dict[str, str] = {}
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and not parts[2].startswith("n"):
                tags[parts[0]] = parts[2]
    tags.update(zh_lexicon()["closed"])
    for cue in zh_lexicon()["cues"]:  # a reporting verb never belongs to a subject (她坦言……)
        if len(cue) > 1 and not tags.get(cue, "").startswith("n"):
            tags.setdefault(cue, "v")
    return tags


def tag_of(word: str) -> str | None:
    """A word's tag; None for nouns and unknown words (names)."""
    if word.startswith("\u0000"):  # a name from the entity stage
        return None
    if _TIME_WORD.match(word):
        return "t"
    if _DETERMINER.match(word):
        return "m"  # 另一封 (an idiom to jieba): a numeral phrase that opens a noun phrase
    if word.isdigit():
        return "m"
    return word_tags().get(word)


def _nominal(word: str) -> bool:
    tag = tag_of(word)
    # 发言人 is tagged as a set phrase (l): a word that ends in a person suffix is a noun.
    return tag is None or tag in _NOMINAL_TAGS or (tag == "l" and word.endswith(_PERSON_SUFFIXES))


def _words_in(words: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The words inside [start, end), cut at the edges (jieba may glue a cue to a name: 周立群称)."""
    out = []
    for s, e in words:
        if e <= start or s >= end:
            continue
        out.append((max(s, start), min(e, end)))
    return out


def _tokens(text: str, words: Sequence[tuple[int, int]], start: int, end: int,
            names: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """Words of ``text[start:end]``; a name the entity stage found is one word (杜|明远 → 杜明远)."""
    cuts = {c for n in names for c in n if start < c < end}
    pieces: list[tuple[int, int]] = []
    for s, e in _words_in(words, start, end):  # a name's edge cuts a word it shares (汪文|斌在 → 斌|在)
        inner = sorted(c for c in cuts if s < c < e)
        for a, b in zip([s, *inner], [*inner, e]):
            pieces.append((a, b))
    tokens = [(s, e, text[s:e]) for s, e in pieces if text[s:e].strip()]
    for n_start, n_end in names:
        if n_end <= start or n_start >= end:
            continue
        n_start, n_end = max(n_start, start), min(n_end, end)
        inside = [t for t in tokens if n_start <= t[0] and t[1] <= n_end]
        if inside and (len(inside) > 1 or not inside[0][2].startswith("\u0000")):
            tokens = [t for t in tokens if t not in inside] + [(n_start, n_end, "\u0000" + text[n_start:n_end])]
            tokens.sort()
    tokens = _join_split_names(_drop_link_marks(tokens))
    for k in range(len(tokens) - 1, -1, -1):  # a dateline or parenthesis ends before the subject
        if tokens[k][2] in (")", "）", "】", "讯", "电") and k + 1 < len(tokens):
            return tokens[k + 1:]
    return tokens


# 怪兽(微博)也透露: the web page's link after a name (its microblog, blog, songs) is no part of the text
_LINK_MARKS = {"微博", "博客", "blog", "听歌", "音乐"}


def _drop_link_marks(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    k = 0
    while k < len(tokens):
        if (k + 2 < len(tokens) and tokens[k][2] in ("(", "（") and tokens[k + 1][2].lstrip("\u0000").lower() in _LINK_MARKS
                and tokens[k + 2][2] in (")", "）") and out):
            k += 3
            continue
        out.append(tokens[k])
        k += 1
    return out


_FUNCTION_TAGS = ("d", "c", "p", "u", "r", "m", "q", "f", "x", "y", "e", "t")


def _join_split_names(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A name jieba does not know falls apart into characters (葆|拉): two or more single
    content characters in a row are one name."""
    out: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []

    def flush() -> None:
        if len(run) >= 2:
            out.append((run[0][0], run[-1][1], "\u0000" + "".join(w for _, _, w in run)))
        else:
            out.extend(run)
        run.clear()

    for token in tokens:
        word = token[2]
        tag = tag_of(word) or "n"
        if len(word) == 1 and is_han_basic(word) and not tag.startswith(_FUNCTION_TAGS):
            run.append(token)
        else:
            flush()
            out.append(token)
    flush()
    return out


def _skip_lead(tokens: list[tuple[int, int, str]]) -> int:
    """Index of the first token after leading conjunctions, adverbs, time words and a prepositional phrase."""
    i = 0
    after_phrase = False
    while i < len(tokens):
        word = tokens[i][2]
        tag = tag_of(word)
        if after_phrase and word in ("有", "是"):
            return len(tokens)  # 还跟李心洁有感情戏: after a prepositional phrase, 有 is the verb
        if tag in _LEAD_TAGS or (tag and tag.startswith("u")) or word in ",，、:：" or word in _EXAMPLE_MARKERS:
            i += 1
            continue
        if tag == "p":  # 向记者, 对此, 在数千听众面前: skip the preposition and its object
            i += 1
            frame_end = next((k for k in range(i, len(tokens)) if tag_of(tokens[k][2]) == "f"), None)
            if frame_end is not None and tokens[i - 1][2] in ("在", "于", "从", "当"):
                i = frame_end + 1  # 在……面前/上/时: the whole frame
                continue
            while i < len(tokens) and _nominal(tokens[i][2]) and tag_of(tokens[i][2]) not in ("r", "rz", "rr"):
                i += 1
            while i < len(tokens) and tag_of(tokens[i][2]) == "f":
                i += 1
            after_phrase = True
            continue
        break
    return i


_EXAMPLE_MARKERS = {"如", "比如", "例如", "譬如"}  # 如一封来自名人的推荐信写道: a discourse marker, not the subject
_PERSONAL = {"他", "她", "他们", "她们", "我", "我们"}
_MARKS = {"，", ",", "；", ";", "：", ":", "。"}
_CLITICS = "会都也还就又才要能"  # adverbs and modals that jieba glues to the noun before them (人会, 丽都)
_DEMONSTRATIVES = {"这", "那", "此", "其", "它", "这些", "那些", "这里", "那里", "大家", "人们"}
_MODIFIER_TAGS = {"v", "vn", "vg", "a", "ag", "m", "q", "mq", "zg", "b"}


def _runs_to_noun(rest: Sequence[str]) -> bool:
    """Whether verbs and numerals run on to a noun (防汛抗旱指挥部, 安置点负责人): a modifier."""
    k = 0
    while k < len(rest) and tag_of(rest[k]) in _MODIFIER_TAGS:
        k += 1
    return k < len(rest) and _nominal(rest[k])


def causative(text: str, words: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a clause opens with 让/令/使 (让人不禁感慨): its cue is a feeling, not a report."""
    tokens = _tokens(text, words, start, end)
    first = _skip_lead(tokens)
    return first < len(tokens) and tag_of(tokens[first][2]) == "caus"


def subject_span(text: str, words: Sequence[tuple[int, int]], start: int, end: int,
                 names: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """The subject mention in ``text[start:end]`` (the part of a clause before its cue), or None.

    ``names``: spans of the entity stage's names, each kept as one noun."""
    tokens = _tokens(text, words, start, end, names)
    first = _skip_lead(tokens)
    if first >= len(tokens):
        return None
    head = tokens[first][2]
    after = [w for _, _, w in tokens[first + 1:first + 3]]
    attributive = tag_of(head) in _MODIFIER_TAGS and bool(after) and (
        _nominal(after[0]) or (len(after) > 1 and tag_of(after[0]) in ("m", "q") and _nominal(after[1])))
    attributive = attributive or tag_of(head) == "v" and any(  # 住在对面的王女士: a relative clause opens it
        tokens[k][2] == "的" and k + 1 < len(tokens) and _nominal(tokens[k + 1][2]) for k in range(first + 1, min(len(tokens), first + 5)))
    if not (_nominal(head) or tag_of(head) in ("m", "mq", "f") or attributive):  # 安置|点负责人: a verb inside a noun
        return None
    # A verb right after 的 is a noun there (晨星的统计, 专家的分析): the head of the phrase.
    after_de = {j for j in range(first + 1, len(tokens)) if tokens[j - 1][2] == "的" and tag_of(tokens[j][2]) in ("v", "vn")}

    def nominal_at(j: int) -> bool:
        return j in after_de or _nominal(tokens[j][2])

    seen_noun = seen_name = False
    stop = len(tokens)
    for j in range(first, len(tokens)):
        word = tokens[j][2]
        tag = tag_of(word)
        if word == "的":
            seen_noun = seen_name = False
            continue
        manner = j + 1 < len(tokens) and tokens[j + 1][2] == "地"
        if seen_name and (tag in _STOP_TAGS or manner):
            stop = j  # a name ends its noun phrase (局长马文): what follows is the predicate (放下电话)
            break
        if seen_noun and (tag in _STOP_TAGS or manner) and j not in after_de:
            rest = [w for _, _, w in tokens[j + 1:]]
            relative = "的" in rest and _nominal(rest[-1])  # 心情仍未平复的她: a relative clause before the head
            modifier = relative or (tag in _MODIFIER_TAGS and not manner and _runs_to_noun(rest))
            if not modifier:  # 相关负责人, 胖大姐, 穿套头衫的: a modifier inside the noun phrase goes on
                stop = j
                break
        if nominal_at(j) and not manner:
            seen_noun = True
            seen_name = word.startswith("\u0000") or word in PRONOUNS or word in PLURAL_PRONOUNS
    chosen = list(range(first, stop))
    while chosen and not nominal_at(chosen[-1]):
        chosen.pop()
    if not chosen or not any(nominal_at(j) for j in chosen):
        return None
    chosen_tokens = [tokens[j] for j in chosen]
    return _checked(chosen_tokens)


def _checked(chosen: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The span of a subject's tokens, unless it is a bare demonstrative or a run of text."""
    if not chosen:
        return None
    if any(word in _MARKS for _, _, word in chosen):
        return None  # 开始新能源产业的研发、合作，: a clause run, not a mention
    start, end, last = chosen[-1]
    if tag_of(last) is None and len(last) >= 2 and last[-1] in _CLITICS and tag_of(last[:-1]) is not None:
        chosen = chosen[:-1] + [(start, end - 1, last[:-1])]  # 很多人|会说 segmented 很多|人会: the modal is no part of it
    if len(chosen) > 1 and chosen[-1][2] in _PERSONAL and chosen[-2][2] != "的":
        chosen = chosen[-1:]  # 演完之后她: a pronoun takes no modifier but a relative clause (心情未平的她)
    if len(chosen) == 1 and chosen[0][2] in _DEMONSTRATIVES:
        return None  # 这是……: a demonstrative subject is no speaker
    if not any(is_han_basic(ch) or ch.isalnum() for _, _, word in chosen for ch in word.lstrip("\u0000")):
        return None  # 《: a bracket or a mark is never a mention
    if chosen[-1][1] - chosen[0][0] > 30:
        return None  # a run of text with no punctuation (song lyrics), not a mention
    return chosen[0][0], chosen[-1][1]


@dataclass
class Salience:
    """Who a 他/她 most likely is: the last named speaker, then the article's most mentioned person.

    Gender comes from the pronoun chain: once 她 resolves to someone, 他 will not (and back).
    """

    entities: Sequence[Entity]
    genders: dict[str, str] = field(default_factory=dict)
    last_speaker: Entity | None = None

    def _persons_before(self, position: int) -> list[tuple[Entity, int, int]]:
        found = []
        for entity in self.entities:
            if entity.label != "PERSON":
                continue
            before = [m.start for m in entity.mentions if m.start < position]
            if before:
                found.append((entity, len(before), max(before)))
        return found

    def resolve(self, pronoun: str, position: int) -> Entity | None:
        """The person a 他/她 at ``position`` refers to: a person just mentioned (the previous
        clause's subject), the last named speaker, the article's most mentioned person."""
        gender = PRONOUNS.get(pronoun)
        best, best_score = None, float("-inf")
        for entity, count, last in self._persons_before(position):
            if gender and self.genders.get(entity.id, gender) != gender:
                continue
            score = 0.3 * min(count, 5) - (position - last) / 1000
            if position - last <= 60:
                score += 1.5
            if self.last_speaker is not None and entity.id == self.last_speaker.id:
                score += 1.0
            if score > best_score:
                best, best_score = entity, score
        if best is not None and gender:
            self.genders.setdefault(best.id, gender)
        return best

    def spoke(self, entity: Entity | None) -> None:
        if entity is not None and entity.label == "PERSON":
            self.last_speaker = entity


_HONORIFIC = re.compile(r"(?:女士|先生|小姐|同学|老师|教授|医生|师傅|阿姨|大爷|大妈|老板|经理|律师|总)")


def full_name(work_text: str, name: str | None) -> str | None:
    """The fullest form the article gives a name: a bare surname the entity stage kept from
    黄女士 or 陈同学 is that surname with its honorific (GUIDELINES_zh.md, speaker_text)."""
    if name is None or len(name) != 1:
        return name
    m = re.search(re.escape(name) + _HONORIFIC.pattern, work_text)
    return m.group() if m else name


def make_speaker(work_text: str, start: int, end: int, linker: Any, salience: Salience,
                 entities_by_id: dict[str, Entity]) -> Speaker:
    """A speaker for ``work_text[start:end]`` (source offsets): a name, a description or a pronoun."""
    mention = work_text[start:end]
    if _PRONOUN_RE.match(mention) and mention in PRONOUNS:
        entity = salience.resolve(mention, start)
        salience.spoke(entity)
        name = full_name(work_text, entity.name) if entity else None
        return Speaker(start, end, mention, name, entity.id if entity else None)
    speaker = linker.link(start, end, start, end, mention)
    if speaker.entity:
        salience.spoke(entities_by_id.get(speaker.entity))
    if speaker.name and len(speaker.name) == 1:
        name = mention if mention.startswith(speaker.name) and _HONORIFIC.fullmatch(mention[1:]) else full_name(work_text, speaker.name)
        speaker = Speaker(speaker.start, speaker.end, speaker.text, name, speaker.entity)
    return speaker
