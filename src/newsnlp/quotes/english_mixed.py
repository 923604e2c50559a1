"""Mixed-quote span rules for English: how far a reported object reaches past its quoted fragment."""

from __future__ import annotations

from typing import Any

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
