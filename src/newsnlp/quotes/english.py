"""English quote attribution over the article's spaCy parse.

* Direct and mixed quotes start from quotation marks (:mod:`newsnlp.quotes.marks`); cues and
  speakers come from :mod:`newsnlp.quotes.english_cues`. A quote that covers the verb's whole
  complement is direct; a quoted fragment inside a larger reported clause (or in the object of a
  verb whose subject is a person: 'credited Merkel with holding “the continent together”') makes
  that clause a mixed quote. A quote with no cue continues the previous speaker's quote, and
  short unattributed ones are scare quotes, not quotes.
* Indirect quotes: the rules' proposals (:mod:`newsnlp.quotes.english_indirect`: reporting verbs
  with a clause or objects, "according to X", impressions, headline claims) and every verb's
  contents, chosen by the learned model (:mod:`newsnlp.quotes.english_model`).
* Speakers are the verb's subject; pronouns, "the president" and "who" resolve to entities
  in :mod:`newsnlp.quotes.speakers`.

All offsets here are in the English view; :class:`RawQuote` carries them to the stage, which
maps them to the source.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from newsnlp.quotes.english_cues import (
    ADDRESSEE_VERBS,
    QUOTE_CHARS,
    SPEAKER_DEPS,
)
from newsnlp.quotes.english_mixed import (
    clause_end,
    naming_verb,
    noun_claim,
    object_tail,
    surface_name,
)
from newsnlp.quotes.english_filter import filter_quotes, shipped_filter_model
from newsnlp.quotes.english_fragments import expand, fragment_candidates
from newsnlp.quotes.english_indirect import IndirectRules
from newsnlp.quotes.english_speakers import choose_speakers, shipped_speaker_model
from newsnlp.quotes.english_model import after_dateline, candidates, shipped_fragment_model, shipped_model
from newsnlp.quotes.marks import find_quoted_paragraphs
from newsnlp.quotes.patterns import (
    according_source,
    colon_speaker,
    dash_speaker,
    is_title,
)
from newsnlp.quotes.spans import RawQuote, doc_text, span_of, subtree_span

_PARAGRAPH = re.compile(r"[^\n]+")
# 'WASHINGTON (AP) —', 'OTTAWA (Newsnlp Wire) -': a place, an agency in brackets and a dash open the story.
_DATELINE = re.compile(r"(?m)^[A-Z][A-Za-z .,'-]{1,40}\((?:AP|AFP|UPI|Reuters|CNN|Bloomberg|[A-Z][^()\n]{0,40}(?=\)\s*[-—–]))\)"
                       r"(?:\s*[-—–]+)?")




_MIXED_WORDS = 2
# 'Pollsters agree - Carl Bialik: “…”': a news digest's headline, a dash and the quoted source.
_DIGEST_SOURCE = re.compile(r"\s[-–—]\s+((?:[A-Z][\w.'’]*\s+(?:and\s+)?){0,4}[A-Z][\w.'’]*):\s*$")


def unnested(quotes: list[RawQuote]) -> list[RawQuote]:
    """``quotes`` without direct quotes that lie inside a mixed quote: 'that Trump “has a long history
    …” and has “made …”' is one mixed quote; the rules can also keep its first fragment alone."""
    mixed = [q for q in quotes if q.kind == "mixed"]
    return [q for q in quotes if q.kind != "direct" or not any(m.start <= q.start and q.end <= m.end for m in mixed)]


class EnglishQuotes(IndirectRules):
    """Finds quotes in one parsed English view."""

    learned = True  # False: the rules alone choose indirect quotes (the model's training reads their proposals)

    def __call__(self, doc: Any) -> list[RawQuote]:
        """The quotes of one parsed view.

        One finder serves every document of a stage; what belongs to one document (its text, its
        quoted and dateline tokens) is kept on a shallow copy made for the call, never on the finder.
        """
        return copy.copy(self)._find(doc)

    def _find(self, doc: Any) -> list[RawQuote]:
        text = self._text = doc_text(doc)  # Doc.text rebuilds the string on every access: read it once
        paragraphs = [m.span() for m in _PARAGRAPH.finditer(text)]
        quotes: list[RawQuote] = []
        previous: RawQuote | None = None
        quoted = find_quoted_paragraphs(text, paragraphs)
        # Cue verbs and speakers are never inside a quotation.
        self._quoted_tokens = {t.i for a, b in quoted if (sp := doc.char_span(a, b, alignment_mode="expand")) for t in sp}
        # 'WASHINGTON (AP) —': the dateline names the agency and place, never a quote's speaker.
        self._dateline_tokens = {t.i for m in _DATELINE.finditer(text)
                                 if (sp := doc.char_span(m.start(), m.end(), alignment_mode="expand")) for t in sp}
        for q_start, q_end in quoted:
            span = doc.char_span(q_start, q_end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            words = sum(t.is_alpha for t in span)
            if text[max(0, q_start - 1):q_start] == "=":
                continue  # 'tweet-author="…"': a markup attribute left in the text, not a quotation
            found = None
            continues = previous is not None and self._continues(text, previous, q_start)
            governing = self._governing_cue(span, set(range(span.start, span.end))) if continues else None
            if continues and previous is not None and (
                    governing is None or (previous.cue is not None and governing.idx == previous.cue[0])):
                # '“…,” Grayson said. “…”': a quote right after an attributed one, with no verb of its own.
                found = RawQuote(q_start, q_end, "direct", previous.cue, previous.speaker, previous.speaker_head)
                source = according_source(doc, previous.end, q_start)
                if source is not None:
                    # '“…,” Sanders said, according to CNN. “…”': what follows is the source's report.
                    found.speaker, found.speaker_head = source
            if found is None:
                found = self._direct(doc, span, q_start, q_end, short=words <= 5)
            if found is None:
                if words <= 5:
                    continue  # a scare quote or a title, not a quotation
                inherit = previous if previous and previous.end >= q_start - 400 else None
                found = RawQuote(q_start, q_end, "direct", inherit.cue if inherit else None,
                                 inherit.speaker if inherit else None, inherit.speaker_head if inherit else None)
            elif found.kind == "mixed" and words <= 5 and found.speaker is None:
                continue
            elif (found.kind == "direct" and found.speaker is None and previous is not None and previous.speaker is not None
                  and previous.kind == "direct" and "\n" not in text[previous.end:q_start]):
                # '“…,” she said, adding, “…”': a subjectless cue in the same paragraph goes on with the last speaker.
                found.speaker, found.speaker_head = previous.speaker, previous.speaker_head
            if found.kind == "direct" and (is_title(text, q_start, q_end) or words <= 4 and self._term(doc, span)):
                continue  # a show or book title on its own ('told “Fox and Friends”')
            if found.kind == "mixed" and words <= 5 and is_title(text, q_start, q_end):
                continue  # 'said on ABC’s “This Week”': a title names a show or book, it quotes no one
            if found.kind == "mixed" and previous is not None and previous.kind == "mixed" and previous.end > found.start:
                # Two fragments of one reported clause: '“radical Islamic terrorism” poses an “existential threat”'.
                previous.end = max(previous.end, found.end)
                continue
            quotes.append(found)
            previous = found
        quotes = self._extents(doc, quotes, quoted)
        for found in self._reported(doc, quotes):
            if any(found.start <= a and b <= found.end for a, b in quoted):
                found.kind = "mixed"  # 'According to Limbaugh, the move reeks of “fear”': reported words quoted in part
            quotes.append(found)
        return unnested(self._filter(doc, self._speakers(doc, quotes)))

    def _reported(self, doc: Any, quotes: list[RawQuote]) -> list[RawQuote]:
        """Indirect quotes: the rules' proposals and every verb's contents, chosen by the learned model."""
        proposed = self._indirect(doc, quotes)
        model = shipped_model() if self.learned else None
        if model is None:
            return [after_dateline(doc, q, self._dateline_tokens) for q in proposed]
        return model.select(candidates(self, doc, quotes, proposed), [(q.start, q.end) for q in quotes])

    def _speakers(self, doc: Any, quotes: list[RawQuote]) -> list[RawQuote]:
        """The learned speaker chooser replaces the rules' speaker where it is confident."""
        model = shipped_speaker_model() if self.learned else None
        if model is None:
            return quotes
        return choose_speakers(self, doc, quotes, model)

    def _filter(self, doc: Any, quotes: list[RawQuote]) -> list[RawQuote]:
        """The learned quotation filter drops direct quotes unlike any PolNeAR attribution."""
        model = shipped_filter_model() if self.learned else None
        if model is None:
            return quotes
        return filter_quotes(self, doc, quotes, model)

    def _extents(self, doc: Any, quotes: list[RawQuote], quoted: list[tuple[int, int]]) -> list[RawQuote]:
        """Fragments the learned extent model reads as part of a mixed quote become that quote."""
        model = shipped_fragment_model() if self.learned else None
        if model is None:
            return quotes
        return expand(model, fragment_candidates(self, doc, quotes, quoted), quotes)

    def _term(self, doc: Any, span: Any) -> bool:
        """'the “dishonest media”', 'known as “chick lit”', 'Tea Party “super PACs”': a short verbless
        quote inside a noun phrase is a term or a scare quote, not someone's words."""
        if any(t.pos_ in ("VERB", "AUX") or t.text in "?!" for t in span):
            return False
        before = span.start - 1
        while before >= 0 and (doc[before].is_space or doc[before].text in QUOTE_CHARS):
            before -= 1
        if before < 0:
            return False
        lead = doc[before]
        if not (lead.pos_ in ("DET", "ADJ", "PROPN") or lead.tag_ == "POS"):
            return False
        # 'former employees have called a “fraudulent scheme”': the object of a speaker's verb is
        # theirs; 'his takedown of the “dishonest media”' (a noun's modifier) is not.
        head = self._top(span, set(range(span.start, span.end)))
        for _ in range(6):
            if head is None or head.head.i == head.i:
                return True
            if head.dep_ == "prep" and head.head.pos_ in ("NOUN", "PROPN"):
                return True
            head = head.head
            if head.pos_ in ("VERB", "AUX"):
                return not (self.is_cue(head) or self._attitude(head))
        return True

    @staticmethod
    def _continues(text: str, previous: RawQuote | None, q_start: int) -> bool:
        """Whether a quote at ``q_start`` goes on from ``previous``: only its own attribution
        ('” Grayson said. “') or nothing lies between them, in the same paragraph."""
        if previous is None or previous.speaker is None or previous.kind != "direct":
            return False
        gap = text[previous.end:q_start]
        if "\n" in gap or len(gap) > 90:
            return False
        if not gap.strip(" ,.;:—–-"):
            return True
        return previous.cue is not None and previous.end <= previous.cue[0] < q_start and gap.rstrip().endswith(
            (".", ",", ":", ";", "—"))

    # -- direct and mixed ------------------------------------------------------------------
    def _direct(self, doc: Any, span: Any, q_start: int, q_end: int, short: bool = False) -> RawQuote | None:
        c_start: int | None
        c_end: int | None
        inside = set(range(span.start, span.end))
        line_start = self._text.rfind("\n", 0, q_start) + 1
        digest = _DIGEST_SOURCE.search(self._text, max(line_start, q_start - 80), q_start)
        if digest is not None:
            name = doc.char_span(digest.start(1), digest.end(1), alignment_mode="expand")
            if name is not None and name.root.pos_ == "PROPN":
                return RawQuote(q_start, q_end, "direct", None, (digest.start(1), digest.end(1)), name.root.i)
        claim = noun_claim(span)
        if claim is not None and claim[3].i not in inside:
            c_start, c_end = claim[0], clause_end(doc, self._text, q_start, q_end, claim[1])
            owner = claim[3]
            return RawQuote(min(c_start, q_start), max(c_end, q_end), "mixed", span_of(doc, claim[2].i, claim[2].i + 1),
                            subtree_span(owner), owner.i)
        verb = self._governing_cue(span, inside) or self._tail_cue(doc, span)
        if short and verb is not None and verb.dep_ in ("acl", "amod") and (named := self._naming(doc, span, inside)):
            return named  # 'the loophole called an “inversion”': a participle on a noun has no speaker of its own
        lead = self._lead_cue(doc, span) if verb is None else None
        if lead is not None:
            # 'Trump issued a statement, “…”': the whole quotation follows its attribution, so it is direct.
            speaker, head = self._speaker(lead, inside)
            return RawQuote(q_start, q_end, "direct", span_of(doc, lead.i, lead.i + 1), speaker, head)
        if verb is None and short:
            # A short quote needs a verb that takes it: a person's words inside a clause, else a name or scare quote.
            return self._fragment(doc, span, inside) or self._naming(doc, span, inside)
        verb = verb or self._colon_cue(doc, span) or self._nearest_cue(doc, span, inside) or self._neighbour_cue(doc, span)
        if verb is None:
            return colon_speaker(doc, span, q_start, q_end) or dash_speaker(doc, q_start, q_end)
        if span.start < verb.i:
            # '“…,” the government said Xi told Zelenskyy': a quote before a reported chain is the inner
            # speaker's; after it ('Yepez said Perez was right to urge “…”') the outer speaker reports it.
            verb = self._innermost(verb, inside)
        elif (verb.dep_ == "ccomp" and verb.head.i < verb.i and self.is_cue(verb.head) and verb.i < span.start
              and not any(t.text in ",:;" for t in doc[verb.head.i:verb.i])):
            # 'Westmacott said that Obama shows “great charm”': the reporter's clause, not the inner verb's.
            verb = verb.head
        speaker, head = self._speaker(verb, inside)
        cue = span_of(doc, verb.i, verb.i + 1)
        # The verb's complement holding the quote; its head may sit inside the quote ("would “not get beat up”").
        complement = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "dobj", "attr", "oprd", "advcl")
                           and any(t.i in inside for t in c.subtree)), None)
        c_start = c_end = None
        if complement is not None:
            c_start, c_end = subtree_span(complement)
            obj = next((c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < complement.i), None)
            if complement.dep_ == "oprd" and obj is not None and verb.lemma_.lower() not in ADDRESSEE_VERBS:
                c_start = subtree_span(obj)[0]  # 'called Friday's decision a “huge win”': the object too
            if complement.dep_ == "dobj" and complement.i > verb.i and c_start < q_start - 1:
                # 'criticized the “identity politics” on display in …': the object's prepositional phrases too
                c_end = max(c_end, span_of(doc, complement.i, object_tail(verb, complement.right_edge.i + 1))[1])
        else:
            # "He mentioned that X, and the call serves as a “powerful impetus”": the quote sits in a
            # clause conjoined to the verb, after its complement.
            branch = next((c for c in verb.children if c.dep_ == "conj" and any(t.i in inside for t in c.subtree)), None)
            clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < (branch.i if branch else 0)), None)
            if branch is not None and clause is not None:
                c_start, c_end = subtree_span(clause)[0], subtree_span(branch)[1]
            else:
                # 'blasted the media for being “unbelievably dishonest”': the verb's object and
                # modifiers up to the one holding the quote.
                c_start, c_end = self._host_span(doc, verb, span, inside) or (None, None)
        if c_start is not None and c_end is not None:
            c_end = clause_end(doc, self._text, q_start, q_end, c_end)
            quoted = q_end - q_start
            outside = (c_end - c_start) - quoted
            # Any word of the reported clause outside the marks ('He said American Jews “know …”') makes
            # it mixed; a bare 'that' does not.
            words = [t for t in doc.char_span(c_start, c_end, alignment_mode="expand") or []
                     if t.is_alpha and t.i not in inside and t.lower_ not in ("that", "if", "whether")]
            # 'he said “budget reforms” and the collection of taxes would …': the clause may also go on after
            # the quote, unless the quote ends its own sentence or hands over to the attribution (“…,” she said).
            ends = self._text[q_start:q_end].rstrip("".join(QUOTE_CHARS) + " ")[-1:] in ",.?!;:—–-"
            goes_on = c_end > q_end + 1 and not ends and verb.i < span.start
            lead_in = self._text[max(0, q_start - 3):q_start].rstrip()
            opens = self._text[q_start:q_start + 3].lstrip("".join(QUOTE_CHARS) + " ")[:1]
            if lead_in.endswith(":") and opens.isupper() and not goes_on:
                # 'Hoff’s letter makes a case: “Followers of …”': a colon hands over to a whole quotation.
                return RawQuote(q_start, q_end, "direct", cue, speaker, head)
            if (c_start < q_start - 1 or goes_on) and (outside >= 15 or (c_end - c_start) > 1.6 * quoted or len(words) >= _MIXED_WORDS):
                return RawQuote(min(c_start, q_start), max(c_end, q_end), "mixed", cue, speaker, head)
        return RawQuote(q_start, q_end, "direct", cue, speaker, head)

    @staticmethod
    def _top(span: Any, inside: set[int]) -> Any:
        """The quote's highest word: the one whose head lies outside the quote."""
        return next((t for t in span if (t.head.i not in inside or t.head.i == t.i) and not (t.is_punct or t.is_space)), None)

    def _host_span(self, doc: Any, verb: Any, span: Any, inside: set[int]) -> tuple[int, int] | None:
        """The part of ``verb``'s complements that holds the quote: from its first right dependent
        to the end of the one containing the quote."""
        top = self._top(span, inside)
        if top is None:
            return None
        child = top
        while child.head.i != verb.i:
            if child.head.i == child.i:
                return None
            child = child.head
        if child.i < verb.i or child.dep_ in SPEAKER_DEPS:
            return None
        rights = [c for c in verb.rights if (c.dep_ not in ("punct", "prt", "cc") or c.i == child.i) and c.i <= child.i]
        first = rights[0]
        start = first.left_edge.i
        if first.dep_ in ("prep", "agent") and first.i == start and first.i != child.i:
            start += 1  # 'pointed to the case as …': the phrasal verb's preposition is the cue's
        end = object_tail(verb, child.right_edge.i + 1)
        while end - 1 > start and doc[end - 1].is_punct and doc[end - 1].text not in QUOTE_CHARS:
            end -= 1
        return span_of(doc, start, end)

    def _fragment(self, doc: Any, span: Any, inside: set[int]) -> RawQuote | None:
        """'Jacobs credited Merkel with holding “the entire continent together”': a quoted fragment in
        the complement of a verb whose subject is a person or group is that person's mixed quote."""
        top = self._top(span, inside)
        if top is None or top.head.i == top.i:
            return None
        verb = top.head
        for _ in range(4):
            if verb.pos_ == "VERB" and verb.i not in self._quoted_tokens and self._attitude(verb):
                if verb.lemma_.lower() not in self.fragment_lemmas:
                    return None  # 'crushed the GOP’s “establishment” candidate': an act, not a report or judgment
                break
            if verb.head.i == verb.i or verb.dep_ in ("relcl", "acl") and verb.pos_ == "VERB":
                return None
            verb = verb.head
        else:
            return None
        host = self._host_span(doc, verb, span, inside)
        if host is None:
            return None
        c_start, c_end = host
        c_end = clause_end(doc, self._text, span.start_char, span.end_char, c_end)
        if c_end - c_start - (span.end_char - span.start_char) < 15:
            return None
        speaker, head = self._speaker(verb, inside)
        if speaker is None:
            return None
        return RawQuote(min(c_start, span.start_char), max(c_end, span.end_char), "mixed",
                        span_of(doc, verb.i, verb.i + 1), speaker, head)

    def _naming(self, doc: Any, span: Any, inside: set[int]) -> RawQuote | None:
        """'Beruff, a Scott ally, called X “strong”', 'slammed the loophole called an “inversion”' (the outer verb's)."""
        found = naming_verb(span)
        if found is None:
            return None
        verb, start = found
        if verb.dep_ == "acl" and not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in doc[start:span.start]):
            token = verb.head  # the named noun: its whole phrase is the outer verb's object
            while token.head.i != token.i and token.head.pos_ != "VERB":
                token = token.head
            verb, start = token.head, token.left_edge.i
            if verb.i == token.i or verb.i > token.i or not self.is_cue(verb):
                return None
        own = verb.tag_ == "VBG" or any(c.dep_ in SPEAKER_DEPS for c in verb.children)  # 'calling X': the clause's subject
        name = None if own else surface_name(verb, self._quoted_tokens)
        speaker, head = (span_of(doc, name[0], name[1] + 1), name[1]) if name else self._speaker(verb, inside)
        if speaker is None:
            return None
        return RawQuote(doc[start].idx, span.end_char, "mixed", span_of(doc, verb.i, verb.i + 1), speaker, head)
