"""English cue verbs and speakers over a spaCy parse: the base of :class:`EnglishQuotes`.

* The cue of a quote is the reporting verb governing it, else the attribution right after it
  ('“…,” Hannity pressed'), a verb before a colon, the nearest cue in its sentence, or one in the
  sentence just before or after. A reported chain goes to the innermost speaker.
* The speaker is the cue's subject (inverted subjects, "who", "the report … it said", a passive
  agent, and a proper name next to a misparsed verb included).
"""

from __future__ import annotations

from typing import Any

from newsnlp.quotes.english_mixed import embedded
from newsnlp.quotes.spans import RawQuote, cue_lists, span_of, subtree_span

QUOTE_CHARS = set("“”\"‘’'「」『』«»„")
SPEAKER_DEPS = ("nsubj", "nsubjpass")
_CALENDAR = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                       "february", "march", "april", "june", "july", "august", "september", "october", "november",
                       "december", "today", "tonight", "yesterday", "morning", "afternoon", "evening", "night"})
_SIGNS = frozenset({"sign", "banner", "poster", "placard", "shirt", "t-shirt", "billboard", "headline", "message"})
# Event and abstract nouns that cannot be a quote's speaker (en_speaker_nouns overrides the suffixes).
_ABSTRACT = frozenset({"incident", "event", "absence", "feature", "issue", "situation", "episode", "idea",
                       "fact", "problem", "shakeup", "scandal", "controversy", "move", "thing", "way", "time", "day",
                       "moment", "part", "share", "point", "result", "effect", "reason", "case", "matter", "change"})
_ABSTRACT_SUFFIXES = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ism", "ship", "hood")
# Verbs whose object is the person spoken to, not what was said.
ADDRESSEE_VERBS = frozenset({"tell", "ask", "inform", "notify", "remind", "advise", "assure", "warn", "urge"})
# Verbs whose bare object is an act, event or decision rather than a claim or stance.
ACT_OBJECT_VERBS = frozenset({"announce", "reiterate", "continue", "decide", "maintain", "add", "know", "promise"})
# 'agreed to resume talks', 'wants to run': in PolNeAR's training half these verbs' to-clauses are
# attributed less than a third of the time (an act or plan, not a stance); the model decides them.
MOSTLY_ACTS = frozenset({"agree", "want", "plan", "intend", "call"})
_SAY_VERBS = frozenset({"say", "state", "write", "report", "add", "note", "argue", "claim", "announce", "tell", "conclude"})


class EnglishCues:
    """Cue and speaker finding; ``_quoted_tokens`` holds the token indices inside quotation marks."""

    def __init__(self) -> None:
        lists = cue_lists()
        self.cue_lemmas = frozenset(lists["en_verbs"])
        # Verbs a quoted fragment in their complement can be attributed to: reporting, judging, believing, wishing.
        self.fragment_lemmas = (self.cue_lemmas | frozenset(lists["en_judgment"]) | self.attitude_lemmas
                                | self.volitional)
        self.speaker_nouns = frozenset(lists["en_speaker_nouns"]) | frozenset(lists["en_roles"]) | frozenset(lists["en_anonymous"])

    _quoted_tokens: set[int] = set()
    _dateline_tokens: set[int] = set()
    _text: str = ""  # the parsed view's text, set once per document
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
        # 'Trump openly admires …': a capitalised name the tagger calls a verb is still a name.
        return subject.pos_ == "PROPN" or subject.pos_ == "VERB" and subject.is_title or subject.lower_ in (
            "he", "she", "they", "we", "i", "who") or (
            subject.pos_ == "NOUN" and subject.ent_type_ in ("", "NORP", "ORG", "PERSON", "PERCENT", "CARDINAL")
            and subject.lower_ not in ("it", "this", "that"))

    def is_cue(self, token: Any) -> bool:
        return (token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.cue_lemmas
                and token.i not in self._quoted_tokens)

    def _tail_cue(self, doc: Any, span: Any) -> Any:
        """'“…,” Hannity pressed.' and '“…,” opined the Plain Dealer': the attribution right after
        the closing mark wins over any cue before the quote, whatever its verb."""
        closing = span.text.rstrip("".join(QUOTE_CHARS) + " ")[-1:]
        tail: list[Any] = []
        for token in doc[span.end:min(len(doc), span.end + 30)]:
            if "\n" in token.text or token.text in QUOTE_CHARS or token.i in self._quoted_tokens:
                break
            if len(tail) > 1 and token.text in (".", ";", "?", "!"):
                break
            tail.append(token)
        while tail and tail[0].is_punct:
            tail.pop(0)
        if not tail:
            return None
        first = tail[0]
        for verb in tail:
            if verb.pos_ != "VERB":
                continue
            if closing not in ",?!—–-" and verb.lemma_.lower() not in self.cue_lemmas:
                return None  # '“….” He left.': a full stop ends the quotation's sentence
            subject = next((c for c in verb.children if c.dep_ in SPEAKER_DEPS and c.i < verb.i), None)
            if subject is not None and subject.left_edge.i == first.i and subject.lower_ not in ("this", "that", "there", "which"):
                return verb  # '” Hannity pressed'
            if verb.tag_ == "VBG" and embedded(span):
                return None  # 'admires Putin as a “strong leader,” comparing him …': the participle goes on the clause
            if verb.i == first.i and closing in ",?!—–-" and any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in tail[1:4]):
                return verb  # '” opined the Plain Dealer'
            if verb.dep_ in ("relcl", "acl") and first.i <= verb.head.i < verb.i:
                continue  # '” Lisa Monaco, who served as …, said': a clause inside the speaker's phrase
            return None
        return None

    def _lead_cue(self, doc: Any, span: Any) -> Any:
        """'On ABC Tuesday, he said, “I never …”', 'adding, “…”': a cue verb just before the comma
        or colon that opens the quote (the parser often hangs it under the quote's own verb)."""
        mark = span.start - 1
        while mark >= 0 and doc[mark].is_space and "\n" not in doc[mark].text:
            mark -= 1
        if mark < 1 or doc[mark].text not in (",", ":"):
            return None
        for token in reversed(doc[max(0, mark - 4):mark]):
            if "\n" in token.text or token.text in QUOTE_CHARS or token.i in self._quoted_tokens:
                return None
            if self.is_cue(token):
                return token
            if token.pos_ == "VERB" and token.lemma_ != "be" and any(
                    c.dep_ == "nsubj" and c.i < token.i and (c.ent_type_ in ("PERSON", "ORG", "NORP") or c.lower_ in (
                        "he", "she", "they", "we", "i")) for c in token.children):
                return token  # 'Hillary shot back, “…”', 'Trump issued a statement, “…”'
            if token.is_punct or token.pos_ in ("VERB", "AUX"):
                return None
        return None

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
        if colon < 0 or doc[colon].text != ":" or "\n" in self._text[doc[colon].idx:span.start_char]:
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
        if after_start < len(doc) and "\n" not in self._text[span.end_char:doc[after_start].idx]:
            # '“Who do they think they are?” Trump said of Apple': the attribution right after the
            # quote wins over a cue in the sentence before, even when the parser splits them.
            near = [t for t in doc[after_start:min(len(doc), after_start + 4)]
                    if self.is_cue(t) and any(c.dep_ in SPEAKER_DEPS for c in t.children)]
            if near:
                return near[0]
        if first.start > 0:
            before = doc[first.start - 1].sent
            lead = self._text[before.start_char:first.start_char].rstrip()
            if lead.endswith(":") and before.root.pos_ in ("VERB", "AUX") and before.root.i not in self._quoted_tokens:
                # "Caddell continued:" / "Frank quotes Alfred Kahn:" ending the sentence before the quote.
                if any(c.dep_ in SPEAKER_DEPS + ("dobj", "attr") for c in before.root.children):
                    return before.root
            if "\n" not in self._text[before.end_char:first.start_char] and not any(t.text in QUOTE_CHARS for t in before):
                found = [t for t in before if self.is_cue(t) and any(c.dep_ in SPEAKER_DEPS for c in t.children)
                         and not any(c.dep_ == "neg" for c in t.children)]
                if found:
                    return found[-1]
        if last.end < len(doc):
            after = doc[last.end].sent
            if len(after) <= 12 and "\n" not in self._text[span.end_char:after.start_char]:
                # 'Fields did not reply': a negated verb attributes nothing.
                found = [t for t in after if self.is_cue(t) and any(c.dep_ in SPEAKER_DEPS for c in t.children)
                         and not any(c.dep_ == "neg" for c in t.children)]
                if found:
                    return found[0]
        return None

    def _innermost(self, verb: Any, inside: set[int]) -> Any:
        """Follow a reported chain: "the government said Xi told Zelenskyy" → told."""
        for _ in range(3):
            inner = next((c for c in verb.children if c.dep_ == "ccomp" and c.i not in inside and self.is_cue(c)
                          and any(s.dep_ in SPEAKER_DEPS for s in c.children)), None)
            if inner is None:
                return verb
            verb = inner
        return verb

    def _speaker(self, verb: Any, inside: set[int] = frozenset()) -> tuple[tuple[int, int] | None, int | None]:  # type: ignore[assignment]
        token = verb
        for _ in range(4):
            # A title in quotation marks misparsed as the subject ('on “Fox and Friends.”') is not a speaker.
            subject = next((c for c in token.children if c.dep_ in SPEAKER_DEPS and c.i not in inside
                            and c.i not in self._quoted_tokens), None)
            if subject is None and token is verb and inside and min(inside) < verb.i:
                # '"…," added a New Hampshire Democrat': the inverted subject may be parsed as an object.
                subject = next((c for c in verb.rights if c.i not in inside and c.dep_ in ("dobj", "attr", "npadvmod", "appos")
                                and c.pos_ in ("PROPN", "NOUN") and c.ent_type_ not in ("DATE", "TIME")
                                and not any(t.lower_ in _CALENDAR for t in c.subtree)), None)
            if subject is not None:
                if subject.lower_ == "it" and subject.dep_ == "nsubj" and verb.lemma_ in _SAY_VERBS:
                    return span_of(subject.doc, subject.i, subject.i + 1), subject.i  # "the report … it said"
                if subject.lower_ in ("it", "there"):
                    return None, None
                antecedent = subject.head.head
                if (subject.lower_ in ("that", "which") and subject.head.dep_ == "relcl" and antecedent.dep_ == "dobj"
                        and antecedent.ent_type_ not in ("PERSON", "ORG", "NORP") and antecedent.head.i != antecedent.i):
                    # 'Kukura placed a sign that read, “…”': the sign's author, not the sign, is the speaker.
                    outer = self._speaker(antecedent.head)
                    if outer[0] is not None:
                        return outer
                if subject.lower_ in ("who", "that", "which") and subject.head.dep_ == "relcl":
                    # "Sanders, who said …": the span is "who", the referent the noun it modifies.
                    return span_of(subject.doc, subject.i, subject.i + 1), subject.head.head.i
                if subject.i in self._dateline_tokens:
                    # 'WASHINGTON (AP) — President Barack Obama on Tuesday accused …': the name after the dateline.
                    names = [t for t in subject.doc[subject.i:token.i] if t.i not in self._dateline_tokens and t.pos_ == "PROPN"
                             and t.i not in self._quoted_tokens and t.dep_ != "pobj" and t.lower_ not in _CALENDAR]
                    if not names:
                        break
                    first = names[-1].i
                    while first - 1 >= 0 and subject.doc[first - 1].pos_ == "PROPN" and first - 1 not in self._dateline_tokens:
                        first -= 1
                    return span_of(subject.doc, first, names[-1].i + 1), names[-1].i
                if inside and not self._can_speak(subject):
                    break  # 'an absence of action … adding, “…”': look further for the speaker
                return subtree_span(subject), subject.i
            if token.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep") and token.head.i != token.i and token.head.i not in inside:
                token = token.head  # "smiled and said", "followed that by saying": the subject of the first verb
                continue
            break
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None and list(agent.children):
            obj = list(agent.children)[0]
            return subtree_span(obj), obj.i
        doc = verb.doc
        noun = verb.head
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and noun.pos_ in ("NOUN", "PROPN", "NUM") and noun.i < verb.i \
                and noun.i not in inside and noun.dep_ != "pobj":
            # 'a sign saying “…”', '50 percent saying': the noun speaks; 'released a statement saying …',
            # 'emailed supporters saying': whoever released or emailed it.
            if noun.dep_ == "dobj" and noun.lemma_.lower() not in _SIGNS and noun.head.i != noun.i:
                outer = self._speaker(noun.head, inside)
                if outer[0] is not None:
                    return outer
            end = verb.i
            while end - 1 > noun.i and doc[end - 1].is_punct:
                end -= 1
            return span_of(doc, noun.left_edge.i, end), noun.i  # 'the share of voters saying …'
        if verb.tag_ == "VBG":
            found = self._last_subject(doc, verb)
            if found is not None:
                return span_of(doc, found.i, found.i + 1) if found.pos_ == "PRON" else subtree_span(found), found.i
        # A misparsed subject: the proper name right next to the verb ("Flynn, a surrogate, said").
        window = [t for t in doc[max(verb.sent.start, verb.i - 8):min(verb.sent.end, verb.i + 4)]
                  if t.pos_ == "PROPN" and t.i not in inside and t.i not in self._quoted_tokens and t.i not in self._dateline_tokens
                  and t.ent_type_ in ("PERSON", "ORG", "NORP", "") and t.dep_ != "pobj" and t.lower_ not in _CALENDAR]
        if window:
            head = min(window, key=lambda t: abs(t.i - verb.i))
            return span_of(doc, head.i, head.i + 1), head.i
        return None, None

    def _last_subject(self, doc: Any, verb: Any) -> Any:
        """'Clinton seemed ready …, telling the crowd, “…”' and '… Maher stated X. Adding, “…”': a
        participle with no subject of its own speaks for the last clause's subject in its paragraph."""
        start = max(0, verb.i - 40)
        for token in reversed(doc[start:verb.i]):
            if "\n" in token.text:
                break
            if token.dep_ == "nsubj" and token.i not in self._quoted_tokens and token.head.i not in self._quoted_tokens \
                    and token.head.pos_ in ("VERB", "AUX") and token.head.dep_ != "relcl" and (
                    token.pos_ == "PROPN" or token.lower_ in ("he", "she", "they", "we")
                    or token.ent_type_ in ("PERSON", "ORG", "NORP")):
                return token
        return None

    def _object_content(self, doc: Any, verb: Any) -> RawQuote | None:
        """What a cue verb without a clause attributes: its objects and prepositional phrases,
        before any comma ('called for [the suspension of the deal]', 'called [the citation a ploy]')."""
        parts = []
        for child in verb.rights:
            if child.is_punct or child.dep_ in ("cc", "conj"):
                break
            if child.dep_ in ("dobj", "prep", "oprd", "attr", "dative", "xcomp"):
                parts.append(child)
        lemma = verb.lemma_.lower()
        if lemma in MOSTLY_ACTS:
            parts = [p for p in parts if p.dep_ != "xcomp"]  # 'agreed to resume talks': an act
        if lemma in ADDRESSEE_VERBS:
            parts = [p for p in parts if p.dep_ not in ("dobj", "dative")]  # 'told Zelenskyy': the listener
        if lemma == "call" and not any(p.lower_ == "for" or (p.dep_ == "oprd" and p.pos_ != "PROPN") for p in parts):
            return None  # only 'called for X' and 'called X a ploy' attribute; 'called Zelenskyy' is a phone call
        if lemma in ACT_OBJECT_VERBS and all(p.dep_ in ("dobj", "dative") for p in parts):
            return None  # 'called Zelenskyy', 'announced the appointment': an act or event, not a claim
        if not parts or any(t.text in QUOTE_CHARS for p in parts for t in p.subtree):
            return None
        start, end = parts[0].left_edge.i, parts[-1].right_edge.i + 1
        if parts[0].dep_ == "prep" and parts[0].i == verb.i + 1:
            start += 1  # 'called for …': the particle belongs to the cue
        while end - 1 > start and doc[end - 1].is_punct:
            end -= 1
        if end <= start:
            return None
        speaker, head = self._speaker(verb)
        return RawQuote(*span_of(doc, start, end), "indirect", span_of(doc, verb.i, verb.i + 1), speaker, head)

    def _can_speak(self, subject: Any) -> bool:
        """False for an abstract or event noun as subject ('an absence of action', 'the first
        incident', 'any decision'); people, groups, media and documents (``en_speaker_nouns``) speak."""
        if subject.pos_ != "NOUN" or subject.ent_type_ or subject.text[:1].isupper():
            return True  # names the tagger calls nouns ('D’Souza') included
        lemma = subject.lemma_.lower()
        if lemma in self.speaker_nouns or subject.lower_ in self.speaker_nouns:
            return True
        return lemma not in _ABSTRACT and not lemma.endswith(_ABSTRACT_SUFFIXES)
