"""The Chinese paragraph model of the quote stage: sentences, clauses, cues and quotations.

Offsets are view offsets (the folded text the models see: ，becomes ``,``). A sentence ends at
。！？ outside quotation marks, after a quotation that ends in 。！？ and is not followed by its
attribution, and before an interview turn (``蔡权杨轶：我们……``). A cue is a reporting verb of
``resources/cues_zh.json`` that stands as a word and is not negated (没有……宣布), hypothetical
(人们会觉得), passive (被称为), a noun (他的介绍, 这项分析) or a pro-form (也这样认为).
Quotations come from :func:`newsnlp.quotes.marks.find_quoted`, with two repairs for missing or
stray closing marks.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsnlp.chars import is_han_basic
from newsnlp.document import ZhParagraph
from newsnlp.model import Speaker
from newsnlp.quotes.chinese_speakers import causative, subject_span, tag_of, zh_lexicon
from newsnlp.quotes.marks import find_quoted

END = "。!?！？"
CLAUSE = ",，;；:：" + END
SEP = ",，:："
OPEN = "“「『\""
_NEGATION = re.compile(r"(?:不|没|未|无|别|非)(?:愿|肯|会|能|曾|有|再|便|敢|想)?(?:意)?$")
_HYPOTHETICAL = ("会", "可能", "也许", "或许", "将会", "一定会", "若", "如果", "倘若")
_PRO_FORM = re.compile(r"(?:这样|如此|这么|同样)$")
_PRESENTATIVE = re.compile(r"(?:出来|过来|走来|走出来|走进来|出现|站着|来了|走上前来)(?P<np>(?:一|几|两|三)(?:位|名|个)[^,，。:：“”]{1,24})$")
_ADDRESSEE_PREPOSITIONS = "对向跟和与给同为被让叫替"
_LAYOUT_BREAK = re.compile(r"[ \u3000\u00a0]{3,}")
_PASSIVE_QUESTION = ("问到", "问及", "追问", "问道")
_PERSON_END = "人者员师家士"  # 专业人士, 分析师, 专家: a person noun ends in one of these
# “……吗？”“……？”面对记者的提问，……: the questions are the asker's
_ASKED = re.compile(r"(?:面对|对于|针对|听到|对)(?P<asker>[^,，。:：“”]{1,15}?)的(?:提问|追问|询问|发问|质问|问题)")
# Right before a quotation (他嘀咕：“, 休姆过来催促，“, 学生们振臂高呼“): a speech verb's strongest frame.
_QUOTE_FRAME = re.compile(r"(?:道|说)?[,，:：]?[“「『\"]")
_TERM = re.compile(r"[^,，。!?！？;；:：”」』\"]{1,4}[”」』\"]")  # 导演喊“开机”: a word in marks, no speech


def _before_quotation(text: str, end: int) -> bool:
    """Whether a quotation that holds more than a word or two opens right after ``end``."""
    m = _QUOTE_FRAME.match(text, end)
    return m is not None and not _TERM.match(text, m.end())


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    cues = sorted(zh_lexicon()["cues"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, cues)))


def _noun_part(word: str) -> bool:
    """A word that can sit inside a noun phrase before a cue: a noun or a name, 有关/相关, 的."""
    tag = tag_of(word)
    return tag is None or tag.startswith("n") or tag in ("b", "j", "eng", "rz") or word in ("的", "有关", "相关")


def _split_stray(text: str, spans: list[tuple[int, int]], names: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """“……意义。玛莎也表示，……前进”: a quotation whose closing mark went astray holds the next
    attribution (a sentence end, then a name and a cue); it ends at that sentence end."""
    starts = {s for s, _ in names}
    out = []
    for start, end in spans:
        for i in range(start + 1, end - 1):
            if text[i] in END and i + 1 in starts:
                rest = text[i + 1:i + 20]
                if re.match(r"[^,，。“”]{1,8}?(?:也|还|则|又)?(?:表示|说|称|指出|认为)[,，:：]", rest):
                    out.append((start, i + 1))
                    break
        else:
            out.append((start, end))
    return out


def _close_open_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A quotation whose closing mark is missing runs to the paragraph's end and swallows the next
    quotation (周忻表示；“……服务。曹国伟表示：“……): it ends at the last sentence end before the
    next opening mark instead."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while text[end - 1:end] not in "”」』\"":
            inner = next((j for j in range(start + 1, end) if text[j] in "“「『"), None)
            if inner is None:
                break
            cut = max(text.rfind(c, start, inner) for c in "。!?！？")
            if cut <= start:
                break
            out.append((start, cut + 1))
            start = inner
        out.append((start, end))
    return out


@dataclass
class Item:
    """One quote in view offsets; ``speaker`` is already linked (source offsets).

    ``weak``: attributed from context only, so reported speech that covers it wins."""

    start: int
    end: int
    kind: str
    speaker: Speaker | None
    cue: tuple[int, int] | None
    group: int
    weak: bool = False
    turn: bool = False  # an interview or speech turn (X：……), which runs on over the speaker's sentences


class Paragraph:
    """One paragraph's text, words, quotation spans and cue positions (view offsets)."""

    def __init__(self, para: ZhParagraph, names: Sequence[tuple[int, int]] = (), persons: Sequence[tuple[int, int]] = (),
                 source: str = "") -> None:
        self.para = para
        self.source = source
        self.title = False
        self.names = self._to_view(names)
        self.persons = self._to_view(persons)
        self.text = para.view.text
        self.words = para.words
        self.word_starts = {s for s, _ in para.words}
        self.word_ends = {e for _, e in para.words}
        self._word_ends_sorted = sorted(self.word_ends)
        self._word_start_of = {e: s for s, e in para.words}
        self.quoted = _split_stray(self.text, _close_open_quotes(self.text, find_quoted(self.text)), self.names)
        self._q_starts = [s for s, _ in self.quoted]
        cues: list[tuple[int, int]] = []
        # 说/道/称 glue to the cue before them (回答说); a verb after a noun cue is a cue of its own
        # (统计显示: the statistics show), whose subject holds the noun (晨星的统计).
        glue = set(zh_lexicon()["glue_ok"])
        frame_only = set(zh_lexicon()["frame_only"])
        for m in _cue_pattern().finditer(self.text):
            if not self._is_cue(*m.span()):
                continue
            first = self.text[cues[-1][0]:cues[-1][1]] if cues and cues[-1][1] == m.start() else ""
            if first and (m.group() in glue or first not in frame_only):  # 回答说, 分析认为: one cue
                cues[-1] = (cues[-1][0], m.end())
            else:
                cues.append(self._glued_manner(*m.span()) if m.group() not in frame_only else m.span())
            if self.text[cues[-1][1]:cues[-1][1] + 1] == "道" and cues[-1][1] + 1 in self.word_ends:
                cues[-1] = (cues[-1][0], cues[-1][1] + 1)  # 解释|道: jieba leaves 道 on its own
        self.cues = cues
        # Every whole-word cue, even one that reports nothing here (也这样认为): it still opens a
        # clause with its own source, where reported content ends.
        quote_frame = set(zh_lexicon()["quote_frame"])
        self.cue_like = [m.span() for m in _cue_pattern().finditer(self.text)
                         if m.start() in self.word_starts and m.end() in self.word_ends and not self.in_quote(m.start())
                         and (m.group() not in frame_only or "据" in self.text[max(0, m.start() - 12):m.start()])
                         and (m.group() not in quote_frame or _before_quotation(self.text, m.end()))]

    def _glued_manner(self, start: int, end: int) -> tuple[int, int]:
        """振臂高呼“: a cue glued to a manner of 2+ characters is the whole word (not 她续|指)."""
        if start in self.word_starts or len(self.text[start:end]) < 2:
            return start, end
        word_start = next((s for s, e in self.words if s < start < e), start)
        return (word_start, end) if start - word_start >= 2 else (start, end)

    def _to_view(self, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """Source spans (entity names) inside this paragraph, in view offsets."""
        view = self.para.view
        if not spans or not len(view):
            return []
        first, last = view.to_source(0, len(view))
        starts = {view.source_start(i): i for i in range(len(view))}
        ends = {view.source_end(i): i for i in range(1, len(view) + 1)}
        return [(starts[s], ends[e]) for s, e in spans if first <= s and e <= last and s in starts and e in ends]

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The subject mention in ``text[start:end]`` (see :func:`subject_span`)."""
        return subject_span(self.text, self.words, start, end, self.names)

    def in_quote(self, position: int) -> bool:
        i = bisect.bisect_right(self._q_starts, position) - 1
        return i >= 0 and self.quoted[i][0] <= position < self.quoted[i][1]

    def _is_cue(self, start: int, end: int) -> bool:
        text, lex = self.text, zh_lexicon()
        cue = text[start:end]
        if self.in_quote(start):
            return False
        nxt, prev = text[end:end + 1], text[start - 1:start]
        if nxt and nxt in "和与及" or (nxt and nxt in "中上里" and re.search(r"[在于][^,，。:：“”]{0,8}$", text[max(0, start - 9):start])):
            return False  # 研究分析和前瞻性建议, 在声明中称: a noun (coordinated, or in a 在……中 frame)
        if nxt and nxt in lex["not_cue_next"].get(cue, ""):
            return False
        if prev and prev in lex["not_cue_prev"].get(cue, ""):
            return False
        if cue == "说" and text[max(0, start - 2):start] in ("或者", "再者"):
            return False  # 或者说: in other words (not 对记者说)
        if cue in lex["quote_frame"] and (not _before_quotation(text, end) or re.search(r"会|可能|也许|或许", text[max(0, start - 4):start])):
            return False  # 回忆往事, 催促他离开, 一定会大声喊“……”: narration, a directive, a hypothetical
        if cue in lex["colon_only"] and not re.match(r"[^,，。:：“”]{0,8}[:：]|[,，]", text[end:end + 9]):
            return False  # 问那位男特工：……, not 问路
        manner = prev == "的" and cue in ("说", "道") and nxt in SEP  # 感慨的说，: 的 for 地, a manner
        if (prev in ("的", "、", "项", "份", "篇", "述", "种", "些") and not manner) or nxt == "、" or (
                nxt == "的" and text[end + 1:end + 3] not in ("话", "那样")):
            return False  # 他的介绍, 听、写、说, 本人总结的方程式: nouns and modifiers
        before = self._word_before(start)
        if before in _HYPOTHETICAL or _NEGATION.search(text[max(0, start - 4):start]) and not before.endswith(("会", "地")):
            return False  # 没有任何一家银行正式宣布, 人们会觉得: negated or hypothetical (not 协会获悉)
        if _PRO_FORM.search(text[max(0, start - 3):start]) and nxt in SEP:
            return False  # 阿德尔曼也这样认为，: the content is elsewhere
        if prev == "被" and cue not in _PASSIVE_QUESTION:
            return False
        # A cue is a whole word, or jieba glued a one-character cue to a name (周立群称).
        if prev == "据" and end in self.word_ends:
            return True  # 据介绍 is often one jieba word
        if len(cue) >= 2 and end in self.word_ends and _before_quotation(text, end) and text[end:end + 1] not in "道说":
            return True  # 振臂高呼“……”: jieba glued the verb to its manner, the quotation marks the frame
        return (start in self.word_starts and end in self.word_ends) or (
            (start in self.word_starts or end in self.word_ends) and (cue in lex["glue_ok"] or cue in lex["frame_only"]))

    def _word_before(self, position: int) -> str:
        """The word that ends at ``position``, or ""."""
        i = bisect.bisect_left(self._word_ends_sorted, position)
        if i < len(self._word_ends_sorted) and self._word_ends_sorted[i] == position:
            start = self._word_start_of[position]
            return self.text[start:position]
        return ""

    def sentences(self) -> list[tuple[int, int]]:
        """Sentences: to 。！？ outside quotation marks, and before a speaker's turn (蔡权杨轶：我们……)."""
        turns = {s for s, e in self.persons if self.text[e:e + 1] in (":", "：") and not self.text[e + 1:e + 2].isdigit()
                 and not re.search(r"第.{1,3}$", self.text[max(0, s - 4):s])}  # not 第二张陈奕迅：, a caption
        for role in zh_lexicon()["turn_roles"]:  # ……可能就不上了 记者：郭总，……
            turns.update(m.start() for m in re.finditer(re.escape(role) + "[:：]", self.text)
                         if m.start() == 0 or self.text[m.start() - 1] in " \u3000" + END)
        out, start = [], 0
        for i, char in enumerate(self.text):
            if i in turns and i > start and not self.in_quote(i):
                out.append((start, i))
                start = i
            if i > start and self._quote_ends_sentence(i):
                out.append((start, i))  # “……。”爱美的惠英红……: the quotation closed its sentence
                start = i
            if char in END and not self.in_quote(i) and not self._garbled(i):
                if i > start:
                    out.append((start, i))
                start = i + 1
        if start < len(self.text):
            out.append((start, len(self.text)))
        return [piece for s, e in out for piece in self._layout_lines(s, e) if self.text[piece[0]:piece[1]].strip()]

    def _layout_lines(self, start: int, end: int) -> list[tuple[int, int]]:
        """3+ spaces outside marks are a lost line break (``相关报道：    东吴基金：……``): a sentence end."""
        pieces = []
        for m in _LAYOUT_BREAK.finditer(self.text, start, end):
            if m.start() > start and not self.in_quote(m.start()):
                pieces.append((start, m.start()))
                start = m.end()
        pieces.append((start, end))
        return pieces

    def _quote_ends_sentence(self, i: int) -> bool:
        """Whether a sentence starts at ``i``, after a quotation ending in 。！？ and no attribution (“……。”X说)."""
        if self.text[i - 1:i] not in "”」』" or self.text[i - 2:i - 1] not in END:
            return False
        if self.text[i:i + 1] in OPEN:
            return True  # “……。”“……？”: the next quotation is a sentence of its own
        if self.in_quote(i) or self.text[i:i + 1] in CLAUSE + "”」』" or not self.text[i:i + 1].strip():
            return False
        end = i
        while end < len(self.text) and end - i < 24 and self.text[end] not in CLAUSE + OPEN:
            end += 1
        reach = i  # “A。”张伟顿了顿，又说，“B”: a cue that opens the next part of the quotation
        while reach < len(self.text) and reach - i < 24 and self.text[reach] not in END + OPEN:
            reach += 1
        return not any(i <= c[0] < end or (i <= c[0] < reach and _QUOTE_FRAME.match(self.text, c[1])) for c in self.cues)

    def _garbled(self, i: int) -> bool:
        """A '?' between two Han characters in the source is a character the encoding lost (赤?角)."""
        if self.text[i] != "?" or not self.source:
            return False
        s, _ = self.para.view.to_source(i, i + 1)
        around = self.source[s - 1:s] + self.source[s + 1:s + 2]
        # 40?货柜车: a digit before it as well (a unit sign such as 呎 lost)
        return self.source[s] == "?" and len(around) == 2 and is_han_basic(around[1]) and (
            is_han_basic(around[0]) or around[0].isdigit())

    def clause_start(self, position: int, floor: int) -> int:
        """Start of the clause that holds ``position``: after the last clause mark or quotation."""
        i = position - 1
        while i >= floor:
            if (self.text[i] in CLAUSE and not self._in_url(i)) or self.in_quote(i) or self.text[i] in "”」』":
                return i + 1
            i -= 1
        return floor

    def _in_url(self, i: int) -> bool:
        """A ':' or ',' between ASCII characters (http://t.sina.com.cn) is no clause mark."""
        before, after = self.text[i - 1:i], self.text[i + 1:i + 2]
        return before.isascii() and before.isalnum() and after in ("/",) or (after.isascii() and after.isdigit() and before.isdigit())

    def clause_end(self, position: int, limit: int) -> int:
        """End of the clause that starts at or holds ``position`` (at most ``limit``)."""
        i = position
        while i < limit and self.text[i] not in CLAUSE and self.text[i] not in OPEN:
            i += 1
        return i

    def subject(self, start: int, end: int, floor: int) -> tuple[int, int] | None:
        """The subject before a cue at ``end``: in its clause, else (并表示: none) in an earlier clause."""
        found = self.presented(start, end) or self.span(start, end)
        if found is None and causative(self.text, self.words, start, end):
            return None
        near = self.name_before_cue(start, end)
        if found is None:  # 获奖之后陈德森说: no subject by word class, but a person's name next to the cue
            found = near
        if found is None:  # 而“范爷”更是在现场感叹: a nickname in marks heads the clause
            found = self._quoted_name(start, floor)
        elif near is not None and near[0] >= found[1] and not any(c in _ADDRESSEE_PREPOSITIONS for c in self.text[found[1]:near[0]]):
            found = near  # 启德教育老师姜红良指出: the name next to the cue, not an organisation before it (not 对李四说)
        if found is not None and not self._names_in(*found) and self._names_in(found[1], end):
            # 法语学习500学时不一定够金吉列留学首席顾问陈璐怡说: a heading glued to the sentence; the
            # name next to the cue speaks.
            return self.noun_before(start, end) or found
        if found is not None and self._glued_heading(found, end):
            # 墙漆涂料花费不多更要精选专业人士提醒: a heading glued to the sentence, then the person noun
            # next to the cue
            return self.noun_before(found[1], end)
        position = start
        while found is None and position - 1 > floor and not self.in_quote(position - 2):
            earlier = self.clause_start(position - 1, floor)
            found = self.presented(earlier, position - 1) or self.span(earlier, position - 1)
            position = earlier
        return found

    def _glued_heading(self, found: tuple[int, int], end: int) -> bool:
        """Whether ``found`` (no name, pronoun or person noun) heads a glued heading and a person noun
        stands next to the cue after a verb (not an addressee: 他对记者说, 公司向分析师表示)."""
        mention = self.text[found[0]:found[1]]
        if any(s < found[1] and found[0] < e for s, e in self.names) or mention in ("他", "她", "他们", "她们"):
            return False
        if mention[-1] in _PERSON_END:
            return False
        noun = self.noun_before(found[1], end)
        if noun is None or noun[0] <= found[1] or self.text[noun[1] - 1] not in _PERSON_END:
            return False
        between = [self.text[s:e] for s, e in self.words if found[1] <= s and e <= noun[0]]
        return not any(w in _ADDRESSEE_PREPOSITIONS + "在从据由经" for w in between)

    def _quoted_name(self, start: int, floor: int) -> tuple[int, int] | None:
        """A short quotation (a nickname, “范爷”) that ends right at ``start`` and opens its clause."""
        q = next(((s, e) for s, e in self.quoted if e == start and 3 <= e - s <= 8 and not set(",，") & set(self.text[s:e])), None)
        if q is None:
            return None
        before = self.text[max(floor, q[0] - 1):q[0]]
        return (q[0] + 1, q[1] - 1) if q[0] <= floor or before in CLAUSE + "而但则也" else None

    def name_before_cue(self, start: int, end: int) -> tuple[int, int] | None:
        """The person's name (entity stage) nearest a cue at ``end`` in the same clause, with at most
        a manner phrase between (李宇春风趣地说)."""
        near = [(s, e) for s, e in self.persons if start <= s and e <= end and end - e <= 6
                and not any(c in CLAUSE + "“”" for c in self.text[e:end])
                and self.text[s - 1:s] not in _ADDRESSEE_PREPOSITIONS  # 还跟李心洁有感情戏：the object of 跟
                and not (self.text[s - 1:s] in "(（" and self.text[e:e + 1] in ")）")]  # 李连杰（微博）表示: a note
        return max(near) if near else None

    def _names_in(self, start: int, end: int) -> bool:
        return any(start <= s and e <= end for s, e in self.persons)

    def noun_before(self, start: int, end: int) -> tuple[int, int] | None:
        """The noun phrase that ends right at ``end`` (……就业教育部有关负责人说: 教育部有关负责人)."""
        words = [(s, e) for s, e in self.words if start <= s and e <= end]
        k = len(words)
        while k > 0 and _noun_part(self.text[words[k - 1][0]:words[k - 1][1]]):
            k -= 1
        if k == len(words):
            return None
        return self.span(words[k][0], end)

    def asker(self, q_start: int, q_end: int) -> tuple[int, int] | None:
        """“请问……？”“……吗？”面对记者的提问，……: a question whose next sentence (past the questions
        that follow it) answers 面对X的提问 was asked by X; “……。”面对记者的追问，刘翔摇摇头: an answer
        is the person who faces the question."""
        question = self.text[q_end - 2:q_end - 1] in "?？"
        end = q_end
        for s, e in self.quoted:
            if s == end and question:
                end = e
        m = _ASKED.match(self.text, end)
        if m is None:
            return None
        if question:
            return self.span(m.start("asker"), m.end("asker"))
        after = m.end() + (1 if self.text[m.end():m.end() + 1] in SEP else 0)
        return self.span(after, self.clause_end(after, len(self.text)))

    def presented(self, start: int, end: int) -> tuple[int, int] | None:
        """The person a presentative clause brings on (警车中就出来一位……女特工, 走过来一位特工)."""
        m = _PRESENTATIVE.search(self.text, start, end)
        if m is None:
            return None
        return self.span(m.start("np"), end)
