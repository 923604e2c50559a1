"""Chinese quote attribution, sentence by sentence, over the folded view of each paragraph.

In each sentence (quotation marks never end one), in this order:

* **quotations** get their source from the frame around them: ``X说：“……”`` and colon or answer
  frames with no cue (``邓建华……做出了全新调整：“……”``, ``……的第一句话却是：“……”``) before,
  ``“……”X说`` after, or, with no frame, the subject earlier in the sentence, the next sentence's
  attribution (``“A”。X告诉记者，B``) or the person the previous sentence is about. A quotation
  inside a clause (``须做到“曲不离口,拳不离手”``, ``预计“租金稳中有升”将成为``) is a term or part
  of reported speech, never a quotation of its own;
* **reported speech** (:mod:`newsnlp.quotes.chinese_reported`): ``X表示，……`` to the end of the
  sentence or the next clause with its own source, ``据X报道``, ``根据X数据``, ``记者从X获悉``,
  ``X消息，`` and ``X：……`` (interview turns, section headings, headline claims);
* **continuations** (:mod:`newsnlp.quotes.chinese_continuations`, GUIDELINES_zh.md): sentences after an attribution that refer to the speaker
  in the first person, carry on an enumeration (其次, 最后), or sit between two such sentences.

People that only the context gives (quotations with no cue, colon frames whose clause names no
source) come from :mod:`newsnlp.quotes.chinese_context`. Speakers are mentions found by word class (:mod:`newsnlp.quotes.chinese_speakers`); 他/她 resolve
to the most salient person. A title is a sentence like any other: with no cue and no ``X：``
frame naming an entity, a headline is not a quote.
"""

from __future__ import annotations

import re

from newsnlp.document import Work
from newsnlp.model import Entity, Quote, Span, Speaker
from newsnlp.quotes.chinese_context import ContextPeople, head, possessor
from newsnlp.quotes.chinese_continuations import Continuations
from newsnlp.quotes.chinese_reported import _content, _source_phrase, reported
from newsnlp.quotes.chinese_speakers import Salience, make_speaker, tag_of, zh_lexicon
from newsnlp.quotes.chinese_text import CLAUSE, END, OPEN, SEP, Item, Paragraph
from newsnlp.quotes.speakers import SpeakerLinker

_FILLER = re.compile(r"^(?:道|着|了|是|一句|如下|过|所说的那样|说的那样|的那样|那样)?$|^了?一句.{0,12}话$|^.{0,12}的话$")
_SPEECH_NOUN = re.compile(r"的(?:肯定|评价|称赞|赞扬|好评|批评|回应|回答|答复|说法|表态|看法)(?:是)?$")
_BACK_REFERENCE = re.compile(r"(?:对于|对|关于|针对)?(?:这|此|那)")
_TOPIC = re.compile(r"(?:对于|对|关于|针对|谈到|谈及|提到|说到)[^,，。:：“”]{1,30}[,，]")
_PLACE_SUFFIXES = ("省", "市", "县", "区", "州", "镇", "村", "乡")
_BEFORE_QUOTE = "”」』 (（)）】—…"
_PEOPLE_END = "生者员人众友们"  # 考生 (a verb to jieba), 读者, 网友: people, so an addressee
_SAID_THIS = re.compile(r"说(?:这话|这番话|这些话|这些|到这里|到这儿|起这些|着)时?[,，]")


class ChineseQuotes(Continuations, ContextPeople):
    """Finds quotes in the Chinese paragraphs of one article (a reader per article: it keeps the
    article's state, such as salience and the last speaker, on itself)."""

    def __call__(self, work: Work, linker: SpeakerLinker) -> list[Quote]:
        self.work, self.linker = work, linker
        self.salience = Salience(work.entities)
        self.by_id: dict[str, Entity] = {e.id: e for e in work.entities}
        self.group = 0
        self.last_speaker: Speaker | None = None
        self._split: tuple[tuple[int, int], Item] | None = None
        self.writer_first_person = False
        self.previous_speaker: Speaker | None = None
        quotes: list[Quote] = []
        open_quote: Quote | None = None  # a quotation left open at a paragraph's end
        names = [(m.start, m.end) for e in work.entities if e.label in ("PERSON", "ORG", "COUNTRY") for m in e.mentions]
        persons = [(m.start, m.end) for e in work.entities if e.label == "PERSON" for m in e.mentions]
        for para in work.zh:
            role = work.paragraphs[para.index].role if para.index < len(work.paragraphs) else "body"
            p = Paragraph(para, names, persons, work.text)
            p.title = role == "title"
            for item in self._paragraph(p, role == "title"):
                s, e = para.view.to_source(item.start, item.end)
                if e <= s:
                    continue
                cue = None
                if item.cue is not None:
                    c_s, c_e = para.view.to_source(*item.cue)
                    cue = Span(c_s, c_e, work.text[c_s:c_e])
                quote = Quote(s, e, work.text[s:e], item.kind, item.speaker, cue)
                if open_quote is not None and item.start == 0 and item.kind == "direct" and p.text[:1] in OPEN:
                    # “A。¶“B。”X说: a quotation that runs on into the next paragraph is one quotation.
                    quotes.remove(open_quote)
                    quote = Quote(open_quote.start, e, work.text[open_quote.start:e], "direct",
                                  open_quote.speaker or item.speaker, open_quote.cue or cue)
                open_quote = None
                quotes.append(quote)
            last = quotes[-1] if quotes else None
            if (last is not None and last.kind == "direct" and p.quoted and p.quoted[-1][1] == len(p.text)
                    and p.text[-1:] not in "”」』" and para.view.to_source(*p.quoted[-1])[0] == last.start):
                open_quote = last
            else:
                open_quote = None
        return quotes

    # -- shared with chinese_reported ----------------------------------------------------------
    def speaker(self, p: Paragraph, span: tuple[int, int] | None) -> Speaker | None:
        """A linked speaker for a view span; remembered as the last speaker."""
        if span is None:
            return None
        s, e = p.para.view.to_source(*span)
        if e <= s:
            return None
        speaker = make_speaker(self.work.text, s, e, self.linker, self.salience, self.by_id)
        self.last_speaker = speaker
        return speaker

    def new_group(self) -> int:
        self.group += 1
        return self.group

    def has_entity(self, p: Paragraph, span: tuple[int, int]) -> bool:
        """Whether a title's ``X：`` names someone: an entity, or a name the article repeats (科比)."""
        s, e = p.para.view.to_source(*span)
        if self.linker._inside(s, e):
            return True
        name = self.work.text[s:e]
        if name.endswith(_PLACE_SUFFIXES) or any(
                m.start < e and s < m.end for ent in self.work.entities if ent.label == "LOCATION" for m in ent.mentions):
            return False  # 北京朝阳：……: a place heads the line, not a source
        return len(name) >= 2 and self.work.text.count(name, e) > 0

    # -- one paragraph -------------------------------------------------------------------------
    def _paragraph(self, p: Paragraph, title: bool) -> list[Item]:
        sentences = p.sentences()
        per_sentence = []
        for index, (a, b) in enumerate(sentences):
            following = sentences[index + 1] if index + 1 < len(sentences) else None
            previous = sentences[index - 1] if index else None
            per_sentence.append(self._sentence(p, a, b, previous, following, title))
        if not title:
            self._continuations(p, sentences, per_sentence)
        return [item for found in per_sentence for item in found]

    def _sentence(self, p: Paragraph, a: int, b: int, previous, following, title: bool) -> list[Item]:  # type: ignore[no-untyped-def]
        quotes = [q for q in p.quoted if a <= q[0] < b]
        cues = [c for c in p.cues if a <= c[0] < b]
        used: set[tuple[int, int]] = set()
        items: list[Item] = []
        deferred: set[tuple[int, int]] = set()
        floor = a
        for q_start, q_end in quotes:
            if any(i.start == q_start and i.end == q_end for i in items):
                floor = q_end
                continue  # already taken with the reported speech before it
            embedded = q_start > a and p.text[q_start - 1] not in CLAUSE + _BEFORE_QUOTE
            inside_clause = embedded and q_end < b and p.text[q_end] not in CLAUSE + "”」』…" and (
                p.text[q_end - 2:q_end - 1] not in END + "…")
            item: Item | str | None = None
            if not inside_clause:  # 预计“租金稳中有升”将成为: part of reported speech, never a quotation
                sentence_like = p.text[q_end - 2:q_end - 1] in END
                if embedded or self._frame_before(p, q_start, a) or self._after_report(p, q_start, floor, cues):
                    item = self._before_frame(p, q_start, q_end, floor, a, cues, used)
                    reporting = embedded and any(c[1] <= q_start for c in cues)  # 表示，他们的评价是“不满意！”
                    if item is None and (not embedded or sentence_like) and not reporting:  # 生活补贴“……了。”留学顾问告诉记者
                        item = self._after_frame(p, q_start, q_end, b, cues, used, items)
                else:
                    item = self._after_frame(p, q_start, q_end, b, cues, used, items)
                    if item is None:
                        item = self._before_frame(p, q_start, q_end, floor, a, cues, used)
            if item == "heading":  # a quoted section heading: the words of the person the context names
                item = self._no_frame(p, q_start, q_end, a, b, previous, following, heading=True)
            if item == "defer":
                deferred.add((q_start, q_end))
            elif item is None and (not embedded or self._speech_like(p, q_start, q_end)):
                # 努力“琪琪不到10岁就来到这里，……工作。”: a heading glued to the quotation does not make a
                # whole sentence in marks a term
                item = self._no_frame(p, q_start, q_end, a, b, previous, following)
            if isinstance(item, Item):
                items.append(item)
            floor = q_end
        found = reported(self, p, a, b, cues, used, items, title)
        self.previous_speaker = None
        if found:  # reported speech owns the quotations inside it (mixed) and after it (称X，“Y”)
            spans = [(i.start, i.end) for i in found]
            items = [i for i in items if not i.weak or not any(s <= i.start < e or (s, e) == (i.start, i.end) for s, e in spans)]
        result = sorted(items + found, key=lambda i: i.start)
        self.previous_speaker = result[-1].speaker if result else None
        return result

    # -- quotations ----------------------------------------------------------------------------
    @staticmethod
    def _frame_before(p: Paragraph, q_start: int, a: int) -> bool:
        """Whether a cue or a colon stands right before the quotation (X说：“, X表示，“)."""
        j = q_start
        while j > a and p.text[j - 1] in SEP + " ":
            j -= 1
        return p.text[q_start - 1:q_start] in ":：" or any(c[1] == j for c in p.cues)

    @staticmethod
    def _after_report(p: Paragraph, q_start: int, floor: int, cues: list[tuple[int, int]]) -> bool:
        """X告诉记者，B，“Y”: a quotation after a comma that follows a cue's content in the same
        sentence goes on with that report (称X，“Y”), before any attribution after it."""
        return p.text[q_start - 1:q_start] in ",，" and any(floor <= c[0] and c[1] < q_start - 1 for c in cues)

    def _after_frame(self, p, q_start, q_end, b, cues, used, items):  # type: ignore[no-untyped-def]
        """“……”X说(，B) and “……”过了不久，X过来催促，“……”: the cue follows the quotation."""
        text = p.text
        for cue in cues:
            if cue[0] < q_end or cue in used:
                continue
            if text[q_end - 2:q_end - 1] in END and text[cue[1]:cue[1] + 1] in ":：" and text[cue[1] + 1:cue[1] + 2] in OPEN:
                return None  # “A。”X表示：“B”: the colon gives the cue to the quotation after it
            between = text[q_end:cue[0]]
            if len(between) > 30 or any(c in between for c in OPEN + "”" + END):
                return None
            said = _SAID_THIS.match(text, cue[0]) if not between else None
            if not between and (text[cue[0]:cue[1]] in ("说罢", "说完") or said):  # “……”说罢他指指……
                start = said.end() if said else cue[1]  # “……”说这话时，王刚的眼圈红了
                end = p.clause_end(start, len(text))
                span = (self._person_in(p, start, end) if said else None) or p.span(start, end)
                if span is None:
                    return None
                used.add(cue)
                return Item(q_start, q_end, "direct", self.speaker(p, span), cue, self.new_group())
            start = q_end + (1 if between[:1] in SEP else 0)
            if any(c in between[1:] for c in SEP):
                # Only an attribution that ends the sentence or opens the next part of the quotation.
                tail = text[cue[1]:cue[1] + 2]
                if not (cue[1] >= b - 1 or (tail[:1] in SEP and tail[1:] in OPEN)):
                    return None
                start = p.clause_start(cue[0], q_end)
            span = p.span(start, cue[0]) or (p.subject(start, cue[0], q_end) if start > q_end else None)  # ，又说，“
            if span is None:
                return None
            used.add(cue)
            group = self.new_group()
            speaker = self.speaker(p, span)
            content = _content(p, cue, b) if text[cue[1]:cue[1] + 2].strip(" ,，:：")[:1] not in OPEN else None
            if content is not None:  # “A。”X告诉记者，B。 / “A。”X表示B，“C”
                items.append(Item(content[0], content[1], content[2], speaker, cue, group))
                if content[3] is not None:
                    items.append(Item(content[3][0], content[3][1], "direct", speaker, cue, group))
            item = Item(q_start, q_end, "direct", speaker, cue, group)
            self._split = (cue, item)
            return item
        return None

    def _before_frame(self, p, q_start, q_end, floor, a, cues, used):  # type: ignore[no-untyped-def]
        """X说：“……” / X表示，……，“……” (deferred to reported speech) / a colon or answer frame."""
        text = p.text
        if q_end - q_start <= 4:
            return None  # 允许女儿说“不”: a word or two in marks is a term, not a quotation
        split = getattr(self, "_split", None)
        if split is not None and split[0][1] <= q_start and not text[split[0][1]:q_start].strip(" ,，:："):
            cue, first = split  # “……，”X说，“……”: the second part of a split quotation
            return Item(q_start, q_end, "direct", first.speaker, cue, first.group)
        before = [c for c in cues if floor <= c[0] and c[1] <= q_start and c not in used]
        if before:
            cue = before[-1]
            gap = text[cue[1]:q_start].strip(" ,，:：")
            if _FILLER.match(gap) or self._addressee(p, cue, gap):
                used.add(cue)
                clause = p.clause_start(cue[0], a)
                according = re.match(r"\s*据([^,，:：“”]*)$", text[clause:cue[0]])  # 据知情人士透露，“……”
                if according is not None:
                    span = _source_phrase(p, clause + according.start(1), cue[0])  # 据《每日电讯报》6月7日报道
                    return Item(q_start, q_end, "direct", self.speaker(p, span), cue, self.new_group())
                span = p.subject(clause, cue[0], a)
                # 王刚称，“……”，并表示“……”: a predicate with no subject after a quotation shares its speaker
                same = self.last_speaker is not None and self.last_speaker.start >= p.para.view.to_source(a, a + 1)[0]
                speaker = self.speaker(p, span) if span is not None or floor == a or not same else self.last_speaker
                return Item(q_start, q_end, "direct", speaker, cue, self.new_group())
            if text[q_start - 1:q_start] in SEP:
                return "defer"  # 称X，“Y”: reported speech takes this quotation
        if text[q_start - 1:q_start] in ":：":
            colon = q_start - 1
            clause = p.clause_start(colon, a)
            noun = _SPEECH_NOUN.search(text, clause, colon)  # 得到了韩国导演姜帝圭的肯定：“……”
            span = p.noun_before(clause, noun.start()) if noun else None
            span = span or p.subject(clause, colon, a)
            label_only = span is not None and not noun and colon - clause <= 5 and clause == a
            if label_only and not self._source(p, span):
                return "heading"  # 形象：“我自己都笑死了”: a section heading's label, not a source
            if not noun and (span is None or not self._source(p, head(p, span)) or text[clause:colon].lstrip()[:1] in "将把"):
                # 他站在台阶上，……，声音沉稳有力：“……” / 他……，将这首诗送给总理：“……”: the clause before
                # the colon describes the speaker; its subject is a person in an earlier clause
                disposal = text[clause:colon].lstrip().startswith(("将", "把"))  # no subject of its own
                earlier = possessor(p, span) if span is not None and not disposal else None  # 李娜的回答很干脆：“
                earlier = earlier or (self._person_before(p, clause, a) if clause > a else None)
                if earlier is not None:
                    span = earlier
                elif span is not None and not self._source(p, head(p, span)) and re.search("我", text[q_start:q_end]):
                    return None  # 狐狸精造型亦与马王堆有着紧密联系：“……我参考了……”: the context's speaker
            if span is not None:
                return Item(q_start, q_end, "direct", self.speaker(p, span), (colon, colon + 1), self.new_group())
        return None

    @staticmethod
    def _addressee(p: Paragraph, cue: tuple[int, int], gap: str) -> bool:
        """告诉记者：“……”: a short noun phrase after an addressee cue is the addressee, not content."""
        if p.text[cue[0]:cue[1]] not in zh_lexicon()["addressee_cues"] or not 0 < len(gap) <= 8:
            return False
        start = cue[1]
        words = [p.text[s:e] for s, e in p.words if start <= s and e <= start + len(gap)]
        return bool(words) and all((tag_of(w) or "n").startswith(("n", "r")) or w[-1] in _PEOPLE_END for w in words)

    @staticmethod
    def _speech_like(p: Paragraph, q_start: int, q_end: int) -> bool:
        """Sentences in marks (a clause mark inside, a sentence end before the closing mark): speech,
        never a term, title or scare quote."""
        inner = p.text[q_start + 1:q_end - 1]
        return len(inner) >= 15 and inner[-1:] in END and any(c in inner[:-1] for c in CLAUSE)

    def _no_frame(self, p, q_start, q_end, a, b, previous, following, heading=False):  # type: ignore[no-untyped-def]
        """A quotation with no cue: a saying, or the words of the person the context is about."""
        text = p.text
        inner = text[q_start + 1:q_end - 1]
        if not heading and len(inner) <= 12 and not any(c in inner for c in ",，。!?！？"):
            return None
        if not heading and not any(c in inner[-2:] for c in "。!?！？…") and q_end < b:
            return None  # “金无足赤, 人无完人”, 四级也有缺点: a saying, not a quotation
        group = self.new_group()
        byline = p.text[q_start - 1:q_start] in ")）"  # 北京考试报讯(记者 马海丽)“……”: a byline, never the source
        if q_start > a and not heading and not byline:  # 阿帅摇摇头，并没有责怪火箭的球员，“……”
            clause = p.clause_start(q_start - 1, a)  # the clause's subject; a name at its end is its object
            span = p.presented(clause, q_start - 1) or p.span(clause, q_start - 1)  # (感谢了导演李玉，“……”)
            span = (possessor(p, span) or span) if span is not None else None  # 李娜的回答很干脆，“……”
            if text[clause:q_start].lstrip()[:1] in "将把" or (span is not None and not self._personal(p, span)):
                span = None  # 将这首诗送给总理：, 并没有责怪火箭的球员，: the clause has no subject of its own
            if span is None and clause > a:
                span = self._person_before(p, clause, a)
            if span is not None and self._personal(p, span) and not self._thing_head(p, span):
                return Item(q_start, q_end, "direct", self.speaker(p, span), None, group, weak=True)
        after_end = b if q_end < b else (following[1] if following is not None and following[0] == q_end else q_end)
        if (q_start == a or heading) and q_end < after_end and text[q_end] not in CLAUSE:  # “……”那位中年女子讪讪走开
            clause_end = p.clause_end(q_end, after_end)
            presented = p.presented(q_end, clause_end)  # “……”走过来一位特工
            span = presented or p.span(q_end, clause_end)
            own_cue = any(q_end <= c[0] < clause_end for c in p.cues) or (  # “A。”黄女士表示：“B”: B's frame,
                text[clause_end:clause_end + 1] in ":：" and text[clause_end + 1:clause_end + 2] in OPEN)  # as X很满意：“B”
            when = text[q_end:clause_end].endswith(("时", "时候", "后", "之后", "以后", "前", "之前"))  # 记者见到张伟时，
            if span is not None and not own_cue and not when and (presented or span[0] == q_end) and self._personal(p, span):
                return Item(q_start, q_end, "direct", self.speaker(p, span), None, group, weak=True)
        asker = p.asker(q_start, q_end)
        if asker is not None:
            return Item(q_start, q_end, "direct", self.speaker(p, asker), None, group, weak=True)
        if following is not None and q_end >= b - 1:  # “A”。X告诉记者，B。
            n_a, n_b = following
            cue = next((c for c in p.cues if n_a <= c[0] < min(n_b, n_a + 20)), None)
            subject_from = n_a if cue is None else p.clause_start(cue[0], n_a)  # 过了不久，特工休姆过来催促
            if _TOPIC.match(text, n_a):  # “……。”对高考后正打算留学的考生，X说，B: a topic phrase, then the source
                reach = min(p.clause_end(p.clause_end(n_a, n_b) + 1, n_b), n_a + 60)
                cue = next((c for c in p.cues if n_a <= c[0] < reach and text[c[1]:c[1] + 1] in SEP), None)
                subject_from = p.clause_start(cue[0], n_a) if cue is not None else n_a
            if cue is not None:
                span = p.span(subject_from, cue[0])
                if span is not None:
                    return Item(q_start, q_end, "direct", self.speaker(p, span), cue, group, weak=True)
        if previous is not None and self.previous_speaker is not None:  # the previous sentence's speaker goes on
            reply = self._reporters_interlocutor(p, q_start, q_end, previous)
            if reply is not None:  # 记者解释说，……，还给他瞄了一眼笔记本。“哦。……”: the reply is his
                return Item(q_start, q_end, "direct", self.speaker(p, reply), None, group, weak=True)
            return Item(q_start, q_end, "direct", self.previous_speaker, None, group, weak=True)
        before = self._person_in(p, *previous) if previous is not None else None
        if following is not None and q_end >= b - 1 and following[0] - q_end <= 1 and (
                before is None or _BACK_REFERENCE.match(text, following[0])):
            # “……。”对于这样的选择，旅西侨胞阿玲也觉得很知足: the person the next sentence is about, when
            # it looks back at the quotation or the sentence before names nobody (梁家辉……就答应出演。“……”)
            mention = self._person_in(p, following[0], min(following[1], following[0] + 30))
            if mention is not None:
                return Item(q_start, q_end, "direct", self.speaker(p, mention), None, group, weak=True)
        if previous is not None:  # the person the previous sentence is about
            mention = self._titled_subject(p, *previous) or self._person_in(p, *previous)
            if mention is not None:
                return Item(q_start, q_end, "direct", self.speaker(p, mention), None, group, weak=True)
        return Item(q_start, q_end, "direct", self.last_speaker, None, group, weak=True)
