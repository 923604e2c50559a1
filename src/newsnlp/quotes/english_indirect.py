"""English indirect quotes proposed by rules over the parse, the base of :class:`EnglishQuotes`.

A reporting verb with a clausal complement ('He mentioned that …') or, without one, its objects
('called for the suspension of the deal'); "according to X", "in a poll"; impressions with no
speaker ('the race appears closer'); claims in headlines. The learned chooser
(:mod:`newsnlp.quotes.english_model`) then picks among these proposals and every verb's contents.
"""

from __future__ import annotations

from typing import Any

from newsnlp.quotes.english_cues import MOSTLY_ACTS, QUOTE_CHARS, EnglishCues
from newsnlp.quotes.patterns import according, headline_claims, impression, parenthetical, source_phrase
from newsnlp.quotes.spans import RawQuote, span_of, subtree_span

#: Stance verbs: their object is what they attribute ('Sanders criticized the deal').
STANCE = frozenset({"criticize", "praise", "attack", "endorse", "reject", "oppose", "support", "deny", "blame",
                    "condemn", "welcome", "dismiss", "defend", "question", "applaud", "slam", "blast", "dispute"})


class IndirectRules(EnglishCues):
    """The rules' proposals of indirect quotes (``_indirect``)."""

    def _indirect(self, doc: Any, taken: list[RawQuote]) -> list[RawQuote]:
        spans = [(q.start, q.end) for q in taken]
        out: list[RawQuote] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in spans)

        found: RawQuote | None
        for found in headline_claims(doc):
            if free(found.start, found.end):
                out.append(found)
                spans.append((found.start, found.end))
        for token in doc:
            if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
                found = according(doc, token)
            elif token.lower_ == "in":
                found = source_phrase(doc, token)
            elif token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in ("seem", "appear", "expect") and (
                    found := impression(doc, token)) is not None:
                if free(found.start, found.end):
                    out.append(found)
                    spans.append((found.start, found.end))
                continue
            elif self.is_cue(token) or self._attitude(token):
                complement = next((c for c in token.children if c.dep_ == "ccomp"), None)
                if complement is None and token.lemma_.lower() in self.volitional - MOSTLY_ACTS:
                    complement = next((c for c in token.children if c.dep_ == "xcomp"), None)
                if complement is None and token.dep_ == "parataxis" and self.is_cue(token):
                    for part in parenthetical(doc, token):
                        if part[1] - part[0] >= 8 and free(*part):
                            speaker, head = self._speaker(token)
                            out.append(RawQuote(*part, "indirect", span_of(doc, token.i, token.i + 1), speaker, head))
                            spans.append(part)
                    continue
                if complement is None and token.lemma_.lower() in STANCE and self._attitude(token):
                    # "Sanders criticized the deal": a stance verb's object is what it attributes.
                    complement = next((c for c in token.children if c.dep_ == "dobj" and len(list(c.subtree)) >= 2), None)
                if complement is None and (self.is_cue(token) or token.lemma_.lower() in STANCE) and self._attitude(token):
                    # "Kasich called for the suspension of the deal", "Democrats called it a ploy":
                    # a cue verb's objects up to the first comma.
                    found = self._object_content(doc, token)
                    if found and found.end - found.start >= 8 and free(found.start, found.end):
                        out.append(found)
                        spans.append((found.start, found.end))
                    continue
                if complement is None:
                    continue
                if any(t.text in QUOTE_CHARS for t in complement.subtree):
                    continue
                start, end = subtree_span(complement)
                speaker, head = self._speaker(token)
                found = RawQuote(start, end, "indirect", span_of(doc, token.i, token.i + 1), speaker, head)
            else:
                continue
            if found and found.end - found.start >= 8 and free(found.start, found.end):
                out.append(found)
                spans.append((found.start, found.end))
        return out
