"""Chinese quote attribution over the folded (simplified, half-width) view of each paragraph.

Patterns, in the order tried:

* “……”，某某说。 / “……。”他说。 — speaker after the quote;
* 某某说：“……” — speaker before, with a colon or comma;
* “……，”某某说，“……。” — an interrupted quote: both parts get the speaker;
* 称此举是“……” — a quoted fragment inside reported speech: a mixed quote;
* 某某表示，…… — indirect, the content runs to the end of the sentence; adverbials such as
  在例行记者会上 or 昨天 stay out of the speaker (外交部发言人汪文斌在例行记者会上表示);
* 据X称/报道，…… (speaker X) and 据悉/据了解，…… (no speaker);
* a quote that runs on into the next paragraph is one quote.

Cue verbs must be whole jieba words (说明 is no 说). Quotes of a few characters without a cue
(所谓的“一带一路”) are names or scare quotes, not quotations.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsnlp.document import Work, ZhParagraph
from newsnlp.model import Quote, Span
from newsnlp.quotes.spans import cue_lists
from newsnlp.quotes.marks import find_quoted
from newsnlp.quotes.speakers import SpeakerLinker

_BOUNDARY = "。！？!?；;"
_CLAUSE = "，,。！？!?；;：:"
_QUOTES = "“”「」『』\"‘’"
_TIME_TAIL = re.compile(r"(?:\d{1,2}月)?\d{1,2}日(?:上午|下午|晚上|晚间|早上|中午|凌晨)?$|(?:上午|下午|晚上|晚间|当天|当日|日前|近日|今天|昨天)$")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lists = cue_lists()
    cues = "|".join(sorted(map(re.escape, lists["zh_cues"]), key=len, reverse=True))
    no_speaker = "|".join(map(re.escape, lists["zh_no_speaker"]))
    speaker = r"[^，,。！？!?；;：:“”「」『』\"\s]{1,40}?"
    return {
        "after": re.compile(rf"\s*[，,]?\s*(?P<spk>{speaker})(?P<cue>{cues})(?P<end>[。.!！，,：:]|$)"),
        "before": re.compile(rf"(?P<spk>{speaker})(?P<cue>{cues})\s*(?P<sep>[：:，,])?\s*$"),
        "mixed": re.compile(rf"(?P<spk>{speaker})(?P<cue>{cues})(?P<pre>[^：:，,。“”「」]{{1,30}})$"),
        "indirect": re.compile(rf"(?P<spk>{speaker})(?P<cue>{cues})\s*[，,：:]\s*(?P<content>[^“”「」『』]+?)\s*(?=[{_BOUNDARY}]|$)"),
        "according": re.compile(rf"据(?P<spk>[^，,。“”]{{1,30}}?)(?P<cue>称|报道|透露|介绍|表示|说)\s*[，,：:]\s*(?P<content>[^“”]+?)\s*(?=[{_BOUNDARY}]|$)"),
        "no_speaker": re.compile(rf"(?P<cue>{no_speaker})\s*[，,：:]\s*(?P<content>[^“”]+?)\s*(?=[{_BOUNDARY}]|$)"),
        "stoppers": re.compile("|".join(sorted(map(re.escape, lists["zh_stoppers"]), key=len, reverse=True))),
    }


class ChineseQuotes:
    """Finds quotes in the Chinese paragraphs of an article."""

    def __call__(self, work: Work, linker: SpeakerLinker) -> list[Quote]:
        quotes: list[Quote] = []
        carry: tuple[int, int, ZhParagraph] | None = None  # a quote left open at a paragraph end
        previous_speaker = None
        for para in work.zh:
            view = para.view
            text = view.text
            words = {s for s, _ in para.words}, {e for _, e in para.words}
            spans = find_quoted(text)
            if carry is not None:
                if spans and spans[0][0] == 0 and text[:1] in "“「":
                    first = spans.pop(0)
                    start = carry[0]
                    end = view.to_source(first[0], first[1])[1]
                    quote = Quote(start, end, work.text[start:end], "direct",
                                  previous_speaker, None)
                    quotes.append(quote)
                else:
                    quotes.append(Quote(carry[0], carry[1], work.text[carry[0]:carry[1]], "direct", previous_speaker, None))
                carry = None
            taken: list[tuple[int, int]] = []
            for q_start, q_end in spans:
                found = self._direct(work, para, linker, q_start, q_end, words)
                if found is None:
                    continue
                kind, c_start, c_end, speaker, cue = found
                if speaker is None and previous_speaker is not None and kind == "direct":
                    speaker = previous_speaker
                open_ended = q_end == len(text) and text[-1] not in "”」』\""
                s, e = view.to_source(c_start, c_end)
                if open_ended and speaker is not None:
                    carry = (s, e, para)
                    previous_speaker = speaker
                    taken.append((c_start, c_end))
                    continue
                quotes.append(Quote(s, e, work.text[s:e], kind, speaker, cue))
                taken.append((c_start, c_end))
                if speaker is not None:
                    previous_speaker = speaker
            for found in self._indirect(work, para, linker, taken, words):
                quotes.append(found)
                if found.speaker is not None:
                    previous_speaker = found.speaker
        if carry is not None:
            quotes.append(Quote(carry[0], carry[1], work.text[carry[0]:carry[1]], "direct", previous_speaker, None))
        return quotes

    # -- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _is_word(words: tuple[set[int], set[int]], start: int, end: int, text: str = "") -> bool:
        """Whether text[start:end] is a cue verb here, not part of a longer word (说明, 称为, 小说).

        jieba often glues a one-character cue to the name before it (周立|群称), so word
        boundaries alone are not enough: known compounds are excluded instead.
        """
        if start in words[0] and end in words[1]:
            return True
        if not text:
            return False
        lists = cue_lists()
        cue = text[start:end]
        after = text[end:end + 1]
        before = text[start - 1:start] if start else ""
        if after and after in lists["zh_not_cue_next"].get(cue, ""):
            return False
        if before and before in lists["zh_not_cue_prev"].get(cue, ""):
            return False
        return start in words[0] or end in words[1] or len(cue) == 1

    def _speaker(self, work: Work, para: ZhParagraph, linker: SpeakerLinker, start: int, end: int):  # type: ignore[no-untyped-def]
        """Trim adverbials off a speaker phrase (view offsets) and link it."""
        text = para.view.text
        phrase = text[start:end]
        stop = _patterns()["stoppers"].search(phrase, 1)
        if stop is not None and stop.start() >= 1:
            end = start + stop.start()
        while start < end and text[start] in "，,、 \u3000":
            start += 1
        tail = _TIME_TAIL.search(text, start, end)
        if tail is not None and tail.start() > start:
            end = tail.start()
        if end <= start:
            return None
        s, e = para.view.to_source(start, end)
        return linker.link(s, e, s, e, work.text[s:e])

    def _cue(self, work: Work, para: ZhParagraph, start: int, end: int) -> Span:
        s, e = para.view.to_source(start, end)
        return Span(s, e, work.text[s:e])

    def _direct(self, work, para, linker, q_start, q_end, words):  # type: ignore[no-untyped-def]
        text = para.view.text
        pats = _patterns()
        after = pats["after"].match(text, q_end)
        if after and self._is_word(words, after.start("cue"), after.end("cue"), text):
            speaker = self._speaker(work, para, linker, after.start("spk"), after.end("spk"))
            return "direct", q_start, q_end, speaker, self._cue(work, para, after.start("cue"), after.end("cue"))
        clause_start = max(text.rfind(c, 0, q_start) for c in _BOUNDARY) + 1
        left = text[clause_start:q_start]
        before = pats["before"].search(left)
        if before and self._is_word(words, clause_start + before.start("cue"), clause_start + before.end("cue"), text):
            speaker = self._speaker(work, para, linker, clause_start + before.start("spk"), clause_start + before.end("spk"))
            cue = self._cue(work, para, clause_start + before.start("cue"), clause_start + before.end("cue"))
            return "direct", q_start, q_end, speaker, cue
        mixed = pats["mixed"].search(left)
        if mixed and self._is_word(words, clause_start + mixed.start("cue"), clause_start + mixed.end("cue"), text):
            speaker = self._speaker(work, para, linker, clause_start + mixed.start("spk"), clause_start + mixed.end("spk"))
            cue = self._cue(work, para, clause_start + mixed.start("cue"), clause_start + mixed.end("cue"))
            end = q_end
            while end < len(text) and text[end] not in _BOUNDARY:
                end += 1
            return "mixed", clause_start + mixed.start("pre"), end, speaker, cue
        inner = text[q_start + 1:q_end - 1]
        if len(inner) <= 12 and not any(c in inner for c in "。！？!?，,"):
            return None  # a name or scare quote: 所谓的“十五分钟养老服务圈”
        return "direct", q_start, q_end, None, None

    def _indirect(self, work, para, linker, taken, words):  # type: ignore[no-untyped-def]
        text = para.view.text
        pats = _patterns()
        out: list[Quote] = []
        spans = list(taken)

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in spans)

        for name in ("no_speaker", "according", "indirect"):
            for match in pats[name].finditer(text):
                c_start, c_end = match.span("content")
                if c_end - c_start < 4 or not free(match.start(), c_end):
                    continue
                cue_start, cue_end = match.span("cue")
                if name == "indirect" and not self._is_word(words, cue_start, cue_end, text):
                    continue
                speaker = None
                if name != "no_speaker":
                    clause = max(text.rfind(c, 0, match.start("spk") + 1) for c in _CLAUSE) + 1
                    spk_start = max(match.start("spk"), clause)
                    if name == "indirect" and spk_start >= cue_start:
                        continue
                    speaker = self._speaker(work, para, linker, spk_start, match.end("spk"))
                    if speaker is None:
                        continue
                s, e = para.view.to_source(c_start, c_end)
                out.append(Quote(s, e, work.text[s:e], "indirect", speaker, self._cue(work, para, cue_start, cue_end)))
                spans.append((match.start(), c_end))
        return out
