"""Continuation sentences of a speaker's words (GUIDELINES_zh.md (a)-(c)), for :class:`ChineseQuotes`.

Chinese news often goes on with a speaker's words for several sentences after one ``X表示，``; a
sentence continues them when it speaks in the first person (我, 自己, 中方 for an official's side),
carries on an enumeration (其次, 最后), or sits between two attributions of the same speaker.
"""

from __future__ import annotations

import re
from typing import Any

from newsnlp.quotes.chinese_text import Item, Paragraph

# 自己: logophoric; 中方/英方: an official speaking for their side (GUIDELINES_zh.md (a)).
_FIRST_PERSON = re.compile(r"我|咱们|(?:^|[,，])自己|^[中英美俄日法德韩朝]方")
_ENUMERATION = re.compile(r"^(?:首先|一是|第一[,，是]|其次|再次|再者|最后|第[二三四五六]|[二三四五六]是|二来|三来|还有一[条个点种]|一方面|另一方面)")
_NEXT_ITEM = re.compile(r"^(?:另外|此外|同时|另一方面|再者)")  # after an enumeration has begun
_SELF = ("我", "我们", "咱们")


class Continuations:
    """Mixin: the continuation pass over a paragraph's sentences (needs ``linker``)."""

    linker: Any
    writer_first_person: bool

    def _continuations(self, p: Paragraph, sentences, per_sentence) -> None:  # type: ignore[no-untyped-def]
        """Sentences that go on with the last attribution's words (GUIDELINES_zh.md (a)-(c))."""
        text = p.text
        chain: Item | None = None
        pending: list[int] = []
        enumerating = False

        def first_person(index: int) -> bool:
            a, b = sentences[index]
            outside = "".join(c for i, c in enumerate(text[a:b], a) if not p.in_quote(i))
            head = text[a:b].lstrip()
            if _ENUMERATION.match(head) or (enumerating and _NEXT_ITEM.match(head)):
                return True
            # In an article whose writer says 我 in narration, 我 is the writer, not the speaker.
            return not self.writer_first_person and bool(_FIRST_PERSON.search(outside))

        for index, (a, b) in enumerate(sentences):  # 我曾经把……，让学生们做，他们认为……: the writer says 我
            spans = [(i.start, i.end) for i in per_sentence[index]]
            if spans and not any(i.turn or (i.speaker is not None and i.speaker.text in _SELF) for i in per_sentence[index]):
                narration = "".join(c for i, c in enumerate(text[a:b], a)
                                    if not p.in_quote(i) and not any(s <= i < e for s, e in spans))
                if _FIRST_PERSON.search(narration):
                    self.writer_first_person = True

        for index, (a, b) in enumerate(sentences):
            found = per_sentence[index]
            if found and all(i.speaker is not None and i.speaker.text in _SELF for i in found):
                # 我们觉得……: the speaker's own view inside their speech, or the writer's: not a new source
                per_sentence[index] = found = []
                if chain is not None:
                    for k in pending:
                        self._add(per_sentence[k], self._continue(p, chain, *sentences[k]))
                    self._add(per_sentence[index], self._continue(p, chain, a, b))
                    pending = []
                    continue
            if found and chain is not None and chain.turn and not any(i.turn for i in found) and not all(
                    i.speaker is not None and i.speaker.entity for i in found):
                # an attribution inside a turn needs a known source, unless it opens the sentence as
                # a new ``X：`` frame (国泰基金：…… after 陈扬帆：…… in a list of headlines)
                found = per_sentence[index] = [i for i in found if i.speaker is not None and (
                    i.speaker.entity or self._colon_frame_at(p, i, a))]
            if found and chain is not None and chain.turn and not any(i.turn for i in found) and first_person(index):
                # 张仁：…… 胡锦涛总书记说过，再过二十年，我们……: an attribution inside a speech turn
                for k in pending:
                    self._add(per_sentence[k], self._continue(p, chain, *sentences[k]))
                pending = []
                self._add(per_sentence[index], self._continue(p, chain, a, b))
                continue
            if found:
                last = max(found, key=lambda item: item.end)
                first = min(found, key=lambda item: item.start)
                # (c) needs the speaker's own next attribution right there (他说：……), not one that a
                # narrative sentence introduces or that the context guessed.
                adjacent = not first.weak and first.start - a <= 12
                same = adjacent and chain is not None and last.speaker is not None and chain.speaker is not None and (
                    last.speaker.text == chain.speaker.text or bool(last.speaker.name and last.speaker.name == chain.speaker.name))
                if same and chain is not None and (len(pending) == 1 or first.kind != "direct"):
                    for k in pending:
                        self._add(per_sentence[k], self._continue(p, chain, *sentences[k]))
                pending = []
                chain = last if last.end >= b - 2 and last.speaker is not None and not last.weak else None
                continue
            if chain is None:
                continue
            if chain.turn:  # 杨轶：……。这期的议题是……: a speaker's turn runs on to the next turn
                self._add(per_sentence[index], self._continue(p, chain, a, b))
                continue
            if not first_person(index) and self._names_someone(p, a, b, chain):
                chain, pending = None, []
                continue  # 邓建华还没来得及……: narration about the speaker, not their words
            if first_person(index):
                enumerating = bool(_ENUMERATION.match(text[a:b].lstrip())) or enumerating
                if len(pending) > 1:  # only the speaker's own next attribution closes a longer stretch
                    chain, pending = None, []
                    continue
                for k in pending:
                    self._add(per_sentence[k], self._continue(p, chain, *sentences[k]))
                pending = []
                self._add(per_sentence[index], self._continue(p, chain, a, b))
            elif len(pending) < 4 and not any(a <= q[0] < b for q in p.quoted):
                pending.append(index)  # (c): between two parts of the same speaker's words
            else:
                chain, pending = None, []

    @staticmethod
    def _colon_frame_at(p: Paragraph, item: Item, a: int) -> bool:
        cue = item.cue
        return cue is not None and p.text[cue[0]:cue[1]] in (":", "：") and cue[0] - a <= 13 and cue[1] == item.start

    def _names_someone(self, p: Paragraph, a: int, b: int, chain: Item) -> bool:
        s, e = p.para.view.to_source(a, b)
        if any(m[2].label == "PERSON" for m in self.linker._inside(s, e)):
            return True
        return chain.speaker is not None and len(chain.speaker.text) > 1 and chain.speaker.text in p.text[a:b]

    def _continue(self, p: Paragraph, chain: Item, a: int, b: int) -> Item | None:
        while a < b and p.text[a] in " \u3000":
            a += 1
        if b - a < 6:
            return None  # 我要评论: a page's link, not words
        kind = "mixed" if any(a <= q[0] < b for q in p.quoted) else "indirect"
        return Item(a, b, kind, chain.speaker, chain.cue, chain.group)

    @staticmethod
    def _add(found: list[Item], item: Item | None) -> None:
        if item is not None:
            found.append(item)
