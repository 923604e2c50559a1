"""English quote attribution over the article's spaCy parse.

* Direct and mixed quotes start from quotation marks (:mod:`newsnlp.quotes.marks`). The cue is
  the reporting verb governing the quote, else the nearest one in its sentence; a reported chain
  ("the government said Xi told Zelenskyy") goes to the innermost speaker. A quote that covers
  the verb's whole complement is direct; a quoted fragment inside a larger reported clause makes
  that clause a mixed quote. A quote with no cue continues the previous speaker's quote, and
  short unattributed ones are scare quotes, not quotes.
* Indirect quotes: a reporting verb with a clausal complement (He mentioned that …), and
  "according to X".
* Speakers are the verb's subject; pronouns, "the president" and "who" resolve to entities
  in :mod:`newsnlp.quotes.speakers`.

All offsets here are in the English view; :class:`RawQuote` carries them to the stage, which
maps them to the source.
"""

from __future__ import annotations

import re
from typing import Any

from newsnlp.quotes.marks import find_quoted_paragraphs
from newsnlp.quotes.patterns import according, colon_speaker, dash_speaker, headline_claims, parenthetical
from newsnlp.quotes.spans import RawQuote, cue_lists, span_of, subtree_span

_PARAGRAPH = re.compile(r"[^\n]+")
_QUOTE_CHARS = set("“”\"‘’'「」『』«»„")
_SPEAKER_DEPS = ("nsubj", "nsubjpass")
_SAY_VERBS = frozenset({"say", "state", "write", "report", "add", "note", "argue", "claim", "announce", "tell", "conclude"})
_STANCE = frozenset({"criticize", "praise", "attack", "endorse", "reject", "oppose", "support", "deny", "blame",
                     "condemn", "welcome", "dismiss", "defend", "question", "applaud", "slam", "blast", "dispute"})


class EnglishQuotes:
    """Finds quotes in one parsed English view."""

    def __init__(self) -> None:
        lists = cue_lists()
        self.cue_lemmas = frozenset(lists["en_verbs"])

    _quoted_tokens: set[int] = set()
    attitude_lemmas = frozenset({"think", "believe", "hope", "fear", "expect", "feel", "know", "worry", "wonder",
                                 "guess", "reckon", "find", "show", "agree", "disagree"})
    volitional = frozenset({"want", "hope", "expect", "promise", "vow", "pledge", "plan", "threaten", "refuse",
                            "intend", "wish", "aim", "seek", "urge", "ask", "call", "push", "demand", "prefer", "agree"})

    def _attitude(self, token: Any) -> bool:
        """Any verb whose subject is a person or group and that takes a clause (PolNeAR counts beliefs too)."""
        if token.pos_ != "VERB" or token.i in self._quoted_tokens:
            return False
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return False
        return subject.pos_ == "PROPN" or subject.lower_ in ("he", "she", "they", "we", "i", "who") or (
            subject.pos_ == "NOUN" and subject.ent_type_ in ("", "NORP", "ORG", "PERSON", "PERCENT", "CARDINAL")
            and subject.lower_ not in ("it", "this", "that"))

    def is_cue(self, token: Any) -> bool:
        return (token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.cue_lemmas
                and token.i not in self._quoted_tokens)

    def __call__(self, doc: Any) -> list[RawQuote]:
        text = doc.text
        paragraphs = [m.span() for m in _PARAGRAPH.finditer(text)]
        quotes: list[RawQuote] = []
        used_cues: set[int] = set()
        previous: RawQuote | None = None
        quoted = find_quoted_paragraphs(text, paragraphs)
        # Cue verbs and speakers are never inside a quotation.
        self._quoted_tokens = {t.i for a, b in quoted if (sp := doc.char_span(a, b, alignment_mode="expand")) for t in sp}
        for q_start, q_end in quoted:
            span = doc.char_span(q_start, q_end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            words = sum(t.is_alpha for t in span)
            found = None
            if self._continues(text, previous, q_start) and self._governing_cue(span, set(range(span.start, span.end))) is None:
                # '“…,” Grayson said. “…”': a quote right after an attributed one, with no verb of its own.
                found = RawQuote(q_start, q_end, "direct", previous.cue, previous.speaker, previous.speaker_head)
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
            if found.cue is not None:
                used_cues.add(doc.char_span(*found.cue, alignment_mode="expand")[0].i)
            quotes.append(found)
            previous = found
        quotes.extend(self._indirect(doc, quotes, used_cues))
        return quotes

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
        inside = set(range(span.start, span.end))
        verb = self._governing_cue(span, inside)
        if verb is None and short:
            return None  # a short quote needs a verb that takes it: otherwise a name or scare quote
        verb = verb or self._colon_cue(doc, span) or self._nearest_cue(doc, span, inside) or self._neighbour_cue(doc, span)
        if verb is None:
            return colon_speaker(doc, span, q_start, q_end) or dash_speaker(doc, q_start, q_end)
        verb = self._innermost(verb, inside)
        speaker, head = self._speaker(verb, inside)
        cue = span_of(doc, verb.i, verb.i + 1)
        # The verb's complement holding the quote; its head may sit inside the quote ("would “not get beat up”").
        complement = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "dobj", "attr", "oprd", "advcl")
                           and any(t.i in inside for t in c.subtree)), None)
        c_start = c_end = None
        if complement is not None:
            c_start, c_end = subtree_span(complement)
        else:
            # "He mentioned that X, and the call serves as a “powerful impetus”": the quote sits in a
            # clause conjoined to the verb, after its complement.
            branch = next((c for c in verb.children if c.dep_ == "conj" and any(t.i in inside for t in c.subtree)), None)
            clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < (branch.i if branch else 0)), None)
            if branch is not None and clause is not None:
                c_start, c_end = subtree_span(clause)[0], subtree_span(branch)[1]
        if c_start is not None and c_end is not None:
            quoted = q_end - q_start
            outside = (c_end - c_start) - quoted
            if c_start < q_start - 1 and (outside >= 15 or (c_end - c_start) > 1.6 * quoted):
                return RawQuote(min(c_start, q_start), max(c_end, q_end), "mixed", cue, speaker, head)
        return RawQuote(q_start, q_end, "direct", cue, speaker, head)

    def _governing_cue(self, span: Any, inside: set[int]) -> Any:
        for token in span:
            climbed = 0
            child = token
            for ancestor in token.ancestors:
                if ancestor.i in inside:
                    child = ancestor
                    continue
                if self.is_cue(ancestor) or (climbed == 0 and self._speech_frame(ancestor, child)):
                    return ancestor
                climbed += 1
                if climbed > 5:
                    break
        return None

    def _speech_frame(self, verb: Any, child: Any) -> bool:
        """'“…,” Hannity pressed.': any verb whose clausal complement is the quote and whose
        subject is a person, group or pronoun acts as the cue."""
        if verb.pos_ != "VERB" or child.dep_ not in ("ccomp", "parataxis") or verb.i in self._quoted_tokens:
            return False
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        return subject is not None and subject.lower_ not in ("it", "this", "that", "there", "which") and (
            subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in ("PERSON", "ORG", "NORP")
            or (subject.pos_ == "NOUN" and subject.ent_type_ == ""))

    def _colon_cue(self, doc: Any, span: Any) -> Any:
        """'Trump went even further: “…”': the verb of the clause that a colon ties to the quote."""
        colon = span.start - 1
        while colon >= 0 and doc[colon].is_space:
            colon -= 1
        if colon < 0 or doc[colon].text != ":" or "\n" in doc.text[doc[colon].idx:span.start_char]:
            return None
        start = doc[colon].sent.start
        verbs = [t for t in doc[max(start, colon - 12):colon] if t.pos_ == "VERB" and t.i not in self._quoted_tokens
                 and any(c.dep_ == "nsubj" and c.lower_ not in ("it", "there", "this") for c in t.children)]
        return verbs[-1] if verbs else None

    def _nearest_cue(self, doc: Any, span: Any, inside: set[int]) -> Any:
        sentences = {t.sent.start: t.sent for t in (span[0], span[-1])}
        candidates = [t for sent in sentences.values() for t in sent if t.i not in inside and self.is_cue(t)]
        if not candidates:
            return None
        # Speech verbs before attitude verbs ("which Mozloom thinks"), main clauses before relative ones.
        return min(candidates, key=lambda t: (t.dep_ == "relcl", t.lemma_ in self.attitude_lemmas,
                                              min(abs(t.i - span.start), abs(t.i - span.end))))

    def _neighbour_cue(self, doc: Any, span: Any) -> Any:
        """A cue in the sentence just before (same paragraph) or just after the quote:
        'Bystrom agreed. "Mainstream …"' and '"…" / He said so on Monday.'"""
        first, last = span[0].sent, span[-1].sent
        after_start = span.end
        if after_start < len(doc) and "\n" not in doc.text[span.end_char:doc[after_start].idx]:
            # '“Who do they think they are?” Trump said of Apple': the attribution right after the
            # quote wins over a cue in the sentence before, even when the parser splits them.
            near = [t for t in doc[after_start:min(len(doc), after_start + 4)]
                    if self.is_cue(t) and any(c.dep_ in _SPEAKER_DEPS for c in t.children)]
            if near:
                return near[0]
        if first.start > 0:
            before = doc[first.start - 1].sent
            lead = doc.text[before.start_char:first.start_char].rstrip()
            if lead.endswith(":") and before.root.pos_ in ("VERB", "AUX") and before.root.i not in self._quoted_tokens:
                # "Caddell continued:" / "Frank quotes Alfred Kahn:" ending the sentence before the quote.
                if any(c.dep_ in _SPEAKER_DEPS + ("dobj", "attr") for c in before.root.children):
                    return before.root
            if "\n" not in doc.text[before.end_char:first.start_char] and not any(t.text in _QUOTE_CHARS for t in before):
                found = [t for t in before if self.is_cue(t) and any(c.dep_ in _SPEAKER_DEPS for c in t.children)]
                if found:
                    return found[-1]
        if last.end < len(doc):
            after = doc[last.end].sent
            if len(after) <= 12 and "\n" not in doc.text[last.end_char:after.start_char]:
                found = [t for t in after if self.is_cue(t) and any(c.dep_ in _SPEAKER_DEPS for c in t.children)]
                if found:
                    return found[0]
        return None

    def _innermost(self, verb: Any, inside: set[int]) -> Any:
        """Follow a reported chain: "the government said Xi told Zelenskyy" → told."""
        for _ in range(3):
            inner = next((c for c in verb.children if c.dep_ == "ccomp" and c.i not in inside and self.is_cue(c)
                          and any(s.dep_ in _SPEAKER_DEPS for s in c.children)), None)
            if inner is None:
                return verb
            verb = inner
        return verb

    def _speaker(self, verb: Any, inside: set[int] = frozenset()) -> tuple[tuple[int, int] | None, int | None]:  # type: ignore[assignment]
        token = verb
        for _ in range(3):
            subject = next((c for c in token.children if c.dep_ in _SPEAKER_DEPS and c.i not in inside), None)
            if subject is None and token is verb and inside and min(inside) < verb.i:
                # '"…," added a New Hampshire Democrat': the inverted subject may be parsed as an object.
                subject = next((c for c in verb.rights if c.i not in inside and c.dep_ in ("dobj", "attr", "npadvmod", "appos")
                                and c.pos_ in ("PROPN", "NOUN")), None)
            if subject is not None:
                if subject.lower_ == "it" and subject.dep_ == "nsubj" and verb.lemma_ in _SAY_VERBS:
                    return span_of(subject.doc, subject.i, subject.i + 1), subject.i  # "the report … it said"
                if subject.lower_ in ("it", "there"):
                    return None, None
                if subject.lower_ in ("who", "that", "which") and subject.head.dep_ == "relcl":
                    # "Sanders, who said …": the span is "who", the referent the noun it modifies.
                    return span_of(subject.doc, subject.i, subject.i + 1), subject.head.head.i
                return subtree_span(subject), subject.i
            if token.dep_ in ("conj", "xcomp", "advcl") and token.head is not token:
                token = token.head  # "smiled and said": the subject of the first verb
                continue
            break
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None and list(agent.children):
            obj = list(agent.children)[0]
            return subtree_span(obj), obj.i
        # A misparsed subject: the proper name right next to the verb ("Flynn, a surrogate, said").
        doc = verb.doc
        window = [t for t in doc[max(verb.sent.start, verb.i - 8):min(verb.sent.end, verb.i + 4)]
                  if t.pos_ == "PROPN" and t.i not in inside and t.i not in self._quoted_tokens
                  and t.ent_type_ in ("PERSON", "ORG", "NORP", "") and t.dep_ != "pobj"]
        if window:
            head = min(window, key=lambda t: abs(t.i - verb.i))
            return span_of(doc, head.i, head.i + 1), head.i
        return None, None

    # -- indirect ------------------------------------------------------------------------------
    def _indirect(self, doc: Any, taken: list[RawQuote], used_cues: set[int]) -> list[RawQuote]:
        spans = [(q.start, q.end) for q in taken]
        out: list[RawQuote] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in spans)

        for found in headline_claims(doc):
            if free(found.start, found.end):
                out.append(found)
                spans.append((found.start, found.end))
        for token in doc:
            if token.i in used_cues:
                continue
            if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
                found = according(doc, token)
            elif self.is_cue(token) or self._attitude(token):
                complement = next((c for c in token.children if c.dep_ == "ccomp"), None)
                if complement is None and token.lemma_.lower() in self.volitional:
                    complement = next((c for c in token.children if c.dep_ == "xcomp"), None)
                if complement is None and token.dep_ == "parataxis" and self.is_cue(token):
                    for part in parenthetical(doc, token):
                        if part[1] - part[0] >= 8 and free(*part):
                            speaker, head = self._speaker(token)
                            out.append(RawQuote(*part, "indirect", span_of(doc, token.i, token.i + 1), speaker, head))
                            spans.append(part)
                    continue
                if complement is None and token.lemma_.lower() in _STANCE and self._attitude(token):
                    # "Sanders criticized the deal": a stance verb's object is what it attributes.
                    complement = next((c for c in token.children if c.dep_ == "dobj" and len(list(c.subtree)) >= 2), None)
                if complement is None:
                    continue
                if any(t.text in _QUOTE_CHARS for t in complement.subtree):
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
