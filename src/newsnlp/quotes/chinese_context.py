"""The people a Chinese quotation's context points to, for :class:`ChineseQuotes` (quotations with
no cue, colon frames whose clause names no source): the subject of an earlier clause, the titled
subject of the previous sentence (总理讲起了……), the reporter's interlocutor, a sentence's first person.
"""

from __future__ import annotations

import re
from typing import Any

from newsnlp.model import Speaker
from newsnlp.quotes.chinese_text import Paragraph

_PERSON_END = "人者员师家士官长方"
_TITLE = re.compile(r"[^,，。:：“”]{0,6}?(?:总理|主席|总统|首相|总裁|导演|教练|主帅|主任|教授|校长|部长|市长|省长|局长|董事长|行长|院长|经理|大使|队长)")


def possessor(p: Paragraph, span: tuple[int, int]) -> tuple[int, int] | None:
    """李娜的回答 → 李娜: a person's name (entity stage) that is all of the phrase before its 的."""
    k = p.text.find("的", span[0], span[1])
    return (span[0], k) if k > span[0] and (span[0], k) in p.persons else None


def head(p: Paragraph, span: tuple[int, int]) -> tuple[int, int]:
    """The head of a noun phrase: what follows its last 的 (周迅饰演的狐狸精造型 → 狐狸精造型)."""
    k = p.text.rfind("的", span[0], span[1] - 1)
    return (k + 1, span[1]) if k >= 0 else span


class ContextPeople:
    """Mixin: people found from context (needs ``linker`` and ``previous_speaker``)."""

    linker: Any
    previous_speaker: Speaker | None

    def _reporters_interlocutor(self, p: Paragraph, q_start: int, q_end: int, previous) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
        """After the reporter spoke, a quotation that asks nothing is the other party's: the 他/她 the
        reporter's sentence turns to."""
        spoken = self.previous_speaker.text if self.previous_speaker is not None else ""
        if spoken not in ("记者", "本报记者", "笔者") or p.text[q_end - 2:q_end - 1] in "?？":
            return None
        found = list(re.finditer(r"(?<![其吉])(?:他们|她们|他|她)(?!的|们)", p.text[previous[0]:previous[1]]))
        return (previous[0] + found[-1].start(), previous[0] + found[-1].end()) if found else None

    @staticmethod
    def _titled_subject(p: Paragraph, a: int, b: int) -> tuple[int, int] | None:
        """接着，总理讲起了孔子……的故事。“……”: a sentence's subject that is a title (总理, 导演, 教练),
        not the person its predicate names."""
        clause = a
        while clause < b:
            end = p.clause_end(clause, b)
            span = p.span(clause, end)
            if span is not None:  # (总理讲起了……的故事 is one noun phrase to the subject finder)
                title = _TITLE.match(p.text, span[0], min(span[1], span[0] + 8))
                return (span[0], title.end()) if title else None
            clause = end + 1
        return None

    def _person_before(self, p: Paragraph, clause: int, a: int) -> tuple[int, int] | None:
        """The subject of an earlier clause of the sentence, when it is a person (他, a name, 那位女士)."""
        while clause > a:
            earlier = p.clause_start(clause - 1, a)
            span = p.span(earlier, clause - 1)
            if span is not None and self._personal(p, span):
                return span
            lead = len(p.text[earlier:clause]) - len(p.text[earlier:clause].lstrip())
            pronoun = re.match(r"(?:他们|她们|他|她)(?!的)", p.text[earlier + lead:clause])
            if pronoun is not None:  # 他口中念念有词
                return earlier + lead, earlier + lead + pronoun.end()
            clause = earlier
        return None

    def _thing_head(self, p: Paragraph, span: tuple[int, int]) -> bool:
        """周迅饰演的狐狸精造型: a person in the relative clause, a thing at the head."""
        k = p.text.rfind("的", span[0], span[1] - 1)
        if k < 0 or "位" in p.text[span[0]:span[1]] or "名" in p.text[span[0]:span[0] + 3]:
            return False
        head = (k + 1, span[1])
        return not self._personal(p, head) and p.text[span[1] - 1] not in _PERSON_END + "女男子工生姐哥妹弟友"

    def _source(self, p: Paragraph, span: tuple[int, int]) -> bool:
        """Whether a heading's label can be a source: an entity's name, a person, a person noun (专家)."""
        s, e = p.para.view.to_source(*span)
        return bool(self.linker._inside(s, e)) or self._personal(p, span) or p.text[span[1] - 1:span[1]] in _PERSON_END

    def _personal(self, p: Paragraph, span: tuple[int, int]) -> bool:
        """Whether a mention is a person: a person's name, 他/她, or a noun phrase with 位/名 (那位中年女子)."""
        words = p.text[span[0]:span[1]]
        s, e = p.para.view.to_source(*span)
        return (words in ("他", "她", "他们", "她们") or "位" in words or "名" in words[:3]
                or any(m[2].label == "PERSON" for m in self.linker._inside(s, e)))

    def _person_in(self, p: Paragraph, a: int, b: int) -> tuple[int, int] | None:
        s, e = p.para.view.to_source(a, b)
        persons = [m for m in self.linker._inside(s, e) if m[2].label == "PERSON"]
        if not persons:
            return None
        start, end, _ = persons[0]  # the sentence's subject, before the people it mentions
        view = p.para.view
        for i in range(a, b):  # back to view offsets
            if view.to_source(i, i + 1)[0] >= start:
                j = i
                while j < b and view.to_source(j, j + 1)[1] <= end:
                    j += 1
                return (i, j) if j > i else None
        return None
