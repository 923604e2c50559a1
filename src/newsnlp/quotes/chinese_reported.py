"""Chinese reported speech: the paragraph model (sentences, clauses, cues) and the reported-speech frames.

Frames, for each cue of a sentence that no quotation took:

* ``X表示，……`` / ``X认为……``: the content runs from the cue to the end of the sentence, or to the
  clause before another attribution with its own source (``A说，……，B也说……``); it is mixed when it
  holds quotation marks, and ``称X，“Y”`` gives indirect X and direct Y;
* ``据X报道/介绍/称`` (source X; ``据报道`` has none), ``根据X数据/报告``, ``记者从X获悉/了解到``,
  ``X消息，`` (not a dateline's ``4月7日消息``), ``被问到……`` (no source);
* ``X：……`` opening a sentence: interview turns, section headings; in a title only when X names
  an entity (``科比：打小牛才是真考验``); the paper's own labels (编辑点评, 导语) are no source.

Not reported speech: a cue after 不/没 (没有任何一家银行正式宣布), after 被 (被称为), after 的 (他的介绍),
or with a noun-phrase object (表示热烈的祝贺, 否认了这一传闻).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

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
_SAME_SOURCE = ("自己", "他", "她", "他们", "她们", "我", "我们")  # 只要自己觉得舒服: still the speaker's words
_PRESENTATIVE = re.compile(r"(?:出来|过来|走来|走出来|走进来|出现|站着|来了|走上前来)(?P<np>(?:一|几|两|三)(?:位|名|个)[^,，。:：“”]{1,24})$")
_PASSIVE_QUESTION = ("问到", "问及", "追问", "问道")
_ACCORDING = re.compile(r"(?<![数依根证占])据")
_DOCUMENT = re.compile(r"根据(?P<spk>[^,，。“”]{2,30}?(?:数据|报告|统计|调查|资料|方案|消息|公告|通报))[,，]")
_DATELINE = re.compile(r"(?:\d+日|时间|电|讯)\s*$")
_SPEECH_NOUN_COLON = re.compile(r"^(?:了[^,，:：“”]{0,10}|[^,，:：“”]{0,8}(?:的话|一句话|话))[:：]")


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
        for m in _cue_pattern().finditer(self.text):
            if not self._is_cue(*m.span()):
                continue
            if cues and cues[-1][1] == m.start():  # 回答说, 解释说: one cue
                cues[-1] = (cues[-1][0], m.end())
            else:
                cues.append(m.span())
        self.cues = cues
        # Every whole-word cue, even one that reports nothing here (也这样认为): it still opens a
        # clause with its own source, where reported content ends.
        frame_only = set(zh_lexicon()["frame_only"])
        self.cue_like = [m.span() for m in _cue_pattern().finditer(self.text)
                         if m.start() in self.word_starts and m.end() in self.word_ends and not self.in_quote(m.start())
                         and (m.group() not in frame_only or "据" in self.text[max(0, m.start() - 12):m.start()])]

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
        if nxt and nxt in lex["not_cue_next"].get(cue, ""):
            return False
        if prev and prev in lex["not_cue_prev"].get(cue, ""):
            return False
        if cue in lex["colon_only"] and not re.match(r"[^,，。:：“”]{0,8}[:：]|[,，]", text[end:end + 9]):
            return False  # 问那位男特工：……, not 问路
        if prev in ("的", "、", "项", "份", "篇", "述", "种", "些") or nxt == "、" or (
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
        return [(s, e) for s, e in out if self.text[s:e].strip()]

    def _quote_ends_sentence(self, i: int) -> bool:
        """Whether a new sentence starts at ``i``, right after a quotation that ends with 。！？ and is
        not followed by its attribution (a cue in the next clause: “……。”X说)."""
        if self.text[i - 1:i] not in "”」』" or self.text[i - 2:i - 1] not in END or self.in_quote(i):
            return False
        if self.text[i:i + 1] in CLAUSE + OPEN + "”」』" or not self.text[i:i + 1].strip():
            return False
        end = i
        while end < len(self.text) and end - i < 24 and self.text[end] not in CLAUSE + OPEN:
            end += 1
        return not any(i <= c[0] < end for c in self.cues)

    def _garbled(self, i: int) -> bool:
        """A '?' between two Han characters in the source is a character the encoding lost (赤?角)."""
        if self.text[i] != "?" or not self.source:
            return False
        s, _ = self.para.view.to_source(i, i + 1)
        around = self.source[s - 1:s] + self.source[s + 1:s + 2]
        return self.source[s] == "?" and len(around) == 2 and all("\u4e00" <= c <= "\u9fff" for c in around)

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
        """The subject before a cue at ``end``: in its clause, else (并表示, 无奈地摇着头说: a clause
        with no subject of its own) at the start of an earlier clause of the sentence."""
        found = self.presented(start, end) or self.span(start, end)
        if found is None and causative(self.text, self.words, start, end):
            return None
        position = start
        while found is None and position - 1 > floor and not self.in_quote(position - 2):
            earlier = self.clause_start(position - 1, floor)
            found = self.presented(earlier, position - 1) or self.span(earlier, position - 1)
            position = earlier
        return found

    def noun_before(self, start: int, end: int) -> tuple[int, int] | None:
        """The noun phrase that ends right at ``end`` (……就业教育部有关负责人说: 教育部有关负责人)."""
        words = [(s, e) for s, e in self.words if start <= s and e <= end]
        k = len(words)
        while k > 0 and _noun_part(self.text[words[k - 1][0]:words[k - 1][1]]):
            k -= 1
        if k == len(words):
            return None
        return self.span(words[k][0], end)

    def presented(self, start: int, end: int) -> tuple[int, int] | None:
        """The person a presentative clause brings on (警车中就出来一位……女特工, 走过来一位特工)."""
        m = _PRESENTATIVE.search(self.text, start, end)
        if m is None:
            return None
        return self.span(m.start("np"), end)


def reported(owner: Any, p: Paragraph, a: int, b: int, cues, used, items, title: bool) -> list[Item]:  # type: ignore[no-untyped-def]
    """The reported-speech items of sentence ``[a, b)``; ``owner`` links speakers and numbers groups."""
    text, lex = p.text, zh_lexicon()
    out: list[Item] = []
    taken = [(i.start, i.end) for i in items if not i.weak]
    colon = _colon_frame(owner, p, a, b, title)
    outer: list[Item] = [i for i in items if not i.weak and i.kind != "direct"]
    if colon is not None:
        if any(s <= colon.start < e for s, e in taken):
            return []
        out.append(colon)  # an interview turn; attributions inside it are nested (调查显示……)
        outer.append(colon)
        taken.append((colon.start, colon.end))
    document = _DOCUMENT.search(text, a, b)
    if document is not None:
        content = _content(p, (document.start(), document.end() - 1), b)
        if content is not None:
            group = owner.new_group()
            out.append(Item(content[0], content[1], content[2], owner.speaker(p, document.span("spk")),
                            (document.start(), document.start() + 2), group))
            taken.append((document.start(), b))
    if title:  # 韦伯批小牛大个子皆软蛋: headline verbs
        extra = [m.span() for w in lex["title_cues"] for m in re.finditer(re.escape(w), text[:b])
                 if m.start() >= a and m.start() in p.word_starts and m.end() in p.word_ends]
        cues = sorted(set(cues) | set(extra))
    for cue in cues:
        if cue in used:
            continue
        clause = p.clause_start(cue[0], a)
        inside = [i for i in outer if i.start <= cue[0] < i.end]
        if any(s <= cue[0] < e for s, e in taken) and not (inside and _nested(p, inside[0], clause, cue)):
            continue
        word = text[cue[0]:cue[1]]
        pre = text[clause:cue[0]]
        span: tuple[int, int] | None = None
        null_ok = False
        wide = max(text.rfind(c, a, cue[0]) for c in CLAUSE) + 1 if cue[0] > a else a
        wide = max(wide, a)
        according = list(_ACCORDING.finditer(text, wide, cue[0]))
        if text[cue[1]:cue[1] + 1] in ":：" and any((pre + word).endswith(x) for x in lex["labels"]):
            continue  # 编辑点评：, 一句话点评：: the paper's own voice
        if word in ("获悉", "了解到"):  # 记者从X获悉: X, whole (人力资源和社会保障部)
            k = pre.rfind("从")
            if k < 0:
                continue
            span = _source_phrase(p, clause + k + 1, cue[0])
        elif according:  # 据X报道 / 据台湾“中央社”报道 / 据介绍: the source is all of X
            j = according[-1].end()
            span = _source_phrase(p, j, cue[0]) if j < cue[0] else None
            null_ok = span is None and j == cue[0]
        elif word in ("看来", "眼中", "眼里"):  # 在霍林格眼中，……
            k = pre.rfind("在")
            if k < 0 or text[cue[1]:cue[1] + 1] not in ",，":
                continue
            span = p.span(clause + k + 1, cue[0])
        elif word == "消息":
            if text[cue[1]:cue[1] + 1] not in ",，" or _DATELINE.search(pre) or "讯" in pre:
                continue
            span = p.span(clause, cue[0])
        elif word in lex["frame_only"]:
            continue
        elif text[cue[0] - 1:cue[0]] == "被":
            null_ok = True
        elif text[clause:cue[0]].lstrip().startswith(("由", "经")):  # 由……推出的最新一期月度报告显示
            span = p.noun_before(clause, cue[0])
        else:
            span = p.subject(clause, cue[0], a) or p.noun_before(clause, cue[0])
        if span is not None and text[span[0]:span[1]].lstrip("有") in lex["rumours"]:
            span, null_ok = None, True  # 有传言宣称: a rumour has no source
        if span is None and not null_ok:
            continue
        colon = text.find(":", cue[1], b) if title else -1
        if colon < 0 and title:
            colon = text.find("：", cue[1], b)
        content = _content(p, cue, colon if colon > cue[1] + 2 else b, _source_like(owner, p, span))
        if content is None:
            continue
        c_start, c_end, kind, quote = content
        if colon > cue[1] + 2 and b - colon > 2:  # 里弗斯否认大鲨鱼将告别赛季：他最快第四场复出
            span_item = Item(colon + 1, b, "indirect", None, (colon, colon + 1), 0)
            out.append(span_item)
        used.add(cue)
        group = owner.new_group()
        speaker = owner.speaker(p, span) if span else None
        for k, item in enumerate(out):
            if item.group == 0:
                out[k] = Item(item.start, item.end, item.kind, speaker, item.cue, group)
        out.append(Item(c_start, c_end, kind, speaker, cue, group))
        outer.append(out[-1])
        if quote is not None:
            out.append(Item(quote[0], quote[1], "direct", speaker, cue, group))
        taken.append((cue[0], quote[1] if quote else c_end))
    return out


def _nested(p: Paragraph, outer: Item, clause: int, cue: tuple[int, int]) -> bool:
    """据ESPN消息，好在湖人方面最终确认……: an attribution inside reported content with a source of its
    own (a name or noun in its own clause, not 他 or the outer speaker again) is annotated too."""
    span = p.span(clause, cue[0])
    if span is None:
        return False
    mention = p.text[span[0]:span[1]]
    if mention in ("他", "她", "他们", "她们", "我", "我们", "自己"):
        return False
    return outer.speaker is None or mention not in outer.speaker.text and outer.speaker.text not in mention


def _content(p: Paragraph, cue: tuple[int, int], b: int, source_like: bool = True) -> tuple[int, int, str, Any] | None:
    """(start, end, kind, trailing quotation) of what a cue reports, or None."""
    text, lex = p.text, zh_lexicon()
    start = cue[1]
    separated = text[start:start + 1] in SEP
    word = text[cue[0]:cue[1]]
    if not separated and word in lex["addressee_cues"]:  # 告诉记者，……: the addressee is not content
        m = re.match(r"[^,，:：“”。]{1,8}[,，:：]", text[start:b])
        if m and all(tag_of(w) is None or (tag_of(w) or "").startswith(("n", "r")) for w in _words(p, start, start + m.end() - 1)):
            start += m.end() - 1
            separated = True
    if not separated:
        head = text[start:b]
        colon = _SPEECH_NOUN_COLON.match(head)
        if colon:  # 说了几条规矩：不能再往前……
            start += colon.end()
            separated = True
        elif head.startswith("了") or _noun_phrase(p, start, b) or any(
                re.match(rf"[^,，]{{0,10}}{re.escape(n)}(?:[,，]|$)", head) for n in lex["np_objects"]):
            return None  # 否认了这一传闻, 表示热烈的祝贺, 强调公牛的进攻: a noun phrase, not content
    while start < b and text[start] in SEP + " ":
        start += 1
    if text.startswith(("若", "如果", "假如", "倘若", "令", "让", "使"), start):
        return None  # 觉得若放你一马……, 点评，令全场爆笑: a hypothetical or an effect, not a report
    if word in lex["directive_cues"] and re.match(r"(?:注意|务必|不要|千万|请|切勿|一定要)", text[start:b]):
        return None  # 提醒留学生们，注意安全: a directive, not reported content
    if not separated and word in lex["separated_only"] and not (source_like or p.title):
        return None  # 预计二0一五年完工: an adverb here; 专家预计……, 霍林格预测…… are reports
    if not separated and b - start < 6:
        return None  # 宣布比赛开赛: a short bare object is an act, not reported content
    end = b
    for other in p.cue_like:  # A说，……，B也说……: the content ends before a clause with its own source
        if start + 4 <= other[0] < end:
            clause = p.clause_start(other[0], start)
            inner = p.span(clause, other[0])
            if clause > start + 6 and inner is not None and text[inner[0]:inner[1]] not in _SAME_SOURCE:
                end = clause - 1
                break
    while end > start and text[end - 1] in " ,，;；":
        end -= 1
    if end - start < 3:
        return None
    inside = [q for q in p.quoted if start <= q[0] < end]
    if inside and inside[0][0] == start:
        return None  # X说：“……”: the quotation's own frame has it
    inner = [c for c in sorted(set(p.cue_like) | set(p.cues)) if inside and start <= c[0] < inside[-1][0]
             and not text[c[1]:inside[-1][0]].strip(" ,，:：") and p.span(p.clause_start(c[0], start), c[0]) is None]
    if inside and inner and inside[-1][1] >= end - 1:  # 她坦言……，并称：“……”: the quotation is the inner cue's
        clause = p.clause_start(inner[-1][0], start)
        end = clause - 1 if clause > start + 3 else end
        while end > start and text[end - 1] in " ,，;；":
            end -= 1
        inside = [q for q in inside if q[1] <= end]
        if end - start < 3:
            return None
    if len(inside) == 1 and inside[0][1] >= end - 1 and text[inside[0][0] - 1:inside[0][0]] in SEP:
        head_end = inside[0][0] - 1
        return start, head_end, "indirect", inside[0]  # 称X，“Y”
    return start, end, ("mixed" if inside else "indirect"), None


def _source_phrase(p: Paragraph, start: int, end: int) -> tuple[int, int] | None:
    """All of X in 据X报道 / 从X获悉, without a trailing date or marks (据英国《每日电讯报》6月7日报道)."""
    text = p.text
    m = re.search(r"(?:\d{1,2}月)?\d{1,2}日$|(?:昨天|今天|昨日|今日|日前|近日)$", text[start:end])
    if m:
        end = start + m.start()
    while start < end and text[start] in " 《“\"(":
        start += 1
    while end > start and text[end - 1] in " 》”\")":
        end -= 1
    return (start, end) if end > start else None


def _source_like(owner: Any, p: Paragraph, span: tuple[int, int] | None) -> bool:
    """Whether a subject can be a source: a name, a pronoun or a person noun (专家, 分析师, 人士)."""
    if span is None:
        return False
    mention = p.text[span[0]:span[1]]
    return (owner.has_entity(p, span) or mention in ("他", "她", "他们", "她们")
            or mention.endswith(("人", "者", "员", "师", "家", "士", "官", "长", "方", "机构", "部门")))


def _words(p: Paragraph, start: int, end: int) -> list[str]:
    return [p.text[s:e] for s, e in p.words if start <= s and e <= end]


def _noun_phrase(p: Paragraph, start: int, b: int) -> bool:
    """Whether the clause after a bare cue is only a noun phrase (强调公牛的进攻，), not a proposition."""
    end = start
    while end < b and p.text[end] not in CLAUSE:
        end += 1
    words = [p.text[s:e] for s, e in p.words if start <= s and e <= end]
    if "的" not in words or len(words) > 6:
        return False
    return all(w == "的" or tag_of(w) is None or (tag_of(w) or "").startswith("n") for w in words) and words[-1] != "的"


def _colon_frame(owner: Any, p: Paragraph, a: int, b: int, title: bool) -> Item | None:
    """``X：……`` opening a sentence: an interview turn, a section heading, a headline claim."""
    text, lex = p.text, zh_lexicon()
    head = text[a:b]
    lead = len(head) - len(head.lstrip())
    m = re.match(r"\s*([^,，:：“”。]{1,12})[:：]", head)
    if not m or text[a + m.end():a + m.end() + 1] in OPEN:
        return None
    label = m.group(1).strip()
    if label.startswith("第") or any(label.endswith(x) for x in lex["labels"]) or any(
            a <= c[0] < a + m.end(1) for c in p.cues):
        return None
    span = p.span(a + lead, a + m.end(1))
    if span is None or span[1] < a + m.end(1) - 1:
        return None
    if title and not owner.has_entity(p, span):
        return None
    start, end = a + m.end(), b
    while end > start and text[end - 1] in " ,，;；":
        end -= 1
    if end - start < 2:
        return None
    colon = a + m.end() - 1
    kind = "mixed" if any(start <= q[0] < end for q in p.quoted) else "indirect"
    if label.startswith(("(", "（")) or (end - start <= 5 and label in lex["turn_roles"]):
        return None  # (记者：唐珩 关宏), 记者：缪晨霞: a byline
    if text[start:b].rstrip().endswith((":", "：")):
        return None  # 主持人：……杨轶 以下为现场实录：: a header that introduces what follows
    speaker = owner.speaker(p, span)
    person = label in lex["turn_roles"] or (
        speaker is not None and speaker.entity is not None and owner.by_id[speaker.entity].label == "PERSON")
    return Item(start, end, kind, speaker, (colon, colon + 1), owner.new_group(), turn=person)
