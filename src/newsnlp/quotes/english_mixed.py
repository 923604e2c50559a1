"""Mixed-quote span rules for English: how far a reported object reaches past its quoted fragment."""

from __future__ import annotations

import re
from typing import Any

# 'stressed that “…,” suggesting …', '“a prayer” for X but did not …': a new clause after the quote.
_NEW_CLAUSE = re.compile(r"[,;]\s+(?:which|who|suggesting|promising|saying|adding|although|though|while|as)\b|\s[-—–]+\s|\s+but\s")
# The same after a comma kept inside the closing mark: 'identified the judge as “Spanish,” which …'.
_AFTER_COMMA = re.compile(r"\s+(?:which|who|suggesting|promising|saying|adding|although|though|while)\b")

_CLOSE = frozenset("”\"’'»")
# Adjuncts that frame the report rather than carry its content ('on Monday', 'in a statement').
_FRAME_ENTS = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC"})
_FRAME_NOUNS = frozenset({"statement", "interview", "speech", "rally", "debate", "tweet", "post", "email", "letter",
                          "conference", "call", "appearance", "show", "program", "broadcast", "hearing", "meeting",
                          "book", "article", "column", "op-ed", "video", "ad", "memo", "report", "remarks", "proof",
                          "evidence"})
# Prepositions of circumstance: 'called them “thugs” without proof', '… after the debate'.
_FRAME_PREPS = frozenset({"without", "despite", "after", "before", "during", "amid", "since", "until", "through",
                          "via", "by", "following", "throughout"})
FRAME_NOUNS, FRAME_PREPS = _FRAME_NOUNS, _FRAME_PREPS  # read by the indirect scorer's candidates too


def object_tail(verb: Any, end: int) -> int:
    """Token end of ``verb``'s object content extended over the prepositional phrases right after it:
    'blamed [the “fog of war” for the failure …]', 'criticized [the “identity politics” on display …]'.
    Stops at punctuation, a conjunction, a clause, or a time, place or medium adjunct."""
    doc = verb.doc
    for child in verb.rights:
        if child.i < end:
            continue
        if child.i == end and child.text in _CLOSE:
            end += 1  # the quote's closing mark, attached to the verb
            continue
        if child.i != end or child.dep_ != "prep" or child.left_edge.i != child.i or child.lower_ in _FRAME_PREPS:
            break
        heads = [c for c in child.children if c.dep_ == "pobj"]
        if (not heads or any(t.is_punct and t.text not in _CLOSE for t in child.subtree)
                or any(h.ent_type_ in _FRAME_ENTS or h.lemma_.lower() in _FRAME_NOUNS for h in heads)):
            break
        end = child.right_edge.i + 1
    while end > 0 and (doc[end - 1].is_space or doc[end - 1].is_punct and doc[end - 1].text not in _CLOSE):
        end -= 1
    return end


def embedded(span: Any) -> bool:
    """Whether the quoted ``span`` hangs on a word before it ('hailed the vote as “fantastic,”'):
    a fragment of the preceding clause rather than a quotation of its own."""
    inside = range(span.start, span.end)
    top = next((t for t in span if not (t.is_punct or t.is_space) and (t.head.i not in inside or t.head.i == t.i)), None)
    return top is not None and top.head.i < span.start and top.head.sent == top.sent


def clause_end(doc: Any, text: str, q_start: int, q_end: int, c_end: int) -> int:
    """``c_end`` cut back to where a new clause starts after the quote ending at ``q_end``."""
    if c_end <= q_end:
        return c_end
    tail = _NEW_CLAUSE.search(text, q_end, c_end)
    if tail is not None:
        c_end = tail.start()
    if text[q_start:q_end].rstrip("".join(_CLOSE) + " ").endswith(",") and _AFTER_COMMA.match(text, q_end):
        return q_end
    rest = doc.char_span(q_end, c_end, alignment_mode="contract")
    for token in rest or []:
        # 'called the election “a citizenship election” and likened it to …': a second verb's clause.
        if token.lower_ == "and" and token.i + 1 < len(doc) and doc[token.i + 1].tag_ in ("VBD", "VBZ", "VBG", "VBP"):
            return len(text[:token.idx].rstrip()) if token.idx > q_end else q_end
    return c_end


# Nouns whose clause is a possessor's claim: 'Trump’s claim that Obama “founded ISIS”', 'his promise to be “neutral”'.
_CLAIM_NOUNS = frozenset({"claim", "assertion", "allegation", "promise", "pledge", "vow", "charge", "accusation",
                          "insistence", "argument", "contention", "suggestion", "warning", "prediction", "boast"})


def noun_claim(span: Any) -> tuple[int, int, Any, Any] | None:
    """(start, end, noun, possessor) of the claim-noun clause holding the quoted ``span``, when the
    clause reaches outside the marks by at least two words."""
    inside = range(span.start, span.end)
    token = next((t for t in span if not (t.is_punct or t.is_space) and (t.head.i not in inside or t.head.i == t.i)), None)
    for _ in range(4):
        if token is None or token.head.i == token.i:
            return None
        noun = token.head
        if noun.pos_ == "NOUN" and noun.lemma_.lower() in _CLAIM_NOUNS and token.dep_ in ("acl", "ccomp", "relcl") \
                and noun.i < token.left_edge.i:
            owner = next((c for c in noun.children if c.dep_ == "poss"), None)
            if owner is None:
                return None
            start, end = token.left_edge, token.right_edge.i + 1
            outside = [t for t in span.doc[start.i:end] if t.is_alpha and t.i not in inside and t.lower_ != "that"]
            if len(outside) < 2:
                return None
            return start.idx, span.doc[end - 1].idx + len(span.doc[end - 1]), noun, owner
        token = noun
    return None


# Verbs that name or label with a quoted object complement: 'called X “…”', 'branded X “…”'.
_NAMING = frozenset({"call", "label", "brand", "dub", "term", "nickname"})
# Verbs whose quoted complement follows 'as': 'hailed the vote as “fantastic”', 'described the plan as “reckless”'.
_NAMING_AS = frozenset({"describe", "hail", "identify", "characterize", "characterise", "portray", "depict",
                        "dismiss", "denounce", "deride", "decry", "praise", "tout", "label", "brand"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def naming_verb(span: Any) -> tuple[Any, int] | None:
    """(verb, first token of its complement) for a short quoted complement of a naming verb found on
    the surface, where the parse hangs the quote elsewhere ('Beruff, a Scott ally, called X “…”',
    'hailed the vote to leave the EU as “fantastic”'). Nothing between verb and quote may start a clause."""
    doc = span.doc
    if span.start == 0:
        return None
    sent_start = doc[span.start - 1].sent.start  # the opening mark may be parsed into the next sentence
    for i in range(span.start - 1, max(sent_start, span.start - 13) - 1, -1):
        token = doc[i]
        lemma = token.lemma_.lower()
        if token.tag_ in ("VBD", "VBZ", "VBP", "VBN", "VBG") and (lemma in _NAMING or lemma in _NAMING_AS):
            between = doc[i + 1:span.start]
            if not len(between) or any(t.is_punct and t.text not in ("-",) or t.tag_ in _FINITE
                                       or t.lower_ in ("and", "or", "but", "that", "which", "who") for t in between):
                return None
            words = [t for t in between if t.lower_ not in ("a", "an", "the")]
            if lemma in _NAMING and not (words and words[-1].lower_ == "as"):
                # 'called Florida’s standards “strong”'; a reduced clause ('the loophole called an “inversion”') has none
                if not words and token.dep_ != "acl":
                    return None
            elif not words or words[-1].lower_ != "as" or len(words) < 2:
                return None
            return token, i + 1
        if token.is_punct and token.text not in ("-", ",") or token.tag_ in _FINITE or token.lower_ in ("and", "but", "that"):
            return None
    return None


def surface_name(verb: Any, quoted: set[int]) -> tuple[int, int] | None:
    """(first, head) token of the last name before a subjectless ``verb`` in its sentence, for a parse
    that hangs the verb on its subject ('Beruff, a Scott ally, called', 'Trump earlier called')."""
    names = [t for t in verb.doc[verb.sent.start:verb.i] if t.dep_ not in ("compound", "pobj", "poss") and t.i not in quoted
             and (t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP"))]
    if not names:
        return None
    name = names[-1]
    first = min([name.i] + [c.i for c in name.lefts if c.dep_ == "compound"])
    return first, name.i
