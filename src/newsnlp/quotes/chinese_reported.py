"""Chinese reported speech: the frames that give a cue its source and content.

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

import re
from typing import Any

from newsnlp.quotes.chinese_speakers import causative, tag_of, zh_lexicon
from newsnlp.quotes.chinese_text import CLAUSE, OPEN, SEP, Item, Paragraph

_CONCESSIVE = re.compile(r"(?:虽然|虽|尽管)[^,，。:：“”]{0,8}$")
_BUT = re.compile(r"[,，](?=但|但是|可是|却|不过)")
_SAME_SOURCE = ("自己", "他", "她", "他们", "她们", "我", "我们")  # 只要自己觉得舒服: still the speaker's words
_ACCORDING = re.compile(r"(?<![数依根证占])据")
_DOCUMENT = re.compile(r"根据(?P<spk>[^,，。“”]{2,30}?(?:数据|数字|报告|统计|调查|资料|方案|消息|公告|通报))(?:显示|表明|指出)?[,，]")
_DATELINE = re.compile(r"(?:\d+日|时间|电|讯)\s*$")
_QUESTION = re.compile(r"\s*(?:被|再|又|当|在)?(?P<cue>问到|问及|问)(?=[他她其])")
# 只要自己觉得舒服: a thought of the same person stays inside the content; 他解释……，他透露……: a new
# speech act is an attribution of its own.
_STATEMENT = re.compile(r"(?:发布|发表|发出|发)了?(?:一份|一则|一项|一纸)?(?P<cue>公告|声明|通告|通报|公报)(?=[,，:：])")
_NUMBERED = re.compile(r"[一二三四五六七八九十\d]$")  # 看点一：, 问题2：: a numbered section label, no source
_OWN_SIDE = re.compile(r"^[中英美俄日法德韩朝我]方$")
_THOUGHT = ("觉得", "认为", "以为", "相信", "感觉", "感到", "希望", "担心")
_DATA_CUES = ("显示", "表明")
_STUDIES = ("调查", "研究", "统计", "分析", "数据", "统计数据", "调查结果", "研究结果")
_SPEECH_NOUN_COLON = re.compile(r"^(?:了[^,，:：“”]{0,10}|[^,，:：“”]{0,8}(?:的话|一句话|话))[:：]")


def reported(owner: Any, p: Paragraph, a: int, b: int, cues, used, items, title: bool) -> list[Item]:  # type: ignore[no-untyped-def]
    """The reported-speech items of sentence ``[a, b)``; ``owner`` links speakers and numbers groups."""
    text, lex = p.text, zh_lexicon()
    out: list[Item] = []
    taken = [(i.start, i.end) for i in items if not i.weak]
    turn = _colon_frame(owner, p, a, b, title)
    outer: list[Item] = [i for i in items if not i.weak and i.kind != "direct"]
    if turn is not None:
        if any(s <= turn.start < e for s, e in taken):
            return []
        out.append(turn)  # an interview turn; attributions inside it are nested (调查显示……)
        outer.append(turn)
        taken.append((turn.start, turn.end))
    question = _question(p, a, b)
    question_cue = question.cue if question is not None else None  # a question always has its cue (问)
    if question is not None and question_cue is not None and not any(s <= question.start < e for s, e in taken):
        out.append(Item(question.start, question.end, question.kind, None, question_cue, owner.new_group()))
        taken.append((question_cue[0], b))
        used.update(c for c in cues if question_cue[0] <= c[0] < b)
    statement = _STATEMENT.search(text, a, b)
    if statement is not None and not any(s <= statement.start() < e for s, e in taken):
        clause = p.clause_start(statement.start(), a)
        subject = p.subject(clause, statement.start(), a)
        content = _content(p, statement.span("cue"), b) if subject is not None else None
        if subject is not None and content is not None:  # 国泰基金周一发布公告，……: the statement's content
            group = owner.new_group()
            out.append(Item(content[0], content[1], content[2], owner.speaker(p, subject), statement.span("cue"), group))
            taken.append((statement.start(), content[1]))
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
        if text[cue[1]:cue[1] + 1] in ":：" and (any((pre + word).endswith(x) for x in lex["labels"]) or not pre.strip()):
            continue  # 编辑点评：, 一句话点评：, ……。声明：: the paper's own voice (a cue that opens its clause)
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
            span = p.subject(clause, cue[0], a)
            if span is None and not causative(text, p.words, clause, cue[0]):
                span = p.noun_before(clause, cue[0])  # ……就业教育部有关负责人说: a glued heading before it
            if span is None and word in _DATA_CUES:
                span = _study_before(p, clause, cue[0])  # 调查显示, 天相投顾的统计显示: the study is the source
        if span is not None and text[span[0]:span[1]].lstrip("有") in lex["rumours"]:
            span, null_ok = None, True  # 有传言宣称: a rumour has no source
        if span is None and word in ("统计", "调查"):
            continue  # 据统计, 据调查: an evidential with no source
        if "被" in text[clause:cue[0]] and word not in ("问到", "问及", "追问"):
            continue  # 被老板无缘无故地批评: passive, the subject is not the source
        if span is None and not null_ok:
            continue
        colon = text.find(":", cue[1], b) if title else -1
        if colon < 0 and title:
            colon = text.find("：", cue[1], b)
        content = _content(p, cue, colon if colon > cue[1] + 2 else b, _source_like(owner, p, span), not according)
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
    if question_cue is not None:  # 古仔表示……，问他是否想转型做打星？: the question is not 古仔's words
        q_clause = question_cue[0]
        while q_clause > a and text[q_clause - 1] in SEP + " ":
            q_clause -= 1
        out = [i if not (i.start < q_clause < i.end) or i.kind == "direct" else
               Item(i.start, q_clause, i.kind, i.speaker, i.cue, i.group, i.weak, i.turn) for i in out]
    return out


def _question(p: Paragraph, a: int, b: int) -> Item | None:
    """问他可有受伤？ / 问到他有增加保险吗？: a clause that opens with 问 and ends the sentence with a
    question mark reports the (unnamed) reporters' question; its source is null, as for 被问道."""
    if p.text[b:b + 1] not in ("？", "?"):  # sentences end before their final mark
        return None
    clause = p.clause_start(b, a)
    while True:  # the first clause of the question: 问他是否想转型，还是……？
        m = _QUESTION.match(p.text, clause)
        if m is not None or clause <= a:
            break
        clause = p.clause_start(clause - 1, a)
    if m is None or b - m.end() < 3 or any(clause <= q[0] < b for q in p.quoted):
        return None
    return Item(m.end(), b, "indirect", None, (m.start("cue"), m.end("cue")), 0)


def _study_before(p: Paragraph, clause: int, cue: int) -> tuple[int, int] | None:
    """The clause before a data cue when it names a study (调查, 研究, 统计, 分析, a verb after 的)."""
    words = [(s, e) for s, e in p.words if clause <= s and e <= cue]
    while words and not p.text[words[0][0]:words[0][1]].strip(" \u3000"):
        words = words[1:]
    while len(words) > 1 and p.text[words[-1][0]:words[-1][1]] in ("还", "也", "又", "则", "更", "均", "都"):
        words = words[:-1]  # 调查还显示
        cue = words[-1][1]
    if not words or len(words) > 8 or cue - words[0][0] > 20 or any(p.text[s:e] in CLAUSE for s, e in words):
        return None
    last = p.text[words[-1][0]:words[-1][1]]
    after_de = len(words) > 1 and p.text[words[-2][0]:words[-2][1]] == "的"
    if last in _STUDIES or (after_de and tag_of(last) in ("v", "vn")):
        return words[0][0], cue
    return None


def _nested(p: Paragraph, outer: Item, clause: int, cue: tuple[int, int]) -> bool:
    """据ESPN消息，好在湖人方面最终确认……: an attribution inside reported content with a source of its
    own (a name or noun in its own clause, not 他 or the outer speaker again) is annotated too."""
    span = p.span(clause, cue[0])
    if span is None:
        return False
    mention = p.text[span[0]:span[1]]
    if mention in ("他", "她", "他们", "她们", "我", "我们", "自己") or _OWN_SIDE.match(mention):
        return False  # 中方相信……: an official speaking for their side is the same source (GUIDELINES_zh.md (a))
    return outer.speaker is None or mention not in outer.speaker.text and outer.speaker.text not in mention


def _content(p: Paragraph, cue: tuple[int, int], b: int, source_like: bool = True,
             stop_at_sources: bool = True) -> tuple[int, int, str, Any] | None:
    """(start, end, kind, trailing quotation) of what a cue reports, or None."""
    text, lex = p.text, zh_lexicon()
    start = cue[1]
    separated = text[start:start + 1] in SEP
    word = text[cue[0]:cue[1]]
    if not separated and word in lex["addressee_cues"]:  # 告诉记者，……: the addressee is not content
        m = re.match(r"[^,，:：“”。]{1,8}[,，:：]", text[start:b])
        if m and all(tag_of(w) is None or (tag_of(w) or "").startswith(("n", "r")) or w[-1] in "生者员人众友们"
                     for w in _words(p, start, start + m.end() - 1)):  # 提醒考生：(考生 a verb to jieba)
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
    if text.startswith(("令", "让", "使"), start):
        return None  # 点评，令全场爆笑: an effect, not a report
    if word in lex["directive_cues"] and re.match(r"(?:注意|务必|不要|千万|请|切勿|一定要)", text[start:b]):
        return None  # 提醒留学生们，注意安全: a directive, not reported content
    if not separated and word in lex["separated_only"] and not (source_like or p.title):
        return None  # 预计二0一五年完工: an adverb here; 专家预计……, 霍林格预测…… are reports
    if not separated and b - start < 6:
        return None  # 宣布比赛开赛: a short bare object is an act, not reported content
    end = b
    for other in p.cue_like if stop_at_sources else ():  # A说，……，B也说……: the content ends before
        if start + 4 <= other[0] < end:  # a clause with its own source (据X报道 reports such clauses)
            clause = p.clause_start(other[0], start)
            source = p.span(clause, other[0])
            same = source is not None and text[source[0]:source[1]] in _SAME_SOURCE and text[other[0]:other[1]] in _THOUGHT
            if clause > start + 6 and source is not None and not same:
                end = clause - 1
                break
    if _CONCESSIVE.search(text, max(0, cue[0] - 12), cue[0]):  # 校方虽然表示A，但提出了B: B is the narration's
        turn = _BUT.search(text, start, end)
        end = turn.start() if turn else end
    while end > start and text[end - 1] in " ,，;；":
        end -= 1
    if end - start < 3:
        return None
    inside = [q for q in p.quoted if start <= q[0] < end]
    if inside and inside[0][0] == start and not _term(text, inside[0], end):
        return None  # X说：“……”: the quotation's own frame has it (not 认为，“放养”“圈养”均有……, a term)
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


def _term(text: str, quoted: tuple[int, int], end: int) -> bool:
    """A short quoted term (no clause or sentence mark inside) that the content goes on after."""
    inner = text[quoted[0] + 1:quoted[1] - 1]
    return len(inner) <= 8 and not any(c in inner for c in CLAUSE) and end - quoted[1] > 4


def _source_phrase(p: Paragraph, start: int, end: int) -> tuple[int, int] | None:
    """All of X in 据X报道 / 从X获悉, without a trailing date or marks (据英国《每日电讯报》6月7日报道)."""
    text = p.text
    m = re.search(r"(?:\d{1,2}月)?\d{1,2}日$|(?:昨天|今天|昨日|今日|日前|近日)$", text[start:end])
    if m:
        end = start + m.start()
    title = re.search(r"《([^》]+)》", text[start:end])
    if title:  # 据台湾《联合晚报》报道: the paper
        return start + title.start(1), start + title.end(1)
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
    if label.startswith("第") or _NUMBERED.search(label) or any(label.endswith(x) for x in lex["labels"]) or any(
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
